"""Every seed cut short at every length (pictures) or at a hundred lengths (PDFs): the commonest damage, swept exhaustively.

A download that stopped early is what a court most often receives; the
random fuzzing above found the first bug here (an animated GIF cut inside its
second frame), so the sweep pins it deterministically.
"""

from __future__ import annotations

import warnings

import pytest

from fuzz_support import image_seeds, pdf_seeds, time_limit
from memdiff.errors import InputError
from memdiff.ingest import load_bytes

PICTURES = image_seeds()
PDFS = pdf_seeds()

KNOWN_BUGS: dict[str, str] = {}


def _ends_well(data: bytes, name: str) -> str | None:
    """None when loading gives a Document or an InputError; else what went wrong."""
    try:
        with time_limit(), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            load_bytes(data, name)
    except InputError:
        return None
    except Exception as err:  # noqa: BLE001 - the point is to catch whatever escapes
        return f"{type(err).__name__}: {err}"
    return None


@pytest.mark.parametrize("key", [
    pytest.param(k, marks=[pytest.mark.xfail(strict=True, raises=AssertionError, reason=KNOWN_BUGS[k])] if k in KNOWN_BUGS else [])
    for k in sorted(PICTURES)
])
def test_a_picture_cut_at_any_length_is_loaded_or_refused(key):
    name, data = PICTURES[key]
    failures = {}
    for cut in range(1, len(data)):
        problem = _ends_well(data[:cut], name)
        if problem:
            failures[cut] = problem
    assert not failures, f"{len(failures)} lengths fail, e.g. {sorted(failures.items())[:3]}"


@pytest.mark.parametrize("key", sorted(PDFS))
def test_a_pdf_cut_at_any_of_a_hundred_lengths_is_loaded_or_refused(key):
    data = PDFS[key]
    failures = {}
    for cut in sorted({max(1, len(data) * n // 100) for n in range(100)}):
        problem = _ends_well(data[:cut], f"{key}.pdf")
        if problem:
            failures[cut] = problem
    assert not failures, f"{len(failures)} lengths fail, e.g. {sorted(failures.items())[:3]}"

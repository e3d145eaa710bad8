"""Fuzzed PDFs through ingest: a Document or an InputError (one sentence naming the file), nothing else, no hang."""

from __future__ import annotations

import time
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_support import derandomize, examples, time_limit
from memdiff.errors import InputError
from memdiff.evidence import Document
from memdiff.ingest import load_bytes
from mutations import damaged

COUNTS: dict[str, float] = {"examples": 0, "loaded": 0, "refused": 0, "slowest": 0.0}


def _check(data: bytes, steps) -> None:
    COUNTS["examples"] += 1
    started = time.monotonic()
    try:
        with time_limit(), warnings.catch_warnings(record=True) as escaped:
            # As in production: a warning is not an error (pytest's filter would make it one), but memdiff
            # must handle its libraries' warnings itself, or they print on the user's console.
            warnings.simplefilter("always")
            document = load_bytes(data, "fuzzed.pdf")
    except InputError as err:
        COUNTS["slowest"] = max(COUNTS["slowest"], time.monotonic() - started)
        COUNTS["refused"] += 1
        assert not escaped, (steps, [str(w.message) for w in escaped])
        message = str(err)
        assert message.strip() and "\n" not in message, (steps, message)
        assert "Traceback" not in message and " at 0x" not in message, (steps, message)
        return
    COUNTS["slowest"] = max(COUNTS["slowest"], time.monotonic() - started)
    COUNTS["loaded"] += 1
    assert not escaped, (steps, [str(w.message) for w in escaped])
    assert isinstance(document, Document)
    assert document.text.strip()
    document.text.encode("utf-8")  # valid Unicode: `memdiff extract` must be able to print it
    starts = document.page_starts
    assert list(starts) == sorted(starts) and all(0 <= s <= len(document.text) for s in starts), (steps, starts)


def test_pdf_seeds_load(pdfs):
    """The seeds themselves are sound, so what the fuzzer finds comes from the damage."""
    for key, data in pdfs.items():
        if key != "scan":
            assert load_bytes(data, f"{key}.pdf").text.strip()


@settings(max_examples=examples(400), deadline=None, database=None, derandomize=derandomize(),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(st.data())
def test_damaged_pdfs_load_or_raise_an_input_error(pdfs, data):
    key, damaged_bytes, steps = data.draw(damaged(pdfs))
    _check(damaged_bytes, (key, steps))


def test_report_fuzz_counts(capsys):
    """Print how many examples ran and how they ended (the figures for the audit report)."""
    with capsys.disabled():
        print(f"\nPDF fuzz: {COUNTS['examples']} examples, {COUNTS['loaded']} loaded, {COUNTS['refused']} refused, slowest {COUNTS['slowest']:.2f} s")
    assert COUNTS["examples"] == 0 or COUNTS["loaded"] + COUNTS["refused"] == COUNTS["examples"]

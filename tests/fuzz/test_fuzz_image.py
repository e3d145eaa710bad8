"""Fuzzed pictures through ingest: an RGB Document or an InputError (one sentence naming the file), nothing else, no hang.

Every format memdiff reads is seeded (PNG plain, RGBA, palette with
transparency and 16-bit; JPEG baseline with EXIF orientation, progressive and
CMYK; animated GIF; deflate TIFF; BMP; WebP), and pictures that still load
must come out as plain 8-bit RGB with the size they declare.
"""

from __future__ import annotations

import time
import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fuzz_support import derandomize, examples, time_limit
from memdiff.errors import InputError
from memdiff.ingest import load_bytes
from mutations import damaged

COUNTS: dict[str, float] = {"examples": 0, "loaded": 0, "refused": 0, "slowest": 0.0}


def _check(name: str, data: bytes, steps) -> None:
    COUNTS["examples"] += 1
    started = time.monotonic()
    try:
        with time_limit(), warnings.catch_warnings(record=True) as escaped:
            # As in production: a warning is not an error (pytest's filter would make it one), but memdiff
            # must handle its libraries' warnings itself, or they print on the user's console.
            warnings.simplefilter("always")
            document = load_bytes(data, name)
    except InputError as err:
        COUNTS["slowest"] = max(COUNTS["slowest"], time.monotonic() - started)
        COUNTS["refused"] += 1
        assert not escaped, (steps, [str(w.message) for w in escaped])
        message = str(err)
        assert message.strip() and "\n" not in message, (steps, message)
        assert name in message or "picture" in message, (steps, message)
        return
    COUNTS["slowest"] = max(COUNTS["slowest"], time.monotonic() - started)
    COUNTS["loaded"] += 1
    assert not escaped, (steps, [str(w.message) for w in escaped])
    if document.kind == "image":
        assert document.image is not None and document.image.mode == "RGB", steps
        assert (document.width, document.height) == document.image.size, steps
        assert document.width > 0 and document.height > 0, steps
    else:  # damage may turn a picture into something sniffed as text: then it must be real text
        assert document.text.strip(), steps


def test_image_seeds_load(pictures):
    for key, (name, data) in pictures.items():
        document = load_bytes(data, name)
        assert document.kind == "image" and document.image.mode == "RGB", key


@settings(max_examples=examples(400), deadline=None, database=None, derandomize=derandomize(),
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much])
@given(st.data())
def test_damaged_pictures_load_or_raise_an_input_error(pictures, data):
    seeds = {key: body for key, (_, body) in pictures.items()}
    key, damaged_bytes, steps = data.draw(damaged(seeds))
    _check(pictures[key][0], damaged_bytes, (key, steps))


def test_report_fuzz_counts(capsys):
    with capsys.disabled():
        print(f"\nImage fuzz: {COUNTS['examples']} examples, {COUNTS['loaded']} loaded, {COUNTS['refused']} refused, slowest {COUNTS['slowest']:.2f} s")
    assert COUNTS["examples"] == 0 or COUNTS["loaded"] + COUNTS["refused"] == COUNTS["examples"]

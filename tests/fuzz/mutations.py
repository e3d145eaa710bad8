"""Damage for the fuzz tests: hypothesis strategies that flip, overwrite, truncate, delete, duplicate and splice bytes.

Imported by name from the fuzz tests (pytest puts this folder on sys.path).
Besides blind positions, damage is aimed at the places parsers trust: the
first bytes (signatures, image headers) and the numbers after the keywords a
PDF reader follows (/Length, /Count, /Size, xref offsets, object numbers).
"""

from __future__ import annotations

import re

from hypothesis import strategies as st

INTERESTING_BYTES = (0x00, 0xFF, 0x7F, 0x80, 0x20, 0x0A, 0x0D, 0x25, 0x28, 0x29, 0x3C, 0x3E, 0x2F, 0x30, 0x39)
INTERESTING_NUMBERS = (b"0", b"-1", b"1", b"2147483647", b"4294967296", b"99999999999999999999", b"1e308",
                       b"65535", b"65536", b"-2147483648", b"3.5", b"NaN")
# Where a PDF reader follows a number (or an operator) it is given.
PDF_KEYWORDS = re.compile(rb"/Length|/Count|/Size|/Prev|/W\b|/Index|/First|/N\b|/Kids|/Parent|/Root|/Contents|"
                          rb"/Filter|/DecodeParms|/Columns|/Predictor|/BitsPerComponent|/Width|/Height|"
                          rb"startxref|xref|obj|endobj|stream|endstream|trailer|Tf|Td|Tj|TJ|BT|ET|cm|Do|R\b")

KINDS = ("flip", "byte", "truncate", "delete", "duplicate", "splice", "number", "random", "header", "keyword")


@st.composite
def damaged(draw, seeds: dict[str, bytes], max_steps: int = 5):
    """One seed, damaged by 1..max_steps mutations; returns (seed key, bytes, list of steps taken)."""
    key = draw(st.sampled_from(sorted(seeds)))
    data = bytearray(seeds[key])
    steps: list[str] = []
    for _ in range(draw(st.integers(1, max_steps))):
        if not data:
            break
        kind = draw(st.sampled_from(KINDS))
        n = len(data)
        pos = draw(st.integers(0, n - 1))
        if kind == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif kind == "byte":
            data[pos] = draw(st.sampled_from(INTERESTING_BYTES))
        elif kind == "truncate":
            del data[pos:]
        elif kind == "delete":
            del data[pos : pos + draw(st.integers(1, 256))]
        elif kind == "duplicate":
            length = draw(st.integers(1, 512))
            data[pos:pos] = data[pos : pos + length] * draw(st.integers(1, 4))
        elif kind == "splice":
            other = seeds[draw(st.sampled_from(sorted(seeds)))]
            start = draw(st.integers(0, max(0, len(other) - 1)))
            data[pos:pos] = other[start : start + draw(st.integers(1, 1024))]
        elif kind == "number":
            digits = re.compile(rb"-?\d+(\.\d+)?")
            match = digits.search(bytes(data), pos) or digits.search(bytes(data))
            if match:
                data[match.start() : match.end()] = draw(st.sampled_from(INTERESTING_NUMBERS))
        elif kind == "random":
            data[pos : pos + draw(st.integers(0, 32))] = draw(st.binary(min_size=1, max_size=32))
        elif kind == "header":
            at = draw(st.integers(0, min(n, 96) - 1))
            data[at] = draw(st.one_of(st.sampled_from(INTERESTING_BYTES), st.integers(0, 255)))
            pos = at
        elif kind == "keyword":
            found = [m.end() for m in PDF_KEYWORDS.finditer(bytes(data))]
            if found:
                pos = draw(st.sampled_from(found))
                # The token after the keyword (a number, a name, an operand) becomes something else.
                tail = re.match(rb"\s*[^\s/<>\[\]()]*", bytes(data[pos : pos + 40]))
                end = pos + (tail.end() if tail else 0)
                data[pos:end] = b" " + draw(st.sampled_from(INTERESTING_NUMBERS + (b"/Foo", b"<<>>", b"[]", b"(x)")))
        steps.append(f"{kind}@{pos}")
    return key, bytes(data), steps

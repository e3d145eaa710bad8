"""The terminal summary's figures: which span is the longest, and page ranges that read one way only.

Reproduces two reviewers' findings: "longest 18 words (139 characters)"
credited one span with another's characters, and page ranges joined with a
hyphen became ambiguous when the printed page names hold one ("p.3-A-1").
"""

from __future__ import annotations

import pytest
from fixtures_docs import text_pdf
from prose import AUSTEN

from memdiff.cli import main
from memdiff.evidence import page_range, printed_pages

SHORT_WORDS = "She crossed the river by the small path, and nobody said anything about it at all that evening."
LONG_WORDS = ("Extraordinarily incomprehensible circumstances notwithstanding, Mr. Featherstonehaugh's "
              "correspondence remained unacknowledged indefinitely.")


def test_the_longest_span_is_given_with_its_own_characters(write, capsys):
    original = write("original.txt", f"Chapter one.\n{SHORT_WORDS}\nSome filler words here.\n{LONG_WORDS}\n")
    output = write("output.txt", f"First: {SHORT_WORDS} Then: {LONG_WORDS}")
    assert main(["compare", str(original), str(output), "--no-near"]) == 0
    out = capsys.readouterr().out
    assert "longest 18 words (139 characters)" not in out
    assert (
        "The longest span in words is span 1: 18 words (94 characters of the output); "
        "the longest in characters is span 2: 139 characters (11 words)."
    ) in out


def test_one_span_longest_both_ways_is_said_once(write, capsys):
    original = write("original.txt", f"Chapter one.\n{SHORT_WORDS}\n")
    output = write("output.txt", f"First: {SHORT_WORDS}")
    assert main(["compare", str(original), str(output)]) == 0
    assert (
        "The longest span in words is span 1: 18 words (94 characters of the output), also the longest in "
        "characters."
    ) in capsys.readouterr().out


def test_the_summary_loads_no_report_library():
    import subprocess
    import sys

    code = "import sys, memdiff.cli; sys.exit(any(m.split('.')[0] == 'reportlab' for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], check=False, timeout=60).returncode == 0


@pytest.mark.parametrize(
    ("first", "last", "shown"),
    [("1", "2", "1-2"), ("ii", "iii", "ii-iii"), ("3", "A-1", "3 to A-1"), ("Page 1", "Page 2", "Page 1 to Page 2"),
     ("1–2", "3", "1–2 to 3"), ("7", "7", "7")],
)
def test_a_page_range_reads_one_way_only(first, last, shown):
    assert page_range(first, last, "-") == shown  # the terminal's
    # The report's and the window's, with an en dash between plain names and the same "to" otherwise.
    assert page_range(first, last) == (shown if " to " in shown else shown.replace("-", "\u2013"))
    labels = (first, last) if first != last else (first,)
    assert printed_pages(labels, tuple(range(1, len(labels) + 1))) == page_range(first, last)


def _lines(words: list[str]) -> list[str]:
    return [" ".join(words[n : n + 10]) for n in range(0, len(words), 10)]


@pytest.mark.parametrize(
    ("labels", "shown"),
    [(((0, "ARABIC", 3, ""), (1, "ARABIC", 1, "A-")), "p.3 to A-1 (1-2)"),
     (((0, "ARABIC", 1, "Page "),), "p.Page 1 to Page 2 (1-2)"),
     (((0, "ROMAN_LOWER", 1, ""),), "p.i-ii (1-2)"),
     ((), "p.1-2")],
)
def test_a_span_across_pages_names_them_unambiguously(tmp_path, capsys, labels, shown):
    words = AUSTEN.split()[:120]
    book = tmp_path / "book.pdf"
    book.write_bytes(text_pdf([_lines(words[:60]), _lines(words[60:])], labels=labels))
    output = tmp_path / "output.txt"
    output.write_text(" ".join(words[30:90]), encoding="utf-8")
    assert main(["compare", str(book), str(output)]) == 0
    rows = [line for line in capsys.readouterr().out.splitlines() if "verbatim  " in line]
    assert len(rows) == 1 and f" {shown} " in rows[0], rows

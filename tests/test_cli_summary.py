"""The terminal summary's figures: which span is the longest, and page ranges that read one way only.

Reproduces two reviewers' findings: "longest 18 words (139 characters)"
credited one span with another's characters, and page ranges joined with a
hyphen became ambiguous when the printed page names hold one ("p.3-A-1").
"""

from __future__ import annotations

from memdiff.cli import main

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

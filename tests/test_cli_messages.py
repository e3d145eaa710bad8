"""What the command line says: one sentence per mistake, the notes a file's reading left, output that cannot go out.

Each test reproduces a defect a reviewer found (numbers from their report):
the summary hiding a scanned page (14), standard output full or closed
treated as a bug (17), and small message problems (18).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import one_sentence
from fixtures_docs import scanned_pdf, text_pdf
from prose import AUSTEN, COPY

from memdiff.cli import main


def _run(*args: str, shell_redirect: str = "") -> subprocess.CompletedProcess[str]:
    """Run ``python -m memdiff`` through the shell, so standard output can be redirected or closed as a user would."""
    import shlex

    command = shlex.join([sys.executable, "-m", "memdiff", *args]) + " " + shell_redirect
    done = subprocess.run(["/bin/sh", "-c", command], capture_output=True, timeout=120)
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


# --------------------------------------------------------------------------- 14: the summary's notes


def test_the_summary_says_which_page_was_not_compared(write, capsys):
    original = write("book.pdf", text_pdf([AUSTEN.split("\n\n")[:2], []]))  # page 2 has no text layer
    suspect = write("output.txt", COPY)
    assert main(["compare", str(original), str(suspect)]) == 0
    out = capsys.readouterr().out
    assert "2 pages" in out
    assert "Note on the original: Page 2 of book.pdf has no text layer" in out


def test_one_page_is_one_page(write, capsys):
    original = write("scan.pdf", scanned_pdf(1, text_pages=(1,)))
    suspect = write("output.txt", "Typed text on page 1 was copied here.")
    assert main(["compare", str(original), str(suspect), "--min-words", "3"]) == 0
    out = capsys.readouterr().out
    assert "1 page," in out and "1 pages" not in out


# --------------------------------------------------------------------------- 17: standard output


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("command", [["compare", "{o}", "{s}", "--json", "-"], ["compare", "{o}", "{s}"],
                                     ["extract", "{o}"]])
def test_a_full_standard_output_is_one_sentence_not_a_bug(case, command):
    original, suspect = case
    done = _run(*[a.format(o=original, s=suspect) for a in command], shell_redirect="> /dev/full")
    assert done.returncode == 2, done.stderr
    assert "Cannot write to standard output (No space left on device)" in one_sentence(done.stderr)


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell")
@pytest.mark.parametrize("command", [["compare", "{o}", "{s}", "--json", "-"], ["extract", "{o}"]])
def test_a_closed_standard_output_is_one_sentence_not_a_traceback(case, command):
    original, suspect = case
    done = _run(*[a.format(o=original, s=suspect) for a in command], shell_redirect=">&-")
    assert done.returncode == 2, done.stderr
    assert "Standard output is closed" in one_sentence(done.stderr)


def test_a_closed_pipe_ends_quietly(case):
    original, _ = case
    done = _run("extract", str(original), shell_redirect="| head -c 10")
    assert done.returncode == 0
    assert done.stdout == AUSTEN[:10]
    assert done.stderr == ""


# --------------------------------------------------------------------------- 18: small message problems


def test_standard_input_twice_is_named_as_such(capsys):
    assert main(["compare", "-", "-"]) == 2
    assert "Standard input ('-') can be given only once" in one_sentence(capsys.readouterr().err)


@pytest.mark.parametrize(
    ("option", "value", "phrase"),
    [
        ("--min-words", "1", "argument --min-words: 1 is not a whole number from 2 to 10000"),
        ("--min-words", "10001", "argument --min-words: 10001 is not a whole number from 2 to 10000"),
        ("--min-similarity", "0", "argument --min-similarity: 0 is not between 0 (excluded) and 1"),
        ("--attempts", "0", "argument --attempts: 0 is not a whole number of at least 1"),
        ("--bates-start", "first", "argument --bates-start: 'first' is not a whole number of at least 1"),
    ],
)
def test_an_option_out_of_range_is_one_sentence_with_the_range(case, capsys, option, value, phrase):
    original, suspect = case
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", str(original), str(suspect), option, value])
    assert exit_info.value.code == 2
    err = one_sentence(capsys.readouterr().err)
    assert err == f"memdiff compare: {phrase}; see memdiff compare --help."


def test_help_states_the_ranges(capsys):
    with pytest.raises(SystemExit):
        main(["compare", "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "in words, 2 to 10000 (default 8)" in help_text
    assert "above 0 and at most 1 (default 0.8)" in help_text
    assert "first Bates number, 1 or more" in help_text


@pytest.mark.parametrize("argv", [["compare", "only-one-file.txt"], ["compare", "a", "b", "--mode", "video"],
                                  ["verify", "r.pdf"], ["no-such-command"]])
def test_usage_errors_are_one_sentence_not_the_usage(capsys, argv):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    err = one_sentence(capsys.readouterr().err)
    assert err.startswith("memdiff") and err.endswith("--help.")
    assert "usage:" not in err


@pytest.mark.parametrize("option", ["--json", "--report", "--batch-report", "--prompt-file"])
def test_an_empty_file_name_is_refused(case, capsys, option):
    original, suspect = case
    assert main(["compare", str(original), str(suspect), option, ""]) == 2
    assert f"{option} was given an empty file name" in one_sentence(capsys.readouterr().err)


def test_the_same_output_twice_is_refused(case, capsys):
    original, suspect = case
    assert main(["compare", str(original), str(suspect), str(suspect)]) == 2
    assert "output.txt is given twice as an output" in one_sentence(capsys.readouterr().err)


# --------------------------------------------------------------------------- a language code in any case


@pytest.mark.parametrize("typed", ["EN", "En", " en "])
def test_a_language_code_is_taken_in_any_case(case, capsys, typed):
    original, suspect = case
    assert main(["compare", str(original), str(suspect), "--language", typed, "--json", "-"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["parameters"]["language"] == "en" and result["summary"]["language"] == "en"


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs a file system that takes any bytes as a name")
def test_a_report_name_that_is_not_utf8_is_shown_as_other_names_are(case, tmp_path, monkeypatch, capsys):
    original, suspect = case
    monkeypatch.chdir(tmp_path)
    assert main(["compare", str(original), str(suspect), "--report", "rep\udcff.pdf"]) == 0
    assert capsys.readouterr().err == "Report written: rep\\xff.pdf\n"
    assert (tmp_path / "rep\udcff.pdf").exists()


def test_a_legend_too_long_for_every_page_is_refused_before_the_comparison(tmp_path, capsys, monkeypatch):
    from memdiff.resources import path as resource_path

    import memdiff.analyse
    from memdiff.cli import main

    def no_comparison(*args, **kwargs):
        raise AssertionError("the comparison ran before the legend was checked")

    monkeypatch.setattr(memdiff.analyse, "compare", no_comparison)
    code = main(["compare", str(resource_path("samples", "original.txt")),
                 str(resource_path("samples", "model-output.txt")), "--report", str(tmp_path / "r.pdf"),
                 "--confidentiality", "CONFIDENTIAL " * 800])
    assert code == 2
    assert "The confidentiality legend is too long to print in full on every page" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []

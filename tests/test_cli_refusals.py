"""Outputs and inputs memdiff must refuse in one sentence (exit 2), before any work, rather than fail as a bug.

Each test reproduces a defect a reviewer found: a write-protected exhibit
replaced without a word, ``--report -`` writing a file named "-", a name too
long for the system, a loop of symbolic links and a folder that cannot be
read or searched all reported as "a bug in memdiff".
"""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from prose import AUSTEN, COPY

from memdiff import atomic, cli
from memdiff.cli import main
from memdiff.errors import OutputError


@pytest.fixture
def case(write):
    return write("original.txt", AUSTEN), write("output.txt", COPY)


@pytest.fixture
def no_comparison(monkeypatch):
    """Fail the test if any comparison starts: the error must come before the work."""

    def compare_one(*args, **kwargs):
        pytest.fail("a comparison ran before the mistake was reported")

    monkeypatch.setattr(cli, "_compare_one", compare_one)


def _one_sentence(err: str) -> str:
    err = err.strip()
    assert err.count("\n") == 0, err
    assert "Traceback" not in err and "internal error" not in err, err
    return err


# --------------------------------------------------------------------------- a write-protected destination


@pytest.fixture
def protected(tmp_path) -> Path:
    exhibit = tmp_path / "exhibit.json"
    exhibit.write_text('{"filed": true}\n', encoding="utf-8")
    exhibit.chmod(0o444)
    yield exhibit
    exhibit.chmod(0o644)  # so that pytest can clean up


@pytest.mark.parametrize("how", ["itself", "through a link"])
def test_a_write_protected_destination_is_refused_before_any_work(case, protected, capsys, no_comparison, how):
    original, suspect = case
    named = protected
    if how == "through a link":
        named = protected.parent / "link.json"
        named.symlink_to(protected)
    assert main(["compare", str(original), str(suspect), "--json", str(named)]) == 2
    message = _one_sentence(capsys.readouterr().err)
    assert f"Cannot write {named}: it is write-protected" in message
    assert "remove the protection or choose another name" in message
    assert protected.read_text(encoding="utf-8") == '{"filed": true}\n'
    assert stat.S_IMODE(protected.stat().st_mode) == 0o444


def test_the_json_beside_a_report_is_protected_too(case, protected, capsys, no_comparison):
    original, suspect = case
    report = protected.with_suffix(".pdf")
    assert main(["compare", str(original), str(suspect), "--report", str(report)]) == 2
    assert f"Cannot write {protected}: it is write-protected" in _one_sentence(capsys.readouterr().err)
    assert not report.exists()


def test_the_window_s_export_check_says_it_too(protected):
    with pytest.raises(OutputError, match="write-protected"):
        atomic.check_can_write(protected)
    with pytest.raises(OutputError, match="write-protected"), atomic.atomic_output(protected) as handle:
        handle.write(b"replaced")
    assert protected.read_text(encoding="utf-8") == '{"filed": true}\n'


def test_a_writable_destination_is_still_replaced(case, tmp_path):
    original, suspect = case
    result = tmp_path / "result.json"
    result.write_text("old", encoding="utf-8")
    assert main(["compare", str(original), str(suspect), "--json", str(result)]) == 0
    assert result.read_text(encoding="utf-8").startswith("{")


# --------------------------------------------------------------------------- a report to standard output


@pytest.mark.parametrize("option", ["--report", "--batch-report"])
def test_a_report_cannot_go_to_standard_output(case, tmp_path, monkeypatch, capsys, no_comparison, option):
    original, suspect = case
    monkeypatch.chdir(tmp_path)
    assert main(["compare", str(original), str(suspect), option, "-"]) == 2
    message = _one_sentence(capsys.readouterr().err)
    assert message == (
        f"memdiff: {option} - cannot be written: a PDF report cannot go to standard output; give a file name."
    )
    assert not (tmp_path / "-").exists() and not (tmp_path / "-.json").exists()

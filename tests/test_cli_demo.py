"""`memdiff demo --no-gui`: the summary, a report and its JSON in the current folder, and a command that makes it again."""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from pypdf import PdfReader

from memdiff.cli import main


def test_the_demo_report_names_the_command_that_makes_the_same_report(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796000000")
    monkeypatch.chdir(tmp_path)
    assert main(["demo", "--no-gui"]) == 0
    assert "of the output's words" in capsys.readouterr().out
    demo = tmp_path / "memdiff-demo-report.pdf"
    assert demo.with_suffix(".json").exists()
    text = " ".join(page.extract_text() for page in PdfReader(demo).pages)
    printed = re.search(r"Command\s+(memdiff compare .*?\.pdf.*?--exhibit\s+Demo)", text, re.S)
    assert printed, "the appendix prints the command"
    argv = shlex.split(" ".join(printed.group(1).split()))
    assert argv[argv.index("--title") + 1] == "memdiff demonstration case"
    # Running it (to the same file name) gives the same bytes.
    first = demo.read_bytes()
    demo.unlink()
    assert main(argv[1:]) == 0
    assert demo.read_bytes() == first


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs a folder no file can be created in")
def test_the_demo_in_a_folder_it_cannot_write_says_so_before_the_summary(monkeypatch, capsys):
    monkeypatch.chdir("/proc")
    assert main(["demo", "--no-gui"]) == 2
    out, err = capsys.readouterr()
    assert out == ""  # not the whole summary, then a failure
    message = err.strip()
    assert message.count("\n") == 0 and message.startswith("memdiff: Cannot write /proc/memdiff-demo-report.pdf")
    assert message.endswith("run it from a folder you can write to.")

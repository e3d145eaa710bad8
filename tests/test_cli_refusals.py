"""Outputs and inputs memdiff must refuse in one sentence (exit 2), before any work, rather than fail as a bug.

Each test reproduces a defect a reviewer found: a write-protected exhibit
replaced without a word, ``--report -`` writing a file named "-", a name too
long for the system, a loop of symbolic links and a folder that cannot be
read or searched all reported as "a bug in memdiff".
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from cli_support import one_sentence
from prose import AUSTEN, COPY

from memdiff import atomic, cli
from memdiff.cli import main
from memdiff.errors import OutputError

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
    message = one_sentence(capsys.readouterr().err)
    assert f"Cannot write {named}: it is write-protected" in message
    assert "remove the protection or choose another name" in message
    assert protected.read_text(encoding="utf-8") == '{"filed": true}\n'
    assert stat.S_IMODE(protected.stat().st_mode) == 0o444


def test_the_json_beside_a_report_is_protected_too(case, protected, capsys, no_comparison):
    original, suspect = case
    report = protected.with_suffix(".pdf")
    assert main(["compare", str(original), str(suspect), "--report", str(report)]) == 2
    assert f"Cannot write {protected}: it is write-protected" in one_sentence(capsys.readouterr().err)
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
    message = one_sentence(capsys.readouterr().err)
    assert message == (
        f"memdiff: {option} - cannot be written: a PDF report cannot go to standard output; give a file name."
    )
    assert not (tmp_path / "-").exists() and not (tmp_path / "-.json").exists()


# --------------------------------------------------------------------------- paths the system cannot look up

LONG = 300  # more bytes than any common file system allows in one name


def _loop(tmp_path: Path) -> Path:
    """Two symbolic links that point at each other: following them never reaches a file."""
    first, second = tmp_path / "loop1", tmp_path / "loop2"
    first.symlink_to(second)
    second.symlink_to(first)
    return first


@pytest.mark.parametrize("option", ["--json", "--report", "--batch-report"])
def test_an_output_name_too_long_is_one_sentence(case, tmp_path, capsys, no_comparison, option):
    original, suspect = case
    name = tmp_path / ("a" * LONG + ".pdf")
    assert main(["compare", str(original), str(suspect), option, str(name)]) == 2
    message = one_sentence(capsys.readouterr().err)
    assert f"Cannot write {tmp_path}/" in message and "the file name is too long for this system" in message


def test_a_report_name_that_fits_but_whose_json_does_not_is_one_sentence(case, tmp_path, capsys, no_comparison):
    original, suspect = case
    report = tmp_path / ("c" * 251 + ".pdf")  # 255 bytes: allowed; the JSON beside it would be 256
    assert main(["compare", str(original), str(suspect), "--report", str(report)]) == 2
    message = one_sentence(capsys.readouterr().err)
    assert f"Cannot write {report.with_suffix('.json')}: the file name is too long" in message
    assert not report.exists()


def test_an_input_name_too_long_is_one_sentence(case, tmp_path, capsys, no_comparison):
    original, _ = case
    name = str(tmp_path / ("d" * LONG + ".txt"))
    assert main(["compare", str(original), name]) == 2
    assert one_sentence(capsys.readouterr().err) == (
        f"memdiff: {name} cannot be read: its name is too long for this system (most allow 255 bytes a name); "
        "rename it or move it to a shorter path."
    )
    assert main(["extract", name]) == 2
    assert "its name is too long for this system" in one_sentence(capsys.readouterr().err)


def test_a_report_to_verify_whose_name_is_too_long_is_one_sentence(case, tmp_path, capsys):
    original, suspect = case
    name = str(tmp_path / ("e" * LONG))
    assert main(["verify", name, str(original), str(suspect)]) == 2
    assert "its name is too long for this system" in one_sentence(capsys.readouterr().err)


@pytest.mark.parametrize("side", ["original", "output"])
def test_a_loop_of_links_as_input_is_one_sentence(case, tmp_path, capsys, no_comparison, side):
    original, suspect = case
    loop = _loop(tmp_path)
    argv = [str(loop), str(suspect)] if side == "original" else [str(original), str(loop)]
    assert main(["compare", *argv]) == 2
    assert one_sentence(capsys.readouterr().err) == (
        f"memdiff: {loop} cannot be read: it is a loop of symbolic links that never reaches a file; "
        "give the path of the file itself."
    )


def test_a_loop_of_links_as_output_is_one_sentence(case, tmp_path, capsys, no_comparison):
    original, suspect = case
    loop = _loop(tmp_path)
    assert main(["compare", str(original), str(suspect), "--json", str(loop)]) == 2
    message = one_sentence(capsys.readouterr().err)
    assert f"Cannot write {loop}: it is a loop of symbolic links" in message


def test_a_log_that_cannot_be_written_is_not_called_a_file(case, tmp_path, monkeypatch, capsys):
    original, suspect = case
    blocker = tmp_path / "state"
    blocker.write_text("a file where the log's folder would be", encoding="utf-8")
    monkeypatch.setattr(cli, "log_path", lambda: blocker / "memdiff.log")

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "_compare_one", broken)
    assert main(["compare", str(original), str(suspect)]) == 1
    message = capsys.readouterr().err.strip()
    assert "the details could not be written to a log file" in message
    assert "with that file" not in message and "with the command you ran" in message


# --------------------------------------------------------------------------- folders another user cannot read

NOBODY = 65534


def _as_nobody(argv: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run memdiff as user nobody (permissions do not stop root, who runs these tests in containers)."""
    command = [sys.executable, "-m", "memdiff", *argv]
    if os.geteuid() == 0:
        command = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups", *command]
    env = {**os.environ, "HOME": str(cwd), "MEMDIFF_CACHE_DIR": str(cwd / "cache")}
    return subprocess.run(command, check=False, cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


@pytest.fixture
def shared_case():
    """A case folder everyone can reach (tmp_path is its owner's alone), removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="memdiff-perm-"))
    folder.chmod(0o777)
    (folder / "cache").mkdir(mode=0o777)
    (folder / "cache").chmod(0o777)
    (folder / "original.txt").write_text(AUSTEN, encoding="utf-8")
    for name, mode in (("noread", 0o000), ("noexec", 0o444)):
        (folder / name).mkdir()
        (folder / name / "output.txt").write_text(COPY, encoding="utf-8")
        (folder / name).chmod(mode)
    yield folder
    for name in ("noread", "noexec"):
        (folder / name).chmod(0o755)
    shutil.rmtree(folder)


needs_unprivileged = pytest.mark.skipif(
    not hasattr(os, "geteuid") or (os.geteuid() == 0 and shutil.which("setpriv") is None)
    or not os.access(sys.executable, os.X_OK),
    reason="needs POSIX permissions and a user they stop",
)


@needs_unprivileged
def test_a_folder_that_cannot_be_read_is_one_sentence(shared_case):
    done = _as_nobody(["compare", "original.txt", "noread"], shared_case)
    assert done.returncode == 2, done.stderr
    assert one_sentence(done.stderr) == (
        "memdiff: The folder noread cannot be read (Permission denied); check its permissions."
    )


@needs_unprivileged
def test_a_folder_that_cannot_be_searched_is_one_sentence(shared_case):
    done = _as_nobody(["compare", "original.txt", "noexec"], shared_case)
    assert done.returncode == 2, done.stderr
    assert "The files in the folder noexec cannot be opened" in one_sentence(done.stderr)
    done = _as_nobody(["compare", "original.txt", "noexec/output.txt"], shared_case)
    assert done.returncode == 2, done.stderr
    assert one_sentence(done.stderr) == (
        "memdiff: noexec/output.txt cannot be read: permission denied; check its permissions and those of the "
        "folders above it."
    )

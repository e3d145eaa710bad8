"""Outputs that cannot be written, and outputs interrupted by a kill: never a partial exhibit, never a lost input.

A read-only folder is made with a tmpfs remounted read-only and a full disk
with a 64 KB tmpfs (chmod does not stop root, who runs these tests); where
mounting is not allowed those tests are skipped and the in-process ENOSPC
simulation below still runs. The kill tests SIGKILL ``memdiff compare
--report`` at several moments, one of them deterministically while the
report's temporary file is complete but not yet renamed.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hostile_corpus import TIMEOUT, assert_one_clear_sentence, isolated_env, run_memdiff
from memdiff import atomic
from memdiff.errors import OutputError


def _listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def _complete_pdf(path: Path) -> bool:
    from pypdf import PdfReader

    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-1024:]:
        return False
    reader = PdfReader(path)
    return len(reader.pages) >= 1 and bool(reader.pages[-1].extract_text())


# --------------------------------------------------------------------------- folders that refuse the output


@pytest.mark.parametrize("option", ["--json", "--report"])
def test_output_path_under_a_file_is_one_sentence(option, tmp_path, home, novel):
    original, output = novel
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("I am a file", encoding="utf-8")
    target = blocker / ("out.json" if option == "--json" else "out.pdf")
    done = run_memdiff(["compare", str(original), str(output), option, str(target)], home)
    assert "Cannot write" in assert_one_clear_sentence(done, "not-a-folder")
    assert blocker.read_text(encoding="utf-8") == "I am a file"


def test_output_under_proc_is_one_sentence(home, novel):
    original, output = novel
    done = run_memdiff(["compare", str(original), str(output), "--report", "/proc/memdiff-report.pdf"], home)
    assert_one_clear_sentence(done, "/proc/memdiff-report")
    assert not Path("/proc/memdiff-report.pdf").exists()


def test_read_only_folder_is_one_sentence_and_the_old_exhibit_survives(read_only_folder, home, novel):
    original, output = novel
    before = (read_only_folder / "previous.pdf").read_bytes()
    done = run_memdiff(["compare", str(original), str(output), "--report", str(read_only_folder / "previous.pdf"),
                        "--json", str(read_only_folder / "result.json")], home)
    assert "Read-only file system" in assert_one_clear_sentence(done, str(read_only_folder))
    assert _listing(read_only_folder) == ["previous.pdf"]
    assert (read_only_folder / "previous.pdf").read_bytes() == before


def test_full_disk_json_is_one_sentence_and_leaves_nothing(tiny_tmpfs, home, novel):
    original, output = novel
    (tiny_tmpfs / "filler").write_bytes(b"\0" * (60 * 1024))  # leave about 4 KB
    done = run_memdiff(["compare", str(original), str(output), "--json", str(tiny_tmpfs / "result.json")], home)
    assert "No space left on device" in assert_one_clear_sentence(done, "result.json")
    assert _listing(tiny_tmpfs) == ["filler"]


def test_full_disk_report_leaves_neither_pdf_nor_json(tiny_tmpfs, home, novel):
    original, output = novel
    done = run_memdiff(["compare", str(original), str(output), "--report", str(tiny_tmpfs / "report.pdf")], home)
    assert "No space left on device" in assert_one_clear_sentence(done, "report.pdf")
    assert _listing(tiny_tmpfs) == []


def test_a_failing_json_destination_leaves_no_report_either(tmp_path, home, novel):
    original, output = novel
    out = tmp_path / "out"
    out.mkdir()
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    done = run_memdiff(["compare", str(original), str(output), "--report", str(out / "report.pdf"),
                        "--json", str(blocker / "result.json")], home)
    assert_one_clear_sentence(done, "result.json")
    assert _listing(out) == []


def test_enospc_during_the_write_leaves_nothing_in_process(tmp_path, monkeypatch):
    """Where no tmpfs can be mounted: the disk fills up half way through the write of the temporary file."""
    target = tmp_path / "result.json"
    real_fdopen = os.fdopen

    class FillsUp:
        def __init__(self, handle):
            self._handle = handle

        def write(self, data):
            self._handle.write(data[: len(data) // 2])
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        def __getattr__(self, name):
            return getattr(self._handle, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return self._handle.__exit__(*exc)

    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, mode: FillsUp(real_fdopen(fd, mode)))
    with pytest.raises(OutputError, match="No space left on device; nothing was written"):
        atomic.write_text(target, '{"schema": "memdiff/comparison@1"}\n' * 1000)
    assert _listing(tmp_path) == []


# --------------------------------------------------------------------------- outputs that would overwrite evidence


@pytest.mark.parametrize("which", ["original", "suspect"])
def test_json_destination_that_is_an_input_is_refused(which, tmp_path, home, novel):
    original = tmp_path / "novel.txt"
    output = tmp_path / "output.txt"
    original.write_bytes(novel[0].read_bytes())
    output.write_bytes(novel[1].read_bytes())
    victim = original if which == "original" else output
    before = hashlib.sha256(victim.read_bytes()).hexdigest()
    done = run_memdiff(["compare", str(original), str(output), "--json", str(victim)], home)
    assert hashlib.sha256(victim.read_bytes()).hexdigest() == before, "an input was overwritten"
    assert_one_clear_sentence(done, victim.name)


def test_report_whose_json_sibling_is_an_input_is_refused(tmp_path, home, novel):
    # The suspect is a chat transcript exported as JSON; the report is asked for under the same stem.
    transcript = tmp_path / "chat.json"
    transcript.write_text(json.dumps({"answer": novel[1].read_text(encoding="utf-8")}), encoding="utf-8")
    before = transcript.read_bytes()
    done = run_memdiff(["compare", str(novel[0]), str(transcript), "--report", str(tmp_path / "chat.pdf")], home)
    assert transcript.read_bytes() == before, "the input chat.json was overwritten by the report's JSON"
    assert_one_clear_sentence(done, "chat.json")


# --------------------------------------------------------------------------- killed while writing


# The child pauses inside memdiff.atomic right after the temporary file is complete and flushed, before the
# rename, and tells the parent so; the parent SIGKILLs it there. Nothing else in memdiff is changed.
_PAUSE_BEFORE_RENAME = r"""
import os, sys, time
from memdiff import atomic
real_fsync = os.fsync
def fsync_then_wait(fd):
    real_fsync(fd)
    name = os.readlink(f"/proc/self/fd/{fd}")
    if os.path.basename(name).startswith(".report.pdf."):
        open(os.environ["MEMDIFF_TEST_SIGNAL"], "w").write(name)
        time.sleep(60)
atomic.os.fsync = fsync_then_wait
from memdiff.cli import main
sys.exit(main(sys.argv[1:]))
"""


def _wait_for(path: Path, process: subprocess.Popen, limit: float) -> bool:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if path.exists() and path.stat().st_size:
            return True
        if process.poll() is not None:
            return False
        time.sleep(0.01)
    return False


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to name the temporary file")
def test_killed_with_the_report_written_but_not_renamed_leaves_no_report(tmp_path, home, novel):
    original, output = novel
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.pdf").write_bytes(b"%PDF-1.7 the earlier exhibit\n%%EOF\n")
    earlier = (out / "report.pdf").read_bytes()
    flag = tmp_path / "paused"
    process = subprocess.Popen(
        [sys.executable, "-c", _PAUSE_BEFORE_RENAME, "compare", str(original), str(output),
         "--report", str(out / "report.pdf")],
        env=isolated_env(home, MEMDIFF_TEST_SIGNAL=str(flag)), cwd=home,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        assert _wait_for(flag, process, TIMEOUT), "memdiff never reached the rename of the report"
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=TIMEOUT)
    finally:
        if process.poll() is None:
            process.kill()
    # The earlier exhibit is untouched; the new one exists only as a temporary file (nothing can clean up
    # after SIGKILL), never under the report's own name.
    assert (out / "report.pdf").read_bytes() == earlier
    assert "report.json" not in _listing(out)  # the pair is renamed only once both are complete
    stray = [name for name in _listing(out) if name.endswith(".part")]
    assert stray and all(name.startswith((".report.pdf.", ".report.json.")) for name in stray)
    assert Path(flag.read_text()).name in stray


def test_killed_at_any_moment_leaves_no_partial_report(tmp_path, home, novel):
    original, output = novel
    # One complete run first: how long it takes, and what a complete report looks like.
    out = tmp_path / "complete"
    out.mkdir()
    started = time.monotonic()
    done = run_memdiff(["compare", str(original), str(output), "--report", str(out / "report.pdf")], home)
    whole = time.monotonic() - started
    assert done.returncode == 0, done.stderr
    assert _complete_pdf(out / "report.pdf")
    complete_json = json.loads((out / "report.json").read_text(encoding="utf-8"))

    stray_after_kill = []
    for n, fraction in enumerate((0.6, 0.95, 1.0)):
        folder = tmp_path / f"kill-{n}"
        folder.mkdir()
        process = subprocess.Popen(
            [sys.executable, "-m", "memdiff", "compare", str(original), str(output), "--report",
             str(folder / "report.pdf")],
            env=isolated_env(home), cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        time.sleep(whole * fraction)
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=TIMEOUT)
        names = _listing(folder)
        if "report.pdf" in names:
            assert _complete_pdf(folder / "report.pdf"), f"partial report after a kill at {fraction:.0%}"
        if "report.json" in names:
            result = json.loads((folder / "report.json").read_text(encoding="utf-8"))
            assert result["findings_sha256"] == complete_json["findings_sha256"]
        stray_after_kill += [name for name in names if name.endswith(".part")]
    # Observation, not a requirement: temporary files may stay after SIGKILL; they never carry the target's name.
    assert all(name.startswith((".report.pdf.", ".report.json.")) for name in stray_after_kill)


def test_an_interrupt_leaves_nothing(tmp_path, home, novel):
    """Ctrl+C (SIGINT) during a report: the temporary file is removed and the sentence says nothing was written."""
    original, output = novel
    out = tmp_path / "out"
    out.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "memdiff", "compare", str(original), str(output), "--report", str(out / "report.pdf")],
        env=isolated_env(home), cwd=home, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )
    time.sleep(0.6)
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=TIMEOUT)
    if process.returncode == 130:
        assert b"interrupted; nothing was written" in stderr and b"Traceback" not in stderr
        assert [n for n in _listing(out) if n.endswith(".part")] == []
        assert "report.pdf" not in _listing(out) or _complete_pdf(out / "report.pdf")
    else:  # it finished before the signal arrived
        assert process.returncode == 0, stderr
        assert _complete_pdf(out / "report.pdf")

"""Outputs that cannot be written, and outputs interrupted by a kill: never a partial exhibit, never a lost input.

A read-only folder is made with a tmpfs remounted read-only and a full disk
with a 64 KB tmpfs (chmod does not stop root, who runs these tests); where
mounting is not allowed those tests are skipped and the in-process ENOSPC
simulation below still runs. The kill tests SIGKILL ``memdiff compare
--report`` at several moments, one of them deterministically while the
report's temporary file is complete but not yet renamed, both with the
anonymous file Linux offers (nothing may remain) and with the named one other
systems use (it may remain until the next write into the folder removes it).
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


# The child pauses inside memdiff.atomic right after the report's bytes are complete and flushed, before the
# rename, and tells the parent so; the parent SIGKILLs it there. The report is told from the JSON by its first
# bytes (an anonymous file has no name to tell it by). With "named" as first argument the child's os module
# lacks O_TMPFILE, as on macOS and Windows, so the named temporary file is used. Nothing else is changed.
_PAUSE_BEFORE_RENAME = r"""
import os, sys, time
from memdiff import atomic
if sys.argv.pop(1) == "named":
    del os.O_TMPFILE
real_fsync = os.fsync
def fsync_then_wait(fd):
    real_fsync(fd)
    try:
        with open(f"/proc/self/fd/{fd}", "rb") as same_file:
            head = same_file.read(5)
    except OSError:  # the folder, synced after the rename
        return
    if head == b"%PDF-":
        open(os.environ["MEMDIFF_TEST_SIGNAL"], "w").write(os.readlink(f"/proc/self/fd/{fd}"))
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


def _temporaries(folder: Path) -> list[str]:
    """Every file memdiff's writes may have left in ``folder``: its temporary files, by the pattern it owns."""
    return [name for name in _listing(folder) if atomic.TEMPORARY_NAME.fullmatch(name) or name.endswith(".part")]


def _dead_pid() -> int:
    """The id of a process that has just ended (and been reaped)."""
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, check=True,
                          timeout=TIMEOUT)
    return int(done.stdout)


@pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to watch the child's files")
@pytest.mark.parametrize("kind", ["anonymous", "named"])
def test_killed_with_the_report_written_but_not_renamed_leaves_no_report(kind, tmp_path, home, novel):
    original, output = novel
    out = tmp_path / "out"
    out.mkdir()
    if kind == "anonymous" and not atomic.leaves_nothing_when_killed(out):
        pytest.skip("this filesystem has no anonymous files (O_TMPFILE); the named case covers it")
    (out / "report.pdf").write_bytes(b"%PDF-1.7 the earlier exhibit\n%%EOF\n")
    earlier = (out / "report.pdf").read_bytes()
    # Files that look like memdiff's temporaries but are not its to remove.
    dead = _dead_pid()
    decoys = {
        ".report.pdf.k3j9x0qa.part": b"an older memdiff's mkstemp name",
        f"report.pdf.memdiff-{dead}-0123abcd.part": b"no leading dot",
        f".report.pdf.memdiff-{os.getpid()}-0123abcd.part": b"a live process's",
        f".report.pdf.memdiff-{dead}-0123abcd.part.txt": b"another suffix",
    }
    for name, body in decoys.items():
        (out / name).write_bytes(body)
    (out / f".folder.memdiff-{dead}-0123abcd.part").mkdir()
    flag = tmp_path / "paused"
    process = subprocess.Popen(
        [sys.executable, "-c", _PAUSE_BEFORE_RENAME, kind, "compare", str(original), str(output),
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
    # The earlier exhibit is untouched, and the new one exists under no name of its own.
    assert (out / "report.pdf").read_bytes() == earlier
    assert "report.json" not in _listing(out)  # the pair is renamed only once both are complete
    left = sorted(set(_temporaries(out)) - set(decoys) - {f".folder.memdiff-{dead}-0123abcd.part"})
    if kind == "anonymous":
        assert "(deleted)" in flag.read_text()  # the report was being written into a file without a name
        assert left == [], f"SIGKILL left {left}"
    else:
        # Nothing can clean up after SIGKILL itself: the named temporaries stay, recognisably memdiff's ...
        assert Path(flag.read_text()).name in left
        assert all(name.startswith((".report.pdf.memdiff-", ".report.json.memdiff-")) for name in left), left
        assert all(name.split("-")[1] == str(process.pid) for name in left), left
    # ... until the next write into the folder, which removes them and nothing else.
    done = run_memdiff(["compare", str(original), str(output), "--json", str(out / "result.json")], home)
    assert done.returncode == 0, done.stderr
    assert sorted(_listing(out)) == sorted(
        ["report.pdf", "result.json", f".folder.memdiff-{dead}-0123abcd.part", *decoys])
    assert (out / "report.pdf").read_bytes() == earlier
    for name, body in decoys.items():
        assert (out / name).read_bytes() == body


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
        assert set(names) - {"report.pdf", "report.json"} == set(_temporaries(folder)), names
        stray_after_kill += _temporaries(folder)
        if atomic.leaves_nothing_when_killed(folder):
            # The anonymous file leaves nothing; only a kill in the instant between naming it and
            # renaming it could leave a name, and the next write would remove it.
            assert len(stray_after_kill) <= 1, stray_after_kill
    assert all(name.startswith((".report.pdf.memdiff-", ".report.json.memdiff-")) for name in stray_after_kill)


# --------------------------------------------------------------------------- the temporary files themselves


def test_a_write_removes_abandoned_temporaries_and_nothing_else(tmp_path):
    """Whether a temporary is abandoned is decided by its lock and its process, never by its name alone."""
    import fcntl

    dead = _dead_pid()
    abandoned = [f".result.json.memdiff-{dead}-0a1b2c3d.part", f".other.pdf.memdiff-{dead}-ffffffff.part"]
    for name in abandoned:
        (tmp_path / name).write_bytes(b"half a file")
    kept = {
        # Named after a dead process, but locked: its writer is alive (a process id from another machine).
        f".locked.json.memdiff-{dead}-00000000.part": b"in use",
        # Its process is alive (this one).
        f".mine.json.memdiff-{os.getpid()}-00000000.part": b"in use",
        # Not memdiff's pattern.
        f".result.json.memdiff-{dead}-0a1b2c3.part": b"seven digits",
        f".result.json.memdiff-{dead}-0A1B2C3D.part": b"upper case",
        f".result.json.memdiff-x{dead}-0a1b2c3d.part": b"not a process id",
        "result.json.part": b"someone else's",
        "notes.txt": b"evidence",
    }
    for name, body in kept.items():
        (tmp_path / name).write_bytes(body)
    (tmp_path / "link").mkdir()
    (tmp_path / f".link.memdiff-{dead}-12345678.part").symlink_to(tmp_path / "notes.txt")
    kept_links = [f".link.memdiff-{dead}-12345678.part", "link"]
    with open(tmp_path / f".locked.json.memdiff-{dead}-00000000.part", "rb") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)
        atomic.write_text(tmp_path / "result.json", "{}\n")
    assert sorted(_listing(tmp_path)) == sorted(["result.json", *kept, *kept_links])
    for name, body in kept.items():
        assert (tmp_path / name).read_bytes() == body
    assert (tmp_path / "notes.txt").read_bytes() == b"evidence"
    # Unlocked now, with its process still gone: the next write removes it.
    assert atomic.remove_abandoned_temporaries(tmp_path) == [f".locked.json.memdiff-{dead}-00000000.part"]


@pytest.mark.parametrize("kind", ["anonymous", "named"])
def test_a_written_file_has_the_permissions_of_a_new_file(kind, tmp_path, monkeypatch):
    if kind == "named":
        monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    elif not atomic.leaves_nothing_when_killed(tmp_path):
        pytest.skip("no anonymous files here")

    def write_under(umask: int, text: str) -> None:
        before = os.umask(umask)
        try:
            atomic.write_text(tmp_path / "result.json", text)
        finally:
            os.umask(before)

    write_under(0o027, "{}\n")
    assert (tmp_path / "result.json").stat().st_mode & 0o777 == 0o640
    assert _listing(tmp_path) == ["result.json"]
    write_under(0o022, "[]\n")
    assert (tmp_path / "result.json").stat().st_mode & 0o777 == 0o644
    assert (tmp_path / "result.json").read_text() == "[]\n"


def test_a_refused_link_falls_back_on_a_named_copy(tmp_path, monkeypatch):
    """A sandbox may forbid linking the anonymous file into place: the bytes are copied, and still arrive whole."""
    if not atomic.leaves_nothing_when_killed(tmp_path):
        pytest.skip("no anonymous files here")

    def refuse(*args, **kwargs):
        raise PermissionError(errno.EPERM, os.strerror(errno.EPERM))

    monkeypatch.setattr(atomic.os, "link", refuse)
    body = bytes(range(256)) * 20_000  # several chunks of the copy
    atomic.write_bytes(tmp_path / "exhibit.pdf", body)
    assert (tmp_path / "exhibit.pdf").read_bytes() == body
    assert _listing(tmp_path) == ["exhibit.pdf"]


def test_a_very_long_name_still_gets_a_temporary_beside_it(tmp_path, monkeypatch):
    monkeypatch.delattr(os, "O_TMPFILE", raising=False)
    target = tmp_path / ("é" * 120 + ".json")  # 245 bytes: the longest names file systems allow are 255
    atomic.write_text(target, "{}\n")
    assert target.read_text() == "{}\n"
    assert _listing(tmp_path) == [target.name]


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

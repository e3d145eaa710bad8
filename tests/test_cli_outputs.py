"""What `compare` writes, and what it refuses to write: never an input, never a device, all outputs or none.

Each test here reproduces a defect a reviewer found (numbers from their
report): the JSON beside a report named like the report (3), the prompt file
as an output (4), a file left by Ctrl+C or SIGTERM (5), a folder holding the
original and earlier exhibits (6), a device or link as the target (7), the
JSON's shape (13), passwords in the exhibit and the log (2, 8) and an
unwritable destination found only after the work (15).
"""

from __future__ import annotations

import json
import os
import signal
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from cli_support import one_sentence
from fixtures_docs import encrypted_pdf, text_pdf
from prose import AUSTEN, COPY, UNRELATED
from pypdf import PdfReader

from memdiff import atomic, cli
from memdiff.cli import main, without_passwords
from memdiff.errors import OutputError


def _report_text(path: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(path).pages)


# --------------------------------------------------------------------------- 2, 8: secrets and the log


@pytest.mark.parametrize(
    ("argv", "shown"),
    [
        (["--password", "s3cr3t", "a.pdf"], ["--password", "[withheld]", "a.pdf"]),
        (["--password=s3cr3t"], ["--password=[withheld]"]),
        (["--suspect-password", "s3cr3t"], ["--suspect-password", "[withheld]"]),
        (["--suspect-password=s3cr3t"], ["--suspect-password=[withheld]"]),
        (["--pass", "s3cr3t"], ["--pass", "[withheld]"]),  # argparse takes unambiguous abbreviations
        (["--suspect-p=s3cr3t"], ["--suspect-p=[withheld]"]),
        (["--page-size", "a4", "--prompt-file", "p.txt"], ["--page-size", "a4", "--prompt-file", "p.txt"]),
        (["--", "--password", "file"], ["--", "--password", "file"]),  # after "--" they are file names
    ],
)
def test_passwords_are_withheld_from_the_command_line_shown(argv, shown):
    assert without_passwords(argv) == shown


def test_the_password_is_not_printed_in_the_report(tmp_path, write):
    original = write("novel.pdf", encrypted_pdf(text_pdf([AUSTEN.split("\n\n")[:3]]), user="hunter2-pw",
                                                  owner="owner-pw", aes=True))
    suspect = write("output.txt", COPY)
    report = tmp_path / "exhibit.pdf"
    assert main(["compare", str(original), str(suspect), "--password", "hunter2-pw", "--report", str(report)]) == 0
    text = _report_text(report)
    assert "--password" in text and "[withheld]" in text  # the command is there, its secret is not
    assert "hunter2-pw" not in text
    assert b"hunter2-pw" not in report.read_bytes()


@pytest.fixture
def failing_compare(monkeypatch, tmp_path):
    """An internal error in the middle of compare, with the log in tmp_path."""
    log = tmp_path / "state" / "memdiff.log"
    monkeypatch.setattr(cli, "log_path", lambda: log)

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(cli, "_compare_one", broken)
    return log


def test_the_log_withholds_passwords_and_is_private(case, failing_compare, capsys):
    original, suspect = case
    failing_compare.parent.mkdir()
    failing_compare.write_text("an earlier entry\n", encoding="utf-8")
    failing_compare.chmod(0o644)  # as earlier versions made it
    assert main(["compare", str(original), str(suspect), "--suspect-password=hunter2-pw"]) == 1
    assert str(failing_compare) in capsys.readouterr().err
    logged = failing_compare.read_text(encoding="utf-8")
    assert logged.startswith("an earlier entry\n")
    assert "--suspect-password=[withheld]" in logged and "RuntimeError: a bug" in logged
    assert "hunter2-pw" not in logged
    if os.name != "nt":
        assert stat.S_IMODE(failing_compare.stat().st_mode) == 0o600


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="needs a file system that takes any bytes as a name")
def test_a_file_name_that_is_not_utf8_is_logged_not_a_crash(tmp_path, failing_compare, capsys):
    original = tmp_path / "caf\udce9.txt"  # the byte 0xE9 alone: Latin-1, not UTF-8
    original.write_text(AUSTEN, encoding="utf-8")
    suspect = tmp_path / "output.txt"
    suspect.write_text(COPY, encoding="utf-8")
    assert main(["compare", str(original), str(suspect)]) == 1
    assert f"the details are in {failing_compare}" in capsys.readouterr().err
    assert "caf\\xe9.txt" in failing_compare.read_text(encoding="utf-8")


def test_the_command_shown_holds_no_password_and_no_unprintable_name():
    from memdiff.cli import shown_command

    shown = shown_command(["compare", "caf\udce9.txt", "out.txt", "--password", "hunter2-pw"])
    assert shown == ["memdiff", "compare", "caf\\xe9.txt", "out.txt", "--password", "[withheld]"]
    assert all(token.encode("utf-8") for token in shown)  # every token can be written into a PDF or a log


# --------------------------------------------------------------------------- 3: a report and its JSON in one file


def test_a_report_named_json_is_refused_before_any_work(case, tmp_path, capsys, no_comparison):
    original, suspect = case
    assert main(["compare", str(original), str(suspect), "--report", str(tmp_path / "exhibit.json")]) == 2
    err = one_sentence(capsys.readouterr().err)
    assert "exhibit.json" in err and "ending in .pdf" in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["original.txt", "output.txt"]


def test_json_naming_the_reports_own_json_is_written_once_with_the_same_content(case, tmp_path):
    original, suspect = case
    report, beside = tmp_path / "r.pdf", tmp_path / "r.json"
    assert main(["compare", str(original), str(suspect), "--report", str(report), "--json", str(beside)]) == 0
    assert json.loads(beside.read_text(encoding="utf-8"))["schema"] == "memdiff/comparison@1"
    assert report.read_bytes().startswith(b"%PDF-")


def test_two_outputs_in_one_file_are_refused(case, tmp_path, capsys, no_comparison):
    original, suspect = case
    target = tmp_path / "same.pdf"
    assert main(["compare", str(original), str(suspect), "--report", str(target), "--json", str(target)]) == 2
    err = one_sentence(capsys.readouterr().err)
    assert "--json and --report would both write" in err
    assert not target.exists()


# --------------------------------------------------------------------------- 4: the prompt file is an input


def test_the_prompt_file_is_never_overwritten(case, write, capsys, no_comparison):
    original, suspect = case
    prompt = write("prompt.txt", "Recite the first chapter.")
    assert main(["compare", str(original), str(suspect), "--json", str(prompt), "--prompt-file", str(prompt)]) == 2
    assert "prompt.txt is one of the inputs" in one_sentence(capsys.readouterr().err)
    assert prompt.read_text(encoding="utf-8") == "Recite the first chapter."


def test_a_missing_prompt_file_is_reported_before_any_comparison(case, tmp_path, capsys, no_comparison):
    original, suspect = case
    assert main(["compare", str(original), str(suspect), "--report", str(tmp_path / "r.pdf"),
                 "--prompt-file", str(tmp_path / "prompt.txt")]) == 2
    assert "prompt.txt does not exist" in one_sentence(capsys.readouterr().err)


# --------------------------------------------------------------------------- 5: all outputs or none


def test_ctrl_c_while_the_report_is_made_leaves_no_json(case, tmp_path, monkeypatch, capsys):
    """Before, the JSON was written first and stayed when the report was interrupted."""
    import memdiff.report

    original, suspect = case
    other = tmp_path / "other.txt"
    other.write_text(UNRELATED, encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(memdiff.report, "write_batch_report", interrupted)
    result, report = tmp_path / "b.json", tmp_path / "b.pdf"
    code = main(["compare", str(original), str(suspect), str(other), "--json", str(result),
                 "--batch-report", str(tmp_path / "exhibit.pdf")])
    assert code == 130
    assert "interrupted; nothing was written" in capsys.readouterr().err
    assert not result.exists() and not report.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["original.txt", "other.txt", "output.txt"]


def test_an_interrupt_during_the_renames_comes_after_all_are_in_place(case, tmp_path, monkeypatch):
    original, suspect = case
    real_replace = atomic.os.replace
    ours = {"exhibit.json", "exhibit.pdf", "result.json"}
    replaced = []

    def replace_and_interrupt(source, target):
        if Path(target).name not in ours:  # the word-frequency cache, written along the way
            return real_replace(source, target)
        if not replaced:
            os.kill(os.getpid(), signal.SIGINT)  # Ctrl+C just as the first file is renamed
        real_replace(source, target)
        replaced.append(Path(target).name)

    monkeypatch.setattr(atomic.os, "replace", replace_and_interrupt)
    code = main(["compare", str(original), str(suspect), "--json", str(tmp_path / "result.json"),
                 "--report", str(tmp_path / "exhibit.pdf")])
    assert sorted(replaced) == ["exhibit.json", "exhibit.pdf", "result.json"]
    assert code == 0  # every file is in place: the run is complete
    assert json.loads((tmp_path / "result.json").read_text(encoding="utf-8"))["schema"] == "memdiff/comparison@1"


_TERMINATED_WHILE_REPORTING = r"""
import os, signal, sys
import memdiff.report
def terminated(*args, **kwargs):
    os.kill(os.getpid(), signal.SIGTERM)
    raise AssertionError("SIGTERM did not stop the report")
memdiff.report.write_batch_report = terminated
from memdiff.cli import run
run(sys.argv[1:])
"""


@pytest.mark.skipif(os.name == "nt", reason="SIGTERM is POSIX")
def test_sigterm_while_the_report_is_made_leaves_nothing(case, write, tmp_path):
    original, suspect = case
    other = write("other.txt", UNRELATED)
    out = tmp_path / "out"
    out.mkdir()
    done = subprocess.run(
        [sys.executable, "-c", _TERMINATED_WHILE_REPORTING, "compare", str(original), str(suspect), str(other),
         "--json", str(out / "b.json"), "--batch-report", str(out / "b.pdf")],
        capture_output=True, timeout=120,
    )
    assert done.returncode == 128 + signal.SIGTERM, done.stderr
    assert one_sentence(done.stderr.decode()) == "memdiff: interrupted; nothing was written."
    assert list(out.iterdir()) == []


def test_written_together_changes_nothing_when_the_block_fails(tmp_path):
    (tmp_path / "a.json").write_text("old", encoding="utf-8")
    with pytest.raises(KeyboardInterrupt):
        with atomic.written_together() as together:
            atomic.write_text(tmp_path / "a.json", "new")
            atomic.write_text(tmp_path / "b.json", "new")
            raise KeyboardInterrupt
    assert not together.committed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "old"
    with atomic.written_together() as together:
        atomic.write_text(tmp_path / "a.json", "new")
        atomic.write_text(tmp_path / "b.json", "new")
        assert (tmp_path / "a.json").read_text(encoding="utf-8") == "old"  # nothing until the block ends
    assert together.committed
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json", "b.json"]
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "new"


def test_a_missing_or_blocked_folder_is_said_by_every_writer(tmp_path):
    """The window's export and the command line write through atomic; both say what is wrong with the folder."""
    (tmp_path / "a-file").write_text("kept", encoding="utf-8")
    for folder, what in ((tmp_path / "absent", "does not exist"), (tmp_path / "a-file", "is a file, not a folder")):
        with pytest.raises(OutputError) as caught:
            atomic.write_text(folder / "r.json", "{}")
        assert str(caught.value) == (
            f"Cannot write {folder / 'r.json'}: the folder {folder} {what}; create the folder or choose another."
        )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file"]
    assert (tmp_path / "a-file").read_text(encoding="utf-8") == "kept"


def test_one_file_alone_is_a_group_of_one(tmp_path, monkeypatch):
    """Outside written_together a write still takes its place whole, with interrupts held for its rename."""
    held = []
    real = atomic._interrupts_held

    def watched():
        held.append(True)
        return real()

    monkeypatch.setattr(atomic, "_interrupts_held", watched)
    atomic.write_text(tmp_path / "a.json", "new")
    assert held == [True]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]
    with pytest.raises(RuntimeError), atomic.atomic_output(tmp_path / "a.json") as handle:
        handle.write(b"half")
        raise RuntimeError("stopped")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.json"]
    assert (tmp_path / "a.json").read_text(encoding="utf-8") == "new"


# --------------------------------------------------------------------------- 6, 15: what a folder of outputs holds


@pytest.fixture
def case_folder(tmp_path):
    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "novel.txt").write_text(AUSTEN, encoding="utf-8")
    (folder / "answer-1.txt").write_text(COPY, encoding="utf-8")
    (folder / "answer-2.txt").write_text(UNRELATED, encoding="utf-8")
    for junk in (".DS_Store", "Thumbs.db", "desktop.ini", "~$draft.docx"):
        (folder / junk).write_bytes(b"\0\1junk")
    (folder / "older").mkdir()
    return folder


def test_a_case_folder_compares_only_the_outputs_run_after_run(case_folder, capsys):
    argv = ["compare", str(case_folder / "novel.txt"), str(case_folder), "--batch-report",
            str(case_folder / "exhibit.pdf")]
    assert main(argv) == 0
    err = capsys.readouterr().err
    assert "left out of" in err and "novel.txt (the original)" in err
    assert ".DS_Store, Thumbs.db, desktop.ini, ~$draft.docx (hidden or system files)" in err
    assert "older (not files; folders inside are not searched)" in err
    first = json.loads((case_folder / "exhibit.json").read_text(encoding="utf-8"))
    assert [c["suspect"]["name"] for c in first["comparisons"]] == ["answer-1.txt", "answer-2.txt"]
    # The second run does not compare (or refuse) the exhibit the first one wrote.
    assert main(argv) == 0
    assert "exhibit.json, exhibit.pdf (this run's own outputs)" in capsys.readouterr().err
    second = json.loads((case_folder / "exhibit.json").read_text(encoding="utf-8"))
    assert [c["suspect"]["name"] for c in second["comparisons"]] == ["answer-1.txt", "answer-2.txt"]


def test_a_stray_file_in_the_folder_is_named_before_any_comparison(case_folder, tmp_path, capsys, no_comparison):
    from PIL import Image

    Image.new("RGB", (32, 32), "red").save(case_folder / "screenshot.png")
    assert main(["compare", str(case_folder / "novel.txt"), str(case_folder), "--json",
                 str(tmp_path / "b.json")]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[0].startswith("memdiff: left out of")
    message = one_sentence(err[1])
    assert "screenshot.png is an image" in message and f"is in the folder {case_folder}" in message
    assert not (tmp_path / "b.json").exists()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="needs a folder no file can be created in")
def test_an_unwritable_destination_is_found_before_any_comparison(case, capsys, no_comparison):
    original, suspect = case
    assert main(["compare", str(original), str(suspect), "--json", "/proc/memdiff-result.json"]) == 2
    assert "Cannot write /proc/memdiff-result.json" in one_sentence(capsys.readouterr().err)


# --------------------------------------------------------------------------- 7: devices, pipes, folders and links


@pytest.fixture
def device(tmp_path) -> Path:
    """A character device of our own (the null device's numbers), so that a regression replaces no system file."""
    node = tmp_path / "null-device"
    try:
        os.mknod(node, stat.S_IFCHR | 0o666, os.makedev(1, 3))
    except (AttributeError, OSError) as err:
        pytest.skip(f"cannot make a device node here ({err})")
    return node


def test_a_device_is_never_replaced(case, device, capsys, no_comparison):
    original, suspect = case
    assert main(["compare", str(original), str(suspect), "--json", str(device)]) == 2
    err = one_sentence(capsys.readouterr().err)
    assert f"{device}: it is a device, not a regular file" in err and "--json -" in err
    assert stat.S_ISCHR(os.stat(device).st_mode)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX named pipes")
def test_a_named_pipe_or_a_folder_is_refused(case, tmp_path, capsys, no_comparison):
    original, suspect = case
    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    assert main(["compare", str(original), str(suspect), "--json", str(pipe)]) == 2
    assert "it is a pipe" in one_sentence(capsys.readouterr().err)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)
    folder = tmp_path / "folder.pdf"
    folder.mkdir()
    assert main(["compare", str(original), str(suspect), "--report", str(folder)]) == 2
    assert "it is a folder" in one_sentence(capsys.readouterr().err)


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_link_to_a_file_is_written_through_and_a_dangling_one_refused(case, tmp_path, capsys):
    original, suspect = case
    exhibits = tmp_path / "exhibits"
    exhibits.mkdir()
    (exhibits / "result.json").write_text("old", encoding="utf-8")
    link = tmp_path / "latest.json"
    link.symlink_to(exhibits / "result.json")
    assert main(["compare", str(original), str(suspect), "--json", str(link)]) == 0
    assert link.is_symlink()
    assert json.loads((exhibits / "result.json").read_text(encoding="utf-8"))["schema"] == "memdiff/comparison@1"
    assert [p.name for p in exhibits.iterdir()] == ["result.json"]
    dangling = tmp_path / "dangling.json"
    dangling.symlink_to(tmp_path / "nowhere.json")
    assert main(["compare", str(original), str(suspect), "--json", str(dangling)]) == 2
    assert "is a symbolic link to" in one_sentence(capsys.readouterr().err)
    assert not (tmp_path / "nowhere.json").exists()


def test_atomic_output_itself_refuses_a_device(device):
    with pytest.raises(OutputError, match="not a regular file"):
        atomic.write_text(device, "x")
    assert stat.S_ISCHR(os.stat(device).st_mode)


# --------------------------------------------------------------------------- 13: the JSON's shape


def test_a_folder_always_gives_the_batch_shape(case, tmp_path, capsys):
    original, suspect = case
    folder = tmp_path / "answers"
    folder.mkdir()
    (folder / "only.txt").write_text(COPY, encoding="utf-8")
    assert main(["compare", str(original), str(folder), "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["schema"] == "memdiff/batch@1"
    assert main(["compare", str(original), str(suspect), "--json", "-", "--batch-report",
                 str(tmp_path / "b.pdf")]) == 0
    from_json = json.loads(capsys.readouterr().out)
    assert from_json["schema"] == "memdiff/batch@1"
    beside = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert beside["schema"] == from_json["schema"]
    assert main(["compare", str(original), str(suspect), "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["schema"] == "memdiff/comparison@1"


def test_the_shown_command_escapes_what_would_break_its_line():
    from memdiff.cli import shown_command

    shown = shown_command(["compare", "novel.txt", "chat\nanswer.txt", "--password", "s3cret", "odd\udcffname.txt"])
    assert shown == ["memdiff", "compare", "novel.txt", "chat\\x0aanswer.txt", "--password", "[withheld]", "odd\\xffname.txt"]

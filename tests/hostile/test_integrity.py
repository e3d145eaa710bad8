"""Evidence integrity: after compare, report, verify, extract and a whole GUI session, the inputs are exactly as they were.

Bytes, size, modification time and permissions of every input are compared
before and after, and the inputs' folder must hold no new file. Under strace
(where it is available) the CLI is also watched at the system-call level: no
input is ever opened for writing, truncated, renamed or unlinked.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from io import BytesIO
from pathlib import Path

import pytest

from hostile_corpus import TIMEOUT, isolated_env, prose_pdf, run_memdiff

IMAGES = Path(__file__).resolve().parent.parent / "data" / "images"


def snapshot(folder: Path) -> dict[str, tuple[str, int, int, int]]:
    """Every file in ``folder``: SHA-256, size, modification time (ns) and mode."""
    out = {}
    for path in sorted(folder.iterdir()):
        stat = path.stat()
        out[path.name] = (hashlib.sha256(path.read_bytes()).hexdigest(), stat.st_size, stat.st_mtime_ns, stat.st_mode)
    return out


@pytest.fixture
def evidence(tmp_path, novel) -> dict[str, Path]:
    """Inputs as a court receives them: a PDF original and a text output; a photograph and a rescaled JPEG copy."""
    from PIL import Image

    folder = tmp_path / "evidence"
    folder.mkdir()
    (folder / "book.pdf").write_bytes(prose_pdf(pages=6))
    from memdiff import ingest

    book = ingest.load(folder / "book.pdf").text
    (folder / "answer.txt").write_text("The model said: " + book[200:1400] + " and that is all.", encoding="utf-8")
    shutil.copy(IMAGES / "camera.png", folder / "photo.png")
    copy = Image.open(IMAGES / "camera.png").convert("RGB")
    copy = copy.resize((copy.width // 2, copy.height // 2))
    buffer = BytesIO()
    copy.save(buffer, "JPEG", quality=70)
    (folder / "generated.jpg").write_bytes(buffer.getvalue())
    for path in folder.iterdir():
        path.chmod(0o444)  # as a careful examiner stores exhibits; memdiff must not need more
    return {"folder": folder, "book.pdf": folder / "book.pdf", "answer.txt": folder / "answer.txt",
            "photo.png": folder / "photo.png", "generated.jpg": folder / "generated.jpg"}


@pytest.mark.parametrize("pair", [("book.pdf", "answer.txt"), ("photo.png", "generated.jpg")], ids=["text", "image"])
def test_compare_report_verify_and_extract_leave_the_inputs_untouched(pair, evidence, tmp_path, home):
    folder = evidence["folder"]
    before = snapshot(folder)
    original, suspect = (str(evidence[name]) for name in pair)
    out = tmp_path / "out"
    out.mkdir()
    done = run_memdiff(["compare", original, suspect, "--json", str(out / "result.json"),
                        "--report", str(out / "report.pdf")], home)
    assert done.returncode == 0, done.stderr
    verified = run_memdiff(["verify", str(out / "report.pdf"), original, suspect], home)
    assert verified.returncode == 0, verified.stdout + verified.stderr
    if pair[0].endswith(".pdf"):
        extracted = run_memdiff(["extract", original], home)
        assert extracted.returncode == 0 and extracted.stdout.strip()
    assert snapshot(folder) == before
    result = json.loads((out / "result.json").read_text(encoding="utf-8"))
    assert result["original"]["sha256"] == before[pair[0]][0]
    assert result["suspect"]["sha256"] == before[pair[1]][0]


def test_outputs_written_beside_the_inputs_add_files_and_change_none(evidence, home):
    folder = evidence["folder"]
    folder.chmod(0o755)
    before = snapshot(folder)
    done = run_memdiff(["compare", str(evidence["book.pdf"]), str(evidence["answer.txt"]),
                        "--report", str(folder / "exhibit.pdf"), "--json", str(folder / "result.json")], home)
    assert done.returncode == 0, done.stderr
    after = snapshot(folder)
    assert {k: v for k, v in after.items() if k in before} == before
    assert sorted(set(after) - set(before)) == ["exhibit.json", "exhibit.pdf", "result.json"]


_WRITE_FLAGS = re.compile(r"O_WRONLY|O_RDWR|O_TRUNC|O_CREAT|O_APPEND")


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_no_input_is_ever_opened_for_writing_renamed_or_removed(evidence, tmp_path, home):
    trace = tmp_path / "trace"
    out = tmp_path / "out"
    out.mkdir()
    inputs = [str(evidence["book.pdf"]), str(evidence["answer.txt"])]
    done = subprocess.run(
        ["strace", "-f", "-qq", "-e", "trace=open,openat,creat,truncate,rename,renameat,renameat2,unlink,unlinkat,"
         "chmod,fchmodat,utimensat", "-o", str(trace),
         sys.executable, "-m", "memdiff", "compare", *inputs, "--report", str(out / "report.pdf")],
        capture_output=True, timeout=TIMEOUT, env=isolated_env(home), cwd=home,
    )
    if done.returncode != 0 and b"ptrace" in done.stderr:
        pytest.skip("ptrace is not permitted here")
    assert done.returncode == 0, done.stderr
    calls = trace.read_text(errors="replace").splitlines()
    touching = [line for line in calls if any(f'"{p}"' in line for p in inputs)]
    assert any("O_RDONLY" in line for line in touching), "the inputs were not seen being read"
    for line in touching:
        assert "open" in line and not _WRITE_FLAGS.search(line), line


@pytest.mark.parametrize("pair", [("book.pdf", "answer.txt"), ("photo.png", "generated.jpg")], ids=["text", "image"])
def test_a_gui_session_leaves_the_inputs_untouched(pair, evidence, tmp_path, gui_window, gui_wait):
    from gui_session import run_session

    folder = evidence["folder"]
    before = snapshot(folder)
    out = tmp_path / "gui-out"
    out.mkdir()
    result = run_session(gui_window, evidence[pair[0]], evidence[pair[1]], out, gui_wait)
    assert result["pdf"].is_file() and result["case"].is_file()
    assert result["reopened"].findings_digest() == result["comparison"].findings_digest()
    assert [m[0] for m in result["messages"]] == ["question"]  # only the offer to open the report
    gui_window.close()
    assert snapshot(folder) == before
    case = json.loads(result["case"].read_text(encoding="utf-8"))
    assert case["original"]["sha256"] == before[pair[0]][0]
    assert case["suspect"]["sha256"] == before[pair[1]][0]

"""Offline: compare, report, verify, extract and the GUI all work with every socket creation made to fail.

Three layers: (1) the CLI in a subprocess whose Python ``socket`` module
raises on any socket, connection or name lookup; (2) the GUI in this process
with the same functions monkeypatched; (3) where strace exists, the CLI and a
whole GUI session in subprocesses watched at the system-call level, where
native code (Qt, OpenCV, qpdf) would show too: no socket() call at all. And
where network namespaces are allowed, the CLI runs with no network at all.
"""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from hostile_corpus import TIMEOUT, isolated_env, prose_pdf

HERE = Path(__file__).resolve().parent

# Runs memdiff's CLI with Python's socket module disabled; any attempt raises (and is named on stderr).
_NO_SOCKETS = r"""
import socket, sys
def refuse(*args, **kwargs):
    sys.stderr.write("NETWORK ATTEMPT\n")
    raise OSError("network access is forbidden in this test")
class NoSocket(socket.socket):
    def __init__(self, *args, **kwargs):
        refuse()
socket.socket = NoSocket
socket.create_connection = refuse
socket.getaddrinfo = refuse
socket.gethostbyname = refuse
socket.socketpair = refuse
from memdiff.cli import main
sys.exit(main(sys.argv[1:]))
"""


@pytest.fixture
def case(tmp_path) -> dict[str, Path]:
    from memdiff import ingest

    folder = tmp_path / "case"
    folder.mkdir()
    (folder / "book.pdf").write_bytes(prose_pdf(pages=3))
    book = ingest.load(folder / "book.pdf").text
    (folder / "answer.txt").write_text("Quoted: " + book[100:900], encoding="utf-8")
    return {"book": folder / "book.pdf", "answer": folder / "answer.txt", "out": tmp_path}


def _offline(args: list[str], home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", _NO_SOCKETS, *args], capture_output=True, text=True,
                          timeout=TIMEOUT, env=isolated_env(home), cwd=home)


def test_the_wrapper_really_blocks_sockets(home):
    """The guard itself works: a socket made under it fails (else the tests below would prove nothing)."""
    probe = _NO_SOCKETS.replace("from memdiff.cli import main\nsys.exit(main(sys.argv[1:]))",
                                "import socket\nsocket.socket()")
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=TIMEOUT,
                          env=isolated_env(home))
    assert done.returncode != 0 and "NETWORK ATTEMPT" in done.stderr


def test_compare_report_verify_and_extract_work_without_sockets(case, home):
    report = case["out"] / "report.pdf"
    steps = [
        ["compare", str(case["book"]), str(case["answer"]), "--json", str(case["out"] / "r.json"), "--report",
         str(report)],
        ["verify", str(report), str(case["book"]), str(case["answer"])],
        ["extract", str(case["book"])],
        ["compare", str(case["book"]), str(case["answer"])],
    ]
    for args in steps:
        done = _offline(args, home)
        assert done.returncode == 0, (args[0], done.stderr)
        assert "NETWORK ATTEMPT" not in done.stderr
    assert json.loads((case["out"] / "r.json").read_text(encoding="utf-8"))["spans"]


def test_the_gui_works_without_sockets(case, monkeypatch, gui_window, gui_wait):
    from gui_session import run_session

    attempts = []

    def refuse(*args, **kwargs):
        attempts.append(args)
        raise OSError("network access is forbidden in this test")

    class NoSocket(socket.socket):
        def __init__(self, *args, **kwargs):
            refuse(*args)

    monkeypatch.setattr(socket, "socket", NoSocket)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "socketpair"):
        monkeypatch.setattr(socket, name, refuse)
    out = case["out"] / "gui"
    out.mkdir()
    result = run_session(gui_window, case["book"], case["answer"], out, gui_wait)
    assert result["comparison"].spans and result["pdf"].is_file()
    assert attempts == []


_NETWORK_CALLS = "trace=socket,connect,bind,sendto,sendmsg,listen,accept,accept4"


def _strace(command: list[str], trace: Path, home: Path) -> subprocess.CompletedProcess[bytes]:
    done = subprocess.run(["strace", "-f", "-qq", "-e", _NETWORK_CALLS, "-o", str(trace), *command],
                          capture_output=True, timeout=TIMEOUT, env=isolated_env(home), cwd=home)
    if done.returncode != 0 and b"ptrace" in done.stderr:
        pytest.skip("ptrace is not permitted here")
    return done


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_no_socket_system_call_from_the_cli(case, home):
    trace = case["out"] / "cli.trace"
    done = _strace([sys.executable, "-m", "memdiff", "compare", str(case["book"]), str(case["answer"]),
                    "--report", str(case["out"] / "report.pdf")], trace, home)
    assert done.returncode == 0, done.stderr
    assert trace.read_text(errors="replace").strip() == ""


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_no_socket_system_call_from_a_gui_session(case, home):
    trace = case["out"] / "gui.trace"
    out = case["out"] / "gui"
    out.mkdir()
    done = _strace([sys.executable, str(HERE / "gui_session.py"), str(case["book"]), str(case["answer"]), str(out)],
                   trace, home)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.decode())["findings_sha256"]
    calls = trace.read_text(errors="replace").strip()
    assert calls == "", f"network-family system calls:\n{calls[:2000]}"


@pytest.mark.skipif(shutil.which("unshare") is None, reason="unshare is not installed")
def test_compare_and_report_in_a_namespace_without_network(case, home):
    probe = subprocess.run(["unshare", "--net", "true"], capture_output=True)
    if probe.returncode != 0:
        pytest.skip("network namespaces are not allowed here")
    done = subprocess.run(["unshare", "--net", sys.executable, "-m", "memdiff", "compare", str(case["book"]),
                           str(case["answer"]), "--report", str(case["out"] / "netless.pdf")],
                          capture_output=True, text=True, timeout=TIMEOUT, env=isolated_env(home), cwd=home)
    assert done.returncode == 0, done.stderr
    assert (case["out"] / "netless.pdf").is_file()

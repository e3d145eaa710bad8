"""Fixtures for the hostile-input tests: a private home for each memdiff subprocess and sound inputs to pair bad ones with."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from hostile_corpus import PROSE, image_bytes

TEXTS = Path(__file__).resolve().parent.parent / "data" / "texts"
IMAGES = Path(__file__).resolve().parent.parent / "data" / "images"


@pytest.fixture
def home(tmp_path) -> Path:
    """A folder that is the subprocess's HOME, working folder and XDG base: logs land here, never in the real home."""
    folder = tmp_path / "home"
    folder.mkdir()
    return folder


@pytest.fixture
def good_text(tmp_path) -> Path:
    path = tmp_path / "original.txt"
    path.write_text(PROSE * 4, encoding="utf-8")
    return path


@pytest.fixture
def good_image(tmp_path) -> Path:
    path = tmp_path / "original.png"
    path.write_bytes(image_bytes("PNG", size=(64, 48)))
    return path


@pytest.fixture(scope="session")
def novel(tmp_path_factory) -> tuple[Path, Path]:
    """A real case: three public-domain English texts as the original, 60 quoted passages with filler as the output."""
    import random

    folder = tmp_path_factory.mktemp("novel")
    original = folder / "novel.txt"
    original.write_text("\n\n".join(p.read_text(encoding="utf-8") for p in sorted(TEXTS.glob("en-*.txt"))),
                        encoding="utf-8")
    words = original.read_text(encoding="utf-8").split()
    rng = random.Random(1)
    parts = []
    for _ in range(60):
        start = rng.randrange(0, len(words) - 150)
        parts.append(" ".join(words[start : start + 100]))
        parts.append("Here the model adds a sentence of its own between quotations.")
    output = folder / "output.txt"
    output.write_text("\n".join(parts), encoding="utf-8")
    return original, output


def can_mount_tmpfs() -> bool:
    return shutil.which("mount") is not None and os.geteuid() == 0


def _mounted_tmpfs(folder, size: str):
    """Create ``folder`` and mount a tmpfs of ``size`` on it; skip the test where that is not allowed."""
    folder.mkdir()
    if not can_mount_tmpfs():
        pytest.skip("mounting a tmpfs needs root")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode(errors='replace').strip()}")
    return folder


@pytest.fixture
def tiny_tmpfs(tmp_path):
    """A 64 KB tmpfs (a really full disk), mounted for the test and unmounted after; skipped where mounting is not allowed."""
    folder = _mounted_tmpfs(tmp_path / "tiny-disk", "64k")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def read_only_folder(tmp_path):
    """A folder on a read-only filesystem (a tmpfs remounted ro): unlike chmod, this stops root too."""
    folder = _mounted_tmpfs(tmp_path / "read-only", "256k")
    try:
        (folder / "previous.pdf").write_bytes(b"%PDF-1.7 an earlier exhibit\n%%EOF\n")
        remount = subprocess.run(["mount", "-o", "remount,ro", str(folder)], capture_output=True)
        if remount.returncode != 0:
            pytest.skip("cannot remount the tmpfs read-only")
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], capture_output=True)


@pytest.fixture
def gui_window(qtbot, qapp, tmp_path_factory):
    """The main window off-screen with private settings and recorded (never modal) messages."""
    from gui_session import isolate_settings, make_window

    isolate_settings(tmp_path_factory.mktemp("gui-settings"))
    window = make_window()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    yield window
    window.jobs.cancel_all()
    window.jobs.wait(20_000)


@pytest.fixture
def gui_wait(qtbot):
    """``wait(signal, action)``: run the action, wait for the signal, return its first argument."""

    def wait(signal, action, timeout: int = 90_000):
        with qtbot.waitSignal(signal, timeout=timeout) as blocker:
            action()
        return blocker.args[0] if blocker.args else None

    return wait

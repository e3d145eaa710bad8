"""Fixtures for the desktop application's tests: off-screen Qt, private settings, a window whose dialogs are recorded."""

from __future__ import annotations

import os

# Before Qt is imported anywhere: draw into memory, never on a screen.
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import shutil
from pathlib import Path

import pytest

import memdiff.gui  # noqa: F401  (installs the PySide6 reference-count guard before any Qt call)
from memdiff.resources import path as resource_path

from PySide6.QtCore import QCoreApplication, QSettings  # noqa: E402

SAMPLES = resource_path("samples")

from gui_support import Told  # noqa: E402


@pytest.fixture(autouse=True)
def private_settings(tmp_path_factory, qapp):
    """Every test gets its own empty settings folder: the user's real settings are never read or written."""
    folder = tmp_path_factory.mktemp("settings")
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("memdiff-tests")
    QCoreApplication.setApplicationName("memdiff-tests")
    from memdiff.gui.theme import apply_theme

    apply_theme(qapp, "light")
    yield folder
    apply_theme(qapp, "light")


@pytest.fixture
def window(qtbot):
    from memdiff.gui.main_window import MainWindow
    from memdiff.gui.settings import Settings

    w = MainWindow(Settings())
    w.told = Told()
    w.tell = w.told
    w.opened = []
    w.open_externally = lambda path: w.opened.append(Path(path)) or True
    # File choosers and questions would wait for a person: a test that needs an answer sets its own.
    w.chosen_paths = []
    w.choose_open_path = lambda title, filters: w.chosen_paths.pop(0) if w.chosen_paths else None
    w.choose_save_path = lambda title, suggested, filters: None
    w.choose_original_of = lambda files: None
    qtbot.addWidget(w)
    w.resize(1300, 850)
    w.show()
    qtbot.waitExposed(w)
    yield w
    w.jobs.cancel_all()
    w.jobs.wait(20_000)


@pytest.fixture
def samples(tmp_path) -> dict[str, Path]:
    """Copies of the bundled sample case, so tests may change them."""
    out = {}
    for key, name in (("original", "original.txt"), ("output", "model-output.txt"), ("unrelated", "unrelated-output.txt")):
        out[key] = Path(shutil.copy(SAMPLES / name, tmp_path / name))
    return out

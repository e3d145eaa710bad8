"""Starting the application the way ``memdiff gui`` and ``memdiff-gui`` do."""

from __future__ import annotations

import sys

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from memdiff.gui import app as application
from memdiff.gui import crash
from memdiff.gui.main_window import MainWindow


@pytest.fixture
def private_log(monkeypatch, tmp_path):
    monkeypatch.setattr(crash.platformdirs, "user_log_dir", lambda *a, **k: str(tmp_path / "logs"))
    previous = sys.excepthook
    yield tmp_path / "logs" / crash.LOG_NAME
    sys.excepthook = previous
    import logging

    root = logging.getLogger("memdiff")
    for handler in list(root.handlers):
        root.removeHandler(handler)
        handler.close()


def test_run_loads_both_files_compares_and_returns_the_exit_code(qtbot, samples, private_log):
    app = QApplication.instance()
    seen = {}

    def watch() -> None:
        windows = [w for w in app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or windows[0].comparison is None:
            QTimer.singleShot(50, watch)
            return
        seen["spans"] = len(windows[0].comparison.spans)
        seen["title"] = windows[0].windowTitle()
        windows[0].close()
        app.exit(0)

    QTimer.singleShot(50, watch)
    safety = QTimer()
    safety.setSingleShot(True)
    safety.timeout.connect(lambda: app.exit(3))
    safety.start(30_000)
    code = application.run(str(samples["original"]), str(samples["output"]))
    safety.stop()
    assert code == 0
    assert seen["spans"] > 0
    assert "original.txt" in seen["title"] and "model-output.txt" in seen["title"]
    # The log went to the (private) platform log folder, and the crash hook is in place.
    assert private_log.exists() and "starting" in private_log.read_text(encoding="utf-8")
    assert sys.excepthook is not sys.__excepthook__


def test_main_refuses_politely_without_a_display(monkeypatch, capsys):
    monkeypatch.setattr("memdiff.gui.preflight.display_problem", lambda: "No display found (test).")
    assert application.main([]) == 2
    assert "No display found (test)." in capsys.readouterr().err


def test_main_states_its_version(capsys):
    from memdiff import __version__

    with pytest.raises(SystemExit) as stop:
        application.main(["--version"])
    assert stop.value.code == 0
    assert __version__ in capsys.readouterr().out

"""Starting the application the way ``memdiff gui`` and ``memdiff-gui`` do, in a process of its own.

``run`` owns the event loop from start to exit, so it runs in a subprocess
(off screen, with private config and log folders) rather than inside the
test's own Qt application.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

from memdiff.gui import app as application

DRIVER = textwrap.dedent(
    """
    import json, sys
    import memdiff.gui
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QMessageBox
    from memdiff.gui import app as application
    from memdiff.gui.main_window import MainWindow

    seen = {}
    qt_app = application._application()

    def watch():
        windows = [w for w in qt_app.topLevelWidgets() if isinstance(w, MainWindow) and w.isVisible()]
        if not windows or windows[0].comparison is None:
            QTimer.singleShot(50, watch)
            return
        seen["spans"] = len(windows[0].comparison.spans)
        seen["title"] = windows[0].windowTitle()
        seen["hook"] = sys.excepthook is not sys.__excepthook__
        # The two files loaded are unsaved work: closing asks first (here answered "Don't save").
        seen["asked"] = []
        windows[0].tell = lambda level, title, text, **kw: (
            seen["asked"].append(title) or QMessageBox.StandardButton.Discard)
        windows[0].close()

    QTimer.singleShot(50, watch)
    QTimer.singleShot(30000, lambda: qt_app.exit(3))
    code = application.run(sys.argv[1], sys.argv[2])
    seen["code"] = code
    print(json.dumps(seen))
    """
)


def test_run_loads_both_files_compares_and_exits_cleanly(samples, tmp_path):
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_CONFIG_HOME=str(tmp_path / "config"),
               XDG_STATE_HOME=str(tmp_path / "state"), HOME=str(tmp_path / "home"))
    done = subprocess.run(
        [sys.executable, "-c", DRIVER, str(samples["original"]), str(samples["output"])],
        env=env, capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["code"] == 0  # closing the window ends the application normally
    assert seen["spans"] > 0
    assert "original.txt" in seen["title"] and "model-output.txt" in seen["title"]
    assert seen["hook"] is True  # uncaught errors go to the crash dialog
    assert seen["asked"] == ["Save the case?"]
    logs = list((tmp_path / "state").rglob("memdiff-gui.log"))
    assert logs and "starting" in logs[0].read_text(encoding="utf-8")
    # The window's layout was remembered in the private config folder, nowhere else.
    assert list((tmp_path / "config").rglob("*.ini"))


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

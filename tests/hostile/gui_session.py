"""A whole desktop session, driven without a person: load both sides, compare, export a report, save and reopen a case.

Used in-process by the integrity and offline tests (with pytest-qt's event
loop), and as a script (``python gui_session.py ORIGINAL SUSPECT OUT``) when a
test needs the GUI in a subprocess, e.g. under strace. Runs off-screen with
its own settings folder, so the user's settings are never touched.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import memdiff.gui  # noqa: E402,F401  (installs the PySide6 reference-count guard before any Qt call)


class Recorder:
    """Stands in for MainWindow.tell: records every message and answers with the default (no modal dialog)."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str]] = []

    def __call__(self, level, title, text, *, details=None, buttons=None, default=None, labels=None):
        self.messages.append((level, title, text))
        from PySide6.QtWidgets import QMessageBox

        if level == "question" and buttons is not None and buttons & QMessageBox.StandardButton.Discard:
            return QMessageBox.StandardButton.Discard  # unsaved work: a hostile session keeps nothing
        # "Close" for the offer to open the report: nothing is launched.
        return QMessageBox.StandardButton.Close if level == "question" else default


def isolate_settings(folder: Path) -> None:
    from PySide6.QtCore import QCoreApplication, QSettings

    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QCoreApplication.setOrganizationName("memdiff-hostile-tests")
    QCoreApplication.setApplicationName("memdiff-hostile-tests")


def make_window():
    from memdiff.gui.main_window import MainWindow
    from memdiff.gui.settings import Settings

    window = MainWindow(Settings())
    window.told = Recorder()
    window.tell = window.told
    window.opened = []
    window.open_externally = lambda path: window.opened.append(Path(path)) or True
    window.resize(1200, 800)
    return window


def run_session(window, original: Path, suspect: Path, out: Path, wait) -> dict:
    """Drive ``window`` through a session; ``wait(signal, action)`` runs ``action`` and waits for ``signal``.

    Returns what happened, for the caller to assert on.
    """
    from memdiff.gui.export_dialog import ExportRequest

    comparison = wait(window.comparisonFinished, lambda: (window.load_file("original", original),
                                                          window.load_file("suspect", suspect)))
    pdf = wait(window.exportFinished, lambda: window.start_export(
        ExportRequest(out / "gui-report.pdf", {"case_title": "Hostile v. Tests", "exhibit": "H"}, {})))
    case = window.save_case(path=out / "gui-case")
    reopened = wait(window.comparisonFinished, lambda: window.open_case(case))
    return {
        "comparison": comparison,
        "reopened": reopened,
        "pdf": Path(pdf),
        "case": case,
        "messages": list(window.told.messages),
    }


def _script(argv: list[str]) -> int:
    """Run a session in this process with a plain Qt event loop; print a JSON summary; exit 0 on success."""
    from PySide6.QtCore import QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    original, suspect, out = (Path(a) for a in argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    isolate_settings(out / "settings")
    window = make_window()
    window.show()

    def wait(signal, action, timeout_ms: int = 120_000):
        loop = QEventLoop()
        got: list = []

        def finished(*args):
            got.append(args[0] if args else None)
            loop.quit()

        signal.connect(finished)
        for failure in (window.loadFailed, window.comparisonFailed, window.exportFailed):
            failure.connect(lambda message: (got.append(RuntimeError(message)), loop.quit()))
        QTimer.singleShot(timeout_ms, loop.quit)
        action()
        if not got:
            loop.exec()
        signal.disconnect(finished)
        if not got or isinstance(got[0], BaseException):
            raise SystemExit(f"GUI session failed: {got[0] if got else 'timed out'}; told {window.told.messages}")
        return got[0]

    result = run_session(window, original, suspect, out, wait)
    window.jobs.wait(20_000)
    window.close()
    app.processEvents()
    print(json.dumps({
        "findings_sha256": result["comparison"].findings_digest(),
        "reopened_findings_sha256": result["reopened"].findings_digest(),
        "pdf": str(result["pdf"]),
        "case": str(result["case"]),
        "messages": result["messages"],
    }))
    return 0


if __name__ == "__main__":
    sys.exit(_script(sys.argv[1:]))

"""Unexpected errors: a local dialog with copyable details and the log's place; nothing is sent."""

from __future__ import annotations

import sys

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel

from memdiff.gui import crash


def test_dialog_shows_and_copies_the_details(qtbot, tmp_path):
    details = "memdiff 0.1.0\n\nTraceback (most recent call last):\nValueError: boom"
    dialog = crash.CrashDialog(details, tmp_path / "memdiff-gui.log")
    qtbot.addWidget(dialog)
    assert dialog.details.toPlainText() == details
    assert dialog.details.isReadOnly()
    qtbot.mouseClick(dialog.copy_button, Qt.MouseButton.LeftButton)
    assert QGuiApplication.clipboard().text() == details
    labels = " ".join(label.text() for label in dialog.findChildren(QLabel))
    assert str(tmp_path / "memdiff-gui.log") in labels
    assert "Nothing has been sent anywhere" in labels


def test_uncaught_exceptions_reach_the_dialog_and_the_log(qtbot, monkeypatch, caplog):
    shown: list[str] = []
    previous = sys.excepthook
    try:
        hook = crash.install_excepthook(show=shown.append)
        try:
            raise KeyError("a missing key nobody expected")
        except KeyError as err:
            hook(type(err), err, err.__traceback__)
        qtbot.waitUntil(lambda: bool(shown), timeout=3000)
    finally:
        sys.excepthook = previous
    assert "KeyError" in shown[0] and "a missing key nobody expected" in shown[0]
    assert "memdiff" in shown[0].splitlines()[0]
    assert any("uncaught exception" in record.message for record in caplog.records)


def test_logs_go_to_the_platform_log_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(crash.platformdirs, "user_log_dir", lambda *a, **k: str(tmp_path / "logs"))
    assert crash.log_file() == tmp_path / "logs" / crash.LOG_NAME

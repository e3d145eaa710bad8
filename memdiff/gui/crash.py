"""Logging to the platform's log folder, and a local dialog for errors that are bugs.

Nothing is ever sent anywhere: the dialog shows the details (copyable) and
says where the log file is, so the user can choose to pass it on.
"""

from __future__ import annotations

import logging
import logging.handlers
import platform
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from types import TracebackType

import platformdirs
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from memdiff import __version__

log = logging.getLogger("memdiff.gui")

LOG_NAME = "memdiff-gui.log"


def log_folder() -> Path:
    return Path(platformdirs.user_log_dir("memdiff", appauthor=False))


def log_file() -> Path:
    return log_folder() / LOG_NAME


def setup_logging() -> Path | None:
    """Log to a rotating file in the user's log folder; None when that folder cannot be written."""
    path = log_file()
    root = logging.getLogger("memdiff")
    if any(isinstance(h, logging.handlers.RotatingFileHandler) for h in root.handlers):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=1_000_000, backupCount=3, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    return path


def details_text(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> str:
    from PySide6 import __version__ as pyside_version

    lines = traceback.format_exception(kind, error, trace)
    return (
        f"memdiff {__version__}, Python {platform.python_version()}, PySide6 {pyside_version}, "
        f"{platform.system()} {platform.release()}\n\n" + "".join(lines)
    )


class CrashDialog(QDialog):
    """An unexpected error: what happened in one sentence, the details to copy, the log's place."""

    def __init__(self, details: str, log_path: Path | None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("memdiff – unexpected error"))
        self.setMinimumSize(640, 380)
        headline = QLabel(
            self.tr(
                "<b>Something went wrong inside memdiff.</b> This is a bug, not a problem with your files. "
                "Your inputs were not changed. You can keep working, or save your case and restart."
            )
        )
        headline.setWordWrap(True)
        where = QLabel(
            self.tr("The details below are also in the log file:<br><code>{path}</code><br>Nothing has been sent anywhere.").format(
                path=str(log_path) if log_path else self.tr("(no log file could be written)")
            )
        )
        where.setWordWrap(True)
        where.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QPlainTextEdit(details)
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.copy_button = buttons.addButton(self.tr("&Copy details"), QDialogButtonBox.ButtonRole.ActionRole)
        self.copy_button.clicked.connect(self.copy_details)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(headline)
        layout.addWidget(where)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)

    def copy_details(self) -> None:
        QGuiApplication.clipboard().setText(self.details.toPlainText())


def install_excepthook(show: Callable[[str], None] | None = None) -> Callable[..., None]:
    """Route uncaught exceptions to the log and a :class:`CrashDialog` (or ``show``) instead of stderr alone."""
    log_path = log_file()

    def show_dialog(details: str) -> None:
        parent = QApplication.activeWindow()
        dialog = CrashDialog(details, log_path if log_path.exists() else None, parent)
        dialog.setModal(True)
        dialog.show()

    shower = show or show_dialog

    def hook(kind: type[BaseException], error: BaseException, trace: TracebackType | None) -> None:
        if issubclass(kind, KeyboardInterrupt):
            sys.__excepthook__(kind, error, trace)
            return
        details = details_text(kind, error, trace)
        log.error("uncaught exception\n%s", details)
        if QApplication.instance() is None:
            sys.__excepthook__(kind, error, trace)
            return
        # Show the dialog from the event loop, not from inside whatever slot failed.
        QTimer.singleShot(0, lambda: shower(details))

    sys.excepthook = hook
    return hook

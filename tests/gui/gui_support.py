"""Helpers shared by the GUI tests (imported by name: pytest puts this folder on sys.path)."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from memdiff.resources import path as resource_path

SAMPLES = resource_path("samples")


class Told:
    """Stands in for MainWindow.tell: records each message and answers with the dialog's default."""

    def __init__(self) -> None:
        self.messages: list[tuple[str, str, str, str | None]] = []
        self.answers: list[QMessageBox.StandardButton] = []
        #: The button texts each message would have shown instead of the standard ones.
        self.labels: list[dict] = []

    def __call__(self, level, title, text, *, details=None, buttons=None, default=QMessageBox.StandardButton.Ok,
                 labels=None):
        self.messages.append((level, title, text, details))
        self.labels.append(labels or {})
        return self.answers.pop(0) if self.answers else default

    def levels(self) -> list[str]:
        return [m[0] for m in self.messages]

    def texts(self, level: str | None = None) -> list[str]:
        return [m[2] for m in self.messages if level is None or m[0] == level]


def load_both(qtbot, window, original, output, timeout=20_000):
    with qtbot.waitSignal(window.comparisonFinished, timeout=timeout) as blocker:
        window.load_file("original", original)
        window.load_file("suspect", output)
    return blocker.args[0]


"""One side of the window ("Original work" or "Model output"): its file's identity and its content.

The header states what was loaded (name, type, pages or pixel size, size on
disk and the beginning of the SHA-256, the figure a report cites); below it
sits a drop area until something is loaded, then the text pane or the picture.
Files and text can be dropped anywhere on the side.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont, QKeyEvent, QKeySequence, QPalette
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from memdiff.evidence import Document
from memdiff.gui.icons import icon
from memdiff.gui.image_view import ImageCanvas
from memdiff.gui.text_pane import TextPane

MEDIA_WORDS = {
    "application/pdf": "PDF",
    "text/plain": "Plain text",
    "text/markdown": "Markdown",
    "text/html": "HTML",
    "application/rtf": "RTF",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word document",
    "image/png": "PNG image",
    "image/jpeg": "JPEG image",
    "image/gif": "GIF image",
    "image/tiff": "TIFF image",
    "image/bmp": "BMP image",
    "image/webp": "WebP image",
}


def size_words(n: int) -> str:
    if n < 1024:
        return f"{n} bytes"
    if n < 1024**2:
        return f"{n / 1024:.1f} KB"
    return f"{n / 1024**2:.1f} MB"


def document_facts(document: Document) -> str:
    """The one-line identity of a loaded input, as the header shows it."""
    parts = [MEDIA_WORDS.get(document.media_type, document.media_type)]
    if document.kind == "text":
        if document.pages:
            parts.append(f"{document.pages:,} pages" if document.pages != 1 else "1 page")
        parts.append(f"{document.words:,} words")
    else:
        parts.append(f"{document.width:,} × {document.height:,} px")
    parts.append(size_words(document.size_bytes))
    parts.append(f"SHA-256 {document.sha256[:12]}…")
    return "  ·  ".join(parts)


def local_files(mime: QMimeData) -> list[str]:
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


class DropHint(QFrame):
    """The empty state: says what can be dropped or opened here; Ctrl+V on it pastes (output side)."""

    pasteRequested = Signal()

    def __init__(self, text: str, parent: QWidget | None = None, *, accepts_paste: bool = False) -> None:
        super().__init__(parent)
        self.accepts_paste = accepts_paste
        self.setObjectName("dropHint")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.label = QLabel(text)
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        layout.addWidget(self.label)
        layout.addStretch(1)

    def event(self, event: QEvent) -> bool:
        # Claim Ctrl+V before the window's shortcuts do, so the paste lands on this (empty) side.
        if (
            self.accepts_paste
            and event.type() == QEvent.Type.ShortcutOverride
            and isinstance(event, QKeyEvent)
            and event.matches(QKeySequence.StandardKey.Paste)
        ):
            event.accept()
            return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.accepts_paste and event.matches(QKeySequence.StandardKey.Paste):
            self.pasteRequested.emit()
            event.accept()
            return
        super().keyPressEvent(event)

    def set_dragging(self, active: bool) -> None:
        self.setProperty("dragging", active)
        self.style().unpolish(self)
        self.style().polish(self)


class InputSide(QFrame):
    """Header and content of one input; emits what the user dropped or asked for."""

    filesDropped = Signal(list)
    textDropped = Signal(str)
    openRequested = Signal()
    pasteRequested = Signal()

    def __init__(self, side: str, title: str, hint: str, *, accepts_text: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.side = side
        self.accepts_text = accepts_text
        self.setObjectName(f"side_{side}")
        self.setAcceptDrops(True)
        self.setFrameShape(QFrame.Shape.StyledPanel)

        self.title = QLabel(title)
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 0.85)
        title_font.setBold(True)
        title_font.setCapitalization(QFont.Capitalization.AllUppercase)
        title_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        self.title.setFont(title_font)
        self.title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.name = QLabel(self.tr("Nothing loaded"))
        name_font = QFont(self.name.font())
        name_font.setPointSizeF(name_font.pointSizeF() * 1.15)
        name_font.setBold(True)
        self.name.setFont(name_font)
        self.name.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.name.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.facts = QLabel("")
        self.facts.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.facts.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        self.open_button = QPushButton(icon("open-original" if side == "original" else "open-output"), self.tr("Open…"))
        self.open_button.setToolTip(self.tr("Open a file for this side"))
        self.open_button.clicked.connect(self.openRequested)
        self.paste_button: QPushButton | None = None
        buttons = QHBoxLayout()
        buttons.setSpacing(6)
        buttons.addWidget(self.open_button)
        if accepts_text:
            self.paste_button = QPushButton(icon("paste"), self.tr("Paste text"))
            self.paste_button.setToolTip(self.tr("Use the text on the clipboard as the model output (Ctrl+V)"))
            self.paste_button.clicked.connect(self.pasteRequested)
            buttons.addWidget(self.paste_button)

        header = QHBoxLayout()
        labels = QVBoxLayout()
        labels.setSpacing(1)
        labels.addWidget(self.title)
        labels.addWidget(self.name)
        labels.addWidget(self.facts)
        header.addLayout(labels, 1)
        header.addLayout(buttons)

        self.drop_hint = DropHint(hint, accepts_paste=accepts_text)
        self.drop_hint.pasteRequested.connect(self.pasteRequested)
        self.text = TextPane("original" if side == "original" else "suspect")
        self.picture = ImageCanvas()
        self.stack = QStackedWidget()
        for widget in (self.drop_hint, self.text, self.picture):
            self.stack.addWidget(widget)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(6)
        layout.addLayout(header)
        layout.addWidget(self.stack, 1)
        self.document: Document | None = None

    def set_document(self, document: Document | None) -> None:
        self.document = document
        if document is None:
            self.name.setText(self.tr("Nothing loaded"))
            self.name.setToolTip("")
            self.facts.setText("")
            self.text.set_document(None)
            self.picture.set_picture(None)
            self.stack.setCurrentWidget(self.drop_hint)
            return
        self.name.setText(document.name)
        self.name.setToolTip(document.path or self.tr("Pasted text (not saved in any file)"))
        self.facts.setText(document_facts(document))
        self.facts.setToolTip(self.tr("SHA-256 {sha}").format(sha=document.sha256))
        if document.kind == "image":
            self.text.set_document(None)
            self.picture.set_picture(document.image)
            self.stack.setCurrentWidget(self.picture)
        else:
            self.picture.set_picture(None)
            self.text.set_document(document)
            self.stack.setCurrentWidget(self.text)

    # ---- drag and drop

    def _acceptable(self, mime: QMimeData) -> bool:
        return bool(local_files(mime)) or (self.accepts_text and mime.hasText() and bool(mime.text().strip()))

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self._acceptable(event.mimeData()):
            event.acceptProposedAction()
            self.drop_hint.set_dragging(True)
        else:
            event.ignore()

    def dragLeaveEvent(self, event: object) -> None:
        self.drop_hint.set_dragging(False)

    def dropEvent(self, event: QDropEvent) -> None:
        self.drop_hint.set_dragging(False)
        mime = event.mimeData()
        files = local_files(mime)
        if files:
            event.acceptProposedAction()
            self.filesDropped.emit(files)
        elif self.accepts_text and mime.hasText():
            event.acceptProposedAction()
            self.textDropped.emit(mime.text())
        else:
            event.ignore()

"""One side of the window ("Original work" or "Model output"): its file's identity and its content.

The header states what was loaded (name, type, pages or pixel size, size on
disk) and, on a line of its own that is never cut, the beginning of the
SHA-256, the figure a report cites, with the whole digest a click away; below it
sits a drop area until something is loaded, then the text pane or the picture.
Files and text can be dropped anywhere on the side.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import (
    QDragEnterEvent,
    QDropEvent,
    QFont,
    QFontDatabase,
    QGuiApplication,
    QKeyEvent,
    QKeySequence,
    QPalette,
    QResizeEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStackedWidget,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from memdiff.evidence import Document, size_text
from memdiff.gui.icons import icon
from memdiff.gui.image_view import ImageCanvas
from memdiff.gui.text_pane import TextPane
from memdiff.gui.theme import problem_colour

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


#: Hex digits of the SHA-256 shown in the header; the tooltip and Copy give all 64.
HASH_DIGITS = 16


def notes_line(document: Document) -> str:
    """The reader's notes on an input (what was repaired, skipped or guessed), as one line for the header."""
    if not document.notes:
        return ""
    # The count first: a long first note is shortened at its end, and the rest are in the tooltip.
    count = len(document.notes)
    return f"Note: {document.notes[0]}" if count == 1 else f"{count} notes (point here for all): {document.notes[0]}"


def short_hash(sha256: str) -> str:
    return sha256[:HASH_DIGITS] + "…"


def document_facts(document: Document) -> str:
    """What a loaded input is (type, encoding, extent, size), as the header's second line shows it; the hash has its own."""
    parts = [MEDIA_WORDS.get(document.media_type, document.media_type)]
    if document.kind == "text" and document.encoding:
        # How the bytes were read: a text read in the wrong encoding ("jesteœ" for "jesteś") is why
        # a visibly copied passage can go unfound.
        parts.append(document.encoding)
    if document.kind == "text":
        if document.pages:
            parts.append(f"{document.pages:,} pages" if document.pages != 1 else "1 page")
        parts.append(f"{document.words:,} words")
    else:
        parts.append(f"{document.width:,} × {document.height:,} px")
    parts.append(size_text(document.size_bytes))  # as the PDF report writes it
    return "  ·  ".join(parts)


class ElidedLabel(QLabel):
    """A one-line label that shortens its text with "…" to the width it gets, the whole text in its tooltip.

    File names are shortened in the middle, so the beginning and the extension stay readable.
    """

    def __init__(self, text: str = "", mode: Qt.TextElideMode = Qt.TextElideMode.ElideMiddle,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = text
        self._mode = mode
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self._refresh()

    def full_text(self) -> str:
        return self._full

    def set_full_text(self, text: str) -> None:
        self._full = text
        self._refresh()
        self.updateGeometry()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 4, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.fontMetrics().horizontalAdvance("M…M"), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._refresh()

    def _refresh(self) -> None:
        width = max(0, self.contentsRect().width())
        shown = self.fontMetrics().elidedText(self._full, self._mode, width) if self._full else ""
        if shown != self.text():
            super().setText(shown)


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

        self.title = ElidedLabel(title, Qt.TextElideMode.ElideRight)
        title_font = QFont(self.title.font())
        title_font.setPointSizeF(title_font.pointSizeF() * 0.85)
        title_font.setBold(True)
        title_font.setCapitalization(QFont.Capitalization.AllUppercase)
        title_font.setLetterSpacing(QFont.SpacingType.PercentageSpacing, 108)
        self.title.setFont(title_font)
        self.title.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.name = ElidedLabel(self.tr("Nothing loaded"), Qt.TextElideMode.ElideMiddle)
        name_font = QFont(self.name.font())
        name_font.setPointSizeF(name_font.pointSizeF() * 1.15)
        name_font.setBold(True)
        self.name.setFont(name_font)
        self.facts = ElidedLabel("", Qt.TextElideMode.ElideRight)
        # The identity figure: monospace, never shortened by the layout (the label keeps its width),
        # selectable, and copied whole by the button beside it.
        self.hash_label = QLabel("")
        self.hash_label.setObjectName("hashLabel")
        self.hash_label.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.hash_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.hash_label.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Preferred)
        self.copy_hash_button = QToolButton()
        self.copy_hash_button.setText(self.tr("Copy"))
        self.copy_hash_button.setAutoRaise(True)
        self.copy_hash_button.setToolTip(self.tr("Copy the whole SHA-256 (64 characters) to the clipboard"))
        self.copy_hash_button.clicked.connect(self.copy_hash)
        self.copy_hash_button.hide()
        hash_row = QHBoxLayout()
        hash_row.setSpacing(4)
        hash_row.addWidget(self.hash_label)
        hash_row.addWidget(self.copy_hash_button)
        hash_row.addStretch(1)
        #: Said while this side holds another file than the case file records (see :meth:`set_record_note`).
        self.record_note = QLabel("")
        self.record_note.setObjectName("recordNote")
        self.record_note.setWordWrap(True)
        self.record_note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.record_note.hide()
        #: What the reader noted about the input (an encoding guessed, characters repaired, parts skipped).
        self.notes = ElidedLabel("", Qt.TextElideMode.ElideRight)
        self.notes.setWordWrap(False)
        self.notes.hide()

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

        # The buttons share the title's row, so the name, the facts and the hash get the side's whole width.
        header = QHBoxLayout()
        header.addWidget(self.title, 1, Qt.AlignmentFlag.AlignBottom)
        header.addLayout(buttons)
        header_block = QVBoxLayout()
        header_block.setSpacing(1)
        header_block.addLayout(header)
        header_block.addWidget(self.name)
        header_block.addWidget(self.facts)
        header_block.addLayout(hash_row)
        header_block.addWidget(self.record_note)
        header_block.addWidget(self.notes)

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
        layout.addLayout(header_block)
        layout.addWidget(self.stack, 1)
        self.document: Document | None = None

    def set_document(self, document: Document | None) -> None:
        self.document = document
        if document is None:
            self.name.set_full_text(self.tr("Nothing loaded"))
            self.name.setToolTip("")
            self.facts.set_full_text("")
            self.facts.setToolTip("")
            self.hash_label.setText("")
            self.hash_label.setToolTip("")
            self.copy_hash_button.hide()
            self.notes.set_full_text("")
            self.notes.setToolTip("")
            self.notes.hide()
            self.text.set_document(None)
            self.picture.set_picture(None)
            self.stack.setCurrentWidget(self.drop_hint)
            return
        self.name.set_full_text(document.name)
        self.name.setToolTip(document.path or self.tr("Pasted text (not saved in any file)"))
        facts = document_facts(document)
        self.facts.set_full_text(facts)
        self.facts.setToolTip(facts)
        self.hash_label.setText(self.tr("SHA-256 {sha}").format(sha=short_hash(document.sha256)))
        self.hash_label.setToolTip(self.tr(
            "SHA-256 {sha}\nThe fingerprint of the file's exact bytes, printed in full in the report.").format(
                sha=document.sha256))
        self.copy_hash_button.show()
        self.notes.set_full_text(notes_line(document))
        self.notes.setToolTip("\n".join(document.notes))
        self.notes.setVisible(bool(document.notes))
        if document.kind == "image":
            self.text.set_document(None)
            self.picture.set_picture(document.image)
            self.stack.setCurrentWidget(self.picture)
        else:
            self.picture.set_picture(None)
            self.text.set_document(document)
            self.stack.setCurrentWidget(self.text)

    def set_record_note(self, text: str) -> None:
        """Say, under the SHA-256, that this input is not the one the case records (an empty text hides it)."""
        self.record_note.setText(text)
        self._colour_record_note()
        self.record_note.setVisible(bool(text))

    def _colour_record_note(self) -> None:
        # From the palette, so that the line reads in the dark theme as well.
        self.record_note.setStyleSheet(f"color: {problem_colour(self.palette()).name()}; font-weight: 600;")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_record_note()

    def copy_hash(self) -> str:
        """Put the whole SHA-256 of this side's input on the clipboard (and return it)."""
        sha = self.document.sha256 if self.document is not None else ""
        if sha:
            QGuiApplication.clipboard().setText(sha)
        return sha

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

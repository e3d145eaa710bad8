"""One side of the text comparison: the extracted text, read-only, with the spans marked.

The document is built once per input (``setPlainText``) and never edited: the
spans are painted as *extra selections*. Only the spans that touch the visible
lines are handed to Qt, and the set is renewed when the view scrolls or
resizes: Qt lays out every block an extra selection touches, so handing it
thousands of spans across a megabyte of text would lay out the whole book
(about half a second), while the visible ones cost a millisecond whatever the
size of the text (see ``benchmarks/gui_highlight.py``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from PySide6.QtCore import QEvent, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QHelpEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QResizeEvent,
    QTextCharFormat,
    QTextCursor,
    QTextFormat,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit, QToolTip, QWidget

from memdiff.evidence import Document, Location, Span, percent_text
from memdiff.gui.theme import SpanColours, span_colours


class Gutter(QWidget):
    """Line numbers, or page markers for documents that have pages, left of the text."""

    def __init__(self, pane: TextPane) -> None:
        super().__init__(pane)
        self._pane = pane

    def sizeHint(self) -> QSize:
        return QSize(self._pane.gutter_width(), 0)

    def paintEvent(self, event: QPaintEvent) -> None:
        self._pane.paint_gutter(self, event)


class OverviewRuler(QWidget):
    """A strip beside the scroll bar showing where in the whole text the spans lie; a click jumps there."""

    WIDTH = 10

    def __init__(self, pane: TextPane) -> None:
        super().__init__(pane)
        self._pane = pane
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(self.tr("Where the reproduced spans lie in the whole text; click to go there"))

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        palette = self._pane.palette()
        painter.fillRect(self.rect(), palette.color(QPalette.ColorRole.AlternateBase))
        total = max(1, self._pane.text_length() + 1)
        height = max(1, self.height())
        colours = span_colours(palette)
        # One mark per pixel row and kind, exact on top: thousands of spans cost a few hundred rectangles.
        rows: dict[int, str] = {}
        for start, end, kind in self._pane.marked_ranges():
            first = int(start / total * height)
            last = max(first, int(end / total * height))
            for y in range(first, min(last, height - 1) + 1):
                if rows.get(y) != "exact":
                    rows[y] = kind
        for y, kind in sorted(rows.items()):
            painter.fillRect(1, y, self.width() - 2, 1, colours.line(kind))
        painter.end()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        fraction = min(1.0, max(0.0, event.position().y() / max(1, self.height())))
        position = int(fraction * self._pane.text_length())
        self._pane.scroll_to_location(Location(position, position))


#: Characters above U+FFFF (emoji, rare CJK such as 𠮷, mathematical letters): one in Python, two in Qt.
_ASTRAL = re.compile("[\U00010000-\U0010FFFF]")


class QtPositions:
    """Converts between offsets into the extracted text (Python, one per code point, as every span
    gives them) and positions in the Qt document showing it (UTF-16 code units).

    They differ after each character outside the Basic Multilingual Plane, which Qt counts twice;
    highlighting by Python offsets would mark words shifted right by one character per emoji.
    The astral characters' offsets are kept sorted, so each conversion is a bisection, and for the
    common text without any (a novel in Latin, Greek or common CJK script) the list is empty and
    a conversion is an addition of nothing.
    """

    def __init__(self, text: str) -> None:
        # Encoding to UTF-16 is one fast C pass; only a text that grows has astral characters to find.
        if len(text.encode("utf-16-le")) == 2 * len(text):
            self._astral: list[int] = []
        else:
            self._astral = [match.start() for match in _ASTRAL.finditer(text)]
        #: Where each astral character begins in Qt's count (its Python offset plus those before it).
        self._astral_in_qt = [offset + before for before, offset in enumerate(self._astral)]
        self.length = len(text)

    def to_qt(self, offset: int) -> int:
        """The Qt position of Python offset ``offset`` (the astral characters before it count twice)."""
        return offset + bisect.bisect_left(self._astral, offset) if self._astral else offset

    def to_python(self, position: int) -> int:
        """The Python offset of Qt position ``position`` (inside a surrogate pair: the character after it)."""
        if not self._astral:
            return position
        # Astral characters wholly before ``position`` occupy two places each in Qt's count.
        return position - bisect.bisect_left(self._astral_in_qt, position - 1)


def _outside(start: int, end: int, holes: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """The parts of ``[start, end)`` outside the sorted, disjoint ``holes``."""
    parts = []
    index = max(0, bisect.bisect_right(holes, (start,)) - 1)
    for hole_start, hole_end in holes[index:]:
        if hole_start >= end:
            break
        if hole_end <= start:
            continue
        if hole_start > start:
            parts.append((start, hole_start))
        start = max(start, hole_end)
    if start < end:
        parts.append((start, end))
    return parts


def span_format(colours: SpanColours, kind: str) -> QTextCharFormat:
    """How a pane marks a span of ``kind`` ("exact" or "near"): the legend draws its chips with the same format.

    Verbatim spans get a solid underline, near-verbatim passages a dashed one, so the two kinds
    differ on a monochrome screen or a grey-scale screenshot too. (A wavy line, at text size,
    looks like a row of dots, which the help once called it.)
    """
    fmt = QTextCharFormat()
    fmt.setBackground(colours.fill(kind))
    fmt.setForeground(colours.text)
    fmt.setUnderlineColor(colours.line(kind))
    fmt.setUnderlineStyle(
        QTextCharFormat.UnderlineStyle.SingleUnderline
        if kind == "exact"
        else QTextCharFormat.UnderlineStyle.DashUnderline
    )
    fmt.setProperty(QTextFormat.Property.FullWidthSelection, False)
    return fmt


class TextPane(QPlainTextEdit):
    """A read-only text view that marks spans and reports clicks on them."""

    #: The id of the span under a click (the shortest one when spans nest).
    spanActivated = Signal(int)
    #: The id of the first span in view changed because the user scrolled (for following).
    topSpanChanged = Signal(int)

    def __init__(self, side: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        if side not in ("original", "suspect"):
            raise ValueError(f"side must be 'original' or 'suspect', not {side!r}")
        self.side = side
        self.setReadOnly(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setCenterOnScroll(False)
        font = QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont)
        font.setPointSizeF(max(10.5, font.pointSizeF() + 0.5))
        self.setFont(font)
        self.document().setDocumentMargin(8)
        self._document: Document | None = None
        self._positions = QtPositions("")
        self._spans: tuple[Span, ...] = ()
        # Span intervals sorted by start, for finding the span under the mouse.
        self._starts: list[int] = []
        self._intervals: list[tuple[int, int, int]] = []
        self._longest = 0
        self._kinds: dict[int, str] = {}
        self._formats: dict[str, QTextCharFormat] = {}
        self._shown_range = (-1, -1)
        #: The first block of each page -> the page's name in the gutter: the number printed on it where the
        #: PDF gives one (its page label), else its position in the file.
        self._page_blocks: dict[int, str] = {}
        self._gutter = Gutter(self)
        self._ruler = OverviewRuler(self)
        self.blockCountChanged.connect(self._update_gutter_width)
        self.updateRequest.connect(self._update_gutter)
        self.verticalScrollBar().valueChanged.connect(self._scrolled)
        self._top_span: int | None = None
        self._update_gutter_width()

    # ---- content

    @property
    def loaded_document(self) -> Document | None:
        return self._document

    def set_document(self, document: Document | None) -> None:
        """Show ``document``'s extracted text (the string every offset indexes)."""
        self._document = document
        self.set_spans(())
        self._positions = QtPositions(document.text if document is not None else "")
        self.setPlainText(document.text if document is not None else "")
        self._page_blocks = {}
        if document is not None and document.page_starts:
            doc = self.document()
            labels = document.page_labels
            for page, start in enumerate(document.page_starts, start=1):
                block = doc.findBlock(self.qt_position(start)).blockNumber()
                self._page_blocks.setdefault(block, (labels[page - 1] if labels else "") or str(page))
        self._update_gutter_width()
        self._gutter.update()

    @property
    def positions(self) -> QtPositions:
        """The conversion between the text's offsets and the Qt document's positions."""
        return self._positions

    def qt_position(self, offset: int) -> int:
        """Where Python offset ``offset`` of the text lies in the Qt document (kept inside it)."""
        return min(self._positions.to_qt(offset), max(0, self.document().characterCount() - 1))

    def text_offset(self, position: int) -> int:
        """The offset into the text (as spans give them) of Qt document position ``position``."""
        return self._positions.to_python(position)

    def text_length(self) -> int:
        """Characters in the text, counted as the spans' offsets count them."""
        return self._positions.length

    def location_of(self, span: Span) -> Location:
        return span.original if self.side == "original" else span.suspect

    def set_spans(self, spans: Sequence[Span], *, unmarked: Sequence[tuple[int, int]] = ()) -> None:
        """Mark ``spans`` (all at once); replaces any earlier marking.

        ``unmarked`` are sorted ranges left out of the comparison (a PDF's
        running heads): a span that passes over one is not painted there.
        """
        self._spans = tuple(spans)
        # A span selected among the earlier marks means nothing among these.
        if self.textCursor().hasSelection():
            cursor = self.textCursor()
            cursor.clearSelection()
            self.setTextCursor(cursor)
        by_id = {s.id: s for s in self._spans}
        triples = sorted(
            (start, end, s.id)
            for s in self._spans
            for start, end in _outside(self.location_of(s).start, self.location_of(s).end, unmarked)
        )
        self._intervals = triples
        self._starts = [t[0] for t in triples]
        self._kinds = {span_id: by_id[span_id].kind for _, _, span_id in triples}
        self._longest = max((end - start for start, end, _ in triples), default=0)
        self._formats = self._make_formats()
        self._shown_range = (-1, -1)
        self.refresh_marks()
        self._ruler.update()

    @property
    def spans(self) -> tuple[Span, ...]:
        return self._spans

    def marked_ranges(self) -> list[tuple[int, int, str]]:
        """Every marked range ``(start, end, kind)`` in document order, visible or not."""
        return [(start, end, self._kinds[span_id]) for start, end, span_id in self._intervals]

    def visible_range(self) -> tuple[int, int]:
        """Offsets into the text (as spans give them) of the blocks currently (even partly) visible."""
        block = self.firstVisibleBlock()
        if not block.isValid():
            return (0, 0)
        start = block.position()
        offset = self.contentOffset()
        bottom = self.viewport().rect().bottom()
        end = start
        while block.isValid():
            end = block.position() + block.length()
            if self.blockBoundingGeometry(block).translated(offset).bottom() > bottom:
                break
            block = block.next()
        return (self.text_offset(start), self.text_offset(end))

    def _scrolled(self, _value: int) -> None:
        self.refresh_marks()
        top = self.first_visible_span()
        if top is not None and top != self._top_span:
            self._top_span = top
            self.topSpanChanged.emit(top)

    def first_visible_span(self) -> int | None:
        """The id of the first span that begins inside the visible lines, if any."""
        first, last = self.visible_range()
        index = bisect.bisect_left(self._starts, first)
        if index < len(self._intervals) and self._intervals[index][0] < last:
            return self._intervals[index][2]
        return None

    def scroll_to_location(self, where: Location) -> None:
        """Bring ``where`` into view without changing the selection."""
        start = self.qt_position(where.start)
        block = self.document().findBlock(start)
        line = block.firstLineNumber()
        layout = block.layout()
        if layout is not None and layout.lineCount():
            found = layout.lineForTextPosition(start - block.position())
            if found.isValid():
                line += found.lineNumber()
        bar = self.verticalScrollBar()
        bar.setValue(min(bar.maximum(), max(0, line - 2)))

    def remark(self) -> None:
        """Renew the painted marks after a change of layout (wrapping, font) that moved the lines."""
        self._shown_range = (-1, -1)
        self.refresh_marks()

    def _make_formats(self) -> dict[str, QTextCharFormat]:
        colours = span_colours(self.palette())
        return {"exact": self._format(colours, "exact"), "near": self._format(colours, "near")}

    def refresh_marks(self) -> None:
        """Hand Qt the spans touching the visible lines (only those: see the module's note)."""
        if not self._intervals:
            if self.extraSelections():
                self.setExtraSelections([])
            self._shown_range = (-1, -1)
            return
        first, last = self.visible_range()
        if (first, last) == self._shown_range:
            return
        self._shown_range = (first, last)
        doc = self.document()
        low = bisect.bisect_left(self._starts, first - self._longest)
        high = bisect.bisect_left(self._starts, last)
        visible = [t for t in self._intervals[low:high] if t[1] > first]
        selections: list[QTextEdit.ExtraSelection] = []
        # Near-verbatim passages first so the exact spans inside them are painted on top.
        for kind in ("near", "exact"):
            fmt = self._formats[kind]
            for start, end, span_id in visible:
                if self._kinds[span_id] != kind:
                    continue
                selection = QTextEdit.ExtraSelection()
                cursor = QTextCursor(doc)
                cursor.setPosition(self.qt_position(start))
                cursor.setPosition(self.qt_position(end), QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
        self.setExtraSelections(selections)

    @staticmethod
    def _format(colours: SpanColours, kind: str) -> QTextCharFormat:
        return span_format(colours, kind)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange and self._spans:
            self._formats = self._make_formats()
            self._shown_range = (-1, -1)
            self.refresh_marks()

    # ---- finding and showing spans

    def span_ids_at(self, position: int) -> list[int]:
        """Ids of the spans covering character ``position``, shortest first."""
        # Only spans starting within the longest span's length before ``position`` can cover it.
        first = bisect.bisect_left(self._starts, position - self._longest)
        last = bisect.bisect_right(self._starts, position)
        covering = [(end - start, span_id) for start, end, span_id in self._intervals[first:last] if start <= position < end]
        return [span_id for _, span_id in sorted(covering)]

    def show_location(self, where: Location) -> None:
        """Select ``where`` and scroll it into view, its beginning a little below the top."""
        cursor = QTextCursor(self.document())
        # Anchor at the end and the cursor at the start: the start is what gets scrolled to.
        cursor.setPosition(self.qt_position(where.end))
        cursor.setPosition(self.qt_position(where.start), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)
        self._scroll_to_block(self.document().findBlock(self.qt_position(where.start)).blockNumber())

    def select_location(self, where: Location) -> None:
        """Select ``where`` without moving the view more than needed (the user just clicked it)."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.qt_position(where.end))
        cursor.setPosition(self.qt_position(where.start), QTextCursor.MoveMode.KeepAnchor)
        self.setTextCursor(cursor)

    def _scroll_to_block(self, block_number: int) -> None:
        # QPlainTextEdit scrolls in laid-out lines (wrapped lines count); keep two lines of
        # context above the span's first line.
        block = self.document().findBlockByNumber(block_number)
        cursor_line = block.firstLineNumber()
        layout = block.layout()
        if layout is not None and layout.lineCount():
            position = self.textCursor().position() - block.position()
            cursor_line += layout.lineForTextPosition(position).lineNumber() if layout.lineForTextPosition(position).isValid() else 0
        bar = self.verticalScrollBar()
        bar.setValue(min(bar.maximum(), max(0, cursor_line - 2)))
        self.ensureCursorVisible()

    def location_visible(self, where: Location) -> bool:
        """True when the beginning of ``where`` is inside the visible part of the pane."""
        cursor = QTextCursor(self.document())
        cursor.setPosition(self.qt_position(where.start))
        return self.viewport().rect().intersects(self.cursorRect(cursor))

    # ---- mouse

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        ids = self.span_ids_at(self.text_offset(self.cursorForPosition(event.position().toPoint()).position()))
        if ids:
            self.spanActivated.emit(ids[0])

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            ids = self.span_ids_at(self.text_offset(self.cursorForPosition(event.pos()).position()))
            if ids:
                by_id = {s.id: s for s in self._spans}
                QToolTip.showText(event.globalPos(), self.span_tooltip(by_id[ids[0]]), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def span_tooltip(self, span: Span) -> str:
        """What hovering over a span says, in the words the table, the legend and the status bar use."""
        kind = self.tr("verbatim") if span.kind == "exact" else self.tr("near-verbatim")
        return self.tr("Span {id}: {kind}, {words} words, {similarity}. Click to show it on the other side.").format(
            id=span.id, kind=kind, words=f"{span.words:,}", similarity=percent_text(span.similarity))

    # ---- the gutter

    def gutter_width(self) -> int:
        metrics = self.fontMetrics()
        if self._page_blocks:
            label = f"p. {max(self._page_blocks.values(), key=metrics.horizontalAdvance)}"
        else:
            label = str(max(1, self.blockCount()))
        return 14 + metrics.horizontalAdvance(label + "0")

    def _update_gutter_width(self, _count: int = 0) -> None:
        self.setViewportMargins(self.gutter_width(), 0, OverviewRuler.WIDTH, 0)

    def _update_gutter(self, rect: QRect, dy: int) -> None:
        if dy:
            self._gutter.scroll(0, dy)
        else:
            self._gutter.update(0, rect.y(), self._gutter.width(), rect.height())
        if rect.contains(self.viewport().rect()):
            self._update_gutter_width()

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        area = self.contentsRect()
        self._gutter.setGeometry(QRect(area.left(), area.top(), self.gutter_width(), area.height()))
        right = self.viewport().geometry().right() + 1
        self._ruler.setGeometry(QRect(right, area.top(), OverviewRuler.WIDTH, area.height()))
        self._shown_range = (-1, -1)
        self.refresh_marks()

    def paint_gutter(self, gutter: QWidget, event: QPaintEvent) -> None:
        painter = QPainter(gutter)
        palette = self.palette()
        painter.fillRect(event.rect(), palette.color(QPalette.ColorRole.AlternateBase))
        painter.setPen(palette.color(QPalette.ColorRole.Mid))
        painter.drawLine(gutter.width() - 1, event.rect().top(), gutter.width() - 1, event.rect().bottom())
        dim = QColor(palette.color(QPalette.ColorRole.PlaceholderText))
        strong = palette.color(QPalette.ColorRole.WindowText)
        small = QFont(self.font())
        small.setPointSizeF(self.font().pointSizeF() * 0.85)
        painter.setFont(small)
        block = self.firstVisibleBlock()
        top = round(self.blockBoundingGeometry(block).translated(self.contentOffset()).top())
        height = self.fontMetrics().height()
        while block.isValid() and top <= event.rect().bottom():
            bottom = top + round(self.blockBoundingRect(block).height())
            if block.isVisible() and bottom >= event.rect().top():
                number = block.blockNumber()
                if self._page_blocks:
                    page = self._page_blocks.get(number)
                    label = f"p. {page}" if page is not None else ""
                    painter.setPen(strong)
                    if page is not None and number:
                        painter.setPen(palette.color(QPalette.ColorRole.Mid))
                        painter.drawLine(0, top, gutter.width(), top)
                        painter.setPen(strong)
                else:
                    label = str(number + 1)
                    painter.setPen(dim)
                if label:
                    painter.drawText(
                        QRect(0, top, gutter.width() - 6, height),
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                        label,
                    )
            block = block.next()
            top = bottom
        painter.end()

    def gutter(self) -> QWidget:
        return self._gutter

    def ruler(self) -> OverviewRuler:
        return self._ruler

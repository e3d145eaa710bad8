"""The match table: one row per reproduced span, sortable by the raw numbers behind each cell.

Sorting happens in the model, in one Python ``sorted`` over precomputed keys:
a proxy that sorts calls back into Python for every comparison (about 560,000
calls for 20,000 rows, seconds of frozen window); the proxy here only filters.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QColor, QGuiApplication

from memdiff.evidence import Document, Span, page_range, percent_text, printed_pages
from memdiff.gui.theme import span_colours

#: Role whose value the proxy sorts by: plain numbers (or lowercase text), never display strings.
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: Role returning the span's id for any cell of its row.
SPAN_ID_ROLE = Qt.ItemDataRole.UserRole + 2

#: How many characters of the original's text the last column shows.
EXCERPT_CHARACTERS = 90

ModelIndex = QModelIndex | QPersistentModelIndex


def _tr(text: str) -> str:
    return QCoreApplication.translate("SpanTableModel", text)


class SpanTableModel(QAbstractTableModel):
    """A read-only table model over the comparison's plain list of spans."""

    COLUMNS = ("id", "kind", "words", "similarity", "chance", "original_pages", "output_at", "excerpt")

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self._spans: tuple[Span, ...] = ()
        self._original: Document | None = None
        self._row_of: dict[int, int] = {}
        #: The column and order the rows are sorted by (the span id, ascending, until asked otherwise).
        self._sorted_by: tuple[int, Qt.SortOrder] = (0, Qt.SortOrder.AscendingOrder)

    def headers(self) -> list[str]:
        return [
            _tr("#"),
            _tr("Kind"),
            _tr("Words"),
            _tr("Similarity"),
            _tr("Chance (bits)"),
            _tr("Original page"),
            _tr("Output at"),
            # Named by side: it stands beside "Output at" but quotes the original's words.
            _tr("Beginning in the original"),
        ]

    def set_spans(self, spans: Sequence[Span], original: Document | None) -> None:
        self.beginResetModel()
        self._spans = self._in_order(spans, *self._sorted_by)
        self._original = original
        self._row_of = {span.id: row for row, span in enumerate(self._spans)}
        self.endResetModel()

    def _in_order(self, spans: Sequence[Span], column: int, order: Qt.SortOrder) -> tuple[Span, ...]:
        name = self.COLUMNS[column] if 0 <= column < len(self.COLUMNS) else "id"
        descending = order == Qt.SortOrder.DescendingOrder
        # Ties fall back to the span id, so the order never depends on the previous sort.
        return tuple(sorted(spans, key=lambda span: (self._sort_key(span, name), span.id), reverse=descending))

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Reorder the rows by the raw value behind ``column``; selections follow their spans."""
        self._sorted_by = (column, order)
        # (Without Qt's VerticalSortHint: passing it crashed this PySide version.)
        self.layoutAboutToBeChanged.emit()
        before = self._spans
        self._spans = self._in_order(before, column, order)
        self._row_of = {span.id: row for row, span in enumerate(self._spans)}
        for index in self.persistentIndexList():
            row = self._row_of[before[index.row()].id]
            self.changePersistentIndex(index, self.index(row, index.column()))
        self.layoutChanged.emit()

    def span_at(self, row: int) -> Span:
        return self._spans[row]

    def row_of(self, span_id: int) -> int | None:
        return self._row_of.get(span_id)

    @property
    def spans(self) -> tuple[Span, ...]:
        return self._spans

    # ---- QAbstractTableModel

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008 (Qt's own signature)
        return 0 if parent.isValid() else len(self._spans)

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.headers()[section]
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.ToolTipRole:
            return _HEADER_TIPS.get(self.COLUMNS[section])
        return None

    def data(self, index: ModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._spans):
            return None
        span = self._spans[index.row()]
        column = self.COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(span, column)
        if role == SORT_ROLE:
            return self._sort_key(span, column)
        if role == SPAN_ID_ROLE:
            return span.id
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column in ("id", "words", "similarity", "chance", "output_at"):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == "kind":
            return QColor(span_colours(QGuiApplication.palette()).fill(span.kind))
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(span, column)
        return None

    def _display(self, span: Span, column: str) -> str:
        if column == "id":
            return str(span.id)
        if column == "kind":
            return _tr("verbatim") if span.kind == "exact" else _tr("near-verbatim")
        if column == "words":
            return f"{span.words:,}"
        if column == "similarity":
            return percent_text(span.similarity)
        if column == "chance":
            text = f"{span.chance.bits:,.0f}"
            return text + " " + _tr("(common phrase)") if span.chance.common_phrase else text
        if column == "original_pages":
            pages = span.original.pages
            if not pages:
                return "–"
            in_file = page_range(str(pages[0]), str(pages[-1]))
            labels = self._original.page_labels if self._original is not None else ()
            printed = printed_pages(labels, pages)
            if printed is None:
                # Where other pages bear printed numbers, the PDF's count is said to be that.
                return _tr("PDF {in_file}").format(in_file=in_file) if labels else in_file
            return _tr("{printed} (PDF {in_file})").format(printed=printed, in_file=in_file)
        if column == "output_at":
            return f"{span.suspect.start:,}"
        return self.excerpt(span)

    def excerpt(self, span: Span) -> str:
        if self._original is None:
            return ""
        text = self._original.text[span.original.start : min(span.original.end, span.original.start + EXCERPT_CHARACTERS)]
        text = " ".join(text.split())
        return text + "…" if span.original.end - span.original.start > EXCERPT_CHARACTERS else text

    @staticmethod
    def _sort_key(span: Span, column: str) -> Any:
        if column == "id":
            return span.id
        if column == "kind":
            return 0 if span.kind == "exact" else 1
        if column == "words":
            return span.words
        if column == "similarity":
            return span.similarity
        if column == "chance":
            return span.chance.bits
        if column == "original_pages":
            return span.original.start  # pages follow the original's order; the offset breaks ties
        if column == "output_at":
            return span.suspect.start
        return span.original.start

    def _tooltip(self, span: Span, column: str) -> str | None:
        if column == "chance":
            return _tr(
                "About 1 in 2^{bits} by chance in ordinary writing.{common}"
            ).format(
                bits=f"{span.chance.bits:,.0f}",
                common=(" " + _tr("Short and common enough that any writer might produce it."))
                if span.chance.common_phrase
                else "",
            )
        if column == "excerpt":
            return self.excerpt(span)
        if column == "kind" and span.other_occurrences:
            return _tr("The same words also begin at {n} other places of the original.").format(
                n=span.other_occurrences
            )
        return None


_HEADER_TIPS = {
    "words": "Words of the model output inside this span",
    "kind": "Verbatim: the same words in the same order. Near-verbatim: copied with small edits",
    "similarity": "100% for verbatim spans; the edit similarity for near-verbatim passages",
    "chance": "Self-information of the words: the higher, the less likely a coincidence",
    "original_pages": "Page(s) of the original the span lies on (PDF originals only): the number printed on "
    "the page, then its position in the PDF file, where the PDF numbers its pages otherwise",
    "output_at": "Character position in the model output where the span begins",
    "excerpt": "The span's first words as the original writes them",
}


class SpanFilterProxy(QSortFilterProxyModel):
    """Can hide one kind of span; sorting is handed to the :class:`SpanTableModel` behind it."""

    def __init__(self, parent: Any = None) -> None:
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._kind: str | None = None

    def set_kind(self, kind: str | None) -> None:
        """Show only ``"exact"`` or ``"near"`` spans, or all of them with None."""
        if hasattr(self, "beginFilterChange"):  # Qt 6.10 and later
            self.beginFilterChange()
            self._kind = kind
            self.endFilterChange()
        else:
            self._kind = kind
            self.invalidateFilter()

    def filterAcceptsRow(self, source_row: int, source_parent: ModelIndex) -> bool:
        if self._kind is None:
            return True
        model = self.sourceModel()
        assert isinstance(model, SpanTableModel)
        return model.span_at(source_row).kind == self._kind

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if isinstance(model, SpanTableModel) and column >= 0:
            # The proxy keeps the model's row order (its own sort column stays -1) and only filters.
            model.sort(column, order)
            return
        super().sort(column, order)

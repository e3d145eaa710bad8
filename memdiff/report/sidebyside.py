"""One span drawn as two aligned columns (original | output) that can break across pages between rows.

A reportlab Table would do, but it lays out every cell twice (once to size the
table, once to draw it), and with hundreds of spans that doubled the time of a
long report. This flowable measures each paragraph once per width, splits
between rows when a page is full (repeating the span's heading with
"continued"), and draws the same boxes and rules a table would.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable, Spacer

from memdiff.report.marked import MarkedText, colour_operator, number
from memdiff.report.styles import GRID, HEADER_GROUND, SPAN_GROUND

PAD_X = 5.0
PAD_Y = 3.5
_HEADER_FILL = colour_operator(HEADER_GROUND, "rg")
_SPAN_FILL = colour_operator(SPAN_GROUND, "rg")
_GRID_STROKE = colour_operator(GRID, "RG")


def _place(text: Flowable, canvas: object, x: float, y: float) -> None:
    """Draw a cell's text with its bottom left corner at (x, y)."""
    if isinstance(text, MarkedText):
        text.draw_at(canvas, x, y)
    else:  # a reportlab Paragraph (text with Chinese, Japanese or Korean)
        text.drawOn(canvas, x, y)


# Rows up to this height (points) always fit on a fresh page below a span's
# heading, so they move to the next page whole; taller rows break inside.
TALL_ROW = 400.0
# Room enough for the first lines of a tall row (a part never holds one line alone).
FIRST_LINES = 60.0


def _break_row(
    row: tuple[Flowable, Flowable], width: float, height: float
) -> tuple[tuple[Flowable, Flowable], tuple[Flowable, Flowable]] | None:
    """A row cut into the lines that fit in ``height`` and the rest, both sides alike; None if nothing fits."""
    inner = width / 2 - 2 * PAD_X
    room = height - 2 * PAD_Y
    heads: list[Flowable] = []
    tails: list[Flowable] = []
    for cell in row:
        if cell.wrap(inner, 1e9)[1] <= room:
            heads.append(cell)
            tails.append(Spacer(0, 0))
            continue
        parts = cell.split(inner, room)
        if len(parts) != 2:
            return None
        heads.append(parts[0])
        tails.append(parts[1])
    return (heads[0], heads[1]), (tails[0], tails[1])


class SideBySide(Flowable):
    """A span's heading, its two column labels and its rows of aligned text."""

    def __init__(
        self,
        heading: Flowable,
        labels: tuple[Flowable, Flowable],
        rows: list[tuple[Flowable, Flowable]],
        *,
        continued_heading: Flowable | Callable[[], Flowable] | None = None,
        space_after: float = 0.0,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.labels = labels
        self.rows = rows
        # Made only when the span does break across pages (a function makes it then).
        self._continued = continued_heading or heading
        self.spaceAfter = space_after
        self._measured_for: float | None = None
        self._heights: tuple[float, float, list[float]] = (0.0, 0.0, [])

    @property
    def continued_heading(self) -> Flowable:
        if not isinstance(self._continued, Flowable):
            self._continued = self._continued()
        return self._continued

    # ---- measuring (each paragraph once per width)

    def _measure(self, width: float) -> tuple[float, float, list[float]]:
        if self._measured_for != width:
            inner = width / 2 - 2 * PAD_X
            heading_h = self.heading.wrap(width - 2 * PAD_X, 1e9)[1] + 2 * PAD_Y
            label_h = max(p.wrap(inner, 1e9)[1] for p in self.labels) + 2 * PAD_Y
            rows_h = [
                max(left.wrap(inner, 1e9)[1], right.wrap(inner, 1e9)[1]) + 2 * PAD_Y
                for left, right in self.rows
            ]
            self._heights = (heading_h, label_h, rows_h)
            self._measured_for = width
        return self._heights

    def least_height(self, width: float) -> float:
        """The height of the smallest first part this table can leave on a page (heading, labels, a row or its start)."""
        heading_h, label_h, rows_h = self._measure(width)
        first_row = rows_h[0] if rows_h else 0.0
        # A tall row breaks between its lines; a few lines of it will do.
        return heading_h + label_h + (first_row if first_row <= TALL_ROW else FIRST_LINES)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        heading_h, label_h, rows_h = self._measure(availWidth)
        self.width = availWidth
        self.height = heading_h + label_h + sum(rows_h)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        heading_h, label_h, rows_h = self._measure(availWidth)
        used = heading_h + label_h
        fit = 0
        while fit < len(self.rows) and used + rows_h[fit] <= availHeight:
            used += rows_h[fit]
            fit += 1
        if fit == len(self.rows):
            return []
        head_rows, tail_rows = self.rows[:fit], self.rows[fit:]
        if rows_h[fit] > TALL_ROW:
            # A row this tall (long unbroken tokens: hashes, URLs, sequences)
            # might not fit on any page: it breaks between its lines instead.
            broken = _break_row(self.rows[fit], availWidth, availHeight - used)
            if broken is not None:
                head_rows = [*head_rows, broken[0]]
                tail_rows = [broken[1], *self.rows[fit + 1 :]]
        if not head_rows:
            return []
        continued = self.continued_heading
        first = SideBySide(self.heading, self.labels, head_rows, continued_heading=continued)
        rest = SideBySide(
            continued,
            self.labels,
            tail_rows,
            continued_heading=continued,
            space_after=self.spaceAfter,
        )
        return [first, rest]

    # ---- drawing

    def drawOn(self, canvas: object, x: float, y: float, _sW: float = 0) -> None:
        # As Flowable.drawOn, without its record of the canvas state for each
        # span: the table draws only page operators inside its own q ... Q.
        x = self._hAlignAdjust(x, _sW)
        canvas.addLiteral(f"q 1 0 0 1 {number(x)} {number(y)} cm")  # type: ignore[attr-defined]
        self.canv = canvas
        try:
            self.draw()
        finally:
            del self.canv
        canvas.addLiteral("Q")  # type: ignore[attr-defined]

    def draw(self) -> None:
        canvas = self.canv
        width = self.width
        heading_h, label_h, rows_h = self._measure(width)
        # The heading may have been measured at another width by a sibling part.
        heading = self.heading
        heading.wrap(width - 2 * PAD_X, 1e9)
        top = self.height
        # Grounds and rules are written as page operators directly: with
        # hundreds of spans, the canvas's per-call bookkeeping was a visible
        # share of the report's time.
        n = number
        canvas.addLiteral(
            f"q {_HEADER_FILL} 0 {n(top - heading_h)} {n(width)} {n(heading_h)} re f "
            f"{_SPAN_FILL} 0 {n(top - heading_h - label_h)} {n(width)} {n(label_h)} re f Q"
        )
        _place(heading, canvas, PAD_X, top - PAD_Y - heading.height)
        y = top - heading_h
        inner = width / 2 - 2 * PAD_X
        for para, x in ((self.labels[0], PAD_X), (self.labels[1], width / 2 + PAD_X)):
            para.wrap(inner, 1e9)
            _place(para, canvas, x, y - PAD_Y - para.height)
        y -= label_h
        right_x = width / 2 + PAD_X
        for (left, right), row_h in zip(self.rows, rows_h):
            _place(left, canvas, PAD_X, y - PAD_Y - left.height)
            _place(right, canvas, right_x, y - PAD_Y - right.height)
            y -= row_h
        below_heading = top - heading_h
        below_labels = below_heading - label_h
        canvas.addLiteral(
            f"q {_GRID_STROKE} .6 w 0 0 {n(width)} {n(self.height)} re S .4 w "
            f"0 {n(below_heading)} m {n(width)} {n(below_heading)} l S "
            f"0 {n(below_labels)} m {n(width)} {n(below_labels)} l S "
            f"{n(width / 2)} 0 m {n(width / 2)} {n(below_heading)} l S Q"
        )

    def __repr__(self) -> str:
        return f"SideBySide({len(self.rows)} rows)"

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


Pieces = list[tuple[str, str]]
#: One side of a row: its marked (kind, text) pieces, or text already set (a part of a broken row).
Cell = Pieces | Flowable


def _trimmed(pieces: Pieces) -> Pieces:
    """The pieces without the white space (a row's gap to the next) at their end."""
    out = list(pieces)
    while out and not out[-1][1].strip():
        out.pop()
    if out:
        kind, text = out[-1]
        out[-1] = (kind, text.rstrip())
    return out


def _join(into: Pieces, pieces: Pieces) -> None:
    """Append a row's pieces to the rows before it, as one text.

    A row ends with the plain gap to the next row's first word; where the
    words on both sides of the gap share a look (copied, copied), the gap
    takes it too, so that an underline runs on through it as it does
    inside a row.
    """
    if (
        len(into) >= 2
        and pieces
        and into[-1][0] == "plain"
        and into[-2][0] == pieces[0][0]
        and pieces[0][0] != "plain"
        and not any(ch.isalnum() for ch in into[-1][1])
    ):
        into[-1] = (pieces[0][0], into[-1][1])
    into.extend(pieces)


class SideBySide(Flowable):
    """A span's heading, its two column labels and its rows of aligned text.

    The rows are where the span may go on on the next page, both sides cut
    at the same word. On one page they are not boxes of their own: each
    side's rows there are set as one continuous text (``make`` sets pieces),
    so that no gap appears where neither text has a break.
    """

    def __init__(
        self,
        heading: Flowable,
        labels: tuple[Flowable, Flowable],
        rows: list[tuple[Cell, Cell]],
        *,
        make: Callable[[Pieces], Flowable] | None = None,
        continued_heading: Flowable | Callable[[], Flowable] | None = None,
        space_after: float = 0.0,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.labels = labels
        self.rows = rows
        self.make = make
        # Made only when the span does break across pages (a function makes it then).
        self._continued = continued_heading or heading
        self.spaceAfter = space_after
        self._measured_for: float | None = None
        self._heights: tuple[float, float, list[tuple[Flowable, Flowable, float]]] = (0.0, 0.0, [])
        # Each row set alone, by width: needed only to find where a page ends.
        self._row_heights: dict[float, list[float]] = {}
        # Rows joined into one text, by their first and last row: shared by
        # the parts of one span, so that a page's part is set only once.
        self._joined: dict[tuple[int, int], tuple[Flowable, Flowable]] = {}

    @property
    def continued_heading(self) -> Flowable:
        if not isinstance(self._continued, Flowable):
            self._continued = self._continued()
        return self._continued

    # ---- setting the rows

    def _groups(self, rows: list[tuple[Cell, Cell]]) -> list[tuple[Flowable, Flowable]]:
        """The rows as drawn: consecutive rows of pieces joined into one text per side."""
        groups: list[tuple[Flowable, Flowable]] = []
        run: list[tuple[Cell, Cell]] = []

        def close() -> None:
            if run:
                key = (id(run[0]), id(run[-1]))
                group = self._joined.get(key)
                if group is None:
                    assert self.make is not None
                    left: Pieces = []
                    right: Pieces = []
                    for a, b in run:
                        _join(left, a)  # type: ignore[arg-type]
                        _join(right, b)  # type: ignore[arg-type]
                    group = self._joined[key] = (
                        self.make(_trimmed(left)),
                        self.make(_trimmed(right)),
                    )
                groups.append(group)
                run.clear()

        for row in rows:
            if isinstance(row[0], list) and isinstance(row[1], list):
                run.append(row)
            else:
                close()
                groups.append((self._set(row[0]), self._set(row[1])))
        close()
        return groups

    def _set(self, cell: Cell) -> Flowable:
        if isinstance(cell, list):
            assert self.make is not None
            return self.make(_trimmed(cell))
        return cell

    @staticmethod
    def _group_height(group: tuple[Flowable, Flowable], inner: float) -> float:
        return max(group[0].wrap(inner, 1e9)[1], group[1].wrap(inner, 1e9)[1]) + 2 * PAD_Y

    def _measure(self, width: float) -> tuple[float, float, list[tuple[Flowable, Flowable, float]]]:
        if self._measured_for != width:
            inner = width / 2 - 2 * PAD_X
            heading_h = self.heading.wrap(width - 2 * PAD_X, 1e9)[1] + 2 * PAD_Y
            label_h = max(p.wrap(inner, 1e9)[1] for p in self.labels) + 2 * PAD_Y
            blocks = [(*g, self._group_height(g, inner)) for g in self._groups(self.rows)]
            self._heights = (heading_h, label_h, blocks)
            self._measured_for = width
        return self._heights

    def _rows_height(self, width: float, rows: list[tuple[Cell, Cell]]) -> float:
        inner = width / 2 - 2 * PAD_X
        return sum(self._group_height(g, inner) for g in self._groups(rows))

    def _each_row_height(self, width: float) -> list[float]:
        heights = self._row_heights.get(width)
        if heights is None:
            inner = width / 2 - 2 * PAD_X
            # Through the joined rows' store: a span of one row is set once.
            heights = self._row_heights[width] = [
                self._group_height(self._groups([row])[0], inner) for row in self.rows
            ]
        return heights

    def least_height(self, width: float) -> float:
        """The height of the smallest first part this table can leave on a page (heading, labels, a row or its start)."""
        heading_h, label_h, _ = self._measure(width)
        first_row = self._each_row_height(width)[0] if self.rows else 0.0
        # A tall row breaks between its lines; a few lines of it will do.
        return heading_h + label_h + (first_row if first_row <= TALL_ROW else FIRST_LINES)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        heading_h, label_h, blocks = self._measure(availWidth)
        self.width = availWidth
        self.height = heading_h + label_h + sum(block[2] for block in blocks)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        heading_h, label_h, _ = self._measure(availWidth)
        rows_h = self._each_row_height(availWidth)
        used = heading_h + label_h
        room = availHeight - used
        # The rows that fit each set alone; joined they take no more room
        # (a row's last line shares its line with the next row's first words),
        # so perhaps one or two more fit.
        fit = 0
        total = 0.0
        while fit < len(self.rows) and total + rows_h[fit] <= room:
            total += rows_h[fit]
            fit += 1
        while fit < len(self.rows) and self._rows_height(availWidth, self.rows[: fit + 1]) <= room:
            fit += 1
        if fit == len(self.rows):
            return []
        head_rows, tail_rows = self.rows[:fit], self.rows[fit:]
        if rows_h[fit] > TALL_ROW:
            # A row this tall (long unbroken tokens: hashes, URLs, sequences)
            # might not fit on any page: it breaks between its lines instead.
            taken = self._rows_height(availWidth, head_rows) if head_rows else 0.0
            row = self.rows[fit]
            broken = _break_row((self._set(row[0]), self._set(row[1])), availWidth, room - taken)
            if broken is not None:
                head_rows = [*head_rows, broken[0]]
                tail_rows = [broken[1], *self.rows[fit + 1 :]]
        if not head_rows:
            return []
        continued = self.continued_heading
        first = SideBySide(
            self.heading, self.labels, head_rows, make=self.make, continued_heading=continued
        )
        rest = SideBySide(
            continued,
            self.labels,
            tail_rows,
            make=self.make,
            continued_heading=continued,
            space_after=self.spaceAfter,
        )
        first._joined = rest._joined = self._joined
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
        heading_h, label_h, blocks = self._measure(width)
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
        for left, right, row_h in blocks:
            # Set at this width when measured; a text shared with a sibling part may have been set since.
            for cell in (left, right):
                if getattr(cell, "width", None) != inner:
                    cell.wrap(inner, 1e9)
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

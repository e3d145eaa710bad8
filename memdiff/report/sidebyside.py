"""One span drawn as two aligned columns (original | output) that can break across pages between rows.

A reportlab Table would do, but it lays out every cell twice (once to size the
table, once to draw it), and with hundreds of spans that doubled the time of a
long report. This flowable measures each paragraph once per width, splits
between rows when a page is full (repeating the span's heading with
"continued"), and draws the same boxes and rules a table would.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph

from memdiff.report.styles import GRID, HEADER_GROUND, SPAN_GROUND

PAD_X = 5.0
PAD_Y = 3.5


class SideBySide(Flowable):
    """A span's heading, its two column labels and its rows of aligned text."""

    def __init__(
        self,
        heading: Paragraph,
        labels: tuple[Paragraph, Paragraph],
        rows: list[tuple[Paragraph, Paragraph]],
        *,
        continued_heading: Paragraph | None = None,
    ) -> None:
        super().__init__()
        self.heading = heading
        self.labels = labels
        self.rows = rows
        self.continued_heading = continued_heading or heading
        self._measured_for: float | None = None
        self._heights: tuple[float, float, list[float]] = (0.0, 0.0, [])

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
        if fit == 0 or fit == len(self.rows):
            return []
        first = SideBySide(
            self.heading, self.labels, self.rows[:fit], continued_heading=self.continued_heading
        )
        rest = SideBySide(
            self.continued_heading,
            self.labels,
            self.rows[fit:],
            continued_heading=self.continued_heading,
        )
        return [first, rest]

    # ---- drawing

    def draw(self) -> None:
        canvas = self.canv
        width = self.width
        heading_h, label_h, rows_h = self._measure(width)
        # The heading may have been measured at another width by a sibling part.
        heading = self.heading
        heading.wrap(width - 2 * PAD_X, 1e9)
        top = self.height
        canvas.saveState()
        canvas.setFillColor(HEADER_GROUND)
        canvas.rect(0, top - heading_h, width, heading_h, stroke=0, fill=1)
        canvas.setFillColor(SPAN_GROUND)
        canvas.rect(0, top - heading_h - label_h, width, label_h, stroke=0, fill=1)
        canvas.restoreState()
        heading.drawOn(canvas, PAD_X, top - PAD_Y - heading.height)
        y = top - heading_h
        inner = width / 2 - 2 * PAD_X
        for para, x in ((self.labels[0], PAD_X), (self.labels[1], width / 2 + PAD_X)):
            para.wrap(inner, 1e9)
            para.drawOn(canvas, x, y - PAD_Y - para.height)
        y -= label_h
        for (left, right), row_h in zip(self.rows, rows_h):
            left.drawOn(canvas, PAD_X, y - PAD_Y - left.height)
            right.drawOn(canvas, width / 2 + PAD_X, y - PAD_Y - right.height)
            y -= row_h
        canvas.saveState()
        canvas.setStrokeColor(GRID)
        canvas.setLineWidth(0.6)
        canvas.rect(0, 0, width, self.height, stroke=1, fill=0)
        canvas.setLineWidth(0.4)
        canvas.line(0, top - heading_h, width, top - heading_h)
        canvas.line(0, top - heading_h - label_h, width, top - heading_h - label_h)
        canvas.line(width / 2, 0, width / 2, top - heading_h)
        canvas.restoreState()

    def __repr__(self) -> str:
        return f"SideBySide({len(self.rows)} rows)"

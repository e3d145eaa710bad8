"""The page machinery of a report: page templates, header and footer, "Page n of N", Bates numbers, bookmarks.

Sections (``sections.py``) produce flowables; this module lays them out on
Letter or A4 pages and turns the result into finished, archival PDF bytes.
"Page n of N" needs N before the last page is known, so the canvas keeps each
finished page aside and draws the page count on all of them at the end
(one layout pass instead of two); bookmarks are replayed at that moment too,
so that each points at the right page.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import re
import unicodedata
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from reportlab import rl_config
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.units import inch
from reportlab.pdfbase import pdfdoc, pdfmetrics, ttfonts
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, Paragraph

from memdiff import __version__
from memdiff.errors import Cancelled, InputError
from memdiff.progress import SILENT, Progress
from memdiff.report import pdfa
from memdiff.report.marked import MarkedText, colour_operator, number, text_line
from memdiff.report.styles import (
    MONO,
    MUTED,
    RULE,
    SANS,
    SANS_BOLD,
    Styles,
    clean,
    font_runs,
    register_fonts,
    visual_line,
)

PAGE_SIZES = {"letter": LETTER, "a4": A4}
MARGIN_X = 0.85 * inch
MARGIN_TOP = 0.95 * inch
MARGIN_BOTTOM = 1.0 * inch
FOOTER_Y = 0.45 * inch  # baseline of "Page n of N" and the Bates number


@dataclass(frozen=True)
class PageDecoration:
    """What every page carries besides its content."""

    case_number: str = ""
    exhibit: str = ""
    title: str = ""
    confidentiality: str = ""
    bates_prefix: str = ""
    bates_start: int | None = None

    def bates(self, page: int, pages: int = 1) -> str:
        """The Bates number of 1-based ``page`` of a report of ``pages`` pages, or "" when Bates numbering is off.

        Numbers have six digits, or as many as the report's last number needs, on every page alike: a
        production running from 999999 goes on with 1000000, and its first page reads 0999999.
        """
        if not self.bates_prefix and self.bates_start is None:
            return ""
        first = self.bates_start if self.bates_start is not None else 1
        digits = max(6, len(str(first + pages - 1)))
        return f"{self.bates_prefix}{first + page - 1:0{digits}d}"


class Heading(Paragraph):
    """A section heading that also becomes a PDF bookmark at ``level`` (0 = top)."""

    def __init__(self, text_markup: str, style: Any, *, level: int, outline: str, key: str) -> None:
        super().__init__(text_markup, style)
        self.outline_level = level
        self.outline_title = outline
        self.outline_key = key


class ContinuedText(Flowable):
    """A heading and its paragraphs (a quoted prompt) that may run over pages, kept readable across a break.

    A paragraph broken at a page's foot keeps at least ``min_lines`` lines
    on each side (no line stranded alone on a page), a heading is never the
    last thing on a page, and the part on the next page opens with the
    heading ``continued`` makes ("Prompt (continued)").
    """

    def __init__(
        self,
        flowables: list[Flowable],
        continued: Callable[[], Flowable],
        *,
        min_lines: int = 3,
    ) -> None:
        super().__init__()
        self.flowables = flowables
        self.continued = continued
        self.min_lines = min_lines
        self.spaceBefore = flowables[0].getSpaceBefore() if flowables else 0
        self.spaceAfter = flowables[-1].getSpaceAfter() if flowables else 0
        self._placed: list[tuple[Flowable, float, float]] = []

    def _gaps(self) -> list[float]:
        """The space above each flowable (none above the first): the larger of the two facing spaces."""
        gaps = [0.0]
        for before, after in zip(self.flowables[1:], self.flowables, strict=False):
            gaps.append(max(before.getSpaceBefore(), after.getSpaceAfter()))
        return gaps

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        self._placed = []
        for flowable, gap in zip(self.flowables, self._gaps(), strict=True):
            _, h = flowable.wrap(availWidth, 1e9)
            self._placed.append((flowable, gap, h))
        self.width = availWidth
        self.height = sum(gap + h for _, gap, h in self._placed)
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        self.wrap(availWidth, availHeight)
        used = 0.0
        for n, (flowable, gap, h) in enumerate(self._placed):
            if used + gap + h <= availHeight + 1e-6:
                used += gap + h
                continue
            parts = self._split_lines(flowable, availWidth, availHeight - used - gap)
            head = self.flowables[:n] + parts[:1]
            tail = parts[1:] if parts else [flowable]
            tail += self.flowables[n + 1 :]
            # A heading stays with what it introduces.
            while head and head[-1].getKeepWithNext():
                tail.insert(0, head.pop())
            if not head:
                return []
            if not tail[0].getKeepWithNext():
                tail.insert(0, self.continued())
            return [
                ContinuedText(head, self.continued, min_lines=self.min_lines),
                ContinuedText(tail, self.continued, min_lines=self.min_lines),
            ]
        return []  # all of it fits: nothing to split (the frame measured with other spaces)

    def _split_lines(self, flowable: Flowable, width: float, room: float) -> list[Flowable]:
        """``flowable`` broken into the lines that fit in ``room`` and the rest, each at least ``min_lines``; [] if not."""
        if isinstance(flowable, MarkedText):
            lines, leading = len(flowable.lines_for(width)), flowable.leading
        elif isinstance(flowable, Paragraph):
            flowable.wrap(width, 1e9)
            lines, leading = len(flowable.blPara.lines), flowable.style.leading
        else:
            return []
        fit = min(int((room + 1e-6) // leading), lines - self.min_lines)
        if fit < self.min_lines:
            return []
        parts = flowable.split(width, fit * leading + 0.01)
        return parts if len(parts) == 2 else []

    def draw(self) -> None:
        y = self.height
        for flowable, gap, h in self._placed:
            y -= gap + h
            flowable.drawOn(self.canv, 0, y)


class ReportCanvas(Canvas):
    """A canvas that holds finished pages back until the total page count is known."""

    decoration = PageDecoration()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._kept_pages: list[dict[str, Any]] = []
        self._page_bookmarks: list[str] = []
        # Readers open with the bookmarks (one per section) in view.
        self.showOutline()

    def bookmark_here(self, key: str) -> None:
        self._page_bookmarks.append(key)

    def showPage(self) -> None:
        self._kept_pages.append(dict(self.__dict__))
        self._page_bookmarks = []
        self._startPage()

    def save(self) -> None:
        total = len(self._kept_pages)
        for state in self._kept_pages:
            self.__dict__.update(state)
            for key in state["_page_bookmarks"]:
                Canvas.bookmarkPage(self, key, fit="XYZ", left=0, top=self._pagesize[1], zoom=0)
            self._draw_page_numbers(total)
            Canvas.showPage(self)
        Canvas.save(self)

    def _draw_page_numbers(self, total: int) -> None:
        """ "Page n of N" and the Bates number: both need the page count, known only once every page is set."""
        width, _ = self._pagesize
        label = f"Page {self._pageNumber} of {total}"
        x = width / 2 - pdfmetrics.stringWidth(label, SANS, 8.5) / 2
        self.addLiteral(
            f"q {colour_operator(RULE, 'rg')} {text_line(self, x, FOOTER_Y, [(SANS, label)], 8.5)} Q"
        )
        bates = self.decoration.bates(self._pageNumber, total)
        if bates:
            x, y, size = _bates_place(bates, width)
            self.addLiteral(f"q {colour_operator(RULE, 'rg')} {text_line(self, x, y, [(MONO, bates)], size)} Q")


class ReportTemplate(BaseDocTemplate):
    """Letter or A4 pages with a header (case number, exhibit) and footer (legend, Bates); bookmarks."""

    def __init__(
        self,
        buffer: io.BytesIO,
        decoration: PageDecoration,
        *,
        page_size: str,
        title: str,
        author: str,
        progress: Progress,
    ) -> None:
        register_fonts()
        size = PAGE_SIZES.get(page_size.lower(), LETTER)
        # A legend of several lines takes its room from the page's body, so nothing overprints it.
        legend = check_confidentiality(decoration.confidentiality, page_size)
        super().__init__(
            buffer,
            pagesize=size,
            leftMargin=MARGIN_X,
            rightMargin=MARGIN_X,
            topMargin=MARGIN_TOP,
            bottomMargin=max(MARGIN_BOTTOM, legend.top + LEGEND_CLEARANCE),
            title=title,
            author=author,
            creator=f"memdiff {__version__}",
            invariant=1,
            pageCompression=1,
            initialFontName=SANS,
            initialFontSize=9.5,
            lang="en",
        )
        self.decoration = decoration
        self._progress = progress
        self._bookmark_count = 0
        self._furniture_cache: tuple[float, _Furniture] | None = None
        self._furniture_operators: tuple[Any, str] | None = None
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            self.width,
            self.height,
            id="body",
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
        )
        self.addPageTemplates(
            [PageTemplate(id="body", frames=[frame], onPage=self._decorate, pagesize=size)]
        )
        self.setProgressCallBack(self._on_progress)

    def _on_progress(self, kind: str, value: int) -> None:
        if kind == "SIZE_EST":
            self._size_estimate = max(1, value)
        elif kind == "PROGRESS":
            total = getattr(self, "_size_estimate", 0) or 1
            self._progress.report(min(1.0, value / total), "Laying out the report")
            if self._progress.is_cancelled():
                raise Cancelled("Writing the report was cancelled.")

    def afterFlowable(self, flowable: Any) -> None:
        if isinstance(flowable, Heading):
            canvas = self.canv
            canvas.bookmark_here(flowable.outline_key)
            canvas.addOutlineEntry(
                flowable.outline_title,
                flowable.outline_key,
                level=flowable.outline_level,
                closed=flowable.outline_level > 0,
            )

    def _decorate(self, canvas: Canvas, doc: BaseDocTemplate) -> None:
        width, height = doc.pagesize
        # The furniture is the same on every page but for the Bates number:
        # its page operators are made once per report and repeated.
        if self._furniture_operators is None or self._furniture_operators[0] != doc.pagesize:
            self._furniture_operators = (doc.pagesize, self._furniture_page(canvas, width, height))
        canvas.addLiteral(self._furniture_operators[1])

    def _furniture_page(self, canvas: Canvas, width: float, height: float) -> str:
        """Page operators for the header and footer texts and rules (without the Bates number)."""
        left, right = MARGIN_X, width - MARGIN_X
        furniture = self._furniture(width)
        top = height - MARGIN_TOP + 0.38 * inch
        bottom = FOOTER_Y
        ops = ["q", colour_operator(RULE, "rg")]

        def line(x: float, y: float, text: str, font: str, size: float, align: str) -> None:
            runs = _drawn_runs(text, font)
            if align != "left":
                used = sum(pdfmetrics.stringWidth(piece, name, size) for name, piece in runs)
                x -= used if align == "right" else used / 2
            ops.append(text_line(canvas, x, y, runs, size))

        # Labels of several lines grow upwards from the header's baseline.
        size = furniture.header_size
        step = size * HEADER_LEADING
        for n, text in enumerate(reversed(furniture.case_lines)):
            line(left, top + n * step, text, SANS_BOLD, size, "left")
        for n, text in enumerate(reversed(furniture.exhibit_lines)):
            line(right, top + n * step, text, SANS_BOLD, size, "right")
        if furniture.title:
            ops.append(colour_operator(MUTED, "rg"))
            line(width / 2, top, furniture.title, SANS, TITLE_SIZE, "centre")
            ops.append(colour_operator(RULE, "rg"))
        n = number
        ops.append(
            f"{colour_operator(RULE, 'RG')} .6 w {n(left)} {n(top - 6)} m {n(right)} {n(top - 6)} l S "
            f"{n(left)} {n(bottom + 13)} m {n(right)} {n(bottom + 13)} l S"
        )
        # Drawn from its top line down, so that its text is read (and copied) in order.
        legend = furniture.legend
        for n, text in enumerate(legend.lines):
            y = LEGEND_Y + (len(legend.lines) - 1 - n) * legend.leading
            line(width / 2, y, text, SANS_BOLD, legend.size, "centre")
        ops.append("Q")
        return "\n".join(ops)

    def _furniture(self, page_width: float) -> _Furniture:
        """The header and footer texts, fitted to the page once (they are the same on every page)."""
        cached = self._furniture_cache
        if cached is not None and cached[0] == page_width:
            return cached[1]
        d = self.decoration
        left, right = MARGIN_X, page_width - MARGIN_X
        case_text = clean(case_label(d.case_number)) if d.case_number.strip() else ""
        exhibit_text = clean(exhibit_label(d.exhibit)) if d.exhibit.strip() else ""
        size, case_lines, exhibit_lines = _fit_header(case_text, exhibit_text, right - left)
        title = ""
        if d.title and len(case_lines) <= 1 and len(exhibit_lines) <= 1:
            used_left = _label_width(case_text, size) if case_text else 0.0
            used_right = _label_width(exhibit_text, size) if exhibit_text else 0.0
            # The title goes in the middle only where it clears both sides.
            room = (right - left) / 2 - max(used_left, used_right) - HEADER_GAP
            title = fit_title(clean(d.title), 2 * room) if room > 60 else ""
        legend = fit_legend(clean(d.confidentiality), right - left)
        furniture = _Furniture(case_lines, exhibit_lines, size, title, legend)
        self._furniture_cache = (page_width, furniture)
        return furniture


@dataclass(frozen=True)
class Legend:
    """The confidentiality legend as set in every page's footer: its lines (top first) and their size."""

    lines: tuple[str, ...] = ()
    size: float = 8.0

    @property
    def leading(self) -> float:
        return self.size * LEGEND_LEADING

    @property
    def top(self) -> float:
        """The height above the page's foot that the legend's top line reaches (0 without a legend)."""
        if not self.lines:
            return 0.0
        return LEGEND_Y + (len(self.lines) - 1) * self.leading + self.size


# The legend's last baseline (above the footer's rule), its sizes, line spacing, and the
# room kept between its top line and the page's body.
LEGEND_Y = FOOTER_Y + 19
LEGEND_SIZE = 8.0
LEGEND_SMALLEST = 6.5
LEGEND_WRAPPED_SIZE = 7.5
LEGEND_LEADING = 1.2
LEGEND_CLEARANCE = 12.0


def fit_legend(legend: str, width: float) -> Legend:
    """The legend whole on every page: on one line, set smaller if need be, else on as many lines as it takes.

    A protective order requires its legend in full on each page, so it is
    never cut short. One a little too long for the line is set a little
    smaller; a longer one is broken at words into lines of a legible size.
    """
    if not legend:
        return Legend()
    size = LEGEND_SIZE
    while size > LEGEND_SMALLEST and _label_width(legend, size) > width:
        size -= 0.25
    if _label_width(legend, size) <= width:
        return Legend((legend,), size)
    size = LEGEND_WRAPPED_SIZE
    lines = _wrap_label(legend, size, width)
    # Lines of even length (centred, they read as one block): the narrowest
    # measure that still takes no more lines.
    narrow, wide = width / len(lines), width
    while wide - narrow > 2:
        middle = (narrow + wide) / 2
        if len(_wrap_label(legend, size, middle)) <= len(lines):
            wide = middle
        else:
            narrow = middle
    return Legend(tuple(_wrap_label(legend, size, wide)), size)


def check_confidentiality(confidentiality: str, page_size: str = "letter") -> Legend:
    """The legend as every page will carry it; InputError when it is too long to (see :func:`check_legend`).

    The command line can call this before any comparison runs, so that a
    legend too long is refused at once.
    """
    register_fonts()
    width, height = PAGE_SIZES.get(page_size.lower(), LETTER)
    legend = fit_legend(clean(confidentiality), width - 2 * MARGIN_X)
    check_legend(legend, height, confidentiality)
    return legend


def check_legend(legend: Legend, page_height: float, confidentiality: str) -> None:
    """Refuse a legend that would fill a quarter of every page: it is the user's to shorten, never cut."""
    if legend.top > page_height / 4:
        most_lines = int((page_height / 4 - LEGEND_Y - legend.size) // legend.leading) + 1
        most = most_lines * len(confidentiality) // len(legend.lines)
        raise InputError(
            f"The confidentiality legend is too long to print in full on every page "
            f"({len(confidentiality):,} characters); shorten it to about {most:,} characters or fewer."
        )


@dataclass(frozen=True)
class _Furniture:
    case_lines: tuple[str, ...]
    exhibit_lines: tuple[str, ...]
    header_size: float
    title: str
    legend: Legend


# The header's labels: their size, the room between them, the most lines
# each may take, and the line spacing (a multiple of the size).
HEADER_SIZE = 8.5
HEADER_SMALL_SIZE = 7.0
HEADER_GAP = 12.0
HEADER_MAX_LINES = 3
HEADER_LEADING = 1.2
# Room for the widest "Page n of N" a report will have, beside the Bates number.
_WIDEST_PAGE_COUNT = "Page 8888 of 8888"
BATES_SIZE = 9.0


def _drawn_runs(text: str, font: str) -> list[tuple[str, str]]:
    """One line as (font, text) runs in the order drawn: Arabic joined, right-to-left text in visual order."""
    return font_runs(visual_line(text), font)


def _label_width(text: str, size: float, font: str = SANS_BOLD) -> float:
    return sum(pdfmetrics.stringWidth(piece, name, size) for name, piece in _drawn_runs(text, font))


def _wrap_label(text: str, size: float, width: float) -> list[str]:
    """``text`` broken into lines no wider than ``width`` at words, and inside a word longer than a line."""
    lines: list[str] = []
    current = ""
    for word in text.split():
        candidate = f"{current} {word}" if current else word
        if _label_width(candidate, size) <= width:
            current = candidate
            continue
        if current:
            lines.append(current)
        current = word
        while _label_width(current, size) > width and len(current) > 1:
            cut = len(current) - 1
            while cut > 1 and _label_width(current[:cut], size) > width:
                cut -= 1
            lines.append(current[:cut])
            current = current[cut:]
    if current:
        lines.append(current)
    return lines


def _fit_header(
    case_label: str, exhibit_label: str, width: float
) -> tuple[float, tuple[str, ...], tuple[str, ...]]:
    """The header's size and the lines of its two labels, side by side within ``width``, never overlapping.

    A case number or exhibit label is evidence of what the page belongs to,
    so it is never cut short: a label too long for one line takes two, then
    three in a smaller size; only a label of absurd length loses its end.
    """
    for size, most in ((HEADER_SIZE, 1), (HEADER_SIZE, 2), (HEADER_SMALL_SIZE, HEADER_MAX_LINES)):
        a = _label_width(case_label, size) if case_label else 0.0
        b = _label_width(exhibit_label, size) if exhibit_label else 0.0
        gap = HEADER_GAP if case_label and exhibit_label else 0.0
        if a + b + gap <= width:
            return size, _one(case_label), _one(exhibit_label)
        if most == 1:
            continue
        # The shorter label keeps its line if it can; the other takes the rest.
        half = (width - gap) / 2
        if a <= half:
            left_room, right_room = a, width - gap - a
        elif b <= half:
            left_room, right_room = width - gap - b, b
        else:
            left_room = right_room = half
        case_lines = _wrap_label(case_label, size, left_room) if case_label else []
        exhibit_lines = _wrap_label(exhibit_label, size, right_room) if exhibit_label else []
        if max(len(case_lines), len(exhibit_lines)) <= most:
            return size, tuple(case_lines), tuple(exhibit_lines)
    # Only a label of absurd length gets here: its last line ends in an ellipsis.
    return size, _at_most(case_lines, size, left_room), _at_most(exhibit_lines, size, right_room)


def _at_most(lines: list[str], size: float, width: float) -> tuple[str, ...]:
    if len(lines) <= HEADER_MAX_LINES:
        return tuple(lines)
    last = _fit(" ".join(lines[HEADER_MAX_LINES - 1 :]), SANS_BOLD, size, width)
    return (*lines[: HEADER_MAX_LINES - 1], last)


def _one(label: str) -> tuple[str, ...]:
    return (label,) if label else ()


def _bates_place(bates: str, page_width: float) -> tuple[float, float, float]:
    """Where the Bates number goes (x, baseline, size): right-aligned beside "Page n of N", or below it when too long.

    A Bates number is never cut short: one too wide for the line below is set smaller.
    """
    right = page_width - MARGIN_X
    size = BATES_SIZE
    used = pdfmetrics.stringWidth(bates, MONO, size)
    beside = page_width / 2 + pdfmetrics.stringWidth(_WIDEST_PAGE_COUNT, SANS, 8.5) / 2 + HEADER_GAP
    if right - used >= beside:
        return right - used, FOOTER_Y, size
    room = right - MARGIN_X
    if used > room:
        size = max(4.0, size * room / used)
        used = pdfmetrics.stringWidth(bates, MONO, size)
    return right - used, FOOTER_Y - 11, size


def exhibit_label(exhibit: str) -> str:
    """The exhibit's label as printed: "Exhibit " and the label exactly as typed ("12a" stays "12a").

    An exhibit label is an identifier: 12a and 12A can be two exhibits, so
    its letters' case is never changed; a label typed with its own
    "Exhibit" is not given a second one.
    """
    exhibit = exhibit.strip()
    return exhibit if exhibit.lower().startswith("exhibit") else f"Exhibit {exhibit}"


# A case number typed with its own label: "Case No. 1:23-cv-1", "Civil Action No. 24-1",
# "MDL No. 3143", "No. 1:23-cv-1", "Case: 1:23-cv-1", "Az. 3 O 123/24".
_CASE_PREFIX = re.compile(
    # "Civil Action No. 1:23", but not "In re Number Nine": a label is followed by a number.
    r"(?:case\b|(?:[^\W\d]+\.?\s+){0,3}(?:no|nos|nr|number|num)\b\.?(?=\s*[:#]?\s*\S*\d)|(?:az|aktenzeichen)\b)",
    re.IGNORECASE,
)


def case_label(case_number: str) -> str:
    """The case number as printed: "Case No. " and the number, unless it was typed with such a label already."""
    case_number = case_number.strip()
    return case_number if _CASE_PREFIX.match(case_number) else f"Case No. {case_number}"


def _fit(text: str, font: str, size: float, width: float) -> str:
    """``text`` shortened with an ellipsis so it fits ``width`` points."""
    if _label_width(text, size, font) <= width:
        return text
    while text and _label_width(text + "…", size, font) > width:
        text = text[:-1]
    return text.rstrip() + "…"


TITLE_SIZE = 8.0
#: Letters of the scripts written without spaces between words.
_UNSPACED_SCRIPT = re.compile(
    "[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
    "\U00020000-\U0003134f]"
)


def fit_title(title: str, width: float) -> str:
    """The running title whole, or cut after a whole word with an ellipsis, or "" when not even two words fit.

    A title cut inside a word ("…with an ori…") reads as a misprint on
    every page of an exhibit; a title reduced to its first word says nothing.
    """
    if _label_width(title, TITLE_SIZE, SANS) <= width:
        return title
    if _UNSPACED_SCRIPT.search(title):
        # Chinese, Japanese, Thai, Lao, Khmer and Burmese put no spaces between words: a line of them
        # is cut between characters, as every book in those scripts cuts it.
        return _fit(title, SANS, TITLE_SIZE, width)
    words = title.split()
    for kept in range(len(words) - 1, 1, -1):
        shortened = " ".join(words[:kept]).rstrip(",;:–—-") + "…"
        if _label_width(shortened, TITLE_SIZE, SANS) <= width:
            return shortened
    return ""


# zlib's level for the PDF's streams: 3 deflates a long report's 1.4 MB of
# page operators in two thirds of the time reportlab's default 6 takes, for
# a file about a tenth larger.
FLATE_LEVEL = 3


class _Flate(pdfdoc.PDFStreamFilterZCompress):
    def encode(self, text: str | bytes) -> bytes:
        return zlib.compress(text.encode("utf8") if isinstance(text, str) else text, FLATE_LEVEL)


_FLATE = _Flate()


_REPORTLAB_TO_UNICODE = ttfonts.makeToUnicodeCMap
_CMAP_ENTRY = re.compile(r"^(<[0-9A-F]{2}>) <([0-9A-F]{4,6})>$", re.MULTILINE)


def _utf16_hex(text: str) -> str:
    return text.encode("utf-16-be").hex().upper()


def _cmap_entry(match: re.Match[str]) -> str:
    code = int(match.group(2), 16)
    if code <= 0xFFFF and not (0xFB50 <= code <= 0xFDFF or 0xFE70 <= code <= 0xFEFF):
        return match.group(0)
    # An Arabic letter joined for drawing (a presentation form: initial,
    # medial, final, or a lam-alef ligature) means its base letter(s). Lines
    # are drawn in visual order, so a ligature's letters are listed as they
    # stand on the page, right to left: readers that put Arabic back in
    # reading order then turn them round with the rest of the line.
    meaning = unicodedata.normalize("NFKC", chr(code)) if code <= 0xFFFF else chr(code)
    if 0xFB50 <= code <= 0xFEFF and len(meaning) > 1:
        meaning = meaning[::-1]
    return f"{match.group(1)} <{_utf16_hex(meaning or chr(code))}>"


def _to_unicode_cmap(fontname: str, subset: list[int]) -> str:
    """reportlab's ToUnicode map of a font subset, with two kinds of entry corrected.

    A character beyond the Basic Multilingual Plane was written as five or
    six hex digits (<1F311>), which is no UTF-16 and which readers reject:
    it is written as its surrogate pair. Arabic is drawn in the joined forms
    ``bidi.shape`` gives; each now maps to the letters it stands for, so
    that copying or searching the report finds the words as written.
    """
    return _CMAP_ENTRY.sub(_cmap_entry, _REPORTLAB_TO_UNICODE(fontname, subset))


@contextlib.contextmanager
def _binary_streams() -> Iterator[None]:
    """Streams deflated at ``FLATE_LEVEL`` and not ASCII85-encoded (the PDF is binary anyway); sound ToUnicode maps.

    These are reportlab settings of the whole process (the filter object its
    streams use and the ToUnicode writer are module globals), set for the
    time of one report.
    """
    saved = rl_config.useA85, pdfdoc.PDFZCompress, ttfonts.makeToUnicodeCMap
    rl_config.useA85 = 0
    pdfdoc.PDFZCompress = _FLATE
    ttfonts.makeToUnicodeCMap = _to_unicode_cmap
    try:
        yield
    finally:
        rl_config.useA85, pdfdoc.PDFZCompress, ttfonts.makeToUnicodeCMap = saved


def render(
    story: list[Any],
    decoration: PageDecoration,
    *,
    page_size: str,
    title: str,
    author: str,
    subject: str,
    record: dict[str, Any],
    moment: _dt.datetime,
    progress: Progress = SILENT,
) -> bytes:
    """Lay out ``story`` and return the finished archival PDF bytes (nothing is written to disk)."""
    buffer = io.BytesIO()
    doc = ReportTemplate(
        buffer, decoration, page_size=page_size, title=title, author=author, progress=progress
    )

    canvases: list[ReportCanvas] = []

    def canvas_maker(*args: Any, **kwargs: Any) -> ReportCanvas:
        canvas = ReportCanvas(*args, **kwargs)
        canvas.decoration = decoration
        canvas.setPageCompression(1)
        canvases.append(canvas)
        return canvas

    with _binary_streams():
        doc.build(story, canvasmaker=canvas_maker)
    progress.check()
    return pdfa.finish(
        buffer.getvalue(),
        pages=_page_contents(canvases[-1]) if canvases else None,
        title=title,
        author=author,
        subject=subject,
        keywords="memdiff; reproduction; comparison",
        creator_tool=f"memdiff {__version__}",
        producer=f"memdiff {__version__} (reportlab, pikepdf)",
        moment=moment,
        record=record,
    )


def _page_contents(canvas: Canvas) -> list[bytes] | None:
    """Each page's operators as written (before deflating), in page order; None if reportlab wrote them otherwise.

    The archival step seals the pages with a digest of exactly these bytes;
    handing them over spares it inflating every page again.
    """
    out: list[bytes] = []
    for page in canvas._doc.Pages.pages:
        stream = getattr(page, "Contents", None)
        content = getattr(stream, "content", None)
        if not isinstance(content, str | bytes) or list(getattr(stream, "filters", None) or []) != [
            _FLATE
        ]:
            return None
        out.append(content.encode("utf8") if isinstance(content, str) else content)
    return out


def styles() -> Styles:
    return Styles()

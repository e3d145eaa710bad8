"""Marked text set directly on the page: left-aligned lines of words in a few looks (plain, copied, ...).

The side-by-side rows and the complete output are most of a long report, and
reportlab's general Paragraph spent most of the report's time on them: its
line breaker and line drawer handle every feature of its markup for every
word. Marked text needs only a handful of looks (font, size, colour,
underline, grey ground, raised span numbers) and left-aligned lines, so this
flowable breaks lines itself, with word widths measured once per report, and
writes the page operators itself (through reportlab's documented interface
for subset TrueType fonts, so the fonts are embedded and the text stays
searchable exactly as before).

Each look's underline and ground are drawn per line over the whole run of
words in that look, so every copied word is underlined, also where several
copied runs share a line (reportlab's Paragraph underlined only the last run
of a line when the runs came from cloned fragments).

Words are kept as tuples of numbers and strings only (a look is named by its
index in the maker's list of looks): Python's cycle collector stops tracking
such tuples, so a long report's tens of thousands of words do not slow its
collections down.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

# Where the underline sits below the baseline and how thick it is, in units
# of the font size and in points (reportlab's defaults, so the look is unchanged).
UNDERLINE_DROP = 0.125
UNDERLINE_WIDTH = 1.0


# Numbers already written: baselines, offsets and widths recur thousands of times.
_NUMBERS: dict[float, str] = {}


def number(value: float) -> str:
    """A coordinate for the page stream: at most 4 decimals, no trailing zeros (deterministic)."""
    text = _NUMBERS.get(value)
    if text is None:
        text = f"{value:.4f}".rstrip("0").rstrip(".")
        if text in ("", "-0"):
            text = "0"
        if len(_NUMBERS) < 20_000:  # a long report writes a few thousand distinct numbers
            _NUMBERS[value] = text
    return text


def colour_operator(colour: Color, operator: str) -> str:
    """``colour`` as the operator that sets it (``rg`` for fill, ``RG`` for stroke)."""
    r, g, b = colour.red, colour.green, colour.blue
    return f"{number(r)} {number(g)} {number(b)} {operator}"


@dataclass(eq=False)  # not frozen: it carries the memo of measured widths
class Look:
    """How one kind of text is drawn: face, size, colour, raise, underline, ground."""

    font: str
    size: float
    colour: Color
    rise: float = 0.0
    underline: bool = False
    ground: Color | None = None
    # Measured widths of words in this look, in points (filled as words are met).
    widths: dict[str, float] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self.face = pdfmetrics.getFont(self.font)
        self.fill = colour_operator(self.colour, "rg")
        self.stroke = colour_operator(self.colour, "RG")
        self.ground_fill = colour_operator(self.ground, "rg") if self.ground is not None else ""
        self.size_text = number(self.size)
        self.rise_text = number(self.rise)
        self.space = self.width(" ")
        self.subset0 = (self.font, 0, self.size_text)

    def font_operator(self, subset: int, doc: Any) -> str:
        """The operator that selects this look's font subset and size in ``doc``."""
        return f"{self.face.getSubsetInternalName(subset, doc)} {self.size_text} Tf"

    def width(self, text: str) -> float:
        w = self.widths.get(text)
        if w is None:
            w = self.widths[text] = self.face.stringWidth(text, self.size)
        return w


# A word: (index of the look of the space before it, or NO_SPACE at a line
# start; its parts as (look index, text, width), none with a space inside;
# its total width). A line break is None.
NO_SPACE = -1
Part = tuple[int, str, float]
Word = tuple[int, tuple[Part, ...], float]


def words_of(
    segments: list[tuple[int, str]], looks: list[Look], *, keep_lines: bool
) -> list[Word | None]:
    """Cut (look index, text) segments into words at spaces; "\\n" ends a line when ``keep_lines``.

    A run of spaces counts as one. A word may run on from one segment into
    the next (a copied word and the plain comma after it).
    """
    out: list[Word | None] = []
    append = out.append
    space = NO_SPACE  # the look of the space before the next word
    at_start = True  # no word yet on this line: a space here is dropped
    glued = False  # the last segment ended inside a word: the next one continues it
    for index, text in segments:
        if "\n" in text:
            lines = text.split("\n") if keep_lines else [text.replace("\n", " ")]
        else:
            lines = [text]
        look = looks[index]
        widths = look.widths
        for n, line in enumerate(lines):
            if n:
                append(None)
                space, at_start, glued = NO_SPACE, True, False
            for i, chunk in enumerate(line.split(" ")):
                if i:
                    glued = False
                    space = NO_SPACE if at_start else index
                if not chunk:
                    continue
                w = widths.get(chunk)
                if w is None:
                    w = look.width(chunk)
                if glued:
                    before, parts, width = out[-1]  # type: ignore[misc]
                    out[-1] = (before, (*parts, (index, chunk, w)), width + w)
                else:
                    append((space, ((index, chunk, w),), w))
                    at_start = False
                glued = True
    return out


def _break_long(word: Word, width: float, looks: list[Look]) -> list[Word]:
    """A word wider than a line, cut between characters into pieces that fit (the first keeps its space)."""
    space, parts, _ = word
    pieces: list[Word] = []
    current: list[tuple[int, str]] = []
    used = 0.0
    for index, text, _w in parts:
        for ch in text:
            w = looks[index].width(ch)
            if current and used + w > width:
                pieces.append(_word_of(space if not pieces else NO_SPACE, current, looks))
                current, used = [], 0.0
            current.append((index, ch))
            used += w
    pieces.append(_word_of(space if not pieces else NO_SPACE, current, looks))
    return pieces


def _word_of(space: int, characters: list[tuple[int, str]], looks: list[Look]) -> Word:
    """A word from single characters, consecutive characters of one look joined into one part."""
    runs: list[tuple[int, str]] = []
    for index, ch in characters:
        if runs and runs[-1][0] == index:
            runs[-1] = (index, runs[-1][1] + ch)
        else:
            runs.append((index, ch))
    parts = tuple((index, text, looks[index].width(text)) for index, text in runs)
    return (space, parts, sum(p[2] for p in parts))


def _words_of_lines(lines: list[list[Word]]) -> list[Word | None]:
    """The words of set lines again, with a break where a line did not start after a space."""
    out: list[Word | None] = []
    for n, line in enumerate(lines):
        if n and (not line or line[0][0] == NO_SPACE):
            out.append(None)
        out.extend(line)
    return out


def break_lines(words: list[Word | None], width: float, looks: list[Look]) -> list[list[Word]]:
    """Greedy left-aligned lines no wider than ``width``; a None in ``words`` ends a line."""
    spaces = [look.space for look in looks]
    lines: list[list[Word]] = []
    line: list[Word] = []
    used = 0.0
    limit = width + 1e-6
    for word in words:
        if word is None:
            lines.append(line)
            line = []
            used = 0.0
            continue
        space, _parts, w = word
        gap = spaces[space] if (line and space != NO_SPACE) else 0.0
        if used + gap + w <= limit:
            line.append(word)
            used += gap + w
            continue
        if line:
            lines.append(line)
            line = []
            used = 0.0
        if w <= limit:
            line.append(word)
            used = w
            continue
        pieces = _break_long(word, width, looks)
        for piece in pieces[:-1]:
            lines.append([piece])
        line = [pieces[-1]]
        used = pieces[-1][2]
    lines.append(line)
    return [] if lines == [[]] else lines


# Printable ASCII other than the three characters PDF strings escape.
_PLAIN_ASCII = re.compile(r"[ -'*-\[\]-~]*")
_NOT_PLAIN = re.compile(r"[^ -'*-\[\]-~]")
# Per PDF document and font: each character's subset and escaped code, as
# reportlab assigned them (the codes of a subset font depend on the document).
_CODES: weakref.WeakKeyDictionary[Any, dict[str, dict[str, tuple[int, str]]]] = (
    weakref.WeakKeyDictionary()
)


def encode(canvas: Any, font: str, face: Any, text: str) -> list[tuple[int, str]]:
    """``text`` as (subset, PDF string body) pairs in the TrueType ``face`` for the canvas's document."""
    if _PLAIN_ASCII.fullmatch(text):
        # reportlab gives printable ASCII its own codes in subset 0 of every
        # TrueType font (ttfAsciiReadable), so these strings need no look-up.
        return [(0, text)]
    doc = canvas._doc
    fonts = _CODES.get(doc)
    if fonts is None:
        fonts = _CODES[doc] = {}
    codes = fonts.get(font)
    if codes is None:
        codes = fonts[font] = {}
    out: list[tuple[int, str]] = []
    subset = -1
    chunk: list[str] = []

    def add(piece_subset: int, piece: str) -> None:
        nonlocal subset, chunk
        if piece_subset != subset:
            if chunk:
                out.append((subset, "".join(chunk)))
            subset, chunk = piece_subset, []
        chunk.append(piece)

    pos = 0
    for match in _NOT_PLAIN.finditer(text):
        if match.start() > pos:
            add(0, text[pos : match.start()])
        ch = match.group()
        code = codes.get(ch)
        if code is None:
            ((char_subset, data),) = face.splitString(ch, doc)
            code = codes[ch] = (char_subset, canvas._escape(data))
        add(*code)
        pos = match.end()
    if pos < len(text):
        add(0, text[pos:])
    if chunk:
        out.append((subset, "".join(chunk)))
    return out


def _runs(
    line: list[Word], looks: list[Look], spaces: list[float]
) -> list[tuple[Look, str, float]]:
    """A set line as runs of one look each: (look, text, width), spaces between words included."""
    out: list[tuple[Look, str, float]] = []
    last = NO_SPACE
    texts: list[str] = []
    width = 0.0
    first = True
    for space, parts, _w in line:
        if first:
            first = False
        elif space != NO_SPACE:
            if space != last:
                if texts:
                    out.append((looks[last], "".join(texts), width))
                texts, width, last = [" "], spaces[space], space
            else:
                texts.append(" ")
                width += spaces[space]
        for index, piece, w in parts:
            if index != last:
                if texts:
                    out.append((looks[last], "".join(texts), width))
                texts, width, last = [piece], w, index
            else:
                texts.append(piece)
                width += w
    if texts:
        out.append((looks[last], "".join(texts), width))
    return out


class MarkedText(Flowable):
    """Left-aligned lines of marked words; breaks between lines when a page is full.

    Built from (look index, text) segments; the words are cut out when the
    text is first measured.
    """

    def __init__(
        self,
        segments: list[tuple[int, str]],
        looks: list[Look],
        *,
        keep_lines: bool,
        size: float,
        leading: float,
        space_before: float = 0.0,
        space_after: float = 0.0,
    ) -> None:
        super().__init__()
        self.segments = segments
        self.looks = looks
        self.keep_lines = keep_lines
        self.size = size
        self.leading = leading
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self._words: list[Word | None] | None = None
        self._lines: list[list[Word]] | None = None
        self._lines_width: float | None = None

    @property
    def words(self) -> list[Word | None]:
        if self._words is None:
            self._words = words_of(self.segments, self.looks, keep_lines=self.keep_lines)
        return self._words

    def lines_for(self, width: float) -> list[list[Word]]:
        if self._lines is None or self._lines_width != width:
            self._lines = break_lines(self.words, width, self.looks)
            self._lines_width = width
        return self._lines

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        lines = self.lines_for(availWidth)
        self.width = availWidth
        self.height = len(lines) * self.leading
        return self.width, self.height

    def split(self, availWidth: float, availHeight: float) -> list[Flowable]:
        lines = self.lines_for(availWidth)
        fit = int((availHeight + 1e-6) // self.leading)
        # Never one line alone at the foot of a page (as reportlab's paragraphs).
        if fit >= len(lines) or fit < 1 or (fit == 1 and len(lines) > 1):
            return []
        return [
            self._part(lines[:fit], availWidth, space_before=self.spaceBefore),
            self._part(lines[fit:], availWidth, space_after=self.spaceAfter),
        ]

    def _part(
        self,
        lines: list[list[Word]],
        width: float,
        *,
        space_before: float = 0.0,
        space_after: float = 0.0,
    ) -> MarkedText:
        part = MarkedText(
            [],
            self.looks,
            keep_lines=True,
            size=self.size,
            leading=self.leading,
            space_before=space_before,
            space_after=space_after,
        )
        part._words = _words_of_lines(lines)
        part._lines, part._lines_width = lines, width
        return part

    def draw(self) -> None:
        if self._lines:
            self.canv.addLiteral(self.operators(self.canv))

    def draw_at(self, canvas: Any, x: float, y: float) -> None:
        """Draw with the bottom left corner at (x, y), as drawOn does, without its bookkeeping.

        For the many small texts inside one flowable (the side-by-side rows):
        the text is placed in its own saved graphics state, so the canvas's
        own record of the state stays true.
        """
        if self._lines:
            body = self.operators(canvas)
            canvas.addLiteral(f"q 1 0 0 1 {number(x)} {number(y)} cm\n{body}\nQ")

    def operators(self, canvas: Any) -> str:
        """The page operators that draw the set lines, with (0, 0) at the bottom left."""
        lines = self._lines or []
        if not lines:
            return ""
        doc = canvas._doc
        looks = self.looks
        grounds: list[str] = []  # drawn first, so that text and underlines lie on top
        underlines: list[str] = []
        text: list[str] = ["BT"]
        emit = text.append
        font_state: tuple[str, int, str] | None = None
        fill = ""
        rise = "0"
        spaces = [look.space for look in looks]
        leading = self.leading
        y = self.height - self.size
        for line in lines:
            if not line:
                y -= leading
                continue
            emit(f"1 0 0 1 0 {number(y)} Tm")
            x = 0.0
            for look, run, w in _runs(line, looks, spaces):
                if look.underline:
                    underlines.append(_underline(look, x, x + w, y))
                if look.ground is not None:
                    grounds.append(self._ground(look, x, x + w, y))
                if look.fill != fill:
                    fill = look.fill
                    emit(fill)
                if look.rise_text != rise:
                    rise = look.rise_text
                    emit(f"{rise} Ts")
                if _PLAIN_ASCII.fullmatch(run):
                    # reportlab gives printable ASCII its own codes in subset 0 of
                    # every TrueType font (ttfAsciiReadable): no look-up needed.
                    if font_state != look.subset0:
                        font_state = look.subset0
                        emit(look.font_operator(0, doc))
                    emit(f"({run}) Tj")
                else:
                    for subset, chars in encode(canvas, look.font, look.face, run):
                        state = (look.font, subset, look.size_text)
                        if state != font_state:
                            font_state = state
                            emit(look.font_operator(subset, doc))
                        emit(f"({chars}) Tj")
                x += w
            y -= leading
        emit("ET")
        out = ["q", *grounds]
        if underlines:
            out.append(f"{number(UNDERLINE_WIDTH)} w")
            out += underlines
        out += text
        out.append("Q")
        return "\n".join(out)

    def _ground(self, look: Look, x0: float, x1: float, baseline: float) -> str:
        bottom = baseline + self.size - self.leading
        return (
            f"{look.ground_fill} {number(x0)} {number(bottom)} "
            f"{number(x1 - x0)} {number(self.leading)} re f"
        )

    def __repr__(self) -> str:
        return f"MarkedText({len(self._lines or [])} lines set)"


def _underline(look: Look, x0: float, x1: float, baseline: float) -> str:
    y = number(baseline + look.rise - UNDERLINE_DROP * look.size)
    return f"{look.stroke} {number(x0)} {y} m {number(x1)} {y} l S"


def text_line(canvas: Any, x: float, y: float, runs: list[tuple[str, str]], size: float) -> str:
    """Page operators for one line of (font name, text) runs from (x, y), in the current fill colour."""
    ops = [f"BT 1 0 0 1 {number(x)} {number(y)} Tm"]
    doc = canvas._doc
    for font, text in runs:
        face = pdfmetrics.getFont(font)
        for subset, chars in encode(canvas, font, face, text):
            ops.append(f"{face.getSubsetInternalName(subset, doc)} {number(size)} Tf ({chars}) Tj")
    ops.append("ET")
    return " ".join(ops)

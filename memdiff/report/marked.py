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

A text's words are kept in flat lists (texts, widths, gaps, running total
of widths) made with a few list operations per stretch of one look, so most
of the per-word work runs in C: a line is found with one binary search in
the running total, and a line's text in one look is one join.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate
from operator import add
from typing import Any

from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from memdiff.report.bidi import has_strong_letter, paragraph_level, visual_runs

# Where the underline sits below the baseline and how thick it is, in units
# of the font size and in points (reportlab's defaults, so the look is unchanged).
UNDERLINE_DROP = 0.125
UNDERLINE_WIDTH = 1.0
_UNDERLINE_WIDTH = f"{UNDERLINE_WIDTH:g} w"


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


class _Widths(dict[str, float]):
    """Measured widths of strings in one face and size: a miss is measured and kept.

    Looking widths up through ``map(widths.__getitem__, words)`` keeps the
    loop over a text's words in C; only words not met before reach Python.
    """

    def __init__(self, face: Any, size: float) -> None:
        super().__init__()
        self.face = face
        self.size = size

    def __missing__(self, text: str) -> float:
        w = self[text] = self.face.stringWidth(text, self.size)
        return w


@dataclass(eq=False)  # not frozen: it carries the memo of measured widths
class Look:
    """How one kind of text is drawn: face, size, colour, raise, underline, ground."""

    font: str
    size: float
    colour: Color
    rise: float = 0.0
    underline: bool = False
    ground: Color | None = None

    def __post_init__(self) -> None:
        self.face = pdfmetrics.getFont(self.font)
        # Measured widths of words in this look, in points (filled as words are met).
        self.widths = _Widths(self.face, self.size)
        self.fill = colour_operator(self.colour, "rg")
        self.stroke = colour_operator(self.colour, "RG")
        self.ground_fill = colour_operator(self.ground, "rg") if self.ground is not None else ""
        self.size_text = number(self.size)
        self.rise_text = number(self.rise)
        self.space = self.width(" ")
        self.subset0 = (self.font, 0, self.size_text)
        self.underline_drop = UNDERLINE_DROP * self.size
        self._font_operators: dict[tuple[Any, int], str] = {}

    def font_operator(self, subset: int, doc: Any) -> str:
        """The operator that selects this look's font subset and size in ``doc``."""
        key = (doc, subset)
        operator = self._font_operators.get(key)
        if operator is None:
            # The subset's name is fixed once reportlab has given it (the first
            # call also enters the font in the document): asked once per text,
            # reportlab's look-up was a visible share of drawing.
            name = self.face.getSubsetInternalName(subset, doc)
            operator = self._font_operators[key] = f"{name} {self.size_text} Tf"
        return operator

    def width(self, text: str) -> float:
        return self.widths[text]


# How a piece of text (a word, or the part of a word in one look) follows the
# one before it: at the start of a kept line, glued on (the same word in
# another look), or after a space (whose look is then given by its index >= 0).
NO_SPACE = -1
GLUED = -2
# How a set line begins: at a kept line break, after a space, or inside a word cut to fit.
HARD, SOFT, CUT = 0, 1, 2

_NONE_GLUED: frozenset[int] = frozenset()

# A run of text in one look: (look, text, width).
Run = tuple["Look", str, float]
# A set line: (how it begins, runs drawn first (pieces of a cut word), first
# and end piece of the pieces that follow).
Line = tuple[int, tuple[Run, ...], int, int]


class Pieces:
    """A text cut into pieces (words, or parts of words in one look) with their widths, ready to set.

    The pieces are kept in flat lists, with the running total of widths
    (gaps included), so that a line is found with one binary search rather
    than a step per word, and a line's text in one look is one join. A
    *segment* is a stretch of pieces in one look between looks or kept line
    breaks; inside it every piece follows the one before after a space in
    that look, so only a segment's first piece needs saying how it follows.
    """

    __slots__ = (
        "gaps",
        "glued",
        "hard",
        "looks",
        "seg_first",
        "seg_follow",
        "seg_look",
        "texts",
        "total",
    )

    def __init__(
        self, segments: list[tuple[int, str]], looks: list[Look], *, keep_lines: bool
    ) -> None:
        self.looks = looks
        texts: list[str] = []
        gaps: list[float] = []  # width of the space before each piece (0 if none)
        widths: list[float] = []
        # Per segment: its first piece, its look and how its first piece follows.
        seg_first: list[int] = []
        seg_look: list[int] = []
        seg_follow: list[int] = []
        hard = [0]  # first piece of each kept line (and the end of the last)
        glued: set[int] | frozenset[int] = _NONE_GLUED
        follow = NO_SPACE  # how the next piece follows
        for index, text in segments:
            look = looks[index]
            if "\n" in text:
                if keep_lines:
                    lines = text.split("\n")
                else:
                    lines = [text.replace("\n", " ")]
            else:
                lines = [text]
            for n, line in enumerate(lines):
                if n:
                    hard.append(len(texts))
                    follow = NO_SPACE
                chunks = line.split(" ")
                words = [c for c in chunks if c] if "" in chunks else chunks
                if not words:  # spaces only: the next piece follows a space in this look
                    if line and follow != NO_SPACE:
                        follow = index
                    continue
                if not chunks[0] and follow != NO_SPACE:
                    follow = index  # after this segment's own space
                first = len(texts)
                seg_first.append(first)
                seg_look.append(index)
                seg_follow.append(follow)
                if follow >= 0:
                    gaps.append(looks[follow].space)
                else:
                    gaps.append(0.0)
                    if follow == GLUED:
                        if not glued:
                            glued = set()
                        glued.add(first)  # type: ignore[union-attr]
                if len(words) > 1:
                    gaps += [look.space] * (len(words) - 1)
                texts += words
                widths += map(look.widths.__getitem__, words)
                follow = GLUED if chunks[-1] else index
        hard.append(len(texts))
        self.texts = texts
        self.gaps = gaps
        # total[i]: width of pieces [0, i) with the gaps before them.
        self.total = [0.0, *accumulate(map(add, gaps, widths))]
        self.seg_first = seg_first
        self.seg_look = seg_look
        self.seg_follow = seg_follow
        self.hard = hard
        self.glued = glued  # pieces glued to the one before: no line may begin there

    # ---- line breaking

    def lines(self, width: float) -> list[Line]:
        """Greedy left-aligned lines no wider than ``width``, every kept line break kept."""
        out: list[Line] = []
        total = self.total
        gaps = self.gaps
        glued = self.glued
        limit = width + 1e-6
        for h in range(len(self.hard) - 1):
            s, end = self.hard[h], self.hard[h + 1]
            kind = HARD
            prefix: tuple[Run, ...] = ()
            if s == end:
                out.append((HARD, (), s, s))
                continue
            used = -gaps[s]  # a line's first piece has no space before it
            while s < end:
                # The furthest piece end that fits: total[e] - total[s] + used <= limit.
                e = bisect_right(total, limit - used + total[s], s, end + 1) - 1
                while s < e < end and e in glued:
                    e -= 1  # never between two parts of one word
                if e > s:
                    out.append((kind, prefix, s, e))
                    s, kind, prefix = e, SOFT, ()
                    used = -gaps[s] if s < end else 0.0
                    continue
                if prefix:  # a cut word's last piece, and the next word does not fit after it
                    out.append((kind, prefix, s, s))
                    kind, prefix = SOFT, ()
                    used = -gaps[s]
                    continue
                # The word at s does not fit on an empty line: cut it between characters.
                word_end = s + 1
                while word_end < end and word_end in glued:
                    word_end += 1
                pieces = self._cut(s, word_end, width)
                for piece in pieces[:-1]:
                    out.append((kind, piece, s, s))
                    kind = CUT
                kind, prefix = CUT, pieces[-1]
                used = sum(run[2] for run in prefix)
                s = word_end
            if prefix:
                out.append((kind, prefix, s, s))
        return [] if out == [(HARD, (), 0, 0)] else out

    def _cut(self, first: int, end: int, width: float) -> list[tuple[Run, ...]]:
        """Pieces ``[first, end)`` (one word) cut between characters into lines of runs that fit ``width``."""
        looks = self.looks
        lines: list[tuple[Run, ...]] = []
        runs: list[Run] = []
        used = 0.0
        for i in range(first, end):
            look = looks[self.look_index(i)]
            for ch in self.texts[i]:
                w = look.widths[ch]
                if runs and used + w > width:
                    lines.append(tuple(runs))
                    runs, used = [], 0.0
                if runs and runs[-1][0] is look:
                    last = runs[-1]
                    runs[-1] = (look, last[1] + ch, 0.0)
                else:
                    runs.append((look, ch, 0.0))
                used += w
        lines.append(tuple(runs))
        # Widths measured as whole strings, as the pieces are drawn.
        return [tuple((look, t, look.widths[t]) for look, t, _ in line) for line in lines]

    def look_index(self, piece: int) -> int:
        """The index in ``looks`` of the look of piece number ``piece``."""
        return self.seg_look[bisect_right(self.seg_first, piece) - 1]

    # ---- runs of one look, as drawn

    def runs(self, line: Line) -> list[Run]:
        """A set line as runs of one look each, spaces between words included."""
        _kind, prefix, s, e = line
        out: list[Run] = list(prefix)
        if e <= s:
            return out
        looks = self.looks
        texts = self.texts
        total = self.total
        gaps = self.gaps
        seg_first = self.seg_first
        k = bisect_right(seg_first, s) - 1
        count = len(seg_first)
        while k < count and seg_first[k] < e:
            a = max(s, seg_first[k])
            b = min(e, seg_first[k + 1] if k + 1 < count else len(texts))
            look = looks[self.seg_look[k]]
            text = " ".join(texts[a:b]) if b - a > 1 else texts[a]
            width = total[b] - total[a] - gaps[a]
            if a > s or prefix:  # the space (or glue) before piece a is drawn
                follow = self.seg_follow[k] if a == seg_first[k] else self.seg_look[k]
                if follow >= 0:
                    gap_look = looks[follow]
                    if out and out[-1][0] is gap_look:
                        last = out[-1]
                        out[-1] = (gap_look, last[1] + " ", last[2] + gaps[a])
                    elif gap_look is look:
                        text = " " + text
                        width += gaps[a]
                    else:
                        out.append((gap_look, " ", gaps[a]))
            if out and out[-1][0] is look:
                last = out[-1]
                out[-1] = (look, last[1] + text, last[2] + width)
            else:
                out.append((look, text, width))
            k += 1
        return out

    def segments_of(self, lines: list[Line]) -> list[tuple[int, str]]:
        """(look index, text) segments that set again give the words of ``lines`` (a part re-set at another width)."""
        index_of = {id(look): n for n, look in enumerate(self.looks)}
        out: list[tuple[int, str]] = []
        for n, line in enumerate(lines):
            kind = line[0]
            if n and kind == HARD:
                out.append((0, "\n"))
            runs = self.runs(line)
            if n and kind == SOFT and runs:
                out.append((index_of[id(runs[0][0])], " "))
            out.extend((index_of[id(look)], text) for look, text, _ in runs)
        return out


# Printable ASCII other than the three characters PDF strings escape.
_PLAIN_ASCII = re.compile(r"[ -'*-\[\]-~]*")
_NOT_PLAIN = re.compile(r"[^ -'*-\[\]-~]")
# Per PDF document and font: each character's subset and escaped code, as
# reportlab assigned them (the codes of a subset font depend on the
# document), and the subset-0 codes as a str.translate table.
_CODES: weakref.WeakKeyDictionary[
    Any, dict[str, tuple[dict[str, tuple[int, str]], dict[int, str]]]
] = weakref.WeakKeyDictionary()


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
    known = fonts.get(font)
    if known is None:
        known = fonts[font] = ({}, {})
    codes, zero = known
    # Most texts beyond ASCII need only characters already met that
    # reportlab put in subset 0 (punctuation, accented letters): one translate.
    specials = set(_NOT_PLAIN.findall(text))
    if all(ord(ch) in zero for ch in specials):
        return [(0, text.translate(zero))]
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
            if char_subset == 0:
                zero[ord(ch)] = code[1]
        add(*code)
        pos = match.end()
    if pos < len(text):
        add(0, text[pos:])
    if chunk:
        out.append((subset, "".join(chunk)))
    return out


class MarkedText(Flowable):
    """Left-aligned lines of marked words; breaks between lines when a page is full.

    Built from (look index, text) segments; the text is cut into pieces when
    it is first measured.
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
        right_to_left: bool = False,
    ) -> None:
        super().__init__()
        self.segments = segments
        # The text holds Hebrew, Arabic or another right-to-left script: each line is put in
        # visual order, and the lines of right-to-left paragraphs are set flush right (bidi.py).
        self.right_to_left = right_to_left
        self.looks = looks
        self.keep_lines = keep_lines
        self.size = size
        self.leading = leading
        self.spaceBefore = space_before
        self.spaceAfter = space_after
        self._pieces: Pieces | None = None
        self._lines: list[Line] | None = None
        self._lines_width: float | None = None
        # A part made by split(): its lines are fixed at this width.
        self._fixed_width: float | None = None
        # The text's runs when it can be set on one line without cutting it into words (False: it cannot).
        self._one_line: tuple[Run, ...] | bool | None = None

    @property
    def pieces(self) -> Pieces:
        if self._pieces is None:
            self._pieces = Pieces(self.segments, self.looks, keep_lines=self.keep_lines)
        return self._pieces

    def _as_one_line(self) -> tuple[Run, ...] | None:
        """The runs of a text that needs no cutting into words to be set on one line; None for others.

        Such a text has one space between words and no line break: its
        segments are its runs as they stand, each measured whole. Headings,
        labels and short quotations are most of a report's texts, and this
        spares them the word-by-word setting.
        """
        if self._one_line is None:
            runs: list[Run] = []
            looks = self.looks
            segments = self.segments
            self._one_line = False
            if not segments or segments[0][1][:1] == " " or segments[-1][1][-1:] == " ":
                return None
            for index, text in segments:
                if not text or "\n" in text or "  " in text:
                    return None
                look = looks[index]
                if runs and runs[-1][0] is look:
                    joined = runs[-1][1] + text
                    runs[-1] = (look, joined, look.widths[joined])
                else:
                    runs.append((look, text, look.widths[text]))
            self._one_line = tuple(runs)
        return self._one_line or None

    def lines_for(self, width: float) -> list[Line]:
        if self._lines is None or self._lines_width != width:
            if self._fixed_width is None and self._pieces is None:
                runs = self._as_one_line()
                if runs is not None and sum(run[2] for run in runs) <= width + 1e-6:
                    self._lines = [(HARD, runs, 0, 0)]
                    self._lines_width = width
                    return self._lines
            if self._fixed_width is not None:
                # A part set again at another width: from its own words only.
                self.segments = self.pieces.segments_of(self._lines or [])
                self.keep_lines = True
                self._pieces = None
                self._fixed_width = None
            self._lines = self.pieces.lines(width)
            self._lines_width = width
        return self._lines

    def line_texts(self, width: float) -> list[str]:
        """The text of each line as set at ``width`` (for checks and tests)."""
        lines = self.lines_for(width)
        return ["".join(run[1] for run in self.pieces.runs(line)) for line in lines]

    def line_widths(self, width: float) -> list[float]:
        """The width of each line's text as set at ``width``, in points."""
        lines = self.lines_for(width)
        return [sum(run[2] for run in self.pieces.runs(line)) for line in lines]

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
        lines: list[Line],
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
            right_to_left=self.right_to_left,
        )
        part._pieces = self.pieces
        part._lines, part._lines_width, part._fixed_width = lines, width, width
        return part

    def draw(self) -> None:
        if self._lines:
            self.canv.addLiteral(self.operators(self.canv))

    def drawOn(self, canvas: Any, x: float, y: float, _sW: float = 0) -> None:
        # Flowable.drawOn keeps the canvas's record of its state (saveState,
        # translate, restoreState) for each of a report's thousand flowables;
        # this text changes nothing in that record, so one moved q ... Q will do.
        self.draw_at(canvas, self._hAlignAdjust(x, _sW), y)

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
        lines = self._lines
        if not lines:
            return ""
        doc = canvas._doc
        grounds: list[str] = []  # drawn first, so that text and underlines lie on top
        underlines: list[str] = []
        text: list[str] = ["BT"]
        emit = text.append
        font_state: Any = None
        fill = ""
        rise = "0"
        leading = self.leading
        plain = _PLAIN_ASCII.fullmatch
        numbers = _NUMBERS
        y = self.height - self.size
        visual = self._visual_lines(lines) if self.right_to_left else None
        for n, line in enumerate(lines):
            x = 0.0
            if visual is None:
                runs = self._line_runs(line)
            else:
                runs, x = visual[n]
            if not runs:
                y -= leading
                continue
            emit(f"1 0 0 1 {numbers.get(x) or number(x)} {numbers.get(y) or number(y)} Tm")
            for look, run, w in runs:
                if look.underline:
                    u = y + look.rise - look.underline_drop
                    u_text = numbers.get(u) or number(u)
                    underlines.append(
                        f"{look.stroke} {numbers.get(x) or number(x)} {u_text} m "
                        f"{number(x + w)} {u_text} l S"
                    )
                if look.ground is not None:
                    grounds.append(self._ground(look, x, x + w, y))
                if look.fill != fill:
                    fill = look.fill
                    emit(fill)
                if look.rise_text != rise:
                    rise = look.rise_text
                    emit(f"{rise} Ts")
                if plain(run):
                    # reportlab gives printable ASCII its own codes in subset 0 of
                    # every TrueType font (ttfAsciiReadable): no look-up needed.
                    if font_state != look.subset0:
                        font_state = look.subset0
                        emit(look.font_operator(0, doc))
                    emit(f"({run}) Tj")
                else:
                    for subset, chars in encode(canvas, look.font, look.face, run):
                        state = look.subset0 if subset == 0 else (look.font, subset, look.size_text)
                        if state != font_state:
                            font_state = state
                            emit(look.font_operator(subset, doc))
                        emit(f"({chars}) Tj")
                x += w
            y -= leading
        emit("ET")
        if underlines:
            return "\n".join(["q", *grounds, _UNDERLINE_WIDTH, *underlines, *text, "Q"])
        return "\n".join(["q", *grounds, *text, "Q"])

    def _line_runs(self, line: Line) -> Sequence[Run]:
        """A set line's runs in reading order."""
        # A line of runs only (a text set whole, a piece of a cut word) needs no pieces.
        return line[1] if line[3] <= line[2] else self.pieces.runs(line)

    def _visual_lines(self, lines: list[Line]) -> list[tuple[list[Run], float]]:
        """Each line's runs in the order drawn, left to right, and where the line starts.

        A paragraph (from a kept line break on) takes the direction of its
        first strong letter; the lines of a right-to-left one are set flush
        right.
        """
        logical = [self._line_runs(line) for line in lines]
        texts = ["".join(run[1] for run in runs) for runs in logical]
        width = self._lines_width if self._lines_width is not None else self.width
        out: list[tuple[list[Run], float]] = []
        level = 0
        for n, line in enumerate(lines):
            if n == 0 or line[0] == HARD:
                level = 0
                for m in range(n, len(lines)):
                    if m > n and lines[m][0] == HARD:
                        break
                    if has_strong_letter(texts[m]):
                        level = paragraph_level(texts[m])
                        break
            runs = [
                (look, text, look.widths[text])
                for look, text in visual_runs([(look, text) for look, text, _ in logical[n]], level)
            ]
            x = max(0.0, width - sum(run[2] for run in runs)) if level else 0.0
            out.append((runs, x))
        return out

    def _ground(self, look: Look, x0: float, x1: float, baseline: float) -> str:
        bottom = baseline + self.size - self.leading
        return (
            f"{look.ground_fill} {number(x0)} {number(bottom)} "
            f"{number(x1 - x0)} {number(self.leading)} re f"
        )

    def __repr__(self) -> str:
        return f"MarkedText({len(self._lines or [])} lines set)"


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

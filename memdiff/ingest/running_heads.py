"""Running heads, running feet and page numbers: the lines a paged document repeats at the edges of its pages.

A book set as a PDF prints its title or chapter at the top of every page and
a page number at the top or bottom, and they come out of the text layer in
the middle of the prose: "...she told me all\\n\\nPRIDE AND PREJUDICE\\n57\\n\\n
about it." A passage copied across that page break would be cut in two at
the heading (and the longest reproduced span understated), so these lines
are found here and, unless the user asks otherwise, left out of matching.
They stay in the extracted text: offsets do not move, and a span that
crosses a page break shows the heading it passed over.

A line counts as running when it sits among the first or last few lines of
its page, is short, and either is a bare arabic page number, or recurs, its
digits ignored, at the same edge of at least three pages close together
(facing pages often alternate the book's title and the chapter's) while
seldom appearing away from the edges. A refrain or chorus repeats in the
body of the text too, so it is not taken for a running head; where
something still is, the switch turns all this off.

A roman numeral needs more than its spelling: "I" ending a line of verse,
"Mix" heading a recipe step and "vi" heading a manual's section all read as
numerals. So a numeral counts as a page number only when it keeps step with
the pages: at the same edge of a nearby page stands another numeral that
differs from it by just as many pages (i on the first page, iii on the
third; a blank page between them may go unnumbered). A head that carries a
roman folio ("xii PREFACE", "PREFACE xiii") is found the same way when at
least three nearby pages keep step, since its words alone differ from page
to page; a head that repeats its numeral unchanged ("CHAPTER IV") is found
by the recurrence rule like any other.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

# Lines looked at at the top and at the bottom of each page.
EDGE_LINES = 3
# A running line recurs at the same edge of at least RECURRENCES pages among
# the pages at most NEIGHBOURS away (alternating heads: every other page).
NEIGHBOURS = 4
RECURRENCES = 3
# Longer lines are prose, never a running head.
MAX_WORDS = 15
# Fewer pages than this give no pattern to see.
MIN_PAGES = 3

_DIGITS = re.compile(r"\d+")
_ROMAN_NUMBER = re.compile(r"(?=[ivxlcdm])m{0,3}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})")
_ROMAN_VALUES = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
_PAGE_NUMBER = re.compile(r"[\W_]*#[\W_]*")  # "57", "- 57 -", "[57]"
_LINE = re.compile(r"[^\n]+")
_WORD_EDGES = re.compile(r"^[\W_]+|[\W_]+$")
# The pattern of a line that is nothing but a roman numeral ("xii", "- xii -").
_BARE_NUMERAL = "#"


@dataclass(frozen=True)
class _Line:
    """A short line of a page: how it is recognised as a running line, its roman numeral if it has one, and its range."""

    key: str
    start: int
    end: int
    # The line with its roman numeral standing for any ("# preface"), and the numeral's value.
    numeral: tuple[str, int] | None = None


def running_lines(text: str, page_starts: Sequence[int]) -> tuple[tuple[int, int], ...]:
    """The ``[start, end)`` ranges of the running heads, feet and page numbers of a paged text, in order."""
    if len(page_starts) < MIN_PAGES:
        return ()
    bounds = [*page_starts, len(text)]
    # For each page, the short lines at its top and at its bottom; and how often
    # each line (and each roman-numbered pattern) is seen away from the edges.
    edges: list[tuple[list[_Line], list[_Line]]] = []
    body: Counter[str] = Counter()
    body_numbered: Counter[str] = Counter()
    for page in range(len(page_starts)):
        lines = _lines(text, bounds[page], bounds[page + 1])
        top = lines[:EDGE_LINES]
        bottom = lines[max(len(top), len(lines) - EDGE_LINES) :]
        edges.append((_short(top), _short(bottom)))
        middle = _short(lines[len(top) : len(lines) - len(bottom)])
        body.update(line.key for line in middle)
        body_numbered.update(line.numeral[0] for line in middle if line.numeral)
    seen_at_edge = Counter(line.key for sides in edges for candidates in sides for line in candidates)
    numbered_at_edge = Counter(
        line.numeral[0] for sides in edges for candidates in sides for line in candidates if line.numeral
    )
    found: list[tuple[int, int]] = []
    for page, sides in enumerate(edges):
        window = range(max(0, page - NEIGHBOURS), min(len(edges), page + NEIGHBOURS + 1))
        for side, candidates in enumerate(sides):
            pages_with: Counter[str] = Counter(
                key for other in window for key in {line.key for line in edges[other][side]}
            )
            for line in candidates:
                recurs = pages_with[line.key] >= RECURRENCES and body[line.key] <= max(
                    1, seen_at_edge[line.key] // 10
                )
                if (
                    recurs
                    or _PAGE_NUMBER.fullmatch(line.key)
                    or _keeps_step_with_the_pages(
                        line, page, side, edges, window, body_numbered, numbered_at_edge
                    )
                ):
                    found.append((line.start, line.end))
    return tuple(sorted(found))


def _keeps_step_with_the_pages(
    line: _Line,
    page: int,
    side: int,
    edges: list[tuple[list[_Line], list[_Line]]],
    window: range,
    body_numbered: Counter[str],
    numbered_at_edge: Counter[str],
) -> bool:
    """Whether a line's roman numeral is a page number: nearby pages carry the same numbering, in step with them.

    A bare numeral needs one such page (front matter may have only two or
    three numbered pages); a head around the numeral needs as many as the
    recurrence rule asks of any running head, and must be rare in the body.
    """
    if line.numeral is None:
        return False
    pattern, value = line.numeral
    in_step = sum(
        1
        for other in window
        if other != page
        and any(o.numeral == (pattern, value + other - page) for o in edges[other][side])
    )
    if pattern == _BARE_NUMERAL:
        return in_step >= 1
    return in_step >= RECURRENCES - 1 and body_numbered[pattern] <= max(1, numbered_at_edge[pattern] // 10)


def _short(lines: list[_Line | None]) -> list[_Line]:
    return [line for line in lines if line is not None]


def _lines(text: str, start: int, end: int) -> list[_Line | None]:
    """The non-blank lines of ``text[start:end]``, each as a possible running line (None if too long to be one)."""
    out: list[_Line | None] = []
    for match in _LINE.finditer(text, start, end):
        line = match.group()
        words = line.split()
        if not words:
            continue
        if len(words) > MAX_WORDS:
            out.append(None)
            continue
        first = match.start() + (len(line) - len(line.lstrip()))
        last = match.end() - (len(line) - len(line.rstrip()))
        out.append(_Line(_key(words), first, last, _numeral(words)))
    return out


def _key(words: list[str]) -> str:
    """A line as a running head is recognised: spacing and case ignored, every number (page numbers) alike."""
    return _DIGITS.sub("#", " ".join(words).casefold())


def _numeral(words: list[str]) -> tuple[str, int] | None:
    """The line with the roman numeral at its start or end standing for any, and the numeral's value; None if none.

    "xii", "- xii -" give ("#", 12); "xii PREFACE" and "PREFACE xiii" both ("# preface", ...), as facing pages set them.
    """
    first, last = 0, len(words)
    while first < last and not _WORD_EDGES.sub("", words[first]):
        first += 1  # a dash or bullet around the numeral
    while last > first and not _WORD_EDGES.sub("", words[last - 1]):
        last -= 1
    for at in (first, last - 1) if first < last else ():
        value = _roman_value(_WORD_EDGES.sub("", words[at]).casefold())
        if value is not None:
            rest = _key(words[first:at] + words[at + 1 : last])
            return (f"{_BARE_NUMERAL} {rest}" if rest else _BARE_NUMERAL), value
    return None


def _roman_value(word: str) -> int | None:
    """The value of a well-formed roman numeral (lower case), or None."""
    if not _ROMAN_NUMBER.fullmatch(word):
        return None
    total = 0
    for at, letter in enumerate(word):
        value = _ROMAN_VALUES[letter]
        following = _ROMAN_VALUES[word[at + 1]] if at + 1 < len(word) else 0
        total += -value if value < following else value
    return total

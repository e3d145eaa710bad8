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
its page, is short, and either is a bare page number (arabic or roman), or
recurs, its digits ignored, at the same edge of at least three pages close
together (facing pages often alternate the book's title and the chapter's)
while seldom appearing away from the edges. A refrain or chorus repeats in
the body of the text too, so it is not taken for a running head; where
something still is, the switch turns all this off.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

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
_PAGE_NUMBER = re.compile(r"[\W_]*#[\W_]*")  # "57", "- 57 -", "[57]"
_LINE = re.compile(r"[^\n]+")


def running_lines(text: str, page_starts: Sequence[int]) -> tuple[tuple[int, int], ...]:
    """The ``[start, end)`` ranges of the running heads, feet and page numbers of a paged text, in order."""
    if len(page_starts) < MIN_PAGES:
        return ()
    bounds = [*page_starts, len(text)]
    # For each page, the short lines at its top and at its bottom: (key, start, end);
    # and how often each line is seen away from the edges.
    edges: list[tuple[list[tuple[str, int, int]], list[tuple[str, int, int]]]] = []
    body: Counter[str] = Counter()
    for page in range(len(page_starts)):
        lines = _lines(text, bounds[page], bounds[page + 1])
        top = lines[:EDGE_LINES]
        bottom = lines[max(len(top), len(lines) - EDGE_LINES) :]
        edges.append((_short(top), _short(bottom)))
        body.update(key for key, _, _ in _short(lines[len(top) : len(lines) - len(bottom)]))
    seen_at_edge = Counter(key for sides in edges for candidates in sides for key, _, _ in candidates)
    found: list[tuple[int, int]] = []
    for page, sides in enumerate(edges):
        for side, candidates in enumerate(sides):
            window = range(max(0, page - NEIGHBOURS), min(len(edges), page + NEIGHBOURS + 1))
            pages_with: Counter[str] = Counter(
                key for other in window for key in {key for key, _, _ in edges[other][side]}
            )
            for key, start, end in candidates:
                if _PAGE_NUMBER.fullmatch(key) or (
                    pages_with[key] >= RECURRENCES and body[key] <= max(1, seen_at_edge[key] // 10)
                ):
                    found.append((start, end))
    return tuple(sorted(found))


def _short(lines: list[tuple[str | None, int, int]]) -> list[tuple[str, int, int]]:
    return [(key, start, end) for key, start, end in lines if key is not None]


def _lines(text: str, start: int, end: int) -> list[tuple[str | None, int, int]]:
    """The non-blank lines of ``text[start:end]``: the key a running line is known by (None if too long), and its range."""
    out: list[tuple[str | None, int, int]] = []
    for match in _LINE.finditer(text, start, end):
        line = match.group()
        words = line.split()
        if not words:
            continue
        first = match.start() + (len(line) - len(line.lstrip()))
        last = match.end() - (len(line) - len(line.rstrip()))
        out.append((_key(words) if len(words) <= MAX_WORDS else None, first, last))
    return out


def _key(words: list[str]) -> str:
    """A line as a running head is recognised: spacing and case ignored, every number (page numbers) alike."""
    if len(words) == 1 and _ROMAN_NUMBER.fullmatch(words[0].casefold()):
        return "#"  # a roman page number (front matter)
    return _DIGITS.sub("#", " ".join(words).casefold())

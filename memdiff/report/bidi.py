"""Right-to-left text on the report's pages: Arabic letters joined, and each line in the order it is read.

A PDF page shows glyphs left to right in the order they are drawn, and a
font's glyphs for Arabic letters are the isolated forms. So Hebrew or Arabic
drawn as stored comes out backwards, and Arabic unjoined. Before a line is
drawn:

- Arabic letters are replaced by their contextual forms (initial, medial,
  final, isolated, and the lam-alef ligatures) from Unicode's presentation
  forms, which DejaVu Sans has, by ``arabic_reshaper`` (MIT), which knows
  each letter's joining behaviour; diacritics are kept;
- the line is put in visual order by the Unicode Bidirectional Algorithm
  (UAX #9): the paragraph's direction from its first strong letter (P2-P3),
  the weak and neutral types resolved (W1-W7, N0-N2, bracket pairs included), the implicit levels
  (I1-I2), trailing white space reset (L1), and runs reversed from the
  highest level down (L2), with a letter's diacritics kept after it (L3) and
  brackets mirrored in right-to-left runs (L4).

The algorithm is implemented here rather than taken from a library because
the report must carry each character's look (copied, differing, plain)
through the reordering, and python-bidi gives only the reordered string.
Explicit embeddings and isolates (U+202A-U+202E, U+2066-U+2069) are treated
as neutral: they do not occur in ordinary prose, and each line is resolved on
its own, as its own paragraph level allows.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache
from typing import Any, TypeVar

Tag = TypeVar("Tag")

# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and their
# presentation forms: characters whose presence makes a line need reordering.
_RIGHT_TO_LEFT = re.compile(
    "[\u0590-\u08ff\u200f\u202b\u202e\u2067\ufb1d-\ufdff\ufe70-\ufefc\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_ARABIC_LETTER = re.compile(
    "[\u0620-\u064a\u066e-\u06d3\u06d5\u06fa-\u06ff\u0750-\u077f\u08a0-\u08ff]"
)

_STRONG = {"L": 0, "R": 1, "AL": 1}
_NEUTRAL = frozenset(
    {"B", "S", "WS", "ON", "BN", "LRE", "RLE", "LRO", "RLO", "PDF", "LRI", "RLI", "FSI", "PDI"}
)
_BRACKETS = str.maketrans("()[]{}<>\u00ab\u00bb\u2039\u203a", ")(][}{><\u00bb\u00ab\u203a\u2039")
# The paired brackets of rule BD16 (Unicode's BidiBrackets.txt, the pairs prose uses): opening -> closing.
_OPENING = {
    "(": ")",
    "[": "]",
    "{": "}",
    "\u2045": "\u2046",
    "\u207d": "\u207e",
    "\u208d": "\u208e",
    "\u2329": "\u232a",
    "\u3008": "\u3009",
    "\u300a": "\u300b",
    "\uff08": "\uff09",
    "\uff3b": "\uff3d",
}
_CLOSING = frozenset(_OPENING.values())


def has_right_to_left(text: str) -> bool:
    """Whether ``text`` holds a character written right to left (so its lines need reordering)."""
    return _RIGHT_TO_LEFT.search(text) is not None


def has_strong_letter(text: str) -> bool:
    """Whether ``text`` holds a letter with a direction of its own (not only digits, spaces, punctuation)."""
    return any(unicodedata.bidirectional(ch) in _STRONG for ch in text)


def paragraph_level(text: str) -> int:
    """0 (left to right) or 1 (right to left): the direction of the first strong letter (rules P2-P3)."""
    for ch in text:
        strong = _STRONG.get(unicodedata.bidirectional(ch))
        if strong is not None:
            return strong
    return 0


@lru_cache(maxsize=1)
def _reshaper() -> Any:
    import arabic_reshaper

    return arabic_reshaper.ArabicReshaper(
        configuration={
            "delete_harakat": False,  # the exhibit shows the text as written, vowel marks included
            "support_ligatures": True,
            # Only the lam-alef ligatures, which Arabic requires and DejaVu Sans has; the others
            # (word ligatures such as ALLAH) are optional and the fonts lack most of them.
            "ARABIC LIGATURE ALLAH": False,
        }
    )


def shape(text: str) -> str:
    """``text`` with its Arabic letters in their joined forms (in reading order; other text unchanged)."""
    if _ARABIC_LETTER.search(text) is None:
        return text
    return str(_reshaper().reshape(text))


def levels(text: str, base: int) -> list[int]:
    """The embedding level of each character of one line of a paragraph whose level is ``base`` (0 or 1)."""
    original = [unicodedata.bidirectional(ch) or "L" for ch in text]
    types = original.copy()  # resolved step by step below; ``original`` keeps the classes L1 needs
    sos = "R" if base else "L"
    n = len(types)
    # W1: a mark takes the type of what it marks.
    previous = sos
    for i, t in enumerate(types):
        if t == "NSM":
            types[i] = previous if previous not in ("LRI", "RLI", "FSI", "PDI") else "ON"
        previous = types[i]
    # W2: European digits after Arabic letters are Arabic numbers. W3: Arabic letters are R.
    strong = sos
    for i, t in enumerate(types):
        if t in ("L", "R", "AL"):
            strong = t
        elif t == "EN" and strong == "AL":
            types[i] = "AN"
    types = ["R" if t == "AL" else t for t in types]
    # W4: one separator between two numbers of the same kind joins them.
    for i in range(1, n - 1):
        if types[i] == "ES" and types[i - 1] == types[i + 1] == "EN":
            types[i] = "EN"
        elif types[i] == "CS" and types[i - 1] == types[i + 1] and types[i - 1] in ("EN", "AN"):
            types[i] = types[i - 1]
    # W5: currency and percent signs beside European digits belong to the number.
    i = 0
    while i < n:
        if types[i] == "ET":
            j = i
            while j < n and types[j] == "ET":
                j += 1
            if (i > 0 and types[i - 1] == "EN") or (j < n and types[j] == "EN"):
                types[i:j] = ["EN"] * (j - i)
            i = j
        else:
            i += 1
    # W6: the other separators and terminators are neutral.
    types = ["ON" if t in ("ES", "ET", "CS") else t for t in types]
    # W7: European digits after left-to-right letters (or at a left-to-right start) are L.
    strong = sos
    for i, t in enumerate(types):
        if t in ("L", "R"):
            strong = t
        elif t == "EN" and strong == "L":
            types[i] = "L"
    # N0: a pair of brackets takes the direction of what it encloses.
    _resolve_brackets(text, types, original, sos)
    # N1-N2: a run of neutrals takes the direction of the strong types on both sides when they agree
    # (numbers count as R), else the paragraph's.
    i = 0
    while i < n:
        if types[i] in _NEUTRAL:
            j = i
            while j < n and types[j] in _NEUTRAL:
                j += 1
            before = sos if i == 0 else ("R" if types[i - 1] in ("R", "EN", "AN") else "L")
            after = sos if j == n else ("R" if types[j] in ("R", "EN", "AN") else "L")
            types[i:j] = [before if before == after else sos] * (j - i)
            i = j
        else:
            i += 1
    # I1-I2: the implicit levels.
    out = []
    for t in types:
        if base == 0:
            out.append(1 if t == "R" else 2 if t in ("AN", "EN") else 0)
        else:
            out.append(2 if t in ("L", "EN", "AN") else 1)
    # L1: white space at the end of the line, and before a tab, goes back to the paragraph's level.
    i = n - 1
    while i >= 0 and original[i] in ("WS", "BN", "S"):
        out[i] = base
        i -= 1
    for i, t in enumerate(original):
        if t == "S":
            out[i] = base
            j = i - 1
            while j >= 0 and original[j] in ("WS", "BN"):
                out[j] = base
                j -= 1
    return out


def _bracket_pairs(text: str, types: list[str]) -> list[tuple[int, int]]:
    """The paired brackets of a line (rule BD16), in order of their opening bracket."""
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if types[i] != "ON":
            continue
        if ch in _OPENING:
            if len(stack) == 63:  # BD16: too deep; no pairs from here on
                break
            stack.append((_OPENING[ch], i))
        elif ch in _CLOSING:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == ch:
                    pairs.append((stack[depth][1], i))
                    del stack[depth:]
                    break
    return sorted(pairs)


def _resolve_brackets(text: str, types: list[str], original: list[str], sos: str) -> None:
    """Rule N0: each bracket pair becomes the embedding direction, or the other one, by what is inside and before."""
    embedding = sos

    def direction(t: str) -> str | None:
        return "R" if t in ("R", "EN", "AN") else "L" if t == "L" else None

    for opening, closing in _bracket_pairs(text, types):
        inside = {direction(t) for t in types[opening + 1 : closing]} - {None}
        if not inside:
            continue
        if embedding in inside:
            resolved = embedding
        else:
            before = next(
                (d for d in map(direction, reversed(types[:opening])) if d is not None), sos
            )
            resolved = before if before != embedding else embedding
        for at in (opening, closing):
            types[at] = resolved
            follow = at + 1
            while follow < len(text) and original[follow] == "NSM":
                types[follow] = resolved
                follow += 1


def _clusters(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of each letter with the marks that follow it (kept together when a run is reversed)."""
    out: list[tuple[int, int]] = []
    for i, ch in enumerate(text):
        if out and unicodedata.category(ch) in ("Mn", "Me"):
            out[-1] = (out[-1][0], i + 1)
        else:
            out.append((i, i + 1))
    return out


def visual_runs(runs: Sequence[tuple[Tag, str]], base: int) -> list[tuple[Tag, str]]:
    """One line's runs (in reading order, each with its tag) as runs in the order drawn, left to right.

    Pieces of a run that lie at different levels become runs of their own;
    right-to-left pieces come out reversed, with brackets mirrored.
    """
    text = "".join(piece for _, piece in runs)
    if not text:
        return []
    tags: list[Tag] = []
    for tag, piece in runs:
        tags += [tag] * len(piece)
    char_levels = levels(text, base)
    clusters = _clusters(text)
    order = list(range(len(clusters)))
    cluster_levels = [char_levels[start] for start, _ in clusters]
    lowest_odd = min((level for level in cluster_levels if level % 2), default=None)
    if lowest_odd is not None:
        for level in range(max(cluster_levels), lowest_odd - 1, -1):
            i = 0
            while i < len(order):
                if cluster_levels[order[i]] >= level:
                    j = i
                    while j < len(order) and cluster_levels[order[j]] >= level:
                        j += 1
                    order[i:j] = order[i:j][::-1]
                    i = j
                else:
                    i += 1
    out: list[tuple[Tag, str]] = []
    for c in order:
        start, end = clusters[c]
        piece = text[start:end]
        if cluster_levels[c] % 2:
            piece = piece.translate(_BRACKETS)
        tag = tags[start]
        if out and out[-1][0] == tag:
            out[-1] = (tag, out[-1][1] + piece)
        else:
            out.append((tag, piece))
    return out

"""The public-domain texts the benchmarks use, and test cases made by planting copies of one work into another.

A *planted case* is a made-up model output whose copied words are known
exactly: passages of a source work are cut at random word positions,
perturbed (case, punctuation, quotes, line breaks, small word edits), put in
a shuffled order and placed between stretches of filler taken from a
*different* work, so nothing but the planted passages should match. The
ground truth is the set of output word positions that came from the source.

Words here are counted independently of memdiff, with the simplest rule a
reader can check: a run of letters and digits (``[^\\W_]+``), each Chinese,
Japanese or Korean character a word of its own.

Everything is deterministic: random choices come from ``random.Random``
seeded with a string (hashed with SHA-512 by Python, never with the
per-process ``hash()``), and all collections are sorted before use.
"""

from __future__ import annotations

import bisect
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "tests" / "data" / "texts"

_CJK = (
    "\u3040-\u30ff"  # Hiragana, Katakana
    "\u3400-\u4dbf"  # CJK Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\uac00-\ud7af"  # Hangul syllables
    "\U00020000-\U0002fa1f"
)
#: The benchmarks' own definition of a word (the ground truth is counted in these).
WORD_RE = re.compile(rf"[{_CJK}]|[^\W_{_CJK}]+")
_CJK_RE = re.compile(rf"[{_CJK}]")

#: Every way a planted passage can be changed, in the order tables print them.
PERTURBATIONS = (
    "exact", "case", "punctuation", "quotes", "linebreaks", "unicode", "invisible", "near", "mixed", "control",
)

DESCRIPTIONS = {
    "exact": "copied verbatim",
    "case": "letter case changed (upper, lower or title case)",
    "punctuation": "punctuation dropped, replaced or added between words",
    "quotes": "straight and curly quotation marks swapped",
    "linebreaks": "re-wrapped with line breaks, some words hyphenated across lines",
    "unicode": "typographic Unicode: no-break spaces, fi/fl ligatures, soft hyphens, full-width letters",
    "invisible": "zero-width characters (U+200B, U+2060, U+FEFF) hidden inside some words",
    "near": "near-verbatim: a word changed, dropped or inserted every 8-12 words",
    "mixed": "case, punctuation, quotes, line breaks and near-verbatim edits all at once",
    "control": "no copying at all (filler only)",
}


# --------------------------------------------------------------------------- the texts


@dataclass(frozen=True)
class Work:
    """One public-domain text file in ``tests/data/texts``; ``key`` is its file name without ``.txt``."""

    key: str
    path: Path

    @property
    def language(self) -> str:
        return self.key.split("-", 1)[0]

    @property
    def text(self) -> str:
        return read_text(self.path)


@lru_cache(maxsize=None)
def read_text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def works(language: str | None = None) -> list[Work]:
    """Every bundled work (or those of one language: ``en``, ``de``, ``zh``), sorted by key."""
    found = [Work(p.stem, p) for p in sorted(TEXTS.glob("*.txt"))]
    return [w for w in found if language is None or w.language == language]


def work(key: str) -> Work:
    for w in works():
        if w.key == key:
            return w
    raise KeyError(f"no text {key!r} in {TEXTS}")


def languages() -> list[str]:
    return sorted({w.language for w in works()})


def word_ranges(text: str) -> list[tuple[int, int]]:
    """``[start, end)`` of every word of ``text``, in order."""
    return [m.span() for m in WORD_RE.finditer(text)]


def is_cjk(text: str) -> bool:
    """Whether ``text`` is mostly written without spaces (more CJK characters than other letters)."""
    sample = text[:20000]
    cjk = len(_CJK_RE.findall(sample))
    return cjk > len(re.findall(r"[^\W\d_]", sample)) - cjk


# --------------------------------------------------------------------------- planted cases


@dataclass(frozen=True)
class PlantedPassage:
    """One copied passage: where it was taken from and where it sits in the output (character ranges)."""

    original_start: int
    original_end: int
    suspect_start: int
    suspect_end: int
    copied_words: int


@dataclass(frozen=True)
class PlantedCase:
    """A made-up model output with known copying, and the source work it copies from.

    ``copied_words`` are the indices (in :func:`word_ranges` of ``suspect``) of
    the words that came from the source; ``passage_words`` are the indices of
    every word inside a planted passage, including words the near-verbatim
    edits put there. A tool that marks an edited word inside a copied passage
    is neither right nor wrong about it, so the scores count such words on
    neither side.
    """

    name: str
    perturbation: str
    language: str
    source: str
    filler: str
    seed: int
    original: str
    suspect: str
    copied_words: tuple[int, ...]
    passage_words: tuple[int, ...]
    passages: tuple[PlantedPassage, ...] = field(default=())

    @property
    def suspect_word_count(self) -> int:
        return len(word_ranges(self.suspect))


@dataclass
class _Piece:
    """A word of a passage being perturbed, the text after it, and whether it still comes from the source."""

    word: str
    gap: str
    copied: bool = True


def plant_case(
    source: Work,
    filler: Work,
    perturbation: str,
    seed: int,
    *,
    passages: int = 8,
    passage_words: tuple[int, int] = (20, 60),
    filler_words: tuple[int, int] = (15, 60),
    shuffle: bool = True,
) -> PlantedCase:
    """Build one planted case: ``passages`` perturbed copies of ``source`` between stretches of ``filler``.

    ``passage_words`` and ``filler_words`` are inclusive ranges of lengths in
    words. The passages appear out of the source's order unless ``shuffle``
    is false (the case in-order diff tools are made for). For ``control``
    nothing is copied: the output is filler alone, of about the same length.
    """
    if perturbation not in PERTURBATIONS:
        raise ValueError(f"unknown perturbation {perturbation!r}; choose from {', '.join(PERTURBATIONS)}")
    if source.key == filler.key:
        raise ValueError("the filler must come from a different work than the source")
    rng = random.Random(f"memdiff-bench:{seed}:{source.key}:{filler.key}:{perturbation}")
    cjk = is_cjk(source.text)
    original = source.text
    src_words = word_ranges(original)
    fill_text = filler.text
    fill_words = word_ranges(fill_text)
    vocabulary = sorted({fill_text[s:e] for s, e in fill_words})

    chosen = _choose_passages(rng, original, src_words, passages, passage_words, prefer_quotes=perturbation == "quotes")
    order = list(range(len(chosen)))
    rng.shuffle(order)
    if not shuffle:
        order.sort()
    elif len(order) > 1 and order == sorted(order):
        order.reverse()  # always out of the source's order: that is what defeats line diff

    separator = "\n" if cjk else " "
    parts: list[str] = []
    copied_ranges: list[tuple[int, int]] = []
    planted: list[PlantedPassage] = []
    length = 0
    fill_at = rng.randrange(len(fill_words))

    def add(text: str) -> None:
        nonlocal length
        parts.append(text)
        length += len(text)

    def add_filler() -> None:
        nonlocal fill_at
        n = rng.randint(*filler_words)
        first = fill_at % len(fill_words)
        last = min(first + n, len(fill_words)) - 1
        add(fill_text[fill_words[first][0] : fill_words[last][1]])
        fill_at = last + 1

    if perturbation == "control":
        for _ in range(passages):
            add_filler()
            add(_paragraph_break(rng, separator))
        add_filler()
    else:
        add_filler()
        for n in order:
            first, end = chosen[n]
            add(_paragraph_break(rng, separator))
            pieces = [
                _Piece(original[s:e], original[e : src_words[i + 1][0]] if i + 1 < end else "")
                for i, (s, e) in ((i, src_words[i]) for i in range(first, end))
            ]
            pieces = PERTURB[perturbation](rng, pieces, vocabulary, cjk)
            passage_start = length
            for piece in pieces:
                if piece.copied:
                    copied_ranges.append((length, length + len(piece.word)))
                add(piece.word)
                add(piece.gap)
            passage_end = length - len(pieces[-1].gap)
            planted.append(
                PlantedPassage(
                    original_start=src_words[first][0],
                    original_end=src_words[end - 1][1],
                    suspect_start=passage_start,
                    suspect_end=passage_end,
                    copied_words=0,  # counted below, in the output's own words
                )
            )
            add(_paragraph_break(rng, separator))
            add_filler()

    suspect = "".join(parts)
    out_words = word_ranges(suspect)
    copied = words_inside(out_words, copied_ranges)
    extent = words_inside(out_words, [(p.suspect_start, p.suspect_end) for p in planted])
    counted = []
    for p in planted:
        inside = words_inside(out_words, [(p.suspect_start, p.suspect_end)])
        counted.append(
            PlantedPassage(
                p.original_start, p.original_end, p.suspect_start, p.suspect_end, len(set(inside) & set(copied))
            )
        )
    return PlantedCase(
        name=f"{source.key}<-{filler.key}/{perturbation}/seed{seed}" + ("" if shuffle else "/in-order"),
        perturbation=perturbation,
        language=source.language,
        source=source.key,
        filler=filler.key,
        seed=seed,
        original=original,
        suspect=suspect,
        copied_words=tuple(copied),
        passage_words=tuple(extent),
        passages=tuple(counted),
    )


def _paragraph_break(rng: random.Random, separator: str) -> str:
    return "\n\n" if rng.random() < 0.3 else separator


def _choose_passages(
    rng: random.Random,
    text: str,
    words: list[tuple[int, int]],
    count: int,
    lengths: tuple[int, int],
    *,
    prefer_quotes: bool,
) -> list[tuple[int, int]]:
    """``count`` non-overlapping word ranges ``[first, end)``, one in each of ``count`` equal slices of the text."""
    if count == 0:
        return []
    slice_size = len(words) // count
    if slice_size < lengths[0]:
        raise ValueError(f"the source has {len(words)} words, too few for {count} passages of {lengths[0]}+ words")
    chosen = []
    for n in range(count):
        size = min(rng.randint(*lengths), slice_size)
        lo = n * slice_size
        hi = lo + slice_size - size
        candidates = [rng.randint(lo, hi) for _ in range(8 if prefer_quotes else 1)]
        if prefer_quotes:
            # The quote perturbation needs quotation marks to change: take the
            # candidate passage that holds the most of them.
            candidates.sort(key=lambda first: -_quote_count(text[words[first][0] : words[first + size - 1][1]]))
        chosen.append((candidates[0], candidates[0] + size))
    return chosen


_QUOTES = "\"'\u2018\u2019\u201c\u201d\u00ab\u00bb\u201e\u300c\u300d\u300e\u300f"


def _quote_count(text: str) -> int:
    return sum(text.count(q) for q in _QUOTES)


def words_inside(words: Sequence[tuple[int, int]], ranges: Iterable[tuple[int, int]]) -> list[int]:
    """Indices of the words lying wholly inside any of the half-open character ranges, sorted."""
    starts = [s for s, _ in words]
    inside: set[int] = set()
    for lo, hi in ranges:
        i = bisect.bisect_left(starts, lo)
        while i < len(words) and words[i][1] <= hi:
            inside.add(i)
            i += 1
    return sorted(inside)


# --------------------------------------------------------------------------- perturbations


def _exact(rng: random.Random, pieces: list[_Piece], vocabulary: list[str], cjk: bool) -> list[_Piece]:
    return pieces


def _case(rng: random.Random, pieces: list[_Piece], vocabulary: list[str], cjk: bool) -> list[_Piece]:
    change = rng.choice((str.upper, str.lower, str.title))
    return [_Piece(change(p.word), p.gap, p.copied) for p in pieces]


_PUNCTUATION_CHOICES = (", ", "; ", ": ", " - ", ". ", "! ", " ")
_CJK_PUNCTUATION_CHOICES = ("，", "。", "、", "；", "！", "")


def _punctuation(rng: random.Random, pieces: list[_Piece], vocabulary: list[str], cjk: bool) -> list[_Piece]:
    out = []
    for n, p in enumerate(pieces):
        gap = p.gap
        last = n == len(pieces) - 1
        if cjk:
            if not last and (gap or rng.random() < 0.1) and rng.random() < 0.6:
                gap = rng.choice(_CJK_PUNCTUATION_CHOICES)
        elif not last and any(c.isspace() for c in gap):
            # Only gaps between words that hold a space: an apostrophe inside
            # "don't" is left alone, since removing it would join two words.
            marks = gap.strip()
            if marks and rng.random() < 0.6:
                gap = rng.choice(_PUNCTUATION_CHOICES)
            elif not marks and rng.random() < 0.15:
                gap = rng.choice(_PUNCTUATION_CHOICES[:4])
        out.append(_Piece(p.word, gap, p.copied))
    return out


_TO_STRAIGHT = str.maketrans(
    {
        "\u201c": '"', "\u201d": '"', "\u2018": "'", "\u2019": "'",
        "\u00bb": '"', "\u00ab": '"', "\u201e": '"',
        "\u300c": '"', "\u300d": '"', "\u300e": "'", "\u300f": "'",
    }
)


def _quotes(rng: random.Random, pieces: list[_Piece], vocabulary: list[str], cjk: bool) -> list[_Piece]:
    text_has_curly = any(c in p.gap for p in pieces for c in "\u201c\u201d\u2018\u2019\u00bb\u00ab\u201e\u300c\u300d")
    out = []
    for n, p in enumerate(pieces):
        gap = p.gap
        if text_has_curly:
            gap = gap.translate(_TO_STRAIGHT)
        else:
            gap = _curl(gap, next_is_word=n + 1 < len(pieces))
        out.append(_Piece(p.word, gap, p.copied))
    return out


def _curl(gap: str, *, next_is_word: bool) -> str:
    """Straight quotes to curly ones: opening before a word, closing after one, apostrophes as ’."""
    if not any(c.isspace() for c in gap):
        return gap.replace("'", "\u2019").replace('"', "\u201d")
    result = []
    for i, c in enumerate(gap):
        after = gap[i + 1] if i + 1 < len(gap) else ("w" if next_is_word else " ")
        opening = not after.isspace() and after not in ".,;:!?)"
        if c == '"':
            result.append("\u201c" if opening else "\u201d")
        elif c == "'":
            result.append("\u2018" if opening else "\u2019")
        else:
            result.append(c)
    return "".join(result)


def _linebreaks(rng: random.Random, pieces: list[_Piece], vocabulary: list[str], cjk: bool) -> list[_Piece]:
    width = rng.randint(30, 72) if not cjk else rng.randint(15, 35)
    out = []
    column = 0
    for n, p in enumerate(pieces):
        word = p.word
        gap = p.gap
        last = n == len(pieces) - 1
        if (
            not cjk
            and column + len(word) > width
            and len(word) >= 7
            and word.isalpha()
            and word.islower()
            and rng.random() < 0.5
        ):
            # Break the word itself across the line, as typeset text does: "repro-\nduction".
            cut = rng.randint(3, len(word) - 3)
            word = word[:cut] + "-\n" + word[cut:]
            column = len(word) - cut - 2
        else:
            column += len(word)
        if not last and column >= width:
            if cjk:
                gap = gap + "\n"
            elif any(c.isspace() for c in gap):
                gap = gap.rstrip() + "\n" if gap.strip() else "\n"
            column = 0
        else:
            column += len(gap)
        out.append(_Piece(word, gap, p.copied))
    return out


def _near(rng: random.Random, pieces: list[_Piece], vocabulary: list[str], cjk: bool) -> list[_Piece]:
    out: list[_Piece] = []
    countdown = rng.randint(4, 12)
    joiner = "" if cjk else " "
    for p in pieces:
        countdown -= 1
        inside_word = not cjk and not any(c.isspace() for c in p.gap) and p is not pieces[-1]
        if countdown > 0 or inside_word:
            # Edits fall on whole words: not on "don" of "don't".
            out.append(p)
            continue
        countdown = rng.randint(8, 12)
        edit = rng.choice(("change", "drop", "insert"))
        if edit == "change":
            out.append(_Piece(_other_word(rng, vocabulary, p.word), p.gap, copied=False))
        elif edit == "insert":
            out.append(_Piece(p.word, joiner, copied=True))
            out.append(_Piece(_other_word(rng, vocabulary, p.word), p.gap, copied=False))
        # "drop": the word is left out; the word before keeps its own gap.
    while out and not out[-1].copied:
        out.pop()  # end on a copied word, so the passage's extent is the copy's
    out[-1] = _Piece(out[-1].word, "", out[-1].copied)
    return out


def _other_word(rng: random.Random, vocabulary: list[str], word: str) -> str:
    for _ in range(20):
        candidate = rng.choice(vocabulary)
        if candidate.casefold() != word.casefold():
            return candidate
    return "zzz" if not _CJK_RE.match(word) else "〇"


_LIGATURES = (("ffi", "\ufb03"), ("ffl", "\ufb04"), ("fi", "\ufb01"), ("fl", "\ufb02"), ("ff", "\ufb00"))


def _unicode(rng: random.Random, pieces: list[_Piece], vocabulary: list[str], cjk: bool) -> list[_Piece]:
    """What copying through a PDF, a word processor or a web page does to text, and NFKC undoes."""
    out = []
    for p in pieces:
        word, gap = p.word, p.gap
        for plain, ligature in _LIGATURES:
            word = word.replace(plain, ligature)
        if len(word) >= 8 and rng.random() < 0.3:
            word = word[: len(word) // 2] + "\u00ad" + word[len(word) // 2 :]  # soft hyphen
        elif word.isascii() and word.isalpha() and rng.random() < 0.05:
            word = "".join(chr(ord(c) + 0xFEE0) for c in word)  # full-width Latin
        if " " in gap and rng.random() < 0.3:
            gap = gap.replace(" ", "\u00a0")
        elif cjk and not gap and rng.random() < 0.1:
            gap = "\u3000"  # ideographic space
        out.append(_Piece(word, gap, p.copied))
    return out


_INVISIBLE = ("\u200b", "\u2060", "\ufeff")


def _invisible(rng: random.Random, pieces: list[_Piece], vocabulary: list[str], cjk: bool) -> list[_Piece]:
    """Zero-width characters inside words: invisible on screen, a known trick to defeat copy checkers."""
    out = []
    for p in pieces:
        word = p.word
        if len(word) >= 4 and rng.random() < 0.15:
            cut = rng.randint(1, len(word) - 1)
            word = word[:cut] + rng.choice(_INVISIBLE) + word[cut:]
        gap = p.gap
        if cjk and not gap and rng.random() < 0.15:
            gap = rng.choice(_INVISIBLE)
        out.append(_Piece(word, gap, p.copied))
    return out


def _mixed(rng: random.Random, pieces: list[_Piece], vocabulary: list[str], cjk: bool) -> list[_Piece]:
    for step in (_near, _case, _punctuation, _quotes, _linebreaks):
        pieces = step(rng, pieces, vocabulary, cjk)
    return pieces


def _control(rng: random.Random, pieces: list[_Piece], vocabulary: list[str], cjk: bool) -> list[_Piece]:
    raise AssertionError("control cases plant nothing")


PERTURB = {
    "exact": _exact,
    "case": _case,
    "punctuation": _punctuation,
    "quotes": _quotes,
    "linebreaks": _linebreaks,
    "unicode": _unicode,
    "invisible": _invisible,
    "near": _near,
    "mixed": _mixed,
    "control": _control,
}


# --------------------------------------------------------------------------- large inputs for the speed benchmark


def markov_text(words_wanted: int, seed: int, language: str = "en") -> str:
    """Deterministic prose of about ``words_wanted`` words, generated from the bundled works of ``language``.

    A first-order word-level Markov chain (each word drawn from the words that
    follow the previous one in the bundled works) keeps the word frequencies
    and local shape of real prose while long runs of it are new: about 1 % of
    its 8-word runs occur twice, close to a real novel. Joining or repeating
    the works instead, or a second-order chain over so small a corpus (61 % of
    8-word runs repeated), would fill a 4 MB file with the same passages
    dozens of times, which no real novel does, and would time the matcher on
    an unrealistic flood of repeats. Paragraph breaks every 60-180 words.
    """
    rng = random.Random(f"memdiff-markov:{seed}:{language}")
    tokens: list[str] = []
    for w in works(language):
        # Words with the punctuation that follows them, so sentences keep their shape.
        tokens.extend(re.findall(r"\S+", w.text))
    follow: dict[str, list[str]] = {}
    for a, b in zip(tokens, tokens[1:]):
        follow.setdefault(a, []).append(b)
    keys = sorted(follow)
    word = keys[rng.randrange(len(keys))]
    out = [word]
    next_break = rng.randint(60, 180)
    while len(out) < words_wanted:
        choices = follow.get(word) or follow[keys[rng.randrange(len(keys))]]
        word = choices[rng.randrange(len(choices))]
        out.append(word)
        if len(out) >= next_break:
            out.append("\n\n")
            next_break = len(out) + rng.randint(60, 180)
    return " ".join(out).replace(" \n\n ", "\n\n") + "\n"

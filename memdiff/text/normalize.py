"""Words and their normalised forms, with every word mapped back to extracted-text offsets.

Matching never looks at the extracted text itself: it looks at a sequence of
integer word ids, one per word, where two words get the same id exactly when
their normalised forms are equal. Each word also keeps its ``[start, end)``
range in the extracted text, so a run of matching ids maps straight back to
the characters a highlight or a report must show.

What counts as a word: a run of Unicode letters and digits (combining marks
of every script and soft hyphens included), except that every Chinese,
Japanese or Korean character is a word of its own, since those scripts do not
put spaces between words. Punctuation and whitespace separate words and, by
default, are ignored.

Text is cut into words before it is normalised (NFKC), so one character
written in several ways must be cut the same way each time: a Korean syllable
spelt as conjoining jamo (NFD, as some Mac software writes it) is one word,
like the precomposed syllable; a half-width katakana letter with its
half-width voicing mark is one word, like the full-width letter; and kana or
a syllable followed by a combining mark (NFD "が" for "が") is one word.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from memdiff.evidence import Parameters
from memdiff.text.marks import MARK_CATEGORIES, mark_class

# Scripts written without spaces: each character is one word.
_CJK = (
    "\u3040-\u3098\u309b-\u30ff"  # Hiragana, Katakana (not the combining voicing marks between them)
    "\u3400-\u4dbf"  # CJK Extension A
    "\u4e00-\u9fff"  # CJK Unified Ideographs
    "\uf900-\ufaff"  # CJK Compatibility Ideographs
    "\U00020000-\U0002fa1f"  # CJK Extensions B-F and supplements
)
_HANGUL = "\uac00-\ud7a3"  # precomposed syllables
# Conjoining jamo: leading consonants, vowels and trailing consonants (with their extensions).
_JAMO_L = "\u1100-\u115f\ua960-\ua97f"
_JAMO_V = "\u1160-\u11a7\ud7b0-\ud7c6"
_JAMO_T = "\u11a8-\u11ff\ud7cb-\ud7fb"
# Jamo written as letters of their own: compatibility and half-width (NFKC makes them conjoining jamo).
_HANGUL_LETTERS = "\u3131-\u318e\uffa0-\uffdc"
_HALFWIDTH_KANA = "\uff66-\uff9f"  # letters, the prolonged sound mark and the two voicing marks
_HALFWIDTH_VOICING = "\uff9e\uff9f"
# Every character that makes words of one character (or one syllable): never part of a run of letters.
_OWN_WORDS = _CJK + _HANGUL + _JAMO_L + _JAMO_V + _JAMO_T + _HANGUL_LETTERS + _HALFWIDTH_KANA
# Marks that continue a word although Python's \w does not match them: the
# combining marks of every script (Unicode categories Mn, Mc, Me), the soft
# hyphen, and invisible characters (zero-width space, joiners, word joiner, BOM).
_MARKS = "\u00ad" + mark_class() + "\u180e\u200b-\u200d\u2060\ufeff"
WORD_PATTERN = (
    rf"[{_JAMO_L}]+[{_JAMO_V}]+[{_JAMO_T}]*[{_MARKS}]*"  # a syllable spelt in jamo (NFD)
    rf"|[{_HANGUL}][{_JAMO_T}]*[{_MARKS}]*"  # a syllable, which a trailing jamo may complete
    rf"|[{_HALFWIDTH_KANA}][{_HALFWIDTH_VOICING}{_MARKS}]*"  # a half-width letter and its voicing mark
    rf"|[{_OWN_WORDS}][{_MARKS}]*"  # any other of them, with the marks written after it
    rf"|[^\W_{_OWN_WORDS}]+(?:[{_MARKS}]+[^\W_{_OWN_WORDS}]*)*"  # a run of letters and digits
)

# A word broken across a line with a hyphen: "repro-\nduction". The next line
# must go on in lower case, so "Anglo-\nSaxon" and list dashes are left alone.
# The break may also fall at a page end: PDF pages are joined by a blank line,
# and the running head between them is blanked out (see blank()). Whether the
# hyphen is only the line's or a compound's own ("rabbit-\nhole") the text
# around it cannot say; the rest of the texts compared can (see Hyphenation).
_HYPHEN_BREAK_RE = re.compile(r"[-\u00ad\u2010][ \t]*\n(?:[ \t]*\n){0,8}[ \t]*(?=[^\W\d_])")
# A compound's hyphen within a line: "rabbit-hole". It separates two words, as any punctuation does.
_COMPOUND_HYPHENS = ("-", "\u2010", "\u2011")

_QUOTES_AND_DASHES = str.maketrans(
    {
        "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "\u00b4": "'", "`": "'",
        "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
        "\u2039": "'", "\u203a": "'",
        "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-", "\u2212": "-",
        "\u2026": "...",
    }
)
# Characters that show nothing: dropped from words before comparing, so a
# zero-width space hidden inside a copied word does not hide the copy.
_INVISIBLE = str.maketrans(dict.fromkeys(["\u00ad", "\u180e", "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]))


@dataclass(frozen=True)
class Hyphenation:
    """What the texts compared say about the hyphens at their line ends, for one side's words.

    A hyphen at a line end either breaks one word ("repro-" / "duction") or
    is a compound's own ("rabbit-" / "hole"); in the line, a compound's
    hyphen separates two words ("rabbit-hole" is "rabbit", "hole", so that
    a copy writing "rabbit hole" still matches). The original's words depend
    on the original alone (its index serves every output compared with it):
    a line-end hyphen joins the two halves into one word unless the original
    writes that compound with its hyphen within a line (``compounds``, pairs
    of case-folded words), where it separates them too. An output's words
    follow the original's reading: halves the original joined across a line
    are joined in the output too, at a line end or within a line ("rabbit-hole"
    where the original has only "rabbit-" / "hole"; ``joined``, case-folded);
    other line-end halves are separated where the original or the output
    writes the compound within a line, and joined otherwise.
    """

    compounds: frozenset[tuple[str, str]] = frozenset()
    joined: frozenset[str] = frozenset()


NO_HYPHENATION = Hyphenation()


@lru_cache(maxsize=4)  # asked at loading (the word count) and again by the comparison, for each text
def compounds_in(text: str) -> frozenset[tuple[str, str]]:
    """The pairs of case-folded words ``text`` writes as a compound within a line ("rabbit-hole")."""
    if "-" not in text and "\u2010" not in text and "\u2011" not in text:
        return frozenset()
    return frozenset(_words_around(text, hyphen, hyphen + 1) for hyphen in _inline_hyphens(text).values())


def _words_around(text: str, before: int, after: int) -> tuple[str, str]:
    """The case-folded word ending at ``before`` and the one starting at ``after`` (around a hyphen).

    Cut out where they stand rather than from the whole text's words, which
    a long original would have to be split into again; a word with a mark or
    an ideograph beside the hyphen may be cut differently, and its compound
    is then read as any other hyphenated line end.
    """
    start = before
    while start > 0 and before - start < _LONGEST_HALF and text[start - 1].isalnum():
        start -= 1
    end = after
    while end < len(text) and end - after < _LONGEST_HALF and text[end].isalnum():
        end += 1
    return text[start:before].casefold(), text[after:end].casefold()


_LONGEST_HALF = 64


def original_hyphenation(text: str) -> Hyphenation:
    """How an original's line-end hyphens are read: by the compounds it writes within its lines."""
    return Hyphenation(compounds=compounds_in(text))


def output_hyphenation(original: Hyphenation, original_joined: frozenset[str], output_text: str) -> Hyphenation:
    """How an output's hyphens are read, given the original's reading and the words it joined across lines
    (:func:`joined_across_lines`)."""
    return Hyphenation(compounds=original.compounds | compounds_in(output_text), joined=original_joined)


def joined_across_lines(text: str, hyphenation: Hyphenation) -> frozenset[str]:
    """The words ``text`` joins across a line-end hyphen under ``hyphenation``, case-folded ("reproduction")."""
    joined = set()
    for after, hyphen in _hyphen_breaks(text).items():
        pair = _words_around(text, hyphen, after)
        if pair not in hyphenation.compounds:
            joined.add(pair[0] + pair[1])
    return frozenset(joined)


@dataclass(frozen=True)
class Tokens:
    """The words of one extracted text: ids for matching, offsets for showing."""

    ids: np.ndarray
    starts: np.ndarray
    ends: np.ndarray

    def __len__(self) -> int:
        return len(self.ids)

    def char_range(self, first_word: int, end_word: int) -> tuple[int, int]:
        """Extracted-text ``[start, end)`` of the words ``[first_word, end_word)``."""
        return int(self.starts[first_word]), int(self.ends[end_word - 1])


@dataclass(frozen=True)
class WordSplit:
    """A text cut into words, before any normalisation: each word and its ``[start, end)`` offsets.

    Computed once per text and shared by the word count and the matcher.
    """

    words: list[str]
    starts: np.ndarray
    ends: np.ndarray


@lru_cache(maxsize=1)
def _full_splitter() -> re.Pattern[str]:
    # Compiled on first use: its large character classes take a few
    # milliseconds to compile, and texts without CJK or marks never need it.
    return re.compile(f"({WORD_PATTERN})")


# Simpler patterns that split exactly as _full_splitter() does in the texts they are
# used for, in a half to two thirds of the time on a large text: a text with
# no CJK character and no mark has words that are plain runs of letters and
# digits, and without "_" those are the runs of \w.
_ASCII_SPLIT_RE = re.compile(r"([A-Za-z0-9]+)")
_PLAIN_SPLIT_RE = re.compile(r"([^\W_]+)")
_PLAIN_NO_UNDERSCORE_SPLIT_RE = re.compile(r"(\w+)")
_ASCII_WORD_RE = re.compile(r"[A-Za-z0-9]+")
_PLAIN_WORD_RE = re.compile(r"\w+")


def _splitter(text: str) -> re.Pattern[str]:
    if text.isascii():
        return _ASCII_SPLIT_RE
    if _special_runs().search(text):
        return _full_splitter()
    return _PLAIN_SPLIT_RE if "_" in text else _PLAIN_NO_UNDERSCORE_SPLIT_RE


def _every_character() -> str:
    """Every character of the Basic Multilingual Plane in order, with U+0001 (used as a mark below) as U+0000."""
    plane = np.arange(0x10000, dtype="<u2").tobytes().decode("utf-16-le", "surrogatepass")
    return plane.replace("\x01", "\x00")


def _marked(match: re.Match[str]) -> str:
    return "\x01" * (match.end() - match.start())


def _table(pattern: re.Pattern[str]) -> np.ndarray:
    """For every character of the Basic Multilingual Plane, whether ``pattern`` matches it.

    Made by the regular expression itself, so the table cannot disagree with it.
    """
    marked = pattern.sub(_marked, _every_character())
    return np.frombuffer(marked.encode("utf-16-le", "surrogatepass"), dtype=np.uint16) == 1


@lru_cache(maxsize=1)
def _word_table() -> np.ndarray:
    """Which characters are plain word characters (letters and digits; not "_")."""
    return _table(_PLAIN_SPLIT_RE)


@lru_cache(maxsize=1)
def _special_runs() -> re.Pattern[str]:
    """Runs of characters that need the full pattern: CJK characters (Hangul jamo and half-width kana included) and marks.

    Compiled on first use, as _full_splitter(): about 2 ms.
    """
    return re.compile(f"[{_OWN_WORDS}{_MARKS}]+")


@lru_cache(maxsize=1)
def _special_table() -> np.ndarray:
    """Which characters need the full pattern."""
    return _table(_special_runs())


def _split_by_table(text: str) -> WordSplit | None:
    """Words of a text with no CJK, no marks and no character beyond the BMP; None for any other text.

    Where words begin and end is read off a numpy array of the characters
    (a table look-up and a difference), and only the words themselves are
    cut out by the regular expression: over a 4 MB text a third of the time
    of splitting it into words and gaps.
    """
    if text.isascii():
        codes: np.ndarray = np.frombuffer(text.encode("ascii"), dtype=np.uint8)
        words = _ASCII_WORD_RE.findall(text)
    else:
        try:
            data = text.encode("utf-16-le")
        except UnicodeEncodeError:  # a lone surrogate: the full pattern copes
            return None
        if len(data) != 2 * len(text):  # characters beyond the BMP take two code units
            return None
        codes = np.frombuffer(data, dtype=np.uint16)
        if _special_table()[codes].any():
            return None
        # "_" is not a word character here, and a space in its place moves no offset.
        words = _PLAIN_WORD_RE.findall(text.replace("_", " ") if "_" in text else text)
    edges = np.diff(_word_table()[codes].view(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edges == 1)
    ends = np.flatnonzero(edges == -1)
    if len(starts) != len(words):  # cannot happen while the tables come from the patterns
        return None
    return WordSplit(words, starts, ends)


@lru_cache(maxsize=2)
def split_words(text: str) -> WordSplit:
    split = _split_by_table(text)
    if split is not None:
        return split
    # re.split with a capturing group yields gap, word, gap, word, ..., gap:
    # every piece comes out of C code, and the offsets are running sums of
    # the pieces' lengths.
    parts = _splitter(text).split(text)
    lengths = np.fromiter(map(len, parts), dtype=np.int64, count=len(parts))
    offsets = np.cumsum(lengths)
    ends = offsets[1::2]
    return WordSplit(parts[1::2], ends - lengths[1::2], ends)


def gaps_of(text: str, starts: np.ndarray, ends: np.ndarray) -> list[str]:
    """The text after each word up to the next word (or the end of ``text``)."""
    following = [*starts[1:].tolist(), len(text)]
    return [text[end:start] for end, start in zip(ends.tolist(), following)]


class Vocabulary:
    """Assigns one integer id per normalised word form, in order of first appearance.

    The ids depend only on the order in which texts are read, never on
    ``hash()``; results must not depend on the ids' values either, only on
    their equality, which is exact string equality of normalised forms.
    """

    def __init__(self, parameters: Parameters) -> None:
        self.parameters = parameters
        self._ids: dict[str, int] = {}
        self._forms: list[str] = []
        self._raw: dict[str, int] = {}

    def __len__(self) -> int:
        return len(self._forms)

    def form(self, word_id: int) -> str:
        """The normalised form behind an id (used to verify matches and to price words)."""
        return self._forms[word_id]

    def ids_of(self, raw_words: list[str]) -> np.ndarray:
        """The ids of a list of words as written, new forms added in order of first appearance."""
        known = self._raw
        for raw in dict.fromkeys(raw_words):  # distinct words, in text order
            if raw not in known:
                form = normalise_word(raw, self.parameters)
                word_id = self._ids.get(form)
                if word_id is None:
                    word_id = len(self._forms)
                    self._ids[form] = word_id
                    self._forms.append(form)
                known[raw] = word_id
        return np.fromiter(map(known.__getitem__, raw_words), dtype=np.int64, count=len(raw_words))


def normalise_word(raw: str, parameters: Parameters) -> str:
    """The form a word is compared in, under the normalisation switches of ``parameters``."""
    word = raw.translate(_INVISIBLE)
    if parameters.unicode_nfkc:
        word = unicodedata.normalize("NFKC", word)
    if parameters.unify_quotes:
        word = word.translate(_QUOTES_AND_DASHES)
    if parameters.casefold:
        word = word.casefold()
    return word


@lru_cache(maxsize=2)  # the word count at loading and the matcher both ask (callers do not change it)
def _hyphen_breaks(text: str) -> dict[int, int]:
    """Map the start of each word that continues a hyphen-broken word to the hyphen's offset."""
    if "\n" not in text:
        return {}
    breaks: dict[int, int] = {}
    for m in _HYPHEN_BREAK_RE.finditer(text):
        # A break inside a word: a letter (or a letter's mark) right before the hyphen, lower case after the line end.
        before = text[m.start() - 1] if m.start() > 0 else " "
        if (before.isalnum() or unicodedata.category(before) in MARK_CATEGORIES) and text[m.end()].islower():
            breaks[m.end()] = m.start()
    return breaks


def tokenize(text: str, vocabulary: Vocabulary, hyphenation: Hyphenation = NO_HYPHENATION) -> Tokens:
    """Split ``text`` into words and give each its id in ``vocabulary``; ``hyphenation`` says how the texts
    compared read their hyphens (the same for the whole text and any part of it)."""
    parameters = vocabulary.parameters
    split = split_words(text)
    words, starts, ends = split.words, split.starts, split.ends
    if parameters.join_hyphenation:
        words, starts, ends = _join_hyphen_breaks(text, words, starts, ends, hyphenation)
    if not parameters.ignore_punctuation:
        # Each word carries the punctuation that follows it (whitespace dropped),
        # so "end." and "end" differ while spacing still does not matter.
        words = [word + "".join(gap.split()) for word, gap in zip(words, gaps_of(text, starts, ends))]
    return Tokens(vocabulary.ids_of(words), starts, ends)


def _continuing(starts: np.ndarray, ends: np.ndarray, breaks: dict[int, int]) -> list[int]:
    """The words (in order) that begin right after one of ``breaks``' hyphens, which ends the word before."""
    if not breaks:
        return []
    found = np.searchsorted(starts, np.fromiter(breaks, dtype=np.int64, count=len(breaks)))
    return [
        n
        for n in sorted(int(i) for i in found)
        if 0 < n < len(starts) and int(starts[n]) in breaks and int(ends[n - 1]) == breaks[int(starts[n])]
    ]


def _join_hyphen_breaks(
    text: str, words: list[str], starts: np.ndarray, ends: np.ndarray, hyphenation: Hyphenation
) -> tuple[list[str], np.ndarray, np.ndarray]:
    """Fold the second half of each "repro-\nduction" into the word before it, as ``hyphenation`` reads them."""
    joining = [
        n
        for n in _continuing(starts, ends, _hyphen_breaks(text))
        if (words[n - 1].casefold(), words[n].casefold()) not in hyphenation.compounds
        or (words[n - 1] + words[n]).casefold() in hyphenation.joined
    ]
    if hyphenation.joined:
        inline = _inline_hyphens(text)
        joining += [
            n
            for n in _continuing(starts, ends, inline)
            if (words[n - 1] + words[n]).casefold() in hyphenation.joined
        ]
        joining.sort()
    if not joining:
        return words, starts, ends
    drop = np.zeros(len(words), dtype=bool)
    words = list(words)
    ends = ends.copy()
    for n in joining:
        keep = n - 1
        while drop[keep]:  # a word broken over three lines
            keep -= 1
        words[keep] += words[n]
        ends[keep] = ends[n]
        drop[n] = True
    kept = np.nonzero(~drop)[0]
    return [words[i] for i in kept], starts[kept], ends[kept]


@lru_cache(maxsize=2)
def _inline_hyphens(text: str) -> dict[int, int]:
    """Map the start of each word that follows a compound's hyphen within a line to the hyphen's offset.

    A hyphen stands between a letter or digit and a letter. Each hyphen is
    found with str.find and its two neighbours looked at: a regular
    expression trying every position of a 4 MB text took 75 ms.
    """
    found: dict[int, int] = {}
    last = len(text) - 1
    for hyphen in _COMPOUND_HYPHENS:
        at = text.find(hyphen, 1)
        while 0 < at < last:
            if text[at - 1].isalnum() and text[at + 1].isalpha():
                found[at + 1] = at
            at = text.find(hyphen, at + 1)
    return dict(sorted(found.items()))


def blank(text: str, ranges: tuple[tuple[int, int], ...]) -> str:
    """``text`` with the characters of ``ranges`` (within lines) turned to spaces: their words are not matched.

    Every other character keeps its offset, so words found in the result map
    straight back to the extracted text.
    """
    if not ranges:
        return text
    pieces = []
    at = 0
    for start, end in ranges:
        pieces += [text[at:start], " " * (end - start)]
        at = end
    pieces.append(text[at:])
    return "".join(pieces)


def count_words(text: str) -> int:
    """Number of words in ``text`` as matching counts them read alone (words broken across lines count once)."""
    split = split_words(text)
    return len(_join_hyphen_breaks(text, split.words, split.starts, split.ends, original_hyphenation(text))[0])

"""Word-level marking of reproduced text for display: which words are copied, which differ.

The report never recomputes findings; it only shows them. Inside each span it
lines up the two sides word by word (with the same normalisation the
comparison used) so that copied words can be drawn red and underlined and the
words that differ inside a near-verbatim passage can be drawn distinctly. A
long span is cut into rows of roughly equal size whose two sides stay aligned,
because a table cell can never be taller than a page.
"""

from __future__ import annotations

import dataclasses
import itertools
import re
from dataclasses import dataclass
from typing import Literal

import numpy as np
from rapidfuzz.distance import Levenshtein

from memdiff.evidence import Parameters, Span
from memdiff.text import hyphenations
from memdiff.text.normalize import NO_HYPHENATION, Hyphenation, Tokens, Vocabulary, tokenize

Status = Literal["plain", "copied", "different"]
PLAIN, COPIED, DIFFERENT = 0, 1, 2

#: Words per side in one row of the side-by-side table: short enough that a
#: row of two narrow columns always fits on a page.
ROW_WORDS = 60


@dataclass(frozen=True)
class Side:
    """One side of one row: a stretch of extracted text and the status of each word in it."""

    text: str
    starts: tuple[int, ...]  # word starts, relative to ``text``
    ends: tuple[int, ...]
    status: tuple[int, ...]
    #: Stretches of ``text`` left out of matching (running heads, page numbers), as ``[start, end)``.
    edges: tuple[tuple[int, int], ...] = ()

    def pieces(self) -> list[tuple[str, str]]:
        # In a narrow column a source's hard line wraps would make ragged
        # lines: single line breaks read as spaces, paragraph breaks stay.
        if not self.edges:
            return marked_pieces(self.text, self.starts, self.ends, self.status, join_lines=True)
        pieces = marked_pieces(self.text, self.starts, self.ends, self.status)
        return [(kind, joined_lines(piece)) for kind, piece in _edge_pieces(pieces, self.edges)]


def _edge_pieces(
    pieces: list[tuple[str, str]], edges: tuple[tuple[int, int], ...]
) -> list[tuple[str, str]]:
    """``pieces`` with the stretches ``edges`` (running heads, page numbers) of their plain text set apart as "edge"."""
    out: list[tuple[str, str]] = []
    at = 0
    for kind, piece in pieces:
        end = at + len(piece)
        if kind != "plain" or not any(a < end and b > at for a, b in edges):
            out.append((kind, piece))
            at = end
            continue
        pos = at
        for a, b in edges:
            a, b = max(a, pos), min(b, end)
            if a >= b:
                continue
            if a > pos:
                out.append(("plain", piece[pos - at : a - at]))
            out.append(("edge", piece[a - at : b - at]))
            pos = b
        if pos < end:
            out.append(("plain", piece[pos - at :]))
        at = end
    return out


@dataclass(frozen=True)
class Row:
    original: Side
    suspect: Side


@dataclass(frozen=True)
class Alignment:
    """A span's two sides tokenised and aligned word by word."""

    original_text: str
    suspect_text: str
    original_tokens: Tokens
    suspect_tokens: Tokens
    opcodes: tuple[tuple[str, int, int, int, int], ...]
    #: Each side's stretches left out of matching (running heads, page numbers), relative to its text.
    original_edges: tuple[tuple[int, int], ...] = ()
    suspect_edges: tuple[tuple[int, int], ...] = ()

    def suspect_status(self) -> np.ndarray:
        """Status of each of the suspect side's words: copied, or different (in a near span)."""
        status = np.full(len(self.suspect_tokens), DIFFERENT, dtype=np.int8)
        for tag, _a0, _a1, b0, b1 in self.opcodes:
            if tag == "equal":
                status[b0:b1] = COPIED
        return status

    def original_status(self) -> np.ndarray:
        status = np.full(len(self.original_tokens), DIFFERENT, dtype=np.int8)
        for tag, a0, a1, _b0, _b1 in self.opcodes:
            if tag == "equal":
                status[a0:a1] = COPIED
        return status

    def rows(self, row_words: int = ROW_WORDS) -> list[Row]:
        """The span cut into rows of at most ``row_words`` words per side, sides kept aligned.

        Rows exist so that a long span can go on on the next page; on one
        page the report sets them as one continuous text (sidebyside.py), so
        a cut shows only where a page ends. It is made where the text pauses
        (a paragraph or sentence end, a comma, a space) rather than inside a
        Chinese or Japanese word, and never leaves a few words alone at a
        span's end.
        """
        pieces: list[tuple[int, int, int, int]] = []
        a_pause = self.original_text, self.original_tokens
        b_pause = self.suspect_text, self.suspect_tokens
        for tag, a0, a1, b0, b1 in self.opcodes:
            if tag == "equal":
                # Identical stretches may be cut at any word, the same on both sides.
                k = 0
                while k < a1 - a0:
                    step = _step(a1 - a0 - k, row_words, a_pause, b_pause, a0 + k, b0 + k)
                    pieces.append((a0 + k, a0 + k + step, b0 + k, b0 + k + step))
                    k += step
            else:
                pieces.append((a0, a1, b0, b1))
        cuts = [(0, 0)]
        for a0, a1, b0, b1 in pieces:
            row_a, row_b = cuts[-1]
            if (a1 - row_a > row_words or b1 - row_b > row_words) and (a0, b0) != (row_a, row_b):
                cuts.append((a0, b0))
        end = (len(self.original_tokens), len(self.suspect_tokens))
        if cuts[-1] != end:
            cuts.append(end)
        # Plain lists once per span: reading numpy arrays item by item row by
        # row cost more than the rest of cutting the rows.
        a = _Words(
            self.original_text, self.original_tokens, self.original_status(), self.original_edges
        )
        b = _Words(
            self.suspect_text, self.suspect_tokens, self.suspect_status(), self.suspect_edges
        )
        return [
            Row(a.side(a_from, a_to), b.side(b_from, b_to))
            for (a_from, b_from), (a_to, b_to) in itertools.pairwise(cuts)
        ]


# How well a row may end before a word, by what lies between it and the word before:
# a paragraph break, a sentence's end, a line break, other punctuation, a space; in
# Chinese and Japanese, nothing at all (a cut there may fall inside a word).
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
_SENTENCE_END = re.compile(r"[.!?\u3002\uff01\uff1f\u2026]")
_PUNCTUATION = re.compile(r"[,;:\u3001\uff0c\uff1b\uff1a\u300d\u300f\uff09)\]\u2014\u2013]")


def _pause(text: str, tokens: Tokens, word: int) -> float:
    """How natural a row's end is just before ``word`` (0: inside the flow of a Chinese or Japanese word)."""
    starts, ends = tokens.starts, tokens.ends
    if word <= 0 or word >= len(starts):
        return 5.0
    gap = text[int(ends[word - 1]) : int(starts[word])]
    if _PARAGRAPH_END.search(gap):
        return 5.0
    if _SENTENCE_END.search(gap):
        return 4.0
    if "\n" in gap:
        return 3.0
    if _PUNCTUATION.search(gap):
        return 2.5
    if gap.strip() == "" and gap:
        return 2.0
    if gap:
        return 1.5  # other marks: quotes, brackets opening
    # Two characters of one run (each CJK character counts as a word): a
    # kana ending and a kanji beginning is more often a word boundary
    # (particle, then the next word) than the inside of a kanji compound.
    at = int(starts[word])
    if _is_kana(text[at - 1 : at]) and not _is_kana(text[at : at + 1]):
        return 1.0
    return 0.0


def _is_kana(ch: str) -> bool:
    return bool(ch) and "\u3040" <= ch <= "\u30ff"


def _step(
    left: int,
    row_words: int,
    a_pause: tuple[str, Tokens],
    b_pause: tuple[str, Tokens],
    a_word: int,
    b_word: int,
) -> int:
    """How many of the ``left`` words of an identical stretch the next row takes (at most ``row_words``)."""
    if left <= row_words:
        return left
    # The words left after this row: never a handful alone (two rows of about half then).
    longest = row_words if left - row_words >= row_words // 3 else (left + 1) // 2
    shortest = max(1, (2 * longest) // 3)
    best, best_score = longest, -1.0
    for n in range(longest, shortest - 1, -1):
        score = _pause(*a_pause, a_word + n) + _pause(*b_pause, b_word + n)
        if score > best_score:
            best, best_score = n, score
            if score >= 10.0:
                break
    return best


_LAST_SPACE = re.compile(r"\s(?!.*\s)", re.DOTALL)
_OPENING = re.compile(r"[“‘„«「『（(\[{〈《【]")


class _Words:
    """One side of a span as plain lists: its text, word offsets and word statuses."""

    def __init__(
        self,
        text: str,
        tokens: Tokens,
        status: np.ndarray,
        edges: tuple[tuple[int, int], ...] = (),
    ) -> None:
        self.text = text
        self.edges = edges
        self.starts: list[int] = tokens.starts.tolist()
        self.ends: list[int] = tokens.ends.tolist()
        self.status: list[int] = status.tolist()

    def edge(self, word: int) -> int:
        """Where a row that begins with ``word`` begins in the text (0 < ``word`` < number of words).

        The gap before the word goes to the row before, up to its last
        space or line break; what follows (an opening quote or bracket)
        belongs to the word, so that a row never ends in a lone “.
        """
        gap_from, gap_to = self.ends[word - 1], self.starts[word]
        gap = self.text[gap_from:gap_to]
        if not gap:
            return gap_to
        space = _LAST_SPACE.search(gap)
        if space is not None:
            return gap_from + space.end()
        # No space at all (Chinese, Japanese): an opening mark goes with the word.
        opening = _OPENING.search(gap)
        return gap_from + (opening.start() if opening else len(gap))

    def side(self, first: int, end: int) -> Side:
        """The text of words ``[first, end)`` with the gap after them (up to the next row's first word)."""
        text, starts = self.text, self.starts
        n = len(starts)
        if n == 0:
            return Side(text, (), (), ())
        char_from = 0 if first == 0 else self.edge(first) if first < n else len(text)
        char_to = len(text) if end >= n else self.edge(end)
        if char_from:
            local_starts = tuple([s - char_from for s in starts[first:end]])
            local_ends = tuple([e - char_from for e in self.ends[first:end]])
        else:
            local_starts = tuple(starts[first:end])
            local_ends = tuple(self.ends[first:end])
        edges = tuple(
            (max(a, char_from) - char_from, min(b, char_to) - char_from)
            for a, b in self.edges
            if a < char_to and b > char_from
        )
        return Side(
            text[char_from:char_to],
            local_starts,
            local_ends,
            tuple(self.status[first:end]),
            edges,
        )


def align(
    original_text: str,
    suspect_text: str,
    span: Span,
    vocabulary: Vocabulary,
    *,
    matched_texts: tuple[str, str] | None = None,
    hyphenation: tuple[Hyphenation, Hyphenation] | None = None,
) -> Alignment:
    """Line up one span's two sides word by word (both texts are the full extracted texts).

    ``matched_texts`` are the texts whose words were matched, where they differ
    from the extracted ones (running heads blanked out, same offsets): a
    running head inside a span is then shown as it stands, unmarked.
    """
    (alignment,) = align_all(
        original_text, suspect_text, [span], vocabulary, matched_texts=matched_texts, hyphenation=hyphenation
    )
    return alignment


def align_all(
    original_text: str,
    suspect_text: str,
    spans: list[Span],
    vocabulary: Vocabulary,
    *,
    matched_texts: tuple[str, str] | None = None,
    hyphenation: tuple[Hyphenation, Hyphenation] | None = None,
) -> list[Alignment]:
    """:func:`align` for each of ``spans``, each side's words cut out in one pass for all spans.

    ``hyphenation`` is how the comparison read each side's hyphens (:func:`memdiff.text.hyphenations` of the
    matched texts, made here when not given), so that each side's words are cut as they were matched.
    """
    a_matched, b_matched = matched_texts or (original_text, suspect_text)
    a_hyphens, b_hyphens = hyphenation or hyphenations(a_matched, b_matched)
    a_tokens = tokenize_each(
        [a_matched[s.original.start : s.original.end] for s in spans], vocabulary, a_hyphens
    )
    b_tokens = tokenize_each(
        [b_matched[s.suspect.start : s.suspect.end] for s in spans], vocabulary, b_hyphens
    )
    alignments = []
    for span, a, b in zip(spans, a_tokens, b_tokens, strict=True):
        a_text = original_text[span.original.start : span.original.end]
        b_text = suspect_text[span.suspect.start : span.suspect.end]
        alignment = _aligned(a_text, b_text, a, b)
        a_edges = _blanked(a_text, a_matched[span.original.start : span.original.end])
        b_edges = _blanked(b_text, b_matched[span.suspect.start : span.suspect.end])
        if a_edges or b_edges:
            alignment = dataclasses.replace(
                alignment, original_edges=a_edges, suspect_edges=b_edges
            )
        alignments.append(alignment)
    return alignments


def _blanked(text: str, matched: str) -> tuple[tuple[int, int], ...]:
    """The stretches of ``text`` that ``matched`` blanks out (running heads, page numbers left out of matching)."""
    if text == matched:
        return ()
    runs: list[tuple[int, int]] = []
    for m in _NON_SPACE.finditer(text):
        if not matched[m.start() : m.end()].strip():
            if runs and not text[runs[-1][1] : m.start()].strip():
                runs[-1] = (runs[-1][0], m.end())  # one line: its words and the spaces between
            else:
                runs.append((m.start(), m.end()))
    return tuple(runs)


_NON_SPACE = re.compile(r"\S+")


# Between texts tokenised together: no word, no punctuation, no line-end
# hyphen can reach across it (a NUL is neither a word character nor space).
_APART = "\n\x00\n"


def tokenize_each(
    texts: list[str], vocabulary: Vocabulary, hyphenation: Hyphenation = NO_HYPHENATION
) -> list[Tokens]:
    """``[tokenize(t, vocabulary) for t in texts]``, done as one call on the texts joined.

    Hundreds of spans are each a few dozen words; tokenising them one by one
    cost more in per-call overhead than in the words. Words and hyphen
    breaks never reach across the separator; a word's punctuation would (it
    counts up to the next word), so with punctuation compared, and for texts
    holding the separator's NUL, each text is tokenised on its own.
    """
    if len(texts) < 2 or not vocabulary.parameters.ignore_punctuation:
        return [tokenize(t, vocabulary, hyphenation) for t in texts]
    joined = _APART.join(texts)
    if joined.count("\x00") != len(texts) - 1:
        return [tokenize(t, vocabulary, hyphenation) for t in texts]
    tokens = tokenize(joined, vocabulary, hyphenation)
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=len(texts))
    begins = np.concatenate(([0], np.cumsum(lengths[:-1] + len(_APART))))
    firsts = np.searchsorted(tokens.starts, begins).tolist()
    lasts = np.searchsorted(tokens.starts, begins + lengths).tolist()
    ids, starts, ends = tokens.ids, tokens.starts, tokens.ends
    return [
        Tokens(ids[first:last], starts[first:last] - begin, ends[first:last] - begin)
        for first, last, begin in zip(firsts, lasts, begins.tolist(), strict=True)
    ]


def _aligned(a_text: str, b_text: str, a: Tokens, b: Tokens) -> Alignment:
    a_ids = a.ids.tolist()
    b_ids = b.ids.tolist()
    if a_ids == b_ids:
        opcodes: tuple[tuple[str, int, int, int, int], ...] = (
            ("equal", 0, len(a_ids), 0, len(b_ids)),
        )
    else:
        opcodes = tuple(
            (op.tag, op.src_start, op.src_end, op.dest_start, op.dest_end)
            for op in Levenshtein.opcodes(a_ids, b_ids)
        )
    return Alignment(a_text, b_text, a, b, opcodes)


_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
# A letter or digit between two compared words belongs to a word left out of the comparison.
_UNCOMPARED_WORD = re.compile(r"[^\W_]")
_KIND_OF_STATUS = {PLAIN: "plain", COPIED: "copied", DIFFERENT: "different"}


def joined_lines(text: str) -> str:
    """Single line breaks as spaces, paragraph breaks (blank lines) as one blank line."""
    if "\n" not in text:
        return text
    return (
        _PARAGRAPH_BREAK.sub("\x00", text.replace("\r\n", "\n"))
        .replace("\n", " ")
        .replace("\x00", "\n\n")
    )


def marked_pieces(
    text: str,
    starts: tuple[int, ...] | list[int],
    ends: tuple[int, ...] | list[int],
    status: tuple[int, ...] | list[int],
    *,
    markers: dict[int, str] | None = None,
    join_lines: bool = False,
) -> list[tuple[str, str]]:
    """``text`` cut into (kind, text) pieces: "plain", "copied", "different" runs, and "marker" labels.

    Consecutive words of the same status share one piece (so an underline runs
    on through the spaces and punctuation between them), unless what lies
    between them holds words that were not compared (a running head the span
    passed over): that stays plain. ``markers`` maps a word index to a label
    placed just before that word (span numbers).
    """
    pieces: list[tuple[str, str]] = []

    def add(kind: str, piece: str) -> None:
        if piece:
            pieces.append((kind, joined_lines(piece) if join_lines else piece))

    n = len(starts)
    # The words before which a piece must end: where the status changes, at a
    # marker, and after a gap holding a word not compared (rare: all gaps are
    # searched at once first).
    cuts = {k for k in range(1, n) if status[k] != status[k - 1]}
    if markers:
        cuts.update(markers)
    if n > 1 and _UNCOMPARED_WORD.search(
        "\x00".join([text[e:s] for e, s in zip(ends[:-1], starts[1:], strict=True)])
    ):
        cuts.update(k for k in range(1, n) if _UNCOMPARED_WORD.search(text, ends[k - 1], starts[k]))
    cuts = {k for k in cuts if 0 < k < n}
    pos = 0
    for i, end in itertools.pairwise([0, *sorted(cuts), n] if n else []):
        add("plain", text[pos : starts[i]])
        if markers and i in markers:
            pieces.append(("marker", markers[i]))
        add(_KIND_OF_STATUS[int(status[i])], text[starts[i] : ends[end - 1]])
        pos = ends[end - 1]
    add("plain", text[pos:])
    return pieces


def output_word_status(
    suspect_text: str,
    alignments: list[tuple[Span, Alignment]],
    vocabulary: Vocabulary,
    *,
    matched_text: str | None = None,
    hyphenation: Hyphenation = NO_HYPHENATION,
) -> tuple[Tokens, np.ndarray]:
    """Every word of the whole output with its status: copied, different (inside a near span) or plain.

    A word copied in any span counts as copied even if another, near span
    marks it different. ``matched_text`` is as for :func:`align`, and
    ``hyphenation`` is how the comparison read the output's hyphens (the
    second of :func:`memdiff.text.hyphenations`).
    """
    tokens = tokenize(suspect_text if matched_text is None else matched_text, vocabulary, hyphenation)
    status = np.zeros(len(tokens), dtype=np.int8)
    for span, alignment in alignments:
        first = int(np.searchsorted(tokens.starts, span.suspect.start, side="left"))
        local = alignment.suspect_status()
        count = min(len(local), len(tokens) - first)
        view = status[first : first + count]
        np.maximum(
            view, np.where(local[:count] == COPIED, 3, local[:count]).astype(np.int8), out=view
        )
    status[status == 3] = COPIED
    return tokens, status


def default_vocabulary(parameters: Parameters) -> Vocabulary:
    return Vocabulary(parameters)

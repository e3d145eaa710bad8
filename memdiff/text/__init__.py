"""Text analysis: from two text Documents to the spans and figures of a Comparison.

``compare_texts`` is the whole pipeline. For batch work, ``TextIndex`` holds
an original's words and k-gram indexes once, so a hundred outputs cost one
indexing of the novel plus a hundred small comparisons.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np

from memdiff.evidence import (
    Chance,
    Comparison,
    Document,
    DocumentRecord,
    Location,
    Parameters,
    Span,
    TextSummary,
)
from memdiff.progress import SILENT, Progress
from memdiff.text.chance import WordPrices, bits_of_run, detect_language, is_common_phrase
from memdiff.text.match import KgramIndex, Run, all_runs, exact_runs
from memdiff.text.near import MAX_SEED_OCCURRENCES, Passage, near_passages
from memdiff.text.normalize import (
    Hyphenation,
    Tokens,
    Vocabulary,
    blank,
    joined_across_lines,
    original_hyphenation,
    output_hyphenation,
    tokenize,
)


@dataclass
class TextIndex:
    """An original's words and indexes, built once and reused for every output compared with it."""

    document: Document
    parameters: Parameters
    vocabulary: Vocabulary
    tokens: Tokens
    ids: np.ndarray
    language: str
    # How the original reads its line-end hyphens, and the output's reading made from it.
    hyphenation: Hyphenation = field(default_factory=Hyphenation)
    _indexes: dict[int, KgramIndex] = field(default_factory=dict)
    _joined: frozenset[str] | None = None
    _prices: WordPrices | None = None

    @classmethod
    def build(cls, original: Document, parameters: Parameters) -> TextIndex:
        vocabulary = Vocabulary(parameters)
        text = matching_text(original, parameters)
        hyphenation = original_hyphenation(text)
        tokens = tokenize(text, vocabulary, hyphenation)
        if parameters.language == "auto":
            language = detect_language(vocabulary.form(i) for i in tokens.ids[:5000].tolist())
        else:
            language = parameters.language
        return cls(original, parameters, vocabulary, tokens, tokens.ids, language, hyphenation)

    def output_hyphenation(self, output_text: str) -> Hyphenation:
        """How an output's hyphens are read against this original (``output_text``: its matching text)."""
        if self._joined is None:
            self._joined = joined_across_lines(matching_text(self.document, self.parameters), self.hyphenation)
        return output_hyphenation(self.hyphenation, self._joined, output_text)

    def kgrams(self, k: int) -> KgramIndex:
        index = self._indexes.get(k)
        if index is None:
            index = self._indexes[k] = KgramIndex(self.ids, k)
        return index

    def word_prices(self) -> WordPrices:
        """The words' prices in the original's language, each looked up once for every output compared with it."""
        if self._prices is None:
            self._prices = WordPrices(self.language)
        return self._prices


def hyphenations(original_text: str, output_text: str) -> tuple[Hyphenation, Hyphenation]:
    """How the original's and the output's hyphens are read when these matching texts are compared, as
    :func:`compare_texts` reads them (a report marking the words of each span must cut them alike)."""
    original = original_hyphenation(original_text)
    return original, output_hyphenation(original, joined_across_lines(original_text, original), output_text)


def uncompared(document: Document, parameters: Parameters) -> tuple[tuple[int, int], ...]:
    """The ``[start, end)`` ranges of ``document`` whose words are not compared: its running heads, unless kept."""
    return document.running_lines if parameters.ignore_running_heads else ()


def matching_text(document: Document, parameters: Parameters) -> str:
    """The text whose words are matched: the extracted text with the :func:`uncompared` ranges blanked out.

    Offsets are those of the extracted text: only those ranges' own
    characters become spaces.
    """
    return blank(document.text, uncompared(document, parameters))


def compare_texts(
    original: Document,
    suspect: Document,
    parameters: Parameters,
    *,
    progress: Progress = SILENT,
    index: TextIndex | None = None,
) -> Comparison:
    """Find every reproduced span of ``original`` in ``suspect`` and sum them up."""
    progress.report(0.0, "Reading the original's words")
    if index is None or index.document is not original or index.parameters != parameters:
        index = TextIndex.build(original, parameters)
    progress.check()
    progress.report(0.3, "Reading the output's words")
    suspect_text = matching_text(suspect, parameters)
    suspect_tokens = tokenize(suspect_text, index.vocabulary, index.output_hyphenation(suspect_text))
    suspect_ids = suspect_tokens.ids
    progress.check()

    progress.report(0.45, "Finding exact spans")
    runs = exact_runs(index.kgrams(parameters.min_words), suspect_ids, check=progress.check)
    progress.check()

    passages: list[Passage] = []
    if parameters.near:
        progress.report(0.6, "Joining near-verbatim passages")
        seed_k = min(parameters.near_seed_words, parameters.min_words)
        seeds = all_runs(
            index.kgrams(seed_k), suspect_ids, max_occurrences=MAX_SEED_OCCURRENCES, check=progress.check
        )
        passages = near_passages(
            index.ids,
            suspect_ids,
            seeds,
            min_words=parameters.min_words,
            min_similarity=parameters.min_similarity,
            max_gap=parameters.near_max_gap,
        )
        progress.check()

    progress.report(0.85, "Estimating chance")
    spans = _spans(index, original, suspect, suspect_tokens, suspect_ids, runs, passages)
    summary = _summary(index, suspect_tokens, spans, runs, passages)
    progress.report(1.0, "Done")
    return Comparison(
        mode="text",
        parameters=parameters,
        original=DocumentRecord.of(original),
        suspect=DocumentRecord.of(suspect),
        summary=summary,
        spans=tuple(spans),
    )


def _spans(
    index: TextIndex,
    original: Document,
    suspect: Document,
    suspect_tokens: Tokens,
    suspect_ids: np.ndarray,
    runs: list[Run],
    passages: list[Passage],
) -> list[Span]:
    drafts: list[tuple[tuple[int, int, int], Span]] = []
    bucket_of = _word_buckets(index, suspect_ids, runs, passages)

    def run_bits(word_ids: list[int]) -> float:
        return bits_of_run(map(bucket_of.__getitem__, word_ids))

    def location(doc: Document, tokens: Tokens, first: int, end: int) -> Location:
        start, stop = tokens.char_range(first, end)
        return Location(start, stop, doc.pages_of(start, stop))

    for run in runs:
        bits = run_bits(suspect_ids[run.suspect : run.suspect + run.length].tolist())
        span = Span(
            id=0,
            kind="exact",
            words=run.length,
            original_words=run.length,
            similarity=1.0,
            original=location(original, index.tokens, run.original, run.original + run.length),
            suspect=location(suspect, suspect_tokens, run.suspect, run.suspect + run.length),
            chance=Chance(bits, is_common_phrase(bits)),
            other_occurrences=run.other_occurrences,
        )
        drafts.append(((span.suspect.start, 0, span.original.start), span))
    for p in passages:
        # Price only the words the two sides share: the edits prove nothing.
        bits = run_bits(_shared_words(index.ids, suspect_ids, p))
        span = Span(
            id=0,
            kind="near",
            words=p.words,
            original_words=p.original_end - p.original_start,
            similarity=p.similarity,
            original=location(original, index.tokens, p.original_start, p.original_end),
            suspect=location(suspect, suspect_tokens, p.suspect_start, p.suspect_end),
            chance=Chance(bits, is_common_phrase(bits)),
        )
        drafts.append(((span.suspect.start, 1, span.original.start), span))
    drafts.sort(key=lambda d: d[0])
    return [replace(span, id=n) for n, (_, span) in enumerate(drafts, start=1)]


def _word_buckets(index: TextIndex, suspect_ids: np.ndarray, runs: list[Run], passages: list[Passage]) -> list[int]:
    """The frequency bucket of every word id of the vocabulary that some span uses (0 for the others).

    Every distinct word is priced in one pass over the frequency table; the
    spans then sum plain integers by word id.
    """
    pieces = [suspect_ids[r.suspect : r.suspect + r.length] for r in runs]
    pieces += [suspect_ids[p.suspect_start : p.suspect_end] for p in passages]
    bucket_of = [0] * len(index.vocabulary)
    if not pieces:
        return bucket_of
    # Sorted and deduplicated by hand: np.unique imports numpy.ma, 11 ms.
    ids = np.sort(np.concatenate(pieces))
    used = ids[np.concatenate(([True], ids[1:] != ids[:-1]))].tolist()
    form = index.vocabulary.form
    prices = index.word_prices()
    prices.price(form(i) for i in used)
    for i in used:
        bucket_of[i] = prices.bucket(form(i))
    return bucket_of


def _shared_words(original_ids: np.ndarray, suspect_ids: np.ndarray, p: Passage) -> list[int]:
    from rapidfuzz.distance import Levenshtein  # imported when a passage needs it: 5 ms of start-up

    a = original_ids[p.original_start : p.original_end].tolist()
    b = suspect_ids[p.suspect_start : p.suspect_end].tolist()
    shared: list[int] = []
    for block in Levenshtein.opcodes(a, b).as_matching_blocks():
        shared.extend(a[block.a : block.a + block.size])
    return shared


def _covered(ranges: list[tuple[int, int]], size: int) -> int:
    """Number of distinct positions in ``[0, size)`` covered by the half-open ranges."""
    if not ranges:
        return 0
    marks = np.zeros(size + 1, dtype=np.int32)
    for start, end in ranges:
        marks[start] += 1
        marks[end] -= 1
    return int(np.count_nonzero(np.cumsum(marks[:-1])))


def _summary(
    index: TextIndex, suspect_tokens: Tokens, spans: list[Span], runs: list[Run], passages: list[Passage]
) -> TextSummary:
    n_suspect = len(suspect_tokens)
    n_original = len(index.tokens)
    exact_ranges = [(r.suspect, r.suspect + r.length) for r in runs]
    all_ranges = exact_ranges + [(p.suspect_start, p.suspect_end) for p in passages]
    original_ranges = [(r.original, r.original + r.length) for r in runs] + [
        (p.original_start, p.original_end) for p in passages
    ]
    in_spans = _covered(all_ranges, n_suspect)
    in_exact = _covered(exact_ranges, n_suspect)
    in_original = _covered(original_ranges, n_original)
    return TextSummary(
        suspect_words_in_spans=in_spans,
        suspect_coverage=_ratio(in_spans, n_suspect),
        suspect_words_in_exact_spans=in_exact,
        exact_suspect_coverage=_ratio(in_exact, n_suspect),
        original_words_in_spans=in_original,
        original_coverage=_ratio(in_original, n_original),
        span_count=len(spans),
        exact_span_count=len(runs),
        near_span_count=len(passages),
        longest_span_words=max((s.words for s in spans), default=0),
        longest_span_characters=max((s.suspect.end - s.suspect.start for s in spans), default=0),
        common_phrase_spans=sum(1 for s in spans if s.chance.common_phrase),
        language=index.language,
        suspect_words=n_suspect,
        original_words=n_original,
    )


def _ratio(part: int, whole: int) -> float:
    """``part / whole`` to four places, never rounded to none or all of it (1 word of 20,000 is 0.0001, not 0)."""
    if not whole:
        return 0.0
    share = round(part / whole, 4)
    if 0 < part < whole:
        return min(max(share, 0.0001), 0.9999)
    return share

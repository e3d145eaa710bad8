"""Near-verbatim passages: short exact seeds, separated by small edits, joined into one passage.

A copy with a word changed, dropped or inserted every few words has no long
exact run, but it has many short ones (seeds) lying on nearly the same
diagonal: the offset between a word's place in the output and its place in
the original shifts by at most a few words at each edit. Seeds that follow
one another within ``near_max_gap`` words on both sides are chained into one
passage; the passage is then scored by word-level edit similarity
(Levenshtein over word ids, via rapidfuzz) and kept when it is at least
``min_words`` long and at least ``min_similarity`` similar.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from memdiff.text.match import Run

# Seeds of frequent short phrases ("one of the", "at the same time") found in
# more places of the original than this are not used: they cannot say where
# a passage came from, and between two long texts they make most of the work.
# A passage is joined from its rarer seeds, and a seed that merely opens with
# a common phrase is still used, traced back to where it starts (see
# match._verified_starts). A passage made only of phrases this common in the
# original is not found. Measured when the places of each seed came to be
# counted exactly (they had been counted with every phrase sharing its first
# words, so the limit was far stricter than it read): for a 4 MB original
# against a 1 MB output, 16 made 267,000 seeds where 8 makes 155,000 (91,000
# before, 60 ms of work becoming 147 and 87 ms). With 120 near-verbatim
# passages planted in generated prose from that original, the share of their
# words found was 0.612 at 16, 0.609 at 8 and 0.607 at 4 (0.493 before seeds
# were traced back); the accuracy benchmark's near-verbatim recall stayed
# 0.9759 from 16 down to 2.
MAX_SEED_OCCURRENCES = 8
# Seeds may overlap by a word or two where a repeated word sits at an edit.
_MAX_OVERLAP = 2
# Chains still open to new seeds at any moment. Ordinary text has a handful;
# a chorus repeated hundreds of times opens one per repetition, which made
# chaining quadratic. Beyond this many, the oldest chain is closed.
MAX_OPEN_CHAINS = 64


@dataclass(frozen=True)
class Passage:
    """A near-verbatim passage: word ranges ``[start, end)`` in the output and in the original."""

    suspect_start: int
    suspect_end: int
    original_start: int
    original_end: int
    similarity: float
    matched_words: int

    @property
    def words(self) -> int:
        return self.suspect_end - self.suspect_start


@dataclass
class _Chain:
    suspect_start: int
    original_start: int
    suspect_end: int
    original_end: int
    seeds: int
    matched: int


def chain_seeds(seeds: list[Run], max_gap: int) -> list[_Chain]:
    """Join seeds (sorted by output position) that follow each other closely on both sides."""
    open_chains: list[_Chain] = []
    finished: list[_Chain] = []
    for seed in seeds:
        s, o, n = seed.suspect, seed.original, seed.length
        # Chains that ended too far back can take no more seeds.
        still_open = []
        for chain in open_chains:
            (still_open if chain.suspect_end + max_gap >= s else finished).append(chain)
        open_chains = still_open
        best: _Chain | None = None
        best_cost = 0
        for chain in open_chains:
            gap_s = s - chain.suspect_end
            gap_o = o - chain.original_end
            if gap_s < -_MAX_OVERLAP or gap_o < -_MAX_OVERLAP or gap_s > max_gap or gap_o > max_gap:
                continue
            if s + n <= chain.suspect_end or o + n <= chain.original_end:
                continue  # adds nothing new
            cost = abs(gap_s - gap_o) + max(gap_s, gap_o, 0)
            if best is None or cost < best_cost:
                best, best_cost = chain, cost
        if best is None:
            open_chains.append(_Chain(s, o, s + n, o + n, 1, n))
            if len(open_chains) > MAX_OPEN_CHAINS:
                finished.append(open_chains.pop(0))
        else:
            best.matched += min(n, s + n - best.suspect_end)
            best.suspect_end = max(best.suspect_end, s + n)
            best.original_end = max(best.original_end, o + n)
            best.seeds += 1
    finished.extend(open_chains)
    return finished


def partnered(suspect: np.ndarray, original: np.ndarray, lengths: np.ndarray, max_gap: int) -> np.ndarray:
    """Which seeds have another seed close enough to be joined with: only those can make a passage.

    Most seeds between large texts are coincidental short phrases with no
    neighbour; dropping them here, in numpy, spares the chaining loop from
    visiting each. Two seeds can be chained only if their diagonals (original
    minus output position) differ by at most ``max_gap`` plus the allowed
    overlap; such seeds share a diagonal band in at least one of two
    staggered grids of bands twice that wide, and there a seed's neighbour in
    output order is close. The test errs on the side of keeping a seed.
    """
    keep = np.zeros(len(suspect), dtype=bool)
    if len(suspect) < 2:
        return keep
    diagonal = original - suspect
    ends = suspect + lengths
    width = 2 * (max_gap + _MAX_OVERLAP) + 1
    span = int(ends.max()) + 1
    for offset in (0, width // 2 + 1):
        band = (diagonal + offset) // width
        order = np.lexsort((suspect, band))
        b, start, end = band[order], suspect[order], ends[order]
        # The furthest end reached by any earlier seed of the same band: a
        # running maximum that starts afresh in each band, because each band's
        # keys lie above all of the previous band's.
        rank = np.concatenate(([0], np.cumsum(b[1:] != b[:-1])))
        reach = np.maximum.accumulate(rank * span + end) - rank * span
        close = (b[1:] == b[:-1]) & (start[1:] - reach[:-1] <= max_gap)
        # A seed close to the reach of those before it is close to the one that
        # set it; that one is marked by its own successor, which overlaps it.
        keep[order[1:][close]] = True
        keep[order[:-1][close]] = True
    return keep


def shown_similarity(distance: int, longer: int) -> float:
    """``1 - distance / longer`` rounded down to four places: 0.9999 at most, since the sides differ.

    Rounded to nearest, one word changed in 20,000 would read 1.0, the figure
    of an identical copy. Computed in integers, so no platform's floating
    point can put a value on the other side of a boundary.
    """
    return min((longer - distance) * 10_000 // longer, 9_999) / 10_000


def near_passages(
    original_ids: np.ndarray,
    suspect_ids: np.ndarray,
    seeds: tuple[np.ndarray, np.ndarray, np.ndarray],
    *,
    min_words: int,
    min_similarity: float,
    max_gap: int,
) -> list[Passage]:
    """Passages of at least ``min_words`` output words, similar but not identical to the original.

    ``seeds`` are the shared short runs as arrays (output positions, original
    positions, lengths) in output order. Where passages overlap in the output
    (the same stretch resembling two places of the original), the one with
    more matching words is kept.
    """
    suspect, original, lengths = seeds
    keep = np.nonzero(partnered(suspect, original, lengths, max_gap))[0]
    runs = [Run(int(suspect[n]), int(original[n]), int(lengths[n])) for n in keep]
    from rapidfuzz.distance import Levenshtein  # imported when a passage needs it: 5 ms of start-up

    candidates: list[Passage] = []
    for chain in chain_seeds(runs, max_gap):
        if chain.seeds < 2 or chain.suspect_end - chain.suspect_start < min_words:
            continue
        a = original_ids[chain.original_start : chain.original_end].tolist()
        b = suspect_ids[chain.suspect_start : chain.suspect_end].tolist()
        distance = Levenshtein.distance(a, b)
        longer = max(len(a), len(b))
        similarity = 1.0 - distance / longer  # as rapidfuzz's normalized_similarity computes it
        if similarity >= min_similarity and distance:
            candidates.append(
                Passage(
                    chain.suspect_start,
                    chain.suspect_end,
                    chain.original_start,
                    chain.original_end,
                    shown_similarity(distance, longer),
                    chain.matched,
                )
            )
    candidates.sort(key=lambda p: (-p.matched_words, -p.similarity, p.suspect_start, p.original_start))
    kept: list[Passage] = []
    for passage in candidates:
        if all(passage.suspect_end <= k.suspect_start or passage.suspect_start >= k.suspect_end for k in kept):
            kept.append(passage)
    kept.sort(key=lambda p: (p.suspect_start, p.original_start))
    return kept

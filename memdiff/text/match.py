"""Exact spans: every maximal run of words shared by both texts, wherever it sits.

The method, in the words a report uses: every run of ``k`` consecutive words
of the original is indexed; each run of ``k`` words of the output is looked
up in that index; every hit is checked word by word (never trusted to a
hash), then extended forwards as far as both texts agree. A hit whose
preceding words also agree is the continuation of an earlier hit and is not
counted again, so each shared run is found once, at its start. The order in
which passages appear in either text plays no part: reordered, repeated and
interleaved copying are all found.

The work is done on numpy arrays of word ids so a 200,000-word original takes
a fraction of a second; k-gram fingerprints are 64-bit polynomial hashes that
only select candidates for the word-by-word check.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

# How many places in the original one k-word run is followed to. A run found
# more often is boilerplate or a refrain; it is still reported (from the
# occurrences considered) and its count is reported as "at least".
MAX_OCCURRENCES = 256

_BASE = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit multiplier (golden ratio)


@dataclass(frozen=True)
class Run:
    """A maximal shared run: ``length`` words at ``suspect`` in the output and at ``original`` in the work."""

    suspect: int
    original: int
    length: int
    other_occurrences: int = 0


class KgramIndex:
    """Sorted fingerprints of every k-word run of one text, for fast lookup of another's."""

    def __init__(self, ids: np.ndarray, k: int) -> None:
        self.ids = ids
        self.k = k
        fingerprints = kgram_fingerprints(ids, k)
        # Sort keys made of the fingerprint's high bits followed by the
        # position: one plain (fast) sort then orders equal fingerprints by
        # their place in the text, as a stable sort would, at a fraction of
        # its cost. The bits given up only let more candidates through to
        # the word-by-word check.
        self._shift = np.uint64(max(1, len(fingerprints).bit_length()))
        positions = np.arange(len(fingerprints), dtype=np.uint64)
        keys = np.sort(((fingerprints >> self._shift) << self._shift) | positions)
        self.order = (keys & ((np.uint64(1) << self._shift) - np.uint64(1))).astype(np.int64)
        self.sorted = keys >> self._shift

    def lookup(self, fingerprints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """For each fingerprint, the ``[lo, hi)`` range of ``self.order`` holding it."""
        queries = fingerprints >> self._shift
        # Searching in sorted order walks the table once instead of jumping
        # about in it: several times faster on large texts.
        order = np.argsort(queries)
        ordered = queries[order]
        lo = np.empty(len(queries), dtype=np.int64)
        hi = np.empty(len(queries), dtype=np.int64)
        lo[order] = np.searchsorted(self.sorted, ordered, side="left")
        hi[order] = np.searchsorted(self.sorted, ordered, side="right")
        return lo, hi


def kgram_fingerprints(ids: np.ndarray, k: int) -> np.ndarray:
    """64-bit polynomial fingerprint of every window of ``k`` ids (empty if the text is shorter)."""
    n = len(ids) - k + 1
    if n <= 0:
        return np.zeros(0, dtype=np.uint64)
    values = ids.astype(np.uint64) + np.uint64(1)
    acc = np.zeros(n, dtype=np.uint64)
    with np.errstate(over="ignore"):
        for t in range(k):
            acc = acc * _BASE + values[t : t + n]
    return acc


def candidate_pairs(
    index: KgramIndex, suspect_ids: np.ndarray, max_occurrences: int, *, skip_common: bool = False
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """All verified (original, suspect) positions where the same k words begin, left-maximal only.

    A run of the output found in more than ``max_occurrences`` places of the
    original is followed to the first ``max_occurrences`` of them, or, with
    ``skip_common``, not at all: a phrase that common says nothing about
    where a copy came from.

    Returns the original positions, the suspect positions, and for each pair
    how many verified occurrences its suspect run has in the original.
    """
    k = index.k
    empty = np.zeros(0, dtype=np.int64)
    fingerprints = kgram_fingerprints(suspect_ids, k)
    if len(fingerprints) == 0 or len(index.sorted) == 0:
        return empty, empty, empty
    lo, hi = index.lookup(fingerprints)
    counts = hi - lo
    if skip_common:
        counts[counts > max_occurrences] = 0
    else:
        np.minimum(counts, max_occurrences, out=counts)
    hit = np.nonzero(counts)[0]
    if len(hit) == 0:
        return empty, empty, empty
    # Expand each suspect position into one pair per original occurrence.
    reps = counts[hit]
    sus = np.repeat(hit, reps)
    offsets = np.arange(int(reps.sum()), dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    orig = index.order[np.repeat(lo[hit], reps) + offsets].astype(np.int64)

    # Verify: fingerprints only chose candidates; the words must really be equal.
    original_ids = index.ids
    same = np.ones(len(sus), dtype=bool)
    for t in range(k):
        same &= original_ids[orig + t] == suspect_ids[sus + t]
    orig, sus = orig[same], sus[same]
    # Verified occurrence count per suspect position, for "found N more times".
    occurrences = np.bincount(sus, minlength=len(suspect_ids))[sus]

    # Left-maximal: drop a pair whose preceding words also agree (it continues an earlier pair).
    starts = (orig == 0) | (sus == 0)
    inner = ~starts
    starts[inner] = original_ids[orig[inner] - 1] != suspect_ids[sus[inner] - 1]
    return orig[starts], sus[starts], occurrences[starts]


def extend(original_ids: np.ndarray, suspect_ids: np.ndarray, orig: np.ndarray, sus: np.ndarray, k: int) -> np.ndarray:
    """Length of the agreement starting at each pair, known to be at least ``k``."""
    lengths = np.full(len(orig), k, dtype=np.int64)
    alive = np.arange(len(orig))
    n_orig, n_sus = len(original_ids), len(suspect_ids)
    step = 8
    while len(alive):
        # Compare a block of ``step`` words at once; a pair stays alive while the whole block agrees.
        o = orig[alive] + lengths[alive]
        s = sus[alive] + lengths[alive]
        room = np.minimum(n_orig - o, n_sus - s)
        agree = np.zeros(len(alive), dtype=np.int64)
        running = room > 0
        for t in range(step):
            running &= t < room
            idx = np.nonzero(running)[0]
            if len(idx) == 0:
                break
            equal = original_ids[o[idx] + t] == suspect_ids[s[idx] + t]
            running[idx] = equal
            agree[idx[equal]] += 1
        lengths[alive] += agree
        alive = alive[agree == step]
        step = min(step * 2, 4096)
    return lengths


def exact_runs(
    index: KgramIndex, suspect_ids: np.ndarray, *, max_occurrences: int = MAX_OCCURRENCES
) -> list[Run]:
    """Every maximal shared run of at least ``index.k`` words, one per stretch of the output.

    Where one stretch of the output occurs in several places of the original,
    the occurrence that extends furthest is kept (the earliest among equals)
    and the others are counted. Runs lying wholly inside a longer run of the
    output are dropped: they are that run seen from elsewhere in the original.
    """
    orig, sus, occurrences = candidate_pairs(index, suspect_ids, max_occurrences)
    if len(orig) == 0:
        return []
    lengths = extend(index.ids, suspect_ids, orig, sus, index.k)
    # Per suspect position: longest first, then earliest in the original.
    order = np.lexsort((orig, -lengths, sus))
    orig, sus, lengths, occurrences = orig[order], sus[order], lengths[order], occurrences[order]
    first = np.ones(len(sus), dtype=bool)
    first[1:] = sus[1:] != sus[:-1]
    orig, sus, lengths, occurrences = orig[first], sus[first], lengths[first], occurrences[first]
    # Drop runs contained in an earlier-starting (or equal-starting, longer) run of the output.
    ends = sus + lengths
    reach_before = np.maximum.accumulate(np.concatenate(([0], ends[:-1])))
    keep = ends > reach_before
    return [
        Run(int(s), int(o), int(n), int(c) - 1)
        for s, o, n, c in zip(sus[keep], orig[keep], lengths[keep], occurrences[keep])
    ]


def all_runs(
    index: KgramIndex, suspect_ids: np.ndarray, *, max_occurrences: int
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every maximal shared run of at least ``index.k`` words, all occurrences (the seeds of near passages).

    Runs found in more than ``max_occurrences`` places of the original are
    left out. Returned as arrays (output positions, original positions,
    lengths) in output order: large texts share hundreds of thousands of
    short runs by coincidence, too many to handle one Python object at a time.
    """
    orig, sus, _ = candidate_pairs(index, suspect_ids, max_occurrences, skip_common=True)
    lengths = extend(index.ids, suspect_ids, orig, sus, index.k)
    order = np.lexsort((orig, sus))
    return sus[order], orig[order], lengths[order]

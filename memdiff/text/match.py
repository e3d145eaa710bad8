"""Exact spans: every maximal run of words shared by both texts, wherever it sits.

The method, in the words a report uses: every run of ``k`` consecutive words
of the original is indexed; each run of ``k`` words of the output is looked
up in that index; every hit is checked word by word (never trusted to a
hash), then extended forwards as far as both texts agree. A hit whose
preceding words also agree is the continuation of an earlier hit and is not
counted again, so each shared run is found once, at its start; where that
earlier hit was never looked at (its phrase is too common in the original to
follow to every place), the hit is traced back word by word to where the
shared run really starts, so a copy that merely opens with a common phrase is
still found whole. The order in
which passages appear in either text plays no part: reordered, repeated and
interleaved copying are all found.

The work is done on numpy arrays of word ids so a 200,000-word original takes
a fraction of a second; k-gram fingerprints are 64-bit polynomial hashes that
only select candidates for the word-by-word check. A run longer than about
250 words is measured by binary search on fingerprints of its stretches (so
that a text repeating itself costs n log n, not n²), and every run reported
is then checked word by word over its whole length.
"""

from __future__ import annotations

from collections.abc import Callable
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
        fingerprints = _scrambled(kgram_fingerprints(ids, k))
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
        queries = _scrambled(fingerprints) >> self._shift
        # Searching in sorted order walks the table once instead of jumping
        # about in it: several times faster on large texts.
        order = np.argsort(queries)
        ordered = queries[order]
        lo = np.empty(len(queries), dtype=np.int64)
        hi = np.empty(len(queries), dtype=np.int64)
        lo[order] = np.searchsorted(self.sorted, ordered, side="left")
        hi[order] = np.searchsorted(self.sorted, ordered, side="right")
        return lo, hi


def _scrambled(fingerprints: np.ndarray) -> np.ndarray:
    """The fingerprints put through a one-to-one mixing (splitmix64's finaliser), so every bit depends on every word.

    A polynomial fingerprint's low bits are mostly its last word's id: with
    them cut off for the sort keys, every k words sharing their first k - 1
    fell into one range of the index, so "in the middle of" counted the
    places of every "in the middle ..." against the occurrence limits.
    """
    with np.errstate(over="ignore"):
        z = fingerprints ^ (fingerprints >> np.uint64(30))
        z = z * np.uint64(0xBF58476D1CE4E5B9)
        z ^= z >> np.uint64(27)
        z *= np.uint64(0x94D049BB133111EB)
        z ^= z >> np.uint64(31)
    return z


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


def _nothing_to_check() -> None:
    """The default of ``check``: nobody is waiting to cancel."""


def candidate_pairs(
    index: KgramIndex,
    suspect_ids: np.ndarray,
    max_occurrences: int,
    *,
    skip_common: bool = False,
    check: Callable[[], None] = _nothing_to_check,
) -> tuple[np.ndarray, np.ndarray]:
    """All verified (original, suspect) positions where a shared run of at least k words begins.

    A run of the output found in more than ``max_occurrences`` places of the
    original is followed to the first ``max_occurrences`` of them, or, with
    ``skip_common``, not at all: a phrase that common says nothing about
    where a copy came from. A shared run that merely begins with such a
    phrase is still found: see :func:`_verified_starts`.

    Returns the original positions and the suspect positions, ordered by
    suspect position, then original position. ``check`` is called between
    slices of the work (it raises to cancel: ``Progress.check``).
    """
    k = index.k
    empty = np.zeros(0, dtype=np.int64)
    fingerprints = kgram_fingerprints(suspect_ids, k)
    if len(fingerprints) == 0 or len(index.sorted) == 0:
        return empty, empty
    lo, hi = index.lookup(fingerprints)
    counts = hi - lo
    if skip_common:
        counts[counts > max_occurrences] = 0
    else:
        np.minimum(counts, max_occurrences, out=counts)
    hit = np.nonzero(counts)[0]
    if len(hit) == 0:
        return empty, empty
    # The last place in the original each output position's k words were
    # followed to (-1: none). A range of the index holds its places in text
    # order, so a place was followed exactly when it is no later than this.
    last_followed = np.full(len(counts), -1, dtype=np.int64)
    last_followed[hit] = index.order[lo[hit] + counts[hit] - 1]
    # Expanded a slice of the output at a time, so that a text repeating one
    # phrase (max_occurrences pairs for every word) never holds them all at once.
    reps = counts[hit]
    ends = np.cumsum(reps)
    pieces = []
    first = 0
    while first < len(hit):
        check()
        last = int(np.searchsorted(ends, ends[first] - reps[first] + _PAIRS_AT_ONCE, side="right"))
        last = max(last, first + 1)
        pieces.append(
            _verified_starts(index, suspect_ids, hit[first:last], lo[hit[first:last]], reps[first:last], last_followed)
        )
        first = last
    # The pieces come in output order, and each position's places in text
    # order (the index's ranges hold them so): the pairs are sorted.
    orig, sus, unfollowed = (np.concatenate(parts) for parts in zip(*pieces))
    if not unfollowed.any():
        return orig, sus
    # Traced back to where their shared run starts: several pairs of one run
    # may arrive at the same start, or at a pair already made; each start is
    # kept once, merged into its place in the order (no sort of all pairs).
    back = _agreement_before(index.ids, suspect_ids, orig[unfollowed], sus[unfollowed])
    width = len(index.ids)
    traced = np.sort((sus[unfollowed] - back) * width + (orig[unfollowed] - back))
    traced = traced[np.concatenate(([True], traced[1:] != traced[:-1]))]
    made = sus[~unfollowed] * width + orig[~unfollowed]
    if len(made):
        at = np.minimum(np.searchsorted(made, traced), len(made) - 1)
        traced = traced[made[at] != traced]
    keys = np.insert(made, np.searchsorted(made, traced), traced)
    return keys % width, keys // width


# At most this many candidate pairs are expanded and verified at once (about 100 MB of arrays).
_PAIRS_AT_ONCE = 1 << 22


def _verified_starts(
    index: KgramIndex,
    suspect_ids: np.ndarray,
    hit: np.ndarray,
    lo: np.ndarray,
    reps: np.ndarray,
    last_followed: np.ndarray,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The verified pairs of some output positions that start a run, ``reps[i]`` candidates from ``lo[i]`` each.

    A pair whose preceding words also agree continues the pair one word
    back, and is dropped when that pair was made (it will be extended over
    this one). When it was not (its phrase was not followed to that place),
    the pair is kept and flagged: it must be traced back to its run's start.
    Returns original positions, suspect positions, and those flags.
    """
    k = index.k
    # Expand each suspect position into one pair per original occurrence.
    sus = np.repeat(hit, reps)
    offsets = np.arange(int(reps.sum()), dtype=np.int64) - np.repeat(np.cumsum(reps) - reps, reps)
    orig = index.order[np.repeat(lo, reps) + offsets].astype(np.int64)

    # Verify: fingerprints only chose candidates; the words must really be equal.
    original_ids = index.ids
    same = np.ones(len(sus), dtype=bool)
    for t in range(k):
        same &= original_ids[orig + t] == suspect_ids[sus + t]
    orig, sus = orig[same], sus[same]

    inner = np.flatnonzero((orig > 0) & (sus > 0))
    inner = inner[original_ids[orig[inner] - 1] == suspect_ids[sus[inner] - 1]]  # preceding words agree
    made = orig[inner] - 1 <= last_followed[sus[inner] - 1]
    keep = np.ones(len(orig), dtype=bool)
    keep[inner[made]] = False
    unfollowed = np.zeros(len(orig), dtype=bool)
    unfollowed[inner[~made]] = True
    return orig[keep], sus[keep], unfollowed[keep]


def _agreement_before(
    original_ids: np.ndarray, suspect_ids: np.ndarray, orig: np.ndarray, sus: np.ndarray
) -> np.ndarray:
    """How many words right before each pair agree in both texts (checked word by word).

    Measured as the agreement after the same places in the texts read
    backwards, by :func:`extend` and :func:`confirm`: so a long run traced
    back costs n log n, like one extended forwards.
    """
    backwards_o, backwards_s = original_ids[::-1], suspect_ids[::-1]
    o = len(original_ids) - orig  # the word before ``orig``, counted from the end
    s = len(suspect_ids) - sus
    lengths, unchecked = extend(backwards_o, backwards_s, o, s, 0)
    confirm(backwards_o, backwards_s, o, s, lengths, unchecked, np.arange(len(o)))
    return lengths


# Pairs still agreeing after about this many words compared one by one are
# measured by binary search over prefix fingerprints instead: comparing word by
# word, an output repeating one word n times against an original doing the
# same costs n² comparisons (a minute for 100,000 words).
_WORD_BY_WORD = 256


def extend(
    original_ids: np.ndarray, suspect_ids: np.ndarray, orig: np.ndarray, sus: np.ndarray, k: int
) -> tuple[np.ndarray, np.ndarray]:
    """Length of the agreement starting at each pair (at least ``k``), and which lengths are not yet checked.

    Lengths up to about 250 words are found word by word. Longer ones are
    found with fingerprints, which prove where two stretches differ but only
    suggest where they agree: those lengths are flagged ``unchecked`` and
    must go through :func:`confirm` before use (only the runs kept need it).
    """
    lengths = np.full(len(orig), k, dtype=np.int64)
    alive = _extend_word_by_word(original_ids, suspect_ids, orig, sus, lengths, _WORD_BY_WORD)
    unchecked = np.zeros(len(orig), dtype=bool)
    if len(alive):
        lengths[alive] = _fingerprint_lengths(original_ids, suspect_ids, orig[alive], sus[alive], lengths[alive])
        unchecked[alive] = True
    return lengths, unchecked


def confirm(
    original_ids: np.ndarray,
    suspect_ids: np.ndarray,
    orig: np.ndarray,
    sus: np.ndarray,
    lengths: np.ndarray,
    unchecked: np.ndarray,
    which: np.ndarray,
) -> bool:
    """Check word by word the unchecked lengths among pairs ``which``; correct any that were wrong.

    Returns True when all were right. A wrong one (two different stretches
    with equal fingerprints, which takes a deliberately crafted text) is
    measured again word by word, without limit.
    """
    doubtful = which[unchecked[which]]
    wrong = [
        int(n)
        for n in doubtful
        if not np.array_equal(
            original_ids[orig[n] : orig[n] + lengths[n]], suspect_ids[sus[n] : sus[n] + lengths[n]]
        )
    ]
    unchecked[doubtful] = False
    if not wrong:
        return True
    redo = np.array(wrong, dtype=np.int64)
    again = np.zeros(len(redo), dtype=np.int64)
    _extend_word_by_word(original_ids, suspect_ids, orig[redo], sus[redo], again, None)
    lengths[redo] = again
    return False


def _extend_word_by_word(
    original_ids: np.ndarray,
    suspect_ids: np.ndarray,
    orig: np.ndarray,
    sus: np.ndarray,
    lengths: np.ndarray,
    limit: int | None,
) -> np.ndarray:
    """Grow ``lengths`` in place while the words agree; returns the pairs still agreeing after ``limit`` words."""
    alive = np.arange(len(orig))
    n_orig, n_sus = len(original_ids), len(suspect_ids)
    step = 8
    compared = 0
    while len(alive):
        if limit is not None and compared + step > limit:
            return alive
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
        compared += step
        step = min(step * 2, 4096)
    return alive


_MASK = (1 << 64) - 1


def _fingerprint_lengths(
    original_ids: np.ndarray, suspect_ids: np.ndarray, orig: np.ndarray, sus: np.ndarray, known: np.ndarray
) -> np.ndarray:
    """The longest agreement at each pair by binary search, ``known`` words being known to agree.

    The fingerprint of ``ids[a : a + n]`` is ``sum(v[a + t] * B**t)`` modulo
    2**64, read off prefix sums in constant time: a stretch's prefix sum,
    scaled by ``B**-a``. Equal stretches have equal fingerprints, so the
    answer is never too short; it is too long only if two different
    stretches' fingerprints coincide, which :func:`confirm` rules out.
    """
    size = max(len(original_ids), len(suspect_ids)) + 1
    powers = _powers(int(_BASE), size)
    inverse = _powers(pow(int(_BASE), -1, 1 << 64), size)
    with np.errstate(over="ignore"):
        prefix_o = _prefix_sums(original_ids, powers)
        prefix_s = _prefix_sums(suspect_ids, powers)

        def same(n: np.ndarray, o: np.ndarray, s: np.ndarray) -> np.ndarray:
            return (prefix_o[o + n] - prefix_o[o]) * inverse[o] == (prefix_s[s + n] - prefix_s[s]) * inverse[s]

        lo = known.copy()  # agree
        hi = np.minimum(len(original_ids) - orig, len(suspect_ids) - sus) + 1  # first length that cannot
        while True:
            open_ = np.nonzero(hi - lo > 1)[0]
            if len(open_) == 0:
                return lo
            mid = (lo[open_] + hi[open_]) // 2
            agree = same(mid, orig[open_], sus[open_])
            lo[open_[agree]] = mid[agree]
            hi[open_[~agree]] = mid[~agree]


def _powers(base: int, size: int) -> np.ndarray:
    """``base**t`` modulo 2**64 for ``t`` in ``[0, size)``, doubling the filled part at each step."""
    powers = np.ones(max(size, 1), dtype=np.uint64)
    filled = 1
    factor = base & _MASK
    with np.errstate(over="ignore"):
        while filled < size:
            count = min(filled, size - filled)
            powers[filled : filled + count] = powers[:count] * np.uint64(factor)
            filled += count
            factor = (factor * factor) & _MASK
    return powers


def _prefix_sums(ids: np.ndarray, powers: np.ndarray) -> np.ndarray:
    values = ids.astype(np.uint64) + np.uint64(1)
    sums = np.zeros(len(ids) + 1, dtype=np.uint64)
    np.cumsum(values * powers[: len(ids)], out=sums[1:])
    return sums


def exact_runs(
    index: KgramIndex,
    suspect_ids: np.ndarray,
    *,
    max_occurrences: int = MAX_OCCURRENCES,
    check: Callable[[], None] = _nothing_to_check,
) -> list[Run]:
    """Every maximal shared run of at least ``index.k`` words, one per stretch of the output.

    Where one stretch of the output occurs in several places of the original,
    the occurrence that extends furthest is kept (the earliest among equals)
    and the other places holding the whole run are counted (at least: a
    phrase found in more than ``max_occurrences`` places is followed to that
    many). Runs lying wholly inside a longer run of the output are dropped:
    they are that run seen from elsewhere in the original.
    """
    orig, sus = candidate_pairs(index, suspect_ids, max_occurrences, check=check)
    if len(orig) == 0:
        return []
    check()
    lengths, unchecked = extend(index.ids, suspect_ids, orig, sus, index.k)
    while True:
        check()
        kept, places = _longest_per_stretch(sus, lengths)
        # The places of a kept run are checked word by word as the run is.
        if confirm(index.ids, suspect_ids, orig, sus, lengths, unchecked, places):
            break
    # The other places of a kept run: the pairs at its output position
    # reaching as far (none reaches further). A place whose preceding words
    # also agree would have made a longer run there, covering this one.
    at = sus[places]
    also = np.searchsorted(at, sus[kept], side="right") - np.searchsorted(at, sus[kept], side="left") - 1
    return [
        Run(int(s), int(o), int(n), int(c))
        for s, o, n, c in zip(sus[kept], orig[kept], lengths[kept], also)
    ]


def _longest_per_stretch(sus: np.ndarray, lengths: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The runs to report, in output order (see :func:`exact_runs`), and every pair reaching as far as one of them.

    The pairs must be sorted by output position, then original position.
    Per output position the longest run is kept, the earliest in the
    original among equals; then runs contained in an earlier-starting run
    of the output are dropped.
    """
    n = len(sus)
    starts = np.flatnonzero(np.concatenate(([True], sus[1:] != sus[:-1])))
    group = np.repeat(np.arange(len(starts)), np.diff(np.append(starts, n)))
    reaching = np.flatnonzero(lengths == np.maximum.reduceat(lengths, starts)[group])
    first = reaching[np.concatenate(([True], group[reaching][1:] != group[reaching][:-1]))]
    # Drop runs contained in an earlier-starting (or equal-starting, longer) run of the output.
    ends = sus[first] + lengths[first]
    reach_before = np.maximum.accumulate(np.concatenate(([0], ends[:-1])))
    kept = first[ends > reach_before]
    kept_group = np.zeros(len(starts), dtype=bool)
    kept_group[group[kept]] = True
    return kept, reaching[kept_group[group[reaching]]]


def all_runs(
    index: KgramIndex,
    suspect_ids: np.ndarray,
    *,
    max_occurrences: int,
    check: Callable[[], None] = _nothing_to_check,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Every maximal shared run of at least ``index.k`` words, all occurrences (the seeds of near passages).

    A run is left out when each of its k-word phrases is found in more than
    ``max_occurrences`` places of the original; one that only opens with such
    phrases is found whole. Returned as arrays (output positions, original positions,
    lengths) in output order: large texts share hundreds of thousands of
    short runs by coincidence, too many to handle one Python object at a time.
    """
    orig, sus = candidate_pairs(index, suspect_ids, max_occurrences, skip_common=True, check=check)
    check()
    lengths, unchecked = extend(index.ids, suspect_ids, orig, sus, index.k)
    check()
    confirm(index.ids, suspect_ids, orig, sus, lengths, unchecked, np.arange(len(orig)))
    order = np.lexsort((orig, sus))
    return sus[order], orig[order], lengths[order]

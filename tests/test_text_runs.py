"""Exact runs at the edges of the method: very long runs, forged fingerprints, and pair expansion in slices."""

from __future__ import annotations

import numpy as np
import pytest

from memdiff.text import match
from memdiff.text.match import KgramIndex, all_runs, exact_runs


def _ids(rng: np.random.Generator, n: int, vocabulary: int = 5000) -> np.ndarray:
    return rng.integers(0, vocabulary, size=n).astype(np.int64)


def test_a_run_longer_than_the_word_by_word_limit_is_measured_exactly():
    rng = np.random.default_rng(7)
    original = _ids(rng, 20_000)
    copied = original[3_000:3_000 + 5_000]  # far beyond the ~250 words compared one by one
    suspect = np.concatenate([_ids(rng, 300, 10**6) + 10**6, copied, _ids(rng, 300, 10**6) + 2 * 10**6])
    runs = exact_runs(KgramIndex(original, 8), suspect)
    assert [(r.suspect, r.original, r.length) for r in runs] == [(300, 3_000, 5_000)]


def test_runs_ending_at_the_text_ends_are_measured_to_the_end():
    rng = np.random.default_rng(8)
    original = _ids(rng, 3_000)
    runs = exact_runs(KgramIndex(original, 8), original[1_000:].copy())
    assert [(r.suspect, r.original, r.length) for r in runs] == [(0, 1_000, 2_000)]


def test_a_forged_fingerprint_agreement_is_caught_and_measured_word_by_word(monkeypatch):
    # Pretend the fingerprints said the run goes 100 words further than it does:
    # confirm() must find the words differ and measure the run again.
    rng = np.random.default_rng(9)
    original = _ids(rng, 6_000)
    suspect = np.concatenate([original[:1_000], _ids(rng, 2_000, 10**6) + 10**6])
    honest = match._fingerprint_lengths

    def forged(original_ids, suspect_ids, orig, sus, known):
        return np.minimum(honest(original_ids, suspect_ids, orig, sus, known) + 100, len(suspect_ids) - sus)

    monkeypatch.setattr(match, "_fingerprint_lengths", forged)
    runs = exact_runs(KgramIndex(original, 8), suspect)
    assert [(r.suspect, r.original, r.length) for r in runs] == [(0, 0, 1_000)]
    seeds = all_runs(KgramIndex(original, 8), suspect, max_occurrences=16)
    assert list(zip(*(a.tolist() for a in seeds))) == [(0, 0, 1_000)]


@pytest.mark.parametrize("slice_size", [1, 7, 1000])
def test_expanding_pairs_in_slices_changes_nothing(monkeypatch, slice_size):
    rng = np.random.default_rng(10)
    # Few distinct words: many candidate pairs per position, some over the occurrence cap.
    original = _ids(rng, 3_000, 4)
    suspect = np.concatenate([original[500:900], _ids(rng, 600, 4), original[100:300]])
    index = KgramIndex(original, 3)
    expected = match.candidate_pairs(index, suspect, 40)
    expected_runs = exact_runs(index, suspect, max_occurrences=40)
    monkeypatch.setattr(match, "_PAIRS_AT_ONCE", slice_size)
    for got, want in zip(match.candidate_pairs(index, suspect, 40), expected):
        assert np.array_equal(got, want)
    assert exact_runs(index, suspect, max_occurrences=40) == expected_runs


def test_prefix_fingerprints_match_the_kgram_fingerprints():
    rng = np.random.default_rng(11)
    ids = np.tile(_ids(rng, 37, 6), 14)[:500]  # a repeated stretch: many equal windows, some not
    powers = match._powers(int(match._BASE), 501)
    inverse = match._powers(pow(int(match._BASE), -1, 1 << 64), 501)
    prefix = match._prefix_sums(ids, powers)
    for k in (1, 4, 13):
        windows = match.kgram_fingerprints(ids, k)
        starts = np.arange(len(windows))
        # kgram_fingerprints weighs the first word highest, the prefix sums the last: compare as sets of equalities.
        from_prefix = (prefix[starts + k] - prefix[starts]) * inverse[starts]
        assert 0 < np.count_nonzero(windows[:, None] == windows[None, :]) - len(windows)
        assert np.array_equal(windows[:, None] == windows[None, :], from_prefix[:, None] == from_prefix[None, :])


def test_phrases_sharing_all_but_their_last_word_are_counted_apart():
    """The occurrence limits count the places of the k words themselves, not of every phrase opening like them."""
    opening = [11, 12, 13]  # "in the middle"
    original = np.array([w for last in range(100, 400) for w in (*opening, last, 7)], dtype=np.int64)
    index = KgramIndex(original, 4)
    query = match.kgram_fingerprints(np.array([*opening, 250], dtype=np.int64), 4)
    lo, hi = index.lookup(query)
    assert (hi - lo).tolist() == [1]
    # So a seed whose own words are rare is used, however common its first three words are.
    suspect = np.array([5, *opening, 250, 7, 6], dtype=np.int64)
    seeds = all_runs(index, suspect, max_occurrences=16)
    assert list(zip(*(a.tolist() for a in seeds))) == [(1, 5 * 150, 5)]

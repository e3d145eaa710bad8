"""Property tests: whatever the text, spans are in bounds, really match, and never depend on order."""

from __future__ import annotations

import os
import subprocess
import sys

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from memdiff.evidence import Parameters
from memdiff.ingest import load_text
from memdiff.text import TextIndex, compare_texts
from memdiff.text.normalize import Vocabulary, tokenize

# A small vocabulary makes shared runs likely; odd characters test the edges.
WORDS = st.sampled_from(
    ["the", "The", "cat", "CAT", "sat", "on", "mat", "\u201cquoted\u201d", "don\u2019t", "caf\u00e9", "cafe\u0301",
     "\ufb01ne", "\u6771", "\u4eac", "repro-\nduction", "42", "--", "...", "\u00e9t\u00e9", "a", "an"]
)
SEPARATORS = st.sampled_from([" ", "  ", "\n", ", ", ". ", "\t", " \u2014 "])


@st.composite
def texts(draw, min_size=0, max_size=120):
    words = draw(st.lists(WORDS, min_size=min_size, max_size=max_size))
    out = []
    for word in words:
        out.append(word)
        out.append(draw(SEPARATORS))
    return "".join(out) or "x"


def _normalised_words(text: str, start: int, end: int, parameters: Parameters) -> list[str]:
    vocabulary = Vocabulary(parameters)
    tokens = tokenize(text[start:end], vocabulary)
    return [vocabulary.form(int(i)) for i in tokens.ids]


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts(min_size=5), texts(min_size=5), st.integers(min_value=2, max_value=8), st.booleans())
def test_spans_are_in_bounds_and_exact_spans_really_match(original_text, suspect_text, min_words, near):
    parameters = Parameters(min_words=min_words, near=near)
    original, suspect = load_text(original_text, "o"), load_text(suspect_text, "s")
    result = compare_texts(original, suspect, parameters)
    for span in result.spans:
        assert 0 <= span.original.start < span.original.end <= len(original.text)
        assert 0 <= span.suspect.start < span.suspect.end <= len(suspect.text)
        assert span.words >= min_words
        if span.kind == "exact":
            a = _normalised_words(original.text, span.original.start, span.original.end, parameters)
            b = _normalised_words(suspect.text, span.suspect.start, span.suspect.end, parameters)
            assert a == b
            assert len(b) == span.words
        else:
            assert parameters.min_similarity <= span.similarity < 1.0
    summary = result.summary
    assert 0 <= summary.suspect_words_in_exact_spans <= summary.suspect_words_in_spans <= suspect.words
    assert 0.0 <= summary.suspect_coverage <= 1.0
    assert summary.span_count == len(result.spans)


@settings(max_examples=40, deadline=None)
@given(texts(min_size=20), st.lists(texts(min_size=5, max_size=60), min_size=2, max_size=4), st.randoms())
def test_batch_results_do_not_depend_on_the_order_of_outputs(original_text, outputs, rng):
    parameters = Parameters(min_words=3)
    original = load_text(original_text, "o")
    suspects = [load_text(t, f"s{n}") for n, t in enumerate(outputs)]

    def run(order):
        index = TextIndex.build(original, parameters)
        return {
            suspects[n].name: [s.to_dict() for s in compare_texts(original, suspects[n], parameters, index=index).spans]
            for n in order
        }

    order = list(range(len(suspects)))
    shuffled = order[:]
    rng.shuffle(shuffled)
    assert run(order) == run(shuffled)


def test_results_do_not_depend_on_python_hash_seed(tmp_path):
    original = tmp_path / "o.txt"
    suspect = tmp_path / "s.txt"
    words = [f"w{(n * 7919) % 97}" for n in range(3000)]
    original.write_text(" ".join(words), encoding="utf-8")
    suspect.write_text(" ".join(words[500:700] + ["zz"] + words[100:160] + words[2000:2100]), encoding="utf-8")
    outputs = set()
    for seed in ("0", "1", "12345", "random"):
        done = subprocess.run(
            [sys.executable, "-m", "memdiff", "compare", str(original), str(suspect), "--json", "-"],
            capture_output=True, timeout=120, env={**os.environ, "PYTHONHASHSEED": seed, "SOURCE_DATE_EPOCH": "0"},
        )
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


@settings(max_examples=60, deadline=None)
@given(texts(min_size=30, max_size=200), texts(min_size=10, max_size=120), st.integers(min_value=4, max_value=9))
def test_dropping_partnerless_seeds_changes_no_near_passage(original_text, suspect_text, min_words):
    """The numpy pre-filter of seeds is a shortcut only: chaining every seed gives the same passages."""
    import numpy as np

    import memdiff.text.near as near

    parameters = Parameters(min_words=min_words, near_seed_words=2, min_similarity=0.6)
    original, suspect = load_text(original_text, "o"), load_text(suspect_text + " " + original_text[::2], "s")
    filtered = compare_texts(original, suspect, parameters)
    real = near.partnered
    try:
        near.partnered = lambda suspect, *rest: np.ones(len(suspect), dtype=bool)
        unfiltered = compare_texts(original, suspect, parameters)
    finally:
        near.partnered = real
    assert filtered.spans == unfiltered.spans


# Letters, digits, "_", punctuation, non-ASCII Latin, numerals, CJK, marks and invisible characters.
SPLIT_ALPHABET = st.sampled_from(
    [chr(i) for i in range(32, 127)]
    + list("\n\t\u00e9\u00fc\u00df\u0153\u201c\u201d\u2019\u2014\u2026\u00c6\u0661\u216b\u00bd\u00b2")
    + ["\u0301", "\u00ad", "\u200b", "\u2060", "\u4e2d", "\u304b", "\ud55c", "\U00020000"]
    # Indic, Tibetan and Khmer letters and their vowel signs, viramas and subjoined letters
    + list("\u0c24\u0c46\u0c41\u0c4d\u0995\u09be\u09cd\u0f40\u0f7c\u0f90\u0f0b\u1780\u17d2\u17c2\u1019\u103a")
    # Hangul jamo (conjoining, compatibility, half-width), half-width kana and voicing marks, enclosing and far marks
    + list("\u1100\u1161\u11a8\ua960\ud7b0\u3131\uffa1\uff76\uff9e\uff70\u3099\u309b\u20dd\ufe0f\u302e")
    + ["\U0001d165", "\U000e0100"]
)


@settings(max_examples=400, deadline=None)
@given(st.text(SPLIT_ALPHABET, max_size=60))
def test_the_fast_word_splits_agree_with_the_full_pattern(text):
    # split_words picks a simpler pattern when the text allows it; the words must not change.
    import re

    from memdiff.text.normalize import WORD_PATTERN, _splitter

    assert _splitter(text).split(text) == re.split(f"({WORD_PATTERN})", text)


@settings(max_examples=400, deadline=None)
@given(st.text(SPLIT_ALPHABET, max_size=60))
def test_words_and_offsets_are_those_of_the_full_pattern(text):
    # Plain texts are split by a table of characters and the others by a
    # pattern; either way the words and their offsets must be the full pattern's.
    import re

    from memdiff.text.normalize import WORD_PATTERN, split_words

    split = split_words(text)
    matches = list(re.finditer(WORD_PATTERN, text))
    assert split.words == [m.group() for m in matches]
    assert split.starts.tolist() == [m.start() for m in matches]
    assert split.ends.tolist() == [m.end() for m in matches]


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("ab _-.\n\u00e9\u2019")), max_size=80))
def test_the_character_table_splits_plain_texts(text):
    # The alphabet has no CJK, marks or characters beyond the BMP: the table is used, never the pattern.
    from memdiff.text.normalize import _split_by_table

    assert _split_by_table(text) is not None


def _shared_kgram_words(original: list[int], suspect: list[int], k: int) -> set[int]:
    """Output positions inside some k words that occur in the original, by brute force."""
    grams = {tuple(original[i : i + k]) for i in range(len(original) - k + 1)}
    covered: set[int] = set()
    for s in range(len(suspect) - k + 1):
        if tuple(suspect[s : s + k]) in grams:
            covered.update(range(s, s + k))
    return covered


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.integers(0, 3), min_size=1, max_size=150),
    st.lists(st.integers(0, 3), min_size=1, max_size=60),
    st.integers(2, 5),
    st.integers(1, 4),
)
def test_exact_runs_cover_every_shared_phrase_however_few_places_are_followed(original, suspect, k, cap):
    """With 4 distinct words nearly every phrase is over the cap: runs must still be found whole, and counted right."""
    import numpy as np

    from memdiff.text.match import KgramIndex, all_runs, exact_runs

    o, s = np.array(original, dtype=np.int64), np.array(suspect, dtype=np.int64)
    runs = exact_runs(KgramIndex(o, k), s, max_occurrences=cap)
    expected = _shared_kgram_words(original, suspect, k)
    assert {p for r in runs for p in range(r.suspect, r.suspect + r.length)} == expected
    for r in runs:
        words = suspect[r.suspect : r.suspect + r.length]
        assert original[r.original : r.original + r.length] == words
        places = [i for i in range(len(original) - r.length + 1) if original[i : i + r.length] == words]
        # At least as many as found among the places followed, never more than there are.
        assert 0 <= r.other_occurrences <= len(places) - 1
        if len([i for i in range(len(original) - k + 1) if original[i : i + k] == words[:k]]) <= cap:
            assert r.other_occurrences == len(places) - 1
    seeds = all_runs(KgramIndex(o, k), s, max_occurrences=cap)
    for sus, orig, length in zip(*(a.tolist() for a in seeds)):
        assert original[orig : orig + length] == suspect[sus : sus + length]
        # Maximal on both sides: a seed is a whole shared run, not a piece of one.
        assert orig == 0 or sus == 0 or original[orig - 1] != suspect[sus - 1]
        assert orig + length == len(original) or sus + length == len(suspect) or (
            original[orig + length] != suspect[sus + length]
        )


# Whole syllables and letters of scripts whose characters have several Unicode spellings.
SYLLABLES = st.sampled_from(
    ["\ud55c", "\uad6d", "\uc5b4", "\uac01", "\uac00", "\ub300", "\u30ac", "\u304b", "\u3071", "\u30b1", "\u30f3",
     "\u30dd", "\u0995\u09be", "\u09b2\u09cb", "\u0c24\u0c46", "\u0c32\u0c41", "\u0f40\u0fb2", "\u0f68\u0f7c",
     "\u1781\u17d2\u1798\u17c2", "\u00e9", "\u00f1", "a", "\u1ec7", "\u0928\u0940"]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(SYLLABLES, st.sampled_from(["", "", " ", "\n", "\u3001", "\u0964", "\u0f0b", ". "])), max_size=30))
def test_a_text_gives_the_same_words_in_every_unicode_form(pieces):
    """NFC, NFD, NFKC and NFKD spellings of one text are cut into the same words, equal once normalised."""
    import unicodedata

    from memdiff.text.normalize import normalise_word, split_words

    text = "".join(syllable + gap for syllable, gap in pieces)
    parameters = Parameters()
    expected = [normalise_word(w, parameters) for w in split_words(unicodedata.normalize("NFC", text)).words]
    for form in ("NFD", "NFKC", "NFKD"):
        spelt = unicodedata.normalize(form, text)
        assert [normalise_word(w, parameters) for w in split_words(spelt).words] == expected, form

"""The matcher on adversarial text: random Unicode, mixed scripts, right-to-left, combining marks, controls, giant words, repetition.

tests/test_properties.py draws from a small friendly vocabulary; these
generators aim at the places a word splitter and an offset map break: text
without spaces, marks without a base letter, bidirectional overrides,
zero-width joiners, line and paragraph separators, NUL and other controls,
one word of a hundred thousand letters. The properties are the same: the
matcher never raises, spans lie inside the extracted text, exact spans really
are equal after normalisation, and a batch gives each output the same
result whatever the order. The degenerate repetitions that make naive
matchers quadratic run in a subprocess with a timeout.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from hostile_corpus import TIMEOUT, isolated_env
from memdiff.evidence import Parameters
from memdiff.ingest import load_text
from memdiff.text import TextIndex, compare_texts
from memdiff.text.normalize import Vocabulary, tokenize

# Words of many scripts, including those written right to left and those written without spaces.
SCRIPTS = [
    "the", "cat", "sat", "na\u00efve", "\u0434\u043e\u043c", "\u043a\u043e\u0448\u043a\u0430", "\u03bb\u03cc\u03b3\u03bf\u03c2",
    "\u0627\u0644\u0643\u062a\u0627\u0628", "\u0633\u0644\u0627\u0645", "\u05e9\u05dc\u05d5\u05dd", "\u05e1\u05e4\u05e8",
    "\u0928\u092e\u0938\u094d\u0924\u0947", "\u0e2a\u0e27\u0e31\u0e2a\u0e14\u0e35\u0e04\u0e23\u0e31\u0e1a",
    "\u6771\u4eac\u90fd", "\u6c34", "\ud55c\uad6d\uc5b4", "\u3072\u3089\u304c\u306a", "\u30ab\u30bf\u30ab\u30ca",
    "\U0001f469\u200d\U0001f4bb", "\U0001f1e9\U0001f1ea", "e\u0301\u0301\u0301", "\u0301\u0302", "A\u030a",
    "\u2167", "\ufb03x", "\u00bd", "x\u00b2", "\u0130stanbul", "stra\u00dfe", "STRASSE", "\u01c4",
]
# What sits between words: spaces of every kind, bidirectional controls, zero-width characters, separators.
GLUE = [
    " ", "  ", "\n", "\n\n", "\t", "\u00a0", "\u2003", "\u3000", "\u200b", "\u200c", "\u200d", "\ufeff",
    "\u200e", "\u200f", "\u202a", "\u202b", "\u202c", "\u202d", "\u202e", "\u2066", "\u2069", "\u2028", "\u2029",
    "\x85", "\x00", "\x01", "\x07", "\x1b", "\x7f", "\x0c", "\r", "\r\n", ", ", ". ", "-\n", "\u00ad", " \u2014 ",
    "\u201c", "\u201d", "'", "\u2019",
]

NO_SURROGATES = st.characters(exclude_categories=("Cs",))


@st.composite
def mixed_script_text(draw, min_words=0, max_words=80):
    words = draw(st.lists(st.sampled_from(SCRIPTS), min_size=min_words, max_size=max_words))
    return "".join(word + draw(st.sampled_from(GLUE)) for word in words) or "x"


@st.composite
def any_text(draw):
    """Random Unicode (no surrogates), often with a shared stretch so spans exist."""
    return draw(st.one_of(
        st.text(NO_SURROGATES, min_size=1, max_size=400),
        mixed_script_text(),
        st.builds(lambda a, b: a + b, mixed_script_text(), st.text(NO_SURROGATES, max_size=60)),
    ))


@st.composite
def pair_with_shared_stretch(draw):
    """An original and an output that copies a stretch of it, wrapped in unrelated adversarial text."""
    original = draw(any_text())
    start = draw(st.integers(0, len(original)))
    end = draw(st.integers(start, len(original)))
    output = draw(any_text()) + original[start:end] + draw(any_text())
    return original, output


def _normalised_words(text: str, start: int, end: int, parameters: Parameters) -> list[str]:
    vocabulary = Vocabulary(parameters)
    tokens = tokenize(text[start:end], vocabulary)
    return [vocabulary.form(int(i)) for i in tokens.ids]


def _check_properties(original_text: str, suspect_text: str, parameters: Parameters) -> None:
    original, suspect = load_text(original_text, "o"), load_text(suspect_text, "s")
    result = compare_texts(original, suspect, parameters)
    seen_ids = set()
    for span in result.spans:
        assert span.id not in seen_ids
        seen_ids.add(span.id)
        assert 0 <= span.original.start < span.original.end <= len(original.text), span
        assert 0 <= span.suspect.start < span.suspect.end <= len(suspect.text), span
        assert span.words >= parameters.min_words
        if span.kind == "exact":
            a = _normalised_words(original.text, span.original.start, span.original.end, parameters)
            b = _normalised_words(suspect.text, span.suspect.start, span.suspect.end, parameters)
            assert a == b, (span, a, b)
            assert len(b) == span.words
        else:
            assert parameters.min_similarity <= span.similarity < 1.0
    summary = result.summary
    assert 0 <= summary.suspect_words_in_exact_spans <= summary.suspect_words_in_spans <= suspect.words
    assert 0.0 <= summary.suspect_coverage <= 1.0 and 0.0 <= summary.original_coverage <= 1.0
    assert summary.span_count == len(result.spans)
    # The result file is valid JSON whatever the characters (no lone surrogates, no NaN).
    json.loads(result.to_json())


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(pair_with_shared_stretch(), st.integers(min_value=1, max_value=6), st.booleans(), st.booleans())
def test_adversarial_pairs_keep_every_property(pair, min_words, near, casefold):
    # A text of blanks alone is refused at loading ("contains no text"), which the bad-input tests cover.
    assume(pair[0].strip() and pair[1].strip())
    original_text, suspect_text = pair
    _check_properties(original_text, suspect_text, Parameters(min_words=min_words, near=near, casefold=casefold))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_script_text(min_words=30, max_words=200), st.integers(min_value=2, max_value=5), st.booleans(),
       st.booleans(), st.booleans())
def test_every_normalisation_switch_on_mixed_scripts(text, min_words, nfkc, quotes, punctuation):
    parameters = Parameters(min_words=min_words, unicode_nfkc=nfkc, unify_quotes=quotes,
                            ignore_punctuation=punctuation)
    half = len(text) // 2
    _check_properties(text, text[half:] + " " + text[:half], parameters)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_script_text(min_words=20, max_words=120),
       st.lists(pair_with_shared_stretch(), min_size=2, max_size=4), st.randoms(use_true_random=False))
def test_batch_of_adversarial_outputs_does_not_depend_on_order(original_text, pairs, rng):
    parameters = Parameters(min_words=2)
    original = load_text(original_text + " ".join(o for o, _ in pairs), "o")
    suspects = [load_text(s, f"s{n}") for n, (_, s) in enumerate(pairs)]

    def run(order):
        index = TextIndex.build(original, parameters)
        return {suspects[n].name: compare_texts(original, suspects[n], parameters, index=index).to_dict()["spans"]
                for n in order}

    order = list(range(len(suspects)))
    shuffled = order[:]
    rng.shuffle(shuffled)
    assert run(order) == run(shuffled)


def test_very_long_single_words():
    giant = "a" * 100_000
    mixed = "".join(random.Random(3).choice("abc\u00e9\u0434\u6771") for _ in range(50_000))
    text = f"before {giant} middle {mixed} after the end of it all"
    _check_properties(text, f"quote: {text} unquote", Parameters(min_words=3))
    _check_properties(text, giant, Parameters(min_words=1))


def test_only_controls_and_marks_is_not_a_word_match():
    noise = "".join(chr(c) for c in range(0, 32)) + "\u0301\u0302\u200b\u200d\u202e\ufeff" * 50
    original, suspect = load_text("real words here " + noise, "o"), load_text(noise + noise, "s")
    result = compare_texts(original, suspect, Parameters(min_words=1))
    assert all(s.words >= 1 for s in result.spans)
    for span in result.spans:  # whatever matched must be a real word of both texts
        assert _normalised_words(suspect.text, span.suspect.start, span.suspect.end, Parameters(min_words=1))


# --------------------------------------------------------------------------- degenerate repetition, in a subprocess

_REPEAT = r"""
import json, sys, time
from memdiff.evidence import Parameters
from memdiff.ingest import load_text
from memdiff.text import compare_texts
kind, words = sys.argv[1], int(sys.argv[2])
if kind == "one-word":
    original, output = "la " * words, "la " * words
elif kind == "period-two":
    original, output = "la di " * (words // 2), "di la " * (words // 2)
elif kind == "repeated-sentence":
    sentence = "it was the best of times it was the worst of times "
    original, output = sentence * (words // 12), sentence * (words // 12)
started = time.process_time()
result = compare_texts(load_text(original, "o"), load_text(output, "s"), Parameters())
print(json.dumps({"seconds": time.process_time() - started, "spans": len(result.spans),
                  "coverage": result.summary.suspect_coverage, "words": load_text(output, "s").words}))
"""


def _repeat(kind: str, words: int, home, timeout: float = TIMEOUT) -> dict:
    done = subprocess.run([sys.executable, "-c", _REPEAT, kind, str(words)], capture_output=True, text=True,
                          timeout=timeout, env=isolated_env(home))
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)


def test_one_word_repeated_100k_times_finishes(home):
    # Word-by-word extension made this n² (about a minute); fingerprints measure the long runs (2 s).
    result = _repeat("one-word", 100_000, home, timeout=8)
    assert result["coverage"] == 1.0 and result["words"] == 100_000


def test_period_two_repetition_finishes(home):
    result = _repeat("period-two", 10_000, home)
    assert result["coverage"] > 0.99


def test_a_sentence_repeated_hundreds_of_times_finishes(home):
    result = _repeat("repeated-sentence", 10_000, home)
    assert result["coverage"] == 1.0


def test_repetition_in_a_real_file_through_the_cli(tmp_path, home):
    original = tmp_path / "chorus.txt"
    original.write_text("la " * 10_000, encoding="utf-8")
    output = tmp_path / "song.txt"
    output.write_text("na " * 10 + "la " * 5_000, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "memdiff", "compare", str(original), str(output), "--json", "-"],
                          capture_output=True, text=True, timeout=TIMEOUT, env=isolated_env(home))
    assert done.returncode == 0, done.stderr
    summary = json.loads(done.stdout)["summary"]
    assert summary["suspect_words_in_spans"] == 5_000


def test_a_cli_batch_gives_each_output_the_same_result_in_any_order(tmp_path, home, novel):
    """Through the command line, with the index shared between outputs: the order of the outputs changes nothing."""
    original, output = novel
    words = output.read_text(encoding="utf-8").split()
    outputs = []
    for n, (start, length) in enumerate([(0, 400), (900, 300), (2000, 50), (3000, 1200)]):
        path = tmp_path / f"out{n}.txt"
        path.write_text(" ".join(words[start : start + length]) + " \u202e\u05e9\u05dc\u05d5\u05dd \u200b", encoding="utf-8")
        outputs.append(path)
    results = []
    for order in ([0, 1, 2, 3], [3, 1, 0, 2]):
        done = subprocess.run([sys.executable, "-m", "memdiff", "compare", str(original),
                               *(str(outputs[i]) for i in order), "--json", "-"],
                              capture_output=True, text=True, timeout=TIMEOUT, env=isolated_env(home))
        assert done.returncode == 0, done.stderr
        batch = json.loads(done.stdout)["comparisons"]
        results.append({c["suspect"]["name"]: (c["spans"], c["summary"], c["findings_sha256"]) for c in batch})
    assert results[0] == results[1]
    assert all(results[0][p.name][0] for p in outputs)

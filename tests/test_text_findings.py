"""The findings the engine reports for a copy: which spans, where they start, and the figures printed with them."""

from __future__ import annotations

import random

import pytest

from memdiff.analyse import compare
from memdiff.evidence import Parameters
from memdiff.ingest import load_text
from memdiff.text.near import shown_similarity


def test_a_long_near_passage_with_one_word_changed_is_never_shown_as_identical():
    rng = random.Random(3)
    words = [f"w{rng.randrange(50000)}" for _ in range(30000)]
    changed = list(words)
    changed[15000] = "CHANGED"
    result = compare(load_text(" ".join(words), "original"), load_text(" ".join(changed), "output"))
    near = [s for s in result.spans if s.kind == "near"]
    assert [(s.words, s.similarity) for s in near] == [(30000, 0.9999)]


@pytest.mark.parametrize(
    ("distance", "longer", "shown"),
    [(1, 3, 0.6666), (71, 100, 0.29), (1, 10_000, 0.9999), (1, 30_000, 0.9999), (7, 7, 0.0), (3, 40, 0.925)],
)
def test_near_similarity_is_rounded_down_to_four_places(distance, longer, shown):
    assert shown_similarity(distance, longer) == shown


# A household book in which 300 entries open with the same eight words: more
# places than one phrase is followed to (match.MAX_OCCURRENCES, 256).
_OPENING = "it was the custom of the house that"
_WHO = ["the cook", "the eldest daughter", "the gardener", "the old steward", "the curate",
        "the housekeeper", "the youngest boy", "the coachman", "the governess", "the master"]
_DEED = ["rose before the sun", "read the letters aloud", "kept the keys of the cellar",
         "walked the dogs to the mill", "mended the nets by the fire", "counted the silver twice",
         "fed the horses at noon", "wrote to the vicar", "swept the chapel steps", "sang at supper"]
_WHEN = ["on feast days", "every winter", "after the harvest"]
_ENTRIES = [f"{_OPENING} {who} {deed} {when}." for when in _WHEN for who in _WHO for deed in _DEED]
_TAIL = ("She did so until the spring her brother came home from the sea with a parrot, "
         "a chest of Spanish coins and a cough that never left him.")


@pytest.mark.parametrize("entry", [3, 255, 256, 290, 299])
def test_a_copy_opening_with_a_phrase_common_in_the_original_is_found_whole(entry):
    original_text = " ".join([*_ENTRIES[: entry + 1], _TAIL, *_ENTRIES[entry + 1 :]])
    copied = f"{_ENTRIES[entry]} {_TAIL}"
    original = load_text(original_text, "household book")
    suspect = load_text(f"In her memoir she wrote: {copied} Nothing more is known of them.", "output")
    for parameters in (Parameters(near=False), Parameters()):
        result = compare(original, suspect, parameters)
        assert [s.kind for s in result.spans] == ["exact"]
        (span,) = result.spans
        assert original.text[span.original.start : span.original.end] == copied.rstrip(".")
        assert suspect.text[span.suspect.start : span.suspect.end] == copied.rstrip(".")
        assert span.other_occurrences == 0


def test_a_near_copy_whose_runs_open_with_a_common_phrase_is_one_passage():
    """Seeds of near passages skip phrases found in more than 8 places; a run opening with one is still a seed."""
    places = ["the valley", "the night", "the square", "the river", "the harvest", "the storm", "the winter",
              "the crowd", "the road", "the sermon", "the forest", "the dance", "the orchard", "the war",
              "the market", "the snow", "the feast", "the marsh", "the journey", "the hall"]
    filler = " ".join(f"Somebody was always standing in the middle of {place} when the bell rang." for place in places)
    # Each sentence: a word that the output changes, then a run of words it keeps,
    # every other run opening with "in the middle of".
    sentences = [
        ("quietly", "in the middle of our long meadow the brothers built a barn of oak"),
        ("slowly", "and the neighbours came over the hill to watch the beams go up"),
        ("always", "in the middle of that first autumn a letter came from their uncle"),
        ("gravely", "who wrote that the land had never been theirs to build upon"),
        ("often", "in the middle of the reading the younger brother laughed out loud"),
        ("bitterly", "and said that no letter would move a barn already standing"),
        ("sadly", "in the middle of the winter the uncle arrived with a lawyer"),
        ("calmly", "and the three men sat until morning over the old deeds"),
    ]
    original_text = filler + " " + " ".join(f"{word} {run}." for word, run in sentences) + " The end."
    edited = " ".join(f"{word.upper()}X {run}." for word, run in sentences)
    suspect = load_text(f"As the chronicle tells it, {edited} So it goes.", "output")
    result = compare(load_text(original_text, "chronicle"), suspect)
    near = [s for s in result.spans if s.kind == "near"]
    assert len(near) == 1
    copied_words = sum(1 + len(run.split()) for _, run in sentences)
    assert near[0].words >= copied_words - 1
    assert result.summary.suspect_words_in_spans >= copied_words - 1


# Pride and Prejudice, chapter 1, set with words broken across lines.
_HYPHENATED = (
    "It is a truth universally acknow-\nledged, that a single man in pos-\nsession of a good fortune, "
    "must be in want of a wife. However little known the feel-\nings or views of such a man may be on "
    "his first enter-\ning a neighbourhood, this truth is so well fixed in the minds of the surround-\ning "
    "families, that he is considered the right-\nful property of some one or other of their daughters.\n"
)


@pytest.mark.parametrize("join", [True, False])
def test_coverage_divides_by_the_words_compared_and_the_summary_states_them(join):
    original = load_text(_HYPHENATED, "original")
    suspect = load_text(f"Quoting the novel: {_HYPHENATED}", "output")
    result = compare(original, suspect, Parameters(join_hyphenation=join))
    s = result.summary
    broken = _HYPHENATED.count("-\n")
    assert original.words == len(_HYPHENATED.split()) - broken  # the document's own count joins them
    assert s.original_words == original.words + (0 if join else broken)
    assert s.suspect_words == s.original_words + 3
    assert s.suspect_words_in_spans == s.original_words <= s.suspect_words
    assert s.suspect_coverage == round(s.suspect_words_in_spans / s.suspect_words, 4)
    assert s.original_coverage == 1.0
    record = result.to_dict()
    assert record["summary"]["suspect_words"] == s.suspect_words
    assert record["suspect"]["words"] == suspect.words

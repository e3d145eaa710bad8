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

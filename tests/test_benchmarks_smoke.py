"""The benchmarks compute their figures from real planted cases (not copied numbers), and their inputs are sound."""

from __future__ import annotations

import json
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus, run_all, text_accuracy, text_speed  # noqa: E402


@pytest.fixture(scope="module")
def english():
    pool = corpus.works("en")
    assert len(pool) >= 3, "the benchmarks need three English works"
    return pool


def test_every_bundled_text_is_named_in_sources():
    sources = (corpus.TEXTS / "SOURCES.md").read_text(encoding="utf-8")
    for w in corpus.works():
        assert f"`{w.key}.txt`" in sources
    assert {"en", "de", "zh"} <= set(corpus.languages())


def test_planted_exact_copies_are_the_source_words(english):
    case = corpus.plant_case(english[0], english[1], "exact", seed=7, passages=5)
    out_words = corpus.word_ranges(case.suspect)
    assert len(case.passages) == 5
    assert case.copied_words == case.passage_words
    for p in case.passages:
        planted = [case.suspect[s:e] for s, e in out_words if p.suspect_start <= s and e <= p.suspect_end]
        source = [m.group() for m in corpus.WORD_RE.finditer(case.original[p.original_start : p.original_end])]
        assert planted == source
        assert p.copied_words == len(source)
    # Shuffled: the passages do not appear in the output in the source's order.
    starts = [p.original_start for p in case.passages]
    assert starts != sorted(starts)


def test_cases_are_deterministic_and_seeds_differ(english):
    a = corpus.plant_case(english[1], english[2], "near", seed=3)
    b = corpus.plant_case(english[1], english[2], "near", seed=3)
    c = corpus.plant_case(english[1], english[2], "near", seed=4)
    assert a == b
    assert a.suspect != c.suspect


def test_each_perturbation_changes_what_it_says(english):
    src, fill = english[0], english[2]
    exact = corpus.plant_case(src, fill, "exact", seed=1)
    for kind in ("case", "punctuation", "quotes", "linebreaks", "unicode", "invisible", "near", "mixed"):
        changed = corpus.plant_case(src, fill, kind, seed=1)
        copied = [changed.suspect[s:e] for s, e in (corpus.word_ranges(changed.suspect)[i] for i in changed.copied_words)]
        assert copied, kind
        if kind == "case":
            assert any(w != w.lower() and w == w.upper() or w.istitle() for w in copied)
        if kind == "linebreaks":
            assert re.search(r"[a-z]-\n[a-z]", changed.suspect), "no hyphenated line break was planted"
        if kind == "unicode":
            assert "\u00ad" in changed.suspect or "\u00a0" in changed.suspect
        if kind == "invisible":
            assert re.search("[\u200b\u2060\ufeff]", changed.suspect)
        if kind in ("near", "mixed"):
            assert len(changed.passage_words) > len(changed.copied_words), "no word was inserted or changed"
    assert corpus.plant_case(src, fill, "control", seed=1).copied_words == ()
    assert exact.copied_words


def test_accuracy_figures_are_computed_and_show_why_order_matters(english):
    cases = text_accuracy.build_cases(
        languages=("en",), perturbations=("exact", "punctuation", "near", "control"), seeds=(1,), max_pairs=2
    )
    totals = text_accuracy.summarise(text_accuracy.evaluate(cases))
    exact = totals[("en", "exact")]
    assert exact["memdiff"].copied > 300
    assert exact["memdiff"].recall >= 0.99
    assert exact["memdiff"].precision >= 0.99
    assert totals[("en", "punctuation")]["memdiff"].recall >= 0.99
    # difflib aligns in order, so shuffled passages defeat it.
    assert exact["difflib"].recall < 0.8
    assert exact["difflib"].recall < exact["memdiff"].recall
    # Near-verbatim passages are found as a whole only with near spans on.
    near = totals[("en", "near")]
    assert near["memdiff"].recall > near["memdiff exact only"].recall
    assert totals[("en", "control")]["memdiff"].false_positive == 0
    table = text_accuracy.format_table(totals)
    assert "exact" in table and "difflib" in table


def test_scores_count_words_as_documented():
    case = corpus.PlantedCase(
        name="hand-made",
        perturbation="near",
        language="en",
        source="a",
        filler="b",
        seed=0,
        original="",
        suspect="w0 w1 w2 w3 w4 w5",
        copied_words=(1, 2, 4),
        passage_words=(1, 2, 3, 4),
    )
    s = text_accuracy.score(case, {0, 2, 3, 4})
    # Word 3 was put in the passage by an edit: neither right nor wrong.
    assert (s.true_positive, s.false_positive, s.false_negative) == (2, 1, 1)
    assert s.recall == pytest.approx(2 / 3)
    assert s.precision == pytest.approx(2 / 3)
    low, high = text_accuracy.wilson_interval(95, 100)
    assert 0.88 < low < 0.95 < high < 0.99


def test_quick_run_writes_json(tmp_path, capsys):
    out = tmp_path / "accuracy.json"
    assert text_accuracy.main(["--quick", "--json", str(out)]) == 0
    rows = json.loads(out.read_text(encoding="utf-8"))["rows"]
    exact = next(r for r in rows if r["language"] == "en" and r["perturbation"] == "exact" and r["method"] == "memdiff")
    assert exact["recall"] == exact["true_positive"] / (exact["true_positive"] + exact["false_negative"])
    assert exact["recall_ci95"][0] <= exact["recall"] <= exact["recall_ci95"][1]
    assert "All targets of issue 2 met" in capsys.readouterr().out


def test_other_languages_can_be_planted():
    for language in ("de", "zh"):
        pool = corpus.works(language)
        if len(pool) < 2:
            pytest.skip(f"one {language} work only")
        case = corpus.plant_case(pool[0], pool[1], "near", seed=1)
        assert case.language == language and len(case.copied_words) > 100
        predicted = text_accuracy.memdiff_predictions(case)["memdiff"]
        s = text_accuracy.score(case, predicted)
        assert s.recall > 0.8


def test_speed_inputs_have_the_asked_size_and_few_repeats():
    text = text_speed.text_of_size(60_000, seed=1)
    assert 59_000 <= len(text.encode("utf-8")) <= 60_000
    words = [w.lower() for w in re.findall(r"\w+", text)]
    grams = Counter(tuple(words[i : i + 8]) for i in range(len(words) - 8))
    repeated = sum(n for n in grams.values() if n > 1) / sum(grams.values())
    assert repeated < 0.05, "generated prose should not repeat itself like a concatenation would"
    output = text_speed.output_of_size(text, 20_000, seed=1)
    assert 19_000 <= len(output.encode("utf-8")) <= 20_000


def test_run_all_discovers_benchmark_scripts():
    names = [p.stem for p in run_all.discover()]
    assert {"text_accuracy", "text_speed"} <= set(names)
    assert "corpus" not in names and "run_all" not in names

"""The validation study computes its figures (nothing is copied in), and the report quotes only those that apply."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks import corpus, validation  # noqa: E402
from benchmarks.text_accuracy import Score, evaluate  # noqa: E402
from memdiff.analyse import compare  # noqa: E402
from memdiff.evidence import Parameters  # noqa: E402
from memdiff.ingest import load_text  # noqa: E402
from memdiff.report import validation as report_validation  # noqa: E402
from memdiff.text import chance  # noqa: E402

#: A reduced study: one seed, two work pairs per language, two photographs and two transformations.
REDUCED = ["--quick", "--seeds", "1", "--max-pairs", "2", "--photos", "2", "--transformations", "mirror,resize_50"]


def run_study(out: Path, *extra: str) -> dict:
    assert validation.main([*REDUCED, "--out-dir", str(out), *extra]) == 0
    return json.loads((out / "resources" / "validation.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def reduced(tmp_path_factory):
    out = tmp_path_factory.mktemp("study")
    return out, run_study(out, "--min-words", "6,12")


def _text_figure(study: dict, min_words: int, near: bool = True) -> dict:
    found = [
        f
        for f in study["figures"]
        if f["mode"] == "text" and f["parameters"]["min_words"] == min_words and f["parameters"]["near"] == near
    ]
    assert len(found) == 1
    return found[0]


def test_the_study_writes_the_json_the_report_reads(reduced):
    out, study = reduced
    assert study["version"] == validation.VERSION
    assert isinstance(study["figures"], list) and study["figures"]
    for figure in study["figures"]:
        assert figure["mode"] in ("text", "image")
        assert isinstance(figure["parameters"], dict)
        assert isinstance(figure["statement"], str) and len(figure["statement"]) > 80
        assert validation.VERSION in figure["statement"]
    modes = sorted(f["mode"] for f in study["figures"])
    assert modes == ["image", "text", "text", "text", "text"]
    text = _text_figure(study, 6)
    # Every parameter a text figure names is a real Parameters field with the validated value.
    defaults = Parameters(min_words=6).to_dict()
    assert text["parameters"] == {k: v for k, v in defaults.items() if k != "language"}
    assert (out / "docs" / "VALIDATION.md").is_file()
    for plot in ("recall.png", "chance.png", "images.png"):
        assert (out / "docs" / "validation" / plot).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_statements_quote_the_measured_numbers(reduced):
    _, study = reduced
    for k in (6, 12):
        figure = _text_figure(study, k)
        measured = figure["measured"]["memdiff"]
        exact = measured["all/exact"]
        near = measured["all/near"]
        statement = figure["statement"]
        assert f"spans of {k} or more words" in statement
        quoted = validation._figure_text(exact["recall"], exact["recall_ci95"])
        assert f"recall {quoted}" in statement
        low, high = (float(x) for x in quoted.split(" ", 1)[1].strip("[]").split(", "))
        assert low <= exact["recall"] <= high
        assert f"recall {validation._figure_text(near['recall'], near['recall_ci95'])}" in statement
        assert f"{measured['all/control']['false_positive_words']} of {measured['all/control']['clean_words']} words" in statement
    image = next(f for f in study["figures"] if f["mode"] == "image")
    measured = image["measured"]
    assert f"{measured['detected']} of {measured['copies']} transformed copies" in image["statement"]
    assert f"{measured['false_positives']} of {measured['impostor_pairs']} pairs" in image["statement"]
    assert measured["thresholds"]["MIN_INLIERS"] == __import__("memdiff.image.verdict", fromlist=["x"]).MIN_INLIERS


def test_figures_change_with_what_was_measured(reduced):
    _, study = reduced
    six, twelve = _text_figure(study, 6), _text_figure(study, 12)
    # Near-verbatim copies are broken every 8-12 words by an edit: exact spans of 6+ words find most of
    # them, exact spans of 12+ words almost none. Copied figures could not show that difference.
    exact_only_6 = six["measured"]["memdiff exact only"]["all/near"]["recall"]
    exact_only_12 = twelve["measured"]["memdiff exact only"]["all/near"]["recall"]
    assert exact_only_6 > 0.7 > 0.3 > exact_only_12
    assert six["statement"] != twelve["statement"]
    # memdiff's near-verbatim passages recover what the exact spans miss; difflib, in order, does not.
    assert six["measured"]["memdiff"]["all/near"]["recall"] > exact_only_6
    assert six["measured"]["difflib"]["all/exact"]["recall"] < 0.9
    assert six["measured"]["memdiff"]["all/exact"]["recall"] > 0.99


def test_no_near_figures_are_those_of_the_exact_spans(reduced):
    """A --no-near report shows exact spans only: they are the same spans as the exact ones of a near run."""
    english = corpus.works("en")
    cases = [corpus.plant_case(english[0], english[2], kind, seed=5) for kind in ("near", "mixed", "exact")]
    with_near = evaluate(cases, Parameters(min_words=8), with_difflib=False)
    without = evaluate(cases, Parameters(min_words=8, near=False), with_difflib=False)
    for a, b in zip(with_near, without):
        assert a.scores["memdiff exact only"] == b.scores["memdiff"]
    _, study = reduced
    off = _text_figure(study, 6, near=False)
    assert "with near-verbatim passages switched off" in off["statement"]
    edited = off["measured"]["memdiff exact only"]["all/near"]
    assert f"recall {validation._figure_text(edited['recall'], edited['recall_ci95'])}" in off["statement"]
    assert off["statement"] != _text_figure(study, 6)["statement"]


def test_planting_more_copies_finds_more_words():
    english = corpus.works("en")
    cases = [corpus.plant_case(english[0], english[1], "exact", seed=3, passages=n) for n in (2, 6)]
    results = evaluate(cases, Parameters(min_words=8), with_difflib=False)
    few, many = (validation.figure_of([r.scores["memdiff"]], f"test:{n}") for n, r in zip((2, 6), results))
    assert many.copied_words > few.copied_words
    assert many.passages == 6 and few.passages == 2
    assert few.recall == pytest.approx(1.0) and many.recall == pytest.approx(1.0)


def test_quoted_figures_never_hide_an_open_interval():
    assert validation._figure_text(0.979, (0.977, 0.98)) == "0.979 [0.977, 0.980]"
    assert validation._figure_text(0.99965, (0.9990, 0.99972)) == "1.000 [0.999, 1.000]"
    assert validation._figure_text(0.9996, (0.9990, 0.9999)) == "0.9996 [0.9990, 0.9999]"
    assert validation._figure_text(1.0, (0.99994, 1.0)) == "1.0000 [0.9999, 1.0000]"


def test_intervals_stay_open_when_no_error_was_seen():
    perfect = [Score(true_positive=100, false_negative=0, suspect_words=150, passages=2, passages_found=2)] * 20
    figure = validation.figure_of(perfect, "test:perfect")
    assert figure.recall == 1.0
    assert figure.recall_ci[1] == 1.0 and figure.recall_ci[0] < 1.0  # a bootstrap alone would give [1, 1]
    mixed = perfect[:10] + [Score(true_positive=50, false_negative=50, suspect_words=150, passages=2)] * 10
    wide = validation.figure_of(mixed, "test:mixed")
    assert wide.recall == pytest.approx(0.75)
    assert wide.recall_ci[0] < 0.7 < 0.8 < wide.recall_ci[1]
    # Fixed seeds: the same scores give the same interval.
    assert validation.figure_of(mixed, "test:mixed") == wide


def test_the_threshold_is_computed_from_the_coincidences():
    assert validation.threshold_for([10.0, 20.0, 30.5]) == 31  # fewer than 100 spans: above every one
    spans = [float(b) for b in range(200)]  # 1 % of 200 = 2 may reach it
    threshold = validation.threshold_for(spans)
    assert threshold == 198
    assert validation.passing(spans, threshold) == 2
    assert validation.passing(spans, threshold - 1) == 3
    with pytest.raises(ValueError):
        validation.threshold_for([])


def test_the_chance_figures_are_those_of_the_spans(reduced):
    _, study = reduced
    c = study["chance"]
    assert c["calibrated_at_min_words"] == validation.CALIBRATION_MIN_WORDS
    assert c["count"] == sum(c["lengths"].values()) > 0
    assert c["threshold"] > c["max_bits"] or c["passing"] <= c["share_allowed"] * c["count"]
    assert c["threshold_in_force"] == chance.COMMON_PHRASE_BITS
    for top in c["top"]:
        assert top["words"] >= c["calibrated_at_min_words"]
        assert top["bits"] <= c["max_bits"]


def test_a_rerun_writes_the_same_files(reduced, tmp_path):
    out, study = reduced
    again = run_study(tmp_path, "--min-words", "6,12")
    assert again == study
    assert (tmp_path / "docs" / "VALIDATION.md").read_bytes() == (out / "docs" / "VALIDATION.md").read_bytes()


def _comparison(min_words: int):
    work = corpus.works("en")[0].text
    return compare(load_text(work, "original.txt"), load_text(work[:3000], "output.txt"), Parameters(min_words=min_words))


def test_the_report_quotes_a_figure_only_for_its_parameters(reduced):
    _, study = reduced
    quoted = report_validation.statements(_comparison(6), study)
    assert quoted[0] == f"From the validation study, version {validation.VERSION}:"
    assert quoted[1:] == [_text_figure(study, 6)["statement"]]
    other = report_validation.statements(_comparison(9), study)
    assert len(other) == 1 and "did not measure" in other[0] and validation.VERSION in other[0]
    changed = compare(
        load_text(corpus.works("en")[0].text, "o.txt"), load_text("x y z", "s.txt"), Parameters(min_words=6, casefold=False)
    )
    assert "did not measure" in report_validation.statements(changed, study)[0]


def test_the_shipped_study_matches_this_version():
    """resources/validation.json is the study's output for the code as it is: re-run `make validate` after a change."""
    study = report_validation.load_study()
    assert study is not None, "resources/validation.json is missing: run `make validate`"
    assert study["version"] == validation.VERSION
    settings = sorted((f["parameters"]["near"], f["parameters"]["min_words"]) for f in study["figures"] if f["mode"] == "text")
    assert settings == sorted((near, k) for near in (False, True) for k in validation.MIN_WORDS)
    assert any(f["mode"] == "image" for f in study["figures"])
    c = study["chance"]
    assert c["threshold_in_force"] == chance.COMMON_PHRASE_BITS
    # The threshold in force meets the study's rule: at most 1 % of coincidental spans pass as not common.
    assert chance.COMMON_PHRASE_BITS >= c["threshold"]
    assert c["passing_at_threshold_in_force"] <= c["share_allowed"] * c["count"]
    default = _text_figure(study, Parameters().min_words)
    assert report_validation.statements(_comparison(Parameters().min_words), study)[1] == default["statement"]

"""The validation study: memdiff's measured error rates, written to docs/VALIDATION.md and resources/validation.json.

Courts weigh an expert method by whether it has been tested and what its
error rate is. This study measures memdiff's, and every report quotes the
figures that apply to its parameters (``memdiff.report.validation``):

1. **Text accuracy.** Planted cases (``benchmarks/corpus.py``): passages of a
   public-domain work, perturbed in one way, shuffled, between stretches of a
   different work of the same language; English, German and Chinese; every
   perturbation kind; several ``min_words`` settings. Word-level recall and
   precision of memdiff (all spans, and exact spans alone) and of difflib,
   scored by ``benchmarks/text_accuracy.py``, with 95 % intervals from a
   bootstrap over whole cases (words of one passage are found or missed
   together, so a word-level Wilson interval would be too narrow) and a
   passage-level Wilson interval.
2. **Chance calibration.** Every pair of different works of one language
   (no copying between them) compared with low ``min_words``: the spans they
   share are coincidences. Their length in words and their price in bits
   (``memdiff.text.chance``) are tabulated, and the ``common_phrase``
   threshold is the smallest whole number of bits that at most 1 % of them
   reach.
3. **Images.** ``benchmarks/image_calibration.py``'s photographs and
   transformations: detection per transformation and false positives on the
   impostor pairs, with Wilson intervals, at the thresholds in force in
   ``memdiff.image.verdict``.

Everything is deterministic (fixed string seeds, sorted collections, rounded
figures, no timestamps), so re-running it gives the same files.

Run: ``python benchmarks/validation.py [--quick] [--out-dir DIR]``.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import os
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.corpus import DESCRIPTIONS, PERTURBATIONS, Work, plant_case, works
from benchmarks.text_accuracy import CaseResult, Score, evaluate, wilson_interval

ROOT = Path(__file__).resolve().parents[1]
CORPUS = Path(__file__).resolve().parent / "validation_corpus"

#: The study's version, named in every report that quotes it. Bump it whenever
#: the method, the corpus or memdiff's matching changes the figures.
VERSION = "2026-11-2"

LANGUAGE_NAMES = {"en": "English", "de": "German", "zh": "Chinese"}
#: The ``min_words`` settings the text figures are measured for.
MIN_WORDS = (6, 8, 12, 16)
#: The settings at which coincidental spans are collected and tabulated.
CHANCE_MIN_WORDS = (3, 4, 5, 6, 8)
#: The setting whose coincidental spans set the threshold: every span a report at 4 or more words can
#: show is among them (3-word runs are reported by no sensible setting, and would swamp the tail).
CALIBRATION_MIN_WORDS = 4
#: At most this share of coincidental spans may pass as "not common".
PASSING_SHARE = 0.01
BOOTSTRAP_RESAMPLES = 1000
#: Perturbations grouped the way the statements describe them.
FORMATTING = ("case", "punctuation", "quotes", "linebreaks", "unicode", "invisible")


# --------------------------------------------------------------------------- the works


def study_works(language: str | None = None) -> list[Work]:
    """The bundled test texts plus the study's own corpus, sorted by key (file names start with the language)."""
    extra = [Work(p.stem, p) for p in sorted(CORPUS.glob("*.txt"))] if CORPUS.is_dir() else []
    found = sorted(works() + extra, key=lambda w: w.key)
    return [w for w in found if language is None or w.language == language]


def study_languages() -> list[str]:
    return sorted({w.language for w in study_works()})


# --------------------------------------------------------------------------- 1. text accuracy


def planted_cases(languages: Sequence[str], seeds: Sequence[int], *, max_pairs: int | None, perturbations=PERTURBATIONS):
    """Planted cases for (source, filler) pairs of different works of each language, as ``text_accuracy`` builds them."""
    cases = []
    for language in languages:
        pool = study_works(language)
        pairs = [(s, f) for s in pool for f in pool if s.key != f.key]
        if max_pairs is not None:
            pairs = pairs[:max_pairs]
        for seed in seeds:
            for source, filler in pairs:
                for kind in perturbations:
                    cases.append(plant_case(source, filler, kind, seed))
    return cases


@dataclass(frozen=True)
class Figure:
    """Recall and precision of one method on one group of cases, with 95 % intervals."""

    cases: int
    copied_words: int
    recall: float | None
    recall_ci: tuple[float, float] | None
    precision: float | None
    precision_ci: tuple[float, float] | None
    passages: int
    passages_found: int
    passage_ci: tuple[float, float] | None
    false_positive_words: int
    clean_words: int

    def to_dict(self) -> dict:
        return {
            "cases": self.cases,
            "copied_words": self.copied_words,
            "recall": _r(self.recall),
            "recall_ci95": _ri(self.recall_ci),
            "precision": _r(self.precision),
            "precision_ci95": _ri(self.precision_ci),
            "passages": self.passages,
            "passages_found": self.passages_found,
            "passage_recall_ci95": _ri(self.passage_ci),
            "false_positive_words": self.false_positive_words,
            "clean_words": self.clean_words,
        }


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 4)


def _ri(x: tuple[float, float] | None) -> list[float] | None:
    return None if x is None else [round(x[0], 4), round(x[1], 4)]


def figure_of(scores: Sequence[Score], label: str) -> Figure:
    """Totals over ``scores`` (one per case) and case-bootstrap 95 % intervals; ``label`` seeds the resampling."""
    total = sum(scores, Score())
    clean = total.suspect_words - total.copied
    recalls, precisions = _bootstrap(scores, label)
    return Figure(
        cases=len(scores),
        copied_words=total.copied,
        recall=total.recall,
        recall_ci=_wider(_percentiles(recalls, total.recall), wilson_interval(total.true_positive, total.copied)),
        precision=total.precision,
        precision_ci=_wider(
            _percentiles(precisions, total.precision),
            wilson_interval(total.true_positive, total.true_positive + total.false_positive),
        ),
        passages=total.passages,
        passages_found=total.passages_found,
        passage_ci=wilson_interval(total.passages_found, total.passages),
        false_positive_words=total.false_positive,
        clean_words=clean,
    )


def _bootstrap(scores: Sequence[Score], label: str) -> tuple[list[float], list[float]]:
    """Recall and precision of BOOTSTRAP_RESAMPLES resamples of whole cases (with replacement)."""
    import hashlib

    import numpy as np

    n = len(scores)
    if n < 2:
        return [], []
    # The seed comes from the label through a fixed hash (never hash()), so every run resamples alike.
    seed = int.from_bytes(hashlib.blake2b(f"{VERSION}:{label}".encode(), digest_size=8).digest(), "big")
    rng = np.random.default_rng(seed)
    tp = np.array([s.true_positive for s in scores], dtype=np.int64)
    fp = np.array([s.false_positive for s in scores], dtype=np.int64)
    fn = np.array([s.false_negative for s in scores], dtype=np.int64)
    recalls: list[float] = []
    precisions: list[float] = []
    done = 0
    chunk = max(1, 2_000_000 // n)  # resamples per step, to bound memory
    while done < BOOTSTRAP_RESAMPLES:
        size = min(chunk, BOOTSTRAP_RESAMPLES - done)
        picks = rng.integers(0, n, size=(size, n))
        t, f, m = tp[picks].sum(axis=1), fp[picks].sum(axis=1), fn[picks].sum(axis=1)
        for a, b, c in zip(t.tolist(), f.tolist(), m.tolist()):
            if a + c:
                recalls.append(a / (a + c))
            if a + b:
                precisions.append(a / (a + b))
        done += size
    return recalls, precisions


def _wider(a: tuple[float, float] | None, b: tuple[float, float] | None) -> tuple[float, float] | None:
    """The union of two intervals: a bootstrap over outputs that saw no error at all has zero width, so the
    word-level Wilson interval keeps it honest; where errors were seen, the (wider) bootstrap interval rules."""
    if a is None or b is None:
        return a or b
    return (min(a[0], b[0]), max(a[1], b[1]))


def _percentiles(values: list[float], point: float | None) -> tuple[float, float] | None:
    if point is None:
        return None
    if not values:
        return (point, point)
    values = sorted(values)
    lo = values[int(math.floor(0.025 * (len(values) - 1)))]
    hi = values[int(math.ceil(0.975 * (len(values) - 1)))]
    return (min(lo, point), max(hi, point))


def accuracy_study(cases, min_words_settings: Sequence[int]) -> dict[int, list[CaseResult]]:
    from memdiff.evidence import Parameters

    return {k: evaluate(cases, Parameters(min_words=k)) for k in min_words_settings}


def group_figures(results: list[CaseResult], method: str, min_words: int) -> dict[tuple[str, str], Figure]:
    """Figures per (language or "all", perturbation or "formatting"), for one method."""
    groups: dict[tuple[str, str], list[Score]] = {}
    for r in results:
        kinds = [r.perturbation] + (["formatting"] if r.perturbation in FORMATTING else [])
        for language in (r.language, "all"):
            for kind in kinds:
                groups.setdefault((language, kind), []).append(r.scores[method])
    return {
        key: figure_of(scores, f"{method}:{min_words}:{key[0]}:{key[1]}") for key, scores in sorted(groups.items())
    }


# --------------------------------------------------------------------------- 2. chance calibration


@dataclass(frozen=True)
class Coincidence:
    """A span two unrelated works share by chance."""

    language: str
    original: str
    suspect: str
    words: int
    bits: float
    text: str


def coincidences(languages: Sequence[str], min_words: int, *, max_pairs: int | None = None) -> list[Coincidence]:
    """Every exact span shared by two different works of the same language, at ``min_words``."""
    from memdiff.analyse import compare
    from memdiff.evidence import Parameters
    from memdiff.ingest import load_text

    found = []
    parameters = Parameters(min_words=min_words, near=False)
    for language in languages:
        pool = study_works(language)
        pairs = [(a, b) for a in pool for b in pool if a.key < b.key]
        if max_pairs is not None:
            pairs = pairs[:max_pairs]
        for a, b in pairs:
            result = compare(load_text(a.text, a.path.name), load_text(b.text, b.path.name), parameters, mode="text")
            for s in result.spans:
                found.append(
                    Coincidence(language, a.key, b.key, s.words, s.chance.bits, b.text[s.suspect.start : s.suspect.end])
                )
    found.sort(key=lambda c: (c.language, c.original, c.suspect, -c.bits, c.text))
    return found


def threshold_for(bits: Sequence[float], share: float = PASSING_SHARE) -> int:
    """The smallest whole number of bits that at most ``share`` of the coincidental spans reach."""
    if not bits:
        raise ValueError("no coincidental spans to calibrate on")
    ordered = sorted(bits)
    allowed = math.floor(share * len(ordered))  # spans that may reach the threshold
    # The threshold must lie above every span but the ``allowed`` most expensive ones.
    highest_kept = ordered[len(ordered) - allowed - 1]
    return int(math.floor(highest_kept)) + 1


def passing(bits: Sequence[float], threshold: float) -> int:
    return sum(1 for b in bits if b >= threshold)


def distribution(values: Sequence[float]) -> dict:
    ordered = sorted(values)
    if not ordered:
        return {"count": 0}

    def q(p: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(math.floor(p * (len(ordered) - 1) + 0.5)))], 1)

    return {
        "count": len(ordered),
        "min": round(ordered[0], 1),
        "median": q(0.5),
        "p90": q(0.9),
        "p99": q(0.99),
        "max": round(ordered[-1], 1),
    }


# --------------------------------------------------------------------------- 3. images


def image_study(photos: int | None, transformations: Sequence[str] | None, workers: int) -> dict:
    from benchmarks import image_calibration as ic
    from memdiff.image import verdict

    names = ic.photo_names(False)
    if photos is not None:
        names = names[:photos]
    jobs = ic.jobs_for(names)
    if transformations is not None:
        jobs = [j for j in jobs if j[2] in transformations or j[2] == "as_given"]
    if workers > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            outcomes = pool.map(ic.run_one, jobs, chunksize=4)
    else:
        outcomes = [ic.run_one(j) for j in jobs]
    rows = []
    for t in ic.TRANSFORMATIONS:
        genuine = [o for o in outcomes if o.genuine and o.transformation == t]
        if not genuine:
            continue
        detected = sum(o.verdict != verdict.NO_MATCH for o in genuine)
        ious = [o.iou for o in genuine if o.iou is not None]
        rows.append(
            {
                "transformation": t,
                "copies": len(genuine),
                "detected": detected,
                "rate": _r(detected / len(genuine)),
                "ci95": _ri(wilson_interval(detected, len(genuine))),
                "mean_region_iou": _r(sum(ious) / len(ious)) if ious else None,
            }
        )
    impostors = [o for o in outcomes if not o.genuine]
    false_positives = sum(o.verdict != verdict.NO_MATCH for o in impostors)
    genuine_all = [o for o in outcomes if o.genuine]
    detected_all = sum(o.verdict != verdict.NO_MATCH for o in genuine_all)
    return {
        "photographs": len(names),
        "transformations": rows,
        "copies": len(genuine_all),
        "detected": detected_all,
        "detection_ci95": _ri(wilson_interval(detected_all, len(genuine_all))),
        "impostor_pairs": len(impostors),
        "false_positives": false_positives,
        "false_positive_ci95": _ri(wilson_interval(false_positives, len(impostors))),
        "largest_impostor": {
            "inliers": max((o.inliers for o in impostors), default=0),
            "textured_tiles": max((o.textured_tiles for o in impostors), default=0),
            "agreement": _r(max((o.agreement for o in impostors), default=0.0)),
            "matched_fraction": _r(max((max(o.fraction_suspect, o.fraction_original) for o in impostors), default=0.0)),
        },
        "thresholds": {
            "MIN_INLIERS": verdict.MIN_INLIERS,
            "MIN_TEXTURED_TILES": verdict.MIN_TEXTURED_TILES,
            "MIN_TEXTURED_AGREEMENT": verdict.MIN_TEXTURED_AGREEMENT,
            "MIN_MATCHED_FRACTION": verdict.MIN_MATCHED_FRACTION,
            "NEAR_IDENTICAL_FRACTION": verdict.NEAR_IDENTICAL_FRACTION,
        },
    }


# --------------------------------------------------------------------------- the statements


def _fig(f: Figure, what: str = "recall") -> str:
    value, ci = (f.recall, f.recall_ci) if what == "recall" else (f.precision, f.precision_ci)
    if value is None:
        return "not measurable (nothing marked)"
    return f"{_figure_text(value, ci)}"


def _figure_text(value: float, ci: tuple[float, float]) -> str:
    """``value [low, high]`` in three decimals, or four where three would hide that the interval is open
    ("0.9998 [0.9996, 1.0000]" rather than "1.000 [1.000, 1.000]")."""
    hidden = any(f"{b:.3f}" == f"{value:.3f}" and round(b, 4) != round(value, 4) for b in ci)
    d = 4 if hidden else 3
    return f"{value:.{d}f} [{ci[0]:.{d}f}, {ci[1]:.{d}f}]"


def text_parameters(min_words: int, near: bool = True) -> dict:
    """The parameters a text figure applies to: the setting studied and every other default (language excepted)."""
    from memdiff.evidence import Parameters

    values = Parameters(min_words=min_words, near=near).to_dict()
    values.pop("language", None)  # chosen per text; the study covers several
    return values


def text_statement(
    min_words: int, figures: dict, cases: int, languages: Sequence[str], chance: dict, *, near: bool = True
) -> str:
    """The sentence a report quotes. With near-verbatim passages off, a report shows exact spans only, so
    the figures are those of the exact spans (found the same way whether passages are joined or not)."""
    mem = figures["memdiff"] if near else figures["memdiff exact only"]
    exact = mem[("all", "exact")]
    fmt = mem[("all", "formatting")]
    edited = mem[("all", "near")]
    mixed = mem[("all", "mixed")]
    control = mem[("all", "control")]
    diff = figures["difflib"][("all", "exact")]
    names = ", ".join(LANGUAGE_NAMES.get(x, x) for x in languages)
    setting = "" if near else " with near-verbatim passages switched off"
    return (
        f"On the validation set (study {VERSION}: {cases} made-up outputs in {names}, each with 8 passages of "
        f"20-60 words planted out of order between other text){setting}, spans of {min_words} or more words "
        f"copied verbatim were found with word-level recall {_fig(exact)} and precision "
        f"{_fig(exact, 'precision')}; copies with changed case, punctuation, quotation marks, line breaks, "
        f"typographic or invisible characters with recall {_fig(fmt)} and precision {_fig(fmt, 'precision')}; "
        f"near-verbatim copies (a word changed, dropped or inserted every 8-12 words) with recall {_fig(edited)} "
        f"and precision {_fig(edited, 'precision')}; all these edits at once with recall {_fig(mixed)}. In "
        f"{control.cases} outputs with no copying, {control.false_positive_words} of {control.clean_words} words "
        f"were wrongly marked. (Brackets: 95% intervals, from resampling whole outputs or, where wider, over "
        f"words. An in-order diff, difflib, found verbatim copies with recall {_fig(diff)}.) "
        f"Of {chance['count']} spans of {chance['calibrated_at_min_words']} or more words that unrelated works of "
        f"the same language share by coincidence (the costliest {chance['max_bits']:.0f} bits), "
        f"{chance['passing_at_threshold_in_force']} "
        f"({100 * chance['passing_at_threshold_in_force'] / chance['count']:.1f}%) reach the common-phrase "
        f"threshold of {chance['threshold_in_force']:g} bits and so are not flagged as common phrases."
    )


def image_statement(images: dict) -> str:
    rows = images["transformations"]
    weakest = min(rows, key=lambda r: (r["rate"], r["transformation"]))
    weakest_text = (
        f"; the weakest transformation, {weakest['transformation'].replace('_', ' ')}, "
        f"{weakest['detected']} of {weakest['copies']}"
        if weakest["detected"] < weakest["copies"]
        else "; every transformation every time"
    )
    th = images["thresholds"]
    return (
        f"On the validation set (study {VERSION}: {images['photographs']} public-domain photographs, "
        f"{len(rows)} transformations each), {images['detected']} of {images['copies']} transformed copies were "
        f"detected ({images['detected'] / images['copies']:.3f}, 95% interval "
        f"[{images['detection_ci95'][0]:.3f}, {images['detection_ci95'][1]:.3f}]{weakest_text}), and "
        f"{images['false_positives']} of {images['impostor_pairs']} pairs of unrelated photographs were reported "
        f"as copies (95% interval [{images['false_positive_ci95'][0]:.4f}, {images['false_positive_ci95'][1]:.4f}]), "
        f"with the thresholds in force: at least {th['MIN_INLIERS']} keypoint inliers, "
        f"{th['MIN_TEXTURED_TILES']} agreeing textured tiles, an agreement of {th['MIN_TEXTURED_AGREEMENT']} "
        f"and a matched fraction of {th['MIN_MATCHED_FRACTION']}."
    )


# --------------------------------------------------------------------------- outputs


def plot_recall(path: Path, by_setting: dict[int, dict], settings: Sequence[int]) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7, 4.4), dpi=100)
    kinds = [k for k in PERTURBATIONS if k != "control"]
    for kind in kinds:
        ys = [by_setting[k]["memdiff"][("all", kind)].recall or 0.0 for k in settings]
        ax.plot(settings, ys, marker="o", label=kind)
    for kind, colour in (("near", "grey"), ("mixed", "olive")):
        # Exact spans alone (as with --no-near): an edit every 8-12 words leaves few exact runs of 12+ words.
        ys = [by_setting[k]["memdiff exact only"][("all", kind)].recall or 0.0 for k in settings]
        ax.plot(settings, ys, marker="s", linestyle=":", color=colour, label=f"{kind}, exact spans only")
    ys = [by_setting[k]["difflib"][("all", "exact")].recall or 0.0 for k in settings]
    ax.plot(settings, ys, marker="x", linestyle="--", color="black", label="difflib (exact)")
    ax.set_xlabel("--min-words")
    ax.set_ylabel("word-level recall (all languages)")
    ax.set_xticks(list(settings))
    ax.set_ylim(0, 1.02)
    ax.grid(True, alpha=0.3)
    ax.legend(fontsize=7, ncol=2, loc="lower left")
    ax.set_title(f"Recall by perturbation and --min-words (study {VERSION})")
    fig.tight_layout()
    _save(fig, path)


def plot_chance(path: Path, spans: Sequence[Coincidence], threshold: int) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(9, 3.6), dpi=100)
    languages = sorted({c.language for c in spans})
    top = max(c.bits for c in spans)
    bins = [x * 5 for x in range(int(max(top, threshold) // 5) + 2)]
    left.hist([[c.bits for c in spans if c.language == lang] for lang in languages], bins=bins, stacked=True,
              label=[LANGUAGE_NAMES.get(x, x) for x in languages])
    left.axvline(threshold, color="red", linestyle="--", label=f"threshold {threshold} bits")
    left.set_xlabel("chance estimate of the span (bits)")
    left.set_ylabel("coincidental spans")
    left.legend(fontsize=7)
    longest = max(c.words for c in spans)
    wbins = [x - 0.5 for x in range(min(c.words for c in spans), longest + 2)]
    right.hist([[c.words for c in spans if c.language == lang] for lang in languages], bins=wbins, stacked=True,
               label=[LANGUAGE_NAMES.get(x, x) for x in languages])
    right.set_xticks(list(range(min(c.words for c in spans), longest + 1)))
    right.set_xlabel("length of the span (words)")
    right.set_yscale("log")
    right.legend(fontsize=7)
    fig.suptitle(f"Spans shared by coincidence between unrelated works (study {VERSION})", fontsize=10)
    fig.tight_layout()
    _save(fig, path)


def plot_images(path: Path, images: dict) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows = images["transformations"]
    fig, ax = plt.subplots(figsize=(7, 3.6), dpi=100)
    xs = list(range(len(rows)))
    rates = [r["rate"] for r in rows]
    low = [r["rate"] - r["ci95"][0] for r in rows]
    high = [r["ci95"][1] - r["rate"] for r in rows]
    ax.bar(xs, rates, yerr=[low, high], capsize=3, color="#4477aa")
    ax.set_xticks(xs)
    ax.set_xticklabels([r["transformation"] for r in rows], rotation=45, ha="right", fontsize=8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("detection rate (95% Wilson)")
    ax.set_title(f"Images: {images['false_positives']} false positives in {images['impostor_pairs']} impostor pairs")
    fig.tight_layout()
    _save(fig, path)


def _save(fig, path: Path) -> None:
    import io

    import matplotlib.pyplot as plt

    from memdiff.atomic import write_bytes

    buffer = io.BytesIO()
    # No software version or date in the file, so a re-run writes the same bytes.
    fig.savefig(buffer, format="png", metadata={"Software": None})
    plt.close(fig)
    write_bytes(path, buffer.getvalue())


def markdown(study: dict, settings: Sequence[int], by_setting: dict, spans_by_k: dict, images: dict | None,
             plots: dict[str, str], works_used: dict[str, list[str]], seeds: Sequence[int]) -> str:
    chance = study["chance"]
    out = [
        f"# memdiff validation study, version {VERSION}",
        "",
        "Generated by `make validate` (`benchmarks/validation.py`); do not edit by hand. Every report memdiff writes",
        "quotes the figures below that were measured with its own parameters (`resources/validation.json`), and says",
        "so when its parameters were not validated.",
        "",
        "## Method",
        "",
        "**Text accuracy.** Each *planted case* is a made-up model output: 8 passages of 20-60 words cut at random",
        "from one public-domain work, changed in one way, put out of the source's order and placed between",
        "15-60-word stretches of a different work of the same language (`benchmarks/corpus.py`). The copied words",
        "are known, counted by the benchmark's own word rule (each Chinese character one word). A word is *marked*",
        "when it lies inside a reported span. Recall = marked copied words / copied words; precision = marked",
        "copied words / marked words (a word that a near-verbatim edit put inside a passage counts on neither side).",
        "Totals are summed over cases. Each 95 % interval is the wider of two: the percentiles of 1,000 bootstrap",
        "resamples of whole cases (fixed seed; the words of one passage are found or missed together, so words",
        "are not independent) and the Wilson score interval over words (which stays open when no error at all was",
        "seen, where a bootstrap would collapse to a point). difflib's",
        "`SequenceMatcher` (case-folded words, no junk heuristic, blocks of at least `--min-words` words) is",
        "scored on the same cases as the in-order baseline.",
        "",
        f"Seeds: {', '.join(str(s) for s in seeds)}; every ordered pair of different works of a language.",
        "",
        "| perturbation | what was done to each copied passage |",
        "| --- | --- |",
        *[f"| `{k}` | {DESCRIPTIONS[k]} |" for k in PERTURBATIONS],
        "",
        "**Chance calibration.** Every pair of different works of the same language (none copies from another)",
        "is compared with `--no-near` at low `--min-words`; every span they share is a coincidence. Each span's",
        "chance estimate (bits, `memdiff/text/chance.py`) and length are tabulated. The common-phrase threshold",
        f"is the smallest whole number of bits that at most {PASSING_SHARE:.0%} of the coincidental spans at",
        f"`--min-words {chance['calibrated_at_min_words']}` reach (that setting's spans include every longer one).",
        "",
        "**Images.** `benchmarks/image_calibration.py`: public-domain photographs, each transformed in every way",
        "listed; each copy is compared with its own original (a true copy) and with every other photograph",
        "(an impostor pair), at the thresholds fixed in `memdiff/image/verdict.py`. Wilson 95 % intervals.",
        "",
        "## Corpus",
        "",
        "| language | works |",
        "| --- | --- |",
        *[f"| {LANGUAGE_NAMES.get(lang, lang)} | {', '.join(f'`{w}`' for w in keys)} |"
          for lang, keys in sorted(works_used.items())],
        "",
        "Sources: `tests/data/texts/SOURCES.md` and `benchmarks/validation_corpus/SOURCES.md`.",
        "",
        "## Text accuracy",
        "",
    ]
    for k in settings:
        figures = by_setting[k]
        out += [
            f"### `--min-words {k}` (near-verbatim on, `--min-similarity 0.8`, default normalisation)",
            "",
            "| language | perturbation | cases | copied words | memdiff recall | memdiff precision | exact spans only (as with `--no-near`) recall | difflib recall | difflib precision |",
            "| --- | --- | ---: | ---: | --- | --- | --- | --- | --- |",
        ]
        keys = sorted(figures["memdiff"], key=lambda key: (key[0] == "all", key[0], _kind_order(key[1])))
        for key in keys:
            m, e, d = figures["memdiff"][key], figures["memdiff exact only"][key], figures["difflib"][key]
            language = "all" if key[0] == "all" else LANGUAGE_NAMES.get(key[0], key[0])
            if key[1] == "control":
                out.append(f"| {language} | control | {m.cases} | 0 | {m.false_positive_words} of {m.clean_words} "
                           f"words wrongly marked | | {e.false_positive_words} wrongly | "
                           f"{d.false_positive_words} wrongly | |")
                continue
            out.append(
                f"| {language} | {key[1]} | {m.cases} | {m.copied_words} | {_fig(m)} | {_fig(m, 'precision')} | "
                f"{_fig(e)} | {_fig(d)} | {_fig(d, 'precision')} |"
            )
        out.append("")
    out += [f"![recall by min-words]({plots['recall']})", "", "## Chance calibration", ""]
    out += [
        "| --min-words | language | coincidental spans | longest (words) | bits: median | p90 | p99 | max |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for k in sorted(spans_by_k):
        spans = spans_by_k[k]
        for lang in sorted({c.language for c in spans}) + ["all"]:
            chosen = [c for c in spans if lang == "all" or c.language == lang]
            d = distribution([c.bits for c in chosen])
            if not chosen:
                continue
            out.append(f"| {k} | {LANGUAGE_NAMES.get(lang, lang)} | {d['count']} | {max(c.words for c in chosen)} | "
                       f"{d['median']} | {d['p90']} | {d['p99']} | {d['max']} |")
    out += [
        "",
        f"Coincidental spans by length at `--min-words {chance['calibrated_at_min_words']}`: "
        + ", ".join(f"{n} words: {c}" for n, c in sorted(chance["lengths"].items(), key=lambda x: int(x[0]))) + ".",
        "",
        f"**Threshold measured.** `COMMON_PHRASE_BITS = {chance['threshold']}`: {chance['passing']} of {chance['count']} "
        f"coincidental spans ({100 * chance['passing'] / chance['count']:.2f} %, 95 % interval "
        f"[{100 * chance['passing_ci95'][0]:.2f} %, {100 * chance['passing_ci95'][1]:.2f} %]) reach it and so pass "
        "as *not common*; the rest are flagged as common phrases. Per language: "
        + "; ".join(f"{LANGUAGE_NAMES.get(l, l)} {v['passing']} of {v['count']}" for l, v in sorted(chance["per_language"].items()))
        + ".",
        "",
        f"In force in this version (`memdiff/text/chance.py`): `COMMON_PHRASE_BITS = {chance['threshold_in_force']:g}`, "
        f"which {chance['passing_at_threshold_in_force']} of the {chance['count']} coincidental spans reach. "
        "The sample is small: with no coincidental span above the threshold, the 95 % interval above still allows "
        "a few per cent in a larger corpus, so the flag is a guide, not a proof.",
        "",
        "The most expensive coincidental spans (the ones the threshold has to clear):",
        "",
        "| language | works | words | bits | text |",
        "| --- | --- | ---: | ---: | --- |",
        *[f"| {LANGUAGE_NAMES.get(c['language'], c['language'])} | {c['original']} / {c['suspect']} | {c['words']} | "
          f"{c['bits']} | {c['text']} |" for c in chance["top"]],
        "",
        f"![coincidental spans]({plots['chance']})",
        "",
    ]
    out += ["## Images", ""]
    if images is None:
        out += ["Not run in this study (`--no-images`).", ""]
    else:
        th = images["thresholds"]
        out += [
            f"{images['photographs']} photographs; {images['copies']} true copies, {images['impostor_pairs']} "
            f"impostor pairs. Thresholds in force: " + ", ".join(f"`{k} = {v}`" for k, v in th.items()) + ".",
            "",
            "| transformation | detected | rate | 95 % interval | mean region IoU |",
            "| --- | ---: | ---: | --- | ---: |",
            *[f"| {r['transformation']} | {r['detected']} of {r['copies']} | {r['rate']:.3f} | "
              f"[{r['ci95'][0]:.3f}, {r['ci95'][1]:.3f}] | {'' if r['mean_region_iou'] is None else r['mean_region_iou']} |"
              for r in images["transformations"]],
            "",
            f"False positives: {images['false_positives']} of {images['impostor_pairs']} impostor pairs "
            f"(95 % interval [{images['false_positive_ci95'][0]:.4f}, {images['false_positive_ci95'][1]:.4f}]). "
            "Largest values any impostor reached: "
            + ", ".join(f"{k} {v}" for k, v in images["largest_impostor"].items()) + ".",
            "",
            f"![image detection]({plots['images']})",
            "",
            "Caveat: the same photographs served to choose the image thresholds, so these rates are not from a",
            "held-out set.",
            "",
        ]
    out += ["## What the report quotes", ""]
    out += [f"- `{f['mode']}` {json.dumps(f['parameters'], sort_keys=True)}: {f['statement']}" for f in study["figures"]]
    out.append("")
    return "\n".join(out)


def _kind_order(kind: str) -> int:
    order = list(PERTURBATIONS[:-1]) + ["formatting", "control"]
    return order.index(kind) if kind in order else len(order)


# --------------------------------------------------------------------------- main


def run(args: argparse.Namespace) -> dict:
    from memdiff.atomic import write_text

    out_dir = Path(args.out_dir)
    docs = out_dir / "docs"
    plots_dir = docs / "validation"
    plots_dir.mkdir(parents=True, exist_ok=True)
    (out_dir / "resources").mkdir(parents=True, exist_ok=True)
    languages = [x for x in args.languages.split(",") if x] if args.languages else study_languages()
    settings = tuple(int(x) for x in args.min_words.split(","))
    seeds = tuple(range(1, args.seeds + 1))
    started = time.perf_counter()

    # 2. chance calibration first: its threshold is quoted in the text statements.
    spans_by_k = {k: coincidences(languages, k, max_pairs=args.max_pairs) for k in CHANCE_MIN_WORDS}
    lowest = CALIBRATION_MIN_WORDS
    base = spans_by_k[lowest]
    bits = [c.bits for c in base]
    threshold = threshold_for(bits)
    passed = passing(bits, threshold)
    lengths: dict[str, int] = {}
    for c in base:
        lengths[str(c.words)] = lengths.get(str(c.words), 0) + 1
    per_language = {}
    for lang in sorted({c.language for c in base}):
        lb = [c.bits for c in base if c.language == lang]
        per_language[lang] = {"count": len(lb), "passing": passing(lb, threshold), "bits": distribution(lb)}
    top = sorted(base, key=lambda c: (-c.bits, c.language, c.text))[:10]
    from memdiff.text import chance as chance_module

    in_force = chance_module.COMMON_PHRASE_BITS
    chance = {
        "calibrated_at_min_words": lowest,
        "threshold_in_force": in_force,
        "passing_at_threshold_in_force": passing(bits, in_force),
        "share_allowed": PASSING_SHARE,
        "threshold": threshold,
        "count": len(bits),
        "passing": passed,
        "passing_ci95": _ri(wilson_interval(passed, len(bits))),
        "max_bits": round(max(bits), 1),
        "bits": distribution(bits),
        "lengths": dict(sorted(lengths.items(), key=lambda x: int(x[0]))),
        "per_language": per_language,
        "by_min_words": {str(k): distribution([c.bits for c in v]) for k, v in sorted(spans_by_k.items())},
        "top": [
            {"language": c.language, "original": c.original, "suspect": c.suspect, "words": c.words,
             "bits": c.bits, "text": " ".join(c.text.split())}
            for c in top
        ],
    }
    print(f"chance: {len(bits)} coincidental spans at min_words {lowest}; threshold {threshold} bits; "
          f"{passed} pass ({time.perf_counter() - started:.0f} s)", flush=True)

    # 1. text accuracy.
    cases = planted_cases(languages, seeds, max_pairs=args.max_pairs)
    results = accuracy_study(cases, settings)
    by_setting = {
        k: {m: group_figures(res, m, k) for m in ("memdiff", "memdiff exact only", "difflib")}
        for k, res in results.items()
    }
    print(f"text: {len(cases)} cases x {len(settings)} settings ({time.perf_counter() - started:.0f} s)", flush=True)

    # 3. images.
    images = None
    if not args.no_images:
        transformations = args.transformations.split(",") if args.transformations else None
        images = image_study(args.photos, transformations, args.workers)
        print(f"images: {images['detected']}/{images['copies']} detected, {images['false_positives']}/"
              f"{images['impostor_pairs']} false positives ({time.perf_counter() - started:.0f} s)", flush=True)

    figures = []
    for near in (True, False):
        for k in settings:
            methods = ("memdiff", "memdiff exact only", "difflib") if near else ("memdiff exact only", "difflib")
            figures.append(
                {
                    "mode": "text",
                    "parameters": text_parameters(k, near),
                    "statement": text_statement(k, by_setting[k], len(cases), languages, chance, near=near),
                    "measured": {
                        method: {
                            f"{lang}/{kind}": fig.to_dict() for (lang, kind), fig in sorted(by_setting[k][method].items())
                        }
                        for method in methods
                    },
                }
            )
    if images is not None:
        figures.append({"mode": "image", "parameters": {}, "statement": image_statement(images), "measured": images})
    study = {
        "version": VERSION,
        "generator": "benchmarks/validation.py",
        "design": {
            "languages": languages,
            "works": {lang: [w.key for w in study_works(lang)] for lang in languages},
            "seeds": list(seeds),
            "min_words": list(settings),
            "cases": len(cases),
            "bootstrap_resamples": BOOTSTRAP_RESAMPLES,
            "photographs": images["photographs"] if images else 0,
        },
        "chance": chance,
        "figures": figures,
    }
    plots = {"recall": "validation/recall.png", "chance": "validation/chance.png", "images": "validation/images.png"}
    plot_recall(docs / plots["recall"], by_setting, settings)
    plot_chance(docs / plots["chance"], base, threshold)
    if images is not None:
        plot_images(docs / plots["images"], images)
    write_text(out_dir / "resources" / "validation.json", json.dumps(study, indent=1, ensure_ascii=False) + "\n")
    write_text(docs / "VALIDATION.md",
               markdown(study, settings, by_setting, spans_by_k, images, plots, study["design"]["works"], seeds))
    print(f"wrote {out_dir / 'docs' / 'VALIDATION.md'} and {out_dir / 'resources' / 'validation.json'} "
          f"in {time.perf_counter() - started:.0f} s")
    return study


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="a reduced study (2 seeds, 2 work pairs per language, 4 photographs): a few minutes")
    parser.add_argument("--out-dir", default=None,
                        help="where docs/ and resources/ are written (default: the repository; with --quick, a new "
                             "temporary folder, so a reduced run never replaces the study that ships)")
    parser.add_argument("--languages", default="", help="comma-separated language codes (default: every language of the corpus)")
    parser.add_argument("--min-words", default=",".join(str(k) for k in MIN_WORDS), help="settings to validate")
    parser.add_argument("--seeds", type=int, default=5, help="seeds per work pair and perturbation (default 5)")
    parser.add_argument("--max-pairs", type=int, default=None, help="work pairs per language (default: all)")
    parser.add_argument("--photos", type=int, default=None, help="photographs for the image part (default: all)")
    parser.add_argument("--transformations", default="", help="image transformations (default: all)")
    parser.add_argument("--no-images", action="store_true", help="skip the image part")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    if args.quick:
        args.seeds = min(args.seeds, 2)
        args.max_pairs = args.max_pairs or 2
        args.photos = args.photos or 4
    if args.out_dir is None:
        args.out_dir = tempfile.mkdtemp(prefix="memdiff-validation-") if args.quick else str(ROOT)
    run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())

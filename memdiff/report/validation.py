"""The Method section's validation figures: measured error rates that apply to a report's parameters.

This is the one hook through which the validation study (``make validate``,
``resources/validation.json``) reaches the report. :func:`statements` returns
plain sentences; the Method section prints them as they are. When no study
ships with this version, or none of its figures were measured with the
report's parameters, it says so instead of quoting figures that do not apply.

Expected layout of ``validation.json`` (written by the validation study)::

    {"version": "2026-11-2",
     "figures": [{"mode": "text",
                  "parameters": {"min_words": 8, "near": true, "min_similarity": 0.8},
                  "statement": "On the validation set, spans of 8+ words were found with recall ..."}]}

A figure applies when its mode matches and every parameter it names has the
same value in the report.
"""

from __future__ import annotations

import json
from typing import Any

from memdiff.evidence import Comparison
from memdiff.resources import path as resource_path

VALIDATION_FILE = ("validation.json",)


def load_study() -> dict[str, Any] | None:
    """The bundled validation study, or None when this version ships none (or it cannot be read)."""
    location = resource_path(*VALIDATION_FILE)
    try:
        study = json.loads(location.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return study if isinstance(study, dict) else None


def applies(figure: dict[str, Any], comparison: Comparison) -> bool:
    if figure.get("mode", comparison.mode) != comparison.mode:
        return False
    recorded = comparison.parameters.to_dict()
    wanted = figure.get("parameters", {})
    return isinstance(wanted, dict) and all(recorded.get(k) == v for k, v in wanted.items())


def statements(comparison: Comparison, study: dict[str, Any] | None = None) -> list[str]:
    """Sentences stating the measured error rates that apply to this comparison's parameters."""
    study = study if study is not None else load_study()
    if study is None:
        return [
            (
                "No validation study ships with this version of memdiff, so no measured error rate is stated here; "
                "the figures above are measurements on these two inputs only."
            )
        ]
    version = str(study.get("version", "unversioned"))
    figures = [f for f in study.get("figures", []) if isinstance(f, dict)]
    applying = [str(f.get("statement", "")).strip() for f in figures if applies(f, comparison)]
    applying = [s for s in applying if s]
    if not applying:
        return [
            (
                f"The validation study (version {version}) did not measure error rates with this report’s "
                "parameters, so none are quoted; see the study for the settings it covers."
            )
        ]
    return [f"From the validation study, version {version}:", *applying]


def paragraphs(comparison: Comparison, study: dict[str, Any] | None = None) -> list[str]:
    """The statements as the report prints them: the lead-in only when a statement does not name the study.

    The study's own statements begin "On the validation set (study 2026-11-2: ...";
    printed after "From the validation study, version 2026-11-2:" the study
    would be named twice in a row.
    """
    study = study if study is not None else load_study()  # read once: the file is large
    lines = statements(comparison, study)
    if study is None or len(lines) < 2:
        return lines
    named = f"study {study.get('version', 'unversioned')}"
    if all(named in line for line in lines[1:]):
        return lines[1:]
    return lines

"""What an expert witness reading the report found wrong, each checked in the PDF's own text.

Row numbers wrapped in the batch table, a legend cut off on every page, the
prompt file unnamed, labels changed from what was typed, a running title cut
mid-word, gaps between a span's rows, a prompt line stranded on a page, and
words the report uses without saying what they are in the result file.
"""

from __future__ import annotations

import re

import pytest
from memdiff.resources import path as resource_path
from pypdf import PdfReader

from memdiff import ingest
from memdiff.analyse import compare
from memdiff.report import write_batch_report, write_report

EPOCH = "1796000000"


def page_texts(path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(path).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def case():
    original = ingest.load(resource_path("samples", "original.txt"))
    suspect = ingest.load(resource_path("samples", "model-output.txt"))
    return original, suspect, compare(original, suspect)


def write(case, path, **kwargs):
    original, suspect, comparison = case
    return write_report(comparison, original, suspect, path, **kwargs)


# --------------------------------------------------------------------------- batch row numbers


def test_batch_row_numbers_of_two_digits_stay_on_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    original = ingest.load(resource_path("samples", "original.txt"))
    copied = resource_path("samples", "model-output.txt").read_text(encoding="utf-8")
    items = []
    for n in range(1, 13):
        path = tmp_path / f"out-{n:03d}.txt"
        path.write_text(copied[: 300 + 40 * n] + f"\n\nEnd of answer {n}.\n", encoding="utf-8")
        suspect = ingest.load(path)
        items.append((suspect, compare(original, suspect)))
    target = write_batch_report(original, items, tmp_path / "batch.pdf")
    pages = page_texts(target)
    summary = next(p for p in pages if "Summary of findings" in p)
    for n in (10, 11, 12):
        # Each row reads "12 out-012.txt …" on one line, not "1 out-012.txt …" over "2".
        assert re.search(rf"(?m)^{n}\s+out-{n:03d}\.txt", summary), summary
    inputs = next(p for p in pages if "Model outputs" in p)
    assert re.search(r"(?m)^12\s+out-012\.txt", inputs), inputs

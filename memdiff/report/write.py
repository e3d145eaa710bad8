"""Writing reports: one comparison (``write_report``) or one original against many outputs (``write_batch_report``).

Each call assembles the sections, lays them out, finishes the PDF for
archiving and writes two files atomically: the PDF and, beside it, the JSON
result (``report.pdf`` -> ``report.json``). Nothing is recomputed here: the
report shows the Comparison it is given.
"""

from __future__ import annotations

import contextlib
import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reportlab.platypus import CondPageBreak, PageBreak

from memdiff.atomic import atomic_output, written_together
from memdiff.evidence import Comparison, Document, batch_json
from memdiff.progress import SILENT, Progress, Stage
from memdiff.report import pdfa, sections
from memdiff.report.pdf import MARGIN_X, PAGE_SIZES, PageDecoration, render
from memdiff.report.sections import (
    DEFAULT_BATCH_TITLE,
    DEFAULT_TITLE,
    FrontMatter,
    Outline,
    Provenance,
)
from memdiff.report.styles import Styles
from memdiff.report.verify import make_record

# Frozen, so one shared empty value is safe as a default.
NO_FRONT_MATTER = FrontMatter()
NO_PROVENANCE = Provenance()


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector while a report is assembled and laid out (also a decorator).

    A report builds tens of thousands of small objects that all stay alive
    until the PDF is written, so each full collection during layout walks
    them (and the loaded documents) for nothing: in a long report that was
    about a seventh of the time. Refcounting still frees everything as usual;
    cycles made meanwhile are collected once the collector runs again. Only
    the caller that paused it resumes it (reports written in parallel
    threads leave it to the first).
    """
    paused = gc.isenabled()
    if paused:
        gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def _write_pair(pdf_path: Path, pdf: bytes, result_json: str) -> None:
    """Write the PDF and its JSON result: both complete in temporary files, then renamed together.

    A failure while writing (a full disk, a folder that vanished) leaves
    neither file changed, and an interrupt waits until both are in place
    (``atomic.written_together``; inside the command line's own block, they
    take their place with its other outputs).
    """
    with written_together():
        # Renamed in the order written: the PDF first, so that if its rename
        # fails (a full disk), the JSON beside it is still the old one.
        with atomic_output(pdf_path) as pdf_file:
            pdf_file.write(pdf)
        with atomic_output(pdf_path.with_suffix(".json")) as json_file:
            json_file.write(result_json.encode("utf-8"))


def _decoration(front: FrontMatter, title: str) -> PageDecoration:
    return PageDecoration(
        case_number=front.case_number,
        exhibit=front.exhibit,
        title=title,
        confidentiality=front.confidentiality,
        bates_prefix=front.bates_prefix,
        bates_start=front.bates_start,
    )


def _frame_width(front: FrontMatter) -> float:
    size = PAGE_SIZES.get(front.page_size.lower(), PAGE_SIZES["letter"])
    return size[0] - 2 * MARGIN_X


def _findings(
    c: Comparison,
    original: Document,
    suspect: Document,
    st: Styles,
    outline: Outline,
    width: float,
    **kwargs: Any,
) -> list[Any]:
    if c.mode == "image":
        # Imported here: drawing on pictures is needed by image reports only.
        from memdiff.report.images import image_findings

        return image_findings(c, original, suspect, st, outline, width, **kwargs)
    return sections.text_findings(c, original, suspect, st, outline, width, **kwargs)


def _digests(record: dict[str, Any]) -> list[str]:
    """The findings digests the record already holds, one per output, for the appendix to show."""
    return [output["findings_sha256"] for output in record["outputs"]]


def _appendix(
    record: dict[str, Any],
    comparisons: list[Comparison],
    command: list[str] | None,
    pdf_path: Path,
    report_date: str,
    st: Styles,
    outline: Outline,
    width: float,
) -> list[Any]:
    """The reproducibility appendix, with the findings digests the report's record already holds."""
    return sections.reproducibility(
        comparisons,
        command,
        pdf_path.name,
        report_date,
        st,
        outline,
        width,
        digests=_digests(record),
    )


def _subject(comparisons: list[Comparison]) -> str:
    return pdfa.report_subject(comparisons[0].original.name, [c.suspect.name for c in comparisons])


@_collector_paused()
def write_report(
    comparison: Comparison,
    original: Document,
    suspect: Document,
    pdf_path: str | os.PathLike[str],
    *,
    front: FrontMatter = NO_FRONT_MATTER,
    provenance: Provenance = NO_PROVENANCE,
    command: list[str] | None = None,
    progress: Progress = SILENT,
) -> Path:
    """Write the court report for one comparison, and its JSON result beside it; return the PDF's path."""
    pdf_path = Path(pdf_path)
    progress.report(0.0, "Preparing the report")
    st = Styles()
    outline = Outline()
    width = _frame_width(front)
    moment = pdfa.report_moment()
    report_date = moment.strftime("%Y-%m-%d %H:%M UTC")
    title = front.title or DEFAULT_TITLE

    story: list[Any] = []
    story += sections.front_matter(front, title, report_date, st)
    story += sections.summary(comparison, st, outline, width)
    story.append(CondPageBreak(2.5 * 72))
    story += sections.inputs(comparison, st, outline, width)
    story.append(CondPageBreak(2 * 72))
    story += sections.provenance_section(provenance, st, outline, width)
    story.append(PageBreak())
    story += sections.method(comparison, st, outline, width)
    story.append(PageBreak())
    progress.check()
    story += _findings(comparison, original, suspect, st, outline, width)
    record = make_record([comparison], batch=False)
    story += _appendix(record, [comparison], command, pdf_path, report_date, st, outline, width)
    progress.report(0.1, "Laying out the report")

    pdf = render(
        story,
        _decoration(front, title),
        page_size=front.page_size,
        title=title,
        author=front.examiner,
        subject=_subject([comparison]),
        record=record,
        moment=moment,
        progress=Stage(progress, 0.1, 0.95),
    )
    _write_pair(pdf_path, pdf, comparison.to_json())
    progress.report(1.0, "Report written")
    return pdf_path


@_collector_paused()
def write_batch_report(
    original: Document,
    items: list[tuple[Document, Comparison]],
    pdf_path: str | os.PathLike[str],
    *,
    front: FrontMatter = NO_FRONT_MATTER,
    provenance: Provenance = NO_PROVENANCE,
    command: list[str] | None = None,
    progress: Progress = SILENT,
) -> Path:
    """One exhibit for many outputs of one original: a summary row per output, then each output's findings."""
    if not items:
        raise ValueError("a batch report needs at least one output")
    pdf_path = Path(pdf_path)
    progress.report(0.0, "Preparing the batch report")
    comparisons = [c for _, c in items]
    st = Styles()
    outline = Outline()
    width = _frame_width(front)
    moment = pdfa.report_moment()
    report_date = moment.strftime("%Y-%m-%d %H:%M UTC")
    title = front.title or DEFAULT_BATCH_TITLE

    story: list[Any] = []
    story += sections.front_matter(front, title, report_date, st)
    story += sections.batch_summary(comparisons[0].original, comparisons, st, outline, width)
    story.append(CondPageBreak(2.5 * 72))
    story += sections.batch_inputs(comparisons[0].original, comparisons, st, outline, width)
    story.append(CondPageBreak(2 * 72))
    story += sections.provenance_section(provenance, st, outline, width)
    story.append(PageBreak())
    story += sections.method(comparisons[0], st, outline, width, batch=True)
    for n, (suspect, c) in enumerate(items, start=1):
        progress.check()
        story.append(PageBreak())
        story.append(outline.heading(sections.output_block_heading(n, c), st.h1, 0))
        story += sections.batch_output_summary(c, st, width)
        story += _findings(c, original, suspect, st, outline, width, level=1, heading=None)
        progress.report(0.1 * n / len(items), "Preparing the batch report")
    record = make_record(comparisons, batch=True)
    story += _appendix(record, comparisons, command, pdf_path, report_date, st, outline, width)

    pdf = render(
        story,
        _decoration(front, title),
        page_size=front.page_size,
        title=title,
        author=front.examiner,
        subject=_subject(comparisons),
        record=record,
        moment=moment,
        progress=Stage(progress, 0.1, 0.95),
    )
    _write_pair(pdf_path, pdf, batch_json(comparisons))
    progress.report(1.0, "Report written")
    return pdf_path

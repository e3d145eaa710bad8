"""The report's sections, each a function from the finished findings to a list of flowables.

Every sentence states a measurement or how it was made. Nothing here decides
a legal question (no "infringes", no "plagiarised"), and nothing is invented
when a front-matter or provenance field is empty: the field is left out.
"""

from __future__ import annotations

import importlib.metadata
import json
import platform
import shlex
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import inch
from reportlab.platypus import CondPageBreak, KeepTogether, PageBreak, Paragraph, Spacer, Table

from memdiff import __version__
from memdiff.evidence import (
    IMAGE_MEASUREMENTS,
    Comparison,
    Document,
    DocumentRecord,
    ImageSummary,
    Parameters,
    Span,
    TextSummary,
)
from memdiff.report import validation
from memdiff.report.marking import Alignment, align_all, marked_pieces, output_word_status
from memdiff.report.pdf import Heading
from memdiff.report.sidebyside import SideBySide
from memdiff.report.styles import (
    GRID,
    HEADER_GROUND,
    MONO,
    Styles,
    copied,
    different,
    markup,
    monospace,
    table_style,
)
from memdiff.text import matching_text
from memdiff.text.chance import COMMON_PHRASE_BITS
from memdiff.text.normalize import Vocabulary


@dataclass(frozen=True)
class FrontMatter:
    """Case caption and page furniture; all optional, and nothing is invented when a field is empty."""

    court: str = ""
    case_title: str = ""
    case_number: str = ""
    exhibit: str = ""
    title: str = ""
    examiner: str = ""
    confidentiality: str = ""
    bates_prefix: str = ""
    bates_start: int | None = None
    page_size: str = "letter"  # or "a4"


@dataclass(frozen=True)
class Provenance:
    """How the model output was obtained, as the examiner states it."""

    model: str = ""
    prompt: str = ""
    generated_on: str = ""
    attempts: int | None = None
    sampling: str = ""

    def is_empty(self) -> bool:
        return not (
            self.model
            or self.prompt
            or self.generated_on
            or self.attempts is not None
            or self.sampling
        )


DEFAULT_TITLE = "Comparison of a model output with an original work"
DEFAULT_BATCH_TITLE = "Comparison of model outputs with an original work"


# --------------------------------------------------------------------------- small formatting


def words(n: int | None) -> str:
    return "–" if n is None else f"{n:,}"


def percent(x: float) -> str:
    if 0 < x < 0.001:
        return f"{x * 100:.2f}%"
    return f"{x * 100:.1f}%"


def size_text(n: int) -> str:
    if n < 1024:
        return f"{n:,} bytes"
    if n < 1024**2:
        return f"{n / 1024:.1f} KiB ({n:,} bytes)"
    return f"{n / 1024**2:.1f} MiB ({n:,} bytes)"


def pages_text(pages: tuple[int, ...] | None) -> str:
    if not pages:
        return ""
    if len(pages) == 1:
        return f"p. {pages[0]}"
    return f"pp. {pages[0]}–{pages[-1]}"


def similarity_text(x: float) -> str:
    """A similarity with as many decimals as it takes not to print a near match as 1.00."""
    for decimals in range(2, 7):
        text = f"{x:.{decimals}f}"
        if x >= 1.0 or float(text) < 1.0:
            return text
    return f"{x:.6f}"


def plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


class _Paragraph(Paragraph):
    """A Paragraph that breaks its lines once per width.

    Tables wrap each cell two or three times (to size the rows, then to draw
    them); reportlab's Paragraph breaks its lines again each time. Only the
    latest width is kept, so every attribute the wrap set still belongs to it;
    and only while its broken lines are kept: a split that finds no room at
    the foot of a page discards them, and the paragraph is then drawn whole
    on the next page.
    """

    _wrapped: tuple[float, tuple[float, float]] | None = None

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        wrapped = self._wrapped
        if wrapped is not None and wrapped[0] == availWidth and "blPara" in self.__dict__:
            return wrapped[1]
        size = super().wrap(availWidth, availHeight)
        self._wrapped = (availWidth, size)
        return size


def _p(text_markup: str, style: Any) -> Paragraph:
    return _Paragraph(text_markup, style)


def key_value_table(
    rows: Sequence[tuple[str, Any]], st: Styles, *, width: float, key_width: float = 1.7 * inch
) -> Table:
    """A two-column table of labels and values; values may be markup strings or flowables."""
    data = []
    for key, value in rows:
        cell = value if not isinstance(value, str) else _p(value, st.cell)
        data.append([_p(markup(key), st.cell_bold), cell])
    table = Table(data, colWidths=[key_width, width - key_width], hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                ("LINEABOVE", (0, 0), (-1, 0), 0.8, GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def grid_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], st: Styles, widths: Sequence[float]
) -> Table:
    """A table with a shaded header row that repeats on every page it runs over."""
    data = [[_p(markup(h), st.cell_bold) for h in header]]
    for row in rows:
        data.append([c if not isinstance(c, str) else _p(c, st.cell) for c in row])
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), HEADER_GROUND),
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


class Outline:
    """Hands out unique bookmark keys so two sections never share one."""

    def __init__(self) -> None:
        self.count = 0

    def heading(self, title: str, style: Any, level: int, *, shown: str | None = None) -> Heading:
        self.count += 1
        return Heading(
            markup(shown if shown is not None else title),
            style,
            level=level,
            outline=title,
            key=f"section-{self.count}",
        )


# --------------------------------------------------------------------------- front matter


def front_matter(front: FrontMatter, title: str, report_date: str, st: Styles) -> list[Any]:
    story: list[Any] = []
    if front.court:
        story.append(_p(markup(front.court.upper()), st.caption_court))
    if front.case_title:
        story.append(_p(markup(front.case_title), st.caption))
    if front.case_number:
        story.append(_p(markup(f"Case No. {front.case_number}"), st.caption))
    if front.exhibit:
        label = (
            front.exhibit
            if front.exhibit.lower().startswith("exhibit")
            else f"Exhibit {front.exhibit}"
        )
        story.append(_p(markup(label.upper()), st.exhibit))
    elif story:
        story.append(Spacer(1, 14))
    story.append(_p(markup(title), st.title))
    byline = []
    if front.examiner:
        byline.append(f"Prepared by {markup(front.examiner)}")
    byline.append(f"Report date {markup(report_date)}")
    story.append(_p(" · ".join(byline), st.caption))
    if front.confidentiality:
        story.append(Spacer(1, 6))
        story.append(_p(markup(front.confidentiality), st.legend))
    story.append(Spacer(1, 14))
    return story


# --------------------------------------------------------------------------- summary


def text_summary_sentences(c: Comparison) -> list[str]:
    """The findings in plain words: facts and figures only."""
    s: TextSummary = c.summary  # type: ignore[assignment]
    p = c.parameters
    out_words = c.suspect.words or 0
    orig_words = c.original.words or 0
    sentences = [
        (
            f"memdiff compared the model output “{markup(c.suspect.name)}” ({plural(out_words, 'word')}) with the "
            f"original “{markup(c.original.name)}” ({plural(orig_words, 'word')})."
        )
    ]
    if s.span_count == 0:
        near = (
            f", and no near-verbatim passage of that length with a word similarity of at least {p.min_similarity:.2f}"
            if p.near
            else ""
        )
        sentences.append(
            f"It found no run of {p.min_words} or more consecutive words that the output shares with the "
            f"original{near}."
        )
        return sentences
    parts = [
        (
            f"{plural(s.suspect_words_in_exact_spans, 'word')} ({percent(s.exact_suspect_coverage)}) in "
            f"{plural(s.exact_span_count, 'verbatim span')} (identical after normalisation)"
        )
    ]
    if p.near:
        parts.append(
            f"{plural(s.near_span_count, 'near-verbatim passage')} (word similarity at least {p.min_similarity:.2f})"
        )
    sentences.append(
        f"{s.suspect_words_in_spans:,} of the output’s {out_words:,} words ({percent(s.suspect_coverage)}) lie in "
        f"passages that also appear in the original: " + ", and ".join(parts) + "."
    )
    sentences.append(
        f"These passages correspond to {s.original_words_in_spans:,} of the original’s {orig_words:,} words "
        f"({percent(s.original_coverage)}). The longest span is {plural(s.longest_span_words, 'word')} "
        f"({plural(s.longest_span_characters, 'character')} of the output)."
    )
    if s.common_phrase_spans:
        sentences.append(
            f"{plural(s.common_phrase_spans, 'span is', 'spans are')} short and common enough "
            f"(chance estimate under {COMMON_PHRASE_BITS:g} bits) to be flagged as common phrases, which a "
            "writer could produce without having read the original."
        )
    else:
        sentences.append(
            f"No span is flagged as a common phrase (chance estimate under {COMMON_PHRASE_BITS:g} bits)."
        )
    return sentences


def text_figures_rows(c: Comparison) -> list[tuple[str, str]]:
    s: TextSummary = c.summary  # type: ignore[assignment]
    out_words = c.suspect.words or 0
    orig_words = c.original.words or 0
    rows = [
        (
            "Output words in reproduced passages",
            f"{s.suspect_words_in_spans:,} of {out_words:,} ({percent(s.suspect_coverage)})",
        ),
        (
            "… of which in verbatim spans",
            f"{s.suspect_words_in_exact_spans:,} ({percent(s.exact_suspect_coverage)})",
        ),
        (
            "Original words in reproduced passages",
            f"{s.original_words_in_spans:,} of {orig_words:,} ({percent(s.original_coverage)})",
        ),
        (
            "Spans found",
            f"{s.span_count:,} ({s.exact_span_count:,} verbatim, {s.near_span_count:,} near-verbatim)",
        ),
        (
            "Longest span",
            f"{plural(s.longest_span_words, 'word')}, {plural(s.longest_span_characters, 'character')}",
        ),
        ("Spans flagged as common phrases", f"{s.common_phrase_spans:,}"),
    ]
    bits = sorted(span.chance.bits for span in c.spans)
    if bits:
        rows.append(
            (
                "Chance estimate per span",
                f"lowest {bits[0]:,.1f} bits, median {statistics.median(bits):,.1f} bits, highest {bits[-1]:,.1f} bits",
            )
        )
    rows.append(("Word-frequency table", s.language or "–"))
    return rows


def image_summary_sentences(c: Comparison) -> list[str]:
    s: ImageSummary = c.summary  # type: ignore[assignment]
    o, q = c.original, c.suspect
    sentences = [
        (
            f"memdiff compared the image “{markup(q.name)}” ({q.width}×{q.height} pixels) with the original image "
            f"“{markup(o.name)}” ({o.width}×{o.height} pixels)."
        ),
        (
            f"Result: <b>{markup(s.verdict)}</b>. "
            f"{percent(s.matched_fraction_of_suspect)} of the output image and {percent(s.matched_fraction_of_original)} "
            "of the original image lie in regions that match after alignment."
        ),
    ]
    if s.transform:
        sentences.append(f"Alignment found: {markup(transform_text(s.transform))}.")
    if s.orientation and s.orientation != "as given":
        sentences.append(f"Orientation: {markup(s.orientation)}.")
    return sentences


def transform_text(t: dict[str, Any]) -> str:
    parts = []
    if "scale" in t:
        parts.append(f"scale {float(t['scale']):.3g}")
    if t.get("rotation"):
        parts.append(f"rotation {float(t['rotation']):.3g}°")
    if "dx" in t or "dy" in t:
        parts.append(f"shift {float(t.get('dx', 0)):.0f}, {float(t.get('dy', 0)):.0f} pixels")
    if "mirrored" in t:
        parts.append("mirrored" if t["mirrored"] else "not mirrored")
    return ", ".join(parts) or "none"


def image_figures_rows(c: Comparison) -> list[tuple[str, str]]:
    s: ImageSummary = c.summary  # type: ignore[assignment]
    rows = [
        ("Result", s.verdict),
        ("Matched fraction of output image", percent(s.matched_fraction_of_suspect)),
        ("Matched fraction of original image", percent(s.matched_fraction_of_original)),
        ("Alignment", transform_text(s.transform) if s.transform else "no alignment found"),
        ("Matched regions", f"{len(c.regions):,}"),
    ]
    if s.inliers:
        rows.append(("Matched feature points (inliers)", f"{s.inliers:,}"))
    for name in sorted(s.hashes):
        h = s.hashes[name]
        rows.append((f"{name} distance", f"{h.get('distance')} of {h.get('bits')} bits"))
    return rows


def summary(c: Comparison, st: Styles, outline: Outline, width: float) -> list[Any]:
    story: list[Any] = [outline.heading("Summary of findings", st.h1, 0)]
    sentences = text_summary_sentences(c) if c.mode == "text" else image_summary_sentences(c)
    story.append(_p(" ".join(sentences), st.body))
    story.append(
        _p(
            "These figures are measurements of shared wording or shared image content. Whether they amount to "
            "copying in law, or to an infringement, is not a question this report answers.",
            st.body,
        )
    )
    rows = text_figures_rows(c) if c.mode == "text" else image_figures_rows(c)
    story.append(
        key_value_table([(k, markup(v)) for k, v in rows], st, width=width, key_width=2.4 * inch)
    )
    return story


# --------------------------------------------------------------------------- inputs and provenance


def _record_rows(r: DocumentRecord) -> list[tuple[str, str]]:
    rows = [
        ("File name", markup(r.name)),
        ("Media type", markup(r.media_type)),
        ("Size", size_text(r.size_bytes)),
    ]
    if r.width is not None:
        rows.append(("Pixel size", f"{r.width} × {r.height}"))
        if r.image_mode:
            rows.append(("Colour mode", markup(r.image_mode)))
    else:
        rows.append(("Pages", "no pages (plain text)" if r.pages is None else f"{r.pages:,}"))
        rows.append(("Characters (extracted text)", words(r.characters)))
        rows.append(("Words", words(r.words)))
        if r.encoding:
            rows.append(("Text encoding", markup(r.encoding)))
    rows.append(("SHA-256", monospace(r.sha256)))
    for note in r.notes:
        rows.append(("Note", markup(note)))
    return rows


def _inputs_opening(
    original: DocumentRecord, st: Styles, outline: Outline, width: float
) -> list[Any]:
    """The Inputs heading, what the digests mean, and the original's table: shared by both kinds of report."""
    return [
        outline.heading("Inputs", st.h1, 0),
        _p(
            "Each file was read without being changed. Its SHA-256 digest identifies its exact bytes: any change "
            "to the file, however small, gives a different digest.",
            st.body,
        ),
        _p("Original work", st.h3),
        key_value_table(_record_rows(original), st, width=width),
    ]


def inputs(c: Comparison, st: Styles, outline: Outline, width: float) -> list[Any]:
    q = c.suspect
    story = _inputs_opening(c.original, st, outline, width)
    story.append(_p("Model output", st.h3))
    story.append(key_value_table(_record_rows(q), st, width=width))
    return story


def batch_inputs(
    original: DocumentRecord,
    comparisons: Sequence[Comparison],
    st: Styles,
    outline: Outline,
    width: float,
) -> list[Any]:
    story = _inputs_opening(original, st, outline, width)
    story.append(_p("Model outputs", st.h3))
    rows = []
    for n, c in enumerate(comparisons, start=1):
        q = c.suspect
        extent = f"{q.width}×{q.height} px" if q.width is not None else f"{words(q.words)} words"
        rows.append(
            [
                str(n),
                markup(q.name),
                f"{size_text(q.size_bytes).split(' (')[0]}<br/>{extent}",
                _p(markup(q.sha256[:32]) + "<br/>" + markup(q.sha256[32:]), st.cell_mono),
            ]
        )
    story.append(
        grid_table(
            ["#", "File", "Size", "SHA-256"],
            rows,
            st,
            [0.35 * inch, 2.0 * inch, 1.15 * inch, width - 3.5 * inch],
        )
    )
    return story


def provenance_section(prov: Provenance, st: Styles, outline: Outline, width: float) -> list[Any]:
    story: list[Any] = [outline.heading("Provenance of the model output", st.h1, 0)]
    if prov.is_empty():
        story.append(
            _p(
                "No information about how the model output was generated (model, prompt, date, number of attempts, "
                "sampling settings) was supplied for this report.",
                st.body,
            )
        )
        return story
    story.append(
        _p(
            "As stated by the examiner; memdiff did not generate the output and cannot confirm these "
            "statements.",
            st.body,
        )
    )
    rows: list[tuple[str, str]] = []
    if prov.model:
        rows.append(("Model and version", markup(prov.model)))
    if prov.generated_on:
        rows.append(("Date generated", markup(prov.generated_on)))
    if prov.attempts is not None:
        rows.append(("Generations made to obtain it", f"{prov.attempts:,}"))
    if prov.sampling:
        rows.append(("Sampling settings", markup(prov.sampling)))
    if rows:
        story.append(key_value_table(rows, st, width=width, key_width=2.2 * inch))
    if prov.prompt:
        story.append(_p("Prompt", st.h3))
        for block in _blocks(prov.prompt):
            story.append(_p(markup(block, keep_lines=True), st.quote))
            story.append(Spacer(1, 4))
    return story


def _blocks(text: str) -> list[str]:
    """Paragraph-sized pieces of a text (split at blank lines), so no piece is a page-sized cell."""
    import re

    return [b for b in re.split(r"\n[ \t]*\n", text.replace("\r\n", "\n")) if b.strip()]


# --------------------------------------------------------------------------- method


PARAMETER_MEANINGS = {
    "min_words": "shortest verbatim span reported, in words",
    "near": "near-verbatim passages searched for",
    "min_similarity": "lowest word similarity of a near-verbatim passage (0–1)",
    "unicode_nfkc": "Unicode compatibility normalisation (NFKC)",
    "casefold": "letter case ignored",
    "unify_quotes": "curly and straight quotes, and all dashes, treated alike",
    "ignore_punctuation": "punctuation ignored",
    "join_hyphenation": "words hyphenated across a line break joined",
    "ignore_running_heads": "running heads, feet and page numbers at the edges of a PDF's pages left out",
    "near_seed_words": "shortest verbatim run that can seed a near-verbatim passage, in words",
    "near_max_gap": "largest gap between two seeds joined into one passage, in words",
    "language": "language of the word-frequency table for the chance estimate",
}

LIBRARIES = (
    "rapidfuzz",
    "numpy",
    "wordfreq",
    "pypdf",
    "python-docx",
    "Pillow",
    "ImageHash",
    "opencv-python-headless",
    "reportlab",
    "pikepdf",
)

LITERATURE = (
    (
        "N. Carlini et al., “Quantifying Memorization Across Neural Language Models”, ICLR 2023: verbatim "
        "reproduction measured on runs of 50 tokens."
    ),
    (
        "K. Lee et al., “Deduplicating Training Data Makes Language Models Better”, ACL 2022: 50-token exact "
        "matches and near-duplicates at edit similarity 0.8."
    ),
    (
        "T. Chen et al., “CopyBench: Measuring Literal and Non-Literal Reproduction of Copyright-Protected Text in "
        "Language Model Generation”, 2024: literal copying at ROUGE-L 0.8."
    ),
    (
        "D. Ippolito et al., “Preventing Generation of Verbatim Memorization in Language Models Gives a False Sense "
        "of Privacy”, INLG 2023: approximate memorisation at BLEU 0.75."
    ),
    (
        "G. Somepalli et al., “Diffusion Art or Digital Forgery? Investigating Data Replication in Diffusion "
        "Models”, CVPR 2023; N. Carlini et al., “Extracting Training Data from Diffusion Models”, USENIX Security "
        "2023: image replication judged by near-duplicate similarity."
    ),
)


def _format_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def software_rows() -> list[tuple[str, str]]:
    rows = [
        ("memdiff", __version__),
        ("Python", f"{platform.python_implementation()} {platform.python_version()}"),
    ]
    for name in LIBRARIES:
        try:
            rows.append((name, _installed_version(name)))
        except importlib.metadata.PackageNotFoundError:
            continue
    return rows


def _installed_version(name: str) -> str:
    """The installed version of distribution ``name``, read off its metadata's Version line.

    importlib.metadata.version parses all of the metadata with the e-mail
    parser first: for ten libraries that was a few milliseconds of each report.
    """
    dist = importlib.metadata.distribution(name)
    for line in (dist.read_text("METADATA") or dist.read_text("PKG-INFO") or "").splitlines():
        if line.startswith("Version:"):
            return line[len("Version:") :].strip()
        if not line:  # the end of the headers
            break
    return dist.version


def method(c: Comparison, st: Styles, outline: Outline, width: float) -> list[Any]:
    p = c.parameters
    story: list[Any] = [outline.heading("Method", st.h1, 0)]
    if c.mode == "text":
        story.extend(_text_method(c, st))
    else:
        story.extend(_image_method(c, st))

    story.append(_p("Parameters", st.h3))
    rows = []
    for key, value in p.to_dict().items():
        rows.append(
            [monospace(key), markup(_format_value(value)), markup(PARAMETER_MEANINGS.get(key, ""))]
        )
    if c.mode == "text":
        rows.append(
            [
                monospace("common_phrase_bits"),
                f"{COMMON_PHRASE_BITS:g}",
                "spans with a lower chance estimate are flagged as common phrases",
            ]
        )
    if c.mode == "image":
        s: ImageSummary = c.summary  # type: ignore[assignment]
        for key in sorted(s.thresholds):
            if key in IMAGE_MEASUREMENTS:
                meaning = "measured in this comparison"
            elif key == "calibration":
                meaning = "the study the thresholds were calibrated on"
            else:
                meaning = "image decision threshold"
            rows.append([monospace(key), markup(str(s.thresholds[key])), meaning])
    story.append(
        grid_table(
            ["Parameter", "Value", "Meaning"],
            rows,
            st,
            [1.6 * inch, 0.9 * inch, width - 2.5 * inch],
        )
    )

    story.append(_p("Validation", st.h3))
    for line in validation.statements(c):
        story.append(_p(markup(line), st.body))

    story.append(_p("Software", st.h3))
    soft = software_rows()
    half = (len(soft) + 1) // 2
    left, right = soft[:half], soft[half:]
    data = []
    for i in range(half):
        row = [_p(markup(left[i][0]), st.cell), _p(markup(left[i][1]), st.cell)]
        row += (
            [_p(markup(right[i][0]), st.cell), _p(markup(right[i][1]), st.cell)]
            if i < len(right)
            else ["", ""]
        )
        data.append(row)
    table = Table(data, colWidths=[1.9 * inch, width / 2 - 1.9 * inch] * 2, hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    story.append(table)

    story.append(_p("Literature the thresholds come from", st.h3))
    for ref in LITERATURE:
        story.append(Paragraph(markup(ref), st.bullet, bulletText="•"))

    story.append(_p("Known limits", st.h3))
    for limit in _TEXT_LIMITS if c.mode == "text" else _IMAGE_LIMITS:
        story.append(Paragraph(markup(limit), st.bullet, bulletText="•"))
    return story


def _normalisation_phrase(p: Parameters) -> str:
    applied = []
    if p.unicode_nfkc:
        applied.append("Unicode compatibility forms unified (NFKC)")
    if p.casefold:
        applied.append("letter case ignored")
    if p.unify_quotes:
        applied.append("curly and straight quotes and all dashes treated alike")
    if p.ignore_punctuation:
        applied.append("punctuation and spacing ignored")
    else:
        applied.append("punctuation compared, spacing ignored")
    if p.join_hyphenation:
        applied.append("words hyphenated across a line break joined")
    if p.ignore_running_heads:
        applied.append(
            "running heads, running feet and page numbers (short lines repeated at the same edge of nearby "
            "pages, or bare page numbers) left out, so that a passage copied across a page break stays one span"
        )
    return "; ".join(applied)


def _text_method(c: Comparison, st: Styles) -> list[Any]:
    p = c.parameters
    text = (
        "Both texts are split into words (runs of letters and digits; each Chinese, Japanese or Korean character "
        f"counts as one word). Before comparison the words are normalised on a copy of the text: "
        f"{_normalisation_phrase(p)}. All positions in this report refer to the extracted text of each file, "
        "exactly as <font face='MemdiffMono'>memdiff extract</font> prints it. "
        f"Every run of {p.min_words} or more consecutive words of the output that also occurs anywhere in the "
        "original, in any order or position, is found through an index of the original’s "
        f"{p.min_words}-word sequences and extended to its full length; each reported span is checked word by "
        "word, never on hash values alone."
    )
    if p.near:
        text += (
            f" Verbatim runs of at least {min(p.near_seed_words, p.min_words)} words that follow one another in "
            f"both texts with gaps of at most {p.near_max_gap} words are joined into near-verbatim passages; a "
            f"passage is reported when it has at least {p.min_words} words and its word similarity (one minus the "
            "word-level Levenshtein distance divided by the longer side’s length) is at least "
            f"{p.min_similarity:.2f}."
        )
    text += (
        " Coverage counts each output word once, however many spans contain it. The chance estimate of a span "
        "is the sum, over its words, of −log₂ of each word’s frequency in ordinary writing of the language "
        "(wordfreq tables): the probability that independently drawn words come out as this run is 2 to the "
        f"power of minus that figure. Spans under {COMMON_PHRASE_BITS:g} bits are flagged as common phrases."
    )
    return [_p(text, st.body)]


def _image_method(c: Comparison, st: Styles) -> list[Any]:
    t = c.summary.thresholds if isinstance(c.summary, ImageSummary) else {}
    text = (
        "Both images are decoded to RGB pixels. memdiff computes perceptual hashes of each (average, difference, "
        "perceptual and wavelet hashes, and a colour hash) and reports the Hamming distance between the two "
        "images’ hashes: a small distance means the images look alike at a coarse scale. It then searches for a "
        "geometric alignment (scale, rotation, shift, mirroring) that maps the output image onto the original, "
        "compares the aligned images tile by tile, and reports the tiles and boxes whose content matches. "
        "The verdict follows from the fixed thresholds listed below."
    )
    smooth = (
        "A picture too smooth for keypoints (a sky, a gradient, a flat colour) cannot be aligned that way; then the "
        "output is laid over the whole original at the same size, as given and mirrored, and compared directly: "
        "it is a copy when the pixels are identical, or when the layout of tones correlates at "
        f"{t.get('direct_min_layout_correlation', 0.9)} or more, the colours differ by at most "
        f"{t.get('direct_max_colour_residual', 20.0)} grey levels after one brightness gain, and the matched share "
        f"of both pictures reaches {t.get('near_identical_fraction', 0.75):.0%}; a flat picture matches only when "
        "identical. Crops and pastes of such pictures cannot be located. This comparison used "
        f"{t.get('comparison_method', 'keypoint alignment')}."
    )
    return [_p(text, st.body), _p(smooth, st.body)]


_TEXT_LIMITS = (
    (
        "Paraphrase, translation, summary and imitation of style are not detected: memdiff finds shared word "
        "sequences, not shared ideas."
    ),
    (
        "Shared runs shorter than the minimum length, and near-verbatim passages below the similarity threshold, are "
        "not reported."
    ),
    "Only the original given is searched: a passage the output shares with some other work is not found.",
    (
        "The findings depend on the extracted text. Text in images, scanned pages without a text layer, and text a "
        "PDF stores out of reading order may be missing or out of order."
    ),
    (
        "The chance estimate treats words as independent, which overstates how unlikely stock phrases, quotations "
        "and names are; it is a guide, not a probability that the output was copied."
    ),
    (
        "A passage the original itself repeats is reported once, at the occurrence that matches furthest; the table "
        "states how many other occurrences there are."
    ),
)

_IMAGE_LIMITS = (
    (
        "Perceptual hashes and tile comparison measure visual likeness of pixels, not shared subject, composition "
        "or style; an image painted anew in the same style is not detected."
    ),
    (
        "Heavy crops, strong perspective changes, collage of many sources and extensive retouching can defeat "
        "alignment."
    ),
    "Only the original given is searched.",
)


# --------------------------------------------------------------------------- text findings


def legend(st: Styles) -> Paragraph:
    return _p(
        f"How to read this section: {copied('words shown in red and underlined')} occur in both the original and "
        f"the output (identical after normalisation). Inside near-verbatim passages, "
        f"{different('words in italics on a grey ground')} differ between the two sides. Text in neither style is "
        "not part of a reported span. Character positions refer to each file’s extracted text.",
        st.body,
    )


def span_heading_pieces(span: Span, *, continued: bool = False) -> list[tuple[str, str]]:
    """The line above a span: its number, kind, length, chance estimate and flags, as (kind, text) pieces."""
    kind = (
        "verbatim"
        if span.kind == "exact"
        else f"near-verbatim, similarity {similarity_text(span.similarity)}"
    )
    pieces = [kind]
    if span.kind == "near" and span.original_words != span.words:
        pieces.append(
            f"{plural(span.words, 'word')} in the output, {plural(span.original_words, 'word')} in the original"
        )
    else:
        pieces.append(plural(span.words, "word"))
    pieces.append(f"chance estimate {span.chance.bits:,.1f} bits")
    if span.other_occurrences:
        pieces.append(f"also at {plural(span.other_occurrences, 'other place')} in the original")
    out = [
        ("bold", f"Span {span.id}" + (" (continued)" if continued else "")),
        ("plain", " · " + " · ".join(pieces)),
    ]
    if span.chance.common_phrase:
        out.append(("plain", " · "))
        out.append(("bold", "flagged: common phrase"))
    return out


def span_table(span: Span, alignment: Alignment, st: Styles, width: float) -> SideBySide:
    """One span as two aligned columns, cut into rows that may fall on different pages."""
    loc_o, loc_s = span.original, span.suspect
    o_label = f" · characters {loc_o.start:,}–{loc_o.end:,}"
    if loc_o.pages:
        o_label += f" · {pages_text(loc_o.pages)}"
    s_label = f" · characters {loc_s.start:,}–{loc_s.end:,}"
    if loc_s.pages:
        s_label += f" · {pages_text(loc_s.pages)}"
    quote = st.fragments(st.quote)
    cell = st.fragments(st.cell)
    small = st.fragments(st.small)
    rows = [
        (
            quote.paragraph(row.original.pieces(), keep_lines=True),
            quote.paragraph(row.suspect.pieces(), keep_lines=True),
        )
        for row in alignment.rows()
    ]
    return SideBySide(
        cell.paragraph(span_heading_pieces(span), keep_lines=False),
        (
            small.paragraph([("bold", "Original"), ("plain", o_label)], keep_lines=False),
            small.paragraph([("bold", "Model output"), ("plain", s_label)], keep_lines=False),
        ),
        rows,
        continued_heading=lambda: cell.paragraph(
            span_heading_pieces(span, continued=True), keep_lines=False
        ),
        space_after=8,
    )


class _RoomFor(CondPageBreak):
    """A page break unless this much room is left; it passes the space after the flowable before it on, as if absent."""

    _SPACETRANSFER = True


def text_findings(
    c: Comparison,
    original: Document,
    suspect: Document,
    st: Styles,
    outline: Outline,
    width: float,
    *,
    level: int = 0,
    heading: str | None = "Findings",
) -> list[Any]:
    """Side-by-side spans and the marked output; ``heading=None`` leaves the heading to the caller."""
    story: list[Any] = []
    if heading:
        story.append(outline.heading(heading, st.h1 if level == 0 else st.h2, level))
    story.append(legend(st))
    vocabulary = Vocabulary(c.parameters)
    matched = (matching_text(original, c.parameters), matching_text(suspect, c.parameters))
    spans = list(c.spans)
    alignments = list(
        zip(
            spans,
            align_all(original.text, suspect.text, spans, vocabulary, matched_texts=matched),
            strict=True,
        )
    )
    sub = level + 1 if heading else level
    spans_heading = outline.heading("Spans side by side", st.h2, sub)
    tables = [span_table(span, alignment, st, width) for span, alignment in alignments]
    if tables:
        # keepWithNext would make the heading and the whole first span one
        # block, moved whole to the next page when the span is taller than
        # the room left (leaving a page with only the legend on it). The
        # heading goes with the start of the first span instead.
        spans_heading.keepWithNext = 0
        heading_h = spans_heading.wrap(width, 1e9)[1]
        story.append(
            _RoomFor(
                spans_heading.getSpaceBefore()
                + heading_h
                + spans_heading.getSpaceAfter()
                + tables[0].least_height(width)
            )
        )
    story.append(spans_heading)
    if not tables:
        story.append(_p("No span was found, so there is nothing to show side by side.", st.body))
    story.extend(tables)
    story.append(outline.heading("The complete model output", st.h2, sub))
    story.append(
        _p(
            "The output as extracted, every word inside a reported span marked as above. A small grey number "
            "in brackets before a passage gives the number of the span that begins there.",
            st.body,
        )
    )
    story.extend(full_output(suspect.text, alignments, vocabulary, st, matched_text=matched[1]))
    return story


def full_output(
    text: str,
    alignments: list[tuple[Span, Alignment]],
    vocabulary: Vocabulary,
    st: Styles,
    *,
    matched_text: str | None = None,
) -> list[Any]:
    """The whole output text as paragraphs (one per block between blank lines), reproduced words marked."""
    import bisect
    import re

    import numpy as np

    tokens, status = output_word_status(text, alignments, vocabulary, matched_text=matched_text)
    paragraphs = st.fragments(st.output_text)
    starts = tokens.starts
    ends = tokens.ends
    # The label before each word where spans begin, "[3]" or "[3][4]".
    labels: dict[int, str] = {}
    for span, _ in alignments:
        word = int(np.searchsorted(starts, span.suspect.start, side="left"))
        labels[word] = labels.get(word, "") + f"[{span.id}]"
    labelled = sorted(labels)
    story: list[Any] = []
    if not text.strip():
        story.append(_p("(The output is empty.)", st.body))
        return story
    blocks = [
        (m.start(), m.end())
        for m in re.finditer(r"\S(?:.*?\S)?(?=\n[ \t]*\n|\s*\Z)", text, flags=re.DOTALL)
    ]
    # Plain lists and one search for all blocks: reading the arrays item by
    # item, block by block, cost more than marking the words.
    edges = np.array(blocks, dtype=np.int64).reshape(-1, 2)
    firsts = np.searchsorted(starts, edges[:, 0], side="left").tolist()
    lasts = np.searchsorted(starts, edges[:, 1], side="left").tolist()
    start_list: list[int] = starts.tolist()
    end_list: list[int] = ends.tolist()
    status_list: list[int] = status.tolist()
    for (b_start, b_end), first, last in zip(blocks, firsts, lasts, strict=True):
        local_starts = [x - b_start for x in start_list[first:last]]
        local_ends = [min(x, b_end) - b_start for x in end_list[first:last]]
        markers = {
            k - first: labels[k]
            for k in labelled[
                bisect.bisect_left(labelled, first) : bisect.bisect_left(labelled, last)
            ]
        }
        pieces = marked_pieces(
            text[b_start:b_end],
            local_starts,
            local_ends,
            status_list[first:last],
            markers=markers,
        )
        story.append(paragraphs.paragraph(pieces, keep_lines=True))
    return story


# --------------------------------------------------------------------------- reproducibility


def equivalent_command(c: Comparison, report_name: str) -> list[str]:
    p = c.parameters
    d = Parameters()
    cmd = ["memdiff", "compare", c.original.name, c.suspect.name, "--mode", c.mode]
    cmd += [
        "--min-words",
        str(p.min_words),
        "--near" if p.near else "--no-near",
        "--min-similarity",
        f"{p.min_similarity:g}",
    ]
    for flag, value, default in (
        ("nfkc", p.unicode_nfkc, d.unicode_nfkc),
        ("casefold", p.casefold, d.casefold),
        ("unify-quotes", p.unify_quotes, d.unify_quotes),
        ("ignore-punctuation", p.ignore_punctuation, d.ignore_punctuation),
        ("join-hyphenation", p.join_hyphenation, d.join_hyphenation),
        ("ignore-running-heads", p.ignore_running_heads, d.ignore_running_heads),
    ):
        if value != default:
            cmd.append(f"--{flag}" if value else f"--no-{flag}")
    if p.language != d.language:
        cmd += ["--language", p.language]
    cmd += ["--report", report_name]
    return cmd


def reproducibility(
    comparisons: Sequence[Comparison],
    command: list[str] | None,
    report_name: str,
    report_date: str,
    st: Styles,
    outline: Outline,
    width: float,
    *,
    digests: Sequence[str] | None = None,
) -> list[Any]:
    """The appendix; ``digests`` are the comparisons' findings digests when already made (each is a full serialisation)."""
    first = comparisons[0]
    if digests is None:
        digests = [c.findings_digest() for c in comparisons]
    story: list[Any] = [PageBreak(), outline.heading("Reproducibility", st.h1, 0)]
    story.append(
        _p(
            "Anyone with the same input files and the same version of memdiff obtains the same findings. The "
            "command below reproduces this report; "
            f"<font face='MemdiffMono'>memdiff verify {markup(report_name)} ORIGINAL OUTPUT</font> reads the record "
            "stored in this PDF’s metadata, checks the inputs’ SHA-256 digests, runs the comparison again and "
            "compares the findings digest.",
            st.body,
        )
    )
    story.append(_p("Command", st.h3))
    if command:
        story.append(_p(markup(shlex.join(command), base=MONO), st.code))
    else:
        if len(comparisons) == 1:
            story.append(
                _p(
                    "No command line was recorded (the report was made from the graphical application). "
                    "This command gives the same findings:",
                    st.body,
                )
            )
            story.append(
                _p(markup(shlex.join(equivalent_command(first, report_name)), base=MONO), st.code)
            )
        else:
            story.append(
                _p(
                    "No command line was recorded (the report was made from the graphical application).",
                    st.body,
                )
            )
    story.append(_p("Parameters", st.h3))
    story.append(
        _p(
            markup(json.dumps(first.parameters.to_dict(), indent=None, sort_keys=False), base=MONO),
            st.code,
        )
    )
    story.append(_p("Inputs and findings digests", st.h3))
    story.append(
        _p(
            "The findings digest is the SHA-256 of the canonical JSON (sorted keys, no spaces, UTF-8) of the "
            "summary figures and every span or region, exactly as in the result file beside this report.",
            st.body,
        )
    )
    rows: list[tuple[str, Any]] = [
        ("Original", monospace(f"{first.original.sha256}") + f"<br/>{markup(first.original.name)}")
    ]
    for n, c in enumerate(comparisons, start=1):
        label = "Model output" if len(comparisons) == 1 else f"Output {n}"
        rows.append((label, monospace(c.suspect.sha256) + f"<br/>{markup(c.suspect.name)}"))
        rows.append(
            (
                f"Findings digest{'' if len(comparisons) == 1 else f' {n}'}",
                monospace(digests[n - 1]),
            )
        )
    story.append(key_value_table(rows, st, width=width, key_width=1.4 * inch))
    story.append(Spacer(1, 6))
    story.append(
        key_value_table(
            [
                ("memdiff version", markup(first.tool_version)),
                ("Analysis run", markup(first.created)),
                ("Report date", markup(report_date)),
                (
                    "Result file",
                    markup(report_name.rsplit(".", 1)[0] + ".json") + " (beside this report)",
                ),
            ],
            st,
            width=width,
            key_width=1.4 * inch,
        )
    )
    return story


# --------------------------------------------------------------------------- batch


def batch_summary(
    original: DocumentRecord,
    comparisons: Sequence[Comparison],
    st: Styles,
    outline: Outline,
    width: float,
) -> list[Any]:
    story: list[Any] = [outline.heading("Summary of findings", st.h1, 0)]
    with_spans = sum(1 for c in comparisons if _found_something(c))
    story.append(
        _p(
            f"memdiff compared {plural(len(comparisons), 'model output')} with the original "
            f"“{markup(original.name)}”. In {with_spans:,} of them it found reproduced passages or matching image "
            "content; one row per output below, and one findings section per output after the method.",
            st.body,
        )
    )
    story.append(
        _p(
            "These figures are measurements of shared wording or shared image content. Whether they amount to "
            "copying in law, or to an infringement, is not a question this report answers.",
            st.body,
        )
    )
    rows = []
    for n, c in enumerate(comparisons, start=1):
        if c.mode == "text":
            s: TextSummary = c.summary  # type: ignore[assignment]
            rows.append(
                [
                    str(n),
                    markup(c.suspect.name),
                    percent(s.suspect_coverage),
                    percent(s.exact_suspect_coverage),
                    f"{s.longest_span_words:,}",
                    f"{s.span_count:,}",
                    _text_verdict(c),
                ]
            )
        else:
            i: ImageSummary = c.summary  # type: ignore[assignment]
            rows.append(
                [
                    str(n),
                    markup(c.suspect.name),
                    percent(i.matched_fraction_of_suspect),
                    "–",
                    "–",
                    f"{len(c.regions):,}",
                    markup(i.verdict),
                ]
            )
    widths = [0.3 * inch, 1.55 * inch, 0.8 * inch, 0.8 * inch, 0.75 * inch, 0.6 * inch]
    widths.append(width - sum(widths))
    story.append(
        grid_table(
            ["#", "Output", "Coverage", "Verbatim", "Longest span (words)", "Spans", "Finding"],
            rows,
            st,
            widths,
        )
    )
    return story


def _found_something(c: Comparison) -> bool:
    if c.mode == "text":
        return bool(c.spans)
    return bool(getattr(c.summary, "match", False))


def _text_verdict(c: Comparison) -> str:
    s: TextSummary = c.summary  # type: ignore[assignment]
    if not s.span_count:
        return "no span found"
    if not s.common_phrase_spans:
        return f"{plural(s.span_count, 'span')}, none flagged as a common phrase"
    return f"{plural(s.span_count, 'span')}, {s.common_phrase_spans:,} flagged as common phrases"


def output_block_heading(n: int, c: Comparison) -> str:
    return f"Output {n}: {c.suspect.name}"


def batch_output_summary(c: Comparison, st: Styles, width: float) -> list[Any]:
    sentences = text_summary_sentences(c) if c.mode == "text" else image_summary_sentences(c)
    rows = text_figures_rows(c) if c.mode == "text" else image_figures_rows(c)
    return [
        _p(" ".join(sentences), st.body),
        key_value_table([(k, markup(v)) for k, v in rows], st, width=width, key_width=2.4 * inch),
        Spacer(1, 6),
    ]


def keep(flowables: list[Any]) -> KeepTogether:
    return KeepTogether(flowables)

"""The report's sections, each a function from the finished findings to a list of flowables.

Every sentence states a measurement or how it was made. Nothing here decides
a legal question (no "infringes", no "plagiarised"), and nothing is invented
when a front-matter or provenance field is empty: the field is left out.
"""

from __future__ import annotations

import bisect
import importlib.metadata
import json
import os
import platform
import re
import shlex
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from reportlab.lib.units import inch
from reportlab.pdfbase.pdfmetrics import stringWidth
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
    fixed_moment,
    longest_spans_sentence,
    page_range,
    percent_text,
    printed_pages,
    size_text,
)
from memdiff.report import validation
from memdiff.report.bidi import has_right_to_left
from memdiff.report.marking import Alignment, align_all, marked_pieces, output_word_status
from memdiff.report.pdf import ContinuedText, Heading, case_label, exhibit_label
from memdiff.report.sidebyside import SideBySide
from memdiff.report.styles import (
    GRID,
    HEADER_GROUND,
    MONO,
    Styles,
    copied,
    different,
    drawing_caveats,
    markup,
    monospace,
    table_style,
)
from memdiff.text import hyphenations, matching_text, uncompared
from memdiff.text.chance import COMMON_PHRASE_BITS, UNDETERMINED
from memdiff.text.normalize import NO_HYPHENATION, Hyphenation, Vocabulary


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
    #: The file the prompt was read from (its name only) and the SHA-256 of its bytes; empty when typed in.
    prompt_file: str = ""
    prompt_sha256: str = ""

    def is_empty(self) -> bool:
        return not (
            self.model
            or self.prompt
            or self.prompt_file
            or self.generated_on
            or self.attempts is not None
            or self.sampling
        )


#: Points left below a table, so that the heading after it does not sit on its last rule.
TABLE_GAP = 8

DEFAULT_TITLE = "Comparison of a model output with an original work"
DEFAULT_BATCH_TITLE = "Comparison of model outputs with an original work"


# --------------------------------------------------------------------------- small formatting


def words(n: int | None) -> str:
    return "–" if n is None else f"{n:,}"


def pages_text(pages: tuple[int, ...] | None, labels: tuple[str, ...] = ()) -> str:
    """Pages as positions in the PDF file, counted from its first page; first, when the PDF gives its pages
    numbers of their own (page labels), the numbers printed on them: "page 42 (PDF page 56)"."""
    if not pages:
        return ""
    many = len(pages) > 1
    in_file = f"PDF pages {pages[0]}–{pages[-1]}" if many else f"PDF page {pages[0]}"
    printed = printed_pages(labels, pages)
    if printed is None:
        return in_file
    return f"{'pages' if many else 'page'} {printed} ({in_file})"


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
    table = Table(
        data, colWidths=[key_width, width - key_width], hAlign="LEFT", spaceAfter=TABLE_GAP
    )
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
    table = Table(data, colWidths=list(widths), repeatRows=1, hAlign="LEFT", spaceAfter=TABLE_GAP)
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


#: A table cell's padding left and right (reportlab's default, which grid_table keeps).
CELL_PADDING = 6.0


def row_number_width(rows: int, st: Styles) -> float:
    """A "#" column wide enough for the largest row number on one line.

    Rows are cited by number: "1" over "4" in a narrow column can be read as
    two rows. Every digit has the same width in the face, so the widest
    number has the most digits.
    """
    digits = "8" * len(str(max(1, rows)))
    text = max(
        stringWidth(digits, st.cell.fontName, st.cell.fontSize),
        stringWidth("#", st.cell_bold.fontName, st.cell_bold.fontSize),
    )
    return max(0.3 * inch, text + 2 * CELL_PADDING + 2)


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


# --------------------------------------------------------------------------- dates

#: Said beside a date that SOURCE_DATE_EPOCH fixed: the date is then not when the work was done.
FIXED_DATE_NOTE = "date fixed by SOURCE_DATE_EPOCH for a reproducible file, not read from the clock"


def dates_fixed() -> bool:
    """True when SOURCE_DATE_EPOCH fixes the report's dates (read as evidence.fixed_moment reads it)."""
    return bool(os.environ.get("SOURCE_DATE_EPOCH", "").strip())


def report_date_text(report_date: str) -> str:
    """The report's date, with the note that it is fixed when SOURCE_DATE_EPOCH set it."""
    return f"{report_date} ({FIXED_DATE_NOTE})" if dates_fixed() else report_date


def analysis_date_text(created: str) -> str:
    """When the comparison ran, with the note when its date is the one SOURCE_DATE_EPOCH fixes.

    A result made earlier without the variable keeps its real date; only a
    date equal to the fixed moment is one the variable can have set.
    """
    if dates_fixed() and created == fixed_moment().strftime("%Y-%m-%dT%H:%M:%SZ"):
        return f"{created} ({FIXED_DATE_NOTE})"
    return created


# --------------------------------------------------------------------------- front matter


def front_matter(front: FrontMatter, title: str, report_date: str, st: Styles) -> list[Any]:
    story: list[Any] = []
    if front.court:
        story.append(_p(markup(front.court.upper()), st.caption_court))
    if front.case_title:
        story.append(_p(markup(front.case_title), st.caption))
    if front.case_number.strip():
        story.append(_p(markup(case_label(front.case_number)), st.caption))
    if front.exhibit.strip():
        # As in every page's header, letter for letter: an exhibit label is an identifier.
        story.append(_p(markup(exhibit_label(front.exhibit)), st.exhibit))
    elif story:
        story.append(Spacer(1, 14))
    story.append(_p(markup(title), st.title))
    byline = []
    if front.examiner:
        byline.append(f"Prepared by {markup(front.examiner)}")
    byline.append(f"Report date {markup(report_date_text(report_date))}")
    story.append(_p(" · ".join(byline), st.caption))
    if front.confidentiality:
        story.append(Spacer(1, 6))
        story.append(_p(markup(front.confidentiality), st.legend))
    story.append(Spacer(1, 14))
    return story


# --------------------------------------------------------------------------- summary


@dataclass(frozen=True)
class Nesting:
    """How the spans' ranges in the output lie in one another, by span id.

    A near-verbatim span is built from verbatim runs that are reported as
    spans too, so the same output text can belong to several spans. Ranges
    that are equal count as the lower-numbered span holding the other.
    """

    inside: dict[int, tuple[int, ...]]
    contains: dict[int, tuple[int, ...]]
    overlaps: dict[int, tuple[int, ...]]

    def nested_count(self) -> int:
        """Spans lying wholly inside another span."""
        return sum(1 for ids in self.inside.values() if ids)


def span_nesting(spans: Sequence[Span]) -> Nesting:
    """Which spans lie inside, hold or partly overlap which others, in the output (suspect) text."""
    inside: dict[int, list[int]] = {s.id: [] for s in spans}
    contains: dict[int, list[int]] = {s.id: [] for s in spans}
    overlaps: dict[int, list[int]] = {s.id: [] for s in spans}
    order = sorted(spans, key=lambda s: (s.suspect.start, -s.suspect.end, s.id))
    # The spans still open where the next one starts: a few at most, so the sweep stays linear.
    open_spans: list[Span] = []
    for span in order:
        start, end = span.suspect.start, span.suspect.end
        open_spans = [o for o in open_spans if o.suspect.end > start]
        for other in open_spans:
            if other.suspect.end >= end:
                inside[span.id].append(other.id)
                contains[other.id].append(span.id)
            else:
                overlaps[span.id].append(other.id)
                overlaps[other.id].append(span.id)
        open_spans.append(span)

    def frozen(d: dict[int, list[int]]) -> dict[int, tuple[int, ...]]:
        return {k: tuple(sorted(v)) for k, v in d.items()}

    return Nesting(frozen(inside), frozen(contains), frozen(overlaps))


def id_list(ids: Sequence[int], *, most: int = 8) -> str:
    """Span numbers in words: "span 4", "spans 4 and 6", "spans 4, 6 and 9" (at most ``most`` listed)."""
    shown = [str(i) for i in ids[:most]]
    if len(ids) > most:
        shown.append(f"{len(ids) - most:,} more")
    if len(shown) == 1:
        return f"span {shown[0]}"
    return f"spans {', '.join(shown[:-1])} and {shown[-1]}"


def identical_files(c: Comparison) -> bool:
    return c.original.sha256 == c.suspect.sha256


IDENTICAL_FILES = "The two files are identical byte for byte: they have the same SHA-256 digest."


def compared_words(c: Comparison) -> tuple[int, int]:
    """The output's and the original's words as this comparison counted them (what coverage divides by).

    They differ from the files' own counts when a setting changes what a
    word is (hyphen-broken words not joined, running heads kept); a result
    written before they were recorded falls back to the files' counts.
    """
    s: TextSummary = c.summary  # type: ignore[assignment]
    out_words = s.suspect_words if s.suspect_words is not None else c.suspect.words or 0
    orig_words = s.original_words if s.original_words is not None else c.original.words or 0
    return out_words, orig_words


def text_summary_sentences(c: Comparison) -> list[str]:
    """The findings in plain words: facts and figures only."""
    s: TextSummary = c.summary  # type: ignore[assignment]
    p = c.parameters
    out_words, orig_words = compared_words(c)
    sentences = [
        (
            f"memdiff compared the model output “{markup(c.suspect.name)}” ({plural(out_words, 'word')}) with the "
            f"original “{markup(c.original.name)}” ({plural(orig_words, 'word')})."
        )
    ]
    if (out_words, orig_words) != (c.suspect.words or 0, c.original.words or 0):
        sentences.append(
            "These word counts are as compared under this comparison’s settings; the Inputs section gives each "
            "file’s own count."
        )
    if identical_files(c):
        sentences.append(IDENTICAL_FILES)
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
            f"{plural(s.suspect_words_in_exact_spans, 'word')} ({percent_text(s.exact_suspect_coverage)}) in "
            f"{plural(s.exact_span_count, 'verbatim span')} (identical after normalisation)"
        )
    ]
    if p.near:
        parts.append(
            f"{plural(s.near_span_count, 'near-verbatim passage')} (word similarity at least {p.min_similarity:.2f})"
        )
    sentences.append(
        f"{s.suspect_words_in_spans:,} of the output’s {out_words:,} words ({percent_text(s.suspect_coverage)}) lie in "
        f"passages that also appear in the original: " + ", and ".join(parts) + "."
    )
    nested = span_nesting(c.spans).nested_count()
    if nested:
        sentences.append(
            f"Of the {plural(s.span_count, 'span')}, {nested:,} {'lies' if nested == 1 else 'lie'} wholly inside "
            f"another span and {'shows' if nested == 1 else 'show'} part of its text again (each span’s heading "
            f"names the spans it holds or lies in); {s.span_count - nested:,} "
            f"{'lies' if s.span_count - nested == 1 else 'lie'} inside no other span. Coverage counts each output "
            "word once."
        )
    sentences.append(
        f"These passages correspond to {s.original_words_in_spans:,} of the original’s {orig_words:,} words "
        f"({percent_text(s.original_coverage)}). " + longest_spans_sentence(c)
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
    out_words, orig_words = compared_words(c)
    spans_found = (
        f"{s.span_count:,} ({s.exact_span_count:,} verbatim, {s.near_span_count:,} near-verbatim)"
    )
    nested = span_nesting(c.spans).nested_count()
    if nested:
        spans_found += f"; {nested:,} of them inside another span"
    rows = [
        (
            "Output words in reproduced passages",
            f"{s.suspect_words_in_spans:,} of {out_words:,} ({percent_text(s.suspect_coverage)})",
        ),
        (
            "… of which in verbatim spans",
            f"{s.suspect_words_in_exact_spans:,} ({percent_text(s.exact_suspect_coverage)})",
        ),
        (
            "Original words in reproduced passages",
            f"{s.original_words_in_spans:,} of {orig_words:,} ({percent_text(s.original_coverage)})",
        ),
        ("Spans found", spans_found),
    ]
    rows += _longest_rows(c)
    rows.append(("Spans flagged as common phrases", f"{s.common_phrase_spans:,}"))
    bits = sorted(span.chance.bits for span in c.spans)
    if bits:
        rows.append(
            (
                "Chance estimate per span",
                f"lowest {bits[0]:,.1f} bits, median {statistics.median(bits):,.1f} bits, highest {bits[-1]:,.1f} bits",
            )
        )
    rows.append(
        (
            "Word-frequency table",
            "none for this text’s script (language recorded as “und”)"
            if s.language == UNDETERMINED
            else s.language or "–",
        )
    )
    if identical_files(c):
        rows.insert(0, ("Files", "identical byte for byte (same SHA-256)"))
    return rows


def _longest_rows(c: Comparison) -> list[tuple[str, str]]:
    """Two rows, each naming its own span: the longest in words and the longest in characters."""
    s: TextSummary = c.summary  # type: ignore[assignment]
    by_words = next((x for x in c.spans if x.words == s.longest_span_words), None)
    by_chars = next(
        (x for x in c.spans if x.suspect.end - x.suspect.start == s.longest_span_characters), None
    )
    if by_words is None or by_chars is None:
        return [
            ("Longest span in words", plural(s.longest_span_words, "word")),
            ("Longest span in characters", plural(s.longest_span_characters, "character")),
        ]
    return [
        (
            "Longest span in words",
            (
                f"{plural(by_words.words, 'word')} (span {by_words.id}, "
                f"{plural(by_words.suspect.end - by_words.suspect.start, 'character')})"
            ),
        ),
        (
            "Longest span in characters",
            (
                f"{plural(s.longest_span_characters, 'character')} (span {by_chars.id}, "
                f"{plural(by_chars.words, 'word')})"
            ),
        ),
    ]


def image_summary_sentences(c: Comparison) -> list[str]:
    s: ImageSummary = c.summary  # type: ignore[assignment]
    o, q = c.original, c.suspect
    sentences = [
        (
            f"memdiff compared the image “{markup(q.name)}” ({q.width}×{q.height} pixels) with the original image "
            f"“{markup(o.name)}” ({o.width}×{o.height} pixels)."
        )
    ]
    if identical_files(c):
        sentences.append(IDENTICAL_FILES)
    sentences.append(
        f"Result category: <b>{markup(s.verdict)}</b>. "
        f"{percent_text(s.matched_fraction_of_suspect)} of the output image and {percent_text(s.matched_fraction_of_original)} "
        "of the original image lie in regions that match after alignment."
    )
    if s.transform:
        sentences.append(f"Alignment found: {markup(transform_text(s.transform))}.")
    if s.orientation and s.orientation != "as given":
        sentences.append(f"Orientation: {markup(s.orientation)}.")
    sentences.append(verdict_definition(s))
    if s.hashes:
        sentences.append(
            "The hash distances below compare the whole pictures: a crop, a border or a mirror image raises them "
            "even where content is shared (see Hash distances)."
        )
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
        ("Result category", s.verdict),
        ("Matched fraction of output image", percent_text(s.matched_fraction_of_suspect)),
        ("Matched fraction of original image", percent_text(s.matched_fraction_of_original)),
        ("Alignment", transform_text(s.transform) if s.transform else "no alignment found"),
        ("Matched regions", f"{len(c.regions):,}"),
    ]
    if s.inliers:
        rows.append(("Matched feature points (inliers)", f"{s.inliers:,}"))
    if s.thresholds.get("comparison_method"):
        rows.append(("Comparison method", str(s.thresholds["comparison_method"])))
    this_way, other_way = orientation_names(s)
    for name in sorted(s.hashes):
        h = s.hashes[name]
        value = f"{h.get('distance')} of {h.get('bits')} bits, output {this_way}"
        if h.get("other_orientation_distance") is not None:
            value += f"; {h['other_orientation_distance']} {other_way}"
        rows.append((f"{name} distance", value))
    if identical_files(c):
        rows.insert(0, ("Files", "identical byte for byte (same SHA-256)"))
    return rows


def orientation_names(s: ImageSummary) -> tuple[str, str]:
    """The orientation the hashes were compared in, and the other one ("as given" or "mirrored")."""
    this_way = "mirrored" if s.orientation == "mirrored" else "as given"
    return this_way, ("as given" if this_way == "mirrored" else "mirrored")


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
        if r.page_labels:
            rows.append(
                ("Numbers printed on the pages (page labels)", markup(label_ranges(r.page_labels)))
            )
        rows.append(("Characters (extracted text)", words(r.characters)))
        rows.append(("Words", words(r.words)))
        if r.encoding:
            rows.append(("Text encoding", markup(r.encoding)))
    rows.append(("SHA-256", monospace(r.sha256)))
    for note in r.notes:
        rows.append(("Note", markup(note)))
    return rows


# A roman numeral is a number only as a word of its own ("A-xii", not the x of "Appendix").
_NUMBERED_LABEL = re.compile(
    r"(?P<prefix>.*?)(?P<number>[0-9]+)|(?P<rprefix>(?:.*[^A-Za-z])?)(?P<roman>[ivxlcdm]+|[IVXLCDM]+)"
)
_ROMAN = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
#: The most runs of page numbers shown; a PDF numbering every chapter afresh would fill a page.
_MOST_LABEL_RUNS = 8


def _label_value(label: str) -> tuple[str, str, int] | None:
    """(prefix, kind of number, value) of a label ending in a number: "A-3" is ("A-", "0", 3), "xiv" ("", "i", 14)."""
    match = _NUMBERED_LABEL.fullmatch(label)
    if match is None:
        return None
    if match["number"] is not None:
        return match["prefix"], "0", int(match["number"])
    prefix, digits = match["rprefix"], match["roman"]
    values = [_ROMAN[ch] for ch in digits.lower()]
    value = sum(
        -v if n + 1 < len(values) and v < values[n + 1] else v for n, v in enumerate(values)
    )
    return prefix, "i" if digits.islower() else "I", value


def label_ranges(labels: tuple[str, ...]) -> str:
    """A PDF's page labels as runs: "i–xiv, 1–298, A-1 to A-12" (a page without a number shows as "–")."""
    runs: list[list[str]] = []
    previous: tuple[str, str, int] | None = None
    for label in labels:
        value = _label_value(label)
        follows = (
            value is not None
            and previous is not None
            and value[:2] == previous[:2]
            and value[2] == previous[2] + 1
        )
        if follows:
            runs[-1][1] = label
        else:
            runs.append([label or "–", ""])
        previous = value
    shown = [page_range(first, last) if last else first for first, last in runs[:_MOST_LABEL_RUNS]]
    if len(runs) > _MOST_LABEL_RUNS:
        shown.append(f"and {len(runs) - _MOST_LABEL_RUNS:,} more runs")
    return ", ".join(shown)


def _inputs_opening(
    original: DocumentRecord, st: Styles, outline: Outline, width: float
) -> list[Any]:
    """The Inputs heading, what the digests mean, and the original's table: shared by both kinds of report.

    Kept on one page: the heading and its sentence alone at a page's foot,
    the table on the next, read as a section without content.
    """
    return [
        KeepTogether(
            [
                outline.heading("Inputs", st.h1, 0),
                _p(
                    "Each file was read without being changed. Its SHA-256 digest identifies its exact bytes: any "
                    "change to the file, however small, gives a different digest.",
                    st.body,
                ),
                _p("Original work", st.h3),
                key_value_table(_record_rows(original), st, width=width),
            ]
        )
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
    number_w = row_number_width(len(comparisons), st)
    rows = []
    for n, c in enumerate(comparisons, start=1):
        q = c.suspect
        rows.append(
            [
                str(n),
                f"{markup(q.name)}<br/>{markup(q.media_type)}",
                "<br/>".join([size_text(q.size_bytes).split(" (")[0], *_extent(q)]),
                _p(markup(q.sha256[:32]) + "<br/>" + markup(q.sha256[32:]), st.cell_mono),
            ]
        )
    story.append(
        grid_table(
            ["#", "File and media type", "Size, pages or pixels", "SHA-256"],
            rows,
            st,
            [number_w, 2.0 * inch, 1.15 * inch, width - 3.15 * inch - number_w],
        )
    )
    return story


def _extent(r: DocumentRecord) -> list[str]:
    """A file's pages and words, or its pixel size, in a few words each (for the batch table)."""
    if r.width is not None:
        return [f"{r.width} × {r.height} pixels"]
    pages = "no pages" if r.pages is None else plural(r.pages, "page")
    return [pages, plural(r.words or 0, "word")]


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
    if prov.prompt_file:
        rows.append(("Prompt file", f"“{markup(prov.prompt_file)}”"))
        if prov.prompt_sha256:
            # The digest names the file's exact bytes, as for the inputs.
            rows.append(("SHA-256 of the prompt file", monospace(prov.prompt_sha256)))
    if not prov.prompt.strip() and (prov.prompt_file or prov.prompt):
        # An empty prompt (unconditional generation) is a fact, not a missing statement.
        rows.append(("Prompt", _empty_prompt_text(prov)))
    if rows:
        # The key column as in Inputs: a SHA-256 digest fits its line on Letter and A4.
        story.append(key_value_table(rows, st, width=width, key_width=1.7 * inch))
    if prov.prompt.strip():
        prompt: list[Any] = [_p("Prompt", st.h3)]
        for block in _blocks(prov.prompt):
            if has_right_to_left(block):
                # Broken into lines before each line is put in visual order.
                prompt.append(st.fragments(st.quote).paragraph([("plain", block)], keep_lines=True))
            else:
                prompt.append(_p(markup(block, keep_lines=True), st.quote))
            prompt.append(Spacer(1, 4))
        # A long prompt runs over pages: never a line alone on one, and "(continued)" where it goes on.
        story.append(ContinuedText(prompt, lambda: _p("Prompt (continued)", st.h3)))
    return story


def _empty_prompt_text(prov: Provenance) -> str:
    what = "holds no text" if not prov.prompt else "holds only white space, no visible text"
    if prov.prompt_file:
        return f"The prompt was empty: the prompt file “{markup(prov.prompt_file)}” {what}."
    return f"The prompt was empty: it {what}."


def _blocks(text: str) -> list[str]:
    """Paragraph-sized pieces of a text (split at blank lines), so no piece is a page-sized cell."""
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

TEXT_LITERATURE = (
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
)

IMAGE_LITERATURE = (
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


def method(
    c: Comparison, st: Styles, outline: Outline, width: float, *, batch: bool = False
) -> list[Any]:
    """The Method section; in a batch (``batch=True``) what one comparison measured is left to its own section."""
    story: list[Any] = [outline.heading("Method", st.h1, 0)]
    if c.mode == "text":
        story.extend(_text_method(c, st))
    else:
        story.extend(_image_method(c, st, batch=batch))

    if c.mode == "text":
        story.extend(_text_parameters(c, st, width))
    else:
        story.extend(_image_parameters(c, st, width, measured=not batch))

    story.append(_p("Validation", st.h3))
    study = validation.load_study()  # read once: the file is large
    for line in validation.paragraphs(c, study):
        story.append(_p(markup(line), st.body))
    unmeasured = unmeasured_language(c, study)
    if unmeasured:
        story.append(_p(markup(unmeasured), st.body))

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
    table = Table(
        data,
        colWidths=[1.9 * inch, width / 2 - 1.9 * inch] * 2,
        hAlign="LEFT",
        spaceAfter=TABLE_GAP,
    )
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

    if c.mode == "text":
        story.append(_p("Literature the thresholds come from", st.h3))
        references = TEXT_LITERATURE
    else:
        # The image thresholds come from memdiff's own calibration study (see Validation);
        # the literature is where the approach comes from.
        story.append(_p("Literature the method follows", st.h3))
        references = IMAGE_LITERATURE
    for ref in references:
        story.append(Paragraph(markup(ref), st.bullet, bulletText="•"))

    story.append(_p("Known limits", st.h3))
    for limit in _TEXT_LIMITS if c.mode == "text" else _IMAGE_LIMITS:
        story.append(Paragraph(markup(limit), st.bullet, bulletText="•"))
    return story


#: English names of the languages wordfreq has tables for (the codes a result records).
LANGUAGE_NAMES = {
    "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan", "cs": "Czech", "da": "Danish",
    "de": "German", "el": "Greek", "en": "English", "es": "Spanish", "fa": "Persian", "fi": "Finnish",
    "fil": "Filipino", "fr": "French", "he": "Hebrew", "hi": "Hindi", "hu": "Hungarian", "id": "Indonesian",
    "is": "Icelandic", "it": "Italian", "ja": "Japanese", "ko": "Korean", "lt": "Lithuanian", "lv": "Latvian",
    "mk": "Macedonian", "ms": "Malay", "nb": "Norwegian Bokmål", "nl": "Dutch", "pl": "Polish",
    "pt": "Portuguese", "ro": "Romanian", "ru": "Russian", "sh": "Serbo-Croatian", "sk": "Slovak",
    "sl": "Slovenian", "sv": "Swedish", "ta": "Tamil", "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu",
    "vi": "Vietnamese", "zh": "Chinese",
}  # fmt: skip


def unmeasured_language(c: Comparison, study: dict[str, Any] | None) -> str:
    """A sentence when the text's language is not one the validation study measured; "" otherwise.

    The study's error rates were measured on texts in a few languages; a
    reader of a Japanese or Hebrew report must not take them as measured on
    such text.
    """
    if c.mode != "text" or study is None:
        return ""
    design = study.get("design")
    measured = design.get("languages") if isinstance(design, dict) else None
    language = getattr(c.summary, "language", "") or ""
    if not isinstance(measured, list) or not measured or not language or language in measured:
        return ""
    names = [LANGUAGE_NAMES.get(str(code), str(code)) for code in measured]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    name = LANGUAGE_NAMES.get(language)
    if language == UNDETERMINED:
        return (
            f"The validation study measured texts in {listed} only. This comparison’s text is in a script memdiff "
            "has no word-frequency table for, which the study did not measure: its error rates are not known to "
            "hold for this text."
        )
    stated = (
        f"{name} ({language}, the language of its word-frequency table)"
        if name
        else f"the language of its word-frequency table, “{language}”"
    )
    return (
        f"The validation study measured texts in {listed} only. This comparison’s text is in {stated}, a "
        "language the study did not measure: its error rates are not known to hold for this text."
    )


def _name_column(names: Sequence[str], st: Styles) -> float:
    """A column wide enough for the longest setting name on one line (names do not break mid-word)."""
    longest = max((stringWidth(n, MONO, st.cell.fontSize) for n in names), default=0.0)
    return max(1.3 * inch, longest + 14)


def _settings_table(
    rows: Sequence[tuple[str, Any, str]], st: Styles, width: float, header: Sequence[str]
) -> Table:
    name_w = _name_column([r[0] for r in rows], st)
    value_w = 0.9 * inch
    return grid_table(
        header,
        [[monospace(k), markup(_format_value(v)), markup(m)] for k, v, m in rows],
        st,
        [name_w, value_w, width - name_w - value_w],
    )


def _heading_with_table(title: str, table: Table, st: Styles, rows_kept: int = 4) -> list[Any]:
    """A small heading and the table it introduces: a page break first only when not even a few rows fit.

    The heading style keeps with the next flowable, which moves a whole
    page-long table (and its heading) to the next page, leaving the page
    before mostly blank; here the table may split, its header row repeating.
    """
    heading = _p(title, st.h3)
    heading.keepWithNext = 0
    room = st.h3.spaceBefore + st.h3.leading + st.h3.spaceAfter + (rows_kept + 1) * 22
    return [_RoomFor(room), heading, table]


def _text_parameters(c: Comparison, st: Styles, width: float) -> list[Any]:
    rows = [(k, v, PARAMETER_MEANINGS.get(k, "")) for k, v in c.parameters.to_dict().items()]
    rows.append(
        (
            "common_phrase_bits",
            f"{COMMON_PHRASE_BITS:g}",
            "spans with a lower chance estimate are flagged as common phrases",
        )
    )
    return _heading_with_table(
        "Parameters", _settings_table(rows, st, width, ["Parameter", "Value", "Meaning"]), st
    )


#: Image settings that are not settings: what the comparison measured, and where the thresholds come from.
_NOT_SETTINGS = IMAGE_MEASUREMENTS | {"calibration"}

IMAGE_THRESHOLD_MEANINGS = {
    "min_inliers": "a match needs at least this many keypoint pairs that fit the alignment (RANSAC inliers)",
    "min_textured_tiles": "a match needs at least this many textured tiles that agree after alignment",
    "min_textured_agreement": "a match needs at least this share of the covered textured tiles to agree",
    "min_matched_fraction": "a match needs at least this matched share of the output or of the original",
    "near_identical_fraction": (
        "a match is classed “near-identical” when both pictures are matched at least to this share, "
        "otherwise “partial copy”"
    ),
    "conclusive_fraction": (
        "a match covering this share of the output is final: the other orientation (as given or mirrored) "
        "is then not tried"
    ),
    "orientation_hint_bits": "the mirrored orientation is tried first when its pHash is at least this many bits closer",
    "tile_match": "a tile whose score (0 to 1) reaches this counts as matching",
    "tile_min_coverage": "a tile is scored only when the aligned output covers this share of it",
    "tile_min_edge_share": "a partial tile at the picture’s edge is scored only when it is at least this share of a tile",
    "tile_luminance_span": "difference of a tile’s mean brightness (grey levels) that brings its score to 0",
    "tile_texture_std": "a tile of the original is textured when its grey levels’ standard deviation exceeds this",
    "grid_long_side": "tiles along the original’s long side",
    "min_region_tiles": "smallest matched region reported, in tiles",
    "work_long_side": "keypoints are found on copies at most this many pixels long",
    "work_min_long_side": "smaller pictures are enlarged to this long side to find keypoints",
    "orb_features": "keypoints kept per picture (ORB detector)",
    "orb_levels": "scale levels of the ORB detector",
    "orb_fast_threshold": "corner threshold of the ORB detector (FAST)",
    "ratio_test": "a keypoint match is kept when its distance is below this share of the next best (ratio test)",
    "ransac_reprojection_px": "a keypoint pair fits the alignment when it lands within this many pixels (RANSAC)",
    "ransac_iterations": "RANSAC iterations",
    "ransac_seed": "seed of RANSAC’s random draws, fixed so that every run gives the same result",
    "direct_aspect_tolerance": (
        "direct comparison: largest difference of the two width-to-height ratios (as the logarithm of their "
        "quotient, plus a pixel’s rounding)"
    ),
    "direct_flat_spread": (
        "direct comparison: a picture whose tile means spread less than this (grey levels) is flat, and matches "
        "only when identical"
    ),
    "direct_min_layout_correlation": "direct comparison: lowest correlation of the tone layouts over the tiles",
    "direct_max_colour_residual": (
        "direct comparison: largest root-mean-square difference of the tiles’ mean colours (8-bit levels) "
        "after one shared brightness gain and offset"
    ),
    "direct_max_gain": "direct comparison: largest brightness gain allowed, either way",
    "hash_long_side": "pictures are reduced to this long side (pixels) before hashing",
    "whash_image_scale": "size (pixels) at which the wavelet hash is computed",
}

IMAGE_MEASUREMENT_MEANINGS = {
    "comparison_method": "the method that decided the result",
    "textured_matched_tiles": "textured tiles of the original that agree after the best alignment",
    "textured_covered_tiles": "textured tiles of the original that the aligned output covers",
    "direct_pixel_identical": "direct comparison: the pictures hold the same pixels",
    "direct_layout_correlation": "direct comparison: correlation of the tone layouts",
    "direct_colour_residual": "direct comparison: colour difference after the brightness fit (8-bit levels)",
    "direct_orientation": "direct comparison: orientation of the output",
}


def _image_parameters(
    c: Comparison, st: Styles, width: float, *, measured: bool = True
) -> list[Any]:
    s: ImageSummary = c.summary  # type: ignore[assignment]
    t = s.thresholds
    fixed = [
        (k, t[k], IMAGE_THRESHOLD_MEANINGS.get(k, "fixed image setting (see the result file)"))
        for k in t  # the engine's order: the decision thresholds first
        if k not in _NOT_SETTINGS
    ]
    measurements = [
        (k, t[k], IMAGE_MEASUREMENT_MEANINGS.get(k, "measured in this comparison"))
        for k in t
        if measured and k in IMAGE_MEASUREMENTS
    ]
    story: list[Any] = []
    story.extend(
        _heading_with_table(
            "Thresholds and settings",
            _settings_table(fixed, st, width, ["Setting", "Value", "Meaning"]),
            st,
        )
    )
    story.append(
        _p(
            "These values are fixed in this version of memdiff and are the same for every image comparison; the "
            "decision thresholds were chosen with memdiff’s image calibration study (see Validation). The text "
            "settings recorded in the result file play no part in an image comparison.",
            st.body,
        )
    )
    if measurements:
        story.extend(
            _heading_with_table(
                "Values measured in this comparison",
                _settings_table(measurements, st, width, ["Measurement", "Value", "Meaning"]),
                st,
            )
        )
    return story


def verdict_definition(s: ImageSummary) -> str:
    """What the result category means, in the measured thresholds it was decided with."""
    t = s.thresholds
    near = t.get("near_identical_fraction", 0.75)
    tests = (
        f"at least {t.get('min_inliers', '?')} keypoint pairs fit one alignment, at least "
        f"{t.get('min_textured_tiles', '?')} textured tiles agree after it and so do at least "
        f"{_share(t.get('min_textured_agreement'))} of the textured tiles it covers, and the matched area is at "
        f"least {_share(t.get('min_matched_fraction'))} of one of the pictures"
    )
    direct = str(t.get("comparison_method", "")).startswith("direct")
    if s.verdict == "near-identical" and direct:
        meaning = (
            "the pictures, too smooth for keypoints, were laid over each other whole and are identical pixel for "
            "pixel, or their tone layouts correlate at "
            f"{t.get('direct_min_layout_correlation', '?')} or more, their colours differ by at most "
            f"{t.get('direct_max_colour_residual', '?')} levels after one brightness fit, and at least "
            f"{_share(near)} of each picture matches tile by tile"
        )
    elif s.verdict == "near-identical":
        meaning = f"the match tests were passed ({tests}) and at least {_share(near)} of each picture is matched"
    elif s.verdict == "partial copy":
        meaning = (
            f"the match tests were passed ({tests}), and less than {_share(near)} of at least one of the pictures "
            "is matched"
        )
    elif s.verdict == "no match found":
        meaning = f"no alignment passed the match tests ({tests})" + (
            ", and the direct comparison of the whole pictures did not match either"
            if direct
            else ""
        )
    else:
        meaning = "see the thresholds in the Method section"
    return (
        f"“{markup(s.verdict)}” is the name memdiff gives this measured category: {meaning}. The name labels "
        "these measurements; it does not say how the output was made."
    )


def _share(x: Any) -> str:
    return f"{float(x):.0%}" if isinstance(x, (int, float)) else "?"


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
        applied.append(
            "words hyphenated across a line break joined (“repro-” “duction” as “reproduction”), unless the "
            "original writes that compound with its hyphen within a line (“rabbit-hole”), where its halves stay "
            "two words; the output’s hyphenated words are read as the original reads them (joined where it joined "
            "them across a line), and others by the compounds either text writes within a line"
        )
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
        " The JSON result file beside this report records a verbatim span as of kind “exact” and a "
        "near-verbatim passage as of kind “near”."
    )
    text += (
        " Coverage counts each output word once, however many spans contain it. The chance estimate of a span "
        "is the sum, over its words, of −log₂ of each word’s frequency in ordinary writing of the language "
        "(wordfreq tables): the probability that independently drawn words come out as this run is 2 to the "
        f"power of minus that figure. Spans under {COMMON_PHRASE_BITS:g} bits are flagged as common phrases."
    )
    if getattr(c.summary, "language", "") == UNDETERMINED:
        text += (
            " This text is written mostly in a script for which memdiff has no word-frequency table (its language "
            "is recorded as “und”, undetermined): each of its words was priced as a word the tables do not list, so "
            "its chance estimates overstate how unlikely each span is, and a phrase common in that language is not "
            "recognised as one."
        )
    return [_p(text, st.body)]


def _image_method(c: Comparison, st: Styles, *, batch: bool = False) -> list[Any]:
    t = c.summary.thresholds if isinstance(c.summary, ImageSummary) else {}
    near = _share(t.get("near_identical_fraction", 0.75))
    text = (
        "Both images are decoded to RGB pixels. memdiff computes perceptual hashes of each whole picture "
        "(average, difference, perceptual and wavelet hashes, and a colour hash) and reports the Hamming distance "
        "between the two pictures’ hashes: a small distance means the whole pictures look alike at a coarse "
        "scale. It then searches for a geometric alignment (scale, rotation, shift, mirroring) that maps the "
        "output image onto the original, compares the aligned images tile by tile, and reports the tiles and "
        "boxes whose content matches. The result is one of three measured categories, decided by the fixed "
        "thresholds listed below: a match needs an alignment that passes every match test (enough keypoint "
        "pairs fitting it, enough agreeing textured tiles, a high enough share of agreeing textured tiles, and a "
        f"large enough matched area); the output is then classed “near-identical” when at least {near} of each "
        "picture is matched, and “partial copy” otherwise; without a match it is classed “no match found”. "
        "These names label measurements; they do not say how the output was made."
    )
    smooth = (
        "A picture too smooth for keypoints (a sky, a gradient, a flat colour) cannot be aligned that way; then the "
        "output is laid over the whole original at the same size, as given and mirrored, and compared directly: "
        "the output is classed “near-identical” when the pixels are identical, or when the layout of tones "
        f"correlates at {t.get('direct_min_layout_correlation', 0.9)} or more, the colours differ by at most "
        f"{t.get('direct_max_colour_residual', 20.0)} levels after one brightness gain, and the matched share "
        f"of both pictures reaches {near}; otherwise “no match found”. A flat picture is classed "
        "“near-identical” only when identical. Crops and pastes of such pictures cannot be located."
    )
    if batch:
        smooth += " Each output’s section states the method that decided it."
    else:
        smooth += f" This comparison used {t.get('comparison_method', 'keypoint alignment')}."
    same_everywhere = (
        "The image figures do not depend on the computer that computes them: pictures are resized with "
        "Pillow’s fixed-point filters, the warp, blur and fit of the alignment are done in a fixed order of "
        "correctly rounded operations, and keypoints are taken in a fixed order with their orientations measured "
        "from whole-number moments. The same versions of memdiff and of the libraries listed under Software "
        "give every image figure again, exactly."
    )
    return [_p(text, st.body), _p(smooth, st.body), _p(same_everywhere, st.body)]


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
        "PDF stores out of reading order may be missing or out of order. A footnote at the foot of a PDF page comes, in "
        "the extracted text, between that page’s last line and the next page’s first, so a passage copied across "
        "that page break is reported as two spans (running heads and page numbers are left out and do not split it)."
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


def legend(st: Styles, *, page_labels: bool = False, page_edges: bool = False) -> Paragraph:
    """How to read the findings; ``page_labels`` when an input's PDF numbers its own pages, ``page_edges``
    when a span passes over a running head, foot or page number."""
    edges = (
        " A span that runs across a page break of a PDF passes over the page’s running head, running foot or "
        "page number (a short line repeated at the edge of the pages): that line is shown where it stands, "
        "in grey, and the span’s heading names it; it was left out of matching, so that the passage stays one "
        "span."
        if page_edges
        else ""
    )
    labels = (
        " Where the PDF gives its pages numbers of their own (page labels, such as roman numerals for the "
        "front matter), that number comes first: “page 42 (PDF page 56)”."
        if page_labels
        else ""
    )
    return _p(
        f"How to read this section: {copied('words shown in red and underlined')} occur in both the original and "
        f"the output (identical after normalisation). Inside near-verbatim passages, "
        f"{different('words in italics on a grey ground')} differ between the two sides. Text in neither style is "
        "not part of a reported span. Character positions refer to each file’s extracted text. A PDF page is "
        "the page’s position in the PDF file, counted from its first page; it can differ from the number "
        f"printed on the page.{labels}{edges}",
        st.body,
    )


def page_edge_lines(
    text: str, ranges: Sequence[tuple[int, int]], start: int, end: int
) -> list[str]:
    """The running heads, feet and page numbers (``ranges``, sorted, left out of matching) inside ``[start, end)``
    of ``text``."""
    lines = []
    for a, b in ranges[bisect.bisect_left(ranges, (start, -1)) :]:
        if a >= end:
            break
        if b <= end and text[a:b].strip():
            lines.append(" ".join(text[a:b].split()))
    return lines


_PAGE_NUMBER = re.compile(r"[0-9]+|[ivxlcdm]+|[IVXLCDM]+")


def _edge_line_text(line: str) -> str:
    kind = "page number" if _PAGE_NUMBER.fullmatch(line) else "running head or foot"
    return f"{kind} “{line}”"


def passed_over_text(side: str, lines: Sequence[str], *, most: int = 4) -> str:
    """ "the original’s running head or foot “AN ANTHOLOGY”, page number “4” left out of matching"."""
    shown = [_edge_line_text(line) for line in lines[:most]]
    if len(lines) > most:
        shown.append(f"{len(lines) - most:,} more")
    return f"the {side}’s {', '.join(shown)} left out of matching"


def span_heading_pieces(
    span: Span,
    *,
    continued: bool = False,
    nesting: Nesting | None = None,
    passed_over: tuple[Sequence[str], Sequence[str]] = ((), ()),
) -> list[tuple[str, str]]:
    """The line above a span: its number, kind, length, chance estimate, flags and the spans it holds or lies in.

    ``passed_over`` are the original's and the output's running heads, feet
    and page numbers inside the span: shown where they stand, unmarked, and
    named here, so that no one takes them for words of the passage.
    """
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
    if nesting is not None:
        # The same output text shown again under another number: say so where it is shown.
        if nesting.contains.get(span.id):
            pieces.append(f"contains {id_list(nesting.contains[span.id])}")
        if nesting.inside.get(span.id):
            pieces.append(f"inside {id_list(nesting.inside[span.id])}")
        if nesting.overlaps.get(span.id):
            pieces.append(f"overlaps {id_list(nesting.overlaps[span.id])}")
    for side, lines in zip(("original", "output"), passed_over, strict=True):
        if lines:
            pieces.append(passed_over_text(side, lines))
    out = [
        ("bold", f"Span {span.id}" + (" (continued)" if continued else "")),
        ("plain", " · " + " · ".join(pieces)),
    ]
    if span.chance.common_phrase:
        out.append(("plain", " · "))
        out.append(("bold", "flagged: common phrase"))
    return out


def span_table(
    span: Span,
    alignment: Alignment,
    st: Styles,
    width: float,
    nesting: Nesting | None = None,
    labels: tuple[tuple[str, ...], tuple[str, ...]] = ((), ()),
    passed_over: tuple[Sequence[str], Sequence[str]] = ((), ()),
) -> SideBySide:
    """One span as two aligned columns, cut into rows that may fall on different pages.

    ``labels`` are the original's and the output's page labels (see :func:`pages_text`).
    """
    loc_o, loc_s = span.original, span.suspect
    o_label = f" · characters {loc_o.start:,}–{loc_o.end:,}"
    if loc_o.pages:
        o_label += f" · {pages_text(loc_o.pages, labels[0])}"
    s_label = f" · characters {loc_s.start:,}–{loc_s.end:,}"
    if loc_s.pages:
        s_label += f" · {pages_text(loc_s.pages, labels[1])}"
    quote = st.fragments(st.quote)
    cell = st.fragments(st.cell)
    small = st.fragments(st.small)
    rows: list[tuple[Any, Any]] = [
        (row.original.pieces(), row.suspect.pieces()) for row in alignment.rows()
    ]
    return SideBySide(
        cell.paragraph(
            span_heading_pieces(span, nesting=nesting, passed_over=passed_over), keep_lines=False
        ),
        (
            small.paragraph([("bold", "Original"), ("plain", o_label)], keep_lines=False),
            small.paragraph([("bold", "Model output"), ("plain", s_label)], keep_lines=False),
        ),
        rows,
        make=lambda pieces: quote.paragraph(pieces, keep_lines=True),
        continued_heading=lambda: cell.paragraph(
            span_heading_pieces(span, continued=True, nesting=nesting, passed_over=passed_over),
            keep_lines=False,
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
    spans = list(c.spans)
    # The running heads, feet and page numbers each span passes over, on each side (named in its heading).
    edges = (sorted(uncompared(original, c.parameters)), sorted(uncompared(suspect, c.parameters)))
    passed_over = [
        (
            page_edge_lines(original.text, edges[0], span.original.start, span.original.end)
            if edges[0]
            else [],
            page_edge_lines(suspect.text, edges[1], span.suspect.start, span.suspect.end)
            if edges[1]
            else [],
        )
        for span in spans
    ]
    story.append(
        legend(
            st,
            page_labels=bool(c.original.page_labels or c.suspect.page_labels),
            page_edges=any(o or q for o, q in passed_over),
        )
    )
    # Characters the embedded fonts cannot draw as they should are said here, once.
    shown = [suspect.text, *(original.text[s.original.start : s.original.end] for s in c.spans)]
    for sentence in drawing_caveats(shown):
        story.append(_p(markup(sentence), st.body))
    vocabulary = Vocabulary(c.parameters)
    matched = (matching_text(original, c.parameters), matching_text(suspect, c.parameters))
    hyphens = hyphenations(*matched)
    alignments = list(
        zip(
            spans,
            align_all(original.text, suspect.text, spans, vocabulary, matched_texts=matched, hyphenation=hyphens),
            strict=True,
        )
    )
    sub = level + 1 if heading else level
    spans_heading = outline.heading("Spans side by side", st.h2, sub)
    nesting = span_nesting(spans)
    labels = (c.original.page_labels, c.suspect.page_labels)
    tables = [
        span_table(span, alignment, st, width, nesting, labels, lines)
        for (span, alignment), lines in zip(alignments, passed_over, strict=True)
    ]
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
    story.extend(
        full_output(suspect.text, alignments, vocabulary, st, matched_text=matched[1], hyphenation=hyphens[1])
    )
    return story


def full_output(
    text: str,
    alignments: list[tuple[Span, Alignment]],
    vocabulary: Vocabulary,
    st: Styles,
    *,
    matched_text: str | None = None,
    hyphenation: Hyphenation = NO_HYPHENATION,
) -> list[Any]:
    """The whole output text as paragraphs (one per block between blank lines), reproduced words marked."""
    import numpy as np

    tokens, status = output_word_status(
        text, alignments, vocabulary, matched_text=matched_text, hyphenation=hyphenation
    )
    paragraphs = st.fragments(st.output_text)
    starts = tokens.starts
    ends = tokens.ends
    # The label before each word where spans begin, "[3]" or "[3][4]".
    labels: dict[int, str] = {}
    for span, _ in alignments:
        word = int(np.searchsorted(starts, span.suspect.start, side="left"))
        labels[word] = labels.get(word, "") + f"[{span.id}]"
    # A narrow no-break space after the label: "[4] Round", not "[4]Round", and never a line apart.
    labels = {word: label + "\u202f" for word, label in labels.items()}
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
    if c.mode == "image":
        # The text settings play no part in an image comparison; its thresholds are fixed.
        return [*cmd, "--report", report_name]
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


def _modes(comparisons: Sequence[Comparison]) -> list[str]:
    """The modes of the comparisons, in their order of first appearance."""
    return list(dict.fromkeys(c.mode for c in comparisons))


def recorded_settings(c: Comparison) -> dict[str, Any]:
    """The settings a finding depends on: the text parameters, or the image thresholds (not what was measured)."""
    if c.mode == "text":
        return c.parameters.to_dict()
    s: ImageSummary = c.summary  # type: ignore[assignment]
    return {k: s.thresholds[k] for k in sorted(s.thresholds) if k not in _NOT_SETTINGS}


def digest_code(result_name: str, *, batch: bool) -> list[str]:
    """Python lines that recompute a findings digest from the result file, exactly as memdiff computes it.

    Printed in the report so that anyone can check the digest without
    memdiff; a test runs the lines as the PDF's text gives them back.
    """
    lines = ["import hashlib, json", f"name = {json.dumps(result_name, ensure_ascii=False)}"]
    if batch:
        lines += [
            '# output n of this report is ["comparisons"][n - 1]; here output 1:',
            'c = json.load(open(name, encoding="utf-8"))["comparisons"][0]',
        ]
    else:
        lines.append('c = json.load(open(name, encoding="utf-8"))')
    return lines + [
        'findings = c["spans"] if c["mode"] == "text" else c["regions"]',
        'body = {"findings": findings, "mode": c["mode"], "summary": c["summary"]}',
        'text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)',
        'print(hashlib.sha256(text.encode("utf-8")).hexdigest())',
    ]


def digest_recipe(comparisons: Sequence[Comparison], report_name: str, st: Styles) -> list[Any]:
    """How the findings digest is made, precisely enough to recompute it from the result file."""
    result_name = report_name.rsplit(".", 1)[0] + ".json"
    batch = len(comparisons) > 1
    where = (
        f"one comparison of the list “comparisons” in the result file {result_name}"
        if batch
        else f"the result file {result_name}"
    )
    text = (
        "The findings digest is the SHA-256 of the UTF-8 bytes of one JSON object with three members, taken "
        f"from {where}: “findings”, which is its list “spans” (text) or “regions” (images); “mode”; and "
        "“summary”. The object is written with the members of every object in it sorted by name, no space or "
        "line break between tokens, characters beyond ASCII written as themselves (not escaped), and every "
        "string and number exactly as the result file writes it. The result file also records the digest as "
        "“findings_sha256”. In Python, beside the result file:"
    )
    code = "<br/>".join(markup(line, base=MONO) for line in digest_code(result_name, batch=batch))
    return [_p(text, st.body), _p(code, st.code), Spacer(1, 6)]


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
    for mode in _modes(comparisons):
        c = next(x for x in comparisons if x.mode == mode)
        recorded = recorded_settings(c)
        if mode == "image":
            story.append(
                _p(
                    "Image comparisons: the thresholds and settings, fixed in this version of memdiff (the text "
                    "parameters the result file also records play no part):",
                    st.body,
                )
            )
        elif len(_modes(comparisons)) > 1:
            story.append(_p("Text comparisons:", st.body))
        story.append(
            _p(markup(json.dumps(recorded, indent=None, sort_keys=False), base=MONO), st.code)
        )
    story.append(_p("Inputs and findings digests", st.h3))
    story.extend(digest_recipe(comparisons, report_name, st))
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
        KeepTogether(
            key_value_table(
                [
                    ("memdiff version", markup(first.tool_version)),
                    ("Analysis run", markup(analysis_date_text(first.created))),
                    ("Report date", markup(report_date_text(report_date))),
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
    numbered = list(enumerate(comparisons, start=1))
    text_rows = [(n, c) for n, c in numbered if c.mode == "text"]
    image_rows = [(n, c) for n, c in numbered if c.mode == "image"]
    both = bool(text_rows) and bool(image_rows)
    if text_rows:
        if both:
            story.append(_p("Text outputs", st.h3))
        rows = []
        for n, c in text_rows:
            s: TextSummary = c.summary  # type: ignore[assignment]
            rows.append(
                [
                    str(n),
                    markup(c.suspect.name),
                    percent_text(s.suspect_coverage),
                    percent_text(s.exact_suspect_coverage),
                    f"{s.longest_span_words:,}",
                    f"{s.span_count:,}",
                    _text_verdict(c),
                ]
            )
        number_w = row_number_width(len(comparisons), st)
        widths = [number_w, 1.85 * inch - number_w, 0.8 * inch, 0.8 * inch, 0.75 * inch, 0.6 * inch]
        widths.append(width - sum(widths))
        story.append(
            grid_table(
                ["#", "Output", "Coverage", "Verbatim", "Longest span (words)", "Spans", "Finding"],
                rows,
                st,
                widths,
            )
        )
    if image_rows:
        if both:
            story.append(_p("Image outputs", st.h3))
        rows = []
        for n, c in image_rows:
            i: ImageSummary = c.summary  # type: ignore[assignment]
            category = markup(i.verdict)
            if identical_files(c):
                category += "; the file is identical to the original (same SHA-256)"
            rows.append(
                [
                    str(n),
                    markup(c.suspect.name),
                    category,
                    percent_text(i.matched_fraction_of_suspect),
                    percent_text(i.matched_fraction_of_original),
                    f"{len(c.regions):,}",
                    markup(i.orientation or "as given"),
                ]
            )
        number_w = row_number_width(len(comparisons), st)
        widths = [number_w, 1.8 * inch - number_w, 1.45 * inch, 0.8 * inch, 0.8 * inch, 0.7 * inch]
        widths.append(width - sum(widths))
        story.append(
            grid_table(
                [
                    "#",
                    "Output",
                    "Result category",
                    "Matched share of output",
                    "Matched share of original",
                    "Regions",
                    "Orientation",
                ],
                rows,
                st,
                widths,
            )
        )
        story.append(
            _p(
                "The result categories are names for measured thresholds, defined in the Method section; they do "
                "not say how an output was made.",
                st.body,
            )
        )
    return story


def _found_something(c: Comparison) -> bool:
    if c.mode == "text":
        return bool(c.spans)
    return bool(getattr(c.summary, "match", False))


def _text_verdict(c: Comparison) -> str:
    return _text_finding(c) + (
        "; the file is identical to the original (same SHA-256)" if identical_files(c) else ""
    )


def _text_finding(c: Comparison) -> str:
    s: TextSummary = c.summary  # type: ignore[assignment]
    if not s.span_count:
        return "no span found"
    spans = plural(s.span_count, "span")
    nested = span_nesting(c.spans).nested_count()
    if nested:
        spans += f" ({nested:,} inside another span)"
    if not s.common_phrase_spans:
        return f"{spans}, none flagged as a common phrase"
    return f"{spans}, {s.common_phrase_spans:,} flagged as common phrases"


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

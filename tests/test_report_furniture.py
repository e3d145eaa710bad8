"""Every page's header and footer: long case numbers, exhibit labels and Bates numbers fit whole, never overprinted."""

from __future__ import annotations

import re

import pytest
from memdiff.resources import path as resource_path
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from memdiff import ingest
from memdiff.analyse import compare
from memdiff.report import FrontMatter, write_report
from memdiff.report.pdf import (
    _WIDEST_PAGE_COUNT,
    FOOTER_Y,
    HEADER_GAP,
    HEADER_MAX_LINES,
    MARGIN_X,
    PAGE_SIZES,
    _bates_place,
    _drawn_runs,
    _fit_header,
    _label_width,
)
from memdiff.report.styles import MONO, SANS, register_fonts

WIDTH = PAGE_SIZES["letter"][0] - 2 * MARGIN_X

REAL_CASE = "1:23-cv-11195-SHS-OTW; 1:24-cv-03285-SHS-OTW"
REAL_EXHIBIT = "PX-0001 to the Declaration of Dr. Jane Q. Examiner"


@pytest.fixture(scope="module", autouse=True)
def fonts():
    register_fonts()


def _case_label(number: str) -> str:
    return f"Case No. {number}"


@pytest.mark.parametrize(
    ("case_number", "exhibit"),
    [
        ("1:23-cv-00001", "B-7"),
        (REAL_CASE, REAL_EXHIBIT),
        (
            (
                "In re Very Long Consolidated Litigation Concerning Artificial Intelligence Training Data, "
                "Master File No. 1:23-cv-11195-SHS-OTW"
            ),
            "Exhibit PX-0001-A to the Declaration of Dr. Jane Q. Examiner",
        ),
        (
            "1:23-cv-00001",
            "PX-0001-A-LONG-LABEL-WITH-MANY-PARTS-AND-NO-SPACES-AT-ALL-TO-BREAK-AT-ANYWHERE",
        ),
    ],
)
def test_the_two_header_labels_never_overlap_and_keep_every_word(case_number, exhibit):
    case_label, exhibit_label = _case_label(case_number), f"Exhibit {exhibit}"
    size, case_lines, exhibit_lines = _fit_header(case_label, exhibit_label, WIDTH)
    assert 1 <= len(case_lines) <= HEADER_MAX_LINES and 1 <= len(exhibit_lines) <= HEADER_MAX_LINES
    left = max(_label_width(line, size) for line in case_lines)
    right = max(_label_width(line, size) for line in exhibit_lines)
    assert left + HEADER_GAP + right <= WIDTH + 1e-6
    # Nothing is cut short: the lines hold every character of each label.
    assert "".join(case_lines).replace(" ", "") == case_label.replace(" ", "")
    assert "".join(exhibit_lines).replace(" ", "") == exhibit_label.replace(" ", "")


def test_short_labels_stay_on_one_line_in_the_usual_size():
    size, case_lines, exhibit_lines = _fit_header("Case No. 1:23-cv-00001", "Exhibit B-7", WIDTH)
    assert (size, case_lines, exhibit_lines) == (8.5, ("Case No. 1:23-cv-00001",), ("Exhibit B-7",))


def test_a_label_of_absurd_length_ends_in_an_ellipsis_within_three_lines():
    _, case_lines, _ = _fit_header("Case No. " + "word " * 400, "Exhibit 1", WIDTH)
    assert len(case_lines) == HEADER_MAX_LINES and case_lines[-1].endswith("…")


@pytest.mark.parametrize("prefix", ["", "BENCH", "NYT-OPENAI-CONFIDENTIAL-PRODUCTION-", "X" * 120])
def test_the_bates_number_clears_the_page_count_and_is_never_cut(prefix):
    page_width = PAGE_SIZES["letter"][0]
    bates = f"{prefix}000123"
    x, y, size = _bates_place(bates, page_width)
    count_right = page_width / 2 + pdfmetrics.stringWidth(_WIDEST_PAGE_COUNT, SANS, 8.5) / 2
    assert x >= MARGIN_X - 1e-6
    assert x + pdfmetrics.stringWidth(bates, MONO, size) <= page_width - MARGIN_X + 1e-6
    assert y < FOOTER_Y or x >= count_right + HEADER_GAP - 1e-6


def test_right_to_left_labels_are_drawn_in_visual_order():
    ((_, text),) = _drawn_runs("נספח א", SANS)
    assert text == "א חפסנ"
    runs = _drawn_runs("Exhibit נספח 12", SANS)
    assert "".join(piece for _, piece in runs) == "Exhibit 12 חפסנ"


def test_a_report_with_long_labels_prints_them_whole_on_every_page(tmp_path):
    original = ingest.load(resource_path("samples", "original.txt"))
    suspect = ingest.load(resource_path("samples", "model-output.txt"))
    front = FrontMatter(
        case_number=REAL_CASE,
        exhibit=REAL_EXHIBIT,
        bates_prefix="NYT-OPENAI-CONFIDENTIAL-PRODUCTION-",
        bates_start=7,
    )
    target = write_report(
        compare(original, suspect), original, suspect, tmp_path / "r.pdf", front=front
    )
    pages = PdfReader(target).pages
    for n, page in enumerate(pages, start=1):
        flat = re.sub(r"\s+", " ", page.extract_text())
        assert "1:24-cv-03285-SHS-OTW" in flat and "Examiner" in flat
        assert f"Page {n} of {len(pages)}" in flat
        assert f"NYT-OPENAI-CONFIDENTIAL-PRODUCTION-{n + 6:06d}" in flat


def test_readers_open_with_the_bookmarks_shown(tmp_path):
    original = ingest.load(resource_path("samples", "original.txt"))
    suspect = ingest.load(resource_path("samples", "model-output.txt"))
    target = write_report(compare(original, suspect), original, suspect, tmp_path / "r.pdf")
    catalog = PdfReader(target).trailer["/Root"]
    assert catalog["/PageMode"] == "/UseOutlines"
    assert catalog["/Outlines"]["/Count"] != 0


def test_bates_numbers_keep_one_width_when_they_pass_a_million(tmp_path):
    """A production running from 999999: every page's number has the digits the last one needs."""
    original = ingest.load(resource_path("samples", "original.txt"))
    suspect = ingest.load(resource_path("samples", "model-output.txt"))
    front = FrontMatter(bates_prefix="PLTF-", bates_start=999_999)
    target = write_report(compare(original, suspect), original, suspect, tmp_path / "r.pdf", front=front)
    pages = [page.extract_text() for page in PdfReader(target).pages]
    assert len(pages) >= 3
    numbers = [re.findall(r"PLTF-(\d+)", page) for page in pages]
    assert numbers == [[f"{999_999 + n:07d}"] for n in range(len(pages))]
    assert numbers[0] == ["0999999"] and numbers[1] == ["1000000"]

"""The court report: content, page furniture, fonts, archival metadata, determinism and atomic writing."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from memdiff.resources import path as resource_path
from pypdf import PdfReader

from memdiff import __version__, ingest
from memdiff.analyse import compare
from memdiff.errors import Cancelled
from memdiff.progress import Progress
from memdiff.report import FrontMatter, Provenance, write_report

EPOCH = "1796000000"  # 2026-11-30 00:53:20 UTC

FRONT = FrontMatter(
    court="United States District Court, Southern District of New York",
    case_title="Example Press v. Model Labs",
    case_number="1:23-cv-11195",
    exhibit="J",
    examiner="Dr. A. Examiner",
    confidentiality="CONFIDENTIAL – SUBJECT TO PROTECTIVE ORDER",
    bates_prefix="MEMD",
    bates_start=1201,
)
PROVENANCE = Provenance(
    model="ExampleLM 4",
    prompt="Continue the story:\n\nAlice was beginning",
    generated_on="2026-11-20",
    attempts=3,
    sampling="temperature 0.7",
)


@pytest.fixture(scope="module")
def case():
    original = ingest.load(resource_path("samples", "original.txt"))
    suspect = ingest.load(resource_path("samples", "model-output.txt"))
    return original, suspect, compare(original, suspect)


@pytest.fixture
def report(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    original, suspect, comparison = case
    target = tmp_path / "exhibit-j.pdf"
    write_report(
        comparison,
        original,
        suspect,
        target,
        front=FRONT,
        provenance=PROVENANCE,
        command=[
            "memdiff",
            "compare",
            "original.txt",
            "model-output.txt",
            "--report",
            "exhibit-j.pdf",
        ],
    )
    return target


def pages_text(path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def test_report_states_hashes_figures_and_span_texts(case, report):
    original, suspect, comparison = case
    text = flat(" ".join(pages_text(report)))
    nospace = re.sub(r"\s+", "", text)
    assert original.sha256 in nospace and suspect.sha256 in nospace
    assert comparison.findings_digest() in nospace
    s = comparison.summary
    assert f"{s.suspect_coverage * 100:.1f}%" in text
    assert (
        f"{s.span_count} ({s.exact_span_count} verbatim, {s.near_span_count} near-verbatim)" in text
    )
    assert f"{s.longest_span_words} words" in text
    # The text of every span's output side is there, searchable.
    for span in comparison.spans:
        words = suspect.text[span.suspect.start : span.suspect.end].split()
        assert " ".join(words[:6]) in text, span.id
        assert f"Span {span.id}" in text
    assert (
        "ExampleLM 4" in text
        and "temperature 0.7" in text
        and "Generations made to obtain it 3" in text
    )
    assert "memdiff compare original.txt model-output.txt --report exhibit-j.pdf" in text
    assert __version__ in text
    for word in ("infringes", "infringed", "plagiar", "stolen"):
        assert word not in text.lower()


def test_every_page_has_header_footer_page_count_and_bates(report):
    texts = pages_text(report)
    total = len(texts)
    assert total >= 5
    for n, page in enumerate(texts, start=1):
        assert f"Page {n} of {total}" in page
        assert f"MEMD{1200 + n:06d}" in page
        assert "Case No. 1:23-cv-11195" in page
        assert "Exhibit J" in page
        assert "CONFIDENTIAL – SUBJECT TO PROTECTIVE ORDER" in page


def test_json_result_is_written_beside_the_pdf(case, report):
    _, _, comparison = case
    beside = report.with_suffix(".json")
    assert json.loads(beside.read_text(encoding="utf-8")) == json.loads(comparison.to_json())


def test_bookmarks_name_each_section(report):
    reader = PdfReader(report)

    def titles(items):
        for item in items:
            if isinstance(item, list):
                yield from titles(item)
            else:
                yield item.title

    found = list(titles(reader.outline))
    for section in (
        "Summary of findings",
        "Inputs",
        "Provenance of the model output",
        "Method",
        "Findings",
        "Spans side by side",
        "The complete model output",
        "Reproducibility",
    ):
        assert section in found
    # Each bookmark points at the page where its heading is printed.
    for item in reader.outline:
        if not isinstance(item, list) and item.title == "Reproducibility":
            page = reader.get_destination_page_number(item)
            assert "Reproducibility" in reader.pages[page].extract_text()


def _fonts(pdf: pikepdf.Pdf):
    for page in pdf.pages:
        resources = page.obj.get("/Resources", {})
        for font in resources.get("/Font", {}).values():
            yield font
        for xobject in resources.get("/XObject", {}).values():
            for font in xobject.get("/Resources", {}).get("/Font", {}).values():
                yield font


def test_every_font_is_embedded_and_bundled(report):
    with pikepdf.open(report) as pdf:
        fonts = list(_fonts(pdf))
        assert fonts
        for font in fonts:
            descriptor = font.get("/FontDescriptor")
            assert descriptor is not None, font.get("/BaseFont")
            assert "/FontFile2" in descriptor, font.get("/BaseFont")
            assert "DejaVu" in str(font.BaseFont) or "Droid" in str(font.BaseFont)
    if shutil.which("pdffonts"):
        listing = subprocess.run(
            ["pdffonts", str(report)], capture_output=True, text=True, check=True
        ).stdout
        rows = listing.splitlines()[2:]
        assert rows and all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), listing


def test_archival_metadata_and_nothing_forbidden(report):
    with pikepdf.open(report) as pdf:
        root = pdf.Root
        xmp = root.Metadata.read_bytes().decode("utf-8")
        assert (
            "<pdfaid:part>2</pdfaid:part>" in xmp
            and "<pdfaid:conformance>B</pdfaid:conformance>" in xmp
        )
        intent = root.OutputIntents[0]
        assert intent.S == pikepdf.Name.GTS_PDFA1
        profile = intent.DestOutputProfile
        assert int(profile.N) == 3 and profile.read_bytes()[36:40] == b"acsp"
        assert str(pdf.trailer.Info.Title) in xmp
        assert "/Encrypt" not in pdf.trailer
        assert "/Names" not in root or "/EmbeddedFiles" not in root.Names
        assert "/OpenAction" not in root and "/AA" not in root
        assert not pdf.attachments
        raw = report.read_bytes()
        assert b"/JavaScript" not in raw and b"/JS" not in raw
        # The record verify reads is stored in the XMP, not as an attachment.
        assert "memdiff:record" in xmp
        # Colours are RGB only (the output intent is sRGB): no CMYK operators anywhere.
        for page in pdf.pages:
            operators = {str(op) for _, op in pikepdf.parse_content_stream(page)}
            assert not operators & {"k", "K", "sc", "scn", "SC", "SCN"}


def test_same_inputs_give_byte_identical_pdfs(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    original, suspect, comparison = case
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    first = write_report(
        comparison,
        original,
        suspect,
        tmp_path / "one" / "r.pdf",
        front=FRONT,
        provenance=PROVENANCE,
    )
    second = write_report(
        comparison,
        original,
        suspect,
        tmp_path / "two" / "r.pdf",
        front=FRONT,
        provenance=PROVENANCE,
    )
    assert first.read_bytes() == second.read_bytes()
    info = PdfReader(first).metadata
    assert info["/CreationDate"].startswith("D:20261130005320")


def test_empty_front_matter_renders_cleanly(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    original, suspect, comparison = case
    target = write_report(comparison, original, suspect, tmp_path / "plain.pdf")
    texts = pages_text(target)
    joined = " ".join(texts)
    assert "Case No." not in joined and "Exhibit" not in joined and "Prepared by" not in joined
    assert "No information about how the model output was generated" in flat(joined)
    assert "No command line was recorded" in flat(joined)
    for n, page in enumerate(texts, start=1):
        assert f"Page {n} of {len(texts)}" in page
        assert not re.search(r"\b[A-Z]*\d{6}\b", page.splitlines()[-1])
    assert PdfReader(target).pages[0].mediabox.width == pytest.approx(612)


def test_a4_page_size(case, tmp_path):
    original, suspect, comparison = case
    target = write_report(
        comparison, original, suspect, tmp_path / "a4.pdf", front=FrontMatter(page_size="a4")
    )
    for page in PdfReader(target).pages:
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.1)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=0.1)


class CancelSoon(Progress):
    def __init__(self) -> None:
        self.calls = 0

    def report(self, fraction: float, message: str = "") -> None:
        self.calls += 1

    def is_cancelled(self) -> bool:
        return self.calls > 3


def test_cancelled_report_leaves_no_file(case, tmp_path):
    original, suspect, comparison = case
    target = tmp_path / "never.pdf"
    with pytest.raises(Cancelled):
        write_report(comparison, original, suspect, target, progress=CancelSoon())
    assert list(tmp_path.iterdir()) == []


def test_report_over_existing_file_replaces_it_whole(case, tmp_path):
    original, suspect, comparison = case
    target = tmp_path / "r.pdf"
    target.write_bytes(b"old exhibit")
    write_report(comparison, original, suspect, target)
    assert target.read_bytes().startswith(b"%PDF-1.7")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "r.pdf"]


def test_a_report_with_no_spans_says_so(case, tmp_path):
    original, _, _ = case
    unrelated = ingest.load(resource_path("samples", "unrelated-output.txt"))
    comparison = compare(original, unrelated)
    assert comparison.summary.span_count == 0
    target = write_report(comparison, original, unrelated, tmp_path / "none.pdf")
    text = flat(" ".join(pages_text(target)))
    assert "It found no run of 8 or more consecutive words" in text
    assert "No span was found" in text


def test_large_output_with_hundreds_of_spans_renders(tmp_path):
    import random

    rng = random.Random(5)
    from wordfreq import top_n_list

    vocabulary = top_n_list("en", 5000)
    original_words = [rng.choice(vocabulary) for _ in range(20_000)]
    pieces: list[str] = []
    # One very long copied passage (longer than a page) and many short ones.
    pieces.append(" ".join(original_words[1000:2500]))
    for _ in range(250):
        start = rng.randrange(0, 19_000)
        pieces.append(" ".join(original_words[start : start + rng.randint(9, 30)]))
        pieces.append(" ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 12))) + ".")
    original = ingest.load_text(" ".join(original_words), "long-original.txt")
    suspect = ingest.load_text("\n\n".join(pieces), "long-output.txt")
    comparison = compare(original, suspect)
    assert comparison.summary.span_count >= 200
    assert comparison.summary.longest_span_words >= 1500
    target = write_report(comparison, original, suspect, tmp_path / "long.pdf")
    reader = PdfReader(target)
    assert len(reader.pages) > 40
    text = " ".join(page.extract_text() for page in reader.pages)
    assert f"Span {comparison.spans[-1].id} " in text
    assert f"Page {len(reader.pages)} of {len(reader.pages)}" in text
    assert target.stat().st_size < 5_000_000


def test_tool_version_and_parameters_are_printed(case, tmp_path):
    original, suspect, comparison = case
    changed = dataclasses.replace(
        comparison, parameters=comparison.parameters.with_changes(min_words=12)
    )
    target = write_report(changed, original, suspect, tmp_path / "p.pdf")
    text = flat(" ".join(pages_text(target)))
    assert "min_words 12 shortest verbatim span reported, in words" in text
    from memdiff.text.chance import COMMON_PHRASE_BITS

    assert f"common_phrase_bits {COMMON_PHRASE_BITS:g}" in text


def test_bytes_do_not_depend_on_the_hash_seed(case, tmp_path, monkeypatch):
    import os
    import sys

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    original, suspect, _ = case
    (tmp_path / "here").mkdir()
    here = write_report(compare(original, suspect), original, suspect, tmp_path / "here" / "r.pdf")
    script = (
        "import sys; from memdiff import ingest; from memdiff.analyse import compare; "
        "from memdiff.report import write_report; from memdiff.resources import path; "
        "o = ingest.load(path('samples', 'original.txt')); s = ingest.load(path('samples', 'model-output.txt')); "
        "write_report(compare(o, s), o, s, sys.argv[1])"
    )
    (tmp_path / "there").mkdir()
    env = dict(os.environ, PYTHONHASHSEED="12345", SOURCE_DATE_EPOCH=EPOCH)
    subprocess.run(
        [sys.executable, "-c", script, str(tmp_path / "there" / "r.pdf")], env=env, check=True
    )
    assert (tmp_path / "there" / "r.pdf").read_bytes() == here.read_bytes()


def test_spans_in_a_pdf_original_state_their_pages(tmp_path):
    from fixtures_docs import sample_novel_pdf

    (tmp_path / "novel.pdf").write_bytes(sample_novel_pdf())
    original = ingest.load(tmp_path / "novel.pdf")
    suspect = ingest.load(resource_path("samples", "model-output.txt"))
    comparison = compare(original, suspect)
    assert original.pages and original.pages > 3
    target = write_report(comparison, original, suspect, tmp_path / "r.pdf")
    text = flat(" ".join(pages_text(target)))
    assert f"Pages {original.pages}" in text
    for span in comparison.spans:
        pages = span.original.pages
        # Positions in the PDF file, said as such: the printed page numbers may differ.
        label = f"PDF page {pages[0]}" if len(pages) == 1 else f"PDF pages {pages[0]}–{pages[-1]}"
        assert f"characters {span.original.start:,}–{span.original.end:,} · {label}" in text


def test_a_failed_write_changes_neither_file(case, tmp_path, monkeypatch):
    import memdiff.atomic

    original, suspect, comparison = case
    target = tmp_path / "r.pdf"
    target.write_bytes(b"old pdf")
    target.with_suffix(".json").write_bytes(b"old json")
    real_replace = memdiff.atomic.os.replace
    calls = []

    def replace_then_fail(src, dst):
        calls.append(dst)
        if str(dst).endswith(".pdf"):
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(memdiff.atomic.os, "replace", replace_then_fail)
    with pytest.raises(Exception, match="No space left"):
        write_report(comparison, original, suspect, target)
    assert target.read_bytes() == b"old pdf"
    assert target.with_suffix(".json").read_bytes() == b"old json"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["r.json", "r.pdf"]


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="poppler's pdftotext is not installed"
)
def test_pdftotext_gets_the_text_back(case, report):
    _, suspect, comparison = case
    text = subprocess.run(
        ["pdftotext", "-layout", str(report), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert comparison.findings_digest() in text
    first = comparison.spans[0]
    words = suspect.text[first.suspect.start : first.suspect.end].split()
    assert " ".join(words[:5]) in flat(text)


def test_rows_of_long_unbroken_tokens_break_across_pages(tmp_path):
    # Hashes, URLs or sequences without spaces make a 60-word row taller than a
    # page; such a row breaks between its lines instead of stopping the report.
    import random

    rng = random.Random(3)
    tokens = [
        "".join(
            rng.choice("abcdefghijklmnopqrstuvwxyz0123456789") for _ in range(rng.randint(80, 200))
        )
        for _ in range(300)
    ]
    original = ingest.load_text("Before. " + " ".join(tokens) + " After.", "tokens.txt")
    suspect = ingest.load_text("Output: " + " ".join(tokens) + " done.", "output.txt")
    comparison = compare(original, suspect)
    target = write_report(comparison, original, suspect, tmp_path / "tokens.pdf")
    pages = pages_text(target)
    with_span = [n for n, text in enumerate(pages) if "Span 1" in text]
    assert len(with_span) >= 5 and "Span 1 (continued)" in pages[with_span[-1]]
    # The first span starts below the legend, on its page, not alone on the next.
    legend = next(n for n, text in enumerate(pages) if "How to read this section" in text)
    assert "Spans side by side" in pages[legend] and with_span[0] == legend
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1]
    # Every character of the output is drawn: the last token ends the complete output.
    tail = re.sub(r"\s+", "", "".join(pages[-3:]))
    assert tokens[-1][-40:] + "done." in tail


def test_library_versions_are_those_importlib_reports():
    import importlib.metadata

    from memdiff.report.sections import LIBRARIES, software_rows

    shown = dict(software_rows())
    for name in LIBRARIES:
        try:
            expected = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            assert name not in shown
            continue
        assert shown[name] == expected


def test_reportlab_settings_are_restored_after_a_report(case, tmp_path):
    from reportlab import rl_config
    from reportlab.pdfbase import pdfdoc

    before = (pdfdoc.PDFZCompress, rl_config.useA85)
    original, suspect, comparison = case
    target = write_report(comparison, original, suspect, tmp_path / "settings.pdf")
    assert (pdfdoc.PDFZCompress, rl_config.useA85) == before
    with pikepdf.open(target) as pdf:
        contents = pdf.pages[0].Contents
        assert contents.Filter == pikepdf.Name.FlateDecode or list(contents.Filter) == [
            pikepdf.Name.FlateDecode
        ]
        assert b" Tj" in contents.read_bytes()  # it inflates back to page operators


def test_the_sealed_page_digest_is_that_of_the_pages_read_back(report):
    from memdiff.report.pdfa import read_pages_digest, read_record

    record = read_record(report)
    assert (record["pages"], record["pages_sha256"]) == read_pages_digest(report)


def test_a_paragraph_with_no_room_at_a_page_foot_is_drawn_whole_on_the_next():
    # reportlab's split discards a paragraph's broken lines when not even two
    # fit; the cached wrap must then break them again, not answer from memory.
    from io import BytesIO

    from reportlab.pdfgen.canvas import Canvas

    from memdiff.report.sections import _p
    from memdiff.report.styles import Styles

    paragraph = _p("A prompt of many words that runs over several lines. " * 12, Styles().body)
    _, height = paragraph.wrap(300, 1e9)
    assert height > 40
    assert paragraph.split(300, 14) == []  # room for one line only: moved whole
    assert paragraph.wrap(300, 1e9) == (300, height)
    paragraph.drawOn(Canvas(BytesIO()), 0, 0)  # drawn with its lines broken again


@pytest.mark.parametrize("prompt_chars", range(1600, 4400, 400))
def test_long_prompts_render_whole(case, tmp_path, prompt_chars):
    # Prompts of these lengths put the prompt's paragraph at the foot of a page in some of them.
    original, suspect, comparison = case
    prompt = suspect.text[:prompt_chars].rsplit(" ", 1)[0]
    target = write_report(
        comparison,
        original,
        suspect,
        tmp_path / "prompt.pdf",
        front=FRONT,
        provenance=dataclasses.replace(PROVENANCE, prompt=prompt),
    )
    assert flat(" ".join(prompt.split()[-8:])) in flat(" ".join(pages_text(target)))


def test_an_interrupt_while_the_pair_is_renamed_waits_until_both_are_in_place(
    case, tmp_path, monkeypatch
):
    # Ctrl+C between the PDF's rename and the JSON's must not leave a new PDF beside an old JSON.
    import signal

    import memdiff.atomic

    original, suspect, comparison = case
    target = tmp_path / "r.pdf"
    real_replace = memdiff.atomic.os.replace
    order = []

    def replace_and_interrupt(src, dst):
        real_replace(src, dst)
        order.append(Path(dst).name)
        if len(order) == 1:
            signal.raise_signal(signal.SIGINT)

    monkeypatch.setattr(memdiff.atomic.os, "replace", replace_and_interrupt)
    with pytest.raises(KeyboardInterrupt):
        write_report(comparison, original, suspect, target)
    assert order == ["r.pdf", "r.json"]  # the interrupt came only after both
    assert target.read_bytes().startswith(b"%PDF") and json.loads(
        target.with_suffix(".json").read_text()
    )

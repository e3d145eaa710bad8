"""What the court report says, read back from rendered PDFs: every sentence true, every figure reproducible.

Each test renders real reports (text, image, batch) and reads them with pypdf,
or recomputes what the report prints (the findings digest) from the JSON file
written beside it, by following the report's own printed recipe.
"""

from __future__ import annotations

import itertools
import json
import re
import subprocess
import sys

import numpy as np
import pytest
from memdiff.resources import path as resource_path
from PIL import Image, ImageDraw, ImageFilter
from pypdf import PdfReader

from memdiff import ingest
from memdiff.analyse import compare
from memdiff.evidence import Chance, Location, Span
from memdiff.report import validation, write_batch_report, write_report
from memdiff.report.images import heatmap, scale_colour
from memdiff.report.sections import FIXED_DATE_NOTE, span_nesting

EPOCH = "1796000000"  # 2026-11-30 00:53:20 UTC


def pages_of(path) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(path).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def text_of(path) -> str:
    return flat(" ".join(pages_of(path)))


# --------------------------------------------------------------------------- text reports


@pytest.fixture(scope="module")
def sample():
    original = ingest.load(resource_path("samples", "original.txt"))
    suspect = ingest.load(resource_path("samples", "model-output.txt"))
    return original, suspect, compare(original, suspect)


@pytest.fixture(scope="module")
def sample_report(sample, tmp_path_factory):
    original, suspect, comparison = sample
    target = tmp_path_factory.mktemp("sample") / "exhibit.pdf"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        write_report(comparison, original, suspect, target)
    return target


def _words(n: int, seed: int) -> list[str]:
    rng = np.random.default_rng(seed)
    letters = np.array(list("abcdefghijklmnopqrstuvwxyz"))
    return ["".join(rng.choice(letters, size=int(rng.integers(3, 9)))) for _ in range(n)]


def test_longest_span_in_words_and_in_characters_are_each_stated_with_their_own_span(tmp_path):
    # Span A: 36 short words. Span B: 16 words, one of them a 300-character token (a URL-like run):
    # the longest span in words is not the longest in characters.
    a = _words(36, 1)
    b = _words(15, 2) + ["x" * 300]
    filler = _words(200, 3)
    original = ingest.load_text(
        " ".join(filler[:100] + a + filler[100:150] + b + filler[150:]), "orig.txt"
    )
    suspect = ingest.load_text(
        " ".join(_words(10, 4) + a + _words(10, 5) + b + _words(10, 6)), "out.txt"
    )
    comparison = compare(original, suspect)
    s = comparison.summary
    by_words = max(comparison.spans, key=lambda x: x.words)
    by_chars = max(comparison.spans, key=lambda x: x.suspect.end - x.suspect.start)
    assert by_words.id != by_chars.id  # the case the sentence must not join
    target = write_report(comparison, original, suspect, tmp_path / "r.pdf")
    text = text_of(target)
    words_chars = by_words.suspect.end - by_words.suspect.start
    assert (
        f"The longest span in words is span {by_words.id}: {by_words.words} words ({words_chars} characters of "
        f"the output); the longest in characters is span {by_chars.id}: {s.longest_span_characters} "
        f"characters ({by_chars.words} words)."
    ) in text
    # The old sentence joined the two maxima into one span that does not exist.
    assert f"{s.longest_span_words} words ({s.longest_span_characters} characters" not in text
    assert (
        f"Longest span in words {by_words.words} words (span {by_words.id}, {words_chars} characters)"
        in text
    )


def _recipe(pages: list[str]) -> str:
    """The Python lines the appendix prints, exactly as the PDF's text gives them back."""
    last = "\n".join(pages[-2:])
    start = last.index("import hashlib, json")
    end = last.index("\n", last.index("print(hashlib.sha256", start))
    return last[start:end] + "\n"


def _printed_digests(pages: list[str]) -> list[str]:
    appendix = re.sub(r"\s+", "", "".join(pages[-2:]))
    return re.findall(r"Findingsdigest(?:\d+)?([0-9a-f]{64})", appendix)


def test_the_printed_recipe_recomputes_the_printed_digest_from_the_json_beside_the_report(
    sample, sample_report
):
    _, _, comparison = sample
    pages = pages_of(sample_report)
    code = _recipe(pages)
    # Run as printed, beside the result file, by another Python than memdiff's own code.
    out = subprocess.run(
        [sys.executable, "-c", code],
        cwd=sample_report.parent,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    printed = _printed_digests(pages)
    assert printed == [out] == [comparison.findings_digest()]
    result = json.loads(sample_report.with_suffix(".json").read_text(encoding="utf-8"))
    assert out == result["findings_sha256"]
    prose = flat(" ".join(pages[-2:]))
    for said in ("“findings”", "“spans”", "“regions”", "“mode”", "“summary”", "sorted by name"):
        assert said in prose
    # The recipe it replaces named "summary figures and every span or region", which does not give the digest.
    assert "summary figures and every span or region" not in prose


def test_the_batch_recipe_recomputes_every_output_s_digest(tmp_path):
    original = ingest.load(resource_path("samples", "original.txt"))
    outputs = [
        ingest.load(resource_path("samples", name))
        for name in ("model-output.txt", "unrelated-output.txt")
    ]
    items = [(s, compare(original, s)) for s in outputs]
    target = write_batch_report(original, items, tmp_path / "batch.pdf")
    pages = pages_of(target)
    code = _recipe(pages)
    assert '["comparisons"][0]' in code
    printed = _printed_digests(pages)
    assert printed == [c.findings_digest() for _, c in items]
    for n in range(len(items)):
        out = subprocess.run(
            [sys.executable, "-c", code.replace('["comparisons"][0]', f'["comparisons"][{n}]')],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
        assert out == printed[n]


def test_dates_fixed_by_source_date_epoch_say_so(sample, sample_report, tmp_path, monkeypatch):
    text = text_of(sample_report)
    assert f"Report date 2026-11-30 00:53 UTC ({FIXED_DATE_NOTE})" in text
    # The comparison ran before the variable was set: its date is real, and said without the note.
    _, _, comparison = sample
    assert f"Analysis run {comparison.created} (" not in text
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    original = ingest.load(resource_path("samples", "original.txt"))
    suspect = ingest.load(resource_path("samples", "model-output.txt"))
    fixed = compare(original, suspect)
    assert fixed.created == "2026-11-30T00:53:20Z"
    target = write_report(fixed, original, suspect, tmp_path / "fixed.pdf")
    assert f"Analysis run 2026-11-30T00:53:20Z ({FIXED_DATE_NOTE})" in text_of(target)
    monkeypatch.delenv("SOURCE_DATE_EPOCH")
    target = write_report(fixed, original, suspect, tmp_path / "clock.pdf")
    assert "SOURCE_DATE_EPOCH" not in text_of(target)


def test_nested_spans_are_named_in_their_headings_and_the_summary_counts_them(
    sample, sample_report
):
    _, _, comparison = sample
    text = text_of(sample_report)
    nesting = span_nesting(comparison.spans)
    nested = nesting.nested_count()
    assert nested > 0  # the sample's near-verbatim spans hold verbatim ones
    assert (
        f"Of the {comparison.summary.span_count} spans, {nested} lie wholly inside another span"
        in text
    )
    for span in comparison.spans:
        for other in nesting.inside[span.id]:
            assert span.id in nesting.contains[other]
            outer = next(x for x in comparison.spans if x.id == other)
            assert (
                outer.suspect.start <= span.suspect.start and span.suspect.end <= outer.suspect.end
            )
        heading = re.search(rf"Span {span.id} · [^\n]*?(?= Original · )", text)
        assert heading is not None, span.id
        if nesting.contains[span.id]:
            assert "contains span" in heading.group(0), heading.group(0)
        if nesting.inside[span.id]:
            ids = nesting.inside[span.id]
            assert f"inside span {ids[0]}" in heading.group(0) or "inside spans" in heading.group(0)


def test_the_batch_summary_row_says_how_many_spans_lie_inside_another(sample, tmp_path):
    original, suspect, comparison = sample
    nested = span_nesting(comparison.spans).nested_count()
    target = write_batch_report(original, [(suspect, comparison)], tmp_path / "b.pdf")
    summary = text_of(target)[: text_of(target).index("Inputs")]
    assert f"{comparison.summary.span_count} spans ({nested} inside another span)" in summary


def test_span_nesting_of_equal_partly_overlapping_and_separate_ranges():
    def span(i: int, start: int, end: int) -> Span:
        return Span(i, "exact", 8, 1.0, Location(0, 1), Location(start, end), Chance(100.0, False))

    n = span_nesting(
        [span(1, 0, 100), span(2, 10, 50), span(3, 0, 100), span(4, 90, 150), span(5, 200, 220)]
    )
    assert n.inside == {1: (), 2: (1, 3), 3: (1,), 4: (), 5: ()}
    assert n.contains == {1: (2, 3), 2: (), 3: (2,), 4: (), 5: ()}
    assert n.overlaps == {1: (4,), 2: (), 3: (4,), 4: (1, 3), 5: ()}
    assert n.nested_count() == 2


def test_page_numbers_are_said_to_be_pdf_positions(tmp_path):
    from fixtures_docs import sample_novel_pdf

    (tmp_path / "novel.pdf").write_bytes(sample_novel_pdf())
    original = ingest.load(tmp_path / "novel.pdf")
    suspect = ingest.load(resource_path("samples", "model-output.txt"))
    target = write_report(compare(original, suspect), original, suspect, tmp_path / "r.pdf")
    out = text_of(target)
    assert re.search(r"· PDF pages? \d", out)
    assert not re.search(r"· pp?\. \d", out)
    assert "A PDF page is the page’s position in the PDF file" in out
    assert "page labels" not in out  # a PDF that only counts its pages needs no word on labels


def test_a_book_s_own_page_numbers_come_first_when_its_pdf_gives_them(tmp_path):
    from fixtures_docs import sample_novel_pdf

    front_matter = ((0, "ROMAN_LOWER", 1, ""), (2, "ARABIC", 1, ""))
    (tmp_path / "novel.pdf").write_bytes(sample_novel_pdf(labels=front_matter))
    original = ingest.load(tmp_path / "novel.pdf")
    suspect = ingest.load(resource_path("samples", "model-output.txt"))
    comparison = compare(original, suspect)
    out = text_of(write_report(comparison, original, suspect, tmp_path / "r.pdf"))
    assert original.page_labels[:3] == ("i", "ii", "1") and len(original.page_labels) == original.pages
    for span in comparison.spans:
        first, last = span.original.pages[0], span.original.pages[-1]
        printed = [original.page_labels[first - 1], original.page_labels[last - 1]]
        said = (
            f"page {printed[0]} (PDF page {first})" if first == last
            else f"pages {printed[0]}–{printed[1]} (PDF pages {first}–{last})"
        )
        assert f"· {said}" in out, said
    assert f"Numbers printed on the pages (page labels) i–ii, 1–{original.pages - 2}" in out
    assert "that number comes first" in out


def test_span_markers_keep_a_space_before_the_copied_words(sample_report):
    text = text_of(sample_report)
    output_part = text[text.index("The complete model output") :]
    markers = re.findall(r"(?:\[\d+\])+.", output_part)
    assert markers
    # "[4][5]Round" read as one word; the marker ends with a narrow no-break space.
    assert all(not m[-1].isalnum() for m in markers), markers


def test_the_validation_paragraph_names_the_study_once(sample, sample_report):
    _, _, comparison = sample
    study = validation.load_study()
    assert study is not None
    text = text_of(sample_report)
    version = study["version"]
    part = text[text.index("Validation") : text.index("Software")]
    assert part.count(version) == 1, part
    assert "From the validation study, version" not in part
    # A statement that does not name the study keeps the lead-in.
    bare = {"version": "X-1", "figures": [{"mode": "text", "statement": "Recall was 1.0."}]}
    assert validation.paragraphs(comparison, bare) == [
        "From the validation study, version X-1:",
        "Recall was 1.0.",
    ]


def test_identical_files_are_said_to_be_identical(tmp_path):
    path = resource_path("samples", "model-output.txt")
    original = ingest.load(path)
    suspect = ingest.load(path)
    target = write_report(compare(original, suspect), original, suspect, tmp_path / "same.pdf")
    text = text_of(target)
    assert "The two files are identical byte for byte: they have the same SHA-256 digest." in text
    different = ingest.load(resource_path("samples", "original.txt"))
    target = write_report(compare(different, suspect), different, suspect, tmp_path / "other.pdf")
    assert "identical byte for byte" not in text_of(target)


def test_batch_inputs_state_media_type_pages_and_words(tmp_path):
    original = ingest.load(resource_path("samples", "original.txt"))
    outputs = [ingest.load(resource_path("samples", "model-output.txt"))]
    target = write_batch_report(
        original, [(s, compare(original, s)) for s in outputs], tmp_path / "b.pdf"
    )
    text = text_of(target)
    part = text[text.index("Model outputs") :]
    assert "File and media type" in part and "Size, pages or pixels" in part
    assert re.search(r"model-output\.txt text/plain [\d.]+ KiB no pages [\d,]+ words", part), part[
        :300
    ]


# --------------------------------------------------------------------------- images


def photo(width: int = 640, height: int = 480, seed: int = 1) -> Image.Image:
    """A picture with texture enough for keypoints: a gradient, noise and coloured shapes."""
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:height, 0:width]
    pixels = np.stack(
        [x / width * 200 + 30, y / height * 180 + 40, (x + y) / (width + height) * 150 + 60], -1
    )
    pixels += rng.normal(0, 12, pixels.shape)
    image = Image.fromarray(np.clip(pixels, 0, 255).astype("uint8"))
    draw = ImageDraw.Draw(image)
    for k in range(25):
        x0, y0 = int(rng.integers(0, width - 60)), int(rng.integers(0, height - 60))
        size = int(rng.integers(20, 120))
        colour = tuple(int(v) for v in rng.integers(0, 255, 3))
        (draw.ellipse if k % 2 else draw.rectangle)(
            [x0, y0, x0 + size, y0 + size * 0.7], fill=colour, outline=(0, 0, 0)
        )
    return image.filter(ImageFilter.GaussianBlur(0.8))


@pytest.fixture(scope="module")
def image_case(tmp_path_factory):
    folder = tmp_path_factory.mktemp("images")
    picture = photo()
    picture.save(folder / "photo.png")
    picture.crop((100, 60, 560, 420)).transpose(Image.Transpose.FLIP_LEFT_RIGHT).save(
        folder / "crop-mirror.png"
    )
    photo(400, 300, seed=7).save(folder / "other.png")
    (folder / "copy.png").write_bytes((folder / "photo.png").read_bytes())
    original = ingest.load(folder / "photo.png")
    suspects = [ingest.load(folder / n) for n in ("crop-mirror.png", "other.png", "copy.png")]
    items = [(s, compare(original, s)) for s in suspects]
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SOURCE_DATE_EPOCH", EPOCH)
        single = write_report(items[0][1], original, items[0][0], folder / "image.pdf")
        batch = write_batch_report(original, items, folder / "batch.pdf")
    return original, items, single, batch


def test_image_report_defines_its_category_by_thresholds_and_states_no_copying(image_case):
    _, items, single, _ = image_case
    comparison = items[0][1]
    assert comparison.summary.verdict == "partial copy"
    text = text_of(single)
    assert "Result category: partial copy" in text
    assert "“partial copy” is the name memdiff gives this measured category" in text
    assert "does not say how the output was made" in text
    t = comparison.summary.thresholds
    assert f"at least {t['min_inliers']} keypoint pairs fit one alignment" in text
    assert "classed “near-identical” when" in text
    assert "it is a copy when" not in text


def test_image_hash_table_has_its_caveat_and_both_orientations(image_case):
    _, items, single, _ = image_case
    s = items[0][1].summary
    assert s.orientation == "mirrored"
    pages = pages_of(single)
    text = flat(" ".join(pages))
    assert "Each hash summarises a whole picture" in text
    assert "does not show that the pictures are unrelated" in text
    assert "Distance, output mirrored Distance, output as given" in text
    for name, h in s.hashes.items():
        assert f"{name} {h['distance']} {h['other_orientation_distance']} {h['bits']}" in text
    # The small table is kept with its heading: heading and last row on one page.
    page = flat(next(p for p in pages if "Hash distances" in p and "Similarity" in p))
    assert all(
        f"{name} {h['distance']} {h['other_orientation_distance']}" in page
        for name, h in s.hashes.items()
    )


def test_image_method_has_its_own_settings_and_measurements_and_literature(image_case):
    _, _, single, _ = image_case
    text = text_of(single)
    method = text[text.index("Method") : text.index("Findings")]
    for text_setting in ("min_words", "casefold", "near_seed_words"):
        assert text_setting not in method
    assert "image decision threshold" not in method
    assert "benchmarks/" not in text
    assert "Thresholds and settings" in method and "Values measured in this comparison" in method
    assert "min_inliers 12 a match needs at least this many keypoint pairs" in method
    assert "comparison_method keypoint alignment the method that decided the result" in method
    assert "direct_min_layout_correlation" in method  # a long name on one line, not broken mid-word
    literature = method[method.index("Literature") :]
    assert "Somepalli" in literature and "Deduplicating Training Data" not in literature
    appendix = text[text.rindex("Reproducibility") :]
    assert '"min_inliers": 12' in appendix and '"min_words"' not in appendix


def test_image_batch_has_image_columns_and_says_when_a_file_is_the_original(image_case):
    original, items, _, batch = image_case
    text = text_of(batch)
    summary = text[: text.index("Inputs")]
    assert "Result category Matched share of output Matched share of original Regions" in summary
    assert "Verbatim" not in summary and "Longest span" not in summary
    copy = items[2][1]
    assert copy.suspect.sha256 == original.sha256
    assert "near-identical; the file is identical to the original (same SHA-256)" in summary
    assert text.count("identical to the original") == 1  # only the copy
    assert re.search(
        r"photo\.png 640 × 480 pixels|copy\.png image/png [\d.]+ KiB 640 × 480 pixels", text
    )


def test_heatmap_is_light_where_matching_and_dark_where_different_in_grey():
    base = Image.new("RGB", (200, 100), (128, 128, 128))
    grid = {"tile": [50, 50], "grid": [[0.0, 0.5, 1.0, None], [1.0, 0.75, 0.25, None]]}
    grey = heatmap(base, grid, 1.0).convert("L")

    def tile(col: int, row: int) -> float:
        x, y = col * 50, row * 50
        return float(np.asarray(grey.crop((x + 5, y + 5, x + 45, y + 45))).mean())

    assert tile(0, 0) + 40 < tile(1, 0) and tile(1, 0) + 40 < tile(2, 0)
    assert tile(2, 1) + 40 < tile(1, 1) < tile(0, 1)
    # The scale itself: lightness rises with the score all the way.
    lightness = [np.dot(scale_colour(v / 20), (0.299, 0.587, 0.114)) for v in range(21)]
    assert all(a < b for a, b in itertools.pairwise(lightness))
    # A key is drawn below the picture.
    assert grey.height > base.height


def test_tables_leave_room_before_the_heading_that_follows():
    from memdiff.report.sections import grid_table, key_value_table
    from memdiff.report.styles import Styles

    st = Styles()
    # A heading placed after a table must not sit on the table's last rule.
    assert key_value_table([("File name", "a.txt")], st, width=400).getSpaceAfter() >= 6
    assert grid_table(["#", "File"], [["1", "a.txt"]], st, [30, 370]).getSpaceAfter() >= 6


def test_coverage_is_stated_over_the_words_as_compared(tmp_path):
    # With hyphen-broken words kept apart the output has more words as compared than as a file.
    from memdiff.evidence import Parameters

    text = "the repro-\nduction of the whole chapter was com-\nplete and every sen-\ntence was there " * 10
    original = ingest.load_text(text, "original.txt")
    comparison = compare(original, original, Parameters(join_hyphenation=False))
    s = comparison.summary
    assert s.suspect_words is not None and s.suspect_words != comparison.suspect.words
    target = write_report(comparison, original, original, tmp_path / "r.pdf")
    flat = re.sub(r"\\s+", " ", " ".join(page.extract_text() for page in PdfReader(target).pages))
    assert f"of the output’s {s.suspect_words:,} words" in flat
    assert "as compared under this comparison’s settings" in flat


def test_page_label_runs_read_one_way_and_a_word_ending_in_x_is_no_numeral():
    from memdiff.report.sections import label_ranges

    labels = ("i", "ii", "iii", "1", "2", "3", "A-1", "A-2", "", "Cover", "Appendix", "Index")
    assert label_ranges(labels) == "i–iii, 1–3, A-1 to A-2, –, Cover, Appendix, Index"

"""Batch exhibits (one original, many outputs) and image reports, rendered and read back."""

from __future__ import annotations

import hashlib
import io
import json
import re

import pytest
from memdiff.resources import path as resource_path
from PIL import Image, ImageDraw
from pypdf import PdfReader

from memdiff import ingest
from memdiff.analyse import compare
from memdiff.evidence import (
    Comparison,
    Document,
    DocumentRecord,
    ImageRegion,
    ImageSummary,
    Parameters,
)
from memdiff.report import FrontMatter, verify, write_batch_report, write_report


def text_of(path) -> str:
    return re.sub(r"\s+", " ", " ".join(p.extract_text() or "" for p in PdfReader(path).pages))


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outputs")
    original_path = resource_path("samples", "original.txt")
    copied = resource_path("samples", "model-output.txt").read_text(encoding="utf-8")
    files = {
        "chat-1.txt": copied,
        "chat-2.txt": resource_path("samples", "unrelated-output.txt").read_text(encoding="utf-8"),
        "chat-3.txt": copied[: len(copied) // 2] + "\n\nAnd that is where I will stop.\n",
    }
    paths = []
    for name, content in files.items():
        (folder / name).write_text(content, encoding="utf-8")
        paths.append(folder / name)
    return original_path, paths


def test_batch_report_has_a_row_and_a_section_per_output(outputs, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796000000")
    original_path, paths = outputs
    original = ingest.load(original_path)
    items = [(s, compare(original, s)) for s in (ingest.load(p) for p in paths)]
    target = write_batch_report(
        original,
        items,
        tmp_path / "batch.pdf",
        front=FrontMatter(case_number="1:23-cv-1", exhibit="K"),
        command=["memdiff", "compare", "original.txt", "chat-1.txt", "chat-2.txt", "chat-3.txt"],
    )
    text = text_of(target)
    nospace = text.replace(" ", "")
    assert "memdiff compared 3 model outputs" in text
    for n, (suspect, comparison) in enumerate(items, start=1):
        assert f"Output {n}: {suspect.name}" in text
        assert suspect.sha256 in nospace
        assert comparison.findings_digest() in nospace
    assert "no span found" in text  # the unrelated output's row
    assert "Summary of findings" in text
    body = json.loads(target.with_suffix(".json").read_text(encoding="utf-8"))
    assert body["schema"] == "memdiff/batch@1"
    assert [c["suspect"]["sha256"] for c in body["comparisons"]] == [s.sha256 for s, _ in items]
    pages = PdfReader(target).pages
    assert f"Page {len(pages)} of {len(pages)}" in pages[-1].extract_text()

    # verify with one of the outputs checks that output's row.
    result = verify(target, original_path, paths[2])
    assert result.ok, result.lines
    assert any("output 3 of 3" in line for line in result.lines)
    result = verify(target, original_path, resource_path("samples", "model-output.txt"))
    assert result.ok  # same bytes as chat-1.txt: found by its hash


def picture(width: int, height: int) -> Image.Image:
    image = Image.new("RGB", (width, height), (230, 220, 200))
    draw = ImageDraw.Draw(image)
    for x in range(0, width, 40):
        draw.rectangle([x, 0, x + 20, height], fill=((x * 7) % 255, (x * 3) % 255, 120))
    draw.ellipse([width * 0.3, height * 0.3, width * 0.7, height * 0.8], fill=(20, 60, 160))
    return image


def image_document(name: str, image: Image.Image) -> Document:
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    data = buffer.getvalue()
    return Document(
        name=name,
        sha256=hashlib.sha256(data).hexdigest(),
        size_bytes=len(data),
        media_type="image/png",
        kind="image",
        width=image.width,
        height=image.height,
        image_mode="RGB",
        image_format="PNG",
        image=image,
    )


def test_image_report_shows_pictures_hashes_and_regions(tmp_path):
    original_image = picture(1200, 800)
    output_image = original_image.crop((200, 100, 1000, 700)).resize((400, 300))
    original = image_document("painting.png", original_image)
    suspect = image_document("generated.png", output_image)
    grid = [[0.9 if 1 <= c <= 4 and r >= 1 else None for c in range(6)] for r in range(4)]
    summary = ImageSummary(
        match=True,
        verdict="partial copy",
        transform={"scale": 2.0, "rotation": 0.0, "dx": 200, "dy": 100, "mirrored": False},
        hashes={
            "phash": {"distance": 6, "bits": 64, "similarity": 0.906},
            "dhash": {"distance": 9, "bits": 64, "similarity": 0.859},
        },
        matched_fraction_of_suspect=0.93,
        matched_fraction_of_original=0.41,
        heatmap={"tile": [200, 200], "grid": grid},
        thresholds={"phash_max_distance": 10},
    )
    comparison = Comparison(
        mode="image",
        parameters=Parameters(),
        original=DocumentRecord.of(original),
        suspect=DocumentRecord.of(suspect),
        summary=summary,
        regions=(ImageRegion((200, 100, 1000, 700), (0, 0, 400, 300), 0.95),),
    )
    target = write_report(comparison, original, suspect, tmp_path / "image.pdf")
    reader = PdfReader(target)
    text = text_of(target)
    assert "Result category: partial copy" in text
    assert "93.0% of the output image and 41.0% of the original image" in text
    assert "scale 2, shift 200, 100 pixels, not mirrored" in text
    # No distance with the output in the other orientation in this result: a dash, not a number.
    assert "phash 6 – 64 0.906" in text and "dhash 9 – 64 0.859" in text
    assert "200, 100, 1000, 700" in text and "0.950" in text
    assert "phash_max_distance 10" in text
    assert original.sha256 in text.replace(" ", "")
    pictures = sum(len(page.images) for page in reader.pages)
    assert pictures == 4  # both pictures with boxes, the aligned blend, the heatmap
    assert target.stat().st_size < 2_000_000


def test_aligned_blend_puts_the_output_where_it_came_from():
    from memdiff.report.images import aligned, transform_matrix

    original = picture(600, 400)
    crop = original.crop((100, 50, 500, 350))  # 400 x 300
    output = crop.resize((200, 150)).transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    right = {"scale": 2.0, "dx": 100, "dy": 50, "mirrored": True, "rotation": 0}
    blend = aligned(original, output, transform_matrix(right, output.width))
    # Inside the matched area the blend equals the original (up to resampling); outside it is untouched.
    inside = [abs(a - b) for a, b in zip(blend.getpixel((300, 250)), original.getpixel((300, 250)))]
    assert max(inside) < 40
    assert blend.getpixel((20, 20)) == original.getpixel((20, 20))
    wrong = aligned(original, output, transform_matrix(dict(right, mirrored=False), output.width))

    def error(image):
        return sum(
            sum(abs(a - b) for a, b in zip(image.getpixel((x, 200)), original.getpixel((x, 200))))
            for x in range(110, 490, 10)
        )

    assert error(blend) < error(wrong) / 3
    # The result's own matrix, when given, is used as it is (here: the same mapping written out).
    matrix = {"matrix": [[-2.0, 0.0, 500.0], [0.0, 2.0, 50.0]]}
    assert transform_matrix(matrix, output.width) == transform_matrix(right, output.width)


def test_real_image_comparison_renders(tmp_path):
    from memdiff.analyse import compare as analyse

    original_image = picture(900, 600)
    output_image = original_image.crop((150, 100, 750, 500)).resize((300, 200))
    for name, image in (("orig.png", original_image), ("out.png", output_image)):
        image.save(tmp_path / name)
    original = ingest.load(tmp_path / "orig.png")
    suspect = ingest.load(tmp_path / "out.png")
    comparison = analyse(original, suspect)
    target = write_report(comparison, original, suspect, tmp_path / "real-image.pdf")
    text = text_of(target)
    assert f"Result category: {comparison.summary.verdict}" in text
    assert original.sha256 in text.replace(" ", "")
    assert verify(target, tmp_path / "orig.png", tmp_path / "out.png").ok

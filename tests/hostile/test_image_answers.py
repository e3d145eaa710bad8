"""Pictures that give no error but could give a silently wrong answer, and picture metadata that must not print noise.

Hostile is not only broken: a smooth picture (a sky, a gradient, a flat
illustration) gives keypoint matching nothing to hold on to. Whatever the
method, a picture compared with itself must never be reported as
"no match found", and two different smooth pictures must not be reported as
copies just because neither has texture.
"""

from __future__ import annotations

from io import BytesIO

import pytest

from hostile_corpus import run_memdiff
from memdiff.analyse import compare
from memdiff.ingest import load_bytes


def _png(picture) -> bytes:
    out = BytesIO()
    picture.save(out, "PNG")
    return out.getvalue()


def _gradient(size):
    from PIL import Image

    return Image.linear_gradient("L").resize(size).convert("RGB")


def _logo(size):
    from PIL import Image, ImageDraw

    picture = Image.new("RGB", size, "white")
    draw = ImageDraw.Draw(picture)
    w, h = size
    draw.ellipse((w * 0.1, h * 0.1, w * 0.5, h * 0.6), fill=(200, 30, 30))
    draw.rectangle((w * 0.55, h * 0.2, w * 0.9, h * 0.8), fill=(30, 60, 200))
    return picture


def test_a_flat_illustration_compared_with_itself_is_near_identical():
    document = load_bytes(_png(_logo((512, 512))), "logo.png")
    result = compare(document, document)
    assert result.summary.verdict == "near-identical"
    assert all(h["distance"] == 0 for h in result.summary.hashes.values())


@pytest.mark.parametrize("size", [(512, 512), (64, 48)])
def test_a_smooth_picture_compared_with_itself_is_not_no_match(size):
    document = load_bytes(_png(_gradient(size)), "sky.png")
    result = compare(document, document)
    assert all(h["distance"] == 0 for h in result.summary.hashes.values())
    assert result.summary.verdict == "near-identical", result.summary
    # Found by the direct comparison (ORB finds no keypoints on a gradient), and said so.
    assert result.summary.thresholds["direct_pixel_identical"] is True
    assert "direct comparison" in result.summary.thresholds["comparison_method"]
    assert [r.original for r in result.regions] == [(0, 0, *size)]


def test_the_summary_and_the_report_say_which_method_decided(tmp_path):
    from pypdf import PdfReader

    from memdiff.cli import summary_text
    from memdiff.report import write_report

    sky = load_bytes(_png(_gradient((256, 256))), "sky.png")
    smooth = compare(sky, sky)
    assert "Method: direct comparison (too little texture for keypoints)." in summary_text(smooth)
    assert "layout correlation 1.0" in summary_text(smooth)
    logo = load_bytes(_png(_logo((512, 512))), "logo.png")
    assert "Method: keypoint alignment." in summary_text(compare(logo, logo))
    report = write_report(smooth, sky, sky, tmp_path / "sky.pdf")
    text = " ".join("".join(page.extract_text() for page in PdfReader(report).pages).split())
    assert "This comparison used direct comparison (too little texture for keypoints)." in text
    assert "measured in this comparison" in text


def test_a_flat_picture_compared_with_itself_is_near_identical():
    from PIL import Image

    document = load_bytes(_png(Image.new("RGB", (200, 120), (90, 140, 200))), "blank.png")
    assert compare(document, document).summary.verdict == "near-identical"


def _two_colour_ramp(size, left, right):
    """A left-to-right ramp between two colours (not mirror-symmetric, unlike Pillow's top-to-bottom gradient)."""
    import numpy as np
    from PIL import Image

    t = np.linspace(0.0, 1.0, size[0])[None, :, None]
    pixels = np.array(left, float) * (1 - t) + np.array(right, float) * t
    return Image.fromarray(np.repeat(pixels, size[1], axis=0).round().astype("uint8"))


def test_copies_of_a_smooth_picture_are_found_by_the_direct_comparison():
    from PIL import Image, ImageOps

    ramp = _two_colour_ramp((400, 300), (30, 60, 160), (240, 200, 120))
    original = load_bytes(_png(ramp), "sky.png")
    out = BytesIO()
    ramp.resize((200, 150), Image.Resampling.LANCZOS).save(out, "JPEG", quality=40)
    smaller_jpeg = load_bytes(out.getvalue(), "copy.jpg")
    result = compare(original, smaller_jpeg)
    assert result.summary.verdict == "near-identical", result.summary.thresholds
    assert result.summary.transform["scale"] == pytest.approx(2.0, abs=0.01)
    mirrored = compare(original, load_bytes(_png(ImageOps.mirror(ramp)), "mirrored.png"))
    assert (mirrored.summary.verdict, mirrored.summary.orientation) == ("near-identical", "mirrored")


@pytest.mark.parametrize(
    "other",
    ["flat in another colour", "ramp at right angles", "same ramp in other colours", "same ramp in grey"],
)
def test_two_different_smooth_pictures_are_not_reported_as_copies(other):
    from PIL import Image, ImageOps

    ramp = _two_colour_ramp((400, 300), (30, 60, 160), (240, 200, 120))
    if other == "flat in another colour":
        picture = Image.new("RGB", ramp.size, (200, 40, 40))
    elif other == "ramp at right angles":
        picture = _two_colour_ramp((300, 400), (30, 60, 160), (240, 200, 120)).rotate(90, expand=True)
    elif other == "same ramp in other colours":  # light on the same side, but purple to orange, not blue to sand
        picture = _two_colour_ramp(ramp.size, (70, 30, 110), (250, 150, 40))
    else:
        picture = ImageOps.grayscale(_two_colour_ramp(ramp.size, (0, 0, 0), (255, 255, 255))).convert("RGB")
    result = compare(load_bytes(_png(ramp), "sky.png"), load_bytes(_png(picture), "other.png"))
    assert result.summary.verdict == "no match found", result.summary.thresholds
    assert result.regions == ()


def test_a_corrupt_exif_block_prints_nothing_but_the_result(tmp_path, home):
    from hostile_corpus import image_bytes
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = 6
    data = bytearray(image_bytes("JPEG", size=(64, 48), exif=exif.tobytes()))
    tiff = data.index(b"Exif\x00\x00") + 6
    order = "big" if data[tiff : tiff + 2] == b"MM" else "little"
    ifd = tiff + int.from_bytes(data[tiff + 4 : tiff + 8], order)
    # The first directory claims 257 entries where the block holds one: the reader runs off its end.
    data[ifd : ifd + 2] = (257).to_bytes(2, order)
    path = tmp_path / "photo.jpg"
    path.write_bytes(bytes(data))
    done = run_memdiff(["compare", str(path), str(path)], home)
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr, done.stderr

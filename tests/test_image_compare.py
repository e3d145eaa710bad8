"""Image comparison on real photographs: verdicts, regions, transform, determinism and the JSON result."""

from __future__ import annotations

import io
import json
import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from PIL import Image, ImageDraw, ImageEnhance, ImageOps

from memdiff.analyse import compare
from memdiff.errors import Cancelled
from memdiff.evidence import Comparison, Parameters
from memdiff.image import compare_images, verdict
from memdiff.ingest import load, load_bytes
from memdiff.progress import Progress

PHOTOS = Path(__file__).parent / "data" / "images"
ROOT = Path(__file__).parent.parent


def photo(name: str):
    return load(PHOTOS / name)


def as_document(picture: Image.Image, name: str, fmt: str = "PNG", **options):
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **options)
    return load_bytes(buffer.getvalue(), name)


def iou(a, b) -> float:
    ix = max(0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union


def union_box(boxes):
    return (min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes))


@pytest.fixture(scope="module")
def rocket():
    return photo("rocket.jpg")


def test_an_unchanged_copy_is_near_identical_with_the_identity_transform(rocket):
    result = compare_images(rocket, photo("rocket.jpg"), Parameters())
    s = result.summary
    assert (s.match, s.verdict, s.orientation) == (True, verdict.NEAR_IDENTICAL, "as given")
    assert s.transform["scale"] == pytest.approx(1.0, abs=0.005)
    assert abs(s.transform["dx"]) < 1 and abs(s.transform["dy"]) < 1 and abs(s.transform["rotation"]) < 0.2
    assert s.hashes["phash"] == {**s.hashes["phash"], "distance": 0, "bits": 64, "similarity": 1.0}
    assert s.matched_fraction_of_original > 0.95 and s.matched_fraction_of_suspect > 0.95
    assert [r.original for r in result.regions] == [(0, 0, 640, 427)]


def test_a_crop_is_a_partial_copy_and_its_region_is_found_in_both_pictures(rocket):
    box = (200, 60, 520, 300)
    result = compare_images(rocket, as_document(rocket.image.crop(box), "crop.png"), Parameters())
    s = result.summary
    assert s.verdict == verdict.PARTIAL_COPY
    assert iou(union_box([r.original for r in result.regions]), box) >= 0.8
    assert iou(union_box([r.suspect for r in result.regions]), (0, 0, 320, 240)) >= 0.8
    assert s.transform["dx"] == pytest.approx(200, abs=2) and s.transform["dy"] == pytest.approx(60, abs=2)
    assert s.matched_fraction_of_suspect > 0.85
    assert s.matched_fraction_of_original == pytest.approx(320 * 240 / (640 * 427), abs=0.05)
    # The heatmap covers the original's grid and is empty (None) where the crop does not reach.
    grid = s.heatmap["grid"]
    tile = s.heatmap["tile"][0]
    assert len(grid) == math.ceil(427 / tile) and len(grid[0]) == math.ceil(640 / tile)
    assert grid[0][0] is None and grid[len(grid) - 1][len(grid[0]) - 1] is None
    assert grid[(60 + 300) // 2 // tile][(200 + 520) // 2 // tile] > 0.8


def test_a_downscaled_jpeg_q30_copy_is_near_identical_and_its_scale_measured(rocket):
    small = rocket.image.resize((320, 214), Image.Resampling.LANCZOS)
    result = compare_images(rocket, as_document(small, "small.jpg", "JPEG", quality=30), Parameters())
    assert result.summary.verdict == verdict.NEAR_IDENTICAL
    assert result.summary.transform["scale"] == pytest.approx(2.0, abs=0.03)


def test_a_mirrored_copy_is_found_and_the_orientation_reported():
    chelsea = photo("chelsea.jpg")
    result = compare_images(chelsea, as_document(ImageOps.mirror(chelsea.image), "flip.png"), Parameters())
    s = result.summary
    assert s.verdict == verdict.NEAR_IDENTICAL
    assert s.orientation == "mirrored" and s.transform["mirrored"] is True
    # Hashes are reported for the orientation that matched; as given they are far apart.
    assert s.hashes["phash"]["distance"] <= 4 < s.hashes["phash"]["other_orientation_distance"]
    # The suspect's top-left corner is the original's top-right corner.
    matrix = s.transform["matrix"]
    x = matrix[0][0] * 0 + matrix[0][1] * 0 + matrix[0][2]
    assert x == pytest.approx(451, abs=3)


def test_a_photo_pasted_into_another_is_located_in_the_suspect():
    astronaut = photo("astronaut.jpg")
    host = photo("coffee.jpg").image.copy()
    host.paste(astronaut.image.resize((230, 230), Image.Resampling.LANCZOS), (310, 120))
    result = compare_images(astronaut, as_document(host, "scene.png"), Parameters())
    s = result.summary
    assert s.verdict == verdict.PARTIAL_COPY
    assert iou(union_box([r.suspect for r in result.regions]), (310, 120, 540, 350)) >= 0.8
    assert iou(union_box([r.original for r in result.regions]), (0, 0, 512, 512)) >= 0.8
    assert s.matched_fraction_of_original > 0.9
    assert s.matched_fraction_of_suspect == pytest.approx(230 * 230 / (600 * 400), abs=0.05)


def test_a_watermark_band_is_left_out_of_the_matched_regions():
    coffee = photo("coffee.jpg")
    marked = coffee.image.copy()
    ImageDraw.Draw(marked).rectangle((0, 250, 600, 300), fill=(255, 255, 255))
    result = compare_images(coffee, as_document(marked, "marked.png"), Parameters())
    assert result.summary.match
    tile = result.summary.heatmap["tile"][1]
    band_rows = result.summary.heatmap["grid"][255 // tile + 1 : 300 // tile]
    assert band_rows and all(v is None or v < 0.5 for row in band_rows for v in row)
    assert 0.75 <= result.summary.matched_fraction_of_original <= 0.92
    # No reported box lies inside the band.
    for region in result.regions:
        assert not (region.original[1] >= 250 and region.original[3] <= 300)


def test_brightened_and_greyscale_copies_still_match(rocket):
    brighter = ImageEnhance.Brightness(rocket.image).enhance(1.3)
    grey = ImageOps.grayscale(rocket.image)
    for picture, name in ((brighter, "bright.png"), (grey, "grey.png")):
        assert compare_images(rocket, as_document(picture, name), Parameters()).summary.verdict == verdict.NEAR_IDENTICAL


@pytest.mark.parametrize(("original", "suspect"), [("astronaut.jpg", "chelsea.jpg"), ("brick.jpg", "gravel.jpg"), ("coffee.jpg", "retina.jpg")])
def test_unrelated_photographs_are_no_match(original, suspect):
    result = compare_images(photo(original), photo(suspect), Parameters())
    s = result.summary
    assert (s.match, s.verdict) == (False, verdict.NO_MATCH)
    assert result.regions == () and s.transform is None and s.heatmap is None
    assert s.matched_fraction_of_original == 0.0 and s.matched_fraction_of_suspect == 0.0
    assert s.thresholds["min_inliers"] == verdict.MIN_INLIERS


def _blurred(name: str) -> Image.Image:
    """A photograph blurred until ORB finds no keypoints: a stand-in for a sky or a soft background."""
    from PIL import ImageFilter

    picture = Image.open(PHOTOS / name).convert("RGB")
    return picture.filter(ImageFilter.GaussianBlur(max(picture.size) * 0.05))


def test_a_blurred_photo_too_smooth_for_keypoints_is_compared_directly():
    coffee = _blurred("coffee.jpg")
    original = as_document(coffee, "soft.png")
    copy = as_document(coffee.resize((300, 200), Image.Resampling.LANCZOS), "soft.jpg", "JPEG", quality=30)
    result = compare_images(original, copy, Parameters())
    s = result.summary
    assert s.verdict == verdict.NEAR_IDENTICAL
    assert s.inliers == 0 and "direct comparison" in s.thresholds["comparison_method"]
    assert s.thresholds["direct_layout_correlation"] >= verdict.DIRECT_MIN_LAYOUT_CORRELATION
    assert s.thresholds["direct_colour_residual"] <= verdict.DIRECT_MAX_COLOUR_RESIDUAL
    assert s.transform["scale"] == pytest.approx(2.0, abs=0.01) and s.transform["matches"] == 0
    assert [r.original for r in result.regions] == [(0, 0, 600, 400)]
    assert [r.suspect for r in result.regions] == [(0, 0, 300, 200)]
    # Another smooth picture of the same shape is not a copy.
    other = as_document(_blurred("rocket.jpg").resize((600, 400)), "other.png")
    unrelated = compare_images(original, other, Parameters())
    assert unrelated.summary.verdict == verdict.NO_MATCH and unrelated.regions == ()
    assert "direct comparison" in unrelated.summary.thresholds["comparison_method"]


def test_photographs_never_need_the_direct_comparison(rocket):
    result = compare_images(rocket, photo("coffee.jpg"), Parameters())
    assert result.summary.thresholds["comparison_method"] == verdict.KEYPOINT_ALIGNMENT


def test_analyse_compare_picks_image_mode_and_the_json_round_trips(rocket):
    suspect = as_document(rocket.image.crop((0, 0, 400, 300)), "part.png")
    result = compare(rocket, suspect)
    assert result.mode == "image"
    data = json.loads(result.to_json())
    assert data["original"]["width"] == 640 and data["suspect"]["height"] == 300
    assert data["summary"]["verdict"] == verdict.PARTIAL_COPY
    assert data["regions"] and set(data["regions"][0]) == {"original", "suspect", "score"}
    again = Comparison.from_json(result.to_json())
    assert again.findings_digest() == result.findings_digest()
    assert again.regions == result.regions


class Recording(Progress):
    def __init__(self, cancel_after: int | None = None) -> None:
        self.fractions: list[float] = []
        self.cancel_after = cancel_after

    def report(self, fraction: float, message: str = "") -> None:
        self.fractions.append(fraction)

    def is_cancelled(self) -> bool:
        return self.cancel_after is not None and len(self.fractions) >= self.cancel_after


def test_progress_rises_to_one_and_cancel_stops_the_work(rocket):
    progress = Recording()
    compare_images(rocket, photo("rocket.jpg"), Parameters(), progress=progress)
    assert progress.fractions == sorted(progress.fractions) and progress.fractions[-1] == 1.0
    assert len(progress.fractions) >= 5
    with pytest.raises(Cancelled):
        compare_images(rocket, photo("rocket.jpg"), Parameters(), progress=Recording(cancel_after=2))


def test_the_same_inputs_give_the_same_findings_in_another_process_and_hash_seed(tmp_path):
    crop = Image.open(PHOTOS / "coffee.jpg").convert("RGB").crop((50, 40, 420, 330)).rotate(2, resample=Image.Resampling.BICUBIC)
    crop.save(tmp_path / "suspect.png")
    script = textwrap.dedent(
        f"""
        from memdiff.ingest import load
        from memdiff.analyse import compare
        result = compare(load({str(PHOTOS / 'coffee.jpg')!r}), load({str(tmp_path / 'suspect.png')!r}))
        print(result.findings_canonical_json())
        """
    )
    outputs = []
    for seed in ("0", "1", "12345"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
        outputs.append(done.stdout)
    assert outputs[0] == outputs[1] == outputs[2]
    findings = json.loads(outputs[0])
    assert findings["summary"]["verdict"] == verdict.PARTIAL_COPY
    in_process = compare(load(PHOTOS / "coffee.jpg"), load(tmp_path / "suspect.png"))
    assert in_process.findings_canonical_json() + "\n" == outputs[0]


def _hash_test_pictures():
    """Photographs (as given, mirrored, shrunk) and the degenerate pictures where ties decide bits."""
    import numpy as np

    pictures = []
    for name in ("astronaut.jpg", "camera.png", "clock.jpg", "coins.png"):
        picture = Image.open(PHOTOS / name).convert("RGB")
        pictures += [picture, ImageOps.mirror(picture), picture.resize((61, 47))]
    for size in ((512, 512), (64, 48), (7, 5)):
        pictures.append(Image.linear_gradient("L").resize(size).convert("RGB"))
        pictures.append(Image.linear_gradient("L").rotate(90).resize(size).convert("RGB"))
        pictures.append(Image.radial_gradient("L").resize(size).convert("RGB"))
        pictures.append(Image.new("RGB", size, (9, 200, 9)))
    generator = np.random.default_rng(7)
    for _ in range(6):
        height, width = (int(v) for v in generator.integers(5, 120, 2))
        pictures.append(Image.fromarray(generator.integers(0, 256, (height, width, 3), dtype=np.uint8)))
    return pictures


def test_our_phash_and_whash_are_imagehash_bit_for_bit():
    """memdiff computes pHash and wHash without SciPy and PyWavelets (start-up time); another expert using
    imagehash gets the same bits, also on flat and smooth pictures where coefficients tie with the median."""
    import imagehash

    from memdiff.image import hashes

    functions = dict(hashes.HASHES)
    for variant in _hash_test_pictures():
        assert functions["phash"](variant) == imagehash.phash(variant)
        assert str(functions["whash"](variant)) == str(imagehash.whash(variant, image_scale=hashes.WHASH_IMAGE_SCALE))


def test_a_photo_comparison_imports_neither_scipy_nor_pywavelets_nor_numpy_ma(tmp_path):
    """The reason for computing the two hashes here: those imports cost start-up time on every comparison."""
    code = textwrap.dedent(
        f"""
        import sys
        from memdiff.analyse import compare
        from memdiff.ingest import load
        compare(load({str(PHOTOS / "coffee.jpg")!r}), load({str(PHOTOS / "rocket.jpg")!r}))
        print(sorted(m for m in ("scipy", "pywt", "numpy.ma") if m in sys.modules))
        """
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert done.stdout.strip() == "[]", done.stdout

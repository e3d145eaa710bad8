"""Image results do not depend on the processor: OpenCV's optimised code paths and its thread count change nothing.

The other side's expert reruns memdiff on another computer, whose processor
offers other vector instructions (SSE only, AVX2, AVX-512, ARM NEON) and
another number of cores. Switching OpenCV's optimised (SIMD and IPP) code
paths off, and changing its thread count, is how these differences can be
produced on one machine: the findings digest (which covers the verdict, the
figures, the heatmap and the region boxes) must not move.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import cv2
import numpy as np
import pytest
from PIL import Image, ImageEnhance, ImageFilter

from memdiff.evidence import Parameters
from memdiff.image import align, compare_images, regions
from memdiff.ingest import load, load_bytes

PHOTOS = Path(__file__).parent / "data" / "images"


def _jpeg(picture: Image.Image, name: str, quality: int = 80):
    buffer = io.BytesIO()
    picture.save(buffer, "JPEG", quality=quality)
    return load_bytes(buffer.getvalue(), name)


def _rgb(name: str) -> Image.Image:
    with Image.open(PHOTOS / name) as picture:
        return picture.convert("RGB")


def _tilted_crop(name: str, size: tuple[int, int]) -> Image.Image:
    picture = _rgb(name)
    w, h = picture.size
    crop = picture.crop((w // 5, h // 6, w * 4 // 5, h * 5 // 6)).rotate(4, resample=Image.Resampling.BICUBIC)
    return ImageEnhance.Brightness(crop.resize(size)).enhance(1.2)


def _pairs():
    """Copies that are shrunk (so enlarged again for keypoints), tilted, brightened; one stretched; one smooth."""
    pairs = []
    for name in ("astronaut.jpg", "coffee.jpg", "rocket.jpg"):
        w, h = _rgb(name).size
        pairs.append((name, load(PHOTOS / name), _jpeg(_tilted_crop(name, ((w * 3 // 5) * 2 // 3, (h * 2 // 3) * 2 // 3)), "copy.jpg")))
    w, h = _rgb("coffee.jpg").size
    # Stretched (width 5/6, height 3/4 of the crop): the copy whose verdict flipped with the code paths.
    pairs.append(("coffee.jpg stretched", load(PHOTOS / "coffee.jpg"), _jpeg(_tilted_crop("coffee.jpg", (w // 2, h // 2)), "copy.jpg")))
    # Too smooth for keypoints: the direct comparison runs (its cell colours and tone layout).
    smooth = _rgb("chelsea.jpg").filter(ImageFilter.GaussianBlur(12))
    buffer = io.BytesIO()
    smooth.save(buffer, "PNG")
    pairs.append(("blurred chelsea.jpg", load_bytes(buffer.getvalue(), "smooth.png"), _jpeg(smooth.resize((301, 201)), "smooth.jpg")))
    return pairs


@contextmanager
def opencv_settings(optimised: bool, threads: int) -> Iterator[None]:
    before = (cv2.useOptimized(), cv2.getNumThreads())
    cv2.setUseOptimized(optimised)
    cv2.setNumThreads(threads)
    try:
        yield
    finally:
        cv2.setUseOptimized(before[0])
        cv2.setNumThreads(before[1])


def _findings(pairs, optimised: bool, threads: int) -> dict[str, tuple[str, str, int, float]]:
    with opencv_settings(optimised, threads):
        results = {name: compare_images(o, s, Parameters()) for name, o, s in pairs}
    return {
        name: (c.findings_digest(), c.summary.verdict, c.summary.inliers, c.summary.matched_fraction_of_suspect)
        for name, c in results.items()
    }


@pytest.fixture(scope="module")
def pairs():
    return _pairs()


@pytest.fixture(scope="module")
def reference(pairs):
    return _findings(pairs, optimised=True, threads=2)


def test_the_reference_findings_are_copies_where_copies_were_made(reference):
    # Guards the comparison below against passing on results that found nothing at all.
    verdicts = {name: found[1] for name, found in reference.items()}
    assert verdicts["astronaut.jpg"] == verdicts["rocket.jpg"] == "partial copy"
    assert verdicts["blurred chelsea.jpg"] == "near-identical"


@pytest.mark.parametrize(("optimised", "threads"), [(False, 2), (True, 1), (False, 1)])
def test_findings_are_the_same_with_opencvs_optimised_code_paths_off_and_any_thread_count(pairs, reference, optimised, threads):
    assert _findings(pairs, optimised, threads) == reference


#: The same pairs compared in a fresh process (OpenCV reads OPENCV_CPU_DISABLE when it loads).
_CHILD = """
import json, sys
sys.path.insert(0, sys.argv[1])
import test_image_reproducible as here
print(json.dumps(here._findings(here._pairs(), optimised=True, threads=2)))
"""


@pytest.mark.parametrize("disabled", ["AVX512-SKX", "AVX,FP16,AVX2,AVX512F,AVX512-SKX"])
def test_findings_are_the_same_on_a_processor_without_avx512_or_without_avx(reference, disabled):
    # What an older processor offers: OpenCV then dispatches its AVX2 or its SSE4 code.
    environment = {**os.environ, "OPENCV_CPU_DISABLE": disabled}
    child = subprocess.run(
        [sys.executable, "-c", _CHILD, str(Path(__file__).parent)],
        env=environment, capture_output=True, text=True, check=True, timeout=300,
    )
    found = {name: tuple(figures) for name, figures in json.loads(child.stdout).items()}
    assert found == reference


def test_the_warp_and_the_blur_do_not_depend_on_the_code_paths():
    picture = np.asarray(_rgb("coffee.jpg").convert("L"))
    suspect = align.WorkingCopy(gray=picture, factor=1.0, width=picture.shape[1], height=picture.shape[0])
    grid = regions.grid_for(900, 620)
    turned = align.Alignment(
        matrix=np.array([[1.37, 0.11, -40.3], [-0.11, 1.37, 12.9]]), mirrored=True, inliers=0, matches=0,
        suspect_width=picture.shape[1], suspect_height=picture.shape[0],
    )
    shrunk = align.Alignment(
        matrix=np.array([[0.41, -0.02, 33.3], [0.02, 0.41, 17.1]]), mirrored=False, inliers=0, matches=0,
        suspect_width=picture.shape[1], suspect_height=picture.shape[0],
    )
    outputs = []
    for optimised in (True, False):
        with opencv_settings(optimised, 2):
            made = [regions.warp_suspect(suspect, a, grid) for a in (turned, shrunk)]
            outputs.append([array.tobytes() for pair in made for array in pair])
            outputs[-1].append(regions.blur(made[0][0]).tobytes())
    assert outputs[0] == outputs[1]


def test_a_warp_by_the_identity_reproduces_the_picture_and_covers_it():
    # 16 working pixels per tile and a 512-pixel frame: the identity at the frame's own scale.
    gray = np.arange(512 * 256, dtype=np.uint32).reshape(256, 512) % 251
    copy = align.WorkingCopy(gray=gray.astype(np.uint8), factor=1.0, width=512, height=256)
    grid = regions.grid_for(512, 256)
    assert grid.factor == 1.0
    identity = align.Alignment(np.array([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]), False, 0, 0, 512, 256)
    warped, covered = regions.warp_suspect(copy, identity, grid)
    assert np.array_equal(warped, gray.astype(np.float64))
    assert covered.all()


def test_textured_tiles_are_counted_as_the_tile_check_judges_them():
    picture = _rgb("rocket.jpg")
    rgb, factor = align.working_rgb(picture)
    copy = align.working_copy(rgb, factor, picture.size)
    grid = regions.grid_for(*picture.size)
    frame = regions.original_frame(copy.gray, grid)
    # The original laid over itself, through the same steps as a warped suspect.
    tiles = regions.score_tiles(frame, frame.gray, frame.inside, grid)
    count = regions.textured_tile_count(frame, grid)
    assert count == int(tiles.textured.sum())
    assert 0 < count < grid.rows * grid.cols


def test_at_the_chosen_orientations_no_turned_patch_point_lies_near_a_half_pixel():
    # ORB turns each patch offset (px, py) by the keypoint's angle as OpenCV does (float32 degrees
    # times float32 pi / 180, float32 cosine and sine) and rounds to whole pixels; a margin of
    # 0.0019 pixels is a thousand times what a processor's rounding of the sine or the multiply-add
    # can move it.
    assert len(align.ANGLE_OFFSETS) == 90 and all(-25 <= o <= 25 for o in align.ANGLE_OFFSETS)
    offsets = np.arange(-13, 14, dtype=np.float64)
    px, py = (v.ravel() for v in np.meshgrid(offsets, offsets))
    degrees = (np.arange(360) + np.array(align.ANGLE_OFFSETS * 4) / 100.0).astype(np.float32)
    radians = degrees * np.float32(np.pi / 180)
    a = np.cos(radians.astype(np.float64)).astype(np.float32).astype(np.float64)[:, None]
    b = np.sin(radians.astype(np.float64)).astype(np.float32).astype(np.float64)[:, None]
    turned = np.concatenate([px * a - py * b, px * b + py * a], axis=1)
    margin = np.abs(turned - np.floor(turned) - 0.5).min()
    assert margin > 0.0019


def test_keypoint_orientations_are_orbs_own_rounded_to_the_chosen_angles():
    gray = np.asarray(_rgb("astronaut.jpg").convert("L"))
    orb = cv2.ORB_create(
        nfeatures=align.ORB_FEATURES, scaleFactor=align.ORB_SCALE_FACTOR, nlevels=align.ORB_LEVELS, fastThreshold=align.ORB_FAST_THRESHOLD
    )
    found = orb.detect(gray, None)
    levels = np.array([k.octave for k in found])
    scales = align._level_scales(int(levels.max()) + 1)
    on_level = np.rint(np.array([k.pt for k in found]) / scales[levels][:, None]).astype(np.int64)
    ours = align._orientations(gray, levels, on_level, scales)
    theirs = np.array([k.angle for k in found])
    apart = np.abs((ours - theirs + 180) % 360 - 180)
    # Half a degree of rounding, a quarter of offset, and OpenCV's arctangent approximation.
    assert apart.max() <= 0.76
    whole = np.rint(ours).astype(int) % 360
    assert np.array_equal(ours, (whole + np.array(align.ANGLE_OFFSETS)[whole % 90] / 100.0).astype(np.float32))


def test_keypoints_come_in_a_fixed_order_whatever_order_opencv_found_them_in():
    gray = np.asarray(_rgb("coffee.jpg").convert("L"))
    found = align.keypoints(gray)
    again = align.keypoints(np.ascontiguousarray(gray))
    assert np.array_equal(found.points, again.points) and np.array_equal(found.descriptors, again.descriptors)
    # Sorted by pyramid level (the keypoint's size grows with it), then by row, then by column.
    orb = cv2.ORB_create(
        nfeatures=align.ORB_FEATURES, scaleFactor=align.ORB_SCALE_FACTOR, nlevels=align.ORB_LEVELS, fastThreshold=align.ORB_FAST_THRESHOLD
    )
    detected = orb.detect(gray, None)
    levels = np.array([k.octave for k in detected])
    scales = align._level_scales(int(levels.max()) + 1)
    corners = np.array([k.pt for k in detected], dtype=np.float64)
    on_level = np.rint(corners / scales[levels][:, None]).astype(np.int64)
    expected = corners[np.lexsort((on_level[:, 0], on_level[:, 1], levels))].astype(np.float32) + 0.5
    assert not np.array_equal(corners.astype(np.float32) + 0.5, expected)  # OpenCV's own order is another
    assert np.array_equal(found.points, expected)

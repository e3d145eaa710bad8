"""Image comparison: does the suspect picture reproduce the original, where, and how was that decided.

``compare_images`` runs four steps, reporting progress and honouring cancel
between them: working copies and global perceptual hashes (``hashes``),
keypoint alignment of the suspect as given and mirrored (``align``), a
tile-by-tile check of the best alignment (``regions``), and the verdict from
fixed thresholds (``verdict``). Every number in the result is rounded so that
the JSON is the same on every run.

Pictures too smooth for keypoints (a sky, a gradient, a flat illustration,
a heavily blurred photo: fewer keypoints than the keypoint verdict needs
inliers, or an original with fewer textured tiles than it needs matched)
could never pass that test, not even against themselves. When the keypoint
test finds no match for such pictures, the suspect is laid over the original
directly at the same size, as given and mirrored, and the verdict is taken
from the tone layout, the colours and the tiles (``verdict.DIRECT_*``).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageOps

from memdiff.errors import InputError
from memdiff.evidence import (
    Comparison,
    Document,
    DocumentRecord,
    ImageRegion,
    ImageSummary,
    Parameters,
)
from memdiff.image import align, hashes, regions, verdict
from memdiff.progress import SILENT, Progress, Stage

__all__ = ["TRANSFORM_CONVENTION", "PictureAnalysis", "analyse_pictures", "compare_images"]


@dataclass(frozen=True)
class Checked:
    """One candidate alignment after its tiles were scored."""

    alignment: align.Alignment
    tiles: regions.TileMap
    evidence: verdict.Evidence


def _picture(doc: Document) -> Image.Image:
    if doc.kind != "image" or doc.image is None:
        raise InputError(f"{doc.name} holds no picture, so it cannot be compared as an image.")
    picture = doc.image
    return picture if picture.mode == "RGB" else picture.convert("RGB")


@dataclass(frozen=True)
class PictureAnalysis:
    """Everything measured on two pictures, before it is written up as a Comparison.

    ``best`` is the candidate alignment with the most matched area (None when
    no alignment was found at all); ``verdict`` is taken from it. The
    calibration benchmark reads ``best.evidence`` (and ``direct.evidence``)
    even for non-matches, which is how the thresholds are shown to clear
    every impostor.
    """

    as_given_hashes: dict[str, dict[str, object]]
    mirrored_hashes: dict[str, dict[str, object]]
    best: Checked | None
    verdict: str
    #: The direct comparison's best candidate, when it ran (pictures too smooth for the keypoint
    #: test); ``best`` is this one when it matched, or when no keypoint alignment was found.
    direct: Checked | None = None


def analyse_pictures(
    original_picture: Image.Image, suspect_picture: Image.Image, *, progress: Progress = SILENT
) -> PictureAnalysis:
    """Hashes, alignment (as given and mirrored), tile check and verdict for two RGB pictures."""
    progress.report(0.02, "Preparing working copies")
    original_rgb, original_factor = align.working_rgb(original_picture)
    suspect_rgb, suspect_factor = align.working_rgb(suspect_picture)
    original_copy = align.working_copy(original_rgb, original_factor, original_picture.size)
    suspect_copy = align.working_copy(suspect_rgb, suspect_factor, suspect_picture.size)
    progress.check()

    progress.report(0.1, "Perceptual hashes")
    original_hashes = hashes.hash_values(hashes.hashing_copy(original_rgb))
    suspect_small = hashes.hashing_copy(suspect_rgb)
    as_given = hashes.compare_hashes(original_hashes, hashes.hash_values(suspect_small))
    mirrored = hashes.compare_hashes(original_hashes, hashes.hash_values(ImageOps.mirror(suspect_small)))
    progress.check()

    progress.report(0.2, "Keypoints")
    original_keys = align.keypoints(original_copy.gray)
    grid = regions.grid_for(original_picture.width, original_picture.height)
    frame = regions.original_frame(original_copy.gray, grid)
    progress.check()
    # The orientation the hashes favour is tried first; the other only when the first does not
    # already explain nearly all of the suspect (it could then not explain more). This halves
    # the work for the usual copy and never skips the mirror when it might matter.
    mirror_first = mirrored["phash"]["distance"] + verdict.ORIENTATION_HINT_BITS <= as_given["phash"]["distance"]
    checked: list[Checked] = []
    fewest_keypoints = len(original_keys.points)
    for index, flip in enumerate((True, False) if mirror_first else (False, True)):
        progress.report(0.3 + 0.3 * index, "Aligning the mirrored picture" if flip else "Aligning the picture")
        copy = align.mirrored_copy(suspect_copy) if flip else suspect_copy
        suspect_keys = align.keypoints(copy.gray)
        fewest_keypoints = min(fewest_keypoints, len(suspect_keys.points))
        found = align.fit(original_copy, original_keys, copy, suspect_keys, mirrored=flip)
        progress.check()
        if found is None:
            continue
        checked.append(_check(found, suspect_copy, grid, frame))
        progress.check()
        first = checked[-1].evidence
        if verdict.is_match(first) and first.matched_fraction_of_suspect >= verdict.CONCLUSIVE_FRACTION:
            break
    # Best: a match before a non-match, then the most matched area, then the most inliers,
    # then the picture as given before the mirrored one.
    best = max(
        checked,
        key=lambda c: (
            verdict.is_match(c.evidence),
            c.evidence.matched_fraction_of_original,
            c.alignment.inliers,
            not c.alignment.mirrored,
        ),
        default=None,
    )
    progress.check()
    decided = verdict.verdict(best.evidence if best else None)
    direct = None
    # The keypoint test cannot pass, whatever the pictures, when a side has fewer keypoints than it
    # needs inliers or the original fewer textured tiles than it needs matched: then, and only
    # then, the pictures are also compared directly.
    if decided == verdict.NO_MATCH and (
        fewest_keypoints < verdict.MIN_INLIERS
        or regions.textured_tile_count(frame, grid) < verdict.MIN_TEXTURED_TILES
    ):
        progress.report(0.9, "Comparing the smooth pictures directly")
        direct = _direct_comparison(
            original_picture, suspect_picture, original_rgb, suspect_rgb, original_copy, suspect_copy, grid, frame
        )
        if direct is not None and (verdict.is_match(direct.evidence) or best is None):
            best = direct
            decided = verdict.verdict(direct.evidence)
        progress.check()
    return PictureAnalysis(as_given, mirrored, best, decided, direct)


def compare_images(
    original: Document,
    suspect: Document,
    parameters: Parameters,
    *,
    progress: Progress = SILENT,
) -> Comparison:
    """Compare the ``suspect`` picture (the model output) against the ``original``."""
    analysis = analyse_pictures(_picture(original), _picture(suspect), progress=Stage(progress, 0.0, 0.95))
    best = analysis.best
    decided = analysis.verdict
    matched = decided != verdict.NO_MATCH
    progress.report(0.95, "Writing up the result")
    found_regions: list[regions.FoundRegion] = []
    if matched and best is not None:
        found_regions = regions.find_regions(best.tiles, best.alignment)
    use_mirror = bool(matched and best is not None and best.alignment.mirrored)
    chosen_hashes = analysis.mirrored_hashes if use_mirror else analysis.as_given_hashes
    other_hashes = analysis.as_given_hashes if use_mirror else analysis.mirrored_hashes
    reported_hashes = {
        name: {**figures, "other_orientation_distance": other_hashes[name]["distance"]}
        for name, figures in chosen_hashes.items()
    }
    evidence = best.evidence if (matched and best is not None) else None
    summary = ImageSummary(
        match=matched,
        verdict=decided,
        transform=_transform(best.alignment) if (best is not None and matched) else None,
        hashes=reported_hashes,
        matched_fraction_of_suspect=round(evidence.matched_fraction_of_suspect, 4) if evidence else 0.0,
        matched_fraction_of_original=round(evidence.matched_fraction_of_original, 4) if evidence else 0.0,
        orientation="mirrored" if use_mirror else "as given",
        inliers=best.alignment.inliers if best is not None else 0,
        heatmap=regions.heatmap(best.tiles) if (best is not None and matched) else None,
        thresholds={
            **verdict.thresholds(),
            "textured_matched_tiles": best.evidence.textured_matched_tiles if best is not None else 0,
            "textured_covered_tiles": best.evidence.textured_covered_tiles if best is not None else 0,
            **_direct_figures(analysis.direct),
        },
    )
    progress.report(1.0, "Done")
    return Comparison(
        mode="image",
        parameters=parameters,
        original=DocumentRecord.of(original),
        suspect=DocumentRecord.of(suspect),
        summary=summary,
        regions=tuple(ImageRegion(r.original, r.suspect, r.score) for r in found_regions),
    )


def _check(
    candidate: align.Alignment,
    suspect_copy: align.WorkingCopy,
    grid: regions.Grid,
    frame: regions.Frame,
) -> Checked:
    warped, covered = regions.warp_suspect(suspect_copy, candidate, grid)
    tiles = regions.score_tiles(frame, warped, covered, grid)
    return Checked(candidate, tiles, _keypoint_evidence(candidate, tiles, grid))


def _keypoint_evidence(candidate: align.Alignment, tiles: regions.TileMap, grid: regions.Grid) -> verdict.Evidence:
    area = regions.matched_pixels(tiles)
    original_area = float(grid.width * grid.height)
    # scale * scale, not scale ** 2: a product is correctly rounded everywhere, the C library's pow need not be.
    suspect_area_in_original = candidate.suspect_width * candidate.suspect_height * (candidate.scale * candidate.scale)
    return verdict.Evidence(
        inliers=candidate.inliers,
        textured_matched_tiles=int((tiles.matched & tiles.textured).sum()),
        textured_covered_tiles=int(tiles.textured.sum()),
        matched_fraction_of_suspect=min(1.0, area / suspect_area_in_original) if suspect_area_in_original else 0.0,
        matched_fraction_of_original=min(1.0, area / original_area),
    )


def _same_shape(original: tuple[int, int], suspect: tuple[int, int]) -> bool:
    """Width-to-height ratios within DIRECT_ASPECT_TOLERANCE, allowing one pixel of rounding on the shorter sides."""
    rounding = 1.0 / min(original[0], original[1]) + 1.0 / min(suspect[0], suspect[1])
    difference = abs(math.log((original[0] / original[1]) / (suspect[0] / suspect[1])))
    return difference <= verdict.DIRECT_ASPECT_TOLERANCE + rounding


def _direct_comparison(
    original_picture: Image.Image,
    suspect_picture: Image.Image,
    original_rgb: Image.Image,
    suspect_rgb: Image.Image,
    original_copy: align.WorkingCopy,
    suspect_copy: align.WorkingCopy,
    grid: regions.Grid,
    frame: regions.Frame,
) -> Checked | None:
    """The suspect scaled onto the whole original, as given and mirrored; None when their shapes differ."""
    if not _same_shape(original_picture.size, suspect_picture.size):
        return None
    # Mean colours on the tile grid: the shapes agree, so both pictures squeezed to it line up.
    # (Pillow's box filter: integer arithmetic, the same on every processor.)
    cells = (grid.cols, grid.rows)
    original_cells = np.asarray(original_rgb.resize(cells, Image.Resampling.BOX))
    suspect_cells = np.asarray(suspect_rgb.resize(cells, Image.Resampling.BOX))
    ow, oh = original_picture.size
    sw, sh = suspect_picture.size
    scale = (ow / sw + oh / sh) / 2
    matrix = np.array([[scale, 0.0, (ow - scale * sw) / 2], [0.0, scale, (oh - scale * sh) / 2]])
    candidates = []
    for flip in (False, True):
        placed = align.Alignment(matrix=matrix, mirrored=flip, inliers=0, matches=0, suspect_width=sw, suspect_height=sh)
        warped, covered = regions.warp_suspect(suspect_copy, placed, grid)
        tiles = regions.score_tiles(frame, warped, covered, grid)
        lay = regions.layout(frame, warped, covered, grid, flat=verdict.DIRECT_FLAT_SPREAD)
        evidence = replace(
            _keypoint_evidence(placed, tiles, grid),
            method=verdict.DIRECT_COMPARISON,
            pixel_identical=_same_pixels(original_picture, original_copy, suspect_picture, suspect_copy, flip),
            layout_correlation=lay.correlation,
            colour_residual=regions.colour_residual(
                original_cells, suspect_cells[:, ::-1] if flip else suspect_cells, verdict.DIRECT_MAX_GAIN
            ),
        )
        candidates.append(Checked(placed, tiles, evidence))
    return max(candidates, key=lambda c: (verdict.is_match(c.evidence), c.evidence.layout_correlation, not c.alignment.mirrored))


def _same_pixels(
    original: Image.Image, original_copy: align.WorkingCopy, suspect: Image.Image, suspect_copy: align.WorkingCopy, flip: bool
) -> bool:
    """True when the two pictures hold the same pixels (the suspect mirrored first if ``flip``)."""
    if original.size != suspect.size:
        return False
    # The working copies are made the same way from both, so differing copies settle it cheaply.
    suspect_gray = suspect_copy.gray[:, ::-1] if flip else suspect_copy.gray
    if not np.array_equal(original_copy.gray, suspect_gray):
        return False
    if flip:
        suspect = suspect.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    return original.tobytes() == suspect.tobytes()


def _direct_figures(direct: Checked | None) -> dict[str, object]:
    """What the direct comparison measured, when it ran, for the thresholds table (see evidence.IMAGE_MEASUREMENTS)."""
    if direct is None:
        return {"comparison_method": verdict.KEYPOINT_ALIGNMENT}
    e = direct.evidence
    return {
        "comparison_method": f"{verdict.DIRECT_COMPARISON} (too little texture for keypoints)",
        "direct_pixel_identical": e.pixel_identical,
        "direct_layout_correlation": round(e.layout_correlation, 4) + 0.0,  # no "-0.0" in the JSON
        "direct_colour_residual": round(e.colour_residual, 3),
        "direct_orientation": "mirrored" if direct.alignment.mirrored else "as given",
    }


#: How to read ``summary.transform``; the report prints it beside the figures.
TRANSFORM_CONVENTION = (
    "If mirrored, the output image is first flipped left to right (x becomes width - x); then "
    "x_original = scale * (cos(rotation) * x - sin(rotation) * y) + dx and "
    "y_original = scale * (sin(rotation) * x + cos(rotation) * y) + dy, in pixels with (0, 0) "
    "at the top-left corner and y pointing down (so a positive rotation turns clockwise on "
    "screen). 'matrix' is the same mapping as a 2 x 3 affine matrix applied to the output "
    "image as given (the mirror included)."
)


def _transform(alignment: align.Alignment) -> dict[str, object]:
    """The transform from suspect pixels (as given) onto original pixels, rounded for stable JSON.

    Read it as :data:`TRANSFORM_CONVENTION` says.
    """
    return {
        "scale": round(alignment.scale, 4),
        "rotation": round(alignment.rotation, 4),
        "dx": round(float(alignment.matrix[0, 2]), 4),
        "dy": round(float(alignment.matrix[1, 2]), 4),
        "mirrored": alignment.mirrored,
        "matrix": [[round(float(v), 6) for v in row] for row in alignment.full_matrix().tolist()],
        "matches": alignment.matches,
    }

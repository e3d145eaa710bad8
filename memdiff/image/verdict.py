"""The image verdict and the fixed thresholds it is taken with.

The thresholds are constants, printed with every result, and justified by
``benchmarks/image_calibration.py`` (12 public-domain photographs, 12
transformations each, every unrelated pair as an impostor): they are set
with a margin above the largest value any impostor pair reached, so that the
calibration set has zero false positives, and below the values the true
copies reach. Change them only together with a new calibration run.

Last run (12 photographs, 144 true copies, 1,704 impostor pairs, ORB with
3,000 features): 144 of 144 copies detected, 0 false positives. No impostor
passed even three of the four tests at once; the largest values any impostor
reached were 13 inliers, 11 textured matched tiles and a matched fraction of
0.585 (each with the other tests failing), while the weakest detected copies
had 21 inliers (a 50 % corner crop) and an agreement of 0.697 (the paste).
Region IoU against the true box: 0.95 to 0.98 for crops, 0.99 for the paste.
Plain pHash at its own zero-false-positive threshold (19 bits) found 0 of 12
mirrored copies, 0 of 12 corner crops and 1 of 12 pastes. Caveat: the same
photographs served to choose the tests, so a larger held-out set would be
the next step.
"""

from __future__ import annotations

from dataclasses import dataclass

from memdiff.image import align, hashes, regions

#: A keypoint alignment is evidence only with at least this many RANSAC inliers.
MIN_INLIERS = 12
#: ... and at least this many textured tiles that agree after warping.
MIN_TEXTURED_TILES = 4
#: ... and at least this share of the textured tiles the suspect covers must agree: an impostor's
#: chance alignment lines up flat areas (sky, backdrop) but not texture.
MIN_TEXTURED_AGREEMENT = 0.5
#: ... and the matched area must be at least this share of the suspect or of the original.
MIN_MATCHED_FRACTION = 0.05
#: Both pictures at least this much matched: "near-identical" (the whole picture is reproduced,
#: however rescaled, recompressed, mirrored or recoloured); below it, "partial copy".
NEAR_IDENTICAL_FRACTION = 0.75

#: A match that explains at least this share of the suspect is conclusive: the other
#: orientation (as given or mirrored) is then not tried.
CONCLUSIVE_FRACTION = 0.9
#: The mirrored orientation is tried first when its pHash is at least this many bits closer.
ORIENTATION_HINT_BITS = 8

NEAR_IDENTICAL = "near-identical"
PARTIAL_COPY = "partial copy"
NO_MATCH = "no match found"


@dataclass(frozen=True)
class Evidence:
    """The figures the verdict is taken from, for one candidate alignment."""

    inliers: int
    textured_matched_tiles: int
    textured_covered_tiles: int
    matched_fraction_of_suspect: float
    matched_fraction_of_original: float

    @property
    def textured_agreement(self) -> float:
        return self.textured_matched_tiles / self.textured_covered_tiles if self.textured_covered_tiles else 0.0


def is_match(evidence: Evidence) -> bool:
    return (
        evidence.inliers >= MIN_INLIERS
        and evidence.textured_matched_tiles >= MIN_TEXTURED_TILES
        and evidence.textured_agreement >= MIN_TEXTURED_AGREEMENT
        and max(evidence.matched_fraction_of_suspect, evidence.matched_fraction_of_original) >= MIN_MATCHED_FRACTION
    )


def verdict(evidence: Evidence | None) -> str:
    if evidence is None or not is_match(evidence):
        return NO_MATCH
    if (
        evidence.matched_fraction_of_suspect >= NEAR_IDENTICAL_FRACTION
        and evidence.matched_fraction_of_original >= NEAR_IDENTICAL_FRACTION
    ):
        return NEAR_IDENTICAL
    return PARTIAL_COPY


def thresholds() -> dict[str, object]:
    """Every fixed value that can change a finding, as printed in the result."""
    return {
        "min_inliers": MIN_INLIERS,
        "min_textured_tiles": MIN_TEXTURED_TILES,
        "min_textured_agreement": MIN_TEXTURED_AGREEMENT,
        "min_matched_fraction": MIN_MATCHED_FRACTION,
        "near_identical_fraction": NEAR_IDENTICAL_FRACTION,
        "conclusive_fraction": CONCLUSIVE_FRACTION,
        "orientation_hint_bits": ORIENTATION_HINT_BITS,
        "tile_match": regions.TILE_MATCH,
        "tile_min_coverage": regions.MIN_COVERAGE,
        "tile_min_edge_share": regions.MIN_EDGE_SHARE,
        "tile_luminance_span": regions.LUMINANCE_SPAN,
        "tile_texture_std": regions.TEXTURE_STD,
        "grid_long_side": regions.GRID_LONG_SIDE,
        "min_region_tiles": regions.MIN_REGION_TILES,
        "work_long_side": align.WORK_LONG_SIDE,
        "work_min_long_side": align.WORK_MIN_LONG_SIDE,
        "orb_features": align.ORB_FEATURES,
        "orb_levels": align.ORB_LEVELS,
        "orb_fast_threshold": align.ORB_FAST_THRESHOLD,
        "ratio_test": align.RATIO,
        "ransac_reprojection_px": align.RANSAC_REPROJECTION,
        "ransac_iterations": align.RANSAC_ITERATIONS,
        "ransac_seed": align.RNG_SEED,
        "hash_long_side": hashes.HASH_LONG_SIDE,
        "whash_image_scale": hashes.WHASH_IMAGE_SCALE,
        "calibration": "benchmarks/image_calibration.py",
    }

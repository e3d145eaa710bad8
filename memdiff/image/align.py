"""Finding where the suspect picture sits in the original: ORB keypoints, matched and fitted with RANSAC.

A generated copy is rarely the original pixel for pixel: it is rescaled,
cropped, slightly rotated, mirrored or pasted into a larger scene. Global
hashes miss crops and pastes; keypoints do not. Both pictures are reduced to
a working copy (long side at most ``WORK_LONG_SIDE``, small ones enlarged to
``WORK_MIN_LONG_SIDE``), ORB keypoints are matched with Lowe's ratio test, and
a similarity transform (scale, rotation, shift) is fitted with RANSAC. The
transform is then expressed in the full-size pixel coordinates of each file.

Determinism: ORB and the brute-force matcher are deterministic; RANSAC draws
random samples, so OpenCV's generator is re-seeded before every fit and the
candidate with the most inliers wins, ties going to the picture as given.
"""

from __future__ import annotations

import math
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np
from PIL import Image

#: Working copies are at most this long (pixels) on their long side: keypoints
#: on a 12-megapixel photo add time, not evidence.
WORK_LONG_SIDE = 1024
#: Small pictures are enlarged to this long side so that ORB (which ignores a
#: 31-pixel border and needs 31-pixel patches) still finds keypoints.
WORK_MIN_LONG_SIDE = 512
#: Working copies thinner than this (a banner, a one-pixel line) have no usable keypoints.
MIN_KEYPOINT_SIDE = 64
#: Keypoints kept per picture. Matching costs their product; the calibration study gave the same
#: weakest inlier counts with 2,000 as with 3,000 (the weakest copies come from photographs with
#: fewer keypoints than either), the same zero false positives, and matching in under half the time.
ORB_FEATURES = 2000
ORB_LEVELS = 10
ORB_SCALE_FACTOR = 1.2
ORB_FAST_THRESHOLD = 10
#: Lowe's ratio: a match is kept when its best distance is below this share of the second best.
RATIO = 0.8
#: RANSAC: a keypoint pair is an inlier when it lands within this many working pixels (of the original).
RANSAC_REPROJECTION = 4.0
RANSAC_ITERATIONS = 5000
RANSAC_CONFIDENCE = 0.999
RNG_SEED = 20231
#: A transform is considered at all only with this many inliers; the verdict adds the tile check.
MIN_CANDIDATE_INLIERS = 6
#: Plausible scale range (original pixels per suspect pixel).
MIN_SCALE = 1 / 16
MAX_SCALE = 16.0


@dataclass(frozen=True)
class WorkingCopy:
    """A reduced greyscale copy of a picture and the factor from full-size to working pixels."""

    gray: np.ndarray  # uint8, rows x cols
    factor: float  # working pixels per full-size pixel
    width: int  # full-size width
    height: int  # full-size height


def working_size(width: int, height: int) -> tuple[int, int, float]:
    long_side = max(width, height)
    if long_side > WORK_LONG_SIDE:
        factor = WORK_LONG_SIDE / long_side
    elif long_side < WORK_MIN_LONG_SIDE:
        factor = WORK_MIN_LONG_SIDE / long_side
    else:
        factor = 1.0
    return max(1, round(width * factor)), max(1, round(height * factor)), factor


def working_rgb(image: Image.Image) -> tuple[Image.Image, float]:
    """The RGB working copy and its factor (working pixels per full-size pixel)."""
    w, h, _ = working_size(image.width, image.height)
    if (w, h) == image.size:
        return image, 1.0
    source = image
    if w < image.width:
        # Pillow's integer box reduction first: it is fast, and it spares converting all
        # 12 million pixels of a camera photo into a numpy array.
        step = min(image.width // w, image.height // h)
        if step > 1:
            source = image.reduce(step)
    # Area averaging is the right filter for shrinking (no aliasing), and OpenCV's is several
    # times faster than Pillow's Lanczos; enlarging uses bicubic.
    interpolation = cv2.INTER_AREA if w < source.width else cv2.INTER_CUBIC
    pixels = cv2.resize(np.asarray(source, dtype=np.uint8), (w, h), interpolation=interpolation)
    # The factor is measured per axis after rounding; the mean keeps both within half a pixel.
    return Image.fromarray(pixels), (w / image.width + h / image.height) / 2


def working_copy(rgb_work: Image.Image, factor: float, full_size: tuple[int, int]) -> WorkingCopy:
    gray = cv2.cvtColor(np.asarray(rgb_work, dtype=np.uint8), cv2.COLOR_RGB2GRAY)
    return WorkingCopy(gray=gray, factor=factor, width=full_size[0], height=full_size[1])


@dataclass(frozen=True)
class Keypoints:
    points: np.ndarray  # float32 N x 2, working pixel coordinates (pixel corners at integers)
    descriptors: np.ndarray | None  # uint8 N x 32


def keypoints(gray: np.ndarray) -> Keypoints:
    if min(gray.shape[:2]) < MIN_KEYPOINT_SIDE:
        # ORB ignores a 31-pixel border on every side, and its pyramid fails on slivers.
        return Keypoints(np.zeros((0, 2), np.float32), None)
    orb = cv2.ORB_create(
        nfeatures=ORB_FEATURES,
        scaleFactor=ORB_SCALE_FACTOR,
        nlevels=ORB_LEVELS,
        fastThreshold=ORB_FAST_THRESHOLD,
    )
    found, descriptors = orb.detectAndCompute(gray, None)
    if descriptors is None or not found:
        return Keypoints(np.zeros((0, 2), np.float32), None)
    # OpenCV puts pixel centres at integers; +0.5 moves to the corner convention used for boxes.
    points = np.array([k.pt for k in found], dtype=np.float32) + 0.5
    return Keypoints(points, descriptors)


@dataclass(frozen=True)
class Alignment:
    """A similarity transform from suspect full-size pixels to original full-size pixels.

    ``matrix`` is the 2x3 affine matrix applied to the suspect's coordinates
    *after* the optional left-right mirror (x -> width - x). ``inliers`` counts
    the keypoint pairs RANSAC agreed on, ``matches`` the pairs it was given.
    """

    matrix: np.ndarray  # float64 2 x 3, suspect (already mirrored if so) -> original, full-size pixels
    mirrored: bool
    inliers: int
    matches: int
    suspect_width: int
    suspect_height: int

    @property
    def scale(self) -> float:
        return math.hypot(self.matrix[0, 0], self.matrix[1, 0])

    @property
    def rotation(self) -> float:
        """Degrees; with y pointing down, a positive angle turns clockwise on screen."""
        return math.degrees(math.atan2(self.matrix[1, 0], self.matrix[0, 0]))

    def full_matrix(self) -> np.ndarray:
        """2x3 matrix from the suspect *as given* to the original, the mirror folded in."""
        if not self.mirrored:
            return self.matrix.copy()
        flip = np.array([[-1.0, 0.0, self.suspect_width], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])
        return self.matrix @ flip

    def to_original(self, points: np.ndarray) -> np.ndarray:
        """Map suspect (as given) points, N x 2, onto the original."""
        m = self.full_matrix()
        return points @ m[:, :2].T + m[:, 2]

    def to_suspect(self, points: np.ndarray) -> np.ndarray:
        """Map original points, N x 2, back onto the suspect as given."""
        m = np.vstack([self.full_matrix(), [0.0, 0.0, 1.0]])
        inverse = np.linalg.inv(m)
        return points @ inverse[:2, :2].T + inverse[:2, 2]


def fit(
    original: WorkingCopy,
    original_keys: Keypoints,
    suspect: WorkingCopy,
    suspect_keys: Keypoints,
    *,
    mirrored: bool,
) -> Alignment | None:
    """Match keypoints and fit the transform; None when too few pairs agree on a plausible one."""
    if original_keys.descriptors is None or suspect_keys.descriptors is None:
        return None
    if len(original_keys.points) < 2 or len(suspect_keys.points) < 2:
        return None
    distances, nearest = _two_nearest(suspect_keys.descriptors, original_keys.descriptors)
    # Lowe's ratio test, on whole columns: the same comparison as on each pair, in query order.
    kept = np.flatnonzero((nearest[:, 1] >= 0) & (distances[:, 0] < RATIO * distances[:, 1]))
    chosen_s = kept
    chosen_o = nearest[kept, 0]
    if len(chosen_s) < MIN_CANDIDATE_INLIERS:
        return None
    src = suspect_keys.points[chosen_s]
    dst = original_keys.points[chosen_o]
    cv2.setRNGSeed(RNG_SEED)
    matrix, inlier_mask = cv2.estimateAffinePartial2D(
        src,
        dst,
        method=cv2.RANSAC,
        ransacReprojThreshold=RANSAC_REPROJECTION,
        maxIters=RANSAC_ITERATIONS,
        confidence=RANSAC_CONFIDENCE,
        refineIters=10,
    )
    if matrix is None or inlier_mask is None:
        return None
    inliers = int(inlier_mask.sum())
    if inliers < MIN_CANDIDATE_INLIERS:
        return None
    # Working -> full size: suspect_work = suspect_full * fs, original_full = original_work / fo.
    full = matrix.astype(np.float64) * (suspect.factor / original.factor)
    full[:, 2] = matrix[:, 2] / original.factor
    alignment = Alignment(
        matrix=full,
        mirrored=mirrored,
        inliers=inliers,
        matches=len(chosen_s),
        suspect_width=suspect.width,
        suspect_height=suspect.height,
    )
    if not MIN_SCALE <= alignment.scale <= MAX_SCALE:
        return None
    return alignment


def _two_nearest(query: np.ndarray, train: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each query descriptor's two nearest train descriptors (Hamming): distances and indices, N x 2 each.

    ``cv2.batchDistance`` is what OpenCV's brute-force matcher runs, answered
    as two arrays instead of thousands of match objects. It runs on one core;
    each query row is independent, so the rows are split across the
    processor's cores (OpenCV releases the GIL) and the answers joined in
    order: the same result, in a fraction of the time on an idle machine.
    """
    workers = max(1, min(4, os.cpu_count() or 1, len(query) // 500))

    def part(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        return cv2.batchDistance(rows, train, cv2.CV_32S, normType=cv2.NORM_HAMMING, K=2)

    if workers == 1:
        return part(query)
    bounds = np.linspace(0, len(query), workers + 1).astype(int)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        parts = list(pool.map(part, [query[bounds[i] : bounds[i + 1]] for i in range(workers)]))
    return np.concatenate([d for d, _ in parts]), np.concatenate([n for _, n in parts])


def mirrored_copy(copy: WorkingCopy) -> WorkingCopy:
    return WorkingCopy(gray=np.ascontiguousarray(copy.gray[:, ::-1]), factor=copy.factor, width=copy.width, height=copy.height)

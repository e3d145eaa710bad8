"""Finding where the suspect picture sits in the original: ORB keypoints, matched and fitted with RANSAC.

A generated copy is rarely the original pixel for pixel: it is rescaled,
cropped, slightly rotated, mirrored or pasted into a larger scene. Global
hashes miss crops and pastes; keypoints do not. Both pictures are reduced to
a working copy (long side at most ``WORK_LONG_SIDE``, small ones enlarged to
``WORK_MIN_LONG_SIDE``), ORB keypoints are matched with Lowe's ratio test, and
a similarity transform (scale, rotation, shift) is fitted with RANSAC. The
transform is then expressed in the full-size pixel coordinates of each file.

Determinism, on every computer: the result must not depend on which vector
instructions the processor offers (OpenCV dispatches SSE, AVX2, AVX-512 or
NEON code, and Intel's IPP its own, at run time) nor on its number of cores.
OpenCV's resizing gave working copies that differed by a grey level in
thousands of pixels with its optimised code paths on and off, enough to
change the keypoints, the inliers and, once, the verdict. So the working
copies are made by Pillow, whose resampling is integer arithmetic in plain C;
the greyscale conversion (OpenCV's fixed-point formula), ORB (integer FAST
corners, Gaussian blur and pyramid in OpenCV's bit-exact fixed-point code)
and the Hamming matcher (integer counts) gave the same bits with the
optimised paths on and off and any thread count, which the tests check.
RANSAC draws random samples from OpenCV's own generator, re-seeded before
every fit; the candidate with the most inliers wins, ties going to the
picture as given. The transform is applied with plain arithmetic rather than
numpy's matrix product, which calls the processor-specific BLAS kernels.
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
        # Pillow's integer box reduction first: it is fast on a 12-megapixel camera photo, and
        # leaves the area averaging below less than a factor of two to do.
        step = min(image.width // w, image.height // h)
        if step > 1:
            source = image.reduce(step)
    # Area averaging (Pillow's box filter) is the right filter for shrinking (no aliasing);
    # enlarging uses bicubic. Both are Pillow's fixed-point code, the same bits on every
    # processor (OpenCV's resize is not: see the module's docstring).
    resample = Image.Resampling.BOX if w < source.width else Image.Resampling.BICUBIC
    resized = source if (w, h) == source.size else source.resize((w, h), resample)
    # The factor is measured per axis after rounding; the mean keeps both within half a pixel.
    return resized, (w / image.width + h / image.height) / 2


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
        # sqrt is correctly rounded everywhere; math.hypot's own algorithm need not be.
        a, b = float(self.matrix[0, 0]), float(self.matrix[1, 0])
        return math.sqrt(a * a + b * b)

    @property
    def rotation(self) -> float:
        """Degrees; with y pointing down, a positive angle turns clockwise on screen."""
        return math.degrees(math.atan2(self.matrix[1, 0], self.matrix[0, 0]))

    def full_matrix(self) -> np.ndarray:
        """2x3 matrix from the suspect *as given* to the original, the mirror folded in."""
        if not self.mirrored:
            return self.matrix.copy()
        # The matrix times the flip [[-1, 0, width], [0, 1, 0]], written out: numpy's matrix
        # product calls BLAS, whose kernels (fused multiply-add or not) depend on the processor.
        (a, b, c), (d, e, f) = self.matrix.tolist()
        w = float(self.suspect_width)
        return np.array([[-a, b, a * w + c], [-d, e, d * w + f]])

    def to_original(self, points: np.ndarray) -> np.ndarray:
        """Map suspect (as given) points, N x 2, onto the original."""
        return _apply(self.full_matrix().tolist(), points)

    def to_suspect(self, points: np.ndarray) -> np.ndarray:
        """Map original points, N x 2, back onto the suspect as given."""
        return _apply(inverse_affine(self.full_matrix().tolist()), points)


def inverse_affine(matrix: list[list[float]]) -> list[list[float]]:
    """The inverse of a 2x3 affine matrix, written out (numpy's inverse calls the processor-specific LAPACK)."""
    (a, b, c), (d, e, f) = matrix
    det = a * e - b * d
    ia, ib, id_, ie = e / det, -b / det, -d / det, a / det
    return [[ia, ib, -(ia * c + ib * f)], [id_, ie, -(id_ * c + ie * f)]]


def _apply(matrix: list[list[float]], points: np.ndarray) -> np.ndarray:
    """Affine map of N x 2 points, one multiply and add at a time (the same rounding on every processor)."""
    (a, b, c), (d, e, f) = matrix
    x, y = points[:, 0].astype(np.float64), points[:, 1].astype(np.float64)
    return np.stack([a * x + b * y + c, d * x + e * y + f], axis=1)


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
        # OpenCV's Levenberg-Marquardt refinement gave a transform differing in the seventh
        # digit with its optimised code paths on and off; the least-squares fit below is the
        # same optimum, computed the same way on every processor.
        refineIters=0,
    )
    if matrix is None or inlier_mask is None:
        return None
    agreeing = inlier_mask.ravel().astype(bool)
    inliers = int(agreeing.sum())
    if inliers < MIN_CANDIDATE_INLIERS:
        return None
    matrix = least_squares_similarity(src[agreeing], dst[agreeing])
    if matrix is None:
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


def least_squares_similarity(src: np.ndarray, dst: np.ndarray) -> np.ndarray | None:
    """The scale, rotation and shift mapping ``src`` onto ``dst`` (N x 2 each) with the least squared error.

    The closed form (the model is linear in its four parameters): with both
    point sets centred, ``a = sum(x u + y v) / sum(x^2 + y^2)`` and
    ``b = sum(x v - y u) / sum(x^2 + y^2)`` give the matrix
    ``[[a, -b, tx], [b, a, ty]]``. Products are single IEEE operations and
    every sum is ``math.fsum`` (correctly rounded, whatever the order), so
    the result has the same bits on every processor. None when the points
    do not spread (no rotation or scale can be told).
    """
    x, y = src[:, 0].astype(np.float64), src[:, 1].astype(np.float64)
    u, v = dst[:, 0].astype(np.float64), dst[:, 1].astype(np.float64)
    n = len(x)
    mx, my = math.fsum(x.tolist()) / n, math.fsum(y.tolist()) / n
    mu, mv = math.fsum(u.tolist()) / n, math.fsum(v.tolist()) / n
    x, y, u, v = x - mx, y - my, u - mu, v - mv
    spread = math.fsum((x * x).tolist()) + math.fsum((y * y).tolist())
    if not spread > 0.0:
        return None
    a = (math.fsum((x * u).tolist()) + math.fsum((y * v).tolist())) / spread
    b = (math.fsum((x * v).tolist()) - math.fsum((y * u).tolist())) / spread
    return np.array([[a, -b, mu - (a * mx - b * my)], [b, a, mv - (b * mx + a * my)]])


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

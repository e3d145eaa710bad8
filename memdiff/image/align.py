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


#: ORB's patch radius (its 31-pixel patch) and the disc over which a keypoint's orientation is measured.
ORB_PATCH_RADIUS = 15
#: Each keypoint's orientation is rounded to a whole degree k and given as the angle
#: k + ANGLE_OFFSETS[k % 90] / 100 degrees. ORB samples its descriptor at the patch's points turned by
#: that angle and rounded to whole pixels; at these angles no point of the patch (any whole-pixel
#: offset up to 13 either way) lands within 0.0019 pixels of a half pixel, where a processor that
#: rounds its sines or its multiply-add differently could send it to the neighbouring pixel. Found
#: by searching each degree +-0.25 in steps of 0.01 (the pattern repeats every 90 degrees);
#: tests/test_image_reproducible.py checks the margin.
ANGLE_OFFSETS = (
    0, -25, -25, 2, -18, 6, -11, 24, 13, -20, -4, -10, 5, 5, 4, 25, 25, -13,
    -25, -8, 23, -23, -7, 20, -16, 6, -1, 2, 7, -22, -21, -4, -11, -9, -9, 14,
    -21, -13, 9, 1, -4, 11, -19, -16, 18, 0, -18, 16, 19, -11, 4, -1, -9, 13,
    21, -14, 9, 9, 11, 4, 21, 22, -7, -2, 1, -6, 16, -20, 7, 23, -23, 8,
    25, 13, -25, -25, -4, -5, -5, 10, 4, 20, -13, -24, 11, -6, 18, -2, 25, 25,
)


def keypoints(gray: np.ndarray) -> Keypoints:
    """ORB keypoints and descriptors, in a fixed order and with orientations measured in whole numbers.

    OpenCV finds the corners (FAST, integer arithmetic) and ranks them; the
    order it returns them in comes from ``std::nth_element``, whose order
    differs between C++ libraries (Windows, macOS, Linux), and RANSAC's
    random samples are drawn by position in that order. So the keypoints
    are sorted by pyramid level and position first. Each orientation is
    measured here from integer intensity moments (OpenCV measures it with a
    single-precision arctangent approximation) and rounded as
    :data:`ANGLE_OFFSETS` says, before OpenCV computes the descriptors.
    """
    if min(gray.shape[:2]) < MIN_KEYPOINT_SIDE:
        # ORB ignores a 31-pixel border on every side, and its pyramid fails on slivers.
        return Keypoints(np.zeros((0, 2), np.float32), None)
    orb = cv2.ORB_create(
        nfeatures=ORB_FEATURES,
        scaleFactor=ORB_SCALE_FACTOR,
        nlevels=ORB_LEVELS,
        fastThreshold=ORB_FAST_THRESHOLD,
    )
    found = orb.detect(gray, None)
    if not found:
        return Keypoints(np.zeros((0, 2), np.float32), None)
    levels = np.array([k.octave for k in found], dtype=np.int64)
    scales = _level_scales(int(levels.max()) + 1)
    corners = np.array([k.pt for k in found], dtype=np.float64)
    # Where each corner lies on its pyramid level (FAST finds whole pixels there).
    on_level = np.rint(corners / scales[levels][:, None]).astype(np.int64)
    order = np.lexsort((on_level[:, 0], on_level[:, 1], levels))
    found = [found[i] for i in order]
    levels, on_level = levels[order], on_level[order]
    degrees = _orientations(gray, levels, on_level, scales)
    for keypoint, angle in zip(found, degrees.tolist()):
        keypoint.angle = angle
    described, descriptors = orb.compute(gray, found)
    if descriptors is None or not described:
        return Keypoints(np.zeros((0, 2), np.float32), None)
    # OpenCV puts pixel centres at integers; +0.5 moves to the corner convention used for boxes.
    points = np.array([k.pt for k in described], dtype=np.float32) + 0.5
    return Keypoints(points, descriptors)


def _orb_disc() -> tuple[np.ndarray, np.ndarray]:
    """The offsets (u, v) of ORB's circular patch: row v reaches ``umax[v]`` either side, made symmetric as ORB makes it."""
    r = ORB_PATCH_RADIUS
    umax = [0] * (r + 2)
    vmax = math.floor(r * math.sqrt(2.0) / 2 + 1)
    vmin = math.ceil(r * math.sqrt(2.0) / 2)
    for v in range(vmax + 1):
        umax[v] = round(math.sqrt(r * r - v * v))
    v0 = 0
    for v in range(r, vmin - 1, -1):
        while umax[v0] == umax[v0 + 1]:
            v0 += 1
        umax[v] = v0
        v0 += 1
    du = [u for v in range(-r, r + 1) for u in range(-umax[abs(v)], umax[abs(v)] + 1)]
    dv = [v for v in range(-r, r + 1) for _ in range(-umax[abs(v)], umax[abs(v)] + 1)]
    return np.array(du, dtype=np.int64), np.array(dv, dtype=np.int64)


def _level_scales(count: int) -> np.ndarray:
    """ORB's pyramid scales, as it computes them: ``(float) pow(scaleFactor, level)``."""
    return np.array([np.float32(ORB_SCALE_FACTOR**level) for level in range(count)], dtype=np.float64)


def _orientations(gray: np.ndarray, levels: np.ndarray, on_level: np.ndarray, scales: np.ndarray) -> np.ndarray:
    """Each keypoint's orientation in degrees, as :data:`ANGLE_OFFSETS` rounds it (float32 values).

    The intensity centroid (ORB's own measure): the moments ``sum u * I`` and
    ``sum v * I`` over ORB's disc around the keypoint on its pyramid level, in
    integers. The pyramid is built as ORB builds its own, each level from the
    one before with OpenCV's bit-exact bilinear resize; before rounding, the
    angles were measured within 0.01 degree of ORB's own on photographs.
    """
    du, dv = _orb_disc()
    degrees = np.zeros(len(levels), dtype=np.float64)
    level_image = gray
    for level in range(len(scales)):
        if level:
            size = (round(gray.shape[1] / scales[level]), round(gray.shape[0] / scales[level]))
            level_image = cv2.resize(level_image, size, interpolation=cv2.INTER_LINEAR_EXACT)
        chosen = np.flatnonzero(levels == level)
        if not len(chosen):
            continue
        height, width = level_image.shape
        r = ORB_PATCH_RADIUS
        # ORB keeps keypoints 31 pixels from the level's edges; the clip only guards the disc.
        xs = np.clip(on_level[chosen, 0], r, width - 1 - r)
        ys = np.clip(on_level[chosen, 1], r, height - 1 - r)
        values = level_image.ravel()[(ys * width + xs)[:, None] + (dv * width + du)[None, :]]
        # Whole numbers below 2**53 throughout, so the matrix product is exact whatever order
        # or fused multiply-add the processor's BLAS uses.
        moments = values.astype(np.float64) @ np.stack([du, dv], axis=1).astype(np.float64)
        # The arctangent's last binary digit (numpy's vectorised one differs between processors)
        # could move a keypoint to the neighbouring degree only if its direction lay within about
        # 1e-14 degree of a half degree, where whole-number moments essentially never fall (the
        # tangent of a half degree is irrational).
        degrees[chosen] = np.degrees(np.arctan2(moments[:, 1], moments[:, 0]))
    whole = np.rint(degrees).astype(np.int64) % 360
    offsets = np.array(ANGLE_OFFSETS, dtype=np.int64)[whole % 90]
    return (whole + offsets / 100.0).astype(np.float32)


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

"""Checking an alignment tile by tile: the similarity map over the original and the matched boxes.

Keypoints say *where* the suspect would sit; the tiles say whether the
pixels there really agree. The original is divided into a grid of square
tiles (about ``GRID_LONG_SIDE`` along its long side), the suspect is warped
onto it through the alignment, and each tile covered by the suspect gets a
structural similarity score: the SSIM structure-and-contrast term on
greyscale, after the suspect's overall brightness and contrast are matched to
the original's (so a brightened or greyscale copy still scores high, while a
different picture does not). Matched tiles are grouped into connected
regions, and each region's box is mapped back into the suspect.

The resampling, the warp and the blur are done here, in float64 numpy
arithmetic whose every step is an IEEE-754 operation in a fixed order (so
correctly rounded, the same bits on every processor), and Pillow's
fixed-point resizing. OpenCV's warpAffine, GaussianBlur and resize on these
images gave different values with its optimised (SIMD, IPP) code paths on
and off, which moved region boxes and once the verdict; the tests check the
findings are now the same either way and with any thread count.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property

import cv2
import numpy as np
from PIL import Image

from memdiff.image.align import Alignment, WorkingCopy, inverse_affine

#: Tiles along the original's long side.
GRID_LONG_SIDE = 32
#: Each tile is compared at this many working pixels square.
TILE_PIXELS = 16
#: A tile is scored only when the suspect covers at least this share of its part inside the picture...
MIN_COVERAGE = 0.5
#: ... and that covered part is at least this share of a whole tile (a sliver at the edge is too small to judge).
MIN_EDGE_SHARE = 0.25
#: Grey levels of difference in a tile's mean brightness (after the global match) that zero its score.
LUMINANCE_SPAN = 64.0
#: A tile whose score reaches this counts as matched.
TILE_MATCH = 0.5
#: SSIM's stabilising constant for 8-bit images, (0.03 * 255) ** 2: flat tiles compare as similar
#: only when both are flat.
SSIM_C2 = (0.03 * 255) ** 2
#: A tile is "textured" (carries evidence by itself) when the original's grey levels there have a
#: standard deviation above this (8-bit scale).
TEXTURE_STD = 8.0
#: Smallest matched region reported, in tiles.
MIN_REGION_TILES = 2


@dataclass(frozen=True)
class Grid:
    """The tile grid over the original: tile size in original pixels and the working frame."""

    tile: int  # original pixels per tile side
    cols: int
    rows: int
    width: int  # original full-size width
    height: int

    @property
    def factor(self) -> float:
        """Working pixels per original pixel."""
        return TILE_PIXELS / self.tile


def grid_for(width: int, height: int) -> Grid:
    tile = max(2, math.ceil(max(width, height) / GRID_LONG_SIDE))
    return Grid(tile=tile, cols=math.ceil(width / tile), rows=math.ceil(height / tile), width=width, height=height)


@dataclass(frozen=True)
class TileMap:
    """Per-tile scores (NaN where the suspect does not cover the tile) and the counts behind them."""

    grid: Grid
    scores: np.ndarray  # rows x cols float64, NaN = not covered
    textured: np.ndarray  # rows x cols bool
    coverage: np.ndarray  # rows x cols float64, share of each tile's in-picture part covered by the suspect
    area: np.ndarray  # rows x cols float64, covered area of each tile in original pixels

    @property
    def matched(self) -> np.ndarray:
        with np.errstate(invalid="ignore"):
            return np.nan_to_num(self.scores, nan=0.0) >= TILE_MATCH


@dataclass(frozen=True)
class Frame:
    """The original resampled onto the tile frame (float64 grey levels) and the mask of its pixels inside the picture.

    The blurred copies are made once per comparison and shared by every candidate alignment.
    """

    gray: np.ndarray
    inside: np.ndarray

    @cached_property
    def blurred(self) -> np.ndarray:
        return blur(self.gray)

    @cached_property
    def blurred_inside(self) -> np.ndarray:
        return blur(self.inside)


def original_frame(original_gray_work: np.ndarray, grid: Grid) -> Frame:
    """The original's working copy resampled onto the tile frame."""
    frame_w, frame_h = grid.cols * TILE_PIXELS, grid.rows * TILE_PIXELS
    inside_w = min(frame_w, max(1, round(grid.width * grid.factor)))
    inside_h = min(frame_h, max(1, round(grid.height * grid.factor)))
    resized = _resized(original_gray_work, inside_w, inside_h, Image.Resampling.BILINEAR)
    gray = np.zeros((frame_h, frame_w), np.float64)
    gray[:inside_h, :inside_w] = resized
    inside = np.zeros((frame_h, frame_w), np.float64)
    inside[:inside_h, :inside_w] = 1.0
    return Frame(gray, inside)


def _resized(gray: np.ndarray, width: int, height: int, enlarging: Image.Resampling) -> np.ndarray:
    """A greyscale array resized by Pillow: area averaging to shrink, ``enlarging`` otherwise."""
    if (width, height) == (gray.shape[1], gray.shape[0]):
        return gray
    resample = Image.Resampling.BOX if width < gray.shape[1] else enlarging
    return np.asarray(Image.fromarray(np.ascontiguousarray(gray)).resize((width, height), resample))


def warp_suspect(suspect: WorkingCopy, alignment: Alignment, grid: Grid) -> tuple[np.ndarray, np.ndarray]:
    """The suspect warped into the original's tile frame (bilinear), and the mask of pixels it covers."""
    frame_w, frame_h = grid.cols * TILE_PIXELS, grid.rows * TILE_PIXELS
    gray = suspect.gray
    if alignment.mirrored:
        gray = gray[:, ::-1]
    # suspect working -> suspect full (/fs) -> original full (matrix) -> frame (* grid factor)
    (a, b, c), (d, e, f) = alignment.matrix.tolist()
    g, fs = grid.factor, suspect.factor
    a, b, c, d, e, f = a * g / fs, b * g / fs, c * g, d * g / fs, e * g / fs, f * g
    shrink = math.sqrt(a * a + d * d)
    if shrink < 0.8:
        # Shrinking by bilinear sampling alone aliases; reduce first with area averaging.
        new_w = max(1, round(gray.shape[1] * shrink))
        new_h = max(1, round(gray.shape[0] * shrink))
        sx, sy = gray.shape[1] / new_w, gray.shape[0] / new_h
        gray = _resized(gray, new_w, new_h, Image.Resampling.BILINEAR)
        a, b, d, e = a * sx, b * sy, d * sx, e * sy
    (ia, ib, ic), (id_, ie, if_) = inverse_affine([[a, b, c], [d, e, f]])
    # Each frame pixel's centre mapped back into the suspect, less half a pixel: there the
    # suspect's pixel centres sit at integers (the matrices put pixel corners at integers).
    xs = np.arange(frame_w, dtype=np.float64) + 0.5
    ys = np.arange(frame_h, dtype=np.float64) + 0.5
    at_x = (ia * xs)[None, :] + (ib * ys + ic - 0.5)[:, None]
    at_y = (id_ * xs)[None, :] + (ie * ys + if_ - 0.5)[:, None]
    height, width = gray.shape
    # Only frame pixels whose four neighbours all lie in the suspect are covered (the rim
    # would mix in the black around it).
    covered = (at_x >= 0.0) & (at_x <= width - 1) & (at_y >= 0.0) & (at_y <= height - 1)
    x0 = np.clip(np.floor(at_x), 0, width - 1).astype(np.intp)
    y0 = np.clip(np.floor(at_y), 0, height - 1).astype(np.intp)
    x1 = np.minimum(x0 + 1, width - 1)
    y1 = np.minimum(y0 + 1, height - 1)
    fx = at_x - x0
    fy = at_y - y0
    pixels = gray.astype(np.float64)
    top = pixels[y0, x0] + fx * (pixels[y0, x1] - pixels[y0, x0])
    bottom = pixels[y1, x0] + fx * (pixels[y1, x1] - pixels[y1, x0])
    warped = np.where(covered, top + fy * (bottom - top), 0.0)
    return warped, covered.astype(np.float64)


#: Gaussian weights for sigma 1 pixel, 9 taps (centre first), as OpenCV computes them for a
#: floating-point image (cv2.getGaussianKernel(9, 1.0)); written out so that no platform's exp
#: is involved.
_GAUSSIAN = (0.39894346935609776, 0.24197144565660073, 0.05399112742070441, 0.004431861620031264, 0.00013383062461474175)


def blur(values: np.ndarray) -> np.ndarray:
    """Gaussian blur, sigma 1 pixel, borders mirrored (OpenCV's default), in float64.

    Each output is summed in a fixed order, one IEEE operation at a time, so
    it is the same on every processor (OpenCV's float blur is not: its
    vectorised code sums in another order than its plain code).
    """
    return _blur_along(_blur_along(np.asarray(values, dtype=np.float64), 1), 0)


def _blur_along(values: np.ndarray, axis: int) -> np.ndarray:
    reach = len(_GAUSSIAN) - 1
    pad = [(reach, reach) if a == axis else (0, 0) for a in range(values.ndim)]
    padded = np.pad(values, pad, mode="reflect")  # numpy's "reflect" is OpenCV's BORDER_REFLECT_101
    n = values.shape[axis]

    def shifted(offset: int) -> np.ndarray:
        index = [slice(None)] * values.ndim
        index[axis] = slice(reach + offset, reach + offset + n)
        return padded[tuple(index)]

    # In place, to spare allocating a temporary per step; the order of the sums is fixed.
    out = np.multiply(shifted(0), _GAUSSIAN[0])
    pair = np.empty_like(out)
    for k in range(1, reach + 1):
        np.add(shifted(-k), shifted(k), out=pair)
        pair *= _GAUSSIAN[k]
        out += pair
    return out


def score_tiles(frame: Frame, warped: np.ndarray, covered: np.ndarray, grid: Grid) -> TileMap:
    """SSIM structure-and-contrast per tile, after matching the suspect's global brightness and contrast.

    ``warped`` is zero where ``covered`` is not (as :func:`warp_suspect` makes it).
    """
    return _tile_map(frame, blur(warped), covered, blur(covered), grid)


def textured_tile_count(frame: Frame, grid: Grid) -> int:
    """How many tiles of the original carry texture by themselves.

    The keypoint verdict needs at least ``MIN_TEXTURED_TILES`` of them to agree; an
    original with fewer (a sky, a gradient, a flat illustration) can never pass it.
    They are counted by the tile check itself, for a suspect that is the original
    covering all of it, so the two can never judge texture differently.
    """
    return int(_tile_map(frame, frame.blurred, frame.inside, frame.blurred_inside, grid).textured.sum())


def _tile_map(frame: Frame, s: np.ndarray, covered: np.ndarray, covered_blurred: np.ndarray, grid: Grid) -> TileMap:
    """The tile check, given the suspect (warped and blurred), its coverage and its coverage blurred."""
    o = frame.blurred
    inside = frame.inside
    # Blurring spreads the black outside the suspect into its rim; drop that rim from the comparison.
    valid = inside * covered * (covered_blurred > 0.99)
    total = float(valid.sum())
    if total >= 16:
        mo = float((o * valid).sum() / total)
        ms = float((s * valid).sum() / total)
        so = math.sqrt(max(float((((o - mo) ** 2) * valid).sum() / total), 1e-6))
        ss = math.sqrt(max(float((((s - ms) ** 2) * valid).sum() / total), 1e-6))
        gain = min(8.0, max(1 / 8.0, so / ss))
        s = (s - ms) * gain + mo

    t = TILE_PIXELS
    shape = (grid.rows, t, grid.cols, t)

    def per_tile(values: np.ndarray) -> np.ndarray:
        return values.reshape(shape).sum(axis=(1, 3))

    weight = per_tile(valid)
    in_picture = per_tile(inside)
    with np.errstate(invalid="ignore", divide="ignore"):
        n = np.where(weight > 0, weight, np.nan)
        mean_o = per_tile(o * valid) / n
        mean_s = per_tile(s * valid) / n
        var_o = per_tile(o * o * valid) / n - mean_o**2
        var_s = per_tile(s * s * valid) / n - mean_s**2
        cov = per_tile(o * s * valid) / n - mean_o * mean_s
        var_o = np.maximum(var_o, 0.0)
        var_s = np.maximum(var_s, 0.0)
        structure = (2 * cov + SSIM_C2) / (var_o + var_s + SSIM_C2)
        coverage = np.where(in_picture > 0, weight / np.maximum(in_picture, 1.0), 0.0)
    # SSIM's own luminance term hardly penalises a white band over a mid-grey area; after the
    # global brightness match, a difference of LUMINANCE_SPAN grey levels zeroes the score.
    luminance = 1.0 - np.minimum(1.0, (np.abs(mean_o - mean_s) / LUMINANCE_SPAN) ** 2)
    score = np.clip(np.nan_to_num(structure, nan=0.0), 0.0, 1.0) * np.nan_to_num(luminance, nan=0.0)
    # Tiles cut by the picture's edge are scored when enough of them lies inside it to judge.
    enough = (coverage >= MIN_COVERAGE) & (weight >= MIN_EDGE_SHARE * t * t)
    score = np.where(enough, score, np.nan)
    # Texture is judged on the original alone: text or a logo added over a flat part of the
    # original is not the original's content, so it must not count against the copy.
    textured = (np.sqrt(np.nan_to_num(var_o)) > TEXTURE_STD) & enough
    return TileMap(grid=grid, scores=score, textured=textured, coverage=coverage, area=weight / grid.factor**2)


@dataclass(frozen=True)
class Layout:
    """How the two pictures' brightness is laid out over the tiles they share."""

    correlation: float  # Pearson correlation of the tile means; 0.0 when either side is flat
    original_spread: float  # standard deviation of the original's tile means (grey levels)
    suspect_spread: float


def layout(frame: Frame, warped: np.ndarray, covered: np.ndarray, grid: Grid, *, flat: float) -> Layout:
    """Correlation of the tile mean grey levels of the original and the warped suspect.

    For a picture without texture its tone layout (where it is light, where
    dark) is all the content there is; the correlation ignores a change of
    overall brightness or contrast. A side whose tile means spread less than
    ``flat`` grey levels has no layout, and the correlation is then 0.
    """
    t = TILE_PIXELS
    shape = (grid.rows, t, grid.cols, t)
    valid = frame.inside * covered
    weight = valid.reshape(shape).sum(axis=(1, 3))
    in_picture = frame.inside.reshape(shape).sum(axis=(1, 3))
    usable = (weight >= MIN_EDGE_SHARE * t * t) & (weight >= MIN_COVERAGE * in_picture)
    if usable.sum() < 2:
        return Layout(0.0, 0.0, 0.0)
    n = weight[usable]
    o = ((frame.gray * valid).reshape(shape).sum(axis=(1, 3)))[usable] / n
    s = ((warped * valid).reshape(shape).sum(axis=(1, 3)))[usable] / n
    o_spread, s_spread = float(o.std()), float(s.std())
    if o_spread < flat or s_spread < flat:
        return Layout(0.0, o_spread, s_spread)
    correlation = float(((o - o.mean()) * (s - s.mean())).mean() / (o_spread * s_spread))
    return Layout(max(-1.0, min(1.0, correlation)), o_spread, s_spread)


def colour_residual(original_cells: np.ndarray, suspect_cells: np.ndarray, max_gain: float) -> float:
    """How far two grids of mean colours (rows x cols x 3) are apart once one brightness change is allowed.

    One gain and one offset, shared by the three channels, are fitted (least
    squares, the gain held within ``1 / max_gain`` .. ``max_gain``) to map the
    suspect's colours onto the original's; the root mean square of what is
    left, in 8-bit levels. A brightened or darkened copy fits; a picture in
    other colours, or a colour picture against a grey one, does not.
    """
    o = original_cells.astype(np.float64).ravel()
    s = suspect_cells.astype(np.float64).ravel()
    if o.size == 0:
        return 255.0
    s_centred = s - s.mean()
    spread = float((s_centred**2).sum())
    gain = float((s_centred * (o - o.mean())).sum() / spread) if spread > 0 else 1.0
    gain = min(max_gain, max(1.0 / max_gain, gain))
    offset = o.mean() - gain * s.mean()
    return float(np.sqrt(((o - (gain * s + offset)) ** 2).mean()))


@dataclass(frozen=True)
class FoundRegion:
    original: tuple[int, int, int, int]
    suspect: tuple[int, int, int, int]
    score: float
    tiles: int


def footprint_box(alignment: Alignment, grid: Grid) -> tuple[float, float, float, float]:
    """Bounding box, in original pixels, of the suspect's outline mapped onto the original."""
    w, h = alignment.suspect_width, alignment.suspect_height
    corners = np.array([[0, 0], [w, 0], [w, h], [0, h]], dtype=np.float64)
    mapped = alignment.to_original(corners)
    x0, y0 = mapped.min(axis=0)
    x1, y1 = mapped.max(axis=0)
    return (max(0.0, x0), max(0.0, y0), min(float(grid.width), x1), min(float(grid.height), y1))


def find_regions(tiles: TileMap, alignment: Alignment) -> list[FoundRegion]:
    """Connected groups of matched tiles as boxes in both pictures, largest first."""
    grid = tiles.grid
    matched = tiles.matched.astype(np.uint8)
    count, labels, stats, _ = cv2.connectedComponentsWithStats(matched, connectivity=8)
    fx0, fy0, fx1, fy1 = footprint_box(alignment, grid)
    found: list[FoundRegion] = []
    for label in range(1, count):
        x, y, w, h, area = (int(v) for v in stats[label])
        if area < MIN_REGION_TILES:
            continue
        member = labels == label
        right, bottom = (x + w) * grid.tile, (y + h) * grid.tile
        # A sliver of picture beyond the last scored tile (too thin to judge) joins the region.
        if right < grid.width <= right + grid.tile:
            right = grid.width
        if bottom < grid.height <= bottom + grid.tile:
            bottom = grid.height
        box = (
            max(x * grid.tile, fx0),
            max(y * grid.tile, fy0),
            min(right, fx1, grid.width),
            min(bottom, fy1, grid.height),
        )
        if box[2] <= box[0] or box[3] <= box[1]:
            continue
        original_box = _round_box(box, grid.width, grid.height)
        corners = np.array(
            [[box[0], box[1]], [box[2], box[1]], [box[2], box[3]], [box[0], box[3]]], dtype=np.float64
        )
        back = alignment.to_suspect(corners)
        sx0, sy0 = back.min(axis=0)
        sx1, sy1 = back.max(axis=0)
        suspect_box = _round_box((sx0, sy0, sx1, sy1), alignment.suspect_width, alignment.suspect_height)
        score = float(np.nanmean(np.where(member, tiles.scores, np.nan)))
        found.append(FoundRegion(original_box, suspect_box, round(score, 4), area))
    found.sort(key=lambda r: (-r.tiles, r.original))
    return found


def _round_box(box: tuple[float, float, float, float], width: int, height: int) -> tuple[int, int, int, int]:
    x0 = min(max(0, math.floor(box[0] + 1e-6)), width)
    y0 = min(max(0, math.floor(box[1] + 1e-6)), height)
    x1 = min(max(0, math.ceil(box[2] - 1e-6)), width)
    y1 = min(max(0, math.ceil(box[3] - 1e-6)), height)
    return (x0, y0, x1, y1)


def matched_pixels(tiles: TileMap) -> float:
    """Area of the matched tiles actually covered by the suspect, in original full-size pixels."""
    return float((tiles.area * tiles.matched).sum())


def heatmap(tiles: TileMap) -> dict[str, object]:
    """The grid as plain lists: rounded scores, None where the suspect does not cover the tile."""
    grid_values = [
        [None if math.isnan(v) else round(float(v), 4) for v in row] for row in tiles.scores.tolist()
    ]
    return {"tile": [tiles.grid.tile, tiles.grid.tile], "grid": grid_values}

"""Global perceptual hashes (imagehash): the fast, explainable first look at two whole pictures.

Five hashes, each with its Hamming distance, its bit count and a similarity
(1 - distance / bits), plus the hex value of each side so another expert can
recompute them with the same library. They are taken from a hashing copy of
each picture, ``HASH_LONG_SIDE`` pixels on its long side (area averaging), which
changes hardly a bit: every hash shrinks the picture to a few dozen pixels
first. The wavelet hash is given a fixed ``image_scale`` so that its value does
not depend on the size of the picture it is given.

pHash and wHash are computed here rather than by imagehash: imagehash's
versions import SciPy (pHash) and PyWavelets (wHash), and ``numpy.median``
imports ``numpy.ma``, start-up time (PyWavelets and ``numpy.ma`` alone
about 16 ms, SciPy far more) for a few thousand arithmetic operations. The
bits must still be imagehash's, so that another expert gets the same hex
values. Each bit compares a coefficient with the median of all of them; our
arithmetic can differ from the library's only in the last binary digits, so
whenever some coefficient lies that close to the median (a flat or smooth
picture, where exact ties are common) the bit is left to imagehash itself.
The tests compare both hashes with imagehash on photographs, gradients,
flat and random pictures.

Whole-picture hashes fail on crops, pastes and (without trying it) mirrors;
they are reported beside the alignment, never instead of it.
"""

from __future__ import annotations

from collections.abc import Callable

import imagehash
import numpy as np
from PIL import Image

HASH_LONG_SIDE = 256
WHASH_IMAGE_SCALE = 64


def _dct_matrix(size: int) -> np.ndarray:
    """SciPy's unnormalised type-II DCT as a matrix: 2 * cos(pi * k * (2n + 1) / (2N))."""
    k = np.arange(size)[:, None]
    n = np.arange(size)[None, :]
    return 2.0 * np.cos(np.pi * k * (2 * n + 1) / (2 * size))


_DCT32 = _dct_matrix(32)


def _median(values: np.ndarray) -> float:
    """``numpy.median`` of a finite array, bit for bit (the two middle values' sum halved), without ``numpy.ma``."""
    ordered = np.sort(values, axis=None)
    middle = ordered.size // 2
    if ordered.size % 2:
        return float(ordered[middle])
    return float((ordered[middle - 1] + ordered[middle]) / 2)


def _phash(picture: Image.Image) -> imagehash.ImageHash:
    """imagehash.phash, bit for bit, without importing SciPy (half a second of start-up).

    Same steps as imagehash 4.3: greyscale, Lanczos to 32 x 32, 2-D type-II DCT,
    the 8 x 8 lowest frequencies compared with their median.
    """
    pixels = np.asarray(picture.convert("L").resize((32, 32), Image.Resampling.LANCZOS), dtype=np.float64)
    dct = _DCT32 @ pixels @ _DCT32.T
    low = dct[:8, :8]
    median = _median(low)
    if _near_a_tie(low, median, float(np.abs(dct).max())):
        return imagehash.phash(picture)  # SciPy's FFT rounds differently from our matrix product
    return imagehash.ImageHash(low > median)


#: A coefficient within this share of the largest one from the median could fall on either side
#: of it depending on rounding (double precision carries about 16 significant digits; our DCT and
#: SciPy's were measured to differ by 1e-15 of the largest coefficient, photographs' nearest
#: coefficient lay 1e-5 from the median).
_TIE_SHARE = 1e-9


def _near_a_tie(values: np.ndarray, median: float, largest: float) -> bool:
    return bool(np.abs(values - median).min() <= _TIE_SHARE * max(largest, 1e-300))


#: PyWavelets' Haar filter tap (1 / sqrt 2, as the library stores it).
_HAAR = 0.7071067811865476


def _haar_split(values: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """One Haar analysis step along ``axis``: PyWavelets' ``x[2k+1] * h0 + x[2k] * h1`` sums."""
    values = np.moveaxis(values, axis, 0)
    even, odd = values[0::2], values[1::2]
    low = odd * _HAAR + even * _HAAR
    high = odd * -_HAAR + even * _HAAR
    return np.moveaxis(low, 0, axis), np.moveaxis(high, 0, axis)


def _haar_join(low: np.ndarray, high: np.ndarray, axis: int) -> np.ndarray:
    """The inverse of :func:`_haar_split`, as PyWavelets' reconstruction sums it."""
    low, high = np.moveaxis(low, axis, 0), np.moveaxis(high, axis, 0)
    joined = np.empty((low.shape[0] * 2, *low.shape[1:]))
    joined[0::2] = low * _HAAR + high * _HAAR
    joined[1::2] = low * _HAAR + high * -_HAAR
    return np.moveaxis(joined, 0, axis)


def _haar_2d(values: np.ndarray) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """``pywt.dwt2(values, 'haar')`` for even sizes: rows (axis 0) first, then columns."""
    low, high = _haar_split(values, 0)
    low_low, low_high = _haar_split(low, 1)
    high_low, high_high = _haar_split(high, 1)
    return low_low, (high_low, low_high, high_high)


def _haar_2d_inverse(low_low: np.ndarray, details: tuple[np.ndarray, np.ndarray, np.ndarray]) -> np.ndarray:
    """``pywt.idwt2`` for the Haar wavelet: columns (axis 1) first, then rows."""
    high_low, low_high, high_high = details
    return _haar_join(_haar_join(low_low, low_high, 1), _haar_join(high_low, high_high, 1), 0)


def _whash(picture: Image.Image) -> imagehash.ImageHash:
    """``imagehash.whash(picture, image_scale=64)`` (Haar, lowest band removed), bit for bit, without PyWavelets.

    imagehash 4.3: greyscale, Lanczos to 64 x 64, divide by 255; a full
    6-level Haar decomposition with its lowest band zeroed and reconstructed
    (which removes the picture's mean); a 3-level decomposition of that, whose
    8 x 8 lowest band is compared with its median.
    """
    size = WHASH_IMAGE_SCALE
    pixels = np.asarray(picture.convert("L").resize((size, size), Image.Resampling.LANCZOS)) / 255.0
    levels = size.bit_length() - 1
    low = pixels
    details = []
    for _ in range(levels):
        low, detail = _haar_2d(low)
        details.append(detail)
    low = low * 0
    for detail in reversed(details):
        low = _haar_2d_inverse(low, detail)
    for _ in range(levels - 3):  # down to 8 x 8
        low, _ = _haar_2d(low)
    median = _median(low)
    if _near_a_tie(low, median, float(np.abs(low).max())):
        # The same sums as PyWavelets' C code, but a compiler may fuse its multiply-adds on some
        # processors; at a tie that could flip a bit, so the library decides.
        return imagehash.whash(picture, image_scale=size)
    return imagehash.ImageHash(low > median)


HASHES: tuple[tuple[str, Callable[[Image.Image], imagehash.ImageHash]], ...] = (
    ("phash", _phash),
    ("dhash", imagehash.dhash),
    ("ahash", imagehash.average_hash),
    ("whash", _whash),
    ("colorhash", imagehash.colorhash),
)


def hashing_copy(picture: Image.Image) -> Image.Image:
    """The picture reduced (area averaging) to ``HASH_LONG_SIDE`` pixels on its long side."""
    factor = HASH_LONG_SIDE / max(picture.size)
    if factor >= 1:
        return picture
    size = (max(1, round(picture.width * factor)), max(1, round(picture.height * factor)))
    # Pillow's box filter is integer arithmetic, the same on every processor (OpenCV's area
    # resize need not be: its code paths differ by processor).
    return picture.resize(size, Image.Resampling.BOX)


def hash_values(picture: Image.Image) -> dict[str, imagehash.ImageHash]:
    return {name: function(picture) for name, function in HASHES}


def compare_hashes(original: dict[str, imagehash.ImageHash], suspect: dict[str, imagehash.ImageHash]) -> dict[str, dict[str, object]]:
    """Distance, bit count and similarity of each hash, in a fixed order."""
    result: dict[str, dict[str, object]] = {}
    for name, _ in HASHES:
        a, b = original[name], suspect[name]
        bits = int(a.hash.size)
        distance = int(a - b)
        result[name] = {
            "distance": distance,
            "bits": bits,
            "similarity": round(1.0 - distance / bits, 4),
            "original": str(a),
            "suspect": str(b),
        }
    return result

"""Global perceptual hashes (imagehash): the fast, explainable first look at two whole pictures.

Five hashes, each with its Hamming distance, its bit count and a similarity
(1 - distance / bits), plus the hex value of each side so another expert can
recompute them with the same library. They are taken from a hashing copy of
each picture, ``HASH_LONG_SIDE`` pixels on its long side (area averaging), which
changes hardly a bit: every hash shrinks the picture to a few dozen pixels
first. The wavelet hash is given a fixed ``image_scale`` so that its value does
not depend on the size of the picture it is given.

Whole-picture hashes fail on crops, pastes and (without trying it) mirrors;
they are reported beside the alignment, never instead of it.
"""

from __future__ import annotations

from collections.abc import Callable

import cv2
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


def _phash(picture: Image.Image) -> imagehash.ImageHash:
    """imagehash.phash, bit for bit, without importing SciPy (half a second of start-up).

    Same steps as imagehash 4.3: greyscale, Lanczos to 32 x 32, 2-D type-II DCT,
    the 8 x 8 lowest frequencies compared with their median.
    """
    pixels = np.asarray(picture.convert("L").resize((32, 32), Image.Resampling.LANCZOS), dtype=np.float64)
    dct = _DCT32 @ pixels @ _DCT32.T
    low = dct[:8, :8]
    return imagehash.ImageHash(low > np.median(low))


def _whash(picture: Image.Image) -> imagehash.ImageHash:
    return imagehash.whash(picture, image_scale=WHASH_IMAGE_SCALE)


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
    return Image.fromarray(cv2.resize(np.asarray(picture, dtype=np.uint8), size, interpolation=cv2.INTER_AREA))


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

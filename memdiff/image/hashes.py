"""Global perceptual hashes (imagehash): the fast, explainable first look at two whole pictures.

Five hashes, each with its Hamming distance, its bit count and a similarity
(1 - distance / bits), plus the hex value of each side so another expert can
recompute them with the same library. They are taken from the working copies
(long side at most 1024 pixels, Lanczos), which changes no hash bit that
matters: every one of them shrinks the picture to a few dozen pixels first.

Whole-picture hashes fail on crops, pastes and (without trying it) mirrors;
they are reported beside the alignment, never instead of it.
"""

from __future__ import annotations

from collections.abc import Callable

import imagehash
from PIL import Image

HASHES: tuple[tuple[str, Callable[[Image.Image], imagehash.ImageHash]], ...] = (
    ("phash", imagehash.phash),
    ("dhash", imagehash.dhash),
    ("ahash", imagehash.average_hash),
    ("whash", imagehash.whash),
    ("colorhash", imagehash.colorhash),
)


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

"""wordfreq's word-frequency tables, looked up through an index kept in the user's cache folder.

Pricing the words of a span needs each word's bucket in wordfreq's table.
The table ships as a compressed msgpack list of about 320,000 words (for
English), and unpacking it and hashing every word cost 30-60 ms in every
process: more than the whole comparison of a short output. So the first
process that needs a language writes a derived index of its table: the words
as UTF-8 in the order of their CRC-32, with each word's bucket. Later
processes read that file (5 MB for English, a few milliseconds) and look up
only the words they need.

The index can never change a figure:
- It is named by the SHA-256 of the table file it was made from, and that
  digest is checked again each time the index is used, so a new wordfreq
  release (or an edited table) gets a new index.
- Its body carries its own SHA-256, checked at every use: a damaged or
  altered index is not used but written again from the table.
- Each hit is confirmed by comparing the whole word, never by hash alone.
- Where the cache folder cannot be written, the table is unpacked and
  scanned in memory instead. Tests check that both ways give every word of
  the table the same bucket.

``MEMDIFF_CACHE_DIR`` names another cache folder (the tests use one of their own).
"""

from __future__ import annotations

import contextlib
import gzip
import hashlib
import os
import struct
import zlib
from collections.abc import Iterable
from pathlib import Path
from typing import Protocol

import numpy as np

from memdiff.errors import OutputError

CACHE_ENV = "MEMDIFF_CACHE_DIR"

_MAGIC = b"memdiff wordfreq index\n\0"
_VERSION = 1
# magic, format version, word count, length of the word bytes, SHA-256 of the
# table file the index was made from, SHA-256 of everything after the header.
_HEADER = struct.Struct("<24sIII32s32s")


class FrequencyTable(Protocol):
    """One language's table: the bucket of each word (bucket n holds the words of frequency 10^(-n/100))."""

    def buckets_of(self, keys: Iterable[str]) -> dict[str, int]:
        """The bucket of every key the table lists; keys it does not list are left out."""
        ...


class UnpackedTable:
    """The table unpacked in memory: every bucket is scanned for the keys still missing."""

    def __init__(self, buckets: tuple[tuple[str, ...], ...]) -> None:
        self.buckets = buckets

    def buckets_of(self, keys: Iterable[str]) -> dict[str, int]:
        found: dict[str, int] = {}
        remaining = set(keys)
        for n, bucket in enumerate(self.buckets):
            if not remaining:
                break
            hits = remaining.intersection(bucket)
            for key in hits:
                found[key] = n
            remaining -= hits
        return found


class IndexedTable:
    """The derived index: the words' CRC-32s in ascending order, their offsets, buckets, and the words' bytes."""

    def __init__(self, body: bytes, count: int, word_bytes: int) -> None:
        self.count = count
        at = 0
        self.hashes = np.frombuffer(body, dtype="<u4", count=count, offset=at)
        at += 4 * count
        self.offsets = np.frombuffer(body, dtype="<u4", count=count + 1, offset=at)
        at += 4 * (count + 1)
        self.bucket_numbers = np.frombuffer(body, dtype="<u2", count=count, offset=at)
        at += 2 * count
        self.words = memoryview(body)[at : at + word_bytes]

    def buckets_of(self, keys: Iterable[str]) -> dict[str, int]:
        keys = list(keys)
        found: dict[str, int] = {}
        if not keys or not self.count:
            return found
        encoded = [key.encode("utf-8", "surrogatepass") for key in keys]
        wanted = np.fromiter(map(zlib.crc32, encoded), dtype=np.uint32, count=len(encoded))
        places = np.minimum(np.searchsorted(self.hashes, wanted), self.count - 1)
        # The first word with each key's CRC-32, gathered at once; a key whose
        # CRC-32 it shares with other words walks on through them.
        hit = self.hashes[places] == wanted
        starts = self.offsets[places].tolist()
        ends = self.offsets[places + 1].tolist()
        numbers = self.bucket_numbers[places].tolist()
        words = self.words
        for n in np.flatnonzero(hit).tolist():
            data = encoded[n]
            if words[starts[n] : ends[n]] == data:
                found[keys[n]] = numbers[n]
            else:
                place = int(places[n]) + 1
                while place < self.count and self.hashes[place] == wanted[n]:
                    if words[self.offsets[place] : self.offsets[place + 1]] == data:
                        found[keys[n]] = int(self.bucket_numbers[place])
                        break
                    place += 1
        return found


def unpack(source: Path, data: bytes | None = None) -> tuple[tuple[str, ...], ...]:
    """The buckets of a wordfreq table file (its documented "cBpack" format: a header, then a list per bucket).

    ``data`` is the file's bytes when the caller has read them already.
    """
    import msgpack

    # Read whole and unpacked into tuples: the quickest way through 320,000 words (about 25 ms).
    compressed = source.read_bytes() if data is None else data
    pack = msgpack.unpackb(gzip.decompress(compressed), raw=False, use_list=False)
    header, buckets = pack[0], pack[1:]
    if not isinstance(header, dict) or header.get("format") != "cB":
        raise ValueError(f"unexpected wordfreq table format in {source}")
    return buckets


def index_body(buckets: tuple[tuple[str, ...], ...]) -> tuple[bytes, int, int]:
    """The index of ``buckets`` (a word listed twice keeps its first, most frequent bucket): body, count, word bytes."""
    first: dict[bytes, int] = {}
    for n, bucket in enumerate(buckets):
        for word in bucket:
            first.setdefault(word.encode("utf-8", "surrogatepass"), n)
    encoded = list(first)
    crcs = np.fromiter(map(zlib.crc32, encoded), dtype="<u4", count=len(encoded))
    # Stable: words sharing a CRC-32 stay in the table's order, so the index is the same on every machine.
    order = np.argsort(crcs, kind="stable")
    numbers = np.fromiter(first.values(), dtype="<u2", count=len(first))[order]
    ordered = [encoded[i] for i in order.tolist()]
    offsets = np.zeros(len(ordered) + 1, dtype="<u4")
    np.cumsum(np.fromiter(map(len, ordered), dtype=np.int64, count=len(ordered)), out=offsets[1:])
    words = b"".join(ordered)
    body = b"".join((crcs[order].tobytes(), offsets.tobytes(), numbers.tobytes(), words))
    return body, len(ordered), len(words)


def cache_folder() -> Path:
    folder = os.environ.get(CACHE_ENV)
    if folder:
        return Path(folder)
    import platformdirs

    return Path(platformdirs.user_cache_dir("memdiff", appauthor=False))


def index_path(folder: Path, source: Path, source_digest: bytes) -> Path:
    stem = source.name.removesuffix(".msgpack.gz")
    return folder / f"wordfreq-{stem}-{source_digest.hex()[:16]}.index"


def read_index(path: Path, source_digest: bytes) -> IndexedTable | None:
    """The index at ``path`` if it is whole, undamaged and made from the table with ``source_digest``."""
    try:
        data = path.read_bytes()
    except OSError:
        return None
    if len(data) < _HEADER.size:
        return None
    magic, version, count, word_bytes, made_from, body_digest = _HEADER.unpack_from(data)
    body = data[_HEADER.size :]
    if (
        magic != _MAGIC
        or version != _VERSION
        or made_from != source_digest
        or len(body) != 10 * count + 4 + word_bytes
        or hashlib.sha256(body).digest() != body_digest
    ):
        return None
    return IndexedTable(body, count, word_bytes)


def write_index(path: Path, buckets: tuple[tuple[str, ...], ...], source_digest: bytes) -> None:
    """Write the index of ``buckets`` atomically, and remove indexes of older versions of the same table."""
    from memdiff.atomic import atomic_output

    body, count, word_bytes = index_body(buckets)
    header = _HEADER.pack(_MAGIC, _VERSION, count, word_bytes, source_digest, hashlib.sha256(body).digest())
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path) as out:
        out.write(header)
        out.write(body)
    stem = path.name.rsplit("-", 1)[0]
    for old in sorted(path.parent.glob(f"{stem}-*.index")):
        if old != path:
            with contextlib.suppress(OSError):
                old.unlink()


def load_table(source: Path, folder: Path | None = None) -> FrequencyTable:
    """The table of the wordfreq file ``source``: from its index when one is cached, else unpacked (and indexed)."""
    data = source.read_bytes()
    digest = hashlib.sha256(data).digest()
    try:
        path = index_path(folder or cache_folder(), source, digest)
    except OSError:  # no home folder to find a cache folder in
        return UnpackedTable(unpack(source, data))
    table = read_index(path, digest)
    if table is not None:
        return table
    buckets = unpack(source, data)
    # A cache that cannot be written costs speed, never a result: the folder
    # may fail to be made (OSError) or the file to be written (atomic_output
    # reports that as OutputError).
    with contextlib.suppress(OSError, OutputError):
        write_index(path, buckets, digest)
    return UnpackedTable(buckets)

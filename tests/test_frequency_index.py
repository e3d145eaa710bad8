"""The cached index of wordfreq's tables gives every word the bucket the table gives it, or is not used."""

from __future__ import annotations

import gzip
import json
import os
import subprocess
import sys
import zlib
from pathlib import Path

import msgpack
import pytest

from memdiff.text import frequency_index
from memdiff.text.chance import _wordfreq_data
from memdiff.text.frequency_index import IndexedTable, UnpackedTable, load_table, unpack


def first_buckets(buckets: tuple[tuple[str, ...], ...]) -> dict[str, int]:
    """What the table says, read the plain way: each word's first (most frequent) bucket."""
    expected: dict[str, int] = {}
    for n, bucket in enumerate(buckets):
        for word in bucket:
            expected.setdefault(word, n)
    return expected


def write_table(path: Path, buckets: list[list[str]]) -> Path:
    """A table file in wordfreq's format (gzip'd msgpack: a header, then one list per bucket)."""
    path.write_bytes(gzip.compress(msgpack.packb([{"format": "cB", "version": 1}, *buckets])))
    return path


@pytest.mark.parametrize("table", ["large_en.msgpack.gz", "small_de.msgpack.gz", "small_ja.msgpack.gz"])
def test_the_index_gives_every_word_of_the_table_its_bucket(tmp_path, table):
    source = _wordfreq_data(table)
    assert source is not None, f"wordfreq's {table} is not installed"
    buckets = unpack(source)
    expected = first_buckets(buckets)

    first = load_table(source, tmp_path)
    assert isinstance(first, UnpackedTable)  # nothing cached yet: unpacked, and indexed for next time
    indexed = load_table(source, tmp_path)
    assert isinstance(indexed, IndexedTable)

    assert indexed.buckets_of(expected) == expected
    unknown = ["qxzzyqv", "memdiffword", "\u00e9\u00e9\u00e9\u00e9", "\ud800lone"]
    assert indexed.buckets_of(unknown) == {}
    assert first.buckets_of([*list(expected)[:2000], *unknown]) == dict(list(expected.items())[:2000])


def test_words_sharing_a_crc32_are_told_apart(tmp_path):
    assert zlib.crc32(b"plumless") == zlib.crc32(b"buckeroo")
    source = write_table(tmp_path / "large_xx.msgpack.gz", [[], ["the"], ["buckeroo"], [], ["plumless", "zebra"]])
    load_table(source, tmp_path)
    indexed = load_table(source, tmp_path)
    assert isinstance(indexed, IndexedTable)
    assert indexed.buckets_of(["plumless", "buckeroo", "zebra", "the", "absent"]) == {
        "plumless": 4,
        "buckeroo": 2,
        "zebra": 4,
        "the": 1,
    }


def test_a_word_listed_twice_keeps_its_most_frequent_bucket(tmp_path):
    source = write_table(tmp_path / "large_xx.msgpack.gz", [["rare"], ["word", "rare"]])
    load_table(source, tmp_path)
    assert load_table(source, tmp_path).buckets_of(["rare", "word"]) == {"rare": 0, "word": 1}


def test_a_damaged_index_is_not_used_and_is_written_again(tmp_path):
    source = write_table(tmp_path / "large_xx.msgpack.gz", [[], ["alpha", "beta"], ["gamma"]])
    load_table(source, tmp_path)
    (index,) = tmp_path.glob("*.index")
    data = bytearray(index.read_bytes())
    data[-1] ^= 0x01  # one bit of the last word's bytes
    index.write_bytes(bytes(data))

    table = load_table(source, tmp_path)
    assert isinstance(table, UnpackedTable)
    assert table.buckets_of(["alpha", "gamma"]) == {"alpha": 1, "gamma": 2}
    mended = load_table(source, tmp_path)
    assert isinstance(mended, IndexedTable)
    assert mended.buckets_of(["alpha", "gamma"]) == {"alpha": 1, "gamma": 2}


@pytest.mark.parametrize("cut", [0, 10, 100])
def test_a_cut_short_index_is_not_used(tmp_path, cut):
    source = write_table(tmp_path / "large_xx.msgpack.gz", [["alpha"], ["beta"]])
    load_table(source, tmp_path)
    (index,) = tmp_path.glob("*.index")
    index.write_bytes(index.read_bytes()[:cut])
    assert isinstance(load_table(source, tmp_path), UnpackedTable)


def test_a_changed_table_gets_a_new_index_and_the_old_one_goes(tmp_path):
    source = write_table(tmp_path / "large_xx.msgpack.gz", [["alpha"], ["beta"]])
    load_table(source, tmp_path)
    (old,) = tmp_path.glob("*.index")

    write_table(source, [["beta"], ["alpha"]])  # a new release of the table
    table = load_table(source, tmp_path)
    assert isinstance(table, UnpackedTable)
    assert table.buckets_of(["alpha", "beta"]) == {"alpha": 1, "beta": 0}
    (new,) = tmp_path.glob("*.index")
    assert new != old
    assert load_table(source, tmp_path).buckets_of(["alpha", "beta"]) == {"alpha": 1, "beta": 0}


def test_an_index_of_another_table_under_this_tables_name_is_not_used(tmp_path):
    first = write_table(tmp_path / "large_xx.msgpack.gz", [["alpha"], ["beta"]])
    load_table(first, tmp_path)
    (index,) = tmp_path.glob("*.index")
    (tmp_path / "other").mkdir()
    other = write_table(tmp_path / "other" / "large_xx.msgpack.gz", [["beta"], ["alpha"]])
    # Put the first table's index where the other table's would be.
    digest = frequency_index.hashlib.sha256(other.read_bytes()).digest()
    index.rename(frequency_index.index_path(tmp_path, other, digest))
    table = load_table(other, tmp_path)
    assert isinstance(table, UnpackedTable)
    assert table.buckets_of(["alpha", "beta"]) == {"alpha": 1, "beta": 0}


def test_a_cache_folder_that_cannot_be_written_costs_nothing_but_speed(tmp_path):
    source = write_table(tmp_path / "large_xx.msgpack.gz", [["alpha"], ["beta"]])
    blocked = tmp_path / "not-a-folder"
    blocked.write_text("a file where the cache folder would be")
    for _ in range(2):
        table = load_table(source, blocked)
        assert isinstance(table, UnpackedTable)
        assert table.buckets_of(["beta", "gamma"]) == {"beta": 1}
    assert blocked.read_text() == "a file where the cache folder would be"


def unwritable_folders(tmp_path: Path) -> list[Path]:
    """Existing folders in which no file can be made: a read-only one (unless root), and /proc's (even for root)."""
    folders = []
    if os.name == "posix" and os.geteuid() != 0:
        locked = tmp_path / "read-only"
        locked.mkdir()
        locked.chmod(0o500)
        folders.append(locked)
    if Path("/proc/self/fdinfo").is_dir():
        folders.append(Path("/proc/self/fdinfo"))
    return folders


def test_an_existing_folder_that_refuses_new_files_costs_nothing_but_speed(tmp_path):
    """The folder exists, so only the write itself fails (atomic_output reports it as OutputError)."""
    folders = unwritable_folders(tmp_path)
    if not folders:
        pytest.skip("no folder refusing new files can be made here")
    source = write_table(tmp_path / "large_xx.msgpack.gz", [["alpha"], ["beta"]])
    for folder in folders:
        for _ in range(2):
            table = load_table(source, folder)
            assert isinstance(table, UnpackedTable)
            assert table.buckets_of(["beta", "gamma"]) == {"beta": 1}


def test_the_cli_compares_with_an_existing_unwritable_cache_folder(tmp_path):
    folders = unwritable_folders(tmp_path)
    if not folders:
        pytest.skip("no folder refusing new files can be made here")
    samples = Path(__file__).parent.parent / "resources" / "samples"
    target = tmp_path / "result.json"
    done = subprocess.run(
        [sys.executable, "-m", "memdiff", "compare", str(samples / "original.txt"),
         str(samples / "model-output.txt"), "--json", str(target)],
        env={**os.environ, frequency_index.CACHE_ENV: str(folders[0])},
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(target.read_text(encoding="utf-8"))["spans"]


def test_the_cli_gives_the_same_result_with_the_index_as_without(tmp_path, monkeypatch):
    """The first run writes the index and the second reads it: the spans and their chance figures agree."""
    cache = tmp_path / "cache"
    monkeypatch.setenv(frequency_index.CACHE_ENV, str(cache))
    samples = Path(__file__).parent.parent / "resources" / "samples"
    results = []
    for n in range(2):
        target = tmp_path / f"result{n}.json"
        subprocess.run(
            [sys.executable, "-m", "memdiff", "compare", str(samples / "original.txt"),
             str(samples / "model-output.txt"), "--json", str(target)],
            check=True,
            capture_output=True,
        )
        results.append(json.loads(target.read_text(encoding="utf-8")))
        assert len(list(cache.glob("wordfreq-*.index"))) == 1
    assert results[0]["spans"] and results[0]["spans"] == results[1]["spans"]
    assert results[0]["summary"] == results[1]["summary"]

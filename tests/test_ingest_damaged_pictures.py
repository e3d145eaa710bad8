"""Damaged pictures that made Pillow fail in ways the image reader did not expect: one sentence, nothing else."""

from __future__ import annotations

import io
import logging
import struct

import numpy as np
import pytest
from PIL import Image

from memdiff.errors import InputError
from memdiff.ingest import load, load_bytes


def _tiff(mode: str = "RGB") -> bytearray:
    rng = np.random.default_rng(2)
    picture = Image.fromarray(rng.integers(0, 255, (40, 50, 3), dtype=np.uint8)).convert(mode)
    out = io.BytesIO()
    picture.save(out, "TIFF")
    return bytearray(out.getvalue())


def tiff_with_a_broken_page_list(mode: str) -> bytes:
    """A TIFF whose pointer to a next page leads into its pixel data (one damaged field): Pillow raises TypeError."""
    data = _tiff(mode)
    first_page = struct.unpack("<I", data[4:8])[0]
    entries = struct.unpack("<H", data[first_page : first_page + 2])[0]
    pointer = first_page + 2 + 12 * entries
    data[pointer : pointer + 4] = struct.pack("<I", len(data) // 2)
    return bytes(data)


def tiff_declaring_samples(count: int = 3000) -> bytes:
    """Pillow logs "More samples per pixel than can be decoded" through its logger before giving up."""
    data = _tiff()
    field = data.find(b"\x15\x01\x03\x00\x01\x00\x00\x00")  # SamplesPerPixel, SHORT, one value
    assert field > 0
    data[field + 8 : field + 10] = count.to_bytes(2, "little")
    return bytes(data)


@pytest.mark.parametrize("mode", ["LAB", "RGB", "CMYK"])
def test_a_tiff_whose_page_list_is_damaged_fails_with_one_sentence(tmp_path, mode):
    path = tmp_path / "exhibit.tif"
    path.write_bytes(tiff_with_a_broken_page_list(mode))
    with pytest.raises(InputError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith("exhibit.tif starts like a TIFF file but cannot be decoded")
    assert "damaged or truncated" in message and "\n" not in message


def test_pillows_log_message_goes_into_the_sentence_not_onto_standard_error(capfd):
    pillow = logging.getLogger("PIL")
    before = (pillow.propagate, list(pillow.handlers))
    with pytest.raises(InputError) as caught:
        load_bytes(tiff_declaring_samples(), "samples.tif")
    assert "More samples per pixel than can be decoded: 3000" in str(caught.value)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""
    # Pillow's logger is exactly as it was: the change lasts only while a picture is read.
    assert (pillow.propagate, list(pillow.handlers)) == before


def test_pillow_errors_logged_outside_a_picture_read_still_reach_logging(caplog):
    with pytest.raises(InputError):
        load_bytes(tiff_declaring_samples(), "samples.tif")
    with caplog.at_level(logging.ERROR, logger="PIL"):
        logging.getLogger("PIL.TiffImagePlugin").error("a message of the application's own")
    assert "a message of the application's own" in caplog.text


def test_pictures_read_in_threads_at_once_each_quote_only_their_own_complaint():
    from concurrent.futures import ThreadPoolExecutor

    def read(count: int) -> str:
        try:
            load_bytes(tiff_declaring_samples(count), f"samples{count}.tif")
        except InputError as err:
            return str(err)
        return "loaded"

    counts = [3000 + n for n in range(12)]
    with ThreadPoolExecutor(max_workers=4) as pool:
        messages = list(pool.map(read, counts))
    for count, message in zip(counts, messages):
        assert message.startswith(f"samples{count}.tif ")
        assert f"than can be decoded: {count}\"" in message, message
    assert logging.getLogger("PIL").propagate

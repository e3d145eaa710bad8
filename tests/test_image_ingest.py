"""Picture ingest: every format and awkward encoding becomes plain sRGB, and broken files fail with one sentence."""

from __future__ import annotations

import hashlib
import io
import os
import struct
from pathlib import Path

import numpy as np
import pytest
from PIL import Image, ImageCms

from memdiff.errors import InputError, LimitExceeded, UnsupportedFormat
from memdiff.ingest import image as image_ingest
from memdiff.ingest import load

PHOTOS = os.path.join(os.path.dirname(__file__), "data", "images")


def _two_tone(size=(40, 20)) -> Image.Image:
    """Left half red, right half blue: orientation and colour mistakes both show."""
    picture = Image.new("RGB", size, (220, 30, 30))
    picture.paste((30, 30, 220), (size[0] // 2, 0, size[0], size[1]))
    return picture


def _saved(picture: Image.Image, fmt: str, **options) -> bytes:
    buffer = io.BytesIO()
    picture.save(buffer, fmt, **options)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("fmt", "suffix", "media_type"),
    [
        ("PNG", ".png", "image/png"),
        ("JPEG", ".jpg", "image/jpeg"),
        ("WEBP", ".webp", "image/webp"),
        ("TIFF", ".tiff", "image/tiff"),
        ("BMP", ".bmp", "image/bmp"),
        ("GIF", ".gif", "image/gif"),
    ],
)
def test_each_format_loads_as_rgb_with_its_identity(tmp_path, fmt, suffix, media_type):
    data = _saved(_two_tone(), fmt)
    path = tmp_path / f"picture{suffix}"
    path.write_bytes(data)
    doc = load(path)
    assert doc.kind == "image"
    assert doc.image.mode == "RGB"
    assert (doc.width, doc.height) == (40, 20) == doc.image.size
    assert doc.image_format == fmt
    assert doc.media_type == media_type
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size_bytes == len(data)
    left, right = doc.image.getpixel((5, 10)), doc.image.getpixel((35, 10))
    assert left[0] > 150 and left[2] < 90, left
    assert right[2] > 150 and right[0] < 90, right


def test_a_real_photograph_loads_and_the_file_is_left_untouched(tmp_path):
    source = os.path.join(PHOTOS, "chelsea.jpg")
    before = (Path(source).read_bytes(), os.stat(source).st_mtime_ns)
    doc = load(source)
    assert (doc.width, doc.height, doc.image_mode, doc.image_format) == (451, 300, "RGB", "JPEG")
    assert doc.notes == ()
    assert (Path(source).read_bytes(), os.stat(source).st_mtime_ns) == before


def test_cmyk_is_converted_and_its_original_mode_recorded():
    data = _saved(_two_tone().convert("CMYK"), "JPEG", quality=95)
    doc = image_ingest.load(data, "print.jpg", "image/jpeg", sha256="x", path=None)
    assert doc.image_mode == "CMYK"
    assert doc.image.mode == "RGB"
    red = doc.image.getpixel((5, 10))
    assert red[0] > 150 and red[1] < 90 and red[2] < 90, red
    assert any("CMYK" in note for note in doc.notes)


def test_sixteen_bit_greyscale_is_scaled_to_eight_bits():
    ramp = (np.arange(64 * 16, dtype=np.uint32).reshape(16, 64) * 64).astype(np.uint16)
    data = _saved(Image.fromarray(ramp), "PNG")
    doc = image_ingest.load(data, "deep.png", "image/png", sha256="x", path=None)
    assert doc.image_mode == "I;16"
    values = np.asarray(doc.image)[:, :, 0].astype(int)
    expected = np.rint(ramp.astype(float) * 255 / 65535).astype(int)
    assert np.abs(values - expected).max() <= 1
    assert values.max() > 200  # the full tonal range survives, not just the low byte
    assert any("16-bit" in note for note in doc.notes)


def test_transparency_is_flattened_onto_white():
    picture = Image.new("RGBA", (20, 20), (0, 0, 0, 0))
    picture.paste((200, 0, 0, 255), (0, 0, 10, 20))
    doc = image_ingest.load(_saved(picture, "PNG"), "cutout.png", "image/png", sha256="x", path=None)
    assert doc.image_mode == "RGBA"
    assert doc.image.getpixel((15, 5)) == (255, 255, 255)
    assert doc.image.getpixel((5, 5)) == (200, 0, 0)
    assert any("white" in note for note in doc.notes)


def test_animated_gif_uses_the_first_frame_and_says_so():
    frames = [Image.new("P", (16, 16), i) for i in range(3)]
    for frame, colour in zip(frames, ((250, 0, 0), (0, 250, 0), (0, 0, 250)), strict=True):
        palette = list(colour) + [0] * (256 * 3 - 3)
        frame.putpalette(palette)
        frame.paste(0, (0, 0, 16, 16))
    data = _saved(frames[0], "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    doc = image_ingest.load(data, "anim.gif", "image/gif", sha256="x", path=None)
    assert doc.image_mode == "P"
    assert doc.image.getpixel((8, 8)) == (250, 0, 0)
    assert any("3 frames" in note and "first" in note for note in doc.notes)


def test_exif_orientation_is_applied():
    picture = _two_tone((40, 20))
    exif = Image.Exif()
    exif[0x0112] = 6  # stored picture must be rotated 90 degrees clockwise to display
    data = _saved(picture, "JPEG", quality=95, exif=exif.tobytes())
    doc = image_ingest.load(data, "phone.jpg", "image/jpeg", sha256="x", path=None)
    assert (doc.width, doc.height) == (20, 40)
    top, bottom = doc.image.getpixel((10, 5)), doc.image.getpixel((10, 35))
    assert top[0] > 150 and bottom[2] > 150, (top, bottom)  # the red left half is now on top
    assert any("orientation 6" in note for note in doc.notes)


def test_a_bogus_exif_orientation_is_ignored_with_a_note():
    exif = Image.Exif()
    exif[0x0112] = 42
    data = _saved(_two_tone(), "JPEG", quality=95, exif=exif.tobytes())
    doc = image_ingest.load(data, "odd.jpg", "image/jpeg", sha256="x", path=None)
    assert (doc.width, doc.height) == (40, 20)
    assert any("invalid" in note for note in doc.notes)


def _icc_profile_with_swapped_red_and_green() -> bytes:
    """A minimal ICC v2 RGB display profile whose red and green primaries are exchanged.

    Pixels tagged with it that *say* red are green on screen; a reader that
    ignores the profile gets the colour wrong, which is what the test needs.
    """

    def s15(value: float) -> bytes:
        return struct.pack(">i", round(value * 65536))

    def xyz(x: float, y: float, z: float) -> bytes:
        return b"XYZ " + b"\0" * 4 + s15(x) + s15(y) + s15(z)

    description = b"memdiff test swapped primaries\0"
    desc = b"desc" + b"\0" * 4 + struct.pack(">I", len(description)) + description + b"\0" * 4 + b"\0" * 4 + b"\0" * 2 + b"\0" + b"\0" * 67
    curve = b"curv" + b"\0" * 4 + struct.pack(">I", 1) + struct.pack(">H", 0x0233) + b"\0\0"
    tags = [
        (b"desc", desc),
        (b"wtpt", xyz(0.9642, 1.0, 0.8249)),
        (b"rXYZ", xyz(0.3851, 0.7169, 0.0971)),  # sRGB's green primary (D50)
        (b"gXYZ", xyz(0.4361, 0.2225, 0.0139)),  # sRGB's red primary (D50)
        (b"bXYZ", xyz(0.1431, 0.0606, 0.7141)),
        (b"rTRC", curve),
        (b"gTRC", curve),
        (b"bTRC", curve),
    ]
    offset = 128 + 4 + 12 * len(tags)
    table, body = b"", b""
    for signature, payload in tags:
        payload += b"\0" * (-len(payload) % 4)
        table += signature + struct.pack(">II", offset + len(body), len(payload))
        body += payload
    size = offset + len(body)
    header = (
        struct.pack(">I", size) + b"\0" * 4 + struct.pack(">I", 0x02100000) + b"mntrRGB XYZ "
        + b"\0" * 12 + b"acsp" + b"\0" * 24 + struct.pack(">I", 0) + s15(0.9642) + s15(1.0) + s15(0.8249)
    )
    header += b"\0" * (128 - len(header))
    return header + struct.pack(">I", len(tags)) + table + body


def test_an_embedded_colour_profile_is_respected():
    icc = _icc_profile_with_swapped_red_and_green()
    assert "swapped" in ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(icc)))
    data = _saved(Image.new("RGB", (8, 8), (230, 20, 20)), "PNG", icc_profile=icc)
    doc = image_ingest.load(data, "tagged.png", "image/png", sha256="x", path=None)
    r, g, b = doc.image.getpixel((4, 4))
    assert g > 150 and r < 120, (r, g, b)
    assert any("swapped primaries" in note for note in doc.notes)


def test_a_broken_colour_profile_falls_back_to_srgb_with_a_note():
    data = _saved(Image.new("RGB", (8, 8), (230, 20, 20)), "PNG", icc_profile=b"not a profile at all")
    doc = image_ingest.load(data, "tagged.png", "image/png", sha256="x", path=None)
    assert doc.image.getpixel((4, 4)) == (230, 20, 20)
    assert any("could not be applied" in note for note in doc.notes)


@pytest.mark.parametrize("fmt", ["JPEG", "PNG"])
def test_a_truncated_picture_fails_with_one_sentence(tmp_path, fmt):
    with Image.open(os.path.join(PHOTOS, "coffee.jpg")) as photo:
        data = _saved(photo.convert("RGB"), fmt)
    path = tmp_path / f"cut.{fmt.lower()}"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(InputError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith(path.name) and "damaged or truncated" in message
    assert "\n" not in message


def _deflate_tiff_with_garbage_data() -> bytes:
    data = bytearray(_saved(Image.linear_gradient("L").resize((24, 16)).convert("RGB"), "TIFF", compression="tiff_deflate"))
    for i in range(12, 40):  # the compressed strip, just after the 8-byte header
        data[i] ^= 0x55
    return bytes(data)


def test_libtiffs_own_complaint_goes_into_the_sentence_not_onto_standard_error(tmp_path, capfd):
    path = tmp_path / "scan.tif"
    path.write_bytes(_deflate_tiff_with_garbage_data())
    with pytest.raises(InputError) as caught:
        load(path)
    message = str(caught.value)
    assert message.startswith("scan.tif ") and "damaged or truncated" in message and "\n" not in message
    assert "ZIPDecode" in message, message
    # Nothing reached file descriptor 2, and it is back in place afterwards.
    os.write(2, b"after the decode\n")
    captured = capfd.readouterr()
    assert captured.err == "after the decode\n"


def test_a_good_tiff_decodes_in_threads_at_once_and_standard_error_survives(capfd):
    from concurrent.futures import ThreadPoolExecutor

    good = _saved(_two_tone((64, 32)), "TIFF", compression="tiff_deflate")
    bad = _deflate_tiff_with_garbage_data()

    def one(index: int) -> str:
        data = bad if index % 2 else good
        try:
            return image_ingest.load(data, f"p{index}.tif", "image/tiff", sha256="x", path=None).image.mode
        except InputError as err:
            return str(err)

    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(one, range(16)))
    assert answers[0::2] == ["RGB"] * 8
    assert all("ZIPDecode" in a for a in answers[1::2]), answers
    os.write(2, b"still here\n")
    assert capfd.readouterr().err == "still here\n"


def test_a_zero_byte_file_fails_clearly(tmp_path):
    path = tmp_path / "nothing.png"
    path.write_bytes(b"")
    with pytest.raises(InputError, match="nothing.png is empty"):
        load(path)
    with pytest.raises(InputError, match="empty"):
        image_ingest.load(b"", "nothing.png", "image/png", sha256="x", path=None)


def test_garbage_after_a_png_signature_is_refused():
    data = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4
    with pytest.raises(InputError) as caught:
        image_ingest.load(data, "fake.png", "image/png", sha256="x", path=None)
    assert "fake.png" in str(caught.value)


def test_a_format_outside_the_list_is_refused():
    data = _saved(Image.new("RGB", (8, 8)), "PPM")
    with pytest.raises(UnsupportedFormat, match="not a picture memdiff can read"):
        image_ingest.load(data, "raw.ppm", "image/x-portable-pixmap", sha256="x", path=None)


def _png_header_claiming(width: int, height: int) -> bytes:
    """A PNG that declares a huge size in its header but carries almost no data (a bomb's shape)."""
    import zlib

    def chunk(kind: bytes, payload: bytes) -> bytes:
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def test_a_decompression_bomb_is_refused_with_the_limit_stated():
    data = _png_header_claiming(100_000, 100_000)
    with pytest.raises(LimitExceeded) as caught:
        image_ingest.load(data, "bomb.png", "image/png", sha256="x", path=None)
    message = str(caught.value)
    assert "bomb.png" in message and "10,000 megapixels" in message
    limit = image_ingest.hard_pixel_limit()
    assert f"{limit / 1e6:,.0f} megapixels" in message


def test_the_pixel_limit_follows_pillow_and_a_picture_under_the_hard_limit_gets_a_note(monkeypatch):
    monkeypatch.setattr(Image, "MAX_IMAGE_PIXELS", 1000)
    big = _saved(Image.new("RGB", (50, 50), (10, 20, 30)), "PNG")  # 2,500 pixels > 2 x 1,000
    with pytest.raises(LimitExceeded, match="0.0 megapixels per image"):
        image_ingest.load(big, "big.png", "image/png", sha256="x", path=None)
    middling = _saved(Image.new("RGB", (30, 50), (10, 20, 30)), "PNG")  # 1,500: above the warning level only
    doc = image_ingest.load(middling, "middling.png", "image/png", sha256="x", path=None)
    assert doc.image.size == (30, 50)
    assert any("very large" in note for note in doc.notes)


def test_a_declared_zero_size_picture_is_refused():
    data = _png_header_claiming(0, 10)
    with pytest.raises(InputError):
        image_ingest.load(data, "flat.png", "image/png", sha256="x", path=None)

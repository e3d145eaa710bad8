"""Bounded fuzzing of PDF and image ingest: real seed files, a time limit per example, the campaign length.

Run longer with ``MEMDIFF_FUZZ_EXAMPLES=5000 pytest tests/fuzz`` (the default
keeps the whole folder well under a minute and draws the same examples every run) and give each example more time
with ``MEMDIFF_FUZZ_SECONDS`` (default 30); ``MEMDIFF_FUZZ_SEEDS=png,jpeg``
limits a campaign to some seed files. Hypothesis shrinks a failing input, so a
failure prints the seed and the smallest list of damage steps that shows the bug.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO
from pathlib import Path

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:
    sys.path.insert(0, str(TESTS))

#: Examples per fuzz test; the environment variable runs a longer campaign.
EXAMPLES = int(os.environ.get("MEMDIFF_FUZZ_EXAMPLES", "0") or 0)
#: Seconds one example may take before it counts as a hang. pypdf may take several seconds to tokenise a
#: hostile content stream within its own limits (see memdiff/ingest/pdf.py), so the default is generous;
#: the slowest example of each run is printed.
SECONDS_PER_EXAMPLE = float(os.environ.get("MEMDIFF_FUZZ_SECONDS", "30"))


def examples(default: int) -> int:
    return EXAMPLES or default


def derandomize() -> bool:
    """The default, short run draws the same examples every time (the suite stays deterministic);
    a campaign asked for with MEMDIFF_FUZZ_EXAMPLES explores new ones."""
    return not EXAMPLES


class Hang(Exception):
    """An example ran beyond its time limit."""


@contextmanager
def time_limit(seconds: float = SECONDS_PER_EXAMPLE) -> Iterator[None]:
    """Interrupt the example (Python code; C decoders finish their call first) after ``seconds``."""
    if not hasattr(signal, "setitimer"):
        yield
        return

    def alarm(signum, frame):
        raise Hang(f"one example took more than {seconds:.0f} s")

    previous = signal.signal(signal.SIGALRM, alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


# --------------------------------------------------------------------------- seeds: small real files


def pdf_seeds() -> dict[str, bytes]:
    """Small PDFs of the kinds met in practice: reportlab text (plain and Unicode font), compressed
    content (pikepdf), an RC4-encrypted copy that opens without a password (owner restrictions only),
    one with an image (a scan page) and one with an incremental update."""
    from fixtures_docs import content_stream_pdf, encrypted_pdf, scanned_pdf, text_pdf

    lines = [["It was the best of times, it was the worst of times,", "it was the age of wisdom."],
             ["Second page: \u201cquoted\u201d words, caf\u00e9, \ufb01ne."]]
    plain = text_pdf(lines, unicode_font=False)
    seeds = {
        "reportlab": plain,
        "unicode": text_pdf(lines, unicode_font=True),
        "flate": _fixed_id(content_stream_pdf(b"BT /F1 12 Tf 10 100 Td (compressed words on a page) Tj ET")),
        "owner-only": _without_chance(lambda: encrypted_pdf(plain, user="", owner="owner", aes=False)),
        "scan": scanned_pdf(1, text_pages=(1,)),
        "updated": _incremental_update(plain),
    }
    return seeds


def _without_chance(make):
    """Run ``make`` with pypdf's random file ID and key bytes fixed, so the seed is the same in every run."""
    import secrets

    real = secrets.token_bytes
    counter = iter(range(1, 1_000_000))
    secrets.token_bytes = lambda n=32: bytes((next(counter) * 37 + i) % 256 for i in range(n))
    try:
        return make()
    finally:
        secrets.token_bytes = real


def _fixed_id(data: bytes) -> bytes:
    """The same PDF with qpdf's time-based /ID replaced by one derived from the content."""
    import pikepdf

    with pikepdf.open(BytesIO(data)) as pdf:
        if "/ID" in pdf.trailer:
            del pdf.trailer.ID  # qpdf keeps the first half of an existing ID
        out = BytesIO()
        pdf.save(out, deterministic_id=True, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _incremental_update(data: bytes) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter(BytesIO(data), incremental=True)
    writer.add_metadata({"/Title": "updated"})
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def image_seeds() -> dict[str, tuple[str, bytes]]:
    """Small pictures in every format memdiff reads, with the features that take decoder paths of their own."""
    from PIL import Image

    base = Image.linear_gradient("L").resize((24, 16))
    rgb = Image.merge("RGB", (base, base.transpose(Image.Transpose.FLIP_LEFT_RIGHT), base.rotate(90, expand=False)))
    seeds: dict[str, tuple[str, bytes]] = {}

    def save(key: str, name: str, picture, fmt: str, **options) -> None:
        out = BytesIO()
        picture.save(out, fmt, **options)
        seeds[key] = (name, out.getvalue())

    exif = Image.Exif()
    exif[0x0112] = 6
    save("png", "seed.png", rgb, "PNG")
    save("png-rgba", "seed.png", rgb.convert("RGBA"), "PNG")
    save("png-palette", "seed.png", rgb.convert("P"), "PNG", transparency=0)
    save("png-16bit", "seed.png", base.convert("I;16"), "PNG")
    save("jpeg", "seed.jpg", rgb, "JPEG", quality=80, exif=exif.tobytes())
    save("jpeg-progressive", "seed.jpg", rgb, "JPEG", progressive=True)
    save("jpeg-cmyk", "seed.jpg", rgb.convert("CMYK"), "JPEG")
    frames = [rgb.convert("P"), rgb.transpose(Image.Transpose.FLIP_TOP_BOTTOM).convert("P")]
    out = BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], loop=0)
    seeds["gif-animated"] = ("seed.gif", out.getvalue())
    save("tiff", "seed.tif", rgb, "TIFF", compression="tiff_deflate")
    save("bmp", "seed.bmp", rgb, "BMP")
    save("webp", "seed.webp", rgb, "WEBP", quality=80)
    return seeds

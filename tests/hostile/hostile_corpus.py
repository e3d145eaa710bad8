"""The hostile-input corpus: broken, odd and oversized files made on the fly, and how to run memdiff on them.

Imported by name from the tests in this folder (pytest puts the folder on
sys.path, as for tests/gui/gui_support.py). Every file is built by the
libraries that make such files in the wild (reportlab, pikepdf, pypdf,
Pillow) and then damaged the way transfers, tools and adversaries damage them,
so the readers meet real structure, never mocks.
"""

from __future__ import annotations

import os
import struct
import subprocess
import sys
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from io import BytesIO
from pathlib import Path

from memdiff.errors import InputError, LimitExceeded, NeedsOCR, PasswordRequired, UnsupportedFormat

TESTS = Path(__file__).resolve().parent.parent
if str(TESTS) not in sys.path:  # for fixtures_docs, the PDF makers the ingest tests use
    sys.path.insert(0, str(TESTS))

from fixtures_docs import (  # noqa: E402
    content_stream_pdf,
    encrypted_pdf,
    scanned_pdf,
    text_pdf,
    zip_bytes,
)

#: Every subprocess gets this long at most: a hang fails the test instead of stalling the suite.
TIMEOUT = 90

PROSE = (
    "It was a bright cold day in April, and the clocks were striking thirteen. The hallway smelt of boiled "
    "cabbage and old rag mats. At one end of it a coloured poster, too large for indoor display, had been "
    "tacked to the wall. It depicted simply an enormous face, more than a metre wide: the face of a man of "
    "about forty-five, with a heavy black moustache and ruggedly handsome features. "
)

#: The password of the encrypted PDFs in the corpus.
PASSWORD = "s3cret-Exhibit"


# --------------------------------------------------------------------------- running memdiff


def isolated_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment for a memdiff subprocess: its own home, so logs and settings never touch the real ones."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("XDG_", "MEMDIFF_"))}
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / "config"),
        XDG_STATE_HOME=str(home / "state"),
        XDG_CACHE_HOME=str(home / "cache"),
        XDG_DATA_HOME=str(home / "data"),
        QT_QPA_PLATFORM="offscreen",
        PYTHONDONTWRITEBYTECODE="1",
        SOURCE_DATE_EPOCH="1700000000",
    )
    env.update(extra)
    return env


def run_memdiff(args: list[str], home: Path, *, timeout: float = TIMEOUT, stdin: bytes | None = None,
                python_args: tuple[str, ...] = (), **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m memdiff ARGS`` in a subprocess with a timeout; the caller asserts on the result.

    Standard input goes in as bytes (a pasted file's encoding must arrive intact); the output comes back as text.
    """
    done = subprocess.run(
        [sys.executable, *python_args, "-m", "memdiff", *args],
        input=stdin if stdin is not None else b"",
        capture_output=True,
        timeout=timeout,
        env=isolated_env(home, **env),
        cwd=home,
    )
    return subprocess.CompletedProcess(done.args, done.returncode, done.stdout.decode("utf-8", "replace"),
                                       done.stderr.decode("utf-8", "replace"))


def assert_one_clear_sentence(done: subprocess.CompletedProcess[str], file_name: str) -> str:
    """Exit 2, one line on stderr starting 'memdiff:' and naming the file, no traceback, nothing on stdout."""
    err = done.stderr.strip()
    assert done.returncode == 2, f"exit {done.returncode}, stderr: {done.stderr!r}"
    assert "Traceback" not in done.stderr and "Traceback" not in done.stdout
    assert "internal error" not in err, err
    assert len(err.splitlines()) == 1, f"more than one line on stderr: {err!r}"
    assert err.startswith("memdiff: "), err
    assert file_name in err, f"{file_name!r} not named in {err!r}"
    assert done.stdout == ""
    return err


# --------------------------------------------------------------------------- the corpus


@dataclass(frozen=True)
class Hostile:
    """One bad (or odd but valid) input and what memdiff must do with it.

    ``error`` is the InputError subclass load() must raise (None: it must load),
    ``phrase`` a word the sentence must contain, and ``check`` (for inputs that
    load) a test of the Document, e.g. that the fallback encoding is recorded.
    ``cli_args`` are extra options (a password) for the CLI run.
    """

    key: str
    file_name: str
    make: Callable[[Path], None]
    error: type[InputError] | None
    phrase: str = ""
    check: Callable[[object], None] | None = None
    cli_args: tuple[str, ...] = ()
    load_kwargs: dict[str, str] = field(default_factory=dict)


def _bytes(data: bytes | Callable[[], bytes]) -> Callable[[Path], None]:
    def make(path: Path) -> None:
        path.write_bytes(data() if callable(data) else data)

    return make


def big_text_file(path: Path, size: int) -> None:
    """A text file of ``size`` bytes: real prose at the start, the rest a hole (sparse, so it costs no disk)."""
    head = (PROSE * (8192 // len(PROSE) + 1)).encode("utf-8")[:8192]
    with open(path, "wb") as handle:
        handle.write(head)
        handle.truncate(size)


def prose_pdf(pages: int = 2) -> bytes:
    return text_pdf([[PROSE[i : i + 80] for i in range(0, len(PROSE), 80)] for _ in range(pages)], unicode_font=False)


def broken_xref_pdf() -> bytes:
    """A sound PDF whose startxref points into the middle of nowhere and whose xref offsets are all wrong."""
    data = bytearray(prose_pdf())
    at = data.rindex(b"startxref")
    tail = data[at:]
    number = tail.split(b"\n")[1]
    data[at:] = tail.replace(number, str(int(number) // 3).encode(), 1)
    xref = data.index(b"xref\n")
    # Shift every offset in the table by 7 so no entry points at its object.
    lines = data[xref:].split(b"\n")
    out = []
    for line in lines:
        parts = line.split(b" ")
        if len(parts) >= 3 and len(parts[0]) == 10 and parts[0].isdigit() and parts[2].startswith(b"n"):
            parts[0] = b"%010d" % (int(parts[0]) + 7)
            line = b" ".join(parts)
        out.append(line)
    data[xref:] = b"\n".join(out)
    return bytes(data)


def surrogate_pdf() -> bytes:
    """A PDF whose font's ToUnicode map sends glyphs to UTF-16 surrogates: a lone high one and a reversed pair."""
    import pikepdf

    cmap = (b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Broken-UCS def "
            b"/CMapType 2 def 1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar "
            b"<41> <D800> <42> <DC00D800> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end")
    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(300, 300))
    page = pdf.pages[0]
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica, ToUnicode=pdf.make_stream(cmap)))
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_stream(b"BT /F1 12 Tf 10 100 Td (Hello AB world and more words here) Tj ET")
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def shared_stream_pdf(pages: int, content: bytes) -> bytes:
    """One page object listed ``pages`` times, its Flate-compressed content stream shared: tiny file, huge work."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    stream = pikepdf.Stream(pdf, b"")
    stream.write(zlib.compress(content, 9), filter=pikepdf.Name.FlateDecode)
    pdf.add_blank_page(page_size=(100, 100))
    page = pdf.pages[0]
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    page.Contents = pdf.make_indirect(stream)
    for _ in range(pages - 1):
        pdf.Root.Pages.Kids.append(page.obj)
    pdf.Root.Pages.Count = pages
    out = BytesIO()
    pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def distinct_streams_pdf(pages: int, content: bytes) -> bytes:
    """``pages`` pages, each with its own Flate-compressed copy of ``content``: no sharing, every copy parsed."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    packed = zlib.compress(content, 9)
    for _ in range(pages):
        pdf.add_blank_page(page_size=(100, 100))
        page = pdf.pages[-1]
        page.Resources = resources
        page.Contents = pdf.make_stream(packed, Filter=pikepdf.Name.FlateDecode)
    out = BytesIO()
    pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def form_on_every_page_pdf(pages: int, form_content: bytes, calls_per_page: int = 1) -> bytes:
    """``pages`` pages each drawing one shared form XObject ``calls_per_page`` times, then their own line of text.

    One call per page is a letterhead, as office programs make them; thousands of calls of a heavy
    form is the same amplification as a page listed thousands of times.
    """
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    form = pikepdf.Stream(pdf, b"")
    form.write(zlib.compress(form_content, 9), filter=pikepdf.Name.FlateDecode)
    form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 300, 300]
    form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font),
                                   XObject=pikepdf.Dictionary(Head=pdf.make_indirect(form)))
    for n in range(1, pages + 1):
        pdf.add_blank_page(page_size=(300, 300))
        page = pdf.pages[-1]
        page.Resources = resources
        body = b"/Head Do " * calls_per_page + f"BT /F1 10 Tf 20 200 Td (Letter page {n}.) Tj ET".encode()
        page.Contents = pdf.make_stream(zlib.compress(body), Filter=pikepdf.Name.FlateDecode)
    out = BytesIO()
    pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def forms_in_a_loop_pdf(forms: int, strokes: int) -> bytes:
    """One page drawing the first of ``forms`` forms, each of which draws all of them and ``strokes`` lines.

    A valid PDF never has a form drawing itself; pypdf skips a form inside itself, so the text of each
    depends on which forms are open, and a loop of n forms is read in up to n! ways.
    """
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    names = [f"L{n}" for n in range(forms)]
    made = []
    for name in names:
        content = (f"BT /F1 9 Tf 10 10 Td ({name}) Tj ET ".encode() + b"".join(f"/{other} Do ".encode() for other in names)
                   + b"0 0 m 50 50 l S " * strokes)
        form = pikepdf.Stream(pdf, b"")
        form.write(zlib.compress(content, 9), filter=pikepdf.Name.FlateDecode)
        form.Type, form.Subtype, form.BBox = pikepdf.Name.XObject, pikepdf.Name.Form, [0, 0, 300, 300]
        made.append(pdf.make_indirect(form))
    drawn = pikepdf.Dictionary({f"/{name}": form for name, form in zip(names, made)})
    for form in made:
        form.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font), XObject=drawn)
    pdf.add_blank_page(page_size=(300, 300))
    pdf.pages[0].Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font), XObject=drawn)
    pdf.pages[0].Contents = pdf.make_stream(b"/L0 Do BT /F1 10 Tf 20 200 Td (The page.) Tj ET")
    out = BytesIO()
    pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


#: A letterhead: the firm's name and a few hundred strokes of a vector logo (about 5 KB).
LETTERHEAD = b"BT /F1 9 Tf 10 280 Td (Smith and Partners LLP) Tj ET " + b"".join(
    f"{i % 97} {i % 89} m {i % 83} {i % 79} l S ".encode() for i in range(300))

#: A letterhead with a detailed vector logo: about 14,000 tokens (4,600 strokes), 60 KB unpacked, as a
#: firm's logo converted to outlines comes out of a word processor.
LOGO_LETTERHEAD = b"BT /F1 9 Tf 10 280 Td (Smith and Partners LLP) Tj ET " + b"".join(
    f"{(i * 37) % 283}.{i % 10} {(i * 53) % 277}.{(i * 7) % 10} {'m' if i % 40 == 0 else 'l'} ".encode()
    for i in range(4_600)) + b"S "

#: A page of 900,000 tokens ("1 0 Td" 300,000 times) that compresses to a few kilobytes.
HEAVY_PAGE = b"BT /F1 12 Tf " + b"1 0 Td " * 300_000 + b"(x) Tj ET"

#: A form of about 300 characters of text: drawn 5,000 times, 1.5 million characters on one page.
WORDY_FORM = b"BT /F1 9 Tf 10 280 Td (" + b"Privileged and confidential. " * 10 + b") Tj ET"


def truncated(data: bytes, fraction: float = 0.5) -> bytes:
    return data[: int(len(data) * fraction)]


def compression_bomb_pdf() -> bytes:
    """About 100 KB that inflate to 100 MB of page content: beyond pypdf's 75 MB per stream."""
    return content_stream_pdf(b"BT /F1 12 Tf 10 10 Td (" + b"A" * 100_000_000 + b") Tj ET")


def many_pages_pdf(count: int) -> bytes:
    """A PDF of ``count`` short text pages (a long book), built quickly with pikepdf."""
    import pikepdf

    pdf = pikepdf.new()
    font = pdf.make_indirect(pikepdf.Dictionary(Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1,
                                                BaseFont=pikepdf.Name.Helvetica))
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    for n in range(1, count + 1):
        pdf.add_blank_page(page_size=(300, 300))
        page = pdf.pages[-1]
        page.Resources = resources
        page.Contents = pdf.make_stream(f"BT /F1 10 Tf 20 200 Td (This is page {n} of the long book.) Tj ET".encode())
    out = BytesIO()
    pdf.save(out)
    return out.getvalue()


def _picture(size=(64, 48), mode="RGB"):
    from PIL import Image

    # A gradient with structure, so every decoder has real work and damage shows.
    image = Image.linear_gradient("L").resize(size).convert(mode if mode != "I;16" else "L")
    return image


def image_bytes(fmt: str, *, mode: str = "RGB", size=(64, 48), **save) -> bytes:
    from PIL import Image

    if mode == "I;16":
        import numpy as np

        values = (np.arange(size[0] * size[1], dtype=np.uint16).reshape(size[1], size[0]) * 37) % 65535
        picture = Image.fromarray(values.astype(np.uint16))
    else:
        picture = _picture(size).convert(mode)
    out = BytesIO()
    picture.save(out, fmt, **save)
    return out.getvalue()


def animated_gif() -> bytes:
    from PIL import Image

    frames = [_picture().convert("P") for _ in range(3)]
    frames[1] = frames[1].transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    out = BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100, loop=0)
    return out.getvalue()


def jpeg_with_orientation(value: int) -> bytes:
    from PIL import Image

    exif = Image.Exif()
    exif[0x0112] = value
    return image_bytes("JPEG", exif=exif.tobytes())


def _png_chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header declares ``width`` x ``height`` pixels (a decompression bomb, or a zero-sized one)."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    rows = zlib.compress(b"\0" * 64, 9)
    return b"\x89PNG\r\n\x1a\n" + _png_chunk(b"IHDR", header) + _png_chunk(b"IDAT", rows) + _png_chunk(b"IEND", b"")


def tiff_with_a_broken_page_list() -> bytes:
    """A TIFF whose pointer to a next page leads into its pixel data: Pillow raises TypeError ("Missing dimensions")."""
    data = bytearray(image_bytes("TIFF", mode="LAB", size=(50, 40)))
    first_page = struct.unpack("<I", data[4:8])[0]
    entries = struct.unpack("<H", data[first_page : first_page + 2])[0]
    pointer = first_page + 2 + 12 * entries
    data[pointer : pointer + 4] = struct.pack("<I", len(data) // 2)
    return bytes(data)


def tiff_declaring_samples(count: int) -> bytes:
    """A TIFF declaring ``count`` samples per pixel: Pillow logs an error (printed to stderr unless caught) and gives up."""
    data = bytearray(image_bytes("TIFF", size=(50, 40)))
    field = data.find(b"\x15\x01\x03\x00\x01\x00\x00\x00")  # SamplesPerPixel, SHORT, one value
    data[field + 8 : field + 10] = count.to_bytes(2, "little")
    return bytes(data)


def word_with_hidden_text() -> bytes:
    import docx

    document = docx.Document()
    paragraph = document.add_paragraph(PROSE)
    paragraph.add_run(" A sentence formatted as hidden, which Word neither shows nor prints.").font.hidden = True
    out = BytesIO()
    document.save(out)
    return out.getvalue()


#: Text an output may hold that begins like, or quotes, a binary format.
QUOTES_PDF_HEADER = "The model explained that a PDF file starts like this:\n%PDF-1.7\n1 0 obj\n<< >>\nendobj\n" + PROSE
BEGINS_LIKE_GIF = "GIF89a is the name of the format, the model said. " + PROSE
CP1252_PROSE = "Le c\u0153ur de \u0160koda, \u201cna\u0161i\u201d \u017eivot. " + PROSE
UTF16_PAGE = (
    "<!DOCTYPE html><html><head><title>Chat</title><style>p { color: red }</style></head>"
    f"<body><p>{PROSE}</p></body></html>"
)


def _text_is(expected: str, media_type: str = "text/plain") -> Callable[[object], None]:
    def check(document) -> None:
        assert document.media_type == media_type, document.media_type
        assert document.text == expected, document.text[:200]

    return check


def _named(shown: str) -> Callable[[object], None]:
    def check(document) -> None:
        assert document.name == shown, document.name

    return check


def _hidden_left_out(document) -> None:
    assert "formatted as hidden" not in document.text
    assert any("formatted as hidden were left out" in note for note in document.notes), document.notes


def _encoding(expected: str) -> Callable[[object], None]:
    def check(document) -> None:
        assert document.encoding == expected, document.encoding

    return check


def _note(phrase: str) -> Callable[[object], None]:
    def check(document) -> None:
        assert document.kind == "image" and document.width and document.height
        assert any(phrase in note for note in document.notes), document.notes

    return check


def _pages(count: int) -> Callable[[object], None]:
    def check(document) -> None:
        assert len(document.page_starts) == count
        assert document.text.endswith(f"This is page {count} of the long book.")

    return check


def _repeated_x(pages: int, per_page: int) -> Callable[[object], None]:
    def check(document) -> None:
        assert len(document.page_starts) == pages
        assert document.text.count("x") == pages * per_page

    return check


def _letterheads(count: int) -> Callable[[object], None]:
    def check(document) -> None:
        assert len(document.page_starts) == count
        assert document.text.count("Smith and Partners LLP") == count
        assert document.text.endswith(f"Letter page {count}.")
        pages = [document.text[start:end].strip() for start, end in
                 zip(document.page_starts, [*document.page_starts[1:], len(document.text)])]
        assert all(page.endswith(f"Letter page {n}.") for n, page in enumerate(pages, start=1))

    return check


CORPUS: tuple[Hostile, ...] = (
    # ---- text
    Hostile("empty", "empty.txt", _bytes(b""), InputError, "empty"),
    Hostile("blank", "blank.txt", _bytes(b" \n\t\r\n  \n"), InputError, "no text"),
    Hostile("binary-named-txt", "data.txt", _bytes(bytes(range(256)) * 64), InputError, "binary"),
    Hostile("random-bytes-named-txt", "noise.txt", _bytes(lambda: __import__("random").Random(7).randbytes(20000)),
            InputError, ""),
    Hostile("invalid-utf8", "cp1252.txt", _bytes((PROSE + "caf\u00e9 \u201cquoted\u201d \u2014 na\u00efve ").encode("cp1252")),
            None, check=_encoding("windows-1252")),
    Hostile("utf16-without-bom", "utf16.txt", _bytes(PROSE.encode("utf-16-le")), None, check=_encoding("utf-16le")),
    Hostile("utf16be-without-bom", "utf16be.txt", _bytes(PROSE.encode("utf-16-be")), None,
            check=_encoding("utf-16be")),
    Hostile("utf8-bom-but-invalid", "badbom.txt", _bytes(b"\xef\xbb\xbf" + "caf\u00e9 ".encode("cp1252") * 20),
            InputError, "UTF-8"),
    Hostile("text-200MB", "huge.txt", lambda p: big_text_file(p, 200 * 2**20), LimitExceeded, "64 MB"),
    # ---- PDF
    Hostile("pdf-truncated", "cut.pdf", _bytes(lambda: truncated(prose_pdf(), 0.5)), InputError, "damaged"),
    Hostile("pdf-header-only", "stub.pdf", _bytes(b"%PDF-1.7\n"), InputError, ""),
    Hostile("pdf-broken-xref", "xref.pdf", _bytes(broken_xref_pdf), None),
    Hostile("pdf-encrypted-no-password", "locked.pdf",
            _bytes(lambda: encrypted_pdf(prose_pdf(), user=PASSWORD, owner="owner-pw", aes=True)),
            PasswordRequired, "password"),
    Hostile("pdf-encrypted-wrong-password", "locked.pdf",
            _bytes(lambda: encrypted_pdf(prose_pdf(), user=PASSWORD, owner="owner-pw", aes=False)),
            PasswordRequired, "password", cli_args=("--password", "not-it"), load_kwargs={"password": "not-it"}),
    Hostile("pdf-encrypted-with-password", "locked.pdf",
            _bytes(lambda: encrypted_pdf(prose_pdf(), user=PASSWORD, owner="owner-pw", aes=True)),
            None, cli_args=("--password", PASSWORD), load_kwargs={"password": PASSWORD}),
    Hostile("pdf-no-text-layer", "scan.pdf", _bytes(lambda: scanned_pdf(2)), NeedsOCR, "OCR"),
    Hostile("pdf-2000-pages", "long.pdf", _bytes(lambda: many_pages_pdf(2000)), None, check=_pages(2000)),
    Hostile("pdf-5001-pages", "longer.pdf", _bytes(lambda: many_pages_pdf(5001)), LimitExceeded, "5,000"),
    Hostile("pdf-compression-bomb", "bomb.pdf", _bytes(compression_bomb_pdf), LimitExceeded, "75 MB"),
    # 28 KB listing one page of 900,000 tokens 4,000 times, and 4 KB drawing a form of 900,000 tokens
    # 5,000 times: the page and the form are parsed once each (a few seconds), their text given again.
    Hostile("pdf-heavy-page-4000-times", "tokens.pdf", _bytes(lambda: shared_stream_pdf(4000, HEAVY_PAGE)),
            None, check=_repeated_x(4000, 1)),
    Hostile("pdf-heavy-form-drawn-5000-times", "forms.pdf",
            _bytes(lambda: form_on_every_page_pdf(1, HEAVY_PAGE, calls_per_page=5000)),
            None, check=_repeated_x(1, 5000)),
    # A form of 300 characters drawn 5,000 times on a page: given again each time, its text counts each time.
    Hostile("pdf-wordy-form-drawn-5000-times", "stamps.pdf",
            _bytes(lambda: form_on_every_page_pdf(3, WORDY_FORM, calls_per_page=5000)),
            LimitExceeded, "1,000,000 characters"),
    # 10 KB holding five copies of a page of 900,000 tokens: 10 MB of drawing instructions, each to be parsed.
    Hostile("pdf-heavy-distinct-pages", "packed.pdf", _bytes(lambda: distinct_streams_pdf(5, HEAVY_PAGE)),
            LimitExceeded, "100 times a PDF's size"),
    Hostile("pdf-letterhead-on-500-pages", "letters.pdf", _bytes(lambda: form_on_every_page_pdf(500, LETTERHEAD)),
            None, check=_letterheads(500)),
    # A logo of 14,000 tokens on each of 2,000 letters (a legal production): the logo is parsed once.
    Hostile("pdf-logo-letterhead-on-2000-pages", "production.pdf",
            _bytes(lambda: form_on_every_page_pdf(2000, LOGO_LETTERHEAD)), None, check=_letterheads(2000)),
    # 4 KB of seven forms drawing one another (a loop, never valid): pypdf would read them in thousands of
    # ways, 30 s and more; refused once the readings again for the loop pass their limit.
    Hostile("pdf-forms-in-a-loop", "loop.pdf", _bytes(lambda: forms_in_a_loop_pdf(7, 1_000)),
            LimitExceeded, "draw one another in a loop"),
    # ---- images
    Hostile("png-truncated", "cut.png", _bytes(lambda: truncated(image_bytes("PNG", size=(200, 150)), 0.6)),
            InputError, ""),
    Hostile("jpeg-truncated", "cut.jpg", _bytes(lambda: truncated(image_bytes("JPEG", size=(200, 150)), 0.4)),
            InputError, ""),
    Hostile("png-zero-bytes", "nothing.png", _bytes(b""), InputError, "empty"),
    Hostile("png-zero-sized", "zero.png", _bytes(lambda: png_declaring(0, 0)), InputError, ""),
    Hostile("png-decompression-bomb", "bomb.png", _bytes(lambda: png_declaring(30_000, 30_000)), LimitExceeded,
            "megapixels"),
    Hostile("gif-animated", "anim.gif", _bytes(animated_gif), None, check=_note("3 frames")),
    Hostile("jpeg-cmyk", "cmyk.jpg", _bytes(lambda: image_bytes("JPEG", mode="CMYK")), None, check=_note("CMYK")),
    Hostile("png-16-bit", "deep.png", _bytes(lambda: image_bytes("PNG", mode="I;16")), None, check=_note("16-bit")),
    Hostile("jpeg-bogus-exif-orientation", "turned.jpg", _bytes(lambda: jpeg_with_orientation(9)), None,
            check=_note("invalid value")),
    Hostile("jpeg-exif-orientation-zero", "turned0.jpg", _bytes(lambda: jpeg_with_orientation(0)), None,
            check=_note("invalid value")),
    Hostile("tiff-broken-page-list", "pages.tif", _bytes(tiff_with_a_broken_page_list), InputError, "damaged"),
    Hostile("tiff-3000-samples-per-pixel", "samples.tif", _bytes(lambda: tiff_declaring_samples(3000)), InputError,
            "More samples per pixel than can be decoded"),
    # ---- text that looks like something else, and other oddities that must load
    Hostile("text-quoting-a-pdf-header", "answer.txt", _bytes(QUOTES_PDF_HEADER.encode()), None,
            check=_text_is(QUOTES_PDF_HEADER)),
    Hostile("text-beginning-gif89a", "answer.txt", _bytes(BEGINS_LIKE_GIF.encode()), None,
            check=_text_is(BEGINS_LIKE_GIF)),
    Hostile("cp1252-with-an-undefined-byte", "slovene.txt", _bytes(CP1252_PROSE.encode("cp1252") + b"\x81"), None,
            check=_text_is(CP1252_PROSE + "\x81")),
    Hostile("html-utf16", "chat.html", _bytes(UTF16_PAGE.encode("utf-16")), None,
            check=_text_is(PROSE.strip(), "text/html")),
    Hostile("html-marked-section", "chat.html",
            _bytes(f"<html><body><p>{PROSE}<![ bogus</p><p>{PROSE}</p></body></html>".encode()), None,
            check=_text_is(PROSE.strip() + "\n\n" + PROSE.strip(), "text/html")),
    Hostile("html-charset-rot13", "page.html",
            _bytes(f'<html><head><meta charset="rot13"></head><body><p>{PROSE}</p></body></html>'.encode()),
            None, check=_text_is(PROSE.strip(), "text/html")),
    Hostile("docx-hidden-text", "letter.docx", _bytes(word_with_hidden_text), None, check=_hidden_left_out),
    Hostile("name-not-utf8", os.fsdecode(b"bad\xffname.txt"), _bytes(PROSE.encode()), None,
            check=_named("bad\\xffname.txt")),
    Hostile("name-with-right-to-left-override", "exhibit\u202etxt.exe", _bytes(PROSE.encode()), None,
            check=_named("exhibit\\u202etxt.exe")),
    # ---- neither
    Hostile("zip-not-docx", "archive.docx", _bytes(lambda: zip_bytes({"a.txt": b"hello"})), UnsupportedFormat, "ZIP"),
    Hostile("odt", "x.odt", _bytes(lambda: zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text"})),
            UnsupportedFormat, "save it in one of those"),
    Hostile("doc-97-2003", "old.doc", _bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1024)),
            UnsupportedFormat, "Office 97-2003"),
)


BY_KEY = {h.key: h for h in CORPUS}

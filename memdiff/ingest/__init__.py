"""Reading inputs: identify each file by its content, extract its text or picture, record its identity.

``load(path)`` is the one entry point for files and ``load_text`` the one for
pasted text (standard input, the GUI's clipboard). Each format has its own
module with a ``read(data, name, ...) -> Extracted`` function; this module
sniffs the content, hashes the bytes and builds the :class:`Document`.
Inputs are opened read-only and never written to.
"""

from __future__ import annotations

import bisect
import hashlib
import os
import re
import stat
from dataclasses import dataclass
from io import BytesIO
from pathlib import Path

from memdiff.errors import InputError, LimitExceeded, UnsupportedFormat
from memdiff.evidence import Document
from memdiff.progress import SILENT, Progress

#: The largest input memdiff reads, in bytes. Larger files are refused with a
#: sentence that states this limit, rather than exhausting memory.
MAX_INPUT_BYTES = 512 * 1024 * 1024
#: The largest plain-text file (text, HTML, RTF, Markdown): decided from the
#: first bytes, before the rest is read, so a huge file costs no memory.
MAX_TEXT_FILE_BYTES = 64 * 1024 * 1024
#: The most characters of extracted text from any one input (about 9 million
#: words, dozens of novels); the matcher's memory grows with it.
MAX_TEXT_CHARACTERS = 50_000_000


@dataclass(frozen=True)
class Extracted:
    """What a format reader returns: the extracted text and how it was obtained."""

    text: str
    media_type: str
    encoding: str | None = None
    page_starts: tuple[int, ...] = ()
    page_labels: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


IMAGE_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"II*\x00", "image/tiff"),
    (b"MM\x00*", "image/tiff"),
    (b"BM", "image/bmp"),
)
# The names a file of each binary type is usually given: when the content could be
# either (text that begins "GIF89a" or holds a line "%PDF-1.7"), the name decides.
_SUFFIXES = {
    "application/pdf": (".pdf",),
    "image/png": (".png",),
    "image/jpeg": (".jpg", ".jpeg", ".jpe", ".jfif"),
    "image/gif": (".gif",),
    "image/tiff": (".tif", ".tiff"),
    "image/bmp": (".bmp", ".dib"),
    "image/webp": (".webp",),
}
# A PDF header where PDF readers look for one: in the first kilobyte, at the start of a line
# (after a byte-order mark, an e-mail or HTTP header, or other junk on lines of its own).
_PDF_HEADER = re.compile(rb"(?:\A|[\r\n])[ \t\x00\xef\xbb\xbf]*%PDF-[0-9]\.[0-9]")
# Every PDF holds indirect objects ("1 0 obj"); text that merely quotes a header does not.
_PDF_OBJECT = re.compile(rb"[0-9]+[ \t\r\n\f\x00]+[0-9]+[ \t\r\n\f\x00]+obj\b")
# What an Office or e-book ZIP holds, to say what the file is when it is not Word.
_ZIP_KINDS = (
    ("application/vnd.oasis.opendocument.text", "an OpenDocument text (.odt)"),
    ("application/vnd.oasis.opendocument", "an OpenDocument file"),
    ("application/epub+zip", "an EPUB e-book"),
    ("xl/workbook.xml", "an Excel workbook"),
    ("ppt/presentation.xml", "a PowerPoint presentation"),
)
#: Office 97-2003 files (.doc, .xls, .ppt) and password-protected Office files share this signature.
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def sniff(data: bytes, name: str = "") -> str:
    """Return the media type of ``data``, decided by content first and the file name last.

    A binary signature decides unless the data is also text (memdiff's text
    reader would read it) and does not look like that binary format: a chat
    log quoting "%PDF-1.7" on a line of its own, or a text that begins
    "GIF89a", is text unless the file's name says otherwise.
    """
    head = data[:1024]
    suffix = Path(name).suffix.lower()
    picture = _picture_signature(data)
    if picture is not None:
        # Most signatures hold bytes no text begins with ("\x89PNG\r\n\x1a\n"); "GIF89a" and "BM" do not.
        printable = data[:6].isascii() and data[:6].decode("ascii").isprintable()
        if not printable or suffix in _SUFFIXES[picture] or not _looks_like_text(data) or _opens_as_picture(data):
            return picture
    elif _PDF_HEADER.search(head) and (
        suffix == ".pdf" or not _looks_like_text(data) or _PDF_OBJECT.search(data[:65536])
    ):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return _zip_type(data, name)
    if head.startswith(OLE2_SIGNATURE):
        raise UnsupportedFormat(
            f"{name or 'The input'} is an Office 97-2003 file (.doc, .xls or .ppt) or a password-protected "
            "Office file, which memdiff cannot read; open it in Word or LibreOffice and save it, without a "
            "password, as .docx, PDF or plain text, and compare that."
        )
    return _text_type(head, suffix)


def _text_type(head: bytes, suffix: str) -> str:
    """The kind of text ``head`` begins (RTF, HTML, Markdown or plain), by its markup and the name's suffix."""
    probe = _markup_probe(head)
    if probe.startswith(b"{\\rtf"):
        return "application/rtf"
    probe = probe.lower()
    if probe.startswith((b"<!doctype html", b"<html")) or (
        suffix in {".html", ".htm", ".xhtml"} and probe.startswith(b"<")
    ):
        return "text/html"
    if suffix in {".md", ".markdown"}:
        return "text/markdown"
    return "text/plain"


def _picture_signature(data: bytes) -> str | None:
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    for signature, media_type in IMAGE_SIGNATURES:
        if data.startswith(signature):
            # "BM" also starts ordinary text; a real BMP has its size in bytes 2..6.
            if media_type == "image/bmp" and not _looks_like_bmp(data):
                continue
            return media_type
    return None


def _looks_like_text(data: bytes) -> bool:
    from memdiff.ingest.text import looks_like_text

    return looks_like_text(data)


def _opens_as_picture(data: bytes) -> bool:
    """Whether Pillow recognises a picture in ``data`` (its header only; nothing is decoded)."""
    import warnings

    from PIL import Image

    from memdiff.ingest.image import FORMATS

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            with Image.open(BytesIO(data), formats=FORMATS):
                return True
        except Image.DecompressionBombError:
            # Only text-like data is asked about, and text read as a GIF or BMP header declares
            # thousands of megapixels ("GIF89a is" is 26,912 pixels wide): not a picture.
            return False
        except Exception:  # noqa: BLE001 - any failure to parse the header means "not a picture"
            return False


def _markup_probe(head: bytes) -> bytes:
    """The start of the data as ASCII-compatible bytes, whitespace and byte-order mark removed.

    UTF-16 and UTF-32 pages are decoded first, so their markup is seen too.
    """
    from memdiff.ingest.text import unicode_encoding

    wide = unicode_encoding(head)
    if wide:
        head = head.decode(wide, "ignore").encode("utf-8", "replace")
    return head.lstrip(b"\xef\xbb\xbf \t\r\n")


def _zip_type(data: bytes, name: str) -> str:
    import zipfile  # here: only ZIP files need it, and its import costs every comparison 2 ms

    what = "a ZIP archive but not a Word (.docx) document"
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = archive.namelist()
            if "word/document.xml" in names:
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            mimetype = archive.read("mimetype")[:100].decode("ascii", "replace") if "mimetype" in names else ""
    except (zipfile.BadZipFile, OSError, EOFError, KeyError, RuntimeError, NotImplementedError, ValueError):
        names, mimetype = [], ""
    from memdiff.ingest import docx

    if docx.is_word_archive(data):
        # A Word document cut short (its ZIP table of contents lost) or missing its main part:
        # the Word reader says which, and what to do, rather than "not a Word document".
        return docx.MEDIA_TYPE
    for marker, kind in _ZIP_KINDS:
        if mimetype.startswith(marker) or marker in names:
            what = f"{kind}, not a Word (.docx) document"
            break
    raise UnsupportedFormat(
        f"{name or 'The input'} is {what}; memdiff reads PDF, Word (.docx), RTF, HTML, plain text and "
        "pictures, so save it in one of those and compare that."
    )


def _looks_like_bmp(data: bytes) -> bool:
    return len(data) >= 26 and int.from_bytes(data[2:6], "little") in (len(data), 0) and data[6:10] == b"\0\0\0\0"


def _is_plain_text_type(media_type: str) -> bool:
    return media_type.startswith("text/") or media_type == "application/rtf"


def is_image_type(media_type: str) -> bool:
    return media_type.startswith("image/")


def _mb(n: int) -> str:
    return f"{n / 2**20:,.0f} MB"


def read_input_bytes(path: str | os.PathLike[str]) -> bytes:
    """Read a whole input file read-only, with clear sentences for the usual failures.

    Size limits are checked before reading (plain text by its first bytes),
    and a file that changes while it is read is refused, so the bytes hashed
    are the bytes analysed.
    """
    p = Path(path)
    shown, name = displayable_name(str(p)), displayable_name(p.name)
    try:
        if p.is_dir():
            raise InputError(f"{shown} is a folder, not a file; give the path of a document.")
        with open(p, "rb", opener=_open_without_waiting) as handle:
            before = os.fstat(handle.fileno())
            if not stat.S_ISREG(before.st_mode):
                raise InputError(
                    f"{shown} is not a regular file (it is a pipe, a device or a socket); save the document to a file first."
                )
            _check_size(p, before.st_size, handle.read(4096))
            handle.seek(0)
            data = handle.read(MAX_INPUT_BYTES + 1)
            after = os.fstat(handle.fileno())
    except FileNotFoundError:
        raise InputError(f"{shown} does not exist; check the path.") from None
    except PermissionError:
        raise InputError(f"{shown} cannot be read (permission denied); check its permissions.") from None
    except IsADirectoryError:
        raise InputError(f"{shown} is a folder, not a file; give the path of a document.") from None
    except OSError as err:
        raise InputError(
            f"{shown} cannot be read ({err.strerror or err}); check that its drive or network folder is "
            "available and that no other program holds it, then try again."
        ) from None
    if len(data) > MAX_INPUT_BYTES:
        raise LimitExceeded(
            f"{name} grew beyond memdiff's limit of {_mb(MAX_INPUT_BYTES)} while it was read; wait until nothing "
            "is writing to it, then split it or extract the relevant part."
        )
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or len(data) != after.st_size:
        raise InputError(
            f"{name} changed while memdiff was reading it; wait until nothing is writing to it and try again."
        )
    return data


def _open_without_waiting(path: str, flags: int) -> int:
    # Non-blocking: a named pipe would otherwise wait for a writer for ever.
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _check_size(p: Path, size: int, head: bytes) -> None:
    name = displayable_name(p.name)
    if size > MAX_INPUT_BYTES:
        raise LimitExceeded(
            f"{name} is {_mb(size)}, above memdiff's limit of {_mb(MAX_INPUT_BYTES)} per input; "
            "split it or extract the relevant part first."
        )
    if size > MAX_TEXT_FILE_BYTES and not head.startswith(b"PK") and _is_plain_text_type(sniff(head, name)):
        raise LimitExceeded(
            f"{name} is {_mb(size)} of text, above memdiff's limit of {_mb(MAX_TEXT_FILE_BYTES)} for a text file; "
            "split it or extract the relevant part first."
        )


def load(path: str | os.PathLike[str], *, password: str | None = None, progress: Progress = SILENT) -> Document:
    """Read ``path`` (any supported format) into a :class:`Document`.

    ``progress`` hears of each PDF page read and can cancel a slow one.
    """
    p = Path(path)
    data = read_input_bytes(p)
    return load_bytes(data, p.name, password=password, path=str(p), progress=progress)


def load_text(text: str, name: str = "pasted text") -> Document:
    """A Document for text that arrived without a file (standard input, the clipboard, a saved case).

    The text is recorded, hashed and compared as UTF-8 after one repair: halves
    of a broken UTF-16 pair (a Windows clipboard, "\\ud83d" in a case file's
    JSON) cannot be written as UTF-8, so they become U+FFFD, with a note.
    """
    from memdiff.ingest import text as text_format

    repaired = text_format.repair_surrogates(text)
    notes: tuple[str, ...] = ()
    broken = repaired.count("\ufffd") - text.count("\ufffd")
    if broken:
        notes = (
            f"{broken:,} halves of broken UTF-16 characters in the pasted text were replaced by U+FFFD.",
        )
    data = repaired.encode("utf-8")
    extracted = Extracted(text_format.clean(repaired), "text/plain", encoding="utf-8", notes=notes)
    return _document(data, displayable_name(name), extracted, path=None)


def displayable_name(name: str) -> str:
    """``name`` as it can be shown, written and printed everywhere: the one rule for every Document's name.

    A file name is bytes on Linux and UTF-16 units on Windows, and either can
    hold what no UTF-8 text can (a byte that is not UTF-8, a lone surrogate) or
    what would disturb the one line it is shown on (a control character, a
    line break, a right-to-left override that makes "exe.txt" read "txt.exe").
    Each such character is written as a backslash escape of what it was:
    ``\\xff`` for a byte that is not UTF-8 (os.fsdecode's surrogate escape),
    ``\\x0a`` for a control character, ``\\u202e`` for a lone surrogate or a
    bidirectional control. Everything else, backslashes included, is kept, so
    ordinary names are shown exactly; the SHA-256 recorded beside the name is
    what identifies the file.
    """
    if _UNSHOWABLE.search(name) is None:
        return name
    return _UNSHOWABLE.sub(_escape, name)


# Control characters, surrogates (escaped bytes or broken UTF-16), and the bidirectional controls.
_UNSHOWABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:  # os.fsdecode's escape of a byte that is not UTF-8
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def load_bytes(
    data: bytes,
    name: str,
    *,
    password: str | None = None,
    path: str | None = None,
    progress: Progress = SILENT,
) -> Document:
    """Read an input already in memory (used by :func:`load` and for standard input)."""
    name = displayable_name(name)
    if not data:
        raise InputError(f"{name} is empty; there is nothing to compare, so check that it is the right file.")
    media_type = sniff(data, name)
    if is_image_type(media_type):
        from memdiff.ingest import image as image_format

        return image_format.load(data, name, media_type, sha256=_sha256(data), path=path)
    extracted = _read_text_like(data, name, media_type, password, progress)
    return _document(data, name, extracted, path=path)


def _read_text_like(
    data: bytes, name: str, media_type: str, password: str | None, progress: Progress
) -> Extracted:
    if media_type == "application/pdf":
        from memdiff.ingest import pdf

        try:
            return pdf.read(data, name, password=password, progress=progress)
        except pdf.DamagedPDF:
            # Text that quotes a PDF's first lines ("%PDF-1.7", "1 0 obj") is still text when it
            # does not parse as a PDF, unless its name claims it is one: then it is a damaged PDF.
            if Path(name).suffix.lower() == ".pdf" or not _looks_like_text(data):
                raise
            media_type = _text_type(data[:1024], Path(name).suffix.lower())
    if media_type.endswith("wordprocessingml.document"):
        from memdiff.ingest import docx

        return docx.read(data, name)
    if media_type == "application/rtf":
        from memdiff.ingest import rtf

        return rtf.read(data, name)
    if media_type == "text/html":
        from memdiff.ingest import html

        return html.read(data, name)
    from memdiff.ingest import text as text_format

    return text_format.read(data, name, media_type=media_type)


def _document(data: bytes, name: str, extracted: Extracted, *, path: str | None) -> Document:
    from memdiff.ingest.running_heads import running_lines
    from memdiff.text.normalize import blank, count_words

    if not extracted.text or extracted.text.isspace():
        raise InputError(
            f"{name} contains no text; there is nothing to compare, so check that it is the right file."
        )
    if len(extracted.text) > MAX_TEXT_CHARACTERS:
        raise LimitExceeded(
            f"{name} holds {len(extracted.text):,} characters of text, above memdiff's limit of "
            f"{MAX_TEXT_CHARACTERS:,}; split it or extract the relevant part first."
        )
    running = running_lines(extracted.text, extracted.page_starts)
    notes = extracted.notes
    unspaced = _unspaced_script(extracted.text)
    if unspaced is not None:
        notes += (
            (
                f"Most of this text is in {unspaced} script, which is written without spaces between words; "
                "memdiff counts a run of letters between spaces as one word, so for this text the word counts and "
                "the rule that a span must have a minimum number of words mean little: judge the spans by their text."
            ),
        )
    if running:
        pages = len({bisect.bisect_right(extracted.page_starts, start) for start, _ in running})
        notes += (
            (
                f"{len(running)} running heads, feet or page numbers found on {pages} of "
                f"{len(extracted.page_starts)} pages; by default they are left out of matching and of the word count: "
                f"{_running_lines_named(extracted.text, running, extracted.page_starts)}."
            ),
        )
    return Document(
        name=name,
        sha256=_sha256(data),
        size_bytes=len(data),
        media_type=extracted.media_type,
        kind="text",
        text=extracted.text,
        encoding=extracted.encoding,
        page_starts=extracted.page_starts,
        running_lines=running,
        page_labels=extracted.page_labels,
        words=count_words(blank(extracted.text, running)),
        notes=notes,
        path=path,
    )


# Scripts written without spaces between words (the Unicode blocks of Thai, Lao, Khmer and Myanmar).
_UNSPACED_SCRIPTS = (
    ("Thai", "\u0e00-\u0e7f"),
    ("Lao", "\u0e80-\u0eff"),
    ("Khmer", "\u1780-\u17ff\u19e0-\u19ff"),
    ("Myanmar", "\u1000-\u109f\ua9e0-\ua9ff\uaa60-\uaa7f"),
)
_ANY_UNSPACED = re.compile("[" + "".join(ranges for _, ranges in _UNSPACED_SCRIPTS) + "]")
#: How much of a text is looked at to weigh its scripts, in three pieces (its start, middle and end): a text
#: mostly in one script shows it in each, and a long text costs no more than a short one.
_SCRIPT_SAMPLE = 3 * 16384


def _unspaced_script(text: str) -> str | None:
    """The name of the script written without spaces (Thai, Lao, Khmer, Myanmar) most letters of ``text`` are
    in (judged on a sample of its start, middle and end), or None. An ASCII text costs nothing."""
    if text.isascii():
        return None
    sample = text
    if len(text) > _SCRIPT_SAMPLE:
        third, middle = _SCRIPT_SAMPLE // 3, len(text) // 2
        sample = text[:third] + text[middle - third // 2 : middle + third // 2] + text[-third:]
    if _ANY_UNSPACED.search(sample) is None:
        return None
    letters = "".join(re.findall(r"[^\W\d_]+", sample))
    counts = [(len(re.findall(f"[{ranges}]", letters)), name) for name, ranges in _UNSPACED_SCRIPTS]
    most, name = max(counts, key=lambda count: count[0])
    return name if sum(count for count, _ in counts) * 2 > len(letters) and most else None


#: How many of the lines left out as running heads a note quotes (the most frequent), and at what length.
_RUNNING_LINES_QUOTED = 4
_RUNNING_LINE_CHARACTERS = 60


def _running_lines_named(text: str, running: tuple[tuple[int, int], ...], page_starts: tuple[int, ...]) -> str:
    """What the running lines say, the most frequent first ("“PRIDE AND PREJUDICE” (120 pages), page numbers"):
    a line a user would not call a running head (a refrain at the top of every page) is then seen in the note."""
    pages_of: dict[str, set[int]] = {}
    numbers = 0
    for start, end in running:
        line = " ".join(text[start:end].split())
        if not any(ch.isalpha() for ch in line) or _ROMAN_FOLIO.fullmatch(line):
            numbers += 1
            continue
        pages_of.setdefault(line, set()).add(bisect.bisect_right(page_starts, start))
    ranked = sorted(((line, len(pages)) for line, pages in pages_of.items()), key=lambda item: (-item[1], item[0]))
    named = []
    for line, count in ranked[:_RUNNING_LINES_QUOTED]:
        if len(line) > _RUNNING_LINE_CHARACTERS:
            line = line[: _RUNNING_LINE_CHARACTERS - 1].rstrip() + "…"
        named.append(f"“{line}” ({count} {'page' if count == 1 else 'pages'})")
    if len(ranked) > _RUNNING_LINES_QUOTED:
        others = len(ranked) - _RUNNING_LINES_QUOTED
        named.append(f"{others} other {'line' if others == 1 else 'lines'}")
    if numbers:
        named.append("page numbers")
    return ", ".join(named)


# A line that is a roman page number and nothing else ("xii", "- xii -").
_ROMAN_FOLIO = re.compile(r"[\W_]*[ivxlcdmIVXLCDM]+[\W_]*")


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

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


def sniff(data: bytes, name: str = "") -> str:
    """Return the media type of ``data``, decided by content first and the file name last."""
    head = data[:1024]
    if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:5] == b"%PDF-" or b"%PDF-" in head[:1024]:
        return "application/pdf"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    for signature, media_type in IMAGE_SIGNATURES:
        if head.startswith(signature):
            # "BM" also starts ordinary text; a real BMP has its size in bytes 2..6.
            if media_type == "image/bmp" and not _looks_like_bmp(data):
                continue
            return media_type
    if head.startswith(b"PK\x03\x04"):
        import zipfile  # here: only ZIP files need it, and its import costs every comparison 2 ms

        try:
            with zipfile.ZipFile(BytesIO(data)) as archive:
                if "word/document.xml" in archive.namelist():
                    return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        except zipfile.BadZipFile:
            pass
        raise UnsupportedFormat(f"{name or 'The input'} is a ZIP archive but not a Word (.docx) document.")
    if head.lstrip().startswith(b"{\\rtf"):
        return "application/rtf"
    probe = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if probe.startswith((b"<!doctype html", b"<html")) or (
        Path(name).suffix.lower() in {".html", ".htm", ".xhtml"} and probe.startswith(b"<")
    ):
        return "text/html"
    if Path(name).suffix.lower() in {".md", ".markdown"}:
        return "text/markdown"
    return "text/plain"


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
    try:
        if p.is_dir():
            raise InputError(f"{p} is a folder, not a file; give the path of a document.")
        with open(p, "rb", opener=_open_without_waiting) as handle:
            before = os.fstat(handle.fileno())
            if not stat.S_ISREG(before.st_mode):
                raise InputError(
                    f"{p} is not a regular file (it is a pipe, a device or a socket); save the document to a file first."
                )
            _check_size(p, before.st_size, handle.read(4096))
            handle.seek(0)
            data = handle.read(MAX_INPUT_BYTES + 1)
            after = os.fstat(handle.fileno())
    except FileNotFoundError:
        raise InputError(f"{p} does not exist; check the path.") from None
    except PermissionError:
        raise InputError(f"{p} cannot be read (permission denied); check its permissions.") from None
    except IsADirectoryError:
        raise InputError(f"{p} is a folder, not a file; give the path of a document.") from None
    except OSError as err:
        raise InputError(f"{p} cannot be read: {err.strerror or err}.") from None
    if len(data) > MAX_INPUT_BYTES:
        raise LimitExceeded(f"{p.name} grew beyond memdiff's limit of {_mb(MAX_INPUT_BYTES)} while it was read.")
    if (after.st_size, after.st_mtime_ns) != (before.st_size, before.st_mtime_ns) or len(data) != after.st_size:
        raise InputError(
            f"{p.name} changed while memdiff was reading it; wait until nothing is writing to it and try again."
        )
    return data


def _open_without_waiting(path: str, flags: int) -> int:
    # Non-blocking: a named pipe would otherwise wait for a writer for ever.
    return os.open(path, flags | getattr(os, "O_NONBLOCK", 0))


def _check_size(p: Path, size: int, head: bytes) -> None:
    if size > MAX_INPUT_BYTES:
        raise LimitExceeded(
            f"{p.name} is {_mb(size)}, above memdiff's limit of {_mb(MAX_INPUT_BYTES)} per input; "
            "split it or extract the relevant part first."
        )
    if size > MAX_TEXT_FILE_BYTES and not head.startswith(b"PK") and _is_plain_text_type(sniff(head, p.name)):
        raise LimitExceeded(
            f"{p.name} is {_mb(size)} of text, above memdiff's limit of {_mb(MAX_TEXT_FILE_BYTES)} for a text file; "
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
    """A Document for text that arrived without a file (standard input, the clipboard)."""
    from memdiff.ingest import text as text_format

    data = text.encode("utf-8")
    extracted = Extracted(text_format.clean(text), "text/plain", encoding="utf-8")
    return _document(data, name, extracted, path=None)


def load_bytes(
    data: bytes,
    name: str,
    *,
    password: str | None = None,
    path: str | None = None,
    progress: Progress = SILENT,
) -> Document:
    """Read an input already in memory (used by :func:`load` and for standard input)."""
    if not data:
        raise InputError(f"{name} is empty; there is nothing to compare.")
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

        return pdf.read(data, name, password=password, progress=progress)
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
        raise InputError(f"{name} contains no text; there is nothing to compare.")
    if len(extracted.text) > MAX_TEXT_CHARACTERS:
        raise LimitExceeded(
            f"{name} holds {len(extracted.text):,} characters of text, above memdiff's limit of "
            f"{MAX_TEXT_CHARACTERS:,}; split it or extract the relevant part first."
        )
    running = running_lines(extracted.text, extracted.page_starts)
    notes = extracted.notes
    if running:
        pages = len({bisect.bisect_right(extracted.page_starts, start) for start, _ in running})
        notes += (
            f"{len(running)} running heads, feet or page numbers found on {pages} of "
            f"{len(extracted.page_starts)} pages; by default they are left out of matching and of the word count.",
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
        words=count_words(blank(extracted.text, running)),
        notes=notes,
        path=path,
    )


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()

"""Plain text and Markdown: detect the encoding, normalise line ends, refuse binary data.

Encodings are decided from the bytes, in this order: a byte-order mark
(UTF-8, UTF-16 LE/BE, UTF-32), strict UTF-8, BOM-less UTF-16 recognised by its
pattern of zero bytes, then Windows-1252 (Latin-1 for the five bytes
Windows-1252 leaves undefined). The choice is recorded in the Document.
"""

from __future__ import annotations

import codecs
import re

from memdiff.errors import InputError
from memdiff.ingest import Extracted

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Control characters that do not occur in real text; a file made mostly of
# them is binary data whatever its name says. (Tab, line feed, form feed and
# carriage return do occur.)
_BINARY_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0e-\x1f]")
_BINARY_CONTROL_BYTES_RE = re.compile(b"[\x00-\x08\x0b\x0e-\x1f]")


def read(data: bytes, name: str, *, media_type: str = "text/plain") -> Extracted:
    text, encoding = decode(data, name)
    notes: list[str] = []
    if "\r" in text:
        notes.append("Line ends converted to LF (the file used CRLF or CR).")
    return Extracted(clean(text), media_type, encoding=encoding, notes=tuple(notes))


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Return the text of ``data`` and the name of the encoding it was read with."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                raise InputError(
                    f"{name} starts with a {encoding.upper()} byte-order mark but is not valid "
                    f"{encoding.upper()}; re-save it as UTF-8."
                ) from None
            text = text.removeprefix("\ufeff")
            return _refuse_binary(text, name), encoding.removesuffix("-sig")
    guessed16 = _guess_utf16_without_bom(data)
    if guessed16:
        try:
            return _refuse_binary(data.decode(guessed16), name), guessed16
        except UnicodeDecodeError:
            pass
    try:
        return _refuse_binary(data.decode("utf-8"), name), "utf-8"
    except UnicodeDecodeError:
        pass
    _refuse_binary_bytes(data, name)
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError:
        return data.decode("latin-1"), "iso-8859-1"


def _guess_utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text of mostly Latin script has a zero in every other byte."""
    sample = data[:4096]
    if len(sample) < 4 or len(sample) % 2:
        return None
    even_zeros = sample[0::2].count(0)
    odd_zeros = sample[1::2].count(0)
    half = len(sample) // 2
    if odd_zeros > 0.4 * half and even_zeros < 0.05 * half:
        return "utf-16-le"
    if even_zeros > 0.4 * half and odd_zeros < 0.05 * half:
        return "utf-16-be"
    return None


def _refuse_binary(text: str, name: str) -> str:
    sample = text[:8192]
    if sample and len(_BINARY_CONTROL_RE.findall(sample)) > max(2, len(sample) // 100):
        raise InputError(f"{name} looks like binary data, not text; open the document it came from instead.")
    return text


def _refuse_binary_bytes(data: bytes, name: str) -> None:
    sample = data[:8192]
    if len(_BINARY_CONTROL_BYTES_RE.findall(sample)) > max(2, len(sample) // 100):
        raise InputError(f"{name} looks like binary data, not text; open the document it came from instead.")


def clean(text: str) -> str:
    """Line ends to ``\\n`` and a stray byte-order mark removed; nothing else is touched."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text.removeprefix("\ufeff")

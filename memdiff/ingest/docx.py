"""Word (.docx): the text of the body, paragraphs and table cells in document order, via python-docx.

The extracted text is each non-empty paragraph of the main document body, in
order, separated by a blank line; a table contributes the paragraphs of its
cells row by row (a merged cell once), nested tables included. Inside a
paragraph, line breaks become "\\n" and tabs "\\t". Tracked changes are read
as if accepted: inserted and moved-in text is included, deleted and moved-away
text is not, because that is the text a reader of the final document sees.

Not read: headers and footers, footnotes and endnotes, comments, and text
boxes (shapes), which python-docx does not expose in the body's order. The
old binary Word format (.doc) is not a ZIP file and is refused before this
module is reached.

Safety: the archive's declared unpacked size is checked before python-docx
unpacks it (Python's zipfile enforces the declared sizes), and python-docx
parses the XML with entity expansion switched off.
"""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from memdiff.errors import InputError, LimitExceeded, MemdiffError
from memdiff.ingest import Extracted

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: The most bytes a .docx may unpack to (text, pictures and all): python-docx
#: holds every part in memory, so a small archive that unpacks to gigabytes
#: (a ZIP bomb) is refused first.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VISIBLE_RUNS = (
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"
)
_BLANK_LINES = re.compile(r"\n{3,}")
_TRAILING_SPACES = re.compile(r"[^\S\n]+\n")
# Control characters (other than tab and newline) are never text.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def read(data: bytes, name: str, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> Extracted:
    """Extract the body text of the Word document in ``data`` (see the module docstring)."""
    _check_archive(data, name, max_unpacked_bytes)
    try:
        import docx

        document = docx.Document(BytesIO(data))
        paragraphs = list(_paragraph_texts(document.element.body))
    except MemdiffError:
        raise
    except MemoryError:
        raise LimitExceeded(
            f"{name} needs more memory to read than this computer has; save the relevant part as a new document."
        ) from None
    except Exception as err:  # noqa: BLE001 - python-docx, lxml and zipfile raise many kinds of error on damaged files
        reason = str(err).strip().rstrip(".") or type(err).__name__
        if len(reason) > 120:
            reason = reason[:117] + "..."
        raise InputError(
            f"{name} is damaged and cannot be read as a Word document ({reason}); "
            "open it in Word or LibreOffice and save it again."
        ) from None
    return Extracted(join_paragraphs(paragraphs), MEDIA_TYPE)


def join_paragraphs(paragraphs: list[str]) -> str:
    """Non-empty paragraphs separated by one blank line, each without trailing spaces."""
    kept = []
    for paragraph in paragraphs:
        text = _CONTROLS.sub("", paragraph.replace("\r\n", "\n").replace("\r", "\n"))
        text = _TRAILING_SPACES.sub("\n", text + "\n")
        text = _BLANK_LINES.sub("\n\n", text).strip()
        if text:
            kept.append(text)
    return "\n\n".join(kept)


def _check_archive(data: bytes, name: str, limit: int) -> None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except Exception as err:  # noqa: BLE001 - zipfile raises BadZipFile, EOFError, NotImplementedError... on damage
        raise InputError(
            f"{name} is damaged and cannot be read as a Word document ({err}); "
            "open it in Word or LibreOffice and save it again."
        ) from None
    if unpacked > limit:
        raise LimitExceeded(
            f"{name} unpacks to {unpacked / 2**20:,.0f} MB, above memdiff's limit of "
            f"{limit / 2**20:,.0f} MB for a Word document (it may be a ZIP bomb); "
            "save the relevant part as a new document."
        )


def _paragraph_texts(container: Any) -> Iterator[str]:
    """Texts of the paragraphs in a body or a table cell, tables expanded in place."""
    for child in container.iterchildren():
        if child.tag == _W + "p":
            yield _paragraph_text(child)
        elif child.tag == _W + "tbl":
            yield from _table_texts(child)
        elif child.tag == _W + "sdt":  # a content control wrapping block content
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from _paragraph_texts(content)


def _table_texts(table: Any) -> Iterator[str]:
    for row in table.iterchildren(_W + "tr"):
        for cell in _row_cells(row):
            yield from _paragraph_texts(cell)


def _row_cells(row: Any) -> Iterator[Any]:
    """The cells of a row; a cell continuing a vertical merge is empty in Word and skipped."""
    for child in row.iterchildren():
        if child.tag == _W + "tc":
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from (cell for cell in content.iterchildren(_W + "tc"))


def _paragraph_text(paragraph: Any) -> str:
    return "".join(run.text for run in paragraph.xpath(_VISIBLE_RUNS))

"""Word (.docx): the text of the body, paragraphs and table cells in document order, via python-docx.

The extracted text is each non-empty paragraph of the main document body, in
order, separated by a blank line; a table contributes the paragraphs of its
cells row by row (a merged cell once), nested tables included. Inside a
paragraph, line breaks become "\\n" and tabs "\\t". Tracked changes are read
as if accepted: inserted and moved-in text is included, deleted and moved-away
text is not, because that is the text a reader of the final document sees.
For the same reason text formatted as hidden (``w:vanish``, directly or
through its character or paragraph style) is left out, and the Document's
notes say how many characters were. A style's hidden setting is inherited
along ``basedOn``; as Word's toggle rule has it, hidden in both the
paragraph's and the run's style cancels out, and direct formatting decides
over both. The paragraphs are laid out by the rule every format shares
(:func:`memdiff.ingest.text.tidy`).

Not read: headers and footers, footnotes and endnotes, comments, and text
boxes (shapes), which python-docx does not expose in the body's order. The
old binary Word format (.doc) is not a ZIP file and is refused before this
module is reached.

Safety: the archive's declared unpacked size is checked before python-docx
unpacks it (Python's zipfile enforces the declared sizes), and python-docx
parses the XML with entity expansion switched off.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from io import BytesIO
from typing import Any

from memdiff.errors import InputError, LimitExceeded, MemdiffError
from memdiff.ingest import Extracted
from memdiff.ingest.text import tidy

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

#: The most bytes a .docx may unpack to (text, pictures and all): python-docx
#: holds every part in memory, so a small archive that unpacks to gigabytes
#: (a ZIP bomb) is refused first.
MAX_UNPACKED_BYTES = 512 * 1024 * 1024

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_VISIBLE_RUNS = (
    ".//w:r[not(ancestor::w:del) and not(ancestor::w:moveFrom) and not(ancestor::w:txbxContent)]"
)


def read(data: bytes, name: str, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> Extracted:
    """Extract the body text of the Word document in ``data`` (see the module docstring)."""
    _check_archive(data, name, max_unpacked_bytes)
    try:
        import docx

        document = docx.Document(BytesIO(data))
        reading = _Reading(_StyleHiding(document.styles.element))
        paragraphs = list(reading.paragraph_texts(document.element.body))
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
    notes = ()
    if reading.hidden_characters:
        notes = (
            (
                f"{reading.hidden_characters:,} characters formatted as hidden were left out "
                "(Word neither shows nor prints hidden text)."
            ),
        )
    return Extracted(join_paragraphs(paragraphs), MEDIA_TYPE, notes=notes)


def join_paragraphs(paragraphs: list[str]) -> str:
    """Non-empty paragraphs separated by one blank line, each laid out by the shared rule."""
    return "\n\n".join(kept for kept in map(tidy, paragraphs) if kept)


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


def _is_on(element: Any) -> bool | None:
    """The value of an OOXML on/off property element: None when absent."""
    if element is None:
        return None
    return element.get(_W + "val", "true").lower() not in ("0", "false", "off")


class _StyleHiding:
    """Which paragraph and character styles hide their text, inheritance along ``basedOn`` included."""

    def __init__(self, styles: Any) -> None:
        self._own: dict[tuple[str, str], bool | None] = {}
        self._based_on: dict[tuple[str, str], str] = {}
        self.default_paragraph_style: str | None = None
        for style in styles.iterchildren(_W + "style"):
            kind = style.get(_W + "type", "paragraph")
            style_id = style.get(_W + "styleId")
            if style_id is None:
                continue
            key = (kind, style_id)
            self._own[key] = _is_on(style.find(f"{_W}rPr/{_W}vanish"))
            parent = style.find(_W + "basedOn")
            if parent is not None and parent.get(_W + "val"):
                self._based_on[key] = parent.get(_W + "val")
            if kind == "paragraph" and style.get(_W + "default") in ("1", "true", "on"):
                self.default_paragraph_style = style_id
        self._cache: dict[tuple[str, str], bool] = {}

    def hides(self, kind: str, style_id: str | None) -> bool:
        if style_id is None:
            return False
        key = (kind, style_id)
        if key not in self._cache:
            seen: set[str] = set()
            value = False
            current: str | None = style_id
            while (
                current is not None and current not in seen
            ):  # a basedOn loop is damage, not a hang
                seen.add(current)
                own = self._own.get((kind, current))
                if own is not None:
                    value = own
                    break
                current = self._based_on.get((kind, current))
            self._cache[key] = value
        return self._cache[key]


class _Reading:
    """One pass over a document body: paragraph texts in order, hidden characters counted."""

    def __init__(self, styles: _StyleHiding) -> None:
        self.styles = styles
        self.hidden_characters = 0

    def paragraph_texts(self, container: Any) -> Iterator[str]:
        """Texts of the paragraphs in a body or a table cell, tables expanded in place."""
        for child in container.iterchildren():
            if child.tag == _W + "p":
                yield self._paragraph_text(child)
            elif child.tag == _W + "tbl":
                for row in child.iterchildren(_W + "tr"):
                    for cell in _row_cells(row):
                        yield from self.paragraph_texts(cell)
            elif child.tag == _W + "sdt":  # a content control wrapping block content
                content = child.find(_W + "sdtContent")
                if content is not None:
                    yield from self.paragraph_texts(content)

    def _paragraph_text(self, paragraph: Any) -> str:
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        paragraph_style = (
            style.get(_W + "val") if style is not None else self.styles.default_paragraph_style
        )
        paragraph_hides = self.styles.hides("paragraph", paragraph_style)
        parts = []
        for run in paragraph.xpath(_VISIBLE_RUNS):
            text = run.text
            if self._hidden(run, paragraph_hides):
                self.hidden_characters += len(text)
            else:
                parts.append(text)
        return "".join(parts)

    def _hidden(self, run: Any, paragraph_hides: bool) -> bool:
        direct = _is_on(run.find(f"{_W}rPr/{_W}vanish"))
        if direct is not None:
            return direct
        character_style = run.find(f"{_W}rPr/{_W}rStyle")
        run_hides = self.styles.hides(
            "character", character_style.get(_W + "val") if character_style is not None else None
        )
        # Hidden is a toggle property: set by both styles, it is switched off again.
        return run_hides != paragraph_hides


def _row_cells(row: Any) -> Iterator[Any]:
    """The cells of a row; a cell continuing a vertical merge is empty in Word and skipped."""
    for child in row.iterchildren():
        if child.tag == _W + "tc":
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from (cell for cell in content.iterchildren(_W + "tc"))

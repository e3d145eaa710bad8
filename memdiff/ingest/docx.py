"""Word (.docx): the text a reader of the document sees, in reading order, via python-docx and its XML.

The extracted text is each non-empty paragraph of the main document body, in
order, separated by a blank line; a table contributes the paragraphs of its
cells row by row (a merged cell once), nested tables included. Inside a
paragraph, line breaks become "\\n" and tabs "\\t". The paragraphs are laid
out by the rule every format shares (:func:`memdiff.ingest.text.tidy`).

What a reader sees besides the body is included, and the Document's notes say
so, with counts:

- Text boxes (``w:txbxContent``, in a drawing or an old VML shape) follow the
  paragraph they are anchored in. A box Word saves twice, as a drawing and as
  a VML fallback for older programs (``mc:AlternateContent``), is read once.
- Footnotes and endnotes follow the body, under a line "Footnotes" or
  "Endnotes", each beginning with its number as Word numbers it (its format
  and first number from the document's settings); only notes the text refers
  to are read, as only those are printed. The reference numbers in the body
  are left out, as a number glued to a word would split a copied passage.
- Headers and footers follow, once each (Word repeats them on every page),
  under a line "Headers and footers": those a page can show (a first-page one
  only where the section has a different first page, an even-page one only
  where the document has different odd and even pages), identical ones once.

Tracked changes are read as if accepted: inserted and moved-in text is
included, deleted and moved-away text is not, because that is the text of the
final document; the note counts the words inserted and deleted. Comments are
left out (Word shows them beside the text, not in it), with a note. Text
formatted as hidden (``w:vanish``, directly or through its character or
paragraph style) is left out, and the notes say how many characters were. A
style's hidden setting is inherited along ``basedOn``; as Word's toggle rule
has it, hidden in both the paragraph's and the run's style cancels out, and
direct formatting decides over both.

Not read: equations (Office Math), the text of charts and SmartArt,
watermarks, and the reading guide printed above East Asian text (ruby; the
text itself is read). The old binary Word format (.doc) is not a ZIP file and is
refused before this module is reached. A Word file cut short (a download that
stopped early) or damaged is refused with a sentence saying so;
:func:`is_word_archive` lets the sniffing tell such a file from other ZIPs.

Safety: the archive's declared unpacked size is checked before python-docx
unpacks it (Python's zipfile enforces the declared sizes), and every part is
parsed with python-docx's parser, which has entity expansion switched off.
"""

from __future__ import annotations

import re
import zipfile
import zlib
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
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
_R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
_RELATIONSHIPS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
_MAIN_PART = "word/document.xml"
# What the content types of a Word document (.docx, .docm, .dotx, .dotm) declare for its main part: a ".main+xml"
# type. A Word file embedded in a presentation or a workbook is declared whole (".document", ".macroEnabled.12"),
# never with the main part's type, so a PowerPoint file holding one is not taken for a Word document.
_WORD_CONTENT_TYPE = re.compile(
    rb"wordprocessingml\.(?:document|template)\.main\+xml|ms-word\.(?:document|template)\.macroEnabled(?:Template)?\.main\+xml"
)
_LOCAL_HEADER = b"PK\x03\x04"
#: How much of [Content_Types].xml is read to find Word's main part (it is declared in the first kilobytes).
_CONTENT_TYPES_READ = 256 * 1024
# The lines that introduce what follows the body in the extracted text.
FOOTNOTES_HEADING = "Footnotes"
ENDNOTES_HEADING = "Endnotes"
FURNITURE_HEADING = "Headers and footers"


def read(data: bytes, name: str, *, max_unpacked_bytes: int = MAX_UNPACKED_BYTES) -> Extracted:
    """Extract the text a reader of the Word document in ``data`` sees (see the module docstring)."""
    _check_archive(data, name, max_unpacked_bytes)
    try:
        import docx

        document = docx.Document(BytesIO(data))
        reading = _Reading(_StyleHiding(document.styles.element))
        body = join_paragraphs(list(reading.paragraph_texts(document.element.body)))
        footnotes = reading.notes_section(document, "footnote")
        endnotes = reading.notes_section(document, "endnote")
        furniture = reading.headers_and_footers(document)
        comments = _comments(document)
    except MemdiffError:
        raise
    except MemoryError:
        raise LimitExceeded(
            f"{name} needs more memory to read than this computer has; save the relevant part as a new document."
        ) from None
    except Exception as err:  # noqa: BLE001 - python-docx, lxml and zipfile raise many kinds of error on damaged files
        raise _damaged(name, err) from None
    sections = [body]
    for heading, paragraphs in (
        (FOOTNOTES_HEADING, footnotes),
        (ENDNOTES_HEADING, endnotes),
        (FURNITURE_HEADING, furniture),
    ):
        if paragraphs:
            sections.append(join_paragraphs([heading, *paragraphs]))
    text = "\n\n".join(section for section in sections if section)
    return Extracted(text, MEDIA_TYPE, notes=reading.notes(furniture, comments))


def join_paragraphs(paragraphs: list[str]) -> str:
    """Non-empty paragraphs separated by one blank line, each laid out by the shared rule."""
    return "\n\n".join(kept for kept in map(tidy, paragraphs) if kept)


def is_word_archive(data: bytes) -> bool:
    """Whether the ZIP data ``data`` is a Word document, even one cut short or missing parts.

    A Word document is told by a part named word/document.xml, or by a
    [Content_Types].xml that declares Word's main part (a document whose main
    part is lost). A complete archive names its parts in the table of contents
    at its end; a file cut short has lost that table, but each part it still
    holds begins with a local header naming it, so those are walked, from one
    part to the next (so a Word file stored inside another ZIP is not taken
    for the ZIP itself).
    """
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            names = set(archive.namelist())
            if _MAIN_PART in names:
                return True
            if "[Content_Types].xml" not in names:
                return False
            with archive.open("[Content_Types].xml") as types:
                return bool(_WORD_CONTENT_TYPE.search(types.read(_CONTENT_TYPES_READ)))
    except Exception:  # noqa: BLE001, S110 - no readable table of contents (or a damaged part): walk the local headers
        pass
    position = 0 if data.startswith(_LOCAL_HEADER) else data.find(_LOCAL_HEADER)
    while 0 <= position and position + 30 <= len(data):
        flags = int.from_bytes(data[position + 6 : position + 8], "little")
        method = int.from_bytes(data[position + 8 : position + 10], "little")
        packed_size = int.from_bytes(data[position + 18 : position + 22], "little")
        name_length = int.from_bytes(data[position + 26 : position + 28], "little")
        extra_length = int.from_bytes(data[position + 28 : position + 30], "little")
        member = data[position + 30 : position + 30 + name_length]
        start = position + 30 + name_length + extra_length
        if member == _MAIN_PART.encode():
            return True
        if member == b"[Content_Types].xml":
            content = data[start : start + _CONTENT_TYPES_READ]
            if method == zipfile.ZIP_DEFLATED:
                try:
                    content = zlib.decompressobj(-15).decompress(content, _CONTENT_TYPES_READ)
                except zlib.error:
                    content = b""
            if _WORD_CONTENT_TYPE.search(content):
                return True
        following = start + packed_size
        if flags & 0x08 or packed_size == 0xFFFFFFFF:
            # The size follows the data (or is in a ZIP64 field): look for the next header instead.
            following = data.find(_LOCAL_HEADER, max(start, position + 4))
        elif following >= len(data):
            break  # the file ends inside this part
        elif not data.startswith(_LOCAL_HEADER, following):
            following = data.find(_LOCAL_HEADER, following)
        position = following
    return False


def _cut_short(name: str) -> InputError:
    return InputError(
        f"{name} is a Word document that has been cut short (the file ends before its last part, as when a "
        "download or a copy stops early); get the complete file again, or open it in Word, which may recover "
        "the text that is left, and save that as a new document."
    )


def _damaged(name: str, err: BaseException) -> InputError:
    """One sentence for a Word document python-docx, lxml or zipfile could not read."""
    if isinstance(err, zlib.error | EOFError) or (isinstance(err, zipfile.BadZipFile) and "CRC" in str(err)):
        # zlib's own words ("Error -3 while decompressing data: invalid bit length repeat") mean nothing to a reader.
        return InputError(
            f"{name} is a Word document whose contents are damaged (part of the file does not unpack as it was "
            "packed); get an intact copy of the file, or open it in Word, which may recover the text, and save "
            "that as a new document."
        )
    if isinstance(err, KeyError) and _MAIN_PART in str(err):
        # The part the package's relationships name as the document is not in the archive.
        return _missing_main_part(name)
    # A library's message may name the in-memory file ("<_io.BytesIO object at 0x7f...>"), which differs from
    # run to run: it is said as "the file".
    reason = re.sub(r"(?:file )?'?<_io\.BytesIO object at 0x[0-9a-f]+>'?", "the file", str(err)).strip().rstrip(".")
    reason = reason or type(err).__name__
    if len(reason) > 120:
        reason = reason[:117] + "..."
    return InputError(
        f"{name} is damaged and cannot be read as a Word document ({reason}); "
        "open it in Word or LibreOffice and save it again."
    )


def _missing_main_part(name: str) -> InputError:
    return InputError(
        f"{name} is a damaged Word document: the part that holds its text (word/document.xml) is missing; "
        "get the complete file again, or open it in Word and save it again."
    )


def _check_archive(data: bytes, name: str, limit: int) -> None:
    try:
        with zipfile.ZipFile(BytesIO(data)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except Exception:  # noqa: BLE001 - zipfile raises BadZipFile, EOFError, NotImplementedError... on damage
        if data.rfind(b"PK\x05\x06") < 0:  # no end of the table of contents: the file stops early
            raise _cut_short(name) from None
        # zipfile's own words ("Bad magic number for central directory") mean nothing to a reader.
        raise InputError(
            f"{name} is a damaged Word document (the table of contents of its ZIP archive cannot be read); "
            "get an intact copy of the file, or open it in Word, which may recover the text, and save that as "
            "a new document."
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


def _plural(number: int, thing: str, things: str) -> str:
    return f"{number:,} {thing if number == 1 else things}"


def _words(texts: list[str]) -> int:
    from memdiff.text.normalize import count_words

    return count_words("\n".join(texts))


def _part_element(document: Any, relationship: str) -> Any | None:
    """The XML of the part the main document relates to by ``relationship`` ("footnotes", "comments"...)."""
    from docx.oxml.parser import parse_xml

    for rel_id in sorted(document.part.rels):
        rel = document.part.rels[rel_id]
        if not rel.is_external and rel.reltype == _RELATIONSHIPS + relationship:
            return parse_xml(rel.target_part.blob)
    return None


def _comments(document: Any) -> list[str]:
    """The text of each comment in the document (only counted: comments are left out)."""
    element = _part_element(document, "comments")
    if element is None:
        return []
    reading = _Reading(_StyleHiding(document.styles.element))
    return [
        join_paragraphs(list(reading.paragraph_texts(comment))) for comment in element.iterchildren(_W + "comment")
    ]


def _run_text(run: Any) -> str:
    """What a run shows as text: its characters, tabs and line breaks (a page or column break shows none)."""
    parts = []
    for child in run.iterchildren():
        tag = child.tag
        if tag == _W + "t":
            parts.append(child.text or "")
        elif tag in (_W + "tab", _W + "ptab"):
            parts.append("\t")
        elif tag == _W + "br":
            if child.get(_W + "type", "textWrapping") == "textWrapping":
                parts.append("\n")
        elif tag == _W + "cr":
            parts.append("\n")
        elif tag == _W + "noBreakHyphen":
            parts.append("-")
        elif tag == _W + "ruby":
            # East Asian text with its reading above it: the text itself, not the small reading guide,
            # which would interleave with it.
            base = child.find(_W + "rubyBase")
            if base is not None:
                parts.extend(_run_text(inner) for inner in base.iterchildren(_W + "r"))
    return "".join(parts)


def _custom_mark(run: Any, reference: Any) -> str:
    """The mark of the author's own ("*") a note reference is shown with: the text after it in its run (as
    Word writes it), or else the next run's. Such a note takes no number."""
    mark = "".join(node.text or "" for node in reference.itersiblings(_W + "t")).strip()
    if not mark:
        following = run.getnext()
        mark = _run_text(following).strip() if following is not None and following.tag == _W + "r" else ""
    return mark


def _deleted_text(element: Any) -> str:
    return "".join(
        node.text or "" for node in element.iter(_W + "delText", _W + "t") if isinstance(node.tag, str)
    )


def _text_boxes(element: Any) -> Iterator[Any]:
    """The text boxes in a run (drawings, VML shapes), each once.

    Word saves a text box twice inside ``mc:AlternateContent``: as a drawing (the Choice) and as a
    VML shape for older programs (the Fallback); the first branch that holds a text box is read.
    A box inside a box is read with the outer box's paragraphs, not here.
    """
    for child in element.iterchildren():
        if child.tag == _W + "txbxContent":
            yield child
        elif child.tag == _MC + "AlternateContent":
            for branch in child.iterchildren(_MC + "Choice", _MC + "Fallback"):
                boxes = list(_text_boxes(branch))
                if boxes:
                    yield from boxes
                    break
        elif isinstance(child.tag, str):
            yield from _text_boxes(child)


_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))
_CHICAGO = ("*", "\u2020", "\u2021", "\u00a7")


def note_number(number: int, number_format: str) -> str:
    """A footnote or endnote number as Word shows it in ``number_format`` (w:numFmt); decimal if unknown."""
    if number_format in ("lowerRoman", "upperRoman") and number > 0:
        roman = ""
        for value, letters in _ROMAN:
            while number >= value:
                roman += letters
                number -= value
        return roman if number_format == "lowerRoman" else roman.upper()
    if number_format in ("lowerLetter", "upperLetter") and number > 0:
        letter = "abcdefghijklmnopqrstuvwxyz"[(number - 1) % 26] * ((number - 1) // 26 + 1)
        return letter if number_format == "lowerLetter" else letter.upper()
    if number_format == "chicago" and number > 0:
        return _CHICAGO[(number - 1) % 4] * ((number - 1) // 4 + 1)
    return str(number)


def _note_numbering(document: Any, kind: str) -> tuple[str, int]:
    """The number format and first number of the footnotes or endnotes: the last section's, else the document's."""
    number_format, start = ("decimal", 1) if kind == "footnote" else ("lowerRoman", 1)
    properties = []
    settings = document.settings.element.find(f"{_W}{kind}Pr")
    if settings is not None:
        properties.append(settings)
    section = document.element.body.find(f"{_W}sectPr/{_W}{kind}Pr")
    if section is not None:
        properties.append(section)
    for element in properties:
        found = element.find(_W + "numFmt")
        if found is not None and found.get(_W + "val"):
            number_format = found.get(_W + "val")
        found = element.find(_W + "numStart")
        if found is not None and (found.get(_W + "val") or "").isdigit():
            start = int(found.get(_W + "val"))
    return number_format, start


class _Reading:
    """One pass over a document's text: paragraph texts in reading order, with what was left out counted."""

    def __init__(self, styles: _StyleHiding) -> None:
        self.styles = styles
        self.hidden_characters = 0
        self.inserted: list[str] = []
        self.deleted: list[str] = []
        self.text_boxes = 0
        #: The footnotes and endnotes the text refers to, in order: (id, custom mark or None).
        self.references: dict[str, list[tuple[str, str | None]]] = {"footnote": [], "endnote": []}
        #: How many footnotes and endnotes were read.
        self.read_notes = {"footnote": 0, "endnote": 0}

    def paragraph_texts(self, container: Any) -> Iterator[str]:
        """Texts of the paragraphs in a body, a table cell, a text box or a note, tables expanded in place
        and each text box after the paragraph it is anchored in."""
        for child in container.iterchildren():
            if child.tag == _W + "p":
                boxes: list[Any] = []
                yield self._paragraph_text(child, boxes)
                for box in boxes:
                    texts = list(self.paragraph_texts(box))
                    if any(text.strip() for text in texts):
                        self.text_boxes += 1
                    yield from texts
            elif child.tag == _W + "tbl":
                for row in child.iterchildren(_W + "tr"):
                    for cell in _row_cells(row):
                        yield from self.paragraph_texts(cell)
            elif child.tag in (_W + "sdt", _W + "customXml"):  # a content control wrapping block content
                content = child.find(_W + "sdtContent") if child.tag == _W + "sdt" else child
                if content is not None:
                    yield from self.paragraph_texts(content)
            elif child.tag == _MC + "AlternateContent":
                for branch in child.iterchildren(_MC + "Choice", _MC + "Fallback"):
                    yield from self.paragraph_texts(branch)
                    break

    def _paragraph_text(self, paragraph: Any, boxes: list[Any]) -> str:
        style = paragraph.find(f"{_W}pPr/{_W}pStyle")
        paragraph_style = (
            style.get(_W + "val") if style is not None else self.styles.default_paragraph_style
        )
        parts: list[str] = []
        self._inline(paragraph, self.styles.hides("paragraph", paragraph_style), parts, boxes, inserted=False)
        return "".join(parts)

    def _inline(self, element: Any, paragraph_hides: bool, parts: list[str], boxes: list[Any], *, inserted: bool) -> None:
        """The runs of a paragraph (or of a hyperlink, a field, an insertion... inside it), in order."""
        for child in element.iterchildren():
            tag = child.tag
            if tag == _W + "r":
                self._run(child, paragraph_hides, parts, boxes, inserted=inserted)
            elif tag == _W + "del":
                self.deleted.append(_deleted_text(child))
            elif tag in (_W + "moveFrom", _W + "pPr", _W + "rPr"):
                continue  # moved away (read where it was moved to), or properties
            elif tag == _W + "ins":
                self._inline(child, paragraph_hides, parts, boxes, inserted=True)
            elif tag == _MC + "AlternateContent":
                for branch in child.iterchildren(_MC + "Choice", _MC + "Fallback"):
                    self._inline(branch, paragraph_hides, parts, boxes, inserted=inserted)
                    break
            elif isinstance(tag, str) and tag.startswith(_W):  # hyperlink, field, content control, moveTo...
                self._inline(child, paragraph_hides, parts, boxes, inserted=inserted)

    def _run(self, run: Any, paragraph_hides: bool, parts: list[str], boxes: list[Any], *, inserted: bool) -> None:
        text = _run_text(run)
        if self._hidden(run, paragraph_hides):
            # A text box anchored in hidden text is hidden with it.
            boxed = sum(len(node.text or "") for box in _text_boxes(run) for node in box.iter(_W + "t"))
            self.hidden_characters += len(text) + boxed
            return
        parts.append(text)
        if inserted:
            self.inserted.append(text)
        for kind in ("footnote", "endnote"):
            for reference in run.iterchildren(f"{_W}{kind}Reference"):
                custom = None
                if reference.get(_W + "customMarkFollows") in ("1", "true", "on"):
                    custom = _custom_mark(run, reference)
                self.references[kind].append((reference.get(_W + "id", ""), custom))
        boxes.extend(_text_boxes(run))

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

    def notes_section(self, document: Any, kind: str) -> list[str]:
        """The paragraphs of the footnotes (or endnotes) the text refers to, in order, each note's first
        paragraph beginning with its number; empty if there are none."""
        references = self.references[kind]
        if not references:
            return []
        element = _part_element(document, kind + "s")
        if element is None:
            return []
        notes = {note.get(_W + "id"): note for note in element.iterchildren(_W + kind)}
        number_format, number = _note_numbering(document, kind)
        paragraphs: list[str] = []
        seen: set[str] = set()
        for note_id, custom in references:
            mark = custom
            if custom is None:
                mark = note_number(number, number_format)
                number += 1
            note = notes.get(note_id)
            if note is None or note_id in seen or note.get(_W + "type") not in (None, "normal"):
                continue
            seen.add(note_id)
            texts = [kept for kept in map(tidy, self.paragraph_texts(note)) if kept] or [""]
            # A numbered note's number is a w:footnoteRef, which has no text; an author's own mark is
            # written as text at the start of the note, where it already stands.
            if not (custom and texts[0].startswith(custom)):
                texts[0] = f"{mark} {texts[0]}".strip()
            paragraphs.extend(texts)
            self.read_notes[kind] += 1
        return paragraphs

    def headers_and_footers(self, document: Any) -> list[str]:
        """The text of each header and footer a page can show, once, in the order of the sections."""
        from docx.oxml.parser import parse_xml

        even_pages = document.settings.odd_and_even_pages_header_footer
        body = document.element.body
        texts: list[str] = []
        seen_parts: set[str] = set()
        for kind in ("header", "footer"):
            for section in body.xpath("./w:p/w:pPr/w:sectPr | ./w:sectPr"):
                first_page = bool(_is_on(section.find(_W + "titlePg")))
                for reference in section.iterchildren(f"{_W}{kind}Reference"):
                    page_type = reference.get(_W + "type", "default")
                    if (page_type == "first" and not first_page) or (page_type == "even" and not even_pages):
                        continue
                    rel_id = reference.get(_R + "id")
                    part = document.part.related_parts.get(rel_id) if rel_id else None
                    if part is None or str(part.partname) in seen_parts:
                        continue
                    seen_parts.add(str(part.partname))
                    text = join_paragraphs(list(self.paragraph_texts(parse_xml(part.blob))))
                    if text and text not in texts:
                        texts.append(text)
        return texts

    def notes(self, furniture: list[str], comments: list[str]) -> tuple[str, ...]:
        """The sentences that say what was included besides the body and what was left out, with counts."""
        notes = []
        if self.hidden_characters:
            notes.append(
                f"{self.hidden_characters:,} characters formatted as hidden were left out "
                "(Word neither shows nor prints hidden text)."
            )
        inserted, deleted = _words(self.inserted), _words(self.deleted)
        if inserted or deleted:
            notes.append(
                "Tracked changes were read as if accepted: "
                f"{_plural(inserted, 'inserted word was', 'inserted words were')} kept and "
                f"{_plural(deleted, 'deleted word was', 'deleted words were')} left out."
            )
        if self.text_boxes:
            notes.append(
                f"{_plural(self.text_boxes, 'text box was', 'text boxes were')} included, "
                f"{'each ' if self.text_boxes > 1 else ''}after the paragraph it is anchored in."
            )
        read = [
            (self.read_notes[kind], kind, heading)
            for kind, heading in (("footnote", FOOTNOTES_HEADING), ("endnote", ENDNOTES_HEADING))
            if self.read_notes[kind]
        ]
        return (*notes, *asides_notes(read, furniture, comments, WORD))


#: Who shows a document's headers and comments, for the notes: (name, "repeats", "shows") as the name takes them.
WORD = ("Word", "repeats", "shows")
WORD_PROCESSORS = ("word processors", "repeat", "show")


def asides_notes(
    read: list[tuple[int, str, str]], furniture: list[str], comments: list[str], shown_by: tuple[str, str, str]
) -> list[str]:
    """The notes on what a Word or RTF reader read besides the body and what it left out, with counts.

    ``read``: (how many, "footnote" or "endnote", the heading they were put under) for each kind read;
    ``furniture``: the headers and footers read once; ``comments``: the comments left out.
    """
    name, repeats, shows = shown_by
    notes = []
    if read:
        counted = " and ".join(_plural(number, kind, kind + "s") for number, kind, _ in read)
        headings = " and ".join(f'"{heading}"' for _, _, heading in read)
        one = len(read) == 1 and read[0][0] == 1
        notes.append(
            f"{counted} {'was' if one else 'were'} included after the body, under the "
            f"line{'s' if len(read) > 1 else ''} {headings}, "
            + (
                "beginning with its number; the reference number in the body was left out."
                if one
                else "each beginning with its number; the reference numbers in the body were left out."
            )
        )
    if furniture:
        notes.append(
            f"The document's headers and footers ({_plural(_words(furniture), 'word', 'words')}) were included "
            f'once, at the end under the line "{FURNITURE_HEADING}", though {name} {repeats} them on every page.'
        )
    if comments:
        notes.append(
            f"{_plural(len(comments), 'comment', 'comments')} ({_plural(_words(comments), 'word', 'words')}) "
            f"{'was' if len(comments) == 1 else 'were'} left out ({name} {shows} comments beside the text, not in it)."
        )
    return notes


def _row_cells(row: Any) -> Iterator[Any]:
    """The cells of a row; a cell continuing a vertical merge is empty in Word and skipped."""
    for child in row.iterchildren():
        if child.tag == _W + "tc":
            yield child
        elif child.tag == _W + "sdt":
            content = child.find(_W + "sdtContent")
            if content is not None:
                yield from (cell for cell in content.iterchildren(_W + "tc"))

"""HTML: the visible text of a web page (a saved chat, an online article), with the standard library's parser.

The extracted text is what a browser shows, as plain text: the contents of
``head``, ``script``, ``style``, ``template``, ``noscript``, ``svg`` and
``math`` are dropped (``title`` with the head); character references
("&amp;", "&#8212;") are decoded; runs of spaces and line breaks in the source
collapse to one space as a browser collapses them, except inside ``pre`` and
``textarea``; ``br`` is a line break; paragraphs, headings, list items, table
rows and the other block elements start on a new line, and paragraph-like
blocks (``p``, headings, ``blockquote``, ``pre``, lists, tables...) are
separated by a blank line; table cells in a row are separated by a tab.
Images contribute nothing (their alt text is not part of the prose). A
``head`` whose end tag is left out (HTML allows it) ends at the first element
that cannot stand in a head.

The encoding is taken from a byte-order mark, then the ``<meta charset>`` or
``http-equiv`` declaration in the first 4 KB, then strict UTF-8, then
Windows-1252, and recorded in the document.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser

from memdiff.ingest import Extracted

MEDIA_TYPE = "text/html"

# Elements whose content a reader never sees as text.
_HIDDEN = frozenset(
    {"head", "title", "script", "style", "template", "noscript", "svg", "math", "object", "iframe"}
)
# Elements that begin and end a paragraph: a blank line before and after.
_PARAGRAPHS = frozenset(
    {
        "p",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "pre",
        "ul",
        "ol",
        "dl",
        "table",
        "figure",
        "hr",
        "address",
        "details",
        "fieldset",
        "form",
        "header",
        "footer",
        "main",
        "article",
        "section",
        "aside",
        "nav",
        "textarea",
    }
)
# Elements that begin and end a line.
_LINES = frozenset(
    {
        "div",
        "li",
        "dt",
        "dd",
        "tr",
        "caption",
        "figcaption",
        "summary",
        "legend",
        "option",
        "body",
        "html",
        "center",
        "thead",
        "tbody",
        "tfoot",
    }
)
_CELLS = frozenset({"td", "th"})
_PREFORMATTED = frozenset({"pre", "textarea", "listing", "plaintext"})
# Void elements never have an end tag, so they must not be counted as open.
_VOID = frozenset(
    {
        "area",
        "base",
        "br",
        "col",
        "embed",
        "hr",
        "img",
        "input",
        "link",
        "meta",
        "param",
        "source",
        "track",
        "wbr",
    }
)
_SPACES = re.compile(r"[ \t\n\r\f]+")
# Control characters are never text; a page that carries them carries junk.
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE
)
_BLANK_LINES = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_TRAILING_SPACES = re.compile(r"[^\S\n]+\n")
# What may stand in a head; anything else there means the head has ended.
_HEAD_CONTENT = frozenset(
    {"title", "meta", "link", "style", "script", "base", "noscript", "template"}
)


def read(data: bytes, name: str) -> Extracted:
    """Extract the visible text of the HTML page in ``data`` (see the module docstring)."""
    source, encoding = decode(data)
    return Extracted(visible_text(source), MEDIA_TYPE, encoding=encoding)


def decode(data: bytes) -> tuple[str, str]:
    """The page's characters and the name of the encoding they were read with."""
    for bom, encoding in (
        (codecs.BOM_UTF8, "utf-8"),
        (codecs.BOM_UTF16_LE, "utf-16-le"),
        (codecs.BOM_UTF16_BE, "utf-16-be"),
    ):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace"), encoding
    declared = _META_CHARSET.search(data[:4096])
    if declared:
        try:
            codec = codecs.lookup(declared.group(1).decode("ascii"))
        except LookupError:
            codec = None
        # A page that declares UTF-16 but was read as bytes here is ASCII-compatible
        # after all (the declaration was readable), so UTF-16 cannot be right.
        if codec is not None and not codec.name.startswith("utf-16"):
            name = (
                "windows-1252" if codec.name in {"latin-1", "iso8859-1", "cp1252"} else codec.name
            )
            # Browsers read pages labelled Latin-1 as Windows-1252 (the WHATWG rule).
            python_name = "cp1252" if name == "windows-1252" else codec.name
            try:
                return data.decode(python_name), name
            except UnicodeDecodeError:
                return data.decode(python_name, errors="replace"), name
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace"), "windows-1252"


def visible_text(source: str) -> str:
    parser = _TextCollector()
    parser.feed(source)
    parser.close()
    return parser.text()


class _TextCollector(HTMLParser):
    """Turns the parser's events into text and break marks (1 = new line, 2 = blank line)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._pending_break = 0
        self._hidden_stack: list[str] = []
        self._pre_depth = 0
        self._cell_in_row = 0
        self._space_pending = False

    # -- events

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden_stack == ["head"] and tag not in _HEAD_CONTENT:
            self._hidden_stack.clear()
        if self._hidden_stack:
            if tag in _HIDDEN and tag not in _VOID:
                self._hidden_stack.append(tag)
            return
        if tag in _HIDDEN:
            self._hidden_stack.append(tag)
            return
        self._block_boundary(tag)
        if tag == "br":
            self._break(1, force=True)
        elif tag in _PREFORMATTED:
            self._pre_depth += 1
        elif tag == "tr":
            self._cell_in_row = 0
        elif tag in _CELLS:
            if self._cell_in_row:
                self._emit_raw("\t")
            self._cell_in_row += 1

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        # <br/>, <hr/>, or a self-closed <p/> (an empty paragraph).
        if self._hidden_stack:
            return
        self._block_boundary(tag)
        if tag == "br":
            self._break(1, force=True)

    def handle_endtag(self, tag: str) -> None:
        if self._hidden_stack:
            if tag in self._hidden_stack:
                # Close everything up to the matching hidden element (HTML is forgiving).
                while self._hidden_stack and self._hidden_stack.pop() != tag:
                    pass
            return
        if tag in _PREFORMATTED and self._pre_depth:
            self._pre_depth -= 1
        self._block_boundary(tag)

    def handle_data(self, data: str) -> None:
        if self._hidden_stack or not data:
            return
        data = _CONTROLS.sub("", data)
        if self._pre_depth:
            self._emit_raw(data.replace("\r\n", "\n").replace("\r", "\n"))
            return
        collapsed = _SPACES.sub(" ", data)
        if collapsed.startswith(" "):
            self._space_pending = True
            collapsed = collapsed[1:]
        if not collapsed:
            return
        if (
            self._space_pending
            and self._pending_break == 0
            and self._parts
            and not self._parts[-1].endswith(("\n", "\t"))
        ):
            self._parts.append(" ")
        self._space_pending = collapsed.endswith(" ")
        self._emit_raw(collapsed.rstrip(" "))

    # -- output

    def _block_boundary(self, tag: str) -> None:
        if tag in _PARAGRAPHS:
            self._break(2)
        elif tag in _LINES:
            self._break(1)

    def _break(self, kind: int, *, force: bool = False) -> None:
        self._space_pending = False
        if force:
            # <br> always makes a line, even two in a row (an empty line).
            if self._parts:
                self._flush_break()
                self._parts.append("\n")
            else:
                self._pending_break = 0
            return
        self._pending_break = max(self._pending_break, kind)

    def _emit_raw(self, text: str) -> None:
        if not text:
            return
        self._flush_break()
        self._parts.append(text)

    def _flush_break(self) -> None:
        if self._pending_break and self._parts:
            self._parts.append("\n" * self._pending_break)
        self._pending_break = 0

    def text(self) -> str:
        joined = "".join(self._parts)
        joined = _TRAILING_SPACES.sub("\n", joined + "\n")
        joined = _BLANK_LINES.sub("\n\n", joined)
        return joined.strip("\n").rstrip()

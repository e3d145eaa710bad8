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

Elements a browser does not show are left out, and the Document's notes say
how many and how many words they held: those with the ``hidden`` attribute,
or ``display: none`` or ``visibility: hidden`` in their ``style`` attribute
(a ``style`` that sets ``display`` to something else overrides ``hidden``, and
a descendant styled ``visibility: visible`` is shown again, as in a
browser), ``template`` contents, and comments. Hiding by a style sheet or a
class is not seen (memdiff applies no style sheets), and ``aria-hidden`` only
hides from screen readers, so such text is kept. An element whose end tag
may be left out (``p``, ``li``, ``td``...) ends where HTML's rules end it, so
a hidden paragraph left open never hides the text after it.

The encoding is taken from a byte-order mark, then the ``<meta charset>`` or
``http-equiv`` declaration in the first 4 KB if it names an encoding of the
WHATWG Encoding Standard (what browsers accept; a label such as "rot13" or
"hex" is ignored with a note, and bytes the declared encoding cannot read
become U+FFFD, also with a note), then the ladder plain text uses
(BOM-less UTF-16, strict UTF-8, Windows-1252), and recorded in the document.

Markup the standard library's parser cannot follow is read the way browsers
read it: a ``<![`` outside SVG or MathML (``<![CDATA[`` included) opens a
bogus comment that ends at the next ``>`` (one never closed before the end of
the file is kept as text). The text is then laid out by the
rule every format shares (:func:`memdiff.ingest.text.tidy`).
"""

from __future__ import annotations

import re
from functools import cache
from html.parser import HTMLParser

from memdiff.errors import InputError
from memdiff.ingest import Extracted
from memdiff.ingest import text as text_format
from memdiff.ingest.text import byte_order_mark, tidy, unicode_encoding

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
# What may stand in a head; anything else there means the head has ended.
_HEAD_CONTENT = frozenset(
    {"title", "meta", "link", "style", "script", "base", "noscript", "template"}
)


def read(data: bytes, name: str) -> Extracted:
    """Extract the visible text of the HTML page in ``data`` (see the module docstring)."""
    source, encoding, notes = decode(data, name)
    try:
        parser = _TextCollector()
        parser.feed(source)
        parser.close()
        text = parser.text()
        notes += parser.notes()
    except Exception as err:  # noqa: BLE001 - html.parser asserts on markup it cannot follow; never a traceback
        raise InputError(
            f"{name} is not HTML memdiff can read ({type(err).__name__}: {str(err)[:80]}); "
            "open it in a web browser, save it as plain text (.txt) and compare that."
        ) from None
    return Extracted(text, MEDIA_TYPE, encoding=encoding, notes=notes)


def decode(data: bytes, name: str = "The page") -> tuple[str, str, tuple[str, ...]]:
    """The page's characters, the name of the encoding they were read with, and notes on the way."""
    if byte_order_mark(data) is None and unicode_encoding(data) is None:
        declared = _META_CHARSET.search(data[:4096])
        if declared:
            label = declared.group(1).decode("ascii", "replace")
            codec = _web_encoding(label)
            if codec is None:
                note = (
                    f"The page declares the character set {label!r}, which is not an encoding web browsers know; "
                    "the declaration was ignored."
                )
                text, encoding, notes = text_format.decode_noted(data, name, refuse_binary=False)
                return text, encoding, (note, *notes)
            python_name, recorded = codec
            if python_name == "cp1252":
                return text_format.decode_windows_1252(data), recorded, ()
            try:
                return data.decode(python_name), recorded, ()
            except UnicodeDecodeError:
                # Browsers show what they cannot read as U+FFFD and go on; so does memdiff, and says so.
                text = data.decode(python_name, errors="replace")
                kept = data.decode(python_name, errors="ignore")
                replaced = text.count("\ufffd") - kept.count("\ufffd")
                note = (
                    f"{replaced:,} places in the page are not valid {recorded}, the encoding it "
                    "declares; they were read as the replacement character U+FFFD."
                )
                return text, recorded, (note,)
    return text_format.decode_noted(data, name, refuse_binary=False)


# The label table of the WHATWG Encoding Standard ("Names and labels"): every label browsers accept
# in a page's charset declaration, with the Python codec that reads the encoding it names. Pages
# labelled Latin-1 or ASCII are Windows-1252 to browsers, GBK is read as GB18030, Big5 with the
# Hong Kong additions, and a page declaring UTF-16 whose declaration could be read as ASCII is UTF-8
# after all. The "replacement" encoding's labels (iso-2022-kr, hz-gb-2312...) and x-user-defined are
# left out: browsers show such a page as one replacement character or as private-use characters,
# so memdiff ignores the declaration, with a note, and reads the bytes as it reads any page.
_WHATWG_LABELS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("utf-8", ("unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "utf-8", "utf8", "x-unicode20utf8",
               "unicodefffe", "utf-16be", "csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff",
               "utf-16", "utf-16le")),
    ("cp866", ("866", "cp866", "csibm866", "ibm866")),
    ("iso8859-2", ("csisolatin2", "iso-8859-2", "iso-ir-101", "iso8859-2", "iso88592", "iso_8859-2",
                   "iso_8859-2:1987", "l2", "latin2")),
    ("iso8859-3", ("csisolatin3", "iso-8859-3", "iso-ir-109", "iso8859-3", "iso88593", "iso_8859-3",
                   "iso_8859-3:1988", "l3", "latin3")),
    ("iso8859-4", ("csisolatin4", "iso-8859-4", "iso-ir-110", "iso8859-4", "iso88594", "iso_8859-4",
                   "iso_8859-4:1988", "l4", "latin4")),
    ("iso8859-5", ("csisolatincyrillic", "cyrillic", "iso-8859-5", "iso-ir-144", "iso8859-5", "iso88595",
                   "iso_8859-5", "iso_8859-5:1988")),
    ("iso8859-6", ("arabic", "asmo-708", "csiso88596e", "csiso88596i", "csisolatinarabic", "ecma-114",
                   "iso-8859-6", "iso-8859-6-e", "iso-8859-6-i", "iso-ir-127", "iso8859-6", "iso88596",
                   "iso_8859-6", "iso_8859-6:1987")),
    ("iso8859-7", ("csisolatingreek", "ecma-118", "elot_928", "greek", "greek8", "iso-8859-7", "iso-ir-126",
                   "iso8859-7", "iso88597", "iso_8859-7", "iso_8859-7:1987", "sun_eu_greek")),
    # ISO-8859-8-I ("logical") has the same bytes as ISO-8859-8; only the display order differs.
    ("iso8859-8", ("csiso88598e", "csisolatinhebrew", "hebrew", "iso-8859-8", "iso-8859-8-e", "iso-ir-138",
                   "iso8859-8", "iso88598", "iso_8859-8", "iso_8859-8:1988", "visual",
                   "csiso88598i", "iso-8859-8-i", "logical")),
    ("iso8859-10", ("csisolatin6", "iso-8859-10", "iso-ir-157", "iso8859-10", "iso885910", "l6", "latin6")),
    ("iso8859-13", ("iso-8859-13", "iso8859-13", "iso885913")),
    ("iso8859-14", ("iso-8859-14", "iso8859-14", "iso885914")),
    ("iso8859-15", ("csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "iso_8859-15", "l9")),
    ("iso8859-16", ("iso-8859-16",)),
    ("koi8-r", ("cskoi8r", "koi", "koi8", "koi8-r", "koi8_r")),
    ("koi8-u", ("koi8-ru", "koi8-u")),
    ("mac-roman", ("csmacintosh", "mac", "macintosh", "x-mac-roman")),
    ("cp874", ("dos-874", "iso-8859-11", "iso8859-11", "iso885911", "tis-620", "windows-874")),
    ("cp1250", ("cp1250", "windows-1250", "x-cp1250")),
    ("cp1251", ("cp1251", "windows-1251", "x-cp1251")),
    ("cp1252", ("ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1",
                "iso-ir-100", "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1",
                "us-ascii", "windows-1252", "x-cp1252")),
    ("cp1253", ("cp1253", "windows-1253", "x-cp1253")),
    ("cp1254", ("cp1254", "csisolatin5", "iso-8859-9", "iso-ir-148", "iso8859-9", "iso88599", "iso_8859-9",
                "iso_8859-9:1989", "l5", "latin5", "windows-1254", "x-cp1254")),
    ("cp1255", ("cp1255", "windows-1255", "x-cp1255")),
    ("cp1256", ("cp1256", "windows-1256", "x-cp1256")),
    ("cp1257", ("cp1257", "windows-1257", "x-cp1257")),
    ("cp1258", ("cp1258", "windows-1258", "x-cp1258")),
    ("mac-cyrillic", ("x-mac-cyrillic", "x-mac-ukrainian")),
    ("gb18030", ("chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk",
                 "iso-ir-58", "x-gbk", "gb18030")),
    ("big5hkscs", ("big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5")),
    ("euc_jp", ("cseucpkdfmtjapanese", "euc-jp", "x-euc-jp")),
    ("iso2022_jp", ("csiso2022jp", "iso-2022-jp")),
    ("cp932", ("csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis")),
    ("cp949", ("cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "ks_c_5601-1989",
               "ksc5601", "ksc_5601", "windows-949")),
)
# What browsers strip from a label before looking it up (ASCII whitespace).
_LABEL_WHITESPACE = "\t\n\f\r "


@cache
def _web_encodings() -> dict[str, str]:
    """The WHATWG label table as label -> Python codec (made on first use: only a page declaring its charset
    needs it)."""
    return {label: codec for codec, labels in _WHATWG_LABELS for label in labels}


def _web_encoding(label: str) -> tuple[str, str] | None:
    """The Python codec and recorded name for a declared charset, or None if browsers would not use it.

    Labels are matched as browsers match them: ASCII case ignored, surrounding whitespace trimmed.
    """
    key = label.strip(_LABEL_WHITESPACE)
    if not key.isascii():
        return None
    python = _web_encodings().get(key.lower())
    return None if python is None else (python, text_format.encoding_name(python))


def visible_text(source: str) -> str:
    parser = _TextCollector()
    parser.feed(source)
    parser.close()
    return parser.text()


# Start tags that end an open p element (HTML's "close a p element" rule).
_CLOSES_P = frozenset(
    {
        "address", "article", "aside", "blockquote", "details", "dialog", "div", "dl", "fieldset",
        "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup",
        "hr", "main", "menu", "nav", "ol", "p", "pre", "section", "table", "ul",
    }
)
# Elements whose end tag may be left out, with the start tags that end them when they are the current element.
_IMPLIED_ENDS = {
    "li": frozenset({"li"}),
    "dt": frozenset({"dt", "dd"}),
    "dd": frozenset({"dt", "dd"}),
    "option": frozenset({"option", "optgroup"}),
    "tr": frozenset({"tr"}),
    "td": frozenset({"td", "th", "tr"}),
    "th": frozenset({"td", "th", "tr"}),
}
_IMPORTANT = re.compile(r"\s*!\s*important\s*$")


def _own_hiding(attrs: list[tuple[str, str | None]]) -> tuple[bool, str | None]:
    """Whether an element's attributes take it out of display (``hidden``, ``display: none``), and the
    visibility its ``style`` sets ("hidden", "visible" or None: inherited)."""
    display_none = False
    visibility = None
    for attribute, value in attrs:
        if attribute == "hidden":
            display_none = True
    for attribute, value in attrs:
        if attribute != "style" or not value:
            continue
        for declaration in value.split(";"):
            prop, colon, setting = declaration.partition(":")
            if not colon:
                continue
            prop = prop.strip().lower()
            setting = _IMPORTANT.sub("", setting.strip().lower())
            if prop == "display":  # the later declaration wins, and an author's display overrides hidden
                display_none = setting == "none"
            elif prop == "visibility":
                visibility = (
                    "hidden" if setting in ("hidden", "collapse") else "visible" if setting == "visible" else None
                )
    return display_none, visibility


def _count(number: int, thing: str, things: str) -> str:
    return f"{number:,} {thing if number == 1 else things}"


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
        # The open elements of a part of the page a browser does not show (or shows again inside it): tag,
        # whether it is out of display, the visibility it sets. Empty outside such a part.
        self._concealing: list[tuple[str, bool, str | None]] = []
        self._concealed_elements = 0
        self._concealed_text: list[str] = []
        self._templates = 0
        self._template_text: list[str] = []
        self._comments = 0
        self._comment_text: list[str] = []

    # -- events

    def parse_html_declaration(self, i: int) -> int:
        # Python 3.11's parser asserts on "<![" unless a known marked section follows;
        # in HTML (outside SVG and MathML, whose content is hidden anyway) browsers read
        # "<![" up to the next ">" as a bogus comment, so that is what it becomes here.
        rawdata = self.rawdata
        if rawdata.startswith("<![", i):
            end = rawdata.find(">", i + 3)
            return -1 if end < 0 else end + 1
        return super().parse_html_declaration(i)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._hidden_stack == ["head"] and tag not in _HEAD_CONTENT:
            self._hidden_stack.clear()
        if self._hidden_stack:
            if tag in _HIDDEN and tag not in _VOID:
                self._hidden_stack.append(tag)
            return
        if tag in _HIDDEN:
            if tag == "template" and not self._concealed():
                self._templates += 1
            self._hidden_stack.append(tag)
            return
        if self._concealing:
            self._end_implied(tag)
        display_none, visibility = _own_hiding(attrs)
        hides = display_none or visibility == "hidden"
        if self._concealing or hides:
            was_concealed = self._concealed()
            if tag in _VOID:
                if was_concealed or hides:  # a hidden <br> or <hr>: nothing shown
                    return
            else:
                self._concealing.append((tag, display_none, visibility))
                if self._concealed():
                    self._concealed_elements += not was_concealed
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
        if self._hidden_stack or self._concealed():
            return
        display_none, visibility = _own_hiding(attrs)
        if display_none or visibility == "hidden":
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
        if self._concealing:
            was_concealed = self._concealed()
            if any(open_tag == tag for open_tag, _, _ in self._concealing):
                while self._concealing and self._concealing.pop()[0] != tag:
                    pass
            elif tag in _PARAGRAPHS or tag in _LINES or tag in _CELLS:
                # An element the hidden part stands in has ended, and the hidden part with it.
                self._concealing.clear()
            if was_concealed:
                return
        if tag in _PREFORMATTED and self._pre_depth:
            self._pre_depth -= 1
        self._block_boundary(tag)

    def handle_data(self, data: str) -> None:
        if not data:
            return
        if self._hidden_stack:
            in_template = "template" in self._hidden_stack and self._hidden_stack[-1] not in ("script", "style")
            if in_template and not self._concealed():
                self._template_text.append(data)
            return
        if self._concealed():
            self._concealed_text.append(data)
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

    def handle_comment(self, data: str) -> None:
        if not self._hidden_stack and not self._concealed():
            self._comments += 1
            self._comment_text.append(data)

    # -- what a browser does not show

    def _concealed(self) -> bool:
        """Whether text here is not shown: inside an element out of display, or whose visibility is hidden."""
        if not self._concealing:
            return False
        if any(display_none for _, display_none, _ in self._concealing):
            return True
        for _, _, visibility in reversed(self._concealing):
            if visibility is not None:
                return visibility == "hidden"
        return False

    def _end_implied(self, tag: str) -> None:
        """End the open elements of a hidden part that the start tag ``tag`` ends (a new <p> ends an open <p>)."""
        if tag in _CLOSES_P and any(open_tag == "p" for open_tag, _, _ in self._concealing):
            while self._concealing and self._concealing.pop()[0] != "p":
                pass
        while self._concealing and tag in _IMPLIED_ENDS.get(self._concealing[-1][0], ()):
            self._concealing.pop()

    def notes(self) -> tuple[str, ...]:
        """The note saying what was left out because a browser does not show it, with counts; or none."""
        from memdiff.text.normalize import count_words

        parts = []
        for number, things, texts in (
            (
                self._concealed_elements,
                ("element", "elements"),
                self._concealed_text,
            ),
            (self._templates, ("template", "templates"), self._template_text),
            (self._comments, ("comment", "comments"), self._comment_text),
        ):
            if number:
                words = count_words("\n".join(texts))
                parts.append(f"{_count(number, *things)} ({_count(words, 'word', 'words')})")
        if not parts:
            return ()
        if self._concealed_elements:
            parts[0] = parts[0].replace(
                " (", " marked hidden or styled display:none or visibility:hidden (", 1
            )
        listed = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + " and " + parts[-1]
        return (f"Left out because a web browser does not show them: {listed}.",)

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
        return tidy("".join(self._parts))

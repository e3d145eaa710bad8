"""RTF: the text of a Rich Text Format document, read by a small interpreter of RTF's syntax.

What is understood: groups, control words and symbols; ``\\'hh`` bytes in the
document's code page (``\\ansicpg``, ``\\mac``, ``\\pc``, ``\\pca``) or the
current font's (``\\fcharset`` / ``\\cpg`` in the font table), multi-byte code
pages (Shift-JIS, GBK, Big5, Korean) included; ``\\uN`` Unicode characters
with the ``\\ucN`` fallback skipping, surrogate pairs included; ``\\binN`` data
skipped; the special characters (``\\emdash``, ``\\lquote``, ``\\~``,
``\\_``...); field results (a hyperlink's visible text). Text formatted as
hidden (``\\v``) is left out, as word processors neither show nor print it,
and the Document's notes say how many characters were.
The encoding recorded is the code page that read the text's non-ASCII bytes
(the one that read most of them, with a note, when fonts used several).

Skipped as not part of the prose: the font, colour, style and list tables,
document information, pictures and embedded objects, and every other
``{\\*\\...}`` destination.

Read as a reader of the document sees them, as the Word reader reads them,
with a note each: footnotes and endnotes (``\\footnote``, ``\\ftnalt``) after
the body under a line "Footnotes" or "Endnotes", each beginning with its
number (``\\chftn``, in the format ``\\ftnn...`` / ``\\aftnn...`` sets; a note
without ``\\chftn`` carries a mark of the author's own, as text), the
reference marks in the body left out; headers and footers once each, at the
end under a line "Headers and footers". Annotations (comments) are left out,
with a note counting them and their words.

The extracted text has ``\\par`` (and ``\\page``, ``\\sect``) as paragraph
breaks, shown as a blank line; ``\\line`` as a line break; ``\\tab`` and
``\\cell`` as a tab, ``\\row`` as a line break. Trailing spaces are dropped
and runs of blank lines reduced to one.

Not supported: tables' layout beyond that, list numbering (``\\pntext`` and
``\\listtext`` are kept where the writer put them), right-to-left and
vertical text ordering, and character sets not given by a code page.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, replace

from memdiff.errors import InputError, LimitExceeded
from memdiff.ingest import Extracted
from memdiff.ingest.text import decode, decode_windows_1252, encoding_name, tidy, unicode_encoding

MEDIA_TYPE = "application/rtf"

#: How deeply groups may nest; real documents stay below a few dozen levels.
MAX_GROUP_DEPTH = 10_000

_TOKEN = re.compile(
    rb"\\([a-zA-Z]{1,32})(-?[0-9]{1,10})? ?"  # control word, optional number, its delimiting space
    rb"|\\'([0-9a-fA-F]{2})"  # a byte in hex
    rb"|\\([^a-zA-Z'])"  # control symbol
    rb"|([{}])"  # group
    rb"|([\r\n]+)"  # line ends in the source are not text
    rb"|([^\\{}\r\n]+)",  # text
)

# Destinations whose content is never text of the document.
_SKIPPED = frozenset(
    {
        "fonttbl",
        "colortbl",
        "stylesheet",
        "listtable",
        "listoverridetable",
        "info",
        "pict",
        "object",
        "objdata",
        "header",
        "headerl",
        "headerr",
        "headerf",
        "footer",
        "footerl",
        "footerr",
        "footerf",
        "footnote",
        "annotation",
        "atnid",
        "atnauthor",
        "xmlnstbl",
        "rsidtbl",
        "generator",
        "themedata",
        "colorschememapping",
        "latentstyles",
        "datastore",
        "revtbl",
        "filetbl",
        "mmathPr",
        "fldinst",
        "bkmkstart",
        "bkmkend",
        "nonshppict",
        "shp",
        "template",
        "docvar",
        "pgdsctbl",
        "private",
        "userprops",
        "field_instructions",
    }
)

_SPECIAL = {
    "par": "\n\n",
    "page": "\n\n",
    "sect": "\n\n",
    "line": "\n",
    "row": "\n",
    "tab": "\t",
    "cell": "\t",
    "nestcell": "\t",
    "emdash": "\u2014",
    "endash": "\u2013",
    "emspace": "\u2003",
    "enspace": "\u2002",
    "qmspace": "\u2005",
    "bullet": "\u2022",
    "lquote": "\u2018",
    "rquote": "\u2019",
    "ldblquote": "\u201c",
    "rdblquote": "\u201d",
    "zwj": "\u200d",
    "zwnj": "\u200c",
    "ltrmark": "\u200e",
    "rtlmark": "\u200f",
}
_SYMBOLS = {
    "~": "\u00a0",
    "_": "-",
    "-": "",
    "\\": "\\",
    "{": "{",
    "}": "}",
    "\n": "\n\n",
    "\r": "\n\n",
}

# \fcharsetN -> code page (the RTF 1.9.1 specification's table); None means the
# document's own code page (\ansicpg), which is what writers intend by ANSI.
_CHARSETS = {
    0: None,
    1: None,
    2: None,
    77: "mac_roman",
    128: "cp932",
    129: "cp949",
    130: "johab",
    134: "gbk",
    136: "cp950",
    161: "cp1253",
    162: "cp1254",
    163: "cp1258",
    177: "cp1255",
    178: "cp1256",
    186: "cp1257",
    204: "cp1251",
    222: "cp874",
    238: "cp1250",
    254: "cp437",
}

_ASCII_BYTES = bytes(range(0x80))

_MULTIBYTE = frozenset({"cp932", "gbk", "cp949", "cp950", "johab"})


@dataclass(frozen=True)
class _State:
    """What a group inherits from its parent and restores when it ends."""

    skip: bool = False
    hidden: bool = False
    font: int | None = None
    unicode_skip: int = 1
    destination: str = ""
    #: Which footnote, header or comment (an index into the interpreter's asides) the text belongs to.
    aside: int | None = None


class _Aside:
    """The text of a footnote or endnote, a header or footer, or a comment, collected apart from the body."""

    def __init__(self, kind: str) -> None:
        self.kind = kind  # "footnote", "endnote", "furniture" or "comment"
        self.parts: list[str] = []
        self.numbered = False  # whether it shows an automatic number (\chftn) rather than a mark of its own


# Destinations read apart from the body, and what they are.
_ASIDES = {
    "footnote": "footnote",
    "header": "furniture",
    "headerl": "furniture",
    "headerr": "furniture",
    "headerf": "furniture",
    "footer": "furniture",
    "footerl": "furniture",
    "footerr": "furniture",
    "footerf": "furniture",
    "annotation": "comment",
}
# The document's footnote and endnote number formats, as the Word reader names them.
_NOTE_FORMATS = {
    f"{prefix}{code}": (kind, number_format)
    for prefix, kind in (("ftnn", "footnote"), ("aftnn", "endnote"))
    for code, number_format in (
        ("ar", "decimal"),
        ("alc", "lowerLetter"),
        ("auc", "upperLetter"),
        ("rlc", "lowerRoman"),
        ("ruc", "upperRoman"),
        ("chi", "chicago"),
    )
}


def read(data: bytes, name: str) -> Extracted:
    """Extract the text of the RTF document in ``data`` (see the module docstring)."""
    wide = unicode_encoding(data)
    if wide:
        # RTF is 7-bit by definition, but a text editor can save it as UTF-16; its characters
        # are then Unicode itself, so they are handed to the interpreter as \\uN words.
        text, encoding = decode(data, name)
        extracted = read(_seven_bit(text), name)
        return replace(extracted, encoding=encoding)
    start = data.find(b"{\\rtf")
    if start < 0 or data[:start].strip(b"\xef\xbb\xbf \t\r\n"):
        raise InputError(
            f"{name} is not an RTF document (it does not start with {{\\rtf); check the file."
        )
    interpreter = _Interpreter(data[start:], name)
    text = interpreter.run()
    text, aside_notes = _with_asides(text, interpreter)
    encoding, notes = _recorded_encoding(interpreter)
    hidden = interpreter.hidden_characters()
    if hidden:
        notes += (
            (
                f"{hidden:,} characters formatted as hidden were left out "
                "(word processors neither show nor print hidden text)."
            ),
        )
    if interpreter.text_boxes:
        boxes = interpreter.text_boxes
        notes += (
            (
                f"{boxes:,} text {'box was' if boxes == 1 else 'boxes were'} left out: memdiff does not read the text "
                "of shapes in RTF; open the file in Word and save it as .docx, whose text boxes memdiff reads."
            ),
        )
    return Extracted(text, MEDIA_TYPE, encoding=encoding, notes=notes + aside_notes)


def _with_asides(body: str, interpreter: _Interpreter) -> tuple[str, tuple[str, ...]]:
    """The body followed by the footnotes, endnotes, headers and footers, and the notes that say so."""
    from memdiff.ingest.docx import (
        ENDNOTES_HEADING,
        FOOTNOTES_HEADING,
        FURNITURE_HEADING,
        WORD_PROCESSORS,
        asides_notes,
        note_number,
    )

    sections = [body]
    read: list[tuple[int, str, str]] = []
    for kind, heading in (("footnote", FOOTNOTES_HEADING), ("endnote", ENDNOTES_HEADING)):
        number_format, number = interpreter.note_numbering[kind]
        paragraphs = []
        for aside in interpreter.asides:
            if aside.kind != kind:
                continue
            text = tidy("".join(aside.parts))
            if aside.numbered:
                text = f"{note_number(number, number_format)} {text}".strip()
                number += 1
            if text:
                paragraphs.append(text)
        if paragraphs:
            sections.append("\n\n".join([heading, *paragraphs]))
            read.append((len(paragraphs), kind, heading))
    furniture: list[str] = []
    for aside in interpreter.asides:
        text = tidy("".join(aside.parts))
        if aside.kind == "furniture" and text and text not in furniture:
            furniture.append(text)
    if furniture:
        sections.append("\n\n".join([FURNITURE_HEADING, *furniture]))
    comments = [tidy("".join(aside.parts)) for aside in interpreter.asides if aside.kind == "comment"]
    notes = asides_notes(read, furniture, comments, WORD_PROCESSORS)
    return tidy("\n\n".join(section for section in sections if section)), tuple(notes)


def _recorded_encoding(interpreter: _Interpreter) -> tuple[str, tuple[str, ...]]:
    """The code page that decoded the text's non-ASCII bytes (the one that decoded most of them, with a note
    naming the others, when fonts used several); the document's own (\\ansicpg) when there were none."""
    decoded = interpreter.non_ascii_bytes
    if not decoded:
        return encoding_name(interpreter.codepage), ()
    # Most bytes first; among equal counts, the document's own code page, then by name (deterministic).
    ranked = sorted(decoded, key=lambda page: (-decoded[page], page != interpreter.codepage, encoding_name(page)))
    names = [encoding_name(page) for page in ranked]
    if len(names) == 1:
        return names[0], ()
    shares = ", ".join(
        f"{name} ({decoded[page]:,} {'byte' if decoded[page] == 1 else 'bytes'})" for name, page in zip(names, ranked)
    )
    note = (
        f"The document's fonts use several code pages, and its non-ASCII bytes were read in each font's own: "
        f"{shares}; the encoding recorded is the one that read most of them."
    )
    return names[0], (note,)


class _Interpreter:
    def __init__(self, data: bytes, name: str) -> None:
        self.data = data
        self.name = name
        self.out: list[str] = []
        #: Text formatted as hidden (\\v): kept apart, only to be counted in a note.
        self.hidden_out: list[str] = []
        self.pending_bytes = bytearray()
        self.pending_codepage = "cp1252"
        self.pending_sink: list[str] = self.out
        #: Footnotes, endnotes, headers, footers and comments, in the order they were written.
        self.asides: list[_Aside] = []
        #: Number format and first number of the footnotes and endnotes (\ftnn..., \ftnstartN...).
        self.note_numbering = {"footnote": ("decimal", 1), "endnote": ("lowerRoman", 1)}
        self.codepage = "cp1252"
        self.font_codepages: dict[int, str] = {}
        #: How many bytes above 0x7F of the text each code page decoded (what the record names).
        self.non_ascii_bytes: dict[str, int] = {}
        self.font_being_defined: int | None = None
        self.state = _State()
        self.stack: list[_State] = []
        self.to_skip = 0  # fallback characters still to drop after a \uN
        #: Text boxes (a shape's \shptxt): not read, only counted in a note.
        self.text_boxes = 0

    def run(self) -> str:
        position = 0
        length = len(self.data)
        while position < length:
            match = _TOKEN.match(self.data, position)
            if match is None:  # a lone backslash at the very end
                break
            position = match.end()
            word, number, hex_byte, symbol, brace, _line_end, text = match.groups()
            if word is not None:
                parameter = int(number) if number is not None else None
                if word == b"bin" and parameter:
                    position = min(length, position + max(0, parameter))  # binary data: never text
                    self.to_skip = 0
                    continue
                self._control_word(word.decode("ascii"), parameter)
            elif hex_byte is not None:
                if self.to_skip:
                    self.to_skip -= 1
                elif not self._suppressed():
                    self._add_byte(int(hex_byte, 16))
            elif symbol is not None:
                self._control_symbol(symbol.decode("latin-1"))
            elif brace is not None:
                self._brace(brace)
            elif text is not None:
                self._text(text)
        self._flush_bytes()
        # \\u pairs for characters beyond the Basic Multilingual Plane arrive as halves; tidy() joins them.
        return tidy("".join(self.out))

    def hidden_characters(self) -> int:
        """How many characters of hidden text were left out (paragraph and line breaks not counted)."""
        return sum(1 for char in "".join(self.hidden_out) if char not in "\n\r")

    @property
    def _sink(self) -> list[str]:
        """Where the text of the current group goes: the body, a footnote, header or comment, or the hidden
        text counted apart."""
        if self.state.hidden:
            return self.hidden_out
        if self.state.aside is not None:
            return self.asides[self.state.aside].parts
        return self.out

    # -- tokens

    def _brace(self, brace: bytes) -> None:
        self._flush_bytes()
        self.to_skip = 0
        if brace == b"{":
            if len(self.stack) >= MAX_GROUP_DEPTH:
                raise LimitExceeded(
                    f"{self.name} nests groups more than {MAX_GROUP_DEPTH:,} deep, above memdiff's limit "
                    "for RTF (the file is damaged or hostile); save it again from a word processor."
                )
            self.stack.append(self.state)
            self.state = replace(self.state, destination="")
        elif self.stack:
            if self.state.destination == "fonttbl" or self.font_being_defined is not None:
                self.font_being_defined = None
            self.state = self.stack.pop()

    def _control_word(self, word: str, parameter: int | None) -> None:
        if self.to_skip:  # a control word counts as one fallback character
            self.to_skip -= 1
            return
        state = self.state
        if word == "shptxt":
            self.text_boxes += 1
        if word in _ASIDES and state.aside is None:
            # Read apart, unless inside a destination that is skipped ("{\\*\\annotation" is not: its
            # \\* only marks it as optional).
            enclosing_skipped = self.stack[-1].skip if self.stack else False
            if not enclosing_skipped and (not state.skip or state.destination == "*"):
                self._flush_bytes()
                self.asides.append(_Aside(_ASIDES[word]))
                self.state = replace(state, skip=False, aside=len(self.asides) - 1, destination=word)
                return
        if state.aside is not None and word in ("chftn", "ftnalt"):
            aside = self.asides[state.aside]
            if word == "chftn":
                aside.numbered = True
            elif aside.kind == "footnote":
                aside.kind = "endnote"
            return
        if word in _NOTE_FORMATS:
            kind, number_format = _NOTE_FORMATS[word]
            self.note_numbering[kind] = (number_format, self.note_numbering[kind][1])
            return
        if word in ("ftnstart", "aftnstart") and parameter is not None:
            kind = "footnote" if word == "ftnstart" else "endnote"
            self.note_numbering[kind] = (self.note_numbering[kind][0], parameter)
            return
        if word in _SKIPPED:
            self._flush_bytes()
            self.state = replace(state, skip=True, destination=word)
            return
        if word == "u" and parameter is not None:
            if not self._suppressed():
                self._flush_bytes()
                # A signed 16-bit number; writers that overflow it are read modulo 2**16.
                self._sink.append(chr(parameter & 0xFFFF))
            self.to_skip = state.unicode_skip
            return
        if word == "uc" and parameter is not None:
            self.state = replace(state, unicode_skip=max(0, parameter))
            return
        if word == "ansicpg" and parameter:
            self.codepage = _codepage(f"cp{parameter}") or self.codepage
            return
        if word in ("mac", "pc", "pca"):
            self.codepage = {"mac": "mac_roman", "pc": "cp437", "pca": "cp850"}[word]
            return
        if word == "f" and parameter is not None:
            if state.skip:
                self.font_being_defined = parameter
            else:
                self._flush_bytes()
                self.state = replace(state, font=parameter)
            return
        if (
            word in ("fcharset", "cpg")
            and parameter is not None
            and self.font_being_defined is not None
        ):
            codepage = (
                _CHARSETS.get(parameter) if word == "fcharset" else _codepage(f"cp{parameter}")
            )
            if codepage:
                self.font_codepages[self.font_being_defined] = codepage
            return
        if word == "v":
            self._flush_bytes()
            self.state = replace(state, hidden=parameter != 0)
            return
        if word == "pard" or word == "plain":
            if word == "plain":
                self._flush_bytes()
                self.state = replace(state, hidden=False)
            return
        special = _SPECIAL.get(word)
        if special is not None and not self._suppressed():
            self._flush_bytes()
            self._sink.append(special)

    def _control_symbol(self, symbol: str) -> None:
        if symbol == "*":
            # An optional destination: skipped unless understood, and none of them are text.
            self._flush_bytes()
            self.state = replace(self.state, skip=True, destination="*")
            return
        if self.to_skip:
            self.to_skip -= 1
            return
        replacement = _SYMBOLS.get(symbol)
        if replacement is not None and not self._suppressed():
            self._flush_bytes()
            self._sink.append(replacement)

    def _text(self, text: bytes) -> None:
        if self.to_skip:
            dropped = min(self.to_skip, len(text))
            self.to_skip -= dropped
            text = text[dropped:]
        if not text or self._suppressed():
            return
        if text.isascii() and not (self.pending_bytes and self.pending_codepage in _MULTIBYTE):
            self._flush_bytes()
            self._sink.append(text.decode("ascii"))
        else:
            # Raw 8-bit bytes are in the current code page, like \'hh; and in a
            # two-byte code page the second byte of a character may be plain ASCII.
            for byte in text:
                self._add_byte(byte)

    # -- bytes in a code page

    def _suppressed(self) -> bool:
        """Whether the current group's text is no text of the document at all (a font table, a picture...).

        Hidden text is not suppressed: it is read like any other and sent to the hidden text (see ``_sink``).
        """
        return self.state.skip

    def _current_codepage(self) -> str:
        font = self.state.font
        if font is not None and font in self.font_codepages:
            return self.font_codepages[font]
        return self.codepage

    def _add_byte(self, byte: int) -> None:
        codepage = self._current_codepage()
        sink = self._sink
        if self.pending_bytes and (codepage != self.pending_codepage or sink is not self.pending_sink):
            self._flush_bytes()
        self.pending_codepage = codepage
        self.pending_sink = sink
        self.pending_bytes.append(byte)

    def _flush_bytes(self) -> None:
        if self.pending_bytes:
            data = bytes(self.pending_bytes)
            if self.pending_sink is not self.hidden_out:
                # Hidden text is only counted, so its bytes do not decide the encoding recorded.
                high = len(data.translate(None, _ASCII_BYTES))
                if high:
                    self.non_ascii_bytes[self.pending_codepage] = (
                        self.non_ascii_bytes.get(self.pending_codepage, 0) + high
                    )
            self.pending_sink.append(_decode(data, self.pending_codepage))
            self.pending_bytes.clear()


def _codepage(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _decode(data: bytes, codepage: str) -> str:
    # Windows-1252 as browsers and Word read it: its five undefined bytes are kept, not replaced.
    if codepage == "cp1252":
        return decode_windows_1252(data)
    return data.decode(codepage, errors="replace")


def _seven_bit(text: str) -> bytes:
    """RTF held as UTF-16/32 text turned back into the 7-bit bytes RTF is defined on.

    Every character outside ASCII becomes a \\uN control word in a group of its
    own with one fallback character, so the reader's \\ucN state is untouched.
    """
    out = []
    for char in text:
        if char.isascii():
            out.append(char)
            continue
        for unit in _utf16_units(char):
            out.append(f"{{\\uc1\\u{unit - 65536 if unit > 32767 else unit}?}}")
    return "".join(out).encode("ascii")


def _utf16_units(char: str) -> tuple[int, ...]:
    encoded = char.encode("utf-16-le", "surrogatepass")
    return tuple(int.from_bytes(encoded[i : i + 2], "little") for i in range(0, len(encoded), 2))

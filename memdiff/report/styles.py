"""The report's look in one place: bundled fonts, paragraph styles, colours and text markup.

Only the fonts bundled in ``resources/fonts`` are ever used, so every font in a
report is embedded (a court's archival rules reject unembedded fonts) and the
pages look the same on every machine. Characters that DejaVu Sans lacks are
set, run by run, in the bundled face for their script (Korean, the scripts
of India and South-East Asia, Ethiopic: ``SCRIPT_FONTS``), else in Droid
Sans Fallback (Chinese, Japanese). Each of these faces is loaded only when a
report has a character that needs it.
"""

from __future__ import annotations

import re
import weakref
from bisect import bisect_right
from collections.abc import Iterable
from fnmatch import fnmatch
from functools import cache, lru_cache
from html import escape
from itertools import repeat
from struct import unpack_from
from typing import Any

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace
from reportlab.platypus import TableStyle

from memdiff.report.bidi import has_right_to_left, paragraph_level, shape, visual_runs
from memdiff.resources import path as resource_path

SANS = "MemdiffSans"
SANS_BOLD = "MemdiffSans-Bold"
SANS_ITALIC = "MemdiffSans-Oblique"
MONO = "MemdiffMono"
CJK = "MemdiffCJK"

_FONT_FILES = {
    SANS: "DejaVuSans.ttf",
    SANS_BOLD: "DejaVuSans-Bold.ttf",
    SANS_ITALIC: "DejaVuSans-Oblique.ttf",
    MONO: "DejaVuSansMono.ttf",
    CJK: "DroidSansFallbackFull.ttf",
}

# Colours. Copied words are red *and* underlined so the marking survives a
# black-and-white copy; near-verbatim differences are black italic on a light
# grey ground, which stays distinct from the underlined red in grey scale.
COPIED = colors.HexColor("#C00000")
DIFFERENT_GROUND = colors.HexColor("#D9D9D9")
RULE = colors.HexColor("#404040")
HEADER_GROUND = colors.HexColor("#E8E8E8")
SPAN_GROUND = colors.HexColor("#F4F4F4")
MUTED = colors.HexColor("#505050")
GRID = colors.HexColor("#9A9A9A")


class BundledFace(TTFontFace):
    """A TrueType face whose character map and widths are read with whole-table unpacks.

    reportlab reads them one number at a time in Python, which made loading
    the four bundled faces a tenth of a short report's time. This reads the
    same tables into the same attributes, with the same values (character
    maps of format 4 and 12, as the bundled faces have; any other character
    map is left to reportlab's own reading). ``glyphToChar``, which
    reportlab needs only to shape text, is made from ``charToGlyph`` when
    first asked for.
    """

    def extractInfo(self, charInfo: int = 1) -> None:
        TTFontFace.extractInfo(self, 0)  # names and metrics: quick
        if charInfo and not self._read_characters():
            TTFontFace.extractInfo(self, charInfo)

    def _read_characters(self) -> bool:
        data = self._ttf_data
        head = self.table["head"]["offset"]
        index_to_loc, glyph_format = unpack_from(">hh", data, head + 50)
        (h_metrics,) = unpack_from(">H", data, self.table["hhea"]["offset"] + 34)
        glyphs = self.numGlyphs
        if glyph_format != 0 or h_metrics == 0 or index_to_loc not in (0, 1):
            return False
        cmap = self.table["cmap"]["offset"]
        version, count = unpack_from(">HH", data, cmap)
        if count == 0 and version != 0:
            count = version
        chosen = None
        enc = 0
        # The same choice of subtable as reportlab's.
        for n in range(count):
            platform, encoding, offset = unpack_from(">HHL", data, cmap + 4 + 8 * n)
            if platform == 3:
                enc, chosen = 1, offset
            elif platform == 1 and encoding == 0 and enc != 1:
                enc, chosen = 2, offset
            elif (platform == 1 and encoding == 1) or (platform == 0 and encoding != 5):
                enc, chosen = 1, offset
        if chosen is None:
            return False
        at = cmap + chosen
        (fmt,) = unpack_from(">H", data, at)
        char_to_glyph: dict[int, int] = {}
        if fmt == 12:  # groups of consecutive characters and glyphs (the faces' full map)
            (groups,) = unpack_from(">L", data, at + 12)
            table = unpack_from(f">{3 * groups}L", data, at + 16)
            for n in range(0, 3 * groups, 3):
                first, last, glyph = table[n], table[n + 1], table[n + 2]
                char_to_glyph.update(
                    zip(range(first, last + 1), range(glyph, glyph + last - first + 1))
                )
        elif fmt == 4:  # segments of the Basic Multilingual Plane
            (length,) = unpack_from(">H", data, at + 2)
            limit = at + length
            segments = unpack_from(">H", data, at + 6)[0] // 2
            ends = unpack_from(f">{segments}H", data, at + 14)
            starts = unpack_from(f">{segments}H", data, at + 16 + 2 * segments)
            deltas = unpack_from(f">{segments}h", data, at + 16 + 4 * segments)
            range_at = at + 16 + 6 * segments
            range_offsets = unpack_from(f">{segments}H", data, range_at)
            for n in range(segments):
                first, last, delta, range_offset = starts[n], ends[n], deltas[n], range_offsets[n]
                chars = range(first, last + 1)
                if range_offset == 0:
                    char_to_glyph.update(zip(chars, [(c + delta) & 0xFFFF for c in chars]))
                    continue
                base = range_at + 2 * n + range_offset - 2 * first
                mapped = []
                for c in chars:
                    where = base + 2 * c
                    if where >= limit:
                        mapped.append(0)  # as reportlab, for broken fonts
                        continue
                    g = (data[where] << 8) | data[where + 1]
                    mapped.append((g + delta) & 0xFFFF if g else 0)
                char_to_glyph.update(zip(chars, mapped))
        else:
            return False
        self.charToGlyph = char_to_glyph

        hmtx = self.table["hmtx"]["offset"]
        pairs = unpack_from(f">{2 * h_metrics}H", data, hmtx)
        advances = pairs[0::2]
        bearings = (
            unpack_from(f">{glyphs - h_metrics}H", data, hmtx + 4 * h_metrics)
            if glyphs > h_metrics
            else ()
        )
        # reportlab's scale is x * (1000 / unitsPerEm), or x itself for 1000 units:
        # multiplying by scale(1) is the same operation without a call per glyph.
        factor = self._pdfScale(1)
        widths = [a * factor for a in advances]
        self.defaultWidth = widths[0]
        last_width = widths[-1]
        # reportlab pairs the glyphs past the advances with the last advance
        # already scaled; kept so, as its subsetting reads these.
        self.hmetrics = [*zip(advances, pairs[1::2]), *((last_width, b) for b in bearings)]
        widths += [last_width] * (glyphs - h_metrics)
        # Characters mapped past the last glyph (a broken font) get no width, as in reportlab.
        char_widths = {c: widths[g] for c, g in char_to_glyph.items() if g < glyphs}
        self.charWidths = char_widths

        if "loca" not in self.table:
            return False
        loca = self.table["loca"]["offset"]
        if index_to_loc == 0:
            self.glyphPos = [p << 1 for p in unpack_from(f">{glyphs + 1}H", data, loca)]
        else:
            self.glyphPos = list(unpack_from(f">{glyphs + 1}L", data, loca))
        # The no-break space and the space share a glyph (as in reportlab); the
        # glyph the alias had before is kept for glyphToChar.
        alias = 0xA0 if 0x20 in char_to_glyph else 0x20 if 0xA0 in char_to_glyph else None
        if alias is not None:
            self._alias_before = (alias, char_to_glyph.get(alias))
            other = 0x20 if alias == 0xA0 else 0xA0
            char_to_glyph[alias] = char_to_glyph[other]
            char_widths[alias] = char_widths[other]
        return True

    @property
    def glyphToChar(self) -> dict[int, list[int]]:
        """Each glyph's characters, as reportlab lists them; made when first asked for (its shaping reads it)."""
        made = self.__dict__.get("_glyph_to_char")
        if made is None:
            alias, before = self.__dict__.get("_alias_before", (None, None))
            made = {}
            for char, glyph in self.charToGlyph.items():
                if char == alias:
                    if before is None:
                        continue  # added as an alias only: not in the font's own map
                    glyph = before
                made.setdefault(glyph, []).append(char)
            self.__dict__["_glyph_to_char"] = made
        return made

    @glyphToChar.setter
    def glyphToChar(self, value: dict[int, list[int]]) -> None:
        self.__dict__["_glyph_to_char"] = value  # reportlab's own reading sets it


class BundledFont(TTFont):
    """A TrueType font that remembers the width of each string it has measured.

    Line breaking measures the same words over and over; without reportlab's
    optional C accelerator each measurement is a Python loop over characters,
    which made measuring most of the cost of a long report.
    """

    _CACHE_LIMIT = 500_000

    def __init__(self, name: str, filename: str) -> None:
        # As TTFont.__init__, with the quicker face.
        self.fontName = name
        self.face = BundledFace(filename)
        self.encoding = TTEncoding()
        self.state = weakref.WeakKeyDictionary()
        self._asciiReadable = rl_config.ttfAsciiReadable
        self.shapable = not any(fnmatch(name, g) for g in rl_config.unShapedFontGlob or ())
        self._unit_widths: dict[str, float] = {}

    def stringWidth(self, text: str, size: float, encoding: str = "utf8") -> float:
        unit = self._unit_widths.get(text)
        if unit is None:
            # As reportlab's own measurement at size 1000 (the same sum in the
            # same order), with the loop over characters in C.
            face = self.face
            unit = (
                0.001
                * 1000.0
                * sum(map(face.charWidths.get, map(ord, text), repeat(face.defaultWidth)))
            )
            if len(self._unit_widths) >= self._CACHE_LIMIT:
                self._unit_widths.clear()
            self._unit_widths[text] = unit
        # The same float operations as reportlab's own measurement, so a
        # report's bytes do not depend on whether this cache measured a word
        # or reportlab did (it may hand another registration of the same
        # face to us: pdfmetrics shares fonts by face name).
        return 0.001 * size * unit


@lru_cache(maxsize=1)
def register_fonts() -> None:
    """Register the bundled Latin fonts with reportlab (once per process); the CJK font waits until needed."""
    for name, filename in _FONT_FILES.items():
        if name != CJK:
            pdfmetrics.registerFont(BundledFont(name, str(resource_path("fonts", filename))))
    pdfmetrics.registerFontFamily(
        SANS, normal=SANS, bold=SANS_BOLD, italic=SANS_ITALIC, boldItalic=SANS_BOLD
    )
    pdfmetrics.registerFontFamily(MONO, normal=MONO, bold=MONO, italic=MONO, boldItalic=MONO)


# The scripts DejaVu Sans lacks, each with the bundled face that draws it and
# the Unicode blocks it is used for (first and last code point). All are
# under the SIL Open Font License (resources/fonts/README.md).
SCRIPT_FONTS: dict[str, tuple[str, tuple[tuple[int, int], ...]]] = {
    "MemdiffKorean": (
        "NanumGothic.ttf",
        ((0x1100, 0x11FF), (0x3130, 0x318F), (0xA960, 0xA97F), (0xAC00, 0xD7FF)),
    ),
    "MemdiffDevanagari": ("NotoSansDevanagari-Regular.ttf", ((0x0900, 0x097F), (0xA8E0, 0xA8FF))),
    "MemdiffBengali": ("NotoSansBengali-Regular.ttf", ((0x0980, 0x09FF),)),
    "MemdiffGurmukhi": ("NotoSansGurmukhi-Regular.ttf", ((0x0A00, 0x0A7F),)),
    "MemdiffGujarati": ("NotoSansGujarati-Regular.ttf", ((0x0A80, 0x0AFF),)),
    "MemdiffOriya": ("NotoSansOriya-Regular.ttf", ((0x0B00, 0x0B7F),)),
    "MemdiffTamil": ("NotoSansTamil-Regular.ttf", ((0x0B80, 0x0BFF),)),
    "MemdiffTelugu": ("NotoSansTelugu-Regular.ttf", ((0x0C00, 0x0C7F),)),
    "MemdiffKannada": ("NotoSansKannada-Regular.ttf", ((0x0C80, 0x0CFF),)),
    "MemdiffMalayalam": ("NotoSansMalayalam-Regular.ttf", ((0x0D00, 0x0D7F),)),
    "MemdiffSinhala": ("NotoSansSinhala-Regular.ttf", ((0x0D80, 0x0DFF),)),
    "MemdiffThai": ("NotoSansThai-Regular.ttf", ((0x0E00, 0x0E7F),)),
    "MemdiffMyanmar": ("NotoSansMyanmar-Regular.ttf", ((0x1000, 0x109F), (0xAA60, 0xAA7F))),
    "MemdiffEthiopic": (
        "NotoSansEthiopic-Regular.ttf",
        ((0x1200, 0x139F), (0x2D80, 0x2DDF), (0xAB00, 0xAB2F)),
    ),
    "MemdiffKhmer": ("NotoSansKhmer-Regular.ttf", ((0x1780, 0x17FF), (0x19E0, 0x19FF))),
}
#: Faces used only for characters the Latin faces lack: the CJK face and the script faces.
FALLBACK_FONTS = frozenset({CJK, *SCRIPT_FONTS})
_SCRIPT_BLOCKS = sorted(
    (first, last, name) for name, (_, blocks) in SCRIPT_FONTS.items() for first, last in blocks
)
_SCRIPT_STARTS = [first for first, _, _ in _SCRIPT_BLOCKS]


@cache
def register_fallback_font(name: str) -> None:
    """Register one fallback face (``FALLBACK_FONTS``) with reportlab, the first time a report needs it."""
    filename = _FONT_FILES[CJK] if name == CJK else SCRIPT_FONTS[name][0]
    pdfmetrics.registerFont(BundledFont(name, str(resource_path("fonts", filename))))
    # Each fallback has one face; <b> and <i> around its text use it as it is.
    pdfmetrics.registerFontFamily(name, normal=name, bold=name, italic=name, boldItalic=name)


@cache
def covers(font: str) -> frozenset[int]:
    """The code points ``font`` has glyphs for."""
    if font in FALLBACK_FONTS:
        register_fallback_font(font)
    else:
        register_fonts()
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


def script_font(code: int) -> str | None:
    """The bundled face for the script of code point ``code`` (``SCRIPT_FONTS``), or None."""
    at = bisect_right(_SCRIPT_STARTS, code) - 1
    if at >= 0 and code <= _SCRIPT_BLOCKS[at][1]:
        return _SCRIPT_BLOCKS[at][2]
    return None


def _fallback(code: int, base: str) -> str:
    """The face for a character neither ``base`` nor DejaVu Sans has: its script's, else CJK, else ``base`` (a box)."""
    script = script_font(code)
    if script is not None and code in covers(script):
        return script
    return CJK if code in covers(CJK) else base


# Controls other than line breaks would draw as boxes; tabs become spaces.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Everything DejaVu Sans surely has needs no per-character look-up.
BEYOND_LATIN = re.compile(r"[^\x00-\u024f]+")


def clean(text: str) -> str:
    """Text as it can be drawn: tabs as spaces, other control characters removed."""
    text = text.replace("\t", "    ")
    return _CONTROLS.sub("", text)


def visual_line(text: str) -> str:
    """One line of text as it is drawn: Arabic letters joined, right-to-left runs in visual order.

    Text without a right-to-left letter comes back unchanged.
    """
    if not has_right_to_left(text):
        return text
    text = shape(text)
    return "".join(piece for _, piece in visual_runs([(None, text)], paragraph_level(text)))


def markup(text: str, *, keep_lines: bool = False, base: str = SANS) -> str:
    """Escape ``text`` for a reportlab Paragraph set in ``base``, switching font where ``base`` has no glyph.

    Missing characters are taken from DejaVu Sans, then from the fallback
    faces (``font_runs``). ``keep_lines`` turns line breaks into ``<br/>``
    (otherwise they are spaces, as in any paragraph). Hebrew or Arabic is
    put in visual order line by line (``visual_line``), which is right for
    the names, titles and labels this is used for; a long right-to-left text
    that a paragraph would break into lines is set by ``MarkedText`` instead.
    """
    text = clean(text)
    if has_right_to_left(text):
        text = "\n".join(visual_line(line) for line in text.split("\n"))
    if BEYOND_LATIN.search(text) is None:
        out = escape(text, quote=False)
    else:
        pieces = ((font, escape(piece, quote=False)) for font, piece in font_runs(text, base))
        out = "".join(
            piece if font == base else f'<font face="{font}">{piece}</font>' for font, piece in pieces
        )
    if keep_lines:
        out = out.replace("\r\n", "\n").replace("\n", "<br/>")
    return out


def copied(inner_markup: str) -> str:
    """Markup for words reproduced from the original: red and underlined."""
    return f'<font color="{COPIED.hexval()}"><u>{inner_markup}</u></font>' if inner_markup else ""


def different(inner_markup: str) -> str:
    """Markup for words that differ inside a near-verbatim passage: italic on grey."""
    return (
        f'<span backColor="{DIFFERENT_GROUND.hexval()}"><i>{inner_markup}</i></span>'
        if inner_markup
        else ""
    )


def monospace(text: str) -> str:
    return f'<font face="{MONO}">{markup(text, base=MONO)}</font>'


class Styles:
    """The paragraph styles of one report (sizes are fixed; nothing depends on the machine)."""

    def __init__(self) -> None:
        register_fonts()
        base = ParagraphStyle(
            "body",
            fontName=SANS,
            bulletFontName=SANS,
            fontSize=9.5,
            leading=13,
            spaceAfter=5,
            alignment=TA_LEFT,
        )
        self.body = base
        self.small = ParagraphStyle("small", parent=base, fontSize=8, leading=10.5, spaceAfter=3)
        self.muted = ParagraphStyle("muted", parent=self.small, textColor=MUTED)
        self.cell = ParagraphStyle("cell", parent=base, fontSize=8.5, leading=11, spaceAfter=0)
        self.cell_bold = ParagraphStyle("cell_bold", parent=self.cell, fontName=SANS_BOLD)
        self.cell_mono = ParagraphStyle(
            "cell_mono", parent=self.cell, fontName=MONO, fontSize=7.5, leading=10
        )
        self.quote = ParagraphStyle("quote", parent=base, fontSize=9, leading=12.5, spaceAfter=0)
        self.output_text = ParagraphStyle(
            "output_text", parent=base, fontSize=9.5, leading=14, spaceAfter=6
        )
        self.code = ParagraphStyle(
            "code", parent=base, fontName=MONO, fontSize=7.5, leading=10, spaceAfter=4
        )
        self.bullet = ParagraphStyle(
            "bullet", parent=base, leftIndent=14, bulletIndent=4, spaceAfter=3
        )
        self.h1 = ParagraphStyle(
            "h1",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=14,
            leading=18,
            spaceBefore=6,
            spaceAfter=8,
            keepWithNext=1,
        )
        self.h2 = ParagraphStyle(
            "h2",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=11,
            leading=14,
            spaceBefore=10,
            spaceAfter=5,
            keepWithNext=1,
        )
        self.h3 = ParagraphStyle(
            "h3",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=9.5,
            leading=13,
            spaceBefore=6,
            spaceAfter=3,
            keepWithNext=1,
        )
        self.caption_court = ParagraphStyle(
            "caption_court",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=11,
            leading=15,
            alignment=TA_CENTER,
            spaceAfter=10,
        )
        self.caption = ParagraphStyle(
            "caption", parent=base, fontSize=10, leading=14, alignment=TA_CENTER
        )
        self.exhibit = ParagraphStyle(
            "exhibit",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=20,
            leading=26,
            alignment=TA_CENTER,
            spaceBefore=14,
            spaceAfter=10,
        )
        self.title = ParagraphStyle(
            "title",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=15,
            leading=20,
            alignment=TA_CENTER,
            spaceBefore=6,
            spaceAfter=12,
        )
        self.legend = ParagraphStyle(
            "legend",
            parent=base,
            fontName=SANS_BOLD,
            fontSize=9.5,
            leading=13,
            alignment=TA_CENTER,
            spaceBefore=4,
            spaceAfter=8,
        )
        self._fragments: dict[str, Any] = {}

    def fragments(self, style: ParagraphStyle) -> Any:
        """The fast paragraph maker for marked text in ``style`` (one per style and report)."""
        from memdiff.report.fragments import FragmentParagraphs

        maker = self._fragments.get(style.name)
        if maker is None:
            maker = self._fragments[style.name] = FragmentParagraphs(style)
        return maker


def table_style(commands: list[tuple[Any, ...]]) -> TableStyle:
    """A TableStyle whose cells default to the bundled font (reportlab's default is unembedded Helvetica)."""
    return TableStyle(
        [("FONTNAME", (0, 0), (-1, -1), SANS), ("FONTSIZE", (0, 0), (-1, -1), 8.5), *commands]
    )


def font_runs(text: str, base: str) -> list[tuple[str, str]]:
    """``text`` cut into (font name, piece) runs: ``base`` where it has glyphs, else DejaVu Sans, else a fallback.

    The fallback is the bundled face for the character's script, else the
    CJK face; a character no bundled face has stays in ``base`` (drawn as a
    box, and still in the text a reader copies).
    """
    beyond = BEYOND_LATIN.findall(text)
    if not beyond:
        return [(base, text)]
    in_base, in_sans = covers(base), covers(SANS)
    if all(ord(ch) in in_base for run in beyond for ch in run):
        return [(base, text)]  # dashes, quotes, dots: the base face has them all
    runs: list[tuple[str, str]] = []
    for ch in text:
        code = ord(ch)
        if code in in_base or code < 0x250:
            name = base
        elif code in in_sans:
            name = SANS
        else:
            name = _fallback(code, base)
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + ch)
        else:
            runs.append((name, ch))
    return runs


# The script faces whose letters need glyph shaping (conjuncts, reordered
# vowel signs) that memdiff does not do: drawn letter by letter.
UNSHAPED_SCRIPTS = {
    "MemdiffDevanagari": "Devanagari",
    "MemdiffBengali": "Bengali",
    "MemdiffGurmukhi": "Gurmukhi",
    "MemdiffGujarati": "Gujarati",
    "MemdiffOriya": "Oriya",
    "MemdiffTamil": "Tamil",
    "MemdiffTelugu": "Telugu",
    "MemdiffKannada": "Kannada",
    "MemdiffMalayalam": "Malayalam",
    "MemdiffSinhala": "Sinhala",
    "MemdiffMyanmar": "Myanmar",
    "MemdiffKhmer": "Khmer",
}
# Characters that are never drawn, so need no glyph: format controls (joiners,
# marks of direction, soft hyphens), variation selectors and white space.
_NEVER_DRAWN = re.compile(
    r"[\s\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    r"\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\U000e0000-\U000e0fff]"
)


def drawing_caveats(texts: Iterable[str]) -> list[str]:
    """Sentences for the report about characters in ``texts`` that the bundled faces cannot draw as they should.

    Text in a script that needs shaping is drawn letter by letter; a
    character no bundled face has is drawn as an empty box. Either way the
    characters themselves are exact in the PDF's text and in the JSON, and
    the report must say so rather than leave a reader to guess.
    """
    unshaped: set[str] = set()
    missing: set[str] = set()
    for text in texts:
        beyond = set(BEYOND_LATIN.findall(text))
        if not beyond:
            continue
        for font, run in font_runs(_NEVER_DRAWN.sub("", "".join(sorted(beyond))), SANS):
            if font in UNSHAPED_SCRIPTS:
                unshaped.add(UNSHAPED_SCRIPTS[font])
            elif font == SANS:
                missing.update(ch for ch in run if ord(ch) not in covers(SANS))
    out: list[str] = []
    if unshaped:
        names = sorted(unshaped)
        listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
        script = "this script" if len(names) == 1 else "these scripts"
        out.append(
            f"Text in {listed} is drawn letter by letter: the joined letters and reordered vowel signs of "
            f"{script} are not formed on the page. The characters and their order are exact; copying the "
            "text from this PDF, and the JSON result, give them as extracted."
        )
    if missing:
        shown = sorted(missing)
        examples = ", ".join(f"U+{ord(ch):04X}" for ch in shown[:6]) + (
            ", …" if len(shown) > 6 else ""
        )
        if len(shown) == 1:
            said = (
                f"One character ({examples}) has no glyph in the fonts embedded in this report: "
                "it appears as an empty box, and is"
            )
        else:
            said = (
                f"{len(shown)} different characters ({examples}) have no glyph in the fonts embedded in this "
                "report: they appear as empty boxes, and are"
            )
        out.append(f"{said} in the text of this PDF and in the JSON result as extracted.")
    return out

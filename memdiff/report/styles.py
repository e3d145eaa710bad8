"""The report's look in one place: bundled fonts, paragraph styles, colours and text markup.

Only the fonts bundled in ``resources/fonts`` are ever used, so every font in a
report is embedded (a court's archival rules reject unembedded fonts) and the
pages look the same on every machine. Characters that DejaVu Sans lacks
(Chinese, Japanese, Korean) are set in Droid Sans Fallback, run by run.
"""

from __future__ import annotations

import re
import weakref
from fnmatch import fnmatch
from functools import cache, lru_cache
from itertools import repeat
from struct import unpack_from
from typing import Any
from xml.sax.saxutils import escape

from reportlab import rl_config
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace
from reportlab.platypus import TableStyle

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
    map is left to reportlab's own reading), except ``glyphToChar``:
    reportlab only reads it to find each character's width, which is
    done here from ``charToGlyph`` directly.
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
        if 0x20 in char_to_glyph:
            char_to_glyph[0xA0] = char_to_glyph[0x20]
            char_widths[0xA0] = char_widths[0x20]
        elif 0xA0 in char_to_glyph:
            char_to_glyph[0x20] = char_to_glyph[0xA0]
            char_widths[0x20] = char_widths[0xA0]
        return True


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


@lru_cache(maxsize=1)
def register_cjk_font() -> None:
    """Register the 4 MB CJK font only when a report has a character DejaVu lacks."""
    pdfmetrics.registerFont(BundledFont(CJK, str(resource_path("fonts", _FONT_FILES[CJK]))))
    # The fallback has one face; <b> and <i> around CJK text use it as it is.
    pdfmetrics.registerFontFamily(CJK, normal=CJK, bold=CJK, italic=CJK, boldItalic=CJK)


@cache
def covers(font: str) -> frozenset[int]:
    """The code points ``font`` has glyphs for."""
    if font == CJK:
        register_cjk_font()
    else:
        register_fonts()
    return frozenset(pdfmetrics.getFont(font).face.charToGlyph)


# Controls other than line breaks would draw as boxes; tabs become spaces.
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Everything DejaVu Sans surely has needs no per-character look-up.
BEYOND_LATIN = re.compile(r"[^\x00-\u024f]+")


def clean(text: str) -> str:
    """Text as it can be drawn: tabs as spaces, other control characters removed."""
    text = text.replace("\t", "    ")
    return _CONTROLS.sub("", text)


def markup(text: str, *, keep_lines: bool = False, base: str = SANS) -> str:
    """Escape ``text`` for a reportlab Paragraph set in ``base``, switching font where ``base`` has no glyph.

    Missing characters are taken from DejaVu Sans, then from the CJK font.
    ``keep_lines`` turns line breaks into ``<br/>`` (otherwise they are
    spaces, as in any paragraph).
    """
    text = clean(text)
    if BEYOND_LATIN.search(text) is None:
        out = escape(text)
    else:
        out = "".join(
            escape(piece) if font == base else f'<font face="{font}">{escape(piece)}</font>'
            for font, piece in font_runs(text, base)
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
    """``text`` cut into (font name, piece) runs: ``base`` where it has glyphs, else DejaVu Sans, else CJK."""
    beyond = BEYOND_LATIN.findall(text)
    if not beyond:
        return [(base, text)]
    in_base, in_sans = covers(base), covers(SANS)
    if all(ord(ch) in in_base for run in beyond for ch in run):
        return [(base, text)]  # dashes, quotes, dots: the base face has them all
    in_cjk: frozenset[int] | None = None
    runs: list[tuple[str, str]] = []
    for ch in text:
        code = ord(ch)
        if code in in_base or code < 0x250:
            name = base
        elif code in in_sans:
            name = SANS
        else:
            if in_cjk is None:
                in_cjk = covers(CJK)
            name = CJK if code in in_cjk else base
        if runs and runs[-1][0] == name:
            runs[-1] = (name, runs[-1][1] + ch)
        else:
            runs.append((name, ch))
    return runs


def mixed_width(text: str, font: str, size: float) -> float:
    return sum(pdfmetrics.stringWidth(piece, name, size) for name, piece in font_runs(text, font))


def draw_mixed(
    canvas: Any, x: float, y: float, text: str, font: str, size: float, *, align: str = "left"
) -> None:
    """Draw one line on a canvas with the CJK fallback where needed; ``align`` left, centre or right of ``x``."""
    width = mixed_width(text, font, size)
    if align == "right":
        x -= width
    elif align == "centre":
        x -= width / 2
    for name, piece in font_runs(text, font):
        canvas.setFont(name, size)
        canvas.drawString(x, y, piece)
        x += pdfmetrics.stringWidth(piece, name, size)

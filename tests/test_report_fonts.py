"""The bundled faces read by memdiff's quicker reader hold exactly what reportlab's own reader finds."""

from __future__ import annotations

import pytest
from memdiff.resources import path as resource_path
from reportlab.pdfbase.ttfonts import TTFontFace

from memdiff.report.styles import _FONT_FILES, SCRIPT_FONTS, BundledFace, BundledFont

BUNDLED = sorted({*_FONT_FILES.values(), *(filename for filename, _ in SCRIPT_FONTS.values())})

# What reportlab reads of a face after loading it (glyphToChar is made on demand).
ATTRIBUTES = ("charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos", "defaultWidth")


@pytest.mark.parametrize("filename", BUNDLED)
def test_the_quick_reader_finds_what_reportlab_finds(filename):
    path = str(resource_path("fonts", filename))
    ours = BundledFace(path)
    theirs = TTFontFace(path)
    for name in ATTRIBUTES:
        mine, reference = getattr(ours, name), getattr(theirs, name)
        assert mine == reference, name
        assert type(mine) is type(reference), name
    # The character map is read in reportlab's order, and each glyph's characters listed as it lists them.
    assert list(ours.charToGlyph) == list(theirs.charToGlyph)
    assert list(ours.glyphToChar.items()) == list(theirs.glyphToChar.items())
    assert all(type(ours.charWidths[c]) is type(theirs.charWidths[c]) for c in theirs.charWidths), (
        "widths are the same numbers of the same type (float sums must not change)"
    )
    assert (ours.name, ours.ascent, ours.descent, ours.bbox) == (
        theirs.name,
        theirs.ascent,
        theirs.descent,
        theirs.bbox,
    )


def test_a_bundled_font_measures_as_reportlab_does():
    from reportlab.pdfbase.ttfonts import TTFont

    path = str(resource_path("fonts", "DejaVuSans.ttf"))
    ours = BundledFont("TestSans", path)
    theirs = TTFont("TestSansReference", path)
    for text in ("plain words", "café naïve – “quoted”", "漢字 and \u00a0 space", ""):
        assert ours.stringWidth(text, 9.5) == theirs.stringWidth(text, 9.5)

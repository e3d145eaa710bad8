"""The bundled faces read by memdiff's quicker reader hold exactly what reportlab's own reader finds."""

from __future__ import annotations

import pytest
from memdiff.resources import path as resource_path
from reportlab.pdfbase.ttfonts import TTFontFace

from memdiff.report.styles import _FONT_FILES, BundledFace, BundledFont

ATTRIBUTES = ("charToGlyph", "glyphToChar", "charWidths", "hmetrics", "glyphPos", "defaultWidth")


@pytest.mark.parametrize("filename", sorted(_FONT_FILES.values()))
def test_the_quick_reader_finds_what_reportlab_finds(filename):
    path = str(resource_path("fonts", filename))
    ours = BundledFace(path)
    theirs = TTFontFace(path)
    for name in ATTRIBUTES:
        mine, reference = getattr(ours, name), getattr(theirs, name)
        assert mine == reference, name
        if isinstance(reference, dict):
            assert list(mine) == list(reference), f"{name}: same keys in the same order"
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

"""Paragraphs of marked text built from ready-made fragments instead of parsed markup.

reportlab turns paragraph markup into "fragments" (runs of text sharing one
font, colour and underline) with an HTML parser; for a long output shown twice
(side by side and in full) that parsing was most of the time spent before
layout. The fragments of marked text come in a handful of kinds only (plain,
copied, different, span number; each in the Latin or the CJK font), so each
kind is parsed once per style and then cloned with new text.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paraparser import ParaParser

from memdiff.report.styles import (
    CJK,
    DIFFERENT_GROUND,
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    clean,
    copied,
    different,
    font_runs,
    register_cjk_font,
)

PLAIN = "plain"
COPIED = "copied"
DIFFERENT = "different"
MARKER = "marker"
BOLD = "bold"

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


_KIND_MARKUP = {
    PLAIN: lambda inner: inner,
    COPIED: copied,
    DIFFERENT: different,
    MARKER: lambda inner: f'<font size="6.5" color="#707070"><super>{inner}</super></font>',
    BOLD: lambda inner: f"<b>{inner}</b>",
}
# The face each kind is set in; characters it lacks fall back to upright Sans, then CJK.
_KIND_FONT = {PLAIN: SANS, COPIED: SANS, DIFFERENT: SANS_ITALIC, MARKER: SANS, BOLD: SANS_BOLD}
# The upright stand-ins used when the italic or bold face lacks a character.
_UPRIGHT = {
    DIFFERENT: lambda inner: f'<span backColor="{DIFFERENT_GROUND.hexval()}">{inner}</span>',
    BOLD: lambda i: i,
}


def _template_markup(kind: str, font: str) -> str:
    if font == CJK:
        return _KIND_MARKUP[kind](f'<font face="{CJK}">x</font>')
    if font == SANS and _KIND_FONT[kind] != SANS:
        return _UPRIGHT[kind]("x")
    return _KIND_MARKUP[kind]("x")


class FragmentParagraphs:
    """Makes Paragraphs in one style from (kind, text) pieces, cloning one parsed fragment per kind."""

    def __init__(self, style: ParagraphStyle) -> None:
        self.style = style
        self._templates: dict[tuple[str, str], Any] = {}
        self._line_break: Any = None
        # Text with Chinese, Japanese or Korean has no spaces to break lines
        # at; reportlab's CJK wrapping breaks between those characters and
        # still keeps Latin words whole.
        self._cjk_style = ParagraphStyle(f"{style.name}-cjk", parent=style, wordWrap="CJK")

    def _template(self, kind: str, font: str) -> Any:
        key = (kind, font)
        template = self._templates.get(key)
        if template is None:
            if font == CJK:
                register_cjk_font()
            _, frags, _ = ParaParser().parse(_template_markup(kind, font), self.style)
            (template,) = [f for f in frags if getattr(f, "text", "") == "x"]
            self._templates[key] = template
        return template

    def _break(self) -> Any:
        if self._line_break is None:
            _, frags, _ = ParaParser().parse("x<br/>y", self.style)
            (self._line_break,) = [f for f in frags if getattr(f, "lineBreak", False)]
        return self._line_break

    def paragraph(self, pieces: list[tuple[str, str]], *, keep_lines: bool) -> Paragraph:
        frags: list[Any] = []
        for kind, text in pieces:
            text = clean(text)
            lines = text.split("\n") if keep_lines else [text.replace("\n", " ")]
            for n, line in enumerate(lines):
                if n:
                    frags.append(self._break().clone())
                line = _SPACES.sub(" ", line)
                if not line:
                    continue
                for font, run in font_runs(line, _KIND_FONT[kind]):
                    frags.append(self._template(kind, font).clone(text=run))
        if not frags:
            frags.append(self._template(PLAIN, SANS).clone(text=""))
        has_cjk = any(frag.fontName == CJK for frag in frags)
        return Paragraph("", self._cjk_style if has_cjk else self.style, frags=frags)

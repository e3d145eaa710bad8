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

from memdiff.report.styles import CJK, SANS, clean, copied, different, font_runs

PLAIN = "plain"
COPIED = "copied"
DIFFERENT = "different"
MARKER = "marker"
BOLD = "bold"

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")


def _inner(text: str, cjk: bool) -> str:
    return f'<font face="{CJK}">{text}</font>' if cjk else text


_KIND_MARKUP = {
    PLAIN: lambda inner: inner,
    COPIED: copied,
    DIFFERENT: different,
    MARKER: lambda inner: f'<font size="6.5" color="#707070"><super>{inner}</super></font>',
    BOLD: lambda inner: f"<b>{inner}</b>",
}


class FragmentParagraphs:
    """Makes Paragraphs in one style from (kind, text) pieces, cloning one parsed fragment per kind."""

    def __init__(self, style: ParagraphStyle) -> None:
        self.style = style
        self._templates: dict[tuple[str, bool], Any] = {}
        self._line_break: Any = None

    def _template(self, kind: str, cjk: bool) -> Any:
        key = (kind, cjk)
        template = self._templates.get(key)
        if template is None:
            if cjk:
                from memdiff.report.styles import register_cjk_font

                register_cjk_font()
            _, frags, _ = ParaParser().parse(_KIND_MARKUP[kind](_inner("x", cjk)), self.style)
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
                for font, run in font_runs(line, SANS):
                    frags.append(self._template(kind, font == CJK).clone(text=run))
        if not frags:
            frags.append(self._template(PLAIN, False).clone(text=""))
        return Paragraph("", self.style, frags=frags)

"""Marked text from (kind, text) pieces: set by ``marked.MarkedText``, or as a reportlab Paragraph for CJK.

The looks come from reportlab's own reading of the markup for each kind
(plain, copied, different, span number, bold; in the Latin faces or the CJK
font), parsed once per style, so the styles stay defined in ``styles.py``.
Text without Chinese, Japanese or Korean is set by ``MarkedText`` (fast, one
look per kind); text with them needs reportlab's CJK line breaking, so it
becomes a Paragraph built from cloned fragments instead of parsed markup.
"""

from __future__ import annotations

import re
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph
from reportlab.platypus.paraparser import ParaParser

from memdiff.report.bidi import has_right_to_left, shape
from memdiff.report.marked import Look, MarkedText
from memdiff.report.styles import (
    BEYOND_LATIN,
    CJK,
    DIFFERENT_GROUND,
    FALLBACK_FONTS,
    SANS,
    SANS_BOLD,
    SANS_ITALIC,
    clean,
    copied,
    different,
    font_runs,
    register_fallback_font,
)

PLAIN = "plain"
COPIED = "copied"
DIFFERENT = "different"
MARKER = "marker"
BOLD = "bold"
EDGE = "edge"

_SPACES = re.compile(r"[ \t\r\f\v\u00a0]+")
# What clean() removes or turns into spaces, and the spaces other than " ".
_UNCLEAN = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u00a0]")
# Either of the above or a character beyond Latin (styles.BEYOND_LATIN): one search for both.
_PLAIN_LATIN = re.compile(r"[\x00-\x09\x0b-\x1f\x7f-\x9f\u00a0]|[^\x00-\u024f]")


_KIND_MARKUP = {
    PLAIN: lambda inner: inner,
    COPIED: copied,
    DIFFERENT: different,
    MARKER: lambda inner: f'<font size="6.5" color="#707070"><super>{inner}</super></font>',
    BOLD: lambda inner: f"<b>{inner}</b>",
    # A running head, foot or page number a span passed over: grey, apart from the passage's words.
    EDGE: lambda inner: f'<font color="#707070">{inner}</font>',
}
# The face each kind is set in; characters it lacks fall back to upright Sans, then to
# their script's face or the CJK face (styles.font_runs).
_KIND_FONT = {
    PLAIN: SANS,
    COPIED: SANS,
    DIFFERENT: SANS_ITALIC,
    MARKER: SANS,
    BOLD: SANS_BOLD,
    EDGE: SANS,
}
# The upright stand-ins used when the italic or bold face lacks a character.
_UPRIGHT = {
    DIFFERENT: lambda inner: f'<span backColor="{DIFFERENT_GROUND.hexval()}">{inner}</span>',
    BOLD: lambda i: i,
}


def _template_markup(kind: str, font: str) -> str:
    if font in FALLBACK_FONTS:
        return _KIND_MARKUP[kind](f'<font face="{font}">x</font>')
    if font == SANS and _KIND_FONT[kind] != SANS:
        return _UPRIGHT[kind]("x")
    return _KIND_MARKUP[kind]("x")


class FragmentParagraphs:
    """Makes Paragraphs in one style from (kind, text) pieces, cloning one parsed fragment per kind."""

    def __init__(self, style: ParagraphStyle) -> None:
        self.style = style
        self._templates: dict[tuple[str, str], Any] = {}
        self._looks: dict[tuple[str, str], int] = {}
        self.looks: list[Look] = []  # indexed by the numbers in _looks
        self._line_break: Any = None
        # Text with Chinese or Japanese has no spaces to break lines at;
        # reportlab's CJK wrapping breaks between those characters and still
        # keeps Latin words whole. It lets one character that may not begin a
        # line (ー, 。, 」) hang past the line's end, so the lines are set one
        # em short of the column: the hanging character stays inside it.
        self._cjk_style = ParagraphStyle(
            f"{style.name}-cjk",
            parent=style,
            wordWrap="CJK",
            rightIndent=style.rightIndent + style.fontSize,
        )

    def _template(self, kind: str, font: str) -> Any:
        key = (kind, font)
        template = self._templates.get(key)
        if template is None:
            if font in FALLBACK_FONTS:
                register_fallback_font(font)
            _, frags, _ = ParaParser().parse(_template_markup(kind, font), self.style)
            (template,) = [f for f in frags if getattr(f, "text", "") == "x"]
            self._templates[key] = template
        return template

    def _break(self) -> Any:
        if self._line_break is None:
            _, frags, _ = ParaParser().parse("x<br/>y", self.style)
            (self._line_break,) = [f for f in frags if getattr(f, "lineBreak", False)]
        return self._line_break

    def _look(self, kind: str, font: str) -> int:
        """The index in ``looks`` of the look of ``kind`` in ``font``."""
        key = (kind, font)
        index = self._looks.get(key)
        if index is None:
            template = self._template(kind, font)
            self.looks.append(
                Look(
                    font=template.fontName,
                    size=template.fontSize,
                    colour=template.textColor,
                    rise=template.rise,
                    underline=bool(template.us_lines),
                    ground=getattr(template, "backColor", None),
                )
            )
            index = self._looks[key] = len(self.looks) - 1
        return index

    def paragraph(
        self, pieces: list[tuple[str, str]], *, keep_lines: bool
    ) -> MarkedText | Paragraph:
        """The pieces set in this style; ``keep_lines`` keeps their line breaks (otherwise spaces)."""
        segments: list[tuple[int, str]] = []
        known = self._looks
        right_to_left = False
        for kind, text in pieces:
            base = _KIND_FONT[kind]
            # Nothing to clean, all in the base face: the common case.
            if _PLAIN_LATIN.search(text) is None:
                index = known.get((kind, base))
                segments.append((self._look(kind, base) if index is None else index, text))
                continue
            # Runs of " " may stay (setting the text skips them).
            if _UNCLEAN.search(text):
                text = _SPACES.sub(" ", clean(text))
            if BEYOND_LATIN.search(text) is None:
                index = known.get((kind, base))
                segments.append((self._look(kind, base) if index is None else index, text))
                continue
            if has_right_to_left(text):
                right_to_left = True
                text = shape(text)  # Arabic letters joined before the fonts are chosen
            for font, run in font_runs(text, base):
                if font == CJK:
                    return self.cjk_paragraph(pieces, keep_lines=keep_lines)
                segments.append((self._look(kind, font), run))
        style = self.style
        return MarkedText(
            segments,
            self.looks,
            keep_lines=keep_lines,
            size=style.fontSize,
            leading=style.leading,
            space_before=style.spaceBefore,
            space_after=style.spaceAfter,
            right_to_left=right_to_left,
        )

    def cjk_paragraph(self, pieces: list[tuple[str, str]], *, keep_lines: bool) -> Paragraph:
        """A reportlab Paragraph of the pieces: CJK text needs its line breaking between characters."""
        frags: list[Any] = []
        runs = 0
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
                    template = self._template(kind, font)
                    if template.us_lines:
                        # reportlab tells underlines apart by their number: clones sharing
                        # the template's would leave all but the last run on a line bare.
                        runs += 1
                        frags.append(
                            template.clone(
                                text=run, us_lines=[(runs, *u[1:]) for u in template.us_lines]
                            )
                        )
                    else:
                        frags.append(template.clone(text=run))
        if not frags:
            frags.append(self._template(PLAIN, SANS).clone(text=""))
        has_cjk = any(frag.fontName == CJK for frag in frags)
        return Paragraph("", self._cjk_style if has_cjk else self.style, frags=frags)

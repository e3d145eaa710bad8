"""Light and dark appearance, and the highlight colours that must read in both and in grayscale.

The span colours come from the Okabe-Ito palette (safe for the common kinds of
colour blindness): exact reproduction in vermillion, near-verbatim in sky
blue. They also differ in lightness and in the underline (solid against dashed),
so a grayscale print or a monochrome screen still tells them apart.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QGuiApplication, QPalette
from PySide6.QtWidgets import QApplication, QStyleFactory


@dataclass(frozen=True)
class SpanColours:
    """Colours for marking spans in a text pane, chosen for the palette's lightness."""

    exact_fill: QColor
    exact_line: QColor
    near_fill: QColor
    near_line: QColor
    current_fill: QColor
    current_text: QColor
    text: QColor

    def fill(self, kind: str) -> QColor:
        return self.exact_fill if kind == "exact" else self.near_fill

    def line(self, kind: str) -> QColor:
        return self.exact_line if kind == "exact" else self.near_line


LIGHT_SPANS = SpanColours(
    exact_fill=QColor("#f6b48a"),  # vermillion tint, darker in grayscale than the blue tint
    exact_line=QColor("#b34700"),
    near_fill=QColor("#d3ebf9"),  # sky blue tint, light in grayscale
    near_line=QColor("#0072b2"),
    current_fill=QColor("#d55e00"),
    current_text=QColor("#ffffff"),
    text=QColor("#1a1a1a"),
)

DARK_SPANS = SpanColours(
    exact_fill=QColor("#8f3f0f"),
    exact_line=QColor("#ff9a5c"),
    near_fill=QColor("#1d4762"),
    near_line=QColor("#7cc8f2"),
    current_fill=QColor("#ff9a5c"),
    current_text=QColor("#111111"),
    text=QColor("#f0f0f0"),
)


def is_dark(palette: QPalette | None = None) -> bool:
    palette = palette or QGuiApplication.palette()
    return palette.color(QPalette.ColorRole.Base).lightness() < 128


def span_colours(palette: QPalette | None = None) -> SpanColours:
    return DARK_SPANS if is_dark(palette) else LIGHT_SPANS


#: WCAG's minimum contrast for text of ordinary size.
READABLE_CONTRAST = 4.5


def contrast_ratio(first: QColor, second: QColor) -> float:
    """WCAG 2 contrast ratio of two colours (1 to 21)."""

    def luminance(colour: QColor) -> float:
        def channel(value: float) -> float:
            return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

        return 0.2126 * channel(colour.redF()) + 0.7152 * channel(colour.greenF()) + 0.0722 * channel(colour.blueF())

    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def problem_colour(palette: QPalette | None = None) -> QColor:
    """A red for a line saying what must be fixed, readable (4.5:1 at least) on the palette's window colour.

    Dark red on a light window, light red on a dark one; lightened or darkened further if the
    palette's own window colour asks for it.
    """
    palette = palette or QGuiApplication.palette()
    background = palette.color(QPalette.ColorRole.Window)
    dark = background.lightness() < 128
    colour = QColor("#ff8a80") if dark else QColor("#b3261e")
    for _ in range(20):
        if contrast_ratio(colour, background) >= READABLE_CONTRAST:
            break
        colour = colour.lighter(110) if dark else colour.darker(110)
    return colour


def dark_palette() -> QPalette:
    p = QPalette()
    window, base, text = QColor("#23272e"), QColor("#1b1e23"), QColor("#e6e6e6")
    disabled = QColor("#7a7f87")
    p.setColor(QPalette.ColorRole.Window, window)
    p.setColor(QPalette.ColorRole.WindowText, text)
    p.setColor(QPalette.ColorRole.Base, base)
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#262a31"))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor("#2f343c"))
    p.setColor(QPalette.ColorRole.ToolTipText, text)
    p.setColor(QPalette.ColorRole.PlaceholderText, disabled)
    p.setColor(QPalette.ColorRole.Text, text)
    p.setColor(QPalette.ColorRole.Button, QColor("#2c3139"))
    p.setColor(QPalette.ColorRole.ButtonText, text)
    p.setColor(QPalette.ColorRole.BrightText, QColor("#ff6b6b"))
    p.setColor(QPalette.ColorRole.Light, QColor("#3a404a"))
    p.setColor(QPalette.ColorRole.Midlight, QColor("#323740"))
    p.setColor(QPalette.ColorRole.Mid, QColor("#2a2e35"))
    p.setColor(QPalette.ColorRole.Dark, QColor("#15171b"))
    p.setColor(QPalette.ColorRole.Shadow, QColor("#000000"))
    p.setColor(QPalette.ColorRole.Highlight, QColor("#3d6fa8"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.Link, QColor("#7cc8f2"))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, disabled)
    return p


def light_palette() -> QPalette:
    p = QPalette()
    p.setColor(QPalette.ColorRole.Window, QColor("#f3f4f6"))
    p.setColor(QPalette.ColorRole.WindowText, QColor("#1f2328"))
    p.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.AlternateBase, QColor("#f6f8fa"))
    p.setColor(QPalette.ColorRole.ToolTipBase, QColor("#ffffdc"))
    p.setColor(QPalette.ColorRole.ToolTipText, QColor("#1f2328"))
    p.setColor(QPalette.ColorRole.PlaceholderText, QColor("#8c959f"))
    p.setColor(QPalette.ColorRole.Text, QColor("#1f2328"))
    p.setColor(QPalette.ColorRole.Button, QColor("#f6f8fa"))
    p.setColor(QPalette.ColorRole.ButtonText, QColor("#1f2328"))
    p.setColor(QPalette.ColorRole.Light, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.Midlight, QColor("#e6e8eb"))
    p.setColor(QPalette.ColorRole.Mid, QColor("#c8ccd1"))
    p.setColor(QPalette.ColorRole.Dark, QColor("#9aa1a9"))
    p.setColor(QPalette.ColorRole.Highlight, QColor("#2f6fb3"))
    p.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    p.setColor(QPalette.ColorRole.Link, QColor("#0969da"))
    for role in (QPalette.ColorRole.WindowText, QPalette.ColorRole.Text, QPalette.ColorRole.ButtonText):
        p.setColor(QPalette.ColorGroup.Disabled, role, QColor("#8c959f"))
    return p


def system_prefers_dark() -> bool:
    hints = QGuiApplication.styleHints()
    return hints.colorScheme() == Qt.ColorScheme.Dark


def apply_theme(app: QApplication, theme: str) -> None:
    """Use the Fusion style (identical on every system) with a light or dark palette."""
    fusion = QStyleFactory.create("Fusion")
    if fusion is not None:
        app.setStyle(fusion)
    dark = theme == "dark" or (theme == "system" and system_prefers_dark())
    app.setPalette(dark_palette() if dark else light_palette())

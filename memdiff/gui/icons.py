"""The application's icons: SVG files under resources/icons, tinted to the palette's text colour.

The SVGs draw with ``currentColor``; :func:`icon` substitutes the colour of
the current palette's text so the same files work in light and dark themes,
and renders each at several sizes so icons stay sharp on high-DPI screens.
"""

from __future__ import annotations

from functools import lru_cache

from PySide6.QtCore import QByteArray, QRectF, Qt
from PySide6.QtGui import QGuiApplication, QIcon, QPainter, QPalette, QPixmap
from PySide6.QtSvg import QSvgRenderer

from memdiff.resources import path as resource_path

#: Sizes (logical pixels) each icon is rendered at; Qt picks the nearest.
SIZES = (16, 20, 24, 32, 48)


def icon_path(name: str) -> str:
    return str(resource_path("icons", f"{name}.svg"))


def _text_colour() -> str:
    app = QGuiApplication.instance()
    palette = QGuiApplication.palette() if app is not None else QPalette()
    return palette.color(QPalette.ColorGroup.Active, QPalette.ColorRole.WindowText).name()


def icon(name: str) -> QIcon:
    """The icon ``name`` (file name without .svg) in the current palette's text colour."""
    return _tinted(name, _text_colour())


def app_icon() -> QIcon:
    """memdiff's own icon, in full colour."""
    return QIcon(icon_path("memdiff"))


@lru_cache(maxsize=128)
def _tinted(name: str, colour: str) -> QIcon:
    with open(icon_path(name), encoding="utf-8") as handle:
        source = handle.read().replace("currentColor", colour)
    renderer = QSvgRenderer(QByteArray(source.encode("utf-8")))
    result = QIcon()
    ratio = 2.0  # render at twice the size: sharp on high-DPI screens, scaled down cleanly elsewhere
    for size in SIZES:
        for mode, opacity in ((QIcon.Mode.Normal, 1.0), (QIcon.Mode.Disabled, 0.35)):
            pixmap = QPixmap(int(size * ratio), int(size * ratio))
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setOpacity(opacity)
            renderer.render(painter, QRectF(0, 0, size * ratio, size * ratio))
            painter.end()
            pixmap.setDevicePixelRatio(ratio)
            result.addPixmap(pixmap, mode)
    return result

"""The image comparison: two zoomable, pannable pictures with the matched regions outlined.

The original's view can also show the model output mapped onto it by the
transform the analysis found (with an opacity slider), and the per-tile
similarity heatmap. Region boxes are in each image's own pixel coordinates,
exactly as the result file states them.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QBrush,
    QColor,
    QFont,
    QImage,
    QPainter,
    QPen,
    QPixmap,
    QTransform,
    QWheelEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QGraphicsItem,
    QGraphicsPixmapItem,
    QGraphicsRectItem,
    QGraphicsScene,
    QGraphicsSimpleTextItem,
    QGraphicsView,
    QWidget,
)

from memdiff.evidence import ImageRegion

OUTLINE = QColor("#d55e00")
OUTLINE_HALO = QColor(255, 255, 255, 200)

#: Zoom limits (view scale factors).
MIN_ZOOM, MAX_ZOOM = 0.02, 40.0


def to_qimage(picture: Any) -> QImage:
    """A Pillow image as a QImage (copied, so the Pillow buffer can go away)."""
    rgb = picture.convert("RGB")
    data = rgb.tobytes("raw", "RGB")
    image = QImage(data, rgb.width, rgb.height, 3 * rgb.width, QImage.Format.Format_RGB888)
    return image.copy()


def suspect_to_original(transform: dict[str, Any], suspect_width: int) -> QTransform:
    """The mapping from output pixels to original pixels stated by the image summary.

    The summary's ``matrix`` (suspect as given to original, mirror included) is
    used when present; otherwise the mapping is rebuilt from the stated
    convention: mirror (x -> width - x) if ``mirrored``, then
    ``x_o = scale*(cos r*x - sin r*y) + dx``, ``y_o = scale*(sin r*x + cos r*y) + dy``.
    """
    matrix = transform.get("matrix")
    if matrix and len(matrix) == 2 and all(len(row) == 3 for row in matrix):
        # The analysis states the full mapping (mirror included) as a 2x3 matrix: use it as is.
        (a, b, c), (d, e, f) = matrix
        return QTransform(float(a), float(d), float(b), float(e), float(c), float(f))
    scale = float(transform.get("scale", 1.0) or 1.0)
    theta = math.radians(float(transform.get("rotation", 0.0) or 0.0))
    cos, sin = math.cos(theta), math.sin(theta)
    # x_o = s(cos*x - sin*y) + dx ; y_o = s(sin*x + cos*y) + dy  (Qt: x' = m11 x + m21 y + dx)
    main = QTransform(
        scale * cos, scale * sin, -scale * sin, scale * cos, float(transform.get("dx", 0.0)), float(transform.get("dy", 0.0))
    )
    if transform.get("mirrored"):
        return QTransform(-1, 0, 0, 1, float(suspect_width), 0) * main
    return main


def heatmap_image(heatmap: dict[str, Any]) -> QImage | None:
    """One pixel per tile: vermillion, more opaque the more similar; clear where the output does not reach."""
    grid = heatmap.get("grid") or []
    if not grid or not grid[0]:
        return None
    rows, columns = len(grid), max(len(r) for r in grid)
    image = QImage(columns, rows, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    for y, row in enumerate(grid):
        for x, value in enumerate(row):
            if value is None:
                continue
            similarity = max(0.0, min(1.0, float(value)))
            # Similar tiles in vermillion, dissimilar ones in blue: both readable in grayscale by strength.
            if similarity >= 0.5:
                colour = QColor(213, 94, 0, int(30 + 100 * (similarity - 0.5) * 2))
            else:
                colour = QColor(0, 114, 178, int(30 + 70 * (0.5 - similarity) * 2))
            image.setPixelColor(x, y, colour)
    return image


class ImageCanvas(QGraphicsView):
    """A picture in a scene: wheel zooms around the mouse, dragging pans."""

    zoomChanged = Signal(float)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setDragMode(QGraphicsView.DragMode.ScrollHandDrag)
        self.setTransformationAnchor(QGraphicsView.ViewportAnchor.AnchorUnderMouse)
        self.setResizeAnchor(QGraphicsView.ViewportAnchor.AnchorViewCenter)
        self.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self._picture: QGraphicsPixmapItem | None = None
        self._overlay: QGraphicsPixmapItem | None = None
        self._heatmap: QGraphicsPixmapItem | None = None
        self._outlines: list[QGraphicsItem] = []
        self._fitted = True

    # ---- content

    def set_picture(self, picture: Any | None) -> None:
        self.scene().clear()
        self._picture = self._overlay = self._heatmap = None
        self._outlines = []
        if picture is None:
            return
        pixmap = QPixmap.fromImage(to_qimage(picture))
        self._picture = self.scene().addPixmap(pixmap)
        self._picture.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self.scene().setSceneRect(QRectF(pixmap.rect()))
        self._fitted = True
        self.fit()

    @property
    def has_picture(self) -> bool:
        return self._picture is not None

    def set_outlines(self, boxes: Sequence[tuple[int, int, int, int]], labels: Sequence[str] | None = None) -> None:
        for item in self._outlines:
            self.scene().removeItem(item)
        self._outlines = []
        labels = list(labels) if labels is not None else [str(i + 1) for i in range(len(boxes))]
        font = QFont()
        font.setBold(True)
        for box, label in zip(boxes, labels, strict=True):
            x0, y0, x1, y1 = box
            rect = QRectF(x0, y0, max(1, x1 - x0), max(1, y1 - y0))
            halo = QGraphicsRectItem(rect)
            halo_pen = QPen(OUTLINE_HALO, 5)
            halo_pen.setCosmetic(True)
            halo.setPen(halo_pen)
            halo.setZValue(20)
            outline = QGraphicsRectItem(rect)
            pen = QPen(OUTLINE, 2.5)
            pen.setCosmetic(True)
            outline.setPen(pen)
            outline.setZValue(21)
            tag = QGraphicsSimpleTextItem(label)
            tag.setFont(font)
            tag.setBrush(QBrush(QColor("white")))
            tag.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            tag.setPos(QPointF(x0, y0))
            tag.setZValue(23)
            back = QGraphicsRectItem(tag.boundingRect().adjusted(-3, -1, 3, 1))
            back.setBrush(QBrush(OUTLINE))
            back.setPen(QPen(Qt.PenStyle.NoPen))
            back.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations)
            back.setPos(QPointF(x0, y0))
            back.setZValue(22)
            for item in (halo, outline, back, tag):
                self.scene().addItem(item)
                self._outlines.append(item)

    def outline_rects(self) -> list[QRectF]:
        return [item.rect() for item in self._outlines if isinstance(item, QGraphicsRectItem) and item.zValue() == 21]

    def set_outlines_visible(self, visible: bool) -> None:
        for item in self._outlines:
            item.setVisible(visible)

    def set_overlay(self, picture: Any | None, transform: QTransform | None, opacity: float = 0.5) -> None:
        """Show ``picture`` mapped by ``transform`` over this view's picture (None removes it)."""
        if self._overlay is not None:
            self.scene().removeItem(self._overlay)
            self._overlay = None
        if picture is None or transform is None:
            return
        self._overlay = self.scene().addPixmap(QPixmap.fromImage(to_qimage(picture)))
        self._overlay.setTransformationMode(Qt.TransformationMode.SmoothTransformation)
        self._overlay.setTransform(transform)
        self._overlay.setOpacity(opacity)
        self._overlay.setZValue(5)

    @property
    def overlay(self) -> QGraphicsPixmapItem | None:
        return self._overlay

    def set_overlay_opacity(self, opacity: float) -> None:
        if self._overlay is not None:
            self._overlay.setOpacity(opacity)

    def set_heatmap(self, heatmap: dict[str, Any] | None) -> None:
        if self._heatmap is not None:
            self.scene().removeItem(self._heatmap)
            self._heatmap = None
        if not heatmap:
            return
        image = heatmap_image(heatmap)
        tile = heatmap.get("tile") or [1, 1]
        if image is None:
            return
        self._heatmap = self.scene().addPixmap(QPixmap.fromImage(image))
        # Each heatmap pixel is one tile; nearest-neighbour scaling keeps tile edges crisp.
        self._heatmap.setTransformationMode(Qt.TransformationMode.FastTransformation)
        self._heatmap.setTransform(QTransform.fromScale(float(tile[0]), float(tile[1])))
        self._heatmap.setZValue(10)

    @property
    def heatmap(self) -> QGraphicsPixmapItem | None:
        return self._heatmap

    # ---- zoom

    @property
    def zoom(self) -> float:
        return self.transform().m11()

    def set_zoom(self, factor: float) -> None:
        factor = max(MIN_ZOOM, min(MAX_ZOOM, factor))
        self.setTransform(QTransform.fromScale(factor, factor))
        self._fitted = False
        self.zoomChanged.emit(factor)

    def zoom_by(self, factor: float) -> None:
        self.set_zoom(self.zoom * factor)

    def fit(self) -> None:
        if self._picture is None:
            return
        self.fitInView(self._picture, Qt.AspectRatioMode.KeepAspectRatio)
        # A little air around the picture, so its edges and outlines are not cut by the frame.
        self.scale(0.97, 0.97)
        self._fitted = True
        self.zoomChanged.emit(self.zoom)

    def center_on_box(self, box: tuple[int, int, int, int]) -> None:
        x0, y0, x1, y1 = box
        self.centerOn(QPointF((x0 + x1) / 2, (y0 + y1) / 2))

    def wheelEvent(self, event: QWheelEvent) -> None:
        steps = event.angleDelta().y() / 120
        if steps and not (event.modifiers() & Qt.KeyboardModifier.ShiftModifier):
            self.zoom_by(1.25**steps)
            event.accept()
            return
        super().wheelEvent(event)

    def resizeEvent(self, event: Any) -> None:
        super().resizeEvent(event)
        if self._fitted:
            self.fit()


def region_boxes(regions: Sequence[ImageRegion], side: str) -> list[tuple[int, int, int, int]]:
    return [tuple(r.original if side == "original" else r.suspect) for r in regions]  # type: ignore[misc]

"""Image mode: a cropped, rescaled, mirrored copy of a photograph, shown side by side."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import QPointF

from gui_support import load_both

PHOTO = Path(__file__).resolve().parents[1] / "data" / "images" / "chelsea.jpg"


@pytest.fixture
def pictures(tmp_path):
    photo = Image.open(PHOTO).convert("RGB")
    w, h = photo.size
    original = tmp_path / "painting.png"
    photo.save(original)
    copy = (
        photo.crop((w // 5, h // 6, w * 4 // 5, h * 5 // 6))
        .resize((int(w * 0.48), int(h * 0.53)))
        .transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    )
    output = tmp_path / "generated.png"
    copy.save(output)
    return original, output


def test_image_comparison_shows_regions_hashes_overlay_and_heatmap(qtbot, window, pictures):
    comparison = load_both(qtbot, window, *pictures, timeout=60_000)
    assert comparison.mode == "image"
    summary = comparison.summary
    assert summary.match and comparison.regions
    original_view = window.sides["original"].picture
    output_view = window.sides["suspect"].picture
    assert window.sides["original"].stack.currentWidget() is original_view
    assert window.image_controls.isVisible()
    assert "px" in window.sides["suspect"].facts.full_text()

    # Each region outlined on both pictures, at its own pixel coordinates.
    def boxes(view):
        return sorted((round(r.left()), round(r.top()), round(r.right()), round(r.bottom())) for r in view.outline_rects())

    assert boxes(original_view) == sorted(tuple(r.original) for r in comparison.regions)
    assert boxes(output_view) == sorted(tuple(r.suspect) for r in comparison.regions)

    # The hash table lists every hash with its distance.
    assert window.hash_table.rowCount() == len(summary.hashes)
    names = {window.hash_table.item(r, 0).text() for r in range(window.hash_table.rowCount())}
    assert names == set(summary.hashes)
    assert window.region_table.rowCount() == len(comparison.regions)
    assert summary.verdict[:1].upper() in window.summary.headline.text()

    # The output laid over the original: the centre of a matched box lands in its counterpart.
    window.overlay_box.setChecked(True)
    overlay = original_view.overlay
    assert overlay is not None and overlay.opacity() == pytest.approx(0.5)
    region = comparison.regions[0]
    sx = (region.suspect[0] + region.suspect[2]) / 2
    sy = (region.suspect[1] + region.suspect[3]) / 2
    mapped = overlay.transform().map(QPointF(sx, sy))
    ox = (region.original[0] + region.original[2]) / 2
    oy = (region.original[1] + region.original[3]) / 2
    tolerance = 0.1 * max(region.original[2] - region.original[0], region.original[3] - region.original[1])
    assert abs(mapped.x() - ox) < tolerance and abs(mapped.y() - oy) < tolerance
    window.opacity.setValue(80)
    assert overlay.opacity() == pytest.approx(0.8)
    window.overlay_box.setChecked(False)
    assert original_view.overlay is None

    # The heatmap covers the original, one cell per tile.
    window.heatmap_box.setChecked(True)
    heat = original_view.heatmap
    assert heat is not None
    tile = summary.heatmap["tile"]
    assert heat.pixmap().width() == len(summary.heatmap["grid"][0])
    assert heat.transform().m11() == pytest.approx(tile[0])
    window.outlines_box.setChecked(False)
    assert not any(item.isVisible() for item in original_view._outlines)

    # Zooming: linked, so both pictures follow.
    before = output_view.zoom
    original_view.zoom_by(2.0)
    assert output_view.zoom == pytest.approx(original_view.zoom)
    assert output_view.zoom != pytest.approx(before)
    window.fit_images()
    assert window.parameters_panel.min_words.isEnabled() is False  # text settings do not apply to pictures


def test_a_failed_comparison_puts_away_the_picture_controls(qtbot, window, pictures, samples):
    load_both(qtbot, window, *pictures, timeout=60_000)
    assert window.image_controls.isVisible()
    assert not window.parameters_panel.min_words.isEnabledTo(window)
    # A text as the model output beside a picture: the comparison cannot be made.
    with qtbot.waitSignal(window.comparisonFailed, timeout=30_000):
        window.load_file("suspect", samples["output"])
    assert not window.image_controls.isVisible()
    assert window.parameters_panel.min_words.isEnabledTo(window)
    assert window.bottom.currentWidget() is window._text_page
    assert window.statusBar().currentMessage() != "Comparison finished."
    assert window.told.levels() == ["error"]


def test_the_picture_controls_wrap_on_a_small_screen(qtbot, window, pictures):
    load_both(qtbot, window, *pictures, timeout=60_000)
    window.resize(1400, 900)
    qtbot.wait(30)
    assert len(window.image_controls.rows()) == 1
    # One row needs about 880 points: at 800 wide the controls take two rows and the window fits.
    assert window.minimumSizeHint().width() <= 800
    window.resize(800, 600)
    qtbot.waitUntil(lambda: window.width() == 800)
    qtbot.wait(30)
    assert len(window.image_controls.rows()) >= 2
    for control in (window.outlines_box, window.overlay_box, window.opacity, window.link_zoom):
        right = control.mapTo(window, control.rect().topRight()).x()
        assert control.isVisible() and right <= window.image_controls.mapTo(window, window.image_controls.rect().topRight()).x()

"""The summary warns when both sides are the same file; the table shows the page column only for an original with pages."""

from __future__ import annotations

from PIL import Image

from memdiff.gui.span_table import SpanTableModel

from gui_support import load_both

PAGE_COLUMN = SpanTableModel.COLUMNS.index("original_pages")


def test_the_same_file_on_both_sides_is_named_as_such(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["original"])
    warning = window.summary.warning
    assert warning.isVisible()
    assert warning.text().startswith("Both sides are the same file (same SHA-256)")
    assert "100" in window.summary.headline.text()  # the figures are still shown, under the warning
    window.grab().save(str(tmp_path / "same-file.png"))
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.load_file("suspect", samples["output"])
    assert not warning.isVisible()


def test_a_copy_under_another_name_is_the_same_file_too(qtbot, window, samples, tmp_path):
    copy = tmp_path / "renamed.txt"
    copy.write_bytes(samples["original"].read_bytes())
    load_both(qtbot, window, samples["original"], copy)
    assert window.summary.warning.isVisible()


def test_no_page_column_beside_a_picture_or_a_plain_text(qtbot, window, samples, tmp_path):
    assert window.table.isColumnHidden(PAGE_COLUMN)  # nothing loaded yet
    picture = tmp_path / "photo.png"
    Image.radial_gradient("L").convert("RGB").resize((320, 240)).save(picture)
    with qtbot.waitSignal(window.comparisonFailed, timeout=30_000):
        window.load_file("original", picture)
        window.load_file("suspect", samples["output"])
    assert window.table.isColumnHidden(PAGE_COLUMN)
    window.grab().save(str(tmp_path / "picture-vs-text.png"))
    load_both(qtbot, window, samples["original"], samples["output"])
    assert window.table.isColumnHidden(PAGE_COLUMN)

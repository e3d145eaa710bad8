"""What a paralegal driving the window found: greyed-out settings without a reason, an idle Swap sides,
a help page naming an underline the panes do not draw, and a Tab order that jumps about the screen."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QTextCharFormat
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QMessageBox

from memdiff.gui.reading_help import reading_the_results_html
from memdiff.gui.main_window import legend_tip
from memdiff.gui.text_pane import span_format
from memdiff.gui.theme import span_colours

from gui_support import load_both

PHOTO = Path(__file__).resolve().parents[1] / "data" / "images" / "chelsea.jpg"

#: How the help names each underline style a pane may draw.
UNDERLINE_WORDS = {
    QTextCharFormat.UnderlineStyle.SingleUnderline: "solid underline",
    QTextCharFormat.UnderlineStyle.DashUnderline: "dashed underline",
    QTextCharFormat.UnderlineStyle.DotLine: "dotted underline",
    QTextCharFormat.UnderlineStyle.WaveUnderline: "wavy underline",
}


@pytest.fixture
def pictures(tmp_path):
    photo = Image.open(PHOTO).convert("RGB")
    w, h = photo.size
    original = tmp_path / "painting.png"
    photo.save(original)
    output = tmp_path / "generated.png"
    photo.crop((w // 5, h // 6, w * 4 // 5, h * 5 // 6)).resize((int(w * 0.5), int(h * 0.5))).save(output)
    return original, output


def test_picture_mode_says_why_the_text_settings_are_greyed_out(qtbot, window, pictures, samples):
    panel = window.parameters_panel
    assert panel.pictures_note.isHidden()  # nothing to explain while texts (or nothing) are compared
    load_both(qtbot, window, *pictures, timeout=60_000)
    assert not panel.min_words.isEnabled()
    assert panel.pictures_note.isVisible()
    assert "Pictures are compared with fixed settings" in panel.pictures_note.text()
    # The line sits in the panel, above the settings it explains.
    assert panel.pictures_note.y() < panel.min_words.mapTo(panel, panel.min_words.rect().topLeft()).y()
    load_both(qtbot, window, samples["original"], samples["output"])
    assert panel.min_words.isEnabled() and panel.pictures_note.isHidden()


def test_swap_sides_is_enabled_only_when_there_is_something_to_swap(qtbot, window, samples):
    assert not window.swap_action.isEnabled()
    with qtbot.waitSignal(window.documentLoaded, timeout=10_000):
        window.load_file("original", samples["original"])
    assert window.swap_action.isEnabled()
    window.swap_action.trigger()
    assert window.documents["original"] is None and window.documents["suspect"].name == "original.txt"
    window.told.answers.append(QMessageBox.StandardButton.Discard)  # "Save the case?" - Don't save
    window.new_case()
    assert window.documents == {"original": None, "suspect": None}
    assert not window.swap_action.isEnabled()


def test_help_and_legend_name_the_underlines_the_panes_draw(qtbot, window, samples):
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    window.show_span(next(s.id for s in comparison.spans if s.kind == "near"))
    drawn = {}
    kinds = {(s.original.start, s.original.end): s.kind for s in comparison.spans}
    for selection in window.original_pane.extraSelections():
        key = (selection.cursor.selectionStart(), selection.cursor.selectionEnd())
        drawn[kinds[key]] = QTextCharFormat(selection.format).underlineStyle()
    help_page, tip = reading_the_results_html(), legend_tip()
    for kind in ("exact", "near"):
        word = UNDERLINE_WORDS[drawn[kind]]
        assert word in help_page and word in tip
    for other in set(UNDERLINE_WORDS.values()) - {UNDERLINE_WORDS[drawn["exact"]], UNDERLINE_WORDS[drawn["near"]]}:
        assert other not in help_page and other not in tip
    # Each legend chip is painted with the panes' own format: its underline colour appears under the word.
    colours = span_colours(window.palette())
    for chip in window.summary.legend.chips:
        assert span_format(colours, chip.kind).underlineStyle() == drawn[chip.kind]
        image = chip.grab().toImage()
        line = QColor(colours.line(chip.kind))
        assert any(image.pixelColor(x, y) == line for x in range(image.width()) for y in range(image.height()))


def _tab_walk(window, start, steps):
    """The widgets Tab reaches from ``start``, as a keyboard user meets them."""
    window.activateWindow()
    start.setFocus(Qt.FocusReason.TabFocusReason)
    reached = [QApplication.focusWidget()]
    for _ in range(steps):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        reached.append(QApplication.focusWidget())
    return reached


def test_tab_follows_the_screen_in_text_mode(qtbot, window, samples):
    load_both(qtbot, window, samples["original"], samples["output"])
    original, output, panel = window.sides["original"], window.sides["suspect"], window.parameters_panel
    expected = [
        original.open_button, original.copy_hash_button, original.text,
        output.open_button, output.paste_button, output.copy_hash_button, output.text,
        window.kind_filter, window.table,
        panel.min_words, panel.near, panel.min_similarity, *panel._switches(), panel.defaults,
        original.open_button,  # and round again
    ]
    reached = _tab_walk(window, original.open_button, len(expected) - 1)
    assert [w.objectName() or type(w).__name__ for w in reached] == [w.objectName() or type(w).__name__ for w in expected]
    assert reached == expected
    # Every stop can be named by a screen reader (a text, or an accessible name).
    for widget in reached:
        assert widget.accessibleName() or (callable(getattr(widget, "text", None)) and widget.text()) \
            or widget is window.kind_filter, widget


def test_tab_reaches_the_picture_controls_before_the_pictures(qtbot, window, pictures):
    load_both(qtbot, window, *pictures, timeout=60_000)
    window.overlay_box.setChecked(True)  # the opacity slider takes part once the overlay is shown
    original, output = window.sides["original"], window.sides["suspect"]
    expected = [
        window.outlines_box, window.heatmap_box, window.overlay_box, window.opacity, *window.zoom_buttons,
        window.link_zoom,
        original.open_button, original.copy_hash_button, original.picture,
        output.open_button, output.paste_button, output.copy_hash_button, output.picture,
        window.hash_table, window.region_table,
        window.outlines_box,  # the text settings are greyed out in picture mode: round again
    ]
    expected = [w for w in expected if w.isEnabled()]
    reached = _tab_walk(window, window.outlines_box, len(expected) - 1)
    assert reached == expected
    assert all(button.accessibleName() for button in window.zoom_buttons)


@pytest.mark.parametrize("slash", ["", "/"])
def test_a_folder_typed_as_save_as_gets_the_report_inside_it_shown_before_writing(qtbot, tmp_path, slash):
    from memdiff.gui.export_dialog import ExportDialog

    folder = tmp_path / "Exhibits"
    folder.mkdir()
    (folder / "Doe - memdiff report.pdf").write_bytes(b"%PDF- an earlier report")
    dialog = ExportDialog({}, {}, str(tmp_path / "Doe - memdiff report.pdf"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.path.setText(str(folder) + slash)
    inside = folder / "Doe - memdiff report (2).pdf"  # the suggested name, free in that folder
    assert dialog.pdf_path() == inside and dialog.validation_problem() is None
    accepted = []
    dialog.accepted.connect(lambda: accepted.append(True))
    # The first Export shows the file's path in the field (and says why) instead of writing beside the folder.
    dialog.export_button.click()
    assert accepted == [] and dialog.path.text() == str(inside)
    assert dialog.path_note.isVisible() and inside.name in dialog.path_note.text()
    assert not (tmp_path / "Exhibits.pdf").exists()
    # The second writes there.
    dialog.export_button.click()
    assert accepted == [True] and dialog.request().pdf_path == inside


def test_leaving_a_folder_typed_as_save_as_fills_in_the_file_name(qtbot, tmp_path):
    from memdiff.gui.export_dialog import ExportDialog

    dialog = ExportDialog({}, {}, str(tmp_path / "a vs b - memdiff report.pdf"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.path.setFocus()
    dialog.path.selectAll()
    QTest.keyClicks(dialog.path, str(tmp_path))
    QTest.keyClick(dialog.path, Qt.Key.Key_Tab)
    assert dialog.path.text() == str(tmp_path / "a vs b - memdiff report.pdf")
    # A folder named like the report itself is still refused, as the write would refuse it.
    (tmp_path / "b.pdf").mkdir()
    dialog.path.setText(str(tmp_path / "b.pdf"))
    assert dialog.validation_problem() is not None and "folder" in dialog.validation_problem()

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

"""The export dialog as a keyboard user and a small screen meet it: Enter exports, numbers take typing, it fits."""

from __future__ import annotations

import re

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QPalette
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel

from memdiff.gui.export_dialog import ExportDialog


def _dialog(qtbot, tmp_path, front=None, provenance=None) -> ExportDialog:
    dialog = ExportDialog(front or {}, provenance or {}, str(tmp_path / "report.pdf"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    return dialog


def test_enter_in_a_field_exports_and_does_not_browse(qtbot, tmp_path, monkeypatch):
    browsed = []
    monkeypatch.setattr(ExportDialog, "_browse", lambda self: browsed.append(True))
    dialog = _dialog(qtbot, tmp_path)
    assert dialog.focusWidget() is dialog.court  # typing starts in the first field
    assert dialog.export_button.isDefault()
    assert not dialog.browse_button.isDefault() and not dialog.browse_button.autoDefault()
    dialog.examiner.setFocus()
    with qtbot.waitSignal(dialog.accepted, timeout=2_000):
        QTest.keyClick(dialog.examiner, Qt.Key.Key_Return)
    assert browsed == []


def test_numbers_take_typing_after_a_mouse_click(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path, front={"bates_start": 9})
    for field, digits, expected in ((dialog.bates_start, "1201", 1201), (dialog.attempts, "3", 3)):
        QTest.mouseClick(field, Qt.MouseButton.LeftButton, pos=QPoint(field.width() // 2, field.height() // 2))
        qtbot.wait(20)
        QTest.keyClicks(field, digits)
        assert field.value() == expected
    # Letters are refused; an empty field means "not stated".
    QTest.keyClicks(dialog.attempts, "x")
    assert dialog.attempts.value() == 3
    dialog.attempts.clear()
    assert dialog.provenance()["attempts"] is None
    assert dialog.front_matter()["bates_start"] == 1201


def test_a_number_reached_again_is_replaced_by_typing(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path, front={"bates_start": 5})
    dialog.bates_prefix.setFocus()
    QTest.keyClick(dialog.bates_prefix, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.bates_start
    qtbot.wait(20)
    QTest.keyClicks(dialog.bates_start, "77")
    assert dialog.bates_start.value() == 77


def test_the_bates_message_goes_when_the_number_is_given(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path)
    qtbot.keyClicks(dialog.bates_prefix, "PLTF-")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.problem.isVisible() and "starting number" in dialog.problem.text()
    qtbot.keyClicks(dialog.bates_start, "1")
    assert not dialog.problem.isVisible()


def test_the_buttons_stay_on_a_short_screen(qtbot, tmp_path):
    dialog = _dialog(qtbot, tmp_path)
    assert dialog.minimumSizeHint().height() < 420
    dialog.resize(640, 420)
    qtbot.wait(50)
    # The form scrolls, the buttons are inside the dialog's 420 points.
    assert dialog.form_area.verticalScrollBar().maximum() > 0
    bottom = dialog.export_button.mapTo(dialog, QPoint(0, dialog.export_button.height())).y()
    assert bottom <= dialog.height()
    # Tabbing to a field below the fold scrolls it into view.
    dialog.generated_on.setFocus()
    QTest.keyClick(dialog.generated_on, Qt.Key.Key_Tab)
    QTest.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.sampling
    qtbot.wait(50)
    assert dialog.form_area.verticalScrollBar().value() > 0


def mnemonics(widget) -> list[str]:
    """The Alt+letter of every label, button and group box under ``widget`` (hidden ones too)."""
    texts = [w.text() for w in widget.findChildren(QLabel)]
    texts += [w.text() for w in widget.findChildren(QAbstractButton)]
    texts += [w.title() for w in widget.findChildren(QGroupBox)]
    found = []
    for text in texts:
        match = re.search(r"&([^&\s])", text.replace("&&", ""))
        if match and "<" not in text:
            found.append(match.group(1).lower())
    return found


def test_each_alt_letter_goes_to_one_control(qtbot, tmp_path):
    letters = mnemonics(_dialog(qtbot, tmp_path))
    assert len(letters) > 10
    assert sorted(letters) == sorted(set(letters)), letters


@pytest.mark.parametrize("theme", ["light", "dark"])
def test_the_problem_line_reads_in_both_themes_and_the_focus_goes_to_the_fix(qtbot, qapp, tmp_path, theme):
    from memdiff.gui.theme import READABLE_CONTRAST, apply_theme, contrast_ratio

    apply_theme(qapp, theme)
    dialog = _dialog(qtbot, tmp_path)
    dialog.bates_prefix.setText("PLTF-")
    dialog.case_title.setFocus()
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.problem.isVisible()
    shown = dialog.problem.palette().color(dialog.problem.foregroundRole())
    background = dialog.palette().color(QPalette.ColorRole.Window)
    assert contrast_ratio(shown, background) >= READABLE_CONTRAST
    assert dialog.focusWidget() is dialog.bates_start
    dialog.grab().save(str(tmp_path / f"export-problem-{theme}.png"))
    # An empty destination sends the cursor to the Save-as field.
    dialog.bates_start.setText("1")
    dialog.path.setText("")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.focusWidget() is dialog.path

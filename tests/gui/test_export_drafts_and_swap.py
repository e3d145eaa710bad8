"""What the user typed stays with the case: a cancelled Export dialog keeps it as a draft, and Swap sides keeps the provenance."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt

from gui_support import load_both


def test_escape_in_the_export_dialog_keeps_what_was_typed(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    window.settings.examiner = "Dr. Before"
    dialog = window.export_report()
    qtbot.keyClicks(dialog.case_title, "Doe v. ExampleAI")
    qtbot.keyClicks(dialog.model, "ModelX")
    dialog.prompt.setPlainText("Print the first chapter of Alice, word for word.")
    dialog.examiner.setText("Dr. Typed")
    qtbot.keyClick(dialog.case_title, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    again = window.export_report()
    assert again.case_title.text() == "Doe v. ExampleAI"
    assert again.model.text() == "ModelX"
    assert again.prompt.toPlainText() == "Print the first chapter of Alice, word for word."
    assert again.examiner.text() == "Dr. Typed"
    again.reject()
    # A draft of the case, not yet the user's preference, and saved with the case.
    assert window.settings.examiner == "Dr. Before"
    assert window.has_unsaved_work
    saved = window.save_case(path=tmp_path / "draft.memdiff")
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["front_matter"]["case_title"] == "Doe v. ExampleAI" and data["provenance"]["model"] == "ModelX"


def test_a_dialog_cancelled_untouched_changes_nothing(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    window.save_case(path=tmp_path / "case.memdiff")
    window.export_report().reject()
    assert window.front_matter == {} and window.provenance == {}
    assert not window.has_unsaved_work


def test_swapping_sides_keeps_the_provenance(qtbot, window, samples):
    load_both(qtbot, window, samples["original"], samples["output"])
    window.provenance = {"model": "ModelX", "prompt": "a prompt", "sampling": "temperature 0"}
    window.front_matter = {"case_title": "Doe v. X"}
    for _ in range(2):
        with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
            window.swap_sides()
        assert window.provenance["model"] == "ModelX" and window.provenance["sampling"] == "temperature 0"
        assert window.front_matter == {"case_title": "Doe v. X"}
        assert "entered again" not in window.statusBar().currentMessage()
    assert window.documents["suspect"].name == "model-output.txt"
    dialog = window.export_report()
    assert dialog.model.text() == "ModelX"
    dialog.reject()
    # Another output (not a swap) still starts with blank provenance.
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.load_file("suspect", samples["unrelated"])
    assert window.provenance == {}

"""Locating a case's missing input: a different file is called different (and stays marked as such), and a
moved file's new place is remembered once the case is saved."""

from __future__ import annotations

import json

from PySide6.QtWidgets import QMessageBox

from memdiff.gui.export_dialog import ExportRequest

from gui_support import load_both


def _case_with_original_gone(qtbot, window, samples, tmp_path, *, keep_at=None):
    """Save a case of the two samples, then take the original away (or move it to ``keep_at``)."""
    load_both(qtbot, window, samples["original"], samples["output"])
    case = window.save_case(path=tmp_path / "case.memdiff")
    recorded_sha = window.documents["original"].sha256
    if keep_at is None:
        samples["original"].unlink()
    else:
        keep_at.parent.mkdir(parents=True, exist_ok=True)
        samples["original"].rename(keep_at)
    assert not window.has_unsaved_work  # just saved: a new case asks nothing
    window.new_case()
    return case, recorded_sha


def test_locating_another_file_says_it_is_not_the_recorded_one_and_keeps_saying_so(qtbot, window, samples, tmp_path):
    case, recorded_sha = _case_with_original_gone(qtbot, window, samples, tmp_path)
    window.told.messages.clear()
    window.told.answers.append(QMessageBox.StandardButton.Open)  # "Locate…"
    window.chosen_paths.append(str(samples["unrelated"]))
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        assert window.open_case(case)
    picked = window.documents["original"]
    assert picked.name == "unrelated-output.txt" and picked.sha256 != recorded_sha
    assert window.told.levels() == ["warning", "warning"]
    said = window.told.texts()[1]
    # True words: the picked file is named as picked, the recorded one as recorded, with both digests.
    assert "has changed since" not in said
    assert "unrelated-output.txt, is not the original work this case recorded, original.txt" in said
    assert f"recorded {recorded_sha[:16]}…, this file {picked.sha256[:16]}…" in said
    assert window.told.messages[1][1] == "Not the file the case recorded"

    # After the dialog the side itself keeps saying so, in the header under the SHA-256.
    note = window.sides["original"].record_note
    assert note.isVisible() and "original.txt" in note.text() and recorded_sha[:16] in note.text()
    assert window.sides["suspect"].record_note.isHidden()
    assert window.has_unsaved_work

    # Export says it too, and the report records the file actually compared.
    dialog = window.export_report()
    assert dialog.notice.isVisible()
    assert "unrelated-output.txt" in dialog.notice.text() and "original.txt" in dialog.notice.text()
    dialog.reject()
    with qtbot.waitSignal(window.exportFinished, timeout=90_000):
        window.start_export(ExportRequest(tmp_path / "report.pdf", {}, {}))
    result = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert result["original"]["sha256"] == picked.sha256 and result["original"]["name"] == "unrelated-output.txt"

    # Saving (and answering Save to "Record the changed input?") makes the picked file the case's: the line goes.
    window.told.answers.append(QMessageBox.StandardButton.Save)
    assert window.save_case() == case
    assert note.isHidden() and not window.has_unsaved_work
    data = json.loads(case.read_text(encoding="utf-8"))
    assert data["original"]["sha256"] == picked.sha256
    assert [e["sha256"] for e in data["original"]["earlier"]] == [recorded_sha]


def test_the_line_goes_when_the_recorded_file_is_loaded_again(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    window.save_case(path=tmp_path / "case.memdiff")
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.load_file("original", samples["unrelated"])
    assert window.sides["original"].record_note.isVisible()
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.load_file("original", samples["original"])
    assert window.sides["original"].record_note.isHidden()


def test_a_moved_input_located_by_hand_is_remembered_when_the_case_is_saved(qtbot, window, samples, tmp_path):
    moved = tmp_path / "archive" / "renamed original.txt"
    case, recorded_sha = _case_with_original_gone(qtbot, window, samples, tmp_path, keep_at=moved)
    window.told.messages.clear()
    window.told.answers.append(QMessageBox.StandardButton.Open)  # "Locate…"
    window.chosen_paths.append(str(moved))
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        assert window.open_case(case)
    assert window.documents["original"].sha256 == recorded_sha
    assert window.told.levels() == ["warning"]  # the missing-input question only: the same bytes
    assert window.sides["original"].record_note.isHidden()
    # The new place is a change worth saving: closing offers to save it ...
    assert window.has_unsaved_work
    window.told.answers.append(QMessageBox.StandardButton.Save)
    assert window.keep_unsaved_work("closing memdiff")
    assert window.told.messages[-1][1] == "Save the case?"
    assert json.loads(case.read_text(encoding="utf-8"))["original"]["path"] == str(moved)
    assert not window.has_unsaved_work
    # ... and the case then finds the file by itself.
    window.told.messages.clear()
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        assert window.open_case(case)
    assert window.told.messages == [] and window.documents["original"].path == str(moved)
    assert not window.has_unsaved_work


def test_locating_then_choosing_another_file_forgets_the_located_place(qtbot, window, samples, tmp_path):
    moved = tmp_path / "archive" / "original.txt"
    case, _ = _case_with_original_gone(qtbot, window, samples, tmp_path, keep_at=moved)
    window.told.answers.append(QMessageBox.StandardButton.Open)
    window.chosen_paths.append(str(moved))
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.open_case(case)
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.load_file("original", samples["unrelated"])
    assert window._located == {}
    assert window.sides["original"].record_note.isVisible()


def test_a_moved_input_opened_with_file_open_is_a_change_too(qtbot, window, samples, tmp_path):
    moved = tmp_path / "archive" / "original.txt"
    case, recorded_sha = _case_with_original_gone(qtbot, window, samples, tmp_path, keep_at=moved)
    window.told.answers.append(QMessageBox.StandardButton.Ignore)  # "Go on without it"
    with qtbot.waitSignal(window.documentLoaded, timeout=10_000):
        window.open_case(case)
    assert not window.has_unsaved_work
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.load_file("original", moved)
    assert window.documents["original"].sha256 == recorded_sha
    assert window.has_unsaved_work
    assert window.save_case() == case
    assert json.loads(case.read_text(encoding="utf-8"))["original"]["path"] == str(moved)
    assert not window.has_unsaved_work


def test_a_case_moved_with_its_inputs_is_no_change(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    case = window.save_case(path=tmp_path / "case.memdiff")
    window.new_case()
    moved = tmp_path.parent / (tmp_path.name + " moved")
    tmp_path.rename(moved)
    try:
        with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
            assert window.open_case(moved / case.name)
        assert window.told.messages == [] and not window.has_unsaved_work
    finally:
        moved.rename(tmp_path)

"""New case, Open case and closing the window ask before unsaved work (inputs, caption, provenance) is thrown away."""

from __future__ import annotations

import json

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox

from gui_support import load_both

Button = QMessageBox.StandardButton


def _with_caption(qtbot, window, samples):
    load_both(qtbot, window, samples["original"], samples["output"])
    window.front_matter = {"case_title": "Doe v. X"}
    window.provenance = {"model": "M1", "prompt": "a prompt"}


def test_ctrl_n_asks_and_cancel_keeps_the_case(qtbot, window, samples):
    _with_caption(qtbot, window, samples)
    assert window.has_unsaved_work
    window.told.answers.append(Button.Cancel)
    window.activateWindow()
    QTest.keyClick(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert window.told.texts("question") and "Save the case before starting a new case" in window.told.texts()[0]
    assert window.told.labels[0][Button.Discard] == "Don't save"
    assert all(window.documents.values())
    assert window.front_matter == {"case_title": "Doe v. X"} and window.provenance["model"] == "M1"


def test_discarding_starts_the_new_case(qtbot, window, samples):
    _with_caption(qtbot, window, samples)
    window.told.answers.append(Button.Discard)
    window.new_case()
    assert window.documents == {"original": None, "suspect": None}
    assert window.front_matter == {} and window.provenance == {}
    # Nothing left to lose: the next New case asks nothing.
    window.new_case()
    assert len(window.told.messages) == 1


def test_saving_first_writes_the_case_then_starts_afresh(qtbot, window, samples, tmp_path):
    _with_caption(qtbot, window, samples)
    target = tmp_path / "doe.memdiff"
    window.choose_save_path = lambda title, suggested, filters: str(target)
    window.told.answers.append(Button.Save)
    window.new_case()
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["front_matter"]["case_title"] == "Doe v. X" and data["provenance"]["model"] == "M1"
    assert window.documents == {"original": None, "suspect": None}


def test_a_save_cancelled_in_the_file_chooser_keeps_the_case(qtbot, window, samples):
    _with_caption(qtbot, window, samples)
    window.told.answers.append(Button.Save)  # and then no file chosen
    window.new_case()
    assert all(window.documents.values()) and window.front_matter


def test_a_saved_or_reopened_case_is_not_unsaved_work(qtbot, window, samples, tmp_path):
    _with_caption(qtbot, window, samples)
    saved = window.save_case(path=tmp_path / "case.memdiff")
    assert not window.has_unsaved_work
    window.new_case()
    assert window.told.messages == []
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.open_case(saved)
    assert not window.has_unsaved_work
    window.provenance = {**window.provenance, "attempts": 4}
    assert window.has_unsaved_work


def test_open_case_asks_before_choosing(qtbot, window, samples):
    _with_caption(qtbot, window, samples)
    asked_for_a_file = []
    window.choose_open_path = lambda title, filters: asked_for_a_file.append(title)
    window.told.answers.append(Button.Cancel)
    window.choose_and_open_case()
    assert "opening another case" in window.told.texts()[0]
    assert asked_for_a_file == [] and all(window.documents.values())


def test_closing_the_window_asks(qtbot, window, samples):
    _with_caption(qtbot, window, samples)
    window.told.answers.append(Button.Cancel)
    window.close()
    assert window.isVisible()
    assert "closing memdiff" in window.told.texts()[0]
    window.told.answers.append(Button.Discard)
    window.close()
    assert not window.isVisible()


def test_a_case_whose_inputs_were_moved_can_be_saved_when_closing(qtbot, window, samples, tmp_path):
    """Neither input found, a setting changed: answering Save writes the case (its recorded inputs and the
    new setting) and the window closes; Save must never be the one answer that keeps the window open."""
    load_both(qtbot, window, samples["original"], samples["output"])
    saved = window.save_case(path=tmp_path / "case.memdiff")
    recorded = {side: window.documents[side].sha256 for side in ("original", "suspect")}
    elsewhere = tmp_path / "moved"
    elsewhere.mkdir()
    for key in ("original", "output"):
        samples[key].rename(elsewhere / samples[key].name)
    window.new_case()

    window.told.answers += [Button.Ignore, Button.Ignore]  # "Go on without it", for each side
    assert window.open_case(saved) is True
    assert window.documents == {"original": None, "suspect": None}
    assert not window.has_unsaved_work
    assert window.save_case_action.isEnabled() and window.save_case_as_action.isEnabled()
    window.parameters_panel.min_words.setValue(17)
    assert window.has_unsaved_work

    window.told.answers.append(Button.Save)
    window.close()
    assert window.told.texts("question")[-1].endswith("Save the case before closing memdiff?")
    assert not window.isVisible()
    assert "Nothing to save" not in [m[1] for m in window.told.messages]
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["parameters"]["min_words"] == 17
    for side in ("original", "suspect"):
        assert data[side]["sha256"] == recorded[side]
    assert data["original"]["name"] == "original.txt" and data["suspect"]["name"] == "model-output.txt"


def test_a_case_of_recorded_inputs_saved_elsewhere_still_finds_them_beside_it(qtbot, window, samples, tmp_path):
    """Save as in another folder: the inputs' place relative to the case file is rewritten for the new folder."""
    import shutil

    load_both(qtbot, window, samples["original"], samples["output"])
    first = window.save_case(path=tmp_path / "case.memdiff")
    hidden = tmp_path / "hidden"
    hidden.mkdir()
    for key in ("original", "output"):
        samples[key].rename(hidden / samples[key].name)
    window.new_case()
    window.told.answers += [Button.Ignore, Button.Ignore]
    window.open_case(first)
    assert window.documents == {"original": None, "suspect": None}
    (tmp_path / "filed").mkdir()
    second = window.save_case(path=tmp_path / "filed" / "copy.memdiff")
    assert second is not None
    # The inputs come back beside the first case file: the copy filed elsewhere finds them there too.
    for name in ("original.txt", "model-output.txt"):
        shutil.move(hidden / name, tmp_path / name)
    window.new_case()
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.open_case(second)
    assert all(window.documents.values())

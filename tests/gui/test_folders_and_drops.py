"""Where memdiff suggests saving, and what happens to files dropped together on one side."""

from __future__ import annotations

import shutil
from pathlib import Path

from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from memdiff.gui.settings import documents_folder, usable_folder
from memdiff.resources import path as resource_path

from gui_support import load_both


def test_the_bundled_samples_folder_is_never_suggested_for_saving(qtbot, window):
    samples = resource_path("samples")
    load_both(qtbot, window, samples / "original.txt", samples / "model-output.txt")
    dialog = window.export_report()
    suggested = Path(dialog.path.text())
    dialog.reject()
    assert resource_path() not in suggested.parents
    assert str(suggested.parent) == documents_folder()
    assert window.settings.last_folder == documents_folder()
    asked = []
    window.choose_save_path = lambda title, proposed, filters: asked.append(proposed)
    window.save_case(ask=True)
    assert asked and resource_path() not in Path(asked[0]).parents


def test_a_folder_that_went_away_is_not_suggested(window, tmp_path):
    gone = tmp_path / "usb stick"
    gone.mkdir()
    window.settings.last_folder = str(gone)
    window.settings.report_folder = str(gone)
    assert window.settings.last_folder == str(gone.resolve())
    shutil.rmtree(gone)
    assert window.settings.last_folder == documents_folder()
    assert window.settings.report_folder == documents_folder()
    assert usable_folder(resource_path("samples")) is None
    assert usable_folder(tmp_path) == str(tmp_path.resolve())


def _drop(qtbot, side, paths):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    side.dropEvent(event)


def test_two_files_on_the_output_side_ask_which_is_the_original(qtbot, window, samples):
    with qtbot.waitSignal(window.documentLoaded, timeout=10_000):
        window.load_file("original", samples["original"])
    asked = []

    def choose(files):
        asked.append(list(files))
        return None  # the user cancelled

    window.choose_original_of = choose
    _drop(qtbot, window.sides["suspect"], [samples["unrelated"], samples["output"]])
    qtbot.wait(100)
    assert asked == [[str(samples["unrelated"]), str(samples["output"])]]
    # Nothing was replaced: the original stays, the output side is still empty.
    assert window.documents["original"].name == "original.txt"
    assert window.documents["suspect"] is None

    window.choose_original_of = lambda files: files[1]
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        _drop(qtbot, window.sides["suspect"], [samples["output"], samples["original"]])
    assert window.documents["original"].name == "original.txt"
    assert window.documents["suspect"].name == "model-output.txt"


def test_two_files_on_an_empty_window_fill_both_sides_after_asking(qtbot, window, samples):
    window.choose_original_of = lambda files: files[0]
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        _drop(qtbot, window.sides["original"], [samples["original"], samples["output"]])
    assert window.documents["original"].name == "original.txt"
    assert window.documents["suspect"].name == "model-output.txt"


def test_more_than_two_files_are_refused_with_a_sentence(qtbot, window, samples):
    _drop(qtbot, window.sides["original"], [samples["original"], samples["output"], samples["unrelated"]])
    assert window.told.levels() == ["information"]
    assert "two files" in window.told.texts()[0]
    assert window.documents == {"original": None, "suspect": None}

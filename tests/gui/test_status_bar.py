"""The status bar never contradicts the window: no "Comparison finished." while it runs again, and a drop's note survives."""

from __future__ import annotations

from gui_support import load_both


def test_no_finished_message_while_the_comparison_runs_again(qtbot, window, samples):
    load_both(qtbot, window, samples["original"], samples["output"])
    assert window.statusBar().currentMessage() == "Comparison finished."
    window.parameters_panel.min_words.setValue(12)  # edited: the comparison runs again in a moment
    assert "finished" not in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.parameters_panel.flush()
        assert not window.results_current
        assert "finished" not in window.statusBar().currentMessage()
    assert window.statusBar().currentMessage() == "Comparison finished."
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.start_comparison()  # F5
        assert "finished" not in window.statusBar().currentMessage()


def test_the_note_on_two_dropped_files_is_kept(qtbot, window, samples):
    window.choose_original_of = lambda files: files[1]
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window._files_dropped("original", [str(samples["output"]), str(samples["original"])])
    message = window.statusBar().currentMessage()
    assert "Comparison finished." in message
    assert "original.txt is the original work, model-output.txt the model output." in message
    assert window.documents["original"].name == "original.txt"

"""A new case starts from the default settings and lists every span; a filtered table says how many it hides."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from memdiff.evidence import Parameters

from gui_support import load_both


def test_new_case_starts_with_the_default_settings_and_all_spans(qtbot, window, samples):
    load_both(qtbot, window, samples["original"], samples["output"])
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.parameters_panel.min_words.setValue(12)
    window.kind_filter.setCurrentIndex(1)  # "Verbatim only"
    window.told.answers.append(QMessageBox.StandardButton.Discard)
    window.new_case()
    assert window.parameters_panel.parameters() == Parameters()
    assert window.kind_filter.currentText() == "All spans"
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    assert comparison.parameters.min_words == Parameters().min_words
    assert window.span_proxy.rowCount() == len(comparison.spans)


def test_the_caption_counts_the_rows_a_filter_shows(qtbot, window, samples):
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    total = len(comparison.spans)
    exact = sum(1 for s in comparison.spans if s.kind == "exact")
    assert 0 < exact < total
    assert window.table_caption.text() == f"Reproduced spans ({total})"
    window.kind_filter.setCurrentIndex(1)
    assert window.span_proxy.rowCount() == exact
    assert window.table_caption.text() == f"Reproduced spans: {exact} of {total} shown"
    window.kind_filter.setCurrentIndex(2)
    assert window.table_caption.text() == f"Reproduced spans: {total - exact} of {total} shown"
    window.kind_filter.setCurrentIndex(0)
    assert window.table_caption.text() == f"Reproduced spans ({total})"

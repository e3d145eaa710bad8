"""What a keyboard user and a reader who is not a programmer meet: Tab order, Alt letters, words, help."""

from __future__ import annotations

from gui_support import load_both
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtTest import QTest
from test_export_dialog import mnemonics

from memdiff import ingest
from memdiff.evidence import size_text
from memdiff.gui.input_side import InputSide, document_facts


def _activate(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)


def test_tab_leaves_the_match_table_and_reaches_every_parameter(qtbot, window, samples):
    load_both(qtbot, window, samples["original"], samples["output"])
    _activate(qtbot, window)
    window.table.setFocus()
    window.table.selectRow(0)
    QTest.keyClick(window.table, Qt.Key.Key_Tab)
    panel = window.parameters_panel
    assert QGuiApplication.focusObject() is panel.min_words.lineEdit() or window.focusWidget() is panel.min_words
    # Every setting is in the chain, the running-heads switch included, and Shift+Tab goes back.
    visited = []
    for _ in range(12):
        visited.append(window.focusWidget())
        QTest.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
    for box in (panel.near, panel.casefold, panel.join_hyphenation, panel.ignore_running_heads, panel.defaults):
        assert box in visited
    assert visited.index(panel.join_hyphenation) + 1 == visited.index(panel.ignore_running_heads)
    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_Backtab)
    assert window.focusWidget() is window.kind_filter


def test_each_alt_letter_of_the_window_goes_to_one_control(window):
    letters = mnemonics(window)
    letters += [action.text().split("&")[1][0].lower() for action in window.menuBar().actions() if "&" in action.text()]
    assert "h" in letters  # the Help menu
    assert sorted(letters) == sorted(set(letters)), sorted(letters)


def test_the_app_says_verbatim_as_the_report_does(qtbot, window, samples):
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    s = comparison.summary
    details = window.summary.details.text()
    assert f"({s.exact_span_count:,} verbatim, {s.near_span_count:,} near-verbatim)" in details
    assert "exact" not in details
    assert "verbatim" in window.summary.legend.text() and "exact" not in window.summary.legend.text()
    # The legend says how the report's marks differ from the window's colours.
    assert "red and underlined" in window.summary.legend.toolTip()
    assert window.kind_filter.itemText(1) == "Verbatim only"
    exact_row = next(r for r in range(window.span_proxy.rowCount())
                     if window.span_model.span_at(window.span_proxy.mapToSource(window.span_proxy.index(r, 0)).row()).kind == "exact")
    assert window.span_proxy.index(exact_row, 1).data() == "verbatim"


def test_thousands_are_separated_in_the_summary(qtbot, window, tmp_path):
    # 1,200 short sentences, each reproduced: more than a thousand verbatim spans.
    lines = [f"Line {i} of the ledger names the clerk number {i} who sealed box {i * 7} on that day." for i in range(1200)]
    original = tmp_path / "ledger.txt"
    original.write_text("\n\nFILLER WORDS HERE.\n\n".join(lines), encoding="utf-8")
    output = tmp_path / "copy.txt"
    output.write_text("\n\nsomething else entirely here.\n\n".join(lines), encoding="utf-8")
    comparison = load_both(qtbot, window, original, output, timeout=60_000)
    assert comparison.summary.exact_span_count >= 1000
    assert f"{comparison.summary.exact_span_count:,} verbatim" in window.summary.details.text()
    assert f"({comparison.summary.span_count:,})" in window.table_caption.text()


def test_sizes_in_the_reports_units(samples):
    assert size_text(3_262) == "3.2 KiB (3,262 bytes)"
    assert size_text(5 * 1024**2) == "5.0 MiB (5,242,880 bytes)"
    assert size_text(900) == "900 bytes"
    facts = document_facts(ingest.load(samples["original"]))
    assert "KiB" in facts and "KB" not in facts.replace("KiB", "")


def test_similarity_is_set_in_percent(qtbot, window):
    panel = window.parameters_panel
    assert panel.min_similarity.text() == "80%"
    panel.min_similarity.setValue(85)
    assert panel.parameters().min_similarity == 0.85
    assert "dash" in panel.unify_quotes.text()


def test_the_idle_hint_names_real_menu_items(window):
    hint = window.summary.details.text()
    names = [a.text().replace("&", "") for a in window.findChildren(type(window.open_original_action))]
    assert "Open original work…" in names and "Open original work…" in hint


def test_pasting_over_an_output_says_what_replaces_what(qtbot, window, samples):
    with qtbot.waitSignal(window.documentLoaded, timeout=10_000):
        window.load_file("suspect", samples["output"])
    QGuiApplication.clipboard().setText("Some other answer from the model.")
    window.paste_output()
    question = window.told.texts("question")[0]
    assert "model-output.txt" in question and "clipboard" in question and "instead" in question


def test_help_explains_the_terms_offline(window):
    assert window.reading_action.shortcut().toString() == "F1"
    page = window.show_reading_help()
    text = page.browser.toPlainText()
    for term in ("Chance (bits)", "Output at", "Verbatim", "Near-verbatim", "SHA-256", "red and underlined"):
        assert term in text
    assert not page.browser.openExternalLinks()
    page.close()


def test_the_hash_has_its_own_line_and_is_never_cut(qtbot, window, samples):
    long_name = samples["output"].with_name("a very long name of a model output file saved by the clerk.txt")
    samples["output"].rename(long_name)
    load_both(qtbot, window, samples["original"], long_name)
    side: InputSide = window.sides["suspect"]
    sha = window.documents["suspect"].sha256
    for width, height in ((1400, 900), (1200, 800), (800, 600)):
        window.resize(width, height)
        qtbot.wait(30)
        label = side.hash_label
        assert label.text() == f"SHA-256 {sha[:16]}…"
        # The whole text fits the label's width: nothing is clipped.
        assert label.width() >= label.fontMetrics().horizontalAdvance(label.text())
        assert label.isVisible() and label.mapTo(side, label.rect().topRight()).x() <= side.width()
        # A long name is shortened in the middle, keeping its end.
        shown = side.name.text()
        if side.name.fontMetrics().horizontalAdvance(long_name.name) > side.name.width():
            assert "…" in shown and shown.endswith(".txt")
    assert sha in side.hash_label.toolTip()
    assert side.copy_hash() == sha and QGuiApplication.clipboard().text() == sha

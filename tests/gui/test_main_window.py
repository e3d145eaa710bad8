"""The main window on the bundled sample case: loading, marking, the table, navigation, re-runs and errors."""

from __future__ import annotations

import threading
import time

import pytest
from PySide6.QtCore import QMimeData, QPoint, Qt, QUrl
from PySide6.QtGui import QDropEvent, QGuiApplication, QTextCharFormat, QTextCursor
from PySide6.QtWidgets import QMessageBox

from memdiff import ingest
from memdiff.evidence import Parameters
from memdiff.gui.span_table import SPAN_ID_ROLE, SpanTableModel

from gui_support import load_both


def _ranges(pane):
    """Every range the pane marks (painted when scrolled into view)."""
    return sorted((start, end) for start, end, _kind in pane.marked_ranges())


def _painted(pane):
    """The ranges handed to Qt right now: those touching the visible lines."""
    return sorted((s.cursor.selectionStart(), s.cursor.selectionEnd()) for s in pane.extraSelections())


def _touching(ranges, window_range):
    first, last = window_range
    return sorted((a, b) for a, b in ranges if b > first and a < last)


def _expected(comparison, side):
    return sorted((getattr(s, side).start, getattr(s, side).end) for s in comparison.spans)


def test_both_files_load_compare_and_mark_every_span(qtbot, window, samples):
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    assert comparison.mode == "text" and len(comparison.spans) >= 5
    assert window.documents["original"].name == "original.txt"
    # Every span is marked once on each side, at exactly its offsets.
    assert _ranges(window.original_pane) == _expected(comparison, "original")
    assert _ranges(window.output_pane) == _expected(comparison, "suspect")
    # Qt paints exactly those touching the visible lines, and follows the scrolling.
    for pane, side in ((window.original_pane, "original"), (window.output_pane, "suspect")):
        assert _painted(pane) == _touching(_expected(comparison, side), pane.visible_range())
    pane = window.original_pane
    pane.verticalScrollBar().setValue(pane.verticalScrollBar().maximum())
    assert pane.visible_range()[0] > 0
    assert _painted(pane) == _touching(_expected(comparison, "original"), pane.visible_range())
    # The table lists the same spans.
    assert window.span_proxy.rowCount() == len(comparison.spans)
    ids = {window.span_proxy.index(r, 0).data(SPAN_ID_ROLE) for r in range(window.span_proxy.rowCount())}
    assert ids == {s.id for s in comparison.spans}
    # The header states what was loaded.
    facts = window.sides["original"].facts.full_text()
    assert "Plain text" in facts and "KiB" in facts
    assert window.sides["original"].hash_label.text() == f"SHA-256 {comparison.original.sha256[:16]}…"
    assert "%" in window.summary.headline.text()
    assert not window.is_busy


def test_exact_and_near_marks_differ_in_colour_grayscale_and_underline(qtbot, window, samples):
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    kinds = {(s.original.start, s.original.end): s.kind for s in comparison.spans}
    # Bring a near-verbatim passage (with exact spans inside it) into view.
    window.show_span(next(s.id for s in comparison.spans if s.kind == "near"))
    formats = {}
    for selection in window.original_pane.extraSelections():
        key = (selection.cursor.selectionStart(), selection.cursor.selectionEnd())
        formats[kinds[key]] = QTextCharFormat(selection.format)
    exact, near = formats["exact"], formats["near"]
    assert exact.underlineStyle() == QTextCharFormat.UnderlineStyle.SingleUnderline
    assert near.underlineStyle() == QTextCharFormat.UnderlineStyle.DashUnderline
    exact_fill, near_fill = exact.background().color(), near.background().color()
    assert exact_fill != near_fill
    # Distinct in grayscale too (printed exhibits, monochrome screens).
    assert abs(exact_fill.lightness() - near_fill.lightness()) >= 30
    # Near-verbatim passages are drawn first so the exact spans inside them stay visible.
    order = [kinds[(s.cursor.selectionStart(), s.cursor.selectionEnd())] for s in window.original_pane.extraSelections()]
    assert order == sorted(order, key=lambda k: k == "exact")


def test_pasted_output_is_compared_like_a_file(qtbot, window, samples):
    with qtbot.waitSignal(window.documentLoaded, timeout=10_000):
        window.load_file("original", samples["original"])
    assert window.sides["suspect"].stack.currentWidget() is window.sides["suspect"].drop_hint
    QGuiApplication.clipboard().setText(samples["output"].read_text(encoding="utf-8"))
    assert window.paste_action.shortcut().matches(Qt.Modifier.CTRL | Qt.Key.Key_V).name == "ExactMatch"
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000) as blocker:
        window.paste_action.trigger()
    pasted = blocker.args[0]
    assert window.documents["suspect"].path is None
    assert window.sides["suspect"].name.full_text() == "pasted text"
    from_file = ingest.load(samples["output"])
    assert pasted.suspect.characters == from_file.characters
    assert len(pasted.spans) == len(window.span_model.spans) > 0
    assert window.told.messages == []


def test_paste_button_and_empty_clipboard(qtbot, window):
    QGuiApplication.clipboard().setText("   ")
    qtbot.mouseClick(window.sides["suspect"].paste_button, Qt.MouseButton.LeftButton)
    assert window.told.levels() == ["information"]
    assert "clipboard holds no text" in window.told.texts()[0]
    assert window.documents["suspect"] is None


def test_selecting_a_table_row_shows_both_places(qtbot, window, samples):
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    # The span furthest into the original, so the pane really has to scroll.
    span = max(comparison.spans, key=lambda s: s.original.start)
    row = window.span_proxy.mapFromSource(window.span_model.index(window.span_model.row_of(span.id), 0)).row()
    window.table.scrollTo(window.span_proxy.index(row, 1))
    rect = window.table.visualRect(window.span_proxy.index(row, 1))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    for pane, where in ((window.original_pane, span.original), (window.output_pane, span.suspect)):
        cursor = pane.textCursor()
        assert (cursor.selectionStart(), cursor.selectionEnd()) == (where.start, where.end)
        assert cursor.position() == where.start
        assert pane.location_visible(where)
    assert window.original_pane.verticalScrollBar().value() > 0
    assert f"Span {span.id}" in window.statusBar().currentMessage()


def test_clicking_a_mark_shows_its_counterpart(qtbot, window, samples):
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    span = min((s for s in comparison.spans if s.kind == "exact"), key=lambda s: s.suspect.start)
    pane = window.output_pane
    pane.show_location(span.suspect)
    qtbot.wait(20)
    cursor = QTextCursor(pane.document())
    cursor.setPosition((span.suspect.start + span.suspect.end) // 2)
    point = pane.cursorRect(cursor).center()
    clicked = pane.span_ids_at(pane.cursorForPosition(point).position())
    assert clicked, "the click lands on a marked span"
    target = window.span_by_id(clicked[0])
    qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=point)
    original_cursor = window.original_pane.textCursor()
    assert (original_cursor.selectionStart(), original_cursor.selectionEnd()) == (target.original.start, target.original.end)
    assert window.original_pane.location_visible(target.original)
    assert window.table.currentIndex().data(SPAN_ID_ROLE) == target.id


def test_next_and_previous_walk_the_table(qtbot, window, samples):
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    assert window.next_action.shortcut().toString() == "F3"
    assert window.previous_action.shortcut().toString() == "Shift+F3"
    proxy = window.span_proxy
    window.next_action.trigger()
    window.next_action.trigger()
    second = window.span_by_id(proxy.index(1, 0).data(SPAN_ID_ROLE))
    assert window.table.currentIndex().row() == 1
    assert window.output_pane.textCursor().selectionStart() == second.suspect.start
    window.previous_action.trigger()
    assert window.table.currentIndex().row() == 0
    window.previous_action.trigger()  # wraps around to the last span
    assert window.table.currentIndex().row() == len(comparison.spans) - 1


def test_changing_a_parameter_runs_the_comparison_again(qtbot, window, samples):
    first = load_both(qtbot, window, samples["original"], samples["output"])
    assert any(s.words < 30 for s in first.spans if s.kind == "exact")
    panel = window.parameters_panel
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000) as blocker:
        panel.min_words.setValue(30)
        panel.near.setChecked(False)
    second = blocker.args[0]
    assert second.parameters.min_words == 30 and second.parameters.near is False
    assert all(s.kind == "exact" and s.words >= 30 for s in second.spans)
    assert len(second.spans) < len(first.spans)
    assert _ranges(window.output_pane) == _expected(second, "suspect")
    assert window.span_proxy.rowCount() == len(second.spans)
    # The value belongs to this case (its file keeps it): the next window starts from the defaults.
    from memdiff.gui.main_window import MainWindow

    again = MainWindow(window.settings)
    qtbot.addWidget(again)
    assert again.parameters_panel.parameters() == Parameters()


def test_cancel_stops_the_comparison(qtbot, window, samples, monkeypatch):
    load_both(qtbot, window, samples["original"], samples["output"])
    import memdiff.gui.main_window as main_window

    real_compare = main_window.compare
    started = threading.Event()

    def long_compare(original, suspect, parameters, progress):
        # A comparison long enough to be cancelled: it checks for cancellation as the core does.
        started.set()
        for _ in range(500):
            progress.check()
            time.sleep(0.01)
        return real_compare(original, suspect, parameters, progress=progress)

    monkeypatch.setattr(main_window, "compare", long_compare)
    window.start_comparison()
    assert started.wait(5)
    assert window.cancel_button.isVisible()
    with qtbot.waitSignal(window.comparisonCancelled, timeout=10_000):
        qtbot.mouseClick(window.cancel_button, Qt.MouseButton.LeftButton)
    assert window.comparison is None
    assert window.original_pane.extraSelections() == [] and window.original_pane.marked_ranges() == []
    assert "cancelled" in window.summary.headline.text().lower()
    assert window.told.messages == []


def test_cancel_stops_reading_a_slow_file(qtbot, window, samples, monkeypatch):
    from memdiff import ingest

    real_load = ingest.load
    started = threading.Event()

    def slow_load(path, *, password=None, progress):
        # Reads as a long PDF does: a page at a time, reporting each and checking for Cancel.
        started.set()
        for page in range(500):
            progress.report(page / 500, f"Reading page {page + 1} of 500")
            progress.check()
            time.sleep(0.01)
        return real_load(path, password=password, progress=progress)

    monkeypatch.setattr(ingest, "load", slow_load)
    window.load_file("original", samples["original"])
    assert started.wait(5)
    qtbot.waitUntil(lambda: window.progress_label.text().startswith("Reading page"), timeout=5000)
    assert window.cancel_button.isVisible() and window.progress.maximum() == 1000
    with qtbot.waitSignal(window.jobs._running[-1].signals.cancelled, timeout=10_000):
        qtbot.keyClick(window, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not window.progress.isVisible(), timeout=5000)
    assert window.documents["original"] is None
    assert not window.cancel_button.isVisible()
    assert "Stopped reading original.txt" in window.statusBar().currentMessage()
    assert window.told.messages == []
    # Nothing is left half-done: the same file loads normally afterwards.
    monkeypatch.setattr(ingest, "load", real_load)
    with qtbot.waitSignal(window.documentLoaded, timeout=10_000):
        window.load_file("original", samples["original"])
    assert window.documents["original"].name == "original.txt"


def test_unreadable_and_empty_files_show_a_sentence(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.loadFailed, timeout=10_000):
        window.load_file("original", tmp_path / "missing.pdf")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with qtbot.waitSignal(window.loadFailed, timeout=10_000):
        window.load_file("suspect", empty)
    levels, texts = window.told.levels(), window.told.texts()
    assert levels == ["error", "error"]
    assert "missing.pdf does not exist" in texts[0]
    assert "empty.txt is empty" in texts[1]
    assert window.documents == {"original": None, "suspect": None}
    assert not window.is_busy


def test_a_text_and_an_image_cannot_be_compared(qtbot, window, samples, tmp_path):
    from PIL import Image

    picture = tmp_path / "photo.png"
    Image.new("RGB", (64, 48), (200, 80, 30)).save(picture)
    with qtbot.waitSignal(window.comparisonFailed, timeout=20_000):
        window.load_file("original", samples["original"])
        window.load_file("suspect", picture)
    assert window.told.levels() == ["error"]
    assert "compare a text with a text or an image with an image" in window.told.texts()[0]


def test_an_unexpected_error_is_reported_as_a_bug(qtbot, window, samples, monkeypatch):
    def broken(path, password=None, progress=None):
        raise RuntimeError("simulated fault in a reader")

    monkeypatch.setattr(ingest, "load", broken)
    with qtbot.waitSignal(window.loadFailed, timeout=10_000):
        window.load_file("original", samples["original"])
    level, _title, text, details = window.told.messages[0]
    assert level == "bug"
    assert "bug" in text and "simulated fault" in text
    assert "RuntimeError" in details and "Traceback" in details


def test_two_files_dropped_together_fill_both_sides(qtbot, window, samples):
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(samples["original"])), QUrl.fromLocalFile(str(samples["output"]))])
    event = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.choose_original_of = lambda files: files[0]
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.sides["suspect"].dropEvent(event)
    assert window.documents["original"].name == "original.txt"
    assert window.documents["suspect"].name == "model-output.txt"


def test_text_dropped_on_the_output_side_is_used_as_pasted_text(qtbot, window, samples):
    mime = QMimeData()
    mime.setText("A sentence dragged out of a chat window and dropped on memdiff.")
    event = QDropEvent(QPoint(10, 10).toPointF(), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    window.sides["suspect"].dropEvent(event)
    assert window.documents["suspect"] is not None
    assert window.documents["suspect"].text.startswith("A sentence dragged")


def test_recent_files_are_offered(qtbot, window, samples):
    load_both(qtbot, window, samples["original"], samples["output"])
    assert window.settings.recent_files("original")[0] == str(samples["original"])
    assert window.settings.recent_files("output")[0] == str(samples["output"])
    window._fill_recent_menu()
    names = [a.text() for a in window.recent_menu.actions()]
    assert "original.txt" in names and "model-output.txt" in names


def test_window_geometry_is_remembered(qtbot, window):
    from memdiff.gui.main_window import MainWindow

    # The off-screen test screen is 800 pixels wide; a saved size must fit on it to be restored as is.
    window.resize(761, 543)
    window.close()
    again = MainWindow(window.settings)
    qtbot.addWidget(again)
    assert (again.width(), again.height()) == (761, 543)


def test_dark_palette_recolours_the_marks(qtbot, window, samples):
    load_both(qtbot, window, samples["original"], samples["output"])
    def fills():
        return {QTextCharFormat(s.format).background().color().name() for s in window.original_pane.extraSelections()}

    light = fills()
    window.set_theme("dark")
    qtbot.waitUntil(lambda: fills() != light)
    dark = fills()
    assert QGuiApplication.palette().base().color().lightness() < 128
    assert dark.isdisjoint(light)
    assert window.settings.theme == "dark"


def test_about_box_states_version_and_licences(window):
    from memdiff import __version__

    text = window.about_text()
    assert __version__ in text
    assert "LGPL" in text and "Apache License 2.0" in text
    assert "no network connection" in text


def test_keyboard_shortcuts_of_the_file_menu(window):
    shortcuts = {a.text().replace("&", ""): a.shortcut().toString() for a in window.actions()}
    assert shortcuts["Open original work…"] == "Ctrl+O"
    assert shortcuts["Open model output…"] == "Ctrl+Shift+O"
    assert shortcuts["Export report…"] == "Ctrl+E"
    assert shortcuts["Compare again"] == "F5"


def test_column_for_pages_only_with_paged_originals(qtbot, window, samples):
    load_both(qtbot, window, samples["original"], samples["output"])
    assert window.table.isColumnHidden(SpanTableModel.COLUMNS.index("original_pages"))


@pytest.mark.parametrize("answer", [QMessageBox.StandardButton.No, QMessageBox.StandardButton.Yes])
def test_pasting_over_a_loaded_output_asks_first(qtbot, window, samples, answer):
    with qtbot.waitSignal(window.documentLoaded, timeout=10_000):
        window.load_file("suspect", samples["output"])
    QGuiApplication.clipboard().setText("Replacement text from the clipboard, long enough to read.")
    window.told.answers.append(answer)
    window.paste_output()
    assert window.told.levels() == ["question"]
    replaced = window.documents["suspect"].name == "pasted text"
    assert replaced is (answer == QMessageBox.StandardButton.Yes)


def test_ctrl_v_pastes_into_the_empty_output(qtbot, window):
    QGuiApplication.clipboard().setText("Text a paralegal copied out of a chat window with the model.")
    hint = window.sides["suspect"].drop_hint
    hint.setFocus()
    qtbot.keyClick(hint, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert window.documents["suspect"] is not None
    assert window.documents["suspect"].text.startswith("Text a paralegal copied")


def test_tab_moves_from_side_to_side_then_to_the_table(window):
    original, output = window.sides["original"], window.sides["suspect"]
    assert original.text.nextInFocusChain() is not None
    order = []
    widget = original.open_button
    for _ in range(40):
        order.append(widget)
        widget = widget.nextInFocusChain()
    position = {id(w): i for i, w in reversed(list(enumerate(order)))}
    assert position[id(original.text)] < position[id(output.open_button)] < position[id(output.text)]
    assert position[id(output.text)] < position[id(window.table)] < position[id(window.parameters_panel.min_words)]


def test_line_wrapping_can_be_switched_off(qtbot, window, samples):
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    window.wrap_action.setChecked(False)
    pane = window.original_pane
    assert pane.lineWrapMode() == pane.LineWrapMode.NoWrap
    assert _painted(pane) == _touching(_expected(comparison, "original"), pane.visible_range())
    window.wrap_action.setChecked(True)
    assert pane.lineWrapMode() == pane.LineWrapMode.WidgetWidth


def test_scrolling_one_side_brings_the_counterpart_into_view(qtbot, window, samples):
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    output, original = window.output_pane, window.original_pane
    # Scroll the output (not through the window) to the last span that begins in it.
    span = max(comparison.spans, key=lambda s: s.suspect.start)
    output.scroll_to_location(span.suspect)
    top = output.first_visible_span()
    assert top is not None
    followed = window.span_by_id(top)
    assert original.location_visible(followed.original)
    # The selection did not move: following only scrolls.
    assert not original.textCursor().hasSelection()
    # Switched off, the other side stays where it is.
    window.follow_action.setChecked(False)
    before = original.verticalScrollBar().value()
    output.verticalScrollBar().setValue(0)
    assert original.verticalScrollBar().value() == before


def test_overview_ruler_jumps_to_the_clicked_part_of_the_text(qtbot, window, samples):
    load_both(qtbot, window, samples["original"], samples["output"])
    pane = window.original_pane
    ruler = pane.ruler()
    assert ruler.isVisible() and ruler.width() > 0
    assert pane.verticalScrollBar().value() == 0
    qtbot.mouseClick(ruler, Qt.MouseButton.LeftButton, pos=QPoint(ruler.width() // 2, ruler.height() - 2))
    first, last = pane.visible_range()
    assert last >= pane.document().characterCount() - 2 or pane.verticalScrollBar().value() > 0
    assert first > 0


def _encrypted_pdf(folder, text: str, password: str):
    import pikepdf
    from reportlab.lib.pagesizes import A5
    from reportlab.pdfgen import canvas

    plain = folder / "plain.pdf"
    page = canvas.Canvas(str(plain), pagesize=A5)
    y = 560
    for line in text.splitlines():
        page.drawString(40, y, line)
        y -= 16
    page.save()
    locked = folder / "sealed exhibit.pdf"
    with pikepdf.open(plain) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner="owner-" + password, user=password, R=6))
    plain.unlink()
    return locked


def test_an_encrypted_pdf_asks_for_its_password(qtbot, window, tmp_path):
    locked = _encrypted_pdf(tmp_path, "It is a truth universally acknowledged, that a single man\nin possession "
                            "of a good fortune must be in want of a wife.", "s3cret")
    asked = []
    answers = ["wrong", "s3cret"]

    def ask_password(name, retry):
        asked.append((name, retry))
        return answers.pop(0)

    window.ask_password = ask_password
    with qtbot.waitSignal(window.documentLoaded, timeout=20_000):
        window.load_file("original", locked)
    assert asked == [("sealed exhibit.pdf", False), ("sealed exhibit.pdf", True)]
    assert "universally acknowledged" in window.documents["original"].text
    assert window.told.messages == []


def test_cancelling_the_password_shows_the_sentence(qtbot, window, tmp_path):
    locked = _encrypted_pdf(tmp_path, "Some confidential words.", "s3cret")
    window.ask_password = lambda name, retry: None
    with qtbot.waitSignal(window.loadFailed, timeout=20_000):
        window.load_file("original", locked)
    assert window.told.levels() == ["error"]
    sentence = window.told.texts()[0]
    assert "sealed exhibit.pdf is protected by a password" in sentence
    assert "Open it again and enter the password" in sentence
    # The window's words, not the command line's.
    assert "--password" not in sentence and "--suspect-password" not in sentence
    assert window.documents["original"] is None


def test_table_rows_can_be_copied_for_a_spreadsheet(qtbot, window, samples):
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    window.table.selectRow(0)
    text = window.copy_table_rows()
    lines = text.splitlines()
    assert lines[0].split("\t")[:3] == ["#", "Kind", "Words"]
    first = window.span_by_id(window.span_proxy.index(0, 0).data(SPAN_ID_ROLE))
    assert lines[1].split("\t")[0] == str(first.id) and len(lines) == 2
    window.table.clearSelection()
    assert len(window.copy_table_rows().splitlines()) == len(comparison.spans) + 1
    assert QGuiApplication.clipboard().text().startswith("#\tKind")


def test_a_running_head_inside_a_span_is_not_painted(qtbot, window, tmp_path):
    from fixtures_docs import RUNNING_HEADS, book_with_running_heads, text_pdf
    from test_running_heads import copy_across_the_first_page_break

    book_path = tmp_path / "alice.pdf"
    book_path.write_bytes(text_pdf(book_with_running_heads()))
    answer = tmp_path / "answer.txt"
    answer.write_text(copy_across_the_first_page_break(ingest.load(book_path)), encoding="utf-8")
    [span] = load_both(qtbot, window, book_path, answer).spans
    text = window.documents["original"].text
    painted = window.original_pane.marked_ranges()
    # One span, painted in pieces around the running head and page number it passes over.
    assert len(painted) >= 2 and painted[0][0] == span.original.start and painted[-1][1] == span.original.end
    assert not any(RUNNING_HEADS[0] in text[start:end] for start, end, _ in painted)
    assert RUNNING_HEADS[0] in text[span.original.start : span.original.end]
    assert window.output_pane.marked_ranges() == [(span.suspect.start, span.suspect.end, "exact")]

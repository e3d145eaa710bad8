"""Texts with characters outside the Basic Multilingual Plane (emoji, 𠮷): marks, selections and clicks stay on the span's words.

Qt counts such a character twice (UTF-16), the spans' offsets once; every place an offset meets the
Qt document goes through the pane's one conversion.
"""

from __future__ import annotations

import dataclasses

from gui_support import SAMPLES, load_both
from PySide6.QtCore import Qt
from PySide6.QtGui import QTextCursor

from memdiff import ingest
from memdiff.gui.text_pane import QtPositions, TextPane

EMOJI_BEFORE = "😊📚🐇✨ 🎩🕰️"


def _qt_text(selected: str) -> str:
    # Qt gives a selection's line breaks as U+2029.
    return selected.replace("\u2029", "\n")


def test_positions_convert_both_ways_around_astral_characters():
    text = "a😊b𠮷𝒜c"
    positions = QtPositions(text)
    qt = [positions.to_qt(i) for i in range(len(text) + 1)]
    assert qt == [0, 1, 3, 4, 6, 8, 9]
    assert [positions.to_python(q) for q in qt] == list(range(len(text) + 1))
    # The same positions as Qt's own count of the characters before each offset.
    assert qt == [len(text[:i].encode("utf-16-le")) // 2 for i in range(len(text) + 1)]
    plain = QtPositions("no astral characters here, ünïcödé ñ 漢字")
    assert plain.to_qt(17) == 17 and plain.to_python(17) == 17


def _chat_output(tmp_path):
    text = (SAMPLES / "model-output.txt").read_text(encoding="utf-8")
    text = text.replace("Of course!", "Of course! " + EMOJI_BEFORE, 1)
    # Astral characters between the spans as well, so later spans move further than earlier ones.
    text = text.replace(". ", ". 🍄𠮷 ")
    path = tmp_path / "output-emoji.txt"
    path.write_text(text, encoding="utf-8")
    return path


def test_every_span_is_selected_and_painted_on_its_own_words(qtbot, window, tmp_path):
    output = _chat_output(tmp_path)
    comparison = load_both(qtbot, window, SAMPLES / "original.txt", output)
    assert len(comparison.spans) >= 3
    document = window.documents["suspect"]
    assert any(ord(ch) > 0xFFFF for ch in document.text[: comparison.spans[-1].suspect.start])
    for span in comparison.spans:
        window.show_span(span.id)
        for pane, where, side in ((window.output_pane, span.suspect, "suspect"),
                                  (window.original_pane, span.original, "original")):
            expected = window.documents[side].text[where.start:where.end]
            assert _qt_text(pane.textCursor().selectedText()) == expected, f"span {span.id} on the {side}"
        # The marks Qt paints now cover exactly the words of spans.
        wanted = {document.text[s.suspect.start:s.suspect.end] for s in comparison.spans}
        painted = window.output_pane.extraSelections()
        assert painted
        for selection in painted:
            assert _qt_text(selection.cursor.selectedText()) in wanted
    window.grab().save(str(tmp_path / "emoji-last-span.png"))


def test_a_click_after_emoji_opens_the_span_under_the_mouse(qtbot, window, tmp_path):
    output = _chat_output(tmp_path)
    comparison = load_both(qtbot, window, SAMPLES / "original.txt", output)
    pane = window.output_pane
    span = max(comparison.spans, key=lambda s: s.suspect.start)
    pane.show_location(span.suspect)
    qtbot.wait(20)
    # The first character of the span, in Qt's count: a click there must find this span.
    cursor = QTextCursor(pane.document())
    cursor.setPosition(pane.qt_position(span.suspect.start) + 1)
    point = pane.cursorRect(cursor).center()
    assert pane.span_ids_at(pane.text_offset(pane.cursorForPosition(point).position()))[0] == span.id
    qtbot.mouseClick(pane.viewport(), Qt.MouseButton.LeftButton, pos=point)
    original = window.original_pane.textCursor()
    assert _qt_text(original.selectedText()) == window.documents["original"].text[span.original.start:span.original.end]


def test_page_marks_in_the_gutter_follow_astral_characters(qtbot):
    lines = [f"Line {n} of page {n // 3 + 1} 🙂🙂🙂" for n in range(9)]
    text = "\n".join(lines)
    starts = tuple(sum(len(line) + 1 for line in lines[:first]) for first in (0, 3, 6))
    document = dataclasses.replace(ingest.load_text(text, name="pages"), page_starts=starts, page_labels=("i", "ii", "iii"))
    pane = TextPane("original")
    qtbot.addWidget(pane)
    pane.set_document(document)
    # Each page's mark is on the block that page begins with, not one further down.
    assert pane._page_blocks == {0: "i", 3: "ii", 6: "iii"}

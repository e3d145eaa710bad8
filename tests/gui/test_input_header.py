"""Each side's header says how a text was read (its encoding) and what the reader noted about it."""

from __future__ import annotations

import dataclasses

from memdiff import ingest
from memdiff.gui.input_side import InputSide, document_facts

POLISH = "Czy jesteś pewien, że całej tej historii nie zmyśliłeś? Święta prawda, odpowiedział. " * 6


def test_the_encoding_is_in_the_header_line(tmp_path):
    path = tmp_path / "polish.txt"
    path.write_bytes(POLISH.encode("windows-1250"))
    document = dataclasses.replace(ingest.load_text(POLISH, name="polish.txt"), encoding="windows-1250",
                                   size_bytes=path.stat().st_size)
    facts = document_facts(document)
    assert facts.startswith("Plain text  ·  windows-1250  ·  ")
    assert f"{document.words:,} words" in facts


def test_the_notes_are_shown_under_the_header(qtbot, tmp_path):
    side = InputSide("original", "Original work", "drop here", accepts_text=False)
    qtbot.addWidget(side)
    side.resize(700, 400)
    side.show()
    notes = ("Read as windows-1250: the file has no byte-order mark and is not UTF-8.",
             "3 characters that were not text were left out.")
    document = dataclasses.replace(ingest.load_text(POLISH, name="polish.txt"), encoding="windows-1250", notes=notes)
    side.set_document(document)
    assert side.notes.isVisible()
    assert side.notes.full_text().startswith("2 notes (point here for all): Read as windows-1250")
    assert side.notes.toolTip() == "\n".join(notes)
    assert "windows-1250" in side.facts.full_text()
    side.grab().save(str(tmp_path / "header-notes.png"))
    side.set_document(ingest.load_text("No notes on this one, read from the clipboard.", name="pasted"))
    assert not side.notes.isVisible()

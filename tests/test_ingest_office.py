"""What a reader of a Word, HTML or RTF document sees is compared, and what is left out is said in a note.

Footnotes, endnotes, text boxes, headers and footers, tracked changes and comments in Word; the hidden
attribute and hidden styles in HTML; hidden text in RTF; and Word files cut short or damaged. Every
file is real: made by python-docx, or its XML zipped as Word zips it where python-docx cannot make it.
"""

from __future__ import annotations

import pytest

from memdiff.ingest import rtf as rtf_format

# --------------------------------------------------------------------------- RTF


def test_rtf_hidden_text_is_left_out_with_a_note_counting_its_characters():
    # As WordPad and Word write it: \v starts hidden text, \v0 ends it; a group ends it too.
    data = (
        rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}"
        rb"\pard Shown words \v secret \'e9crit\v0 and more shown.\par"
        rb"{\v A hidden \u8212? paragraph.\par}"
        rb"Last {\b shown} line.\par}"
    )
    extracted = rtf_format.read(data, "letter.rtf")
    assert extracted.text == "Shown words and more shown.\n\nLast shown line."
    hidden = len("secret \u00e9crit") + len("A hidden \u2014 paragraph.")
    assert extracted.notes == (
        f"{hidden} characters formatted as hidden were left out (word processors neither show nor print hidden text).",
    )
    # The hidden é is not what decided the encoding: no visible byte above 0x7F, so the document's own.
    assert extracted.encoding == "windows-1252"


def test_rtf_without_hidden_text_has_no_hidden_note():
    extracted = rtf_format.read(rb"{\rtf1\ansi Nothing \b hidden\b0  here.\par}", "plain.rtf")
    assert (extracted.text, extracted.notes) == ("Nothing hidden here.", ())

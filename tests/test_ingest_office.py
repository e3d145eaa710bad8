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


# --------------------------------------------------------------------------- HTML

# The reviewer's saved chat: a paragraph with the hidden attribute and a div styled display:none held
# copied text that was counted as the model's output although no browser shows it.
CHAT_PAGE = """<!DOCTYPE html><html><head><title>Chat export</title>
<style>.x:before{content:"Alice was beginning"}</style></head>
<body><main><h1>Conversation</h1>
<p>Assistant: So she was considering in her own mind.</p>
<p hidden>Down, down, down. There was nothing else to do, so Alice soon began talking again.</p>
<div style="display:none">she went on planning to herself how she would manage it. They must go by the carrier, she thought</div>
<p aria-hidden="true">Screen readers skip this, but it is on the screen.</p>
<p>Presently she began again.</p>
</main></body></html>"""


def test_html_elements_a_browser_does_not_show_are_left_out_with_a_note(tmp_path):
    from memdiff.ingest import html as html_format
    from memdiff.ingest import load

    extracted = html_format.read(CHAT_PAGE.encode(), "chat.html")
    assert extracted.text == (
        "Conversation\n\nAssistant: So she was considering in her own mind.\n\n"
        "Screen readers skip this, but it is on the screen.\n\nPresently she began again."
    )
    # 15 words in the hidden paragraph, 19 in the div.
    note = (
        "Left out because a web browser does not show them: 2 elements marked hidden or styled "
        "display:none or visibility:hidden (34 words)."
    )
    assert extracted.notes == (note,)
    path = tmp_path / "chat.html"
    path.write_text(CHAT_PAGE, encoding="utf-8")
    document = load(path)
    assert note in document.notes and "Alice soon began" not in document.text


@pytest.mark.parametrize(
    ("body", "text", "hidden_words"),
    [
        # A hidden paragraph left open ends where HTML ends it: the next block shows.
        ("<p hidden>gone words<p>Shown paragraph.", "Shown paragraph.", 2),
        ("<p hidden>gone <b>bold</b><div>Shown block.</div>", "Shown block.", 2),
        ("<ul><li hidden>gone<li>Shown item.</ul><p>After.</p>", "Shown item.\n\nAfter.", 1),
        ("<ul><li style='display:none'>gone</ul><p>After the list.</p>", "After the list.", 1),
        ("<table><tr><td hidden>gone<td>cell</table>", "cell", 1),
        # Styles: case, spaces and !important as browsers accept them; the later declaration wins.
        ("<p>Kept <span style='DISPLAY : None !important'>gone</span> too.</p>", "Kept too.", 1),
        ("<p style='display:none; display:block'>Shown after all.</p>", "Shown after all.", 0),
        ("<p hidden style='display: block'>Author's display overrides hidden.</p>", "Author's display overrides hidden.", 0),
        # visibility is inherited and a descendant can be made visible again.
        (
            "<div style='visibility:hidden'>gone here <span style='visibility: visible'>Shown again.</span> gone</div>",
            "Shown again.",
            3,
        ),
        ("<p>A <span style='visibility:collapse'>collapsed</span> word.</p>", "A word.", 1),
        # Nested hidden elements count once; a hidden <br> breaks nothing.
        ("<div hidden>one <p hidden>two</p> three</div><p>Shown<br hidden> line.</p>", "Shown line.", 3),
    ],
)
def test_html_hidden_parts_end_where_a_browser_ends_them(body, text, hidden_words):
    from memdiff.ingest import html as html_format

    extracted = html_format.read(f"<!doctype html><html><body>{body}</body></html>".encode(), "page.html")
    assert extracted.text == text
    if hidden_words:
        assert extracted.notes == (
            "Left out because a web browser does not show them: 1 element marked hidden or styled "
            f"display:none or visibility:hidden ({hidden_words} {'word' if hidden_words == 1 else 'words'}).",
        )
    else:
        assert extracted.notes == ()


def test_html_templates_and_comments_are_left_out_and_counted():
    from memdiff.ingest import html as html_format

    page = (
        "<!doctype html><html><body><!-- copied: Alice was beginning to get very tired -->"
        "<p>Visible text.</p><template><p>A template row of five words</p></template>"
        "<!-- second comment --><p hidden>two words</p></body></html>"
    )
    extracted = html_format.read(page.encode(), "page.html")
    assert extracted.text == "Visible text."
    assert extracted.notes == (
        "Left out because a web browser does not show them: 1 element marked hidden or styled display:none or "
        "visibility:hidden (2 words), 1 template (6 words) and 2 comments (10 words).",
    )

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


def test_rtf_text_boxes_are_counted_in_a_note_not_dropped_silently():
    """A shape's text (\\shptxt) is not read; the note says so and what to do (the second reader's tb.rtf)."""
    data = (
        rb"{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times;}}\pard\plain Body paragraph before the box.\par"
        rb"{\shp{\*\shpinst\shpleft0\shptop0{\sp{\sn shapeType}{\sv 202}}"
        rb"{\shptxt \pard\plain Words inside the text box here.\par}}"
        rb"{\shprslt{\*\do\dptxbx{\dptxbxtext\pard\plain Words inside the text box here.\par}}}}}"
    )
    extracted = rtf_format.read(data, "boxed.rtf")
    assert extracted.text == "Body paragraph before the box."
    said = (
        "1 text box was left out: memdiff does not read the text of shapes in RTF; open the file in Word and "
        "save it as .docx, whose text boxes memdiff reads."
    )
    assert extracted.notes == (said,)


def test_a_presentation_that_embeds_a_word_file_is_still_a_presentation(tmp_path):
    """Its content types declare the embedded .docm whole (".macroEnabled.12"), never Word's main part."""
    import io
    import zipfile

    from memdiff.errors import InputError
    from memdiff.ingest import load

    types = (
        '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="docm" ContentType="application/vnd.ms-word.document.macroEnabled.12"/>'
        '<Default Extension="docx" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document"/>'
        '<Override PartName="/ppt/presentation.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.presentationml.presentation.main+xml"/></Types>'
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("ppt/presentation.xml", "<p:presentation/>")
    path = tmp_path / "slides.pptx"
    path.write_bytes(buffer.getvalue())
    with pytest.raises(InputError) as err:
        load(path)
    assert str(err.value).startswith("slides.pptx is a PowerPoint presentation, not a Word (.docx) document;")


def test_a_library_s_message_never_carries_a_memory_address():
    from memdiff.ingest.docx import _damaged

    said = str(_damaged("a.docx", ValueError("file '<_io.BytesIO object at 0x7fa0e39f8d10>' is not a Word file")))
    assert "0x" not in said and "BytesIO" not in said
    assert said == (
        "a.docx is damaged and cannot be read as a Word document (the file is not a Word file); "
        "open it in Word or LibreOffice and save it again."
    )


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
            (
                "Left out because a web browser does not show them: 1 element marked hidden or styled "
                f"display:none or visibility:hidden ({hidden_words} {'word' if hidden_words == 1 else 'words'})."
            ),
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
        (
            "Left out because a web browser does not show them: 1 element marked hidden or styled display:none or "
            "visibility:hidden (2 words), 1 template (6 words) and 2 comments (10 words)."
        ),
    )


# --------------------------------------------------------------------------- Word: notes, text boxes, headers


def _saved(document) -> bytes:
    from io import BytesIO

    out = BytesIO()
    document.save(out)
    return out.getvalue()


_FOOTNOTE = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
_ENDNOTE = "application/vnd.openxmlformats-officedocument.wordprocessingml.endnotes+xml"


def _notes_xml(kind: str, notes: list[tuple[str, str]]) -> str:
    """A footnotes or endnotes part as Word writes it: the two separator notes, then (id, paragraphs XML)."""
    from fixtures_docs import WORD_NAMESPACES

    separators = (
        f'<w:{kind} w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:{kind}>'
        f'<w:{kind} w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>'
    )
    body = "".join(f'<w:{kind} w:id="{note_id}">{paragraphs}</w:{kind}>' for note_id, paragraphs in notes)
    return f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:{kind}s {WORD_NAMESPACES}>{separators}{body}</w:{kind}s>'


def _run(text: str) -> str:
    return f'<w:r><w:t xml:space="preserve">{text}</w:t></w:r>'


def _note_paragraph(kind: str, text: str) -> str:
    # Word begins a note with its number (a run holding w:footnoteRef), then the text after a space.
    return f'<w:p><w:r><w:rPr><w:vertAlign w:val="superscript"/></w:rPr><w:{kind}Ref/></w:r>{_run(" " + text)}</w:p>'


def _word_with_notes(settings: str = "") -> bytes:
    import docx
    from docx.oxml import parse_xml
    from fixtures_docs import word_docx_with_parts

    document = docx.Document()
    if settings:
        document.settings.element.append(parse_xml(settings))
    body = (
        f'<w:p>{_run("Alice had a footnote here.")}<w:r><w:footnoteReference w:id="1"/></w:r>'
        f'{_run(" And an endnote.")}<w:r><w:endnoteReference w:id="1"/></w:r></w:p>'
        f'<w:p>{_run("A second footnote")}<w:r><w:footnoteReference w:id="2"/></w:r>'
        f'{_run(" and one with the author&apos;s own mark")}'
        # Word writes an author's own mark in the run of the reference, after it.
        '<w:r><w:footnoteReference w:customMarkFollows="1" w:id="3"/><w:t>*</w:t></w:r>'
        f'{_run(".")}</w:p>'
    )
    footnotes = _notes_xml(
        "footnote",
        [
            ("1", _note_paragraph("footnote", "First footnote text.")),
            (
                "2",
                _note_paragraph("footnote", "Second footnote, first paragraph.")
                + f"<w:p>{_run('Its second paragraph.')}</w:p>",
            ),
            # With a mark of the author's own, Word writes the mark as text and no number.
            ("3", f'<w:p><w:r><w:t>*</w:t></w:r>{_run(" Custom mark note.")}</w:p>'),
            # Referred to nowhere, so never printed.
            ("4", _note_paragraph("footnote", "An orphan note Word does not print.")),
        ],
    )
    endnotes = _notes_xml("endnote", [("1", _note_paragraph("endnote", "Endnote text."))])
    return word_docx_with_parts(
        _saved(document),
        body=body,
        parts={
            "footnotes.xml": (_FOOTNOTE, "footnotes", footnotes),
            "endnotes.xml": (_ENDNOTE, "endnotes", endnotes),
        },
    )


def test_docx_footnotes_and_endnotes_follow_the_body_with_their_numbers_and_a_note():
    from memdiff.ingest import docx as docx_format

    extracted = docx_format.read(_word_with_notes(), "notes.docx")
    assert extracted.text == (
        "Alice had a footnote here. And an endnote.\n\n"
        "A second footnote and one with the author's own mark*.\n\n"
        "Footnotes\n\n"
        "1 First footnote text.\n\n"
        "2 Second footnote, first paragraph.\n\n"
        "Its second paragraph.\n\n"
        "* Custom mark note.\n\n"
        "Endnotes\n\n"
        "i Endnote text."
    )
    assert extracted.notes == (
        (
            '3 footnotes and 1 endnote were included after the body, under the lines "Footnotes" and "Endnotes", '
            "each beginning with its number; the reference numbers in the body were left out."
        ),
    )


def test_docx_note_numbers_follow_the_documents_number_format_and_start():
    from fixtures_docs import WORD_NAMESPACES

    from memdiff.ingest import docx as docx_format

    settings = f'<w:footnotePr {WORD_NAMESPACES}><w:numFmt w:val="upperRoman"/><w:numStart w:val="4"/></w:footnotePr>'
    text = docx_format.read(_word_with_notes(settings), "notes.docx").text
    assert "\n\nIV First footnote text.\n\nV Second footnote" in text
    assert [docx_format.note_number(n, "lowerLetter") for n in (1, 26, 27)] == ["a", "z", "aa"]
    assert [docx_format.note_number(n, "chicago") for n in (1, 4, 5)] == ["*", "\u00a7", "**"]
    assert docx_format.note_number(14, "lowerRoman") == "xiv"


_DRAWN_TEXT_BOX = (
    # Word 2010 and later: the box as a drawing, and again as a VML shape for older programs.
    "<w:r><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
    '<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="1" behindDoc="0" '
    'locked="0" layoutInCell="1" allowOverlap="1"><wp:simplePos x="0" y="0"/>'
    '<wp:positionH relativeFrom="column"><wp:posOffset>0</wp:posOffset></wp:positionH>'
    '<wp:positionV relativeFrom="paragraph"><wp:posOffset>0</wp:posOffset></wp:positionV>'
    '<wp:extent cx="1828800" cy="914400"/><wp:wrapSquare wrapText="bothSides"/><wp:docPr id="1" name="Text Box 1"/>'
    '<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape">'
    "<wps:wsp><wps:txbx><w:txbxContent><w:p><w:r><w:t>Text in the box.</w:t></w:r></w:p></w:txbxContent></wps:txbx>"
    "<wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>"
    '<mc:Fallback><w:pict><v:shape id="Text Box 1" style="width:144pt;height:72pt"><v:textbox><w:txbxContent>'
    "<w:p><w:r><w:t>Text in the box.</w:t></w:r></w:p></w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
    "</mc:AlternateContent></w:r>"
)
_VML_TEXT_BOX = (
    # Word 2003 and files converted from it: a VML shape only, here holding a table.
    '<w:r><w:pict><v:shape id="Old box"><v:textbox><w:txbxContent><w:p><w:r><w:t>An old VML box</w:t></w:r></w:p>'
    "<w:tbl><w:tr><w:tc><w:p><w:r><w:t>with a table.</w:t></w:r></w:p></w:tc></w:tr></w:tbl>"
    "</w:txbxContent></v:textbox></v:shape></w:pict></w:r>"
)


def test_docx_text_boxes_are_read_once_after_the_paragraph_they_stand_in():
    import docx
    from fixtures_docs import word_docx_with_parts

    from memdiff.ingest import docx as docx_format

    body = (
        f"<w:p>{_run('Before the box.')}{_DRAWN_TEXT_BOX}{_run(' After the box.')}</w:p>"
        f"<w:p>{_VML_TEXT_BOX}{_run('Second paragraph.')}</w:p>"
        f"<w:p>{_run('Last paragraph.')}</w:p>"
    )
    extracted = docx_format.read(word_docx_with_parts(_saved(docx.Document()), body=body), "boxes.docx")
    assert extracted.text == (
        "Before the box. After the box.\n\nText in the box.\n\n"
        "Second paragraph.\n\nAn old VML box\n\nwith a table.\n\nLast paragraph."
    )
    assert extracted.notes == ("2 text boxes were included, each after the paragraph it is anchored in.",)


def _word_with_headers(*, even_pages: bool) -> bytes:
    import docx

    document = docx.Document()
    document.settings.odd_and_even_pages_header_footer = even_pages
    section = document.sections[0]
    section.header.paragraphs[0].text = "Running header of the report"
    section.footer.paragraphs[0].text = "Page footer"
    section.different_first_page_header_footer = True
    section.first_page_header.paragraphs[0].text = "First page header"
    section.even_page_header.paragraphs[0].text = "Even page header"
    document.add_paragraph("Body text.")
    document.add_section()  # its headers and footers are linked to the first section's
    document.add_paragraph("Second section text.")
    third = document.add_section()
    third.header.is_linked_to_previous = False
    third.header.paragraphs[0].text = "Running header of the report"  # the same text as before: once
    document.add_paragraph("Third section text.")
    return _saved(document)


@pytest.mark.parametrize("even_pages", [False, True])
def test_docx_headers_and_footers_are_included_once_at_the_end(even_pages):
    from memdiff.ingest import docx as docx_format

    extracted = docx_format.read(_word_with_headers(even_pages=even_pages), "report.docx")
    # The even-page header is shown only when the document has different odd and even pages.
    headers = ["Running header of the report", "First page header"] + (["Even page header"] if even_pages else [])
    assert extracted.text.split("\n\n") == [
        "Body text.", "Second section text.", "Third section text.", "Headers and footers", *headers, "Page footer"
    ]
    words = 10 + 3 * even_pages
    assert extracted.notes == (
        (
            f"The document's headers and footers ({words} words) were included once, at the end under the line "
            '"Headers and footers", though Word repeats them on every page.'
        ),
    )


def test_docx_tracked_changes_and_comments_are_counted_in_notes():
    import docx
    from docx.oxml import parse_xml

    from memdiff.ingest import docx as docx_format

    document = docx.Document()
    paragraph = document.add_paragraph("Kept words ")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph._p.append(
        parse_xml(f'<w:ins {w} w:id="1" w:author="A"><w:r><w:t xml:space="preserve">two inserted </w:t></w:r></w:ins>')
    )
    paragraph._p.append(
        parse_xml(f'<w:del {w} w:id="2" w:author="A"><w:r><w:delText>three deleted words </w:delText></w:r></w:del>')
    )
    commented = paragraph.add_run("and a commented end.")
    document.add_comment(commented, text="Reviewer: this looks copied from chapter one.", author="R")
    document.add_comment(commented, text="Agreed.", author="S")
    extracted = docx_format.read(_saved(document), "tracked.docx")
    assert extracted.text == "Kept words two inserted and a commented end."
    assert extracted.notes == (
        "Tracked changes were read as if accepted: 2 inserted words were kept and 3 deleted words were left out.",
        "2 comments (8 words) were left out (Word shows comments beside the text, not in it).",
    )


def test_extract_prints_exactly_the_text_of_a_word_file_with_notes_boxes_and_headers(tmp_path, capsys):
    import docx
    from fixtures_docs import word_docx_with_parts

    from memdiff import cli
    from memdiff.ingest import load

    document = docx.Document()
    document.sections[0].header.paragraphs[0].text = "A header"
    data = word_docx_with_parts(
        _saved(document),
        body=f"<w:p>{_run('Body.')}{_DRAWN_TEXT_BOX}<w:r><w:footnoteReference w:id=\"1\"/></w:r></w:p>",
        parts={"footnotes.xml": (_FOOTNOTE, "footnotes", _notes_xml("footnote", [("1", _note_paragraph("footnote", "A note."))]))},
    )
    path = tmp_path / "all.docx"
    path.write_bytes(data)
    assert cli.main(["extract", str(path)]) == 0
    loaded = load(path)
    assert capsys.readouterr().out.rstrip("\n") == loaded.text
    assert loaded.text == "Body.\n\nText in the box.\n\nFootnotes\n\n1 A note.\n\nHeaders and footers\n\nA header"
    assert loaded.notes[0] == "1 text box was included, after the paragraph it is anchored in."
    assert len(loaded.notes) == 3


# --------------------------------------------------------------------------- Word files cut short or damaged


def _long_word_file() -> bytes:
    from fixtures_docs import word_docx

    return word_docx([f"Paragraph {number} of a long enough document to compress." for number in range(400)])


@pytest.mark.parametrize("kept", [0.5, 0.95])
def test_a_word_file_cut_short_is_told_as_one_and_what_to_do(kept):
    from memdiff.errors import InputError
    from memdiff.ingest import docx as docx_format

    data = _long_word_file()
    cut = data[: int(len(data) * kept)]
    assert docx_format.is_word_archive(cut)
    with pytest.raises(InputError) as err:
        docx_format.read(cut, "download.docx")
    assert str(err.value) == (
        "download.docx is a Word document that has been cut short (the file ends before its last part, as when "
        "a download or a copy stops early); get the complete file again, or open it in Word, which may recover "
        "the text that is left, and save that as a new document."
    )


def test_a_word_file_written_as_a_stream_and_cut_short_is_still_a_word_file():
    # Written to a stream it cannot seek back in, a ZIP gives each part's size after its data (a data
    # descriptor), so the parts are found by their headers rather than by their sizes.
    import io
    import zipfile

    from memdiff.ingest import docx as docx_format

    class Stream(io.RawIOBase):
        def __init__(self) -> None:
            self.written = bytearray()

        def writable(self) -> bool:
            return True

        def write(self, chunk) -> int:
            self.written += chunk
            return len(chunk)

    stream = Stream()
    with zipfile.ZipFile(io.BytesIO(_long_word_file())) as source, zipfile.ZipFile(stream, "w") as target:
        for member in source.infolist():
            with target.open(member.filename, "w") as part:
                part.write(source.read(member.filename))
    data = bytes(stream.written)
    with zipfile.ZipFile(io.BytesIO(data)) as check:
        assert all(member.flag_bits & 0x08 for member in check.infolist())
    cut = data[: len(data) * 3 // 4]
    assert docx_format.is_word_archive(cut)


def test_a_word_file_cut_before_its_main_part_is_told_by_its_content_types():
    import zipfile
    from io import BytesIO

    from memdiff.ingest import docx as docx_format

    data = _long_word_file()
    with zipfile.ZipFile(BytesIO(data)) as archive:
        second = sorted(archive.infolist(), key=lambda member: member.header_offset)[1]
    # Only [Content_Types].xml (deflated, as python-docx and Word write it) is left.
    assert docx_format.is_word_archive(data[: second.header_offset])


def test_other_zip_files_are_not_taken_for_word():
    import zipfile
    from io import BytesIO

    from fixtures_docs import zip_bytes

    from memdiff.ingest import docx as docx_format

    workbook = zip_bytes(
        {
            "[Content_Types].xml": b'<Types><Override PartName="/xl/workbook.xml" ContentType="application/'
            b'vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>',
            "xl/workbook.xml": b"<workbook/>",
        }
    )
    text = zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<office/>"})
    # A ZIP that holds a Word file, stored as it is: the Word file's own parts are inside one member.
    out = BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("notes.txt", b"The exhibits.")
        archive.writestr("exhibits/report.docx", _long_word_file())
    holder = out.getvalue()
    for data in (workbook, text, workbook[: len(workbook) // 2], holder, holder[: len(holder) * 9 // 10]):
        assert not docx_format.is_word_archive(data)


def _damaged_main_part(how: str) -> bytes:
    import zipfile
    from io import BytesIO

    data = bytearray(_long_word_file())
    with zipfile.ZipFile(BytesIO(bytes(data))) as archive:
        member = archive.getinfo("word/document.xml")
    start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
    if how == "stream":  # bytes in the middle of the compressed text overwritten, as a bad disk sector would
        middle = start + member.compress_size // 2
        data[middle : middle + 16] = b"\xff" * 16
    else:  # the checksum no longer matches the unpacked text (local header and table of contents alike)
        crc = (member.CRC ^ 0xFFFF).to_bytes(4, "little")
        data[member.header_offset + 14 : member.header_offset + 18] = crc
        position = bytes(data).find(b"PK\x01\x02")
        while position >= 0:
            name_length = int.from_bytes(data[position + 28 : position + 30], "little")
            if bytes(data[position + 46 : position + 46 + name_length]) == b"word/document.xml":
                data[position + 16 : position + 20] = crc
            position = bytes(data).find(b"PK\x01\x02", position + 4)
    return bytes(data)


@pytest.mark.parametrize("how", ["stream", "checksum"])
def test_a_damaged_word_file_is_told_without_zlibs_words(how):
    from memdiff.errors import InputError
    from memdiff.ingest import docx as docx_format

    with pytest.raises(InputError) as err:
        docx_format.read(_damaged_main_part(how), "crc.docx")
    assert str(err.value) == (
        "crc.docx is a Word document whose contents are damaged (part of the file does not unpack as it was "
        "packed); get an intact copy of the file, or open it in Word, which may recover the text, and save "
        "that as a new document."
    )


def test_a_word_file_without_its_main_part_is_told_so():
    import zipfile
    from io import BytesIO

    from memdiff.errors import InputError
    from memdiff.ingest import docx as docx_format

    data = _long_word_file()
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            if member.filename != "word/document.xml":
                target.writestr(member, source.read(member.filename))
    assert docx_format.is_word_archive(out.getvalue())
    with pytest.raises(InputError) as err:
        docx_format.read(out.getvalue(), "nodoc.docx")
    assert str(err.value) == (
        "nodoc.docx is a damaged Word document: the part that holds its text (word/document.xml) is missing; "
        "get the complete file again, or open it in Word and save it again."
    )


def test_load_tells_a_word_file_cut_short_as_a_word_file(tmp_path):
    from memdiff.errors import InputError
    from memdiff.ingest import load

    path = tmp_path / "trunc.docx"
    path.write_bytes(_long_word_file()[:20000])
    with pytest.raises(InputError, match="trunc.docx is a Word document that has been cut short"):
        load(path)


def test_docx_ruby_keeps_its_text_and_a_box_in_hidden_text_is_hidden():
    import docx
    from fixtures_docs import word_docx_with_parts

    from memdiff.ingest import docx as docx_format

    ruby = (
        "<w:r><w:ruby><w:rubyPr/><w:rt><w:r><w:t>\u304b\u3093\u3058</w:t></w:r></w:rt>"
        "<w:rubyBase><w:r><w:t>\u6f22\u5b57</w:t></w:r></w:rubyBase></w:ruby></w:r>"
    )
    hidden_box = _DRAWN_TEXT_BOX.replace("<w:r>", '<w:r><w:rPr><w:vanish/></w:rPr>', 1)
    body = f"<w:p>{_run('Kanji: ')}{ruby}</w:p><w:p>{_run('Shown.')}{hidden_box}</w:p>"
    extracted = docx_format.read(word_docx_with_parts(_saved(docx.Document()), body=body), "ruby.docx")
    assert extracted.text == "Kanji: \u6f22\u5b57\n\nShown."
    assert extracted.notes == (
        (
            f"{len('Text in the box.')} characters formatted as hidden were left out "
            "(Word neither shows nor prints hidden text)."
        ),
    )


# As Word writes them: a footnote's group follows its reference mark (\chftn) in the body and begins with
# the same mark; \ftnalt makes it an endnote; a note with a mark of the author's own has text, not \chftn.
RTF_WITH_ASIDES = rb"""{\rtf1\ansi\ansicpg1252\deff0{\fonttbl{\f0 Times New Roman;}}\ftnnar\aftnnruc
{\header \pard\plain Running head of the chapter\par}
{\footer \pard\plain Page footer\par}
\pard\plain Alice had a footnote here.{\super\chftn}{\footnote \pard\plain {\super\chftn} First footnote text.}
 And an endnote.{\super\chftn}{\footnote\ftnalt \pard\plain {\super\chftn} Endnote text.}\par
A custom mark{\super *}{\footnote \pard\plain {\super *} Custom mark note.}.\par
Commented text{\*\atnid R}{\*\atnauthor Reviewer}\chatn{\*\annotation \pard\plain Looks copied from chapter one.}.\par
Last{\super\chftn}{\footnote \pard\plain {\super\chftn} Second numbered footnote.\par Its second paragraph.}\par
{\headerf \pard\plain Running head of the chapter\par}
}"""


def test_rtf_footnotes_headers_and_comments_are_read_as_the_word_reader_reads_them():
    extracted = rtf_format.read(RTF_WITH_ASIDES, "chapter.rtf")
    assert extracted.text == (
        "Alice had a footnote here. And an endnote.\n\n"
        "A custom mark*.\n\n"
        "Commented text.\n\n"
        "Last\n\n"
        "Footnotes\n\n"
        "1 First footnote text.\n\n"
        "* Custom mark note.\n\n"
        "2 Second numbered footnote.\n\nIts second paragraph.\n\n"
        "Endnotes\n\n"
        "I Endnote text.\n\n"
        "Headers and footers\n\n"
        "Running head of the chapter\n\n"
        "Page footer"
    )
    assert extracted.notes == (
        (
            '3 footnotes and 1 endnote were included after the body, under the lines "Footnotes" and "Endnotes", '
            "each beginning with its number; the reference numbers in the body were left out."
        ),
        (
            'The document\'s headers and footers (7 words) were included once, at the end under the line "Headers and '
            'footers", though word processors repeat them on every page.'
        ),
        "1 comment (5 words) was left out (word processors show comments beside the text, not in it).",
    )


def test_rtf_asides_inside_a_skipped_destination_stay_skipped():
    data = rb"{\rtf1\ansi Body.{\*\unknown {\footnote Not a note.}}{\info{\header Not a header.}}\par}"
    extracted = rtf_format.read(data, "x.rtf")
    assert (extracted.text, extracted.notes) == ("Body.", ())

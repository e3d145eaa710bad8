"""The Word, HTML, RTF and Markdown readers on real files, alone and through ``memdiff.ingest.load``."""

from __future__ import annotations

import hashlib
import zipfile
from io import BytesIO

import pytest
from fixtures_docs import word_docx
from hypothesis import given, settings
from hypothesis import strategies as st

from memdiff import cli
from memdiff.errors import InputError, LimitExceeded, MemdiffError
from memdiff.ingest import docx as docx_format
from memdiff.ingest import html as html_format
from memdiff.ingest import load
from memdiff.ingest import rtf as rtf_format

# --------------------------------------------------------------------------- Word


def test_docx_paragraphs_and_tables_in_document_order():
    data = word_docx(
        [
            "The opening paragraph.",
            [["Name", "Role"], ["Alice", "Witness"]],
            "",
            "A closing paragraph\twith a tab.",
        ]
    )
    extracted = docx_format.read(data, "brief.docx")
    assert extracted.text == (
        "The opening paragraph.\n\nName\n\nRole\n\nAlice\n\nWitness\n\nA closing paragraph\twith a tab."
    )
    assert extracted.media_type.endswith("wordprocessingml.document")


def test_docx_reads_tracked_changes_as_accepted_and_line_breaks_as_newlines():
    import docx
    from docx.oxml import parse_xml

    document = docx.Document()
    paragraph = document.add_paragraph("Kept words ")
    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    paragraph._p.append(
        parse_xml(
            f'<w:ins {w} w:id="1" w:author="A"><w:r><w:t xml:space="preserve">inserted words </w:t></w:r></w:ins>'
        )
    )
    paragraph._p.append(
        parse_xml(
            f'<w:del {w} w:id="2" w:author="A"><w:r><w:delText>deleted words </w:delText></w:r></w:del>'
        )
    )
    run = paragraph.add_run("end of line")
    run.add_break()
    run.add_text("next line.")
    out = BytesIO()
    document.save(out)
    assert docx_format.read(out.getvalue(), "tracked.docx").text == (
        "Kept words inserted words end of line\nnext line."
    )


def test_docx_through_load_records_the_document(tmp_path):
    data = word_docx(["Seven words are in this first paragraph.", "And three more."])
    path = tmp_path / "letter.docx"
    path.write_bytes(data)
    document = load(path)
    assert (
        document.media_type
        == "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    )
    assert document.text == "Seven words are in this first paragraph.\n\nAnd three more."
    assert document.words == 10
    assert document.pages is None
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size_bytes == len(data)


def test_damaged_docx_is_a_clear_input_error():
    data = word_docx(["Some text."])
    broken = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(broken, "w") as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "word/document.xml":
                content = content[: len(content) // 2]  # XML cut off in the middle
            target.writestr(member, content)
    with pytest.raises(InputError) as err:
        docx_format.read(broken.getvalue(), "half.docx")
    assert str(err.value).startswith("half.docx is damaged and cannot be read as a Word document")
    with pytest.raises(InputError, match="cut.docx is a Word document that has been cut short"):
        docx_format.read(data[: len(data) // 2], "cut.docx")


def test_docx_that_unpacks_beyond_the_limit_is_refused():
    data = word_docx(["Some text."])
    with pytest.raises(LimitExceeded) as err:
        docx_format.read(data, "bomb.docx", max_unpacked_bytes=1000)
    assert "bomb.docx unpacks to" in str(err.value)
    assert "limit" in str(err.value)


def test_docx_with_a_zip_bomb_member_is_refused_before_unpacking():
    data = word_docx(["Some text."])
    bomb = BytesIO()
    with (
        zipfile.ZipFile(BytesIO(data)) as source,
        zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for member in source.infolist():
            target.writestr(member, source.read(member.filename))
        target.writestr("word/media/filler.bin", bytes(600 * 1024 * 1024))
    assert len(bomb.getvalue()) < 2 * 1024 * 1024
    with pytest.raises(LimitExceeded, match="above memdiff's limit of 512 MB"):
        docx_format.read(bomb.getvalue(), "bomb.docx")


# --------------------------------------------------------------------------- HTML

PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Chat export</title>
<style>p { color: red }</style>
<script>var s = "<p>not text</p>";</script></head>
<body>
<h1>Answer &amp; source</h1>
<p>The model   wrote
   this <b>sentence</b>&nbsp;here.<br>And a second line.</p>
<div>First block</div><div>Second block</div>
<ul><li>one</li><li>two</li></ul>
<table><tr><td>cell a</td><td>cell b</td></tr></table>
<pre>  kept
    as is</pre>
<p>caf&eacute; &#8212; &#x2019;quoted&#x2019;</p>
<noscript>Enable JavaScript</noscript>
</body></html>"""


def test_html_visible_text_only():
    extracted = html_format.read(PAGE.encode("utf-8"), "chat.html")
    assert extracted.text == (
        "Answer & source\n\n"
        "The model wrote this sentence\u00a0here.\nAnd a second line.\n\n"
        "First block\nSecond block\n\n"
        "one\ntwo\n\n"
        "cell a\tcell b\n\n"
        "  kept\n    as is\n\n"
        "caf\u00e9 \u2014 \u2019quoted\u2019"
    )
    assert extracted.encoding == "utf-8"
    assert "not text" not in extracted.text and "color" not in extracted.text


def test_html_encoding_from_meta_and_a_head_without_end_tag():
    page = (
        b'<html><head><meta http-equiv="Content-Type" content="text/html; charset=iso-8859-1">'
        b"<title>t</title><p>Fran\xe7ais \x96 ok</p>"
    )
    extracted = html_format.read(page, "old.htm")
    assert extracted.text == "Fran\u00e7ais \u2013 ok"
    assert extracted.encoding == "windows-1252"


def test_html_through_load(tmp_path):
    path = tmp_path / "page.html"
    path.write_bytes(PAGE.encode("utf-8"))
    document = load(path)
    assert document.media_type == "text/html"
    assert document.encoding == "utf-8"
    assert document.text.startswith("Answer & source\n\nThe model wrote")
    assert document.sha256 == hashlib.sha256(PAGE.encode("utf-8")).hexdigest()


def test_html_with_only_script_has_no_text(tmp_path):
    path = tmp_path / "empty.html"
    path.write_bytes(b"<html><head><script>alert(1)</script></head><body> </body></html>")
    with pytest.raises(InputError, match="empty.html contains no text"):
        load(path)


# --------------------------------------------------------------------------- RTF

WORDPAD = rb"""{\rtf1\ansi\ansicpg1252\deff0\nouicompat{\fonttbl{\f0\fnil\fcharset0 Calibri;}{\f1\fnil\fcharset204 Arial Cyr;}}
{\colortbl ;\red255\green0\blue0;}
{\*\generator Riched20 10.0.19041}\viewkind4\uc1
\pard\sa200\sl276\slmult1\f0\fs22\lang9 Caf\'e9 au lait \u8212? a \ldblquote quote\rdblquote .\par
Second {\b bold} paragraph\line with a break.\par
{\f1\'cf\'f0\'e8\'e2\'e5\'f2} and \u-10179\'3f\u-8704\'3f.\par
{\v hidden}shown {\field{\*\fldinst{HYPERLINK "http://example.org"}}{\fldrslt{link text}}}\par
{\pict\wmetafile8\picw10 0102abcdef}{\header Running head\par}\par\par
Tab\tab end\par
}"""


def test_rtf_text_with_escapes_unicode_and_skipped_destinations():
    extracted = rtf_format.read(WORDPAD, "letter.rtf")
    assert extracted.text == (
        "Caf\u00e9 au lait \u2014 a \u201cquote\u201d.\n\n"
        "Second bold paragraph\nwith a break.\n\n"
        "\u041f\u0440\u0438\u0432\u0435\u0442 and \U0001f600.\n\n"
        "shown link text\n\n"
        "Tab\tend\n\n"
        # The header, once, after the body (a word processor repeats it on every page).
        "Headers and footers\n\nRunning head"
    )
    assert extracted.media_type == "application/rtf"
    # One byte (é) was read in the document's Windows-1252, six (Привет) in the Cyrillic font's Windows-1251.
    assert extracted.encoding == "windows-1251"
    assert extracted.notes == (
        (
            "The document's fonts use several code pages, and its non-ASCII bytes were read in each font's own: "
            "windows-1251 (6 bytes), windows-1252 (1 byte); the encoding recorded is the one that read most of them."
        ),
        # "{\\v hidden}": six characters a word processor neither shows nor prints.
        "6 characters formatted as hidden were left out (word processors neither show nor print hidden text).",
        (
            'The document\'s headers and footers (2 words) were included once, at the end under the line "Headers and '
            'footers", though word processors repeat them on every page.'
        ),
    )


@pytest.mark.parametrize(
    ("header", "recorded"),
    [
        (rb"\ansi\ansicpg1252\deff0{\fonttbl{\f0\fcharset238 Arial CE;}}\f0", "windows-1250"),
        (rb"\ansi\ansicpg1250\deff0{\fonttbl{\f0\fcharset0 Arial;}}\f0", "windows-1250"),
        (rb"\ansi\ansicpg1252\deff0{\fonttbl{\f0\fcharset0 Arial;}{\f1\fcharset238 Arial CE;}}\f1", "windows-1250"),
    ],
)
def test_rtf_records_the_code_page_that_read_the_text(header, recorded):
    # The reviewer's Czech document: its \ansicpg says Windows-1252, but its one font's \fcharset238
    # (Windows-1250) read every accented letter, so Windows-1250 is how its bytes were read.
    czech = "Článek 1. Všichni lidé rodí se svobodní a sobě rovní co do důstojnosti a práv."
    body = b"".join(b"\\'%02x" % byte if byte > 127 else bytes([byte]) for byte in czech.encode("cp1250"))
    extracted = rtf_format.read(b"{\\rtf1" + header + b" " + body + b"\\par}", "clanek.rtf")
    assert (extracted.text, extracted.encoding, extracted.notes) == (czech, recorded, ())


def test_rtf_without_non_ascii_bytes_records_its_own_code_page():
    extracted = rtf_format.read(rb"{\rtf1\ansi\ansicpg1251 Plain \u1055? text.\par}", "plain.rtf")
    assert (extracted.text, extracted.encoding, extracted.notes) == ("Plain \u041f text.", "windows-1251", ())


def test_rtf_unicode_fallback_count_and_binary_data():
    # \bin4 is followed by four raw bytes that look like RTF syntax and must be skipped.
    data = (
        rb"{\rtf1\ansi{\uc2 two\u8220\'93\'93 fallbacks}\bin4 "
        + b"\x00{}\\"
        + rb" one\u8221? done}"
    )
    assert rtf_format.read(data, "x.rtf").text == "two\u201c fallbacks one\u201d done"


def test_rtf_two_byte_code_pages_from_the_font_table_and_the_document():
    japanese_font = (
        rb"{\rtf1\ansi{\fonttbl{\f1\fcharset128 MS Mincho;}}\f1 \'93\'fa\'96\'7b\'8c\'ea text}"
    )
    assert rtf_format.read(japanese_font, "jp.rtf").text == "\u65e5\u672c\u8a9e text"
    # In Shift-JIS the second byte of a character may be a plain ASCII letter.
    shift_jis = rb"{\rtf1\ansi\ansicpg932 \'82`\'82a and more}"
    assert rtf_format.read(shift_jis, "jp.rtf").text == "\uff21\uff22 and more"


def test_rtf_through_load(tmp_path):
    path = tmp_path / "letter.rtf"
    path.write_bytes(WORDPAD)
    document = load(path)
    assert document.media_type == "application/rtf"
    assert document.text.startswith("Caf\u00e9 au lait")
    assert document.sha256 == hashlib.sha256(WORDPAD).hexdigest()


def test_rtf_nested_beyond_the_limit_is_refused():
    data = b"{\\rtf1 " + b"{" * (rtf_format.MAX_GROUP_DEPTH + 5) + b"deep"
    with pytest.raises(LimitExceeded, match="deep.rtf nests groups more than 10,000 deep"):
        rtf_format.read(data, "deep.rtf")


def test_rtf_cut_short_keeps_what_was_written(tmp_path):
    # A truncated RTF has no closing braces; the text up to the cut is still the text.
    extracted = rtf_format.read(WORDPAD[: WORDPAD.index(b"Second")], "cut.rtf")
    assert extracted.text == "Caf\u00e9 au lait \u2014 a \u201cquote\u201d."


# --------------------------------------------------------------------------- Markdown and the CLI


def test_markdown_is_read_as_plain_text_but_for_what_its_reader_does_not_see(tmp_path):
    source = "# Title\n\nSome *emphasis* and a [link](http://example.org).\r\n"
    path = tmp_path / "notes.md"
    path.write_bytes(source.encode("utf-8"))
    document = load(path)
    assert document.media_type == "text/markdown"
    assert document.text == "# Title\n\nSome *emphasis* and a link.\n"  # markup kept, the address left out


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("page.html", PAGE.encode("utf-8")),
        ("letter.rtf", WORDPAD),
        ("brief.docx", word_docx(["The opening paragraph.", "The end."])),
    ],
)
def test_extract_prints_exactly_the_extracted_text(tmp_path, capsys, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    assert cli.main(["extract", str(path)]) == 0
    printed = capsys.readouterr().out
    assert printed.rstrip("\n") == load(path).text


# --------------------------------------------------------------------------- hostile input

_RTF_PIECES = st.sampled_from(
    [
        b"{",
        b"}",
        b"\\par ",
        b"\\u-4000?",
        b"\\u99999999999 ",
        b"\\'e9",
        b"\\'",
        b"\\*\\x ",
        b"\\bin3 ",
        b"\\uc0 ",
        b"\\uc9 ",
        b"\\fonttbl",
        b"\\f1 ",
        b"\\fcharset128 ",
        b"\\v ",
        b"\\v0 ",
        b"{\\footnote ",
        b"\\ftnalt ",
        b"\\chftn ",
        b"{\\header ",
        b"{\\*\\annotation ",
        b"word ",
        b"\\",
        b"\xe9\x82",
        b"\\ansicpg99999 ",
        b"\\ansicpg932 ",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(_RTF_PIECES | st.binary(max_size=8), max_size=40))
def test_rtf_reader_never_fails_except_with_a_clear_sentence(pieces):
    data = b"{\\rtf1\\ansi " + b"".join(pieces)
    try:
        text = rtf_format.read(data, "random.rtf").text
    except MemdiffError as err:
        assert "random.rtf" in str(err)
        return
    assert text == text.strip()
    assert "\n\n\n" not in text


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from(
            [
                "<p>",
                "</p>",
                "<br>",
                "<script>",
                "</script>",
                "<head>",
                "<pre>",
                "</pre>",
                "<td>",
                "<tr>",
                "<p hidden>",
                '<div style="display:none">',
                '<span style="visibility:visible">',
                "</div>",
                "<li>",
                "<template>",
                "<!--",
                "-->",
                "&amp;",
                "&#xD800;",
                "&bogus;",
                "<",
                ">",
                " ",
                "\n",
                "word",
            ]
        )
        | st.text(max_size=6),
        max_size=40,
    )
)
def test_html_reader_never_fails_and_leaves_no_ragged_whitespace(pieces):
    text = html_format.read("".join(pieces).encode("utf-8"), "random.html").text
    assert text == text.rstrip() and not text.startswith("\n")
    assert "\n\n\n" not in text
    assert not any(line != line.rstrip() for line in text.split("\n"))


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(min_value=0), st.binary(min_size=0, max_size=4)),
        min_size=1,
        max_size=6,
    )
)
def test_damaged_word_files_give_a_clear_sentence(edits):
    data = bytearray(word_docx(["A paragraph of text.", [["a", "b"]]]))
    for position, replacement in edits:
        position %= len(data)
        data[position : position + len(replacement)] = replacement
    try:
        docx_format.read(bytes(data), "random.docx")
    except MemdiffError as err:
        assert "random.docx" in str(err)


# --------------------------------------------------------------------------- hidden text in Word


def _word_with_hidden_runs() -> bytes:
    """A Word file made by python-docx with hidden text set directly, by a character style and by a paragraph style."""
    import docx
    from docx.enum.style import WD_STYLE_TYPE

    document = docx.Document()
    secret = document.styles.add_style("Secret", WD_STYLE_TYPE.CHARACTER)
    secret.font.hidden = True
    note = document.styles.add_style("Hidden Note", WD_STYLE_TYPE.PARAGRAPH)
    note.font.hidden = True
    inherited = document.styles.add_style("Hidden Note Child", WD_STYLE_TYPE.PARAGRAPH)
    inherited.base_style = note

    paragraph = document.add_paragraph("Visible sentence. ")
    paragraph.add_run("Hidden directly.").font.hidden = True
    paragraph = document.add_paragraph("Shown. ")
    paragraph.add_run("Hidden by style.", style="Secret")
    paragraph.add_run(" Shown again, hidden=False.").font.hidden = False
    document.add_paragraph("A whole hidden paragraph.", style="Hidden Note")
    hidden_parent = document.add_paragraph("Inherited hiding.", style="Hidden Note Child")
    hidden_parent.add_run(" Unhidden by direct formatting.").font.hidden = False
    toggled = document.add_paragraph("", style="Hidden Note")
    toggled.add_run(
        "Hidden twice is shown.", style="Secret"
    )  # a toggle property, set at two levels
    table = document.add_table(rows=1, cols=1)
    table.cell(0, 0).paragraphs[0].add_run("Hidden cell.").font.hidden = True
    document.add_paragraph("Last visible paragraph.")
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def test_docx_text_formatted_as_hidden_is_left_out_and_counted():
    extracted = docx_format.read(_word_with_hidden_runs(), "letter.docx")
    assert extracted.text == (
        "Visible sentence.\n\nShown.  Shown again, hidden=False.\n\n Unhidden by direct formatting.\n\n"
        "Hidden twice is shown.\n\nLast visible paragraph."
    ).replace("\n\n ", "\n\n")
    hidden = [
        "Hidden directly.",
        "Hidden by style.",
        "A whole hidden paragraph.",
        "Inherited hiding.",
        "Hidden cell.",
    ]
    count = sum(len(text) for text in hidden)
    assert extracted.notes == (
        f"{count:,} characters formatted as hidden were left out (Word neither shows nor prints hidden text).",
    )


def test_docx_hidden_text_note_reaches_the_document(tmp_path):
    path = tmp_path / "letter.docx"
    path.write_bytes(_word_with_hidden_runs())
    document = load(path)
    assert "Hidden" not in document.text.replace("Hidden twice", "")
    assert any("formatted as hidden were left out" in note for note in document.notes)


# --------------------------------------------------------------------------- HTML the parser or the charset trips on


@pytest.mark.parametrize(
    ("body", "text"),
    [
        ("<p>The array literal <![x]> is valid here.</p>", "The array literal is valid here."),
        ("<p>Broken <![ tag</p><p>Next paragraph.</p>", "Broken\n\nNext paragraph."),
        ("<p>A <![CDATA[bogus comment]]> in HTML.</p>", "A in HTML."),
        ("<p>Ends with <![", "Ends with"),
    ],
)
def test_html_marked_sections_are_read_as_browsers_read_them(body, text):
    page = f"<!doctype html><html><body>{body}</body></html>".encode()
    assert html_format.read(page, "chat.html").text == text
    # One never closed before the end of the file is kept as text (nothing is lost).
    assert (
        html_format.read(b"<p>Ends with <![ and more", "cut.html").text == "Ends with <![ and more"
    )


@pytest.mark.parametrize("charset", ["hex", "rot13", "undefined", "idna", "utf-7", "no-such-thing"])
def test_a_meta_charset_that_is_no_web_encoding_is_ignored_with_a_note(charset):
    page = f'<!doctype html><html><head><meta charset="{charset}"></head><body><p>Caf\u00e9 ok</p></body></html>'
    extracted = html_format.read(page.encode("utf-8"), "page.html")
    assert extracted.text == "Caf\u00e9 ok"
    assert extracted.encoding == "utf-8"
    assert extracted.notes and charset in extracted.notes[0] and "ignored" in extracted.notes[0]


def test_bytes_the_declared_charset_cannot_read_become_replacement_characters_with_a_note():
    page = b'<html><head><meta charset="shift_jis"></head><body><p>ok \x81 \x82</p></body></html>'
    extracted = html_format.read(page, "page.html")
    assert extracted.encoding == "shift_jis"
    assert "\ufffd" in extracted.text
    assert extracted.notes and "not valid shift_jis" in extracted.notes[0]


def test_html_pages_labelled_latin1_keep_windows_1252_quotes_and_undefined_bytes():
    page = b'<html><head><meta charset="iso-8859-1"></head><body><p>\x93quoted\x94 \x81</p></body></html>'
    extracted = html_format.read(page, "page.html")
    assert extracted.text == "\u201cquoted\u201d \x81"
    assert extracted.encoding == "windows-1252"


# Labels of the WHATWG Encoding Standard that Python's codec registry does not know: browsers read a page
# declaring them in the named encoding, so memdiff must too (it used to ignore them with a false note).
_BROWSER_LABELS = [
    ("x-sjis", "cp932", "吾輩は猫である。名前はまだ無い。", "shift_jis"),
    ("Windows-31J", "cp932", "吾輩は猫である。名前はまだ無い。", "shift_jis"),
    ("x-euc-jp", "euc_jp", "吾輩は猫である。名前はまだ無い。", "euc-jp"),
    ("x-cp1250", "cp1250", "Příliš žluťoučký kůň úpěl ďábelské ódy.", "windows-1250"),
    ("x-cp1251", "cp1251", "Все счастливые семьи похожи друг на друга.", "windows-1251"),
    ("x-cp1258", "cp1258", "Đơn ưu đô, ăn ơn.", "windows-1258"),
    ("x-gbk", "gb18030", "这是一个中文段落，用来测试编码的识别。", "gb18030"),
    ("gb_2312", "gb18030", "这是一个中文段落，用来测试编码的识别。", "gb18030"),
    ("csgb2312", "gb18030", "这是一个中文段落，用来测试编码的识别。", "gb18030"),
    ("cn-big5", "big5", "這是一個中文段落，用來測試編碼的識別。", "big5"),
    ("x-x-big5", "big5", "這是一個中文段落，用來測試編碼的識別。", "big5"),
    ("cseuckr", "cp949", "저작권 분쟁에서 모델 출력이 원문을 재현합니다.", "euc-kr"),
    ("dos-874", "cp874", "ภาษาไทยไม่มีการเว้นวรรคระหว่างคำ", "windows-874"),
    ("x-mac-roman", "mac_roman", "Café naïve — “quoted” résumé.", "macintosh"),
    ("x-mac-cyrillic", "mac_cyrillic", "Все счастливые семьи похожи друг на друга.", "x-mac-cyrillic"),
    ("koi8", "koi8_r", "Все смешалось в доме Облонских.", "koi8-r"),
    ("koi", "koi8_r", "Все смешалось в доме Облонских.", "koi8-r"),
    ("koi8-ru", "koi8_u", "Все смешалось в доме Облонских.", "koi8-u"),
    ("iso-8859-8-i", "iso8859-8", "כתוב את הפרק הראשון של הספר.", "iso-8859-8"),
    ("logical", "iso8859-8", "כתוב את הפרק הראשון של הספר.", "iso-8859-8"),
    ("unicode-1-1-utf-8", "utf-8", "Café — naïve “quoted”.", "utf-8"),
    ("unicode11utf8", "utf-8", "Café — naïve “quoted”.", "utf-8"),
    ("  LATIN1 ", "cp1252", "Café — naïve “quoted”.", "windows-1252"),
]


@pytest.mark.parametrize(("label", "codec", "text", "recorded"), _BROWSER_LABELS)
def test_every_charset_label_browsers_accept_is_read_in_its_encoding(label, codec, text, recorded):
    for declaration in (f'<meta charset="{label}">', f'<meta http-equiv="Content-Type" content="text/html; charset={label}">'):
        page = f"<html><head>{declaration}</head><body><p>{text}</p></body></html>".encode(codec)
        extracted = html_format.read(page, "page.html")
        assert (extracted.text, extracted.encoding, extracted.notes) == (text, recorded, ())

"""The PDF reader on real PDFs: page boundaries, ligatures, passwords, scans, damage and limits."""

from __future__ import annotations

import hashlib
import logging
import re
from io import BytesIO

import pytest
from fixtures_docs import (
    blank_pages_pdf,
    content_stream_pdf,
    encrypted_pdf,
    scanned_pdf,
    text_pdf,
)

from memdiff import cli
from memdiff.errors import Cancelled, InputError, LimitExceeded, NeedsOCR, PasswordRequired
from memdiff.ingest import load, pdf
from memdiff.progress import Progress

THREE_PAGES = [
    ["The first page begins the story.", "It has two lines."],
    ["Page two carries on."],
    ["The third and last page ends it."],
]


def test_every_page_in_order_with_page_starts():
    extracted = pdf.read(text_pdf(THREE_PAGES), "story.pdf")
    assert extracted.text == (
        "The first page begins the story.\nIt has two lines."
        "\n\nPage two carries on."
        "\n\nThe third and last page ends it."
    )
    starts = extracted.page_starts
    assert len(starts) == 3
    assert extracted.text[starts[0] :].startswith("The first page")
    assert extracted.text[starts[1] :].startswith("Page two carries on.")
    assert extracted.text[starts[2] :].startswith("The third and last")
    assert extracted.media_type == "application/pdf"
    assert extracted.notes == ()


def test_an_empty_page_keeps_its_own_start_and_is_named_in_a_note():
    extracted = pdf.read(text_pdf([["Before the gap."], [], ["After the gap."]]), "gap.pdf")
    assert extracted.text == "Before the gap.\n\n\n\nAfter the gap."
    assert extracted.page_starts == (0, 17, 19)
    assert extracted.text[17:17] == ""
    assert any(note.startswith("Page 2 of gap.pdf has no text layer") for note in extracted.notes)


def test_ligatures_are_expanded_and_line_break_hyphens_kept():
    lines = [
        "We \ufb01nd the \ufb02ower in the o\ufb03ce, a\ufb00ord it, and make a repro-",
        "duction of it.",
    ]
    extracted = pdf.read(text_pdf([lines]), "ligatures.pdf")
    assert (
        extracted.text
        == "We find the flower in the office, afford it, and make a repro-\nduction of it."
    )
    assert not re.search("[\ufb00-\ufb06]", extracted.text)


def test_clean_page_removes_controls_and_trailing_spaces_and_extra_blank_lines():
    raw = "line one   \r\n\x00line two\x0c\n\n\n\n\nline \ufb06hree\t \n  "
    assert pdf.clean_page(raw) == "line one\nline two\n\nline sthree"


def test_load_records_the_pdf_document(tmp_path):
    data = text_pdf(THREE_PAGES)
    path = tmp_path / "book.pdf"
    path.write_bytes(data)
    document = load(path)
    assert document.media_type == "application/pdf"
    assert document.pages == 3
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.size_bytes == len(data)
    assert document.words == 6 + 4 + 4 + 7
    assert document.page_of(document.text.index("carries")) == 2
    assert document.pages_of(0, len(document.text)) == (1, 2, 3)
    assert path.read_bytes() == data


FIVE_PAGES = [[f"Sheet {n} of the book carries its own words."] for n in range(1, 6)]
BOOK_NUMBERING = ((0, "ROMAN_LOWER", 1, ""), (2, "ARABIC", 1, ""), (4, "ARABIC", 1, "A-"))


def test_the_numbers_printed_on_the_pages_are_read_from_the_page_labels(tmp_path):
    path = tmp_path / "book.pdf"
    path.write_bytes(text_pdf(FIVE_PAGES, labels=BOOK_NUMBERING))
    document = load(path)
    assert document.page_labels == ("i", "ii", "1", "2", "A-1")
    assert document.to_dict()["page_labels"] == ["i", "ii", "1", "2", "A-1"]
    assert document.pages == 5 and document.page_of(document.text.index("Sheet 4")) == 4


@pytest.mark.parametrize(
    "labels",
    [(), ((0, "ARABIC", 1, ""),)],
    ids=["no labels", "labels that only count from the first page"],
)
def test_pages_numbered_from_the_first_have_no_labels_recorded(labels):
    document = load_pdf_bytes(text_pdf(FIVE_PAGES, labels=labels))
    assert document.page_labels == ()
    assert "page_labels" not in document.to_dict()


def _with_page_labels(tree) -> bytes:
    import pikepdf

    source = pikepdf.open(BytesIO(text_pdf(FIVE_PAGES)))
    source.Root.PageLabels = source.make_indirect(tree)
    if "/Kids" in tree:
        source.Root.PageLabels.Kids = pikepdf.Array([source.Root.PageLabels])  # a tree that is its own child
    out = BytesIO()
    source.save(out)
    return out.getvalue()


def test_damaged_page_labels_cost_only_the_labels():
    import pikepdf

    for tree in (
        pikepdf.Dictionary(Kids=pikepdf.Array()),
        pikepdf.Dictionary(Nums=pikepdf.Array([0, 17, "x", pikepdf.Dictionary(S=42)])),
        pikepdf.Dictionary(Nums=pikepdf.Dictionary()),
    ):
        document = load_pdf_bytes(_with_page_labels(tree))
        assert "Sheet 5" in document.text and document.pages == 5
        assert document.page_labels == ()


def test_a_label_no_reader_would_cite_is_left_empty():
    import pikepdf

    tree = pikepdf.Dictionary(
        Nums=pikepdf.Array([
            0, pikepdf.Dictionary(S=pikepdf.Name.r),
            2, pikepdf.Dictionary(S=pikepdf.Name.D, P="Appendix on the history of the case, part\n "),
        ])
    )
    document = load_pdf_bytes(_with_page_labels(tree))
    assert document.page_labels == ("i", "ii", "", "", "")


def test_pages_before_the_first_labelled_page_have_no_label():
    # The reviewer's labels_partial.pdf: /Nums [2 <</S/D>>] labels pages 3-5 only; pypdf numbers pages 1-2
    # "1" and "2" by default, which would make two pages "p.1" and two "p.2".
    import pikepdf

    tree = pikepdf.Dictionary(Nums=pikepdf.Array([2, pikepdf.Dictionary(S=pikepdf.Name.D)]))
    document = load_pdf_bytes(_with_page_labels(tree))
    assert document.page_labels == ("", "", "1", "2", "3")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # The reviewers' 26-byte file: a PDF header and then plain words. It was called "damaged or incomplete
        # ... (Stream has ended unexpectedly)"; it is no PDF at all.
        (
            b"%PDF-1.4\n garbage garbage\n",
            (
                "junk.pdf is not a PDF: it begins with a PDF header but holds nothing a PDF is made of; "
                "check that it is the right file."
            ),
        ),
        (
            b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 5 0 R >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n",
            (
                "junk.pdf is damaged and cannot be read as a PDF; get another copy, or open it in a PDF reader, "
                "save it as a new PDF and compare that."
            ),
        ),
    ],
)
def test_a_damaged_pdf_is_told_in_plain_words(data, message):
    with pytest.raises(InputError) as err:
        pdf.read(data, "junk.pdf")
    assert str(err.value) == message


def load_pdf_bytes(data: bytes):
    from memdiff.ingest import load_bytes

    return load_bytes(data, "book.pdf")


@pytest.mark.parametrize("aes", [False, True], ids=["rc4", "aes256"])
def test_encrypted_pdf_asks_for_its_password_and_opens_with_it(tmp_path, aes):
    data = encrypted_pdf(text_pdf(THREE_PAGES), user="s3cret", owner="owner-pw", aes=aes)
    with pytest.raises(PasswordRequired) as missing:
        pdf.read(data, "locked.pdf")
    assert "locked.pdf is encrypted" in str(missing.value)
    assert "--password" in str(missing.value)
    with pytest.raises(PasswordRequired) as wrong:
        pdf.read(data, "locked.pdf", password="guess")
    assert "does not open it" in str(wrong.value)
    assert str(wrong.value) != str(missing.value)
    for password in ("s3cret", "owner-pw"):
        opened = pdf.read(data, "locked.pdf", password=password)
        assert opened.text.startswith("The first page begins the story.")
        assert len(opened.page_starts) == 3
    path = tmp_path / "locked.pdf"
    path.write_bytes(data)
    assert load(path, password="s3cret").pages == 3


@pytest.mark.parametrize("aes", [False, True], ids=["rc4", "aes256"])
def test_pdf_with_only_owner_restrictions_opens_without_a_password(aes):
    data = encrypted_pdf(text_pdf(THREE_PAGES), user="", owner="owner-pw", aes=aes)
    for password in (None, "a habit password"):
        extracted = pdf.read(data, "restricted.pdf", password=password)
        assert extracted.text.endswith("The third and last page ends it.")
        assert any("owner password only" in note for note in extracted.notes)


def test_scan_without_text_layer_needs_ocr():
    with pytest.raises(NeedsOCR) as err:
        pdf.read(scanned_pdf(2), "scan.pdf")
    assert "scan.pdf has no text layer" in str(err.value)
    assert "OCR" in str(err.value)


def test_scanned_pages_among_typed_ones_are_named():
    extracted = pdf.read(scanned_pdf(4, text_pages=(2,)), "mixed.pdf")
    assert extracted.text == "\n\nTyped text on page 2.\n\n\n\n"
    assert extracted.page_starts == (0, 2, 25, 27)
    assert any(
        note.startswith("Pages 1, 3, 4 of mixed.pdf have no text layer") for note in extracted.notes
    )


@pytest.mark.parametrize("keep", [0.05, 0.5, 0.97])
def test_truncated_pdf_is_a_clear_input_error(keep, caplog):
    data = text_pdf(THREE_PAGES)
    with caplog.at_level(logging.DEBUG), pytest.raises(InputError) as err:
        pdf.read(data[: int(len(data) * keep)], "cut.pdf")
    message = str(err.value)
    assert message == (
        "cut.pdf is damaged: it stops before the end of the PDF, as a file cut short while being copied, "
        "downloaded or saved does; get a complete copy and try again."
    )
    assert "\n" not in message
    assert not [record for record in caplog.records if record.name.startswith(("pypdf", "pikepdf"))]


def test_truncated_pdf_through_the_cli_exits_2_without_traceback(tmp_path, capsys):
    data = text_pdf(THREE_PAGES)
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 2])
    assert cli.main(["extract", str(path)]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "cut.pdf is damaged: it stops before the end of the PDF" in captured.err
    assert captured.out == ""


def test_broken_xref_is_repaired_with_a_note(caplog):
    data = text_pdf(THREE_PAGES)
    pointer = re.search(rb"startxref\s+(\d+)", data)
    broken = data[: pointer.start(1)] + b"9" * len(pointer.group(1)) + data[pointer.end(1) :]
    with caplog.at_level(logging.DEBUG):
        extracted = pdf.read(broken, "broken.pdf")
    assert extracted.text == pdf.read(data, "whole.pdf").text
    assert (
        "broken.pdf is damaged (parts of its internal structure are broken); memdiff repaired it while "
        "reading, so check the extracted text against the printed document."
    ) in extracted.notes
    assert not [record for record in caplog.records if record.name.startswith("pypdf")]


def test_garbage_behind_a_pdf_header_is_an_input_error():
    with pytest.raises(InputError) as err:
        pdf.read(b"%PDF-1.7\n" + bytes(range(256)) * 40, "noise.pdf")
    assert "noise.pdf" in str(err.value)


def test_pdf_without_pages_is_an_input_error():
    with pytest.raises(InputError, match="no pages"):
        pdf.read(blank_pages_pdf(0), "nothing.pdf")


def test_more_pages_than_the_limit_are_refused_with_the_limit_stated():
    with pytest.raises(LimitExceeded) as err:
        pdf.read(blank_pages_pdf(pdf.MAX_PAGES + 1), "huge.pdf")
    assert "5,001 pages" in str(err.value)
    assert "limit of 5,000 pages" in str(err.value)


def test_two_thousand_pages_are_read_in_full():
    pages = [[f"This is page {n} of a long book."] for n in range(1, 2001)]
    extracted = pdf.read(text_pdf(pages, unicode_font=False), "long.pdf")
    assert len(extracted.page_starts) == 2000
    last = extracted.page_starts[-1]
    assert extracted.text[last:] == "This is page 2000 of a long book."
    assert extracted.text[extracted.page_starts[999] :].startswith("This is page 1000 ")


def test_text_beyond_the_character_limit_is_refused():
    with pytest.raises(LimitExceeded) as err:
        pdf.read(text_pdf(THREE_PAGES), "wordy.pdf", max_characters=60)
    assert "more than 60 characters" in str(err.value)


def test_a_page_drawing_the_same_words_over_and_over_stops_at_the_page_limit():
    # 1.2 million characters from a stream of a few kilobytes. The budget stops
    # pypdf as it meets the operators, before its slow assembly of the text.
    content = b"BT /F1 12 Tf 10 10 Td " + b"(many words drawn again) Tj " * 50_000 + b"ET"
    data = content_stream_pdf(content)
    assert len(data) < 20_000
    with pytest.raises(LimitExceeded) as err:
        pdf.read(data, "repeat.pdf")
    assert str(err.value).startswith("Page 1 of repeat.pdf draws more than 1,000,000 characters")


def test_the_limit_for_the_whole_file_counts_pages_together():
    pages = [["Twenty-five characters ok"]] * 8
    assert len(pdf.read(text_pdf(pages), "eight.pdf", max_characters=8 * 25 + 7 * 2).text) == 214
    with pytest.raises(LimitExceeded, match="eight.pdf yields more than 150 characters"):
        pdf.read(text_pdf(pages), "eight.pdf", max_characters=150)


def test_a_page_too_complex_to_parse_is_skipped_with_a_note():
    from pypdf import PdfReader, PdfWriter

    # Page 1: 30,000 drawing tokens and no text (like a detailed map); page 2: text.
    drawing = PdfReader(BytesIO(content_stream_pdf(b"1 2 m " * 10_000))).pages[0]
    writer = PdfWriter()
    writer.add_page(drawing)
    writer.append(PdfReader(BytesIO(text_pdf([["Words after the map."]]))))
    out = BytesIO()
    writer.write(out)
    extracted = pdf.read(out.getvalue(), "atlas.pdf", max_stream_tokens=20_000)
    assert extracted.text == "\n\nWords after the map."
    assert extracted.page_starts == (0, 2)
    assert any(
        note.startswith("Page 1 of atlas.pdf holds more than 20,000 drawing instructions")
        for note in extracted.notes
    )
    assert not any("no text layer" in note for note in extracted.notes)
    assert pdf.read(out.getvalue(), "atlas.pdf").text.endswith("Words after the map.")
    with pytest.raises(
        LimitExceeded, match=r"^map.pdf has no page memdiff can read \(Page 1 of map.pdf holds"
    ):
        pdf.read(content_stream_pdf(b"1 2 m " * 10_000), "map.pdf", max_stream_tokens=20_000)


def test_the_work_for_the_whole_file_is_bounded():
    pages = [[f"Line {n} of a page with a handful of words."] * 20 for n in range(10)]
    with pytest.raises(LimitExceeded) as err:
        pdf.read(text_pdf(pages), "heavy.pdf", max_tokens=500)
    assert str(err.value).startswith("heavy.pdf holds more than 500 drawing instructions")


def _shared_page_pdf(
    pages: int, content: bytes, *, form: bytes | None = None, second_font_cmap: bytes | None = None
) -> bytes:
    """One Flate-compressed content stream listed on ``pages`` pages (the same page object each time).

    With ``form``, the page's resources hold a form XObject /X whose content is ``form`` (the page
    content draws it with "/X Do"). With ``second_font_cmap``, a second page object shares the content
    stream but has its own resources, whose font maps codes to Unicode through that ToUnicode map;
    it comes second, the copies of the first page after it.
    """
    import zlib

    import pikepdf

    document = pikepdf.new()

    def helvetica(**extra):
        return document.make_indirect(
            pikepdf.Dictionary(
                Type=pikepdf.Name.Font,
                Subtype=pikepdf.Name.Type1,
                BaseFont=pikepdf.Name.Helvetica,
                **extra,
            )
        )

    def flate(data: bytes):
        stream = pikepdf.Stream(document, b"")
        stream.write(zlib.compress(data, 9), filter=pikepdf.Name.FlateDecode)
        return document.make_indirect(stream)

    font = helvetica()
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    if form is not None:
        drawing = flate(form)
        drawing.Type, drawing.Subtype, drawing.BBox = (
            pikepdf.Name.XObject,
            pikepdf.Name.Form,
            [0, 0, 100, 100],
        )
        drawing.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
        resources.XObject = pikepdf.Dictionary(X=drawing)
    document.add_blank_page(page_size=(100, 100))
    page = document.pages[0]
    page.Resources = resources
    page.Contents = flate(content)
    if second_font_cmap is not None:  # second in page order, before the copies of the first
        document.add_blank_page(page_size=(100, 100))
        other = document.pages[-1]
        other.Contents = page.Contents
        other.Resources = pikepdf.Dictionary(
            Font=pikepdf.Dictionary(F1=helvetica(ToUnicode=document.make_stream(second_font_cmap)))
        )
    for _ in range(pages - 1):
        document.Root.Pages.Kids.append(page.obj)
    document.Root.Pages.Count = len(document.Root.Pages.Kids)
    out = BytesIO()
    document.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _distinct_pages_pdf(pages: int, content: bytes) -> bytes:
    """``pages`` pages, each with its own Flate-compressed copy of ``content`` (nothing shared)."""
    import zlib

    import pikepdf

    document = pikepdf.new()
    font = document.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    for _ in range(pages):
        document.add_blank_page(page_size=(100, 100))
        document.pages[-1].Resources = resources
        document.pages[-1].Contents = document.make_stream(
            zlib.compress(content, 9), Filter=pikepdf.Name.FlateDecode
        )
    out = BytesIO()
    document.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _forms_pdf(forms: dict[str, tuple[bytes, tuple[str, ...]]], pages: list[bytes]) -> bytes:
    """Pages drawing form XObjects by name; ``forms`` maps a name to its content and the forms it may draw.

    Every page's resources name every form; each form's resources name the forms listed with it,
    so forms can draw each other, themselves, or forms they do not have (which draw nothing).
    """
    import pikepdf

    document = pikepdf.new()
    font = document.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    made = {}
    for name, (content, _) in forms.items():
        stream = pikepdf.Stream(document, content)
        stream.Type, stream.Subtype, stream.BBox = (
            pikepdf.Name.XObject,
            pikepdf.Name.Form,
            [0, 0, 100, 100],
        )
        made[name] = document.make_indirect(stream)
    for name, (_, draws) in forms.items():
        made[name].Resources = pikepdf.Dictionary(
            Font=pikepdf.Dictionary(F1=font),
            XObject=pikepdf.Dictionary({"/" + other: made[other] for other in draws}),
        )
    resources = pikepdf.Dictionary(
        Font=pikepdf.Dictionary(F1=font),
        XObject=pikepdf.Dictionary({"/" + name: form for name, form in made.items()}),
    )
    for content in pages:
        document.add_blank_page(page_size=(100, 100))
        document.pages[-1].Resources = resources
        document.pages[-1].Contents = document.make_stream(content)
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def _words(text: str) -> bytes:
    return f"BT /F1 10 Tf 10 10 Td ({text}) Tj ET ".encode()


def test_a_page_listed_thousands_of_times_is_parsed_once():
    # 4,000 pages listing one stream of 9,000 tokens (27 KB unpacked): 36 million tokens and 108 MB
    # of drawing if each page were parsed again; parsed once, 9,007 tokens and 21 KB.
    content = b"BT /F1 12 Tf " + b"1 0 Td " * 3_000 + b"(x) Tj ET"
    data = _shared_page_pdf(4000, content)
    extracted = pdf.read(data, "tokens.pdf", max_tokens=9_007, max_drawing_bytes=len(content))
    assert extracted.text == "\n\n".join(["x"] * 4000)
    with pytest.raises(
        LimitExceeded, match="^tokens.pdf holds more than 9,006 drawing instructions"
    ):
        pdf.read(data, "tokens.pdf", max_tokens=9_006)
    with pytest.raises(LimitExceeded, match=r"^tokens.pdf holds more than 21 KB of drawing"):
        pdf.read(data, "tokens.pdf", max_drawing_bytes=len(content) - 1)


def test_a_small_file_unpacking_into_far_more_drawing_is_refused_before_any_page_is_parsed():
    # Five copies of a page of 900,000 tokens, each to be parsed: 10 MB of drawing instructions
    # from 17 KB. Refused at once, by the amplification rule, which the sentence states.
    data = _distinct_pages_pdf(5, b"BT /F1 12 Tf " + b"1 0 Td " * 300_000 + b"(x) Tj ET")
    assert len(data) < 64_000
    with pytest.raises(LimitExceeded) as err:
        pdf.read(data, "tokens.pdf")
    message = str(err.value)
    assert message.startswith(
        f"tokens.pdf unpacks from {len(data) // 1000 + (len(data) % 1000 >= 500)} KB into more than 8 MB"
    )
    assert "limit of 100 times a PDF's size (and at least 8 MB)" in message


def test_a_form_is_parsed_once_however_often_it_is_drawn_and_its_text_counted_each_time():
    form = (
        b"BT /F1 12 Tf 10 10 Td (inside the form) Tj ET " + b"0 0 m 50 50 l S " * 2_000
    )  # about 32 KB, 14,010 tokens
    drawn_three_times = pdf.read(_shared_page_pdf(1, b"/X Do /X Do /X Do", form=form), "three.pdf")
    assert drawn_three_times.text.count("inside the form") == 3
    page = b"/X Do " * 1_000
    many = _shared_page_pdf(1, page, form=form)
    # 14,010 tokens of the form and 2,000 of the page; 32 KB and 6 KB of drawing.
    extracted = pdf.read(
        many, "many.pdf", max_tokens=16_010, max_drawing_bytes=len(form) + len(page)
    )
    assert extracted.text.count("inside the form") == 1_000
    with pytest.raises(
        LimitExceeded, match="^many.pdf holds more than 16,009 drawing instructions"
    ):
        pdf.read(many, "many.pdf", max_tokens=16_009)
    with pytest.raises(LimitExceeded, match="^many.pdf holds more than 38 KB of drawing"):
        pdf.read(many, "many.pdf", max_drawing_bytes=len(form) + len(page) - 1)
    # The text is given again each time, and counted each time.
    with pytest.raises(
        LimitExceeded, match="^Page 1 of many.pdf draws more than 14,999 characters"
    ):
        pdf.read(many, "many.pdf", max_page_characters=14_999)
    # A name that only ends in "Do" draws nothing.
    assert (
        pdf.read(_shared_page_pdf(1, b"/X Do /NotDo Do" * 1, form=form), "one.pdf").text.count(
            "inside"
        )
        == 1
    )


@pytest.mark.parametrize(
    "forms, pages",
    [
        pytest.param(
            {
                "A": (_words("alpha") + b"/B Do /B Do " + _words("after"), ("B",)),
                "B": (_words("beta"), ()),
            },
            [b"/A Do " + _words(f"page {n}") + b"/B Do" for n in range(4)],
            id="nested",
        ),
        pytest.param(
            {
                "A": (_words("alpha") + b"/B Do " + _words("a2"), ("A", "B")),
                "B": (_words("beta") + b"/A Do /B Do " + _words("b2"), ("A", "B")),
            },
            [b"/A Do /B Do /A Do " + _words(f"p{n}") for n in range(3)] + [b"/B Do"],
            id="drawing-each-other",
        ),
        pytest.param(
            {"S": (_words("self") + b"/S Do /Missing Do " + _words("s2"), ("S",))},
            [b"/S Do /S Do", b"/S Do"],
            id="drawing-itself",
        ),
        # pypdf opens at most 5,000 forms a page and leaves the rest out: 3,000 draws of a form that
        # draws another are 6,000; the second page draws a form inside the limit and one beyond.
        pytest.param(
            {"A": (_words("a") + b"/B Do", ("B",)), "B": (_words("b"), ())},
            [
                b"/A Do " * 3_000 + _words("end"),
                b"/A Do " * 2_499 + b"/B Do /B Do /A Do " + _words("x"),
            ],
            id="beyond-pypdfs-5000-forms",
        ),
    ],
)
def test_forms_read_once_give_the_text_pypdf_gives_page_by_page(forms, pages):
    from pypdf import PdfReader

    data = _forms_pdf(forms, pages)
    extracted = pdf.read(data, "forms.pdf")
    ends = [*extracted.page_starts[1:], len(extracted.text) + 2]
    ours = [extracted.text[start : end - 2] for start, end in zip(extracted.page_starts, ends)]
    theirs = [pdf.clean_page(page.extract_text()) for page in PdfReader(BytesIO(data)).pages]
    assert ours == theirs
    assert all(theirs)


def test_a_form_opening_as_many_forms_as_pypdf_allows_is_parsed_once():
    # A opens B 4,999 times: with its own entry, the 5,000 forms pypdf opens on a page, none skipped.
    forms = {"A": (_words("a") + b"/B Do " * 4_999, ("B",)), "B": (_words("b"), ())}
    data = _forms_pdf(forms, [b"/A Do " + _words(f"page {n}") for n in range(3)])
    # About 10,000 tokens for A, parsed once; three times would be 30,000.
    extracted = pdf.read(data, "stamps.pdf", max_tokens=12_000)
    assert extracted.text.count("b") == 3 * 4_999
    assert extracted.notes == ()


def _clique(names: list[str], strokes: int = 10) -> dict[str, tuple[bytes, tuple[str, ...]]]:
    """Forms each drawing all of them (a loop, which a valid PDF never has), with their name and strokes."""
    draws = b"".join(f"/{other} Do ".encode() for other in names)
    return {
        name: (_words(name) + draws + b"0 0 m " * strokes + _words(name + "-end"), tuple(names))
        for name in names
    }


@pytest.mark.parametrize("forms", [3, 4, 5])
def test_forms_in_a_loop_give_the_text_pypdf_gives_within_the_limit(forms):
    # Each form is read once for every set of open forms it asks about, as pypdf would read it.
    from pypdf import PdfReader

    names = [f"F{n}" for n in range(forms)]
    pages = [f"/{names[n % forms]} Do /F0 Do ".encode() + _words(f"page {n}") for n in range(3)]
    data = _forms_pdf(_clique(names), pages)
    extracted = pdf.read(data, "loop.pdf")
    ends = [*extracted.page_starts[1:], len(extracted.text) + 2]
    ours = [extracted.text[start : end - 2] for start, end in zip(extracted.page_starts, ends)]
    theirs = [pdf.clean_page(page.extract_text()) for page in PdfReader(BytesIO(data)).pages]
    assert ours == theirs


def test_forms_in_a_loop_beyond_the_limit_are_refused(monkeypatch):
    names = [f"F{n}" for n in range(4)]
    data = _forms_pdf(_clique(names, strokes=200), [b"/F0 Do " + _words("the page")])
    assert "the page" in pdf.read(data, "loop.pdf").text
    monkeypatch.setattr(pdf, "MAX_LOOP_TOKENS", 2_000)
    with pytest.raises(LimitExceeded) as err:
        pdf.read(data, "loop.pdf")
    assert str(err.value).startswith(
        "loop.pdf has forms that draw one another in a loop, which a valid PDF never does, "
        "and reading them would take more than 2,000 drawing instructions"
    )


def test_forms_beyond_pypdfs_limit_per_page_are_named_in_a_note():
    # pypdf opens at most 5,000 forms on a page and leaves the rest out: the pages it did that on
    # are named. Page 1 opens 6,000 (A and the B inside it, 3,000 times), page 2 exactly 5,000.
    forms = {"A": (_words("a") + b"/B Do", ("B",)), "B": (_words("b"), ())}
    pages = [b"/A Do " * 3_000 + _words("end"), b"/B Do " * 5_000, b"/B Do " * 5_001]
    extracted = pdf.read(_forms_pdf(forms, pages), "forms.pdf")
    assert extracted.text.count("b") == 2_500 + 5_000 + 5_000
    assert extracted.notes == (
        (
            "Pages 1, 3 of forms.pdf draw more than 5,000 forms, beyond the PDF reader's limit per "
            "page; the text of the forms after that is missing from the comparison."
        ),
    )


def test_a_form_beyond_the_limit_per_stream_is_left_out_with_a_note_and_counted_once():
    form = b"BT /F1 12 Tf 10 10 Td (logo) Tj ET " + b"0 0 m " * 700  # 2,110 tokens
    data = _shared_page_pdf(1, b"/X Do " + _words("Letter text."), form=form)
    data_3 = _shared_page_pdf(3, b"/X Do " + _words("Letter text."), form=form)
    extracted = pdf.read(data, "letter.pdf", max_stream_tokens=1_000)
    assert extracted.text == "Letter text."
    assert extracted.notes == (
        (
            "Page 1 of letter.pdf holds more than 1,000 drawing instructions in one page or form, "
            "beyond memdiff's limit; that text is missing from the comparison."
        ),
    )
    # Its pages listed three times: every page named, the form's 1,000 tokens charged once.
    extracted = pdf.read(data_3, "letters.pdf", max_stream_tokens=1_000, max_tokens=1_012)
    assert extracted.text == "\n\n".join(["Letter text."] * 3)
    assert extracted.notes[0].startswith(
        "Pages 1, 2, 3 of letters.pdf hold more than 1,000 drawing"
    )
    assert pdf.read(data, "letter.pdf").text == "logo\nLetter text."
    # Pages whose only text is in such a form have nothing to compare.
    with pytest.raises(
        LimitExceeded,
        match=r"^only.pdf has no page memdiff can read \(Pages 1, 2 of only.pdf hold more",
    ):
        pdf.read(_shared_page_pdf(2, b"/X Do", form=form), "only.pdf", max_stream_tokens=1_000)


def test_the_work_budget_running_out_inside_a_form_refuses_the_file():
    # Three pages, each drawing its own form of 91 tokens: the budget runs out inside the third form,
    # where pypdf would have left that form's text out and gone on with the page.
    forms = {name: (_words(f"form {name}") + b"0 0 m " * 40, ()) for name in "ABC"}
    data = _forms_pdf(forms, [f"/{name} Do ".encode() + _words(f"page {name}") for name in "ABC"])
    assert pdf.read(data, "forms.pdf", max_tokens=500).text.count("form ") == 3
    with pytest.raises(LimitExceeded, match="^forms.pdf holds more than 250 drawing instructions"):
        pdf.read(data, "forms.pdf", max_tokens=250)


def test_the_absolute_drawing_limit_is_stated():
    data = text_pdf(THREE_PAGES)
    with pytest.raises(LimitExceeded) as err:
        pdf.read(data, "plain.pdf", max_drawing_bytes=100)
    assert str(err.value).startswith(
        "plain.pdf holds more than 100 bytes of drawing instructions (its pages' content and the forms they draw, "
        "each counted as often as it must be read), above memdiff's limit per PDF"
    )
    # The ratio rule: about 7 KB of drawing instructions compressed into a file of under 1 KB.
    packed = content_stream_pdf(b"BT /F1 12 Tf 10 10 Td " + b"(word) Tj " * 700 + b"ET")
    assert len(packed) < 1_000
    with pytest.raises(
        LimitExceeded,
        match=rf"^packed.pdf unpacks from {len(packed)} bytes into more than [12] KB of "
        r"drawing .* limit of 2 times a PDF's size \(and at least 10 bytes\)",
    ):
        pdf.read(packed, "packed.pdf", max_drawing_ratio=2, min_drawing_bytes=10)
    # ... which gives way to its floor.
    assert pdf.read(
        packed, "packed.pdf", max_drawing_ratio=2, min_drawing_bytes=10_000
    ).text.startswith("word")


def test_a_repeated_page_reads_like_the_first_and_its_text_counts_each_time():
    content = b"BT /F1 12 Tf 10 50 Td (The same words on every page.) Tj ET"
    data = _shared_page_pdf(5, content)
    extracted = pdf.read(data, "copies.pdf")
    assert extracted.text == "\n\n".join(["The same words on every page."] * 5)
    assert len(extracted.page_starts) == 5
    # Ten tokens a page (five operators, five operands), parsed once.
    assert pdf.read(data, "copies.pdf", max_tokens=10).text.count("same words") == 5
    with pytest.raises(LimitExceeded, match="^copies.pdf holds more than 9 drawing instructions"):
        pdf.read(data, "copies.pdf", max_tokens=9)
    # Its 29 characters five times, and four separators, are 161.
    with pytest.raises(LimitExceeded, match="^copies.pdf yields more than 140 characters"):
        pdf.read(data, "copies.pdf", max_characters=140)


def test_pages_sharing_a_stream_but_not_its_fonts_are_read_apart():
    # The second page draws the same codes with a font whose map sends "A" to "Q" and "B" to "R".
    cmap = (
        b"/CIDInit /ProcSet findresource begin 12 dict begin begincmap /CMapName /Shifted def "
        b"/CMapType 2 def 1 begincodespacerange <00> <FF> endcodespacerange 2 beginbfchar "
        b"<41> <0051> <42> <0052> endbfchar endcmap CMapName currentdict /CMap defineresource pop end end"
    )
    data = _shared_page_pdf(2, b"BT /F1 12 Tf 10 50 Td (AB) Tj ET", second_font_cmap=cmap)
    assert pdf.read(data, "fonts.pdf").text.split("\n\n") == ["AB", "QR", "AB"]


def test_compression_bomb_is_refused():
    # 100 MB of text in a stream of about 100 KB: beyond pypdf's 75 MB per stream.
    bomb = b"BT /F1 12 Tf 10 10 Td (" + b"A" * 100_000_000 + b") Tj ET"
    data = content_stream_pdf(bomb)
    assert len(data) < 1_000_000
    with pytest.raises(LimitExceeded) as err:
        pdf.read(data, "bomb.pdf")
    assert "bomb.pdf" in str(err.value)
    assert "75 MB" in str(err.value)


def test_reading_twice_gives_identical_results():
    data = scanned_pdf(3, text_pages=(1, 3))
    assert pdf.read(data, "x.pdf") == pdf.read(data, "x.pdf")


def test_damaged_pdfs_never_escape_as_anything_but_a_clear_sentence():
    # A fixed-seed mutation run (the longer fuzzing lives outside the test suite):
    # every outcome is text or one of memdiff's input errors naming the file.
    import random

    from memdiff.errors import MemdiffError

    rng = random.Random(20261129)
    seeds = [
        text_pdf(THREE_PAGES),
        encrypted_pdf(text_pdf(THREE_PAGES), user="", owner="o", aes=True),
    ]
    for _ in range(120):
        data = bytearray(rng.choice(seeds))
        for _ in range(rng.randint(1, 6)):
            position = rng.randrange(len(data))
            if rng.random() < 0.6:
                data[position] = rng.randrange(256)
            else:
                del data[position : position + rng.randint(1, 200)]
        try:
            extracted = pdf.read(bytes(data), "mutant.pdf")
        except MemdiffError as err:
            assert "mutant.pdf" in str(err)
            assert "0x" not in str(err)
        else:
            assert len(extracted.page_starts) >= 1


class _CancelAfter(Progress):
    """A user who presses Cancel after memdiff has asked ``questions`` times whether to stop."""

    def __init__(self, questions: int) -> None:
        self.allowed = questions
        self.asked = 0
        self.messages: list[str] = []

    def report(self, fraction: float, message: str = "") -> None:
        self.messages.append(message)

    def is_cancelled(self) -> bool:
        self.asked += 1
        return self.asked > self.allowed


def test_progress_names_the_pages_and_cancel_stops_reading():
    pages = [[f"Page {n}."] for n in range(1, 301)]
    data = text_pdf(pages, unicode_font=False)
    watcher = _CancelAfter(10**9)
    pdf.read(data, "book.pdf", progress=watcher)
    assert watcher.messages[0] == "Reading page 1 of 300 of book.pdf"
    assert watcher.messages[-1] == "Reading page 300 of 300 of book.pdf"
    cancelling = _CancelAfter(5)
    with pytest.raises(Cancelled):
        pdf.read(data, "book.pdf", progress=cancelling)
    # Asked before each page, reported every third page: stopped before page 6.
    assert cancelling.messages == [
        "Reading page 1 of 300 of book.pdf",
        "Reading page 3 of 300 of book.pdf",
    ]


def test_cancel_stops_inside_a_slow_page():
    # 100,000 drawing tokens on one page: the reader asks whether to stop as it goes,
    # so the user's answer is heard before the page is finished.
    watcher = _CancelAfter(2)
    with pytest.raises(Cancelled):
        pdf.read(content_stream_pdf(b"BT (x) Tj ET " * 25_000), "slow.pdf", progress=watcher)
    assert watcher.asked == 3


def test_cancel_inside_a_form_on_the_last_page_is_not_lost():
    # The question comes while pypdf reads the form, which catches what the form raises and goes on
    # with the page; the answer is still heard, not turned into a page without the form's text.
    form = _words("logo") + b"0 0 m " * 40_000
    data = _shared_page_pdf(1, b"/X Do " + _words("Letter"), form=form)
    watcher = _CancelAfter(1)
    with pytest.raises(Cancelled):
        pdf.read(data, "letter.pdf", progress=watcher)
    assert watcher.asked == 2
    assert pdf.read(data, "letter.pdf").text == "logo\nLetter"


def test_cancel_is_heard_while_the_drawing_instructions_are_measured():
    # 18 MB of drawing instructions in one stream: measuring decompresses it and asks whether to stop
    # before the amplification rule would refuse the file.
    data = content_stream_pdf(b"0 0 m " * 3_000_000)
    with pytest.raises(LimitExceeded, match="unpacks from"):
        pdf.read(data, "drawing.pdf")
    watcher = _CancelAfter(0)
    with pytest.raises(Cancelled):
        pdf.read(data, "drawing.pdf", progress=watcher)
    assert watcher.messages == []  # stopped before the first page was read

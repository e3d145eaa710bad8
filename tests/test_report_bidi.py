"""Right-to-left lines in reports: the visual order of the Unicode Bidirectional Algorithm, Arabic joined."""

from __future__ import annotations

import shutil
import subprocess
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from memdiff.report.bidi import has_right_to_left, levels, paragraph_level, shape, visual_runs


def drawn(text: str) -> str:
    return "".join(piece for _, piece in visual_runs([(0, text)], paragraph_level(text)))


# Each expected order was checked against python-bidi 0.6 (the Rust unicode-bidi crate), which gives
# the same strings; it leaves brackets to the renderer to mirror, which a PDF page does not do.
@pytest.mark.parametrize(
    "text, expected",
    [
        ("שלום עולם", "םלוע םולש"),
        ("The model wrote: שלום עולם and then", "The model wrote: םלוע םולש and then"),
        ("בשנת 1997 היה", "היה 1997 תנשב"),
        ("שלום, עולם!", "!םלוע ,םולש"),
        ("abc (שלום) def", "abc (םולש) def"),
        ("היה 12.5% ב-2020", "2020-ב 12.5% היה"),
        ("מחיר: $100", "$100 :ריחמ"),
        ("كان هناك 3 ملوك", "كولم 3 كانه ناك"),
        ("الفصل ١٢ من الكتاب", "باتكلا نم ١٢ لصفلا"),
        ("Chapter 3: שלום", "Chapter 3: םולש"),
        ("א ב ג - 1, 2, 3.", ".3 ,2 ,1 - ג ב א"),
        ("x א1 y", "x 1א y"),
        ('"ציטוט" אמר', 'רמא "טוטיצ"'),
        ("שלום   ", "   םולש"),
        ("a b c", "a b c"),
        ("עברית English עברית", "תירבע English תירבע"),
        ("English עברית English", "English תירבע English"),
    ],
)
def test_lines_come_out_in_the_order_they_are_read(text, expected):
    assert drawn(text) == expected


def test_brackets_in_right_to_left_runs_are_mirrored():
    # A page draws the glyph it is given: "(" read right to left must be drawn as ")".
    assert drawn("(שלום)") == "(םולש)"
    assert drawn("[א] {ב}") == "{ב} [א]"


def test_each_piece_keeps_its_look_through_the_reordering():
    runs = [("plain", "אמר "), ("copied", "שלום עולם"), ("plain", " ואז")]
    assert visual_runs(runs, 1) == [("plain", "זאו "), ("copied", "םלוע םולש"), ("plain", " רמא")]
    mixed = [("plain", "The model wrote: "), ("copied", "שלום עולם"), ("plain", " and then.")]
    assert visual_runs(mixed, 0) == [
        ("plain", "The model wrote: "),
        ("copied", "םלוע םולש"),
        ("plain", " and then."),
    ]


def test_marks_stay_after_their_letter():
    # Hebrew points and Arabic vowel marks are drawn after the letter they sit on, whatever the order.
    word = "בְּרֵא"
    out = drawn(word)
    for letter, marks in (("ב", "\u05b0\u05bc"), ("ר", "\u05b5")):
        at = out.index(letter)
        assert set(out[at + 1 : at + 1 + len(marks)]) == set(marks)


def test_paragraph_direction_is_that_of_the_first_strong_letter():
    assert paragraph_level("שלום world") == 1
    assert paragraph_level("world שלום") == 0
    assert paragraph_level("123 ... كان") == 1
    assert paragraph_level("123 ...") == 0


def test_right_to_left_text_is_recognised():
    assert has_right_to_left("a שלום")
    assert has_right_to_left("كان")
    assert not has_right_to_left("naïve café, Ελληνικά, Русский, 中文")


def test_arabic_letters_are_joined_and_lam_alef_made_one():
    word = shape("كان")
    assert [unicodedata.name(ch) for ch in word] == [
        "ARABIC LETTER KAF INITIAL FORM",
        "ARABIC LETTER ALEF FINAL FORM",
        "ARABIC LETTER NOON ISOLATED FORM",
    ]
    assert shape("لا") == "\ufefb"  # ARABIC LIGATURE LAM WITH ALEF ISOLATED FORM
    # Vowel marks are kept, and text without Arabic letters is left as it is.
    assert "\u0650" in shape("بِسْمِ")
    assert shape("שלום, world") == "שלום, world"
    assert unicodedata.normalize("NFKC", shape("كان هناك ملك")) == "كان هناك ملك"


@settings(max_examples=300, deadline=None)
@given(
    st.text(st.sampled_from(list("abc אבג دهو 12٣.,-()%$\u05b0\u064e")), max_size=40),
    st.integers(0, 1),
)
def test_reordering_only_moves_characters(text, base):
    # The same characters come out, a bracket perhaps mirrored, each mark right after a letter or mark.
    out = "".join(piece for _, piece in visual_runs([(0, text)], base))
    either = str.maketrans("()", "[[")
    assert sorted(out.translate(either)) == sorted(text.translate(either))
    assert len(levels(text, base)) == len(text)


@settings(max_examples=200, deadline=None)
@given(st.text(st.sampled_from(list("abc ABC 123.,;:-()")), max_size=40))
def test_left_to_right_text_is_drawn_as_it_is(text):
    assert drawn(text) == text


HEBREW = (
    "בראשית ברא אלהים את השמים ואת הארץ. והארץ היתה תהו ובהו וחשך על פני תהום "
    "ורוח אלהים מרחפת על פני המים. ויאמר אלהים יהי אור ויהי אור."
)
ARABIC = (
    "كان يا ما كان في قديم الزمان كان هناك ملك عادل يحكم مدينة كبيرة على شاطئ البحر وكان يحب الناس"
)


def test_a_report_on_hebrew_and_arabic_reads_in_order(tmp_path):
    # The PDF's text, read back as a reader extracts it, is in reading order: drawn in visual order.
    from pypdf import PdfReader

    from memdiff.analyse import compare
    from memdiff.ingest import load_text
    from memdiff.report import write_report

    original = load_text(HEBREW + "\n" + ARABIC + "\n", "original.txt")
    copied_hebrew = "והארץ היתה תהו ובהו וחשך על פני תהום ורוח אלהים מרחפת על פני המים"
    copied_arabic = "كان هناك ملك عادل يحكم مدينة كبيرة على شاطئ البحر وكان يحب الناس"
    output = load_text(
        f"The model wrote: {copied_hebrew} and then {copied_arabic}.\n", "output.txt"
    )
    comparison = compare(original, output)
    assert comparison.summary.span_count == 2
    target = write_report(comparison, original, output, tmp_path / "report.pdf")
    text = "".join(page.extract_text() for page in PdfReader(target).pages)
    assert "והארץ היתה תהו ובהו" in text
    assert "ובהו והת התיה ץראהו" not in text  # what drawing in stored order gave
    # The joined forms drawn (كان as initial kaf, final alef, isolated noon)
    # are read back as the letters they stand for: the words are found as written.
    assert "ملك عادل يحكم مدينة كبيرة" in text
    assert not any(0xFB50 <= ord(ch) <= 0xFDFF or 0xFE70 <= ord(ch) <= 0xFEFF for ch in text)


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)
def test_arabic_in_a_report_is_found_by_searching_for_its_letters(tmp_path):
    from memdiff.analyse import compare
    from memdiff.ingest import load_text
    from memdiff.report import write_report

    words = "في البدء كان الكلمة والكلمة كان عند الله لا إله إلا هو وكان الكلمة الله هذا كان في البدء عند الله"
    original = load_text(words + "\n", "original.txt")
    target = write_report(compare(original, original), original, original, tmp_path / "arabic.pdf")
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "في البدء كان الكلمة" in text
    # lam-alef ligatures read back as lam and alef (by poppler, as here; pypdf
    # 7 reads such a ligature's two letters the other way round)
    assert "لا إله إلا هو" in text


def test_names_and_titles_in_paragraphs_are_put_in_visual_order():
    from memdiff.report.styles import markup, visual_line

    assert visual_line("נספח א") == "א חפסנ"
    assert visual_line("Exhibit 12") == "Exhibit 12"
    # A right-to-left name inside a left-to-right field: the name reversed, its brackets mirrored.
    assert markup("Case תיק 1234 (א)") == "Case (א) 1234 קית"


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)
def test_a_hebrew_caption_and_prompt_read_in_order(tmp_path):
    from memdiff.analyse import compare
    from memdiff.ingest import load_text
    from memdiff.report import FrontMatter, Provenance, write_report

    original = load_text(HEBREW + "\n", "original.txt")
    prompt = (
        "כתוב את הפרק הראשון של הספר. אני רוצה את כל הטקסט המקורי, מילה במילה, בלי שינויים ובלי קיצורים, "
        "כולל כל הדיאלוגים והתיאורים של הדמויות לאורך הפרק כולו."
    )
    target = write_report(
        compare(original, original),
        original,
        original,
        tmp_path / "hebrew.pdf",
        front=FrontMatter(case_title="פלוני נגד אלמוני", examiner="דנה כהן"),
        provenance=Provenance(model="מודל ארבע", prompt=prompt),
    )
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    for words in ("פלוני נגד אלמוני", "דנה כהן", "מודל ארבע", "כתוב את הפרק הראשון של הספר"):
        assert words in text, words

"""Scripts beyond Latin in reports: each drawn in a bundled face that has it, and given back by text extraction."""

from __future__ import annotations

import re
import shutil
import subprocess

import pikepdf
import pytest

from memdiff.analyse import compare
from memdiff.ingest import load_text
from memdiff.report import FrontMatter, write_report
from memdiff.report.styles import SANS, SCRIPT_FONTS, covers, font_runs, script_font

SAMPLES = {
    "MemdiffKorean": "저작권 분쟁에서 모델 출력이 원문을 얼마나 재현하는지 측정합니다 이 문단은 한국어로 된 원본의 일부입니다",
    "MemdiffDevanagari": "हिन्दी भाषा में लिखा गया यह अनुच्छेद मूल कृति का एक भाग है और तुलना के लिए प्रयोग किया जाता है",
    "MemdiffThai": "ภาษาไทย ไม่มี การเว้นวรรค ระหว่างคำ แต่มี การเว้นวรรค ระหว่างประโยค ข้อความนี้ เป็นส่วนหนึ่ง ของต้นฉบับ",
    "MemdiffTamil": "தமிழ் மொழியில் எழுதப்பட்ட இந்தப் பத்தி மூலப் படைப்பின் ஒரு பகுதியாகும் மேலும் ஒப்பீட்டுக்குப் பயன்படுகிறது",
}


@pytest.mark.parametrize("font", sorted(SCRIPT_FONTS))
def test_every_script_face_draws_the_letters_of_its_blocks(font):
    _, blocks = SCRIPT_FONTS[font]
    has, latin = covers(font), covers(SANS)
    # What DejaVu Sans has itself (a currency sign, say) stays in DejaVu Sans.
    letters = [
        c for first, last in blocks for c in range(first, last + 1) if c in has and c not in latin
    ]
    assert len(letters) >= 40, f"{font} draws too little of its script"
    for code in letters[:: max(1, len(letters) // 50)]:
        assert script_font(code) == font
        assert font_runs(chr(code), SANS) == [(font, chr(code))]


def test_korean_syllables_are_set_in_the_korean_face_not_the_cjk_one():
    runs = font_runs("Case 사건 2026가합12345", SANS)
    assert ("MemdiffKorean", "사건") in runs and ("MemdiffKorean", "가합") in runs


def test_a_character_no_bundled_face_has_stays_in_the_base_face():
    assert script_font(0x1F311) is None
    assert font_runs("moon \U0001f311", SANS) == [(SANS, "moon \U0001f311")]


@pytest.fixture(scope="module")
def scripts_report(tmp_path_factory):
    text = "\n\n".join(SAMPLES.values()) + "\n"
    original = load_text(text, "original.txt")
    suspect = load_text(text, "output.txt")
    target = tmp_path_factory.mktemp("scripts") / "scripts.pdf"
    write_report(
        compare(original, suspect),
        original,
        suspect,
        target,
        front=FrontMatter(case_title="사건 2026가합12345"),
    )
    return target


def test_the_report_embeds_each_script_face_it_uses(scripts_report):
    with pikepdf.open(scripts_report) as pdf:
        names = {
            str(font.BaseFont)
            for page in pdf.pages
            for font in page.Resources.get("/Font", {}).values()
        }
    for filename in ("NanumGothic", "NotoSansDevanagari", "NotoSansThai", "NotoSansTamil"):
        assert any(filename in name for name in names), filename


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)
def test_pdftotext_gives_every_script_back(scripts_report):
    flat = _pdftotext(scripts_report)
    for sample in SAMPLES.values():
        for word in sample.split()[:4]:
            assert word in flat, word
    assert "사건 2026가합12345" in flat


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)
def test_characters_beyond_the_basic_plane_are_copied_back_whole(tmp_path):
    from reportlab.pdfbase import ttfonts

    before = ttfonts.makeToUnicodeCMap
    astral = next(chr(c) for c in sorted(covers(SANS)) if c >= 0x1D400)
    words = f"the formula {astral} appears in both texts and is copied here with eight more words"
    original = load_text(words, "original.txt")
    target = write_report(compare(original, original), original, original, tmp_path / "astral.pdf")
    assert ttfonts.makeToUnicodeCMap is before  # reportlab's own writer is back after the report
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert f"formula {astral} appears" in re.sub(r"\s+", " ", text)
    with pikepdf.open(target) as pdf:
        maps = [
            font.ToUnicode.read_bytes()
            for page in pdf.pages
            for font in page.Resources.Font.values()
            if "/ToUnicode" in font
        ]
    assert not any(re.search(rb"<[0-9A-F]{2}> <[0-9A-F]{5,6}>", m) for m in maps)


def test_the_report_is_told_which_scripts_are_drawn_unshaped_and_which_characters_are_boxes():
    from memdiff.report.styles import drawing_caveats

    assert (
        drawing_caveats(["plain English – “quotes”", "עברית العربية Ελληνικά 漢字 한국어 ภาษาไทย"])
        == []
    )
    (unshaped,) = drawing_caveats(["हिन्दी and தமிழ்", "হিন্দি"])
    assert unshaped.startswith("Text in Bengali, Devanagari and Tamil is drawn letter by letter")
    (boxes,) = drawing_caveats(["a unicorn \U0001f984 and a zero\u200bwidth space"])
    assert boxes.startswith("One character (U+1F984) has no glyph")
    (boxes,) = drawing_caveats(["ܐܪܡܝܐ"])
    assert boxes.startswith("4 different characters (U+0710, U+071D, U+0721, U+072A) have no glyph")


def test_a_japanese_character_that_hangs_at_a_line_end_stays_inside_the_column():
    from memdiff.report.fragments import FragmentParagraphs
    from memdiff.report.styles import Styles

    style = Styles().quote
    width = 200.0
    overflow = 0.0
    for shift in range(12):
        text = "あ" * shift + "データーベースのコーヒーとケーキ、スーパーマーケットのセールー。" * 3
        paragraph = FragmentParagraphs(style).paragraph([("copied", text)], keep_lines=True)
        paragraph.wrap(width, 1e9)
        limit = width - paragraph.style.leftIndent - paragraph.style.rightIndent
        for line in paragraph.blPara.lines:
            extra = line[0] if isinstance(line, tuple) else line.extraSpace
            overflow = max(overflow, limit - extra - (width - paragraph.style.leftIndent))
    assert overflow <= 1e-6


def test_every_font_subset_in_a_report_has_its_own_tag(scripts_report):
    # ISO 32000-1, 9.6.4: different subsets in one file have different six-letter tags.
    with pikepdf.open(scripts_report) as pdf:
        names = {
            str(font.BaseFont)[1:] for page in pdf.pages for font in page.Resources.Font.values()
        }
        descriptors = {
            str(font.BaseFont): str(font.FontDescriptor.FontName)
            for page in pdf.pages
            for font in page.Resources.Font.values()
        }
    tags = [name.split("+", 1)[0] for name in names]
    assert len(names) >= 5 and len(set(tags)) == len(tags)
    assert all(re.fullmatch(r"[A-Z]{6}", tag) for tag in tags)
    assert all(base == described for base, described in descriptors.items())


@pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)
def test_the_findings_say_which_scripts_are_drawn_letter_by_letter(scripts_report):
    flat = _pdftotext(scripts_report)
    assert "Text in Devanagari and Tamil is drawn letter by letter" in flat
    assert "no glyph in the fonts embedded" not in flat


def _pdftotext(path) -> str:
    """The PDF's text as poppler's pdftotext gives it, runs of white space made one space."""
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout
    return re.sub(r"\s+", " ", text)

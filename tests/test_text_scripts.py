"""Words of every script: vowel signs and other marks stay in their words, and one text in several Unicode forms matches itself."""

from __future__ import annotations

import sys
import unicodedata

import pytest

from memdiff.analyse import compare
from memdiff.evidence import Parameters
from memdiff.ingest import load_text
from memdiff.text import marks
from memdiff.text.normalize import count_words, split_words

# Tagore, "Amar Shonar Bangla" (1905).
BENGALI = (
    "আমার সোনার বাংলা আমি তোমায় ভালোবাসি চিরদিন তোমার আকাশ তোমার বাতাস আমার প্রাণে বাজায় বাঁশি "
    "ওমা ফাগুনে তোর আমের বনে ঘ্রাণে পাগল করে মরি হায় হায় রে"
)
# "Telugu is one of the Dravidian languages spoken in South India; it is the official language of two states."
TELUGU = (
    "తెలుగు భాష దక్షిణ భారతదేశంలో మాట్లాడే ద్రావిడ భాషలలో ఒకటి ఇది ఆంధ్రప్రదేశ్ తెలంగాణ "
    "రాష్ట్రాల అధికార భాష"
)
# "We are learning the Tibetan language." Syllables are separated by the tsheg (U+0F0B).
TIBETAN = "ང་ཚོས་བོད་ཀྱི་སྐད་ཡིག་སློབ་སྦྱོང་བྱེད་ཀྱི་ཡོད།"
# Article 1 of the Constitution of the Republic of Korea, and article 2 (1).
KOREAN = (
    "대한민국은 민주공화국이다 대한민국의 주권은 국민에게 있고 모든 권력은 국민으로부터 나온다 "
    "대한민국의 국민이 되는 요건은 법률로 정한다 국가는 법률이 정하는 바에 의하여 재외국민을 보호할 의무를 진다"
)
# "A research report on the copyright of computer programs", in katakana as an old terminal would print it.
KATAKANA = "コンピュータプログラムノチョサクケンニツイテノケンキュウホウコクショ"


def half_width(text: str) -> str:
    """``text`` with every katakana letter in its half-width form (a voiced letter as letter + voicing mark)."""
    table = {}
    for code in range(0xFF66, 0xFF9E):
        for mark in ("", "\uff9e", "\uff9f"):
            full = unicodedata.normalize("NFKC", chr(code) + mark)
            if len(full) == 1:
                table.setdefault(full, chr(code) + mark)
    table["\u30fc"] = "\uff70"
    return "".join(table.get(ch, ch) for ch in text)


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (BENGALI, BENGALI.split()),
        (TELUGU, TELUGU.split()),
        ("ગુજરાતી ભાષા", ["ગુજરાતી", "ભાષા"]),
        ("മലയാളം ഭാഷ", ["മലയാളം", "ഭാഷ"]),
        ("தமிழ் மொழி", ["தமிழ்", "மொழி"]),
        ("ភាសាខ្មែរ", ["ភាសាខ្មែរ"]),  # Khmer writes no spaces between words: the run is one word, as in Thai
        ("မြန်မာစာ", ["မြန်မာစာ"]),
        ("कॢप्त", ["कॢप्त"]),  # Devanagari vocalic L sign
        (TIBETAN, TIBETAN.rstrip("།").split("\u0f0b")),
    ],
)
def test_vowel_signs_and_subjoined_letters_stay_inside_their_words(text, words):
    assert split_words(text).words == words
    assert count_words(text) == len(words)


def test_no_combining_mark_of_any_script_splits_a_word():
    cut = [hex(code) for code in range(sys.maxunicode + 1)
           if unicodedata.category(chr(code)) in marks.MARK_CATEGORIES
           and split_words(f"a{chr(code)}b").words != [f"a{chr(code)}b"]]
    assert cut == []


def test_the_written_out_marks_are_those_of_this_pythons_unicode():
    if unicodedata.unidata_version == marks.UNICODE_VERSION:
        assert marks.mark_ranges() == marks.computed_ranges()
    else:  # another Python: computed, never the table of another version
        assert marks.mark_ranges() == marks.computed_ranges()
        assert marks.mark_ranges() is not marks._RANGES


def test_bengali_with_every_vowel_sign_changed_is_not_a_copy():
    devowelled = "".join("\u09c1" if unicodedata.category(ch) in ("Mn", "Mc") else ch for ch in BENGALI)
    assert devowelled != BENGALI and devowelled.split(" ")[0] == "আমুর"
    original = load_text(BENGALI, "original")
    assert compare(original, load_text(devowelled, "output")).spans == ()
    copy = compare(original, load_text(f"কবি লিখেছেন {BENGALI}", "output"))
    assert [(s.kind, s.words) for s in copy.spans] == [("exact", len(BENGALI.split()))]


def test_telugu_and_tibetan_copies_are_measured_in_words():
    for text, words in ((TELUGU, len(TELUGU.split())), (TIBETAN, 11)):
        result = compare(load_text(text, "original"), load_text(text, "output"), Parameters(min_words=4))
        assert [(s.kind, s.words) for s in result.spans] == [("exact", words)]
        assert result.summary.suspect_coverage == 1.0


def test_korean_in_decomposed_jamo_matches_the_precomposed_text():
    nfd = unicodedata.normalize("NFD", KOREAN)
    assert nfd != KOREAN and "\u1100" <= nfd[0] <= "\u11ff"
    original, suspect = load_text(KOREAN, "original (NFC)"), load_text(nfd, "output (NFD)")
    assert original.words == suspect.words == sum(len(word) for word in KOREAN.split())
    result = compare(original, suspect)
    assert [(s.kind, s.words) for s in result.spans] == [("exact", original.words)]
    assert result.summary.suspect_coverage == 1.0


@pytest.mark.parametrize("form", ["NFD", "half-width"])
def test_katakana_in_decomposed_or_half_width_form_matches_the_full_width_text(form):
    text = KATAKANA * 2
    spelt = unicodedata.normalize("NFD", text) if form == "NFD" else half_width(text)
    assert spelt != text and unicodedata.normalize("NFKC", spelt) == text
    original, suspect = load_text(text, "original"), load_text(spelt, "output")
    assert suspect.words == original.words == len(text)
    result = compare(original, suspect, Parameters(near=False))
    assert result.summary.suspect_coverage == 1.0
    assert all(s.kind == "exact" for s in result.spans)

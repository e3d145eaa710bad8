"""The text engine on real prose: exact spans, near-verbatim passages, chance, figures."""

from __future__ import annotations

import pytest

from memdiff.analyse import compare
from memdiff.evidence import Parameters
from memdiff.ingest import load_text
from memdiff.text import TextIndex, chance, compare_texts
from memdiff.text.normalize import Vocabulary, normalise_word, tokenize

from prose import AUSTEN, UNRELATED


def _texts(comparison, original, suspect):
    return [
        (s.kind, original.text[s.original.start : s.original.end], suspect.text[s.suspect.start : s.suspect.end])
        for s in comparison.spans
    ]


def test_no_copying_gives_no_spans():
    original, suspect = load_text(AUSTEN, "austen"), load_text(UNRELATED, "minutes")
    result = compare(original, suspect)
    assert result.spans == ()
    assert result.summary.span_count == 0
    assert result.summary.suspect_coverage == 0.0


def test_reordered_copies_are_all_found():
    paragraphs = [p for p in AUSTEN.split("\n\n") if len(p.split()) >= 12]
    # Quote paragraph 3, then 1, then 2, with commentary in between.
    output = f"First: {paragraphs[2]} Then {paragraphs[0]} and finally {paragraphs[1]} That is all."
    original, suspect = load_text(AUSTEN, "austen"), load_text(output, "output")
    result = compare(original, suspect, Parameters(near=False))
    found = [o for _, o, _ in _texts(result, original, suspect)]
    assert found == [paragraphs[n].strip("\u201c\u201d?.") for n in (2, 0, 1)]
    # Spans are ordered by their place in the output, numbered from 1.
    assert [s.id for s in result.spans] == [1, 2, 3]
    assert [s.suspect.start for s in result.spans] == sorted(s.suspect.start for s in result.spans)


def test_case_quotes_and_punctuation_are_ignored_by_default():
    output = "my dear mr bennet said his lady to him one day have you heard that netherfield park is let at last"
    original, suspect = load_text(AUSTEN, "austen"), load_text(output, "output")
    result = compare(original, suspect)
    assert len(result.spans) == 1
    span = result.spans[0]
    assert span.kind == "exact" and span.words == 21
    assert original.text[span.original.start : span.original.end].startswith("My dear Mr. Bennet,\u201d said")
    assert suspect.text[span.suspect.start : span.suspect.end] == output


def test_normalisation_switches_change_the_findings():
    output = "MY DEAR MR. BENNET, said his lady to him one day, have you heard that Netherfield Park"
    original, suspect = load_text(AUSTEN, "austen"), load_text(output, "output")
    assert compare(original, suspect).spans[0].words == 17
    strict = compare(original, suspect, Parameters(casefold=False, near=False))
    # Without case folding the capitalised opening no longer matches; the rest still does.
    assert all(suspect.text[s.suspect.start : s.suspect.end].startswith("said") for s in strict.spans)
    punctuated = compare(original, suspect, Parameters(ignore_punctuation=False, near=False))
    # "Bennet," is followed by a closing quote in the original: words carry their punctuation.
    assert all(s.words < 17 for s in punctuated.spans)


def test_min_words_is_respected():
    output = "Mr. Bennet replied that he had not."  # 7 words
    original, suspect = load_text(AUSTEN, "austen"), load_text(output, "output")
    assert compare(original, suspect).spans == ()
    result = compare(original, suspect, Parameters(min_words=7))
    assert [s.words for s in result.spans] == [7]


def test_repeated_passage_in_original_is_reported_once_with_the_others_counted():
    refrain = "we shall fight on the beaches we shall fight on the landing grounds"
    original_text = f"{refrain}. Some words between. {refrain}. More words here. {refrain} and never surrender."
    original, suspect = load_text(original_text, "speech"), load_text(f"He said {refrain} and never surrender.", "out")
    result = compare(original, suspect, Parameters(near=False))
    assert len(result.spans) == 1
    span = result.spans[0]
    # The third occurrence extends furthest ("... and never surrender").
    assert original.text[span.original.start : span.original.end].endswith("never surrender")
    # The refrain alone is at two other places, but the span's words as a whole are not.
    assert span.other_occurrences == 0


def test_other_places_count_where_the_whole_span_occurs():
    refrain = "we shall fight on the beaches we shall fight on the landing grounds"
    whole = f"{refrain} and never surrender"
    original_text = f"{whole}. Some words between. {refrain}. More words here. {whole}. At the end, {whole}."
    original, suspect = load_text(original_text, "speech"), load_text(f"He said {whole}.", "out")
    (span,) = compare(original, suspect, Parameters(near=False)).spans
    assert span.words == 16
    assert original.text.count(original.text[span.original.start : span.original.end]) == 3
    assert span.other_occurrences == 2


def test_repeated_passage_in_output_is_reported_at_each_place():
    sentence = "Mr. Bennet made no answer and his wife cried impatiently for an answer"
    original = load_text(f"{sentence}.", "o")
    suspect = load_text(f"Once: {sentence}. Twice: {sentence}.", "s")
    result = compare(original, suspect, Parameters(near=False))
    assert len(result.spans) == 2
    assert result.summary.suspect_words_in_spans == 2 * 13
    # Both output places map to the same original words: counted once there.
    assert result.summary.original_words_in_spans == 13
    assert result.summary.original_coverage == 1.0


def test_near_verbatim_passage_joins_small_edits_and_stays_separate_in_figures():
    original_text = (
        "However little known the feelings or views of such a man may be on his first entering a "
        "neighbourhood, this truth is so well fixed in the minds of the surrounding families, that he "
        "is considered the rightful property of some one or other of their daughters."
    )
    # One word changed roughly every seven words: no 8-word exact run survives in most places.
    edited = (
        "However little known the feelings or opinions of such a man may be on his first arriving in a "
        "neighbourhood, this truth is so firmly fixed in the minds of the nearby families, that he "
        "is considered the lawful property of some one or another of their daughters."
    )
    original, suspect = load_text(original_text, "o"), load_text(edited, "s")
    result = compare(original, suspect)
    near = [s for s in result.spans if s.kind == "near"]
    assert len(near) == 1
    assert 0.8 <= near[0].similarity < 1.0
    assert near[0].words >= 40
    summary = result.summary
    assert summary.suspect_words_in_spans > summary.suspect_words_in_exact_spans
    assert summary.near_span_count == 1
    off = compare(original, suspect, Parameters(near=False))
    assert all(s.kind == "exact" for s in off.spans)
    assert off.summary.suspect_words_in_spans == off.summary.suspect_words_in_exact_spans


def test_near_threshold_rejects_loose_paraphrase():
    original_text = "the quick brown fox jumps over the lazy dog while the farmer sleeps in the warm afternoon sun"
    loose = "the quick brown fox leaps across a sleepy hound while the old farmer naps under the hot midday sun"
    result = compare(load_text(original_text, "o"), load_text(loose, "s"))
    assert result.spans == ()


def test_hyphenated_line_breaks_are_joined_for_matching():
    original_text = "the evidence of repro-\nduction in the output of the model is clear to every reader"
    suspect_text = "the evidence of reproduction in the output of the model is clear to every reader"
    original, suspect = load_text(original_text, "o"), load_text(suspect_text, "s")
    result = compare(original, suspect)
    assert [s.words for s in result.spans] == [15]
    assert original.text[result.spans[0].original.start : result.spans[0].original.end] == original_text
    assert compare(original, suspect, Parameters(join_hyphenation=False, near=False)).spans[0].words < 15


@pytest.mark.parametrize(
    ("original_text", "suspect_text"),
    [
        # A compound split where a line ends, copied whole: "rabbit-\nhole" and "rabbit-hole" are one word.
        (
            (
                "she ran across the field after it and was just in time to see it pop down a large rabbit-\nhole "
                "under the hedge"
            ),
            (
                "she ran across the field after it and was just in time to see it pop down a large rabbit-hole "
                "under the hedge"
            ),
        ),
        ("and the Anglo-\nSaxon messengers were sent to fetch the king at once from the castle gate",
         "and the Anglo-Saxon messengers were sent to fetch the king at once from the castle gate"),
        ("it was filled with cupboards and book-\nshelves and here and there she saw maps and pictures hung",
         "it was filled with cupboards and book\u2010shelves and here and there she saw maps and pictures hung"),
        # A word split by typesetting, copied whole, as before.
        ("the evidence of repro-\nduction in the output of the model is clear to every reader of it",
         "the evidence of reproduction in the output of the model is clear to every reader of it"),
        # Dashes separate words, however they are written: em dash, "--", spaced hyphen, en dash.
        ("four thousand miles down I think\u2014yes that is about the right distance but then I wonder",
         "four thousand miles down I think--yes that is about the right distance but then I wonder"),
        ("four thousand miles down I think - yes that is about the right distance but then I wonder",
         "four thousand miles down I think\u2014yes that is about the right distance but then I wonder"),
        ("the COVID-19 figures for 1990-95 were published by the office in the spring of that year",
         "the COVID\u201319 figures for 1990\u201395 were published by the office in the spring of that year"),
    ],
)
def test_where_a_line_ends_never_splits_a_copy(original_text, suspect_text):
    result = compare(load_text(original_text, "o"), load_text(suspect_text, "s"))
    assert [(s.kind, s.words) for s in result.spans] == [("exact", result.summary.suspect_words)]
    assert result.summary.suspect_coverage == 1.0


def test_a_line_end_hyphen_is_read_as_the_text_writes_that_compound_elsewhere():
    from memdiff.text.normalize import count_words

    # Written "rabbit-hole" within a line, the compound's line-end hyphen separates its halves too.
    assert count_words("a rabbit-hole, a rabbit-\nhole and a mother-in-law") == 11
    # Nowhere written so, a line-end hyphen joins the halves: "rabbithole", "reproduction".
    assert count_words("a rabbit-\nhole and a repro-\nduction") == 5
    assert count_words("COVID-19 in 1990-95; think\u2014yes; think--yes; a - b") == 11


def test_an_output_copying_a_line_end_compound_as_it_stands_is_one_span_whatever_else_it_writes():
    """The second reader's case: the output also wrote "rabbit-hole" in a line of its own, and its copy of the
    original's "rabbit-" / "hole" was read as two words where the original's was one, splitting the copy."""
    lines = (
        "Alice was beginning to get very tired of sitting by her sister on the bank and she fell down the rabbit-\n"
        "hole at once without thinking how in the world she was to get out again said the narrator plainly.\n"
    )
    result = compare(
        load_text(lines, "o"), load_text("A note: the rabbit-hole is famous.\n\n" + lines, "s"), Parameters(near=False)
    )
    assert [(s.kind, s.words) for s in result.spans] == [("exact", 39)]


def test_a_hyphenated_compound_copied_without_its_hyphen_is_still_verbatim():
    original = load_text("a watch out of its waistcoat-pocket and looked at it and then hurried on at once", "o")
    result = compare(original, load_text("a watch out of its waistcoat pocket and looked at it and then hurried on at once", "s"))
    assert [(s.kind, s.words) for s in result.spans] == [("exact", 17)]


def test_a_report_marks_every_word_of_a_span_copied_across_a_line_end_hyphen(tmp_path):
    """The report cuts each span's words as the comparison did, so nothing in a verbatim span reads as changed."""
    from memdiff.report.marking import align_all, output_word_status
    from memdiff.text import hyphenations

    original_text = "she saw it pop down a large rabbit-\nhole under the hedge, and in another moment down went Alice"
    suspect_text = "she saw it pop down a large rabbit-hole under the hedge, and in another moment down went Alice"
    result = compare(load_text(original_text, "o"), load_text(suspect_text, "s"))
    (span,) = result.spans
    assert span.kind == "exact" and span.words == result.summary.suspect_words
    vocabulary = Vocabulary(result.parameters)
    hyphens = hyphenations(original_text, suspect_text)
    (alignment,) = align_all(original_text, suspect_text, [span], vocabulary)
    assert set(alignment.suspect_status().tolist()) == {1}  # every output word copied
    tokens, status = output_word_status(suspect_text, [(span, alignment)], vocabulary, hyphenation=hyphens[1])
    assert len(tokens) == span.words and set(status.tolist()) == {1}


def test_cjk_characters_are_words():
    original_text = "天下大勢，分久必合，合久必分。周末七國分爭，并入於秦。及秦滅之後，楚、漢分爭，又并入於漢。"
    suspect_text = "小說開頭寫道：周末七國分爭并入於秦，及秦滅之後。"
    original, suspect = load_text(original_text, "o"), load_text(suspect_text, "s")
    result = compare(original, suspect)
    assert len(result.spans) == 1
    span = result.spans[0]
    assert span.words == 15
    assert original.text[span.original.start : span.original.end] == "周末七國分爭，并入於秦。及秦滅之後"
    assert result.summary.language == "zh"


def test_chance_separates_stock_phrases_from_distinctive_prose():
    original_text = (
        "at the end of the day it is what it is. "
        "Netherfield Park is let at last, and Mrs. Long has just been here to tell me all about it."
    )
    suspect_text = (
        "Well, at the end of the day it is what it is. I was told by a neighbour that "
        "Netherfield Park is let at last and Mrs. Long has just been here to tell me all about it."
    )
    result = compare(load_text(original_text, "o"), load_text(suspect_text, "s"), Parameters(near=False))
    by_start = sorted(result.spans, key=lambda s: s.suspect.start)
    stock, distinctive = by_start
    assert stock.chance.common_phrase is True
    assert distinctive.chance.common_phrase is False
    assert distinctive.chance.bits > 2 * stock.chance.bits


def test_offsets_and_pages_follow_page_starts():
    from memdiff.evidence import Document
    from memdiff.text import compare_texts

    page1 = "Chapter one begins here with some words of its own.\n\n"
    page2 = "It is a truth universally acknowledged, that a single man in possession of a good fortune."
    text = page1 + page2
    original = Document(
        name="book.pdf", sha256="0" * 64, size_bytes=1, media_type="application/pdf", kind="text",
        text=text, page_starts=(0, len(page1)), words=30,
    )
    suspect = load_text("He wrote that a single man in possession of a good fortune must marry.", "s")
    span = compare_texts(original, suspect, Parameters()).spans[0]
    assert span.original.pages == (2,)
    assert span.suspect.pages is None
    assert original.text[span.original.start : span.original.end] == "that a single man in possession of a good fortune"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("\ufb01ne", "fine"), ("Caf\u00e9", "caf\u00e9"), ("CAFE\u0301", "caf\u00e9"), ("\uff21\uff22", "ab"), ("STRASSE", "strasse")],
)
def test_word_normalisation(raw, expected):
    assert normalise_word(raw, Parameters()) == expected


def test_tokens_map_back_to_extracted_text():
    text = "Don\u2019t stop\u2014ever: caf\u00e9 \u6771\u4eac 42nd repro-\nduction"
    vocabulary = Vocabulary(Parameters())
    tokens = tokenize(text, vocabulary)
    pieces = [text[s:e] for s, e in zip(tokens.starts.tolist(), tokens.ends.tolist())]
    assert pieces == ["Don", "t", "stop", "ever", "caf\u00e9", "\u6771", "\u4eac", "42nd", "repro-\nduction"]
    assert vocabulary.form(int(tokens.ids[-1])) == "reproduction"


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Der Hund und die Katze sind in dem Haus, das nicht auf dem Berg ist, und es ist mit einer Mauer", "de"),
        ("Le chat et le chien sont dans la maison qui est sur la colline, et ne sont pas pour les enfants", "fr"),
        ("It was the best of times, it was the worst of times, it was the age of wisdom", "en"),
        ("\u5b66\u800c\u65f6\u4e60\u4e4b\uff0c\u4e0d\u4ea6\u8bf4\u4e4e\uff1f\u6709\u670b\u81ea\u8fdc\u65b9\u6765", "zh"),
        ("\u3053\u308c\u306f\u65e5\u672c\u8a9e\u306e\u6587\u7ae0\u3067\u3059\u3002\u3072\u3089\u304c\u306a\u3082\u3042\u308a\u307e\u3059", "ja"),
    ],
)
def test_language_is_detected_for_the_chance_estimate(text, language):
    from memdiff.text.chance import detect_language

    vocabulary = Vocabulary(Parameters())
    tokens = tokenize(text, vocabulary)
    assert detect_language(vocabulary.form(int(i)) for i in tokens.ids) == language


# The first article of the Universal Declaration of Human Rights in languages told by their
# scripts (he, ar, el, hi), or by their most frequent words among languages sharing one.
UDHR = {
    "he": "כל בני האדם נולדו בני חורין ושווים בערכם ובזכויותיהם. כולם חוננו בתבונה ובמצפון, לפיכך חובה עליהם לנהוג איש ברעהו ברוח של אחוה.",
    "ar": "يولد جميع الناس أحرارًا متساوين في الكرامة والحقوق. وقد وهبوا عقلاً وضميرًا وعليهم أن يعامل بعضهم بعضًا بروح الإخاء.",
    "el": "Όλοι οι άνθρωποι γεννιούνται ελεύθεροι και ίσοι στην αξιοπρέπεια και τα δικαιώματα. Είναι προικισμένοι με λογική και συνείδηση, και οφείλουν να συμπεριφέρονται μεταξύ τους με πνεύμα αδελφοσύνης.",
    "hi": "सभी मनुष्यों को गौरव और अधिकारों के मामले में जन्मजात स्वतन्त्रता और समानता प्राप्त है। उन्हें बुद्धि और अन्तरात्मा की देन प्राप्त है और परस्पर उन्हें भाईचारे के भाव से बर्ताव करना चाहिए।",
    "fa": "تمام افراد بشر آزاد به دنیا می‌آیند و از لحاظ حیثیت و حقوق با هم برابرند. همه دارای عقل و وجدان هستند و باید نسبت به یکدیگر با روح برادری رفتار کنند.",
    "uk": "Всі люди народжуються вільними і рівними у своїй гідності та правах. Вони наділені розумом і совістю і повинні діяти у відношенні один до одного в дусі братерства.",
    "tr": "Bütün insanlar hür, haysiyet ve haklar bakımından eşit doğarlar. Akıl ve vicdana sahiptirler ve birbirlerine karşı kardeşlik zihniyeti ile hareket etmelidirler.",
    "cs": "Všichni lidé rodí se svobodní a sobě rovní co do důstojnosti a práv. Jsou nadáni rozumem a svědomím a mají spolu jednat v duchu bratrství.",
    "vi": "Tất cả mọi người sinh ra đều được tự do và bình đẳng về nhân phẩm và quyền lợi. Mọi con người đều được tạo hóa ban cho lý trí và lương tâm và cần phải đối xử với nhau trong tình bằng hữu.",
    "ru": "Все люди рождаются свободными и равными в своем достоинстве и правах. Они наделены разумом и совестью и должны поступать в отношении друг друга в духе братства.",
}


@pytest.mark.parametrize("language", sorted(UDHR))
def test_the_language_of_a_text_in_any_script_with_a_table_is_detected(language):
    """A Hebrew or Arabic text priced by the English table cost 2 to 3 times its bits, with no word said."""
    from memdiff.text.chance import detect_language

    vocabulary = Vocabulary(Parameters())
    tokens = tokenize(UDHR[language], vocabulary)
    assert detect_language(vocabulary.form(int(i)) for i in tokens.ids) == language
    original = load_text(UDHR[language] + " " + UDHR[language], "original.txt")
    assert compare(original, load_text(UDHR[language], "output.txt")).summary.language == language


# The first article of the Universal Declaration of Human Rights in scripts no wordfreq table covers.
NO_TABLE = {
    "Armenian": "Բոլոր մարդիկ ծնվում են ազատ ու հավասար իրենց արժանապատվությամբ ու իրավունքներով։ Նրանք ունեն "
    "բանականություն ու խիղճ և միմյանց պետք է եղբայրաբար վերաբերվեն։",
    "Georgian": "ყველა ადამიანი იბადება თავისუფალი და თანასწორი თავისი ღირსებითა და უფლებებით. მათ მინიჭებული "
    "აქვთ გონება და სინდისი და ერთმანეთის მიმართ უნდა იქცეოდნენ ძმობის სულისკვეთებით.",
    "Thai": "มนุษย์ทั้งหลายเกิดมามีอิสระและเสมอภาคกันในเกียรติศักดิ์และสิทธิ ต่างมีเหตุผลและมโนธรรม "
    "และควรปฏิบัติต่อกันด้วยเจตนารมณ์แห่งภราดรภาพ",
}


@pytest.mark.parametrize("script", sorted(NO_TABLE))
def test_a_text_in_a_script_with_no_table_is_recorded_as_undetermined_not_english(script):
    """It used to be recorded as English: a false statement in the result, though every word was priced the same."""
    from memdiff.text.chance import UNDETERMINED, UNKNOWN_WORD_FREQUENCY, WordPrices

    text = NO_TABLE[script]
    # Thai is not split into words (three "words" here): spans of two words are asked for.
    result = compare(load_text(text + "\n" + text, "original.txt"), load_text(text, "output.txt"), Parameters(min_words=2))
    assert result.summary.language == UNDETERMINED == "und"
    # No table: each word costs what a word no table lists costs, and the spans add those up.
    import math

    per_word = -math.log2(UNKNOWN_WORD_FREQUENCY)
    assert WordPrices(UNDETERMINED).bits("qzxv") == pytest.approx(per_word)
    assert result.spans
    assert all(span.chance.bits == pytest.approx(span.words * per_word, abs=0.1) for span in result.spans)


def test_a_few_words_of_another_script_leave_the_language_alone():
    from memdiff.text.chance import detect_language

    words = ("the", "king", "said", "that", "he", "was", "not", "the", "one", "to", "blame", "for", "it")
    assert detect_language([*words, "Բոլոր", "մարդիկ"]) == "en"


def test_word_prices_follow_frequency():
    from memdiff.text.chance import UNKNOWN_WORD_FREQUENCY, WordPrices

    prices = WordPrices("en")
    assert prices.bits("the") < prices.bits("fortune") < prices.bits("netherfield")
    import math

    assert prices.bits("qzxvbnmw") == pytest.approx(-math.log2(UNKNOWN_WORD_FREQUENCY))
    # Traditional Chinese characters are priced through wordfreq's simplified table.
    zh = WordPrices("zh")
    assert zh.bits("\u570b") == zh.bits("\u56fd") < 20


def test_zero_width_characters_hidden_in_words_do_not_hide_a_copy():
    hidden = "it is a tr\u200buth universally ack\u2060nowledged, that a sin\ufeffgle man in possession of a good fortune"
    original, suspect = load_text(AUSTEN, "austen"), load_text(hidden, "output")
    result = compare(original, suspect)
    assert [s.words for s in result.spans] == [16]
    assert result.spans[0].suspect.end == len(hidden)


def test_forms_sharing_a_frequency_key_are_all_priced():
    # Without case folding "The" and "the" are different words with one price;
    # traditional and simplified characters share wordfreq's simplified entry.
    text = "The cat and the dog. The dog and the cat sat on the mat in the hall of the house."
    result = compare(load_text(text, "o"), load_text(text, "s"), Parameters(casefold=False))
    assert result.spans and result.spans[0].chance.bits > 0
    from memdiff.text.chance import WordPrices

    prices = WordPrices("zh")
    assert prices.run_bits(["\u5169", "\u4e24"]) == round(2 * prices.bits("\u4e24"), 1)


def test_a_runs_bits_are_worked_out_from_whole_bucket_numbers():
    """No pow or log2 (whose last bit depends on the platform's maths library): a sum of integers, one product, one quotient."""
    from fractions import Fraction

    from memdiff.text.chance import LOG2_10, UNKNOWN_WORD_BUCKET, WordPrices, bits_of_run

    assert Fraction(LOG2_10) == Fraction(3.321928094887362)
    words = "it is a truth universally acknowledged that a single man in possession of netherfield".split()
    prices = WordPrices("en")
    buckets = [prices.bucket(w) for w in words]
    assert all(isinstance(b, int) and 0 < b <= UNKNOWN_WORD_BUCKET for b in buckets)
    assert prices.bucket("netherfieldzq") == UNKNOWN_WORD_BUCKET
    exact = Fraction(sum(buckets)) * Fraction(LOG2_10) / 100
    assert abs(prices.run_bits(words) - float(exact)) <= 0.05
    # The order of the words cannot change the sum, however the floats would have rounded.
    assert prices.run_bits(words) == prices.run_bits(reversed(words)) == bits_of_run(sorted(buckets))
    # The spans' figures are the same arithmetic.
    text = " ".join(words)
    (span,) = compare(load_text(text, "o"), load_text(f"He wrote {text}", "s")).spans
    assert span.chance.bits == prices.run_bits(words)


def test_a_word_hyphenated_across_a_page_break_is_joined():
    original = load_text("the evidence of repro-\n\nduction in the output of the model is clear to every reader", "o")
    suspect = load_text("the evidence of reproduction in the output of the model is clear to every reader", "s")
    assert [s.words for s in compare(original, suspect).spans] == [15]


def test_cancelling_while_exact_spans_are_found_stops_inside_the_search():
    # A cancel must not wait for the whole search (seconds on a large or repetitive text).
    import traceback

    from memdiff.errors import Cancelled
    from memdiff.progress import Progress

    class CancelDuringSearch(Progress):
        stage = ""

        def report(self, fraction: float, message: str = "") -> None:
            self.stage = message

        def is_cancelled(self) -> bool:
            return self.stage in ("Finding exact spans", "Joining near-verbatim passages")

    original = load_text(AUSTEN, "original.txt")
    suspect = load_text("He wrote: " + AUSTEN, "output.txt")
    with pytest.raises(Cancelled) as raised:
        compare(original, suspect, progress=CancelDuringSearch())
    frames = [frame.filename for frame in traceback.extract_tb(raised.value.__traceback__)]
    assert any(name.endswith(("text/match.py", "text\\match.py")) for name in frames), frames


def test_outputs_compared_with_one_index_share_its_word_prices(monkeypatch):
    """A batch prices a word once: the second output's spans are priced without reading the frequency table."""
    parameters = Parameters()
    original = load_text(AUSTEN, "original.txt")
    first = load_text(AUSTEN[200:900], "first.txt")
    second = load_text(AUSTEN[300:800] + " " + UNRELATED, "second.txt")
    index = TextIndex.build(original, parameters)
    alone = compare_texts(original, second, parameters)
    compare_texts(original, first, parameters, index=index)

    def unread(language):
        raise AssertionError(f"the {language} frequency table was read again")

    monkeypatch.setattr(chance, "_frequency_table", unread)
    shared = compare_texts(original, second, parameters, index=index)
    assert shared.spans and shared.to_json() == alone.to_json()

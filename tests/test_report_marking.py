"""Word-level marking inside spans: copied words, near-verbatim differences, aligned rows, CJK fallback."""

from __future__ import annotations

import re

from pypdf import PdfReader

from memdiff.analyse import compare
from memdiff.evidence import Chance, Location, Parameters, Span
from memdiff.ingest import load_text
from memdiff.report import write_report
from memdiff.report.marking import (
    COPIED,
    DIFFERENT,
    PLAIN,
    align,
    marked_pieces,
    output_word_status,
)
from memdiff.report.styles import markup
from memdiff.text.normalize import Vocabulary


def span_over(original: str, suspect: str, o_text: str, s_text: str, kind: str = "near") -> Span:
    o = original.index(o_text)
    s = suspect.index(s_text)
    return Span(
        id=1,
        kind=kind,
        words=len(s_text.split()),
        similarity=0.9 if kind == "near" else 1.0,
        original=Location(o, o + len(o_text)),
        suspect=Location(s, s + len(s_text)),
        chance=Chance(100.0, False),
    )


def test_near_span_marks_the_changed_words_and_only_them():
    original = (
        "Intro. It was a bright cold day in April, and the clocks were striking thirteen. End."
    )
    suspect = "It was a bright warm day in April, and all the clocks were striking thirteen."
    span = span_over(original, suspect, original[7:-6], suspect)
    alignment = align(original, suspect, span, Vocabulary(Parameters()))
    (row,) = alignment.rows()
    differ_o = [text for kind, text in row.original.pieces() if kind == "different"]
    differ_s = [text for kind, text in row.suspect.pieces() if kind == "different"]
    assert differ_o == ["cold"]
    assert differ_s == ["warm", "all"]
    copied_s = " ".join(text for kind, text in row.suspect.pieces() if kind == "copied")
    assert "It was a bright" in copied_s and "clocks were striking thirteen" in copied_s
    # Nothing is lost: the pieces put together give back the text.
    assert "".join(text for _, text in row.suspect.pieces()) == suspect


def test_exact_span_differing_only_in_case_and_quotes_is_all_copied():
    original = "He said \u201cNever again\u201d and left the room quietly that night."
    suspect = 'HE SAID "never again" AND LEFT THE ROOM QUIETLY THAT NIGHT.'
    span = span_over(original, suspect, original[:-1], suspect[:-1], kind="exact")
    alignment = align(original, suspect, span, Vocabulary(Parameters()))
    assert {kind for row in alignment.rows() for kind, _ in row.suspect.pieces()} == {"copied"}


def test_long_span_rows_stay_aligned_and_cover_everything():
    words = [f"w{i}" for i in range(1000)]
    original = " ".join(words)
    changed = list(words)
    changed[500] = "CHANGED"
    suspect = " ".join(changed)
    span = span_over(original, suspect, original, suspect)
    alignment = align(original, suspect, span, Vocabulary(Parameters()))
    rows = alignment.rows(row_words=100)
    assert len(rows) >= 10
    assert "".join(r.original.text for r in rows) == original
    assert "".join(r.suspect.text for r in rows) == suspect
    for row in rows:
        assert len(row.original.starts) <= 100 and len(row.suspect.starts) <= 100
        # Each row starts at the same word on both sides (identical stretches are cut in step).
        assert (
            row.original.text.split()[0] == row.suspect.text.split()[0]
            or "CHANGED" in row.suspect.text
        )


def test_output_status_prefers_copied_over_different():
    original = "alpha beta gamma delta epsilon zeta eta theta iota kappa"
    suspect = "alpha beta gamma delta XX zeta eta theta iota kappa"
    near = span_over(original, suspect, original, suspect)
    exact = span_over(
        original, suspect, "zeta eta theta iota kappa", "zeta eta theta iota kappa", kind="exact"
    )
    vocabulary = Vocabulary(Parameters())
    alignments = [(s, align(original, suspect, s, vocabulary)) for s in (near, exact)]
    _, status = output_word_status(suspect, alignments, vocabulary)
    assert status.tolist() == [COPIED] * 4 + [DIFFERENT] + [COPIED] * 5
    outside = output_word_status("plain words only", [], vocabulary)[1]
    assert outside.tolist() == [PLAIN] * 3


def test_markers_go_before_their_word():
    pieces = marked_pieces("one two three", [0, 4, 8], [3, 7, 13], [0, 1, 1], markers={1: "[4]"})
    assert pieces == [("plain", "one"), ("plain", " "), ("marker", "[4]"), ("copied", "two three")]


def test_markup_escapes_and_switches_font_for_cjk():
    assert markup("a < b & c") == "a &lt; b &amp; c"
    assert '<font face="MemdiffCJK">漢字</font>' in markup("Text 漢字 text")
    assert markup("Привет") == "Привет"  # DejaVu has Cyrillic: no switch


def test_cjk_report_is_searchable_and_embeds_the_fallback_font(tmp_path):
    text = "天地玄黄，宇宙洪荒。日月盈昃，辰宿列张。寒来暑往，秋收冬藏。闰余成岁，律吕调阳。云腾致雨，露结为霜。"
    original = load_text(text * 2, "千字文.txt")
    suspect = load_text("模型输出：" + text[10:40] + "结束。", "output.txt")
    comparison = compare(original, suspect, Parameters(language="en"))
    assert comparison.spans
    target = write_report(comparison, original, suspect, tmp_path / "cjk.pdf")
    reader = PdfReader(target)
    extracted = re.sub(r"\s+", "", "".join(page.extract_text() for page in reader.pages))
    assert text[10:30] in extracted
    assert "千字文.txt" in extracted
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.add(str(font.get_object()["/BaseFont"]))
    assert any("DroidSansFallback" in f for f in fonts)


def test_characters_missing_from_a_face_fall_back_to_one_that_has_them():
    from memdiff.report.bidi import shape
    from memdiff.report.fragments import FragmentParagraphs
    from memdiff.report.styles import CJK, MONO, SANS, SANS_ITALIC, Styles, covers

    st = Styles()
    para = st.fragments(st.quote).paragraph([("different", "word مرحبا 漢字")], keep_lines=False)
    fonts = {frag.text.strip(): frag.fontName for frag in para.frags if frag.text.strip()}
    assert fonts["word"] == SANS_ITALIC
    assert fonts["مرحبا"] == SANS  # DejaVu Sans Oblique has no Arabic: upright, still on grey
    assert fonts["漢字"] == CJK
    assert all(frag.backColor is not None for frag in para.frags if frag.text.strip())
    for frag in para.frags:
        assert all(ord(ch) in covers(frag.fontName) or ch == " " for ch in frag.text)
    # Commands and hashes are set in the mono face; Hebrew is not in it, so it comes from Sans
    # (in visual order: markup puts each line's right-to-left runs as they are drawn).
    assert markup("run שלום", base=MONO) == f'run <font face="{SANS}">םולש</font>'
    # Without CJK the same fallback holds in the directly set text.
    latin = st.fragments(st.quote).paragraph([("different", "word مرحبا")], keep_lines=False)
    pieces = latin.pieces
    looks = {text: latin.looks[pieces.look_index(n)] for n, text in enumerate(pieces.texts)}
    # (Arabic is set in its joined forms, which DejaVu Sans has and its oblique face lacks.)
    assert looks["word"].font == SANS_ITALIC and looks[shape("مرحبا")].font == SANS
    assert all(look.ground is not None for look in looks.values())
    empty = FragmentParagraphs(st.quote).paragraph([], keep_lines=False)
    assert empty.wrap(200, 1000) == (200, 0)


def test_validation_figures_are_quoted_only_for_the_parameters_they_were_measured_with():
    from memdiff.report.validation import statements

    original = load_text("one two three four five six seven eight nine ten", "o.txt")
    comparison = compare(original, original)
    study = {
        "version": "2026.1",
        "figures": [
            {
                "mode": "text",
                "parameters": {"min_words": 8, "near": True},
                "statement": "Recall 0.99 [0.98, 1.00].",
            },
            {"mode": "text", "parameters": {"min_words": 12}, "statement": "Recall for 12 words."},
            {"mode": "image", "statement": "Image detection rate."},
        ],
    }
    assert statements(comparison, study) == [
        "From the validation study, version 2026.1:",
        "Recall 0.99 [0.98, 1.00].",
    ]
    other = compare(original, original, Parameters(min_words=5))
    (line,) = statements(other, study)
    assert "did not measure error rates with this report’s parameters" in line and "2026.1" in line
    (missing,) = statements(comparison, {"figures": []})
    assert "unversioned" in missing


def test_mixed_cjk_and_latin_lines_break_between_characters_not_inside_latin_words():
    from memdiff.report.styles import Styles

    st = Styles()
    text = (
        "前言。"
        + "".join(chr(0x4E00 + i) for i in range(0, 90, 3))
        + "。English words here, mixed with 中文 and more."
    )
    para = st.fragments(st.quote).paragraph([("copied", text)], keep_lines=False)
    para.wrap(160, 1000)
    lines = ["".join(w.text for w in line.words) for line in para.blPara.lines]
    assert len(lines) >= 3
    assert max(para.getActualLineWidths0()) <= 160.5
    # Every Latin word stands whole on one line.
    words_on_lines = {word for line in lines for word in re.findall(r"[A-Za-z]+", line)}
    assert {"English", "words", "here", "mixed", "with", "and", "more"} <= words_on_lines, lines


def test_a_near_span_never_reads_as_similarity_one():
    from memdiff.report.sections import similarity_text

    assert similarity_text(0.87) == "0.87"
    assert similarity_text(0.9951) == "0.995"
    assert similarity_text(0.99951) == "0.9995"
    assert similarity_text(1.0) == "1.00"


def test_a_word_left_out_of_the_comparison_breaks_the_copied_run_and_stays_plain():
    from memdiff.report.marking import COPIED, marked_pieces

    text = "alpha beta, 57 HEAD gamma delta"
    starts, ends = [0, 6, 20, 26], [5, 10, 25, 31]  # "57 HEAD" was not compared (a running head)
    pieces = marked_pieces(text, starts, ends, [COPIED] * 4)
    assert pieces == [("copied", "alpha beta"), ("plain", ", 57 HEAD "), ("copied", "gamma delta")]


def test_spans_tokenised_together_get_the_words_each_gets_alone():
    from memdiff.report.marking import tokenize_each
    from memdiff.text.normalize import tokenize

    texts = [
        "A line that ends in a broken exam-",
        "ple of words, “quoted” and so on.",
        "",
        "Ends with a hyphen -\n",
        "\nstarts after a line break, naïve café",
        "漢字かな mixed with Latin words",
        "soft\u00adhyphen and com\u0301bining marks",
        "a NUL \x00 inside one text",
        "repro-\n\nduction across a blank line",
        "   ",
    ]
    for parameters in (
        Parameters(),
        Parameters(ignore_punctuation=False),
        Parameters(join_hyphenation=False),
    ):
        vocabulary = Vocabulary(parameters)
        together = tokenize_each(texts, vocabulary)
        for text, got in zip(texts, together, strict=True):
            alone = tokenize(text, vocabulary)
            assert got.starts.tolist() == alone.starts.tolist(), text
            assert got.ends.tolist() == alone.ends.tolist(), text
            forms = [vocabulary.form(i) for i in got.ids.tolist()]
            assert forms == [vocabulary.form(i) for i in alone.ids.tolist()], text
        # Without the text holding a NUL, the texts really are tokenised in one pass.
        clean = [t for t in texts if "\x00" not in t]
        for text, got in zip(clean, tokenize_each(clean, vocabulary), strict=True):
            assert got.starts.tolist() == tokenize(text, vocabulary).starts.tolist()


def _pieces_word_by_word(text, starts, ends, status, markers):
    """marked_pieces as first written, one word at a time: the reference for the quicker one."""
    from memdiff.report.marking import _KIND_OF_STATUS, _UNCOMPARED_WORD

    pieces = []

    def add(kind, piece):
        if piece:
            pieces.append((kind, piece))

    pos, n, i = 0, len(starts), 0
    while i < n:
        j = i
        while (
            j + 1 < n
            and status[j + 1] == status[i]
            and not (markers and (j + 1) in markers)
            and not _UNCOMPARED_WORD.search(text, ends[j], starts[j + 1])
        ):
            j += 1
        add("plain", text[pos : starts[i]])
        if markers and i in markers:
            pieces.append(("marker", markers[i]))
        add(_KIND_OF_STATUS[int(status[i])], text[starts[i] : ends[j]])
        pos = ends[j]
        i = j + 1
    add("plain", text[pos:])
    return pieces


def test_marked_pieces_cut_where_status_markers_and_uncompared_words_say():
    import random

    from memdiff.report.marking import marked_pieces

    rng = random.Random(5)
    for _ in range(300):
        words, gaps = [], []
        for _ in range(rng.randint(0, 30)):
            words.append(rng.choice(["alpha", "beta", "γάμμα", "d3lta", "x"]))
            gaps.append(rng.choice([" ", ", ", " — ", "\n", " 12 ", " Page 4 ", ".\n\n"]))
        text, starts, ends = rng.choice(["", "“", "  "]), [], []
        for word, gap in zip(words, gaps, strict=True):
            starts.append(len(text))
            text += word
            ends.append(len(text))
            text += gap
        # Words compared are a subset: the others stand for running heads passed over.
        keep = [k for k in range(len(words)) if rng.random() < 0.85]
        starts = [starts[k] for k in keep]
        ends = [ends[k] for k in keep]
        status = [rng.choice([0, 1, 1, 1, 2]) for _ in keep]
        markers = {k: f"[{k}]" for k in range(len(keep)) if rng.random() < 0.1} or None
        assert marked_pieces(text, starts, ends, status, markers=markers) == _pieces_word_by_word(
            text, starts, ends, status, markers
        )

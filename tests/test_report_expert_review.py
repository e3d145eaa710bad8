"""What an expert witness reading the report found wrong, each checked in the PDF's own text.

Row numbers wrapped in the batch table, a legend cut off on every page, the
prompt file unnamed, labels changed from what was typed, a running title cut
mid-word, gaps between a span's rows, a prompt line stranded on a page, and
words the report uses without saying what they are in the result file.
"""

from __future__ import annotations

import hashlib
import io
import itertools
import re

import pytest
from fixtures_docs import RUNNING_HEADS, book_with_running_heads, text_pdf
from memdiff.resources import path as resource_path
from pypdf import PdfReader

from memdiff import ingest
from memdiff.analyse import compare
from memdiff.errors import InputError
from memdiff.ingest import load_text
from memdiff.report import FrontMatter, Provenance, write_batch_report, write_report
from memdiff.report.marking import align, align_all
from memdiff.report.pdf import (
    LEGEND_Y,
    PageDecoration,
    ReportTemplate,
    case_label,
    check_confidentiality,
    exhibit_label,
    fit_legend,
    fit_title,
)
from memdiff.report.sidebyside import PAD_Y, SideBySide
from memdiff.report.styles import Styles, register_fonts
from memdiff.text import matching_text
from memdiff.text.normalize import Vocabulary

EPOCH = "1796000000"


def page_texts(path) -> list[str]:
    return [p.extract_text() or "" for p in PdfReader(path).pages]


def flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


@pytest.fixture(scope="module")
def case():
    original = ingest.load(resource_path("samples", "original.txt"))
    suspect = ingest.load(resource_path("samples", "model-output.txt"))
    return original, suspect, compare(original, suspect)


def write(case, path, **kwargs):
    original, suspect, comparison = case
    return write_report(comparison, original, suspect, path, **kwargs)


# --------------------------------------------------------------------------- batch row numbers


def test_batch_row_numbers_of_two_digits_stay_on_one_line(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    original = ingest.load(resource_path("samples", "original.txt"))
    copied = resource_path("samples", "model-output.txt").read_text(encoding="utf-8")
    items = []
    for n in range(1, 13):
        path = tmp_path / f"out-{n:03d}.txt"
        path.write_text(copied[: 300 + 40 * n] + f"\n\nEnd of answer {n}.\n", encoding="utf-8")
        suspect = ingest.load(path)
        items.append((suspect, compare(original, suspect)))
    target = write_batch_report(original, items, tmp_path / "batch.pdf")
    pages = page_texts(target)
    summary = next(p for p in pages if "Summary of findings" in p)
    for n in (10, 11, 12):
        # Each row reads "12 out-012.txt …" on one line, not "1 out-012.txt …" over "2".
        assert re.search(rf"(?m)^{n}\s+out-{n:03d}\.txt", summary), summary
    inputs = next(p for p in pages if "Model outputs" in p)
    assert re.search(r"(?m)^12\s+out-012\.txt", inputs), inputs


# --------------------------------------------------------------------------- labels as typed


def test_exhibit_label_keeps_its_case_on_the_cover_and_in_the_header(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    target = write(
        case, tmp_path / "ex.pdf", front=FrontMatter(exhibit="12a", case_number="1:23-cv-1")
    )
    pages = page_texts(target)
    assert "Exhibit 12a" in pages[0]
    assert "12A" not in "".join(pages)
    assert all("Exhibit 12a" in page for page in pages)


def test_a_case_number_typed_with_its_label_is_not_labelled_twice(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    target = write(
        case,
        tmp_path / "cn.pdf",
        front=FrontMatter(case_number="Case No. 1:23-cv-11195", exhibit="Exhibit J"),
    )
    text = "".join(page_texts(target))
    assert "Case No. 1:23-cv-11195" in text
    assert "Case No. Case No." not in text
    assert "Exhibit Exhibit" not in text


@pytest.mark.parametrize(
    ("typed", "printed"),
    [
        ("1:23-cv-11195", "Case No. 1:23-cv-11195"),
        ("Case No. 1:23-cv-11195", "Case No. 1:23-cv-11195"),
        ("case no 1:23-cv-11195", "case no 1:23-cv-11195"),
        ("Civil Action No. 24-1234", "Civil Action No. 24-1234"),
        ("MDL No. 3143", "MDL No. 3143"),
        ("No. 1:23-cv-11195", "No. 1:23-cv-11195"),
        ("Case: 1:23-cv-11195", "Case: 1:23-cv-11195"),
        ("CV-2023-001234", "Case No. CV-2023-001234"),
        ("Noble v. Smith 24-1", "Case No. Noble v. Smith 24-1"),
        ("In re Number Nine Litigation", "Case No. In re Number Nine Litigation"),
    ],
)
def test_case_label(typed, printed):
    assert case_label(typed) == printed


def test_exhibit_label_as_typed():
    assert exhibit_label("12a") == "Exhibit 12a"
    assert exhibit_label("Exhibit J") == "Exhibit J"
    assert exhibit_label("exhibit px-1") == "exhibit px-1"


# --------------------------------------------------------------------------- running title


def test_running_title_is_cut_between_words_or_left_out(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    front = FrontMatter(case_number="2:25-cv-04411-ABC", exhibit="K-3", page_size="a4")
    target = write(case, tmp_path / "a4.pdf", front=front)
    title = "Comparison of a model output with an original work"
    words = set(title.split())
    for page in page_texts(target)[1:]:
        header = page.splitlines()[0]
        shown = re.search(r"(Comparison[^…\n]*)…", header)
        assert shown is not None or title in page, header
        if shown:
            # Every word shown whole: the cut falls between words.
            assert set(shown.group(1).split()) <= words, header


def test_a_title_in_a_script_without_spaces_is_cut_between_characters_not_dropped():
    register_fonts()
    title = "関于人工智能模型输出与原著作品之间复制关系的比较分析报告以及其对版权法的影响研究"
    cut = fit_title(title, 200)
    assert cut.endswith("…") and title.startswith(cut[:-1]) and len(cut) > 10


def test_fit_title_cuts_at_a_word_or_drops_the_title():
    register_fonts()
    title = "Comparison of a model output with an original work"
    assert fit_title(title, 1000) == title
    cut = fit_title(title, 150)
    assert cut.endswith("…") and title.startswith(cut[:-1]) and title[len(cut) - 1] == " "
    assert fit_title(title, 30) == ""


# --------------------------------------------------------------------------- the prompt file


def test_provenance_names_the_prompt_file_and_its_digest(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    prompt = "Please quote the opening of the novel, word for word."
    digest = hashlib.sha256(prompt.encode("utf-8")).hexdigest()
    prov = Provenance(
        model="ExampleLM 4", prompt=prompt, prompt_file="prompt.txt", prompt_sha256=digest
    )
    text = flat(" ".join(page_texts(write(case, tmp_path / "p.pdf", provenance=prov))))
    section = text[text.index("Provenance of the model output") : text.index("Method")]
    assert "Prompt file “prompt.txt”" in section
    assert "SHA-256 of the prompt file" in section
    assert digest in section.replace(" ", "")
    assert prompt in section


def test_an_empty_prompt_file_is_stated_as_an_empty_prompt(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    digest = hashlib.sha256(b"").hexdigest()
    prov = Provenance(prompt="", prompt_file="empty-prompt.txt", prompt_sha256=digest)
    text = flat(" ".join(page_texts(write(case, tmp_path / "ep.pdf", provenance=prov))))
    section = text[text.index("Provenance of the model output") : text.index("Method")]
    assert "No information about how the model output was generated" not in section
    assert "The prompt was empty: the prompt file “empty-prompt.txt” holds no text." in section
    assert digest in section.replace(" ", "")


# --------------------------------------------------------------------------- the confidentiality legend

LONG_LEGEND = (
    "HIGHLY CONFIDENTIAL – ATTORNEYS' EYES ONLY – SUBJECT TO PROTECTIVE ORDER ENTERED MARCH 3, 2025 "
    "(ECF No. 123); DO NOT DISCLOSE EXCEPT AS PERMITTED THEREIN"
)


def test_a_long_legend_is_printed_whole_on_every_page(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    front = FrontMatter(
        confidentiality=LONG_LEGEND,
        bates_prefix="NYT-OPENAI-SDNY-PROD-",
        bates_start=123456,
        exhibit="J",
    )
    pages = page_texts(write(case, tmp_path / "long.pdf", front=front))
    for page in pages:
        assert LONG_LEGEND in flat(page), page[-400:]
        assert "EXCEPT AS…" not in page


@pytest.mark.parametrize("page_size", ["letter", "a4"])
def test_the_legend_has_its_own_room_below_the_body(page_size):
    register_fonts()
    decoration = PageDecoration(confidentiality=LONG_LEGEND + " " + LONG_LEGEND)
    doc = ReportTemplate(
        io.BytesIO(), decoration, page_size=page_size, title="", author="", progress=None
    )
    legend = fit_legend(LONG_LEGEND + " " + LONG_LEGEND, doc.width)
    assert len(legend.lines) >= 2
    assert " ".join(legend.lines) == LONG_LEGEND + " " + LONG_LEGEND  # every word, in order
    # The body's frame ends above the legend's top line.
    assert doc.bottomMargin >= legend.top > LEGEND_Y + legend.leading
    (frame,) = doc.pageTemplates[0].frames
    assert frame._y1 >= legend.top


def test_a_short_legend_keeps_one_line():
    register_fonts()
    legend = fit_legend("CONFIDENTIAL – SUBJECT TO PROTECTIVE ORDER", 480)
    assert legend.lines == ("CONFIDENTIAL – SUBJECT TO PROTECTIVE ORDER",) and legend.size == 8.0


def test_a_legend_filling_the_page_is_refused_not_cut():
    register_fonts()
    with pytest.raises(InputError, match=r"shorten it to about [0-9,]+ characters"):
        check_confidentiality(LONG_LEGEND * 20, "a4")
    assert check_confidentiality(LONG_LEGEND * 3, "a4").lines
    decoration = PageDecoration(confidentiality=LONG_LEGEND * 20)
    with pytest.raises(InputError, match="confidentiality legend is too long"):
        ReportTemplate(
            io.BytesIO(), decoration, page_size="letter", title="", author="", progress=None
        )


# --------------------------------------------------------------------------- words the reader must be told

# Natsume Sōseki, 吾輩は猫である (1905), public domain.
NEKO = (
    "吾輩は猫である。名前はまだ無い。どこで生れたかとんと見当がつかぬ。何でも薄暗いじめじめした所でニャーニャー"
    "泣いていた事だけは記憶している。吾輩はここで始めて人間というものを見た。しかもあとで聞くとそれは書生という"
    "人間中で一番獰悪な種族であったそうだ。"
)


def japanese_case():
    original = load_text(NEKO + "\n", "neko.txt")
    answer = "ご依頼の冒頭部分です。「" + NEKO[:78] + "」以上です。\n"
    suspect = load_text(answer, "answer.txt")
    return original, suspect, compare(original, suspect)


def test_method_says_verbatim_is_exact_in_the_result_file(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    text = flat(" ".join(page_texts(write(case, tmp_path / "v.pdf"))))
    method = text[text.index("Method") : text.index("Validation")]
    assert "records a verbatim span as of kind “exact”" in method
    # English is one of the study's languages: nothing to add.
    assert "the study did not measure" not in text


def test_a_language_the_study_did_not_measure_is_named(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    original, suspect, comparison = japanese_case()
    assert comparison.summary.language == "ja"
    target = write_report(comparison, original, suspect, tmp_path / "ja.pdf")
    text = flat(" ".join(page_texts(target)))
    validation = text[text.index("Validation") : text.index("Software")]
    assert "The validation study measured texts in German, English and Chinese only." in validation
    assert (
        "Japanese (ja, the language of its word-frequency table), a language the study did not measure"
        in validation
    )


def test_a_text_in_a_script_with_no_table_says_what_its_chance_estimates_are_worth(tmp_path, monkeypatch):
    from memdiff.analyse import compare
    from memdiff.ingest import load_text

    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    article = (
        "Բոլոր մարդիկ ծնվում են ազատ ու հավասար իրենց արժանապատվությամբ ու իրավունքներով։ Նրանք ունեն "
        "բանականություն ու խիղճ և միմյանց պետք է եղբայրաբար վերաբերվեն։"
    )
    original, suspect = load_text(article + "\n" + article, "hy.txt"), load_text(article, "answer.txt")
    comparison = compare(original, suspect)
    text = flat(" ".join(page_texts(write_report(comparison, original, suspect, tmp_path / "hy.pdf"))))
    assert "Word-frequency table none for this text’s script (language recorded as “und”)" in text
    method = text[text.index("Method") : text.index("Validation")]
    assert "priced as a word the tables do not list" in method
    assert "overstate how unlikely each span is" in method
    validation = text[text.index("Validation") : text.index("Software")]
    assert "a script memdiff has no word-frequency table for, which the study did not measure" in validation
    assert "English" not in validation.split("only.")[1]


# --------------------------------------------------------------------------- side-by-side rows


def test_rows_on_one_page_read_as_one_text(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    pages = page_texts(write(case, tmp_path / "rows.pdf"))
    findings = next(p for p in pages if "Spans side by side" in p)
    # Span 1 has 61 words: its last word stood alone in a row of its own, after a gap.
    assert re.search(r"thought Alice “without pictures or conversations", findings), findings
    assert re.search(r"thought Alice, \"without pictures\s+or conversations", findings), findings


def _side_by_side(rows):
    st = Styles()
    quote = st.fragments(st.quote)
    small = st.fragments(st.small)
    return SideBySide(
        small.paragraph([("bold", "Span 1")], keep_lines=False),
        (
            small.paragraph([("bold", "Original")], keep_lines=False),
            small.paragraph([("bold", "Output")], keep_lines=False),
        ),
        rows,
        make=lambda pieces: quote.paragraph(pieces, keep_lines=True),
    ), quote


def test_a_page_of_rows_is_one_text_per_side_and_a_split_loses_no_word():
    register_fonts()
    words = [f"word{n}" for n in range(600)]
    rows = [
        (
            [("copied", " ".join(words[k : k + 60]) + " ")],
            [("copied", " ".join(words[k : k + 60]) + " ")],
        )
        for k in range(0, 600, 60)
    ]
    table, quote = _side_by_side(rows)
    width = 480
    _, height = table.wrap(width, 1e9)
    whole = quote.paragraph([("copied", " ".join(words))], keep_lines=True)
    heading_h, label_h, blocks = table._measure(width)
    # One block: the rows' texts set as one, with no padding between rows.
    assert len(blocks) == 1
    assert height == pytest.approx(
        heading_h + label_h + whole.wrap(width / 2 - 10, 1e9)[1] + 2 * PAD_Y
    )
    parts = table.split(width, height / 2)
    assert len(parts) == 2
    shown = []
    for part in parts:
        part.wrap(width, 1e9)
        _, _, blocks = part._measure(width)
        assert len(blocks) == 1
        shown += " ".join(blocks[0][0].line_texts(width / 2 - 10)).split()
    assert shown == words


def test_japanese_rows_are_cut_after_punctuation_not_inside_a_word():
    original, suspect, comparison = japanese_case()
    (span,) = comparison.spans
    alignment = align(original.text, suspect.text, span, Vocabulary(comparison.parameters))
    rows = alignment.rows(row_words=30)
    assert len(rows) >= 2
    for row, following in itertools.pairwise(rows):
        for side, next_side in (
            (row.original, following.original),
            (row.suspect, following.suspect),
        ):
            last, first = side.text.rstrip()[-1], next_side.text.lstrip()[0]
            # After a sentence or clause; where none is near, between a kana ending and a
            # kanji beginning (after a particle: 事だけは|記憶), never inside 記憶.
            assert last in "。、" or (
                "\u3040" <= last <= "\u30ff" and not "\u3040" <= first <= "\u30ff"
            ), (
                side.text,
                next_side.text,
            )
    assert (
        "".join(r.suspect.text for r in rows) == suspect.text[span.suspect.start : span.suspect.end]
    )
    assert all(not r.original.text.endswith("記") for r in rows)


# --------------------------------------------------------------------------- a long prompt


def _prompt_lines(page: str) -> list[str]:
    # Every line of the prompt below holds a piece of one of its sentences (each is shorter than a line).
    return [
        line
        for line in page.splitlines()
        if re.search(r"prompt sentence|to be quoted|word for word", line) and "Prompt" not in line
    ]


@pytest.mark.parametrize("sentences", range(150, 190, 4))
def test_a_long_prompt_never_leaves_a_line_alone_and_says_where_it_continues(
    case, tmp_path, monkeypatch, sentences
):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    prompt = " ".join(
        f"This is prompt sentence {n}, to be quoted word for word." for n in range(sentences)
    )
    prov = Provenance(model="ExampleLM 4", prompt=prompt, prompt_file="prompt.txt")
    front = FrontMatter(case_number="2:25-cv-04411-ABC", exhibit="K-3", page_size="a4")
    pages = page_texts(write(case, tmp_path / "prompt.pdf", front=front, provenance=prov))
    with_prompt = [page for page in pages if _prompt_lines(page)]
    assert len(with_prompt) >= 2  # the prompt runs over a page
    for page in with_prompt:
        assert len(_prompt_lines(page)) >= 3, page
    for page in with_prompt[1:]:
        assert "Prompt (continued)" in page
    assert f"sentence {sentences - 1}, to be quoted word for word." in flat(" ".join(pages))


# --------------------------------------------------------------------------- running heads inside a span


def test_a_running_head_inside_a_span_is_named_as_one(tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    path = tmp_path / "book.pdf"
    path.write_bytes(text_pdf(book_with_running_heads()))
    book = ingest.load(path)
    second = book.page_starts[1]
    stretch = book.text[second - 600 : second + 900].split("\n")
    prose = [
        line for line in stretch if line.strip() not in RUNNING_HEADS and not line.strip().isdigit()
    ]
    answer = load_text(
        "Here it is:\n\n" + " ".join(" ".join(prose).split()[1:-1]) + "\n", "answer.txt"
    )
    comparison = compare(book, answer)
    # In the side-by-side the lines stand apart from the passage's words (drawn grey).
    matched = (
        matching_text(book, comparison.parameters),
        matching_text(answer, comparison.parameters),
    )
    (alignment,) = align_all(
        book.text,
        answer.text,
        list(comparison.spans),
        Vocabulary(comparison.parameters),
        matched_texts=matched,
    )
    edges = [
        text for row in alignment.rows() for kind, text in row.original.pieces() if kind == "edge"
    ]
    assert " ".join(" ".join(edges).split()) == "1 ALICE'S ADVENTURES IN WONDERLAND"
    assert all("considering" not in text and "Rabbit" not in text for text in edges)
    target = write_report(comparison, book, answer, tmp_path / "rh.pdf")
    text = flat(" ".join(page_texts(target)))
    findings = text[text.index("How to read this section") :]
    assert "passes over the page’s running head, running foot or page number" in findings
    assert "it was left out of matching" in findings
    # The span's heading names the lines of the original it passed over.
    assert re.search(
        r"Span 1 · verbatim · [^·]+ · chance estimate [^·]+ · the original’s page number “1”, running head or "
        r"foot “ALICE'S ADVENTURES IN WONDERLAND” left out of matching",
        findings,
    ), findings[:1500]


def test_no_page_edge_note_without_running_heads(case, tmp_path, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    text = flat(" ".join(page_texts(write(case, tmp_path / "plain.pdf"))))
    assert "left out of matching" not in text[text.index("How to read this section") :]

"""Running heads, feet and page numbers of a PDF: found, left out of matching, and never taken from the prose."""

from __future__ import annotations

import pytest

from fixtures_docs import RUNNING_HEADS as HEADS
from fixtures_docs import book_with_running_heads, text_pdf
from memdiff.analyse import compare
from memdiff.cli import main
from memdiff.evidence import Parameters
from memdiff.ingest import load, load_text
from memdiff.ingest.running_heads import running_lines
from memdiff.text.normalize import count_words
from memdiff.resources import path as resource_path


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    path = tmp_path_factory.mktemp("book") / "alice.pdf"
    path.write_bytes(text_pdf(book_with_running_heads()))
    return load(path)


def copy_across_the_first_page_break(book) -> str:
    """What a model might output: prose from the middle of page 1 to the middle of page 2, without the heading."""
    second_page = book.page_starts[1]
    stretch = book.text[second_page - 600 : second_page + 900].split("\n")
    prose = [line for line in stretch if line.strip() not in HEADS and not line.strip().isdigit()]
    return " ".join(" ".join(prose).split()[1:-1])


def _paged(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    starts, at = [], 0
    for page in pages:
        starts.append(at)
        at += len(page) + 2
    return "\n\n".join(pages), tuple(starts)


def _prose_pages(count: int, lines: int = 12) -> list[list[str]]:
    """Pages of genuinely different prose lines (the words of the sample chapter, in order)."""
    words = resource_path("samples", "original.txt").read_text(encoding="utf-8").split()
    return [[" ".join(words[(p * lines + n) * 9 : (p * lines + n) * 9 + 9]) for n in range(lines)] for p in range(count)]


def test_alternating_heads_and_page_numbers_are_found_and_prose_is_not():
    pages = [[HEADS[n % 2], *body, str(n + 1)] for n, body in enumerate(_prose_pages(6))]
    text, starts = _paged(["\n".join(page) for page in pages])
    found = [text[a:b] for a, b in running_lines(text, starts)]
    assert found == [x for n in range(6) for x in (HEADS[n % 2], str(n + 1))]


def test_a_word_that_reads_as_a_roman_numeral_is_a_page_number_only_with_evidence():
    """A lone "xiv", "I" or "Mix" is a word of the text; numerals in step with the pages are page numbers."""
    pages = [[*body, str(n + 1)] for n, body in enumerate(_prose_pages(6))]
    pages[3].append("xiv")  # once, under the arabic number: nothing says it numbers the page
    pages[1].insert(0, "Mix")  # a heading
    pages[4].insert(len(pages[4]) - 1, "I")  # the last word of the page's text
    text, starts = _paged(["\n".join(page) for page in pages])
    assert [text[a:b] for a, b in running_lines(text, starts)] == [str(n + 1) for n in range(6)]
    # Numbered in step with the pages, skipping an unnumbered one and moving from foot to head: page numbers.
    pages = [[*body] for body in _prose_pages(7)]
    for page, numeral in ((0, "i"), (1, "ii"), (3, "iv"), (5, "vi")):
        pages[page].append(numeral)
    pages[6].insert(0, "vii")  # alone at its edge: no other numeral at the head
    text, starts = _paged(["\n".join(page) for page in pages])
    assert [text[a:b] for a, b in running_lines(text, starts)] == ["i", "ii", "iv", "vi"]
    # The same numerals out of step with the pages (a list, headings, a poem's words): not page numbers.
    pages = [[*body] for body in _prose_pages(6)]
    for page, numeral in ((0, "ii"), (1, "i"), (2, "v"), (4, "I"), (5, "vi")):
        pages[page].append(numeral)
    text, starts = _paged(["\n".join(page) for page in pages])
    assert running_lines(text, starts) == ()


def test_a_refrain_repeated_in_the_body_is_not_a_running_head():
    refrain = "And still the river ran on toward the sea"
    pages = _prose_pages(8)
    for n, page in enumerate(pages):
        page.insert(0, refrain)  # at the top of every page...
        page.insert(6, refrain)  # ...and in the middle of it, as a chorus is
    text, starts = _paged(["\n".join(page) for page in pages])
    assert running_lines(text, starts) == ()


def test_a_line_at_the_edge_of_two_distant_pages_is_prose():
    pages = _prose_pages(12)
    pages[0].insert(0, "A line seen twice")
    pages[9].insert(0, "A line seen twice")
    text, starts = _paged(["\n".join(page) for page in pages])
    assert running_lines(text, starts) == ()


def test_too_few_pages_or_a_long_line_is_never_a_running_head():
    two = _paged(["TITLE\nprose one", "TITLE\nprose two"])
    assert running_lines(*two) == ()
    long_line = " ".join(["word"] * 16)
    text, starts = _paged(["\n".join([long_line, *page]) for page in _prose_pages(5)])
    assert running_lines(text, starts) == ()


def test_the_pdf_records_its_running_lines_and_leaves_them_out_of_the_word_count(book):
    found = [book.text[a:b] for a, b in book.running_lines]
    assert found.count(HEADS[0]) + found.count(HEADS[1]) == book.pages
    assert [f for f in found if f.isdigit()] == [str(n) for n in range(1, book.pages + 1)]
    assert any("running heads, feet or page numbers" in note for note in book.notes)
    assert book.text.count(HEADS[1]) == (book.pages + 1) // 2  # the extracted text itself is untouched
    assert book.words == load_text(resource_path("samples", "original.txt").read_text(encoding="utf-8"), "t").words


def test_a_copy_across_a_page_break_is_one_span_unless_running_heads_are_kept(book, tmp_path):
    copied = copy_across_the_first_page_break(book)
    output = load_text(copied, "model answer")
    ignored = compare(book, output, Parameters())
    assert [s.kind for s in ignored.spans] == ["exact"]
    assert ignored.spans[0].words == output.words
    assert ignored.spans[0].original.pages == (1, 2)
    kept = compare(book, output, Parameters(ignore_running_heads=False))
    # Kept, the heading cuts the copy in two exact spans (joined only as a near-verbatim passage).
    assert sorted(s.kind for s in kept.spans) == ["exact", "exact", "near"]
    assert max(s.words for s in kept.spans if s.kind == "exact") < output.words
    # The switch is recorded and reaches the command line.
    assert ignored.parameters.to_dict()["ignore_running_heads"] is True
    suspect = tmp_path / "answer.txt"
    suspect.write_text(copied, encoding="utf-8")
    assert main(["compare", str(tmp_path / "missing.pdf"), str(suspect)]) == 2  # sanity: the CLI runs
    pdf = tmp_path / "alice.pdf"
    pdf.write_bytes(text_pdf(book_with_running_heads()))
    result = tmp_path / "r.json"
    assert main(["compare", str(pdf), str(suspect), "--no-ignore-running-heads", "--json", str(result)]) == 0
    assert '"ignore_running_heads": false' in result.read_text(encoding="utf-8")


def test_a_word_hyphenated_across_a_page_break_under_a_running_head_is_joined(tmp_path):
    pages = [
        ["MY BOOK", "", "the first page speaks of many things and the evidence of repro-", "", "1"],
        ["MY BOOK", "", "duction in the output of the model is clear to every reader", "", "2"],
        ["MY BOOK", "", "the last page ends the story quietly", "", "3"],
    ]
    path = tmp_path / "hyphen.pdf"
    path.write_bytes(text_pdf(pages))
    original = load(path)
    suspect = load_text("the evidence of reproduction in the output of the model is clear to every reader", "s")
    assert [s.words for s in compare(original, suspect, Parameters(near=False)).spans] == [15]


def test_the_report_shows_a_crossed_running_head_as_it_stands_and_unmarked(book, tmp_path):
    from pypdf import PdfReader

    from memdiff.report import write_report
    from memdiff.report.marking import align
    from memdiff.text import matching_text
    from memdiff.text.normalize import Vocabulary

    output = load_text(copy_across_the_first_page_break(book), "model answer")
    comparison = compare(book, output, Parameters())
    [span] = comparison.spans
    alignment = align(book.text, output.text, span, Vocabulary(comparison.parameters),
                      matched_texts=(matching_text(book, comparison.parameters), output.text))
    assert HEADS[0] in alignment.original_text  # shown where it stands...
    assert [op[0] for op in alignment.opcodes] == ["equal"]  # ...but not a word of the comparison
    report = write_report(comparison, book, output, tmp_path / "report.pdf")
    text = "".join(page.extract_text() for page in PdfReader(report).pages)
    assert "running heads, running feet and page numbers" in " ".join(text.split())
    assert "near-verbatim" not in text.split("Spans side by side")[1].split("The complete model output")[0]


def test_the_summary_states_the_words_compared_when_running_heads_are_kept(book):
    """The document's own count leaves its running heads out; kept for comparing, they are counted in the summary."""
    heads_words = sum(count_words(book.text[a:b]) for a, b in book.running_lines)
    for parameters, original_words in (
        (Parameters(), book.words),
        (Parameters(ignore_running_heads=False), book.words + heads_words),
    ):
        result = compare(book, book, parameters)
        s = result.summary
        assert (s.original_words, s.suspect_words) == (original_words, original_words)
        assert s.suspect_words_in_spans == s.suspect_words and s.suspect_coverage == 1.0
        assert result.to_dict()["suspect"]["words"] == book.words


def _pdf(tmp_path, name: str, pages: list[list[str]]):
    path = tmp_path / name
    path.write_bytes(text_pdf(pages))
    return load(path)


def _prose_lines(count: int, skip: int = 0) -> list[str]:
    words = resource_path("samples", "original.txt").read_text(encoding="utf-8").split()
    return [" ".join(words[(skip + n) * 9 : (skip + n) * 9 + 9]) for n in range(count)]


def _found(document) -> list[str]:
    return [document.text[a:b] for a, b in document.running_lines]


def test_a_poem_line_I_at_the_foot_of_a_page_is_compared(tmp_path):
    """A page of verse ending on the line "I" keeps that word: a copy across the break is one whole span."""
    stanzas = [_prose_lines(10, skip=10 * n) for n in range(5)]
    stanzas[1].append("I")
    stanzas[3].append("I")
    pages = [[str(n + 1), "", *stanza] for n, stanza in enumerate(stanzas)]
    poem = _pdf(tmp_path, "poem.pdf", pages)
    assert _found(poem) == [str(n + 1) for n in range(5)]  # the page numbers at the head, and nothing else
    assert poem.words == load_text(" ".join(" ".join(stanza) for stanza in stanzas), "poem").words
    copied = " ".join([*stanzas[1][-4:], *stanzas[2][:3]])
    output = load_text(copied, "model answer")
    spans = compare(poem, output, Parameters(near=False)).spans
    assert [(s.kind, s.words) for s in spans] == [("exact", output.words)]
    assert spans[0].original.pages == (2, 3)


def test_a_heading_that_reads_as_a_roman_numeral_at_a_page_top_is_compared(tmp_path):
    """"Mix" (a recipe step) and "vi" (a manual's section) head their pages; they are text, not page numbers."""
    bodies = [_prose_lines(8, skip=8 * n) for n in range(5)]
    pages = [[*body, "", str(n + 1)] for n, body in enumerate(bodies)]
    pages[1].insert(0, "Mix")
    pages[3].insert(0, "vi")
    manual = _pdf(tmp_path, "manual.pdf", pages)
    assert _found(manual) == [str(n + 1) for n in range(5)]
    assert manual.words == load_text(" ".join(" ".join(body) for body in bodies), "m").words + 2
    output = load_text(" ".join(["Mix", *bodies[1][:4]]), "model answer")
    assert [s.words for s in compare(manual, output, Parameters(near=False)).spans] == [output.words]


def test_front_matter_numbered_in_roman_at_the_foot_is_left_out_but_a_final_I_is_not(tmp_path):
    front = [_prose_lines(6, skip=6 * n) for n in range(4)]
    body = [_prose_lines(6, skip=24 + 6 * n) for n in range(4)]
    numerals = ["i", "ii", "iii", "iv"]
    pages = [[*lines, "", numeral] for lines, numeral in zip(front, numerals)]
    pages[2].insert(len(pages[2]) - 2, "I")  # the preface's last line, just above its page number
    pages += [[*lines, "", str(n + 1)] for n, lines in enumerate(body)]
    book = _pdf(tmp_path, "front.pdf", pages)
    assert _found(book) == [*numerals, "1", "2", "3", "4"]
    words = " ".join(" ".join(lines) for lines in front + body)
    assert book.words == load_text(words, "b").words + 1  # the "I"


def test_roman_numerals_in_the_running_head_are_part_of_the_head(tmp_path):
    """A preface headed "xii PREFACE" / "PREFACE xiii", chapters headed "CHAPTER IV"; the heads are found whole."""
    bodies = [_prose_lines(8, skip=8 * n) for n in range(10)]
    pages = []
    for n, lines in enumerate(bodies[:4]):
        folio = ["xii", "xiii", "xiv", "xv"][n]
        pages.append([f"{folio} PREFACE" if n % 2 == 0 else f"PREFACE {folio}", "", *lines])
    for n, lines in enumerate(bodies[4:]):
        pages.append(["CHAPTER IV" if n < 3 else "CHAPTER V", "", *lines, "", str(n + 1)])
    pages[7].insert(2, "I")  # chapter V opens on a one-word line
    book = _pdf(tmp_path, "chapters.pdf", pages)
    heads = [page[0] for page in pages]
    assert _found(book) == [x for n, head in enumerate(heads) for x in ([head] if n < 4 else [head, str(n - 3)])]
    assert book.words == load_text(" ".join(" ".join(lines) for lines in bodies), "b").words + 1


def test_the_note_quotes_the_lines_left_out_so_a_refrain_taken_for_a_head_is_seen(book):
    """Lines left out of matching are named, the most frequent first, so a user sees what was not compared."""
    (note,) = [note for note in book.notes if "running heads, feet or page numbers" in note]
    found = [book.text[a:b].strip() for a, b in book.running_lines]
    ranked = sorted(((head, found.count(head)) for head in HEADS), key=lambda item: (-item[1], item[0]))
    assert all(count > 1 for _, count in ranked)
    named = ", ".join(f"“{head}” ({count} pages)" for head, count in ranked)
    assert note.endswith(f"left out of matching and of the word count: {named}, page numbers.")

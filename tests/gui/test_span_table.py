"""The match table model, without any window: rows, raw-number sorting and the kind filter."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from memdiff import ingest
from memdiff.analyse import compare
from memdiff.evidence import Parameters
from memdiff.gui.span_table import SORT_ROLE, SPAN_ID_ROLE, SpanFilterProxy, SpanTableModel

from gui_support import SAMPLES


@pytest.fixture(scope="module")
def sample_comparison():
    original = ingest.load(SAMPLES / "original.txt")
    output = ingest.load(SAMPLES / "model-output.txt")
    return original, compare(original, output, Parameters())


def _column(name: str) -> int:
    return SpanTableModel.COLUMNS.index(name)


def test_one_row_per_span_with_its_figures(sample_comparison):
    original, comparison = sample_comparison
    model = SpanTableModel()
    model.set_spans(comparison.spans, original)
    assert model.rowCount() == len(comparison.spans) > 0
    assert model.columnCount() == len(SpanTableModel.COLUMNS)
    for row, span in enumerate(comparison.spans):
        assert model.index(row, _column("id")).data() == str(span.id)
        assert model.index(row, _column("words")).data(SORT_ROLE) == span.words
        assert model.index(row, _column("chance")).data(SORT_ROLE) == span.chance.bits
        assert model.index(row, _column("kind")).data() == ("verbatim" if span.kind == "exact" else "near-verbatim")
        assert model.index(row, _column("excerpt")).data(SPAN_ID_ROLE) == span.id
        excerpt = model.index(row, _column("excerpt")).data()
        first_words = " ".join(original.text[span.original.start : span.original.end].split())[:20]
        assert excerpt.startswith(first_words)


def test_sorting_uses_numbers_not_display_text(sample_comparison):
    original, comparison = sample_comparison
    model = SpanTableModel()
    model.set_spans(comparison.spans, original)
    proxy = SpanFilterProxy()
    proxy.setSourceModel(model)
    proxy.sort(_column("words"), Qt.SortOrder.AscendingOrder)
    shown = [int(proxy.index(r, _column("words")).data(SORT_ROLE)) for r in range(proxy.rowCount())]
    assert shown == sorted(s.words for s in comparison.spans)
    # As text, "19" would sort before "8"; the smallest span must come first.
    assert shown[0] == min(s.words for s in comparison.spans)
    proxy.sort(_column("chance"), Qt.SortOrder.DescendingOrder)
    bits = [proxy.index(r, _column("chance")).data(SORT_ROLE) for r in range(proxy.rowCount())]
    assert bits == sorted(bits, reverse=True)


def test_kind_filter(sample_comparison):
    original, comparison = sample_comparison
    model = SpanTableModel()
    model.set_spans(comparison.spans, original)
    proxy = SpanFilterProxy()
    proxy.setSourceModel(model)
    near = [s for s in comparison.spans if s.kind == "near"]
    assert near, "the sample case has near-verbatim passages"
    proxy.set_kind("near")
    assert proxy.rowCount() == len(near)
    assert {proxy.index(r, 0).data(SPAN_ID_ROLE) for r in range(proxy.rowCount())} == {s.id for s in near}
    proxy.set_kind(None)
    assert proxy.rowCount() == len(comparison.spans)


def test_row_lookup_by_span_id(sample_comparison):
    original, comparison = sample_comparison
    model = SpanTableModel()
    model.set_spans(comparison.spans, original)
    last = comparison.spans[-1]
    assert model.row_of(last.id) == len(comparison.spans) - 1
    assert model.span_at(model.row_of(last.id)) is last
    assert model.row_of(10_000) is None


def test_the_model_sorts_itself_and_the_selection_follows(qtbot, sample_comparison):
    # Sorting in the model (one Python sort) instead of a proxy calling Python for each comparison:
    # 20,000 rows sorted in a tenth of a second instead of seconds of frozen window.
    from PySide6.QtWidgets import QTableView

    original, comparison = sample_comparison
    model = SpanTableModel()
    proxy = SpanFilterProxy()
    proxy.setSourceModel(model)
    model.set_spans(comparison.spans, original)
    view = QTableView()
    qtbot.addWidget(view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.selectRow(2)
    chosen = proxy.index(2, 0).data(SPAN_ID_ROLE)
    view.sortByColumn(_column("words"), Qt.SortOrder.DescendingOrder)
    assert proxy.sortColumn() == -1  # the proxy only filters
    words = [model.span_at(r).words for r in range(model.rowCount())]
    assert words == sorted(words, reverse=True)
    # Ties keep the id order, whatever the previous sort was.
    for a, b in zip(model.spans, model.spans[1:]):
        if a.words == b.words:
            assert a.id > b.id
    selected = view.selectionModel().selectedRows()
    assert [index.data(SPAN_ID_ROLE) for index in selected] == [chosen]
    assert model.row_of(chosen) == proxy.mapToSource(selected[0]).row()
    # New results come in the order the user chose.
    model.set_spans(comparison.spans, original)
    assert [model.span_at(r).words for r in range(model.rowCount())] == words
    proxy.set_kind("near")
    near_words = [proxy.index(r, _column("words")).data(SORT_ROLE) for r in range(proxy.rowCount())]
    assert near_words == sorted(near_words, reverse=True)


def _novel_table(path, labels=()):
    """The sample novel as a PDF at ``path`` with these page labels, compared with the sample answer, in a table."""
    from fixtures_docs import sample_novel_pdf

    path.write_bytes(sample_novel_pdf(labels=labels))
    original = ingest.load(path)
    comparison = compare(original, ingest.load(SAMPLES / "model-output.txt"), Parameters())
    model = SpanTableModel()
    model.set_spans(comparison.spans, original)
    return original, comparison, model


def test_pages_show_the_number_printed_on_them_when_the_pdf_gives_one(tmp_path):
    for name, labels in (("plain.pdf", ()), ("book.pdf", ((0, "ROMAN_LOWER", 1, ""), (2, "ARABIC", 1, "")))):
        original, comparison, model = _novel_table(tmp_path / name, labels)
        for row, span in enumerate(comparison.spans):
            first, last = span.original.pages[0], span.original.pages[-1]
            in_file = str(first) if first == last else f"{first}–{last}"
            shown = model.index(row, _column("original_pages")).data()
            if name == "plain.pdf":
                assert shown == in_file
            else:
                labels = original.page_labels
                printed = labels[first - 1] if first == last else f"{labels[first - 1]}–{labels[last - 1]}"
                assert shown == f"{printed} (PDF {in_file})"


def test_pages_without_a_printed_number_are_called_pdf_pages_where_others_have_one(tmp_path):
    original, comparison, model = _novel_table(tmp_path / "book.pdf", ((2, "ARABIC", 1, ""),))
    unlabelled = 0
    for row, span in enumerate(comparison.spans):
        first, last = span.original.pages[0], span.original.pages[-1]
        in_file = str(first) if first == last else f"{first}–{last}"
        shown = model.index(row, _column("original_pages")).data()
        if not all(original.page_labels[page - 1] for page in span.original.pages):
            unlabelled += 1
            assert shown == f"PDF {in_file}"
        else:
            assert shown.endswith(f"(PDF {in_file})")
    assert unlabelled > 0


def test_the_text_s_gutter_names_pages_as_the_table_does(qtbot, tmp_path):
    from fixtures_docs import sample_novel_pdf

    from memdiff.gui.text_pane import TextPane

    (tmp_path / "book.pdf").write_bytes(sample_novel_pdf(labels=((0, "ROMAN_LOWER", 1, ""), (2, "ARABIC", 1, ""))))
    original = ingest.load(tmp_path / "book.pdf")
    pane = TextPane("original")
    qtbot.addWidget(pane)
    pane.set_document(original)
    assert sorted(pane._page_blocks.values(), key=original.page_labels.index) == list(original.page_labels)
    pane.set_document(ingest.load(SAMPLES / "original.txt"))
    assert pane._page_blocks == {}


def test_the_excerpt_column_names_its_side_and_the_hover_says_verbatim(qtbot, sample_comparison):
    from memdiff.gui.text_pane import TextPane

    original, comparison = sample_comparison
    model = SpanTableModel()
    model.set_spans(comparison.spans, original)
    header = model.headerData(_column("excerpt"), Qt.Orientation.Horizontal)
    assert header == "Beginning in the original"  # beside "Output at": whose words these are must be said
    assert "original" in model.headerData(_column("excerpt"), Qt.Orientation.Horizontal, Qt.ItemDataRole.ToolTipRole)
    pane = TextPane("original")
    qtbot.addWidget(pane)
    for span in comparison.spans:
        tip = pane.span_tooltip(span)
        assert "exact" not in tip
        assert (": verbatim," if span.kind == "exact" else ": near-verbatim,") in tip


def test_the_table_and_the_hover_write_a_similarity_as_the_status_bar_and_report_do(qtbot, sample_comparison):
    """A long near-verbatim passage of similarity 0.9996 is not "100.0%" anywhere: that would read as verbatim."""
    from dataclasses import replace

    from memdiff.evidence import percent_text
    from memdiff.gui.text_pane import TextPane

    original, comparison = sample_comparison
    near = next(s for s in comparison.spans if s.kind == "near")
    almost, typical = replace(near, similarity=0.9996), replace(near, id=near.id + 1000, similarity=0.687)
    model = SpanTableModel()
    model.set_spans([almost, typical], original)
    assert model.index(0, _column("similarity")).data() == percent_text(0.9996) == "99.96%"
    assert model.index(1, _column("similarity")).data() == "68.7%"
    pane = TextPane("original")
    qtbot.addWidget(pane)
    assert ", 99.96%." in pane.span_tooltip(almost)
    assert "100.0%" not in pane.span_tooltip(almost)


def test_printed_page_names_holding_a_hyphen_are_joined_with_to_as_in_the_report(tmp_path):
    """"A-1–A-2" could be read as pages A-1 to A, and then 2; the table writes "A-1 to A-2", as the report does."""
    from memdiff.evidence import page_range

    _, comparison, model = _novel_table(tmp_path / "appendix.pdf", ((0, "ARABIC", 1, "A-"),))
    across = [(row, s) for row, s in enumerate(comparison.spans) if s.original.pages[0] != s.original.pages[-1]]
    assert across, "the sample case has a passage running over a page break"
    for row, span in across:
        first, last = span.original.pages[0], span.original.pages[-1]
        shown = model.index(row, _column("original_pages")).data()
        assert shown == f"A-{first} to A-{last} (PDF {page_range(str(first), str(last))})"
        assert f"{first}–{last}" in shown  # plain numbers keep the en dash

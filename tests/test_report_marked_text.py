"""Marked text set directly on the page: line breaking, underlines of every copied run, splitting, text extraction."""

from __future__ import annotations

import io
import re

import pikepdf
from pypdf import PdfReader
from reportlab.pdfgen.canvas import Canvas

from memdiff.report.marked import MarkedText
from memdiff.report.styles import COPIED, Styles


def maker(style_name: str = "quote"):
    st = Styles()
    return st.fragments(getattr(st, style_name))


def line_texts(para: MarkedText, width: float) -> list[str]:
    return para.line_texts(width)


def line_widths(para: MarkedText, width: float) -> list[float]:
    return para.line_widths(width)


def drawn(para: MarkedText, width: float = 300) -> bytes:
    """A one-page PDF with ``para`` drawn on it."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width + 40, 800), invariant=1, pageCompression=0)
    _, h = para.wrap(width, 760)
    para.drawOn(canvas, 20, 780 - h)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def page_stream(pdf: bytes) -> str:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return doc.pages[0].Contents.read_bytes().decode("latin-1")


def test_every_copied_run_sharing_a_line_is_underlined():
    para = maker().paragraph(
        [
            ("copied", "one two"),
            ("plain", " three "),
            ("copied", "four"),
            ("plain", ", five "),
            ("copied", "six"),
        ],
        keep_lines=False,
    )
    stream = page_stream(drawn(para))
    red = f"{COPIED.red:.4f}".rstrip("0")
    underlines = re.findall(
        rf"{re.escape(red)} 0 0 RG ([\d.]+) ([\d.]+) m ([\d.]+) [\d.]+ l S", stream
    )
    assert len(underlines) == 3
    assert len({y for _, y, _ in underlines}) == 1  # one line, one baseline
    starts = [float(x0) for x0, _, _ in underlines]
    assert starts == sorted(starts) and starts[0] == 0


def test_lines_fit_the_width_and_long_words_are_cut_without_losing_a_character():
    long_word = "x" * 240
    text = f"Short words before {long_word} and after it, in one paragraph."
    para = maker().paragraph([("plain", text[:19]), ("copied", text[19:])], keep_lines=False)
    width = 150.0
    assert max(line_widths(para, width)) <= width + 1e-6
    lines = line_texts(para, width)
    assert len(lines) >= 5
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert lines[0] == "Short words before"  # the long word starts its own line
    assert lines[1] == "x" * len(lines[1]) and lines[-1].endswith("in one paragraph.")


def test_kept_line_breaks_and_blank_lines():
    para = maker().paragraph([("plain", "first line\n\n  second   line\nthird")], keep_lines=True)
    assert line_texts(para, 400) == ["first line", "", "second line", "third"]
    joined = maker().paragraph([("plain", "first line\nsecond")], keep_lines=False)
    assert line_texts(joined, 400) == ["first line second"]


def test_split_puts_every_line_on_exactly_one_side_and_never_leaves_one_line_alone():
    words = " ".join(f"word{n}" for n in range(400))
    para = maker("output_text").paragraph([("copied", words)], keep_lines=True)
    width = 300.0
    all_lines = line_texts(para, width)
    _, height = para.wrap(width, 1000)
    assert height == len(all_lines) * para.leading
    leading = para.leading
    first, rest = para.split(width, 5.5 * leading)
    assert first.wrap(width, 5.5 * leading)[1] <= 5.5 * leading
    assert line_texts(first, width) + line_texts(rest, width) == all_lines
    assert para.split(width, 1.5 * leading) == []  # one line alone at a page foot: move it all
    # A part re-set at another width keeps its words and its order.
    assert " ".join(line_texts(rest, 200)) == " ".join(line_texts(rest, width))


def test_drawn_text_is_searchable_with_escapes_and_fallback_characters():
    pieces = [
        ("plain", "Brackets (like these) and a back\\slash, "),
        ("copied", "café naïve"),
        ("plain", " and Arabic "),
        ("different", "changed مرحبا"),
        ("marker", "[12]"),
        ("bold", "end."),
    ]
    pdf = drawn(maker().paragraph(pieces, keep_lines=False), width=500)
    text = PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    flat = " ".join(text.split())
    assert "Brackets (like these) and a back\\slash," in flat
    assert "café naïve" in flat
    assert "[12]" in flat and "end." in flat
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        fonts = {str(f.get("/BaseFont")) for f in doc.pages[0].Resources.Font.values()}
    assert any("DejaVuSans-Oblique" in f for f in fonts)
    assert any("DejaVuSans-Bold" in f for f in fonts)


def test_near_differences_lie_on_a_grey_ground_and_span_numbers_are_raised():
    pieces = [
        ("copied", "same words"),
        ("plain", " "),
        ("different", "changed here"),
        ("plain", " "),
        ("marker", "[3]"),
    ]
    stream = page_stream(drawn(maker().paragraph(pieces, keep_lines=False)))
    grounds = re.findall(
        r"([\d.]+) ([\d.]+) ([\d.]+) rg ([\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+) re f", stream
    )
    assert len(grounds) == 1
    r, g, b = (float(v) for v in grounds[0][:3])
    assert r == g == b and 0.8 < r < 0.9
    assert re.search(r"\b[1-9][\d.]* Ts", stream)  # the span number is raised


def test_tabs_odd_spaces_and_control_characters_are_cleaned():
    para = maker().paragraph([("plain", "a\tb\u00a0c\x07d  e\r\nf")], keep_lines=True)
    assert line_texts(para, 400) == ["a b cd e", "f"]


def test_a_word_in_two_looks_stays_whole_and_each_space_keeps_its_look():
    para = maker().paragraph(
        [("copied", "alpha beta"), ("plain", ", gamma "), ("copied", "delta")], keep_lines=False
    )
    pieces = para.pieces
    assert pieces.texts == ["alpha", "beta", ",", "gamma", "delta"]
    for width in (30.0, 45.0, 60.0, 400.0):  # all wider than "beta,"
        lines = para.line_texts(width)
        assert " ".join(lines).replace(" ", "") == "alphabeta,gammadelta"
        assert not any(line.startswith(",") for line in lines)  # "beta," is one word
    (line,) = para.lines_for(400.0)
    runs = pieces.runs(line)
    # The copied run ends at "beta"; the comma and both spaces after it are plain.
    assert [(run[0].underline, run[1]) for run in runs] == [
        (True, "alpha beta"),
        (False, ", gamma "),
        (True, "delta"),
    ]

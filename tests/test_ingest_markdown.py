"""Markdown is read as its reader saw it rendered: link addresses, images, comments and link definitions left out."""

from __future__ import annotations

from memdiff.analyse import compare
from memdiff.ingest import load, load_bytes, load_text

ALICE = (
    "Alice was beginning to get very tired of sitting by her sister on the bank, and of having nothing to do: "
    "once or twice she had peeped into the book her sister was reading, but it had no pictures or conversations "
    "in it, and what is the use of a book, thought Alice, without pictures or conversations?"
)


def _md(text: str):
    return load_bytes(text.encode("utf-8"), "answer.md")


def test_a_link_s_address_is_left_out_and_its_words_kept():
    doc = _md("She had peeped into the [book her sister](https://example.com/book?id=7 \"a title\") was reading.\n")
    assert doc.media_type == "text/markdown"
    assert doc.text == "She had peeped into the book her sister was reading.\n"
    said = (
        "Read as a Markdown page is shown: 1 link address left out (a reader sees a link's words, not its address, "
        "and a picture, not its file name; comments and link definitions are not shown at all)."
    )
    assert doc.notes == (said,)


def test_images_comments_and_link_definitions_are_left_out_and_counted():
    doc = _md(
        "# Chapter I\n\n![The White Rabbit](img/rabbit.png)\n\nDown the [rabbit-hole][1] she went.\n"
        "<!-- a note the model\nwrote but never showed -->\n\n[1]: https://example.com/hole \"The hole\"\n"
    )
    assert "rabbit.png" not in doc.text and "White Rabbit" not in doc.text
    assert "never showed" not in doc.text and "example.com" not in doc.text
    assert "Down the [rabbit-hole][1] she went." in doc.text  # a reference link shows its words (and its label)
    assert "1 image, 1 comment and 1 link definition left out" in doc.notes[0]


def test_code_is_shown_as_written():
    code = "```\n[not a link](http://example.com) <!-- not a comment -->\n```\n"
    doc = _md(f"Some text, then code:\n\n{code}\nand `[inline](http://x.org)` too.\n")
    assert code in doc.text and "`[inline](http://x.org)`" in doc.text
    assert doc.notes == ()


def test_a_copy_with_a_link_inside_is_one_verbatim_span():
    """The reviewer's case: a link's address inside a copied sentence cut a 57-word copy in two."""
    linked = ALICE.replace("the book her sister", "the [book her sister](https://www.gutenberg.org/ebooks/11)")
    assert "gutenberg" in linked
    result = compare(load_text(ALICE, "original.txt"), _md(f"> {linked}\n"))
    assert [(s.kind, s.words) for s in result.spans] == [("exact", result.summary.suspect_words)]


def test_extract_prints_the_text_whose_offsets_the_result_uses(tmp_path, capsys):
    from memdiff.cli import main

    path = tmp_path / "answer.md"
    path.write_text("Read [this](http://a.example) <!-- hidden -->and that.\n", encoding="utf-8")
    assert main(["extract", str(path)]) == 0
    printed = capsys.readouterr().out
    assert printed.rstrip("\n") == load(path).text.rstrip("\n") == "Read this and that."


def test_a_plain_text_file_keeps_what_looks_like_markdown():
    text = "See [the book](https://example.com) <!-- kept -->\n"
    assert load_text(text, "answer.txt").text == text


def test_what_only_looks_like_a_link_or_a_definition_is_kept():
    """The second reader's cases: a definition cannot interrupt a paragraph, an escaped bracket shows as a
    bracket, and code indented by four spaces is shown as written."""
    for text in (
        "Foo bar baz qux.\n[Alice]: Curiouser!\n",
        "He wrote \\[sic\\](1865) in the margin.\n",
        "Example of the syntax:\n\n    See [the book](https://example.com/alice) <!-- note -->\n\nEnd.\n",
    ):
        doc = _md(text)
        assert (doc.text, doc.notes) == (text, ())


def test_definitions_after_a_blank_line_or_each_other_are_left_out():
    doc = _md("Down the [hole][1] and [out][2].\n\n[1]: https://a.example\n[2]: https://b.example 'B'\n")
    assert doc.text == "Down the [hole][1] and [out][2].\n\n"
    assert "2 link definitions left out" in doc.notes[0]

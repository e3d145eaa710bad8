"""Markdown: the text a reader of the rendered page sees, without the addresses and comments they never see.

A model's answer saved as Markdown holds more than its reader saw: the address
of every link (``[a book](https://example.com/…)`` shows as "a book"), HTML
comments, images (a picture, not its file name) and the link definitions at
the foot of the file (``[1]: https://…``). Left in, an address inside a copied
sentence cuts the copy in two and a comment is counted as output that was never
shown. So these are left out, each kind counted in a note; everything else is
kept as written, markup included (``#``, ``*``, ``>`` and list markers are
punctuation, which matching ignores by default). Code, fenced or between
backticks or indented by four spaces after a blank line, is shown as written,
so nothing inside it is touched; nor is a bracket escaped with a backslash
("\\[sic\\]"), which shows as a bracket.

The extracted text is the result: every offset indexes it, as ``memdiff
extract`` prints it.
"""

from __future__ import annotations

import re

# A fence opens a code block of three or more backticks or tildes, and the same run closes it.
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Backtick code spans: a run of backticks, the code, the same run.
_CODE_SPAN = re.compile(r"(`+)(?:.+?)\1", re.DOTALL)
# A link's address (and title), with one level of brackets inside the text and of parentheses inside the address.
_DESTINATION = r"\(\s*(?:<[^>\n]*>|(?:[^()\s]|\([^()\s]*\))*)(?:\s+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?\s*\)"
_LINK_TEXT = r"(?<!\\)\[((?:\\.|[^\[\]\n\\]|\[[^\[\]\n]*\])*)\]"
_IMAGE = re.compile(r"!" + _LINK_TEXT + _DESTINATION)
_LINK = re.compile(_LINK_TEXT + _DESTINATION)
# A link definition: "[label]: address" on a line of its own, with an optional title. It cannot interrupt a
# paragraph: it opens the text or follows a blank line or another definition (so "Foo\n[bar]: baz" is prose).
_DEFINITION_LINE = re.compile(r" {0,3}(?<!\\)\[[^\]\n]+\]:[ \t]*\S+(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'|\([^)\n]*\)))?[ \t]*")
# An indented code block: four spaces (or a tab) opening a line after a blank line, or after another such line.
_INDENTED = re.compile(r"(?: {4}|\t)")


def visible(text: str) -> tuple[str, tuple[str, ...]]:
    """``text`` (Markdown, LF line ends) without link addresses, images, comments and link definitions, and a
    note saying what was left out (none when nothing was)."""
    counts = {"link": 0, "image": 0, "comment": 0, "definition": 0}
    out: list[str] = []
    prose: list[str] = []

    def flush() -> None:
        if prose:
            out.append(_prose_visible("".join(prose), counts))
            prose.clear()

    fence: str | None = None
    after_blank = True  # the text's start counts as a blank line before it
    in_code = in_definitions = False
    for line in text.splitlines(keepends=True):
        blank = not line.strip()
        opening = _FENCE.match(line)
        if fence is not None:
            out.append(line)
            if line.strip().startswith(fence[0] * len(fence)) and not line.strip().strip(fence[0]):
                fence = None
        elif opening is not None:
            flush()
            fence = opening.group(1)
            out.append(line)
            in_code = in_definitions = False
        elif blank:
            # A blank line inside indented code stays with it; elsewhere it is prose's.
            (out if in_code else prose).append(line)
        elif (after_blank or in_code) and _INDENTED.match(line):
            flush()  # indented code: it cannot interrupt a paragraph
            out.append(line)
            in_code, in_definitions = True, False
        elif (after_blank or in_definitions) and _DEFINITION_LINE.fullmatch(line.rstrip("\n")):
            flush()  # a definition cannot interrupt a paragraph either
            counts["definition"] += 1
            in_code, in_definitions = False, True
        else:
            prose.append(line)
            in_code = in_definitions = False
        after_blank = blank
    flush()
    return "".join(out), _note(counts)


def _prose_visible(text: str, counts: dict[str, int]) -> str:
    """Prose outside fenced code: the parts between code spans transformed, the code spans kept."""
    pieces: list[str] = []
    at = 0
    for code in _CODE_SPAN.finditer(text):
        pieces.append(_shown(text[at : code.start()], counts))
        pieces.append(code.group())
        at = code.end()
    pieces.append(_shown(text[at:], counts))
    return "".join(pieces)


def _shown(text: str, counts: dict[str, int]) -> str:
    """Prose without code: what of it a reader of the rendered page sees."""
    text = _without(_COMMENT, text, counts, "comment", "")
    text = _without(_IMAGE, text, counts, "image", "")
    return _without(_LINK, text, counts, "link", r"\1")


def _without(pattern: re.Pattern[str], text: str, counts: dict[str, int], kind: str, replacement: str) -> str:
    result, n = pattern.subn(replacement, text)
    counts[kind] += n
    return result


_NAMES = {
    "link": ("link address", "link addresses"),
    "image": ("image", "images"),
    "comment": ("comment", "comments"),
    "definition": ("link definition", "link definitions"),
}


def _note(counts: dict[str, int]) -> tuple[str, ...]:
    said = [f"{n} {_NAMES[kind][n != 1]}" for kind, n in counts.items() if n]
    if not said:
        return ()
    listed = said[0] if len(said) == 1 else ", ".join(said[:-1]) + " and " + said[-1]
    note = (
        f"Read as a Markdown page is shown: {listed} left out (a reader sees a link's words, not its address, "
        "and a picture, not its file name; comments and link definitions are not shown at all)."
    )
    return (note,)

"""GUI marking speed: a 1 MB original with thousands of spans in the text panes.

Measures, in one run and on the same text:

* the baseline: building the pane's document once (``setPlainText``), which
  every approach pays;
* marking every span the way the GUI does (the spans touching the visible
  lines handed to Qt as extra selections, renewed on scrolling), as a ratio to
  the baseline (target: well under 1x);
* two approaches the GUI avoids, as ratios to the same baseline: all spans as
  extra selections at once (Qt then lays out every block they touch), and one
  cursor edit (``mergeCharFormat``) per span written into the document;
* jumping to spans and repainting the visible page, with and without the
  marks, as a ratio (target: close to 1x: marks must not make scrolling slow).

The texts are generated with a fixed seed from wordfreq's English word list,
and the spans come from a real comparison. Run off screen:
``QT_QPA_PLATFORM=offscreen python benchmarks/gui_highlight.py [--quick]``.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Sequence

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import memdiff.gui  # noqa: E402,F401  (guard against PySide6 6.12's reference-count bug before Qt calls)
from PySide6.QtGui import QTextCharFormat, QTextCursor  # noqa: E402
from PySide6.QtWidgets import QApplication, QTextEdit  # noqa: E402
from wordfreq import top_n_list  # noqa: E402

from memdiff.analyse import compare  # noqa: E402
from memdiff.evidence import Parameters  # noqa: E402
from memdiff.gui.text_pane import TextPane  # noqa: E402
from memdiff.ingest import load_text  # noqa: E402


def prose(rng: random.Random, vocabulary: list[str], characters: int) -> str:
    """Sentence-shaped text of about ``characters`` characters, in paragraphs."""
    paragraphs: list[str] = []
    size = 0
    while size < characters:
        sentences = []
        for _ in range(rng.randint(3, 8)):
            words = [vocabulary[min(int(rng.paretovariate(0.9)), len(vocabulary) - 1)] for _ in range(rng.randint(6, 24))]
            sentences.append(" ".join(words).capitalize() + ".")
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)


def planted_output(rng: random.Random, original: str, vocabulary: list[str], passages: int) -> str:
    words = original.split()
    parts = []
    for _ in range(passages):
        start = rng.randrange(0, len(words) - 40)
        parts.append(" ".join(words[start : start + rng.randint(10, 30)]))
        parts.append(" ".join(rng.choice(vocabulary[2000:]) for _ in range(rng.randint(5, 15))))
    return " ".join(parts)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a smaller original and fewer spans")
    args = parser.parse_args(argv)
    characters, passages, repeats, jumps = (
        (250_000, 800, 2, 50) if args.quick else (1_000_000, 4_000, 3, 200)
    )

    app = QApplication.instance() or QApplication(sys.argv[:1])
    rng = random.Random("memdiff gui highlight benchmark")
    vocabulary = top_n_list("en", 20_000)
    original = load_text(prose(rng, vocabulary, characters), name="original")
    output = load_text(planted_output(rng, original.text, vocabulary, passages), name="output")
    started = time.perf_counter()
    comparison = compare(original, output, Parameters(min_words=8))
    compare_seconds = time.perf_counter() - started
    spans = comparison.spans
    print(f"original: {original.characters:,} characters; output: {output.characters:,}; "
          f"{len(spans):,} spans (comparison {compare_seconds:.2f} s)")

    def fresh_pane() -> TextPane:
        pane = TextPane("original")
        pane.resize(900, 700)
        pane.show()
        app.processEvents()
        return pane

    def timed(work) -> float:  # noqa: ANN001
        start = time.perf_counter()
        work()
        app.processEvents()
        return time.perf_counter() - start

    # Each approach starts from a freshly built document: laying out blocks is the real cost,
    # and a document that was laid out before would hide it.
    baselines, visible_marking, all_marking, naive_marking = [], [], [], []
    for _ in range(repeats):
        pane = fresh_pane()
        baselines.append(timed(lambda: pane.set_document(original)))  # noqa: B023
        visible_marking.append(timed(lambda: pane.set_spans(spans)))  # noqa: B023

        pane = fresh_pane()
        pane.set_document(original)
        app.processEvents()

        def every_span_at_once() -> None:
            fmt = QTextCharFormat()
            fmt.setBackground(pane.palette().highlight())  # noqa: B023
            selections = []
            for span in spans:
                selection = QTextEdit.ExtraSelection()
                cursor = QTextCursor(pane.document())  # noqa: B023
                cursor.setPosition(span.original.start)
                cursor.setPosition(span.original.end, QTextCursor.MoveMode.KeepAnchor)
                selection.cursor = cursor
                selection.format = fmt
                selections.append(selection)
            pane.setExtraSelections(selections)  # noqa: B023

        all_marking.append(timed(every_span_at_once))

        pane = fresh_pane()
        pane.set_document(original)
        app.processEvents()

        def cursor_edit_per_span() -> None:
            fmt = QTextCharFormat()
            fmt.setBackground(pane.palette().highlight())  # noqa: B023
            cursor = QTextCursor(pane.document())  # noqa: B023
            for span in spans:
                cursor.setPosition(span.original.start)
                cursor.setPosition(span.original.end, QTextCursor.MoveMode.KeepAnchor)
                cursor.mergeCharFormat(fmt)

        naive_marking.append(timed(cursor_edit_per_span))
    baseline = min(baselines)

    targets = [spans[rng.randrange(len(spans))].original for _ in range(jumps)]

    def walk(pane: TextPane) -> float:
        start = time.perf_counter()
        for where in targets:
            pane.show_location(where)
            pane.viewport().repaint()
        return time.perf_counter() - start

    plain = fresh_pane()
    plain.set_document(original)
    walk(plain)  # lay out the blocks once, so both walks measure painting and marking only
    plain_walk = min(walk(plain) for _ in range(repeats))
    marked = fresh_pane()
    marked.set_document(original)
    marked.set_spans(spans)
    walk(marked)
    marked_walk = min(walk(marked) for _ in range(repeats))

    def line(label: str, seconds: float, ratio_to: float, unit: str) -> None:
        print(f"{label:<58} {seconds * 1000:9.1f} ms  = {seconds / ratio_to:6.2f}x {unit}")

    print(f"{'baseline: building the document (setPlainText)':<58} {baseline * 1000:9.1f} ms")
    line(f"marking {len(spans):,} spans, visible ones handed to Qt (the GUI)", min(visible_marking), baseline, "baseline")
    line("marking them all as extra selections at once", min(all_marking), baseline, "baseline")
    line("marking them with one cursor edit per span", min(naive_marking), baseline, "baseline")
    print(f"{f'{jumps} jumps to a span + repaint, unmarked':<58} {plain_walk * 1000:9.1f} ms"
          f"  ({plain_walk / jumps * 1000:.2f} ms per jump)")
    line(f"{jumps} jumps to a span + repaint, marked", marked_walk, plain_walk, "unmarked")
    return 0


if __name__ == "__main__":
    sys.exit(main())

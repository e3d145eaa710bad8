"""Help > Reading the results: the window's terms explained in plain words, offline.

Expert witnesses and paralegals meet "near-verbatim", "Chance (bits)" or
"Output at" for the first time in the match table; tooltips are easy to miss,
so one page, reachable with F1, says what each figure means and what it does
not mean.
"""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget


def reading_the_results_html() -> str:
    tr = lambda text: QDialog.tr(text)  # noqa: E731 - one translation context for the page
    return tr(
        "<h2>Reading the results</h2>"
        "<p>memdiff looks for passages of the <b>model output</b> that also occur in the <b>original work</b>. "
        "Each such passage is a <b>span</b>. Everything is computed on this computer.</p>"
        "<h3>The summary</h3>"
        "<p><b>… of the model output reproduces the original</b>: the share of the output's words that lie inside "
        "a span. <b>Covers … of the original</b>: the share of the original's words that were reproduced.</p>"
        "<h3>Kinds of span</h3>"
        "<p><b>Verbatim</b>: the same words in the same order (after the adjustments listed under <i>Before "
        "comparing</i>, such as ignoring upper and lower case). In this window verbatim spans are shaded orange "
        "with a solid underline.</p>"
        "<p><b>Near-verbatim</b>: a passage copied with small edits, a word changed, added or dropped. Shaded "
        "blue with a dashed underline.</p>"
        "<p>The PDF report marks copied words red and underlined, and the words that differ inside a "
        "near-verbatim passage in italics on grey, so that the marks survive a black-and-white copy. The result "
        "file (JSON) calls verbatim spans <code>exact</code>.</p>"
        "<h3>The columns of the match table</h3>"
        "<dl>"
        "<dt><b>#</b></dt><dd>The span's number, the same in the report and the result file.</dd>"
        "<dt><b>Words</b></dt><dd>How many words of the model output the span contains.</dd>"
        "<dt><b>Similarity</b></dt><dd>100% for verbatim spans; for a near-verbatim passage, an edit "
        "similarity counted in words: roughly the share of its words left unchanged (a word changed, added or "
        "dropped lowers it).</dd>"
        "<dt><b>Chance (bits)</b></dt><dd>How unlikely it is that a writer would produce these words by "
        "coincidence, judged from how common each word is in ordinary writing. Each bit halves the odds: "
        "20 bits is about one in a million, 40 bits about one in a million million. Spans marked "
        "<i>common phrase</i> are short and ordinary enough that anyone might write them.</dd>"
        "<dt><b>Original page</b></dt><dd>The page of a PDF original where the span lies, counted from the "
        "file's first page (it can differ from the number printed on the page).</dd>"
        "<dt><b>Output at</b></dt><dd>Where the span begins in the model output, counted in characters from "
        "the start of its text.</dd>"
        "<dt><b>Beginning of the text</b></dt><dd>The first words of the span, as the original has them.</dd>"
        "</dl>"
        "<h3>The identity of each file</h3>"
        "<p>Under each file's name memdiff shows its <b>SHA-256</b>, a fingerprint of the file's exact bytes. "
        "The report prints it in full: anyone can recompute it to check that the report is about the same "
        "file. Changing even one character of a file changes its fingerprint.</p>"
        "<h3>Pictures</h3>"
        "<p>For two pictures, memdiff aligns the output on the original and reports the matched share of each, "
        "the regions that match, and <b>perceptual hashes</b>: short fingerprints of what a picture looks "
        "like; the <b>distance</b> counts the bits that differ (0 means the same appearance).</p>"
        "<h3>What the figures do not say</h3>"
        "<p>A span shows that the words occur in both texts. Whether that is a quotation, a common saying or "
        "memorised text is for the reader to judge; the chance figure and the <i>common phrase</i> mark help "
        "with that judgement.</p>"
    )


class ReadingTheResults(QDialog):
    """A small window with the page above; it does not block the main window."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("readingTheResults")
        self.setWindowTitle(self.tr("Reading the results"))
        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)  # nothing on this page leads anywhere, least of all online
        self.browser.setHtml(reading_the_results_html())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.resize(620, 640)

"""The main window: two inputs side by side, the comparison, the match table and the menus.

The window never computes a finding: it loads inputs through ``memdiff.ingest``,
compares them through ``memdiff.analyse.compare`` and writes reports through
``memdiff.report``, all in the background (:mod:`memdiff.gui.background`), and
only displays what comes back. Every message to the user passes through
:meth:`MainWindow.tell`, the one place tests replace to read what would have
been shown.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDateTime, QItemSelectionModel, QLocale, QModelIndex, QPointF, QSize, Qt, QUrl, Signal
from PySide6.QtGui import (
    QAction,
    QActionGroup,
    QCloseEvent,
    QDesktopServices,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QTextLayout,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QCheckBox,
    QComboBox,
    QDockWidget,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPlainTextEdit,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSlider,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QToolBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from memdiff import __version__, ingest
from memdiff.analyse import compare
from memdiff.atomic import write_bytes
from memdiff.errors import MemdiffError, PasswordRequired
from memdiff.evidence import Comparison, Document, ImageSummary, Parameters, Span, TextSummary, percent_text
from memdiff.gui import case_file
from memdiff.gui.background import BackgroundJobs, Job
from memdiff.gui.crash import CrashDialog, details_text, log_file
from memdiff.gui.export_dialog import ExportDialog, ExportRequest, unused_report_path
from memdiff.gui.icons import app_icon, icon
from memdiff.gui.image_view import region_boxes, suspect_to_original
from memdiff.gui.input_side import InputSide
from memdiff.gui.parameters_panel import ParametersPanel
from memdiff.gui.reading_help import ReadingTheResults
from memdiff.gui.settings import Settings, usable_folder
from memdiff.gui.span_table import SPAN_ID_ROLE, SpanFilterProxy, SpanTableModel
from memdiff.gui.text_pane import span_format
from memdiff.gui.theme import apply_theme, problem_colour, span_colours
from memdiff.progress import Progress
from memdiff.text import uncompared

log = logging.getLogger(__name__)

SIDES = ("original", "suspect")

INPUT_FILTER = (
    "Documents and images (*.pdf *.txt *.md *.markdown *.html *.htm *.docx *.rtf "
    "*.png *.jpg *.jpeg *.gif *.tif *.tiff *.bmp *.webp);;All files (*)"
)
CASE_FILTER = "memdiff cases (*.memdiff);;All files (*)"

LICENCES = (
    ("memdiff", "Apache License 2.0"),
    ("Qt 6 / PySide6", "GNU LGPL v3"),
    ("Pillow", "MIT-CMU (HPND)"),
    ("pypdf", "BSD 3-Clause"),
    ("RapidFuzz", "MIT"),
    ("ReportLab", "BSD 3-Clause"),
    ("NumPy", "BSD 3-Clause"),
    ("OpenCV", "Apache License 2.0"),
    ("ImageHash", "BSD 2-Clause"),
    ("wordfreq", "Apache License 2.0 (data: CC BY-SA 4.0)"),
    ("msgpack", "Apache License 2.0"),
    ("pikepdf (qpdf)", "MPL 2.0 (qpdf: Apache License 2.0)"),
    ("python-docx", "MIT"),
    ("arabic-reshaper", "MIT"),
    ("platformdirs", "MIT"),
    ("DejaVu fonts", "Bitstream Vera / DejaVu licence"),
    ("Droid Sans Fallback", "Apache License 2.0"),
    ("Nanum Gothic, Noto Sans (Indic, Thai, Khmer, Myanmar, Ethiopic)", "SIL Open Font License 1.1"),
)


class SummaryBar(QFrame):
    """The headline figures of the current comparison, in words a court reads."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("summaryBar")
        self.headline = QLabel()
        font = self.headline.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.headline.setFont(font)
        # A long headline wraps instead of making the window wider than a small screen.
        self.headline.setWordWrap(True)
        self.headline.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.legend = Legend()
        #: A line above the figures for what makes them misleading (the same file on both sides).
        self.warning = QLabel()
        self.warning.setObjectName("summaryWarning")
        self.warning.setWordWrap(True)
        self.warning.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.warning.hide()
        text = QVBoxLayout()
        text.setSpacing(2)
        text.addWidget(self.warning)
        text.addWidget(self.headline)
        text.addWidget(self.details)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addLayout(text, 1)
        layout.addWidget(self.legend, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

    def show_message(self, headline: str, details: str = "") -> None:
        self.headline.setText(headline)
        self.details.setText(details)
        self.details.setVisible(bool(details))
        self.legend.hide()

    def set_warning(self, text: str) -> None:
        """Show ``text`` above the figures (bold, in the palette's readable red); an empty text hides it."""
        font = self.warning.font()
        font.setBold(True)
        self.warning.setFont(font)
        self.warning.setStyleSheet(f"color: {problem_colour(self.palette()).name()};")
        self.warning.setText(text)
        self.warning.setVisible(bool(text))

    def show_legend(self) -> None:
        self.legend.repaint_chips()  # its chips take the palette's colours when painted
        self.legend.setToolTip(legend_tip())
        self.legend.show()


class LegendChip(QWidget):
    """One kind of span, named and marked exactly as the text panes mark it (same fill, same underline).

    Qt's rich text has no wavy underline, so the chip paints its word with the
    panes' own character format rather than imitating it in HTML.
    """

    PADDING = 4

    def __init__(self, kind: str, text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = kind
        self._text = text
        self.setAccessibleName(text)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def text(self) -> str:
        return self._text

    def sizeHint(self) -> QSize:
        metrics = self.fontMetrics()
        return QSize(metrics.horizontalAdvance(self._text) + 2 * self.PADDING, metrics.height() + self.PADDING + 2)

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, _event: QPaintEvent) -> None:
        painter = QPainter(self)
        fmt = span_format(span_colours(self.palette()), self.kind)
        painter.fillRect(self.rect(), fmt.background())
        layout = QTextLayout(self._text, self.font())
        whole = QTextLayout.FormatRange()
        whole.start, whole.length, whole.format = 0, len(self._text), fmt
        layout.setFormats([whole])
        layout.beginLayout()
        line = layout.createLine()
        line.setLineWidth(self.width())
        layout.endLayout()
        layout.draw(painter, QPointF(self.PADDING, (self.height() - line.height()) / 2 - 1))
        painter.end()


class Legend(QWidget):
    """The two kinds of span, side by side, as the panes mark them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.chips = (LegendChip("exact", self.tr("verbatim")), LegendChip("near", self.tr("near-verbatim")))
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(6)
        for chip in self.chips:
            row.addWidget(chip)
        self.setAccessibleName(self.tr("Legend: {kinds}").format(kinds=self.text()))

    def text(self) -> str:
        """The kinds named, as a screen reader says them."""
        return ", ".join(chip.text() for chip in self.chips)

    def repaint_chips(self) -> None:
        """Paint again in the palette's colours (after the theme changed)."""
        for chip in self.chips:
            chip.update()


def legend_tip() -> str:
    """What the colours mean, here and in the PDF report (which marks copied words differently)."""
    return QApplication.translate(
        "SummaryBar",
        "<p>In this window, <b>verbatim</b> spans (the same words in the same order) are shaded orange with a "
        "solid underline, and <b>near-verbatim</b> passages (copied with small edits) blue with a dashed "
        "underline. The span selected is dark orange.</p>"
        "<p>The PDF report marks copied words differently, so that they survive a black-and-white copy: "
        "every copied word is <b>red and underlined</b>, and the words that differ inside a near-verbatim "
        "passage are in <i>italics on a grey ground</i>.</p>",
    )


class WrappingBar(QFrame):
    """A bar of groups of controls that moves whole groups to a further row when the window is narrow.

    One row needs about 880 points; on a small screen (or beside the parameters panel) the
    picture controls would otherwise make the window wider than the screen.
    """

    SPACING = 12

    def __init__(self, groups: tuple[QWidget, ...], *, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self._groups = groups
        self._rows_key: tuple[int, ...] = ()
        self._column = QVBoxLayout(self)
        self._column.setContentsMargins(8, 2, 8, 2)
        self._column.setSpacing(2)
        for group in groups:
            group.setParent(self)
        self._relayout(force=True)

    def minimumSizeHint(self):  # noqa: ANN201 - QSize
        hint = super().minimumSizeHint()
        margins = self._column.contentsMargins()
        widest = max(group.sizeHint().width() for group in self._groups)
        hint.setWidth(widest + margins.left() + margins.right())
        return hint

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self._relayout()

    def rows(self) -> list[list[QWidget]]:
        width = self.contentsRect().width() - self._column.contentsMargins().left() - self._column.contentsMargins().right()
        rows: list[list[QWidget]] = [[]]
        used = 0
        for group in self._groups:
            needed = group.sizeHint().width() + (self.SPACING if rows[-1] else 0)
            if rows[-1] and used + needed > width:
                rows.append([])
                used, needed = 0, group.sizeHint().width()
            rows[-1].append(group)
            used += needed
        return rows

    def _relayout(self, *, force: bool = False) -> None:
        rows = self.rows() if not force else [list(self._groups)]
        key = tuple(len(row) for row in rows)
        if key == self._rows_key and not force:
            return
        self._rows_key = key
        while self._column.count():
            row_layout = self._column.takeAt(0).layout()
            while row_layout is not None and row_layout.count():
                row_layout.takeAt(0)
            if row_layout is not None:
                row_layout.setParent(None)
        for row in rows:
            line = QHBoxLayout()
            line.setSpacing(self.SPACING)
            for group in row:
                if group is self._groups[-1] and len(row) > 1:
                    line.addStretch(1)  # the last group (zoom) keeps to the right when it shares a row
                line.addWidget(group)
            if row[-1] is not self._groups[-1] or len(row) == 1:
                line.addStretch(1)
            self._column.addLayout(line)
        self.updateGeometry()


def _filled(fields: dict[str, Any]) -> tuple[tuple[str, Any], ...]:
    """The fields given a value, in name order: an empty field and a missing one say the same."""
    return tuple(sorted((name, value) for name, value in fields.items() if value not in (None, "")))


def _plural(n: int, one: str, many: str) -> str:
    return f"{n:,} {one if n == 1 else many}"


class MainWindow(QMainWindow):
    documentLoaded = Signal(str)
    comparisonFinished = Signal(object)
    comparisonCancelled = Signal()
    comparisonFailed = Signal(str)
    loadFailed = Signal(str)
    exportFinished = Signal(object)
    exportFailed = Signal(str)
    caseSaved = Signal(object)

    def __init__(self, settings: Settings | None = None) -> None:
        super().__init__()
        self.settings = settings or Settings()
        self.setWindowTitle("memdiff")
        self.setWindowIcon(app_icon())
        self.setObjectName("memdiffMainWindow")
        self.jobs = BackgroundJobs(self)
        self.documents: dict[str, Document | None] = {"original": None, "suspect": None}
        self.comparison: Comparison | None = None
        self.case_path: Path | None = None
        self.export_dialog: ExportDialog | None = None
        self._compare_job: Job | None = None
        self._generation = 0
        self._current_span: int | None = None
        # True while the window itself moves the panes, so one pane's scrolling is not
        # echoed back by the other's.
        self._moving_panes = False
        # A case being opened: what each side was when saved, to warn when it changed.
        self._expected: dict[str, case_file.CaseInput] = {}
        self._expected_saved_on = ""
        # What the case file recorded for each side (when it was opened or last saved), and when.
        self._recorded: dict[str, case_file.CaseInput] = {}
        self._recorded_on = ""
        #: Files the user picked with "Locate…" for a case's missing inputs, by side (absolute paths),
        #: until read: a file picked by hand is judged as such, not as the recorded file changed.
        self._located: dict[str, str] = {}
        # The case's caption and the model output's provenance, as the export dialog fills them:
        # they belong to this case (and are saved in its file), never carried to the next one.
        self.front_matter: dict[str, Any] = {}
        self.provenance: dict[str, Any] = {}
        #: The SHA-256 of the model output the provenance describes.
        self._provenance_of: str | None = None
        #: A note the status bar gives with "Comparison finished." (which two dropped files are which).
        self._note_for_finish = ""
        #: True while Swap sides puts the inputs back: the provenance entered is kept, not cleared.
        self._swapping = False
        self._pending_loads = 0
        self._load_generation = {"original": 0, "suspect": 0}
        self._load_jobs: dict[str, Job] = {}
        #: True from a parameter's edit until the comparison with the new settings is shown.
        self._results_stale = False

        self._build_sides()
        self._build_bottom()
        self._build_central()
        self._build_parameters_dock()
        self._build_status_bar()
        self._build_actions()
        self._build_menus_and_toolbar()
        self._set_tab_order()
        self._name_for_screen_readers()
        # Follow the desktop's light/dark switch while running, when the user left it to the system.
        QGuiApplication.styleHints().colorSchemeChanged.connect(self._system_scheme_changed)
        self._restore_layout()
        self._show_idle_summary()
        self._update_page_column()
        self._update_actions()
        #: The case as it was last saved or opened (or started): what "unsaved work" is measured against.
        self._saved_state = self._case_state()

    # ================================================================== construction

    def _build_sides(self) -> None:
        self.sides: dict[str, InputSide] = {
            "original": InputSide(
                "original",
                self.tr("Original work"),
                self.tr(
                    "<p style='font-size:13pt'><b>Drop the original work here</b></p>"
                    "<p>or choose <b>Open…</b> (Ctrl+O)</p>"
                    "<p style='color:gray'>PDF, Word, HTML, Markdown, plain text, or an image</p>"
                ),
                accepts_text=False,
            ),
            "suspect": InputSide(
                "suspect",
                self.tr("Model output"),
                self.tr(
                    "<p style='font-size:13pt'><b>Drop the model output here</b></p>"
                    "<p>or choose <b>Open…</b> (Ctrl+Shift+O), or <b>paste</b> the text (Ctrl+V)</p>"
                    "<p style='color:gray'>Text copied from a chat window, a file, or an image</p>"
                ),
                accepts_text=True,
            ),
        }
        for side, widget in self.sides.items():
            widget.openRequested.connect(lambda s=side: self.choose_and_load(s))
            widget.filesDropped.connect(lambda files, s=side: self._files_dropped(s, files))
            widget.text.spanActivated.connect(lambda span_id, s=side: self.show_span(span_id, clicked_side=s))
            widget.text.topSpanChanged.connect(lambda span_id, s=side: self._follow(s, span_id))
            widget.picture.zoomChanged.connect(lambda zoom, s=side: self._zoom_changed(s, zoom))
        self.sides["suspect"].textDropped.connect(self.load_pasted_text)
        self.sides["suspect"].pasteRequested.connect(self.paste_output)

    @property
    def original_pane(self):  # noqa: ANN201 - TextPane, typed by InputSide
        return self.sides["original"].text

    @property
    def output_pane(self):  # noqa: ANN201
        return self.sides["suspect"].text

    def _build_bottom(self) -> None:
        # The match table, for text comparisons.
        self.span_model = SpanTableModel(self)
        self.span_proxy = SpanFilterProxy(self)
        self.span_proxy.setSourceModel(self.span_model)
        self.table = QTableView()
        self.table.setObjectName("matchTable")
        self.table.setModel(self.span_proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        # Tab leaves the table (to the parameters); the arrow keys move between rows.
        self.table.setTabKeyNavigation(False)
        self.table.setWordWrap(False)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setStretchLastSection(True)
        header.setHighlightSections(False)
        header.setDefaultAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        self.table.selectionModel().currentRowChanged.connect(self._table_row_changed)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        copy_rows = QAction(self.tr("&Copy rows"), self.table)
        copy_rows.setShortcut(QKeySequence.StandardKey.Copy)
        copy_rows.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        copy_rows.triggered.connect(self.copy_table_rows)
        self.table.addAction(copy_rows)

        self.kind_filter = QComboBox()
        self.kind_filter.addItem(self.tr("All spans"), None)
        self.kind_filter.addItem(self.tr("Verbatim only"), "exact")
        self.kind_filter.addItem(self.tr("Near-verbatim only"), "near")
        self.kind_filter.currentIndexChanged.connect(self._kind_filter_changed)
        self.table_caption = QLabel(self.tr("Reproduced spans"))
        caption_font = self.table_caption.font()
        caption_font.setBold(True)
        self.table_caption.setFont(caption_font)
        bar = QHBoxLayout()
        bar.addWidget(self.table_caption)
        bar.addStretch(1)
        show = QLabel(self.tr("Sho&w:"))
        show.setBuddy(self.kind_filter)
        bar.addWidget(show)
        bar.addWidget(self.kind_filter)
        text_page = QWidget()
        text_layout = QVBoxLayout(text_page)
        text_layout.setContentsMargins(0, 4, 0, 0)
        text_layout.addLayout(bar)
        text_layout.addWidget(self.table, 1)

        # The hash table and region list, for image comparisons.
        self.hash_table = QTableWidget(0, 4)
        self.hash_table.setObjectName("hashTable")
        self.hash_table.setHorizontalHeaderLabels(
            [self.tr("Hash"), self.tr("Distance"), self.tr("Bits"), self.tr("Similarity")]
        )
        self.hash_table.verticalHeader().hide()
        self.hash_table.setTabKeyNavigation(False)
        self.hash_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.hash_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.region_table = QTableWidget(0, 4)
        self.region_table.setObjectName("regionTable")
        self.region_table.setHorizontalHeaderLabels(
            [self.tr("#"), self.tr("Score"), self.tr("Box in the original"), self.tr("Box in the output")]
        )
        self.region_table.verticalHeader().hide()
        self.region_table.setTabKeyNavigation(False)
        self.region_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.region_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.region_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.region_table.horizontalHeader().setStretchLastSection(True)
        self.region_table.currentCellChanged.connect(lambda row, *_: self._region_selected(row))
        image_page = QSplitter(Qt.Orientation.Horizontal)
        for caption, table in ((self.tr("Perceptual hashes"), self.hash_table), (self.tr("Matched regions"), self.region_table)):
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 4, 0, 0)
            label = QLabel(caption)
            label.setFont(caption_font)
            column.addWidget(label)
            column.addWidget(table, 1)
            image_page.addWidget(box)

        self.bottom = QStackedWidget()
        self.bottom.addWidget(text_page)
        self.bottom.addWidget(image_page)
        self._text_page, self._image_page = text_page, image_page

    def _build_image_controls(self) -> QWidget:
        self.outlines_box = QCheckBox(self.tr("&Outline matched regions"))
        self.outlines_box.setChecked(True)
        self.outlines_box.toggled.connect(self._apply_image_layers)
        self.heatmap_box = QCheckBox(self.tr("H&eatmap"))
        self.heatmap_box.setToolTip(self.tr("Similarity of each tile of the original to the aligned output"))
        self.heatmap_box.toggled.connect(self._apply_image_layers)
        self.overlay_box = QCheckBox(self.tr("Output &aligned over the original"))
        self.overlay_box.setToolTip(self.tr("Draw the model output on the original, moved and scaled as the analysis found"))
        self.overlay_box.toggled.connect(self._apply_image_layers)
        self.opacity = QSlider(Qt.Orientation.Horizontal)
        self.opacity.setRange(0, 100)
        self.opacity.setValue(50)
        self.opacity.setFixedWidth(140)
        self.opacity.setToolTip(self.tr("Opacity of the aligned output"))
        self.opacity.valueChanged.connect(
            lambda v: self.sides["original"].picture.set_overlay_opacity(v / 100)
        )
        opacity_label = QLabel(self.tr("O&pacity:"))
        opacity_label.setBuddy(self.opacity)
        layers, opacity, zoom = QWidget(), QWidget(), QWidget()
        layout = QHBoxLayout(layers)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.outlines_box, self.heatmap_box, self.overlay_box):
            layout.addWidget(widget)
        layout = QHBoxLayout(opacity)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(opacity_label)
        layout.addWidget(self.opacity)
        layout = QHBoxLayout(zoom)
        layout.setContentsMargins(0, 0, 0, 0)
        self.zoom_buttons: list[QToolButton] = []
        for name, tip, slot in (
            ("zoom-out", self.tr("Zoom out (Ctrl+-)"), lambda: self.zoom_images(1 / 1.25)),
            ("zoom-in", self.tr("Zoom in (Ctrl++)"), lambda: self.zoom_images(1.25)),
            ("zoom-fit", self.tr("Fit both pictures (Ctrl+0)"), self.fit_images),
        ):
            button = QToolButton()
            button.setIcon(icon(name))
            button.setToolTip(tip)
            button.setAutoRaise(True)
            button.setAccessibleName(tip.split(" (")[0])
            button.clicked.connect(slot)
            layout.addWidget(button)
            self.zoom_buttons.append(button)
        self.link_zoom = QCheckBox(self.tr("&Link zoom"))
        self.link_zoom.setChecked(True)
        layout.addWidget(self.link_zoom)
        return WrappingBar((layers, opacity, zoom), name="imageControls")

    def _build_central(self) -> None:
        self.summary = SummaryBar()
        self.image_controls = self._build_image_controls()
        self.image_controls.hide()
        self.sides_splitter = QSplitter(Qt.Orientation.Horizontal)
        self.sides_splitter.setObjectName("sidesSplitter")
        self.sides_splitter.setChildrenCollapsible(False)
        self.sides_splitter.addWidget(self.sides["original"])
        self.sides_splitter.addWidget(self.sides["suspect"])
        self.main_splitter = QSplitter(Qt.Orientation.Vertical)
        self.main_splitter.setObjectName("mainSplitter")
        self.main_splitter.addWidget(self.sides_splitter)
        self.main_splitter.addWidget(self.bottom)
        self.main_splitter.setStretchFactor(0, 3)
        self.main_splitter.setStretchFactor(1, 1)
        self.main_splitter.setSizes([560, 220])
        central = QWidget()
        layout = QVBoxLayout(central)
        layout.setContentsMargins(6, 6, 6, 0)
        layout.setSpacing(6)
        layout.addWidget(self.summary)
        layout.addWidget(self.image_controls)
        layout.addWidget(self.main_splitter, 1)
        self.setCentralWidget(central)
        self.setStyleSheet(
            "#summaryBar { border: 1px solid palette(mid); border-radius: 6px; background: palette(base); }"
            "#dropHint { border: 2px dashed palette(mid); border-radius: 8px; background: palette(base); }"
            "#dropHint[dragging='true'] { border-color: palette(highlight); background: palette(alternate-base); }"
            "InputSide, #side_original, #side_suspect { border: none; }"
        )

    def _build_parameters_dock(self) -> None:
        # The settings belong to the case (saved in its file): a new window is a new case, with the defaults.
        self.parameters_panel = ParametersPanel(Parameters())
        self.parameters_panel.changed.connect(self._parameters_changed)
        self.parameters_panel.edited.connect(self._parameters_edited)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(self.parameters_panel)
        # The scroll area is no control of its own (Tab scrolls it to the field reached); as a stop in
        # the Tab chain it was a focus with no name.
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Never scroll sideways: the panel is as wide as its widest field needs, and the window gives way.
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setMinimumWidth(self.parameters_panel.minimumSizeHint().width()
                               + scroll.verticalScrollBar().sizeHint().width())
        self.parameters_dock = QDockWidget(self.tr("Parameters"), self)
        self.parameters_dock.setObjectName("parametersDock")
        self.parameters_dock.setWidget(scroll)
        self.parameters_dock.setFeatures(
            QDockWidget.DockWidgetFeature.DockWidgetMovable | QDockWidget.DockWidgetFeature.DockWidgetClosable
        )
        self.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.parameters_dock)

    def _build_status_bar(self) -> None:
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        self.progress.setFixedWidth(220)
        self.progress.setTextVisible(False)
        self.progress_label = QLabel()
        self.cancel_button = QPushButton(icon("cancel"), self.tr("Cancel"))
        self.cancel_button.setToolTip(self.tr("Stop reading the files or comparing them (Esc)"))
        self.cancel_button.clicked.connect(self.cancel_running)
        status = self.statusBar()
        status.addPermanentWidget(self.progress_label)
        status.addPermanentWidget(self.progress)
        status.addPermanentWidget(self.cancel_button)
        self._set_busy(False)

    def _action(
        self, text: str, slot: Callable[[], Any], shortcut: QKeySequence | str | None = None, icon_name: str | None = None,
        tip: str | None = None,
    ) -> QAction:
        action = QAction(text, self)
        if icon_name:
            action.setIcon(icon(icon_name))
            action.setData(icon_name)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
        if tip:
            action.setToolTip(tip)
            action.setStatusTip(tip)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action

    def _build_actions(self) -> None:
        t = self.tr
        self.open_original_action = self._action(
            t("Open &original work…"), lambda: self.choose_and_load("original"), "Ctrl+O", "open-original",
            t("Open the original work (Ctrl+O)"),
        )
        self.open_output_action = self._action(
            t("Open model o&utput…"), lambda: self.choose_and_load("suspect"), "Ctrl+Shift+O", "open-output",
            t("Open the model output (Ctrl+Shift+O)"),
        )
        self.paste_action = self._action(
            t("&Paste model output"), self.paste_output, QKeySequence.StandardKey.Paste, "paste",
            t("Use the text on the clipboard as the model output (Ctrl+V)"),
        )
        self.new_case_action = self._action(t("&New case"), self.new_case, QKeySequence.StandardKey.New,
                                            tip=t("Start a new case: no inputs, an empty caption and provenance"))
        self.open_case_action = self._action(t("Open &case…"), self.choose_and_open_case, "Ctrl+Alt+O", "open-case")
        self.save_case_action = self._action(t("&Save case"), self.save_case, QKeySequence.StandardKey.Save, "save-case",
                                             t("Save both inputs, the parameters and the report details as a case file"))
        self.save_case_as_action = self._action(t("Save case &as…"), lambda: self.save_case(ask=True), "Ctrl+Shift+S")
        self.export_action = self._action(
            t("&Export report…"), self.export_report, "Ctrl+E", "export-report",
            t("Write the court report (PDF) and the result file (JSON)"),
        )
        self.quit_action = self._action(t("&Quit"), self.close, QKeySequence.StandardKey.Quit)
        self.compare_action = self._action(t("&Compare again"), self.start_comparison, "F5", "compare",
                                           t("Run the comparison again (F5)"))
        self.cancel_action = self._action(t("C&ancel"), self.cancel_running, "Esc", "cancel")
        self.next_action = self._action(t("&Next match"), self.next_span, "F3", "next-match", t("Next match (F3)"))
        self.previous_action = self._action(t("&Previous match"), self.previous_span, "Shift+F3", "previous-match",
                                            t("Previous match (Shift+F3)"))
        self.swap_action = self._action(t("&Swap sides"), self.swap_sides, "Ctrl+Shift+X")
        self.zoom_in_action = self._action(t("Zoom &in"), lambda: self.zoom_images(1.25), QKeySequence.StandardKey.ZoomIn)
        self.zoom_out_action = self._action(t("Zoom &out"), lambda: self.zoom_images(1 / 1.25), QKeySequence.StandardKey.ZoomOut)
        self.fit_action = self._action(t("&Fit pictures"), self.fit_images, "Ctrl+0")
        self.follow_action = QAction(t("&Follow matches while scrolling"), self, checkable=True)
        self.follow_action.setChecked(True)
        self.follow_action.setStatusTip(t("When one side scrolls to a span, bring its counterpart into view on the other side"))
        self.wrap_action = QAction(t("&Wrap long lines"), self, checkable=True)
        self.wrap_action.setChecked(True)
        self.wrap_action.toggled.connect(self.set_line_wrap)
        self.focus_table_action = self._action(t("Go to the match &table"), lambda: self.table.setFocus(), "Ctrl+T")
        self.about_action = self._action(t("&About memdiff"), self.show_about)
        self.about_action.setMenuRole(QAction.MenuRole.AboutRole)
        self.log_action = self._action(t("Open the &log folder"), self._open_log_folder)
        self.reading_action = self._action(t("&Reading the results"), self.show_reading_help,
                                           QKeySequence.StandardKey.HelpContents,
                                           tip=t("What the figures and colours mean (F1)"))

        self.theme_group = QActionGroup(self)
        self.theme_actions: dict[str, QAction] = {}
        for key, label in (("system", t("Follow the &system")), ("light", t("&Light")), ("dark", t("&Dark"))):
            action = QAction(label, self, checkable=True)
            action.setChecked(self.settings.theme == key)
            action.triggered.connect(lambda _checked=False, k=key: self.set_theme(k))
            self.theme_group.addAction(action)
            self.theme_actions[key] = action

    def _build_menus_and_toolbar(self) -> None:
        t = self.tr
        menu = self.menuBar()
        file_menu = menu.addMenu(t("&File"))
        file_menu.addAction(self.new_case_action)
        file_menu.addSeparator()
        file_menu.addAction(self.open_original_action)
        file_menu.addAction(self.open_output_action)
        file_menu.addAction(self.paste_action)
        self.recent_menu = file_menu.addMenu(t("Open &recent"))
        self.recent_menu.aboutToShow.connect(self._fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addAction(self.open_case_action)
        file_menu.addAction(self.save_case_action)
        file_menu.addAction(self.save_case_as_action)
        file_menu.addSeparator()
        file_menu.addAction(self.export_action)
        file_menu.addSeparator()
        file_menu.addAction(self.quit_action)

        compare_menu = menu.addMenu(t("&Comparison"))
        for action in (self.compare_action, self.cancel_action, None, self.next_action, self.previous_action,
                       self.focus_table_action, None, self.swap_action):
            compare_menu.addSeparator() if action is None else compare_menu.addAction(action)

        view_menu = menu.addMenu(t("&View"))
        view_menu.addAction(self.parameters_dock.toggleViewAction())
        self.parameters_dock.toggleViewAction().setShortcut(QKeySequence("Ctrl+P"))
        view_menu.addAction(self.follow_action)
        view_menu.addAction(self.wrap_action)
        view_menu.addSeparator()
        for action in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            view_menu.addAction(action)
        view_menu.addSeparator()
        theme_menu = view_menu.addMenu(t("&Appearance"))
        for action in self.theme_actions.values():
            theme_menu.addAction(action)

        help_menu = menu.addMenu(t("&Help"))
        help_menu.addAction(self.reading_action)
        help_menu.addSeparator()
        help_menu.addAction(self.log_action)
        help_menu.addAction(self.about_action)

        toolbar = QToolBar(t("Main toolbar"))
        toolbar.setObjectName("mainToolbar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        for action in (self.open_original_action, self.open_output_action, self.paste_action, None,
                       self.previous_action, self.next_action, None, self.save_case_action, self.export_action):
            toolbar.addSeparator() if action is None else toolbar.addAction(action)
        self.open_original_action.setIconText(t("Original…"))
        self.open_output_action.setIconText(t("Output…"))
        self.paste_action.setIconText(t("Paste"))
        self.previous_action.setIconText(t("Previous"))
        self.next_action.setIconText(t("Next"))
        self.save_case_action.setIconText(t("Save case"))
        self.export_action.setIconText(t("Export report"))
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)
        self.toolbar = toolbar

    def _name_for_screen_readers(self) -> None:
        for side, label in (("original", self.tr("Original work")), ("suspect", self.tr("Model output"))):
            self.sides[side].text.setAccessibleName(self.tr("{side}: text").format(side=label))
            self.sides[side].picture.setAccessibleName(self.tr("{side}: picture").format(side=label))
            self.sides[side].drop_hint.setAccessibleName(self.tr("{side}: drop a file here").format(side=label))
        self.table.setAccessibleName(self.tr("Reproduced spans"))
        self.hash_table.setAccessibleName(self.tr("Perceptual hashes"))
        self.region_table.setAccessibleName(self.tr("Matched regions"))
        self.summary.setAccessibleName(self.tr("Summary of the comparison"))

    def _set_tab_order(self) -> None:
        """As the screen reads, top to bottom and left to right: the picture controls above the pictures,
        each side's buttons (Open, Paste, Copy of the SHA-256) and content, the table, then the parameters."""
        original, output, panel = self.sides["original"], self.sides["suspect"], self.parameters_panel
        chain = [
            self.outlines_box, self.heatmap_box, self.overlay_box, self.opacity, *self.zoom_buttons, self.link_zoom,
            original.open_button, original.copy_hash_button, original.drop_hint, original.text, original.picture,
            output.open_button, output.paste_button, output.copy_hash_button, output.drop_hint, output.text,
            output.picture,
            self.kind_filter, self.table, self.hash_table, self.region_table,
            panel.min_words, panel.near, panel.min_similarity, panel.casefold, panel.unicode_nfkc,
            panel.unify_quotes, panel.ignore_punctuation, panel.join_hyphenation, panel.ignore_running_heads,
            panel.defaults,
        ]
        for first, second in zip(chain, chain[1:]):
            QWidget.setTabOrder(first, second)

    # ================================================================== the one boundary for messages

    def tell(
        self,
        level: str,
        title: str,
        text: str,
        *,
        details: str | None = None,
        buttons: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
        default: QMessageBox.StandardButton = QMessageBox.StandardButton.Ok,
        labels: dict[QMessageBox.StandardButton, str] | None = None,
    ) -> QMessageBox.StandardButton:
        """Show a message and return the button pressed. Tests replace this method.

        ``level`` is "information", "warning", "error", "question" or "bug"
        (a bug shows the crash dialog with copyable details).
        """
        if level == "bug":
            dialog = CrashDialog(details or text, log_file() if log_file().exists() else None, self)
            dialog.exec()
            return QMessageBox.StandardButton.Close
        icons = {
            "information": QMessageBox.Icon.Information,
            "warning": QMessageBox.Icon.Warning,
            "error": QMessageBox.Icon.Critical,
            "question": QMessageBox.Icon.Question,
        }
        box = QMessageBox(icons.get(level, QMessageBox.Icon.NoIcon), title, text, buttons, self)
        box.setDefaultButton(default)
        for button, label in (labels or {}).items():
            if box.button(button) is not None:
                box.button(button).setText(label)
        if details:
            box.setDetailedText(details)
        return QMessageBox.StandardButton(box.exec())

    def show_error(self, error: BaseException | str, title: str | None = None) -> None:
        """A MemdiffError (or a sentence) becomes a dialog; anything else is a bug and says so."""
        title = title or self.tr("memdiff")
        if isinstance(error, str) or isinstance(error, MemdiffError):
            log.info("%s: %s", title, error)
            self.tell("error", title, str(error))
            return
        details = details_text(type(error), error, error.__traceback__)
        log.error("unexpected error\n%s", details)
        self.tell(
            "bug",
            title,
            self.tr("Something went wrong inside memdiff (a bug): {error}").format(error=error),
            details=details,
        )

    def choose_open_path(self, title: str, filter_text: str) -> str | None:
        """Ask for a file to open (tests replace this); None when the user cancelled."""
        path, _ = QFileDialog.getOpenFileName(self, title, self.settings.last_folder, filter_text)
        return path or None

    def choose_save_path(self, title: str, suggested: str, filter_text: str) -> str | None:
        path, _ = QFileDialog.getSaveFileName(self, title, suggested, filter_text)
        return path or None

    def open_externally(self, path: Path) -> bool:
        """Open a file with the system's viewer (tests replace this)."""
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # ================================================================== loading

    def choose_and_load(self, side: str) -> None:
        title = self.tr("Open the original work") if side == "original" else self.tr("Open the model output")
        path = self.choose_open_path(title, self.tr(INPUT_FILTER))
        if path:
            self.load_file(side, path)

    def _files_dropped(self, side: str, files: list[str]) -> None:
        if len(files) > 2:
            self.tell("information", self.tr("Too many files"), self.tr(
                "You dropped {n} files. Drop one file on a side, or two files together: the original work "
                "and the model output.").format(n=len(files)))
            return
        if len(files) == 2:
            # The order of dropped files is whatever the file manager chose: never guess which
            # one is the original, as a wrong guess would silently replace the evidence shown.
            original = self.choose_original_of(files)
            if original is None:
                return
            output = files[1] if original == files[0] else files[0]
            self.load_file("original", original)
            self.load_file("suspect", output)
            # Said again with "Comparison finished.", which would otherwise replace it a moment later.
            self._note_for_finish = self.tr("{original} is the original work, {output} the model output.").format(
                original=Path(original).name, output=Path(output).name)
            self.statusBar().showMessage(self._note_for_finish)
        elif files:
            self.load_file(side, files[0])

    def choose_original_of(self, files: list[str]) -> str | None:
        """Ask which of two dropped files is the original work (tests replace this); None when cancelled."""
        names = [Path(f).name for f in files]
        if len(set(names)) < len(names):
            names = list(files)  # the same name in two folders: show where each is
        chosen, ok = QInputDialog.getItem(
            self, self.tr("Which file is the original work?"),
            self.tr("You dropped two files. Which one is the original work? The other becomes the model output."),
            names, 0, False)
        return files[names.index(chosen)] if ok and chosen in names else None

    def ask_password(self, name: str, retry: bool) -> str | None:
        """Ask for the password of an encrypted PDF (tests replace this); None when the user cancelled."""
        text = (
            self.tr("The password was not accepted. Enter the password of {name}:")
            if retry
            else self.tr("{name} is protected by a password. Enter it to read the document:")
        ).format(name=name)
        password, ok = QInputDialog.getText(self, self.tr("Password required"), text, QLineEdit.EchoMode.Password)
        return password if ok else None

    def load_file(self, side: str, path: str | os.PathLike[str], *, password: str | None = None) -> Job:
        """Read ``path`` in the background and show it on ``side`` ("original" or "suspect")."""
        if side not in SIDES:
            raise ValueError(f"unknown side {side!r}")
        path = str(path)
        self.settings.last_folder = str(Path(path).parent)
        superseded = self._load_jobs.get(side)
        if superseded is not None and not superseded.done:
            superseded.cancel()  # another file was chosen for this side: stop reading the first
        self._pending_loads += 1
        self._load_generation[side] += 1
        generation = self._load_generation[side]

        def done(document: Document) -> None:
            self._pending_loads -= 1
            if generation != self._load_generation[side]:
                # A later file was chosen for this side while this one was being read.
                self._set_busy(self._pending_loads > 0)
                return
            self.settings.add_recent_file("original" if side == "original" else "output", path)
            self.set_document(side, document)

        def failed(error: BaseException) -> None:
            self._pending_loads -= 1
            if generation != self._load_generation[side]:
                self._set_busy(self._pending_loads > 0)
                return
            if isinstance(error, PasswordRequired):
                # Ask, and read again with the password (kept only for this read, never stored).
                answer = self.ask_password(Path(path).name, retry=password is not None)
                if answer is not None:
                    self.load_file(side, path, password=answer)
                    return
                # The core's sentence names command-line options; in the window, say it in its terms.
                error = self.tr("{name} is protected by a password, so memdiff cannot read it without one. Open it "
                                "again and enter the password when asked.").format(name=Path(path).name)
            self._expected.pop(side, None)
            self._located.pop(side, None)
            self._set_busy(self.jobs.busy)
            self.loadFailed.emit(str(error))
            self.show_error(error, self.tr("Cannot open the file"))

        def cancelled() -> None:
            self._pending_loads -= 1
            if generation == self._load_generation[side]:
                self._expected.pop(side, None)
                self._located.pop(side, None)
                self.statusBar().showMessage(self.tr("Stopped reading {name}.").format(name=Path(path).name), 6000)
            self._set_busy(self._pending_loads > 0)

        def progressed(fraction: float, message: str) -> None:
            if generation == self._load_generation[side] and (self._compare_job is None or self._compare_job.done):
                self._show_progress(fraction, message)

        # A long PDF reports each page read, and Cancel stops it between pages.
        job = self.jobs.run(lambda progress: ingest.load(path, password=password, progress=progress),
                            description=f"reading {path}", on_success=done, on_error=failed,
                            on_progress=progressed, on_cancel=cancelled)
        self._load_jobs[side] = job
        # After the job exists, so the Cancel button knows there is something to cancel.
        self._set_busy(True, self.tr("Reading {name}…").format(name=Path(path).name), indeterminate=True)
        return job

    def paste_output(self) -> None:
        text = QGuiApplication.clipboard().text()
        if not text.strip():
            self.tell("information", self.tr("Nothing to paste"),
                      self.tr("The clipboard holds no text; copy the model's answer first, then paste it here."))
            return
        current = self.documents["suspect"]
        if current is not None:
            answer = self.tell(
                "question", self.tr("Replace the model output?"),
                (self.tr("The model output now shown is text pasted earlier. Use the text on the clipboard "
                         "as the model output instead?") if current.path is None else
                 self.tr("The model output now shown is {name}. Use the text on the clipboard as the model "
                         "output instead?").format(name=current.name)),
                buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                default=QMessageBox.StandardButton.No,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.load_pasted_text(text)

    def load_pasted_text(self, text: str) -> None:
        try:
            document = ingest.load_text(text, name=self.tr("pasted text"))
        except MemdiffError as err:
            self.show_error(err, self.tr("Cannot use the pasted text"))
            return
        self.set_document("suspect", document)

    def set_document(self, side: str, document: Document | None) -> None:
        self.documents[side] = document
        self.sides[side].set_document(document)
        self._clear_results()
        expected = self._expected.pop(side, None)
        located = self._located.pop(side, None)
        if located is not None and (document is None or document.path is None
                                    or os.path.abspath(document.path) != located):
            located = None  # another file took this side's place
        if side == "suspect":
            self._provenance_follows(document, from_case=expected is not None)
        if document is not None and expected is not None:
            if located is not None:
                # A file picked by hand may be any file: never call it the recorded one, changed.
                warning = case_file.not_the_recorded_file(self._side_label(side), expected, document)
                title = self.tr("Not the file the case recorded")
            else:
                warning = case_file.change_warning(self._side_label(side), expected, document,
                                                   self._expected_saved_on)
                title = self.tr("An input has changed")
            if warning:
                self.tell("warning", title, warning)
        self._update_record_notes()
        self._update_title()
        self._update_actions()
        if document is not None:
            self.documentLoaded.emit(side)
        if self._pending_loads == 0:
            self._set_busy(False)
        if all(self.documents.values()) and self._pending_loads == 0:
            self.start_comparison()
        elif document is not None and not all(self.documents.values()):
            other = "suspect" if side == "original" else "original"
            recorded = self._recorded.get(other)
            if recorded is not None and self._pending_loads == 0:
                self._show_missing_input(other, recorded)
            else:
                self.summary.show_message(self.tr("Now load the {missing}.").format(missing=self._side_label(other)),
                                          self.tr("The comparison starts by itself once both sides are loaded."))

    def _provenance_follows(self, output: Document | None, *, from_case: bool) -> None:
        """The prompt, model, date, attempts and sampling describe one output: another output starts blank."""
        if output is None:
            return
        if from_case or self._swapping:
            # The case's own output (perhaps changed since, which the case warning says), or the sides
            # swapped to correct a wrong drop: the details entered stay with the case.
            self._provenance_of = output.sha256
            return
        if output.sha256 != self._provenance_of:
            if self.provenance:
                self.statusBar().showMessage(self.tr(
                    "Another model output: its prompt, model and date are to be entered again when exporting."), 8000)
            self.provenance = {}
            self._provenance_of = output.sha256

    def swap_sides(self) -> None:
        """Exchange the inputs (usually to correct a wrong drop); the caption and provenance entered stay."""
        original, suspect = self.documents["original"], self.documents["suspect"]
        self.documents = {"original": None, "suspect": None}
        self.sides["original"].set_document(None)
        self.sides["suspect"].set_document(None)
        self._swapping = True
        try:
            if suspect is not None:
                self.set_document("original", suspect)
            if original is not None:
                self.set_document("suspect", original)
        finally:
            self._swapping = False

    # ================================================================== comparing

    def _parameters_edited(self) -> None:
        # From the first keystroke the findings shown no longer match the settings shown.
        if self.comparison is not None and all(self.documents.values()):
            self.statusBar().clearMessage()  # "Comparison finished." no longer speaks of what is shown
            self._set_results_stale(True)
            self.summary.show_message(self.tr("Settings changed…"),
                                      self.tr("The comparison runs again with the new settings in a moment."))
        self._update_actions()

    @property
    def results_current(self) -> bool:
        """True when the findings shown are those of the inputs and settings shown, and nothing is re-running."""
        return (
            self.comparison is not None
            and not self._results_stale
            and not self.parameters_panel.change_pending
            and (self._compare_job is None or self._compare_job.done)
        )

    def _set_results_stale(self, stale: bool) -> None:
        """Grey out the previous findings (and stop them being clicked or walked through) while new ones are computed.

        Disabling the panes and the table greys their text with the style's
        own colours. (An opacity effect over the splitter drew the panes'
        old picture over their new place when the summary above changed
        height, so every line showed twice.)
        """
        self._results_stale = stale
        stale = stale and self.comparison is not None
        self.main_splitter.setEnabled(not stale)
        self._update_actions()

    def _parameters_changed(self, _parameters: Parameters) -> None:
        if all(self.documents.values()):
            self.start_comparison()

    def start_comparison(self) -> Job | None:
        original, suspect = self.documents["original"], self.documents["suspect"]
        if original is None or suspect is None:
            return None
        if self._compare_job is not None and not self._compare_job.done:
            self._compare_job.cancel()
        self._generation += 1
        generation = self._generation
        parameters = self.parameters_panel.parameters()
        if not self._note_for_finish:
            self.statusBar().clearMessage()  # an earlier "Comparison finished." would contradict the run
        self.summary.show_message(self.tr("Comparing…"), self.tr("{a} against {b}").format(a=suspect.name, b=original.name))

        def work(progress: Progress) -> Comparison:
            return compare(original, suspect, parameters, progress=progress)

        self._compare_job = self.jobs.run(
            work,
            description="comparison",
            on_success=lambda result: self._comparison_done(generation, result),
            on_error=lambda error: self._comparison_failed(generation, error),
            on_cancel=lambda: self._comparison_cancelled(generation),
            on_progress=lambda fraction, message: self._progress(generation, fraction, message),
        )
        # After the job exists, so the Cancel button knows there is something to cancel.
        self._set_busy(True, self.tr("Comparing…"))
        self._set_results_stale(True)
        self._update_actions()
        return self._compare_job

    def cancel_comparison(self) -> None:
        if self._compare_job is not None and not self._compare_job.done:
            self._compare_job.cancel()
            self.progress_label.setText(self.tr("Cancelling…"))

    def cancel_running(self) -> None:
        """Stop whatever runs: the files being read and the comparison (Cancel, Esc)."""
        running = self._cancellable_jobs()
        for job in running:
            job.cancel()
        if running:
            self.progress_label.setText(self.tr("Cancelling…"))

    def _cancellable_jobs(self) -> list[Job]:
        jobs = [*self._load_jobs.values(), self._compare_job]
        return [job for job in jobs if job is not None and not job.done]

    def _progress(self, generation: int, fraction: float, message: str) -> None:
        if generation != self._generation:
            return
        self._show_progress(fraction, message)

    def _show_progress(self, fraction: float, message: str) -> None:
        self.progress.setRange(0, 1000)
        self.progress.setValue(int(max(0.0, min(1.0, fraction)) * 1000))
        if message:
            self.progress_label.setText(message)

    def _comparison_done(self, generation: int, comparison: Comparison) -> None:
        if generation != self._generation:
            return  # a newer run was started; this result is for old settings
        self._set_busy(self._pending_loads > 0)
        self.comparison = comparison
        self._set_results_stale(False)
        if comparison.mode == "text":
            self._show_text_results(comparison)
        else:
            self._show_image_results(comparison)
        self._warn_if_same_file()
        self._update_actions()
        note, self._note_for_finish = self._note_for_finish, ""
        self.statusBar().showMessage(" ".join(filter(None, (self.tr("Comparison finished."), note))),
                                     8000 if note else 4000)
        self.comparisonFinished.emit(comparison)

    def _comparison_failed(self, generation: int, error: BaseException) -> None:
        if generation != self._generation:
            return
        self._set_busy(self._pending_loads > 0)
        self._clear_results()
        self._show_no_mode()
        self._note_for_finish = ""
        self.statusBar().showMessage(self.tr("The comparison could not be made."), 8000)
        self._show_idle_summary(self.tr("The comparison could not be made."), str(error))
        self.comparisonFailed.emit(str(error))
        self.show_error(error, self.tr("Cannot compare"))

    def _comparison_cancelled(self, generation: int) -> None:
        if generation != self._generation:
            return
        self._set_busy(self._pending_loads > 0)
        self._clear_results()
        self._show_no_mode()
        self.summary.show_message(self.tr("Comparison cancelled."),
                                  self.tr("Press F5 or change a parameter to run it again."))
        self.comparisonCancelled.emit()

    # ================================================================== showing results

    def _clear_results(self) -> None:
        # Whatever is still being computed is for inputs or settings no longer shown.
        if self._compare_job is not None and not self._compare_job.done:
            self._compare_job.cancel()
        self._generation += 1
        self.comparison = None
        self._set_results_stale(False)
        self._current_span = None
        self.span_model.set_spans((), None)
        for side in self.sides.values():
            side.text.set_spans(())
            side.picture.set_outlines(())
            side.picture.set_heatmap(None)
            side.picture.set_overlay(None, None)
        self.hash_table.setRowCount(0)
        self.region_table.setRowCount(0)
        self.summary.set_warning("")
        self._update_page_column()
        # "Comparison finished." spoke of the results just cleared; a note about the inputs loading stays.
        if self._note_for_finish:
            self.statusBar().showMessage(self._note_for_finish)
        else:
            self.statusBar().clearMessage()
        self._update_actions()

    def _show_no_mode(self) -> None:
        """Neither text nor picture results: no picture controls, the text settings usable, an empty table."""
        self.image_controls.hide()
        self.bottom.setCurrentWidget(self._text_page)
        self.parameters_panel.set_text_settings_enabled(True)
        self.table_caption.setText(self.tr("Reproduced spans"))

    def _show_text_results(self, c: Comparison) -> None:
        self.image_controls.hide()
        self.bottom.setCurrentWidget(self._text_page)
        self.parameters_panel.set_text_settings_enabled(True)
        spans = c.spans
        for pane, document in ((self.original_pane, self.documents["original"]),
                               (self.output_pane, self.documents["suspect"])):
            pane.set_spans(spans, unmarked=uncompared(document, c.parameters) if document is not None else ())
        self.span_model.set_spans(spans, self.documents["original"])
        self._update_page_column()
        self.table.resizeColumnsToContents()
        self._current_span = None
        s = c.summary
        assert isinstance(s, TextSummary)
        if not spans:
            self.summary.show_message(
                self.tr("No reproduced spans found."),
                self.tr("No run of {n} or more words of the model output appears in the original.").format(
                    n=c.parameters.min_words),
            )
        else:
            self.summary.show_message(
                self.tr("{pct} of the model output reproduces the original").format(pct=percent_text(s.suspect_coverage)),
                self.tr(
                    "{words} of {total} output words in {spans} ({exact} verbatim, {near} near-verbatim)  ·  "
                    "longest {longest}  ·  covers {orig} of the original  ·  {common} flagged as common phrases"
                ).format(
                    words=f"{s.suspect_words_in_spans:,}",
                    total=f"{s.suspect_words if s.suspect_words is not None else c.suspect.words or 0:,}",
                    spans=_plural(s.span_count, self.tr("span"), self.tr("spans")),
                    exact=f"{s.exact_span_count:,}",
                    near=f"{s.near_span_count:,}",
                    longest=_plural(s.longest_span_words, self.tr("word"), self.tr("words")),
                    orig=percent_text(s.original_coverage),
                    common=f"{s.common_phrase_spans:,}",
                ),
            )
            self.summary.show_legend()
        self._update_table_caption()

    def _update_page_column(self) -> None:
        """The "Original page" column only while the original is a document with pages."""
        original = self.documents["original"]
        self.table.setColumnHidden(SpanTableModel.COLUMNS.index("original_pages"),
                                   not (original is not None and original.kind == "text" and original.pages))

    def _warn_if_same_file(self) -> None:
        """Loading one file on both sides is an easy slip when dragging, and its result looks striking."""
        original, suspect = self.documents["original"], self.documents["suspect"]
        same = original is not None and suspect is not None and original.sha256 == suspect.sha256
        self.summary.set_warning(self.tr(
            "Both sides are the same file (same SHA-256): the figures compare the file with itself. Load the "
            "model output on its side.") if same else "")

    def _kind_filter_changed(self) -> None:
        self.span_proxy.set_kind(self.kind_filter.currentData())
        self._update_table_caption()

    def _update_table_caption(self) -> None:
        """How many spans the table lists, and of how many when a filter hides some."""
        total, shown = self.span_model.rowCount(), self.span_proxy.rowCount()
        if self.comparison is None or self.comparison.mode != "text":
            self.table_caption.setText(self.tr("Reproduced spans"))
        elif shown == total:
            self.table_caption.setText(self.tr("Reproduced spans ({n})").format(n=f"{total:,}"))
        else:
            self.table_caption.setText(self.tr("Reproduced spans: {shown} of {total} shown").format(
                shown=f"{shown:,}", total=f"{total:,}"))

    def _show_image_results(self, c: Comparison) -> None:
        self.image_controls.show()
        self.bottom.setCurrentWidget(self._image_page)
        self.parameters_panel.set_text_settings_enabled(False)
        s = c.summary
        assert isinstance(s, ImageSummary)
        self.sides["original"].picture.set_outlines(region_boxes(c.regions, "original"))
        self.sides["suspect"].picture.set_outlines(region_boxes(c.regions, "suspect"))
        self._apply_image_layers()
        self.hash_table.setRowCount(0)
        for name in sorted(s.hashes):
            figures = s.hashes[name]
            row = self.hash_table.rowCount()
            self.hash_table.insertRow(row)
            similarity = figures.get("similarity")
            for column, value in enumerate((
                name,
                str(figures.get("distance", "–")),
                str(figures.get("bits", "–")),
                percent_text(float(similarity)) if similarity is not None else "–",
            )):
                item = QTableWidgetItem(value)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.hash_table.setItem(row, column, item)
        self.region_table.setRowCount(0)
        for number, region in enumerate(c.regions, start=1):
            row = self.region_table.rowCount()
            self.region_table.insertRow(row)
            for column, value in enumerate((
                str(number), f"{region.score:.2f}",
                "({}, {}) – ({}, {})".format(*region.original), "({}, {}) – ({}, {})".format(*region.suspect),
            )):
                self.region_table.setItem(row, column, QTableWidgetItem(value))
        self.region_table.resizeColumnsToContents()
        t = s.transform or {}
        transform_words = (
            self.tr("scale {scale:.2f}, rotation {rotation:.1f}°, shift {dx:.0f}, {dy:.0f} px{mirror}").format(
                scale=float(t.get("scale", 1.0)), rotation=float(t.get("rotation", 0.0)) + 0.0
                if abs(float(t.get("rotation", 0.0))) >= 0.05 else 0.0,
                dx=float(t.get("dx", 0.0)), dy=float(t.get("dy", 0.0)),
                mirror=self.tr(", mirrored") if t.get("mirrored") else "",
            )
            if s.transform
            else self.tr("no alignment found")
        )
        self.summary.show_message(
            s.verdict[:1].upper() + s.verdict[1:],
            self.tr("{suspect} of the output matches {original} of the original  ·  {regions}  ·  {transform}").format(
                suspect=percent_text(s.matched_fraction_of_suspect),
                original=percent_text(s.matched_fraction_of_original),
                regions=_plural(len(c.regions), self.tr("matched region"), self.tr("matched regions")),
                transform=transform_words,
            ),
        )

    def _apply_image_layers(self) -> None:
        c = self.comparison
        original_view = self.sides["original"].picture
        suspect_view = self.sides["suspect"].picture
        for view in (original_view, suspect_view):
            view.set_outlines_visible(self.outlines_box.isChecked())
        if c is None or c.mode != "image":
            return
        s = c.summary
        assert isinstance(s, ImageSummary)
        original_view.set_heatmap(s.heatmap if self.heatmap_box.isChecked() else None)
        suspect = self.documents["suspect"]
        if self.overlay_box.isChecked() and s.transform and suspect is not None and suspect.image is not None:
            original_view.set_overlay(
                suspect.image, suspect_to_original(s.transform, suspect.image.width), self.opacity.value() / 100
            )
        else:
            original_view.set_overlay(None, None)
        self.opacity.setEnabled(self.overlay_box.isChecked() and bool(s.transform))
        self.overlay_box.setEnabled(bool(s.transform))
        self.heatmap_box.setEnabled(bool(s.heatmap))

    def _region_selected(self, row: int) -> None:
        if self.comparison is None or not 0 <= row < len(self.comparison.regions):
            return
        region = self.comparison.regions[row]
        self.sides["original"].picture.center_on_box(region.original)
        self.sides["suspect"].picture.center_on_box(region.suspect)

    def zoom_images(self, factor: float) -> None:
        for side in self.sides.values():
            if side.picture.has_picture:
                side.picture.zoom_by(factor)

    def fit_images(self) -> None:
        for side in self.sides.values():
            side.picture.fit()

    def _zoom_changed(self, side: str, zoom: float) -> None:
        # Linked zoom keeps both pictures at the same magnification relative to their fitted size.
        if not self.link_zoom.isChecked() or getattr(self, "_linking", False):
            return
        other = self.sides["suspect" if side == "original" else "original"].picture
        if not other.has_picture or self.sides[side].picture._fitted:
            return
        self._linking = True
        try:
            other.set_zoom(zoom)
        finally:
            self._linking = False

    # ================================================================== walking through spans

    def span_by_id(self, span_id: int) -> Span | None:
        row = self.span_model.row_of(span_id)
        return None if row is None else self.span_model.span_at(row)

    def show_span(self, span_id: int, *, clicked_side: str | None = None, from_table: bool = False) -> None:
        """Select span ``span_id`` in both panes (and in the table), scrolling each to it.

        The pane that was clicked keeps its scroll position: the user is looking at it.
        """
        span = self.span_by_id(span_id)
        if span is None:
            return
        self._current_span = span_id
        self._moving_panes = True
        try:
            for side, pane in (("original", self.original_pane), ("suspect", self.output_pane)):
                where = span.original if side == "original" else span.suspect
                if side == clicked_side:
                    pane.select_location(where)
                else:
                    pane.show_location(where)
        finally:
            self._moving_panes = False
        if not from_table:
            row = self.span_model.row_of(span_id)
            proxy_index = self.span_proxy.mapFromSource(self.span_model.index(row, 0)) if row is not None else QModelIndex()
            if proxy_index.isValid():
                self.table.selectionModel().setCurrentIndex(
                    proxy_index,
                    QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows,
                )
                self.table.scrollTo(proxy_index)
        kind = self.tr("verbatim") if span.kind == "exact" else self.tr("near-verbatim")
        self.statusBar().showMessage(
            self.tr("Span {id}: {kind}, {words} words, similarity {sim}").format(
                id=span.id, kind=kind, words=f"{span.words:,}", sim=percent_text(span.similarity)
            )
        )

    def _follow(self, side: str, span_id: int) -> None:
        """The user scrolled ``side`` to a new span: bring its counterpart into view on the other side."""
        if self._moving_panes or not self.follow_action.isChecked():
            return
        span = self.span_by_id(span_id)
        if span is None:
            return
        other = self.output_pane if side == "original" else self.original_pane
        self._moving_panes = True
        try:
            other.scroll_to_location(span.suspect if side == "original" else span.original)
        finally:
            self._moving_panes = False

    def _table_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        if not current.isValid():
            return
        span_id = current.data(SPAN_ID_ROLE)
        if span_id is not None:
            self.show_span(int(span_id), from_table=True)

    def copy_table_rows(self) -> str:
        """Copy the selected rows (all rows when none is selected), tab-separated with a header line."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        if not rows:
            rows = list(range(self.span_proxy.rowCount()))
        columns = [c for c in range(self.span_proxy.columnCount()) if not self.table.isColumnHidden(c)]
        lines = ["\t".join(self.span_model.headers()[c] for c in columns)]
        for row in rows:
            lines.append("\t".join(str(self.span_proxy.index(row, c).data() or "") for c in columns))
        text = "\n".join(lines) + "\n"
        QGuiApplication.clipboard().setText(text)
        return text

    def _step(self, delta: int) -> None:
        rows = self.span_proxy.rowCount()
        if not rows:
            return
        current = self.table.currentIndex()
        row = current.row() if current.isValid() else (-1 if delta > 0 else 0)
        row = (row + delta) % rows
        index = self.span_proxy.index(row, 0)
        self.table.selectionModel().setCurrentIndex(
            index, QItemSelectionModel.SelectionFlag.ClearAndSelect | QItemSelectionModel.SelectionFlag.Rows
        )
        self.table.scrollTo(index)

    def next_span(self) -> None:
        self._step(1)

    def previous_span(self) -> None:
        self._step(-1)

    # ================================================================== cases

    def current_case(self, path: Path) -> case_file.Case:
        """The case as it stands: the inputs shown (or, for a side not found, the input the case recorded)."""
        now = case_file.now()
        inputs: dict[str, case_file.CaseInput | None] = {}
        for side in SIDES:
            document, recorded = self.documents[side], self._recorded.get(side)
            if document is None:
                # A side not found keeps its record, its place relative to the case file rewritten if
                # the case is now saved in another folder.
                inputs[side] = (recorded.seen_from(self.case_path, path)
                                if recorded is not None and self.case_path is not None else recorded)
            else:
                inputs[side] = case_file.CaseInput.of(document, path).replacing(recorded, self._recorded_on, now)
        return case_file.Case(
            original=inputs["original"],
            suspect=inputs["suspect"],
            parameters=self.parameters_panel.parameters(),
            front_matter=dict(self.front_matter),
            provenance=dict(self.provenance),
            saved=now,
        )

    def local_time(self, iso: str) -> str:
        """A saved UTC time (``2026-11-29T09:19:45Z``) as this computer's locale writes dates, in local time."""
        moment = QDateTime.fromString(iso, Qt.DateFormat.ISODate)
        if not moment.isValid():
            return iso
        local = moment.toLocalTime()
        locale = QLocale()
        return self.tr("{date} at {time}").format(
            date=locale.toString(local.date(), QLocale.FormatType.LongFormat),
            time=locale.toString(local.time(), QLocale.FormatType.ShortFormat))

    def _remember_recorded(self, case: case_file.Case) -> None:
        """Keep what ``case`` records of each input, and when, to check the files loaded against it."""
        self._recorded = {side: saved for side, saved in (("original", case.original), ("suspect", case.suspect))
                          if saved is not None}
        self._recorded_on = case.saved

    def _update_record_notes(self) -> None:
        """Each side says, under its SHA-256, while it holds other bytes than the case file records."""
        for side in SIDES:
            document, recorded = self.documents[side], self._recorded.get(side)
            note = case_file.record_note(recorded, document) if document is not None and recorded is not None else ""
            self.sides[side].set_record_note(note)

    def _other_than_recorded(self) -> list[tuple[str, Any, Any]]:
        """Each side whose loaded input has other bytes than the case file records: (side, loaded, recorded)."""
        pairs = ((side, self.documents[side], self._recorded.get(side)) for side in SIDES)
        return [
            (side, document, recorded)
            for side, document, recorded in pairs
            if document is not None and recorded is not None and document.sha256 != recorded.sha256
        ]

    def _not_recorded_sentences(self) -> list[str]:
        """For the export dialog: each input compared that is not the one the case file records."""
        sentences = []
        for side, document, recorded in self._other_than_recorded():
            sentences.append(self.tr(
                "The {label} compared, {name} (SHA-256 {sha}…), is not the file this case records ({recorded}, "
                "SHA-256 {recorded_sha}…); the report names the file compared.").format(
                    label=self._side_label(side), name=document.name, sha=document.sha256[:16],
                    recorded=recorded.name, recorded_sha=recorded.sha256[:16]))
        return sentences

    def _side_label(self, side: str) -> str:
        return self.tr("original work") if side == "original" else self.tr("model output")

    def _confirm_replacing_digests(self) -> bool:
        """Before a save would record other bytes than the case did: say which, and ask."""
        changes = []
        for side, document, recorded in self._other_than_recorded():
            changes.append(self.tr(
                "The case recorded the {label} {old} with SHA-256 {old_sha}… ({when}); the {label} now loaded, "
                "{new}, has SHA-256 {new_sha}…."
            ).format(label=self._side_label(side), old=recorded.name, old_sha=recorded.sha256[:16],
                     when=self.local_time(self._recorded_on) if self._recorded_on else self.tr("date not recorded"),
                     new=document.name, new_sha=document.sha256[:16]))
        if not changes:
            return True
        answer = self.tell(
            "question", self.tr("Record the changed input?"),
            " ".join(changes) + " " + self.tr(
                "Save the case with the input as it is now? The case file keeps the earlier fingerprint as "
                "well, marked as replaced today."),
            buttons=QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Cancel,
            default=QMessageBox.StandardButton.Cancel,
        )
        return answer == QMessageBox.StandardButton.Save

    def _case_state(self) -> tuple[Any, ...]:
        """What a saved case records, in a form that compares equal when nothing worth saving changed.

        The inputs count by their SHA-256 (a side still being read, or not found, by the digest the
        case recorded), so reopening a case and letting its files load is no change.
        """
        inputs = []
        for side in SIDES:
            document, recorded = self.documents[side], self._recorded.get(side)
            inputs.append(document.sha256 if document is not None else recorded.sha256 if recorded is not None else None)
        return (tuple(inputs), self.parameters_panel.parameters(), _filled(self.front_matter), _filled(self.provenance),
                self._new_places())

    def _new_places(self) -> tuple[tuple[str, str], ...]:
        """The inputs shown from a new place: the bytes the case records, which the case can no longer find.

        A missing input located (or opened) elsewhere is a change worth saving: saving records the
        place, so the case finds the file next time instead of asking again. A case moved together
        with its inputs still finds them beside it, which is no change.
        """
        places = []
        for side in SIDES:
            document, recorded = self.documents[side], self._recorded.get(side)
            if (document is not None and document.path is not None and recorded is not None
                    and recorded.sha256 == document.sha256 and self.case_path is not None
                    and os.path.abspath(document.path) != recorded.path
                    and recorded.locate(self.case_path) is None):
                places.append((side, os.path.abspath(document.path)))
        return tuple(places)

    @property
    def has_unsaved_work(self) -> bool:
        """True when the case holds inputs or report details that changed since it was last saved or opened."""
        state = self._case_state()
        has_work = any(state[0]) or bool(state[2]) or bool(state[3]) or bool(state[4])
        return has_work and state != self._saved_state

    def _mark_saved(self) -> None:
        self._saved_state = self._case_state()

    def keep_unsaved_work(self, going_to: str) -> bool:
        """Before the case is replaced or the window closed: offer to save unsaved work.

        Returns True when the caller may go on (saved, or the user chose to discard it),
        False when the user cancelled (or the save did not happen).
        """
        if not self.has_unsaved_work:
            return True
        self.parameters_panel.flush()
        answer = self.tell(
            "question", self.tr("Save the case?"),
            self.tr("This case has changes that are not saved in a case file (its inputs, settings, caption or "
                    "provenance). Save the case before {going_to}?").format(going_to=going_to),
            buttons=(QMessageBox.StandardButton.Save | QMessageBox.StandardButton.Discard
                     | QMessageBox.StandardButton.Cancel),
            default=QMessageBox.StandardButton.Save,
            labels={QMessageBox.StandardButton.Discard: self.tr("Don't save")},
        )
        if answer == QMessageBox.StandardButton.Discard:
            return True
        if answer == QMessageBox.StandardButton.Save:
            return self.save_case() is not None
        return False

    def save_case(self, *, ask: bool = False, path: str | os.PathLike[str] | None = None) -> Path | None:
        # A case whose inputs were not found still records them (name, place, SHA-256): that is worth saving.
        if not any(self.documents.values()) and not self._recorded:
            self.tell("information", self.tr("Nothing to save"),
                      self.tr("Load the original work or the model output first; a case records them."))
            return None
        self.parameters_panel.flush()
        if not self._confirm_replacing_digests():
            return None
        if path is None:
            if self.case_path is not None and not ask:
                path = self.case_path
            else:
                folder = self.settings.last_folder
                if self.case_path is not None and usable_folder(self.case_path.parent):
                    folder = str(self.case_path.parent)
                suggested = str(Path(folder) / self._default_stem()) + case_file.SUFFIX
                chosen = self.choose_save_path(self.tr("Save the case as"), suggested, self.tr(CASE_FILTER))
                if not chosen:
                    return None
                path = chosen
        target = Path(path)
        if target.suffix != case_file.SUFFIX:
            target = target.with_name(target.name + case_file.SUFFIX)
        problem = self._overwrites_input(target)
        if problem:
            self.tell("error", self.tr("Cannot save the case"), problem)
            return None
        case = self.current_case(target)
        try:
            case_file.save_case(case, target)
        except MemdiffError as err:
            self.show_error(err, self.tr("Cannot save the case"))
            return None
        self.case_path = target
        self._remember_recorded(case)
        self._update_record_notes()
        self._mark_saved()
        self._update_title()
        self.statusBar().showMessage(self.tr("Case saved to {path}").format(path=target), 5000)
        self.caseSaved.emit(target)
        return target

    def choose_and_open_case(self) -> None:
        if not self.keep_unsaved_work(self.tr("opening another case")):
            return
        path = self.choose_open_path(self.tr("Open a case"), self.tr(CASE_FILTER))
        if path:
            self.open_case(path)

    def new_case(self) -> None:
        """Start afresh: no inputs, no case file, an empty caption and provenance (File > New case)."""
        if not self.keep_unsaved_work(self.tr("starting a new case")):
            return
        # A new case starts from the default settings, as a new window does (they belong to the case).
        self._start_case(None, case_file.Case(original=None, suspect=None, parameters=Parameters()))
        self._show_idle_summary()
        self._update_title()

    def _start_case(self, path: Path | None, case: case_file.Case) -> None:
        """Forget everything of the previous case, then take ``case``'s settings and details."""
        self.case_path = path
        self.parameters_panel.set_parameters(case.parameters)
        # Every span of the new case is listed until the user filters again.
        self.kind_filter.setCurrentIndex(0)
        # The caption and the provenance are the case's own: an empty one stays empty.
        self.front_matter = dict(case.front_matter)
        self.provenance = dict(case.provenance)
        self._provenance_of = case.suspect.sha256 if case.suspect is not None else None
        self._remember_recorded(case)
        self._note_for_finish = ""
        self.documents = {"original": None, "suspect": None}
        for side in self.sides.values():
            side.set_document(None)
        for side in SIDES:
            self._load_generation[side] += 1  # files still being read belong to the previous case
        self._clear_results()
        self._show_no_mode()
        self._expected = {}
        self._located = {}
        self._expected_saved_on = self.local_time(case.saved) if case.saved else ""
        self._update_record_notes()
        self._update_actions()
        self._mark_saved()

    def open_case(self, path: str | os.PathLike[str]) -> bool:
        """Load a saved case: its parameters, caption, provenance and the inputs that can be found.

        Each input is checked against its recorded SHA-256; one that cannot be found is named,
        and the user may locate it (or go on without it: the case keeps its record).
        """
        try:
            case = case_file.read_case(path)
        except MemdiffError as err:
            self.show_error(err, self.tr("Cannot open the case"))
            return False
        self._start_case(Path(path), case)
        missing: list[tuple[str, case_file.CaseInput]] = []
        for side, saved in (("original", case.original), ("suspect", case.suspect)):
            if saved is None:
                continue
            if saved.pasted_text is not None:
                self._expected[side] = saved
                self.set_document(side, ingest.load_text(saved.pasted_text, name=saved.name))
                continue
            located = saved.locate(path)
            if located is None:
                missing.append((side, saved))
            else:
                self._expected[side] = saved
                self.load_file(side, located)
        self._update_title()
        for side, saved in missing:
            self._offer_to_locate(side, saved)
        return True

    def _offer_to_locate(self, side: str, saved: case_file.CaseInput) -> None:
        label = self._side_label(side)
        answer = self.tell(
            "warning", self.tr("An input of the case is missing"),
            self.tr("The {label}, {name}, is no longer at {path}, nor beside the case file. Locate it to compare "
                    "again, or go on without it: the case keeps its record (name and SHA-256).").format(
                label=label, name=saved.name, path=saved.path),
            buttons=QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Ignore,
            default=QMessageBox.StandardButton.Open,
            labels={QMessageBox.StandardButton.Open: self.tr("Locate…"),
                    QMessageBox.StandardButton.Ignore: self.tr("Go on without it")},
        )
        chosen = None
        if answer == QMessageBox.StandardButton.Open:
            chosen = self.choose_open_path(self.tr("Locate {name}").format(name=saved.name), self.tr(INPUT_FILTER))
        if chosen:
            self._expected[side] = saved  # the file chosen is checked against the recorded SHA-256
            self._located[side] = os.path.abspath(chosen)
            self.load_file(side, chosen)
        else:
            self._show_missing_input(side, saved)

    def _show_missing_input(self, side: str, saved: case_file.CaseInput) -> None:
        label = self._side_label(side)
        self.summary.show_message(
            self.tr("The {label} of this case, {name}, is missing.").format(label=label, name=saved.name),
            self.tr("Open it with File > Open {label}… to compare; memdiff checks it against the SHA-256 the case "
                    "recorded.").format(label=label))

    # ================================================================== the report

    def report_writer(self) -> Callable[..., Path] | None:
        """memdiff.report.write_report, or None when this build has no report writer."""
        try:
            import memdiff.report as report
        except ImportError:
            return None
        return getattr(report, "write_report", None)

    def _default_stem(self) -> str:
        original, suspect = self.documents["original"], self.documents["suspect"]
        parts = [Path(d.name).stem for d in (original, suspect) if d is not None]
        return " vs ".join(parts) if parts else "memdiff"

    def _tell_not_current(self) -> bool:
        """Say so and return True when the findings shown are being recomputed (nothing to export yet)."""
        if self.comparison is None or self.results_current:
            return False
        self.tell("information", self.tr("The comparison is running again"),
                  self.tr("The settings were changed and the comparison is being made again. Export the report "
                          "when it has finished, so that the report shows the findings for the settings shown."))
        return True

    def export_report(self) -> ExportDialog | None:
        """Open the export dialog (window-modal, not blocking); the export starts when it is accepted."""
        if self._tell_not_current():
            return None
        if self.comparison is None:
            self.tell("information", self.tr("Nothing to export"),
                      self.tr("Load both inputs and let the comparison finish before exporting a report."))
            return None
        if self.report_writer() is None:
            self.tell("error", self.tr("Report unavailable"),
                      self.tr("This copy of memdiff has no report writer installed; reinstall memdiff to export reports."))
            return None
        suggested = str(unused_report_path(Path(self.settings.report_folder), self._default_stem() + " - memdiff report"))
        front = dict(self.front_matter)
        # The user's own preferences fill what this case has not said yet.
        front.setdefault("examiner", self.settings.examiner)
        front["examiner"] = front["examiner"] or self.settings.examiner
        front["page_size"] = front.get("page_size") or self.settings.page_size
        dialog = ExportDialog(front, self.provenance, suggested, self, inputs=self._input_paths(),
                              confirm_replacing=self.confirm_replacing, notice=" ".join(self._not_recorded_sentences()))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.accepted.connect(lambda: self.start_export(dialog.request()))
        opened_with = (_filled(dialog.front_matter()), _filled(dialog.provenance()))
        dialog.rejected.connect(lambda: self._keep_draft(dialog, opened_with))
        self.export_dialog = dialog
        dialog.open()
        return dialog

    def confirm_replacing(self, existing: list[Path]) -> bool:
        """Ask before an export replaces files already there (a report filed earlier, someone's result file)."""
        names = [path.name for path in existing]
        answer = self.tell(
            "question", self.tr("Replace the existing files?"),
            (self.tr("{first} and {second} already exist in {folder}. Replace both with this report?")
             if len(names) == 2 else
             self.tr("{first} already exists in {folder}. Replace it with this report's file?")).format(
                first=names[0], second=names[-1], folder=existing[0].parent),
            buttons=QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            default=QMessageBox.StandardButton.No,
            labels={QMessageBox.StandardButton.Yes: self.tr("Replace"),
                    QMessageBox.StandardButton.No: self.tr("Choose another name")},
        )
        return answer == QMessageBox.StandardButton.Yes

    def _keep_draft(self, dialog: ExportDialog, opened_with: tuple[Any, Any]) -> None:
        """The dialog was cancelled (Esc): what was typed stays with the case as a draft of its caption and provenance.

        A prompt pasted word for word is tedious to enter again; the next Export report shows it,
        and Save case keeps it. The examiner's name and the paper size become the user's
        preferences only when a report is written.
        """
        front, provenance = dialog.front_matter(), dialog.provenance()
        if _filled(front) != opened_with[0]:
            self.front_matter = front
        if _filled(provenance) != opened_with[1]:
            self.provenance = provenance
            suspect = self.documents["suspect"]
            self._provenance_of = suspect.sha256 if suspect is not None else None

    def _input_paths(self) -> dict[str, str]:
        return {self._side_label(side): d.path for side, d in self.documents.items() if d is not None and d.path}

    def _overwrites_input(self, *targets: Path) -> str | None:
        """A sentence when writing ``targets`` would overwrite an input (the evidence), else None."""
        for target in targets:
            for label, path in self._input_paths().items():
                if os.path.realpath(target) == os.path.realpath(path):
                    return self.tr("{name} is the {label}; memdiff never writes to its inputs, so choose another "
                                   "name.").format(name=Path(target).name, label=label)
        return None

    def start_export(self, request: ExportRequest) -> Job | None:
        writer = self.report_writer()
        comparison, original, suspect = self.comparison, self.documents["original"], self.documents["suspect"]
        if writer is None or comparison is None or original is None or suspect is None:
            return None
        if self._tell_not_current():
            return None
        problem = self._overwrites_input(request.pdf_path, request.pdf_path.with_suffix(".json"))
        if problem:
            self.tell("error", self.tr("Cannot write the report"), problem)
            return None
        self.front_matter = dict(request.front_matter)
        self.provenance = dict(request.provenance)
        self._provenance_of = suspect.sha256
        if str(request.front_matter.get("examiner") or "").strip():
            self.settings.examiner = str(request.front_matter["examiner"]).strip()
        if request.front_matter.get("page_size"):
            self.settings.page_size = str(request.front_matter["page_size"])
        self.settings.report_folder = str(request.pdf_path.parent)
        from memdiff.report import FrontMatter, Provenance

        front = FrontMatter(**{k: v for k, v in request.front_matter.items() if k in FrontMatter.__dataclass_fields__})
        provenance = Provenance(**{k: v for k, v in request.provenance.items() if k in Provenance.__dataclass_fields__})
        self._set_busy(True, self.tr("Writing the report…"))

        def work(progress: Progress) -> Path:
            # The writer puts the JSON result in place before the PDF; if the PDF then fails,
            # put the folder back as it was, so a failed export leaves no file behind.
            json_path = request.pdf_path.with_suffix(".json")
            previous_json = json_path.read_bytes() if json_path.is_file() else None
            try:
                return Path(writer(comparison, original, suspect, request.pdf_path, front=front,
                                   provenance=provenance, progress=progress))
            except BaseException:
                if previous_json is not None:
                    write_bytes(json_path, previous_json)
                elif json_path.is_file():
                    json_path.unlink()
                raise

        return self.jobs.run(work, description="report", on_success=self._export_done, on_error=self._export_failed,
                             on_progress=lambda f, m: self._progress(self._generation, f, m),
                             on_cancel=lambda: self._set_busy(False))

    def _export_done(self, path: Path) -> None:
        self._set_busy(self.jobs.busy)
        self.exportFinished.emit(path)
        answer = self.tell(
            "question", self.tr("Report written"),
            self.tr("The report was written to {pdf}, with the result file {json} beside it. Open the PDF now?").format(
                pdf=path, json=path.with_suffix(".json").name),
            buttons=QMessageBox.StandardButton.Open | QMessageBox.StandardButton.Close,
            default=QMessageBox.StandardButton.Open,
        )
        if answer == QMessageBox.StandardButton.Open:
            self.open_externally(path)

    def _export_failed(self, error: BaseException) -> None:
        self._set_busy(self.jobs.busy)
        self.exportFailed.emit(str(error))
        self.show_error(error, self.tr("Cannot write the report"))

    # ================================================================== window state

    def _set_busy(self, busy: bool, message: str = "", *, indeterminate: bool = False) -> None:
        self.progress.setVisible(busy)
        self.cancel_button.setVisible(busy and bool(self._cancellable_jobs()))
        self.progress_label.setVisible(busy)
        if busy:
            if indeterminate:
                self.progress.setRange(0, 0)
            else:
                self.progress.setRange(0, 1000)
                self.progress.setValue(0)
            self.progress_label.setText(message)
        if hasattr(self, "cancel_action"):
            self.cancel_action.setEnabled(self.cancel_button.isVisible())

    @property
    def is_busy(self) -> bool:
        return self.jobs.busy

    def _show_idle_summary(self, headline: str | None = None, details: str | None = None) -> None:
        self.summary.show_message(
            headline or self.tr("Load the original work and the model output to compare them."),
            details if details is not None else self.tr(
                "Drop files on the two sides, use File > Open original work… and Open model output…, "
                "or paste the model's answer. "
                "Nothing leaves this computer."),
        )

    def _update_actions(self) -> None:
        has_spans = (
            self.comparison is not None
            and self.comparison.mode == "text"
            and bool(self.comparison.spans)
            and not self._results_stale  # old findings are not walked through while new ones come
        )
        self.next_action.setEnabled(has_spans)
        self.previous_action.setEnabled(has_spans)
        # Only findings that match the settings shown may go into a report.
        self.export_action.setEnabled(self.results_current)
        # A case opened without its inputs (moved, not located) still records them, and can be saved.
        savable = any(self.documents.values()) or bool(self._recorded)
        self.save_case_action.setEnabled(savable)
        self.save_case_as_action.setEnabled(savable)
        self.compare_action.setEnabled(all(self.documents.values()))
        # Swapping moves whatever is loaded to the other side; with nothing loaded there is nothing to move.
        self.swap_action.setEnabled(any(self.documents.values()))
        image_mode = any(d is not None and d.kind == "image" for d in self.documents.values())
        for action in (self.zoom_in_action, self.zoom_out_action, self.fit_action):
            action.setEnabled(image_mode)

    def _update_title(self) -> None:
        names = [d.name if d is not None else "…" for d in (self.documents["original"], self.documents["suspect"])]
        title = "memdiff"
        if any(self.documents.values()):
            title = f"{names[0]} ↔ {names[1]} — memdiff"
        if self.case_path is not None:
            title = f"{self.case_path.name} — " + title
        self.setWindowTitle(title)

    def _fill_recent_menu(self) -> None:
        self.recent_menu.clear()
        any_entry = False
        for key, side, label in (("original", "original", self.tr("Original work")),
                                 ("output", "suspect", self.tr("Model output"))):
            entries = self.settings.recent_files(key)
            if not entries:
                continue
            self.recent_menu.addSection(label)
            for path in entries:
                action = self.recent_menu.addAction(Path(path).name)
                action.setToolTip(path)
                action.setStatusTip(path)
                action.triggered.connect(lambda _c=False, s=side, p=path: self.load_file(s, p))
                any_entry = True
        if not any_entry:
            empty = self.recent_menu.addAction(self.tr("No recent files"))
            empty.setEnabled(False)
        else:
            self.recent_menu.addSeparator()
            self.recent_menu.addAction(self.tr("Clear the list"), self.settings.clear_recent_files)

    def set_line_wrap(self, wrap: bool) -> None:
        mode = QPlainTextEdit.LineWrapMode.WidgetWidth if wrap else QPlainTextEdit.LineWrapMode.NoWrap
        for pane in (self.original_pane, self.output_pane):
            pane.setLineWrapMode(mode)
            pane.remark()

    def set_theme(self, theme: str) -> None:
        self.settings.theme = theme
        app = QApplication.instance()
        if isinstance(app, QApplication):
            apply_theme(app, theme)
        # Widgets under a style sheet keep their old palette until the sheet is applied again.
        self.setStyleSheet(self.styleSheet())
        self.refresh_icons()
        if self.comparison is not None and self.comparison.mode == "text":
            self.summary.show_legend()
        self.summary.set_warning(self.summary.warning.text())  # its red is the new palette's

    def _system_scheme_changed(self, _scheme: object) -> None:
        if self.settings.theme == "system":
            self.set_theme("system")

    def refresh_icons(self) -> None:
        for action in self.findChildren(QAction):
            name = action.data()
            if isinstance(name, str) and name:
                action.setIcon(icon(name))

    def about_text(self) -> str:
        from PySide6 import __version__ as pyside_version
        from PySide6.QtCore import qVersion

        rows = "".join(f"<tr><td>{name}</td><td>&nbsp;&nbsp;{licence}</td></tr>" for name, licence in LICENCES)
        return self.tr(
            "<h3>memdiff {version}</h3>"
            "<p>Shows, with re-runnable evidence, whether and where an AI model's output reproduces an original work.</p>"
            "<p>Everything runs on this computer: memdiff opens no network connection, sends no telemetry "
            "and never changes your input files.</p>"
            "<p>Qt {qt}, PySide6 {pyside}.</p>"
            "<p><b>Licences</b></p><table>{rows}</table>"
        ).format(version=__version__, qt=qVersion(), pyside=pyside_version, rows=rows)

    def show_reading_help(self) -> ReadingTheResults:
        if getattr(self, "reading_help", None) is None:
            self.reading_help = ReadingTheResults(self)
        self.reading_help.show()
        self.reading_help.raise_()
        return self.reading_help

    def show_about(self) -> None:
        QMessageBox.about(self, self.tr("About memdiff"), self.about_text())

    def _open_log_folder(self) -> None:
        folder = log_file().parent
        folder.mkdir(parents=True, exist_ok=True)
        self.open_externally(folder)

    def _restore_layout(self) -> None:
        geometry = self.settings.geometry
        if geometry is None or not self.restoreGeometry(geometry):
            screen = QGuiApplication.primaryScreen()
            available = screen.availableGeometry() if screen is not None else None
            width, height = 1400, 900
            if available is not None:
                width, height = min(width, int(available.width() * 0.92)), min(height, int(available.height() * 0.9))
            self.resize(width, height)
        state = self.settings.window_state
        if state is not None:
            self.restoreState(state)
        for name, splitter in (("sides", self.sides_splitter), ("main", self.main_splitter)):
            saved = self.settings.splitter_state(name)
            if saved is not None:
                splitter.restoreState(saved)

    def save_layout(self) -> None:
        self.settings.geometry = self.saveGeometry()
        self.settings.window_state = self.saveState()
        self.settings.set_splitter_state("sides", self.sides_splitter.saveState())
        self.settings.set_splitter_state("main", self.main_splitter.saveState())
        self.settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.keep_unsaved_work(self.tr("closing memdiff")):
            event.ignore()
            return
        self.parameters_panel.flush()
        self.save_layout()
        # Stop and wait for the workers so no thread outlives the window.
        self.jobs.cancel_all()
        self.jobs.wait(15_000)
        super().closeEvent(event)


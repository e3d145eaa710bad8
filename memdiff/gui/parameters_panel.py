"""The side panel with every analysis setting; a change re-runs the comparison after a short pause."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from memdiff.evidence import MIN_WORDS_RANGE, Parameters

#: Pause after the last change before re-running, so typing "12" runs once, not twice.
DEBOUNCE_MS = 350


class ParametersPanel(QWidget):
    """Edits a :class:`Parameters`; emits ``changed`` (debounced) with the new value."""

    changed = Signal(object)
    #: A setting was edited; ``changed`` follows after the pause. The results shown are then out of date.
    edited = Signal()

    def __init__(self, parameters: Parameters | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self._quiet = False

        self.min_words = QSpinBox()
        self.min_words.setRange(*MIN_WORDS_RANGE)
        self.min_words.setSuffix(self.tr(" words"))
        self.min_words.setToolTip(
            self.tr("Shortest run of identical words reported. Around 8 finds quotations; 35-40 is the research threshold for memorisation.")
        )
        self.near = QCheckBox(self.tr("Find near-verbatim passages"))
        self.near.setToolTip(self.tr("Also report passages copied with small edits (a word changed, added or dropped)."))
        # In percent, as the match table shows a span's similarity; the result file keeps the fraction (0.8).
        self.min_similarity = QSpinBox()
        self.min_similarity.setRange(50, 100)
        self.min_similarity.setSuffix("%")
        self.min_similarity.setToolTip(self.tr(
            "Lowest similarity (50% to 100%) for a near-verbatim passage: an edit similarity counted in words, "
            "roughly the share of its words left unchanged. "
            "80% is the usual value in the research literature."))

        self.casefold = QCheckBox(self.tr("Ignore upper/lower case"))
        self.unicode_nfkc = QCheckBox(self.tr("Unify Unicode forms"))
        self.unicode_nfkc.setToolTip(self.tr(
            "Read ligatures (ﬁ), full-width letters and similar typographic forms as the plain letters."))
        self.unify_quotes = QCheckBox(self.tr("Treat all quotes and dashes alike"))
        self.unify_quotes.setToolTip(self.tr(
            "Curly and straight quotes count as the same quote, every kind of dash or hyphen (‐ – — −) as a "
            "hyphen, and the ellipsis character as three dots."))
        self.ignore_punctuation = QCheckBox(self.tr("Ignore punctuation"))
        self.join_hyphenation = QCheckBox(self.tr("Join words split at line ends"))
        self.join_hyphenation.setToolTip(self.tr(
            "Read \"memo-\" at the end of a line and \"rable\" on the next as the one word \"memorable\"; a "
            "compound the texts also write with its hyphen within a line (\"rabbit-hole\") keeps its two words."))
        self.ignore_running_heads = QCheckBox(self.tr("Ignore page headers and numbers"))
        self.ignore_running_heads.setToolTip(self.tr(
            "Leave out the title, chapter and page number a PDF repeats at the top or bottom of its pages, "
            "so that a passage copied across a page break stays one span."))

        matching = QGroupBox(self.tr("Matching"))
        form = QFormLayout(matching)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        # In a narrow panel a label goes above its field rather than pushing the field out of sight.
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        form.addRow(self.tr("&Shortest span:"), self.min_words)
        form.addRow(self.near)
        form.addRow(self.tr("Minimum si&milarity:"), self.min_similarity)

        normalisation = QGroupBox(self.tr("Before comparing"))
        column = QVBoxLayout(normalisation)
        for box in self._switches():
            column.addWidget(box)

        self.defaults = QPushButton(self.tr("Restore &defaults"))
        self.defaults.clicked.connect(lambda: self.set_parameters(Parameters(), emit=True))
        note = QLabel(self.tr("Every setting is recorded in the report and the result file."))
        note.setWordWrap(True)
        note.setForegroundRole(note.foregroundRole())
        note.setEnabled(False)

        #: Why the settings are greyed out while two pictures are compared (shown only then).
        self.pictures_note = QLabel(self.tr(
            "Pictures are compared with fixed settings; the settings below apply to texts only."))
        self.pictures_note.setObjectName("picturesNote")
        self.pictures_note.setWordWrap(True)
        self.pictures_note.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)  # the panel sits in a dock that has margins of its own
        layout.addWidget(self.pictures_note)
        layout.addWidget(matching)
        layout.addWidget(normalisation)
        layout.addWidget(self.defaults, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addWidget(note)
        layout.addStretch(1)

        self._base = parameters or Parameters()
        self.set_parameters(self._base)
        self.min_words.valueChanged.connect(self._schedule)
        self.min_similarity.valueChanged.connect(self._schedule)
        for box in (self.near, *self._switches()):
            box.toggled.connect(self._schedule)
        self.near.toggled.connect(self.min_similarity.setEnabled)

    def _switches(self) -> tuple[QCheckBox, ...]:
        """The "Before comparing" check boxes, in the order shown."""
        return (self.casefold, self.unicode_nfkc, self.unify_quotes, self.ignore_punctuation, self.join_hyphenation,
                self.ignore_running_heads)

    def parameters(self) -> Parameters:
        """The settings shown; fields the panel does not show keep their previous values."""
        return self._base.with_changes(
            min_words=self.min_words.value(),
            near=self.near.isChecked(),
            min_similarity=round(self.min_similarity.value() / 100, 2),
            casefold=self.casefold.isChecked(),
            unicode_nfkc=self.unicode_nfkc.isChecked(),
            unify_quotes=self.unify_quotes.isChecked(),
            ignore_punctuation=self.ignore_punctuation.isChecked(),
            join_hyphenation=self.join_hyphenation.isChecked(),
            ignore_running_heads=self.ignore_running_heads.isChecked(),
        )

    def set_parameters(self, parameters: Parameters, *, emit: bool = False) -> None:
        self._quiet = True
        try:
            self._base = parameters
            self.min_words.setValue(parameters.min_words)
            self.near.setChecked(parameters.near)
            self.min_similarity.setValue(round(parameters.min_similarity * 100))
            self.min_similarity.setEnabled(parameters.near)
            self.casefold.setChecked(parameters.casefold)
            self.unicode_nfkc.setChecked(parameters.unicode_nfkc)
            self.unify_quotes.setChecked(parameters.unify_quotes)
            self.ignore_punctuation.setChecked(parameters.ignore_punctuation)
            self.join_hyphenation.setChecked(parameters.join_hyphenation)
            self.ignore_running_heads.setChecked(parameters.ignore_running_heads)
        finally:
            self._quiet = False
        if emit:
            self._schedule()

    def set_text_settings_enabled(self, enabled: bool) -> None:
        """Image comparisons use none of these settings: grey them out in image mode, and say why."""
        for child in self.findChildren(QGroupBox):
            child.setEnabled(enabled)
        self.defaults.setEnabled(enabled)
        # A greyed-out control says nothing about why; the line above them does.
        self.pictures_note.setVisible(not enabled)

    def _schedule(self, *_args: object) -> None:
        if not self._quiet:
            self._timer.start()
            self.edited.emit()

    def flush(self) -> None:
        """Emit a pending change now (tests, and before saving a case)."""
        if self._timer.isActive():
            self._timer.stop()
            self._emit()

    @property
    def change_pending(self) -> bool:
        return self._timer.isActive()

    def _emit(self) -> None:
        self._base = self.parameters()
        self.changed.emit(self._base)

"""The side panel with every analysis setting; a change re-runs the comparison after a short pause."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from memdiff.evidence import Parameters

#: Pause after the last change before re-running, so typing "12" runs once, not twice.
DEBOUNCE_MS = 350


class ParametersPanel(QWidget):
    """Edits a :class:`Parameters`; emits ``changed`` (debounced) with the new value."""

    changed = Signal(object)

    def __init__(self, parameters: Parameters | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._emit)
        self._quiet = False

        self.min_words = QSpinBox()
        self.min_words.setRange(2, 10_000)
        self.min_words.setSuffix(self.tr(" words"))
        self.min_words.setToolTip(
            self.tr("Shortest run of identical words reported. Around 8 finds quotations; 35-40 is the research threshold for memorisation.")
        )
        self.near = QCheckBox(self.tr("Find near-verbatim passages"))
        self.near.setToolTip(self.tr("Also report passages copied with small edits (a word changed, added or dropped)."))
        self.min_similarity = QDoubleSpinBox()
        self.min_similarity.setRange(0.50, 1.00)
        self.min_similarity.setSingleStep(0.01)
        self.min_similarity.setDecimals(2)
        self.min_similarity.setToolTip(self.tr("Lowest edit similarity (0.5 to 1) for a near-verbatim passage; 0.8 is the literature's usual value."))

        self.casefold = QCheckBox(self.tr("Ignore upper/lower case"))
        self.unicode_nfkc = QCheckBox(self.tr("Unify Unicode forms (ligatures, widths)"))
        self.unify_quotes = QCheckBox(self.tr("Treat curly and straight quotes alike"))
        self.ignore_punctuation = QCheckBox(self.tr("Ignore punctuation"))
        self.join_hyphenation = QCheckBox(self.tr("Join words hyphenated at line ends"))
        self.ignore_running_heads = QCheckBox(self.tr("Ignore running heads and page numbers"))
        self.ignore_running_heads.setToolTip(self.tr(
            "Leave out the title, chapter and page number a PDF repeats at the top or bottom of its pages, "
            "so that a passage copied across a page break stays one span."))

        matching = QGroupBox(self.tr("Matching"))
        form = QFormLayout(matching)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("&Shortest span:"), self.min_words)
        form.addRow(self.near)
        form.addRow(self.tr("Minimum &similarity:"), self.min_similarity)

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

        layout = QVBoxLayout(self)
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
            min_similarity=round(self.min_similarity.value(), 2),
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
            self.min_similarity.setValue(parameters.min_similarity)
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
        """Image comparisons use none of these settings; grey them out in image mode."""
        for child in self.findChildren(QGroupBox):
            child.setEnabled(enabled)
        self.defaults.setEnabled(enabled)

    def _schedule(self, *_args: object) -> None:
        if not self._quiet:
            self._timer.start()

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

"""The Export report dialog: case caption, page furniture and the model output's provenance.

The dialog only gathers values (remembered through :mod:`memdiff.gui.settings`
by the window); writing the report is the core's job and runs in the
background once the dialog is accepted.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QEvent, QRegularExpression, Qt, QTimer, Signal
from PySide6.QtGui import QFocusEvent, QGuiApplication, QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from memdiff.atomic import destination
from memdiff.errors import OutputError
from memdiff.gui.theme import problem_colour


def _refusal(target: Path) -> str | None:
    """Why the export would refuse to write ``target`` (a folder, a device, a write-protected file...), in the
    sentence the write itself would give, naming the file as the dialog shows it; None when it could write it."""
    try:
        destination(target, called=target.name)
    except OutputError as err:
        return str(err)
    return None


def unused_report_path(folder: Path, stem: str) -> Path:
    """``folder/stem.pdf``, or ``stem (2).pdf`` and so on: the first name whose PDF and JSON are both free."""
    number = 1
    while True:
        name = stem if number == 1 else f"{stem} ({number})"
        pdf = folder / (name + ".pdf")
        if not pdf.exists() and not pdf.with_suffix(".json").exists():
            return pdf
        number += 1


CONFIDENTIALITY_CHOICES = (
    "",
    "CONFIDENTIAL",
    "HIGHLY CONFIDENTIAL – ATTORNEYS' EYES ONLY",
    "CONFIDENTIAL – SUBJECT TO PROTECTIVE ORDER",
)

PAGE_SIZES = (("letter", "US Letter"), ("a4", "A4"))


class OptionalNumber(QLineEdit):
    """A whole number the user may leave empty ("not stated"), typed like any other field.

    A spin box with a special value text swallowed typing after a mouse click (the
    click put the cursor inside "no Bates numbers", and the digits made no number);
    an empty field with a grey hint and digits only does what a paralegal expects.
    """

    valueChanged = Signal(object)

    def __init__(self, empty_text: str, maximum_digits: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText(empty_text)
        self.setValidator(QRegularExpressionValidator(QRegularExpression(rf"[0-9]{{0,{maximum_digits}}}"), self))
        self.setMaxLength(maximum_digits)
        self.textChanged.connect(lambda _text: self.valueChanged.emit(self.value()))

    def value(self) -> int | None:
        text = self.text().strip()
        return int(text) if text else None

    def setValue(self, value: int | None) -> None:  # noqa: N802 (Qt's naming, as QSpinBox)
        self.setText("" if not value else str(int(value)))

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # Typing replaces what is there, whichever way the field was reached (mouse or Tab);
        # after the event loop turns, so the click that gave the focus does not undo it.
        if self.text():
            QTimer.singleShot(0, self.selectAll)


@dataclass(frozen=True)
class ExportRequest:
    """What the user asked for: where to write, and the fields of FrontMatter and Provenance."""

    pdf_path: Path
    front_matter: dict[str, Any]
    provenance: dict[str, Any]


class ExportDialog(QDialog):
    def __init__(
        self,
        front_matter: dict[str, Any],
        provenance: dict[str, Any],
        suggested_path: str,
        parent: QWidget | None = None,
        *,
        inputs: dict[str, str] | None = None,
        confirm_replacing: Callable[[list[Path]], bool] | None = None,
        notice: str = "",
    ) -> None:
        super().__init__(parent)
        #: Asked with the files an export would replace (the PDF, the JSON beside it, or both); False keeps them.
        self._confirm_replacing = confirm_replacing
        #: The inputs' paths by what they are ("original work"): the report must never overwrite one.
        self._inputs = {label: os.path.realpath(path) for label, path in (inputs or {}).items() if path}
        self.setWindowTitle(self.tr("Export report"))
        self.setSizeGripEnabled(True)

        self.court = QLineEdit()
        self.court.setPlaceholderText(self.tr("e.g. United States District Court, Southern District of New York"))
        self.case_title = QLineEdit()
        self.case_title.setPlaceholderText(self.tr("e.g. Author v. Model Maker, Inc."))
        self.case_number = QLineEdit()
        self.case_number.setPlaceholderText(self.tr("e.g. 1:26-cv-01234"))
        self.exhibit = QLineEdit()
        self.exhibit.setPlaceholderText(self.tr("e.g. J"))
        self.title = QLineEdit()
        self.title.setPlaceholderText(self.tr("Comparison of a model output with an original work"))
        self.examiner = QLineEdit()
        self.examiner.setPlaceholderText(self.tr("Name and role of the person making the comparison"))
        self.confidentiality = QComboBox()
        self.confidentiality.setEditable(True)
        self.confidentiality.addItems(list(CONFIDENTIALITY_CHOICES))
        self.confidentiality.lineEdit().setPlaceholderText(self.tr("No legend"))
        self.bates_prefix = QLineEdit()
        self.bates_prefix.setPlaceholderText(self.tr("e.g. PLTF-"))
        self.bates_start = OptionalNumber(self.tr("first number, e.g. 1201"), 8)
        self.bates_start.setToolTip(self.tr("Leave empty for no Bates numbers"))
        self.page_size = QComboBox()
        for key, label in PAGE_SIZES:
            self.page_size.addItem(self.tr(label), key)

        caption = QGroupBox(self.tr("Case and exhibit"))
        form = QFormLayout(caption)
        form.addRow(self.tr("&Court:"), self.court)
        form.addRow(self.tr("Case &title:"), self.case_title)
        form.addRow(self.tr("Case &number:"), self.case_number)
        form.addRow(self.tr("Ex&hibit label:"), self.exhibit)
        form.addRow(self.tr("Report t&itle:"), self.title)
        form.addRow(self.tr("E&xaminer:"), self.examiner)
        form.addRow(self.tr("Confidentiality &legend:"), self.confidentiality)
        bates = QHBoxLayout()
        bates.addWidget(self.bates_prefix, 1)
        bates.addWidget(self.bates_start, 1)
        bates_label = QLabel(self.tr("&Bates prefix / start:"))
        bates_label.setBuddy(self.bates_prefix)
        form.addRow(bates_label, bates)
        form.addRow(self.tr("Page si&ze:"), self.page_size)

        self.model = QLineEdit()
        self.model.setPlaceholderText(self.tr("e.g. ExampleLM 4 (API, 2026-10-01 snapshot)"))
        self.prompt = QPlainTextEdit()
        self.prompt.setPlaceholderText(self.tr("The prompt given to the model, word for word"))
        self.prompt.setTabChangesFocus(True)
        self.prompt.setFixedHeight(72)
        self.generated_on = QLineEdit()
        self.generated_on.setPlaceholderText(self.tr("e.g. 2026-11-20"))
        self.attempts = OptionalNumber(self.tr("not stated"), 7)
        self.attempts.setToolTip(self.tr("How many times the prompt was given to obtain this output"))
        self.sampling = QLineEdit()
        self.sampling.setPlaceholderText(self.tr("e.g. temperature 0.7, top-p 1.0"))
        origin = QGroupBox(self.tr("How the model output was obtained"))
        form2 = QFormLayout(origin)
        form2.addRow(self.tr("&Model:"), self.model)
        form2.addRow(self.tr("&Prompt:"), self.prompt)
        form2.addRow(self.tr("&Generated on:"), self.generated_on)
        form2.addRow(self.tr("&Attempts:"), self.attempts)
        form2.addRow(self.tr("&Sampling:"), self.sampling)

        self.path = QLineEdit(suggested_path)
        #: The report's own name, for a folder typed as "Save as" (the report then goes inside it).
        self._report_stem = Path(suggested_path).stem or "memdiff report"
        # Leaving the field (not Enter, which exports) fills in the file name a typed folder gets.
        self.path.editingFinished.connect(lambda: None if self.path.hasFocus() else self.complete_folder())
        browse = QPushButton(self.tr("Bro&wse…"))
        # Enter anywhere in the form exports; only a click (or Alt+W) opens the file chooser.
        browse.setAutoDefault(False)
        browse.clicked.connect(self._browse)
        self.browse_button = browse
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        destination = QGroupBox(self.tr("Save as"))
        destination_layout = QVBoxLayout(destination)
        destination_layout.addLayout(where)
        hint = QLabel(self.tr("The result file (JSON) is written beside the PDF with the same name."))
        hint.setEnabled(False)
        destination_layout.addWidget(hint)
        #: Says where a folder typed above put the report (the field then shows the file's path).
        self.path_note = QLabel()
        self.path_note.setObjectName("pathNote")
        self.path_note.setWordWrap(True)
        self.path_note.hide()
        destination_layout.addWidget(self.path_note)
        # Typing (or Browse…) changes the path: the note spoke of the earlier one.
        self.path.textEdited.connect(self.path_note.hide)

        self.problem = QLabel()
        self.problem.setWordWrap(True)
        #: What the reader of the report should know before exporting (an input that is not the one
        #: the case records); it does not stop the export.
        self.notice = QLabel(notice)
        self.notice.setObjectName("exportNotice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(bool(notice))
        self._colour_problem()
        self.problem.hide()

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.export_button = self.buttons.addButton(self.tr("&Export"), QDialogButtonBox.ButtonRole.AcceptRole)
        for button in self.buttons.buttons():
            button.setAutoDefault(False)
        self.export_button.setAutoDefault(True)
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self._accept_if_valid)
        self.buttons.rejected.connect(self.reject)

        # The form scrolls; the message and the buttons stay in sight on a short screen
        # (1280x800 at 125 % leaves about 600 points of height).
        form_page = QWidget()
        form_layout = QVBoxLayout(form_page)
        form_layout.setContentsMargins(0, 0, 0, 0)
        form_layout.addWidget(caption)
        form_layout.addWidget(origin)
        form_layout.addWidget(destination)
        form_layout.addStretch(1)
        self.form_area = QScrollArea()
        self.form_area.setWidgetResizable(True)
        self.form_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.form_area.setWidget(form_page)
        self.form_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.form_area.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.form_area.setMinimumHeight(160)
        # The scroll area itself takes no focus: the dialog opens with the cursor in the first field.
        self.form_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        layout = QVBoxLayout(self)
        layout.addWidget(self.notice)
        layout.addWidget(self.form_area, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)

        self._fill(front_matter, provenance)
        # A problem shown goes away (or changes) as soon as the user fixes it.
        for field_ in (self.path, self.bates_prefix, self.bates_start):
            field_.textChanged.connect(self._recheck)
        self._fit_to_screen(form_page)

    def _fit_to_screen(self, form_page: QWidget) -> None:
        """As large as the form when the screen allows, never taller than the screen's free area."""
        wanted = form_page.sizeHint()
        width = max(640, wanted.width() + 40)
        height = wanted.height() + self.buttons.sizeHint().height() + 40
        screen = (self.parentWidget().screen() if self.parentWidget() is not None else None) or QGuiApplication.primaryScreen()
        if screen is not None:
            free = screen.availableGeometry()
            width = min(width, int(free.width() * 0.95))
            height = min(height, int(free.height() * 0.9))
        self.resize(width, height)

    def _colour_problem(self) -> None:
        # From the palette, so the line reads in the dark theme too (a fixed red had 2.8:1 there).
        self.problem.setStyleSheet(f"color: {problem_colour(self.palette()).name()}; font-weight: 600;")
        self.notice.setStyleSheet(f"color: {problem_colour(self.palette()).name()};")

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:
            self._colour_problem()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        # Qt may hand "default" to the first auto-default button it meets; Export is the default.
        self.export_button.setDefault(True)

    # ---- values

    def _fill(self, front: dict[str, Any], provenance: dict[str, Any]) -> None:
        for name in ("court", "case_title", "case_number", "exhibit", "title", "examiner", "bates_prefix"):
            getattr(self, name).setText(str(front.get(name) or ""))
        self.confidentiality.setCurrentText(str(front.get("confidentiality") or ""))
        self.bates_start.setValue(int(front.get("bates_start") or 0) or None)
        index = self.page_size.findData(front.get("page_size") or "letter")
        self.page_size.setCurrentIndex(max(0, index))
        self.model.setText(str(provenance.get("model") or ""))
        self.prompt.setPlainText(str(provenance.get("prompt") or ""))
        self.generated_on.setText(str(provenance.get("generated_on") or ""))
        self.attempts.setValue(int(provenance.get("attempts") or 0) or None)
        self.sampling.setText(str(provenance.get("sampling") or ""))

    def front_matter(self) -> dict[str, Any]:
        return {
            "court": self.court.text().strip(),
            "case_title": self.case_title.text().strip(),
            "case_number": self.case_number.text().strip(),
            "exhibit": self.exhibit.text().strip(),
            "title": self.title.text().strip(),
            "examiner": self.examiner.text().strip(),
            "confidentiality": self.confidentiality.currentText().strip(),
            "bates_prefix": self.bates_prefix.text().strip(),
            "bates_start": self.bates_start.value() or None,
            "page_size": self.page_size.currentData(),
        }

    def provenance(self) -> dict[str, Any]:
        return {
            "model": self.model.text().strip(),
            "prompt": self.prompt.toPlainText().strip(),
            "generated_on": self.generated_on.text().strip(),
            "attempts": self.attempts.value() or None,
            "sampling": self.sampling.text().strip(),
        }

    def request(self) -> ExportRequest:
        return ExportRequest(self.pdf_path(), self.front_matter(), self.provenance())

    def _typed_folder(self) -> Path | None:
        """The folder "Save as" names, when it names one: an existing folder (not ending in .pdf, since a
        folder called "x.pdf" is refused as the report's own name), or anything ending in a slash."""
        text = self.path.text().strip()
        if not text:
            return None
        path = Path(os.path.expanduser(text))
        if text.endswith(("/", os.sep)):
            return path
        if path.suffix.lower() != ".pdf" and path.is_dir():
            return path
        return None

    def pdf_path(self) -> Path:
        """The PDF to write: the path typed (".pdf" added), or, for a folder, the report's name inside it."""
        folder = self._typed_folder()
        if folder is not None:
            return unused_report_path(folder, self._report_stem) if folder.is_dir() else folder / (
                self._report_stem + ".pdf")
        text = self.path.text().strip()
        path = Path(os.path.expanduser(text))
        return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")

    def complete_folder(self) -> bool:
        """When "Save as" names an existing folder, put the report's file name after it, show it, and say so.

        Users who pick a folder expect the report inside it (not a file beside it named after the
        folder); the field shows the file's whole path before anything is written. True when the
        field was completed.
        """
        folder = self._typed_folder()
        if folder is None or not folder.is_dir():
            return False
        target = self.pdf_path()
        self.path.setText(str(target))
        self.path_note.setText(self.tr("{folder} is a folder: the report goes into it as {name}.").format(
            folder=folder, name=target.name))
        self.path_note.show()
        return True

    # ---- checks

    def validation_problem(self) -> str | None:
        problem = self._problem()
        return problem[0] if problem is not None else None

    def _problem(self) -> tuple[str, QWidget] | None:
        """What stops the export, and the field where it is fixed."""
        if not self.path.text().strip():
            return self.tr("Choose where to save the report."), self.path
        folder = self.pdf_path().parent
        if not folder.is_dir():
            return self.tr("The folder {folder} does not exist; choose another place for the report.").format(
                folder=folder), self.path
        for target in (self.pdf_path(), self.pdf_path().with_suffix(".json")):
            for label, path in self._inputs.items():
                if os.path.realpath(target) == path:
                    return self.tr(
                        "The report would overwrite the {label}, {name}; choose another name "
                        "(memdiff never writes to its inputs)."
                    ).format(label=label, name=target.name), self.path
            # Said now, as the command line says it: not after "Replace?" was answered and the report rendered.
            refusal = _refusal(target)
            if refusal is not None:
                return refusal, self.path
        if self.bates_prefix.text().strip() and not self.bates_start.value():
            return self.tr("A Bates prefix needs a starting number."), self.bates_start
        return None

    def _recheck(self, *_args: object) -> None:
        if self.problem.isVisible():
            problem = self.validation_problem()
            self.problem.setText(problem or "")
            self.problem.setVisible(bool(problem))

    def _accept_if_valid(self) -> None:
        if self.complete_folder():
            # Show the file's path first: Export again writes it.
            self.path_note.setText(self.path_note.text() + " " + self.tr("Press Export to write it."))
            self.path.setFocus(Qt.FocusReason.OtherFocusReason)
            # Once the note has its place in the layout, scroll it (and the field above it) into view.
            QTimer.singleShot(0, lambda: self.form_area.ensureWidgetVisible(self.path_note))
            return
        problem = self._problem()
        if problem:
            text, field_ = problem
            self.problem.setText(text)
            self.problem.show()
            # The cursor goes where the fix is typed (scrolled into view on a short screen).
            field_.setFocus(Qt.FocusReason.OtherFocusReason)
            self.form_area.ensureWidgetVisible(field_)
            return
        self.problem.hide()
        existing = self.existing_targets()
        if existing and self._confirm_replacing is not None and not self._confirm_replacing(existing):
            self.path.setFocus()
            self.path.selectAll()
            return
        self.accept()

    def existing_targets(self) -> list[Path]:
        """The report's files (the PDF and the JSON written beside it) that already exist."""
        pdf = self.pdf_path()
        return [target for target in (pdf, pdf.with_suffix(".json")) if target.exists()]

    def _browse(self) -> None:
        # The system's chooser would confirm replacing the PDF only; Export asks about the PDF and the JSON together.
        chosen, _ = QFileDialog.getSaveFileName(
            self, self.tr("Save the report as"), self.path.text(), self.tr("PDF documents (*.pdf)"),
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.path.setText(chosen)
            self.path_note.hide()

    def keyPressEvent(self, event: Any) -> None:
        # Enter inside the prompt box adds a line; elsewhere it exports as usual.
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self.prompt.hasFocus():
            return
        super().keyPressEvent(event)

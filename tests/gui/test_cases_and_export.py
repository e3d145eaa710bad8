"""Saving and reopening cases, the changed-input warning, and exporting the report through its dialog."""

from __future__ import annotations

import dataclasses
import json

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox
from pypdf import PdfReader

from memdiff.gui.export_dialog import ExportDialog, ExportRequest

from gui_support import load_both


def _reopen(qtbot, window, case_path):
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000) as blocker:
        assert window.open_case(case_path)
    return blocker.args[0]


def test_save_and_reopen_a_case(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.parameters_panel.min_words.setValue(12)
    case_path = tmp_path / "alice case"
    saved = window.save_case(path=case_path)
    assert saved == tmp_path / "alice case.memdiff" and saved.exists()
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["original"]["sha256"] == window.documents["original"].sha256
    assert data["suspect"]["path"] == str(samples["output"].resolve())
    assert data["parameters"]["min_words"] == 12
    assert window.windowTitle().startswith("alice case.memdiff")

    # A fresh start: defaults in the panel, nothing loaded.
    window.parameters_panel.set_parameters(window.parameters_panel.parameters().with_changes(min_words=8))
    reopened = _reopen(qtbot, window, saved)
    assert window.parameters_panel.min_words.value() == 12
    assert reopened.parameters.min_words == 12
    assert reopened.original.sha256 == data["original"]["sha256"]
    assert window.told.messages == []  # nothing changed, so nothing to warn about


def _save_then_change_the_original(qtbot, window, samples, tmp_path):
    """Save a case of both samples, add a paragraph to the original, reopen the case; the case and the old digest."""
    load_both(qtbot, window, samples["original"], samples["output"])
    saved = window.save_case(path=tmp_path / "case.memdiff")
    old_sha = window.documents["original"].sha256
    with samples["original"].open("a", encoding="utf-8") as handle:
        handle.write("\nA paragraph someone added after the case was saved.\n")
    _reopen(qtbot, window, saved)
    return saved, old_sha


def test_reopening_warns_when_an_input_changed(qtbot, window, samples, tmp_path):
    _, old_sha = _save_then_change_the_original(qtbot, window, samples, tmp_path)
    warnings = window.told.texts("warning")
    assert len(warnings) == 1
    assert "original work, original.txt, has changed since the case was saved" in warnings[0]
    assert old_sha[:16] in warnings[0]
    assert window.documents["original"].sha256 != old_sha


def test_a_case_with_a_missing_input_opens_with_what_is_found(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    window.front_matter = {"case_title": "Doe v. Model", "case_number": "1:26-cv-0001"}
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.parameters_panel.min_words.setValue(12)
    saved = window.save_case(path=tmp_path / "case.memdiff")
    recorded_sha = window.documents["suspect"].sha256
    moved = tmp_path / "elsewhere" / "answer.txt"
    moved.parent.mkdir()
    samples["output"].rename(moved)
    window.new_case()
    assert window.front_matter == {} and window.documents == {"original": None, "suspect": None}

    # "Go on without it": the case opens, with its settings, caption and the input that is there.
    window.told.answers.append(QMessageBox.StandardButton.Ignore)
    with qtbot.waitSignal(window.documentLoaded, timeout=10_000):
        assert window.open_case(saved) is True
    assert window.told.levels() == ["warning"]
    assert "model-output.txt, is no longer at" in window.told.texts()[0]
    assert window.told.labels[0][QMessageBox.StandardButton.Open] == "Locate…"
    assert window.parameters_panel.min_words.value() == 12
    assert window.front_matter["case_number"] == "1:26-cv-0001"
    assert window.documents["original"] is not None and window.documents["suspect"] is None
    assert "missing" in window.summary.headline.text()
    # Saving again keeps the record of the missing input.
    window.save_case()
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["suspect"]["sha256"] == recorded_sha and data["suspect"]["name"] == "model-output.txt"

    # "Locate…": the file chosen is loaded, checked against the recorded SHA-256 and compared.
    window.chosen_paths.append(str(moved))
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        assert window.open_case(saved) is True
    assert window.documents["suspect"].sha256 == recorded_sha
    assert window.told.levels() == ["warning", "warning"]  # no "changed" warning: the same bytes


def test_resaving_over_a_changed_input_asks_and_keeps_both_digests(qtbot, window, samples, tmp_path):
    saved, old_sha = _save_then_change_the_original(qtbot, window, samples, tmp_path)
    assert window.told.levels() == ["warning"]
    warning = window.told.texts()[0]
    saved_at = json.loads(saved.read_text(encoding="utf-8"))["saved"]
    # The date as the user's locale writes it, not 2026-11-29T09:19:45Z.
    assert saved_at not in warning and saved_at[:4] in warning
    # Ctrl+S asks first; the default answer (Cancel) leaves the case file as it was.
    before = saved.read_bytes()
    assert window.save_case() is None
    assert window.told.levels() == ["warning", "question"]
    assert old_sha[:16] in window.told.texts()[1] and window.documents["original"].sha256[:16] in window.told.texts()[1]
    assert saved.read_bytes() == before
    # Saying Save records the new digest and keeps the old one, marked as replaced.
    window.told.answers.append(QMessageBox.StandardButton.Save)
    assert window.save_case() == saved
    data = json.loads(saved.read_text(encoding="utf-8"))
    assert data["original"]["sha256"] == window.documents["original"].sha256
    assert [e["sha256"] for e in data["original"]["earlier"]] == [old_sha]
    assert data["original"]["earlier"][0]["replaced"]
    # Saving again asks nothing more: the case now records the file as it is.
    assert window.save_case() == saved
    assert window.told.levels() == ["warning", "question", "question"]
    assert [e["sha256"] for e in json.loads(saved.read_text(encoding="utf-8"))["original"]["earlier"]] == [old_sha]


def test_one_cases_caption_and_prompt_never_flow_into_another(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    with qtbot.waitSignal(window.exportFinished, timeout=90_000):
        window.start_export(ExportRequest(tmp_path / "a.pdf",
                                          {"case_number": "1:26-cv-AAAA", "case_title": "A v. B", "examiner": "Dr. E"},
                                          {"prompt": "Prompt for case A", "model": "LM-A"}))
    case_a = window.save_case(path=tmp_path / "a.memdiff")
    # Another window (another case): nothing of case A but the examiner's own name.
    from memdiff.gui.main_window import MainWindow

    other = MainWindow(window.settings)
    other.tell = window.told
    qtbot.addWidget(other)
    load_both(qtbot, other, samples["original"], samples["unrelated"])
    dialog = other.export_report()
    assert dialog.case_number.text() == "" and dialog.case_title.text() == ""
    assert dialog.prompt.toPlainText() == "" and dialog.model.text() == ""
    assert dialog.examiner.text() == "Dr. E"
    dialog.reject()
    case_b = other.save_case(path=tmp_path / "b.memdiff")
    data_b = json.loads(case_b.read_text(encoding="utf-8"))
    assert "1:26-cv-AAAA" not in case_b.read_text(encoding="utf-8") and data_b["provenance"] == {}
    other.jobs.wait(20_000)

    # In the first window, another model output starts with blank provenance; the caption stays.
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.load_file("suspect", samples["unrelated"])
    assert window.provenance == {} and window.front_matter["case_number"] == "1:26-cv-AAAA"
    # Opening case B (saved with no caption) clears the caption; opening A brings back A's.
    _reopen(qtbot, window, case_b)
    assert window.front_matter == {} and window.provenance == {}
    _reopen(qtbot, window, case_a)
    assert window.front_matter["case_number"] == "1:26-cv-AAAA"
    assert window.provenance["prompt"] == "Prompt for case A"


def test_a_pasted_output_survives_the_case(qtbot, window, samples, tmp_path):
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.load_file("original", samples["original"])
        window.load_pasted_text(samples["output"].read_text(encoding="utf-8"))
    pasted_sha = window.documents["suspect"].sha256
    saved = window.save_case(path=tmp_path / "pasted.memdiff")
    _reopen(qtbot, window, saved)
    assert window.documents["suspect"].path is None
    assert window.documents["suspect"].sha256 == pasted_sha


def test_a_damaged_case_file_is_refused_with_a_sentence(window, tmp_path):
    bad = tmp_path / "bad.memdiff"
    bad.write_text("{not json", encoding="utf-8")
    assert window.open_case(bad) is False
    assert window.told.levels() == ["error"]
    assert "not a memdiff case file" in window.told.texts()[0]


def test_export_through_the_dialog(qtbot, window, samples, tmp_path):
    comparison = load_both(qtbot, window, samples["original"], samples["output"])
    dialog = window.export_report()
    assert isinstance(dialog, ExportDialog) and dialog.isVisible()
    qtbot.keyClicks(dialog.case_title, "Doe v. ExampleAI")
    qtbot.keyClicks(dialog.case_number, "1:26-cv-01234")
    qtbot.keyClicks(dialog.exhibit, "J")
    qtbot.keyClicks(dialog.model, "ExampleLM 4")
    dialog.attempts.setValue(3)
    dialog.path.setText(str(tmp_path / "exhibit-j"))
    with qtbot.waitSignal(window.exportFinished, timeout=90_000) as blocker:
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    pdf = blocker.args[0]
    assert pdf == tmp_path / "exhibit-j.pdf" and pdf.exists()
    result = json.loads(pdf.with_suffix(".json").read_text(encoding="utf-8"))
    assert result["findings_sha256"] == comparison.findings_digest()
    text = "".join(page.extract_text() for page in PdfReader(pdf).pages[:2])
    assert "Doe v. ExampleAI" in text and "ExampleLM 4" in text
    # The user was offered the PDF and (by default) it was opened with the system viewer.
    assert window.told.levels() == ["question"]
    assert window.opened == [pdf]
    # The values are remembered for the next report of this case.
    again = window.export_report()
    assert again.case_title.text() == "Doe v. ExampleAI"
    assert again.attempts.value() == 3
    again.reject()


def test_export_dialog_checks_its_fields(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    dialog = window.export_report()
    dialog.path.setText(str(tmp_path / "no such folder" / "report.pdf"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.problem.isVisible()
    assert "does not exist" in dialog.problem.text()
    dialog.path.setText(str(tmp_path / "report.pdf"))
    qtbot.keyClicks(dialog.bates_prefix, "PLTF-")
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "Bates prefix needs a starting number" in dialog.problem.text()
    dialog.reject()


def test_a_failed_export_leaves_no_file(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    blocked = tmp_path / "out" / "report.pdf"
    blocked.mkdir(parents=True)  # a folder where the PDF should go: the final rename must fail
    with qtbot.waitSignal(window.exportFailed, timeout=90_000):
        window.start_export(ExportRequest(blocked, {"case_title": "X"}, {}))
    assert window.told.levels() == ["error"]
    assert "report.pdf" in window.told.texts()[0]
    leftovers = sorted(p.name for p in blocked.parent.iterdir())
    assert leftovers == ["report.pdf"] and blocked.is_dir()


def test_export_needs_a_finished_comparison(window):
    assert window.export_report() is None
    assert window.told.levels() == ["information"]


def test_answering_close_does_not_open_the_pdf(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    window.told.answers.append(QMessageBox.StandardButton.Close)
    with qtbot.waitSignal(window.exportFinished, timeout=90_000):
        window.start_export(ExportRequest(tmp_path / "r.pdf", {}, {}))
    assert window.opened == []


def test_a_report_never_overwrites_an_input(qtbot, window, samples, tmp_path):
    # The model output was saved as "answer.json"; a report named "answer.pdf" would write answer.json beside it.
    original = samples["original"]
    output = tmp_path / "answer.json"
    output.write_bytes(samples["output"].read_bytes())
    before = output.read_bytes()
    load_both(qtbot, window, original, output)
    dialog = window.export_report()
    dialog.path.setText(str(tmp_path / "answer.pdf"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "would overwrite the model output, answer.json" in dialog.problem.text()
    dialog.reject()
    # The same check guards the export itself and saving a case.
    assert window.start_export(ExportRequest(tmp_path / "answer.pdf", {}, {})) is None
    assert window.save_case(path=output.with_suffix(".memdiff")) is not None  # a different file: fine
    renamed = original.with_name("original.memdiff")
    original.rename(renamed)
    # A case file named like an input (here the original, renamed to end in .memdiff) is refused too.
    window.documents["original"] = dataclasses.replace(window.documents["original"], path=str(renamed))
    assert window.save_case(path=renamed) is None
    assert window.told.levels() == ["error", "error"]
    assert "never writes to its inputs" in window.told.texts()[0]
    assert output.read_bytes() == before
    assert not (tmp_path / "answer.pdf").exists()


def test_the_progress_bar_goes_away_after_an_export(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    with qtbot.waitSignal(window.exportFinished, timeout=90_000):
        window.start_export(ExportRequest(tmp_path / "r.pdf", {}, {}))
    assert not window.progress.isVisible() and not window.cancel_button.isVisible()
    assert not window.is_busy


def test_opening_a_case_drops_results_still_being_computed(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    saved = window.save_case(path=tmp_path / "case.memdiff")
    # Start a comparison of other inputs, then open the case before it finishes.
    with qtbot.waitSignal(window.documentLoaded, timeout=10_000):
        window.load_file("suspect", samples["unrelated"])
    reopened = _reopen(qtbot, window, saved)
    assert reopened.suspect.name == "model-output.txt"
    qtbot.wait(300)
    assert window.comparison is reopened
    assert window.documents["suspect"].name == "model-output.txt"


def test_no_export_of_old_findings_while_the_comparison_runs_again(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    assert window.export_action.isEnabled() and window.main_splitter.isEnabled()
    window.parameters_panel.min_words.setValue(40)
    # From the edit on, the findings shown are not those of the settings shown.
    assert not window.export_action.isEnabled()
    # Greyed by being disabled (no opacity effect: it drew the panes twice when the summary changed height),
    # and the old spans are not walked through with F3 meanwhile.
    assert not window.main_splitter.isEnabled() and window.main_splitter.graphicsEffect() is None
    assert not window.next_action.isEnabled() and not window.previous_action.isEnabled()
    assert window.start_export(ExportRequest(tmp_path / "stale.pdf", {}, {})) is None
    assert window.export_report() is None
    assert window.told.levels() == ["information", "information"]
    assert "running again" in window.told.messages[0][1]
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000) as blocker:
        window.parameters_panel.flush()
        assert not window.export_action.isEnabled()  # running now
    assert blocker.args[0].parameters.min_words == 40
    assert window.export_action.isEnabled() and window.main_splitter.isEnabled()
    assert window.next_action.isEnabled()
    assert window.main_splitter.graphicsEffect() is None
    with qtbot.waitSignal(window.exportFinished, timeout=90_000) as done:
        window.start_export(ExportRequest(tmp_path / "fresh.pdf", {}, {}))
    result = json.loads(done.args[0].with_suffix(".json").read_text(encoding="utf-8"))
    assert result["parameters"]["min_words"] == 40
    assert not (tmp_path / "stale.pdf").exists()


def test_a_span_selected_before_a_new_comparison_is_not_left_selected(qtbot, window, samples):
    load_both(qtbot, window, samples["original"], samples["output"])
    window.next_span()
    window.next_span()
    assert window.original_pane.textCursor().hasSelection()
    with qtbot.waitSignal(window.comparisonFinished, timeout=20_000):
        window.parameters_panel.min_words.setValue(12)
        window.parameters_panel.flush()
    # The table has no current row for it, so the panes show no selection either.
    assert not window.original_pane.textCursor().hasSelection()
    assert not window.output_pane.textCursor().hasSelection()

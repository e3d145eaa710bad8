"""Export never replaces a report PDF or the JSON beside it without asking, and suggests a name not in use."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from gui_support import load_both


def _existing(tmp_path):
    pdf, json_file = tmp_path / "Exhibit J.pdf", tmp_path / "Exhibit J.json"
    pdf.write_bytes(b"%PDF-1.4 exhibit already filed\n")
    json_file.write_text('{"someone else": "result"}\n', encoding="utf-8")
    return pdf, json_file


def test_export_asks_before_replacing_both_files(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    pdf, json_file = _existing(tmp_path)
    dialog = window.export_report()
    dialog.path.setText(str(pdf))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    # The default answer keeps the files and the dialog, with the name ready to be changed.
    question = window.told.texts("question")[0]
    assert "Exhibit J.pdf and Exhibit J.json already exist" in question
    assert window.told.labels[0][QMessageBox.StandardButton.Yes] == "Replace"
    assert dialog.isVisible() and dialog.focusWidget() is dialog.path
    assert pdf.read_bytes() == b"%PDF-1.4 exhibit already filed\n"
    assert json_file.read_text(encoding="utf-8") == '{"someone else": "result"}\n'
    # "Replace": the export goes ahead.
    window.told.answers.append(QMessageBox.StandardButton.Yes)
    with qtbot.waitSignal(window.exportFinished, timeout=90_000):
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert pdf.read_bytes().startswith(b"%PDF") and b"already filed" not in pdf.read_bytes()
    assert "findings_sha256" in json_file.read_text(encoding="utf-8")


def test_only_the_json_existing_is_named(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    (tmp_path / "r.json").write_text("{}", encoding="utf-8")
    dialog = window.export_report()
    dialog.path.setText(str(tmp_path / "r.pdf"))
    qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
    assert "r.json already exists" in window.told.texts("question")[0]
    assert dialog.isVisible()
    dialog.reject()


def test_the_suggested_name_is_one_not_in_use(qtbot, window, samples, tmp_path):
    load_both(qtbot, window, samples["original"], samples["output"])
    window.settings.report_folder = str(tmp_path)
    first = window.export_report()
    assert first.pdf_path() == tmp_path / "original vs model-output - memdiff report.pdf"
    first.reject()
    (tmp_path / "original vs model-output - memdiff report.pdf").write_bytes(b"%PDF earlier")
    (tmp_path / "original vs model-output - memdiff report (2).json").write_text("{}", encoding="utf-8")
    second = window.export_report()
    assert second.pdf_path() == tmp_path / "original vs model-output - memdiff report (3).pdf"
    second.reject()


def test_a_write_protected_report_or_json_is_refused_before_anything_is_asked_or_rendered(
        qtbot, window, samples, tmp_path):
    """An exhibit made read-only is not offered for replacing: the dialog says why at once, as the command line does."""
    import os
    import stat

    load_both(qtbot, window, samples["original"], samples["output"])
    pdf, json_file = _existing(tmp_path)
    dialog = window.export_report()
    try:
        for protected in (pdf, json_file):
            protected.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
            dialog.path.setText(str(pdf))
            qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
            expected = (f"Cannot write {protected.name}: it is write-protected, and memdiff does not replace a "
                        "write-protected file; remove the protection or choose another name.")
            assert dialog.validation_problem() == expected
            assert dialog.problem.isVisible() and dialog.problem.text() == expected
            assert window.told.texts("question") == []  # no "Replace?" for a file that will not be replaced
            assert dialog.isVisible() and dialog.focusWidget() is dialog.path
            protected.chmod(stat.S_IRUSR | stat.S_IWUSR)
        # Both writable again: the usual question comes back.
        assert dialog.validation_problem() is None
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        assert "Exhibit J.pdf and Exhibit J.json already exist" in window.told.texts("question")[0]
    finally:
        for path in (pdf, json_file):
            os.chmod(path, stat.S_IRUSR | stat.S_IWUSR)
    assert pdf.read_bytes() == b"%PDF-1.4 exhibit already filed\n"
    assert json_file.read_text(encoding="utf-8") == '{"someone else": "result"}\n'
    dialog.reject()


def test_a_folder_where_the_report_or_json_would_go_is_refused_before_anything_is_asked(
        qtbot, window, samples, tmp_path):
    """A folder of the report's name is said at once, as the command line says it, not after "Replace?"."""
    load_both(qtbot, window, samples["original"], samples["output"])
    dialog = window.export_report()
    for name in ("Exhibit K.pdf", "Exhibit K.json"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / "kept.txt").write_text("a paralegal's notes\n", encoding="utf-8")
        dialog.path.setText(str(tmp_path / "Exhibit K.pdf"))
        qtbot.mouseClick(dialog.export_button, Qt.MouseButton.LeftButton)
        expected = (f"Cannot write {name}: it is a folder, not a regular file, and memdiff never replaces one; "
                    "give the path of a file.")
        assert dialog.problem.isVisible() and dialog.problem.text() == expected
        assert window.told.texts("question") == []
        assert dialog.isVisible() and dialog.focusWidget() is dialog.path
        folder.joinpath("kept.txt").unlink()
        folder.rmdir()
    assert dialog.validation_problem() is None
    dialog.reject()

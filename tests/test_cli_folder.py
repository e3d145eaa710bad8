"""A folder of model outputs: memdiff's own earlier reports and results in it are left out, never compared.

Reproduces a reviewer's finding: an exhibit written into the outputs folder
by an earlier run under another name was compared as a model output (it
quotes the original, so it "reproduced" a third of it), and its JSON too.
The check must never leave out a real output, and must not load the PDF
libraries for a folder of texts.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from fixtures_docs import text_pdf
from prose import AUSTEN, COPY, UNRELATED

from memdiff import cli
from memdiff.cli import main


@pytest.fixture
def outputs(tmp_path) -> tuple[Path, Path]:
    original = tmp_path / "novel.txt"
    original.write_text(AUSTEN, encoding="utf-8")
    folder = tmp_path / "outputs"
    folder.mkdir()
    (folder / "answer-1.txt").write_text(COPY, encoding="utf-8")
    (folder / "answer-2.txt").write_text(UNRELATED, encoding="utf-8")
    return original, folder


def _names(result: Path) -> list[str]:
    return [c["suspect"]["name"] for c in json.loads(result.read_text(encoding="utf-8"))["comparisons"]]


def test_an_earlier_exhibit_in_the_folder_is_left_out_and_said(outputs, tmp_path, capsys):
    original, folder = outputs
    assert main(["compare", str(original), str(folder), "--batch-report", str(folder / "exhibit-k.pdf")]) == 0
    assert main(["compare", str(original), str(folder / "answer-1.txt"), "--report", str(folder / "single.pdf"),
                 "--json", str(folder / "result.json")]) == 0
    capsys.readouterr()
    second = tmp_path / "exhibit-k2.pdf"
    assert main(["compare", str(original), str(folder), "--batch-report", str(second)]) == 0
    err = capsys.readouterr().err
    assert (
        f"memdiff: left out of {folder}: exhibit-k.json, exhibit-k.pdf, result.json, single.json, single.pdf "
        "(reports and results memdiff wrote, not model outputs)."
    ) in err
    assert _names(second.with_suffix(".json")) == ["answer-1.txt", "answer-2.txt"]


def test_a_case_file_in_the_folder_is_left_out(outputs, tmp_path, capsys):
    original, folder = outputs
    (folder / "matter.memdiff").write_text(json.dumps({"schema": "memdiff/case@1", "original": "x"}), "utf-8")
    assert main(["compare", str(original), str(folder), "--json", str(tmp_path / "r.json")]) == 0
    assert "matter.memdiff (reports and results memdiff wrote" in capsys.readouterr().err
    assert _names(tmp_path / "r.json") == ["answer-1.txt", "answer-2.txt"]


def test_real_outputs_that_look_alike_are_kept(outputs, tmp_path, capsys):
    original, folder = outputs
    pdf = folder / "answer-3.pdf"
    pdf.write_bytes(text_pdf([AUSTEN.split("\n\n")[:1], ["The schema memdiff/comparison@1 and memdiff:record"]]))
    (folder / "answer-4.json").write_text(json.dumps({"schema": "other/1", "text": COPY}), encoding="utf-8")
    (folder / "answer-5.json").write_text(json.dumps({"answer": COPY, "meta": {"schema": "memdiff/x"}}), "utf-8")
    (folder / "answer-6.txt").write_text('{ "schema": "memdiff/comparison@1" is what it wrote, ' + COPY, "utf-8")
    (folder / "answer-7.txt").write_text("%PDF-1.7 in plain text\n" + COPY, encoding="utf-8")
    from memdiff.cli import written_by_memdiff

    for name in ("answer-3.pdf", "answer-4.json", "answer-5.json", "answer-6.txt", "answer-7.txt"):
        assert not written_by_memdiff(folder / name), name
    assert main(["compare", str(original), str(folder), "--json", str(tmp_path / "r.json")]) == 0
    assert "left out" not in capsys.readouterr().err
    assert _names(tmp_path / "r.json") == [f"answer-{n}.{ext}" for n, ext in
                                            ((1, "txt"), (2, "txt"), (3, "pdf"), (4, "json"), (5, "json"),
                                             (6, "txt"), (7, "txt"))]


def test_an_output_named_itself_is_compared_even_if_memdiff_wrote_it(outputs, tmp_path, capsys):
    # Naming a file is a choice: only what a folder brings in unasked is left out.
    original, folder = outputs
    result = tmp_path / "r.json"
    assert main(["compare", str(original), str(folder / "answer-1.txt"), "--json", str(result)]) == 0
    assert main(["compare", str(original), str(result), "--json", str(tmp_path / "again.json")]) == 0
    assert json.loads((tmp_path / "again.json").read_text(encoding="utf-8"))["suspect"]["name"] == "r.json"


def test_the_mark_is_what_a_report_holds(outputs, tmp_path):
    from memdiff.report import pdfa

    original, folder = outputs
    assert main(["compare", str(original), str(folder / "answer-1.txt"), "--report", str(tmp_path / "r.pdf")]) == 0
    assert cli.REPORT_RECORD_MARK in (tmp_path / "r.pdf").read_bytes()
    assert pdfa.read_record(tmp_path / "r.pdf") is not None and cli.written_by_memdiff(tmp_path / "r.pdf")


def test_looking_at_a_folder_does_not_load_the_report_libraries(outputs, tmp_path):
    original, folder = outputs
    (folder / "old.json").write_text(json.dumps({"schema": "memdiff/comparison@1"}), encoding="utf-8")
    code = (
        "import sys\n"
        "from memdiff.cli import main\n"
        f"main(['compare', {str(original)!r}, {str(folder)!r}, '--json', {str(tmp_path / 'r.json')!r}])\n"
        "sys.exit(10 * any(m.split('.')[0] in ('reportlab', 'pikepdf') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False, timeout=120, capture_output=True).returncode == 0
    assert _names(tmp_path / "r.json") == ["answer-1.txt", "answer-2.txt"]


def test_a_json_file_not_memdiff_s_is_never_read_past_its_start(outputs, monkeypatch):
    """A folder may hold a huge JSON export: only one that opens with memdiff's schema is parsed."""
    import memdiff.cli

    _, folder = outputs
    (folder / "export.json").write_text(json.dumps({"rows": [COPY] * 200}), encoding="utf-8")
    (folder / "result.json").write_text(json.dumps({"schema": "memdiff/comparison@1", "spans": []}), "utf-8")
    parsed = []
    real = memdiff.cli._memdiff_json
    monkeypatch.setattr(memdiff.cli, "_memdiff_json", lambda data: parsed.append(len(data)) or real(data))
    assert not memdiff.cli.written_by_memdiff(folder / "export.json")
    assert memdiff.cli.written_by_memdiff(folder / "result.json")
    assert len(parsed) == 1

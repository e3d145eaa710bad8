"""`verify`: a report checks out against its own inputs and says exactly what differs otherwise."""

from __future__ import annotations

import dataclasses
import shutil

import pikepdf
import pytest
from memdiff.resources import path as resource_path

from memdiff import ingest
from memdiff.analyse import compare
from memdiff.errors import InputError
from memdiff.report import verify, write_report
from memdiff.report.pdfa import read_record


@pytest.fixture
def inputs(tmp_path):
    original = tmp_path / "novel.txt"
    output = tmp_path / "chat.txt"
    shutil.copyfile(resource_path("samples", "original.txt"), original)
    shutil.copyfile(resource_path("samples", "model-output.txt"), output)
    return original, output


def make_report(original_path, output_path, target, **changes):
    original = ingest.load(original_path)
    suspect = ingest.load(output_path)
    comparison = compare(original, suspect)
    if changes:
        comparison = dataclasses.replace(comparison, **changes)
    return write_report(comparison, original, suspect, target), comparison


def test_untouched_report_verifies(inputs, tmp_path):
    original, output = inputs
    report, comparison = make_report(original, output, tmp_path / "r.pdf")
    result = verify(report, original, output)
    assert result.ok, result.lines
    assert result.lines[-1] == "verified"
    assert any(comparison.findings_digest() in line for line in result.lines)
    record = read_record(report)
    assert record["original"]["sha256"] == comparison.original.sha256
    assert record["parameters"] == comparison.parameters.to_dict()


def test_changed_original_is_named_as_the_reason(inputs, tmp_path):
    original, output = inputs
    report, _ = make_report(original, output, tmp_path / "r.pdf")
    text = original.read_text(encoding="utf-8")
    original.write_text(text.replace("Alice", "Alicia", 1), encoding="utf-8")
    result = verify(report, original, output)
    assert not result.ok
    assert any(
        line.startswith("Original: novel.txt is NOT the file the report was made from")
        for line in result.lines
    )
    assert result.lines[-1].startswith("NOT verified: the original differs")


def test_changed_output_changes_findings_and_says_how_many_spans(inputs, tmp_path):
    original, output = inputs
    report, comparison = make_report(original, output, tmp_path / "r.pdf")
    first = comparison.spans[0]
    text = output.read_text(encoding="utf-8")
    # Cut the first span out of the output: that span can no longer be found.
    output.write_text(text[: first.suspect.start] + text[first.suspect.end :], encoding="utf-8")
    result = verify(report, original, output)
    assert not result.ok
    joined = "\n".join(result.lines)
    assert "Output: chat.txt is NOT the file the report was made from" in joined
    assert "Findings: DIFFERENT" in joined
    assert f"Of the report's {len(comparison.spans)} spans," in joined
    assert "the output differs; the findings differ" in result.lines[-1]


def test_findings_that_differ_from_a_rerun_are_counted(inputs, tmp_path):
    original, output = inputs
    real = compare(ingest.load(original), ingest.load(output))
    # A report whose findings lack two spans the analysis does find.
    report, _ = make_report(original, output, tmp_path / "r.pdf", spans=real.spans[2:])
    result = verify(report, original, output)
    assert not result.ok
    assert any(
        f"Of the report's {len(real.spans) - 2} spans, 0 were not found again; 2 spans were found"
        in line
        for line in result.lines
    ), result.lines


def test_other_tool_version_is_reported(inputs, tmp_path):
    original, output = inputs
    report, _ = make_report(original, output, tmp_path / "r.pdf", tool_version="0.0.9")
    result = verify(report, original, output)
    assert any(
        "the report was made with memdiff 0.0.9; this is memdiff" in line for line in result.lines
    )
    assert result.ok  # same files, same findings: the version alone is stated, not a failure


def test_a_pdf_without_a_record_does_not_verify(inputs, tmp_path):
    original, output = inputs
    report, _ = make_report(original, output, tmp_path / "r.pdf")
    with pikepdf.open(report) as pdf:
        del pdf.Root.Metadata
        pdf.save(tmp_path / "stripped.pdf")
    result = verify(tmp_path / "stripped.pdf", original, output)
    assert not result.ok
    assert "carries no memdiff record" in result.lines[0]


def test_a_missing_or_broken_report_is_bad_input(inputs, tmp_path):
    original, output = inputs
    with pytest.raises(InputError, match="does not exist"):
        verify(tmp_path / "absent.pdf", original, output)
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4 not really")
    with pytest.raises(InputError, match="cannot be read as a PDF"):
        verify(tmp_path / "broken.pdf", original, output)


# --------------------------------------------------------------------------- from the command line


def test_a_folder_given_as_the_report_is_named_as_a_folder(inputs, tmp_path):
    original, output = inputs
    with pytest.raises(InputError, match="is a folder, not a file"):
        verify(tmp_path, original, output)


def test_verify_opens_an_encrypted_output_with_its_password(tmp_path, capsys):
    from fixtures_docs import encrypted_pdf, text_pdf
    from memdiff.cli import main

    lines = [
        "It is a truth universally acknowledged, that a single man in possession of a good fortune,",
        "must be in want of a wife. However little known the feelings or views of such a man may be",
    ]
    original = tmp_path / "novel.txt"
    original.write_text(" ".join(lines) + "\n", encoding="utf-8")
    output = tmp_path / "answer.pdf"
    output.write_bytes(encrypted_pdf(text_pdf([lines]), user="open-sesame", owner="owner-pw", aes=True))
    report = tmp_path / "r.pdf"
    assert main(["compare", str(original), str(output), "--suspect-password", "open-sesame",
                 "--report", str(report)]) == 0
    capsys.readouterr()
    assert main(["verify", str(report), str(original), str(output), "--suspect-password", "open-sesame"]) == 0
    assert capsys.readouterr().out.strip().endswith("verified")
    # Without it, the one sentence says how to give it, and verify now takes that option.
    assert main(["verify", str(report), str(original), str(output)]) == 2
    assert "--suspect-password" in capsys.readouterr().err


def test_verify_reads_the_output_from_standard_input_as_compare_does(inputs, tmp_path):
    import os
    import subprocess
    import sys

    original, output = inputs
    report = tmp_path / "r.pdf"
    pasted = output.read_bytes()
    run = dict(capture_output=True, timeout=120, env={**os.environ})
    made = subprocess.run([sys.executable, "-m", "memdiff", "compare", str(original), "-", "--report", str(report)],
                          input=pasted, **run)
    assert made.returncode == 0, made.stderr
    checked = subprocess.run([sys.executable, "-m", "memdiff", "verify", str(report), str(original), "-"],
                             input=pasted, **run)
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.decode().strip().endswith("verified")
    changed = subprocess.run([sys.executable, "-m", "memdiff", "verify", str(report), str(original), "-"],
                             input=pasted + b"\nOne more line.\n", **run)
    assert changed.returncode == 3
    assert b"Output: standard input is NOT the file the report was made from" in changed.stdout

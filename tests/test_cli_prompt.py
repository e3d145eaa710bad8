"""The prompt file is an input: the report names it (its file name, not its folder) and gives its SHA-256.

An empty prompt file (generation without a prompt) is a fact: its empty
text, its name and its digest are kept, not dropped as "no information".
"""

from __future__ import annotations

import hashlib

import pytest
from pypdf import PdfReader

import memdiff.report
from memdiff.cli import main


@pytest.fixture
def provenance_given(monkeypatch):
    """What compare hands the report writers, recorded (the reports are still written)."""
    given = []
    single, batch = memdiff.report.write_report, memdiff.report.write_batch_report

    def write_report(*args, provenance, **kwargs):
        given.append(provenance)
        return single(*args, provenance=provenance, **kwargs)

    def write_batch_report(*args, provenance, **kwargs):
        given.append(provenance)
        return batch(*args, provenance=provenance, **kwargs)

    monkeypatch.setattr(memdiff.report, "write_report", write_report)
    monkeypatch.setattr(memdiff.report, "write_batch_report", write_batch_report)
    return given


@pytest.mark.parametrize("option", ["--report", "--batch-report"])
def test_the_prompt_file_is_named_with_its_digest(case, tmp_path, provenance_given, option):
    original, suspect = case
    folder = tmp_path / "prompts"
    folder.mkdir()
    prompt = folder / "prompt-7.txt"
    data = b"Recite the opening of the novel.\n"
    prompt.write_bytes(data)
    report = tmp_path / "r.pdf"
    assert main(["compare", str(original), str(suspect), option, str(report), "--prompt-file", str(prompt)]) == 0
    (given,) = provenance_given
    assert given.prompt == "Recite the opening of the novel.\n"
    assert given.prompt_file == "prompt-7.txt"  # its name only: the folder may be confidential
    assert given.prompt_sha256 == hashlib.sha256(data).hexdigest()
    text = " ".join(page.extract_text() for page in PdfReader(report).pages)
    assert "prompt-7.txt" in text


def test_an_empty_prompt_file_is_kept_as_a_fact(case, tmp_path, provenance_given):
    original, suspect = case
    prompt = tmp_path / "no-prompt.txt"
    prompt.write_bytes(b"")
    assert main(["compare", str(original), str(suspect), "--report", str(tmp_path / "r.pdf"),
                 "--prompt-file", str(prompt)]) == 0
    (given,) = provenance_given
    assert (given.prompt, given.prompt_file) == ("", "no-prompt.txt")
    assert given.prompt_sha256 == hashlib.sha256(b"").hexdigest()
    assert not given.is_empty()


def test_without_a_prompt_file_nothing_is_claimed(case, tmp_path, provenance_given):
    original, suspect = case
    assert main(["compare", str(original), str(suspect), "--report", str(tmp_path / "r.pdf")]) == 0
    (given,) = provenance_given
    assert (given.prompt, given.prompt_file, given.prompt_sha256) == ("", "", "")

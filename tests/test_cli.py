"""The command line as scripts use it: exit statuses, JSON on disk and on stdout, stdin, errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from prose import AUSTEN, COPY, UNRELATED

from memdiff.cli import main
from memdiff.evidence import SCHEMA, Comparison


def test_compare_writes_the_documented_json(case, tmp_path, capsys):
    original, suspect = case
    out = tmp_path / "result.json"
    assert main(["compare", str(original), str(suspect), "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == SCHEMA
    assert data["mode"] == "text"
    assert data["original"]["name"] == "original.txt"
    assert data["original"]["sha256"] == __import__("hashlib").sha256(original.read_bytes()).hexdigest()
    for key in (
        "suspect_words_in_spans", "suspect_coverage", "suspect_words_in_exact_spans", "exact_suspect_coverage",
        "original_words_in_spans", "original_coverage", "span_count", "longest_span_words", "longest_span_characters",
    ):
        assert key in data["summary"]
    assert data["summary"]["span_count"] == len(data["spans"]) >= 2
    span = data["spans"][0]
    text = original.read_text(encoding="utf-8")
    assert text[span["original"]["start"] : span["original"]["end"]].startswith("It is a truth")
    assert set(span["chance"]) == {"bits", "common_phrase"}
    # The file round-trips through the evidence model unchanged.
    assert Comparison.from_dict(data).to_dict() == data
    # No summary is printed when a result file is asked for.
    assert capsys.readouterr().out == ""


def test_json_to_stdout_and_summary(case, capsys):
    original, suspect = case
    assert main(["compare", str(original), str(suspect), "--json", "-"]) == 0
    assert json.loads(capsys.readouterr().out)["summary"]["span_count"] >= 2
    assert main(["compare", str(original), str(suspect)]) == 0
    summary = capsys.readouterr().out
    assert "of the output's words" in summary
    # The report's and the window's words: "verbatim" (the JSON's kind stays "exact").
    assert "verbatim" in summary and " exact " not in summary


def test_options_reach_the_parameters(case, capsys):
    original, suspect = case
    argv = ["compare", str(original), str(suspect), "--json", "-", "--min-words", "12", "--no-near",
            "--min-similarity", "0.9", "--no-casefold", "--no-ignore-punctuation"]
    assert main(argv) == 0
    params = json.loads(capsys.readouterr().out)["parameters"]
    assert params["min_words"] == 12
    assert params["near"] is False
    assert params["min_similarity"] == 0.9
    assert params["casefold"] is False
    assert params["ignore_punctuation"] is False


def test_extract_prints_exactly_the_indexed_text(write, capfdbinary):
    path = write("crlf.txt", "line one\r\nline two \u2014 caf\u00e9\r\n", encoding="utf-16")
    assert main(["extract", str(path)]) == 0
    assert capfdbinary.readouterr().out.decode("utf-8") == "line one\nline two \u2014 caf\u00e9\n"


@pytest.mark.parametrize(
    ("args", "phrase"),
    [
        (["compare", "{tmp}/absent.txt", "{orig}"], "does not exist"),
        (["compare", "{orig}", "{empty}"], "is empty"),
        (["extract", "{tmp}"], "is a folder"),
    ],
)
def test_bad_input_exits_2_with_one_sentence(case, write, tmp_path, capsys, args, phrase):
    original, _ = case
    empty = write("empty.txt", b"")
    assert main([a.format(tmp=tmp_path, orig=original, empty=empty) for a in args]) == 2
    err = capsys.readouterr().err
    assert phrase in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_bad_option_value_is_a_usage_error(case, capsys):
    original, suspect = case
    with pytest.raises(SystemExit) as exit_info:
        main(["compare", str(original), str(suspect), "--min-similarity", "1.5"])
    assert exit_info.value.code == 2
    assert "not between 0 (excluded) and 1" in capsys.readouterr().err


def _run(*args, stdin=None, env=None):
    return subprocess.run(
        [sys.executable, "-m", "memdiff", *args],
        input=stdin, capture_output=True, env={**os.environ, **(env or {})}, timeout=120,
    )


def test_standard_input_as_suspect_and_exit_codes(case):
    original, _ = case
    done = _run("compare", str(original), "-", "--json", "-", stdin=COPY.encode("utf-8"))
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["suspect"]["name"] == "standard input"
    assert data["summary"]["span_count"] >= 2
    bad = _run("compare", str(original), "-", stdin=b"")
    assert bad.returncode == 2
    assert bad.stderr.decode().strip().count("\n") == 0
    assert b"Traceback" not in bad.stderr


def test_the_quick_exit_loses_no_output_and_keeps_the_exit_code(write, tmp_path):
    # run() ends compare/extract/verify with os._exit: buffered output must be flushed first.
    text = (AUSTEN + "\n") * 400  # about 400 KB, more than any pipe or stdio buffer holds
    path = write("long.txt", text)
    done = _run("extract", str(path))
    assert done.returncode == 0, done.stderr
    assert done.stdout.decode("utf-8") == text
    missing = _run("extract", str(tmp_path / "no-such-file.txt"))
    assert missing.returncode == 2 and b"does not exist" in missing.stderr
    summary = _run("compare", str(path), str(path))
    assert summary.returncode == 0 and b"of the output's words" in summary.stdout


def test_version(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--version"])
    assert exit_info.value.code == 0
    assert capsys.readouterr().out.startswith("memdiff ")


def test_several_outputs_share_one_index_and_give_a_batch_json(case, write, tmp_path):
    original, suspect = case
    other = write("unrelated.txt", UNRELATED)
    out = tmp_path / "batch.json"
    assert main(["compare", str(original), str(suspect), str(other), "--json", str(out)]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["schema"] == "memdiff/batch@1"
    counts = [c["summary"]["span_count"] for c in data["comparisons"]]
    assert counts[0] >= 2 and counts[1] == 0
    # The same as comparing each output alone.
    single = tmp_path / "single.json"
    main(["compare", str(original), str(suspect), "--json", str(single)])
    alone = json.loads(single.read_text(encoding="utf-8"))
    assert alone["spans"] == data["comparisons"][0]["spans"]


def test_outputs_sharing_a_file_name_are_named_by_their_paths(case, tmp_path, monkeypatch):
    original, suspect = case
    for folder, text in (("monday", COPY), ("tuesday", UNRELATED)):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "answer.txt").write_text(text, encoding="utf-8")
    (tmp_path / "alone.txt").write_text(UNRELATED, encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    typed = [os.path.join("monday", "answer.txt"), os.path.join("tuesday", "answer.txt"), "alone.txt"]
    assert main(["compare", str(original), *typed, "--json", "batch.json"]) == 0
    data = json.loads((tmp_path / "batch.json").read_text(encoding="utf-8"))
    assert [c["suspect"]["name"] for c in data["comparisons"]] == typed
    assert data["comparisons"][0]["original"]["name"] == original.name  # a name of its own stays bare


def test_the_cli_does_not_import_qt():
    code = "import sys, memdiff.cli; sys.exit(any(m.startswith('PySide6') for m in sys.modules))"
    assert subprocess.run([sys.executable, "-c", code], timeout=60).returncode == 0


def test_a_comparison_without_a_report_does_not_load_the_report_libraries(case, tmp_path):
    # reportlab and pikepdf take a tenth of a second to import: only a report needs them.
    original, suspect = case
    code = (
        "import sys\n"
        "from memdiff.cli import main\n"
        f"main(['compare', {str(original)!r}, {str(suspect)!r}, '--json', {str(tmp_path / 'r.json')!r}])\n"
        "sys.exit(10 * any(m.split('.')[0] in ('reportlab', 'pikepdf') for m in sys.modules))"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=120).returncode == 0
    assert (tmp_path / "r.json").exists()


def test_pages_without_a_printed_number_are_called_pdf_pages_where_others_have_one(tmp_path, capsys):
    """A book numbered from its third page: "p.1-2" must not stand for both printed pages 1-2 and PDF pages 1-2."""
    import re

    from fixtures_docs import sample_novel_pdf
    from memdiff.resources import path as resource_path

    novel = tmp_path / "novel.pdf"
    novel.write_bytes(sample_novel_pdf(labels=((2, "ARABIC", 1, ""),)))
    output = resource_path("samples", "model-output.txt")
    assert main(["compare", str(novel), str(output), "--json", "-"]) == 0
    result = json.loads(capsys.readouterr().out)
    labels = result["original"]["page_labels"]
    assert labels[:3] == ["", "", "1"]
    assert main(["compare", str(novel), str(output)]) == 0
    shown = re.findall(r"(PDF p\.\S+|p\.\S+ \(\S+\))", capsys.readouterr().out)
    assert len(shown) == len(result["spans"])
    unlabelled = 0
    for where, span in zip(shown, result["spans"], strict=True):
        pages = span["original"]["pages"]
        counted = str(pages[0]) if len(pages) == 1 else f"{pages[0]}-{pages[-1]}"
        if all(labels[page - 1] for page in pages):
            assert where.endswith(f" ({counted})") and not where.startswith("PDF")
        else:
            unlabelled += 1
            assert where == f"PDF p.{counted}"
    assert unlabelled > 0


def test_json_output_is_written_atomically_and_not_left_half_way(case, tmp_path, capsys):
    original, suspect = case
    target = tmp_path / "no-such-folder" / "result.json"
    assert main(["compare", str(original), str(suspect), "--json", str(target)]) == 2
    assert "Cannot write" in capsys.readouterr().err
    assert not target.parent.exists()


def test_the_terminal_gives_a_book_s_printed_page_numbers_first(tmp_path, capsys):
    import re

    from fixtures_docs import sample_novel_pdf
    from memdiff.resources import path as resource_path

    novel = tmp_path / "novel.pdf"
    novel.write_bytes(sample_novel_pdf(labels=((0, "ROMAN_LOWER", 1, ""), (2, "ARABIC", 1, ""))))
    output = resource_path("samples", "model-output.txt")
    assert main(["compare", str(novel), str(output), "--json", "-"]) == 0
    result = json.loads(capsys.readouterr().out)
    labels = result["original"]["page_labels"]
    assert main(["compare", str(novel), str(output)]) == 0
    shown = re.findall(r"p\.(\S+) \((\d+)(?:-(\d+))?\)", capsys.readouterr().out)
    assert len(shown) == len(result["spans"]) > 0
    for (printed, first, last), span in zip(shown, result["spans"], strict=True):
        pages = span["original"]["pages"]
        assert (int(first), int(last or first)) == (pages[0], pages[-1])
        expected = labels[pages[0] - 1] if len(pages) == 1 else f"{labels[pages[0] - 1]}-{labels[pages[-1] - 1]}"
        assert printed == expected

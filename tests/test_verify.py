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
from memdiff.report import verify, write_batch_report, write_report
from memdiff.report.pdfa import read_record
from memdiff.report.verify import _difference, _match_findings, _numbered, verify_outputs


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
        f"Of the report's {len(real.spans) - 2} spans, {len(real.spans) - 2} were found again and 0 were not; "
        "2 spans were found that the report does not list" in line
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


def test_a_pdf_memdiff_did_not_write_is_bad_input_not_a_failed_verification(
    inputs, tmp_path, capsys
):
    from reportlab.pdfgen import canvas

    from memdiff.cli import main

    original, output = inputs
    plain = tmp_path / "letter.pdf"
    page = canvas.Canvas(str(plain))
    page.drawString(72, 720, "A letter, not a memdiff report.")
    page.save()
    report, _ = make_report(original, output, tmp_path / "r.pdf")
    with pikepdf.open(report) as pdf:
        del pdf.Root.Metadata
        pdf.save(tmp_path / "stripped.pdf")
    for name in ("letter.pdf", "stripped.pdf"):
        with pytest.raises(InputError) as raised:
            verify(tmp_path / name, original, output)
        assert str(raised.value) == (
            f"{name} is not a memdiff report: it holds no memdiff record (every report memdiff "
            "writes carries one in its metadata); give the report PDF that memdiff wrote."
        )
        assert main(["verify", str(tmp_path / name), str(original), str(output)]) == 2
        assert "is not a memdiff report" in capsys.readouterr().err


def test_a_record_that_cannot_be_read_is_damaged_and_does_not_verify(inputs, tmp_path, capsys):
    from memdiff.cli import main

    original, output = inputs
    report, _ = make_report(original, output, tmp_path / "r.pdf")
    with pikepdf.open(report) as pdf:
        packet = pdf.Root.Metadata.read_bytes()
        start = packet.index(b"<memdiff:record>") + len(b"<memdiff:record>")
        pdf.Root.Metadata.write(packet[:start] + b"{not json" + packet[start + 9 :])
        pdf.save(tmp_path / "garbled.pdf")
    result = verify(tmp_path / "garbled.pdf", original, output)
    assert not result.ok
    assert result.lines[0].startswith(
        "garbled.pdf: its memdiff record is damaged (the record cannot be read)"
    )
    assert main(["verify", str(tmp_path / "garbled.pdf"), str(original), str(output)]) == 3
    assert capsys.readouterr().out.strip().endswith("NOT verified.")


def test_a_record_of_another_schema_is_damaged(inputs, tmp_path):
    original, output = inputs
    report, _ = make_report(original, output, tmp_path / "r.pdf")
    edited = _with_record(
        report, tmp_path / "edited.pdf", lambda r: r.__setitem__("schema", "someone/else@1")
    )
    result = verify(edited, original, output)
    assert not result.ok
    assert "its schema is not memdiff/report-record@1" in result.lines[0], result.lines


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
    output.write_bytes(
        encrypted_pdf(text_pdf([lines]), user="open-sesame", owner="owner-pw", aes=True)
    )
    report = tmp_path / "r.pdf"
    assert (
        main(
            [
                "compare",
                str(original),
                str(output),
                "--suspect-password",
                "open-sesame",
                "--report",
                str(report),
            ]
        )
        == 0
    )
    capsys.readouterr()
    assert (
        main(
            ["verify", str(report), str(original), str(output), "--suspect-password", "open-sesame"]
        )
        == 0
    )
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
    run = {"capture_output": True, "timeout": 120, "env": {**os.environ}}
    made = subprocess.run(
        [sys.executable, "-m", "memdiff", "compare", str(original), "-", "--report", str(report)],
        input=pasted,
        check=False,
        **run,
    )
    assert made.returncode == 0, made.stderr
    checked = subprocess.run(
        [sys.executable, "-m", "memdiff", "verify", str(report), str(original), "-"],
        input=pasted,
        check=False,
        **run,
    )
    assert checked.returncode == 0, checked.stderr
    assert checked.stdout.decode().strip().endswith("verified")
    changed = subprocess.run(
        [sys.executable, "-m", "memdiff", "verify", str(report), str(original), "-"],
        input=pasted + b"\nOne more line.\n",
        check=False,
        **run,
    )
    assert changed.returncode == 3
    assert b"Output: standard input is NOT the file the report was made from" in changed.stdout


def _with_record(report, target, change):
    """A copy of ``report`` whose memdiff record was edited by ``change`` (as someone editing the metadata would)."""
    import html
    import json
    import re

    with pikepdf.open(report) as pdf:
        packet = pdf.Root.Metadata.read_bytes().decode("utf-8")
        found = re.search(r"(<memdiff:record>)(.*?)(</memdiff:record>)", packet, re.DOTALL)
        record = json.loads(html.unescape(found.group(2)))
        change(record)
        body = html.escape(json.dumps(record), quote=False)
        pdf.Root.Metadata.write(
            (packet[: found.start(2)] + body + packet[found.end(2) :]).encode("utf-8")
        )
        pdf.save(target)
    return target


@pytest.mark.parametrize(
    ("label", "change", "said"),
    [
        ("no page digest", lambda r: r.pop("pages_sha256"), "no digest of the report's pages"),
        (
            "min_words 1",
            lambda r: r["parameters"].__setitem__("min_words", 1),
            "parameters are not valid",
        ),
        (
            "text parameter",
            lambda r: r["parameters"].__setitem__("casefold", "yes"),
            "casefold is of the wrong kind",
        ),
        (
            "parameters a string",
            lambda r: r.__setitem__("parameters", "min_words=8"),
            "holds no parameters",
        ),
        ("original a list", lambda r: r.__setitem__("original", []), "no SHA-256 for the original"),
        (
            "findings numbers",
            lambda r: r["outputs"][0].__setitem__("findings", [1, 2]),
            "not a list of positions",
        ),
        (
            "short digest",
            lambda r: r["outputs"][0].__setitem__("findings_sha256", "0"),
            "findings digest",
        ),
        ("no outputs", lambda r: r.__setitem__("outputs", []), "lists no outputs"),
    ],
)
def test_an_edited_record_is_named_damaged_and_does_not_verify(
    inputs, tmp_path, label, change, said
):
    original, output = inputs
    report, _ = make_report(original, output, tmp_path / "r.pdf")
    edited = _with_record(report, tmp_path / "edited.pdf", change)
    result = verify(edited, original, output)
    assert not result.ok
    assert "its memdiff record is damaged" in result.lines[0] and said in result.lines[0], (
        result.lines
    )
    assert result.lines[-1] == "NOT verified."


def test_a_changed_font_or_picture_does_not_verify(inputs, tmp_path):
    original, output = inputs
    report, _ = make_report(original, output, tmp_path / "r.pdf")
    result = verify(report, original, output)
    assert (
        "Pictures, fonts and page frames: they match the digest in the report's record."
        in result.lines
    )
    # The map by which a font's text reads back, changed: the words a reader copies would change.
    with pikepdf.open(report) as pdf:
        font = next(iter(pdf.pages[0].Resources.Font.values()))
        mapping = font.ToUnicode.read_bytes()
        first = mapping.index(b"beginbfchar\n") + len(b"beginbfchar\n")
        entry_end = mapping.index(b"\n", first)
        # The first character's meaning changed to "B": its words would read back otherwise.
        font.ToUnicode.write(mapping[: entry_end - 6] + b"<0042>" + mapping[entry_end:])
        pdf.save(tmp_path / "font.pdf")
    result = verify(tmp_path / "font.pdf", original, output)
    assert not result.ok
    assert any(
        line.startswith("Pictures, fonts and page frames: CHANGED") for line in result.lines
    ), result.lines
    assert "the report's pictures, fonts or page frames were changed" in result.lines[-1]


def test_a_record_from_before_the_resources_digest_still_verifies_and_says_what_was_not_checked(
    inputs, tmp_path
):
    original, output = inputs
    report, _ = make_report(original, output, tmp_path / "r.pdf")
    older = _with_record(
        report,
        tmp_path / "older.pdf",
        lambda r: (r.pop("resources_sha256"), r.pop("record_sha256")),  # written before either
    )
    result = verify(older, original, output)
    assert result.ok, result.lines
    assert any("the record holds no digest of them" in line for line in result.lines)


def test_a_record_edited_within_its_shape_is_named_edited(inputs, tmp_path):
    original, output = inputs
    report, _ = make_report(original, output, tmp_path / "r.pdf")
    edited = _with_record(
        report, tmp_path / "edited.pdf", lambda r: r["parameters"].__setitem__("min_words", 30)
    )
    result = verify(edited, original, output)
    assert not result.ok
    assert "edited after memdiff wrote it" in result.lines[0], result.lines


@pytest.mark.parametrize("change", ["white box", "note", "crop", "rotate"])
def test_a_page_covered_cropped_or_turned_does_not_verify(inputs, tmp_path, change):
    original, output = inputs
    report, _ = make_report(original, output, tmp_path / "r.pdf")
    with pikepdf.open(report) as pdf:
        page = pdf.pages[0]
        if change == "crop":
            page.obj.CropBox = pikepdf.Array([0, 400, 612, 792])  # half the page hidden
        elif change == "rotate":
            page.obj.Rotate = 180
        else:
            annotation = pikepdf.Dictionary(
                Type=pikepdf.Name.Annot,
                Subtype=pikepdf.Name.Square if change == "white box" else pikepdf.Name.FreeText,
                Rect=pikepdf.Array([60, 400, 550, 700]),
                IC=pikepdf.Array([1, 1, 1]),
                Contents=pikepdf.String("NOT A COPY"),
            )
            page.obj.Annots = pdf.make_indirect(pikepdf.Array([pdf.make_indirect(annotation)]))
        pdf.save(tmp_path / "changed.pdf")
    result = verify(tmp_path / "changed.pdf", original, output)
    assert not result.ok
    assert any(line.startswith("Pictures, fonts and page frames: CHANGED") for line in result.lines)


def test_different_subsets_of_one_face_have_different_tags_in_different_reports(inputs, tmp_path):
    original, output = inputs
    first, _ = make_report(original, output, tmp_path / "a.pdf")
    other = tmp_path / "other.txt"
    other.write_text(
        "Zebras quietly vexed the jumping wizard; 0123456789 ÆØÅ æøå.\n" * 3, encoding="utf-8"
    )
    second, _ = make_report(original, other, tmp_path / "b.pdf")

    def sans_names(path):
        with pikepdf.open(path) as pdf:
            return {
                str(font.BaseFont)
                for page in pdf.pages
                for font in page.Resources.Font.values()
                if str(font.BaseFont).endswith("+DejaVuSans")
            }

    assert sans_names(first) and sans_names(second)
    assert not sans_names(first) & sans_names(second)


def test_a_small_edit_before_the_spans_reads_as_spans_shifted_not_moved_or_lost(inputs, tmp_path):
    # A word added at the start of the output shifts every span by its length: they are found again,
    # in the same order, at other character positions; "another place" would read as moved.
    original, output = inputs
    report, comparison = make_report(original, output, tmp_path / "r.pdf")
    output.write_text("Note. " + output.read_text(encoding="utf-8"), encoding="utf-8")
    result = verify(report, original, output)
    assert not result.ok
    n = len(comparison.spans)
    assert any(
        f"Of the report's {n} spans, {n} were found again ({n} at other character positions in the "
        "output, as the text before them is longer or shorter now) and 0 were not" in line
        for line in result.lines
    ), result.lines
    assert not any("another place" in line for line in result.lines)


def test_spans_found_again_in_another_order_are_said_to_be_at_another_place():
    # Two paragraphs of the output swapped: both spans are found again, each where the other was.
    first, second = _span("exact", 0, 100, 20, at=0), _span("exact", 500, 600, 20, at=200)
    third = _span("exact", 900, 960, 12, at=400)
    now = [
        [*second[:3], 0, 100, 20],
        [*first[:3], 200, 300, 20],
        [*third[:3], 402, 462, 12],
    ]
    said = _difference([first, second, third], now, "text")
    assert said.startswith(
        "Of the report's 3 spans, 3 were found again (1 at another character position in the output, as "
        "the text before it is longer or shorter now, and 2 at another place in the output, in another "
        "order among the spans) and 0 were not"
    ), said


# --------------------------------------------------------------------------- spans found changed


def _span_starting(comparison, output, words, kind="exact"):
    """The report's span of ``kind`` whose copied text in the output begins with ``words``."""
    text = output.read_text(encoding="utf-8")
    return next(
        s
        for s in comparison.spans
        if s.kind == kind and text[s.suspect.start : s.suspect.end].startswith(words)
    )


@pytest.mark.parametrize(
    ("edit", "old", "new"),
    [
        # The span turns near; its exact part now starts after the edited word.
        ("a word inside it", "actually took a watch", "actually pulled a watch"),
        # The exact span loses its last word.
        ("its last word", "a watch to take out of it.", "a watch to take out of its case."),
    ],
)
def test_one_word_edited_in_a_long_span_reads_as_found_changed_not_lost(
    inputs, tmp_path, capsys, edit, old, new
):
    from memdiff.cli import main

    original, output = inputs
    report, comparison = make_report(original, output, tmp_path / "r.pdf")
    n = len(comparison.spans)
    span = _span_starting(comparison, output, "But when the Rabbit actually took a watch")
    assert span.words > 40  # a long copied span, and no near span covers it
    assert main(["verify", str(report), str(original), str(output)]) == 0  # untouched: verified
    assert capsys.readouterr().out.strip().endswith("verified")

    text = output.read_text(encoding="utf-8")
    assert text.count(old) == 1 and span.suspect.start <= text.index(old) < span.suspect.end
    output.write_text(text.replace(old, new), encoding="utf-8")
    assert main(["verify", str(report), str(original), str(output)]) == 3
    said = capsys.readouterr().out
    assert f"Of the report's {n} spans, {n - 1} were found again" in said, said
    assert ", 1 was found changed (its words or kind differ" in said, said
    assert " and 0 were not; 0 spans were found that the report does not list" in said, said
    assert "1 was not" not in said


def test_a_span_split_in_two_by_one_edited_word_is_one_span_found_changed_and_nothing_new(
    inputs, tmp_path, capsys
):
    from memdiff.cli import main

    original, output = inputs
    report, comparison = make_report(original, output, tmp_path / "r.pdf")
    text = output.read_text(encoding="utf-8")
    old = "I'll look first,\" she said"
    assert text.count(old) == 1
    split = next(
        s
        for s in comparison.spans
        if s.suspect.start < text.index(old) < s.suspect.end and s.kind == "exact"
    )
    output.write_text(text.replace(old, "I'll look XYZZY she said"), encoding="utf-8")
    rerun = compare(ingest.load(original), ingest.load(output))
    halves = [
        s
        for s in rerun.spans
        if s.kind == "exact"
        and split.original.start <= s.original.start < s.original.end <= split.original.end
    ]
    assert len(halves) == 2  # the edited word split the recorded span in two
    assert main(["verify", str(report), str(original), str(output)]) == 3
    said = capsys.readouterr().out
    assert (
        f"1 was found changed (its words or kind differ, and it is now found as 2 spans) and 0 were not; "
        f"0 spans were found that the report does not list ({len(rerun.spans)} in all now)." in said
    ), said


def test_a_span_cut_out_of_the_output_is_not_found_while_the_near_span_around_it_is_changed(
    inputs, tmp_path
):
    original, output = inputs
    report, comparison = make_report(original, output, tmp_path / "r.pdf")
    n = len(comparison.spans)
    opening = "Suddenly she came upon a little three-legged table"
    cut = _span_starting(comparison, output, opening)
    around = _span_starting(comparison, output, opening, kind="near")
    assert around.original.start <= cut.original.start < cut.original.end < around.original.end
    text = output.read_text(encoding="utf-8")
    output.write_text(text[: cut.suspect.start] + text[cut.suspect.end :], encoding="utf-8")
    result = verify(report, original, output)
    assert not result.ok
    assert any(
        line.startswith(f"Of the report's {n} spans, {n - 2} were found again")
        and line.endswith(
            ", 1 was found changed (its words or kind differ) and 1 was not; "
            f"0 spans were found that the report does not list ({n - 1} in all now)."
        )
        for line in result.lines
    ), result.lines


def _span(kind, start, end, words, at=None):
    """A text span's key as a report records it; ``at`` is where it sits in the output."""
    at = start if at is None else at
    return [kind, start, end, at, at + (end - start), words]


def test_an_unmatched_span_pairs_with_the_rerun_span_that_overlaps_it_most_and_the_other_half_is_its_piece():
    recorded = [_span("exact", 100, 300, 40)]
    small, large = _span("exact", 100, 150, 10), _span("exact", 160, 300, 28)
    match = _match_findings(recorded, [small, large], "text")
    assert match.changed == ((tuple(recorded[0]), tuple(large)),)
    # The span was split in two by one edited word: the smaller half is part of the change, not new.
    assert match.pieces == ((tuple(recorded[0]), tuple(small)),)
    assert match.new == () and match.lost == ()
    assert _difference(recorded, [small, large], "text") == (
        "Of the report's 1 span, 0 were found again, 1 was found changed (its words or kind differ, "
        "and it is now found as 2 spans) and 0 were not; 0 spans were found that the report does not "
        "list (2 in all now)."
    )


def test_a_leftover_rerun_span_is_new_unless_it_lies_over_a_span_found_changed():
    recorded = [
        _span("exact", 0, 100, 20),  # found again where it was
        _span("exact", 200, 400, 40),  # split by an edited word into two halves
        _span("near", 500, 700, 40),  # now exact and shorter, with a second piece after a gap
    ]
    found = [
        _span("exact", 0, 100, 20),
        _span("near", 50, 90, 8),  # over a span found again, not over a changed one: new
        _span("exact", 200, 290, 18),
        _span("exact", 300, 400, 20),
        _span("exact", 380, 520, 28),  # 20 over each changed span: the first recorded
        _span("exact", 520, 640, 24),
        _span("exact", 650, 700, 10),
        _span("exact", 900, 1000, 20),  # over nothing recorded: new
    ]
    match = _match_findings(recorded, found, "text")
    assert [(was[1], now[1]) for was, now in match.changed] == [(200, 300), (500, 520)]
    assert [(was[1], now[1]) for was, now in match.pieces] == [(200, 200), (200, 380), (500, 650)]
    assert [item[1] for item in match.new] == [50, 900]
    assert _difference(recorded, found, "text") == (
        "Of the report's 3 spans, 1 was found again, 2 were found changed (their words or kind differ, "
        "and they are now found as 5 spans) and 0 were not; 2 spans were found that the report does not "
        "list (8 in all now)."
    )


def test_an_overlap_tie_goes_to_the_rerun_span_that_starts_first_whatever_their_order():
    recorded = [_span("exact", 100, 200, 20)]
    first, second = _span("exact", 60, 150, 18), _span("near", 150, 240, 18)
    for found in ([first, second], [second, first]):
        match = _match_findings(recorded, found, "text")
        assert match.changed == ((tuple(recorded[0]), tuple(first)),)
        assert match.pieces == ((tuple(recorded[0]), tuple(second)),) and match.new == ()


def test_each_rerun_span_is_found_changed_for_one_recorded_span_only():
    # The near span (largest overlap) takes the near one; the exact span inside it is lost.
    recorded = [_span("exact", 100, 200, 20), _span("near", 100, 400, 60)]
    found = [_span("near", 100, 380, 56)]
    match = _match_findings(recorded, found, "text")
    assert match.changed == ((tuple(recorded[1]), tuple(found[0])),)
    assert match.lost == (tuple(recorded[0]),)
    assert _difference(recorded, found, "text") == (
        "Of the report's 2 spans, 0 were found again, 1 was found changed (its words or kind differ) "
        "and 1 was not; 0 spans were found that the report does not list (1 in all now)."
    )


def test_moved_spans_are_paired_before_changed_ones_and_touching_ranges_do_not_overlap():
    recorded = [
        _span("exact", 0, 100, 20),  # found again at the same place
        _span("exact", 200, 300, 20),  # moved: one word added before it
        _span("exact", 400, 500, 20),  # shortened by its last word
        _span("near", 600, 700, 20),  # now exact
        _span("exact", 800, 900, 20),  # gone; the new span beside it only touches it
    ]
    found = [
        _span("exact", 0, 100, 20),
        _span("exact", 200, 300, 20, at=205),
        _span("exact", 400, 495, 19, at=405),
        _span("exact", 600, 700, 20, at=605),
        _span("exact", 900, 1000, 20, at=905),
    ]
    match = _match_findings(recorded, found, "text")
    assert [pair[0][1] for pair in match.moved] == [200]
    assert [(was[1], now[1], now[2]) for was, now in match.changed] == [
        (400, 400, 495),
        (600, 600, 700),
    ]
    assert [item[1] for item in match.lost] == [800]
    assert [item[1] for item in match.new] == [900]
    assert _difference(recorded, found, "text") == (
        "Of the report's 5 spans, 2 were found again (1 at another character position in the output, "
        "as the text before it is longer or shorter now), 2 were found changed (their words or kind differ) and 1 was not; "
        "1 span was found that the report does not list (5 in all now)."
    )


def test_image_regions_are_never_found_changed_and_one_finding_reads_in_the_singular():
    recorded = [[0, 0, 10, 10, 0, 0, 10, 10, 0.9]]
    found = [
        [0, 0, 10, 10, 0, 0, 10, 10, 0.8]
    ]  # overlapping, but a region is found again only when equal
    assert _difference(recorded, found, "image") == (
        "Of the report's 1 region, 0 were found again and 1 was not; 1 region was found that the "
        "report does not list (1 in all now)."
    )
    same = [_span("exact", 0, 100, 20)]
    assert (
        _difference(same, same, "text") == "The same 1 span was found; the summary figures differ."
    )


# --------------------------------------------------------------------------- several outputs of a batch report


@pytest.fixture
def batch(tmp_path):
    """A batch report of three outputs of the sample original, and the four files it was made from."""
    original = tmp_path / "novel.txt"
    shutil.copyfile(resource_path("samples", "original.txt"), original)
    copied = resource_path("samples", "model-output.txt").read_text(encoding="utf-8")
    contents = {
        "chat-1.txt": copied,
        "chat-2.txt": resource_path("samples", "unrelated-output.txt").read_text(encoding="utf-8"),
        "chat-3.txt": copied[: len(copied) // 2] + "\n\nAnd that is where I will stop.\n",
    }
    paths = []
    for name, content in contents.items():
        (tmp_path / name).write_text(content, encoding="utf-8")
        paths.append(tmp_path / name)
    read = ingest.load(original)
    items = [(s, compare(read, s)) for s in (ingest.load(p) for p in paths)]
    report = write_batch_report(read, items, tmp_path / "batch.pdf")
    return report, original, paths


def test_one_output_of_a_batch_report_verifies_for_that_output_only(batch, capsys):
    from memdiff.cli import main

    report, original, paths = batch
    result = verify(report, original, paths[2])
    assert result.ok, result.lines
    assert result.lines[-1] == "verified: output 3 of 3; the other 2 were not checked."
    assert main(["verify", str(report), str(original), str(paths[0])]) == 0
    assert (
        capsys.readouterr().out.splitlines()[-1]
        == "verified: output 1 of 3; the other 2 were not checked."
    )


def test_several_outputs_of_a_batch_report_are_checked_in_one_run(batch):
    report, original, paths = batch
    result = verify_outputs(report, original, paths)
    assert result.ok, result.lines
    assert result.lines[-1] == "verified: all 3 outputs of the report."
    for k, path in enumerate(paths, start=1):
        assert f"Output: {path.name}: SHA-256 matches the report (output {k} of 3)" in "\n".join(
            result.lines
        )
        assert any(
            line.startswith(f"Findings (output {k} of 3): running the comparison again")
            for line in result.lines
        ), result.lines
    # The report and the original are read and said once, not once per output.
    assert sum(line.startswith("Original: ") for line in result.lines) == 1
    assert sum(line.startswith("Pages: ") for line in result.lines) == 1

    some = verify_outputs(report, original, [paths[2], paths[0]])
    assert some.ok
    assert some.lines[-1] == "verified: outputs 1 and 3 of 3; the other one was not checked."


def test_the_command_checks_several_outputs_or_their_folder(batch, tmp_path, capsys):
    from memdiff.cli import main

    report, original, paths = batch
    assert main(["verify", str(report), str(original), *map(str, paths[:2])]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "verified: outputs 1 and 2 of 3; the other one was not checked."
    # The folder also holds the novel, the report and its JSON: compare's rules leave them out, and say so.
    assert main(["verify", str(report), str(original), str(tmp_path)]) == 0
    said = capsys.readouterr()
    assert said.out.splitlines()[-1] == "verified: all 3 outputs of the report."
    assert "batch.json" in said.err and "batch.pdf" in said.err and "novel.txt" in said.err
    paths[1].write_text("Another answer altogether, written after the report.", encoding="utf-8")
    assert main(["verify", str(report), str(original), str(tmp_path)]) == 3
    assert capsys.readouterr().out.splitlines()[-1].startswith("NOT verified: output 2 (chat-2.txt)")


def test_an_output_that_does_not_verify_is_named_in_the_verdict(batch, tmp_path):
    report, original, paths = batch
    paths[1].write_text(
        paths[1].read_text(encoding="utf-8")
        + "\n"
        + resource_path("samples", "model-output.txt").read_text(encoding="utf-8"),
        encoding="utf-8",
    )
    stranger = tmp_path / "stranger.txt"
    stranger.write_text("Nothing of the kind was ever in this exhibit.\n", encoding="utf-8")
    result = verify_outputs(report, original, [paths[0], paths[1]])
    assert not result.ok
    assert result.lines[-1] == (
        "NOT verified: output 2 (chat-2.txt): the output differs, the findings differ. "
        "Checked: outputs 1 and 2 of 3; the other one was not checked."
    )
    with_stranger = verify_outputs(report, original, [stranger, *paths])
    assert not with_stranger.ok
    assert with_stranger.lines[-1] == (
        "NOT verified: stranger.txt: the output is not among the report's outputs; output 2 "
        "(chat-2.txt): the output differs, the findings differ. Checked: all 3 outputs of the report."
    )
    alone = verify(report, original, stranger)
    assert alone.lines[-1] == (
        "NOT verified: the output is not among the report's outputs. "
        "Checked: none of the report's 3 outputs."
    )


def test_outputs_checked_are_named_by_number_with_runs_as_ranges():
    assert _numbered([6]) == "output 6"
    assert _numbered([1, 3]) == "outputs 1 and 3"
    assert _numbered([1, 2]) == "outputs 1 and 2"
    assert _numbered([1, 2, 3, 4, 7, 9]) == "outputs 1 to 4, 7 and 9"
    assert _numbered([2, 3, 4, 10, 11, 12]) == "outputs 2 to 4 and 10 to 12"


def test_the_original_and_the_output_given_the_other_way_round_are_named_so(
    inputs, tmp_path, capsys
):
    from memdiff.cli import main

    original, output = inputs
    report, _ = make_report(original, output, tmp_path / "r.pdf")
    said = (
        "The original and the output were given the other way round: the report was made from "
        "novel.txt as the original and chat.txt as an output; give the original first, then the output."
    )
    with pytest.raises(InputError) as raised:
        verify(report, output, original)
    assert str(raised.value) == said
    assert main(["verify", str(report), str(output), str(original)]) == 2
    assert capsys.readouterr().err.strip().endswith(said)
    # The same file as both sides is no swap: it is checked, and the original is named as changed.
    result = verify(report, output, output)
    assert not result.ok
    assert any(line.startswith("Original: chat.txt is NOT the file") for line in result.lines)


def test_a_batch_output_given_as_the_original_is_named_as_swapped(batch):
    report, original, paths = batch
    with pytest.raises(
        InputError, match="the report was made from novel.txt as the original and chat-2.txt"
    ):
        verify_outputs(report, paths[1], [paths[0], original])


# --------------------------------------------------------------------------- the document information

EXAMINER = "Dr. Zoë Ærø & Søn <QC>"
TITLE = "Smith & Jones v. Model: comparison"


def _report_with_front(inputs, tmp_path, **front):
    from memdiff.report import FrontMatter

    original, output = inputs
    read_original, suspect = ingest.load(original), ingest.load(output)
    return write_report(
        compare(read_original, suspect),
        read_original,
        suspect,
        tmp_path / "r.pdf",
        front=FrontMatter(**front),
    )


def _edited(report, target, *, info=None, xmp=None):
    """A copy of ``report`` with Info fields set (``info``) and text of its XMP packet replaced (``xmp``)."""
    with pikepdf.open(report) as pdf:
        for name, value in (info or {}).items():
            pdf.trailer.Info[pikepdf.Name("/" + name)] = pikepdf.String(value)
        if xmp:
            packet = pdf.Root.Metadata.read_bytes().decode("utf-8")
            for old, new in xmp.items():
                assert packet.count(old) == 1
                packet = packet.replace(old, new)
            pdf.Root.Metadata.write(packet.encode("utf-8"))
        pdf.save(target)
    return target


def test_the_document_information_memdiff_wrote_verifies(inputs, tmp_path):
    original, output = inputs
    written = _report_with_front(inputs, tmp_path, examiner=EXAMINER, title=TITLE)
    with pikepdf.open(written) as pdf:
        assert str(pdf.trailer.Info.Author) == EXAMINER  # the field this check is about
    report = _without_document_info(written, tmp_path / "older.pdf")  # a report from before the copy
    result = verify(report, original, output)
    assert result.ok, result.lines
    assert (
        "Document information (title, author, subject, keywords, dates): the document properties agree "
        "with their copy in the XMP metadata, and the subject with the record (the "
        "record keeps no copy of the title or author of its own, so an edit made to both copies alike "
        "would not show)."
    ) in result.lines


def test_an_edited_title_or_examiner_in_the_document_properties_does_not_verify(
    inputs, tmp_path, capsys
):
    from memdiff.cli import main

    original, output = inputs
    written = _report_with_front(inputs, tmp_path, examiner=EXAMINER, title=TITLE)
    # A report from before the record kept a copy: the two copies in the file are compared.
    report = _without_document_info(written, tmp_path / "older.pdf")
    edited = _edited(
        report,
        tmp_path / "info.pdf",
        info={"Title": "Report of no copying", "Author": "Mr. Nobody"},
    )
    assert main(["verify", str(edited), str(original), str(output)]) == 3
    said = capsys.readouterr().out.splitlines()
    assert (
        "Document information (title, author, subject, keywords, dates): CHANGED since memdiff wrote the "
        f'report: its title reads "Report of no copying" in the document properties but "{TITLE}" in the '
        f'XMP metadata; its author (the examiner) reads "Mr. Nobody" in the document properties but '
        f'"{EXAMINER}" in the XMP metadata.'
    ) in said, said
    assert said[-1] == (
        "NOT verified: the report's document information (its title, author, subject, keywords or dates) "
        "was changed."
    )


def test_an_examiner_added_where_memdiff_wrote_none_does_not_verify(inputs, tmp_path):
    original, output = inputs
    report = _report_with_front(inputs, tmp_path)
    with pikepdf.open(report) as pdf:
        assert "/Author" not in pdf.trailer.Info
    edited = _edited(report, tmp_path / "added.pdf", info={"Author": "Dr. Someone Else"})
    result = verify(edited, original, output)
    assert not result.ok
    assert any(
        'its author (the examiner) reads "Dr. Someone Else" where memdiff wrote none' in line
        for line in result.lines
    ), result.lines
    older = _edited(
        _without_document_info(report, tmp_path / "older.pdf"), tmp_path / "older-added.pdf",
        info={"Author": "Dr. Someone Else"},
    )
    assert any(
        'its author (the examiner) reads "Dr. Someone Else" in the document properties but "" in the '
        "XMP metadata" in line
        for line in verify(older, original, output).lines
    )


def test_a_subject_edited_in_both_copies_alike_does_not_verify(inputs, tmp_path):
    original, output = inputs
    report = _report_with_front(inputs, tmp_path, examiner=EXAMINER)
    written = "memdiff comparison of chat.txt with novel.txt"
    edited = _edited(
        report,
        tmp_path / "subject.pdf",
        info={"Subject": "A comparison of nothing"},
        xmp={f">{written}<": ">A comparison of nothing<"},
    )
    result = verify(edited, original, output)
    assert not result.ok
    assert any(
        f'its subject reads "A comparison of nothing" where memdiff wrote "{written}"' in line
        for line in result.lines
    ), result.lines


def _without_document_info(report, target):
    """``report`` as memdiff wrote it before its record kept a copy of the document information."""
    from memdiff.report.pdfa import record_digest

    def drop(record):
        del record["document_info"]
        record["record_sha256"] = record_digest(record)

    return _with_record(report, target, drop)


def test_a_record_keeping_the_document_information_shows_an_edit_made_to_both_copies(
    inputs, tmp_path
):
    original, output = inputs
    report = _report_with_front(inputs, tmp_path, examiner=EXAMINER, title=TITLE)
    result = verify(report, original, output)
    assert result.ok, result.lines
    assert (
        "Document information (title, author, subject, keywords, dates): as memdiff wrote them (the "
        "record keeps a copy)."
    ) in result.lines
    escaped = EXAMINER.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    both = _edited(
        report,
        tmp_path / "both.pdf",
        info={"Author": "Mr. Nobody"},
        xmp={f"<rdf:li>{escaped}</rdf:li>": "<rdf:li>Mr. Nobody</rdf:li>"},
    )
    result = verify(both, original, output)
    assert not result.ok
    assert any(
        f'its author (the examiner) reads "Mr. Nobody" where memdiff wrote "{EXAMINER}"' in line
        for line in result.lines
    ), result.lines
    only_xmp = _edited(
        report,
        tmp_path / "xmp.pdf",
        xmp={f">{TITLE.replace('&', '&amp;')}<": ">Another title<"},
    )
    result = verify(only_xmp, original, output)
    assert any(
        f'the XMP metadata\'s copy of its title reads "Another title" where memdiff wrote "{TITLE}"'
        in line
        for line in result.lines
    ), result.lines
    damaged = _with_record(
        report, tmp_path / "damaged.pdf", lambda r: r.__setitem__("document_info", {"Title": 3})
    )
    assert "copy of the document information" in verify(damaged, original, output).lines[0]


def test_a_title_with_a_carriage_return_agrees_with_its_xmp_copy(inputs, tmp_path):
    # XML reads a carriage return back as a line feed: that is no edit.
    original, output = inputs
    report = _report_with_front(
        inputs, tmp_path, examiner="A.\r\nExpert", title="Part one\rpart two"
    )
    result = verify(report, original, output)
    assert result.ok, result.lines


def test_a_title_with_a_control_character_still_verifies(inputs, tmp_path):
    # XML 1.0 cannot hold it: the XMP packet (and so the record) could not be read back.
    original, output = inputs
    report = _report_with_front(inputs, tmp_path, examiner="A.\x01Expert", title="Part\x02one")
    result = verify(report, original, output)
    assert result.ok, result.lines
    with pikepdf.open(report) as pdf:
        assert str(pdf.trailer.Info.Title) == "Partone" and str(pdf.trailer.Info.Author) == "A.Expert"


def test_identical_outputs_of_a_batch_are_each_their_own_output(tmp_path, capsys):
    """Two attempts giving the same answer are two outputs: checking both checks the whole exhibit."""
    from memdiff.cli import main

    original = tmp_path / "novel.txt"
    shutil.copyfile(resource_path("samples", "original.txt"), original)
    outs = tmp_path / "outs"
    outs.mkdir()
    answer = resource_path("samples", "model-output.txt").read_text(encoding="utf-8")
    for name in ("attempt-1.txt", "attempt-2.txt"):
        (outs / name).write_text(answer, encoding="utf-8")
    assert main(["compare", str(original), str(outs), "--batch-report", str(tmp_path / "batch.pdf")]) == 0
    capsys.readouterr()
    assert main(["verify", str(tmp_path / "batch.pdf"), str(original), str(outs)]) == 0
    said = capsys.readouterr().out.splitlines()
    assert said[-1] == "verified: all 2 outputs of the report."
    assert any(line.startswith("Output: attempt-1.txt: SHA-256 matches the report (output 1 of 2)") for line in said)
    assert any(line.startswith("Output: attempt-2.txt: SHA-256 matches the report (output 2 of 2)") for line in said)

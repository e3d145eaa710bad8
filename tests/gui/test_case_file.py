"""Case files: round trip, inputs found again, pasted text kept, changed inputs noticed."""

from __future__ import annotations

import dataclasses
import json

import pytest

from memdiff import ingest
from memdiff.errors import InputError
from memdiff.evidence import Parameters
from memdiff.gui import case_file


def _case(tmp_path, original, output):
    target = tmp_path / "cases" / "alice.memdiff"
    target.parent.mkdir()
    return target, case_file.Case(
        original=case_file.CaseInput.of(original, target),
        suspect=case_file.CaseInput.of(output, target),
        parameters=Parameters(min_words=12, near=False),
        front_matter={"case_title": "Doe v. Model", "bates_start": 100},
        provenance={"model": "ExampleLM", "attempts": 3},
        saved="2026-11-29T00:00:00Z",
    )


def test_round_trip(tmp_path, samples):
    original = ingest.load(samples["original"])
    output = ingest.load(samples["output"])
    target, case = _case(tmp_path, original, output)
    case_file.save_case(case, target)
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["schema"] == case_file.SCHEMA
    assert data["original"]["sha256"] == original.sha256
    assert data["original"]["path"] == str(samples["original"].resolve())
    assert data["parameters"]["min_words"] == 12
    again = case_file.read_case(target)
    assert again == case
    # Nothing but the case file is left in the folder (the write was atomic).
    assert [p.name for p in target.parent.iterdir()] == ["alice.memdiff"]


def test_pasted_text_is_kept_in_the_case(tmp_path, samples):
    original = ingest.load(samples["original"])
    pasted = ingest.load_text("Some words a model produced, pasted from a chat window.")
    target, case = _case(tmp_path, original, pasted)
    case_file.save_case(case, target)
    again = case_file.read_case(target)
    assert again.suspect is not None and again.suspect.path is None
    assert again.suspect.pasted_text == pasted.text
    assert ingest.load_text(again.suspect.pasted_text).sha256 == pasted.sha256


def test_inputs_are_found_relative_to_a_moved_case(tmp_path, samples):
    original = ingest.load(samples["original"])
    output = ingest.load(samples["output"])
    target, case = _case(tmp_path, original, output)
    moved = case_file.CaseInput(
        name=case.original.name, sha256=case.original.sha256, size_bytes=case.original.size_bytes,
        path=str(tmp_path / "gone" / "original.txt"), relative_path=case.original.relative_path,
    )
    assert moved.locate(target) == (target.parent / case.original.relative_path)
    assert moved.locate(target).resolve() == samples["original"].resolve()


def test_changed_input_gives_a_clear_sentence(tmp_path, samples):
    original = ingest.load(samples["original"])
    output = ingest.load(samples["output"])
    _, case = _case(tmp_path, original, output)
    assert case_file.change_warning("original work", case.original, original, case.saved) is None
    samples["original"].write_text(samples["original"].read_text(encoding="utf-8") + "\nAn added line.\n", encoding="utf-8")
    changed = ingest.load(samples["original"])
    warning = case_file.change_warning("original work", case.original, changed, case.saved)
    assert warning is not None
    assert "original.txt" in warning and "has changed since the case was saved" in warning
    assert original.sha256[:16] in warning and changed.sha256[:16] in warning


@pytest.mark.parametrize(
    ("content", "phrase"),
    [("not json at all", "not valid JSON"), ('{"schema": "something/else"}', "not a memdiff case file"),
     ('{"schema": "memdiff/case@1", "original": {"name": 1}}', "damaged")],
)
def test_bad_case_files_are_refused_with_a_sentence(tmp_path, content, phrase):
    path = tmp_path / "bad.memdiff"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InputError, match=phrase):
        case_file.read_case(path)


def test_missing_case_file(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        case_file.read_case(tmp_path / "nowhere.memdiff")


def test_a_damaged_case_says_what_is_wrong_in_words(tmp_path):
    path = tmp_path / "bad.memdiff"
    path.write_text('{"schema": "memdiff/case@1", "original": {"name": "a.txt", "size_bytes": 3}}', encoding="utf-8")
    with pytest.raises(InputError) as caught:
        case_file.read_case(path)
    message = str(caught.value)
    assert "the entry “sha256” is missing" in message
    assert "('" not in message and "save the case again" in message


def test_earlier_digests_survive_a_round_trip(tmp_path, samples):
    original = ingest.load(samples["original"])
    output = ingest.load(samples["output"])
    target, case = _case(tmp_path, original, output)
    recorded = case_file.CaseInput("original.txt", "ab" * 32, 10, path="/old/original.txt")
    now_input = case_file.CaseInput.of(original, target).replacing(recorded, "2026-11-01T10:00:00Z", "2026-11-29T10:00:00Z")
    assert [e.sha256 for e in now_input.earlier] == ["ab" * 32]
    assert now_input.earlier[0].recorded == "2026-11-01T10:00:00Z"
    # The same bytes again add nothing, but carry the history on.
    again = case_file.CaseInput.of(original, target).replacing(now_input, "2026-11-29T10:00:00Z", "2026-11-30T10:00:00Z")
    assert again.earlier == now_input.earlier
    case = dataclasses.replace(case, original=again)
    case_file.save_case(case, target)
    assert case_file.read_case(target) == case


def test_an_input_whose_name_is_not_utf8_is_saved_and_found_again(tmp_path, samples):
    import os
    import shutil

    odd = tmp_path / os.fsdecode(b"chat-\xff.txt")  # a name from a Latin-1 disk, say
    shutil.copyfile(samples["output"], odd)
    original = ingest.load(samples["original"])
    output = ingest.load(odd)
    target, case = _case(tmp_path, original, output)
    case_file.save_case(case, target)
    text = target.read_text(encoding="utf-8")
    assert "\\udcff" in text  # the undecodable byte kept as a JSON escape
    again = case_file.read_case(target)
    assert again == case
    assert again.suspect.path == str(odd.resolve())

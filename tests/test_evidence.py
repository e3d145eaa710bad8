"""The evidence model's JSON, its findings digest, and atomic output."""

from __future__ import annotations

import os

import pytest
from prose import AUSTEN

from memdiff.analyse import compare
from memdiff.atomic import atomic_output, write_text
from memdiff.errors import OutputError, SettingError
from memdiff.evidence import (
    Comparison,
    DocumentRecord,
    ImageRegion,
    ImageSummary,
    Parameters,
    fixed_moment,
)
from memdiff.ingest import load_text


def _comparison():
    suspect = "He wrote: it is a truth universally acknowledged, that a single man in possession of a good fortune."
    return compare(load_text(AUSTEN, "austen.txt"), load_text(suspect, "output.txt"))


def test_text_result_round_trips_through_json():
    result = _comparison()
    again = Comparison.from_json(result.to_json())
    assert again == result
    assert again.findings_digest() == result.findings_digest()


def test_image_result_round_trips_through_json():
    base = _comparison()
    image = Comparison(
        mode="image",
        parameters=Parameters(),
        original=base.original,
        suspect=base.suspect,
        summary=ImageSummary(
            match=True,
            verdict="partial copy",
            transform={"scale": 0.5, "rotation": 0.0, "dx": 10, "dy": 20, "mirrored": False},
            hashes={"phash": {"distance": 4, "bits": 64, "similarity": 0.9375}},
            matched_fraction_of_suspect=0.93,
            matched_fraction_of_original=0.41,
        ),
        regions=(ImageRegion((0, 0, 10, 10), (5, 5, 25, 25), 0.97),),
    )
    assert Comparison.from_json(image.to_json()) == image
    assert "spans" not in image.to_dict() and image.to_dict()["regions"][0]["suspect"] == [
        5,
        5,
        25,
        25,
    ]


def test_digest_changes_with_the_findings_and_not_with_the_time(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1700000000")
    first = _comparison()
    assert first.created == "2023-11-14T22:13:20Z"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1800000000")
    second = _comparison()
    assert first.findings_digest() == second.findings_digest()
    fewer = compare(
        load_text(AUSTEN, "austen.txt"),
        load_text("a single man in possession of a good fortune", "o"),
    )
    assert fewer.findings_digest() != first.findings_digest()


@pytest.mark.parametrize(
    "value", ["99999999999999999", "\u0661\u0662\u0663", "1.5", "yesterday", "-5"]
)
def test_a_source_date_epoch_that_is_no_moment_is_refused_in_one_sentence(monkeypatch, value):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", value)
    with pytest.raises(
        SettingError, match=r"^SOURCE_DATE_EPOCH is set to .*; correct it or unset it\.$"
    ):
        _comparison()


def test_an_empty_source_date_epoch_means_now(monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", " ")
    assert fixed_moment().year >= 2026


def test_a_text_document_always_states_its_pages_and_encoding(tmp_path):
    from reportlab.pdfgen.canvas import Canvas

    from memdiff.ingest import load

    path = tmp_path / "one.pdf"
    canvas = Canvas(str(path))
    canvas.drawString(72, 720, "A page of text in a PDF file.")
    canvas.save()
    record = DocumentRecord.of(load(path)).to_dict()
    assert record["encoding"] is None and record["pages"] == 1
    pasted = DocumentRecord.of(load_text("Pasted words.", "pasted")).to_dict()
    assert pasted["pages"] is None and pasted["encoding"] is not None
    # A record written before the key was always stated still reads back.
    older = {k: v for k, v in record.items() if k != "encoding"}
    assert DocumentRecord.from_dict(older) == DocumentRecord.of(load(path))


def test_foreign_json_is_refused():
    with pytest.raises(ValueError, match="not a memdiff result"):
        Comparison.from_dict({"schema": "something/else@1"})


def test_atomic_output_replaces_only_on_success(tmp_path):
    target = tmp_path / "report.json"
    write_text(target, "first\n")
    with pytest.raises(RuntimeError), atomic_output(target) as handle:
        handle.write(b"half of the second")
        raise RuntimeError("crash in the middle of writing")
    assert target.read_text() == "first\n"
    assert sorted(os.listdir(tmp_path)) == ["report.json"]
    write_text(target, "second\n")
    assert target.read_text() == "second\n"
    assert sorted(os.listdir(tmp_path)) == ["report.json"]


def test_unwritable_folder_gives_a_clear_sentence(tmp_path):
    with pytest.raises(OutputError, match="Cannot write"):
        write_text(tmp_path / "missing" / "out.json", "x")


def test_page_labels_travel_with_the_record_and_name_pages_as_printed():
    record = DocumentRecord(
        name="book.pdf", sha256="0" * 64, size_bytes=10, media_type="application/pdf", pages=5,
        characters=100, words=20, page_labels=("i", "ii", "1", "", "A-1"),
    )
    d = record.to_dict()
    assert d["page_labels"] == ["i", "ii", "1", "", "A-1"]
    assert list(d).index("page_labels") == list(d).index("words") + 1  # with the figures, before the notes
    assert DocumentRecord.from_dict(d) == record
    assert record.printed_pages((1,)) == "i"
    assert record.printed_pages((2, 3)) == "ii–1"
    assert record.printed_pages((3, 4)) is None  # page 4 bears no number
    assert record.printed_pages((5, 6)) is None  # beyond the labels
    assert record.printed_pages(None) is None
    plain = DocumentRecord.from_dict({k: v for k, v in d.items() if k != "page_labels"})
    assert plain.page_labels == () and "page_labels" not in plain.to_dict()
    assert plain.printed_pages((1, 2)) is None


def test_a_share_is_never_shown_as_none_or_all_of_it_unless_it_is():
    from memdiff.evidence import percent_text
    from memdiff.text import _ratio

    assert [percent_text(x) for x in (0.0, 0.0008, 0.001, 0.687, 0.999, 0.9996, 0.9999, 1.0)] == [
        "0.0%", "0.08%", "0.1%", "68.7%", "99.9%", "99.96%", "99.99%", "100.0%",
    ]
    assert (percent_text(0.99999), percent_text(0.000001)) == ("99.99%", "0.01%")  # image fractions too
    assert _ratio(2448, 2449) == 0.9996 and percent_text(_ratio(2448, 2449)) == "99.96%"
    assert _ratio(99_999, 100_000) == 0.9999  # rounding to four places would say 1.0: all of it
    assert _ratio(1, 200_000) == 0.0001  # and 0.0: none of it
    assert (_ratio(0, 10), _ratio(10, 10), _ratio(0, 0)) == (0.0, 1.0, 0.0)

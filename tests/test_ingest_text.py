"""Plain-text ingest: encodings, line ends, identity figures, and clear refusals."""

from __future__ import annotations

import codecs
import hashlib

import pytest

from memdiff.errors import InputError
from memdiff.ingest import load, load_text, sniff

TEXT = "\u201cCaf\u00e9 cr\u00e8me,\u201d she said \u2014 na\u00efve as ever.\nSecond line."


@pytest.mark.parametrize(
    ("encoding", "prefix", "expected"),
    [
        ("utf-8", b"", "utf-8"),
        ("utf-8", codecs.BOM_UTF8, "utf-8"),
        ("utf-16-le", codecs.BOM_UTF16_LE, "utf-16-le"),
        ("utf-16-be", codecs.BOM_UTF16_BE, "utf-16-be"),
        ("cp1252", b"", "windows-1252"),
    ],
)
def test_encodings_are_detected_and_recorded(write, encoding, prefix, expected):
    data = prefix + TEXT.encode(encoding)
    path = write("in.txt", data)
    doc = load(path)
    assert doc.text == TEXT
    assert doc.encoding == expected
    assert doc.sha256 == hashlib.sha256(data).hexdigest()
    assert doc.size_bytes == len(data)
    assert doc.media_type == "text/plain"
    assert doc.words == 9
    assert doc.pages is None


def test_utf16_without_bom_is_recognised(write):
    path = write("nobom.txt", "Plain English text saved as UTF-16 without a byte-order mark.".encode("utf-16-le"))
    doc = load(path)
    assert doc.encoding == "utf-16-le"
    assert doc.text.startswith("Plain English text")


def test_latin1_bytes_undefined_in_cp1252_fall_back(write):
    path = write("latin.txt", b"Gr\xfc\xdfe \x81 aus K\xf6ln")
    doc = load(path)
    assert doc.encoding == "iso-8859-1"
    assert doc.text == "Gr\u00fc\u00dfe \x81 aus K\u00f6ln"


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_line_ends_become_lf(write, newline):
    path = write("dos.txt", "one two\nthree four\n".replace("\n", newline))
    doc = load(path)
    assert doc.text == "one two\nthree four\n"
    assert any("Line ends" in note for note in doc.notes)


def test_markdown_is_read_as_text(write):
    doc = load(write("notes.md", "# Title\n\nSome *emphasis* here.\n"))
    assert doc.media_type == "text/markdown"
    assert doc.text.startswith("# Title")


def test_pasted_text_gets_an_identity():
    doc = load_text("pasted from a chat window\r\n", "pasted text")
    assert doc.text == "pasted from a chat window\n"
    assert doc.sha256 == hashlib.sha256(b"pasted from a chat window\r\n").hexdigest()
    assert doc.path is None


@pytest.mark.parametrize(
    ("content", "phrase"),
    [
        (b"", "is empty"),
        (b"   \n\t\n", "contains no text"),
        (bytes(range(256)) * 8, "binary data"),
        (b"PK\x03\x04not really a zip", "ZIP archive"),
    ],
)
def test_bad_text_inputs_get_one_clear_sentence(write, content, phrase):
    path = write("bad.txt", content)
    with pytest.raises(InputError) as info:
        load(path)
    message = str(info.value)
    assert phrase in message
    assert "bad.txt" in message
    assert "\n" not in message


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        load(tmp_path / "absent.txt")
    with pytest.raises(InputError, match="is a folder"):
        load(tmp_path)


def test_sniffing_goes_by_content_not_name():
    assert sniff(b"%PDF-1.7\n...", "story.txt") == "application/pdf"
    assert sniff(b"\x89PNG\r\n\x1a\n....", "story.txt") == "image/png"
    assert sniff(b"BMW and Audi are car makers.", "cars.bmp") == "text/plain"
    assert sniff(b"<!DOCTYPE html><html><body>x</body></html>", "page") == "text/html"
    assert sniff(b"{\\rtf1\\ansi hello}", "letter.txt") == "application/rtf"


def test_input_file_is_not_modified(write):
    path = write("keep.txt", TEXT)
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    load(path)
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before


def test_oversized_text_is_refused_before_it_is_read(tmp_path, monkeypatch):
    import memdiff.ingest as ingest
    from memdiff.errors import LimitExceeded

    monkeypatch.setattr(ingest, "MAX_TEXT_FILE_BYTES", 1000)
    path = tmp_path / "huge.txt"
    path.write_bytes(b"word " * 1000)
    with pytest.raises(LimitExceeded, match="limit of 0 MB for a text file") as info:
        load(path)
    assert "huge.txt" in str(info.value)


def test_extracted_text_above_the_character_limit_is_refused(write, monkeypatch):
    import memdiff.ingest as ingest
    from memdiff.errors import LimitExceeded

    monkeypatch.setattr(ingest, "MAX_TEXT_CHARACTERS", 100)
    with pytest.raises(LimitExceeded, match="above memdiff's limit of 100"):
        load(write("long.txt", "word " * 50))


def test_a_file_that_changes_while_read_is_refused(write, monkeypatch):
    import os as _os

    path = write("growing.txt", "first version of the text")
    real_fstat = _os.fstat
    calls = []

    def fstat_that_sees_a_writer(fd):
        result = real_fstat(fd)
        calls.append(result)
        if len(calls) == 2:  # the check after reading: pretend another program wrote meanwhile
            path.write_text("second, longer version of the text")
            return real_fstat(fd)
        return result

    monkeypatch.setattr("memdiff.ingest.os.fstat", fstat_that_sees_a_writer)
    with pytest.raises(InputError, match="changed while memdiff was reading it"):
        load(path)


def test_loading_a_pdf_reports_pages_and_can_be_cancelled(tmp_path):
    from reportlab.pdfgen import canvas

    from memdiff.errors import Cancelled
    from memdiff.progress import Progress

    path = tmp_path / "three.pdf"
    pdf = canvas.Canvas(str(path))
    for n in range(3):
        pdf.drawString(72, 720, f"Page {n + 1} of a short document with some words on it.")
        pdf.showPage()
    pdf.save()

    class Watcher(Progress):
        def __init__(self, cancel: bool) -> None:
            self.messages: list[str] = []
            self.cancel = cancel

        def report(self, fraction: float, message: str = "") -> None:
            self.messages.append(message)

        def is_cancelled(self) -> bool:
            return self.cancel

    watcher = Watcher(cancel=False)
    assert load(path, progress=watcher).pages == 3
    assert any("page" in m.lower() for m in watcher.messages)
    with pytest.raises(Cancelled):
        load(path, progress=Watcher(cancel=True))

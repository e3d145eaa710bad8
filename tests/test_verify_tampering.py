"""`verify` on reports changed after memdiff wrote them: it names exactly what changed, and nothing else.

Each test takes a report memdiff wrote, changes it with pikepdf as someone
handling the exhibit might (a password, a page removed or swapped, a
bookmark renamed, page labels, a JavaScript action), and checks what verify
says, what it does not say, and its exit status.
"""

from __future__ import annotations

import html
import json
import re
import shutil

import pikepdf
import pytest
from memdiff.resources import path as resource_path

from memdiff import ingest
from memdiff.analyse import compare
from memdiff.cli import main
from memdiff.errors import InputError
from memdiff.report import verify, write_report
from memdiff.report.pdfa import read_record

RESOURCES_CLAIM = "Pictures, fonts and page frames: CHANGED"


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    """A report memdiff wrote (several pages, bookmarks) and its two inputs, shared by the module's tests."""
    folder = tmp_path_factory.mktemp("written")
    original, output = folder / "novel.txt", folder / "chat.txt"
    shutil.copyfile(resource_path("samples", "original.txt"), original)
    shutil.copyfile(resource_path("samples", "model-output.txt"), output)
    first, suspect = ingest.load(original), ingest.load(output)
    report = write_report(compare(first, suspect), first, suspect, folder / "r.pdf")
    with pikepdf.open(report) as pdf:
        assert len(pdf.pages) >= 4 and "/Outlines" in pdf.Root
    return report, original, output


def _changed(report, target, change):
    """A copy of ``report`` saved after ``change(pdf)``, as an editing tool would save it."""
    with pikepdf.open(report) as pdf:
        change(pdf)
        pdf.save(target)
    return target


def _run(report, original, output, capsys):
    """The command's exit status and what it printed (standard output and error)."""
    status = main(["verify", str(report), str(original), str(output)])
    printed = capsys.readouterr()
    return status, printed.out, printed.err


def _older(report, target, *keys):
    """A copy whose record lacks ``keys``, as a report written before memdiff recorded them (and its own digest)."""
    with pikepdf.open(report) as pdf:
        packet = pdf.Root.Metadata.read_bytes().decode("utf-8")
        found = re.search(r"(<memdiff:record>)(.*?)(</memdiff:record>)", packet, re.DOTALL)
        record = json.loads(html.unescape(found.group(2)))
        for key in (*keys, "record_sha256"):
            record.pop(key)
        body = html.escape(json.dumps(record), quote=False)
        pdf.Root.Metadata.write((packet[: found.start(2)] + body + packet[found.end(2) :]).encode())
        pdf.save(target)
    return target


# --------------------------------------------------------------------------- a report that cannot be opened


@pytest.mark.parametrize("owner", ["own", "usr"])
def test_a_password_protected_report_is_one_sentence_and_bad_input(written, tmp_path, capsys, owner):
    report, original, output = written
    locked = tmp_path / "locked.pdf"
    with pikepdf.open(report) as pdf:
        pdf.save(locked, encryption=pikepdf.Encryption(owner=owner, user="usr", R=6))
    expected = (
        "locked.pdf is password-protected, and memdiff never protects the reports it writes, so it is not "
        "a memdiff report as memdiff wrote it (or it was encrypted afterwards); give the report PDF as "
        "memdiff wrote it."
    )
    with pytest.raises(InputError) as raised:
        verify(locked, original, output)
    assert str(raised.value) == expected
    status, out, err = _run(locked, original, output, capsys)
    assert status == 2
    assert err.strip() == f"memdiff: {expected}" and "internal error" not in err and out == ""


def test_a_report_encrypted_with_an_owner_password_alone_still_verifies(written, tmp_path, capsys):
    # Anyone can open it without a password, and the pages are the same: nothing to refuse.
    report, original, output = written
    with pikepdf.open(report) as pdf:
        pdf.save(tmp_path / "owner.pdf", encryption=pikepdf.Encryption(owner="own", user="", R=6))
    status, out, _ = _run(tmp_path / "owner.pdf", original, output, capsys)
    assert status == 0 and out.strip().endswith("verified")


def test_a_page_that_cannot_be_decoded_is_one_sentence_not_a_crash(written, tmp_path, capsys):
    report, original, output = written
    broken = _changed(
        report,
        tmp_path / "broken.pdf",
        lambda pdf: pdf.pages[0].Contents.write(b"not deflated", filter=pikepdf.Name.FlateDecode),
    )
    status, _, err = _run(broken, original, output, capsys)
    assert status == 2
    assert err.startswith("memdiff: broken.pdf cannot be read as a PDF (") and err.count("\n") == 1


# --------------------------------------------------------------------------- pages removed, swapped, edited


@pytest.mark.parametrize("removed", [-1, 3])
def test_a_removed_page_is_named_and_pictures_and_fonts_are_not_said_to_have_changed(
    written, tmp_path, capsys, removed
):
    report, original, output = written
    pages = read_record(report)["pages"]
    number = pages if removed == -1 else removed + 1
    shorter = _changed(report, tmp_path / "shorter.pdf", lambda pdf: pdf.pages.__delitem__(removed))
    status, out, _ = _run(shorter, original, output, capsys)
    lines = out.splitlines()
    assert status == 3
    assert (
        f"Pages: CHANGED since memdiff wrote the report: it has {pages - 1} pages now, the record says "
        f"{pages}, and memdiff's page {number} is no longer in it." in lines
    ), lines
    assert RESOURCES_CLAIM not in out
    assert (
        f"Pictures, fonts and page frames: not compared, as the report has {pages - 1} pages where memdiff "
        f"wrote {pages}, and their digest goes through every page in order." in lines
    )
    # The bookmark titles can still be compared; where they lead (to pages that moved) cannot.
    assert any(
        line.startswith("Bookmarks, page numbering and opening view: the bookmarks' titles and the view match")
        and "where the bookmarks lead was not compared" in line
        for line in lines
    ), lines
    assert lines[-1] == "NOT verified: the report's pages were changed."


def test_a_removed_page_of_an_older_report_still_says_no_more_than_it_knows(written, tmp_path, capsys):
    report, original, output = written
    shorter = _changed(report, tmp_path / "shorter.pdf", lambda pdf: pdf.pages.__delitem__(-1))
    older = _older(
        shorter, tmp_path / "older.pdf", "page_sha256", "bookmarks_sha256", "bookmark_pages_sha256", "view_sha256"
    )
    status, out, _ = _run(older, original, output, capsys)
    pages = read_record(report)["pages"]
    assert status == 3
    assert (
        f"Pages: CHANGED since memdiff wrote the report: it has {pages - 1} pages now, the record says "
        f"{pages}, and the pages' content does not match the record's digest." in out
    )
    assert RESOURCES_CLAIM not in out
    assert out.splitlines()[-1] == "NOT verified: the report's pages were changed."


def test_an_edited_page_is_named_by_its_footer_number(written, tmp_path, capsys):
    report, original, output = written

    def edit(pdf):
        # One figure changed in the text drawn on page 2 (its footer reads "Page 2 of N").
        stream = pdf.pages[1].Contents
        content = stream.read_bytes()
        digit = re.search(rb"\d", content[content.index(b"BT") :]).start() + content.index(b"BT")
        stream.write(content[:digit] + (b"7" if content[digit:digit + 1] != b"7" else b"8") + content[digit + 1 :])

    edited = _changed(report, tmp_path / "edited.pdf", edit)
    status, out, _ = _run(edited, original, output, capsys)
    assert status == 3
    assert (
        "Pages: CHANGED since memdiff wrote the report: page 2 differs from what memdiff wrote (the record "
        "keeps a digest of each page)." in out.splitlines()
    ), out
    # An edit of the drawing alone: the pictures, fonts and frames are compared, and still match.
    assert "Pictures, fonts and page frames: they match the digest in the report's record." in out


def test_an_edited_page_of_an_older_report_keeps_the_message_without_page_numbers(
    written, tmp_path, capsys
):
    report, original, output = written
    edited = _changed(
        report,
        tmp_path / "edited.pdf",
        lambda pdf: pdf.pages[0].Contents.write(pdf.pages[0].Contents.read_bytes() + b"\n0 0 m 1 1 l S\n"),
    )
    older = _older(edited, tmp_path / "older.pdf", "page_sha256")
    pages = read_record(report)["pages"]
    status, out, _ = _run(older, original, output, capsys)
    assert status == 3
    assert (
        f"Pages: CHANGED since memdiff wrote the report: it has {pages} pages now, the record says {pages}, "
        "and the pages' content does not match the record's digest." in out.splitlines()
    )


def test_swapped_pages_are_named_as_another_order(written, tmp_path, capsys):
    report, original, output = written

    def swap(pdf):
        second, third = pdf.pages[1], pdf.pages[2]
        pdf.pages[1], pdf.pages[2] = third, second

    swapped = _changed(report, tmp_path / "swapped.pdf", swap)
    status, out, _ = _run(swapped, original, output, capsys)
    assert status == 3
    assert (
        "Pages: CHANGED since memdiff wrote the report: the pages are in another order: memdiff's page 3 "
        "is now the 2nd page, memdiff's page 2 is now the 3rd page (the record keeps a digest of each page)."
        in out.splitlines()
    ), out
    assert RESOURCES_CLAIM not in out
    assert (
        "Pictures, fonts and page frames: not compared, as pages were moved or copied from one place to "
        "another, and their digest goes through every page in order." in out.splitlines()
    )
    assert out.splitlines()[-1] == "NOT verified: the report's pages were changed."


def test_a_page_put_over_another_is_named_as_a_copy(written, tmp_path, capsys):
    report, original, output = written

    def copy(pdf):
        pdf.pages[1] = pdf.pages[3]

    copied = _changed(report, tmp_path / "copied.pdf", copy)
    status, out, _ = _run(copied, original, output, capsys)
    assert status == 3
    assert (
        "Pages: CHANGED since memdiff wrote the report: the 2nd page repeats memdiff's page 4 (the record "
        "keeps a digest of each page)." in out.splitlines()
    ), out


def test_a_page_added_is_named_by_its_place_in_the_file(written, tmp_path, capsys):
    report, original, output = written
    pages = read_record(report)["pages"]

    def add(pdf):
        pdf.add_blank_page(page_size=(612, 792))

    longer = _changed(report, tmp_path / "longer.pdf", add)
    status, out, _ = _run(longer, original, output, capsys)
    assert status == 3
    assert (
        f"Pages: CHANGED since memdiff wrote the report: it has {pages + 1} pages now, the record says "
        f"{pages}, and the {_nth(pages + 1)} page of the file is not one memdiff wrote." in out.splitlines()
    ), out
    assert RESOURCES_CLAIM not in out


def _nth(n):
    return f"{n}{'th' if 10 <= n % 100 <= 20 else {1: 'st', 2: 'nd', 3: 'rd'}.get(n % 10, 'th')}"


# --------------------------------------------------------------------------- what memdiff never writes


def _javascript(pdf):
    return pikepdf.Dictionary(S=pikepdf.Name.JavaScript, JS=pikepdf.String('app.alert("not a copy")'))


def _attachment(pdf):
    spec = pikepdf.Dictionary(
        Type=pikepdf.Name.Filespec,
        F=pikepdf.String("note.txt"),
        EF=pikepdf.Dictionary(F=pdf.make_stream(b"a note")),
    )
    return pikepdf.Dictionary(Names=pikepdf.Array([pikepdf.String("note.txt"), spec]))


def _form(pdf):
    field = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Annot,
            Subtype=pikepdf.Name.Widget,
            FT=pikepdf.Name.Tx,
            T=pikepdf.String("verdict"),
            Rect=pikepdf.Array([72, 72, 300, 100]),
            P=pdf.pages[0].obj,
        )
    )
    pdf.pages[0].obj.Annots = pdf.make_indirect(pikepdf.Array([field]))
    pdf.Root.AcroForm = pikepdf.Dictionary(Fields=pikepdf.Array([field]))


ADDITIONS = {
    "JavaScript on opening": (
        lambda pdf: setattr(pdf.Root, "OpenAction", _javascript(pdf)),
        "a JavaScript action run when it is opened (/OpenAction)",
    ),
    "opening at another page": (
        lambda pdf: setattr(
            pdf.Root, "OpenAction", pikepdf.Array([pdf.pages[2].obj, pikepdf.Name.Fit])
        ),
        "an instruction to open at another page or view (/OpenAction)",
    ),
    "additional actions": (
        lambda pdf: setattr(pdf.Root, "AA", pikepdf.Dictionary(WC=_javascript(pdf))),
        "a JavaScript action run when it is opened, closed, saved or printed (/AA)",
    ),
    "document scripts": (
        lambda pdf: setattr(
            pdf.Root,
            "Names",
            pikepdf.Dictionary(
                JavaScript=pikepdf.Dictionary(
                    Names=pikepdf.Array([pikepdf.String("x"), _javascript(pdf)])
                )
            ),
        ),
        "a JavaScript action in its document-level scripts (/Names /JavaScript)",
    ),
    "attached file": (
        lambda pdf: setattr(pdf.Root, "Names", pikepdf.Dictionary(EmbeddedFiles=_attachment(pdf))),
        "attached files (/Names /EmbeddedFiles)",
    ),
    "form": (_form, "a form (/AcroForm) and a form field on page 1"),
    "page action": (
        lambda pdf: setattr(pdf.pages[1].obj, "AA", pikepdf.Dictionary(O=_javascript(pdf))),
        "a JavaScript action run when page 2 is opened or closed (/AA)",
    ),
}


@pytest.mark.parametrize("name", sorted(ADDITIONS))
def test_an_action_attachment_or_form_added_is_named_and_does_not_verify(
    written, tmp_path, capsys, name
):
    report, original, output = written
    change, said = ADDITIONS[name]
    added = _changed(report, tmp_path / "added.pdf", change)
    status, out, _ = _run(added, original, output, capsys)
    assert status == 3
    assert f"Actions, attached files and forms: the report now holds {said}, which memdiff never writes." in (
        out.splitlines()
    ), out
    verdict = out.splitlines()[-1]
    assert verdict.startswith("NOT verified: ")
    assert f"the report holds {said}, which memdiff never writes" in verdict


def test_an_action_added_to_an_older_report_is_found_too(written, tmp_path, capsys):
    # Nothing in the record is needed: memdiff has never written one.
    report, original, output = written
    older = _older(report, tmp_path / "older.pdf", "bookmarks_sha256", "bookmark_pages_sha256", "view_sha256")
    added = _changed(older, tmp_path / "added.pdf", lambda pdf: setattr(pdf.Root, "OpenAction", _javascript(pdf)))
    status, out, _ = _run(added, original, output, capsys)
    assert status == 3
    assert "which memdiff never writes" in out.splitlines()[-1]


def test_an_untouched_report_says_it_holds_no_actions(written, capsys):
    report, original, output = written
    status, out, _ = _run(report, original, output, capsys)
    assert status == 0
    lines = out.splitlines()
    assert "Actions, attached files and forms: none (memdiff never writes any)." in lines
    assert "Bookmarks, page numbering and opening view: they match the digests in the report's record." in lines


# --------------------------------------------------------------------------- bookmarks and page labels


def test_a_renamed_bookmark_does_not_verify(written, tmp_path, capsys):
    report, original, output = written
    renamed = _changed(
        report,
        tmp_path / "renamed.pdf",
        lambda pdf: setattr(pdf.Root.Outlines.First, "Title", pikepdf.String("No findings")),
    )
    status, out, _ = _run(renamed, original, output, capsys)
    assert status == 3
    assert (
        "Bookmarks: CHANGED since memdiff wrote the report: their titles, nesting or style do not match "
        "the record's digest." in out.splitlines()
    ), out
    assert out.splitlines()[-1] == "NOT verified: the report's bookmarks were changed."


def test_a_bookmark_led_to_another_page_does_not_verify(written, tmp_path, capsys):
    report, original, output = written

    def redirect(pdf):
        pdf.Root.Outlines.First.Dest[0] = pdf.pages[3].obj

    moved = _changed(report, tmp_path / "moved.pdf", redirect)
    status, out, _ = _run(moved, original, output, capsys)
    assert status == 3
    assert (
        "Bookmarks: CHANGED since memdiff wrote the report: where a bookmark leads (its page or view) does "
        "not match the record's digest." in out.splitlines()
    ), out


def test_page_labels_added_do_not_verify(written, tmp_path, capsys):
    report, original, output = written
    numbered = _changed(
        report,
        tmp_path / "numbered.pdf",
        lambda pdf: setattr(
            pdf.Root,
            "PageLabels",
            pikepdf.Dictionary(Nums=pikepdf.Array([0, pikepdf.Dictionary(S=pikepdf.Name.D, St=50)])),
        ),
    )
    status, out, _ = _run(numbered, original, output, capsys)
    assert status == 3
    assert any(line.startswith("Page numbering and opening view: CHANGED") for line in out.splitlines()), out
    assert out.splitlines()[-1] == "NOT verified: the report's page numbering or opening view was changed."


def test_an_older_record_without_the_bookmark_digests_says_they_were_not_checked(written, tmp_path, capsys):
    report, original, output = written
    renamed = _changed(
        report,
        tmp_path / "renamed.pdf",
        lambda pdf: setattr(pdf.Root.Outlines.First, "Title", pikepdf.String("No findings")),
    )
    older = _older(renamed, tmp_path / "older.pdf", "bookmarks_sha256", "bookmark_pages_sha256", "view_sha256")
    status, out, _ = _run(older, original, output, capsys)
    assert status == 0
    assert (
        "Bookmarks, page numbering and opening view: the record holds no digest of them (a report written "
        "before memdiff recorded one), so they were not checked." in out.splitlines()
    )


# --------------------------------------------------------------------------- the record's new keys


def test_the_record_seals_each_page_bookmarks_and_view_and_two_runs_are_byte_identical(
    written, tmp_path, monkeypatch
):
    report, original, output = written
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796000000")
    first, suspect = ingest.load(original), ingest.load(output)
    comparison = compare(first, suspect)
    (tmp_path / "one").mkdir()
    (tmp_path / "two").mkdir()
    one = write_report(comparison, first, suspect, tmp_path / "one" / "r.pdf").read_bytes()
    two = write_report(comparison, first, suspect, tmp_path / "two" / "r.pdf").read_bytes()
    assert one == two
    record = read_record(tmp_path / "one" / "r.pdf")
    assert len(record["page_sha256"]) == record["pages"]
    assert all(re.fullmatch("[0-9a-f]{16}", d) for d in record["page_sha256"])
    for key in ("bookmarks_sha256", "bookmark_pages_sha256", "view_sha256"):
        assert re.fullmatch("[0-9a-f]{64}", record[key]), key


def test_a_record_whose_page_digests_do_not_match_its_page_count_is_damaged(written, tmp_path):
    report, original, output = written
    with pikepdf.open(report) as pdf:
        packet = pdf.Root.Metadata.read_bytes().decode("utf-8")
        found = re.search(r"(<memdiff:record>)(.*?)(</memdiff:record>)", packet, re.DOTALL)
        record = json.loads(html.unescape(found.group(2)))
        record["page_sha256"] = record["page_sha256"][1:]
        from memdiff.report.pdfa import record_digest

        record["record_sha256"] = record_digest(record)
        body = html.escape(json.dumps(record), quote=False)
        pdf.Root.Metadata.write((packet[: found.start(2)] + body + packet[found.end(2) :]).encode())
        pdf.save(tmp_path / "short.pdf")
    result = verify(tmp_path / "short.pdf", original, output)
    assert not result.ok
    assert "its digests of each page are not one short SHA-256 for every page" in result.lines[0]


def test_pages_are_named_in_runs_and_a_removed_page_among_identical_ones_is_counted_once():
    from memdiff.report.verify import _page_changes

    written = [f"{n:016x}" for n in range(1, 9)]
    edited = ["f" * 16, "e" * 16, "d" * 16, *written[3:6], "c" * 16, written[7]]
    assert _page_changes(written, edited) == (
        "pages 1 to 3 and 7 differ from what memdiff wrote",
        True,
    )
    # Two blank pages alike: one removed, the other still counts as memdiff's.
    blank = "0" * 16
    twice = [written[0], blank, blank, written[3]]
    assert _page_changes(twice, [written[0], blank, written[3]]) == (
        "memdiff's page 3 is no longer in it",
        False,
    )


def test_a_bookmark_pointing_into_the_whole_document_is_read_once_and_named(written, tmp_path, capsys):
    # A hostile bookmark whose target is the catalog itself (the page tree, the outline and its loops
    # behind it): the digest reads each object once, and the change is named, not a crash or a hang.
    report, original, output = written

    def point_at_the_catalog(pdf):
        pdf.Root.Outlines.First.Dest = pikepdf.Array([pdf.Root, pikepdf.Name.Fit])
        pdf.Root.PageMode = pikepdf.Name(b"/Use\xb5Outlines".decode("latin-1"))

    hostile = _changed(report, tmp_path / "hostile.pdf", point_at_the_catalog)
    status, out, err = _run(hostile, original, output, capsys)
    assert status == 3, err
    lines = out.splitlines()
    assert (
        "Bookmarks: CHANGED since memdiff wrote the report: where a bookmark leads (its page or view) does "
        "not match the record's digest." in lines
    )
    assert any(line.startswith("Page numbering and opening view: CHANGED") for line in lines)

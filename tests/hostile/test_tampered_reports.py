"""``memdiff verify`` against hostile reports: damaged, foreign, and altered after memdiff wrote them.

verify is what the other side's expert runs on an exhibit; it must never say
"verified" about a report whose content is not what memdiff wrote, and never
crash on a file that is not a report at all.
"""

from __future__ import annotations

import pytest

from hostile_corpus import assert_one_clear_sentence, run_memdiff


@pytest.fixture
def report(tmp_path, home, novel):
    original, output = novel
    pdf = tmp_path / "exhibit.pdf"
    done = run_memdiff(["compare", str(original), str(output), "--report", str(pdf)], home)
    assert done.returncode == 0, done.stderr
    return pdf, original, output


def test_an_untouched_report_verifies(report, home):
    pdf, original, output = report
    done = run_memdiff(["verify", str(pdf), str(original), str(output)], home)
    assert done.returncode == 0 and done.stdout.strip().endswith("verified"), done.stdout + done.stderr


@pytest.mark.parametrize("damage", ["truncated", "text-file", "picture", "empty"])
def test_a_file_that_is_not_a_whole_report_is_one_sentence(damage, report, tmp_path, home):
    pdf, original, output = report
    fake = tmp_path / f"fake-{damage}.pdf"
    if damage == "truncated":
        fake.write_bytes(pdf.read_bytes()[: pdf.stat().st_size // 3])
    elif damage == "text-file":
        fake.write_bytes(original.read_bytes())
    elif damage == "picture":
        from hostile_corpus import image_bytes

        fake.write_bytes(image_bytes("PNG"))
    else:
        fake.write_bytes(b"")
    done = run_memdiff(["verify", str(fake), str(original), str(output)], home)
    assert done.returncode in (2, 3), done.stdout + done.stderr
    assert "Traceback" not in done.stderr and "verified" not in done.stdout.splitlines()[-1:]
    if done.returncode == 2:
        assert_one_clear_sentence(done, fake.name)


def test_a_report_with_pages_removed_does_not_verify(report, tmp_path, home):
    import pikepdf

    pdf, original, output = report
    cut = tmp_path / "cut.pdf"
    with pikepdf.open(pdf) as document:
        pages = len(document.pages)
        assert pages >= 4
        del document.pages[2 : pages - 1]
        document.save(cut)
    done = run_memdiff(["verify", str(cut), str(original), str(output)], home)
    assert done.returncode == 3, done.stdout


def test_a_report_with_a_page_swapped_in_does_not_verify(report, tmp_path, home, novel):
    import pikepdf

    pdf, original, output = report
    other_output = tmp_path / "other.txt"
    other_output.write_text(output.read_text(encoding="utf-8")[:3000], encoding="utf-8")
    other = tmp_path / "other.pdf"
    assert run_memdiff(["compare", str(original), str(other_output), "--report", str(other)], home).returncode == 0
    forged = tmp_path / "forged.pdf"
    with pikepdf.open(pdf) as document, pikepdf.open(other) as donor:
        document.pages[0] = donor.pages[0]
        document.save(forged)
    done = run_memdiff(["verify", str(forged), str(original), str(output)], home)
    assert done.returncode == 3, done.stdout

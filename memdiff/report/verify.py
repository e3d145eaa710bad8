"""``memdiff verify``: check a report against the two files it claims to be about.

Every report stores a *record* in its XMP metadata (see ``pdfa.py``): the
tool version, the parameters, each input's SHA-256, each output's findings
digest and the positions of its spans or regions. Verification reads that
record, hashes the files given, runs the comparison again with the recorded
parameters and compares the findings digest, then says "verified" or exactly
what differs: a changed input, another tool version, or different findings,
in one sentence such as "Of the report's 12 spans, 10 were found again (1 at
another character position in the output, as the text before it is longer or
shorter now), 1 was found changed (its words or kind differ) and 1 was not; 0
spans were found that the report does not list (11 in all now)." A span "found changed" is one a re-run still finds over part of its
words of the original, but not the same: one word edited inside it split it,
made it shorter or longer, or made an exact span near. A span that "was not"
found again has no re-run span left over any of its words (``_match_findings``
says how they are paired). Image regions are found again only when equal.

The report itself is checked against the record's digests: its pages (each
page too, so that the page changed is named by its footer number), the
pictures, fonts and page frames, the bookmarks and where they lead, and the
page labels and view a viewer opens with. A digest that goes through every
page in order is compared only when the pages are the ones memdiff wrote in
number and order, so that a removed page is never also said to be a changed
font. Actions, scripts, attached files and forms fail verification on any
report, whatever its record holds: memdiff never writes them. A record from
before a digest was kept says that check was not possible.

``verify_outputs`` checks several outputs of one (batch) report in one run;
its last line names the outputs checked, so that a batch exhibit never reads
as verified as a whole when only some of its outputs were given. The report's
document information (title, author, subject, keywords, dates) is checked
too: against the record's copy when it keeps one, otherwise against the XMP
packet's copy and, for the subject, against what the record determines.
"""

from __future__ import annotations

import os
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import TYPE_CHECKING, Any

from memdiff import __version__
from memdiff.errors import InputError
from memdiff.evidence import Comparison, Document, Parameters

if TYPE_CHECKING:
    from memdiff.report.pdfa import ReportAsFound

RECORD_SCHEMA = "memdiff/report-record@1"


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    lines: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------- the record


def _findings_keys(c: Comparison) -> list[list[Any]]:
    """Compact positions of every finding, enough to say which ones differ on a re-run."""
    if c.mode == "text":
        return [
            [s.kind, s.original.start, s.original.end, s.suspect.start, s.suspect.end, s.words]
            for s in c.spans
        ]
    return [[*r.original, *r.suspect, round(r.score, 6)] for r in c.regions]


def make_record(comparisons: list[Comparison], *, batch: bool) -> dict[str, Any]:
    """The record a report stores about itself (parameters, hashes, digests, finding positions)."""
    first = comparisons[0]
    o = first.original
    return {
        "schema": RECORD_SCHEMA,
        "kind": "batch" if batch else "single",
        "tool_version": first.tool_version,
        "parameters": first.parameters.to_dict(),
        "original": {"name": o.name, "sha256": o.sha256, "size_bytes": o.size_bytes},
        "outputs": [
            {
                "name": c.suspect.name,
                "sha256": c.suspect.sha256,
                "size_bytes": c.suspect.size_bytes,
                "mode": c.mode,
                "created": c.created,
                "findings_sha256": c.findings_digest(),
                "findings": _findings_keys(c),
            }
            for c in comparisons
        ],
    }


# --------------------------------------------------------------------------- the document information

#: The document information memdiff writes (the Info dictionary), in the order they are named.
INFO_FIELDS = (
    "Title",
    "Author",
    "Subject",
    "Keywords",
    "Creator",
    "Producer",
    "CreationDate",
    "ModDate",
)
_INFO_LABELS = {
    "Title": "title",
    "Author": "author (the examiner)",
    "Subject": "subject",
    "Keywords": "keywords",
    "Creator": "creating program",
    "Producer": "producer",
    "CreationDate": "creation date",
    "ModDate": "modification date",
}
_XMP = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
}
#: Where the XMP packet repeats each field (a PDF/A requirement), as (namespace, property).
_XMP_COPY = {
    "Title": ("dc", "title"),
    "Author": ("dc", "creator"),
    "Subject": ("dc", "description"),
    "Keywords": ("pdf", "Keywords"),
    "Creator": ("xmp", "CreatorTool"),
    "Producer": ("pdf", "Producer"),
    "CreationDate": ("xmp", "CreateDate"),
    "ModDate": ("xmp", "ModifyDate"),
}


def _subject_of(record: dict[str, Any]) -> str:
    """The subject memdiff writes for the report this record describes."""
    from memdiff.report.pdfa import report_subject

    return report_subject(record["original"].get("name", ""), [o.get("name", "") for o in record["outputs"]])


def _read_document_info(report: ReportAsFound) -> tuple[dict[str, str], dict[str, str]]:
    """The report's Info dictionary and the XMP packet's copy of it; a field left out reads as ""."""
    import xml.etree.ElementTree as ET

    found = {name: report.info.get(name, "") for name in INFO_FIELDS}
    packet = report.packet
    copy = dict.fromkeys(INFO_FIELDS, "")
    try:
        start = packet.index(b"<x:xmpmeta")
        end = packet.index(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")
        tree = ET.fromstring(packet[start:end])
    except (ValueError, ET.ParseError):
        return found, copy
    for name, (prefix, prop) in _XMP_COPY.items():
        tag = f"{{{_XMP[prefix]}}}{prop}"
        node = tree.find(f".//{tag}")
        if node is not None:
            items = node.findall(f".//{{{_XMP['rdf']}}}li")
            copy[name] = "; ".join(li.text or "" for li in items) if items else (node.text or "")
            if name in ("CreationDate", "ModDate"):
                copy[name] = _pdf_date_of(copy[name])
            continue
        for description in tree.iter(f"{{{_XMP['rdf']}}}Description"):
            if tag in description.attrib:  # the short form some editors write: an attribute
                copy[name] = description.attrib[tag]
                if name in ("CreationDate", "ModDate"):
                    copy[name] = _pdf_date_of(copy[name])
                break
    return found, copy


def _pdf_date_of(xmp_date: str) -> str:
    """An XMP date (2026-11-29T11:34:02+00:00) as the Info dictionary writes it (D:20261129113402+00'00')."""
    import datetime as _dt

    try:
        moment = _dt.datetime.fromisoformat(xmp_date.strip())
    except ValueError:
        return xmp_date
    offset = moment.utcoffset()
    if offset is None:
        return moment.strftime("D:%Y%m%d%H%M%S")
    minutes = int(offset.total_seconds() // 60)
    sign = "+" if minutes >= 0 else "-"
    return (
        moment.strftime("D:%Y%m%d%H%M%S")
        + f"{sign}{abs(minutes) // 60:02d}'{abs(minutes) % 60:02d}'"
    )


def _xml_lines(text: str) -> str:
    """``text`` with its line ends as an XML reader gives them back (a carriage return read as a line feed)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _check_document_info(report: ReportAsFound, record: dict[str, Any]) -> tuple[str, str | None]:
    """One line on the report's title, author, subject and keywords, and a problem when they were changed.

    With the record's own copy (``document_info``) every field is checked
    against what memdiff wrote. A record without one still shows an edit of
    the Info dictionary alone, because the XMP packet repeats it, and an edit
    of the subject, which the record determines (the creating program names the
    memdiff that wrote the report, which need not be the one that compared).
    """
    found, copy = _read_document_info(report)
    kept = record.get("document_info")
    changes: list[str] = []
    if isinstance(kept, dict):
        for name in INFO_FIELDS:
            wrote = str(kept.get(name, ""))
            label = _INFO_LABELS[name]
            said = f'"{wrote}"' if wrote else "none"
            if found[name] != wrote:
                changes.append(f'its {label} reads "{found[name]}" where memdiff wrote {said}')
            elif copy[name] != _xml_lines(wrote):
                changes.append(
                    f'the XMP metadata\'s copy of its {label} reads "{copy[name]}" where memdiff wrote {said}'
                )
        checked = "as memdiff wrote them (the record keeps a copy)"
    else:
        determined = {
            "Subject": _subject_of(record),
        }
        for name in INFO_FIELDS:
            label = _INFO_LABELS[name]
            if name in determined and found[name] != determined[name]:
                changes.append(
                    f'its {label} reads "{found[name]}" where memdiff wrote "{determined[name]}"'
                )
            elif _xml_lines(found[name]) != copy[name]:
                changes.append(
                    f'its {label} reads "{found[name]}" in the document properties but "{copy[name]}" in '
                    "the XMP metadata"
                )
        checked = (
            "the document properties agree with their copy in the XMP metadata, and the subject with "
            "the record (the record keeps no copy of the title or author of its own, "
            "so an edit made to both copies alike would not show)"
        )
    if changes:
        return (
            "Document information (title, author, subject, keywords, dates): CHANGED since memdiff wrote "
            "the report: " + "; ".join(changes) + ".",
            "the report's document information (its title, author, subject, keywords or dates) was changed",
        )
    return f"Document information (title, author, subject, keywords, dates): {checked}.", None


# --------------------------------------------------------------------------- the pages and what a viewer shows


def _check_pages(found: ReportAsFound, record: dict[str, Any], problems: list[str]) -> list[str]:
    """Lines on the pages, pictures and fonts, bookmarks and view, and on anything memdiff never writes.

    The digests are a check against changed pages, not a seal: anyone able to
    rewrite the pages can rewrite the record too. A digest that covers every
    page in order (pictures, fonts and frames; where bookmarks lead) is
    compared only when the pages are the ones memdiff wrote in number and
    order: otherwise it differs because of that alone, and saying that
    pictures or bookmarks changed would be false.
    """
    lines: list[str] = []
    written = record["pages"]
    each = record.get("page_sha256")
    if found.pages_sha256 == record["pages_sha256"] and found.pages == written:
        in_place = True
        lines.append(
            f"Pages: the content of all {found.pages} pages matches the digest in the report's record."
        )
    else:
        problems.append("the report's pages were changed")
        said = "Pages: CHANGED since memdiff wrote the report: "
        if not isinstance(each, list):  # a record from before memdiff kept a digest of each page
            in_place = found.pages == written
            lines.append(
                f"{said}it has {found.pages} pages now, the record says {written}, and the pages' "
                "content does not match the record's digest."
            )
        else:
            differences, in_place = _page_changes(each, list(found.page_sha256))
            if found.pages == written:
                lines.append(f"{said}{differences} (the record keeps a digest of each page).")
            else:
                lines.append(
                    f"{said}it has {found.pages} pages now, the record says {written}, and {differences}."
                )
    if found.pages != written:
        not_in_place = f"the report has {found.pages} pages where memdiff wrote {written}"
    else:
        not_in_place = "pages were moved or copied from one place to another"

    if "resources_sha256" not in record:
        lines.append(
            "Pictures and fonts: the record holds no digest of them (a report written before memdiff "
            "recorded one), so they were not checked."
        )
    elif not in_place:
        lines.append(
            f"Pictures, fonts and page frames: not compared, as {not_in_place}, and their digest goes "
            "through every page in order."
        )
    elif found.resources_sha256 == record["resources_sha256"]:
        lines.append("Pictures, fonts and page frames: they match the digest in the report's record.")
    else:
        problems.append("the report's pictures, fonts or page frames were changed")
        lines.append(
            "Pictures, fonts and page frames: CHANGED since memdiff wrote the report: a picture, an "
            "embedded font (what the text looks like, or how it reads back), a page's size, crop or "
            "rotation, or something laid over a page (an annotation) does not match the record's digest."
        )

    if "bookmarks_sha256" not in record:
        lines.append(
            "Bookmarks, page numbering and opening view: the record holds no digest of them (a report "
            "written before memdiff recorded one), so they were not checked."
        )
    else:
        titles = found.bookmarks_sha256 == record["bookmarks_sha256"]
        leads = found.bookmark_pages_sha256 == record.get("bookmark_pages_sha256") if in_place else None
        view = found.view_sha256 == record.get("view_sha256")
        if not titles or leads is False:
            problems.append("the report's bookmarks were changed")
            if titles:
                what = "where a bookmark leads (its page or view) does not match the record's digest"
            elif leads is False:
                what = "their titles, nesting or style, and where they lead, do not match the record's digests"
            else:
                what = "their titles, nesting or style do not match the record's digest"
            lines.append(f"Bookmarks: CHANGED since memdiff wrote the report: {what}.")
        if not view:
            problems.append("the report's page numbering or opening view was changed")
            lines.append(
                "Page numbering and opening view: CHANGED since memdiff wrote the report: the page numbers "
                "a viewer shows (page labels), or the panel, layout or preferences it opens with, do not "
                "match the record's digest."
            )
        if titles and leads is not False and view:
            lines.append(
                "Bookmarks, page numbering and opening view: they match the digests in the report's record."
                if leads
                else "Bookmarks, page numbering and opening view: the bookmarks' titles and the view match "
                f"the record's digests; where the bookmarks lead was not compared, as {not_in_place}."
            )

    if found.never_written:
        added = _listed(list(found.never_written))
        problems.append(f"the report holds {added}, which memdiff never writes")
        lines.append(f"Actions, attached files and forms: the report now holds {added}, which memdiff never writes.")
    else:
        lines.append("Actions, attached files and forms: none (memdiff never writes any).")
    return lines


def _page_changes(written: list[str], now: list[str]) -> tuple[str, bool]:
    """Which pages differ from the record's digest of each page, by the numbers the footer gives them.

    Returns the words and whether the pages memdiff wrote are still each in
    its place (a page edited keeps its place; pages swapped, removed or added
    do not). A page now in the file is named by its place in it ("the 3rd
    page of the file") when its footer number is not known.
    """
    if len(written) == len(now):
        edited: list[int] = []
        moves: list[str] = []
        copies: list[str] = []
        for n, (was, is_) in enumerate(zip(written, now, strict=True)):
            if was == is_:
                continue
            if is_ not in written:
                edited.append(n + 1)
                continue
            source = written.index(is_)
            if now[source] == written[source]:  # memdiff's page is still in its place as well
                copies.append(f"the {_ordinal(n + 1)} page repeats memdiff's page {source + 1}")
            else:
                moves.append(f"memdiff's page {source + 1} is now the {_ordinal(n + 1)} page")
        parts = []
        if edited:
            parts.append(
                f"{_numbered(edited, ('page', 'pages'))} {'differs' if len(edited) == 1 else 'differ'} "
                "from what memdiff wrote"
            )
        if moves:
            parts.append("the pages are in another order: " + ", ".join(moves))
        parts.extend(copies)
        return "; ".join(parts), not moves and not copies
    left: dict[str, list[int]] = {}
    for n, digest in enumerate(written, start=1):
        left.setdefault(digest, []).append(n)
    foreign: list[str] = []
    for n, digest in enumerate(now, start=1):
        places = left.get(digest)
        if places:
            places.pop(0)
        elif digest in written:
            foreign.append(f"the {_ordinal(n)} page of the file repeats memdiff's page {written.index(digest) + 1}")
        else:
            foreign.append(f"the {_ordinal(n)} page of the file is not one memdiff wrote")
    missing = sorted(n for places in left.values() for n in places)
    parts = []
    if missing:
        parts.append(
            f"memdiff's {_numbered(missing, ('page', 'pages'))} {'is' if len(missing) == 1 else 'are'} "
            "no longer in it"
        )
    parts.extend(foreign)
    return "; ".join(parts), False


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _listed(items: list[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


# --------------------------------------------------------------------------- verification


#: A file to read, or a Document already read (the command line reads standard input itself).
FileOrDocument = str | os.PathLike[str] | Document


def verify(
    report_pdf: str | os.PathLike[str],
    original_path: FileOrDocument,
    suspect_path: FileOrDocument,
    *,
    password: str | None = None,
    suspect_password: str | None = None,
) -> VerifyResult:
    """Re-run a report's comparison on the given files and say whether its findings hold.

    The original and the output are paths, or Documents already read (the
    command line reads standard input itself); ``password`` opens an
    encrypted original PDF and ``suspect_password`` an encrypted output. On a
    batch report this checks one output and says which, and that the others
    were not checked (``verify_outputs`` checks several in one run).
    """
    return verify_outputs(
        report_pdf,
        original_path,
        [suspect_path],
        password=password,
        suspect_password=suspect_password,
    )


@dataclass(frozen=True)
class _OutputCheck:
    """What verification found for one output given: its place in the report (0: none) and what differs."""

    name: str
    position: int
    problems: tuple[str, ...]
    findings_differ: bool


def verify_outputs(
    report_pdf: str | os.PathLike[str],
    original: FileOrDocument,
    suspects: Sequence[FileOrDocument],
    *,
    password: str | None = None,
    suspect_password: str | None = None,
) -> VerifyResult:
    """Check a report against its original and one or more of its outputs, in one run.

    The report's record and the original are read once; each output is
    hashed and compared again with the recorded parameters, and says what
    ``verify`` says of it. The last line is one verdict for all of them:
    "verified" only when the report and every output given check out, and
    for a batch report it names the outputs checked and says how many of the
    report's outputs were not given (they were not checked). ``ok`` is True
    only when everything given verified; outputs not given do not make it
    False, since the user chose which to check and the verdict says so.
    ``suspect_password`` opens every encrypted output.
    """
    from memdiff import ingest
    from memdiff.analyse import compare

    if not suspects:
        raise ValueError("verify_outputs needs at least one output to check")
    report = Path(report_pdf)
    found = _read(report)
    record = found.record
    damage = "the record cannot be read" if record is None else _record_damage(record)
    if record is None or damage is not None:
        return VerifyResult(
            False,
            [
                (
                    f"{report.name}: its memdiff record is damaged ({damage}): the metadata was changed after "
                    "memdiff wrote it, so the report cannot be checked."
                ),
                "NOT verified.",
            ],
        )

    lines: list[str] = []
    problems: list[str] = []
    recorded_version = str(record.get("tool_version", "?"))
    outputs = [o for o in record.get("outputs", []) if isinstance(o, dict)]
    lines.append(
        f"Report: {report.name} ({'batch of ' + str(len(outputs)) + ' outputs' if record.get('kind') == 'batch' else 'one output'}, "
        f"made with memdiff {recorded_version})."
    )
    lines.extend(_check_pages(found, record, problems))

    said, changed = _check_document_info(found, record)
    lines.append(said)
    if changed is not None:
        problems.append(changed)

    first = original if isinstance(original, Document) else ingest.load(original, password=password)
    given = [
        s if isinstance(s, Document) else ingest.load(s, password=suspect_password)
        for s in suspects
    ]

    want = record.get("original", {})
    _refuse_swapped(first, given, want.get("sha256"), outputs)
    if first.sha256 == want.get("sha256"):
        lines.append(f"Original: {first.name}: SHA-256 matches the report ({first.sha256}).")
    else:
        problems.append("the original differs")
        lines.append(
            f"Original: {first.name} is NOT the file the report was made from: its SHA-256 is {first.sha256}, "
            f"the report records {want.get('sha256')} for {want.get('name')}."
        )

    if recorded_version != __version__:
        lines.append(
            f"Tool version: the report was made with memdiff {recorded_version}; this is memdiff {__version__}."
        )
    else:
        lines.append(f"Tool version: memdiff {__version__}, as in the report.")

    parameters = Parameters.from_dict(record.get("parameters", {}))
    several = len(given) > 1
    checks: list[_OutputCheck] = []
    taken: set[int] = set()
    for suspect in given:
        row, position = _row_for(outputs, suspect.sha256, suspect.name, taken)
        taken.add(position)
        where = f" (output {position} of {len(outputs)})" if len(outputs) > 1 else ""
        mine: list[str] = []
        differ = False
        if row is None:
            mine.append("the output is not among the report's outputs")
            lines.append(f"Output: {suspect.name} is not among the outputs this report covers.")
            checks.append(_OutputCheck(suspect.name, 0, tuple(mine), differ))
            continue
        if suspect.sha256 == row.get("sha256"):
            lines.append(
                f"Output: {suspect.name}: SHA-256 matches the report{where} ({suspect.sha256})."
            )
        else:
            mine.append("the output differs")
            lines.append(
                f"Output: {suspect.name} is NOT the file the report was made from{where}: its SHA-256 is "
                f"{suspect.sha256}, the report records {row.get('sha256')} for {row.get('name')}."
            )
        label = f"Findings{where}" if several else "Findings"
        try:
            rerun = compare(first, suspect, parameters, mode=row.get("mode", "auto"))
        except InputError as err:
            mine.append("the comparison could not be run again")
            lines.append(f"Re-run{where}: not possible: {err}")
            rerun = None
        if rerun is not None:
            found = rerun.findings_digest()
            if found == row.get("findings_sha256"):
                lines.append(
                    f"{label}: running the comparison again with the recorded parameters gives the same "
                    f"findings digest ({found})."
                )
            else:
                differ = True
                mine.append("the findings differ")
                lines.append(
                    f"{label}: DIFFERENT. The report records digest {row.get('findings_sha256')}; running "
                    f"again gives {found}."
                )
                lines.append(
                    _difference(row.get("findings", []), _findings_keys(rerun), rerun.mode)
                )
        checks.append(_OutputCheck(suspect.name, position, tuple(mine), differ))

    if recorded_version != __version__ and any(c.findings_differ for c in checks):
        lines.append(
            "The difference may come from the other tool version; run the recorded version to check."
        )
    lines.append(_verdict(problems, checks, len(outputs)))
    return VerifyResult(not problems and not any(c.problems for c in checks), lines)


def _refuse_swapped(
    original: Document, given: list[Document], recorded: Any, outputs: list[dict[str, Any]]
) -> None:
    """Say so when the original and an output were given the other way round (their hashes tell).

    Without this both would read as changed files, which they are not: the
    command names them in the wrong order, so it is bad input (exit 2).
    """
    if original.sha256 == recorded or original.sha256 not in {o.get("sha256") for o in outputs}:
        return
    swapped = next((s for s in given if s.sha256 == recorded), None)
    if swapped is not None:
        raise InputError(
            f"The original and the output were given the other way round: the report was made from "
            f"{swapped.name} as the original and {original.name} as an output; give the original first, "
            "then the output."
        )


def _verdict(problems: list[str], checks: list[_OutputCheck], outputs: int) -> str:
    """The last line: "verified" or what does not hold, and on a batch report which outputs were checked.

    A single report keeps its plain verdict ("verified", or "NOT verified:"
    and the reasons); a batch report's always names the outputs checked, so
    that it never reads as the whole exhibit verified when it was not.
    """
    failed = [c for c in checks if c.problems]
    if len(checks) == 1:
        reasons = [*problems, *checks[0].problems]
    else:
        reasons = [
            *problems,
            *(
                f"{'output ' + str(c.position) + ' (' + c.name + ')' if c.position else c.name}: "
                + ", ".join(c.problems)
                for c in failed
            ),
        ]
    if outputs <= 1:
        return "NOT verified: " + "; ".join(reasons) + "." if reasons else "verified"
    checked = sorted({c.position for c in checks if c.position})
    if len(checked) == outputs:
        scope = f"all {outputs} outputs of the report"
    elif not checked:
        scope = f"none of the report's {outputs} outputs"
    else:
        rest = outputs - len(checked)
        other = "the other one was" if rest == 1 else f"the other {rest} were"
        scope = f"{_numbered(checked)} of {outputs}; {other} not checked"
    if reasons:
        return "NOT verified: " + "; ".join(reasons) + f". Checked: {scope}."
    return f"verified: {scope}."


def _numbered(positions: list[int], noun: tuple[str, str] = ("output", "outputs")) -> str:
    """ "output 6", "outputs 1 and 3", "outputs 1 to 4, 7 and 9": runs of three or more are given as ranges."""
    runs: list[str] = []
    start = previous = positions[0]
    for n in [*positions[1:], None]:
        if n is not None and n == previous + 1:
            previous = n
            continue
        if previous - start >= 2:
            runs.append(f"{start} to {previous}")
        else:
            runs.extend(str(k) for k in range(start, previous + 1))
        if n is not None:
            start = previous = n
    named = noun[0] if len(positions) == 1 else noun[1]
    if len(runs) == 1:
        return f"{named} {runs[0]}"
    return f"{named} {', '.join(runs[:-1])} and {runs[-1]}"


_HEX64 = frozenset("0123456789abcdef")
#: Hex digits the record keeps of each page's SHA-256 (``pdfa.PAGE_DIGEST_HEX``, not imported: pdfa loads pikepdf).
PAGE_DIGEST_HEX = 16
_DEFAULT_PARAMETERS = Parameters()


def _is_digest(value: Any) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX64


def _record_damage(record: dict[str, Any]) -> str | None:
    """What is wrong with a record's shape (a field missing or of the wrong kind), or None when it is sound.

    Everything verify reads is checked here first, so that a record edited
    by hand gets a sentence, never an error from deep inside the re-run.
    """
    if record.get("schema") != RECORD_SCHEMA:
        return f"its schema is not {RECORD_SCHEMA}"
    if record.get("kind") not in ("single", "batch"):
        return "its kind is neither single nor batch"
    if not isinstance(record.get("tool_version"), str):
        return "it names no tool version"
    parameters = record.get("parameters")
    if not isinstance(parameters, dict):
        return "it holds no parameters"
    for f in fields(Parameters):
        if f.name in parameters:
            value, default = parameters[f.name], getattr(_DEFAULT_PARAMETERS, f.name)
            kinds = (int, float) if isinstance(default, float) else (type(default),)
            if isinstance(value, bool) != isinstance(default, bool) or not isinstance(value, kinds):
                return f"its parameter {f.name} is of the wrong kind"
    try:
        Parameters.from_dict(parameters).validate()
    except (TypeError, ValueError) as err:
        return f"its parameters are not valid: {err}"
    original = record.get("original")
    if not isinstance(original, dict) or not _is_digest(original.get("sha256")):
        return "it holds no SHA-256 for the original"
    outputs = record.get("outputs")
    if not isinstance(outputs, list) or not outputs:
        return "it lists no outputs"
    for n, row in enumerate(outputs, start=1):
        if not isinstance(row, dict):
            return f"output {n} is not described"
        if not _is_digest(row.get("sha256")) or not _is_digest(row.get("findings_sha256")):
            return f"output {n} lacks its SHA-256 or its findings digest"
        if row.get("mode") not in ("text", "image"):
            return f"output {n} names no comparison mode"
        findings = row.get("findings")
        if not isinstance(findings, list) or not all(
            isinstance(f, list) and all(isinstance(v, int | float | str) for v in f)
            for f in findings
        ):
            return f"output {n}'s findings are not a list of positions"
        if not isinstance(row.get("name", ""), str):
            return f"output {n}'s name is not text"
    if not isinstance(record.get("pages"), int) or not _is_digest(record.get("pages_sha256")):
        # Every memdiff report seals its pages; a record without the seal was edited.
        return "it holds no digest of the report's pages"
    kept = record.get("document_info", {})
    if not isinstance(kept, dict) or not all(
        name in INFO_FIELDS and isinstance(value, str) for name, value in kept.items()
    ):
        return "its copy of the document information is not a list of the fields memdiff writes"
    if "resources_sha256" in record and not _is_digest(record["resources_sha256"]):
        return "its digest of the pictures and fonts is not a SHA-256"
    for key, what in (
        ("bookmarks_sha256", "bookmarks"),
        ("bookmark_pages_sha256", "pages the bookmarks lead to"),
        ("view_sha256", "page numbering and opening view"),
    ):
        if key in record and not _is_digest(record[key]):
            return f"its digest of the {what} is not a SHA-256"
    if "bookmarks_sha256" in record and not all(
        _is_digest(record.get(key)) for key in ("bookmark_pages_sha256", "view_sha256")
    ):
        return "it holds a digest of the bookmarks but not of where they lead or of the opening view"
    each = record.get("page_sha256")
    if each is not None and not (
        isinstance(each, list)
        and len(each) == record["pages"]
        and all(isinstance(d, str) and len(d) == PAGE_DIGEST_HEX and set(d) <= _HEX64 for d in each)
    ):
        return "its digests of each page are not one short SHA-256 for every page"
    if "record_sha256" in record:
        from memdiff.report.pdfa import record_digest

        if record["record_sha256"] != record_digest(record):
            return "its contents do not match its own digest: it was edited after memdiff wrote it"
    return None


def _read(report: Path) -> ReportAsFound:
    """The report as found: its record (None when the report names a record that cannot be read) and digests.

    Raises InputError when ``report`` is no readable PDF or holds no memdiff record at all.
    """
    import pikepdf

    from memdiff.report.pdfa import RECORD_NS, XMP_MARKER, read_report

    if str(report) == "-":
        raise InputError(
            "A report cannot be read from standard input; give the path of the memdiff report PDF."
        )
    if report.is_dir():
        raise InputError(
            f"{report} is a folder, not a file; give the path of a memdiff report PDF."
        )
    if not report.exists():
        raise InputError(f"{report} does not exist; give the path of a memdiff report PDF.")
    if not report.is_file():
        raise InputError(
            f"{report} is not a regular file (a pipe, a device or a socket); save the report to a file first."
        )
    try:
        found = read_report(report)
    except pikepdf.PasswordError:
        # verify takes no password for the report: memdiff never encrypts one, so an encrypted
        # file is another PDF given by mistake, or a report encrypted after memdiff wrote it.
        raise InputError(
            f"{report.name} is password-protected, and memdiff never protects the reports it writes, so it "
            "is not a memdiff report as memdiff wrote it (or it was encrypted afterwards); give the report "
            "PDF as memdiff wrote it."
        ) from None
    except (pikepdf.PikepdfError, OSError, RecursionError, UnicodeError) as err:
        raise InputError(
            f"{report.name} cannot be read as a PDF ({err}); give the path of a memdiff report."
        ) from None
    if found.record is not None:
        return found
    if RECORD_NS.encode() in found.packet or XMP_MARKER.encode() in found.packet:
        # A record is there but cannot be read: a memdiff report whose record was damaged (exit 3, not 2).
        return found
    # Not a failed verification but the wrong file: a PDF memdiff did not write, or one stripped of its metadata.
    raise InputError(
        f"{report.name} is not a memdiff report: it holds no memdiff record (every report memdiff writes "
        "carries one in its metadata); give the report PDF that memdiff wrote."
    )


def _row_for(
    outputs: list[dict[str, Any]], sha256: str, name: str, taken: Collection[int] = ()
) -> tuple[dict[str, Any] | None, int]:
    """The report's row for this output, and its number.

    By hash first: the row with this hash and name, then one with this hash
    that no output given before has taken (a batch may hold the same answer
    twice, and each copy is its own output), then any with this hash (the
    same file given twice); failing that, to explain a change, by name or the
    only row.
    """
    rows = list(enumerate(outputs, start=1))
    for wanted in (
        lambda n, row: row.get("sha256") == sha256 and row.get("name") == name and n not in taken,
        lambda n, row: row.get("sha256") == sha256 and n not in taken,
        lambda n, row: row.get("sha256") == sha256,
        lambda n, row: row.get("name") == name,
    ):
        for n, row in rows:
            if wanted(n, row):
                return row, n
    if len(outputs) == 1:
        return outputs[0], 1
    return None, 0


Key = tuple[Any, ...]


@dataclass(frozen=True)
class FindingsMatch:
    """Which of a report's findings a re-run found again, found changed or lost, and which it adds.

    Each finding is its key as the record stores it (see ``_findings_keys``);
    pairs are (recorded, found now). Lists keep the record's order, and
    ``new`` the re-run's.
    """

    same: tuple[Key, ...]
    moved: tuple[tuple[Key, Key], ...]
    changed: tuple[tuple[Key, Key], ...]
    lost: tuple[Key, ...]
    new: tuple[Key, ...]
    #: (recorded, found now): a further re-run span over part of a recorded span found changed, such as
    #: the second half of a span split in two by one edited word; it belongs to that change, not to ``new``.
    pieces: tuple[tuple[Key, Key], ...] = ()


def _original_range(key: Key) -> tuple[float, float] | None:
    """A text span's range in the original, or None for anything else (an image region, a hand-edited key)."""
    if len(key) != 6:
        return None
    start, end = key[1], key[2]
    if isinstance(start, bool) or isinstance(end, bool):
        return None
    if not isinstance(start, int | float) or not isinstance(end, int | float):
        return None
    return start, end


def _match_findings(recorded: list[list[Any]], found: list[list[Any]], mode: str) -> FindingsMatch:
    """Pair a report's findings with a re-run's: at the same place, moved, changed; the rest are lost or new.

    A text span found again at the same place in the original with the same
    words counts as found, and as moved when it now sits elsewhere in the
    output (a word added before it shifts every later span): a small edit
    must not read as every span lost. A span still unpaired then pairs with a
    re-run span, of any kind, whose range in the original overlaps its own:
    one word edited inside a span splits or shrinks it, or turns an exact
    span into a near one, and that span was found changed, not lost. The
    pairs with the largest overlap are made first (a tie goes to the re-run
    span that starts first in the original), and each re-run span pairs once.
    Every re-run span still left whose range in the original overlaps a span
    found changed is then a piece of that change (the other half of a span
    split in two), not a new span: it goes to the changed span it overlaps
    most (a tie to the first in the record). Image regions pair only when equal.
    """
    before = [tuple(x) for x in recorded]
    remaining = [tuple(x) for x in found]
    same: list[Key] = []
    unmatched: list[Key] = []
    for item in before:
        if item in remaining:
            remaining.remove(item)
            same.append(item)
        else:
            unmatched.append(item)

    moved: dict[int, Key] = {}
    if mode == "text":
        for n, item in enumerate(unmatched):
            # Text spans: kind, original start and end, output start and end, words.
            if len(item) != 6:
                continue
            twin = next(
                (
                    r
                    for r in remaining
                    if len(r) == 6
                    and (r[0], r[1], r[2], r[5]) == (item[0], item[1], item[2], item[5])
                ),
                None,
            )
            if twin is not None:
                remaining.remove(twin)
                moved[n] = twin

    changed: dict[int, Key] = {}
    if mode == "text":
        candidates: list[tuple[float, float, float, int, int]] = []
        for n, item in enumerate(unmatched):
            mine = _original_range(item)
            if n in moved or mine is None:
                continue
            for m, other in enumerate(remaining):
                theirs = _original_range(other)
                if theirs is None:
                    continue
                overlap = min(mine[1], theirs[1]) - max(mine[0], theirs[0])
                if overlap > 0:
                    # Sorted: largest overlap, then the re-run span starting first, then the shorter one,
                    # then the record's order and the re-run's, so that every tie has one answer.
                    candidates.append((-overlap, theirs[0], theirs[1], n, m))
        taken: set[int] = set()
        for _, _, _, n, m in sorted(candidates):
            if n in changed or m in taken:
                continue
            changed[n] = remaining[m]
            taken.add(m)
        remaining = [r for m, r in enumerate(remaining) if m not in taken]

    pieces: list[tuple[int, Key]] = []
    if changed:
        left: list[Key] = []
        for other in remaining:
            theirs = _original_range(other)
            best: tuple[float, int] | None = None
            for n in sorted(changed):
                mine = _original_range(unmatched[n])
                if theirs is None or mine is None:
                    continue
                overlap = min(mine[1], theirs[1]) - max(mine[0], theirs[0])
                if overlap > 0 and (best is None or overlap > best[0]):
                    best = (overlap, n)
            if best is None:
                left.append(other)
            else:
                pieces.append((best[1], other))
        remaining = left

    return FindingsMatch(
        same=tuple(same),
        moved=tuple((item, moved[n]) for n, item in enumerate(unmatched) if n in moved),
        changed=tuple((item, changed[n]) for n, item in enumerate(unmatched) if n in changed),
        lost=tuple(item for n, item in enumerate(unmatched) if n not in moved and n not in changed),
        new=tuple(remaining),
        pieces=tuple((unmatched[n], other) for n, other in sorted(pieces, key=lambda p: p[0])),
    )


def _difference(recorded: list[list[Any]], found: list[list[Any]], mode: str) -> str:
    """One sentence: how many findings of the report were found again (where they were, or moved), found
    changed (and into how many spans, when one was split), or lost, and how many are new (see
    ``_match_findings`` for how they are paired)."""
    noun = ("span", "spans") if mode == "text" else ("region", "regions")
    match = _match_findings(recorded, found, mode)
    moved, changed, lost, new = (
        len(match.moved),
        len(match.changed),
        len(match.lost),
        len(match.new),
    )
    total_before = len(recorded)
    total_after = len(found)
    if not lost and not new and not moved and not changed:
        return f"The same {_counted(total_before, noun)} {_was(total_before)} found; the summary figures differ."
    again = len(match.same) + moved
    said = f"Of the report's {_counted(total_before, noun)}, {again} {_was(again)} found again"
    if moved:
        said += f" ({_where_moved(match)})"
    if changed:
        said += (
            f", {changed} {_was(changed)} found changed "
            f"({'its' if changed == 1 else 'their'} words or kind differ"
        )
        if match.pieces:
            # A split span is one finding changed, not one changed and one new: say why the count grew.
            now = changed + len(match.pieces)
            said += f", and {'it is' if changed == 1 else 'they are'} now found as {_counted(now, noun)}"
        said += ")"
    said += f" and {lost} {_was(lost)} not"
    return (
        f"{said}; {_counted(new, noun)} {_was(new)} found that the report does not list "
        f"({total_after} in all now)."
    )


def _where_moved(match: FindingsMatch) -> str:
    """Where the spans found again elsewhere in the output are: shifted, or in another order.

    A span whose place among the spans found again (by where it starts in
    the output) is the one it had is only shifted: the text before it is
    longer or shorter now, as after one word edited before it. Only a span
    whose order among them changed is said to be at another place.
    """
    pairs = [(key, key) for key in match.same] + list(match.moved)

    def order(position: int) -> list[int]:
        def start(n: int) -> tuple[float, float, int]:
            key = pairs[n][position]
            return (float(key[3]), float(key[4]), n) if len(key) == 6 else (0.0, 0.0, n)

        ranked = sorted(range(len(pairs)), key=start)
        place = [0] * len(pairs)
        for rank, n in enumerate(ranked):
            place[n] = rank
        return place

    before, now = order(0), order(1)
    first = len(match.same)
    reordered = sum(1 for n in range(first, len(pairs)) if before[n] != now[n])
    shifted = len(match.moved) - reordered
    parts = []
    if shifted:
        it = "it" if shifted == 1 else "them"
        parts.append(
            f"{shifted} at {'another character position' if shifted == 1 else 'other character positions'} "
            f"in the output, as the text before {it} is longer or shorter now"
        )
    if reordered:
        parts.append(f"{reordered} at another place in the output, in another order among the spans")
    return ", and ".join(parts)


def _was(n: int) -> str:
    return "was" if n == 1 else "were"


def _counted(n: int, noun: tuple[str, str]) -> str:
    return f"{n} {noun[0] if n == 1 else noun[1]}"

"""Archival finishing of a report: PDF/A-2b identification, sRGB output intent, fixed metadata and ID.

reportlab writes the pages; this step (with pikepdf) adds what an archival
PDF needs and reportlab does not write: an XMP metadata packet that names the
file PDF/A-2b and repeats the document information, and an output intent with
an sRGB colour profile. It also stores memdiff's *record* (parameters, input
hashes, findings digest) as a custom XMP property, declared through the
PDF/A extension-schema mechanism, which is what ``memdiff verify`` reads back.
The record also seals the report itself: its pages (as a whole and each
page), pictures, fonts and page frames, bookmarks and where they lead, and
the page labels and view a viewer opens with. No attachments, no JavaScript,
no actions, no form, no encryption (``never_written`` finds any added later).

What cannot be checked on this machine: full conformance needs a validator
such as veraPDF (Java), which is not available here. The tests check the
parts that can be checked: XMP identification, output intent, every font
embedded, no JavaScript, attachments or encryption, and Info/XMP agreement.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from html import escape
from typing import Any

import pikepdf
from PIL import ImageCms

from memdiff.evidence import fixed_moment

RECORD_NS = "urn:memdiff:ns:report:1.0/"
XMP_MARKER = "memdiff:record"


def report_moment() -> _dt.datetime:
    """The report's date: ``SOURCE_DATE_EPOCH`` when set (reproducible builds), otherwise now."""
    return fixed_moment()


@lru_cache(maxsize=1)
def srgb_profile() -> bytes:
    """An sRGB ICC profile made by LittleCMS, with its creation date fixed so the bytes never vary."""
    data = bytearray(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    # Bytes 24..35 hold the creation date (six big-endian 16-bit numbers);
    # the profile ID (84..99) is left zero, which means "not computed".
    data[24:36] = bytes.fromhex("07d0 0001 0001 0000 0000 0000".replace(" ", ""))
    return bytes(data)


_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _printable(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot hold (control characters other than tab and line ends)."""
    return _XML_INVALID.sub("", text)


def _pdf_date(moment: _dt.datetime) -> str:
    return moment.strftime("D:%Y%m%d%H%M%S+00'00'")


def _xmp_date(moment: _dt.datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S+00:00")


def report_subject(original: str, outputs: list[str]) -> str:
    """The subject memdiff writes in a report's document information: what it compares with what."""
    if len(outputs) == 1:
        return f"memdiff comparison of {outputs[0]} with {original}"
    return f"memdiff comparison of {len(outputs)} outputs with {original}"


def document_info(
    *,
    title: str,
    author: str,
    subject: str,
    keywords: str,
    creator: str,
    producer: str,
    created: str,
) -> dict[str, str]:
    """The document information as memdiff writes it, for the record to keep (``created``: the PDF date).

    Kept in the record, it lets verify say that a field was changed and what
    memdiff wrote, even when both the Info dictionary and its XMP copy were
    edited alike.
    """
    return {
        "Title": title,
        "Author": author,
        "Subject": subject,
        "Keywords": keywords,
        "Creator": creator,
        "Producer": producer,
        "CreationDate": created,
        "ModDate": created,
    }


def xmp_packet(
    *,
    title: str,
    author: str,
    subject: str,
    keywords: str,
    creator_tool: str,
    producer: str,
    moment: _dt.datetime,
    record: dict[str, Any],
) -> bytes:
    """The XMP metadata packet, written by hand so its bytes are fully determined by its content."""
    record_text = json.dumps(record, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    when = _xmp_date(moment)
    creator = (
        f"<dc:creator><rdf:Seq><rdf:li>{escape(author, quote=False)}</rdf:li></rdf:Seq></dc:creator>"
        if author
        else ""
    )
    description = (
        '<dc:description><rdf:Alt><rdf:li xml:lang="x-default">'
        f"{escape(subject, quote=False)}</rdf:li></rdf:Alt></dc:description>"
        if subject
        else ""
    )
    text = f"""<?xpacket begin="\ufeff" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:pdfaid="http://www.aiim.org/pdfa/ns/id/">
<pdfaid:part>2</pdfaid:part>
<pdfaid:conformance>B</pdfaid:conformance>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:format>application/pdf</dc:format>
<dc:title><rdf:Alt><rdf:li xml:lang="x-default">{escape(title, quote=False)}</rdf:li></rdf:Alt></dc:title>
{creator}{description}
</rdf:Description>
<rdf:Description rdf:about="" xmlns:xmp="http://ns.adobe.com/xap/1.0/">
<xmp:CreateDate>{when}</xmp:CreateDate>
<xmp:ModifyDate>{when}</xmp:ModifyDate>
<xmp:MetadataDate>{when}</xmp:MetadataDate>
<xmp:CreatorTool>{escape(creator_tool, quote=False)}</xmp:CreatorTool>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdf="http://ns.adobe.com/pdf/1.3/">
<pdf:Producer>{escape(producer, quote=False)}</pdf:Producer>
<pdf:Keywords>{escape(keywords, quote=False)}</pdf:Keywords>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>memdiff report record</pdfaSchema:schema>
<pdfaSchema:namespaceURI>{RECORD_NS}</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>memdiff</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>record</pdfaProperty:name>
<pdfaProperty:valueType>Text</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>JSON: parameters, input hashes, tool version and findings digest, read by memdiff verify</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
<rdf:Description rdf:about="" xmlns:memdiff="{RECORD_NS}">
<{XMP_MARKER}>{escape(record_text, quote=False)}</{XMP_MARKER}>
</rdf:Description>
</rdf:RDF>
</x:xmpmeta>
<?xpacket end="w"?>"""
    return text.encode("utf-8")


def finish(
    pdf: bytes,
    *,
    title: str,
    author: str,
    subject: str,
    keywords: str,
    creator_tool: str,
    producer: str,
    moment: _dt.datetime,
    record: dict[str, Any],
    language: str = "en",
    pages: list[bytes] | None = None,
) -> bytes:
    """Add XMP, output intent, matching document information and a content-derived ID.

    ``pages`` are the pages' decoded content streams when the caller has them
    (otherwise they are read back from ``pdf``).
    """
    # A control character (other than a line end or tab) is invalid in the XMP packet's XML, and a
    # report whose record cannot be read back can never be verified: such characters are left out.
    title, author, subject, keywords = (_printable(v) for v in (title, author, subject, keywords))
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root
        # The record also seals the visible pages, so that verify notices a
        # report with pages removed, added or swapped in from another.
        contents = pages if pages is not None and len(pages) == len(doc.pages) else page_contents(doc)
        # Each font's streams are hashed once, for its tag and for the digest.
        known: dict[tuple[int, int], bytes] = {}
        _distinct_subset_tags(doc, known)
        record = {
            **record,
            "pages": len(contents),
            "pages_sha256": _digest_of(contents),
            # One short digest per page, so that verify can name the page that changed.
            "page_sha256": page_digests(contents),
            "resources_sha256": resources_digest(doc, known),
            # What a reader sees besides the pages: the bookmark panel (open by default) and the
            # page numbers and view a viewer opens with.
            "bookmarks_sha256": bookmarks_digest(doc),
            "bookmark_pages_sha256": bookmark_pages_digest(doc),
            "view_sha256": view_digest(doc),
            # The document information as written, so that verify can say what memdiff wrote
            # even when the Info dictionary and its XMP copy were edited alike.
            "document_info": document_info(
                title=title,
                author=author,
                subject=subject,
                keywords=keywords,
                creator=creator_tool,
                producer=producer,
                created=_pdf_date(moment),
            ),
        }
        record["record_sha256"] = record_digest(record)
        packet = xmp_packet(
            title=title,
            author=author,
            subject=subject,
            keywords=keywords,
            creator_tool=creator_tool,
            producer=producer,
            moment=moment,
            record=record,
        )
        metadata = pikepdf.Stream(doc, packet)
        metadata.Type = pikepdf.Name.Metadata
        metadata.Subtype = pikepdf.Name.XML
        root.Metadata = doc.make_indirect(metadata)

        profile = pikepdf.Stream(doc, srgb_profile())
        profile.N = 3
        profile.Alternate = pikepdf.Name.DeviceRGB
        intent = pikepdf.Dictionary(
            Type=pikepdf.Name.OutputIntent,
            S=pikepdf.Name.GTS_PDFA1,
            OutputConditionIdentifier=pikepdf.String("sRGB IEC61966-2.1"),
            Info=pikepdf.String("sRGB IEC61966-2.1"),
            RegistryName=pikepdf.String("http://www.color.org"),
            DestOutputProfile=doc.make_indirect(profile),
        )
        root.OutputIntents = pikepdf.Array([doc.make_indirect(intent)])
        root.Lang = pikepdf.String(language)

        info = pikepdf.Dictionary(
            Title=pikepdf.String(title),
            Creator=pikepdf.String(creator_tool),
            Producer=pikepdf.String(producer),
            Keywords=pikepdf.String(keywords),
            CreationDate=pikepdf.String(_pdf_date(moment)),
            ModDate=pikepdf.String(_pdf_date(moment)),
        )
        if author:
            info.Author = pikepdf.String(author)
        if subject:
            info.Subject = pikepdf.String(subject)
        doc.trailer.Info = doc.make_indirect(info)

        out = io.BytesIO()
        doc.save(
            out,
            min_version="1.7",
            deterministic_id=True,
            # Keep the hand-written XMP packet as it is (pikepdf would parse and rewrite it).
            fix_metadata_version=False,
            # reportlab already compressed every stream it wrote; asking qpdf to
            # compress would make it inflate and deflate them all again (three
            # quarters of this step's time, for the same size). The two streams
            # added here stay plain: the XMP packet is meant to be readable as it is.
            compress_streams=False,
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return out.getvalue()


def _distinct_subset_tags(doc: pikepdf.Pdf, known: dict[tuple[int, int], bytes]) -> None:
    """Give every embedded font subset its own six-letter tag.

    reportlab tags the first subset of every font alike (AAAAAA+DejaVuSans,
    AAAAAA+NanumGothic); ISO 32000-1, 9.6.4 wants a different tag for each
    subset in a file. The new tag is made from the subset's own bytes (its
    font program), so that two reports' different subsets of one face never
    share a name either (a tool merging exhibits may take fonts of one name
    for one font), and it depends on nothing but the report.
    """
    fonts: list[pikepdf.Dictionary] = []
    seen: set[tuple[int, int]] = set()
    for page in doc.pages:
        resources = page.obj.get("/Resources")
        for font in (resources.get("/Font", {}) if resources is not None else {}).values():
            if (
                font.objgen not in seen
                and "/FontDescriptor" in font
                and "+" in str(font.get("/BaseFont", ""))
            ):
                seen.add(font.objgen)
                fonts.append(font)
    used: set[str] = set()
    for font in fonts:
        name = str(font.BaseFont)[1:].split("+", 1)[1]
        content = known[font.objgen] = _resource_digest(font)
        counter = 0
        while True:
            digest = hashlib.sha256(content + f"\x00{name}\x00{counter}".encode()).digest()
            tag = "".join(chr(65 + b % 26) for b in digest[:6])
            if tag not in used:
                break
            counter += 1
        used.add(tag)
        font.BaseFont = pikepdf.Name(f"/{tag}+{name}")
        font.FontDescriptor.FontName = pikepdf.Name(f"/{tag}+{name}")


def page_contents(doc: pikepdf.Pdf) -> list[bytes]:
    """Every page's decoded content streams, joined, in page order."""
    pages: list[bytes] = []
    for page in doc.pages:
        contents = page.obj.get("/Contents")
        if contents is None:
            streams = []
        elif isinstance(contents, pikepdf.Array):
            streams = list(contents)
        else:
            streams = [contents]
        # Anything listed that is not a stream (a hostile file's) draws nothing.
        pages.append(
            b"".join(stream.read_bytes() for stream in streams if isinstance(stream, pikepdf.Stream))
        )
    return pages


def pages_digest(doc: pikepdf.Pdf) -> tuple[int, str]:
    """Number of pages and SHA-256 over every page's decoded content streams, in page order."""
    pages = page_contents(doc)
    return len(pages), _digest_of(pages)


#: Hex digits kept of each page's SHA-256: 64 bits tell pages apart (a changed page is found by
#: comparing, not forged against), and keep a 138-page record about 2.6 kB longer.
PAGE_DIGEST_HEX = 16


def page_digests(pages: list[bytes]) -> list[str]:
    """The first ``PAGE_DIGEST_HEX`` hex digits of each page's content SHA-256, in page order."""
    return [hashlib.sha256(content).hexdigest()[:PAGE_DIGEST_HEX] for content in pages]


#: The links that make an outline a tree; the tree is walked, not hashed as objects.
_OUTLINE_LINKS = frozenset({"/Parent", "/Prev", "/Next", "/First", "/Last", "/Count"})
#: Where an outline item says where it leads.
_OUTLINE_TARGETS = frozenset({"/Dest", "/A", "/SE"})
#: Bounds on a hostile file's outline (a loop, or millions of items): the digest stays finite.
_MOST_OUTLINE_ITEMS = 100_000
_DEEPEST = 32


#: Objects one digest of bookmarks or view reads at most: a report's are a few hundred; a hostile
#: file whose bookmark points into the whole document stops here instead of reading it all.
_MOST_OBJECTS = 50_000


class _Plain:
    """Turns PDF objects into plain JSON data that depends only on what they say (never on object numbers).

    A page is named by its place in the document ("page": 0 is the first);
    a dictionary's keys are sorted by the JSON writer. An indirect object
    met a second time is named by the order it was first met ("seen": 3),
    so that a loop or a much-shared object is read once; nesting deeper
    than a report's objects ever go, or more objects than ``_MOST_OBJECTS``,
    are cut off.
    """

    def __init__(self, pages: dict[tuple[int, int], int]) -> None:
        self.pages = pages
        self.seen: dict[tuple[int, int], int] = {}
        self.read = 0

    def __call__(self, obj: Any, depth: int = 0) -> Any:
        self.read += 1
        if depth > _DEEPEST or self.read > _MOST_OBJECTS:
            return "..."
        if isinstance(obj, pikepdf.Object) and obj.is_indirect:
            key = obj.objgen
            if key in self.pages:
                return {"page": self.pages[key]}
            if key in self.seen:
                return {"seen": self.seen[key]}
            self.seen[key] = len(self.seen)
        if isinstance(obj, pikepdf.Stream):
            return {"stream": hashlib.sha256(_stream_bytes(obj)).hexdigest()}
        if isinstance(obj, pikepdf.Dictionary):
            return {str(k): self(v, depth + 1) for k, v in obj.items()}
        if isinstance(obj, pikepdf.Array):
            return [self(v, depth + 1) for v in obj]
        if isinstance(obj, pikepdf.Name | pikepdf.String):
            try:
                return str(obj)
            except UnicodeDecodeError:  # a name that is no UTF-8: its bytes, one character each
                return bytes(obj.unparse()).decode("latin-1")
        if isinstance(obj, bool) or obj is None:
            return obj
        if isinstance(obj, int | float):
            return float(obj)
        try:  # a decimal number, as pikepdf gives it
            return float(obj)
        except (TypeError, ValueError):
            return repr(obj)


def _page_places(doc: pikepdf.Pdf) -> dict[tuple[int, int], int]:
    return {page.obj.objgen: n for n, page in enumerate(doc.pages)}


def _outline_items(doc: pikepdf.Pdf) -> list[tuple[int, pikepdf.Dictionary]]:
    """Every bookmark with its depth (0: top level), in the order the bookmark panel shows them."""
    outlines = doc.Root.get("/Outlines")
    out: list[tuple[int, pikepdf.Dictionary]] = []
    seen: set[tuple[int, int]] = set()
    if not isinstance(outlines, pikepdf.Dictionary):
        return out
    stack: list[tuple[int, Any]] = [(0, outlines.get("/First"))]
    while stack and len(out) < _MOST_OUTLINE_ITEMS:
        depth, item = stack.pop()
        if not isinstance(item, pikepdf.Dictionary) or depth > _DEEPEST:
            continue
        if item.objgen != (0, 0):
            if item.objgen in seen:
                continue
            seen.add(item.objgen)
        out.append((depth, item))
        # The next sibling after this item's children: pushed first, popped last.
        stack.append((depth, item.get("/Next")))
        stack.append((depth + 1, item.get("/First")))
    return out


def _json_digest(data: Any) -> str:
    text = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    # A text string of broken UTF-16 reads back with lone surrogates: they are hashed as they are.
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def bookmarks_digest(doc: pikepdf.Pdf) -> str:
    """SHA-256 over the bookmark panel as a reader sees it: titles, nesting, open or closed, colour and style.

    Where each bookmark leads is in ``bookmark_pages_digest``, apart: when
    pages were removed, the titles can still be compared.
    """
    plain = _Plain(_page_places(doc))
    rows = []
    for depth, item in _outline_items(doc):
        count = item.get("/Count")
        rows.append(
            [
                depth,
                {
                    str(k): plain(v)
                    for k, v in item.items()
                    if k not in _OUTLINE_LINKS and k not in _OUTLINE_TARGETS
                },
                # Open (positive) or closed (negative): the panel shows a closed item's children folded.
                None if count is None else int(count) > 0,
            ]
        )
    return _json_digest(rows)


def bookmark_pages_digest(doc: pikepdf.Pdf) -> str:
    """SHA-256 over where each bookmark leads: the page (by its place) and the view, or the action."""
    plain = _Plain(_page_places(doc))
    rows = [
        {str(k): plain(v) for k, v in item.items() if k in _OUTLINE_TARGETS}
        for _, item in _outline_items(doc)
    ]
    return _json_digest(rows)


#: What a viewer shows of a document before any page: its page numbers and the view it opens with.
VIEW_KEYS = ("/PageLabels", "/PageMode", "/PageLayout", "/ViewerPreferences")


def view_digest(doc: pikepdf.Pdf) -> str:
    """SHA-256 over the page labels (the page numbers a viewer shows) and the view a viewer opens with.

    An action run on opening (/OpenAction) is not here: memdiff never writes
    one, so ``never_written`` names any there is, on any report.
    """
    plain = _Plain(_page_places(doc))
    root = doc.Root
    return _json_digest({key: plain(root.get(key)) for key in VIEW_KEYS})


#: Actions that run something, fill or send a form or import data: memdiff never writes any.
_ACTIVE_ACTIONS = {
    "/JavaScript": "a JavaScript action",
    "/Launch": "an action that starts a program or opens a file",
    "/SubmitForm": "an action that sends form data",
    "/ImportData": "an action that imports data",
    "/ResetForm": "a form action",
    "/Rendition": "a media action",
    "/Sound": "a sound action",
    "/Movie": "a movie action",
    "/RichMediaExecute": "a media action",
}


def _action(action: Any) -> str:
    """Words for an action dictionary: "a JavaScript action", or "an action" for any other kind."""
    kind = action.get("/S") if isinstance(action, pikepdf.Dictionary) else None
    return _ACTIVE_ACTIONS.get(str(kind), "an action") if kind is not None else "an action"


def never_written(doc: pikepdf.Pdf) -> list[str]:
    """What the report holds that memdiff never writes (actions, scripts, attached files, forms), in words.

    A report has no actions, attachments or form: any of them was added
    afterwards, and some run when the report is opened.
    """
    root = doc.Root
    found: list[str] = []
    opening = root.get("/OpenAction")
    if isinstance(opening, pikepdf.Dictionary):
        found.append(f"{_action(opening)} run when it is opened (/OpenAction)")
    elif opening is not None:
        found.append("an instruction to open at another page or view (/OpenAction)")
    extra = root.get("/AA")
    if isinstance(extra, pikepdf.Dictionary):
        kinds = sorted({_action(a) for a in extra.values()})
        found.append(f"{' and '.join(kinds)} run when it is opened, closed, saved or printed (/AA)")
    names = root.get("/Names")
    if isinstance(names, pikepdf.Dictionary):
        if "/JavaScript" in names:
            found.append("a JavaScript action in its document-level scripts (/Names /JavaScript)")
        if "/EmbeddedFiles" in names:
            found.append("attached files (/Names /EmbeddedFiles)")
    if "/AcroForm" in root:
        found.append("a form (/AcroForm)")
    for n, page in enumerate(doc.pages, start=1):
        extra = page.obj.get("/AA")
        if isinstance(extra, pikepdf.Dictionary):
            kinds = sorted({_action(a) for a in extra.values()})
            found.append(f"{' and '.join(kinds)} run when page {n} is opened or closed (/AA)")
        for annotation in _annotations(page):
            subtype = str(annotation.get("/Subtype", ""))
            if subtype == "/FileAttachment":
                found.append(f"an attached file on page {n}")
            elif subtype == "/Widget":
                found.append(f"a form field on page {n}")
            triggers = annotation.get("/AA")
            triggered = list(triggers.values()) if isinstance(triggers, pikepdf.Dictionary) else []
            for action in (annotation.get("/A"), *triggered):
                if isinstance(action, pikepdf.Dictionary) and str(action.get("/S")) in _ACTIVE_ACTIONS:
                    found.append(f"{_action(action)} in an annotation on page {n}")
    # One mention of each, in the order found.
    return list(dict.fromkeys(found))


def record_digest(record: dict[str, Any]) -> str:
    """SHA-256 of a record's canonical JSON, its own digest left out.

    Stored in the record, it shows an edit made without working the digest
    out again; like the others it is a check, not a signature.
    """
    body = {key: value for key, value in record.items() if key != "record_sha256"}
    text = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def resources_digest(doc: pikepdf.Pdf, known: dict[tuple[int, int], bytes] | None = None) -> str:
    """SHA-256 over what decides a page's look besides its operators: pictures, fonts, page boxes, annotations.

    The pages' digest covers what is drawn where; this one covers the
    pictures themselves (an image report's evidence), the embedded fonts
    (their glyphs, and the map by which the text is read back), and each
    page's boxes, rotation and annotations (``_page_frame``). Each
    stream counts by its decoded bytes, so rewriting the file without
    changing what it shows changes nothing; one that cannot be decoded here
    counts as stored.
    """
    digest = hashlib.sha256()
    # Every page names the same few fonts: each object's bytes are read once
    # (``known`` holds the digests already made, by object).
    known = {} if known is None else known
    for page in doc.pages:
        digest.update(b"\x00page\x00")
        digest.update(_page_frame(doc, page))
        resources = page.obj.get("/Resources")
        if not isinstance(resources, pikepdf.Dictionary):
            continue
        for kind in ("/Font", "/XObject"):
            entries = resources.get(kind)
            if not isinstance(entries, pikepdf.Dictionary):
                continue
            for name in sorted(entries.keys()):
                digest.update(f"\x00{kind}{name}\x00".encode())
                resource = entries[name]
                # A hostile file's entry may be a number: it counts by its name alone.
                key = resource.objgen if isinstance(resource, pikepdf.Object) else (0, 0)
                part = known.get(key) if key != (0, 0) else None
                if part is None:
                    part = _resource_digest(resource)
                    if key != (0, 0):
                        known[key] = part
                digest.update(part)
    return digest.hexdigest()


def _page_frame(doc: pikepdf.Pdf, page: pikepdf.Page) -> bytes:
    """What decides how much of a page shows, turned how, and what is drawn over it.

    The page boxes, rotation and unit size (a crop box can hide half a
    page), and every annotation (a white box or a note laid over the text)
    with its appearance. A memdiff report has no annotations.
    """
    parts: list[str] = []
    # A box or number a hostile file made something else counts as "not a number", never a crash.
    for name in ("mediabox", "cropbox", "bleedbox", "trimbox", "artbox"):
        try:
            parts.append(f"{name}={[float(v) for v in getattr(page, name)]}")
        except (TypeError, ValueError, pikepdf.PdfError):
            parts.append(f"{name}=not a number")
    for key in ("/Rotate", "/UserUnit"):
        value = page.obj.get(key, doc.Root.Pages.get(key))
        try:
            parts.append(f"{key}={float(value) if value is not None else None}")
        except (TypeError, ValueError):
            parts.append(f"{key}=not a number")
    digest = hashlib.sha256("\x00".join(parts).encode())
    for annotation in _annotations(page):
        digest.update(b"\x00annotation\x00")
        for key in ("/Subtype", "/Rect", "/Contents", "/F", "/C", "/IC", "/CA"):
            value = annotation.get(key)
            digest.update(f"{key}={value!r}\x00".encode() if value is not None else b"")
        appearance = annotation.get("/AP")
        normal = appearance.get("/N") if appearance is not None else None
        if isinstance(normal, pikepdf.Stream):
            digest.update(_stream_bytes(normal))
    return digest.digest()


def _annotations(page: pikepdf.Page) -> list[pikepdf.Dictionary]:
    """A page's annotations; anything in its list that is not one (a hostile file's) is passed over."""
    listed = page.obj.get("/Annots")
    if not isinstance(listed, pikepdf.Array):
        return []
    return [a for a in listed if isinstance(a, pikepdf.Dictionary)]


def _resource_digest(resource: pikepdf.Object) -> bytes:
    """SHA-256 of the streams one font or picture is made of, in order."""
    digest = hashlib.sha256()
    for stream in _streams_of(resource):
        digest.update(b"\x00stream\x00")
        digest.update(_stream_bytes(stream))
    return digest.digest()


def _streams_of(resource: pikepdf.Object) -> list[pikepdf.Stream]:
    """The streams a font or picture is made of: the picture and its mask; the font's program and ToUnicode map."""
    out: list[pikepdf.Stream] = []
    if isinstance(resource, pikepdf.Stream):
        out.append(resource)
        mask = resource.get("/SMask")
        if isinstance(mask, pikepdf.Stream):
            out.append(mask)
        return out
    if not isinstance(resource, pikepdf.Dictionary):
        return out
    descriptor = resource.get("/FontDescriptor")
    if isinstance(descriptor, pikepdf.Dictionary):
        for key in ("/FontFile", "/FontFile2", "/FontFile3"):
            program = descriptor.get(key)
            if isinstance(program, pikepdf.Stream):
                out.append(program)
    to_unicode = resource.get("/ToUnicode")
    if isinstance(to_unicode, pikepdf.Stream):
        out.append(to_unicode)
    return out


def _stream_bytes(stream: pikepdf.Stream) -> bytes:
    try:
        return stream.read_bytes()
    except pikepdf.PdfError:  # a filter qpdf does not decode (a JPEG picture): its stored bytes
        return stream.read_raw_bytes()


def read_resources_digest(pdf_path: str | os.PathLike[str]) -> str:
    with pikepdf.open(pdf_path) as doc:
        return resources_digest(doc)


def _digest_of(pages: list[bytes]) -> str:
    """SHA-256 over each page's content, each preceded by a page mark."""
    digest = hashlib.sha256()
    for content in pages:
        digest.update(b"\x00page\x00")
        digest.update(content)
    return digest.hexdigest()


def read_pages_digest(pdf_path: str | os.PathLike[str]) -> tuple[int, str]:
    with pikepdf.open(pdf_path) as doc:
        return pages_digest(doc)


def read_record(pdf_path: str | os.PathLike[str]) -> dict[str, Any] | None:
    """The memdiff record stored in a report's XMP metadata, or None when there is none."""
    with pikepdf.open(pdf_path) as doc:
        metadata = doc.Root.get("/Metadata")
        if metadata is None:
            return None
        packet = metadata.read_bytes()
    return record_in(packet)


@dataclass(frozen=True)
class ReportAsFound:
    """What verify needs of a report file, read in one opening: its record and the digests made anew.

    ``record`` is None when the XMP packet holds none that can be read;
    ``info`` is the Info dictionary's text fields (absent: not there).
    """

    record: dict[str, Any] | None
    packet: bytes
    info: dict[str, str]
    pages: int
    pages_sha256: str
    page_sha256: tuple[str, ...]
    resources_sha256: str
    bookmarks_sha256: str
    bookmark_pages_sha256: str
    view_sha256: str
    never_written: tuple[str, ...]


def read_report(pdf_path: str | os.PathLike[str]) -> ReportAsFound:
    """Open a report once and read its record, document information and digests as they are now.

    Raises what pikepdf raises for a file it cannot open (``PasswordError``
    for a password-protected one); the caller words it.
    """
    with pikepdf.open(pdf_path) as doc:
        metadata = doc.Root.get("/Metadata")
        packet = metadata.read_bytes() if isinstance(metadata, pikepdf.Stream) else b""
        found = doc.trailer.get("/Info")
        info = (
            {str(k)[1:]: str(v) for k, v in found.items()}
            if isinstance(found, pikepdf.Dictionary)
            else {}
        )
        contents = page_contents(doc)
        return ReportAsFound(
            record=record_in(packet),
            packet=packet,
            info=info,
            pages=len(contents),
            pages_sha256=_digest_of(contents),
            page_sha256=tuple(page_digests(contents)),
            resources_sha256=resources_digest(doc),
            bookmarks_sha256=bookmarks_digest(doc),
            bookmark_pages_sha256=bookmark_pages_digest(doc),
            view_sha256=view_digest(doc),
            never_written=tuple(never_written(doc)),
        )


def record_in(packet: bytes) -> dict[str, Any] | None:
    """The memdiff record in an XMP packet, or None when it holds none that can be read."""
    import xml.etree.ElementTree as ET

    try:
        start = packet.index(b"<x:xmpmeta")
        end = packet.index(b"</x:xmpmeta>") + len(b"</x:xmpmeta>")
        tree = ET.fromstring(packet[start:end])
    except (ValueError, ET.ParseError):
        return None
    node = tree.find(f".//{{{RECORD_NS}}}record")
    if node is None or not node.text:
        return None
    try:
        record = json.loads(node.text)
    except json.JSONDecodeError:
        return None
    return record if isinstance(record, dict) else None

"""Archival finishing of a report: PDF/A-2b identification, sRGB output intent, fixed metadata and ID.

reportlab writes the pages; this step (with pikepdf) adds what an archival
PDF needs and reportlab does not write: an XMP metadata packet that names the
file PDF/A-2b and repeats the document information, and an output intent with
an sRGB colour profile. It also stores memdiff's *record* (parameters, input
hashes, findings digest) as a custom XMP property, declared through the
PDF/A extension-schema mechanism, which is what ``memdiff verify`` reads back.
No attachments, no JavaScript, no encryption.

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
        if pages is not None and len(pages) == len(doc.pages):
            count, digest = len(pages), _digest_of(pages)
        else:
            count, digest = pages_digest(doc)
        # Each font's streams are hashed once, for its tag and for the digest.
        known: dict[tuple[int, int], bytes] = {}
        _distinct_subset_tags(doc, known)
        record = {
            **record,
            "pages": count,
            "pages_sha256": digest,
            "resources_sha256": resources_digest(doc, known),
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


def pages_digest(doc: pikepdf.Pdf) -> tuple[int, str]:
    """Number of pages and SHA-256 over every page's decoded content streams, in page order."""
    pages: list[bytes] = []
    for page in doc.pages:
        contents = page.obj.get("/Contents")
        if contents is None:
            streams = []
        elif isinstance(contents, pikepdf.Array):
            streams = list(contents)
        else:
            streams = [contents]
        pages.append(b"".join(stream.read_bytes() for stream in streams))
    return len(doc.pages), _digest_of(pages)


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
        if resources is None:
            continue
        for kind in ("/Font", "/XObject"):
            entries = resources.get(kind)
            if entries is None:
                continue
            for name in sorted(entries.keys()):
                digest.update(f"\x00{kind}{name}\x00".encode())
                resource = entries[name]
                key = resource.objgen
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
    parts = [
        f"{name}={[float(v) for v in getattr(page, name)]}"
        for name in ("mediabox", "cropbox", "bleedbox", "trimbox", "artbox")
    ]
    for key in ("/Rotate", "/UserUnit"):
        value = page.obj.get(key, doc.Root.Pages.get(key))
        parts.append(f"{key}={float(value) if value is not None else None}")
    digest = hashlib.sha256("\x00".join(parts).encode())
    for annotation in page.obj.get("/Annots", pikepdf.Array()):
        digest.update(b"\x00annotation\x00")
        for key in ("/Subtype", "/Rect", "/Contents", "/F", "/C", "/IC", "/CA"):
            value = annotation.get(key)
            digest.update(f"{key}={value!r}\x00".encode() if value is not None else b"")
        appearance = annotation.get("/AP")
        normal = appearance.get("/N") if appearance is not None else None
        if isinstance(normal, pikepdf.Stream):
            digest.update(_stream_bytes(normal))
    return digest.digest()


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
    descriptor = resource.get("/FontDescriptor")
    if descriptor is not None:
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
    import xml.etree.ElementTree as ET

    with pikepdf.open(pdf_path) as doc:
        metadata = doc.Root.get("/Metadata")
        if metadata is None:
            return None
        packet = metadata.read_bytes()
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

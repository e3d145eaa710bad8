"""Real documents made on the fly for the ingest tests: PDFs (reportlab, pypdf, pikepdf) and Word files.

Each function returns the bytes of a genuine file, written by the same
libraries that make such files in the wild, so the readers are tested against
real structure and never against mocks.
"""

from __future__ import annotations

import zlib
from io import BytesIO


def _dejavu_font() -> str:
    """Register DejaVu Sans with reportlab (it has the ﬁ/ﬂ ligature glyphs) and return its name."""
    from memdiff.resources import path as resource_path
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if "DejaVuSans" not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont("DejaVuSans", str(resource_path("fonts", "DejaVuSans.ttf"))))
    return "DejaVuSans"


def sample_novel_pdf(labels: tuple[tuple[int, str, int, str], ...] = ()) -> bytes:
    """The bundled sample original as a PDF of 40-line pages (wrapped at 80 columns): a paged original.

    ``labels`` number its pages as :func:`text_pdf`'s do.
    """
    import textwrap

    from memdiff.resources import path as resource_path

    text = resource_path("samples", "original.txt").read_text(encoding="utf-8")
    lines = [line for block in text.split("\n") for line in (textwrap.wrap(block, 80) or [""])]
    return text_pdf([lines[i : i + 40] for i in range(0, len(lines), 40)], labels=labels)


def text_pdf(
    pages: list[list[str]], *, unicode_font: bool = True, labels: tuple[tuple[int, str, int, str], ...] = ()
) -> bytes:
    """A PDF with one page per entry, each line drawn at the left margin; [] makes a blank page.

    ``labels`` number the pages as a book does (PDF page labels): (first page, from 0; reportlab's style name,
    such as "ROMAN_LOWER" or "ARABIC"; the number it starts at; a prefix).
    """
    from reportlab.pdfgen import canvas

    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    for first, style, start, prefix in labels:
        pdf.addPageLabel(first, style=style, start=start, prefix=prefix or None)
    font = _dejavu_font() if unicode_font else "Helvetica"
    for lines in pages:
        pdf.setFont(font, 12)
        for row, line in enumerate(lines):
            pdf.drawString(72, 720 - 16 * row, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


RUNNING_HEADS = ("ALICE'S ADVENTURES IN WONDERLAND", "DOWN THE RABBIT-HOLE")  # facing pages alternate


def book_with_running_heads(lines_per_page: int = 12) -> list[list[str]]:
    """The sample chapter set as a small book for ``text_pdf``: running heads alternating, page numbers at the foot."""
    import textwrap

    from memdiff.resources import path as resource_path

    prose = resource_path("samples", "original.txt").read_text(encoding="utf-8")
    lines = textwrap.wrap(" ".join(prose.split()), 80, break_on_hyphens=False)
    pages = []
    for number, first in enumerate(range(0, len(lines), lines_per_page), start=1):
        pages.append([RUNNING_HEADS[number % 2], "", *lines[first : first + lines_per_page], "", str(number)])
    return pages


def scanned_pdf(pages: int = 1, *, text_pages: tuple[int, ...] = ()) -> bytes:
    """A PDF whose pages carry only a picture of words (like a scan); pages in ``text_pages`` also get real text."""
    from PIL import Image, ImageDraw
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    picture = Image.new("RGB", (400, 120), "white")
    ImageDraw.Draw(picture).text((10, 50), "These words are only pixels.", fill="black")
    buffer = BytesIO()
    pdf = canvas.Canvas(buffer, invariant=1)
    for number in range(1, pages + 1):
        pdf.drawImage(ImageReader(picture), 72, 500, 400, 120)
        if number in text_pages:
            pdf.setFont("Helvetica", 12)
            pdf.drawString(72, 400, f"Typed text on page {number}.")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def encrypted_pdf(data: bytes, *, user: str, owner: str, aes: bool) -> bytes:
    """``data`` encrypted with AES-256 (pikepdf, as Acrobat does today) or RC4-128 (pypdf, as older tools did)."""
    if aes:
        import pikepdf

        with pikepdf.open(BytesIO(data)) as pdf:
            out = BytesIO()
            pdf.save(out, encryption=pikepdf.Encryption(user=user, owner=owner, R=6))
        return out.getvalue()
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(BytesIO(data)))
    writer.encrypt(user_password=user, owner_password=owner, algorithm="RC4-128")
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def blank_pages_pdf(count: int) -> bytes:
    """A PDF with ``count`` empty pages (cheap to make in any number)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(count):
        writer.add_blank_page(width=200, height=200)
    out = BytesIO()
    writer.write(out)
    return out.getvalue()


def content_stream_pdf(content: bytes) -> bytes:
    """A one-page PDF whose page content is ``content``, Flate-compressed (how a compression bomb is built)."""
    import pikepdf

    pdf = pikepdf.new()
    pdf.add_blank_page(page_size=(200, 200))
    page = pdf.pages[0]
    font = pdf.make_indirect(
        pikepdf.Dictionary(
            Type=pikepdf.Name.Font, Subtype=pikepdf.Name.Type1, BaseFont=pikepdf.Name.Helvetica
        )
    )
    page.Resources = pikepdf.Dictionary(Font=pikepdf.Dictionary(F1=font))
    stream = pikepdf.Stream(pdf, b"")
    stream.write(zlib.compress(content, 9), filter=pikepdf.Name.FlateDecode)
    page.Contents = stream
    out = BytesIO()
    pdf.save(out, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def word_docx(blocks: list[str | list[list[str]]]) -> bytes:
    """A .docx with a paragraph per string and a table per list of rows, in the order given."""
    import docx

    document = docx.Document()
    for block in blocks:
        if isinstance(block, str):
            document.add_paragraph(block)
        else:
            table = document.add_table(rows=len(block), cols=len(block[0]))
            for r, row in enumerate(block):
                for c, cell in enumerate(row):
                    table.cell(r, c).text = cell
    out = BytesIO()
    document.save(out)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    """A ZIP archive of ``members`` (name -> content): the container of DOCX, ODT, EPUB and XLSX files."""
    import zipfile

    out = BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


WORD_NAMESPACES = (
    'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" '
    'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
    'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
    'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
    'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
    'xmlns:v="urn:schemas-microsoft-com:vml"'
)


def word_docx_with_parts(
    data: bytes, *, body: str | None = None, parts: dict[str, tuple[str, str, str]] | None = None
) -> bytes:
    """``data`` (a .docx python-docx made) with what python-docx cannot write, added as Word writes it.

    ``body`` replaces the body's content before its last section properties (XML using the prefixes of
    WORD_NAMESPACES, which the root element is given); ``parts`` adds parts: name under word/ -> (content
    type, relationship type's last word such as "footnotes", XML), each declared in [Content_Types].xml and
    related from the main document.
    """
    import re
    import zipfile

    parts = parts or {}
    out = BytesIO()
    with zipfile.ZipFile(BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            content = source.read(member.filename)
            if member.filename == "[Content_Types].xml":
                overrides = "".join(
                    f'<Override PartName="/word/{name}" ContentType="{content_type}"/>'
                    for name, (content_type, _, _) in parts.items()
                )
                content = content.replace(b"</Types>", overrides.encode() + b"</Types>")
            elif member.filename == "word/_rels/document.xml.rels":
                relationships = "".join(
                    f'<Relationship Id="rIdAdded{number}" Target="{name}" Type="http://schemas.openxmlformats.org/'
                    f'officeDocument/2006/relationships/{relationship}"/>'
                    for number, (name, (_, relationship, _)) in enumerate(parts.items())
                )
                content = content.replace(b"</Relationships>", relationships.encode() + b"</Relationships>")
            elif member.filename == "word/document.xml" and body is not None:
                xml = content.decode("utf-8")
                xml = re.sub(r"<w:document [^>]*>", f"<w:document {WORD_NAMESPACES}>", xml, count=1)
                start = xml.index("<w:body>") + len("<w:body>")
                end = xml.rindex("<w:sectPr")
                content = (xml[:start] + body + xml[end:]).encode("utf-8")
            target.writestr(member, content)
        for name, (_, _, xml) in parts.items():
            target.writestr(f"word/{name}", xml)
    return out.getvalue()

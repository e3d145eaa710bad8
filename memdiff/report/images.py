"""The image findings: both pictures with matched boxes, the output aligned onto the original, the heatmap.

Pictures are scaled down for the page and embedded as JPEG at fixed quality
(deterministic bytes, small files). Boxes are drawn in red with a white and
black edge and a number, so they stay visible on any picture and in grey
scale; the heatmap prints each tile's score where the tile is large enough.
"""

from __future__ import annotations

import io
import itertools
import math
from typing import Any

from PIL import Image, ImageDraw, ImageFont
from reportlab.lib.units import inch
from reportlab.platypus import Image as PdfImage
from reportlab.platypus import KeepTogether, Paragraph, Spacer, Table

from memdiff.evidence import Comparison, Document, ImageSummary
from memdiff.report.sections import orientation_names
from memdiff.report.styles import GRID, Styles, markup, table_style
from memdiff.resources import path as resource_path

#: Longest side, in pixels, of a picture placed in the report (about 200 dpi at 3.3 inches).
MAX_PIXELS = 700
JPEG_QUALITY = 85


def _font(size: int) -> ImageFont.FreeTypeFont:
    return ImageFont.truetype(str(resource_path("fonts", "DejaVuSans-Bold.ttf")), size)


def scaled(image: Image.Image, max_pixels: int = MAX_PIXELS) -> tuple[Image.Image, float]:
    """A copy of ``image`` (RGB) no larger than ``max_pixels`` on its long side, and the factor applied."""
    rgb = image.convert("RGB")
    factor = min(1.0, max_pixels / max(rgb.width, rgb.height, 1))
    if factor < 1.0:
        size = (max(1, round(rgb.width * factor)), max(1, round(rgb.height * factor)))
        rgb = rgb.resize(size, Image.Resampling.LANCZOS)
    return rgb, factor


def draw_boxes(
    image: Image.Image, boxes: list[tuple[int, int, int, int]], factor: float
) -> Image.Image:
    """Numbered boxes (in the image's own pixel coordinates, scaled by ``factor``)."""
    out = image.copy()
    draw = ImageDraw.Draw(out)
    width = max(2, round(max(out.size) / 200))
    font = _font(max(10, round(max(out.size) / 40)))
    for n, (x0, y0, x1, y1) in enumerate(boxes, start=1):
        box = [
            round(x0 * factor),
            round(y0 * factor),
            round(x1 * factor) - 1,
            round(y1 * factor) - 1,
        ]
        draw.rectangle(
            [box[0] - width, box[1] - width, box[2] + width, box[3] + width],
            outline=(0, 0, 0),
            width=1,
        )
        draw.rectangle(box, outline=(255, 255, 255), width=width + 2)
        draw.rectangle(box, outline=(200, 0, 0), width=width)
        label = str(n)
        left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
        tx, ty = box[0] + width + 2, box[1] + width + 2
        draw.rectangle(
            [tx - 2, ty - 2, tx + right - left + 2, ty + bottom - top + 4], fill=(255, 255, 255)
        )
        draw.text((tx - left, ty - top), label, fill=(0, 0, 0), font=font)
    return out


#: The tile scale, dark to light (viridis' stops): its lightness rises with the score, so the scale reads the
#: same in grey print as in colour, and no two scores share a grey.
SCALE_STOPS = (
    (0.0, (68, 1, 84)),
    (0.25, (59, 82, 139)),
    (0.5, (33, 145, 140)),
    (0.75, (94, 201, 98)),
    (1.0, (253, 231, 37)),
)


def scale_colour(v: float) -> tuple[int, int, int]:
    """The colour of score ``v`` (0 = different, 1 = same content) on the dark-to-light scale."""
    v = max(0.0, min(1.0, v))
    for (a, ca), (b, cb) in itertools.pairwise(SCALE_STOPS):
        if v <= b:
            k = (v - a) / (b - a)
            return tuple(round(x + (y - x) * k) for x, y in zip(ca, cb))  # type: ignore[return-value]
    return SCALE_STOPS[-1][1]


def heatmap(image: Image.Image, grid_info: dict[str, Any], factor: float) -> Image.Image:
    """The original's tiles coloured by score, dark (different) to light (same); hatched where not covered.

    A key below the picture shows the scale from 0 to 1.
    """
    base = image.convert("L").convert("RGB")
    overlay = Image.new("RGBA", base.size, (0, 0, 0, 0))
    draw = ImageDraw.Draw(overlay)
    tile_w, tile_h = grid_info.get("tile", [0, 0])
    grid = grid_info.get("grid") or []
    tw, th = tile_w * factor, tile_h * factor
    font = _font(max(11, min(24, int(min(tw, th) / 4)))) if tw and th else None
    for r, row in enumerate(grid):
        for col, value in enumerate(row):
            x0, y0 = col * tw, r * th
            x1, y1 = min(base.width, x0 + tw), min(base.height, y0 + th)
            if x1 <= x0 or y1 <= y0:
                continue
            if value is None:
                # The picture stays visible under a light veil and dark hatching: a texture, not a tone,
                # so it is not mistaken for a score in grey print.
                draw.rectangle([x0, y0, x1, y1], fill=(255, 255, 255, 140))
                step = max(6, int(min(tw, th) / 4))
                for k in range(-int(th), int(tw), step):
                    draw.line([x0 + k, y0, x0 + k + th, y1], fill=(40, 40, 40, 220), width=1)
                continue
            v = max(0.0, min(1.0, float(value)))
            # Nearly opaque, so the tile's tone is the score's, not the picture's.
            draw.rectangle([x0, y0, x1, y1], fill=(*scale_colour(v), 225))
            draw.rectangle([x0, y0, x1, y1], outline=(255, 255, 255, 120), width=1)
            if font is not None and tw >= 30 and th >= 18:
                label = f"{v:.2f}"
                left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
                cx, cy = (x0 + x1) / 2 - (right - left) / 2, (y0 + y1) / 2 - (bottom - top) / 2
                draw.rectangle(
                    [cx - 2, cy - 1, cx + right - left + 2, cy + bottom - top + 3],
                    fill=(255, 255, 255, 220),
                )
                draw.text((cx - left, cy - top), label, fill=(0, 0, 0, 255), font=font)
    tiles = Image.alpha_composite(base.convert("RGBA"), overlay).convert("RGB")
    return _with_scale_key(tiles)


def _with_scale_key(picture: Image.Image) -> Image.Image:
    """``picture`` with the score scale drawn below it: a bar from 0 to 1 and its two ends named."""
    font = _font(max(11, round(picture.width / 42)))
    left, top, right, bottom = ImageDraw.Draw(picture).textbbox((0, 0), "0 different", font=font)
    text_h = bottom - top
    bar_h = max(10, text_h)
    pad = max(6, text_h // 2)
    out = Image.new(
        "RGB", (picture.width, picture.height + 3 * pad + bar_h + text_h), (255, 255, 255)
    )
    out.paste(picture, (0, 0))
    draw = ImageDraw.Draw(out)
    x0, x1 = pad, picture.width - pad
    y0 = picture.height + pad
    for x in range(x0, x1):
        draw.line([x, y0, x, y0 + bar_h], fill=scale_colour((x - x0) / max(1, x1 - x0 - 1)))
    draw.rectangle([x0 - 1, y0 - 1, x1, y0 + bar_h], outline=(0, 0, 0), width=1)
    ty = y0 + bar_h + pad // 2
    draw.text((x0 - left, ty - top), "0 different", fill=(0, 0, 0), font=font)
    label = "1.00 same content"
    left, top, right, bottom = draw.textbbox((0, 0), label, font=font)
    draw.text((x1 - (right - left) - left, ty - top), label, fill=(0, 0, 0), font=font)
    return out


Matrix = tuple[tuple[float, float, float], tuple[float, float, float]]


def transform_matrix(transform: dict[str, Any], suspect_width: int) -> Matrix:
    """The 2x3 matrix taking output (suspect) pixels, as given, onto the original's pixels.

    Uses the result's own ``matrix`` when it has one; otherwise builds it from
    the documented convention: flip left to right first if ``mirrored``
    (x -> width - x), then x' = s(cos r·x - sin r·y) + dx, y' = s(sin r·x + cos r·y) + dy,
    with y running downwards and r in degrees.
    """
    given = transform.get("matrix")
    if given is not None and len(given) == 2 and all(len(row) == 3 for row in given):
        (a, b, c), (d, e, f) = ([float(v) for v in row] for row in given)
        return (a, b, c), (d, e, f)
    scale = float(transform.get("scale", 1.0)) or 1.0
    angle = math.radians(float(transform.get("rotation", 0.0)))
    dx, dy = float(transform.get("dx", 0.0)), float(transform.get("dy", 0.0))
    a, b = scale * math.cos(angle), -scale * math.sin(angle)
    d, e = scale * math.sin(angle), scale * math.cos(angle)
    if transform.get("mirrored"):
        # Fold the flip x -> width - x into the matrix.
        return (-a, b, a * suspect_width + dx), (-d, e, d * suspect_width + dy)
    return (a, b, dx), (d, e, dy)


def scaled_matrix(m: Matrix, original_factor: float, suspect_factor: float) -> Matrix:
    """The same mapping between the reduced pictures shown on the page."""
    k = original_factor / suspect_factor
    (a, b, c), (d, e, f) = m
    return (a * k, b * k, c * original_factor), (d * k, e * k, f * original_factor)


def aligned(original: Image.Image, suspect: Image.Image, m: Matrix) -> Image.Image:
    """The output image mapped onto the original's frame by ``m``, blended half and half where it lands."""
    (a, b, c), (d, e, f) = m
    det = a * e - b * d
    if abs(det) < 1e-12:
        return original.convert("RGB")
    # PIL wants the inverse mapping: for each original pixel, where to read the suspect.
    ia, ib = e / det, -b / det
    id_, ie = -d / det, a / det
    ic = -(ia * c + ib * f)
    if_ = -(id_ * c + ie * f)
    coefficients = (ia, ib, ic, id_, ie, if_)
    source = suspect.convert("RGB")
    warped = source.transform(
        original.size,
        Image.Transform.AFFINE,
        coefficients,
        resample=Image.Resampling.BILINEAR,
        fillcolor=(255, 255, 255),
    )
    mask = Image.new("L", source.size, 255).transform(
        original.size,
        Image.Transform.AFFINE,
        coefficients,
        resample=Image.Resampling.NEAREST,
        fillcolor=0,
    )
    base = original.convert("RGB")
    return Image.composite(Image.blend(base, warped, 0.5), base, mask)


def pdf_image(image: Image.Image, width: float, max_height: float) -> PdfImage:
    """A reportlab Image of ``image`` as JPEG, sized to fit ``width`` × ``max_height`` points."""
    buffer = io.BytesIO()
    image.convert("RGB").save(
        buffer, format="JPEG", quality=JPEG_QUALITY, optimize=False, progressive=False
    )
    buffer.seek(0)
    ratio = min(width / image.width, max_height / image.height)
    return PdfImage(buffer, width=image.width * ratio, height=image.height * ratio)


def image_findings(
    c: Comparison,
    original: Document,
    suspect: Document,
    st: Styles,
    outline: Any,
    width: float,
    *,
    level: int = 0,
    heading: str | None = "Findings",
) -> list[Any]:
    """Pictures, alignment, heatmap, hash table, regions; ``heading=None`` leaves the heading to the caller."""
    s: ImageSummary = c.summary  # type: ignore[assignment]
    story: list[Any] = []
    if heading:
        story.append(outline.heading(heading, st.h1 if level == 0 else st.h2, level))
    sub = level + 1 if heading else level
    col = (width - 12) / 2
    if original.image is None or suspect.image is None:
        story.append(
            Paragraph(
                "The pictures were not available when this report was written; the figures below "
                "come from the result file.",
                st.body,
            )
        )
    else:
        o_img, o_factor = scaled(original.image)
        s_img, s_factor = scaled(suspect.image)
        o_boxes = draw_boxes(o_img, [r.original for r in c.regions], o_factor)
        s_boxes = draw_boxes(s_img, [r.suspect for r in c.regions], s_factor)
        # The sentence that explains the boxes stays with the pictures it explains.
        story.append(
            KeepTogether(
                [
                    Paragraph(
                        "Matched regions are drawn as numbered boxes in red with a white edge; the numbers refer "
                        "to the table of regions below. Each picture is shown reduced to fit the page.",
                        st.body,
                    ),
                    _pair(
                        pdf_image(o_boxes, col, 3.4 * inch),
                        pdf_image(s_boxes, col, 3.4 * inch),
                        f"Original: {original.name}",
                        f"Model output: {suspect.name}",
                        st,
                        col,
                    ),
                ]
            )
        )
        second_left = second_right = None
        left_caption = right_caption = ""
        if s.transform:
            m = scaled_matrix(
                transform_matrix(s.transform, suspect.image.width), o_factor, s_factor
            )
            second_left = pdf_image(aligned(o_img, s_img, m), col, 3.4 * inch)
            left_caption = "The output aligned onto the original (half-and-half blend)"
        if s.heatmap and s.heatmap.get("grid"):
            second_right = pdf_image(heatmap(o_img, s.heatmap, o_factor), col, 3.4 * inch)
            right_caption = (
                "Tile scores over the original, from dark (0, different) to light (1.00, same "
                "content), as in the key; hatched = not covered by the output"
            )
        if second_left is not None or second_right is not None:
            story.append(Spacer(1, 8))
            story.append(
                _pair(second_left or "", second_right or "", left_caption, right_caption, st, col)
            )

    story.append(hash_section(s, st, outline, sub))
    story.extend(regions_section(c, st, outline, sub))
    return story


def hash_section(s: ImageSummary, st: Styles, outline: Any, level: int) -> KeepTogether:
    """The hash table with what it can and cannot show, kept on one page."""
    this_way, other_way = orientation_names(s)
    caveat = (
        "Hamming distance between the two pictures’ perceptual hashes: 0 means the hashes are identical; about "
        "half the bits is what unrelated pictures give. Each hash summarises a whole picture, so these distances "
        "compare the whole pictures as given: a crop, a border, a pasted part or a mirror image changes the hashes "
        "even where the content is shared, and can bring the distance close to that of unrelated pictures. A large "
        "distance therefore does not show that the pictures are unrelated; the alignment and the tile comparison "
        f"above locate shared content. The distances are given with the output {this_way}, the orientation of the "
        f"findings, and with the output {other_way}."
    )
    rows = [
        [
            "Hash",
            f"Distance, output {this_way}",
            f"Distance, output {other_way}",
            "Bits",
            f"Similarity, output {this_way}",
        ]
    ]
    for name in sorted(s.hashes):
        h = s.hashes[name]
        sim = h.get("similarity")
        other = h.get("other_orientation_distance")
        rows.append(
            [
                name,
                str(h.get("distance", "–")),
                "–" if other is None else str(other),
                str(h.get("bits", "–")),
                f"{float(sim):.3f}" if isinstance(sim, (int, float)) else "–",
            ]
        )
    return KeepTogether(
        [
            outline.heading("Hash distances", st.h2 if level else st.h1, level),
            Paragraph(markup(caveat), st.body),
            _simple_table(
                rows, st, [1.1 * inch, 1.25 * inch, 1.25 * inch, 0.7 * inch, 1.25 * inch]
            ),
        ]
    )


def regions_section(c: Comparison, st: Styles, outline: Any, level: int) -> list[Any]:
    """The table of matched regions under its heading; a short table is kept on one page."""
    heading = outline.heading("Matched regions", st.h2 if level else st.h1, level)
    if not c.regions:
        return [KeepTogether([heading, Paragraph("No matched region was found.", st.body)])]
    rows = [["#", "Original box (x0, y0, x1, y1)", "Output box (x0, y0, x1, y1)", "Score"]]
    for n, r in enumerate(c.regions, start=1):
        rows.append(
            [
                str(n),
                ", ".join(map(str, r.original)),
                ", ".join(map(str, r.suspect)),
                f"{r.score:.3f}",
            ]
        )
    table = _simple_table(rows, st, [0.4 * inch, 2.2 * inch, 2.2 * inch, 0.8 * inch])
    # A long table may split (its header row repeats); a short one moves whole.
    return [KeepTogether([heading, table])] if len(rows) <= 12 else [heading, table]


def _pair(
    left: Any, right: Any, left_caption: str, right_caption: str, st: Styles, col: float
) -> Table:
    data = [
        [left, right],
        [Paragraph(markup(left_caption), st.muted), Paragraph(markup(right_caption), st.muted)],
    ]
    table = Table(data, colWidths=[col + 6, col + 6], hAlign="LEFT")
    table.setStyle(
        table_style(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (0, 0), (-1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (-1, -1), 3),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _simple_table(rows: list[list[str]], st: Styles, widths: list[float]) -> Table:
    data = [
        [Paragraph(markup(cell), st.cell_bold if i == 0 else st.cell) for cell in row]
        for i, row in enumerate(rows)
    ]
    table = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT", spaceAfter=8)
    table.setStyle(
        table_style(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, GRID),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BACKGROUND", (0, 0), (-1, 0), "#E8E8E8"),
            ]
        )
    )
    return table

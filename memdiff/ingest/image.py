"""Reading pictures safely: decode with Pillow's limits on, orient, flatten and convert to sRGB.

A picture filed by the other side may be huge, truncated, animated, CMYK,
16-bit, transparent or rotated only by an EXIF tag. This module turns any of
them into one plain 8-bit RGB image, the way a viewer would show it, and says
in the document's notes what it had to do to get there. It never writes to
the input and never relaxes Pillow's decompression-bomb guard.

On the guard: Pillow warns (``DecompressionBombWarning``) above
``Image.MAX_IMAGE_PIXELS`` (about 89 megapixels by default) and refuses
(``DecompressionBombError``) above twice that. memdiff follows the same two
steps: a picture between the two limits is read (a 100-megapixel camera is
real) with a note saying so, and one above the hard limit is refused with a
sentence that states the limit. Warnings are caught here explicitly, so they
neither reach the user as noise nor become errors under ``-W error``.
"""

from __future__ import annotations

import logging
import os
import re
import struct
import sys
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from io import BytesIO

import numpy as np
from PIL import Image, ImageCms, ImageOps, UnidentifiedImageError

from memdiff.errors import InputError, LimitExceeded, MemdiffError, UnsupportedFormat
from memdiff.evidence import Document

#: Formats memdiff agrees to decode; anything else Pillow could open is refused,
#: which keeps rarely used (and rarely audited) decoders away from hostile files.
FORMATS = ("PNG", "JPEG", "WEBP", "TIFF", "BMP", "GIF")  # JPEG also opens multi-picture (MPO) files

_FORMAT_NAMES = {
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/webp": "WebP",
    "image/tiff": "TIFF",
    "image/bmp": "BMP",
    "image/gif": "GIF",
}

_EXIF_ORIENTATION_TAG = 0x0112
_ORIENTATION_WORDS = {
    2: "mirrored left to right",
    3: "rotated 180 degrees",
    4: "mirrored top to bottom",
    5: "mirrored and rotated 90 degrees",
    6: "rotated 90 degrees clockwise",
    7: "mirrored and rotated 90 degrees",
    8: "rotated 90 degrees anticlockwise",
}


def hard_pixel_limit() -> int | None:
    """The pixel count above which Pillow refuses to decode (twice ``MAX_IMAGE_PIXELS``)."""
    limit = Image.MAX_IMAGE_PIXELS
    return None if limit is None else 2 * int(limit)


def _megapixels(pixels: float) -> str:
    return f"{pixels / 1e6:,.0f} megapixels" if pixels >= 10e6 else f"{pixels / 1e6:,.1f} megapixels"


def _bomb_sentence(name: str, size: tuple[int, int] | None, error: BaseException | None = None) -> str:
    limit = hard_pixel_limit()
    limit_words = _megapixels(limit) if limit else "its pixel limit"
    # Pillow refuses in Image.open before the size is known to us; its message holds the pixel count.
    declared = re.search(r"\((\d+) pixels\)", str(error)) if error is not None else None
    if size:
        what = f"{name} is {size[0]:,} x {size[1]:,} pixels ({_megapixels(size[0] * size[1])})"
    elif declared:
        what = f"{name} declares {_megapixels(int(declared.group(1)))}"
    else:
        what = f"{name} declares more pixels than memdiff decodes"
    return (
        f"{what}, above memdiff's safety limit of {limit_words} per image; "
        "use a downscaled copy of the picture."
    )


def load(data: bytes, name: str, media_type: str, *, sha256: str, path: str | None) -> Document:
    """Decode ``data`` into a :class:`Document` holding an RGB picture oriented as a viewer shows it."""
    if not data:
        raise InputError(
            f"{name} is empty (0 bytes); there is no picture to compare, so check that it is the right file."
        )
    with _pillow_messages() as pillow_said:
        try:
            return _load(data, name, media_type, sha256=sha256, path=path, pillow_said=pillow_said)
        except MemdiffError:
            raise
        except MemoryError:
            raise LimitExceeded(
                f"{name} needs more memory to decode than this computer has; use a downscaled copy of the picture."
            ) from None
        except Exception as err:  # noqa: BLE001 - Pillow's decoders fail on damaged files in many ways (TypeError...)
            said = pillow_said[-1] if pillow_said else None
            raise _damaged(name, err, _FORMAT_NAMES.get(media_type), library_said=said) from None


class _PillowLog(logging.Handler):
    """Keeps what Pillow logs while one picture is read ("More samples per pixel than can be decoded")."""

    def __init__(self, said: list[str]) -> None:
        super().__init__(level=logging.WARNING)
        self.said = said
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        # Two pictures may be read at once (the desktop app loads both sides in threads): each
        # sentence quotes only what Pillow said while decoding its own file.
        if record.thread == self.thread and len(self.said) < 20:
            self.said.append(record.getMessage())


_PILLOW_LOG_LOCK = threading.Lock()
_PILLOW_LOG_USERS = 0
#: The "PIL" logger's own propagate setting, kept while pictures are being read.
_PILLOW_LOG_STATE: list[bool] = []


@contextmanager
def _pillow_messages() -> Iterator[list[str]]:
    """While a picture is read, Pillow's log messages go into a list instead of onto standard error.

    With no logging configured Python prints a logged error to standard error,
    where it would sit above memdiff's one sentence. The "PIL" logger's own
    setting is changed only while at least one picture is being read, and put
    back as it was afterwards; a damaged file's message is quoted in the
    sentence instead.
    """
    global _PILLOW_LOG_USERS
    said: list[str] = []
    handler = _PillowLog(said)
    logger = logging.getLogger("PIL")
    with _PILLOW_LOG_LOCK:
        if _PILLOW_LOG_USERS == 0:
            _PILLOW_LOG_STATE[:] = [logger.propagate]
            logger.propagate = False
        _PILLOW_LOG_USERS += 1
        logger.addHandler(handler)
    try:
        yield said
    finally:
        with _PILLOW_LOG_LOCK:
            logger.removeHandler(handler)
            _PILLOW_LOG_USERS -= 1
            if _PILLOW_LOG_USERS == 0:
                logger.propagate = _PILLOW_LOG_STATE[0]


def _load(
    data: bytes, name: str, media_type: str, *, sha256: str, path: str | None, pillow_said: list[str]
) -> Document:
    notes: list[str] = []
    with warnings.catch_warnings(record=True) as caught:
        # Pillow warns about damaged metadata (EXIF, TIFF tags) on the way;
        # those must reach neither the console nor, under -W error, the user
        # as a crash. Only the bomb warning is kept, to be stated in a note.
        warnings.simplefilter("ignore")
        warnings.simplefilter("always", Image.DecompressionBombWarning)
        try:
            picture = Image.open(BytesIO(data), formats=FORMATS)
        except Image.DecompressionBombError as err:
            raise LimitExceeded(_bomb_sentence(name, None, err)) from None
        except UnidentifiedImageError as err:
            if media_type in _FORMAT_NAMES:
                # The signature says it is one of ours, so the file is broken rather than foreign.
                raise _damaged(
                    name, err, _FORMAT_NAMES[media_type], library_said=pillow_said[-1] if pillow_said else None
                ) from None
            raise UnsupportedFormat(
                f"{name} is not a picture memdiff can read (it reads PNG, JPEG, WebP, TIFF, BMP and GIF); "
                "it may be damaged or in another format, so open it in an image program, save it as PNG "
                "or JPEG and compare that."
            ) from None
        except (OSError, SyntaxError, ValueError, EOFError) as err:
            raise _damaged(name, err) from None
        original_mode = picture.mode
        image_format = picture.format or "unknown"
        width, height = picture.size
        if width <= 0 or height <= 0:
            raise InputError(
                f"{name} declares a picture of {width} x {height} pixels, so it has nothing to compare; "
                "check that it is the right file."
            )
        limit = hard_pixel_limit()
        if limit is not None and width * height > limit:
            raise LimitExceeded(_bomb_sentence(name, (width, height)))
        try:
            frames = int(getattr(picture, "n_frames", 1) or 1)
        except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error) as err:
            # Counting frames reads the whole file: a cut-short animation fails here.
            raise _damaged(name, err) from None
        if frames > 1:
            kind = "frames" if image_format in ("GIF", "WEBP") else "pages"
            notes.append(f"The file holds {frames} {kind}; only the first was compared.")
        icc = picture.info.get("icc_profile")
        # libtiff (compressed TIFFs) reports damage by printing to the process's standard error
        # itself; that line would sit beside memdiff's sentence, so it is captured instead and, if
        # the picture then fails, quoted in the sentence.
        with _c_library_messages(image_format == "TIFF") as library_said:
            try:
                picture.seek(0)
                picture.load()
            except Image.DecompressionBombError:
                raise LimitExceeded(_bomb_sentence(name, (width, height))) from None
            except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error) as err:
                failure: BaseException | None = err
            else:
                failure = None
        if failure is not None:
            raise _damaged(name, failure, library_said=library_said[0] if library_said else None) from None
        picture, orientation_note = _apply_orientation(picture, name)
        rgb, conversion_notes = _to_srgb(picture, icc)
    if any(issubclass(w.category, Image.DecompressionBombWarning) for w in caught):
        notes.append(
            f"The picture is very large ({_megapixels(width * height)}, above Pillow's warning level of "
            f"{_megapixels(Image.MAX_IMAGE_PIXELS or 0)}); it was read in full."
        )
    if orientation_note:
        notes.append(orientation_note)
    notes.extend(conversion_notes)
    return Document(
        name=name,
        sha256=sha256,
        size_bytes=len(data),
        media_type=media_type,
        kind="image",
        text="",
        width=rgb.width,
        height=rgb.height,
        image_mode=original_mode,
        image_format=image_format,
        notes=tuple(notes),
        path=path,
        image=rgb,
    )


#: One redirection of file descriptor 2 at a time: two decoding threads swapping it concurrently
#: could leave it pointing at a closed capture file.
_STDERR_LOCK = threading.Lock()


@contextmanager
def _c_library_messages(active: bool) -> Iterator[list[str]]:
    """While active, send what C code writes to file descriptor 2 into a capture; yield its last line.

    The yielded list is empty inside the block and holds the last non-empty
    captured line (if any) after it. The file descriptor is process-wide: for
    the few milliseconds of a TIFF decode, anything another thread writes to
    standard error is captured (and dropped) too, which is why this is used
    only around the one call that runs libtiff. Where descriptor 2 cannot be
    duplicated (a windowed process without a console), nothing is redirected.
    """
    said: list[str] = []
    if not active:
        yield said
        return
    import tempfile  # here: only TIFF decodes need it, and it costs milliseconds of start-up

    with _STDERR_LOCK:
        try:
            saved = os.dup(2)
        except OSError:
            yield said
            return
        with tempfile.TemporaryFile() as capture:
            try:
                sys.stderr.flush()
            except (AttributeError, OSError, ValueError):
                pass  # no usable Python-level stderr; the descriptor swap below still applies
            os.dup2(capture.fileno(), 2)
            try:
                yield said
            finally:
                os.dup2(saved, 2)
                os.close(saved)
            capture.seek(0)
            text = capture.read(64 * 1024).decode("utf-8", "replace")
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines:
            said.append(lines[-1][:200])


def _damaged(name: str, err: BaseException, kind: str | None = None, *, library_said: str | None = None) -> InputError:
    if library_said:
        # "ZIPDecode: Decoding error at scanline 0, invalid distance code." says more than Pillow's
        # "decoder error -2"; quoted, and kept on one line, it stays part of the one sentence.
        detail = f"the decoder reports \"{library_said.rstrip('.').replace(chr(34), chr(39))}\""
    elif isinstance(err, UnidentifiedImageError):
        detail = "its content does not follow the format"
    else:
        detail = str(err).strip().rstrip(".") or type(err).__name__
    what = f"starts like a {kind} file but" if kind else "is a picture that"
    return InputError(
        f"{name} {what} cannot be decoded: {detail}; the file is damaged or truncated, "
        "so obtain a complete copy."
    )


def _apply_orientation(picture: Image.Image, name: str) -> tuple[Image.Image, str | None]:
    """Turn the picture the way its EXIF orientation tag asks, as every viewer does."""
    try:
        orientation = picture.getexif().get(_EXIF_ORIENTATION_TAG)
    except Exception:  # noqa: BLE001 - EXIF blocks from hostile files fail in many ways
        return picture, "The EXIF block could not be read; the picture was used as stored."
    if orientation in (None, 1):
        return picture, None
    if orientation not in _ORIENTATION_WORDS:
        return picture, f"The EXIF orientation tag holds an invalid value ({orientation!r}); it was ignored."
    try:
        turned = ImageOps.exif_transpose(picture)
    except Exception:  # noqa: BLE001 - same reason as above
        return picture, "The EXIF orientation could not be applied; the picture was used as stored."
    return turned, f"EXIF orientation {orientation} applied (the stored picture is {_ORIENTATION_WORDS[orientation]})."


def _to_srgb(picture: Image.Image, icc: bytes | None) -> tuple[Image.Image, list[str]]:
    """Convert any mode to 8-bit sRGB: deep images scaled, transparency flattened onto white."""
    notes: list[str] = []
    mode = picture.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        picture = _deep_to_8bit(picture)
        notes.append(f"The {'16-bit' if mode.startswith('I;16') else mode + '-mode'} picture was scaled to 8 bits.")
        mode = picture.mode
    if mode in ("P", "PA"):
        has_alpha = mode == "PA" or "transparency" in picture.info
        picture = picture.convert("RGBA" if has_alpha else "RGB")
        mode = picture.mode
    if mode in ("RGBA", "LA", "RGBa", "La") or (mode in ("L", "RGB") and "transparency" in picture.info):
        rgba = picture.convert("RGBA")
        alpha = rgba.getchannel("A")
        if alpha.getextrema()[0] < 255:
            notes.append("Transparent parts were flattened onto white.")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        picture = Image.alpha_composite(white, rgba).convert("RGB")
        mode = "RGB"

    if icc:
        converted = _apply_icc(picture, icc)
        if converted is None:
            notes.append("The embedded colour profile could not be applied; colours were taken as sRGB.")
        else:
            picture, profile_name = converted
            if profile_name:
                notes.append(f"Colours converted from the embedded profile ({profile_name}) to sRGB.")
    if picture.mode != "RGB":
        if picture.mode == "CMYK" and not icc:
            notes.append("CMYK converted to RGB without a colour profile (none was embedded).")
        picture = picture.convert("RGB")
    return picture, notes


def _deep_to_8bit(picture: Image.Image) -> Image.Image:
    """Scale a 16-bit, 32-bit integer or float greyscale picture to 8 bits, keeping its tones."""
    values = np.asarray(picture, dtype=np.float64)
    if picture.mode == "F":
        top = float(values.max()) if values.size else 1.0
        scale = 255.0 if top <= 1.0 else (1.0 if top <= 255.0 else 255.0 / 65535.0)
    else:
        top = float(values.max()) if values.size else 0.0
        scale = 1.0 if top <= 255.0 and picture.mode == "I" else 255.0 / 65535.0
    eight = np.clip(np.rint(values * scale), 0, 255).astype(np.uint8)
    return Image.fromarray(eight, mode="L")


def _apply_icc(picture: Image.Image, icc: bytes) -> tuple[Image.Image, str | None] | None:
    """Convert through the embedded ICC profile to sRGB; None if LittleCMS cannot use it.

    Returns the picture and the profile's description, or no description when
    the profile already is sRGB (then the pixels are left exactly as decoded,
    which also spares a full-size colour transform on large photos).
    """
    try:
        source = ImageCms.ImageCmsProfile(BytesIO(icc))
        description = (ImageCms.getProfileDescription(source) or "").strip()
    except Exception:  # noqa: BLE001 - LittleCMS raises several types on malformed profiles
        return None
    if "srgb" in description.lower() and picture.mode == "RGB":
        return picture, None
    input_mode = picture.mode
    if input_mode not in ("RGB", "CMYK", "L"):
        try:
            picture = picture.convert("RGB")
        except Exception:  # noqa: BLE001
            return None
    try:
        converted = ImageCms.profileToProfile(
            picture,
            source,
            ImageCms.createProfile("sRGB"),
            renderingIntent=ImageCms.Intent.PERCEPTUAL,
            outputMode="RGB",
        )
    except Exception:  # noqa: BLE001 - a profile for another colour space than the pixels
        return None
    if converted is None:
        return None
    return converted, description or "unnamed profile"

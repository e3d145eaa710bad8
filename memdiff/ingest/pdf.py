"""PDF: the text of every page through pypdf, with page boundaries, passwords and safety limits.

The extracted text (what ``memdiff extract`` prints and every offset indexes)
is the text of each page in page order, **pages separated by one blank line
("\\n\\n")**; ``page_starts`` holds the offset where each page's text begins,
one entry per page, an empty page included (its entry is where its empty text
sits, between two separators). Within a page:

- the line breaks pypdf reports are kept, trailing spaces on a line dropped,
  runs of blank lines reduced to one, and the page trimmed at both ends;
- the Latin ligatures U+FB00..U+FB06 are expanded ("ﬁ" -> "fi", "ﬀ" -> "ff",
  "ﬆ" -> "st"), because a typeset book and a model's output spell them apart;
- hyphenated line breaks ("repro-\\nduction") are left as they are: the
  normaliser joins them for matching, and the highlight must cover what is
  printed on the page;
- control characters other than tab and newline (a NUL from an unmapped glyph,
  a form feed) are removed.

Encrypted files are decrypted with pikepdf (qpdf), which reads both RC4 and
AES encryption with the user or the owner password; a file with an empty user
password (only owner restrictions on printing or copying) opens without one.

Limits, each stated in its error: at most :data:`MAX_PAGES` pages,
:data:`MAX_PAGE_CHARACTERS` characters of text per page and
:data:`MAX_CHARACTERS` in all; at most :data:`MAX_STREAM_TOKENS` tokens
(operators and operands) in one content stream (a page beyond it is skipped
with a note, and so is the text of a form beyond it) and :data:`MAX_TOKENS`
in the whole file. Tokens are counted as pypdf parses each operator, so they
count the work done; text is counted for every page it appears on, so a
content stream that draws the same words a million times is stopped early.
The token limits are what bound the time: pypdf reads about 120,000 to
300,000 tokens a second on a small two-core machine, so no PDF takes more
than about one to four minutes, and an ordinary book a few seconds.

Work done once is not done again. A page whose content streams and resources
are the very objects of a page already read gives that page's text again
without being parsed. A form XObject (a letterhead, a logo, a stamp drawn on
every page) is parsed the first time it is drawn and its text given again
wherever it is drawn after that (see :class:`_FormTexts`). Neither costs
tokens again; their text still counts against the character limits on every
page that shows it, which is what bounds a file drawing one form, or listing
one page, thousands of times.

Before any page is parsed, the drawing instructions pypdf will have to read
are measured: the decoded content streams of every page and of the forms it
draws, each counted as often as it will be parsed (a form once, a repeated
page once, a content stream shared by pages with different fonts once per
page). They may come to at most :data:`MAX_DRAWING_BYTES`, and at most
:data:`MAX_DRAWING_RATIO` times the size of the file (never less than
:data:`MIN_DRAWING_BYTES`): a real document's content compresses a few
times, so a small file that unpacks into hundreds of megabytes of work is
refused at once instead of after minutes of parsing. Measuring costs one
decompression of each distinct stream, which reading the text needs anyway.

pypdf's own limits apply beneath: 75 MB per decompressed stream, reported as the
same kind of error, and 5,000 forms opened on one page, beyond which pypdf
leaves the rest out and the pages are named in a note.
"""

from __future__ import annotations

import inspect
import logging
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from functools import cache, partial
from io import BytesIO
from typing import Any

from memdiff.errors import (
    Cancelled,
    InputError,
    LimitExceeded,
    MemdiffError,
    NeedsOCR,
    PasswordRequired,
)
from memdiff.ingest import Extracted
from memdiff.ingest.text import tidy
from memdiff.progress import SILENT, Progress

MEDIA_TYPE = "application/pdf"

#: The most pages memdiff reads from one PDF.
MAX_PAGES = 5_000

#: The most characters of text memdiff extracts from one PDF (a 5,000-page book
#: has about 10 million); more means a decompression bomb or a broken file.
MAX_CHARACTERS = 50_000_000

#: The most characters of text one page may draw. A dense printed page holds
#: about 5,000; a poster or a map a few tens of thousands. pypdf's time to
#: assemble a page's text grows faster than its length, so this also bounds
#: the time a hostile page can take.
MAX_PAGE_CHARACTERS = 1_000_000

#: The most tokens (operators and operands) pypdf may parse in one content
#: stream. An ordinary page has one or two thousand; a detailed map or drawing
#: a few hundred thousand. A page beyond it is skipped with a note.
MAX_STREAM_TOKENS = 1_000_000

#: The most tokens parsed in the whole file: pypdf reads about 120,000 a
#: second on a small machine, so this bounds the time any PDF can take (a
#: 5,000-page book has about 10 million). Each stream counts as often as it
#: is parsed (a form or a repeated page once); a page or form skipped as too
#: complex counts :data:`MAX_STREAM_TOKENS`.
MAX_TOKENS = 25_000_000

#: The most bytes of drawing instructions (decoded content streams of the
#: pages and of the forms they draw, each counted as often as it is parsed)
#: one PDF may hand pypdf. A 5,000-page book has a few tens of megabytes; at the
#: densest real content (about 16 bytes a token) this is as much as
#: :data:`MAX_TOKENS` allows, so it refuses at once what would be refused
#: after minutes.
MAX_DRAWING_BYTES = 400_000_000

#: How many times its own size a PDF's drawing instructions may come to.
#: Compressed content streams of real documents unpack into 2 to 10 times
#: their size; a hostile file packing megabytes of drawing into a few
#: kilobytes, hundreds or thousands.
MAX_DRAWING_RATIO = 100

#: The drawing instructions any PDF may have whatever its size (a small file
#: may hold one detailed drawing): at worst about 20 seconds of pypdf's work
#: on a small two-core machine, the most a file of a few kilobytes can cost.
MIN_DRAWING_BYTES = 8_000_000

#: The most tokens a file may spend reading forms again because other forms
#: of a loop they belong to were open: forms drawing one another, which a
#: valid PDF never does (pypdf skips a form drawn inside itself, so each set
#: of open forms can change the text, and n forms in a loop can be read in
#: up to n! ways). As much as one very complex page, about 8 s: a loop of
#: three or four forms needs a tiny part of it.
MAX_LOOP_TOKENS = 1_000_000

PAGE_SEPARATOR = "\n\n"

_LIGATURES = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
_LIGATURE_TABLE = str.maketrans(_LIGATURES)

# pypdf reports the damage it repairs through its logger and, in some versions,
# through warnings; qpdf (under pikepdf, for decryption) through pikepdf's
# logger. Loggers and warning filters are process-wide, so reading is
# serialised: pypdf is pure Python and holds the GIL anyway, so nothing is lost.
_READ_LOCK = threading.Lock()
_PDF_LOGGERS = ("pypdf", "pikepdf")


class DamagedPDF(InputError):
    """The data starts like a PDF but does not parse as one (text that merely mentions "%PDF-" ends here too)."""


class _BudgetSpent(Exception):
    """Raised from inside pypdf's extraction when a file draws more text or needs more work than allowed."""


class _RepairLog(logging.Handler):
    """Collects what pypdf says about damage it worked around, to become a note."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if len(self.messages) < 20:
            self.messages.append(record.getMessage())


@contextmanager
def _quiet_pypdf() -> Iterator[_RepairLog]:
    """Keep pypdf's and qpdf's warnings off the console (and out of pytest's error filter); hand them back."""
    loggers = [logging.getLogger(name) for name in _PDF_LOGGERS]
    repair_log = _RepairLog()
    with _READ_LOCK, warnings.catch_warnings():
        warnings.simplefilter("ignore")
        propagate = [logger.propagate for logger in loggers]
        for logger in loggers:
            logger.addHandler(repair_log)
            logger.propagate = False
        try:
            yield repair_log
        finally:
            for logger, before in zip(loggers, propagate):
                logger.removeHandler(repair_log)
                logger.propagate = before


def read(
    data: bytes,
    name: str,
    *,
    password: str | None = None,
    max_pages: int = MAX_PAGES,
    max_characters: int = MAX_CHARACTERS,
    max_page_characters: int = MAX_PAGE_CHARACTERS,
    max_tokens: int = MAX_TOKENS,
    max_stream_tokens: int = MAX_STREAM_TOKENS,
    max_drawing_bytes: int = MAX_DRAWING_BYTES,
    max_drawing_ratio: int = MAX_DRAWING_RATIO,
    min_drawing_bytes: int = MIN_DRAWING_BYTES,
    progress: Progress = SILENT,
) -> Extracted:
    """Extract the text of every page of the PDF in ``data`` (see the module docstring for its form).

    ``progress`` hears which page is being read and can cancel between pages
    and, on a slow page, every few thousand drawing instructions.
    """
    limits = _Limits(
        pages=max_pages,
        characters=max_characters,
        page_characters=min(max_page_characters, max_characters),
        tokens=max_tokens,
        stream_tokens=max_stream_tokens,
        drawing_bytes=max_drawing_bytes,
        drawing_ratio=max_drawing_ratio,
        min_drawing_bytes=min_drawing_bytes,
    )
    with _quiet_pypdf() as repair_log:
        try:
            return _read(data, name, password, limits, progress, repair_log)
        except MemdiffError:
            raise
        except MemoryError:
            raise LimitExceeded(
                f"{name} needs more memory to read than this computer has; "
                "split it or extract the relevant pages first."
            ) from None
        except RecursionError:
            raise DamagedPDF(
                f"{name} is nested too deeply to be read as a PDF (it is damaged or hostile); "
                "re-save it from the program that made it."
            ) from None
        except Exception:  # noqa: BLE001 - pypdf raises many kinds of error on damaged files
            raise _damaged(name, data) from None


@dataclass(frozen=True)
class _Limits:
    """The limits one reading applies (the module's constants unless a caller chose others)."""

    pages: int
    characters: int
    page_characters: int
    tokens: int
    stream_tokens: int
    drawing_bytes: int
    drawing_ratio: int
    min_drawing_bytes: int

    def drawing_allowance(self, file_size: int) -> int:
        """The most bytes of drawing instructions a file of ``file_size`` bytes may hand pypdf."""
        return min(self.drawing_bytes, max(self.min_drawing_bytes, self.drawing_ratio * file_size))


@dataclass(frozen=True)
class _PageReading:
    """What reading one page gave and cost, kept so a page repeating it is not parsed again."""

    text: str
    tokens: int
    #: "read", "damaged", "too complex" or "form too complex" (read, without a form's text)
    outcome: str
    #: The page draws more forms than pypdf opens on one page, so the text of the rest is missing.
    too_many_forms: bool = False


def _read(
    data: bytes,
    name: str,
    password: str | None,
    limits: _Limits,
    progress: Progress,
    repair_log: _RepairLog,
) -> Extracted:
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, LimitReachedError, PdfReadError

    notes: list[str] = []
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        encrypted = reader.is_encrypted
    except DependencyError:
        # pypdf needs the "cryptography" package for AES; qpdf does not.
        encrypted = True
    except LimitReachedError as err:
        raise _beyond_pypdf_limits(name, err) from None
    except PdfReadError:
        raise _damaged(name, data) from None
    if encrypted:
        plain, owner_only = _decrypt(data, name, password)
        if owner_only:
            notes.append(
                f"{name} is protected by an owner password only (restrictions on printing or "
                "copying); memdiff read its text without a password."
            )
        reader = PdfReader(BytesIO(plain), strict=False)

    try:
        page_count = len(reader.pages)
    except LimitReachedError as err:
        raise _beyond_pypdf_limits(name, err) from None
    if page_count > limits.pages:
        raise LimitExceeded(
            f"{name} has {page_count:,} pages, above memdiff's limit of {limits.pages:,} pages per PDF; "
            "split it and compare the part that matters."
        )
    if page_count == 0:
        raise DamagedPDF(f"{name} has no pages; check that it is the right file.")
    # What pypdf logged while finding the objects and pages is damage to the file;
    # what it logs later concerns fonts in otherwise sound files, and is not news.
    structural_repairs = list(repair_log.messages)

    _measure_drawing(reader.pages, name, len(data), limits, progress)

    budget = _Budget(limits.characters, limits.page_characters, limits.tokens, progress)
    forms = _FormTexts(budget, limits.stream_tokens)
    report_every = max(1, page_count // 100)
    page_texts: list[str] = []
    unreadable: list[int] = []
    too_complex: list[int] = []
    # Pages read without the text of a form beyond the limit per stream:
    form_too_complex: list[int] = []
    too_many_forms: list[int] = []
    # Pages whose content streams and resources are the same objects read the same: keyed by those
    # objects' ids (kept alive in the value, so no id is reused while the cache lives).
    readings: dict[tuple[int, ...], tuple[_PageReading, tuple[Any, ...]]] = {}
    for number, page in enumerate(reader.pages, start=1):
        progress.check()
        if number == 1 or number % report_every == 0:
            progress.report(
                (number - 1) / page_count, f"Reading page {number:,} of {page_count:,} of {name}"
            )
        same_as = _same_reading_key(page)
        known = readings.get(same_as[0]) if same_as else None
        if known is not None:
            reading = known[0]  # not parsed again, so no tokens; its text counts below
        else:
            reading = _read_page(page, number, name, budget, forms, limits)
            if same_as:
                readings[same_as[0]] = (reading, same_as[1])
        if reading.outcome == "too complex":
            too_complex.append(number)
        elif reading.outcome == "damaged":
            unreadable.append(number)
        elif reading.outcome == "form too complex":
            form_too_complex.append(number)
        if reading.too_many_forms:
            too_many_forms.append(number)
        text = reading.text
        if len(text) > budget.page_limit:
            raise _too_much_page_text(name, number, budget.page_limit)
        budget.settle(len(text))
        if budget.spent > limits.characters:
            raise _too_much_text(name, limits.characters)
        page_texts.append(text)

    if too_complex or form_too_complex:
        named = sorted(too_complex + form_too_complex)
        beyond = (
            f"{_page_list(named)} of {name} {_verb(named, 'holds', 'hold')} more than "
            f"{limits.stream_tokens:,} drawing instructions in one page or form, beyond memdiff's limit"
        )
        # A page whose only text was in a form left out has nothing to compare either.
        lost = too_complex + [n for n in form_too_complex if not page_texts[n - 1]]
        if lost and len(lost) + len(unreadable) == page_count:
            raise LimitExceeded(
                f"{name} has no page memdiff can read ({beyond}); "
                "extract the pages with text into a new PDF and compare that."
            )
        notes.append(f"{beyond}; that text is missing from the comparison.")
        unreadable.extend(too_complex)
    empty = [
        n
        for n, text in enumerate(page_texts, start=1)
        if not text and n not in unreadable and n not in form_too_complex
    ]
    if len(unreadable) == page_count:
        raise InputError(
            f"{name} is damaged: none of its {page_count:,} pages could be read; "
            "re-save it from the program that made it or get another copy."
        )
    if len(empty) + len(unreadable) == page_count and not form_too_complex:
        raise NeedsOCR(
            f"{name} has no text layer (it looks like a scan); run it through OCR first "
            "(for example your PDF program's 'recognise text' function) and compare the OCR'd copy."
        )
    if too_many_forms:
        notes.append(
            f"{_page_list(too_many_forms)} of {name} {_verb(too_many_forms, 'draws', 'draw')} more than "
            f"{_pypdf_form_limit():,} forms, beyond the PDF reader's limit per page; the text of the "
            "forms after that is missing from the comparison."
        )
    damaged = [n for n in unreadable if n not in too_complex]
    if damaged:
        notes.append(
            f"{_page_list(damaged)} of {name} could not be read (damaged content); "
            "that text is missing from the comparison."
        )
    if empty:
        notes.append(
            f"{_page_list(empty)} of {name} {_verb(empty, 'has', 'have')} no text layer "
            "(blank or scanned); what is on them is not compared."
        )
    if structural_repairs:
        notes.append(
            f"{name} is damaged (parts of its internal structure are broken); memdiff repaired it while "
            "reading, so check the extracted text against the printed document."
        )
    text, page_starts = join_pages(page_texts)
    unmapped = text.count("\ufffd")
    if unmapped:
        notes.append(
            f"{unmapped:,} characters of {name} use glyphs without a Unicode mapping and were "
            "extracted as '\ufffd'; words containing them cannot match."
        )
    return Extracted(
        text, MEDIA_TYPE, page_starts=page_starts, page_labels=_page_labels(reader, page_count), notes=tuple(notes)
    )


#: The longest page label kept; a longer one is no number a reader would cite.
_LONGEST_LABEL = 24


def _page_labels(reader: Any, page_count: int) -> tuple[str, ...]:
    """The numbers the PDF says its pages bear (its /PageLabels), one per page; empty when it declares none,
    when they only count 1, 2, 3 from the first page, or when they cannot be read.

    A label is kept as printed, with its spaces and control characters tidied
    away; a page whose label is empty or too long gets "" (no printed number),
    and so does a page before the first the labels name (a tree whose first
    entry is not page 0 leaves those pages unlabelled, where pypdf would
    number them 1, 2, 3).
    """
    try:
        root = reader.trailer["/Root"]
        if "/PageLabels" not in root:
            return ()
        labels = reader.page_labels
        first = _first_labelled_page(root["/PageLabels"])
    except Exception:  # noqa: BLE001 - a damaged label tree costs only the labels, never the text
        return ()
    if len(labels) != page_count:
        return ()
    tidied = tuple("" if index < first else _tidy_label(label) for index, label in enumerate(labels))
    if tidied == tuple(str(n) for n in range(1, page_count + 1)):
        return ()
    return tidied


def _first_labelled_page(tree: Any) -> int:
    """The index of the first page a /PageLabels number tree labels, when the tree is one plain /Nums array
    (as writers make it); 0 otherwise (a tree of /Kids is left to pypdf's reading)."""
    tree = tree.get_object()
    if "/Kids" in tree or "/Nums" not in tree:
        return 0
    nums = tree["/Nums"].get_object()
    if not isinstance(nums, list) or not nums:
        return 0
    first = nums[0].get_object() if hasattr(nums[0], "get_object") else nums[0]
    return first if isinstance(first, int) and not isinstance(first, bool) and first > 0 else 0


def _tidy_label(label: object) -> str:
    text = " ".join(str(label).split())
    text = "".join(ch for ch in text if ch.isprintable())
    return text if len(text) <= _LONGEST_LABEL else ""


def _read_page(
    page: Any, number: int, name: str, budget: _Budget, forms: _FormTexts, limits: _Limits
) -> _PageReading:
    """Parse one page's text under the budget; a page pypdf cannot parse becomes a damaged or too complex one."""
    from pypdf.errors import LimitReachedError

    tokens_before = budget.tokens
    outcome = "read"
    stream_limit = min(limits.stream_tokens, budget.tokens_left())
    try:
        with _stream_token_limit(stream_limit), forms.drawn_on(page, stream_limit):
            raw = page.extract_text(visitor_operand_before=budget.see_operation)
        # pypdf catches what goes wrong inside a form and goes on with the page: a Cancel or a
        # limit passed there is only seen here.
        if budget.cancelled is not None:
            raise budget.cancelled
        if budget.exceeded:
            raise _BudgetSpent(budget.exceeded)
        if forms.too_complex_on_page:
            outcome = "form too complex"
    except _BudgetSpent as spent:
        if spent.args == ("page",):
            raise _too_much_page_text(name, number, budget.page_limit) from None
        if spent.args == ("loops",):
            raise _forms_in_a_loop(name) from None
        if spent.args == ("tokens",):
            raise _too_complex(name, limits.tokens) from None
        raise _too_much_text(name, limits.characters) from None
    except LimitReachedError as err:
        if "tokens" not in str(err):
            raise _beyond_pypdf_limits(name, err) from None
        # A page too complex to parse: its work still counts.
        budget.charge_tokens(stream_limit)
        if budget.tokens_left() <= 0:
            raise _too_complex(name, limits.tokens) from None
        outcome, raw = "too complex", ""
    except (MemdiffError, MemoryError, RecursionError):
        raise
    except Exception:  # noqa: BLE001 - one damaged page should not hide the rest; it is named in a note
        outcome, raw = "damaged", ""
    return _PageReading(
        clean_page(raw), budget.tokens - tokens_before, outcome, forms.too_many_on_page()
    )


def _same_reading_key(page: Any) -> tuple[tuple[int, ...], tuple[Any, ...]] | None:
    """What makes two pages read alike: the same content stream objects with the same resources object.

    pypdf's text depends on nothing else (its plain extraction ignores the
    page's size and rotation). Returns the key and the objects it names, or
    None when the page has no content to share.
    """
    try:
        streams = _content_streams(page)
        resources = _resources_of(page)
    except (MemoryError, RecursionError):
        raise
    except Exception:  # noqa: BLE001 - a page too damaged to name its parts is read on its own
        return None
    if not streams or resources is None:
        return None
    objects = (*streams, resources)
    return tuple(id(obj) for obj in objects), objects


def _content_streams(page: Any) -> tuple[Any, ...]:
    """The stream objects a page's /Contents names, in order (pypdf joins an array of them)."""
    from pypdf.generic import ArrayObject, StreamObject

    contents = page.get("/Contents")
    if contents is None:
        return ()
    contents = contents.get_object()
    parts = contents if isinstance(contents, ArrayObject) else [contents]
    streams = []
    for part in parts:
        part = part.get_object() if part is not None else None
        if isinstance(part, StreamObject):
            streams.append(part)
    return tuple(streams)


def _resources_of(obj: Any) -> Any:
    """The /Resources a page or form is read with (inherited as pypdf inherits them), or None when empty.

    pypdf reads no content at all from a page or form without resources: it can have no font.
    """
    from pypdf.generic import DictionaryObject

    resources = (
        obj.get_inherited("/Resources", None)
        if hasattr(obj, "get_inherited")
        else obj.get("/Resources")
    )
    resources = resources.get_object() if resources is not None else None
    return resources if isinstance(resources, DictionaryObject) and len(resources) else None


# A form drawn by name: "/Fm1 Do". Names end at whitespace or a delimiter and are
# taken whole, so "/NotDo" is no call.
_FORM_CALL = re.compile(rb"/([^\s/\[\]()<>{}%]++)\s*Do(?![^\s/\[\]()<>{}%])")
_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")


def _measure_drawing(
    pages: Any, name: str, file_size: int, limits: _Limits, progress: Progress
) -> int:
    """Refuse the file if its pages would hand pypdf more drawing instructions than allowed; return how many.

    Stops measuring as soon as the allowance is passed, so a file whose
    pages share a heavy stream under thousands of different fonts is refused
    after a handful of them.
    """
    from pypdf.errors import LimitReachedError

    allowance = limits.drawing_allowance(file_size)
    measure = _DrawingMeasure(progress)
    total = 0
    for page in pages:
        try:
            size = measure.page(page)
        except LimitReachedError as err:
            raise _beyond_pypdf_limits(name, err) from None
        except (MemdiffError, MemoryError, RecursionError):
            raise
        except Exception:  # noqa: BLE001 - a damaged page is found again, and named, when it is read
            size = 0
        total += size
        if total > allowance:
            if allowance == limits.drawing_bytes:
                raise _too_much_drawing(name, limits.drawing_bytes)
            raise _too_much_drawing_for_its_size(name, allowance, file_size, limits)
    return total


class _DrawingMeasure:
    """Sizes the drawing instructions pypdf will parse to read the pages, forms included, without parsing any.

    Each distinct stream is decompressed once (pypdf keeps the result for the
    reading that follows) and searched once for the forms it draws ("/Name
    Do"). A page counts its content streams, unless it repeats a page already
    measured (the same streams and resources, read once), and each form it
    draws that no page drew before: forms are parsed once per file (see
    :class:`_FormTexts`). Forms nested more than :attr:`_DEEPEST` deep count
    nothing (pypdf would exhaust Python's stack first); the tokens counted
    while reading still bound such files.
    """

    _DEEPEST = 32

    #: How many decompressed bytes pass between two questions to ``progress`` whether to stop.
    _CHECK_EVERY = 16_000_000

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self._streams: dict[int, tuple[int, tuple[str, ...]]] = {}
        self._forms: set[int] = set()
        self._pages: set[tuple[int, ...]] = set()
        self._measured: list[Any] = []  # keeps every measured object alive, so no id is reused
        self._decoded = 0
        self._next_check = self._CHECK_EVERY

    def page(self, page: Any) -> int:
        resources = _resources_of(page)
        if resources is None:
            return 0
        same_as = _same_reading_key(page)
        if same_as:
            if same_as[0] in self._pages:
                return 0
            self._pages.add(same_as[0])
            self._measured.append(same_as[1])
        return self._drawn(_content_streams(page), resources, depth=0)

    def _drawn(self, streams: tuple[Any, ...], resources: Any, depth: int) -> int:
        size = 0
        called: set[str] = set()
        for stream in streams:
            length, forms = self._stream(stream)
            size += length
            called.update(forms)
        if not called:
            return size
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else None
        if not hasattr(xobjects, "get"):
            return size
        for form_name in sorted(called):
            form = xobjects.get(form_name)
            form = form.get_object() if form is not None else None
            if form is not None and getattr(form, "get", None) and form.get("/Subtype") == "/Form":
                size += self._form(form, depth + 1)
        return size

    def _form(self, form: Any, depth: int) -> int:
        """The size of a form the first time it is drawn, with the forms it draws first; nothing after."""
        key = id(form)
        if key in self._forms or depth > self._DEEPEST:
            return 0
        self._forms.add(key)
        self._measured.append(form)
        resources = _resources_of(form)
        return self._drawn((form,), resources, depth) if resources is not None else 0

    def _stream(self, stream: Any) -> tuple[int, tuple[str, ...]]:
        key = id(stream)
        known = self._streams.get(key)
        if known is not None:
            return known
        data = stream.get_data()
        self._decoded += len(data)
        if self._decoded >= self._next_check:
            self._next_check = self._decoded + self._CHECK_EVERY
            self.progress.check()
        forms: tuple[str, ...] = ()
        if b"Do" in data:
            forms = tuple(sorted({_name(match[1]) for match in _FORM_CALL.finditer(data)}))
        self._streams[key] = (len(data), forms)
        self._measured.append(stream)
        return self._streams[key]


def _name(raw: bytes) -> str:
    """A name as written in a content stream ("/F#20m"), as pypdf spells it in a dictionary's keys."""
    raw = _NAME_ESCAPE.sub(lambda m: bytes([int(m[1], 16)]), raw)
    try:
        return "/" + raw.decode("utf-8")
    except UnicodeDecodeError:
        return "/" + raw.decode("latin-1")


class _OpenForms(set):
    """pypdf's set of the forms it is inside (by id), noting every form it asks about.

    pypdf skips a form drawn inside itself, directly or not, by asking this
    set whether the form is already open; which forms it asked about, and the
    answers, are what a form's text can depend on besides the form itself.
    """

    def __init__(self, ids: Any = ()) -> None:
        super().__init__(ids)
        self.asked: list[int] = []

    def __contains__(self, item: object) -> bool:
        self.asked.append(item)  # type: ignore[arg-type]
        return super().__contains__(item)


@dataclass(frozen=True)
class _FormReading:
    """What extracting one form gave, and what it depended on, so the form need not be parsed again."""

    form: Any  # kept alive, so its id is not reused while the reading is kept
    text: str
    #: What pypdf raised while reading it (pypdf then leaves the form's text out).
    error: Exception | None
    too_complex: bool  # the form, or one inside it, holds more tokens than one stream may
    forms_entered: int  # the forms pypdf opened inside it, which count against its limit per page
    asked: frozenset[int]  # the forms pypdf asked about (whether open, to break cycles) ...
    open_then: frozenset[int]  # ... and which of them were open

    def applies(self, open_now: set[int], entries: int, entry_limit: int) -> bool:
        """Whether pypdf would read the form the same way now: same answers, and no form skipped for the limit.

        ``entries`` counts this form's own entry already; pypdf opens a form inside it only while fewer
        than ``entry_limit`` have been opened.
        """
        if entries + self.forms_entered > entry_limit:
            return False
        return self.same_answers(open_now)

    def same_answers(self, open_now: set[int]) -> bool:
        """Whether the forms pypdf asked about are open now exactly as they were then."""
        return self.asked & open_now == self.open_then


class _FormTexts:
    """Each form XObject's text, extracted once per file and given again wherever the form is drawn.

    pypdf (7.1, when this was written) extracts a form's text by calling the
    page's public ``extract_xform_text`` with the form, the set of forms it is
    inside (``known_ids``) and a counter of forms opened on the page
    (``traversal_state.entry_count``). It starts afresh inside the form (the
    form's own resources and fonts, a new text state), so the text depends on
    the form alone, except in two ways: pypdf skips a form it is already
    inside (a form drawing itself), and opens at most
    ``xform_maximum_invocations_per_extraction`` (5,000) forms a page.

    So, on the page object being read and only while it is read, the page's
    ``extract_xform_text`` is replaced by :meth:`_extract`. It hands pypdf an
    :class:`_OpenForms` set that notes which forms pypdf asks about, keeps each
    form's text (or the error pypdf met in it) with those questions and
    answers, and gives the text again when the same questions would get the
    same answers and pypdf's count would not reach its limit, counting the
    forms opened inside as pypdf would have. Anything else is extracted as
    usual: a form whose reading depended on something else, a call with
    arguments it does not know, or a pypdf without that method (checked by
    :func:`_pypdf_extracts_forms_by_page_method`). The tests compare the
    text with pypdf's own, page by page, for nested, cyclic and over-limit forms.

    The tokens of a form are counted once, when it is parsed; its text counts
    against the page's character limit every time it is given. A form whose
    parsing stops at the limit per stream (pypdf then leaves its text out of
    the page) is charged that limit once and marks each page drawing it.

    Only forms that draw one another in a loop, which a valid PDF never does,
    are read differently depending on which forms are open: pypdf reads a loop
    of n forms in up to n! ways, and a 3 KB file of seven such forms took
    30 s. Each way is kept, and a file whose readings again for loops cost
    more than :data:`MAX_LOOP_TOKENS` is refused (``budget.exceeded`` is
    "loops").
    """

    def __init__(self, budget: _Budget, stream_tokens: int) -> None:
        self.budget = budget
        self.stream_limit = stream_tokens  # pypdf's limit per stream while the current page is read
        self.too_complex_on_page = False
        self._page_state: Any = None  # pypdf's count of the forms opened on the current page
        self._readings: dict[tuple[Any, ...], list[_FormReading]] = {}
        #: Tokens spent reading forms again because other forms of a loop were open (MAX_LOOP_TOKENS),
        #: and while such a reading is under way, the budget's count when it began.
        self.loop_tokens = 0
        self._loop_began: int | None = None

    @contextmanager
    def drawn_on(self, page: Any, stream_limit: int) -> Iterator[None]:
        """While ``page`` is read (with pypdf's limit per stream at ``stream_limit``), its forms come from here."""
        self.stream_limit = stream_limit
        self.too_complex_on_page = False
        self._page_state = None
        if not _pypdf_extracts_forms_by_page_method():
            yield
            return
        original = page.extract_xform_text
        page.extract_xform_text = partial(self._extract, original)
        try:
            yield
        finally:
            del page.extract_xform_text  # the class's method again

    def too_many_on_page(self) -> bool:
        """Whether pypdf left forms out of the page just read, having opened as many as it will."""
        return bool(getattr(self._page_state, "has_logged", False))

    def _extract(
        self,
        original: Any,
        xform: Any,
        orientations: Any = (0, 90, 270, 360),
        space_width: float = 200.0,
        visitor_operand_before: Any = None,
        visitor_operand_after: Any = None,
        visitor_text: Any = None,
        *,
        known_ids: Any = None,
        traversal_state: Any = None,
    ) -> str:
        from pypdf import get_configuration
        from pypdf.errors import LimitReachedError

        def extract(open_forms: Any) -> str:
            return original(
                xform,
                orientations,
                space_width,
                visitor_operand_before,
                visitor_operand_after,
                visitor_text,
                known_ids=open_forms,
                traversal_state=traversal_state,
            )

        entries = getattr(traversal_state, "entry_count", None)
        if (
            visitor_operand_after is not None
            or visitor_text is not None
            or not isinstance(known_ids, set)
            or not isinstance(entries, int)
            or not isinstance(orientations, tuple)
        ):
            return extract(known_ids)  # not the call this cache was written for
        if self.budget.exceeded:  # pypdf caught the limit inside a form and went on: stop at once
            raise _BudgetSpent(self.budget.exceeded)
        self._page_state = traversal_state
        entry_limit = get_configuration().xform_maximum_invocations_per_extraction
        key = (id(xform), orientations, space_width)
        readings = self._readings.setdefault(key, [])
        for known in readings:
            if known.applies(known_ids, entries, entry_limit):
                traversal_state.entry_count = entries + known.forms_entered
                self.too_complex_on_page |= known.too_complex
                if known.error is not None:
                    raise known.error.with_traceback(None)
                self.budget.see_text(len(known.text))
                return known.text
        loop = bool(readings) and not any(known.same_answers(known_ids) for known in readings)
        if loop:
            began = self._loop_began if self._loop_began is not None else self.budget.tokens
            if self.loop_tokens + self.budget.tokens - began > MAX_LOOP_TOKENS:
                self.budget.exceeded = "loops"
                raise _BudgetSpent("loops")
            if self._loop_began is None:
                self._loop_began = began
            else:
                loop = False  # inside a reading again already: counted with it

        open_forms = known_ids if isinstance(known_ids, _OpenForms) else _OpenForms(known_ids)
        open_then = frozenset(open_forms)
        asked_before = len(open_forms.asked)
        complex_before, self.too_complex_on_page = self.too_complex_on_page, False
        text, error = "", None
        try:
            text = extract(open_forms)
        except (_BudgetSpent, MemdiffError, MemoryError, RecursionError):
            raise
        except LimitReachedError as err:
            error = err
            if "tokens" in str(err):
                # pypdf parsed the form up to the limit per stream before giving up: that work was done.
                self.too_complex_on_page = True
                self.budget.charge_tokens(self.stream_limit)
                if self.budget.tokens_left() <= 0:
                    self.budget.exceeded = self.budget.exceeded or "tokens"
        except Exception as err:  # noqa: BLE001 - pypdf names a damaged form in its log and goes on
            error = err
        finally:
            too_complex = self.too_complex_on_page
            self.too_complex_on_page |= complex_before
            if loop and self._loop_began is not None:
                self.loop_tokens += self.budget.tokens - self._loop_began
                self._loop_began = None
        if error is not None:
            # Without its traceback, which holds pypdf's frames and what they parsed.
            error = error.with_traceback(None)
        forms_entered = traversal_state.entry_count - entries
        # Kept only if pypdf skipped no form inside it for its limit: it notes the first skip on a page
        # (it calls this method only before that); without that note, below the limit at the end, it
        # skipped none, and at the limit it may have.
        skipped = getattr(traversal_state, "has_logged", None)
        if isinstance(skipped, bool):
            complete = not skipped
        else:
            complete = entries + forms_entered < entry_limit
        if self.budget.exceeded is None and complete:
            asked = frozenset(open_forms.asked[asked_before:])
            readings.append(
                _FormReading(xform, text, error, too_complex, forms_entered, asked, asked & open_then)
            )
        if error is not None:
            raise error
        return text


def _pypdf_form_limit() -> int:
    """How many forms pypdf opens on one page before it leaves the rest out."""
    from pypdf import get_configuration

    return int(get_configuration().xform_maximum_invocations_per_extraction)


@cache
def _pypdf_extracts_forms_by_page_method() -> bool:
    """Whether the installed pypdf reads forms through the page's method :class:`_FormTexts` replaces."""
    try:
        from pypdf import PageObject, get_configuration

        parameters = inspect.signature(PageObject.extract_xform_text).parameters
        return (
            isinstance(get_configuration().xform_maximum_invocations_per_extraction, int)
            and callable(getattr(PageObject, "_extract_text__xform", None))
            and {"known_ids", "traversal_state"} <= parameters.keys()
        )
    except Exception:  # noqa: BLE001 - another pypdf: read every form as it comes
        return False


class _Budget:
    """Counts the work and the text of a PDF while pypdf reads it, so a bomb stops early.

    pypdf calls :meth:`see_operation` before it handles each operator (forms
    included). Every operator and operand counts as a token against the
    file's token budget; the strings given to the text-showing operators are
    counted there too, before pypdf's own assembly of the text, whose cost
    grows faster than the text. A font with two-byte codes draws one character
    per two bytes, so the byte budgets are twice the character limits.
    """

    _SHOWS_TEXT = frozenset({b"Tj", b"TJ", b"'", b'"'})

    #: How many tokens pass between two questions to ``progress`` whether to stop.
    _CHECK_EVERY = 20_000

    def __init__(self, limit: int, page_limit: int, token_limit: int, progress: Progress) -> None:
        self.progress = progress
        self._next_check = self._CHECK_EVERY
        self.limit = limit
        self.page_limit = page_limit
        self.token_limit = token_limit
        self.spent = 0
        self.tokens = 0
        self._page_bytes = 0
        #: Which limit was passed ("tokens", "page" or "file"), kept because pypdf catches the
        #: exception when it is raised inside a form and goes on with the page.
        self.exceeded: str | None = None
        #: The user's Cancel, kept for the same reason.
        self.cancelled: Cancelled | None = None

    def see_operation(self, operator: bytes, operands: Any, *_: Any) -> None:
        self.tokens += 1 + (len(operands) if isinstance(operands, list) else 0)
        if self.tokens > self.token_limit:
            self._spent("tokens")
        if self.tokens >= self._next_check:
            self._next_check = self.tokens + self._CHECK_EVERY
            try:
                self.progress.check()
            except Cancelled as cancel:
                self.cancelled = cancel
                raise
        if operator not in self._SHOWS_TEXT:
            return
        self.see_text(_string_bytes(operands))

    def see_text(self, size: int) -> None:
        """Count text the page draws: the bytes of a text operator, or the characters of a form given again."""
        self._page_bytes += size
        if self._page_bytes > 2 * self.page_limit:
            self._spent("page")
        if self.spent + self._page_bytes > 2 * self.limit:
            self._spent("file")

    def _spent(self, limit: str) -> None:
        self.exceeded = self.exceeded or limit
        raise _BudgetSpent(self.exceeded)

    def tokens_left(self) -> int:
        return self.token_limit - self.tokens

    def charge_tokens(self, tokens: int) -> None:
        self.tokens += tokens

    def settle(self, page_characters: int) -> None:
        """Count a finished page by its cleaned text."""
        self.spent += page_characters
        self._page_bytes = 0


@contextmanager
def _stream_token_limit(tokens: int) -> Iterator[None]:
    """Lower pypdf's per-stream parsing limit (a context variable, so other threads are unaffected)."""
    try:
        from pypdf import apply_configuration
    except ImportError:  # pypdf before 6.x has a fixed limit of its own
        yield
        return
    with apply_configuration(stream_parsing_work_maximum_count=max(1, tokens)):
        yield


def _string_bytes(operands: Any) -> int:
    total = 0
    for operand in operands if isinstance(operands, list) else ():
        if isinstance(operand, (bytes, str)):
            total += len(operand)
        elif isinstance(operand, list):  # TJ: strings with kerning numbers between them
            total += sum(len(part) for part in operand if isinstance(part, (bytes, str)))
    return total


def clean_page(raw: str) -> str:
    """One page's text in the form described in the module docstring (the layout rule of every format)."""
    # A broken ToUnicode map can yield lone surrogates; tidy() repairs them.
    return tidy(raw).translate(_LIGATURE_TABLE)


def join_pages(page_texts: list[str]) -> tuple[str, tuple[int, ...]]:
    """Join page texts with :data:`PAGE_SEPARATOR`; return the text and where each page starts."""
    starts: list[int] = []
    offset = 0
    for text in page_texts:
        starts.append(offset)
        offset += len(text) + len(PAGE_SEPARATOR)
    return PAGE_SEPARATOR.join(page_texts), tuple(starts)


def _decrypt(data: bytes, name: str, password: str | None) -> tuple[bytes, bool]:
    """Return an unencrypted copy of the PDF and whether it opened without a password."""
    import pikepdf

    try:
        return _decrypt_with(data, password or ""), not password
    except pikepdf.PasswordError:
        if password:
            # The same habit password is often typed for every file; a file whose
            # restrictions need no password to open should still open.
            try:
                return _decrypt_with(data, ""), True
            except pikepdf.PasswordError:
                pass
        if not password:
            raise PasswordRequired(
                f"{name} is encrypted; give its password (with --password, --suspect-password "
                "for a suspect file, or in the password dialog) and try again."
            ) from None
        raise PasswordRequired(
            f"The password given for {name} does not open it; check the password (it is "
            "case-sensitive) and try again."
        ) from None
    except pikepdf.PdfError:
        raise _damaged(name, data) from None


def _decrypt_with(data: bytes, password: str) -> bytes:
    import pikepdf

    with pikepdf.open(BytesIO(data), password=password) as pdf:
        out = BytesIO()
        # Streams are copied as they are (decrypted, still compressed): decoding
        # them here would let a bomb expand before any limit applies.
        pdf.save(out, encryption=False, stream_decode_level=pikepdf.StreamDecodeLevel.none)
    return out.getvalue()


def _page_list(numbers: list[int]) -> str:
    if len(numbers) == 1:
        return f"Page {numbers[0]}"
    shown = ", ".join(str(n) for n in numbers[:20])
    more = f" and {len(numbers) - 20:,} more" if len(numbers) > 20 else ""
    return f"Pages {shown}{more}"


def _reason(err_or_message: BaseException | str) -> str:
    """pypdf's words for a problem, made short and free of memory addresses (so messages are reproducible)."""
    reason = str(err_or_message).strip().rstrip(".")
    if isinstance(err_or_message, BaseException) and not reason:
        reason = type(err_or_message).__name__
    reason = _OBJECT_REPR.sub(r"object \1 \2", reason)
    reason = _MEMORY_ADDRESS.sub("", reason)
    reason = _QPDF_SOURCE.sub("", reason)
    return reason if len(reason) <= 120 else reason[:117] + "..."


_OBJECT_REPR = re.compile(r"IndirectObject\((\d+), (\d+), \d+\)")
_MEMORY_ADDRESS = re.compile(r" (?:object )?at 0x[0-9a-fA-F]+")
_QPDF_SOURCE = re.compile(r"^(?:stream )?<[^>]*>:? ?")


def _verb(numbers: list[int], singular: str, plural: str) -> str:
    return singular if len(numbers) == 1 else plural


# What every PDF holds after its header: numbered objects ("1 0 obj").
_PDF_OBJECT = re.compile(rb"[0-9]+[ \t\r\n\f\x00]+[0-9]+[ \t\r\n\f\x00]+obj\b")


def _damaged(name: str, data: bytes) -> DamagedPDF:
    """One plain sentence for a file the PDF reader gave up on, by what the bytes show: no PDF content at all, a
    file cut short (no end-of-file marker after its last cross-reference pointer), or damage inside. The reader's own words (such as
    "Stream has ended unexpectedly") mean nothing to the user, so they are not passed on."""
    if _PDF_OBJECT.search(data) is None:
        return DamagedPDF(
            f"{name} is not a PDF: it begins with a PDF header but holds nothing a PDF is made of; "
            "check that it is the right file."
        )
    last_pointer = data.rfind(b"startxref")
    if b"%%EOF" not in (data[last_pointer:] if last_pointer >= 0 else data[-2048:]):
        # No end-of-file marker after the last cross-reference pointer (junk after the marker, such as
        # download padding or an appended signature, is no sign of a cut).
        return DamagedPDF(
            f"{name} is damaged: it stops before the end of the PDF, as a file cut short while being copied, "
            "downloaded or saved does; get a complete copy and try again."
        )
    return DamagedPDF(
        f"{name} is damaged and cannot be read as a PDF; get another copy, or open it in a PDF reader, save it "
        "as a new PDF and compare that."
    )


def _beyond_pypdf_limits(name: str, err: BaseException) -> LimitExceeded:
    reason = _reason(err)
    if (
        "decompress" in reason.lower()
        or "stream length" in reason.lower()
        or "declared" in reason.lower()
    ):
        return LimitExceeded(
            f"{name} holds a compressed stream that expands beyond the PDF reader's safety limit "
            f"of 75 MB ({reason}), which is how decompression bombs look, so memdiff will not read it; "
            "if it is genuine, print it to a new PDF and compare that."
        )
    return LimitExceeded(
        f"{name} goes beyond a safety limit of the PDF reader ({reason}): it is damaged or built to "
        "exhaust the reader, so memdiff will not read it; if it is genuine, print it to a new PDF and compare that."
    )


def _too_much_page_text(name: str, number: int, limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"Page {number} of {name} draws more than {limit:,} characters of text, above memdiff's "
        "limit per page (it may be a decompression bomb); check the file or extract the relevant pages."
    )


def _forms_in_a_loop(name: str) -> LimitExceeded:
    return LimitExceeded(
        f"{name} has forms that draw one another in a loop, which a valid PDF never does, and reading "
        f"them would take more than {MAX_LOOP_TOKENS:,} drawing instructions (it is damaged or built to "
        "exhaust the reader); if it is genuine, print it to a new PDF and compare that."
    )


def _too_complex(name: str, limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"{name} holds more than {limit:,} drawing instructions, above memdiff's limit per PDF "
        "(it is extremely complex or built to exhaust the reader); split it or extract the relevant pages first."
    )


def _too_much_drawing(name: str, limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"{name} holds more than {_size(limit)} of drawing instructions (its pages' content and the forms they "
        "draw, each counted as often as it must be read), above memdiff's limit per PDF (it is extremely complex or "
        "built to exhaust the reader); split it or extract the relevant pages first."
    )


def _too_much_drawing_for_its_size(
    name: str, allowance: int, file_size: int, limits: _Limits
) -> LimitExceeded:
    return LimitExceeded(
        f"{name} unpacks from {_size(file_size)} into more than {_size(allowance)} of drawing instructions (its "
        "pages' content and the forms they draw, each counted as often as it must be read), above memdiff's limit of "
        f"{limits.drawing_ratio:,} times a PDF's size (and at least {_size(limits.min_drawing_bytes)}), which is "
        "how files built to exhaust the reader look; if it is genuine, print it to a new PDF and compare that."
    )


def _size(count: int) -> str:
    """A byte count as a person reads it: '28 KB', '8 MB', '2.5 MB' (decimal units, as file managers show)."""
    if count >= 1_000_000:
        whole = count % 1_000_000 == 0 or count >= 10_000_000
        return f"{count / 1_000_000:,.0f} MB" if whole else f"{count / 1_000_000:,.1f} MB"
    if count >= 1_000:
        return f"{count / 1_000:,.0f} KB"
    return f"{count:,} bytes"


def _too_much_text(name: str, limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"{name} yields more than {limit:,} characters of text, above memdiff's limit per PDF "
        "(it may be a decompression bomb); split it or extract the relevant pages first."
    )

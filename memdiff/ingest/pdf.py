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
with a note) and :data:`MAX_TOKENS` in the whole file. Tokens and text are
counted as pypdf meets each operator, so a content stream that draws the same
words a million times, or the same form on thousands of pages, is stopped
early. The token limits are what bound the time: pypdf reads about 120,000
to 300,000 tokens a second on a small two-core machine, so no PDF takes more
than about one to four minutes, and an ordinary book a few seconds.

Before any page is parsed, the drawing instructions pypdf would have to read
are measured: the decoded content streams of every page and of the forms it
draws, a stream counted each time a page uses it (so one heavy stream listed
on 4,000 pages counts 4,000 times). They may come to at most
:data:`MAX_DRAWING_BYTES`, and at most :data:`MAX_DRAWING_RATIO` times the
size of the file (never less than :data:`MIN_DRAWING_BYTES`): a real document's
content compresses a few times, so a small file that unpacks into hundreds of
megabytes of work is refused at once instead of after minutes of parsing.
Measuring costs one decompression of each distinct stream, which reading the
text needs anyway. A page whose content streams and resources are the very
objects of a page already read gives that page's text again without being
parsed again; its tokens and characters still count against the limits.

pypdf's own limits apply beneath (75 MB per decompressed stream, 5,000 form
invocations per page) and are reported as the same kind of error.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import warnings
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from io import BytesIO
from typing import Any

from memdiff.errors import InputError, LimitExceeded, MemdiffError, NeedsOCR, PasswordRequired
from memdiff.ingest import Extracted
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
#: 5,000-page book has about 10 million). Pages skipped as too complex count in full.
MAX_TOKENS = 25_000_000

#: The most bytes of drawing instructions (decoded content streams of the
#: pages and of the forms they draw, each counted every time it is used) one
#: PDF may hand pypdf. A 5,000-page book has a few tens of megabytes; at the
#: densest real content (about 16 bytes a token) this is as much as
#: :data:`MAX_TOKENS` allows, so it refuses at once what would be refused
#: after minutes.
MAX_DRAWING_BYTES = 400_000_000

#: How many times its own size a PDF's drawing instructions may come to.
#: Compressed content streams of real documents unpack into 2 to 10 times
#: their size, a letterhead drawn on every page perhaps 20; a hostile file
#: listing one heavy stream on thousands of pages, hundreds of thousands.
MAX_DRAWING_RATIO = 100

#: The drawing instructions any PDF may have whatever its size (a small file
#: may hold one detailed drawing): at worst about 20 seconds of pypdf's work
#: on a small two-core machine, the most a file of a few kilobytes can cost.
MIN_DRAWING_BYTES = 8_000_000

PAGE_SEPARATOR = "\n\n"

_LIGATURES = {chr(code): unicodedata.normalize("NFKC", chr(code)) for code in range(0xFB00, 0xFB07)}
_LIGATURE_TABLE = str.maketrans(_LIGATURES)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TRAILING_SPACES = re.compile(r"[^\S\n]+\n")
_BLANK_LINES = re.compile(r"\n{3,}")

# pypdf reports the damage it repairs through its logger and, in some versions,
# through warnings; qpdf (under pikepdf, for decryption) through pikepdf's
# logger. Loggers and warning filters are process-wide, so reading is
# serialised: pypdf is pure Python and holds the GIL anyway, so nothing is lost.
_READ_LOCK = threading.Lock()
_PDF_LOGGERS = ("pypdf", "pikepdf")


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
            raise InputError(
                f"{name} is nested too deeply to be read as a PDF (it is damaged or hostile); "
                "re-save it from the program that made it."
            ) from None
        except Exception as err:  # noqa: BLE001 - pypdf raises many kinds of error on damaged files
            raise _damaged(name, err) from None


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
    outcome: str  # "read", "damaged" or "too complex"


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
    except PdfReadError as err:
        raise _damaged(name, err) from None
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
        raise InputError(f"{name} has no pages; check that it is the right file.")
    # What pypdf logged while finding the objects and pages is damage to the file;
    # what it logs later concerns fonts in otherwise sound files, and is not news.
    structural_repairs = list(repair_log.messages)

    _measure_drawing(reader.pages, name, len(data), limits, progress)

    budget = _Budget(limits.characters, limits.page_characters, limits.tokens, progress)
    report_every = max(1, page_count // 100)
    page_texts: list[str] = []
    unreadable: list[int] = []
    too_complex: list[int] = []
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
            reading = known[0]
            # Counted as if parsed again, with the same tests as a parse (a page skipped as too complex
            # stops the file when it uses up the budget exactly).
            budget.charge_tokens(reading.tokens)
            left = budget.tokens_left()
            if left < 0 or (left == 0 and reading.outcome == "too complex"):
                raise _too_complex(name, limits.tokens)
        else:
            reading = _read_page(page, number, name, budget, limits)
            if same_as:
                readings[same_as[0]] = (reading, same_as[1])
        if reading.outcome == "too complex":
            too_complex.append(number)
        elif reading.outcome == "damaged":
            unreadable.append(number)
        text = reading.text
        if len(text) > budget.page_limit:
            raise _too_much_page_text(name, number, budget.page_limit)
        budget.settle(len(text))
        if budget.spent > limits.characters:
            raise _too_much_text(name, limits.characters)
        page_texts.append(text)

    if too_complex:
        beyond = (
            f"{_page_list(too_complex)} of {name} {_verb(too_complex, 'holds', 'hold')} more than "
            f"{limits.stream_tokens:,} drawing instructions, beyond memdiff's limit per page"
        )
        if len(too_complex) + len(unreadable) == page_count:
            raise LimitExceeded(
                f"{name} has no page memdiff can read ({beyond}); "
                "extract the pages with text into a new PDF and compare that."
            )
        notes.append(f"{beyond}; that text is missing from the comparison.")
        unreadable.extend(too_complex)
    empty = [n for n, text in enumerate(page_texts, start=1) if not text and n not in unreadable]
    if len(unreadable) == page_count:
        raise InputError(
            f"{name} is damaged: none of its {page_count:,} pages could be read; "
            "re-save it from the program that made it or get another copy."
        )
    if len(empty) + len(unreadable) == page_count:
        raise NeedsOCR(
            f"{name} has no text layer (it looks like a scan); run it through OCR first "
            "(for example your PDF program's 'recognise text' function) and compare the OCR'd copy."
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
            f"{name} is damaged ({_reason(structural_repairs[0])}); memdiff repaired it while reading, "
            "so check the extracted text against the printed document."
        )
    text, page_starts = join_pages(page_texts)
    unmapped = text.count("\ufffd")
    if unmapped:
        notes.append(
            f"{unmapped:,} characters of {name} use glyphs without a Unicode mapping and were "
            "extracted as '\ufffd'; words containing them cannot match."
        )
    return Extracted(text, MEDIA_TYPE, page_starts=page_starts, notes=tuple(notes))


def _read_page(page: Any, number: int, name: str, budget: _Budget, limits: _Limits) -> _PageReading:
    """Parse one page's text under the budget; a page pypdf cannot parse becomes a damaged or too complex one."""
    from pypdf.errors import LimitReachedError

    tokens_before = budget.tokens
    outcome = "read"
    try:
        with _stream_token_limit(min(limits.stream_tokens, budget.tokens_left())):
            raw = page.extract_text(visitor_operand_before=budget.see_operation)
    except _BudgetSpent as spent:
        if spent.args == ("page",):
            raise _too_much_page_text(name, number, budget.page_limit) from None
        if spent.args == ("tokens",):
            raise _too_complex(name, limits.tokens) from None
        raise _too_much_text(name, limits.characters) from None
    except LimitReachedError as err:
        if "tokens" not in str(err):
            raise _beyond_pypdf_limits(name, err) from None
        # A page (or a form on it) too complex to parse: its work still counts.
        budget.charge_tokens(limits.stream_tokens)
        if budget.tokens_left() <= 0:
            raise _too_complex(name, limits.tokens) from None
        outcome, raw = "too complex", ""
    except (MemdiffError, MemoryError, RecursionError):
        raise
    except Exception:  # noqa: BLE001 - one damaged page should not hide the rest; it is named in a note
        outcome, raw = "damaged", ""
    return _PageReading(clean_page(raw), budget.tokens - tokens_before, outcome)


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

    Stops measuring as soon as the allowance is passed, so a file listing a
    heavy stream on thousands of pages is refused after a handful of them.
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
    """Sizes the drawing instructions pypdf parses to read a page, forms included, without parsing any.

    Each distinct stream is decompressed once (pypdf keeps the result for the
    reading that follows) and searched once for the forms it draws ("/Name
    Do"); a page's size is its streams' bytes plus, for every call of a form,
    that form's own size. A form that draws itself, directly or not, counts
    nothing for the repeat (pypdf skips such a cycle), and forms nested more
    than :attr:`_DEEPEST` deep count nothing (pypdf would exhaust Python's
    stack first); the tokens counted while reading still bound such files.
    """

    _DEEPEST = 32

    #: How many decompressed bytes pass between two questions to ``progress`` whether to stop.
    _CHECK_EVERY = 16_000_000

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self._streams: dict[int, tuple[int, tuple[tuple[str, int], ...]]] = {}
        self._forms: dict[int, int] = {}
        self._measured: list[Any] = []  # keeps every measured object alive, so no id is reused
        self._decoded = 0
        self._next_check = self._CHECK_EVERY

    def page(self, page: Any) -> int:
        resources = _resources_of(page)
        if resources is None:
            return 0
        return self._drawn(_content_streams(page), resources, depth=0)

    def _drawn(self, streams: tuple[Any, ...], resources: Any, depth: int) -> int:
        size = 0
        calls: Counter[str] = Counter()
        for stream in streams:
            length, forms = self._stream(stream)
            size += length
            for form_name, count in forms:
                calls[form_name] += count
        if not calls:
            return size
        xobjects = resources.get("/XObject")
        xobjects = xobjects.get_object() if xobjects is not None else None
        if not hasattr(xobjects, "get"):
            return size
        for form_name, count in sorted(calls.items()):
            form = xobjects.get(form_name)
            form = form.get_object() if form is not None else None
            if form is not None and getattr(form, "get", None) and form.get("/Subtype") == "/Form":
                size += count * self._form(form, depth + 1)
        return size

    def _form(self, form: Any, depth: int) -> int:
        key = id(form)
        if key in self._forms:
            return self._forms[key]
        if depth > self._DEEPEST:
            return 0
        self._forms[key] = (
            0  # while it is measured: a form reached again inside itself adds nothing
        )
        self._measured.append(form)
        resources = _resources_of(form)
        size = self._drawn((form,), resources, depth) if resources is not None else 0
        self._forms[key] = size
        return size

    def _stream(self, stream: Any) -> tuple[int, tuple[tuple[str, int], ...]]:
        key = id(stream)
        known = self._streams.get(key)
        if known is not None:
            return known
        data = stream.get_data()
        self._decoded += len(data)
        if self._decoded >= self._next_check:
            self._next_check = self._decoded + self._CHECK_EVERY
            self.progress.check()
        forms: tuple[tuple[str, int], ...] = ()
        if b"Do" in data:
            counts = Counter(_name(match[1]) for match in _FORM_CALL.finditer(data))
            forms = tuple(sorted(counts.items()))
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

    def see_operation(self, operator: bytes, operands: Any, *_: Any) -> None:
        self.tokens += 1 + (len(operands) if isinstance(operands, list) else 0)
        if self.tokens > self.token_limit:
            raise _BudgetSpent("tokens")
        if self.tokens >= self._next_check:
            self._next_check = self.tokens + self._CHECK_EVERY
            self.progress.check()
        if operator not in self._SHOWS_TEXT:
            return
        self._page_bytes += _string_bytes(operands)
        if self._page_bytes > 2 * self.page_limit:
            raise _BudgetSpent("page")
        if self.spent + self._page_bytes > 2 * self.limit:
            raise _BudgetSpent("file")

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
    """One page's text in the form described in the module docstring."""
    text = raw.replace("\r\n", "\n").replace("\r", "\n")
    # A broken ToUnicode map can yield lone surrogates, which no file or
    # terminal can hold: pair what pairs, replace the rest with U+FFFD.
    text = text.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    text = text.translate(_LIGATURE_TABLE)
    text = _CONTROLS.sub("", text)
    text = _TRAILING_SPACES.sub("\n", text + "\n")
    text = _BLANK_LINES.sub("\n\n", text)
    return text.strip()


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
    except pikepdf.PdfError as err:
        raise _damaged(name, err) from None


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


def _damaged(name: str, err: BaseException) -> InputError:
    return InputError(
        f"{name} is damaged or incomplete and cannot be read as a PDF ({_reason(err)}); "
        "get a complete copy or re-save it from the program that made it."
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


def _too_complex(name: str, limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"{name} holds more than {limit:,} drawing instructions, above memdiff's limit per PDF "
        "(it is extremely complex or built to exhaust the reader); split it or extract the relevant pages first."
    )


def _too_much_drawing(name: str, limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"{name} holds more than {_size(limit)} of drawing instructions (its pages' content and the forms they "
        "draw, counted each time a page uses them), above memdiff's limit per PDF (it is extremely complex or "
        "built to exhaust the reader); split it or extract the relevant pages first."
    )


def _too_much_drawing_for_its_size(
    name: str, allowance: int, file_size: int, limits: _Limits
) -> LimitExceeded:
    return LimitExceeded(
        f"{name} unpacks from {_size(file_size)} into more than {_size(allowance)} of drawing instructions (its "
        "pages' content and the forms they draw, counted each time a page uses them), above memdiff's limit of "
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

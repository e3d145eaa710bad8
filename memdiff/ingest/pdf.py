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
to 140,000 tokens a second on a small two-core machine, so no PDF takes more
than about three to four minutes, and an ordinary book a few seconds. pypdf's own limits apply
beneath (75 MB per decompressed stream, 5,000 form invocations per page) and
are reported as the same kind of error.
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
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
    progress: Progress = SILENT,
) -> Extracted:
    """Extract the text of every page of the PDF in ``data`` (see the module docstring for its form).

    ``progress`` hears which page is being read and can cancel between pages
    and, on a slow page, every few thousand drawing instructions.
    """
    with _quiet_pypdf() as repair_log:
        try:
            return _read(
                data,
                name,
                password,
                max_pages,
                max_characters,
                max_page_characters,
                max_tokens,
                max_stream_tokens,
                progress,
                repair_log,
            )
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


def _read(
    data: bytes,
    name: str,
    password: str | None,
    max_pages: int,
    max_characters: int,
    max_page_characters: int,
    max_tokens: int,
    max_stream_tokens: int,
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
    if page_count > max_pages:
        raise LimitExceeded(
            f"{name} has {page_count:,} pages, above memdiff's limit of {max_pages:,} pages per PDF; "
            "split it and compare the part that matters."
        )
    if page_count == 0:
        raise InputError(f"{name} has no pages; check that it is the right file.")
    # What pypdf logged while finding the objects and pages is damage to the file;
    # what it logs later concerns fonts in otherwise sound files, and is not news.
    structural_repairs = list(repair_log.messages)

    budget = _Budget(max_characters, min(max_page_characters, max_characters), max_tokens, progress)
    report_every = max(1, page_count // 100)
    page_texts: list[str] = []
    unreadable: list[int] = []
    too_complex: list[int] = []
    for number, page in enumerate(reader.pages, start=1):
        progress.check()
        if number == 1 or number % report_every == 0:
            progress.report(
                (number - 1) / page_count, f"Reading page {number:,} of {page_count:,} of {name}"
            )
        try:
            with _stream_token_limit(min(max_stream_tokens, budget.tokens_left())):
                raw = page.extract_text(visitor_operand_before=budget.see_operation)
        except _BudgetSpent as spent:
            if spent.args == ("page",):
                raise _too_much_page_text(name, number, budget.page_limit) from None
            if spent.args == ("tokens",):
                raise _too_complex(name, max_tokens) from None
            raise _too_much_text(name, max_characters) from None
        except LimitReachedError as err:
            if "tokens" not in str(err):
                raise _beyond_pypdf_limits(name, err) from None
            # A page (or a form on it) too complex to parse: its work still counts.
            budget.charge_tokens(max_stream_tokens)
            if budget.tokens_left() <= 0:
                raise _too_complex(name, max_tokens) from None
            too_complex.append(number)
            raw = ""
        except (MemdiffError, MemoryError, RecursionError):
            raise
        except Exception:  # noqa: BLE001 - one damaged page should not hide the rest; it is named in a note
            unreadable.append(number)
            raw = ""
        text = clean_page(raw)
        if len(text) > budget.page_limit:
            raise _too_much_page_text(name, number, budget.page_limit)
        budget.settle(len(text))
        if budget.spent > max_characters:
            raise _too_much_text(name, max_characters)
        page_texts.append(text)

    if too_complex:
        beyond = (
            f"{_page_list(too_complex)} of {name} {_verb(too_complex, 'holds', 'hold')} more than "
            f"{max_stream_tokens:,} drawing instructions, beyond memdiff's limit per page"
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


def _too_much_text(name: str, limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"{name} yields more than {limit:,} characters of text, above memdiff's limit per PDF "
        "(it may be a decompression bomb); split it or extract the relevant pages first."
    )

"""The evidence model: documents, parameters, spans, regions and the comparison, to and from JSON.

Everything here is a frozen dataclass so a finished result cannot be edited by
the code that displays or renders it. JSON goes through explicit ``to_dict`` /
``from_dict`` functions with a schema version (``memdiff/comparison@1``); the
layout is the public contract written down in ``CLI-AND-JSON.md``.
"""

from __future__ import annotations

import bisect
import datetime as _dt
import hashlib
import json
import os
from dataclasses import asdict, dataclass, field, fields, replace
from functools import cached_property
from typing import Any, Literal

from memdiff import __version__
from memdiff.errors import SettingError

SCHEMA = "memdiff/comparison@1"
BATCH_SCHEMA = "memdiff/batch@1"

Mode = Literal["text", "image"]
SpanKind = Literal["exact", "near"]


# --------------------------------------------------------------------------- documents


@dataclass(frozen=True)
class Document:
    """One input after ingest: its identity (hash, size, type) and its content.

    ``text`` is the *extracted text*: exactly what ``memdiff extract`` prints and
    what every span offset indexes. ``page_starts`` holds the offset at which
    each page begins (PDF only; empty otherwise), and ``running_lines`` the
    ``[start, end)`` ranges of the running heads, feet and page numbers found
    at the edges of the pages (see memdiff.ingest.running_heads).
    ``page_labels`` are the numbers the PDF says its pages bear (its page
    labels: "iv", "1", "A-3"), one per page, when it declares any that differ
    from counting 1, 2, 3 from its first page; empty otherwise. Images
    carry the decoded picture in ``image`` (a Pillow image, RGB) and their
    pixel size.
    """

    name: str
    sha256: str
    size_bytes: int
    media_type: str
    kind: Mode
    text: str = ""
    encoding: str | None = None
    page_starts: tuple[int, ...] = ()
    running_lines: tuple[tuple[int, int], ...] = ()
    page_labels: tuple[str, ...] = ()
    words: int = 0
    width: int | None = None
    height: int | None = None
    image_mode: str | None = None
    image_format: str | None = None
    notes: tuple[str, ...] = ()
    path: str | None = field(default=None, compare=False)
    image: Any = field(default=None, compare=False, repr=False)

    @property
    def pages(self) -> int | None:
        return len(self.page_starts) or None

    @property
    def characters(self) -> int:
        return len(self.text)

    def page_of(self, offset: int) -> int | None:
        """1-based page number holding the character at ``offset`` (None without pages)."""
        if not self.page_starts:
            return None
        return max(1, bisect.bisect_right(self.page_starts, offset))

    def pages_of(self, start: int, end: int) -> tuple[int, ...] | None:
        """1-based page numbers touched by the half-open range ``[start, end)``."""
        if not self.page_starts:
            return None
        first = self.page_of(start)
        last = self.page_of(max(start, end - 1))
        return tuple(range(first, last + 1))

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "name": self.name,
            "sha256": self.sha256,
            "size_bytes": self.size_bytes,
            "media_type": self.media_type,
        }
        if self.kind == "text":
            d.update(
                encoding=self.encoding,
                pages=self.pages,
                characters=self.characters,
                words=self.words,
            )
            if self.page_labels:
                d["page_labels"] = list(self.page_labels)
        else:
            d.update(
                width=self.width,
                height=self.height,
                image_mode=self.image_mode,
                image_format=self.image_format,
            )
        if self.notes:
            d["notes"] = list(self.notes)
        return d


@dataclass(frozen=True)
class DocumentRecord:
    """A document as recorded in a result file: identity and figures, no content."""

    name: str
    sha256: str
    size_bytes: int
    media_type: str
    encoding: str | None = None
    pages: int | None = None
    characters: int | None = None
    words: int | None = None
    width: int | None = None
    height: int | None = None
    image_mode: str | None = None
    image_format: str | None = None
    page_labels: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @classmethod
    def of(cls, doc: Document) -> DocumentRecord:
        return cls.from_dict(doc.to_dict())

    def to_dict(self) -> dict[str, Any]:
        is_text = self.characters is not None
        d: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name in ("notes", "page_labels"):
                if value:
                    d[f.name] = list(value)
            elif value is not None or (is_text and f.name in ("pages", "encoding")):
                # A text document always states its pages and its encoding, null
                # when it has none (a plain text file has no pages; a PDF no encoding).
                d[f.name] = value
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> DocumentRecord:
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in d.items() if k in known}
        kwargs["notes"] = tuple(d.get("notes", ()))
        kwargs["page_labels"] = tuple(d.get("page_labels", ()))
        return cls(**kwargs)

    def printed_pages(self, pages: tuple[int, ...] | None, dash: str = "\u2013") -> str | None:
        """The numbers printed on ``pages`` (1-based PDF pages): "42" or "42–43"; None when the PDF labels
        its pages no other way than counting from its first, or leaves one of them without a number."""
        return printed_pages(self.page_labels, pages, dash)


def percent_text(share: float) -> str:
    """A share (0 to 1) as people read it: "68.7%"; with two decimals near the ends, so that a part is never
    shown as none or all of it ("0.08%", "99.96%"). The report, the window and the terminal all use it."""
    if 0 < share < 0.001 or 0.999 < share < 1:
        return f"{min(max(share, 0.0001), 0.9999) * 100:.2f}%"
    return f"{share * 100:.1f}%"


def page_range(first: str, last: str, dash: str = "\u2013") -> str:
    """Two page names as one range: "3–4", or "3 to A-1" when a name holds a hyphen, a dash or a space, where
    a dash would make the range ambiguous ("3–A-1", "Page 1–Page 2"). The terminal passes "-" for ``dash``."""
    if first == last:
        return first
    if any(mark in name for name in (first, last) for mark in "-\u2010\u2011\u2012\u2013\u2014 "):
        return f"{first} to {last}"
    return f"{first}{dash}{last}"


def printed_pages(
    labels: tuple[str, ...], pages: tuple[int, ...] | None, dash: str = "\u2013"
) -> str | None:
    """``pages`` (1-based PDF pages) by their ``labels``: "xii" or "xii–1" (see :func:`page_range`); None
    without labels for them all."""
    if not labels or not pages or pages[-1] > len(labels):
        return None
    if not all(labels[n - 1] for n in pages):
        return None
    return page_range(labels[pages[0] - 1], labels[pages[-1] - 1], dash)


# --------------------------------------------------------------------------- parameters


def size_text(size_bytes: int) -> str:
    """A file's size as reports and the window write it: binary units (KiB, MiB) and the exact bytes."""
    if size_bytes < 1024:
        return f"{size_bytes:,} bytes"
    if size_bytes < 1024**2:
        return f"{size_bytes / 1024:.1f} KiB ({size_bytes:,} bytes)"
    return f"{size_bytes / 1024**2:.1f} MiB ({size_bytes:,} bytes)"


#: The shortest-span setting's bounds, in words (the command line and the window offer the same).
MIN_WORDS_RANGE = (2, 10_000)


@dataclass(frozen=True)
class Parameters:
    """Every setting that can change a finding; all of them are recorded in the result."""

    min_words: int = 8
    near: bool = True
    min_similarity: float = 0.8
    # Normalisation applied to a copy of the text before matching.
    unicode_nfkc: bool = True
    casefold: bool = True
    unify_quotes: bool = True
    ignore_punctuation: bool = True
    join_hyphenation: bool = True
    # Running heads, feet and page numbers of a paged document left out of matching.
    ignore_running_heads: bool = True
    # Near-verbatim passages: shortest exact seed (never more than min_words),
    # and the largest gap (in words) between two seeds that may still be
    # joined into one passage.
    near_seed_words: int = 4
    near_max_gap: int = 6
    # Language of the word-frequency table used by the chance estimate;
    # "auto" picks it from the original's text and records the choice.
    language: str = "auto"

    def validate(self) -> None:
        low, high = MIN_WORDS_RANGE
        if not low <= self.min_words <= high:
            raise ValueError(f"min_words must be between {low} and {high}")
        if not 0.0 < self.min_similarity <= 1.0:
            raise ValueError("min_similarity must be above 0 and at most 1")
        if not 2 <= self.near_seed_words <= 50:
            raise ValueError("near_seed_words must be between 2 and 50")
        if not 1 <= self.near_max_gap <= 100:
            raise ValueError("near_max_gap must be between 1 and 100")

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Parameters:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})

    def with_changes(self, **changes: Any) -> Parameters:
        return replace(self, **changes)


# --------------------------------------------------------------------------- text findings


@dataclass(frozen=True)
class Location:
    """A half-open ``[start, end)`` range of extracted-text indices, with its pages."""

    start: int
    end: int
    pages: tuple[int, ...] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": self.start,
            "end": self.end,
            "pages": list(self.pages) if self.pages is not None else None,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Location:
        pages = d.get("pages")
        return cls(d["start"], d["end"], tuple(pages) if pages is not None else None)


@dataclass(frozen=True)
class Chance:
    """How likely a run of words is in ordinary writing.

    ``bits`` is the run's self-information under a unigram word-frequency
    model: the larger, the less likely a coincidence. ``common_phrase`` marks
    runs short and common enough that any writer might produce them.
    """

    bits: float
    common_phrase: bool

    def to_dict(self) -> dict[str, Any]:
        return {"bits": self.bits, "common_phrase": self.common_phrase}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Chance:
        return cls(float(d["bits"]), bool(d["common_phrase"]))


@dataclass(frozen=True)
class Span:
    """One reproduced passage: where it sits in each document, and how close it is.

    ``words`` counts the output's (suspect's) words; ``original_words`` the
    original's. ``other_occurrences`` says in how many further places of the
    original the span's words occur as a whole (the span reports the place
    reaching furthest; at least that many where its opening words are found
    in more places than are followed).
    """

    id: int
    kind: SpanKind
    words: int
    similarity: float
    original: Location
    suspect: Location
    chance: Chance
    original_words: int = 0
    other_occurrences: int = 0

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "words": self.words,
            "original_words": self.original_words,
            "similarity": self.similarity,
            "original": self.original.to_dict(),
            "suspect": self.suspect.to_dict(),
            "chance": self.chance.to_dict(),
            "other_occurrences": self.other_occurrences,
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Span:
        return cls(
            id=d["id"],
            kind=d["kind"],
            words=d["words"],
            similarity=float(d["similarity"]),
            original=Location.from_dict(d["original"]),
            suspect=Location.from_dict(d["suspect"]),
            chance=Chance.from_dict(d["chance"]),
            original_words=d.get("original_words", d["words"]),
            other_occurrences=d.get("other_occurrences", 0),
        )


@dataclass(frozen=True)
class TextSummary:
    """The figures of a text comparison.

    ``suspect_words`` and ``original_words`` are the words compared under the
    comparison's parameters (hyphen-broken words joined or not, running heads
    left out or kept): the coverage figures divide by them, so
    ``suspect_coverage`` is ``suspect_words_in_spans / suspect_words``.
    A document record's ``words`` is the document's own count (hyphen-broken
    words joined, running heads left out), whatever the parameters. Results
    written before these two figures existed read them as None.
    """

    suspect_words_in_spans: int
    suspect_coverage: float
    suspect_words_in_exact_spans: int
    exact_suspect_coverage: float
    original_words_in_spans: int
    original_coverage: float
    span_count: int
    exact_span_count: int
    near_span_count: int
    longest_span_words: int
    longest_span_characters: int
    common_phrase_spans: int
    language: str
    suspect_words: int | None = None
    original_words: int | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> TextSummary:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


# --------------------------------------------------------------------------- image findings


Box = tuple[int, int, int, int]


@dataclass(frozen=True)
class ImageRegion:
    """A matched box in each image's own pixel coordinates, ``[x0, y0, x1, y1)``."""

    original: Box
    suspect: Box
    score: float

    def to_dict(self) -> dict[str, Any]:
        return {"original": list(self.original), "suspect": list(self.suspect), "score": self.score}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ImageRegion:
        return cls(tuple(d["original"]), tuple(d["suspect"]), float(d["score"]))


#: Keys of ``ImageSummary.thresholds`` measured in the comparison at hand rather than fixed in the code:
#: which method decided (keypoint alignment, or direct comparison for pictures too smooth for keypoints)
#: and what it measured.
IMAGE_MEASUREMENTS = frozenset({
    "comparison_method",
    "textured_matched_tiles",
    "textured_covered_tiles",
    "direct_pixel_identical",
    "direct_layout_correlation",
    "direct_colour_residual",
    "direct_orientation",
})


@dataclass(frozen=True)
class ImageSummary:
    """Image verdict and the figures behind it (see CLI-AND-JSON.md).

    ``transform`` maps suspect pixel coordinates onto the original
    (scale, rotation in degrees, dx, dy, mirrored). ``hashes`` maps each hash
    name to ``{"distance", "bits", "similarity"}``. ``heatmap`` holds the
    per-tile similarity grid over the original: ``{"tile": [w, h],
    "grid": [[...], ...]}`` with None where the suspect does not cover a tile.
    ``thresholds`` are the fixed values the verdict was taken with.
    """

    match: bool
    verdict: str
    transform: dict[str, Any] | None
    hashes: dict[str, dict[str, Any]]
    matched_fraction_of_suspect: float
    matched_fraction_of_original: float
    orientation: str = "as given"
    inliers: int = 0
    heatmap: dict[str, Any] | None = None
    thresholds: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> ImageSummary:
        known = {f.name for f in fields(cls)}
        return cls(**{k: v for k, v in d.items() if k in known})


# --------------------------------------------------------------------------- the comparison


def fixed_moment() -> _dt.datetime:
    """Now (UTC, whole seconds), or the moment ``SOURCE_DATE_EPOCH`` fixes for reproducible outputs.

    A value that is not a whole number of seconds since 1970 is refused
    rather than ignored: whoever set it expects outputs that do not change,
    and would otherwise get the current time without noticing.
    """
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch:
        return _dt.datetime.now(tz=_dt.timezone.utc).replace(microsecond=0)
    refusal = SettingError(
        f"SOURCE_DATE_EPOCH is set to {epoch[:40]!r}, which is not a whole number of seconds since "
        "1970-01-01 (UTC) before the year 10000; correct it or unset it."
    )
    if not (epoch.isascii() and epoch.isdigit()):
        raise refusal
    try:
        return _dt.datetime.fromtimestamp(int(epoch), tz=_dt.timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise refusal from None


def _utc_now() -> str:
    """Creation time; ``SOURCE_DATE_EPOCH`` fixes it for reproducible outputs."""
    return fixed_moment().strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class Comparison:
    """The finished result of comparing an original with a suspect output."""

    mode: Mode
    parameters: Parameters
    original: DocumentRecord
    suspect: DocumentRecord
    summary: TextSummary | ImageSummary
    spans: tuple[Span, ...] = ()
    regions: tuple[ImageRegion, ...] = ()
    created: str = field(default_factory=_utc_now)
    tool_version: str = __version__

    # ---- JSON

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "schema": SCHEMA,
            "tool": {"name": "memdiff", "version": self.tool_version},
            "created": self.created,
            "mode": self.mode,
            "parameters": self.parameters.to_dict(),
            "original": self.original.to_dict(),
            "suspect": self.suspect.to_dict(),
            "summary": self.summary.to_dict(),
        }
        d["spans" if self.mode == "text" else "regions"] = self._findings()
        d["findings_sha256"] = self.findings_digest()
        return d

    def to_json(self) -> str:
        return result_json(self.to_dict())

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Comparison:
        if d.get("schema") != SCHEMA:
            raise ValueError(f"not a memdiff result (schema {d.get('schema')!r}, expected {SCHEMA!r})")
        mode = d["mode"]
        summary: TextSummary | ImageSummary
        if mode == "text":
            summary = TextSummary.from_dict(d["summary"])
        else:
            summary = ImageSummary.from_dict(d["summary"])
        return cls(
            mode=mode,
            parameters=Parameters.from_dict(d["parameters"]),
            original=DocumentRecord.from_dict(d["original"]),
            suspect=DocumentRecord.from_dict(d["suspect"]),
            summary=summary,
            spans=tuple(Span.from_dict(s) for s in d.get("spans", ())),
            regions=tuple(ImageRegion.from_dict(r) for r in d.get("regions", ())),
            created=d["created"],
            tool_version=d["tool"]["version"],
        )

    @classmethod
    def from_json(cls, text: str) -> Comparison:
        return cls.from_dict(json.loads(text))

    # ---- the digest a report prints and `verify` recomputes

    def findings_canonical_json(self) -> str:
        """Canonical JSON of the findings alone (spans or regions and summary).

        Sorted keys, no whitespace, floats as Python prints them: any two runs
        that found the same thing produce the same bytes.
        """
        return self._canonical(self._findings())

    def findings_digest(self) -> str:
        return self._findings_sha256

    @cached_property
    def _findings_sha256(self) -> str:
        # Computed once: a report asks for it for its record, its appendix and its JSON result.
        return _sha256_text(self.findings_canonical_json())

    def _findings(self) -> list[dict[str, Any]]:
        if self.mode == "text":
            return [s.to_dict() for s in self.spans]
        return [r.to_dict() for r in self.regions]

    def _canonical(self, findings: list[dict[str, Any]]) -> str:
        body = {"mode": self.mode, "summary": self.summary.to_dict(), "findings": findings}
        return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def longest_spans_sentence(c: Comparison) -> str:
    """The longest span in words with its own character count, and the longest in characters when another.

    The summary's two maxima may come from two different spans; one
    sentence joining them would describe a span that does not exist. The
    report and the terminal both say it this way.
    """
    s: TextSummary = c.summary  # type: ignore[assignment]

    def counted(n: int, noun: str) -> str:
        return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"

    def characters(span: Span) -> int:
        return span.suspect.end - span.suspect.start

    by_words = next((x for x in c.spans if x.words == s.longest_span_words), None)
    by_chars = next((x for x in c.spans if characters(x) == s.longest_span_characters), None)
    if by_words is None or by_chars is None:
        return (
            f"The longest span has {counted(s.longest_span_words, 'word')}; the longest span in characters of "
            f"the output has {counted(s.longest_span_characters, 'character')}."
        )
    sentence = (
        f"The longest span in words is span {by_words.id}: {counted(by_words.words, 'word')} "
        f"({counted(characters(by_words), 'character')} of the output)"
    )
    if characters(by_words) == s.longest_span_characters:
        return sentence + ", also the longest in characters."
    return (
        sentence + f"; the longest in characters is span {by_chars.id}: "
        f"{counted(s.longest_span_characters, 'character')} ({counted(by_chars.words, 'word')})."
    )


def _sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def batch_json(comparisons: list[Comparison] | tuple[Comparison, ...]) -> str:
    """The result file for several outputs of one original (``memdiff/batch@1``)."""
    body = {"schema": BATCH_SCHEMA, "comparisons": [c.to_dict() for c in comparisons]}
    return result_json(body)


# Lists whose items (objects) are written one to a line.
_ONE_PER_LINE = frozenset({"spans", "regions"})


def result_json(body: dict[str, Any]) -> str:
    """A result file's text: indented JSON, with each span or region, and each list of plain values, on one line.

    The standard library's indenting encoder runs in Python and took most of
    the time of writing a result with thousands of spans; a finding or a
    heatmap row on its own line is encoded in C, and reads and diffs well.
    """
    return _json_value(body, "") + "\n"


def _json_value(value: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(value, dict) and value:
        members = []
        for key, item in value.items():
            name = json.dumps(key, ensure_ascii=False)
            if key in _ONE_PER_LINE and isinstance(item, list) and item:
                rows = (",\n" + inner + "  ").join(json.dumps(x, ensure_ascii=False) for x in item)
                members.append(f"{name}: [\n{inner}  {rows}\n{inner}]")
            else:
                members.append(f"{name}: {_json_value(item, inner)}")
        return "{\n" + inner + (",\n" + inner).join(members) + "\n" + indent + "}"
    if isinstance(value, list) and value and any(isinstance(x, (dict, list)) for x in value):
        return "[\n" + inner + (",\n" + inner).join(_json_value(x, inner) for x in value) + "\n" + indent + "]"
    return json.dumps(value, ensure_ascii=False)

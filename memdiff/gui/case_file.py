"""Case files (``.memdiff``): what a comparison was made from, so it can be reopened and checked.

A case records both inputs (path and SHA-256; pasted text is kept in the file
itself because it has no path), the parameters and the report's front matter
and provenance. It is JSON with a schema name, written atomically. Reopening
compares each input's SHA-256 with the one saved, so a file that changed since
is noticed before anyone relies on the old findings. When a case is saved
again over a changed input, the earlier digest is kept in the case as well
(``earlier``), so the record of what the case was first built on is never lost.
No Qt here: the format is plain data and is tested without a window.
"""

from __future__ import annotations

import datetime as _dt
import json
import os
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from memdiff import __version__
from memdiff.atomic import write_text
from memdiff.errors import InputError
from memdiff.evidence import Document, Parameters

SCHEMA = "memdiff/case@1"
SUFFIX = ".memdiff"


@dataclass(frozen=True)
class EarlierDigest:
    """An input's identity as a case recorded it before the case was saved over a changed file."""

    name: str
    sha256: str
    size_bytes: int
    #: When the case recorded this digest, and when a later save replaced it (both UTC, ISO 8601).
    recorded: str = ""
    replaced: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"name": self.name, "sha256": self.sha256, "size_bytes": self.size_bytes,
                "recorded": self.recorded, "replaced": self.replaced}

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> EarlierDigest:
        return cls(str(d["name"]), str(d["sha256"]), int(d["size_bytes"]), str(d.get("recorded", "")),
                   str(d.get("replaced", "")))


@dataclass(frozen=True)
class CaseInput:
    """One side of a case: where the input was and what its bytes hashed to."""

    name: str
    sha256: str
    size_bytes: int
    path: str | None = None
    relative_path: str | None = None
    #: The text itself, for output pasted from a chat window (it exists nowhere else).
    pasted_text: str | None = None
    #: Digests this side had in earlier saves of the case, oldest first.
    earlier: tuple[EarlierDigest, ...] = ()

    @classmethod
    def of(cls, document: Document, case_path: str | os.PathLike[str]) -> CaseInput:
        if document.path is None:
            return cls(document.name, document.sha256, document.size_bytes, pasted_text=document.text)
        absolute = os.path.abspath(document.path)
        try:
            relative: str | None = os.path.relpath(absolute, os.path.dirname(os.path.abspath(case_path)))
        except ValueError:  # another drive on Windows
            relative = None
        return cls(document.name, document.sha256, document.size_bytes, path=absolute, relative_path=relative)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"name": self.name, "sha256": self.sha256, "size_bytes": self.size_bytes}
        if self.pasted_text is not None:
            d["pasted_text"] = self.pasted_text
        else:
            d["path"] = self.path
            d["relative_path"] = self.relative_path
        if self.earlier:
            d["earlier"] = [e.to_dict() for e in self.earlier]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> CaseInput:
        return cls(
            name=str(d["name"]),
            sha256=str(d["sha256"]),
            size_bytes=int(d["size_bytes"]),
            path=d.get("path"),
            relative_path=d.get("relative_path"),
            pasted_text=d.get("pasted_text"),
            earlier=tuple(EarlierDigest.from_dict(e) for e in d.get("earlier") or ()),
        )

    def replacing(self, recorded: CaseInput | None, recorded_on: str, now_: str) -> CaseInput:
        """This input, carrying ``recorded``'s history, plus ``recorded`` itself when its bytes differed."""
        if recorded is None:
            return self
        earlier = recorded.earlier
        if recorded.sha256 != self.sha256:
            earlier = (*earlier, EarlierDigest(recorded.name, recorded.sha256, recorded.size_bytes, recorded_on, now_))
        return replace(self, earlier=earlier)

    def seen_from(self, old_case: str | os.PathLike[str], new_case: str | os.PathLike[str]) -> CaseInput:
        """This record in a case file saved at ``new_case`` instead of ``old_case``: the place relative to
        the case file is rewritten, so that inputs kept beside the first case are still found from the second."""
        if not self.relative_path:
            return self
        beside_old = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(old_case)), self.relative_path))
        try:
            relative: str | None = os.path.relpath(beside_old, os.path.dirname(os.path.abspath(new_case)))
        except ValueError:  # another drive on Windows: only the absolute path can name it
            relative = None
        return replace(self, relative_path=relative)

    def locate(self, case_path: str | os.PathLike[str]) -> Path | None:
        """The input's file: its saved path, else the same place relative to the case file; None if gone."""
        if self.path and Path(self.path).is_file():
            return Path(self.path)
        if self.relative_path:
            candidate = Path(os.path.abspath(case_path)).parent / self.relative_path
            if candidate.is_file():
                return candidate
        return None


@dataclass(frozen=True)
class Case:
    original: CaseInput | None
    suspect: CaseInput | None
    parameters: Parameters = field(default_factory=Parameters)
    front_matter: dict[str, Any] = field(default_factory=dict)
    provenance: dict[str, Any] = field(default_factory=dict)
    saved: str = ""
    tool_version: str = __version__

    def to_dict(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA,
            "tool": {"name": "memdiff", "version": self.tool_version},
            "saved": self.saved,
            "original": self.original.to_dict() if self.original else None,
            "suspect": self.suspect.to_dict() if self.suspect else None,
            "parameters": self.parameters.to_dict(),
            "front_matter": dict(sorted(self.front_matter.items())),
            "provenance": dict(sorted(self.provenance.items())),
        }

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Case:
        return cls(
            original=CaseInput.from_dict(d["original"]) if d.get("original") else None,
            suspect=CaseInput.from_dict(d["suspect"]) if d.get("suspect") else None,
            parameters=Parameters.from_dict(d.get("parameters") or {}),
            front_matter=dict(d.get("front_matter") or {}),
            provenance=dict(d.get("provenance") or {}),
            saved=str(d.get("saved", "")),
            tool_version=str((d.get("tool") or {}).get("version", "")),
        )


def now() -> str:
    return _dt.datetime.now(tz=_dt.timezone.utc).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ")


# A path whose name is not valid in the system's encoding reaches Python with
# each undecodable byte as a lone surrogate, which UTF-8 cannot hold.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def save_case(case: Case, path: str | os.PathLike[str]) -> Path:
    """Write ``case`` to ``path`` atomically (a crash never leaves half a case file).

    Names stay readable (not escaped) except lone surrogates, written as JSON
    escapes so that the exact path comes back when the case is read.
    """
    target = Path(path)
    text = json.dumps(case.to_dict(), indent=2, ensure_ascii=False)
    text = _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)
    write_text(target, text + "\n")
    return target


def read_case(path: str | os.PathLike[str]) -> Case:
    """Read a case file; a clear sentence (InputError) when it is not one."""
    p = Path(path)
    try:
        raw = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError(f"The case file {p} does not exist; check the path.") from None
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(f"The case file {p.name} cannot be read ({err}).") from None
    try:
        data = json.loads(raw)
    except ValueError:
        raise InputError(f"{p.name} is not a memdiff case file (it is not valid JSON).") from None
    if not isinstance(data, dict) or data.get("schema") != SCHEMA:
        raise InputError(f"{p.name} is not a memdiff case file (expected the schema {SCHEMA}).")
    try:
        case = Case.from_dict(data)
        case.parameters.validate()
    except KeyError as err:
        what = f"the entry “{err.args[0]}” is missing" if err.args else "an entry is missing"
        raise InputError(f"The case file {p.name} is damaged: {what}. Open the two inputs by hand and save "
                         "the case again.") from None
    except (TypeError, ValueError):
        raise InputError(f"The case file {p.name} is damaged: one of its entries holds a value memdiff cannot "
                         "use. Open the two inputs by hand and save the case again.") from None
    return case


def change_warning(side_label: str, saved: CaseInput, loaded: Document, saved_when: str) -> str | None:
    """A sentence when the input read now differs from the one the case was saved with.

    ``saved_when`` is the save time as the reader should see it (the window writes it in the user's locale).
    """
    if loaded.sha256 == saved.sha256:
        return None
    when = f" on {saved_when}" if saved_when else ""
    return (
        f"The {side_label}, {loaded.name}, has changed since the case was saved{when}: "
        f"its SHA-256 was {saved.sha256[:16]}… and is now {loaded.sha256[:16]}… "
        f"({saved.size_bytes:,} bytes then, {loaded.size_bytes:,} now). "
        "The findings shown are for the file as it is now, not as it was when the case was saved."
    )


def not_the_recorded_file(side_label: str, saved: CaseInput, picked: Document) -> str | None:
    """A sentence when the file the user picked to locate a missing input is not the one the case recorded.

    Said of a file chosen by hand, which may be any file: unlike :func:`change_warning`, it does not
    claim the file is the recorded one, changed.
    """
    if picked.sha256 == saved.sha256:
        return None
    return (
        f"The file you picked, {picked.name}, is not the {side_label} this case recorded, {saved.name}: "
        f"its SHA-256 differs (recorded {saved.sha256[:16]}…, this file {picked.sha256[:16]}…; "
        f"{saved.size_bytes:,} bytes recorded, {picked.size_bytes:,} in this file). "
        f"The findings shown are for {picked.name}. Locate {saved.name} to compare the recorded file, or save "
        f"the case to record {picked.name} in its place."
    )


def record_note(saved: CaseInput, loaded: Document) -> str:
    """The line a side shows while it holds other bytes than the case records (empty when they agree)."""
    if loaded.sha256 == saved.sha256:
        return ""
    if saved.name == loaded.name:
        return (f"Not the file as this case recorded it (SHA-256 {saved.sha256[:16]}… then). "
                "Saving the case records this file instead.")
    return (f"Not the file this case recorded ({saved.name}, SHA-256 {saved.sha256[:16]}…). "
            "Saving the case records this file instead.")

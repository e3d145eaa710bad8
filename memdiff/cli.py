"""The command line: ``memdiff compare``, ``extract``, ``verify``, ``demo`` and ``gui``.

Never imports Qt: ``memdiff gui`` hands over to memdiff.gui only after
checking, without Qt, that a display can be opened. Exit status: 0 done,
1 internal error (a bug; the details go to the log file), 2 bad usage or bad
input (one sentence on standard error), 3 a report that did not verify,
130 after Ctrl+C and 143 after SIGTERM (``compare`` then writes no file).
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import gc
import os
import re
import shlex
import signal
import sys
import threading
import traceback
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from enum import IntEnum
from pathlib import Path
from typing import Any, NoReturn

from memdiff import __version__
from memdiff.errors import Cancelled, MemdiffError, OutputError
from memdiff.evidence import (
    MIN_WORDS_RANGE,
    Comparison,
    Document,
    ImageSummary,
    Parameters,
    TextSummary,
    batch_json,
    longest_spans_sentence,
    page_range,
    percent_text,
)
from memdiff.progress import Progress


class ExitCode(IntEnum):
    OK = 0
    INTERNAL_ERROR = 1
    BAD_INPUT = 2
    NOT_VERIFIED = 3


class UsageError(MemdiffError):
    """The command line itself is wrong (a missing file argument, a bad option value)."""


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised like Ctrl+C so that the same clean-up runs (no output is left half written)."""

    signal_number = signal.SIGTERM


# --------------------------------------------------------------------------- progress on a terminal


class TerminalProgress(Progress):
    """A one-line progress bar on standard error, shown only when it is a terminal."""

    def __init__(self, stream: Any = None) -> None:
        self._stream = stream or sys.stderr
        self._enabled = hasattr(self._stream, "isatty") and self._stream.isatty()
        self._last = ""

    def report(self, fraction: float, message: str = "") -> None:
        if not self._enabled:
            return
        filled = int(round(fraction * 24))
        line = f"\r[{'#' * filled}{'.' * (24 - filled)}] {fraction:4.0%} {message:<40.40}"
        if line != self._last:
            self._stream.write(line)
            self._stream.flush()
            self._last = line

    def done(self) -> None:
        if self._enabled and self._last:
            self._stream.write("\r" + " " * len(self._last) + "\r")
            self._stream.flush()
            self._last = ""


# --------------------------------------------------------------------------- argument parsing


class _Parser(argparse.ArgumentParser):
    """A usage error is one sentence and a pointer to ``--help``, not the whole usage."""

    def error(self, message: str) -> NoReturn:
        self.exit(ExitCode.BAD_INPUT, f"{self.prog}: {message.rstrip('.')}; see {self.prog} --help.\n")


def _whole_number(low: int, high: int | None = None):
    """An argparse type for a whole number from ``low`` (to ``high``), with the range in its message."""
    allowed = f"from {low} to {high}" if high is not None else f"of at least {low}"

    def whole_number(value: str) -> int:
        try:
            number = int(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{value!r} is not a whole number {allowed}") from None
        if number < low or (high is not None and number > high):
            raise argparse.ArgumentTypeError(f"{value} is not a whole number {allowed}")
        return number

    return whole_number


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number between 0 and 1") from None
    if not 0.0 < number <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 (excluded) and 1")
    return number


def _language_code(value: str) -> str:
    """A language code as the tables name it: "EN" and " en " are "en" (and "AUTO" is "auto")."""
    return value.strip().lower()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="memdiff",
        description=(
            "Shows whether and where an AI model's output reproduces an original work, "
            "with figures anyone can re-run. Without a command, opens the desktop application."
        ),
    )
    parser.add_argument("--version", action="version", version=f"memdiff {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    gui = commands.add_parser("gui", help="open the desktop application, optionally with files loaded")
    gui.add_argument("original", nargs="?", metavar="ORIGINAL")
    gui.add_argument("suspect", nargs="?", metavar="SUSPECT")
    gui.add_argument("--case", metavar="FILE.memdiff", help="open a saved case")

    demo = commands.add_parser(
        "demo",
        help="the bundled sample case: the application if a display exists, "
        "else a summary and a report PDF in the current folder",
    )
    demo.add_argument("--no-gui", action="store_true", help="print the summary and write the report even with a display")

    compare = commands.add_parser(
        "compare",
        help="compare an original work with one or more model outputs",
        description="Compare ORIGINAL with each SUSPECT (a model output; '-' reads standard input). "
        "A folder given as SUSPECT stands for the files in it, less hidden and system files, the original, "
        "this run's own outputs and the reports and results memdiff wrote before (stderr says what was left "
        "out). Without --json or --report, prints a summary. "
        "Every file and input is checked before any comparison; the output files are written together at the "
        "end, and after an error or an interrupt none is.",
    )
    compare.add_argument("original", metavar="ORIGINAL")
    compare.add_argument("suspects", nargs="+", metavar="SUSPECT")
    compare.add_argument("--mode", choices=("auto", "text", "image"), default="auto", help="auto decides by content (default)")
    compare.add_argument("--json", metavar="FILE",
                         help="write the result as JSON; '-' for standard output. Several outputs, a folder as "
                         "SUSPECT or --batch-report give the batch shape (memdiff/batch@1)")
    compare.add_argument("--report", metavar="FILE.pdf", help="write the court report (and FILE.json beside it)")
    compare.add_argument("--batch-report", metavar="OUT.pdf",
                         help="one report for many outputs against one original (and OUT.json beside it)")
    compare.add_argument("--password", help="password of an encrypted ORIGINAL PDF (shown as [withheld] in a report and the log)")
    compare.add_argument("--suspect-password",
                         help="password of an encrypted SUSPECT PDF (shown as [withheld] in a report and the log)")

    defaults = Parameters()
    matching = compare.add_argument_group("matching")
    matching.add_argument("--min-words", type=_whole_number(*MIN_WORDS_RANGE), default=defaults.min_words,
                          help=f"shortest verbatim span reported, in words, {MIN_WORDS_RANGE[0]} to "
                          f"{MIN_WORDS_RANGE[1]} (default {defaults.min_words})")
    matching.add_argument("--near", action=argparse.BooleanOptionalAction, default=defaults.near,
                          help="report near-verbatim passages (default on)")
    matching.add_argument("--min-similarity", type=_fraction, default=defaults.min_similarity,
                          help=f"near-verbatim threshold, above 0 and at most 1 (default {defaults.min_similarity})")
    matching.add_argument("--nfkc", action=argparse.BooleanOptionalAction, default=defaults.unicode_nfkc,
                          help="Unicode NFKC normalisation (default on)")
    matching.add_argument("--casefold", action=argparse.BooleanOptionalAction, default=defaults.casefold,
                          help="ignore letter case (default on)")
    matching.add_argument("--unify-quotes", action=argparse.BooleanOptionalAction, default=defaults.unify_quotes,
                          help="treat curly and straight quotes, and all dashes, alike (default on)")
    matching.add_argument("--ignore-punctuation", action=argparse.BooleanOptionalAction,
                          default=defaults.ignore_punctuation, help="ignore punctuation (default on)")
    matching.add_argument("--join-hyphenation", action=argparse.BooleanOptionalAction,
                          default=defaults.join_hyphenation,
                          help="join words hyphenated across a line break, as the texts write them elsewhere (default on)")
    matching.add_argument("--ignore-running-heads", action=argparse.BooleanOptionalAction,
                          default=defaults.ignore_running_heads,
                          help="leave out of matching the running heads, feet and page numbers repeated at the "
                               "edges of a PDF's pages (default on)")
    matching.add_argument("--language", default=defaults.language, type=_language_code,
                          help="language of the word frequencies for the chance estimate, e.g. en, de, zh (default auto)")

    front = compare.add_argument_group("report front matter")
    for option, meaning in (
        ("--court", "court"), ("--case-title", "case title"), ("--case-number", "case number"),
        ("--exhibit", "exhibit label"), ("--title", "report title"), ("--examiner", "examiner's name"),
        ("--confidentiality", "confidentiality legend printed on every page"),
        ("--bates-prefix", "Bates number prefix"),
    ):
        front.add_argument(option, default="", help=meaning)
    front.add_argument("--bates-start", type=_whole_number(1), help="first Bates number, 1 or more")
    front.add_argument("--page-size", choices=("letter", "a4"), default="letter", help="report page size (default letter)")

    provenance = compare.add_argument_group("provenance of the model output")
    provenance.add_argument("--model", default="", help="model name and version")
    provenance.add_argument("--prompt-file", help="file holding the prompt that produced the output")
    provenance.add_argument("--generated-on", default="", help="date the output was generated")
    provenance.add_argument("--attempts", type=_whole_number(1),
                            help="how many generations were made to obtain it, 1 or more")
    provenance.add_argument("--sampling", default="", help="sampling settings (temperature, top-p, seed, ...)")

    extract = commands.add_parser("extract", help="print the extracted text that span offsets index")
    extract.add_argument("file", metavar="FILE")
    extract.add_argument("--password", help="password of an encrypted PDF")

    verify = commands.add_parser("verify", help="re-run and check a report's findings")
    verify.add_argument("report", metavar="REPORT.pdf")
    verify.add_argument("original", metavar="ORIGINAL", help="the original work; '-' reads standard input")
    verify.add_argument(
        "suspects",
        metavar="SUSPECT",
        nargs="+",
        help="the model output, or several outputs of a batch report, or a folder of them; '-' reads standard input",
    )
    verify.add_argument("--password", help="password of an encrypted ORIGINAL PDF")
    verify.add_argument("--suspect-password", help="password of an encrypted SUSPECT PDF")
    return parser


def parameters_from(args: argparse.Namespace) -> Parameters:
    return Parameters(
        min_words=args.min_words,
        near=args.near,
        min_similarity=args.min_similarity,
        unicode_nfkc=args.nfkc,
        casefold=args.casefold,
        unify_quotes=args.unify_quotes,
        ignore_punctuation=args.ignore_punctuation,
        join_hyphenation=args.join_hyphenation,
        ignore_running_heads=args.ignore_running_heads,
        language=args.language,
    )


# --------------------------------------------------------------------------- commands


def _load(path: str, password: str | None = None) -> Document:
    from memdiff import ingest
    from memdiff.errors import LimitExceeded

    if path == "-":
        # A pipe may never end: read no more than the text-file limit allows.
        data = sys.stdin.buffer.read(ingest.MAX_TEXT_FILE_BYTES + 1)
        if len(data) > ingest.MAX_TEXT_FILE_BYTES:
            raise LimitExceeded(
                f"standard input holds more than {ingest.MAX_TEXT_FILE_BYTES // 2**20} MB, memdiff's limit for a text; "
                "save the relevant part to a file and compare that."
            )
        return ingest.load_bytes(data, "standard input")
    bar = TerminalProgress()
    try:
        return ingest.load(path, password=password, progress=bar)
    finally:
        bar.done()


def _resolved(path: str | os.PathLike[str]) -> Path:
    """``path`` made absolute with its links followed, as far as they go: a loop of links or a name too long
    (refused with their own sentence elsewhere) leaves it absolute as typed rather than raising."""
    try:
        return Path(path).resolve()
    except (OSError, RuntimeError):  # RuntimeError: Python 3.11's "Symlink loop"
        return Path(os.path.abspath(path))


#: Why a path cannot be reached at all, by the error the system gives, and what the user can do about it.
_UNREACHABLE = {
    errno.ENAMETOOLONG: ("its name is too long for this system (most allow 255 bytes a name)",
                         "rename it or move it to a shorter path"),
    errno.ELOOP: ("it is a loop of symbolic links that never reaches a file", "give the path of the file itself"),
    errno.EACCES: ("permission denied", "check its permissions and those of the folders above it"),
}


def unreachable_sentence(path: str, err: OSError) -> str | None:
    """One sentence saying why ``path`` cannot be read, for the errors no reader explains well; None for others."""
    from memdiff.ingest import displayable_name

    if err.errno not in _UNREACHABLE:
        return None
    why, what_to_do = _UNREACHABLE[err.errno]
    return f"{displayable_name(os.fsdecode(path))} cannot be read: {why}; {what_to_do}."


def _check_inputs_reachable(paths: Sequence[str]) -> None:
    """Refuse, before any work, an input the system cannot even look up (a name too long, a loop of links,
    a folder that cannot be searched). A missing file is left to the reader, which says so in its words."""
    from memdiff.errors import InputError

    for path in paths:
        if path == "-":
            continue
        try:
            os.stat(path)
        except OSError as err:
            sentence = unreachable_sentence(path, err)
            if sentence is not None:
                raise InputError(sentence) from None
        except ValueError:  # a NUL in the name: the reader refuses it with its own sentence
            continue


@dataclass(frozen=True)
class Destination:
    """A file ``compare`` will write, and the option that asked for it (in the user's words)."""

    path: Path
    option: str


def _destinations(args: argparse.Namespace) -> list[Destination]:
    """Every file ``compare`` will write: JSON results, reports and the JSON beside each report."""
    targets = []
    if args.json is not None and args.json != "-":
        targets.append(Destination(Path(args.json), "--json"))
    for option, report in (("--report", args.report), ("--batch-report", args.batch_report)):
        if report is not None:
            targets.append(Destination(Path(report), option))
            targets.append(Destination(Path(report).with_suffix(".json"), f"the JSON result beside {option}"))
    return targets


def _refuse_empty_names(args: argparse.Namespace) -> None:
    """An empty file name (often an unset shell variable) would silently mean "no output", and a report
    named '-' a file of that name: refuse both."""
    for option, value in (
        ("--json", args.json), ("--report", args.report), ("--batch-report", args.batch_report),
        ("--prompt-file", args.prompt_file),
    ):
        if value is not None and not value.strip():
            other = " or - for standard output" if option == "--json" else ""
            raise UsageError(f"{option} was given an empty file name; give the path of a file{other}.")
    # '-' means standard output to --json; a report would instead land in a file named "-" (and "-.json").
    for option, value in (("--report", args.report), ("--batch-report", args.batch_report)):
        if value == "-":
            raise UsageError(
                f"{option} - cannot be written: a PDF report cannot go to standard output; give a file name."
            )


def _refuse_clashes(args: argparse.Namespace, targets: list[Destination], *, batch: bool) -> bool:
    """Two outputs of one run in one file would leave only the one renamed last: refuse before any work.

    The one allowed case is --json naming the JSON a report writes beside
    itself, when both would hold the same (the batch shape beside
    --batch-report, the single shape beside --report): then the report
    writes it, and True is returned.
    """
    for option, report in (("--report", args.report), ("--batch-report", args.batch_report)):
        if report is not None and Path(report).suffix.lower() == ".json":
            raise UsageError(
                f"{option} {report} would put the report and its JSON result into the same file; "
                "give the report a name ending in .pdf."
            )
    same_shape = {"the JSON result beside --batch-report": batch, "the JSON result beside --report": not batch}
    json_by_report = False
    seen: dict[str, Destination] = {}
    for target in targets:
        key = os.path.normcase(str(_resolved(target.path)))
        if key in seen:
            first = seen[key]
            if first.option == "--json" and same_shape.get(target.option, False):
                json_by_report = True
                continue
            raise UsageError(
                f"{first.option} and {target.option} would both write {target.path}, each with other content; "
                "give them different names."
            )
        seen[key] = target
    return json_by_report


def _check_destinations(targets: list[Destination], inputs: list[str]) -> None:
    """Refuse, before any work, an output that would overwrite an input, is no regular file or cannot be created."""
    from memdiff.atomic import check_can_write, destination

    input_paths = [_resolved(p) for p in inputs if p != "-"]
    for target in targets:
        resolved = _resolved(target.path)
        for source in input_paths:
            if resolved == source or _same_file(target.path, source):
                raise UsageError(
                    f"{target.path} is one of the inputs; memdiff never writes over an input, so choose another "
                    f"name for {target.option}."
                )
        try:
            destination(target.path)
        except OutputError as err:
            other = " (or --json - for standard output)" if target.option == "--json" else ""
            raise UsageError(f"{str(err).removesuffix('.')}{other}.") from None
        check_can_write(target.path)


def _same_file(a: Path, b: Path) -> bool:
    """Whether two paths name one file (a hard link, another spelling); False when either cannot be looked up."""
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):
        return False


#: Files an operating system or office program leaves in folders: never a model output.
SYSTEM_FILES = frozenset({"thumbs.db", "ehthumbs.db", "desktop.ini", ".ds_store", "icon\r"})


#: The bytes that open memdiff's record in every report it writes (memdiff.report.pdfa's XMP packet, which
#: PDF/A keeps uncompressed): found in a PDF, they mark an earlier report, not a model output. Written out
#: here so that looking at a folder of texts never loads the PDF libraries; a test holds the two equal.
REPORT_RECORD_MARK = b'xmlns:memdiff="urn:memdiff:ns:report:1.0/">\n<memdiff:record>{'

#: The schema names of the JSON files memdiff writes (results, batch results, case files) begin so.
RESULT_SCHEMA_PREFIX = "memdiff/"
#: The start of a JSON file memdiff wrote: its first key is the schema, so the first bytes tell, whatever
#: the file's size (a JSON file of any other kind is never read further).
_MEMDIFF_JSON_HEAD = re.compile(rb'(?:\xef\xbb\xbf)?\s*\{\s*"schema"\s*:\s*"' + RESULT_SCHEMA_PREFIX.encode())


def written_by_memdiff(path: str | os.PathLike[str]) -> bool:
    """Whether a file is one memdiff wrote (a report carrying its record, a result or case JSON), not a model output.

    Cheap: the first bytes say whether to look further; only a PDF is
    searched for the record's mark (a chunk at a time), and only a file that
    opens as a JSON object with a memdiff schema first is parsed. A file that cannot be read is not
    memdiff's (the reader then says what is wrong with it).
    """
    from memdiff.ingest import MAX_TEXT_FILE_BYTES

    try:
        with open(path, "rb") as handle:
            head = handle.read(1024)
            if head.startswith(b"%PDF-"):
                return _holds(handle, head, REPORT_RECORD_MARK)
            # memdiff writes every JSON file (result, batch result, case) with its schema first: any
            # other file is never read further, and one that starts so is read whole only within the
            # limit ingest sets for text (a larger one would be refused as an output anyway).
            if _MEMDIFF_JSON_HEAD.match(head) is None or os.fstat(handle.fileno()).st_size > MAX_TEXT_FILE_BYTES:
                return False
            return _memdiff_json(head + handle.read())
    except (OSError, ValueError):
        return False
    return False


def _holds(handle: Any, start: bytes, mark: bytes) -> bool:
    """Whether the rest of an open file, after ``start`` already read, holds ``mark``: a MiB at a time."""
    tail = start
    while True:
        if mark in tail:
            return True
        chunk = handle.read(1 << 20)
        if not chunk:
            return False
        tail = tail[-(len(mark) - 1) :] + chunk


def _memdiff_json(data: bytes) -> bool:
    import json

    try:
        value = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return False
    schema = value.get("schema") if isinstance(value, dict) else None
    return isinstance(schema, str) and schema.startswith(RESULT_SCHEMA_PREFIX)


def _file_identity(path: str | Path) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    return info.st_dev, info.st_ino


def _suspect_paths(
    arguments: Sequence[str], *, original: str, prompt: str | None, outputs: Sequence[Path]
) -> dict[str, str | None]:
    """Expand folders into the model outputs they hold, sorted by name.

    Left out, and said so on standard error: hidden and system files, what is
    not a file (sub-folders are not searched), the original, the prompt file,
    this run's own outputs (so a report written into the case folder is not
    compared next time) and any other report, result or case file memdiff
    wrote (an earlier exhibit quotes the original, so it would "reproduce" it). Returns each output's path and the folder
    argument it came from (None for one named itself).
    """
    the_original = _file_identity(original) if original != "-" else None
    the_prompt = _file_identity(prompt) if prompt else None
    own_outputs = {os.path.normcase(str(_resolved(p))) for p in outputs}
    own_identities = {_file_identity(p) for p in outputs} - {None}

    def left_out_because(entry: Path) -> str | None:
        if entry.name.startswith((".", "~$")) or entry.name.lower() in SYSTEM_FILES:
            return "hidden or system files"
        if not entry.is_file():
            return "not files; folders inside are not searched"
        identity = _file_identity(entry)
        if identity is not None and identity == the_original:
            return "the original"
        if identity is not None and identity == the_prompt:
            return "the prompt file"
        if os.path.normcase(str(_resolved(entry))) in own_outputs or identity in own_identities:
            return "this run's own outputs"
        if written_by_memdiff(entry):
            return "reports and results memdiff wrote, not model outputs"
        return None

    from memdiff.errors import InputError
    from memdiff.ingest import displayable_name as shown

    paths: list[str] = []
    folders: dict[str, str | None] = {}
    for argument in arguments:
        folder = Path(argument)
        if argument == "-" or not folder.is_dir():
            paths.append(argument)
            folders.setdefault(argument, None)
            continue
        kept: list[str] = []
        left_out: dict[str, list[str]] = {}
        for entry in _folder_entries(argument):
            try:
                reason = left_out_because(entry)
            except OSError as err:
                raise InputError(
                    f"The files in the folder {shown(argument)} cannot be opened ({err.strerror or err}: the folder "
                    "can be listed but not searched); check the folder's permissions."
                ) from None
            if reason is None:
                kept.append(str(entry))
            else:
                left_out.setdefault(reason, []).append(entry.name)
        if left_out:
            listed = "; ".join(f"{', '.join(names)} ({reason})" for reason, names in left_out.items())
            _say(f"memdiff: left out of {argument}: {listed}.")
        if not kept:
            besides = " besides those left out" if left_out else ""
            raise UsageError(
                f"The folder {argument} holds no model outputs to compare{besides}; put the outputs in it or name them."
            )
        paths.extend(kept)
        for path in kept:
            folders.setdefault(path, argument)
    if len(paths) != len(folders):  # ('-' twice was refused before)
        repeated = sorted({p for p in paths if paths.count(p) > 1})
        raise UsageError(f"{repeated[0]} is given twice as an output; give each output once.")
    return folders


def _folder_entries(folder: str) -> list[Path]:
    """What a folder holds, sorted by name; a folder that cannot be read is one sentence, not a crash."""
    from memdiff.errors import InputError
    from memdiff.ingest import displayable_name

    try:
        return sorted(Path(folder).iterdir(), key=lambda e: e.name)
    except OSError as err:
        raise InputError(
            f"The folder {displayable_name(folder)} cannot be read ({err.strerror or err}); check its permissions."
        ) from None


def _is_batch(args: argparse.Namespace, suspects: list[str]) -> bool:
    """The JSON takes the batch shape when the command asks for many outputs, however many a folder held."""
    return (
        len(suspects) > 1
        or args.batch_report is not None
        or any(argument != "-" and Path(argument).is_dir() for argument in args.suspects)
    )


def cmd_compare(args: argparse.Namespace) -> int:
    parameters = parameters_from(args)
    try:
        parameters.validate()
    except ValueError as err:
        raise UsageError(f"{err}.") from None
    if parameters.language != "auto":
        from memdiff.text.chance import available_languages

        languages = available_languages()
        if parameters.language not in languages:
            raise UsageError(
                f"--language {parameters.language} has no word-frequency table; use auto or one of: "
                f"{', '.join(languages)}."
            )
    # Everything that can be checked without comparing is checked first, so a
    # mistake is reported at once rather than after minutes of work.
    _refuse_empty_names(args)
    if args.confidentiality and (args.report or args.batch_report):
        # A legend too long to print on every page is refused now, not after the comparison.
        from memdiff.report.pdf import check_confidentiality

        check_confidentiality(args.confidentiality, args.page_size)
    targets = _destinations(args)
    if [args.original, *args.suspects].count("-") > 1:
        raise UsageError("Standard input ('-') can be given only once, as the ORIGINAL or as one SUSPECT.")
    _check_inputs_reachable([args.original, *args.suspects, *([args.prompt_file] if args.prompt_file else [])])
    folders = _suspect_paths(
        args.suspects, original=args.original, prompt=args.prompt_file, outputs=[t.path for t in targets]
    )
    suspects = list(folders)
    batch = _is_batch(args, suspects)
    json_by_report = _refuse_clashes(args, targets, batch=batch)
    if len(suspects) > 1 and args.report:
        raise UsageError("--report takes one output; use --batch-report for several.")
    inputs = [args.original, *suspects, *([args.prompt_file] if args.prompt_file else [])]
    _check_destinations(targets, inputs)
    prompt = _read_prompt(args.prompt_file)
    original = _load(args.original, args.password)
    outputs = _load_outputs(original, folders, args)

    progress = TerminalProgress()
    items: list[tuple[Document, Comparison]] = []
    try:
        index = None
        for suspect in outputs:
            comparison, index = _compare_one(original, suspect, parameters, args.mode, progress, index)
            items.append((suspect, comparison))
    finally:
        progress.done()

    _write_outputs(args, original, items, prompt, batch=batch, json_by_report=json_by_report)
    if args.json == "-":
        _print_out(_json_text(items, batch=batch), instead="give --json a file name")
    elif not (args.json or args.report or args.batch_report):
        _print_out(
            "\n\n".join(summary_text(comparison, suspect) for suspect, comparison in items) + "\n",
            instead="give --json or --report a file name",
        )
    return ExitCode.OK


@dataclass(frozen=True)
class Prompt:
    """The prompt that produced the output: its text and, read from a file, that file's name and SHA-256.

    The prompt file is an input like the others: the report names it and
    gives its digest, so that the other side can check they hold the same
    file. An empty file is a fact (generation without a prompt), kept as
    such with its name and digest.
    """

    text: str = ""
    file: str = ""
    sha256: str = ""


def _read_prompt(path: str | None) -> Prompt:
    """The prompt, read before any comparison so that a missing prompt file costs no work."""
    if path is None:
        return Prompt()
    import hashlib

    from memdiff.ingest import displayable_name, read_input_bytes
    from memdiff.ingest.text import decode

    data = read_input_bytes(path)
    text, _ = decode(data, path)
    return Prompt(text=text, file=displayable_name(Path(path).name), sha256=hashlib.sha256(data).hexdigest())


def _load_outputs(original: Document, folders: dict[str, str | None], args: argparse.Namespace) -> list[Document]:
    """Read every output, and check it can be compared with the original, before comparing any.

    The documents are kept for the report anyway, so reading them first costs
    no memory. A file found in a folder that cannot be compared is named with
    its folder, since the user may not know it is there.
    """
    from memdiff.analyse import resolve_mode
    from memdiff.errors import InputError

    documents = []
    for path, folder in folders.items():
        try:
            document = _load(path, args.suspect_password)
            resolve_mode(original, document, args.mode)
        except InputError as err:
            if folder is None:
                raise
            raise type(err)(
                f"{str(err).removesuffix('.')} ({Path(path).name} is in the folder {folder}; move it out of the "
                "folder to compare the rest)."
            ) from None
        documents.append(document)
    return _distinct_names(documents, list(folders))


def _distinct_names(documents: list[Document], paths: list[str]) -> list[Document]:
    """Outputs sharing a file name (dirA/a.txt, dirB/a.txt) are named by their paths as typed, so that the
    result and the report tell them apart by more than their digests; the others keep their bare file
    names, so that an exhibit shows no folder names it does not need."""
    from collections import Counter
    from dataclasses import replace

    counts = Counter(document.name for document in documents)
    return [
        replace(document, name=path) if counts[document.name] > 1 and path != "-" else document
        for document, path in zip(documents, paths, strict=True)
    ]


def _compare_one(original, suspect, parameters, mode, progress, index):
    """Compare one output; in text mode the original's index is built once and reused."""
    from memdiff.analyse import compare, resolve_mode

    if resolve_mode(original, suspect, mode) == "text":
        from memdiff.text import TextIndex, compare_texts

        if index is None:
            index = TextIndex.build(original, parameters)
        return compare_texts(original, suspect, parameters, progress=progress, index=index), index
    return compare(original, suspect, parameters, mode=mode, progress=progress), index


def _json_text(items: list[tuple[Document, Comparison]], *, batch: bool) -> str:
    return batch_json([c for _, c in items]) if batch else items[0][1].to_json()


def _write_outputs(
    args: argparse.Namespace,
    original: Document,
    items: list[tuple[Document, Comparison]],
    prompt: Prompt,
    *,
    batch: bool,
    json_by_report: bool,
) -> None:
    """Write every output file of the run together: all of them, or (after an error or an interrupt) none."""
    from memdiff.atomic import write_text, written_together

    if not (args.report or args.batch_report or (args.json and args.json != "-")):
        return
    together = None
    written: list[str] = []
    try:
        with written_together() as together:
            if args.json and args.json != "-" and not json_by_report:
                write_text(args.json, _json_text(items, batch=batch))
            written = _write_reports(args, original, items, prompt)
    except KeyboardInterrupt:
        if together is None or not together.committed:
            raise
        # The interrupt arrived while the files were renamed into place: all of them are, so the run is complete.
    for message in written:
        _say(message)


def _front_and_provenance(args: argparse.Namespace, prompt: Prompt):
    from memdiff.report import FrontMatter, Provenance

    front = FrontMatter(
        court=args.court,
        case_title=args.case_title,
        case_number=args.case_number,
        exhibit=args.exhibit,
        title=args.title,
        examiner=args.examiner,
        confidentiality=args.confidentiality,
        bates_prefix=args.bates_prefix,
        bates_start=args.bates_start,
        page_size=args.page_size,
    )
    provenance = Provenance(
        model=args.model,
        prompt=prompt.text,
        prompt_file=prompt.file,
        prompt_sha256=prompt.sha256,
        generated_on=args.generated_on,
        attempts=args.attempts,
        sampling=args.sampling,
    )
    return front, provenance


#: Options whose value is a secret: never printed into a report's appendix or the log.
SECRET_OPTIONS = ("--password", "--suspect-password")
WITHHELD = "[withheld]"


def without_passwords(argv: Sequence[str]) -> list[str]:
    """The command line with the values of --password and --suspect-password replaced by ``[withheld]``.

    Both ``--password X`` and ``--password=X`` are covered, and so are the
    abbreviations argparse accepts (``--pass X``, ``--suspect-p=X``).
    """
    shown: list[str] = []
    hide_next = False
    for n, token in enumerate(argv):
        if hide_next:
            shown.append(WITHHELD)
            hide_next = False
            continue
        if token == "--":  # the rest are file names
            shown += argv[n:]
            break
        name, equals, _ = token.partition("=")
        if len(name) > 2 and name.startswith("--") and any(option.startswith(name) for option in SECRET_OPTIONS):
            if equals:
                shown.append(f"{name}={WITHHELD}")
            else:
                shown.append(token)
                hide_next = True
        else:
            shown.append(token)
    return shown


def shown_command(argv: Sequence[str]) -> list[str]:
    """The command as a report's appendix and the log show it: passwords withheld, every file name printable.

    Each word goes through the rule memdiff shows every file name by
    (``ingest.displayable_name``): a byte that is not UTF-8 as ``\\xe9``, and a
    line break or a right-to-left override escaped, so the command stays one
    honest line.
    """
    from memdiff.ingest import displayable_name

    return ["memdiff", *map(displayable_name, without_passwords(argv))]


def _write_reports(
    args: argparse.Namespace, original: Document, items: list[tuple[Document, Comparison]], prompt: Prompt
) -> list[str]:
    """Write the reports (inside the caller's written_together block); return what to say once they are in place."""
    if not (args.report or args.batch_report):
        return []  # nothing to import: reportlab and pikepdf cost a comparison without a report 0.1 s
    from memdiff.ingest import displayable_name
    from memdiff.report import write_batch_report, write_report

    front, provenance = _front_and_provenance(args, prompt)
    command = shown_command(args.argv)
    messages = []
    if args.report:
        suspect, comparison = items[0]
        path = write_report(comparison, original, suspect, args.report, front=front, provenance=provenance, command=command)
        messages.append(f"Report written: {displayable_name(str(path))}")
    if args.batch_report:
        path = write_batch_report(original, items, args.batch_report, front=front, provenance=provenance, command=command)
        messages.append(f"Batch report written: {displayable_name(str(path))}")
    return messages


#: What to do when standard output cannot take what memdiff prints.
TO_A_FILE = "redirect standard output to a file that can be written"


def _say(message: str) -> None:
    """One line on standard error, if there is one to write to."""
    stream = sys.stderr
    if stream is None:
        return
    try:
        stream.write(message + "\n")
        stream.flush()
    except (OSError, ValueError):
        pass  # nowhere left to say it


def _print_out(text: str, *, instead: str, binary: bool = False) -> None:
    """Write to standard output; a closed or full one is the user's setup (one sentence, exit 2), not a bug.

    ``instead`` says what the user can do. A closed pipe (``| head``) still
    raises BrokenPipeError, which ends the run quietly as usual.
    """
    stream = sys.stdout
    if stream is None:
        raise OutputError(f"Standard output is closed, so memdiff has nowhere to print; {instead}.")
    try:
        buffer = getattr(stream, "buffer", None) if binary else None
        if buffer is not None:
            stream.flush()
            buffer.write(text.encode("utf-8"))
            buffer.flush()
        else:
            stream.write(text)
            stream.flush()
    except BrokenPipeError:
        raise
    except (OSError, ValueError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        raise OutputError(f"Cannot write to standard output ({reason}); {instead}.") from None


def cmd_extract(args: argparse.Namespace) -> int:
    _check_inputs_reachable([args.file])
    document = _load(args.file, args.password)
    if document.kind != "text":
        raise UsageError(f"{document.name} is an image; it has no text to extract.")
    _print_out(document.text, instead=TO_A_FILE, binary=True)
    return ExitCode.OK


def cmd_verify(args: argparse.Namespace) -> int:
    from memdiff.report import verify_outputs

    if [args.original, *args.suspects].count("-") > 1:
        raise UsageError("Standard input ('-') can be given only once, as the ORIGINAL or as one SUSPECT.")
    # A folder holds a batch report's outputs, found as compare finds them (the report itself left out).
    paths = list(_suspect_paths(args.suspects, original=args.original, prompt=None, outputs=()))
    # Standard input is read here, as compare reads it; files are read by verify after the report is checked.
    original = _load("-") if args.original == "-" else args.original
    suspects = [_load("-") if path == "-" else path for path in paths]
    result = verify_outputs(
        args.report, original, suspects, password=args.password, suspect_password=args.suspect_password
    )
    _print_out("".join(line + "\n" for line in result.lines), instead=TO_A_FILE)
    return ExitCode.OK if result.ok else ExitCode.NOT_VERIFIED


def sample_case() -> tuple[Path, Path]:
    from memdiff.resources import path

    return path("samples", "original.txt"), path("samples", "model-output.txt")


DEMO_TITLE = "memdiff demonstration case"
DEMO_EXHIBIT = "Demo"


def cmd_demo(args: argparse.Namespace) -> int:
    from memdiff.gui.preflight import display_problem
    from memdiff.ingest import displayable_name

    original_path, suspect_path = sample_case()
    if not args.no_gui and display_problem() is None:
        return _run_gui(str(original_path), str(suspect_path))
    from memdiff import ingest
    from memdiff.analyse import compare
    from memdiff.atomic import check_can_write
    from memdiff.report import FrontMatter, write_report

    report = Path("memdiff-demo-report.pdf").resolve()
    # As compare does: a folder that cannot take the report is said before the summary, not after it.
    for target in (report, report.with_suffix(".json")):
        try:
            check_can_write(target)
        except OutputError as err:
            raise OutputError(
                f"{str(err).removesuffix('.')}; the demonstration writes its report into the current folder, so "
                "run it from a folder you can write to."
            ) from None
    original = ingest.load(original_path)
    suspect = ingest.load(suspect_path)
    comparison = compare(original, suspect)
    _print_out(summary_text(comparison, suspect) + "\n", instead=TO_A_FILE)
    write_report(
        comparison,
        original,
        suspect,
        report,
        front=FrontMatter(title=DEMO_TITLE, exhibit=DEMO_EXHIBIT),
        # The command that makes this same report (the caption included).
        command=[
            "memdiff",
            "compare",
            str(original_path),
            str(suspect_path),
            "--report",
            str(report),
            "--title",
            DEMO_TITLE,
            "--exhibit",
            DEMO_EXHIBIT,
        ],
    )
    shown = displayable_name(str(report))
    _print_out(f"\nReport written: {shown}\nResult file:    {displayable_name(str(report.with_suffix('.json')))}\n",
               instead="the report was written all the same")
    return ExitCode.OK


def _run_gui(original: str | None = None, suspect: str | None = None, case: str | None = None) -> int:
    from memdiff.gui.preflight import display_problem

    problem = display_problem()
    if problem:
        raise UsageError(problem)
    from memdiff.gui.app import run

    return run(original, suspect, case=case)


def cmd_gui(args: argparse.Namespace) -> int:
    return _run_gui(args.original, args.suspect, args.case)


# --------------------------------------------------------------------------- the human summary


def _count(n: int, noun: str) -> str:
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _pages_where(comparison: Comparison, pages: tuple[int, ...]) -> str:
    """Where a span lies in the original: the numbers printed on its pages first, the PDF's own in brackets."""
    counted = page_range(str(pages[0]), str(pages[-1]), "-")
    printed = comparison.original.printed_pages(pages, "-")
    if printed is None:
        # No label for some page: the PDF's count alone, said to be that where other pages are labelled,
        # so that "p.1-2" never stands for both printed pages 1-2 and PDF pages 1-2.
        return f"PDF p.{counted}" if comparison.original.page_labels else f"p.{counted}"
    return f"p.{printed} ({counted})"


def _excerpt(text: str, width: int = 44) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


# The report's and the window's word for each kind of span (the JSON keeps "exact").
_KIND_SAID = {"exact": "verbatim", "near": "near"}


def summary_text(comparison: Comparison, suspect: Document | None = None) -> str:
    """A plain-words summary of one comparison for the terminal (with excerpts when the output's text is given)."""
    o, s = comparison.original, comparison.suspect
    lines = [f"memdiff {comparison.tool_version}: {comparison.mode} comparison"]

    def describe(record) -> str:
        parts = [record.media_type]
        if record.pages:
            parts.append(_count(record.pages, "page"))
        if record.words is not None:
            parts.append(f"{record.words:,} words")
        if record.width:
            parts.append(f"{record.width}x{record.height} px")
        return f"{record.name} ({', '.join(parts)}), SHA-256 {record.sha256[:16]}..."

    lines.append(f"  Original: {describe(o)}")
    lines.append(f"  Output:   {describe(s)}")
    # What reading a file left out (a scanned page, a second frame) changes what the figures mean: say it here too.
    for which, record in (("original", o), ("output", s)):
        for note in record.notes:
            lines.append(f"  Note on the {which}: {note}")
    summary = comparison.summary
    if isinstance(summary, TextSummary):
        if summary.span_count == 0:
            lines.append(
                f"No reproduced span of {comparison.parameters.min_words} or more words was found."
            )
            return "\n".join(lines)
        lines.append(
            f"{percent_text(summary.suspect_coverage)} of the output's words ({summary.suspect_words_in_spans:,}) "
            f"lie in reproduced spans; {percent_text(summary.exact_suspect_coverage)} "
            f"({summary.suspect_words_in_exact_spans:,}) in verbatim spans."
        )
        lines.append(
            f"They cover {percent_text(summary.original_coverage)} of the original's words "
            f"({summary.original_words_in_spans:,})."
        )
        lines.append(
            f"{_count(summary.span_count, 'span')} ({summary.exact_span_count} verbatim, "
            f"{summary.near_span_count} near-verbatim); "
            f"{summary.common_phrase_spans} flagged as common phrases."
        )
        lines.append(longest_spans_sentence(comparison))
        lines.append("")
        lines.append(
            f"  {'#':>3}  {'kind':<8}  {'words':>5}  {'similarity':>10}  {'bits':>7}  {'common':<6}  "
            f"{'original':>13}  {'output':>13}" + ("  beginning of the output's text" if suspect else "")
        )
        for span in comparison.spans:
            where = f"{span.original.start}-{span.original.end}"
            if span.original.pages:
                where = _pages_where(comparison, span.original.pages)
            excerpt = f"  {_excerpt(suspect.text[span.suspect.start : span.suspect.end])}" if suspect else ""
            lines.append(
                f"  {span.id:>3}  {_KIND_SAID[span.kind]:<8}  {span.words:>5}  {span.similarity:>10.3f}  {span.chance.bits:>7.1f}  "
                f"{'yes' if span.chance.common_phrase else 'no':<6}  {where:>13}  "
                f"{f'{span.suspect.start}-{span.suspect.end}':>13}{excerpt}"
            )
    elif isinstance(summary, ImageSummary):
        lines.append(f"Verdict: {summary.verdict}.")
        method = summary.thresholds.get("comparison_method")
        if method:
            lines.append(f"Method: {method}.")
        if summary.thresholds.get("direct_layout_correlation") is not None:
            t = summary.thresholds
            lines.append(
                f"  pixels identical: {'yes' if t.get('direct_pixel_identical') else 'no'}; layout correlation "
                f"{t.get('direct_layout_correlation')}; colour residual {t.get('direct_colour_residual')} grey levels; "
                f"output {t.get('direct_orientation')}."
            )
        if summary.transform:
            t = summary.transform
            lines.append(
                f"Output mapped onto the original: scale {t.get('scale')}, rotation {t.get('rotation')} degrees, "
                f"offset ({t.get('dx')}, {t.get('dy')}) px, {'mirrored' if t.get('mirrored') else 'not mirrored'}."
            )
        lines.append(
            f"Matched: {percent_text(summary.matched_fraction_of_suspect)} of the output image, "
            f"{percent_text(summary.matched_fraction_of_original)} of the original."
        )
        for name, h in summary.hashes.items():
            lines.append(f"  {name:<9} distance {h.get('distance')} of {h.get('bits')} bits")
        for n, region in enumerate(comparison.regions, start=1):
            lines.append(
                f"  region {n}: original {list(region.original)} <- output {list(region.suspect)}, "
                f"score {region.score:.3f}"
            )
    return "\n".join(lines)


# --------------------------------------------------------------------------- entry point


_COMMANDS = {
    "compare": cmd_compare,
    "extract": cmd_extract,
    "verify": cmd_verify,
    "demo": cmd_demo,
    "gui": cmd_gui,
}


def log_path() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("memdiff", appauthor=False)) / "memdiff.log"


def _log_internal_error(argv: Sequence[str]) -> Path | None:
    """Append the traceback to the log: readable by its owner only, passwords withheld, any file name written."""
    try:
        path = log_path()
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | getattr(os, "O_CLOEXEC", 0), 0o600)
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o600)  # a log made by an earlier version may be readable by all
        # File names that are not valid UTF-8 (surrogate escapes) are written as escapes, not refused.
        with open(fd, "a", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(f"--- memdiff {__version__}: {shlex.join(shown_command(argv))}\n")
            handle.write(traceback.format_exc())
        return path
    except Exception:  # the log is a courtesy: failing to write it must not hide the error itself
        return None


# Commands that only read and write files: their process may end without
# freeing its objects (see run()).
_QUICK_EXIT = frozenset({"compare", "extract", "verify"})


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The ``memdiff`` program: :func:`main`, then the process's exit.

    After a command that only reads and writes files, the process ends
    without freeing its objects, as mypy's does: tearing down the millions of
    words of a long comparison takes a tenth of a second (0.1 s of 0.75 s for
    a 4 MB original), and by then every file memdiff wrote is closed, synced
    and renamed into place. The desktop application exits normally, so that
    Qt saves its settings.
    """
    arguments = list(sys.argv[1:] if argv is None else argv)
    code = main(arguments)
    if arguments and arguments[0] in _QUICK_EXIT:
        for stream in (sys.stdout, sys.stderr):
            if stream is None:  # started with the stream closed (">&-")
                continue
            try:
                stream.flush()
            except (OSError, ValueError):  # a closed pipe or stream: nothing more can be said
                pass
        os._exit(code)
    sys.exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    # memdiff does no linear algebra worth a thread pool, yet OpenBLAS starts
    # one per core when numpy is imported, and its threads spin for about
    # 50 ms of CPU time. One thread, unless the user asks for more.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    # Reading a long text makes millions of objects, and each of the cyclic
    # collector's full passes walks them all: at Python's default of a pass
    # every 700 allocations they cost a tenth of a 4 MB comparison. Collecting
    # less often keeps memory just as bounded for what memdiff allocates.
    gc.set_threshold(10_000)
    arguments = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    args = parser.parse_args(arguments)
    if args.command is None:
        args = parser.parse_args(["gui", *arguments])
    args.argv = arguments  # as typed, for the report's appendix (passwords withheld there)
    try:
        with _sigterm_as_interrupt(args.command in _QUICK_EXIT):
            return int(_COMMANDS[args.command](args))
    except Cancelled:
        _say("memdiff: cancelled.")
        return ExitCode.BAD_INPUT
    except MemdiffError as err:
        _say(f"memdiff: {err}")
        return ExitCode.BAD_INPUT
    except KeyboardInterrupt as err:
        # True for compare: its files are written together at the end, or not at all (memdiff.atomic).
        _say("memdiff: interrupted; nothing was written.")
        return 128 + int(getattr(err, "signal_number", signal.SIGINT))
    except BrokenPipeError:
        return ExitCode.OK
    except OSError as err:
        # A path the system cannot look up at all (a name too long, a loop of links) is the user's to fix,
        # whichever command met it first.
        sentence = unreachable_sentence(err.filename, err) if err.filename is not None else None
        if sentence is None or err.errno == errno.EACCES:
            return _internal_error(arguments)
        _say(f"memdiff: {sentence}")
        return ExitCode.BAD_INPUT
    except Exception:
        return _internal_error(arguments)


def _internal_error(arguments: Sequence[str]) -> int:
    """Say that memdiff failed (not the user's files), and where the details are, if they could be kept."""
    where = _log_internal_error(arguments)
    if where:
        advice = f"the details are in {where}. Please report it with that file."
    else:
        advice = "the details could not be written to a log file. Please report it with the command you ran."
    _say(f"memdiff: internal error (a bug in memdiff, not a problem with your files); {advice}")
    return ExitCode.INTERNAL_ERROR


@contextlib.contextmanager
def _sigterm_as_interrupt(enabled: bool) -> Iterator[None]:
    """While a command that writes files runs, SIGTERM ends it as Ctrl+C does: through the clean-up, not past it."""
    if not enabled or not hasattr(signal, "SIGTERM") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def terminate(signum: int, frame: Any) -> None:
        raise Terminated()

    previous = signal.signal(signal.SIGTERM, terminate)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


if __name__ == "__main__":
    sys.exit(main())

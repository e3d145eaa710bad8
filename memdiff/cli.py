"""The command line: ``memdiff compare``, ``extract``, ``verify``, ``demo`` and ``gui``.

Never imports Qt: ``memdiff gui`` hands over to memdiff.gui only after
checking, without Qt, that a display can be opened. Exit status: 0 done,
1 internal error (a bug; the details go to the log file), 2 bad usage or bad
input (one sentence on standard error), 3 a report that did not verify.
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
import traceback
from collections.abc import Sequence
from enum import IntEnum
from pathlib import Path
from typing import Any, NoReturn

from memdiff import __version__
from memdiff.errors import Cancelled, MemdiffError
from memdiff.evidence import Comparison, Document, ImageSummary, Parameters, TextSummary, batch_json
from memdiff.progress import Progress

class ExitCode(IntEnum):
    OK = 0
    INTERNAL_ERROR = 1
    BAD_INPUT = 2
    NOT_VERIFIED = 3


class UsageError(MemdiffError):
    """The command line itself is wrong (a missing file argument, a bad option value)."""


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


def _fraction(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number between 0 and 1") from None
    if not 0.0 < number <= 1.0:
        raise argparse.ArgumentTypeError(f"{value} is not between 0 (excluded) and 1")
    return number


def _positive_int(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a whole number") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"{value} must be at least 1")
    return number


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
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
        "A folder given as SUSPECT stands for the files in it. Without --json or --report, prints a summary.",
    )
    compare.add_argument("original", metavar="ORIGINAL")
    compare.add_argument("suspects", nargs="+", metavar="SUSPECT")
    compare.add_argument("--mode", choices=("auto", "text", "image"), default="auto", help="auto decides by content (default)")
    compare.add_argument("--json", metavar="FILE", help="write the result as JSON; '-' for standard output")
    compare.add_argument("--report", metavar="FILE.pdf", help="write the court report (and FILE.json beside it)")
    compare.add_argument("--batch-report", metavar="OUT.pdf", help="one report for many outputs against one original")
    compare.add_argument("--password", help="password of an encrypted ORIGINAL PDF")
    compare.add_argument("--suspect-password", help="password of an encrypted SUSPECT PDF")

    defaults = Parameters()
    matching = compare.add_argument_group("matching")
    matching.add_argument("--min-words", type=_positive_int, default=defaults.min_words,
                          help=f"shortest verbatim span reported, in words (default {defaults.min_words})")
    matching.add_argument("--near", action=argparse.BooleanOptionalAction, default=defaults.near,
                          help="report near-verbatim passages (default on)")
    matching.add_argument("--min-similarity", type=_fraction, default=defaults.min_similarity,
                          help=f"near-verbatim threshold, 0-1 (default {defaults.min_similarity})")
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
                          help="join words hyphenated across a line break (default on)")
    matching.add_argument("--ignore-running-heads", action=argparse.BooleanOptionalAction,
                          default=defaults.ignore_running_heads,
                          help="leave out of matching the running heads, feet and page numbers repeated at the "
                               "edges of a PDF's pages (default on)")
    matching.add_argument("--language", default=defaults.language,
                          help="language of the word frequencies for the chance estimate, e.g. en, de, zh (default auto)")

    front = compare.add_argument_group("report front matter")
    for option, meaning in (
        ("--court", "court"), ("--case-title", "case title"), ("--case-number", "case number"),
        ("--exhibit", "exhibit label"), ("--title", "report title"), ("--examiner", "examiner's name"),
        ("--confidentiality", "confidentiality legend printed on every page"),
        ("--bates-prefix", "Bates number prefix"),
    ):
        front.add_argument(option, default="", help=meaning)
    front.add_argument("--bates-start", type=_positive_int, help="first Bates number")
    front.add_argument("--page-size", choices=("letter", "a4"), default="letter", help="report page size (default letter)")

    provenance = compare.add_argument_group("provenance of the model output")
    provenance.add_argument("--model", default="", help="model name and version")
    provenance.add_argument("--prompt-file", help="file holding the prompt that produced the output")
    provenance.add_argument("--generated-on", default="", help="date the output was generated")
    provenance.add_argument("--attempts", type=_positive_int, help="how many generations were made to obtain it")
    provenance.add_argument("--sampling", default="", help="sampling settings (temperature, top-p, seed, ...)")

    extract = commands.add_parser("extract", help="print the extracted text that span offsets index")
    extract.add_argument("file", metavar="FILE")
    extract.add_argument("--password", help="password of an encrypted PDF")

    verify = commands.add_parser("verify", help="re-run and check a report's findings")
    verify.add_argument("report", metavar="REPORT.pdf")
    verify.add_argument("original", metavar="ORIGINAL")
    verify.add_argument("suspect", metavar="SUSPECT")
    verify.add_argument("--password", help="password of an encrypted ORIGINAL PDF")
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


def _destinations(args: argparse.Namespace) -> list[Path]:
    """Every file ``compare`` will write: JSON results, reports and the JSON beside each report."""
    targets = []
    if args.json and args.json != "-":
        targets.append(Path(args.json))
    for report in (args.report, args.batch_report):
        if report:
            targets += [Path(report), Path(report).with_suffix(".json")]
    return targets


def _check_destinations(targets: list[Path], inputs: list[str]) -> None:
    """Refuse, before any work, an output that would overwrite an input or cannot be created."""
    input_paths = [Path(p).resolve() for p in inputs if p != "-"]
    for target in targets:
        resolved = target.resolve()
        for source in input_paths:
            if resolved == source or (target.exists() and source.exists() and os.path.samefile(target, source)):
                raise UsageError(
                    f"{target} is one of the inputs; memdiff never writes over an input, so choose another "
                    "name for the output."
                )
        folder = resolved.parent
        if not folder.is_dir():
            raise UsageError(f"Cannot write {target}: the folder {folder} does not exist.")


def _suspect_paths(arguments: Sequence[str]) -> list[str]:
    """Expand folders into the files they hold (sorted, hidden files skipped)."""
    paths: list[str] = []
    for argument in arguments:
        p = Path(argument)
        if argument != "-" and p.is_dir():
            files = sorted(str(f) for f in p.iterdir() if f.is_file() and not f.name.startswith("."))
            if not files:
                raise UsageError(f"The folder {argument} holds no files to compare.")
            paths.extend(files)
        else:
            paths.append(argument)
    if paths.count("-") > 1:
        raise UsageError("Standard input ('-') can be given only once.")
    return paths


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
    suspects = _suspect_paths(args.suspects)
    if len(suspects) > 1 and args.report:
        raise UsageError("--report takes one output; use --batch-report for several.")
    targets = _destinations(args)
    _check_destinations(targets, [args.original, *suspects])
    progress = TerminalProgress()
    original = _load(args.original, args.password)
    items: list[tuple[Document, Comparison]] = []
    try:
        index = None
        for path in suspects:
            suspect = _load(path, args.suspect_password)
            comparison, index = _compare_one(original, suspect, parameters, args.mode, progress, index)
            items.append((suspect, comparison))
    finally:
        progress.done()

    existed = {target: target.exists() for target in targets}
    try:
        if args.json:
            _write_json(args.json, items, batch=len(items) > 1)
        if args.report or args.batch_report:
            _write_reports(args, original, items)
    except MemdiffError:
        # One output failed: remove the others this run created, so no half
        # of a result stands without the rest.
        for target, was_there in existed.items():
            if not was_there and target.exists():
                target.unlink()
        raise
    if not (args.json or args.report or args.batch_report):
        for n, (suspect, comparison) in enumerate(items):
            if n:
                print()
            print(summary_text(comparison, suspect))
    return ExitCode.OK


def _compare_one(original, suspect, parameters, mode, progress, index):
    """Compare one output; in text mode the original's index is built once and reused."""
    from memdiff.analyse import compare, resolve_mode

    if resolve_mode(original, suspect, mode) == "text":
        from memdiff.text import TextIndex, compare_texts

        if index is None:
            index = TextIndex.build(original, parameters)
        return compare_texts(original, suspect, parameters, progress=progress, index=index), index
    return compare(original, suspect, parameters, mode=mode, progress=progress), index


def _write_json(target: str, items: list[tuple[Document, Comparison]], *, batch: bool) -> None:
    from memdiff.atomic import write_text

    text = batch_json([c for _, c in items]) if batch else items[0][1].to_json()
    if target == "-":
        sys.stdout.write(text)
    else:
        write_text(target, text)


def _front_and_provenance(args: argparse.Namespace):
    from memdiff.report import FrontMatter, Provenance

    prompt = ""
    if args.prompt_file:
        from memdiff.ingest import read_input_bytes
        from memdiff.ingest.text import decode

        prompt, _ = decode(read_input_bytes(args.prompt_file), args.prompt_file)
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
        prompt=prompt,
        generated_on=args.generated_on,
        attempts=args.attempts,
        sampling=args.sampling,
    )
    return front, provenance


def _write_reports(args: argparse.Namespace, original: Document, items: list[tuple[Document, Comparison]]) -> None:
    from memdiff.report import write_batch_report, write_report

    front, provenance = _front_and_provenance(args)
    command = ["memdiff", *sys.argv[1:]] if sys.argv and sys.argv[0] else None
    if args.report:
        suspect, comparison = items[0]
        path = write_report(comparison, original, suspect, args.report, front=front, provenance=provenance, command=command)
        print(f"Report written: {path}", file=sys.stderr)
    if args.batch_report:
        path = write_batch_report(original, items, args.batch_report, front=front, provenance=provenance, command=command)
        print(f"Batch report written: {path}", file=sys.stderr)


def cmd_extract(args: argparse.Namespace) -> int:
    document = _load(args.file, args.password)
    if document.kind != "text":
        raise UsageError(f"{document.name} is an image; it has no text to extract.")
    out = sys.stdout.buffer if hasattr(sys.stdout, "buffer") else None
    if out is not None:
        sys.stdout.flush()
        out.write(document.text.encode("utf-8"))
        out.flush()
    else:
        sys.stdout.write(document.text)
    return ExitCode.OK


def cmd_verify(args: argparse.Namespace) -> int:
    from memdiff.report import verify

    result = verify(args.report, args.original, args.suspect, password=args.password)
    for line in result.lines:
        print(line)
    return ExitCode.OK if result.ok else ExitCode.NOT_VERIFIED


def sample_case() -> tuple[Path, Path]:
    from memdiff.resources import path

    return path("samples", "original.txt"), path("samples", "model-output.txt")


def cmd_demo(args: argparse.Namespace) -> int:
    from memdiff.gui.preflight import display_problem

    original_path, suspect_path = sample_case()
    if not args.no_gui and display_problem() is None:
        return _run_gui(str(original_path), str(suspect_path))
    from memdiff import ingest
    from memdiff.analyse import compare
    from memdiff.report import FrontMatter, write_report

    original = ingest.load(original_path)
    suspect = ingest.load(suspect_path)
    comparison = compare(original, suspect)
    print(summary_text(comparison, suspect))
    report = Path("memdiff-demo-report.pdf").resolve()
    write_report(
        comparison,
        original,
        suspect,
        report,
        front=FrontMatter(title="memdiff demonstration case", exhibit="Demo"),
        command=["memdiff", "compare", str(original_path), str(suspect_path), "--report", str(report)],
    )
    print(f"\nReport written: {report}\nResult file:    {report.with_suffix('.json')}")
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
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _percent(value: float) -> str:
    return f"{value * 100:.1f}%"


def _excerpt(text: str, width: int = 44) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 3].rstrip() + "..."


def summary_text(comparison: Comparison, suspect: Document | None = None) -> str:
    """A plain-words summary of one comparison for the terminal (with excerpts when the output's text is given)."""
    o, s = comparison.original, comparison.suspect
    lines = [f"memdiff {comparison.tool_version}: {comparison.mode} comparison"]

    def describe(record) -> str:
        parts = [record.media_type]
        if record.pages:
            parts.append(f"{record.pages} pages")
        if record.words is not None:
            parts.append(f"{record.words:,} words")
        if record.width:
            parts.append(f"{record.width}x{record.height} px")
        return f"{record.name} ({', '.join(parts)}), SHA-256 {record.sha256[:16]}..."

    lines.append(f"  Original: {describe(o)}")
    lines.append(f"  Output:   {describe(s)}")
    summary = comparison.summary
    if isinstance(summary, TextSummary):
        if summary.span_count == 0:
            lines.append(
                f"No reproduced span of {comparison.parameters.min_words} or more words was found."
            )
            return "\n".join(lines)
        lines.append(
            f"{_percent(summary.suspect_coverage)} of the output's words ({summary.suspect_words_in_spans:,}) "
            f"lie in reproduced spans; {_percent(summary.exact_suspect_coverage)} "
            f"({summary.suspect_words_in_exact_spans:,}) in exact spans."
        )
        lines.append(
            f"They cover {_percent(summary.original_coverage)} of the original's words "
            f"({summary.original_words_in_spans:,})."
        )
        lines.append(
            f"{_count(summary.span_count, 'span')} ({summary.exact_span_count} exact, "
            f"{summary.near_span_count} near-verbatim); "
            f"longest {summary.longest_span_words} words ({summary.longest_span_characters:,} characters); "
            f"{summary.common_phrase_spans} flagged as common phrases."
        )
        lines.append("")
        lines.append(
            f"  {'#':>3}  {'kind':<5}  {'words':>5}  {'similarity':>10}  {'bits':>7}  {'common':<6}  "
            f"{'original':>13}  {'output':>13}" + ("  beginning of the output's text" if suspect else "")
        )
        for span in comparison.spans:
            where = f"{span.original.start}-{span.original.end}"
            if span.original.pages:
                first, last = span.original.pages[0], span.original.pages[-1]
                where = f"p.{first}" if first == last else f"p.{first}-{last}"
            excerpt = f"  {_excerpt(suspect.text[span.suspect.start : span.suspect.end])}" if suspect else ""
            lines.append(
                f"  {span.id:>3}  {span.kind:<5}  {span.words:>5}  {span.similarity:>10.3f}  {span.chance.bits:>7.1f}  "
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
            f"Matched: {_percent(summary.matched_fraction_of_suspect)} of the output image, "
            f"{_percent(summary.matched_fraction_of_original)} of the original."
        )
        for name, h in summary.hashes.items():
            lines.append(f"  {name:<9} distance {h.get('distance')} of {h.get('bits')} bits")
        for n, region in enumerate(comparison.regions, start=1):
            lines.append(
                f"  region {n}: original {list(region.original)} <- output {list(region.suspect)}, "
                f"score {region.score:.2f}"
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


def _log_internal_error() -> Path | None:
    try:
        path = log_path()
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "a", encoding="utf-8") as handle:
            handle.write(f"--- memdiff {__version__}: {' '.join(sys.argv)}\n")
            handle.write(traceback.format_exc())
        return path
    except OSError:
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
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        args = parser.parse_args(["gui", *(argv or [])])
    try:
        return int(_COMMANDS[args.command](args))
    except Cancelled:
        print("memdiff: cancelled.", file=sys.stderr)
        return ExitCode.BAD_INPUT
    except MemdiffError as err:
        print(f"memdiff: {err}", file=sys.stderr)
        return ExitCode.BAD_INPUT
    except KeyboardInterrupt:
        print("memdiff: interrupted; nothing was written.", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return ExitCode.OK
    except Exception:
        where = _log_internal_error()
        place = f"the details are in {where}" if where else "the details could not be logged"
        print(
            f"memdiff: internal error (a bug in memdiff, not a problem with your files); {place}. "
            "Please report it with that file.",
            file=sys.stderr,
        )
        return ExitCode.INTERNAL_ERROR


if __name__ == "__main__":
    sys.exit(main())

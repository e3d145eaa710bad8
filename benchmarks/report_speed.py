"""Report speed: a 200,000-word original and a 10,000-word output with hundreds of spans.

Prints the time to write the report as a ratio to the comparison itself
(target: at most 2x), the PDF's size (target: at most 5 MB) and its page
count. The texts are generated with a fixed seed from wordfreq's English word
list, so every run measures the same work.

The ratio is measured two ways, both printed:

- in one process: ``write_report`` against ``compare`` on documents already
  loaded (the strict reading: the comparison's matching alone);
- as the user waits for it: the whole ``memdiff compare ORIGINAL OUTPUT
  --report R.pdf`` process against the whole ``memdiff compare ORIGINAL
  OUTPUT --json R.json`` process (start-up, reading the files and the
  comparison in both), the report's share being the difference.

Run: python benchmarks/report_speed.py [--quick] [--repeat N]
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

from pypdf import PdfReader
from wordfreq import top_n_list

if __package__ in (None, ""):  # run as a script: make `benchmarks` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.installed import byte_compile_memdiff
from benchmarks.text_speed import timed
from memdiff.analyse import compare
from memdiff.ingest import load_text
from memdiff.report import FrontMatter, Provenance, write_report
from memdiff.text.frequency_index import CACHE_ENV


def prose(rng: random.Random, vocabulary: list[str], words: int) -> str:
    """Sentence-shaped text: capitalised, punctuated, in paragraphs of a few sentences."""
    out: list[str] = []
    count = 0
    sentence_left = 0
    paragraph_left = rng.randint(4, 9)
    while count < words:
        if sentence_left == 0:
            sentence_left = rng.randint(6, 24)
            word = vocabulary[min(int(rng.paretovariate(0.9)), len(vocabulary) - 1)].capitalize()
        else:
            word = vocabulary[min(int(rng.paretovariate(0.9)), len(vocabulary) - 1)]
        sentence_left -= 1
        count += 1
        if sentence_left == 0:
            paragraph_left -= 1
            if paragraph_left == 0:
                paragraph_left = rng.randint(4, 9)
                out.append(word + ".\n\n")
            else:
                out.append(word + ". ")
        else:
            out.append(word + (", " if rng.random() < 0.06 else " "))
    return "".join(out).strip() + "\n"


def make_case(original_words: int, output_words: int, seed: int = 1) -> tuple[str, str]:
    """An original and an output that copies many passages of it (some with small edits)."""
    rng = random.Random(seed)
    vocabulary = top_n_list("en", 20000)
    original = prose(rng, vocabulary, original_words)
    source = original.split(" ")
    parts: list[str] = []
    made = 0
    while made < output_words:
        if rng.random() < 0.5:
            n = rng.randint(10, 60)
            start = rng.randrange(0, len(source) - n)
            passage = source[start : start + n]
            if rng.random() < 0.3:  # a near-verbatim passage: a few words changed
                for _ in range(max(1, n // 15)):
                    passage[rng.randrange(n)] = rng.choice(vocabulary[:2000])
            parts.append(" ".join(passage))
            made += n
        else:
            n = rng.randint(5, 40)
            parts.append(prose(rng, vocabulary, n).strip())
            made += n
    return original, "\n\n".join(parts) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--original-words", type=int, default=200_000)
    parser.add_argument("--output-words", type=int, default=10_000)
    parser.add_argument("--quick", action="store_true", help="a quarter of the sizes (for run_all.py --quick)")
    parser.add_argument("--repeat", type=int, default=None, help="runs of each whole process (median; default 3)")
    args = parser.parse_args(argv)
    if args.quick:
        args.original_words, args.output_words = args.original_words // 4, args.output_words // 4

    original_text, output_text = make_case(args.original_words, args.output_words)
    original = load_text(original_text, "original.txt")
    output = load_text(output_text, "output.txt")

    started, cpu = time.perf_counter(), time.process_time()
    comparison = compare(original, output)
    compare_seconds = time.perf_counter() - started
    compare_cpu = time.process_time() - cpu

    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "report.pdf"
        started, cpu = time.perf_counter(), time.process_time()
        write_report(
            comparison,
            original,
            output,
            target,
            front=FrontMatter(case_number="1:23-cv-00001", exhibit="B-7", bates_prefix="BENCH"),
            provenance=Provenance(model="benchmark"),
            command=["memdiff", "compare", "..."],
        )
        report_seconds = time.perf_counter() - started
        report_cpu = time.process_time() - cpu
        size = target.stat().st_size
        pages = len(PdfReader(target).pages)

    s = comparison.summary
    print(f"original words        {original.words:,}")
    print(f"output words          {output.words:,}")
    print(
        f"spans                 {s.span_count:,} ({s.exact_span_count} verbatim, {s.near_span_count} near)"
    )
    # CPU time beside wall time: on a busy machine the wall-clock ratio drifts.
    print(f"compare               {compare_seconds:.3f} s wall, {compare_cpu:.3f} s CPU")
    print(f"report                {report_seconds:.3f} s wall, {report_cpu:.3f} s CPU")
    print(
        f"report / compare      {report_seconds / compare_seconds:.2f}x wall, "
        f"{report_cpu / compare_cpu:.2f}x CPU   (target <= 2x)"
    )
    print(f"PDF size              {size / 1e6:.2f} MB ({pages} pages)   (target <= 5 MB)")
    print()
    whole_processes(original_text, output_text, args.repeat or (1 if args.quick else 3))
    return 0


def whole_processes(original_text: str, output_text: str, repeat: int) -> None:
    """The report's share of what the user waits for: two whole `memdiff compare` processes, with and without it."""
    print(f"As the user waits for it (whole processes, median of {repeat}):")
    print(f"  {byte_compile_memdiff()}")
    with tempfile.TemporaryDirectory(prefix="memdiff-report-speed-") as scratch:
        folder = Path(scratch)
        original = folder / "original.txt"
        output = folder / "output.txt"
        original.write_text(original_text, encoding="utf-8")
        output.write_text(output_text, encoding="utf-8")
        # A cache folder of the benchmark's own; a first run writes the word-frequency index, untimed.
        saved = os.environ.get(CACHE_ENV)
        os.environ[CACHE_ENV] = str(folder / "cache")
        try:
            base = [sys.executable, "-m", "memdiff", "compare", str(original), str(output)]
            timed([*base, "--json", str(folder / "warm.json")], 1)
            alone = timed([*base, "--json", str(folder / "result.json")], repeat)
            with_report = timed([*base, "--report", str(folder / "report.pdf")], repeat)
        finally:
            if saved is None:
                os.environ.pop(CACHE_ENV, None)
            else:
                os.environ[CACHE_ENV] = saved
    for label, a, r in (("wall", alone.wall, with_report.wall), ("CPU ", alone.cpu, with_report.cpu)):
        print(
            f"  {label} memdiff compare {a:5.2f} s;  with --report {r:5.2f} s;  "
            f"the report adds {r - a:5.2f} s = {(r - a) / a:.2f}x the compare   (target <= 2x)"
        )


if __name__ == "__main__":
    sys.exit(main())

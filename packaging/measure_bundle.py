"""Measures the bundle's size and what each group of files the recipe leaves out would add back.

    python packaging/measure_bundle.py [--work DIR]

Builds the bundle as released, then once more per group with that group kept
(MEMDIFF_BUNDLE_KEEP, read by packaging/pyinstaller/memdiff.spec), and prints
a Markdown table of the dist folder's size (as ``du -sk`` counts it) for
packaging/README.md. Takes about a minute per build.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "pyinstaller" / "memdiff.spec"

#: The groups the spec knows, with what keeping each one means.
GROUPS = {
    "wordfreq-tables": "all of wordfreq's data (63 tables, jieba dictionaries) instead of the 42 languages memdiff detects",
    "scipy": "all of SciPy instead of scipy.fft/fftpack/special",
    "qt-modules": "no exclusion of unused Qt modules (QtNetwork, QtQml, QtQuick, QtDBus, ...)",
    "python-modules": "no exclusion of unused Python modules (tkinter, test tools, wordfreq's code)",
    "qt-plugins": "all Qt plugins the PySide6 hook collects",
    "qt-translations": "all Qt translations instead of Qt Base's",
}


def folder_size_kib(folder: Path) -> int:
    """Disk usage in KiB, counted like ``du -sk`` (allocated blocks, hard links once)."""
    output = subprocess.run(["du", "-sk", str(folder)], check=True, capture_output=True, text=True).stdout
    return int(output.split()[0])


def build(work: Path, keep: str) -> tuple[int, float]:
    """Build into ``work``/``keep`` and return (size in KiB, seconds)."""
    target = work / (keep or "release")
    shutil.rmtree(target, ignore_errors=True)
    env = dict(os.environ, MEMDIFF_BUNDLE_KEEP=keep)
    pyinstaller = Path(sys.executable).with_name("pyinstaller")
    start = time.perf_counter()
    subprocess.run(
        [str(pyinstaller), "--noconfirm", "--clean", "--log-level", "WARN", str(SPEC),
         "--distpath", str(target / "dist"), "--workpath", str(target / "build")],
        check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    size = folder_size_kib(target / "dist" / "memdiff")
    shutil.rmtree(target)
    return size, seconds


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, help="scratch folder (default: a temporary one)")
    parser.add_argument("--only", nargs="*", choices=sorted(GROUPS), help="measure only these groups")
    args = parser.parse_args(argv)
    work = args.work or Path(tempfile.mkdtemp(prefix="memdiff-measure-"))
    work.mkdir(parents=True, exist_ok=True)
    release, seconds = build(work, "")
    print(f"release bundle: {release / 1024:.0f} MiB (built in {seconds:.0f} s)", flush=True)
    print()
    print("| kept instead of left out | bundle | left out saves |")
    print("| --- | ---: | ---: |")
    for group in args.only or GROUPS:
        size, _ = build(work, group)
        print(f"| {group}: {GROUPS[group]} | {size / 1024:.0f} MiB | {(size - release) / 1024:.0f} MiB |", flush=True)
    if not args.work:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

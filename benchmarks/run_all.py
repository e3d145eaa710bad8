"""Run every benchmark in this folder, one process each, and say which ones failed to run.

A benchmark is any ``benchmarks/*.py`` script (other than this one and the
shared modules) that defines ``main(argv)``; new ones (``image_*.py``,
``report_*.py``, ``gui_*.py``, ...) are picked up without changes here. Each
runs as its own process, so one benchmark's imports, memory or crash never
disturb another's timings. Benchmarks print their own figures and assert
nothing; this script's exit status is 1 only if one of them could not run.

Run: ``python benchmarks/run_all.py [--quick] [--only NAME ...]``.
"""

from __future__ import annotations

import argparse
import ast
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path

HERE = Path(__file__).resolve().parent

#: Modules here that are libraries for the benchmarks, not benchmarks.
# validation.py is the study behind `make validate`: it rewrites committed files, so it is not run here.
NOT_BENCHMARKS = {"__init__", "run_all", "corpus", "validation"}


def defines_main(path: Path) -> bool:
    """Whether the script defines a top-level ``main`` function (read, not imported)."""
    try:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    except (SyntaxError, UnicodeDecodeError):
        return True  # let it run and fail loudly rather than vanish from the list
    return any(isinstance(node, ast.FunctionDef) and node.name == "main" for node in tree.body)


def discover(folder: Path = HERE) -> list[Path]:
    """Every benchmark script in ``folder``, sorted by name."""
    return [
        p
        for p in sorted(folder.glob("*.py"))
        if p.stem not in NOT_BENCHMARKS and not p.stem.startswith("_") and defines_main(p)
    ]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="pass --quick to every benchmark")
    parser.add_argument("--only", nargs="*", metavar="NAME", help="run only these (file names without .py)")
    args = parser.parse_args(argv)

    scripts = discover()
    if args.only:
        scripts = [p for p in scripts if p.stem in set(args.only)]
    env = dict(os.environ)
    # The benchmarks import `benchmarks.corpus` and the installed memdiff.
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(HERE.parent), env.get("PYTHONPATH", "")]))
    failed = []
    for script in scripts:
        command = [sys.executable, str(script)] + (["--quick"] if args.quick else [])
        print(f"=== {script.stem} {'(quick)' if args.quick else ''}".rstrip(), flush=True)
        started = time.perf_counter()
        done = subprocess.run(command, env=env, cwd=HERE.parent)
        elapsed = time.perf_counter() - started
        status = "done" if done.returncode == 0 else f"FAILED (exit {done.returncode})"
        print(f"=== {script.stem}: {status} in {elapsed:.1f} s\n", flush=True)
        if done.returncode != 0:
            failed.append(script.stem)
    print(f"{len(scripts) - len(failed)} of {len(scripts)} benchmarks ran" + (f"; failed: {', '.join(failed)}" if failed else "."))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

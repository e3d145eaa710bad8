"""Memory benchmark: peak RSS of `memdiff compare` on a 200 MB text file, against a process that only reads the file.

Issue 7 asks that memory stay bounded on huge inputs. memdiff refuses a text
file above ``memdiff.ingest.MAX_TEXT_FILE_BYTES`` (64 MB) from its first
bytes, before reading the rest, so the 200 MB case should cost no more than
starting memdiff. Printed, each from its own process in the same run:

1. the floor: a bare Python process that starts (``python -c pass``);
2. the baseline: a bare Python process that reads the whole 200 MB file;
3. ``memdiff compare BIG.txt small.txt --json OUT``: expected to refuse the
   file with exit 2, at about the floor plus memdiff's imports;
4. for scale, a large text that is accepted (45 MB, or 6 MB with ``--quick``:
   the 64 MB file limit is not reachable with plain ASCII, because
   ``MAX_TEXT_CHARACTERS`` refuses more than 50 million characters first)
   compared in full: how many bytes of memory memdiff needs per byte of text.

Peak RSS is each child's own ``ru_maxrss`` from ``os.wait4`` (Linux, macOS), read
by a minimal launcher so no figure inherits this script's memory; where
that is missing (Windows) the script prints wall time alone. Nothing is asserted.

Run: ``python benchmarks/memory_big_text.py [--quick] [--keep]``.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TEXTS = ROOT / "tests" / "data" / "texts"
MB = 1024 * 1024


def write_prose(path: Path, size: int) -> None:
    """``size`` bytes of real English prose: the bundled chapters, each copy numbered so no two are alike."""
    chapters = [p.read_text(encoding="utf-8") for p in sorted(TEXTS.glob("en-*.txt"))]
    block = "\n\n".join(chapters)
    written = 0
    n = 0
    with open(path, "w", encoding="utf-8", newline="\n") as handle:
        while written < size:
            piece = f"\n\nCopy {n}.\n\n{block}"
            piece = piece[: size - written] if written + len(piece.encode("utf-8")) > size else piece
            handle.write(piece)
            written += len(piece.encode("utf-8"))
            n += 1


# A minimal launcher measures each command: a child's ru_maxrss also counts the memory it shared with
# its parent before exec, so the parent must be small (a bare interpreter) or every figure inherits it.
_LAUNCHER = r"""
import os, sys
devnull = os.open(os.devnull, os.O_WRONLY)
actions = [(os.POSIX_SPAWN_DUP2, devnull, 1), (os.POSIX_SPAWN_DUP2, devnull, 2)]
started = __import__("time").perf_counter()
pid = os.posix_spawn(sys.argv[1], sys.argv[1:], os.environ, file_actions=actions)
_, status, usage = os.wait4(pid, 0)
elapsed = __import__("time").perf_counter() - started
scale = 1 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, kilobytes on Linux
print(os.waitstatus_to_exitcode(status), elapsed, usage.ru_maxrss * scale)
"""


def peak_rss(command: list[str]) -> tuple[int, float, int | None]:
    """Run ``command``; return its exit status, wall time and peak resident memory in bytes (None if unknown)."""
    if hasattr(os, "wait4") and hasattr(os, "posix_spawn"):
        done = subprocess.run([sys.executable, "-c", _LAUNCHER, *command], capture_output=True, text=True,
                              check=True)
        status, elapsed, rss = done.stdout.split()
        return int(status), float(elapsed), int(rss)
    started = time.perf_counter()
    status = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    return status, time.perf_counter() - started, None


def _mb(value: int | None) -> str:
    return "unknown" if value is None else f"{value / MB:8.1f} MB"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a 6 MB accepted text instead of 45 MB")
    parser.add_argument("--keep", action="store_true", help="keep the generated files and print where they are")
    args = parser.parse_args(argv)

    from memdiff.ingest import MAX_TEXT_FILE_BYTES

    folder = Path(tempfile.mkdtemp(prefix="memdiff-memory-"))
    big = folder / "big.txt"
    near_limit = folder / "near-limit.txt"
    small = folder / "small.txt"
    write_prose(big, 200 * MB)
    write_prose(near_limit, (6 if args.quick else 45) * MB)
    small.write_text((TEXTS / "en-carroll-alice-ch1-3.txt").read_text(encoding="utf-8")[:5000], encoding="utf-8")
    python = sys.executable
    read_all = "import sys\nwith open(sys.argv[1], 'rb') as f:\n    data = f.read()\nprint(len(data))"

    rows = []
    try:
        rows.append(("floor: python -c pass", *peak_rss([python, "-c", "pass"])))
        rows.append(("baseline: read the 200 MB file", *peak_rss([python, "-c", read_all, str(big)])))
        rows.append(("memdiff compare, 200 MB text (refused)",
                     *peak_rss([python, "-m", "memdiff", "compare", str(big), str(small),
                                "--json", str(folder / "big.json")])))
        rows.append((f"memdiff compare, {near_limit.stat().st_size // MB} MB text (read in full)",
                     *peak_rss([python, "-m", "memdiff", "compare", str(near_limit), str(small),
                                "--json", str(folder / "near.json")])))
    finally:
        if not args.keep:
            for path in folder.iterdir():
                path.unlink()
            folder.rmdir()

    print(f"Text-file limit (memdiff.ingest.MAX_TEXT_FILE_BYTES): {MAX_TEXT_FILE_BYTES // MB} MB")
    print(f"{'process':<44} {'exit':>4} {'wall':>7} {'peak RSS':>11} {'vs baseline':>11}")
    baseline = rows[1][3]
    for label, status, elapsed, rss in rows:
        ratio = f"{rss / baseline:10.2f}x" if rss and baseline else "          -"
        print(f"{label:<44} {status:>4} {elapsed:6.2f}s {_mb(rss):>11} {ratio}")
    floor, refused, accepted = rows[0][3], rows[2][3], rows[3][3]
    if refused and floor:
        print(f"The refused 200 MB file costs {(refused - floor) / MB:.1f} MB above a bare interpreter "
              f"({'bounded' if refused < baseline / 2 else 'NOT bounded'}: the baseline holds the whole file).")
    if rows[3][1] != 0:
        print(f"The {rows[3][0].split(', ')[1]} was not compared (exit {rows[3][1]}): no per-byte figure.")
    elif accepted and floor:
        size = (6 if args.quick else 45) * MB
        print(f"An accepted text of {size // MB} MB needs {(accepted - floor) / size:.1f} bytes of memory "
              "per byte of text.")
    if args.keep:
        print(f"Files kept in {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

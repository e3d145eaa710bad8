"""Speed of an image comparison: two 12-megapixel photos, whole process, against decoding them with Pillow.

Run:  python benchmarks/image_speed.py [--runs 5]

Two 12-megapixel JPEGs (quality 90, like a camera's) are made by enlarging a
test photograph: A is the photograph, B a slightly cropped, mirrored and
re-encoded copy of it (so the comparison does real alignment work), and C
an unrelated photograph (the worst case: both orientations are tried). Measured
as wall time of whole processes, median of --runs:

  memdiff   python -m memdiff compare A B --json -     (import, decode, hash, align, tiles, JSON)
  baseline  python -c "decode A and B with Pillow"     (import Pillow, open, load)

and printed as a ratio (issue 3's target: at most 4x). CPU time (user +
system, of the child process) is printed beside it: on a shared machine the
wall-clock ratio moves with the load, the CPU ratio much less. memdiff's
modules are compiled to bytecode first, as installing them does (see
benchmarks/installed.py); without that, PYTHONDONTWRITEBYTECODE would make
every timed process compile the edited modules from source. An in-process
breakdown follows, to show where the time goes.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PIL import Image, ImageOps

from benchmarks.installed import byte_compile_memdiff

try:
    import resource  # CPU time of child processes; Unix only
except ImportError:  # Windows: wall-clock time alone
    resource = None  # type: ignore[assignment]

PHOTO = ROOT / "tests" / "data" / "images" / "rocket.jpg"
SIZE = (4240, 2830)  # 12.0 megapixels, the photograph's 3:2 shape

BASELINE = """
import sys
from PIL import Image
for path in sys.argv[1:]:
    with Image.open(path) as picture:
        picture.load()
"""


def make_unrelated(folder: Path) -> Path:
    """A third 12-megapixel photo of something else: the worst case, where every step runs."""
    with Image.open(PHOTO.parent / "coffee.jpg") as photo:
        path = folder / "c_12mp.jpg"
        photo.convert("RGB").resize(SIZE, Image.Resampling.BICUBIC).save(path, quality=90)
    return path


def make_pictures(folder: Path) -> tuple[Path, Path]:
    with Image.open(PHOTO) as photo:
        source = photo.convert("RGB")
    a = source.resize(SIZE, Image.Resampling.BICUBIC)
    w, h = source.size
    b = ImageOps.mirror(source.crop((w // 20, h // 20, w - w // 20, h - h // 20))).resize(SIZE, Image.Resampling.BICUBIC)
    path_a, path_b = folder / "a_12mp.jpg", folder / "b_12mp.jpg"
    a.save(path_a, quality=90)
    b.save(path_b, quality=90)
    return path_a, path_b


def timed(command: list[str]) -> tuple[float, float, subprocess.CompletedProcess]:
    """Wall-clock and CPU seconds (NaN where not measurable) of one whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN) if resource else None
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT, check=False)
    wall = time.perf_counter() - started
    if before is None:
        return wall, float("nan"), done
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), done


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--quick", action="store_true", help="one run of each process (for run_all.py --quick)")
    args = parser.parse_args(argv)
    if args.quick:
        args.runs = 1
    print(byte_compile_memdiff())
    if hasattr(os, "getloadavg"):
        print(f"load average before the runs: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as folder:
        a, b = make_pictures(Path(folder))
        c = make_unrelated(Path(folder))
        for label, pair in (("a copy (cropped, mirrored, re-encoded)", (a, b)), ("an unrelated photo", (a, c))):
            print(f"== comparing with {label}")
            measure(*pair, args.runs)
            print()
        breakdown(a, b)
    return 0


def measure(a: Path, b: Path, runs: int) -> None:
    memdiff_cmd = [sys.executable, "-m", "memdiff", "compare", str(a), str(b), "--json", "-"]
    baseline_cmd = [sys.executable, "-c", BASELINE, str(a), str(b)]
    # One untimed run of each warms the file cache.
    _, _, done = timed(memdiff_cmd)
    if done.returncode != 0:
        print(done.stderr, file=sys.stderr)
        raise SystemExit(f"memdiff compare failed with status {done.returncode}")
    timed(baseline_cmd)
    ours, theirs, ours_cpu, theirs_cpu = [], [], [], []
    for _ in range(runs):
        wall, cpu, _ = timed(memdiff_cmd)
        ours.append(wall)
        ours_cpu.append(cpu)
        wall, cpu, _ = timed(baseline_cmd)
        theirs.append(wall)
        theirs_cpu.append(cpu)
    verdict = json.loads(done.stdout)["summary"]["verdict"]
    m, base = statistics.median(ours), statistics.median(theirs)
    m_cpu, base_cpu = statistics.median(ours_cpu), statistics.median(theirs_cpu)
    print(f"pictures: 2 x {SIZE[0]} x {SIZE[1]} ({SIZE[0] * SIZE[1] / 1e6:.1f} megapixels), JPEG quality 90")
    print(f"memdiff compare --json -   median {m:.2f} s, CPU {m_cpu:.2f} s   (runs: {', '.join(f'{t:.2f}' for t in ours)}; verdict: {verdict})")
    print(f"Pillow decode only         median {base:.2f} s, CPU {base_cpu:.2f} s   (runs: {', '.join(f'{t:.2f}' for t in theirs)})")
    print(f"ratio                      {m / base:.2f}x   (target <= 4x; CPU time {m_cpu / base_cpu:.2f}x)")


def breakdown(a: Path, b: Path) -> None:
    """Where the time goes inside one process (imports excluded)."""
    from memdiff.analyse import compare
    from memdiff.image import align, hashes, regions  # noqa: F401 - imported here so imports are not timed
    from memdiff.ingest import image as image_ingest  # noqa: F401 - the same (ingest imports it on first use)
    from memdiff.ingest import load

    t0 = time.perf_counter()
    doc_a = load(a)
    doc_b = load(b)
    t1 = time.perf_counter()
    compare(doc_a, doc_b)
    t2 = time.perf_counter()
    with Image.open(a) as pa, Image.open(b) as pb:
        pa.load()
        pb.load()
    t3 = time.perf_counter()
    print("in one process (imports excluded):")
    print(f"    ingest both (decode, orient, sRGB, SHA-256)  {t1 - t0:.2f} s")
    print(f"    compare (hashes, alignment, tiles)           {t2 - t1:.2f} s")
    print(f"    Pillow decode of both, for reference         {t3 - t2:.2f} s")


if __name__ == "__main__":
    raise SystemExit(main())

"""The frozen program: builds the PyInstaller bundle once, then runs it as a user's machine would.

Slow (building takes about a minute on two cores), so marked ``slow``; it runs
in CI inside ``make test``. Every run of the frozen program gets its own home
folder, so it never reads or writes the developer's settings or logs.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PIL import Image, ImageDraw

import memdiff

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "packaging" / "pyinstaller" / "memdiff.spec"
SAMPLES = ROOT / "resources" / "samples"
ORIGINAL = SAMPLES / "original.txt"
OUTPUT = SAMPLES / "model-output.txt"
EXE = ".exe" if sys.platform == "win32" else ""

VERSION = memdiff.__version__  # the one place the version is written (pyproject.toml reads it there)


@pytest.fixture(scope="module")
def bundle(tmp_path_factory) -> Path:
    pytest.importorskip("PyInstaller")
    work = tmp_path_factory.mktemp("bundle")
    result = subprocess.run(
        [sys.executable, "-m", "PyInstaller", "--noconfirm", "--clean", "--log-level", "WARN", str(SPEC),
         "--distpath", str(work / "dist"), "--workpath", str(work / "build")],
        check=False, cwd=ROOT, capture_output=True, text=True, timeout=1200,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    folder = work / "dist" / "memdiff"
    assert (folder / f"memdiff{EXE}").is_file() and (folder / f"memdiff-gui{EXE}").is_file()
    shutil.rmtree(work / "build")  # 300 MB of intermediate files the tests do not need
    return folder


@pytest.fixture
def user_env(tmp_path) -> dict[str, str]:
    """A clean environment: own home and settings, no display, nothing from the test's virtualenv."""
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "HOME": str(home),
        "USERPROFILE": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "PATH": os.environ.get("PATH", ""),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    for name in ("SYSTEMROOT", "TEMP", "TMP"):  # Windows needs these to start a process at all
        if name in os.environ:
            env[name] = os.environ[name]
    return env


def frozen(bundle: Path, *args: str, env: dict[str, str], cwd: Path, timeout: float = 300):
    return subprocess.run([str(bundle / f"memdiff{EXE}"), *args], check=False, env=env, cwd=cwd,
                          capture_output=True, text=True, timeout=timeout)


def without_creation_time(result: dict) -> dict:
    return {key: value for key, value in result.items() if key != "created"}


def test_frozen_version_is_the_project_version(bundle, user_env, tmp_path):
    result = frozen(bundle, "--version", env=user_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"memdiff {VERSION}"


def test_frozen_compare_writes_the_same_findings_as_the_installed_memdiff(bundle, user_env, tmp_path):
    report = tmp_path / "out.pdf"
    result = frozen(bundle, "compare", str(ORIGINAL), str(OUTPUT), "--report", str(report),
                    env=user_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert report.read_bytes()[:5] == b"%PDF-"
    frozen_result = json.loads(report.with_suffix(".json").read_text(encoding="utf-8"))
    assert frozen_result["tool"] == {"name": "memdiff", "version": VERSION}
    assert frozen_result["summary"]["span_count"] > 0

    # The same comparison by the installed package: identical spans, coverage and
    # chance estimates prove the bundle found its word-frequency tables and fonts.
    installed = tmp_path / "installed.json"
    subprocess.run([sys.executable, "-m", "memdiff", "compare", str(ORIGINAL), str(OUTPUT),
                    "--json", str(installed)], check=True, cwd=tmp_path, capture_output=True)
    expected = json.loads(installed.read_text(encoding="utf-8"))
    assert without_creation_time(frozen_result) == without_creation_time(expected)
    assert all(span["chance"]["bits"] > 0 for span in frozen_result["spans"])

    if shutil.which("pdftotext"):
        text = subprocess.run(["pdftotext", str(report), "-"], capture_output=True, text=True, check=True).stdout
        # The method section lists library versions from metadata the spec copies into the bundle.
        from importlib.metadata import version

        for library in ("reportlab", "pikepdf", "opencv-python-headless", "wordfreq"):
            assert library in text and version(library) in text, library


def test_frozen_verify_accepts_the_report_it_wrote(bundle, user_env, tmp_path):
    report = tmp_path / "exhibit.pdf"
    written = frozen(bundle, "compare", str(ORIGINAL), str(OUTPUT), "--report", str(report),
                     env=user_env, cwd=tmp_path)
    assert written.returncode == 0, written.stderr
    checked = frozen(bundle, "verify", str(report), str(ORIGINAL), str(OUTPUT), env=user_env, cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr


def test_frozen_image_comparison_finds_a_crop(bundle, user_env, tmp_path):
    # Image mode needs OpenCV and the part of SciPy the spec keeps (ImageHash's DCT).
    original = Image.new("RGB", (480, 360), "white")
    draw = ImageDraw.Draw(original)
    for i in range(40):
        x, y = (i * 53) % 440, (i * 97) % 320
        draw.rectangle([x, y, x + 20 + i % 17, y + 15 + i % 11], fill=((i * 61) % 256, (i * 29) % 256, (i * 113) % 256))
        draw.ellipse([y, x % 300, y + 30, x % 300 + 25], outline=(0, 0, 0), width=3)
    original.save(tmp_path / "original.png")
    original.crop((60, 40, 420, 330)).save(tmp_path / "output.png")
    result = frozen(bundle, "compare", str(tmp_path / "original.png"), str(tmp_path / "output.png"),
                    "--json", "-", env=user_env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    comparison = json.loads(result.stdout)
    assert comparison["mode"] == "image"
    assert comparison["summary"]["match"] is True
    assert {"phash", "dhash", "whash"} <= set(comparison["summary"]["hashes"])


def test_frozen_bundle_holds_the_frequency_tables_and_not_what_was_left_out(bundle, user_env, tmp_path):
    result = frozen(bundle, "compare", str(ORIGINAL), str(OUTPUT), "--language", "xx", env=user_env, cwd=tmp_path)
    assert result.returncode == 2
    assert "ar, bg, bn, ca, cs, da, de, el, en, es, fa, fi, fil, fr, he, hi, hu, id, is, it, ja, ko, lt, lv, mk, ms, nb, nl, pl, pt, ro, ru, sh, sk, sl, sv, ta, tr, uk, ur, vi, zh." in result.stderr
    internal = bundle / "_internal"
    names = {p.name for p in internal.rglob("*")}
    for left_out in ("libQt6Quick.so.6", "libQt6Qml.so.6", "libQt6WebEngineCore.so.6", "libqtiff.so",
                     "Qt6Quick.dll", "Qt6Qml.dll", "qtiff.dll", "ftfy", "tkinter", "_pytest"):
        assert left_out not in names, left_out
    assert not (internal / "scipy" / "optimize").exists()
    assert not (internal / "wordfreq" / "__init__.pyc").exists()


def _gui_command(bundle: Path, env: dict[str, str]) -> tuple[list[str], dict[str, str]]:
    """Run the window on a real X server (Xvfb) when there is one, else on Qt's offscreen platform."""
    command = [str(bundle / f"memdiff-gui{EXE}"), str(ORIGINAL), str(OUTPUT)]
    if sys.platform.startswith("linux") and shutil.which("xvfb-run"):
        env = {k: v for k, v in env.items() if k != "QT_QPA_PLATFORM"}
        return ["xvfb-run", "-a", "-s", "-screen 0 1280x800x24", *command], env
    return command, env


def test_frozen_window_starts_and_keeps_running(bundle, user_env, tmp_path):
    command, env = _gui_command(bundle, user_env)
    process = subprocess.Popen(command, env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=sys.platform != "win32")
    try:
        # A missing Qt plugin or library makes Qt abort within a second; a working window
        # loads both sample files and compares them in the background meanwhile.
        time.sleep(8)
        still_running = process.poll() is None
    finally:
        if sys.platform == "win32":
            process.kill()
        else:
            os.killpg(process.pid, signal.SIGTERM)
        output, _ = process.communicate(timeout=30)
    assert still_running, output
    logs = list(Path(user_env["HOME"]).rglob("memdiff-gui.log"))
    assert logs, "the window wrote no log"
    assert f"memdiff {VERSION} starting" in logs[0].read_text(encoding="utf-8")
    assert "Traceback" not in logs[0].read_text(encoding="utf-8")

"""Renders memdiff's application icon (resources/icons/memdiff.svg) into the files installers need.

    python packaging/make_icons.py           # write them
    python packaging/make_icons.py --check   # exit 1 if a committed file no longer matches the SVG

Writes the Linux hicolor theme PNGs (16 to 512 pixels, plus the SVG as the
scalable icon), the Windows .ico and the macOS .icns. The outputs are committed
so that building an installer needs only that operating system and the
virtualenv, not this script; ``--check`` (run by tests/test_packaging.py) says
when the SVG changed and they were not regenerated.

The SVG is drawn by Qt's own renderer (QtSvg, on the offscreen platform, so no
display is needed): the same code that draws the icon inside the running
application, so the installed icon and the window icon look alike. Pillow
packs the rendered sizes into .ico and .icns.
"""

from __future__ import annotations

import argparse
import io
import os
import shutil
import sys
import tempfile
from pathlib import Path

from PIL import Image, ImageChops

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
SOURCE = ROOT / "resources" / "icons" / "memdiff.svg"

#: The application's id: the .desktop and metainfo file names, the icon name, and
#: what memdiff.gui.app passes to QGuiApplication.setDesktopFileName.
APP_ID = "org.memdiff.memdiff"

#: Sizes of the hicolor theme that desktops look up (the freedesktop icon theme spec).
LINUX_SIZES = (16, 24, 32, 48, 64, 128, 256, 512)
#: Sizes Windows shows: small icons, Explorer views up to "extra large" (256).
WINDOWS_SIZES = (16, 24, 32, 48, 64, 128, 256)
#: Sizes an .icns holds (each also as @2x): Pillow picks the matching renders.
MACOS_SIZES = (16, 32, 64, 128, 256, 512, 1024)

#: How far one channel of one pixel may differ before --check calls an icon stale;
#: antialiasing may change by a step or two between Qt releases, a changed drawing far more.
CHECK_TOLERANCE = 8


def linux_icon(folder: Path, size: int) -> Path:
    return folder / "linux" / "icons" / "hicolor" / f"{size}x{size}" / "apps" / f"{APP_ID}.png"


def scalable_icon(folder: Path) -> Path:
    return folder / "linux" / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg"


def windows_icon(folder: Path) -> Path:
    return folder / "windows" / "memdiff.ico"


def macos_icon(folder: Path) -> Path:
    return folder / "macos" / "memdiff.icns"


def render(svg: Path, sizes: tuple[int, ...]) -> dict[int, Image.Image]:
    """The SVG drawn by QSvgRenderer at each size, as RGBA Pillow images."""
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QRectF, Qt
    from PySide6.QtGui import QGuiApplication, QImage, QPainter
    from PySide6.QtSvg import QSvgRenderer

    app = QGuiApplication.instance() or QGuiApplication(sys.argv[:1])  # noqa: F841 - QPainter needs it
    renderer = QSvgRenderer(str(svg))
    if not renderer.isValid():
        raise SystemExit(f"{svg} is not an SVG file Qt can draw; fix it before making icons.")
    images = {}
    for size in sizes:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.SmoothPixmapTransform)
        renderer.render(painter, QRectF(0, 0, size, size))
        painter.end()
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        images[size] = Image.open(io.BytesIO(bytes(data))).convert("RGBA")
    return images


def write_all(folder: Path, svg: Path = SOURCE) -> list[Path]:
    """Write every icon file under ``folder`` (laid out like packaging/); return their paths."""
    sizes = sorted(set(LINUX_SIZES) | set(WINDOWS_SIZES) | set(MACOS_SIZES))
    images = render(svg, tuple(sizes))
    written = []
    for size in LINUX_SIZES:
        target = linux_icon(folder, size)
        target.parent.mkdir(parents=True, exist_ok=True)
        images[size].save(target, format="PNG", optimize=True)
        written.append(target)
    target = scalable_icon(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(svg, target)
    written.append(target)

    target = windows_icon(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    largest = images[max(WINDOWS_SIZES)]
    largest.save(
        target,
        format="ICO",
        sizes=[(s, s) for s in WINDOWS_SIZES],
        append_images=[images[s] for s in WINDOWS_SIZES if s != max(WINDOWS_SIZES)],
    )
    written.append(target)

    target = macos_icon(folder)
    target.parent.mkdir(parents=True, exist_ok=True)
    largest = images[max(MACOS_SIZES)]
    largest.save(target, format="ICNS", append_images=[images[s] for s in MACOS_SIZES if s != max(MACOS_SIZES)])
    written.append(target)
    return written


def _differs(committed: Path, fresh: Path) -> bool:
    if committed.suffix == ".svg":
        return committed.read_bytes() != fresh.read_bytes()
    with Image.open(committed) as a, Image.open(fresh) as b:
        if a.size != b.size:
            return True
        difference = ImageChops.difference(a.convert("RGBA"), b.convert("RGBA"))
        return max(high for _low, high in difference.getextrema()) > CHECK_TOLERANCE


def stale_files(folder: Path = PACKAGING, svg: Path = SOURCE) -> list[Path]:
    """Committed icon files that are missing or no longer match what the SVG renders to."""
    with tempfile.TemporaryDirectory() as scratch:
        fresh = write_all(Path(scratch), svg)
        stale = []
        for path in fresh:
            committed = folder / path.relative_to(scratch)
            if not committed.is_file() or _differs(committed, path):
                stale.append(committed)
        return stale


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the committed icons are up to date")
    args = parser.parse_args(argv)
    if args.check:
        stale = stale_files()
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        if stale:
            print("run: python packaging/make_icons.py", file=sys.stderr)
        return 1 if stale else 0
    for path in write_all(PACKAGING):
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())

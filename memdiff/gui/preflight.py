"""Whether the desktop application can start here, decided before Qt is imported.

On Linux, Qt aborts the whole process with a cryptic message ("could not load
the Qt platform plugin xcb") when there is no display or when two small X11
libraries are missing. The command line asks :func:`display_problem` first and
prints one plain sentence instead. Nothing in this module imports Qt.
"""

from __future__ import annotations

import ctypes.util
import os
import sys

#: Platforms that draw into memory or a remote framebuffer and need no display.
HEADLESS_PLATFORMS = ("offscreen", "minimal", "vnc", "linuxfb", "eglfs", "vkkhrdisplay")

#: Shared libraries Qt's xcb platform plugin loads beyond Qt's own (``ldd libqxcb.so``),
#: with the Debian/Ubuntu packages that provide them. The first two are the ones most
#: often missing (Qt 6.5 added xcb-cursor); any missing one makes Qt abort.
XCB_LIBRARIES = (
    ("xcb-cursor", "libxcb-cursor0"),
    ("xkbcommon-x11", "libxkbcommon-x11-0"),
    ("xcb-icccm", "libxcb-icccm4"),
    ("xcb-keysyms", "libxcb-keysyms1"),
    ("xcb-image", "libxcb-image0"),
    ("xcb-render-util", "libxcb-render-util0"),
    ("xcb-randr", "libxcb-randr0"),
    ("xcb-shape", "libxcb-shape0"),
    ("xcb-xkb", "libxcb-xkb1"),
    ("X11-xcb", "libx11-xcb1"),
)

def _requested_platform() -> str:
    """The platform plugin named in QT_QPA_PLATFORM ("" when unset), without its options."""
    value = os.environ.get("QT_QPA_PLATFORM", "").strip().lower()
    # The variable may list fallbacks ("wayland;xcb") and carry options ("vnc:size=800x600").
    return value.split(";")[0].split(":")[0]


def _linux_platform() -> str:
    """The platform Qt will pick on Linux: the requested one, else wayland or xcb as Qt decides."""
    requested = _requested_platform()
    if requested:
        return requested
    if os.environ.get("WAYLAND_DISPLAY") and os.environ.get("XDG_SESSION_TYPE", "wayland") == "wayland":
        return "wayland"
    return "xcb"


def has_display() -> bool:
    """True when a window can be shown (or drawn off screen, when that was asked for)."""
    return display_problem() is None


def display_problem() -> str | None:
    """One plain sentence saying why the desktop application cannot start here, or None."""
    if not sys.platform.startswith("linux"):
        # Windows and macOS always have their native platform plugin.
        return None
    platform = _linux_platform()
    if platform.startswith(HEADLESS_PLATFORMS):
        return None
    has_x11 = bool(os.environ.get("DISPLAY"))
    has_wayland = bool(os.environ.get("WAYLAND_DISPLAY"))
    if not has_x11 and not has_wayland:
        return (
            "No display found (neither DISPLAY nor WAYLAND_DISPLAY is set), so the memdiff window cannot open; "
            "run it from a desktop session, or use 'memdiff compare' on the command line."
        )
    if platform == "wayland" and has_wayland:
        return None
    if platform in ("xcb", "wayland") and not has_x11:
        return "No X11 display found (DISPLAY is not set); run memdiff from a desktop session."
    missing = [package for library, package in XCB_LIBRARIES if ctypes.util.find_library(library) is None]
    if missing:
        # Name the two usual culprits even when only others are missing: one command fixes the lot.
        packages = sorted(set(missing) | {"libxcb-cursor0", "libxkbcommon-x11-0"}, key=_package_order)
        return (
            "The memdiff window needs the X11 "
            + ("library " if len(missing) == 1 else "libraries ")
            + ", ".join(missing)
            + ", which "
            + ("is" if len(missing) == 1 else "are")
            + " not installed; on Debian or Ubuntu run 'sudo apt-get install "
            + " ".join(packages)
            + "' and start memdiff again."
        )
    return None


def _package_order(package: str) -> int:
    return [p for _, p in XCB_LIBRARIES].index(package)

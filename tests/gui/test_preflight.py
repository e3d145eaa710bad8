"""The check that runs before Qt is imported: one plain sentence instead of Qt's abort."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

from memdiff.gui import preflight


@pytest.fixture
def linux(monkeypatch):
    monkeypatch.setattr(sys, "platform", "linux")
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM", "XDG_SESSION_TYPE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr(preflight.ctypes.util, "find_library", lambda name: f"lib{name}.so.0")
    return monkeypatch


def test_no_display_is_one_sentence(linux):
    problem = preflight.display_problem()
    assert problem is not None and problem.startswith("No display found")
    assert "\n" not in problem
    assert preflight.has_display() is False


def test_offscreen_needs_no_display(linux):
    linux.setenv("QT_QPA_PLATFORM", "offscreen")
    assert preflight.display_problem() is None
    assert preflight.has_display() is True


def test_x11_with_libraries_is_fine(linux):
    linux.setenv("DISPLAY", ":0")
    assert preflight.display_problem() is None


def test_missing_xcb_libraries_name_the_packages(linux):
    linux.setenv("DISPLAY", ":0")
    linux.setattr(preflight.ctypes.util, "find_library", lambda name: None if name == "xcb-cursor" else "x.so")
    problem = preflight.display_problem()
    assert problem is not None
    assert "library libxcb-cursor0, which is not installed" in problem
    assert "sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0'" in problem


def test_every_missing_xcb_library_is_named_in_one_command(linux):
    linux.setenv("DISPLAY", ":0")
    absent = {"xcb-icccm", "xcb-keysyms"}
    linux.setattr(preflight.ctypes.util, "find_library", lambda name: None if name in absent else "x.so")
    problem = preflight.display_problem()
    assert problem is not None
    assert "libxcb-icccm4, libxcb-keysyms1, which are not installed" in problem
    assert "sudo apt-get install libxcb-cursor0 libxkbcommon-x11-0 libxcb-icccm4 libxcb-keysyms1'" in problem


def test_wayland_session_does_not_need_xcb_libraries(linux):
    linux.setenv("WAYLAND_DISPLAY", "wayland-0")
    linux.setattr(preflight.ctypes.util, "find_library", lambda name: None)
    assert preflight.display_problem() is None


def test_explicit_xcb_without_x11_display(linux):
    linux.setenv("WAYLAND_DISPLAY", "wayland-0")
    linux.setenv("QT_QPA_PLATFORM", "xcb")
    problem = preflight.display_problem()
    assert problem is not None and "DISPLAY" in problem


def test_other_systems_always_have_a_display(monkeypatch):
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.delenv("DISPLAY", raising=False)
    assert preflight.display_problem() is None


def test_preflight_and_package_never_import_qt():
    folder = Path(preflight.__file__).parent
    for name in ("preflight.py", "__init__.py", "qt_compat.py", "case_file.py"):
        tree = ast.parse((folder / name).read_text(encoding="utf-8"))
        imported = {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        imported |= {n.module or "" for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)}
        assert not any(m.startswith("PySide6") for m in imported), name

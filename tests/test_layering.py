"""The core never imports Qt, and nothing in memdiff imports a network module."""

from __future__ import annotations

import ast
from pathlib import Path

import memdiff

PACKAGE = Path(memdiff.__file__).parent
FORBIDDEN_NETWORK = {"socket", "urllib.request", "http.client", "requests", "httpx", "ftplib", "smtplib"}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules():
    return sorted(p for p in PACKAGE.rglob("*.py"))


def test_only_the_gui_imports_qt():
    offenders = []
    for path in _modules():
        relative = path.relative_to(PACKAGE)
        if relative.parts[0] == "gui" and relative.name != "preflight.py" and relative.name != "__init__.py":
            continue
        if any(name == "PySide6" or name.startswith("PySide6.") for name in _imports(path)):
            offenders.append(str(relative))
    assert offenders == []


def test_nothing_imports_a_network_module():
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in _modules()
        if _imports(path) & FORBIDDEN_NETWORK
    ]
    assert offenders == []

"""memdiff's bundled files (fonts, icons, the sample case), found through one function."""

from __future__ import annotations

from pathlib import Path

_ROOT = Path(__file__).resolve().parent


def path(*parts: str) -> Path:
    """Return the path of a bundled resource, e.g. ``path("samples", "SOURCES.md")``.

    Works from a source checkout, an installed wheel and a PyInstaller bundle
    alike, because the files always sit beside this module.
    """
    return _ROOT.joinpath(*parts)

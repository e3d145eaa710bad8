"""The frozen program's entry point: ``memdiff`` runs the command line, ``memdiff-gui`` opens the window.

Both executables of the bundle are built from this one script so they share
one copy of Python, Qt and the data files; each decides what to do from the
name it was started under. ``memdiff`` with no command still opens the
window (that is the command line's own rule), so on Linux either works from
a desktop launcher; on Windows and macOS the ``-gui`` executable is the one
built without a console window.
"""

from __future__ import annotations

import sys
from pathlib import Path


def gui_arguments(arguments: list[str]) -> list[str]:
    """The window's arguments, with a lone case file turned into ``--case FILE``.

    Desktops open a double-clicked file as ``memdiff-gui FILE`` (the .desktop
    file's ``%f``, the macOS and Windows file associations), but memdiff-gui
    reads a lone file as the original work.
    """
    if len(arguments) == 1 and arguments[0].lower().endswith(".memdiff"):
        return ["--case", arguments[0]]
    return arguments


def main() -> None:
    if Path(sys.executable).stem.lower().endswith("-gui"):
        from memdiff.gui.app import main as gui_main

        sys.exit(gui_main(gui_arguments(sys.argv[1:])))
    from memdiff.cli import run

    run()  # exits the process with the command's code


if __name__ == "__main__":
    main()

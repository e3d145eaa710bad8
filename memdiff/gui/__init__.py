"""The desktop application (PySide6). The only package that imports Qt.

This file imports nothing from Qt on purpose: the command line imports
``memdiff.gui.preflight`` to decide whether a window can open at all, on
machines where importing Qt would abort the process.
"""

from memdiff.gui.qt_compat import protect_singletons as _protect_singletons

# Before any Qt call: PySide6 6.12 on Python 3.11 drops references to None/True (see qt_compat).
_protect_singletons()

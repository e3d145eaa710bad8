"""A guard against a reference-counting bug of PySide6 6.12 on Python 3.11 (no Qt imported here).

PySide6-Essentials 6.12.0 returns ``None`` from every void method, and
``True`` from ``Signal.emit``, without taking a reference. Python 3.12 and
later do not count references to these objects ("immortal" singletons), so
the bug is invisible there; on Python 3.11 each call lowers the count by one,
and after a few thousand calls the interpreter aborts with "Fatal Python
error: none_dealloc" (reproduced here: ``label.setText("x")`` 50 times lowers
``sys.getrefcount(None)`` by 50).

The guard does on 3.11 what 3.12 does for everyone: it gives ``None``,
``True`` and ``False`` a reference count so large that no session can
exhaust it. These objects are static and are never freed in any case, so
nothing else changes. It runs once, when ``memdiff.gui`` is imported.
"""

from __future__ import annotations

import ctypes
import platform
import sys

#: References added to each singleton: 2**40 calls would take years of use to spend.
RESERVE = 1 << 40


def singletons_counted() -> bool:
    """True on interpreters that count references to None/True/False (CPython before 3.12)."""
    return platform.python_implementation() == "CPython" and sys.version_info < (3, 12)


def protect_singletons() -> bool:
    """Make None, True and False effectively immortal; True when anything was changed."""
    if not singletons_counted():
        return False
    changed = False
    for singleton in (None, True, False):
        # ob_refcnt is the first field of every CPython object (a Py_ssize_t).
        count = ctypes.c_ssize_t.from_address(id(singleton))
        if count.value < RESERVE // 2:  # spent down to half (a few hundred calls at most): top it up
            count.value += RESERVE
            changed = True
    return changed

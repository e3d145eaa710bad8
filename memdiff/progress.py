"""Progress and cancellation for long work, passed into core functions.

The core never knows who is watching: the CLI passes a text progress bar, the
GUI one that emits Qt signals, tests the silent default.
"""

from __future__ import annotations

from memdiff.errors import Cancelled


class Progress:
    """Receives progress reports and answers whether to stop. The base does nothing."""

    def report(self, fraction: float, message: str = "") -> None:
        """``fraction`` runs from 0 to 1 over the whole operation."""

    def is_cancelled(self) -> bool:
        return False

    def check(self) -> None:
        """Raise :class:`Cancelled` if the user asked to stop."""
        if self.is_cancelled():
            raise Cancelled("The comparison was cancelled.")


SILENT = Progress()


class Stage(Progress):
    """Maps a sub-task's 0..1 progress onto a slice ``[start, end]`` of a parent's."""

    def __init__(self, parent: Progress, start: float, end: float) -> None:
        self._parent = parent
        self._start = start
        self._end = end

    def report(self, fraction: float, message: str = "") -> None:
        fraction = min(1.0, max(0.0, fraction))
        self._parent.report(self._start + (self._end - self._start) * fraction, message)

    def is_cancelled(self) -> bool:
        return self._parent.is_cancelled()

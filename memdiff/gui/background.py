"""Running slow work (loading, comparing, writing reports) off the main thread.

One helper for the whole application: :meth:`BackgroundJobs.run` takes a
callable that receives a :class:`memdiff.progress.Progress`, runs it in a
``QThreadPool`` and brings its progress, result or error back to the main
thread as Qt signals (the shape of Anki's ``QueryOp`` and Picard's
``run_task``). The core's own cancellation check (``progress.check()``) stops
the work; a cancelled job ends quietly with ``cancelled``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

from memdiff.errors import Cancelled
from memdiff.progress import Progress

log = logging.getLogger(__name__)


class JobSignals(QObject):
    """Signals of one job; created in the main thread so connected slots run there."""

    progress = Signal(float, str)
    succeeded = Signal(object)
    failed = Signal(object)
    cancelled = Signal()
    # Emitted last, after whichever of succeeded/failed/cancelled applied.
    finished = Signal()


class SignalProgress(Progress):
    """Progress for the core that forwards reports as a signal and answers the Cancel button."""

    def __init__(self, signals: JobSignals, cancel_requested: threading.Event) -> None:
        self._signals = signals
        self._cancel_requested = cancel_requested

    def report(self, fraction: float, message: str = "") -> None:
        self._signals.progress.emit(float(fraction), message)

    def is_cancelled(self) -> bool:
        return self._cancel_requested.is_set()


class Job(QRunnable):
    """One callable run in the pool. Hold on to it to cancel it or to connect its signals."""

    def __init__(self, work: Callable[[Progress], Any], description: str) -> None:
        super().__init__()
        # The pool must not delete the runnable: the application keeps it until it finishes.
        self.setAutoDelete(False)
        self.description = description
        self.signals = JobSignals()
        self._work = work
        self._cancel_requested = threading.Event()
        self._done = threading.Event()

    def cancel(self) -> None:
        self._cancel_requested.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel_requested.is_set()

    @property
    def done(self) -> bool:
        return self._done.is_set()

    def run(self) -> None:  # runs in a pool thread
        progress = SignalProgress(self.signals, self._cancel_requested)
        outcome: str
        value: Any = None
        try:
            progress.check()
            value = self._work(progress)
            # A cancel that arrived after the last check still wins: the user no longer wants it.
            progress.check()
        except Cancelled:
            outcome = "cancelled"
        except BaseException as err:  # every error is reported to the main thread, never lost
            if not isinstance(err, Exception):
                log.error("%s stopped by %r", self.description, err)
            outcome, value = "failed", err
        else:
            outcome = "succeeded"
        # Done before the news goes out, so a slot asking "is anything still running?" gets the truth.
        self._done.set()
        if outcome == "succeeded":
            self.signals.succeeded.emit(value)
        elif outcome == "failed":
            self.signals.failed.emit(value)
        else:
            self.signals.cancelled.emit()
        self.signals.finished.emit()


class BackgroundJobs(QObject):
    """The application's worker pool and the jobs still running in it."""

    def __init__(self, parent: QObject | None = None, *, max_threads: int = 2) -> None:
        super().__init__(parent)
        self._pool = QThreadPool(self)
        self._pool.setMaxThreadCount(max_threads)
        self._running: list[Job] = []
        # Finished jobs are kept until the next start, so a job's signal object is
        # never destroyed while it is still delivering its last signal.
        self._retired: list[Job] = []

    def run(
        self,
        work: Callable[[Progress], Any],
        *,
        description: str,
        on_success: Callable[[Any], None] | None = None,
        on_error: Callable[[BaseException], None] | None = None,
        on_progress: Callable[[float, str], None] | None = None,
        on_cancel: Callable[[], None] | None = None,
    ) -> Job:
        """Start ``work(progress)`` in the pool; the callbacks run later in the main thread."""
        self._retired.clear()
        job = Job(work, description)
        if on_progress is not None:
            job.signals.progress.connect(on_progress)
        if on_success is not None:
            job.signals.succeeded.connect(on_success)
        if on_error is not None:
            job.signals.failed.connect(on_error)
        if on_cancel is not None:
            job.signals.cancelled.connect(on_cancel)
        job.signals.finished.connect(lambda: self._forget(job))
        self._running.append(job)
        self._pool.start(job)
        return job

    def _forget(self, job: Job) -> None:
        if job in self._running:
            self._running.remove(job)
            self._retired.append(job)

    @property
    def busy(self) -> bool:
        return any(not job.done for job in self._running)

    def cancel_all(self) -> None:
        for job in self._running:
            job.cancel()

    def wait(self, milliseconds: int = -1) -> bool:
        """Block until every job has finished (used on quit); False on timeout."""
        return self._pool.waitForDone(milliseconds)

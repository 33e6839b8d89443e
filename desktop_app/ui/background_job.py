"""A long piece of work (import, export, USB copy) off the UI thread, with progress and cancel.

``BackgroundJob(work)`` runs ``work(progress, cancel)`` on the thread pool (:mod:`.workers`):
the service calls ``progress(done, total)`` now and then and checks ``cancel()``; the job turns
the progress calls into the ``progressed`` signal (at most ~20 a second, delivered on the UI
thread) and ends with ``done(result, error)`` on the UI thread.

The job keeps itself alive until the work ends, so a dialog closed meanwhile never leaves a
worker emitting into a deleted object.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from PySide6.QtCore import QObject, Signal

from .workers import run_in_background, the_bridge

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

#: Jobs still running (a reference, so that nothing is collected while a worker uses it).
_running: set[BackgroundJob] = set()
_MIN_INTERVAL_S = 0.05


class BackgroundJob(QObject):
    progressed = Signal(int, int)  # done, total
    done = Signal(object, object)  # result, error (exactly one of them is meaningful)

    def __init__(self, work: Callable[[Progress, Cancel], object]) -> None:
        super().__init__()
        self._work = work
        self._token = object()
        self._cancel = threading.Event()
        self._last_emit = 0.0
        self.running = False

    def start(self) -> None:
        if self.running:
            return
        self.running = True
        _running.add(self)
        the_bridge().finished.connect(self._finished)
        work, progress, cancelled = self._work, self._progress, self._cancel.is_set
        run_in_background(self._token, lambda: work(progress, cancelled))

    def cancel(self) -> None:
        """Ask the work to stop at its next check (it raises, and rolls back what it did)."""
        self._cancel.set()

    @property
    def cancel_requested(self) -> bool:
        return self._cancel.is_set()

    def _progress(self, done: int, total: int) -> None:  # on the worker thread
        now = time.monotonic()
        if done >= total or now - self._last_emit >= _MIN_INTERVAL_S:
            self._last_emit = now
            self.progressed.emit(int(done), int(total))

    def _finished(self, token: object, result: object, error: object) -> None:
        if token is not self._token:
            return
        the_bridge().finished.disconnect(self._finished)
        self.running = False
        _running.discard(self)
        self.done.emit(result, error)


def any_running() -> bool:
    return bool(_running)


__all__ = ["BackgroundJob", "any_running"]

"""A watch on the UI thread's event loop, for the responsiveness tests (SPEC §10).

``StallWatch`` ticks a QTimer every 20 ms on the UI thread and keeps the longest gap between two
ticks. A gap is the app's fault when the UI thread was computing, sleeping on I/O or waiting for
the GIL a worker would not give back. It is not the app's fault when the UI thread was ready to
run and the operating system gave the processor to another process (a busy CI machine): Linux
counts that time per thread in ``/proc/self/task/<tid>/schedstat`` (its second field, the time
spent waiting on a run queue). ``worst_ms`` is the longest gap less that waiting time;
``worst_wall_ms`` and ``worst_queued_ms`` say what was taken away, for the failure message.
Where the file does not exist nothing is taken away.
"""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Self

from PySide6.QtCore import QTimer

TICK_MS = 20
STALL_MS = 250


def _schedstat_path() -> Path | None:
    path = Path(f"/proc/self/task/{threading.get_native_id()}/schedstat")
    return path if path.is_file() else None


def _queued_ms(path: Path | None) -> float:
    """Milliseconds this thread has spent runnable but not running, since it started."""
    if path is None:
        return 0.0
    try:
        return int(path.read_text().split()[1]) / 1e6
    except (OSError, IndexError, ValueError):
        return 0.0


class StallWatch:
    """``with StallWatch() as watch: …`` then ``watch.worst_ms`` (see the module's text)."""

    def __init__(self) -> None:
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)
        self.ticks = 0
        self.worst_ms = 0.0
        self.worst_wall_ms = 0.0
        self.worst_queued_ms = 0.0
        self._stat = _schedstat_path()  # made on the UI thread: the thread the ticks run on
        self._last = 0.0
        self._last_queued = 0.0

    def __enter__(self) -> Self:
        self._last = time.perf_counter()
        self._last_queued = _queued_ms(self._stat)
        self.timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._tick()
        self.timer.stop()

    def _tick(self) -> None:
        now = time.perf_counter()
        queued = _queued_ms(self._stat)
        wall = (now - self._last) * 1000
        waited = min(max(queued - self._last_queued, 0.0), wall)
        if wall - waited > self.worst_ms:
            self.worst_ms = wall - waited
            self.worst_wall_ms = wall
            self.worst_queued_ms = waited
        self._last, self._last_queued = now, queued
        self.ticks += 1

    def verdict(self) -> str:
        """The failure message of an assertion on ``worst_ms``."""
        return (f"the event loop stalled {self.worst_ms:.0f} ms "
                f"({self.worst_wall_ms:.0f} ms between two ticks, {self.worst_queued_ms:.0f} ms of it "
                f"waiting for a processor the system gave to another process)")

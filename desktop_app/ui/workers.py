"""Work off the UI thread: database reads and writes that may take longer than ~200 ms run on
the thread pool, and their results come back to the UI thread through one bridge object."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QCoreApplication, QObject, QThreadPool, Signal


class _Bridge(QObject):
    """Carries a finished job's result back to the UI thread (lives as long as the app)."""

    finished = Signal(object, object, object)  # token, result, error


_bridge: _Bridge | None = None


def the_bridge() -> _Bridge:
    global _bridge
    if _bridge is None:
        _bridge = _Bridge(QCoreApplication.instance())
    return _bridge


def run_in_background(token: object, job: Callable[[], object]) -> None:
    """Run ``job`` on the thread pool; ``the_bridge().finished`` brings back ``(token, result,
    error)`` on the UI thread. Receivers compare the token with the one they are waiting for.

    The job never touches a widget: a screen closed meanwhile just never hears back.
    """
    bridge = the_bridge()

    def run() -> None:
        try:
            result, error = job(), None
        except Exception as exc:  # noqa: BLE001 - reported on the UI thread
            result, error = None, exc
        bridge.finished.emit(token, result, error)

    QThreadPool.globalInstance().start(run)

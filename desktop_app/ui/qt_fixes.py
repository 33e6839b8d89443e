"""Work-arounds for bugs of the Qt binding, applied once when the ``ui`` package is imported."""

from __future__ import annotations

import ctypes
import sys


def fix_signal_emit_refcount() -> bool:
    """Work around a PySide6 6.12 reference-count bug in ``SignalInstance.emit`` (CPython < 3.12).

    ``emit()`` returns ``True`` without a new reference, so every ``signal.emit(...)`` made from
    Python drops one reference to ``True``; after a few thousand emits CPython aborts with
    "Fatal Python error: bool_dealloc". A probe detects the bug (so a fixed PySide6 is left
    alone) and, if present, wraps ``emit`` to add the missing reference. Returns whether the
    wrapper is installed. Called from ``desktop_app/ui/__init__.py``, before any screen is built.
    """
    if sys.version_info >= (3, 12):  # True and False are immortal there: nothing to fix
        return False
    from PySide6.QtCore import QObject, Signal, SignalInstance

    if getattr(SignalInstance.emit, "_refcount_fixed", False):
        return True

    class _Probe(QObject):
        ping = Signal()

    probe = _Probe()
    tries = 8
    before = sys.getrefcount(True)
    results = [probe.ping.emit() for _ in range(tries)]
    lost = before - sys.getrefcount(True) + results.count(True)  # the list holds some of them
    del results
    if lost <= 0:
        return False
    for _ in range(lost):  # give back what the probe took
        ctypes.pythonapi.Py_IncRef(ctypes.py_object(True))
    original = SignalInstance.emit

    def emit(self, *args):  # type: ignore[no-untyped-def]
        result = original(self, *args)
        if result is True or result is False:
            ctypes.pythonapi.Py_IncRef(ctypes.py_object(result))
        return result

    emit._refcount_fixed = True  # type: ignore[attr-defined]
    SignalInstance.emit = emit
    return True



class UiThreadGarbageCollector:
    """Run Python's cyclic garbage collector on the UI thread only.

    If the collector runs on a worker thread it may destroy a Qt widget there, which kills the
    process. Automatic collection is switched off and a timer collects on the UI thread instead
    (qutebrowser does the same). Keep the object alive as long as the application.
    """

    INTERVAL_MS = 1000

    def __init__(self, parent) -> None:  # parent: a QObject living on the UI thread
        import gc

        from PySide6.QtCore import QTimer

        self._gc = gc
        self._ticks = 0
        gc.disable()
        self.timer = QTimer(parent)
        self.timer.setInterval(self.INTERVAL_MS)
        self.timer.timeout.connect(self.collect)
        self.timer.start()

    def collect(self) -> None:
        self._ticks += 1
        # the youngest generation every second, everything once a minute
        self._gc.collect(2 if self._ticks % 60 == 0 else 0)


#: Seconds a thread waiting for the GIL waits before asking the running thread to hand it over.
GIL_SWITCH_INTERVAL = 0.001


def hand_the_gil_over_quickly() -> float:
    """Make the UI thread wait at most 1 ms, not CPython's default 5 ms, for the GIL.

    While a worker computes (an import, a report), each call from the UI thread into Qt lets
    the GIL go, and getting it back waits for the worker's switch interval. Building or
    destroying a screen makes hundreds of such calls, so with 5 ms the window froze for 250–450
    ms during an import in the responsiveness tests, and for 30–180 ms with 1 ms. Threads that
    run alone are not slowed. Returns the interval that was in force.
    """
    previous = sys.getswitchinterval()
    sys.setswitchinterval(GIL_SWITCH_INTERVAL)
    return previous

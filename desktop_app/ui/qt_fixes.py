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


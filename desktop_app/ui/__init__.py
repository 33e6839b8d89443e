"""The PySide6 user interface."""

from .qt_fixes import fix_signal_emit_refcount

fix_signal_emit_refcount()

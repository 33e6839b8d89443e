"""Vietnamese for the words Qt draws itself: standard buttons, text menus, file dialogs.

Qt ships no Vietnamese translation of its own strings (no ``qtbase_vi.qm``), so the buttons of
every ``QMessageBox`` and ``QDialogButtonBox`` said "OK", "Cancel", "&Yes"…
``resources/translations/qt_vi.ts`` holds the Vietnamese for Qt's contexts (QPlatformTheme,
QLineEdit, QWizard, QFileDialog…), compiled with ``pyside6-lrelease`` into ``qt_vi.qm``, which a
plain ``QTranslator`` loads. (A Python subclass of QTranslator would be called for every string
and, with PySide6 6.12 on CPython 3.11, loses a reference to ``None`` on each call.) Windows
shows its own, already localised, file dialogs; the file dialog entries serve Linux.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QCoreApplication, QTranslator

from ..storage.bundle import resource_path

log = logging.getLogger(__name__)

_translator: QTranslator | None = None


def translations_file() -> str:
    return str(resource_path("translations", "qt_vi.qm"))


def install(app: QCoreApplication) -> QTranslator | None:
    """Load ``qt_vi.qm`` once and install it; ``None`` (and English buttons) when it is missing."""
    global _translator
    if _translator is None:
        translator = QTranslator()
        if not translator.load(translations_file()):
            log.warning("Qt's Vietnamese strings not found: %s", translations_file())
            return None
        _translator = translator
    app.installTranslator(_translator)  # installing again only moves it to the front
    return _translator

"""Who is working at the counter now: a combo of the active officers, remembered between runs.

Without passwords (a single-user install) the officer simply picks their name, and every dossier
they receive or change is recorded under it. Once accounts are on, the main window locks the
picker on the officer who logged in (docs/ACCOUNTS.md).
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import QSettings, Qt, Signal
from PySide6.QtWidgets import QComboBox, QWidget

from ..services import setup
from ..services.context import AppContext
from ..services.views import ROLE_LABELS

SETTINGS_KEY = "officer/current"


class OfficerPicker(QComboBox):
    officerChanged = Signal(object)  # uuid.UUID | None

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("officerPicker")
        self.setToolTip(self.tr("Cán bộ đang làm việc tại quầy: hồ sơ tiếp nhận và xử lý được ghi tên người này"))
        self.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.reload()
        self.currentIndexChanged.connect(self._changed)

    def reload(self) -> None:
        """Read the officers again, keeping the current one (else the remembered one, else the first)."""
        keep = self.current_officer_id() or _remembered()
        self.blockSignals(True)
        try:
            self.clear()
            for officer in setup.list_officers(self._ctx):
                self.addItem(officer.full_name, str(officer.id))
                self.setItemData(self.count() - 1,
                                 f"{officer.username} — {ROLE_LABELS.get(officer.role, officer.role)}",
                                 Qt.ItemDataRole.ToolTipRole)
            index = self.findData(str(keep)) if keep else -1
            self.setCurrentIndex(index if index >= 0 else (0 if self.count() else -1))
        finally:
            self.blockSignals(False)
        self._remember()

    def current_officer_id(self) -> uuid.UUID | None:
        return _uuid(self.currentData())

    def set_current_officer_id(self, officer_id: uuid.UUID) -> bool:
        index = self.findData(str(officer_id))
        if index >= 0:
            self.setCurrentIndex(index)
        return index >= 0

    def _changed(self) -> None:
        self._remember()
        self.officerChanged.emit(self.current_officer_id())

    def _remember(self) -> None:
        officer_id = self.current_officer_id()
        if officer_id is not None:
            QSettings().setValue(SETTINGS_KEY, str(officer_id))


def _uuid(value: object) -> uuid.UUID | None:
    # Combo item data holds the id as text: QComboBox.findData compares Python objects by identity.
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _remembered() -> uuid.UUID | None:
    return _uuid(QSettings().value(SETTINGS_KEY, ""))


__all__ = ["OfficerPicker"]

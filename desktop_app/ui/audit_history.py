"""The "Lịch sử thay đổi" tab of a dossier: when, who, what field, old → new (the audit log)."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..services import audit
from ..services.context import AppContext
from .common import fmt_datetime

HEADERS = (
    QT_TRANSLATE_NOOP("AuditHistory", "Thời gian"),
    QT_TRANSLATE_NOOP("AuditHistory", "Cán bộ"),
    QT_TRANSLATE_NOOP("AuditHistory", "Nội dung"),
    QT_TRANSLATE_NOOP("AuditHistory", "Giá trị cũ"),
    QT_TRANSLATE_NOOP("AuditHistory", "Giá trị mới"),
)
COL_AT, COL_OFFICER, COL_WHAT, COL_OLD, COL_NEW = range(5)


class AuditHistoryWidget(QWidget):
    """Newest change first; read again by :meth:`reload` after every save of the dossier."""

    def __init__(self, ctx: AppContext, dossier_id: uuid.UUID, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dossier_id = dossier_id
        self.setObjectName("auditHistory")
        self.entries: list[audit.HistoryEntry] = []
        self.table = QTableWidget(0, len(HEADERS), self)
        self.table.setObjectName("auditTable")
        self.table.setHorizontalHeaderLabels([QCoreApplication.translate("AuditHistory", h) for h in HEADERS])
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(True)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        for column in (COL_AT, COL_OFFICER, COL_WHAT):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        for column in (COL_OLD, COL_NEW):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Stretch)
        self.note = QLabel(self.tr("Mọi thay đổi của hồ sơ được ghi lại tự động và không sửa, xóa được."), self)
        self.note.setStyleSheet("color: #555555;")
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        self.reload()

    def reload(self) -> None:
        self.entries = list(reversed(audit.dossier_history(self.ctx, self.dossier_id)))
        self.table.setRowCount(len(self.entries))
        for row, entry in enumerate(self.entries):
            values = (fmt_datetime(entry.at), entry.officer, entry.what, entry.old, entry.new)
            for column, value in enumerate(values):
                item = QTableWidgetItem(value)
                if column in (COL_OLD, COL_NEW) and len(value) > 60:
                    item.setToolTip(value)
                self.table.setItem(row, column, item)

    def row_texts(self, row: int) -> list[str]:
        return [self.table.item(row, column).text() for column in range(self.table.columnCount())]


__all__ = ["AuditHistoryWidget"]

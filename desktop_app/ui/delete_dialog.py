""""Xóa hồ sơ…" (lãnh đạo, quản trị): asks for the reason, then soft-deletes the dossier.

The dossier leaves every list and statistic but stays in the database with its history; the
reason, the officer and the time are in the audit log.
"""

from __future__ import annotations

import uuid

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..services import deletion
from ..services.context import AppContext
from ..services.intake import ValidationFailed
from .common import error_text

ERROR_STYLE = "color: #b3261e;"


class DeleteDossierDialog(QDialog):
    deleted = Signal(str)  # the dossier's code

    def __init__(self, ctx: AppContext, dossier_id: uuid.UUID, code: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dossier_id = dossier_id
        self.code = code
        self.setObjectName("deleteDossierDialog")
        self.setWindowTitle(self.tr("Xóa hồ sơ {code}").format(code=code))
        text = QLabel(
            self.tr("Hồ sơ <b>{code}</b> sẽ không còn trong danh sách, thống kê và báo cáo. "
                    "Dữ liệu và lịch sử thay đổi vẫn được giữ lại.").format(code=code), self)
        text.setWordWrap(True)
        self.reason = QLineEdit(self)
        self.reason.setObjectName("deleteReason")
        self.reason.setPlaceholderText(self.tr("Lý do xóa, ví dụ: nhập trùng với hồ sơ khác"))
        self.message = QLabel(self)
        self.message.setObjectName("deleteMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(self)
        self.delete_button = buttons.addButton(self.tr("Xóa hồ sơ"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.delete_button.setObjectName("deleteButton")
        cancel = buttons.addButton(self.tr("Không xóa"), QDialogButtonBox.ButtonRole.RejectRole)
        cancel.setDefault(True)
        buttons.accepted.connect(self.delete)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addWidget(QLabel(self.tr("Lý do xóa (bắt buộc):"), self))
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(460)
        self.reason.setFocus()

    def delete(self) -> bool:
        try:
            deletion.delete_dossier(self.ctx, self.dossier_id, self.reason.text())
        except ValidationFailed as failed:
            self._show(" ".join(failed.errors.values()))
            return False
        except Exception as error:  # noqa: BLE001 - said in plain words (no right, conflict, disk …)
            message, detail = error_text(error)
            self._show(f"{message} {detail}".strip())
            return False
        self.accept()
        self.deleted.emit(self.code)
        return True

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)


__all__ = ["DeleteDossierDialog"]

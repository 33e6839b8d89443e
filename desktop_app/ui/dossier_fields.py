"""The fields the intake, dossier and action dialogs share: the applicant's rows, the ways of
checking a digital identity and of paying, date-time and money inputs, the red message under a
field.

Both dialogs keep their fields as attributes (``name_edit``, ``id_edit``…) and have
``_error(key, focus)``, ``_errors`` and ``_error_focus`` for the message under a field; the
functions here build the widgets once for both, so a field looks and behaves the same in each.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6.QtCore import QDateTime, QLocale, Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..services import setup

DATETIME_FORMAT = "HH:mm dd/MM/yyyy"
GREY = "color: #666;"
RED = "color: #b00020;"
ORANGE = "color: #a15c00;"
MAX_FEE = 100_000_000


def vietnamese_locale() -> QLocale:
    return QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


def to_qdatetime(value: datetime) -> QDateTime:
    return QDateTime(value.replace(second=0, microsecond=0))


def from_qdatetime(value: QDateTime) -> datetime:
    return value.toPython().replace(second=0, microsecond=0)


def make_datetime_edit(value: datetime, object_name: str) -> QDateTimeEdit:
    edit = QDateTimeEdit(to_qdatetime(value))
    edit.setObjectName(object_name)
    edit.setDisplayFormat(DATETIME_FORMAT)
    edit.setCalendarPopup(True)
    edit.setLocale(vietnamese_locale())
    return edit


def make_money_spin(object_name: str) -> QSpinBox:
    spin = QSpinBox()
    spin.setObjectName(object_name)
    spin.setLocale(vietnamese_locale())  # "1.234.000 đ"
    spin.setGroupSeparatorShown(True)
    spin.setRange(0, MAX_FEE)
    spin.setSingleStep(1000)
    spin.setSuffix(" đ")
    spin.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return spin


class ErrorLabel(QLabel):
    """A red message under a field, hidden while empty."""

    def __init__(self, key: str) -> None:
        super().__init__()
        self.setObjectName(f"error_{key}")
        self.setWordWrap(True)
        self.setStyleSheet(RED)
        self.hide()

    def set_message(self, text: str) -> None:
        self.setText(text)
        self.setVisible(bool(text))


def with_message(field: QWidget | QHBoxLayout, message: QLabel) -> QWidget:
    """``field`` with ``message`` under it, as one form cell."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(1)
    if isinstance(field, QWidget):
        layout.addWidget(field)
    else:
        layout.addLayout(field)
    layout.addWidget(message)
    return box


IDENTITY_METHODS = (
    ("csdl_dan_cu", "CSDL quốc gia về dân cư"),
    ("vneid", "VNeID"),
    ("giay_to", "Giấy tờ"),
)
PAYMENT_METHODS = (
    ("truc_tuyen", "Trực tuyến (Cổng DVCQG)"),
    ("tien_mat", "Tiền mặt"),
    ("chuyen_khoan", "Chuyển khoản"),
    ("mien", "Miễn, không thu"),
)


def add_applicant_rows(dialog: Any, form: QFormLayout, *, id_required: bool) -> None:
    """Add the applicant's rows to ``form``; the widgets become attributes of ``dialog``:
    ``name_edit``, ``id_edit``, ``no_id_box``, ``id_message``, ``phone_edit``, ``address_edit``,
    ``hamlet_combo`` (no hamlet chosen yet) and ``submitter_edit``."""
    tr = dialog.tr
    dialog.name_edit = QLineEdit()
    dialog.name_edit.setObjectName("applicantName")
    dialog.name_edit.setPlaceholderText(tr("Ví dụ: Nguyễn Thị Ánh"))
    form.addRow(tr("Họ tên chủ hồ sơ *"),
                with_message(dialog.name_edit, dialog._error("applicant_name", dialog.name_edit)))

    dialog.id_edit = QLineEdit()
    dialog.id_edit.setObjectName("idNumber")
    dialog.id_edit.setPlaceholderText(tr("12 chữ số CCCD (hoặc 9 số CMND cũ)"))
    dialog.id_edit.setMaxLength(20)
    dialog.no_id_box = QCheckBox(tr("Không có số định danh"))
    dialog.no_id_box.setObjectName("noIdNumber")
    dialog.no_id_box.setToolTip(tr("Ví dụ: trẻ mới sinh, người nước ngoài"))
    id_row = QHBoxLayout()
    id_row.addWidget(dialog.id_edit, 1)
    id_row.addWidget(dialog.no_id_box)
    dialog.id_message = QLabel()
    dialog.id_message.setObjectName("idMessage")
    dialog.id_message.setWordWrap(True)
    dialog._errors["id_number"] = ErrorLabel("id_number")  # service errors go to id_message
    dialog._error_focus["id_number"] = dialog.id_edit
    form.addRow(tr("Số định danh *") if id_required else tr("Số định danh"),
                with_message(id_row, dialog.id_message))

    dialog.phone_edit = QLineEdit()
    dialog.phone_edit.setObjectName("phone")
    dialog.phone_edit.setPlaceholderText(tr("Ví dụ: 0912345678"))
    dialog.phone_edit.setMaxLength(20)
    form.addRow(tr("Số điện thoại"), with_message(dialog.phone_edit, dialog._error("phone", dialog.phone_edit)))
    dialog.address_edit = QLineEdit()
    dialog.address_edit.setObjectName("address")
    form.addRow(tr("Địa chỉ"), dialog.address_edit)
    dialog.hamlet_combo = QComboBox()
    dialog.hamlet_combo.setObjectName("hamlet")
    dialog.hamlet_combo.setEditable(True)
    dialog.hamlet_combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    dialog.hamlet_combo.addItems(setup.list_hamlets(dialog.ctx))
    dialog.hamlet_combo.setCurrentIndex(-1)
    dialog.hamlet_combo.lineEdit().setPlaceholderText(tr("Chọn hoặc gõ thôn/xóm"))
    form.addRow(tr("Thôn/xóm"), dialog.hamlet_combo)
    dialog.submitter_edit = QLineEdit()
    dialog.submitter_edit.setObjectName("submitter")
    dialog.submitter_edit.setPlaceholderText(tr("Để trống nếu chủ hồ sơ tự nộp"))
    form.addRow(tr("Người nộp (nếu khác)"), dialog.submitter_edit)


def identity_method_combo(dialog: Any) -> QComboBox:
    """How the identity was checked (``identityMethod``), the stored value as item data."""
    combo = QComboBox()
    combo.setObjectName("identityMethod")
    for value, text in IDENTITY_METHODS:
        combo.addItem(dialog.tr(text), value)
    combo.setAccessibleName(dialog.tr("Cách xác thực định danh"))
    return combo


def payment_method_combo(dialog: Any, placeholder: str) -> QComboBox:
    """How the fee was paid (``paymentMethod``), nothing chosen until the officer picks one."""
    combo = QComboBox()
    combo.setObjectName("paymentMethod")
    for value, text in PAYMENT_METHODS:
        combo.addItem(dialog.tr(text), value)
    combo.setPlaceholderText(placeholder)
    combo.setCurrentIndex(-1)
    return combo


__all__ = [
    "DATETIME_FORMAT",
    "GREY",
    "IDENTITY_METHODS",
    "MAX_FEE",
    "ORANGE",
    "PAYMENT_METHODS",
    "RED",
    "ErrorLabel",
    "add_applicant_rows",
    "from_qdatetime",
    "identity_method_combo",
    "make_datetime_edit",
    "make_money_spin",
    "payment_method_combo",
    "to_qdatetime",
    "vietnamese_locale",
    "with_message",
]

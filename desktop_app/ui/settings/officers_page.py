"""Settings page "Cán bộ": the officers who use the counter, their roles, who still works here."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...services import accounts, setup
from ...services.accounts import AccountInput
from ...services.context import AppContext
from ...services.intake import ValidationFailed
from ...services.views import ROLE_LABELS, OfficerView
from ..common import show_error
from . import (
    error_label,
    label,
    push_button,
    read_only_table,
    select_row_with,
    selected_data,
    set_error,
    stretch_column,
    table_item,
    with_error,
    yes_no,
)

HEADERS = (
    QT_TRANSLATE_NOOP("OfficersPage", "Tên đăng nhập"),
    QT_TRANSLATE_NOOP("OfficersPage", "Họ và tên"),
    QT_TRANSLATE_NOOP("OfficersPage", "Vai trò"),
    QT_TRANSLATE_NOOP("OfficersPage", "Đang làm việc"),
)
COL_USERNAME, COL_NAME, COL_ROLE, COL_ACTIVE = range(4)


class OfficersPage(QWidget):
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("officersPage")
        self.officers: dict[uuid.UUID, OfficerView] = {}
        self.editing_id: uuid.UUID | None = None

        self.table = read_only_table("OfficersPage", HEADERS, name="officersTable")
        stretch_column(self.table, COL_NAME)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.form_title = QLabel()
        self.form_title.setStyleSheet("font-weight: bold;")
        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("chữ thường không dấu, ví dụ: lan.nt"))
        self.full_name = QLineEdit()
        self.full_name.setObjectName("full_name")
        self.full_name.setPlaceholderText(self.tr("Ví dụ: Nguyễn Thị Lan"))
        self.role = QComboBox()
        self.role.setObjectName("role")
        for code, text in ROLE_LABELS.items():
            self.role.addItem(label(text), code)
        self.active = QCheckBox(self.tr("Đang làm việc"))
        self.active.setObjectName("active")
        self.active.setChecked(True)
        self.password = QLineEdit()
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit()
        self.password_again.setObjectName("password_again")
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_hint = QLabel()
        self.password_hint.setObjectName("passwordHint")
        self.password_hint.setWordWrap(True)
        self.password_hint.setStyleSheet("color: #555555;")
        self.errors = {key: error_label() for key in ("username", "full_name", "role", "password")}
        self.general_error = error_label()
        self.status = QLabel()
        self.status.setObjectName("status")

        form = QFormLayout()
        form.addRow(self.form_title)
        form.addRow(self.tr("Tên đăng nhập:"), with_error(self.username, self.errors["username"]))
        form.addRow(self.tr("Họ và tên:"), with_error(self.full_name, self.errors["full_name"]))
        form.addRow(self.tr("Vai trò:"), with_error(self.role, self.errors["role"]))
        form.addRow("", self.active)
        form.addRow(self.tr("Mật khẩu:"), with_error(self.password, self.errors["password"]))
        form.addRow(self.tr("Nhập lại mật khẩu:"), self.password_again)
        form.addRow("", self.password_hint)
        self.save_button = push_button(self.tr("Lưu cán bộ"), self.save, name="saveOfficer")
        self.new_button = push_button(
            self.tr("Thêm cán bộ mới"), self.new_officer, name="newOfficer"
        )
        self.deactivate_button = push_button(
            self.tr("Cho nghỉ làm việc"), self.deactivate, name="deactivateOfficer"
        )
        self.deactivate_button.setToolTip(
            self.tr(
                "Cán bộ đã nghỉ không còn được chọn khi tiếp nhận; "
                "hồ sơ cũ vẫn giữ tên người tiếp nhận."
            )
        )
        form_buttons = QHBoxLayout()
        form_buttons.addWidget(self.save_button)
        form_buttons.addStretch(1)
        form.addRow(form_buttons)
        form.addRow(self.general_error)
        form.addRow(self.status)
        form_box = QGroupBox(self.tr("Thông tin cán bộ"))
        form_box.setLayout(form)
        form_box.setMinimumWidth(400)

        table_buttons = QHBoxLayout()
        table_buttons.addWidget(self.new_button)
        table_buttons.addWidget(self.deactivate_button)
        table_buttons.addStretch(1)
        left = QVBoxLayout()
        left.addWidget(self.table, 1)
        left.addLayout(table_buttons)
        layout = QHBoxLayout(self)
        layout.addLayout(left, 3)
        layout.addWidget(form_box, 2)

        for line in (self.username, self.full_name):
            line.returnPressed.connect(self.save)
        self.reload()
        self.new_officer()

    def reload(self, select: uuid.UUID | None = None) -> None:
        rows = setup.list_officers(self.ctx, include_inactive=True)
        # Working officers first; each group in Vietnamese order (the service's order).
        rows.sort(key=lambda o: not o.active)
        self.officers = {o.id: o for o in rows}
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for row, officer in enumerate(rows):
            gone = not officer.active
            self.table.setItem(
                row, COL_USERNAME, table_item(officer.username, officer.id, inactive=gone)
            )
            self.table.setItem(row, COL_NAME, table_item(officer.full_name, inactive=gone))
            self.table.setItem(
                row,
                COL_ROLE,
                table_item(label(ROLE_LABELS.get(officer.role, officer.role)), inactive=gone),
            )
            self.table.setItem(row, COL_ACTIVE, table_item(yes_no(officer.active), inactive=gone))
        self.table.clearSelection()
        self.table.blockSignals(False)
        if select is not None:
            select_row_with(self.table, select)
        self.deactivate_button.setEnabled(self._selected() is not None)

    def _selected(self) -> OfficerView | None:
        officer_id = selected_data(self.table)
        return self.officers.get(officer_id) if officer_id else None

    def _selection_changed(self) -> None:
        officer = self._selected()
        self.deactivate_button.setEnabled(officer is not None and officer.active)
        if officer is not None:
            self._edit(officer)

    def _edit(self, officer: OfficerView) -> None:
        self.editing_id = officer.id
        self.form_title.setText(self.tr("Sửa cán bộ: {0}").format(officer.full_name))
        self.username.setText(officer.username)
        self.full_name.setText(officer.full_name)
        self.role.setCurrentIndex(max(self.role.findData(officer.role), 0))
        self.active.setChecked(officer.active)
        self._clear_passwords(editing=True)
        self._clear_errors()

    def new_officer(self) -> None:
        self.editing_id = None
        self.table.clearSelection()
        self.form_title.setText(self.tr("Thêm cán bộ mới"))
        self.username.clear()
        self.full_name.clear()
        self.role.setCurrentIndex(0)
        self.active.setChecked(True)
        self._clear_passwords(editing=False)
        self._clear_errors()
        self.username.setFocus()

    def save(self) -> bool:
        self._clear_errors()
        self.status.clear()
        try:
            officer = accounts.save_account(
                self.ctx,
                AccountInput(self.username.text(), self.full_name.text(), self.role.currentData(),
                             self.active.isChecked(), self.password.text(), self.password_again.text()),
                self.editing_id,
            )
        except ValidationFailed as failed:
            self._show_errors(failed.errors)
            return False
        except Exception as error:  # noqa: BLE001
            show_error(self, error, self.tr("Chưa lưu được cán bộ"))
            return False
        self.reload(select=officer.id)
        self.status.setText(self.tr("Đã lưu cán bộ {0}.").format(officer.full_name))
        self.saved.emit()
        return True

    def deactivate(self) -> None:
        officer = self._selected()
        if officer is None or not officer.active:
            return
        try:
            accounts.save_account(
                self.ctx, AccountInput(officer.username, officer.full_name, officer.role, active=False), officer.id
            )
        except Exception as error:  # noqa: BLE001
            show_error(self, error, self.tr("Chưa lưu được cán bộ"))
            return
        self.reload(select=officer.id)
        self.status.setText(self.tr("{0} đã được ghi là nghỉ làm việc.").format(officer.full_name))
        self.saved.emit()

    def _clear_passwords(self, editing: bool) -> None:
        self.password.clear()
        self.password_again.clear()
        if editing:
            hint = self.tr("Để trống nếu không đổi. Gõ mật khẩu mới để đặt lại mật khẩu (và mở khóa) cho cán bộ này.")
        else:
            hint = self.tr("Ít nhất 8 ký tự. Cán bộ dùng mật khẩu này để đăng nhập, rồi tự đổi được.")
        self.password_hint.setText(hint)

    def _clear_errors(self) -> None:
        for widget in (*self.errors.values(), self.general_error):
            set_error(widget, "")

    def _show_errors(self, errors: dict[str, str]) -> None:
        others = [message for key, message in errors.items() if key not in self.errors]
        for key, message in errors.items():
            if key in self.errors:
                set_error(self.errors[key], message)
        set_error(self.general_error, " ".join(others))

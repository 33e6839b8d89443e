"""The login dialog, shown at start once any officer has a password (``services.accounts``).

A wrong password says how many attempts are left; after five the account is locked for five
minutes and the dialog says how many minutes remain. The user name of the last login is
remembered on this computer (never the password).
"""

from __future__ import annotations

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ..services import accounts, setup
from ..services.context import AppContext
from ..services.intake import ValidationFailed
from ..services.views import OfficerView
from .common import error_text

SETTINGS_USERNAME = "login/username"
ERROR_STYLE = "color: #b3261e;"


class LoginDialog(QDialog):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.officer: OfficerView | None = None
        self.setObjectName("loginDialog")
        self.setWindowTitle(self.tr("Đăng nhập — Sổ Một Cửa"))

        profile = setup.get_profile(ctx)
        title = QLabel(f"<b style='font-size:13pt'>{self.tr('Sổ Một Cửa')}</b>"
                       + (f"<br>{profile.unit_name}" if profile and profile.unit_name else ""), self)
        title.setTextFormat(Qt.TextFormat.RichText)
        title.setObjectName("loginTitle")

        self.username = QLineEdit(self)
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("ví dụ: lan.nt"))
        self.password = QLineEdit(self)
        self.password.setObjectName("password")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel(self)
        self.message.setObjectName("loginMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()

        form = QFormLayout()
        form.addRow(self.tr("Tên đăng nhập:"), self.username)
        form.addRow(self.tr("Mật khẩu:"), self.password)

        self.buttons = QDialogButtonBox(self)
        self.login_button = self.buttons.addButton(self.tr("Đăng nhập"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.login_button.setObjectName("loginButton")
        self.login_button.setDefault(True)
        self.quit_button = self.buttons.addButton(self.tr("Thoát"), QDialogButtonBox.ButtonRole.RejectRole)
        self.quit_button.setObjectName("quitButton")
        self.buttons.accepted.connect(self.try_login)
        self.buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)

        remembered = str(QSettings().value(SETTINGS_USERNAME, "") or "")
        self.username.setText(remembered)
        (self.password if remembered else self.username).setFocus()

    def show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def try_login(self) -> bool:
        username = self.username.text().strip()
        if not username:
            self.show_message(self.tr("Hãy nhập tên đăng nhập."))
            self.username.setFocus()
            return False
        try:
            self.officer = accounts.login(self.ctx, username, self.password.text())
        except accounts.LoginFailed as failed:
            self.password.clear()
            self.show_message(f"{failed.message} {failed.action}".strip())
            self.password.setFocus()
            return False
        except Exception as error:  # noqa: BLE001 - a database problem: said in plain words
            message, detail = error_text(error)
            self.show_message(f"{message} {detail}".strip())
            return False
        QSettings().setValue(SETTINGS_USERNAME, self.officer.username)
        self.password.clear()
        self.accept()
        return True


class ChangePasswordDialog(QDialog):
    """"Đổi mật khẩu…": the officer who is logged in changes their own password."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("changePasswordDialog")
        self.setWindowTitle(self.tr("Đổi mật khẩu"))
        self.old = self._password_edit("oldPassword")
        self.new = self._password_edit("newPassword")
        self.again = self._password_edit("newPasswordAgain")
        self.message = QLabel(self)
        self.message.setObjectName("passwordMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        self.message.hide()
        form = QFormLayout()
        form.addRow(self.tr("Mật khẩu hiện tại:"), self.old)
        form.addRow(self.tr("Mật khẩu mới:"), self.new)
        form.addRow(self.tr("Nhập lại mật khẩu mới:"), self.again)
        buttons = QDialogButtonBox(self)
        self.save_button = buttons.addButton(self.tr("Đổi mật khẩu"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.save_button.setObjectName("savePassword")
        buttons.addButton(self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole)
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)

    def _password_edit(self, name: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setEchoMode(QLineEdit.EchoMode.Password)
        return edit

    def save(self) -> bool:
        if self.ctx.officer_id is None:
            return False
        try:
            accounts.change_password(self.ctx, self.ctx.officer_id, self.old.text(), self.new.text(),
                                     self.again.text())
        except ValidationFailed as failed:
            self._show(" ".join(failed.errors.values()))
            return False
        except Exception as error:  # noqa: BLE001 - said in plain words
            message, detail = error_text(error)
            self._show(f"{message} {detail}".strip())
            return False
        self.accept()
        return True

    def _show(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(True)


__all__ = ["ChangePasswordDialog", "LoginDialog"]

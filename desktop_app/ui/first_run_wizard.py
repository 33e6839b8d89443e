"""The first-run wizard: the commune's profile, its hamlets and the first (administrator) officer.

Shown by ``ui.app.run`` while ``services.setup.is_configured`` is false. Nothing is written until
Finish; then the profile, the hamlets and the officer are saved (each a short transaction), and
a failure is shown in Vietnamese with the wizard left open so the user can correct it.
"""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from ..domain.codes import format_code
from ..domain.text import fold
from ..services import accounts, setup
from ..services.context import AppContext
from ..services.intake import ValidationFailed
from ..services.views import OfficerView, ProfileView
from .common import show_error, show_message

ERROR_STYLE = "color: #b3261e;"
HINT_STYLE = "color: #555555;"

# The same rule services.setup.save_officer applies; checked here only to guide the typing.
_USERNAME = re.compile(r"^[a-z0-9._-]{2,60}$")


def suggest_username(full_name: str) -> str:
    """"Nguyễn Thị Lan" → "lan.nt" (given name, then the initials of the other names)."""
    words = fold(full_name).split()
    words = ["".join(ch for ch in word if ch.isalnum()) for word in words]
    words = [word for word in words if word]
    if not words:
        return ""
    given, others = words[-1], words[:-1]
    initials = "".join(word[0] for word in others)
    return f"{given}.{initials}" if initials else given


def _error_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setStyleSheet(ERROR_STYLE)
    label.setWordWrap(True)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    label.hide()
    return label


def _hint_label(parent: QWidget, text: str) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(HINT_STYLE)
    label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
    return label


class WelcomePage(QWizardPage):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("welcomePage")
        self.setTitle(self.tr("Chào mừng đến với Sổ Một Cửa"))
        text = QLabel(
            self.tr(
                "<p>Sổ Một Cửa là sổ theo dõi hồ sơ thủ tục hành chính của Bộ phận Một cửa, "
                "chạy ngay trên máy tính này, không cần mạng.</p>"
                "<p>Mỗi hồ sơ được ghi từ lúc tiếp nhận đến khi trả kết quả, kèm danh sách số hóa "
                "thành phần hồ sơ, xác thực định danh và thanh toán. Chương trình cảnh báo ngay những "
                "thiếu sót làm mất điểm theo Quyết định 766/QĐ-TTg và in báo cáo tuần.</p>"
                "<p>Trước khi bắt đầu, hãy khai báo <b>thông tin đơn vị</b> (dùng cho mã hồ sơ, "
                "phiếu in và báo cáo) và <b>cán bộ quản trị</b> đầu tiên. Các thông tin này sửa "
                "lại được trong mục Cài đặt.</p>"
            ),
            self,
        )
        text.setWordWrap(True)
        text.setTextFormat(Qt.TextFormat.RichText)
        layout = QVBoxLayout(self)
        layout.addWidget(text)
        layout.addStretch(1)


class ProfilePage(QWizardPage):
    """Thông tin đơn vị, with the messages of ``setup.validate_profile`` under each field."""

    FIELDS = ("unit_name", "parent_agency", "province", "place_name", "unit_code", "head_name", "head_title")

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setObjectName("profilePage")
        self.setTitle(self.tr("Thông tin đơn vị"))
        self.setSubTitle(self.tr("Các ô có dấu * là bắt buộc. Có thể sửa lại sau trong Cài đặt."))
        self._touched: set[str] = set()
        self.errors: dict[str, str] = {}

        self.unit_name = self._line("unitName", self.tr("Ví dụ: UBND xã Phú Lạc"))
        self.parent_agency = self._line("parentAgency", self.tr("Ví dụ: UBND tỉnh Thái Nguyên"))
        self.province = self._line("province", self.tr("Ví dụ: Thái Nguyên"))
        self.place_name = self._line("placeName", self.tr("Ví dụ: Phú Lạc (in trên dòng “Phú Lạc, ngày … tháng … năm …”)"))
        self.unit_code = self._line("unitCode", self.tr("Ví dụ: 000.00.53.H48"))
        self.head_name = self._line("headName", self.tr("Ví dụ: Nguyễn Văn Hùng"))
        self.head_title = self._line("headTitle", self.tr("Ví dụ: Chủ tịch UBND xã"))
        self.e_copy = QCheckBox(self.tr("Đơn vị đã cung cấp chứng thực bản sao điện tử"), self)
        self.e_copy.setObjectName("offersECopy")
        self.hamlets = QPlainTextEdit(self)
        self.hamlets.setObjectName("hamlets")
        self.hamlets.setPlaceholderText(self.tr("Mỗi dòng một thôn/xóm, ví dụ:\nXóm Đồng Bầu\nXóm Na Mao"))
        self.hamlets.setTabChangesFocus(True)
        line = self.hamlets.fontMetrics().lineSpacing()
        self.hamlets.setFixedHeight(line * 5 + 16)

        self.error_labels = {name: _error_label(self, f"{_camel(name)}Error") for name in self.FIELDS}
        self.code_hint = _hint_label(self, "")
        self.code_hint.setObjectName("unitCodeHint")

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.setVerticalSpacing(4)
        self.form = form
        for label, name in (
            (self.tr("Tên đơn vị *"), "unit_name"),
            (self.tr("Cơ quan chủ quản"), "parent_agency"),
            (self.tr("Tỉnh, thành phố"), "province"),
            (self.tr("Địa danh *"), "place_name"),
            (self.tr("Mã đơn vị *"), "unit_code"),
            (self.tr("Họ tên lãnh đạo"), "head_name"),
            (self.tr("Chức vụ lãnh đạo"), "head_title"),
        ):
            edit: QLineEdit = getattr(self, name)
            cell = QVBoxLayout()
            cell.setSpacing(1)
            cell.addWidget(edit)
            if name == "unit_code":
                cell.addWidget(self.code_hint)
            cell.addWidget(self.error_labels[name])
            caption = QLabel(label, self)
            caption.setBuddy(edit)
            form.addRow(caption, cell)
        form.addRow("", self.e_copy)
        form.addRow(self.tr("Thôn, xóm, tổ dân phố"), self.hamlets)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addStretch(1)

        for name in self.FIELDS:
            edit = getattr(self, name)
            edit.textChanged.connect(self._changed)
            edit.textEdited.connect(lambda _text, n=name: self._touch(n))
            edit.editingFinished.connect(lambda n=name: self._touch(n))
        self.prefill()
        self._changed()

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit(self)
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def prefill(self) -> None:
        """A profile saved by an earlier, interrupted run (no officer yet) is shown again."""
        profile = setup.get_profile(self._ctx)
        if profile is not None:
            for name in self.FIELDS:
                getattr(self, name).setText(getattr(profile, name))
            self.e_copy.setChecked(profile.offers_e_certified_copy)
        hamlets = setup.list_hamlets(self._ctx)
        if hamlets:
            self.hamlets.setPlainText("\n".join(hamlets))

    def profile_input(self) -> setup.ProfileInput:
        return setup.ProfileInput(
            unit_name=self.unit_name.text(),
            unit_code=self.unit_code.text(),
            parent_agency=self.parent_agency.text(),
            province=self.province.text(),
            place_name=self.place_name.text(),
            head_name=self.head_name.text(),
            head_title=self.head_title.text(),
            offers_e_certified_copy=self.e_copy.isChecked(),
        )

    def hamlet_names(self) -> list[str]:
        return [line.strip() for line in self.hamlets.toPlainText().splitlines() if line.strip()]

    def _touch(self, name: str) -> None:
        if name not in self._touched:
            self._touched.add(name)
            self._show_errors()

    def _changed(self) -> None:
        self.errors = setup.validate_profile(self.profile_input())
        code = self.unit_code.text().strip()
        example = format_code(code or "000.00.53.H48", self._ctx.clock().date(), 1)
        self.code_hint.setText(
            self.tr("Mã đơn vị đứng đầu mã hồ sơ, ví dụ: {example}").format(example=example)
        )
        self._show_errors()
        self.completeChanged.emit()

    def _show_errors(self) -> None:
        for name, label in self.error_labels.items():
            message = self.errors.get(name, "") if name in self._touched else ""
            label.setText(message)
            label.setVisible(bool(message))

    def show_errors(self, errors: dict[str, str]) -> None:
        """Show messages from the service (e.g. after a failed save) under their fields."""
        self.errors = dict(errors)
        self._touched.update(errors)
        self._show_errors()
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        return not self.errors


class OfficerPage(QWizardPage):
    """The first officer, who administers the app (role "quan_tri")."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("officerPage")
        self.setTitle(self.tr("Cán bộ quản trị"))
        self.setSubTitle(
            self.tr("Người đầu tiên dùng chương trình, được quyền sửa cài đặt, danh mục thủ tục và thêm cán bộ khác.")
        )
        self._touched: set[str] = set()
        self._username_edited = False
        self.errors: dict[str, str] = {}

        self.full_name = QLineEdit(self)
        self.full_name.setObjectName("officerFullName")
        self.full_name.setPlaceholderText(self.tr("Ví dụ: Nguyễn Thị Lan"))
        self.username = QLineEdit(self)
        self.username.setObjectName("officerUsername")
        self.username.setPlaceholderText(self.tr("Ví dụ: lan.nt"))
        self.password = QLineEdit(self)
        self.password.setObjectName("officerPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_again = QLineEdit(self)
        self.password_again.setObjectName("officerPasswordAgain")
        self.password_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.role_label = QLabel(self.tr("Quản trị"), self)
        self.role_label.setObjectName("officerRole")
        self.error_labels = {
            "full_name": _error_label(self, "officerFullNameError"),
            "username": _error_label(self, "officerUsernameError"),
            "password": _error_label(self, "officerPasswordError"),
            "password_again": _error_label(self, "officerPasswordAgainError"),
        }
        note = _hint_label(
            self,
            self.tr("Tên đăng nhập viết thường, không dấu, không khoảng trắng. Mật khẩu có ít nhất 8 ký tự; "
                    "mỗi lần mở chương trình cần đăng nhập. Quản trị thêm tài khoản cho cán bộ khác "
                    "trong Cài đặt › Cán bộ."),
        )

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        for label, edit, name in (
            (self.tr("Họ và tên *"), self.full_name, "full_name"),
            (self.tr("Tên đăng nhập *"), self.username, "username"),
            (self.tr("Mật khẩu *"), self.password, "password"),
            (self.tr("Nhập lại mật khẩu *"), self.password_again, "password_again"),
        ):
            cell = QVBoxLayout()
            cell.setSpacing(1)
            cell.addWidget(edit)
            cell.addWidget(self.error_labels[name])
            caption = QLabel(label, self)
            caption.setBuddy(edit)
            form.addRow(caption, cell)
        form.addRow(self.tr("Vai trò"), self.role_label)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addSpacing(8)
        layout.addWidget(note)
        layout.addStretch(1)

        self.full_name.textChanged.connect(self._name_changed)
        self.username.textEdited.connect(self._username_typed)
        self.username.textChanged.connect(self._changed)
        self.full_name.editingFinished.connect(lambda: self._touch("full_name"))
        self.username.editingFinished.connect(lambda: self._touch("username"))
        for name, edit in (("password", self.password), ("password_again", self.password_again)):
            edit.textChanged.connect(self._changed)
            edit.editingFinished.connect(lambda n=name: self._touch(n))
        self._changed()

    def _name_changed(self) -> None:
        if not self._username_edited:
            self.username.setText(suggest_username(self.full_name.text()))
        self._touched.add("full_name")
        self._changed()

    def _username_typed(self) -> None:
        self._username_edited = bool(self.username.text())
        self._touched.add("username")

    def _touch(self, name: str) -> None:
        self._touched.add(name)
        self._show_errors()

    def _changed(self) -> None:
        errors = {}
        if not self.full_name.text().strip():
            errors["full_name"] = self.tr("Chưa nhập họ tên cán bộ.")
        if not _USERNAME.match(self.username.text().strip().lower()):
            errors["username"] = self.tr(
                "Tên đăng nhập gồm 2–60 chữ thường không dấu, số, dấu chấm, gạch (ví dụ: lan.nt)."
            )
        problem = accounts.password_problem(self.password.text())
        if problem:
            errors["password"] = self.tr(problem)
        elif self.password_again.text() != self.password.text():
            errors["password_again"] = self.tr("Hai lần nhập mật khẩu không giống nhau.")
        self.errors = errors
        self._show_errors()
        self.completeChanged.emit()

    def _show_errors(self) -> None:
        for name, label in self.error_labels.items():
            message = self.errors.get(name, "") if name in self._touched else ""
            label.setText(message)
            label.setVisible(bool(message))

    def show_errors(self, errors: dict[str, str]) -> None:
        self.errors = {k: v for k, v in errors.items() if k in self.error_labels}
        self._touched.update(self.errors)
        self._show_errors()

    def isComplete(self) -> bool:
        return not self.errors

    def validatePage(self) -> bool:
        wizard = self.wizard()
        return wizard.save() if isinstance(wizard, FirstRunWizard) else True


class FirstRunWizard(QWizard):
    """Profile, hamlets and the first officer; ``exec()``/``open()`` result Accepted once saved."""

    PAGE_WELCOME, PAGE_PROFILE, PAGE_OFFICER = range(3)

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.profile: ProfileView | None = None
        self.officer: OfficerView | None = None
        self.setObjectName("firstRunWizard")
        self.setWindowTitle(self.tr("Thiết lập lần đầu — Sổ Một Cửa"))
        self.setWizardStyle(QWizard.WizardStyle.ModernStyle)
        self.setOption(QWizard.WizardOption.NoBackButtonOnStartPage, True)
        self.setButtonText(QWizard.WizardButton.BackButton, self.tr("< &Quay lại"))
        self.setButtonText(QWizard.WizardButton.NextButton, self.tr("&Tiếp theo >"))
        self.setButtonText(QWizard.WizardButton.FinishButton, self.tr("&Hoàn tất"))
        self.setButtonText(QWizard.WizardButton.CancelButton, self.tr("&Hủy"))
        self.setButtonText(QWizard.WizardButton.CommitButton, self.tr("&Lưu"))
        self.setButtonText(QWizard.WizardButton.HelpButton, self.tr("Trợ &giúp"))
        self.welcome_page = WelcomePage(self)
        self.profile_page = ProfilePage(ctx, self)
        self.officer_page = OfficerPage(self)
        self.setPage(self.PAGE_WELCOME, self.welcome_page)
        self.setPage(self.PAGE_PROFILE, self.profile_page)
        self.setPage(self.PAGE_OFFICER, self.officer_page)
        self.setMinimumSize(720, 600)

    def save(self) -> bool:
        """Write profile, hamlets and officer; on failure show why and stay open."""
        try:
            self.profile = setup.save_profile(self.ctx, self.profile_page.profile_input())
        except ValidationFailed as error:
            self.profile_page.show_errors(error.errors)
            self._show_invalid(self.tr("Chưa lưu được thông tin đơn vị"), error)
            return False
        except Exception as error:
            show_error(self, error, self.tr("Chưa lưu được thông tin đơn vị"))
            return False
        try:
            setup.set_hamlets(self.ctx, self.profile_page.hamlet_names())
        except Exception as error:
            show_error(self, error, self.tr("Chưa lưu được danh sách thôn, xóm"))
            return False
        try:
            page = self.officer_page
            self.officer = accounts.create_administrator(
                self.ctx, page.username.text(), page.full_name.text(), page.password.text(),
                page.password_again.text(),
            )
        except ValidationFailed as error:
            self.officer_page.show_errors(error.errors)
            self._show_invalid(self.tr("Chưa lưu được cán bộ quản trị"), error)
            return False
        except Exception as error:
            show_error(self, error, self.tr("Chưa lưu được cán bộ quản trị"))
            return False
        self.ctx.officer_id = self.officer.id  # the administrator goes on without logging in again
        return True

    def _show_invalid(self, title: str, error: ValidationFailed) -> None:
        # ValidationFailed's own message speaks of a dossier ("Hồ sơ chưa lưu được"): say it plainly.
        show_message(self, title, "\n".join(error.errors.values()),
                     self.tr("Hãy sửa các ô được đánh dấu rồi bấm “Hoàn tất” lại."), QMessageBox.Icon.Warning)


def _camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)


__all__ = ["FirstRunWizard", "suggest_username"]

"""Login dialog, roles in the main window, "Xóa hồ sơ…" and the "Lịch sử thay đổi" tab."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QDialog

from desktop_app.services import accounts, dossiers
from desktop_app.services.accounts import AccountInput
from desktop_app.ui.audit_history import COL_NEW, COL_OFFICER, COL_OLD, COL_WHAT
from desktop_app.ui.login_dialog import LoginDialog
from desktop_app.ui.main_window import MainWindow

from .conftest import send_text

PASSWORD = "mật khẩu 2026"


@pytest.fixture
def accounts_ctx(ctx):
    """Accounts on: lan.nt (quản trị) and hoa.tt (cán bộ tiếp nhận) have passwords."""
    accounts.reset_password(ctx, ctx.test_officer_id, PASSWORD)
    ctx.officer_id = ctx.test_officer_id
    accounts.save_account(ctx, AccountInput("hoa.tt", "Trần Thị Hoa", "tiep_nhan", password="hoa-12345"))
    ctx.officer_id = None
    return ctx


@pytest.fixture
def login(accounts_ctx, qtbot) -> LoginDialog:
    dialog = LoginDialog(accounts_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    return dialog


def _type_login(dialog: LoginDialog, username: str, password: str) -> None:
    dialog.username.clear()
    dialog.username.setFocus()
    send_text(dialog.username, username)
    dialog.password.setFocus()
    send_text(dialog.password, password)  # QKeyEvents: Vietnamese characters are safe
    dialog.login_button.click()


def test_login_with_the_right_password(login, accounts_ctx):
    _type_login(login, "lan.nt", PASSWORD)
    assert login.result() == QDialog.DialogCode.Accepted
    assert accounts_ctx.officer_id == accounts_ctx.test_officer_id
    assert login.officer.full_name == "Nguyễn Thị Lan"
    assert login.password.text() == ""  # not kept in the widget


def test_wrong_password_says_attempts_left_then_locks_with_minutes(login, accounts_ctx, clock):
    assert login.password.echoMode() == login.password.EchoMode.Password
    _type_login(login, "lan.nt", "sai mật khẩu")
    assert login.isVisible() and login.message.isVisible()
    assert login.message.text() == ("Mật khẩu không đúng. Còn 4 lần thử trước khi tài khoản bị khóa 5 phút.")
    assert login.password.text() == ""
    for _ in range(4):
        send_text(login.password, "sai")
        login.login_button.click()
    assert login.message.text().startswith("Sai mật khẩu 5 lần: tài khoản bị khóa 5 phút.")
    clock.now += timedelta(minutes=1)
    send_text(login.password, PASSWORD)
    login.login_button.click()
    assert "Hãy thử lại sau 4 phút" in login.message.text()
    assert login.result() != QDialog.DialogCode.Accepted and accounts_ctx.officer_id is None
    clock.now += timedelta(minutes=4)
    send_text(login.password, PASSWORD)
    login.login_button.click()
    assert login.result() == QDialog.DialogCode.Accepted


def test_the_user_name_is_remembered(login, accounts_ctx, qtbot):
    _type_login(login, "hoa.tt", "hoa-12345")
    again = LoginDialog(accounts_ctx)
    qtbot.addWidget(again)
    assert again.username.text() == "hoa.tt"


def _window(ctx, qtbot) -> MainWindow:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def test_receiving_officer_cannot_reach_settings_scoring_or_delete(accounts_ctx, qtbot):
    accounts.login(accounts_ctx, "hoa.tt", "hoa-12345")
    win = _window(accounts_ctx, qtbot)
    for action in (win.settings_action, win.scoring_action, win.delete_action):
        assert not action.isEnabled() and not action.isVisible()
    assert win.intake_action.isEnabled()
    assert not win.dashboard.editor_button.isEnabled()  # "Chiến dịch…"
    assert win.officer_label.text() == "Đăng nhập: Trần Thị Hoa (Cán bộ tiếp nhận)"
    assert win.windowTitle().endswith("— Trần Thị Hoa")
    assert not win.officer_picker.isEnabled()
    assert win.current_officer_id() == accounts_ctx.officer_id


def test_without_passwords_the_picker_chooses_the_acting_officer(ctx, qtbot):
    win = _window(ctx, qtbot)
    assert win.officer_picker.isEnabled() and not win.officer_label.isVisible()
    assert ctx.officer_id == ctx.test_officer_id
    assert all(a.isEnabled() for a in (win.settings_action, win.scoring_action, win.delete_action))


def test_administrator_deletes_a_dossier_with_a_reason(accounts_ctx, make_dossier, qtbot):
    accounts.login(accounts_ctx, "lan.nt", PASSWORD)
    code = make_dossier("Đặng Thị Ánh")
    win = _window(accounts_ctx, qtbot)
    assert win.delete_action.isEnabled()
    win.table.setCurrentIndex(win.model.index(0, 0))
    win.delete_action.trigger()
    dialog = win.delete_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.delete_button.click()  # no reason yet
    assert dialog.isVisible() and "lý do" in dialog.message.text()
    dialog.reason.setFocus()
    send_text(dialog.reason, "nhập trùng hồ sơ")
    dialog.delete_button.click()
    assert not dialog.isVisible()
    assert win.model.rowCount() == 0
    assert dossiers.find_by_code(accounts_ctx, code) is None
    assert "Đã xóa hồ sơ" in win.statusBar().currentMessage()


def test_history_tab_shows_who_changed_what(ctx, make_dossier, qtbot, clock):
    from desktop_app.ui.dossier_dialog import DossierDialog

    ctx.officer_id = ctx.test_officer_id
    view = dossiers.find_by_code(ctx, make_dossier("Đặng Thị Ánh", phone="0912345678"))
    dialog = DossierDialog(ctx, view.id, ctx.officer_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    history = dialog.audit_history
    assert dialog.tabs.tabText(dialog.tabs.indexOf(history)) == "Lịch sử thay đổi"
    assert history.row_texts(history.table.rowCount() - 1)[COL_WHAT] == "Tiếp nhận hồ sơ"
    clock.now += timedelta(minutes=30)
    dialog.phone_edit.clear()
    dialog.phone_edit.setFocus()
    send_text(dialog.phone_edit, "0977111222")
    dialog.save_button.click()
    newest = history.row_texts(0)  # newest first
    assert newest[COL_WHAT] == "Số điện thoại"
    assert (newest[COL_OLD], newest[COL_NEW], newest[COL_OFFICER]) == ("0912345678", "0977111222", "Nguyễn Thị Lan")
    assert newest[0] == f"{clock.now:%H:%M %d/%m/%Y}"


def test_administrator_adds_an_officer_with_a_password_and_resets_one(accounts_ctx, qtbot):
    from desktop_app.ui.settings_dialog import SettingsDialog

    accounts.login(accounts_ctx, "lan.nt", PASSWORD)
    dialog = SettingsDialog(accounts_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    page = dialog.show_page("officers")
    page.new_officer()
    send_text(page.username, "minh.lv")
    page.full_name.setFocus()
    send_text(page.full_name, "Lê Văn Minh")
    page.role.setCurrentIndex(page.role.findData("lanh_dao"))
    assert not page.save()  # accounts are on: a new officer needs a password
    assert page.errors["password"].text() == "Cán bộ mới cần có mật khẩu để đăng nhập."
    send_text(page.password, "minh-2026")
    send_text(page.password_again, "minh-2025")
    assert not page.save()
    assert page.errors["password"].text() == "Hai lần nhập mật khẩu không giống nhau."
    page.password_again.clear()
    send_text(page.password_again, "minh-2026")
    assert page.save()
    assert accounts.login(accounts_ctx, "minh.lv", "minh-2026").role == "lanh_dao"
    # reset hoa.tt's password (she forgot it): type a new one on her row and save
    accounts.login(accounts_ctx, "lan.nt", PASSWORD)
    hoa = next(o for o in page.officers.values() if o.username == "hoa.tt")
    page._edit(hoa)
    assert page.password.text() == ""
    send_text(page.password, "hoa-moi-2026")
    send_text(page.password_again, "hoa-moi-2026")
    assert page.save()
    assert accounts.login(accounts_ctx, "hoa.tt", "hoa-moi-2026").username == "hoa.tt"


def test_an_officer_changes_their_own_password(accounts_ctx, qtbot):
    accounts.login(accounts_ctx, "hoa.tt", "hoa-12345")
    win = _window(accounts_ctx, qtbot)
    assert win.password_action.isVisible()
    win.password_action.trigger()
    dialog = win.password_dialog
    send_text(dialog.old, "sai-12345")
    send_text(dialog.new, "hoa-moi-2026")
    send_text(dialog.again, "hoa-moi-2026")
    dialog.save_button.click()
    assert dialog.isVisible() and dialog.message.text() == "Mật khẩu hiện tại không đúng."
    dialog.old.clear()
    send_text(dialog.old, "hoa-12345")
    dialog.save_button.click()
    assert not dialog.isVisible()
    assert accounts.login(accounts_ctx, "hoa.tt", "hoa-moi-2026").username == "hoa.tt"

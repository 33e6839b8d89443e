"""Accounts: argon2 hashes, login with lock-out on a fixed clock, roles, soft delete."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from desktop_app.domain.roles import Permission
from desktop_app.services import accounts, audit, deletion, dossiers, intake, setup
from desktop_app.services.accounts import AccountInput, LoginFailed, PermissionDenied
from desktop_app.services.intake import ValidationFailed
from desktop_app.storage.models import Dossier, Officer

from .helpers import draft

PASSWORD = "mật khẩu 2026"


def _stored_hash(ctx, username: str) -> str | None:
    with ctx.read() as session:
        return session.scalar(select(Officer.password_hash).where(Officer.username == username))


def test_argon2_hash_and_verify():
    stored = accounts.hash_password(PASSWORD)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.password_matches(stored, PASSWORD)
    assert not accounts.password_matches(stored, "mat khau 2026")
    assert not accounts.password_matches(None, PASSWORD)
    assert not accounts.password_matches("không phải hash", PASSWORD)
    assert accounts.hash_password(PASSWORD) != stored  # salted


def test_password_rules():
    assert accounts.password_problem("ngắn") == "Mật khẩu cần ít nhất 8 ký tự."
    assert "giống nhau" in accounts.password_problem("12345678", "12345679")
    assert accounts.password_problem("12345678", "12345678") == ""


@pytest.fixture
def admin_ctx(services_ctx):
    """Accounts are on: the administrator lan.nt has a password and is logged in."""
    accounts.reset_password(services_ctx, services_ctx.test_officer_id, PASSWORD)
    accounts.login(services_ctx, "lan.nt", PASSWORD)
    return services_ctx


def test_login_sets_the_officer_of_the_context(services_ctx):
    assert not accounts.accounts_enabled(services_ctx)
    accounts.reset_password(services_ctx, services_ctx.test_officer_id, PASSWORD, PASSWORD)
    assert accounts.accounts_enabled(services_ctx)
    assert _stored_hash(services_ctx, "lan.nt").startswith("$argon2id$")
    officer = accounts.login(services_ctx, " LAN.NT ", PASSWORD)
    assert officer.full_name == "Nguyễn Thị Lan" and services_ctx.officer_id == officer.id


def test_five_failures_lock_the_account_for_five_minutes(services_ctx, clock):
    accounts.reset_password(services_ctx, services_ctx.test_officer_id, PASSWORD)
    for attempt in range(1, 5):
        with pytest.raises(LoginFailed) as info:
            accounts.login(services_ctx, "lan.nt", "sai mật khẩu")
        assert info.value.remaining == 5 - attempt
        assert f"Còn {5 - attempt} lần thử" in info.value.action
    with pytest.raises(LoginFailed) as info:
        accounts.login(services_ctx, "lan.nt", "sai mật khẩu")
    assert info.value.locked_minutes == 5 and "khóa 5 phút" in info.value.message
    # locked: even the right password is refused, with the minutes left
    clock.now += timedelta(minutes=2, seconds=30)
    with pytest.raises(LoginFailed) as info:
        accounts.login(services_ctx, "lan.nt", PASSWORD)
    assert info.value.locked_minutes == 3 and "sau 3 phút" in info.value.action
    assert services_ctx.officer_id is None
    # five minutes after the fifth failure the account opens again
    clock.now = datetime(2026, 2, 12, 10, 5)
    assert accounts.login(services_ctx, "lan.nt", PASSWORD).username == "lan.nt"
    with services_ctx.read() as session:
        row = session.scalar(select(Officer).where(Officer.username == "lan.nt"))
        assert (row.failed_logins, row.locked_until) == (0, None)


def test_a_success_resets_the_failure_count(services_ctx):
    accounts.reset_password(services_ctx, services_ctx.test_officer_id, PASSWORD)
    for _ in range(4):
        with pytest.raises(LoginFailed):
            accounts.login(services_ctx, "lan.nt", "sai")
    accounts.login(services_ctx, "lan.nt", PASSWORD)
    with pytest.raises(LoginFailed) as info:
        accounts.login(services_ctx, "lan.nt", "sai")
    assert info.value.remaining == 4


def test_unknown_or_inactive_user_gets_the_same_message(services_ctx):
    accounts.reset_password(services_ctx, services_ctx.test_officer_id, PASSWORD)
    with pytest.raises(LoginFailed) as unknown:
        accounts.login(services_ctx, "ai.do", PASSWORD)
    assert unknown.value.message == "Tên đăng nhập hoặc mật khẩu không đúng."
    assert unknown.value.remaining is None


def test_change_password_checks_the_old_one(admin_ctx):
    officer_id = admin_ctx.officer_id
    with pytest.raises(ValidationFailed) as info:
        accounts.change_password(admin_ctx, officer_id, "sai rồi", "mật khẩu mới 1", "mật khẩu mới 1")
    assert "old_password" in info.value.errors
    accounts.change_password(admin_ctx, officer_id, PASSWORD, "mật khẩu mới 1", "mật khẩu mới 1")
    with pytest.raises(LoginFailed):
        accounts.login(admin_ctx, "lan.nt", PASSWORD)
    assert accounts.login(admin_ctx, "lan.nt", "mật khẩu mới 1").username == "lan.nt"


def test_receiving_officer_may_not_manage_accounts_catalogue_or_delete(admin_ctx):
    clerk = accounts.save_account(admin_ctx, AccountInput("hoa.tt", "Trần Thị Hoa", "tiep_nhan",
                                                          password="hoa-12345", password_again="hoa-12345"))
    accounts.login(admin_ctx, "hoa.tt", "hoa-12345")
    assert admin_ctx.officer_id == clerk.id
    assert accounts.can(admin_ctx, Permission.RECEIVE)
    for permission in (Permission.MANAGE_ACCOUNTS, Permission.EDIT_CATALOGUE, Permission.DELETE_DOSSIER):
        assert not accounts.can(admin_ctx, permission)
    with pytest.raises(PermissionDenied) as info:
        accounts.save_account(admin_ctx, AccountInput("x.y", "X Y", "quan_tri", password="12345678"))
    assert info.value.message == "Bạn không có quyền quản lý tài khoản cán bộ."
    view = dossiers.find_by_code(admin_ctx, intake.receive_dossier(admin_ctx, draft(admin_ctx)))
    with pytest.raises(PermissionDenied, match="xóa hồ sơ"):
        deletion.delete_dossier(admin_ctx, view.id, "nhập trùng")
    assert dossiers.get_dossier(admin_ctx, view.id).code == view.code


def test_a_new_officer_needs_a_password_once_accounts_are_on(admin_ctx):
    with pytest.raises(ValidationFailed) as info:
        accounts.save_account(admin_ctx, AccountInput("hoa.tt", "Trần Thị Hoa", "tiep_nhan"))
    assert "password" in info.value.errors


def test_the_last_administrator_stays(admin_ctx):
    with pytest.raises(ValidationFailed) as info:
        accounts.save_account(admin_ctx, AccountInput("lan.nt", "Nguyễn Thị Lan", "tiep_nhan"),
                              admin_ctx.officer_id)
    assert "ít nhất một quản trị" in info.value.errors["role"]


def test_without_passwords_everyone_may_do_everything(services_ctx):
    """A single-user install (no password set) keeps working without a login."""
    assert services_ctx.officer_id is None
    assert all(accounts.can(services_ctx, p) for p in Permission)
    accounts.require(services_ctx, Permission.DELETE_DOSSIER)


def test_soft_delete_with_a_reason_hides_the_dossier_and_is_audited(admin_ctx, clock):
    view = dossiers.find_by_code(admin_ctx, intake.receive_dossier(admin_ctx, draft(admin_ctx)))
    with pytest.raises(ValidationFailed):
        deletion.delete_dossier(admin_ctx, view.id, "  ")
    clock.now = datetime(2026, 2, 12, 16, 0)
    assert deletion.delete_dossier(admin_ctx, view.id, "nhập trùng hồ sơ", view.version) == view.code
    assert dossiers.find_by_code(admin_ctx, view.code) is None
    assert setup.dossier_total(admin_ctx) == 0
    with admin_ctx.read() as session:
        row = session.get(Dossier, view.id)
        assert (row.deleted_at, row.delete_reason) == (datetime(2026, 2, 12, 16, 0), "nhập trùng hồ sơ")
    history = audit.dossier_history(admin_ctx, view.id)
    reason = next(h for h in history if h.field == "delete_reason")
    assert (reason.what, reason.new, reason.officer) == ("Lý do xóa", "nhập trùng hồ sơ", "Nguyễn Thị Lan")


def test_cli_default_officer(services_ctx):
    assert accounts.default_officer(services_ctx).username == "lan.nt"  # the only officer
    setup.save_officer(services_ctx, "hoa.tt", "Trần Thị Hoa")
    assert accounts.default_officer(services_ctx) is None  # two officers: nobody by default
    accounts.set_default_officer(services_ctx, "hoa.tt")
    assert accounts.default_officer(services_ctx).username == "hoa.tt"
    with pytest.raises(accounts.UserFixableError, match="Không có cán bộ nào"):
        accounts.officer_by_username(services_ctx, "khong.co")

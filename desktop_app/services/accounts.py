"""Officer accounts: passwords, login with lock-out, roles and what each may do (SPEC §9).

Passwords are hashed with Argon2id (argon2-cffi, its default memory-hard parameters); only the
hash is stored. Five wrong passwords in a row lock the account for five minutes, measured on
``ctx.clock``.

Single-user installs: an office where no officer has a password yet keeps working without a
login (the app starts straight away, ``require`` lets every action through, and changes are
written under the officer picked on the toolbar). As soon as one officer has a password,
"accounts are on": the app asks for a login and every permission is checked against the role of
``ctx.officer_id``. See docs/ACCOUNTS.md.
"""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ..domain.roles import Permission, Role, allows
from ..domain.text import nfc
from ..storage.errors import UserFixableError
from ..storage.models import AppSetting, Officer
from .context import AppContext
from .intake import ValidationFailed
from .views import OfficerView

MAX_FAILURES = 5
LOCK_MINUTES = 5
MIN_PASSWORD_LENGTH = 8
#: AppSetting naming the officer the ``motcua`` command acts as when ``--officer`` is not given.
DEFAULT_OFFICER_KEY = "cli.default_officer"

_USERNAME = re.compile(r"^[a-z0-9._-]{2,60}$")
_hasher = PasswordHasher()


class PermissionDenied(UserFixableError):
    """The logged-in officer's role may not do this."""


class LoginFailed(UserFixableError):
    """Wrong user name or password, or a locked account.

    ``remaining``: attempts left before the lock-out (None when not counted);
    ``locked_minutes``: minutes until the account opens again (0 when not locked)."""

    def __init__(self, message: str, action: str = "", *, remaining: int | None = None,
                 locked_minutes: int = 0) -> None:
        super().__init__(message, action)
        self.remaining = remaining
        self.locked_minutes = locked_minutes


# ---------------------------------------------------------------------------- passwords


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def password_matches(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        return False
    try:
        return _hasher.verify(stored_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError, UnicodeError):
        return False


def password_problem(password: str, repeated: str | None = None) -> str:
    """Why a new password is refused ("" when it is acceptable)."""
    if len(password) < MIN_PASSWORD_LENGTH:
        return f"Mật khẩu cần ít nhất {MIN_PASSWORD_LENGTH} ký tự."
    if password.strip() != password:
        return "Mật khẩu không được bắt đầu hoặc kết thúc bằng khoảng trắng."
    if repeated is not None and repeated != password:
        return "Hai lần nhập mật khẩu không giống nhau."
    return ""


# ---------------------------------------------------------------------------- roles


def accounts_enabled(ctx: AppContext) -> bool:
    """Whether any working officer has a password (then the app asks for a login)."""
    with ctx.read() as session:
        return _accounts_enabled(session)


def _accounts_enabled(session: Session) -> bool:
    query = select(Officer.id).where(Officer.password_hash.is_not(None), Officer.active.is_(True)).limit(1)
    return session.scalar(query) is not None


def current_officer(ctx: AppContext) -> OfficerView | None:
    if ctx.officer_id is None:
        return None
    with ctx.read() as session:
        row = session.get(Officer, ctx.officer_id)
        return OfficerView.of(row) if row is not None else None


def can(ctx: AppContext, permission: Permission | str) -> bool:
    """Whether the officer of ``ctx`` may do ``permission`` (everyone may, while accounts are off)."""
    with ctx.read() as session:
        return _can(session, ctx.officer_id, permission)


def _can(session: Session, officer_id: uuid.UUID | None, permission: Permission | str) -> bool:
    if officer_id is None:
        return not _accounts_enabled(session)
    officer = session.get(Officer, officer_id)
    if officer is None or not officer.active:
        return False
    if not _accounts_enabled(session):
        return True
    return allows(officer.role, permission)


def require(ctx: AppContext, permission: Permission | str) -> None:
    """Raise :class:`PermissionDenied` ("Bạn không có quyền …") unless the officer may do it."""
    if can(ctx, permission):
        return
    what = Permission(permission).label
    raise PermissionDenied(
        f"Bạn không có quyền {what}.",
        "Chỉ lãnh đạo hoặc quản trị được làm việc này: hãy nhờ họ đăng nhập và thực hiện.",
    )


# ---------------------------------------------------------------------------- accounts


@dataclass(frozen=True)
class AccountInput:
    username: str
    full_name: str
    role: str = Role.TIEP_NHAN.value
    active: bool = True
    password: str = ""  # "" keeps the current password (a new officer needs one when accounts are on)
    password_again: str | None = None


def save_account(ctx: AppContext, data: AccountInput, officer_id: uuid.UUID | None = None) -> OfficerView:
    """Add or change an officer (quản trị, lãnh đạo). One transaction."""
    require(ctx, Permission.MANAGE_ACCOUNTS)
    username = data.username.strip().lower()
    errors: dict[str, str] = {}
    if not _USERNAME.match(username):
        errors["username"] = "Tên đăng nhập gồm 2–60 chữ thường không dấu, số, dấu chấm, gạch (ví dụ: lan.nt)."
    if not data.full_name.strip():
        errors["full_name"] = "Chưa nhập họ tên cán bộ."
    if data.role not in {r.value for r in Role}:
        errors["role"] = "Vai trò không hợp lệ."
    if data.password:
        problem = password_problem(data.password, data.password_again)
        if problem:
            errors["password"] = problem
    with ctx.session() as session:
        clash = session.scalar(select(Officer).where(Officer.username == username))
        if clash is not None and clash.id != officer_id:
            errors["username"] = f"Tên đăng nhập “{username}” đã có người dùng."
        row = session.get(Officer, officer_id) if officer_id else None
        if row is None and not data.password and _accounts_enabled(session):
            errors["password"] = "Cán bộ mới cần có mật khẩu để đăng nhập."
        if row is not None and row.role == Role.QUAN_TRI.value and row.active \
                and (data.role != Role.QUAN_TRI.value or not data.active) and _admins(session) <= 1:
            errors["role"] = "Phải còn ít nhất một quản trị đang làm việc."
        if errors:
            raise ValidationFailed(errors)
        if row is None:
            row = Officer(username=username, full_name="")
            session.add(row)
        row.username, row.full_name, row.role, row.active = username, nfc(data.full_name.strip()), data.role, data.active
        if data.password:
            row.password_hash = hash_password(data.password)
            row.failed_logins, row.locked_until = 0, None
        session.flush()
        return OfficerView.of(row)


def _admins(session: Session) -> int:
    query = select(func.count()).select_from(Officer).where(Officer.role == Role.QUAN_TRI.value,
                                                            Officer.active.is_(True))
    return int(session.scalar(query) or 0)


def create_administrator(ctx: AppContext, username: str, full_name: str, password: str,
                         password_again: str | None = None) -> OfficerView:
    """The first-run wizard's administrator, with a password. Refused once an officer exists."""
    with ctx.read() as session:
        if session.scalar(select(Officer.id).limit(1)) is not None:
            raise UserFixableError("Đã có cán bộ trong dữ liệu này.", "Hãy thêm cán bộ trong Cài đặt › Cán bộ.")
    if not password:
        raise ValidationFailed({"password": "Chưa nhập mật khẩu."})
    return save_account(ctx, AccountInput(username, full_name, Role.QUAN_TRI.value, True, password, password_again))


def reset_password(ctx: AppContext, officer_id: uuid.UUID, password: str, password_again: str | None = None) -> None:
    """Quản trị sets a new password for an officer (and unlocks the account)."""
    require(ctx, Permission.MANAGE_ACCOUNTS)
    problem = password_problem(password, password_again)
    if problem:
        raise ValidationFailed({"password": problem})
    with ctx.session() as session:
        row = session.get(Officer, officer_id)
        if row is None:
            raise UserFixableError("Không tìm thấy cán bộ này.", "Hãy tải lại danh sách cán bộ.")
        row.password_hash = hash_password(password)
        row.failed_logins, row.locked_until = 0, None


def change_password(ctx: AppContext, officer_id: uuid.UUID, old: str, new: str, new_again: str | None = None) -> None:
    """An officer changes their own password (the old one is checked first)."""
    problem = password_problem(new, new_again)
    if problem:
        raise ValidationFailed({"password": problem})
    with ctx.session() as session:
        row = session.get(Officer, officer_id)
        if row is None:
            raise UserFixableError("Không tìm thấy cán bộ này.", "Hãy đăng nhập lại.")
        if row.password_hash and not password_matches(row.password_hash, old):
            raise ValidationFailed({"old_password": "Mật khẩu hiện tại không đúng."})
        row.password_hash = hash_password(new)
        row.failed_logins, row.locked_until = 0, None


# ---------------------------------------------------------------------------- login


def _minutes_left(until: datetime, now: datetime) -> int:
    return max(1, math.ceil((until - now).total_seconds() / 60))


def login(ctx: AppContext, username: str, password: str) -> OfficerView:
    """Check the password; on success set ``ctx.officer_id`` and return the officer.

    Raises :class:`LoginFailed` (Vietnamese, with the attempts left or the minutes of lock-out
    left). The failure count is saved even though the login fails."""
    now = ctx.clock()
    failure: LoginFailed | None = None
    with ctx.session() as session:
        row = session.scalar(select(Officer).where(Officer.username == username.strip().lower()))
        if row is None or not row.active:
            failure = LoginFailed("Tên đăng nhập hoặc mật khẩu không đúng.",
                                  "Hãy kiểm tra tên đăng nhập (chữ thường, không dấu) rồi thử lại.")
        elif row.locked_until is not None and row.locked_until > now:
            minutes = _minutes_left(row.locked_until, now)
            failure = LoginFailed(f"Tài khoản đang tạm khóa vì nhập sai mật khẩu {MAX_FAILURES} lần.",
                                  f"Hãy thử lại sau {minutes} phút, hoặc nhờ quản trị đặt lại mật khẩu.",
                                  locked_minutes=minutes)
        elif not row.password_hash:
            failure = LoginFailed("Tài khoản này chưa có mật khẩu.", "Hãy nhờ quản trị đặt mật khẩu trong Cài đặt › Cán bộ.")
        elif not password_matches(row.password_hash, password):
            row.failed_logins = (row.failed_logins or 0) + 1
            if row.failed_logins >= MAX_FAILURES:
                row.failed_logins = 0
                row.locked_until = now + timedelta(minutes=LOCK_MINUTES)
                failure = LoginFailed(f"Sai mật khẩu {MAX_FAILURES} lần: tài khoản bị khóa {LOCK_MINUTES} phút.",
                                      f"Hãy thử lại sau {LOCK_MINUTES} phút, hoặc nhờ quản trị đặt lại mật khẩu.",
                                      remaining=0, locked_minutes=LOCK_MINUTES)
            else:
                remaining = MAX_FAILURES - row.failed_logins
                failure = LoginFailed("Mật khẩu không đúng.",
                                      f"Còn {remaining} lần thử trước khi tài khoản bị khóa {LOCK_MINUTES} phút.",
                                      remaining=remaining)
        else:
            if _hasher.check_needs_rehash(row.password_hash):
                row.password_hash = hash_password(password)
            row.failed_logins, row.locked_until = 0, None
            session.flush()
            officer = OfficerView.of(row)
    if failure is not None:
        raise failure
    ctx.officer_id = officer.id
    return officer


# ---------------------------------------------------------------------------- the command line


def default_officer(ctx: AppContext) -> OfficerView | None:
    """Whom ``motcua`` acts as without ``--officer``: the officer named in the setting
    ``cli.default_officer``, else the only working officer of a single-user install, else None."""
    with ctx.read() as session:
        username = session.scalar(select(AppSetting.value).where(AppSetting.key == DEFAULT_OFFICER_KEY))
        if username:
            row = session.scalar(select(Officer).where(Officer.username == username, Officer.active.is_(True)))
            if row is not None:
                return OfficerView.of(row)
        rows = list(session.scalars(select(Officer).where(Officer.active.is_(True)).limit(2)))
        return OfficerView.of(rows[0]) if len(rows) == 1 else None


def officer_by_username(ctx: AppContext, username: str) -> OfficerView:
    """The working officer with this user name; :class:`UserFixableError` if there is none."""
    name = username.strip().lower()
    with ctx.read() as session:
        row = session.scalar(select(Officer).where(Officer.username == name))
        if row is None:
            raise UserFixableError(f"Không có cán bộ nào có tên đăng nhập “{name}”.",
                                   "Hãy xem danh sách cán bộ trong Cài đặt › Cán bộ và gõ đúng tên đăng nhập.")
        if not row.active:
            raise UserFixableError(f"Cán bộ “{name}” đã nghỉ làm việc.", "Hãy dùng tên đăng nhập của cán bộ đang làm việc.")
        return OfficerView.of(row)


def set_default_officer(ctx: AppContext, username: str | None) -> None:
    require(ctx, Permission.MANAGE_ACCOUNTS)
    if username:
        officer_by_username(ctx, username)
    with ctx.session() as session:
        row = session.scalar(select(AppSetting).where(AppSetting.key == DEFAULT_OFFICER_KEY))
        if row is None:
            row = AppSetting(key=DEFAULT_OFFICER_KEY)
            session.add(row)
        row.value = (username or "").strip().lower()


__all__ = [
    "LOCK_MINUTES",
    "MAX_FAILURES",
    "AccountInput",
    "LoginFailed",
    "PermissionDenied",
    "accounts_enabled",
    "can",
    "change_password",
    "create_administrator",
    "current_officer",
    "default_officer",
    "hash_password",
    "login",
    "officer_by_username",
    "password_matches",
    "password_problem",
    "require",
    "reset_password",
    "save_account",
    "set_default_officer",
]

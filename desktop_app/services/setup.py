"""The commune profile, hamlets and officers (first-run wizard and Settings)."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass

from sqlalchemy import func, select

from ..domain.roles import Permission
from ..domain.text import nfc, sort_key
from ..storage.errors import UserFixableError
from ..storage.models import CommuneProfile, Dossier, Hamlet, Officer
from .accounts import require
from .context import AppContext
from .intake import ValidationFailed
from .views import OfficerView, ProfileView

ROLES = ("tiep_nhan", "lanh_dao", "quan_tri")
_UNIT_CODE = re.compile(r"^[A-Za-z0-9.]{1,40}$")
_USERNAME = re.compile(r"^[a-z0-9._-]{2,60}$")


@dataclass
class ProfileInput:
    unit_name: str
    unit_code: str
    parent_agency: str = ""
    province: str = ""
    place_name: str = ""
    head_name: str = ""
    head_title: str = ""
    offers_e_certified_copy: bool = False
    attachment_limit_mb: int = 25


def validate_profile(data: ProfileInput) -> dict[str, str]:
    errors = {}
    if not data.unit_name.strip():
        errors["unit_name"] = "Chưa nhập tên đơn vị (ví dụ: UBND xã Phú Lạc)."
    if not _UNIT_CODE.match(data.unit_code.strip()):
        errors["unit_code"] = "Mã đơn vị chỉ gồm chữ, số và dấu chấm (ví dụ: 000.00.53.H48)."
    if not data.place_name.strip():
        errors["place_name"] = "Chưa nhập địa danh (dùng cho dòng “…, ngày … tháng … năm …”)."
    if not 1 <= data.attachment_limit_mb <= 500:
        errors["attachment_limit_mb"] = "Giới hạn tệp đính kèm từ 1 đến 500 MB."
    return errors


def get_profile(ctx: AppContext) -> ProfileView | None:
    with ctx.read() as session:
        row = session.scalar(select(CommuneProfile))
        return ProfileView.of(row) if row else None


def save_profile(ctx: AppContext, data: ProfileInput) -> ProfileView:
    errors = validate_profile(data)
    if errors:
        raise ValidationFailed(errors)
    require(ctx, Permission.EDIT_CATALOGUE)
    with ctx.session() as session:
        row = session.scalar(select(CommuneProfile))
        if row is None:
            row = CommuneProfile(unit_name="", unit_code="")
            session.add(row)
        for name, value in vars(data).items():
            setattr(row, name, nfc(value.strip()) if isinstance(value, str) else value)
        session.flush()
        return ProfileView.of(row)


def is_configured(ctx: AppContext) -> bool:
    """The first-run wizard has been completed (profile and at least one officer)."""
    with ctx.read() as session:
        has_profile = session.scalar(select(CommuneProfile.id).limit(1)) is not None
        has_officer = session.scalar(select(Officer.id).limit(1)) is not None
    return has_profile and has_officer


def list_officers(ctx: AppContext, include_inactive: bool = False) -> list[OfficerView]:
    with ctx.read() as session:
        query = select(Officer)
        if not include_inactive:
            query = query.where(Officer.active.is_(True))
        rows = [OfficerView.of(o) for o in session.scalars(query)]
    return sorted(rows, key=lambda o: sort_key(o.full_name))


def save_officer(ctx: AppContext, username: str, full_name: str, role: str = "tiep_nhan",
                 officer_id: uuid.UUID | None = None, active: bool = True) -> OfficerView:
    username = username.strip().lower()
    errors = {}
    if not _USERNAME.match(username):
        errors["username"] = "Tên đăng nhập gồm 2–60 chữ thường không dấu, số, dấu chấm, gạch (ví dụ: lan.nt)."
    if not full_name.strip():
        errors["full_name"] = "Chưa nhập họ tên cán bộ."
    if role not in ROLES:
        errors["role"] = "Vai trò không hợp lệ."
    if errors:
        raise ValidationFailed(errors)
    require(ctx, Permission.MANAGE_ACCOUNTS)
    with ctx.session() as session:
        clash = session.scalar(select(Officer).where(Officer.username == username))
        if clash is not None and clash.id != officer_id:
            raise ValidationFailed({"username": f"Tên đăng nhập “{username}” đã có người dùng."})
        row = session.get(Officer, officer_id) if officer_id else None
        if row is None:
            row = Officer(username=username, full_name="")
            session.add(row)
        row.username, row.full_name, row.role, row.active = username, nfc(full_name.strip()), role, active
        session.flush()
        return OfficerView.of(row)


def list_hamlets(ctx: AppContext) -> list[str]:
    with ctx.read() as session:
        rows = session.execute(select(Hamlet.name, Hamlet.sort_order).where(Hamlet.active.is_(True))).all()
    return [name for name, _ in sorted(rows, key=lambda r: (r[1], sort_key(r[0])))]


def set_hamlets(ctx: AppContext, names: list[str]) -> list[str]:
    """Replace the list of hamlets (kept in the given order); removed ones are deactivated."""
    cleaned: list[str] = []
    for name in names:
        name = nfc(" ".join(name.split()))
        if name and name not in cleaned:
            cleaned.append(name)
    with ctx.session() as session:
        existing = {h.name: h for h in session.scalars(select(Hamlet))}
        for order, name in enumerate(cleaned):
            row = existing.get(name) or Hamlet(name=name)
            row.sort_order, row.active = order, True
            session.add(row)
        for name, row in existing.items():
            if name not in cleaned:
                row.active = False
    return cleaned


def dossier_total(ctx: AppContext) -> int:
    with ctx.read() as session:
        return int(session.scalar(select(func.count()).select_from(Dossier).where(Dossier.deleted_at.is_(None))) or 0)


__all__ = [
    "ProfileInput",
    "UserFixableError",
    "dossier_total",
    "get_profile",
    "is_configured",
    "list_hamlets",
    "list_officers",
    "save_officer",
    "save_profile",
    "set_hamlets",
]

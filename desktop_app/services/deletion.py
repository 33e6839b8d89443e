"""Deleting a dossier (lãnh đạo, quản trị): a soft delete with a reason.

The row stays, with ``deleted_at`` and ``delete_reason``; every list, count, statistic and
warning query already leaves out rows with ``deleted_at`` set, and the audit log keeps who
deleted it, when and why.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select

from ..domain.roles import Permission
from ..storage.errors import ConflictError, UserFixableError
from ..storage.models import Dossier
from .accounts import require
from .context import AppContext
from .intake import ValidationFailed

MIN_REASON_LENGTH = 5


def delete_dossier(ctx: AppContext, dossier_id: uuid.UUID, reason: str, version: int | None = None) -> str:
    """Soft-delete the dossier; returns its code. ``version``: the version the officer saw."""
    require(ctx, Permission.DELETE_DOSSIER)
    reason = " ".join(reason.split())
    if len(reason) < MIN_REASON_LENGTH:
        raise ValidationFailed({"delete_reason": "Hãy ghi lý do xóa hồ sơ (ít nhất 5 ký tự), ví dụ: “nhập trùng”."})
    with ctx.session() as session:
        dossier = session.scalar(select(Dossier).where(Dossier.id == dossier_id, Dossier.deleted_at.is_(None)))
        if dossier is None:
            raise UserFixableError("Không tìm thấy hồ sơ (có thể đã bị xóa).", "Hãy làm mới danh sách (F5).")
        if version is not None and dossier.version != version:
            raise ConflictError("Hồ sơ vừa được người khác sửa nên chưa xóa.",
                                "Hãy mở lại hồ sơ, xem thay đổi rồi mới xóa.")
        dossier.deleted_at = ctx.clock()
        dossier.delete_reason = reason[:300]
        return dossier.code


__all__ = ["MIN_REASON_LENGTH", "delete_dossier"]

"""Public holidays, days off and make-up working days (editable each year)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..domain.roles import Permission
from ..domain.text import nfc
from ..storage.models import Holiday
from .accounts import require
from .context import AppContext
from .intake import ValidationFailed

KIND_LABELS = {"day_off": "Ngày nghỉ", "working_day": "Ngày làm bù"}


@dataclass(frozen=True)
class HolidayView:
    id: uuid.UUID
    day: date
    name: str
    kind: str
    source: str


def list_holidays(ctx: AppContext, year: int | None = None) -> list[HolidayView]:
    with ctx.read() as session:
        query = select(Holiday).order_by(Holiday.day)
        if year is not None:
            query = query.where(Holiday.day >= date(year, 1, 1), Holiday.day <= date(year, 12, 31))
        return [HolidayView(h.id, h.day, h.name, h.kind, h.source) for h in session.scalars(query)]


def save_holiday(ctx: AppContext, day: date, name: str, kind: str = "day_off") -> HolidayView:
    """Add or change the entry of ``day`` (a day off, or a make-up working day)."""
    require(ctx, Permission.EDIT_CATALOGUE)
    if kind not in KIND_LABELS:
        raise ValidationFailed({"kind": "Loại ngày không hợp lệ."})
    if not name.strip():
        raise ValidationFailed({"name": "Hãy ghi tên hoặc căn cứ của ngày nghỉ / làm bù."})
    if kind == "working_day" and day.weekday() < 5:
        raise ValidationFailed({"day": "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật."})
    with ctx.session() as session:
        row = session.scalar(select(Holiday).where(Holiday.day == day))
        if row is None:
            row = Holiday(day=day, name="")
            session.add(row)
        row.name, row.kind, row.source = nfc(name.strip()), kind, "user"
        session.flush()
        return HolidayView(row.id, row.day, row.name, row.kind, row.source)


def delete_holiday(ctx: AppContext, holiday_id: uuid.UUID) -> None:
    require(ctx, Permission.EDIT_CATALOGUE)
    with ctx.session() as session:
        row = session.get(Holiday, holiday_id)
        if row is not None:
            session.delete(row)

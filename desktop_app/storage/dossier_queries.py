"""The dossier list: filters, search, sort and pages, all in SQL (never the whole table)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from ..domain.identity import clean_id_number
from ..domain.text import fold
from .models import Dossier, Officer, Procedure

SORT_KEYS = ("code", "procedure", "applicant", "channel", "received_at", "due_at", "status")


@dataclass(frozen=True)
class DossierFilter:
    statuses: frozenset[int] = field(default_factory=frozenset)
    channel: int | None = None
    date_from: date | None = None  # received on or after (inclusive)
    date_to: date | None = None  # received on or before (inclusive)
    procedure_id: uuid.UUID | None = None
    officer_id: uuid.UUID | None = None
    search: str = ""


@dataclass(frozen=True)
class DossierRow:
    id: uuid.UUID
    code: str
    procedure_name: str
    applicant_name: str
    channel: int
    received_at: datetime
    due_at: datetime | None
    status: int
    officer_name: str


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def apply_filter(query: Select, flt: DossierFilter) -> Select:
    query = query.where(Dossier.deleted_at.is_(None))
    if flt.statuses:
        query = query.where(Dossier.status.in_(sorted(flt.statuses)))
    if flt.channel is not None:
        query = query.where(Dossier.channel == flt.channel)
    if flt.date_from is not None:
        query = query.where(Dossier.received_at >= datetime.combine(flt.date_from, time.min))
    if flt.date_to is not None:
        query = query.where(Dossier.received_at < datetime.combine(flt.date_to + timedelta(days=1), time.min))
    if flt.procedure_id is not None:
        query = query.where(Dossier.procedure_id == flt.procedure_id)
    if flt.officer_id is not None:
        query = query.where(Dossier.officer_id == flt.officer_id)
    text = flt.search.strip()
    if text:
        query = query.where(search_condition(text))
    return query


def search_condition(text: str):
    """Name (diacritics ignored), code, số định danh or phone containing ``text``."""
    folded = escape_like(fold(text))
    conditions = [
        Dossier.applicant_fold.like(f"%{folded}%", escape="\\"),
        Dossier.code.like(f"%{escape_like(text.strip())}%", escape="\\"),
    ]
    digits = clean_id_number(text)
    if digits.isdigit() and len(digits) >= 3:
        conditions.append(Dossier.id_number.like(f"{digits}%"))
        conditions.append(Dossier.phone.like(f"%{digits}%"))
    return or_(*conditions)


def _order(query: Select, sort_key: str, descending: bool) -> Select:
    column = {
        "code": Dossier.code,
        "procedure": Procedure.name_fold,
        "applicant": Dossier.applicant_fold,
        "channel": Dossier.channel,
        "received_at": Dossier.received_at,
        "due_at": Dossier.due_at,
        "status": Dossier.status,
    }[sort_key]
    if descending:
        return query.order_by(column.desc(), Dossier.id.desc())
    return query.order_by(column.asc(), Dossier.id.asc())


def count_dossiers(session: Session, flt: DossierFilter) -> int:
    query = apply_filter(select(func.count()).select_from(Dossier), flt)
    return int(session.scalar(query) or 0)


def fetch_page(
    session: Session,
    flt: DossierFilter,
    *,
    sort_key: str = "received_at",
    descending: bool = True,
    offset: int = 0,
    limit: int = 200,
) -> list[DossierRow]:
    query = (
        select(
            Dossier.id,
            Dossier.code,
            Procedure.name,
            Dossier.applicant_name,
            Dossier.channel,
            Dossier.received_at,
            Dossier.due_at,
            Dossier.status,
            func.coalesce(Officer.full_name, ""),
        )
        .join(Procedure, Procedure.id == Dossier.procedure_id)
        .outerjoin(Officer, Officer.id == Dossier.officer_id)
    )
    query = _order(apply_filter(query, flt), sort_key, descending).offset(offset).limit(limit)
    return [DossierRow(*row) for row in session.execute(query)]

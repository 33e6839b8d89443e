"""The dossier list: filters, search, sort and pages, all in SQL (never the whole table).

The warnings of a page's dossiers are read with one more query for the whole page (never one
per row), from the warnings stored at each save (``dossier_warning``).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from sqlalchemy import Boolean, Select, exists, func, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement, UnaryExpression
from sqlalchemy.sql.operators import custom_op
from sqlalchemy.sql.visitors import InternalTraversal

from ..domain.identity import clean_id_number
from ..domain.rules import RULES
from ..domain.text import fold
from .models import Dossier, DossierWarning, Officer, Procedure

SORT_KEYS = ("code", "procedure", "applicant", "channel", "received_at", "due_at", "status")
#: Sort keys besides :data:`SORT_KEYS`: "warnings" orders by the number of stored warnings.
EXTRA_SORT_KEYS = ("warnings",)

_RULE_ORDER = {rule.code: index for index, rule in enumerate(RULES)}


@dataclass(frozen=True)
class DossierFilter:
    statuses: frozenset[int] = field(default_factory=frozenset)
    channel: int | None = None
    date_from: date | None = None  # received on or after (inclusive)
    date_to: date | None = None  # received on or before (inclusive)
    procedure_id: uuid.UUID | None = None
    officer_id: uuid.UUID | None = None
    search: str = ""
    has_warnings: bool = False  # only dossiers with at least one stored warning
    rule: str | None = None  # only dossiers with this warning rule (a code of domain.rules)


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
    warning_count: int = 0
    warning_rules: tuple[str, ...] = ()  # rule codes, in the order of domain.rules.RULES


def escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


class like_nocase(ColumnElement[bool]):  # noqa: N801 - used like a SQL function
    """``column LIKE pattern ESCAPE '\\'`` that ignores the case of ASCII letters on every
    database: SQLite's LIKE already does (and so keeps its index plans), PostgreSQL's LIKE is
    case-sensitive, so there it is ILIKE. For codes a user may type in lower case."""

    inherit_cache = True
    type = Boolean()
    _traverse_internals = [
        ("like", InternalTraversal.dp_clauseelement),
        ("ilike", InternalTraversal.dp_clauseelement),
    ]

    def __init__(self, column, pattern: str) -> None:
        self.like = column.like(pattern, escape="\\")
        self.ilike = column.ilike(pattern, escape="\\")


@compiles(like_nocase)
def _like_nocase_default(element: like_nocase, compiler, **kw) -> str:
    return compiler.process(element.like, **kw)


@compiles(like_nocase, "postgresql")
def _like_nocase_postgresql(element: like_nocase, compiler, **kw) -> str:
    return compiler.process(element.ilike, **kw)


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
    if flt.has_warnings:
        query = query.where(exists().where(DossierWarning.dossier_id == Dossier.id))
    if flt.rule:
        query = query.where(
            exists().where(DossierWarning.dossier_id == Dossier.id, DossierWarning.rule == flt.rule)
        )
    return query


def search_condition(text: str):
    """Name (diacritics ignored), code, số định danh or phone containing ``text``.

    Codes (``000.00.53.H48-260205-0001``) always have digits: a text without any (a name) is not
    looked for in them, which halves the work of a name search over a large register.
    """
    folded = escape_like(fold(text))
    conditions = [Dossier.applicant_fold.like(f"%{folded}%", escape="\\")]
    if any(char.isdigit() for char in text):
        conditions.append(like_nocase(Dossier.code, f"%{escape_like(text.strip())}%"))
    digits = clean_id_number(text)
    if digits.isdigit() and len(digits) >= 3:
        conditions.append(Dossier.id_number.like(f"{digits}%"))
        conditions.append(Dossier.phone.like(f"%{digits}%"))
    return or_(*conditions)


def _warning_count():
    return (
        select(func.count())
        .select_from(DossierWarning)
        .where(DossierWarning.dossier_id == Dossier.id)
        .correlate(Dossier)
        .scalar_subquery()
    )


def _scan_order(column):
    """``+column``: the same order, but SQLite no longer walks the column's index to produce it.

    For a name search the matches are found by reading the narrow search index
    (``ix_dossier_search``) once and sorting them, instead of walking the whole register in date
    order and reading each dossier's row until a page of matches is found (a rare name would
    read all 200,000 rows).
    """
    return UnaryExpression(column, operator=custom_op("+"), type_=column.type)


def _order(query: Select, sort_key: str, descending: bool, scan: bool = False) -> Select:
    if sort_key == "warnings":
        column = _warning_count()
        if descending:
            return query.order_by(column.desc(), Dossier.received_at.desc(), Dossier.id.desc())
        return query.order_by(column.asc(), Dossier.received_at.asc(), Dossier.id.asc())
    column = {
        "code": Dossier.code,
        "procedure": Procedure.name_fold,
        "applicant": Dossier.applicant_fold,
        "channel": Dossier.channel,
        "received_at": Dossier.received_at,
        "due_at": Dossier.due_at,
        "status": Dossier.status,
    }[sort_key]
    if scan:
        column = _scan_order(column)
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
    query = _page_columns()
    if _searches_by_scan(session, flt):
        ids = [row[0] for row in session.execute(_matching_ids(flt, sort_key, descending, offset, limit))]
        query = query.where(Dossier.id.in_(ids))
        query = _order(query, sort_key, descending)
    else:
        query = _order(apply_filter(query, flt), sort_key, descending).offset(offset).limit(limit)
    rows = [DossierRow(*row) for row in session.execute(query)]
    return with_warnings(session, rows)


def fetch_first_page(
    session: Session,
    flt: DossierFilter,
    *,
    sort_key: str = "received_at",
    descending: bool = True,
    limit: int = 200,
) -> tuple[list[DossierRow], int]:
    """The first page and the number of matching dossiers.

    For a search on SQLite both come from one reading of the search index (a window count over
    the matches), which is what a name typed at the counter costs; otherwise they are the usual
    ``COUNT`` and page queries.
    """
    if not _searches_by_scan(session, flt):
        return fetch_page(session, flt, sort_key=sort_key, descending=descending, limit=limit), count_dossiers(
            session, flt
        )
    found = session.execute(_matching_ids(flt, sort_key, descending, 0, limit, with_total=True)).all()
    if not found:
        return [], 0
    total = int(found[0][1])
    query = _order(_page_columns().where(Dossier.id.in_([row[0] for row in found])), sort_key, descending)
    rows = [DossierRow(*row) for row in session.execute(query)]
    return with_warnings(session, rows), total


def _page_columns() -> Select:
    return (
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


def _searches_by_scan(session: Session, flt: DossierFilter) -> bool:
    """A text search on SQLite: find the matching ids first, from the search index."""
    if not flt.search.strip():
        return False
    bind = session.get_bind()
    return bind.dialect.name == "sqlite"


def _matching_ids(flt: DossierFilter, sort_key: str, descending: bool, offset: int, limit: int,
                  *, with_total: bool = False) -> Select:
    columns = [Dossier.id, func.count().over()] if with_total else [Dossier.id]
    query = select(*columns).select_from(Dossier)
    if sort_key == "procedure":
        query = query.join(Procedure, Procedure.id == Dossier.procedure_id)
    return _order(apply_filter(query, flt), sort_key, descending, scan=True).offset(offset).limit(limit)


def warning_rules_of(session: Session, dossier_ids: list[uuid.UUID]) -> dict[uuid.UUID, tuple[str, ...]]:
    """The stored warning rules of each dossier (one query), in the order of ``RULES``."""
    found: dict[uuid.UUID, list[str]] = {}
    if dossier_ids:
        query = select(DossierWarning.dossier_id, DossierWarning.rule).where(
            DossierWarning.dossier_id.in_(dossier_ids)
        )
        for dossier_id, rule in session.execute(query):
            found.setdefault(dossier_id, []).append(rule)
    return {
        dossier_id: tuple(sorted(rules, key=lambda code: (_RULE_ORDER.get(code, len(_RULE_ORDER)), code)))
        for dossier_id, rules in found.items()
    }


def with_warnings(session: Session, rows: list[DossierRow]) -> list[DossierRow]:
    """``rows`` with their warning count and rules filled in (one query for all of them)."""
    rules = warning_rules_of(session, [row.id for row in rows])
    return [
        replace(row, warning_count=len(rules.get(row.id, ())), warning_rules=rules.get(row.id, ()))
        for row in rows
    ]

"""Counts for the Decision 766 estimate, computed with SQL aggregates over a period.

"In the period" (set P) means received in the period. "Received or processed in the period"
(set RP) also takes dossiers received earlier that were still open at the period's start or
ended within it. Timeliness is judged at the end of processing, at an open supplement request
(the clock is paused), or at the evaluation time: the end of the period, or now if earlier.
Timeliness is judged as things stood at the evaluation time: supplement requests made, and
waits ended, after it do not change the counts of a past period.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import (
    DateTime,
    Select,
    and_,
    bindparam,
    case,
    exists,
    func,
    literal,
    not_,
    or_,
    select,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ClauseElement

from ..domain.status import ENDED_STATUSES, FINISHED_STATUSES, Channel, Status
from .models import Dossier, DossierComponent, DossierWarning, Procedure, SupplementRequest

ENDED = [int(s) for s in ENDED_STATUSES]
FINISHED = [int(s) for s in FINISHED_STATUSES]
CHECKED_METHODS = ("csdl_dan_cu", "vneid")


@dataclass(frozen=True)
class Period:
    date_from: date
    date_to: date  # inclusive

    @property
    def start(self) -> datetime:
        return datetime.combine(self.date_from, time.min)

    @property
    def end(self) -> datetime:
        return datetime.combine(self.date_to + timedelta(days=1), time.min)

    def evaluated_at(self, now: datetime) -> datetime:
        return min(self.end, now)


@dataclass
class PeriodCounts:
    counts: dict[str, int] = field(default_factory=dict)
    indicators: dict[str, tuple[int, int]] = field(default_factory=dict)  # count key -> (num, den)
    warnings: dict[str, int] = field(default_factory=dict)


def _n(expr):
    return func.coalesce(func.sum(case((expr, 1), else_=0)), 0)


def _distinct_procedures(expr):
    """The number of procedures among the rows where ``expr`` holds (one column of a query)."""
    return func.count(func.distinct(case((expr, Dossier.procedure_id))))


def _component_exists(*conditions):
    return exists().where(DossierComponent.dossier_id == Dossier.id, *conditions)


def in_period(period: Period):
    return and_(Dossier.deleted_at.is_(None), Dossier.received_at >= period.start, Dossier.received_at < period.end)


def received_or_processed(period: Period):
    """Received in the period, or received before it and still open at its start or ended in it.

    Written as three disjoint branches, each one an index range (received_at; ended_at is null;
    ended_at from the start), so that the database reads only those dossiers (SQLite's
    multi-index OR) instead of every dossier received before the period's end: a week of a
    five-year register reads a few thousand rows, not 200,000.
    """
    before = Dossier.received_at < period.start
    return and_(
        Dossier.deleted_at.is_(None),
        or_(
            and_(Dossier.received_at >= period.start, Dossier.received_at < period.end),
            and_(Dossier.ended_at.is_(None), before),
            and_(Dossier.ended_at >= period.start, before),
        ),
    )


def changed_after(at: datetime):
    """The dossier's supplement history has an event after ``at`` (a request made, or a wait
    ended, later): its stored timeliness columns describe a later state than ``at``."""
    return exists().where(
        SupplementRequest.dossier_id == Dossier.id,
        or_(SupplementRequest.requested_at > at, SupplementRequest.completed_at > at),
    )


def timeliness(period: Period, now: datetime):
    """(ended by the evaluation time, ended on time, open and still within time) as SQL booleans.

    The due date is the effective one (moved by completed supplement waits). ``open_within`` is
    exact for dossiers whose supplement history ends by the evaluation time; for the others
    (:func:`changed_after`) the stored columns already include later requests and waits, and
    :func:`period_counts` judges them from their supplement requests instead.
    """
    at = period.evaluated_at(now)
    ended = and_(Dossier.status.in_(ENDED), Dossier.ended_at.is_not(None), Dossier.ended_at <= at)
    few_supplements = Dossier.supplement_count < 2
    due = func.coalesce(Dossier.effective_due_at, Dossier.due_at)
    ended_on_time = and_(ended, few_supplements, or_(due.is_(None), Dossier.ended_at <= due))
    # the clock stopped at an open supplement request, unless that request came after ``at``
    judged_at = case(
        (and_(Dossier.paused_at.is_not(None), Dossier.paused_at <= at), Dossier.paused_at),
        else_=at if isinstance(at, ClauseElement) else literal(at),
    )
    open_within = and_(not_(ended), few_supplements, or_(due.is_(None), judged_at <= due))
    return ended, ended_on_time, open_within


def _within_time_at(due_at: datetime | None, effective_due_at: datetime | None, supplement_count: int,
                    requests: list[tuple[datetime, datetime | None]], at: datetime) -> bool:
    """Whether a dossier still open at ``at`` was within time then, from its supplement requests
    (DOCX 2.1: waits ended by ``at`` move the due date, a wait still open at ``at`` stops the clock
    at its request, a second request by ``at`` makes it late)."""
    later_requests = sum(1 for requested, _ in requests if requested > at)
    if supplement_count - later_requests >= 2:
        return False
    if effective_due_at is not None:  # take back the waits that ended after ``at``
        due = effective_due_at - sum(
            (completed - requested for requested, completed in requests if completed is not None and completed > at),
            timedelta(0),
        )
    elif due_at is not None:
        due = due_at + sum(
            (completed - requested for requested, completed in requests if completed is not None and completed <= at),
            timedelta(0),
        )
    else:
        return True
    waiting = [requested for requested, completed in requests if requested <= at and (completed is None or completed > at)]
    return (max(waiting) if waiting else at) <= due


class _BoundPeriod:
    """A stand-in for :class:`Period` whose dates are bound parameters (``:start``, ``:end``,
    ``:at``): the statements of :func:`period_counts` are built once per process and only run
    with new dates, instead of being rebuilt from a few hundred SQLAlchemy objects each time."""

    start = bindparam("start", type_=DateTime())
    end = bindparam("end", type_=DateTime())
    at = bindparam("at", type_=DateTime())

    def evaluated_at(self, now: datetime):
        return self.at


@dataclass(frozen=True)
class _PeriodQueries:
    received: Select
    processed: Select
    changed_after: Select
    procedures: Select
    warnings: Select


@functools.cache
def _period_queries() -> _PeriodQueries:
    period = _BoundPeriod()
    any_digitised = _component_exists(
        or_(DossierComponent.digitised, DossierComponent.reused, DossierComponent.from_kho)
    )
    checked = and_(Dossier.identity_checked.is_(True), Dossier.identity_method.in_(CHECKED_METHODS))
    result_like = or_(Dossier.has_result_file, Dossier.has_end_document)
    finished_document = and_(Dossier.status.in_(FINISHED), Procedure.result_is_document.is_(True))
    online_counts = and_(
        Dossier.channel == int(Channel.TRUC_TUYEN), not_(and_(finished_document, Dossier.has_result_file.is_(False)))
    )
    capable = Procedure.online_level != "khong"
    fee_bearing = or_(Procedure.fee_kind != "free", Dossier.fee > 0)
    active = Procedure.active.is_(True)
    received = (
        select(
            func.count(),
            _n(Dossier.channel == int(Channel.TRUC_TIEP)),
            _n(Dossier.channel == int(Channel.TRUC_TUYEN)),
            _n(Dossier.channel == int(Channel.BUU_CHINH)),
            _n(online_counts),
            _n(Dossier.fee > 0),
            _n(and_(Dossier.fee > 0, Dossier.payment_method == "truc_tuyen")),
            _n(finished_document),
            _n(and_(finished_document, Dossier.has_result_file.is_(True))),
            _n(and_(any_digitised, result_like)),
            _n(_component_exists(DossierComponent.reused.is_(True))),
            _n(_component_exists(DossierComponent.from_kho.is_(True))),
            _n(checked),
            # procedures used in the period (the same query: no second pass over the period)
            _distinct_procedures(and_(capable, Dossier.channel == int(Channel.TRUC_TUYEN))),
            _distinct_procedures(capable),
            _distinct_procedures(Dossier.fee > 0),
            _distinct_procedures(fee_bearing),
            _distinct_procedures(and_(Dossier.fee > 0, Dossier.payment_method == "truc_tuyen")),
            _distinct_procedures(and_(Procedure.citizen_facing.is_(True), active, checked)),
        )
        .select_from(Dossier)
        .join(Procedure, Procedure.id == Dossier.procedure_id)
        .where(in_period(period))
    )
    ended, ended_on_time, open_within = timeliness(period, period.at)
    later = changed_after(period.at)
    in_range = and_(Dossier.ended_at >= period.start, Dossier.ended_at < period.end)
    processed = (
        select(
            func.count(),
            _n(Dossier.synced.is_(True)),
            _n(ended_on_time),
            _n(and_(open_within, not_(later))),
            _n(not_(ended)),
            _n(and_(Dossier.status.in_(FINISHED), in_range)),
            _n(and_(Dossier.status.in_(FINISHED), in_range, ended_on_time)),
            _n(and_(Dossier.status == int(Status.TU_CHOI), in_range)),
            _n(and_(Dossier.status == int(Status.DUNG_XU_LY), in_range)),
            _n(and_(Dossier.status == int(Status.RUT_HO_SO), in_range)),
            _n(Dossier.satisfaction == "khong_hai_long"),
            _n(Dossier.received_at < period.start),
        )
        .select_from(Dossier)
        .where(received_or_processed(period))
    )
    changed = select(Dossier.id, Dossier.due_at, Dossier.effective_due_at, Dossier.supplement_count).where(
        received_or_processed(period), not_(ended), later
    )
    procedures = select(func.count(), _n(capable), _n(Procedure.citizen_facing.is_(True))).where(active)
    # driven from the period's dossiers (indexed), not from every stored warning
    warnings = (
        select(DossierWarning.rule, func.count())
        .where(DossierWarning.dossier_id.in_(select(Dossier.id).where(received_or_processed(period))))
        .group_by(DossierWarning.rule)
    )
    return _PeriodQueries(received, processed, changed, procedures, warnings)


def period_counts(session: Session, period: Period, now: datetime, offers_e_certified_copy: bool) -> PeriodCounts:
    result = PeriodCounts()
    queries = _period_queries()
    at = period.evaluated_at(now)
    params = {"start": period.start, "end": period.end, "at": at}
    (received, direct, online, postal, online_ok, fee_den, fee_online, result_den, result_num, so_hoa_num,
     reused_num, kho_num, checked_num, online_used, capable_used, fee_used, fee_bearing_used, fee_online_used,
     citizen_checked_used) = (int(v) for v in session.execute(queries.received, params).one())
    (rp_total, synced, on_time_ended, open_ok, open_total, finished, finished_on_time, rejected, stopped,
     withdrawn, unhappy, carried_over) = (int(v) for v in session.execute(queries.processed, params).one())
    open_ok += _open_within_changed_after(session, session.execute(queries.changed_after, params).all(), at)
    progress_num = on_time_ended + open_ok
    active_total, active_online, citizen_total = (int(v) for v in session.execute(queries.procedures).one())

    result.counts = {
        "received": received,
        "direct": direct,
        "online": online,
        "postal": postal,
        "carried_over": carried_over,
        "processed": rp_total,
        "finished": finished,
        "finished_on_time": finished_on_time,
        "finished_late": finished - finished_on_time,
        "open_within_time": open_ok,
        "open_overdue": open_total - open_ok,
        "rejected": rejected,
        "stopped": stopped,
        "withdrawn": withdrawn,
    }
    result.indicators = {
        "dossier_sync": (synced, rp_total),
        "progress_on_time": (progress_num, rp_total),
        "online_procedures": (active_online, active_total),
        "online_service_used": (online_used, capable_used),
        "online_dossiers": (online_ok, received),
        "payment_fee_data": (fee_used, fee_bearing_used),
        "payment_online_formality": (fee_online_used, fee_bearing_used),
        "payment_online_dossier": (fee_online, fee_den),
        "satisfaction": (max(0, rp_total - (rp_total - progress_num) - unhappy), rp_total),
        "original_result_available": (result_num, result_den),
        "so_hoa_giay_to": (so_hoa_num, received),
        "electronic_certified_copy": (1 if offers_e_certified_copy else 0, 1),
        "reused_digitized_data": (reused_num, received),
        "kho_used": (kho_num, received),
        "citizen_data_dossier": (checked_num, received),
        "citizen_data_formality": (citizen_checked_used, citizen_total),
    }
    result.warnings = {rule: int(n) for rule, n in session.execute(queries.warnings, params)}
    return result


def _open_within_changed_after(session: Session, rows, at: datetime) -> int:
    """Of ``rows``, the open dossiers (received or processed in the period) whose supplement
    history goes on after ``at``, those that were within time at ``at``. These are few: the SQL
    counts the rest."""
    if not rows:
        return 0
    requests: dict = {row.id: [] for row in rows}
    ids = list(requests)
    for start in range(0, len(ids), 500):
        for dossier_id, requested, completed in session.execute(
            select(SupplementRequest.dossier_id, SupplementRequest.requested_at, SupplementRequest.completed_at)
            .where(SupplementRequest.dossier_id.in_(ids[start:start + 500]))
        ):
            requests[dossier_id].append((requested, completed))
    return sum(
        _within_time_at(row.due_at, row.effective_due_at, row.supplement_count, requests[row.id], at) for row in rows
    )

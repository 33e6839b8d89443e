"""Warnings kept with each dossier: evaluated on every save, and again for the dossiers whose
warnings depend on the date (open or not yet synced) when the app starts or a day passes."""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, selectinload

from ..domain.calendar import WorkCalendar
from ..domain.procedure import OnlineLevel
from ..domain.rules import DossierFacts, SupplementFacts, evaluate
from ..domain.scoring import ScoringConfig
from ..domain.stakes import fix_delta, points_at_stake
from ..domain.status import ENDED_STATUSES, Channel, Status
from ..storage.models import Dossier, DossierComponent, DossierWarning, Officer, Procedure
from ..storage.stats_queries import CHECKED_METHODS, Period, in_period, received_or_processed
from .context import AppContext

log = logging.getLogger(__name__)


def facts_of(dossier: Dossier) -> DossierFacts:
    procedure = dossier.procedure
    components = dossier.components
    return DossierFacts(
        status=Status(dossier.status),
        channel=Channel(dossier.channel),
        received_at=dossier.received_at,
        due_at=dossier.due_at,
        ended_at=dossier.ended_at,
        result_is_document=procedure.result_is_document,
        citizen_facing=procedure.citizen_facing,
        online_level=OnlineLevel(procedure.online_level),
        identity_checked=dossier.identity_checked and dossier.identity_method in ("csdl_dan_cu", "vneid"),
        id_number=dossier.id_number,
        id_kind=dossier.id_kind,
        any_component_digitised=any(c.digitised for c in components),
        any_reused=any(c.reused for c in components),
        any_from_kho=any(c.from_kho for c in components),
        has_result_file=dossier.has_result_file,
        result_signed=dossier.result_signed,
        has_end_document=dossier.has_end_document,
        fee=dossier.fee,
        payment_method=dossier.payment_method,
        synced=dossier.synced,
        satisfaction=dossier.satisfaction,
        supplements=tuple(SupplementFacts(s.requested_at, s.completed_at) for s in dossier.supplements),
    )


def refresh(session: Session, dossier: Dossier, now: datetime, cal: WorkCalendar) -> list[str]:
    """Store the rules that fire for ``dossier`` now; returns their codes."""
    codes = evaluate(facts_of(dossier), now, cal)
    current = {w.rule: w for w in dossier.warnings}
    for code, row in current.items():
        if code not in codes:
            dossier.warnings.remove(row)
    for code in codes:
        if code not in current:
            dossier.warnings.append(DossierWarning(rule=code, since=now))
    return codes


def reevaluate_time_dependent(ctx: AppContext, batch: int = 500) -> int:
    """Re-check the dossiers whose warnings change with the date; returns how many were checked."""
    now, cal = ctx.clock(), ctx.calendar()
    ended = [int(s) for s in ENDED_STATUSES]
    checked = 0
    # An ended dossier's only date-dependent rule is NOT_SYNCED, and once it fires it stays
    # (the deadline is in the past for good): such a dossier that already carries it cannot
    # change, and re-reading it at every start made the start-up work grow with the register
    # (200,000 dossiers: 40,000 re-read, 12 s on the worker; see docs/PERFORMANCE.md).
    settled = exists().where(DossierWarning.dossier_id == Dossier.id, DossierWarning.rule == "NOT_SYNCED")
    with ctx.session() as session:
        ids = list(
            session.scalars(
                select(Dossier.id).where(
                    Dossier.deleted_at.is_(None),
                    or_(Dossier.status.not_in(ended), and_(Dossier.synced.is_(False), ~settled)),
                )
            )
        )
        for start in range(0, len(ids), batch):
            rows = session.scalars(
                select(Dossier)
                .where(Dossier.id.in_(ids[start:start + batch]))
                .options(
                    selectinload(Dossier.components),
                    selectinload(Dossier.supplements),
                    selectinload(Dossier.warnings),
                    selectinload(Dossier.procedure),
                )
            )
            for dossier in rows:
                refresh(session, dossier, now, cal)
                checked += 1
    log.info("Warnings re-evaluated for %d dossiers", checked)
    return checked


@dataclass(frozen=True)
class WarningItem:
    dossier_id: uuid.UUID
    code: str  # the dossier's code
    rule: str
    applicant_name: str
    procedure_name: str
    officer_name: str
    received_at: datetime
    since: datetime
    points_at_stake: Decimal


def open_warnings(ctx: AppContext, date_from: date | None = None, date_to: date | None = None,
                  config: ScoringConfig | None = None) -> list[WarningItem]:
    """Every stored warning (of dossiers received or processed in the period, when one is given),
    with the points at stake for the period (the current month when none is given), most first."""
    from .stats import compute  # the stats service builds on this module's facts

    now = ctx.clock()
    if date_from is None or date_to is None:
        scope = None
        date_from, date_to = now.date().replace(day=1), now.date()
    else:
        scope = Period(date_from, date_to)
    stats = compute(ctx, date_from, date_to, config)
    period = stats.period
    any_component = exists().where(
        DossierComponent.dossier_id == Dossier.id,
        or_(DossierComponent.digitised, DossierComponent.reused, DossierComponent.from_kho),
    )
    query = (
        select(
            Dossier.id, Dossier.code, DossierWarning.rule, Dossier.applicant_name, Procedure.name,
            func.coalesce(Officer.full_name, ""), Dossier.received_at, DossierWarning.since,
            Dossier.status, Dossier.channel, Dossier.has_result_file, Dossier.has_end_document,
            any_component, in_period(period), received_or_processed(period),
            Procedure.id, Procedure.citizen_facing, Procedure.active,
        )
        .join(Dossier, Dossier.id == DossierWarning.dossier_id)
        .join(Procedure, Procedure.id == Dossier.procedure_id)
        .outerjoin(Officer, Officer.id == Dossier.officer_id)
        .where(Dossier.deleted_at.is_(None))
    )
    if scope is not None:
        query = query.where(received_or_processed(scope))
    paid_online = and_(Dossier.fee > 0, Dossier.payment_method == "truc_tuyen")
    checked = and_(Dossier.identity_checked.is_(True), Dossier.identity_method.in_(CHECKED_METHODS))
    items = []
    stakes: dict[tuple[frozenset, bool], Decimal] = {}
    with ctx.read() as session:
        procedures_paid = _procedures_with(session, period, paid_online)
        procedures_checked = _procedures_with(session, period, checked, Procedure.citizen_facing.is_(True),
                                              Procedure.active.is_(True))
        for row in session.execute(query):
            (dossier_id, code, rule, applicant, procedure, officer, received, since, status, channel,
             has_result, has_end, has_components, in_p, in_rp, procedure_id, citizen, active) = row
            facts = _stake_facts(status, channel, has_result, has_end, bool(has_components))
            delta = fix_delta(
                rule, facts, bool(in_p), bool(in_rp),
                first_paid_online_of_procedure=procedure_id not in procedures_paid,
                first_checked_of_procedure=bool(citizen and active) and procedure_id not in procedures_checked,
            )
            key = (frozenset(delta.items()), rule == "DUE_SOON")
            if key not in stakes:  # a few distinct deltas serve thousands of warnings
                stakes[key] = points_at_stake(stats.config, stats.counts.indicators, delta, already_lost=not key[1])
            stake = stakes[key]
            items.append(WarningItem(dossier_id, code, rule, applicant, procedure, officer, received, since, stake))
    items.sort(key=lambda item: (-item.points_at_stake, item.received_at))
    return items


def _procedures_with(session: Session, period: Period, *conditions) -> set[uuid.UUID]:
    """Procedures with at least one dossier received in the period that meets ``conditions``."""
    return set(
        session.scalars(
            select(Dossier.procedure_id)
            .join(Procedure, Procedure.id == Dossier.procedure_id)
            .where(in_period(period), *conditions)
            .distinct()
        )
    )


def _stake_facts(status: int, channel: int, has_result: bool, has_end: bool, has_components: bool) -> DossierFacts:
    """The few facts :func:`fix_delta` reads, from one SQL row."""
    return DossierFacts(
        status=Status(status), channel=Channel(channel), received_at=datetime.min, due_at=None, ended_at=None,
        result_is_document=True, citizen_facing=True, online_level=OnlineLevel.KHONG, identity_checked=False,
        id_number="", id_kind="none", any_component_digitised=has_components, any_reused=False,
        any_from_kho=False, has_result_file=bool(has_result), result_signed=False,
        has_end_document=bool(has_end), fee=0, payment_method="", synced=False, satisfaction="",
    )

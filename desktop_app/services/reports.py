"""The weekly report (and its monthly and campaign-summary variants) as a PDF (SPEC §6).

Every figure comes from :func:`desktop_app.services.stats.compute` for the report's period — the
numbers ``motcua stats --json`` prints for the same dates — and, for the columns of the
comparison table and the chart, from the same function for each week. Beyond it the report
reads only what stats does not hold: the per-officer split (built from the same SQL conditions,
:mod:`desktop_app.storage.stats_queries`), the open warnings with their points at stake
(:func:`desktop_app.services.warnings.open_warnings`) and the campaign's extra counts.

The period:

* ``weekly`` — with a campaign, the campaign week holding ``day`` (Tuần 1 = the first 7 days);
  without one, the ISO week (Monday–Sunday) holding ``day``. Compared with the earlier weeks of
  the campaign (or the three ISO weeks before).
* ``monthly`` — the calendar month holding ``day``; compared week by week within the month.
* ``campaign`` — the campaign from its first day to its last (or to ``day`` if earlier); compared
  week by week. Without ``campaign_id`` the campaign running on ``day`` (else the latest one
  started) is used.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import and_, func, not_, select

from ..domain.campaigns import CampaignWeek, campaign_weeks, default_campaign, week_of
from ..domain.rules import RULES
from ..domain.scoring import ScoringConfig
from ..domain.status import FINISHED_STATUSES
from ..domain.text import sort_key as _vn_sort
from ..storage.campaign_queries import campaign_counts
from ..storage.errors import UserFixableError
from ..storage.models import Dossier, Officer
from ..storage.pdf import layout
from ..storage.pdf.output import Cancelled
from ..storage.pdf.weekly_report import (
    ActionRow,
    GroupRow,
    OfficerRow,
    RateRow,
    ReportData,
    WeekColumn,
    write_report_pdf,
)
from ..storage.stats_queries import Period, in_period, received_or_processed, timeliness
from . import campaigns as campaign_service
from . import stats
from .campaigns import CampaignView
from .context import AppContext
from .setup import get_profile
from .warnings import open_warnings

KINDS = ("weekly", "monthly", "campaign")
#: The rates of the comparison table and chart: 766 indicators, by code (label in the report).
MAIN_RATES: tuple[tuple[str, str], ...] = (
    ("SO_HOA_GIAY_TO_GIAI_QUYET", "Số hóa hồ sơ và kết quả"),
    ("ORIGINAL_RESULT_AVAILABLE", "Kết quả điện tử"),
    ("ONLINE_DOSSIERS", "Hồ sơ trực tuyến"),
    ("PAYMENT_ONLINE_DOSSIER", "Thanh toán trực tuyến"),
    ("PROGRESS_ON_TIME", "Đúng hạn"),
    ("CITIZEN_DATA_CONNECTED_DOSSIER", "Xác thực định danh"),
)
#: Longest action list printed; the rest are counted in a line below it.
MAX_ACTIONS = 500
COMPARE_ISO_WEEKS = 4

__all__ = ["KINDS", "MAIN_RATES", "Cancelled", "ReportPeriod", "build_report_data", "report_period", "write_report"]


@dataclass(frozen=True)
class ReportPeriod:
    kind: str
    date_from: date
    date_to: date
    label: str  # "Tuần 3 (08/08/2025 – 14/08/2025)"
    campaign: CampaignView | None
    weeks: list[tuple[str, date, date]]  # the comparison columns: (label, from, to)


def _d(day: date) -> str:
    return f"{day:%d/%m/%Y}"


def _short(first: date, last: date) -> str:
    return f"{first:%d/%m}–{last:%d/%m}"


def _pick_campaign(ctx: AppContext, campaign_id: uuid.UUID | None, day: date, required: bool) -> CampaignView | None:
    if campaign_id is not None:
        return campaign_service.get_campaign(ctx, campaign_id)
    if not required:
        return None
    found = default_campaign(campaign_service.list_campaigns(ctx), day)
    if found is None:
        raise UserFixableError("Chưa có chiến dịch nào để lập báo cáo tổng kết.",
                               "Hãy tạo chiến dịch trong phần Chiến dịch rồi thử lại.")
    return found


def report_period(ctx: AppContext, kind: str, day: date, campaign_id: uuid.UUID | None = None) -> ReportPeriod:
    """The report's period and the weeks it is compared with (see the module docstring)."""
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, not {kind!r}")
    campaign = _pick_campaign(ctx, campaign_id, day, required=kind == "campaign")
    if kind == "weekly":
        if campaign is not None:
            week = week_of(campaign, day)
            if week is None:
                raise UserFixableError(
                    f"Ngày {_d(day)} không thuộc chiến dịch “{campaign.name}” "
                    f"({_d(campaign.start_date)} – {_d(campaign.end_date)}).",
                    "Hãy chọn một ngày trong thời gian chiến dịch, hoặc bỏ chọn chiến dịch.",
                )
            weeks = [w for w in campaign_weeks(campaign.start_date, campaign.end_date) if w.number <= week.number]
            columns = [(w.label, w.date_from, w.date_to) for w in weeks]
            label = f"{week.label} ({_d(week.date_from)} – {_d(week.date_to)})"
            return ReportPeriod(kind, week.date_from, week.date_to, label, campaign, columns)
        monday = day - timedelta(days=day.weekday())
        columns = []
        for back in range(COMPARE_ISO_WEEKS - 1, -1, -1):
            first = monday - timedelta(weeks=back)
            iso = first.isocalendar()
            columns.append((f"Tuần {iso.week}/{iso.year}", first, first + timedelta(days=6)))
        iso = monday.isocalendar()
        label = f"Tuần {iso.week} năm {iso.year} ({_d(monday)} – {_d(monday + timedelta(days=6))})"
        return ReportPeriod(kind, monday, monday + timedelta(days=6), label, None, columns)
    if kind == "monthly":
        first = day.replace(day=1)
        last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        columns = []
        start = first
        while start <= last:
            end = min(start + timedelta(days=6 - start.weekday()), last)
            columns.append((f"Tuần {len(columns) + 1}", start, end))
            start = end + timedelta(days=1)
        label = f"Tháng {first.month} năm {first.year} ({_d(first)} – {_d(last)})"
        return ReportPeriod(kind, first, last, label, campaign, columns)
    assert campaign is not None
    last = min(campaign.end_date, max(day, campaign.start_date))
    weeks: list[CampaignWeek] = [w for w in campaign_weeks(campaign.start_date, campaign.end_date)
                                 if w.date_from <= last]
    columns = [(w.label, w.date_from, min(w.date_to, last)) for w in weeks]
    label = f"chiến dịch “{campaign.name}” ({_d(campaign.start_date)} – {_d(last)})"
    return ReportPeriod(kind, campaign.start_date, last, label, campaign, columns)


# ---------------------------------------------------------------------------- per officer


@dataclass
class _OfficerTally:
    received: int = 0
    finished: int = 0
    on_time: int = 0
    early: int = 0
    open: int = 0


def _officer_tallies(ctx: AppContext, period: Period) -> tuple[dict[uuid.UUID | None, _OfficerTally], dict]:
    """Per officer: received, finished (in the period), on time, early, still open — the SQL
    conditions of :mod:`~desktop_app.storage.stats_queries`, so the totals equal the stats."""
    now = ctx.clock()
    ended, ended_on_time, _ = timeliness(period, now)
    finished_in = and_(Dossier.status.in_([int(s) for s in FINISHED_STATUSES]),
                       Dossier.ended_at >= period.start, Dossier.ended_at < period.end)
    due = func.coalesce(Dossier.effective_due_at, Dossier.due_at)
    query = (
        select(Dossier.officer_id, in_period(period), finished_in, ended_on_time, not_(ended), Dossier.ended_at, due)
        .where(received_or_processed(period))
    )
    tallies: dict[uuid.UUID | None, _OfficerTally] = {}
    with ctx.read() as session:
        for officer_id, received, finished, on_time, still_open, ended_at, due_at in session.execute(query):
            tally = tallies.setdefault(officer_id, _OfficerTally())
            tally.received += bool(received)
            tally.open += bool(still_open)
            if finished:
                tally.finished += 1
                if on_time:
                    tally.on_time += 1
                    if due_at is not None and ended_at is not None and ended_at.date() < due_at.date():
                        tally.early += 1
        names = {row.id: row.full_name for row in session.execute(select(Officer.id, Officer.full_name))}
    return tallies, names


# ---------------------------------------------------------------------------- assembling


def _rate_target(config: ScoringConfig, code: str) -> Decimal:
    definition = config.indicator(code)
    return definition.threshold if definition.rule == "threshold" and definition.threshold else Decimal(100)


def _decimal(value: float) -> Decimal:
    return Decimal(str(value))


def build_report_data(ctx: AppContext, kind: str, day: date, *, campaign_id: uuid.UUID | None = None,
                      page_size: str = "A4", progress: Callable[[int, int], None] | None = None,
                      cancel: Callable[[], bool] | None = None) -> ReportData:
    """Everything the report prints, gathered from the services (no PDF yet)."""
    period_info = report_period(ctx, kind, day, campaign_id)
    total_steps = len(period_info.weeks) + 5
    done = 0

    def step() -> None:
        nonlocal done
        if cancel is not None and cancel():
            raise Cancelled()
        done += 1
        if progress is not None:
            progress(done, total_steps)

    profile = get_profile(ctx)
    if profile is None:
        raise UserFixableError("Chưa khai báo thông tin đơn vị.", "Hãy vào Cài đặt › Đơn vị để khai báo trước.")
    config = stats.load_scoring(ctx)
    computed = stats.compute(ctx, period_info.date_from, period_info.date_to, config)
    data_json = computed.as_json()
    counts = dict(computed.counts.counts)
    step()

    rates = []
    for item in computed.card.indicators:
        target = _rate_target(config, item.code)
        rates.append(RateRow(item.name, item.numerator, item.denominator, item.ratio, target,
                             None if item.ratio is None else item.ratio >= target, item.points, item.max_points))
    campaign = period_info.campaign
    campaign_rates: list[RateRow] = []
    if campaign is not None and campaign.targets:
        with ctx.read() as session:
            extra = campaign_counts(session, computed.period)
        values = campaign_service.rates_from(computed.counts, extra)
        labels = campaign_service.rate_labels()
        for code, target in campaign.targets.items():
            value = values.get(code)
            if value is None:
                continue
            goal = _decimal(target)
            campaign_rates.append(RateRow(labels.get(code, code), value.numerator, value.denominator, value.percent,
                                          goal, None if value.percent is None else value.percent >= goal))
    groups = [GroupRow(g.name, g.points, g.measured_max, g.max_points) for g in computed.card.groups]
    any_points = any(g.points is not None for g in computed.card.groups)
    step()

    weeks = []
    for label, first, last in period_info.weeks:
        if first == period_info.date_from and last == period_info.date_to:
            week_stats = computed
        else:
            week_stats = stats.compute(ctx, first, last, config)
        by_code = {i.code: i.ratio for i in week_stats.card.indicators}
        weeks.append(WeekColumn(label, _short(first, last), {name: by_code.get(code) for code, name in MAIN_RATES}))
        step()

    tallies, names = _officer_tallies(ctx, computed.period)
    step()
    items = open_warnings(ctx, period_info.date_from, period_info.date_to, config)
    warnings_per_officer: dict[str, int] = {}
    for item in items:
        warnings_per_officer[item.officer_name] = warnings_per_officer.get(item.officer_name, 0) + 1
    officers = []
    for officer_id, tally in tallies.items():
        name = names.get(officer_id, "") if officer_id is not None else ""
        officers.append(OfficerRow(name or "(Chưa ghi cán bộ)", tally.received, tally.finished, tally.on_time,
                                   tally.finished - tally.on_time, tally.open, warnings_per_officer.get(name, 0)))
    officers.sort(key=lambda row: _vn_sort(row.name))
    finished_early = sum(t.early for t in tallies.values())
    titles = {rule.code: rule.title for rule in RULES}
    actions = [ActionRow(i.code, i.applicant_name, titles.get(i.rule, i.rule), i.officer_name, i.points_at_stake)
               for i in items[:MAX_ACTIONS]]
    step()

    warnings = [(code, titles.get(code, code), n) for code, n in data_json["warnings"].items() if n]
    empty = counts["received"] == 0 and counts["processed"] == 0
    unit_name = profile.unit_name
    letterhead = layout.Letterhead(
        parent_agency=profile.parent_agency,
        unit_name=unit_name,
        number="      /BC-" + _abbreviation(unit_name),
        place_name=profile.place_name,
        day=ctx.clock().date(),
    )
    title, subtitle, intro = _titles(period_info, unit_name)
    head_title = profile.head_title or "Thủ trưởng đơn vị"
    authority = "TM. Ủy ban nhân dân" if unit_name.upper().startswith(("UBND", "ỦY BAN", "UỶ BAN")) else ""
    signature = layout.Signature(authority=authority, title=head_title, name=profile.head_name)
    report = ReportData(
        kind=kind,
        letterhead=letterhead,
        title=title,
        subtitle=subtitle,
        intro=intro,
        period_text=f"{_d(period_info.date_from)} – {_d(period_info.date_to)}",
        counts=counts,
        finished_early=finished_early,
        empty=empty,
        rates=rates,
        campaign_rates=campaign_rates,
        groups=groups,
        total_points=computed.card.total if any_points else None,
        measured_max=computed.card.measured_max,
        scoring_version=config.version,
        weeks=weeks,
        chart_rates=[name for _, name in MAIN_RATES],
        warnings=warnings,
        officers=officers,
        actions=actions,
        signature=signature,
        recipients=_recipients(profile.parent_agency),
        page_size=page_size,
    )
    report.more_actions = max(0, len(items) - MAX_ACTIONS)
    return report


def _abbreviation(unit_name: str) -> str:
    """"UBND xã Phú Lạc" → "UBND"; the kind of issuing body in the document number."""
    first = unit_name.strip().split(" ")[0] if unit_name.strip() else ""
    return first if first.isupper() and first.isalpha() else "BPMC"


def _recipients(parent_agency: str) -> list[str]:
    lines = []
    if parent_agency.strip():
        lines.append(parent_agency.strip())
    lines += ["Chủ tịch, các Phó Chủ tịch UBND", "Bộ phận Một cửa", "Lưu: VT"]
    return lines


def _titles(info: ReportPeriod, unit_name: str) -> tuple[str, str, str]:
    campaign = info.campaign
    if info.kind == "weekly":
        title = "Báo cáo kết quả thực hiện tuần"
        subtitle = info.label if campaign is None else f"{info.label}\n{campaign.name}"
        where = info.label[:1].lower() + info.label[1:]
        if campaign is not None:
            where = f"{where} của {campaign.name}"
        intro = (f"{unit_name} báo cáo kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính tại Bộ phận Một cửa "
                 f"trong {where}, so sánh với các tuần trước như sau:")
        return title, subtitle, intro
    if info.kind == "monthly":
        title = "Báo cáo kết quả thực hiện tháng"
        intro = (f"{unit_name} báo cáo kết quả tiếp nhận, giải quyết hồ sơ thủ tục hành chính tại Bộ phận Một cửa "
                 f"trong {info.label[:1].lower() + info.label[1:]}, so sánh giữa các tuần trong tháng như sau:")
        return title, info.label, intro
    assert campaign is not None
    title = "Báo cáo tổng kết chiến dịch"
    intro = (f"{unit_name} báo cáo tổng kết kết quả thực hiện {info.label}, so sánh kết quả giữa các tuần "
             "như sau:")
    return title, f"{campaign.name} ({_d(info.date_from)} – {_d(info.date_to)})", intro


def write_report(ctx: AppContext, kind: str, day: date, out: Path, *, campaign_id: uuid.UUID | None = None,
                 progress: Callable[[int, int], None] | None = None,
                 cancel: Callable[[], bool] | None = None) -> Path:
    """Write the ``kind`` report (weekly, monthly, campaign) for ``day`` to ``out`` (PDF, written
    atomically). ``progress(done, total)`` is called as the work advances; ``cancel()`` returning
    True stops it with :class:`Cancelled` and nothing written."""
    total = 0

    def seen(done: int, steps: int) -> None:
        nonlocal total
        total = steps
        if progress is not None:
            progress(done, steps)

    data = build_report_data(ctx, kind, day, campaign_id=campaign_id, progress=seen, cancel=cancel)
    written = write_report_pdf(data, Path(out), cancel=cancel)
    if progress is not None:
        progress(total, total)
    return written

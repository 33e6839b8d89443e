"""Campaigns (chiến dịch): editing them, their presets, and where a campaign stands.

A campaign has a name, a period and targets (rate code → %). The rate codes and their
Vietnamese labels are the ``rates`` of ``resources/campaigns/presets.json``. Each rate is
computed for a period from the same counts as the Decision 766 estimate
(:func:`desktop_app.storage.stats_queries.period_counts`), plus the two counts of
:mod:`desktop_app.storage.campaign_queries`. "In the period" means received in the period (set P)
unless the indicator says "received or processed" (set RP):

* ``digitised_components``: P dossiers with ≥ 1 component scanned, reused or taken from the
  kho / P dossiers received (:mod:`~desktop_app.storage.campaign_queries`);
* ``digitised_results`` and ``e_results``: ORIGINAL_RESULT_AVAILABLE — finished dossiers of
  procedures whose result is a document, with a result file / those finished dossiers;
* ``digitised_dossiers``: SO_HOA_GIAY_TO_GIAI_QUYET — dossiers with a digitised component and
  a result (or end) document / P dossiers;
* ``online_payment``: PAYMENT_ONLINE_DOSSIER — dossiers paid online / dossiers with a fee > 0;
* ``procedures_with_online_dossiers``: ONLINE_SERVICE_USED — online-capable procedures with
  ≥ 1 online dossier / online-capable procedures with ≥ 1 dossier;
* ``online_intake``: dossiers received online / P dossiers received;
* ``full_online_procedures``: active toàn trình procedures / active online-capable (toàn trình
  + một phần) procedures — the catalogue as it is now, the same for every period;
* ``satisfaction``: DOSSIER_RECEIVING_SATISFACTION — RP dossiers neither late nor
  "không hài lòng" / RP dossiers;
* ``reused_data``: REUSED_DIGITIZED_DATA — dossiers with a reused component / P dossiers;
* ``results_synced``: DOSSIER_SYNC — RP dossiers marked synced / RP dossiers.

A rate whose denominator is 0 has no value (``percent`` is ``None``: "không có dữ liệu").
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

from sqlalchemy import func, select

from ..domain.campaigns import CampaignWeek, Light, campaign_weeks, elapsed_weeks, traffic_light
from ..domain.procedure import OnlineLevel
from ..domain.roles import Permission
from ..domain.rules import RULES_BY_CODE
from ..domain.scoring import ScoringConfig, round_half_up
from ..domain.text import nfc
from ..storage import seed
from ..storage.campaign_queries import CampaignCounts, campaign_counts
from ..storage.errors import UserFixableError
from ..storage.models import Campaign, CommuneProfile
from ..storage.stats_queries import Period, PeriodCounts, period_counts
from . import stats
from .accounts import require
from .context import AppContext
from .intake import ValidationFailed
from .warnings import open_warnings

NAME_MAX = 200
TOP_RULES = 5


# ---------------------------------------------------------------------------- presets


@dataclass(frozen=True)
class Preset:
    key: str
    name: str
    start_date: date
    end_date: date
    targets: dict[str, int | float]
    notes: str


def _presets_data() -> dict[str, Any]:
    data = json.loads(seed.presets_file().read_text(encoding="utf-8"))
    return data if isinstance(data, dict) else {}


def rate_labels() -> dict[str, str]:
    """Rate code → Vietnamese label, in the file's order."""
    return {str(code): nfc(str(text)) for code, text in (_presets_data().get("rates") or {}).items()}


def presets() -> list[Preset]:
    result = []
    for index, raw in enumerate(_presets_data().get("presets") or [], 1):
        result.append(
            Preset(
                key=str(raw.get("key") or f"preset-{index}"),
                name=nfc(str(raw["name"])),
                start_date=date.fromisoformat(raw["start_date"]),
                end_date=date.fromisoformat(raw["end_date"]),
                targets={str(k): _number(v) for k, v in (raw.get("targets") or {}).items()},
                notes=nfc(str(raw.get("notes") or "")),
            )
        )
    return result


def _number(value: Any) -> int | float:
    number = float(value)
    return int(number) if number.is_integer() else number


# ---------------------------------------------------------------------------- campaigns


@dataclass(frozen=True)
class CampaignView:
    id: uuid.UUID
    name: str
    start_date: date
    end_date: date
    targets: dict[str, int | float]
    notes: str
    version: int

    @property
    def weeks(self) -> list[CampaignWeek]:
        return campaign_weeks(self.start_date, self.end_date)

    @classmethod
    def of(cls, row: Campaign) -> CampaignView:
        targets = {str(k): _number(v) for k, v in (row.targets or {}).items()}
        return cls(row.id, row.name, row.start_date, row.end_date, targets, row.notes or "", row.version)


@dataclass
class CampaignInput:
    name: str
    start_date: date | None
    end_date: date | None
    #: rate code → % (a mapping, or pairs so that a code given twice can be reported)
    targets: Mapping[str, Any] | Sequence[tuple[str, Any]] = field(default_factory=dict)
    notes: str = ""


class CampaignInvalid(ValidationFailed):
    """The campaign cannot be saved; ``errors`` maps a field (name, start_date, end_date, targets)
    to a Vietnamese message naming it."""

    def __init__(self, errors: dict[str, str]) -> None:
        UserFixableError.__init__(
            self, "Chiến dịch chưa lưu được: " + " ".join(errors.values()), "Hãy sửa các ô được đánh dấu."
        )
        self.errors = errors


def list_campaigns(ctx: AppContext) -> list[CampaignView]:
    """Every campaign, the latest first."""
    with ctx.read() as session:
        rows = session.scalars(select(Campaign).order_by(Campaign.start_date.desc(), Campaign.end_date.desc()))
        return [CampaignView.of(row) for row in rows]


def get_campaign(ctx: AppContext, campaign_id: uuid.UUID) -> CampaignView:
    with ctx.read() as session:
        row = session.get(Campaign, campaign_id)
        if row is None:
            raise UserFixableError("Không tìm thấy chiến dịch (có thể đã bị xóa).", "Hãy chọn lại chiến dịch.")
        return CampaignView.of(row)


def validate(data: CampaignInput,
             labels: Mapping[str, str] | None = None) -> tuple[dict[str, str], dict[str, int | float]]:
    """(errors, clean targets). Every message names its field in Vietnamese."""
    labels = rate_labels() if labels is None else labels
    errors: dict[str, str] = {}
    name = nfc(data.name or "").strip()
    if not name:
        errors["name"] = "Chưa nhập tên chiến dịch."
    elif len(name) > NAME_MAX:
        errors["name"] = f"Tên chiến dịch dài quá {NAME_MAX} ký tự."
    if data.start_date is None:
        errors["start_date"] = "Chưa nhập ngày bắt đầu."
    if data.end_date is None:
        errors["end_date"] = "Chưa nhập ngày kết thúc."
    if data.start_date is not None and data.end_date is not None and data.end_date < data.start_date:
        errors["end_date"] = "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu."
    pairs = list(data.targets.items()) if isinstance(data.targets, Mapping) else list(data.targets)
    problems: list[str] = []
    clean: dict[str, int | float] = {}
    for code, value in pairs:
        code = str(code)
        if code not in labels:
            problems.append(f"Chỉ tiêu “{code}” không có trong danh sách tỷ lệ.")
            continue
        label = labels[code]
        if code in clean:
            problems.append(f"Chỉ tiêu “{label}” được nhập hai lần.")
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            problems.append(f"Chỉ tiêu “{label}”: “{value}” không phải là số.")
            continue
        if isinstance(value, bool) or number != number or not 0 <= number <= 100:
            problems.append(f"Chỉ tiêu “{label}” phải từ 0 đến 100 %.")
            continue
        clean[code] = _number(number)
    if problems:
        errors["targets"] = " ".join(problems)
    return errors, clean


def save_campaign(ctx: AppContext, data: CampaignInput, campaign_id: uuid.UUID | None = None,
                  version: int | None = None) -> CampaignView:
    """Create (no ``campaign_id``) or update a campaign; nothing is saved when a field is wrong."""
    require(ctx, Permission.EDIT_CAMPAIGNS)
    errors, targets = validate(data)
    if errors:
        raise CampaignInvalid(errors)
    with ctx.session() as session:
        if campaign_id is None:
            row = Campaign()
            session.add(row)
        else:
            row = session.get(Campaign, campaign_id)
            if row is None:
                raise UserFixableError("Không tìm thấy chiến dịch (có thể đã bị xóa).", "Hãy chọn lại chiến dịch.")
            if version is not None and row.version != version:
                raise UserFixableError(
                    "Chiến dịch vừa được người khác sửa.", "Hãy mở lại chiến dịch để xem bản mới rồi sửa tiếp."
                )
        row.name = nfc(data.name).strip()
        row.start_date = data.start_date
        row.end_date = data.end_date
        row.targets = targets
        row.notes = nfc(data.notes or "").strip()
        session.flush()
        return CampaignView.of(row)


def delete_campaign(ctx: AppContext, campaign_id: uuid.UUID) -> None:
    require(ctx, Permission.EDIT_CAMPAIGNS)
    with ctx.session() as session:
        row = session.get(Campaign, campaign_id)
        if row is not None:
            session.delete(row)


def create_from_preset(ctx: AppContext, key: str) -> CampaignView:
    """A new campaign copied from a preset (its name made unique with " (2)", " (3)" …)."""
    require(ctx, Permission.EDIT_CAMPAIGNS)
    preset = next((p for p in presets() if p.key == key), None)
    if preset is None:
        raise UserFixableError(f"Không có mẫu chiến dịch “{key}”.")
    with ctx.read() as session:
        taken = set(session.scalars(select(Campaign.name)))
    name, n = preset.name, 1
    while name in taken:
        n += 1
        name = f"{preset.name} ({n})"
    return save_campaign(ctx, CampaignInput(name, preset.start_date, preset.end_date, dict(preset.targets),
                                            preset.notes))


# ---------------------------------------------------------------------------- rates


@dataclass(frozen=True)
class RateValue:
    numerator: int
    denominator: int
    percent: Decimal | None  # 2 decimals, half-up; None when the denominator is 0

    @classmethod
    def of(cls, numerator: int, denominator: int) -> RateValue:
        if denominator <= 0:
            return cls(numerator, denominator, None)
        return cls(numerator, denominator, round_half_up(Fraction(100 * numerator, denominator)))


def _online_capable(extra: CampaignCounts) -> tuple[int, int]:
    by_level = extra.procedures_by_level
    full = by_level.get(OnlineLevel.TOAN_TRINH.value, 0)
    return full, full + by_level.get(OnlineLevel.MOT_PHAN.value, 0)


#: rate code → (numerator, denominator) from the period's counts (see the module docstring).
RATE_SOURCES: dict[str, Callable[[PeriodCounts, CampaignCounts], tuple[int, int]]] = {
    "digitised_components": lambda c, x: (x.digitised_components, x.received),
    "digitised_results": lambda c, x: c.indicators["original_result_available"],
    "digitised_dossiers": lambda c, x: c.indicators["so_hoa_giay_to"],
    "online_payment": lambda c, x: c.indicators["payment_online_dossier"],
    "procedures_with_online_dossiers": lambda c, x: c.indicators["online_service_used"],
    "online_intake": lambda c, x: (c.counts["online"], c.counts["received"]),
    "full_online_procedures": lambda c, x: _online_capable(x),
    "satisfaction": lambda c, x: c.indicators["satisfaction"],
    "reused_data": lambda c, x: c.indicators["reused_digitized_data"],
    "results_synced": lambda c, x: c.indicators["dossier_sync"],
    "e_results": lambda c, x: c.indicators["original_result_available"],
}


def rates_from(counts: PeriodCounts, extra: CampaignCounts) -> dict[str, RateValue]:
    return {code: RateValue.of(*source(counts, extra)) for code, source in RATE_SOURCES.items()}


def _counts(ctx: AppContext, period: Period) -> tuple[PeriodCounts, CampaignCounts]:
    with ctx.read() as session:
        offers = bool(session.scalar(select(CommuneProfile.offers_e_certified_copy)))
        return period_counts(session, period, ctx.clock(), offers), campaign_counts(session, period)


def rates(ctx: AppContext, date_from: date, date_to: date) -> dict[str, RateValue]:
    """Every rate code of the presets file, for the dossiers of ``date_from``–``date_to``."""
    if date_from > date_to:
        raise UserFixableError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
    return rates_from(*_counts(ctx, Period(date_from, date_to)))


# ---------------------------------------------------------------------------- progress


@dataclass(frozen=True)
class TargetStatus:
    code: str
    label: str
    target: int | float
    value: RateValue
    light: Light


@dataclass(frozen=True)
class WeekRates:
    week: CampaignWeek
    date_to: date  # the week's end, or today for the week under way
    rates: dict[str, RateValue]


@dataclass(frozen=True)
class GroupPoints:
    """One 766 group: estimated points, the maximum the app measured, the official maximum.

    ``not_measurable`` is the part of the group the app cannot observe at all (its indicators are
    not in the local data: "không đo được tại đây"); ``no_data`` the part it could measure but
    that had no dossiers in the period.
    """

    code: str
    name: str
    points: Decimal | None
    measured_max: Decimal
    max_points: Decimal
    not_measurable: Decimal
    no_data: Decimal


@dataclass(frozen=True)
class RuleCost:
    rule: str
    title: str
    dossiers: int
    points: Decimal


@dataclass(frozen=True)
class CampaignProgress:
    campaign: CampaignView
    today: date
    date_to: date | None  # min(end, today); None when the campaign has not started
    targets: list[TargetStatus]
    overall: dict[str, RateValue]
    weeks: list[WeekRates]
    groups: list[GroupPoints]
    total_points: Decimal | None
    measured_max: Decimal
    top_rules: list[RuleCost]
    scoring_version: str

    @property
    def started(self) -> bool:
        return self.date_to is not None


def group_points(computed: stats.PeriodStats) -> list[GroupPoints]:
    config: ScoringConfig = computed.config
    result = []
    for group in computed.card.groups:
        observable = sum((i.max_points for i in config.indicators if i.group == group.code), Decimal(0))
        result.append(
            GroupPoints(
                group.code, group.name, group.points, group.measured_max, group.max_points,
                not_measurable=max(Decimal(0), group.max_points - observable),
                no_data=max(Decimal(0), observable - group.measured_max),
            )
        )
    return result


def top_rules(ctx: AppContext, date_from: date, date_to: date, config: ScoringConfig | None = None,
              limit: int = TOP_RULES) -> list[RuleCost]:
    """The rules whose warnings cost most points in the period (sum of the points at stake)."""
    points: dict[str, Decimal] = {}
    dossiers: dict[str, int] = {}
    for item in open_warnings(ctx, date_from, date_to, config):
        points[item.rule] = points.get(item.rule, Decimal(0)) + item.points_at_stake
        dossiers[item.rule] = dossiers.get(item.rule, 0) + 1
    ranked = sorted((rule for rule in points if points[rule] > 0), key=lambda r: (-points[r], -dossiers[r], r))
    return [
        RuleCost(rule, RULES_BY_CODE[rule].title if rule in RULES_BY_CODE else rule, dossiers[rule], points[rule])
        for rule in ranked[:limit]
    ]


def campaign_progress(ctx: AppContext, campaign_id: uuid.UUID) -> CampaignProgress:
    """Where a campaign stands today: its rates (whole campaign and week by week), the 766 groups
    and the rules costing most points, all over the campaign up to today."""
    campaign = get_campaign(ctx, campaign_id)
    labels = rate_labels()
    today = ctx.clock().date()
    until = min(campaign.end_date, today)
    if until < campaign.start_date:
        empty = {code: RateValue.of(0, 0) for code in RATE_SOURCES}
        return CampaignProgress(
            campaign, today, None, _target_statuses(campaign, empty, labels), empty, [], [], None, Decimal(0), [],
            stats.load_scoring(ctx).version,
        )
    computed = stats.compute(ctx, campaign.start_date, until)
    with ctx.read() as session:
        extra = campaign_counts(session, computed.period)
    overall = rates_from(computed.counts, extra)
    weeks = []
    for week in elapsed_weeks(campaign.start_date, campaign.end_date, today):
        last = min(week.date_to, until)
        weeks.append(WeekRates(week, last, rates(ctx, week.date_from, last)))
    return CampaignProgress(
        campaign=campaign,
        today=today,
        date_to=until,
        targets=_target_statuses(campaign, overall, labels),
        overall=overall,
        weeks=weeks,
        groups=group_points(computed),
        total_points=computed.card.total if any(g.points is not None for g in computed.card.groups) else None,
        measured_max=computed.card.measured_max,
        top_rules=top_rules(ctx, campaign.start_date, until, computed.config),
        scoring_version=computed.config.version,
    )


def _target_statuses(campaign: CampaignView, values: dict[str, RateValue],
                     labels: Mapping[str, str]) -> list[TargetStatus]:
    result = []
    for code, target in campaign.targets.items():
        value = values.get(code, RateValue.of(0, 0))
        result.append(TargetStatus(code, labels.get(code, code), target, value, traffic_light(value.percent, target)))
    return result


def campaign_count(ctx: AppContext) -> int:
    with ctx.read() as session:
        return int(session.scalar(select(func.count()).select_from(Campaign)) or 0)

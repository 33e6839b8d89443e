"""Statistics and the Decision 766 estimate for a period (``motcua stats``, dashboard, report)."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..domain.rules import RULES
from ..domain.scoring import ScoreCard, ScoringConfig, ScoringConfigError, parse_config, score
from ..storage.bundle import resource_path
from ..storage.errors import UserFixableError
from ..storage.models import AppSetting, CommuneProfile
from ..storage.stats_queries import Period, PeriodCounts, period_counts
from .context import AppContext

SCORING_KEY = "scoring_config"
DEFAULT_SCORING_FILE = "766-2025.json"


def default_scoring_file() -> Path:
    return resource_path("scoring", DEFAULT_SCORING_FILE)


def load_scoring(ctx: AppContext) -> ScoringConfig:
    """The scoring file in force: the one an administrator loaded, else the shipped one."""
    with ctx.read() as session:
        stored = session.scalar(select(AppSetting.value).where(AppSetting.key == SCORING_KEY))
    if stored:
        return _parsed(stored)
    return _parsed(default_scoring_file().read_text(encoding="utf-8"))


@functools.lru_cache(maxsize=4)
def _parsed(text: str) -> ScoringConfig:
    """The scoring file's text, parsed once (the config is immutable): stats are computed often
    (dashboard, reports, each week of a campaign) and parsing cost as much as a week's query."""
    return parse_config(json.loads(text))


def install_scoring_file(ctx: AppContext, path: Path) -> ScoringConfig:
    """Validate a newer scoring file and put it in force; a bad file changes nothing."""
    from ..domain.roles import Permission
    from .accounts import require  # imported here: accounts → intake → warnings → stats

    require(ctx, Permission.EDIT_SCORING)
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise UserFixableError(f"Không đọc được tệp “{Path(path).name}”.", "Hãy chọn đúng tệp .json.") from error
    except json.JSONDecodeError as error:
        raise UserFixableError(
            f"Tệp “{Path(path).name}” không phải JSON hợp lệ (dòng {error.lineno}).",
            "Bộ chỉ số đang dùng vẫn giữ nguyên.",
        ) from error
    try:
        config = parse_config(data)
    except ScoringConfigError as error:
        raise UserFixableError(f"Tệp chấm điểm không hợp lệ: {error}", "Bộ chỉ số đang dùng vẫn giữ nguyên.") from error
    with ctx.session() as session:
        row = session.scalar(select(AppSetting).where(AppSetting.key == SCORING_KEY))
        if row is None:
            row = AppSetting(key=SCORING_KEY)
            session.add(row)
        row.value = json.dumps(data, ensure_ascii=False)
    return config


@dataclass(frozen=True)
class PeriodStats:
    period: Period
    counts: PeriodCounts
    card: ScoreCard
    config: ScoringConfig

    def as_json(self) -> dict[str, Any]:
        return stats_json(self)


def compute(ctx: AppContext, date_from: date, date_to: date, config: ScoringConfig | None = None) -> PeriodStats:
    if date_from > date_to:
        raise UserFixableError("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc.")
    config = config or load_scoring(ctx)
    period = Period(date_from, date_to)
    with ctx.read() as session:
        offers = bool(session.scalar(select(CommuneProfile.offers_e_certified_copy)))
        counts = period_counts(session, period, ctx.clock(), offers)
    return PeriodStats(period, counts, score(config, counts.indicators), config)


def _num(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _max(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


JSON_COUNT_KEYS = ("received", "direct", "online", "postal", "finished", "finished_on_time", "finished_late",
                   "open_within_time", "open_overdue", "rejected", "stopped", "withdrawn")


def stats_json(stats: PeriodStats) -> dict[str, Any]:
    """Exactly the JSON of SPEC §8."""
    return {
        "from": stats.period.date_from.isoformat(),
        "to": stats.period.date_to.isoformat(),
        "scoring_version": stats.config.version,
        "counts": {key: stats.counts.counts[key] for key in JSON_COUNT_KEYS},
        "indicators": [
            {
                "code": i.code,
                "group": i.group,
                "numerator": i.numerator,
                "denominator": i.denominator,
                "ratio": _num(i.ratio) if i.ratio is not None else None,
                "points": _num(i.points),
                "max": _max(i.max_points),
            }
            for i in stats.card.indicators
        ],
        "groups": [
            {"code": g.code, "points": _num(g.points), "measured_max": _max(g.measured_max), "max": _max(g.max_points)}
            for g in stats.card.groups
        ],
        "warnings": {rule.code: stats.counts.warnings.get(rule.code, 0) for rule in RULES},
    }

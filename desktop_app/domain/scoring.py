"""Decision 766 estimate: indicators scored from counts, driven by a versioned data file.

Points = ``max × ratio`` (linear) or ``min(max, max × ratio / T)`` (threshold T %), computed
exactly with fractions and rounded half-up to 2 decimals at the end, as the portal shows them.
An indicator whose denominator is 0 has no score (``None``) and leaves the group's measured
maximum. Groups are reported with their points, measured maximum and official maximum, so
the parts the app cannot observe are "not measured here", never zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any, Mapping

#: The indicator codes and their count keys the app computes (SPEC §5).
KNOWN_COUNTS = {
    "dossier_sync", "progress_on_time", "online_procedures", "online_service_used", "online_dossiers",
    "payment_fee_data", "payment_online_formality", "payment_online_dossier", "satisfaction",
    "original_result_available", "so_hoa_giay_to", "electronic_certified_copy", "reused_digitized_data",
    "kho_used", "citizen_data_dossier", "citizen_data_formality",
}
KNOWN_INDICATORS = {
    "DOSSIER_SYNC", "PROGRESS_ON_TIME", "ONLINE_PROCEDURES", "ONLINE_SERVICE_USED", "ONLINE_DOSSIERS",
    "PAYMENT_FEE_DATA", "PAYMENT_ONLINE_FORMALITY", "PAYMENT_ONLINE_DOSSIER",
    "DOSSIER_RECEIVING_SATISFACTION", "ORIGINAL_RESULT_AVAILABLE", "SO_HOA_GIAY_TO_GIAI_QUYET",
    "ELECTRONIC_CERTIFIED_COPY", "REUSED_DIGITIZED_DATA", "SYNCED_WITH_DVCQG_PERSONAL_STORAGE",
    "CITIZEN_DATA_CONNECTED_DOSSIER", "CITIZEN_DATA_CONNECTED_FORMALITY",
}
KNOWN_GROUPS = {"cong_khai", "tien_do", "dvc_truc_tuyen", "thanh_toan", "hai_long", "so_hoa"}


class ScoringConfigError(ValueError):
    """The scoring file cannot be used; the message (Vietnamese) names the problem."""


@dataclass(frozen=True)
class IndicatorDef:
    code: str
    group: str
    name: str
    max_points: Decimal
    rule: str  # linear | threshold
    threshold: Decimal | None
    counts: str
    unconfirmed: bool = False


@dataclass(frozen=True)
class GroupDef:
    code: str
    name: str
    max_points: Decimal


@dataclass(frozen=True)
class ScoringConfig:
    version: str
    title: str
    groups: tuple[GroupDef, ...]
    indicators: tuple[IndicatorDef, ...]

    def group(self, code: str) -> GroupDef:
        return next(g for g in self.groups if g.code == code)

    def indicator(self, code: str) -> IndicatorDef:
        return next(i for i in self.indicators if i.code == code)


def _number(value: Any, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ScoringConfigError(f"{where}: phải là một số.")
    try:
        number = Decimal(str(value))
    except ArithmeticError as error:
        raise ScoringConfigError(f"{where}: “{value}” không phải là số.") from error
    if not number.is_finite():
        raise ScoringConfigError(f"{where}: không phải là số hữu hạn.")
    return number


def parse_config(data: Any) -> ScoringConfig:
    """Validate a scoring file's content; every problem is refused with a message naming it."""
    if not isinstance(data, dict):
        raise ScoringConfigError("Tệp chấm điểm phải là một đối tượng JSON.")
    version = data.get("version")
    if not isinstance(version, str) or not version.strip():
        raise ScoringConfigError("Thiếu “version” (phiên bản bộ chỉ số).")
    groups_raw, indicators_raw = data.get("groups"), data.get("indicators")
    if not isinstance(groups_raw, list) or not isinstance(indicators_raw, list):
        raise ScoringConfigError("Thiếu danh sách “groups” hoặc “indicators”.")
    groups: list[GroupDef] = []
    for index, raw in enumerate(groups_raw, 1):
        if not isinstance(raw, dict):
            raise ScoringConfigError(f"Nhóm thứ {index} không hợp lệ.")
        code = raw.get("code")
        if code not in KNOWN_GROUPS:
            raise ScoringConfigError(f"Nhóm thứ {index}: mã nhóm “{code}” không được biết.")
        if any(g.code == code for g in groups):
            raise ScoringConfigError(f"Mã nhóm “{code}” bị lặp.")
        maximum = _number(raw.get("max"), f"Nhóm {code}, “max”")
        if maximum <= 0 or maximum > 100:
            raise ScoringConfigError(f"Nhóm {code}: điểm tối đa {maximum} không hợp lý (phải trong 0–100).")
        groups.append(GroupDef(code, str(raw.get("name") or code), maximum))
    if sum(g.max_points for g in groups) > 100:
        raise ScoringConfigError("Tổng điểm tối đa của các nhóm vượt 100.")
    indicators: list[IndicatorDef] = []
    for index, raw in enumerate(indicators_raw, 1):
        if not isinstance(raw, dict):
            raise ScoringConfigError(f"Chỉ số thứ {index} không hợp lệ.")
        code = raw.get("code")
        if code not in KNOWN_INDICATORS:
            raise ScoringConfigError(f"Chỉ số thứ {index}: mã chỉ số “{code}” không được biết.")
        if any(i.code == code for i in indicators):
            raise ScoringConfigError(f"Mã chỉ số “{code}” bị lặp.")
        group = raw.get("group")
        if not any(g.code == group for g in groups):
            raise ScoringConfigError(f"Chỉ số {code}: nhóm “{group}” không có trong danh sách nhóm.")
        counts = raw.get("counts")
        if counts not in KNOWN_COUNTS:
            raise ScoringConfigError(f"Chỉ số {code}: cách đếm “{counts}” không được biết.")
        maximum = _number(raw.get("max"), f"Chỉ số {code}, “max”")
        if maximum <= 0:
            raise ScoringConfigError(f"Chỉ số {code}: điểm tối đa phải lớn hơn 0.")
        rule = raw.get("rule")
        threshold = None
        if rule == "threshold":
            threshold = _number(raw.get("threshold"), f"Chỉ số {code}, “threshold”")
            if not 0 < threshold <= 100:
                raise ScoringConfigError(f"Chỉ số {code}: ngưỡng {threshold} % phải trong khoảng (0, 100].")
        elif rule != "linear":
            raise ScoringConfigError(f"Chỉ số {code}: cách tính “{rule}” phải là “linear” hoặc “threshold”.")
        indicators.append(
            IndicatorDef(code, group, str(raw.get("name") or code), maximum, rule, threshold, counts,
                         bool(raw.get("unconfirmed", False)))
        )
    for group in groups:
        total = sum(i.max_points for i in indicators if i.group == group.code)
        if total > group.max_points:
            raise ScoringConfigError(
                f"Nhóm {group.code}: tổng điểm các chỉ số ({total}) vượt điểm tối đa của nhóm ({group.max_points})."
            )
    return ScoringConfig(version.strip(), str(data.get("title") or ""), tuple(groups), tuple(indicators))


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    scale = 10**places
    scaled = value * scale
    rounded = (scaled.numerator * 2 + scaled.denominator) // (scaled.denominator * 2)
    return (Decimal(rounded) / scale).quantize(Decimal(1).scaleb(-places))


@dataclass(frozen=True)
class IndicatorScore:
    code: str
    group: str
    name: str
    numerator: int
    denominator: int
    ratio: Decimal | None  # percent, 2 decimals
    points: Decimal | None
    max_points: Decimal
    exact_points: Fraction | None = None


@dataclass(frozen=True)
class GroupScore:
    code: str
    name: str
    points: Decimal | None
    measured_max: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class ScoreCard:
    version: str
    indicators: tuple[IndicatorScore, ...]
    groups: tuple[GroupScore, ...]

    @property
    def total(self) -> Decimal:
        return sum((g.points or Decimal(0) for g in self.groups), Decimal("0.00"))

    @property
    def measured_max(self) -> Decimal:
        return sum((g.measured_max for g in self.groups), Decimal(0))

    def indicator(self, code: str) -> IndicatorScore:
        return next(i for i in self.indicators if i.code == code)


def exact_points(defn: IndicatorDef, numerator: int, denominator: int) -> Fraction | None:
    if denominator <= 0:
        return None
    ratio = Fraction(min(max(numerator, 0), denominator), denominator)
    maximum = Fraction(defn.max_points)
    if defn.rule == "threshold":
        return min(maximum, maximum * ratio * 100 / Fraction(defn.threshold))
    return maximum * ratio


def score_indicator(defn: IndicatorDef, numerator: int, denominator: int) -> IndicatorScore:
    points = exact_points(defn, numerator, denominator)
    ratio = None if denominator <= 0 else round_half_up(Fraction(100 * numerator, denominator))
    return IndicatorScore(
        defn.code, defn.group, defn.name, numerator, denominator, ratio,
        None if points is None else round_half_up(points), defn.max_points, points,
    )


def score(config: ScoringConfig, counts: Mapping[str, tuple[int, int]]) -> ScoreCard:
    """Score every indicator from ``counts`` (count key → (numerator, denominator))."""
    indicators = tuple(score_indicator(d, *counts.get(d.counts, (0, 0))) for d in config.indicators)
    groups = []
    for group in config.groups:
        measured = [i for i in indicators if i.group == group.code and i.points is not None]
        groups.append(
            GroupScore(
                group.code,
                group.name,
                sum((i.points for i in measured), Decimal("0.00")) if measured else None,
                sum((i.max_points for i in measured), Decimal(0)),
                group.max_points,
            )
        )
    return ScoreCard(config.version, indicators, tuple(groups))

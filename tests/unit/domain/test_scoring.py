"""The Decision 766 scoring engine (SPEC §5): the shipped file, worked numbers, bad files."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from desktop_app.domain.scoring import (
    IndicatorDef,
    ScoringConfigError,
    parse_config,
    round_half_up,
    score,
    score_indicator,
)

SHIPPED = Path(__file__).resolve().parents[3] / "resources" / "scoring" / "766-2025.json"


@pytest.fixture(scope="module")
def shipped_data() -> dict:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def config(shipped_data):
    return parse_config(shipped_data)


def linear(maximum, code="X") -> IndicatorDef:
    return IndicatorDef(code, "so_hoa", code, Decimal(maximum), "linear", None, "kho_used")


def threshold(maximum, t, code="X") -> IndicatorDef:
    return IndicatorDef(code, "so_hoa", code, Decimal(maximum), "threshold", Decimal(t), "kho_used")


# ------------------------------------------------------------------ the shipped file


def test_shipped_file_has_16_indicators_in_6_groups(config):
    assert config.version == "766-2025.1"
    assert [(g.code, g.max_points) for g in config.groups] == [
        ("cong_khai", 18), ("tien_do", 20), ("dvc_truc_tuyen", 12),
        ("thanh_toan", 10), ("hai_long", 18), ("so_hoa", 22),
    ]
    assert sum(g.max_points for g in config.groups) == 100
    assert len(config.indicators) == 16
    assert len({i.code for i in config.indicators}) == 16
    assert len({i.counts for i in config.indicators}) == 16


def test_shipped_indicators_match_the_spec_table(config):
    expected = {
        "DOSSIER_SYNC": ("cong_khai", 6, "linear", None),
        "PROGRESS_ON_TIME": ("tien_do", 20, "linear", None),
        "ONLINE_PROCEDURES": ("dvc_truc_tuyen", 2, "threshold", 80),
        "ONLINE_SERVICE_USED": ("dvc_truc_tuyen", 4, "linear", None),
        "ONLINE_DOSSIERS": ("dvc_truc_tuyen", 6, "threshold", 50),
        "PAYMENT_FEE_DATA": ("thanh_toan", 2, "threshold", 80),
        "PAYMENT_ONLINE_FORMALITY": ("thanh_toan", 2, "threshold", 80),
        "PAYMENT_ONLINE_DOSSIER": ("thanh_toan", 6, "linear", None),
        "DOSSIER_RECEIVING_SATISFACTION": ("hai_long", 6, "threshold", 90),
        "ORIGINAL_RESULT_AVAILABLE": ("so_hoa", 6, "linear", None),
        "SO_HOA_GIAY_TO_GIAI_QUYET": ("so_hoa", 4, "linear", None),
        "ELECTRONIC_CERTIFIED_COPY": ("so_hoa", 2, "linear", None),
        "REUSED_DIGITIZED_DATA": ("so_hoa", 2, "threshold", 80),
        "SYNCED_WITH_DVCQG_PERSONAL_STORAGE": ("so_hoa", 4, "linear", None),
        "CITIZEN_DATA_CONNECTED_DOSSIER": ("so_hoa", 2, "linear", None),
        "CITIZEN_DATA_CONNECTED_FORMALITY": ("so_hoa", 2, "linear", None),
    }
    got = {
        i.code: (i.group, i.max_points, i.rule, None if i.threshold is None else int(i.threshold))
        for i in config.indicators
    }
    assert got == expected
    # the unconfirmed 2–4–6 split of DVC trực tuyến is flagged as such
    assert {i.code for i in config.indicators if i.unconfirmed} == {
        "ONLINE_PROCEDURES", "ONLINE_SERVICE_USED", "ONLINE_DOSSIERS"
    }
    # all names are Vietnamese text, not the codes
    assert all(i.name != i.code and i.name.strip() for i in config.indicators)


# ------------------------------------------------------------------ worked numbers


def test_linear_6_points_on_2469_of_2971():
    result = score_indicator(linear(6), 2469, 2971)
    assert result.exact_points == Fraction(6 * 2469, 2971)  # 4.98620…
    assert result.points == Decimal("4.99")
    assert result.ratio == Decimal("83.10")  # 83.1033…
    assert (result.numerator, result.denominator) == (2469, 2971)


def test_threshold_80_on_35_of_2971():
    result = score_indicator(threshold(2, 80), 35, 2971)
    assert result.exact_points == Fraction(2 * 35 * 100, 2971 * 80)  # 0.02945…
    assert result.points == Decimal("0.03")
    assert result.ratio == Decimal("1.18")


def test_linear_4_points_on_479_of_2971():
    result = score_indicator(linear(4), 479, 2971)
    assert result.points == Decimal("0.64")  # 0.6449…
    assert result.ratio == Decimal("16.12")


def test_threshold_reaching_the_cap_is_capped_at_the_maximum():
    result = score_indicator(threshold(2, 80), 90, 100)  # 2 × 90/80 = 2.25 → capped
    assert result.points == Decimal("2.00")
    assert result.ratio == Decimal("90.00")
    exactly_at = score_indicator(threshold(2, 80), 80, 100)
    assert exactly_at.points == Decimal("2.00")
    below = score_indicator(threshold(2, 80), 79, 100)  # 2 × 79/80 = 1.975 → half-up
    assert below.points == Decimal("1.98")


@pytest.mark.parametrize(
    ("maximum", "numerator", "denominator", "expected"),
    [
        (1, 1, 8, "0.13"),  # 0.125
        (1, 3, 8, "0.38"),  # 0.375
        (1, 5, 8, "0.63"),  # 0.625
        (6, 67, 400, "1.01"),  # 1.005, which binary floats hold as 1.00499999…
        (2, 1, 16, "0.13"),  # 0.125
    ],
)
def test_exact_half_cases_round_up(maximum, numerator, denominator, expected):
    result = score_indicator(linear(maximum), numerator, denominator)
    assert result.exact_points * 1000 % 10 == 5  # the exact value really ends in …5 at the 3rd decimal
    assert result.points == Decimal(expected)


def test_binary_float_rounding_would_have_given_other_answers():
    # The engine must not be equivalent to round(float): these are the cases where it differs.
    assert round(1 * 1 / 8, 2) == 0.12  # Python rounds half to even
    assert score_indicator(linear(1), 1, 8).points == Decimal("0.13")
    assert round(6 * 67 / 400, 2) == 1.0  # 1.005 is stored as 1.00499999999999989…
    assert score_indicator(linear(6), 67, 400).points == Decimal("1.01")


def test_round_half_up_helper():
    assert round_half_up(Fraction(1, 8)) == Decimal("0.13")
    assert round_half_up(Fraction(1, 3)) == Decimal("0.33")
    assert round_half_up(Fraction(2, 3)) == Decimal("0.67")
    assert round_half_up(Fraction(0)) == Decimal("0.00")
    assert str(round_half_up(Fraction(6))) == "6.00"


def test_zero_denominator_has_no_score_and_leaves_the_measured_maximum(config):
    counts = {key: (0, 0) for key in (i.counts for i in config.indicators)}
    counts["original_result_available"] = (3, 4)  # 6 × 3/4 = 4.50
    counts["so_hoa_giay_to"] = (1, 2)  # 4 × 1/2 = 2.00
    card = score(config, counts)
    kho = card.indicator("SYNCED_WITH_DVCQG_PERSONAL_STORAGE")
    assert kho.points is None and kho.ratio is None and kho.exact_points is None
    assert (kho.numerator, kho.denominator) == (0, 0)
    so_hoa = next(g for g in card.groups if g.code == "so_hoa")
    assert so_hoa.points == Decimal("6.50")
    assert so_hoa.measured_max == 10  # only the two measured indicators (6 + 4), not 22
    assert so_hoa.max_points == 22


def test_group_with_every_indicator_unmeasured_has_no_points(config):
    card = score(config, {"dossier_sync": (0, 0), "progress_on_time": (5, 10)})
    cong_khai = next(g for g in card.groups if g.code == "cong_khai")
    assert cong_khai.points is None
    assert cong_khai.measured_max == 0
    assert cong_khai.max_points == 18
    # a key missing from the counts is unmeasured too
    hai_long = next(g for g in card.groups if g.code == "hai_long")
    assert hai_long.points is None


def test_scorecard_total_sums_the_rounded_group_points(config):
    counts = {
        "dossier_sync": (2469, 2971),  # 4.99
        "progress_on_time": (3, 4),  # 15.00
        "online_procedures": (90, 100),  # capped 2.00
        "payment_online_dossier": (1, 8),  # 0.75
        "original_result_available": (1, 3),  # 2.00
        "citizen_data_dossier": (1, 3),  # 0.67
        "satisfaction": (0, 0),  # unmeasured
    }
    card = score(config, counts)
    assert [(g.code, g.points) for g in card.groups] == [
        ("cong_khai", Decimal("4.99")),
        ("tien_do", Decimal("15.00")),
        ("dvc_truc_tuyen", Decimal("2.00")),
        ("thanh_toan", Decimal("0.75")),
        ("hai_long", None),
        ("so_hoa", Decimal("2.67")),
    ]
    assert card.total == Decimal("25.41")
    assert card.measured_max == 6 + 20 + 2 + 6 + 6 + 2
    assert card.version == "766-2025.1"


def test_numerator_above_denominator_never_exceeds_the_maximum():
    assert score_indicator(linear(6), 12, 10).points == Decimal("6.00")


# ------------------------------------------------------------------ bad files


def _bad(shipped, change) -> str:
    data = copy.deepcopy(shipped)
    change(data)
    with pytest.raises(ScoringConfigError) as info:
        parse_config(data)
    return str(info.value)


def _indicator(data, code):
    return next(i for i in data["indicators"] if i["code"] == code)


def test_not_a_dict_is_refused():
    with pytest.raises(ScoringConfigError) as info:
        parse_config([1, 2, 3])
    assert "đối tượng JSON" in str(info.value)


def test_missing_version_is_refused(shipped_data):
    message = _bad(shipped_data, lambda d: d.pop("version"))
    assert "version" in message and "Thiếu" in message
    assert "Thiếu" in _bad(shipped_data, lambda d: d.update(version="   "))


def test_missing_lists_are_refused(shipped_data):
    assert "indicators" in _bad(shipped_data, lambda d: d.pop("indicators"))


def test_unknown_indicator_code_is_refused(shipped_data):
    message = _bad(shipped_data, lambda d: _indicator(d, "DOSSIER_SYNC").update(code="DOSSIER_SYNK"))
    assert "DOSSIER_SYNK" in message and "không được biết" in message


def test_unknown_group_is_refused(shipped_data):
    message = _bad(shipped_data, lambda d: d["groups"][0].update(code="minh_bach"))
    assert "minh_bach" in message and "không được biết" in message
    message = _bad(shipped_data, lambda d: _indicator(d, "DOSSIER_SYNC").update(group="cong_khai_x"))
    assert "cong_khai_x" in message and "DOSSIER_SYNC" in message


def test_duplicate_indicator_code_is_refused(shipped_data):
    def duplicate(d):
        d["indicators"].append(copy.deepcopy(_indicator(d, "PROGRESS_ON_TIME")))

    message = _bad(shipped_data, duplicate)
    assert "PROGRESS_ON_TIME" in message and "lặp" in message


def test_duplicate_group_is_refused(shipped_data):
    message = _bad(shipped_data, lambda d: d["groups"].append(dict(d["groups"][0])))
    assert "cong_khai" in message and "lặp" in message


def test_negative_or_zero_max_is_refused(shipped_data):
    message = _bad(shipped_data, lambda d: _indicator(d, "DOSSIER_SYNC").update(max=-6))
    assert "DOSSIER_SYNC" in message and "lớn hơn 0" in message
    assert "lớn hơn 0" in _bad(shipped_data, lambda d: _indicator(d, "DOSSIER_SYNC").update(max=0))
    message = _bad(shipped_data, lambda d: d["groups"][1].update(max=-20))
    assert "tien_do" in message


@pytest.mark.parametrize("value", [0, 150, -10])
def test_threshold_outside_0_100_is_refused(shipped_data, value):
    message = _bad(shipped_data, lambda d: _indicator(d, "ONLINE_DOSSIERS").update(threshold=value))
    assert "ONLINE_DOSSIERS" in message and "ngưỡng" in message and str(value) in message


def test_threshold_rule_without_threshold_is_refused(shipped_data):
    message = _bad(shipped_data, lambda d: _indicator(d, "ONLINE_DOSSIERS").pop("threshold"))
    assert "ONLINE_DOSSIERS" in message and "threshold" in message


def test_unknown_rule_is_refused(shipped_data):
    message = _bad(shipped_data, lambda d: _indicator(d, "DOSSIER_SYNC").update(rule="exponential"))
    assert "exponential" in message and "DOSSIER_SYNC" in message


def test_indicator_maxima_above_the_group_max_are_refused(shipped_data):
    message = _bad(shipped_data, lambda d: _indicator(d, "PAYMENT_ONLINE_DOSSIER").update(max=7))
    assert "thanh_toan" in message and "11" in message and "10" in message


def test_groups_above_100_points_are_refused(shipped_data):
    assert "100" in _bad(shipped_data, lambda d: d["groups"][0].update(max=19))


@pytest.mark.parametrize("value", ["sáu", None, [6], True, "NaN", float("inf")])
def test_non_numeric_max_is_refused(shipped_data, value):
    message = _bad(shipped_data, lambda d: _indicator(d, "DOSSIER_SYNC").update(max=value))
    assert "DOSSIER_SYNC" in message and "max" in message


def test_unknown_counts_key_is_refused(shipped_data):
    message = _bad(shipped_data, lambda d: _indicator(d, "DOSSIER_SYNC").update(counts="dossier_synced"))
    assert "dossier_synced" in message and "DOSSIER_SYNC" in message


def test_numeric_strings_are_accepted_as_numbers(shipped_data):
    data = copy.deepcopy(shipped_data)
    _indicator(data, "ONLINE_DOSSIERS").update(max="6", threshold="50")
    config = parse_config(data)
    assert config.indicator("ONLINE_DOSSIERS").max_points == 6
    assert config.indicator("ONLINE_DOSSIERS").threshold == 50

"""Campaign weeks (numbered from the start) and the traffic light of a rate against its target."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from desktop_app.domain.campaigns import (
    AMBER_MARGIN,
    CampaignWeek,
    Dates,
    Light,
    campaign_weeks,
    default_campaign,
    elapsed_weeks,
    traffic_light,
    week_of,
)

DONG_NAI = Dates(date(2025, 7, 25), date(2025, 8, 25))


def test_dong_nai_preset_has_four_full_weeks_and_a_short_fifth():
    weeks = campaign_weeks(DONG_NAI.start_date, DONG_NAI.end_date)
    assert weeks == [
        CampaignWeek(1, date(2025, 7, 25), date(2025, 7, 31)),
        CampaignWeek(2, date(2025, 8, 1), date(2025, 8, 7)),
        CampaignWeek(3, date(2025, 8, 8), date(2025, 8, 14)),
        CampaignWeek(4, date(2025, 8, 15), date(2025, 8, 21)),
        CampaignWeek(5, date(2025, 8, 22), date(2025, 8, 25)),
    ]
    assert [w.days for w in weeks] == [7, 7, 7, 7, 4]
    assert sum(w.days for w in weeks) == 32  # 25/7 … 25/8 inclusive
    assert weeks[0].label == "Tuần 1"
    # the tuple form the dashboard and reports unpack
    n, first, last = weeks[4]
    assert (n, first, last) == (5, date(2025, 8, 22), date(2025, 8, 25))


def test_weeks_of_whole_weeks_one_day_and_reversed_dates():
    assert campaign_weeks(date(2026, 3, 2), date(2026, 3, 15)) == [
        CampaignWeek(1, date(2026, 3, 2), date(2026, 3, 8)),
        CampaignWeek(2, date(2026, 3, 9), date(2026, 3, 15)),
    ]
    assert campaign_weeks(date(2026, 3, 2), date(2026, 3, 2)) == [CampaignWeek(1, date(2026, 3, 2), date(2026, 3, 2))]
    assert campaign_weeks(date(2026, 3, 2), date(2026, 3, 1)) == []


def test_thai_nguyen_45_days_crosses_months_and_ends_short():
    weeks = campaign_weeks(date(2025, 10, 30), date(2025, 12, 15))
    assert len(weeks) == 7  # 47 days = 6 × 7 + 5
    assert weeks[-1] == CampaignWeek(7, date(2025, 12, 11), date(2025, 12, 15))


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 7, 24), None),  # the day before
        (date(2025, 7, 25), 1),
        (date(2025, 7, 31), 1),
        (date(2025, 8, 1), 2),
        (date(2025, 8, 15), 4),
        (date(2025, 8, 21), 4),
        (date(2025, 8, 22), 5),
        (date(2025, 8, 25), 5),
        (date(2025, 8, 26), None),  # the day after
    ],
)
def test_week_of_a_day(day, expected):
    week = week_of(DONG_NAI, day)
    if expected is None:
        assert week is None
    else:
        assert week is not None and week.number == expected
        assert week == campaign_weeks(DONG_NAI.start_date, DONG_NAI.end_date)[expected - 1]


def test_elapsed_weeks_include_the_week_under_way():
    assert [w.number for w in elapsed_weeks(DONG_NAI.start_date, DONG_NAI.end_date, date(2025, 7, 24))] == []
    assert [w.number for w in elapsed_weeks(DONG_NAI.start_date, DONG_NAI.end_date, date(2025, 7, 25))] == [1]
    assert [w.number for w in elapsed_weeks(DONG_NAI.start_date, DONG_NAI.end_date, date(2025, 8, 8))] == [1, 2, 3]
    assert len(elapsed_weeks(DONG_NAI.start_date, DONG_NAI.end_date, date(2026, 1, 1))) == 5


def test_the_amber_margin_is_ten_points():
    assert AMBER_MARGIN == 10


@pytest.mark.parametrize(
    ("actual", "target", "light"),
    [
        (80, 80, Light.GREEN),  # exactly on target
        (Decimal("80.00"), 80, Light.GREEN),
        (100, 80, Light.GREEN),
        (Decimal("79.99"), 80, Light.AMBER),  # just below
        (70, 80, Light.AMBER),  # exactly 10 points below: still amber
        (Decimal("69.99"), 80, Light.RED),  # just past the margin
        (0, 80, Light.RED),
        (100, 100, Light.GREEN),
        (Decimal("99.99"), 100, Light.AMBER),
        (90, 100, Light.AMBER),
        (Decimal("89.99"), 100, Light.RED),
        (0, 0, Light.GREEN),  # a 0 % target is always met
        (5, 10, Light.AMBER),  # target under the margin: anything from 0 is amber
        (0, 10, Light.AMBER),
        (Decimal("41.64"), 45, Light.AMBER),
        (58.82, 60, Light.AMBER),
        (None, 80, Light.NO_DATA),  # zero denominator: no colour, "không có dữ liệu"
    ],
)
def test_traffic_light_boundaries(actual, target, light):
    assert traffic_light(actual, target) is light


def test_light_labels_are_vietnamese_words():
    assert [light.label for light in Light] == ["Đạt", "Gần đạt", "Chưa đạt", "Không có dữ liệu"]


def test_default_campaign_prefers_the_running_one():
    old = Dates(date(2025, 1, 1), date(2025, 6, 30))
    running = Dates(date(2026, 2, 1), date(2026, 3, 1))
    later_running = Dates(date(2026, 2, 10), date(2026, 2, 28))
    future = Dates(date(2026, 5, 1), date(2026, 6, 1))
    today = date(2026, 2, 12)
    assert default_campaign([old, running, future], today) is running
    assert default_campaign([old, running, later_running, future], today) is later_running
    # none running: the latest one already started (not the one still to come)
    assert default_campaign([old, future, Dates(date(2025, 9, 1), date(2025, 12, 31))], today) == Dates(
        date(2025, 9, 1), date(2025, 12, 31)
    )
    # only future ones: the first to come
    assert default_campaign([future, Dates(date(2026, 4, 1), date(2026, 4, 30))], today) == Dates(
        date(2026, 4, 1), date(2026, 4, 30)
    )
    assert default_campaign([], today) is None

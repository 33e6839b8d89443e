from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.dates import iso_week_range, parse_date, parse_datetime


@pytest.mark.parametrize("text, expected", [
    ("25/07/2025", datetime(2025, 7, 25)),
    ("5/7/2025", datetime(2025, 7, 5)),
    ("25/07/2025 14:30", datetime(2025, 7, 25, 14, 30)),
    ("25/07/2025 14:30:15", datetime(2025, 7, 25, 14, 30, 15)),
    ("2025-07-25", datetime(2025, 7, 25)),
    ("2025-07-25T08:05", datetime(2025, 7, 25, 8, 5)),
    (" 01-02-2026 ", datetime(2026, 2, 1)),
])
def test_accepted_forms(text, expected):
    assert parse_datetime(text) == expected


@pytest.mark.parametrize("text, message", [
    ("31/02/2026", "không có thật"),
    ("2026/02/01", "dd/mm/yyyy"),
    ("", "dd/mm/yyyy"),
    ("25/07/2025 25:00", "không có thật"),
])
def test_refused_forms_say_why(text, message):
    with pytest.raises(ValueError) as info:
        parse_datetime(text)
    assert message in str(info.value)


def test_iso_weeks():
    assert iso_week_range("2026-W01") == (date(2025, 12, 29), date(2026, 1, 4))
    assert iso_week_range("2026-W09") == (date(2026, 2, 23), date(2026, 3, 1))
    with pytest.raises(ValueError):
        iso_week_range("2026-W54")


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_both_writings_of_a_day_parse_to_it(day):
    assert parse_date(f"{day:%d/%m/%Y}") == day
    assert parse_date(day.isoformat()) == day

"""Working days and due dates, on the real 2026 Vietnamese calendar.

The calendar is built the way the app seeds it: days off = the ``holidays`` package's dates for
Vietnam, make-up working days = its ``weekend_workdays``. Every expected date below was worked
out by hand on a 2026 calendar (1/1/2026 is a Thursday, 12/2/2026 is a Thursday).
"""

from __future__ import annotations

from datetime import date, datetime, time

import holidays
import pytest

from desktop_app.domain.calendar import (
    END_OF_DAY,
    TimeUnit,
    WorkCalendar,
    add_months,
    describe_limit,
    due_at,
)


@pytest.fixture(scope="module")
def cal2026() -> WorkCalendar:
    vn = holidays.country_holidays("VN", years=2026)
    workdays = holidays.VN(years=2026).weekend_workdays
    return WorkCalendar(days_off=frozenset(vn), working_days=frozenset(workdays))


def at(day: date, hour: int = 17, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute))


# ---------------------------------------------------------------- the seeded 2026 calendar


def test_package_data_matches_what_the_tests_assume(cal2026: WorkCalendar) -> None:
    # If the package changes its 2026 data, the worked examples below need re-checking.
    assert {date(2026, 2, d) for d in range(16, 21)} <= cal2026.days_off  # Tết Bính Ngọ
    assert date(2026, 8, 31) in cal2026.days_off
    assert date(2026, 8, 22) in cal2026.working_days
    assert date(2026, 2, 12).weekday() == 3  # Thursday


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2026, 2, 12), True),  # Thu before Tết
        (date(2026, 2, 13), True),  # Fri before Tết
        (date(2026, 2, 14), False),  # Sat
        (date(2026, 2, 16), False),  # Mon, 29 Tết
        (date(2026, 2, 20), False),  # Fri, mùng 4 Tết
        (date(2026, 2, 23), True),  # Mon after Tết
        (date(2026, 1, 1), False),  # Tết Dương lịch
        (date(2026, 4, 27), False),  # Giỗ Tổ 26/4 is a Sunday, observed Monday
        (date(2026, 4, 30), False),
        (date(2026, 5, 1), False),
        (date(2026, 8, 22), True),  # Saturday worked (làm bù)
        (date(2026, 8, 29), False),  # an ordinary Saturday
        (date(2026, 8, 31), False),  # Monday off in exchange
        (date(2026, 9, 1), False),
        (date(2026, 9, 2), False),
        (date(2026, 9, 3), True),
    ],
)
def test_is_working_day(cal2026: WorkCalendar, day: date, working: bool) -> None:
    assert cal2026.is_working_day(day) is working


def test_next_working_day_and_on_or_after(cal2026: WorkCalendar) -> None:
    assert cal2026.next_working_day(date(2026, 2, 13)) == date(2026, 2, 23)
    assert cal2026.next_working_day(date(2026, 8, 21)) == date(2026, 8, 22)
    assert cal2026.next_working_day(date(2026, 8, 28)) == date(2026, 9, 3)
    assert cal2026.on_or_after(date(2026, 2, 12)) == date(2026, 2, 12)
    assert cal2026.on_or_after(date(2026, 2, 14)) == date(2026, 2, 23)


def test_working_days_between(cal2026: WorkCalendar) -> None:
    # (12/2, 24/2]: 13, 23, 24
    assert cal2026.working_days_between(date(2026, 2, 12), date(2026, 2, 24)) == 3
    # (21/8, 4/9]: Sat 22, 24–28 (5), 3, 4  -> 8
    assert cal2026.working_days_between(date(2026, 8, 21), date(2026, 9, 4)) == 8
    assert cal2026.working_days_between(date(2026, 3, 2), date(2026, 3, 2)) == 0


def test_add_working_days_refuses_negative(cal2026: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        cal2026.add_working_days(date(2026, 3, 2), -1)


# ---------------------------------------------------------------- working-day limits


def test_three_working_days_across_tet(cal2026: WorkCalendar) -> None:
    # Received Thu 12/2: Fri 13/2 is day 1, Mon 16–Fri 20/2 are Tết, Mon 23/2 day 2, Tue 24/2 day 3.
    received = at(date(2026, 2, 12), 9, 30)
    assert due_at(received, 3, TimeUnit.NGAY_LAM_VIEC, cal2026) == at(date(2026, 2, 24))


def test_make_up_saturday_counts_and_swapped_monday_does_not(cal2026: WorkCalendar) -> None:
    # Received Fri 21/8: day 1 = Sat 22/8 (làm bù), days 2–6 = Mon 24–Fri 28/8,
    # then Sat 29, Sun 30, Mon 31/8 (nghỉ bù), 1/9 and 2/9 (Quốc khánh) are off: day 7 = Thu 3/9.
    received = at(date(2026, 8, 21), 10)
    assert due_at(received, 1, TimeUnit.NGAY_LAM_VIEC, cal2026) == at(date(2026, 8, 22))
    assert due_at(received, 6, TimeUnit.NGAY_LAM_VIEC, cal2026) == at(date(2026, 8, 28))
    assert due_at(received, 7, TimeUnit.NGAY_LAM_VIEC, cal2026) == at(date(2026, 9, 3))


def test_working_days_without_the_make_up_day_would_differ() -> None:
    # Guards the previous test: with only the days off, Sat 22/8 is not a working day.
    vn = holidays.country_holidays("VN", years=2026)
    plain = WorkCalendar(days_off=frozenset(vn))
    assert due_at(at(date(2026, 8, 21), 10), 1, TimeUnit.NGAY_LAM_VIEC, plain) == at(
        date(2026, 8, 24)
    )


def test_working_days_from_a_saturday(cal2026: WorkCalendar) -> None:
    # Received Sat 7/3/2026: Mon 9 = 1, Tue 10 = 2, Wed 11 = 3.
    assert due_at(at(date(2026, 3, 7), 9), 3, TimeUnit.NGAY_LAM_VIEC, cal2026) == at(
        date(2026, 3, 11)
    )


def test_whole_number_of_days_required(cal2026: WorkCalendar) -> None:
    with pytest.raises(ValueError):
        due_at(at(date(2026, 3, 2), 9), 2.5, TimeUnit.NGAY_LAM_VIEC, cal2026)


# ---------------------------------------------------------------- same-day procedures


def test_same_day_before_cutoff(cal2026: WorkCalendar) -> None:
    # Mon 2/3/2026, 14:59 -> same day 17:00
    assert due_at(at(date(2026, 3, 2), 14, 59), 0, TimeUnit.NGAY_LAM_VIEC, cal2026) == at(
        date(2026, 3, 2)
    )


@pytest.mark.parametrize("minute", [0, 30])
def test_same_day_from_cutoff_is_next_working_day(cal2026: WorkCalendar, minute: int) -> None:
    # Mon 2/3/2026, 15:00 or 15:30 -> Tue 3/3
    assert due_at(at(date(2026, 3, 2), 15, minute), 0, TimeUnit.NGAY_LAM_VIEC, cal2026) == at(
        date(2026, 3, 3)
    )


def test_same_day_received_on_saturday_is_monday(cal2026: WorkCalendar) -> None:
    # Sat 7/3/2026 at 09:00 -> Mon 9/3
    assert due_at(at(date(2026, 3, 7), 9), 0, TimeUnit.NGAY, cal2026) == at(date(2026, 3, 9))


def test_same_day_on_make_up_saturday(cal2026: WorkCalendar) -> None:
    assert due_at(at(date(2026, 8, 22), 9), 0, TimeUnit.NGAY_LAM_VIEC, cal2026) == at(
        date(2026, 8, 22)
    )


def test_same_day_friday_afternoon_before_tet(cal2026: WorkCalendar) -> None:
    # Fri 13/2/2026 16:00 -> next working day is Mon 23/2 (after the weekend and Tết)
    assert due_at(at(date(2026, 2, 13), 16), 0, TimeUnit.NGAY_LAM_VIEC, cal2026) == at(
        date(2026, 2, 23)
    )


def test_due_time_is_end_of_office_hours() -> None:
    assert END_OF_DAY == time(17, 0)


# ---------------------------------------------------------------- calendar days, months, hours


def test_calendar_days_landing_on_sunday_move_to_monday(cal2026: WorkCalendar) -> None:
    # Wed 4/3/2026 + 4 days = Sun 8/3 -> Mon 9/3
    assert due_at(at(date(2026, 3, 4), 9), 4, TimeUnit.NGAY, cal2026) == at(date(2026, 3, 9))
    # Wed 4/3 + 2 days = Fri 6/3, a working day: stays
    assert due_at(at(date(2026, 3, 4), 9), 2, TimeUnit.NGAY, cal2026) == at(date(2026, 3, 6))


def test_calendar_days_landing_in_tet(cal2026: WorkCalendar) -> None:
    # Tue 10/2 + 7 days = Tue 17/2 (mùng 1 Tết) -> Mon 23/2
    assert due_at(at(date(2026, 2, 10), 9), 7, TimeUnit.NGAY, cal2026) == at(date(2026, 2, 23))


def test_one_month_from_31_january(cal2026: WorkCalendar) -> None:
    # 31/1/2026 + 1 month = 28/2/2026 (last day of February, a Saturday) -> Mon 2/3/2026
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert date(2026, 2, 28).weekday() == 5
    assert due_at(at(date(2026, 1, 31), 9), 1, TimeUnit.THANG, cal2026) == at(date(2026, 3, 2))


def test_add_months_across_year_end() -> None:
    assert add_months(date(2026, 11, 30), 3) == date(2027, 2, 28)
    assert add_months(date(2027, 12, 15), 1) == date(2028, 1, 15)
    assert add_months(date(2028, 1, 31), 1) == date(2028, 2, 29)  # leap year


def test_eight_working_hours_from_friday_morning(cal2026: WorkCalendar) -> None:
    # Fri 6/3/2026 09:00: 09:00–11:30 (2.5 h) + 13:00–17:00 (4 h) = 6.5 h,
    # remaining 1.5 h from Mon 9/3 07:30 -> 09:00.
    assert date(2026, 3, 6).weekday() == 4
    assert due_at(at(date(2026, 3, 6), 9), 8, TimeUnit.GIO, cal2026) == at(date(2026, 3, 9), 9)


def test_two_working_hours_over_lunch(cal2026: WorkCalendar) -> None:
    # 10:30–11:30 is 1 h, then 13:00 + 1 h = 14:00
    assert due_at(at(date(2026, 3, 4), 10, 30), 2, TimeUnit.GIO, cal2026) == at(
        date(2026, 3, 4), 14
    )


def test_working_hours_skip_tet(cal2026: WorkCalendar) -> None:
    # Fri 13/2 16:00 + 2 h: 1 h that afternoon, then Mon 23/2 07:30 + 1 h = 08:30
    assert due_at(at(date(2026, 2, 13), 16), 2, TimeUnit.GIO, cal2026) == at(
        date(2026, 2, 23), 8, 30
    )


def test_working_hours_received_before_office_hours(cal2026: WorkCalendar) -> None:
    # 06:00 counts from 07:30: + 4 h = 11:30
    assert due_at(at(date(2026, 3, 4), 6), 4, TimeUnit.GIO, cal2026) == at(date(2026, 3, 4), 11, 30)


def test_negative_limit_refused(cal2026: WorkCalendar) -> None:
    for unit in TimeUnit:
        with pytest.raises(ValueError):
            due_at(at(date(2026, 3, 2), 9), -1, unit, cal2026)


def test_unit_may_be_given_as_its_stored_value(cal2026: WorkCalendar) -> None:
    assert due_at(at(date(2026, 2, 12), 9), 3, "ngay_lam_viec", cal2026) == at(date(2026, 2, 24))


# ---------------------------------------------------------------- wording


def test_describe_limit() -> None:
    assert describe_limit(0, TimeUnit.NGAY_LAM_VIEC) == "Trong ngày"
    assert describe_limit(0, TimeUnit.GIO) == "Trong ngày"
    assert describe_limit(3, TimeUnit.NGAY_LAM_VIEC) == "3 ngày làm việc"
    assert describe_limit(3.0, TimeUnit.NGAY_LAM_VIEC) == "3 ngày làm việc"
    assert describe_limit(8, TimeUnit.GIO) == "8 giờ"
    assert describe_limit(15, TimeUnit.NGAY) == "15 ngày"
    assert describe_limit(1, TimeUnit.THANG) == "1 tháng"


def test_describe_limit_uses_vietnamese_decimal_comma() -> None:
    # "1.5" would read as fifteen next to money written "1.234.000 đ" (SPEC §11).
    assert describe_limit(1.5, TimeUnit.GIO) == "1,5 giờ"

"""Working-day calendar and due dates.

A day is a working day when it is Monday–Friday and not a public holiday or official day off,
or when it is an official make-up working day (ngày làm bù). The calendar is built from plain
sets of dates; where they come from (the ``holidays`` package, the user's edits) is not its
concern.
"""

from __future__ import annotations

import calendar as _stdcal
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import Enum


class TimeUnit(str, Enum):
    GIO = "gio"
    NGAY = "ngay"
    NGAY_LAM_VIEC = "ngay_lam_viec"
    THANG = "thang"

    @property
    def label(self) -> str:
        return TIME_UNIT_LABELS[self]


TIME_UNIT_LABELS = {
    TimeUnit.GIO: "giờ",
    TimeUnit.NGAY: "ngày",
    TimeUnit.NGAY_LAM_VIEC: "ngày làm việc",
    TimeUnit.THANG: "tháng",
}

#: Dossiers of same-day procedures received after this time are due the next working day.
SAME_DAY_CUTOFF = time(15, 0)
#: Time of day a dossier is due on its due day (end of office hours).
END_OF_DAY = time(17, 0)
#: Office hours used to count limits given in hours.
WORK_PERIODS: tuple[tuple[time, time], ...] = ((time(7, 30), time(11, 30)), (time(13, 0), time(17, 0)))


@dataclass(frozen=True)
class WorkCalendar:
    days_off: frozenset[date] = field(default_factory=frozenset)
    """Public holidays and official days off that fall on weekdays (or any day)."""
    working_days: frozenset[date] = field(default_factory=frozenset)
    """Official make-up working days (usually Saturdays)."""

    def is_working_day(self, day: date) -> bool:
        if day in self.working_days:
            return True
        return day.weekday() < 5 and day not in self.days_off

    def next_working_day(self, day: date) -> date:
        """The first working day strictly after ``day``."""
        day += timedelta(days=1)
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day

    def on_or_after(self, day: date) -> date:
        """``day`` itself if it is a working day, else the next one."""
        return day if self.is_working_day(day) else self.next_working_day(day)

    def add_working_days(self, day: date, count: int) -> date:
        """The ``count``-th working day after ``day`` (``day`` itself is not counted)."""
        if count < 0:
            raise ValueError("count must not be negative")
        for _ in range(count):
            day = self.next_working_day(day)
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days in the half-open range (start, end]."""
        count, day = 0, start
        while day < end:
            day += timedelta(days=1)
            if self.is_working_day(day):
                count += 1
        return count

    def add_working_hours(self, start: datetime, hours: float) -> datetime:
        remaining = timedelta(hours=hours)
        current = start
        while True:
            if self.is_working_day(current.date()):
                for begin, end in WORK_PERIODS:
                    period_start = datetime.combine(current.date(), begin)
                    period_end = datetime.combine(current.date(), end)
                    if current >= period_end:
                        continue
                    current = max(current, period_start)
                    available = period_end - current
                    if remaining <= available:
                        return current + remaining
                    remaining -= available
                    current = period_end
            current = datetime.combine(current.date() + timedelta(days=1), time(0, 0))


def add_months(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _stdcal.monthrange(year, month)[1]))


def due_at(received_at: datetime, limit: float, unit: TimeUnit, cal: WorkCalendar) -> datetime:
    """When a dossier received at ``received_at`` is due, for a legal limit of ``limit`` ``unit``.

    A limit of 0 means "the same day": received on a working day before 15:00 it is due that
    day, otherwise on the next working day.
    """
    unit = TimeUnit(unit)
    if limit < 0:
        raise ValueError("Thời hạn giải quyết không được âm.")
    received_day = received_at.date()
    if limit == 0:
        if cal.is_working_day(received_day) and received_at.time() < SAME_DAY_CUTOFF:
            day = received_day
        else:
            day = cal.next_working_day(received_day)
        return datetime.combine(day, END_OF_DAY)
    if unit is TimeUnit.GIO:
        return cal.add_working_hours(received_at, limit)
    whole = int(limit)
    if whole != limit:
        raise ValueError("Thời hạn tính theo ngày hoặc tháng phải là số nguyên.")
    if unit is TimeUnit.NGAY_LAM_VIEC:
        day = cal.add_working_days(received_day, whole)
    elif unit is TimeUnit.NGAY:
        day = cal.on_or_after(received_day + timedelta(days=whole))
    else:
        day = cal.on_or_after(add_months(received_day, whole))
    return datetime.combine(day, END_OF_DAY)


def describe_limit(limit: float, unit: TimeUnit) -> str:
    """Vietnamese wording of a time limit, e.g. "3 ngày làm việc", "Trong ngày"."""
    if limit == 0:
        return "Trong ngày"
    # Vietnamese writes the decimal separator as a comma ("1,5 giờ"); "1.5" would read as 15.
    shown = str(int(limit)) if float(limit).is_integer() else str(limit).replace(".", ",")
    return f"{shown} {TimeUnit(unit).label}"

"""Campaigns (chiến dịch): their weeks and the traffic light of a rate against its target.

Weeks of a campaign are numbered from its first day, as the plans' weekly reports do: Tuần 1 is
the first 7 days, Tuần 2 the next 7, and so on; the last week may be shorter and ends on the
campaign's last day. A rate is **green** when it reaches the target, **amber** when it is at
most :data:`AMBER_MARGIN` percentage points below it, **red** otherwise; a rate with no data
(zero denominator) has no colour.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import Enum
from typing import NamedTuple, Protocol, TypeVar

#: How many percentage points below its target a rate may be and still show amber.
AMBER_MARGIN = Decimal(10)

WEEK_DAYS = 7


class CampaignWeek(NamedTuple):
    """Week ``number`` (1-based) of a campaign, ``date_from`` to ``date_to`` inclusive."""

    number: int
    date_from: date
    date_to: date

    @property
    def label(self) -> str:
        return f"Tuần {self.number}"

    @property
    def days(self) -> int:
        return (self.date_to - self.date_from).days + 1


class HasDates(Protocol):
    @property
    def start_date(self) -> date: ...

    @property
    def end_date(self) -> date: ...


def campaign_weeks(start: date, end: date) -> list[CampaignWeek]:
    """The weeks of a campaign from ``start`` to ``end`` (inclusive); ``[]`` if ``end < start``."""
    weeks: list[CampaignWeek] = []
    first = start
    number = 1
    while first <= end:
        last = min(first + timedelta(days=WEEK_DAYS - 1), end)
        weeks.append(CampaignWeek(number, first, last))
        first = last + timedelta(days=1)
        number += 1
    return weeks


def week_of(campaign: HasDates, day: date) -> CampaignWeek | None:
    """The campaign week holding ``day``, or ``None`` when the day is outside the campaign."""
    if not campaign.start_date <= day <= campaign.end_date:
        return None
    number = (day - campaign.start_date).days // WEEK_DAYS + 1
    first = campaign.start_date + timedelta(days=(number - 1) * WEEK_DAYS)
    return CampaignWeek(number, first, min(first + timedelta(days=WEEK_DAYS - 1), campaign.end_date))


def elapsed_weeks(start: date, end: date, today: date) -> list[CampaignWeek]:
    """The weeks that have begun by ``today`` (the current one included, even if not over)."""
    return [week for week in campaign_weeks(start, end) if week.date_from <= today]


class Light(str, Enum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"
    NO_DATA = "no_data"

    @property
    def label(self) -> str:
        return LIGHT_LABELS[self]


LIGHT_LABELS = {
    Light.GREEN: "Đạt",
    Light.AMBER: "Gần đạt",
    Light.RED: "Chưa đạt",
    Light.NO_DATA: "Không có dữ liệu",
}


def _decimal(value: Decimal | float | int) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def traffic_light(actual: Decimal | float | int | None, target: Decimal | float | int) -> Light:
    """Green at or above ``target``; amber up to :data:`AMBER_MARGIN` points below; red below that."""
    if actual is None:
        return Light.NO_DATA
    actual_d, target_d = _decimal(actual), _decimal(target)
    if actual_d >= target_d:
        return Light.GREEN
    if actual_d >= target_d - AMBER_MARGIN:
        return Light.AMBER
    return Light.RED


T = TypeVar("T", bound=HasDates)


def default_campaign(campaigns: Iterable[T], today: date) -> T | None:
    """The campaign to show first: the one running today (the latest started if several), else
    the latest one already started, else the first one to come."""
    items: Sequence[T] = list(campaigns)
    running = [c for c in items if c.start_date <= today <= c.end_date]
    if running:
        return max(running, key=lambda c: (c.start_date, c.end_date))
    started = [c for c in items if c.start_date <= today]
    if started:
        return max(started, key=lambda c: (c.end_date, c.start_date))
    if items:
        return min(items, key=lambda c: (c.start_date, c.end_date))
    return None


@dataclass(frozen=True)
class Dates:
    """A plain (start, end) pair for :func:`week_of` and :func:`default_campaign`."""

    start_date: date
    end_date: date

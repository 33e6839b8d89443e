"""Dates as officers and files write them: ``dd/mm/yyyy[ HH:MM[:SS]]`` or ISO ``yyyy-mm-dd``."""

from __future__ import annotations

import re
from datetime import date, datetime

_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$")


def parse_datetime(text: str) -> datetime:
    """``25/07/2025``, ``25/07/2025 14:30[:15]`` or ``2025-07-25[ 14:30]``; ValueError (Vietnamese)."""
    value = (text or "").strip()
    match = _DMY.match(value)
    if match:
        day, month, year = int(match[1]), int(match[2]), int(match[3])
        hour, minute, second = (int(match[i]) if match[i] else 0 for i in (4, 5, 6))
    else:
        match = _ISO.match(value)
        if not match:
            raise ValueError(f"“{value}” không phải ngày dạng dd/mm/yyyy hoặc yyyy-mm-dd.")
        year, month, day = int(match[1]), int(match[2]), int(match[3])
        hour, minute, second = (int(match[i]) if match[i] else 0 for i in (4, 5, 6))
    try:
        return datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise ValueError(f"Ngày “{value}” không có thật.") from None


def parse_date(text: str) -> date:
    return parse_datetime(text).date()


def iso_week_range(text: str) -> tuple[date, date]:
    """``2026-W05`` → (Monday, Sunday) of that ISO week."""
    match = re.match(r"^(\d{4})-?W(\d{1,2})$", (text or "").strip(), re.IGNORECASE)
    if not match:
        raise ValueError(f"“{text}” không phải tuần dạng YYYY-Www (ví dụ 2026-W05).")
    try:
        monday = date.fromisocalendar(int(match[1]), int(match[2]), 1)
    except ValueError:
        raise ValueError(f"Tuần “{text}” không có thật.") from None
    return monday, date.fromisocalendar(int(match[1]), int(match[2]), 7)

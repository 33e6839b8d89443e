"""Dossier codes ``<mã đơn vị>-YYMMDD-NNNN`` (TT 01/2018/TT-VPCP art. 19 layout)."""

from __future__ import annotations

import re
from datetime import date

_CODE = re.compile(r"^(?P<unit>.+)-(?P<day>\d{6})-(?P<seq>\d{4})$")
MAX_SEQUENCE = 9999


def code_prefix(unit_code: str, day: date) -> str:
    return f"{unit_code.strip()}-{day:%y%m%d}-"


def format_code(unit_code: str, day: date, sequence: int) -> str:
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise ValueError(f"Đã hết số thứ tự hồ sơ trong ngày {day:%d/%m/%Y} (tối đa {MAX_SEQUENCE}).")
    return f"{code_prefix(unit_code, day)}{sequence:04d}"


def sequence_of(code: str) -> int | None:
    """The day's sequence number of a code in the standard layout, else ``None``."""
    match = _CODE.match(code.strip())
    return int(match["seq"]) if match else None


def next_code(unit_code: str, day: date, codes_of_the_day: list[str]) -> str:
    """The next free code of ``day`` given the codes already used with the same prefix."""
    used = [seq for seq in map(sequence_of, codes_of_the_day) if seq is not None]
    return format_code(unit_code, day, max(used, default=0) + 1)


def looks_standard(code: str) -> bool:
    """Whether a code follows the standard layout (imported codes are kept even when not)."""
    return _CODE.match(code.strip()) is not None

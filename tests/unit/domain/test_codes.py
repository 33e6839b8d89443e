"""Dossier codes ``<mã đơn vị>-YYMMDD-NNNN`` (reference/domain.md §4.3)."""

from __future__ import annotations

from datetime import date

import pytest

from desktop_app.domain.codes import (
    MAX_SEQUENCE,
    code_prefix,
    format_code,
    looks_standard,
    next_code,
    sequence_of,
)

UNIT = "000.00.53.H48"
DAY = date(2026, 11, 23)


def test_first_code_of_the_day() -> None:
    assert next_code(UNIT, DAY, []) == "000.00.53.H48-261123-0001"


def test_prefix_uses_two_digit_year_month_day() -> None:
    assert code_prefix(" 000.00.53.H48 ", date(2026, 2, 5)) == "000.00.53.H48-260205-"
    assert format_code(UNIT, date(2022, 9, 21), 99) == "000.00.53.H48-220921-0099"


def test_next_code_is_max_plus_one_ignoring_non_standard_codes() -> None:
    existing = [
        "000.00.53.H48-261123-0001",
        "000.00.53.H48-261123-0007",  # a gap: 0002–0006 were deleted or edited
        "000.00.53.H48-261123-0003",
        "HS cũ nhập từ Excel",
        "000.00.53.H48-261123-12",  # edited by hand, not 4 digits
        " 000.00.53.H48-261123-0005 ",
    ]
    assert next_code(UNIT, DAY, existing) == "000.00.53.H48-261123-0008"


def test_only_non_standard_codes_start_at_one() -> None:
    assert next_code(UNIT, DAY, ["abc", "000.00.53.H48-261123"]) == "000.00.53.H48-261123-0001"


def test_sequence_of() -> None:
    assert sequence_of("000.00.53.H48-220921-0099") == 99
    assert sequence_of(" 000.00.53.H48-220921-0099\n") == 99
    assert sequence_of("000.00.53.H48-220921-099") is None
    assert sequence_of("0099") is None


def test_last_sequence_of_the_day() -> None:
    assert next_code(UNIT, DAY, [format_code(UNIT, DAY, 9998)]).endswith("-9999")


def test_sequence_10000_refused_in_vietnamese() -> None:
    assert MAX_SEQUENCE == 9999
    with pytest.raises(ValueError, match="Đã hết số thứ tự hồ sơ trong ngày 23/11/2026"):
        format_code(UNIT, DAY, 10000)
    with pytest.raises(ValueError, match="tối đa 9999"):
        next_code(UNIT, DAY, [format_code(UNIT, DAY, 9999)])


def test_sequence_zero_refused() -> None:
    with pytest.raises(ValueError):
        format_code(UNIT, DAY, 0)


@pytest.mark.parametrize(
    ("code", "standard"),
    [
        ("000.00.53.H48-220921-0099", True),
        ("000.00.53.H48-261123-0001", True),
        ("XA-PHULAC-261123-0001", True),  # any unit code before the date
        ("000.00.53.H48-220921-99", False),
        ("000.00.53.H48-2209-0099", False),
        ("000.00.53.H48220921-0099", False),
        ("-220921-0099", False),
        ("H48.2022.0099", False),
        ("", False),
    ],
)
def test_looks_standard(code: str, standard: bool) -> None:
    assert looks_standard(code) is standard

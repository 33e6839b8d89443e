"""Số định danh cá nhân (12 digits) and old CMND (9 digits), reference/domain.md §4.1–4.2."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.identity import (
    PROVINCE_CODES,
    IdKind,
    check_id_number,
    clean_id_number,
    mask_id_number,
)


def test_valid_hanoi_male_born_2003() -> None:
    # 001 = Hà Nội; digit 4 = 2 -> 2000s, male; digits 5–6 = 03 -> 2003
    result = check_id_number("001203004545")
    assert result.ok
    assert result.kind is IdKind.CCCD
    assert result.province == "Hà Nội"
    assert result.birth_year == 2003
    assert result.sex == "Nam"
    assert "Hà Nội" in result.message and "2003" in result.message


@pytest.mark.parametrize(
    ("number", "province", "year", "sex"),
    [
        ("079185001234", "TP Hồ Chí Minh", 1985, "Nữ"),  # 1 -> 1900s female
        ("051090000001", "Quảng Ngãi", 1990, "Nam"),  # 0 -> 1900s male
        ("096326123456", "Cà Mau", 2026, "Nữ"),  # 3 -> 2000s female
        ("001400000001", "Hà Nội", 2100, "Nam"),  # 4 -> 2100s male (no current_year given)
    ],
)
def test_century_and_sex_digit(number: str, province: str, year: int, sex: str) -> None:
    result = check_id_number(number)
    assert result.ok, result.message
    assert (result.province, result.birth_year, result.sex) == (province, year, sex)


@pytest.mark.parametrize(
    "raw",
    ["001 203 004 545", "001.203.004.545", " 001203004545 ", "001-203-004-545", "001203\t004545"],
)
def test_separators_are_cleaned(raw: str) -> None:
    result = check_id_number(raw)
    assert result.ok, result.message
    assert result.birth_year == 2003


def test_non_breaking_spaces_and_newlines_from_pasted_cells_are_cleaned() -> None:
    assert clean_id_number("001\u00a0203\u00a0004\u00a0545\r\n") == "001203004545"
    assert check_id_number("001\u00a0203004545\n").ok


def test_clean_id_number() -> None:
    assert clean_id_number("001.203 004-545") == "001203004545"


def test_eleven_digits_refused() -> None:
    result = check_id_number("00120300454")
    assert not result.ok
    assert result.kind is None
    assert "12" in result.message and "11" in result.message


def test_letters_refused() -> None:
    result = check_id_number("00120300454A")
    assert not result.ok
    assert "chữ số" in result.message


@pytest.mark.parametrize("raw", ["001²03004545", "٠٠١٢٠٣٠٠٤٥٤٥", "١٢٣٤٥٦٧٨٩"])
def test_non_ascii_digits_refused_without_crashing(raw: str) -> None:
    # str.isdigit() accepts "²" and Arabic-Indic digits; they are not số định danh digits.
    result = check_id_number(raw)
    assert not result.ok
    assert "chữ số" in result.message


def test_unknown_province_refused() -> None:
    result = check_id_number("003203004545")
    assert not result.ok
    assert "003" in result.message


def test_birth_year_mismatch_refused() -> None:
    result = check_id_number("001203004545", birth_year=2002)
    assert not result.ok
    assert "2003" in result.message and "2002" in result.message
    assert check_id_number("001203004545", birth_year=2003).ok


def test_sex_mismatch_refused() -> None:
    assert not check_id_number("001203004545", sex="Nữ").ok
    assert check_id_number("001203004545", sex="Nam").ok


def test_future_birth_year_refused_when_current_year_known() -> None:
    # digit 4 = 2, digits 5–6 = 30 -> born 2030, after 2026
    result = check_id_number("001230004545", current_year=2026)
    assert not result.ok
    assert "2030" in result.message
    assert check_id_number("001226004545", current_year=2026).ok  # 2026 itself is fine
    assert not check_id_number("001400000001", current_year=2026).ok  # 2100


@pytest.mark.parametrize("raw", ["", None, "   ", " . - "])
def test_empty_is_not_ok_and_points_to_khong_co(raw: str | None) -> None:
    result = check_id_number(raw)
    assert not result.ok
    assert result.kind is None
    assert "Không có" in result.message


def test_nine_digit_cmnd() -> None:
    result = check_id_number("212 345 678")
    assert result.ok
    assert result.kind is IdKind.CMND


def test_kind_labels() -> None:
    assert IdKind.NONE.label == "Không có"
    assert IdKind.CMND.label.startswith("CMND")


def test_mask() -> None:
    assert mask_id_number("001203004545") == "0012******45"
    assert mask_id_number("212345678") == "2123***78"
    assert mask_id_number("123456") == "******"


def test_63_provinces() -> None:
    assert len(PROVINCE_CODES) == 63
    assert PROVINCE_CODES["048"] == "Đà Nẵng"
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_CODES)


# ---------------------------------------------------------------- properties


@st.composite
def valid_cccd(draw: st.DrawFn) -> tuple[str, int]:
    province = draw(st.sampled_from(sorted(PROVINCE_CODES)))
    century_digit = draw(st.integers(0, 3))
    if century_digit < 2:
        yy = draw(st.integers(0, 99))
    else:
        yy = draw(st.integers(0, 26))  # 2000–2026
    tail = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    year = (1900 if century_digit < 2 else 2000) + yy
    return f"{province}{century_digit}{yy:02d}{tail}", year


@given(valid_cccd())
def test_any_well_formed_number_validates(case: tuple[str, int]) -> None:
    number, year = case
    result = check_id_number(number, current_year=2026)
    assert result.ok, (number, result.message)
    assert result.kind is IdKind.CCCD
    assert result.birth_year == year
    assert result.sex == ("Nam" if int(number[3]) % 2 == 0 else "Nữ")
    assert check_id_number(number, birth_year=year, current_year=2026).ok


@given(st.text(alphabet="0123456789", max_size=30).filter(lambda s: len(s) not in (9, 12)))
def test_digit_strings_of_other_lengths_refused(number: str) -> None:
    result = check_id_number(number)
    assert not result.ok
    assert result.kind is None


@given(st.text(max_size=20))
def test_never_crashes(raw: str) -> None:
    result = check_id_number(raw, current_year=2026)
    assert isinstance(result.ok, bool)
    if result.ok:
        assert clean_id_number(raw).isascii()

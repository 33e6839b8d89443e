"""Property tests (hypothesis) for the inputs officers type or files bring: số định danh, dates,
diacritic-insensitive search. Each property names what must hold for every input."""

from __future__ import annotations

from datetime import datetime

from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain.dates import parse_date, parse_datetime
from desktop_app.domain.identity import (
    PROVINCE_CODES,
    IdKind,
    check_id_number,
    clean_id_number,
    mask_id_number,
)
from desktop_app.domain.text import fold

DIGITS = "0123456789"
PROVINCES = sorted(PROVINCE_CODES)


@st.composite
def cccd(draw) -> str:
    province = draw(st.sampled_from(PROVINCES))
    century = draw(st.sampled_from("0123"))
    year = draw(st.integers(0, 99 if century in "01" else 26))
    return f"{province}{century}{year:02d}" + draw(st.text(alphabet=DIGITS, min_size=6, max_size=6))


@st.composite
def typed_with_separators(draw, number: str) -> str:
    """The number as an officer or a pasted cell writes it: spaces, dots, dashes, NBSP anywhere."""
    out = []
    for ch in number:
        out.append(draw(st.text(alphabet=" .-\u00a0\t", max_size=2)))
        out.append(ch)
    out.append(draw(st.text(alphabet=" .-\u00a0\n", max_size=2)))
    return "".join(out)


# ---------------------------------------------------------------- số định danh


@given(st.data())
def test_separators_never_change_the_verdict(data) -> None:
    number = data.draw(cccd())
    typed = data.draw(typed_with_separators(number))
    assert clean_id_number(typed) == number
    assert check_id_number(typed, current_year=2026) == check_id_number(number, current_year=2026)


@given(cccd(), st.text(alphabet=DIGITS, min_size=3, max_size=3))
def test_unknown_province_codes_are_refused(number: str, code: str) -> None:
    result = check_id_number(code + number[3:], current_year=2026)
    assert result.ok == (code in PROVINCE_CODES)
    if not result.ok:
        assert f"Mã tỉnh “{code}”" in result.message


@given(cccd(), st.integers(1900, 2026))
def test_a_different_declared_birth_year_is_refused(number: str, declared: int) -> None:
    actual = check_id_number(number, current_year=2026)
    result = check_id_number(number, birth_year=declared, current_year=2026)
    assert result.ok == (declared == actual.birth_year)


@given(st.text(alphabet=DIGITS, min_size=9, max_size=9))
def test_every_nine_digit_number_is_an_old_cmnd(number: str) -> None:
    assert check_id_number(number).kind is IdKind.CMND


@given(st.text(alphabet=DIGITS, min_size=7, max_size=20))
def test_masking_keeps_the_length_and_only_the_ends(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[:4] == number[:4] and masked[-2:] == number[-2:]
    assert set(masked[4:-2]) == {"*"}


# ---------------------------------------------------------------- dates


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(2999, 12, 31)).map(
    lambda d: d.replace(microsecond=0)), st.sampled_from("/.-"), st.booleans())
def test_written_dates_and_times_round_trip(moment: datetime, sep: str, seconds: bool) -> None:
    time_format = "%H:%M:%S" if seconds else "%H:%M"
    expected = moment if seconds else moment.replace(second=0)
    assert parse_datetime(moment.strftime(f"%d{sep}%m{sep}%Y {time_format}")) == expected
    assert parse_datetime(moment.strftime(f"%Y-%m-%d {time_format}")) == expected
    # unpadded day and month, as people write them: 5/7/2025
    assert parse_date(f"  {moment.day}{sep}{moment.month}{sep}{moment.year} ") == moment.date()


@given(st.text(max_size=30))
def test_any_text_is_a_date_or_a_vietnamese_value_error(text: str) -> None:
    try:
        parsed = parse_datetime(text)
    except ValueError as error:
        assert "ngày" in str(error).lower()
    else:
        assert isinstance(parsed, datetime)


@given(st.integers(1, 12), st.integers(2000, 2100), st.integers(29, 31))
def test_days_that_do_not_exist_are_refused(month: int, year: int, day: int) -> None:
    text = f"{day:02d}/{month:02d}/{year}"
    try:
        parsed = parse_date(text)
    except ValueError as error:
        assert "không có thật" in str(error)
    else:
        assert (parsed.day, parsed.month, parsed.year) == (day, month, year)


# ---------------------------------------------------------------- search normalisation

_LETTERS = "aăâbcdđeêghiklmnoôơpqrstuưvxyáàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ"
_WORD = st.text(alphabet=_LETTERS + _LETTERS.upper(), min_size=1, max_size=8)


@given(st.lists(_WORD, min_size=1, max_size=4), st.data())
def test_a_typed_part_of_a_name_is_found_in_its_folded_form(words: list[str], data) -> None:
    name = " ".join(words)
    start = data.draw(st.integers(0, len(name) - 1))
    end = data.draw(st.integers(start + 1, len(name)))
    typed = name[start:end]
    if typed.strip():
        assert fold(typed) in fold(name)


@given(st.lists(_WORD, min_size=1, max_size=4), st.text(alphabet=" \t\u00a0", min_size=1, max_size=3))
def test_case_diacritics_and_spacing_do_not_matter(words: list[str], spacing: str) -> None:
    name = " ".join(words)
    assert fold(name.upper()) == fold(name.lower()) == fold(spacing.join(words) + spacing)
    assert fold(name).isascii()
    assert len(fold(name)) == len(name)  # one folded letter per letter: prefixes stay prefixes

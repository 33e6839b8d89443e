"""Header matching (domain/headers.py) and cell values (domain/cell_values.py), with property
tests for the matching and for date parsing."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop_app.domain import cell_values as cv
from desktop_app.domain.headers import (
    FIELDS,
    TEMPLATE_HEADERS,
    find_header,
    is_column_numbers_row,
    match_header,
    normalise_header,
)
from desktop_app.domain.status import Channel, Status

# ---------------------------------------------------------------------------- normalising


def test_normalise_ignores_case_spacing_diacritics_and_punctuation():
    assert normalise_header("Phí, lệ phí (VNĐ)") == "phi le phi vnd"
    assert normalise_header("  THÔN/XÓM ") == "thon xom"
    assert normalise_header("Đã  đồng\u00a0bộ") == "da dong bo"
    assert normalise_header(None) == ""


def test_every_template_header_matches_its_own_field_and_all_differ():
    fields = [match_header(header) for header in TEMPLATE_HEADERS]
    assert None not in fields
    assert len(set(fields)) == len(TEMPLATE_HEADERS)


@pytest.mark.parametrize(("header", "field"), [
    ("Mã hồ sơ", "code"), ("MA HO SO", "code"), ("Số hồ sơ", "code"),
    ("Tên thủ tục hành chính", "procedure_name"), ("Nội dung hồ sơ", "procedure_name"),
    ("Mã thủ tục", "procedure_code"),
    ("Họ tên chủ hồ sơ", "applicant_name"), ("Người nộp", "submitter_name"), ("Tên người nộp", "submitter_name"),
    ("Số CCCD", "id_number"), ("SĐT", "phone"), ("Địa chỉ chủ hồ sơ", "address"),
    ("Địa bàn phát sinh hồ sơ", "hamlet"), ("Loại tiếp nhận", "channel"),
    ("Ngày nhận", "received_at"), ("Ngày nộp hồ sơ", "submitted_at"), ("Hẹn trả kết quả", "due_at"),
    ("Ngày có kết quả", "ended_at"), ("Ngày nhận kết quả", "returned_at"),
    ("Tổng (VNĐ)", "fee"), ("Phí (VNĐ)", "fee_only"), ("Lệ phí (VNĐ)", "levy_only"),
    ("Người nhận hồ sơ", "officer"), ("Số biên lai", "receipt_number"), ("STT", "stt"),
    ("Đơn vị tiếp nhận", "unit"), ("Mã hồ sơ (*)", "code"), ("Ngày tiếp nhận (dd/mm/yyyy)", "received_at"),
])
def test_synonyms_of_the_provincial_lists(header, field):
    assert match_header(header) == field


def test_unknown_headers_match_nothing():
    assert match_header("Bên giao") is None
    assert match_header("") is None
    assert match_header("Ngày, tháng, năm") is None


# ---------------------------------------------------------------------------- finding the header


def test_header_is_found_below_title_rows():
    rows = [
        (1, ["ỦY BAN NHÂN DÂN XÃ PHÚ LẠC"]),
        (2, ["DANH SÁCH HỒ SƠ"]),
        (3, ["Từ ngày 01/02/2026 đến ngày 11/02/2026"]),
        (4, []),
        (5, ["STT", "Đơn vị tiếp nhận", "Tên thủ tục hành chính", "Mã hồ sơ", "Trạng thái", "Bên lề"]),
        (6, [1, "UBND xã", "Đăng ký khai sinh", "X-1", "Đã trả kết quả", None]),
    ]
    layout = find_header(rows)
    assert layout is not None
    assert (layout.header_row, layout.rows, layout.data_start) == (5, 1, 6)
    assert layout.columns["code"] == 3 and layout.columns["procedure_name"] == 2
    assert layout.unknown == ["Bên lề"]


def test_two_row_header_is_merged():
    top = ["STT", "Mã hồ sơ", "Họ tên chủ hồ sơ", "Ngày, tháng, năm", None, "Trả kết quả", None, None, "Ghi chú"]
    below = [None, None, None, "Nhận hồ sơ", "Hẹn trả kết quả", "Ngày nhận kết quả", "Bên giao", "Bên nhận", None]
    layout = find_header([(1, ["SỔ THEO DÕI HỒ SƠ"]), (2, top), (3, below),
                          (4, ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)", "(8)", "(9)"])])
    assert layout is not None
    assert (layout.header_row, layout.rows, layout.data_start) == (2, 2, 4)
    assert layout.columns["received_at"] == 3
    assert layout.columns["due_at"] == 4
    assert layout.columns["returned_at"] == 5
    assert layout.titles[6] == "Trả kết quả / Bên giao"
    assert "notes" in layout.columns and "code" in layout.columns


def test_a_data_row_under_a_one_row_header_is_not_merged():
    header = ["Mã hồ sơ", "Tên thủ tục", "Chủ hồ sơ", "Ngày tiếp nhận"]
    data = ["X-1", "Đăng ký khai sinh", "Nguyễn Văn A", "02/02/2026"]
    layout = find_header([(1, header), (2, data)])
    assert layout is not None and layout.rows == 1 and layout.data_start == 2


def test_no_header_in_a_sheet_of_other_things():
    rows = [(1, ["Báo cáo", "Tháng 1"]), (2, ["Chỉ tiêu", "Kết quả"]), (3, ["Tỷ lệ số hóa", 0.8])]
    assert find_header(rows) is None


def test_column_numbers_row():
    assert is_column_numbers_row(["(1)", "(2)", "(3)", None, "(5)"])
    assert not is_column_numbers_row([1, "X-1", "Đăng ký khai sinh"])


# ---------------------------------------------------------------------------- property tests


def _variants(draw, text: str) -> str:
    """The same header as another file may write it: other case, no diacritics, extra spaces,
    punctuation, decomposed Unicode."""
    out = text
    if draw(st.booleans()):
        out = out.upper()
    if draw(st.booleans()):
        stripped = unicodedata.normalize("NFD", out.replace("đ", "d").replace("Đ", "D"))
        out = "".join(ch for ch in stripped if unicodedata.category(ch) != "Mn")
    if draw(st.booleans()):
        out = "  " + out.replace(" ", draw(st.sampled_from(["  ", " \u00a0", "\t", " - "]))) + " "
    if draw(st.booleans()):
        out = out + draw(st.sampled_from([":", ".", " *", "*"]))
    if draw(st.booleans()):
        out = unicodedata.normalize("NFD", out)
    return out


@st.composite
def header_variant(draw):
    spec = draw(st.sampled_from(FIELDS))
    name = draw(st.sampled_from((spec.label, *spec.synonyms)))
    return spec.key, name, _variants(draw, name)


@given(header_variant())
def test_header_matching_ignores_case_spacing_diacritics_and_punctuation(item):
    key, name, variant = item
    assert match_header(variant) == match_header(name) == key


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)),
       st.sampled_from(["%d/%m/%Y", "%d/%m/%Y %H:%M", "%d/%m/%Y %H:%M:%S", "%Y-%m-%d %H:%M:%S"]))
def test_date_text_parses_back_to_the_moment_it_shows(moment, pattern):
    moment = moment.replace(microsecond=0)
    shown = moment.strftime(pattern)
    expected = datetime.strptime(shown, pattern)
    assert cv.parse_when(shown) == expected
    assert cv.parse_when(f"  {shown} ") == expected


@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)))
def test_a_real_date_cell_is_rounded_to_the_nearest_second(moment):
    # Excel stores a time as a fraction of a day: 08:15 may come back as 08:14:59.999.
    parsed = cv.parse_when(moment)
    assert parsed.microsecond == 0
    assert abs((parsed - moment).total_seconds()) <= 0.5


@given(st.integers(1, 31), st.integers(1, 12), st.integers(1990, 2100))
def test_impossible_dates_are_refused_with_a_reason(day, month, year):
    text = f"{day:02d}/{month:02d}/{year}"
    try:
        date(year, month, day)
    except ValueError:
        with pytest.raises(cv.CellError, match="không có thật"):
            cv.parse_when(text)
    else:
        assert cv.parse_when(text) == datetime(year, month, day)


# ---------------------------------------------------------------------------- cell values


def test_dates_in_every_form():
    assert cv.parse_when("25/07/2025 08:30:15") == datetime(2025, 7, 25, 8, 30, 15)
    assert cv.parse_when("5/7/2025") == datetime(2025, 7, 5)
    assert cv.parse_when(date(2025, 7, 25)) == datetime(2025, 7, 25)
    assert cv.parse_when(45863) == datetime(2025, 7, 25)  # an Excel serial number
    assert cv.parse_when(datetime(2025, 7, 25, 8, 14, 59, 999_000)) == datetime(2025, 7, 25, 8, 15)
    assert cv.parse_when("") is None and cv.parse_when(None) is None
    with pytest.raises(cv.CellError, match="không có thật"):
        cv.parse_when("31/02/2025")
    with pytest.raises(cv.CellError, match="dd/mm/yyyy"):
        cv.parse_when("hôm qua")
    with pytest.raises(cv.CellError, match="không hợp lý"):
        cv.parse_when("01/01/1800")


@pytest.mark.parametrize(("value", "expected"), [
    ("Có", True), ("có", True), ("CO", True), ("x", True), ("X", True), ("1", True), (1, True), ("✓", True),
    (True, True), ("Không", False), ("khong", False), ("0", False), (0, False), (False, False), ("", None),
    (None, None), ("  ", None),
])
def test_yes_no(value, expected):
    assert cv.parse_bool(value) is expected


def test_yes_no_refuses_other_words():
    with pytest.raises(cv.CellError, match="Có/Không"):
        cv.parse_bool("có lẽ")
    with pytest.raises(cv.CellError):
        cv.parse_bool(2)


@pytest.mark.parametrize(("value", "expected"), [
    ("1.000.000", 1_000_000), ("1,000,000", 1_000_000), ("50.000 đ", 50_000), ("50000", 50_000),
    ("8.000 VNĐ", 8_000), (12000, 12_000), (12000.0, 12_000), ("1.000,00", 1_000), ("", None), ("0", 0),
])
def test_money(value, expected):
    assert cv.parse_vnd(value) == expected


@pytest.mark.parametrize("value", ["mười nghìn", "-5.000", "12,5", 1.5])
def test_money_refused(value):
    with pytest.raises(cv.CellError):
        cv.parse_vnd(value)


def test_statuses_as_codes_and_labels():
    assert cv.parse_status(10) is Status.DA_TRA_KET_QUA
    assert cv.parse_status("4") is Status.DANG_XU_LY
    assert cv.parse_status("Đã trả kết quả") is Status.DA_TRA_KET_QUA
    assert cv.parse_status("DA TRA KET QUA") is Status.DA_TRA_KET_QUA
    assert cv.parse_status("Yêu cầu bổ sung giấy tờ") is Status.YEU_CAU_BO_SUNG
    assert cv.parse_status("Không được tiếp nhận") is Status.TU_CHOI
    for status in Status:
        assert cv.parse_status(status.label) is status
    with pytest.raises(cv.CellError, match="trạng thái"):
        cv.parse_status("Đang chờ ký")
    with pytest.raises(cv.CellError):
        cv.parse_status(11)


def test_channels_and_payments_and_satisfaction():
    assert cv.parse_channel("Nộp trực tuyến") is Channel.TRUC_TUYEN
    assert cv.parse_channel("Qua bưu chính công ích") is Channel.BUU_CHINH
    assert cv.parse_channel("Trực tiếp") is Channel.TRUC_TIEP
    assert cv.parse_channel(2) is Channel.TRUC_TUYEN
    assert cv.parse_payment("Trực tuyến") == "truc_tuyen"
    assert cv.parse_payment("tien-mat") == "tien_mat"
    assert cv.parse_payment("Chuyển khoản") == "chuyen_khoan"
    assert cv.parse_payment("Miễn, không thu") == "mien"
    assert cv.parse_satisfaction("Rất hài lòng") == "rat_hai_long"
    with pytest.raises(cv.CellError):
        cv.parse_payment("thẻ tín dụng")
    with pytest.raises(cv.CellError):
        cv.parse_channel("fax")


def test_text_and_id_number_cells():
    assert cv.text("  Nguyễn   Văn\u00a0A ") == "Nguyễn Văn A"
    assert cv.text(unicodedata.normalize("NFD", "Ánh")) == "Ánh"
    assert cv.text(1.0) == "1"
    assert cv.id_number_text(1203004545) == "001203004545"  # a number cell lost its leading zeros
    assert cv.id_number_text("001203004545") == "001203004545"
    assert cv.is_formula(cv.Formula("=SUM(A1:A2)"))
    assert not cv.is_formula("=không phải công thức")

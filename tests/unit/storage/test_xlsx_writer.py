"""xlsx_writer: real workbooks — headers, frozen row, dates, VND, totals, no formula injection."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.storage.safe_write import WriteFailed
from desktop_app.storage.xlsx_writer import (
    DATE_FORMAT,
    DATETIME_FORMAT,
    VND_FORMAT,
    Column,
    SheetWriter,
    discard_workbook,
    new_workbook,
    save_workbook,
    workbook_being_built,
    write_table,
)

COLUMNS = (
    Column("Mã hồ sơ", "code"),
    Column("Ngày tiếp nhận", "datetime"),
    Column("Ngày hẹn trả", "date"),
    Column("Phí, lệ phí (VNĐ)", "vnd", total=True),
    Column("Ghi chú", "long_text"),
)


def _write(tmp_path, rows, **kwargs):
    path = write_table(tmp_path / "t.xlsx", "Danh sách", COLUMNS, rows, **kwargs)
    return load_workbook(path)["Danh sách"]


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://x\",\"bấm\")", "=1+2", "+84912345678", "-5", "@SUM(A1)",
                                  "=cmd|' /C calc'!A0"])
def test_text_that_looks_like_a_formula_stays_text(tmp_path, text):
    sheet = _write(tmp_path, [[text, None, None, 0, text]])
    for cell in (sheet["A2"], sheet["E2"]):
        assert cell.value == text
        assert cell.data_type == "s"  # not "f": no spreadsheet evaluates it
        assert cell.quotePrefix is True


def test_plain_text_has_no_quote_prefix_and_control_characters_are_dropped(tmp_path):
    sheet = _write(tmp_path, [["000.00.53.H48-260212-0001", None, None, 0, "dòng\x01 một"]])
    assert sheet["A2"].value == "000.00.53.H48-260212-0001"
    assert not sheet["A2"].quotePrefix
    assert sheet["E2"].value == "dòng một"


def test_dates_are_real_dates_with_vietnamese_format(tmp_path):
    sheet = _write(tmp_path, [["A", datetime(2026, 2, 12, 9, 30), date(2026, 2, 19), 0, ""]])
    assert sheet["B2"].is_date and sheet["B2"].value == datetime(2026, 2, 12, 9, 30)
    assert sheet["B2"].number_format == DATETIME_FORMAT
    assert sheet["C2"].is_date and sheet["C2"].value.date() == date(2026, 2, 19)
    assert sheet["C2"].number_format == DATE_FORMAT == "dd/mm/yyyy"


def test_vnd_are_numbers_with_thousands_format_and_a_totals_row(tmp_path):
    sheet = _write(tmp_path, [["A", None, None, 150_000, ""], ["B", None, None, 8_000, ""], ["C", None, None, 0, ""]])
    assert sheet["D2"].value == 150_000 and sheet["D2"].data_type == "n"
    assert sheet["D2"].number_format == VND_FORMAT == "#,##0"
    assert sheet["A5"].value == "Tổng cộng"
    assert sheet["D5"].value == 158_000 and sheet["D5"].data_type == "n"  # a value, not a formula
    assert sheet["A5"].font.b


def test_header_is_bold_frozen_and_columns_have_widths(tmp_path):
    sheet = _write(tmp_path, [["A", None, None, 0, ""]])
    assert [c.value for c in sheet[1]] == [c.header for c in COLUMNS]
    assert all(c.font.b for c in sheet[1])
    assert sheet.freeze_panes == "A2"
    for letter, column in zip("ABCDE", COLUMNS, strict=True):
        assert sheet.column_dimensions[letter].width == column.column_width >= 10


def test_title_lines_push_the_frozen_header_down(tmp_path):
    sheet = _write(tmp_path, [["A", None, None, 1, ""]], title_lines=["SỔ THEO DÕI HỒ SƠ"], note_lines=["Từ …"])
    assert sheet["A1"].value == "SỔ THEO DÕI HỒ SƠ"
    assert sheet["A4"].value == "Mã hồ sơ"
    assert sheet.freeze_panes == "A5"
    assert "A1:E1" in {str(r) for r in sheet.merged_cells.ranges}


def test_two_row_header_merges_group_titles(tmp_path):
    columns = (Column("STT", "int"), Column("Nhận hồ sơ", "datetime", group="Ngày, tháng, năm"),
               Column("Hẹn trả kết quả", "datetime", group="Ngày, tháng, năm"), Column("Ghi chú"))
    workbook = new_workbook()
    sheet = SheetWriter(workbook, "Sổ", columns, totals_label=None)
    sheet.append([1, datetime(2026, 2, 2, 8, 0), datetime(2026, 2, 5, 17, 0), ""])
    sheet.close()
    ws = load_workbook(save_workbook(workbook, tmp_path / "s.xlsx"))["Sổ"]
    assert ws["B1"].value == "Ngày, tháng, năm"
    assert (ws["B2"].value, ws["C2"].value) == ("Nhận hồ sơ", "Hẹn trả kết quả")
    assert {"B1:C1", "A1:A2", "D1:D2"} <= {str(r) for r in ws.merged_cells.ranges}
    assert ws.freeze_panes == "A3"
    assert ws["A3"].value == 1


def test_wrong_number_of_values_is_a_bug_not_a_silent_shift(tmp_path):
    workbook = new_workbook()
    sheet = SheetWriter(workbook, "x", COLUMNS)
    with pytest.raises(ValueError):
        sheet.append(["only one"])
    discard_workbook(workbook)


def test_a_workbook_abandoned_half_way_leaves_no_temporary_file(tmp_path):
    with pytest.raises(KeyboardInterrupt), workbook_being_built() as workbook:  # a cancel, an error
        sheet = SheetWriter(workbook, "Danh sách hồ sơ", COLUMNS)
        sheet.append(["H48.01-260212-0001", datetime(2026, 2, 12, 9, 30), date(2026, 2, 13), 50000, "Nộp trực tiếp"])
        stream = Path(workbook.worksheets[0]._writer.out)  # openpyxl's temporary file of the sheet
        assert stream.is_file()
        raise KeyboardInterrupt
    assert not stream.exists()
    with workbook_being_built() as kept:  # no error: the workbook is left for save_workbook
        SheetWriter(kept, "x", COLUMNS).append(["H48.01-260212-0002", datetime(2026, 2, 12, 10, 0), None, 0, ""])
    saved = load_workbook(save_workbook(kept, tmp_path / "kept.xlsx"))["x"]
    assert saved.max_row >= 2


def test_saving_to_a_missing_folder_is_a_user_fixable_error(tmp_path):
    with pytest.raises(WriteFailed):
        write_table(tmp_path / "gone" / "t.xlsx", "x", COLUMNS, [])
    assert not (tmp_path / "gone").exists()

"""Reading spreadsheets: real .xlsx (streamed, formulas marked), HTML tables saved as .xls, and
the clear refusals for files that are neither."""

from __future__ import annotations

import zipfile
from datetime import datetime

import pytest
from openpyxl import Workbook, load_workbook

from desktop_app.domain.cell_values import Formula, is_formula
from desktop_app.storage.spreadsheet_readers import SpreadsheetError, open_spreadsheet


def _rows(path, sheet=0):
    with open_spreadsheet(path) as book:
        return list(book.sheets[sheet].rows())


def _trimmed(values):
    values = list(values)
    while values and values[-1] is None:
        values.pop()
    return values


def test_xlsx_rows_equal_openpyxl_values(tmp_path):
    path = tmp_path / "a.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Danh sách"
    sheet.append(["Mã hồ sơ", "Chủ hồ sơ", "Ngày tiếp nhận", "Phí", "Đã đồng bộ", "Ghi chú"])
    sheet.append(["X-1", "Nguyễn Thị Ánh", datetime(2026, 2, 2, 8, 15), 8000, True, None])
    sheet.append(["X-2", "Trần Văn Đức", datetime(2026, 2, 3), 1.5, False, "=1+1"])
    sheet["F3"].data_type = "s"  # text that looks like a formula, stored as text
    sheet.append([])
    sheet.append(["X-3", None, "03/02/2026", None, None, None])
    sheet["AB5"] = "xa"
    workbook.save(path)

    rows = _rows(path)
    expected = {}
    reference = load_workbook(path, read_only=True)
    for number, values in enumerate(reference.active.iter_rows(values_only=True), 1):
        if _trimmed(values):
            expected[number] = _trimmed(values)
    reference.close()  # a read-only workbook keeps its file open until closed
    assert {number: _trimmed(values) for number, values in rows} == expected
    assert [number for number, _ in rows] == [1, 2, 3, 5]
    assert rows[4 - 1][1][27] == "xa"  # column AB
    assert not is_formula(rows[2][1][5])  # text, not a formula


def test_xlsx_formula_cells_are_marked(tmp_path):
    path = tmp_path / "f.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Mã hồ sơ", "Phí, lệ phí (VNĐ)"])
    sheet.append(["X-1", "=SUM(1,2)"])
    workbook.save(path)
    value = _rows(path)[1][1][1]
    assert isinstance(value, Formula) and is_formula(value) and value == "=SUM(1,2)"


def test_xlsx_sheets_progress_and_names(tmp_path):
    path = tmp_path / "s.xlsx"
    workbook = Workbook(write_only=True)
    first = workbook.create_sheet("Bìa")
    first.append(["Báo cáo"])
    second = workbook.create_sheet("Dữ liệu")
    for index in range(500):
        second.append([f"X-{index}", "Nguyễn Văn A"])
    workbook.save(path)
    with open_spreadsheet(path) as book:
        assert book.kind == "xlsx"
        assert [s.name for s in book.sheets] == ["Bìa", "Dữ liệu"]
        data = book.sheets[1]
        assert data.fraction() == 0.0
        rows = list(data.rows())
        assert len(rows) == 500
        assert data.fraction() == 1.0


def test_html_table_with_spans_is_laid_out_like_merged_cells(tmp_path):
    path = tmp_path / "DanhSach.xls"  # the name says .xls; the content decides
    path.write_text(
        "<html><head><meta charset='utf-8'></head><body><table>"
        "<tr><td colspan='4'><b>DANH SÁCH HỒ SƠ</b></td></tr>"
        "<tr><th rowspan='2'>STT</th><th rowspan='2'>Mã hồ sơ</th><th colspan='2'>Ngày, tháng, năm</th></tr>"
        "<tr><th>Nhận hồ sơ</th><th>Hẹn trả<br>kết quả</th></tr>"
        "<tr><td>1</td><td>X-1</td><td>02/02/2026 08:15:00</td><td>&nbsp;03/02/2026 </td></tr>"
        "</table></body></html>",
        encoding="utf-8",
    )
    with open_spreadsheet(path) as book:
        assert book.kind == "html"
        rows = list(book.sheets[0].rows())
    assert rows == [
        (1, ["DANH SÁCH HỒ SƠ", None, None, None]),
        (2, ["STT", "Mã hồ sơ", "Ngày, tháng, năm", None]),
        (3, [None, None, "Nhận hồ sơ", "Hẹn trả kết quả"]),
        (4, ["1", "X-1", "02/02/2026 08:15:00", "03/02/2026"]),
    ]


def test_html_in_windows_1258_or_utf16(tmp_path):
    text = "<table><tr><td>Mã hồ sơ</td><td>Chủ hồ sơ</td></tr><tr><td>X-1</td><td>Lê Văn Tám</td></tr></table>"
    utf16 = tmp_path / "u16.xls"
    utf16.write_bytes(text.encode("utf-16"))
    assert _rows(utf16)[1][1] == ["X-1", "Lê Văn Tám"]


# ---------------------------------------------------------------------------- refusals


def test_empty_file(tmp_path):
    path = tmp_path / "rong.xlsx"
    path.write_bytes(b"")
    with pytest.raises(SpreadsheetError, match="trống"):
        open_spreadsheet(path)
    path.write_bytes(b"   \r\n")
    with pytest.raises(SpreadsheetError, match="trống"):
        open_spreadsheet(path)


def test_text_file_renamed_xlsx(tmp_path):
    path = tmp_path / "danh_sach.xlsx"
    path.write_text("Mã hồ sơ;Chủ hồ sơ\nX-1;Nguyễn Văn A\n", encoding="utf-8")
    with pytest.raises(SpreadsheetError) as caught:
        open_spreadsheet(path)
    assert "tệp văn bản" in caught.value.message and "đổi đuôi" in caught.value.message
    assert ".xlsx" in caught.value.action


def test_real_binary_xls_says_save_as_xlsx(tmp_path):
    path = tmp_path / "cu.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(SpreadsheetError) as caught:
        open_spreadsheet(path)
    assert "Excel đời cũ" in caught.value.message
    assert "xlsx" in caught.value.action


def test_html_without_a_table(tmp_path):
    path = tmp_path / "trang.xls"
    path.write_text("<!DOCTYPE html><html><body><p>Phiên đăng nhập đã hết hạn</p></body></html>", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="không có bảng"):
        open_spreadsheet(path)


def test_html_with_only_empty_tables(tmp_path):
    path = tmp_path / "trong.xls"
    path.write_text("<html><body><table><tr><td> </td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(SpreadsheetError, match="không có bảng"):
        open_spreadsheet(path)


def test_zip_that_is_not_a_workbook(tmp_path):
    path = tmp_path / "nen.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("hello.txt", "xin chào")
    with pytest.raises(SpreadsheetError, match="không đọc được"):
        open_spreadsheet(path)


def test_truncated_xlsx(tmp_path):
    good = tmp_path / "good.xlsx"
    workbook = Workbook()
    for index in range(2000):
        workbook.active.append([f"X-{index}", "Nguyễn Văn A", index])
    workbook.save(good)
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    with pytest.raises(SpreadsheetError), open_spreadsheet(broken) as book:
        for sheet in book.sheets:
            list(sheet.rows())


def test_binary_garbage(tmp_path):
    path = tmp_path / "anh.xlsx"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00\x01\x02" * 100)
    with pytest.raises(SpreadsheetError, match="không phải bảng tính"):
        open_spreadsheet(path)


def test_missing_file(tmp_path):
    with pytest.raises(SpreadsheetError, match="Không tìm thấy"):
        open_spreadsheet(tmp_path / "khong_co.xlsx")

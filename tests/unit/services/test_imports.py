"""Importing dossiers from Excel (services/imports.py): every format from a fresh database,
re-import changes nothing, bad input is refused with a clear message and an unchanged
database, cancel and failures roll everything back."""

from __future__ import annotations

import uuid
from datetime import date, datetime

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select, text

from desktop_app.domain.headers import TEMPLATE_HEADERS
from desktop_app.domain.rules import evaluate
from desktop_app.services import dossiers, imports, intake
from desktop_app.services import warnings as warnings_service
from desktop_app.storage.errors import UserFixableError
from desktop_app.storage.models import AuditEntry, Dossier, Procedure

from . import excel_samples as samples
from .helpers import new_draft, receive

TABLES = ("dossier", "dossier_component", "status_change", "supplement_request", "dossier_warning", "audit_log")


@pytest.fixture
def ctx(services_ctx):
    services_ctx.officer_id = services_ctx.test_officer_id
    return services_ctx


def dump(ctx) -> dict[str, list[tuple]]:
    """Every row of the dossier tables, to compare a database before and after."""
    with ctx.engine.connect() as connection:
        return {table: [tuple(row) for row in connection.execute(text(f"SELECT * FROM {table} ORDER BY id"))]
                for table in TABLES}


def by_code(ctx, code: str):
    view = dossiers.find_by_code(ctx, code)
    assert view is not None, code
    return view


def stored(ctx, code: str) -> Dossier:
    """The dossier's row (its columns only, detached)."""
    with ctx.read() as session:
        row = session.scalar(select(Dossier).where(Dossier.code == code))
        session.expunge(row)
        return row


# ---------------------------------------------------------------------------- every format


def _template(tmp_path):
    return samples.write_template_file(tmp_path / "mau_nhap.xlsx", samples.template_rows())


FORMATS = {
    "template": (_template, "template", 6, 0),
    "danh_sach_a": (lambda p: samples.write_danh_sach(p / "ds_a.xlsx", "A"), "danh_sach", 6, 0),
    "danh_sach_b": (lambda p: samples.write_danh_sach(p / "ds_b.xlsx", "B", samples=(*samples.SAMPLES,
                                                                                      samples.UNKNOWN)),
                    "danh_sach", 6, 1),
    "danh_sach_html": (lambda p: samples.write_danh_sach(p / "DanhSachHoSo.xls", "A", as_html=True), "danh_sach",
                       6, 0),
    "so_theo_doi": (lambda p: samples.write_so_theo_doi(p / "so.xlsx"), "so_theo_doi", 6, 0),
    "so_theo_doi_html": (lambda p: samples.write_so_theo_doi(p / "SoTheoDoi.xls", as_html=True), "so_theo_doi",
                         6, 0),
}


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_each_format_imports_from_a_fresh_database_and_again_changes_nothing(ctx, tmp_path, name):
    build, kind, added, rejected = FORMATS[name]
    path = build(tmp_path)
    preview = imports.import_file(ctx, path, dry_run=True)
    assert preview.kind == kind
    assert (len(preview.added), len(preview.updated), len(preview.unchanged), len(preview.rejected)) == \
        (added, 0, 0, rejected)
    assert not preview.applied and dump(ctx)["dossier"] == []

    result = imports.import_file(ctx, path)
    assert result.as_json()["added"] == added and len(result.rejected) == rejected
    assert result.applied and sorted(result.added) == sorted(s.code for s in samples.SAMPLES)
    for sample in samples.SAMPLES:
        view = by_code(ctx, sample.code)
        assert view.applicant_name == sample.applicant
        assert view.received_at == (sample.received if "html" not in name or kind != "so_theo_doi"
                                    else datetime.combine(sample.received.date(), datetime.min.time()))
    before = dump(ctx)
    again = imports.import_file(ctx, path)
    assert again.as_json() == {"added": 0, "updated": 0, "unchanged": added,
                               "rejected": [{"row": r.row, "reason": r.reason} for r in result.rejected],
                               **({"not_in_file": []} if again.provincial else {})}
    assert dump(ctx) == before


def test_template_values_land_in_the_right_fields(ctx, tmp_path):
    imports.import_file(ctx, _template(tmp_path))
    first, online, copy = samples.SAMPLES[0], samples.SAMPLES[1], samples.SAMPLES[2]
    row = stored(ctx, first.code)
    assert (row.status, row.channel, row.id_number, row.phone, row.hamlet) == (
        10, 1, first.id_number, first.phone, first.hamlet)
    assert (row.received_at, row.due_at, row.ended_at, row.returned_at) == (
        first.received, first.due, first.ended, first.returned)
    assert row.identity_checked and row.identity_method == "csdl_dan_cu"
    assert row.has_result_file and row.result_signed and row.synced and row.satisfaction == "hai_long"
    assert row.officer_id == ctx.test_officer_id
    view = by_code(ctx, first.code)
    assert view.components and all(c.digitised for c in view.components)  # "x"
    view = by_code(ctx, online.code)
    assert view.channel == 2 and all(c.from_kho for c in view.components)  # "✓"
    assert not any(c.digitised for c in view.components)  # "Không"
    row = stored(ctx, copy.code)
    assert (row.fee, row.payment_method) == (6000, "tien_mat")
    assert [h.to_status for h in by_code(ctx, copy.code).history] == [10]


def test_new_dossiers_carry_the_warnings_the_rules_give(ctx, tmp_path):
    imports.import_file(ctx, _template(tmp_path))
    now, calendar = ctx.clock(), ctx.calendar()
    with ctx.read() as session:
        rows = session.scalars(select(Dossier)).all()
        assert len(rows) == 6
        for row in rows:
            expected = sorted(evaluate(warnings_service.facts_of(row), now, calendar))
            assert sorted(w.rule for w in row.warnings) == expected, row.code
        assert any(row.warnings for row in rows)


def test_due_date_is_computed_when_the_file_has_none(ctx, tmp_path):
    path = tmp_path / "no_due.xlsx"
    sample = samples.SAMPLES[3]  # Cấp Giấy xác nhận tình trạng hôn nhân: 3 working days
    rows = samples.template_rows([sample])
    rows[0][TEMPLATE_HEADERS.index("Ngày hẹn trả")] = None
    samples.write_template_file(path, rows)
    imports.import_file(ctx, path)
    assert stored(ctx, sample.code).due_at.date() == date(2026, 2, 10)  # Thu 05/02 + 3 working days


def test_fee_list_updates_the_dossiers_it_names_and_cannot_add(ctx, tmp_path):
    fee = samples.write_fee_list(tmp_path / "thu_phi.xlsx")
    before = dump(ctx)
    alone = imports.import_file(ctx, fee)
    assert alone.kind == "thu_phi" and alone.nothing_imported
    assert [r.row for r in alone.rejected] == [6, 7]
    assert "chưa có trong sổ" in alone.rejected[0].reason and "Tên thủ tục" in alone.rejected[0].reason
    assert dump(ctx) == before

    imports.import_file(ctx, samples.write_danh_sach(tmp_path / "ds.xlsx", "A"))
    result = imports.import_file(ctx, fee)
    assert result.as_json() == {"added": 0, "updated": 2, "unchanged": 0, "rejected": [], "not_in_file": []}
    # the list names the receiving officer, which the Danh sách did not
    assert result.updated[samples.SAMPLES[2].code] == ["Phí, lệ phí (VNĐ)", "Số biên lai", "Người tiếp nhận"]
    row = stored(ctx, samples.SAMPLES[4].code)
    assert (row.fee, row.receipt_number) == (10000, "0000002")
    # the fee list names no procedure: the preview shows the stored dossier's
    with ctx.read() as session:
        stored_names = dict(session.execute(
            select(Dossier.code, Procedure.name).join(Procedure, Procedure.id == Dossier.procedure_id)
            .where(Dossier.code.in_([samples.SAMPLES[2].code, samples.SAMPLES[4].code]))).all())
    assert {p.code: p.procedure for p in result.preview} == stored_names
    assert all(stored_names.values())
    again = imports.import_file(ctx, fee)
    assert again.as_json()["unchanged"] == 2
    assert {p.code: p.procedure for p in again.preview} == stored_names


def test_a_list_with_dates_only_does_not_erase_the_time_of_day(ctx, tmp_path):
    imports.import_file(ctx, _template(tmp_path))
    result = imports.import_file(ctx, samples.write_so_theo_doi(tmp_path / "SoTheoDoi.xls", as_html=True))
    assert result.updated == {code: ["Đã đồng bộ"] for code in result.updated}  # only the sync mark
    assert stored(ctx, samples.SAMPLES[0].code).received_at == samples.SAMPLES[0].received


# ---------------------------------------------------------------------------- provincial lists


def test_provincial_list_marks_local_dossiers_synced_and_reports_the_missing_ones(ctx, clock, tmp_path):
    known = samples.SAMPLES[0]
    clock.now = known.received
    draft = new_draft(ctx, "1.001193", applicant_name=known.applicant)
    draft.code = known.code
    local = dossiers.find_by_code(ctx, intake.receive_dossier(ctx, draft))
    clock.now = datetime(2026, 2, 5, 9, 0)
    draft = new_draft(ctx, "1.001193", applicant_name="Bùi Thị Lụa")
    draft.code = f"{samples.UNIT}-260205-0099"
    missing = dossiers.find_by_code(ctx, intake.receive_dossier(ctx, draft))
    outside = receive(ctx, clock, datetime(2026, 2, 11, 9, 0), "1.001193", applicant_name="Ngô Văn Ba")
    clock.now = datetime(2026, 2, 12, 10, 0)
    assert not local.synced

    path = samples.write_danh_sach(tmp_path / "ds.xlsx", "B")
    preview = imports.import_file(ctx, path, dry_run=True)
    assert preview.provincial and preview.not_in_file == [missing.code]
    assert preview.missing_from_file == preview.missing_locally == [missing.code]
    assert outside.code not in preview.not_in_file  # received after the list's last day
    assert "Đã đồng bộ" in preview.updated[known.code]

    result = imports.import_file(ctx, path)
    assert result.as_json()["not_in_file"] == [missing.code]
    assert len(result.added) == 5 and list(result.updated) == [known.code]
    assert result.synced_marked == 6
    row = stored(ctx, known.code)
    assert row.synced and row.synced_at == clock.now
    assert all(stored(ctx, s.code).synced for s in samples.SAMPLES)
    assert not stored(ctx, missing.code).synced
    with ctx.read() as session:  # the change to the local dossier is in its audit history
        fields = session.execute(select(AuditEntry.field, AuditEntry.action)
                                 .where(AuditEntry.dossier_id == local.id)).all()
    assert ("synced", "updated") in fields


def test_template_is_not_a_provincial_list(ctx, tmp_path):
    result = imports.import_file(ctx, _template(tmp_path))
    assert not result.provincial and "not_in_file" not in result.as_json()
    assert not stored(ctx, samples.SAMPLES[3].code).synced  # "Đã đồng bộ: Không" in the template


# ---------------------------------------------------------------------------- updates


def test_update_changes_given_values_keeps_empty_cells_and_never_clears_facts(ctx, tmp_path):
    imports.import_file(ctx, _template(tmp_path))
    sample = samples.SAMPLES[0]
    rows = samples.template_rows([sample])
    row = rows[0]
    row[TEMPLATE_HEADERS.index("Số điện thoại")] = "0988000111"
    row[TEMPLATE_HEADERS.index("Địa chỉ")] = None  # empty: keep
    row[TEMPLATE_HEADERS.index("Có tệp kết quả điện tử")] = "Không"  # never cleared by an import
    path = samples.write_template_file(tmp_path / "sua.xlsx", rows)
    result = imports.import_file(ctx, path)
    assert result.updated == {sample.code: ["Số điện thoại"]}
    stored_row = stored(ctx, sample.code)
    assert stored_row.phone == "0988000111" and stored_row.address == sample.address
    assert stored_row.has_result_file
    with ctx.read() as session:
        entries = session.execute(select(AuditEntry.field, AuditEntry.old_value, AuditEntry.new_value)
                                  .where(AuditEntry.action == "updated", AuditEntry.dossier_id == stored_row.id)).all()
    assert ("phone", sample.phone, "0988000111") in entries


def test_status_change_by_import_is_recorded_in_the_history(ctx, tmp_path):
    imports.import_file(ctx, samples.write_danh_sach(tmp_path / "a.xlsx", "A"))
    sample = samples.SAMPLES[3]
    changed = [samples.Sample(**{**sample.__dict__, "status": "Đã xử lý xong",
                                 "ended": datetime(2026, 2, 9, 16, 0)})]
    result = imports.import_file(ctx, samples.write_danh_sach(tmp_path / "b.xlsx", "A", samples=changed))
    assert result.updated[sample.code] == ["Ngày kết thúc xử lý", "Trạng thái"]
    view = by_code(ctx, sample.code)
    assert view.status == 9
    assert [(h.from_status, h.to_status) for h in view.history][-1] == (4, 9)


def test_audit_log_has_one_imported_entry_per_new_dossier(ctx, tmp_path):
    result = imports.import_file(ctx, _template(tmp_path))
    with ctx.read() as session:
        entries = session.execute(text("SELECT new_value, officer_name FROM audit_log WHERE action = 'imported'")).all()
    assert len(entries) == len(result.added) == 6
    assert set(entries) == {("mau_nhap.xlsx", "Nguyễn Thị Lan")}


def test_a_backup_is_taken_before_every_import_but_not_for_a_dry_run(ctx, tmp_path, monkeypatch):
    from desktop_app.services import backups

    calls = []
    real = backups.backup_now

    def spy(context, reason):
        calls.append(reason)
        return real(context, reason)

    monkeypatch.setattr(backups, "backup_now", spy)
    path = _template(tmp_path)
    imports.import_file(ctx, path, dry_run=True)
    assert calls == []
    result = imports.import_file(ctx, path)
    assert calls == ["import"]
    if ctx.engine.dialect.name == "sqlite":
        assert result.backup_path is not None and result.backup_path.exists()
    else:  # backups of a server database are made with pg_dump on the server
        assert result.backup_path is None
    again = imports.import_file(ctx, path)  # every import that may write is preceded by one
    assert calls == ["import", "import"] and not again.applied


# ---------------------------------------------------------------------------- bad input


def _refused(ctx, path, *, match: str):
    before = dump(ctx)
    with pytest.raises(UserFixableError) as caught:
        imports.import_file(ctx, path)
    assert match in str(caught.value)
    assert dump(ctx) == before
    return caught.value


def _rejected(ctx, path, row: int, *, match: str):
    before = dump(ctx)
    result = imports.import_file(ctx, path)
    assert result.nothing_imported
    assert [r.row for r in result.rejected] == [row] if isinstance(row, int) else row
    assert all(match in r.reason for r in result.rejected), result.rejected
    assert dump(ctx) == before
    return result


def test_empty_file(ctx, tmp_path):
    path = tmp_path / "rong.xlsx"
    path.write_bytes(b"")
    _refused(ctx, path, match="trống")


def test_workbook_with_only_a_header(ctx, tmp_path):
    from desktop_app.services.imports import write_template

    _refused(ctx, write_template(tmp_path / "mau.xlsx"), match="không có dòng hồ sơ nào")


def test_wrong_sheet(ctx, tmp_path):
    path = tmp_path / "thong_ke.xlsx"
    workbook = Workbook()
    workbook.active.title = "Thống kê"
    workbook.active.append(["Chỉ tiêu", "Tuần 1", "Tuần 2"])
    workbook.active.append(["Tỷ lệ số hóa", 0.8, 0.85])
    workbook.save(path)
    error = _refused(ctx, path, match="Không tìm thấy dòng tiêu đề")
    assert "“Thống kê”" in error.message and "trang tính" in error.action


def test_the_right_sheet_is_found_behind_a_cover(ctx, tmp_path):
    path = samples.write_xlsx(tmp_path / "bia.xlsx", samples.DANH_SACH_A, samples.danh_sach_rows("A"),
                              cover_sheet=True)
    result = imports.import_file(ctx, path)
    assert result.sheet_name == "Danh sách hồ sơ" and len(result.added) == 6


@pytest.mark.parametrize("column", ["Mã hồ sơ", "Ngày tiếp nhận", "Chủ hồ sơ"])
def test_required_column_missing_names_it(ctx, tmp_path, column):
    index = TEMPLATE_HEADERS.index(column)
    headers = [h for i, h in enumerate(TEMPLATE_HEADERS) if i != index]
    rows = [[v for i, v in enumerate(row) if i != index] for row in samples.template_rows()]
    path = samples.write_xlsx(tmp_path / "thieu.xlsx", headers, rows, titles=())
    error = _refused(ctx, path, match=f"“{column}”")
    assert "thiếu cột bắt buộc" in error.message


def _one_row(tmp_path, name, **changes):
    rows = samples.template_rows(samples.SAMPLES[:1])
    for header, value in changes.items():
        rows[0][TEMPLATE_HEADERS.index(header)] = value
    return samples.write_xlsx(tmp_path / name, TEMPLATE_HEADERS, rows, titles=())


def test_impossible_date(ctx, tmp_path):
    path = _one_row(tmp_path, "ngay.xlsx", **{"Ngày tiếp nhận": "31/02/2026 08:00"})
    result = _rejected(ctx, path, 3, match="không có thật")
    assert "Ngày tiếp nhận" in result.rejected[0].reason


def test_dates_out_of_order_and_in_the_future(ctx, tmp_path):
    _rejected(ctx, _one_row(tmp_path, "a.xlsx", **{"Ngày hẹn trả": "01/02/2026"}), 3, match="trước ngày tiếp nhận")
    _rejected(ctx, _one_row(tmp_path, "b.xlsx", **{"Ngày tiếp nhận": "01/03/2026", "Ngày hẹn trả": None,
                                                   "Ngày kết thúc xử lý": None, "Ngày trả kết quả": None}),
              3, match="ở tương lai")


def test_duplicate_codes_inside_the_file(ctx, tmp_path):
    rows = samples.template_rows(samples.SAMPLES[:2])
    rows[1][0] = rows[0][0].lower()  # the same code, other case
    path = samples.write_xlsx(tmp_path / "trung.xlsx", TEMPLATE_HEADERS, rows, titles=())
    result = _rejected(ctx, path, [3, 4], match="có ở nhiều dòng")
    assert "dòng 3, 4" in result.rejected[0].reason


def test_formula_cell(ctx, tmp_path):
    path = _one_row(tmp_path, "cong_thuc.xlsx", **{"Phí, lệ phí (VNĐ)": "=2000*3"})
    result = _rejected(ctx, path, 3, match="công thức")
    assert "W3" in result.rejected[0].reason and "Phí, lệ phí (VNĐ)" in result.rejected[0].reason


def test_bad_id_number_status_and_yes_no(ctx, tmp_path):
    _rejected(ctx, _one_row(tmp_path, "a.xlsx", **{"Số định danh": "12345"}), 3, match="Số định danh")
    _rejected(ctx, _one_row(tmp_path, "b.xlsx", **{"Trạng thái": "Chờ ký"}), 3, match="trạng thái")
    _rejected(ctx, _one_row(tmp_path, "c.xlsx", **{"Đã đồng bộ": "có lẽ"}), 3, match="Có/Không")
    _rejected(ctx, _one_row(tmp_path, "d.xlsx", **{"Mã TTHC": "", "Tên thủ tục": "Cấp phép bay"}), 3,
              match="Không tìm thấy thủ tục")


def test_text_file_renamed_xlsx(ctx, tmp_path):
    path = tmp_path / "danh_sach.xlsx"
    path.write_text("Mã hồ sơ,Chủ hồ sơ\nX-1,Nguyễn Văn A\n", encoding="utf-8")
    _refused(ctx, path, match="tệp văn bản")


def test_html_without_a_table(ctx, tmp_path):
    path = tmp_path / "DanhSach.xls"
    path.write_text("<html><body><h1>Lỗi 500</h1></body></html>", encoding="utf-8")
    _refused(ctx, path, match="không có bảng")


def test_real_binary_xls(ctx, tmp_path):
    path = tmp_path / "cu.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(1000))
    error = _refused(ctx, path, match="Excel đời cũ")
    assert ".xlsx" in error.action


def test_valid_rows_go_in_and_bad_rows_are_listed(ctx, tmp_path):
    rows = samples.template_rows()
    rows[2][TEMPLATE_HEADERS.index("Ngày tiếp nhận")] = "30/02/2026"
    path = samples.write_xlsx(tmp_path / "tron.xlsx", TEMPLATE_HEADERS, rows, titles=())
    result = imports.import_file(ctx, path)
    assert result.as_json()["added"] == 5
    assert [(r.row, "không có thật" in r.reason) for r in result.rejected] == [(5, True)]


# ---------------------------------------------------------------------------- all or nothing


def _big_file(tmp_path, count: int):
    path = tmp_path / f"lon_{count}.xlsx"
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Mẫu nhập hồ sơ")
    sheet.append(list(TEMPLATE_HEADERS))
    template = samples.template_rows(samples.SAMPLES[:1])[0]
    for index in range(count):
        row = list(template)
        row[0] = f"{samples.UNIT}-B{index:07d}"
        sheet.append(row)
    workbook.save(path)
    return path


@pytest.mark.parametrize("when", ["reading", "writing"])
def test_cancel_leaves_the_database_unchanged(ctx, tmp_path, when):
    imports.import_file(ctx, _template(tmp_path))
    before = dump(ctx)
    seen = []

    def progress(done, total):
        seen.append(done)

    def cancel():
        if when == "reading":
            return len(seen) >= 2
        return bool(seen) and seen[-1] > imports.PROGRESS_STEPS

    with pytest.raises(imports.ImportCancelled) as caught:
        imports.import_file(ctx, _big_file(tmp_path, 3000), progress=progress, cancel=cancel)
    assert "không thay đổi" in caught.value.message
    assert dump(ctx) == before


def test_a_failure_while_writing_rolls_everything_back(ctx, tmp_path, monkeypatch):
    imports.import_file(ctx, _template(tmp_path))
    before = dump(ctx)
    real = imports._insert_new
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise OSError("disk I/O error")
        return real(*args, **kwargs)

    monkeypatch.setattr(imports, "_insert_new", failing)
    with pytest.raises(OSError):
        imports.import_file(ctx, _big_file(tmp_path, 3000))
    assert dump(ctx) == before


def test_progress_climbs_to_the_end(ctx, tmp_path, monkeypatch):
    monkeypatch.setattr(imports, "_WRITE_CHUNK", 300)
    seen = []
    imports.import_file(ctx, _big_file(tmp_path, 1200), progress=lambda done, total: seen.append((done, total)))
    assert seen and all(total == 2 * imports.PROGRESS_STEPS for _, total in seen)
    dones = [done for done, _ in seen]
    assert dones == sorted(dones) and dones[-1] == 2 * imports.PROGRESS_STEPS
    assert any(0 < done < imports.PROGRESS_STEPS for done in dones)  # reading reported
    assert any(imports.PROGRESS_STEPS < done < 2 * imports.PROGRESS_STEPS for done in dones)  # writing reported


@pytest.mark.slow
def test_a_100000_row_file_imports_with_progress(ctx, tmp_path):
    path = _big_file(tmp_path, 100_000)
    seen = []
    result = imports.import_file(ctx, path, progress=lambda done, total: seen.append(done))
    assert len(result.added) == 100_000 and not result.rejected
    assert len(seen) > 100 and seen[-1] == 2 * imports.PROGRESS_STEPS
    with ctx.read() as session:
        assert session.scalar(text("SELECT count(*) FROM dossier")) == 100_000
        assert session.scalar(text("SELECT count(*) FROM audit_log WHERE action = 'imported'")) == 100_000
    assert imports.import_file(ctx, path, dry_run=True).as_json()["unchanged"] == 100_000


# ---------------------------------------------------------------------------- round trip, template


def test_export_then_import_gives_the_same_dossiers(ctx, tmp_path, services_ctx):
    from desktop_app.services import exports, setup
    from desktop_app.services.context import open_database

    imports.import_file(ctx, _template(tmp_path))
    imports.import_file(ctx, samples.write_fee_list(tmp_path / "phi.xlsx"))
    out = exports.export_dossiers(ctx, tmp_path / "xuat.xlsx", date(2026, 1, 1), date(2026, 12, 31))
    assert imports.import_file(ctx, out).as_json() == {"added": 0, "updated": 0, "unchanged": 6, "rejected": []}

    other = open_database(str(tmp_path / "khac.sqlite3"), clock=ctx.clock)
    try:
        setup.save_profile(other, setup.ProfileInput(unit_name="UBND xã Phú Lạc", unit_code=samples.UNIT,
                                                     place_name="Phú Lạc", province="Thái Nguyên"))
        setup.save_officer(other, "lan.nt", "Nguyễn Thị Lan", "quan_tri")
        assert imports.import_file(other, out).as_json()["added"] == 6
        again = exports.export_dossiers(other, tmp_path / "xuat2.xlsx", date(2026, 1, 1), date(2026, 12, 31))
    finally:
        other.dispose()

    def cells(path):
        workbook = load_workbook(path, read_only=True)
        try:
            return [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]
        finally:
            workbook.close()  # a read-only workbook keeps its file open until closed

    assert cells(again) == cells(out)


def test_template_has_the_spec_headers_a_guide_a_frozen_header_and_widths(tmp_path):
    path = imports.write_template(tmp_path / "mau.xlsx")
    workbook = load_workbook(path)
    sheet, guide = workbook.worksheets
    assert sheet.title == "Mẫu nhập hồ sơ" and guide.title == "Hướng dẫn"
    assert tuple(c.value for c in sheet[1]) == TEMPLATE_HEADERS
    assert sheet.freeze_panes == "A2" and guide.freeze_panes == "A2"
    assert all((sheet.column_dimensions[c.column_letter].width or 0) >= 12 for c in sheet[1])
    explained = [row[0] for row in guide.iter_rows(min_row=2, max_row=len(TEMPLATE_HEADERS) + 1, values_only=True)]
    assert tuple(explained) == TEMPLATE_HEADERS
    allowed = {row[0]: row[2] for row in guide.iter_rows(min_row=2, values_only=True) if row[0]}
    assert "Trực tuyến · Tiền mặt · Chuyển khoản · Miễn" in allowed["Hình thức thanh toán"]
    assert "Có / Không" in allowed["Đã đồng bộ"]
    assert "dd/mm/yyyy" in allowed["Ngày tiếp nhận"]
    assert not list(tmp_path.glob("*.tmp*"))


def test_new_dossier_ids_are_unique_uuids(ctx, tmp_path):
    imports.import_file(ctx, _template(tmp_path))
    with ctx.read() as session:
        ids = session.scalars(select(Dossier.id)).all()
    assert len(set(ids)) == 6 and all(isinstance(i, uuid.UUID) and i.version == 7 for i in ids)

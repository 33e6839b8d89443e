"""``motcua template`` and ``motcua import`` end to end: JSON of SPEC §8, exit codes, messages."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from desktop_app.domain.headers import TEMPLATE_HEADERS

from ..unit.services import excel_samples as samples
from .test_cli import motcua, ok, query


@pytest.fixture
def data_dir(tmp_path):
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def db(tmp_path):
    return tmp_path / "so" / "motcua.sqlite3"


def _init(db, data_dir):
    ok(motcua("--db", str(db), "init", "--unit-name", "UBND xã Phú Lạc", "--unit-code", samples.UNIT,
              "--place-name", "Phú Lạc", "--province", "Thái Nguyên", "--officer-username", "lan.nt",
              "--officer-name", "Nguyễn Thị Lan", data_dir=data_dir))


def test_template_command_writes_the_spec_headers(tmp_path, data_dir):
    out = tmp_path / "Mau nhap.xlsx"
    result = ok(motcua("template", str(out), data_dir=data_dir))
    assert "Đã ghi mẫu nhập hồ sơ" in result.stdout
    sheet = load_workbook(out).worksheets[0]
    assert tuple(cell.value for cell in sheet[1]) == TEMPLATE_HEADERS


def test_import_dry_run_then_apply_then_again(tmp_path, db, data_dir):
    _init(db, data_dir)
    path = samples.write_danh_sach(tmp_path / "DanhSachHoSo.xls", "B", as_html=True,
                                   samples=(*samples.SAMPLES, samples.UNKNOWN))

    preview = ok(motcua("--db", str(db), "import", str(path), "--dry-run", "--json", data_dir=data_dir))
    data = json.loads(preview.stdout)
    assert set(data) == {"added", "updated", "unchanged", "rejected", "not_in_file"}
    assert (data["added"], data["updated"], data["unchanged"]) == (6, 0, 0)
    assert data["rejected"] == [{"row": 11, "reason": data["rejected"][0]["reason"]}]
    assert "Cấp giấy phép xây dựng" in data["rejected"][0]["reason"]
    assert query(db, "SELECT count(*) FROM dossier") == [(0,)]

    applied = json.loads(ok(motcua("--db", str(db), "import", str(path), "--json", data_dir=data_dir)).stdout)
    assert applied["added"] == 6
    assert query(db, "SELECT count(*), sum(synced) FROM dossier") == [(6, 6)]

    again = ok(motcua("--db", str(db), "import", str(path), data_dir=data_dir))
    assert "Không thay đổi: 6 hồ sơ" in again.stdout and "dòng 11:" in again.stdout
    assert query(db, "SELECT count(*) FROM dossier") == [(6,)]


def test_import_of_the_template_prints_a_summary(tmp_path, db, data_dir):
    _init(db, data_dir)
    path = samples.write_template_file(tmp_path / "mau.xlsx", samples.template_rows())
    result = ok(motcua("--db", str(db), "import", str(path), data_dir=data_dir))
    assert "Mẫu nhập hồ sơ của Sổ Một Cửa" in result.stdout
    assert "Đã thêm mới: 6 hồ sơ" in result.stdout
    assert "Đã sao lưu trước khi nhập" in result.stdout


def test_nothing_importable_exits_1_and_writes_nothing(tmp_path, db, data_dir):
    _init(db, data_dir)
    fee = samples.write_fee_list(tmp_path / "thu_phi.xlsx")
    result = motcua("--db", str(db), "import", str(fee), "--json", data_dir=data_dir)
    assert result.returncode == 1
    data = json.loads(result.stdout)
    assert data["added"] == data["updated"] == data["unchanged"] == 0 and len(data["rejected"]) == 2
    assert "không có dòng nào nhập được" in result.stderr
    assert query(db, "SELECT count(*) FROM dossier") == [(0,)]


def test_bad_files_exit_1_with_a_vietnamese_message(tmp_path, db, data_dir):
    _init(db, data_dir)
    text = tmp_path / "danh_sach.xlsx"
    text.write_text("Mã hồ sơ;Chủ hồ sơ\n", encoding="utf-8")
    result = motcua("--db", str(db), "import", str(text), data_dir=data_dir)
    assert result.returncode == 1 and "tệp văn bản" in result.stderr and result.stdout == ""

    headers = [h for h in TEMPLATE_HEADERS if h != "Mã hồ sơ"]
    missing = samples.write_xlsx(tmp_path / "thieu.xlsx", headers, [], titles=())
    result = motcua("--db", str(db), "import", str(missing), "--json", data_dir=data_dir)
    assert result.returncode == 1 and "“Mã hồ sơ”" in result.stderr
    assert query(db, "SELECT count(*) FROM dossier") == [(0,)]


def test_missing_file_argument_is_a_usage_error(data_dir):
    result = motcua("import", data_dir=data_dir)
    assert result.returncode == 2 and "thiếu tham số" in result.stderr

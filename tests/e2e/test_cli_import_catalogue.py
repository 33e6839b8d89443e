"""``motcua import-catalogue FILE`` end to end: export the catalogue, edit it in Excel, import it back."""

from __future__ import annotations

import json

from openpyxl import load_workbook

from .test_cli import PROFILE_ARGS, motcua, ok, query, scalar


def _setup(tmp_path):
    data, db = tmp_path / "data", tmp_path / "so.sqlite3"
    ok(motcua("--db", str(db), "init", *PROFILE_ARGS, "--officer-username", "lan.nt",
              "--officer-name", "Nguyễn Thị Lan", "--officer-role", "quan_tri", data_dir=data))
    out = tmp_path / "danh-muc.xlsx"
    ok(motcua("--db", str(db), "export", "catalogue", "--out", str(out), data_dir=data))
    return data, db, out


def _edit(path, out, *, rename: str | None = None, add: tuple[str, str] | None = None, bad_limit: bool = False):
    book = load_workbook(path)
    sheet = book["Danh mục thủ tục"]
    headers = [cell.value for cell in sheet[1]]
    code_col, name_col = headers.index("Mã TTHC"), headers.index("Tên thủ tục")
    limit_col = headers.index("Thời hạn giải quyết")
    first = [cell for cell in sheet[2]]
    code = first[code_col].value
    if rename:
        first[name_col].value = rename
    if bad_limit:
        first[limit_col].value = "ba ngày"
    if add:
        # a copy of row 2 with another code and name, above the totals row
        values = [cell.value for cell in sheet[2]]
        values[code_col], values[name_col] = add
        sheet.insert_rows(3)
        for index, value in enumerate(values, start=1):
            sheet.cell(row=3, column=index, value=value)
    book.save(out)
    return code


def test_import_catalogue_updates_and_adds_and_is_idempotent(tmp_path):
    data, db, exported = _setup(tmp_path)
    total = scalar(db, "SELECT count(*) FROM procedure")
    edited = tmp_path / "sua.xlsx"
    code = _edit(exported, edited, rename="Tên thủ tục đã sửa trong Excel", add=("9.999001", "Thủ tục thêm mới"))

    preview = json.loads(ok(motcua("--db", str(db), "--json", "import-catalogue", str(edited), "--dry-run",
                                   data_dir=data)).stdout)
    assert preview == {"added": 1, "updated": 1, "unchanged": total - 1, "dry_run": True}
    assert scalar(db, "SELECT count(*) FROM procedure") == total  # a dry run writes nothing

    result = ok(motcua("--db", str(db), "import-catalogue", str(edited), data_dir=data))
    assert "Đã thêm mới: 1 thủ tục (9.999001)" in result.stdout
    assert f"Đã cập nhật: 1 thủ tục ({code})" in result.stdout
    assert scalar(db, "SELECT name FROM procedure WHERE code = ?", code) == "Tên thủ tục đã sửa trong Excel"
    assert scalar(db, "SELECT name FROM procedure WHERE code = '9.999001'") == "Thủ tục thêm mới"
    assert scalar(db, "SELECT count(*) FROM procedure") == total + 1

    again = json.loads(ok(motcua("--db", str(db), "--json", "import-catalogue", str(edited), data_dir=data)).stdout)
    assert again == {"added": 0, "updated": 0, "unchanged": total + 1, "dry_run": False}


def test_a_bad_catalogue_file_changes_nothing(tmp_path):
    data, db, exported = _setup(tmp_path)
    before = query(db, "SELECT code, name, time_limit FROM procedure ORDER BY code")
    broken = tmp_path / "loi.xlsx"
    _edit(exported, broken, rename="Tên mới", bad_limit=True)
    refused = motcua("--db", str(db), "import-catalogue", str(broken), data_dir=data)
    assert refused.returncode == 1
    assert "Tệp danh mục có lỗi, chưa nhập gì" in refused.stderr and "Thời hạn giải quyết" in refused.stderr
    text = tmp_path / "ghi-chu.xlsx"
    text.write_text("không phải Excel", encoding="utf-8")
    refused = motcua("--db", str(db), "import-catalogue", str(text), data_dir=data)
    assert refused.returncode == 1 and "không phải tệp Excel" in refused.stderr
    missing = motcua("--db", str(db), "import-catalogue", str(tmp_path / "khong-co.xlsx"), data_dir=data)
    assert missing.returncode == 1 and "Không tìm thấy tệp" in missing.stderr
    assert query(db, "SELECT code, name, time_limit FROM procedure ORDER BY code") == before


def test_only_leaders_and_administrators_may_import_the_catalogue(tmp_path):
    data, db, exported = _setup(tmp_path)
    ok(motcua("--db", str(db), "init", "--officer-username", "hoa.tt", "--officer-name", "Trần Thị Hoa",
              "--officer-role", "tiep_nhan", data_dir=data))
    ok(motcua("--db", str(db), "--officer", "lan.nt", "officer-password", "lan.nt", data_dir=data,
              env={"MOTCUA_NEW_PASSWORD": "mật khẩu 2026"}))  # passwords switch the role checks on
    edited = tmp_path / "sua.xlsx"
    code = _edit(exported, edited, rename="Tên do cán bộ tiếp nhận sửa")
    before = scalar(db, "SELECT name FROM procedure WHERE code = ?", code)
    refused = motcua("--db", str(db), "--officer", "hoa.tt", "import-catalogue", str(edited), data_dir=data)
    assert refused.returncode == 1 and "Bạn không có quyền sửa danh mục thủ tục" in refused.stderr
    assert scalar(db, "SELECT name FROM procedure WHERE code = ?", code) == before
    ok(motcua("--db", str(db), "--officer", "lan.nt", "import-catalogue", str(edited), data_dir=data))
    assert scalar(db, "SELECT name FROM procedure WHERE code = ?", code) == "Tên do cán bộ tiếp nhận sửa"

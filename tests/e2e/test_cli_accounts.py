"""``--officer``, ``motcua delete``, ``motcua history`` and ``motcua officer-password`` end to end."""

from __future__ import annotations

import json

from .test_cli import PROFILE_ARGS, motcua, ok, query, scalar


def _setup(tmp_path):
    data, db = tmp_path / "data", tmp_path / "so.sqlite3"
    ok(motcua("--db", str(db), "init", *PROFILE_ARGS, "--officer-username", "lan.nt",
              "--officer-name", "Nguyễn Thị Lan", "--officer-role", "quan_tri", data_dir=data))
    ok(motcua("--db", str(db), "demo", "--dossiers", "3", data_dir=data))
    codes = [row[0] for row in query(db, "SELECT code FROM dossier ORDER BY code")]
    return data, db, codes


def test_officer_option_is_written_into_the_audit_log(tmp_path):
    data, db, codes = _setup(tmp_path)
    # an unknown officer: refused, nothing written
    refused = motcua("--db", str(db), "--officer", "khong.co", "delete", codes[0], "--reason", "nhập trùng",
                     data_dir=data)
    assert refused.returncode == 1
    assert "Không có cán bộ nào có tên đăng nhập “khong.co”" in refused.stderr
    assert scalar(db, "SELECT count(*) FROM dossier WHERE deleted_at IS NOT NULL") == 0
    # the option after the command name works too
    ok(motcua("--db", str(db), "delete", codes[0], "--reason", "nhập trùng", "--officer", "lan.nt", data_dir=data))
    rows = query(db, "SELECT field, new_value, officer_name FROM audit_log WHERE action = 'updated' ORDER BY seq")
    assert [(field, name) for field, _value, name in rows] == [("deleted_at", "Nguyễn Thị Lan"),
                                                              ("delete_reason", "Nguyễn Thị Lan")]
    assert rows[1][1] == "nhập trùng"
    history = json.loads(ok(motcua("--db", str(db), "--json", "history", codes[0], data_dir=data)).stdout)
    assert [(h["what"], h["new"], h["officer"]) for h in history][-1] == ("Lý do xóa", "nhập trùng", "Nguyễn Thị Lan")
    listed = json.loads(ok(motcua("--db", str(db), "--json", "warnings", data_dir=data)).stdout)
    assert codes[0] not in {item["dossier"] for item in listed}


def test_without_the_option_the_only_officer_acts_and_roles_are_checked_once_passwords_exist(tmp_path):
    data, db, codes = _setup(tmp_path)
    ok(motcua("--db", str(db), "delete", codes[0], "--reason", "nhập thử", data_dir=data))
    assert {row[0] for row in query(db, "SELECT officer_name FROM audit_log")} == {"Nguyễn Thị Lan"}
    # a second officer (cán bộ tiếp nhận); passwords switch the role checks on
    ok(motcua("--db", str(db), "init", "--officer-username", "hoa.tt", "--officer-name", "Trần Thị Hoa",
              "--officer-role", "tiep_nhan", data_dir=data))
    ok(motcua("--db", str(db), "--officer", "lan.nt", "officer-password", "lan.nt", data_dir=data,
              env={"MOTCUA_NEW_PASSWORD": "mật khẩu 2026"}))
    assert scalar(db, "SELECT password_hash FROM officer WHERE username = 'lan.nt'").startswith("$argon2id$")
    refused = motcua("--db", str(db), "--officer", "hoa.tt", "delete", codes[1], "--reason", "nhập trùng",
                     data_dir=data)
    assert refused.returncode == 1 and "Bạn không có quyền xóa hồ sơ" in refused.stderr
    assert scalar(db, "SELECT count(*) FROM dossier WHERE deleted_at IS NOT NULL") == 1


def test_restore_is_for_the_administrator_once_passwords_exist(tmp_path):
    data, db, codes = _setup(tmp_path)
    made = json.loads(ok(motcua("--db", str(db), "--json", "backup", data_dir=data)).stdout)
    ok(motcua("--db", str(db), "init", "--officer-username", "hoa.tt", "--officer-name", "Trần Thị Hoa",
              "--officer-role", "tiep_nhan", data_dir=data))
    ok(motcua("--db", str(db), "--officer", "lan.nt", "officer-password", "lan.nt", data_dir=data,
              env={"MOTCUA_NEW_PASSWORD": "mật khẩu 2026"}))
    ok(motcua("--db", str(db), "--officer", "lan.nt", "delete", codes[0], "--reason", "nhập thử", data_dir=data))
    refused = motcua("--db", str(db), "--officer", "hoa.tt", "restore", made["backup"], "--yes", data_dir=data)
    assert refused.returncode == 1
    assert "Bạn không có quyền khôi phục dữ liệu" in refused.stderr and "--officer" in refused.stderr
    assert scalar(db, "SELECT count(*) FROM dossier WHERE deleted_at IS NOT NULL") == 1  # unchanged
    unknown = motcua("--db", str(db), "--officer", "khong.co", "restore", made["backup"], "--yes", data_dir=data)
    assert unknown.returncode == 1
    assert scalar(db, "SELECT count(*) FROM dossier WHERE deleted_at IS NOT NULL") == 1
    ok(motcua("--db", str(db), "--officer", "lan.nt", "restore", made["backup"], "--yes", data_dir=data))
    assert scalar(db, "SELECT count(*) FROM dossier WHERE deleted_at IS NOT NULL") == 0


def test_a_database_that_cannot_be_opened_can_still_be_restored(tmp_path):
    data, db, _codes = _setup(tmp_path)
    made = json.loads(ok(motcua("--db", str(db), "--json", "backup", data_dir=data)).stdout)
    count = scalar(db, "SELECT count(*) FROM dossier")
    db.write_bytes(db.read_bytes()[:4096])  # truncated: no account can be read any more
    for suffix in ("-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    ok(motcua("--db", str(db), "restore", made["backup"], "--yes", data_dir=data))
    assert scalar(db, "SELECT count(*) FROM dossier") == count

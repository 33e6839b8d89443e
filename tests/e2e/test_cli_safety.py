"""``motcua backup``, ``motcua restore`` and ``motcua check`` end to end."""

from __future__ import annotations

import json
import sqlite3

from .test_cli import PROFILE_ARGS, motcua, ok, query, scalar


def _setup(tmp_path, dossiers: int = 5):
    data, db = tmp_path / "data", tmp_path / "so.sqlite3"
    ok(motcua("--db", str(db), "init", *PROFILE_ARGS, "--officer-username", "lan.nt",
              "--officer-name", "Nguyễn Thị Lan", "--officer-role", "quan_tri", data_dir=data))
    ok(motcua("--db", str(db), "demo", "--dossiers", str(dossiers), data_dir=data))
    return data, db


def test_backup_then_restore_brings_back_the_same_dossiers(tmp_path):
    data, db = _setup(tmp_path)
    before = query(db, "SELECT * FROM dossier ORDER BY id")
    made = json.loads(ok(motcua("--db", str(db), "--json", "backup", data_dir=data)).stdout)
    backup = tmp_path / "backups" / made["backup"].rsplit("/", 1)[-1]
    assert backup.exists() and made["integrity"] == "ok"
    assert "thucong" in backup.name
    ok(motcua("--db", str(db), "demo", "--dossiers", "3", data_dir=data))
    assert scalar(db, "SELECT count(*) FROM dossier") == 8
    # without --yes and without a keyboard: refused, nothing changed
    refused = motcua("--db", str(db), "restore", str(backup), data_dir=data)
    assert refused.returncode == 1 and "--yes" in refused.stderr
    assert scalar(db, "SELECT count(*) FROM dossier") == 8
    done = ok(motcua("--db", str(db), "restore", str(backup), "--yes", data_dir=data))
    assert "Đã khôi phục" in done.stdout and "5 hồ sơ" in done.stdout
    assert query(db, "SELECT * FROM dossier ORDER BY id") == before
    safety = [p for p in (tmp_path / "backups").iterdir() if "truockhoiphuc" in p.name]
    assert len(safety) == 1 and scalar(safety[0], "SELECT count(*) FROM dossier") == 8


def test_backup_to_a_folder(tmp_path):
    data, db = _setup(tmp_path, 2)
    usb = tmp_path / "usb"
    usb.mkdir()
    result = ok(motcua("--db", str(db), "backup", "--to", str(usb), data_dir=data))
    assert "đã kiểm tra toàn vẹn: tốt" in result.stdout
    [copy] = list(usb.iterdir())
    assert scalar(copy, "PRAGMA integrity_check") == "ok"
    assert scalar(copy, "SELECT count(*) FROM dossier") == 2
    missing = motcua("--db", str(db), "backup", "--to", str(tmp_path / "khong-co" / "x" / "y.sqlite3"),
                     data_dir=data)
    assert missing.returncode == 0  # folders are created
    readonly_target = motcua("--db", str(db), "restore", str(tmp_path / "khong-co.sqlite3"), "--yes",
                             data_dir=data)
    assert readonly_target.returncode == 1 and "Không đọc được tệp" in readonly_target.stderr


def test_check_reports_ok_and_a_damaged_file(tmp_path):
    data, db = _setup(tmp_path, 30)
    result = json.loads(ok(motcua("--db", str(db), "--json", "check", data_dir=data)).stdout)
    assert result["ok"] and result["integrity"] == ["ok"] and result["foreign_keys"] == []
    assert "toàn vẹn" in ok(motcua("--db", str(db), "check", data_dir=data)).stdout
    with sqlite3.connect(db) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    raw = bytearray(db.read_bytes())
    for start in range(3 * 4096, len(raw) - 4096, 4 * 4096):
        raw[start + 100:start + 900] = b"\xa5" * 800
    db.write_bytes(bytes(raw))
    broken = motcua("--db", str(db), "check", data_dir=data)
    assert broken.returncode == 1
    assert "có lỗi" in broken.stderr and "motcua restore" in broken.stderr
    # and the damaged database is not backed up over the good backups
    refused = motcua("--db", str(db), "backup", data_dir=data)
    assert refused.returncode == 1
    assert "bị hỏng" in refused.stderr
    assert not [p for p in (tmp_path / "backups").glob("*tudong*")]


def test_restore_is_refused_while_the_app_has_the_database_open(tmp_path):
    from desktop_app.ui import single_instance

    data, db = _setup(tmp_path, 2)
    made = json.loads(ok(motcua("--db", str(db), "--json", "backup", data_dir=data)).stdout)
    lock = single_instance.acquire(str(db))  # this test process plays the open window
    try:
        refused = motcua("--db", str(db), "restore", made["backup"], "--yes", data_dir=data)
    finally:
        lock.unlock()
    assert refused.returncode == 1
    assert "đang mở tệp dữ liệu này trong một cửa sổ khác" in refused.stderr

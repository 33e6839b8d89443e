"""Backups, restore and the integrity check on real SQLite files."""

from __future__ import annotations

import shutil
import sqlite3
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine

from desktop_app.domain.retention import backup_name, parse_backup_name
from desktop_app.services import backups, demo, intake
from desktop_app.services.context import AppContext, open_database
from desktop_app.storage import migrate
from desktop_app.storage.backup_files import CorruptSourceError
from desktop_app.storage.errors import NewerSchemaError, UserFixableError

from .helpers import draft

pytestmark = pytest.mark.sqlite_only  # SQLite's online backup API and PRAGMA checks


def rows(path: Path, sql: str = "SELECT * FROM dossier ORDER BY id") -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def integrity(path: Path) -> str:
    return rows(path, "PRAGMA integrity_check")[0][0]


def db_path(ctx) -> Path:
    return Path(ctx.engine.url.database)


def corrupt(path: Path) -> None:
    """Overwrite pages in the middle of the file (the header stays, so it still opens)."""
    data = bytearray(path.read_bytes())
    page = 4096
    for start in range(3 * page, len(data) - page, 5 * page):
        data[start + 100:start + 900] = b"\xa5" * 800
    path.write_bytes(bytes(data))


@pytest.fixture
def filled(services_ctx):
    demo.generate(services_ctx, 60, seed=3, weeks=4)
    return services_ctx


def test_a_backup_made_by_the_app_restores_to_an_identical_set_of_dossiers(filled, clock, tmp_path):
    path = db_path(filled)
    before = rows(path)
    assert len(before) == 60
    backup = backups.backup_now(filled, "manual")
    assert backup.parent == path.parent / "backups"
    assert parse_backup_name(backup.name).reason == "manual"
    assert integrity(backup) == "ok"
    # the data changes after the backup: a new dossier, then the restore brings the old set back
    clock.now += timedelta(hours=1)
    intake.receive_dossier(filled, draft(filled))
    assert len(rows(path)) == 61
    result = backups.restore(filled, backup)
    assert result.dossiers == 60 and not result.upgraded
    assert rows(path) == before  # every column of every dossier
    assert rows(path, "SELECT * FROM dossier_component ORDER BY id") == rows(
        backup, "SELECT * FROM dossier_component ORDER BY id")
    # the safety backup holds the data as it was just before (61 dossiers)
    assert parse_backup_name(result.safety_backup.name).reason == "before-restore"
    assert len(rows(result.safety_backup)) == 61
    # the context keeps working on the restored data
    intake.receive_dossier(filled, draft(filled))
    assert len(rows(path)) == 61
    assert integrity(path) == "ok"


def test_a_backup_includes_transactions_still_in_the_wal(services_ctx):
    path = db_path(services_ctx)
    keeper = sqlite3.connect(path)  # an open reader keeps the WAL from being checkpointed
    keeper.execute("SELECT count(*) FROM dossier").fetchone()
    try:
        intake.receive_dossier(services_ctx, draft(services_ctx))
        assert Path(str(path) + "-wal").stat().st_size > 0
        backup = backups.backup_now(services_ctx, "manual")
    finally:
        keeper.close()
    assert rows(backup, "SELECT count(*) FROM dossier") == [(1,)]
    assert not Path(str(backup) + "-wal").exists()  # one self-contained file


def test_a_corrupt_database_is_never_backed_up_over_good_ones(filled, clock):
    good = backups.backup_now(filled, "manual")
    clock.now += timedelta(days=1)
    filled.dispose()
    corrupt(db_path(filled))
    with pytest.raises(CorruptSourceError) as info:
        backups.backup_now(filled, "auto")
    assert "bị hỏng" in info.value.message and "bản sao lưu cũ vẫn được giữ" in info.value.action.lower()
    assert [p.name for p in good.parent.iterdir() if p.suffix == ".sqlite3"] == [good.name]
    assert not list(good.parent.glob("*.part"))
    assert integrity(good) == "ok"


def test_rotation_runs_after_each_good_backup(services_ctx, clock):
    folder = db_path(services_ctx).parent / "backups"
    folder.mkdir()
    start = datetime(2025, 1, 1, 17, 0)
    for day in range(400):
        shutil.copy(Path(__file__), folder / backup_name("motcua", start + timedelta(days=day), "auto"))
    (folder / "ghi-chu.txt").write_text("của người dùng", encoding="utf-8")
    (folder / backup_name("so-khac", start, "auto")).write_bytes(b"x")  # another database's backup
    backups.backup_now(services_ctx, "auto")
    kept = backups.list_backups(services_ctx)
    assert len(kept) <= 7 + 4 + 12
    assert kept[0].taken_at == clock.now
    assert (folder / "ghi-chu.txt").exists() and (folder / backup_name("so-khac", start, "auto")).exists()


def test_automatic_backup_only_when_data_changed_and_30_minutes_passed(services_ctx, clock):
    assert backups.auto_backup_due(services_ctx, clock.now)  # never backed up yet
    backups.backup_now(services_ctx, "auto")
    assert not backups.auto_backup_due(services_ctx, clock.now + timedelta(hours=5))  # nothing changed
    clock.now += timedelta(minutes=10)
    intake.receive_dossier(services_ctx, draft(services_ctx))
    assert backups.changed_since_last_backup(services_ctx)
    assert not backups.auto_backup_due(services_ctx, clock.now)  # changed, but only 10 minutes ago
    assert backups.auto_backup_due(services_ctx, clock.now + timedelta(minutes=20))
    clock.now += timedelta(minutes=20)
    backups.backup_now(services_ctx, "auto")
    assert not backups.changed_since_last_backup(services_ctx)


def test_write_backup_to_a_folder_or_a_file(services_ctx, tmp_path):
    intake.receive_dossier(services_ctx, draft(services_ctx))
    usb = tmp_path / "usb"
    usb.mkdir()
    into_folder = backups.write_backup(services_ctx, usb)
    assert into_folder.parent == usb and parse_backup_name(into_folder.name).stem == "motcua"
    named = backups.write_backup(services_ctx, usb / "so-mot-cua-thang-12.sqlite3")
    for copy in (into_folder, named):
        assert integrity(copy) == "ok" and rows(copy, "SELECT count(*) FROM dossier") == [(1,)]
    with pytest.raises(UserFixableError):
        backups.write_backup(services_ctx, db_path(services_ctx))


def test_postgresql_is_backed_up_on_the_server(tmp_path):
    url = "postgresql+psycopg://motcua@localhost/motcua"
    ctx = AppContext(url=url, engine=create_engine(url), attachments_dir=tmp_path)
    assert backups.backup_now(ctx, "auto") is None
    assert not backups.auto_backup_due(ctx, datetime(2026, 12, 6))
    with pytest.raises(UserFixableError) as info:
        backups.write_backup(ctx, tmp_path / "x.sqlite3")
    assert "pg_dump" in info.value.message
    with pytest.raises(UserFixableError):
        backups.restore(url, tmp_path / "x.sqlite3")


# ---------------------------------------------------------------------------- restore refusals


def test_restore_refuses_a_file_that_is_not_a_backup(services_ctx, tmp_path):
    intake.receive_dossier(services_ctx, draft(services_ctx))
    path = db_path(services_ctx)
    before = rows(path)
    text = tmp_path / "ghi-chu.sqlite3"
    text.write_text("không phải cơ sở dữ liệu", encoding="utf-8")
    other = tmp_path / "khac.sqlite3"
    sqlite3.connect(other).execute("CREATE TABLE t (x)").connection.close()
    for wrong in (text, other):
        with pytest.raises(UserFixableError) as info:
            backups.restore(services_ctx, wrong)
        assert "không phải là bản sao lưu của Sổ Một Cửa" in info.value.message
    assert rows(path) == before
    assert backups.list_backups(services_ctx) == []  # refused before any safety backup


def test_restore_refuses_a_damaged_backup_and_one_from_a_newer_version(filled, tmp_path):
    path = db_path(filled)
    before = rows(path)
    damaged = backups.write_backup(filled, tmp_path / "hong.sqlite3")
    corrupt(damaged)
    with pytest.raises(CorruptSourceError) as info:
        backups.restore(filled, damaged)
    assert "bị hỏng" in info.value.message
    newer = backups.write_backup(filled, tmp_path / "moi.sqlite3")
    with sqlite3.connect(newer) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(NewerSchemaError):
        backups.restore(filled, newer)
    assert rows(path) == before


def test_restore_over_a_damaged_database_keeps_the_damaged_file(filled, tmp_path, clock):
    path = db_path(filled)
    good = backups.backup_now(filled, "manual")
    expected = rows(good)
    filled.dispose()
    corrupt(path)
    clock.now += timedelta(minutes=5)
    result = backups.restore(str(path), good)
    assert result.dossiers == len(expected)
    assert rows(path) == expected and integrity(path) == "ok"
    assert result.safety_backup is not None
    assert parse_backup_name(result.safety_backup.name).reason == "damaged"


def test_restoring_an_older_backup_upgrades_it(tmp_path):
    path = tmp_path / "motcua.sqlite3"
    open_database(str(path)).dispose()
    old = Path(__file__).parents[2] / "fixtures" / "motcua-schema-0001.sqlite3"
    result = backups.restore(str(path), old)
    assert result.upgraded and result.dossiers == 40
    assert rows(path, "SELECT version_num FROM alembic_version") == [(migrate.head_revision(),)]
    assert rows(path) == rows(old)


# ---------------------------------------------------------------------------- check


def test_check_reports_a_sound_database_and_a_broken_reference(services_ctx):
    intake.receive_dossier(services_ctx, draft(services_ctx))
    result = backups.check(services_ctx)
    assert result.ok and result.as_json()["integrity"] == ["ok"]
    assert result.revision == migrate.head_revision()
    conn = sqlite3.connect(db_path(services_ctx))
    conn.execute("PRAGMA foreign_keys=OFF")
    conn.execute("UPDATE dossier SET procedure_id = '0123456789abcdef0123456789abcdef'")
    conn.commit()
    conn.close()
    result = backups.check(services_ctx)
    assert not result.ok and result.integrity == [] and result.foreign_keys
    assert "dossier" in result.foreign_keys[0]


def test_check_reports_a_damaged_file(filled):
    filled.dispose()
    corrupt(db_path(filled))
    result = backups.check(filled)
    assert not result.ok and result.integrity


def test_restoring_an_old_backup_that_rotation_would_delete_works(filled, clock):
    """The safety backup's rotation runs only after the restore: the file being restored may be
    one the rotation no longer keeps."""
    folder = db_path(filled).parent / "backups"
    source = backups.write_backup(filled, folder / backup_name("motcua", clock.now - timedelta(hours=2),
                                                                 "before-restore"))
    expected = rows(source)
    for minute in range(1, 7):  # newer safety copies of the same day
        shutil.copy(source, folder / backup_name("motcua", clock.now - timedelta(hours=2, minutes=-minute),
                                                 "before-restore"))
    intake.receive_dossier(filled, draft(filled))
    result = backups.restore(filled, source)
    assert rows(db_path(filled)) == expected and result.dossiers == 60
    assert not source.exists()  # rotated away afterwards, as the rule says


def test_restoring_a_file_with_another_page_size(filled, tmp_path):
    other = backups.write_backup(filled, tmp_path / "trang-8k.sqlite3")
    conn = sqlite3.connect(other)
    conn.execute("PRAGMA page_size=8192")
    conn.execute("VACUUM")
    assert conn.execute("PRAGMA page_size").fetchone()[0] == 8192
    conn.close()
    expected = rows(other)
    result = backups.restore(filled, other)
    assert result.dossiers == 60 and rows(db_path(filled)) == expected
    assert integrity(db_path(filled)) == "ok"
    assert rows(db_path(filled), "PRAGMA journal_mode") == [("wal",)]

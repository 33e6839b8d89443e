import shutil
import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import inspect, text

from desktop_app.services.context import open_database
from desktop_app.storage import migrate
from desktop_app.storage.engine import make_engine, resolve_db_url, sqlite_path
from desktop_app.storage.errors import DatabaseError, NewerSchemaError


def test_default_database_is_in_the_data_folder(_isolated_data_dir):
    url = resolve_db_url(None)
    assert sqlite_path(url) == _isolated_data_dir / "motcua.sqlite3"


def test_env_variable_and_option(tmp_path, monkeypatch):
    monkeypatch.setenv("MOTCUA_DB", str(tmp_path / "env.sqlite3"))
    assert resolve_db_url(None).endswith("env.sqlite3")
    assert resolve_db_url(str(tmp_path / "opt.sqlite3")).endswith("opt.sqlite3")
    assert resolve_db_url("postgresql+psycopg://u@localhost/x") == "postgresql+psycopg://u@localhost/x"


def test_pragmas_are_set_on_every_connection(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'p.sqlite3'}")
    with engine.connect() as conn:
        assert conn.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert conn.execute(text("PRAGMA synchronous")).scalar() == 2  # FULL: survives a power cut
    engine.dispose()


def test_open_creates_schema_and_seeds(tmp_path):
    ctx = open_database(str(tmp_path / "new.sqlite3"))
    try:
        tables = set(inspect(ctx.engine).get_table_names())
        assert {"dossier", "procedure", "dossier_component", "attachment", "status_change", "holiday",
                "campaign", "officer", "commune_profile", "hamlet", "supplement_request"} <= tables
        assert migrate.current_revision(ctx.engine) == migrate.head_revision()
        with ctx.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM procedure")).scalar() >= 20
            assert conn.execute(text("SELECT count(*) FROM campaign")).scalar() == 4
            tet = conn.execute(text("SELECT count(*) FROM holiday WHERE day BETWEEN '2026-02-16' AND '2026-02-20'"))
            assert tet.scalar() == 5
    finally:
        ctx.dispose()


def test_reopening_does_not_duplicate_seed_data(tmp_path):
    path = str(tmp_path / "again.sqlite3")
    for _ in range(2):
        ctx = open_database(path)
        with ctx.engine.connect() as conn:
            counts = [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in ("procedure", "holiday", "campaign")]
        ctx.dispose()
    ctx = open_database(path)
    with ctx.engine.connect() as conn:
        assert [conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in ("procedure", "holiday", "campaign")] == counts
    ctx.dispose()


def test_a_deleted_package_holiday_stays_deleted(tmp_path):
    from desktop_app.services import holidays

    path = str(tmp_path / "h.sqlite3")
    ctx = open_database(path)
    tet = next(h for h in holidays.list_holidays(ctx, 2026) if h.day.isoformat() == "2026-02-20")
    holidays.delete_holiday(ctx, tet.id)
    ctx.dispose()
    ctx = open_database(path)
    assert all(h.day.isoformat() != "2026-02-20" for h in holidays.list_holidays(ctx, 2026))
    ctx.dispose()


def test_database_from_a_newer_version_is_refused(tmp_path):
    path = tmp_path / "newer.sqlite3"
    open_database(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    with pytest.raises(NewerSchemaError) as info:
        open_database(str(path))
    assert "phiên bản Sổ Một Cửa mới hơn" in info.value.message


def test_a_file_that_is_not_a_database_is_refused(tmp_path):
    path = tmp_path / "notes.sqlite3"
    path.write_text("đây là một tệp văn bản, không phải cơ sở dữ liệu " * 20, encoding="utf-8")
    with pytest.raises(DatabaseError) as info:
        open_database(str(path))
    assert "không phải là cơ sở dữ liệu" in info.value.message
    assert path.read_text(encoding="utf-8").startswith("đây là")  # untouched


def test_a_truncated_database_is_refused(tmp_path):
    path = tmp_path / "cut.sqlite3"
    open_database(str(path)).dispose()
    data = path.read_bytes()
    path.write_bytes(data[:100] + b"\x00" * 50)
    for extra in ("-wal", "-shm"):
        (tmp_path / f"cut.sqlite3{extra}").unlink(missing_ok=True)
    with pytest.raises(DatabaseError):
        open_database(str(path))


def test_a_folder_given_as_database_is_refused(tmp_path):
    with pytest.raises(DatabaseError) as info:
        open_database(str(tmp_path))
    assert "thư mục" in info.value.message


# ---------------------------------------------------------------------------- upgrades and backups

FIRST_RELEASE = Path(__file__).parents[2] / "fixtures" / "motcua-schema-0001.sqlite3"


def _rows(path, sql="SELECT * FROM dossier ORDER BY id"):
    conn = sqlite3.connect(path)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_a_database_of_the_first_released_schema_is_backed_up_then_upgraded(tmp_path):
    from desktop_app.domain.retention import parse_backup_name
    from desktop_app.domain.status import Action
    from desktop_app.services import audit, dossiers

    path = tmp_path / "motcua.sqlite3"
    shutil.copy(FIRST_RELEASE, path)
    assert _rows(path, "SELECT version_num FROM alembic_version") == [("0001_baseline",)]
    before = _rows(path)
    assert len(before) == 40
    ctx = open_database(str(path))
    try:
        assert migrate.current_revision(ctx.engine) == migrate.head_revision()
        assert _rows(path) == before  # no dossier changed by the upgrade
        # the backup before the migration holds the file as it was: first schema, same dossiers
        backups = list((tmp_path / "backups").iterdir())
        assert len(backups) == 1 and parse_backup_name(backups[0].name).reason == "before-migration"
        assert _rows(backups[0], "SELECT version_num FROM alembic_version") == [("0001_baseline",)]
        assert _rows(backups[0]) == before
        assert _rows(backups[0], "PRAGMA integrity_check") == [("ok",)]
        # what the later revisions added works on the upgraded file: the audit log
        code = _rows(path, "SELECT id, code FROM dossier WHERE status = 2 ORDER BY code LIMIT 1")
        dossier_id = dossiers.find_by_code(ctx, code[0][1]).id
        dossiers.perform_action(ctx, dossier_id, dossiers.ActionInput(Action.CO_KET_QUA))
        assert any(h.field == "status" for h in audit.dossier_history(ctx, dossier_id))
        assert set(inspect(ctx.engine).get_table_names()) >= {"audit_log"}
    finally:
        ctx.dispose()
    # opening again: already at the newest schema, no second backup
    open_database(str(path)).dispose()
    assert len(list((tmp_path / "backups").iterdir())) == 1


def test_a_newer_database_is_refused_without_a_backup_or_a_change(tmp_path):
    path = tmp_path / "newer.sqlite3"
    open_database(str(path)).dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("UPDATE alembic_version SET version_num = '9999_future'")
    conn.close()
    data = path.read_bytes()
    with pytest.raises(NewerSchemaError) as info:
        open_database(str(path))
    assert "cài phiên bản mới nhất" in info.value.action
    assert not (tmp_path / "backups").exists()
    assert path.read_bytes() == data


def test_a_new_database_needs_no_backup(tmp_path):
    open_database(str(tmp_path / "brand-new.sqlite3")).dispose()
    assert not (tmp_path / "backups").exists()

"""The audit log table is append-only, and the models match the migrations."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import text

from desktop_app.services.context import open_database
from desktop_app.storage import migrate
from desktop_app.storage.models import Base

ROOT = Path(__file__).resolve().parents[3]


def _with_one_entry(tmp_path) -> Path:
    path = tmp_path / "audit.sqlite3"
    ctx = open_database(str(path))
    with ctx.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO audit_log (id, entity, action, field, officer_name, at, seq, created_at, updated_at, version)"
            " VALUES ('00000000000000000000000000000001', 'dossier', 'created', '', '', '2026-02-12 10:00:00', 1,"
            " '2026-02-12 10:00:00', '2026-02-12 10:00:00', 1)"))
    ctx.dispose()
    return path


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET new_value = 'sửa lén'",
    "DELETE FROM audit_log",
])
def test_the_database_refuses_to_rewrite_history(tmp_path, statement):
    path = _with_one_entry(tmp_path)
    with sqlite3.connect(path) as conn:
        with pytest.raises(sqlite3.IntegrityError, match="append-only"):
            conn.execute(statement)
        assert conn.execute("SELECT count(*), max(new_value) FROM audit_log").fetchone() == (1, None)


#: An UPDATE or DELETE aimed at the audit table, in any of the ways the code base writes SQL.
_FORBIDDEN = (
    re.compile(r"update\s*\(\s*AuditEntry", re.IGNORECASE),
    re.compile(r"delete\s*\(\s*AuditEntry", re.IGNORECASE),
    re.compile(r"UPDATE\s+audit_log", re.IGNORECASE),
    re.compile(r"DELETE\s+FROM\s+audit_log", re.IGNORECASE),
    re.compile(r"AuditEntry\)?\s*\.\s*(update|delete)\s*\(", re.IGNORECASE),
    re.compile(r"session\.delete\(\s*(entry|audit)", re.IGNORECASE),
)


def test_no_code_updates_or_deletes_audit_entries():
    offenders = []
    for path in sorted((ROOT / "desktop_app").rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        for pattern in _FORBIDDEN:
            for match in pattern.finditer(source):
                offenders.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert offenders == []


def test_the_scan_would_find_an_update():
    sample = "session.execute(update(AuditEntry).values(new_value='x'))"
    assert any(p.search(sample) for p in _FORBIDDEN)


def test_models_and_migrations_agree(tmp_path):
    """What `alembic check` does: a database migrated to head has exactly the models' schema."""
    ctx = open_database(str(tmp_path / "head.sqlite3"))
    try:
        with ctx.engine.connect() as conn:
            differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                           Base.metadata)
    finally:
        ctx.dispose()
    assert differences == []


def test_a_database_of_the_first_released_schema_is_upgraded(tmp_path):
    from alembic import command

    path = tmp_path / "v0001.sqlite3"
    from desktop_app.storage.engine import make_engine

    engine = make_engine(f"sqlite:///{path}")
    cfg = migrate._config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001_baseline")
    assert migrate.current_revision(engine) == "0001_baseline"
    engine.dispose()
    ctx = open_database(str(path))
    try:
        assert migrate.current_revision(ctx.engine) == migrate.head_revision()
        with ctx.engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM audit_log")).scalar() == 0
            triggers = {row[0] for row in conn.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'"))}
        assert {"audit_log_no_update", "audit_log_no_delete"} <= triggers
    finally:
        ctx.dispose()

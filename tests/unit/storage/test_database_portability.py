"""The same code on SQLite and PostgreSQL: each test runs on both (tests/unit/conftest.py).

What differs between the two and must not show: the append-only audit triggers (two dialects of
trigger), the schema the migrations build, case in LIKE (SQLite ignores ASCII case, PostgreSQL
does not), naive local date-times, UUID keys, and the refusal of a newer schema.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from desktop_app.services import catalogue, dossiers, intake
from desktop_app.services.context import open_database
from desktop_app.storage.dossier_queries import DossierFilter
from desktop_app.storage.errors import NewerSchemaError
from desktop_app.storage.models import AuditEntry, Base, Dossier, Holiday, Procedure

from ..services.helpers import draft


def test_the_database_is_the_one_the_run_is_named_for(services_ctx, db_backend):
    # guards against both halves silently running on SQLite
    assert services_ctx.engine.dialect.name == db_backend


def _one_dossier(ctx, clock):
    clock.now = datetime(2026, 2, 5, 9, 30, 15)
    code = intake.receive_dossier(ctx, draft(ctx, applicant_name="Trần Thị Đào"))
    return dossiers.find_by_code(ctx, code)


@pytest.mark.parametrize("statement", [
    "UPDATE audit_log SET new_value = 'sửa lén'",
    "DELETE FROM audit_log",
])
def test_the_database_refuses_to_rewrite_history(services_ctx, clock, statement):
    _one_dossier(services_ctx, clock)
    with services_ctx.read() as session:
        before = session.execute(select(AuditEntry.id, AuditEntry.new_value).order_by(AuditEntry.id)).all()
    assert before
    with services_ctx.engine.connect() as conn:
        with pytest.raises(DBAPIError, match="append-only"):
            conn.execute(text(statement))
        conn.rollback()
    with services_ctx.read() as session:
        assert session.execute(select(AuditEntry.id, AuditEntry.new_value).order_by(AuditEntry.id)).all() == before


def test_models_and_migrations_agree(services_ctx):
    """What `alembic check` does: a database migrated to head has exactly the models' schema."""
    with services_ctx.engine.connect() as conn:
        differences = compare_metadata(MigrationContext.configure(conn, opts={"compare_type": True}),
                                       Base.metadata)
    assert differences == []


def test_a_code_typed_in_lower_case_is_found(services_ctx, clock):
    view = _one_dossier(services_ctx, clock)
    assert view.code.startswith("000.00.53.H48-")
    for typed in (view.code, view.code.lower(), "h48-260205", "H48-260205-0001"):
        found = dossiers.list_page(services_ctx, DossierFilter(search=typed))
        assert [row.code for row in found] == [view.code], typed
    assert dossiers.list_page(services_ctx, DossierFilter(search="h48_260205")) == []  # "_" stays literal


def test_a_procedure_code_is_found_whatever_its_case(services_ctx):
    with services_ctx.session() as session:
        session.get(Procedure, catalogue.list_procedures(services_ctx)[0].id).code = "2.000001.H48.XA"
    assert [p.code for p in catalogue.list_procedures(services_ctx, search="h48.xa")] == ["2.000001.H48.XA"]


def test_times_stay_naive_local_times_and_keys_stay_uuids(services_ctx, clock):
    view = _one_dossier(services_ctx, clock)
    with services_ctx.read() as session:
        row = session.scalar(select(Dossier).where(Dossier.id == view.id))
        assert isinstance(row.id, uuid.UUID) and row.id == view.id
        assert row.received_at == datetime(2026, 2, 5, 9, 30, 15)
        assert row.received_at.tzinfo is None and row.due_at.tzinfo is None
        assert row.identity_checked in (True, False) and type(row.synced) is bool
        # comparisons in SQL with naive Python values
        assert session.scalar(select(Dossier.id).where(Dossier.received_at == datetime(2026, 2, 5, 9, 30, 15))) \
            == view.id


def test_reopening_does_not_duplicate_seed_data(services_ctx, clock):
    with services_ctx.read() as session:
        before = (session.scalar(select(Procedure.id).where(Procedure.active.is_(True)).limit(1)),
                  len(session.scalars(select(Procedure.id)).all()), len(session.scalars(select(Holiday.id)).all()))
    again = open_database(services_ctx.url, clock=clock)
    try:
        with again.read() as session:
            after = (session.scalar(select(Procedure.id).where(Procedure.active.is_(True)).limit(1)),
                     len(session.scalars(select(Procedure.id)).all()), len(session.scalars(select(Holiday.id)).all()))
    finally:
        again.dispose()
    assert after == before


def test_a_database_from_a_newer_version_is_refused(services_ctx, clock):
    with services_ctx.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999_from_the_future'"))
    services_ctx.dispose()
    with pytest.raises(NewerSchemaError):
        open_database(services_ctx.url, clock=clock)

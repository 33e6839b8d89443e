"""Every test runs offscreen, on its own temporary data folder, never the user's."""

from __future__ import annotations

import os
import subprocess
from datetime import datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: A fixed "now" for tests that create dossiers: Thursday 12/02/2026 10:00, before Tết 2026.
FIXED_NOW = datetime(2026, 2, 12, 10, 0)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(folder))
    monkeypatch.delenv("MOTCUA_DB", raising=False)
    return folder


class Clock:
    """A settable clock passed to the services instead of the system time."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


# ------------------------------------------------------------ SQLite and PostgreSQL
# ``db_backend`` is "sqlite" unless tests/unit/conftest.py parametrizes it (the storage and
# service suites run on both); ``db_url`` is a fresh empty-of-dossiers database of that kind.


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "sqlite_only(reason): runs on SQLite only (file, WAL, PRAGMA or backup behaviour); "
        "not repeated on PostgreSQL",
    )
    config.addinivalue_line(
        "markers",
        "postgresql_only(reason): several counters on one shared server; runs on PostgreSQL only",
    )


@pytest.fixture(scope="session")
def pg_server():
    """The session's throw-away PostgreSQL server (tests/pg.py), with the template database."""
    from tests import pg

    server, message = None, ""
    try:
        server = pg.start_server()
    except (pg.PgUnavailable, OSError, subprocess.SubprocessError) as error:
        message = f"PostgreSQL unavailable: {error}"
    if server is None:  # in CI the PostgreSQL half must run: fail, never skip
        if pg.in_ci():
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    try:
        pg.prepare_template(server)
        yield server
    finally:
        server.stop()


@pytest.fixture
def db_backend() -> str:
    return "sqlite"


@pytest.fixture
def db_url(request, db_backend, tmp_path):
    """A new database: a temporary SQLite file, or a copy of the PostgreSQL template database."""
    if db_backend == "sqlite":
        yield str(tmp_path / "motcua.sqlite3")
        return
    server = request.getfixturevalue("pg_server")
    name = server.create_database()
    yield server.url(name)
    server.drop_database(name)


@pytest.fixture
def services_ctx(db_url, clock):
    """A fresh, configured database (profile + one officer): SQLite, or PostgreSQL when the
    suite is parametrized with ``db_backend``."""
    from desktop_app.services import setup
    from desktop_app.services.context import open_database

    ctx = open_database(db_url, clock=clock)
    setup.save_profile(
        ctx,
        setup.ProfileInput(unit_name="UBND xã Phú Lạc", unit_code="000.00.53.H48", place_name="Phú Lạc",
                           province="Thái Nguyên", head_name="Nguyễn Văn Hùng", head_title="Chủ tịch"),
    )
    setup.set_hamlets(ctx, ["Xóm Đồng Bầu", "Xóm Cầu Đá"])
    officer = setup.save_officer(ctx, "lan.nt", "Nguyễn Thị Lan", "quan_tri")
    ctx.test_officer_id = officer.id  # type: ignore[attr-defined]
    yield ctx
    ctx.dispose()

"""The storage and service suites run twice: on SQLite and on PostgreSQL.

Every test under ``tests/unit/storage`` and ``tests/unit/services`` that uses a database through
the ``db_url`` or ``services_ctx`` fixture gets the ids ``[sqlite]`` and ``[postgresql]``; the
PostgreSQL run has its own database on the session's throw-away server (tests/pg.py). Tests of
SQLite's own behaviour (the file, WAL, PRAGMAs, backups) carry ``@pytest.mark.sqlite_only``;
tests of what only happens when several counters share a server, ``@pytest.mark.postgresql_only``.

Locally, ``MOTCUA_TEST_DATABASES=sqlite`` runs only the SQLite half (ignored when ``CI=true``).
"""

from __future__ import annotations

import os
from pathlib import Path

from tests.pg import in_ci

HERE = Path(__file__).resolve().parent
BOTH_DIRS = (HERE / "storage", HERE / "services")
BACKENDS = ("sqlite", "postgresql")


def _backends() -> tuple[str, ...]:
    wanted = os.environ.get("MOTCUA_TEST_DATABASES", "").strip()
    if not wanted or in_ci():
        return BACKENDS
    chosen = tuple(name for name in BACKENDS if name in {w.strip() for w in wanted.split(",")})
    return chosen or BACKENDS


def pytest_generate_tests(metafunc):
    if "db_backend" not in metafunc.fixturenames:
        return
    path = Path(str(metafunc.definition.path)).resolve()
    if not any(folder in path.parents for folder in BOTH_DIRS):
        return
    for only in ("sqlite", "postgresql"):
        if metafunc.definition.get_closest_marker(f"{only}_only") is not None:
            metafunc.parametrize("db_backend", [only], ids=[only])
            return
    backends = _backends()
    metafunc.parametrize("db_backend", list(backends), ids=list(backends))

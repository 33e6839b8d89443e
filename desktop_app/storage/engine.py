"""Where the database is, and opening it with the right pragmas.

The database is chosen by ``--db`` (a file path or an SQLAlchemy URL), else ``MOTCUA_DB``,
else ``motcua.sqlite3`` in the user data folder.

SQLite runs in WAL mode with ``synchronous=FULL``: every commit fsyncs the WAL before it
returns, so a dossier the officer saw saved (and whose receipt the citizen holds) survives a
power cut as well as a crash. ``NORMAL`` would only survive a crash: a power cut could drop the
last transactions. Measured on the project's machine the fsync adds about 0.5 ms to a 5–6 ms
save, far inside the 50 ms budget (docs/SAFETY.md). ``foreign_keys=ON`` and a busy timeout are
set on every connection.

Every engine is created with ``hide_parameters=True``: the text of a database error then never
carries the values of the statement (names, số định danh, phone numbers), so an unexpected error
logged with its traceback keeps personal data out of the log file.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from platformdirs import user_data_path
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

APP_NAME = "SoMotCua"
DB_FILENAME = "motcua.sqlite3"
ENV_DB = "MOTCUA_DB"
ENV_DATA_DIR = "MOTCUA_DATA_DIR"


def data_dir() -> Path:
    """The user data folder (``MOTCUA_DATA_DIR`` overrides it, as the tests do)."""
    override = os.environ.get(ENV_DATA_DIR)
    path = Path(override) if override else user_data_path(APP_NAME, appauthor=False)
    path.mkdir(parents=True, exist_ok=True)
    return path


def resolve_db_url(db: str | None = None) -> str:
    """An SQLAlchemy URL from ``--db``, ``MOTCUA_DB`` or the default file."""
    value = db or os.environ.get(ENV_DB)
    if not value:
        return f"sqlite:///{data_dir() / DB_FILENAME}"
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"


def sqlite_path(url: str) -> Path | None:
    """The file behind an SQLite URL, or ``None`` for another database or an in-memory one."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    return Path(parsed.database)


def attachments_dir_for(url: str) -> Path:
    """Attachments live beside an SQLite file, else in the data folder."""
    path = sqlite_path(url)
    folder = (path.parent if path else data_dir()) / "attachments"
    return folder


def _set_sqlite_pragmas(dbapi_connection: sqlite3.Connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.close()


def make_engine(url: str) -> Engine:
    """Create the engine; for SQLite, create the folder and set the pragmas on each connection."""
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": 5}, hide_parameters=True)
        event.listen(engine, "connect", _set_sqlite_pragmas)
        return engine
    parsed = make_url(url)
    if parsed.get_backend_name() == "postgresql" and "connect_timeout" not in parsed.query:
        # a counter whose shared server is off is told so in seconds, not after TCP's minutes
        return create_engine(url, pool_pre_ping=True, connect_args={"connect_timeout": 10},
                             hide_parameters=True)
    return create_engine(url, pool_pre_ping=True, hide_parameters=True)

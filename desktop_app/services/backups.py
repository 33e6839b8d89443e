"""Backups, restore and the integrity check (SPEC §9), shared by the GUI and ``motcua``.

* :func:`write_backup` — a verified copy at a place the user chose;
* :func:`backup_now` — a verified copy in ``backups/`` beside the database, then rotation
  (7 daily, 4 weekly, 12 monthly; see :mod:`desktop_app.domain.retention`);
* :func:`auto_backup_due` — the data changed and the last backup is at least 30 minutes old;
* :func:`restore` — checks the file, takes a safety backup, replaces the database through the
  backup API, reopens (upgrading an older schema);
* :func:`check` — ``integrity_check`` and ``foreign_key_check``.

Only SQLite files are backed up here; a shared PostgreSQL database is backed up on the server
with ``pg_dump``.
"""

from __future__ import annotations

import hashlib
import logging
import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from ..domain import retention
from ..storage import backup_files, migrate
from ..storage.backup_files import BackupInfo, CorruptSourceError
from ..storage.engine import resolve_db_url, sqlite_path
from ..storage.errors import UserFixableError, translate
from ..storage.models import Base
from .context import AppContext, open_database, system_clock

log = logging.getLogger(__name__)

#: Automatic backups: at most this often, and only when the data changed.
AUTO_INTERVAL = timedelta(minutes=30)


def _not_sqlite() -> UserFixableError:
    return UserFixableError(
        "Cơ sở dữ liệu dùng chung (PostgreSQL) được sao lưu trên máy chủ bằng pg_dump, "
        "không sao lưu từ máy này.",
        "Hãy nhờ người quản trị máy chủ kiểm tra lịch sao lưu pg_dump (xem docs/SAFETY.md).",
    )


def _db_path(ctx: AppContext) -> Path | None:
    return sqlite_path(ctx.url)


def _fixable(error: BaseException) -> BaseException:
    """The user-fixable meaning of ``error``; raise it ``from error``. A bug is re-raised as is."""
    fixable = translate(error)
    if fixable is None:
        raise error
    return fixable


def backups_folder(ctx: AppContext) -> Path | None:
    path = _db_path(ctx)
    return backup_files.backups_folder(path) if path is not None else None


def list_backups(ctx: AppContext) -> list[BackupInfo]:
    """This database's backups, newest first (empty for PostgreSQL)."""
    path = _db_path(ctx)
    if path is None:
        return []
    return backup_files.list_backups(backup_files.backups_folder(path), path.stem)


# ---------------------------------------------------------------------------- making backups


def write_backup(ctx: AppContext, target: Path) -> Path:
    """A consistent, verified copy of the database at ``target`` (a file, or a folder to put a
    dated file in). Raises UserFixableError on PostgreSQL, a damaged database or a file problem."""
    path = _db_path(ctx)
    if path is None:
        raise _not_sqlite()
    target = Path(target).expanduser()
    if target.is_dir():
        target = target / retention.backup_name(path.stem, ctx.clock(), "manual")
    if target.resolve() == path.resolve():
        raise UserFixableError("Không thể sao lưu đè lên chính tệp dữ liệu đang dùng.",
                               "Hãy chọn một tệp hoặc thư mục khác.")
    try:
        result = backup_files.copy_database(path, target)
    except (OSError, sqlite3.Error) as error:
        raise _fixable(error) from error
    log.info("Backup written (%d bytes)", result.stat().st_size)
    return result


def backup_now(ctx: AppContext, reason: str) -> Path | None:
    """A verified backup in ``backups/`` beside the database, then rotation. ``None`` for a
    database that is not an SQLite file. ``reason``: auto, manual, exit, before-import …"""
    path = _db_path(ctx)
    if path is None or not path.exists():
        return None
    folder = backup_files.backups_folder(path)
    now = ctx.clock()
    try:
        marker = fingerprint(ctx)
    except (UserFixableError, SQLAlchemyError, sqlite3.Error):
        # e.g. a damaged file: the copy's integrity check below says so clearly
        marker = ""
    try:
        result = backup_files.make_backup(path, folder, now, reason)
        backup_files.save_state(folder, path.stem, now, marker)
    except (OSError, sqlite3.Error) as error:
        raise _fixable(error) from error
    log.info("Backup (%s) written: %s", reason, result.name)
    return result


def fingerprint(ctx: AppContext) -> str:
    """Changes whenever a row is added, removed or updated (every update raises ``version``)."""
    parts = []
    with ctx.read() as session:
        for table in Base.metadata.sorted_tables:
            row = session.execute(
                select(func.count(), func.sum(table.c.version), func.max(table.c.updated_at)).select_from(table)
            ).one()
            parts.append(f"{table.name}:{row[0]}:{row[1]}:{row[2]}")
    return hashlib.sha256("|".join(parts).encode()).hexdigest()


def changed_since_last_backup(ctx: AppContext) -> bool:
    path = _db_path(ctx)
    if path is None:
        return False
    _taken_at, marker = backup_files.load_state(backup_files.backups_folder(path), path.stem)
    return marker != fingerprint(ctx)


def auto_backup_due(ctx: AppContext, now: datetime, interval: timedelta = AUTO_INTERVAL) -> bool:
    """True when the data changed since the last backup and that backup is ``interval`` old."""
    path = _db_path(ctx)
    if path is None or not path.exists():
        return False
    folder = backup_files.backups_folder(path)
    taken_at, marker = backup_files.load_state(folder, path.stem)
    newest = backup_files.list_backups(folder, path.stem)
    if newest and (taken_at is None or newest[0].taken_at > taken_at):
        taken_at = newest[0].taken_at  # a backup made without the state (another version)
    if taken_at is not None and now - taken_at < interval:
        return False
    return marker != fingerprint(ctx)


# ---------------------------------------------------------------------------- restore


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    #: The copy of the database as it was just before (None when there was none to copy).
    safety_backup: Path | None
    dossiers: int
    #: The restored file had an older schema and was upgraded when reopened.
    upgraded: bool


def restore(ctx_or_url: AppContext | str | None, file: Path | str) -> RestoreResult:
    """Replace the database with the backup ``file``.

    The file must be a sound Sổ Một Cửa database (integrity check) not written by a newer
    version. The current database is backed up first (reason ``before-restore``; a damaged one
    is kept as it is, reason ``damaged``). The content is written through the backup API, then
    the database is reopened (an older schema is upgraded). A given context's connections are
    closed first; it can be used again afterwards, but windows should read everything again.
    """
    if isinstance(ctx_or_url, AppContext):
        ctx, url, clock = ctx_or_url, ctx_or_url.url, ctx_or_url.clock
    else:
        ctx, url, clock = None, resolve_db_url(ctx_or_url), system_clock
    db_path = sqlite_path(url)
    if db_path is None:
        raise UserFixableError(
            "Cơ sở dữ liệu dùng chung (PostgreSQL) được khôi phục trên máy chủ bằng pg_restore.",
            "Hãy nhờ người quản trị máy chủ (xem docs/SAFETY.md).",
        )
    source = Path(file).expanduser().resolve()
    if db_path.exists() and source == db_path.resolve():
        raise UserFixableError("Tệp đã chọn chính là tệp dữ liệu đang dùng.", "Hãy chọn một bản sao lưu.")
    revision, _ = backup_files.describe_file(source)
    migrate.check_revision_known(revision)
    upgraded = revision != migrate.head_revision()

    folder = backup_files.backups_folder(db_path)
    safety: Path | None = None
    if ctx is not None:
        ctx.dispose()
    try:
        if db_path.exists() and db_path.stat().st_size > 0:
            try:
                # no rotation yet: the file being restored may itself be one of the old backups
                safety = backup_files.make_backup(db_path, folder, clock(), "before-restore", rotation=False)
            except CorruptSourceError:
                safety = backup_files.keep_damaged_copy(
                    db_path, folder / retention.backup_name(db_path.stem, clock(), "damaged"))
                log.warning("Restoring over a damaged database; its bytes were kept")
                # SQLite cannot write into a damaged file: start from a new one
                for extra in ("", "-wal", "-shm"):
                    db_path.with_name(db_path.name + extra).unlink(missing_ok=True)
        backup_files.replace_database(source, db_path)
    except (OSError, sqlite3.Error) as error:
        raise _fixable(error) from error
    reopened = open_database(url, clock=clock)
    try:
        with reopened.read() as session:
            from ..storage.models import Dossier

            dossiers = int(session.scalar(select(func.count()).select_from(Dossier)) or 0)
        folder_marker = fingerprint(reopened)
    finally:
        reopened.dispose()
    # the restored data is itself the newest "backup" content: no automatic backup right away
    backup_files.save_state(folder, db_path.stem, clock(), folder_marker)
    backup_files.rotate(folder, db_path.stem)
    log.info("Database restored from a backup (%d dossiers, upgraded=%s)", dossiers, upgraded)
    return RestoreResult(source, safety, dossiers, upgraded)


# ---------------------------------------------------------------------------- check


@dataclass(frozen=True)
class CheckResult:
    database: str
    integrity: list[str] = field(default_factory=list)
    foreign_keys: list[str] = field(default_factory=list)
    revision: str | None = None

    @property
    def ok(self) -> bool:
        return not self.integrity and not self.foreign_keys

    def as_json(self) -> dict:
        return {"database": self.database, "ok": self.ok, "integrity": self.integrity or ["ok"],
                "foreign_keys": self.foreign_keys, "schema": self.revision}


def check(ctx_or_db: AppContext | str | None) -> CheckResult:
    """``PRAGMA integrity_check`` and ``PRAGMA foreign_key_check`` of the database file.

    Given a path or URL instead of a context, the file is checked without being opened by the
    app (no upgrade, no seeding), so a damaged file can be checked too."""
    url = ctx_or_db.url if isinstance(ctx_or_db, AppContext) else resolve_db_url(ctx_or_db)
    path = sqlite_path(url)
    if path is None:
        raise UserFixableError(
            "Cơ sở dữ liệu dùng chung (PostgreSQL) được máy chủ tự kiểm tra.",
            "Hãy nhờ người quản trị máy chủ (xem docs/SAFETY.md).",
        )
    if not path.is_file():
        raise UserFixableError(f"Không có tệp dữ liệu “{path}”.",
                               "Kiểm tra lại đường dẫn (--db) và ổ đĩa (USB còn cắm không?).")
    try:
        integrity = backup_files.integrity_problems(path)
        keys = backup_files.foreign_key_problems(path) if not integrity else []
        revision = backup_files.schema_revision(path) if not integrity else None
    except (OSError, sqlite3.Error) as error:
        raise _fixable(error) from error
    return CheckResult(str(path), integrity, keys, revision)


__all__ = [
    "AUTO_INTERVAL", "BackupInfo", "CheckResult", "RestoreResult", "auto_backup_due", "backup_now",
    "backups_folder", "changed_since_last_backup", "check", "fingerprint", "list_backups", "restore",
    "write_backup",
]

"""Backup files of an SQLite database: copies made through SQLite's online backup API, verified
with ``PRAGMA integrity_check``, rotated by :mod:`desktop_app.domain.retention`.

Never a plain file copy: with WAL the latest transactions may still be in ``-wal`` and a copy of
the main file alone would miss them or be torn. The backup API reads a consistent snapshot while
other connections keep working.

A copy whose integrity check fails means the live database is damaged: the copy is deleted and
the existing (good) backups are left as they are, so a corrupt database never replaces a good one.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..domain import retention
from .errors import DatabaseError, UserFixableError

log = logging.getLogger(__name__)

BACKUP_FOLDER = "backups"
SQLITE_HEADER = b"SQLite format 3\x00"


class CorruptSourceError(DatabaseError):
    """The database being backed up (or restored from) fails its integrity check."""


@dataclass(frozen=True)
class BackupInfo:
    path: Path
    taken_at: datetime
    reason: str
    size: int


def backups_folder(db_path: Path) -> Path:
    """Backups live in ``backups/`` beside the database file (the data folder for the default one)."""
    return db_path.parent / BACKUP_FOLDER


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    if readonly:
        uri = path.resolve().as_uri() + "?mode=ro"
        conn = sqlite3.connect(uri, uri=True, timeout=5, isolation_level=None)
    else:
        conn = sqlite3.connect(str(path), timeout=5, isolation_level=None)
    conn.execute("PRAGMA busy_timeout=5000")
    return conn


@contextlib.contextmanager
def _closing(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    try:
        yield conn
    finally:
        conn.close()


def integrity_problems(path: Path, *, limit: int = 20) -> list[str]:
    """``PRAGMA integrity_check`` of a database file: an empty list when it is sound."""
    try:
        with _closing(_connect(path)) as conn:
            rows = [row[0] for row in conn.execute(f"PRAGMA integrity_check({int(limit)})")]
    except sqlite3.DatabaseError as error:  # not a database at all, or unreadable
        return [str(error)]
    return [] if rows == ["ok"] else rows


def foreign_key_problems(path: Path, *, limit: int = 20) -> list[str]:
    """``PRAGMA foreign_key_check``: rows pointing at a row that does not exist."""
    with _closing(_connect(path)) as conn:
        rows = conn.execute("PRAGMA foreign_key_check").fetchmany(limit)
    return [f"{table} rowid {rowid} → {parent}" for table, rowid, parent, _fk in rows]


def _corrupt_source() -> CorruptSourceError:
    return CorruptSourceError(
        "Cơ sở dữ liệu đang dùng bị hỏng nên không sao lưu đè lên các bản sao lưu tốt.",
        "Các bản sao lưu cũ vẫn được giữ nguyên. Hãy khôi phục từ bản sao lưu gần nhất "
        "(menu Dữ liệu → Khôi phục từ bản sao lưu… hoặc lệnh “motcua restore”).",
    )


def is_corruption(error: BaseException) -> bool:
    text = str(error).lower()
    return isinstance(error, sqlite3.DatabaseError) and (
        "malformed" in text or "not a database" in text or "corrupt" in text)


def schema_revision(path: Path) -> str | None:
    """The Alembic revision recorded in a database file (None when it has none)."""
    with _closing(_connect(path)) as conn:
        try:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:  # no such table
            return None
    return row[0] if row else None


def copy_database(source: Path, target: Path) -> Path:
    """A consistent copy of ``source`` at ``target`` through the online backup API.

    Written under a temporary name and renamed once complete and verified, so ``target`` is
    either absent or a whole, sound database. A copy that fails ``integrity_check`` is removed
    and :class:`CorruptSourceError` is raised.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(target.name + ".part")
    partial.unlink(missing_ok=True)
    try:
        try:
            with _closing(_connect(source)) as src, _closing(sqlite3.connect(str(partial))) as dst:
                # all pages in one step: one read snapshot, so writers never make the copy restart
                src.backup(dst)
                dst.execute("PRAGMA journal_mode=DELETE")  # a backup is one self-contained file
        except sqlite3.DatabaseError as error:
            if is_corruption(error):
                raise _corrupt_source() from error
            raise
        problems = integrity_problems(partial)
        if problems:
            log.error("Backup refused: the source fails integrity_check (%d problems)", len(problems))
            raise _corrupt_source()
        with open(partial, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return target


def keep_damaged_copy(db_path: Path, target: Path) -> Path:
    """The bytes of a damaged database (and its ``-wal``), kept before a restore replaces it.

    A plain file copy on purpose: SQLite cannot read a damaged file reliably, and nothing else
    has it open (the app's connections are closed and a second instance is refused)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(db_path, target)
    wal = db_path.with_name(db_path.name + "-wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + "-wal"))
    return target


def list_backups(folder: Path, stem: str | None = None) -> list[BackupInfo]:
    """The backup files in ``folder`` (of database ``stem`` if given), newest first."""
    if not folder.is_dir():
        return []
    found = []
    for entry in folder.iterdir():
        parsed = retention.parse_backup_name(entry.name)
        if parsed is None or (stem is not None and parsed.stem != stem) or not entry.is_file():
            continue
        found.append(BackupInfo(entry, parsed.taken_at, parsed.reason, entry.stat().st_size))
    return sorted(found, key=lambda b: (b.taken_at, b.path.name), reverse=True)


def rotate(folder: Path, stem: str) -> list[Path]:
    """Delete the backups of ``stem`` that the retention rule no longer keeps; the deleted paths."""
    names = [b.path.name for b in list_backups(folder, stem)]
    deleted = []
    for name in retention.to_delete(names):
        path = folder / name
        try:
            path.unlink()
            deleted.append(path)
        except OSError:
            log.warning("Could not delete an old backup", exc_info=True)
    return deleted


def make_backup(db_path: Path, folder: Path, taken_at: datetime, reason: str, *, rotation: bool = True) -> Path:
    """Copy, verify, then rotate (only after a good copy). The new backup's path."""
    target = folder / retention.backup_name(db_path.stem, taken_at, reason)
    counter = 1
    while target.exists():  # two backups in the same second
        counter += 1
        target = folder / retention.backup_name(db_path.stem, taken_at, f"{reason}{counter}")
    copy_database(db_path, target)
    if rotation:
        rotate(folder, db_path.stem)
    return target


# ---------------------------------------------------------------------------- what changed since


def _state_file(folder: Path, stem: str) -> Path:
    return folder / f".{stem}-last-backup.json"


def save_state(folder: Path, stem: str, taken_at: datetime, fingerprint: str) -> None:
    path = _state_file(folder, stem)
    temp = path.with_name(path.name + ".tmp")
    temp.write_text(json.dumps({"taken_at": taken_at.isoformat(), "fingerprint": fingerprint}), encoding="utf-8")
    os.replace(temp, path)


def load_state(folder: Path, stem: str) -> tuple[datetime | None, str | None]:
    try:
        data = json.loads(_state_file(folder, stem).read_text(encoding="utf-8"))
        return datetime.fromisoformat(data["taken_at"]), str(data["fingerprint"])
    except (OSError, ValueError, KeyError, TypeError):
        return None, None


# ---------------------------------------------------------------------------- restore


def describe_file(path: Path) -> tuple[str | None, bool]:
    """``(alembic revision, has the dossier table)`` of a candidate file to restore from.

    Raises :class:`UserFixableError` when it is not an SQLite database or fails its integrity check.
    """
    not_ours = UserFixableError(
        f"Tệp “{path.name}” không phải là bản sao lưu của Sổ Một Cửa.",
        "Hãy chọn một tệp trong thư mục backups (tên dạng motcua-NĂMTHÁNGNGÀY-GIỜ….sqlite3).",
    )
    try:
        with path.open("rb") as handle:
            header = handle.read(16)
    except OSError as error:
        raise UserFixableError(f"Không đọc được tệp “{path}”.",
                               "Kiểm tra lại đường dẫn và ổ đĩa (USB còn cắm không?).") from error
    if header != SQLITE_HEADER:
        raise not_ours
    problems = integrity_problems(path)
    if problems:
        raise CorruptSourceError(f"Bản sao lưu “{path.name}” bị hỏng, không dùng để khôi phục được.",
                                 "Hãy chọn một bản sao lưu khác (cũ hơn).")
    with _closing(_connect(path, readonly=True)) as conn:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "alembic_version" not in tables or "dossier" not in tables:
            raise not_ours
        row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
    return (row[0] if row else None), True


def replace_database(source: Path, db_path: Path) -> None:
    """Overwrite the live database ``db_path`` with the content of ``source`` through the backup
    API (so the live file's WAL is handled by SQLite, not by a file copy under it)."""
    with _closing(_connect(source, readonly=True)) as src, _closing(_connect(db_path)) as dst:
        same_pages = src.execute("PRAGMA page_size").fetchone() == dst.execute("PRAGMA page_size").fetchone()
        if same_pages:  # the usual case: written into the WAL like any transaction
            src.backup(dst)
            return
        # the backup API cannot change the page size of a WAL database: out of WAL while copying
        # (this needs the database to itself: the app's other connections must be closed)
        dst.execute("PRAGMA journal_mode=DELETE")
        src.backup(dst)
        dst.execute("PRAGMA journal_mode=WAL")


__all__ = [
    "BACKUP_FOLDER", "BackupInfo", "CorruptSourceError", "backups_folder", "copy_database", "describe_file",
    "foreign_key_problems", "integrity_problems", "is_corruption", "keep_damaged_copy", "list_backups", "load_state", "make_backup",
    "replace_database", "rotate", "save_state", "schema_revision",
]

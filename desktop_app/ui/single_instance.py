"""One window per database file: a second Sổ Một Cửa on the same file is refused with a message.

The lock is a ``QLockFile`` beside the database (``motcua.sqlite3.lock``) holding the process id
and host name. A lock left behind by a process that no longer runs (a crash, a power cut) is
recognised as stale and taken over, so it never locks the officer out. A shared PostgreSQL
database has no lock: several counters use it at once by design.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QLockFile

from ..storage.engine import resolve_db_url, sqlite_path
from ..storage.errors import UserFixableError

log = logging.getLogger(__name__)

LOCK_SUFFIX = ".lock"


class AlreadyOpenError(UserFixableError):
    """Another Sổ Một Cửa process has the database file open."""


def lock_path(db: str | None) -> Path | None:
    path = sqlite_path(resolve_db_url(db))
    return path.with_name(path.name + LOCK_SUFFIX) if path is not None else None


def acquire(db: str | None) -> QLockFile | None:
    """Take the lock for database ``db`` (path or URL); keep the returned object for as long as
    the database is open. ``None`` when there is nothing to lock (PostgreSQL) or the folder
    cannot hold a lock file (then the database checks report the real problem).

    Raises :class:`AlreadyOpenError` when another running instance holds it.
    """
    path = lock_path(db)
    if path is None:
        return None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError:  # a missing drive or a read-only place: opening the database says so
        return None
    lock = QLockFile(str(path))
    lock.setStaleLockTime(0)  # never stale by age; stale only when its process is gone
    if lock.tryLock(0):
        return lock
    if lock.error() == QLockFile.LockError.LockFailedError:
        info = lock.getLockInfo()  # PySide6: (pid, host name, app name)
        pid, host = (info[0], info[1]) if isinstance(info, tuple) and len(info) >= 2 else (0, "")
        log.warning("Database already open in process %s", pid)
        raise AlreadyOpenError(
            "Sổ Một Cửa đang mở tệp dữ liệu này trong một cửa sổ khác"
            + (f" (tiến trình số {pid} trên máy “{host}”)." if pid else "."),
            "Hãy dùng cửa sổ đang mở (xem trên thanh tác vụ), hoặc đóng cửa sổ đó rồi mở lại. "
            "Mở hai cửa sổ cùng lúc trên một tệp dữ liệu có thể làm lẫn lộn dữ liệu.",
        )
    log.warning("No lock file for the database (error %s)", lock.error())
    return None


__all__ = ["AlreadyOpenError", "acquire", "lock_path"]

"""The open database and what every use-case needs: one short session per user action."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from ..domain.calendar import WorkCalendar
from ..storage import audit, backup_files, migrate, seed
from ..storage.attachments import AttachmentStore
from ..storage.engine import attachments_dir_for, make_engine, resolve_db_url, sqlite_path
from ..storage.errors import DatabaseError, UserFixableError, check_database_file, translate
from ..storage.models import CommuneProfile, Holiday


def system_clock() -> datetime:
    return datetime.now().replace(microsecond=0)


@dataclass
class AppContext:
    url: str
    engine: Engine
    attachments_dir: Path
    clock: Callable[[], datetime] = system_clock
    #: The officer at work (login in the GUI, ``--officer`` in the CLI); written into the audit log.
    officer_id: uuid.UUID | None = None
    _sessions: sessionmaker = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)

    @contextmanager
    def session(self) -> Iterator[Session]:
        """One transaction: committed when the block ends, rolled back on any error.

        Database errors the user can fix are raised as :class:`UserFixableError`.
        """
        session = self._sessions()
        session.info[audit.OFFICER_KEY] = self.officer_id
        session.info[audit.CLOCK_KEY] = self.clock
        try:
            yield session
            session.commit()
        except UserFixableError:
            session.rollback()
            raise
        except Exception as error:
            session.rollback()
            fixable = translate(error)
            if fixable is not None:
                raise fixable from error
            raise
        finally:
            session.close()

    @contextmanager
    def read(self) -> Iterator[Session]:
        """A session for reading only (database errors the user can fix are translated, too)."""
        session = self._sessions()
        try:
            yield session
        except UserFixableError:
            raise
        except Exception as error:
            fixable = translate(error)
            if fixable is not None:
                raise fixable from error
            raise
        finally:
            session.rollback()
            session.close()

    def attachment_store(self) -> AttachmentStore:
        with self.read() as session:
            limit = session.scalar(select(CommuneProfile.attachment_limit_mb)) or 25
        return AttachmentStore(self.attachments_dir, limit)

    def calendar(self) -> WorkCalendar:
        with self.read() as session:
            rows = session.execute(select(Holiday.day, Holiday.kind)).all()
        return WorkCalendar(
            days_off=frozenset(day for day, kind in rows if kind == "day_off"),
            working_days=frozenset(day for day, kind in rows if kind == "working_day"),
        )

    def dispose(self) -> None:
        self.engine.dispose()


def _backup_before_migration(engine: Engine, path: Path, now: datetime) -> None:
    """An existing database with an older schema is backed up (verified) before it is upgraded;
    a newer one is refused untouched, a damaged one is refused before anything is written."""
    if not migrate.has_schema(engine) or not migrate.needs_upgrade(engine):
        return
    migrate.check_not_newer(engine)
    backup_files.make_backup(path, backup_files.backups_folder(path), now, "before-migration")


def open_database(
    db: str | None = None,
    *,
    clock: Callable[[], datetime] = system_clock,
    seed_years: range | None = None,
) -> AppContext:
    """Open (creating or upgrading as needed) the database and seed a new one.

    Raises :class:`DatabaseError` with a Vietnamese message for files the app cannot use.
    """
    url = resolve_db_url(db)
    path = sqlite_path(url)
    if path is not None:
        check_database_file(path)
    engine = make_engine(url)
    try:
        if path is not None and path.exists():
            _backup_before_migration(engine, path, clock())
        migrate.upgrade(engine)
        now = clock()
        years = seed_years or range(now.year - 2, now.year + 3)
        with sessionmaker(engine).begin() as session:
            seed.seed_catalogue(session)
            seed.seed_holidays(session, years)
            seed.seed_campaign_presets(session)
    except UserFixableError:
        engine.dispose()
        raise
    except Exception as error:
        engine.dispose()
        fixable = translate(error)
        if fixable is not None:
            raise fixable from error
        raise
    return AppContext(url=url, engine=engine, attachments_dir=attachments_dir_for(url), clock=clock)


__all__ = ["AppContext", "DatabaseError", "open_database", "system_clock"]

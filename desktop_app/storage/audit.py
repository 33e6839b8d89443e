"""The audit log (SPEC §9): every change to a dossier, its checklist, attachments, status history
and supplement requests, written in the same transaction as the change.

A ``before_flush`` listener on every :class:`Session` looks at the new, changed and deleted
objects of the audited classes and adds one :class:`AuditEntry` per changed column (old → new),
one per created object (its first values as JSON) and one per deleted object. Who: the officer
id in ``session.info["officer_id"]`` (``AppContext.session()`` puts ``ctx.officer_id`` there);
when: ``session.info["clock"]`` (the context's clock). Because the entries are flushed with the
change, a rolled-back change leaves no entry.

Bulk inserts through ``session.execute(insert(...))`` (demo data, Excel import) do not flush ORM
objects and so write nothing here: such paths call :func:`record` or :func:`record_imported`.

Nothing here logs: the values are personal data and belong in the database only.

There is deliberately no function that updates or deletes an :class:`AuditEntry`
(``tests/unit/storage/test_audit.py`` scans the code for one), and triggers created by migration
0002 refuse UPDATE and DELETE on the table.
"""

from __future__ import annotations

import enum
import json
import uuid
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from sqlalchemy import event, insert, inspect
from sqlalchemy.orm import Session

from .models import (
    Attachment,
    AuditEntry,
    Dossier,
    DossierComponent,
    Officer,
    StatusChange,
    SupplementRequest,
)

#: Audited classes and the entity name written in ``audit_log.entity``.
AUDITED: dict[type, str] = {
    Dossier: "dossier",
    DossierComponent: "component",
    Attachment: "attachment",
    StatusChange: "status",
    SupplementRequest: "supplement",
}

#: Bookkeeping columns: changed by every save, they say nothing about the dossier.
SKIPPED = frozenset({"id", "created_at", "updated_at", "version", "dossier_id"})

OFFICER_KEY = "officer_id"
CLOCK_KEY = "clock"
_SEQ_KEY = "audit_seq"
_NAME_KEY = "audit_officer_name"


def _skipped(key: str) -> bool:
    return key in SKIPPED or key.endswith("_fold")


def text_of(value: Any) -> str | None:
    """A column value as stored in ``old_value``/``new_value`` (the view formats it back)."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)


def _now(session: Session) -> datetime:
    clock: Callable[[], datetime] | None = session.info.get(CLOCK_KEY)
    return clock() if clock is not None else datetime.now().replace(microsecond=0)


def _officer(session: Session) -> tuple[uuid.UUID | None, str]:
    officer_id = session.info.get(OFFICER_KEY)
    if officer_id is None:
        return None, ""
    name = session.info.get(_NAME_KEY)
    if name is None:
        with session.no_autoflush:
            officer = session.get(Officer, officer_id)
        name = officer.full_name if officer is not None else ""
        session.info[_NAME_KEY] = name
    return officer_id, name


def _stamp() -> datetime:
    # With microseconds: orders entries of different transactions within the same second
    # (``at`` comes from the context's clock, which may be fixed or whole seconds).
    return datetime.now()


def _next_seq(session: Session) -> int:
    seq = session.info.get(_SEQ_KEY, 0) + 1
    session.info[_SEQ_KEY] = seq
    return seq


def _ensure_id(obj: Any) -> uuid.UUID:
    # The primary key default runs at INSERT time; the entries need it now.
    if obj.id is None:
        obj.id = uuid.uuid4()
    return obj.id


def _dossier_id(obj: Any) -> uuid.UUID | None:
    if isinstance(obj, Dossier):
        return _ensure_id(obj)
    if obj.dossier_id is not None:
        return obj.dossier_id
    parent = getattr(obj, "dossier", None)
    return _ensure_id(parent) if parent is not None else None


def _values(obj: Any) -> dict[str, str]:
    """The non-empty column values of a new or deleted object."""
    values = {}
    for attr in inspect(obj).mapper.column_attrs:
        if _skipped(attr.key):
            continue
        text = text_of(getattr(obj, attr.key))
        if text not in (None, "", "false", "0"):
            values[attr.key] = text
    return values


def _entry(session: Session, *, dossier_id: uuid.UUID | None, entity: str, entity_id: uuid.UUID | None,
           action: str, field: str = "", old: str | None = None, new: str | None = None) -> AuditEntry:
    officer_id, officer_name = _officer(session)
    return AuditEntry(
        id=uuid.uuid4(), dossier_id=dossier_id, entity=entity, entity_id=entity_id, action=action,
        field=field, old_value=old, new_value=new, officer_id=officer_id, officer_name=officer_name,
        at=_now(session), seq=_next_seq(session), created_at=_stamp(),
    )


def _changes(session: Session) -> list[AuditEntry]:
    entries: list[AuditEntry] = []
    for obj in list(session.new):
        entity = AUDITED.get(type(obj))
        if entity is None:
            continue
        entity_id = _ensure_id(obj)
        entries.append(_entry(session, dossier_id=_dossier_id(obj), entity=entity, entity_id=entity_id,
                              action="created", new=json.dumps(_values(obj), ensure_ascii=False)))
    for obj in list(session.dirty):
        entity = AUDITED.get(type(obj))
        if entity is None or not session.is_modified(obj, include_collections=False):
            continue
        state = inspect(obj)
        for attr in state.mapper.column_attrs:
            if _skipped(attr.key):
                continue
            history = state.attrs[attr.key].history
            if not history.added and not history.deleted:
                continue
            old = text_of(history.deleted[0]) if history.deleted else None
            new = text_of(history.added[0]) if history.added else None
            if old == new:
                continue
            entries.append(_entry(session, dossier_id=_dossier_id(obj), entity=entity, entity_id=obj.id,
                                  action="updated", field=attr.key, old=old, new=new))
    for obj in list(session.deleted):
        entity = AUDITED.get(type(obj))
        if entity is None:
            continue
        # A dossier removed outright takes its history's foreign key with it: keep the entry,
        # without the link (the app itself only ever soft-deletes dossiers).
        dossier_id = None if isinstance(obj, Dossier) else obj.dossier_id
        entries.append(_entry(session, dossier_id=dossier_id, entity=entity, entity_id=obj.id,
                              action="deleted", old=json.dumps(_values(obj), ensure_ascii=False)))
    return entries


@event.listens_for(Session, "before_flush")
def _write_audit_entries(session: Session, _flush_context: Any, _instances: Any) -> None:
    for entry in _changes(session):
        session.add(entry)


def record(session: Session, dossier_id: uuid.UUID | None, action: str, *, entity: str = "dossier",
           entity_id: uuid.UUID | None = None, field: str = "", old: Any = None, new: Any = None) -> None:
    """Add one entry by hand, for a change made without ORM objects (it is flushed with the
    transaction, by the officer and clock of ``session.info``)."""
    session.add(_entry(session, dossier_id=dossier_id, entity=entity,
                       entity_id=entity_id if entity_id is not None else dossier_id,
                       action=action, field=field, old=text_of(old), new=text_of(new)))


def record_imported(session: Session, dossier_ids: Iterable[uuid.UUID], source: str = "") -> int:
    """One "imported" entry per dossier written by a bulk insert (Excel import), in one
    executemany; ``source`` is the file's name. Returns the number of entries."""
    officer_id, officer_name = _officer(session)
    at = _now(session)
    rows = [
        {"id": uuid.uuid4(), "dossier_id": dossier_id, "entity": "dossier", "entity_id": dossier_id,
         "action": "imported", "field": "", "old_value": None, "new_value": source or None,
         "officer_id": officer_id, "officer_name": officer_name, "at": at, "seq": _next_seq(session),
         "created_at": _stamp(), "updated_at": at, "version": 1}
        for dossier_id in dossier_ids
    ]
    if rows:
        session.execute(insert(AuditEntry), rows)
    return len(rows)


__all__ = ["AUDITED", "CLOCK_KEY", "OFFICER_KEY", "record", "record_imported", "text_of"]

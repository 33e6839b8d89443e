"""Locks that make several counters on one shared PostgreSQL database take turns.

Dossier codes are numbered per day (``…-260212-0007``): the next number is read from the codes
already stored and the new dossier is inserted in the same transaction. On a shared server two
counters saving at the same moment would read the same numbers and pick the same code (the
second save would then fail on the unique code). :func:`numbering_lock` takes a transaction-level
advisory lock first, so the second counter waits the few milliseconds until the first one has
committed and then numbers after it. On SQLite one program writes at a time (the app refuses a
second instance), so nothing is needed.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

#: Any fixed 64-bit key; only this app takes advisory locks on its database ("MotCua01").
NUMBERING_LOCK_KEY = 0x4D6F744375613031


def numbering_lock(session: Session) -> None:
    """Hold the dossier-numbering lock until this transaction ends (PostgreSQL only)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": NUMBERING_LOCK_KEY})

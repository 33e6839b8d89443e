"""Where an attached file is on this computer.

Attached files are kept in the data folder under their SHA-256 (``storage.attachments``). On a
database several counters share, a file attached at another counter is not there yet: its bytes
are in the database (``attachment_content``) and are written into this counter's folder the first
time the file is opened, printed or exported here.
"""

from __future__ import annotations

import logging
from pathlib import Path

from ..storage.attachments import fetch_content, is_shared
from .context import AppContext

log = logging.getLogger(__name__)


def attachment_file(ctx: AppContext, sha256: str) -> Path:
    """The file with this SHA-256 in this computer's attachment folder, fetched from the shared
    database when it is only there. The path does not exist when the file is nowhere (an
    attachment folder lost without a backup)."""
    store = ctx.attachment_store()
    path = store.path_for(sha256)
    if path.exists():
        return path
    with ctx.read() as session:
        if not is_shared(session):
            return path
        data = fetch_content(session, sha256)
    if data is None:
        log.warning("Attachment %s is neither in this folder nor in the shared database", sha256[:12])
        return path
    return store.put(sha256, data)


__all__ = ["attachment_file"]

"""Attachment files, copied into the data folder under their SHA-256.

Files are never referenced in place (a USB stick or the Downloads folder disappears). Only PDF,
JPEG, PNG and TIFF are accepted, recognised by their first bytes, not by their name.
On a database several counters share, the bytes also go into ``attachment_content``
(:func:`share_content`), from which another counter writes its own copy (:func:`fetch_content`).
"""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.orm import Session

from .errors import UserFixableError
from .models import AttachmentContent
from .safe_write import write_bytes

_SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "application/pdf", ".pdf"),
    (b"\xff\xd8\xff", "image/jpeg", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", "image/png", ".png"),
    (b"II*\x00", "image/tiff", ".tif"),
    (b"MM\x00*", "image/tiff", ".tif"),
)
ALLOWED_DESCRIPTION = "PDF, JPEG, PNG hoặc TIFF"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


class AttachmentRefused(UserFixableError):
    pass


@dataclass(frozen=True)
class StoredFile:
    sha256: str
    original_name: str
    media_type: str
    size: int


def sanitise_name(name: str) -> str:
    """A file name safe on Windows and Linux (diacritics kept)."""
    base = re.split(r"[\\/]", name)[-1]  # a Windows path may arrive on Linux and the reverse
    cleaned = _UNSAFE.sub("_", base).strip(" .")
    return cleaned[:200] or "tep"


def sniff_media_type(head: bytes) -> tuple[str, str] | None:
    for signature, media_type, suffix in _SIGNATURES:
        if head.startswith(signature):
            return media_type, suffix
    return None


class AttachmentStore:
    def __init__(self, root: Path, limit_mb: int = 25) -> None:
        self.root = root
        self.limit_bytes = limit_mb * 1024 * 1024

    def path_for(self, sha256: str) -> Path:
        return self.root / sha256[:2] / sha256

    def check(self, source: Path) -> tuple[str, int]:
        """The media type of ``source`` if it may be attached, else :class:`AttachmentRefused`."""
        if not source.is_file():
            raise AttachmentRefused(f"Không tìm thấy tệp “{source.name}”.", "Hãy chọn lại tệp.")
        size = source.stat().st_size
        if size == 0:
            raise AttachmentRefused(f"Tệp “{source.name}” rỗng.", "Hãy chọn tệp đã quét.")
        if size > self.limit_bytes:
            raise AttachmentRefused(
                f"Tệp “{source.name}” nặng {size / 1048576:.1f} MB, vượt giới hạn "
                f"{self.limit_bytes // 1048576} MB.",
                "Hãy quét lại với độ phân giải thấp hơn (200 dpi) hoặc nén tệp PDF.",
            )
        with source.open("rb") as handle:
            sniffed = sniff_media_type(handle.read(16))
        if sniffed is None:
            raise AttachmentRefused(
                f"Tệp “{source.name}” không phải {ALLOWED_DESCRIPTION}.",
                f"Chỉ đính kèm được tệp {ALLOWED_DESCRIPTION}.",
            )
        return sniffed[0], size

    def add(self, source: Path) -> StoredFile:
        """Copy ``source`` into the store (once per content) and describe it."""
        media_type, size = self.check(source)
        digest = hashlib.sha256()
        with source.open("rb") as handle:
            for chunk in iter(lambda: handle.read(1 << 20), b""):
                digest.update(chunk)
        sha = digest.hexdigest()
        target = self.path_for(sha)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
            try:
                with os.fdopen(fd, "wb") as out, source.open("rb") as src:
                    shutil.copyfileobj(src, out)
                    out.flush()
                    os.fsync(out.fileno())
                os.replace(tmp_name, target)
            except BaseException:
                Path(tmp_name).unlink(missing_ok=True)
                raise
        return StoredFile(sha, sanitise_name(source.name), media_type, size)

    def put(self, sha256: str, data: bytes) -> Path:
        """Write content fetched from elsewhere under its hash, after checking the hash."""
        if hashlib.sha256(data).hexdigest() != sha256:
            raise UserFixableError("Tệp đính kèm lấy từ cơ sở dữ liệu dùng chung bị hỏng.",
                                   "Hãy đính kèm lại tệp này từ bản quét gốc.")
        target = self.path_for(sha256)
        if not target.exists():
            target.parent.mkdir(parents=True, exist_ok=True)
            write_bytes(target, data)  # temporary name, fsync, rename
        return target

    def add_bytes(self, data: bytes, name: str) -> StoredFile:
        """Store generated content (e.g. a slip PDF) under its hash."""
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / sanitise_name(name)
            path.write_bytes(data)
            return self.add(path)


def is_shared(session: Session) -> bool:
    """Whether the database is one several counters share (not a file on this computer)."""
    return session.get_bind().dialect.name != "sqlite"


def share_content(session: Session, store: AttachmentStore, sha256: str) -> None:
    """Put the bytes of a stored file into ``attachment_content`` (in the session's transaction)
    unless they are there already. Two counters attaching the same new file at the same moment
    both succeed: the second insert does nothing (PostgreSQL ``ON CONFLICT DO NOTHING``)."""
    with session.no_autoflush:  # the caller's attachment rows may not be complete yet
        if session.scalar(select(AttachmentContent.id).where(AttachmentContent.sha256 == sha256)) is not None:
            return
        data = store.path_for(sha256).read_bytes()
        session.execute(
            pg_insert(AttachmentContent)
            .values(sha256=sha256, size=len(data), data=data)
            .on_conflict_do_nothing(index_elements=[AttachmentContent.sha256])
        )


def fetch_content(session: Session, sha256: str) -> bytes | None:
    return session.scalar(select(AttachmentContent.data).where(AttachmentContent.sha256 == sha256))

"""Writing a file the user named (Excel, PDF, backup, USB) so that a failure leaves no partial file.

The data goes to a hidden temporary name in the target folder, is flushed and fsynced, then
``os.replace``\\ d onto the final name (atomic on one file system); optionally the final file is
read back and its SHA-256 compared with what was written. Any ``OSError`` on the way becomes a
:class:`~.errors.UserFixableError` with a plain Vietnamese message (read-only, full, removed
drive, file open in another program) and the temporary file is removed.
"""

from __future__ import annotations

import errno
import hashlib
import os
import sys
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import BinaryIO

from .errors import UserFixableError

CHUNK = 1024 * 1024

#: Windows error codes (``OSError.winerror``) for a file another program holds open or locks.
_WIN_SHARING_VIOLATION, _WIN_LOCK_VIOLATION = 32, 33
_WIN_DISK_FULL, _WIN_HANDLE_DISK_FULL = 112, 39
_WIN_NOT_READY, _WIN_DEVICE_REMOVED = 21, 1617


class Cancelled(Exception):
    """The user stopped a long write (export, USB); nothing that looks complete was left."""


class WriteFailed(UserFixableError):
    """A file could not be written; nothing was left under its final name."""


def describe_os_error(error: OSError, target: Path) -> WriteFailed:
    """The plain Vietnamese meaning of ``error`` while writing ``target``."""
    name = target.name or str(target)
    folder = str(target.parent)
    winerror = getattr(error, "winerror", None)
    code = error.errno
    if code == errno.ENOSPC or winerror in (_WIN_DISK_FULL, _WIN_HANDLE_DISK_FULL) or code == errno.EDQUOT:
        return WriteFailed(f"Ổ đĩa đã đầy, không ghi được tệp “{name}”.",
                           "Hãy xóa bớt tệp trên ổ đĩa (hoặc USB) hoặc chọn nơi lưu khác rồi thử lại.")
    if code == errno.EROFS:
        return WriteFailed(f"Ổ đĩa hoặc thư mục “{folder}” chỉ cho phép đọc, không ghi được tệp “{name}”.",
                           "Hãy gạt khóa chống ghi của USB (nếu có) hoặc chọn thư mục khác.")
    if winerror in (_WIN_SHARING_VIOLATION, _WIN_LOCK_VIOLATION) or (
        sys.platform == "win32" and isinstance(error, PermissionError) and _exists(target)
    ):
        return WriteFailed(f"Tệp “{name}” đang được mở trong một chương trình khác (ví dụ Excel).",
                           "Hãy đóng tệp đó rồi thử lại, hoặc lưu với tên khác.")
    if code in (errno.EACCES, errno.EPERM) or isinstance(error, PermissionError):
        return WriteFailed(f"Không có quyền ghi vào thư mục “{folder}”.",
                           "Hãy chọn thư mục khác (ví dụ thư mục Tài liệu) hoặc xin cấp quyền ghi.")
    if code in (errno.ENOENT, errno.ENODEV, errno.EIO, errno.ENXIO, errno.ENOTDIR, errno.ESTALE) or winerror in (
        _WIN_NOT_READY, _WIN_DEVICE_REMOVED
    ):
        return WriteFailed(f"Không tìm thấy thư mục “{folder}” (có thể USB đã bị rút ra).",
                           "Hãy cắm lại USB hoặc chọn lại nơi lưu rồi thử lại.")
    if code == errno.ENAMETOOLONG:
        return WriteFailed(f"Tên hoặc đường dẫn tệp “{name}” quá dài.", "Hãy chọn tên ngắn hơn.")
    if code == errno.EINVAL:
        return WriteFailed(f"Tên tệp “{name}” không hợp lệ trên ổ đĩa này.",
                           "Hãy bỏ các ký tự đặc biệt trong tên tệp rồi thử lại.")
    return WriteFailed(f"Không ghi được tệp “{name}” ({error.strerror or type(error).__name__}).",
                       "Hãy kiểm tra ổ đĩa rồi thử lại, hoặc chọn nơi lưu khác.")


def _exists(path: Path) -> bool:
    try:
        return path.exists()
    except OSError:
        return False


def temp_name(target: Path) -> Path:
    """A hidden name beside ``target`` that no other writer uses."""
    return target.with_name(f".{target.name}.{uuid.uuid4().hex[:8]}.tmp")


def _remove_quietly(path: Path) -> None:
    with suppress(OSError):
        path.unlink()


def fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); Windows has no directory handles to sync."""
    if os.name != "posix":
        return
    with suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


class _HashingWriter:
    """A binary file object that also computes the SHA-256 of what passes through it."""

    def __init__(self, handle: BinaryIO) -> None:
        self._handle = handle
        self.sha256 = hashlib.sha256()
        self.size = 0
        self.rewound = False  # a writer went back (zipfile patches headers): hash the file instead
        self.final_sha256 = ""  # set once the file is in place

    def seek(self, offset: int, whence: int = 0) -> int:
        position = self._handle.seek(offset, whence)
        if position != self.size:
            self.rewound = True
        return position

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        self.sha256.update(view)
        self.size += len(view)
        return self._handle.write(view)

    def __getattr__(self, name: str):
        return getattr(self._handle, name)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with Path(path).open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


@contextmanager
def atomic_output(target: Path, *, verify: bool = False) -> Iterator[BinaryIO]:
    """``with atomic_output(path) as handle: handle.write(…)`` — the file appears whole or not at all.

    With ``verify=True`` the renamed file is read back and its SHA-256 compared with the bytes
    written; a difference raises :class:`WriteFailed` (and the bad file is removed).
    Errors inside the block (of any kind) remove the temporary file and propagate; ``OSError``
    becomes :class:`WriteFailed`.
    """
    target = Path(target)
    temp = temp_name(target)
    try:
        raw = temp.open("xb")
    except OSError as error:
        raise describe_os_error(error, target) from error
    writer = _HashingWriter(raw)
    try:
        try:
            yield writer  # type: ignore[misc]
            raw.flush()
            os.fsync(raw.fileno())
        finally:
            raw.close()
        expected = sha256_of(temp) if writer.rewound else writer.sha256.hexdigest()
        os.replace(temp, target)
    except OSError as error:
        _remove_quietly(temp)
        raise describe_os_error(error, target) from error
    except BaseException:
        _remove_quietly(temp)
        raise
    fsync_folder(target.parent)
    if verify:
        verify_file(target, expected, remove_on_mismatch=True)
    writer.final_sha256 = expected


def verify_file(path: Path, expected_sha256: str, *, remove_on_mismatch: bool = False) -> None:
    """Read ``path`` back and compare its SHA-256; raise :class:`WriteFailed` if it differs."""
    path = Path(path)
    try:
        actual = sha256_of(path)
    except OSError as error:
        raise describe_os_error(error, path) from error
    if actual != expected_sha256:
        if remove_on_mismatch:
            _remove_quietly(path)
        raise WriteFailed(f"Tệp “{path.name}” ghi ra không khớp khi đọc lại (ổ đĩa có thể bị lỗi).",
                          "Hãy thử lại với USB hoặc ổ đĩa khác.")


def write_bytes(target: Path, data: bytes, *, verify: bool = False) -> Path:
    with atomic_output(target, verify=verify) as handle:
        handle.write(data)
    return Path(target)


def write_with(target: Path, writer: Callable[[BinaryIO], object], *, verify: bool = False) -> Path:
    """Call ``writer(handle)`` on a temporary file, then put it in place (openpyxl's
    ``Workbook.save`` and reportlab accept a file object)."""
    with atomic_output(target, verify=verify) as handle:
        writer(handle)
    return Path(target)


def copy_file(source: Path, target: Path, *, verify: bool = True,
              progress: Callable[[int], None] | None = None) -> str:
    """Copy ``source`` to ``target`` safely; return the SHA-256 (checked on the copy when ``verify``)."""
    source = Path(source)
    try:
        handle_in = source.open("rb")
    except OSError as error:
        raise describe_os_error(error, source) from error
    with handle_in, atomic_output(target, verify=verify) as out:
        while chunk := handle_in.read(CHUNK):
            out.write(chunk)
            if progress is not None:
                progress(len(chunk))
    return out.final_sha256  # type: ignore[attr-defined]


__all__ = [
    "Cancelled",
    "WriteFailed",
    "atomic_output",
    "copy_file",
    "describe_os_error",
    "sha256_of",
    "temp_name",
    "verify_file",
    "write_bytes",
    "write_with",
]

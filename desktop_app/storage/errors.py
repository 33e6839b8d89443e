"""Database and file problems a user can fix, with a plain Vietnamese message and what to do."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

from sqlalchemy import exc as sa_exc
from sqlalchemy.orm.exc import StaleDataError


class UserFixableError(Exception):
    """An error with a message for the officer and a suggested action (both Vietnamese)."""

    def __init__(self, message: str, action: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.action = action

    def __str__(self) -> str:
        return f"{self.message} {self.action}".strip()


class DatabaseError(UserFixableError):
    pass


class ConflictError(UserFixableError):
    """Someone else saved the same record first (optimistic locking)."""


class NewerSchemaError(DatabaseError):
    pass


def check_database_file(path: Path) -> None:
    """Refuse, with a clear message, a database file the app cannot use."""
    if path.exists():
        if path.is_dir():
            raise DatabaseError(
                f"“{path}” là một thư mục, không phải tệp cơ sở dữ liệu.",
                "Hãy chọn đúng tệp .sqlite3.",
            )
        with path.open("rb") as handle:
            header = handle.read(16)
        if header and header != b"SQLite format 3\x00":
            raise DatabaseError(
                f"Tệp “{path.name}” không phải là cơ sở dữ liệu của Sổ Một Cửa (hoặc đã bị hỏng).",
                "Hãy chọn đúng tệp dữ liệu, hoặc khôi phục từ một bản sao lưu.",
            )
        if not _writable(path):
            raise DatabaseError(
                f"Tệp dữ liệu “{path}” chỉ cho phép đọc, không ghi được.",
                "Hãy bỏ thuộc tính “chỉ đọc” của tệp (hoặc chép tệp ra ổ đĩa máy tính) rồi mở lại.",
            )
    folder = path.parent
    if folder.exists() and not _writable(folder):
        raise DatabaseError(
            f"Không ghi được vào thư mục “{folder}”.",
            "Hãy chọn thư mục dữ liệu khác hoặc cấp quyền ghi cho thư mục này.",
        )


def _writable(path: Path) -> bool:
    import os

    return os.access(path, os.W_OK)


def _postgresql_problem(text: str) -> DatabaseError | None:
    """A shared PostgreSQL server that cannot be reached or refuses this counter (docs/POSTGRES.md)."""
    if "does not exist" in text and 'database "' in text:
        return DatabaseError(
            "Máy chủ PostgreSQL không có cơ sở dữ liệu đã ghi trong --db hoặc MOTCUA_DB.",
            "Hãy kiểm tra tên cơ sở dữ liệu, hoặc nhờ người quản trị máy chủ tạo nó (docs/POSTGRES.md).",
        )
    if "password authentication failed" in text or "pg_hba.conf" in text or (
        'role "' in text and "does not exist" in text
    ):
        return DatabaseError(
            "Máy chủ PostgreSQL từ chối đăng nhập: sai tên, sai mật khẩu hoặc máy này chưa được phép kết nối.",
            "Hãy kiểm tra tên và mật khẩu trong --db hoặc MOTCUA_DB; người quản trị máy chủ cần cho phép "
            "máy này trong pg_hba.conf.",
        )
    if any(key in text for key in ("connection refused", "could not connect", "connection failed", "timeout expired",
                                   "could not translate host name", "server closed the connection",
                                   "terminating connection", "no route to host", "connection timed out")):
        return DatabaseError(
            "Không kết nối được máy chủ cơ sở dữ liệu dùng chung.",
            "Hãy kiểm tra máy chủ đã bật, dây mạng (LAN), địa chỉ và cổng trong --db hoặc MOTCUA_DB rồi thử lại.",
        )
    if "deadlock detected" in text or "lock timeout" in text or "could not obtain lock" in text:
        return DatabaseError(
            "Cơ sở dữ liệu dùng chung đang bận vì quầy khác đang lưu cùng hồ sơ.",
            "Hãy thử lưu lại sau giây lát.",
        )
    return None


def translate(error: BaseException) -> UserFixableError | None:
    """The user-fixable meaning of a database or file error, or ``None`` for a bug."""
    if isinstance(error, UserFixableError):
        return error
    if isinstance(error, StaleDataError):
        return ConflictError(
            "Hồ sơ này vừa được người khác sửa và lưu trước bạn; thay đổi của bạn chưa được lưu.",
            "Hãy mở lại hồ sơ để xem bản mới nhất rồi sửa lại.",
        )
    original = getattr(error, "orig", None) or error
    text = str(original).lower()
    if type(original).__module__.startswith("psycopg"):
        server = _postgresql_problem(text)
        if server is not None:
            return server
    if isinstance(original, (sqlite3.OperationalError, sqlite3.DatabaseError)) or isinstance(
        error, (sa_exc.OperationalError, sa_exc.DatabaseError)
    ):
        if "locked" in text or "busy" in text:
            return DatabaseError(
                "Cơ sở dữ liệu đang bị một chương trình khác khóa.",
                "Hãy đóng các cửa sổ Sổ Một Cửa khác (hoặc chương trình đang mở tệp dữ liệu) rồi thử lại.",
            )
        if "readonly" in text or "read-only" in text or "read only" in text:
            return DatabaseError(
                "Tệp dữ liệu chỉ cho phép đọc, không ghi được.",
                "Hãy bỏ thuộc tính “chỉ đọc” hoặc chép tệp dữ liệu ra ổ đĩa máy tính.",
            )
        if "not a database" in text or "malformed" in text or "corrupt" in text:
            return DatabaseError(
                "Tệp dữ liệu bị hỏng hoặc không phải cơ sở dữ liệu của Sổ Một Cửa.",
                "Hãy khôi phục từ bản sao lưu gần nhất.",
            )
        if "disk is full" in text or "database or disk is full" in text:
            return DatabaseError("Ổ đĩa đã đầy, không lưu được; dữ liệu đã lưu trước đó không bị ảnh hưởng.",
                                 "Hãy xóa bớt tệp không cần thiết (hoặc chép dữ liệu sang ổ khác) rồi lưu lại.")
        if "disk i/o error" in text:
            return DatabaseError(
                "Không đọc/ghi được tệp dữ liệu (lỗi ổ đĩa; có thể USB đã bị rút ra).",
                "Hãy cắm lại USB (hoặc kiểm tra ổ đĩa), đóng rồi mở lại chương trình.",
            )
        if "unable to open" in text:
            return DatabaseError(
                "Không mở được tệp dữ liệu.",
                "Kiểm tra ổ đĩa (USB còn cắm không?) và quyền truy cập thư mục dữ liệu.",
            )
    if isinstance(error, OSError):
        if error.errno == errno.ENOSPC:
            return UserFixableError("Ổ đĩa đã đầy.", "Hãy giải phóng dung lượng rồi thử lại.")
        if error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
            return UserFixableError(
                "Không có quyền ghi vào vị trí đã chọn (chỉ đọc).", "Hãy chọn thư mục khác."
            )
        if error.errno in (errno.ENOENT, errno.ENODEV, errno.EIO):
            return UserFixableError(
                "Không tìm thấy tệp hoặc ổ đĩa (có thể USB đã bị rút).", "Hãy kiểm tra lại rồi thử lại."
            )
    return None

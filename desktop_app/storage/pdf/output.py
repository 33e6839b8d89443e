"""Writing a PDF so that the user either gets the whole file or none.

The work is done by :mod:`desktop_app.storage.safe_write` (shared with the Excel exports and
backups): a temporary name in the target folder, flush and fsync, ``os.replace`` onto the target.
A read-only folder, a removed drive, a full disk or a target kept open by a PDF viewer gives a
Vietnamese message (:class:`~desktop_app.storage.errors.UserFixableError`) and leaves no file.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from ..errors import UserFixableError
from ..safe_write import Cancelled, write_with


def write_atomically(target: Path, write: Callable[[BinaryIO], object]) -> Path:
    """Call ``write(file)`` on a temporary file beside ``target``, then rename it to ``target``."""
    target = Path(target)
    if target.is_dir():
        raise UserFixableError(f"“{target}” là một thư mục.", "Hãy ghi rõ tên tệp, ví dụ bao-cao.pdf.")
    return write_with(target, write)


__all__ = ["Cancelled", "write_atomically"]

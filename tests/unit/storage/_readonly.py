"""A folder nothing can be written to, for the "read-only USB stick" tests.

As a normal user, ``chmod 555`` is enough. The tests may run as root, for whom permissions do not
apply: then the folder is made a read-only bind mount of itself (a real EROFS, as a write-protected
stick gives); only where mounting is not allowed either are writes inside it refused by patching
``Path.open``/``Path.mkdir``/``os.mkdir`` to raise EROFS.
"""

from __future__ import annotations

import errno
import os
import pathlib
import subprocess
from contextlib import contextmanager
from pathlib import Path


def _try_mount_read_only(folder: Path) -> bool:
    try:
        subprocess.run(["mount", "--bind", str(folder), str(folder)], check=True, capture_output=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return False
    try:
        subprocess.run(["mount", "-o", "remount,bind,ro", str(folder)], check=True, capture_output=True,
                       timeout=10)
    except (OSError, subprocess.SubprocessError):
        subprocess.run(["umount", str(folder)], capture_output=True, timeout=10, check=False)
        return False
    return True


@contextmanager
def read_only_folder(folder: Path, monkeypatch):
    """Yield how ``folder`` was made read-only: "chmod", "mount" or "patched"."""
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        folder.chmod(0o555)
        try:
            yield "chmod"
        finally:
            folder.chmod(0o755)
        return
    if _try_mount_read_only(folder):
        try:
            yield "mount"
        finally:
            subprocess.run(["umount", str(folder)], capture_output=True, timeout=10, check=False)
        return
    inside = str(folder.resolve()) + os.sep

    def refuse(path) -> None:
        if str(Path(path).resolve()).startswith(inside):
            raise OSError(errno.EROFS, "Read-only file system", str(path))

    real_open, real_mkdir, real_os_mkdir = pathlib.Path.open, pathlib.Path.mkdir, os.mkdir

    def fake_open(self, mode="r", *args, **kwargs):
        if any(flag in mode for flag in "wxa+"):
            refuse(self)
        return real_open(self, mode, *args, **kwargs)

    def fake_mkdir(self, *args, **kwargs):
        refuse(self)
        return real_mkdir(self, *args, **kwargs)

    def fake_os_mkdir(path, *args, **kwargs):
        refuse(path)
        return real_os_mkdir(path, *args, **kwargs)

    monkeypatch.setattr(pathlib.Path, "open", fake_open)
    monkeypatch.setattr(pathlib.Path, "mkdir", fake_mkdir)
    monkeypatch.setattr(os, "mkdir", fake_os_mkdir)
    yield "patched"

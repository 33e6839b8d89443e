"""The USB export (SPEC §7, issue 5 item 5): the week's report, the Excel files, a consistent
backup of the database (and the attachments if chosen) in one dated folder with a MANIFEST.

A USB stick can be pulled out at any moment, so nothing on it may look complete unless it is:

* every file is first built on the local disk (a temporary folder), hashed there, then copied
  into a hidden folder ``.SoMotCua_<mã đơn vị>_<yyyy-mm-dd>.partial`` on the target — each file
  to a temporary name, flushed and fsynced, renamed, then read back and its SHA-256 compared;
* ``MANIFEST.txt`` (the SHA-256 of every file, ``sha256sum -c`` compatible) is written last, and
  only then is the folder renamed to ``SoMotCua_<mã đơn vị>_<yyyy-mm-dd>``;
* on any failure (full, read-only or removed drive, cancel) the hidden folder is removed when
  the drive is still there, and a Vietnamese message says what to do.
"""

from __future__ import annotations

import logging
import os
import shutil
import string
import subprocess
import sys
import tempfile
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from ..storage.engine import sqlite_path
from ..storage.errors import UserFixableError
from ..storage.models import Attachment, CommuneProfile, Dossier
from ..storage.safe_write import (
    Cancelled,
    WriteFailed,
    atomic_output,
    copy_file,
    describe_os_error,
    fsync_folder,
    sha256_of,
)
from .attachments import attachment_file
from .backups import write_backup
from .context import AppContext
from .reports import write_report

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
Cancel = Callable[[], bool]

MANIFEST = "MANIFEST.txt"
PREFIX = "SoMotCua"


# ---------------------------------------------------------------------------- drives


@dataclass(frozen=True)
class Drive:
    path: Path
    label: str
    removable: bool
    free_bytes: int | None = None

    @property
    def title(self) -> str:
        kind = "USB / thẻ nhớ" if self.removable else "Ổ đĩa máy tính"
        free = f", còn trống {self.free_bytes / 1024 ** 3:.1f} GB".replace(".", ",") if self.free_bytes else ""
        return f"{self.label} ({kind}{free}) — {self.path}"


def _free(path: Path) -> int | None:
    try:
        return shutil.disk_usage(path).free
    except OSError:
        return None


def _linux_removable_mounts() -> dict[Path, str]:
    """Mount points of removable block devices per ``lsblk`` (RM=1, or hot-plug), with labels."""
    try:
        out = subprocess.run(["lsblk", "-J", "-o", "NAME,RM,HOTPLUG,MOUNTPOINT,LABEL"], capture_output=True,
                             text=True, timeout=3, check=False).stdout
    except (OSError, subprocess.SubprocessError):
        return {}
    import json

    try:
        devices = json.loads(out or "{}").get("blockdevices", [])
    except ValueError:
        return {}
    found: dict[Path, str] = {}

    def walk(items: list[dict[str, Any]], removable_parent: bool) -> None:
        for item in items:
            removable = removable_parent or str(item.get("rm")) in ("1", "True", "true") or str(
                item.get("hotplug")) in ("1", "True", "true")
            mount = item.get("mountpoint")
            if removable and mount and mount != "[SWAP]":
                found[Path(mount)] = item.get("label") or Path(mount).name
            walk(item.get("children") or [], removable)

    walk(devices, False)
    return found


def _linux_drives() -> list[Drive]:
    removable = _linux_removable_mounts()
    seen: set[Path] = set()
    drives: list[Drive] = []
    candidates: list[Path] = list(removable)
    for base in (Path("/media"), Path("/run/media")):
        with suppress(OSError):
            for first in sorted(base.iterdir()):
                if not first.is_dir():
                    continue
                # /media/LABEL or /media/USER/LABEL (udisks)
                inner = [p for p in sorted(first.iterdir()) if p.is_dir()] if os.access(first, os.R_OK) else []
                if inner and not os.path.ismount(first):
                    candidates.extend(inner)
                else:
                    candidates.append(first)
    for path in candidates:
        if path in seen or not path.is_dir():
            continue
        seen.add(path)
        drives.append(Drive(path, removable.get(path, path.name), True, _free(path)))
    return drives


def _windows_drives() -> list[Drive]:
    import ctypes

    kernel32 = ctypes.windll.kernel32  # type: ignore[attr-defined]
    drives: list[Drive] = []
    mask = kernel32.GetLogicalDrives()
    for index, letter in enumerate(string.ascii_uppercase):
        if not mask & (1 << index):
            continue
        root = f"{letter}:\\"
        kind = kernel32.GetDriveTypeW(ctypes.c_wchar_p(root))
        if kind not in (2, 3):  # DRIVE_REMOVABLE, DRIVE_FIXED (USB hard disks report FIXED)
            continue
        label = ctypes.create_unicode_buffer(261)
        kernel32.GetVolumeInformationW(ctypes.c_wchar_p(root), label, 261, None, None, None, None, 0)
        name = label.value or ("USB" if kind == 2 else "Ổ đĩa")
        drives.append(Drive(Path(root), f"{name} ({letter}:)", kind == 2, _free(Path(root))))
    return drives


def list_target_drives() -> list[Drive]:
    """Drives to export to: removable ones first (best effort), then the user's home folder."""
    drives: list[Drive] = []
    try:
        drives = _windows_drives() if sys.platform == "win32" else _linux_drives()
    except Exception:
        log.warning("Listing drives failed", exc_info=True)
    home = Path.home()
    if home.is_dir() and all(d.path != home for d in drives):
        drives.append(Drive(home, "Thư mục cá nhân", False, _free(home)))
    return sorted(drives, key=lambda d: (not d.removable, str(d.path)))


# ---------------------------------------------------------------------------- the export


@dataclass(frozen=True)
class ExportedFile:
    name: str  # relative to the folder, with "/" separators
    sha256: str
    size: int


@dataclass
class UsbResult:
    folder: Path
    files: list[ExportedFile] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "folder": str(self.folder),
            "files": [{"name": f.name, "sha256": f.sha256, "size": f.size} for f in self.files],
            "notes": list(self.notes),
        }


def week_of(day: date) -> tuple[date, date]:
    monday = day - timedelta(days=day.weekday())
    return monday, monday + timedelta(days=6)


def folder_name(unit_code: str, day: date) -> str:
    safe = "".join(ch if ch.isalnum() or ch in ".-" else "-" for ch in unit_code) or "donvi"
    return f"{PREFIX}_{safe}_{day:%Y-%m-%d}"


def _check_target(target: Path) -> Path:
    target = Path(target).expanduser()
    if not target.exists():
        raise UserFixableError(f"Không tìm thấy thư mục “{target}” (USB đã được cắm chưa?).",
                               "Hãy cắm USB hoặc chọn lại nơi lưu rồi thử lại.")
    if not target.is_dir():
        raise UserFixableError(f"“{target}” không phải là thư mục.", "Hãy chọn một thư mục hoặc ổ USB.")
    return target


class _Steps:
    def __init__(self, total: int, progress: Progress | None, cancel: Cancel | None) -> None:
        self.done, self.total, self.progress, self.cancel = 0, total, progress, cancel

    def check(self) -> None:
        if self.cancel is not None and self.cancel():
            raise Cancelled()

    def step(self) -> None:
        self.done += 1
        if self.progress is not None:
            self.progress(min(self.done, self.total), self.total)
        self.check()


def _backup(ctx: AppContext, target: Path, notes: list[str]) -> Path | None:
    if sqlite_path(ctx.url) is None:
        notes.append("Không kèm bản sao lưu: cơ sở dữ liệu dùng chung trên máy chủ được sao lưu bằng pg_dump.")
        return None
    return write_backup(ctx, target)


def _attachments(ctx: AppContext, d_from: date, d_to: date) -> list[tuple[str, Path]]:
    """(relative name, stored file) of the attachments of dossiers received in the week."""
    start = datetime.combine(d_from, datetime.min.time())
    end = datetime.combine(d_to + timedelta(days=1), datetime.min.time())
    with ctx.read() as session:
        rows = session.execute(
            select(Dossier.code, Attachment.sha256, Attachment.original_name)
            .join(Dossier, Dossier.id == Attachment.dossier_id)
            .where(Dossier.deleted_at.is_(None), Dossier.received_at >= start, Dossier.received_at < end)
            .order_by(Dossier.code, Attachment.added_at)
        ).all()
    found = []
    used: set[str] = set()
    for code, sha, original in rows:
        source = attachment_file(ctx, sha)  # fetched from a shared database when only there
        if not source.is_file():
            continue
        safe_code = "".join(ch if ch.isalnum() or ch in ".-" else "-" for ch in code)
        stem, dot, ext = original.rpartition(".")
        base = "".join(ch if ch.isalnum() or ch in "._- " else "_" for ch in (stem or original))[:60].strip() or "tep"
        name = f"dinh-kem/{safe_code}/{base}{dot}{ext if stem else ''}"
        counter = 2
        while name in used:
            name = f"dinh-kem/{safe_code}/{base}-{counter}{dot}{ext if stem else ''}"
            counter += 1
        used.add(name)
        found.append((name, source))
    return found


def export_to_usb(ctx: AppContext, target_dir: Path, *, week_day: date, with_attachments: bool = False,
                  progress: Progress | None = None, cancel: Cancel | None = None) -> UsbResult:
    """Write the week's package into a new dated folder in ``target_dir`` (see the module doc).

    Raises :class:`UserFixableError` (read-only, full or removed drive …) or :class:`Cancelled`;
    in both cases no folder that looks complete is left on the target.
    """
    from . import exports

    target_dir = _check_target(target_dir)
    with ctx.read() as session:
        unit_code = session.scalar(select(CommuneProfile.unit_code)) or ""
    d_from, d_to = week_of(week_day)
    today = ctx.clock().date()
    final_name = folder_name(unit_code, today)
    final = target_dir / final_name
    counter = 2
    while final.exists():
        final = target_dir / f"{final_name}_{counter}"
        counter += 1
    partial = target_dir / f".{final.name}.partial"
    year, week, _ = d_from.isocalendar()
    suffix = f"{year}-W{week:02d}"
    result = UsbResult(final)
    attachments = _attachments(ctx, d_from, d_to) if with_attachments else []
    steps = _Steps(total=7 + len(attachments), progress=progress, cancel=cancel)
    steps.check()

    try:
        partial.mkdir()
    except FileExistsError:  # left by an export that was interrupted
        shutil.rmtree(partial, ignore_errors=True)
        try:
            partial.mkdir()
        except OSError as error:
            raise describe_os_error(error, partial / MANIFEST) from error
    except OSError as error:
        raise describe_os_error(error, partial / MANIFEST) from error

    def place(source: Path, name: str) -> None:
        """Copy a file built locally to the partial folder: temp → fsync → rename → re-read."""
        expected = sha256_of(source)
        destination = partial / name
        if "/" in name:
            try:
                destination.parent.mkdir(parents=True, exist_ok=True)
            except OSError as error:
                raise describe_os_error(error, destination) from error
        written = copy_file(source, destination, verify=True)
        if written != expected:
            raise WriteFailed(f"Tệp “{name}” chép ra USB không khớp với bản gốc.",
                              "Hãy thử lại với USB khác.")
        result.files.append(ExportedFile(name, expected, source.stat().st_size))

    try:
        with tempfile.TemporaryDirectory(prefix="somotcua-usb-") as staging_text:
            staging = Path(staging_text)
            # 1. the week's PDF report
            report = write_report(ctx, "weekly", week_day, staging / f"bao-cao-tuan_{suffix}.pdf", cancel=cancel)
            place(report, report.name)
            steps.step()
            # 2-4. the Excel files (the dossier list and the register hold personal data)
            for kind in ("dossiers", "stats", "so-theo-doi"):
                name = exports.default_file_name(kind, d_from, d_to)
                built = exports.export(ctx, kind, staging / name, d_from, d_to, cancel=cancel)
                place(built, name)
                steps.step()
            # 5. a consistent copy of the database
            backup = _backup(ctx, staging / f"sao-luu_{unit_code or 'du-lieu'}_{today:%Y-%m-%d}.sqlite3",
                             result.notes)
            if backup is not None:
                place(backup, f"sao-luu/{backup.name}")
            steps.step()
            # 6. attachments (copied straight from the store: each is already named by its SHA-256)
            for name, source in attachments:
                place(source, name)
                steps.step()
            if with_attachments and not attachments:
                result.notes.append("Không có tệp đính kèm nào của các hồ sơ trong tuần.")
        # 7. the manifest, last of the files
        manifest = _manifest_text(ctx, result, d_from, d_to, unit_code)
        with atomic_output(partial / MANIFEST, verify=True) as handle:
            handle.write(manifest.encode("utf-8"))
        steps.step()
        # 8. the folder gets its real name only now
        fsync_folder(partial)
        steps.check()
        try:
            os.rename(partial, final)
        except OSError as error:
            raise describe_os_error(error, final) from error
        fsync_folder(target_dir)
        steps.step()
    except BaseException as error:
        shutil.rmtree(partial, ignore_errors=True)
        if isinstance(error, OSError):
            raise describe_os_error(error, partial) from error
        raise
    log.info("USB export written: %d files", len(result.files))
    return result


def _app_version() -> str:
    from importlib import metadata

    try:
        return metadata.version("so-mot-cua")
    except metadata.PackageNotFoundError:
        return ""


def _manifest_text(ctx: AppContext, result: UsbResult, d_from: date, d_to: date, unit_code: str) -> str:
    """``#`` comment lines, then one ``<sha256>  <name>`` line per file (``sha256sum -c MANIFEST.txt``)."""
    with ctx.read() as session:
        unit_name = session.scalar(select(CommuneProfile.unit_name)) or ""
    version = _app_version()
    lines = [
        f"# Sổ Một Cửa{(' ' + version) if version else ''} — gói dữ liệu chép ra USB",
        f"# Đơn vị: {unit_name} ({unit_code})",
        f"# Tuần: {d_from:%d/%m/%Y} – {d_to:%d/%m/%Y}",
        f"# Tạo lúc: {ctx.clock():%d/%m/%Y %H:%M}",
        ("# Các tệp có “du-lieu-ca-nhan” trong tên và bản sao lưu chứa dữ liệu cá nhân: "
         "giữ USB cẩn thận, xóa khi đã dùng xong."),
        "# Kiểm tra: sha256sum -c MANIFEST.txt (Linux) hoặc certutil -hashfile TỆP SHA256 (Windows).",
    ]
    lines += [f"# Ghi chú: {note}" for note in result.notes]
    lines.append("#")
    lines += manifest_lines(result)
    return "\n".join(lines) + "\n"


def manifest_lines(result: UsbResult) -> list[str]:
    return [f"{f.sha256}  {f.name}" for f in result.files]


def verify_folder(folder: Path) -> list[str]:
    """Check every file of a USB export against its MANIFEST; return the problems (empty = all good)."""
    folder = Path(folder)
    problems: list[str] = []
    try:
        text = (folder / MANIFEST).read_text(encoding="utf-8")
    except OSError:
        return [f"Không có {MANIFEST} trong thư mục “{folder.name}”."]
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        digest, _, name = line.partition("  ")
        path = folder / name
        try:
            actual = sha256_of(path)
        except OSError:
            problems.append(f"Thiếu tệp “{name}”.")
            continue
        if actual != digest:
            problems.append(f"Tệp “{name}” không khớp mã SHA-256 trong {MANIFEST}.")
    return problems


__all__ = [
    "MANIFEST",
    "Cancelled",
    "Drive",
    "ExportedFile",
    "UsbResult",
    "export_to_usb",
    "folder_name",
    "list_target_drives",
    "verify_folder",
    "week_of",
]

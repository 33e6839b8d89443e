"""The USB export (SPEC §7): a dated folder whose MANIFEST verifies, or nothing that looks complete."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import sqlite3
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from desktop_app.domain.status import Action, Channel
from desktop_app.services import usb
from desktop_app.storage import safe_write
from desktop_app.storage.errors import UserFixableError
from desktop_app.storage.safe_write import Cancelled

from ..storage._readonly import read_only_folder
from .helpers import act, pdf, receive

KHAI_SINH = "1.001193"
WEEK_DAY = date(2026, 3, 4)  # Wednesday of 2–8/3/2026
FOLDER = "SoMotCua_000.00.53.H48_2026-03-10"


@pytest.fixture
def week(services_ctx, clock, tmp_path):
    ctx = services_ctx
    scan = {0: pdf(tmp_path, "scan.pdf", b"scan")}
    result = pdf(tmp_path, "kq.pdf", b"ket qua")
    a = receive(ctx, clock, datetime(2026, 3, 2, 8, 30), KHAI_SINH, files=scan, channel=Channel.TRUC_TUYEN)
    act(ctx, clock, a, datetime(2026, 3, 2, 14), Action.CO_KET_QUA, result_files=[result], result_signed=True)
    receive(ctx, clock, datetime(2026, 3, 3, 9), KHAI_SINH, id_number="001099012345", applicant_name="Trần Văn Bình")
    receive(ctx, clock, datetime(2026, 2, 20, 9), KHAI_SINH)  # another week
    clock.now = datetime(2026, 3, 10, 9, 0)
    return ctx


def _target(tmp_path) -> Path:
    folder = tmp_path / "usb"
    folder.mkdir()
    return folder


def _manifest(folder: Path) -> dict[str, str]:
    lines = (folder / usb.MANIFEST).read_text(encoding="utf-8").splitlines()
    entries = [line.split("  ", 1) for line in lines if line and not line.startswith("#")]
    return {name: digest for digest, name in entries}


def _nothing_complete(parent: Path) -> None:
    """No folder named like a finished export, no manifest, no hidden leftovers."""
    if not parent.exists():
        return
    assert [p.name for p in parent.iterdir()] == []


@pytest.mark.sqlite_only  # the package holds an SQLite backup
def test_the_package_verifies_against_its_manifest(week, tmp_path):
    target = _target(tmp_path)
    seen = []
    result = usb.export_to_usb(week, target, week_day=WEEK_DAY, progress=lambda d, t: seen.append((d, t)))
    assert result.folder == target / FOLDER
    assert [p.name for p in target.iterdir()] == [FOLDER]  # no hidden partial folder left
    entries = _manifest(result.folder)
    on_disk = sorted(str(p.relative_to(result.folder)).replace("\\", "/") for p in result.folder.rglob("*")
                     if p.is_file() and p.name != usb.MANIFEST)
    assert sorted(entries) == on_disk
    assert set(entries) == {
        "bao-cao-tuan_2026-W10.pdf",
        "danh-sach-ho-so_2026-03-02_2026-03-08_du-lieu-ca-nhan.xlsx",
        "thong-ke_2026-03-02_2026-03-08.xlsx",
        "so-theo-doi-ho-so_2026-03-02_2026-03-08_du-lieu-ca-nhan.xlsx",
        "sao-luu/sao-luu_000.00.53.H48_2026-03-10.sqlite3",
    }
    for name, digest in entries.items():
        assert hashlib.sha256((result.folder / name).read_bytes()).hexdigest() == digest, name
    assert usb.verify_folder(result.folder) == []
    assert seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    # the files are what they claim: the week's dossiers, a sound database, a PDF
    dossiers = load_workbook(result.folder / "danh-sach-ho-so_2026-03-02_2026-03-08_du-lieu-ca-nhan.xlsx").active
    assert dossiers.max_row == 1 + 2 + 1
    backup = sqlite3.connect(result.folder / "sao-luu/sao-luu_000.00.53.H48_2026-03-10.sqlite3")
    try:
        assert backup.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert backup.execute("SELECT count(*) FROM dossier").fetchone()[0] == 3
    finally:
        backup.close()
    assert (result.folder / "bao-cao-tuan_2026-W10.pdf").read_bytes().startswith(b"%PDF")
    # a damaged file is caught by the manifest
    with (result.folder / "thong-ke_2026-03-02_2026-03-08.xlsx").open("ab") as handle:
        handle.write(b"x")
    assert usb.verify_folder(result.folder) == [
        "Tệp “thong-ke_2026-03-02_2026-03-08.xlsx” không khớp mã SHA-256 trong MANIFEST.txt."]


@pytest.mark.sqlite_only
def test_attachments_are_copied_when_asked(week, tmp_path):
    result = usb.export_to_usb(week, _target(tmp_path), week_day=WEEK_DAY, with_attachments=True)
    entries = _manifest(result.folder)
    attached = {name: digest for name, digest in entries.items() if name.startswith("dinh-kem/")}
    assert len(attached) == 2  # the scan and the result of the first dossier
    assert {hashlib.sha256(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n" + extra).hexdigest()
            for extra in (b"scan", b"ket qua")} == set(attached.values())
    assert usb.verify_folder(result.folder) == []


@pytest.mark.sqlite_only
def test_a_second_export_the_same_day_gets_its_own_folder(week, tmp_path):
    target = _target(tmp_path)
    first = usb.export_to_usb(week, target, week_day=WEEK_DAY)
    second = usb.export_to_usb(week, target, week_day=WEEK_DAY)
    assert second.folder.name == FOLDER + "_2"
    assert usb.verify_folder(first.folder) == usb.verify_folder(second.folder) == []


def test_read_only_target_gives_a_clear_message_and_writes_nothing(week, tmp_path, monkeypatch):
    target = tmp_path / "usb"
    with read_only_folder(target, monkeypatch):
        with pytest.raises(UserFixableError) as caught:
            usb.export_to_usb(week, target, week_day=WEEK_DAY)
        assert list(target.iterdir()) == []
    assert "chỉ cho phép đọc" in caught.value.message or "quyền ghi" in caught.value.message
    assert caught.value.action


@pytest.mark.parametrize("after_step", [1, 3, 5, 6])
def test_target_that_disappears_midway_leaves_nothing_that_looks_complete(week, tmp_path, after_step):
    parent = tmp_path / "media"
    target = parent / "USB"
    target.mkdir(parents=True)

    def pulled_out(done: int, total: int) -> None:
        if done == after_step and target.exists():
            shutil.rmtree(target)

    with pytest.raises(UserFixableError) as caught:
        usb.export_to_usb(week, target, week_day=WEEK_DAY, progress=pulled_out)
    assert "USB đã bị rút" in caught.value.message
    _nothing_complete(parent)


def test_target_replaced_by_a_file_midway(week, tmp_path):
    parent = tmp_path / "media"
    target = parent / "USB"
    target.mkdir(parents=True)

    def swapped(done: int, total: int) -> None:
        if done == 2 and target.is_dir():
            shutil.rmtree(target)
            target.write_bytes(b"")  # the mount point is gone; something else has the name

    with pytest.raises(UserFixableError):
        usb.export_to_usb(week, target, week_day=WEEK_DAY, progress=swapped)
    assert [p.name for p in parent.iterdir()] == ["USB"] and target.is_file()


def test_full_drive_removes_the_partial_folder(week, tmp_path, monkeypatch):
    target = _target(tmp_path)
    calls = {"n": 0}
    real = safe_write.os.fsync

    def fills_up(fd):
        # the second file flushed onto the stick does not fit (local staging files do)
        where = os.readlink(f"/proc/self/fd/{fd}")
        if where.startswith(str(target)) and not os.path.isdir(where):
            calls["n"] += 1
            if calls["n"] == 2:
                raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd)

    monkeypatch.setattr(safe_write.os, "fsync", fills_up)
    with pytest.raises(UserFixableError) as caught:
        usb.export_to_usb(week, target, week_day=WEEK_DAY)
    assert "đầy" in caught.value.message
    _nothing_complete(target)


def test_cancel_leaves_nothing(week, tmp_path):
    target = _target(tmp_path)
    steps = []

    def progress(done, total):
        steps.append(done)

    with pytest.raises(Cancelled):
        usb.export_to_usb(week, target, week_day=WEEK_DAY, progress=progress, cancel=lambda: len(steps) >= 2)
    _nothing_complete(target)


def test_missing_target_is_refused_before_anything(week, tmp_path):
    with pytest.raises(UserFixableError, match="cắm USB|Không tìm thấy"):
        usb.export_to_usb(week, tmp_path / "E", week_day=WEEK_DAY)
    (tmp_path / "file").write_bytes(b"")
    with pytest.raises(UserFixableError, match="không phải là thư mục"):
        usb.export_to_usb(week, tmp_path / "file", week_day=WEEK_DAY)


@pytest.mark.postgresql_only
def test_shared_server_database_is_not_backed_up_here(week, tmp_path):
    result = usb.export_to_usb(week, _target(tmp_path), week_day=WEEK_DAY)
    assert not any(f.name.startswith("sao-luu/") for f in result.files)
    assert any("pg_dump" in note for note in result.notes)
    assert usb.verify_folder(result.folder) == []


def test_removable_drives_are_listed_first(tmp_path, monkeypatch):
    stick = tmp_path / "KINGSTON"
    stick.mkdir()
    monkeypatch.setattr(usb.sys, "platform", "linux")
    monkeypatch.setattr(usb, "_linux_removable_mounts", lambda: {stick: "KINGSTON"})
    drives = usb.list_target_drives()
    assert drives[0].path == stick and drives[0].removable and drives[0].label == "KINGSTON"
    assert drives[-1].path == Path.home() and not drives[-1].removable
    assert "USB" in drives[0].title

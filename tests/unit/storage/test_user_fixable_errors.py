"""Errors the officer can fix — disk full, read-only file or folder, locked or corrupt database,
removed drive — each become a plain Vietnamese message with an action (storage.errors), tested by
making the real error happen wherever the machine allows it."""

from __future__ import annotations

import errno
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import event

from desktop_app.services import backups, intake, setup
from desktop_app.services.context import AppContext, open_database
from desktop_app.storage import errors
from desktop_app.storage.engine import make_engine
from desktop_app.storage.errors import DatabaseError, UserFixableError, translate

pytestmark = pytest.mark.sqlite_only


def configured(path: Path) -> AppContext:
    ctx = open_database(str(path))
    setup.save_profile(ctx, setup.ProfileInput(unit_name="UBND xã Phú Lạc", unit_code="000.00.53.H48",
                                               place_name="Phú Lạc", province="Thái Nguyên"))
    ctx.test_officer_id = setup.save_officer(ctx, "lan.nt", "Nguyễn Thị Lan", "quan_tri").id
    return ctx


def a_draft(ctx) -> intake.DossierDraft:
    from desktop_app.domain.identity import IdKind
    from desktop_app.services import catalogue

    proc = catalogue.list_procedures(ctx, search="khai sinh")[0]
    return intake.DossierDraft(procedure_id=proc.id, applicant_name="Đặng Thị Ánh", id_kind=IdKind.NONE,
                               officer_id=ctx.test_officer_id,
                               components=[intake.ComponentDraft(name=c.name, procedure_component_id=c.id)
                                           for c in proc.components])


def dossier_count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return conn.execute("SELECT count(*) FROM dossier").fetchone()[0]
    finally:
        conn.close()


# ---------------------------------------------------------------------------- disk full


def test_a_full_disk_while_saving_says_so_and_saves_nothing(tmp_path):
    """SQLite's own "database or disk is full", made real with max_page_count (no tmpfs needed)."""
    path = tmp_path / "motcua.sqlite3"
    ctx = configured(path)
    intake.receive_dossier(ctx, a_draft(ctx))
    ctx.dispose()

    @event.listens_for(ctx.engine, "connect")
    def _no_more_pages(dbapi_connection, _record):
        pages = dbapi_connection.execute("PRAGMA page_count").fetchone()[0]
        dbapi_connection.execute(f"PRAGMA max_page_count={pages}")

    with pytest.raises(DatabaseError) as info:
        for _ in range(200):
            intake.receive_dossier(ctx, a_draft(ctx))
    assert "Ổ đĩa đã đầy" in info.value.message
    assert "xóa bớt" in info.value.action
    event.remove(ctx.engine, "connect", _no_more_pages)
    ctx.dispose()
    assert sqlite3.connect(path).execute("PRAGMA integrity_check").fetchone()[0] == "ok"


@pytest.fixture
def small_tmpfs(tmp_path):
    """A real 8 MB filesystem, when this machine lets the test mount one (root on Linux)."""
    mount_point = tmp_path / "tmpfs"
    mount_point.mkdir()
    if os.name != "posix" or not shutil.which("mount") or os.geteuid() != 0:
        pytest.skip("cannot mount a tmpfs here; disk full is simulated by the other tests")
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=8m", "tmpfs", str(mount_point)],
                          capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"mount refused: {done.stderr.decode(errors='replace').strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


def fill(folder: Path, leave: int = 0) -> Path:
    """Fill the filesystem of ``folder`` up to ``leave`` bytes left."""
    filler = folder / "filler.bin"
    with open(filler, "wb") as handle:
        try:
            while shutil.disk_usage(folder).free > leave + 4096:
                handle.write(b"\0" * 4096)
                handle.flush()
        except OSError as error:
            assert error.errno == errno.ENOSPC
    return filler


def test_a_backup_onto_a_really_full_disk_leaves_no_partial_file(tmp_path, small_tmpfs):
    ctx = configured(tmp_path / "motcua.sqlite3")
    try:
        fill(small_tmpfs, leave=100_000)  # far less than the database
        with pytest.raises(UserFixableError) as info:
            backups.write_backup(ctx, small_tmpfs / "usb.sqlite3")
        assert "đầy" in info.value.message
        assert [p.name for p in small_tmpfs.iterdir()] == ["filler.bin"]  # no half-written backup
    finally:
        ctx.dispose()


def test_a_database_on_a_really_full_disk_refuses_the_save(tmp_path, small_tmpfs):
    path = small_tmpfs / "motcua.sqlite3"
    ctx = configured(path)
    try:
        filler = fill(small_tmpfs)
        before = dossier_count(path)
        with pytest.raises(DatabaseError) as info:
            for _ in range(50):
                intake.receive_dossier(ctx, a_draft(ctx))
        assert "Ổ đĩa đã đầy" in info.value.message or "Không đọc/ghi được" in info.value.message
        filler.unlink()
        assert dossier_count(path) >= before
    finally:
        ctx.dispose()


def test_enospc_while_writing_a_backup_file_is_a_plain_message(tmp_path, monkeypatch):
    ctx = configured(tmp_path / "motcua.sqlite3")
    try:
        real_replace = os.replace

        def full(src, dst):
            if str(dst).endswith(".sqlite3"):
                raise OSError(errno.ENOSPC, "No space left on device")
            return real_replace(src, dst)

        monkeypatch.setattr(os, "replace", full)
        target = tmp_path / "usb"
        target.mkdir()
        with pytest.raises(UserFixableError) as info:
            backups.write_backup(ctx, target / "x.sqlite3")
        assert info.value.message == "Ổ đĩa đã đầy."
        assert list(target.iterdir()) == []
    finally:
        ctx.dispose()


# ---------------------------------------------------------------------------- read-only


def test_a_read_only_database_file_is_refused_at_start(tmp_path, monkeypatch):
    path = tmp_path / "motcua.sqlite3"
    open_database(str(path)).dispose()
    if os.geteuid() != 0:
        path.chmod(0o444)
    else:  # root may write anyway: make the access check answer as for a normal user
        monkeypatch.setattr(errors, "_writable", lambda p: Path(p) != path)
    try:
        with pytest.raises(DatabaseError) as info:
            open_database(str(path))
        assert "chỉ cho phép đọc" in info.value.message and "chỉ đọc" in info.value.action
    finally:
        path.chmod(0o644)


def test_a_read_only_folder_is_refused_at_start(tmp_path, monkeypatch):
    folder = tmp_path / "ro"
    folder.mkdir()
    monkeypatch.setattr(errors, "_writable", lambda p: Path(p) != folder)
    with pytest.raises(DatabaseError) as info:
        open_database(str(folder / "motcua.sqlite3"))
    assert "Không ghi được vào thư mục" in info.value.message


def test_saving_into_a_database_that_became_read_only(tmp_path):
    """SQLite's real "attempt to write a readonly database" (the file opened read-only, as on a
    write-protected USB stick)."""
    path = tmp_path / "motcua.sqlite3"
    ctx = configured(path)
    ctx.dispose()
    engine = make_engine(f"sqlite:///file:{path}?mode=ro&uri=true")
    readonly = AppContext(url=ctx.url, engine=engine, attachments_dir=ctx.attachments_dir)
    readonly.test_officer_id = ctx.test_officer_id
    try:
        with pytest.raises(DatabaseError) as info:
            intake.receive_dossier(readonly, a_draft(readonly))
        assert "chỉ cho phép đọc" in info.value.message
    finally:
        readonly.dispose()
    assert dossier_count(path) == 0


# ---------------------------------------------------------------------------- corrupt, removed


def test_a_database_truncated_in_the_middle_is_refused_with_restore_advice(tmp_path):
    path = tmp_path / "motcua.sqlite3"
    ctx = configured(path)
    for _ in range(30):
        intake.receive_dossier(ctx, a_draft(ctx))
    ctx.dispose()
    with sqlite3.connect(path) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])  # a copy cut short when the USB stick was pulled
    with pytest.raises(DatabaseError) as info:
        ctx = open_database(str(path))
        intake.receive_dossier(ctx, a_draft(ctx))
    assert "bị hỏng" in info.value.message
    assert "khôi phục từ bản sao lưu" in info.value.action.lower()


def test_a_removed_drive_while_the_app_runs(tmp_path):
    usb = tmp_path / "usb"
    usb.mkdir()
    ctx = configured(usb / "motcua.sqlite3")
    ctx.dispose()  # the next action opens a new connection …
    usb.rename(tmp_path / "elsewhere")  # … but the stick is gone
    with pytest.raises(DatabaseError) as info:
        intake.receive_dossier(ctx, a_draft(ctx))
    assert "Không mở được tệp dữ liệu" in info.value.message
    assert "USB" in info.value.action
    ctx.dispose()


@pytest.mark.parametrize("raw, expected", [
    (sqlite3.OperationalError("disk I/O error"), "USB đã bị rút"),
    (OSError(errno.EIO, "Input/output error"), "USB đã bị rút"),
    (OSError(errno.ENOENT, "No such file"), "USB đã bị rút"),
    (OSError(errno.EROFS, "Read-only file system"), "chỉ đọc"),
    (OSError(errno.ENOSPC, "No space left on device"), "đầy"),
    (sqlite3.DatabaseError("file is not a database"), "bị hỏng"),
    (sqlite3.OperationalError("database is locked"), "khóa"),
])
def test_every_fixable_error_has_a_message_and_an_action(raw, expected):
    fixable = translate(raw)
    assert fixable is not None and expected in fixable.message
    assert fixable.action


def test_a_bug_is_not_dressed_up_as_a_fixable_error():
    assert translate(ValueError("bug")) is None
    assert translate(KeyError("x")) is None

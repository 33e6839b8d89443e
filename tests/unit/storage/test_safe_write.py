"""safe_write: a file the user named appears whole or not at all, with a Vietnamese message."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from desktop_app.storage import safe_write
from desktop_app.storage.errors import UserFixableError
from desktop_app.storage.safe_write import (
    WriteFailed,
    atomic_output,
    copy_file,
    write_bytes,
    write_with,
)

from ._readonly import read_only_folder


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_writes_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "bao-cao.xlsx"
    write_bytes(target, b"abc" * 1000, verify=True)
    assert target.read_bytes() == b"abc" * 1000
    assert _leftovers(tmp_path) == ["bao-cao.xlsx"]


def test_replaces_an_existing_file_whole(tmp_path):
    target = tmp_path / "a.bin"
    target.write_bytes(b"old")
    write_bytes(target, b"new content")
    assert target.read_bytes() == b"new content"


def test_an_error_while_writing_leaves_nothing_and_keeps_the_old_file(tmp_path):
    target = tmp_path / "a.xlsx"
    target.write_bytes(b"previous")

    def broken(handle):
        handle.write(b"half of it")
        raise RuntimeError("the writer crashed")

    with pytest.raises(RuntimeError):
        write_with(target, broken)
    assert target.read_bytes() == b"previous"
    assert _leftovers(tmp_path) == ["a.xlsx"]


def test_a_workbook_saved_through_it_reads_back_and_verifies(tmp_path):
    # zipfile goes back to patch headers: the expected hash must come from the file, not the stream
    workbook = Workbook()
    workbook.active["A1"] = "Xóm Đồng Bầu"
    target = write_with(tmp_path / "x.xlsx", workbook.save, verify=True)
    assert load_workbook(target).active["A1"].value == "Xóm Đồng Bầu"


def test_read_only_folder_gives_a_plain_message_and_no_file(tmp_path, monkeypatch):
    folder = tmp_path / "usb"
    with read_only_folder(folder, monkeypatch):
        with pytest.raises(WriteFailed) as caught:
            write_bytes(folder / "danh-sach.xlsx", b"data")
        assert os.listdir(folder) == []
    error = caught.value
    assert isinstance(error, UserFixableError)
    assert "chỉ cho phép đọc" in error.message or "quyền ghi" in error.message
    assert error.action


def test_removed_drive_folder_missing(tmp_path):
    with pytest.raises(WriteFailed) as caught:
        write_bytes(tmp_path / "E-drive" / "a.xlsx", b"data")
    assert "USB đã bị rút" in caught.value.message
    assert "cắm lại USB" in caught.value.action


def test_removed_drive_path_is_now_a_file(tmp_path):
    # a drive letter reused by something else: the "folder" is a file now (ENOTDIR)
    (tmp_path / "usb").write_bytes(b"")
    with pytest.raises(WriteFailed) as caught:
        write_bytes(tmp_path / "usb" / "a.xlsx", b"data")
    assert "USB đã bị rút" in caught.value.message


def test_disk_full_while_flushing_removes_the_temporary(tmp_path, monkeypatch):
    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(safe_write.os, "fsync", full)
    with pytest.raises(WriteFailed) as caught:
        write_bytes(tmp_path / "a.xlsx", b"x" * 10_000)
    assert "đầy" in caught.value.message
    assert _leftovers(tmp_path) == []


def test_file_open_in_another_program_on_windows(tmp_path, monkeypatch):
    target = tmp_path / "so-theo-doi.xlsx"
    target.write_bytes(b"open in Excel")

    def locked(source, destination):
        error = PermissionError(errno.EACCES, "The process cannot access the file")
        error.winerror = 32  # ERROR_SHARING_VIOLATION
        raise error

    monkeypatch.setattr(safe_write.os, "replace", locked)
    with pytest.raises(WriteFailed) as caught:
        write_bytes(target, b"new")
    assert "đang được mở trong một chương trình khác" in caught.value.message
    assert "đóng tệp" in caught.value.action
    assert target.read_bytes() == b"open in Excel"
    assert _leftovers(tmp_path) == ["so-theo-doi.xlsx"]


def test_a_copy_that_reads_back_differently_is_refused_and_removed(tmp_path, monkeypatch):
    real = safe_write.sha256_of

    def corrupt(path):
        return "0" * 64 if Path(path).name == "copy.bin" else real(path)

    monkeypatch.setattr(safe_write, "sha256_of", corrupt)
    source = tmp_path / "source.bin"
    source.write_bytes(b"payload")
    with pytest.raises(WriteFailed) as caught:
        copy_file(source, tmp_path / "copy.bin")
    assert "không khớp" in caught.value.message
    assert not (tmp_path / "copy.bin").exists()


def test_copy_returns_the_sha256(tmp_path):
    source = tmp_path / "source.bin"
    data = os.urandom(3 * safe_write.CHUNK + 17)
    source.write_bytes(data)
    digest = copy_file(source, tmp_path / "copy.bin")
    assert digest == hashlib.sha256(data).hexdigest()
    assert (tmp_path / "copy.bin").read_bytes() == data


def test_atomic_output_target_is_a_folder(tmp_path):
    (tmp_path / "x.xlsx").mkdir()
    with pytest.raises(WriteFailed), atomic_output(tmp_path / "x.xlsx") as handle:
        handle.write(b"data")
    assert _leftovers(tmp_path) == ["x.xlsx"]

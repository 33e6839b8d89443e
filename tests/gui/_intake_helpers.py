"""Shared helpers for the intake and dossier dialog tests: a small catalogue, a configured
database on a fixed clock, typing Vietnamese text, and files to attach."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QCoreApplication, QEvent, QMimeData, QPoint, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeyEvent
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

#: Thursday 12/02/2026, before Tết 2026 (16–20/02 are days off).
NOW = datetime(2026, 2, 12, 10, 0)

CATALOGUE = {
    "procedures": [
        {
            "code": "1.001193",
            "name": "Đăng ký khai sinh",
            "field": "Hộ tịch",
            "time_limit": 0,
            "time_unit": "ngay_lam_viec",
            "online_level": "toan_trinh",
            "fee": {"kind": "free"},
            "components": [
                {"name": "Tờ khai đăng ký khai sinh theo mẫu"},
                {"name": "Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh"},
                {
                    "name": "Giấy chứng nhận kết hôn của cha, mẹ (nếu có)",
                    "copy_kind": "ban_chinh_hoac_sao",
                    "reusable": True,
                },
            ],
        },
        {
            "code": "2.000635",
            "name": "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh",
            "field": "Hộ tịch",
            "time_limit": 0,
            "time_unit": "ngay_lam_viec",
            "online_level": "toan_trinh",
            "fee": {"kind": "fixed", "amount": 8000},
            "components": [{"name": "Tờ khai cấp bản sao trích lục hộ tịch theo mẫu"}],
        },
        {
            "code": "2.000815",
            "name": "Chứng thực bản sao từ bản chính giấy tờ, văn bản",
            "field": "Chứng thực",
            "time_limit": 0,
            "time_unit": "ngay_lam_viec",
            "online_level": "mot_phan",
            "fee": {
                "kind": "per_page",
                "amount": 2000,
                "first_pages": 2,
                "later_amount": 1000,
                "cap": 200000,
            },
            "components": [
                {"name": "Bản chính giấy tờ, văn bản làm cơ sở để chứng thực bản sao"},
                {"name": "Bản chụp từ bản chính cần chứng thực", "copy_kind": "ban_sao"},
            ],
        },
        {
            "code": "1.004873",
            "name": "Cấp Giấy xác nhận tình trạng hôn nhân",
            "field": "Hộ tịch",
            "time_limit": 3,
            "time_unit": "ngay_lam_viec",
            "online_level": "toan_trinh",
            "fee": {"kind": "free"},
            "components": [{"name": "Tờ khai cấp Giấy xác nhận tình trạng hôn nhân theo mẫu"}],
        },
    ]
}


class Clock:
    def __init__(self, now: datetime = NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Env:
    ctx: object
    clock: Clock
    officer_id: object
    folder: Path

    @property
    def attachments_dir(self) -> Path:
        return self.ctx.attachments_dir  # type: ignore[attr-defined]


def make_env(tmp_path: Path, monkeypatch) -> Env:
    """A configured database (profile, hamlets, one officer) on a fixed clock in ``tmp_path``."""
    from desktop_app.services import setup
    from desktop_app.services.context import open_database
    from desktop_app.storage import seed

    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    monkeypatch.delenv("MOTCUA_DB", raising=False)
    catalogue = tmp_path / "catalogue.json"
    catalogue.write_text(json.dumps(CATALOGUE, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(seed, "catalogue_file", lambda: catalogue)
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings")
    )

    clock = Clock()
    ctx = open_database(str(tmp_path / "t.sqlite3"), clock=clock)
    setup.save_profile(
        ctx,
        setup.ProfileInput(
            unit_name="UBND xã Phú Lạc",
            unit_code="000.00.53.H48",
            place_name="Phú Lạc",
            province="Thái Nguyên",
        ),
    )
    setup.set_hamlets(ctx, ["Xóm Đồng Bầu", "Xóm Cầu Đá"])
    officer = setup.save_officer(ctx, "lan.nt", "Nguyễn Thị Lan")
    return Env(ctx=ctx, clock=clock, officer_id=officer.id, folder=tmp_path)


def type_text(widget: QWidget, text: str) -> None:
    """Type ``text`` as a person would, one key event per character.

    ``QTest.keyClicks`` aborts the process on non-ASCII text, so each character goes as a
    QKeyEvent carrying the character (Key_unknown for letters outside ASCII).
    """
    widget.setFocus()
    for ch in text:
        key = Qt.Key.Key_unknown
        if ch.isascii() and ch.isalnum():
            key = Qt.Key(ord(ch.upper()))
        elif ch == " ":
            key = Qt.Key.Key_Space
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))
    QCoreApplication.processEvents()


def press(widget: QWidget, key: Qt.Key) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(widget, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))
    QCoreApplication.processEvents()


def write_pdf(folder: Path, name: str = "to-khai.pdf", size: int = 0) -> Path:
    path = folder / name
    body = b"%PDF-1.4\n% test scan\n" + b"0" * max(size, 16) + b"\n%%EOF\n"
    path.write_bytes(body)
    return path


def write_fake_pdf(folder: Path, name: str = "ghi-chu.pdf") -> Path:
    """A text file renamed .pdf: must be refused (the type is read from the first bytes)."""
    path = folder / name
    path.write_text("Đây không phải tệp PDF\n", encoding="utf-8")
    return path


def stored_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.is_file()] if folder.exists() else []


def close_message_boxes() -> list[str]:
    """Close every open message box; returns their texts."""
    texts = []
    for widget in QApplication.topLevelWidgets():
        if isinstance(widget, QMessageBox) and widget.isVisible():
            texts.append(widget.text())
            widget.close()
    QCoreApplication.processEvents()
    return texts


def open_message_texts() -> list[str]:
    return [
        w.text() for w in QApplication.allWidgets() if isinstance(w, QMessageBox) and w.isVisible()
    ]


def drop_files(widget: QWidget, pos: QPoint, paths: list[Path]) -> bool:
    """Drag ``paths`` from the file manager onto ``widget`` at ``pos``: enter, move, drop.

    Qt delivers a drop only to the widget that accepted the drag, so all three are sent.
    """
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    point = QPointF(pos)
    args = (
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter = QDragEnterEvent(point, *args)
    QApplication.sendEvent(widget, enter)
    if not enter.isAccepted():
        return False
    move = QDragMoveEvent(point, *args)
    QApplication.sendEvent(widget, move)
    if not move.isAccepted():
        return False
    drop = QDropEvent(point, *args)
    QApplication.sendEvent(widget, drop)
    QCoreApplication.processEvents()
    return drop.isAccepted()

"""The "Dữ liệu" menu (Sao lưu ngay, Khôi phục từ bản sao lưu…, Kiểm tra dữ liệu), the automatic
backup and the backup at exit, driven through the real main window."""

from __future__ import annotations

import logging
import sqlite3
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QFileDialog

from desktop_app.domain.retention import parse_backup_name
from desktop_app.services import backups
from desktop_app.ui import backup_actions
from desktop_app.ui.main_window import MainWindow

from .stall_watch import STALL_MS, StallWatch


@pytest.fixture
def window(ctx, qtbot) -> MainWindow:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def backup_files(ctx) -> list[Path]:
    folder = Path(ctx.engine.url.database).parent / "backups"
    return sorted(folder.glob("*.sqlite3")) if folder.exists() else []


def dossier_rows(ctx) -> list[tuple]:
    conn = sqlite3.connect(ctx.engine.url.database)
    try:
        return conn.execute("SELECT * FROM dossier ORDER BY id").fetchall()
    finally:
        conn.close()


def wait_idle(qtbot, win: MainWindow) -> None:
    qtbot.waitUntil(lambda: not win.backup_actions.busy, timeout=15000)


def test_the_data_menu_has_the_three_actions(window) -> None:
    menu = next(m for m in window.menuBar().findChildren(type(window.menuBar().actions()[0].menu()))
                if m.objectName() == "dataMenu")
    texts = [a.text().replace("&", "") for a in menu.actions() if not a.isSeparator()]
    assert texts == ["Sao lưu ngay", "Khôi phục từ bản sao lưu…", "Kiểm tra dữ liệu"]
    assert window.backup_actions.timer.isActive()
    assert window.backup_actions.timer.interval() == backup_actions.AUTO_CHECK_INTERVAL_MS


def test_sao_luu_ngay_writes_a_verified_backup(ctx, window, make_dossiers, qtbot) -> None:
    make_dossiers(3)
    window.backup_actions.backup_action.trigger()
    wait_idle(qtbot, window)
    [made] = backup_files(ctx)
    assert parse_backup_name(made.name).reason == "manual"
    assert "Đã sao lưu vào" in window.statusBar().currentMessage()
    conn = sqlite3.connect(made)
    assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert conn.execute("SELECT count(*) FROM dossier").fetchone()[0] == 3
    conn.close()


def test_restore_from_the_menu_brings_back_the_backup(ctx, window, make_dossiers, make_dossier, qtbot,
                                                      monkeypatch, message_boxes) -> None:
    make_dossiers(4)
    expected = dossier_rows(ctx)
    backup = backups.backup_now(ctx, "manual")
    make_dossier("Phạm Văn Sau Sao Lưu")
    window.refresh()
    assert window.model.rowCount() == 5
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    asked: list[str] = []
    monkeypatch.setattr(backup_actions, "ask_restore", lambda parent, name: asked.append(name) or True)
    window.backup_actions.restore_action.trigger()
    assert asked == [backup.name]
    wait_idle(qtbot, window)
    assert dossier_rows(ctx) == expected
    qtbot.waitUntil(lambda: window.model.rowCount() == 4, timeout=5000)
    boxes = message_boxes()
    assert len(boxes) == 1 and "Đã khôi phục 4 hồ sơ" in boxes[0].text()
    assert "đóng rồi mở lại" in boxes[0].text()
    assert "truockhoiphuc" in boxes[0].informativeText()
    # the list reads the restored data
    assert len(dossier_rows(ctx)) == 4


def test_restore_cancelled_or_refused_changes_nothing(ctx, window, make_dossiers, qtbot, monkeypatch,
                                                      message_boxes, tmp_path) -> None:
    make_dossiers(2)
    before = dossier_rows(ctx)
    backup = backups.backup_now(ctx, "manual")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(backup), ""))
    monkeypatch.setattr(backup_actions, "ask_restore", lambda parent, name: False)
    window.backup_actions.restore_action.trigger()
    assert not window.backup_actions.busy and dossier_rows(ctx) == before
    not_a_backup = tmp_path / "ghi-chu.sqlite3"
    not_a_backup.write_text("không phải bản sao lưu", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(not_a_backup), ""))
    monkeypatch.setattr(backup_actions, "ask_restore", lambda parent, name: True)
    window.backup_actions.restore_action.trigger()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(message_boxes()) == 1, timeout=5000)
    assert "không phải là bản sao lưu" in message_boxes()[0].text()
    assert dossier_rows(ctx) == before


def test_kiem_tra_du_lieu_reports_a_sound_database(window, qtbot, message_boxes) -> None:
    window.backup_actions.check_action.trigger()
    wait_idle(qtbot, window)
    qtbot.waitUntil(lambda: len(message_boxes()) == 1, timeout=5000)
    assert message_boxes()[0].text() == "Dữ liệu toàn vẹn, không có liên kết hỏng."


def test_automatic_backup_when_data_changed_and_30_minutes_passed(ctx, clock, window, make_dossier, qtbot) -> None:
    window.backup_actions.auto_backup()  # the timer's slot; never backed up yet: due
    wait_idle(qtbot, window)
    assert [parse_backup_name(p.name).reason for p in backup_files(ctx)] == ["auto"]
    clock.now += timedelta(hours=2)
    window.backup_actions.auto_backup()  # nothing changed: no new backup
    wait_idle(qtbot, window)
    assert len(backup_files(ctx)) == 1
    make_dossier("Vũ Thị Thu")
    clock.now += timedelta(minutes=10)
    window.backup_actions.auto_backup()
    wait_idle(qtbot, window)
    assert len(backup_files(ctx)) == 2  # changed, and two hours since the last backup
    make_dossier("Vũ Văn Đông")
    clock.now += timedelta(minutes=10)
    window.backup_actions.auto_backup()  # changed, but only 10 minutes since
    wait_idle(qtbot, window)
    assert len(backup_files(ctx)) == 2


def test_a_backup_at_exit_only_when_data_changed(ctx, clock, qtbot, make_dossier) -> None:
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.show()
    make_dossier("Đỗ Văn Thoát")
    first.close()
    made = backup_files(ctx)
    assert [parse_backup_name(p.name).reason for p in made] == ["exit"]
    clock.now += timedelta(hours=1)
    second = MainWindow(ctx)
    qtbot.addWidget(second)
    second.show()
    second.close()
    assert backup_files(ctx) == made  # nothing changed: no second backup


def test_the_window_keeps_painting_while_the_backup_at_exit_runs(ctx, qtbot, make_dossier, monkeypatch) -> None:
    """A backup of 200,000 dossiers takes seconds; here a slowed-down backup stands for it."""
    real_backup_now = backups.backup_now
    seen: dict[str, object] = {}

    def slow_backup_now(ctx_, reason):
        seen["thread"] = threading.current_thread() is threading.main_thread()
        time.sleep(0.7)
        return real_backup_now(ctx_, reason)

    monkeypatch.setattr(backups, "backup_now", slow_backup_now)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    make_dossier("Lê Thị Đóng")

    def look() -> None:
        dialogs = [d for d in QApplication.topLevelWidgets() if d.objectName() == "exitBackupProgress"]
        seen["shown"] = [d.labelText() for d in dialogs if d.isVisible()]
        seen["window enabled"] = win.isEnabled()
        win.close()  # a second click on × meanwhile is ignored: the window waits for the backup

    QTimer.singleShot(600, look)
    with StallWatch() as watch:
        win.close()
    assert seen["thread"] is False  # the backup ran on a worker
    assert seen["shown"] == ["Đang sao lưu dữ liệu trước khi đóng chương trình…"]
    assert seen["window enabled"] is False  # nothing can be started while it closes
    assert watch.worst_ms < STALL_MS, watch.verdict()
    assert not win.isVisible()
    assert [parse_backup_name(p.name).reason for p in backup_files(ctx)] == ["exit"]
    assert not [d for d in QApplication.topLevelWidgets() if d.objectName() == "exitBackupProgress" and d.isVisible()]


def test_a_failed_backup_at_exit_does_not_stop_closing(ctx, qtbot, make_dossier, monkeypatch, caplog) -> None:
    def broken(_ctx, _reason):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(backups, "backup_now", broken)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    make_dossier("Trần Văn Đầy")
    with caplog.at_level(logging.WARNING):
        win.close()
    assert not win.isVisible()
    assert backup_files(ctx) == []
    assert "Backup at exit failed: OSError" in caplog.text

"""The main window's tabs (list, warnings queue, dashboard), the daily re-check of warnings that
depend on the date, and loading a newer scoring file."""

from __future__ import annotations

import json
from datetime import datetime

from PySide6.QtWidgets import QFileDialog

from desktop_app.services import dossiers, stats
from desktop_app.ui.main_window import MainWindow


def _window(ctx, qtbot) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def test_three_tabs_in_vietnamese(ctx, qtbot):
    window = _window(ctx, qtbot)
    assert [window.tabs.tabText(i) for i in range(window.tabs.count())] == ["Hồ sơ", "Cảnh báo", "Tổng quan"]
    assert window.tabs.widget(1) is window.warnings_queue


def test_warnings_depending_on_the_date_are_rechecked_when_the_day_changes(ctx, clock, qtbot, make_dossier):
    clock.now = datetime(2026, 2, 9, 9, 0)  # Monday
    code = make_dossier("Lê Văn Tám", received_at=datetime(2026, 2, 9, 8, 30))
    window = _window(ctx, qtbot)
    qtbot.waitUntil(lambda: window._evaluated_day == clock.now.date(), timeout=5000)
    assert "NOT_SYNCED" not in dossiers.find_by_code(ctx, code).warnings
    clock.now = datetime(2026, 2, 11, 8, 0)  # Wednesday: more than one working day later
    window.check_day_changed()
    qtbot.waitUntil(lambda: window._evaluated_day == clock.now.date(), timeout=5000)
    assert "NOT_SYNCED" in dossiers.find_by_code(ctx, code).warnings


def test_a_dossier_opened_from_the_queue_shows_in_the_dossier_dialog(ctx, qtbot, make_dossier):
    code = make_dossier("Trần Thị Mai")
    window = _window(ctx, qtbot)
    view = dossiers.find_by_code(ctx, code)
    window.warnings_queue.openDossier.emit(view.id)
    assert window.dossier_dialog is not None
    assert code in window.dossier_dialog.windowTitle()


def test_loading_a_scoring_file_from_the_menu(ctx, qtbot, tmp_path, monkeypatch, message_boxes):
    data = json.loads(stats.default_scoring_file().read_text(encoding="utf-8"))
    data["version"] = "766-2026.1"
    path = tmp_path / "766-2026.json"
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window = _window(ctx, qtbot)
    window.scoring_action.trigger()
    assert stats.load_scoring(ctx).version == "766-2026.1"
    assert any("766-2026.1" in box.text() for box in message_boxes())


def test_a_bad_scoring_file_from_the_menu_changes_nothing(ctx, qtbot, tmp_path, monkeypatch, message_boxes):
    path = tmp_path / "bad.json"
    path.write_text('{"version": "x", "groups": [], "indicators": [{"code": "NOPE"}]}', encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window = _window(ctx, qtbot)
    window.scoring_action.trigger()
    assert stats.load_scoring(ctx).version == "766-2025.1"
    assert any("NOPE" in box.text() for box in message_boxes())

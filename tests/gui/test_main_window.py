"""The main window driven as an officer would: search, filters, keys, dialogs, remembered layout;
and ``ui.app.run`` refusing a bad database or showing unexpected errors."""

from __future__ import annotations

import sys
import types
from datetime import datetime

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt, QTimer, Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from desktop_app.domain.status import Action, Channel, Status
from desktop_app.services import dossiers, setup
from desktop_app.services.logs import log_path
from desktop_app.ui import app as app_module
from desktop_app.ui.dossier_table_model import COLUMN_APPLICANT, COLUMN_CODE, COLUMN_PROCEDURE, COLUMN_STATUS
from desktop_app.ui.main_window import MainWindow, format_count

# --- stand-ins for the dialogs other modules provide (same constructor and signals) ----------


class FakeIntakeDialog(QDialog):
    saved = Signal(str)

    def __init__(self, ctx, officer_id, parent=None) -> None:
        super().__init__(parent)
        self.ctx, self.officer_id = ctx, officer_id


class FakeDossierDialog(QDialog):
    changed = Signal()

    def __init__(self, ctx, dossier_id, officer_id, parent=None) -> None:
        super().__init__(parent)
        self.ctx, self.dossier_id, self.officer_id = ctx, dossier_id, officer_id


class FakeSettingsDialog(QDialog):
    changed = Signal()

    def __init__(self, ctx, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx


@pytest.fixture
def fake_dialogs(monkeypatch: pytest.MonkeyPatch) -> None:
    for module, name, cls in (
        ("intake_dialog", "IntakeDialog", FakeIntakeDialog),
        ("dossier_dialog", "DossierDialog", FakeDossierDialog),
        ("settings_dialog", "SettingsDialog", FakeSettingsDialog),
    ):
        fake = types.ModuleType(f"desktop_app.ui.{module}")
        setattr(fake, name, cls)
        monkeypatch.setitem(sys.modules, f"desktop_app.ui.{module}", fake)


@pytest.fixture
def window(ctx, qtbot) -> MainWindow:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.activateWindow()
    return win


def applicants(win: MainWindow) -> list[str]:
    model = win.model
    return [model.data(model.index(r, COLUMN_APPLICANT)) for r in range(model.rowCount())]


def select_row(win: MainWindow, row: int) -> None:
    win.table.setFocus()
    win.table.setCurrentIndex(win.model.index(row, 0))


# --- the list ----------------------------------------------------------------------------------


def test_title_count_and_menus(ctx, make_dossiers, qtbot) -> None:
    make_dossiers(3)
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    assert win.windowTitle() == "Sổ Một Cửa — UBND xã Phú Lạc"
    assert win.count_label.text() == "3 hồ sơ"
    menus = [action.text() for action in win.menuBar().actions()]
    assert menus == ["&Hồ sơ", "&Cài đặt", "&Dữ liệu", "&Báo cáo", "&Excel", "&Trợ giúp"]
    assert win.intake_action.shortcut().toString() == "Ctrl+N"
    assert win.intake_action.iconText() == "Tiếp nhận (Ctrl+N)"
    assert win.find_action.shortcut().toString() == "Ctrl+F"
    assert win.table.isSortingEnabled() and win.table.alternatingRowColors()
    assert format_count(200000) == "200.000"


def test_search_without_diacritics_after_the_debounce(window, make_dossier, qtbot, type_text) -> None:
    for name in ("Đặng Thị Ánh", "Đặng Văn Bình", "Nguyễn Thị Ánh", "Trần Văn Dũng"):
        make_dossier(name)
    window.refresh()
    assert window.model.rowCount() == 4

    window.filter_bar.search_edit.setFocus()
    type_text(window.filter_bar.search_edit, "dang thi anh")
    assert window.filter_bar.search_edit.text() == "dang thi anh"
    assert window.model.rowCount() == 4  # not yet: the search waits for the typing to pause
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=2000)
    assert applicants(window) == ["Đặng Thị Ánh"]
    assert window.count_label.text() == "1 hồ sơ"

    window.filter_bar.search_edit.clear()
    type_text(window.filter_bar.search_edit, "Ánh")  # with diacritics too
    qtbot.waitUntil(lambda: window.model.rowCount() == 2, timeout=2000)
    assert sorted(applicants(window)) == ["Nguyễn Thị Ánh", "Đặng Thị Ánh"]


def test_search_by_code(window, make_dossier, qtbot, type_text) -> None:
    make_dossier("Một")
    code = make_dossier("Hai")
    window.refresh()
    type_text(window.filter_bar.search_edit, code[-6:])
    qtbot.waitUntil(lambda: window.model.rowCount() == 1, timeout=2000)
    assert window.model.data(window.model.index(0, COLUMN_CODE)) == code


def test_status_channel_and_period_filters(ctx, window, make_dossier, qtbot) -> None:
    make_dossier("Hôm Nay Trực Tuyến", channel=Channel.TRUC_TUYEN, received_at=datetime(2026, 2, 12, 8, 0))
    make_dossier("Hôm Nay Trực Tiếp", received_at=datetime(2026, 2, 12, 9, 0))
    done = make_dossier("Tuần Trước", received_at=datetime(2026, 2, 5, 9, 0))
    make_dossier("Đầu Tháng", received_at=datetime(2026, 2, 2, 9, 0))
    make_dossier("Tháng Trước", received_at=datetime(2026, 1, 20, 9, 0))
    dossiers.perform_action(ctx, dossiers.find_by_code(ctx, done).id, dossiers.ActionInput(Action.CO_KET_QUA))
    window.refresh()
    bar = window.filter_bar
    assert window.model.rowCount() == 5

    bar.status_combo.setCurrentIndex(bar.status_combo.findText(Status.DA_XU_LY_XONG.label))
    assert applicants(window) == ["Tuần Trước"]
    bar.status_combo.setCurrentIndex(bar.status_combo.findText("Đang mở (chưa kết thúc)"))
    assert window.model.rowCount() == 4
    bar.status_combo.setCurrentIndex(0)

    bar.channel_combo.setCurrentIndex(bar.channel_combo.findText("Trực tuyến"))
    assert applicants(window) == ["Hôm Nay Trực Tuyến"]
    bar.channel_combo.setCurrentIndex(0)

    # "today" is the app's clock (12/02/2026), not the machine's
    bar.period_combo.setCurrentIndex(bar.period_combo.findText("Hôm nay"))
    assert sorted(applicants(window)) == ["Hôm Nay Trực Tiếp", "Hôm Nay Trực Tuyến"]
    bar.period_combo.setCurrentIndex(bar.period_combo.findText("Tuần này"))  # 09–15/02
    assert window.model.rowCount() == 2
    bar.period_combo.setCurrentIndex(bar.period_combo.findText("Tháng này"))
    assert window.model.rowCount() == 4
    assert not bar.date_from.isVisible()
    bar.period_combo.setCurrentIndex(bar.period_combo.findText("Tùy chọn…"))
    assert bar.date_from.isVisible() and bar.date_from.displayFormat() == "dd/MM/yyyy"
    bar.date_from.setDate(bar.date_from.date().fromString("01/01/2026", "dd/MM/yyyy"))
    bar.date_to.setDate(bar.date_to.date().fromString("05/02/2026", "dd/MM/yyyy"))
    assert sorted(applicants(window)) == ["Tháng Trước", "Tuần Trước", "Đầu Tháng"]
    assert bar.period_text() == "01/01/2026 – 05/02/2026"

    bar.clear()
    assert window.model.rowCount() == 5
    assert window.count_label.text() == "5 hồ sơ"


def test_procedure_and_officer_filters(ctx, window, make_dossier) -> None:
    other = setup.save_officer(ctx, "binh.tv", "Trần Văn Bình")
    make_dossier("Của Lan")
    make_dossier("Của Bình", officer_id=other.id, search="chung thuc")
    window.filter_bar.reload_choices()
    bar = window.filter_bar
    bar.officer_combo.setCurrentIndex(bar.officer_combo.findText("Trần Văn Bình"))
    assert applicants(window) == ["Của Bình"]
    bar.officer_combo.setCurrentIndex(0)
    procedure_name = window.model.data(window.model.index(0, COLUMN_PROCEDURE))
    assert bar.procedure_combo.findText(procedure_name) > 0
    bar.procedure_combo.setCurrentIndex(bar.procedure_combo.findText(procedure_name))
    assert window.model.rowCount() == 1


def test_ctrl_f_focuses_the_search_box(window, qtbot) -> None:
    window.table.setFocus()
    qtbot.waitUntil(window.table.hasFocus, timeout=1000)
    QTest.keyClick(window.table, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.filter_bar.search_edit.hasFocus, timeout=1000)


def test_sorting_by_clicking_the_header(window, make_dossiers, qtbot) -> None:
    make_dossiers(4, ["Đặng Thị Ánh", "Bùi Văn Cường", "Âu Thị Hà", "Lê Văn Dũng"])
    window.refresh()
    header = window.table.horizontalHeader()
    x = header.sectionViewportPosition(COLUMN_APPLICANT) + 10
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, 5))
    assert window.model.sort_key == "applicant"
    names = applicants(window)
    assert names in (["Âu Thị Hà", "Bùi Văn Cường", "Đặng Thị Ánh", "Lê Văn Dũng"],
                     ["Lê Văn Dũng", "Đặng Thị Ánh", "Bùi Văn Cường", "Âu Thị Hà"])


# --- dialogs -----------------------------------------------------------------------------------


def test_ctrl_n_opens_intake_and_a_saved_dossier_appears(ctx, window, make_dossier, fake_dialogs, qtbot) -> None:
    make_dossier("Có Sẵn")
    window.refresh()
    window.table.setFocus()
    QTest.keyClick(window.table, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: window.intake_dialog is not None and window.intake_dialog.isVisible(), timeout=1000)
    dialog = window.intake_dialog
    assert isinstance(dialog, FakeIntakeDialog)
    assert dialog.officer_id == window.current_officer_id() == ctx.test_officer_id
    assert dialog.isModal()  # open(): window-modal, not a nested event loop

    window.intake_action.trigger()  # a second Ctrl+N while it is open raises the same dialog
    assert window.intake_dialog is dialog

    code = make_dossier("Mới Tiếp Nhận", received_at=datetime(2026, 2, 12, 9, 59))
    dialog.saved.emit(code)
    dialog.accept()
    assert window.model.rowCount() == 2
    assert window.count_label.text() == "2 hồ sơ"
    assert code in window.statusBar().currentMessage()
    assert window.model.data(window.model.index(0, COLUMN_CODE)) == code


def test_enter_and_double_click_open_the_dossier(ctx, window, make_dossiers, fake_dialogs, qtbot) -> None:
    make_dossiers(5)
    window.refresh()
    select_row(window, 2)
    QTest.keyClick(window.table, Qt.Key.Key_Return)
    dialog = window.dossier_dialog
    assert isinstance(dialog, FakeDossierDialog) and dialog.isVisible()
    assert dialog.dossier_id == window.model.dossier_id(2)
    assert dialog.officer_id == ctx.test_officer_id
    dialog.reject()

    rect = window.table.visualRect(window.model.index(4, COLUMN_APPLICANT))
    qtbot.mouseClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(window.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.dossier_dialog is not dialog
    assert window.dossier_dialog.dossier_id == window.model.dossier_id(4)


def test_a_change_refreshes_and_keeps_the_selected_dossier(ctx, window, make_dossiers, make_dossier,
                                                           fake_dialogs) -> None:
    make_dossiers(6)
    window.refresh()
    select_row(window, 3)
    chosen = window.selected_dossier_id()
    window.open_selected()
    dialog = window.dossier_dialog
    dossiers.perform_action(ctx, chosen, dossiers.ActionInput(Action.CO_KET_QUA))
    make_dossier("Người Mới", received_at=datetime(2026, 2, 12, 9, 30))  # a new row above it
    dialog.changed.emit()
    assert window.model.rowCount() == 7
    assert window.selected_dossier_id() == chosen
    row = window.table.currentIndex().row()
    assert row == 4
    assert window.model.data(window.model.index(row, COLUMN_STATUS)) == "Đã xử lý xong"


def test_settings_changes_update_title_officers_and_choices(ctx, window, fake_dialogs) -> None:
    window.settings_action.trigger()
    dialog = window.settings_dialog
    assert isinstance(dialog, FakeSettingsDialog) and dialog.isVisible()
    profile = setup.get_profile(ctx)
    setup.save_profile(ctx, setup.ProfileInput(unit_name="UBND phường Đông Hà", unit_code=profile.unit_code,
                                               place_name="Đông Hà"))
    setup.save_officer(ctx, "binh.tv", "Trần Văn Bình")
    dialog.changed.emit()
    assert window.windowTitle() == "Sổ Một Cửa — UBND phường Đông Hà"
    picker = window.officer_picker
    assert [picker.itemText(i) for i in range(picker.count())] == ["Nguyễn Thị Lan", "Trần Văn Bình"]
    assert window.current_officer_id() == ctx.test_officer_id
    assert window.filter_bar.officer_combo.findText("Trần Văn Bình") > 0


def test_a_missing_dialog_module_gives_a_clear_message(window, make_dossiers, monkeypatch, message_boxes) -> None:
    monkeypatch.setitem(sys.modules, "desktop_app.ui.dossier_dialog", None)  # import fails
    make_dossiers(1)
    window.refresh()
    select_row(window, 0)
    window.open_action.trigger()
    boxes = message_boxes()
    assert len(boxes) == 1
    assert "Mở hồ sơ" in boxes[0].text() and "chưa có" in boxes[0].text()
    assert window.dossier_dialog is None


def test_open_without_a_selection_says_what_to_do(window) -> None:
    window.open_selected()
    assert "Hãy chọn" in window.statusBar().currentMessage()


def test_the_real_dialogs_open_from_the_window(window, make_dossiers, qtbot) -> None:
    """The modules written beside this window plug in with the agreed constructors and signals."""
    from desktop_app.ui import dossier_dialog as dossier
    from desktop_app.ui import intake_dialog as intake
    from desktop_app.ui import settings_dialog as settings

    make_dossiers(2)
    window.refresh()

    window.intake_action.trigger()
    assert isinstance(window.intake_dialog, intake.IntakeDialog) and window.intake_dialog.isVisible()
    window.intake_dialog.reject()

    select_row(window, 1)
    window.open_action.trigger()
    assert isinstance(window.dossier_dialog, dossier.DossierDialog) and window.dossier_dialog.isVisible()
    assert window.dossier_dialog.dossier_id == window.model.dossier_id(1)
    window.dossier_dialog.reject()

    window.settings_action.trigger()
    assert isinstance(window.settings_dialog, settings.SettingsDialog) and window.settings_dialog.isVisible()
    window.settings_dialog.reject()


# --- remembered between runs --------------------------------------------------------------------


def test_column_widths_and_window_size_are_remembered(ctx, qtbot, qt_settings) -> None:
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    first.resize(700, 500)
    first.table.horizontalHeader().resizeSection(COLUMN_APPLICANT, 333)
    first.close()
    assert QSettings().fileName().startswith(str(qt_settings))

    second = MainWindow(ctx)
    qtbot.addWidget(second)
    assert second.table.horizontalHeader().sectionSize(COLUMN_APPLICANT) == 333
    assert (second.width(), second.height()) == (700, 500)


def test_current_officer_is_remembered(ctx, qtbot) -> None:
    other = setup.save_officer(ctx, "an.nv", "Nguyễn Văn An")
    first = MainWindow(ctx)
    qtbot.addWidget(first)
    assert first.officer_picker.set_current_officer_id(other.id)
    assert first.current_officer_id() == other.id
    first.close()

    second = MainWindow(ctx)
    qtbot.addWidget(second)
    assert second.current_officer_id() == other.id
    assert second.officer_picker.currentText() == "Nguyễn Văn An"


# --- ui.app -------------------------------------------------------------------------------------


def test_run_refuses_a_file_that_is_not_a_database(tmp_path, monkeypatch) -> None:
    bad = tmp_path / "hong.sqlite3"
    bad.write_bytes(b"this is not sqlite at all")
    shown: list[tuple[str, str]] = []
    monkeypatch.setattr(app_module, "show_startup_error", lambda message, action: shown.append((message, action)))
    assert app_module.run(str(bad)) == 1
    assert len(shown) == 1
    assert "không phải là cơ sở dữ liệu" in shown[0][0]
    assert shown[0][1]  # and what to do


def test_run_quits_when_the_first_run_wizard_is_cancelled(tmp_path, monkeypatch) -> None:
    asked: list[object] = []

    def cancelled(ctx) -> bool:
        asked.append(ctx)
        return False

    monkeypatch.setattr(app_module, "run_first_run_wizard", cancelled)
    assert app_module.run(str(tmp_path / "moi.sqlite3")) == 0
    assert len(asked) == 1
    assert QApplication.instance().applicationName() == "Sổ Một Cửa"
    assert QApplication.instance().organizationName() == "SoMotCua"


def test_run_opens_the_main_window_of_a_configured_database(ctx, monkeypatch, qtbot) -> None:
    url_path = ctx.url.removeprefix("sqlite:///")
    windows: list[MainWindow] = []

    def create(opened_ctx):
        win = MainWindow(opened_ctx)
        windows.append(win)
        QTimer.singleShot(0, win.close)  # leave app.exec() at once
        return win

    monkeypatch.setattr(app_module, "create_main_window", create)
    monkeypatch.setattr(app_module, "run_first_run_wizard", lambda ctx: pytest.fail("already configured"))
    assert app_module.run(url_path) == 0
    assert windows and windows[0].windowTitle() == "Sổ Một Cửa — UBND xã Phú Lạc"
    family = QApplication.instance().font().family()
    assert QFontDatabase.WritingSystem.Vietnamese in QFontDatabase.writingSystems(family)
    windows[0].deleteLater()


def test_unexpected_errors_are_logged_and_shown_with_the_log_path(message_boxes, caplog) -> None:
    parent = QWidget()
    try:
        raise ValueError("lỗi lập trình")
    except ValueError as error:
        app_module.handle_exception(ValueError, error, error.__traceback__)
    boxes = message_boxes()
    assert len(boxes) == 1
    assert boxes[0].text().startswith("Đã xảy ra lỗi không mong muốn")
    assert str(log_path()) in boxes[0].informativeText()
    assert any("ValueError" in (r.exc_text or "") or r.exc_info for r in caplog.records)
    parent.deleteLater()


def test_emitting_many_signals_does_not_wear_out_true() -> None:
    """PySide6 6.12 loses a reference to True per emit(); ui.common puts it back (else: abort)."""
    from PySide6.QtCore import QObject

    class Sender(QObject):
        ping = Signal(int)

    sender = Sender()
    received: list[int] = []
    sender.ping.connect(received.append)
    before = sys.getrefcount(True)
    for i in range(5000):
        sender.ping.emit(i)
    assert len(received) == 5000
    assert sys.getrefcount(True) >= before


def test_window_font_covers_vietnamese(qapp) -> None:
    family = app_module.set_vietnamese_font(qapp)
    assert QFontDatabase.WritingSystem.Vietnamese in QFontDatabase.writingSystems(family)


def test_an_empty_list(window) -> None:
    assert window.model.rowCount() == 0
    assert window.count_label.text() == "0 hồ sơ"
    assert window.selected_dossier_id() is None

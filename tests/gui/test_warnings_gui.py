"""Warnings in the GUI (SPEC §2 step 5): the list's warnings column and filter, the office-wide
queue (order by points at stake, header sorting, the bulk "đã nhập" action, loading off the UI
thread) and the dossier form's problems panel with its "Sửa ngay" buttons."""

from __future__ import annotations

import threading
from datetime import date, datetime

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QIcon
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktop_app.domain.rules import RULES_BY_CODE
from desktop_app.domain.status import Action, Channel
from desktop_app.domain.text import sort_key
from desktop_app.services import catalogue, dossiers, intake, setup, warnings
from desktop_app.storage.models import DossierWarning
from desktop_app.ui.dossier_table_model import COLUMN_APPLICANT, COLUMN_WARNINGS, DossierTableModel
from desktop_app.ui.warnings_queue import (
    COLUMN_OFFICER,
    COLUMN_POINTS,
    COLUMN_RULE,
    WarningsQueueWidget,
    age_text,
    format_points,
    period_dates,
)

MONDAY = datetime(2026, 2, 9, 9, 0)
WEDNESDAY = datetime(2026, 2, 11, 9, 0)
TOOLTIP = Qt.ItemDataRole.ToolTipRole


def title(code: str) -> str:
    return RULES_BY_CODE[code].title


def clean_dossier(ctx, name: str = "Hồ Sơ Sạch") -> str:
    """An online dossier of a 3-day procedure, identity checked, papers from the kho: no warning."""
    proc = catalogue.list_procedures(ctx, search="tình trạng hôn nhân")[0]
    draft = intake.DossierDraft(
        procedure_id=proc.id, applicant_name=name, id_number="001203004545", channel=Channel.TRUC_TUYEN,
        identity_checked=True, identity_method="vneid", officer_id=ctx.test_officer_id,
        components=[intake.ComponentDraft(name=c.name, procedure_component_id=c.id, from_kho=True)
                    for c in proc.components],
    )
    return intake.receive_dossier(ctx, draft)


def stored_rules(ctx, dossier_id) -> set[str]:
    with ctx.read() as session:
        return set(session.scalars(
            DossierWarning.__table__.select().with_only_columns(DossierWarning.rule)
            .where(DossierWarning.dossier_id == dossier_id)
        ))


# ---------------------------------------------------------------------------- the dossier list


def test_list_shows_the_warning_count_icon_and_titles(ctx, clock, make_dossier) -> None:
    clock.now = MONDAY
    warned = make_dossier("Có Cảnh Báo", received_at=MONDAY)
    clean = clean_dossier(ctx)
    model = DossierTableModel(ctx)
    model.sort(COLUMN_APPLICANT, Qt.SortOrder.AscendingOrder)
    rows = {model.data(model.index(r, 0)): r for r in range(model.rowCount())}
    assert model.headerData(COLUMN_WARNINGS, Qt.Orientation.Horizontal) == "Cảnh báo"

    expected = dossiers.find_by_code(ctx, warned).warnings
    assert len(expected) >= 3
    cell = model.index(rows[warned], COLUMN_WARNINGS)
    assert model.data(cell) == str(len(expected))
    assert isinstance(model.data(cell, Qt.ItemDataRole.DecorationRole), QIcon)
    tip = model.data(cell, TOOLTIP)
    assert tip.splitlines()[0] == f"{len(expected)} cảnh báo làm mất điểm 766:"
    assert tip.splitlines()[1:] == [f"• {title(code)}" for code in expected]
    assert "Chưa xác thực định danh công dân" in tip

    empty = model.index(rows[clean], COLUMN_WARNINGS)
    assert model.data(empty) == ""
    assert model.data(empty, Qt.ItemDataRole.DecorationRole) is None
    assert model.data(empty, TOOLTIP) is None


def test_list_sorts_by_number_of_warnings(ctx, clock, make_dossier) -> None:
    clock.now = MONDAY
    make_dossier("Nhiều Cảnh Báo", received_at=MONDAY)
    clean_dossier(ctx)
    model = DossierTableModel(ctx)
    model.sort(COLUMN_WARNINGS, Qt.SortOrder.DescendingOrder)
    assert [model.data(model.index(r, COLUMN_APPLICANT)) for r in range(2)] == ["Nhiều Cảnh Báo", "Hồ Sơ Sạch"]
    model.sort(COLUMN_WARNINGS, Qt.SortOrder.AscendingOrder)
    assert model.data(model.index(0, COLUMN_APPLICANT)) == "Hồ Sơ Sạch"


def test_filter_bar_warning_box_and_rule_combo_filter_the_main_list(ctx, clock, make_dossier, qtbot) -> None:
    from desktop_app.ui.main_window import MainWindow

    clock.now = MONDAY
    make_dossier("Chưa Xác Thực", received_at=MONDAY)
    make_dossier("Đã Xác Thực", received_at=MONDAY, identity_checked=True, identity_method="vneid")
    clean_dossier(ctx)
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    bar = window.filter_bar

    def names() -> list[str]:
        model = window.model
        return sorted(model.data(model.index(r, COLUMN_APPLICANT)) for r in range(model.rowCount()))

    assert names() == ["Chưa Xác Thực", "Hồ Sơ Sạch", "Đã Xác Thực"]
    assert bar.warnings_box.text() == "Có cảnh báo"
    with qtbot.waitSignal(bar.filterChanged) as blocker:
        qtbot.mouseClick(bar.warnings_box, Qt.MouseButton.LeftButton,
                         pos=QPoint(8, bar.warnings_box.height() // 2))
    assert bar.warnings_box.isChecked()
    assert blocker.args[0].has_warnings is True
    assert names() == ["Chưa Xác Thực", "Đã Xác Thực"]

    assert bar.rule_combo.itemText(0) == "Cảnh báo: Tất cả"
    bar.rule_combo.setCurrentIndex(bar.rule_combo.findData("IDENTITY_NOT_CHECKED"))
    assert bar.rule_combo.currentText() == "Chưa xác thực định danh công dân"
    assert names() == ["Chưa Xác Thực"]

    bar.clear()
    assert not bar.warnings_box.isChecked() and bar.rule_combo.currentIndex() == 0
    assert len(names()) == 3


# ---------------------------------------------------------------------------- the queue


@pytest.fixture
def office(ctx, clock, make_dossier):
    """Six dossiers received on Monday by two officers; it is now Wednesday, so the ones not
    ticked as entered in the provincial system carry NOT_SYNCED (re-evaluated as on start)."""
    binh = setup.save_officer(ctx, "binh.tv", "Trần Văn Bình", "tiep_nhan")
    clock.now = MONDAY
    codes = []
    for index, name in enumerate(["Đặng Thị Ánh", "Bùi Văn Cường", "Nguyễn Văn An", "Lê Thị Hoa"]):
        officer = binh.id if index % 2 else ctx.test_officer_id
        codes.append(make_dossier(name, received_at=MONDAY, officer_id=officer))
    codes.append(make_dossier("Chứng Thực Phí", search="chứng thực bản sao", received_at=MONDAY,
                              channel=Channel.TRUC_TUYEN, fee=4000, payment_method="tien_mat"))
    codes.append(clean_dossier(ctx, "Đã Đồng Bộ"))
    synced = dossiers.find_by_code(ctx, codes[-1])
    dossiers.mark_synced(ctx, [synced.id])
    clock.now = WEDNESDAY
    warnings.reevaluate_time_dependent(ctx)
    return [dossiers.find_by_code(ctx, code) for code in codes]


def make_queue(ctx, qtbot, officer_id=None) -> WarningsQueueWidget:
    queue = WarningsQueueWidget(ctx, lambda: officer_id)
    qtbot.addWidget(queue)
    queue.resize(1200, 600)
    with qtbot.waitSignal(queue.loaded, timeout=10000):
        queue.show()  # the first show starts the load
    qtbot.waitUntil(lambda: not queue.is_busy(), timeout=10000)
    return queue


def shown(queue: WarningsQueueWidget) -> list[tuple[str, str]]:
    return [(item.code, item.rule) for item in queue.visible_items()]


def click_header(qtbot, queue: WarningsQueueWidget, column: int) -> None:
    header = queue.table.horizontalHeader()
    x = header.sectionViewportPosition(column) + header.sectionSize(column) // 2
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(x, header.height() // 2))


def test_queue_is_sorted_by_points_at_stake_like_the_service(ctx, office, qtbot) -> None:
    queue = make_queue(ctx, qtbot)
    start, end = period_dates("month", WEDNESDAY.date())
    assert (start, end) == (date(2026, 2, 1), date(2026, 2, 11))
    expected = warnings.open_warnings(ctx, start, end)
    assert len(expected) > 10
    assert shown(queue) == [(item.code, item.rule) for item in expected]
    points = [item.points_at_stake for item in queue.visible_items()]
    assert points == sorted(points, reverse=True) and points[0] > 0
    header = queue.table.horizontalHeader()
    assert header.sortIndicatorSection() == COLUMN_POINTS
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder

    model = queue.table.model()
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(model.columnCount())]
    assert headers == ["Mã hồ sơ", "Chủ hồ sơ", "Thủ tục", "Cảnh báo", "Điểm có thể lấy lại", "Cán bộ", "Tuổi"]
    first = expected[0]
    assert model.data(model.index(0, COLUMN_POINTS)) == format_points(first.points_at_stake)
    assert model.data(model.index(0, COLUMN_RULE)) == title(first.rule)
    assert model.data(model.index(0, 6)) in ("Hôm nay", "1 ngày", "2 ngày")
    total = sum(item.points_at_stake for item in expected)
    assert queue.summary_label.text() == (
        f"<b>{len(expected)} cảnh báo · tổng {format_points(total)} điểm có thể lấy lại</b>"
    )


def test_points_and_ages_are_written_the_vietnamese_way() -> None:
    from decimal import Decimal

    assert format_points(Decimal("1.25")) == "1,25"
    assert format_points(Decimal("0.5")) == "0,50"
    assert format_points(Decimal("1234.5")) == "1.234,50"
    assert age_text(3) == "3 ngày"
    assert age_text(0) == "Hôm nay"


def test_header_clicks_sort_by_rule_and_by_officer(ctx, office, qtbot) -> None:
    queue = make_queue(ctx, qtbot)
    click_header(qtbot, queue, COLUMN_RULE)
    titles = [title(item.rule) for item in queue.visible_items()]
    assert titles == sorted(titles, key=sort_key)
    assert len(set(titles)) > 3
    click_header(qtbot, queue, COLUMN_RULE)  # again: Z→A
    titles = [title(item.rule) for item in queue.visible_items()]
    assert titles == sorted(titles, key=sort_key, reverse=True)

    click_header(qtbot, queue, COLUMN_OFFICER)
    officers = [item.officer_name for item in queue.visible_items()]
    assert officers == sorted(officers, key=sort_key)
    assert {"Nguyễn Thị Lan", "Trần Văn Bình"} <= set(officers)
    assert queue.table.horizontalHeader().sortIndicatorSection() == COLUMN_OFFICER

    click_header(qtbot, queue, COLUMN_POINTS)
    click_header(qtbot, queue, COLUMN_POINTS)
    points = [item.points_at_stake for item in queue.visible_items()]
    assert points == sorted(points, reverse=True)


def test_rule_filter_and_my_dossiers(ctx, office, qtbot) -> None:
    queue = make_queue(ctx, qtbot, officer_id=ctx.test_officer_id)
    everything = shown(queue)
    queue.set_rule_filter("NOT_SYNCED")
    assert queue.rule_combo.currentText().startswith("Chưa nhập / đồng bộ lên hệ thống của tỉnh (")
    rows = shown(queue)
    assert rows and {rule for _, rule in rows} == {"NOT_SYNCED"}
    assert rows == [row for row in everything if row[1] == "NOT_SYNCED"]
    assert queue.summary_label.text().startswith(f"<b>{len(rows)} cảnh báo")

    queue.mine_box.setChecked(True)
    assert {item.officer_name for item in queue.visible_items()} == {"Nguyễn Thị Lan"}
    queue.mine_box.setChecked(False)
    queue.set_rule_filter(None)
    assert shown(queue) == everything


def test_bulk_mark_synced_marks_the_selected_not_synced_rows_only(ctx, office, qtbot) -> None:
    queue = make_queue(ctx, qtbot)
    items = queue.visible_items()
    not_synced = [row for row, item in enumerate(items) if item.rule == "NOT_SYNCED"][:3]
    other = next(row for row, item in enumerate(items) if item.rule != "NOT_SYNCED")
    assert len(not_synced) == 3
    chosen = [items[row].dossier_id for row in not_synced]
    untouched = next(d for d in office if d.id not in chosen and "NOT_SYNCED" in d.warnings)

    selection = queue.table.selectionModel()
    for row in [*not_synced, other]:
        selection.select(queue.proxy.index(row, 0), selection.SelectionFlag.Select | selection.SelectionFlag.Rows)
    assert queue.sync_button.isEnabled()
    qtbot.mouseClick(queue.sync_button, Qt.MouseButton.LeftButton)
    box = queue.confirm_box
    assert box is not None and box.isVisible()
    assert box.text() == "Đánh dấu 3 hồ sơ là đã nhập lên hệ thống một cửa của tỉnh?"
    assert "1 dòng có cảnh báo khác được bỏ qua." in box.informativeText()
    assert not any(dossiers.get_dossier(ctx, d).synced for d in chosen)  # nothing before the answer

    with qtbot.waitSignal(queue.changed, timeout=10000), qtbot.waitSignal(queue.loaded, timeout=10000):
        qtbot.mouseClick(box.button(QMessageBox.StandardButton.Yes), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not queue.is_busy(), timeout=10000)

    assert all(dossiers.get_dossier(ctx, d).synced for d in chosen)
    assert not dossiers.get_dossier(ctx, untouched.id).synced
    assert all("NOT_SYNCED" not in stored_rules(ctx, d) for d in chosen)
    remaining = {(item.dossier_id, item.rule) for item in queue.visible_items()}
    assert not any((d, "NOT_SYNCED") in remaining for d in chosen)
    assert (untouched.id, "NOT_SYNCED") in remaining
    assert (items[other].dossier_id, items[other].rule) in remaining  # the other row stays
    assert "Đã đánh dấu 3 hồ sơ" in queue.note_label.text()
    assert "Bỏ qua 1 dòng" in queue.note_label.text()


def test_cancelling_the_confirmation_changes_nothing(ctx, office, qtbot) -> None:
    queue = make_queue(ctx, qtbot)
    row = next(r for r, item in enumerate(queue.visible_items()) if item.rule == "NOT_SYNCED")
    dossier_id = queue.visible_items()[row].dossier_id
    queue.table.selectRow(row)
    box = queue.mark_selected_synced()
    qtbot.mouseClick(box.button(QMessageBox.StandardButton.Cancel), Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert not queue.is_busy()
    assert not dossiers.get_dossier(ctx, dossier_id).synced


def test_open_button_and_double_click_emit_open_dossier(ctx, office, qtbot) -> None:
    queue = make_queue(ctx, qtbot)
    queue.table.selectRow(2)
    expected = queue.visible_items()[2].dossier_id
    with qtbot.waitSignal(queue.openDossier) as blocker:
        qtbot.mouseClick(queue.open_button, Qt.MouseButton.LeftButton)
    assert blocker.args == [expected]

    rect = queue.table.visualRect(queue.proxy.index(4, 0))
    expected = queue.visible_items()[4].dossier_id
    qtbot.mouseClick(queue.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    with qtbot.waitSignal(queue.openDossier) as blocker:
        qtbot.mouseDClick(queue.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert blocker.args == [expected]

    queue.activateWindow()
    queue.table.setFocus()
    queue.table.setCurrentIndex(queue.proxy.index(1, 0))
    qtbot.waitUntil(queue.table.hasFocus, timeout=1000)
    with qtbot.waitSignal(queue.openDossier) as blocker:
        qtbot.keyClick(queue.table, Qt.Key.Key_Return)  # keyboard-first: Enter opens it too
    assert blocker.args == [queue.visible_items()[1].dossier_id]


def test_loading_runs_off_the_ui_thread_with_a_busy_bar(ctx, office, qtbot, monkeypatch) -> None:
    release = threading.Event()
    threads: list[threading.Thread] = []
    real = warnings.open_warnings

    def slow(*args, **kwargs):
        threads.append(threading.current_thread())
        release.wait(10)
        return real(*args, **kwargs)

    monkeypatch.setattr(warnings, "open_warnings", slow)
    queue = WarningsQueueWidget(ctx, lambda: None)
    qtbot.addWidget(queue)
    queue.show()
    qtbot.waitUntil(lambda: bool(threads), timeout=5000)
    assert threads[0] is not threading.main_thread()
    assert queue.is_busy()
    assert queue.busy_bar.isVisible() and queue.busy_label.text() == "Đang tính điểm…"
    assert not queue.reload_button.isEnabled()
    qtbot.wait(30)  # the event loop keeps running meanwhile
    assert queue.proxy.rowCount() == 0
    with qtbot.waitSignal(queue.loaded, timeout=10000):
        release.set()
    assert not queue.is_busy() and not queue.busy_bar.isVisible()
    assert queue.proxy.rowCount() > 0


def test_changing_the_period_reloads_for_that_period(ctx, office, qtbot) -> None:
    queue = make_queue(ctx, qtbot)
    with qtbot.waitSignal(queue.loaded, timeout=10000):
        queue.period_combo.setCurrentIndex(queue.period_combo.findData("week"))
    assert queue.period() == (date(2026, 2, 9), date(2026, 2, 11))
    expected = warnings.open_warnings(ctx, date(2026, 2, 9), date(2026, 2, 11))
    assert shown(queue) == [(item.code, item.rule) for item in expected]
    assert queue.date_from.isHidden()  # the dates are shown only for "Tùy chọn…"
    with qtbot.waitSignal(queue.loaded, timeout=10000):
        queue.period_combo.setCurrentIndex(queue.period_combo.findData("custom"))
    assert not queue.date_from.isHidden() and not queue.date_to.isHidden()


# ---------------------------------------------------------------------------- the dossier form


@pytest.fixture
def dialog(ctx, clock, make_dossier, qtbot):
    from desktop_app.ui.dossier_dialog import DossierDialog

    clock.now = MONDAY
    proc = catalogue.list_procedures(ctx, search="khai sinh")[0]
    components = [intake.ComponentDraft(name=c.name, procedure_component_id=c.id) for c in proc.components]
    code = make_dossier("Đặng Thị Ánh", received_at=MONDAY, components=components)
    clock.now = WEDNESDAY
    warnings.reevaluate_time_dependent(ctx)
    view = dossiers.find_by_code(ctx, code)
    dlg = DossierDialog(ctx, view.id, ctx.test_officer_id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    dlg.activateWindow()
    return dlg


def test_panel_lists_each_problem_in_plain_words(dialog) -> None:
    codes = dialog.view.warnings
    assert {"IDENTITY_NOT_CHECKED", "NOT_SYNCED", "COMPONENTS_NOT_DIGITISED"} <= set(codes)
    assert dialog.warnings_frame.isVisible()
    assert "Các vấn đề làm mất điểm 766" in dialog.warnings_title.text()
    assert f"({len(codes)})" in dialog.warnings_title.text()
    assert list(dialog.problem_labels) == list(codes)
    label = dialog.problem_labels["IDENTITY_NOT_CHECKED"]
    assert "Chưa xác thực định danh công dân" in label.text()
    assert RULES_BY_CODE["IDENTITY_NOT_CHECKED"].explanation in label.text()
    assert dialog.problem_buttons["IDENTITY_NOT_CHECKED"].text() == "Sửa ngay"


def test_fix_buttons_go_to_the_field_that_fixes_the_problem(dialog, qtbot) -> None:
    qtbot.mouseClick(dialog.problem_buttons["NOT_SYNCED"], Qt.MouseButton.LeftButton)
    assert dialog.tabs.currentIndex() == 2
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.synced_box, timeout=1000)

    qtbot.mouseClick(dialog.problem_buttons["COMPONENTS_NOT_DIGITISED"], Qt.MouseButton.LeftButton)
    assert dialog.tabs.currentIndex() == 1
    assert dialog.focusWidget() is dialog.checklist.rows[0].attach_button

    qtbot.mouseClick(dialog.problem_buttons["KHO_NOT_USED"], Qt.MouseButton.LeftButton)
    assert dialog.focusWidget() is dialog.checklist.rows[0].kho_box

    qtbot.mouseClick(dialog.problem_buttons["OVERDUE"], Qt.MouseButton.LeftButton)  # due Monday 17:00
    assert dialog.focusWidget() is dialog.action_buttons[Action.CO_KET_QUA]

    # paper taken for a toàn trình procedure cannot be undone on this dossier: advice, no button
    assert "PAPER_FOR_FULL_ONLINE" in dialog.problem_labels
    assert "PAPER_FOR_FULL_ONLINE" not in dialog.problem_buttons


def test_fixing_identity_from_the_panel_removes_the_problem(ctx, dialog, qtbot) -> None:
    dialog.tabs.setCurrentIndex(3)
    qtbot.mouseClick(dialog.problem_buttons["IDENTITY_NOT_CHECKED"], Qt.MouseButton.LeftButton)
    assert dialog.tabs.currentIndex() == 0
    qtbot.waitUntil(lambda: dialog.focusWidget() is dialog.identity_box, timeout=1000)
    assert "VNeID" in dialog.status_message.text()

    QTest.keyClick(dialog.identity_box, Qt.Key.Key_Space)  # the officer ticks it from the keyboard
    assert dialog.identity_box.isChecked()
    dialog.identity_combo.setCurrentIndex(dialog.identity_combo.findData("vneid"))
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    assert dialog.status_message.text() == "Đã lưu thay đổi."
    assert "IDENTITY_NOT_CHECKED" not in dialog.problem_labels
    assert "IDENTITY_NOT_CHECKED" not in dialog.problem_buttons
    buttons = dialog.warnings_frame.findChildren(QPushButton, "fix_IDENTITY_NOT_CHECKED")
    assert not any(button.isVisible() for button in buttons)
    assert f"({len(dialog.view.warnings)})" in dialog.warnings_title.text()
    assert "IDENTITY_NOT_CHECKED" not in stored_rules(ctx, dialog.dossier_id)
    assert "NOT_SYNCED" in stored_rules(ctx, dialog.dossier_id)  # the other problems stay
    assert dossiers.get_dossier(ctx, dialog.dossier_id).identity_method == "vneid"


def test_panel_is_hidden_for_a_dossier_without_problems(ctx, clock, qtbot) -> None:
    from desktop_app.ui.dossier_dialog import DossierDialog

    clock.now = MONDAY
    code = clean_dossier(ctx)
    view = dossiers.find_by_code(ctx, code)
    assert view.warnings == ()
    dlg = DossierDialog(ctx, view.id, ctx.test_officer_id)
    qtbot.addWidget(dlg)
    dlg.show()
    assert not dlg.warnings_frame.isVisible()
    assert dlg.problem_buttons == {}

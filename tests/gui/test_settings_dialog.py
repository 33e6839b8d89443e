"""The Settings dialog (Cài đặt), driven as an officer would, over a real temporary database."""

from __future__ import annotations

import json
import os
from datetime import date, datetime

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from PySide6.QtCore import QDate, QEvent, QSettings, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QMessageBox, QSpinBox, QTableWidget, QWidget

from desktop_app.domain.calendar import TimeUnit
from desktop_app.domain.text import fold
from desktop_app.services import catalogue, holidays, setup
from desktop_app.services.context import open_database
from desktop_app.storage import seed
from desktop_app.ui.settings_dialog import SettingsDialog

CLOCK = datetime(2026, 2, 12, 10, 0)  # a Thursday

# A small catalogue of our own, so the tests do not depend on the shipped one changing.
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
            "components": [{"name": "Tờ khai đăng ký khai sinh"}, {"name": "Giấy chứng sinh"}],
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
            "components": [{"name": "Bản chính giấy tờ"}],
        },
        {
            "code": "2.000884",
            "name": "Chứng thực chữ ký trong các giấy tờ, văn bản",
            "field": "Chứng thực",
            "time_limit": 0,
            "fee": {"kind": "fixed", "amount": 10000},
        },
        {
            "code": "2.001019",
            "name": "Chứng thực di chúc",
            "field": "Chứng thực",
            "time_limit": 2,
            "fee": {"kind": "fixed", "amount": 50000},
            "active": False,
        },
        {
            "code": "1.004873",
            "name": "Cấp Giấy xác nhận tình trạng hôn nhân",
            "field": "Hộ tịch",
            "time_limit": 3,
            "fee": {"kind": "free"},
        },
    ]
}
CHUNG_THUC_CODES = {"2.000815", "2.000884", "2.001019"}


@pytest.fixture
def ctx(tmp_path, monkeypatch):
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(tmp_path))
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(
        QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qsettings")
    )
    catalogue_json = tmp_path / "procedures.json"
    catalogue_json.write_text(json.dumps(CATALOGUE, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setattr(seed, "catalogue_file", lambda: catalogue_json)
    if not seed.presets_file().exists():
        presets = tmp_path / "presets.json"
        presets.write_text(json.dumps({"presets": []}), encoding="utf-8")
        monkeypatch.setattr(seed, "presets_file", lambda: presets)
    context = open_database(str(tmp_path / "t.sqlite3"), clock=lambda: CLOCK)
    setup.save_profile(
        context,
        setup.ProfileInput(
            unit_name="UBND xã Phú Lạc",
            unit_code="000.00.53.H48",
            place_name="Phú Lạc",
            province="Thái Nguyên",
            head_name="Nguyễn Văn Hùng",
            head_title="Chủ tịch",
        ),
    )
    setup.save_officer(context, "lan.nt", "Nguyễn Thị Lan")
    yield context
    context.dispose()


@pytest.fixture
def dialog(qtbot, ctx):
    widget = SettingsDialog(ctx)
    qtbot.addWidget(widget)
    widget.show()
    return widget


def type_text(widget: QWidget, text: str) -> None:
    """Type like a keyboard would; qtbot.keyClicks aborts the process on non-ASCII text."""
    widget.setFocus()
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            )


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def table_rows(table: QTableWidget) -> list[list[str]]:
    return [
        [
            table.item(row, column).text() if table.item(row, column) else ""
            for column in range(table.columnCount())
        ]
        for row in range(table.rowCount())
    ]


def row_of(table: QTableWidget, column: int, text: str) -> int:
    for row in range(table.rowCount()):
        if table.item(row, column).text() == text:
            return row
    raise AssertionError(f"{text!r} not in the table")


def shown(widget: QWidget) -> bool:
    return not widget.isHidden()


# -- the dialog ------------------------------------------------------------------------------------


def test_dialog_lists_the_four_pages(dialog):
    assert dialog.windowTitle() == "Cài đặt"
    titles = [dialog.page_list.item(row).text() for row in range(dialog.page_list.count())]
    assert titles == ["Thông tin đơn vị", "Cán bộ", "Ngày nghỉ, làm bù", "Danh mục thủ tục"]
    dialog.page_list.setCurrentRow(3)
    assert dialog.stack.currentWidget() is dialog.catalogue_page


# -- Thông tin đơn vị ------------------------------------------------------------------------------


def test_profile_name_with_diacritics_is_saved(dialog, ctx, qtbot):
    page = dialog.show_page("profile")
    assert page.unit_name.text() == "UBND xã Phú Lạc"
    page.unit_name.clear()
    type_text(page.unit_name, "UBND phường Đông Hà")
    page.parent_agency.setText("UBND tỉnh Quảng Trị")
    page.head_title.setText("Giám đốc Trung tâm Phục vụ hành chính công")
    page.e_certified_copy.setChecked(True)
    page.attachment_limit.setValue(40)
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        click(qtbot, page.save_button)

    profile = setup.get_profile(ctx)
    assert profile.unit_name == "UBND phường Đông Hà"
    assert profile.parent_agency == "UBND tỉnh Quảng Trị"
    assert profile.head_title == "Giám đốc Trung tâm Phục vụ hành chính công"
    assert profile.offers_e_certified_copy is True
    assert profile.attachment_limit_mb == 40
    assert page.status.text() == "Đã lưu thông tin đơn vị."


def test_hamlets_added_reordered_and_removed(dialog, ctx, qtbot):
    page = dialog.show_page("profile")
    for name in ("Xóm Đồng Tâm", "Thôn Bãi Phẳng", "Xóm Kẻm"):
        type_text(page.new_hamlet, name)
        click(qtbot, page.add_hamlet_button)
    assert page.hamlet_names() == ["Xóm Đồng Tâm", "Thôn Bãi Phẳng", "Xóm Kẻm"]
    page.hamlets.setCurrentRow(2)
    click(qtbot, page.up_button)  # Xóm Kẻm before Thôn Bãi Phẳng
    page.hamlets.setCurrentRow(0)
    click(qtbot, page.remove_hamlet_button)
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        click(qtbot, page.save_button)
    assert setup.list_hamlets(ctx) == ["Xóm Kẻm", "Thôn Bãi Phẳng"]


def test_invalid_unit_code_is_shown_inline_and_nothing_is_saved(dialog, ctx, qtbot):
    page = dialog.show_page("profile")
    page.unit_name.setText("UBND xã Khác")
    page.unit_code.setText("000 00 53/H48")
    with qtbot.assertNotEmitted(dialog.changed):
        click(qtbot, page.save_button)

    assert shown(page.errors["unit_code"])
    assert page.errors["unit_code"].text().startswith("Mã đơn vị chỉ gồm chữ, số và dấu chấm")
    assert not shown(page.errors["unit_name"])
    assert shown(page.general_error)
    assert page.unit_code.hasFocus()
    profile = setup.get_profile(ctx)
    assert (profile.unit_name, profile.unit_code) == ("UBND xã Phú Lạc", "000.00.53.H48")

    # Corrected, it saves and the message goes away.
    page.unit_code.setText("000.00.53.H48")
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        click(qtbot, page.save_button)
    assert not shown(page.errors["unit_code"])
    assert setup.get_profile(ctx).unit_name == "UBND xã Khác"


# -- Cán bộ ----------------------------------------------------------------------------------------


def test_add_officer_shows_in_table_then_deactivate(dialog, ctx, qtbot):
    page = dialog.show_page("officers")
    assert [r[0] for r in table_rows(page.table)] == ["lan.nt"]
    click(qtbot, page.new_button)
    page.username.setText("hoa.lt")
    type_text(page.full_name, "Lê Thị Hoà")
    page.role.setCurrentIndex(page.role.findData("lanh_dao"))
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        click(qtbot, page.save_button)

    rows = table_rows(page.table)
    assert ["hoa.lt", "Lê Thị Hoà", "Lãnh đạo", "Có"] in rows
    assert {o.username for o in setup.list_officers(ctx)} == {"lan.nt", "hoa.lt"}

    page.table.selectRow(row_of(page.table, 0, "hoa.lt"))
    assert page.deactivate_button.isEnabled()
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        click(qtbot, page.deactivate_button)
    assert ["hoa.lt", "Lê Thị Hoà", "Lãnh đạo", "Không"] in table_rows(page.table)
    assert {o.username for o in setup.list_officers(ctx)} == {"lan.nt"}


def test_officer_with_bad_username_is_refused_inline(dialog, ctx, qtbot):
    page = dialog.show_page("officers")
    click(qtbot, page.new_button)
    page.username.setText("Hoa Le")
    page.full_name.setText("")
    with qtbot.assertNotEmitted(dialog.changed):
        click(qtbot, page.save_button)
    assert "Tên đăng nhập gồm" in page.errors["username"].text()
    assert page.errors["full_name"].text() == "Chưa nhập họ tên cán bộ."
    assert len(setup.list_officers(ctx, include_inactive=True)) == 1


# -- Ngày nghỉ, làm bù -----------------------------------------------------------------------------


def test_holidays_page_shows_the_year_with_weekdays_and_swap_hint(dialog):
    page = dialog.show_page("holidays")
    assert page.year.value() == 2026
    rows = table_rows(page.table)
    assert ["01/01/2026", "Thứ Năm", "Tết Dương lịch", "Ngày nghỉ", "Tự động"] in rows
    assert ["26/04/2026", "Chủ nhật", "Ngày Giỗ Tổ Hùng Vương", "Ngày nghỉ", "Tự động"] in rows
    assert ["22/08/2026", "Thứ Bảy", "Ngày làm bù", "Ngày làm bù", "Tự động"] in rows
    assert page.swap_hint.text() == "Năm 2026: nghỉ thứ Hai 31/8, làm bù thứ Bảy 22/8"

    page.year.setValue(2025)
    assert all(row[0].endswith("/2025") for row in table_rows(page.table))
    assert page.swap_hint.text().startswith("Năm 2025: ")


def test_add_make_up_saturday_and_day_off_change_the_calendar(dialog, ctx, qtbot):
    page = dialog.show_page("holidays")
    saturday, monday = date(2026, 3, 7), date(2026, 3, 9)
    assert not ctx.calendar().is_working_day(saturday)
    assert ctx.calendar().is_working_day(monday)

    page.day.setDate(QDate(2026, 3, 7))
    assert page.day_hint.text() == "Thứ Bảy"
    type_text(page.name, "Làm bù cho ngày 09/03/2026")
    page.kind.setCurrentIndex(page.kind.findData("working_day"))
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        click(qtbot, page.add_button)

    page.day.setDate(QDate(2026, 3, 9))
    page.name.setText("Nghỉ hoán đổi (thay cho ngày 07/03/2026)")
    page.kind.setCurrentIndex(page.kind.findData("day_off"))
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        click(qtbot, page.add_button)

    calendar = ctx.calendar()
    assert calendar.is_working_day(saturday)
    assert not calendar.is_working_day(monday)
    rows = table_rows(page.table)
    assert [
        "07/03/2026",
        "Thứ Bảy",
        "Làm bù cho ngày 09/03/2026",
        "Ngày làm bù",
        "Người dùng",
    ] in rows
    assert [
        "09/03/2026",
        "Thứ Hai",
        "Nghỉ hoán đổi (thay cho ngày 07/03/2026)",
        "Ngày nghỉ",
        "Người dùng",
    ] in rows
    assert "nghỉ thứ Hai 9/3, làm bù thứ Bảy 7/3" in page.swap_hint.text()
    assert page.name.text() == ""


def test_weekday_make_up_day_is_refused_with_its_message(dialog, ctx, qtbot):
    page = dialog.show_page("holidays")
    before = holidays.list_holidays(ctx, 2026)
    page.day.setDate(QDate(2026, 3, 10))  # a Tuesday
    page.name.setText("Làm bù")
    page.kind.setCurrentIndex(page.kind.findData("working_day"))
    with qtbot.assertNotEmitted(dialog.changed):
        click(qtbot, page.add_button)
    assert shown(page.errors["day"])
    assert page.errors["day"].text() == "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật."
    assert holidays.list_holidays(ctx, 2026) == before


def test_delete_holiday_asks_first(dialog, ctx, qtbot):
    page = dialog.show_page("holidays")
    culture_day = date(2026, 11, 24)
    assert not ctx.calendar().is_working_day(culture_day)
    page.table.selectRow(row_of(page.table, 0, "24/11/2026"))

    click(qtbot, page.delete_button)
    box = page.confirm_box
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "24/11/2026" in box.text()
    with qtbot.assertNotEmitted(dialog.changed):
        click(qtbot, next(b for b in box.buttons() if b.text() == "Không"))
    assert not ctx.calendar().is_working_day(culture_day)

    page.table.selectRow(row_of(page.table, 0, "24/11/2026"))
    click(qtbot, page.delete_button)
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        click(qtbot, next(b for b in page.confirm_box.buttons() if b.text() == "Xóa"))
    assert ctx.calendar().is_working_day(culture_day)
    assert "24/11/2026" not in [row[0] for row in table_rows(page.table)]


# -- Danh mục thủ tục ------------------------------------------------------------------------------


def test_catalogue_table_shows_limits_levels_and_fees(dialog):
    page = dialog.show_page("catalogue")
    rows = {row[0]: row for row in table_rows(page.table)}
    assert set(rows) == {p["code"] for p in CATALOGUE["procedures"]}
    assert rows["1.001193"][1:] == [
        "Đăng ký khai sinh",
        "Hộ tịch",
        "Trong ngày",
        "Toàn trình",
        "Miễn phí",
        "Có",
    ]
    assert (
        rows["2.000815"][5]
        == "2.000 đ/trang cho 2 trang đầu, từ trang 3: 1.000 đ/trang, tối đa 200.000 đ/bản"
    )
    assert rows["1.004873"][3] == "3 ngày làm việc"
    assert rows["2.001019"][6] == "Không"  # inactive procedures are listed too
    assert page.count_label.text() == "5 thủ tục"


def test_catalogue_search_ignores_diacritics(dialog, qtbot):
    page = dialog.show_page("catalogue")
    type_text(page.search, "chung thuc")
    codes = {row[0] for row in table_rows(page.table)}
    assert codes == CHUNG_THUC_CODES
    assert all(fold(row[1]).startswith("chung thuc") for row in table_rows(page.table))
    assert page.count_label.text() == "Tìm thấy 3 thủ tục"

    page.search.setText("CHỨNG THỰC chữ ký")
    assert {row[0] for row in table_rows(page.table)} == {"2.000884"}
    page.search.setText("1.0011")
    assert {row[0] for row in table_rows(page.table)} == {"1.001193"}
    page.search.clear()
    assert page.table.rowCount() == len(CATALOGUE["procedures"])


def _set_component(
    editor, row: int, name: str, copy_kind: str, quantity: int, reusable: bool
) -> None:
    editor.components.item(row, 0).setText(name)
    combo = editor.components.cellWidget(row, 1)
    assert isinstance(combo, QComboBox)
    combo.setCurrentIndex(combo.findData(copy_kind))
    spin = editor.components.cellWidget(row, 2)
    assert isinstance(spin, QSpinBox)
    spin.setValue(quantity)
    editor.components.item(row, 3).setCheckState(
        Qt.CheckState.Checked if reusable else Qt.CheckState.Unchecked
    )


def test_add_procedure_with_two_components(dialog, ctx, qtbot):
    page = dialog.show_page("catalogue")
    click(qtbot, page.add_button)
    editor = page.editor
    assert editor is not None and editor.isVisible()
    assert editor.windowTitle() == "Thêm thủ tục"

    editor.code.setText("1.003005")
    editor.name.setPlainText("Đăng ký thay đổi hộ tịch cho người từ đủ 14 tuổi")
    editor.field.setCurrentText("Hộ tịch")
    editor.time_unit.setCurrentIndex(editor.time_unit.findData("ngay_lam_viec"))
    editor.time_limit.setValue(3)
    editor.online_level.setCurrentIndex(editor.online_level.findData("mot_phan"))
    editor.fee_kind.setCurrentIndex(editor.fee_kind.findData("fixed"))
    assert editor.fee_form.isRowVisible(editor.fee_amount)
    assert not editor.fee_form.isRowVisible(editor.fee_first_pages)
    editor.fee_amount.setValue(15000)
    type_text(editor.fee_note, "Miễn cho hộ nghèo")
    editor.citizen_facing.setChecked(False)
    click(qtbot, editor.add_component_button)
    click(qtbot, editor.add_component_button)
    click(qtbot, editor.add_component_button)  # left empty: not a component
    _set_component(editor, 0, "Tờ khai theo mẫu", "ban_chinh", 1, False)
    _set_component(editor, 1, "Giấy khai sinh", "ban_sao", 2, True)
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        click(qtbot, editor.save_button)

    assert not editor.isVisible()
    listed = catalogue.list_procedures(ctx, search="thay doi ho tich")
    assert [p.code for p in listed] == ["1.003005"]
    saved = catalogue.get_procedure(ctx, listed[0].id)
    assert saved.name == "Đăng ký thay đổi hộ tịch cho người từ đủ 14 tuổi"
    assert (saved.field, saved.time_limit, saved.time_unit) == (
        "Hộ tịch",
        3,
        TimeUnit.NGAY_LAM_VIEC,
    )
    assert saved.online_level.value == "mot_phan"
    assert (saved.fee_rule.kind.value, saved.fee_rule.amount, saved.fee_note) == (
        "fixed",
        15000,
        "Miễn cho hộ nghèo",
    )
    assert saved.citizen_facing is False and saved.active is True
    assert [(c.name, c.copy_kind, c.quantity, c.reusable) for c in saved.components] == [
        ("Tờ khai theo mẫu", "ban_chinh", 1, False),
        ("Giấy khai sinh", "ban_sao", 2, True),
    ]
    # Listed in the table, selected.
    row = row_of(page.table, 0, "1.003005")
    assert page.table.item(row, 3).text() == "3 ngày làm việc"
    assert page.table.item(row, 5).text() == "15.000 đ"
    assert page.table.currentRow() == row or page.table.selectionModel().isRowSelected(row)


def test_edit_time_limit_by_double_click(dialog, ctx, qtbot):
    page = dialog.show_page("catalogue")
    row = row_of(page.table, 0, "1.004873")
    rect = page.table.visualItemRect(page.table.item(row, 1))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    editor = page.editor
    assert editor is not None and editor.isVisible()
    assert editor.code.text() == "1.004873"
    assert editor.time_limit.value() == 3

    editor.time_limit.setValue(5)
    editor.time_unit.setCurrentIndex(editor.time_unit.findData("ngay"))
    assert editor.limit_hint.text() == "= 5 ngày"
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        click(qtbot, editor.save_button)

    [saved] = catalogue.list_procedures(ctx, search="1.004873")
    assert (saved.time_limit, saved.time_unit) == (5, TimeUnit.NGAY)
    assert page.table.item(row_of(page.table, 0, "1.004873"), 3).text() == "5 ngày"


def test_move_components_in_the_editor(dialog, ctx, qtbot):
    page = dialog.show_page("catalogue")
    page.table.selectRow(row_of(page.table, 0, "1.001193"))
    click(qtbot, page.edit_button)
    editor = page.editor
    assert [c.name for c in editor.component_inputs()] == [
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
    ]
    editor.components.selectRow(1)
    click(qtbot, editor.up_button)
    with qtbot.waitSignal(dialog.changed, timeout=2000):
        click(qtbot, editor.save_button)
    [saved] = catalogue.list_procedures(ctx, search="1.001193")
    assert [c.name for c in saved.components] == ["Giấy chứng sinh", "Tờ khai đăng ký khai sinh"]


def test_editor_validation_errors_are_inline_and_nothing_is_saved(dialog, ctx, qtbot):
    page = dialog.show_page("catalogue")
    click(qtbot, page.add_button)
    editor = page.editor
    editor.code.setText("1001193")
    editor.fee_kind.setCurrentIndex(editor.fee_kind.findData("fixed"))
    with qtbot.assertNotEmitted(dialog.changed):
        click(qtbot, editor.save_button)
    assert editor.isVisible()
    assert (
        editor.errors["code"].text() == "Mã thủ tục có dạng 1.001193 hoặc 1.001193.000.00.00.H48."
    )
    assert editor.errors["name"].text() == "Chưa nhập tên thủ tục."
    assert editor.errors["fee"].text().startswith("Phí cố định phải lớn hơn 0")
    assert shown(editor.banner)
    assert len(catalogue.list_procedures(ctx, include_inactive=True)) == len(
        CATALOGUE["procedures"]
    )

    # A code already in the catalogue.
    editor.code.setText("1.001193")
    editor.name.setPlainText("Bản trùng")
    editor.fee_kind.setCurrentIndex(editor.fee_kind.findData("free"))
    click(qtbot, editor.save_button)
    assert "đã có trong danh mục" in editor.errors["code"].text()
    assert not shown(editor.errors["name"])


def test_editor_reports_a_conflict_clearly(dialog, ctx, qtbot):
    page = dialog.show_page("catalogue")
    page.table.selectRow(row_of(page.table, 0, "1.004873"))
    editor = page.edit_selected()
    # Someone else saves the same procedure first.
    other = catalogue.get_procedure(ctx, editor.procedure.id)
    data = editor.procedure_input()
    data.time_limit = 7
    catalogue.save_procedure(ctx, data, other.id, other.version)

    editor.time_limit.setValue(4)
    with qtbot.assertNotEmitted(dialog.changed):
        click(qtbot, editor.save_button)
    assert editor.isVisible()
    assert shown(editor.banner)
    assert "vừa được người khác sửa" in editor.banner.text()
    [saved] = catalogue.list_procedures(ctx, search="1.004873")
    assert saved.time_limit == 7

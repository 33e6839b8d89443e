"""The intake dialog (SPEC §2 step 1) with real widgets on a real temporary SQLite database."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QFileDialog

from desktop_app.domain.status import Channel
from tests.gui._intake_helpers import (
    close_message_boxes,
    drop_files,
    make_env,
    press,
    stored_files,
    type_text,
    write_fake_pdf,
    write_pdf,
)


@pytest.fixture
def env(tmp_path, monkeypatch):
    environment = make_env(tmp_path, monkeypatch)
    yield environment
    close_message_boxes()
    environment.ctx.dispose()


@pytest.fixture
def dialog(qtbot, env):
    from desktop_app.ui.intake_dialog import IntakeDialog

    dlg = IntakeDialog(env.ctx, env.officer_id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def choose(dialog, query: str) -> None:
    type_text(dialog.picker.edit, query)
    press(dialog.picker.edit, Qt.Key.Key_Return)


def files_returned(monkeypatch, *paths: Path) -> None:
    monkeypatch.setattr(
        QFileDialog,
        "getOpenFileNames",
        staticmethod(lambda *a, **k: ([str(p) for p in paths], "")),
        raising=True,
    )


# ---------------------------------------------------------------------------- procedure picker


def test_typing_a_folded_query_picks_the_procedure(dialog):
    type_text(dialog.picker.edit, "khai sinh")
    assert dialog.picker.popup_visible()
    names = [p.name for p in dialog.picker.matches()]
    # The phrase at the start of a short name ranks first, though "Cấp…" sorts before "Đăng…".
    assert names == ["Đăng ký khai sinh", "Cấp bản sao Trích lục hộ tịch, bản sao Giấy khai sinh"]

    press(dialog.picker.edit, Qt.Key.Key_Return)

    procedure = dialog.procedure()
    assert procedure is not None and procedure.code == "1.001193"
    assert dialog.picker.edit.text() == "1.001193 — Đăng ký khai sinh"
    assert not dialog.picker.popup_visible()
    assert [row.item.name for row in dialog.checklist.rows] == [
        "Tờ khai đăng ký khai sinh theo mẫu",
        "Giấy chứng sinh hoặc giấy tờ thay thế Giấy chứng sinh",
        "Giấy chứng nhận kết hôn của cha, mẹ (nếu có)",
    ]
    assert dialog.focusWidget() is dialog.name_edit  # Enter moves on to the applicant


def test_query_with_or_without_diacritics_and_arrow_keys(dialog):
    type_text(
        dialog.picker.edit, "chứng thực"
    )  # typed with diacritics, one key event per character
    assert [p.code for p in dialog.picker.matches()] == ["2.000815"]
    press(dialog.picker.edit, Qt.Key.Key_Return)
    assert dialog.procedure().code == "2.000815"

    dialog.picker.edit.clear()
    type_text(dialog.picker.edit, "chung thuc")
    assert dialog.procedure() is None  # editing the text drops the previous choice
    assert dialog.checklist.rows == []
    assert [p.code for p in dialog.picker.matches()] == ["2.000815"]

    dialog.picker.edit.clear()
    type_text(dialog.picker.edit, "1.0048")  # part of the code
    assert [p.code for p in dialog.picker.matches()] == ["1.004873"]
    press(dialog.picker.edit, Qt.Key.Key_Return)
    assert dialog.procedure().code == "1.004873"


def test_nothing_matches_keeps_the_procedure_unset(dialog):
    type_text(dialog.picker.edit, "xyz khong co")
    assert dialog.picker.matches() == []
    press(dialog.picker.edit, Qt.Key.Key_Return)
    assert dialog.procedure() is None
    assert "Chưa chọn thủ tục" in dialog.procedure_info.text()


# ---------------------------------------------------------------------------- số định danh


def test_invalid_id_number_disables_save_until_fixed(dialog):
    assert not dialog.save_button.isEnabled()  # empty: not yet valid
    type_text(dialog.id_edit, "00130300")
    assert "12 chữ số" in dialog.id_message.text()
    assert "#b00020" in dialog.id_message.styleSheet()  # red
    assert not dialog.save_button.isEnabled()

    dialog.id_edit.setText("999303004545")
    assert "Mã tỉnh “999”" in dialog.id_message.text()
    assert not dialog.save_button.isEnabled()

    dialog.id_edit.setText("001 303 004545")
    assert dialog.id_message.text() == "Hà Nội, sinh năm 2003, nữ"
    assert "#666" in dialog.id_message.styleSheet()  # grey
    assert dialog.save_button.isEnabled()


def test_no_id_number_enables_save_without_a_number(dialog):
    dialog.id_edit.setText("123")
    assert not dialog.save_button.isEnabled()
    dialog.no_id_box.setChecked(True)
    assert dialog.save_button.isEnabled()
    assert not dialog.id_edit.isEnabled()
    assert dialog.build_draft().id_number == ""


# ---------------------------------------------------------------------------- attachments


def test_attach_a_pdf_and_refuse_a_text_file_renamed_pdf(dialog, env, monkeypatch, qtbot):
    choose(dialog, "khai sinh")
    scans = env.folder / "scans"
    scans.mkdir()
    good = write_pdf(scans, "tờ khai.pdf")
    row = dialog.checklist.rows[0]

    files_returned(monkeypatch, good)
    qtbot.mouseClick(row.attach_button, Qt.MouseButton.LeftButton)
    assert row.files == [good]
    assert row.files_label.text() == "1 tệp"
    assert stored_files(env.attachments_dir) == []  # copied only when the dossier is saved

    fake = write_fake_pdf(scans, "giấy tờ.pdf")
    files_returned(monkeypatch, fake)
    qtbot.mouseClick(dialog.checklist.rows[1].attach_button, Qt.MouseButton.LeftButton)
    message = "Tệp “giấy tờ.pdf” không phải PDF, JPEG, PNG hoặc TIFF."
    assert dialog.checklist.last_refusal == message
    assert dialog.checklist.error_label.isVisible()
    assert dialog.checklist.error_label.text() == message
    assert message in close_message_boxes()
    assert dialog.checklist.rows[1].files == []
    assert dialog.checklist.rows[1].files_label.text() == "Chưa có tệp"
    assert stored_files(env.attachments_dir) == []


def test_oversize_file_is_refused(dialog, env, monkeypatch):
    from desktop_app.services import setup

    setup.save_profile(
        env.ctx,
        setup.ProfileInput(
            unit_name="UBND xã Phú Lạc",
            unit_code="000.00.53.H48",
            place_name="Phú Lạc",
            attachment_limit_mb=1,
        ),
    )
    choose(dialog, "khai sinh")
    big = write_pdf(env.folder, "ban-quet-600dpi.pdf", size=1024 * 1024 + 10)
    assert dialog.checklist.add_files(0, [big]) == []
    assert "vượt giới hạn 1 MB" in dialog.checklist.last_refusal
    assert dialog.checklist.rows[0].files == []
    close_message_boxes()


def test_files_dropped_on_a_row_attach_to_that_row(dialog, env):
    choose(dialog, "khai sinh")
    QApplication.processEvents()
    scan = write_pdf(env.folder, "giay-chung-sinh.pdf")
    checklist = dialog.checklist
    target = checklist.rows[1].name_label
    assert drop_files(checklist, target.mapTo(checklist, target.rect().center()), [scan])
    assert checklist.rows[1].files == [scan]
    assert checklist.rows[0].files == [] and checklist.rows[2].files == []


# ---------------------------------------------------------------------------- due date and fee


def test_same_day_procedure_received_at_1530_is_due_next_working_day(qtbot, env):
    from desktop_app.ui.intake_dialog import IntakeDialog

    env.clock.now = datetime(2026, 2, 12, 15, 30)  # Thursday, after the 15:00 cut-off
    dlg = IntakeDialog(env.ctx, env.officer_id)
    qtbot.addWidget(dlg)
    choose(dlg, "khai sinh")
    assert dlg.computed_due() == datetime(2026, 2, 13, 17, 0)
    assert dlg.due_label.text() == "<b>17:00 13/02/2026</b> (trong ngày)"

    dlg.received_edit.setDateTime(datetime(2026, 2, 12, 14, 59))
    assert dlg.computed_due() == datetime(2026, 2, 12, 17, 0)


def test_three_working_days_skip_tet(qtbot, env):
    from desktop_app.ui.intake_dialog import IntakeDialog

    dlg = IntakeDialog(env.ctx, env.officer_id)
    qtbot.addWidget(dlg)
    choose(dlg, "tinh trang hon nhan")
    # Thu 12/02 + 3 working days: Fri 13, then Tết 16–20/02, Mon 23, Tue 24.
    assert dlg.due_label.text() == "<b>17:00 24/02/2026</b> (3 ngày làm việc)"


def test_per_page_fee_recomputes(dialog):
    assert not dialog.fee_form.isRowVisible(dialog.pages_spin)
    choose(dialog, "chung thuc")
    assert dialog.fee_form.isRowVisible(dialog.pages_spin)
    assert dialog.fee_spin.value() == 2000
    dialog.pages_spin.setValue(5)  # 2 × 2.000 + 3 × 1.000
    assert dialog.fee_spin.value() == 7000
    assert dialog.fee_spin.text() == "7.000 đ"
    dialog.copies_spin.setValue(2)
    assert dialog.fee_spin.value() == 14000
    assert dialog.payment_combo.currentIndex() == -1  # must be chosen for a fee-bearing dossier

    dialog.picker.edit.clear()
    choose(dialog, "khai sinh")
    assert not dialog.fee_form.isRowVisible(dialog.pages_spin)
    assert dialog.fee_spin.value() == 0
    assert dialog.payment_combo.currentData() == "mien"


# ---------------------------------------------------------------------------- saving


def test_save_puts_the_dossier_in_the_database(dialog, env, monkeypatch, qtbot):
    from desktop_app.services import dossiers

    choose(dialog, "khai sinh")
    type_text(dialog.name_edit, "Đặng Thị Ánh")
    type_text(dialog.id_edit, "001203004545")
    dialog.phone_edit.setText("0912 345 678")
    dialog.address_edit.setText("Xóm Cầu Đá, xã Phú Lạc")
    dialog.hamlet_combo.setCurrentText("Xóm Cầu Đá")
    dialog.submitter_edit.setText("Đặng Văn Bình")
    dialog.identity_box.setChecked(True)
    dialog.identity_combo.setCurrentIndex(dialog.identity_combo.findData("vneid"))
    dialog.receipt_edit.setText("BL-0001")
    dialog.notes_edit.setText("Cha mẹ nộp thay")
    scan = write_pdf(env.folder, "to-khai.pdf")
    files_returned(monkeypatch, scan)
    qtbot.mouseClick(dialog.checklist.rows[0].attach_button, Qt.MouseButton.LeftButton)
    dialog.checklist.rows[1].not_required_box.setChecked(True)
    dialog.checklist.rows[2].reused_box.setChecked(True)
    dialog.checklist.rows[2].kho_box.setChecked(True)

    with qtbot.waitSignal(dialog.saved, timeout=3000) as blocker:
        press(dialog.notes_edit, Qt.Key.Key_Return)  # Enter saves

    code = blocker.args[0]
    assert code == "000.00.53.H48-260212-0001"
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.confirmation is not None and code in dialog.confirmation.text()
    view = dossiers.find_by_code(env.ctx, code)
    assert view is not None
    assert (view.applicant_name, view.id_number, view.id_kind) == (
        "Đặng Thị Ánh",
        "001203004545",
        "cccd",
    )
    assert (view.phone, view.hamlet, view.submitter_name) == (
        "0912 345 678",
        "Xóm Cầu Đá",
        "Đặng Văn Bình",
    )
    assert (view.identity_checked, view.identity_method) == (True, "vneid")
    assert (view.fee, view.payment_method, view.receipt_number) == (0, "mien", "BL-0001")
    assert view.received_at == datetime(2026, 2, 12, 10, 0)
    assert view.due_at == datetime(2026, 2, 12, 17, 0)
    assert view.officer_name == "Nguyễn Thị Lan"
    flags = [
        (c.digitised, c.reused, c.from_kho, c.not_required, len(c.attachments))
        for c in view.components
    ]
    assert flags == [
        (True, False, False, False, 1),
        (False, False, False, True, 0),
        (False, True, True, False, 0),
    ]
    assert view.components[0].attachments[0].original_name == "to-khai.pdf"
    assert len(stored_files(env.attachments_dir)) == 1
    assert len(view.history) == 1


def test_save_with_per_page_fee_and_no_id(dialog, env, qtbot):
    from desktop_app.services import dossiers

    choose(dialog, "chung thuc")
    dialog.name_edit.setText("Lò Văn Páo")
    dialog.no_id_box.setChecked(True)
    dialog.pages_spin.setValue(5)
    dialog.payment_combo.setCurrentIndex(dialog.payment_combo.findData("truc_tuyen"))
    dialog.channel_buttons[Channel.TRUC_TUYEN].setChecked(True)
    with qtbot.waitSignal(dialog.saved, timeout=3000) as blocker:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    view = dossiers.find_by_code(env.ctx, blocker.args[0])
    assert (view.id_kind, view.id_number, view.fee, view.payment_method) == (
        "none",
        "",
        7000,
        "truc_tuyen",
    )
    assert int(view.channel) == 2


def test_service_errors_are_shown_next_to_fields_and_focus_the_first(dialog, env):
    from desktop_app.services import setup

    dialog.no_id_box.setChecked(True)
    dialog.phone_edit.setText("09abc")
    assert dialog.save() is None
    assert dialog.isVisible()
    assert dialog._errors["procedure"].text() == "Chưa chọn thủ tục."
    assert dialog._errors["applicant_name"].text() == "Chưa nhập họ tên chủ hồ sơ."
    assert "Số điện thoại" in dialog._errors["phone"].text()
    assert dialog._errors["procedure"].isVisible() and dialog._errors["phone"].isVisible()
    assert dialog.focusWidget() is dialog.picker.edit
    assert setup.dossier_total(env.ctx) == 0

    choose(dialog, "chung thuc")  # fee 2.000 đ: the payment method becomes required
    dialog.name_edit.setText("Vi Thị Mai")
    dialog.phone_edit.setText("0912345678")
    assert dialog.save() is None
    assert dialog._errors["procedure"].text() == ""
    assert dialog._errors["payment_method"].text() == "Hồ sơ có phí: hãy chọn hình thức thanh toán."
    assert dialog.focusWidget() is dialog.payment_combo


def test_changed_due_date_needs_a_reason(dialog, env):
    choose(dialog, "khai sinh")
    dialog.name_edit.setText("Hà Văn Tuấn")
    dialog.no_id_box.setChecked(True)
    assert not dialog.due_edit.isEnabled()
    dialog.due_override_box.setChecked(True)
    assert dialog.due_edit.isEnabled() and dialog.due_reason_edit.isEnabled()
    dialog.due_edit.setDateTime(datetime(2026, 2, 13, 10, 0))
    assert dialog.save() is None
    assert dialog._errors["due_changed_reason"].text() == "Đã sửa ngày hẹn trả: hãy ghi lý do."
    assert dialog.focusWidget() is dialog.due_reason_edit
    dialog.due_reason_edit.setText("Công dân xin hẹn lại")
    code = dialog.save()
    assert code is not None
    from desktop_app.services import dossiers

    view = dossiers.find_by_code(env.ctx, code)
    assert view.due_at == datetime(2026, 2, 13, 10, 0)
    assert view.due_changed_reason == "Công dân xin hẹn lại"


def test_escape_on_an_empty_form_closes_at_once(dialog, env):
    press(dialog, Qt.Key.Key_Escape)
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()


def test_escape_with_typed_data_asks_and_can_discard(dialog, env):
    from desktop_app.services import setup

    dialog.name_edit.setText("Nguyễn Văn An")
    press(dialog.name_edit, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # the typed data is not thrown away without asking
    box = dialog.unsaved_box
    box.button(box.StandardButton.Cancel).click()
    assert dialog.isVisible() and dialog.name_edit.text() == "Nguyễn Văn An"
    press(dialog.name_edit, Qt.Key.Key_Escape)
    box = dialog.unsaved_box
    box.button(box.StandardButton.Discard).click()
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not dialog.isVisible()
    assert setup.dossier_total(env.ctx) == 0


def test_escape_with_an_invalid_form_then_save_keeps_it_open(dialog, env):
    from desktop_app.services import setup

    dialog.name_edit.setText("Nguyễn Văn An")  # no procedure chosen: cannot be saved yet
    press(dialog.name_edit, Qt.Key.Key_Escape)
    box = dialog.unsaved_box
    box.button(box.StandardButton.Save).click()
    assert dialog.isVisible()
    assert setup.dossier_total(env.ctx) == 0

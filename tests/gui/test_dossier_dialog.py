"""The dossier form (SPEC §2 steps 2–4): edits, attachments, status actions and their refusals."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from desktop_app.domain.status import Action, Status
from tests.gui._intake_helpers import (
    close_message_boxes,
    drop_files,
    make_env,
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


def receive(env, code: str = "1.001193", name: str = "Đặng Thị Ánh"):
    """A dossier received through the service: status 2, one history row."""
    from desktop_app.services import catalogue, dossiers, intake

    procedure = next(p for p in catalogue.list_procedures(env.ctx) if p.code == code)
    draft = intake.DossierDraft(
        procedure_id=procedure.id,
        applicant_name=name,
        id_number="001203004545",
        officer_id=env.officer_id,
        phone="0912345678",
        hamlet="Xóm Đồng Bầu",
        components=[
            intake.ComponentDraft(name=c.name, procedure_component_id=c.id)
            for c in procedure.components
        ],
    )
    return dossiers.find_by_code(env.ctx, intake.receive_dossier(env.ctx, draft))


@pytest.fixture
def dossier(env):
    return receive(env)


@pytest.fixture
def dialog(qtbot, env, dossier):
    from desktop_app.ui.dossier_dialog import DossierDialog

    dlg = DossierDialog(env.ctx, dossier.id, env.officer_id)
    qtbot.addWidget(dlg)
    dlg.show()
    qtbot.waitExposed(dlg)
    return dlg


def files_returned(monkeypatch, *paths: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([str(p) for p in paths], ""))
    )


def db(env, dossier):
    from desktop_app.services import dossiers

    return dossiers.get_dossier(env.ctx, dossier.id)


# ---------------------------------------------------------------------------- header and tabs


def test_header_tabs_and_actions(dialog, dossier, env):
    assert dialog.windowTitle() == f"Hồ sơ {dossier.code}"
    assert dossier.code in dialog.code_label.text()
    assert "Được tiếp nhận" in dialog.status_label.text()
    assert "1.001193 — Đăng ký khai sinh" in dialog.procedure_label.text()
    assert (
        "17:00 12/02/2026" in dialog.due_label.text() and "quá hạn" not in dialog.due_label.text()
    )
    assert [dialog.tabs.tabText(i) for i in range(4)] == [
        "Thông tin",
        "Thành phần hồ sơ",
        "Kết quả",
        "Lịch sử",
    ]
    assert list(dialog.action_buttons) == [
        Action.CHUYEN_XU_LY,
        Action.YEU_CAU_BO_SUNG,
        Action.YEU_CAU_NGHIA_VU_TAI_CHINH,
        Action.TU_CHOI,
        Action.DUNG_XU_LY,
        Action.RUT_HO_SO,
        Action.CO_KET_QUA,
    ]
    assert dialog.action_buttons[Action.CO_KET_QUA].text() == "Có kết quả"
    assert dialog.name_edit.text() == "Đặng Thị Ánh"
    assert dialog.id_message.text() == "Hà Nội, sinh năm 2003, nam"
    assert dialog.history_table.rowCount() == 1
    assert dialog.history_table.item(0, 2).text() == "Được tiếp nhận"
    assert dialog.history_table.item(0, 3).text() == "Nguyễn Thị Lan"


def test_overdue_due_date_is_red(qtbot, env, dossier):
    from desktop_app.ui.dossier_dialog import DossierDialog

    env.clock.now = datetime(2026, 2, 13, 8, 0)  # due 17:00 12/02
    dlg = DossierDialog(env.ctx, dossier.id, env.officer_id)
    qtbot.addWidget(dlg)
    assert "quá hạn" in dlg.due_label.text()
    assert "#b00020" in dlg.due_label.styleSheet()


# ---------------------------------------------------------------------------- status actions


def test_result_with_signed_file_then_returned(dialog, env, dossier, monkeypatch, qtbot):
    result = write_pdf(env.folder, "trich-luc-khai-sinh.pdf")
    files_returned(monkeypatch, result)

    qtbot.mouseClick(dialog.action_buttons[Action.CO_KET_QUA], Qt.MouseButton.LeftButton)
    action = dialog.action_dialog
    assert action is not None and action.isVisible()
    assert action.windowTitle() == f"Có kết quả — hồ sơ {dossier.code}"
    assert "Chưa đính kèm tệp kết quả" in action.hint.text()
    qtbot.mouseClick(action.files_field.add_button, Qt.MouseButton.LeftButton)
    assert action.files_field.files() == [result]
    assert not action.hint.isVisible()
    action.signed_box.setChecked(True)
    with qtbot.waitSignal(dialog.changed, timeout=3000):
        qtbot.mouseClick(action.ok_button, Qt.MouseButton.LeftButton)
    assert not action.isVisible()

    view = db(env, dossier)
    assert view.status is Status.DA_XU_LY_XONG
    assert view.has_result_file and view.result_signed
    assert view.ended_at == datetime(2026, 2, 12, 10, 0)
    assert list(dialog.action_buttons) == [Action.TRA_KET_QUA]
    assert "Đã xử lý xong" in dialog.status_label.text()
    assert dialog.result_list.item(0).text().startswith("trich-luc-khai-sinh.pdf")
    assert dialog.signed_box.isChecked()

    env.clock.now = datetime(2026, 2, 12, 16, 0)
    qtbot.mouseClick(dialog.action_buttons[Action.TRA_KET_QUA], Qt.MouseButton.LeftButton)
    action = dialog.action_dialog
    assert [action.satisfaction_combo.itemText(i) for i in range(4)] == [
        "Rất hài lòng",
        "Hài lòng",
        "Không hài lòng",
        "Chưa đánh giá",
    ]
    action.satisfaction_combo.setCurrentIndex(action.satisfaction_combo.findText("Hài lòng"))
    with qtbot.waitSignal(dialog.changed, timeout=3000):
        qtbot.mouseClick(action.ok_button, Qt.MouseButton.LeftButton)

    view = db(env, dossier)
    assert int(view.status) == 10
    assert view.has_result_file
    assert view.satisfaction == "hai_long"
    assert view.returned_at == datetime(2026, 2, 12, 16, 0)
    assert len(view.history) == 3
    assert [(h.from_status, h.to_status) for h in view.history] == [
        (None, Status.DUOC_TIEP_NHAN),
        (Status.DUOC_TIEP_NHAN, Status.DA_XU_LY_XONG),
        (Status.DA_XU_LY_XONG, Status.DA_TRA_KET_QUA),
    ]
    assert dialog.history_table.rowCount() == 3
    assert dialog.history_table.item(2, 1).text() == "Đã xử lý xong"
    assert dialog.history_table.item(2, 2).text() == "Đã trả kết quả"
    assert dialog.satisfaction_label.text() == "Hài lòng"
    assert dialog.action_buttons == {}
    assert dialog.actions_title.text() == "Hồ sơ đã kết thúc xử lý."


def test_refused_transition_is_shown_in_vietnamese(dialog, env, dossier):
    from desktop_app.services.dossiers import ActionInput

    assert Action.TRA_KET_QUA not in dialog.action_buttons  # no button: call the handler directly
    assert dialog.perform(ActionInput(Action.TRA_KET_QUA, officer_id=env.officer_id)) is False
    expected = "Không thể “trả kết quả” khi hồ sơ đang ở trạng thái “Được tiếp nhận”."
    assert dialog.last_error.startswith(expected)
    assert dialog.banner.isVisible() and expected in dialog.banner.text()
    assert dialog.message_box is not None and dialog.message_box.text().startswith(expected)
    view = db(env, dossier)
    assert view.status is Status.DUOC_TIEP_NHAN and len(view.history) == 1


def test_refusal_needs_a_reason_and_takes_an_end_document(dialog, env, dossier, qtbot):
    qtbot.mouseClick(dialog.action_buttons[Action.TU_CHOI], Qt.MouseButton.LeftButton)
    action = dialog.action_dialog
    qtbot.mouseClick(action.ok_button, Qt.MouseButton.LeftButton)
    assert action.isVisible()
    assert action._errors["reason"].text() == "Hãy ghi lý do (sẽ in trên phiếu gửi công dân)."
    assert db(env, dossier).status is Status.DUOC_TIEP_NHAN

    fake = write_fake_pdf(env.folder)
    assert action.files_field.add_files([fake]) == []
    assert "không phải PDF, JPEG, PNG hoặc TIFF" in action.files_field.last_refusal
    close_message_boxes()
    slip = write_pdf(env.folder, "phieu-tu-choi.pdf")
    viewport = action.files_field.list.viewport()  # item views receive drags on their viewport
    assert drop_files(viewport, viewport.rect().center(), [slip])
    assert action.files_field.files() == [slip]
    type_text(action.reason_edit, "Hồ sơ không thuộc thẩm quyền của UBND xã")
    with qtbot.waitSignal(dialog.changed, timeout=3000):
        qtbot.mouseClick(action.ok_button, Qt.MouseButton.LeftButton)
    view = db(env, dossier)
    assert view.status is Status.TU_CHOI
    assert view.end_reason == "Hồ sơ không thuộc thẩm quyền của UBND xã"
    assert view.has_end_document
    assert [a.original_name for a in view.attachments_of_kind("end_document")] == [
        "phieu-tu-choi.pdf"
    ]
    assert len(stored_files(env.attachments_dir)) == 1


def test_supplement_request_needs_items(dialog, env, dossier, qtbot):
    qtbot.mouseClick(dialog.action_buttons[Action.YEU_CAU_BO_SUNG], Qt.MouseButton.LeftButton)
    action = dialog.action_dialog
    action.submit()
    assert action._errors["items"].text() == "Hãy ghi các giấy tờ cần bổ sung, hoàn thiện."
    action.items_edit.setPlainText("Bản sao Giấy chứng nhận kết hôn của cha, mẹ")
    action.reason_edit.setText("Thiếu giấy tờ")
    with qtbot.waitSignal(dialog.changed, timeout=3000):
        action.submit()
    assert db(env, dossier).status is Status.YEU_CAU_BO_SUNG
    assert dialog.supplement_table.rowCount() == 1
    assert (
        dialog.supplement_table.item(0, 1).text() == "Bản sao Giấy chứng nhận kết hôn của cha, mẹ"
    )
    assert dialog.supplement_table.item(0, 3).text() == "Đang chờ"
    assert Action.HOAN_THANH_BO_SUNG in dialog.action_buttons


def test_stale_version_yields_the_conflict_message(dialog, env, dossier):
    from desktop_app.services import dossiers
    from desktop_app.services.dossiers import ActionInput, DossierEdit

    # Another counter saves the same dossier after this form was opened.
    dossiers.update_dossier(env.ctx, dossier.id, dossier.version, DossierEdit(phone="0987654321"))

    dialog.name_edit.setText("Đặng Thị Ánh Tuyết")
    dialog._mark_dirty()
    assert dialog.save() is False
    assert "vừa được người khác sửa và lưu trước bạn" in dialog.last_error
    assert dialog.banner.isVisible() and "Tải lại" in dialog.banner.text()
    assert db(env, dossier).applicant_name == "Đặng Thị Ánh"
    assert dialog.name_edit.text() == "Đặng Thị Ánh Tuyết"  # the officer's typing is kept
    close_message_boxes()

    assert dialog.perform(ActionInput(Action.CHUYEN_XU_LY, officer_id=env.officer_id)) is False
    assert "vừa được người khác sửa" in dialog.last_error
    assert db(env, dossier).status is Status.DUOC_TIEP_NHAN

    dialog.reload()
    assert dialog.phone_edit.text() == "0987654321"
    assert dialog.perform(ActionInput(Action.CHUYEN_XU_LY, officer_id=env.officer_id)) is True
    assert db(env, dossier).status is Status.DANG_XU_LY


# ---------------------------------------------------------------------------- edits and files


def test_edit_info_and_component_flags(dialog, env, dossier, monkeypatch, qtbot):
    type_text(dialog.phone_edit, "")  # focus, then replace
    dialog.phone_edit.clear()
    type_text(dialog.phone_edit, "0977111222")
    dialog.identity_box.setChecked(True)
    dialog.identity_combo.setCurrentIndex(dialog.identity_combo.findData("csdl_dan_cu"))
    dialog.checklist.rows[2].kho_box.setChecked(True)
    dialog.checklist.rows[1].not_required_box.setChecked(True)
    dialog.synced_box.setChecked(True)
    assert dialog.is_dirty()

    scan = write_pdf(env.folder, "giay-chung-sinh.pdf")
    files_returned(monkeypatch, scan)
    with qtbot.waitSignal(dialog.changed, timeout=3000):
        qtbot.mouseClick(dialog.checklist.rows[0].attach_button, Qt.MouseButton.LeftButton)
    assert dialog.checklist.rows[0].files_label.text() == "1 tệp"  # stored at once
    assert dialog.phone_edit.text() == "0977111222"  # unsaved edits survive the refresh
    assert dialog.checklist.rows[2].kho_box.isChecked()

    with qtbot.waitSignal(dialog.changed, timeout=3000):
        assert dialog.save() is True
    view = db(env, dossier)
    assert view.phone == "0977111222"
    assert (view.identity_checked, view.identity_method) == (True, "csdl_dan_cu")
    assert view.synced and view.synced_at == datetime(2026, 2, 12, 10, 0)
    flags = [
        (c.digitised, c.reused, c.from_kho, c.not_required, len(c.attachments))
        for c in view.components
    ]
    assert flags == [
        (True, False, False, False, 1),
        (False, False, False, True, 0),
        (False, False, True, False, 0),
    ]
    assert not dialog.is_dirty()
    assert dialog.status_message.text() == "Đã lưu thay đổi."
    assert dialog.save() is False  # nothing left to save
    assert dialog.status_message.text() == "Không có thay đổi nào để lưu."


def test_invalid_id_number_is_refused_inline(dialog, env, dossier):
    dialog.id_edit.setText("12345")
    dialog._mark_dirty()
    assert dialog.save() is False
    assert "12 chữ số" in dialog.id_message.text()
    assert dialog.focusWidget() is dialog.id_edit
    assert db(env, dossier).id_number == "001203004545"


def test_component_file_refused_copies_nothing(dialog, env, dossier):
    fake = write_fake_pdf(env.folder)
    assert dialog.checklist.add_files(0, [fake]) == []
    assert "không phải PDF, JPEG, PNG hoặc TIFF" in dialog.checklist.last_refusal
    assert stored_files(env.attachments_dir) == []
    assert db(env, dossier).components[0].attachments == ()


def test_result_signed_flag_can_be_changed_later(dialog, env, dossier):
    from desktop_app.services.dossiers import ActionInput

    result = write_pdf(env.folder, "ket-qua.pdf")
    assert dialog.perform(
        ActionInput(Action.CO_KET_QUA, officer_id=env.officer_id, result_files=[result])
    )
    assert dialog.signed_box.isEnabled() and not dialog.signed_box.isChecked()
    dialog.signed_box.setChecked(True)
    assert dialog.save() is True
    assert db(env, dossier).result_signed is True

    more = write_pdf(env.folder, "ket-qua-trang-2.pdf", size=64)
    assert dialog.attach_files("result", [more]) is True
    assert dialog.result_list.count() == 2


def _escape_with_edits(dialog, qtbot):
    dialog.phone_edit.clear()
    type_text(dialog.phone_edit, "0977000111")
    assert dialog.is_dirty()
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()  # not closed: the officer is asked first
    assert dialog.unsaved_box is not None and dialog.unsaved_box.isVisible()
    return dialog.unsaved_box


def test_closing_with_unsaved_edits_asks_and_can_save(dialog, env, dossier, qtbot):
    box = _escape_with_edits(dialog, qtbot)
    box.button(box.StandardButton.Save).click()
    assert not dialog.isVisible()
    from desktop_app.services import dossiers

    assert dossiers.get_dossier(env.ctx, dossier.id).phone == "0977000111"


def test_closing_with_unsaved_edits_can_discard_or_go_back(dialog, env, dossier, qtbot):
    from desktop_app.services import dossiers

    box = _escape_with_edits(dialog, qtbot)
    box.button(box.StandardButton.Cancel).click()
    assert dialog.isVisible() and dialog.phone_edit.text() == "0977000111"
    box = _escape_with_edits(dialog, qtbot)
    box.button(box.StandardButton.Discard).click()
    assert not dialog.isVisible()
    assert dossiers.get_dossier(env.ctx, dossier.id).phone == "0912345678"

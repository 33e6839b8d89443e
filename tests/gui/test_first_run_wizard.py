"""The first-run wizard: typed like a person would, checked in the database afterwards."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QWizard
from sqlalchemy import select

from desktop_app.services import accounts, setup
from desktop_app.storage.errors import UserFixableError
from desktop_app.storage.models import Officer
from desktop_app.ui.first_run_wizard import FirstRunWizard, suggest_username


@pytest.fixture
def wizard(raw_ctx, qtbot) -> FirstRunWizard:
    widget = FirstRunWizard(raw_ctx)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def next_button(wizard: FirstRunWizard):
    return wizard.button(QWizard.WizardButton.NextButton)


def go_to_profile(wizard: FirstRunWizard, qtbot) -> None:
    assert wizard.currentId() == FirstRunWizard.PAGE_WELCOME
    assert next_button(wizard).isEnabled()
    next_button(wizard).click()
    assert wizard.currentId() == FirstRunWizard.PAGE_PROFILE


def fill_profile(wizard: FirstRunWizard, type_text) -> None:
    page = wizard.profile_page
    for edit, text in (
        (page.unit_name, "UBND xã Phú Lạc"),
        (page.parent_agency, "UBND tỉnh Thái Nguyên"),
        (page.province, "Thái Nguyên"),
        (page.place_name, "Phú Lạc"),
        (page.unit_code, "000.00.53.H48"),
        (page.head_name, "Nguyễn Văn Hùng"),
        (page.head_title, "Chủ tịch UBND xã"),
    ):
        edit.setFocus()
        type_text(edit, text)
    page.e_copy.setChecked(True)
    page.hamlets.setPlainText("Xóm Đồng Bầu\n\n  Xóm Na Mao  \nXóm Đồng Bầu\n")


def test_wizard_saves_profile_hamlets_and_administrator(raw_ctx, wizard, qtbot, type_text) -> None:
    assert not setup.is_configured(raw_ctx)
    go_to_profile(wizard, qtbot)
    assert not next_button(wizard).isEnabled()  # required fields empty
    fill_profile(wizard, type_text)
    assert wizard.profile_page.unit_name.text() == "UBND xã Phú Lạc"
    assert "000.00.53.H48-260212-0001" in wizard.profile_page.code_hint.text()
    assert next_button(wizard).isEnabled()
    next_button(wizard).click()
    assert wizard.currentId() == FirstRunWizard.PAGE_OFFICER

    page = wizard.officer_page
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    assert not finish.isEnabled()
    page.full_name.setFocus()
    type_text(page.full_name, "Nguyễn Thị Lan")
    assert page.username.text() == "lan.nt"  # suggested from the name
    assert page.role_label.text() == "Quản trị"
    assert not finish.isEnabled()  # no password yet
    fill_password(page, type_text, "mật khẩu 2026", "mật khẩu 2025")
    assert page.error_labels["password_again"].text() == "Hai lần nhập mật khẩu không giống nhau."
    assert not finish.isEnabled()
    page.password_again.clear()
    type_text(page.password_again, "mật khẩu 2026")
    assert finish.isEnabled()
    finish.click()

    assert wizard.result() == QWizard.DialogCode.Accepted
    assert setup.is_configured(raw_ctx)
    profile = setup.get_profile(raw_ctx)
    assert (profile.unit_name, profile.parent_agency, profile.province, profile.place_name) == (
        "UBND xã Phú Lạc", "UBND tỉnh Thái Nguyên", "Thái Nguyên", "Phú Lạc")
    assert profile.unit_code == "000.00.53.H48"
    assert (profile.head_name, profile.head_title) == ("Nguyễn Văn Hùng", "Chủ tịch UBND xã")
    assert profile.offers_e_certified_copy
    assert setup.list_hamlets(raw_ctx) == ["Xóm Đồng Bầu", "Xóm Na Mao"]
    officers = setup.list_officers(raw_ctx)
    assert [(o.username, o.full_name, o.role) for o in officers] == [("lan.nt", "Nguyễn Thị Lan", "quan_tri")]
    assert wizard.officer == officers[0]
    # the password is stored as an Argon2 hash, and the administrator is the acting officer
    with raw_ctx.read() as session:
        stored = session.scalar(select(Officer.password_hash))
    assert stored.startswith("$argon2id$") and "mật khẩu" not in stored
    assert accounts.password_matches(stored, "mật khẩu 2026")
    assert raw_ctx.officer_id == officers[0].id
    assert accounts.accounts_enabled(raw_ctx)


def fill_password(page, type_text, password: str, again: str) -> None:
    page.password.setFocus()
    type_text(page.password, password)
    page.password_again.setFocus()
    type_text(page.password_again, again)
    page.password_again.clearFocus()  # editingFinished: the message under the field shows


def test_short_password_blocks_finish(wizard, qtbot, type_text) -> None:
    go_to_profile(wizard, qtbot)
    fill_profile(wizard, type_text)
    next_button(wizard).click()
    page = wizard.officer_page
    type_text(page.full_name, "Nguyễn Thị Lan")
    fill_password(page, type_text, "ngắn", "ngắn")
    page.password.setFocus()
    page.password.clearFocus()
    assert page.error_labels["password"].text() == "Mật khẩu cần ít nhất 8 ký tự."
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()


def test_invalid_unit_code_blocks_next_with_the_message_under_the_field(wizard, qtbot, type_text) -> None:
    go_to_profile(wizard, qtbot)
    fill_profile(wizard, type_text)
    page = wizard.profile_page
    page.unit_code.clear()
    page.unit_code.setFocus()
    type_text(page.unit_code, "000/00 53")
    error = page.error_labels["unit_code"]
    assert error.isVisible()
    assert error.text().startswith("Mã đơn vị chỉ gồm chữ, số và dấu chấm")
    assert not next_button(wizard).isEnabled()
    next_button(wizard).click()
    assert wizard.currentId() == FirstRunWizard.PAGE_PROFILE

    page.unit_code.clear()
    type_text(page.unit_code, "000.00.53.H48")
    assert not error.isVisible()
    assert next_button(wizard).isEnabled()


def test_errors_show_only_for_fields_already_touched(wizard, qtbot, type_text) -> None:
    go_to_profile(wizard, qtbot)
    page = wizard.profile_page
    assert not any(label.isVisible() for label in page.error_labels.values())
    page.unit_name.setFocus()
    type_text(page.unit_name, "X")
    page.unit_name.clear()
    assert page.error_labels["unit_name"].isVisible()
    assert page.error_labels["unit_name"].text() == "Chưa nhập tên đơn vị (ví dụ: UBND xã Phú Lạc)."
    assert not page.error_labels["place_name"].isVisible()


def test_bad_username_blocks_finish(wizard, qtbot, type_text) -> None:
    go_to_profile(wizard, qtbot)
    fill_profile(wizard, type_text)
    next_button(wizard).click()
    page = wizard.officer_page
    type_text(page.full_name, "Nguyễn Thị Lan")
    page.username.clear()
    page.username.setFocus()
    type_text(page.username, "Lan NT")
    assert page.error_labels["username"].isVisible()
    assert not wizard.button(QWizard.WizardButton.FinishButton).isEnabled()


def test_a_failed_save_is_shown_and_the_wizard_stays_open(raw_ctx, wizard, qtbot, type_text, monkeypatch,
                                                          message_boxes) -> None:
    def refuse(*_args, **_kwargs):
        raise UserFixableError("Tệp dữ liệu chỉ cho phép đọc, không ghi được.", "Hãy bỏ thuộc tính “chỉ đọc”.")

    monkeypatch.setattr(accounts, "create_administrator", refuse)
    go_to_profile(wizard, qtbot)
    fill_profile(wizard, type_text)
    next_button(wizard).click()
    type_text(wizard.officer_page.full_name, "Nguyễn Thị Lan")
    fill_password(wizard.officer_page, type_text, "mật khẩu 2026", "mật khẩu 2026")
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.isVisible()
    assert wizard.result() != QWizard.DialogCode.Accepted
    boxes = message_boxes()
    assert len(boxes) == 1
    assert boxes[0].text() == "Tệp dữ liệu chỉ cho phép đọc, không ghi được."
    assert not setup.is_configured(raw_ctx)


def test_cancel_saves_nothing(raw_ctx, wizard, qtbot, type_text) -> None:
    go_to_profile(wizard, qtbot)
    fill_profile(wizard, type_text)
    wizard.button(QWizard.WizardButton.CancelButton).click()
    assert wizard.result() == QWizard.DialogCode.Rejected
    assert setup.get_profile(raw_ctx) is None
    assert setup.list_officers(raw_ctx) == []


def test_buttons_are_in_vietnamese(wizard) -> None:
    texts = {wizard.buttonText(b) for b in (QWizard.WizardButton.BackButton, QWizard.WizardButton.NextButton,
                                             QWizard.WizardButton.FinishButton, QWizard.WizardButton.CancelButton)}
    assert texts == {"< &Quay lại", "&Tiếp theo >", "&Hoàn tất", "&Hủy"}


def test_an_interrupted_setup_is_shown_again(raw_ctx, qtbot) -> None:
    setup.save_profile(raw_ctx, setup.ProfileInput(unit_name="UBND xã Phú Lạc", unit_code="000.00.53.H48",
                                                   place_name="Phú Lạc"))
    setup.set_hamlets(raw_ctx, ["Xóm Đồng Bầu"])
    wizard = FirstRunWizard(raw_ctx)
    qtbot.addWidget(wizard)
    assert wizard.profile_page.unit_name.text() == "UBND xã Phú Lạc"
    assert wizard.profile_page.hamlets.toPlainText() == "Xóm Đồng Bầu"
    assert wizard.profile_page.isComplete()


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Nguyễn Thị Lan", "lan.nt"), ("Đặng Văn Đức", "duc.dv"), ("Hùng", "hung"), ("  ", "")],
)
def test_suggested_username(name: str, expected: str) -> None:
    assert suggest_username(name) == expected

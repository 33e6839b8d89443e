"""Qt's own words (standard buttons, text menus, file dialogs) are shown in Vietnamese."""

from __future__ import annotations

import shutil
import subprocess
import sys
import unicodedata
from pathlib import Path
from xml.etree import ElementTree

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QProgressDialog,
    QPushButton,
    QWizard,
    QWizardPage,
)

from desktop_app.storage.bundle import resource_path
from desktop_app.ui import qt_vietnamese
from desktop_app.ui.app import create_application

TS_FILE = resource_path("translations", "qt_vi.ts")


def _texts(menu) -> list[str]:
    return [action.text().split("\t")[0] for action in menu.actions() if not action.isSeparator()]


def test_message_box_buttons_are_vietnamese(qtbot) -> None:
    box = QMessageBox(QMessageBox.Icon.Question, "Xóa hồ sơ", "Xóa hồ sơ này?",
                      QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No
                      | QMessageBox.StandardButton.Cancel)
    qtbot.addWidget(box)
    assert box.button(QMessageBox.StandardButton.Yes).text() == "&Có"
    assert box.button(QMessageBox.StandardButton.No).text() == "&Không"
    assert box.button(QMessageBox.StandardButton.Cancel).text() == "Hủy"
    box.setDetailedText("Chi tiết lỗi")
    box.show()
    qtbot.waitExposed(box)
    texts = [button.text() for button in box.buttons()]
    assert "Xem chi tiết…" in texts
    assert not any(text in ("&Yes", "&No", "Cancel", "Show Details...") for text in texts)


def test_dialog_button_box_and_progress_dialog(qtbot) -> None:
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
                               | QDialogButtonBox.StandardButton.Close | QDialogButtonBox.StandardButton.Save)
    qtbot.addWidget(buttons)
    texts = {b: buttons.button(b).text() for b in (QDialogButtonBox.StandardButton.Ok,
                                                    QDialogButtonBox.StandardButton.Cancel,
                                                    QDialogButtonBox.StandardButton.Close,
                                                    QDialogButtonBox.StandardButton.Save)}
    assert list(texts.values()) == ["Đồng ý", "Hủy", "Đóng", "Lưu"]
    progress = QProgressDialog()
    qtbot.addWidget(progress)
    progress.show()
    assert [b.text() for b in progress.findChildren(QPushButton)] == ["Hủy"]


def test_text_box_menus_are_vietnamese(qtbot) -> None:
    line = QLineEdit("Nguyễn Văn An")
    plain = QPlainTextEdit("Ghi chú")
    qtbot.addWidget(line)
    qtbot.addWidget(plain)
    expected = ["&Hoàn tác", "&Làm lại", "&Cắt", "Sao &chép", "&Dán", "Xóa", "Chọn tất cả"]
    assert _texts(line.createStandardContextMenu()) == expected
    assert _texts(plain.createStandardContextMenu()) == expected


def test_a_plain_wizard_and_the_file_dialog(qtbot) -> None:
    wizard = QWizard()
    wizard.addPage(QWizardPage())
    wizard.addPage(QWizardPage())
    qtbot.addWidget(wizard)
    wizard.show()
    assert wizard.button(QWizard.WizardButton.NextButton).text() == "&Tiếp theo >"
    assert wizard.button(QWizard.WizardButton.CancelButton).text() == "Hủy"
    dialog = QFileDialog(None, "Chọn tệp Excel")
    dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    labels = {label.text() for label in dialog.findChildren(QLabel)}
    assert {"&Tìm trong:", "&Tên tệp:", "&Loại tệp:"} <= labels
    dialog.close()


def test_the_apps_own_strings_pass_through_and_install_is_idempotent(qapp) -> None:
    assert QCoreApplication.translate("DashboardWidget", "Chiến dịch") == "Chiến dịch"
    assert QCoreApplication.translate("QPlatformTheme", "Something Qt never asks") == "Something Qt never asks"
    first = qt_vietnamese.install(qapp)
    assert first is not None
    create_application()  # the app's start installs the same translator again: no duplicate
    assert qt_vietnamese.install(qapp) is first
    assert QCoreApplication.translate("QPlatformTheme", "OK") == "Đồng ý"


def _messages() -> list[tuple[str, str, str]]:
    root = ElementTree.parse(TS_FILE).getroot()
    return [(context.findtext("name"), message.findtext("source"), message.findtext("translation"))
            for context in root.iter("context") for message in context.iter("message")]


def test_every_entry_is_vietnamese_text_with_its_mnemonic_kept() -> None:
    messages = _messages()
    assert len(messages) > 60
    for context, source, text in messages:
        assert text and text != source, (context, source)
        assert ("&" in source) == ("&" in text), (context, source, text)  # Alt+letter stays
        assert source.count("%1") == text.count("%1"), (context, source)
        assert text == unicodedata.normalize("NFC", text), (context, source)


def test_the_shipped_qm_file_is_compiled_from_the_ts_file(tmp_path) -> None:
    lrelease = shutil.which("pyside6-lrelease", path=str(Path(sys.executable).parent)) or shutil.which(
        "pyside6-lrelease")
    assert lrelease, "pyside6-lrelease comes with PySide6"
    fresh = tmp_path / "qt_vi.qm"
    subprocess.run([lrelease, "-silent", str(TS_FILE), "-qm", str(fresh)], check=True)
    assert fresh.read_bytes() == Path(qt_vietnamese.translations_file()).read_bytes(), (
        "run: pyside6-lrelease resources/translations/qt_vi.ts")

"""The counter slips on screen: the receipt offered right after an intake (its QR code decodes to
the mã hồ sơ), "In phiếu" in the dossier form, a refusal through the form that leaves its slip
attached as the end document (END_DOCUMENT_MISSING gone), and the missing-fields message."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QLabel, QPushButton

from desktop_app.domain.status import Action, Status
from desktop_app.services import dossiers, slips
from desktop_app.storage.models import Dossier
from desktop_app.ui import slip_dialog
from desktop_app.ui.dossier_dialog import DossierDialog
from desktop_app.ui.main_window import MainWindow

from .conftest import send_text

REASON = "Hồ sơ không thuộc thẩm quyền giải quyết của UBND xã"


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                         encoding="utf-8").stdout
    return " ".join(out.split())


def qr_codes(pdf: Path, folder: Path) -> list[str]:
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf), str(folder / "page")],
                   check=True)
    image = next(folder.glob("page*.png"))
    found = subprocess.run(["zbarimg", "--quiet", "--raw", str(image)], capture_output=True, encoding="utf-8",
                           check=False)  # exit 4 when no code is found: the assertion says so
    return found.stdout.split()


def answer_save(monkeypatch, target: Path) -> None:
    monkeypatch.setattr(slip_dialog, "ask_save_path", lambda parent, title, suggested: target)


def answer_print_to(monkeypatch, target: Path) -> None:
    def ask(parent, printer, pages):
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setResolution(100)
        return True

    monkeypatch.setattr(slip_dialog, "ask_printer", ask)


@pytest.fixture
def window(ctx, qtbot) -> MainWindow:
    win = MainWindow(ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def form(ctx, make_dossier, qtbot):
    def open_form(code: str) -> DossierDialog:
        view = dossiers.find_by_code(ctx, code)
        dialog = DossierDialog(ctx, view.id, ctx.test_officer_id)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        return dialog

    return open_form


def test_receipt_offered_after_intake_has_a_qr_code_of_the_code(window, ctx, qtbot, tmp_path, monkeypatch):
    window.intake_action.trigger()
    intake = window.intake_dialog
    assert intake.picker.select_code("1.001193")  # the picker itself is tested in test_intake_dialog
    assert intake.procedure() is not None and intake.procedure().code == "1.001193"
    send_text(intake.name_edit, "Đặng Thị Ánh")
    intake.no_id_box.setChecked(True)
    with qtbot.waitSignal(intake.saved, timeout=5000) as saved:
        qtbot.mouseClick(intake.save_button, Qt.MouseButton.LeftButton)
    code = saved.args[0]

    offer = window.slip_dialog  # opened by the window right after the save
    assert isinstance(offer, slip_dialog.SlipDialog) and offer.isVisible()
    assert offer.windowTitle() == "In giấy tiếp nhận?"
    assert code in offer.findChild(QLabel, "slipHeader").text()
    assert offer.kind() == "receipt" and offer.close_button.text() == "Không in"
    assert offer.preview.page_count() == 1
    assert offer.print_button.isDefault()

    target = tmp_path / "giay-tiep-nhan.pdf"
    answer_save(monkeypatch, target)
    qtbot.mouseClick(offer.save_button, Qt.MouseButton.LeftButton)
    assert offer.last_saved == target
    text = pdf_text(target)
    assert "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ" in text and "Đặng Thị Ánh" in text
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert qr_codes(target, tmp_path) == [code]

    # A5 is remembered for the next slip
    qtbot.mouseClick(offer.a5_button, Qt.MouseButton.LeftButton)
    assert offer.page_size() == "A5" and offer.preview.page_count() >= 1
    a5 = tmp_path / "a5.pdf"
    answer_save(monkeypatch, a5)
    qtbot.mouseClick(offer.save_button, Qt.MouseButton.LeftButton)
    box = PdfReader(a5).pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (420, 595)
    qtbot.mouseClick(offer.close_button, Qt.MouseButton.LeftButton)
    assert not offer.isVisible()
    again = slip_dialog.offer_receipt(window, ctx, code)
    assert again.page_size() == "A5"


def test_refusal_through_the_form_attaches_its_slip_and_clears_the_warning(ctx, make_dossier, form, qtbot,
                                                                         tmp_path, monkeypatch):
    code = make_dossier("Lê Văn Dũng")
    dialog = form(code)
    qtbot.mouseClick(dialog.action_buttons[Action.TU_CHOI], Qt.MouseButton.LeftButton)
    action = dialog.action_dialog
    box = action.make_document_box
    assert box.isChecked() and box.text() == "Tạo và đính kèm Phiếu từ chối (mẫu 03), rồi in"
    send_text(action.reason_edit, REASON)
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        qtbot.mouseClick(action.ok_button, Qt.MouseButton.LeftButton)

    view = dossiers.find_by_code(ctx, code)
    assert view.status is Status.TU_CHOI and view.has_end_document
    assert "END_DOCUMENT_MISSING" not in view.warnings
    stored = view.attachments_of_kind("end_document")
    assert [a.original_name for a in stored] == [slips.slip_file_name("refusal", code)]
    path = ctx.attachment_store().path_for(stored[0].sha256)
    text = pdf_text(path)
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text and REASON in text
    # the form shows it: no "missing end document" problem, the file in the Kết quả tab
    assert "END_DOCUMENT_MISSING" not in dialog.problem_buttons
    assert dialog.end_list.count() == 1 and dialog.end_list.item(0).text().startswith("phieu-tu-choi-")
    assert "đính kèm phiếu từ chối" in dialog.status_message.text()

    # and the slip is open for printing
    slip = dialog.slip_dialog
    assert isinstance(slip, slip_dialog.SlipDialog) and slip.isVisible() and slip.kind() == "refusal"
    printed = tmp_path / "printed.pdf"
    answer_print_to(monkeypatch, printed)
    qtbot.mouseClick(slip.print_button, Qt.MouseButton.LeftButton)
    assert slip.last_printed_pages == 1 and len(PdfReader(printed).pages) == 1


def test_refusal_without_the_box_leaves_the_warning(ctx, make_dossier, form, qtbot):
    code = make_dossier("Lê Văn Dũng")
    dialog = form(code)
    qtbot.mouseClick(dialog.action_buttons[Action.TU_CHOI], Qt.MouseButton.LeftButton)
    action = dialog.action_dialog
    action.make_document_box.setChecked(False)
    send_text(action.reason_edit, REASON)
    with qtbot.waitSignal(dialog.changed, timeout=5000):
        qtbot.mouseClick(action.ok_button, Qt.MouseButton.LeftButton)
    view = dossiers.find_by_code(ctx, code)
    assert view.status is Status.TU_CHOI and not view.has_end_document
    assert "END_DOCUMENT_MISSING" in view.warnings
    assert getattr(dialog, "slip_dialog", None) is None


def test_stop_box_and_a_signed_file_replaces_it(ctx, make_dossier, form, qtbot, tmp_path):
    code = make_dossier()
    dialog = form(code)
    qtbot.mouseClick(dialog.action_buttons[Action.DUNG_XU_LY], Qt.MouseButton.LeftButton)
    action = dialog.action_dialog
    assert action.make_document_box.text() == "Tạo và đính kèm Thông báo dừng giải quyết (mẫu 05), rồi in"
    signed = tmp_path / "thong-bao-da-ky.pdf"
    signed.write_bytes(b"%PDF-1.4\n% signed scan\n" + b"0" * 32 + b"\n%%EOF\n")
    action.files_field.add_files([signed])
    assert not action.make_document_box.isChecked()  # the signed document is attached instead
    action.files_field.list.setCurrentRow(0)
    action.files_field.remove_selected()
    assert action.make_document_box.isChecked()


def test_slip_menu_of_the_form_follows_the_dossier(ctx, make_dossier, form, qtbot):
    from desktop_app.services.dossiers import ActionInput

    code = make_dossier()
    dialog = form(code)
    slip_button = dialog.findChild(QPushButton, "slipButton")
    assert slip_button is not None and slip_button.text() == "In phiếu"
    menu = slip_button.menu()
    menu.aboutToShow.emit()
    assert [a.objectName() for a in menu.actions()] == ["slip_receipt"]

    assert dialog.perform(ActionInput(Action.YEU_CAU_BO_SUNG, officer_id=ctx.test_officer_id,
                                      items="Bản sao Giấy chứng nhận kết hôn của cha, mẹ"))
    menu.aboutToShow.emit()
    assert [a.objectName() for a in menu.actions()] == ["slip_receipt", "slip_supplement"]
    next(a for a in menu.actions() if a.objectName() == "slip_supplement").trigger()
    slip = dialog.slip_dialog
    assert slip.isVisible() and slip.kind() == "supplement" and slip.preview.page_count() == 1
    assert slip.windowTitle() == f"In phiếu — hồ sơ {code}"


def test_missing_fields_are_listed_instead_of_a_half_empty_slip(ctx, make_dossier, qtbot, message_boxes):
    code = make_dossier()
    view = dossiers.find_by_code(ctx, code)
    with ctx.session() as session:  # e.g. a record imported without the applicant's name
        session.get(Dossier, view.id).applicant_name = ""
    dialog = slip_dialog.SlipDialog(ctx, view.id, "receipt")
    qtbot.addWidget(dialog)
    dialog.show()
    assert "họ tên chủ hồ sơ" in dialog.missing
    assert dialog.missing_label.isVisible() and "• họ tên chủ hồ sơ" in dialog.missing_label.text()
    assert dialog.preview.page_count() == 0
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    boxes = [b for b in message_boxes() if b.windowTitle() == "Chưa in được phiếu"]
    assert len(boxes) == 1 and "họ tên chủ hồ sơ" in boxes[0].text()
    assert "Còn thiếu:" in boxes[0].informativeText()

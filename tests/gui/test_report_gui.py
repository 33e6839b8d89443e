"""The "Báo cáo" menu and dialog driven as an officer would, on a demo database: the preview shows
every page of the report, "Lưu PDF…" writes it, "Hủy" leaves no file, "In…" prints each page."""

from __future__ import annotations

import subprocess
import threading
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QMenu, QProgressDialog, QPushButton

from desktop_app.services import campaigns, demo, reports
from desktop_app.services.campaigns import CampaignInput
from desktop_app.ui import report_dialog
from desktop_app.ui.main_window import MainWindow
from desktop_app.ui.pdf_preview import PdfPreview

from .conftest import FIXED_NOW

QUOC_HIEU = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
TIEU_NGU = "Độc lập - Tự do - Hạnh phúc"


def pdf_text(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                         encoding="utf-8").stdout
    return " ".join(out.split())


@pytest.fixture
def demo_ctx(raw_ctx):
    """300 demo dossiers over the six weeks before Thursday 12/02/2026 (the demo commune)."""
    demo.generate(raw_ctx, 300, seed=3, weeks=6, now=FIXED_NOW)
    return raw_ctx


@pytest.fixture
def window(demo_ctx, qtbot) -> MainWindow:
    win = MainWindow(demo_ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def open_from_menu(window: MainWindow, kind: str = "weekly") -> report_dialog.ReportDialog:
    menu = window.menuBar().findChild(QMenu, "reportMenu")
    assert menu is not None and menu.title() == "&Báo cáo"
    action = next(a for a in menu.actions() if a.objectName() == f"report_{kind}")
    action.trigger()
    dialog = window.report_actions.report_dialog
    assert isinstance(dialog, report_dialog.ReportDialog) and dialog.isVisible()
    return dialog


def wait_done(qtbot, dialog: report_dialog.ReportDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=30_000)


def answer_save(monkeypatch, target: Path, asked: list | None = None) -> None:
    def ask(parent, title, suggested):
        if asked is not None:
            asked.append(suggested)
        return target

    monkeypatch.setattr(report_dialog, "ask_save_path", ask)


def answer_print_to(monkeypatch, target: Path) -> list[QPrinter]:
    """The print dialog answered "In" with a printer writing a PDF file (what the driver gets)."""
    used: list[QPrinter] = []

    def ask(parent, printer, pages):
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        printer.setResolution(100)  # a small test file; the drawing is the same at 300 dpi
        used.append(printer)
        return True

    monkeypatch.setattr(report_dialog, "ask_printer", ask)
    return used


def test_menu_preview_shows_every_page_and_save_writes_the_report(window, qtbot, tmp_path, monkeypatch):
    menu = window.menuBar().findChild(QMenu, "reportMenu")
    assert [a.text() for a in menu.actions() if a.text()] == [
        "Báo cáo &tuần…", "Báo cáo t&háng…", "Tổng kết &chiến dịch…", "In &phiếu của hồ sơ đang chọn…"]
    dialog = open_from_menu(window)
    assert dialog.kind_combo.currentText() == "Báo cáo tuần"
    assert dialog.period_label.text() == "Tuần 7 năm 2026 (09/02/2026 – 15/02/2026)"
    assert not dialog.week_combo.isVisible()  # no campaign: ISO weeks

    qtbot.mouseClick(dialog.preview_button, Qt.MouseButton.LeftButton)
    progress = dialog.findChild(QProgressDialog, "reportProgress")
    assert progress is not None  # drawn off the UI thread, with a progress dialog
    wait_done(qtbot, dialog)
    pages = dialog.preview.page_count()
    assert pages >= 2
    assert dialog.preview.view is not None and dialog.preview.view.document() is dialog.preview.document
    assert dialog.pages_label.text() == f"Báo cáo tuần: {pages} trang"
    assert dialog.findChild(QProgressDialog, "reportProgress") is None or not progress.isVisible()

    folder = tmp_path / "bao-cao"
    folder.mkdir()
    target = folder / "tuan-7.pdf"
    asked: list[Path] = []
    answer_save(monkeypatch, target, asked)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    assert asked[0].name == "bao-cao-tuan-2026-02-09.pdf"
    assert dialog.last_saved == target
    assert "Đã lưu báo cáo" in dialog.status_label.text()
    assert len(PdfReader(target).pages) == pages  # the saved file is the report previewed
    text = pdf_text(target)
    assert QUOC_HIEU in text and TIEU_NGU in text
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN TUẦN" in text
    assert "Tuần 7 năm 2026 (09/02/2026 – 15/02/2026)" in text
    assert [p.name for p in folder.iterdir()] == ["tuan-7.pdf"]

    # the preview files live in a private folder that goes away with the dialog
    temp = dialog.temp.path
    assert any(temp.iterdir())
    dialog.reject()
    assert not temp.exists()


def test_cancel_leaves_no_file(window, qtbot, tmp_path, monkeypatch):
    dialog = open_from_menu(window, "monthly")
    assert dialog.period_label.text() == "Tháng 2 năm 2026 (01/02/2026 – 28/02/2026)"
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "thang-2.pdf"
    answer_save(monkeypatch, target)

    # hold the worker after its first step until "Hủy" was clicked, so the click surely comes first
    clicked = threading.Event()
    steps: list[int] = []
    real = reports.write_report

    def held(ctx, kind, day, out, **kwargs):
        progress = kwargs["progress"]

        def step(done, total):
            progress(done, total)
            steps.append(done)
            clicked.wait(10)

        return real(ctx, kind, day, out, **{**kwargs, "progress": step})

    monkeypatch.setattr(report_dialog.reports, "write_report", held)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    try:
        qtbot.waitUntil(lambda: bool(steps), timeout=10_000)
        progress = dialog.findChild(QProgressDialog, "reportProgress")
        assert progress is not None and progress.isVisible()
        cancel = next(b for b in progress.findChildren(QPushButton) if b.text() == "Hủy")
        qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    finally:
        clicked.set()  # never leave the worker waiting
    wait_done(qtbot, dialog)
    assert dialog.status_label.text() == "Đã hủy: không có tệp nào được ghi."
    assert list(folder.iterdir()) == []  # neither the report nor a temporary part of it
    assert dialog.last_saved is None

    # the same report without cancelling is written
    clicked.set()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    assert [p.name for p in folder.iterdir()] == ["thang-2.pdf"]
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN THÁNG" in pdf_text(target)


def test_print_renders_every_page_onto_the_printer(window, qtbot, tmp_path, monkeypatch):
    dialog = open_from_menu(window)
    printed = tmp_path / "printer-output.pdf"
    used = answer_print_to(monkeypatch, printed)
    qtbot.mouseClick(dialog.print_button, Qt.MouseButton.LeftButton)  # no preview yet: drawn first
    wait_done(qtbot, dialog)
    pages = dialog.preview.page_count()
    assert pages >= 2 and len(used) == 1
    assert dialog.last_printed_pages == pages
    assert dialog.status_label.text() == f"Đã gửi {pages} trang tới máy in."
    reader = PdfReader(printed)
    assert len(reader.pages) == pages
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4
    # each page carries the drawn report, not a blank sheet
    subprocess.run(["pdftoppm", "-png", "-r", "30", "-f", "1", "-l", "1", str(printed), str(tmp_path / "p")],
                   check=True)
    image = QImage(str(next(tmp_path.glob("p*.png"))))
    dark = sum(1 for y in range(0, image.height(), 2) for x in range(0, image.width(), 2)
               if image.pixelColor(x, y).lightness() < 128)
    assert dark > 200


def test_campaign_weeks_choose_the_period(demo_ctx, qtbot):
    campaign = campaigns.save_campaign(
        demo_ctx, CampaignInput("Chiến dịch 60 ngày số hóa", date(2026, 1, 19), date(2026, 3, 19), {}, ""))
    dialog = report_dialog.ReportDialog(demo_ctx, None, "weekly")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.campaign_combo.currentData() == campaign.id  # the campaign running today
    assert dialog.week_combo.isVisible() and dialog.week_combo.count() == 9
    assert dialog.week_combo.currentText() == "Tuần 4 (09/02 – 15/02/2026)"
    assert dialog.period_label.text() == "Tuần 4 (09/02/2026 – 15/02/2026)"
    dialog.week_combo.setCurrentIndex(1)
    dialog.week_combo.activated.emit(1)
    assert dialog.day_edit.date().toString("dd/MM/yyyy") == "26/01/2026"
    assert dialog.period_label.text() == "Tuần 2 (26/01/2026 – 01/02/2026)"
    assert dialog.default_file_name() == "bao-cao-tuan-2026-01-26.pdf"

    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("campaign"))
    assert not dialog.week_combo.isVisible()
    assert dialog.period_label.text() == "Chiến dịch “Chiến dịch 60 ngày số hóa” (19/01/2026 – 26/01/2026)"

    dialog.kind_combo.setCurrentIndex(dialog.kind_combo.findData("weekly"))
    dialog.day_edit.setDate(dialog.day_edit.date().addYears(1))  # outside the campaign
    assert "không thuộc chiến dịch" in dialog.period_label.text()
    assert "#b00020" in dialog.period_label.styleSheet()
    assert not dialog.preview_button.isEnabled() and not dialog.save_button.isEnabled()
    dialog.campaign_combo.setCurrentIndex(0)  # "Không theo chiến dịch": ISO week again
    assert dialog.preview_button.isEnabled()
    assert dialog.period_label.text() == "Tuần 4 năm 2027 (25/01/2027 – 31/01/2027)"


def test_unwritable_target_shows_a_plain_message_and_no_file(window, qtbot, tmp_path, monkeypatch, message_boxes):
    dialog = open_from_menu(window)
    gone = tmp_path / "o-dia-da-rut" / "bao-cao.pdf"  # a removed drive: the folder is not there
    answer_save(monkeypatch, gone)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    wait_done(qtbot, dialog)
    boxes = [b for b in message_boxes() if b.windowTitle() == "Không lập được báo cáo"]
    assert len(boxes) == 1
    assert "Đã xảy ra lỗi không mong muốn" not in boxes[0].text()  # a plain, specific message
    assert not gone.parent.exists()
    assert dialog.last_saved is None


def test_preview_without_qtpdfwidgets_shows_page_images(window, qtbot, tmp_path):
    out = reports.write_report(window.ctx, "weekly", date(2026, 2, 12), tmp_path / "r.pdf")
    preview = PdfPreview(use_pdf_view=False)
    qtbot.addWidget(preview)
    pages = preview.load(out)
    assert pages == len(PdfReader(out).pages) >= 2
    assert len(preview.page_labels) == pages
    pixmap = preview.page_labels[0].pixmap()
    assert (pixmap.width(), pixmap.height()) == (794, 1123)  # A4 at 96 dpi
    preview.clear()
    assert preview.page_count() == 0

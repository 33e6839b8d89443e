"""Chép sang USB (issue 5 item 5): choose the drive (removable drives first, or any folder), the
week and whether to include the attachments; the copy runs off the UI thread with progress and
cancel (``services.usb.export_to_usb``: each file written to a temporary name, fsynced, renamed,
read back and checked; nothing that looks complete is left on failure); the last page lists the
files with their sizes, each "Đã kiểm tra SHA-256".
"""

from __future__ import annotations

import logging
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..services import usb
from ..storage.safe_write import Cancelled
from .background_job import BackgroundJob
from .common import error_text, fmt_date
from .export_dialog import open_folder
from .import_dialog import RowsModel, make_table
from .job_pages import ErrorPage, WorkingPage, button_row, done_label, make_button

log = logging.getLogger(__name__)

CHECKED = "Đã kiểm tra SHA-256"


def fmt_size(size: int) -> str:
    """``1234567`` → ``1,2 MB`` (Vietnamese decimal comma)."""
    value = float(size)
    for unit in ("byte", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            text = f"{int(value)}" if unit == "byte" else f"{value:.1f}".replace(".", ",")
            return f"{text} {unit}"
        value /= 1024
    return f"{size} byte"  # pragma: no cover


def week_text(day: date) -> str:
    start, end = usb.week_of(day)
    year, week, _ = start.isocalendar()
    return f"Tuần {week:02d}/{year}: {fmt_date(start)} – {fmt_date(end)}"


class UsbWizard(QDialog):
    """Three steps: where and what → copying → the files written."""

    exported = Signal(object)  # the UsbResult

    PAGE_CHOOSE, PAGE_WORKING, PAGE_DONE, PAGE_ERROR = range(4)

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("usbWizard")
        self.setWindowTitle(self.tr("Chép sang USB"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.job: BackgroundJob | None = None
        self.drives_job: BackgroundJob | None = None
        self.result: usb.UsbResult | None = None

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._working_page())
        self.pages.addWidget(self._done_page())
        self.pages.addWidget(self._error_page())

        self.back_button = make_button(self.tr("< Quay lại"), "backButton", lambda: self._go(self.PAGE_CHOOSE), self)
        self.start_button = make_button(self.tr("Chép"), "startButton", self.start, self, default=True)
        self.open_button = make_button(self.tr("Mở thư mục"), "openFolderButton",
                                       lambda: self.result and open_folder(self.result.folder), self)
        self.cancel_button = make_button(self.tr("Hủy"), "cancelButton", self.cancel_or_close, self)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(button_row([self.back_button], [self.open_button, self.start_button, self.cancel_button]))
        self.resize(760, 520)
        self._go(self.PAGE_CHOOSE)
        self.find_drives()

    # --- page 1: where and what --------------------------------------------------------------

    def _choose_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        intro = QLabel(self.tr(
            "Chép báo cáo tuần (PDF), danh sách hồ sơ, thống kê và sổ theo dõi (Excel) cùng một bản sao lưu dữ "
            "liệu vào một thư mục mới có ngày tháng, kèm tệp MANIFEST.txt ghi mã SHA-256 của từng tệp. "
            "Mỗi tệp được đọc lại và kiểm tra sau khi chép."), page)
        intro.setWordWrap(True)
        self.drive_list = QListWidget(page)
        self.drive_list.setObjectName("driveList")
        self.drive_list.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.drive_list.itemDoubleClicked.connect(lambda _item: self.start())
        self.drive_hint = QLabel(page)
        self.drive_hint.setObjectName("driveHint")
        self.drive_hint.setWordWrap(True)
        self.drive_hint.setStyleSheet("color: #555;")
        self.folder_button = QPushButton(self.tr("Chọn thư mục khác…"), page)
        self.folder_button.setObjectName("folderButton")
        self.folder_button.clicked.connect(self.choose_folder)
        self.rescan_button = QPushButton(self.tr("Tìm lại ổ USB"), page)
        self.rescan_button.setObjectName("rescanButton")
        self.rescan_button.clicked.connect(self.find_drives)
        drive_buttons = QHBoxLayout()
        drive_buttons.addWidget(self.drive_hint, 1)
        drive_buttons.addWidget(self.rescan_button)
        drive_buttons.addWidget(self.folder_button)

        today = self.ctx.clock().date()
        self.week_edit = QDateEdit(page)
        self.week_edit.setObjectName("weekEdit")
        self.week_edit.setCalendarPopup(True)
        self.week_edit.setDisplayFormat("dd/MM/yyyy")
        self.week_edit.setDate(QDate(today.year, today.month, today.day))
        self.week_label = QLabel(page)
        self.week_label.setObjectName("weekLabel")
        self.week_edit.dateChanged.connect(lambda _d: self.week_label.setText(week_text(self.week_day())))
        self.week_label.setText(week_text(today))
        self.last_week_button = QPushButton(self.tr("Tuần trước"), page)
        self.last_week_button.clicked.connect(lambda: self.set_week_day(today - timedelta(days=7)))
        week_row = QHBoxLayout()
        week_row.addWidget(self.week_edit)
        week_row.addWidget(self.week_label, 1)
        week_row.addWidget(self.last_week_button)
        self.attachments_box = QCheckBox(self.tr("Kèm các tệp đính kèm của hồ sơ nhận trong tuần"), page)
        self.attachments_box.setObjectName("attachmentsBox")
        form = QFormLayout()
        form.addRow(self.tr("Tuần (chọn một ngày):"), week_row)
        form.addRow("", self.attachments_box)

        layout.addWidget(intro)
        layout.addWidget(QLabel(self.tr("<b>Chép vào</b> (ổ USB được liệt kê trước):"), page))
        layout.addWidget(self.drive_list, 1)
        layout.addLayout(drive_buttons)
        layout.addLayout(form)
        return page

    def find_drives(self) -> None:
        """List the drives off the UI thread (lsblk may take a moment)."""
        if self.drives_job is not None:
            return
        self.drive_hint.setText(self.tr("Đang tìm ổ USB…"))
        self.drives_job = BackgroundJob(lambda _progress, _cancel: usb.list_target_drives())
        self.drives_job.done.connect(self._drives_found)
        self.drives_job.start()

    def _drives_found(self, drives: object, error: object) -> None:
        self.drives_job = None
        chosen = self.target()
        custom = [self.drive_list.item(i) for i in range(self.drive_list.count())
                  if self.drive_list.item(i).data(Qt.ItemDataRole.UserRole + 1)]
        custom_paths = [(item.text(), item.data(Qt.ItemDataRole.UserRole)) for item in custom]
        self.drive_list.clear()
        found = list(drives or []) if error is None else []
        for drive in found:
            item = QListWidgetItem(drive.title)
            item.setData(Qt.ItemDataRole.UserRole, str(drive.path))
            self.drive_list.addItem(item)
        for text, path in custom_paths:
            self._add_folder_item(text, path)
        removable = sum(1 for d in found if d.removable)
        if removable:
            self.drive_hint.setText(self.tr("Tìm thấy {n} ổ USB / thẻ nhớ.").format(n=removable))
        else:
            self.drive_hint.setText(self.tr("Chưa thấy ổ USB nào. Hãy cắm USB rồi bấm “Tìm lại ổ USB”, hoặc chọn "
                                            "một thư mục."))
        self._select(chosen or (str(found[0].path) if found and found[0].removable else None))
        self._update_buttons()

    def _add_folder_item(self, text: str, path: str) -> QListWidgetItem:
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, path)
        item.setData(Qt.ItemDataRole.UserRole + 1, True)  # chosen by hand: kept when the list is read again
        self.drive_list.insertItem(0, item)
        return item

    def _select(self, path: str | None) -> None:
        for index in range(self.drive_list.count()):
            item = self.drive_list.item(index)
            if path is not None and item.data(Qt.ItemDataRole.UserRole) == path:
                self.drive_list.setCurrentItem(item)
                return

    def choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Chọn thư mục để chép vào"), str(Path.home()))
        if not folder:
            return
        self.set_target(Path(folder))

    def set_target(self, folder: Path) -> None:
        existing = [i for i in range(self.drive_list.count())
                    if self.drive_list.item(i).data(Qt.ItemDataRole.UserRole) == str(folder)]
        if not existing:
            self._add_folder_item(self.tr("Thư mục đã chọn — {path}").format(path=folder), str(folder))
        self._select(str(folder))
        self._update_buttons()

    def target(self) -> str | None:
        item = self.drive_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def week_day(self) -> date:
        value = self.week_edit.date()
        return date(value.year(), value.month(), value.day())

    def set_week_day(self, day: date) -> None:
        self.week_edit.setDate(QDate(day.year, day.month, day.day))

    # --- page 2: copying ---------------------------------------------------------------------

    def _working_page(self) -> QWidget:
        page = WorkingPage(self, self.tr(
            "Đừng rút USB trong khi đang chép. Nếu USB bị rút hoặc bấm “Dừng lại”, thư mục đang chép dở sẽ bị "
            "xóa, không để lại bản thiếu."))
        self.work_label, self.progress_bar = page.label, page.progress_bar
        return page

    def start(self) -> None:
        target = self.target()
        if self.job is not None or target is None:
            return
        ctx, day, attachments = self.ctx, self.week_day(), self.attachments_box.isChecked()
        self.job = BackgroundJob(lambda progress, cancel: usb.export_to_usb(
            ctx, Path(target), week_day=day, with_attachments=attachments, progress=progress, cancel=cancel))
        self.job.progressed.connect(self._progressed)
        self.job.done.connect(self._done)
        self.work_label.setText(self.tr("Đang chuẩn bị và chép các tệp vào {path}…").format(path=target))
        self.progress_bar.setRange(0, 0)
        self._go(self.PAGE_WORKING)
        self.job.start()

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))
            self.progress_bar.setFormat(self.tr("Bước %v/%m"))

    def _done(self, result: object, error: object) -> None:
        self.job = None
        if error is not None:
            if isinstance(error, Cancelled):
                message, action = (self.tr("Đã dừng; thư mục đang chép dở đã được xóa."),
                                   self.tr("Có thể chép lại bất cứ lúc nào."))
            else:
                message, action = error_text(error)  # type: ignore[arg-type]
            self.error_label.setText(message)
            self.error_action.setText(action)
            self._go(self.PAGE_ERROR)
            return
        assert isinstance(result, usb.UsbResult)
        self.result = result
        self._fill_done(result)
        self._go(self.PAGE_DONE)
        self.exported.emit(result)

    # --- page 3: the files written -----------------------------------------------------------

    def _done_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.done_label = done_label(page)
        self.files_model = RowsModel([], [], self)
        self.files_table = make_table("filesTable", self.files_model, page)
        self.notes_label = QLabel(page)
        self.notes_label.setObjectName("notesLabel")
        self.notes_label.setWordWrap(True)
        self.notes_label.setStyleSheet("color: #555;")
        layout.addWidget(self.done_label)
        layout.addWidget(self.files_table, 1)
        layout.addWidget(self.notes_label)
        return page

    def _fill_done(self, result: usb.UsbResult) -> None:
        self.done_label.setText(self.tr(
            "<b>Đã chép xong {n} tệp</b> vào thư mục <b>{folder}</b>.<br>Mỗi tệp đã được đọc lại và so khớp mã SHA-256 "
            "ghi trong {manifest}. Trước khi rút USB, hãy bấm “Tháo thiết bị an toàn” (Safely Remove / Eject).").format(
                n=len(result.files) + 1, folder=result.folder.name, manifest=usb.MANIFEST))
        self.done_label.setToolTip(str(result.folder))
        rows = [(f.name, fmt_size(f.size), self.tr(CHECKED)) for f in result.files]
        manifest = result.folder / usb.MANIFEST
        try:
            size = manifest.stat().st_size
        except OSError:
            size = 0
        rows.append((usb.MANIFEST, fmt_size(size), self.tr("Danh sách mã SHA-256")))
        self.files_model = RowsModel([self.tr("Tệp"), self.tr("Dung lượng"), self.tr("Kiểm tra")], rows, self)
        self.files_table.setModel(self.files_model)
        self.files_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        width = self.files_table.fontMetrics().horizontalAdvance("0")
        self.files_table.horizontalHeader().resizeSection(0, 52 * width)
        self.files_table.horizontalHeader().resizeSection(1, 12 * width)
        self.notes_label.setText("\n".join(self.tr("Ghi chú: {note}").format(note=note) for note in result.notes))

    def _error_page(self) -> QWidget:
        page = ErrorPage(self)
        self.error_label, self.error_action = page.message, page.action
        return page

    # --- buttons, cancel, close --------------------------------------------------------------

    def _go(self, page: int) -> None:
        self.pages.setCurrentIndex(page)
        self._update_buttons()

    def _update_buttons(self) -> None:
        page = self.pages.currentIndex()
        self.back_button.setVisible(page == self.PAGE_ERROR)
        self.start_button.setVisible(page == self.PAGE_CHOOSE)
        self.start_button.setEnabled(self.target() is not None)
        self.open_button.setVisible(page == self.PAGE_DONE)
        if page == self.PAGE_WORKING:
            self.cancel_button.setText(self.tr("Dừng lại"))
        elif page in (self.PAGE_DONE, self.PAGE_ERROR):
            self.cancel_button.setText(self.tr("Đóng"))
        else:
            self.cancel_button.setText(self.tr("Hủy"))

    def cancel_or_close(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.work_label.setText(self.tr("Đang dừng và xóa thư mục chép dở…"))
            return
        self.reject()

    def reject(self) -> None:
        if self.job is not None:  # Esc while copying: stop first (the partial folder is removed)
            self.cancel_or_close()
            return
        super().reject()


__all__ = ["CHECKED", "UsbWizard", "fmt_size", "week_text"]

"""Xuất Excel (issue 5 item 4): the period (this week / this month … or any dates), "che số định
danh" for the files with personal data, a save dialog with the suggested name
(``exports.default_file_name``), the export off the UI thread with progress and cancel, and
then an offer to open the folder.

One dialog for every kind of :data:`services.exports.KINDS`; the dossier list takes the main
window's current filter (status, channel, procedure, officer, search, warnings) and its period.
"""

from __future__ import annotations

import logging
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from PySide6.QtCore import QDate, QSettings, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QVBoxLayout,
    QWidget,
)

from ..services import exports
from ..storage.dossier_queries import DossierFilter
from ..storage.safe_write import Cancelled
from .background_job import BackgroundJob
from .common import error_text, fmt_date
from .job_pages import button_row, make_button

log = logging.getLogger(__name__)

SETTINGS_FOLDER = "excel/lastFolder"

TITLES = {
    "dossiers": "Xuất danh sách hồ sơ",
    "stats": "Xuất thống kê",
    "so-theo-doi": "Xuất Sổ theo dõi hồ sơ",
    "mau-02": "Xuất Mẫu biểu 02 (theo thôn/xóm)",
    "catalogue": "Xuất danh mục thủ tục",
}
DESCRIPTIONS = {
    "dossiers": "Danh sách hồ sơ với đúng các cột của mẫu nhập (nhập lại được vào Sổ Một Cửa).",
    "stats": "Số hồ sơ theo trạng thái, hình thức nộp, lĩnh vực và điểm ước tính theo Quyết định 766.",
    "so-theo-doi": "Sổ theo dõi hồ sơ với tiêu đề hai dòng như mẫu của tỉnh.",
    "mau-02": "Mẫu biểu 02: số hộ, số khẩu, VNeID, hồ sơ trực tuyến và đánh giá hài lòng theo từng thôn/xóm.",
    "catalogue": "Toàn bộ danh mục thủ tục và thành phần hồ sơ (nhập lại được ở Excel → Nhập danh mục thủ tục…).",
}

PERIOD_ALL, PERIOD_WEEK, PERIOD_LAST_WEEK, PERIOD_MONTH, PERIOD_LAST_MONTH, PERIOD_YEAR, PERIOD_CUSTOM = (
    "all", "week", "last_week", "month", "last_month", "year", "custom")
PERIOD_LABELS = {
    PERIOD_ALL: "Toàn bộ thời gian",
    PERIOD_WEEK: "Tuần này",
    PERIOD_LAST_WEEK: "Tuần trước",
    PERIOD_MONTH: "Tháng này",
    PERIOD_LAST_MONTH: "Tháng trước",
    PERIOD_YEAR: "Năm nay",
    PERIOD_CUSTOM: "Chọn ngày…",
}
DEFAULT_PERIOD = {"dossiers": PERIOD_MONTH, "stats": PERIOD_MONTH, "so-theo-doi": PERIOD_WEEK,
                  "mau-02": PERIOD_MONTH}


def period_dates(key: str, today: date) -> tuple[date | None, date | None]:
    """(from, to), both inclusive; weeks run Monday–Sunday."""
    monday = today - timedelta(days=today.weekday())
    first = today.replace(day=1)
    if key == PERIOD_WEEK:
        return monday, monday + timedelta(days=6)
    if key == PERIOD_LAST_WEEK:
        return monday - timedelta(days=7), monday - timedelta(days=1)
    if key == PERIOD_MONTH:
        return first, (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    if key == PERIOD_LAST_MONTH:
        last = first - timedelta(days=1)
        return last.replace(day=1), last
    if key == PERIOD_YEAR:
        return today.replace(month=1, day=1), today.replace(month=12, day=31)
    return None, None


def _qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


def _pydate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def last_folder() -> str:
    folder = QSettings().value(SETTINGS_FOLDER)
    return str(folder) if folder and Path(str(folder)).is_dir() else str(Path.home())


def remember_folder(path: Path) -> None:
    QSettings().setValue(SETTINGS_FOLDER, str(path.parent))


def ask_xlsx_path(parent: QWidget, title: str, file_name: str) -> Path | None:
    """Ask where to save a workbook (starting in the last folder used); ``.xlsx`` is added when
    the officer typed a name without it. ``None`` when the dialog was cancelled."""
    name, _ = QFileDialog.getSaveFileName(parent, title, str(Path(last_folder()) / file_name),
                                          "Bảng tính Excel (*.xlsx)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".xlsx" else path.with_name(path.name + ".xlsx")


def open_folder(path: Path) -> bool:
    """Show ``path`` (a folder, or the folder of a file) in the system's file manager."""
    folder = path if path.is_dir() else path.parent
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(folder)))


def offer_open_folder(parent: QWidget, title: str, message: str, path: Path) -> QMessageBox:
    """A non-blocking message with "Mở thư mục" and "Đóng"."""
    box = QMessageBox(QMessageBox.Icon.Information, title, message, QMessageBox.StandardButton.Close, parent)
    box.setObjectName("savedBox")
    box.setInformativeText(str(path))
    open_button = box.addButton(parent.tr("Mở thư mục"), QMessageBox.ButtonRole.ActionRole)
    open_button.setObjectName("openFolderButton")
    box.setDefaultButton(open_button)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def answered(_result: int) -> None:
        if box.clickedButton() is open_button:
            open_folder(path)

    box.finished.connect(answered)
    box.open()
    return box


class ExportDialog(QDialog):
    """Choose the period (and masking), then "Lưu tệp Excel…"."""

    saved = Signal(object)  # the Path written

    def __init__(self, ctx, kind: str, parent: QWidget | None = None, *, flt: DossierFilter | None = None,
                 shown_count: int | None = None) -> None:
        super().__init__(parent)
        if kind not in exports.KINDS:
            raise ValueError(f"unknown export kind {kind!r}")
        self.ctx = ctx
        self.kind = kind
        self.flt = flt
        self.job: BackgroundJob | None = None
        self.saved_path: Path | None = None
        self.census_dialog: QDialog | None = None
        self.setObjectName("exportDialog")
        self.setWindowTitle(self.tr(TITLES[kind]))
        self.setWindowModality(Qt.WindowModality.WindowModal)

        description = QLabel(self.tr(DESCRIPTIONS[kind]), self)
        description.setWordWrap(True)
        form = QFormLayout()
        self.filter_label = QLabel(self)
        self.filter_label.setObjectName("filterLabel")
        self.filter_label.setWordWrap(True)
        if kind == "dossiers" and flt is not None:
            text = self.tr("Theo bộ lọc đang dùng ở danh sách hồ sơ")
            if shown_count is not None:
                text += self.tr(" (đang hiển thị {n} hồ sơ)").format(n=f"{shown_count:,}".replace(",", "."))
            self.filter_label.setText(text + ".")
            form.addRow(self.tr("Hồ sơ:"), self.filter_label)

        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("periodCombo")
        keys = [PERIOD_WEEK, PERIOD_LAST_WEEK, PERIOD_MONTH, PERIOD_LAST_MONTH, PERIOD_YEAR, PERIOD_CUSTOM]
        if kind == "dossiers":
            keys.insert(0, PERIOD_ALL)
        for key in keys:
            self.period_combo.addItem(self.tr(PERIOD_LABELS[key]), key)
        self.date_from = QDateEdit(self)
        self.date_from.setObjectName("dateFrom")
        self.date_to = QDateEdit(self)
        self.date_to.setObjectName("dateTo")
        for edit in (self.date_from, self.date_to):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        dates = QHBoxLayout()
        dates.addWidget(self.period_combo, 1)
        dates.addWidget(QLabel(self.tr("từ"), self))
        dates.addWidget(self.date_from)
        dates.addWidget(QLabel(self.tr("đến"), self))
        dates.addWidget(self.date_to)
        if kind != "catalogue":
            form.addRow(self.tr("Thời gian nhận hồ sơ:") if kind in ("dossiers", "so-theo-doi")
                        else self.tr("Kỳ báo cáo:"), dates)
        else:
            for widget in (self.period_combo, self.date_from, self.date_to):
                widget.hide()

        self.mask_box = QCheckBox(self.tr("Che số định danh (chỉ hiện 4 số đầu và 2 số cuối, ví dụ 0012******45)"),
                                  self)
        self.mask_box.setObjectName("maskBox")
        self.personal_label = QLabel(self)
        self.personal_label.setObjectName("personalLabel")
        self.personal_label.setWordWrap(True)
        self.personal_label.setStyleSheet("color: #8a4b00;")
        if kind in exports.PERSONAL_KINDS:
            self.personal_label.setText(self.tr(
                "Tên tệp sẽ có chữ “du-lieu-ca-nhan” vì tệp có dữ liệu cá nhân (họ tên, số định danh, số điện "
                "thoại, địa chỉ). Chỉ chép cho người có trách nhiệm và xóa khi không dùng nữa."))
        else:
            self.personal_label.hide()
        if kind == "dossiers":
            form.addRow("", self.mask_box)
        else:
            self.mask_box.hide()

        self.census_button = make_button(self.tr("Số liệu thôn/xóm…"), "censusButton", self.open_census, self)
        self.census_button.setToolTip(self.tr("Số hộ, số khẩu, số người có và chưa có VNeID của từng thôn/xóm"))
        self.census_button.setVisible(kind == "mau-02")

        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("progressBar")
        self.progress_bar.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)

        self.save_button = make_button(self.tr("Lưu tệp Excel…"), "saveButton", self.choose_and_save, self,
                                       default=True)
        self.cancel_button = make_button(self.tr("Đóng"), "cancelButton", self.cancel_or_close, self)
        buttons = button_row([self.census_button], [self.save_button, self.cancel_button])

        layout = QVBoxLayout(self)
        layout.addWidget(description)
        layout.addLayout(form)
        layout.addWidget(self.personal_label)
        layout.addStretch(1)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addLayout(buttons)
        self.resize(640, 300)

        self.period_combo.currentIndexChanged.connect(self._period_chosen)
        self.date_from.dateChanged.connect(self._dates_edited)
        self.date_to.dateChanged.connect(self._dates_edited)
        self._setting_dates = False
        self._choose_default_period()

    # --- the period --------------------------------------------------------------------------

    def _choose_default_period(self) -> None:
        today = self.ctx.clock().date()
        if self.kind == "dossiers" and self.flt is not None:
            if self.flt.date_from is None and self.flt.date_to is None:
                self._select_period(PERIOD_ALL)
                return
            for key in (PERIOD_WEEK, PERIOD_LAST_WEEK, PERIOD_MONTH, PERIOD_LAST_MONTH, PERIOD_YEAR):
                if period_dates(key, today) == (self.flt.date_from, self.flt.date_to):
                    self._select_period(key)
                    return
            self._select_period(PERIOD_CUSTOM)
            self._set_dates(self.flt.date_from or self.flt.date_to or today, self.flt.date_to or today)
            return
        self._select_period(DEFAULT_PERIOD.get(self.kind, PERIOD_MONTH))

    def _select_period(self, key: str) -> None:
        index = self.period_combo.findData(key)
        if self.period_combo.currentIndex() == index:
            self._period_chosen(index)
        else:
            self.period_combo.setCurrentIndex(index)

    def _period_chosen(self, _index: int) -> None:
        key = self.period_combo.currentData()
        if key == PERIOD_CUSTOM:
            return
        start, end = period_dates(key, self.ctx.clock().date())
        all_time = start is None
        for edit in (self.date_from, self.date_to):
            edit.setEnabled(not all_time)
        if all_time:  # the fields stay (greyed) on this month, ready for "Chọn ngày…"
            start, end = period_dates(PERIOD_MONTH, self.ctx.clock().date())
        self._set_dates(start, end)

    def _set_dates(self, start: date, end: date) -> None:
        self._setting_dates = True
        try:
            self.date_from.setDate(_qdate(start))
            self.date_to.setDate(_qdate(end))
        finally:
            self._setting_dates = False

    def _dates_edited(self) -> None:
        if self._setting_dates:
            return
        index = self.period_combo.findData(PERIOD_CUSTOM)
        if self.period_combo.currentIndex() != index:
            self.period_combo.blockSignals(True)
            self.period_combo.setCurrentIndex(index)
            self.period_combo.blockSignals(False)

    def period(self) -> tuple[date | None, date | None]:
        if self.kind == "catalogue" or self.period_combo.currentData() == PERIOD_ALL:
            return None, None
        return _pydate(self.date_from.date()), _pydate(self.date_to.date())

    def set_period(self, start: date, end: date) -> None:
        """Choose any dates (tests, and callers that know the period)."""
        self._select_period(PERIOD_CUSTOM)
        self._set_dates(start, end)

    # --- saving ------------------------------------------------------------------------------

    def default_name(self) -> str:
        start, end = self.period()
        return exports.default_file_name(self.kind, start, end)

    def choose_and_save(self) -> None:
        if self.job is not None:
            return
        start, end = self.period()
        if start is not None and end is not None and start > end:
            self.status_label.setText(self.tr("Ngày bắt đầu phải trước hoặc bằng ngày kết thúc."))
            return
        path = ask_xlsx_path(self, self.tr("Lưu tệp Excel"), self.default_name())
        if path is not None:
            self.save(path)

    def save(self, path: Path) -> None:
        """Write the workbook to ``path`` off the UI thread."""
        start, end = self.period()
        ctx, kind, mask = self.ctx, self.kind, self.mask_box.isChecked() and self.kind == "dossiers"
        flt = self.flt
        if kind == "dossiers" and flt is not None:
            flt = replace(flt, date_from=start, date_to=end)
        elif kind != "so-theo-doi":
            flt = None

        def work(progress, cancel) -> Path:
            return exports.export(ctx, kind, path, start, end, mask_ids=mask, flt=flt, progress=progress,
                                  cancel=cancel)

        self.job = BackgroundJob(work)
        self.job.progressed.connect(self._progressed)
        self.job.done.connect(self._done)
        self.progress_bar.setRange(0, 0)
        self.progress_bar.show()
        self.status_label.setText(self.tr("Đang ghi tệp {name}…").format(name=path.name))
        self.save_button.setEnabled(False)
        self.cancel_button.setText(self.tr("Dừng lại"))
        self._path = path
        self.job.start()

    def _progressed(self, done: int, total: int) -> None:
        if total > 0:
            self.progress_bar.setRange(0, total)
            self.progress_bar.setValue(min(done, total))

    def _done(self, result: object, error: object) -> None:
        self.job = None
        self.progress_bar.hide()
        self.save_button.setEnabled(True)
        self.cancel_button.setText(self.tr("Đóng"))
        if error is not None:
            if isinstance(error, Cancelled):
                self.status_label.setText(self.tr("Đã dừng; không ghi tệp nào."))
                return
            message, action = error_text(error)  # type: ignore[arg-type]
            self.status_label.setText(f"<b style='color:#b00020'>{message}</b> {action}")
            return
        path = Path(str(result))
        self.saved_path = path
        remember_folder(path)
        self.status_label.setText(self.tr("Đã lưu {name}.").format(name=path.name))
        self.saved.emit(path)
        start, end = self.period()
        period = f" ({fmt_date(start)} – {fmt_date(end)})" if start and end else ""
        self.saved_box = offer_open_folder(self, self.tr("Đã xuất tệp Excel"),
                                           self.tr("Đã lưu tệp “{name}”{period}.").format(name=path.name, period=period),
                                           path)

    # --- census figures (Mẫu biểu 02) --------------------------------------------------------

    def open_census(self) -> None:
        from .census_dialog import CensusDialog

        self.census_dialog = CensusDialog(self.ctx, self)
        self.census_dialog.open()

    # --- cancel and close --------------------------------------------------------------------

    def cancel_or_close(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status_label.setText(self.tr("Đang dừng…"))
            return
        self.reject()

    def reject(self) -> None:
        if self.job is not None:
            self.job.cancel()
            return
        super().reject()


__all__ = ["ExportDialog", "offer_open_folder", "open_folder", "period_dates"]

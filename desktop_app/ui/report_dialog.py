"""The "Báo cáo" dialog: the weekly report, the monthly report or the campaign summary as a PDF
(services.reports) — choose the type and the period (a day, or a week of the campaign), then
"Xem trước" shows the pages, "Lưu PDF…" writes the file the officer names, "In…" prints.

The report is drawn off the UI thread (ui.workers) with a progress dialog whose "Hủy" stops it;
a cancelled report leaves no file. The preview is a file in a private temporary folder, removed
when the dialog closes.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from PySide6.QtCore import QDate, Qt
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.campaigns import week_of
from ..services import campaigns as campaign_service
from ..services import reports
from ..services.context import AppContext
from ..storage.errors import UserFixableError
from .common import show_error
from .pdf_preview import (
    PdfPreview,
    ProgressRelay,
    TempFolder,
    ask_printer,
    ask_save_path,
    default_folder,
    print_pdf,
)
from .workers import run_in_background, the_bridge

log = logging.getLogger(__name__)

KIND_LABELS = {
    "weekly": "Báo cáo tuần",
    "monthly": "Báo cáo tháng",
    "campaign": "Tổng kết chiến dịch",
}
FILE_STEMS = {"weekly": "bao-cao-tuan", "monthly": "bao-cao-thang", "campaign": "tong-ket-chien-dich"}
RED = "color: #b00020;"
GREY = "color: #555;"


@dataclass(frozen=True)
class ReportChoice:
    kind: str
    day: date
    campaign_id: uuid.UUID | None


@dataclass
class _Job:
    token: object
    purpose: str  # "preview" | "print" | "save"
    out: Path
    choice: ReportChoice
    cancel: threading.Event


def to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class ReportDialog(QDialog):
    """Choose, preview, save and print a report (window-modal; open with ``open()``)."""

    def __init__(self, ctx: AppContext, parent: QWidget | None = None, kind: str = "weekly") -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("reportDialog")
        self.setWindowTitle(self.tr("Báo cáo"))
        self.setSizeGripEnabled(True)
        self._job: _Job | None = None
        self._preview_choice: ReportChoice | None = None
        self._period: reports.ReportPeriod | None = None
        self.progress: QProgressDialog | None = None
        self.last_saved: Path | None = None
        self.last_printed_pages = 0
        self.temp = TempFolder("motcua-report-")
        self.campaigns = campaign_service.list_campaigns(ctx)
        today = ctx.clock().date()

        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("kindCombo")
        for key, label in KIND_LABELS.items():
            self.kind_combo.addItem(self.tr(label), key)
        self.campaign_combo = QComboBox()
        self.campaign_combo.setObjectName("campaignCombo")
        self.campaign_combo.addItem(self.tr("Không theo chiến dịch"), None)
        for campaign in sorted(self.campaigns, key=lambda c: c.start_date, reverse=True):
            self.campaign_combo.addItem(campaign.name, campaign.id)
            self.campaign_combo.setItemData(
                self.campaign_combo.count() - 1,
                f"{campaign.name} ({campaign.start_date:%d/%m/%Y} – {campaign.end_date:%d/%m/%Y})",
                Qt.ItemDataRole.ToolTipRole)
        self.week_combo = QComboBox()
        self.week_combo.setObjectName("weekCombo")
        self.week_label = QLabel(self.tr("Tuần"))
        self.day_edit = QDateEdit()
        self.day_edit.setObjectName("dayEdit")
        self.day_edit.setCalendarPopup(True)
        self.day_edit.setDisplayFormat("dd/MM/yyyy")
        self.day_edit.setDate(QDate(today.year, today.month, today.day))
        self.day_label = QLabel(self.tr("Ngày trong kỳ"))
        self.period_label = QLabel()
        self.period_label.setObjectName("periodLabel")
        self.period_label.setWordWrap(True)
        self.period_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        form = QFormLayout()
        form.addRow(self.tr("Loại báo cáo"), self.kind_combo)
        form.addRow(self.tr("Chiến dịch"), self.campaign_combo)
        form.addRow(self.week_label, self.week_combo)
        form.addRow(self.day_label, self.day_edit)
        form.addRow(self.tr("Kỳ báo cáo"), self.period_label)

        self.preview_button = QPushButton(self.tr("Xem trước"))
        self.preview_button.setObjectName("previewButton")
        self.preview_button.setDefault(True)
        self.save_button = QPushButton(self.tr("Lưu PDF…"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setAutoDefault(False)
        self.print_button = QPushButton(self.tr("In…"))
        self.print_button.setObjectName("printButton")
        self.print_button.setAutoDefault(False)
        self.close_button = QPushButton(self.tr("Đóng"))
        self.close_button.setObjectName("closeButton")
        self.close_button.setAutoDefault(False)
        self.preview_button.clicked.connect(self.show_preview)
        self.save_button.clicked.connect(self.save_pdf)
        self.print_button.clicked.connect(self.print_report)
        self.close_button.clicked.connect(self.reject)
        side = QVBoxLayout()
        side.addLayout(form)
        for button in (self.preview_button, self.save_button, self.print_button):
            side.addWidget(button)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)
        side.addWidget(self.status_label)
        side.addStretch(1)
        side.addWidget(self.close_button)
        side_box = QWidget()
        side_box.setLayout(side)
        side_box.setFixedWidth(380)

        self.preview = PdfPreview(self)
        self.pages_label = QLabel(self.tr("Bấm “Xem trước” để xem các trang của báo cáo."))
        self.pages_label.setObjectName("pagesLabel")
        self.pages_label.setStyleSheet(GREY)
        right = QVBoxLayout()
        right.addWidget(self.pages_label)
        right.addWidget(self.preview, 1)
        layout = QHBoxLayout(self)
        layout.addWidget(side_box)
        layout.addLayout(right, 1)

        running = [c for c in self.campaigns if c.start_date <= today <= c.end_date]
        if running:
            current = max(running, key=lambda c: c.start_date)
            self.campaign_combo.setCurrentIndex(self.campaign_combo.findData(current.id))
        self.set_kind(kind)
        self.kind_combo.currentIndexChanged.connect(self._kind_changed)
        self.campaign_combo.currentIndexChanged.connect(self._campaign_changed)
        self.week_combo.activated.connect(self._week_chosen)
        self.day_edit.dateChanged.connect(self._update)
        the_bridge().finished.connect(self._finished)
        self._campaign_changed()
        self._fit_screen()

    def _fit_screen(self) -> None:
        screen = self.screen()
        if screen is None:
            self.resize(1100, 760)
            return
        available = screen.availableGeometry()
        self.resize(min(1100, available.width() - 40), min(820, available.height() - 40))

    # --- the choice --------------------------------------------------------------------------

    def set_kind(self, kind: str) -> None:
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        self._kind_changed()

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def campaign(self) -> campaign_service.CampaignView | None:
        wanted = self.campaign_combo.currentData()
        return next((c for c in self.campaigns if c.id == wanted), None)

    def choice(self) -> ReportChoice:
        campaign = self.campaign()
        return ReportChoice(self.kind(), to_date(self.day_edit.date()), campaign.id if campaign else None)

    def _kind_changed(self, *_args) -> None:
        kind = self.kind()
        self.campaign_combo.setItemText(0, self.tr("Chiến dịch đang chạy hoặc gần nhất") if kind == "campaign"
                                        else self.tr("Không theo chiến dịch"))
        self.day_label.setText(self.tr("Tính đến ngày") if kind == "campaign" else self.tr("Ngày trong kỳ"))
        self._update_weeks()
        self._update()

    def _campaign_changed(self, *_args) -> None:
        self._update_weeks()
        self._update()

    def _update_weeks(self) -> None:
        """The campaign's weeks (for a weekly report of a campaign): picking one sets the day."""
        campaign = self.campaign()
        show = self.kind() == "weekly" and campaign is not None
        self.week_combo.setVisible(show)
        self.week_label.setVisible(show)
        self.week_combo.blockSignals(True)
        self.week_combo.clear()
        if show:
            for week in campaign.weeks:
                self.week_combo.addItem(
                    f"{week.label} ({week.date_from:%d/%m} – {week.date_to:%d/%m/%Y})", week.date_from)
            day = to_date(self.day_edit.date())
            if not campaign.start_date <= day <= campaign.end_date:
                today = self.ctx.clock().date()
                day = min(max(today, campaign.start_date), campaign.end_date)
                self.day_edit.blockSignals(True)
                self.day_edit.setDate(QDate(day.year, day.month, day.day))
                self.day_edit.blockSignals(False)
        self.week_combo.blockSignals(False)

    def _week_chosen(self, index: int) -> None:
        first = self.week_combo.itemData(index)
        if first is not None:
            self.day_edit.setDate(QDate(first.year, first.month, first.day))

    def _sync_week(self) -> None:
        campaign = self.campaign()
        if self.week_combo.isHidden() or campaign is None:
            return
        week = week_of(campaign, to_date(self.day_edit.date()))
        self.week_combo.blockSignals(True)
        self.week_combo.setCurrentIndex(week.number - 1 if week is not None else -1)
        self.week_combo.blockSignals(False)

    def _update(self, *_args) -> None:
        """Show the period the choice gives (or why it gives none)."""
        self._sync_week()
        choice = self.choice()
        try:
            self._period = reports.report_period(self.ctx, choice.kind, choice.day, choice.campaign_id)
        except UserFixableError as error:
            self._period = None
            self.period_label.setText(f"{error.message} {error.action}".strip())
            self.period_label.setStyleSheet(RED)
        else:
            self.period_label.setText(self._period.label[:1].upper() + self._period.label[1:])
            self.period_label.setStyleSheet("")
        for button in (self.preview_button, self.save_button, self.print_button):
            button.setEnabled(self._period is not None)
        if self._preview_choice is not None and self._preview_choice != choice:
            self.pages_label.setText(self.tr("Lựa chọn đã thay đổi: bấm “Xem trước” để xem báo cáo mới."))

    def default_file_name(self) -> str:
        period = self._period
        kind = self.kind()
        if period is None:
            return f"{FILE_STEMS[kind]}.pdf"
        if kind == "monthly":
            return f"{FILE_STEMS[kind]}-{period.date_from:%Y-%m}.pdf"
        if kind == "weekly":
            return f"{FILE_STEMS[kind]}-{period.date_from:%Y-%m-%d}.pdf"
        return f"{FILE_STEMS[kind]}-{period.date_from:%Y-%m-%d}-den-{period.date_to:%Y-%m-%d}.pdf"

    # --- the three buttons -------------------------------------------------------------------

    def show_preview(self) -> bool:
        return self._start("preview", self.temp.new_file("xem-truoc"))

    def save_pdf(self) -> bool:
        target = ask_save_path(self, self.tr("Lưu báo cáo"), default_folder() / self.default_file_name())
        if target is None:
            return False
        return self._start("save", target)

    def print_report(self) -> bool:
        """Print the pages shown; the report is drawn first when the preview is not current."""
        if self._preview_choice == self.choice() and self.preview.page_count() > 0:
            return self.print_now()
        return self._start("print", self.temp.new_file("in"))

    def print_now(self) -> bool:
        pages = self.preview.page_count()
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(self.default_file_name())
        if not ask_printer(self, printer, pages):
            return False
        try:
            self.last_printed_pages = print_pdf(self.preview.document, printer)
        except UserFixableError as error:
            show_error(self, error, self.tr("Không in được"))
            return False
        self._say(self.tr("Đã gửi {count} trang tới máy in.").format(count=self.last_printed_pages))
        return True

    # --- the background job ------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._job is not None

    def _start(self, purpose: str, out: Path) -> bool:
        if self._job is not None or self._period is None:
            return False
        choice = self.choice()
        job = _Job(object(), purpose, out, choice, threading.Event())
        self._job = job
        relay = ProgressRelay(self)
        relay.advanced.connect(self._advanced)
        ctx = self.ctx
        self.progress = QProgressDialog(self.tr("Đang lập báo cáo, xin chờ…"), self.tr("Hủy"), 0, 0, self)
        self.progress.setObjectName("reportProgress")
        self.progress.setWindowTitle(self.tr("Báo cáo"))
        self.progress.setWindowModality(Qt.WindowModality.WindowModal)
        self.progress.setMinimumDuration(0)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(job.cancel.set)
        self.progress.show()
        for button in (self.preview_button, self.save_button, self.print_button):
            button.setEnabled(False)
        self._say(self.tr("Đang lập báo cáo…"))
        run_in_background(job.token, lambda: reports.write_report(
            ctx, choice.kind, choice.day, out, campaign_id=choice.campaign_id,
            progress=relay, cancel=job.cancel.is_set))
        return True

    def cancel(self) -> None:
        """Stop the report being drawn (as the progress dialog's "Hủy" does)."""
        if self._job is not None:
            self._job.cancel.set()

    def _advanced(self, done: int, total: int) -> None:
        if self.progress is not None and total > 0:
            self.progress.setMaximum(total)
            self.progress.setValue(min(done, total))

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect()
            self.progress.hide()
            self.progress.deleteLater()
            self.progress = None

    def _finished(self, token: object, result: object, error: object) -> None:
        job = self._job
        if job is None or token is not job.token:
            return
        self._job = None
        self._close_progress()
        for button in (self.preview_button, self.save_button, self.print_button):
            button.setEnabled(self._period is not None)
        if isinstance(error, reports.Cancelled):
            self._say(self.tr("Đã hủy: không có tệp nào được ghi."))
            return
        if error is not None:
            self._say("")
            show_error(self, error, self.tr("Không lập được báo cáo"))  # type: ignore[arg-type]
            return
        if job.purpose == "save":
            self.last_saved = Path(str(result))
            self._say(self.tr("Đã lưu báo cáo vào {path}").format(path=self.last_saved))
            return
        pages = self.preview.load(Path(str(result)))
        self._preview_choice = job.choice if pages else None
        self.pages_label.setText(
            self.tr("{label}: {count} trang").format(label=self.tr(KIND_LABELS[job.choice.kind]), count=pages))
        self._say("")
        if job.purpose == "print" and pages:
            self.print_now()

    def _say(self, text: str) -> None:
        self.status_label.setText(text)

    def done(self, result: int) -> None:  # closing: stop the job, drop the preview files
        self.cancel()
        self._close_progress()
        self.preview.clear()
        self.temp.cleanup()
        super().done(result)


__all__ = ["KIND_LABELS", "ReportChoice", "ReportDialog"]

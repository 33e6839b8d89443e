"""Nhập hồ sơ từ Excel (issue 5 items 1–3): choose a file → a dry run off the UI thread with
progress and cancel → a preview (what would be added, updated, left unchanged, rejected rows
with their reason, and for a provincial list the local dossiers missing from it) → "Nhập"
applies it off the UI thread (a backup first; all or nothing; cancel leaves the register as it
was) → a summary. ``imported`` tells the main window to read its list again.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtGui import QCloseEvent, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QFileDialog,
    QFrame,
    QGridLayout,
    QHeaderView,
    QLabel,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..services import imports
from .background_job import BackgroundJob
from .common import error_text, fmt_datetime
from .job_pages import ErrorPage, WorkingPage, button_row, done_label, make_button

log = logging.getLogger(__name__)

_Index = QModelIndex | QPersistentModelIndex
#: The file types the officer may choose (the provincial ".xls" files are HTML tables).
FILE_FILTER = "Bảng tính Excel (*.xlsx *.xlsm *.xls *.html *.htm);;Tất cả các tệp (*)"
ACTION_LABELS = {"added": "Thêm mới", "updated": "Cập nhật", "unchanged": "Không đổi"}


def fmt_count(count: int) -> str:
    return f"{count:,}".replace(",", ".")


class RowsModel(QAbstractTableModel):
    """A read-only table over a list of tuples (any length: the view asks only for what it shows)."""

    def __init__(self, headers: Sequence[str], rows: Sequence[Sequence[object]], parent=None) -> None:
        super().__init__(parent)
        self._headers = list(headers)
        self._rows = rows

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._headers)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self._headers[section]
        return None

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        value = self._rows[index.row()][index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            if isinstance(value, datetime):
                return fmt_datetime(value)
            return "" if value is None else str(value)
        if role == Qt.ItemDataRole.TextAlignmentRole and isinstance(value, int):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return None


def make_table(name: str, model: QAbstractTableModel, parent: QWidget) -> QTableView:
    table = QTableView(parent)
    table.setObjectName(name)
    table.setModel(model)
    table.setAlternatingRowColors(True)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setWordWrap(False)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 8)
    table.horizontalHeader().setStretchLastSection(True)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    return table


class _Count(QFrame):
    """One big number with its label (Thêm mới / Cập nhật / Không đổi / Bị từ chối)."""

    def __init__(self, name: str, label: str, color: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 12, 6)
        self.number = QLabel("0", self)
        self.number.setObjectName(name + "Number")
        font = QFont(self.number.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.number.setFont(font)
        self.number.setStyleSheet(f"color: {color};")
        self.number.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.caption = QLabel(label, self)
        self.caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)

    def set(self, count: int) -> None:
        self.number.setText(fmt_count(count))


class ImportDialog(QDialog):
    """Preview, then apply, the import of one file (opened by ui.excel_actions)."""

    imported = Signal(object)  # the ImportResult of an applied import

    PAGE_WORKING, PAGE_PREVIEW, PAGE_DONE, PAGE_ERROR = range(4)

    def __init__(self, ctx, path: Path | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Nhập hồ sơ từ Excel"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.path: Path | None = None
        self.preview: imports.ImportResult | None = None  # the dry run's result
        self.result: imports.ImportResult | None = None  # the applied import's result
        self.job: BackgroundJob | None = None
        self._job_kind = ""
        self._close_when_stopped = False

        self.file_label = QLabel(self)
        self.file_label.setObjectName("fileLabel")
        self.file_label.setWordWrap(True)
        self.file_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.pages = QStackedWidget(self)
        self.pages.addWidget(self._working_page())
        self.pages.addWidget(self._preview_page())
        self.pages.addWidget(self._done_page())
        self.pages.addWidget(self._error_page())

        self.choose_button = make_button(self.tr("Chọn tệp khác…"), "chooseButton", self.choose_file, self)
        self.import_button = make_button(self.tr("Nhập vào sổ"), "importButton", self.apply, self)
        self.cancel_button = make_button(self.tr("Hủy"), "cancelButton", self.cancel_or_close, self)
        self.close_button = make_button(self.tr("Đóng"), "closeButton", self.accept, self)

        layout = QVBoxLayout(self)
        layout.addWidget(self.file_label)
        layout.addWidget(self.pages, 1)
        layout.addLayout(button_row([self.choose_button], [self.import_button, self.cancel_button, self.close_button]))
        self.resize(1000, 600)
        self._show_buttons()
        if path is not None:
            self.load(Path(path))

    # --- pages -------------------------------------------------------------------------------

    def _working_page(self) -> QWidget:
        page = WorkingPage(self)
        self.work_label, self.progress_bar, self.work_hint = page.label, page.progress_bar, page.hint
        return page

    def _preview_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        self.kind_label = QLabel(page)
        self.kind_label.setObjectName("kindLabel")
        self.kind_label.setWordWrap(True)
        counts = QGridLayout()
        self.added_count = _Count("addedCount", self.tr("Sẽ thêm mới"), "#1b6e20", page)
        self.updated_count = _Count("updatedCount", self.tr("Sẽ cập nhật"), "#0b5394", page)
        self.unchanged_count = _Count("unchangedCount", self.tr("Không thay đổi"), "#555555", page)
        self.rejected_count = _Count("rejectedCount", self.tr("Dòng bị từ chối"), "#b00020", page)
        for column, box in enumerate((self.added_count, self.updated_count, self.unchanged_count,
                                      self.rejected_count)):
            counts.addWidget(box, 0, column)
        self.tabs = QTabWidget(page)
        self.tabs.setObjectName("previewTabs")
        self.rows_model = RowsModel([], [], self)
        self.rows_table = make_table("previewTable", self.rows_model, page)
        self.rejected_model = RowsModel([], [], self)
        self.rejected_table = make_table("rejectedTable", self.rejected_model, page)
        self.missing_model = RowsModel([], [], self)
        self.missing_table = make_table("missingTable", self.missing_model, page)
        self.missing_hint = QLabel(page)
        self.missing_hint.setWordWrap(True)
        missing_page = QWidget(page)
        missing_layout = QVBoxLayout(missing_page)
        missing_layout.addWidget(self.missing_hint)
        missing_layout.addWidget(self.missing_table, 1)
        self.tabs.addTab(self.rows_table, self.tr("Hồ sơ trong tệp"))
        self.tabs.addTab(self.rejected_table, self.tr("Dòng bị từ chối"))
        self.tabs.addTab(missing_page, self.tr("Thiếu trong danh sách của tỉnh"))
        self.note_label = QLabel(page)
        self.note_label.setObjectName("noteLabel")
        self.note_label.setWordWrap(True)
        layout.addWidget(self.kind_label)
        layout.addLayout(counts)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.note_label)
        return page

    def _done_page(self) -> QWidget:
        page = QWidget(self)
        layout = QVBoxLayout(page)
        self.done_label = done_label(page)
        layout.addWidget(self.done_label)
        layout.addStretch(1)
        return page

    def _error_page(self) -> QWidget:
        page = ErrorPage(self)
        self.error_label, self.error_action = page.message, page.action
        return page

    def _show_buttons(self) -> None:
        page = self.pages.currentIndex()
        busy = self.job is not None
        self.choose_button.setEnabled(not busy)
        can_apply = (page == self.PAGE_PREVIEW and self.preview is not None
                     and bool(self.preview.added or self.preview.updated))
        self.import_button.setVisible(page == self.PAGE_PREVIEW)
        self.import_button.setEnabled(can_apply and not busy)
        self.import_button.setDefault(can_apply)
        self.cancel_button.setVisible(busy or page == self.PAGE_PREVIEW)
        self.cancel_button.setText(self.tr("Dừng lại") if busy else self.tr("Hủy"))
        self.close_button.setVisible(not busy and page != self.PAGE_PREVIEW)

    # --- choosing a file and the dry run -----------------------------------------------------

    def choose_file(self) -> None:
        start = str(self.path.parent) if self.path is not None else ""
        name, _ = QFileDialog.getOpenFileName(self, self.tr("Chọn tệp Excel để nhập hồ sơ"), start,
                                              self.tr(FILE_FILTER))
        if name:
            self.load(Path(name))

    def load(self, path: Path) -> None:
        """Read ``path`` in a dry run (nothing written) and show the preview."""
        if self.job is not None:
            return
        self.path = path
        self.preview = self.result = None
        self.file_label.setText(self.tr("Tệp: <b>{name}</b>").format(name=_html(path.name)))
        self.file_label.setToolTip(str(path))
        ctx = self.ctx
        self._start("preview", self.tr("Đang đọc tệp và so với sổ hồ sơ (chưa ghi gì)…"),
                    self.tr("Có thể bấm “Dừng lại” bất cứ lúc nào."),
                    lambda progress, cancel: imports.import_file(ctx, path, dry_run=True, progress=progress,
                                                                 cancel=cancel))

    def _start(self, kind: str, text: str, hint: str, work) -> None:
        self._job_kind = kind
        self.work_label.setText(text)
        self.work_hint.setText(hint)
        self.progress_bar.setRange(0, 0)
        self.pages.setCurrentIndex(self.PAGE_WORKING)
        self.job = BackgroundJob(work)
        self.job.progressed.connect(self._progressed)
        self.job.done.connect(self._job_done)
        self._show_buttons()
        self.job.start()

    def _progressed(self, done: int, total: int) -> None:
        if self.job is None or total <= 0:
            return
        if self._job_kind == "preview":  # a dry run only reads: its first half is all there is
            total = imports.PROGRESS_STEPS
        self.progress_bar.setRange(0, total)
        self.progress_bar.setValue(min(done, total))
        if self._job_kind == "apply":
            self.work_label.setText(self.tr("Đang đọc lại tệp…") if done < imports.PROGRESS_STEPS
                                    else self.tr("Đang ghi vào sổ hồ sơ…"))

    def _job_done(self, result: object, error: object) -> None:
        kind, self.job = self._job_kind, None
        if self._close_when_stopped:
            self._close_when_stopped = False
            if kind == "apply" and error is None:
                self._applied(result)  # type: ignore[arg-type]
            super().reject()
            return
        if kind == "preview":
            self._preview_done(result, error)
        else:
            self._apply_done(result, error)
        self._show_buttons()

    def _preview_done(self, result: object, error: object) -> None:
        if error is not None:
            self._show_error(error)  # type: ignore[arg-type]
            return
        assert isinstance(result, imports.ImportResult)
        self.preview = result
        self._fill_preview(result, applied=False)
        self.pages.setCurrentIndex(self.PAGE_PREVIEW)

    def _show_error(self, error: BaseException) -> None:
        message, action = error_text(error)
        if isinstance(error, imports.ImportCancelled) and self._job_kind == "preview":
            message = self.tr("Đã dừng đọc tệp; chưa ghi gì vào sổ hồ sơ.")
            action = self.tr("Bấm “Chọn tệp khác…” để chọn lại tệp.")
        self.error_label.setText(message)
        self.error_action.setText(action)
        self.pages.setCurrentIndex(self.PAGE_ERROR)

    def _fill_preview(self, result: imports.ImportResult, *, applied: bool) -> None:
        verb_add, verb_update = ((self.tr("Đã thêm mới"), self.tr("Đã cập nhật")) if applied
                                 else (self.tr("Sẽ thêm mới"), self.tr("Sẽ cập nhật")))
        self.added_count.caption.setText(verb_add)
        self.updated_count.caption.setText(verb_update)
        self.added_count.set(len(result.added))
        self.updated_count.set(len(result.updated))
        self.unchanged_count.set(len(result.unchanged))
        self.rejected_count.set(len(result.rejected))
        self.kind_label.setText(self.tr("Loại tệp: <b>{kind}</b> — trang tính “{sheet}”, dòng tiêu đề {row}.").format(
            kind=_html(result.kind_label), sheet=_html(result.sheet_name), row=result.header_row))
        rows = [(p.row, p.code, ACTION_LABELS.get(p.action, p.action), p.applicant, p.received_at,
                 ", ".join(p.changes), p.procedure) for p in result.preview]
        self.rows_model = RowsModel([self.tr("Dòng"), self.tr("Mã hồ sơ"), self.tr("Thao tác"), self.tr("Chủ hồ sơ"),
                                     self.tr("Ngày nhận"), self.tr("Thay đổi"), self.tr("Thủ tục")], rows, self)
        self.rows_table.setModel(self.rows_model)
        self._size_columns(self.rows_table, (5, 22, 9, 18, 14, 24))
        rejected = [(r.row, r.reason) for r in result.rejected]
        self.rejected_model = RowsModel([self.tr("Dòng"), self.tr("Lý do")], rejected, self)
        self.rejected_table.setModel(self.rejected_model)
        self._size_columns(self.rejected_table, (7,))
        self.tabs.setTabText(1, self.tr("Dòng bị từ chối ({n})").format(n=fmt_count(len(rejected))))
        missing = [(code,) for code in result.not_in_file]
        self.missing_model = RowsModel([self.tr("Mã hồ sơ")], missing, self)
        self.missing_table.setModel(self.missing_model)
        self.tabs.setTabVisible(2, result.provincial)
        if result.provincial:
            self.tabs.setTabText(2, self.tr("Thiếu trong danh sách của tỉnh ({n})").format(n=fmt_count(len(missing))))
            if missing:
                self.missing_hint.setText(self.tr(
                    "Các hồ sơ dưới đây có trong sổ, nhận trong cùng khoảng thời gian, nhưng không có trong danh sách "
                    "của tỉnh: hệ thống của tỉnh không thấy chúng nên chúng không được tính vào chỉ số 766. "
                    "Hãy nhập chúng lên hệ thống của tỉnh."))
            else:
                self.missing_hint.setText(self.tr("Mọi hồ sơ của sổ trong cùng khoảng thời gian đều có trong danh "
                                                  "sách của tỉnh."))
        if rejected and not applied:
            self.tabs.setCurrentIndex(1)
        notes: list[str] = []
        if result.ignored_columns:
            notes.append(self.tr("Bỏ qua các cột không dùng: {cols}.").format(
                cols=", ".join(f"“{c}”" for c in result.ignored_columns[:8])
                + (" …" if len(result.ignored_columns) > 8 else "")))
        if not applied:
            if result.added or result.updated:
                notes.append(self.tr("Chưa ghi gì. Bấm “Nhập vào sổ” để ghi tất cả các dòng hợp lệ cùng một lúc "
                                     "(có sao lưu trước); các dòng bị từ chối sẽ không được nhập."))
            elif result.nothing_imported:
                notes.append(self.tr("Không có dòng nào nhập được. Hãy sửa các dòng bị từ chối trong tệp rồi chọn "
                                     "lại tệp."))
            else:
                notes.append(self.tr("Tệp không có gì mới: mọi hồ sơ trong tệp đã có trong sổ và không thay đổi."))
        self.note_label.setText(" ".join(notes))

    @staticmethod
    def _size_columns(table: QTableView, chars: Sequence[int]) -> None:
        width = table.fontMetrics().horizontalAdvance("0")
        for column, count in enumerate(chars):
            table.horizontalHeader().resizeSection(column, (count + 2) * width)

    # --- applying ----------------------------------------------------------------------------

    def apply(self) -> None:
        """Write every valid row in one transaction (after a backup), off the UI thread."""
        if self.job is not None or self.preview is None or self.path is None:
            return
        if not (self.preview.added or self.preview.updated):
            return
        ctx, path = self.ctx, self.path
        self._start("apply", self.tr("Đang nhập hồ sơ vào sổ…"),
                    self.tr("Bấm “Dừng lại” để hủy: sổ hồ sơ sẽ giữ nguyên như trước khi nhập."),
                    lambda progress, cancel: imports.import_file(ctx, path, progress=progress, cancel=cancel))

    def _apply_done(self, result: object, error: object) -> None:
        if error is not None:
            message, action = error_text(error)  # type: ignore[arg-type]
            if self.preview is not None:
                # back to the preview (the register is as it was), with the reason underneath
                self.pages.setCurrentIndex(self.PAGE_PREVIEW)
                self.note_label.setText(f"<b style='color:#b00020'>{_html(message)}</b> {_html(action)}")
                return
            self._show_error(error)  # type: ignore[arg-type]
            return
        self._applied(result)  # type: ignore[arg-type]
        self.pages.setCurrentIndex(self.PAGE_DONE)

    def _applied(self, result: imports.ImportResult) -> None:
        self.result = result
        lines = [self.tr("Đã nhập xong tệp “{name}”.").format(name=_html(result.file_name)), "<ul>"]
        lines.append(self.tr("<li>Thêm mới: <b>{n}</b> hồ sơ</li>").format(n=fmt_count(len(result.added))))
        lines.append(self.tr("<li>Cập nhật: <b>{n}</b> hồ sơ</li>").format(n=fmt_count(len(result.updated))))
        lines.append(self.tr("<li>Không thay đổi: {n} hồ sơ</li>").format(n=fmt_count(len(result.unchanged))))
        lines.append(self.tr("<li>Dòng bị từ chối (không nhập): {n}</li>").format(n=fmt_count(len(result.rejected))))
        if result.provincial:
            lines.append(self.tr("<li>Đánh dấu đã nhập hệ thống của tỉnh: {n} hồ sơ</li>").format(
                n=fmt_count(result.synced_marked)))
            if result.not_in_file:
                lines.append(self.tr("<li>Có trong sổ nhưng thiếu trong danh sách của tỉnh: <b>{n}</b> hồ sơ "
                                     "(xem ở bước xem trước)</li>").format(n=fmt_count(len(result.not_in_file))))
        lines.append("</ul>")
        if result.backup_path is not None:
            lines.append(self.tr("Dữ liệu trước khi nhập đã được sao lưu vào {path}.").format(
                path=_html(str(result.backup_path))))
        self.done_label.setText("".join(lines))
        self.imported.emit(result)

    # --- cancel and close --------------------------------------------------------------------

    def cancel_or_close(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.cancel_button.setEnabled(False)
            self.work_label.setText(self.tr("Đang dừng…"))
            self.cancel_button.setEnabled(True)
            return
        self.reject()

    def reject(self) -> None:
        """Esc or the window's close button: a running job is stopped first (nothing is written)."""
        if self.job is not None:
            self._close_when_stopped = True
            self.job.cancel()
            self.work_label.setText(self.tr("Đang dừng…"))
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.job is not None:
            event.ignore()
            self.reject()
            return
        super().closeEvent(event)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = ["FILE_FILTER", "ImportDialog", "RowsModel", "make_table"]

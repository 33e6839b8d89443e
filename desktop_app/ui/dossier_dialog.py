"""One dossier: its details, checklist, result and history, and the status actions (SPEC §2 2–5).

Edits on "Thông tin", the checklist flags and the ticks on "Kết quả" are saved together by
"Lưu thay đổi" (one ``update_dossier`` with the version the form was loaded with, so a change
made meanwhile at another counter is refused, never overwritten). Files are attached at once.
Status actions open :class:`ActionDialog` and go through ``perform_action``.

Above the tabs, the panel "Các vấn đề làm mất điểm 766" lists the dossier's stored warnings in
plain words, each with a button that opens the tab holding the field or action that fixes it,
puts the cursor there and highlights it for a moment.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QRect, Qt, QTimer, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain.identity import IdKind, check_id_number, clean_id_number
from ..domain.rules import RULES_BY_CODE, Rule
from ..domain.status import (
    END_DOCUMENT_STATUSES,
    FINISHED_STATUSES,
    Action,
    Status,
    TransitionRefused,
    allowed_actions,
)
from ..services import attachments, dossiers
from ..services.context import AppContext
from ..services.dossiers import ActionInput, DossierEdit
from ..services.intake import ValidationFailed
from ..services.views import AttachmentView, DossierView
from ..storage.errors import ConflictError
from .action_dialog import ActionDialog
from .audit_history import AuditHistoryWidget
from .checklist_widget import (
    ChecklistItem,
    ChecklistWidget,
    FileDropList,
    check_files,
    choose_scan_files,
)
from .common import ask_before_closing, error_text, fmt_datetime, show_error, show_message
from .dossier_fields import (
    GREY,
    RED,
    ErrorLabel,
    add_applicant_rows,
    identity_method_combo,
    make_money_spin,
    payment_method_combo,
    with_message,
)
from .slip_dialog import after_action, make_slip_button

GREEN = "color: #1b7f3b;"
HIGHLIGHT = "background: #ffe08a;"
HIGHLIGHT_MS = 1800

#: Colour of the bullet before a problem, by the rule's severity.
SEVERITY_COLORS = {"cao": "#c62828", "trung_binh": "#ef6c00", "thap": "#757575"}

#: For overdue / due-soon dossiers, the status action that moves the dossier on, best first.
PREFERRED_ACTIONS = (
    Action.TRA_KET_QUA,
    Action.CO_KET_QUA,
    Action.HOAN_THANH_BO_SUNG,
    Action.HOAN_THANH_NGHIA_VU_TAI_CHINH,
    Action.CHUYEN_XU_LY,
)


def status_text(status: Status | None) -> str:
    return QCoreApplication.translate("Status", status.label) if status is not None else "—"


def size_text(size: int) -> str:
    if size >= 1024 * 1024:
        return f"{size / 1048576:.1f} MB".replace(".", ",")
    return f"{max(size // 1024, 1)} KB"


def is_overdue(view: DossierView, now: datetime) -> bool:
    if view.due_at is None:
        return False
    if view.status.is_ended:
        return view.ended_at is not None and view.ended_at > view.due_at
    return now > view.due_at


class DossierDialog(QDialog):
    """Shows and edits one dossier; emits ``changed()`` after anything was saved."""

    changed = Signal()

    def __init__(
        self,
        ctx: AppContext,
        dossier_id: uuid.UUID,
        officer_id: uuid.UUID | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dossier_id = dossier_id
        self.officer_id = officer_id
        self.view: DossierView = dossiers.get_dossier(ctx, dossier_id)
        self.action_dialog: ActionDialog | None = None
        self.action_buttons: dict[Action, QPushButton] = {}
        self.message_box: QMessageBox | None = None
        self.unsaved_box: QMessageBox | None = None
        self.last_error = ""
        self._populating = False
        self._info_dirty = False
        self._errors: dict[str, ErrorLabel] = {}
        self._error_focus: dict[str, QWidget] = {}
        self.setObjectName("dossierDialog")
        self.setSizeGripEnabled(True)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("dossierTabs")
        self.tabs.addTab(self._info_tab(), self.tr("Thông tin"))
        self.tabs.addTab(self._components_tab(), self.tr("Thành phần hồ sơ"))
        self.tabs.addTab(self._result_tab(), self.tr("Kết quả"))
        self.tabs.addTab(self._history_tab(), self.tr("Lịch sử"))
        self.audit_history = AuditHistoryWidget(ctx, dossier_id)  # the audit log (who changed what)
        self.tabs.addTab(self.audit_history, self.tr("Lịch sử thay đổi"))

        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.status_message = QLabel()
        self.status_message.setObjectName("statusMessage")
        self.save_button = QPushButton(self.tr("Lưu thay đổi"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.save_button.setToolTip(
            self.tr("Lưu thông tin, thành phần hồ sơ và các ô đánh dấu (Enter)")
        )
        self.reload_button = QPushButton(self.tr("Tải lại"))
        self.reload_button.setObjectName("reloadButton")
        self.reload_button.setAutoDefault(False)
        self.reload_button.setToolTip(
            self.tr("Đọc lại hồ sơ từ cơ sở dữ liệu, bỏ các thay đổi chưa lưu")
        )
        self.close_button = QPushButton(self.tr("Đóng"))
        self.close_button.setObjectName("closeButton")
        self.close_button.setAutoDefault(False)
        self.save_button.clicked.connect(self.save)
        self.reload_button.clicked.connect(self.reload)
        self.close_button.clicked.connect(self.reject)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status_message, 1)
        bottom.addWidget(make_slip_button(self))  # "In phiếu": receipt, supplement, refusal…
        bottom.addWidget(self.reload_button)
        bottom.addWidget(self.save_button)
        bottom.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self._header())
        layout.addWidget(self._warnings_box())
        layout.addLayout(self._actions_bar())
        layout.addWidget(self.banner)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(bottom)

        self._wire_dirty()
        self._refresh(full=True)
        self._fit_screen()

    # ------------------------------------------------------------------ building

    def _fit_screen(self) -> None:
        screen = self.screen()
        available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)
        self.resize(
            min(1120, max(available.width() - 40, 640)), min(720, max(available.height() - 40, 480))
        )

    def _header(self) -> QWidget:
        box = QFrame()
        box.setObjectName("header")
        box.setFrameShape(QFrame.Shape.StyledPanel)
        grid = QGridLayout(box)
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(2)
        self.code_label = QLabel()
        self.code_label.setObjectName("codeLabel")
        self.code_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.procedure_label = QLabel()
        self.procedure_label.setObjectName("procedureLabel")
        self.procedure_label.setWordWrap(True)
        self.due_label = QLabel()
        self.due_label.setObjectName("dueLabel")
        self.meta_label = QLabel()
        self.meta_label.setObjectName("metaLabel")
        self.meta_label.setStyleSheet(GREY)
        self.meta_label.setWordWrap(True)
        grid.addWidget(self.code_label, 0, 0)
        grid.addWidget(self.status_label, 0, 1)
        grid.addWidget(self.due_label, 0, 2, Qt.AlignmentFlag.AlignRight)
        grid.addWidget(self.procedure_label, 1, 0, 1, 3)
        grid.addWidget(self.meta_label, 2, 0, 1, 3)
        grid.setColumnStretch(1, 1)
        return box

    def _warnings_box(self) -> QWidget:
        """The panel "Các vấn đề làm mất điểm 766": one row per stored warning (filled later)."""
        self.warnings_frame = QFrame()
        self.warnings_frame.setObjectName("warningsFrame")
        self.warnings_frame.setStyleSheet(
            "#warningsFrame { background: #fff4e5; border: 1px solid #f0c27b; border-radius: 3px; }"
        )
        outer = QVBoxLayout(self.warnings_frame)
        outer.setContentsMargins(8, 4, 8, 6)
        outer.setSpacing(2)
        self.warnings_title = QLabel()
        self.warnings_title.setObjectName("warningsTitle")
        self.warnings_title.setStyleSheet("color: #8a4b00;")
        outer.addWidget(self.warnings_title)
        self.warnings_rows = QWidget()
        self.warnings_rows.setObjectName("warningsRows")
        self.warnings_rows.setStyleSheet("#warningsRows { background: transparent; }")
        self.warnings_layout = QGridLayout(self.warnings_rows)
        self.warnings_layout.setContentsMargins(0, 0, 0, 0)
        self.warnings_layout.setHorizontalSpacing(8)
        self.warnings_layout.setVerticalSpacing(3)
        self.warnings_layout.setColumnStretch(1, 1)
        self.warnings_scroll = QScrollArea()
        self.warnings_scroll.setObjectName("warningsScroll")
        self.warnings_scroll.setWidgetResizable(True)
        self.warnings_scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.warnings_scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.warnings_scroll.setStyleSheet("QScrollArea { background: transparent; }")
        self.warnings_scroll.viewport().setAutoFillBackground(False)
        self.warnings_scroll.setWidget(self.warnings_rows)
        outer.addWidget(self.warnings_scroll)
        self.problem_buttons: dict[str, QPushButton] = {}
        self.problem_labels: dict[str, QLabel] = {}
        return self.warnings_frame

    def _actions_bar(self) -> QHBoxLayout:
        self.actions_layout = QHBoxLayout()
        self.actions_title = QLabel(self.tr("Thao tác:"))
        self.actions_layout.addWidget(self.actions_title)
        self.actions_host = QHBoxLayout()
        self.actions_layout.addLayout(self.actions_host)
        self.actions_layout.addStretch(1)
        return self.actions_layout

    def _error(self, key: str, focus: QWidget) -> ErrorLabel:
        label = ErrorLabel(key)
        self._errors[key] = label
        self._error_focus[key] = focus
        return label

    def _info_tab(self) -> QWidget:
        page = QWidget()
        left = QFormLayout()
        left.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_applicant_rows(self, left, id_required=False)

        right = QFormLayout()
        right.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.identity_box = QCheckBox(self.tr("Đã xác thực định danh"))
        self.identity_box.setObjectName("identityChecked")
        self.identity_combo = identity_method_combo(self)
        identity_row = QHBoxLayout()
        identity_row.addWidget(self.identity_box)
        identity_row.addWidget(self.identity_combo, 1)
        right.addRow(
            self.tr("Định danh"),
            with_message(identity_row, self._error("identity_method", self.identity_combo)),
        )
        self.fee_spin = make_money_spin("fee")
        right.addRow(
            self.tr("Phí, lệ phí"), with_message(self.fee_spin, self._error("fee", self.fee_spin))
        )
        self.payment_combo = payment_method_combo(self, self.tr("Chưa chọn"))
        right.addRow(
            self.tr("Thanh toán"),
            with_message(self.payment_combo, self._error("payment_method", self.payment_combo)),
        )
        self.receipt_edit = QLineEdit()
        self.receipt_edit.setObjectName("receiptNumber")
        right.addRow(self.tr("Số biên lai"), self.receipt_edit)
        self.notes_edit = QLineEdit()
        self.notes_edit.setObjectName("notes")
        right.addRow(self.tr("Ghi chú"), self.notes_edit)
        self.received_info = QLabel()
        self.received_info.setObjectName("receivedInfo")
        self.received_info.setWordWrap(True)
        self.received_info.setStyleSheet(GREY)
        right.addRow(self.tr("Tiếp nhận"), self.received_info)

        columns = QHBoxLayout(page)
        applicant = QGroupBox(self.tr("Chủ hồ sơ"))
        applicant.setLayout(left)
        other = QGroupBox(self.tr("Định danh, phí, ghi chú"))
        other.setLayout(right)
        columns.addWidget(applicant, 1)
        columns.addWidget(other, 1)
        return page

    def _components_tab(self) -> QWidget:
        self.checklist = ChecklistWidget(
            lambda path: self.ctx.attachment_store().check(Path(path)),
            self,
            attach=self._attach_component,
        )
        self.checklist.setObjectName("checklist")
        self.checklist.set_empty_text(self.tr("Hồ sơ này không có danh sách thành phần."))
        note = QLabel(
            self.tr("Tệp đính kèm được lưu ngay; các ô đánh dấu được lưu khi bấm “Lưu thay đổi”.")
        )
        note.setStyleSheet(GREY)
        note.setWordWrap(True)
        inner = QWidget()
        layout = QVBoxLayout(inner)
        layout.addWidget(self.checklist)
        layout.addWidget(note)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(inner)
        return scroll

    def _result_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        result_group = QGroupBox(self.tr("Tệp kết quả"))
        result_layout = QGridLayout(result_group)
        self.result_list = FileDropList()
        self.result_list.setObjectName("resultList")
        self.result_list.setToolTip(self.tr("Nhấp đúp để mở tệp; kéo thả tệp vào đây để đính kèm"))
        self.add_result_button = QPushButton(self.tr("Thêm tệp kết quả…"))
        self.add_result_button.setObjectName("addResult")
        self.add_result_button.setAutoDefault(False)
        self.signed_box = QCheckBox(self.tr("Kết quả đã ký số"))
        self.signed_box.setObjectName("resultSigned")
        result_layout.addWidget(self.result_list, 0, 0, 3, 1)
        result_layout.addWidget(self.add_result_button, 0, 1)
        result_layout.addWidget(self.signed_box, 1, 1)
        result_layout.setColumnStretch(0, 1)
        result_layout.setRowStretch(2, 1)

        self.end_group = QGroupBox(self.tr("Văn bản từ chối / dừng / rút hồ sơ"))
        end_layout = QGridLayout(self.end_group)
        self.end_list = FileDropList()
        self.end_list.setObjectName("endDocumentList")
        self.add_end_button = QPushButton(self.tr("Thêm văn bản…"))
        self.add_end_button.setObjectName("addEndDocument")
        self.add_end_button.setAutoDefault(False)
        self.end_reason_label = QLabel()
        self.end_reason_label.setWordWrap(True)
        end_layout.addWidget(self.end_list, 0, 0, 2, 1)
        end_layout.addWidget(self.add_end_button, 0, 1)
        end_layout.addWidget(self.end_reason_label, 2, 0, 1, 2)
        end_layout.setColumnStretch(0, 1)

        sync_group = QGroupBox(self.tr("Kết thúc và đồng bộ"))
        sync_form = QFormLayout(sync_group)
        self.synced_box = QCheckBox(self.tr("Đã nhập/đồng bộ lên hệ thống một cửa của tỉnh"))
        self.synced_box.setObjectName("synced")
        self.synced_info = QLabel()
        self.synced_info.setStyleSheet(GREY)
        sync_row = QHBoxLayout()
        sync_row.addWidget(self.synced_box)
        sync_row.addWidget(self.synced_info, 1)
        sync_form.addRow(sync_row)
        self.ended_label = QLabel()
        self.ended_label.setObjectName("endedLabel")
        self.returned_label = QLabel()
        self.returned_label.setObjectName("returnedLabel")
        self.satisfaction_label = QLabel()
        self.satisfaction_label.setObjectName("satisfactionLabel")
        sync_form.addRow(self.tr("Kết thúc xử lý"), self.ended_label)
        sync_form.addRow(self.tr("Trả kết quả"), self.returned_label)
        sync_form.addRow(self.tr("Đánh giá hài lòng"), self.satisfaction_label)

        layout.addWidget(result_group, 2)
        layout.addWidget(self.end_group, 1)
        layout.addWidget(sync_group)
        self.add_result_button.clicked.connect(lambda: self.choose_and_attach("result"))
        self.add_end_button.clicked.connect(lambda: self.choose_and_attach("end_document"))
        self.result_list.filesDropped.connect(lambda paths: self.attach_files("result", paths))
        self.end_list.filesDropped.connect(lambda paths: self.attach_files("end_document", paths))
        self.result_list.itemDoubleClicked.connect(self._open_attachment)
        self.end_list.itemDoubleClicked.connect(self._open_attachment)
        return page

    def _history_tab(self) -> QWidget:
        page = QWidget()
        layout = QVBoxLayout(page)
        self.history_table = self._table(
            "historyTable",
            [
                self.tr("Thời gian"),
                self.tr("Từ trạng thái"),
                self.tr("Sang trạng thái"),
                self.tr("Cán bộ"),
                self.tr("Ghi chú"),
            ],
        )
        self.supplement_table = self._table(
            "supplementTable",
            [
                self.tr("Ngày yêu cầu"),
                self.tr("Giấy tờ cần bổ sung"),
                self.tr("Lý do"),
                self.tr("Ngày hoàn thành"),
            ],
        )
        self.supplement_empty = QLabel(self.tr("Chưa có yêu cầu bổ sung nào."))
        self.supplement_empty.setStyleSheet(GREY)
        layout.addWidget(QLabel(f"<b>{self.tr('Diễn biến xử lý')}</b>"))
        layout.addWidget(self.history_table, 3)
        layout.addWidget(QLabel(f"<b>{self.tr('Yêu cầu bổ sung, hoàn thiện hồ sơ')}</b>"))
        layout.addWidget(self.supplement_empty)
        layout.addWidget(self.supplement_table, 1)
        return page

    @staticmethod
    def _table(name: str, headers: list[str]) -> QTableWidget:
        table = QTableWidget(0, len(headers))
        table.setObjectName(name)
        table.setHorizontalHeaderLabels(headers)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.verticalHeader().setVisible(False)
        table.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.verticalHeader().setMinimumSectionSize(table.fontMetrics().height() + 10)
        table.setWordWrap(True)
        header = table.horizontalHeader()
        for column in range(len(headers) - 1):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(headers) - 1, QHeaderView.ResizeMode.Stretch)
        return table

    def _wire_dirty(self) -> None:
        for edit in (
            self.name_edit,
            self.id_edit,
            self.phone_edit,
            self.address_edit,
            self.submitter_edit,
            self.receipt_edit,
            self.notes_edit,
        ):
            edit.textEdited.connect(self._mark_dirty)
        self.hamlet_combo.currentTextChanged.connect(self._mark_dirty)
        for box in (self.no_id_box, self.identity_box, self.signed_box, self.synced_box):
            box.toggled.connect(self._mark_dirty)
        self.identity_combo.currentIndexChanged.connect(self._mark_dirty)
        self.payment_combo.currentIndexChanged.connect(self._mark_dirty)
        self.fee_spin.valueChanged.connect(self._mark_dirty)
        self.checklist.changed.connect(self._mark_dirty)
        self.id_edit.textChanged.connect(self._update_id_message)
        self.no_id_box.toggled.connect(self._update_id_message)
        self.identity_box.toggled.connect(lambda checked: self.identity_combo.setEnabled(checked))

    # ------------------------------------------------------------------ showing

    def _mark_dirty(self, *_args) -> None:
        if not self._populating:
            self._info_dirty = True
            self.status_message.setText(self.tr("Có thay đổi chưa lưu."))
            self.status_message.setStyleSheet(GREY)

    def is_dirty(self) -> bool:
        return self._info_dirty

    def reject(self) -> None:  # Esc, "Đóng" and the window's close button all come here
        """Never lose typed edits silently: ask whether to save them first (non-blocking)."""
        if not self.is_dirty():
            super().reject()
            return

        def close() -> None:
            self._info_dirty = False
            QDialog.reject(self)

        self.unsaved_box = ask_before_closing(
            self, self.tr("Hồ sơ có thay đổi chưa lưu. Lưu trước khi đóng?"), self.save, close
        )

    def _refresh(self, full: bool) -> None:
        """Show ``self.view``; the editable fields only when ``full`` or nothing was edited."""
        view = self.view
        self.setWindowTitle(self.tr("Hồ sơ {0}").format(view.code))
        self._show_header(view)
        self._show_actions(view)  # before the problems: "Sửa ngay" of OVERDUE points at these buttons
        self._show_warnings(view)
        self._show_results(view)
        self._show_history(view)
        self.audit_history.reload()
        rows = [
            ChecklistItem(
                key=c.id,
                name=c.name,
                stored_files=tuple(a.original_name for a in c.attachments),
                digitised=c.digitised,
                reused=c.reused,
                from_kho=c.from_kho,
                not_required=c.not_required,
            )
            for c in view.components
        ]
        keep = self._info_dirty and not full
        self._populating = True
        try:
            if full:
                self.checklist.set_items(rows)
            else:
                self.checklist.update_stored(rows, keep_flags=keep)
            if not keep:
                self._fill_fields(view)
                self._info_dirty = False
        finally:
            self._populating = False

    def _show_header(self, view: DossierView) -> None:
        now = self.ctx.clock()
        self.code_label.setText(f"<span style='font-size:14pt'><b>{view.code}</b></span>")
        self.status_label.setText(
            self.tr("Trạng thái: <b>{0}</b>").format(status_text(view.status))
        )
        procedure = f"{view.procedure.code} — {view.procedure.name}"
        self.procedure_label.setText(self.tr("Thủ tục: {0}").format(procedure))
        self.procedure_label.setToolTip(procedure)
        if view.due_at is None:
            self.due_label.setText(self.tr("Hạn trả: chưa có"))
            self.due_label.setStyleSheet(GREY)
        elif is_overdue(view, now):
            self.due_label.setText(
                self.tr("Hạn trả: <b>{0}</b> — quá hạn").format(fmt_datetime(view.due_at))
            )
            self.due_label.setStyleSheet(RED)
        else:
            self.due_label.setText(self.tr("Hạn trả: <b>{0}</b>").format(fmt_datetime(view.due_at)))
            self.due_label.setStyleSheet("")
        self.due_label.setToolTip(
            self.tr("Lý do sửa ngày hẹn trả: {0}").format(view.due_changed_reason)
            if view.due_changed_reason
            else ""
        )
        channel = {
            1: self.tr("Trực tiếp"),
            2: self.tr("Trực tuyến"),
            3: self.tr("Bưu chính công ích"),
        }
        self.meta_label.setText(
            self.tr("Chủ hồ sơ: {0} · Tiếp nhận: {1} · {2} · Cán bộ: {3}").format(
                view.applicant_name,
                fmt_datetime(view.received_at),
                channel.get(int(view.channel), ""),
                view.officer_name or "—",
            )
        )

    def _show_warnings(self, view: DossierView) -> None:
        """Rebuild the problems panel from the warnings stored with ``view``."""
        while self.warnings_layout.count():
            item = self.warnings_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
                item.widget().deleteLater()
        self.problem_buttons = {}
        self.problem_labels = {}
        codes = [code for code in getattr(view, "warnings", ()) if code in RULES_BY_CODE]
        self.warnings_frame.setVisible(bool(codes))
        self.warnings_title.setText(
            "<b>⚠ {0}</b> ({1})".format(self.tr("Các vấn đề làm mất điểm 766"), len(codes))
        )
        for row, code in enumerate(codes):
            self._add_problem_row(row, RULES_BY_CODE[code])
        self._fit_warnings_height(len(codes))

    def _add_problem_row(self, row: int, rule: Rule) -> None:
        title = QCoreApplication.translate("Rules", rule.title)
        explanation = QCoreApplication.translate("Rules", rule.explanation)
        color = SEVERITY_COLORS.get(rule.severity, SEVERITY_COLORS["thap"])
        target = self.fix_target_of(rule.code)
        bullet = QLabel("●")
        bullet.setStyleSheet(f"color: {color};")
        bullet.setToolTip(self.problem_severity_text(rule))
        # a problem nothing here can undo says so under its explanation instead of a button
        note = "" if target is not None else f"<br><i>{escape(self._no_fix_text(rule))}</i>"
        label = QLabel(
            f"<b>{escape(title)}</b><br><span style='color:#555'>{escape(explanation)}{note}</span>"
        )
        label.setObjectName(f"problem_{rule.code}")
        label.setWordWrap(True)
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setToolTip(f"{explanation}\n{self.problem_severity_text(rule)}")
        self.warnings_layout.addWidget(bullet, row, 0, Qt.AlignmentFlag.AlignTop)
        self.warnings_layout.addWidget(label, row, 1)
        self.problem_labels[rule.code] = label
        if target is None:
            return
        button = QPushButton(self._fix_button_text(rule))
        button.setObjectName(f"fix_{rule.code}")
        button.setAutoDefault(False)
        button.setToolTip(self._fix_button_tip(rule))
        button.setAccessibleName(self.tr("Sửa: {0}").format(title))
        button.clicked.connect(lambda _=False, code=rule.code: self.fix_problem(code))
        self.warnings_layout.addWidget(button, row, 2, Qt.AlignmentFlag.AlignVCenter)
        self.problem_buttons[rule.code] = button

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_warnings_height(len(self.problem_labels))

    def _fit_warnings_height(self, count: int) -> None:
        """Size the problems list to whole rows; when they do not all fit, the list scrolls."""
        if not count:
            return
        layout = self.warnings_layout
        side = max(
            (layout.itemAtPosition(row, 2).widget().sizeHint().width()
             for row in range(count) if layout.itemAtPosition(row, 2) is not None),
            default=0,
        )
        # the dialog's and the panel's margins, the bullet and the spacing between the columns
        text_width = max(self.width() - side - 90, 240)
        heights = []
        for row in range(count):
            item = layout.itemAtPosition(row, 1)
            button = layout.itemAtPosition(row, 2)
            label = item.widget() if item is not None else None
            text_height = label.heightForWidth(text_width) if label is not None else 0
            button_height = button.widget().sizeHint().height() if button is not None else 0
            heights.append(max(text_height, button_height))
        # whole rows only, up to about a third of the dialog (at least one row, at most all of
        # them); the others scroll inside the panel, so the tabs below keep their room
        room = max(int(self.height() * 0.32), heights[0])
        spacing = layout.verticalSpacing()
        height = heights[0]
        for extra in heights[1:]:
            if height + spacing + extra > room:
                break
            height += spacing + extra
        self.warnings_scroll.setFixedHeight(height + 2)

    def problem_severity_text(self, rule: Rule) -> str:
        level = {"cao": self.tr("Cao"), "trung_binh": self.tr("Trung bình"), "thap": self.tr("Thấp")}
        return self.tr("Mức độ: {0}").format(level.get(rule.severity, rule.severity))

    def _fix_button_text(self, rule: Rule) -> str:
        if rule.fix in ("history", "satisfaction"):
            return self.tr("Xem")
        return self.tr("Sửa ngay")

    def _fix_button_tip(self, rule: Rule) -> str:
        tips = {
            "result_file": self.tr("Mở thẻ “Kết quả” để đính kèm tệp kết quả điện tử"),
            "result_signed": self.tr("Mở thẻ “Kết quả” để đánh dấu kết quả đã ký số"),
            "end_document": self.tr("Mở thẻ “Kết quả” để đính kèm văn bản từ chối / dừng / rút"),
            "synced": self.tr("Mở thẻ “Kết quả” để đánh dấu đã nhập lên hệ thống của tỉnh"),
            "satisfaction": self.tr("Mở thẻ “Kết quả” để xem đánh giá hài lòng"),
            "components": self.tr(
                "Mở thẻ “Thành phần hồ sơ” để đính kèm bản quét hoặc đánh dấu lấy từ kho"
            ),
            "identity_checked": self.tr("Đánh dấu đã xác thực định danh và chọn cách xác thực"),
            "payment_method": self.tr("Chọn hình thức thanh toán"),
            "id_number": self.tr("Sửa số định danh"),
            "history": self.tr("Mở thẻ “Lịch sử” để xem các lần yêu cầu bổ sung"),
            "actions": self.tr("Chuyển tới các nút thao tác để xử lý tiếp hồ sơ"),
        }
        return tips.get(rule.fix, "")

    def _no_fix_text(self, rule: Rule) -> str:
        if rule.fix == "channel":
            return self.tr("Lần sau hướng dẫn công dân nộp trực tuyến.")
        if rule.fix == "actions":
            return self.tr("Hồ sơ đã kết thúc, không sửa được.")
        return self.tr("Không sửa được trên hồ sơ này.")

    def fix_target_of(self, code: str) -> tuple[int, QWidget | None] | None:
        """(tab, widget) that fixes the warning ``code`` on this dossier, or None."""
        rule = RULES_BY_CODE.get(code)
        if rule is None:
            return None
        if rule.fix == "components":
            all_rows = list(getattr(self.checklist, "rows", []))
            rows = [row for row in all_rows if not row.not_required_box.isChecked()] or all_rows
            if not rows:
                return (1, None)
            first = rows[0]
            if code == "KHO_NOT_USED":
                return (1, first.kho_box if first.kho_box.isEnabled() else first.attach_button)
            return (1, first.attach_button)
        if code == "IDENTITY_NOT_CHECKED" and self.identity_box.isChecked():
            return (0, self.identity_combo)  # ticked "by papers", which the index does not count
        return self._fix_target(rule.fix)

    def _fix_target(self, fix: str) -> tuple[int, QWidget | None] | None:
        targets: dict[str, tuple[int, QWidget | None]] = {
            "result_file": (2, self.add_result_button),
            "result_signed": (2, self.signed_box),
            "end_document": (2, self.add_end_button),
            "synced": (2, self.synced_box),
            "satisfaction": (2, self.satisfaction_label),
            "components": (1, None),
            "identity_checked": (0, self.identity_box),
            "payment_method": (0, self.payment_combo),
            "id_number": (0, self.id_edit),
            "history": (3, None),
        }
        if fix == "actions":
            button = next(
                (self.action_buttons[a] for a in PREFERRED_ACTIONS if a in self.action_buttons),
                next(iter(self.action_buttons.values()), None),
            )
            return (self.tabs.currentIndex(), button) if button is not None else None
        return targets.get(fix)

    def fix_problem(self, code: str) -> QWidget | None:
        """Go to what fixes the warning ``code``: open its tab, focus and highlight the field."""
        target = self.fix_target_of(code)
        if target is None:
            return None
        tab, widget = target
        self.tabs.setCurrentIndex(tab)
        rule = RULES_BY_CODE[code]
        hints = {
            "identity_checked": self.tr(
                "Đánh dấu “Đã xác thực định danh”, chọn CSDL dân cư hoặc VNeID rồi bấm “Lưu thay đổi”."
            ),
            "synced": self.tr("Đánh dấu ô đã nhập lên hệ thống của tỉnh rồi bấm “Lưu thay đổi”."),
            "payment_method": self.tr(
                "Chọn “Trực tuyến (Cổng DVCQG)” nếu công dân đã nộp phí qua Cổng, rồi bấm “Lưu thay đổi”."
            ),
            "result_signed": self.tr("Đánh dấu “Kết quả đã ký số” rồi bấm “Lưu thay đổi”."),
            "result_file": self.tr(
                "Bấm “Thêm tệp kết quả…” hoặc kéo thả tệp kết quả vào danh sách."
            ),
            "end_document": self.tr("Bấm “Thêm văn bản…” để đính kèm văn bản đã ký."),
            "satisfaction": self.tr("Đánh giá hài lòng được ghi khi trả kết quả cho công dân."),
            "id_number": self.tr("Sửa số định danh (12 chữ số) rồi bấm “Lưu thay đổi”."),
        }
        if rule.fix == "components":
            hint = (
                self.tr(
                    "Đánh dấu “Lấy từ kho dữ liệu” hoặc “Tái sử dụng dữ liệu số hóa” cho giấy tờ đã có, rồi bấm “Lưu thay đổi”."
                )
                if code == "KHO_NOT_USED"
                else self.tr("Bấm “Đính kèm…” để thêm bản quét của giấy tờ.")
            )
        elif rule.fix == "actions":
            hint = self.tr("Dùng các nút thao tác để xử lý tiếp hồ sơ.")
        elif code == "IDENTITY_NOT_CHECKED" and widget is self.identity_combo:
            hint = self.tr(
                "Xác thực bằng giấy tờ không được tính: đối chiếu trên CSDL dân cư hoặc VNeID, chọn cách đó rồi bấm “Lưu thay đổi”."
            )
        else:
            hint = hints.get(rule.fix, "")
        if hint:
            self.status_message.setText(hint)
            self.status_message.setStyleSheet(GREY)
        if widget is not None:
            widget.setFocus(Qt.FocusReason.OtherFocusReason)
            self._highlight(widget)
        return widget

    def go_to_fix(self, fix: str) -> None:
        """Open the tab holding the field that fixes a warning and put the cursor on it."""
        code = next((rule.code for rule in RULES_BY_CODE.values() if rule.fix == fix), None)
        if code is not None:
            self.fix_problem(code)

    def _highlight(self, widget: QWidget) -> None:
        """Light the widget up for a moment so the eye finds it (its own style comes back)."""
        original = widget.property("_styleBeforeHighlight")
        if original is None:
            original = widget.styleSheet()
            widget.setProperty("_styleBeforeHighlight", original)
        widget.setStyleSheet(f"{original} {HIGHLIGHT}".strip())

        def restore(w: QWidget = widget) -> None:
            before = w.property("_styleBeforeHighlight")
            if before is not None:
                w.setStyleSheet(before)
                w.setProperty("_styleBeforeHighlight", None)

        QTimer.singleShot(HIGHLIGHT_MS, widget, restore)

    def _show_actions(self, view: DossierView) -> None:
        while self.actions_host.count():
            widget = self.actions_host.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.action_buttons = {}
        actions = allowed_actions(view.status)
        for action in actions:
            button = QPushButton(self.tr(action.label))
            button.setObjectName(f"action_{action.value}")
            button.setAutoDefault(False)
            button.clicked.connect(lambda _=False, a=action: self.start_action(a))
            self.actions_host.addWidget(button)
            self.action_buttons[action] = button
        self.actions_title.setText(
            self.tr("Thao tác:") if actions else self.tr("Hồ sơ đã kết thúc xử lý.")
        )

    def _show_results(self, view: DossierView) -> None:
        self._fill_attachments(
            self.result_list, view.attachments_of_kind("result"), self.tr("Chưa có tệp kết quả.")
        )
        self._fill_attachments(
            self.end_list, view.attachments_of_kind("end_document"), self.tr("Chưa có văn bản.")
        )
        finished = view.status in FINISHED_STATUSES
        self.add_result_button.setEnabled(finished)
        self.add_result_button.setToolTip(
            "" if finished else self.tr("Ghi nhận “Có kết quả” trước, rồi đính kèm tệp kết quả.")
        )
        self.result_list.setAcceptDrops(finished)
        ended_badly = view.status in END_DOCUMENT_STATUSES
        self.end_group.setVisible(ended_badly or bool(view.attachments_of_kind("end_document")))
        self.add_end_button.setEnabled(ended_badly)
        self.end_reason_label.setText(
            self.tr("Lý do: {0}").format(view.end_reason) if view.end_reason else ""
        )
        self.synced_info.setText(
            self.tr("lúc {0}").format(fmt_datetime(view.synced_at))
            if view.synced and view.synced_at
            else ""
        )
        self.ended_label.setText(fmt_datetime(view.ended_at) or "—")
        self.returned_label.setText(fmt_datetime(view.returned_at) or "—")
        satisfaction = {
            "rat_hai_long": self.tr("Rất hài lòng"),
            "hai_long": self.tr("Hài lòng"),
            "khong_hai_long": self.tr("Không hài lòng"),
            "chua_danh_gia": self.tr("Chưa đánh giá"),
        }
        self.satisfaction_label.setText(satisfaction.get(view.satisfaction, "—"))

    def _fill_attachments(
        self, widget: FileDropList, rows: list[AttachmentView], empty: str
    ) -> None:
        widget.clear()
        for row in rows:
            item = QListWidgetItem(
                f"{row.original_name}  ·  {size_text(row.size)}  ·  {fmt_datetime(row.added_at)}"
            )
            item.setData(Qt.ItemDataRole.UserRole, row.sha256)
            item.setToolTip(self.tr("Nhấp đúp để mở"))
            widget.addItem(item)
        if not rows:
            item = QListWidgetItem(empty)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            widget.addItem(item)

    def _show_history(self, view: DossierView) -> None:
        self.history_table.setRowCount(len(view.history))
        for row, change in enumerate(view.history):
            values = [
                fmt_datetime(change.changed_at),
                status_text(change.from_status),
                status_text(change.to_status),
                change.officer_name or "—",
                change.note,
            ]
            for column, value in enumerate(values):
                self.history_table.setItem(row, column, QTableWidgetItem(value))
        self.supplement_table.setRowCount(len(view.supplements))
        for row, request in enumerate(view.supplements):
            values = [
                fmt_datetime(request.requested_at),
                request.items,
                request.reason,
                fmt_datetime(request.completed_at) or self.tr("Đang chờ"),
            ]
            for column, value in enumerate(values):
                self.supplement_table.setItem(row, column, QTableWidgetItem(value))
        self.supplement_empty.setVisible(not view.supplements)
        self.supplement_table.setVisible(bool(view.supplements))

    def _fill_fields(self, view: DossierView) -> None:
        self.name_edit.setText(view.applicant_name)
        none = view.id_kind == IdKind.NONE.value
        self.no_id_box.setChecked(none)
        self.id_edit.setText(view.id_number)
        self.phone_edit.setText(view.phone)
        self.address_edit.setText(view.address)
        self.hamlet_combo.setCurrentText(view.hamlet)
        self.submitter_edit.setText(view.submitter_name)
        self.identity_box.setChecked(view.identity_checked)
        index = self.identity_combo.findData(view.identity_method)
        self.identity_combo.setCurrentIndex(max(index, 0))
        self.identity_combo.setEnabled(view.identity_checked)
        self.fee_spin.setValue(view.fee)
        self.payment_combo.setCurrentIndex(self.payment_combo.findData(view.payment_method))
        self.receipt_edit.setText(view.receipt_number)
        self.notes_edit.setText(view.notes)
        self.signed_box.setChecked(view.result_signed)
        self.signed_box.setEnabled(view.has_result_file)
        self.synced_box.setChecked(view.synced)
        reason = (
            self.tr(" · Lý do sửa hẹn trả: {0}").format(view.due_changed_reason)
            if view.due_changed_reason
            else ""
        )
        self.received_info.setText(
            self.tr("{0}, hẹn trả {1}").format(
                fmt_datetime(view.received_at), fmt_datetime(view.due_at) or "—"
            )
            + reason
        )
        for label in self._errors.values():
            label.set_message("")
        self._update_id_message()

    def _update_id_message(self) -> None:
        none = self.no_id_box.isChecked()
        self.id_edit.setEnabled(not none)
        if none:
            self.id_message.setText(self.tr("Công dân không có số định danh."))
            self.id_message.setStyleSheet(GREY)
            return
        check = check_id_number(self.id_edit.text(), current_year=self.ctx.clock().year)
        self.id_message.setText(check.message)
        self.id_message.setStyleSheet(GREY if check.ok else RED)

    # ------------------------------------------------------------------ problems

    def show_problem(self, message: str, detail: str = "") -> None:
        """A refusal in plain words: in the banner, and in a (non-blocking) message box."""
        self.last_error = message
        self.banner.setText(message + (f" {detail}" if detail else ""))
        self.banner.setStyleSheet("background: #fdecea; color: #8a1c1c; padding: 4px;")
        self.banner.show()
        self.message_box = show_message(
            self, self.tr("Không thực hiện được"), message, detail, QMessageBox.Icon.Warning
        )

    def _show_exception(self, error: BaseException) -> None:
        if isinstance(error, TransitionRefused):
            self.show_problem(str(error))
            return
        message, detail = error_text(error)
        if isinstance(error, ConflictError):
            detail = (detail + " " + self.tr("Bấm “Tải lại” để xem bản mới nhất.")).strip()
        self.last_error = message
        self.banner.setText(f"{message} {detail}".strip())
        self.banner.setStyleSheet("background: #fdecea; color: #8a1c1c; padding: 4px;")
        self.banner.show()
        self.message_box = show_error(self, error)

    def _succeeded(self, view: DossierView, message: str) -> None:
        self.view = view
        self.banner.hide()
        self.last_error = ""
        self._refresh(full=False)
        self.status_message.setText(message)
        self.status_message.setStyleSheet(GREEN)
        self.changed.emit()

    # ------------------------------------------------------------------ saving edits

    def build_edit(self) -> tuple[DossierEdit, bool | None]:
        """The changes the officer made (unchanged fields stay None), and the new signed flag."""
        view = self.view
        edit = DossierEdit()
        if self.name_edit.text().strip() != view.applicant_name:
            edit.applicant_name = self.name_edit.text()
        if self.no_id_box.isChecked():
            if view.id_kind != IdKind.NONE.value:
                edit.id_number, edit.id_kind = "", IdKind.NONE
        elif (
            clean_id_number(self.id_edit.text()) != view.id_number
            or view.id_kind == IdKind.NONE.value
        ):
            edit.id_number, edit.id_kind = self.id_edit.text(), IdKind.CCCD
        for name, widget in (
            ("phone", self.phone_edit),
            ("address", self.address_edit),
            ("submitter_name", self.submitter_edit),
            ("receipt_number", self.receipt_edit),
            ("notes", self.notes_edit),
        ):
            if widget.text().strip() != getattr(view, name):
                setattr(edit, name, widget.text())
        if self.hamlet_combo.currentText().strip() != view.hamlet:
            edit.hamlet = self.hamlet_combo.currentText()
        checked = self.identity_box.isChecked()
        method = self.identity_combo.currentData() if checked else ""
        if checked != view.identity_checked or (checked and method != view.identity_method):
            edit.identity_checked, edit.identity_method = checked, method
        if self.fee_spin.value() != view.fee:
            edit.fee = self.fee_spin.value()
        payment = self.payment_combo.currentData() or ""
        if payment != view.payment_method:
            edit.payment_method = payment
        if self.synced_box.isChecked() != view.synced:
            edit.synced = self.synced_box.isChecked()
        for state, component in zip(self.checklist.states(), view.components, strict=False):
            flags = {
                "reused": state.reused,
                "from_kho": state.from_kho,
                "not_required": state.not_required,
            }
            if flags != {
                "reused": component.reused,
                "from_kho": component.from_kho,
                "not_required": component.not_required,
            }:
                edit.component_flags[component.id] = flags
        signed = (
            self.signed_box.isChecked()
            if self.signed_box.isChecked() != view.result_signed
            else None
        )
        return edit, signed

    @staticmethod
    def _is_empty(edit: DossierEdit) -> bool:
        return not edit.component_flags and all(
            getattr(edit, name) is None
            for name in edit.__dataclass_fields__
            if name != "component_flags"
        )

    def save(self) -> bool:
        """Save the edits; False when nothing was saved (refused, invalid or nothing changed)."""
        for label in self._errors.values():
            label.set_message("")
        edit, signed = self.build_edit()
        if self._is_empty(edit) and signed is None:
            self.status_message.setText(self.tr("Không có thay đổi nào để lưu."))
            self.status_message.setStyleSheet(GREY)
            self._info_dirty = False
            return False
        try:
            view = self.view
            if not self._is_empty(edit):
                view = dossiers.update_dossier(self.ctx, self.dossier_id, self.view.version, edit)
            if signed is not None:
                view = dossiers.set_result_signed(self.ctx, self.dossier_id, signed, view.version)
        except ValidationFailed as error:
            self._show_field_errors(error.errors)
            return False
        except Exception as error:  # noqa: BLE001 (shown in plain words; unexpected ones logged)
            self._show_exception(error)
            return False
        self._info_dirty = False
        self._succeeded(view, self.tr("Đã lưu thay đổi."))
        return True

    def _show_field_errors(self, errors: dict[str, str]) -> None:
        first: QWidget | None = None
        general = []
        for key, message in errors.items():
            if key == "id_number":
                self.id_message.setText(message)
                self.id_message.setStyleSheet(RED)
            elif key in self._errors:
                self._errors[key].set_message(message)
            else:
                general.append(message)
                continue
            first = first or self._error_focus.get(key)
        if general:
            self.status_message.setText(" ".join(general))
            self.status_message.setStyleSheet(RED)
        if first is not None:
            self.tabs.setCurrentIndex(0)
            first.setFocus(Qt.FocusReason.OtherFocusReason)

    def reload(self) -> None:
        try:
            self.view = dossiers.get_dossier(self.ctx, self.dossier_id)
        except Exception as error:  # noqa: BLE001 (shown in plain words; unexpected ones logged)
            self._show_exception(error)
            return
        self.banner.hide()
        self._info_dirty = False
        self._refresh(full=True)
        self.status_message.setText(self.tr("Đã tải lại hồ sơ."))
        self.status_message.setStyleSheet(GREY)

    # ------------------------------------------------------------------ files

    def _attach_component(self, key: object, files: list[Path]) -> bool:
        try:
            view = dossiers.attach_component_files(self.ctx, self.dossier_id, key, files)  # type: ignore[arg-type]
        except Exception as error:  # noqa: BLE001 (shown in plain words; unexpected ones logged)
            self._show_exception(error)
            return False
        self._succeeded(view, self.tr("Đã đính kèm {0} tệp.").format(len(files)))
        return True

    def choose_and_attach(self, kind: str) -> bool:
        title = self.tr("Chọn tệp kết quả") if kind == "result" else self.tr("Chọn văn bản đã ký")
        paths = choose_scan_files(self, title)
        return self.attach_files(kind, paths) if paths else False

    def attach_files(self, kind: str, paths: list[Path]) -> bool:
        if kind == "result" and self.view.status not in FINISHED_STATUSES:
            self.show_problem(self.tr("Ghi nhận “Có kết quả” trước, rồi đính kèm tệp kết quả."))
            return False
        checked = check_files(lambda path: self.ctx.attachment_store().check(Path(path)), paths)
        if checked.refused:
            self.show_problem("\n".join(checked.refused), checked.advice)
        if not checked.accepted:
            return False
        signed = self.signed_box.isChecked() if kind == "result" else False
        try:
            view = dossiers.attach_result(
                self.ctx, self.dossier_id, checked.accepted, signed, kind=kind
            )
        except Exception as error:  # noqa: BLE001 (shown in plain words; unexpected ones logged)
            self._show_exception(error)
            return False
        self._succeeded(view, self.tr("Đã đính kèm {0} tệp.").format(len(checked.accepted)))
        return True

    def _open_attachment(self, item: QListWidgetItem) -> None:
        sha = item.data(Qt.ItemDataRole.UserRole)
        if not sha:
            return
        try:
            path = attachments.attachment_file(self.ctx, str(sha))  # fetched once from a shared database
        except Exception as error:  # noqa: BLE001 (shown in plain words; unexpected ones logged)
            self._show_exception(error)
            return
        if not path.exists():
            self.show_problem(
                self.tr("Không tìm thấy tệp trong thư mục dữ liệu."),
                self.tr("Hãy khôi phục thư mục đính kèm từ bản sao lưu."),
            )
            return
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))

    # ------------------------------------------------------------------ status actions

    def start_action(self, action: Action) -> ActionDialog:
        """Open the dialog that asks what ``action`` needs (window-modal, not blocking)."""
        if self.action_dialog is not None:
            self.action_dialog.deleteLater()
        dialog = ActionDialog(self.ctx, self.view, action, self.officer_id, self)
        dialog.submitted.connect(lambda data, d=dialog: self._submit_action(d, data))
        self.action_dialog = dialog
        dialog.open()
        return dialog

    def _submit_action(self, dialog: ActionDialog, data: ActionInput) -> None:
        if self.perform(data, dialog):
            dialog.accept()
            after_action(self, dialog, data)  # the refusal/stop/withdrawal slip as end document

    def perform(self, data: ActionInput, dialog: ActionDialog | None = None) -> bool:
        """Perform a status action through the service; True when it was recorded."""
        if data.expected_version is None:
            data.expected_version = self.view.version
        try:
            view = dossiers.perform_action(self.ctx, self.dossier_id, data)
        except ValidationFailed as error:
            if dialog is not None and dialog.isVisible():
                dialog.show_errors(error.errors)
            else:
                self.show_problem(" ".join(error.errors.values()))
            return False
        except Exception as error:  # noqa: BLE001 (shown in plain words; unexpected ones logged)
            if dialog is not None:
                dialog.reject()
            self._show_exception(error)
            return False
        label = self.tr(Action(data.action).label)
        self._succeeded(view, self.tr("Đã ghi nhận “{0}”.").format(label))
        return True

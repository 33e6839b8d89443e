"""Tiếp nhận hồ sơ (Ctrl+N): the intake form of SPEC §2 step 1.

Procedure by type-ahead, applicant with a validated số định danh, channel, received time and
the computed due date, the digitisation checklist, identity check, fee and payment. Saving builds
a :class:`services.intake.DossierDraft` and hands it to ``receive_dossier``; the service's
field errors are shown next to their fields.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from itertools import pairwise
from pathlib import Path

from PySide6.QtCore import QRect, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..domain.calendar import describe_limit
from ..domain.identity import IdKind, check_id_number, clean_id_number
from ..domain.procedure import FeeKind, OnlineLevel
from ..domain.status import Channel
from ..services import intake
from ..services.context import AppContext
from ..services.intake import ComponentDraft, DossierDraft, ValidationFailed
from ..services.views import ProcedureView
from .checklist_widget import ChecklistItem, ChecklistWidget
from .common import ask_before_closing, fmt_datetime, show_error, show_message
from .dossier_fields import (
    GREY,
    ORANGE,
    RED,
    ErrorLabel,
    add_applicant_rows,
    from_qdatetime,
    identity_method_combo,
    make_datetime_edit,
    make_money_spin,
    payment_method_combo,
    to_qdatetime,
    with_message,
)
from .procedure_picker import ProcedurePicker, procedure_display

#: Names longer than this are repeated in full under the picker.
LONG_NAME = 100


class IntakeDialog(QDialog):
    """Receive a new dossier; emits ``saved(code)`` and closes once it is in the database."""

    saved = Signal(str)

    def __init__(
        self, ctx: AppContext, officer_id: uuid.UUID | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.officer_id = officer_id
        self.saved_code: str | None = None
        self.confirmation: QMessageBox | None = None
        self.error_box: QMessageBox | None = None
        self._computed_due: datetime | None = None
        self._errors: dict[str, ErrorLabel] = {}
        self._error_focus: dict[str, QWidget] = {}
        self.setObjectName("intakeDialog")
        self.setWindowTitle(self.tr("Tiếp nhận hồ sơ"))
        self.setSizeGripEnabled(True)

        content = QWidget()
        grid = QGridLayout(content)
        grid.setContentsMargins(8, 8, 8, 8)
        grid.setHorizontalSpacing(12)
        grid.setVerticalSpacing(8)
        # Two independent columns, so that neither waits for the other's row heights.
        procedure_group = self._procedure_group()
        left, right = QVBoxLayout(), QVBoxLayout()
        left.addWidget(self._applicant_group())
        left.addWidget(self._identity_group())
        left.addWidget(self._notes_group())
        left.addStretch(1)
        right.addWidget(self._intake_group())
        right.addWidget(self._fee_group())
        right.addStretch(1)
        grid.addWidget(procedure_group, 0, 0, 1, 2)
        grid.addLayout(left, 1, 0)
        grid.addLayout(right, 1, 1)
        grid.addWidget(self._checklist_group(), 2, 0, 1, 2)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(3, 1)

        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.scroll.setWidget(content)

        self.general_error = ErrorLabel("general")
        self.save_button = QPushButton(self.tr("Lưu hồ sơ"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.save_button.setToolTip(self.tr("Lưu hồ sơ vào sổ (Enter)"))
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.setToolTip(self.tr("Đóng, không lưu (Esc)"))
        self.save_button.clicked.connect(self.save)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_error, 10)
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 8)
        layout.addWidget(self.scroll, 1)
        layout.addLayout(buttons)

        self._wire()
        self._set_tab_order()
        self._on_procedure_changed(None)
        self._update_id_state()
        self._update_identity_state()
        self._on_due_override_toggled(False)
        self._fit_screen()
        self.picker.setFocus()

    # ------------------------------------------------------------------ building

    def _error(self, key: str, focus: QWidget) -> ErrorLabel:
        label = ErrorLabel(key)
        self._errors[key] = label
        self._error_focus[key] = focus
        return label

    def _procedure_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Thủ tục hành chính"))
        self.picker = ProcedurePicker(self.ctx, self)
        self.procedure_info = QLabel()
        self.procedure_info.setObjectName("procedureInfo")
        self.procedure_info.setWordWrap(True)
        self.procedure_info.setStyleSheet(GREY)
        self.channel_hint = QLabel()
        self.channel_hint.setObjectName("channelHint")
        self.channel_hint.setWordWrap(True)
        self.channel_hint.setStyleSheet(ORANGE)
        layout = QVBoxLayout(group)
        layout.setSpacing(3)
        layout.addWidget(self.picker)
        layout.addWidget(self._error("procedure", self.picker))
        layout.addWidget(self.procedure_info)
        layout.addWidget(self.channel_hint)
        return group

    def _applicant_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Chủ hồ sơ"))
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        add_applicant_rows(self, form, id_required=True)
        return group

    def _intake_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Tiếp nhận"))
        form = QFormLayout(group)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.channel_group = QButtonGroup(self)
        channel_row = QHBoxLayout()
        self.channel_buttons: dict[Channel, QRadioButton] = {}
        for channel, text in (
            (Channel.TRUC_TIEP, self.tr("Trực tiếp")),
            (Channel.TRUC_TUYEN, self.tr("Trực tuyến")),
            (Channel.BUU_CHINH, self.tr("Bưu chính công ích")),
        ):
            button = QRadioButton(text)
            button.setObjectName(f"channel{int(channel)}")
            self.channel_group.addButton(button, int(channel))
            self.channel_buttons[channel] = button
            channel_row.addWidget(button)
        channel_row.addStretch(1)
        self.channel_buttons[Channel.TRUC_TIEP].setChecked(True)
        form.addRow(self.tr("Hình thức nộp"), channel_row)

        self.received_edit = make_datetime_edit(self.ctx.clock(), "receivedAt")
        form.addRow(
            self.tr("Thời điểm tiếp nhận"),
            with_message(self.received_edit, self._error("received_at", self.received_edit)),
        )
        self.due_label = QLabel()
        self.due_label.setObjectName("dueLabel")
        self.due_label.setWordWrap(True)
        self.due_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Hẹn trả kết quả"), self.due_label)
        self.due_override_box = QCheckBox(self.tr("Sửa ngày hẹn trả"))
        self.due_override_box.setObjectName("dueOverride")
        self.due_edit = make_datetime_edit(self.ctx.clock(), "dueAt")
        due_row = QHBoxLayout()
        due_row.addWidget(self.due_override_box)
        due_row.addWidget(self.due_edit, 1)
        form.addRow("", with_message(due_row, self._error("due_at", self.due_edit)))
        self.due_reason_edit = QLineEdit()
        self.due_reason_edit.setObjectName("dueReason")
        self.due_reason_edit.setPlaceholderText(self.tr("Bắt buộc khi sửa ngày hẹn trả"))
        self.due_reason_label = QLabel(self.tr("Lý do"))
        form.addRow(
            self.due_reason_label,
            with_message(
                self.due_reason_edit, self._error("due_changed_reason", self.due_reason_edit)
            ),
        )
        self.code_edit = QLineEdit()
        self.code_edit.setObjectName("dossierCode")
        self.code_edit.setPlaceholderText(self.tr("Tự sinh khi lưu"))
        self.code_edit.setToolTip(
            self.tr("Để trống để phần mềm tự sinh mã; chỉ gõ khi hồ sơ đã có mã từ hệ thống khác")
        )
        form.addRow(
            self.tr("Mã hồ sơ"), with_message(self.code_edit, self._error("code", self.code_edit))
        )
        return group

    def _identity_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Xác thực định danh"))
        layout = QVBoxLayout(group)
        row = QHBoxLayout()
        self.identity_box = QCheckBox(self.tr("Đã xác thực định danh"))
        self.identity_box.setObjectName("identityChecked")
        self.identity_box.setToolTip(
            self.tr(
                "Đã đối chiếu thông tin công dân với CSDL quốc gia về dân cư hoặc VNeID "
                "(chỉ tiêu 766)"
            )
        )
        self.identity_combo = identity_method_combo(self)
        row.addWidget(self.identity_box)
        row.addWidget(self.identity_combo, 1)
        layout.addLayout(row)
        layout.addWidget(self._error("identity_method", self.identity_combo))
        self.identity_hint = QLabel()
        self.identity_hint.setObjectName("identityHint")
        self.identity_hint.setWordWrap(True)
        self.identity_hint.setStyleSheet(ORANGE)
        layout.addWidget(self.identity_hint)
        return group

    def _fee_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Phí, lệ phí"))
        form = QFormLayout(group)
        self.fee_form = form
        self.pages_spin = QSpinBox()
        self.pages_spin.setObjectName("pages")
        self.pages_spin.setRange(1, 9999)
        self.pages_spin.setToolTip(self.tr("Số trang của bản chính cần chứng thực"))
        form.addRow(self.tr("Số trang"), self.pages_spin)
        self.copies_spin = QSpinBox()
        self.copies_spin.setObjectName("copies")
        self.copies_spin.setRange(1, 999)
        form.addRow(self.tr("Số bản"), self.copies_spin)
        self.fee_spin = make_money_spin("fee")
        self.fee_rule_label = QLabel()
        self.fee_rule_label.setObjectName("feeRule")
        self.fee_rule_label.setWordWrap(True)
        self.fee_rule_label.setStyleSheet(GREY)
        fee_box = QWidget()
        fee_layout = QVBoxLayout(fee_box)
        fee_layout.setContentsMargins(0, 0, 0, 0)
        fee_layout.setSpacing(1)
        fee_layout.addWidget(self.fee_spin)
        fee_layout.addWidget(self.fee_rule_label)
        fee_layout.addWidget(self._error("fee", self.fee_spin))
        form.addRow(self.tr("Số tiền"), fee_box)
        self.payment_combo = payment_method_combo(self, self.tr("Chọn hình thức thanh toán"))
        form.addRow(
            self.tr("Thanh toán"),
            with_message(self.payment_combo, self._error("payment_method", self.payment_combo)),
        )
        self.receipt_edit = QLineEdit()
        self.receipt_edit.setObjectName("receiptNumber")
        form.addRow(self.tr("Số biên lai"), self.receipt_edit)
        return group

    def _checklist_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Thành phần hồ sơ (số hóa)"))
        layout = QVBoxLayout(group)
        self.checklist = ChecklistWidget(
            lambda path: self.ctx.attachment_store().check(Path(path)), self
        )
        self.checklist.setObjectName("checklist")
        layout.addWidget(self.checklist)
        layout.addWidget(self._error("components", self.checklist))
        return group

    def _notes_group(self) -> QGroupBox:
        group = QGroupBox(self.tr("Ghi chú"))
        layout = QVBoxLayout(group)
        self.notes_edit = QLineEdit()
        self.notes_edit.setObjectName("notes")
        self.notes_edit.setAccessibleName(self.tr("Ghi chú"))
        layout.addWidget(self.notes_edit)
        return group

    def _wire(self) -> None:
        self.picker.procedureChanged.connect(self._on_procedure_changed)
        self.id_edit.textChanged.connect(self._update_id_state)
        self.no_id_box.toggled.connect(self._update_id_state)
        self.identity_box.toggled.connect(self._update_identity_state)
        self.received_edit.dateTimeChanged.connect(self._update_due)
        self.due_override_box.toggled.connect(self._on_due_override_toggled)
        self.pages_spin.valueChanged.connect(self._update_fee)
        self.copies_spin.valueChanged.connect(self._update_fee)
        self.fee_spin.valueChanged.connect(self._on_fee_edited)
        self.channel_group.idToggled.connect(lambda *_: self._update_channel_hint())
        for key, signal in (
            ("applicant_name", self.name_edit.textEdited),
            ("phone", self.phone_edit.textEdited),
            ("due_changed_reason", self.due_reason_edit.textEdited),
            ("code", self.code_edit.textEdited),
            ("payment_method", self.payment_combo.currentIndexChanged),
            ("received_at", self.received_edit.dateTimeChanged),
        ):
            signal.connect(lambda *_, k=key: self._errors[k].set_message(""))

    def _set_tab_order(self) -> None:
        chain: list[QWidget] = [
            self.picker.edit,
            self.name_edit,
            self.id_edit,
            self.no_id_box,
            self.phone_edit,
            self.address_edit,
            self.hamlet_combo,
            self.submitter_edit,
            self.identity_box,
            self.identity_combo,
            *self.channel_buttons.values(),
            self.received_edit,
            self.due_override_box,
            self.due_edit,
            self.due_reason_edit,
            self.code_edit,
            self.pages_spin,
            self.copies_spin,
            self.fee_spin,
            self.payment_combo,
            self.receipt_edit,
            *self.checklist.focus_widgets(),
            self.notes_edit,
            self.save_button,
            self.cancel_button,
        ]
        for first, second in pairwise(chain):
            QWidget.setTabOrder(first, second)

    def _fit_screen(self) -> None:
        screen = self.screen()
        available = screen.availableGeometry() if screen is not None else QRect(0, 0, 1366, 728)
        width = min(1180, max(available.width() - 40, 640))
        height = min(760, max(available.height() - 40, 480))
        self.resize(width, height)

    # ------------------------------------------------------------------ reactions

    def procedure(self) -> ProcedureView | None:
        return self.picker.current()

    def _on_procedure_changed(self, procedure: ProcedureView | None) -> None:
        self._errors["procedure"].set_message("")
        if procedure is None:
            self.procedure_info.setText(self.tr("Chưa chọn thủ tục."))
            self.checklist.set_items([])
            self.checklist.set_empty_text(
                self.tr("Chọn thủ tục để hiện danh sách giấy tờ cần nộp.")
            )
        else:
            info = self.tr("Lĩnh vực: {0} · Thời hạn: {1} · DVC trực tuyến: {2}").format(
                procedure.field or "—",
                describe_limit(procedure.time_limit, procedure.time_unit),
                procedure.online_level.label,
            )
            if len(procedure_display(procedure)) > LONG_NAME:  # the line edit shows only its start
                info = f"{procedure.name}\n{info}"
            self.procedure_info.setText(info)
            self.procedure_info.setToolTip(procedure.fee_note)
            items = [
                ChecklistItem(
                    key=c.id,
                    name=c.name,
                    copy_kind=c.copy_kind,
                    quantity=c.quantity,
                    reusable=c.reusable,
                )
                for c in procedure.components
            ]
            self.checklist.set_items(items)
            self.checklist.set_empty_text(self.tr("Thủ tục này chưa khai báo thành phần hồ sơ."))
        self._update_fee_rows(procedure)
        self._set_tab_order()
        if procedure is not None and self.picker.edit.hasFocus():
            self.name_edit.setFocus(Qt.FocusReason.OtherFocusReason)
        self._update_due()
        self._update_channel_hint()
        self._update_identity_state()

    def _update_channel_hint(self) -> None:
        procedure = self.procedure()
        direct = self.channel() is Channel.TRUC_TIEP
        if procedure is not None and procedure.online_level is OnlineLevel.TOAN_TRINH and direct:
            self.channel_hint.setText(
                self.tr(
                    "Thủ tục này có DVC trực tuyến toàn trình: nên hướng dẫn công dân "
                    "nộp trực tuyến."
                )
            )
            self.channel_hint.show()
        else:
            self.channel_hint.clear()
            self.channel_hint.hide()

    def id_is_acceptable(self) -> bool:
        if self.no_id_box.isChecked():
            return True
        return check_id_number(self.id_edit.text(), current_year=self.ctx.clock().year).ok

    def _update_id_state(self) -> None:
        none = self.no_id_box.isChecked()
        self.id_edit.setEnabled(not none)
        if none:
            self.id_message.setText(self.tr("Công dân không có số định danh."))
            self.id_message.setStyleSheet(GREY)
        else:
            check = check_id_number(self.id_edit.text(), current_year=self.ctx.clock().year)
            self.id_message.setText(check.message)
            empty = not clean_id_number(self.id_edit.text())
            self.id_message.setStyleSheet(GREY if check.ok or empty else RED)
        ok = self.id_is_acceptable()
        self.save_button.setEnabled(ok)
        self.save_button.setToolTip(
            self.tr("Lưu hồ sơ vào sổ (Enter)")
            if ok
            else self.tr("Cần số định danh hợp lệ, hoặc chọn “Không có số định danh”")
        )

    def _update_identity_state(self) -> None:
        checked = self.identity_box.isChecked()
        self.identity_combo.setEnabled(checked)
        self._errors["identity_method"].set_message("")
        procedure = self.procedure()
        if not checked and (procedure is None or procedure.citizen_facing):
            self.identity_hint.setText(
                self.tr("Chưa xác thực: hồ sơ sẽ bị cảnh báo và mất điểm “kết nối dữ liệu dân cư”.")
            )
            self.identity_hint.show()
        else:
            self.identity_hint.hide()

    def computed_due(self) -> datetime | None:
        return self._computed_due

    def _update_due(self) -> None:
        procedure = self.procedure()
        self._errors["received_at"].set_message("")
        if procedure is None:
            self._computed_due = None
            self.due_label.setText(self.tr("— (chọn thủ tục để tính)"))
            self.due_label.setStyleSheet(GREY)
            return
        try:
            due = intake.compute_due(
                self.ctx, procedure.id, from_qdatetime(self.received_edit.dateTime())
            )
        except Exception as error:  # noqa: BLE001 (shown in plain words; unexpected ones logged)
            self._computed_due = None
            self.due_label.setText(str(error))
            self.due_label.setStyleSheet(RED)
            return
        self._computed_due = due
        limit = describe_limit(procedure.time_limit, procedure.time_unit)
        limit = limit[0].lower() + limit[1:] if limit.startswith("Trong") else limit
        self.due_label.setText(f"<b>{fmt_datetime(due)}</b> ({limit})")
        self.due_label.setStyleSheet("")
        if not self.due_override_box.isChecked():
            self.due_edit.setDateTime(to_qdatetime(due))

    def _on_due_override_toggled(self, checked: bool) -> None:
        self.due_edit.setEnabled(checked)
        self.due_reason_edit.setEnabled(checked)
        self.due_reason_label.setEnabled(checked)
        if checked:
            if self._computed_due is not None:
                self.due_edit.setDateTime(to_qdatetime(self._computed_due))
            self.due_edit.setFocus()
        else:
            self._errors["due_at"].set_message("")
            self._errors["due_changed_reason"].set_message("")

    def _update_fee_rows(self, procedure: ProcedureView | None) -> None:
        kind = procedure.fee_rule.kind if procedure else FeeKind.FREE
        self.fee_form.setRowVisible(self.pages_spin, kind is FeeKind.PER_PAGE)
        self.fee_form.setRowVisible(self.copies_spin, kind is not FeeKind.FREE)
        self.pages_spin.blockSignals(True)
        self.copies_spin.blockSignals(True)
        self.pages_spin.setValue(1)
        self.copies_spin.setValue(1)
        self.pages_spin.blockSignals(False)
        self.copies_spin.blockSignals(False)
        self.fee_rule_label.setText(procedure.fee_rule.describe() if procedure else "")
        self._update_fee()
        if procedure is None:
            self.payment_combo.setCurrentIndex(-1)
        elif self.fee_spin.value() == 0:
            self.payment_combo.setCurrentIndex(self.payment_combo.findData("mien"))
        else:
            self.payment_combo.setCurrentIndex(-1)

    def _update_fee(self) -> None:
        procedure = self.procedure()
        fee = (
            procedure.fee_rule.fee(self.pages_spin.value(), self.copies_spin.value())
            if procedure
            else 0
        )
        self.fee_spin.setValue(fee)

    def _on_fee_edited(self, value: int) -> None:
        self._errors["fee"].set_message("")
        if value > 0 and self.payment_combo.currentData() == "mien":
            self.payment_combo.setCurrentIndex(-1)
        elif value == 0 and self.payment_combo.currentIndex() < 0:
            self.payment_combo.setCurrentIndex(self.payment_combo.findData("mien"))

    # ------------------------------------------------------------------ saving

    def channel(self) -> Channel:
        checked = self.channel_group.checkedId()
        return Channel(checked) if checked > 0 else Channel.TRUC_TIEP

    def build_draft(self) -> DossierDraft:
        procedure = self.procedure()
        none = self.no_id_box.isChecked()
        override = self.due_override_box.isChecked()
        return DossierDraft(
            procedure_id=procedure.id if procedure else None,
            applicant_name=self.name_edit.text(),
            id_number="" if none else self.id_edit.text(),
            id_kind=IdKind.NONE if none else IdKind.CCCD,
            phone=self.phone_edit.text(),
            address=self.address_edit.text(),
            hamlet=self.hamlet_combo.currentText(),
            submitter_name=self.submitter_edit.text(),
            channel=self.channel(),
            received_at=from_qdatetime(self.received_edit.dateTime()),
            due_at=from_qdatetime(self.due_edit.dateTime()) if override else None,
            due_changed_reason=self.due_reason_edit.text() if override else "",
            components=[
                ComponentDraft(
                    name=state.name,
                    procedure_component_id=state.key if isinstance(state.key, uuid.UUID) else None,
                    files=list(state.files),
                    reused=state.reused,
                    from_kho=state.from_kho,
                    not_required=state.not_required,
                )
                for state in self.checklist.states()
            ],
            identity_checked=self.identity_box.isChecked(),
            identity_method=self.identity_combo.currentData()
            if self.identity_box.isChecked()
            else "",
            fee=self.fee_spin.value(),
            payment_method=self.payment_combo.currentData() or "",
            receipt_number=self.receipt_edit.text(),
            notes=self.notes_edit.text(),
            officer_id=self.officer_id,
            code=self.code_edit.text(),
        )

    def clear_errors(self) -> None:
        for label in self._errors.values():
            label.set_message("")
        self.general_error.set_message("")
        self._update_id_state()

    def show_errors(self, errors: dict[str, str]) -> None:
        """Each message next to its field; focus goes to the first bad field of the form."""
        self.clear_errors()
        general = []
        for key, message in errors.items():
            if key == "id_number":
                self.id_message.setText(message)
                self.id_message.setStyleSheet(RED)
            elif key in self._errors:
                self._errors[key].set_message(message)
            else:
                general.append(message)
        self.general_error.set_message(" ".join(general))
        order = [
            "procedure",
            "applicant_name",
            "id_number",
            "phone",
            "identity_method",
            "received_at",
            "due_at",
            "due_changed_reason",
            "code",
            "fee",
            "payment_method",
            "components",
        ]
        for key in order:
            if key in errors:
                widget = self._error_focus[key]
                self.scroll.ensureWidgetVisible(widget)
                widget.setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def has_input(self) -> bool:
        """Whether the officer has typed applicant data or chosen scans that closing would lose."""
        typed = any(edit.text().strip() for edit in (self.name_edit, self.id_edit, self.phone_edit))
        return bool(typed or any(state.files for state in self.checklist.states()))

    def reject(self) -> None:  # Esc, "Hủy" and the window's close button
        if self.saved_code is not None or not self.has_input():
            super().reject()
            return

        def save_and_stay_if_refused() -> bool:
            self.save()  # closes the dialog itself when the dossier is saved
            return False

        self.unsaved_box = ask_before_closing(
            self, self.tr("Hồ sơ đang nhập chưa được lưu. Lưu trước khi đóng?"), save_and_stay_if_refused,
            lambda: QDialog.reject(self),
        )

    def save(self) -> str | None:
        """Save the dossier; returns its code, or None when something must be fixed first."""
        if not self.save_button.isEnabled():
            return None
        self.clear_errors()
        draft = self.build_draft()
        try:
            code = intake.receive_dossier(self.ctx, draft)
        except ValidationFailed as error:
            self.show_errors(error.errors)
            return None
        except Exception as error:  # noqa: BLE001 (shown in plain words; unexpected ones logged)
            self.error_box = show_error(self, error, self.tr("Chưa lưu được hồ sơ"))
            return None
        self.saved_code = code
        self.saved.emit(code)
        due = draft.due_at or self._computed_due
        detail = self.tr("Hẹn trả kết quả: {0}.").format(fmt_datetime(due)) if due else ""
        detail += " " + self.tr(
            "Chức năng in Giấy tiếp nhận hồ sơ và hẹn trả kết quả sẽ có trong bản cập nhật sau."
        )
        self.confirmation = show_message(
            self.parentWidget(),
            self.tr("Đã tiếp nhận hồ sơ"),
            self.tr("Đã lưu hồ sơ {0}.").format(code),
            detail.strip(),
        )
        self.accept()
        return code

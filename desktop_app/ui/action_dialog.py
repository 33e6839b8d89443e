"""Asking what a status action needs (SPEC §2 steps 2–3) before the dossier form performs it.

yêu cầu bổ sung → the documents to add (required) and why; từ chối / dừng / rút → the reason
(required) and the signed document if there is one; có kết quả → the result file(s), signed or
not, and the date; trả kết quả → the citizen's satisfaction; others → a note.
The dialog only collects an :class:`services.dossiers.ActionInput`; the dossier form calls the
service and shows its refusals.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.status import TRANSITIONS, Action
from ..services.context import AppContext
from ..services.dossiers import ActionInput
from ..services.views import DossierView
from .checklist_widget import FileDropList, check_files, choose_scan_files, files_text
from .common import show_message
from .dossier_fields import (
    GREY,
    ORANGE,
    RED,
    ErrorLabel,
    from_qdatetime,
    make_datetime_edit,
    with_message,
)

END_ACTIONS = (Action.TU_CHOI, Action.DUNG_XU_LY, Action.RUT_HO_SO)
END_DOCUMENT_BOX_LABELS = {
    Action.TU_CHOI: "Tạo và đính kèm Phiếu từ chối (mẫu 03), rồi in",
    Action.DUNG_XU_LY: "Tạo và đính kèm Thông báo dừng giải quyết (mẫu 05), rồi in",
    Action.RUT_HO_SO: "Tạo và đính kèm Phiếu ghi nhận rút hồ sơ, rồi in",
}


class FileListField(QWidget):
    """Files chosen for an action (not stored yet): a list with Thêm tệp… / Bỏ tệp and drop."""

    changed = Signal()

    def __init__(
        self, checker: Callable[[Path], object], dialog_title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.checker = checker
        self.dialog_title = dialog_title
        self._files: list[Path] = []
        self.last_refusal = ""
        self.refusal_box: QMessageBox | None = None
        self.list = FileDropList(self)
        self.list.setObjectName("fileList")
        self.list.setMaximumHeight(90)
        self.list.setToolTip(self.tr("Kéo thả tệp vào đây, hoặc bấm “Thêm tệp…”"))
        self.add_button = QPushButton(self.tr("Thêm tệp…"))
        self.add_button.setObjectName("addFiles")
        self.add_button.setAutoDefault(False)
        self.remove_button = QPushButton(self.tr("Bỏ tệp"))
        self.remove_button.setObjectName("removeFile")
        self.remove_button.setAutoDefault(False)
        self.count_label = QLabel()
        self.count_label.setStyleSheet(GREY)
        self.error_label = ErrorLabel("files")
        buttons = QVBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.remove_button)
        buttons.addWidget(self.count_label)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.list, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.error_label)
        self.add_button.clicked.connect(self.choose)
        self.remove_button.clicked.connect(self.remove_selected)
        self.list.filesDropped.connect(self.add_files)
        self._refresh()

    def files(self) -> list[Path]:
        return list(self._files)

    def choose(self) -> list[Path]:
        paths = choose_scan_files(self, self.dialog_title)
        return self.add_files(paths) if paths else []

    def add_files(self, paths: list[Path]) -> list[Path]:
        checked = check_files(self.checker, paths)
        accepted = [p for p in checked.accepted if p not in self._files]
        if checked.refused:
            self.last_refusal = "\n".join(checked.refused)
            self.error_label.set_message(self.last_refusal)
            self.refusal_box = show_message(
                self,
                self.tr("Không đính kèm được tệp"),
                self.last_refusal,
                checked.advice,
                QMessageBox.Icon.Warning,
            )
        else:
            self.error_label.set_message("")
        self._files.extend(accepted)
        self._refresh()
        if accepted:
            self.changed.emit()
        return accepted

    def remove_selected(self) -> None:
        row = self.list.currentRow()
        if 0 <= row < len(self._files):
            del self._files[row]
            self._refresh()
            self.changed.emit()

    def _refresh(self) -> None:
        self.list.clear()
        for path in self._files:
            self.list.addItem(path.name)
        self.remove_button.setEnabled(bool(self._files))
        self.count_label.setText(files_text(len(self._files)))


class ActionDialog(QDialog):
    """Collects what ``action`` needs; emits ``submitted(ActionInput)`` when the officer confirms.

    The caller performs the action and either closes the dialog (``accept()``) or shows the
    service's field errors here (``show_errors``).
    """

    submitted = Signal(object)  # ActionInput

    def __init__(
        self,
        ctx: AppContext,
        view: DossierView,
        action: Action,
        officer_id: uuid.UUID | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.view = view
        self.action = Action(action)
        self.officer_id = officer_id
        self._errors: dict[str, ErrorLabel] = {}
        self._focus: dict[str, QWidget] = {}
        self.setObjectName("actionDialog")
        label = self.tr(self.action.label)
        self.setWindowTitle(self.tr("{0} — hồ sơ {1}").format(label, view.code))
        target = TRANSITIONS[self.action][1]

        header = QLabel(
            self.tr("Hồ sơ <b>{0}</b> · {1}<br>Trạng thái: {2} → <b>{3}</b>").format(
                view.code, view.applicant_name, self.tr(view.status.label), self.tr(target.label)
            )
        )
        header.setObjectName("actionHeader")
        header.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        checker = lambda path: ctx.attachment_store().check(Path(path))

        self.items_edit: QPlainTextEdit | None = None
        self.reason_edit: QPlainTextEdit | QLineEdit | None = None
        self.files_field: FileListField | None = None
        self.signed_box: QCheckBox | None = None
        self.make_document_box: QCheckBox | None = None
        self.satisfaction_combo: QComboBox | None = None
        self.hint = QLabel()
        self.hint.setObjectName("actionHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet(ORANGE)
        self.hint.hide()

        at_label = self.tr("Thời điểm")
        if self.action is Action.YEU_CAU_BO_SUNG:
            self.items_edit = self._text_edit(
                "items", self.tr("Ví dụ: Bản sao Giấy chứng nhận kết hôn của cha, mẹ")
            )
            form.addRow(
                self.tr("Giấy tờ cần bổ sung *"),
                with_message(self.items_edit, self._error("items", self.items_edit)),
            )
            self.reason_edit = QLineEdit()
            self.reason_edit.setObjectName("reason")
            form.addRow(
                self.tr("Lý do"),
                with_message(self.reason_edit, self._error("reason", self.reason_edit)),
            )
            if view.supplements:
                self.hint.setText(
                    self.tr(
                        "Đây là lần yêu cầu bổ sung thứ {0}: theo Bộ chỉ số 766, hồ sơ yêu cầu "
                        "bổ sung từ lần "
                        "thứ hai bị tính là trễ hạn."
                    ).format(len(view.supplements) + 1)
                )
                self.hint.show()
        elif self.action in END_ACTIONS:
            self.reason_edit = self._text_edit(
                "reason", self.tr("Lý do sẽ in trên phiếu gửi công dân")
            )
            form.addRow(
                self.tr("Lý do *"),
                with_message(self.reason_edit, self._error("reason", self.reason_edit)),
            )
            self.files_field = FileListField(checker, self.tr("Chọn văn bản đã ký"), self)
            self.files_field.setObjectName("endDocumentFiles")
            form.addRow(self.tr("Văn bản (nếu có)"), self.files_field)
            # ticked: after the action, ui.slip_dialog.after_action attaches the printed slip
            self.make_document_box = QCheckBox(self.tr(END_DOCUMENT_BOX_LABELS[self.action]))
            self.make_document_box.setObjectName("makeEndDocument")
            self.make_document_box.setChecked(True)
            form.addRow("", self.make_document_box)
            self.files_field.changed.connect(
                lambda: self.make_document_box.setChecked(not self.files_field.files()))
            self.hint.setText(
                self.tr(
                    "Nên đính kèm văn bản từ chối / dừng / rút đã ký: thiếu văn bản, hồ sơ bị "
                    "cảnh báo và mất điểm số hóa."
                )
            )
            self.hint.setStyleSheet(GREY)
            self.hint.show()
        elif self.action is Action.CO_KET_QUA:
            self.files_field = FileListField(checker, self.tr("Chọn tệp kết quả"), self)
            self.files_field.setObjectName("resultFiles")
            form.addRow(self.tr("Tệp kết quả"), self.files_field)
            self.signed_box = QCheckBox(self.tr("Kết quả đã ký số"))
            self.signed_box.setObjectName("resultSigned")
            form.addRow("", self.signed_box)
            at_label = self.tr("Ngày có kết quả")
            self.files_field.changed.connect(self._update_result_hint)
            self._update_result_hint()
        elif self.action is Action.TRA_KET_QUA:
            self.satisfaction_combo = QComboBox()
            self.satisfaction_combo.setObjectName("satisfaction")
            for value, text in (
                ("rat_hai_long", self.tr("Rất hài lòng")),
                ("hai_long", self.tr("Hài lòng")),
                ("khong_hai_long", self.tr("Không hài lòng")),
                ("chua_danh_gia", self.tr("Chưa đánh giá")),
            ):
                self.satisfaction_combo.addItem(text, value)
            self.satisfaction_combo.setPlaceholderText(self.tr("Hỏi công dân mức độ hài lòng"))
            self.satisfaction_combo.setCurrentIndex(-1)
            form.addRow(
                self.tr("Đánh giá của công dân"),
                with_message(
                    self.satisfaction_combo, self._error("satisfaction", self.satisfaction_combo)
                ),
            )
            at_label = self.tr("Ngày trả kết quả")

        self.at_edit = make_datetime_edit(ctx.clock(), "actionAt")
        form.addRow(at_label, with_message(self.at_edit, self._error("at", self.at_edit)))
        self.note_edit = QLineEdit()
        self.note_edit.setObjectName("note")
        form.addRow(self.tr("Ghi chú"), self.note_edit)

        self.general_error = ErrorLabel("general")
        self.ok_button = QPushButton(label)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setDefault(True)
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self.cancel_button.setObjectName("cancelButton")
        self.cancel_button.setAutoDefault(False)
        self.ok_button.clicked.connect(self.submit)
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_error, 10)
        buttons.addStretch(1)
        buttons.addWidget(self.ok_button)
        buttons.addWidget(self.cancel_button)

        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addStretch(1)
        layout.addLayout(buttons)
        # In a multi-line box Enter starts a new line; Ctrl+Enter confirms from anywhere.
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.activated.connect(self.submit)
        self.resize(640, self.sizeHint().height())
        first = (
            self.items_edit
            or self.reason_edit
            or self.files_field
            or self.satisfaction_combo
            or self.note_edit
        )
        first.setFocus()

    def _error(self, key: str, focus: QWidget) -> ErrorLabel:
        label = ErrorLabel(key)
        self._errors[key] = label
        self._focus[key] = focus
        return label

    def _text_edit(self, name: str, placeholder: str) -> QPlainTextEdit:
        edit = QPlainTextEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        edit.setTabChangesFocus(True)
        edit.setFixedHeight(70)
        return edit

    def _update_result_hint(self) -> None:
        if (
            self.files_field is not None
            and not self.files_field.files()
            and self.view.procedure.result_is_document
        ):
            self.hint.setText(
                self.tr(
                    "Chưa đính kèm tệp kết quả: hồ sơ sẽ bị cảnh báo “thiếu tệp kết quả điện tử” "
                    "và mất điểm số hóa."
                )
            )
            self.hint.show()
        else:
            self.hint.hide()

    @staticmethod
    def _text(widget: QPlainTextEdit | QLineEdit | None) -> str:
        if widget is None:
            return ""
        return widget.toPlainText() if isinstance(widget, QPlainTextEdit) else widget.text()

    def build_input(self) -> ActionInput:
        files = self.files_field.files() if self.files_field else []
        return ActionInput(
            action=self.action,
            officer_id=self.officer_id,
            at=from_qdatetime(self.at_edit.dateTime()),
            note=self.note_edit.text(),
            reason=self._text(self.reason_edit),
            items=self._text(self.items_edit),
            result_files=files if self.action is Action.CO_KET_QUA else [],
            end_document_files=files if self.action in END_ACTIONS else [],
            result_signed=bool(self.signed_box and self.signed_box.isChecked() and files),
            satisfaction=(self.satisfaction_combo.currentData() or "")
            if self.satisfaction_combo
            else "",
            expected_version=self.view.version,
        )

    def local_errors(self) -> dict[str, str]:
        errors = {}
        if self.action is Action.YEU_CAU_BO_SUNG and not self._text(self.items_edit).strip():
            errors["items"] = self.tr("Hãy ghi các giấy tờ cần bổ sung, hoàn thiện.")
        if self.action in END_ACTIONS and not self._text(self.reason_edit).strip():
            errors["reason"] = self.tr("Hãy ghi lý do (sẽ in trên phiếu gửi công dân).")
        return errors

    def show_errors(self, errors: dict[str, str]) -> None:
        for label in self._errors.values():
            label.set_message("")
        general = []
        for key, message in errors.items():
            if key in self._errors:
                self._errors[key].set_message(message)
            else:
                general.append(message)
        self.general_error.set_message(" ".join(general))
        for key in self._errors:
            if key in errors:
                self._focus[key].setFocus(Qt.FocusReason.OtherFocusReason)
                break

    def submit(self) -> None:
        errors = self.local_errors()
        if errors:
            self.show_errors(errors)
            return
        self.show_errors({})
        self.submitted.emit(self.build_input())


__all__ = ["END_ACTIONS", "RED", "ActionDialog", "FileListField"]

"""The dialog that adds or edits one procedure (thủ tục hành chính) of the catalogue."""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ...domain.calendar import TimeUnit, describe_limit
from ...domain.procedure import CopyKind, FeeKind, FeeRule, OnlineLevel
from ...services import catalogue
from ...services.catalogue import ComponentInput, ProcedureInput
from ...services.context import AppContext
from ...services.intake import ValidationFailed
from ...services.views import ProcedureView
from ...storage.errors import ConflictError, UserFixableError
from ..common import show_error
from . import ERROR_COLOR, error_label, label, push_button, set_error, with_error

COMPONENT_HEADERS = (
    QT_TRANSLATE_NOOP("ProcedureEditor", "Tên giấy tờ"),
    QT_TRANSLATE_NOOP("ProcedureEditor", "Bản chính/bản sao"),
    QT_TRANSLATE_NOOP("ProcedureEditor", "Số lượng"),
    QT_TRANSLATE_NOOP("ProcedureEditor", "Có thể tái sử dụng"),
)
COL_NAME, COL_COPY, COL_QUANTITY, COL_REUSABLE = range(4)
MAX_MONEY = 100_000_000
VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


def _money_box(name: str) -> QSpinBox:
    box = QSpinBox()
    box.setObjectName(name)
    box.setLocale(VIETNAMESE)  # 1.234.000 đ, as the counter writes money
    box.setRange(0, MAX_MONEY)
    box.setSingleStep(1000)
    box.setGroupSeparatorShown(True)
    box.setSuffix(" đ")
    box.setMinimumWidth(140)
    return box


class ProcedureEditor(QDialog):
    """Add (``procedure=None``) or edit a procedure; emits ``saved`` with the stored procedure."""

    saved = Signal(object)

    def __init__(
        self,
        ctx: AppContext,
        procedure: ProcedureView | None = None,
        fields: Iterable[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.procedure = procedure
        self.result_procedure: ProcedureView | None = None
        self.setObjectName("procedureEditor")
        self.setWindowTitle(
            self.tr("Sửa thủ tục {0}").format(procedure.code)
            if procedure
            else self.tr("Thêm thủ tục")
        )
        self.setSizeGripEnabled(True)
        self.resize(1000, 700)

        # -- general -------------------------------------------------------------------------------
        self.code = QLineEdit()
        self.code.setObjectName("code")
        self.code.setPlaceholderText(self.tr("1.001193 hoặc 1.001193.000.00.00.H48"))
        self.name = QPlainTextEdit()
        self.name.setObjectName("name")
        self.name.setTabChangesFocus(True)
        self.name.setPlaceholderText(self.tr("Tên thủ tục như trên Cơ sở dữ liệu quốc gia về TTHC"))
        self.name.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.field = QComboBox()
        self.field.setObjectName("field")
        self.field.setEditable(True)
        self.field.addItems(sorted({f for f in fields if f}))
        self.field.setCurrentText("")
        self.field.lineEdit().setPlaceholderText(self.tr("Ví dụ: Hộ tịch, Chứng thực"))
        self.time_limit = QDoubleSpinBox()
        self.time_limit.setObjectName("time_limit")
        self.time_limit.setLocale(VIETNAMESE)  # 1,5 giờ
        self.time_limit.setRange(0, 999)
        self.time_limit.setDecimals(0)
        self.time_unit = QComboBox()
        self.time_unit.setObjectName("time_unit")
        for unit in TimeUnit:
            self.time_unit.addItem(label(unit.label), unit.value)
        self.time_unit.currentIndexChanged.connect(self._unit_changed)
        self.time_limit.valueChanged.connect(self._update_limit_hint)
        self.limit_hint = QLabel()
        self.limit_hint.setObjectName("limitHint")
        self.limit_hint.setToolTip(
            self.tr(
                "Thời hạn 0: hồ sơ nhận trước 15 giờ trả trong ngày, "
                "nhận sau 15 giờ trả vào ngày làm việc tiếp theo."
            )
        )
        self.online_level = QComboBox()
        self.online_level.setObjectName("online_level")
        for level in OnlineLevel:
            self.online_level.addItem(label(level.label), level.value)
        self.result_is_document = QCheckBox(
            self.tr("Kết quả là văn bản, giấy tờ (cần tệp kết quả điện tử)")
        )
        self.result_is_document.setObjectName("result_is_document")
        self.citizen_facing = QCheckBox(self.tr("Người nộp là công dân (cần xác thực định danh)"))
        self.citizen_facing.setObjectName("citizen_facing")
        self.active = QCheckBox(self.tr("Đang áp dụng"))
        self.active.setObjectName("active")

        self.errors = {
            key: error_label()
            for key in ("code", "name", "field", "time_limit", "fee", "components")
        }
        limit_row = QHBoxLayout()
        limit_row.setContentsMargins(0, 0, 0, 0)
        limit_row.addWidget(self.time_limit)
        limit_row.addWidget(self.time_unit)
        limit_row.addWidget(self.limit_hint, 1)
        limit_widget = QWidget()
        limit_widget.setLayout(limit_row)
        general = QFormLayout()
        general.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        general.addRow(self.tr("Mã thủ tục:"), with_error(self.code, self.errors["code"]))
        general.addRow(self.tr("Tên thủ tục:"), with_error(self.name, self.errors["name"]))
        general.addRow(self.tr("Lĩnh vực:"), with_error(self.field, self.errors["field"]))
        general.addRow(
            self.tr("Thời hạn giải quyết:"), with_error(limit_widget, self.errors["time_limit"])
        )
        general.addRow(self.tr("Mức độ trực tuyến:"), self.online_level)
        general.addRow("", self.result_is_document)
        general.addRow("", self.citizen_facing)
        general.addRow("", self.active)
        general_box = QGroupBox(self.tr("Thông tin chung"))
        general_box.setLayout(general)

        # -- fee -----------------------------------------------------------------------------------
        self.fee_kind = QComboBox()
        self.fee_kind.setObjectName("fee_kind")
        for kind in FeeKind:
            self.fee_kind.addItem(label(kind.label), kind.value)
        self.fee_amount = _money_box("fee_amount")
        self.fee_first_pages = QSpinBox()
        self.fee_first_pages.setObjectName("fee_first_pages")
        self.fee_first_pages.setRange(0, 1000)
        self.fee_first_pages.setSuffix(self.tr(" trang"))
        self.fee_later_amount = _money_box("fee_later_amount")
        self.fee_cap = _money_box("fee_cap")
        self.fee_cap.setSpecialValueText(self.tr("Không giới hạn"))
        self.fee_note = QLineEdit()
        self.fee_note.setObjectName("fee_note")
        self.fee_note.setPlaceholderText(self.tr("Căn cứ thu phí, trường hợp được miễn …"))
        self.fee_preview = QLabel()
        self.fee_preview.setObjectName("feePreview")
        self.fee_preview.setWordWrap(True)
        self.fee_preview.setStyleSheet("color: #1b5e20;")
        self.fee_form = QFormLayout()
        self.fee_form.addRow(self.tr("Loại phí:"), self.fee_kind)
        self.fee_form.addRow(self.tr("Mức phí:"), self.fee_amount)
        self.fee_form.addRow(self.tr("Số trang đầu:"), self.fee_first_pages)
        self.fee_form.addRow(self.tr("Giá từ trang sau:"), self.fee_later_amount)
        self.fee_form.addRow(self.tr("Tối đa mỗi bản:"), self.fee_cap)
        self.fee_form.addRow(self.tr("Ghi chú phí:"), self.fee_note)
        self.fee_form.addRow(self.errors["fee"])
        self.fee_form.addRow(self.fee_preview)
        fee_box = QGroupBox(self.tr("Phí, lệ phí"))
        fee_box.setLayout(self.fee_form)
        fee_box.setMinimumWidth(400)
        self.fee_kind.currentIndexChanged.connect(self._fee_kind_changed)
        for box in (self.fee_amount, self.fee_first_pages, self.fee_later_amount, self.fee_cap):
            box.valueChanged.connect(self._update_fee_preview)

        # -- components ----------------------------------------------------------------------------
        self.components = QTableWidget(0, len(COMPONENT_HEADERS))
        self.components.setObjectName("components")
        self.components.setHorizontalHeaderLabels(
            [QCoreApplication.translate("ProcedureEditor", h) for h in COMPONENT_HEADERS]
        )
        self.components.verticalHeader().setVisible(False)
        self.components.setWordWrap(False)
        self.components.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.components.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.components.setEditTriggers(
            QAbstractItemView.EditTrigger.DoubleClicked
            | QAbstractItemView.EditTrigger.EditKeyPressed
            | QAbstractItemView.EditTrigger.AnyKeyPressed
        )
        header = self.components.horizontalHeader()
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column in (COL_COPY, COL_QUANTITY, COL_REUSABLE):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        self.add_component_button = push_button(
            self.tr("Thêm thành phần"), self.add_component, name="addComponent"
        )
        self.remove_component_button = push_button(
            self.tr("Xóa"), self.remove_component, name="removeComponent"
        )
        self.up_button = push_button(
            self.tr("Lên"), lambda: self.move_component(-1), name="componentUp"
        )
        self.down_button = push_button(
            self.tr("Xuống"), lambda: self.move_component(1), name="componentDown"
        )
        component_buttons = QHBoxLayout()
        for button in (
            self.add_component_button,
            self.remove_component_button,
            self.up_button,
            self.down_button,
        ):
            component_buttons.addWidget(button)
        component_buttons.addStretch(1)
        component_buttons.addWidget(QLabel(self.tr("Nhấp đúp vào tên để sửa.")))
        component_layout = QVBoxLayout()
        component_layout.addWidget(self.components, 1)
        component_layout.addWidget(self.errors["components"])
        component_layout.addLayout(component_buttons)
        component_box = QGroupBox(self.tr("Thành phần hồ sơ"))
        component_box.setLayout(component_layout)

        # -- dialog --------------------------------------------------------------------------------
        self.banner = QLabel()
        self.banner.setObjectName("banner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            f"QLabel {{ color: {ERROR_COLOR}; background: #fdecea; border: 1px solid {ERROR_COLOR};"
            " padding: 6px; font-weight: bold; }"
        )
        self.banner.setVisible(False)
        self.buttons = QDialogButtonBox()
        self.save_button = self.buttons.addButton(
            self.tr("Lưu"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.save_button.setObjectName("saveProcedure")
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.addButton(
            self.tr("Hủy"), QDialogButtonBox.ButtonRole.RejectRole
        )
        self.cancel_button.setAutoDefault(False)
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)

        top = QHBoxLayout()
        top.addWidget(general_box, 1)
        top.addWidget(fee_box, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(top)
        layout.addWidget(component_box, 1)
        layout.addWidget(self.buttons)

        self._load(procedure)

    # -- loading -----------------------------------------------------------------------------------

    def _load(self, procedure: ProcedureView | None) -> None:
        if procedure is None:
            self.time_unit.setCurrentIndex(self.time_unit.findData(TimeUnit.NGAY_LAM_VIEC.value))
            self.online_level.setCurrentIndex(self.online_level.findData(OnlineLevel.KHONG.value))
            self.fee_kind.setCurrentIndex(self.fee_kind.findData(FeeKind.FREE.value))
            self.result_is_document.setChecked(True)
            self.citizen_facing.setChecked(True)
            self.active.setChecked(True)
        else:
            self.code.setText(procedure.code)
            self.name.setPlainText(procedure.name)
            self.field.setCurrentText(procedure.field)
            self.time_unit.setCurrentIndex(self.time_unit.findData(procedure.time_unit.value))
            self.time_limit.setValue(procedure.time_limit)
            self.online_level.setCurrentIndex(
                self.online_level.findData(procedure.online_level.value)
            )
            rule = procedure.fee_rule
            self.fee_kind.setCurrentIndex(self.fee_kind.findData(rule.kind.value))
            self.fee_amount.setValue(rule.amount)
            self.fee_first_pages.setValue(rule.first_pages)
            self.fee_later_amount.setValue(rule.later_amount)
            self.fee_cap.setValue(rule.cap)
            self.fee_note.setText(procedure.fee_note)
            self.fee_note.setCursorPosition(0)
            self.result_is_document.setChecked(procedure.result_is_document)
            self.citizen_facing.setChecked(procedure.citizen_facing)
            self.active.setChecked(procedure.active)
            self.fill_components(
                [
                    ComponentInput(c.name, c.copy_kind, c.quantity, c.reusable)
                    for c in procedure.components
                ]
            )
        self._unit_changed()
        self._fee_kind_changed()

    def _unit_changed(self, _index: int = 0) -> None:
        # Only hours may be fractional ("1,5 giờ"); days and months are whole numbers.
        hours = self.time_unit.currentData() == TimeUnit.GIO.value
        value = self.time_limit.value()
        self.time_limit.setDecimals(1 if hours else 0)
        self.time_limit.setSingleStep(0.5 if hours else 1)
        if not hours and value != int(value):
            self.time_limit.setValue(round(value))
        self._update_limit_hint()

    def _update_limit_hint(self, _value: float = 0) -> None:
        limit = self.time_limit.value()
        if limit == 0:
            text = self.tr("0 = trả trong ngày")
        else:
            text = "= " + describe_limit(limit, TimeUnit(self.time_unit.currentData()))
        self.limit_hint.setText(text)

    def _fee_kind_changed(self, _index: int = 0) -> None:
        kind = FeeKind(self.fee_kind.currentData())
        per_page = kind is FeeKind.PER_PAGE
        self.fee_form.setRowVisible(self.fee_amount, kind is not FeeKind.FREE)
        for box in (self.fee_first_pages, self.fee_later_amount, self.fee_cap):
            self.fee_form.setRowVisible(box, per_page)
        amount_label = self.fee_form.labelForField(self.fee_amount)
        if isinstance(amount_label, QLabel):
            amount_label.setText(self.tr("Giá trang đầu:") if per_page else self.tr("Mức phí:"))
        self._update_fee_preview()

    def fee_rule(self) -> FeeRule:
        kind = FeeKind(self.fee_kind.currentData())
        if kind is FeeKind.FREE:
            return FeeRule()
        if kind is FeeKind.FIXED:
            return FeeRule(kind, self.fee_amount.value())
        return FeeRule(
            kind,
            self.fee_amount.value(),
            self.fee_first_pages.value(),
            self.fee_later_amount.value(),
            self.fee_cap.value(),
        )

    def _update_fee_preview(self, _value: int = 0) -> None:
        self.fee_preview.setText(self.tr("Sẽ ghi: {0}").format(self.fee_rule().describe()))

    # -- components --------------------------------------------------------------------------------

    def fill_components(self, components: list[ComponentInput]) -> None:
        self.components.setRowCount(0)
        for component in components:
            self._append_component(component)

    def _append_component(self, component: ComponentInput) -> int:
        row = self.components.rowCount()
        self.components.insertRow(row)
        self.components.setItem(row, COL_NAME, QTableWidgetItem(component.name))
        copy_kind = QComboBox()
        for kind in CopyKind:
            copy_kind.addItem(label(kind.label), kind.value)
        copy_kind.setCurrentIndex(max(copy_kind.findData(component.copy_kind), 0))
        self.components.setCellWidget(row, COL_COPY, copy_kind)
        quantity = QSpinBox()
        quantity.setRange(1, 99)
        quantity.setValue(max(component.quantity, 1))
        self.components.setCellWidget(row, COL_QUANTITY, quantity)
        reusable = QTableWidgetItem(self.tr("Có thể"))
        reusable.setFlags(
            Qt.ItemFlag.ItemIsUserCheckable
            | Qt.ItemFlag.ItemIsEnabled
            | Qt.ItemFlag.ItemIsSelectable
        )
        reusable.setCheckState(
            Qt.CheckState.Checked if component.reusable else Qt.CheckState.Unchecked
        )
        reusable.setToolTip(
            self.tr("Có thể dùng lại dữ liệu đã số hóa hoặc lấy từ kho dữ liệu của công dân")
        )
        self.components.setItem(row, COL_REUSABLE, reusable)
        return row

    def component_inputs(self, *, skip_blank: bool = True) -> list[ComponentInput]:
        result = []
        for row in range(self.components.rowCount()):
            name_item = self.components.item(row, COL_NAME)
            name = " ".join((name_item.text() if name_item else "").split())
            if skip_blank and not name:
                continue  # a row added and left empty is not a component
            copy_kind = self.components.cellWidget(row, COL_COPY)
            quantity = self.components.cellWidget(row, COL_QUANTITY)
            reusable = self.components.item(row, COL_REUSABLE)
            result.append(
                ComponentInput(
                    name=name,
                    copy_kind=copy_kind.currentData()
                    if isinstance(copy_kind, QComboBox)
                    else CopyKind.BAN_CHINH.value,
                    quantity=quantity.value() if isinstance(quantity, QSpinBox) else 1,
                    reusable=reusable is not None
                    and reusable.checkState() == Qt.CheckState.Checked,
                )
            )
        return result

    def add_component(self, name: str = "") -> int:
        row = self._append_component(ComponentInput(name))
        self.components.selectRow(row)
        item = self.components.item(row, COL_NAME)
        if not name and item is not None and self.isVisible():
            self.components.editItem(item)
        return row

    def remove_component(self) -> None:
        row = self.components.currentRow()
        if row >= 0:
            self.components.removeRow(row)

    def move_component(self, step: int) -> None:
        row = self.components.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.components.rowCount():
            return
        rows = self.component_inputs(skip_blank=False)
        rows[row], rows[target] = rows[target], rows[row]
        self.fill_components(rows)
        self.components.selectRow(target)

    # -- saving ------------------------------------------------------------------------------------

    def procedure_input(self) -> ProcedureInput:
        rule = self.fee_rule()
        return ProcedureInput(
            code=self.code.text(),
            name=" ".join(self.name.toPlainText().split()),
            field=self.field.currentText(),
            time_limit=self.time_limit.value(),
            time_unit=self.time_unit.currentData(),
            online_level=self.online_level.currentData(),
            fee_kind=rule.kind.value,
            fee_amount=rule.amount,
            fee_first_pages=rule.first_pages,
            fee_later_amount=rule.later_amount,
            fee_cap=rule.cap,
            fee_note=self.fee_note.text(),
            result_is_document=self.result_is_document.isChecked(),
            citizen_facing=self.citizen_facing.isChecked(),
            active=self.active.isChecked(),
            components=self.component_inputs(),
        )

    def save(self) -> bool:
        self._clear_errors()
        # Commit a name still being typed in the components table.
        self.components.setCurrentItem(None)
        procedure = self.procedure
        try:
            saved = catalogue.save_procedure(
                self.ctx,
                self.procedure_input(),
                procedure.id if procedure else None,
                procedure.version if procedure else None,
            )
        except ValidationFailed as failed:
            others = []
            for key, message in failed.errors.items():
                if key in self.errors:
                    set_error(self.errors[key], message)
                else:
                    others.append(message)
            self._show_banner(
                " ".join(others) or self.tr("Chưa lưu: hãy sửa các ô được đánh dấu đỏ.")
            )
            return False
        except ConflictError as conflict:
            self._show_banner(
                self.tr(
                    "Chưa lưu được: {0} {1} Thay đổi của bạn vẫn còn trên màn hình này; "
                    "hãy ghi lại, đóng cửa sổ, mở lại thủ tục rồi sửa lại."
                ).format(conflict.message, conflict.action)
            )
            return False
        except UserFixableError as error:
            self._show_banner(f"{error.message} {error.action}".strip())
            return False
        except Exception as error:  # noqa: BLE001
            show_error(self, error, self.tr("Chưa lưu được thủ tục"))
            return False
        self.result_procedure = saved
        self.saved.emit(saved)
        self.accept()
        return True

    def _show_banner(self, text: str) -> None:
        set_error(self.banner, text)

    def _clear_errors(self) -> None:
        for widget in (*self.errors.values(), self.banner):
            set_error(widget, "")

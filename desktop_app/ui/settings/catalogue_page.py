"""Settings page "Danh mục thủ tục": the procedure catalogue, searchable, with the editor."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from ...domain.calendar import describe_limit
from ...services import catalogue
from ...services.context import AppContext
from ...services.views import ProcedureView
from ..common import show_error
from . import (
    label,
    push_button,
    read_only_table,
    select_row_with,
    selected_data,
    table_item,
    yes_no,
)
from .procedure_editor import ProcedureEditor

HEADERS = (
    QT_TRANSLATE_NOOP("CataloguePage", "Mã"),
    QT_TRANSLATE_NOOP("CataloguePage", "Tên thủ tục"),
    QT_TRANSLATE_NOOP("CataloguePage", "Lĩnh vực"),
    QT_TRANSLATE_NOOP("CataloguePage", "Thời hạn"),
    QT_TRANSLATE_NOOP("CataloguePage", "Trực tuyến"),
    QT_TRANSLATE_NOOP("CataloguePage", "Phí, lệ phí"),
    QT_TRANSLATE_NOOP("CataloguePage", "Áp dụng"),
)
COL_CODE, COL_NAME, COL_FIELD, COL_LIMIT, COL_ONLINE, COL_FEE, COL_ACTIVE = range(7)


class CataloguePage(QWidget):
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("cataloguePage")
        self.procedures: dict[uuid.UUID, ProcedureView] = {}
        self.editor: ProcedureEditor | None = None

        self.search = QLineEdit()
        self.search.setObjectName("search")
        self.search.setPlaceholderText(
            self.tr("Tìm theo tên hoặc mã thủ tục (gõ có dấu hay không dấu đều được)")
        )
        self.search.setClearButtonEnabled(True)
        self.search.textChanged.connect(lambda _text: self.reload())
        self.count_label = QLabel()
        self.count_label.setObjectName("count")
        self.add_button = push_button(
            self.tr("Thêm thủ tục"), self.add_procedure, name="addProcedure"
        )
        self.edit_button = push_button(self.tr("Sửa"), self.edit_selected, name="editProcedure")
        self.edit_button.setEnabled(False)

        self.table = read_only_table("CataloguePage", HEADERS, name="catalogueTable")
        header = self.table.horizontalHeader()
        for column in range(self.table.columnCount()):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(COL_NAME, QHeaderView.ResizeMode.Stretch)
        for column, width in (
            (COL_CODE, 80),
            (COL_FIELD, 110),
            (COL_LIMIT, 120),
            (COL_ONLINE, 90),
            (COL_FEE, 150),
            (COL_ACTIVE, 70),
        ):
            self.table.setColumnWidth(column, width)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.cellDoubleClicked.connect(lambda _row, _column: self.edit_selected())

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.add_button)
        top.addWidget(self.edit_button)
        # The table cuts long names and fee rules short; the selected one is shown in full here.
        self.details = QLabel()
        self.details.setObjectName("details")
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.PlainText)
        self.details.setMinimumHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setFrameShape(QFrame.Shape.StyledPanel)
        self.details.setMargin(6)
        hint = QLabel(
            self.tr(
                "Nhấp đúp vào một thủ tục để sửa. Thủ tục ngừng áp dụng hiện màu xám "
                "và không còn được chọn khi tiếp nhận."
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #444;")
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addWidget(hint, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(bottom)
        self.reload()

    def reload(self, select: uuid.UUID | None = None) -> None:
        try:
            rows = catalogue.list_procedures(
                self.ctx, search=self.search.text(), include_inactive=True
            )
        except Exception as error:  # noqa: BLE001
            show_error(self, error, self.tr("Không đọc được danh mục thủ tục"))
            return
        self.procedures = {p.id: p for p in rows}
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for row, procedure in enumerate(rows):
            gone = not procedure.active
            fee = procedure.fee_rule.describe()
            fee_tooltip = f"{fee}\n{procedure.fee_note}".strip()
            limit = describe_limit(procedure.time_limit, procedure.time_unit)
            cells = (
                table_item(procedure.code, procedure.id, inactive=gone),
                table_item(procedure.name, tooltip=procedure.name, inactive=gone),
                table_item(procedure.field, tooltip=procedure.field, inactive=gone),
                table_item(limit, inactive=gone),
                table_item(label(procedure.online_level.label), inactive=gone),
                table_item(fee, tooltip=fee_tooltip, inactive=gone),
                table_item(yes_no(procedure.active), inactive=gone),
            )
            for column, item in enumerate(cells):
                self.table.setItem(row, column, item)
        self.table.clearSelection()
        self.table.blockSignals(False)
        self._selection_changed()
        if select is not None:
            select_row_with(self.table, select)
        total = len(rows)
        if self.search.text().strip():
            self.count_label.setText(self.tr("Tìm thấy {0} thủ tục").format(total))
        else:
            self.count_label.setText(self.tr("{0} thủ tục").format(total))

    def _selection_changed(self) -> None:
        procedure_id = selected_data(self.table)
        procedure = self.procedures.get(procedure_id) if procedure_id else None
        self.edit_button.setEnabled(procedure is not None)
        if procedure is None:
            self.details.setText(
                self.tr("Chọn một thủ tục để xem đầy đủ tên, phí và thành phần hồ sơ.")
            )
            return
        parts = [
            self.tr("Thời hạn: {0}").format(
                describe_limit(procedure.time_limit, procedure.time_unit)
            ),
            self.tr("Trực tuyến: {0}").format(label(procedure.online_level.label)),
            self.tr("Phí: {0}").format(procedure.fee_rule.describe()),
            self.tr("{0} thành phần hồ sơ").format(len(procedure.components)),
        ]
        if not procedure.active:
            parts.append(self.tr("ngừng áp dụng"))
        self.details.setText(f"{procedure.code} – {procedure.name}\n" + " · ".join(parts))

    def fields(self) -> list[str]:
        return sorted(
            {p.field for p in catalogue.list_procedures(self.ctx, include_inactive=True) if p.field}
        )

    def add_procedure(self) -> ProcedureEditor:
        return self._open_editor(None)

    def edit_selected(self) -> ProcedureEditor | None:
        procedure_id = selected_data(self.table)
        if procedure_id is None:
            return None
        try:  # the newest version, so a save does not trip over an old one
            procedure = catalogue.get_procedure(self.ctx, procedure_id)
        except Exception as error:  # noqa: BLE001
            show_error(self, error, self.tr("Không mở được thủ tục"))
            return None
        return self._open_editor(procedure)

    def _open_editor(self, procedure: ProcedureView | None) -> ProcedureEditor:
        if self.editor is not None:
            self.editor.close()
            self.editor.deleteLater()
        self.editor = ProcedureEditor(self.ctx, procedure, self.fields(), self)
        self.editor.saved.connect(self._editor_saved)
        self.editor.open()
        return self.editor

    def _editor_saved(self, procedure: ProcedureView) -> None:
        self.reload(select=procedure.id)
        if procedure.id not in self.procedures:  # hidden by the search: show it anyway
            self.search.blockSignals(True)
            self.search.clear()
            self.search.blockSignals(False)
            self.reload(select=procedure.id)
        self.saved.emit()

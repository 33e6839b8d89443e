"""Số liệu thôn/xóm (Mẫu biểu 02): the census figures of each hamlet of the commune's list —
số hộ, số khẩu, người có VNeID, người chưa có — that the Mẫu biểu 02 export prints next to the
dossier figures. Lãnh đạo and quản trị edit them (as they edit the hamlet list); others see them.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStyledItemDelegate,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..domain.roles import Permission
from ..services import accounts, exports
from ..storage.errors import UserFixableError
from .common import error_text

COLUMNS = ("Xóm", "Số hộ", "Số khẩu", "Người có VNeID", "Người chưa có")
FIELDS = ("households", "population", "people_with_vneid", "people_without_vneid")


class _NumberDelegate(QStyledItemDelegate):
    """Cells take whole numbers only (or nothing)."""

    def createEditor(self, parent, option, index):
        editor = QLineEdit(parent)
        editor.setValidator(QIntValidator(0, 99_999_999, editor))
        editor.setAlignment(Qt.AlignmentFlag.AlignRight)
        return editor


def _number(text: str) -> int | None:
    text = text.strip().replace(".", "").replace(",", "").replace(" ", "")
    if not text:
        return None
    if not text.isdigit():
        raise ValueError(text)
    return int(text)


class CensusDialog(QDialog):
    saved = Signal()

    def __init__(self, ctx, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("censusDialog")
        self.setWindowTitle(self.tr("Số liệu thôn/xóm (Mẫu biểu 02)"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.editable = accounts.can(ctx, Permission.EDIT_CATALOGUE)
        self.census = exports.hamlet_census(ctx)

        hint = QLabel(self)
        hint.setWordWrap(True)
        if not self.census:
            hint.setText(self.tr("Chưa có thôn/xóm nào. Hãy thêm danh sách thôn/xóm ở Cài đặt → Thông tin đơn vị."))
        elif self.editable:
            hint.setText(self.tr("Nhập số liệu của từng thôn/xóm (để trống nếu chưa có). Mẫu biểu 02 in các số này "
                                 "cạnh số hồ sơ trực tuyến, kết quả điện tử và đánh giá hài lòng."))
        else:
            hint.setText(self.tr("Chỉ lãnh đạo hoặc quản trị được sửa số liệu thôn/xóm."))

        self.table = QTableWidget(len(self.census), len(COLUMNS), self)
        self.table.setObjectName("censusTable")
        self.table.setHorizontalHeaderLabels([self.tr(c) for c in COLUMNS])
        self.table.verticalHeader().hide()
        self.table.setItemDelegate(_NumberDelegate(self.table))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        if not self.editable:
            self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        digit = self.table.fontMetrics().horizontalAdvance("0")
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
            header.resizeSection(column, max(self.table.fontMetrics().horizontalAdvance(COLUMNS[column]), 8 * digit)
                                 + 3 * digit)
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 12)
        for row, hamlet in enumerate(self.census):
            name = QTableWidgetItem(hamlet.name)
            name.setFlags(name.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.table.setItem(row, 0, name)
            for column, field in enumerate(FIELDS, start=1):
                value = getattr(hamlet, field)
                item = QTableWidgetItem("" if value is None else str(value))
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                self.table.setItem(row, column, item)

        self.error_label = QLabel(self)
        self.error_label.setObjectName("errorLabel")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.save_button = QPushButton(self.tr("Lưu"), self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.save_button.setVisible(self.editable and bool(self.census))
        close_button = QPushButton(self.tr("Đóng") if not self.editable else self.tr("Hủy"), self)
        close_button.setObjectName("closeButton")
        close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error_label)
        layout.addLayout(buttons)
        rows_height = self.table.verticalHeader().defaultSectionSize() * min(max(len(self.census), 3), 14)
        self.resize(720, 190 + rows_height)

    def figures(self) -> list[tuple[str, dict[str, int | None]]]:
        """The table's figures per hamlet; raises UserFixableError naming a bad cell."""
        found = []
        for row, hamlet in enumerate(self.census):
            values: dict[str, int | None] = {}
            for column, field in enumerate(FIELDS, start=1):
                item = self.table.item(row, column)
                try:
                    values[field] = _number(item.text() if item else "")
                except ValueError:
                    raise UserFixableError(
                        f"“{COLUMNS[column]}” của {hamlet.name} phải là một số nguyên.", "Hãy nhập lại.") from None
            with_id, without = values["people_with_vneid"], values["people_without_vneid"]
            population = values["population"]
            if population is not None and with_id is not None and without is not None and with_id + without > population:
                raise UserFixableError(
                    f"{hamlet.name}: số người có và chưa có VNeID ({with_id + without}) lớn hơn số khẩu ({population}).",
                    "Hãy kiểm tra lại số liệu của thôn/xóm.")
            found.append((hamlet.name, values))
        return found

    def save(self) -> None:
        try:
            changed = [(name, values) for (name, values), before in zip(self.figures(), self.census, strict=True)
                       if values != {field: getattr(before, field) for field in FIELDS}]
            if changed:
                exports.set_hamlet_censuses(self.ctx, changed)  # all hamlets or none
        except Exception as error:  # noqa: BLE001 - shown in the dialog (error_text logs unexpected ones)
            message, action = error_text(error)
            self.error_label.setText(f"{message} {action}".strip())
            return
        self.saved.emit()
        self.accept()


__all__ = ["CensusDialog"]

"""Pages of the Settings dialog (Cài đặt) and the few small widgets they share.

The pages themselves live in their own modules (``profile_page``, ``officers_page``,
``holidays_page``, ``catalogue_page``, ``procedure_editor``); this module holds only helpers so
that importing it never pulls in a page.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

ERROR_COLOR = "#b3261e"
INACTIVE_COLOR = QColor("#7a7a7a")

#: Monday first, as ``date.weekday()`` counts.
WEEKDAY_NAMES = (
    QT_TRANSLATE_NOOP("Weekday", "Thứ Hai"),
    QT_TRANSLATE_NOOP("Weekday", "Thứ Ba"),
    QT_TRANSLATE_NOOP("Weekday", "Thứ Tư"),
    QT_TRANSLATE_NOOP("Weekday", "Thứ Năm"),
    QT_TRANSLATE_NOOP("Weekday", "Thứ Sáu"),
    QT_TRANSLATE_NOOP("Weekday", "Thứ Bảy"),
    QT_TRANSLATE_NOOP("Weekday", "Chủ nhật"),
)


def weekday_name(day: date, *, in_sentence: bool = False) -> str:
    """The Vietnamese day name, "Thứ Hai" … "Chủ nhật"; in a sentence lower case ("thứ Hai")."""
    name = QCoreApplication.translate("Weekday", WEEKDAY_NAMES[day.weekday()])
    return name[:1].lower() + name[1:] if in_sentence else name


def label(text: str) -> str:
    """A Vietnamese label from the data layer (roles, units, fee kinds …), translatable."""
    return QCoreApplication.translate("Labels", text)


def yes_no(value: bool) -> str:
    return (
        QCoreApplication.translate("Labels", "Có")
        if value
        else QCoreApplication.translate("Labels", "Không")
    )


def error_label(parent: QWidget | None = None) -> QLabel:
    """A red message shown under the field it is about; hidden while empty."""
    widget = QLabel(parent)
    widget.setObjectName("fieldError")
    widget.setWordWrap(True)
    widget.setStyleSheet(f"color: {ERROR_COLOR};")
    widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    widget.setVisible(False)
    return widget


def set_error(widget: QLabel, text: str) -> None:
    widget.setText(text)
    widget.setVisible(bool(text))


def with_error(field: QWidget, error: QLabel) -> QWidget:
    """``field`` with its error message right under it (a hidden message takes no room)."""
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(0, 0, 0, 0)
    layout.setSpacing(2)
    layout.addWidget(field)
    layout.addWidget(error)
    return box


def push_button(
    text: str, slot: Callable[..., Any] | None = None, *, name: str = ""
) -> QPushButton:
    """A button that Enter in a nearby field does not press by accident."""
    button = QPushButton(text)
    button.setAutoDefault(False)
    if name:
        button.setObjectName(name)
    if slot is not None:
        button.clicked.connect(lambda _checked=False: slot())
    return button


def read_only_table(context: str, headers: Sequence[str], name: str = "") -> QTableWidget:
    """A table of rows to pick from; ``headers`` are QT_TRANSLATE_NOOP texts of ``context``."""
    table = QTableWidget(0, len(headers))
    if name:
        table.setObjectName(name)
    table.setHorizontalHeaderLabels([QCoreApplication.translate(context, h) for h in headers])
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setAlternatingRowColors(True)
    table.setWordWrap(False)
    table.verticalHeader().setVisible(False)
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 10)
    table.horizontalHeader().setHighlightSections(False)
    table.horizontalHeader().setDefaultAlignment(
        Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    )
    return table


def table_item(
    text: str, data: Any = None, *, tooltip: str = "", inactive: bool = False
) -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if data is not None:
        item.setData(Qt.ItemDataRole.UserRole, data)
    if tooltip:
        item.setToolTip(tooltip)
    if inactive:
        item.setForeground(QBrush(INACTIVE_COLOR))
    return item


def stretch_column(table: QTableWidget, column: int) -> None:
    header = table.horizontalHeader()
    for index in range(table.columnCount()):
        mode = (
            QHeaderView.ResizeMode.Stretch
            if index == column
            else QHeaderView.ResizeMode.ResizeToContents
        )
        header.setSectionResizeMode(index, mode)


def selected_data(table: QTableWidget) -> Any:
    """The UserRole data of column 0 of the selected row, or ``None``."""
    rows = table.selectionModel().selectedRows()
    if not rows:
        return None
    item = table.item(rows[0].row(), 0)
    return item.data(Qt.ItemDataRole.UserRole) if item else None


def select_row_with(table: QTableWidget, data: Any) -> None:
    for row in range(table.rowCount()):
        item = table.item(row, 0)
        if item is not None and item.data(Qt.ItemDataRole.UserRole) == data:
            table.selectRow(row)
            table.scrollToItem(item)
            return


def confirm(
    parent: QWidget, title: str, text: str, on_yes: Callable[[], None], yes_text: str
) -> QMessageBox:
    """Ask without blocking (window-modal box), so tests can read the box and press its buttons."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    box.setObjectName("confirmBox")
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    no = box.addButton(
        QCoreApplication.translate("Labels", "Không"), QMessageBox.ButtonRole.RejectRole
    )
    box.setDefaultButton(no)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def finished() -> None:
        if box.clickedButton() is yes:
            on_yes()

    box.finished.connect(lambda _result=0: finished())
    box.open()
    return box

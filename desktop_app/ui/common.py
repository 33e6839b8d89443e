"""Small helpers every screen uses: formatting, and showing errors in plain Vietnamese."""

from __future__ import annotations

import logging
from datetime import date, datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QWidget

from ..domain.procedure import format_vnd
from ..services.logs import log_path
from ..storage.errors import UserFixableError, translate

log = logging.getLogger(__name__)


def fmt_date(value: date | datetime | None) -> str:
    return value.strftime("%d/%m/%Y") if value else ""


def fmt_datetime(value: datetime | None) -> str:
    return value.strftime("%H:%M %d/%m/%Y") if value else ""


def fmt_money(amount: int | None) -> str:
    return format_vnd(amount) if amount is not None else ""


def error_text(error: BaseException) -> tuple[str, str]:
    """(message, detail) for a message box: fixable errors in plain words, others with the log path."""
    fixable = error if isinstance(error, UserFixableError) else translate(error)
    if fixable is not None:
        return fixable.message, fixable.action
    log.error("Lỗi không mong muốn", exc_info=(type(error), error, error.__traceback__))
    return (
        "Đã xảy ra lỗi không mong muốn. Dữ liệu đã lưu trước đó không bị ảnh hưởng.",
        f"Chi tiết lỗi đã được ghi vào tệp nhật ký: {log_path()}",
    )


def show_error(parent: QWidget | None, error: BaseException, title: str = "Không thực hiện được") -> QMessageBox:
    """Show the error without blocking (window-modal), so that tests can read and close it."""
    message, detail = error_text(error)
    return show_message(parent, title, message, detail, QMessageBox.Icon.Warning)


_open_boxes: list[QMessageBox] = []


def show_message(parent: QWidget | None, title: str, message: str, detail: str = "",
                 icon: QMessageBox.Icon = QMessageBox.Icon.Information) -> QMessageBox:
    box = QMessageBox(icon, title, message, QMessageBox.StandardButton.Ok, parent)
    box.setObjectName("messageBox")
    if detail:
        box.setInformativeText(detail)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    if parent is None:  # keep a reference until it is closed
        _open_boxes.append(box)
        box.finished.connect(lambda _=0, b=box: _open_boxes.remove(b) if b in _open_boxes else None)
    box.open()
    return box

"""Small helpers every screen uses: formatting, and showing errors in plain Vietnamese."""

from __future__ import annotations

import logging
from collections.abc import Callable
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


def ask_before_closing(parent: QWidget, message: str, save: Callable[[], bool], close: Callable[[], None]) -> QMessageBox:
    """Ask (non-blocking) what to do with unsaved input: "Lưu rồi đóng" calls ``save`` and closes
    when it succeeds, "Đóng, không lưu" closes, "Quay lại" keeps the window open."""
    buttons = QMessageBox.StandardButton
    box = QMessageBox(QMessageBox.Icon.Question, parent.tr("Thông tin chưa lưu"), message,
                      buttons.Save | buttons.Discard | buttons.Cancel, parent)
    box.setObjectName("unsavedChangesBox")
    box.button(buttons.Save).setText(parent.tr("Lưu rồi đóng"))
    box.button(buttons.Discard).setText(parent.tr("Đóng, không lưu"))
    box.button(buttons.Cancel).setText(parent.tr("Quay lại"))
    box.setDefaultButton(buttons.Save)

    def answered(_result: int) -> None:
        answer = box.standardButton(box.clickedButton())
        if (answer == buttons.Save and save()) or answer == buttons.Discard:
            close()

    box.finished.connect(answered)
    box.open()
    return box

"""Pieces shared by the dialogs that run a long job (import, USB export, Excel export): the
"working" page with its progress bar, the error page, and the row of buttons under them."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout, QWidget

HINT_STYLE = "color: #555;"
ERROR_STYLE = "color: #b00020; font-weight: bold;"


def make_button(text: str, name: str, slot: Callable[[], object], parent: QWidget, *,
                default: bool = False) -> QPushButton:
    """A push button with its object name (tests and style sheets find it by that) and its slot."""
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setDefault(default)
    button.clicked.connect(slot)
    return button


def button_row(left: Sequence[QWidget], right: Sequence[QWidget]) -> QHBoxLayout:
    """Buttons at the bottom of a dialog: ``left`` ones, a stretch, then ``right`` ones."""
    row = QHBoxLayout()
    for widget in left:
        row.addWidget(widget)
    row.addStretch(1)
    for widget in right:
        row.addWidget(widget)
    return row


def done_label(parent: QWidget) -> QLabel:
    """The summary at the top of a finished job's page (``doneLabel``), selectable for copying."""
    label = QLabel(parent)
    label.setObjectName("doneLabel")
    label.setWordWrap(True)
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class WorkingPage(QWidget):
    """What is being done (``label``), a progress bar and a hint below, centred on the page."""

    def __init__(self, parent: QWidget, hint: str = "") -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        self.label = QLabel(self)
        self.label.setObjectName("workLabel")
        self.label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.progress_bar = QProgressBar(self)
        self.progress_bar.setObjectName("progressBar")
        self.progress_bar.setRange(0, 0)  # busy until the first progress report
        self.hint = QLabel(hint, self)
        self.hint.setWordWrap(True)
        self.hint.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.hint.setStyleSheet(HINT_STYLE)
        layout.addWidget(self.label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.hint)
        layout.addStretch(2)


class ErrorPage(QWidget):
    """The message of a failed job in red (``message``) and what to do about it (``action``)."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.message = QLabel(self)
        self.message.setObjectName("errorLabel")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.action = QLabel(self)
        self.action.setObjectName("errorAction")
        self.action.setWordWrap(True)
        layout.addWidget(self.message)
        layout.addWidget(self.action)
        layout.addStretch(1)


__all__ = ["ErrorPage", "WorkingPage", "button_row", "done_label", "make_button"]

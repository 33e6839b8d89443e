"""Choosing a procedure by typing part of its name or code, diacritics ignored ("khai sinh")."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QModelIndex, QRect, Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent, QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QAbstractItemView, QCompleter, QHBoxLayout, QLineEdit, QWidget

from ..domain.text import fold
from ..services import catalogue
from ..services.context import AppContext
from ..services.views import ProcedureView

#: The popup shows at most this many procedures; the catalogue of a commune has a few hundred.
MAX_MATCHES = 50
_INDEX_ROLE = Qt.ItemDataRole.UserRole + 1


def procedure_display(procedure: ProcedureView) -> str:
    return f"{procedure.code} — {procedure.name}"


def rank_procedures(procedures: list[ProcedureView], query: str) -> list[ProcedureView]:
    """Procedures matching ``query`` (every word, diacritics ignored), best first.

    A code that starts with the query comes first, then names holding the words as one phrase
    (earliest and shortest first, so "khai sinh" puts "Đăng ký khai sinh" before "Cấp bản sao
    … Giấy khai sinh"), then names holding all the words anywhere.
    """
    folded = fold(query)
    if not folded:
        return list(procedures)
    words = folded.split(" ")
    ranked: list[tuple[tuple[int, int, int, int], ProcedureView]] = []
    for order, procedure in enumerate(procedures):
        code, name = procedure.code.lower(), fold(procedure.name)
        haystack = f"{code} {name}"
        if not all(word in haystack for word in words):
            continue
        if code.startswith(folded):
            key = (0, 0, len(code), order)
        elif folded in name:
            key = (1, name.index(folded), len(name), order)
        else:
            key = (2, 0, len(name), order)
        ranked.append((key, procedure))
    ranked.sort(key=lambda pair: pair[0])
    return [procedure for _, procedure in ranked]


class _PickerEdit(QLineEdit):
    """Enter and Down are the picker's own keys: Enter chooses, Down opens the list."""

    def __init__(self, picker: ProcedurePicker) -> None:
        super().__init__(picker)
        self._picker = picker

    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter) and self._picker.needs_choice():
            # Enter chooses the highlighted (or best) match instead of saving the whole form.
            self._picker.choose_current_or_best()
            event.accept()
            return
        if key == Qt.Key.Key_Down and not self._picker.popup_visible():
            self._picker.show_matches(self.text())
            event.accept()
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        # Selected as a whole so that typing replaces it, but scrolled to the start: a long
        # procedure name would otherwise show only its tail.
        text = self.text()
        if text and self.selectedText() == text:
            self.setSelection(len(text), -len(text))
        elif text and not self.hasSelectedText():
            self.setCursorPosition(0)


class ProcedurePicker(QWidget):
    """A line edit with a type-ahead list over the active procedures, shown as "mã — tên"."""

    procedureChanged = Signal(object)  # ProcedureView | None

    def __init__(
        self,
        ctx: AppContext,
        parent: QWidget | None = None,
        procedures: list[ProcedureView] | None = None,
    ) -> None:
        super().__init__(parent)
        self._procedures = procedures if procedures is not None else catalogue.list_procedures(ctx)
        self._matches: list[ProcedureView] = []
        self._current: ProcedureView | None = None

        self.edit = _PickerEdit(self)
        self.edit.setObjectName("procedureEdit")
        self.edit.setPlaceholderText(
            self.tr("Gõ tên hoặc mã thủ tục, không cần dấu (ví dụ: khai sinh)")
        )
        self.edit.setClearButtonEnabled(True)
        self.edit.setAccessibleName(self.tr("Thủ tục hành chính"))

        self.model = QStandardItemModel(self)
        self.completer = QCompleter(self.model, self)
        # Filtering is ours (diacritic-insensitive, ranked); the completer only shows the list.
        self.completer.setCompletionMode(QCompleter.CompletionMode.UnfilteredPopupCompletion)
        self.completer.setMaxVisibleItems(10)
        self.completer.setWidget(self.edit)
        popup = self.completer.popup()
        popup.setObjectName("procedurePopup")
        popup.setTextElideMode(Qt.TextElideMode.ElideRight)
        popup.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        popup.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.completer.activated[QModelIndex].connect(self._on_activated)

        self.edit.textEdited.connect(self._on_text_edited)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)

    # ------------------------------------------------------------------ state

    def current(self) -> ProcedureView | None:
        return self._current

    def current_id(self) -> uuid.UUID | None:
        return self._current.id if self._current else None

    def procedures(self) -> list[ProcedureView]:
        return list(self._procedures)

    def matches(self) -> list[ProcedureView]:
        """What the list shows now (for the tests and the keyboard handler)."""
        return list(self._matches)

    def set_current(self, procedure: ProcedureView | None) -> None:
        changed = (procedure.id if procedure else None) != self.current_id()
        self._current = procedure
        if procedure is None:
            self.edit.setToolTip("")
        else:
            self.edit.setText(procedure_display(procedure))
            self.edit.setCursorPosition(0)  # long names: show the code and the start of the name
            self.edit.setToolTip(procedure_display(procedure))
        self.completer.popup().hide()
        if changed:
            self.procedureChanged.emit(procedure)

    def select_code(self, code: str) -> bool:
        for procedure in self._procedures:
            if procedure.code == code:
                self.set_current(procedure)
                return True
        return False

    # ------------------------------------------------------------------ list

    def popup_visible(self) -> bool:
        return self.completer.popup().isVisible()

    def needs_choice(self) -> bool:
        """The text is a query, not the chosen procedure (or the list is open)."""
        if self.popup_visible():
            return True
        text = self.edit.text().strip()
        return bool(text) and (self._current is None or text != procedure_display(self._current))

    def show_matches(self, text: str) -> None:
        self._matches = rank_procedures(self._procedures, text)[:MAX_MATCHES]
        self.model.clear()
        for index, procedure in enumerate(self._matches):
            item = QStandardItem(procedure_display(procedure))
            item.setData(index, _INDEX_ROLE)
            item.setToolTip(procedure_display(procedure))
            item.setEditable(False)
            self.model.appendRow(item)
        if not self._matches:
            self.completer.popup().hide()
            return
        self.completer.setCompletionPrefix("")
        self.completer.complete(QRect(0, 0, self.edit.width(), self.edit.height()))
        popup = self.completer.popup()
        popup.setCurrentIndex(self.completer.completionModel().index(0, 0))

    def choose_current_or_best(self) -> bool:
        popup = self.completer.popup()
        if popup.isVisible() and popup.currentIndex().isValid():
            row = popup.currentIndex().data(_INDEX_ROLE)
            if row is not None and 0 <= int(row) < len(self._matches):
                self.set_current(self._matches[int(row)])
                return True
        matches = rank_procedures(self._procedures, self.edit.text())
        if matches:
            self.set_current(matches[0])
            return True
        popup.hide()
        return False

    def _on_text_edited(self, text: str) -> None:
        if self._current is not None and text != procedure_display(self._current):
            self.set_current(None)
        if text.strip():
            self.show_matches(text)
        else:
            self._matches = []
            self.completer.popup().hide()

    def _on_activated(self, index: QModelIndex) -> None:
        row = index.data(_INDEX_ROLE)
        if row is not None and 0 <= int(row) < len(self._matches):
            self.set_current(self._matches[int(row)])

"""The digitisation checklist: one row per component of the procedure (SPEC §2 step 1, §3).

Each row: the document's name, bản chính/bản sao, its scan files (button or drag-and-drop),
and the flags that keep the 766 points: reused from digitised data, taken from the citizen's
kho, not required. Files are checked at once (type sniffed from the first bytes, size limit);
a refused file is never kept, and nothing is copied here: the intake copies on save, the dossier
form through its ``attach`` callback.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QMimeData, QPoint, Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragLeaveEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMessageBox,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.procedure import CopyKind
from ..storage.errors import UserFixableError
from .common import show_message

#: The file dialog filter (translated where it is used).
SCAN_FILTER = "Tệp quét (*.pdf *.jpg *.jpeg *.png *.tif *.tiff)"


def tr(text: str) -> str:
    return QCoreApplication.translate("ChecklistWidget", text)


def choose_scan_files(parent: QWidget | None, title: str) -> list[Path]:
    """Ask for scan files; [] when cancelled."""
    names, _ = QFileDialog.getOpenFileNames(parent, title, "", tr(SCAN_FILTER))
    return [Path(name) for name in names if name]


def local_paths(mime: QMimeData) -> list[Path]:
    """Local files carried by a drag (URLs that are not files are ignored)."""
    if not mime.hasUrls():
        return []
    return [
        Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile() and url.toLocalFile()
    ]


@dataclass
class FileCheck:
    accepted: list[Path] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)  # one Vietnamese reason per refused file
    advice: str = ""  # what to do about the first refusal


def check_files(checker: Callable[[Path], object], paths: list[Path]) -> FileCheck:
    """Split ``paths`` into accepted files and the Vietnamese reasons the others were refused."""
    result = FileCheck()
    accepted, refused = result.accepted, result.refused
    for path in paths:
        try:
            checker(Path(path))
        except UserFixableError as error:
            refused.append(error.message)
            result.advice = result.advice or error.action
            continue
        except OSError as error:  # unreadable file, removed USB stick …
            refused.append(
                tr("Không đọc được tệp “{0}”: {1}").format(Path(path).name, error.strerror or error)
            )
            continue
        if Path(path) not in accepted:
            accepted.append(Path(path))
    return result


def files_text(count: int) -> str:
    return tr("Chưa có tệp") if count == 0 else tr("{0} tệp").format(count)


def copy_kind_label(value: str) -> str:
    try:
        return {
            CopyKind.BAN_CHINH: tr("Bản chính"),
            CopyKind.BAN_SAO: tr("Bản sao"),
            CopyKind.BAN_CHINH_HOAC_SAO: tr("Bản chính hoặc bản sao"),
        }[CopyKind(value)]
    except ValueError:
        return value


@dataclass
class ChecklistItem:
    """What a row shows when it is filled in."""

    key: object  # procedure component id (intake) or dossier component id (dossier form)
    name: str
    copy_kind: str = CopyKind.BAN_CHINH.value
    quantity: int = 1
    reusable: bool = False
    stored_files: tuple[str, ...] = ()  # names of files already in the dossier
    digitised: bool = False  # a scan exists, possibly only in the provincial system (import)
    reused: bool = False
    from_kho: bool = False
    not_required: bool = False


@dataclass
class ChecklistState:
    """What the officer set on a row."""

    key: object
    name: str
    files: list[Path] = field(default_factory=list)  # chosen but not yet stored
    reused: bool = False
    from_kho: bool = False
    not_required: bool = False


class ChecklistRow:
    """The widgets of one row (kept together so that tests and the dialogs can reach them)."""

    def __init__(self, owner: ChecklistWidget, index: int, item: ChecklistItem) -> None:
        self.index = index
        self.item = item
        self.files: list[Path] = []
        self.name_label = QLabel(
            item.name if item.quantity <= 1 else f"{item.name} ({item.quantity})"
        )
        self.name_label.setWordWrap(True)
        self.name_label.setMinimumWidth(240)
        self.name_label.setObjectName(f"componentName{index}")
        self.kind_label = QLabel(copy_kind_label(item.copy_kind))
        self.kind_label.setStyleSheet("color: #555;")
        self.files_label = QLabel()
        self.files_label.setObjectName(f"componentFiles{index}")
        self.attach_button = QPushButton(owner.tr("Đính kèm…"))
        self.attach_button.setObjectName(f"attachButton{index}")
        self.attach_button.setAutoDefault(False)
        self.attach_button.setToolTip(
            owner.tr("Chọn tệp quét (PDF, JPEG, PNG, TIFF) — hoặc kéo thả tệp vào dòng này")
        )
        self.attach_button.setAccessibleName(owner.tr("Đính kèm tệp cho “{0}”").format(item.name))
        self.clear_button = QToolButton()
        self.clear_button.setText("×")
        self.clear_button.setObjectName(f"clearFiles{index}")
        self.clear_button.setToolTip(owner.tr("Bỏ các tệp vừa chọn cho giấy tờ này"))
        self.clear_button.setAccessibleName(owner.tr("Bỏ tệp đã chọn"))
        self.reused_box = QCheckBox(owner.tr("Tái sử dụng dữ liệu số hóa"))
        self.reused_box.setObjectName(f"reused{index}")
        self.kho_box = QCheckBox(owner.tr("Lấy từ kho dữ liệu"))
        self.kho_box.setObjectName(f"fromKho{index}")
        self.not_required_box = QCheckBox(owner.tr("Không cần"))
        self.not_required_box.setObjectName(f"notRequired{index}")
        self.not_required_box.setToolTip(
            owner.tr("Giấy tờ này không cần trong trường hợp của công dân")
        )
        self.reused_box.setChecked(item.reused)
        self.kho_box.setChecked(item.from_kho)
        self.not_required_box.setChecked(item.not_required)
        if item.reusable:
            hint = owner.tr(
                "Giấy tờ này có thể tái sử dụng từ dữ liệu đã số hóa hoặc kho dữ liệu của công dân"
            )
            self.reused_box.setToolTip(hint)
            self.kho_box.setToolTip(hint)

    def widgets(self) -> list[QWidget]:
        return [
            self.name_label,
            self.kind_label,
            self.files_label,
            self.attach_button,
            self.clear_button,
            self.reused_box,
            self.kho_box,
            self.not_required_box,
        ]

    def state(self) -> ChecklistState:
        return ChecklistState(
            key=self.item.key,
            name=self.item.name,
            files=list(self.files),
            reused=self.reused_box.isChecked(),
            from_kho=self.kho_box.isChecked(),
            not_required=self.not_required_box.isChecked(),
        )

    def refresh(self, owner: ChecklistWidget) -> None:
        stored = list(self.item.stored_files)
        count = len(stored) + len(self.files)
        text = files_text(count)
        if count == 0 and self.item.digitised:
            text = owner.tr("Đã số hóa")
        self.files_label.setText(text)
        names = stored + [path.name for path in self.files]
        self.files_label.setToolTip("\n".join(names))
        self.clear_button.setVisible(owner.attach is None)
        self.clear_button.setEnabled(bool(self.files))
        self.files_label.setStyleSheet(
            "color: #1b7f3b;" if count or self.item.digitised else "color: #777;"
        )
        skipped = self.not_required_box.isChecked()
        for widget in (self.attach_button, self.reused_box, self.kho_box):
            widget.setEnabled(not skipped)
        font = self.name_label.font()
        font.setStrikeOut(skipped)
        self.name_label.setFont(font)


class ChecklistWidget(QWidget):
    """Rows of components; files can be dropped onto a row.

    ``checker`` raises :class:`UserFixableError` for a file that may not be attached (the
    attachment store's ``check``). Without ``attach`` the chosen files stay pending in the row
    (intake); with it, accepted files are handed to ``attach(key, files)`` at once (dossier form).
    """

    changed = Signal()
    filesRefused = Signal(str)

    def __init__(
        self,
        checker: Callable[[Path], object],
        parent: QWidget | None = None,
        attach: Callable[[object, list[Path]], bool] | None = None,
    ) -> None:
        super().__init__(parent)
        self.checker = checker
        self.attach = attach
        self.rows: list[ChecklistRow] = []
        self.last_refusal = ""
        self._drop_row: int | None = None
        self.refusal_box: QMessageBox | None = None
        self.setAcceptDrops(True)

        self._grid_host = QWidget(self)
        self._grid = QGridLayout(self._grid_host)
        self._grid.setContentsMargins(0, 0, 0, 0)
        self._grid.setHorizontalSpacing(10)
        self._grid.setVerticalSpacing(4)
        self._grid.setColumnStretch(0, 1)
        self.empty_label = QLabel(self.tr("Chọn thủ tục để hiện danh sách giấy tờ cần nộp."))
        self.empty_label.setStyleSheet("color: #777;")
        self.error_label = QLabel()
        self.error_label.setObjectName("checklistError")
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #b00020;")
        self.error_label.hide()
        self.hint_label = QLabel(
            self.tr("Mẹo: kéo thả tệp quét vào đúng dòng giấy tờ để đính kèm.")
        )
        self.hint_label.setStyleSheet("color: #777;")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.empty_label)
        layout.addWidget(self._grid_host)
        layout.addWidget(self.error_label)
        bottom = QHBoxLayout()
        bottom.addWidget(self.hint_label)
        bottom.addStretch(1)
        layout.addLayout(bottom)
        self._show_empty(True)

    # ------------------------------------------------------------------ content

    def set_empty_text(self, text: str) -> None:
        self.empty_label.setText(text)

    def set_items(self, items: list[ChecklistItem]) -> None:
        """Show ``items``; pending files and flags of a previous procedure are dropped."""
        while self._grid.count():
            widget = self._grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        self.rows = []
        self.clear_error()
        if items:
            headers = (self.tr("Giấy tờ"), self.tr("Bản chính / bản sao"), self.tr("Tệp quét"))
            for column, text in zip((0, 1, 2), headers, strict=True):
                label = QLabel(f"<b>{text}</b>")
                self._grid.addWidget(label, 0, column, 1, 3 if column == 2 else 1)
        for index, item in enumerate(items):
            row = ChecklistRow(self, index, item)
            for column, widget in enumerate(row.widgets()):
                alignment = Qt.AlignmentFlag.AlignVCenter
                self._grid.addWidget(widget, index + 1, column, alignment)
            row.attach_button.clicked.connect(lambda _=False, i=index: self.choose_files(i))
            row.clear_button.clicked.connect(lambda _=False, i=index: self.clear_files(i))
            for box in (row.reused_box, row.kho_box, row.not_required_box):
                box.toggled.connect(lambda _=False, i=index: self._flag_toggled(i))
            row.refresh(self)
            self.rows.append(row)
        self._show_empty(not items)
        self.changed.emit()

    def update_stored(self, items: list[ChecklistItem], *, keep_flags: bool = False) -> None:
        """Refresh the stored files of the same rows (after an attach), keeping edited flags."""
        if len(items) != len(self.rows) or any(
            r.item.key != i.key for r, i in zip(self.rows, items, strict=False)
        ):
            self.set_items(items)
            return
        for row, item in zip(self.rows, items, strict=True):
            row.item = item
            if not keep_flags:
                for box, value in (
                    (row.reused_box, item.reused),
                    (row.kho_box, item.from_kho),
                    (row.not_required_box, item.not_required),
                ):
                    box.blockSignals(True)
                    box.setChecked(value)
                    box.blockSignals(False)
            row.refresh(self)

    def states(self) -> list[ChecklistState]:
        return [row.state() for row in self.rows]

    def flags_differ(self) -> bool:
        """Some flag differs from what the rows were filled in with."""
        return any(
            (row.reused_box.isChecked(), row.kho_box.isChecked(), row.not_required_box.isChecked())
            != (row.item.reused, row.item.from_kho, row.item.not_required)
            for row in self.rows
        )

    def focus_widgets(self) -> list[QWidget]:
        """The row widgets that take keyboard focus, in reading order (for the tab chain)."""
        widgets: list[QWidget] = []
        for row in self.rows:
            widgets += [
                row.attach_button,
                row.clear_button,
                row.reused_box,
                row.kho_box,
                row.not_required_box,
            ]
        return widgets

    def _show_empty(self, empty: bool) -> None:
        self.empty_label.setVisible(empty)
        self._grid_host.setVisible(not empty)
        self.hint_label.setVisible(not empty)

    def _flag_toggled(self, index: int) -> None:
        self.rows[index].refresh(self)
        self.changed.emit()

    # ------------------------------------------------------------------ files

    def choose_files(self, index: int) -> list[Path]:
        row = self.rows[index]
        paths = choose_scan_files(self, self.tr("Chọn tệp quét: {0}").format(row.item.name))
        return self.add_files(index, paths) if paths else []

    def add_files(self, index: int, paths: list[Path]) -> list[Path]:
        """Check ``paths`` for row ``index``; keep (or attach) the good ones, report the others."""
        row = self.rows[index]
        checked = check_files(self.checker, paths)
        accepted = [p for p in checked.accepted if p not in row.files]
        if checked.refused:
            self.show_refusal(checked.refused, checked.advice)
        else:
            self.clear_error()
        if not accepted:
            return []
        if self.attach is not None:
            if not self.attach(row.item.key, accepted):
                return []
        else:
            row.files.extend(accepted)
        row.refresh(self)
        self.changed.emit()
        return accepted

    def clear_files(self, index: int) -> None:
        self.rows[index].files.clear()
        self.rows[index].refresh(self)
        self.changed.emit()

    def show_refusal(self, messages: list[str], advice: str = "") -> None:
        self.last_refusal = "\n".join(messages)
        self.error_label.setText(self.last_refusal)
        self.error_label.show()
        self.filesRefused.emit(self.last_refusal)
        self.refusal_box = show_message(
            self,
            self.tr("Không đính kèm được tệp"),
            self.last_refusal,
            advice,
            QMessageBox.Icon.Warning,
        )

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    # ------------------------------------------------------------------ drag and drop

    def row_at(self, pos: QPoint) -> int | None:
        """The row under ``pos`` (in this widget's coordinates)."""
        local = self._grid_host.mapFrom(self, pos)
        for row in self.rows:
            top = min(w.geometry().top() for w in row.widgets() if not w.isHidden())
            bottom = max(w.geometry().bottom() for w in row.widgets() if not w.isHidden())
            spacing = self._grid.verticalSpacing() // 2 + 1
            if top - spacing <= local.y() <= bottom + spacing:
                return row.index
        return None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if self.rows and local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        index = self.row_at(event.position().toPoint())
        self._highlight(index)
        if index is None or self.rows[index].not_required_box.isChecked():
            event.ignore()
        else:
            event.acceptProposedAction()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._highlight(None)
        super().dragLeaveEvent(event)

    def dropEvent(self, event: QDropEvent) -> None:
        self._highlight(None)
        index = self.row_at(event.position().toPoint())
        paths = local_paths(event.mimeData())
        if index is None or not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.add_files(index, paths)

    def _highlight(self, index: int | None) -> None:
        if index == self._drop_row:
            return
        self._drop_row = index
        for row in self.rows:
            row.name_label.setStyleSheet("background: #fff3c4;" if row.index == index else "")


class FileDropList(QListWidget):
    """A list of files that also accepts files dropped from the file manager."""

    filesDropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if local_paths(event.mimeData()):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = local_paths(event.mimeData())
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.filesDropped.emit(paths)

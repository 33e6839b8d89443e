"""The counter slips of one dossier on screen (services.slips): preview, "Lưu PDF…" and "In…".

Reached three ways:

* right after an intake is saved — :func:`offer_receipt` opens the dialog titled
  "In giấy tiếp nhận?" with the receipt (mẫu 01) ready to print; "Không in" closes it;
* the "In phiếu" button of the dossier form — :func:`make_slip_button`: a menu with the receipt,
  the supplement request (once one was made) and the refusal / stop / withdrawal slip (when the
  dossier is in that status);
* after a refusal, stop or withdrawal recorded with "Tạo và đính kèm …" ticked in the action
  dialog — :func:`after_action` stores the slip as the dossier's end document
  (``slips.attach_end_document``, which clears END_DOCUMENT_MISSING) and opens it for printing.

A dossier missing what its slip needs shows the list of missing fields, not a half-empty slip.
"""

from __future__ import annotations

import logging
import uuid
from pathlib import Path

from PySide6.QtCore import QSettings
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMenu,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from ..domain.status import Action
from ..services import dossiers, slips
from ..services.context import AppContext
from ..services.views import DossierView
from ..storage.errors import UserFixableError
from .common import show_error, show_message
from .pdf_preview import (
    PdfPreview,
    TempFolder,
    ask_printer,
    ask_save_path,
    default_folder,
    print_pdf,
)

log = logging.getLogger(__name__)

SLIP_LABELS = {
    "receipt": "Giấy tiếp nhận hồ sơ và hẹn trả kết quả (mẫu 01)",
    "supplement": "Phiếu yêu cầu bổ sung, hoàn thiện hồ sơ (mẫu 02)",
    "refusal": "Phiếu từ chối tiếp nhận, giải quyết hồ sơ (mẫu 03)",
    "stop": "Thông báo dừng giải quyết hồ sơ (mẫu 05)",
    "withdrawal": "Phiếu ghi nhận rút hồ sơ",
}
#: The status actions whose slip is the dossier's end document.
END_DOCUMENT_ACTIONS = {Action.TU_CHOI: "refusal", Action.DUNG_XU_LY: "stop", Action.RUT_HO_SO: "withdrawal"}
SETTINGS_PAGE_SIZE = "slips/pageSize"
RED = "color: #b00020;"


def available_kinds(view: DossierView) -> list[str]:
    """The slips this dossier can have now: the receipt always, the supplement request once one
    was made, the refusal / stop / withdrawal slip in that status."""
    kinds = ["receipt"]
    if view.supplements:
        kinds.append("supplement")
    kinds += [kind for kind, status in slips.END_DOCUMENT_KINDS.items() if view.status is status]
    return kinds


class SlipDialog(QDialog):
    """One slip of one dossier: choose the form and A4/A5, look at it, save or print it."""

    def __init__(self, ctx: AppContext, dossier_id: uuid.UUID, kind: str = "receipt",
                 parent: QWidget | None = None, *, offer: bool = False) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.dossier_id = dossier_id
        self.view = dossiers.get_dossier(ctx, dossier_id)
        self.setObjectName("slipDialog")
        self.setSizeGripEnabled(True)
        self.setWindowTitle(self.tr("In giấy tiếp nhận?") if offer
                            else self.tr("In phiếu — hồ sơ {code}").format(code=self.view.code))
        self.temp = TempFolder("motcua-slip-")
        self.missing: list[str] = []
        self.last_saved: Path | None = None
        self.last_printed_pages = 0
        self.missing_box: QMessageBox | None = None

        question = (self.tr("Hồ sơ <b>{code}</b> · {name} đã được tiếp nhận. In giấy tiếp nhận và hẹn trả "
                            "kết quả cho công dân?") if offer
                    else self.tr("Hồ sơ <b>{code}</b> · {name}"))
        header = QLabel(question.format(code=self.view.code, name=self.view.applicant_name))
        header.setObjectName("slipHeader")
        header.setWordWrap(True)
        self.kind_combo = QComboBox()
        self.kind_combo.setObjectName("slipKind")
        kinds = available_kinds(self.view)
        if kind not in kinds:
            kinds.append(kind)  # asked for explicitly: rendering says why it cannot be made
        for key in kinds:
            self.kind_combo.addItem(self.tr(SLIP_LABELS[key]), key)
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(kind))
        self.a4_button = QRadioButton("A4")
        self.a4_button.setObjectName("pageA4")
        self.a5_button = QRadioButton("A5")
        self.a5_button.setObjectName("pageA5")
        self.size_group = QButtonGroup(self)
        self.size_group.addButton(self.a4_button)
        self.size_group.addButton(self.a5_button)
        remembered = str(QSettings().value(SETTINGS_PAGE_SIZE, "A4"))
        (self.a5_button if remembered == "A5" else self.a4_button).setChecked(True)
        sizes = QHBoxLayout()
        sizes.addWidget(self.a4_button)
        sizes.addWidget(self.a5_button)
        sizes.addStretch(1)
        form = QFormLayout()
        form.addRow(self.tr("Mẫu"), self.kind_combo)
        form.addRow(self.tr("Khổ giấy"), sizes)

        self.missing_label = QLabel()
        self.missing_label.setObjectName("missingLabel")
        self.missing_label.setWordWrap(True)
        self.missing_label.setStyleSheet(RED)
        self.missing_label.hide()
        self.status_label = QLabel()
        self.status_label.setObjectName("statusLabel")
        self.status_label.setWordWrap(True)
        self.preview = PdfPreview(self)

        self.print_button = QPushButton(self.tr("In…"))
        self.print_button.setObjectName("printButton")
        self.print_button.setDefault(True)
        self.save_button = QPushButton(self.tr("Lưu PDF…"))
        self.save_button.setObjectName("saveButton")
        self.save_button.setAutoDefault(False)
        self.close_button = QPushButton(self.tr("Không in") if offer else self.tr("Đóng"))
        self.close_button.setObjectName("closeButton")
        self.close_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.print_slip)
        self.save_button.clicked.connect(self.save_pdf)
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.status_label, 1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(header)
        layout.addLayout(form)
        layout.addWidget(self.missing_label)
        layout.addWidget(self.preview, 1)
        layout.addLayout(buttons)
        self.kind_combo.currentIndexChanged.connect(self.render)
        self.size_group.buttonToggled.connect(lambda _button, checked: checked and self.render())
        self._fit_screen()
        self.render()
        self.print_button.setFocus()

    def _fit_screen(self) -> None:
        screen = self.screen()
        if screen is None:
            self.resize(760, 860)
            return
        available = screen.availableGeometry()
        self.resize(min(760, available.width() - 40), min(900, available.height() - 40))

    def kind(self) -> str:
        return str(self.kind_combo.currentData())

    def page_size(self) -> str:
        return "A5" if self.a5_button.isChecked() else "A4"

    def render(self, *_args) -> int:
        """Draw the chosen slip into the preview; returns its pages (0 when it cannot be made)."""
        kind, size = self.kind(), self.page_size()
        QSettings().setValue(SETTINGS_PAGE_SIZE, size)
        self.missing = []
        self.missing_label.hide()
        self.status_label.setText("")
        path = self.temp.new_file(kind)
        try:
            slips.write_slip(self.ctx, kind, self.dossier_id, path, page_size=size)
        except slips.SlipDataMissing as error:
            self._cannot_render()
            self.missing = list(error.missing)
            self.missing_label.setText(
                self.tr("Chưa in được phiếu: còn thiếu") + "\n" + "\n".join(f"• {m}" for m in self.missing))
            self.missing_label.show()
            self.missing_box = show_message(self, self.tr("Chưa in được phiếu"), error.message,
                                            self.tr("Còn thiếu:") + "\n" + "\n".join(f"• {m}" for m in self.missing)
                                            + "\n\n" + error.action, QMessageBox.Icon.Warning)
            return 0
        except Exception as error:  # noqa: BLE001 - shown in plain words; unexpected ones logged
            self._cannot_render()
            self.missing_label.setText(str(getattr(error, "message", "")) or self.tr("Không lập được phiếu."))
            self.missing_label.show()
            self.missing_box = show_error(self, error, self.tr("Không lập được phiếu"))
            return 0
        pages = self.preview.load(path)
        self.print_button.setEnabled(pages > 0)
        self.save_button.setEnabled(pages > 0)
        return pages

    def _cannot_render(self) -> None:
        self.preview.clear()
        self.print_button.setEnabled(False)
        self.save_button.setEnabled(False)

    def save_pdf(self) -> Path | None:
        suggested = default_folder() / slips.slip_file_name(self.kind(), self.view.code)
        target = ask_save_path(self, self.tr("Lưu phiếu"), suggested)
        if target is None:
            return None
        try:
            self.last_saved = slips.write_slip(self.ctx, self.kind(), self.dossier_id, target,
                                               page_size=self.page_size())
        except Exception as error:  # noqa: BLE001 - shown in plain words; unexpected ones logged
            show_error(self, error, self.tr("Không lưu được phiếu"))
            return None
        self.status_label.setText(self.tr("Đã lưu vào {path}").format(path=self.last_saved))
        return self.last_saved

    def print_slip(self) -> bool:
        pages = self.preview.page_count()
        if pages == 0:
            return False
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(slips.slip_file_name(self.kind(), self.view.code))
        if not ask_printer(self, printer, pages):
            return False
        try:
            self.last_printed_pages = print_pdf(self.preview.document, printer)
        except UserFixableError as error:
            show_error(self, error, self.tr("Không in được"))
            return False
        self.status_label.setText(self.tr("Đã gửi {count} trang tới máy in.").format(count=self.last_printed_pages))
        return True

    def done(self, result: int) -> None:
        self.preview.clear()
        self.temp.cleanup()
        super().done(result)


def open_slip(parent: QWidget, ctx: AppContext, dossier_id: uuid.UUID, kind: str, *,
              offer: bool = False) -> SlipDialog | None:
    """Open the slip dialog window-modal over ``parent`` (kept as ``parent.slip_dialog``)."""
    try:
        dialog = SlipDialog(ctx, dossier_id, kind, parent, offer=offer)
    except Exception as error:  # noqa: BLE001 - e.g. the dossier was deleted meanwhile
        show_error(parent, error, parent.tr("Không mở được phiếu"))
        return None
    old = getattr(parent, "slip_dialog", None)
    if isinstance(old, QDialog) and not old.isVisible():
        old.deleteLater()
    parent.slip_dialog = dialog  # type: ignore[attr-defined]
    dialog.open()
    return dialog


def offer_receipt(parent: QWidget, ctx: AppContext, code: str) -> SlipDialog | None:
    """After an intake is saved: "In giấy tiếp nhận?" with the receipt ready to print."""
    try:
        view = dossiers.find_by_code(ctx, code)
    except Exception:
        log.warning("Receipt offer: cannot read the new dossier", exc_info=True)
        return None
    if view is None:
        return None
    return open_slip(parent, ctx, view.id, "receipt", offer=True)


def make_slip_button(form: QWidget) -> QPushButton:
    """"In phiếu" for the dossier form (which has ``ctx``, ``dossier_id`` and ``view``): a menu
    of the slips the dossier can have now, read each time it opens."""
    button = QPushButton(form.tr("In phiếu"), form)
    button.setObjectName("slipButton")
    button.setAutoDefault(False)
    button.setToolTip(form.tr("In giấy tiếp nhận, phiếu yêu cầu bổ sung, phiếu từ chối, thông báo dừng…"))
    menu = QMenu(button)
    menu.setObjectName("slipMenu")
    button.setMenu(menu)

    def fill() -> None:
        menu.clear()
        for kind in available_kinds(form.view):  # type: ignore[attr-defined]
            action = menu.addAction(form.tr(SLIP_LABELS[kind]) + "…")
            action.setObjectName(f"slip_{kind}")
            action.triggered.connect(
                lambda _=False, k=kind: open_slip(form, form.ctx, form.dossier_id, k))  # type: ignore[attr-defined]

    menu.aboutToShow.connect(fill)
    fill()
    return button


def after_action(form: QWidget, action_dialog: QWidget, data: object) -> SlipDialog | None:
    """After a refusal / stop / withdrawal was recorded from ``action_dialog`` with "Tạo và đính
    kèm …" ticked: attach the slip as the end document, show the form's new state, open the slip
    for printing. The action itself stays recorded whatever happens here."""
    action = getattr(data, "action", None)
    kind = END_DOCUMENT_ACTIONS.get(Action(action)) if action is not None else None
    box = getattr(action_dialog, "make_document_box", None)
    if kind is None or box is None or not box.isChecked():
        return None
    ctx, dossier_id = form.ctx, form.dossier_id  # type: ignore[attr-defined]
    try:
        slips.attach_end_document(ctx, dossier_id, kind)
        view = dossiers.get_dossier(ctx, dossier_id)
    except Exception as error:  # noqa: BLE001 - shown in plain words; unexpected ones logged
        show_error(form, error, form.tr("Đã ghi nhận thao tác, nhưng chưa tạo được văn bản"))
        return None
    form._succeeded(view, form.tr("Đã ghi nhận “{action}” và đính kèm {slip}.").format(  # type: ignore[attr-defined]
        action=form.tr(Action(action).label), slip=form.tr(SLIP_LABELS[kind]).split(" (")[0].lower()))
    return open_slip(form, ctx, dossier_id, kind)


__all__ = ["END_DOCUMENT_ACTIONS", "SLIP_LABELS", "SlipDialog", "after_action", "available_kinds",
           "make_slip_button", "offer_receipt", "open_slip"]

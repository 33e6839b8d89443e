"""The "Báo cáo" menu of the main window — Báo cáo tuần…, Báo cáo tháng…, Tổng kết chiến dịch…
(ui.report_dialog) and "In phiếu của hồ sơ đang chọn…" (ui.slip_dialog) — and the receipt offered
right after an intake is saved (:meth:`ReportActions.offer_receipt`)."""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QMainWindow, QMenu, QMenuBar

from .common import show_error

log = logging.getLogger(__name__)


class ReportActions(QObject):
    """Owns the menu's actions and the dialogs they open (kept as attributes for tests)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.report_dialog: QDialog | None = None
        self.actions: dict[str, QAction] = {}
        for kind, text in (("weekly", self.tr("Báo cáo &tuần…")), ("monthly", self.tr("Báo cáo t&háng…")),
                           ("campaign", self.tr("Tổng kết &chiến dịch…"))):
            action = QAction(text, window)
            action.setObjectName(f"report_{kind}")
            action.triggered.connect(lambda _=False, k=kind: self.open_report(k))
            self.actions[kind] = action
        self.actions["weekly"].setToolTip(self.tr("Báo cáo tuần theo mẫu Nghị định 30: xem trước, lưu PDF, in"))
        self.slip_action = QAction(self.tr("In &phiếu của hồ sơ đang chọn…"), window)
        self.slip_action.setObjectName("slipAction")
        self.slip_action.triggered.connect(self.open_slip)

    def make_menu(self, bar: QMenuBar) -> QMenu:
        menu = bar.addMenu(self.tr("&Báo cáo"))
        menu.setObjectName("reportMenu")
        for action in self.actions.values():
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(self.slip_action)
        return menu

    def open_report(self, kind: str = "weekly") -> QDialog | None:
        if self.report_dialog is not None and self.report_dialog.isVisible():
            self.report_dialog.set_kind(kind)  # type: ignore[attr-defined]
            self.report_dialog.raise_()
            return self.report_dialog
        try:
            from .report_dialog import ReportDialog

            dialog = ReportDialog(self.ctx, self.window, kind)
        except Exception as error:  # noqa: BLE001 - shown in plain words; unexpected ones logged
            show_error(self.window, error, self.tr("Không mở được báo cáo"))
            return None
        if self.report_dialog is not None:
            self.report_dialog.deleteLater()
        self.report_dialog = dialog
        dialog.open()
        return dialog

    def open_slip(self) -> QDialog | None:
        dossier_id = self.window.selected_dossier_id()  # type: ignore[attr-defined]
        if dossier_id is None:
            self.window.statusBar().showMessage(self.tr("Hãy chọn một hồ sơ trong danh sách."), 5000)
            return None
        from .slip_dialog import open_slip

        return open_slip(self.window, self.ctx, dossier_id, "receipt")

    def offer_receipt(self, code: str) -> QDialog | None:
        """Right after an intake was saved: the receipt, ready to print ("Không in" closes it)."""
        try:
            from .slip_dialog import offer_receipt
        except ImportError:  # an older bundle without the slips: the intake is saved anyway
            log.warning("Slip dialog not available", exc_info=True)
            return None
        return offer_receipt(self.window, self.ctx, code)


__all__ = ["ReportActions"]

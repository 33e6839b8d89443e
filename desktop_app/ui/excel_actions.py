"""The "Excel" menu of the main window (issue 5): import dossiers from Excel, the import template,
the Excel exports (the filtered list, statistics, Sổ theo dõi hồ sơ, Mẫu biểu 02, the procedure
catalogue), the hamlet census figures for Mẫu biểu 02, importing the catalogue back (lãnh đạo,
quản trị) and the USB package. Long work runs off the UI thread in the dialogs it opens.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QFileDialog, QMainWindow, QMenu, QMenuBar, QMessageBox

from ..domain.roles import Permission
from ..services import accounts
from .background_job import BackgroundJob
from .common import show_error, show_message

log = logging.getLogger(__name__)

TEMPLATE_NAME = "mau-nhap-ho-so.xlsx"


class ExcelActions(QObject):
    """Owns the actions of the Excel menu and the dialogs they open (kept as attributes for tests)."""

    def __init__(self, window: QMainWindow) -> None:
        super().__init__(window)
        self.window = window
        self.ctx = window.ctx
        self.import_dialog: QDialog | None = None
        self.export_dialog: QDialog | None = None
        self.usb_wizard: QDialog | None = None
        self.census_dialog: QDialog | None = None
        self.catalogue_box: QMessageBox | None = None
        self.catalogue_job: BackgroundJob | None = None

        def action(text: str, name: str, slot, tip: str = "") -> QAction:
            made = QAction(text, window)
            made.setObjectName(name)
            if tip:
                made.setToolTip(tip)
                made.setStatusTip(tip)
            made.triggered.connect(slot)
            return made

        self.import_action = action(self.tr("&Nhập hồ sơ từ Excel…"), "importExcelAction", self.import_dossiers,
                                    self.tr("Nhập hồ sơ từ mẫu nhập, danh sách hồ sơ của tỉnh, danh sách thu phí "
                                            "hoặc sổ theo dõi hồ sơ (xem trước rồi mới ghi)"))
        self.import_action.setShortcut(QKeySequence("Ctrl+I"))
        self.template_action = action(self.tr("Tải &mẫu nhập…"), "templateAction", self.save_template,
                                      self.tr("Lưu mẫu Excel để nhập hồ sơ (kèm trang hướng dẫn từng cột)"))
        self.export_list_action = action(self.tr("Xuất &danh sách hồ sơ…"), "exportDossiersAction",
                                         lambda: self.open_export("dossiers"),
                                         self.tr("Xuất danh sách hồ sơ đang lọc ra Excel"))
        self.export_stats_action = action(self.tr("Xuất &thống kê…"), "exportStatsAction",
                                          lambda: self.open_export("stats"))
        self.export_register_action = action(self.tr("Xuất &Sổ theo dõi…"), "exportRegisterAction",
                                             lambda: self.open_export("so-theo-doi"))
        self.export_mau02_action = action(self.tr("Xuất Mẫu biểu &02…"), "exportMau02Action",
                                          lambda: self.open_export("mau-02"))
        self.export_catalogue_action = action(self.tr("Xuất danh mục thủ tục…"), "exportCatalogueAction",
                                              lambda: self.open_export("catalogue"))
        self.census_action = action(self.tr("Số liệu thôn/xóm (Mẫu 02)…"), "censusAction", self.open_census,
                                    self.tr("Số hộ, số khẩu, số người có và chưa có VNeID của từng thôn/xóm"))
        self.import_catalogue_action = action(self.tr("Nhập danh mục thủ tục…"), "importCatalogueAction",
                                              self.import_catalogue,
                                              self.tr("Thêm hoặc cập nhật thủ tục từ tệp danh mục (lãnh đạo, "
                                                      "quản trị)"))
        self.usb_action = action(self.tr("Chép sang &USB…"), "usbAction", self.open_usb,
                                 self.tr("Chép báo cáo tuần, các tệp Excel và bản sao lưu ra USB"))

    def make_menu(self, bar: QMenuBar) -> QMenu:
        menu = bar.addMenu(self.tr("&Excel"))
        menu.setObjectName("excelMenu")
        menu.addAction(self.import_action)
        menu.addAction(self.template_action)
        menu.addSeparator()
        for item in (self.export_list_action, self.export_stats_action, self.export_register_action,
                     self.export_mau02_action, self.export_catalogue_action):
            menu.addAction(item)
        menu.addSeparator()
        menu.addAction(self.census_action)
        menu.addAction(self.import_catalogue_action)
        menu.addSeparator()
        menu.addAction(self.usb_action)
        menu.aboutToShow.connect(self.apply_permissions)  # the role may change at the next login
        self.menu = menu
        self.apply_permissions()
        return menu

    def apply_permissions(self) -> None:
        """Importing the catalogue changes what the whole office relies on: lãnh đạo, quản trị."""
        allowed = accounts.can(self.ctx, Permission.EDIT_CATALOGUE)
        self.import_catalogue_action.setEnabled(allowed)
        self.import_catalogue_action.setToolTip(
            self.tr("Thêm hoặc cập nhật thủ tục từ tệp danh mục (lãnh đạo, quản trị)") if allowed
            else self.tr("Chỉ lãnh đạo hoặc quản trị được nhập danh mục thủ tục."))

    # --- helpers -----------------------------------------------------------------------------

    def _show(self, attribute: str, dialog: QDialog) -> QDialog:
        old = getattr(self, attribute)
        if old is not None and not old.isVisible():
            old.deleteLater()
        setattr(self, attribute, dialog)
        dialog.open()
        return dialog

    def _busy(self, attribute: str) -> bool:
        dialog = getattr(self, attribute)
        if dialog is not None and dialog.isVisible():
            dialog.raise_()
            dialog.activateWindow()
            return True
        return False

    # --- import ------------------------------------------------------------------------------

    def import_dossiers(self) -> None:
        from .export_dialog import last_folder
        from .import_dialog import FILE_FILTER, ImportDialog

        if self._busy("import_dialog"):
            return
        name, _ = QFileDialog.getOpenFileName(self.window, self.tr("Chọn tệp Excel để nhập hồ sơ"), last_folder(),
                                              self.tr(FILE_FILTER))
        if not name:
            return
        dialog = ImportDialog(self.ctx, Path(name), self.window)
        dialog.imported.connect(self._imported)
        self._show("import_dialog", dialog)

    def _imported(self, result) -> None:
        self.window.refresh()
        reload_tab = getattr(self.window, "_reload_current_tab", None)
        if reload_tab is not None:
            reload_tab()
        self.window.statusBar().showMessage(
            self.tr("Đã nhập {added} hồ sơ mới, cập nhật {updated} hồ sơ từ “{name}”.").format(
                added=len(result.added), updated=len(result.updated), name=result.file_name), 10000)

    def save_template(self) -> None:
        from ..services.imports import write_template
        from .export_dialog import ask_xlsx_path, offer_open_folder, remember_folder

        path = ask_xlsx_path(self.window, self.tr("Lưu mẫu nhập hồ sơ"), TEMPLATE_NAME)
        if path is None:
            return
        try:
            written = write_template(path)  # a small file: well under the 200 ms of the UI thread
        except Exception as error:  # noqa: BLE001 - shown (show_error logs unexpected ones)
            show_error(self.window, error, self.tr("Không lưu được mẫu nhập"))
            return
        remember_folder(written)
        self.template_box = offer_open_folder(
            self.window, self.tr("Đã lưu mẫu nhập"),
            self.tr("Đã lưu mẫu nhập hồ sơ “{name}”. Trang “Hướng dẫn” giải thích từng cột.").format(name=written.name),
            written)

    # --- exports -----------------------------------------------------------------------------

    def open_export(self, kind: str) -> None:
        from .export_dialog import ExportDialog

        if self._busy("export_dialog"):
            return
        flt = shown = None
        if kind == "dossiers":
            flt = self.window.model.dossier_filter
            shown = self.window.model.rowCount()
        self._show("export_dialog", ExportDialog(self.ctx, kind, self.window, flt=flt, shown_count=shown))

    def open_census(self) -> None:
        from .census_dialog import CensusDialog

        if self._busy("census_dialog"):
            return
        self._show("census_dialog", CensusDialog(self.ctx, self.window))

    def open_usb(self) -> None:
        from .usb_wizard import UsbWizard

        if self._busy("usb_wizard"):
            return
        self._show("usb_wizard", UsbWizard(self.ctx, self.window))

    # --- the procedure catalogue -------------------------------------------------------------

    def import_catalogue(self) -> None:
        """Check the file (a dry run), ask, then add/update the procedures in one transaction."""
        from .export_dialog import last_folder

        if not accounts.can(self.ctx, Permission.EDIT_CATALOGUE):
            show_message(self.window, self.tr("Nhập danh mục thủ tục"),
                         self.tr("Chỉ lãnh đạo hoặc quản trị được nhập danh mục thủ tục."),
                         icon=QMessageBox.Icon.Warning)
            return
        if self.catalogue_job is not None:
            return
        name, _ = QFileDialog.getOpenFileName(self.window, self.tr("Chọn tệp danh mục thủ tục"), last_folder(),
                                              self.tr("Bảng tính Excel (*.xlsx)"))
        if not name:
            return
        self._catalogue_step(Path(name), dry_run=True)

    def _catalogue_step(self, path: Path, *, dry_run: bool) -> None:
        from ..services.catalogue_io import import_catalogue

        ctx = self.ctx
        self.catalogue_job = BackgroundJob(lambda _p, _c: import_catalogue(ctx, path, dry_run=dry_run))
        self.catalogue_job.done.connect(lambda result, error: self._catalogue_done(path, dry_run, result, error))
        self.window.statusBar().showMessage(self.tr("Đang đọc tệp danh mục thủ tục…"))
        self.catalogue_job.start()

    def _catalogue_done(self, path: Path, dry_run: bool, result, error) -> None:
        self.catalogue_job = None
        self.window.statusBar().clearMessage()
        if error is not None:
            show_error(self.window, error, self.tr("Không nhập được danh mục thủ tục"))
            return
        counts = self.tr("Thêm mới: {added} thủ tục\nCập nhật: {updated} thủ tục\nKhông thay đổi: {unchanged} thủ tục")
        counts = counts.format(added=len(result.added), updated=len(result.updated), unchanged=len(result.unchanged))
        if not dry_run:
            self.window.settings_changed()  # the procedure filter and pickers read the catalogue again
            self.catalogue_box = show_message(self.window, self.tr("Đã nhập danh mục thủ tục"),
                                              self.tr("Đã nhập danh mục từ “{name}”.").format(name=path.name), counts)
            return
        if not (result.added or result.updated):
            self.catalogue_box = show_message(self.window, self.tr("Nhập danh mục thủ tục"),
                                              self.tr("Danh mục trong tệp “{name}” giống hệt danh mục đang dùng; "
                                                      "không có gì để nhập.").format(name=path.name), counts)
            return
        box = QMessageBox(QMessageBox.Icon.Question, self.tr("Nhập danh mục thủ tục"),
                          self.tr("Nhập danh mục từ “{name}”?").format(name=path.name),
                          QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No, self.window)
        box.setObjectName("catalogueConfirm")
        box.setInformativeText(counts + "\n\n" + self.tr("Thủ tục không có trong tệp được giữ nguyên."))
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Nhập"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Không nhập"))
        box.setDefaultButton(QMessageBox.StandardButton.No)

        def answered(_result: int) -> None:
            if box.standardButton(box.clickedButton()) == QMessageBox.StandardButton.Yes:
                self._catalogue_step(path, dry_run=False)

        box.finished.connect(answered)
        self.catalogue_box = box
        box.open()


__all__ = ["ExcelActions"]

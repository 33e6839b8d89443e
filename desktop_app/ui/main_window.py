"""The main window: tabs for the dossier list with its filters, the office-wide warnings queue
and the dashboard, and the way into every dialog.

Warnings that depend on the date (overdue, due soon, not synced) are re-evaluated off the UI
thread when the window opens and again when the day changes.

Dialogs written elsewhere (intake, dossier, settings) are imported when first used, so this
window works — and says clearly what is missing — before they exist. They are opened with
``open()`` (window-modal, not blocking) and kept as attributes so tests can drive them.
"""

from __future__ import annotations

import importlib
import logging
import uuid
from importlib import metadata

from PySide6.QtCore import QByteArray, QEvent, QObject, QSettings, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QHeaderView,
    QLabel,
    QMainWindow,
    QMessageBox,
    QFileDialog,
    QSizePolicy,
    QTableView,
    QTabWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..domain.roles import Permission
from ..services import accounts, setup, stats
from ..services import warnings as warnings_service
from ..services.context import AppContext
from ..services.views import ROLE_LABELS
from .backup_actions import BackupActions
from .excel_actions import ExcelActions
from .common import show_error, show_message
from .dossier_table_model import (
    COLUMN_APPLICANT,
    COLUMN_CHANNEL,
    COLUMN_CODE,
    COLUMN_DUE,
    COLUMN_PROCEDURE,
    COLUMN_RECEIVED,
    COLUMN_STATUS,
    COLUMN_WARNINGS,
    DossierTableModel,
)
from .filter_bar import FilterBar
from .officer_picker import OfficerPicker
from .report_actions import ReportActions
from .warnings_queue import WarningsQueueWidget
from .workers import run_in_background, the_bridge

log = logging.getLogger(__name__)

SETTINGS_GEOMETRY = "mainWindow/geometry"
SETTINGS_STATE = "mainWindow/state"
SETTINGS_HEADER = "mainWindow/header-v2"  # v2: the warnings column was added
SETTINGS_TAB = "mainWindow/tab"
#: How often the window looks whether the day has changed (time-dependent warnings).
DAY_CHECK_INTERVAL_MS = 60_000

#: Samples that size the columns by default (the user's own widths are remembered instead).
WIDTH_SAMPLES = {
    COLUMN_CODE: "000.00.53.H48-261123-0001",
    COLUMN_WARNINGS: "Cảnh báo+++",
    COLUMN_APPLICANT: "Nguyễn Thị Phương Thảo",
    COLUMN_CHANNEL: "Bưu chính công ích",
    COLUMN_RECEIVED: "00:00 00/00/0000",
    COLUMN_DUE: "00:00 00/00/0000",
    COLUMN_STATUS: "Yêu cầu bổ sung giấy tờ",
}
DEFAULT_WINDOW_WIDTH = 1280


def format_count(count: int) -> str:
    """``1234`` → ``1.234`` (Vietnamese thousands separator)."""
    return f"{count:,}".replace(",", ".")


def app_version() -> str:
    try:
        return metadata.version("so-mot-cua")
    except metadata.PackageNotFoundError:
        return ""


class MainWindow(QMainWindow):
    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("mainWindow")
        self.intake_dialog: QDialog | None = None
        self.dossier_dialog: QDialog | None = None
        self.settings_dialog: QDialog | None = None
        self.delete_dialog: QDialog | None = None
        self.password_dialog: QDialog | None = None

        self.filter_bar = FilterBar(ctx, self)
        self.model = DossierTableModel(ctx, self, load=False)
        self.model.set_filter(self.filter_bar.current_filter())
        self.table = self._make_table()
        self.officer_picker = OfficerPicker(ctx, self)

        dossier_page = QWidget(self)
        layout = QVBoxLayout(dossier_page)
        layout.setContentsMargins(8, 6, 8, 4)
        layout.setSpacing(6)
        layout.addWidget(self.filter_bar)
        layout.addWidget(self.table, 1)
        self.warnings_queue = WarningsQueueWidget(ctx, self.current_officer_id, self)
        self.dashboard = self._make_dashboard()
        self.tabs = QTabWidget(self)
        self.tabs.setObjectName("mainTabs")
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(dossier_page, self.tr("Hồ sơ"))
        self.tabs.addTab(self.warnings_queue, self.tr("Cảnh báo"))
        self.tabs.addTab(self.dashboard, self.tr("Tổng quan"))
        self.tabs.currentChanged.connect(self._tab_changed)
        self.setCentralWidget(self.tabs)
        self.warnings_queue.openDossier.connect(self.open_dossier)
        self.warnings_queue.changed.connect(self.model.refresh)

        self._make_actions()
        self.backup_actions = BackupActions(self)  # the "Dữ liệu" menu, automatic backups
        self.report_actions = ReportActions(self)  # the "Báo cáo" menu, the receipt after an intake
        self.excel_actions = ExcelActions(self)  # the "Excel" menu: import, exports, USB
        self._make_menus()
        self._make_toolbar()
        self.count_label = QLabel(self)
        self.count_label.setObjectName("countLabel")
        self.officer_label = QLabel(self)
        self.officer_label.setObjectName("officerLabel")
        self.statusBar().addPermanentWidget(self.officer_label)
        self.statusBar().addPermanentWidget(self.count_label)
        self.officer_picker.officerChanged.connect(self._officer_changed)
        self.apply_officer()

        self.filter_bar.filterChanged.connect(self.model.set_filter)
        self.model.countChanged.connect(self._update_count)
        self.model.loadFailed.connect(self._load_failed)
        self.table.doubleClicked.connect(lambda index: self.open_dossier_at(index.row()))
        self.search_shortcut_filter = _SearchKeys(self)
        self.filter_bar.search_edit.installEventFilter(self.search_shortcut_filter)

        self._default_size()
        self._restore_settings()
        self.table.setSortingEnabled(True)
        self.update_title()
        self._update_count(self.model.rowCount())
        self.table.setFocus()

        self._evaluated_day = None
        self._reevaluation_token: object | None = None
        the_bridge().finished.connect(self._reevaluation_done)
        self.day_timer = QTimer(self)
        self.day_timer.setInterval(DAY_CHECK_INTERVAL_MS)
        self.day_timer.timeout.connect(self.check_day_changed)
        self.day_timer.start()
        QTimer.singleShot(0, self.check_day_changed)

    def _make_dashboard(self) -> QWidget:
        try:
            from .dashboard import DashboardWidget
        except ImportError:  # an older bundle without the dashboard: the rest still works
            log.warning("Dashboard not available", exc_info=True)
            placeholder = QLabel(self.tr("Chức năng “Tổng quan” chưa có trong bản cài đặt này."), self)
            placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
            return placeholder
        return DashboardWidget(self.ctx, self)

    # --- warnings that depend on the date ----------------------------------------------------

    def check_day_changed(self) -> None:
        """Re-check time-dependent warnings when the window opens and whenever the day changes."""
        today = self.ctx.clock().date()
        if today == self._evaluated_day or self._reevaluation_token is not None:
            return
        self._reevaluation_token = token = object()
        self.statusBar().showMessage(self.tr("Đang cập nhật cảnh báo theo ngày hôm nay…"))
        ctx = self.ctx
        run_in_background(token, lambda: (today, warnings_service.reevaluate_time_dependent(ctx)))

    def _reevaluation_done(self, token: object, result: object, error: object) -> None:
        if token is not self._reevaluation_token:
            return
        self._reevaluation_token = None
        self.statusBar().clearMessage()
        if error is not None:
            log.error("Re-evaluating warnings failed", exc_info=error)  # type: ignore[arg-type]
            return
        self._evaluated_day = result[0]  # type: ignore[index]
        self.refresh()
        if self.tabs.currentWidget() is self.warnings_queue:
            self.warnings_queue.reload()

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if widget is self.warnings_queue:
            self.warnings_queue.reload()
        elif hasattr(widget, "refresh"):
            widget.refresh()

    # --- building ----------------------------------------------------------------------------

    def _make_table(self) -> QTableView:
        table = QTableView(self)
        table.setObjectName("dossierTable")
        table.setModel(self.model)
        table.setAlternatingRowColors(True)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setWordWrap(False)
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        table.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        vertical = table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(table.fontMetrics().height() + 8)
        header = table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(True)
        header.setSectionsMovable(True)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(COLUMN_RECEIVED, Qt.SortOrder.DescendingOrder)
        metrics = table.fontMetrics()
        padding = 2 * metrics.horizontalAdvance("M")
        widths = {column: metrics.horizontalAdvance(text) + padding for column, text in WIDTH_SAMPLES.items()}
        # the procedure (long names, elided, full name in the tooltip) takes what a 1280-px window has left
        room = DEFAULT_WINDOW_WIDTH - 40 - sum(widths.values())
        widths[COLUMN_PROCEDURE] = max(room, 20 * metrics.horizontalAdvance("0"))
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.setMinimumSectionSize(4 * metrics.horizontalAdvance("0"))
        return table

    def _make_actions(self) -> None:
        self.intake_action = QAction(self.tr("&Tiếp nhận hồ sơ mới…"), self)
        self.intake_action.setObjectName("intakeAction")
        self.intake_action.setShortcut(QKeySequence("Ctrl+N"))
        self.intake_action.setIconText(self.tr("Tiếp nhận (Ctrl+N)"))
        self.intake_action.setToolTip(self.tr("Tiếp nhận hồ sơ mới (Ctrl+N)"))
        self.intake_action.triggered.connect(self.open_intake)

        # Enter opens the selected dossier only while the list has the focus (see the shortcut below);
        # "\t" shows the key in the menu without making Enter a window-wide shortcut.
        self.open_action = QAction(self.tr("&Mở hồ sơ") + "\tEnter", self)
        self.open_action.setObjectName("openAction")
        self.open_action.setIconText(self.tr("Mở hồ sơ (Enter)"))
        self.open_action.triggered.connect(self.open_selected)
        self.open_shortcuts = []
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_selected)
            self.open_shortcuts.append(shortcut)

        self.find_action = QAction(self.tr("T&ìm hồ sơ"), self)
        self.find_action.setObjectName("findAction")
        self.find_action.setShortcut(QKeySequence("Ctrl+F"))
        self.find_action.triggered.connect(self.filter_bar.focus_search)

        self.refresh_action = QAction(self.tr("&Làm mới danh sách"), self)
        self.refresh_action.setObjectName("refreshAction")
        self.refresh_action.setShortcut(QKeySequence("F5"))
        self.refresh_action.triggered.connect(self.refresh)

        self.quit_action = QAction(self.tr("T&hoát"), self)
        self.quit_action.setObjectName("quitAction")
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))
        self.quit_action.triggered.connect(self.close)

        self.settings_action = QAction(self.tr("&Cài đặt…"), self)
        self.settings_action.setObjectName("settingsAction")
        self.settings_action.triggered.connect(self.open_settings)

        self.scoring_action = QAction(self.tr("Nạp &bộ chỉ số 766 mới…"), self)
        self.scoring_action.setObjectName("scoringAction")
        self.scoring_action.triggered.connect(self.load_scoring_file)

        self.password_action = QAction(self.tr("Đổi &mật khẩu…"), self)
        self.password_action.setObjectName("passwordAction")
        self.password_action.triggered.connect(self.change_password)

        self.delete_action = QAction(self.tr("&Xóa hồ sơ…"), self)
        self.delete_action.setObjectName("deleteAction")
        self.delete_action.setToolTip(self.tr("Xóa hồ sơ đang chọn, có ghi lý do (lãnh đạo, quản trị)"))
        self.delete_action.triggered.connect(self.delete_selected)

        self.about_action = QAction(self.tr("&Giới thiệu"), self)
        self.about_action.setObjectName("aboutAction")
        self.about_action.triggered.connect(self.show_about)

    def _make_menus(self) -> None:
        bar = self.menuBar()
        dossier_menu = bar.addMenu(self.tr("&Hồ sơ"))
        dossier_menu.setObjectName("dossierMenu")
        dossier_menu.addAction(self.intake_action)
        dossier_menu.addAction(self.open_action)
        dossier_menu.addSeparator()
        dossier_menu.addAction(self.find_action)
        dossier_menu.addAction(self.refresh_action)
        dossier_menu.addSeparator()
        dossier_menu.addAction(self.delete_action)
        dossier_menu.addSeparator()
        dossier_menu.addAction(self.quit_action)
        settings_menu = bar.addMenu(self.tr("&Cài đặt"))
        settings_menu.setObjectName("settingsMenu")
        settings_menu.addAction(self.settings_action)
        settings_menu.addAction(self.scoring_action)
        settings_menu.addAction(self.password_action)
        self.backup_actions.make_menu(bar)
        self.report_actions.make_menu(bar)
        self.excel_actions.make_menu(bar)
        help_menu = bar.addMenu(self.tr("&Trợ giúp"))
        help_menu.setObjectName("helpMenu")
        help_menu.addAction(self.about_action)

    def _make_toolbar(self) -> None:
        toolbar = QToolBar(self.tr("Thanh công cụ"), self)
        toolbar.setObjectName("mainToolBar")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        toolbar.addAction(self.intake_action)
        toolbar.addAction(self.open_action)
        toolbar.addAction(self.refresh_action)
        spacer = QWidget(toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        toolbar.addWidget(spacer)
        label = QLabel(self.tr("Cán bộ trực:") + " ", toolbar)
        label.setBuddy(self.officer_picker)
        toolbar.addWidget(label)
        toolbar.addWidget(self.officer_picker)
        self.toolbar = toolbar
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, toolbar)

    # --- state -------------------------------------------------------------------------------

    def current_officer_id(self) -> uuid.UUID | None:
        return self.officer_picker.current_officer_id()

    def selected_dossier_id(self) -> uuid.UUID | None:
        index = self.table.currentIndex()
        return self.model.dossier_id(index.row()) if index.isValid() else None

    def update_title(self) -> None:
        profile = setup.get_profile(self.ctx)
        if profile and profile.unit_name:
            title = self.tr("Sổ Một Cửa — {unit}").format(unit=profile.unit_name)
        else:
            title = self.tr("Sổ Một Cửa")
        officer = accounts.current_officer(self.ctx) if self.logged_in else None
        if officer is not None:
            title += f" — {officer.full_name}"
        self.setWindowTitle(title)

    # --- who is at work, and what their role may do ------------------------------------------

    def apply_officer(self) -> None:
        """Logged in (accounts on): the picker shows that officer and is locked. Without
        passwords the picker chooses the acting officer. Then actions follow the role."""
        self.logged_in = accounts.accounts_enabled(self.ctx) and self.ctx.officer_id is not None
        if self.logged_in:
            self.officer_picker.set_current_officer_id(self.ctx.officer_id)
        else:
            self.ctx.officer_id = self.officer_picker.current_officer_id()
        self.officer_picker.setEnabled(not self.logged_in)
        self.password_action.setVisible(self.logged_in)
        officer = accounts.current_officer(self.ctx)
        if officer is not None and self.logged_in:
            role = ROLE_LABELS.get(officer.role, officer.role)
            self.officer_label.setText(self.tr("Đăng nhập: {name} ({role})").format(name=officer.full_name, role=role))
        else:
            self.officer_label.setText("")
        self.officer_label.setVisible(bool(self.officer_label.text()))
        self.apply_permissions()
        self.update_title()

    def _officer_changed(self, officer_id: uuid.UUID | None) -> None:
        if not self.logged_in:
            self.ctx.officer_id = officer_id

    def apply_permissions(self) -> None:
        for action, permission in (
            (self.settings_action, Permission.EDIT_CATALOGUE),
            (self.scoring_action, Permission.EDIT_SCORING),
            (self.delete_action, Permission.DELETE_DOSSIER),
        ):
            allowed = accounts.can(self.ctx, permission)
            action.setEnabled(allowed)
            action.setVisible(allowed)
        if hasattr(self, "backup_actions"):
            self.backup_actions.apply_permissions()
        editor_button = getattr(self.dashboard, "editor_button", None)  # "Chiến dịch…"
        if editor_button is not None:
            allowed = accounts.can(self.ctx, Permission.EDIT_CAMPAIGNS)
            editor_button.setEnabled(allowed)
            if not allowed:
                editor_button.setToolTip(self.tr("Chỉ lãnh đạo hoặc quản trị được sửa chiến dịch."))

    def _update_count(self, count: int) -> None:
        self.count_label.setText(self.tr("{count} hồ sơ").format(count=format_count(count)))

    def _load_failed(self, error: BaseException) -> None:
        show_error(self, error, self.tr("Không đọc được danh sách hồ sơ"))

    def refresh(self) -> None:
        """Read the list again (after a save), keeping the selected dossier and the scroll position."""
        selected = self.selected_dossier_id()
        current = self.table.currentIndex()
        row, column = (current.row(), current.column()) if current.isValid() else (-1, 0)
        self.model.refresh()
        if selected is None or row < 0 or self.model.rowCount() == 0:
            return
        row = min(row, self.model.rowCount() - 1)
        self.model.row_at(row)  # reads the page around the old position
        found = self.model.cached_row_of(selected)
        if found is not None:
            row = found
        self.table.setCurrentIndex(self.model.index(row, column))

    def _default_size(self) -> None:
        """1280×720, or 95 % of a smaller screen (before any remembered geometry is restored)."""
        width, height = DEFAULT_WINDOW_WIDTH, 720
        screen = self.screen() or QApplication.primaryScreen()
        if screen is not None:
            available = screen.availableGeometry()
            width = min(width, int(available.width() * 0.95))
            height = min(height, int(available.height() * 0.95))
        self.resize(width, height)

    def _restore_settings(self) -> None:
        settings = QSettings()
        geometry = settings.value(SETTINGS_GEOMETRY)
        if isinstance(geometry, QByteArray) and not geometry.isEmpty():
            self.restoreGeometry(geometry)
        state = settings.value(SETTINGS_STATE)
        if isinstance(state, QByteArray) and not state.isEmpty():
            self.restoreState(state)
        tab = settings.value(SETTINGS_TAB)
        if tab is not None and str(tab).isdigit() and int(tab) < self.tabs.count():
            self.tabs.setCurrentIndex(int(tab))
        header_state = settings.value(SETTINGS_HEADER)
        if isinstance(header_state, QByteArray) and not header_state.isEmpty():
            self.table.horizontalHeader().restoreState(header_state)

    def save_settings(self) -> None:
        settings = QSettings()
        settings.setValue(SETTINGS_GEOMETRY, self.saveGeometry())
        settings.setValue(SETTINGS_STATE, self.saveState())
        settings.setValue(SETTINGS_HEADER, self.table.horizontalHeader().saveState())
        settings.setValue(SETTINGS_TAB, self.tabs.currentIndex())
        settings.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.backup_actions.exiting:  # a second click on × while the backup at exit runs
            event.ignore()
            return
        self.backup_actions.backup_at_exit()
        self.save_settings()
        super().closeEvent(event)

    # --- dialogs -----------------------------------------------------------------------------

    def _dialog_class(self, module: str, name: str, feature: str) -> type | None:
        """The dialog class from ``desktop_app.ui.<module>``, or None (after telling the user)."""
        try:
            return getattr(importlib.import_module(f"{__package__}.{module}"), name)
        except (ImportError, AttributeError):
            log.warning("Chưa có %s.%s", module, name, exc_info=True)
            show_message(
                self,
                self.tr("Chưa có chức năng này"),
                self.tr("Chức năng “{feature}” chưa có trong bản cài đặt này.").format(feature=feature),
                self.tr("Hãy cài bản Sổ Một Cửa mới hơn, hoặc báo cho người phụ trách cài đặt."),
                QMessageBox.Icon.Warning,
            )
            return None
        except Exception as error:  # a bug in the dialog's module: logged, shown, app stays up
            show_error(self, error)
            return None

    @staticmethod
    def _replace(old: QDialog | None) -> None:
        if old is not None and not old.isVisible():
            old.deleteLater()

    def open_intake(self) -> None:
        if self.intake_dialog is not None and self.intake_dialog.isVisible():
            self.intake_dialog.raise_()
            self.intake_dialog.activateWindow()
            return
        cls = self._dialog_class("intake_dialog", "IntakeDialog", self.tr("Tiếp nhận hồ sơ"))
        if cls is None:
            return
        try:
            dialog = cls(self.ctx, self.current_officer_id(), self)
        except Exception as error:
            show_error(self, error)
            return
        dialog.saved.connect(self._intake_saved)
        self._replace(self.intake_dialog)
        self.intake_dialog = dialog
        dialog.open()

    def _intake_saved(self, code: str) -> None:
        self.refresh()
        self.statusBar().showMessage(self.tr("Đã tiếp nhận hồ sơ {code}").format(code=code), 8000)
        self.report_actions.offer_receipt(code)  # "In giấy tiếp nhận?"

    def open_selected(self) -> None:
        index = self.table.currentIndex()
        if not index.isValid():
            self.statusBar().showMessage(self.tr("Hãy chọn một hồ sơ trong danh sách."), 5000)
            return
        self.open_dossier_at(index.row())

    def open_dossier_at(self, row: int) -> None:
        dossier_id = self.model.dossier_id(row)
        if dossier_id is not None:
            self.open_dossier(dossier_id)

    def open_dossier(self, dossier_id: uuid.UUID) -> None:
        cls = self._dialog_class("dossier_dialog", "DossierDialog", self.tr("Mở hồ sơ"))
        if cls is None:
            return
        try:
            dialog = cls(self.ctx, dossier_id, self.current_officer_id(), self)
        except Exception as error:
            show_error(self, error)
            return
        dialog.changed.connect(self.refresh)
        dialog.changed.connect(self._reload_current_tab)
        self._replace(self.dossier_dialog)
        self.dossier_dialog = dialog
        dialog.open()

    def open_settings(self) -> None:
        if self.settings_dialog is not None and self.settings_dialog.isVisible():
            self.settings_dialog.raise_()
            return
        cls = self._dialog_class("settings_dialog", "SettingsDialog", self.tr("Cài đặt"))
        if cls is None:
            return
        try:
            dialog = cls(self.ctx, self)
        except Exception as error:
            show_error(self, error)
            return
        dialog.changed.connect(self.settings_changed)
        self._replace(self.settings_dialog)
        self.settings_dialog = dialog
        dialog.open()

    def delete_selected(self) -> None:
        """Ask for the reason and soft-delete the selected dossier (lãnh đạo, quản trị)."""
        index = self.table.currentIndex()
        row = self.model.row_at(index.row()) if index.isValid() else None
        if row is None:
            self.statusBar().showMessage(self.tr("Hãy chọn một hồ sơ trong danh sách."), 5000)
            return
        from .delete_dialog import DeleteDossierDialog

        dialog = DeleteDossierDialog(self.ctx, row.id, row.code, self)
        dialog.deleted.connect(self._dossier_deleted)
        self._replace(self.delete_dialog)
        self.delete_dialog = dialog
        dialog.open()

    def change_password(self) -> None:
        from .login_dialog import ChangePasswordDialog

        dialog = ChangePasswordDialog(self.ctx, self)
        dialog.accepted.connect(
            lambda: self.statusBar().showMessage(self.tr("Đã đổi mật khẩu."), 8000))
        self._replace(self.password_dialog)
        self.password_dialog = dialog
        dialog.open()

    def _dossier_deleted(self, code: str) -> None:
        self.refresh()
        self._reload_current_tab()
        self.statusBar().showMessage(self.tr("Đã xóa hồ sơ {code}").format(code=code), 8000)

    def _reload_current_tab(self) -> None:
        if self.tabs.currentWidget() is not self.tabs.widget(0):
            self._tab_changed(self.tabs.currentIndex())

    def load_scoring_file(self) -> None:
        """Put a newer Decision 766 scoring file in force (a bad file changes nothing)."""
        path, _ = QFileDialog.getOpenFileName(
            self, self.tr("Chọn tệp bộ chỉ số 766"), "", self.tr("Tệp bộ chỉ số (*.json)")
        )
        if not path:
            return
        try:
            config = stats.install_scoring_file(self.ctx, path)
        except Exception as error:
            show_error(self, error, self.tr("Không nạp được bộ chỉ số"))
            return
        show_message(
            self, self.tr("Đã nạp bộ chỉ số"),
            self.tr("Từ nay điểm 766 được ước tính theo bộ chỉ số “{version}”.").format(version=config.version),
        )
        self._reload_current_tab()

    def settings_changed(self) -> None:
        """Profile, procedures or officers may have changed: read what the window shows again."""
        self.officer_picker.reload()
        self.apply_officer()
        self.filter_bar.reload_choices()
        self.refresh()

    def show_about(self) -> None:
        version = app_version()
        show_message(
            self,
            self.tr("Giới thiệu"),
            self.tr("Sổ Một Cửa {version}").format(version=version).strip(),
            self.tr(
                "Sổ theo dõi hồ sơ thủ tục hành chính của Bộ phận Một cửa cấp xã, chạy không cần mạng. "
                "Giúp tiếp nhận hồ sơ, theo dõi đến khi trả kết quả, cảnh báo những lỗi làm mất điểm "
                "theo Quyết định 766/QĐ-TTg và in báo cáo tuần."
            ),
        )


class _SearchKeys(QObject):
    """Down arrow in the search box moves to the list, so the keyboard never has to leave home row."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() == Qt.Key.Key_Down and self._window.model.rowCount() > 0:
                table = self._window.table
                table.setFocus(Qt.FocusReason.OtherFocusReason)
                if not table.currentIndex().isValid():
                    table.setCurrentIndex(self._window.model.index(0, 0))
                return True
        return False


__all__ = ["MainWindow", "format_count"]

"""The Settings dialog (Cài đặt): commune profile, officers, holidays, procedure catalogue."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QListWidget,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from ..services.context import AppContext
from .settings.catalogue_page import CataloguePage
from .settings.holidays_page import HolidaysPage
from .settings.officers_page import OfficersPage
from .settings.profile_page import ProfilePage

PAGE_KEYS = ("profile", "officers", "holidays", "catalogue")


class SettingsDialog(QDialog):
    """Pages listed on the left; each page saves on its own button and the dialog emits
    ``changed()`` after any successful save so the main window can refresh."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("settingsDialog")
        self.setWindowTitle(self.tr("Cài đặt"))
        self.setSizeGripEnabled(True)
        self.resize(1100, 700)

        self.profile_page = ProfilePage(ctx)
        self.officers_page = OfficersPage(ctx)
        self.holidays_page = HolidaysPage(ctx)
        self.catalogue_page = CataloguePage(ctx)
        pages = (
            (self.tr("Thông tin đơn vị"), self.profile_page),
            (self.tr("Cán bộ"), self.officers_page),
            (self.tr("Ngày nghỉ, làm bù"), self.holidays_page),
            (self.tr("Danh mục thủ tục"), self.catalogue_page),
        )

        self.page_list = QListWidget()
        self.page_list.setObjectName("pageList")
        self.page_list.setFixedWidth(190)
        self.page_list.setSpacing(2)
        self.page_list.setStyleSheet("QListWidget::item { padding: 6px 4px; }")
        self.stack = QStackedWidget()
        self.stack.setObjectName("pages")
        for title, page in pages:
            self.page_list.addItem(title)
            self.stack.addWidget(page)
            page.saved.connect(self.changed)
        self.page_list.currentRowChanged.connect(self.stack.setCurrentIndex)
        self.page_list.setCurrentRow(0)

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close = buttons.button(QDialogButtonBox.StandardButton.Close)
        close.setText(self.tr("Đóng"))
        close.setAutoDefault(False)
        buttons.rejected.connect(self.reject)

        body = QHBoxLayout()
        body.addWidget(self.page_list)
        body.addWidget(self.stack, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)

    def show_page(self, page: str | int) -> QWidget:
        """Switch to a page by index or key ("profile", "officers", "holidays", "catalogue")."""
        index = PAGE_KEYS.index(page) if isinstance(page, str) else page
        self.page_list.setCurrentRow(index)
        return self.stack.widget(index)

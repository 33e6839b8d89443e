"""The dossier list as a lazy table model: built for 200,000 dossiers.

The model never loads the whole table. ``rowCount`` is one ``COUNT`` query; rows are read a
page at a time (``PAGE_SIZE`` rows, in the current filter and sort order) when the view asks
for them in ``data()``, and only the last few pages are kept (a small LRU cache), as Anki's
browse table does.
"""

from __future__ import annotations

import logging
import uuid
from collections import OrderedDict

from PySide6.QtCore import (
    QAbstractTableModel,
    QCoreApplication,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QT_TRANSLATE_NOOP,
    Signal,
)
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import QApplication, QStyle

from ..domain.rules import RULES_BY_CODE
from ..domain.status import Channel, Status
from ..services import dossiers
from ..services.context import AppContext
from ..storage.dossier_queries import SORT_KEYS, DossierFilter, DossierRow
from .common import fmt_datetime

log = logging.getLogger(__name__)

COLUMN_CODE = 0
COLUMN_WARNINGS = 1
COLUMN_PROCEDURE = 2
COLUMN_APPLICANT = 3
COLUMN_CHANNEL = 4
COLUMN_RECEIVED = 5
COLUMN_DUE = 6
COLUMN_STATUS = 7

_HEADERS = (
    QT_TRANSLATE_NOOP("DossierTableModel", "Mã hồ sơ"),
    QT_TRANSLATE_NOOP("DossierTableModel", "Cảnh báo"),
    QT_TRANSLATE_NOOP("DossierTableModel", "Thủ tục"),
    QT_TRANSLATE_NOOP("DossierTableModel", "Chủ hồ sơ"),
    QT_TRANSLATE_NOOP("DossierTableModel", "Hình thức"),
    QT_TRANSLATE_NOOP("DossierTableModel", "Ngày nhận"),
    QT_TRANSLATE_NOOP("DossierTableModel", "Hẹn trả"),
    QT_TRANSLATE_NOOP("DossierTableModel", "Trạng thái"),
)

#: The sort key of ``storage.dossier_queries`` behind each column.
COLUMN_SORT_KEYS: dict[int, str] = {
    COLUMN_CODE: SORT_KEYS[0],
    COLUMN_WARNINGS: "warnings",
    COLUMN_PROCEDURE: SORT_KEYS[1],
    COLUMN_APPLICANT: SORT_KEYS[2],
    COLUMN_CHANNEL: SORT_KEYS[3],
    COLUMN_RECEIVED: SORT_KEYS[4],
    COLUMN_DUE: SORT_KEYS[5],
    COLUMN_STATUS: SORT_KEYS[6],
}

#: ``data(index, DOSSIER_ID_ROLE)`` is the dossier's UUID.
DOSSIER_ID_ROLE = Qt.ItemDataRole.UserRole + 1

OVERDUE_COLOR = QColor(190, 20, 20)

_warning_icon: QIcon | None = None


def warning_icon() -> QIcon:
    """The style's warning sign (read once, after the QApplication exists)."""
    global _warning_icon
    if _warning_icon is None:
        _warning_icon = QApplication.style().standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning)
    return _warning_icon


def warning_titles(rules: tuple[str, ...]) -> list[str]:
    """The Vietnamese titles of warning rule codes (unknown codes are shown as they are)."""
    return [
        QCoreApplication.translate("Rules", RULES_BY_CODE[code].title) if code in RULES_BY_CODE else code
        for code in rules
    ]

_Index = QModelIndex | QPersistentModelIndex


class DossierTableModel(QAbstractTableModel):
    """Dossiers of one filter, in one sort order, read from the database page by page."""

    COLUMN_CODE = COLUMN_CODE
    COLUMN_WARNINGS = COLUMN_WARNINGS
    COLUMN_PROCEDURE = COLUMN_PROCEDURE
    COLUMN_APPLICANT = COLUMN_APPLICANT
    COLUMN_CHANNEL = COLUMN_CHANNEL
    COLUMN_RECEIVED = COLUMN_RECEIVED
    COLUMN_DUE = COLUMN_DUE
    COLUMN_STATUS = COLUMN_STATUS
    COLUMN_COUNT = len(_HEADERS)

    PAGE_SIZE = 200
    CACHE_PAGES = 8

    #: The number of dossiers matching the filter changed (after a filter, refresh or sort).
    countChanged = Signal(int)
    #: Reading a page failed; the argument is the exception (shown once per reload).
    loadFailed = Signal(object)

    def __init__(self, ctx: AppContext, parent: QObject | None = None, *, page_size: int | None = None,
                 cache_pages: int | None = None, load: bool = True) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._page_size = page_size or self.PAGE_SIZE
        self._cache_pages = max(cache_pages or self.CACHE_PAGES, 1)
        self._filter = DossierFilter()
        self._sort_key = "received_at"
        self._descending = True
        self._count = 0
        self._pages: OrderedDict[int, list[DossierRow]] = OrderedDict()
        self._failed = False
        self._now = ctx.clock()
        if load:
            self._count = self._query_count()

    # --- state -------------------------------------------------------------------------------

    @property
    def dossier_filter(self) -> DossierFilter:
        return self._filter

    @property
    def sort_key(self) -> str:
        return self._sort_key

    @property
    def descending(self) -> bool:
        return self._descending

    @property
    def page_size(self) -> int:
        return self._page_size

    def cached_pages(self) -> list[int]:
        """Page numbers now in the cache, least recently used first."""
        return list(self._pages)

    def set_filter(self, flt: DossierFilter) -> None:
        self._filter = flt
        self._reload()

    def refresh(self) -> None:
        """Read the data again, keeping the view's position (rows are not reset when possible)."""
        self._now = self._ctx.clock()
        self._failed = False
        new_count = self._query_count()
        old_count = self._count
        self._pages.clear()
        if new_count > old_count:
            self.beginInsertRows(QModelIndex(), old_count, new_count - 1)
            self._count = new_count
            self.endInsertRows()
        elif new_count < old_count:
            self.beginRemoveRows(QModelIndex(), new_count, old_count - 1)
            self._count = new_count
            self.endRemoveRows()
        if self._count:
            self.dataChanged.emit(self.index(0, 0), self.index(self._count - 1, self.COLUMN_COUNT - 1))
        self.countChanged.emit(self._count)

    def dossier_id(self, row: int) -> uuid.UUID | None:
        item = self.row_at(row)
        return item.id if item else None

    def row_at(self, row: int) -> DossierRow | None:
        """The dossier shown in ``row`` (reads its page if needed)."""
        if not 0 <= row < self._count:
            return None
        page_number, position = divmod(row, self._page_size)
        page = self._page(page_number)
        return page[position] if position < len(page) else None

    def cached_row_of(self, dossier_id: uuid.UUID) -> int | None:
        """The row of a dossier if it is in a page already read (no query)."""
        for page_number, page in self._pages.items():
            for position, item in enumerate(page):
                if item.id == dossier_id:
                    return page_number * self._page_size + position
        return None

    # --- Qt model API ------------------------------------------------------------------------

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self._count

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            if 0 <= section < self.COLUMN_COUNT:
                return QCoreApplication.translate("DossierTableModel", _HEADERS[section])
            return None
        return str(section + 1)

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid() or index.column() >= self.COLUMN_COUNT:
            return None
        column = index.column()
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if column == COLUMN_WARNINGS:
                return int(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole,
                        Qt.ItemDataRole.ForegroundRole, Qt.ItemDataRole.DecorationRole, DOSSIER_ID_ROLE):
            return None  # answered without touching the database
        if role == Qt.ItemDataRole.DecorationRole and column != COLUMN_WARNINGS:
            return None
        item = self.row_at(index.row())
        if item is None:
            return None
        if role == DOSSIER_ID_ROLE:
            return item.id
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == Qt.ItemDataRole.DecorationRole:
            return warning_icon() if item.warning_count else None
        if role == Qt.ItemDataRole.ForegroundRole:
            if column == COLUMN_DUE and self.is_overdue(item):
                return OVERDUE_COLOR
            return None
        # ToolTipRole
        if column == COLUMN_WARNINGS:
            return self.warnings_tooltip(item)
        if column == COLUMN_PROCEDURE:
            return item.procedure_name
        if column == COLUMN_DUE and self.is_overdue(item):
            return self.tr("Quá hạn: hẹn trả {due}").format(due=fmt_datetime(item.due_at))
        if column == COLUMN_STATUS:
            return _label(Status, item.status)
        if column == COLUMN_CHANNEL:
            return _label(Channel, item.channel)
        if column == COLUMN_APPLICANT and item.officer_name:
            return self.tr("Cán bộ tiếp nhận: {name}").format(name=item.officer_name)
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        key = COLUMN_SORT_KEYS.get(column)
        if key is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        if key == self._sort_key and descending == self._descending:
            return
        self._sort_key, self._descending = key, descending
        self._reload()

    # --- helpers -----------------------------------------------------------------------------

    def warnings_tooltip(self, item: DossierRow) -> str | None:
        """The titles of the dossier's warnings, one a line (None when it has none)."""
        if not item.warning_count:
            return None
        heading = self.tr("{count} cảnh báo làm mất điểm 766:").format(count=item.warning_count)
        return "\n".join([heading, *(f"• {title}" for title in warning_titles(item.warning_rules))])

    def is_overdue(self, item: DossierRow) -> bool:
        return item.due_at is not None and not Status(item.status).is_ended and self._now > item.due_at

    def _display(self, item: DossierRow, column: int) -> str:
        if column == COLUMN_CODE:
            return item.code
        if column == COLUMN_WARNINGS:
            return str(item.warning_count) if item.warning_count else ""
        if column == COLUMN_PROCEDURE:
            return item.procedure_name
        if column == COLUMN_APPLICANT:
            return item.applicant_name
        if column == COLUMN_CHANNEL:
            return _label(Channel, item.channel)
        if column == COLUMN_RECEIVED:
            return fmt_datetime(item.received_at)
        if column == COLUMN_DUE:
            return fmt_datetime(item.due_at)
        return _label(Status, item.status)

    def _reload(self) -> None:
        self.beginResetModel()
        self._pages.clear()
        self._failed = False
        self._now = self._ctx.clock()
        if self._filter.search.strip():
            # the count and the first page in one pass (what a name typed at the counter costs)
            try:
                first, self._count = dossiers.first_page(self._ctx, self._filter, sort_key=self._sort_key,
                                                         descending=self._descending, limit=self._page_size)
                self._pages[0] = first
            except Exception as error:  # noqa: BLE001 - a locked or removed database must not break painting
                self._report(error)
                self._count = 0
        else:
            self._count = self._query_count()
        self.endResetModel()
        self.countChanged.emit(self._count)

    def _query_count(self) -> int:
        try:
            return dossiers.count(self._ctx, self._filter)
        except Exception as error:  # a locked or removed database must not break painting
            self._report(error)
            return 0

    def _page(self, page_number: int) -> list[DossierRow]:
        page = self._pages.get(page_number)
        if page is not None:
            self._pages.move_to_end(page_number)
            return page
        offset, limit, descending = page_number * self._page_size, self._page_size, self._descending
        reverse = offset > self._count // 2
        if reverse:
            # past the middle, read from the other end: the database skips fewer rows (the
            # last page of 200,000 dossiers is then as quick as the first)
            end = min(offset + limit, self._count)
            offset, limit, descending = self._count - end, end - offset, not descending
        try:
            page = dossiers.list_page(
                self._ctx,
                self._filter,
                sort_key=self._sort_key,
                descending=descending,
                offset=offset,
                limit=limit,
            )
            if reverse:
                page.reverse()
        except Exception as error:
            self._report(error)
            page = []
        self._pages[page_number] = page
        while len(self._pages) > self._cache_pages:
            self._pages.popitem(last=False)
        return page

    def _report(self, error: Exception) -> None:
        log.warning("Không đọc được danh sách hồ sơ: %s", type(error).__name__)
        if not self._failed:
            self._failed = True
            self.loadFailed.emit(error)


def _label(enum: type[Status] | type[Channel], value: int) -> str:
    try:
        return enum(value).label
    except ValueError:
        return str(value)


__all__ = [
    "DossierTableModel",
    "DOSSIER_ID_ROLE",
    "COLUMN_CODE",
    "COLUMN_WARNINGS",
    "COLUMN_PROCEDURE",
    "COLUMN_APPLICANT",
    "COLUMN_CHANNEL",
    "COLUMN_RECEIVED",
    "COLUMN_DUE",
    "COLUMN_STATUS",
]

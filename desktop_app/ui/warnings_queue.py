"""The office-wide warnings queue (SPEC §2 step 5): every stored warning with the Decision 766
points the commune would regain this period by fixing it, most first.

The list comes from :func:`services.warnings.open_warnings`, which counts the period and runs
the scoring engine: that takes a second or more on a large database, so it runs on a
``QThreadPool`` thread and the window stays responsive (a busy bar shows meanwhile). The rows sit
in a :class:`WarningsTableModel` behind a :class:`WarningsProxyModel` that filters (rule, "my
dossiers"). Sort keys are computed once per load, on the worker (numbers for the points and the
age, ranks in Vietnamese order for the text columns); a click on a header re-orders the rows in
one Python ``sorted`` over those numbers (stable: equal values keep the service's order), which
stays instant on tens of thousands of rows where a per-comparison ``lessThan`` would not.

Bulk actions are only the safe ones: marking NOT_SYNCED dossiers as entered in the provincial
system (after a confirmation that says how many), and opening a dossier.
"""

from __future__ import annotations

import logging
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QCoreApplication,
    QDate,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSettings,
    QSortFilterProxyModel,
    Qt,
    QT_TRANSLATE_NOOP,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QIcon, QKeySequence, QPainter, QPixmap, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from ..domain.rules import RULES, RULES_BY_CODE
from ..domain.text import sort_key
from ..services import dossiers, setup
from ..services import warnings as warnings_service
from ..services.context import AppContext
from ..services.warnings import WarningItem
from .common import fmt_date, fmt_datetime, show_error, show_message
from .workers import run_in_background, the_bridge

log = logging.getLogger(__name__)

SYNC_RULE = "NOT_SYNCED"
DATE_DELAY_MS = 400
SETTINGS_HEADER = "warningsQueue/header"

COLUMN_CODE = 0
COLUMN_APPLICANT = 1
COLUMN_PROCEDURE = 2
COLUMN_RULE = 3
COLUMN_POINTS = 4
COLUMN_OFFICER = 5
COLUMN_AGE = 6

_HEADERS = (
    QT_TRANSLATE_NOOP("WarningsTableModel", "Mã hồ sơ"),
    QT_TRANSLATE_NOOP("WarningsTableModel", "Chủ hồ sơ"),
    QT_TRANSLATE_NOOP("WarningsTableModel", "Thủ tục"),
    QT_TRANSLATE_NOOP("WarningsTableModel", "Cảnh báo"),
    QT_TRANSLATE_NOOP("WarningsTableModel", "Điểm có thể lấy lại"),
    QT_TRANSLATE_NOOP("WarningsTableModel", "Cán bộ"),
    QT_TRANSLATE_NOOP("WarningsTableModel", "Tuổi"),
)

#: ``data(index, SORT_ROLE)``: a number the proxy compares (equal values keep the service's order).
SORT_ROLE = Qt.ItemDataRole.UserRole + 1
#: ``data(index, RULE_ROLE)``: the warning's rule code.
RULE_ROLE = Qt.ItemDataRole.UserRole + 2
#: ``data(index, DOSSIER_ID_ROLE)``: the dossier's UUID.
DOSSIER_ID_ROLE = Qt.ItemDataRole.UserRole + 3

PERIOD_MONTH = "month"
PERIOD_WEEK = "week"
PERIOD_CUSTOM = "custom"

SEVERITY_COLORS = {"cao": "#c62828", "trung_binh": "#ef6c00", "thap": "#9e9e9e"}
_severity_icons: dict[str, QIcon] = {}


def severity_icon(severity: str) -> QIcon:
    """A small coloured dot: red for high, orange for medium, grey for low severity."""
    icon = _severity_icons.get(severity)
    if icon is None:
        pixmap = QPixmap(12, 12)
        pixmap.fill(Qt.GlobalColor.transparent)
        painter = QPainter(pixmap)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(SEVERITY_COLORS.get(severity, SEVERITY_COLORS["thap"])))
        painter.drawEllipse(1, 1, 10, 10)
        painter.end()
        icon = _severity_icons[severity] = QIcon(pixmap)
    return icon

_Index = QModelIndex | QPersistentModelIndex


# ---------------------------------------------------------------------------- formatting


def format_points(value: Decimal | float | int) -> str:
    """Points the Vietnamese way: ``Decimal("1.25")`` → ``"1,25"``, ``1234.5`` → ``"1.234,50"``."""
    text = f"{Decimal(value).quantize(Decimal('0.01')):,.2f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def format_count(count: int) -> str:
    return f"{count:,}".replace(",", ".")


def age_days(since: datetime, now: datetime) -> int:
    """Whole days from ``since`` to ``now`` by the calendar (never negative)."""
    return max((now.date() - since.date()).days, 0)


def age_text(days: int) -> str:
    if days <= 0:
        return QCoreApplication.translate("WarningsTableModel", "Hôm nay")
    return QCoreApplication.translate("WarningsTableModel", "{0} ngày").format(days)


def rule_title(code: str) -> str:
    rule = RULES_BY_CODE.get(code)
    return QCoreApplication.translate("Rules", rule.title) if rule else code


def period_dates(key: str, today: date, custom: tuple[date, date] | None = None) -> tuple[date, date]:
    """(from, to), inclusive, of the period the points are counted for; never past today."""
    if key == PERIOD_WEEK:
        return today - timedelta(days=today.weekday()), today
    if key == PERIOD_CUSTOM and custom is not None:
        start, end = custom
        return (start, end) if start <= end else (end, start)
    return today.replace(day=1), today


# ---------------------------------------------------------------------------- loading off the UI thread


@dataclass(frozen=True)
class QueueData:
    """What one load produced: the items, in the service's order, and their sort keys."""

    items: list[WarningItem]
    now: datetime
    date_from: date
    date_to: date
    sort_values: dict[int, list[float]]  # column -> one number per item


def build_queue_data(items: list[WarningItem], now: datetime, date_from: date, date_to: date) -> QueueData:
    """Sort keys per column: numbers as they are, text as its rank in Vietnamese order (equal
    texts get equal ranks, so a sort keeps the service's order among them)."""

    def ranks(keys: list) -> list[float]:
        order = {key: rank for rank, key in enumerate(sorted(set(keys)))}
        return [float(order[key]) for key in keys]

    titles = {rule.code: sort_key(rule_title(rule.code)) for rule in RULES}
    values = {
        COLUMN_CODE: ranks([item.code for item in items]),
        COLUMN_APPLICANT: ranks([sort_key(item.applicant_name) for item in items]),
        COLUMN_PROCEDURE: ranks([sort_key(item.procedure_name) for item in items]),
        COLUMN_RULE: ranks([titles.get(item.rule, sort_key(item.rule)) for item in items]),
        COLUMN_POINTS: [float(item.points_at_stake) for item in items],
        COLUMN_OFFICER: ranks([sort_key(item.officer_name) for item in items]),
        COLUMN_AGE: [(now - item.since).total_seconds() for item in items],
    }
    return QueueData(items, now, date_from, date_to, values)


# ---------------------------------------------------------------------------- models


class WarningsTableModel(QAbstractTableModel):
    """The rows of the warnings queue (one per stored warning)."""

    COLUMN_COUNT = len(_HEADERS)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._data: QueueData | None = None
        self._order: list[int] = []  # service positions of the rows, in the shown order
        self._items: list[WarningItem] = []
        self._sort_values: dict[int, list[float]] = {}
        self._now = datetime.min

    def set_data(self, data: QueueData) -> None:
        self.beginResetModel()
        self._data = data
        self._order = list(range(len(data.items)))
        self._apply_order()
        self._now = data.now
        self.endResetModel()

    def _apply_order(self) -> None:
        self._items = [self._data.items[i] for i in self._order]
        self._sort_values = {
            column: [values[i] for i in self._order] for column, values in self._data.sort_values.items()
        }

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Order the rows by ``column`` (equal values keep the order the service gave)."""
        values = self._data.sort_values.get(column) if self._data is not None else None
        if values is None:
            return
        descending = order == Qt.SortOrder.DescendingOrder
        new_order = sorted(range(len(values)), key=values.__getitem__, reverse=descending)
        if new_order == self._order:
            return
        self.layoutAboutToBeChanged.emit()
        new_rows = {original: row for row, original in enumerate(new_order)}
        persistent = self.persistentIndexList()
        moved = [
            self.index(new_rows[self._order[index.row()]], index.column()) if index.isValid() else QModelIndex()
            for index in persistent
        ]
        self._order = new_order
        self._apply_order()
        self.changePersistentIndexList(persistent, moved)
        self.layoutChanged.emit()

    def item(self, row: int) -> WarningItem | None:
        return self._items[row] if 0 <= row < len(self._items) else None

    def items(self) -> list[WarningItem]:
        return list(self._items)

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if orientation != Qt.Orientation.Horizontal or not 0 <= section < self.COLUMN_COUNT:
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return QCoreApplication.translate("WarningsTableModel", _HEADERS[section])
        if role == Qt.ItemDataRole.ToolTipRole and section == COLUMN_POINTS:
            return self.tr("Điểm Quyết định 766 xã lấy lại được trong kỳ nếu sửa cảnh báo này")
        if role == Qt.ItemDataRole.ToolTipRole and section == COLUMN_AGE:
            return self.tr("Số ngày kể từ khi cảnh báo xuất hiện")
        return None

    def flags(self, index: _Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemNeverHasChildren

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if not index.isValid():
            return None
        row, column = index.row(), index.column()
        if not (0 <= row < len(self._items) and 0 <= column < self.COLUMN_COUNT):
            return None
        if role == SORT_ROLE:
            values = self._sort_values.get(column)
            return values[row] if values is not None else None
        item = self._items[row]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(item, column)
        if role == RULE_ROLE:
            return item.rule
        if role == DOSSIER_ID_ROLE:
            return item.dossier_id
        if role == Qt.ItemDataRole.TextAlignmentRole and column in (COLUMN_POINTS, COLUMN_AGE):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.DecorationRole and column == COLUMN_RULE:
            rule = RULES_BY_CODE.get(item.rule)
            return severity_icon(rule.severity) if rule else None
        if role == Qt.ItemDataRole.ToolTipRole:
            return self._tooltip(item, column)
        return None

    def _display(self, item: WarningItem, column: int) -> str:
        if column == COLUMN_CODE:
            return item.code
        if column == COLUMN_APPLICANT:
            return item.applicant_name
        if column == COLUMN_PROCEDURE:
            return item.procedure_name
        if column == COLUMN_RULE:
            return rule_title(item.rule)
        if column == COLUMN_POINTS:
            return format_points(item.points_at_stake)
        if column == COLUMN_OFFICER:
            return item.officer_name or "—"
        return age_text(age_days(item.since, self._now))

    def _tooltip(self, item: WarningItem, column: int) -> str | None:
        if column == COLUMN_RULE:
            rule = RULES_BY_CODE.get(item.rule)
            if rule is None:
                return None
            level = {"cao": self.tr("cao"), "trung_binh": self.tr("trung bình"), "thap": self.tr("thấp")}
            return "{0}\n{1}".format(
                QCoreApplication.translate("Rules", rule.explanation),
                self.tr("Mức độ: {0}").format(level.get(rule.severity, rule.severity)),
            )
        if column == COLUMN_PROCEDURE:
            return item.procedure_name
        if column == COLUMN_AGE:
            return self.tr("Cảnh báo từ {since} · nhận hồ sơ {received}").format(
                since=fmt_datetime(item.since), received=fmt_datetime(item.received_at)
            )
        if column == COLUMN_POINTS and not item.points_at_stake:
            return self.tr("Sửa cảnh báo này không đổi điểm của kỳ (nhưng vẫn nên sửa)")
        return None


class WarningsProxyModel(QSortFilterProxyModel):
    """Filters the queue by rule and by officer. Sorting is handed to the source model (see the
    module's docstring); the proxy keeps the source's order, so ``sort_column`` and
    ``sort_order`` say what the rows are sorted by."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._rule: str | None = None
        self._officer_name: str | None = None
        self.sort_column = -1
        self.sort_order = Qt.SortOrder.AscendingOrder
        self.setSortRole(SORT_ROLE)
        self.setDynamicSortFilter(True)

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if not isinstance(model, WarningsTableModel):
            super().sort(column, order)
            return
        self.sort_column, self.sort_order = column, order
        model.sort(column, order)

    def resort(self) -> None:
        """Apply the current sort again (after the source got new rows)."""
        if self.sort_column >= 0:
            model = self.sourceModel()
            if isinstance(model, WarningsTableModel):
                model.sort(self.sort_column, self.sort_order)

    @property
    def rule(self) -> str | None:
        return self._rule

    def set_rule(self, rule: str | None) -> None:
        if rule != self._rule:
            self.beginFilterChange()
            self._rule = rule
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def set_officer_name(self, name: str | None) -> None:
        if name != self._officer_name:
            self.beginFilterChange()
            self._officer_name = name
            self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: _Index) -> bool:  # noqa: N802 - Qt override
        model = self.sourceModel()
        if not isinstance(model, WarningsTableModel):
            return True
        item = model.item(source_row)
        if item is None:
            return False
        if self._rule is not None and item.rule != self._rule:
            return False
        return self._officer_name is None or item.officer_name == self._officer_name


# ---------------------------------------------------------------------------- the widget


class WarningsQueueWidget(QWidget):
    """The warnings queue; the main window shows it in its "Cảnh báo" tab."""

    #: The officer wants to open (and fix) this dossier.
    openDossier = Signal(object)  # uuid.UUID
    #: Dossiers were changed from the queue (the dossier list should be read again).
    changed = Signal()
    #: A load finished and its rows are shown (also after a failed load).
    loaded = Signal()

    def __init__(self, ctx: AppContext, officer_id_provider: Callable[[], uuid.UUID | None],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("warningsQueue")
        self._ctx = ctx
        self._officer_id_provider = officer_id_provider
        self._token: object | None = None
        self._busy_jobs = 0
        self._loaded_once = False
        self._data: QueueData | None = None
        self._pending: set[object] = set()
        self._syncing = False
        self._ignored = 0
        self.confirm_box: QMessageBox | None = None
        self.message_box: QMessageBox | None = None

        self.model = WarningsTableModel(self)
        self.proxy = WarningsProxyModel(self)
        self.proxy.setSourceModel(self.model)

        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("queuePeriodCombo")
        for label, key in (
            (self.tr("Tháng này"), PERIOD_MONTH),
            (self.tr("Tuần này"), PERIOD_WEEK),
            (self.tr("Tùy chọn…"), PERIOD_CUSTOM),
        ):
            self.period_combo.addItem(label, key)
        self.period_combo.setToolTip(self.tr("Kỳ dùng để tính điểm có thể lấy lại"))
        today = ctx.clock().date()
        self.date_from = self._date_edit("queueDateFrom", today.replace(day=1))
        self.date_to = self._date_edit("queueDateTo", today)
        self.date_from.setToolTip(self.tr("Từ ngày"))
        self.date_to.setToolTip(self.tr("Đến ngày"))
        self.dash_label = QLabel("–", self)

        self.rule_combo = QComboBox(self)
        self.rule_combo.setObjectName("queueRuleCombo")
        self.rule_combo.setAccessibleName(self.tr("Loại cảnh báo"))
        self.rule_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self._fill_rule_combo(Counter())

        self.mine_box = QCheckBox(self.tr("Chỉ hồ sơ của tôi"), self)
        self.mine_box.setObjectName("queueMineBox")
        self.mine_box.setToolTip(self.tr("Chỉ hiện hồ sơ do cán bộ đang làm việc tiếp nhận"))

        self.busy_bar = QProgressBar(self)
        self.busy_bar.setObjectName("queueBusyBar")
        self.busy_bar.setRange(0, 0)  # no known end: an animated "working" bar
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumWidth(120)
        self.busy_bar.setMaximumHeight(14)
        self.busy_label = QLabel(self.tr("Đang tính điểm…"), self)
        self.busy_label.setObjectName("queueBusyLabel")
        self.reload_button = QPushButton(self.tr("Tải lại"), self)
        self.reload_button.setObjectName("queueReloadButton")
        self.reload_button.setToolTip(self.tr("Đọc lại cảnh báo và tính lại điểm"))

        self.table = QTableView(self)
        self.table.setObjectName("warningsTable")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setAlternatingRowColors(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        vertical = self.table.verticalHeader()
        vertical.hide()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        header = self.table.horizontalHeader()
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionsMovable(True)
        self._size_columns()
        self.table.sortByColumn(COLUMN_POINTS, Qt.SortOrder.DescendingOrder)

        self.summary_label = QLabel(self)
        self.summary_label.setObjectName("queueSummary")
        self.selection_label = QLabel(self)
        self.selection_label.setObjectName("queueSelection")
        self.selection_label.setStyleSheet("color: #555;")
        self.note_label = QLabel(self)
        self.note_label.setObjectName("queueNote")
        self.note_label.setWordWrap(True)
        self.open_button = QPushButton(self.tr("Mở hồ sơ"), self)
        self.open_button.setObjectName("queueOpenButton")
        self.open_button.setToolTip(self.tr("Mở hồ sơ của dòng đang chọn để sửa (nhấp đúp cũng được)"))
        self.sync_button = QPushButton(self.tr("Đánh dấu đã nhập lên hệ thống của tỉnh"), self)
        self.sync_button.setObjectName("queueSyncButton")
        self.sync_button.setToolTip(
            self.tr("Đánh dấu các hồ sơ đã chọn có cảnh báo “{0}” là đã nhập lên hệ thống một cửa của tỉnh")
            .format(rule_title(SYNC_RULE))
        )

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        period_label = QLabel(self.tr("Kỳ tính điểm:"), self)
        period_label.setBuddy(self.period_combo)
        top.addWidget(period_label)
        top.addWidget(self.period_combo)
        top.addWidget(self.date_from)
        top.addWidget(self.dash_label)
        top.addWidget(self.date_to)
        top.addSpacing(10)
        rule_label = QLabel(self.tr("Cảnh báo:"), self)
        rule_label.setBuddy(self.rule_combo)
        top.addWidget(rule_label)
        top.addWidget(self.rule_combo)
        top.addSpacing(10)
        top.addWidget(self.mine_box)
        top.addStretch(1)
        top.addWidget(self.busy_label)
        top.addWidget(self.busy_bar)
        top.addWidget(self.reload_button)

        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.summary_label)
        bottom.addSpacing(12)
        bottom.addWidget(self.selection_label)
        bottom.addSpacing(12)
        bottom.addWidget(self.note_label, 1)
        bottom.addWidget(self.open_button)
        bottom.addWidget(self.sync_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(6)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)

        self._show_custom_dates(False)
        self._show_busy(False)
        self._restore_header()
        self._update_buttons()
        self._update_summary()

        the_bridge().finished.connect(self._job_finished)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        # typing a date changes it once per key: load once the officer stops
        self.date_timer = QTimer(self)
        self.date_timer.setSingleShot(True)
        self.date_timer.setInterval(DATE_DELAY_MS)
        self.date_timer.timeout.connect(self.reload)
        self.date_from.dateChanged.connect(self.date_timer.start)
        self.date_to.dateChanged.connect(self.date_timer.start)
        self.rule_combo.currentIndexChanged.connect(self._rule_changed)
        self.mine_box.toggled.connect(self._mine_toggled)
        self.reload_button.clicked.connect(self.reload)
        self.open_button.clicked.connect(self.open_current)
        self.sync_button.clicked.connect(self.mark_selected_synced)
        self.table.doubleClicked.connect(self._double_clicked)
        # Enter opens the current row while the queue has the focus (not a window-wide shortcut)
        self.open_shortcuts = []
        for key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            shortcut = QShortcut(QKeySequence(key), self.table)
            shortcut.setContext(Qt.ShortcutContext.WidgetShortcut)
            shortcut.activated.connect(self.open_current)
            self.open_shortcuts.append(shortcut)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.table.selectionModel().currentChanged.connect(self._update_buttons)
        self.proxy.rowsInserted.connect(self._update_summary)
        self.proxy.rowsRemoved.connect(self._update_summary)
        self.proxy.modelReset.connect(self._update_summary)
        self.proxy.layoutChanged.connect(self._update_summary)

    # --- building ----------------------------------------------------------------------------

    def _date_edit(self, name: str, value: date) -> QDateEdit:
        edit = QDateEdit(QDate(value.year, value.month, value.day), self)
        edit.setObjectName(name)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        return edit

    def _size_columns(self) -> None:
        metrics = self.table.fontMetrics()
        pad = 2 * metrics.horizontalAdvance("M")
        samples = {
            COLUMN_CODE: "000.00.53.H48-261123-0001",
            COLUMN_APPLICANT: "Nguyễn Thị Phương Thảo",
            COLUMN_PROCEDURE: "Cấp Giấy xác nhận tình trạng hôn nhân",
            COLUMN_RULE: "Chưa nhập / đồng bộ lên hệ thống của tỉnh",
            COLUMN_POINTS: "Điểm có thể lấy lại ▲",
            COLUMN_OFFICER: "Nguyễn Thị Phương",
            COLUMN_AGE: "Hôm nay",
        }
        header = self.table.horizontalHeader()
        for column, text in samples.items():
            icon = 22 if column == COLUMN_RULE else 0  # the severity dot
            header.resizeSection(column, metrics.horizontalAdvance(text) + pad + icon)
        header.setMinimumSectionSize(4 * metrics.horizontalAdvance("0"))
        # the procedure (long names, elided, the full name in the tooltip) takes the room left
        header.setSectionResizeMode(COLUMN_PROCEDURE, QHeaderView.ResizeMode.Stretch)

    def _fill_rule_combo(self, counts: Counter) -> None:
        current = self.rule_combo.currentData()
        self.rule_combo.blockSignals(True)
        try:
            self.rule_combo.clear()
            total = sum(counts.values())
            self.rule_combo.addItem(
                self.tr("Tất cả ({0})").format(format_count(total)) if counts else self.tr("Tất cả"), None
            )
            for rule in RULES:
                title = rule_title(rule.code)
                text = f"{title} ({format_count(counts[rule.code])})" if counts else title
                self.rule_combo.addItem(text, rule.code)
                self.rule_combo.setItemData(
                    self.rule_combo.count() - 1, QCoreApplication.translate("Rules", rule.explanation),
                    Qt.ItemDataRole.ToolTipRole,
                )
            found = self.rule_combo.findData(current) if current is not None else 0
            self.rule_combo.setCurrentIndex(max(found, 0))
        finally:
            self.rule_combo.blockSignals(False)

    # --- period and loading ------------------------------------------------------------------

    def period(self) -> tuple[date, date]:
        key = self.period_combo.currentData()
        custom = (_to_date(self.date_from.date()), _to_date(self.date_to.date()))
        return period_dates(key, self._ctx.clock().date(), custom)

    def is_busy(self) -> bool:
        return self._busy_jobs > 0

    def showEvent(self, event) -> None:  # noqa: N802 - Qt override
        super().showEvent(event)
        if not self._loaded_once and self._token is None:
            self.reload()

    def hideEvent(self, event) -> None:  # noqa: N802 - Qt override
        self._save_header()  # the officer's column widths, for the next time
        super().hideEvent(event)

    def reload(self) -> None:
        """Read the warnings and compute the points again, on a worker thread."""
        self.date_timer.stop()
        date_from, date_to = self.period()
        ctx = self._ctx

        def job() -> QueueData:
            now = ctx.clock()
            items = warnings_service.open_warnings(ctx, date_from, date_to)
            return build_queue_data(items, now, date_from, date_to)

        self._start("load", job)

    def _start(self, kind: str, job: Callable[[], object]) -> None:
        token = (kind, object())
        if kind == "load":
            self._token = token
        self._busy_jobs += 1
        self._show_busy(True)
        self._pending.add(token)
        run_in_background(token, job)

    def _job_finished(self, token: object, result: object, error: object) -> None:
        if token not in self._pending:
            return  # another queue's job
        self._pending.discard(token)
        self._busy_jobs = max(self._busy_jobs - 1, 0)
        self._show_busy(self._busy_jobs > 0)
        kind = token[0] if isinstance(token, tuple) else ""
        if kind == "sync":
            self._sync_finished(result, error)
            return
        if token is not self._token:
            return  # a newer load was started meanwhile
        self._token = None
        self._loaded_once = True
        if error is not None:
            log.warning("Không tải được hàng đợi cảnh báo: %s", type(error).__name__)
            self.message_box = show_error(self, error, self.tr("Không tải được danh sách cảnh báo"))
        elif isinstance(result, QueueData):
            self._apply(result)
        self.loaded.emit()

    def _apply(self, data: QueueData) -> None:
        selected = {(item.dossier_id, item.rule) for item in self.selected_items()}
        self._data = data
        self.model.set_data(data)
        self.proxy.resort()
        self._fill_rule_combo(Counter(item.rule for item in data.items))
        self._restore_selection(selected)
        self._update_summary()
        self._update_buttons()

    def _restore_selection(self, keys: set[tuple[uuid.UUID, str]]) -> None:
        if not keys:
            return
        selection = self.table.selectionModel()
        for row in range(self.proxy.rowCount()):
            index = self.proxy.index(row, 0)
            key = (index.data(DOSSIER_ID_ROLE), index.data(RULE_ROLE))
            if key in keys:
                selection.select(
                    index,
                    selection.SelectionFlag.Select | selection.SelectionFlag.Rows,
                )

    def _show_busy(self, busy: bool) -> None:
        self.busy_bar.setVisible(busy)
        self.busy_label.setVisible(busy)
        self.reload_button.setEnabled(not busy)

    def _period_changed(self) -> None:
        self._show_custom_dates(self.period_combo.currentData() == PERIOD_CUSTOM)
        self.reload()

    def _show_custom_dates(self, visible: bool) -> None:
        for widget in (self.date_from, self.dash_label, self.date_to):
            widget.setVisible(visible)

    # --- filters -----------------------------------------------------------------------------

    def set_rule_filter(self, rule: str | None) -> None:
        found = self.rule_combo.findData(rule) if rule is not None else 0
        self.rule_combo.setCurrentIndex(max(found, 0))

    def _rule_changed(self) -> None:
        self.proxy.set_rule(self.rule_combo.currentData() or None)
        self._update_summary()

    def _mine_toggled(self, checked: bool) -> None:
        name = self._current_officer_name() if checked else None
        if checked and name is None:
            self.note_label.setText(self.tr("Chưa chọn cán bộ đang làm việc."))
            self.mine_box.blockSignals(True)
            self.mine_box.setChecked(False)
            self.mine_box.blockSignals(False)
        self.proxy.set_officer_name(name)
        self._update_summary()

    def _current_officer_name(self) -> str | None:
        officer_id = self._officer_id_provider()
        if officer_id is None:
            return None
        try:
            officers = setup.list_officers(self._ctx, include_inactive=True)
        except Exception as error:  # noqa: BLE001 - shown in plain words
            self.message_box = show_error(self, error)
            return None
        return next((o.full_name for o in officers if o.id == officer_id), None)

    # --- the rows shown and chosen ------------------------------------------------------------

    def visible_items(self) -> list[WarningItem]:
        """The rows as shown: filtered and in the view's order."""
        rows = []
        for row in range(self.proxy.rowCount()):
            item = self.model.item(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            if item is not None:
                rows.append(item)
        return rows

    def selected_items(self) -> list[WarningItem]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        items = []
        for row in rows:
            item = self.model.item(self.proxy.mapToSource(self.proxy.index(row, 0)).row())
            if item is not None:
                items.append(item)
        return items

    def current_item(self) -> WarningItem | None:
        index = self.table.currentIndex()
        if not index.isValid():
            selected = self.table.selectionModel().selectedRows()
            if not selected:
                return None
            index = selected[0]
        return self.model.item(self.proxy.mapToSource(index).row())

    def _update_buttons(self, *_args) -> None:
        selected = self.selected_items()
        syncable = sum(1 for item in selected if item.rule == SYNC_RULE)
        self.open_button.setEnabled(self.current_item() is not None)
        self.sync_button.setEnabled(syncable > 0 and not self._syncing)
        if len(selected) > 1 or syncable:
            self.selection_label.setText(
                self.tr("Đã chọn {0} dòng, {1} chưa nhập lên tỉnh").format(
                    format_count(len(selected)), format_count(syncable)
                )
            )
        else:
            self.selection_label.setText("")

    def _update_summary(self, *_args) -> None:
        items = self.visible_items()
        total = sum((item.points_at_stake for item in items), Decimal(0))
        text = self.tr("{count} cảnh báo · tổng {points} điểm có thể lấy lại").format(
            count=format_count(len(items)), points=format_points(total)
        )
        if self._data is not None:
            start, end = self._data.date_from, self._data.date_to
            span = fmt_date(start) if start == end else f"{fmt_date(start)} – {fmt_date(end)}"
            self.summary_label.setToolTip(self.tr("Điểm tính cho kỳ {0}").format(span))
        self.summary_label.setText(f"<b>{text}</b>")

    # --- actions -----------------------------------------------------------------------------

    def open_current(self) -> None:
        item = self.current_item()
        if item is not None:
            self.openDossier.emit(item.dossier_id)

    def _double_clicked(self, index: QModelIndex) -> None:
        item = self.model.item(self.proxy.mapToSource(index).row())
        if item is not None:
            self.openDossier.emit(item.dossier_id)

    def mark_selected_synced(self) -> QMessageBox | None:
        """Ask, then mark the selected NOT_SYNCED dossiers as entered in the provincial system.

        The question is a non-blocking (window-modal) box kept in :attr:`confirm_box`; the
        dossiers are marked only when the officer answers "Đồng ý". Returns the box (or None
        when there was nothing to mark).
        """
        selected = self.selected_items()
        ids = list(dict.fromkeys(item.dossier_id for item in selected if item.rule == SYNC_RULE))
        ignored = sum(1 for item in selected if item.rule != SYNC_RULE)
        if not ids:
            self.message_box = show_message(
                self,
                self.tr("Không có hồ sơ để đánh dấu"),
                self.tr("Các dòng đã chọn không có cảnh báo “{0}”.").format(rule_title(SYNC_RULE)),
                self.tr("Chọn các dòng có cảnh báo này (lọc “Cảnh báo” theo loại đó cho nhanh)."),
            )
            return None
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Đánh dấu đã nhập lên hệ thống của tỉnh"),
            self.tr("Đánh dấu {0} hồ sơ là đã nhập lên hệ thống một cửa của tỉnh?").format(
                format_count(len(ids))
            ),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("confirmSyncBox")
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Đồng ý"))
        box.button(QMessageBox.StandardButton.Cancel).setText(self.tr("Hủy"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        detail = self.tr("Chỉ đánh dấu khi hồ sơ đã thật sự được nhập trên hệ thống của tỉnh.")
        if ignored:
            detail += " " + self.tr("{0} dòng có cảnh báo khác được bỏ qua.").format(format_count(ignored))
        box.setInformativeText(detail)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.finished.connect(lambda result, ids=ids, ignored=ignored: self._confirmed(result, ids, ignored))
        self.confirm_box = box
        box.open()
        return box

    def _confirmed(self, result: int, ids: list[uuid.UUID], ignored: int) -> None:
        self.confirm_box = None
        if result != QMessageBox.StandardButton.Yes:
            return
        ctx = self._ctx
        self._ignored = ignored
        self._syncing = True
        self.sync_button.setEnabled(False)
        self.note_label.setText(self.tr("Đang đánh dấu {0} hồ sơ…").format(format_count(len(ids))))
        self._start("sync", lambda: dossiers.mark_synced(ctx, ids))

    def _sync_finished(self, result: object, error: object) -> None:
        self._syncing = False
        if error is not None:
            self.note_label.setText("")
            self.message_box = show_error(self, error)  # type: ignore[arg-type]
            self._update_buttons()
            return
        count = int(result or 0)
        note = self.tr("Đã đánh dấu {0} hồ sơ đã nhập lên hệ thống của tỉnh.").format(format_count(count))
        ignored = self._ignored
        if ignored:
            note += " " + self.tr("Bỏ qua {0} dòng có cảnh báo khác.").format(format_count(ignored))
        self.note_label.setText(note)
        self.changed.emit()
        self.reload()

    # --- settings ----------------------------------------------------------------------------

    def _restore_header(self) -> None:
        state = QSettings().value(SETTINGS_HEADER)
        if isinstance(state, QByteArray) and not state.isEmpty():
            header = self.table.horizontalHeader()
            if header.restoreState(state):
                self.table.sortByColumn(COLUMN_POINTS, Qt.SortOrder.DescendingOrder)

    def _save_header(self) -> None:
        QSettings().setValue(SETTINGS_HEADER, self.table.horizontalHeader().saveState())


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


__all__ = [
    "WarningsQueueWidget",
    "WarningsTableModel",
    "WarningsProxyModel",
    "format_points",
    "age_text",
    "period_dates",
]

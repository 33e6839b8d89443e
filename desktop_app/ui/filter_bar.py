"""The filters above the dossier list: status, channel, period, procedure, officer, warnings
and search.

Every change emits :attr:`FilterBar.filterChanged` with a ready :class:`DossierFilter`; typing in
the search box is debounced so that a fast typist does not start a query per key.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QDate, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from ..domain.rules import RULES
from ..domain.status import CHANNEL_LABELS, ENDED_STATUSES, STATUS_LABELS, Status
from ..services import catalogue, setup
from ..services.context import AppContext
from ..storage.dossier_queries import DossierFilter
from .common import fmt_date

SEARCH_DELAY_MS = 250

PERIOD_ALL = "all"
PERIOD_TODAY = "today"
PERIOD_WEEK = "week"
PERIOD_MONTH = "month"
PERIOD_CUSTOM = "custom"

OPEN_STATUSES = frozenset(int(s) for s in Status if s not in ENDED_STATUSES)


def period_range(period: str, today: date) -> tuple[date | None, date | None]:
    """(from, to), both inclusive, of a named period around ``today``; weeks run Monday–Sunday."""
    if period == PERIOD_TODAY:
        return today, today
    if period == PERIOD_WEEK:
        monday = today - timedelta(days=today.weekday())
        return monday, monday + timedelta(days=6)
    if period == PERIOD_MONTH:
        first = today.replace(day=1)
        next_month = (first + timedelta(days=32)).replace(day=1)
        return first, next_month - timedelta(days=1)
    return None, None


def _uuid(value: object) -> uuid.UUID | None:
    # Ids are kept as text in the combos: QComboBox.findData compares Python objects by identity.
    try:
        return uuid.UUID(str(value)) if value else None
    except ValueError:
        return None


def _to_date(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


def _to_qdate(value: date) -> QDate:
    return QDate(value.year, value.month, value.day)


class FilterBar(QWidget):
    """Filter widgets; :meth:`current_filter` is what they select."""

    filterChanged = Signal(object)  # DossierFilter

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._last: DossierFilter | None = None
        self._loading = False

        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("searchEdit")
        self.search_edit.setPlaceholderText(
            self.tr("Tìm theo tên (không cần dấu), mã hồ sơ, số định danh, số điện thoại…")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setToolTip(self.tr("Tìm hồ sơ (Ctrl+F)"))
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self.search_timer.timeout.connect(self._emit)
        self.search_edit.textChanged.connect(self.search_timer.start)
        self.search_edit.returnPressed.connect(self._search_now)

        self.status_combo = QComboBox(self)
        self.status_combo.setObjectName("statusCombo")
        self.status_combo.addItem(self.tr("Tất cả"), frozenset())
        self.status_combo.addItem(self.tr("Đang mở (chưa kết thúc)"), OPEN_STATUSES)
        for status, label in STATUS_LABELS.items():
            self.status_combo.addItem(label, frozenset({int(status)}))

        self.channel_combo = QComboBox(self)
        self.channel_combo.setObjectName("channelCombo")
        self.channel_combo.addItem(self.tr("Tất cả"), None)
        for channel, label in CHANNEL_LABELS.items():
            self.channel_combo.addItem(label, int(channel))

        self.period_combo = QComboBox(self)
        self.period_combo.setObjectName("periodCombo")
        for label, key in (
            (self.tr("Tất cả"), PERIOD_ALL),
            (self.tr("Hôm nay"), PERIOD_TODAY),
            (self.tr("Tuần này"), PERIOD_WEEK),
            (self.tr("Tháng này"), PERIOD_MONTH),
            (self.tr("Tùy chọn…"), PERIOD_CUSTOM),
        ):
            self.period_combo.addItem(label, key)

        today = ctx.clock().date()
        self.date_from = self._date_edit("dateFrom", today.replace(day=1))
        self.date_to = self._date_edit("dateTo", today)
        self.date_from.setToolTip(self.tr("Nhận từ ngày"))
        self.date_to.setToolTip(self.tr("Nhận đến ngày"))
        self.dash_label = QLabel("–", self)

        self.procedure_combo = QComboBox(self)
        self.procedure_combo.setObjectName("procedureCombo")
        self.procedure_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.procedure_combo.setMinimumContentsLength(22)
        self.procedure_combo.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.procedure_combo.view().setTextElideMode(Qt.TextElideMode.ElideRight)
        self.procedure_combo.view().setMinimumWidth(560)

        self.officer_combo = QComboBox(self)
        self.officer_combo.setObjectName("officerFilterCombo")
        self.officer_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.officer_combo.setMinimumContentsLength(14)

        self.warnings_box = QCheckBox(self.tr("Có cảnh báo"), self)
        self.warnings_box.setObjectName("hasWarningsBox")
        self.warnings_box.setToolTip(self.tr("Chỉ hiện hồ sơ có ít nhất một cảnh báo làm mất điểm 766"))

        self.rule_combo = QComboBox(self)
        self.rule_combo.setObjectName("ruleCombo")
        self.rule_combo.setToolTip(self.tr("Chỉ hiện hồ sơ có cảnh báo này"))
        self.rule_combo.setAccessibleName(self.tr("Loại cảnh báo"))
        self.rule_combo.addItem(self.tr("Cảnh báo: Tất cả"), None)
        for rule in RULES:
            self.rule_combo.addItem(QCoreApplication.translate("Rules", rule.title), rule.code)
            self.rule_combo.setItemData(
                self.rule_combo.count() - 1, QCoreApplication.translate("Rules", rule.explanation),
                Qt.ItemDataRole.ToolTipRole,
            )
        # wide enough for the longest title: a cut "Chưa nhập / đồng bộ lên hệ…" reads wrong
        self.rule_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)

        self.clear_button = QPushButton(self.tr("Bỏ lọc"), self)
        self.clear_button.setObjectName("clearFilterButton")
        self.clear_button.setToolTip(self.tr("Bỏ mọi điều kiện lọc và tìm kiếm"))
        self.clear_button.clicked.connect(self.clear)

        self.reload_choices()

        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        search_label = QLabel(self.tr("&Tìm:"), self)
        search_label.setBuddy(self.search_edit)
        top.addWidget(search_label)
        top.addWidget(self.search_edit, 1)
        top.addSpacing(6)
        top.addWidget(self.warnings_box)
        top.addWidget(self.rule_combo)
        top.addWidget(self.clear_button)

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        for text, widget in (
            (self.tr("Trạng thái:"), self.status_combo),
            (self.tr("Hình thức:"), self.channel_combo),
            (self.tr("Kỳ:"), self.period_combo),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget)
        row.addWidget(self.date_from)
        row.addWidget(self.dash_label)
        row.addWidget(self.date_to)
        row.addSpacing(6)
        for text, widget, stretch in (
            (self.tr("Thủ tục:"), self.procedure_combo, 1),
            (self.tr("Cán bộ:"), self.officer_combo, 0),
        ):
            label = QLabel(text, self)
            label.setBuddy(widget)
            row.addWidget(label)
            row.addWidget(widget, stretch)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(top)
        layout.addLayout(row)

        self._show_custom_dates(False)
        for combo in (self.status_combo, self.channel_combo, self.procedure_combo, self.officer_combo,
                      self.rule_combo):
            combo.currentIndexChanged.connect(self._emit)
        self.warnings_box.toggled.connect(self._emit)
        self.period_combo.currentIndexChanged.connect(self._period_changed)
        self.date_from.dateChanged.connect(self._emit)
        self.date_to.dateChanged.connect(self._emit)
        self._last = self.current_filter()

    def _date_edit(self, name: str, value: date) -> QDateEdit:
        edit = QDateEdit(_to_qdate(value), self)
        edit.setObjectName(name)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        return edit

    # --- choices -----------------------------------------------------------------------------

    def reload_choices(self) -> None:
        """Read the procedures and officers again (after Settings), keeping what was selected."""
        procedure_id = self.procedure_combo.currentData()
        officer_id = self.officer_combo.currentData()
        self._loading = True
        try:
            self.procedure_combo.clear()
            self.procedure_combo.addItem(self.tr("Tất cả thủ tục"), None)
            for procedure in catalogue.list_procedures(self._ctx):
                self.procedure_combo.addItem(procedure.name, str(procedure.id))
                self.procedure_combo.setItemData(
                    self.procedure_combo.count() - 1, f"{procedure.code} — {procedure.name}",
                    Qt.ItemDataRole.ToolTipRole,
                )
            self.officer_combo.clear()
            self.officer_combo.addItem(self.tr("Tất cả cán bộ"), None)
            for officer in setup.list_officers(self._ctx, include_inactive=True):
                self.officer_combo.addItem(officer.full_name, str(officer.id))
            self._select_data(self.procedure_combo, procedure_id)
            self._select_data(self.officer_combo, officer_id)
        finally:
            self._loading = False
        self._emit()

    @staticmethod
    def _select_data(combo: QComboBox, value: object) -> None:
        found = combo.findData(value) if value is not None else 0
        combo.setCurrentIndex(max(found, 0))

    # --- the filter --------------------------------------------------------------------------

    def current_filter(self) -> DossierFilter:
        date_from, date_to = self.period()
        return DossierFilter(
            statuses=self.status_combo.currentData() or frozenset(),
            channel=self.channel_combo.currentData(),
            date_from=date_from,
            date_to=date_to,
            procedure_id=_uuid(self.procedure_combo.currentData()),
            officer_id=_uuid(self.officer_combo.currentData()),
            search=self.search_edit.text().strip(),
            has_warnings=self.warnings_box.isChecked(),
            rule=self.rule_combo.currentData() or None,
        )

    def period(self) -> tuple[date | None, date | None]:
        key = self.period_combo.currentData()
        if key == PERIOD_CUSTOM:
            start, end = _to_date(self.date_from.date()), _to_date(self.date_to.date())
            return (start, end) if start <= end else (end, start)
        return period_range(key, self._ctx.clock().date())

    def period_text(self) -> str:
        """The chosen period in words for the status bar, e.g. "01/02/2026 – 28/02/2026"."""
        start, end = self.period()
        if start is None or end is None:
            return ""
        return fmt_date(start) if start == end else f"{fmt_date(start)} – {fmt_date(end)}"

    def clear(self) -> None:
        self._loading = True
        try:
            self.search_edit.clear()
            self.warnings_box.setChecked(False)
            for combo in (self.status_combo, self.channel_combo, self.period_combo,
                          self.procedure_combo, self.officer_combo, self.rule_combo):
                combo.setCurrentIndex(0)
        finally:
            self._loading = False
        self.search_timer.stop()
        self._show_custom_dates(False)
        self._emit()

    def focus_search(self) -> None:
        self.search_edit.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_edit.selectAll()

    def _search_now(self) -> None:
        self.search_timer.stop()
        self._emit()

    def _period_changed(self) -> None:
        self._show_custom_dates(self.period_combo.currentData() == PERIOD_CUSTOM)
        self._emit()

    def _show_custom_dates(self, visible: bool) -> None:
        for widget in (self.date_from, self.dash_label, self.date_to):
            widget.setVisible(visible)

    def _emit(self) -> None:
        if self._loading:
            return
        self.search_timer.stop()
        current = self.current_filter()
        if current != self._last:
            self._last = current
            self.filterChanged.emit(current)


__all__ = ["FilterBar", "period_range", "OPEN_STATUSES", "SEARCH_DELAY_MS"]

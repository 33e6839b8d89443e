"""The dashboard (Tổng quan): where the chosen campaign stands.

Tiles compare each target of the campaign with the actual rate (green / amber / red, with the
words too), a table estimates the Decision 766 points per group (points, the maximum the app
can measure, the official maximum, and the part "không đo được tại đây"), a chart follows the
campaign's rates week by week, and a table lists the five rules costing most points.

The numbers come from :func:`desktop_app.services.campaigns.campaign_progress`, run on a worker
thread (QThreadPool) while a busy label shows, so the window never freezes; a result that
arrives after the officer picked another campaign is dropped. Garbage is collected on the UI
thread before each job starts (see :meth:`DashboardWidget._compute`).
"""

from __future__ import annotations

import gc
import uuid
from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject, QRunnable, Qt, QThreadPool, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from ..domain.campaigns import Light, default_campaign
from ..services import campaigns
from ..services.campaigns import CampaignProgress, GroupPoints, TargetStatus
from ..services.context import AppContext
from .common import error_text, fmt_date
from .rate_chart import RateChart, RateSeries
from .settings import push_button, read_only_table, table_item

#: Rates charted when the campaign has no targets.
DEFAULT_CHART_RATES = ("online_intake", "digitised_components", "online_payment", "satisfaction")
TILE_COLUMNS = 4

LIGHT_STYLES = {  # (border, background, text)
    Light.GREEN: ("#1e7e34", "#e8f5ea", "#14532d"),
    Light.AMBER: ("#c77700", "#fff5e0", "#7a4a00"),
    Light.RED: ("#b3261e", "#fdeceb", "#8c1d18"),
    Light.NO_DATA: ("#9e9e9e", "#f3f3f3", "#555555"),
}
LIGHT_TEXT = {
    Light.GREEN: QT_TRANSLATE_NOOP("Dashboard", "✔ Đạt chỉ tiêu"),
    Light.AMBER: QT_TRANSLATE_NOOP("Dashboard", "▲ Gần đạt (−{0}\u00a0điểm)"),
    Light.RED: QT_TRANSLATE_NOOP("Dashboard", "✖ Chưa đạt (−{0}\u00a0điểm)"),
    Light.NO_DATA: QT_TRANSLATE_NOOP("Dashboard", "Không có dữ liệu"),
}
GROUP_HEADERS = (
    QT_TRANSLATE_NOOP("Dashboard", "Nhóm"),
    QT_TRANSLATE_NOOP("Dashboard", "Điểm"),
    QT_TRANSLATE_NOOP("Dashboard", "Tối đa đo được"),
    QT_TRANSLATE_NOOP("Dashboard", "Tối đa"),
    QT_TRANSLATE_NOOP("Dashboard", "Ghi chú"),
)
G_NAME, G_POINTS, G_MEASURED, G_MAX, G_NOTE = range(5)
RULE_HEADERS = (
    QT_TRANSLATE_NOOP("Dashboard", "Cảnh báo"),
    QT_TRANSLATE_NOOP("Dashboard", "Hồ sơ"),
    QT_TRANSLATE_NOOP("Dashboard", "Điểm có thể lấy lại"),
)
R_TITLE, R_DOSSIERS, R_POINTS = range(3)


def tr(text: str) -> str:
    return QCoreApplication.translate("Dashboard", text)


# ---------------------------------------------------------------------------- number formats


def fmt_number(value: Decimal | float | int, places: int = 0) -> str:
    """Vietnamese style: 1.234,5 (dot for thousands, comma for decimals)."""
    quantum = Decimal(1).scaleb(-places)
    number = Decimal(str(value)).quantize(quantum, rounding=ROUND_HALF_UP)
    text = f"{number:,.{places}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def fmt_percent(value: Decimal | float | int | None, places: int = 1) -> str:
    return "—" if value is None else f"{fmt_number(value, places)} %"


def fmt_target(value: float | int) -> str:
    return f"{fmt_number(value, 0 if float(value).is_integer() else 1)}\u00a0%"


def fmt_points(value: Decimal | None) -> str:
    if value is None:
        return ""
    return fmt_number(value, 0 if value == value.to_integral_value() else 2)


# ---------------------------------------------------------------------------- worker


class _Signals(QObject):
    done = Signal(int, object)  # generation, CampaignProgress
    failed = Signal(int, object)  # generation, exception


class _ProgressJob(QRunnable):
    """Computes a campaign's progress on a pool thread; reports through ``signals``."""

    def __init__(self, ctx: AppContext, campaign_id: uuid.UUID, generation: int, signals: _Signals) -> None:
        super().__init__()
        self.ctx, self.campaign_id, self.generation, self.signals = ctx, campaign_id, generation, signals

    def run(self) -> None:
        try:
            result = campaigns.campaign_progress(self.ctx, self.campaign_id)
        except Exception as error:  # noqa: BLE001 - reported on the screen, never lost in a thread
            self._emit(self.signals.failed, error)
        else:
            self._emit(self.signals.done, result)

    def _emit(self, signal, value) -> None:  # type: ignore[no-untyped-def]
        try:
            signal.emit(self.generation, value)
        except RuntimeError:  # the dashboard was closed meanwhile
            pass


# ---------------------------------------------------------------------------- tiles


class TargetTile(QFrame):
    """One campaign target: the rate's name, the actual %, the target and the state in words."""

    def __init__(self, status: TargetStatus, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.status = status
        self.code = status.code
        self.state = status.light
        self.setObjectName(f"tile_{status.code}")
        self.setProperty("state", status.light.value)
        border, background, text_color = LIGHT_STYLES[status.light]
        self.setStyleSheet(
            f"QFrame#{self.objectName()} {{ background: {background}; border: 1px solid {border};"
            f" border-left: 6px solid {border}; border-radius: 4px; }}"
            f" QLabel {{ border: none; background: transparent; }}"
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)

        value = status.value
        self.title_label = QLabel(status.label)
        self.title_label.setObjectName("tileTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setStyleSheet("color: #222;")
        self.actual_label = QLabel(fmt_percent(value.percent) if value.percent is not None else tr("không có dữ liệu"))
        self.actual_label.setObjectName("tileActual")
        size = 18 if value.percent is not None else 12
        self.actual_label.setStyleSheet(f"font-size: {size}pt; font-weight: bold; color: {text_color};")
        self.target_label = QLabel(
            tr("Chỉ tiêu: {0} · {1}/{2}").format(
                fmt_target(status.target), fmt_number(value.numerator), fmt_number(value.denominator)
            )
        )
        self.target_label.setObjectName("tileTarget")
        self.target_label.setStyleSheet("color: #333;")
        gap = Decimal(str(status.target)) - value.percent if value.percent is not None else Decimal(0)
        self.state_label = QLabel(tr(LIGHT_TEXT[status.light]).format(fmt_number(gap, 1)))
        self.state_label.setObjectName("tileState")
        self.state_label.setWordWrap(True)
        self.target_label.setWordWrap(True)
        self.state_label.setStyleSheet(f"color: {text_color}; font-weight: bold;")
        tooltip = tr("{0}\nThực tế: {1} ({2}/{3}) · chỉ tiêu {4}").format(
            status.label, fmt_percent(value.percent, 2), fmt_number(value.numerator),
            fmt_number(value.denominator), fmt_target(status.target),
        )
        if status.light in (Light.AMBER, Light.RED):
            tooltip += tr("\nCòn thiếu {0} điểm phần trăm so với chỉ tiêu.").format(fmt_number(gap, 1))
        self.setToolTip(tooltip)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 6, 10, 6)
        layout.setSpacing(2)
        layout.addWidget(self.title_label)
        layout.addStretch(1)
        row = QHBoxLayout()
        row.setSpacing(12)
        row.addWidget(self.actual_label, 0, Qt.AlignmentFlag.AlignVCenter)
        words = QVBoxLayout()
        words.setSpacing(0)
        words.addWidget(self.state_label)
        words.addWidget(self.target_label)
        row.addLayout(words, 1)
        layout.addLayout(row)


# ---------------------------------------------------------------------------- dashboard


class DashboardWidget(QWidget):
    """``DashboardWidget(ctx)``; ``refresh()`` reloads the campaigns and recomputes."""

    computed = Signal()  # a result (or an error) has been shown

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("dashboard")
        # the pool first: destroyed first, it waits for a running job before the signals go
        self.pool = QThreadPool(self)
        self.pool.setMaxThreadCount(1)
        self._signals = _Signals(self)
        self._signals.done.connect(self._on_done)
        self._signals.failed.connect(self._on_failed)
        self._generation = 0
        self._running = 0
        self.progress: CampaignProgress | None = None
        self.tiles: list[TargetTile] = []
        self.editor = None

        # header
        self.campaign_combo = QComboBox()
        self.campaign_combo.setObjectName("campaignCombo")
        self.campaign_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContentsOnFirstShow)
        self.campaign_combo.setMinimumContentsLength(40)
        self.campaign_combo.currentIndexChanged.connect(lambda _i: self._compute())
        self.busy_label = QLabel(self.tr("⏳ Đang tính số liệu…"))
        self.busy_label.setObjectName("busyLabel")
        self.busy_label.setStyleSheet("color: #555;")
        self.busy_label.setVisible(False)
        self.refresh_button = push_button(self.tr("Làm mới"), self.refresh, name="refreshButton")
        self.editor_button = push_button(self.tr("Chiến dịch…"), self.open_editor, name="campaignEditorButton")
        self.period_label = QLabel()
        self.period_label.setObjectName("periodLabel")
        self.period_label.setStyleSheet("color: #444;")
        self.period_label.setWordWrap(True)
        self.notice_label = QLabel()
        self.notice_label.setObjectName("noticeLabel")
        self.notice_label.setWordWrap(True)
        self.notice_label.setStyleSheet("color: #7a4a00; font-weight: bold;")
        self.notice_label.setVisible(False)

        header = QHBoxLayout()
        header.addWidget(QLabel(self.tr("Chiến dịch:")))
        header.addWidget(self.campaign_combo, 1)
        header.addWidget(self.busy_label)
        header.addWidget(self.refresh_button)
        header.addWidget(self.editor_button)

        # tiles
        self.tiles_box = QWidget()
        self.tiles_box.setObjectName("tiles")
        self.tiles_layout = QGridLayout(self.tiles_box)
        self.tiles_layout.setContentsMargins(0, 0, 0, 0)
        self.tiles_layout.setHorizontalSpacing(8)
        self.tiles_layout.setVerticalSpacing(8)
        self.no_targets_label = QLabel(
            self.tr("Chiến dịch chưa có chỉ tiêu nào. Bấm “Chiến dịch…” để thêm chỉ tiêu.")
        )
        self.no_targets_label.setStyleSheet("color: #555;")
        self.no_targets_label.setVisible(False)

        # chart
        self.chart = RateChart()
        chart_box = QGroupBox(self.tr("Diễn biến theo tuần (nét đứt: chỉ tiêu)"))
        chart_layout = QVBoxLayout(chart_box)
        chart_layout.setContentsMargins(6, 6, 6, 6)
        chart_layout.addWidget(self.chart)

        # groups
        self.group_table = read_only_table("Dashboard", GROUP_HEADERS, name="groupTable")
        self.group_table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.group_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header_view = self.group_table.horizontalHeader()
        for column in range(len(GROUP_HEADERS)):
            header_view.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(G_NOTE, QHeaderView.ResizeMode.Stretch)
        self.group_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.version_label = QLabel()
        self.version_label.setObjectName("versionLabel")
        self.version_label.setStyleSheet("color: #555;")
        self.version_label.setWordWrap(True)
        groups_box = QGroupBox(self.tr("Điểm Bộ chỉ số 766 ước tính theo nhóm"))
        groups_layout = QVBoxLayout(groups_box)
        groups_layout.setContentsMargins(6, 6, 6, 6)
        groups_layout.addWidget(self.group_table)
        groups_layout.addWidget(self.version_label)

        # rules
        self.rules_table = read_only_table("Dashboard", RULE_HEADERS, name="rulesTable")
        self.rules_table.setSelectionMode(QTableWidget.SelectionMode.NoSelection)
        self.rules_table.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        header_view = self.rules_table.horizontalHeader()
        header_view.setSectionResizeMode(R_TITLE, QHeaderView.ResizeMode.Stretch)
        header_view.setSectionResizeMode(R_DOSSIERS, QHeaderView.ResizeMode.ResizeToContents)
        header_view.setSectionResizeMode(R_POINTS, QHeaderView.ResizeMode.ResizeToContents)
        self.rules_table.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.rules_empty = QLabel(self.tr("Không có cảnh báo nào đang làm mất điểm."))
        self.rules_empty.setStyleSheet("color: #555;")
        self.rules_empty.setVisible(False)
        rules_box = QGroupBox(self.tr("5 lỗi làm mất nhiều điểm nhất"))
        rules_layout = QVBoxLayout(rules_box)
        rules_layout.setContentsMargins(6, 6, 6, 6)
        rules_layout.addWidget(self.rules_table)
        rules_layout.addWidget(self.rules_empty)

        right = QVBoxLayout()
        right.addWidget(groups_box)
        right.addWidget(rules_box)
        right.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(chart_box, 11)
        bottom.addLayout(right, 10)

        content = QWidget()
        body = QVBoxLayout(content)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.period_label)
        body.addWidget(self.notice_label)
        body.addWidget(self.tiles_box)
        body.addWidget(self.no_targets_label)
        body.addLayout(bottom, 1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)

        layout = QVBoxLayout(self)
        layout.addLayout(header)
        layout.addWidget(scroll, 1)
        self.refresh()

    # -- state -------------------------------------------------------------------------------------

    @property
    def busy(self) -> bool:
        return self._running > 0

    def current_campaign_id(self) -> uuid.UUID | None:
        return self.campaign_combo.currentData()

    def wait_idle(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)

    # -- campaigns ---------------------------------------------------------------------------------

    def refresh(self) -> None:
        """Reload the list of campaigns (keeping the one shown) and recompute."""
        try:
            items = campaigns.list_campaigns(self.ctx)
        except Exception as error:  # noqa: BLE001
            self._show_error(error)
            return
        keep = self.current_campaign_id()
        today = self.ctx.clock().date()
        self.campaign_combo.blockSignals(True)
        self.campaign_combo.clear()
        for item in items:
            text = self.tr("{0} ({1} – {2})").format(item.name, fmt_date(item.start_date), fmt_date(item.end_date))
            self.campaign_combo.addItem(text, item.id)
        self.campaign_combo.blockSignals(False)
        chosen = None
        if keep is not None and any(item.id == keep for item in items):
            chosen = keep
        else:
            default = default_campaign(items, today)
            chosen = default.id if default is not None else None
        if chosen is not None:
            self.campaign_combo.blockSignals(True)
            self.campaign_combo.setCurrentIndex(self.index_of(chosen))
            self.campaign_combo.blockSignals(False)
        self._compute()

    def index_of(self, campaign_id: uuid.UUID | None) -> int:
        """The combo row of a campaign (``findData`` compares Python objects by identity)."""
        combo = self.campaign_combo
        return next((i for i in range(combo.count()) if combo.itemData(i) == campaign_id), -1)

    def select_campaign(self, campaign_id: uuid.UUID) -> None:
        index = self.index_of(campaign_id)
        if index >= 0:
            self.campaign_combo.setCurrentIndex(index)

    def open_editor(self) -> None:
        from .campaign_editor import CampaignEditor

        if self.editor is None:
            self.editor = CampaignEditor(self.ctx, self)
            self.editor.changed.connect(self.refresh)
        self.editor.select(self.current_campaign_id())
        self.editor.show()
        self.editor.raise_()
        self.editor.activateWindow()

    # -- computing ---------------------------------------------------------------------------------

    def _compute(self) -> None:
        self._generation += 1
        campaign_id = self.current_campaign_id()
        if campaign_id is None:
            self._show_empty()
            return
        self._running += 1
        self.busy_label.setVisible(True)
        # Collect garbage here, on the UI thread: a collection the worker's allocations trigger
        # would otherwise finalize unreachable Qt objects (closed windows, old widgets) on the
        # worker thread, and destroying a widget off the UI thread crashes the process.
        # When automatic collection is off (ui.qt_fixes.UiThreadGarbageCollector, as in the app)
        # the worker never collects, and a full collection here would freeze the window
        # (~170 ms with a large register: bench/, docs/PERFORMANCE.md).
        if gc.isenabled():
            gc.collect()
        self.pool.start(_ProgressJob(self.ctx, campaign_id, self._generation, self._signals))

    def _finished_one(self) -> None:
        self._running = max(0, self._running - 1)
        self.busy_label.setVisible(self._running > 0)

    def _on_done(self, generation: int, progress: CampaignProgress) -> None:
        self._finished_one()
        if generation != self._generation:
            return  # the officer has picked another campaign since
        self.progress = progress
        self._show(progress)
        self.computed.emit()

    def _on_failed(self, generation: int, error: BaseException) -> None:
        self._finished_one()
        if generation != self._generation:
            return
        self._show_error(error)
        self.computed.emit()

    # -- showing -----------------------------------------------------------------------------------

    def _show_error(self, error: BaseException) -> None:
        message, detail = error_text(error)
        self.notice_label.setText(self.tr("Không tính được số liệu: {0} {1}").format(message, detail).strip())
        self.notice_label.setVisible(True)

    def _show_empty(self) -> None:
        self.progress = None
        self.period_label.setText("")
        self.notice_label.setText(self.tr("Chưa có chiến dịch nào. Bấm “Chiến dịch…” để tạo từ mẫu hoặc tạo mới."))
        self.notice_label.setVisible(True)
        self._set_tiles([])
        self.no_targets_label.setVisible(False)
        self.chart.clear()
        self._fill_groups(None)
        self._fill_rules(None)
        self.computed.emit()

    def _show(self, progress: CampaignProgress) -> None:
        campaign = progress.campaign
        weeks = campaign.weeks
        if progress.started:
            current = len(progress.weeks)
            when = (self.tr("số liệu đến hết {0}") if progress.date_to == campaign.end_date
                    else self.tr("số liệu đến hôm nay {0}")).format(fmt_date(progress.date_to))
            self.period_label.setText(
                self.tr("Từ {0} đến {1} · {2} tuần, đang ở tuần {3} · {4}").format(
                    fmt_date(campaign.start_date), fmt_date(campaign.end_date), len(weeks),
                    min(current, len(weeks)), when,
                )
                if progress.date_to != campaign.end_date
                else self.tr("Từ {0} đến {1} · {2} tuần · đã kết thúc, {3}").format(
                    fmt_date(campaign.start_date), fmt_date(campaign.end_date), len(weeks), when
                )
            )
            self.notice_label.setVisible(False)
        else:
            self.period_label.setText(
                self.tr("Từ {0} đến {1} · {2} tuần").format(
                    fmt_date(campaign.start_date), fmt_date(campaign.end_date), len(weeks)
                )
            )
            self.notice_label.setText(
                self.tr("Chiến dịch bắt đầu ngày {0}: chưa có số liệu.").format(fmt_date(campaign.start_date))
            )
            self.notice_label.setVisible(True)
        self._set_tiles(progress.targets)
        self.no_targets_label.setVisible(not progress.targets)
        self._fill_chart(progress)
        self._fill_groups(progress)
        self._fill_rules(progress)

    def _set_tiles(self, targets: list[TargetStatus]) -> None:
        for tile in self.tiles:
            self.tiles_layout.removeWidget(tile)
            tile.deleteLater()
        self.tiles = []
        for index, status in enumerate(targets):
            tile = TargetTile(status)
            self.tiles_layout.addWidget(tile, index // TILE_COLUMNS, index % TILE_COLUMNS)
            self.tiles.append(tile)
        for column in range(TILE_COLUMNS):
            self.tiles_layout.setColumnStretch(column, 1)
        self.tiles_box.setVisible(bool(targets))

    def tile(self, code: str) -> TargetTile | None:
        return next((t for t in self.tiles if t.code == code), None)

    def _fill_chart(self, progress: CampaignProgress) -> None:
        codes = list(progress.campaign.targets) or list(DEFAULT_CHART_RATES)
        labels = campaigns.rate_labels()
        weeks = [self.tr("Tuần {0}").format(w.week.number) for w in progress.weeks]
        series = []
        for code in codes:
            values = tuple(
                None if w.rates[code].percent is None else float(w.rates[code].percent)
                for w in progress.weeks
                if code in w.rates
            )
            target = progress.campaign.targets.get(code)
            series.append(RateSeries(code, short_label(labels.get(code, code)), values,
                                     None if target is None else float(target)))
        self.chart.set_data(weeks, series)

    def _fill_groups(self, progress: CampaignProgress | None) -> None:
        table = self.group_table
        groups = progress.groups if progress is not None else []
        table.setRowCount(len(groups) + (1 if groups else 0))
        for row, group in enumerate(groups):
            self._group_row(row, group)
        if groups:
            row = len(groups)
            total = progress.total_points if progress else None
            official = sum((g.max_points for g in groups), Decimal(0))
            unmeasured = sum((g.not_measurable for g in groups), Decimal(0))
            bold = table.font()
            bold.setBold(True)
            items = [
                table_item(self.tr("Tổng (ước tính)")),
                table_item(fmt_points(total) if total is not None else self.tr("không có dữ liệu")),
                table_item(fmt_points(progress.measured_max if progress else Decimal(0))),
                table_item(fmt_points(official)),
                table_item(self.tr("{0} điểm không đo được tại đây").format(fmt_points(unmeasured))
                           if unmeasured > 0 else ""),
            ]
            for column, item in enumerate(items):
                item.setFont(bold)
                if column in (G_POINTS, G_MEASURED, G_MAX):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
                table.setItem(row, column, item)
        self._fit_height(table)
        if progress is not None and progress.started:
            self.version_label.setText(
                self.tr("Ước tính theo bộ chỉ số {0}, từ số liệu trong máy này; điểm chính thức do Cổng "
                        "DVCQG chấm.").format(progress.scoring_version)
            )
        else:
            self.version_label.setText("")

    def _group_row(self, row: int, group: GroupPoints) -> None:
        table = self.group_table
        notes = []
        if group.not_measurable > 0:
            notes.append(self.tr("{0} điểm không đo được tại đây").format(fmt_points(group.not_measurable)))
        if group.no_data > 0:
            notes.append(self.tr("{0} điểm chưa có dữ liệu trong kỳ").format(fmt_points(group.no_data)))
        points = fmt_points(group.points) if group.points is not None else self.tr("không có dữ liệu")
        note = "; ".join(notes)
        items = [
            table_item(group.name, group.code),
            table_item(points),
            table_item(fmt_points(group.measured_max)),
            table_item(fmt_points(group.max_points)),
            table_item(note, tooltip=note),
        ]
        for column, item in enumerate(items):
            if column in (G_POINTS, G_MEASURED, G_MAX):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, column, item)

    def _fill_rules(self, progress: CampaignProgress | None) -> None:
        rules = progress.top_rules if progress is not None else []
        table = self.rules_table
        table.setRowCount(len(rules))
        for row, cost in enumerate(rules):
            title = table_item(tr_rule(cost.title), cost.rule, tooltip=cost.rule)
            dossiers = table_item(fmt_number(cost.dossiers))
            points = table_item(fmt_number(cost.points, 2))
            for item in (dossiers, points):
                item.setTextAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            table.setItem(row, R_TITLE, title)
            table.setItem(row, R_DOSSIERS, dossiers)
            table.setItem(row, R_POINTS, points)
        table.setVisible(bool(rules))
        self.rules_empty.setVisible(progress is not None and progress.started and not rules)
        self._fit_height(table)

    @staticmethod
    def _fit_height(table: QTableWidget) -> None:
        """Show every row without an inner scroll bar (the tables are short)."""
        height = table.horizontalHeader().height() + 2 * table.frameWidth()
        height += sum(table.rowHeight(row) for row in range(table.rowCount()))
        table.setFixedHeight(height + 2)

    def closeEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802
        self._generation += 1
        self.pool.waitForDone(30000)
        super().closeEvent(event)


def tr_rule(title: str) -> str:
    return QCoreApplication.translate("Rules", title)


def short_label(label: str) -> str:
    """"Tỷ lệ hồ sơ tiếp nhận trực tuyến" → "Hồ sơ tiếp nhận trực tuyến" (legends are narrow)."""
    prefix = "Tỷ lệ "
    if label.startswith(prefix) and len(label) > len(prefix):
        rest = label[len(prefix):]
        return rest[:1].upper() + rest[1:]
    return label


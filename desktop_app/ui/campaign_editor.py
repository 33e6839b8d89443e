"""Campaign editor (Chiến dịch): the list of campaigns, adding one from a preset or blank,
editing its name, dates, targets and notes, and deleting it.

Everything is saved through :mod:`desktop_app.services.campaigns`; a refused save shows the
service's Vietnamese messages under the fields they are about. Questions (delete, drop
unsaved changes) are non-blocking window-modal boxes so that tests can answer them.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from PySide6.QtCore import QDate, QLocale, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from ..domain.campaigns import campaign_weeks
from ..services import campaigns
from ..services.campaigns import CampaignInput, CampaignInvalid, CampaignView
from ..services.context import AppContext
from .common import fmt_date, show_error
from .settings import confirm, error_label, push_button, set_error, with_error

VIETNAMESE = QLocale(QLocale.Language.Vietnamese, QLocale.Country.Vietnam)


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(value: QDate) -> date:
    return date(value.year(), value.month(), value.day())


class TargetRow(QWidget):
    """One target: the rate (Vietnamese label) and its % (0–100)."""

    removed = Signal(object)
    edited = Signal()

    def __init__(self, labels: dict[str, str], code: str = "", percent: float = 80,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("targetRow")
        self.rate = QComboBox()
        self.rate.setObjectName("targetRate")
        for rate_code, text in labels.items():
            self.rate.addItem(text, rate_code)
        if code and self.rate.findData(code) < 0:  # a code the presets file no longer knows
            self.rate.addItem(code, code)
        if code:
            self.rate.setCurrentIndex(self.rate.findData(code))
        self.rate.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.rate.setMinimumContentsLength(30)
        self.rate.setToolTip(self.rate.currentText())
        self.rate.currentIndexChanged.connect(lambda _i: (self.rate.setToolTip(self.rate.currentText()),
                                                         self.edited.emit()))
        self.percent = QDoubleSpinBox()
        self.percent.setObjectName("targetPercent")
        self.percent.setLocale(VIETNAMESE)
        self.percent.setRange(0, 100)
        self.percent.setDecimals(1)
        self.percent.setSuffix(" %")
        self.percent.setValue(float(percent))
        self.percent.setMinimumWidth(90)
        self.percent.valueChanged.connect(lambda _v: self.edited.emit())
        prefix = QLabel(self.tr("≥"))
        self.remove_button = push_button(self.tr("Bỏ"), lambda: self.removed.emit(self), name="removeTarget")
        self.remove_button.setToolTip(self.tr("Bỏ chỉ tiêu này"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.rate, 1)
        layout.addWidget(prefix)
        layout.addWidget(self.percent)
        layout.addWidget(self.remove_button)

    def code(self) -> str:
        return str(self.rate.currentData())

    def value(self) -> float:
        return float(self.percent.value())


class CampaignEditor(QDialog):
    """``CampaignEditor(ctx)``: emits ``changed`` after each save, creation or deletion."""

    changed = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("campaignEditor")
        self.setWindowTitle(self.tr("Chiến dịch và chỉ tiêu"))
        self.labels = campaigns.rate_labels()
        self.campaign: CampaignView | None = None  # the one in the form (None: a new one)
        self.target_rows: list[TargetRow] = []
        self.dirty = False
        self._loading = False
        self.confirm_box = None

        # -- left: the list
        self.list = QListWidget()
        self.list.setObjectName("campaignList")
        self.list.setMinimumWidth(280)
        self.list.setWordWrap(True)
        self.list.setSpacing(3)
        self.list.setAlternatingRowColors(True)
        self.list.currentItemChanged.connect(self._current_changed)
        self.preset_combo = QComboBox()
        self.preset_combo.setObjectName("presetCombo")
        for preset in campaigns.presets():
            self.preset_combo.addItem(preset.name, preset.key)
            index = self.preset_combo.count() - 1
            self.preset_combo.setItemData(
                index, f"{preset.name}\n{fmt_date(preset.start_date)} – {fmt_date(preset.end_date)}",
                Qt.ItemDataRole.ToolTipRole,
            )
        self.preset_combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.preset_combo.setMinimumContentsLength(20)
        self.add_preset_button = push_button(self.tr("Thêm từ mẫu"), self.add_from_preset, name="addFromPreset")
        self.add_blank_button = push_button(self.tr("Thêm chiến dịch mới"), self.add_blank, name="addBlank")
        self.delete_button = push_button(self.tr("Xóa chiến dịch…"), self.delete_current, name="deleteCampaign")
        left = QVBoxLayout()
        left.addWidget(QLabel(self.tr("Các chiến dịch:")))
        left.addWidget(self.list, 1)
        preset_box = QGroupBox(self.tr("Thêm"))
        preset_layout = QVBoxLayout(preset_box)
        preset_layout.addWidget(QLabel(self.tr("Theo mẫu kế hoạch:")))
        preset_layout.addWidget(self.preset_combo)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_preset_button)
        add_row.addWidget(self.add_blank_button)
        preset_layout.addLayout(add_row)
        left.addWidget(preset_box)
        left.addWidget(self.delete_button)

        # -- right: the form
        self.name = QLineEdit()
        self.name.setObjectName("campaignName")
        self.name.setMaxLength(campaigns.NAME_MAX)
        self.name.setPlaceholderText(self.tr("Ví dụ: Chiến dịch 30 ngày cao điểm số hóa"))
        self.name.textEdited.connect(lambda _t: self._mark_dirty())
        self.start = self._date_edit("startDate")
        self.end = self._date_edit("endDate")
        self.weeks_label = QLabel()
        self.weeks_label.setObjectName("weeksLabel")
        self.weeks_label.setWordWrap(True)
        self.weeks_label.setStyleSheet("color: #444;")
        self.notes = QPlainTextEdit()
        self.notes.setObjectName("campaignNotes")
        self.notes.setPlaceholderText(self.tr("Căn cứ, kế hoạch, cách theo dõi…"))
        self.notes.setFixedHeight(self.fontMetrics().height() * 4 + 12)
        self.notes.textChanged.connect(self._mark_dirty)
        self.errors = {key: error_label() for key in ("name", "start_date", "end_date", "targets")}
        self.errors["name"].setObjectName("nameError")
        self.errors["end_date"].setObjectName("endDateError")
        self.errors["targets"].setObjectName("targetsError")

        self.targets_box = QWidget()
        self.targets_layout = QVBoxLayout(self.targets_box)
        self.targets_layout.setContentsMargins(0, 0, 0, 0)
        self.targets_layout.setSpacing(4)
        self.targets_layout.addStretch(1)
        targets_scroll = QScrollArea()
        targets_scroll.setWidgetResizable(True)
        targets_scroll.setWidget(self.targets_box)
        targets_scroll.setMinimumHeight(self.fontMetrics().height() * 8)
        self.no_targets_label = QLabel(self.tr("Chưa có chỉ tiêu nào."))
        self.no_targets_label.setStyleSheet("color: #666;")
        self.add_target_button = push_button(self.tr("Thêm chỉ tiêu"), self.add_target, name="addTarget")

        dates = QHBoxLayout()
        dates.addWidget(QLabel(self.tr("Từ ngày")))
        dates.addWidget(self.start)
        dates.addSpacing(12)
        dates.addWidget(QLabel(self.tr("đến ngày")))
        dates.addWidget(self.end)
        dates.addStretch(1)
        dates_box = QWidget()
        dates_layout = QVBoxLayout(dates_box)
        dates_layout.setContentsMargins(0, 0, 0, 0)
        dates_layout.setSpacing(2)
        dates_layout.addLayout(dates)
        dates_layout.addWidget(self.errors["start_date"])
        dates_layout.addWidget(self.errors["end_date"])
        dates_layout.addWidget(self.weeks_label)
        targets_column = QVBoxLayout()
        targets_column.setSpacing(4)
        targets_column.addWidget(targets_scroll, 1)
        under_targets = QHBoxLayout()
        under_targets.addWidget(self.no_targets_label)
        under_targets.addStretch(1)
        under_targets.addWidget(self.add_target_button)
        targets_column.addLayout(under_targets)
        targets_column.addWidget(self.errors["targets"])

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Tên chiến dịch *"), with_error(self.name, self.errors["name"]))
        form.addRow(self.tr("Thời gian *"), dates_box)
        form.addRow(self.tr("Chỉ tiêu"), targets_column)
        form.addRow(self.tr("Ghi chú"), self.notes)
        self.form_box = QGroupBox(self.tr("Chiến dịch"))
        self.form_box.setLayout(form)

        self.status = QLabel()
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.save_button = QPushButton(self.tr("Lưu"))
        self.save_button.setObjectName("saveCampaign")
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(lambda _c=False: self.save())
        self.close_button = push_button(self.tr("Đóng"), self.close, name="closeEditor")
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.close_button)
        right = QVBoxLayout()
        right.addWidget(self.form_box, 1)
        right.addLayout(buttons)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(right, 5)
        self.resize(1060, 620)
        self.reload()

    def _date_edit(self, name: str) -> QDateEdit:
        edit = QDateEdit()
        edit.setObjectName(name)
        edit.setDisplayFormat("dd/MM/yyyy")
        edit.setCalendarPopup(True)
        edit.setDate(to_qdate(self.ctx.clock().date()))
        edit.dateChanged.connect(lambda _d: (self._update_weeks(), self._mark_dirty()))
        return edit

    # -- list --------------------------------------------------------------------------------------

    def reload(self, select: uuid.UUID | None = None) -> None:
        """Reload the list; show ``select`` (or the campaign in the form, or the first one)."""
        items = campaigns.list_campaigns(self.ctx)
        wanted = select or (self.campaign.id if self.campaign else None)
        self.list.blockSignals(True)
        self.list.clear()
        for item in items:
            row = QListWidgetItem(f"{item.name}\n{fmt_date(item.start_date)} – {fmt_date(item.end_date)}")
            row.setData(Qt.ItemDataRole.UserRole, item.id)
            row.setToolTip(item.name)
            self.list.addItem(row)
        self.list.blockSignals(False)
        target = next((i for i in range(self.list.count())
                       if self.list.item(i).data(Qt.ItemDataRole.UserRole) == wanted), None)
        if target is None and self.list.count():
            target = 0
        if target is None:
            self._load(None)
            return
        self.list.blockSignals(True)
        self.list.setCurrentRow(target)
        self.list.blockSignals(False)
        self._load(campaigns.get_campaign(self.ctx, self.list.item(target).data(Qt.ItemDataRole.UserRole)))

    def select(self, campaign_id: uuid.UUID | None) -> None:
        if campaign_id is not None and not self.dirty:
            self.reload(select=campaign_id)

    def current_id(self) -> uuid.UUID | None:
        return self.campaign.id if self.campaign else None

    def _current_changed(self, current: QListWidgetItem | None, previous: QListWidgetItem | None) -> None:
        if current is None:
            return
        campaign_id = current.data(Qt.ItemDataRole.UserRole)
        if self.dirty:
            # go back to the edited row until the officer agrees to drop the changes
            self.list.blockSignals(True)
            self.list.setCurrentItem(previous)
            self.list.blockSignals(False)
            self.confirm_box = confirm(
                self, self.tr("Bỏ thay đổi?"),
                self.tr("Chiến dịch đang sửa chưa được lưu. Bỏ các thay đổi để mở chiến dịch khác?"),
                lambda: self._discard_and_open(campaign_id), self.tr("Bỏ thay đổi"),
            )
            return
        self._open(campaign_id)

    def _discard_and_open(self, campaign_id: uuid.UUID | None) -> None:
        self.dirty = False
        if campaign_id is None:
            self._start_blank()
        else:
            self.reload(select=campaign_id)

    def _open(self, campaign_id: uuid.UUID) -> None:
        try:
            self._load(campaigns.get_campaign(self.ctx, campaign_id))
        except Exception as error:  # noqa: BLE001
            show_error(self, error)
            self.reload()

    # -- form --------------------------------------------------------------------------------------

    def _load(self, campaign: CampaignView | None) -> None:
        self._loading = True
        try:
            self.campaign = campaign
            today = self.ctx.clock().date()
            self.name.setText(campaign.name if campaign else "")
            self.start.setDate(to_qdate(campaign.start_date if campaign else today))
            self.end.setDate(to_qdate(campaign.end_date if campaign else today + timedelta(days=29)))
            self.notes.setPlainText(campaign.notes if campaign else "")
            for row in list(self.target_rows):
                self._remove_row(row)
            for code, percent in (campaign.targets.items() if campaign else []):
                self._add_row(code, percent)
            for error in self.errors.values():
                set_error(error, "")
            self.form_box.setTitle(self.tr("Chiến dịch") if campaign else self.tr("Chiến dịch mới (chưa lưu)"))
            self.delete_button.setEnabled(campaign is not None)
            self._update_weeks()
            self._update_targets_hint()
        finally:
            self._loading = False
        self.dirty = False

    def _mark_dirty(self) -> None:
        if not self._loading:
            self.dirty = True
            self.status.setText("")

    def _update_weeks(self) -> None:
        start, end = from_qdate(self.start.date()), from_qdate(self.end.date())
        weeks = campaign_weeks(start, end)
        if not weeks:
            self.weeks_label.setText("")
            return
        parts = [
            self.tr("Tuần {0}: {1}–{2}").format(w.number, w.date_from.strftime("%d/%m"), w.date_to.strftime("%d/%m"))
            for w in weeks[:6]
        ]
        if len(weeks) > 6:
            last = weeks[-1]
            parts.append(self.tr("… Tuần {0}: {1}–{2}").format(
                last.number, last.date_from.strftime("%d/%m"), last.date_to.strftime("%d/%m")))
        text = self.tr("{0} tuần (tuần tính từ ngày bắt đầu, 7 ngày một tuần): ").format(len(weeks)) + "; ".join(parts)
        if weeks[-1].days < 7:
            text += self.tr(" — tuần cuối {0} ngày.").format(weeks[-1].days)
        self.weeks_label.setText(text)

    def _add_row(self, code: str = "", percent: float = 80) -> TargetRow:
        row = TargetRow(self.labels, code, percent)
        row.removed.connect(self._row_removed)
        row.edited.connect(self._mark_dirty)
        self.targets_layout.insertWidget(len(self.target_rows), row)
        self.target_rows.append(row)
        self._update_targets_hint()
        return row

    def _remove_row(self, row: TargetRow) -> None:
        if row in self.target_rows:
            self.target_rows.remove(row)
        self.targets_layout.removeWidget(row)
        row.setParent(None)
        row.deleteLater()
        self._update_targets_hint()

    def _row_removed(self, row: TargetRow) -> None:
        self._remove_row(row)
        self._mark_dirty()

    def _update_targets_hint(self) -> None:
        self.no_targets_label.setVisible(not self.target_rows)

    def add_target(self) -> TargetRow:
        """A new target row with the first rate not yet used."""
        used = {row.code() for row in self.target_rows}
        code = next((c for c in self.labels if c not in used), next(iter(self.labels), ""))
        row = self._add_row(code, 80)
        self._mark_dirty()
        row.rate.setFocus()
        return row

    def form_input(self) -> CampaignInput:
        return CampaignInput(
            name=self.name.text(),
            start_date=from_qdate(self.start.date()),
            end_date=from_qdate(self.end.date()),
            targets=[(row.code(), row.value()) for row in self.target_rows],
            notes=self.notes.toPlainText(),
        )

    # -- actions -----------------------------------------------------------------------------------

    def save(self) -> bool:
        for error in self.errors.values():
            set_error(error, "")
        try:
            saved = campaigns.save_campaign(
                self.ctx, self.form_input(),
                self.campaign.id if self.campaign else None,
                self.campaign.version if self.campaign else None,
            )
        except CampaignInvalid as error:
            for key, message in error.errors.items():
                set_error(self.errors.get(key, self.errors["name"]), message)
            self.status.setText(self.tr("Chưa lưu: hãy sửa các ô được đánh dấu đỏ."))
            first = next(iter(error.errors))
            {"name": self.name, "start_date": self.start, "end_date": self.end}.get(first, self.name).setFocus()
            return False
        except Exception as error:  # noqa: BLE001
            show_error(self, error)
            return False
        self.dirty = False
        self.reload(select=saved.id)
        self.status.setText(self.tr("Đã lưu chiến dịch “{0}”.").format(saved.name))
        self.changed.emit()
        return True

    def add_from_preset(self) -> CampaignView | None:
        key = self.preset_combo.currentData()
        if key is None:
            return None
        if self.dirty:
            self.confirm_box = confirm(
                self, self.tr("Bỏ thay đổi?"),
                self.tr("Chiến dịch đang sửa chưa được lưu. Bỏ các thay đổi để thêm chiến dịch theo mẫu?"),
                lambda: (setattr(self, "dirty", False), self.add_from_preset()), self.tr("Bỏ thay đổi"),
            )
            return None
        try:
            created = campaigns.create_from_preset(self.ctx, str(key))
        except Exception as error:  # noqa: BLE001
            show_error(self, error)
            return None
        self.reload(select=created.id)
        self.status.setText(self.tr("Đã thêm “{0}”. Hãy sửa ngày và chỉ tiêu cho đúng kế hoạch của xã.")
                            .format(created.name))
        self.changed.emit()
        self.name.setFocus()
        return created

    def add_blank(self) -> None:
        if self.dirty:
            self.confirm_box = confirm(
                self, self.tr("Bỏ thay đổi?"),
                self.tr("Chiến dịch đang sửa chưa được lưu. Bỏ các thay đổi để tạo chiến dịch mới?"),
                lambda: self._discard_and_open(None), self.tr("Bỏ thay đổi"),
            )
            return
        self._start_blank()

    def _start_blank(self) -> None:
        self.list.blockSignals(True)
        self.list.clearSelection()
        self.list.setCurrentItem(None)
        self.list.blockSignals(False)
        self._load(None)
        self.status.setText(self.tr("Nhập tên, thời gian và chỉ tiêu rồi bấm “Lưu”."))
        self.name.setFocus()

    def delete_current(self) -> None:
        campaign = self.campaign
        if campaign is None:
            return
        self.confirm_box = confirm(
            self, self.tr("Xóa chiến dịch"),
            self.tr("Xóa chiến dịch “{0}” ({1} – {2})? Hồ sơ không bị ảnh hưởng.").format(
                campaign.name, fmt_date(campaign.start_date), fmt_date(campaign.end_date)),
            lambda: self._delete(campaign.id), self.tr("Xóa"),
        )

    def _delete(self, campaign_id: uuid.UUID) -> None:
        try:
            campaigns.delete_campaign(self.ctx, campaign_id)
        except Exception as error:  # noqa: BLE001
            show_error(self, error)
            return
        self.campaign = None
        self.dirty = False
        self.reload()
        self.status.setText(self.tr("Đã xóa chiến dịch."))
        self.changed.emit()

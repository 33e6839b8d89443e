"""Settings page "Ngày nghỉ, làm bù": public holidays, days off and make-up working days per year.

Due dates are counted in working days, so this table decides them: each year the Government
announces swaps (a weekday off, repaid by working a Saturday) that the officer enters here.
"""

from __future__ import annotations

import uuid
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QDate, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...services import holidays
from ...services.context import AppContext
from ...services.holidays import KIND_LABELS, HolidayView
from ...services.intake import ValidationFailed
from ..common import fmt_date, show_error
from . import (
    confirm,
    error_label,
    label,
    push_button,
    read_only_table,
    select_row_with,
    selected_data,
    set_error,
    stretch_column,
    table_item,
    weekday_name,
    with_error,
)

HEADERS = (
    QT_TRANSLATE_NOOP("HolidaysPage", "Ngày"),
    QT_TRANSLATE_NOOP("HolidaysPage", "Thứ"),
    QT_TRANSLATE_NOOP("HolidaysPage", "Tên, căn cứ"),
    QT_TRANSLATE_NOOP("HolidaysPage", "Loại"),
    QT_TRANSLATE_NOOP("HolidaysPage", "Nguồn"),
)
COL_DAY, COL_WEEKDAY, COL_NAME, COL_KIND, COL_SOURCE = range(5)
SOURCE_LABELS = {
    "package": QT_TRANSLATE_NOOP("Labels", "Tự động"),
    "user": QT_TRANSLATE_NOOP("Labels", "Người dùng"),
}


def short_date(day: date) -> str:
    """31/8, as people write a swap ("nghỉ thứ Hai 31/8")."""
    return f"{day.day}/{day.month}"


def _mentions(text: str, day: date) -> bool:
    return any(
        form in text
        for form in (
            day.strftime("%d/%m/%Y"),
            f"{day.day}/{day.month}/{day.year}",
            day.strftime("%d/%m"),
        )
    )


class HolidaysPage(QWidget):
    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("holidaysPage")
        self.rows: dict[uuid.UUID, HolidayView] = {}
        self.confirm_box = None

        today = ctx.clock().date()
        self.year = QSpinBox()
        self.year.setObjectName("year")
        self.year.setRange(2000, 2100)
        self.year.setValue(today.year)
        self.year.valueChanged.connect(self._year_changed)
        self.swap_hint = QLabel()
        self.swap_hint.setObjectName("swapHint")
        self.swap_hint.setWordWrap(True)
        self.swap_hint.setStyleSheet("font-weight: bold;")
        explanation = QLabel(
            self.tr(
                "Hạn trả kết quả được tính theo ngày làm việc (thứ Hai – thứ Sáu, trừ các ngày "
                "nghỉ dưới đây, cộng các ngày làm bù). Khi Chính phủ cho hoán đổi ngày làm việc, "
                "hãy thêm ngày thường được nghỉ (“Ngày nghỉ”) và thứ Bảy hoặc Chủ nhật phải đi "
                "làm bù (“Ngày làm bù”)."
            )
        )
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color: #444;")

        self.table = read_only_table("HolidaysPage", HEADERS, name="holidaysTable")
        stretch_column(self.table, COL_NAME)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.delete_button = push_button(
            self.tr("Xóa ngày đã chọn"), self.delete_selected, name="deleteHoliday"
        )
        self.delete_button.setEnabled(False)
        self.count_label = QLabel()

        # Adding a day.
        self.day = QDateEdit()
        self.day.setObjectName("day")
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.setCalendarPopup(True)
        self.day.setDate(QDate(today.year, today.month, today.day))
        self.day.dateChanged.connect(lambda _d: self._update_day_hint())
        self.day_hint = QLabel()
        self.day_hint.setObjectName("dayHint")
        self.name = QLineEdit()
        self.name.setObjectName("name")
        self.name.setPlaceholderText(self.tr("Ví dụ: Nghỉ thay cho ngày 22/08/2026"))
        self.name.returnPressed.connect(self.add_day)
        self.kind = QComboBox()
        self.kind.setObjectName("kind")
        for code, text in KIND_LABELS.items():
            self.kind.addItem(label(text), code)
        self.add_button = push_button(self.tr("Thêm ngày"), self.add_day, name="addHoliday")
        self.errors = {key: error_label() for key in ("day", "name", "kind")}
        self.general_error = error_label()
        self.status = QLabel()
        self.status.setObjectName("status")

        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Năm:")))
        top.addWidget(self.year)
        top.addSpacing(12)
        top.addWidget(self.swap_hint, 1)

        day_box = QHBoxLayout()
        day_box.addWidget(self.day)
        day_box.addWidget(self.day_hint)
        day_column = QVBoxLayout()
        day_column.addWidget(QLabel(self.tr("Ngày:")))
        day_column.addLayout(day_box)
        name_column = QVBoxLayout()
        name_column.addWidget(QLabel(self.tr("Tên hoặc căn cứ:")))
        name_column.addWidget(with_error(self.name, self.errors["name"]))
        kind_column = QVBoxLayout()
        kind_column.addWidget(QLabel(self.tr("Loại:")))
        kind_column.addWidget(with_error(self.kind, self.errors["kind"]))
        button_column = QVBoxLayout()
        button_column.addWidget(QLabel(""))
        button_column.addWidget(self.add_button)
        add_row = QHBoxLayout()
        add_row.addLayout(day_column)
        add_row.addLayout(name_column, 1)
        add_row.addLayout(kind_column)
        add_row.addLayout(button_column)
        for column in (day_column, name_column, kind_column, button_column):
            column.addStretch(1)
        add_layout = QVBoxLayout()
        add_layout.addLayout(add_row)
        add_layout.addWidget(self.errors["day"])
        add_layout.addWidget(self.general_error)
        add_box = QGroupBox(self.tr("Thêm ngày nghỉ hoặc ngày làm bù"))
        add_box.setLayout(add_layout)

        under_table = QHBoxLayout()
        under_table.addWidget(self.count_label)
        under_table.addWidget(self.status, 1)
        under_table.addWidget(self.delete_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(explanation)
        layout.addWidget(self.table, 1)
        layout.addLayout(under_table)
        layout.addWidget(add_box)
        self.reload()
        self._update_day_hint()

    # -- listing -----------------------------------------------------------------------------------

    def reload(self, select: uuid.UUID | None = None) -> None:
        year = self.year.value()
        rows = holidays.list_holidays(self.ctx, year)
        self.rows = {h.id: h for h in rows}
        self.table.blockSignals(True)
        self.table.setRowCount(len(rows))
        for row, holiday in enumerate(rows):
            self.table.setItem(row, COL_DAY, table_item(fmt_date(holiday.day), holiday.id))
            self.table.setItem(row, COL_WEEKDAY, table_item(weekday_name(holiday.day)))
            self.table.setItem(row, COL_NAME, table_item(holiday.name, tooltip=holiday.name))
            self.table.setItem(
                row, COL_KIND, table_item(label(KIND_LABELS.get(holiday.kind, holiday.kind)))
            )
            source = SOURCE_LABELS.get(holiday.source)
            self.table.setItem(
                row, COL_SOURCE, table_item(label(source) if source else holiday.source)
            )
        self.table.clearSelection()
        self.table.blockSignals(False)
        self.delete_button.setEnabled(False)
        if select is not None:
            select_row_with(self.table, select)
        off = sum(1 for h in rows if h.kind == "day_off")
        self.count_label.setText(
            self.tr("{0} ngày nghỉ, {1} ngày làm bù").format(off, len(rows) - off)
        )
        self.swap_hint.setText(self.swap_text(year, rows))

    def swap_text(self, year: int, rows: list[HolidayView]) -> str:
        """Which day off repays which work day, in one line.

        For example "Năm 2026: nghỉ thứ Hai 31/8, làm bù thứ Bảy 22/8".
        """
        days_off = [h for h in rows if h.kind == "day_off"]
        swaps = []
        for work in (h for h in rows if h.kind == "working_day"):
            paired = next((h for h in days_off if _mentions(h.name, work.day)), None)
            worked = self.tr("làm bù {0} {1}").format(
                weekday_name(work.day, in_sentence=True), short_date(work.day)
            )
            if paired is not None:
                rested = self.tr("nghỉ {0} {1}").format(
                    weekday_name(paired.day, in_sentence=True), short_date(paired.day)
                )
                swaps.append(f"{rested}, {worked}")
            else:
                swaps.append(worked)
        if not swaps:
            return self.tr("Năm {0}: không có ngày hoán đổi (làm bù).").format(year)
        return self.tr("Năm {0}: {1}").format(year, "; ".join(swaps))

    def _year_changed(self, year: int) -> None:
        current = self.day.date()
        day = QDate(
            year, current.month(), min(current.day(), QDate(year, current.month(), 1).daysInMonth())
        )
        self.day.setDate(day)
        self.status.clear()
        self.reload()

    def _selection_changed(self) -> None:
        self.delete_button.setEnabled(selected_data(self.table) is not None)

    def _update_day_hint(self) -> None:
        self.day_hint.setText(weekday_name(self.day.date().toPython()))

    # -- editing -----------------------------------------------------------------------------------

    def add_day(self) -> bool:
        for widget in (*self.errors.values(), self.general_error):
            set_error(widget, "")
        self.status.clear()
        day: date = self.day.date().toPython()
        try:
            saved = holidays.save_holiday(self.ctx, day, self.name.text(), self.kind.currentData())
        except ValidationFailed as failed:
            others = []
            for key, message in failed.errors.items():
                if key in self.errors:
                    set_error(self.errors[key], message)
                else:
                    others.append(message)
            set_error(self.general_error, " ".join(others))
            return False
        except Exception as error:  # noqa: BLE001
            show_error(self, error, self.tr("Chưa lưu được ngày nghỉ"))
            return False
        self.name.clear()
        if self.year.value() != day.year:
            self.year.blockSignals(True)
            self.year.setValue(day.year)
            self.year.blockSignals(False)
        self.reload(select=saved.id)
        self.status.setText(
            self.tr("Đã lưu {0} {1}: {2}.").format(
                label(KIND_LABELS[saved.kind]).lower(), fmt_date(saved.day), saved.name
            )
        )
        self.saved.emit()
        return True

    def delete_selected(self) -> None:
        holiday_id = selected_data(self.table)
        holiday = self.rows.get(holiday_id) if holiday_id else None
        if holiday is None:
            return
        text = self.tr(
            "Xóa {0} {1} ({2})? Hồ sơ tiếp nhận từ nay sẽ tính hạn trả theo lịch mới."
        ).format(
            label(KIND_LABELS.get(holiday.kind, holiday.kind)).lower(),
            fmt_date(holiday.day),
            holiday.name,
        )
        self.confirm_box = confirm(
            self, self.tr("Xóa ngày"), text, lambda: self._delete(holiday), self.tr("Xóa")
        )

    def _delete(self, holiday: HolidayView) -> None:
        try:
            holidays.delete_holiday(self.ctx, holiday.id)
        except Exception as error:  # noqa: BLE001
            show_error(self, error, self.tr("Chưa xóa được ngày nghỉ"))
            return
        self.reload()
        self.status.setText(self.tr("Đã xóa {0}.").format(fmt_date(holiday.day)))
        self.saved.emit()

"""Settings page "Thông tin đơn vị": the commune profile and its hamlets (thôn/xóm)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ...services import setup
from ...services.context import AppContext
from ...services.intake import ValidationFailed
from ..common import show_error
from . import error_label, push_button, set_error, with_error


class ProfilePage(QWidget):
    """Edits the one commune profile; "Lưu" saves the profile and the hamlet list."""

    saved = Signal()

    def __init__(self, ctx: AppContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.setObjectName("profilePage")

        self.unit_name = self._line("unit_name", self.tr("Ví dụ: UBND xã Phú Lạc"))
        self.parent_agency = self._line("parent_agency", self.tr("Ví dụ: UBND tỉnh Thái Nguyên"))
        self.province = self._line("province", self.tr("Ví dụ: Thái Nguyên"))
        self.place_name = self._line(
            "place_name", self.tr("Ví dụ: Phú Lạc (dòng “Phú Lạc, ngày … tháng … năm …”)")
        )
        self.unit_code = self._line("unit_code", self.tr("Ví dụ: 000.00.53.H48"))
        self.head_name = self._line("head_name", self.tr("Họ và tên người ký báo cáo"))
        self.head_title = self._line(
            "head_title", self.tr("Ví dụ: Giám đốc Trung tâm Phục vụ hành chính công")
        )
        self.e_certified_copy = QCheckBox(
            self.tr("Đơn vị thực hiện chứng thực bản sao điện tử từ bản chính")
        )
        self.e_certified_copy.setObjectName("offers_e_certified_copy")
        self.attachment_limit = QSpinBox()
        self.attachment_limit.setObjectName("attachment_limit_mb")
        self.attachment_limit.setRange(1, 500)
        self.attachment_limit.setSuffix(" MB")
        self.attachment_limit.setValue(25)

        self.errors = {
            key: error_label()
            for key in (
                "unit_name",
                "parent_agency",
                "province",
                "place_name",
                "unit_code",
                "head_name",
                "head_title",
                "attachment_limit_mb",
            )
        }
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow(self.tr("Tên đơn vị:"), with_error(self.unit_name, self.errors["unit_name"]))
        form.addRow(
            self.tr("Cơ quan chủ quản:"),
            with_error(self.parent_agency, self.errors["parent_agency"]),
        )
        form.addRow(self.tr("Tỉnh, thành phố:"), with_error(self.province, self.errors["province"]))
        form.addRow(self.tr("Địa danh:"), with_error(self.place_name, self.errors["place_name"]))
        form.addRow(self.tr("Mã đơn vị:"), with_error(self.unit_code, self.errors["unit_code"]))
        form.addRow(
            self.tr("Lãnh đạo (họ tên):"), with_error(self.head_name, self.errors["head_name"])
        )
        form.addRow(
            self.tr("Chức vụ lãnh đạo:"), with_error(self.head_title, self.errors["head_title"])
        )
        form.addRow(
            self.tr("Giới hạn tệp đính kèm:"),
            with_error(self.attachment_limit, self.errors["attachment_limit_mb"]),
        )
        form.addRow("", self.e_certified_copy)
        code_hint = QLabel(
            self.tr("Mã đơn vị đứng đầu mã hồ sơ (ví dụ 000.00.53.H48-260212-0001).")
        )
        code_hint.setWordWrap(True)
        code_hint.setStyleSheet("color: #555;")
        form.addRow("", code_hint)
        unit_box = QGroupBox(self.tr("Đơn vị"))
        unit_box.setLayout(form)

        # Hamlets: the list the intake form offers for the applicant's address.
        self.hamlets = QListWidget()
        self.hamlets.setObjectName("hamlets")
        self.hamlets.setToolTip(self.tr("Nhấp đúp vào một tên để sửa."))
        self.hamlets.setSpacing(2)
        self.new_hamlet = self._line("new_hamlet", self.tr("Tên thôn, xóm, ấp, khu phố"))
        self.new_hamlet.returnPressed.connect(self.add_hamlet)
        self.add_hamlet_button = push_button(self.tr("Thêm"), self.add_hamlet, name="addHamlet")
        self.remove_hamlet_button = push_button(
            self.tr("Xóa"), self.remove_hamlet, name="removeHamlet"
        )
        self.up_button = push_button(self.tr("Lên"), lambda: self.move_hamlet(-1), name="hamletUp")
        self.down_button = push_button(
            self.tr("Xuống"), lambda: self.move_hamlet(1), name="hamletDown"
        )
        add_row = QHBoxLayout()
        add_row.addWidget(self.new_hamlet, 1)
        add_row.addWidget(self.add_hamlet_button)
        move_row = QHBoxLayout()
        move_row.addWidget(self.up_button)
        move_row.addWidget(self.down_button)
        move_row.addStretch(1)
        move_row.addWidget(self.remove_hamlet_button)
        hamlet_layout = QVBoxLayout()
        hamlet_layout.addLayout(add_row)
        hamlet_layout.addWidget(self.hamlets, 1)
        hamlet_layout.addLayout(move_row)
        hamlet_hint = QLabel(
            self.tr(
                "Nhấp đúp vào một tên để sửa. Thứ tự này dùng khi tiếp nhận và trong Mẫu biểu 02."
            )
        )
        hamlet_hint.setWordWrap(True)
        hamlet_hint.setStyleSheet("color: #555;")
        hamlet_layout.addWidget(hamlet_hint)
        hamlet_box = QGroupBox(self.tr("Thôn, xóm, ấp, khu phố"))
        hamlet_box.setLayout(hamlet_layout)

        self.save_button = push_button(
            self.tr("Lưu thông tin đơn vị"), self.save, name="saveProfile"
        )
        self.status = QLabel()
        self.status.setObjectName("status")
        self.general_error = error_label()

        columns = QHBoxLayout()
        columns.addWidget(unit_box, 3)
        columns.addWidget(hamlet_box, 2)
        buttons = QHBoxLayout()
        buttons.addWidget(self.general_error, 1)
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addLayout(buttons)

        for line in (
            self.unit_name,
            self.parent_agency,
            self.province,
            self.place_name,
            self.unit_code,
            self.head_name,
            self.head_title,
        ):
            line.returnPressed.connect(self.save)
        self.reload()

    def _line(self, name: str, placeholder: str) -> QLineEdit:
        line = QLineEdit()
        line.setObjectName(name)
        line.setPlaceholderText(placeholder)
        line.setClearButtonEnabled(True)
        return line

    # -- loading and saving ---------------------------------------------------------------------

    def reload(self) -> None:
        profile = setup.get_profile(self.ctx)
        if profile is not None:
            self.unit_name.setText(profile.unit_name)
            self.parent_agency.setText(profile.parent_agency)
            self.province.setText(profile.province)
            self.place_name.setText(profile.place_name)
            self.unit_code.setText(profile.unit_code)
            self.head_name.setText(profile.head_name)
            self.head_title.setText(profile.head_title)
            self.e_certified_copy.setChecked(profile.offers_e_certified_copy)
            self.attachment_limit.setValue(profile.attachment_limit_mb)
        self._fill_hamlets(setup.list_hamlets(self.ctx))
        self._clear_errors()
        self.status.clear()

    def _fill_hamlets(self, names: list[str]) -> None:
        self.hamlets.clear()
        for name in names:
            self._append_hamlet(name)

    def _append_hamlet(self, name: str) -> QListWidgetItem:
        item = QListWidgetItem(name)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsEditable)
        self.hamlets.addItem(item)
        return item

    def hamlet_names(self) -> list[str]:
        return [self.hamlets.item(row).text() for row in range(self.hamlets.count())]

    def profile_input(self) -> setup.ProfileInput:
        return setup.ProfileInput(
            unit_name=self.unit_name.text(),
            unit_code=self.unit_code.text(),
            parent_agency=self.parent_agency.text(),
            province=self.province.text(),
            place_name=self.place_name.text(),
            head_name=self.head_name.text(),
            head_title=self.head_title.text(),
            offers_e_certified_copy=self.e_certified_copy.isChecked(),
            attachment_limit_mb=self.attachment_limit.value(),
        )

    def save(self) -> bool:
        self._clear_errors()
        self.status.clear()
        try:
            setup.save_profile(self.ctx, self.profile_input())
            names = setup.set_hamlets(self.ctx, self.hamlet_names())
        except ValidationFailed as failed:
            self._show_errors(failed.errors)
            return False
        except Exception as error:  # noqa: BLE001 - shown to the user, logged if it is a bug
            show_error(self, error, self.tr("Chưa lưu được thông tin đơn vị"))
            return False
        self._fill_hamlets(names)
        self.status.setText(self.tr("Đã lưu thông tin đơn vị."))
        self.saved.emit()
        return True

    def _clear_errors(self) -> None:
        for widget in (*self.errors.values(), self.general_error):
            set_error(widget, "")

    def _show_errors(self, errors: dict[str, str]) -> None:
        others = []
        for key, message in errors.items():
            if key in self.errors:
                set_error(self.errors[key], message)
            else:
                others.append(message)
        set_error(
            self.general_error,
            " ".join(others) or self.tr("Chưa lưu: hãy sửa các ô được đánh dấu đỏ."),
        )
        first = next((key for key in self.errors if key in errors), None)
        if first is not None:
            self.findChild(QWidget, first).setFocus()

    # -- hamlets --------------------------------------------------------------------------------

    def add_hamlet(self) -> None:
        name = " ".join(self.new_hamlet.text().split())
        if not name:
            return
        existing = self.hamlets.findItems(name, Qt.MatchFlag.MatchFixedString)
        item = existing[0] if existing else self._append_hamlet(name)
        self.hamlets.setCurrentItem(item)
        self.new_hamlet.clear()
        self.new_hamlet.setFocus()

    def remove_hamlet(self) -> None:
        row = self.hamlets.currentRow()
        if row >= 0:
            self.hamlets.takeItem(row)

    def move_hamlet(self, step: int) -> None:
        row = self.hamlets.currentRow()
        target = row + step
        if row < 0 or not 0 <= target < self.hamlets.count():
            return
        item = self.hamlets.takeItem(row)
        self.hamlets.insertItem(target, item)
        self.hamlets.setCurrentRow(target)

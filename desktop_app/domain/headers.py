"""Finding the columns of a dossier spreadsheet by their header text (SPEC §7).

Officers' files come from the app's own template, from the provincial one-stop systems
("Danh sách hồ sơ", the fee list, the Sổ theo dõi hồ sơ with its two-row header; see
``reference/peers.md`` §2.2) and from their own spreadsheets. Columns are recognised by header
text with case, spacing, diacritics (đ included) and punctuation ignored, and with synonyms;
the header row is found below any title rows; a two-row header is merged ("Ngày, tháng, năm"
over "Nhận hồ sơ" reads as "Nhận hồ sơ").

Pure Python: the readers in ``storage.spreadsheet_readers`` hand over rows of cell values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from .text import fold

_NOT_WORD = re.compile(r"[^0-9a-z]+")


def normalise_header(text: Any) -> str:
    """``"Phí, lệ phí (VNĐ)"`` → ``"phi le phi vnd"``: folded, punctuation and spacing ignored."""
    if text is None:
        return ""
    return _NOT_WORD.sub(" ", fold(str(text))).strip()


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label: str  # the template's header (SPEC §7), shown in messages
    synonyms: tuple[str, ...] = ()


#: Canonical fields, the template's header first, then the synonyms seen in other files.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("code", "Mã hồ sơ", ("Số hồ sơ", "Mã HS", "Mã biên nhận", "Số biên nhận", "Mã số hồ sơ")),
    FieldSpec("procedure_code", "Mã TTHC", ("Mã thủ tục", "Mã thủ tục hành chính", "Mã TTHC chuẩn")),
    FieldSpec("procedure_name", "Tên thủ tục",
              ("Tên thủ tục hành chính", "Thủ tục hành chính", "Thủ tục", "Tên TTHC", "Nội dung hồ sơ",
               "Tên hồ sơ", "Lĩnh vực thủ tục")),
    FieldSpec("applicant_name", "Chủ hồ sơ",
              ("Họ tên chủ hồ sơ", "Họ và tên chủ hồ sơ", "Tên chủ hồ sơ", "Người đứng tên", "Họ và tên",
               "Họ tên")),
    FieldSpec("submitter_name", "Người nộp", ("Tên người nộp", "Người nộp hồ sơ", "Họ tên người nộp")),
    FieldSpec("id_number", "Số định danh",
              ("Số định danh cá nhân", "Số CCCD", "CCCD", "Số căn cước", "Số căn cước công dân", "CMND/CCCD",
               "Số CMND", "CCCD/CMND", "Số giấy tờ tùy thân", "Số căn cước/Hộ chiếu")),
    FieldSpec("phone", "Số điện thoại", ("Điện thoại", "SĐT", "Số ĐT", "Điện thoại liên hệ")),
    FieldSpec("address", "Địa chỉ", ("Địa chỉ chủ hồ sơ", "Địa chỉ thường trú", "Nơi cư trú")),
    FieldSpec("hamlet", "Thôn/Xóm", ("Thôn", "Xóm", "Ấp", "Khu phố", "Thôn/Tổ dân phố", "Địa bàn phát sinh hồ sơ",
                                     "Thôn, xóm")),
    FieldSpec("channel", "Hình thức nộp",
              ("Loại tiếp nhận", "Kênh nộp", "Hình thức tiếp nhận", "Hình thức nộp hồ sơ", "Kênh tiếp nhận")),
    FieldSpec("received_at", "Ngày tiếp nhận",
              ("Ngày nhận", "Ngày nhận hồ sơ", "Nhận hồ sơ", "Thời gian tiếp nhận", "Ngày giờ tiếp nhận")),
    FieldSpec("submitted_at", "Ngày nộp hồ sơ", ("Ngày nộp", "Thời gian nộp")),
    FieldSpec("due_at", "Ngày hẹn trả",
              ("Hẹn trả kết quả", "Ngày hẹn trả kết quả", "Hạn xử lý", "Hạn giải quyết", "Ngày hẹn")),
    FieldSpec("ended_at", "Ngày kết thúc xử lý",
              ("Ngày có kết quả", "Ngày hoàn thành", "Ngày xử lý xong", "Ngày kết thúc")),
    FieldSpec("returned_at", "Ngày trả kết quả", ("Ngày nhận kết quả", "Ngày trả", "Đã trả kết quả ngày")),
    FieldSpec("status", "Trạng thái", ("Trạng thái hồ sơ", "Tình trạng", "Tình trạng hồ sơ")),
    FieldSpec("supplement_count", "Số lần yêu cầu bổ sung", ("Số lần bổ sung",)),
    FieldSpec("identity_checked", "Đã xác thực định danh", ("Xác thực định danh", "Đã xác thực")),
    FieldSpec("digitised", "Số hóa thành phần hồ sơ", ("Số hóa TPHS", "Có số hóa TPHS", "Đã số hóa hồ sơ")),
    FieldSpec("reused", "Tái sử dụng dữ liệu số hóa", ("Tái sử dụng", "Có tái sử dụng thành phần")),
    FieldSpec("from_kho", "Lấy từ kho dữ liệu", ("Lấy từ kho", "Kho dữ liệu")),
    FieldSpec("has_result_file", "Có tệp kết quả điện tử", ("Số hóa kết quả", "Có kết quả điện tử",
                                                            "Kết quả điện tử")),
    FieldSpec("result_signed", "Kết quả đã ký số", ("Đã ký số", "Ký số kết quả")),
    FieldSpec("has_end_document", "Văn bản từ chối/dừng/rút", ("Có văn bản từ chối/dừng/rút",)),
    FieldSpec("fee", "Phí, lệ phí (VNĐ)", ("Phí lệ phí", "Tổng (VNĐ)", "Tổng tiền", "Số tiền", "Tổng phí, lệ phí")),
    FieldSpec("fee_only", "Phí (VNĐ)", ("Phí",)),
    FieldSpec("levy_only", "Lệ phí (VNĐ)", ("Lệ phí",)),
    FieldSpec("payment_method", "Hình thức thanh toán", ("Thanh toán", "Phương thức thanh toán")),
    FieldSpec("receipt_number", "Số biên lai", ("Số biên lai điện tử", "Biên lai")),
    FieldSpec("synced", "Đã đồng bộ", ("Đồng bộ", "Đã nhập hệ thống", "Đã đồng bộ Cổng DVCQG")),
    FieldSpec("satisfaction", "Đánh giá hài lòng", ("Mức độ hài lòng", "Đánh giá")),
    FieldSpec("officer", "Người tiếp nhận", ("Cán bộ tiếp nhận", "Người nhận hồ sơ", "Cán bộ nhận hồ sơ")),
    FieldSpec("sets_count", "Số lượng (bộ)", ("Số lượng", "Số bộ hồ sơ")),
    FieldSpec("notes", "Ghi chú", ("Ghi chú khác",)),
    # Known columns the importer reads but does not store (so they are not "unknown").
    FieldSpec("stt", "STT", ("Số thứ tự", "TT")),
    FieldSpec("unit", "Đơn vị tiếp nhận", ("Đơn vị", "Đơn vị giải quyết", "Cơ quan tiếp nhận")),
    FieldSpec("paid_at", "Ngày thu", ("Ngày thu tiền",)),
    FieldSpec("receipt_form", "Mẫu số", ()),
    FieldSpec("receipt_series", "Ký hiệu", ()),
)

FIELDS_BY_KEY: dict[str, FieldSpec] = {spec.key: spec for spec in FIELDS}

#: The template's headers in order (SPEC §7).
TEMPLATE_HEADERS: tuple[str, ...] = (
    "Mã hồ sơ", "Mã TTHC", "Tên thủ tục", "Chủ hồ sơ", "Số định danh", "Số điện thoại", "Địa chỉ",
    "Thôn/Xóm", "Hình thức nộp", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý",
    "Ngày trả kết quả", "Trạng thái", "Số lần yêu cầu bổ sung", "Đã xác thực định danh",
    "Số hóa thành phần hồ sơ", "Tái sử dụng dữ liệu số hóa", "Lấy từ kho dữ liệu",
    "Có tệp kết quả điện tử", "Kết quả đã ký số", "Văn bản từ chối/dừng/rút", "Phí, lệ phí (VNĐ)",
    "Hình thức thanh toán", "Đã đồng bộ", "Đánh giá hài lòng", "Người tiếp nhận", "Ghi chú",
)

#: normalised header → field key
_LOOKUP: dict[str, str] = {}
for _spec in FIELDS:
    for _name in (_spec.label, *_spec.synonyms):
        _LOOKUP.setdefault(normalise_header(_name), _spec.key)

#: Fields that identify data (not bookkeeping): a header row must match several of them.
_SIGNIFICANT = frozenset(FIELDS_BY_KEY) - {"stt", "unit", "receipt_form", "receipt_series", "notes"}

#: How many distinct significant fields a row must name to be taken as the header row.
MIN_HEADER_FIELDS = 3
#: How far down the header row is looked for (title rows, dates, blank lines above it).
HEADER_SEARCH_ROWS = 30


def match_header(text: Any) -> str | None:
    """The field a header cell names, or ``None``."""
    key = normalise_header(text)
    if not key:
        return None
    found = _LOOKUP.get(key)
    if found is not None:
        return found
    # "Mã hồ sơ (*)", "Ngày tiếp nhận (dd/mm/yyyy)": drop a trailing parenthesis or a star.
    stripped = re.sub(r"\s*[\(\[].*$", "", str(text)).strip(" *:")
    if stripped and stripped != str(text):
        return _LOOKUP.get(normalise_header(stripped))
    return None


def _match_merged(parent: Any, child: Any) -> str | None:
    """Field of a column under a two-row header: the child's own text first, then both together,
    then the parent alone (a parent spanning one column)."""
    if child not in (None, ""):
        return match_header(child) or match_header(f"{parent or ''} {child}")
    return match_header(parent)


@dataclass
class HeaderLayout:
    """Where the data of one sheet is: header row(s) and which column holds which field."""

    header_row: int  # 1-based number of the (first) header row
    rows: int  # 1 or 2 header rows
    columns: dict[str, int]  # field key → 0-based column index (first occurrence wins)
    titles: dict[int, str]  # 0-based column index → the header text as shown
    unknown: list[str] = field(default_factory=list)  # headers not recognised (ignored)
    duplicates: list[str] = field(default_factory=list)  # fields named by more than one column

    @property
    def data_start(self) -> int:
        """1-based number of the first data row."""
        return self.header_row + self.rows

    def significant(self) -> int:
        return len(set(self.columns) & _SIGNIFICANT)


def _text(value: Any) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())


def _layout_one(row_number: int, row: Sequence[Any]) -> HeaderLayout:
    columns: dict[str, int] = {}
    titles: dict[int, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    for index, value in enumerate(row):
        text = _text(value)
        if not text:
            continue
        key = match_header(text)
        titles[index] = text
        if key is None:
            unknown.append(text)
        elif key in columns:
            duplicates.append(text)
        else:
            columns[key] = index
    return HeaderLayout(row_number, 1, columns, titles, unknown, duplicates)


def _layout_two(row_number: int, top: Sequence[Any], below: Sequence[Any]) -> HeaderLayout:
    """Merge a two-row header: a top cell spanning several columns (merged, so empty after its
    first column) is the parent of the texts below it; a column whose top cell is merged down
    has nothing below."""
    width = max(len(top), len(below))
    columns: dict[str, int] = {}
    titles: dict[int, str] = {}
    unknown: list[str] = []
    duplicates: list[str] = []
    parent = ""
    for index in range(width):
        upper = _text(top[index]) if index < len(top) else ""
        lower = _text(below[index]) if index < len(below) else ""
        if upper:
            parent = upper
        elif not lower:
            parent = ""
        if not upper and not lower:
            continue
        if lower:
            shown = f"{parent} / {lower}" if parent else lower
            key = _match_merged(parent, lower)
        else:
            shown = upper
            key = match_header(upper)
        titles[index] = shown
        if key is None:
            unknown.append(shown)
        elif key in columns:
            duplicates.append(shown)
        else:
            columns[key] = index
    return HeaderLayout(row_number, 2, columns, titles, unknown, duplicates)


def _looks_like_header_row(row: Sequence[Any]) -> bool:
    """Only text cells (a second header row never holds dates or amounts)."""
    values = [value for value in row if value not in (None, "")]
    return bool(values) and all(isinstance(value, str) for value in values)


def find_header(rows: Sequence[tuple[int, Sequence[Any]]]) -> HeaderLayout | None:
    """The header of a sheet from its first rows (``(row number, values)``), or ``None`` when no
    row names at least :data:`MIN_HEADER_FIELDS` known columns.

    The row naming the most fields wins (the first of equals); the row under it is merged in
    when that makes more fields known (a two-row header)."""
    best: HeaderLayout | None = None
    for position, (number, row) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        layout = _layout_one(number, row)
        if layout.significant() < MIN_HEADER_FIELDS and not _has_parent_cells(row):
            continue
        if position + 1 < len(rows) and _looks_like_header_row(rows[position + 1][1]):
            merged = _layout_two(number, row, rows[position + 1][1])
            if merged.significant() > layout.significant():
                layout = merged
        if layout.significant() >= MIN_HEADER_FIELDS and (best is None or layout.significant() > best.significant()):
            best = layout
    return best


def _has_parent_cells(row: Sequence[Any]) -> bool:
    """A row with a few texts and gaps may be the top of a two-row header."""
    texts = [value for value in row if isinstance(value, str) and value.strip()]
    return len(texts) >= 2


def is_column_numbers_row(row: Sequence[Any]) -> bool:
    """The "(1) (2) (3) …" row some registers print under the header."""
    values = [_text(value) for value in row if value not in (None, "")]
    return len(values) >= 3 and all(re.fullmatch(r"\(?\d{1,2}\)?", value) for value in values)


__all__ = [
    "FIELDS",
    "FIELDS_BY_KEY",
    "MIN_HEADER_FIELDS",
    "TEMPLATE_HEADERS",
    "FieldSpec",
    "HeaderLayout",
    "find_header",
    "is_column_numbers_row",
    "match_header",
    "normalise_header",
]

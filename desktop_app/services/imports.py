"""Importing dossiers from Excel (SPEC §7): the app's template, the provincial "Danh sách hồ
sơ" lists, the fee list, the two-row-header Sổ theo dõi hồ sơ, and their HTML "``.xls``" files.

Safe by construction:

* :func:`import_file` with ``dry_run=True`` reads the whole file and says what would be added,
  updated, left unchanged and rejected (row number + reason in Vietnamese) without writing;
* without it, a backup is taken (on a second thread while the file is read), then all valid rows are written in **one** transaction — or
  nothing is (an error, or ``cancel()`` returning true, rolls everything back);
* dossiers are matched by mã hồ sơ (upsert), so importing the same file again changes nothing.

What an update may change: a value the file gives replaces the dossier's value; an empty cell
or a missing column leaves it alone; a yes/no fact (digitised, result file, synced …) is only
ever set by an import, never cleared — the file records what the provincial system holds, it
does not erase the counter's own work. The procedure of an existing dossier is never changed.

A provincial list also marks each dossier it contains as entered in the provincial system
(``synced``), and reports the local dossiers of the same period that are missing from it
(:attr:`ImportResult.not_in_file`): they are invisible to the 766 index.

New dossiers are written with bulk inserts (their warnings evaluated in memory, one "imported"
audit entry each); existing dossiers that change go through the ORM, so the audit log records
each changed field and the stored warnings are refreshed.
"""

from __future__ import annotations

import logging
import operator
import secrets
import time
import uuid
import warnings as python_warnings
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Integer, cast, func, insert, select
from sqlalchemy.orm import selectinload

from ..domain import calendar as cal
from ..domain import cell_values as cv
from ..domain.headers import (
    FIELDS_BY_KEY,
    TEMPLATE_HEADERS,
    HeaderLayout,
    find_header,
    is_column_numbers_row,
    normalise_header,
)
from ..domain.identity import check_id_number, clean_id_number
from ..domain.procedure import OnlineLevel, base_procedure_code
from ..domain.roles import Permission
from ..domain.rules import DossierFacts, SupplementFacts, evaluate
from ..domain.status import ENDED_STATUSES, Channel, Status
from ..domain.text import fold
from ..storage import audit
from ..storage.errors import UserFixableError
from ..storage.models import (
    Dossier,
    DossierComponent,
    DossierWarning,
    Officer,
    Procedure,
    StatusChange,
    SupplementRequest,
)
from ..storage.spreadsheet_readers import Sheet, open_spreadsheet
from . import backups, warnings
from .context import AppContext

log = logging.getLogger(__name__)

Progress = Callable[[int, int], None]
#: ``progress(done, total)`` counts in steps: 0–1000 reading the file, 1000–2000 writing.
PROGRESS_STEPS = 1000
Cancel = Callable[[], bool]

#: Rows read before looking for the header (title rows, dates, blank lines sit above it).
_HEAD_ROWS = 30
_CHECK_EVERY = 256
_CHUNK = 500
_WRITE_CHUNK = 2000
_CACHE_KIB = 32 * 1024
_PROVINCIAL_KINDS = ("danh_sach", "thu_phi", "so_theo_doi")
KIND_LABELS = {
    "template": "Mẫu nhập hồ sơ của Sổ Một Cửa",
    "danh_sach": "Danh sách hồ sơ (hệ thống một cửa của tỉnh)",
    "thu_phi": "Danh sách thu phí, lệ phí (hệ thống một cửa của tỉnh)",
    "so_theo_doi": "Sổ theo dõi hồ sơ",
    "khac": "Bảng tính khác",
}
IMPORT_ACTION = "nhap_tu_tep"


class ImportFileError(UserFixableError):
    """The whole file is refused (nothing was written)."""


class ImportCancelled(UserFixableError):
    def __init__(self) -> None:
        super().__init__("Đã hủy nhập dữ liệu; sổ hồ sơ không thay đổi.", "")


# ---------------------------------------------------------------------------- result


@dataclass(frozen=True, slots=True)
class RejectedRow:
    row: int
    reason: str


@dataclass(frozen=True, slots=True)
class PreviewRow:
    """One row of the preview the GUI shows before the officer confirms."""

    row: int
    code: str
    action: str  # added | updated | unchanged
    applicant: str
    procedure: str
    received_at: datetime | None
    changes: tuple[str, ...] = ()  # labels of the changed columns (updated rows)


@dataclass
class ImportResult:
    file_name: str
    sheet_name: str = ""
    kind: str = "khac"
    header_row: int = 0
    columns: dict[str, str] = field(default_factory=dict)  # field label → header text in the file
    ignored_columns: list[str] = field(default_factory=list)
    added: list[str] = field(default_factory=list)
    updated: dict[str, list[str]] = field(default_factory=dict)  # code → changed field labels
    unchanged: list[str] = field(default_factory=list)
    rejected: list[RejectedRow] = field(default_factory=list)
    preview: list[PreviewRow] = field(default_factory=list)
    synced_marked: int = 0
    not_in_file: list[str] = field(default_factory=list)
    period: tuple[datetime, datetime] | None = None
    dry_run: bool = True
    applied: bool = False
    backup_path: Path | None = None
    rows_read: int = 0  # rows of the sheet read, header and title rows included
    fields_found: set[str] = field(default_factory=set)  # field keys of the recognised columns

    @property
    def provincial(self) -> bool:
        return self.kind in _PROVINCIAL_KINDS

    @property
    def kind_label(self) -> str:
        return KIND_LABELS[self.kind]

    @property
    def nothing_imported(self) -> bool:
        """No row of the file could be used (all rejected, or none at all)."""
        return not (self.added or self.updated or self.unchanged)

    @property
    def missing_from_file(self) -> list[str]:
        """Local dossiers of the file's period that the provincial list lacks (same as
        :attr:`not_in_file`)."""
        return self.not_in_file

    missing_locally = missing_from_file

    def as_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "added": len(self.added),
            "updated": len(self.updated),
            "unchanged": len(self.unchanged),
            "rejected": [{"row": r.row, "reason": r.reason} for r in self.rejected],
        }
        if self.provincial:
            data["not_in_file"] = list(self.not_in_file)
        return data


# ---------------------------------------------------------------------------- catalogue


@dataclass(frozen=True)
class _Proc:
    id: uuid.UUID
    code: str
    name: str
    time_limit: float
    time_unit: str
    online_level: str
    result_is_document: bool
    citizen_facing: bool
    components: tuple[tuple[uuid.UUID, str], ...]


class _Catalogue:
    """The whole catalogue in memory: procedures by code (also the provincial form) and by
    folded name; a name found once is remembered (files repeat the same names)."""

    def __init__(self, procedures: list[_Proc]) -> None:
        self.by_id = {p.id: p for p in procedures}
        self.by_code: dict[str, _Proc] = {}
        self.by_name: dict[str, _Proc] = {}
        for proc in procedures:
            self.by_code.setdefault(proc.code.strip().upper(), proc)
            self.by_code.setdefault(base_procedure_code(proc.code).upper(), proc)
            self.by_name.setdefault(normalise_header(proc.name), proc)
        self._names = sorted(self.by_name.items(), key=lambda item: -len(item[0]))
        self._cache: dict[str, _Proc | None] = {}

    @classmethod
    def load(cls, session) -> _Catalogue:
        procedures = []
        for proc in session.scalars(select(Procedure).options(selectinload(Procedure.components))):
            procedures.append(_Proc(proc.id, proc.code, proc.name, proc.time_limit, proc.time_unit,
                                    proc.online_level, proc.result_is_document, proc.citizen_facing,
                                    tuple((c.id, c.name) for c in proc.components)))
        return cls(procedures)

    def name_of(self, procedure_id: uuid.UUID | None) -> str:
        proc = self.by_id.get(procedure_id) if procedure_id is not None else None
        return proc.name if proc is not None else ""

    def find(self, code: str, name: str) -> _Proc | None:
        if code:
            found = self.by_code.get(code.strip().upper()) or self.by_code.get(base_procedure_code(code).upper())
            if found is not None:
                return found
        if not name:
            return None
        key = normalise_header(name)
        if key in self._cache:
            return self._cache[key]
        found = self.by_name.get(key)
        if found is None:
            # "Đăng ký khai sinh cho cháu …" (Sổ theo dõi's "Nội dung hồ sơ"): the longest
            # catalogue name the text starts with; a name cut short in the file: the one
            # catalogue name it starts.
            for known, proc in self._names:
                if len(known) >= 8 and key.startswith(known + " "):
                    found = proc
                    break
            if found is None and len(key) >= 20:
                candidates = [proc for known, proc in self._names if known.startswith(key)]
                if len(candidates) == 1:
                    found = candidates[0]
        self._cache[key] = found
        return found


# ---------------------------------------------------------------------------- parsed rows


#: Field key → (label used in messages, parser). ``None`` parser: plain text.
_PARSERS: dict[str, Callable[[Any], Any]] = {
    "received_at": cv.parse_when, "submitted_at": cv.parse_when, "due_at": cv.parse_when,
    "ended_at": cv.parse_when, "returned_at": cv.parse_when,
    "status": cv.parse_status, "channel": cv.parse_channel, "supplement_count": cv.parse_count,
    "identity_checked": cv.parse_bool, "digitised": cv.parse_bool, "reused": cv.parse_bool,
    "from_kho": cv.parse_bool, "has_result_file": cv.parse_bool, "result_signed": cv.parse_bool,
    "has_end_document": cv.parse_bool, "synced": cv.parse_bool,
    "fee": cv.parse_vnd, "fee_only": cv.parse_vnd, "levy_only": cv.parse_vnd,
    "payment_method": cv.parse_payment, "satisfaction": cv.parse_satisfaction, "sets_count": cv.parse_count,
    "id_number": cv.id_number_text,
}
_TEXT_FIELDS = ("code", "procedure_code", "procedure_name", "applicant_name", "submitter_name", "phone", "address",
                "hamlet", "receipt_number", "officer", "notes")
_REPEATED = frozenset({"procedure_code", "procedure_name", "hamlet", "address", "notes", "submitter_name"})
_IGNORED_FIELDS = frozenset({"stt", "unit", "paid_at", "receipt_form", "receipt_series"})
_FLAGS = ("identity_checked", "has_result_file", "result_signed", "has_end_document")
_COMPONENT_FLAGS = ("digitised", "reused", "from_kho")

#: Labels of the stored fields, for the preview's "changed" list.
_CHANGE_LABELS = {
    "applicant_name": "Chủ hồ sơ", "submitter_name": "Người nộp", "id_number": "Số định danh",
    "phone": "Số điện thoại", "address": "Địa chỉ", "hamlet": "Thôn/Xóm", "channel": "Hình thức nộp",
    "received_at": "Ngày tiếp nhận", "due_at": "Ngày hẹn trả", "ended_at": "Ngày kết thúc xử lý",
    "returned_at": "Ngày trả kết quả", "status": "Trạng thái", "supplement_count": "Số lần yêu cầu bổ sung",
    "identity_checked": "Đã xác thực định danh", "digitised": "Số hóa thành phần hồ sơ",
    "reused": "Tái sử dụng dữ liệu số hóa", "from_kho": "Lấy từ kho dữ liệu",
    "has_result_file": "Có tệp kết quả điện tử", "result_signed": "Kết quả đã ký số",
    "has_end_document": "Văn bản từ chối/dừng/rút", "fee": "Phí, lệ phí (VNĐ)",
    "payment_method": "Hình thức thanh toán", "receipt_number": "Số biên lai", "synced": "Đã đồng bộ",
    "satisfaction": "Đánh giá hài lòng", "officer_id": "Người tiếp nhận", "sets_count": "Số lượng (bộ)",
    "notes": "Ghi chú",
}


#: The values a row may give, in the order :class:`_Row` keeps them.
_STORED = tuple(name for name in dict.fromkeys((*_PARSERS, *_TEXT_FIELDS, "id_kind", "officer_id"))
                if name not in ("code", "officer"))
_SLOT = {name: index for index, name in enumerate(_STORED)}


class _Row:
    """The values one file row gives (``None``: not given), kept in a tuple: a file of 100,000
    rows is held in memory between the preview and the writing, and a dictionary per row would
    take four times the room."""

    __slots__ = ("code", "data", "key", "proc", "row")

    def __init__(self, row: int, code: str, values: dict[str, Any]) -> None:
        self.row = row
        self.code = code
        self.key = code.casefold()
        self.data = tuple(values.get(name) for name in _STORED)
        self.proc: _Proc | None = None

    def get(self, name: str, default: Any = None) -> Any:
        value = self.data[_SLOT[name]]
        return default if value is None else value


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


class _RowParser:
    def __init__(self, layout: HeaderLayout, now: datetime, officers: dict[str, uuid.UUID]) -> None:
        self.columns = [(key, index, layout.titles[index]) for key, index in layout.columns.items()
                        if key not in _IGNORED_FIELDS]
        self.code_index = layout.columns.get("code")
        self.now = now
        self.officers = officers
        self.shared: dict[str, str] = {}

    def parse(self, number: int, row: list[Any]) -> _Row | RejectedRow | None:
        """A row's values, its rejection, or ``None`` for a row that holds no dossier."""
        width = len(row)
        raw: dict[str, Any] = {}
        for key, index, title in self.columns:
            if index < width:
                value = row[index]
                if value is None or (value.__class__ is str and not value.strip()):
                    continue
                if value.__class__ is cv.Formula:
                    return RejectedRow(number, f"Ô {_column_letter(index)}{number} (cột “{title}”) chứa công thức "
                                               f"“{value[:40]}”, không phải giá trị. Hãy chép rồi dán dạng giá trị "
                                               f"(Paste Special → Values) rồi nhập lại.")
                raw[key] = (value, title)
        if not raw:
            return None
        first = row[0] if row else None
        if first.__class__ is str and first.startswith("(") and is_column_numbers_row(row):
            return None
        code_cell = raw.pop("code", None)
        if code_cell is None:
            if is_column_numbers_row(row) or _is_totals_row(row):
                return None
            return RejectedRow(number, "Thiếu mã hồ sơ.")
        code = cv.text(code_cell[0])
        if fold(code).startswith(("tong cong", "tong so", "cong:")):
            return None  # a totals row written in the first column
        if len(code) > 80:
            return RejectedRow(number, f"Mã hồ sơ “{code[:30]}…” dài quá 80 ký tự.")
        values: dict[str, Any] = {}
        for key, (value, title) in raw.items():
            parser = _PARSERS.get(key)
            if parser is None:
                shown = cv.text(value)
                if key in _REPEATED:  # one string object per distinct value, not one per row
                    shown = self.shared.setdefault(shown, shown)
                values[key] = shown
                continue
            try:
                values[key] = parser(value)
            except cv.CellError as error:
                return RejectedRow(number, f"Cột “{title}”: {error}")
        problem = self._check(values)
        if problem:
            return RejectedRow(number, problem)
        return _Row(number, code, values)

    def _check(self, values: dict[str, Any]) -> str | None:
        number = values.get("id_number")
        if number and "*" in number:
            del values["id_number"]  # masked in an export ("0012******45"): says nothing
        elif number:
            check = check_id_number(number, current_year=self.now.year)
            if not check.ok:
                return f"Số định danh “{number}” không hợp lệ: {check.message}"
            values["id_number"] = clean_id_number(number)
            values["id_kind"] = check.kind.value if check.kind is not None else "cccd"
        if values.get("received_at") is None and values.get("submitted_at") is not None:
            values["received_at"] = values["submitted_at"]
        received = values.get("received_at")
        if received is not None:
            if received > self.now + timedelta(days=1):
                return f"Ngày tiếp nhận {received:%d/%m/%Y} ở tương lai."
            for key, label in (("due_at", "Ngày hẹn trả"), ("ended_at", "Ngày kết thúc xử lý"),
                               ("returned_at", "Ngày trả kết quả")):
                moment = values.get(key)
                if moment is not None and moment.date() < received.date():
                    return f"{label} {moment:%d/%m/%Y} trước ngày tiếp nhận {received:%d/%m/%Y}."
        if "fee" not in values and ("fee_only" in values or "levy_only" in values):
            values["fee"] = (values.get("fee_only") or 0) + (values.get("levy_only") or 0)
        submitter = values.get("submitter_name")
        if submitter:
            if not values.get("applicant_name"):
                values["applicant_name"] = submitter
            if fold(submitter) == fold(values["applicant_name"]):
                # "Người nộp" is the authorised person if any, else the applicant (peers.md §2.2).
                del values["submitter_name"]
        officer = values.pop("officer", None)
        if officer:
            values["officer_id"] = self.officers.get(fold(officer))
        return None


def _is_totals_row(row: list[Any]) -> bool:
    first = next((value for value in row if value not in (None, "")), None)
    return isinstance(first, str) and fold(first).startswith(("tong", "cong"))


# ---------------------------------------------------------------------------- reading the file


def _kind(layout: HeaderLayout) -> str:
    columns = layout.columns
    template_fields = sum(1 for header in TEMPLATE_HEADERS if _field_of_label(header) in columns)
    if template_fields >= 20:
        return "template"
    if layout.rows == 2 or "Nội dung hồ sơ" in layout.titles.values():
        return "so_theo_doi"
    fee_columns = "receipt_number" in columns or "fee_only" in columns or "levy_only" in columns
    if fee_columns and "procedure_name" not in columns and "procedure_code" not in columns:
        return "thu_phi"
    if "unit" in columns and "status" in columns:
        return "danh_sach"
    return "khac"


_LABEL_FIELDS = {spec.label: key for key, spec in FIELDS_BY_KEY.items()}


def _field_of_label(label: str) -> str:
    return _LABEL_FIELDS[label]


def _head(sheet: Sheet) -> tuple[list[tuple[int, list[Any]]], Iterator[tuple[int, list[Any]]]]:
    rows = sheet.rows()
    head = []
    for item in rows:
        head.append(item)
        if len(head) >= _HEAD_ROWS:
            break
    return head, rows


def _choose_sheet(book, file_name: str):
    best = None
    names = []
    for sheet in book.sheets:
        names.append(sheet.name)
        head, rest = _head(sheet)
        layout = find_header(head)
        if layout is not None and (best is None or layout.significant() > best[1].significant()):
            if best is not None:
                best[3].close()
            best = (sheet, layout, head, rest)
        else:
            rest.close()
    if best is None:
        if not any(True for _ in names):
            raise ImportFileError(f"Tệp “{file_name}” không có trang tính nào.", "Hãy chọn đúng tệp danh sách hồ sơ.")
        seen = ", ".join(f"“{name}”" for name in names)
        raise ImportFileError(
            f"Không tìm thấy dòng tiêu đề của danh sách hồ sơ (các cột như “Mã hồ sơ”, “Tên thủ tục”, "
            f"“Ngày tiếp nhận”) trong tệp “{file_name}” (đã xem các trang tính: {seen}).",
            "Hãy chọn đúng tệp hoặc đúng trang tính (sheet) chứa danh sách hồ sơ, hoặc dùng mẫu nhập của "
            "phần mềm (lệnh motcua template).",
        )
    return best


def _required(layout: HeaderLayout) -> None:
    columns = layout.columns
    missing = []
    if "code" not in columns:
        missing.append("Mã hồ sơ")
    if "procedure_name" in columns or "procedure_code" in columns:
        if "received_at" not in columns and "submitted_at" not in columns:
            missing.append("Ngày tiếp nhận")
        if "applicant_name" not in columns and "submitter_name" not in columns:
            missing.append("Chủ hồ sơ")
    if missing:
        names = ", ".join(f"“{name}”" for name in missing)
        raise ImportFileError(
            f"Tệp thiếu cột bắt buộc {names}.",
            "Hãy thêm cột đó (tiêu đề như trong mẫu nhập của phần mềm) rồi nhập lại.",
        )


# ---------------------------------------------------------------------------- the plan


@dataclass
class _Plan:
    result: ImportResult
    new: list[_Row]
    changes: dict[uuid.UUID, tuple[_Row, dict[str, Any]]]  # dossier id → (row, field → new value)
    added_supplements: dict[uuid.UUID, int]


_EXISTING_COLUMNS = (
    Dossier.id, Dossier.code, Dossier.deleted_at, Dossier.applicant_name, Dossier.submitter_name, Dossier.id_number,
    Dossier.phone, Dossier.address, Dossier.hamlet, Dossier.channel, Dossier.received_at, Dossier.due_at,
    Dossier.ended_at, Dossier.returned_at, Dossier.status, Dossier.supplement_count, Dossier.identity_checked,
    Dossier.has_result_file, Dossier.result_signed, Dossier.has_end_document, Dossier.fee, Dossier.payment_method,
    Dossier.receipt_number, Dossier.synced, Dossier.satisfaction, Dossier.officer_id, Dossier.sets_count, Dossier.notes,
    Dossier.procedure_id,
)
_COMPARED = ("applicant_name", "submitter_name", "id_number", "phone", "address", "hamlet", "channel", "received_at",
             "due_at", "ended_at", "returned_at", "status", "fee", "payment_method", "receipt_number",
             "satisfaction", "officer_id", "sets_count", "notes")


def _existing(session, codes: list[str]) -> dict[str, dict[str, Any]]:
    """The stored values of the dossiers with these codes, by case-folded code."""
    found: dict[str, dict[str, Any]] = {}
    names = [column.key for column in _EXISTING_COLUMNS]
    nocase = session.get_bind().dialect.name == "sqlite"
    for start in range(0, len(codes), _CHUNK):
        chunk = codes[start:start + _CHUNK]
        # The code column compares without case on SQLite (NOCASE); elsewhere the upper-case
        # form of the codes (as units write them) is asked for too.
        wanted = set(chunk) if nocase else {form for code in chunk for form in (code, code.casefold(), code.upper())}
        for values in session.execute(select(*_EXISTING_COLUMNS).where(Dossier.code.in_(wanted))):
            found[values.code.casefold()] = dict(zip(names, values))
    ids = [row["id"] for row in found.values()]
    flags: dict[uuid.UUID, tuple[bool, bool, bool]] = {}
    for start in range(0, len(ids), _CHUNK):
        query = (
            select(DossierComponent.dossier_id, *(func.max(cast(flag, Integer)) for flag in (
                DossierComponent.digitised, DossierComponent.reused, DossierComponent.from_kho)))
            .where(DossierComponent.dossier_id.in_(ids[start:start + _CHUNK]))
            .group_by(DossierComponent.dossier_id)
        )
        for dossier_id, digitised, reused, kho in session.execute(query):
            flags[dossier_id] = (bool(digitised), bool(reused), bool(kho))
    for row in found.values():
        row["digitised"], row["reused"], row["from_kho"] = flags.get(row["id"], (False, False, False))
    return found


_DATE_FIELDS = frozenset({"received_at", "due_at", "ended_at", "returned_at"})
_MIDNIGHT = datetime.min.time()


def _changes_of(row: _Row, current: dict[str, Any], provincial: bool) -> dict[str, Any]:
    values = row
    changes: dict[str, Any] = {}
    for name in _COMPARED:
        new = values.get(name)
        if new is None or new == "":
            continue
        if name in ("status", "channel"):
            new = int(new)
        old = current[name]
        if new != old and name in _DATE_FIELDS and old is not None and new.time() == _MIDNIGHT \
                and new.date() == old.date():
            continue  # a list with dates only says nothing against the stored time of day
        if new != old:
            changes[name] = new
    for name in (*_FLAGS, *_COMPONENT_FLAGS):
        if values.get(name) and not current[name]:
            changes[name] = True
    if (values.get("synced") or provincial) and not current["synced"]:
        changes["synced"] = True
    count = values.get("supplement_count")
    if count is not None and count > current["supplement_count"]:
        changes["supplement_count"] = count
    else:
        changes.pop("supplement_count", None)
    if "id_number" in changes:
        changes["id_kind"] = values.get("id_kind", "cccd")
    return changes


def _plan(ctx: AppContext, rows: list[_Row], result: ImportResult, catalogue: _Catalogue) -> _Plan:
    by_key: dict[str, list[_Row]] = {}
    for row in rows:
        by_key.setdefault(row.key, []).append(row)
    valid: list[_Row] = []
    for row in rows:
        same = by_key[row.key]
        if len(same) > 1:
            others = ", ".join(str(r.row) for r in same)
            result.rejected.append(RejectedRow(row.row, f"Mã hồ sơ “{row.code}” có ở nhiều dòng trong tệp "
                                                         f"(dòng {others}); hãy giữ một dòng."))
        else:
            valid.append(row)
    with ctx.read() as session:
        existing = _existing(session, [row.code for row in valid])
    new: list[_Row] = []
    changes: dict[uuid.UUID, tuple[_Row, dict[str, Any]]] = {}
    supplements: dict[uuid.UUID, int] = {}
    provincial = result.provincial
    for row in valid:
        current = existing.get(row.key)
        if current is not None and current["deleted_at"] is not None:
            result.rejected.append(RejectedRow(row.row, f"Hồ sơ “{row.code}” đã bị xóa khỏi sổ; không nhập lại."))
            continue
        if current is None:
            problem = _new_row_problem(row, catalogue, result)
            if problem:
                result.rejected.append(RejectedRow(row.row, problem))
                continue
            new.append(row)
            result.added.append(row.code)
            result.preview.append(PreviewRow(row.row, row.code, "added", row.get("applicant_name") or "",
                                             row.proc.name if row.proc else "", row.get("received_at")))
            continue
        changed = _changes_of(row, current, provincial)
        if changed:
            changes[current["id"]] = (row, changed)
            if "supplement_count" in changed:
                supplements[current["id"]] = changed["supplement_count"] - current["supplement_count"]
            labels = [_CHANGE_LABELS.get(name, name) for name in changed if name != "id_kind"]
            result.updated[current["code"]] = labels
            result.preview.append(PreviewRow(row.row, current["code"], "updated", current["applicant_name"],
                                             catalogue.name_of(current["procedure_id"]), current["received_at"],
                                             tuple(labels)))
        else:
            result.unchanged.append(current["code"])
            result.preview.append(PreviewRow(row.row, current["code"], "unchanged", current["applicant_name"],
                                             catalogue.name_of(current["procedure_id"]), current["received_at"]))
    result.rejected.sort(key=lambda item: item.row)
    return _Plan(result, new, changes, supplements)


def _new_row_problem(row: _Row, catalogue: _Catalogue, result: ImportResult) -> str | None:
    if "procedure_name" not in result.fields_found and "procedure_code" not in result.fields_found:
        return (f"Hồ sơ “{row.code}” chưa có trong sổ, và tệp không có cột “Tên thủ tục” nên không thêm mới "
                f"được (hãy nhập danh sách hồ sơ trước).")
    code, name = row.get("procedure_code") or "", row.get("procedure_name") or ""
    if not code and not name:
        return "Thiếu tên thủ tục (hoặc mã TTHC)."
    proc = catalogue.find(code, name)
    if proc is None:
        shown = name or code
        return (f"Không tìm thấy thủ tục “{shown[:80]}” trong danh mục (theo mã TTHC hoặc tên). Hãy thêm thủ tục vào "
                f"danh mục (Cài đặt → Danh mục thủ tục) rồi nhập lại.")
    row.proc = proc
    if row.get("received_at") is None:
        return "Thiếu ngày tiếp nhận."
    if not row.get("applicant_name"):
        return "Thiếu tên chủ hồ sơ."
    return None


# ---------------------------------------------------------------------------- import_file


def import_file(ctx: AppContext, path: Path, *, dry_run: bool = False, progress: Progress | None = None,
                cancel: Cancel | None = None) -> ImportResult:
    """Read ``path``, plan the import and, unless ``dry_run``, apply it (module docstring)."""
    path = Path(path)
    now = ctx.clock()
    result = ImportResult(file_name=path.name, dry_run=dry_run)
    if dry_run:
        return _plan_and_apply(ctx, path, now, result, None, progress, cancel)
    from .accounts import require

    require(ctx, Permission.RECEIVE)
    # The backup of the register as it is now is made on a second thread while the file is read
    # (SQLite copies without holding the GIL): at 200,000 dossiers the copy and its integrity
    # check take ~6 s, about half of reading 50,000 rows, and no longer add to the import.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="import-backup") as pool:
        backup = pool.submit(_backup, ctx)
        return _plan_and_apply(ctx, path, now, result, backup, progress, cancel)


def _plan_and_apply(ctx: AppContext, path: Path, now: datetime, result: ImportResult, backup: Future | None,
                    progress: Progress | None, cancel: Cancel | None) -> ImportResult:
    with ctx.read() as session:
        catalogue = _Catalogue.load(session)
        officers = {}
        for officer_id, full_name, username in session.execute(select(Officer.id, Officer.full_name, Officer.username)):
            officers.setdefault(fold(full_name), officer_id)
            officers.setdefault(fold(username), officer_id)
    rows = _read(path, result, now, officers, progress, cancel)
    plan = _plan(ctx, rows, result, catalogue)
    result.period = _period(rows)
    if result.provincial and result.period is not None:
        result.not_in_file = _not_in_file(ctx, result, {row.key for row in rows})
    if backup is not None:
        result.backup_path = backup.result()  # a failed backup stops the import here
    if backup is None or (not plan.new and not plan.changes):
        if progress is not None:
            progress(2 * PROGRESS_STEPS, 2 * PROGRESS_STEPS)
        return result
    _apply(ctx, plan, catalogue, now, path.name, progress, cancel)
    result.applied = True
    result.synced_marked = sum(1 for _row, changed in plan.changes.values() if "synced" in changed)
    if result.provincial:
        result.synced_marked += len(plan.new)
    log.info("Import of %s: %d added, %d updated, %d unchanged, %d rejected", result.kind, len(result.added),
             len(result.updated), len(result.unchanged), len(result.rejected))
    return result


def _read(path: Path, result: ImportResult, now: datetime, officers: dict[str, uuid.UUID],
          progress: Progress | None, cancel: Cancel | None) -> list[_Row]:
    # openpyxl warns about files from other programs (no default style, odd dates): not errors here.
    with python_warnings.catch_warnings(), open_spreadsheet(path) as book:
        python_warnings.simplefilter("ignore")
        sheet, layout, head, rest = _choose_sheet(book, path.name)
        try:
            result.sheet_name = sheet.name
            result.header_row = layout.header_row
            result.kind = _kind(layout)
            result.fields_found = set(layout.columns)
            result.columns = {FIELDS_BY_KEY[key].label: layout.titles[index] for key, index in layout.columns.items()}
            result.ignored_columns = list(layout.unknown)
            _required(layout)
            parser = _RowParser(layout, now, officers)
            rows: list[_Row] = []
            count = 0
            for number, values in _chain(head, rest):
                count += 1
                if number < layout.data_start:
                    continue
                parsed = parser.parse(number, values)
                if parsed is None:
                    pass
                elif parsed.__class__ is _Row:
                    rows.append(parsed)
                else:
                    result.rejected.append(parsed)
                if count % _CHECK_EVERY == 0:
                    if cancel is not None and cancel():
                        raise ImportCancelled()
                    if progress is not None:
                        progress(int(PROGRESS_STEPS * sheet.fraction()), 2 * PROGRESS_STEPS)
        finally:
            rest.close()
    result.rows_read = count
    if not rows and not result.rejected:
        raise ImportFileError(
            f"Trang tính “{result.sheet_name}” của tệp “{path.name}” không có dòng hồ sơ nào dưới dòng tiêu đề "
            f"(dòng {layout.header_row}).",
            "Hãy kiểm tra lại tệp: có thể đã chọn nhầm tệp hoặc tệp chỉ có tiêu đề.",
        )
    return rows


def _chain(head, rest):
    yield from head
    yield from rest


def _period(rows: list[_Row]) -> tuple[datetime, datetime] | None:
    moments = [row.get("received_at") for row in rows if row.get("received_at") is not None]
    if not moments:
        return None
    return min(moments), max(moments)


def _not_in_file(ctx: AppContext, result: ImportResult, keys: set[str]) -> list[str]:
    """Local dossiers received in the file's period (whole days) that the list does not hold."""
    first, last = result.period
    start = first.replace(hour=0, minute=0, second=0)
    end = last.replace(hour=0, minute=0, second=0) + timedelta(days=1)
    query = select(Dossier.code).where(Dossier.deleted_at.is_(None), Dossier.received_at >= start,
                                       Dossier.received_at < end)
    if result.kind == "thu_phi":  # the fee list holds only the dossiers with a fee
        query = query.where(Dossier.fee > 0)
    with ctx.read() as session:
        codes = [code for code in session.scalars(query.order_by(Dossier.received_at, Dossier.code))
                 if code.casefold() not in keys]
    return codes


def _backup(ctx: AppContext) -> Path | None:
    return backups.backup_now(ctx, "import")


# ---------------------------------------------------------------------------- applying


def _apply(ctx: AppContext, plan: _Plan, catalogue: _Catalogue, now: datetime, file_name: str,
           progress: Progress | None, cancel: Cancel | None) -> None:
    calendar = ctx.calendar()
    work = max(len(plan.new) + len(plan.changes), 1)
    done = 0

    def step(count: int) -> None:
        nonlocal done
        done += count
        if cancel is not None and cancel():
            raise ImportCancelled()
        if progress is not None:
            progress(PROGRESS_STEPS + int(PROGRESS_STEPS * done / work), 2 * PROGRESS_STEPS)

    with ctx.session() as session:
        provincial = plan.result.provincial
        writer = _BulkWriter(session)
        for start in range(0, len(plan.new), _WRITE_CHUNK):
            chunk = plan.new[start:start + _WRITE_CHUNK]
            _insert_new(session, writer, chunk, now, calendar, provincial, file_name)
            step(len(chunk))
        items = list(plan.changes.items())
        for start in range(0, len(items), _CHUNK):
            chunk = dict(items[start:start + _CHUNK])
            _update_existing(session, chunk, plan.added_supplements, now, calendar, file_name)
            session.flush()
            step(len(chunk))
        if cancel is not None and cancel():
            raise ImportCancelled()
        writer.done(session)


def _stamp() -> datetime:
    return datetime.now().replace(microsecond=0)


def _default_status(values: _Row) -> Status:
    if values.get("returned_at") is not None:
        return Status.DA_TRA_KET_QUA
    if values.get("ended_at") is not None:
        return Status.DA_XU_LY_XONG
    return Status.DUOC_TIEP_NHAN


class _BulkWriter:
    """Bulk inserts. On SQLite the rows hold the values as SQLAlchemy stores them (UUIDs as 32
    hex digits, date-times as text) and go straight to the driver's ``executemany``: SQLAlchemy's
    per-value processing would cost more than the insert itself (as in ``services/demo.py``).
    Elsewhere the rows go through SQLAlchemy Core."""

    def __init__(self, session) -> None:
        self.dialect = session.get_bind().dialect
        self.fast = self.dialect.name == "sqlite"
        self._prepared: dict[str, tuple[str, Callable[[dict], tuple], dict[str, Any]]] = {}
        if self.fast:
            self.key: Callable[[uuid.UUID | None], Any] = lambda value: value.hex if value is not None else None
            self.stamp: Callable[[datetime | None], Any] = (
                lambda moment: moment.isoformat(" ", "microseconds") if moment is not None else None)
            self.form: Callable[[int], Any] = lambda number: f"{number:032x}"
            # The indexes on names, id numbers and phones take rows in random order: with the
            # default 2 MB page cache every insert would read pages back (as in services/demo.py).
            session.connection().exec_driver_sql(f"PRAGMA cache_size=-{_CACHE_KIB}")
        else:
            self.key = self.stamp = lambda value: value
            self.form = lambda number: uuid.UUID(int=number)
        # Time-ordered keys (UUID version 7 layout: now in milliseconds, random bits fixed for
        # this import, then a counter): new rows go to the end of the primary-key and foreign-key
        # indexes instead of random pages, which halves the insert time of a large file.
        now_ms = time.time_ns() // 1_000_000
        self._prefix = (now_ms << 80 | 0x7 << 76 | secrets.randbits(12) << 64 | 0b10 << 62
                        | secrets.randbits(30) << 32)
        self._count = 0

    def done(self, session) -> None:
        """Give the pooled connection its usual page cache back."""
        if self.fast:
            session.connection().exec_driver_sql("PRAGMA cache_size=-2000")

    def new_key(self) -> tuple[int, Any]:
        """A new primary key: as a number (for ``uuid.UUID(int=…)``) and as the driver takes it."""
        self._count += 1
        number = self._prefix | self._count
        return number, self.form(number)

    def insert(self, session, model: Any, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        table = model.__table__
        if not self.fast:
            session.execute(insert(table), rows)
            return
        prepared = self._prepared.get(table.name)
        if prepared is None:
            compiled = insert(table).compile(dialect=self.dialect)
            columns = compiled.positiontup
            missing = {}
            for name in columns:  # a column added to the model later: its scalar default
                if name not in rows[0]:
                    default = table.c[name].default
                    missing[name] = default.arg if default is not None and default.is_scalar else None
            prepared = (str(compiled), operator.itemgetter(*columns), missing)
            self._prepared[table.name] = prepared
        sql, getter, missing = prepared
        if missing:
            for row in rows:
                row.update(missing)
        session.connection().exec_driver_sql(sql, [getter(row) for row in rows])


def _insert_new(session, writer: _BulkWriter, rows: list[_Row], now: datetime, calendar: cal.WorkCalendar,
                provincial: bool, file_name: str) -> None:
    key, stamp = writer.key, writer.stamp

    def new_key() -> Any:
        return writer.new_key()

    def fresh() -> Any:
        return writer.new_key()[1]

    moment = _stamp()
    dossiers, components, changes, supplements, warning_rows = [], [], [], [], []
    ids = []
    base = {"created_at": stamp(moment), "updated_at": stamp(moment), "version": 1}
    officer_id = key(session.info.get(audit.OFFICER_KEY))
    note = f"Nhập từ tệp {file_name}"[:300]
    now_stamp = stamp(now)
    for row in rows:
        v = row
        proc = row.proc
        number, dossier_id = new_key()
        ids.append(uuid.UUID(int=number))
        received: datetime = v.get("received_at")
        due = v.get("due_at")
        if due is None:
            due = cal.due_at(received, proc.time_limit, cal.TimeUnit(proc.time_unit), calendar)
        status = Status(v.get("status")) if v.get("status") is not None else _default_status(v)
        channel = Channel(v.get("channel")) if v.get("channel") is not None else Channel.TRUC_TIEP
        ended = v.get("ended_at")
        if ended is None and status in ENDED_STATUSES and v.get("returned_at") is not None:
            ended = v.get("returned_at")
        fee = v.get("fee") or 0
        payment = v.get("payment_method") or ("" if fee > 0 else "mien")
        synced = bool(v.get("synced")) or provincial
        identity = bool(v.get("identity_checked"))
        count = v.get("supplement_count") or 0
        supplement_facts = []
        for index in range(count):
            open_request = status == Status.YEU_CAU_BO_SUNG and index == count - 1
            completed = None if open_request else received
            supplements.append({**base, "id": fresh(), "dossier_id": dossier_id,
                                "requested_at": stamp(received), "completed_at": stamp(completed), "items": "",
                                "reason": note, "officer_id": None})
            supplement_facts.append(SupplementFacts(received, completed))
        applicant = v.get("applicant_name") or ""
        id_number = v.get("id_number") or ""
        id_kind = v.get("id_kind", "cccd")
        has_result, signed, has_end = (bool(v.get("has_result_file")), bool(v.get("result_signed")),
                                       bool(v.get("has_end_document")))
        satisfaction = v.get("satisfaction") or ""
        dossiers.append({
            **base, "id": dossier_id, "code": row.code, "procedure_id": key(proc.id),
            "applicant_name": applicant, "applicant_fold": fold(applicant),
            "id_number": id_number, "id_kind": id_kind,
            "phone": v.get("phone") or "", "address": v.get("address") or "", "hamlet": v.get("hamlet") or "",
            "submitter_name": v.get("submitter_name") or "", "channel": int(channel), "status": int(status),
            "received_at": stamp(received), "due_at": stamp(due), "due_changed_reason": "", "ended_at": stamp(ended),
            "returned_at": stamp(v.get("returned_at")), "effective_due_at": stamp(due),
            "paused_at": stamp(received) if status == Status.YEU_CAU_BO_SUNG and count else None,
            "supplement_count": count, "officer_id": key(v.get("officer_id")), "sets_count": v.get("sets_count") or 1,
            "fee": fee, "payment_method": payment, "receipt_number": v.get("receipt_number") or "",
            "identity_checked": identity, "identity_method": "csdl_dan_cu" if identity else "",
            "has_result_file": has_result, "result_signed": signed, "has_end_document": has_end, "end_reason": "",
            "synced": synced, "synced_at": now_stamp if synced else None, "satisfaction": satisfaction,
            "notes": v.get("notes") or "", "deleted_at": None, "delete_reason": "",
        })
        flags = {name: bool(v.get(name)) for name in _COMPONENT_FLAGS}
        for order, (component_id, name) in enumerate(proc.components):
            components.append({**base, "id": fresh(), "dossier_id": dossier_id,
                               "procedure_component_id": key(component_id), "name": name, "sort_order": order,
                               "not_required": False, **flags})
        changes.append({**base, "id": fresh(), "dossier_id": dossier_id, "from_status": None,
                        "to_status": int(status), "action": IMPORT_ACTION, "changed_at": stamp(received),
                        "officer_id": officer_id, "note": note})
        facts = DossierFacts(
            status=status, channel=channel, received_at=received, due_at=due, ended_at=ended,
            result_is_document=proc.result_is_document, citizen_facing=proc.citizen_facing,
            online_level=OnlineLevel(proc.online_level), identity_checked=identity,
            id_number=id_number, id_kind=id_kind,
            any_component_digitised=flags["digitised"] and bool(proc.components),
            any_reused=flags["reused"] and bool(proc.components),
            any_from_kho=flags["from_kho"] and bool(proc.components),
            has_result_file=has_result, result_signed=signed, has_end_document=has_end, fee=fee,
            payment_method=payment, synced=synced, satisfaction=satisfaction, supplements=tuple(supplement_facts),
        )
        for rule in evaluate(facts, now, calendar):
            warning_rows.append({**base, "id": fresh(), "dossier_id": dossier_id, "rule": rule,
                                 "since": now_stamp})
    for model, values in ((Dossier, dossiers), (DossierComponent, components), (StatusChange, changes),
                          (SupplementRequest, supplements), (DossierWarning, warning_rows)):
        writer.insert(session, model, values)
    audit.record_imported(session, ids, file_name)


def _update_existing(session, chunk: dict[uuid.UUID, tuple[_Row, dict[str, Any]]], added_supplements: dict[uuid.UUID, int],
                     now: datetime, calendar: cal.WorkCalendar, file_name: str) -> None:
    query = (
        select(Dossier)
        .where(Dossier.id.in_(list(chunk)))
        .options(selectinload(Dossier.components), selectinload(Dossier.supplements),
                 selectinload(Dossier.warnings), selectinload(Dossier.procedure))
    )
    officer_id = session.info.get(audit.OFFICER_KEY)
    note = f"Cập nhật từ tệp {file_name}"[:300]
    for dossier in session.scalars(query):
        _row, changed = chunk[dossier.id]
        for name, value in changed.items():
            if name in _COMPONENT_FLAGS:
                for component in dossier.components:
                    setattr(component, name, True)
            elif name == "synced":
                dossier.synced, dossier.synced_at = True, now
            elif name == "identity_checked":
                dossier.identity_checked = True
                dossier.identity_method = dossier.identity_method or "csdl_dan_cu"
            elif name == "status":
                dossier.history.append(StatusChange(from_status=dossier.status, to_status=value, action=IMPORT_ACTION,
                                                    changed_at=now, officer_id=officer_id, note=note))
                dossier.status = value
            elif name == "due_at":
                shift = (dossier.effective_due_at - dossier.due_at) if dossier.effective_due_at and dossier.due_at \
                    else timedelta(0)
                dossier.due_at, dossier.effective_due_at = value, value + shift
            elif name == "applicant_name":
                dossier.applicant_name, dossier.applicant_fold = value, fold(value)
            elif name == "supplement_count":
                for _ in range(added_supplements.get(dossier.id, 0)):
                    dossier.supplements.append(SupplementRequest(requested_at=dossier.received_at,
                                                                 completed_at=dossier.received_at, reason=note))
                dossier.supplement_count = value
            else:
                setattr(dossier, name, value)
        warnings.refresh(session, dossier, now, calendar)


# ---------------------------------------------------------------------------- the template


_HELP: tuple[tuple[str, str, str, str], ...] = (
    ("Mã hồ sơ", "Bắt buộc", ("Mã hồ sơ như trên phiếu tiếp nhận; mỗi mã một dòng. Mã đã có trong sổ thì dòng đó "
     "cập nhật hồ sơ cũ."), "000.00.53.H48-250725-0001"),
    ("Mã TTHC", "Cần Mã TTHC hoặc Tên thủ tục", ("Mã thủ tục trong danh mục (1.001193 hoặc "
     "1.001193.000.00.00.H48)."), "1.001193"),
    ("Tên thủ tục", "Cần Mã TTHC hoặc Tên thủ tục", ("Tên thủ tục như trong danh mục (không phân biệt hoa thường, "
     "có dấu hay không dấu)."), "Đăng ký khai sinh"),
    ("Chủ hồ sơ", "Bắt buộc khi thêm mới", "Họ và tên chủ hồ sơ.", "Nguyễn Thị Lan"),
    ("Số định danh", "Không bắt buộc", ("Số định danh cá nhân 12 số (hoặc CMND cũ 9 số). Nên định dạng ô là Văn bản "
     "để giữ số 0 ở đầu."), "001203004545"),
    ("Số điện thoại", "Không bắt buộc", "Chữ số.", "0912345678"),
    ("Địa chỉ", "Không bắt buộc", "Địa chỉ chủ hồ sơ.", "Xóm Đồng Bầu, xã Phú Lạc"),
    ("Thôn/Xóm", "Không bắt buộc", "Thôn, xóm, ấp, khu phố.", "Xóm Đồng Bầu"),
    ("Hình thức nộp", "Không bắt buộc (mặc định Trực tiếp)", ("Trực tiếp · Trực tuyến · Bưu chính công ích "
     "(hoặc mã 1, 2, 3)."), "Trực tiếp"),
    ("Ngày tiếp nhận", "Bắt buộc khi thêm mới", ("Ngày dạng dd/mm/yyyy, có thể kèm giờ HH:MM hoặc HH:MM:SS; hoặc ô "
     "kiểu Ngày của Excel."), "25/07/2025 08:30"),
    ("Ngày hẹn trả", "Không bắt buộc", ("Như Ngày tiếp nhận. Để trống: phần mềm tự tính theo thời hạn của thủ tục "
     "và lịch ngày làm việc."), "28/07/2025"),
    ("Ngày kết thúc xử lý", "Không bắt buộc", "Ngày có kết quả (hoặc từ chối, dừng, rút).", "26/07/2025 15:00"),
    ("Ngày trả kết quả", "Không bắt buộc", "Ngày trả kết quả cho công dân.", "27/07/2025 09:00"),
    ("Trạng thái", "Không bắt buộc", ("Mã 1–10 hoặc tên: Mới đăng ký · Được tiếp nhận · Không được tiếp nhận · "
     "Đang xử lý · Yêu cầu bổ sung giấy tờ · Yêu cầu thực hiện nghĩa vụ tài chính · Công dân yêu cầu rút hồ sơ · "
     "Dừng xử lý · Đã xử lý xong · Đã trả kết quả. Để trống: suy ra từ các ngày."), "Đã trả kết quả"),
    ("Số lần yêu cầu bổ sung", "Không bắt buộc", "Số nguyên (0, 1, 2 …).", "0"),
    ("Đã xác thực định danh", "Không bắt buộc", ("Có / Không (hoặc x, 1, 0, ✓): đã xác thực với CSDL quốc gia về "
     "dân cư hoặc VNeID."), "Có"),
    ("Số hóa thành phần hồ sơ", "Không bắt buộc", "Có / Không: thành phần hồ sơ đã được số hóa.", "Có"),
    ("Tái sử dụng dữ liệu số hóa", "Không bắt buộc", "Có / Không.", "Không"),
    ("Lấy từ kho dữ liệu", "Không bắt buộc", "Có / Không: lấy giấy tờ từ kho dữ liệu của công dân.", "Không"),
    ("Có tệp kết quả điện tử", "Không bắt buộc", ("Có / Không: tệp kết quả có trên hệ thống của tỉnh (phần mềm ghi "
     "nhận, không cần tệp trên máy)."), "Có"),
    ("Kết quả đã ký số", "Không bắt buộc", "Có / Không.", "Có"),
    ("Văn bản từ chối/dừng/rút", "Không bắt buộc", "Có / Không: đã có văn bản từ chối, dừng xử lý hoặc rút hồ sơ.",
     "Không"),
    ("Phí, lệ phí (VNĐ)", "Không bắt buộc", "Số tiền đồng, số hoặc chữ dạng 1.000.000.", "8.000"),
    ("Hình thức thanh toán", "Không bắt buộc", "Trực tuyến · Tiền mặt · Chuyển khoản · Miễn.", "Trực tuyến"),
    ("Đã đồng bộ", "Không bắt buộc", "Có / Không: đã nhập vào hệ thống một cửa của tỉnh / đồng bộ Cổng DVCQG.",
     "Có"),
    ("Đánh giá hài lòng", "Không bắt buộc", "Rất hài lòng · Hài lòng · Không hài lòng · Chưa đánh giá.",
     "Hài lòng"),
    ("Người tiếp nhận", "Không bắt buộc", "Họ tên (hoặc tên đăng nhập) của cán bộ có trong phần mềm.",
     "Nguyễn Thị Lan"),
    ("Ghi chú", "Không bắt buộc", "Ghi chú tự do.", ""),
)

_WIDTHS = {"Mã hồ sơ": 28, "Tên thủ tục": 40, "Chủ hồ sơ": 24, "Địa chỉ": 30, "Ghi chú": 30, "Trạng thái": 22,
           "Hình thức thanh toán": 20, "Đánh giá hài lòng": 18, "Người tiếp nhận": 22}


def write_template(path: Path) -> Path:
    """The import template ("Mẫu nhập hồ sơ"): the headers of SPEC §7 in order (frozen, with
    drop-down lists for the coded columns) and a second sheet explaining each column."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ..domain.status import STATUS_LABELS
    from ..storage.safe_write import write_with

    assert tuple(item[0] for item in _HELP) == TEMPLATE_HEADERS
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Mẫu nhập hồ sơ"
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDEBF7")
    sheet.append(list(TEMPLATE_HEADERS))
    for index, header in enumerate(TEMPLATE_HEADERS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font, cell.fill = bold, fill
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(header, max(14, min(len(header) + 2, 24)))
        if header.startswith("Ngày"):
            for row in range(2, 2001):
                sheet.cell(row=row, column=index).number_format = "dd/mm/yyyy hh:mm"
        elif header in ("Số định danh", "Số điện thoại", "Mã hồ sơ", "Mã TTHC"):
            for row in range(2, 2001):
                sheet.cell(row=row, column=index).number_format = "@"
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 32

    def choices(header: str, values: list[str]) -> None:
        column = get_column_letter(TEMPLATE_HEADERS.index(header) + 1)
        validation = DataValidation(type="list", formula1='"' + ",".join(values) + '"', allow_blank=True,
                                    showErrorMessage=False)
        validation.add(f"{column}2:{column}5000")
        sheet.add_data_validation(validation)

    for header in ("Đã xác thực định danh", "Số hóa thành phần hồ sơ", "Tái sử dụng dữ liệu số hóa",
                   "Lấy từ kho dữ liệu", "Có tệp kết quả điện tử", "Kết quả đã ký số", "Văn bản từ chối/dừng/rút",
                   "Đã đồng bộ"):
        choices(header, ["Có", "Không"])
    choices("Hình thức nộp", ["Trực tiếp", "Trực tuyến", "Bưu chính công ích"])
    choices("Hình thức thanh toán", list(cv.PAYMENT_LABELS.values()))
    choices("Đánh giá hài lòng", list(cv.SATISFACTION_LABELS.values()))
    # The status labels are too long for one list formula (255 characters): the help sheet lists them.
    _ = STATUS_LABELS

    guide = workbook.create_sheet("Hướng dẫn")
    guide.append(["Cột", "Bắt buộc", "Giá trị được phép", "Ví dụ"])
    for cell in guide[1]:
        cell.font, cell.fill = bold, fill
    for item in _HELP:
        guide.append(list(item))
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            cell.number_format = "@"
    for letter, width in zip("ABCD", (28, 26, 80, 28)):
        guide.column_dimensions[letter].width = width
    guide.freeze_panes = "A2"
    guide.append([])
    guide.append(["Ghi chú", "", ("Dòng tiêu đề phải giữ nguyên (thứ tự cột có thể đổi). Nhập lại cùng một tệp không "
                  "tạo hồ sơ trùng: hồ sơ được so theo Mã hồ sơ. Ô trống không xóa dữ liệu đã có."), ""])
    guide.cell(row=guide.max_row, column=3).alignment = Alignment(wrap_text=True, vertical="top")
    return write_with(Path(path), workbook.save)


__all__ = [
    "ImportCancelled",
    "ImportFileError",
    "ImportResult",
    "PreviewRow",
    "RejectedRow",
    "import_file",
    "write_template",
]

"""The procedure catalogue in and out of Excel: the export is
:func:`.exports.export_catalogue`; :func:`import_catalogue` reads such a file back.

The import matches columns by header text (case and diacritics ignored), accepts codes or the
Vietnamese labels for units, online levels, fee kinds and copy kinds, checks every procedure as
the catalogue editor does, and then applies all of them in one transaction — or nothing, with the
problems listed by row.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from ..domain.calendar import TimeUnit
from ..domain.procedure import CopyKind, FeeKind, OnlineLevel
from ..domain.roles import Permission
from ..domain.text import fold, nfc
from ..storage.errors import UserFixableError
from ..storage.models import Procedure
from .catalogue import ComponentInput, ProcedureInput, _component, validate_procedure
from .context import AppContext
from .exports import CATALOGUE_COLUMNS, CATALOGUE_SHEET, COMPONENT_COLUMNS, COMPONENT_SHEET

_YES = {"co", "x", "1", "yes", "true", "✓", "v", "dung"}
_NO = {"khong", "0", "no", "false", "", "sai"}


@dataclass
class CatalogueImportResult:
    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, int]:
        return {"added": len(self.added), "updated": len(self.updated), "unchanged": len(self.unchanged)}


def _choices(kind, extra: dict[str, str] | None = None) -> dict[str, str]:
    mapping = {}
    for member in kind:
        mapping[fold(member.value.replace("_", " "))] = member.value
        mapping[fold(member.label)] = member.value
    mapping.update(extra or {})
    return mapping


_UNITS = _choices(TimeUnit)
_LEVELS = _choices(OnlineLevel, {"mot phan": "mot_phan", "toan trinh": "toan_trinh", "khong": "khong"})
_FEES = _choices(FeeKind, {"mien": "free", "khong thu": "free", "co dinh": "fixed", "theo trang": "per_page"})
_COPIES = _choices(CopyKind)


class CatalogueFileError(UserFixableError):
    pass


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value == int(value):
        value = int(value)
    return nfc(str(value).strip())


def _number(value: Any, row: int, header: str, problems: list[str]) -> float:
    if value is None or value == "":
        return 0
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return value
    text = str(value).strip().replace(".", "").replace(",", ".").replace(" ", "")
    try:
        return float(text)
    except ValueError:
        problems.append(f"Dòng {row}: “{header}” phải là số (đang là “{value}”).")
        return 0


def _integer(value: Any, row: int, header: str, problems: list[str]) -> int:
    number = _number(value, row, header, problems)
    if number != int(number):
        problems.append(f"Dòng {row}: “{header}” phải là số nguyên.")
    return int(number)


def _choice(mapping: dict[str, str], value: Any, default: str, row: int, header: str, problems: list[str]) -> str:
    text = fold(_text(value))
    if not text:
        return default
    if text in mapping:
        return mapping[text]
    problems.append(f"Dòng {row}: “{header}” không hiểu giá trị “{_text(value)}”.")
    return default


def _yes(value: Any, default: bool, row: int, header: str, problems: list[str]) -> bool:
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    text = fold(_text(value))
    if text in _YES:
        return True
    if text in _NO:
        return False
    problems.append(f"Dòng {row}: “{header}” phải là Có hoặc Không (đang là “{_text(value)}”).")
    return default


def _rows(sheet, headers: tuple[str, ...], required: tuple[str, ...]) -> tuple[dict[str, int], list[tuple[int, tuple]]]:
    """The header row (found among the first 10 rows) and the data rows after it."""
    wanted = {fold(h): h for h in headers}
    rows = sheet.iter_rows(values_only=True)
    for number, values in enumerate(rows, start=1):
        found = {wanted[fold(_text(v))]: i for i, v in enumerate(values) if fold(_text(v)) in wanted}
        if all(h in found for h in required):
            data = [(number + offset, tuple(r)) for offset, r in enumerate(rows, start=1)]
            return found, data
        if number >= 10:
            break
    missing = ", ".join(f"“{h}”" for h in required)
    raise CatalogueFileError(f"Trang “{sheet.title}” không có dòng tiêu đề với các cột {missing}.",
                             "Hãy dùng tệp danh mục do Sổ Một Cửa xuất ra.")


def read_catalogue(path: Path) -> list[ProcedureInput]:
    """Parse and check the file; raise :class:`CatalogueFileError` listing every problem."""
    from openpyxl import load_workbook

    path = Path(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except FileNotFoundError as error:
        raise CatalogueFileError(f"Không tìm thấy tệp “{path.name}”.", "Hãy chọn lại tệp.") from error
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise CatalogueFileError(f"Tệp “{path.name}” không phải tệp Excel (.xlsx) đọc được.",
                                 "Hãy chọn tệp danh mục do Sổ Một Cửa xuất ra.") from error
    try:
        names = {fold(name): name for name in workbook.sheetnames}
        if fold(CATALOGUE_SHEET) not in names:
            raise CatalogueFileError(f"Tệp “{path.name}” không có trang “{CATALOGUE_SHEET}”.",
                                     "Hãy chọn tệp danh mục do Sổ Một Cửa xuất ra.")
        problems: list[str] = []
        headers = tuple(c.header for c in CATALOGUE_COLUMNS)
        index, rows = _rows(workbook[names[fold(CATALOGUE_SHEET)]], headers, ("Mã TTHC", "Tên thủ tục"))
        procedures: dict[str, ProcedureInput] = {}
        rows_of: dict[str, int] = {}
        for number, values in rows:
            def get(header: str, values: tuple = values) -> Any:
                position = index.get(header)
                return values[position] if position is not None and position < len(values) else None

            code, name = _text(get("Mã TTHC")), _text(get("Tên thủ tục"))
            if not name and (not code or fold(code).startswith("tong cong")):
                continue  # blank line or the totals row
            if code in procedures:
                problems.append(f"Dòng {number}: mã “{code}” trùng với dòng {rows_of[code]}.")
                continue
            data = ProcedureInput(
                code=code, name=name, field=_text(get("Lĩnh vực")),
                time_limit=_number(get("Thời hạn giải quyết"), number, "Thời hạn giải quyết", problems),
                time_unit=_choice(_UNITS, get("Đơn vị thời hạn"), TimeUnit.NGAY_LAM_VIEC.value, number,
                                  "Đơn vị thời hạn", problems),
                online_level=_choice(_LEVELS, get("Mức độ trực tuyến"), OnlineLevel.KHONG.value, number,
                                     "Mức độ trực tuyến", problems),
                fee_kind=_choice(_FEES, get("Loại phí"), FeeKind.FREE.value, number, "Loại phí", problems),
                fee_amount=_integer(get("Mức phí (VNĐ)"), number, "Mức phí (VNĐ)", problems),
                fee_first_pages=_integer(get("Số trang tính mức đầu"), number, "Số trang tính mức đầu", problems),
                fee_later_amount=_integer(get("Phí mỗi trang sau (VNĐ)"), number, "Phí mỗi trang sau (VNĐ)",
                                          problems),
                fee_cap=_integer(get("Mức thu tối đa (VNĐ)"), number, "Mức thu tối đa (VNĐ)", problems),
                fee_note=_text(get("Ghi chú phí")),
                result_is_document=_yes(get("Kết quả là văn bản"), True, number, "Kết quả là văn bản", problems),
                citizen_facing=_yes(get("Phục vụ người dân"), True, number, "Phục vụ người dân", problems),
                active=_yes(get("Đang áp dụng"), True, number, "Đang áp dụng", problems),
            )
            for message in validate_procedure(data).values():
                problems.append(f"Dòng {number} (mã “{code}”): {message}")
            procedures[code] = data
            rows_of[code] = number
        if fold(COMPONENT_SHEET) in names:
            headers = tuple(c.header for c in COMPONENT_COLUMNS)
            index, rows = _rows(workbook[names[fold(COMPONENT_SHEET)]], headers, ("Mã TTHC", "Tên giấy tờ"))
            for number, values in rows:
                def get(header: str, values: tuple = values) -> Any:
                    position = index.get(header)
                    return values[position] if position is not None and position < len(values) else None

                code, name = _text(get("Mã TTHC")), _text(get("Tên giấy tờ"))
                if not code and not name:
                    continue
                if code not in procedures:
                    problems.append(f"Trang “{COMPONENT_SHEET}” dòng {number}: mã “{code}” không có trong "
                                    f"trang “{CATALOGUE_SHEET}”.")
                    continue
                if not name:
                    problems.append(f"Trang “{COMPONENT_SHEET}” dòng {number}: chưa có tên giấy tờ.")
                    continue
                procedures[code].components.append(ComponentInput(
                    name=name,
                    copy_kind=_choice(_COPIES, get("Bản chính/bản sao"), CopyKind.BAN_CHINH.value, number,
                                      "Bản chính/bản sao", problems),
                    quantity=max(_integer(get("Số lượng"), number, "Số lượng", problems), 1),
                    reusable=_yes(get("Có thể tái sử dụng"), False, number, "Có thể tái sử dụng", problems),
                ))
    finally:
        workbook.close()
    if problems:
        shown = problems[:20]
        more = f" (và {len(problems) - 20} lỗi khác)" if len(problems) > 20 else ""
        error = CatalogueFileError("Tệp danh mục có lỗi, chưa nhập gì: " + " ".join(shown) + more,
                                   "Hãy sửa các dòng trên trong tệp rồi nhập lại.")
        error.problems = problems  # type: ignore[attr-defined]
        raise error
    if not procedures:
        raise CatalogueFileError(f"Tệp “{path.name}” không có thủ tục nào.", "Hãy chọn đúng tệp danh mục.")
    return list(procedures.values())


def _snapshot(row: Procedure) -> tuple:
    return (
        row.name, row.field, row.time_limit, row.time_unit, row.online_level, row.fee_kind, row.fee_amount,
        row.fee_first_pages, row.fee_later_amount, row.fee_cap, row.fee_note, row.result_is_document,
        row.citizen_facing, row.active,
        tuple((c.name, c.copy_kind, c.quantity, c.reusable) for c in row.components),
    )


def import_catalogue(ctx: AppContext, path: Path, *, dry_run: bool = False) -> CatalogueImportResult:
    """Add or update (by Mã TTHC) every procedure of the file, in one transaction.

    Procedures of the database that are not in the file are left as they are."""
    from .accounts import require

    require(ctx, Permission.EDIT_CATALOGUE)
    items = read_catalogue(path)
    result = CatalogueImportResult()
    with ctx.session() as session:
        existing = {p.code: p for p in session.scalars(select(Procedure).options(
            selectinload(Procedure.components)))}
        for data in items:
            row = existing.get(data.code)
            before = _snapshot(row) if row is not None else None
            if row is None:
                row = Procedure(code=data.code, name="", name_fold="")
                session.add(row)
            for name, value in vars(data).items():
                if name != "components":
                    setattr(row, name, nfc(value.strip()) if isinstance(value, str) else value)
            row.name_fold = fold(row.name)
            keep = {c.name: c for c in row.components}
            wanted = [(keep.get(nfc(c.name.strip())), c) for c in data.components]
            if before is None or before[-1] != tuple(
                (nfc(c.name.strip()), c.copy_kind, max(c.quantity, 1), c.reusable) for c in data.components
            ):
                row.components = [_component(old, c, i) for i, (old, c) in enumerate(wanted)]
            if before is None:
                result.added.append(data.code)
            elif _snapshot(row) != before:
                result.updated.append(data.code)
            else:
                result.unchanged.append(data.code)
        if dry_run:
            session.rollback()
    return result


__all__ = ["CatalogueFileError", "CatalogueImportResult", "import_catalogue", "read_catalogue"]

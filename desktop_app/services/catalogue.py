"""The procedure catalogue: picking a procedure at intake and editing the catalogue."""

from __future__ import annotations

import dataclasses
import uuid
from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from ..domain.calendar import TimeUnit
from ..domain.procedure import CopyKind, FeeKind, OnlineLevel, procedure_code_problem
from ..domain.roles import Permission
from ..domain.text import fold, nfc, sort_key
from ..storage.dossier_queries import escape_like, like_nocase
from ..storage.models import Procedure, ProcedureComponent
from .accounts import require
from .context import AppContext
from .intake import ValidationFailed
from .views import ProcedureView


def list_procedures(ctx: AppContext, *, include_inactive: bool = False, search: str = "") -> list[ProcedureView]:
    with ctx.read() as session:
        query = select(Procedure).options(selectinload(Procedure.components))
        if not include_inactive:
            query = query.where(Procedure.active.is_(True))
        text = search.strip()
        if text:
            query = query.where(
                or_(
                    Procedure.name_fold.like(f"%{escape_like(fold(text))}%", escape="\\"),
                    like_nocase(Procedure.code, f"%{escape_like(text)}%"),
                )
            )
        rows = [ProcedureView.of(p) for p in session.scalars(query)]
    return sorted(rows, key=lambda p: sort_key(p.name))


def get_procedure(ctx: AppContext, procedure_id: uuid.UUID) -> ProcedureView:
    with ctx.read() as session:
        row = session.get(Procedure, procedure_id)
        if row is None:
            raise ValidationFailed({"procedure": "Không tìm thấy thủ tục."})
        return ProcedureView.of(row)


@dataclass
class ComponentInput:
    name: str
    copy_kind: str = CopyKind.BAN_CHINH.value
    quantity: int = 1
    reusable: bool = False


@dataclass
class ProcedureInput:
    code: str
    name: str
    field: str = ""
    time_limit: float = 0
    time_unit: str = TimeUnit.NGAY_LAM_VIEC.value
    online_level: str = OnlineLevel.KHONG.value
    fee_kind: str = FeeKind.FREE.value
    fee_amount: int = 0
    fee_first_pages: int = 0
    fee_later_amount: int = 0
    fee_cap: int = 0
    fee_note: str = ""
    result_is_document: bool = True
    citizen_facing: bool = True
    active: bool = True
    components: list[ComponentInput] = dataclasses.field(default_factory=list)


def validate_procedure(data: ProcedureInput) -> dict[str, str]:
    errors = {}
    problem = procedure_code_problem(data.code)
    if problem:
        errors["code"] = problem
    if not data.name.strip():
        errors["name"] = "Chưa nhập tên thủ tục."
    if data.time_limit < 0:
        errors["time_limit"] = "Thời hạn giải quyết không được âm."
    if data.time_unit != TimeUnit.GIO.value and data.time_limit != int(data.time_limit):
        errors["time_limit"] = "Thời hạn tính theo ngày hoặc tháng phải là số nguyên."
    if min(data.fee_amount, data.fee_later_amount, data.fee_cap, data.fee_first_pages) < 0:
        errors["fee"] = "Mức phí không được âm."
    if data.fee_kind == FeeKind.FIXED.value and data.fee_amount <= 0:
        errors["fee"] = "Phí cố định phải lớn hơn 0 (hoặc chọn “Miễn phí”)."
    if any(not c.name.strip() for c in data.components):
        errors["components"] = "Thành phần hồ sơ phải có tên."
    return errors


def save_procedure(ctx: AppContext, data: ProcedureInput, procedure_id: uuid.UUID | None = None,
                   expected_version: int | None = None) -> ProcedureView:
    require(ctx, Permission.EDIT_CATALOGUE)
    errors = validate_procedure(data)
    if errors:
        raise ValidationFailed(errors)
    with ctx.session() as session:
        clash = session.scalar(select(Procedure).where(Procedure.code == data.code.strip()))
        if clash is not None and clash.id != procedure_id:
            raise ValidationFailed({"code": f"Mã thủ tục “{data.code.strip()}” đã có trong danh mục."})
        row = session.get(Procedure, procedure_id) if procedure_id else None
        if row is None:
            row = Procedure(code="", name="", name_fold="")
            session.add(row)
        elif expected_version is not None and row.version != expected_version:
            from ..storage.errors import ConflictError

            raise ConflictError("Thủ tục vừa được người khác sửa.", "Hãy mở lại danh mục rồi sửa lại.")
        for name, value in vars(data).items():
            if name != "components":
                setattr(row, name, nfc(value.strip()) if isinstance(value, str) else value)
        row.name_fold = fold(row.name)
        keep = {c.name: c for c in row.components}
        row.components = [
            _component(keep.get(nfc(c.name.strip())), c, index) for index, c in enumerate(data.components)
        ]
        session.flush()
        return ProcedureView.of(row)


def _component(row: ProcedureComponent | None, data: ComponentInput, index: int) -> ProcedureComponent:
    row = row or ProcedureComponent(name="")
    row.name, row.copy_kind, row.quantity = nfc(data.name.strip()), data.copy_kind, max(data.quantity, 1)
    row.reusable, row.sort_order = data.reusable, index
    return row

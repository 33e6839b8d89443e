"""Following a dossier: view, edit, status actions with their history, attachments."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from ..domain.identity import IdKind, check_id_number, clean_id_number
from ..domain.status import Action, Status, next_status
from ..domain.text import fold, nfc
from ..storage.dossier_queries import (
    DossierFilter,
    DossierRow,
    count_dossiers,
    fetch_first_page,
    fetch_page,
)
from ..storage.errors import ConflictError, UserFixableError
from ..storage.models import Dossier, DossierComponent, StatusChange, SupplementRequest
from . import warnings
from .context import AppContext
from .intake import IDENTITY_METHODS, PAYMENT_METHODS, ValidationFailed, store_files
from .views import DossierView, dossier_view

SATISFACTION_VALUES = ("rat_hai_long", "hai_long", "khong_hai_long", "chua_danh_gia")


def _load(session: Session, dossier_id: uuid.UUID) -> Dossier:
    dossier = session.scalar(
        select(Dossier)
        .where(Dossier.id == dossier_id, Dossier.deleted_at.is_(None))
        .options(
            selectinload(Dossier.components).selectinload(DossierComponent.attachments),
            selectinload(Dossier.attachments),
            selectinload(Dossier.history).selectinload(StatusChange.officer),
            selectinload(Dossier.supplements),
            selectinload(Dossier.procedure),
            selectinload(Dossier.officer),
            selectinload(Dossier.warnings),
        )
    )
    if dossier is None:
        raise UserFixableError("Không tìm thấy hồ sơ (có thể đã bị xóa).", "Hãy tải lại danh sách.")
    return dossier


def _check_version(dossier: Dossier, expected: int | None) -> None:
    if expected is not None and dossier.version != expected:
        raise ConflictError(
            f"Hồ sơ {dossier.code} vừa được người khác sửa và lưu trước bạn; thay đổi của bạn chưa được lưu.",
            "Hãy mở lại hồ sơ để xem bản mới nhất rồi làm lại.",
        )


def get_dossier(ctx: AppContext, dossier_id: uuid.UUID) -> DossierView:
    with ctx.read() as session:
        return dossier_view(_load(session, dossier_id))


def find_by_code(ctx: AppContext, code: str) -> DossierView | None:
    with ctx.read() as session:
        found = session.scalar(select(Dossier.id).where(Dossier.code == code.strip(), Dossier.deleted_at.is_(None)))
        return dossier_view(_load(session, found)) if found else None


def list_page(ctx: AppContext, flt: DossierFilter, *, sort_key: str = "received_at", descending: bool = True,
              offset: int = 0, limit: int = 200) -> list[DossierRow]:
    with ctx.read() as session:
        return fetch_page(session, flt, sort_key=sort_key, descending=descending, offset=offset, limit=limit)


def first_page(ctx: AppContext, flt: DossierFilter, *, sort_key: str = "received_at", descending: bool = True,
               limit: int = 200) -> tuple[list[DossierRow], int]:
    """The first page of the list and the number of matching dossiers, read together (one pass
    over the search index for a name search)."""
    with ctx.read() as session:
        return fetch_first_page(session, flt, sort_key=sort_key, descending=descending, limit=limit)


def count(ctx: AppContext, flt: DossierFilter) -> int:
    with ctx.read() as session:
        return count_dossiers(session, flt)


@dataclass
class DossierEdit:
    """Fields an officer may correct after intake (None = unchanged)."""

    applicant_name: str | None = None
    id_number: str | None = None
    id_kind: IdKind | None = None
    phone: str | None = None
    address: str | None = None
    hamlet: str | None = None
    submitter_name: str | None = None
    identity_checked: bool | None = None
    identity_method: str | None = None
    fee: int | None = None
    payment_method: str | None = None
    receipt_number: str | None = None
    synced: bool | None = None
    notes: str | None = None
    component_flags: dict[uuid.UUID, dict[str, bool]] = field(default_factory=dict)


def update_dossier(ctx: AppContext, dossier_id: uuid.UUID, version: int, edit: DossierEdit) -> DossierView:
    now = ctx.clock()
    errors: dict[str, str] = {}
    if edit.applicant_name is not None and not edit.applicant_name.strip():
        errors["applicant_name"] = "Chưa nhập họ tên chủ hồ sơ."
    if edit.id_number is not None and (edit.id_kind or IdKind.CCCD) is not IdKind.NONE:
        check = check_id_number(edit.id_number, current_year=now.year)
        if not check.ok:
            errors["id_number"] = check.message
    if edit.fee is not None and edit.fee < 0:
        errors["fee"] = "Phí, lệ phí không được âm."
    if edit.payment_method not in (None, "", *PAYMENT_METHODS):
        errors["payment_method"] = "Hình thức thanh toán không hợp lệ."
    if edit.identity_checked and edit.identity_method not in IDENTITY_METHODS:
        errors["identity_method"] = "Hãy chọn cách đã xác thực định danh (CSDL dân cư, VNeID, giấy tờ)."
    if errors:
        raise ValidationFailed(errors)
    calendar = ctx.calendar()
    with ctx.session() as session:
        dossier = _load(session, dossier_id)
        _check_version(dossier, version)
        if edit.applicant_name is not None:
            dossier.applicant_name = nfc(edit.applicant_name.strip())
            dossier.applicant_fold = fold(edit.applicant_name)
        if edit.id_number is not None:
            kind = edit.id_kind or IdKind.CCCD
            if kind is IdKind.NONE:
                dossier.id_number, dossier.id_kind = "", "none"
            else:
                dossier.id_number = clean_id_number(edit.id_number)
                dossier.id_kind = (check_id_number(edit.id_number).kind or kind).value
        for name in ("phone", "address", "hamlet", "submitter_name", "receipt_number", "notes"):
            value = getattr(edit, name)
            if value is not None:
                setattr(dossier, name, nfc(value.strip()))
        if edit.identity_checked is not None:
            dossier.identity_checked = edit.identity_checked
            dossier.identity_method = edit.identity_method or "" if edit.identity_checked else ""
        if edit.fee is not None:
            dossier.fee = edit.fee
        if edit.payment_method is not None:
            dossier.payment_method = edit.payment_method
        if edit.synced is not None and edit.synced != dossier.synced:
            dossier.synced = edit.synced
            dossier.synced_at = now if edit.synced else None
        for component in dossier.components:
            for flag, value in edit.component_flags.get(component.id, {}).items():
                if flag in ("reused", "from_kho", "not_required"):
                    setattr(component, flag, value)
        warnings.refresh(session, dossier, now, calendar)
        session.flush()
        return dossier_view(dossier)


def attach_component_files(ctx: AppContext, dossier_id: uuid.UUID, component_id: uuid.UUID,
                           files: list[Path]) -> DossierView:
    store = ctx.attachment_store()
    for path in files:
        store.check(Path(path))
    now, calendar = ctx.clock(), ctx.calendar()
    with ctx.session() as session:
        dossier = _load(session, dossier_id)
        component = next((c for c in dossier.components if c.id == component_id), None)
        if component is None:
            raise UserFixableError("Không tìm thấy thành phần hồ sơ.", "Hãy mở lại hồ sơ.")
        store_files(store, session, dossier, "component", files, component)
        component.digitised = True
        warnings.refresh(session, dossier, now, calendar)
        session.flush()
        return dossier_view(dossier)


@dataclass
class ActionInput:
    action: Action
    officer_id: uuid.UUID | None = None
    at: datetime | None = None
    note: str = ""
    reason: str = ""  # lý do từ chối / dừng / rút
    items: str = ""  # what a supplement request asks for
    result_files: list[Path] = field(default_factory=list)
    end_document_files: list[Path] = field(default_factory=list)
    result_signed: bool = False
    satisfaction: str = ""
    expected_version: int | None = None


def perform_action(ctx: AppContext, dossier_id: uuid.UUID, data: ActionInput) -> DossierView:
    """Apply a status action: check it is allowed, update the dossier, record the history."""
    at = data.at or ctx.clock()
    store = ctx.attachment_store()
    for path in [*data.result_files, *data.end_document_files]:
        store.check(Path(path))
    if data.action in (Action.TU_CHOI, Action.DUNG_XU_LY, Action.RUT_HO_SO) and not data.reason.strip():
        raise ValidationFailed({"reason": "Hãy ghi lý do (sẽ in trên phiếu gửi công dân)."})
    if data.action is Action.YEU_CAU_BO_SUNG and not data.items.strip():
        raise ValidationFailed({"items": "Hãy ghi các giấy tờ cần bổ sung, hoàn thiện."})
    if data.satisfaction and data.satisfaction not in SATISFACTION_VALUES:
        raise ValidationFailed({"satisfaction": "Mức độ hài lòng không hợp lệ."})
    now, calendar = ctx.clock(), ctx.calendar()
    with ctx.session() as session:
        dossier = _load(session, dossier_id)
        _check_version(dossier, data.expected_version)
        current = Status(dossier.status)
        target = next_status(current, data.action)
        if at < dossier.received_at:
            raise ValidationFailed({"at": "Thời điểm thao tác không được trước lúc tiếp nhận hồ sơ."})
        if data.action is Action.YEU_CAU_BO_SUNG:
            dossier.supplements.append(
                SupplementRequest(requested_at=at, items=nfc(data.items.strip()), reason=nfc(data.reason.strip()),
                                  officer_id=data.officer_id)
            )
            dossier.supplement_count = len(dossier.supplements)
            dossier.paused_at = at
        elif data.action is Action.HOAN_THANH_BO_SUNG:
            for request in dossier.supplements:
                if request.completed_at is None:
                    request.completed_at = at
            if dossier.paused_at is not None and dossier.effective_due_at is not None:
                dossier.effective_due_at += at - dossier.paused_at  # waiting time does not count
            dossier.paused_at = None
        elif data.action in (Action.TU_CHOI, Action.DUNG_XU_LY, Action.RUT_HO_SO):
            dossier.end_reason = nfc(data.reason.strip())
            dossier.ended_at = at
            if data.end_document_files:
                store_files(store, session, dossier, "end_document", data.end_document_files)
                dossier.has_end_document = True
        elif data.action is Action.CO_KET_QUA:
            dossier.ended_at = at
            if data.result_files:
                store_files(store, session, dossier, "result", data.result_files)
                dossier.has_result_file = True
                dossier.result_signed = data.result_signed
        elif data.action is Action.TRA_KET_QUA:
            dossier.returned_at = at
            dossier.satisfaction = data.satisfaction or "chua_danh_gia"
        dossier.status = int(target)
        dossier.history.append(
            StatusChange(
                from_status=int(current),
                to_status=int(target),
                action=data.action.value,
                changed_at=at,
                officer_id=data.officer_id,
                note=nfc((data.note or data.reason or data.items).strip()),
            )
        )
        warnings.refresh(session, dossier, now, calendar)
        session.flush()
        return dossier_view(dossier)


def attach_result(ctx: AppContext, dossier_id: uuid.UUID, files: list[Path], signed: bool,
                  kind: str = "result") -> DossierView:
    """Attach a result (or end-document) file to a dossier that already has its status."""
    store = ctx.attachment_store()
    for path in files:
        store.check(Path(path))
    now, calendar = ctx.clock(), ctx.calendar()
    with ctx.session() as session:
        dossier = _load(session, dossier_id)
        store_files(store, session, dossier, kind, files)
        if kind == "result":
            dossier.has_result_file = True
            dossier.result_signed = signed
        else:
            dossier.has_end_document = True
        warnings.refresh(session, dossier, now, calendar)
        session.flush()
        return dossier_view(dossier)


def mark_synced(ctx: AppContext, dossier_ids: list[uuid.UUID], synced: bool = True) -> int:
    """Tick "entered in the provincial system" on several dossiers at once."""
    now, calendar = ctx.clock(), ctx.calendar()
    with ctx.session() as session:
        rows = [_load(session, dossier_id) for dossier_id in dossier_ids]
        for row in rows:
            if row.synced != synced:
                row.synced = synced
                row.synced_at = now if synced else None
                warnings.refresh(session, row, now, calendar)
        return len(rows)


def set_result_signed(ctx: AppContext, dossier_id: uuid.UUID, signed: bool,
                      expected_version: int | None = None) -> DossierView:
    """Mark the dossier's result file as digitally signed (or not) after it was attached."""
    now, calendar = ctx.clock(), ctx.calendar()
    with ctx.session() as session:
        dossier = _load(session, dossier_id)
        _check_version(dossier, expected_version)
        if signed and not dossier.has_result_file:
            raise ValidationFailed({"result_signed": "Hồ sơ chưa có tệp kết quả để đánh dấu đã ký số."})
        dossier.result_signed = signed
        warnings.refresh(session, dossier, now, calendar)
        session.flush()
        return dossier_view(dossier)

"""Receiving a dossier at the counter (SPEC §2 step 1)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain import calendar as cal
from ..domain.codes import code_prefix, next_code
from ..domain.identity import IdKind, check_id_number, clean_id_number
from ..domain.status import Channel, Status
from ..domain.text import fold, nfc
from ..storage import locks
from ..storage.attachments import AttachmentStore, is_shared, share_content
from ..storage.errors import UserFixableError
from ..storage.models import Attachment, CommuneProfile, Dossier, DossierComponent, Procedure, StatusChange
from . import warnings
from .context import AppContext

PAYMENT_METHODS = ("truc_tuyen", "tien_mat", "chuyen_khoan", "mien")
IDENTITY_METHODS = ("csdl_dan_cu", "vneid", "giay_to")


class ValidationFailed(UserFixableError):
    """Some fields are wrong; ``errors`` maps field name → Vietnamese message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("Hồ sơ chưa lưu được: " + "; ".join(errors.values()), "Hãy sửa các ô được đánh dấu.")
        self.errors = errors


@dataclass
class ComponentDraft:
    name: str
    procedure_component_id: uuid.UUID | None = None
    files: list[Path] = field(default_factory=list)
    reused: bool = False
    from_kho: bool = False
    not_required: bool = False


@dataclass
class DossierDraft:
    procedure_id: uuid.UUID | None
    applicant_name: str
    id_number: str = ""
    id_kind: IdKind = IdKind.CCCD
    phone: str = ""
    address: str = ""
    hamlet: str = ""
    submitter_name: str = ""
    channel: Channel = Channel.TRUC_TIEP
    received_at: datetime | None = None
    due_at: datetime | None = None  # set only to override the computed due date
    due_changed_reason: str = ""
    components: list[ComponentDraft] = field(default_factory=list)
    identity_checked: bool = False
    identity_method: str = ""
    fee: int = 0
    payment_method: str = ""
    receipt_number: str = ""
    notes: str = ""
    officer_id: uuid.UUID | None = None
    code: str = ""  # empty: generated
    sets_count: int = 1


def validate(draft: DossierDraft, now: datetime) -> dict[str, str]:
    errors: dict[str, str] = {}
    if draft.procedure_id is None:
        errors["procedure"] = "Chưa chọn thủ tục."
    if not draft.applicant_name.strip():
        errors["applicant_name"] = "Chưa nhập họ tên chủ hồ sơ."
    if IdKind(draft.id_kind) is not IdKind.NONE:
        check = check_id_number(draft.id_number, current_year=now.year)
        if not check.ok:
            errors["id_number"] = check.message
    phone = draft.phone.strip()
    if phone and not (phone.replace(" ", "").replace(".", "").lstrip("+").isdigit() and 9 <= len(phone) <= 15):
        errors["phone"] = "Số điện thoại chỉ gồm chữ số (10 số, ví dụ 0912345678)."
    if draft.fee < 0:
        errors["fee"] = "Phí, lệ phí không được âm."
    if draft.fee > 0 and draft.payment_method not in PAYMENT_METHODS:
        errors["payment_method"] = "Hồ sơ có phí: hãy chọn hình thức thanh toán."
    if draft.identity_checked and draft.identity_method not in IDENTITY_METHODS:
        errors["identity_method"] = "Hãy chọn cách đã xác thực định danh (CSDL dân cư, VNeID, giấy tờ)."
    received = draft.received_at or now
    if received > now.replace(second=59) and (received - now).total_seconds() > 60:
        errors["received_at"] = "Thời điểm tiếp nhận không được ở tương lai."
    if draft.due_at is not None:
        if draft.due_at < received:
            errors["due_at"] = "Ngày hẹn trả không được trước thời điểm tiếp nhận."
        elif not draft.due_changed_reason.strip():
            errors["due_changed_reason"] = "Đã sửa ngày hẹn trả: hãy ghi lý do."
    return errors


def compute_due(ctx: AppContext, procedure_id: uuid.UUID, received_at: datetime) -> datetime:
    with ctx.read() as session:
        procedure = session.get(Procedure, procedure_id)
        if procedure is None:
            raise UserFixableError("Không tìm thấy thủ tục đã chọn.", "Hãy chọn lại thủ tục.")
        limit, unit = procedure.time_limit, procedure.time_unit
    return cal.due_at(received_at, limit, cal.TimeUnit(unit), ctx.calendar())


def generate_code(session: Session, unit_code: str, day: datetime) -> str:
    locks.numbering_lock(session)  # counters sharing a server number one after another
    prefix = code_prefix(unit_code, day.date())
    used = list(session.scalars(select(Dossier.code).where(Dossier.code.like(prefix + "%"))))
    return next_code(unit_code, day.date(), used)


def store_files(store: AttachmentStore, session: Session, dossier: Dossier, kind: str, files: list[Path],
                component: DossierComponent | None = None) -> list[Attachment]:
    rows = []
    shared = is_shared(session)
    for path in files:
        stored = store.add(Path(path))
        if shared:  # the other counters fetch the file from the database
            share_content(session, store, stored.sha256)
        row = Attachment(
            kind=kind,
            sha256=stored.sha256,
            original_name=stored.original_name,
            media_type=stored.media_type,
            size=stored.size,
            component=component,
        )
        dossier.attachments.append(row)
        rows.append(row)
    return rows


def receive_dossier(ctx: AppContext, draft: DossierDraft) -> str:
    """Validate and save a new dossier in one transaction; returns its code."""
    now = ctx.clock()
    errors = validate(draft, now)
    if errors:
        raise ValidationFailed(errors)
    store = ctx.attachment_store()
    for component in draft.components:  # refuse bad files before anything is written
        for path in component.files:
            store.check(Path(path))
    received = draft.received_at or now
    due = draft.due_at or compute_due(ctx, draft.procedure_id, received)
    calendar = ctx.calendar()
    with ctx.session() as session:
        profile = session.scalar(select(CommuneProfile))
        if profile is None:
            raise UserFixableError("Chưa khai báo thông tin đơn vị.", "Hãy vào Cài đặt → Thông tin đơn vị.")
        code = draft.code.strip() or generate_code(session, profile.unit_code, received)
        if session.scalar(select(Dossier.id).where(Dossier.code == code)) is not None:
            raise ValidationFailed({"code": f"Mã hồ sơ “{code}” đã có trong sổ."})
        id_kind = IdKind(draft.id_kind)
        dossier = Dossier(
            code=code,
            procedure_id=draft.procedure_id,
            applicant_name=nfc(draft.applicant_name.strip()),
            applicant_fold=fold(draft.applicant_name),
            id_number="" if id_kind is IdKind.NONE else clean_id_number(draft.id_number),
            id_kind=(check_id_number(draft.id_number).kind or id_kind).value if id_kind is not IdKind.NONE else "none",
            phone=draft.phone.strip(),
            address=nfc(draft.address.strip()),
            hamlet=nfc(draft.hamlet.strip()),
            submitter_name=nfc(draft.submitter_name.strip()),
            channel=int(draft.channel),
            status=int(Status.DUOC_TIEP_NHAN),
            received_at=received,
            due_at=due,
            effective_due_at=due,
            due_changed_reason=draft.due_changed_reason.strip() if draft.due_at else "",
            officer_id=draft.officer_id,
            sets_count=max(draft.sets_count, 1),
            fee=draft.fee,
            payment_method=draft.payment_method if draft.fee > 0 else (draft.payment_method or "mien"),
            receipt_number=draft.receipt_number.strip(),
            identity_checked=draft.identity_checked,
            identity_method=draft.identity_method if draft.identity_checked else "",
            notes=nfc(draft.notes.strip()),
        )
        session.add(dossier)
        for index, item in enumerate(draft.components):
            component = DossierComponent(
                procedure_component_id=item.procedure_component_id,
                name=nfc(item.name),
                sort_order=index,
                digitised=bool(item.files),
                reused=item.reused,
                from_kho=item.from_kho,
                not_required=item.not_required,
            )
            dossier.components.append(component)
            store_files(store, session, dossier, "component", item.files, component)
        dossier.history.append(
            StatusChange(
                from_status=None,
                to_status=int(Status.DUOC_TIEP_NHAN),
                action="tiep_nhan",
                changed_at=received,
                officer_id=draft.officer_id,
                note="Tiếp nhận hồ sơ",
            )
        )
        session.flush()
        session.refresh(dossier, ["procedure"])
        warnings.refresh(session, dossier, now, calendar)
    return code

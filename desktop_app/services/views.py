"""Plain snapshots the services hand to the GUI and CLI (no live ORM objects leave a session)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime

from ..domain.calendar import TimeUnit
from ..domain.procedure import FeeKind, FeeRule, OnlineLevel
from ..domain.rules import RULES
from ..domain.status import Channel, Status
from ..storage import models


@dataclass(frozen=True)
class ProfileView:
    unit_name: str
    parent_agency: str
    province: str
    place_name: str
    unit_code: str
    head_name: str
    head_title: str
    offers_e_certified_copy: bool
    attachment_limit_mb: int
    version: int = 0

    @classmethod
    def of(cls, row: models.CommuneProfile) -> ProfileView:
        return cls(
            row.unit_name, row.parent_agency, row.province, row.place_name, row.unit_code,
            row.head_name, row.head_title, row.offers_e_certified_copy, row.attachment_limit_mb,
            row.version,
        )


@dataclass(frozen=True)
class OfficerView:
    id: uuid.UUID
    username: str
    full_name: str
    role: str
    active: bool

    @classmethod
    def of(cls, row: models.Officer) -> OfficerView:
        return cls(row.id, row.username, row.full_name, row.role, row.active)


ROLE_LABELS = {"tiep_nhan": "Cán bộ tiếp nhận", "lanh_dao": "Lãnh đạo", "quan_tri": "Quản trị"}


@dataclass(frozen=True)
class ComponentSpecView:
    id: uuid.UUID | None
    name: str
    copy_kind: str
    quantity: int
    reusable: bool


@dataclass(frozen=True)
class ProcedureView:
    id: uuid.UUID
    code: str
    name: str
    field: str
    time_limit: float
    time_unit: TimeUnit
    online_level: OnlineLevel
    fee_rule: FeeRule
    fee_note: str
    result_is_document: bool
    citizen_facing: bool
    active: bool
    components: tuple[ComponentSpecView, ...] = ()
    version: int = 0

    @classmethod
    def of(cls, row: models.Procedure, with_components: bool = True) -> ProcedureView:
        return cls(
            id=row.id,
            code=row.code,
            name=row.name,
            field=row.field,
            time_limit=row.time_limit,
            time_unit=TimeUnit(row.time_unit),
            online_level=OnlineLevel(row.online_level),
            fee_rule=FeeRule(
                FeeKind(row.fee_kind), row.fee_amount, row.fee_first_pages, row.fee_later_amount, row.fee_cap
            ),
            fee_note=row.fee_note,
            result_is_document=row.result_is_document,
            citizen_facing=row.citizen_facing,
            active=row.active,
            components=tuple(
                ComponentSpecView(c.id, c.name, c.copy_kind, c.quantity, c.reusable) for c in row.components
            )
            if with_components
            else (),
            version=row.version,
        )


@dataclass(frozen=True)
class AttachmentView:
    id: uuid.UUID
    kind: str
    component_id: uuid.UUID | None
    sha256: str
    original_name: str
    media_type: str
    size: int
    added_at: datetime


@dataclass(frozen=True)
class ComponentView:
    id: uuid.UUID
    name: str
    digitised: bool
    reused: bool
    from_kho: bool
    not_required: bool
    attachments: tuple[AttachmentView, ...] = ()


@dataclass(frozen=True)
class HistoryView:
    changed_at: datetime
    from_status: Status | None
    to_status: Status
    action: str
    officer_name: str
    note: str


@dataclass(frozen=True)
class SupplementView:
    requested_at: datetime
    completed_at: datetime | None
    items: str
    reason: str


@dataclass(frozen=True)
class DossierView:
    id: uuid.UUID
    version: int
    code: str
    procedure: ProcedureView
    applicant_name: str
    id_number: str
    id_kind: str
    phone: str
    address: str
    hamlet: str
    submitter_name: str
    channel: Channel
    status: Status
    received_at: datetime
    due_at: datetime | None
    due_changed_reason: str
    ended_at: datetime | None
    returned_at: datetime | None
    officer_id: uuid.UUID | None
    officer_name: str
    sets_count: int
    fee: int
    payment_method: str
    receipt_number: str
    identity_checked: bool
    identity_method: str
    has_result_file: bool
    result_signed: bool
    has_end_document: bool
    end_reason: str
    synced: bool
    synced_at: datetime | None
    satisfaction: str
    notes: str
    components: tuple[ComponentView, ...] = ()
    attachments: tuple[AttachmentView, ...] = ()
    history: tuple[HistoryView, ...] = ()
    supplements: tuple[SupplementView, ...] = field(default_factory=tuple)
    warnings: tuple[str, ...] = ()  # codes of the warning rules that fire (domain.rules)
    effective_due_at: datetime | None = None
    supplement_count: int = 0

    def attachments_of_kind(self, kind: str) -> list[AttachmentView]:
        return [a for a in self.attachments if a.kind == kind]


def attachment_view(row: models.Attachment) -> AttachmentView:
    return AttachmentView(
        row.id, row.kind, row.component_id, row.sha256, row.original_name, row.media_type, row.size, row.added_at
    )


def dossier_view(row: models.Dossier) -> DossierView:
    return DossierView(
        id=row.id,
        version=row.version,
        code=row.code,
        procedure=ProcedureView.of(row.procedure),
        applicant_name=row.applicant_name,
        id_number=row.id_number,
        id_kind=row.id_kind,
        phone=row.phone,
        address=row.address,
        hamlet=row.hamlet,
        submitter_name=row.submitter_name,
        channel=Channel(row.channel),
        status=Status(row.status),
        received_at=row.received_at,
        due_at=row.due_at,
        due_changed_reason=row.due_changed_reason,
        ended_at=row.ended_at,
        returned_at=row.returned_at,
        officer_id=row.officer_id,
        officer_name=row.officer.full_name if row.officer else "",
        sets_count=row.sets_count,
        fee=row.fee,
        payment_method=row.payment_method,
        receipt_number=row.receipt_number,
        identity_checked=row.identity_checked,
        identity_method=row.identity_method,
        has_result_file=row.has_result_file,
        result_signed=row.result_signed,
        has_end_document=row.has_end_document,
        end_reason=row.end_reason,
        synced=row.synced,
        synced_at=row.synced_at,
        satisfaction=row.satisfaction,
        notes=row.notes,
        components=tuple(
            ComponentView(
                c.id, c.name, c.digitised, c.reused, c.from_kho, c.not_required,
                tuple(attachment_view(a) for a in c.attachments),
            )
            for c in row.components
        ),
        attachments=tuple(attachment_view(a) for a in row.attachments),
        history=tuple(
            HistoryView(
                h.changed_at,
                Status(h.from_status) if h.from_status else None,
                Status(h.to_status),
                h.action,
                h.officer.full_name if h.officer else "",
                h.note,
            )
            for h in row.history
        ),
        supplements=tuple(
            SupplementView(s.requested_at, s.completed_at, s.items, s.reason) for s in row.supplements
        ),
        warnings=tuple(sorted((w.rule for w in row.warnings), key=_RULE_ORDER.get)),
        effective_due_at=row.effective_due_at,
        supplement_count=row.supplement_count,
    )


_RULE_ORDER = {rule.code: index for index, rule in enumerate(RULES)}


PAYMENT_LABELS = {
    "truc_tuyen": "Trực tuyến (Cổng DVCQG)",
    "tien_mat": "Tiền mặt",
    "chuyen_khoan": "Chuyển khoản",
    "mien": "Miễn, không thu",
}
IDENTITY_METHOD_LABELS = {"csdl_dan_cu": "CSDL quốc gia về dân cư", "vneid": "VNeID", "giay_to": "Giấy tờ"}
SATISFACTION_LABELS = {
    "rat_hai_long": "Rất hài lòng",
    "hai_long": "Hài lòng",
    "khong_hai_long": "Không hài lòng",
    "chua_danh_gia": "Chưa đánh giá",
}

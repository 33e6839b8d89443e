"""SQLAlchemy 2 models: every entity of SPEC §3.

Every table has a UUID primary key (databases from several counters merge without clashes),
``created_at``/``updated_at`` and a ``version`` column that SQLAlchemy uses for optimistic
locking: an UPDATE whose version no longer matches raises ``StaleDataError``.

Enumerations are stored as their codes (strings or the national integer codes), so the
database reads the same from any client.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    Float,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def folded(length: int) -> String:
    """A column of folded (lower-case, no diacritics) text: NOCASE on SQLite, so that a LIKE
    prefix search can use its index."""
    return String(length).with_variant(String(length, collation="NOCASE"), "sqlite")


def _now() -> datetime:
    # Wall-clock time of the counter (Vietnam), stored naive. Domain code never reads the clock;
    # these audit timestamps are the storage layer's own.
    return datetime.now().replace(microsecond=0)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=_now)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=_now, onupdate=_now)
    version: Mapped[int] = mapped_column(Integer, nullable=False, default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:  # every model uses ``version`` for optimistic locking
        return {"version_id_col": cls.__table__.c.version}


# ---------------------------------------------------------------------------- settings


class CommuneProfile(Base):
    """The commune's own details (one row)."""

    __tablename__ = "commune_profile"

    unit_name: Mapped[str] = mapped_column(String(200))  # "UBND xã Phú Lạc"
    parent_agency: Mapped[str] = mapped_column(String(200), default="")  # cơ quan chủ quản
    province: Mapped[str] = mapped_column(String(100), default="")
    place_name: Mapped[str] = mapped_column(String(100), default="")  # địa danh for dates
    unit_code: Mapped[str] = mapped_column(String(50))  # mã đơn vị, prefix of dossier codes
    head_name: Mapped[str] = mapped_column(String(120), default="")
    head_title: Mapped[str] = mapped_column(String(120), default="")
    offers_e_certified_copy: Mapped[bool] = mapped_column(Boolean, default=False)
    attachment_limit_mb: Mapped[int] = mapped_column(Integer, default=25)


class Hamlet(Base):
    """Thôn / xóm / ấp / khu phố, with the census figures of Mẫu biểu 02."""

    __tablename__ = "hamlet"

    name: Mapped[str] = mapped_column(String(120), unique=True)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    households: Mapped[int | None] = mapped_column(Integer)
    population: Mapped[int | None] = mapped_column(Integer)
    people_with_vneid: Mapped[int | None] = mapped_column(Integer)
    people_without_vneid: Mapped[int | None] = mapped_column(Integer)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Officer(Base):
    __tablename__ = "officer"

    username: Mapped[str] = mapped_column(String(60), unique=True)
    full_name: Mapped[str] = mapped_column(String(120))
    role: Mapped[str] = mapped_column(String(20), default="tiep_nhan")  # tiep_nhan|lanh_dao|quan_tri
    password_hash: Mapped[str | None] = mapped_column(String(255))
    failed_logins: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class Holiday(Base):
    """A day off (public holiday or official day off) or an official make-up working day."""

    __tablename__ = "holiday"

    day: Mapped[date] = mapped_column(Date, unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default="day_off")  # day_off | working_day
    source: Mapped[str] = mapped_column(String(20), default="user")  # package | user


class Campaign(Base):
    __tablename__ = "campaign"

    name: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    targets: Mapped[dict] = mapped_column(JSON, default=dict)  # rate code -> percent
    notes: Mapped[str] = mapped_column(Text, default="")


class AppSetting(Base):
    """Small key/value settings kept with the data (scoring file version, last backup …)."""

    __tablename__ = "app_setting"

    key: Mapped[str] = mapped_column(String(100), unique=True)
    value: Mapped[str] = mapped_column(Text, default="")


# ---------------------------------------------------------------------------- catalogue


class Procedure(Base):
    __tablename__ = "procedure"

    code: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(500))
    name_fold: Mapped[str] = mapped_column(folded(500), index=True)
    field: Mapped[str] = mapped_column(String(200), default="")  # lĩnh vực
    time_limit: Mapped[float] = mapped_column(Float, default=0)
    time_unit: Mapped[str] = mapped_column(String(20), default="ngay_lam_viec")
    online_level: Mapped[str] = mapped_column(String(20), default="khong")
    fee_kind: Mapped[str] = mapped_column(String(20), default="free")
    fee_amount: Mapped[int] = mapped_column(Integer, default=0)
    fee_first_pages: Mapped[int] = mapped_column(Integer, default=0)
    fee_later_amount: Mapped[int] = mapped_column(Integer, default=0)
    fee_cap: Mapped[int] = mapped_column(Integer, default=0)
    fee_note: Mapped[str] = mapped_column(String(500), default="")
    result_is_document: Mapped[bool] = mapped_column(Boolean, default=True)
    citizen_facing: Mapped[bool] = mapped_column(Boolean, default=True)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    components: Mapped[list[ProcedureComponent]] = relationship(
        back_populates="procedure",
        order_by="ProcedureComponent.sort_order",
        cascade="all, delete-orphan",
    )


class ProcedureComponent(Base):
    __tablename__ = "procedure_component"

    procedure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procedure.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(500))
    copy_kind: Mapped[str] = mapped_column(String(30), default="ban_chinh")
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    reusable: Mapped[bool] = mapped_column(Boolean, default=False)
    sort_order: Mapped[int] = mapped_column(Integer, default=0)

    procedure: Mapped[Procedure] = relationship(back_populates="components")


# ---------------------------------------------------------------------------- dossiers


class Dossier(Base):
    __tablename__ = "dossier"
    __table_args__ = (
        Index("ix_dossier_received_at", "received_at"),
        Index("ix_dossier_status_received", "status", "received_at"),
        Index("ix_dossier_procedure_received", "procedure_id", "received_at"),
        Index("ix_dossier_channel_received", "channel", "received_at"),
        Index("ix_dossier_officer_received", "officer_id", "received_at"),
        Index("ix_dossier_due_at", "due_at"),
        Index("ix_dossier_ended_at", "ended_at"),
        # name search: read this narrow index instead of the rows (bench/, docs/PERFORMANCE.md)
        Index("ix_dossier_search", "applicant_fold", "deleted_at", "received_at", "id"),
        Index("ix_dossier_id_number", "id_number"),
        Index("ix_dossier_phone", "phone"),
    )

    code: Mapped[str] = mapped_column(folded(80), unique=True)
    procedure_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("procedure.id"))
    # applicant (chủ hồ sơ)
    applicant_name: Mapped[str] = mapped_column(String(200))
    applicant_fold: Mapped[str] = mapped_column(folded(200), default="")
    id_number: Mapped[str] = mapped_column(String(20), default="")
    id_kind: Mapped[str] = mapped_column(String(10), default="cccd")  # cccd | cmnd | none
    phone: Mapped[str] = mapped_column(String(30), default="")
    address: Mapped[str] = mapped_column(String(300), default="")
    hamlet: Mapped[str] = mapped_column(String(120), default="")
    submitter_name: Mapped[str] = mapped_column(String(200), default="")  # người nộp, if different
    # processing
    channel: Mapped[int] = mapped_column(Integer, default=1)
    status: Mapped[int] = mapped_column(Integer, default=2)
    received_at: Mapped[datetime] = mapped_column(DateTime)
    due_at: Mapped[datetime | None] = mapped_column(DateTime)
    due_changed_reason: Mapped[str] = mapped_column(String(300), default="")
    ended_at: Mapped[datetime | None] = mapped_column(DateTime)  # ngày kết thúc xử lý
    returned_at: Mapped[datetime | None] = mapped_column(DateTime)  # ngày trả kết quả
    # the index's timeliness: due date moved by completed supplement waits (kept by the services),
    # the time an open supplement request paused the clock, and how many requests there were
    effective_due_at: Mapped[datetime | None] = mapped_column(DateTime)
    paused_at: Mapped[datetime | None] = mapped_column(DateTime)
    supplement_count: Mapped[int] = mapped_column(Integer, default=0)
    officer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("officer.id"))
    sets_count: Mapped[int] = mapped_column(Integer, default=1)  # số lượng hồ sơ (bộ)
    # payment
    fee: Mapped[int] = mapped_column(Integer, default=0)
    payment_method: Mapped[str] = mapped_column(String(20), default="")  # truc_tuyen|tien_mat|chuyen_khoan|mien
    receipt_number: Mapped[str] = mapped_column(String(60), default="")
    # digital identity
    identity_checked: Mapped[bool] = mapped_column(Boolean, default=False)
    identity_method: Mapped[str] = mapped_column(String(20), default="")  # csdl_dan_cu|vneid|giay_to
    # result and end documents (facts; a local file is in ``attachment`` when the app holds it)
    has_result_file: Mapped[bool] = mapped_column(Boolean, default=False)
    result_signed: Mapped[bool] = mapped_column(Boolean, default=False)
    has_end_document: Mapped[bool] = mapped_column(Boolean, default=False)
    end_reason: Mapped[str] = mapped_column(Text, default="")  # lý do từ chối / dừng / rút
    # sync with the provincial system
    synced: Mapped[bool] = mapped_column(Boolean, default=False)
    synced_at: Mapped[datetime | None] = mapped_column(DateTime)
    satisfaction: Mapped[str] = mapped_column(String(20), default="")  # rat_hai_long|hai_long|khong_hai_long|chua_danh_gia
    notes: Mapped[str] = mapped_column(Text, default="")
    # soft delete (with a reason)
    deleted_at: Mapped[datetime | None] = mapped_column(DateTime)
    delete_reason: Mapped[str] = mapped_column(String(300), default="")

    procedure: Mapped[Procedure] = relationship()
    officer: Mapped[Officer | None] = relationship()
    components: Mapped[list[DossierComponent]] = relationship(
        back_populates="dossier", order_by="DossierComponent.sort_order", cascade="all, delete-orphan"
    )
    attachments: Mapped[list[Attachment]] = relationship(
        back_populates="dossier", order_by="Attachment.added_at", cascade="all, delete-orphan"
    )
    history: Mapped[list[StatusChange]] = relationship(
        back_populates="dossier", order_by="StatusChange.changed_at", cascade="all, delete-orphan"
    )
    supplements: Mapped[list[SupplementRequest]] = relationship(
        back_populates="dossier", order_by="SupplementRequest.requested_at", cascade="all, delete-orphan"
    )
    warnings: Mapped[list[DossierWarning]] = relationship(
        back_populates="dossier", cascade="all, delete-orphan", passive_deletes=True
    )


class DossierComponent(Base):
    """The checklist row of one procedure component for one dossier."""

    __tablename__ = "dossier_component"

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    procedure_component_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("procedure_component.id", ondelete="SET NULL")
    )
    name: Mapped[str] = mapped_column(String(500))
    sort_order: Mapped[int] = mapped_column(Integer, default=0)
    digitised: Mapped[bool] = mapped_column(Boolean, default=False)  # a scan exists (here or in the provincial system)
    reused: Mapped[bool] = mapped_column(Boolean, default=False)  # tái sử dụng dữ liệu số hóa
    from_kho: Mapped[bool] = mapped_column(Boolean, default=False)  # lấy từ kho dữ liệu công dân
    not_required: Mapped[bool] = mapped_column(Boolean, default=False)

    dossier: Mapped[Dossier] = relationship(back_populates="components")
    attachments: Mapped[list[Attachment]] = relationship(back_populates="component")


class Attachment(Base):
    """A file copied into the data folder under its SHA-256."""

    __tablename__ = "attachment"

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    component_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("dossier_component.id", ondelete="SET NULL"), index=True
    )
    kind: Mapped[str] = mapped_column(String(20))  # component | result | end_document | other
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    original_name: Mapped[str] = mapped_column(String(255))
    media_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    added_at: Mapped[datetime] = mapped_column(DateTime, default=_now)

    dossier: Mapped[Dossier] = relationship(back_populates="attachments")
    component: Mapped[DossierComponent | None] = relationship(back_populates="attachments")


class AttachmentContent(Base):
    """The bytes of an attached file, once per SHA-256, for a database several counters share.

    On SQLite the files stay in the data folder beside the database (one computer). On
    PostgreSQL each counter keeps its own copy in its data folder, and the bytes are also written
    here, in the transaction that attaches them, so another counter can fetch a file it never
    saw (``services.attachments.attachment_file``).
    """

    __tablename__ = "attachment_content"

    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)


class DossierWarning(Base):
    """A warning rule that fires for a dossier, stored at each save so lists filter fast."""

    __tablename__ = "dossier_warning"
    __table_args__ = (UniqueConstraint("dossier_id", "rule"), Index("ix_dossier_warning_rule", "rule", "dossier_id"))

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    rule: Mapped[str] = mapped_column(String(40))
    since: Mapped[datetime] = mapped_column(DateTime)

    dossier: Mapped[Dossier] = relationship(back_populates="warnings")


class StatusChange(Base):
    __tablename__ = "status_change"

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    from_status: Mapped[int | None] = mapped_column(Integer)
    to_status: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(40), default="")
    changed_at: Mapped[datetime] = mapped_column(DateTime)
    officer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("officer.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    dossier: Mapped[Dossier] = relationship(back_populates="history")
    officer: Mapped[Officer | None] = relationship()


class SupplementRequest(Base):
    __tablename__ = "supplement_request"

    dossier_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dossier.id", ondelete="CASCADE"), index=True)
    requested_at: Mapped[datetime] = mapped_column(DateTime)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime)
    items: Mapped[str] = mapped_column(Text, default="")  # what must be added or completed
    reason: Mapped[str] = mapped_column(Text, default="")
    officer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("officer.id"))

    dossier: Mapped[Dossier] = relationship(back_populates="supplements")


# ---------------------------------------------------------------------------- audit log


class AuditEntry(Base):
    """One changed field of a dossier, its checklist, attachments or status history (SPEC §9).

    Append-only: rows are written by ``storage.audit`` in the transaction of the change and never
    updated or deleted — no code path does, and database triggers (migration 0002) refuse it.
    ``dossier_id`` has no ON DELETE action: the history outlives nothing but a soft delete.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_dossier_at", "dossier_id", "at", "seq"),)

    dossier_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("dossier.id"))
    entity: Mapped[str] = mapped_column(String(20))  # dossier | component | attachment | status
    entity_id: Mapped[uuid.UUID | None] = mapped_column(Uuid)
    action: Mapped[str] = mapped_column(String(20))  # created | updated | deleted | imported
    field: Mapped[str] = mapped_column(String(60), default="")
    old_value: Mapped[str | None] = mapped_column(Text)
    new_value: Mapped[str | None] = mapped_column(Text)
    officer_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("officer.id"))
    officer_name: Mapped[str] = mapped_column(String(120), default="")  # as it was at the time
    at: Mapped[datetime] = mapped_column(DateTime)
    seq: Mapped[int] = mapped_column(Integer, default=0)  # order within one transaction

    # Only so that the unit of work inserts a new dossier before its entries (never assigned).
    dossier: Mapped[Dossier | None] = relationship()


__all__ = [
    "Base",
    "CommuneProfile",
    "Hamlet",
    "Officer",
    "Holiday",
    "Campaign",
    "AppSetting",
    "Procedure",
    "ProcedureComponent",
    "Dossier",
    "DossierComponent",
    "Attachment",
    "DossierWarning",
    "StatusChange",
    "SupplementRequest",
    "AuditEntry",
]

"""A dossier's change history ("Lịch sử thay đổi"), read from the audit log, in Vietnamese."""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from ..domain.status import ACTION_LABELS, CHANNEL_LABELS, STATUS_LABELS, Action, Channel, Status
from ..storage.models import AuditEntry, Dossier, Officer, Procedure
from .context import AppContext
from .views import IDENTITY_METHOD_LABELS, PAYMENT_LABELS, SATISFACTION_LABELS

#: Column → Vietnamese label shown in the history.
FIELD_LABELS = {
    "code": "Mã hồ sơ",
    "procedure_id": "Thủ tục",
    "applicant_name": "Chủ hồ sơ",
    "id_number": "Số định danh",
    "id_kind": "Loại giấy tờ định danh",
    "phone": "Số điện thoại",
    "address": "Địa chỉ",
    "hamlet": "Thôn, xóm",
    "submitter_name": "Người nộp",
    "channel": "Kênh tiếp nhận",
    "status": "Trạng thái",
    "received_at": "Ngày tiếp nhận",
    "due_at": "Hạn trả kết quả",
    "due_changed_reason": "Lý do đổi hạn",
    "ended_at": "Ngày kết thúc xử lý",
    "returned_at": "Ngày trả kết quả",
    "effective_due_at": "Hạn tính điểm (sau bổ sung)",
    "paused_at": "Tạm dừng tính hạn từ",
    "supplement_count": "Số lần yêu cầu bổ sung",
    "officer_id": "Cán bộ tiếp nhận",
    "sets_count": "Số bộ hồ sơ",
    "fee": "Phí, lệ phí",
    "payment_method": "Hình thức thanh toán",
    "receipt_number": "Số biên lai",
    "identity_checked": "Đã xác thực định danh",
    "identity_method": "Cách xác thực định danh",
    "has_result_file": "Có tệp kết quả",
    "result_signed": "Kết quả đã ký số",
    "has_end_document": "Có văn bản kết thúc",
    "end_reason": "Lý do từ chối, dừng, rút",
    "synced": "Đã đồng bộ lên hệ thống tỉnh",
    "synced_at": "Ngày đồng bộ",
    "satisfaction": "Mức hài lòng",
    "notes": "Ghi chú",
    "deleted_at": "Ngày xóa",
    "delete_reason": "Lý do xóa",
    # checklist rows
    "name": "Tên giấy tờ",
    "sort_order": "Thứ tự",
    "digitised": "Đã số hóa",
    "reused": "Tái sử dụng dữ liệu số hóa",
    "from_kho": "Lấy từ kho dữ liệu công dân",
    "not_required": "Không bắt buộc",
    "procedure_component_id": "Thành phần theo danh mục",
    # attachments, supplement requests
    "original_name": "Tệp",
    "kind": "Loại tệp",
    "component_id": "Thuộc thành phần",
    "completed_at": "Ngày hoàn thành bổ sung",
    "items": "Giấy tờ cần bổ sung",
    "reason": "Lý do",
    "requested_at": "Ngày yêu cầu",
}

ENTITY_LABELS = {"dossier": "Hồ sơ", "component": "Thành phần hồ sơ", "attachment": "Tệp đính kèm",
                 "status": "Trạng thái", "supplement": "Yêu cầu bổ sung"}

_ATTACHMENT_KINDS = {"component": "thành phần hồ sơ", "result": "kết quả", "end_document": "văn bản kết thúc",
                     "other": "khác"}
_BOOLEAN_FIELDS = {"identity_checked", "has_result_file", "result_signed", "has_end_document", "synced",
                   "digitised", "reused", "from_kho", "not_required"}


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    officer: str  # the officer's name as it was, or "—"
    what: str  # "Số điện thoại", "Thêm tệp đính kèm" …
    old: str
    new: str
    entity: str
    action: str
    field: str


def _datetime_text(text: str) -> str:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        return text
    if len(text) <= 10:
        return f"{moment:%d/%m/%Y}"
    return f"{moment:%H:%M %d/%m/%Y}"


class _Formatter:
    def __init__(self, officers: dict[str, str], procedures: dict[str, str]) -> None:
        self.officers = officers
        self.procedures = procedures

    def value(self, field: str, text: str | None) -> str:
        if text is None or text == "":
            return "—"
        if field in _BOOLEAN_FIELDS:
            return "Có" if text == "true" else "Không"
        try:
            if field in ("status", "to_status", "from_status"):
                return STATUS_LABELS[Status(int(text))]
            if field == "channel":
                return CHANNEL_LABELS[Channel(int(text))]
            if field == "action":
                return ACTION_LABELS[Action(text)]
        except (ValueError, KeyError):
            return text
        if field == "officer_id":
            return self.officers.get(text.replace("-", ""), "—")
        if field == "procedure_id":
            return self.procedures.get(text.replace("-", ""), text)
        if field == "payment_method":
            return PAYMENT_LABELS.get(text, text)
        if field == "identity_method":
            return IDENTITY_METHOD_LABELS.get(text, text)
        if field == "satisfaction":
            return SATISFACTION_LABELS.get(text, text)
        if field == "kind":
            return _ATTACHMENT_KINDS.get(text, text)
        if field.endswith("_at") and len(text) >= 10 and text[4:5] == "-":
            return _datetime_text(text)
        if field == "fee" and text.isdigit():
            return f"{int(text):,} đ".replace(",", ".")
        return text

    def entry(self, row: AuditEntry) -> HistoryEntry:
        officer = row.officer_name or "—"
        base = {"at": row.at, "officer": officer, "entity": row.entity, "action": row.action, "field": row.field}
        if row.action == "updated":
            label = FIELD_LABELS.get(row.field, row.field)
            if row.entity != "dossier":
                label = f"{ENTITY_LABELS.get(row.entity, row.entity)}: {label}"
            return HistoryEntry(what=label, old=self.value(row.field, row.old_value),
                                new=self.value(row.field, row.new_value), **base)
        if row.action == "imported":
            return HistoryEntry(what="Nhập từ tệp Excel", old="", new=row.new_value or "", **base)
        values = _json(row.new_value if row.action == "created" else row.old_value)
        summary = self.summary(row.entity, values)
        what = {
            ("created", "dossier"): "Tiếp nhận hồ sơ",
            ("created", "component"): "Thêm thành phần hồ sơ",
            ("created", "attachment"): "Thêm tệp đính kèm",
            ("created", "status"): "Chuyển trạng thái",
            ("created", "supplement"): "Yêu cầu bổ sung",
            ("deleted", "component"): "Bỏ thành phần hồ sơ",
            ("deleted", "attachment"): "Gỡ tệp đính kèm",
            ("deleted", "dossier"): "Xóa hẳn hồ sơ",
        }.get((row.action, row.entity), f"{ENTITY_LABELS.get(row.entity, row.entity)} ({row.action})")
        if row.action == "created":
            return HistoryEntry(what=what, old="", new=summary, **base)
        return HistoryEntry(what=what, old=summary, new="", **base)

    def summary(self, entity: str, values: dict[str, str]) -> str:
        if entity == "dossier":
            return values.get("code", "")
        if entity == "component":
            return values.get("name", "")
        if entity == "attachment":
            kind = self.value("kind", values.get("kind"))
            return f"{values.get('original_name', '')} ({kind})"
        if entity == "status":
            action = self.value("action", values.get("action"))
            target = self.value("to_status", values.get("to_status"))
            note = values.get("note", "")
            text = f"{action} → {target}"
            return f"{text}: {note}" if note and action.lower() not in note.lower() else text
        if entity == "supplement":
            return values.get("items", "")
        return ", ".join(f"{k}={v}" for k, v in values.items())


def _json(text: str | None) -> dict[str, str]:
    try:
        data = json.loads(text or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def dossier_id_by_code(ctx: AppContext, code: str) -> uuid.UUID | None:
    """The dossier with this code, deleted ones included (their history stays readable)."""
    with ctx.read() as session:
        return session.scalar(select(Dossier.id).where(Dossier.code == code.strip()))


def dossier_history(ctx: AppContext, dossier_id: uuid.UUID) -> list[HistoryEntry]:
    """Every audited change of the dossier, oldest first."""
    with ctx.read() as session:
        rows = list(session.scalars(
            select(AuditEntry).where(AuditEntry.dossier_id == dossier_id)
            .order_by(AuditEntry.at, AuditEntry.created_at, AuditEntry.seq)
        ))
        officers = {o.hex: name for o, name in session.execute(select(Officer.id, Officer.full_name))}
        procedure_ids = {uuid.UUID(r.new_value) for r in rows if r.field == "procedure_id" and r.new_value} | {
            uuid.UUID(r.old_value) for r in rows if r.field == "procedure_id" and r.old_value}
        procedures = {}
        if procedure_ids:
            procedures = {p.hex: name for p, name in session.execute(
                select(Procedure.id, Procedure.name).where(Procedure.id.in_(procedure_ids)))}
        formatter = _Formatter(officers, procedures)
        return [formatter.entry(row) for row in rows]


__all__ = ["FIELD_LABELS", "HistoryEntry", "dossier_history", "dossier_id_by_code"]

"""The audit log: every change to a dossier is written in the same transaction (SPEC §9)."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import select

from desktop_app.domain.status import Action
from desktop_app.services import audit as audit_service
from desktop_app.services import dossiers, intake
from desktop_app.storage import audit
from desktop_app.storage.models import AuditEntry, Dossier

from .helpers import draft, pdf


def _entries(ctx, dossier_id=None) -> list[AuditEntry]:
    with ctx.read() as session:
        query = select(AuditEntry).order_by(AuditEntry.at, AuditEntry.created_at, AuditEntry.seq)
        if dossier_id is not None:
            query = query.where(AuditEntry.dossier_id == dossier_id)
        rows = list(session.scalars(query))
        session.expunge_all()  # readable after the read-only session ends
        return rows


@pytest.fixture
def ctx(services_ctx):
    services_ctx.officer_id = services_ctx.test_officer_id
    return services_ctx


def _receive(ctx) -> dossiers.DossierView:
    return dossiers.find_by_code(ctx, intake.receive_dossier(ctx, draft(ctx)))


def test_intake_writes_created_entries_by_the_officer(ctx):
    view = _receive(ctx)
    rows = _entries(ctx, view.id)
    created = [(r.entity, r.action) for r in rows if r.action == "created"]
    assert created[0] == ("dossier", "created")
    assert created.count(("component", "created")) == len(view.components) >= 2
    assert ("status", "created") in created
    first = rows[0]
    assert first.officer_id == ctx.test_officer_id and first.officer_name == "Nguyễn Thị Lan"
    assert first.at == datetime(2026, 2, 12, 10, 0)  # the context's clock
    values = json.loads(first.new_value)
    assert values["applicant_name"] == "Đặng Thị Ánh" and values["code"] == view.code
    assert "applicant_fold" not in values and "version" not in values


def test_update_writes_one_entry_per_changed_field_old_to_new(ctx, clock):
    view = _receive(ctx)
    before = len(_entries(ctx, view.id))
    clock.now = datetime(2026, 2, 12, 11, 30)
    dossiers.update_dossier(ctx, view.id, view.version,
                            dossiers.DossierEdit(phone="0987654321", address="Số 5 Xóm Đồng Bầu",
                                                 hamlet="Xóm Đồng Bầu"))  # hamlet unchanged: no entry
    new = [r for r in _entries(ctx, view.id)[before:] if r.entity == "dossier"]
    assert [(r.field, r.old_value, r.new_value) for r in new] == [
        ("phone", "0912345678", "0987654321"),
        ("address", "", "Số 5 Xóm Đồng Bầu"),
    ]
    assert {r.at for r in new} == {datetime(2026, 2, 12, 11, 30)}
    assert all(r.action == "updated" for r in new)


def test_checklist_flag_and_attachment_are_recorded(ctx, tmp_path):
    view = _receive(ctx)
    component = view.components[0]
    view = dossiers.update_dossier(ctx, view.id, view.version,
                                   dossiers.DossierEdit(component_flags={component.id: {"reused": True}}))
    dossiers.attach_component_files(ctx, view.id, component.id, [pdf(tmp_path, "to-khai.pdf")])
    rows = _entries(ctx, view.id)
    flags = [(r.entity, r.entity_id, r.field, r.old_value, r.new_value) for r in rows if r.entity == "component"
             and r.action == "updated"]
    assert ("component", component.id, "reused", "false", "true") in flags
    assert ("component", component.id, "digitised", "false", "true") in flags
    attached = [r for r in rows if r.entity == "attachment"]
    assert len(attached) == 1 and attached[0].action == "created"
    assert json.loads(attached[0].new_value)["original_name"] == "to-khai.pdf"


def test_status_action_is_recorded(ctx, clock):
    view = _receive(ctx)
    clock.now = datetime(2026, 2, 12, 14, 0)
    dossiers.perform_action(ctx, view.id, dossiers.ActionInput(Action.YEU_CAU_BO_SUNG, items="Giấy chứng sinh"))
    rows = [r for r in _entries(ctx, view.id) if r.at == datetime(2026, 2, 12, 14, 0)]
    assert ("dossier", "status", "2", "5") in [(r.entity, r.field, r.old_value, r.new_value) for r in rows]
    assert sorted(r.entity for r in rows if r.action == "created") == ["status", "supplement"]


def test_a_rolled_back_change_leaves_no_entry(ctx):
    view = _receive(ctx)
    before = len(_entries(ctx))
    with pytest.raises(RuntimeError), ctx.session() as session:
        dossier = session.get(Dossier, view.id)
        dossier.phone = "0900000000"
        session.flush()  # the entry is written here …
        assert session.scalar(select(AuditEntry).where(AuditEntry.field == "phone")) is not None
        raise RuntimeError("power cut")  # … and rolled back with the change
    assert len(_entries(ctx)) == before
    assert dossiers.get_dossier(ctx, view.id).phone == "0912345678"


def test_without_an_officer_the_entry_has_no_name(services_ctx):
    services_ctx.officer_id = None
    view = _receive(services_ctx)
    rows = _entries(services_ctx, view.id)
    assert rows and all(r.officer_id is None and r.officer_name == "" for r in rows)


def test_record_imported_writes_one_entry_per_dossier(ctx):
    views = [_receive(ctx) for _ in range(2)]
    with ctx.session() as session:
        session.info[audit.OFFICER_KEY] = ctx.officer_id
        assert audit.record_imported(session, [v.id for v in views], "so-tiep-nhan.xlsx") == 2
    for view in views:
        imported = [r for r in _entries(ctx, view.id) if r.action == "imported"]
        assert [(r.new_value, r.officer_name) for r in imported] == [("so-tiep-nhan.xlsx", "Nguyễn Thị Lan")]


def test_history_view_in_vietnamese(ctx, clock):
    view = _receive(ctx)
    clock.now = datetime(2026, 2, 12, 11, 0)
    dossiers.update_dossier(ctx, view.id, view.version, dossiers.DossierEdit(phone="0987654321"))
    clock.now = datetime(2026, 2, 12, 15, 0)
    dossiers.perform_action(ctx, view.id, dossiers.ActionInput(Action.CHUYEN_XU_LY))
    history = audit_service.dossier_history(ctx, view.id)
    assert history[0].what == "Tiếp nhận hồ sơ" and history[0].new == view.code
    assert history[0].officer == "Nguyễn Thị Lan"
    phone = next(h for h in history if h.field == "phone")
    assert (phone.what, phone.old, phone.new, phone.at) == ("Số điện thoại", "0912345678", "0987654321",
                                                            datetime(2026, 2, 12, 11, 0))
    status = next(h for h in history if h.field == "status")
    assert (status.what, status.old, status.new) == ("Trạng thái", "Được tiếp nhận", "Đang xử lý")
    assert [h.at for h in history] == sorted(h.at for h in history)

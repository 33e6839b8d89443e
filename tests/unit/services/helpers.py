"""Small builders shared by the service tests."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from desktop_app.domain.status import Action
from desktop_app.services import catalogue, dossiers, intake

PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def procedure(ctx, search: str):
    found = catalogue.list_procedures(ctx, search=search)
    assert found, f"no procedure matches {search!r}"
    return found[0]


def pdf(tmp_path: Path, name: str = "scan.pdf", extra: bytes = b"") -> Path:
    path = tmp_path / name
    path.write_bytes(PDF_BYTES + extra)
    return path


def draft(ctx, search: str = "khai sinh", **overrides) -> intake.DossierDraft:
    proc = procedure(ctx, search)
    values = dict(
        procedure_id=proc.id,
        applicant_name="Đặng Thị Ánh",
        id_number="001203004545",
        phone="0912345678",
        hamlet="Xóm Đồng Bầu",
        officer_id=ctx.test_officer_id,
        components=[intake.ComponentDraft(name=c.name, procedure_component_id=c.id) for c in proc.components],
    )
    values.update(overrides)
    return intake.DossierDraft(**values)


def proc_by_code(ctx, code: str):
    found = [p for p in catalogue.list_procedures(ctx, include_inactive=True, search=code) if p.code == code]
    assert len(found) == 1, code
    return found[0]


def new_draft(ctx, code: str, *, files=(), reused=(), kho=(), **overrides) -> intake.DossierDraft:
    """A draft for procedure ``code``; component ``i`` gets a file if ``i in files`` etc."""
    proc = proc_by_code(ctx, code)
    components = [
        intake.ComponentDraft(name=c.name, procedure_component_id=c.id,
                              files=[files[i]] if isinstance(files, dict) and i in files else [],
                              reused=i in reused, from_kho=i in kho)
        for i, c in enumerate(proc.components)
    ]
    values = dict(procedure_id=proc.id, applicant_name="Đặng Thị Ánh", id_number="001203004545",
                  phone="0912345678", hamlet="Xóm Đồng Bầu", officer_id=getattr(ctx, "test_officer_id", None),
                  components=components)
    values.update(overrides)
    return intake.DossierDraft(**values)


def receive(ctx, clock, at: datetime, code: str, **kw):
    clock.now = at
    return dossiers.find_by_code(ctx, intake.receive_dossier(ctx, new_draft(ctx, code, **kw)))


def act(ctx, clock, view, at: datetime, action: Action, **kw):
    clock.now = at
    return dossiers.perform_action(ctx, view.id, dossiers.ActionInput(action, **kw))


def synced(ctx, clock, view, at: datetime):
    clock.now = at
    dossiers.mark_synced(ctx, [view.id])

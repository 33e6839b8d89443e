"""Small builders shared by the service tests."""

from __future__ import annotations

from pathlib import Path

from desktop_app.services import catalogue, intake

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

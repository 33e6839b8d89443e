from datetime import datetime

import pytest
from sqlalchemy import func, select

from desktop_app.domain.identity import IdKind
from desktop_app.domain.status import Channel, Status
from desktop_app.services import dossiers, intake
from desktop_app.storage.attachments import AttachmentRefused
from desktop_app.storage.models import Attachment, Dossier

from .helpers import draft, pdf


def test_receive_generates_code_due_date_and_history(services_ctx):
    code = intake.receive_dossier(services_ctx, draft(services_ctx))
    assert code == "000.00.53.H48-260212-0001"
    view = dossiers.find_by_code(services_ctx, code)
    assert view.status is Status.DUOC_TIEP_NHAN
    assert view.channel is Channel.TRUC_TIEP
    assert view.applicant_name == "Đặng Thị Ánh"
    assert view.id_kind == "cccd"
    assert view.received_at == datetime(2026, 2, 12, 10, 0)
    # khai sinh is a same-day procedure: received Thursday 10:00 → due the same day at 17:00
    assert view.due_at == datetime(2026, 2, 12, 17, 0)
    assert [(h.from_status, h.to_status, h.officer_name) for h in view.history] == [
        (None, Status.DUOC_TIEP_NHAN, "Nguyễn Thị Lan")
    ]
    assert intake.receive_dossier(services_ctx, draft(services_ctx)) == "000.00.53.H48-260212-0002"


def test_due_date_across_tet_2026(services_ctx, clock):
    # chứng thực bản sao: received Friday 13/02/2026 after 15:00 → next working day is Monday 23/02
    clock.now = datetime(2026, 2, 13, 15, 30)
    code = intake.receive_dossier(services_ctx, draft(services_ctx, "chung thuc ban sao tu ban chinh"))
    assert dossiers.find_by_code(services_ctx, code).due_at == datetime(2026, 2, 23, 17, 0)


def test_components_files_and_flags_are_recorded(services_ctx, tmp_path):
    d = draft(services_ctx, identity_checked=True, identity_method="vneid")
    d.components[0].files = [pdf(tmp_path)]
    d.components[1].reused = True
    code = intake.receive_dossier(services_ctx, d)
    view = dossiers.find_by_code(services_ctx, code)
    first, second = view.components[0], view.components[1]
    assert first.digitised and len(first.attachments) == 1 and first.attachments[0].media_type == "application/pdf"
    assert not second.digitised and second.reused
    assert view.identity_checked and view.identity_method == "vneid"
    store = services_ctx.attachment_store()
    assert store.path_for(first.attachments[0].sha256).exists()


def test_invalid_id_number_is_refused_with_vietnamese_reasons(services_ctx):
    with pytest.raises(intake.ValidationFailed) as info:
        intake.receive_dossier(services_ctx, draft(services_ctx, applicant_name=" ", id_number="12345"))
    assert info.value.errors["applicant_name"] == "Chưa nhập họ tên chủ hồ sơ."
    assert "12 chữ số" in info.value.errors["id_number"]
    with services_ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 0


def test_no_number_must_be_marked_explicitly(services_ctx):
    with pytest.raises(intake.ValidationFailed):
        intake.receive_dossier(services_ctx, draft(services_ctx, id_number=""))
    code = intake.receive_dossier(services_ctx, draft(services_ctx, id_number="", id_kind=IdKind.NONE))
    view = dossiers.find_by_code(services_ctx, code)
    assert view.id_kind == "none" and view.id_number == ""


def test_fee_needs_a_payment_method(services_ctx):
    with pytest.raises(intake.ValidationFailed) as info:
        intake.receive_dossier(services_ctx, draft(services_ctx, "chung thuc chu ky", fee=10000))
    assert "payment_method" in info.value.errors
    code = intake.receive_dossier(
        services_ctx, draft(services_ctx, "chung thuc chu ky", fee=10000, payment_method="truc_tuyen")
    )
    assert dossiers.find_by_code(services_ctx, code).fee == 10000


def test_edited_due_date_needs_a_reason(services_ctx):
    with pytest.raises(intake.ValidationFailed) as info:
        intake.receive_dossier(services_ctx, draft(services_ctx, due_at=datetime(2026, 2, 25, 17, 0)))
    assert "due_changed_reason" in info.value.errors
    code = intake.receive_dossier(
        services_ctx,
        draft(services_ctx, due_at=datetime(2026, 2, 25, 17, 0), due_changed_reason="Cần xác minh thêm"),
    )
    view = dossiers.find_by_code(services_ctx, code)
    assert view.due_at == datetime(2026, 2, 25, 17, 0) and view.due_changed_reason == "Cần xác minh thêm"


def test_a_bad_attachment_refuses_the_whole_intake(services_ctx, tmp_path):
    bad = tmp_path / "cccd.pdf"
    bad.write_text("plain text")
    d = draft(services_ctx)
    d.components[0].files = [bad]
    with pytest.raises(AttachmentRefused):
        intake.receive_dossier(services_ctx, d)
    with services_ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 0
        assert session.scalar(select(func.count()).select_from(Attachment)) == 0


def test_duplicate_manual_code_is_refused(services_ctx):
    intake.receive_dossier(services_ctx, draft(services_ctx, code="H48-TEST-1"))
    with pytest.raises(intake.ValidationFailed) as info:
        intake.receive_dossier(services_ctx, draft(services_ctx, code="H48-TEST-1"))
    assert "đã có trong sổ" in info.value.errors["code"]

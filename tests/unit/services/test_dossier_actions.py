from datetime import datetime

import pytest

from desktop_app.domain.status import Action, Status, TransitionRefused
from desktop_app.services import dossiers, intake
from desktop_app.storage.errors import ConflictError

from .helpers import draft, pdf


def _new(ctx, **kw):
    return dossiers.find_by_code(ctx, intake.receive_dossier(ctx, draft(ctx, **kw)))


def act(ctx, view, action, **kw):
    return dossiers.perform_action(ctx, view.id, dossiers.ActionInput(action, officer_id=ctx.test_officer_id, **kw))


def test_from_intake_to_result_returned(services_ctx, clock, tmp_path):
    view = _new(services_ctx)
    clock.now = datetime(2026, 2, 12, 14, 0)
    view = act(services_ctx, view, Action.CO_KET_QUA, result_files=[pdf(tmp_path, "kq.pdf")], result_signed=True)
    assert view.status is Status.DA_XU_LY_XONG
    assert view.ended_at == datetime(2026, 2, 12, 14, 0)
    assert view.has_result_file and view.result_signed
    assert [a.kind for a in view.attachments] == ["result"]
    clock.now = datetime(2026, 2, 12, 16, 0)
    view = act(services_ctx, view, Action.TRA_KET_QUA, satisfaction="hai_long")
    assert view.status is Status.DA_TRA_KET_QUA
    assert view.returned_at == datetime(2026, 2, 12, 16, 0)
    assert view.satisfaction == "hai_long"
    assert [h.to_status for h in view.history] == [Status.DUOC_TIEP_NHAN, Status.DA_XU_LY_XONG, Status.DA_TRA_KET_QUA]


def test_refused_transition_says_why_in_vietnamese(services_ctx):
    view = _new(services_ctx)
    with pytest.raises(TransitionRefused) as info:
        act(services_ctx, view, Action.TRA_KET_QUA)
    assert "Được tiếp nhận" in str(info.value)
    assert dossiers.get_dossier(services_ctx, view.id).status is Status.DUOC_TIEP_NHAN


def test_supplement_requests_are_listed_and_completed(services_ctx, clock):
    view = _new(services_ctx)
    view = act(services_ctx, view, Action.YEU_CAU_BO_SUNG, items="Bản sao giấy chứng sinh")
    assert view.status is Status.YEU_CAU_BO_SUNG
    clock.now = datetime(2026, 2, 12, 11, 0)
    view = act(services_ctx, view, Action.HOAN_THANH_BO_SUNG)
    assert view.status is Status.DANG_XU_LY
    assert [(s.items, s.completed_at) for s in view.supplements] == [("Bản sao giấy chứng sinh", datetime(2026, 2, 12, 11, 0))]


def test_supplement_without_items_is_refused(services_ctx):
    view = _new(services_ctx)
    with pytest.raises(intake.ValidationFailed) as info:
        act(services_ctx, view, Action.YEU_CAU_BO_SUNG)
    assert "items" in info.value.errors


def test_stop_needs_a_reason_and_records_the_end(services_ctx, tmp_path):
    view = _new(services_ctx)
    with pytest.raises(intake.ValidationFailed):
        act(services_ctx, view, Action.DUNG_XU_LY)
    view = act(services_ctx, view, Action.DUNG_XU_LY, reason="Công dân không bổ sung hồ sơ",
               end_document_files=[pdf(tmp_path, "tb.pdf")])
    assert view.status is Status.DUNG_XU_LY and view.has_end_document
    assert view.end_reason == "Công dân không bổ sung hồ sơ"
    assert view.ended_at is not None


def test_a_stale_version_is_a_conflict_and_changes_nothing(services_ctx):
    view = _new(services_ctx)
    dossiers.update_dossier(services_ctx, view.id, view.version, dossiers.DossierEdit(phone="0987654321"))
    with pytest.raises(ConflictError) as info:
        dossiers.update_dossier(services_ctx, view.id, view.version, dossiers.DossierEdit(phone="0911111111"))
    assert "người khác sửa" in info.value.message
    assert dossiers.get_dossier(services_ctx, view.id).phone == "0987654321"


def test_edit_refolds_the_name_for_search(services_ctx):
    view = _new(services_ctx)
    dossiers.update_dossier(services_ctx, view.id, view.version, dossiers.DossierEdit(applicant_name="Trần Văn Đức"))
    from desktop_app.storage.dossier_queries import DossierFilter

    assert [r.applicant_name for r in dossiers.list_page(services_ctx, DossierFilter(search="tran van duc"))] == ["Trần Văn Đức"]


def test_mark_synced_in_bulk(services_ctx):
    a, b = _new(services_ctx), _new(services_ctx)
    assert dossiers.mark_synced(services_ctx, [a.id, b.id]) == 2
    assert dossiers.get_dossier(services_ctx, a.id).synced
    assert dossiers.get_dossier(services_ctx, b.id).synced_at == datetime(2026, 2, 12, 10, 0)


def test_warnings_are_stored_on_save_and_cleared_by_the_fix(services_ctx, clock, tmp_path):
    view = _new(services_ctx)  # khai sinh, direct, nothing digitised, identity not checked
    assert {"COMPONENTS_NOT_DIGITISED", "IDENTITY_NOT_CHECKED", "KHO_NOT_USED"} <= set(view.warnings)
    full_online = view.procedure.online_level.value == "toan_trinh"
    assert ("PAPER_FOR_FULL_ONLINE" in view.warnings) == full_online
    view = dossiers.update_dossier(services_ctx, view.id, view.version,
                                   dossiers.DossierEdit(identity_checked=True, identity_method="csdl_dan_cu"))
    assert "IDENTITY_NOT_CHECKED" not in view.warnings
    view = dossiers.attach_component_files(services_ctx, view.id, view.components[0].id, [pdf(tmp_path)])
    assert "COMPONENTS_NOT_DIGITISED" not in view.warnings
    view = act(services_ctx, view, Action.CO_KET_QUA)
    assert "RESULT_FILE_MISSING" in view.warnings
    view = dossiers.attach_result(services_ctx, view.id, [pdf(tmp_path, "kq.pdf", b"kq")], signed=False)
    assert "RESULT_FILE_MISSING" not in view.warnings and "RESULT_NOT_SIGNED" in view.warnings


def test_supplement_wait_moves_the_effective_due_date(services_ctx, clock):
    view = _new(services_ctx, search="chung thuc chu ky")
    due = view.due_at
    clock.now = datetime(2026, 2, 12, 11, 0)
    view = act(services_ctx, view, Action.YEU_CAU_BO_SUNG, items="Giấy tờ tùy thân")
    clock.now = datetime(2026, 2, 12, 14, 30)
    view = act(services_ctx, view, Action.HOAN_THANH_BO_SUNG)
    assert view.effective_due_at - due == datetime(2026, 2, 12, 14, 30) - datetime(2026, 2, 12, 11, 0)
    assert view.supplement_count == 1

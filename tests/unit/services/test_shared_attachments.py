"""Attached files on a database several counters share: the bytes go into the database with the
attachment, and another counter (another data folder) gets the file when it opens it."""

from __future__ import annotations

import dataclasses
import hashlib

import pytest
from sqlalchemy import func, select, update

from desktop_app.services import attachments, dossiers, intake, slips
from desktop_app.services.context import AppContext
from desktop_app.storage.errors import UserFixableError
from desktop_app.storage.models import AttachmentContent

from .helpers import PDF_BYTES, draft, pdf


def _second_counter(ctx: AppContext, tmp_path) -> AppContext:
    """The same database seen from another computer: its own attachment folder."""
    return dataclasses.replace(ctx, attachments_dir=tmp_path / "quay-2" / "attachments")


def _contents(ctx: AppContext) -> dict[str, int]:
    with ctx.read() as session:
        return dict(session.execute(select(AttachmentContent.sha256, AttachmentContent.size)).all())


def _received_with_a_scan(ctx: AppContext, tmp_path, extra: bytes = b"scan-1"):
    scan = pdf(tmp_path, "to-khai.pdf", extra)
    base = draft(ctx)
    components = [dataclasses.replace(base.components[0], files=[scan]), *base.components[1:]]
    code = intake.receive_dossier(ctx, dataclasses.replace(base, components=components))
    return dossiers.find_by_code(ctx, code), hashlib.sha256(scan.read_bytes()).hexdigest()


@pytest.mark.postgresql_only
def test_a_scan_attached_at_one_counter_opens_at_another(services_ctx, tmp_path):
    view, sha = _received_with_a_scan(services_ctx, tmp_path)
    assert _contents(services_ctx) == {sha: len(PDF_BYTES) + len(b"scan-1")}  # in the intake's transaction
    other = _second_counter(services_ctx, tmp_path)
    assert not other.attachment_store().path_for(sha).exists()
    path = attachments.attachment_file(other, sha)
    assert path.parent.parent == other.attachments_dir
    assert path.read_bytes() == PDF_BYTES + b"scan-1"
    assert attachments.attachment_file(other, sha) == path  # the second time: the local copy
    # the same file attached again (another dossier): its bytes are stored once
    _received_with_a_scan(services_ctx, tmp_path)
    assert list(_contents(services_ctx)) == [sha]
    assert view.code


@pytest.mark.postgresql_only
def test_results_and_printed_end_documents_are_shared_too(services_ctx, tmp_path):
    view, _ = _received_with_a_scan(services_ctx, tmp_path)
    result = pdf(tmp_path, "ket-qua.pdf", b"ket qua")
    view = dossiers.perform_action(services_ctx, view.id, dossiers.ActionInput(
        dossiers.Action.CO_KET_QUA, result_files=[result]))
    assert hashlib.sha256(result.read_bytes()).hexdigest() in _contents(services_ctx)
    other_view, _ = _received_with_a_scan(services_ctx, tmp_path, b"scan-2")
    dossiers.perform_action(services_ctx, other_view.id, dossiers.ActionInput(
        dossiers.Action.TU_CHOI, reason="Hồ sơ không thuộc thẩm quyền của xã"))
    printed = slips.attach_end_document(services_ctx, other_view.id, "refusal")
    sha = printed.name
    assert sha in _contents(services_ctx)
    other = _second_counter(services_ctx, tmp_path)
    assert attachments.attachment_file(other, sha).read_bytes()[:5] == b"%PDF-"


@pytest.mark.postgresql_only
def test_damaged_shared_content_is_refused_not_written(services_ctx, tmp_path):
    _view, sha = _received_with_a_scan(services_ctx, tmp_path)
    with services_ctx.session() as session:
        session.execute(update(AttachmentContent).values(data=b"%PDF-broken"))
    other = _second_counter(services_ctx, tmp_path)
    with pytest.raises(UserFixableError, match="bị hỏng"):
        attachments.attachment_file(other, sha)
    assert not other.attachment_store().path_for(sha).exists()
    assert not other.attachments_dir.exists() or not any(p.is_file() for p in other.attachments_dir.rglob("*"))


@pytest.mark.sqlite_only
def test_on_sqlite_the_files_stay_in_the_folder_only(services_ctx, tmp_path):
    _view, sha = _received_with_a_scan(services_ctx, tmp_path)
    with services_ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(AttachmentContent)) == 0
    assert attachments.attachment_file(services_ctx, sha).read_bytes() == PDF_BYTES + b"scan-1"
    missing = attachments.attachment_file(_second_counter(services_ctx, tmp_path), sha)
    assert not missing.exists()  # one computer: nothing to fetch, the caller says the file is lost


@pytest.mark.postgresql_only
def test_one_file_on_two_components_of_one_intake_is_stored_once(services_ctx, tmp_path):
    scan = pdf(tmp_path, "ca-bo.pdf", b"ca bo")
    base = draft(services_ctx)
    assert len(base.components) >= 2
    components = [dataclasses.replace(c, files=[scan]) if i < 2 else c for i, c in enumerate(base.components)]
    intake.receive_dossier(services_ctx, dataclasses.replace(base, components=components))
    assert _contents(services_ctx) == {hashlib.sha256(scan.read_bytes()).hexdigest(): len(PDF_BYTES) + 5}


@pytest.mark.postgresql_only
def test_two_counters_sharing_the_same_new_file_at_once_both_succeed(services_ctx, tmp_path):
    from desktop_app.storage.attachments import share_content

    scan = pdf(tmp_path, "cung-luc.pdf", b"cung luc")
    store = services_ctx.attachment_store()
    sha = store.add(scan).sha256

    class OtherCounterFirst:
        """Between this counter's check and its insert, another counter commits the same file."""

        def path_for(self, sha256):
            with services_ctx.session() as other:
                other.add(AttachmentContent(sha256=sha256, size=0, data=b"from the other counter"))
            return store.path_for(sha256)

    with services_ctx.session() as session:
        share_content(session, OtherCounterFirst(), sha)  # no unique-constraint error
    with services_ctx.read() as session:
        rows = session.execute(select(AttachmentContent.data).where(AttachmentContent.sha256 == sha)).all()
    assert [row.data for row in rows] == [b"from the other counter"]  # the first one stays

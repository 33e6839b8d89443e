"""Two officers edit the same dossier: the second save is refused with a clear message and the
first one's edit stays. On SQLite and on PostgreSQL (tests/unit/conftest.py runs both).

The ``version`` column of every table (``version_id_col``) makes each UPDATE say
``WHERE id = … AND version = <the version read>``; when another session has saved first, no row
matches and the save becomes :class:`ConflictError`. The services also compare the version the
officer's form was opened with (``update_dossier(…, version, …)``, ``expected_version``).
"""

from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import select

from desktop_app.domain.status import Action
from desktop_app.services import dossiers, intake
from desktop_app.services.context import open_database
from desktop_app.storage.errors import ConflictError
from desktop_app.storage.models import AuditEntry, Dossier

from ..services.helpers import draft


@pytest.fixture
def dossier(services_ctx, clock):
    clock.now = datetime(2026, 2, 12, 9, 0)
    services_ctx.officer_id = services_ctx.test_officer_id
    code = intake.receive_dossier(services_ctx, draft(services_ctx, applicant_name="Trần Thị Đào"))
    return dossiers.find_by_code(services_ctx, code)


@pytest.fixture
def second_counter(services_ctx, clock):
    """Another counter's app on the same database (its own engine and connections)."""
    other = open_database(services_ctx.url, clock=clock)
    other.officer_id = services_ctx.test_officer_id
    yield other
    other.dispose()


def _stored(ctx, dossier_id):
    with ctx.read() as session:
        row = session.get(Dossier, dossier_id)
        notes_history = session.scalars(
            select(AuditEntry.new_value).where(AuditEntry.dossier_id == dossier_id, AuditEntry.field == "notes")
        ).all()
        return row.notes, row.version, notes_history


def _assert_clear_conflict(error: ConflictError) -> None:
    assert "người khác sửa và lưu trước bạn" in error.message
    assert "chưa được lưu" in error.message
    assert "mở lại hồ sơ" in error.action


def test_two_sessions_load_the_same_dossier_and_the_second_save_is_refused(services_ctx, second_counter, dossier):
    first_cm, second_cm = services_ctx.session(), second_counter.session()
    first, second = first_cm.__enter__(), second_cm.__enter__()
    mine = first.get(Dossier, dossier.id)
    theirs = second.get(Dossier, dossier.id)
    assert mine.version == theirs.version == dossier.version

    mine.notes = "Lan: đã gọi điện hẹn trả kết quả"
    first_cm.__exit__(None, None, None)  # saved

    theirs.notes = "Hùng: ghi chú khác"
    with pytest.raises(ConflictError) as info:
        second_cm.__exit__(None, None, None)
    _assert_clear_conflict(info.value)

    notes, version, history = _stored(services_ctx, dossier.id)
    assert notes == "Lan: đã gọi điện hẹn trả kết quả"
    assert version == dossier.version + 1
    assert history == ["Lan: đã gọi điện hẹn trả kết quả"]  # the refused save left no audit entry


def test_a_save_waiting_for_the_first_one_is_refused_when_it_commits(services_ctx, second_counter, dossier):
    """Both in flight: the second UPDATE waits for the first transaction's lock (PostgreSQL row
    lock, SQLite write lock) and then finds the version changed."""
    first_cm = services_ctx.session()
    first = first_cm.__enter__()
    first.get(Dossier, dossier.id).notes = "bản của Lan"
    first.flush()  # the row is written but not committed: the first transaction holds the lock

    started, outcome = threading.Event(), {}

    def other_officer():
        try:
            with second_counter.session() as second:
                theirs = second.get(Dossier, dossier.id)  # reads the committed (old) version
                theirs.notes = "bản của Hùng"
                started.set()
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            outcome["error"] = error
        finally:
            started.set()

    worker = threading.Thread(target=other_officer)
    worker.start()
    assert started.wait(10)
    worker.join(0.3)  # give its UPDATE time to reach the lock
    first_cm.__exit__(None, None, None)
    worker.join(20)
    assert not worker.is_alive()

    assert isinstance(outcome.get("error"), ConflictError), outcome
    _assert_clear_conflict(outcome["error"])
    notes, version, _ = _stored(services_ctx, dossier.id)
    assert (notes, version) == ("bản của Lan", dossier.version + 1)


def test_update_dossier_with_an_old_version_is_refused(services_ctx, second_counter, dossier):
    opened_by_lan = dossiers.get_dossier(services_ctx, dossier.id)
    opened_by_hung = dossiers.get_dossier(second_counter, dossier.id)

    saved = dossiers.update_dossier(services_ctx, dossier.id, opened_by_lan.version,
                                    dossiers.DossierEdit(phone="0912000111", notes="Lan sửa số điện thoại"))
    assert saved.version == opened_by_lan.version + 1

    with pytest.raises(ConflictError) as info:
        dossiers.update_dossier(second_counter, dossier.id, opened_by_hung.version,
                                dossiers.DossierEdit(phone="0987000222", notes="Hùng sửa số điện thoại"))
    _assert_clear_conflict(info.value)
    assert dossier.code in info.value.message

    now = dossiers.get_dossier(second_counter, dossier.id)
    assert (now.phone, now.notes, now.version) == ("0912000111", "Lan sửa số điện thoại", saved.version)

    # reopened, the second officer can save over the new version
    again = dossiers.update_dossier(second_counter, dossier.id, now.version, dossiers.DossierEdit(notes="Hùng"))
    assert again.notes == "Hùng" and again.version == now.version + 1


def test_a_status_action_on_an_old_version_is_refused(services_ctx, second_counter, dossier):
    opened = dossiers.get_dossier(second_counter, dossier.id)
    dossiers.update_dossier(services_ctx, dossier.id, dossier.version, dossiers.DossierEdit(notes="đã sửa"))
    with pytest.raises(ConflictError):
        dossiers.perform_action(second_counter, dossier.id,
                                dossiers.ActionInput(Action.CO_KET_QUA, expected_version=opened.version))
    assert dossiers.get_dossier(services_ctx, dossier.id).status == dossier.status


@pytest.mark.postgresql_only  # on SQLite one program writes at a time (a second instance is refused)
def test_two_counters_receiving_at_the_same_moment_get_consecutive_codes(services_ctx, second_counter, clock,
                                                                          monkeypatch):
    """Both counters read the day's codes before either has saved: without the numbering lock
    they would pick the same code and the second save would fail."""
    both_numbered = threading.Barrier(2)
    original = intake.generate_code

    def numbered_then_wait(session, unit_code, day):
        code = original(session, unit_code, day)
        try:  # the other counter waits on the numbering lock, so this times out: go on
            both_numbered.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return code

    monkeypatch.setattr(intake, "generate_code", numbered_then_wait)
    clock.now = datetime(2026, 2, 12, 9, 0)
    codes, errors = [], []

    def counter(ctx):
        try:
            codes.append(intake.receive_dossier(ctx, draft(services_ctx)))
        except BaseException as error:  # noqa: BLE001 - handed to the test thread
            errors.append(error)

    workers = [threading.Thread(target=counter, args=(ctx,)) for ctx in (services_ctx, second_counter)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert errors == []
    assert sorted(codes) == ["000.00.53.H48-260212-0001", "000.00.53.H48-260212-0002"]

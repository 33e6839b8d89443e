"""Synthetic dossiers (``motcua demo``): deterministic, consistent, and readable by the app."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from datetime import datetime, time, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from desktop_app.domain import calendar as cal
from desktop_app.domain.identity import check_id_number
from desktop_app.domain.rules import evaluate
from desktop_app.domain.status import ENDED_STATUSES, Action, Status, next_status
from desktop_app.services import demo, setup, warnings
from desktop_app.services.context import open_database
from desktop_app.storage.errors import UserFixableError
from desktop_app.storage.models import (
    Dossier,
    DossierComponent,
    DossierWarning,
    Procedure,
    StatusChange,
    SupplementRequest,
)

#: Wednesday 18/03/2026 10:15; twelve weeks back covers Tết 2026 (16–20/02) and Giỗ Tổ is after.
NOW = datetime(2026, 3, 18, 10, 15)
CODE = re.compile(r"^000\.00\.53\.H48-(\d{6})-(\d{4})$")


def fresh(tmp_path, name: str):
    return open_database(str(tmp_path / name), clock=lambda: NOW)


@pytest.fixture
def ctx(tmp_path):
    context = fresh(tmp_path, "demo.sqlite3")
    yield context
    context.dispose()


@pytest.fixture
def generated(ctx):
    summary = demo.generate(ctx, 500, seed=3, now=NOW)
    return ctx, summary


def dossiers_of(ctx) -> list[Dossier]:
    """Every dossier with its relations loaded, detached from the session (read-only use)."""
    with ctx.read() as session:
        rows = list(
            session.scalars(
                select(Dossier)
                .order_by(Dossier.code)
                .options(
                    selectinload(Dossier.procedure),
                    selectinload(Dossier.components),
                    selectinload(Dossier.history),
                    selectinload(Dossier.supplements),
                    selectinload(Dossier.warnings),
                )
            )
        )
        session.expunge_all()  # detached before the read session rolls back, so nothing expires
    return rows


def fingerprint(ctx) -> list[tuple]:
    return [
        (d.id, d.code, d.applicant_name, d.id_number, d.phone, d.channel, d.status, d.received_at, d.due_at,
         d.ended_at, d.returned_at, d.fee, d.payment_method, d.satisfaction, d.procedure.code)
        for d in dossiers_of(ctx)
    ]


def test_summary_counts_match_the_database(generated):
    ctx, summary = generated
    with ctx.read() as session:
        count = lambda model: session.scalar(select(func.count()).select_from(model))  # noqa: E731
        assert summary.dossiers == count(Dossier) == 500
        assert summary.components == count(DossierComponent) > 500
        assert summary.status_changes == count(StatusChange) > 500
        assert summary.supplement_requests == count(SupplementRequest) > 0
        assert summary.warnings == count(DossierWarning) > 0
    assert sum(summary.statuses.values()) == sum(summary.channels.values()) == 500
    assert summary.profile_created and summary.officers_created == 4
    assert summary.first_received <= summary.last_received <= NOW


def test_creates_the_demo_commune_when_missing(generated):
    ctx, _ = generated
    profile = setup.get_profile(ctx)
    assert (profile.unit_name, profile.unit_code, profile.province) == ("UBND xã Phú Lạc", "000.00.53.H48",
                                                                       "Thái Nguyên")
    assert setup.list_hamlets(ctx)[:3] == ["Xóm Đồng Bầu", "Xóm Cầu Đá", "Xóm Làng Lớn"]
    assert len(setup.list_hamlets(ctx)) == 8
    assert len(setup.list_officers(ctx)) == 4


def test_same_seed_and_clock_give_the_same_dossiers(tmp_path):
    first, second = fresh(tmp_path, "a.sqlite3"), fresh(tmp_path, "b.sqlite3")
    try:
        demo.generate(first, 500, seed=3, now=NOW)
        demo.generate(second, 500, seed=3, now=NOW)
        assert fingerprint(first) == fingerprint(second)
        other = fresh(tmp_path, "c.sqlite3")
        demo.generate(other, 500, seed=4, now=NOW)
        assert [row[2] for row in fingerprint(other)] != [row[2] for row in fingerprint(first)]
        other.dispose()
    finally:
        first.dispose()
        second.dispose()


def test_the_core_path_stores_what_the_fast_sqlite_path_stores(tmp_path, monkeypatch):
    fast = fresh(tmp_path, "fast.sqlite3")
    demo.generate(fast, 300, seed=5, now=NOW)
    monkeypatch.setattr(demo, "_fast_path", lambda ctx: False)  # as on PostgreSQL
    core = fresh(tmp_path, "core.sqlite3")
    demo.generate(core, 300, seed=5, now=NOW)
    try:
        assert fingerprint(fast) == fingerprint(core)
        for a, b in zip(dossiers_of(fast), dossiers_of(core)):
            assert [(c.id, c.name, c.digitised, c.reused, c.from_kho) for c in a.components] == [
                (c.id, c.name, c.digitised, c.reused, c.from_kho) for c in b.components]
            assert [(h.id, h.to_status, h.changed_at) for h in a.history] == [
                (h.id, h.to_status, h.changed_at) for h in b.history]
            assert sorted(w.rule for w in a.warnings) == sorted(w.rule for w in b.warnings)
            assert (a.effective_due_at, a.paused_at, a.supplement_count, a.synced_at, a.created_at) == (
                b.effective_due_at, b.paused_at, b.supplement_count, b.synced_at, b.created_at)
    finally:
        fast.dispose()
        core.dispose()


def test_statuses_dates_and_history_are_consistent(generated):
    ctx, _ = generated
    rows = dossiers_of(ctx)
    for d in rows:
        status = Status(d.status)
        assert d.due_at >= d.received_at, d.code
        if status in ENDED_STATUSES:
            assert d.ended_at is not None and d.received_at < d.ended_at <= NOW, d.code
        else:
            assert d.ended_at is None, d.code
        if status is Status.DA_TRA_KET_QUA:
            assert d.returned_at is not None and d.ended_at < d.returned_at <= NOW, d.code
            assert d.satisfaction in ("rat_hai_long", "hai_long", "khong_hai_long", "chua_danh_gia")
        else:
            assert d.returned_at is None and d.satisfaction == "", d.code
        if d.has_result_file:
            assert status in (Status.DA_XU_LY_XONG, Status.DA_TRA_KET_QUA)
        if d.has_end_document or d.end_reason:
            assert status in (Status.TU_CHOI, Status.RUT_HO_SO, Status.DUNG_XU_LY)
        assert d.synced == (d.synced_at is not None)
        assert d.synced_at is None or d.received_at < d.synced_at <= NOW

        # the history replays through the transition rules to the current status
        history = sorted(d.history, key=lambda h: h.changed_at)
        assert (history[0].from_status, history[0].to_status, history[0].action) == (None, 2, "tiep_nhan")
        assert history[0].changed_at == d.received_at
        for before, after in zip(history, history[1:]):
            assert after.from_status == before.to_status and after.changed_at > before.changed_at
            assert next_status(Status(after.from_status), Action(after.action)) == after.to_status
        assert history[-1].to_status == d.status
        assert history[-1].changed_at <= NOW

        # supplement requests: one history row each, the clock paused while one is open
        requests = [h for h in history if h.action == "yeu_cau_bo_sung"]
        assert len(requests) == len(d.supplements) == d.supplement_count
        open_requests = [s for s in d.supplements if s.completed_at is None]
        assert len(open_requests) <= 1
        assert d.paused_at == (open_requests[0].requested_at if open_requests else None)
        waited = sum((s.completed_at - s.requested_at for s in d.supplements if s.completed_at), timedelta(0))
        assert d.effective_due_at == d.due_at + waited
        if status is Status.YEU_CAU_BO_SUNG:
            assert open_requests


def test_due_dates_come_from_the_procedure_limit_and_the_calendar(generated):
    ctx, _ = generated
    calendar = ctx.calendar()
    for d in dossiers_of(ctx):
        limit, unit = d.procedure.time_limit, cal.TimeUnit(d.procedure.time_unit)
        assert d.due_at == cal.due_at(d.received_at, limit, unit, calendar), d.code


def test_received_on_working_days_in_office_hours(generated):
    ctx, _ = generated
    calendar = ctx.calendar()
    rows = dossiers_of(ctx)
    for d in rows:
        assert calendar.is_working_day(d.received_at.date()), d.received_at
        assert d.received_at.weekday() < 5 or d.received_at.date() in calendar.working_days
        assert time(7, 30) <= d.received_at.time() <= time(17, 0)
        assert (NOW - d.received_at).days < 12 * 7 and d.received_at <= NOW
    # Tết 2026 is skipped (days off 16–20/02/2026) but the weeks around it are not
    days = {d.received_at.date() for d in rows}
    assert not any(day.month == 2 and 16 <= day.day <= 20 and day.year == 2026 for day in days)
    assert len(days) > 40


def test_identity_numbers_and_applicants_look_real(generated):
    ctx, _ = generated
    rows = dossiers_of(ctx)
    kinds = Counter(d.id_kind for d in rows)
    assert kinds["cccd"] > 0.9 * len(rows) and kinds["cmnd"] > 0 and kinds["none"] > 0
    for d in rows:
        if d.id_kind == "cccd":
            check = check_id_number(d.id_number, current_year=NOW.year)
            assert check.ok, (d.id_number, check.message)
            assert 1945 <= check.birth_year <= 2007
        elif d.id_kind == "cmnd":
            assert re.fullmatch(r"\d{9}", d.id_number)
        else:
            assert d.id_number == ""
        assert d.phone == "" or re.fullmatch(r"0[389]\d{8}", d.phone)
        assert len(d.applicant_name.split()) == 3
    local = sum(d.id_number.startswith("019") for d in rows if d.id_kind == "cccd")
    assert local > 0.6 * kinds["cccd"]  # mostly born in the commune's province (Thái Nguyên)
    names = " ".join(d.applicant_name for d in rows)
    assert "Nguyễn" in names and "Đ" in names and "Thị" in names
    assert all(d.applicant_fold == d.applicant_fold.encode("ascii", "ignore").decode() for d in rows)


def test_realistic_proportions(generated):
    ctx, summary = generated
    rows = dossiers_of(ctx)
    assert set(summary.channels) == {1, 2, 3}
    assert 0.25 < summary.channels[2] / 500 < 0.55 and summary.channels[3] < 0.12 * 500
    assert len(summary.statuses) >= 6
    procedures = Counter(d.procedure.code for d in rows)
    assert procedures.most_common(1)[0][0] == "2.000815"  # chứng thực bản sao comes first
    direct = [d for d in rows if d.channel != 2]
    digitised = sum(any(c.digitised for c in d.components) for d in direct) / len(direct)
    assert 0.5 < digitised < 0.9
    assert 0.6 < sum(d.identity_checked for d in rows) / len(rows) < 0.9
    fee_bearing = [d for d in rows if d.fee > 0]
    assert fee_bearing
    assert all(d.payment_method in ("truc_tuyen", "tien_mat", "chuyen_khoan") for d in fee_bearing)
    assert all(d.payment_method == "mien" for d in rows if d.fee == 0)
    assert 0.3 < sum(d.payment_method == "truc_tuyen" for d in fee_bearing) / len(fee_bearing) < 0.75
    assert any(len(d.supplements) == 1 for d in rows)
    assert {c.sort_order for d in rows for c in d.components} >= {0, 1}


def test_stored_warnings_are_those_the_rules_give(generated):
    ctx, _ = generated
    calendar = ctx.calendar()
    fired = Counter()
    for d in dossiers_of(ctx):
        expected = evaluate(warnings.facts_of(d), NOW, calendar)
        assert sorted(w.rule for w in d.warnings) == sorted(expected), d.code
        fired.update(expected)
    expected_rules = {"IDENTITY_NOT_CHECKED", "KHO_NOT_USED", "FEE_NOT_PAID_ONLINE", "RESULT_FILE_MISSING"}
    assert expected_rules <= set(fired)


def test_running_again_continues_the_codes_of_each_day(generated):
    ctx, _ = generated
    again = demo.generate(ctx, 500, seed=3, now=NOW)
    assert not again.profile_created and again.officers_created == 0
    rows = dossiers_of(ctx)
    assert len(rows) == len({d.code for d in rows}) == len({d.id for d in rows}) == 1000
    by_day: dict[str, list[int]] = defaultdict(list)
    for d in rows:
        match = CODE.match(d.code)
        assert match, d.code
        assert match[1] == f"{d.received_at:%y%m%d}"
        by_day[match[1]].append(int(match[2]))
    for day, numbers in by_day.items():
        assert sorted(numbers) == list(range(1, len(numbers) + 1)), day


def test_uses_the_existing_profile_and_officers(services_ctx, clock):
    profile = setup.ProfileInput(unit_name="UBND phường Tân Lập", unit_code="000.00.12.H55",
                                 place_name="Tân Lập", province="Thái Nguyên")
    setup.save_profile(services_ctx, profile)
    summary = demo.generate(services_ctx, 50, seed=1, now=clock.now)
    assert not summary.profile_created and summary.officers_created == 0
    rows = dossiers_of(services_ctx)
    assert all(d.code.startswith("000.00.12.H55-") for d in rows)
    assert {d.officer_id for d in rows} == {services_ctx.test_officer_id}
    assert all(d.received_at <= clock.now for d in rows)
    assert any("phường Tân Lập" in d.address for d in rows)
    assert {d.hamlet for d in rows} - {""} <= {"Xóm Đồng Bầu", "Xóm Cầu Đá"}


def test_progress_is_reported_per_batch(ctx, monkeypatch):
    monkeypatch.setattr(demo, "BATCH_SIZE", 120)
    calls = []
    demo.generate(ctx, 300, seed=2, now=NOW, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(120, 300), (240, 300), (300, 300)]


@pytest.mark.parametrize(("count", "weeks"), [(0, 12), (10, 0), (10, demo.MAX_WEEKS + 1)])
def test_refuses_impossible_requests(ctx, count, weeks):
    with pytest.raises(UserFixableError):
        demo.generate(ctx, count, weeks=weeks, now=NOW)
    with ctx.read() as session:
        assert session.scalar(select(func.count()).select_from(Dossier)) == 0


def test_refuses_more_dossiers_than_a_day_has_codes(ctx, monkeypatch):
    monkeypatch.setattr(demo, "MAX_SEQUENCE", 3)
    with pytest.raises(UserFixableError, match="--weeks"):
        demo.generate(ctx, 1000, weeks=1, now=NOW)


def test_refuses_an_empty_catalogue(ctx):
    with ctx.session() as session:
        for procedure in session.scalars(select(Procedure)):
            procedure.active = False
    with pytest.raises(UserFixableError, match="thủ tục"):
        demo.generate(ctx, 10, now=NOW)


def test_a_write_error_stops_the_run_and_reaches_the_caller(ctx, monkeypatch):
    monkeypatch.setattr(demo, "BATCH_SIZE", 50)
    real_write, calls = demo._write, []

    def failing_write(context, batch, shaper):
        calls.append(len(batch))
        if len(calls) == 2:
            raise UserFixableError("Ổ đĩa đã đầy, không lưu được.", "Hãy xóa bớt tệp.")
        real_write(context, batch, shaper)

    monkeypatch.setattr(demo, "_write", failing_write)
    with pytest.raises(UserFixableError, match="Ổ đĩa đã đầy"):
        demo.generate(ctx, 1000, seed=1, now=NOW)
    with ctx.read() as session:  # batches are whole transactions: the first one only
        assert session.scalar(select(func.count()).select_from(Dossier)) == 50
    assert len(calls) <= 4  # the writer stopped instead of going through all 20 batches

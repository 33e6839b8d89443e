"""Warning rules (SPEC §4): every rule fires on its case and stays quiet on its neighbours."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta

import pytest

from desktop_app.domain.calendar import WorkCalendar
from desktop_app.domain.procedure import OnlineLevel
from desktop_app.domain.rules import (
    RULES,
    RULES_BY_CODE,
    DossierFacts,
    SupplementFacts,
    effective_due,
    evaluate,
    evaluation_time,
    is_late,
)
from desktop_app.domain.status import Channel, Status

CAL = WorkCalendar()  # weekends only
MON = datetime(2026, 3, 2)  # Monday 2 March 2026; no holiday that week
NOW = MON + timedelta(days=1, hours=10)  # Tuesday 10:00

#: A dossier where nothing is wrong: online, in processing, everything digitised and checked.
BASE = DossierFacts(
    status=Status.DANG_XU_LY,
    channel=Channel.TRUC_TUYEN,
    received_at=MON.replace(hour=9),
    due_at=MON.replace(day=9, hour=17),  # next Monday 17:00
    ended_at=None,
    result_is_document=True,
    citizen_facing=True,
    online_level=OnlineLevel.MOT_PHAN,
    identity_checked=True,
    id_number="001203004545",
    id_kind="cccd",
    any_component_digitised=True,
    any_reused=True,
    any_from_kho=True,
    has_result_file=False,
    result_signed=False,
    has_end_document=False,
    fee=0,
    payment_method="mien",
    synced=True,
    satisfaction="",
)


def fires(code: str, facts: DossierFacts, now: datetime = NOW, cal: WorkCalendar = CAL) -> bool:
    return RULES_BY_CODE[code].applies(facts, now, cal)


def test_the_week_used_here_is_what_the_tests_assume():
    assert MON.weekday() == 0 and NOW.weekday() == 1
    assert date(2026, 3, 6).weekday() == 4


def test_base_dossier_has_no_warning():
    assert evaluate(BASE, NOW, CAL) == []


def test_rule_table_has_the_fourteen_codes_of_the_spec():
    assert [r.code for r in RULES] == [
        "RESULT_FILE_MISSING", "COMPONENTS_NOT_DIGITISED", "IDENTITY_NOT_CHECKED", "END_DOCUMENT_MISSING",
        "KHO_NOT_USED", "FEE_NOT_PAID_ONLINE", "OVERDUE", "DUE_SOON", "SECOND_SUPPLEMENT",
        "RESULT_NOT_SIGNED", "NOT_SYNCED", "PAPER_FOR_FULL_ONLINE", "INVALID_ID_NUMBER", "NO_SATISFACTION",
    ]
    for rule in RULES:
        assert rule.title and rule.explanation and rule.protects
        assert rule.severity in ("cao", "trung_binh", "thap")


# One firing and one non-firing case per rule, each a small change of BASE. The non-firing case is
# the nearest neighbour of the firing one (one field back), so each pair pins the rule's condition.
FINISHED = dict(status=Status.DA_XU_LY_XONG, ended_at=MON.replace(hour=15))
FIRING: dict[str, list[tuple[dict, datetime]]] = {
    "RESULT_FILE_MISSING": [(FINISHED, NOW), (dict(FINISHED, status=Status.DA_TRA_KET_QUA, satisfaction="hai_long"), NOW)],
    "COMPONENTS_NOT_DIGITISED": [
        (dict(channel=Channel.TRUC_TIEP, any_component_digitised=False, any_reused=False, any_from_kho=False), NOW),
        (dict(channel=Channel.BUU_CHINH, any_component_digitised=False, any_reused=False, any_from_kho=False,
              status=Status.DUOC_TIEP_NHAN), NOW),
    ],
    "IDENTITY_NOT_CHECKED": [(dict(identity_checked=False), NOW)],
    "END_DOCUMENT_MISSING": [
        (dict(status=s, ended_at=MON.replace(hour=10)), NOW)
        for s in (Status.TU_CHOI, Status.RUT_HO_SO, Status.DUNG_XU_LY)
    ],
    "KHO_NOT_USED": [(dict(any_reused=False, any_from_kho=False), NOW)],
    "FEE_NOT_PAID_ONLINE": [(dict(fee=10000, payment_method="tien_mat"), NOW),
                            (dict(fee=8000, payment_method="chuyen_khoan"), NOW)],
    "OVERDUE": [(dict(due_at=MON.replace(hour=17)), NOW)],
    "DUE_SOON": [(dict(due_at=NOW.replace(hour=17)), NOW)],
    "SECOND_SUPPLEMENT": [(dict(supplements=(
        SupplementFacts(MON.replace(hour=10), MON.replace(hour=11)),
        SupplementFacts(MON.replace(hour=14), MON.replace(hour=15)),
    )), NOW)],
    "RESULT_NOT_SIGNED": [(dict(FINISHED, has_result_file=True, result_signed=False), NOW)],
    "NOT_SYNCED": [(dict(synced=False), NOW.replace(hour=17, minute=30))],
    "PAPER_FOR_FULL_ONLINE": [(dict(online_level=OnlineLevel.TOAN_TRINH, channel=Channel.TRUC_TIEP), NOW)],
    "INVALID_ID_NUMBER": [(dict(id_number="12345"), NOW), (dict(id_number="999203004545"), NOW)],
    "NO_SATISFACTION": [(dict(FINISHED, status=Status.DA_TRA_KET_QUA, has_result_file=True, result_signed=True,
                              satisfaction=s), NOW) for s in ("", "chua_danh_gia")],
}
QUIET: dict[str, list[tuple[dict, datetime]]] = {
    "RESULT_FILE_MISSING": [
        (dict(FINISHED, has_result_file=True, result_signed=True), NOW),
        (dict(FINISHED, result_is_document=False), NOW),
        (dict(status=Status.DANG_XU_LY), NOW),
        (dict(status=Status.DUNG_XU_LY, ended_at=MON.replace(hour=15), has_end_document=True), NOW),
    ],
    "COMPONENTS_NOT_DIGITISED": [
        # online channel
        (dict(any_component_digitised=False, any_reused=False, any_from_kho=False), NOW),
        # refused (status 3) and not yet received (status 1)
        (dict(channel=Channel.TRUC_TIEP, any_component_digitised=False, any_reused=False, any_from_kho=False,
              status=Status.TU_CHOI, ended_at=MON.replace(hour=10), has_end_document=True), NOW),
        (dict(channel=Channel.TRUC_TIEP, any_component_digitised=False, any_reused=False, any_from_kho=False,
              status=Status.MOI_DANG_KY), NOW),
        # reused, or taken from the kho, counts as digitised
        (dict(channel=Channel.TRUC_TIEP, any_component_digitised=False, any_reused=True, any_from_kho=False), NOW),
        (dict(channel=Channel.TRUC_TIEP, any_component_digitised=False, any_reused=False, any_from_kho=True), NOW),
        (dict(channel=Channel.BUU_CHINH, any_component_digitised=True, any_reused=False, any_from_kho=True), NOW),
    ],
    "IDENTITY_NOT_CHECKED": [(dict(identity_checked=False, citizen_facing=False), NOW)],
    "END_DOCUMENT_MISSING": [
        (dict(status=Status.TU_CHOI, ended_at=MON.replace(hour=10), has_end_document=True), NOW),
        (FINISHED | dict(has_result_file=True, result_signed=True), NOW),
        (dict(status=Status.YEU_CAU_BO_SUNG, supplements=(SupplementFacts(MON.replace(hour=10), None),)), NOW),
    ],
    "KHO_NOT_USED": [
        (dict(any_reused=False, any_from_kho=False, status=Status.TU_CHOI, ended_at=MON.replace(hour=10),
              has_end_document=True), NOW),
        (dict(any_reused=True, any_from_kho=False), NOW),
        (dict(any_reused=False, any_from_kho=True), NOW),
    ],
    "FEE_NOT_PAID_ONLINE": [
        (dict(fee=10000, payment_method="tien_mat", status=Status.TU_CHOI, ended_at=MON.replace(hour=10),
              has_end_document=True), NOW),
        (dict(fee=10000, payment_method="tien_mat", status=Status.RUT_HO_SO, ended_at=MON.replace(hour=10),
              has_end_document=True), NOW),
        (dict(fee=0, payment_method="tien_mat"), NOW),
        (dict(fee=10000, payment_method="truc_tuyen"), NOW),
    ],
    "OVERDUE": [(dict(due_at=NOW + timedelta(minutes=1)), NOW), (dict(due_at=None), NOW)],
    "DUE_SOON": [(dict(due_at=NOW.replace(day=5, hour=17)), NOW)],  # Thursday, two working days away
    "SECOND_SUPPLEMENT": [(dict(supplements=(SupplementFacts(MON.replace(hour=10), MON.replace(hour=11)),)), NOW)],
    "RESULT_NOT_SIGNED": [(dict(FINISHED, has_result_file=True, result_signed=True), NOW),
                          (dict(FINISHED, result_is_document=False, has_result_file=False), NOW)],
    "NOT_SYNCED": [(dict(synced=False), NOW.replace(hour=16)), (dict(synced=True), NOW.replace(hour=17, minute=30))],
    "PAPER_FOR_FULL_ONLINE": [
        (dict(online_level=OnlineLevel.TOAN_TRINH, channel=Channel.TRUC_TUYEN), NOW),
        (dict(online_level=OnlineLevel.MOT_PHAN, channel=Channel.TRUC_TIEP), NOW),
        (dict(online_level=OnlineLevel.TOAN_TRINH, channel=Channel.BUU_CHINH), NOW),
    ],
    "INVALID_ID_NUMBER": [(dict(id_number="12345", id_kind="none"), NOW), (dict(id_number=""), NOW),
                          (dict(id_number="001203004545"), NOW), (dict(id_number="123456789", id_kind="cmnd"), NOW)],
    "NO_SATISFACTION": [
        (dict(FINISHED, status=Status.DA_TRA_KET_QUA, has_result_file=True, result_signed=True,
              satisfaction=s), NOW) for s in ("hai_long", "rat_hai_long", "khong_hai_long")
    ] + [(dict(FINISHED, has_result_file=True, result_signed=True, satisfaction=""), NOW)],
}


def test_every_rule_has_firing_and_quiet_cases():
    codes = {r.code for r in RULES}
    assert set(FIRING) == codes
    assert set(QUIET) == codes


@pytest.mark.parametrize(("code", "change", "now"), [(c, ch, n) for c, cases in FIRING.items() for ch, n in cases])
def test_rule_fires(code, change, now):
    facts = replace(BASE, **change)
    assert fires(code, facts, now)
    assert code in evaluate(facts, now, CAL)


@pytest.mark.parametrize(("code", "change", "now"), [(c, ch, n) for c, cases in QUIET.items() for ch, n in cases])
def test_rule_stays_quiet(code, change, now):
    facts = replace(BASE, **change)
    assert not fires(code, facts, now)
    assert code not in evaluate(facts, now, CAL)


# ------------------------------------------------------------------ edge statuses, named


@pytest.mark.parametrize("status", list(Status))
def test_result_file_missing_only_for_statuses_9_and_10(status):
    facts = replace(BASE, status=status, ended_at=MON.replace(hour=15) if status.is_ended else None)
    assert fires("RESULT_FILE_MISSING", facts) is (status in (Status.DA_XU_LY_XONG, Status.DA_TRA_KET_QUA))
    assert not fires("RESULT_FILE_MISSING", replace(facts, result_is_document=False))


@pytest.mark.parametrize("status", list(Status))
def test_end_document_missing_only_for_statuses_3_7_8(status):
    facts = replace(BASE, status=status, ended_at=MON.replace(hour=15) if status.is_ended else None)
    assert fires("END_DOCUMENT_MISSING", facts) is (status in (Status.TU_CHOI, Status.RUT_HO_SO, Status.DUNG_XU_LY))


@pytest.mark.parametrize("status", list(Status))
def test_components_not_digitised_statuses(status):
    facts = replace(BASE, channel=Channel.TRUC_TIEP, status=status, any_component_digitised=False,
                    any_reused=False, any_from_kho=False)
    assert fires("COMPONENTS_NOT_DIGITISED", facts) is (status not in (Status.MOI_DANG_KY, Status.TU_CHOI))
    assert not fires("COMPONENTS_NOT_DIGITISED", replace(facts, channel=Channel.TRUC_TUYEN))


@pytest.mark.parametrize("status", list(Status))
def test_fee_not_paid_online_statuses(status):
    facts = replace(BASE, status=status, fee=10000, payment_method="tien_mat")
    assert fires("FEE_NOT_PAID_ONLINE", facts) is (status not in (Status.TU_CHOI, Status.RUT_HO_SO))


# ------------------------------------------------------------------ timeliness


DUE = MON.replace(day=5, hour=17)  # Thursday 17:00


def test_overdue_open_dossier_after_the_due_time():
    facts = replace(BASE, due_at=DUE)
    assert not fires("OVERDUE", facts, DUE)
    assert fires("OVERDUE", facts, DUE + timedelta(minutes=1))


def test_overdue_when_ended_after_the_due_date_even_if_looked_at_before():
    late = replace(BASE, due_at=DUE, status=Status.DA_XU_LY_XONG, ended_at=DUE + timedelta(hours=16),
                   has_result_file=True, result_signed=True)
    assert fires("OVERDUE", late, DUE + timedelta(days=10))
    on_time = replace(late, ended_at=DUE - timedelta(hours=1))
    assert not fires("OVERDUE", on_time, DUE + timedelta(days=10))  # ended before due: never overdue


def test_a_completed_supplement_wait_moves_the_due_date():
    waited = (SupplementFacts(MON.replace(day=4, hour=8), MON.replace(day=4, hour=11)),)  # 3 hours
    facts = replace(BASE, due_at=DUE, status=Status.DA_XU_LY_XONG, ended_at=DUE + timedelta(hours=2),
                    has_result_file=True, result_signed=True, supplements=waited)
    assert effective_due(facts) == DUE + timedelta(hours=3)
    assert not fires("OVERDUE", facts, DUE + timedelta(days=3))
    assert not is_late(facts, DUE + timedelta(days=3))
    # without the wait the same end is late
    assert fires("OVERDUE", replace(facts, supplements=()), DUE + timedelta(days=3))
    # an open (not completed) request does not move the due date
    assert effective_due(replace(facts, supplements=(SupplementFacts(MON.replace(day=4, hour=8), None),))) == DUE


def test_a_dossier_waiting_for_a_supplement_is_judged_at_the_request_time():
    asked = MON.replace(day=4, hour=9)  # Wednesday, before the due date
    waiting = replace(BASE, due_at=DUE, status=Status.YEU_CAU_BO_SUNG, supplements=(SupplementFacts(asked, None),))
    much_later = DUE + timedelta(days=20)
    assert evaluation_time(waiting, much_later) == asked
    assert not fires("OVERDUE", waiting, much_later)
    assert not fires("DUE_SOON", waiting, DUE - timedelta(hours=2))  # the clock is stopped
    # asked only after the due date: it was already late when the clock stopped
    late_request = replace(waiting, supplements=(SupplementFacts(DUE + timedelta(hours=1), None),))
    assert fires("OVERDUE", late_request, much_later)


def test_second_supplement_counts_as_late():
    two = replace(BASE, supplements=(
        SupplementFacts(MON.replace(hour=10), MON.replace(hour=11)),
        SupplementFacts(MON.replace(hour=14), MON.replace(hour=15)),
    ))
    assert is_late(two, NOW)
    assert not is_late(replace(two, supplements=two.supplements[:1]), NOW)


FRIDAY = datetime(2026, 3, 6, 10, 0)


def test_due_soon_on_friday_skips_the_weekend():
    assert fires("DUE_SOON", replace(BASE, due_at=datetime(2026, 3, 9, 17, 0)), FRIDAY)  # Monday
    assert not fires("DUE_SOON", replace(BASE, due_at=datetime(2026, 3, 10, 17, 0)), FRIDAY)  # Tuesday
    assert fires("DUE_SOON", replace(BASE, due_at=FRIDAY.replace(hour=17)), FRIDAY)  # today


def test_due_soon_with_a_holiday_on_monday_reaches_tuesday():
    cal = WorkCalendar(days_off=frozenset({date(2026, 3, 9)}))
    assert fires("DUE_SOON", replace(BASE, due_at=datetime(2026, 3, 10, 17, 0)), FRIDAY, cal)
    assert not fires("DUE_SOON", replace(BASE, due_at=datetime(2026, 3, 11, 17, 0)), FRIDAY, cal)


def test_due_soon_not_for_ended_or_already_overdue():
    soon = replace(BASE, due_at=datetime(2026, 3, 9, 17, 0))
    ended = replace(soon, status=Status.DA_XU_LY_XONG, ended_at=FRIDAY, has_result_file=True, result_signed=True)
    assert not fires("DUE_SOON", ended, FRIDAY)
    overdue = replace(BASE, due_at=FRIDAY - timedelta(hours=1))
    assert not fires("DUE_SOON", overdue, FRIDAY)
    assert fires("OVERDUE", overdue, FRIDAY)


# ------------------------------------------------------------------ sync


RECEIVED_MONDAY = replace(BASE, received_at=MON.replace(hour=9), synced=False)


def test_not_synced_after_one_working_day():
    assert not fires("NOT_SYNCED", RECEIVED_MONDAY, datetime(2026, 3, 3, 16, 0))
    assert not fires("NOT_SYNCED", RECEIVED_MONDAY, datetime(2026, 3, 3, 17, 0))
    assert fires("NOT_SYNCED", RECEIVED_MONDAY, datetime(2026, 3, 3, 17, 30))


def test_not_synced_a_holiday_in_between_extends_the_delay():
    cal = WorkCalendar(days_off=frozenset({date(2026, 3, 3)}))  # Tuesday off
    assert not fires("NOT_SYNCED", RECEIVED_MONDAY, datetime(2026, 3, 3, 17, 30), cal)
    assert not fires("NOT_SYNCED", RECEIVED_MONDAY, datetime(2026, 3, 4, 16, 0), cal)
    assert fires("NOT_SYNCED", RECEIVED_MONDAY, datetime(2026, 3, 4, 17, 30), cal)


def test_not_synced_over_a_weekend():
    friday = replace(RECEIVED_MONDAY, received_at=datetime(2026, 3, 6, 9, 0))
    assert not fires("NOT_SYNCED", friday, datetime(2026, 3, 8, 20, 0))  # Sunday evening
    assert fires("NOT_SYNCED", friday, datetime(2026, 3, 9, 17, 30))  # Monday evening


def test_not_synced_not_when_synced_or_not_yet_received():
    later = datetime(2026, 3, 20, 9, 0)
    assert not fires("NOT_SYNCED", replace(RECEIVED_MONDAY, synced=True), later)
    assert not fires("NOT_SYNCED", replace(RECEIVED_MONDAY, status=Status.MOI_DANG_KY), later)


# ------------------------------------------------------------------ evaluate


def test_evaluate_returns_codes_in_table_order():
    facts = replace(
        BASE,
        status=Status.DA_TRA_KET_QUA,
        channel=Channel.TRUC_TIEP,
        online_level=OnlineLevel.TOAN_TRINH,
        ended_at=DUE + timedelta(hours=3),  # late even after the two 30-minute waits
        due_at=DUE,
        identity_checked=False,
        id_number="12345",
        any_component_digitised=False,
        any_reused=False,
        any_from_kho=False,
        fee=10000,
        payment_method="tien_mat",
        synced=False,
        satisfaction="chua_danh_gia",
        supplements=(
            SupplementFacts(MON.replace(hour=10), MON.replace(hour=10, minute=30)),
            SupplementFacts(MON.replace(hour=11), MON.replace(hour=11, minute=30)),
        ),
    )
    codes = evaluate(facts, DUE + timedelta(days=5), CAL)
    assert codes == [
        "RESULT_FILE_MISSING", "COMPONENTS_NOT_DIGITISED", "IDENTITY_NOT_CHECKED", "KHO_NOT_USED",
        "FEE_NOT_PAID_ONLINE", "OVERDUE", "SECOND_SUPPLEMENT", "NOT_SYNCED", "PAPER_FOR_FULL_ONLINE",
        "INVALID_ID_NUMBER", "NO_SATISFACTION",
    ]
    order = [r.code for r in RULES]
    assert codes == sorted(codes, key=order.index)

"""Statistics and the 766 estimate on real temporary SQLite databases (SPEC §5, §8)."""

from __future__ import annotations

import json
import uuid
from collections import Counter
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desktop_app.domain.identity import IdKind
from desktop_app.domain.procedure import FeeKind, OnlineLevel
from desktop_app.domain.rules import RULES, DossierFacts, SupplementFacts, evaluate
from desktop_app.domain.status import FINISHED_STATUSES, Action, Channel, Status
from desktop_app.services import catalogue, dossiers, intake, setup, stats, warnings
from desktop_app.services.context import open_database
from desktop_app.storage.errors import UserFixableError
from desktop_app.storage.stats_queries import Period, period_counts

from .helpers import act, new_draft, pdf, proc_by_code, receive, synced

INDICATOR_CODES = [
    "DOSSIER_SYNC", "PROGRESS_ON_TIME", "ONLINE_PROCEDURES", "ONLINE_SERVICE_USED", "ONLINE_DOSSIERS",
    "PAYMENT_FEE_DATA", "PAYMENT_ONLINE_FORMALITY", "PAYMENT_ONLINE_DOSSIER", "DOSSIER_RECEIVING_SATISFACTION",
    "ORIGINAL_RESULT_AVAILABLE", "SO_HOA_GIAY_TO_GIAI_QUYET", "ELECTRONIC_CERTIFIED_COPY", "REUSED_DIGITIZED_DATA",
    "SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "CITIZEN_DATA_CONNECTED_DOSSIER", "CITIZEN_DATA_CONNECTED_FORMALITY",
]
#: Indicators computed from the period's dossiers (the others come from the catalogue or the profile).
DOSSIER_BASED = [c for c in INDICATOR_CODES if c not in
                 ("ONLINE_PROCEDURES", "ELECTRONIC_CERTIFIED_COPY", "CITIZEN_DATA_CONNECTED_FORMALITY")]

# Catalogue procedures used below (resources/catalogue/procedures.json)
KHAI_SINH = "1.001193"  # toàn trình, free, same day
BAN_SAO = "2.000635"  # toàn trình, fixed 8.000 đ, same day
CHUNG_THUC_CHU_KY = "2.000884"  # not online, fixed 10.000 đ, same day
HON_NHAN = "1.004873"  # toàn trình, free, 3 working days
KET_HON = "1.000894"  # một phần, free, same day
CHUNG_THUC_BAN_SAO = "2.000815"  # một phần, per page, same day


# ====================================================================== a. a hand-made week


WEEK = (date(2026, 3, 2), date(2026, 3, 8))  # Monday–Sunday, no holiday
EVALUATED = datetime(2026, 3, 10, 9, 0)  # Tuesday after the week


@pytest.fixture
def week(services_ctx, clock, tmp_path):
    """Dossiers around the week of 2–8/3/2026 (see the worked numbers in the test)."""
    ctx = services_ctx
    scan = {0: pdf(tmp_path, "scan.pdf")}
    result = pdf(tmp_path, "kq.pdf", b"kq")
    slip = pdf(tmp_path, "phieu.pdf", b"tu choi")
    d = {}
    # received and finished the week before: neither received nor processed in the week
    d["old"] = receive(ctx, clock, datetime(2026, 2, 23, 9), KHAI_SINH, files=scan)
    act(ctx, clock, d["old"], datetime(2026, 2, 23, 10), Action.CO_KET_QUA, result_files=[result], result_signed=True)
    # received the week before, still open and overdue (due 26/2 17:00): carried over
    d["D0"] = receive(ctx, clock, datetime(2026, 2, 26, 9), KHAI_SINH, files=scan,
                      identity_checked=True, identity_method="vneid")
    act(ctx, clock, d["D0"], datetime(2026, 2, 26, 10), Action.CHUYEN_XU_LY)
    # D1 online, kho, VNeID, result signed, returned, satisfied, synced
    d["D1"] = receive(ctx, clock, datetime(2026, 3, 2, 8, 30), KHAI_SINH, channel=Channel.TRUC_TUYEN, kho={2},
                      identity_checked=True, identity_method="vneid")
    act(ctx, clock, d["D1"], datetime(2026, 3, 2, 14), Action.CO_KET_QUA, result_files=[result], result_signed=True)
    act(ctx, clock, d["D1"], datetime(2026, 3, 2, 15), Action.TRA_KET_QUA, satisfaction="hai_long")
    synced(ctx, clock, d["D1"], datetime(2026, 3, 2, 15, 5))
    # D2 online, fee paid online, reused, CSDL dân cư, finished without an e-result, never synced
    d["D2"] = receive(ctx, clock, datetime(2026, 3, 3, 9), BAN_SAO, channel=Channel.TRUC_TUYEN, reused={1},
                      fee=8000, payment_method="truc_tuyen", identity_checked=True, identity_method="csdl_dan_cu")
    act(ctx, clock, d["D2"], datetime(2026, 3, 3, 10), Action.CO_KET_QUA)
    # D3 postal, 3 working days (due Mon 9/3 17:00), one supplement of 24 h → effective due Tue 10/3 17:00
    d["D3"] = receive(ctx, clock, datetime(2026, 3, 4, 10), HON_NHAN, channel=Channel.BUU_CHINH, files=scan)
    act(ctx, clock, d["D3"], datetime(2026, 3, 4, 11), Action.YEU_CAU_BO_SUNG, items="Tờ khai có chữ ký")
    act(ctx, clock, d["D3"], datetime(2026, 3, 5, 11), Action.HOAN_THANH_BO_SUNG)
    synced(ctx, clock, d["D3"], datetime(2026, 3, 5, 11, 30))
    # D4 direct, fee in cash, identity seen on paper only, no scan, finished late, unhappy
    d["D4"] = receive(ctx, clock, datetime(2026, 3, 5, 9), CHUNG_THUC_CHU_KY, fee=10000, payment_method="tien_mat",
                      identity_checked=True, identity_method="giay_to")
    synced(ctx, clock, d["D4"], datetime(2026, 3, 5, 9, 30))
    act(ctx, clock, d["D4"], datetime(2026, 3, 6, 9), Action.CO_KET_QUA, result_files=[result])
    act(ctx, clock, d["D4"], datetime(2026, 3, 6, 10), Action.TRA_KET_QUA, satisfaction="khong_hai_long")
    # D5 direct, refused within the day with the refusal slip, scanned, VNeID, synced
    d["D5"] = receive(ctx, clock, datetime(2026, 3, 6, 10), KET_HON, files=scan,
                      identity_checked=True, identity_method="vneid")
    act(ctx, clock, d["D5"], datetime(2026, 3, 6, 10, 30), Action.TU_CHOI, reason="Không thuộc thẩm quyền",
        end_document_files=[slip])
    synced(ctx, clock, d["D5"], datetime(2026, 3, 6, 11))
    # received after the week
    d["later"] = receive(ctx, clock, datetime(2026, 3, 9, 8), KHAI_SINH)
    clock.now = EVALUATED
    warnings.reevaluate_time_dependent(ctx)
    return d


def ind(code, group, numerator, denominator, ratio, points, maximum):
    return {"code": code, "group": group, "numerator": numerator, "denominator": denominator,
            "ratio": ratio, "points": points, "max": maximum}


def test_hand_made_week_gives_the_worked_json(services_ctx, week):
    result = stats.compute(services_ctx, *WEEK).as_json()
    assert result == {
        "from": "2026-03-02",
        "to": "2026-03-08",
        "scoring_version": "766-2025.1",
        "counts": {
            "received": 5, "direct": 2, "online": 2, "postal": 1,
            "finished": 3,  # D1, D2, D4 (status 9/10, ended in the week)
            "finished_on_time": 2, "finished_late": 1,  # D4 due Thu 17:00, ended Fri 09:00
            "open_within_time": 1,  # D3: judged at the week's end (Mon 00:00) against Tue 17:00
            "open_overdue": 1,  # D0, carried over
            "rejected": 1, "stopped": 0, "withdrawn": 0,
        },
        "indicators": [
            # synced: D1 D3 D4 D5 / received or processed: D0 D1 D2 D3 D4 D5 → 6 × 4/6
            ind("DOSSIER_SYNC", "cong_khai", 4, 6, 66.67, 4.0, 6),
            # ended on time D1 D2 D5 + open within time D3 = 4 of 6 → 20 × 4/6 = 13.333
            ind("PROGRESS_ON_TIME", "tien_do", 4, 6, 66.67, 13.33, 20),
            # 22 of the 29 catalogue procedures are online; 2 × 75.86 %/80 % = 1.897
            ind("ONLINE_PROCEDURES", "dvc_truc_tuyen", 22, 29, 75.86, 1.9, 2),
            # online-capable with dossiers: khai sinh, bản sao, hôn nhân, kết hôn; with online ones: 2
            ind("ONLINE_SERVICE_USED", "dvc_truc_tuyen", 2, 4, 50.0, 2.0, 4),
            # only D1 counts as online (D2 has no e-result): 1/5 = 20 %; 6 × 20/50 = 2.40
            ind("ONLINE_DOSSIERS", "dvc_truc_tuyen", 1, 5, 20.0, 2.4, 6),
            ind("PAYMENT_FEE_DATA", "thanh_toan", 2, 2, 100.0, 2.0, 2),
            # bản sao paid online, chứng thực chữ ký not: 50 % → 2 × 50/80 = 1.25
            ind("PAYMENT_ONLINE_FORMALITY", "thanh_toan", 1, 2, 50.0, 1.25, 2),
            ind("PAYMENT_ONLINE_DOSSIER", "thanh_toan", 1, 2, 50.0, 3.0, 6),
            # 6 − 2 late (D0, D4) − 1 unhappy (D4) = 3 of 6; 6 × 50/90 = 3.333
            ind("DOSSIER_RECEIVING_SATISFACTION", "hai_long", 3, 6, 50.0, 3.33, 6),
            # finished D1 D2 D4, with result file D1 D4
            ind("ORIGINAL_RESULT_AVAILABLE", "so_hoa", 2, 3, 66.67, 4.0, 6),
            # components and result/end document: D1 (kho + result), D5 (scan + refusal slip)
            ind("SO_HOA_GIAY_TO_GIAI_QUYET", "so_hoa", 2, 5, 40.0, 1.6, 4),
            ind("ELECTRONIC_CERTIFIED_COPY", "so_hoa", 0, 1, 0.0, 0.0, 2),
            ind("REUSED_DIGITIZED_DATA", "so_hoa", 1, 5, 20.0, 0.5, 2),
            ind("SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "so_hoa", 1, 5, 20.0, 0.8, 4),
            # D1 VNeID, D2 CSDL, D5 VNeID; D4 paper only does not count
            ind("CITIZEN_DATA_CONNECTED_DOSSIER", "so_hoa", 3, 5, 60.0, 1.2, 2),
            # khai sinh, bản sao, kết hôn of the 29 citizen-facing procedures: 2 × 3/29 = 0.207
            ind("CITIZEN_DATA_CONNECTED_FORMALITY", "so_hoa", 3, 29, 10.34, 0.21, 2),
        ],
        "groups": [
            {"code": "cong_khai", "points": 4.0, "measured_max": 6, "max": 18},
            {"code": "tien_do", "points": 13.33, "measured_max": 20, "max": 20},
            {"code": "dvc_truc_tuyen", "points": 6.3, "measured_max": 12, "max": 12},
            {"code": "thanh_toan", "points": 6.25, "measured_max": 10, "max": 10},
            {"code": "hai_long", "points": 3.33, "measured_max": 6, "max": 18},
            {"code": "so_hoa", "points": 8.31, "measured_max": 22, "max": 22},
        ],
        "warnings": {
            "RESULT_FILE_MISSING": 1,  # D2
            "COMPONENTS_NOT_DIGITISED": 1,  # D4
            "IDENTITY_NOT_CHECKED": 2,  # D3, D4 (paper)
            "END_DOCUMENT_MISSING": 0,
            "KHO_NOT_USED": 3,  # D0, D3, D4
            "FEE_NOT_PAID_ONLINE": 1,  # D4
            "OVERDUE": 2,  # D0, D4
            "DUE_SOON": 1,  # D3, due Tue 10/3 17:00
            "SECOND_SUPPLEMENT": 0,
            "RESULT_NOT_SIGNED": 1,  # D4
            "NOT_SYNCED": 2,  # D0, D2
            "PAPER_FOR_FULL_ONLINE": 1,  # D0
            "INVALID_ID_NUMBER": 0,
            "NO_SATISFACTION": 0,
        },
    }
    assert list(result["warnings"]) == [r.code for r in RULES]
    assert [i["code"] for i in result["indicators"]] == INDICATOR_CODES
    json.dumps(result, ensure_ascii=False)  # JSON-serialisable as it is


def test_hand_made_week_extra_counts_and_total(services_ctx, week):
    computed = stats.compute(services_ctx, *WEEK)
    assert computed.counts.counts["carried_over"] == 1
    assert computed.counts.counts["processed"] == 6
    assert computed.card.total == Decimal("41.52")  # 4 + 13.33 + 6.30 + 6.25 + 3.33 + 8.31


def test_the_previous_week_sees_the_carried_over_dossier_as_received(services_ctx, week):
    result = stats.compute(services_ctx, date(2026, 2, 23), date(2026, 3, 1)).as_json()
    assert result["counts"]["received"] == 2  # old, D0
    assert result["counts"]["finished"] == 1 and result["counts"]["finished_on_time"] == 1
    assert result["counts"]["open_overdue"] == 1  # D0, late since 26/2 17:00


# ====================================================================== b. empty period, bad period


def test_period_without_dossiers_has_unmeasured_indicators(services_ctx):
    result = stats.compute(services_ctx, date(2025, 6, 2), date(2025, 6, 8)).as_json()
    assert all(value == 0 for value in result["counts"].values())
    by_code = {i["code"]: i for i in result["indicators"]}
    for code in DOSSIER_BASED:
        assert by_code[code]["points"] is None, code
        assert by_code[code]["ratio"] is None, code
        assert by_code[code]["denominator"] == 0, code
    assert by_code["ONLINE_PROCEDURES"]["points"] == 1.9
    assert by_code["ELECTRONIC_CERTIFIED_COPY"]["points"] == 0.0
    assert by_code["CITIZEN_DATA_CONNECTED_FORMALITY"]["points"] == 0.0
    groups = {g["code"]: g for g in result["groups"]}
    for code in ("cong_khai", "tien_do", "thanh_toan", "hai_long"):
        assert groups[code]["points"] is None and groups[code]["measured_max"] == 0
    assert groups["dvc_truc_tuyen"] == {"code": "dvc_truc_tuyen", "points": 1.9, "measured_max": 2, "max": 12}
    assert groups["so_hoa"] == {"code": "so_hoa", "points": 0.0, "measured_max": 4, "max": 22}
    assert set(result["warnings"].values()) == {0}


def test_from_after_to_is_refused(services_ctx):
    with pytest.raises(UserFixableError) as info:
        stats.compute(services_ctx, date(2026, 3, 8), date(2026, 3, 2))
    assert "Ngày bắt đầu" in str(info.value)


def test_a_single_day_period_is_allowed(services_ctx, week):
    result = stats.compute(services_ctx, date(2026, 3, 2), date(2026, 3, 2)).as_json()
    assert result["counts"]["received"] == 1  # D1


# ====================================================================== c. property: SQL = plain recount


class _Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


START = datetime(2026, 2, 9)  # Monday; Tết (16–20/2) falls in the three weeks

PATHS = [
    (),
    (Action.CHUYEN_XU_LY,),
    (Action.CHUYEN_XU_LY, Action.CO_KET_QUA),
    (Action.CO_KET_QUA, Action.TRA_KET_QUA),
    (Action.CHUYEN_XU_LY, Action.YEU_CAU_BO_SUNG),
    (Action.CHUYEN_XU_LY, Action.YEU_CAU_BO_SUNG, Action.HOAN_THANH_BO_SUNG, Action.CO_KET_QUA),
    (Action.YEU_CAU_BO_SUNG, Action.HOAN_THANH_BO_SUNG, Action.YEU_CAU_BO_SUNG, Action.HOAN_THANH_BO_SUNG,
     Action.CO_KET_QUA, Action.TRA_KET_QUA),
    (Action.YEU_CAU_BO_SUNG, Action.HOAN_THANH_BO_SUNG, Action.YEU_CAU_BO_SUNG),
    (Action.YEU_CAU_BO_SUNG, Action.HOAN_THANH_BO_SUNG),
    (Action.TU_CHOI,),
    (Action.YEU_CAU_BO_SUNG, Action.TU_CHOI),
    (Action.CHUYEN_XU_LY, Action.YEU_CAU_NGHIA_VU_TAI_CHINH, Action.HOAN_THANH_NGHIA_VU_TAI_CHINH, Action.CO_KET_QUA),
    (Action.CHUYEN_XU_LY, Action.DUNG_XU_LY),
    (Action.RUT_HO_SO,),
    (Action.CHUYEN_XU_LY, Action.YEU_CAU_BO_SUNG, Action.RUT_HO_SO),
]

dossier_plans = st.fixed_dictionaries({
    "proc": st.integers(0, 7),
    "channel": st.sampled_from(list(Channel)),
    "day": st.integers(0, 20),
    "minute": st.integers(7 * 60 + 30, 16 * 60 + 30),
    "fee": st.sampled_from([0, 0, 8000, 10000]),
    "payment": st.sampled_from(["truc_tuyen", "tien_mat", "chuyen_khoan", "mien"]),
    "components": st.lists(st.sampled_from(["none", "file", "reused", "kho", "reused+kho"]), max_size=2),
    "identity": st.sampled_from(["", "csdl_dan_cu", "vneid", "giay_to"]),
    "no_id": st.booleans(),
    "path": st.sampled_from(PATHS),
    "gaps": st.lists(st.integers(10, 4 * 24 * 60), min_size=8, max_size=8),
    "sync_after": st.one_of(st.none(), st.integers(0, 6)),
    "result_file": st.booleans(),
    "late_result": st.booleans(),
    "end_document": st.booleans(),
    "satisfaction": st.sampled_from(["", "rat_hai_long", "hai_long", "khong_hai_long", "chua_danh_gia"]),
})


def _build_database(folder: Path, plans: list[dict], offers: bool, deactivate: int | None):
    clock = _Clock(START - timedelta(days=1))
    ctx = open_database(str(folder / "motcua.sqlite3"), clock=clock)
    setup.save_profile(ctx, setup.ProfileInput(unit_name="UBND xã Phú Lạc", unit_code="000.00.53.H48", place_name="Phú Lạc",
                                               offers_e_certified_copy=offers))
    officer = setup.save_officer(ctx, "lan.nt", "Nguyễn Thị Lan", "quan_tri")
    custom = [
        catalogue.ProcedureInput(code="9.000001", name="Xác nhận nội bộ (không phải giấy tờ)", time_limit=4,
                                 time_unit="gio", online_level="mot_phan", fee_kind="fixed", fee_amount=20000,
                                 result_is_document=False, citizen_facing=False,
                                 components=[catalogue.ComponentInput("Đơn đề nghị"),
                                             catalogue.ComponentInput("Giấy tờ kèm theo")]),
        catalogue.ProcedureInput(code="9.000002", name="Thủ tục thử theo ngày", time_limit=2, time_unit="ngay",
                                 online_level="khong", components=[catalogue.ComponentInput("Tờ khai")]),
    ]
    procs = [proc_by_code(ctx, code) for code in
             (KHAI_SINH, BAN_SAO, CHUNG_THUC_CHU_KY, HON_NHAN, KET_HON, CHUNG_THUC_BAN_SAO)]
    procs += [catalogue.save_procedure(ctx, data) for data in custom]
    scan, result, slip = pdf(folder, "scan.pdf"), pdf(folder, "kq.pdf", b"kq"), pdf(folder, "slip.pdf", b"slip")

    events: list[tuple[datetime, int, int, object]] = []  # (time, dossier index, step, what)
    for index, plan in enumerate(plans):
        t = START + timedelta(days=plan["day"], minutes=plan["minute"])
        events.append((t, index, 0, "receive"))
        for step, action in enumerate(plan["path"], 1):
            t += timedelta(minutes=plan["gaps"][step - 1])
            events.append((t, index, step, action))
            if plan["sync_after"] == step - 1:
                events.append((t + timedelta(minutes=5), index, step, "sync"))
        if plan["sync_after"] is not None and plan["sync_after"] >= len(plan["path"]):
            events.append((t + timedelta(minutes=5), index, 99, "sync"))
        if plan["late_result"]:
            events.append((t + timedelta(minutes=plan["gaps"][7]), index, 100, "attach_result"))
    events.sort(key=lambda e: (e[0], e[1], e[2]))
    ids: dict[int, uuid.UUID] = {}
    for at, index, _, what in events:
        plan = plans[index]
        clock.now = at
        if what == "receive":
            proc = procs[plan["proc"]]
            flags = plan["components"]
            components = []
            for i, c in enumerate(proc.components):
                flag = flags[i] if i < len(flags) else "none"
                components.append(intake.ComponentDraft(
                    name=c.name, procedure_component_id=c.id, files=[scan] if flag == "file" else [],
                    reused="reused" in flag, from_kho="kho" in flag))
            draft = intake.DossierDraft(
                procedure_id=proc.id, applicant_name=f"Công dân {index}",
                id_number="" if plan["no_id"] else "001203004545",
                id_kind=IdKind.NONE if plan["no_id"] else IdKind.CCCD,
                channel=plan["channel"], components=components, officer_id=officer.id,
                identity_checked=bool(plan["identity"]), identity_method=plan["identity"],
                fee=plan["fee"], payment_method=plan["payment"],
            )
            ids[index] = dossiers.find_by_code(ctx, intake.receive_dossier(ctx, draft)).id
        elif what == "sync":
            dossiers.mark_synced(ctx, [ids[index]])
        elif what == "attach_result":
            view = dossiers.get_dossier(ctx, ids[index])
            if view.status in FINISHED_STATUSES and not view.has_result_file:
                dossiers.attach_result(ctx, ids[index], [result], signed=False)
        else:
            action = Action(what)
            data = dossiers.ActionInput(action, officer_id=officer.id)
            if action in (Action.TU_CHOI, Action.DUNG_XU_LY, Action.RUT_HO_SO):
                data.reason = "Lý do"
                data.end_document_files = [slip] if plan["end_document"] else []
            elif action is Action.YEU_CAU_BO_SUNG:
                data.items = "Bản sao giấy tờ"
            elif action is Action.CO_KET_QUA:
                data.result_files = [result] if plan["result_file"] else []
            elif action is Action.TRA_KET_QUA:
                data.satisfaction = plan["satisfaction"]
            dossiers.perform_action(ctx, ids[index], data)
    if deactivate is not None:  # a procedure taken out of the catalogue after its dossiers came in
        proc = procs[deactivate]
        catalogue.save_procedure(ctx, catalogue.ProcedureInput(
            code=proc.code, name=proc.name, field=proc.field, time_limit=proc.time_limit,
            time_unit=proc.time_unit.value, online_level=proc.online_level.value,
            fee_kind=proc.fee_rule.kind.value, fee_amount=proc.fee_rule.amount,
            fee_first_pages=proc.fee_rule.first_pages, fee_later_amount=proc.fee_rule.later_amount,
            fee_cap=proc.fee_rule.cap, result_is_document=proc.result_is_document,
            citizen_facing=proc.citizen_facing, active=False,
            components=[catalogue.ComponentInput(c.name, c.copy_kind, c.quantity, c.reusable) for c in proc.components],
        ), proc.id)
    return ctx, clock, [ids[i] for i in sorted(ids)], (events[-1][0] if events else START)


def _facts(view) -> DossierFacts:
    """The rules' facts, read from the dossier as the services show it."""
    return DossierFacts(
        status=view.status, channel=view.channel, received_at=view.received_at, due_at=view.due_at,
        ended_at=view.ended_at, result_is_document=view.procedure.result_is_document,
        citizen_facing=view.procedure.citizen_facing, online_level=view.procedure.online_level,
        identity_checked=view.identity_checked and view.identity_method in ("csdl_dan_cu", "vneid"),
        id_number=view.id_number, id_kind=view.id_kind,
        any_component_digitised=any(c.digitised for c in view.components),
        any_reused=any(c.reused for c in view.components),
        any_from_kho=any(c.from_kho for c in view.components),
        has_result_file=view.has_result_file, result_signed=view.result_signed,
        has_end_document=view.has_end_document, fee=view.fee, payment_method=view.payment_method,
        synced=view.synced, satisfaction=view.satisfaction,
        supplements=tuple(SupplementFacts(s.requested_at, s.completed_at) for s in view.supplements),
    )


def _on_time(view, at: datetime) -> bool:
    """SPEC §5 PROGRESS_ON_TIME for one dossier, as things stood at ``at`` (DOCX 2.1).

    Ended by ``at``: end ≤ due moved by the completed supplement waits. Still open at ``at``: the
    supplement requests made by then (two or more = late), the waits completed by then move the
    due date, and a request still open at ``at`` stops the clock at its request time.
    """
    ended = view.status.is_ended and view.ended_at is not None and view.ended_at <= at
    requests = [s for s in view.supplements if ended or s.requested_at <= at]
    if len(requests) >= 2:
        return False
    if view.due_at is None:
        return True
    done = [s for s in requests if s.completed_at is not None and (ended or s.completed_at <= at)]
    due = view.due_at + sum((s.completed_at - s.requested_at for s in done), timedelta(0))
    if ended:
        return view.ended_at <= due
    waiting = [s.requested_at for s in requests if s.completed_at is None or s.completed_at > at]
    return (max(waiting) if waiting else at) <= due


def _recount(views, procedures, date_from: date, date_to: date, now: datetime, offers: bool, cal):
    """SPEC §5 counts, written plainly from the definitions (not from the SQL)."""
    start, end = datetime.combine(date_from, time.min), datetime.combine(date_to + timedelta(days=1), time.min)
    at = min(end, now)
    p = [v for v in views if start <= v.received_at < end]
    rp = [v for v in views if v.received_at < end and (v.received_at >= start or v.ended_at is None
                                                         or v.ended_at >= start)]

    def ended_in_period(v) -> bool:
        return v.ended_at is not None and start <= v.ended_at < end

    def open_at(v) -> bool:
        return not (v.status.is_ended and v.ended_at is not None and v.ended_at <= at)

    def has_components(v) -> bool:
        return any(c.digitised or c.reused or c.from_kho for c in v.components)

    def checked(v) -> bool:
        return v.identity_checked and v.identity_method in ("csdl_dan_cu", "vneid")

    def finished_document(v) -> bool:
        return v.status in FINISHED_STATUSES and v.procedure.result_is_document

    def fee_bearing(v) -> bool:
        return v.procedure.fee_rule.kind is not FeeKind.FREE or v.fee > 0

    def procs(rows) -> set:
        return {v.procedure.id for v in rows}

    on_time = [v for v in rp if _on_time(v, at)]
    finished = [v for v in rp if v.status in FINISHED_STATUSES and ended_in_period(v)]
    opened = [v for v in rp if open_at(v)]
    unhappy = sum(v.satisfaction == "khong_hai_long" for v in rp)
    capable = [v for v in p if v.procedure.online_level is not OnlineLevel.KHONG]
    with_fee = [v for v in p if fee_bearing(v)]
    active = [pr for pr in procedures if pr.active]
    counts = {
        "received": len(p),
        "direct": sum(v.channel is Channel.TRUC_TIEP for v in p),
        "online": sum(v.channel is Channel.TRUC_TUYEN for v in p),
        "postal": sum(v.channel is Channel.BUU_CHINH for v in p),
        "carried_over": sum(v.received_at < start for v in rp),
        "processed": len(rp),
        "finished": len(finished),
        "finished_on_time": sum(_on_time(v, at) for v in finished),
        "finished_late": sum(not _on_time(v, at) for v in finished),
        "open_within_time": sum(_on_time(v, at) for v in opened),
        "open_overdue": sum(not _on_time(v, at) for v in opened),
        "rejected": sum(v.status is Status.TU_CHOI and ended_in_period(v) for v in rp),
        "stopped": sum(v.status is Status.DUNG_XU_LY and ended_in_period(v) for v in rp),
        "withdrawn": sum(v.status is Status.RUT_HO_SO and ended_in_period(v) for v in rp),
    }
    indicators = {
        "dossier_sync": (sum(v.synced for v in rp), len(rp)),
        "progress_on_time": (len(on_time), len(rp)),
        "online_procedures": (sum(pr.online_level is not OnlineLevel.KHONG for pr in active), len(active)),
        "online_service_used": (len(procs(v for v in capable if v.channel is Channel.TRUC_TUYEN)), len(procs(capable))),
        "online_dossiers": (
            sum(v.channel is Channel.TRUC_TUYEN and not (finished_document(v) and not v.has_result_file) for v in p),
            len(p),
        ),
        "payment_fee_data": (len(procs(v for v in p if v.fee > 0)), len(procs(with_fee))),
        "payment_online_formality": (
            len(procs(v for v in p if v.fee > 0 and v.payment_method == "truc_tuyen")), len(procs(with_fee))
        ),
        "payment_online_dossier": (sum(v.fee > 0 and v.payment_method == "truc_tuyen" for v in p),
                                   sum(v.fee > 0 for v in p)),
        "satisfaction": (max(0, len(rp) - (len(rp) - len(on_time)) - unhappy), len(rp)),
        "original_result_available": (sum(finished_document(v) and v.has_result_file for v in p),
                                      sum(finished_document(v) for v in p)),
        "so_hoa_giay_to": (sum(has_components(v) and (v.has_result_file or v.has_end_document) for v in p), len(p)),
        "electronic_certified_copy": (1 if offers else 0, 1),
        "reused_digitized_data": (sum(any(c.reused for c in v.components) for v in p), len(p)),
        "kho_used": (sum(any(c.from_kho for c in v.components) for v in p), len(p)),
        "citizen_data_dossier": (sum(checked(v) for v in p), len(p)),
        "citizen_data_formality": (
            len({v.procedure.id for v in p if checked(v) and v.procedure.citizen_facing
                 and v.procedure.id in {pr.id for pr in active}}),
            sum(pr.citizen_facing for pr in active),
        ),
    }
    fired = Counter(code for v in rp for code in evaluate(_facts(v), now, cal))
    return counts, indicators, dict(fired)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture])
@given(
    plans=st.lists(dossier_plans, min_size=10, max_size=40),
    offers=st.booleans(),
    deactivate=st.one_of(st.none(), st.integers(0, 7)),
    period_start=st.integers(-3, 27),
    period_days=st.integers(0, 13),
    now_offset=st.integers(0, 5 * 24 * 60),
)
def test_period_counts_equal_a_plain_recount(tmp_path_factory, plans, offers, deactivate, period_start,
                                             period_days, now_offset):
    folder = tmp_path_factory.mktemp("prop")
    ctx, clock, ids, last_event = _build_database(folder, plans, offers, deactivate)
    try:
        clock.now = last_event + timedelta(minutes=now_offset)
        warnings.reevaluate_time_dependent(ctx)
        now = clock.now
        date_from = START.date() + timedelta(days=period_start)
        date_to = date_from + timedelta(days=period_days)
        with ctx.read() as session:
            got = period_counts(session, Period(date_from, date_to), now, offers)
        views = [dossiers.get_dossier(ctx, i) for i in ids]
        procedures = catalogue.list_procedures(ctx, include_inactive=True)
        counts, indicators, fired = _recount(views, procedures, date_from, date_to, now, offers, ctx.calendar())
        assert got.counts == counts
        assert got.indicators == indicators
        assert got.warnings == fired
        # the stored warnings are what the rules say now
        for view in views:
            assert list(view.warnings) == evaluate(_facts(view), now, ctx.calendar()), view.code
    finally:
        ctx.dispose()


# ====================================================================== d. points at stake = points regained


STAKE_WEEK = (date(2026, 3, 2), date(2026, 3, 8))


@pytest.fixture
def stake_week(services_ctx, clock, tmp_path):
    ctx = services_ctx
    scan = {0: pdf(tmp_path, "scan.pdf")}
    d = {}
    # helpers so that the procedure-level indicators do not move when one dossier is fixed:
    # a dossier of chứng thực chữ ký paid online and one checked with VNeID
    d["paid"] = receive(ctx, clock, datetime(2026, 3, 2, 8), CHUNG_THUC_CHU_KY, files=scan, fee=10000,
                        payment_method="truc_tuyen", identity_checked=True, identity_method="vneid")
    d["no_result"] = receive(ctx, clock, datetime(2026, 3, 2, 9), KHAI_SINH, files=scan,
                             identity_checked=True, identity_method="vneid")
    act(ctx, clock, d["no_result"], datetime(2026, 3, 2, 10), Action.CO_KET_QUA)
    d["cash"] = receive(ctx, clock, datetime(2026, 3, 3, 9), CHUNG_THUC_CHU_KY, files=scan, fee=10000,
                        payment_method="tien_mat", identity_checked=True, identity_method="vneid")
    d["unchecked"] = receive(ctx, clock, datetime(2026, 3, 3, 10), CHUNG_THUC_CHU_KY, files=scan)
    d["online"] = receive(ctx, clock, datetime(2026, 3, 4, 9), BAN_SAO, channel=Channel.TRUC_TUYEN, fee=8000,
                          payment_method="truc_tuyen", kho={1}, identity_checked=True, identity_method="vneid")
    act(ctx, clock, d["online"], datetime(2026, 3, 4, 10), Action.CO_KET_QUA)
    synced(ctx, clock, d["paid"], datetime(2026, 3, 4, 11))
    clock.now = datetime(2026, 3, 6, 16, 0)  # Friday: Monday's and Tuesday's dossiers are not synced in time
    warnings.reevaluate_time_dependent(ctx)
    return d


def _stake(ctx, view, rule) -> Decimal:
    items = [w for w in warnings.open_warnings(ctx, *STAKE_WEEK) if w.dossier_id == view.id and w.rule == rule]
    assert len(items) == 1, (view.code, rule)
    return items[0].points_at_stake


def _total(ctx) -> Decimal:
    return stats.compute(ctx, *STAKE_WEEK).card.total


@pytest.mark.parametrize(
    ("name", "rule"),
    [
        ("no_result", "RESULT_FILE_MISSING"),
        ("online", "RESULT_FILE_MISSING"),
        ("cash", "FEE_NOT_PAID_ONLINE"),
        ("no_result", "NOT_SYNCED"),
        ("unchecked", "IDENTITY_NOT_CHECKED"),
    ],
)
def test_points_at_stake_are_the_points_regained_by_the_fix(services_ctx, stake_week, tmp_path, name, rule):
    ctx, view = services_ctx, stake_week[name]
    before, stake = _total(ctx), _stake(ctx, view, rule)
    assert stake > 0
    if rule == "RESULT_FILE_MISSING":
        dossiers.attach_result(ctx, view.id, [pdf(tmp_path, "kq.pdf", b"kq")], signed=True)
    elif rule == "FEE_NOT_PAID_ONLINE":
        current = dossiers.get_dossier(ctx, view.id)
        dossiers.update_dossier(ctx, view.id, current.version, dossiers.DossierEdit(payment_method="truc_tuyen"))
    elif rule == "NOT_SYNCED":
        dossiers.mark_synced(ctx, [view.id])
    elif rule == "IDENTITY_NOT_CHECKED":
        current = dossiers.get_dossier(ctx, view.id)
        dossiers.update_dossier(ctx, view.id, current.version,
                                dossiers.DossierEdit(identity_checked=True, identity_method="vneid"))
    after = _total(ctx)
    assert rule not in dossiers.get_dossier(ctx, view.id).warnings
    assert abs((after - before) - stake) <= Decimal("0.01")
    assert after - before == stake  # exactly, as the dashboard shows the totals


def test_worked_stakes_of_the_stake_week(services_ctx, stake_week):
    ctx, d = services_ctx, stake_week
    # 5 dossiers received; finished documents: no_result and online (0 of 2 with result)
    # RESULT_FILE_MISSING on no_result: ORIGINAL 0/2 → 1/2 = +3.00; SO_HOA 0/5 → 1/5 = +0.80
    assert _stake(ctx, d["no_result"], "RESULT_FILE_MISSING") == Decimal("3.80")
    # on the online dossier, also ONLINE_DOSSIERS 0/5 → 1/5: 6 × 20 %/50 % = +2.40
    assert _stake(ctx, d["online"], "RESULT_FILE_MISSING") == Decimal("6.20")
    # PAYMENT_ONLINE_DOSSIER 2/3 → 3/3 = +2.00
    assert _stake(ctx, d["cash"], "FEE_NOT_PAID_ONLINE") == Decimal("2.00")
    # DOSSIER_SYNC 1/5 → 2/5 = +1.20
    assert _stake(ctx, d["no_result"], "NOT_SYNCED") == Decimal("1.20")
    # CITIZEN_DATA_CONNECTED_DOSSIER 4/5 → 5/5 = +0.40
    assert _stake(ctx, d["unchecked"], "IDENTITY_NOT_CHECKED") == Decimal("0.40")


def _first_online_payment(ctx, clock, tmp_path) -> tuple[Decimal, Decimal]:
    """(points at stake before, points gained) for paying online the only fee dossier of a week."""
    view = receive(ctx, clock, datetime(2026, 3, 2, 9), CHUNG_THUC_CHU_KY, files={0: pdf(tmp_path)}, fee=10000,
                   payment_method="tien_mat", identity_checked=True, identity_method="vneid")
    clock.now = datetime(2026, 3, 2, 10)
    before, stake = _total(ctx), _stake(ctx, view, "FEE_NOT_PAID_ONLINE")
    current = dossiers.get_dossier(ctx, view.id)
    dossiers.update_dossier(ctx, view.id, current.version, dossiers.DossierEdit(payment_method="truc_tuyen"))
    return stake, _total(ctx) - before


def test_first_online_payment_of_a_procedure_gains_both_payment_indicators(services_ctx, clock, tmp_path):
    stake, gained = _first_online_payment(services_ctx, clock, tmp_path)
    # PAYMENT_ONLINE_DOSSIER 0/1 → 1/1 = +6.00 and PAYMENT_ONLINE_FORMALITY 0/1 → 1/1 = +2.00
    assert gained == Decimal("8.00")
    assert stake >= Decimal("6.00")


def test_points_at_stake_include_the_procedure_level_indicator(services_ctx, clock, tmp_path):
    stake, gained = _first_online_payment(services_ctx, clock, tmp_path)
    assert stake == gained


def test_first_identity_check_of_a_procedure_counts_its_procedure_too(services_ctx, clock, tmp_path):
    view = receive(services_ctx, clock, datetime(2026, 3, 2, 9), CHUNG_THUC_CHU_KY, files={0: pdf(tmp_path)})
    clock.now = datetime(2026, 3, 2, 10)
    before, stake = _total(services_ctx), _stake(services_ctx, view, "IDENTITY_NOT_CHECKED")
    current = dossiers.get_dossier(services_ctx, view.id)
    dossiers.update_dossier(services_ctx, view.id, current.version,
                            dossiers.DossierEdit(identity_checked=True, identity_method="vneid"))
    gained = _total(services_ctx) - before
    # CITIZEN_DATA_CONNECTED_DOSSIER 0/1 → 1/1 (+2.00) and the procedure joins the FORMALITY numerator
    assert gained > Decimal("2.00")
    assert stake == gained


def test_stats_warnings_map_agrees_with_open_warnings(services_ctx, stake_week, week):
    for period in (STAKE_WEEK, (date(2026, 2, 23), date(2026, 3, 1)), (date(2026, 2, 1), date(2026, 3, 31))):
        computed = stats.compute(services_ctx, *period).as_json()["warnings"]
        listed = Counter(w.rule for w in warnings.open_warnings(services_ctx, *period))
        assert computed == {r.code: listed.get(r.code, 0) for r in RULES}, period
        assert sum(computed.values()) > 0


def test_open_warnings_are_sorted_by_points_at_stake(services_ctx, stake_week):
    items = warnings.open_warnings(services_ctx, *STAKE_WEEK)
    assert [i.points_at_stake for i in items] == sorted((i.points_at_stake for i in items), reverse=True)


# ====================================================================== e. installing a scoring file


SHIPPED = Path(__file__).resolve().parents[3] / "resources" / "scoring" / "766-2025.json"


def _shipped() -> dict:
    return json.loads(SHIPPED.read_text(encoding="utf-8"))


def _write(tmp_path: Path, name: str, content) -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False),
                    encoding="utf-8")
    return path


def test_malformed_json_is_refused_and_nothing_changes(services_ctx, tmp_path):
    path = _write(tmp_path, "hong.json", '{"version": "766-2026.1", "groups": [\n')
    with pytest.raises(UserFixableError) as info:
        stats.install_scoring_file(services_ctx, path)
    assert "hong.json" in str(info.value) and "JSON" in str(info.value)
    assert "giữ nguyên" in str(info.value)
    assert stats.load_scoring(services_ctx).version == "766-2025.1"


def test_unknown_code_is_refused_and_nothing_changes(services_ctx, tmp_path):
    data = _shipped()
    data["version"] = "766-2026.1"
    data["indicators"][0]["code"] = "DOSSIER_SYNK"
    with pytest.raises(UserFixableError) as info:
        stats.install_scoring_file(services_ctx, _write(tmp_path, "moi.json", data))
    assert "DOSSIER_SYNK" in str(info.value) and "không hợp lệ" in str(info.value)
    assert stats.load_scoring(services_ctx).version == "766-2025.1"


def test_impossible_value_is_refused_and_nothing_changes(services_ctx, tmp_path):
    data = _shipped()
    data["version"] = "766-2026.1"
    data["indicators"][4]["threshold"] = 150
    with pytest.raises(UserFixableError) as info:
        stats.install_scoring_file(services_ctx, _write(tmp_path, "moi.json", data))
    assert "150" in str(info.value) and "ngưỡng" in str(info.value)
    assert stats.load_scoring(services_ctx).version == "766-2025.1"


def test_unreadable_file_is_refused(services_ctx, tmp_path):
    with pytest.raises(UserFixableError):
        stats.install_scoring_file(services_ctx, tmp_path / "khong_co.json")
    path = tmp_path / "nhi_phan.json"
    path.write_bytes(b"\xff\xfe\x00\x81")
    with pytest.raises(UserFixableError):
        stats.install_scoring_file(services_ctx, path)
    assert stats.load_scoring(services_ctx).version == "766-2025.1"


def test_valid_file_with_a_new_version_is_put_in_force(services_ctx, tmp_path, week):
    data = _shipped()
    data["version"] = "766-2026.1"
    online = next(i for i in data["indicators"] if i["code"] == "ONLINE_DOSSIERS")
    online["threshold"] = 20  # a lower threshold: the week's 20 % now gets the full 6 points
    config = stats.install_scoring_file(services_ctx, _write(tmp_path, "moi.json", data))
    assert config.version == "766-2026.1"
    assert stats.load_scoring(services_ctx).version == "766-2026.1"
    result = stats.compute(services_ctx, *WEEK).as_json()
    assert result["scoring_version"] == "766-2026.1"
    assert next(i for i in result["indicators"] if i["code"] == "ONLINE_DOSSIERS")["points"] == 6.0
    # and a bad file afterwards leaves the new version in force
    with pytest.raises(UserFixableError):
        stats.install_scoring_file(services_ctx, _write(tmp_path, "hong.json", "[]"))
    assert stats.load_scoring(services_ctx).version == "766-2026.1"

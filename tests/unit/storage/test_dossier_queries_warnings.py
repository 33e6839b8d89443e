"""The dossier list's warning filters and the warnings carried by each row of a page."""

from __future__ import annotations

from datetime import datetime

import pytest
from sqlalchemy import event, select

from desktop_app.domain.rules import RULES
from desktop_app.domain.status import Channel
from desktop_app.services import dossiers, intake, warnings
from desktop_app.storage.dossier_queries import DossierFilter, fetch_page
from desktop_app.storage.models import DossierWarning

from ..services.helpers import draft, procedure

MONDAY = datetime(2026, 2, 9, 9, 0)
WEDNESDAY = datetime(2026, 2, 11, 9, 0)
RULE_ORDER = [rule.code for rule in RULES]


def _clean_draft(ctx, name: str):
    """An online dossier of a 3-day procedure, identity checked, papers from the citizen's kho:
    no warning fires on the day it is received."""
    proc = procedure(ctx, "tình trạng hôn nhân")
    components = [intake.ComponentDraft(name=c.name, procedure_component_id=c.id, from_kho=True)
                  for c in proc.components]
    return draft(ctx, "tình trạng hôn nhân", applicant_name=name, channel=Channel.TRUC_TUYEN,
                 identity_checked=True, identity_method="vneid", components=components)


@pytest.fixture
def office(services_ctx, clock):
    """Four dossiers received on Monday: one clean, three with different warnings."""
    ctx = services_ctx
    clock.now = MONDAY
    codes = {
        "clean": intake.receive_dossier(ctx, _clean_draft(ctx, "Hồ Sơ Sạch")),
        "paper": intake.receive_dossier(ctx, draft(ctx, applicant_name="Giấy Chưa Quét")),
        "checked": intake.receive_dossier(ctx, draft(ctx, applicant_name="Đã Xác Thực", identity_checked=True,
                                                     identity_method="vneid")),
        "online": intake.receive_dossier(ctx, draft(ctx, "chứng thực bản sao", applicant_name="Nộp Trực Tuyến",
                                                    channel=Channel.TRUC_TUYEN)),
    }
    return {key: dossiers.find_by_code(ctx, code) for key, code in codes.items()}


def stored(ctx) -> dict:
    """Rule codes per dossier id, read straight from the dossier_warning table."""
    found: dict = {}
    with ctx.read() as session:
        for dossier_id, rule in session.execute(select(DossierWarning.dossier_id, DossierWarning.rule)):
            found.setdefault(dossier_id, set()).add(rule)
    return found


def ids(ctx, flt: DossierFilter) -> set:
    return {row.id for row in dossiers.list_page(ctx, flt, limit=1000)}


def test_the_fixture_has_clean_and_warned_dossiers(services_ctx, office):
    assert office["clean"].warnings == ()
    assert "IDENTITY_NOT_CHECKED" in office["paper"].warnings
    assert "IDENTITY_NOT_CHECKED" not in office["checked"].warnings
    assert "COMPONENTS_NOT_DIGITISED" not in office["online"].warnings  # online: nothing to scan


def test_has_warnings_returns_exactly_the_dossiers_with_stored_warnings(services_ctx, office):
    ctx = services_ctx
    table = stored(ctx)
    expected = {dossier_id for dossier_id, rules in table.items() if rules}
    assert expected == {office[k].id for k in ("paper", "checked", "online")}
    assert ids(ctx, DossierFilter(has_warnings=True)) == expected
    assert dossiers.count(ctx, DossierFilter(has_warnings=True)) == len(expected) == 3
    assert dossiers.count(ctx, DossierFilter()) == 4


def test_rule_filter_matches_the_stored_warnings_for_every_rule(services_ctx, clock, office):
    ctx = services_ctx
    clock.now = WEDNESDAY  # a day passes: NOT_SYNCED and OVERDUE appear
    warnings.reevaluate_time_dependent(ctx)
    table = stored(ctx)
    assert any("NOT_SYNCED" in rules for rules in table.values())
    for code in RULE_ORDER:
        expected = {dossier_id for dossier_id, rules in table.items() if code in rules}
        assert ids(ctx, DossierFilter(rule=code)) == expected, code
        assert dossiers.count(ctx, DossierFilter(rule=code)) == len(expected), code
    only_identity = DossierFilter(rule="IDENTITY_NOT_CHECKED")
    assert ids(ctx, only_identity) == {office["paper"].id, office["online"].id}


def test_rule_filter_combines_with_the_other_filters(services_ctx, office):
    ctx = services_ctx
    flt = DossierFilter(rule="IDENTITY_NOT_CHECKED", channel=int(Channel.TRUC_TUYEN))
    assert ids(ctx, flt) == {office["online"].id}
    assert dossiers.count(ctx, flt) == 1
    flt = DossierFilter(has_warnings=True, search="xac thuc")
    assert ids(ctx, flt) == {office["checked"].id}
    assert dossiers.count(ctx, DossierFilter(rule="NO_SUCH_RULE")) == 0


def test_fixing_a_dossier_takes_it_out_of_the_filter(services_ctx, office):
    ctx = services_ctx
    paper = office["paper"]
    flt = DossierFilter(rule="IDENTITY_NOT_CHECKED")
    assert paper.id in ids(ctx, flt)
    dossiers.update_dossier(ctx, paper.id, paper.version,
                            dossiers.DossierEdit(identity_checked=True, identity_method="vneid"))
    assert paper.id not in ids(ctx, flt)
    assert paper.id in ids(ctx, DossierFilter(has_warnings=True))  # its other warnings stay


def test_rows_of_a_page_carry_their_warnings(services_ctx, clock, office):
    ctx = services_ctx
    clock.now = WEDNESDAY
    warnings.reevaluate_time_dependent(ctx)
    table = stored(ctx)
    rows = dossiers.list_page(ctx, DossierFilter(), limit=1000)
    assert len(rows) == 4
    for row in rows:
        expected = sorted(table.get(row.id, set()), key=RULE_ORDER.index)
        assert list(row.warning_rules) == expected  # in the rules' table order
        assert row.warning_count == len(expected)
    by_id = {row.id: row for row in rows}
    assert by_id[office["clean"].id].warning_rules == ("DUE_SOON", "NOT_SYNCED")  # table order, not A–Z
    assert by_id[office["paper"].id].warning_rules == dossiers.get_dossier(ctx, office["paper"].id).warnings


def test_a_page_reads_its_warnings_in_one_extra_query(services_ctx, clock):
    ctx = services_ctx
    clock.now = MONDAY
    for index in range(12):
        intake.receive_dossier(ctx, draft(ctx, applicant_name=f"Người Số {index:02d}"))
    statements: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        statements.append(statement)

    event.listen(ctx.engine, "before_cursor_execute", count)
    try:
        with ctx.read() as session:
            rows = fetch_page(session, DossierFilter(), limit=10)
    finally:
        event.remove(ctx.engine, "before_cursor_execute", count)
    assert len(rows) == 10
    assert all(row.warning_count > 0 for row in rows)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert len(selects) == 2  # the page, then the warnings of all its rows
    assert "dossier_warning" in selects[1]


def test_sort_by_number_of_warnings(services_ctx, office):
    ctx = services_ctx
    rows = dossiers.list_page(ctx, DossierFilter(), sort_key="warnings", descending=True)
    counts = [row.warning_count for row in rows]
    assert counts == sorted(counts, reverse=True)
    assert rows[-1].id == office["clean"].id
    rows = dossiers.list_page(ctx, DossierFilter(), sort_key="warnings", descending=False)
    assert rows[0].id == office["clean"].id

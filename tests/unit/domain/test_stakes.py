"""Points at stake (SPEC §4): what fixing one dossier would change on the 766 estimate."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop_app.domain.procedure import OnlineLevel
from desktop_app.domain.rules import RULES, DossierFacts
from desktop_app.domain.scoring import KNOWN_COUNTS, parse_config, score
from desktop_app.domain.stakes import fix_delta, points_at_stake
from desktop_app.domain.status import Channel, Status

SHIPPED = Path(__file__).resolve().parents[3] / "resources" / "scoring" / "766-2025.json"
CONFIG = parse_config(json.loads(SHIPPED.read_text(encoding="utf-8")))

#: A period's counts (numerator, denominator) used by the worked examples.
COUNTS = {
    "dossier_sync": (7, 10),
    "progress_on_time": (8, 10),
    "online_procedures": (22, 29),
    "online_service_used": (2, 4),
    "online_dossiers": (2, 10),
    "payment_fee_data": (2, 2),
    "payment_online_formality": (1, 2),
    "payment_online_dossier": (1, 4),
    "satisfaction": (8, 10),
    "original_result_available": (5, 10),
    "so_hoa_giay_to": (2, 10),
    "electronic_certified_copy": (0, 1),
    "reused_digitized_data": (9, 10),
    "kho_used": (1, 10),
    "citizen_data_dossier": (6, 10),
    "citizen_data_formality": (3, 29),
}

FACTS = DossierFacts(
    status=Status.DA_XU_LY_XONG, channel=Channel.TRUC_TIEP, received_at=datetime(2026, 3, 2, 9), due_at=None,
    ended_at=datetime(2026, 3, 2, 15), result_is_document=True, citizen_facing=True,
    online_level=OnlineLevel.MOT_PHAN, identity_checked=False, id_number="001203004545", id_kind="cccd",
    any_component_digitised=True, any_reused=False, any_from_kho=False, has_result_file=False,
    result_signed=False, has_end_document=False, fee=10000, payment_method="tien_mat", synced=False,
    satisfaction="",
)


def card_difference(counts, delta, sign=1) -> Decimal:
    after = dict(counts)
    for key, step in delta.items():
        numerator, denominator = after[key]
        after[key] = (min(max(numerator + sign * step, 0), denominator), denominator)
    return score(CONFIG, after).total - score(CONFIG, counts).total


def test_counts_cover_every_key():
    assert set(COUNTS) == KNOWN_COUNTS


def test_result_file_missing_worked_example():
    delta = fix_delta("RESULT_FILE_MISSING", FACTS, in_period=True, processed_in_period=True)
    assert delta == {"original_result_available": 1, "so_hoa_giay_to": 1}
    stake = points_at_stake(CONFIG, COUNTS, delta)
    # ORIGINAL_RESULT_AVAILABLE 5/10 → 6/10: 6 × 1/10 = 0.60; SO_HOA 2/10 → 3/10: 4 × 1/10 = 0.40
    assert stake == Decimal("1.00")
    assert stake == card_difference(COUNTS, delta)


def test_result_file_missing_without_components_only_gives_the_result_indicator():
    facts = replace(FACTS, any_component_digitised=False)
    delta = fix_delta("RESULT_FILE_MISSING", facts, True, True)
    assert delta == {"original_result_available": 1}
    assert points_at_stake(CONFIG, COUNTS, delta) == Decimal("0.60")


def test_result_file_missing_on_an_online_dossier_also_makes_it_count_as_online():
    facts = replace(FACTS, channel=Channel.TRUC_TUYEN)
    delta = fix_delta("RESULT_FILE_MISSING", facts, True, True)
    assert delta == {"original_result_available": 1, "so_hoa_giay_to": 1, "online_dossiers": 1}
    # ONLINE_DOSSIERS threshold 50 %: 6 × 20 %/50 % = 2.40 → 6 × 30 %/50 % = 3.60, +1.20
    assert points_at_stake(CONFIG, COUNTS, delta) == Decimal("2.20")
    assert points_at_stake(CONFIG, COUNTS, delta) == card_difference(COUNTS, delta)


def test_a_dossier_already_counted_by_its_end_document_gains_nothing_more_on_so_hoa():
    # SO_HOA counts a dossier with components and a result *or* end document: if the end document
    # is already there, attaching the result file only adds to ORIGINAL_RESULT_AVAILABLE.
    facts = replace(FACTS, has_end_document=True)
    delta = fix_delta("RESULT_FILE_MISSING", facts, True, True)
    assert delta == {"original_result_available": 1}
    refused = replace(FACTS, status=Status.TU_CHOI, has_result_file=True)
    assert fix_delta("END_DOCUMENT_MISSING", refused, True, True) == {}
    assert fix_delta("END_DOCUMENT_MISSING", replace(refused, has_result_file=False), True, True) == {
        "so_hoa_giay_to": 1
    }


def test_threshold_indicator_already_at_its_cap_gives_nothing():
    counts = dict(COUNTS, online_dossiers=(6, 10))  # 60 % ≥ 50 %: already the full 6 points
    delta = fix_delta("PAPER_FOR_FULL_ONLINE", FACTS, True, True)
    assert delta == {"online_dossiers": 1}
    assert points_at_stake(CONFIG, counts, delta) == Decimal("0.00")
    # REUSED 9/10 is above its 80 % threshold too
    assert points_at_stake(CONFIG, COUNTS, {"reused_digitized_data": 1}) == Decimal("0.00")


def test_a_dossier_outside_the_period_gives_nothing():
    for rule in RULES:
        delta = fix_delta(rule.code, FACTS, in_period=False, processed_in_period=False)
        assert delta == {}
        assert points_at_stake(CONFIG, COUNTS, delta) == Decimal("0.00")


def test_received_earlier_but_processed_in_the_period_counts_only_on_rp_indicators():
    assert fix_delta("RESULT_FILE_MISSING", FACTS, in_period=False, processed_in_period=True) == {}
    assert fix_delta("NOT_SYNCED", FACTS, in_period=False, processed_in_period=True) == {"dossier_sync": 1}
    assert fix_delta("OVERDUE", FACTS, in_period=False, processed_in_period=True) == {
        "progress_on_time": 1, "satisfaction": 1
    }


def test_not_synced_worked_example():
    delta = fix_delta("NOT_SYNCED", FACTS, True, True)
    assert points_at_stake(CONFIG, COUNTS, delta) == Decimal("0.60")  # 6 × 1/10


def test_fee_not_paid_online_worked_example():
    delta = fix_delta("FEE_NOT_PAID_ONLINE", FACTS, True, True)
    assert delta == {"payment_online_dossier": 1}
    assert points_at_stake(CONFIG, COUNTS, delta) == Decimal("1.50")  # 6 × 1/4


def test_overdue_is_valued_by_what_it_costs():
    delta = fix_delta("OVERDUE", FACTS, True, True)
    # PROGRESS 8/10 → 9/10: +2.00; SATISFACTION threshold 90 %: 5.33 → 6.00 (capped), +0.67
    assert points_at_stake(CONFIG, COUNTS, delta) == Decimal("2.67")
    assert points_at_stake(CONFIG, COUNTS, delta) == card_difference(COUNTS, delta)


def test_due_soon_gives_the_loss_if_it_became_late():
    delta = fix_delta("DUE_SOON", FACTS, True, True)
    assert delta == {"progress_on_time": 1, "satisfaction": 1}
    stake = points_at_stake(CONFIG, COUNTS, delta, already_lost=False)
    # PROGRESS 8/10 → 7/10 loses 2.00; SATISFACTION 6 × 80/90 = 5.33 → 6 × 70/90 = 4.67 loses 0.66
    # as the dashboard shows them (the exact loss 0.666… would round to 0.67).
    assert stake == Decimal("2.66")
    assert stake == -card_difference(COUNTS, delta, sign=-1)


def test_empty_delta_is_zero():
    assert points_at_stake(CONFIG, COUNTS, {}) == Decimal("0.00")


def test_denominator_zero_stays_unmeasured():
    counts = dict(COUNTS, payment_online_dossier=(0, 0))
    assert points_at_stake(CONFIG, counts, {"payment_online_dossier": 1}) == Decimal("0.00")


count_pairs = st.integers(0, 60).flatmap(lambda d: st.tuples(st.integers(0, d), st.just(d)))


@settings(max_examples=200, deadline=None)
@given(
    counts=st.fixed_dictionaries({key: count_pairs for key in sorted(KNOWN_COUNTS)}),
    keys=st.sets(st.sampled_from(sorted(KNOWN_COUNTS)), max_size=4),
    already_lost=st.booleans(),
)
def test_points_at_stake_is_the_difference_of_the_two_scorecard_totals(counts, keys, already_lost):
    delta = {key: 1 for key in keys}
    stake = points_at_stake(CONFIG, counts, delta, already_lost=already_lost)
    expected = card_difference(counts, delta, sign=1 if already_lost else -1)
    assert stake == abs(expected)
    assert stake >= 0


@pytest.mark.parametrize("rule", [r.code for r in RULES])
def test_every_rule_has_a_delta_on_the_indicators_it_protects(rule):
    facts = replace(FACTS, has_end_document=False, has_result_file=True, channel=Channel.TRUC_TUYEN)
    if rule == "RESULT_FILE_MISSING":
        facts = replace(facts, has_result_file=False)
    delta = fix_delta(rule, facts, True, True)
    indicator_of = {i.counts: i.code for i in CONFIG.indicators}
    protects = set(next(r for r in RULES if r.code == rule).protects)
    if rule == "SECOND_SUPPLEMENT":
        # the index counts it overdue, and the satisfaction rate is 100 % − overdue rate − …
        protects.add("DOSSIER_RECEIVING_SATISFACTION")
    assert {indicator_of[key] for key in delta} <= protects

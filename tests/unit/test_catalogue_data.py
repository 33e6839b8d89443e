"""The shipped starter data: procedure catalogue and campaign presets."""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest

from desktop_app.domain.calendar import TimeUnit
from desktop_app.domain.procedure import CopyKind, FeeKind, FeeRule, OnlineLevel

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
CATALOGUE = RESOURCES / "catalogue" / "procedures.json"
PRESETS = RESOURCES / "campaigns" / "presets.json"

CODE = re.compile(r"^\d\.\d{6}$")


def _load(path: Path) -> dict:
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


@pytest.fixture(scope="module")
def catalogue() -> dict:
    return _load(CATALOGUE)


@pytest.fixture(scope="module")
def presets() -> dict:
    return _load(PRESETS)


def _strings(value):
    """Every string (keys included) in a JSON value."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _fee_rule(fee: dict) -> FeeRule:
    return FeeRule(
        kind=FeeKind(fee["kind"]),
        amount=fee.get("amount", 0),
        first_pages=fee.get("first_pages", 0),
        later_amount=fee.get("later_amount", 0),
        cap=fee.get("cap", 0),
    )


# --- procedures ---------------------------------------------------------------------------


def test_catalogue_has_version_and_enough_procedures(catalogue):
    assert catalogue["version"]
    assert catalogue["source"].strip()
    assert len(catalogue["procedures"]) >= 20


def test_codes_are_unique_and_well_formed(catalogue):
    codes = [p["code"] for p in catalogue["procedures"]]
    assert len(codes) == len(set(codes))
    bad = [code for code in codes if not CODE.match(code)]
    assert not bad


def test_domain_section_5_procedures_are_present(catalogue):
    codes = {p["code"] for p in catalogue["procedures"]}
    expected = {
        "1.001193", "1.000689", "1.000894", "1.000656", "1.004873", "2.000635", "1.004884",
        "1.004859", "1.001022", "1.004837", "2.000815", "2.000884", "2.001019", "3.000722",
        "2.002913", "1.001612", "1.001699", "1.011607",
    }
    assert expected <= codes


@pytest.mark.parametrize("path", [CATALOGUE, PRESETS], ids=["catalogue", "presets"])
def test_every_string_is_nfc(path):
    not_nfc = [s for s in _strings(_load(path)) if not unicodedata.is_normalized("NFC", s)]
    assert not not_nfc


def test_enum_values_are_valid(catalogue):
    units = {u.value for u in TimeUnit}
    levels = {level.value for level in OnlineLevel}
    kinds = {k.value for k in FeeKind}
    copies = {c.value for c in CopyKind}
    for proc in catalogue["procedures"]:
        assert proc["time_unit"] in units, proc["code"]
        assert proc["online_level"] in levels, proc["code"]
        assert proc["fee"]["kind"] in kinds, proc["code"]
        for comp in proc["components"]:
            assert comp["copy_kind"] in copies, (proc["code"], comp["name"])


def test_procedure_fields_are_sane(catalogue):
    for proc in catalogue["procedures"]:
        code = proc["code"]
        assert proc["name"].strip() and proc["field"].strip(), code
        assert isinstance(proc["time_limit"], (int, float)) and proc["time_limit"] >= 0, code
        for flag in ("result_is_document", "citizen_facing", "active"):
            assert isinstance(proc[flag], bool), (code, flag)
        rule = _fee_rule(proc["fee"])
        assert rule.fee(pages=1) >= 0, code
        if rule.kind is FeeKind.FIXED:
            assert rule.amount > 0, code


def test_every_procedure_has_components(catalogue):
    for proc in catalogue["procedures"]:
        assert len(proc["components"]) >= 1, proc["code"]
        for comp in proc["components"]:
            assert comp["name"].strip(), proc["code"]
            assert isinstance(comp["quantity"], int) and comp["quantity"] >= 1, proc["code"]
            assert isinstance(comp["reusable"], bool), proc["code"]


def test_certified_copy_fee_rule(catalogue):
    proc = next(p for p in catalogue["procedures"] if p["code"] == "2.000815")
    rule = _fee_rule(proc["fee"])
    assert rule.kind is FeeKind.PER_PAGE
    assert rule.fee(pages=5) == 2000 * 2 + 1000 * 3 == 7000
    assert rule.fee(pages=500) == 200000


def test_known_fixed_fees(catalogue):
    by_code = {p["code"]: p for p in catalogue["procedures"]}
    assert _fee_rule(by_code["2.000884"]["fee"]).fee() == 10000
    assert _fee_rule(by_code["2.001019"]["fee"]).fee() == 50000
    assert _fee_rule(by_code["2.000635"]["fee"]).fee(copies=2) == 16000


# --- campaign presets ---------------------------------------------------------------------


def test_four_presets_with_valid_dates_and_targets(presets):
    rates = presets["rates"]
    assert presets["version"]
    assert all(label.strip() for label in rates.values())
    assert len(presets["presets"]) == 4
    keys = [p["key"] for p in presets["presets"]]
    assert len(keys) == len(set(keys))
    for preset in presets["presets"]:
        start = date.fromisoformat(preset["start_date"])
        end = date.fromisoformat(preset["end_date"])
        assert start <= end, preset["key"]
        assert preset["name"].strip(), preset["key"]
        assert preset["targets"], preset["key"]
        for rate, target in preset["targets"].items():
            assert rate in rates, (preset["key"], rate)
            assert isinstance(target, (int, float)) and 0 <= target <= 100, (preset["key"], rate)


def test_all_rate_codes_are_defined(presets):
    expected = {
        "digitised_components", "digitised_results", "digitised_dossiers", "online_payment",
        "procedures_with_online_dossiers", "online_intake", "full_online_procedures",
        "satisfaction", "reused_data", "results_synced", "e_results",
    }
    assert expected <= set(presets["rates"])

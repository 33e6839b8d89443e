"""``motcua stats`` and ``motcua warnings`` end to end on a demo database."""

from __future__ import annotations

import json
from collections import Counter
from datetime import date, timedelta

import pytest

from .test_cli import motcua, ok

INDICATORS = {
    "DOSSIER_SYNC", "PROGRESS_ON_TIME", "ONLINE_PROCEDURES", "ONLINE_SERVICE_USED", "ONLINE_DOSSIERS",
    "PAYMENT_FEE_DATA", "PAYMENT_ONLINE_FORMALITY", "PAYMENT_ONLINE_DOSSIER", "DOSSIER_RECEIVING_SATISFACTION",
    "ORIGINAL_RESULT_AVAILABLE", "SO_HOA_GIAY_TO_GIAI_QUYET", "ELECTRONIC_CERTIFIED_COPY",
    "REUSED_DIGITIZED_DATA", "SYNCED_WITH_DVCQG_PERSONAL_STORAGE", "CITIZEN_DATA_CONNECTED_DOSSIER",
    "CITIZEN_DATA_CONNECTED_FORMALITY",
}
GROUPS = {"cong_khai", "tien_do", "dvc_truc_tuyen", "thanh_toan", "hai_long", "so_hoa"}


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("stats")
    db = folder / "demo.sqlite3"
    ok(motcua("--db", str(db), "demo", "--dossiers", "1500", "--seed", "11", "--weeks", "8", data_dir=folder))
    return folder, db


def _period() -> tuple[str, str]:
    today = date.today()
    return (today - timedelta(weeks=9)).isoformat(), today.isoformat()


def test_stats_json_has_every_indicator_consistent_with_the_rules(demo_db):
    folder, db = demo_db
    start, end = _period()
    data = json.loads(ok(motcua("--db", str(db), "stats", "--from", start, "--to", end, "--json",
                                data_dir=folder)).stdout)
    assert set(data) >= {"from", "to", "counts", "indicators", "groups", "warnings"}
    assert data["from"] == start and data["to"] == end
    assert data["counts"]["received"] == 1500
    assert data["counts"]["direct"] + data["counts"]["online"] + data["counts"]["postal"] == 1500
    assert {i["code"] for i in data["indicators"]} == INDICATORS
    assert {g["code"] for g in data["groups"]} == GROUPS
    for item in data["indicators"]:
        assert 0 <= item["numerator"] <= item["denominator"]
        if item["denominator"]:
            assert item["ratio"] == round(100 * item["numerator"] / item["denominator"], 2)
            assert 0 <= item["points"] <= item["max"]
        else:
            assert item["points"] is None
    for group in data["groups"]:
        members = [i for i in data["indicators"] if i["group"] == group["code"] and i["points"] is not None]
        assert group["measured_max"] == sum(i["max"] for i in members)
        assert group["points"] == pytest.approx(sum(i["points"] for i in members), abs=0.001)
        assert group["measured_max"] <= group["max"]


def test_warnings_json_agrees_with_the_stats_warnings_map(demo_db):
    folder, db = demo_db
    start, end = _period()
    stats = json.loads(ok(motcua("--db", str(db), "stats", "--from", start, "--to", end, "--json",
                                 data_dir=folder)).stdout)
    items = json.loads(ok(motcua("--db", str(db), "warnings", "--from", start, "--to", end, "--json",
                                 data_dir=folder)).stdout)
    assert items and set(items[0]) == {"dossier", "rule", "points_at_stake"}
    listed = Counter(item["rule"] for item in items)
    assert {rule: n for rule, n in stats["warnings"].items() if n} == dict(listed)
    stakes = [item["points_at_stake"] for item in items]
    assert stakes == sorted(stakes, reverse=True)


def test_a_period_with_no_dossiers_gives_nulls(demo_db):
    folder, db = demo_db
    data = json.loads(ok(motcua("--db", str(db), "stats", "--from", "01/01/2020", "--to", "07/01/2020", "--json",
                                data_dir=folder)).stdout)
    assert data["counts"]["received"] == 0
    by_code = {i["code"]: i for i in data["indicators"]}
    assert by_code["ORIGINAL_RESULT_AVAILABLE"]["points"] is None
    assert by_code["PROGRESS_ON_TIME"]["ratio"] is None
    text = ok(motcua("--db", str(db), "stats", "--from", "2020-01-01", "--to", "2020-01-07",
                     data_dir=folder)).stdout
    assert "Không có dữ liệu" in text


def test_from_after_to_is_a_usage_error(demo_db):
    folder, db = demo_db
    result = motcua("--db", str(db), "stats", "--from", "2026-11-23", "--to", "2026-11-01", data_dir=folder)
    assert result.returncode == 2
    assert "--from phải trước hoặc bằng --to" in result.stderr


def test_an_impossible_date_is_a_usage_error(demo_db):
    folder, db = demo_db
    result = motcua("--db", str(db), "stats", "--from", "31/02/2026", "--to", "2026-03-01", data_dir=folder)
    assert result.returncode == 2
    assert "không có thật" in result.stderr

"""``motcua demo --until``: the same demo data on any day (what the benchmark relies on)."""

from __future__ import annotations

import json

from .test_cli import motcua, ok, query


def test_demo_until_makes_the_same_register_whatever_the_day(tmp_path):
    data_dir = tmp_path / "data"
    made = []
    for name in ("a", "b"):
        db = tmp_path / f"{name}.sqlite3"
        result = ok(motcua("--db", str(db), "demo", "--dossiers", "120", "--seed", "3", "--weeks", "8",
                           "--until", "20/11/2026", "--json", data_dir=data_dir))
        summary = json.loads(result.stdout)
        made.append(query(db, "SELECT code, applicant_name, received_at, status FROM dossier ORDER BY code"))
        assert summary["last_received"] <= "2026-11-20T17:00:00"
        assert summary["first_received"] >= "2026-09-25"  # 8 weeks before
    assert made[0] == made[1] and len(made[0]) == 120
    assert max(row[2] for row in made[0]).startswith("2026-11-")


def test_demo_until_refuses_a_date_it_cannot_read(tmp_path):
    result = motcua("--db", str(tmp_path / "x.sqlite3"), "demo", "--dossiers", "5", "--until", "hôm qua",
                    data_dir=tmp_path / "data")
    assert result.returncode == 2
    assert "--until" in result.stderr

"""Crash safety, proven: a writer process (tests/crash_writer.py) receives dossiers, changes
statuses, bulk-inserts demo dossiers and imports Excel files until it is killed with SIGKILL at
a random moment. After every kill the database must pass ``PRAGMA integrity_check`` and hold
every transaction the writer reported as committed. Repeated ``MOTCUA_CRASH_ROUNDS`` times
(15 by default; about 30 s)."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.services import demo, setup
from desktop_app.services.context import open_database

pytestmark = [
    pytest.mark.sqlite_only,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only"),
]

ROOT = Path(__file__).resolve().parents[3]
WRITER = ROOT / "tests" / "crash_writer.py"
ROUNDS = int(os.environ.get("MOTCUA_CRASH_ROUNDS", "15"))


def prepare(path: Path) -> None:
    ctx = open_database(str(path))
    setup.save_profile(ctx, setup.ProfileInput(unit_name="UBND xã Phú Lạc", unit_code="000.00.53.H48",
                                               place_name="Phú Lạc", province="Thái Nguyên"))
    setup.save_officer(ctx, "lan.nt", "Nguyễn Thị Lan", "quan_tri")
    demo.generate(ctx, 100, seed=1, weeks=2)
    ctx.dispose()


def run_and_kill(db: Path, seed: int, delay: float, data_dir: Path) -> list[str]:
    """Start the writer, let it work ``delay`` seconds after it is ready, SIGKILL it; the lines
    it printed completely after READY (a line cut by the kill is not a report)."""
    env = dict(os.environ, MOTCUA_DATA_DIR=str(data_dir))
    process = subprocess.Popen([sys.executable, str(WRITER), str(db), str(seed)], cwd=ROOT, env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        first = process.stdout.readline()
        assert first == b"READY\n", (first, process.stderr.read() if process.poll() is not None else b"")
        time.sleep(delay)
        assert process.poll() is None, f"the writer stopped by itself: {process.stderr.read().decode()}"
        os.kill(process.pid, signal.SIGKILL)
        out, _err = process.communicate(timeout=10)
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
    assert process.returncode == -signal.SIGKILL
    text = out.decode("utf-8")
    complete = text[: text.rfind("\n") + 1] if "\n" in text else ""
    return complete.splitlines()


def check(db: Path, reports: list[str]) -> dict[str, int]:
    conn = sqlite3.connect(db)  # opening after the kill recovers the WAL, as the app would
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        codes = {row[0] for row in conn.execute("SELECT code FROM dossier")}
        history = dict(conn.execute("SELECT d.code, count(s.id) FROM dossier d "
                                    "JOIN status_change s ON s.dossier_id = d.id GROUP BY d.code"))
        total = len(codes)
    finally:
        conn.close()
    seen = {"DOSSIER": 0, "CHANGE": 0, "DEMO": 0, "IMPORT": 0}
    for line in reports:
        kind, *rest = line.split()
        seen[kind] += 1
        if kind == "DOSSIER":
            assert rest[0] in codes, f"committed dossier {rest[0]} is missing"
        elif kind == "CHANGE":
            assert history.get(rest[0], 0) >= int(rest[1]), f"committed status change of {rest[0]} is missing"
        elif kind == "DEMO":
            assert total >= int(rest[0]), f"committed demo dossiers are missing ({total} < {rest[0]})"
        elif kind == "IMPORT":
            missing = set(rest) - codes
            assert not missing, f"committed imported dossiers are missing: {sorted(missing)[:3]}"
    return seen


def test_killing_the_writer_at_random_moments_never_loses_a_commit_nor_corrupts(tmp_path):
    db = tmp_path / "motcua.sqlite3"
    prepare(db)
    rng = random.Random(int(os.environ.get("MOTCUA_CRASH_SEED", str(time.time_ns()))))
    reports: list[str] = []
    totals = {"DOSSIER": 0, "CHANGE": 0, "DEMO": 0, "IMPORT": 0}
    for round_number in range(ROUNDS):
        delay = rng.uniform(0.05, 1.3)
        lines = run_and_kill(db, seed=round_number, delay=delay, data_dir=tmp_path / "data")
        reports.extend(lines)
        # every round: sound, and everything reported so far (this round and earlier) is there
        for kind, count in check(db, reports).items():
            totals[kind] = count
    # the writer really did all kinds of work between the kills
    assert totals["DOSSIER"] > 0 and totals["CHANGE"] > 0 and totals["DEMO"] > 0, totals
    # and the app opens the database afterwards as if nothing happened
    ctx = open_database(str(db))
    ctx.dispose()

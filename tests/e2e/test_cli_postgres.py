"""``motcua --db postgresql+psycopg://…`` end to end on the session's throw-away PostgreSQL server
(tests/pg.py): init, demo and stats as a commune's shared counter database would see them, and
the same demo and statistics on SQLite give the same numbers."""

from __future__ import annotations

import json

import psycopg
import pytest

from .test_cli import PROFILE_ARGS, motcua, ok

SEED, UNTIL, START, END = "5", "2026-02-12", "2025-11-17", "2026-02-12"
#: trust authentication ignores it; it must still never be printed
PASSWORD = "mat-khau-bi-mat"


@pytest.fixture
def pg_url(pg_server):
    name = pg_server.create_database(template=None)  # empty: init builds the schema
    yield pg_server.url(name).replace("postgres@", f"postgres:{PASSWORD}@"), name
    pg_server.drop_database(name)


def _scalar(pg_server, database: str, sql: str):
    with psycopg.connect(host="127.0.0.1", port=pg_server.port, user="postgres", dbname=database) as conn:
        return conn.execute(sql).fetchone()[0]


def test_init_demo_and_stats_on_postgresql(pg_server, pg_url, tmp_path):
    url, name = pg_url
    data_dir = tmp_path / "data"
    data_dir.mkdir()

    init = ok(motcua("--db", url, "init", *PROFILE_ARGS, "--officer-username", "lan.nt",
                     "--officer-name", "Nguyễn Thị Lan", "--json", data_dir=data_dir))
    summary = json.loads(init.stdout)
    assert summary["database"].startswith("postgresql+psycopg://postgres:***@127.0.0.1:")
    assert summary["procedures"] >= 20 and summary["holidays"] > 0 and summary["officers"] == 1
    assert _scalar(pg_server, name, "SELECT version_num FROM alembic_version") == "0004_attachment_content"
    assert _scalar(pg_server, name, "SELECT count(*) FROM procedure WHERE active") >= 20

    demo = ok(motcua("--db", url, "demo", "--dossiers", "200", "--seed", SEED, "--until", UNTIL, "--json",
                     data_dir=data_dir))
    assert json.loads(demo.stdout)["dossiers"] == 200
    assert _scalar(pg_server, name, "SELECT count(*) FROM dossier") == 200
    assert _scalar(pg_server, name, "SELECT count(DISTINCT code) FROM dossier") == 200
    assert _scalar(pg_server, name, "SELECT count(DISTINCT status) FROM dossier") >= 6
    assert _scalar(pg_server, name, "SELECT count(*) FROM status_change") > 200

    stats = json.loads(ok(motcua("--db", url, "stats", "--from", START, "--to", END, "--json",
                                 data_dir=data_dir)).stdout)
    assert stats["counts"]["received"] == 200
    assert stats["counts"]["direct"] + stats["counts"]["online"] + stats["counts"]["postal"] == 200
    assert all(0 <= i["numerator"] <= i["denominator"] for i in stats["indicators"])

    # the same demo on SQLite: the same register, so the same statistics
    db = tmp_path / "same.sqlite3"
    ok(motcua("--db", str(db), "init", *PROFILE_ARGS, "--officer-username", "lan.nt",
              "--officer-name", "Nguyễn Thị Lan", data_dir=data_dir))
    ok(motcua("--db", str(db), "demo", "--dossiers", "200", "--seed", SEED, "--until", UNTIL, data_dir=data_dir))
    on_sqlite = json.loads(ok(motcua("--db", str(db), "stats", "--from", START, "--to", END, "--json",
                                     data_dir=data_dir)).stdout)
    assert stats == on_sqlite

    # the password never shows, not in the output nor in the log files
    for result in (init, demo):
        assert PASSWORD not in result.stdout + result.stderr
    for log in data_dir.rglob("*.log*"):
        assert PASSWORD not in log.read_text(encoding="utf-8", errors="replace")


def test_motcua_db_environment_variable_names_the_server(pg_server, pg_url, tmp_path):
    url, name = pg_url
    result = ok(motcua("init", "--json", data_dir=tmp_path, env={"MOTCUA_DB": url}))
    assert json.loads(result.stdout)["database"].endswith(f"/{name}")
    assert _scalar(pg_server, name, "SELECT count(*) FROM holiday") > 0
    assert not (tmp_path / "motcua.sqlite3").exists()


@pytest.mark.parametrize("where, message", [
    ("server/khong_co_csdl_nay", "không có cơ sở dữ liệu"),
    ("closed/motcua", "Không kết nối được máy chủ"),
])
def test_a_server_that_cannot_be_used_gives_a_message_not_a_traceback(pg_server, tmp_path, where, message):
    port = pg_server.port if where.startswith("server") else _closed_port()
    url = f"postgresql+psycopg://postgres@127.0.0.1:{port}/{where.split('/')[1]}"
    result = motcua("--db", url, "init", data_dir=tmp_path, timeout=120)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("Lỗi: ") and message in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:  # bound, never listening: connections are refused
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]

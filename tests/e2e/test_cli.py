"""The ``motcua`` command end to end: ``python -m desktop_app …`` in a subprocess, as a user or a
script runs it, on a temporary data folder and database."""

from __future__ import annotations

import json
import os
import re
import sqlite3
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE = re.compile(r"^000\.00\.53\.H48-\d{6}-\d{4}$")
PROFILE_ARGS = ["--unit-name", "UBND xã Phú Lạc", "--unit-code", "000.00.53.H48", "--place-name", "Phú Lạc"]


def pyproject_version() -> str:
    return tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))["project"]["version"]


def motcua(*args: str, data_dir: Path, env: dict[str, str] | None = None,
           timeout: int = 300) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "MOTCUA_DB"}
    environment.update(MOTCUA_DATA_DIR=str(data_dir), QT_QPA_PLATFORM="offscreen", **(env or {}))
    return subprocess.run(
        [sys.executable, "-m", "desktop_app", *args],
        cwd=ROOT, env=environment, capture_output=True, encoding="utf-8", timeout=timeout,
    )


def query(db: Path, sql: str, *params) -> list[tuple]:
    connection = sqlite3.connect(db)
    try:
        return connection.execute(sql, params).fetchall()
    finally:
        connection.close()


def scalar(db: Path, sql: str, *params):
    return query(db, sql, *params)[0][0]


def counts(db: Path) -> dict[str, int]:
    tables = ("procedure", "procedure_component", "holiday", "campaign", "commune_profile", "officer",
              "dossier")
    return {table: scalar(db, f"SELECT count(*) FROM {table}") for table in tables}


def ok(result: subprocess.CompletedProcess[str]) -> subprocess.CompletedProcess[str]:
    assert result.returncode == 0, (
        f"exit {result.returncode}\nstdout:\n{result.stdout}\nstderr:\n{result.stderr}")
    return result


@pytest.fixture
def data_dir(tmp_path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    return folder


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "so" / "motcua.sqlite3"


def test_version_is_the_pyproject_version(data_dir):
    result = ok(motcua("--version", data_dir=data_dir))
    assert result.stdout.strip() == f"motcua {pyproject_version()}"


def test_fallback_version_is_kept_in_sync_with_pyproject():
    from desktop_app import cli

    assert cli.FALLBACK_VERSION == pyproject_version()
    assert cli.VERSION == pyproject_version()


def test_init_creates_the_database_with_catalogue_and_holidays(data_dir, db):
    result = ok(motcua("--db", str(db), "init", *PROFILE_ARGS, data_dir=data_dir))
    assert db.is_file()
    assert str(db) in result.stdout and "Thủ tục hành chính" in result.stdout
    assert result.stderr == ""
    assert scalar(db, "SELECT count(*) FROM procedure WHERE active") >= 20
    assert scalar(db, "SELECT count(*) FROM procedure_component") > 20
    rows = query(db, "SELECT day FROM holiday WHERE day LIKE '2026-%' AND kind = 'day_off'")
    holidays_2026 = {row[0] for row in rows}
    assert {"2026-01-01", "2026-02-17", "2026-04-30", "2026-05-01", "2026-09-02"} <= holidays_2026
    assert len(holidays_2026) >= 11
    assert query(db, "SELECT unit_name, unit_code, place_name FROM commune_profile") == [
        ("UBND xã Phú Lạc", "000.00.53.H48", "Phú Lạc")
    ]
    assert scalar(db, "SELECT count(*) FROM campaign") >= 4


def test_init_twice_changes_nothing(data_dir, db):
    ok(motcua("--db", str(db), "init", *PROFILE_ARGS, "--officer-username", "lan.nt",
              "--officer-name", "Nguyễn Thị Lan", data_dir=data_dir))
    before = counts(db)
    ok(motcua("--db", str(db), "init", *PROFILE_ARGS, "--officer-username", "lan.nt",
              "--officer-name", "Nguyễn Thị Lan", data_dir=data_dir))
    assert counts(db) == before
    assert before["officer"] == 1 and before["commune_profile"] == 1
    officers = query(db, "SELECT username, full_name, role FROM officer")
    assert officers == [("lan.nt", "Nguyễn Thị Lan", "quan_tri")]


def test_init_json_summary(data_dir, db):
    result = ok(motcua("init", "--db", str(db), "--json", *PROFILE_ARGS, data_dir=data_dir))
    summary = json.loads(result.stdout)
    assert summary["database"] == str(db)
    assert summary["procedures"] >= 20 and summary["holidays"] > 0
    assert summary["profile"]["unit_code"] == "000.00.53.H48"


def test_demo_fills_the_database_and_adds_again_without_clashes(data_dir, db):
    ok(motcua("--db", str(db), "init", *PROFILE_ARGS, data_dir=data_dir))
    result = ok(motcua("--db", str(db), "demo", "--dossiers", "300", "--seed", "7", data_dir=data_dir))
    assert "300" in result.stdout and "hồ sơ mẫu" in result.stdout

    assert scalar(db, "SELECT count(*) FROM dossier") == 300
    names = [row[0] for row in query(db, "SELECT applicant_name FROM dossier")]
    assert any("ễ" in name for name in names) and any("Đ" in name for name in names)
    assert all(len(name.split()) == 3 for name in names)
    codes = [row[0] for row in query(db, "SELECT code FROM dossier")]
    assert len(set(codes)) == 300 and all(CODE.match(code) for code in codes)
    assert scalar(db, "SELECT count(DISTINCT status) FROM dossier") >= 6
    assert {row[0] for row in query(db, "SELECT DISTINCT channel FROM dossier")} == {1, 2, 3}
    assert scalar(db, "SELECT count(DISTINCT dossier_id) FROM dossier_component") == 300
    assert scalar(db, "SELECT count(*) FROM status_change") > 300
    assert scalar(db, "SELECT count(*) FROM officer") == 4  # init made the profile, demo the officers

    again = ok(motcua("demo", "--db", str(db), "--dossiers", "300", "--seed", "7", "--json",
                      data_dir=data_dir))
    assert json.loads(again.stdout)["dossiers"] == 300
    assert scalar(db, "SELECT count(*) FROM dossier") == 600
    assert scalar(db, "SELECT count(DISTINCT code) FROM dossier") == 600
    assert scalar(db, "SELECT count(*) FROM commune_profile") == 1


def test_demo_on_an_empty_database_creates_the_demo_commune(data_dir, db):
    ok(motcua("--db", str(db), "demo", "--dossiers", "20", data_dir=data_dir))
    profile = query(db, "SELECT unit_name, unit_code FROM commune_profile")
    assert profile == [("UBND xã Phú Lạc", "000.00.53.H48")]
    assert scalar(db, "SELECT count(*) FROM dossier") == 20


def test_motcua_db_environment_variable_is_used_without_db_option(data_dir, tmp_path):
    target = tmp_path / "from-env.sqlite3"
    result = ok(motcua("init", data_dir=data_dir, env={"MOTCUA_DB": str(target)}))
    assert target.is_file() and str(target) in result.stdout
    assert not (data_dir / "motcua.sqlite3").exists()
    # --db wins over MOTCUA_DB
    chosen = tmp_path / "chosen.sqlite3"
    ok(motcua("--db", str(chosen), "init", data_dir=data_dir, env={"MOTCUA_DB": str(target)}))
    assert chosen.is_file()


def test_default_database_is_in_the_data_folder(data_dir):
    ok(motcua("init", data_dir=data_dir))
    assert (data_dir / "motcua.sqlite3").is_file()


def test_a_file_that_is_not_a_database_is_refused(data_dir, tmp_path):
    text = tmp_path / "ghi-chu.sqlite3"
    text.write_text("not a database, just notes\n", encoding="utf-8")
    result = motcua("--db", str(text), "init", data_dir=data_dir)
    assert result.returncode == 1
    assert result.stderr.startswith("Lỗi: ") and "không phải là cơ sở dữ liệu" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
    assert text.read_text(encoding="utf-8") == "not a database, just notes\n"


def test_a_folder_given_as_database_is_refused(data_dir, tmp_path):
    folder = tmp_path / "thu-muc"
    folder.mkdir()
    result = motcua("--db", str(folder), "demo", "--dossiers", "5", data_dir=data_dir)
    assert result.returncode == 1
    assert "thư mục" in result.stderr and "Traceback" not in result.stderr
    assert list(folder.iterdir()) == []


def test_bad_profile_input_writes_nothing(data_dir, db):
    result = motcua("--db", str(db), "init", "--unit-name", "UBND xã Phú Lạc", "--unit-code", "mã sai!",
                    data_dir=data_dir)
    assert result.returncode == 1
    assert "Mã đơn vị" in result.stderr and "Traceback" not in result.stderr
    assert not db.exists()


@pytest.mark.parametrize(
    "args",
    [
        ["tach-ho"],  # unknown sub-command
        ["demo"],  # --dossiers is required
        ["demo", "--dossiers", "0"],
        ["demo", "--dossiers", "mười"],
        ["init", "--officer-name", "Nguyễn Thị Lan"],  # without --officer-username
        ["--khong-co"],
    ],
)
def test_usage_errors_exit_2(data_dir, db, args):
    result = motcua("--db", str(db), *args, data_dir=data_dir)
    assert result.returncode == 2, result.stderr
    assert "Cách dùng" in result.stderr and "lỗi" in result.stderr
    assert "Traceback" not in result.stderr
    assert not db.exists()


def test_help_is_in_vietnamese(data_dir):
    result = ok(motcua("--help", data_dir=data_dir))
    assert "Cách dùng: motcua" in result.stdout
    for name in ("gui", "init", "demo"):
        assert name in result.stdout
    assert "tạo hoặc nâng cấp cơ sở dữ liệu" in result.stdout

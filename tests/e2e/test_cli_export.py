"""``motcua export`` and ``motcua usb`` end to end on a demo database."""

from __future__ import annotations

import hashlib
import json
from datetime import date, timedelta

import pytest
from openpyxl import load_workbook

from .test_cli import motcua, ok


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("export")
    db = folder / "demo.sqlite3"
    ok(motcua("--db", str(db), "demo", "--dossiers", "300", "--seed", "5", "--weeks", "3", data_dir=folder))
    return folder, db


def _period() -> tuple[str, str]:
    today = date.today()
    return (today - timedelta(weeks=4)).isoformat(), today.isoformat()


def test_export_each_kind(demo_db, tmp_path):
    folder, db = demo_db
    start, end = _period()
    for kind, first_cell in (("dossiers", "Mã hồ sơ"), ("stats", "THỐNG KÊ KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH"),
                             ("so-theo-doi", "SỔ THEO DÕI HỒ SƠ"), ("mau-02", "Mẫu biểu 02"),
                             ("catalogue", "Mã TTHC")):
        out = tmp_path / f"{kind}.xlsx"
        result = ok(motcua("--db", str(db), "export", kind, "--from", start, "--to", end, "--out", str(out),
                           "--json", data_dir=folder))
        data = json.loads(result.stdout)
        assert data["file"] == str(out) and data["kind"] == kind
        assert data["personal_data"] == (kind in ("dossiers", "so-theo-doi"))
        assert load_workbook(out).active["A1"].value == first_cell
    rows = list(load_workbook(tmp_path / "dossiers.xlsx").active.iter_rows(values_only=True))
    assert len(rows) == 1 + 300 + 1


def test_export_default_name_says_personal_data_and_masks_ids(demo_db, tmp_path):
    folder, db = demo_db
    start, end = _period()
    env_cwd = tmp_path / "here"
    env_cwd.mkdir()
    out = env_cwd / "ds.xlsx"
    ok(motcua("--db", str(db), "export", "dossiers", "--from", start, "--to", end, "--out", str(out), "--mask-ids",
              data_dir=folder))
    ids = [r[4] for r in load_workbook(out).active.iter_rows(min_row=2, values_only=True) if r[0]]
    shown = [i for i in ids if i]
    assert shown and all("*" in i and not i.isdigit() for i in shown)
    assert any(len(i) == 12 and i[4:10] == "******" for i in shown)  # CCCD: 4 first and 2 last digits
    result = ok(motcua("--db", str(db), "export", "so-theo-doi", "--from", start, "--to", end,
                       "--out", str(env_cwd), data_dir=folder))
    assert "dữ liệu cá nhân" in result.stdout
    assert (env_cwd / f"so-theo-doi-ho-so_{start}_{end}_du-lieu-ca-nhan.xlsx").is_file()


def test_export_usage_errors_and_refusals(demo_db, tmp_path):
    folder, db = demo_db
    result = motcua("--db", str(db), "export", "stats", "--out", str(tmp_path / "x.xlsx"), data_dir=folder)
    assert result.returncode == 2 and "cần --from và --to" in result.stderr
    result = motcua("--db", str(db), "export", "dossiers", "--from", "2026-03-08", "--to", "2026-03-01",
                    "--out", str(tmp_path / "x.xlsx"), data_dir=folder)
    assert result.returncode == 2
    result = motcua("--db", str(db), "export", "dossiers", "--from", "2026-03-01", "--to", "2026-03-08",
                    "--out", str(tmp_path / "x.csv"), data_dir=folder)
    assert result.returncode == 2 and ".xlsx" in result.stderr
    result = motcua("--db", str(db), "export", "dossiers", "--from", "2026-03-01", "--to", "2026-03-08",
                    "--out", str(tmp_path / "missing" / "x.xlsx"), data_dir=folder)
    assert result.returncode == 1
    assert "Lỗi:" in result.stderr and "USB" in result.stderr
    assert not (tmp_path / "missing").exists()


def test_usb_writes_a_verified_dated_folder(demo_db, tmp_path):
    folder, db = demo_db
    stick = tmp_path / "stick"
    stick.mkdir()
    week = date.today().isocalendar()
    result = ok(motcua("--db", str(db), "usb", str(stick), "--week", f"{week[0]}-W{week[1]:02d}", "--json",
                       data_dir=folder))
    data = json.loads(result.stdout)
    made = [p for p in stick.iterdir()]
    assert len(made) == 1 and made[0].name.startswith("SoMotCua_") and str(made[0]) == data["folder"]
    lines = [line for line in (made[0] / "MANIFEST.txt").read_text(encoding="utf-8").splitlines()
             if line and not line.startswith("#")]
    assert len(lines) == len(data["files"]) >= 4
    for line in lines:
        digest, name = line.split("  ", 1)
        assert hashlib.sha256((made[0] / name).read_bytes()).hexdigest() == digest


def test_usb_to_a_missing_folder_is_refused(demo_db, tmp_path):
    folder, db = demo_db
    result = motcua("--db", str(db), "usb", str(tmp_path / "E"), data_dir=folder)
    assert result.returncode == 1 and "USB" in result.stderr
    result = motcua("--db", str(db), "usb", "--week", "2026-W99", str(tmp_path), data_dir=folder)
    assert result.returncode == 2

"""``motcua report`` and ``motcua print`` end to end on a demo database."""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import subprocess
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader

from .test_cli import motcua, ok, query, scalar


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("documents")
    db = folder / "demo.sqlite3"
    ok(motcua("--db", str(db), "demo", "--dossiers", "400", "--seed", "7", "--weeks", "4", data_dir=folder))
    return folder, db


def text_of(path: Path) -> str:
    out = subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True,
                         encoding="utf-8").stdout
    return " ".join(out.split())


def test_weekly_report_figures_are_the_stats_json(demo_db, tmp_path):
    folder, db = demo_db
    day = date.today() - timedelta(days=7)
    out = tmp_path / "bao-cao-tuan.pdf"
    info = json.loads(ok(motcua("--db", str(db), "report", "weekly", "--date", day.isoformat(), "--out", str(out),
                                "--json", data_dir=folder)).stdout)
    monday = day - timedelta(days=day.weekday())
    assert info == {"file": str(out), "kind": "weekly", "from": monday.isoformat(),
                    "to": (monday + timedelta(days=6)).isoformat(), "campaign": None}
    stats = json.loads(ok(motcua("--db", str(db), "stats", "--from", info["from"], "--to", info["to"], "--json",
                                 data_dir=folder)).stdout)
    assert stats["counts"]["received"] > 0
    text = text_of(out)
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text and "Độc lập - Tự do - Hạnh phúc" in text
    counts = stats["counts"]
    assert (f"đã giải quyết {counts['finished']} hồ sơ, trong đó đúng hạn (kể cả trước hạn) "
            f"{counts['finished_on_time']}, quá hạn {counts['finished_late']}") in text
    for item in stats["indicators"]:
        if item["denominator"]:
            assert f"{item['numerator']}/{item['denominator']}" in text
            assert f"{item['ratio']:.2f}".replace(".", ",") + "%" in text
    iso = monday.isocalendar()
    result = ok(motcua("--db", str(db), "report", "weekly", "--week", f"{iso.year}-W{iso.week:02d}", "--out",
                       str(tmp_path / "w.pdf"), data_dir=folder))
    assert f"Tuần {iso.week} năm {iso.year}" in result.stdout


def test_monthly_and_campaign_reports(demo_db, tmp_path):
    folder, db = demo_db
    ok(motcua("--db", str(db), "report", "monthly", "--out", str(tmp_path / "thang.pdf"), data_dir=folder))
    assert "BÁO CÁO KẾT QUẢ THỰC HIỆN THÁNG" in text_of(tmp_path / "thang.pdf")
    info = json.loads(ok(motcua("--db", str(db), "report", "campaign", "--campaign", "45 ngay dem", "--out",
                                str(tmp_path / "cd.pdf"), "--json", data_dir=folder)).stdout)
    assert info["campaign"].startswith("Cao điểm 45 ngày đêm")
    assert "BÁO CÁO TỔNG KẾT CHIẾN DỊCH" in text_of(tmp_path / "cd.pdf")
    result = motcua("--db", str(db), "report", "campaign", "--campaign", "không có", "--out",
                    str(tmp_path / "x.pdf"), data_dir=folder)
    assert result.returncode == 1 and "Không tìm thấy chiến dịch" in result.stderr
    assert not (tmp_path / "x.pdf").exists()


def test_print_receipt_and_a5(demo_db, tmp_path):
    folder, db = demo_db
    code = scalar(db, "SELECT code FROM dossier WHERE status = 10 ORDER BY received_at DESC LIMIT 1")
    out = tmp_path / "giay.pdf"
    result = ok(motcua("--db", str(db), "print", "receipt", "--dossier", code, "--out", str(out), data_dir=folder))
    assert code in result.stdout
    assert f"Mã hồ sơ: {code}" in text_of(out)
    ok(motcua("--db", str(db), "print", "receipt", "--dossier", code, "--out", str(tmp_path / "a5.pdf"), "--a5",
              data_dir=folder))
    box = PdfReader(str(tmp_path / "a5.pdf")).pages[0].mediabox
    assert round(float(box.width)) == 420
    missing = motcua("--db", str(db), "print", "receipt", "--dossier", "KHONG-CO", "--out", str(tmp_path / "n.pdf"),
                     data_dir=folder)
    assert missing.returncode == 1 and "Không tìm thấy hồ sơ" in missing.stderr
    usage = motcua("--db", str(db), "print", "receipt", "--dossier", code, "--out", str(tmp_path / "n.txt"),
                   data_dir=folder)
    assert usage.returncode == 2


def test_print_refusal_with_attach_clears_the_warning(demo_db, tmp_path):
    folder, db = demo_db
    rows = query(db, "SELECT d.code, d.id FROM dossier d JOIN dossier_warning w ON w.dossier_id = d.id "
                     "WHERE d.status = 3 AND w.rule = 'END_DOCUMENT_MISSING' LIMIT 1")
    assert rows, "the demo has refused dossiers without their slip"
    code, dossier_id = rows[0]
    out = tmp_path / "tu-choi.pdf"
    result = ok(motcua("--db", str(db), "print", "refusal", "--dossier", code, "--out", str(out), "--attach",
                       data_dir=folder))
    assert "Đã đính kèm" in result.stdout
    assert "PHIẾU TỪ CHỐI TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ" in text_of(out)
    assert scalar(db, "SELECT count(*) FROM dossier_warning WHERE dossier_id = ? AND rule = 'END_DOCUMENT_MISSING'",
                  dossier_id) == 0
    assert scalar(db, "SELECT count(*) FROM attachment WHERE dossier_id = ? AND kind = 'end_document'",
                  dossier_id) == 1
    wrong = motcua("--db", str(db), "print", "stop", "--dossier", code, "--out", str(tmp_path / "s.pdf"),
                   data_dir=folder)
    assert wrong.returncode == 1 and "không phải “Dừng xử lý”" in wrong.stderr


@contextlib.contextmanager
def read_only_folder(path: Path):
    """A folder nobody may write into — root included (immutable attribute), as a write-protected USB."""
    path.mkdir()
    path.chmod(0o555)
    immutable = False
    if os.geteuid() == 0:
        if shutil.which("chattr") is None or subprocess.run(["chattr", "+i", str(path)], check=False).returncode != 0:
            path.chmod(0o755)
            pytest.skip("running as root where the folder cannot be made read-only (no chattr +i)")
        immutable = True
    try:
        yield path
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        path.chmod(0o755)


def test_an_unwritable_or_missing_folder_gives_exit_1_and_no_file(demo_db, tmp_path):
    folder, db = demo_db
    code = scalar(db, "SELECT code FROM dossier ORDER BY received_at DESC LIMIT 1")
    with read_only_folder(tmp_path / "usb") as usb:
        result = motcua("--db", str(db), "report", "weekly", "--out", str(usb / "bao-cao.pdf"), data_dir=folder)
        assert result.returncode == 1, result.stderr
        assert "ghi" in result.stderr and str(usb) in result.stderr
        assert list(usb.iterdir()) == []
        result = motcua("--db", str(db), "print", "receipt", "--dossier", code, "--out", str(usb / "giay.pdf"),
                        data_dir=folder)
        assert result.returncode == 1 and str(usb) in result.stderr
        assert list(usb.iterdir()) == []
    gone = tmp_path / "rut-usb" / "giay.pdf"
    result = motcua("--db", str(db), "print", "receipt", "--dossier", code, "--out", str(gone), data_dir=folder)
    assert result.returncode == 1 and "USB" in result.stderr
    assert not gone.parent.exists()

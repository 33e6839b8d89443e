"""Personal data (names, số định danh, phone numbers) never reaches the log files (SPEC §9).

The commands and the services run with known citizens' data — successful operations, refused
ones and unexpected errors whose messages would carry SQL parameters — and then every log file
in the data folder is searched for every name, number and phone the database holds."""

from __future__ import annotations

import logging
import unicodedata
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import Workbook

from desktop_app.domain.headers import TEMPLATE_HEADERS
from desktop_app.domain.text import fold

from .test_cli import PROFILE_ARGS, motcua, ok, query

CITIZENS = [
    ("Hoàng Thị Quỳnh Trang", "001203004545", "0912345678"),
    ("Lò Văn Sủng", "079185001234", "0387654321"),
    ("Đinh Khắc Tiệp", "001099012345", "0868111222"),
]
BAD_ID = "00120300454"  # 11 digits: refused, and must not be logged either


def write_import_file(path: Path, rows: list[tuple[str, str, str]], first_sequence: int, bad: bool = False) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(list(TEMPLATE_HEADERS))
    column = {name: i for i, name in enumerate(TEMPLATE_HEADERS)}
    for i, (name, id_number, phone) in enumerate(rows):
        row = [None] * len(TEMPLATE_HEADERS)
        row[column["Mã hồ sơ"]] = f"000.00.53.H48-250910-{first_sequence + i:04d}"
        row[column["Mã TTHC"]] = "1.001193"
        row[column["Tên thủ tục"]] = "Đăng ký khai sinh"
        row[column["Chủ hồ sơ"]] = name
        row[column["Số định danh"]] = BAD_ID if bad else id_number
        row[column["Số điện thoại"]] = phone
        row[column["Địa chỉ"]] = f"Xóm Đồng Bầu, {name}"
        row[column["Ngày tiếp nhận"]] = datetime(2025, 9, 10, 8, 30 + i)
        sheet.append(row)
    book.save(path)
    return path


def personal_values(db: Path) -> set[str]:
    values = set()
    for name, id_number, phone, fold_name in query(db, "SELECT applicant_name, id_number, phone, applicant_fold "
                                                       "FROM dossier"):
        for value in (name, id_number, phone, fold_name):
            if value and len(value.strip()) >= 6:
                values.add(value.strip())
    return values


def log_text(data_dir: Path) -> str:
    files = [p for p in data_dir.rglob("*") if p.is_file() and ".log" in p.name]
    assert files, f"no log file in {data_dir}"
    return "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in files)


def assert_not_logged(text: str, values: set[str]) -> None:
    text_nfc = unicodedata.normalize("NFC", text)
    folded = fold(text_nfc)
    leaked = sorted(v for v in values if v in text_nfc or fold(v) in folded)
    assert not leaked, f"personal data in the log: {leaked[:5]}"


def test_commands_never_log_personal_data(tmp_path):
    data, db = tmp_path / "data", tmp_path / "so.sqlite3"
    ok(motcua("--db", str(db), "init", *PROFILE_ARGS, "--officer-username", "lan.nt",
              "--officer-name", "Nguyễn Thị Lan", "--officer-role", "quan_tri", data_dir=data))
    ok(motcua("--db", str(db), "demo", "--dossiers", "40", data_dir=data))
    good = write_import_file(tmp_path / "danh-sach.xlsx", CITIZENS, 1)
    ok(motcua("--db", str(db), "import", str(good), data_dir=data))
    ok(motcua("--db", str(db), "import", "--dry-run", str(good), data_dir=data))
    refused = write_import_file(tmp_path / "sai.xlsx", CITIZENS, 50, bad=True)
    motcua("--db", str(db), "import", str(refused), data_dir=data)  # rows rejected for the bad id
    broken = tmp_path / "hong.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook " + CITIZENS[0][0].encode())
    assert motcua("--db", str(db), "import", str(broken), data_dir=data).returncode == 1
    code = query(db, "SELECT code FROM dossier WHERE applicant_name = ?", CITIZENS[0][0])[0][0]
    ok(motcua("--db", str(db), "history", code, data_dir=data))
    ok(motcua("--db", str(db), "print", "receipt", "--dossier", code, "--out", str(tmp_path / "phieu.pdf"),
              data_dir=data))
    ok(motcua("--db", str(db), "delete", code, "--reason", f"nhập trùng hồ sơ của {CITIZENS[0][0]}", data_dir=data))
    made = ok(motcua("--db", str(db), "--json", "backup", data_dir=data))
    ok(motcua("--db", str(db), "check", data_dir=data))
    # the backup taken before the first import (restoring it also rotates the backups)
    before_import = next(p for p in sorted((tmp_path / "backups").iterdir()) if "truocnhap" in p.name)
    ok(motcua("--db", str(db), "restore", str(before_import), "--yes", data_dir=data))
    ok(motcua("--db", str(db), "stats", "--from", "2025-09-08", "--to", "2025-09-14", data_dir=data))
    ok(motcua("--db", str(db), "warnings", data_dir=data))
    assert made.stdout
    values = personal_values(db) | {v for citizen in CITIZENS for v in citizen} | {BAD_ID}
    assert len(values) > 100  # the demo's 40 citizens and the imported ones
    assert {name for name, *_ in CITIZENS} <= values
    assert_not_logged(log_text(data), values)


def test_services_and_unexpected_errors_never_log_personal_data(tmp_path, monkeypatch):
    """In-process: the log handler the app installs, the GUI's error path and the CLI's error path
    with errors whose text would carry the SQL parameters (names, numbers)."""
    from desktop_app import cli
    from desktop_app.cli.common import Command
    from desktop_app.domain.identity import IdKind
    from desktop_app.domain.status import Action
    from desktop_app.services import catalogue, dossiers, intake, logs, setup
    from desktop_app.services.context import open_database
    from desktop_app.storage.errors import UserFixableError
    from desktop_app.storage.models import Dossier

    data = tmp_path / "data"
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(data))
    root = logging.getLogger()
    handlers = list(root.handlers)
    logs.setup_logging()
    db = tmp_path / "motcua.sqlite3"
    ctx = open_database(str(db))
    try:
        setup.save_profile(ctx, setup.ProfileInput(unit_name="UBND xã Phú Lạc", unit_code="000.00.53.H48",
                                                   place_name="Phú Lạc", province="Thái Nguyên"))
        officer = setup.save_officer(ctx, "lan.nt", "Nguyễn Thị Lan", "quan_tri")
        ctx.officer_id = officer.id
        proc = catalogue.list_procedures(ctx, search="khai sinh")[0]

        def draft(name, id_number, phone, **extra):
            return intake.DossierDraft(
                procedure_id=proc.id, applicant_name=name, id_number=id_number, phone=phone, officer_id=officer.id,
                components=[intake.ComponentDraft(name=c.name, procedure_component_id=c.id) for c in proc.components],
                **extra)

        codes = [intake.receive_dossier(ctx, draft(*citizen)) for citizen in CITIZENS]
        with pytest.raises(UserFixableError):  # refused: a wrong số định danh
            intake.receive_dossier(ctx, draft(CITIZENS[0][0], BAD_ID, CITIZENS[0][2]))
        view = dossiers.find_by_code(ctx, codes[1])
        dossiers.perform_action(ctx, view.id, dossiers.ActionInput(
            Action.TU_CHOI, reason=f"{CITIZENS[1][0]} thiếu giấy tờ", officer_id=officer.id))

        # an unexpected database error (a duplicate code) whose text would name the citizen
        def duplicate(_args):
            with ctx.session() as session:
                session.add(Dossier(code=codes[0], procedure_id=proc.id, applicant_name=CITIZENS[2][0],
                                    applicant_fold=fold(CITIZENS[2][0]), id_number=CITIZENS[2][1],
                                    id_kind=IdKind.CCCD.value, phone=CITIZENS[2][2], channel=1, status=2,
                                    received_at=datetime(2026, 2, 12, 9, 0)))
            return 0

        monkeypatch.setitem(cli.COMMANDS, "warnings", Command("x", lambda p: None, duplicate))
        assert cli.main(["warnings"]) == 1  # "Lỗi không mong muốn … tệp nhật ký"

        from desktop_app.ui.common import error_text  # the GUI's way of logging an unexpected error

        try:
            duplicate(None)
        except Exception as error:  # noqa: BLE001
            message, detail = error_text(error)
            assert "không mong muốn" in message and str(logs.log_path()) in detail
    finally:
        ctx.dispose()
        for handler in list(root.handlers):
            if handler not in handlers:
                root.removeHandler(handler)
                handler.close()
    text = log_text(data)
    assert "IntegrityError" in text and "Traceback" in text  # the errors were logged, with their traceback
    values = personal_values(db) | {v for citizen in CITIZENS for v in citizen} | {BAD_ID}
    assert_not_logged(text, values)

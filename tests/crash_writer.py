"""A writer for the crash test (tests/unit/storage/test_crash_kill.py): works on a database
through the services until it is killed, and prints every transaction it saw committed.

``python tests/crash_writer.py DB SEED``. Output lines, each printed (and flushed) only after
the service call returned, i.e. after its transaction committed:

* ``READY`` — the database is open;
* ``DOSSIER <code>`` — a dossier received at the counter;
* ``CHANGE <code> <n>`` — a status change; the dossier then has at least ``n`` history rows;
* ``DEMO <n>`` — a bulk demo insert; the database then has at least ``n`` dossiers;
* ``IMPORT <code> …`` — an Excel import (one transaction) added these dossiers.
"""

from __future__ import annotations

import random
import sys
from datetime import datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import func, select

from desktop_app.domain.headers import TEMPLATE_HEADERS
from desktop_app.domain.identity import IdKind
from desktop_app.domain.status import Action, Status
from desktop_app.services import catalogue, demo, dossiers, intake, setup
from desktop_app.services.context import open_database
from desktop_app.storage.models import Dossier, StatusChange

#: Actions that move a dossier along, from the statuses they apply to.
NEXT = {
    Status.DUOC_TIEP_NHAN: Action.CHUYEN_XU_LY,
    Status.DANG_XU_LY: Action.CO_KET_QUA,
    Status.DA_XU_LY_XONG: Action.TRA_KET_QUA,
}


def say(*parts: object) -> None:
    print(*parts, flush=True)


def receive(ctx, rng: random.Random, procedures, officer_id) -> None:
    proc = rng.choice(procedures)
    draft = intake.DossierDraft(
        procedure_id=proc.id, applicant_name=rng.choice(["Đặng Thị Ánh", "Nguyễn Văn Bình", "Lò Thị Mai"]),
        id_kind=IdKind.NONE, officer_id=officer_id,
        components=[intake.ComponentDraft(name=c.name, procedure_component_id=c.id) for c in proc.components],
    )
    code = intake.receive_dossier(ctx, draft)
    say("DOSSIER", code)


def move(ctx, rng: random.Random, officer_id) -> None:
    with ctx.read() as session:
        candidates = session.execute(
            select(Dossier.id, Dossier.code, Dossier.status)
            .where(Dossier.status.in_([int(s) for s in NEXT]), Dossier.deleted_at.is_(None))
            .limit(50)
        ).all()
    if not candidates:
        return
    dossier_id, code, status = rng.choice(candidates)
    dossiers.perform_action(ctx, dossier_id, dossiers.ActionInput(NEXT[Status(status)], officer_id=officer_id))
    with ctx.read() as session:
        count = session.scalar(select(func.count()).select_from(StatusChange).where(StatusChange.dossier_id == dossier_id))
    say("CHANGE", code, count)


def bulk(ctx, rng: random.Random) -> None:
    demo.generate(ctx, rng.randint(50, 400), seed=rng.randint(1, 10**6), weeks=2)
    with ctx.read() as session:
        say("DEMO", session.scalar(select(func.count()).select_from(Dossier)))


def import_rows(ctx, rng: random.Random, folder: Path, procedures, seed: int, counter: list[int]) -> None:
    try:
        from openpyxl import Workbook

        from desktop_app.services import imports
    except ImportError:
        return
    counter[0] += 1
    book = Workbook()
    sheet = book.active
    sheet.append(list(TEMPLATE_HEADERS))
    column = {name: i for i, name in enumerate(TEMPLATE_HEADERS)}
    day = datetime(2025, 6, 2, 8, 0) + timedelta(days=seed % 60)
    codes = []
    for i in range(rng.randint(5, 40)):
        code = f"000.00.53.H48-{day:%y%m%d}-{counter[0] * 100 + i + 1:04d}"
        proc = rng.choice(procedures)
        row = [None] * len(TEMPLATE_HEADERS)
        row[column["Mã hồ sơ"]] = code
        row[column["Mã TTHC"]] = proc.code
        row[column["Tên thủ tục"]] = proc.name
        row[column["Chủ hồ sơ"]] = "Trần Văn Nhập"
        row[column["Ngày tiếp nhận"]] = day + timedelta(minutes=i)
        sheet.append(row)
        codes.append(code)
    path = folder / f"nhap-{seed}-{counter[0]}.xlsx"
    book.save(path)
    result = imports.import_file(ctx, path)
    if result.rejected:
        print("import rejected rows:", result.as_json()["rejected"][:3], file=sys.stderr, flush=True)
    if result.applied and result.added:
        say("IMPORT", *result.added)


def main() -> None:
    db, seed = sys.argv[1], int(sys.argv[2])
    rng = random.Random(seed)
    ctx = open_database(db)
    officer_id = setup.list_officers(ctx)[0].id
    ctx.officer_id = officer_id
    procedures = [p for p in catalogue.list_procedures(ctx) if p.components][:15]
    folder = Path(db).parent / "imports"
    folder.mkdir(exist_ok=True)
    counter = [0]
    say("READY")
    while True:
        choice = rng.random()
        if choice < 0.45:
            receive(ctx, rng, procedures, officer_id)
        elif choice < 0.8:
            move(ctx, rng, officer_id)
        elif choice < 0.93:
            bulk(ctx, rng)
        else:
            import_rows(ctx, rng, folder, procedures, seed, counter)


if __name__ == "__main__":
    main()

"""Fixtures for the GUI tests: offscreen Qt, isolated settings and data folder, a real database.

Every test gets its own SQLite file in ``tmp_path``, a fixed clock, its own QSettings folder and
``MOTCUA_DATA_DIR`` (so logs and attachments never touch the user's real data).
"""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # before any QApplication exists

import json  # noqa: E402
import logging  # noqa: E402
import uuid  # noqa: E402
from collections.abc import Callable, Iterator  # noqa: E402
from datetime import datetime, timedelta  # noqa: E402
from logging.handlers import RotatingFileHandler  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402
from PySide6.QtCore import QEvent, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QKeyEvent  # noqa: E402
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget  # noqa: E402

from desktop_app.domain.identity import IdKind  # noqa: E402
from desktop_app.domain.status import Channel  # noqa: E402
from desktop_app.services import catalogue, intake, setup  # noqa: E402
from desktop_app.services.context import AppContext, open_database  # noqa: E402
from desktop_app.storage import seed  # noqa: E402
from desktop_app.ui import common  # noqa: E402,F401 - installs the PySide6 emit() refcount fix first

#: Thursday 12/02/2026 10:00, a working day (the week before Tết 2026).
FIXED_NOW = datetime(2026, 2, 12, 10, 0)

_SMALL_CATALOGUE = {
    "procedures": [
        {"code": "1.001193", "name": "Đăng ký khai sinh", "field": "Hộ tịch", "time_limit": 0,
         "time_unit": "ngay_lam_viec", "online_level": "toan_trinh", "fee": {"kind": "free"},
         "components": [{"name": "Tờ khai đăng ký khai sinh"}, {"name": "Giấy chứng sinh"}]},
        {"code": "2.000815", "name": "Chứng thực bản sao từ bản chính", "field": "Chứng thực", "time_limit": 3,
         "time_unit": "ngay_lam_viec", "online_level": "mot_phan",
         "fee": {"kind": "per_page", "amount": 2000, "first_pages": 2, "later_amount": 1000, "cap": 200000},
         "components": [{"name": "Bản chính giấy tờ"}]},
    ]
}
_SMALL_PRESETS = {"presets": [{"name": "Chiến dịch 30 ngày", "start_date": "2025-07-25",
                               "end_date": "2025-08-25", "targets": {"so_hoa": 80}}]}


class Clock:
    """A clock the test can move: ``clock.now = …``."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(folder))
    monkeypatch.delenv("MOTCUA_DB", raising=False)
    return folder


@pytest.fixture(autouse=True)
def seed_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the shipped catalogue and presets; small stand-ins only if they are not there (yet)."""
    if not seed.catalogue_file().exists():
        path = tmp_path / "procedures.json"
        path.write_text(json.dumps(_SMALL_CATALOGUE, ensure_ascii=False), encoding="utf-8")
        monkeypatch.setattr(seed, "catalogue_file", lambda: path)
    if not seed.presets_file().exists():
        path = tmp_path / "presets.json"
        path.write_text(json.dumps(_SMALL_PRESETS, ensure_ascii=False), encoding="utf-8")
        monkeypatch.setattr(seed, "presets_file", lambda: path)


@pytest.fixture(autouse=True)
def qt_settings(qapp: QApplication, tmp_path: Path) -> Iterator[Path]:
    """QSettings() writes an INI file under tmp_path, never the user's real settings."""
    folder = tmp_path / "settings"
    folder.mkdir()
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(folder))
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.SystemScope, str(folder / "system"))
    qapp.setOrganizationName("SoMotCua")
    qapp.setApplicationName("Sổ Một Cửa")
    yield folder
    close_message_boxes()


@pytest.fixture(autouse=True)
def no_leftover_log_handlers() -> Iterator[None]:
    """ui.app.run() adds a rotating log file in the (temporary) data folder: remove it afterwards."""
    before = list(logging.getLogger().handlers)
    yield
    root = logging.getLogger()
    for handler in list(root.handlers):
        if handler not in before and isinstance(handler, RotatingFileHandler):
            root.removeHandler(handler)
            handler.close()


@pytest.fixture(autouse=True, scope="session")
def _as_in_the_app(qapp: QApplication) -> Iterator[None]:
    """What create_application() and run() set up in the app, for every GUI test.

    - The cyclic garbage collector never runs on a worker thread, where destroying a leftover
      widget kills the process (ui.qt_fixes.UiThreadGarbageCollector).
    - A thread waiting for the GIL gets it within 1 ms (ui.qt_fixes.hand_the_gil_over_quickly).
    - Qt's own buttons and menus speak Vietnamese (ui.qt_vietnamese).
    """
    import gc
    import sys

    from desktop_app.ui import qt_vietnamese
    from desktop_app.ui.qt_fixes import hand_the_gil_over_quickly

    qt_vietnamese.install(qapp)
    previous = hand_the_gil_over_quickly()
    gc.disable()
    yield
    gc.enable()
    sys.setswitchinterval(previous)


@pytest.fixture(autouse=True)
def _collect_after_each_test() -> Iterator[None]:
    """Destroy the test's widgets now, not in the next test's event loop.

    pytest-qt closes the widgets with ``deleteLater()``; ``processEvents()`` does not run
    deferred deletes, so a big window would otherwise be destroyed inside the next test, where
    a responsiveness watch (stall_watch) would blame that test for the time it takes.
    """
    import gc

    yield
    QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    gc.collect()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def raw_ctx(tmp_path: Path, clock: Clock) -> Iterator[AppContext]:
    """A new, empty (not configured) database file."""
    ctx = open_database(str(tmp_path / "t.sqlite3"), clock=clock, seed_years=range(2025, 2028))
    yield ctx
    ctx.dispose()


@pytest.fixture
def ctx(raw_ctx: AppContext) -> AppContext:
    """A configured database: the commune profile and one officer (``ctx.test_officer_id``)."""
    setup.save_profile(
        raw_ctx,
        setup.ProfileInput(unit_name="UBND xã Phú Lạc", unit_code="000.00.53.H48", place_name="Phú Lạc",
                           province="Thái Nguyên"),
    )
    setup.set_hamlets(raw_ctx, ["Xóm Đồng Bầu", "Xóm Na Mao"])
    officer = setup.save_officer(raw_ctx, "lan.nt", "Nguyễn Thị Lan", role="quan_tri")
    raw_ctx.test_officer_id = officer.id  # type: ignore[attr-defined]
    return raw_ctx


MakeDossier = Callable[..., str]


@pytest.fixture
def make_dossier(ctx: AppContext) -> MakeDossier:
    """Receive a dossier through services.intake (the real use-case); returns its code."""
    procedures: dict[str, object] = {}

    def make(applicant_name: str = "Đặng Thị Ánh", *, search: str = "khai sinh",
             received_at: datetime | None = None, channel: Channel = Channel.TRUC_TIEP,
             officer_id: uuid.UUID | None = None, **overrides: object) -> str:
        if search not in procedures:
            found = catalogue.list_procedures(ctx, search=search)
            assert found, f"no procedure matches {search!r}"
            procedures[search] = found[0]
        procedure = procedures[search]
        draft = intake.DossierDraft(
            procedure_id=procedure.id,  # type: ignore[attr-defined]
            applicant_name=applicant_name,
            id_kind=IdKind.NONE,
            channel=channel,
            received_at=received_at or ctx.clock() - timedelta(hours=1),
            officer_id=officer_id or ctx.test_officer_id,  # type: ignore[attr-defined]
            **overrides,
        )
        return intake.receive_dossier(ctx, draft)

    return make


@pytest.fixture
def make_dossiers(make_dossier: MakeDossier) -> Callable[[int], list[str]]:
    """``n`` dossiers received one per 10 minutes going back from an hour before the clock."""

    def make(count: int, names: list[str] | None = None) -> list[str]:
        start = FIXED_NOW - timedelta(hours=1)
        names = names or [f"Nguyễn Văn Số {i:04d}" for i in range(count)]
        return [
            make_dossier(names[i % len(names)], received_at=start - timedelta(minutes=10 * i),
                         channel=Channel((i % 3) + 1))
            for i in range(count)
        ]

    return make


def send_text(widget: QWidget, text: str) -> None:
    """Type ``text`` into ``widget`` one key event per character.

    ``qtbot.keyClicks`` aborts the whole process on any non-ASCII character (qasciikey.cpp), so
    each character goes as a QKeyEvent with Key_unknown and the character as its text.
    """
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            event = QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, ch)
            QApplication.sendEvent(widget, event)


@pytest.fixture
def type_text() -> Callable[[QWidget, str], None]:
    """``type_text(widget, "Đặng Thị Ánh")``: real key events, safe for Vietnamese."""
    return send_text


def visible_message_boxes() -> list[QMessageBox]:
    """Visible message boxes, top-level or children of a window, each once."""
    found: dict[int, QMessageBox] = {}
    for top in QApplication.topLevelWidgets():
        for widget in [top, *top.findChildren(QMessageBox)]:
            if isinstance(widget, QMessageBox) and widget.isVisible():
                found[id(widget)] = widget
    return list(found.values())


def close_message_boxes() -> None:
    for box in visible_message_boxes():
        box.done(0)


@pytest.fixture
def message_boxes() -> Callable[[], list[QMessageBox]]:
    """The message boxes now shown (non-blocking ones opened with ``open()``)."""
    return visible_message_boxes

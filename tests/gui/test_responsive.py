"""The window never freezes (SPEC §10, issue 7 item 5).

While a QTimer ticks every 20 ms on the UI thread, the tests drive real widgets through work on
a register of demo dossiers; any gap of more than 250 ms between two ticks means the event loop
was blocked (the work ran on the UI thread, or a worker kept the GIL) and fails the test. Time
the system gave the processor to other processes is not counted (``stall_watch``). The speed of each operation at
200,000 dossiers is measured by the benchmark (``python -m bench``), not here.
"""

from __future__ import annotations

import random
import threading
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from desktop_app.services import campaigns, demo, dossiers
from desktop_app.services.context import AppContext, open_database
from desktop_app.storage.dossier_queries import DossierFilter
from desktop_app.ui.main_window import MainWindow

from . import stall_watch
from .conftest import send_text
from .stall_watch import STALL_MS, StallWatch

pytestmark = pytest.mark.slow

NOW = datetime(2026, 11, 20, 16, 0)
DOSSIERS = 10_000


@pytest.fixture(scope="module")
def register(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database of 10,000 demo dossiers over a year, made once for the module."""
    path = tmp_path_factory.mktemp("responsive") / "register.sqlite3"
    ctx = open_database(str(path), clock=lambda: NOW, seed_years=range(2025, 2028))
    try:
        demo.generate(ctx, DOSSIERS, seed=5, weeks=52, now=NOW)
    finally:
        ctx.dispose()
    return path


@pytest.fixture
def big_ctx(register: Path, tmp_path: Path):
    copy = tmp_path / "register.sqlite3"
    copy.write_bytes(register.read_bytes())
    ctx = open_database(str(copy), clock=lambda: NOW, seed_years=range(2025, 2028))
    yield ctx
    ctx.dispose()


@pytest.fixture
def big_window(big_ctx: AppContext, qtbot) -> MainWindow:
    win = MainWindow(big_ctx)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    # the start-up re-evaluation of date-dependent warnings runs on a worker; let it finish so
    # that each test watches its own operation (its effect is measured by the benchmark)
    qtbot.waitUntil(lambda: win._reevaluation_token is None, timeout=60_000)
    qtbot.wait(50)
    return win


def busy_ui_thread(ms: float) -> None:
    """Work (not sleep) on the UI thread for ``ms`` milliseconds."""
    end = time.perf_counter() + ms / 1000
    while time.perf_counter() < end:
        sum(range(1000))


def test_the_watch_sees_a_blocked_event_loop(qtbot) -> None:
    with StallWatch() as watch:
        qtbot.wait(100)
        QTimer.singleShot(0, lambda: busy_ui_thread(400))
        qtbot.wait(200)
    assert watch.ticks >= 5
    assert watch.worst_ms > STALL_MS  # the detector works: 400 ms of work on the UI thread is seen


def test_the_watch_sees_a_worker_that_keeps_the_gil(qtbot) -> None:
    rng = random.Random(7)
    numbers = [rng.random() for _ in range(1_500_000)]
    started = time.perf_counter()
    worker = threading.Thread(target=sorted, args=(numbers,))  # list sorting never lets the GIL go
    with StallWatch() as watch:
        qtbot.wait(60)
        worker.start()
        qtbot.waitUntil(lambda: not worker.is_alive(), timeout=30_000)
        qtbot.wait(60)
    held_ms = (time.perf_counter() - started) * 1000 - 120
    assert watch.worst_ms > min(held_ms * 0.5, STALL_MS), watch.verdict()


def test_time_the_system_gave_to_other_processes_is_not_counted(monkeypatch) -> None:
    readings = iter([(0.000, 10.0), (0.020, 10.0), (0.420, 390.0), (0.440, 390.0), (0.740, 392.0)])
    now = [0.0, 0.0]

    def advance() -> None:
        now[:] = next(readings)

    monkeypatch.setattr(stall_watch.time, "perf_counter", lambda: now[0])
    monkeypatch.setattr(stall_watch, "_queued_ms", lambda _path: now[1])
    watch = stall_watch.StallWatch()
    advance()
    watch.__enter__()
    for _ in range(4):
        advance()
        watch._tick()
    watch.timer.stop()
    # 400 ms between ticks of which 380 ms queued behind other processes: 20 ms is the app's;
    # 300 ms later with only 2 ms queued: 298 ms is the app's, the worst
    assert watch.worst_ms == pytest.approx(298.0)
    assert watch.worst_wall_ms == pytest.approx(300.0) and watch.worst_queued_ms == pytest.approx(2.0)
    assert "298 ms" in watch.verdict()


def test_typing_a_name_and_changing_filters_keep_the_window_responsive(big_window, qtbot) -> None:
    search = big_window.filter_bar.search_edit
    search.setFocus()
    with StallWatch() as watch:
        send_text(search, "Nguyễn Thị Hương")
        qtbot.waitUntil(lambda: big_window.model.dossier_filter.search == "Nguyễn Thị Hương", timeout=5000)
        assert big_window.model.rowCount() > 0
        big_window.model.row_at(0)
        combo = big_window.filter_bar.status_combo
        for index in [*range(1, combo.count()), 0]:
            combo.setCurrentIndex(index)
            QApplication.processEvents()
        search.clear()
        qtbot.waitUntil(lambda: big_window.model.dossier_filter.search == "", timeout=5000)
        qtbot.wait(50)
    shown = big_window.filter_bar.current_filter()
    assert big_window.model.rowCount() == dossiers.count(big_window.ctx, shown) > 1000
    assert watch.worst_ms < STALL_MS, watch.verdict()


def test_dashboard_figures_are_computed_off_the_ui_thread(big_ctx, big_window, qtbot) -> None:
    year = campaigns.save_campaign(big_ctx, campaigns.CampaignInput(
        name="Chiến dịch số hóa cả năm", start_date=date(2026, 1, 1), end_date=date(2026, 12, 31),
        targets={"digitised_dossiers": 80}))
    dashboard = big_window.dashboard
    with StallWatch() as watch:
        big_window.tabs.setCurrentWidget(dashboard)  # the dashboard refreshes itself when shown
        qtbot.waitUntil(lambda: not dashboard.busy, timeout=60_000)
        qtbot.wait(50)
        dashboard.select_campaign(year.id)
        qtbot.waitUntil(lambda: not dashboard.busy and dashboard.progress is not None
                        and dashboard.progress.campaign.id == year.id, timeout=60_000)
        qtbot.wait(50)
    assert dashboard.progress is not None and dashboard.progress.campaign.name == "Chiến dịch số hóa cả năm"
    assert watch.worst_ms < STALL_MS, watch.verdict()


def test_the_register_is_as_large_as_said(big_ctx) -> None:
    assert dossiers.count(big_ctx, DossierFilter()) == DOSSIERS
    newest = dossiers.list_page(big_ctx, DossierFilter(), limit=1)[0]
    assert NOW - timedelta(days=7) < newest.received_at <= NOW

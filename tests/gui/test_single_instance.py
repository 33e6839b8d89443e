"""A second Sổ Một Cửa on the same database file is refused with a message — tested with a real
first instance in another process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from desktop_app.services import setup
from desktop_app.services.context import open_database
from desktop_app.ui import app as app_module
from desktop_app.ui import single_instance

ROOT = Path(__file__).resolve().parents[2]


def configured_database(path: Path) -> Path:
    ctx = open_database(str(path))
    setup.save_profile(ctx, setup.ProfileInput(unit_name="UBND xã Phú Lạc", unit_code="000.00.53.H48",
                                               place_name="Phú Lạc", province="Thái Nguyên"))
    setup.save_officer(ctx, "lan.nt", "Nguyễn Thị Lan", role="quan_tri")
    ctx.dispose()
    return path


def start_first_instance(db: Path, tmp_path: Path) -> subprocess.Popen:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MOTCUA_DATA_DIR=str(tmp_path / "data-first"),
               HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "home" / ".config"))
    process = subprocess.Popen([sys.executable, "-m", "desktop_app", "--db", str(db)], cwd=ROOT, env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    lock = single_instance.lock_path(str(db))
    deadline = time.monotonic() + 30
    while not (lock.exists() and lock.stat().st_size > 0):
        if process.poll() is not None:
            pytest.fail(f"the first instance exited: {process.stderr.read().decode(errors='replace')}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("the first instance never took the lock")
        time.sleep(0.05)
    return process


def test_a_second_instance_on_the_same_file_is_refused_with_a_message(tmp_path, monkeypatch) -> None:
    db = configured_database(tmp_path / "motcua.sqlite3")
    first = start_first_instance(db, tmp_path)
    try:
        shown: list[tuple[str, str]] = []
        monkeypatch.setattr(app_module, "show_startup_error", lambda message, action: shown.append((message, action)))
        opened: list[object] = []
        monkeypatch.setattr(app_module, "open_database", lambda *a, **k: opened.append(a))
        assert app_module.run(str(db)) == 1
        assert opened == []  # refused before the database was even opened
        assert len(shown) == 1
        message, action = shown[0]
        assert "đang mở tệp dữ liệu này trong một cửa sổ khác" in message
        assert str(first.pid) in message
        assert "đóng cửa sổ đó rồi mở lại" in action
        assert first.poll() is None  # the first instance is not disturbed
        # a different database file is not locked
        assert single_instance.acquire(str(tmp_path / "khac.sqlite3")) is not None
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
        first.stderr.close()
    # the first instance died without cleaning up (a crash, a power cut): its lock is stale
    assert single_instance.lock_path(str(db)).exists()
    lock = single_instance.acquire(str(db))
    assert lock is not None and lock.isLocked()
    lock.unlock()


def test_postgresql_has_no_lock() -> None:
    assert single_instance.lock_path("postgresql+psycopg://motcua@localhost/motcua") is None
    assert single_instance.acquire("postgresql+psycopg://motcua@localhost/motcua") is None

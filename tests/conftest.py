"""Every test runs offscreen, on its own temporary data folder, never the user's."""

from __future__ import annotations

import os
from datetime import datetime

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: A fixed "now" for tests that create dossiers: Thursday 12/02/2026 10:00, before Tết 2026.
FIXED_NOW = datetime(2026, 2, 12, 10, 0)


@pytest.fixture(autouse=True)
def _isolated_data_dir(tmp_path_factory, monkeypatch):
    folder = tmp_path_factory.mktemp("data")
    monkeypatch.setenv("MOTCUA_DATA_DIR", str(folder))
    monkeypatch.delenv("MOTCUA_DB", raising=False)
    return folder


class Clock:
    """A settable clock passed to the services instead of the system time."""

    def __init__(self, now: datetime = FIXED_NOW) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def services_ctx(tmp_path, clock):
    """A fresh, configured database on a temporary SQLite file (profile + one officer)."""
    from desktop_app.services import setup
    from desktop_app.services.context import open_database

    ctx = open_database(str(tmp_path / "motcua.sqlite3"), clock=clock)
    setup.save_profile(
        ctx,
        setup.ProfileInput(unit_name="UBND xã Phú Lạc", unit_code="000.00.53.H48", place_name="Phú Lạc",
                           province="Thái Nguyên", head_name="Nguyễn Văn Hùng", head_title="Chủ tịch"),
    )
    setup.set_hamlets(ctx, ["Xóm Đồng Bầu", "Xóm Cầu Đá"])
    officer = setup.save_officer(ctx, "lan.nt", "Nguyễn Thị Lan", "quan_tri")
    ctx.test_officer_id = officer.id  # type: ignore[attr-defined]
    yield ctx
    ctx.dispose()

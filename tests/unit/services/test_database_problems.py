import sqlite3

import pytest

from desktop_app.services import intake
from desktop_app.storage.errors import DatabaseError

from .helpers import draft


@pytest.mark.sqlite_only  # another program holding SQLite's file write lock
def test_a_database_locked_by_another_program_gives_a_clear_message(services_ctx):
    path = services_ctx.engine.url.database
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    try:
        with pytest.raises(DatabaseError) as info:
            intake.receive_dossier(services_ctx, draft(services_ctx))
        assert "đang bị một chương trình khác khóa" in info.value.message
        assert "đóng các cửa sổ" in info.value.action
    finally:
        other.execute("ROLLBACK")
        other.close()
    # once the other program lets go, saving works and nothing half-written was left behind
    code = intake.receive_dossier(services_ctx, draft(services_ctx))
    assert code.endswith("-0001")

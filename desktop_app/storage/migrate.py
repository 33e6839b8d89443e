"""Schema versions: Alembic migrations under ``db/`` run from the app at start and by
``motcua init``."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from .bundle import migrations_path
from .errors import NewerSchemaError


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_path()))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head() or ""


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def needs_upgrade(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()


def known_revisions() -> set[str]:
    script = ScriptDirectory.from_config(_config())
    return {rev.revision for rev in script.walk_revisions()}


def check_not_newer(engine: Engine) -> None:
    """Refuse a database written by a newer version of the app (unknown revision)."""
    check_revision_known(current_revision(engine))


def check_revision_known(current: str | None) -> None:
    if current is None:
        return
    if current not in known_revisions():
        raise NewerSchemaError(
            "Tệp dữ liệu này được tạo bởi phiên bản Sổ Một Cửa mới hơn phiên bản đang chạy.",
            "Hãy cài phiên bản mới nhất của chương trình rồi mở lại; dữ liệu không bị thay đổi.",
        )


def upgrade(engine: Engine) -> None:
    """Bring the schema to the newest revision (creates it on an empty database)."""
    check_not_newer(engine)
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def has_schema(engine: Engine) -> bool:
    return inspect(engine).has_table("dossier")

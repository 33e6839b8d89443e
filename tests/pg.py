"""A throw-away PostgreSQL server for the test session.

The storage and service suites run on SQLite and on PostgreSQL. This module finds the server
programs of the Debian package (``/usr/lib/postgresql/<version>/bin``, installed by
``scripts/bootstrap.py test``), creates a cluster in a temporary folder with ``initdb`` and starts
it with ``pg_ctl`` on a free port of the loopback interface only (``listen_addresses=127.0.0.1``,
the socket in the same temporary folder, ``fsync=off``: the data is thrown away). PostgreSQL
refuses to run as root, so as root the programs run as the ``postgres`` system user (created by
the package) through ``runuser``, in a folder that user owns.

Each test gets its own database, copied (``CREATE DATABASE … TEMPLATE``) from a template database
that already has the migrations and the seeded catalogue: a copy takes a few milliseconds where
the migrations take a second.

When the server cannot be found or started, PostgreSQL tests fail if ``CI=true`` (the suite must
run there) and are skipped with the reason otherwise.
"""

from __future__ import annotations

import itertools
import os
import re
import shutil
import socket
import subprocess
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

#: Where Debian's postgresql-NN package puts the server programs.
DEBIAN_BIN_GLOB = "/usr/lib/postgresql/*/bin"
#: A folder holding initdb and pg_ctl, to use another installation.
ENV_BIN = "MOTCUA_PG_BIN"
SUPERUSER = "postgres"
TEMPLATE_DB = "motcua_template"


class PgUnavailable(RuntimeError):
    """PostgreSQL cannot be found or started here (the message says why)."""


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def find_bin_dir() -> Path:
    """The folder of ``initdb`` and ``pg_ctl``: ``MOTCUA_PG_BIN``, the newest Debian version, or PATH."""
    override = os.environ.get(ENV_BIN)

    def version(path: Path) -> tuple[int, ...]:
        return tuple(int(n) for n in re.findall(r"\d+", path.parent.name)) or (0,)

    if override:
        candidates = [Path(override)]
    else:
        candidates = sorted(Path("/").glob(DEBIAN_BIN_GLOB.lstrip("/")), key=version, reverse=True)
        on_path = shutil.which("initdb")
        if on_path:
            candidates.append(Path(on_path).parent)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PgUnavailable(
        "PostgreSQL server programs (initdb, pg_ctl) not found under "
        f"{DEBIAN_BIN_GLOB} or on PATH; install the Debian package `postgresql` "
        "(python3 scripts/bootstrap.py test does it as root)"
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class PgServer:
    """A running throw-away cluster; :meth:`url` names a database on it."""

    bin_dir: Path
    root: Path
    port: int = 0
    _runas: list[str] = field(default_factory=list)
    _counter: itertools.count = field(default_factory=lambda: itertools.count(1))

    @property
    def data(self) -> Path:
        return self.root / "data"

    @property
    def log(self) -> Path:
        return self.root / "server.log"

    def url(self, database: str) -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def _run(self, *args: str, timeout: float = 120) -> None:
        cmd = [*self._runas, str(self.bin_dir / args[0]), *args[1:]]
        result = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False,
                                stdin=subprocess.DEVNULL)
        if result.returncode != 0:
            log = self.log.read_text(errors="replace")[-2000:] if self.log.exists() else ""
            raise PgUnavailable(f"{' '.join(cmd)} failed ({result.returncode}):\n"
                                f"{result.stdout}{result.stderr}{log}")

    def start(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", SUPERUSER, "-A", "trust", "-E", "UTF8",
                  "--locale=C", "--no-sync")
        self.port = _free_port()
        options = (f"-k {self.root} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=60")
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-w", "-t", "60",
                  "-o", options, "start")

    def stop(self) -> None:
        if self.data.exists():
            try:
                self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", timeout=60)
            except (PgUnavailable, subprocess.TimeoutExpired):
                pass
        shutil.rmtree(self.root, ignore_errors=True)

    # -------------------------------------------------------------- databases

    def admin(self, sql: str) -> None:
        """Run one statement outside a transaction (CREATE/DROP DATABASE) as the superuser."""
        import psycopg

        with psycopg.connect(host="127.0.0.1", port=self.port, user=SUPERUSER, dbname="postgres",
                             autocommit=True) as conn:
            conn.execute(sql)

    def new_database_name(self) -> str:
        return f"motcua_test_{next(self._counter)}"

    def create_database(self, template: str | None = TEMPLATE_DB) -> str:
        """A new database (a copy of ``template``); its name."""
        name = self.new_database_name()
        self.admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def drop_database(self, name: str) -> None:
        self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def start_server() -> PgServer:
    """Find, initialise and start a server in a new temporary folder (raises PgUnavailable)."""
    bin_dir = find_bin_dir()
    runas: list[str] = []
    root = Path(tempfile.mkdtemp(prefix="motcua-pg-"))
    if os.name == "posix" and os.geteuid() == 0:
        import pwd

        try:
            user = pwd.getpwnam(SUPERUSER)
        except KeyError:
            shutil.rmtree(root, ignore_errors=True)
            raise PgUnavailable("running as root and there is no `postgres` system user to run "
                                "the server as (it comes with the Debian package `postgresql`)") from None
        os.chown(root, user.pw_uid, user.pw_gid)
        runner = shutil.which("runuser")
        if not runner:
            shutil.rmtree(root, ignore_errors=True)
            raise PgUnavailable("running as root without `runuser` (util-linux) to start PostgreSQL")
        runas = [runner, "-u", SUPERUSER, "--"]
    server = PgServer(bin_dir=bin_dir, root=root, _runas=runas)
    try:
        server.start()
    except BaseException:
        server.stop()
        raise
    return server


def prepare_template(server: PgServer) -> None:
    """The template database: migrations applied and the catalogue, holidays and presets seeded."""
    from datetime import datetime

    from desktop_app.services.context import open_database

    server.admin(f'CREATE DATABASE "{TEMPLATE_DB}"')
    ctx = open_database(server.url(TEMPLATE_DB), clock=lambda: datetime(2026, 2, 12, 10, 0))
    ctx.dispose()

"""What every ``motcua`` command shares: exit codes, output helpers, option types, the
:class:`Command` entry that a command module lists in its ``COMMANDS``."""

from __future__ import annotations

import argparse
import json
import sys
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from typing import Any

from ..services.context import AppContext, open_database
from ..storage.bundle import bundle_root
from ..storage.engine import sqlite_path
from ..storage.errors import UserFixableError

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_INTERRUPTED = 0, 1, 2, 130

#: Used when neither the package metadata nor pyproject.toml is there (the frozen build);
#: a test keeps it equal to pyproject.toml's version.
FALLBACK_VERSION = "0.1.0"
DISTRIBUTION = "so-mot-cua"


def read_version() -> str:
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        pass
    try:
        data = tomllib.loads((bundle_root() / "pyproject.toml").read_text(encoding="utf-8"))
        return str(data["project"]["version"])
    except (OSError, KeyError, TypeError, tomllib.TOMLDecodeError):
        return FALLBACK_VERSION


VERSION = read_version()


class UsageError(Exception):
    """Arguments that argparse accepted but that do not go together (exit code 2)."""


# ---------------------------------------------------------------------------- output helpers


def number(value: int) -> str:
    """``12345`` → ``12.345`` (Vietnamese thousands separator)."""
    return f"{value:,}".replace(",", ".")


def day_text(moment: datetime | None) -> str:
    return f"{moment:%d/%m/%Y}" if moment else "—"


def database_text(ctx: AppContext) -> str:
    """The database file, or the server URL without its password."""
    path = sqlite_path(ctx.url)
    if path is not None:
        return str(path)
    from sqlalchemy.engine import make_url

    return make_url(ctx.url).render_as_string(hide_password=True)


def print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def error_message(error: UserFixableError) -> str:
    errors = getattr(error, "errors", None)
    if isinstance(errors, dict) and errors:  # ValidationFailed: the field messages say it all
        return "Lỗi: " + " ".join(message.rstrip(".") + "." for message in errors.values())
    return f"Lỗi: {error.message} {error.action}".strip()


def use_utf8() -> None:
    """Vietnamese must print on a Windows console (cp1252/cp437) and through pipes."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:  # no console at all (pythonw) or a replaced stream
            continue
        try:
            reconfigure(encoding="utf-8", errors="replace")
        except (ValueError, OSError):
            pass


def open_context(args: argparse.Namespace) -> AppContext:
    """Open the database and set the acting officer (``--officer``, else the default one).

    An unknown ``--officer`` is refused (UserFixableError, exit code 1) before anything is written."""
    ctx = open_database(args.db)
    try:
        ctx.officer_id = acting_officer(ctx, getattr(args, "officer", None))
    except BaseException:
        ctx.dispose()
        raise
    return ctx


def acting_officer(ctx: AppContext, username: str | None):
    """The id of ``--officer`` (refused when unknown), else of the default officer, else None."""
    from ..services import accounts

    if username:
        return accounts.officer_by_username(ctx, username).id
    officer = accounts.default_officer(ctx)
    return officer.id if officer is not None else None




@dataclass(frozen=True)
class Command:
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    needs_logging: bool = True


# ---------------------------------------------------------------------------- option types


def positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” không phải là số nguyên") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"phải lớn hơn 0 (đang là {value})")
    return value


def integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” không phải là số nguyên") from None


def day_option(text: str):
    from ..domain.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def period_options(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument("--from", dest="date_from", type=day_option, required=required, metavar="NGÀY",
                        help="từ ngày (yyyy-mm-dd hoặc dd/mm/yyyy), tính cả ngày này")
    parser.add_argument("--to", dest="date_to", type=day_option, required=required, metavar="NGÀY",
                        help="đến ngày, tính cả ngày này")


def check_period(args: argparse.Namespace) -> None:
    if (args.date_from is None) != (args.date_to is None):
        raise UsageError("cần cả --from và --to")
    if args.date_from is not None and args.date_from > args.date_to:
        raise UsageError("--from phải trước hoặc bằng --to")


def points_text(value) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")

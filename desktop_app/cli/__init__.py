"""The ``motcua`` command (SPEC §8): ``motcua [--db …] [LỆNH] …``.

Each sub-command is one entry of a ``COMMANDS`` table in one of the command modules of this
package (``setup_commands``, ``stats_commands`` …): a help line, a function that adds its
arguments to its parser, and a handler that runs it and returns the exit code. A new group of
commands is a new module listed in :data:`COMMAND_MODULES`; the handlers call the services, as
the GUI does, and never run SQL themselves.

Exit codes: 0 success; 1 bad input or refused operation (a Vietnamese message on stderr, nothing
written); 2 wrong usage (argparse). ``--db`` (or ``MOTCUA_DB``) chooses the database and
``--json`` prints machine-readable output; both are accepted before or after the command name.
"""

from __future__ import annotations

import argparse
import logging
import re
import sys
import traceback
from collections.abc import Sequence
from typing import Any, NoReturn

from ..storage.errors import UserFixableError, translate
from . import (
    audit_commands,
    document_commands,
    excel_commands,
    export_commands,
    safety_commands,
    setup_commands,
    stats_commands,
)
from .common import (
    EXIT_INTERRUPTED,
    EXIT_REFUSED,
    EXIT_USAGE,
    FALLBACK_VERSION,
    VERSION,
    Command,
    UsageError,
    error_message,
    read_version,
    use_utf8,
)

log = logging.getLogger(__name__)

#: The command modules, in the order their commands are listed in ``motcua --help``.
COMMAND_MODULES = (setup_commands, stats_commands, audit_commands, document_commands, excel_commands,
                   export_commands, safety_commands)
COMMANDS: dict[str, Command] = {name: command for module in COMMAND_MODULES
                                for name, command in module.COMMANDS.items()}
DEFAULT_COMMAND = "gui"


# ---------------------------------------------------------------------------- argparse in Vietnamese

#: argparse's own messages (English, from the standard library) → Vietnamese.
_ARGPARSE_MESSAGES = (
    (re.compile(r"argument (\S+): invalid choice: '?([^' ]+)'? \(choose from (.+)\)"),
     r"“\1”: không có lựa chọn “\2” (chọn một trong: \3)"),
    (re.compile(r"invalid choice: '?([^' ]+)'? \(choose from (.+)\)"),
     r"không có lựa chọn “\1” (chọn một trong: \2)"),
    (re.compile(r"the following arguments are required: (.+)"), r"thiếu tham số bắt buộc: \1"),
    (re.compile(r"unrecognized arguments: (.+)"), r"không hiểu tham số: \1"),
    (re.compile(r"argument (\S+): expected one argument"), r"“\1” cần một giá trị"),
    (re.compile(r"argument (\S+): invalid \S+ value: (.+)"), r"“\1”: giá trị \2 không hợp lệ"),
    (re.compile(r"argument (\S+): (.+)"), r"“\1”: \2"),
    (re.compile(r"ambiguous option: (.+)"), r"tùy chọn không rõ ràng: \1"),
)


def _vietnamese(message: str) -> str:
    for pattern, replacement in _ARGPARSE_MESSAGES:
        if pattern.search(message):
            return pattern.sub(replacement, message, count=1)
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, prefix="Cách dùng: " if prefix is None else prefix)


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self._positionals.title = "tham số"
        self._optionals.title = "tùy chọn"
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS,
                          help="xem hướng dẫn này rồi thoát")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: lỗi: {_vietnamese(message)}\n")


def _shared_options(main: bool) -> argparse.ArgumentParser:
    """``--db``, ``--json`` and ``--officer``, on the main parser and on every sub-command.

    On sub-commands their default is SUPPRESS, so a value given before the command name is not
    overwritten when it is absent after it."""
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--db", metavar="ĐƯỜNG_DẪN_HOẶC_URL", default=None if main else argparse.SUPPRESS,
                        help="tệp dữ liệu (.sqlite3) hoặc địa chỉ SQLAlchemy (postgresql+psycopg://…); "
                             "mặc định lấy từ biến môi trường MOTCUA_DB, nếu không có thì dùng tệp trong "
                             "thư mục dữ liệu của người dùng")
    shared.add_argument("--json", action="store_true", default=False if main else argparse.SUPPRESS,
                        help="in kết quả dạng JSON (UTF-8) để chương trình khác đọc")
    shared.add_argument("--officer", metavar="TÊN_ĐĂNG_NHẬP", default=None if main else argparse.SUPPRESS,
                        help="cán bộ thực hiện lệnh, ghi vào nhật ký thay đổi; mặc định là cán bộ ghi trong "
                             "cài đặt cli.default_officer, hoặc cán bộ duy nhất của đơn vị")
    return shared


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="motcua",
        description="Sổ Một Cửa — sổ theo dõi hồ sơ của Bộ phận Một cửa cấp xã, chạy không cần mạng.",
        epilog="Xem hướng dẫn của từng lệnh: motcua LỆNH --help",
        parents=[_shared_options(main=True)],
    )
    parser.add_argument("--version", action="version", version=f"motcua {VERSION}",
                        help="in số phiên bản rồi thoát")
    commands = parser.add_subparsers(dest="command", metavar="LỆNH", title="các lệnh", parser_class=_Parser)
    for name, command in COMMANDS.items():
        sub = commands.add_parser(name, help=command.help, parents=[_shared_options(main=False)],
                                  description=command.help[:1].upper() + command.help[1:])
        command.configure(sub)
        sub.set_defaults(_parser=sub)
    return parser


# ---------------------------------------------------------------------------- main


def _setup_logging() -> str | None:
    from ..services import logs

    try:
        return str(logs.setup_logging())
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    use_utf8()
    parser = build_parser()
    args = parser.parse_args(argv)
    name = args.command or DEFAULT_COMMAND
    command = COMMANDS[name]
    log_file = _setup_logging() if command.needs_logging else None
    try:
        return command.run(args)
    except UsageError as error:
        getattr(args, "_parser", parser).print_usage(sys.stderr)
        print(f"motcua {name}: lỗi: {error}", file=sys.stderr)
        return EXIT_USAGE
    except UserFixableError as error:
        print(error_message(error), file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("\nĐã dừng theo yêu cầu.", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as error:
        fixable = translate(error)
        if fixable is not None:
            print(error_message(fixable), file=sys.stderr)
            return EXIT_REFUSED
        log_file = log_file or _setup_logging()
        if log_file:
            log.exception("Unexpected error in 'motcua %s'", name)
            print(f"Lỗi không mong muốn ({type(error).__name__}). "
                  f"Chi tiết đã ghi vào tệp nhật ký: {log_file}", file=sys.stderr)
        else:  # no log file to write to: the details go to the console instead
            traceback.print_exc()
            print(f"Lỗi không mong muốn ({type(error).__name__}).", file=sys.stderr)
        return EXIT_REFUSED


__all__ = ["COMMANDS", "FALLBACK_VERSION", "VERSION", "Command", "build_parser", "main", "read_version"]

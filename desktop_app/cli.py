"""The ``motcua`` command (SPEC §8): ``motcua [--db …] [LỆNH] …``.

Each sub-command is one entry of :data:`COMMANDS`: a help line, a function that adds its
arguments to its parser, and a handler that runs it and returns the exit code. A new command
(stats, warnings, report, import, export, backup, usb, print …) is a new entry; the handlers
call the services, as the GUI does, and never run SQL themselves.

Exit codes: 0 success; 1 bad input or refused operation (a Vietnamese message on stderr, nothing
written); 2 wrong usage (argparse). ``--db`` (or ``MOTCUA_DB``) chooses the database and
``--json`` prints machine-readable output; both are accepted before or after the command name.
"""

from __future__ import annotations

import argparse
import json
import logging
import re
import sys
import time
import tomllib
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from importlib import metadata
from typing import Any, NoReturn

from .services.context import AppContext, open_database
from .storage.bundle import bundle_root
from .storage.engine import sqlite_path
from .storage.errors import UserFixableError, translate

log = logging.getLogger(__name__)

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


def _use_utf8() -> None:
    """Vietnamese must print on a Windows console (cp1252/cp437) and through pipes."""
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is None:  # no console at all (pythonw) or a replaced stream
            continue
        try:
            reconfigure(encoding="utf-8", errors="replace")
        except (ValueError, OSError):
            pass


def _open(args: argparse.Namespace) -> AppContext:
    return open_database(args.db)


# ---------------------------------------------------------------------------- gui


def _configure_gui(parser: argparse.ArgumentParser) -> None:
    pass


def run_gui(args: argparse.Namespace) -> int:
    from .ui.app import run  # Qt is loaded only for the window, not for the other commands

    return run(args.db)


# ---------------------------------------------------------------------------- init

_LEVEL_PREFIX = re.compile(
    r"^(?:UBND|Ủy ban nhân dân|Uỷ ban nhân dân)?\s*(?:xã|phường|thị trấn|đặc khu)\s+", re.IGNORECASE
)
_PROFILE_OPTIONS = {
    "unit_name": "--unit-name",
    "unit_code": "--unit-code",
    "place_name": "--place-name",
    "province": "--province",
    "parent_agency": "--parent-agency",
    "head_name": "--head-name",
    "head_title": "--head-title",
}


def _configure_init(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("thông tin đơn vị (có thể khai báo sau trong chương trình)")
    group.add_argument("--unit-name", metavar="TÊN", help="tên đơn vị, ví dụ “UBND xã Phú Lạc”")
    group.add_argument("--unit-code", metavar="MÃ", help="mã đơn vị dùng trong mã hồ sơ, ví dụ 000.00.53.H48")
    group.add_argument("--place-name", metavar="ĐỊA_DANH",
                       help="địa danh ghi trên văn bản (“Phú Lạc, ngày … tháng … năm …”); "
                            "mặc định lấy từ tên đơn vị")
    group.add_argument("--province", metavar="TỈNH", help="tỉnh, thành phố, ví dụ “Thái Nguyên”")
    group.add_argument("--parent-agency", metavar="TÊN", help="cơ quan chủ quản (dòng trên tên đơn vị)")
    group.add_argument("--head-name", metavar="HỌ_TÊN", help="họ tên người ký báo cáo")
    group.add_argument("--head-title", metavar="CHỨC_VỤ", help="chức vụ người ký báo cáo")
    officer = parser.add_argument_group("cán bộ đầu tiên (tên đăng nhập và họ tên đi cùng nhau)")
    officer.add_argument("--officer-username", metavar="TÊN_ĐĂNG_NHẬP", help="ví dụ: lan.nt")
    officer.add_argument("--officer-name", metavar="HỌ_TÊN", help="ví dụ: “Nguyễn Thị Lan”")
    officer.add_argument("--officer-role", choices=("quan_tri", "lanh_dao", "tiep_nhan"), default="quan_tri",
                         help="vai trò: quan_tri (quản trị, mặc định), lanh_dao (lãnh đạo), "
                              "tiep_nhan (cán bộ tiếp nhận)")


def _place_from_unit(unit_name: str) -> str:
    """“UBND xã Phú Lạc” → “Phú Lạc”."""
    return _LEVEL_PREFIX.sub("", unit_name.strip()).strip()


def run_init(args: argparse.Namespace) -> int:
    from .services import catalogue, holidays, setup

    if bool(args.officer_username) != bool(args.officer_name):
        raise UsageError("--officer-username và --officer-name phải dùng cùng nhau.")
    given = {field: getattr(args, field) for field in _PROFILE_OPTIONS if getattr(args, field) is not None}
    if given:
        _check_profile_fields(given)  # before anything is created

    ctx = _open(args)
    try:
        profile = setup.get_profile(ctx)
        if given:
            values = {field: getattr(profile, field) for field in _PROFILE_OPTIONS} if profile else {}
            values.update(given)
            if not values.get("place_name") and values.get("unit_name"):
                values["place_name"] = _place_from_unit(values["unit_name"])
            current = vars(setup.ProfileInput(unit_name="", unit_code=""))
            if profile is not None:
                current.update(offers_e_certified_copy=profile.offers_e_certified_copy,
                               attachment_limit_mb=profile.attachment_limit_mb)
            current.update(values)
            profile = setup.save_profile(ctx, setup.ProfileInput(**current))
        if args.officer_username:
            username = args.officer_username.strip().lower()
            officers = setup.list_officers(ctx, include_inactive=True)
            existing = next((o for o in officers if o.username == username), None)
            setup.save_officer(ctx, username, args.officer_name, args.officer_role,
                               officer_id=existing.id if existing else None)
        procedures = catalogue.list_procedures(ctx, include_inactive=True)
        days = holidays.list_holidays(ctx)
        officers = setup.list_officers(ctx)
        years = sorted({d.day.year for d in days})
        summary = {
            "database": database_text(ctx),
            "procedures": len(procedures),
            "active_procedures": sum(1 for p in procedures if p.active),
            "holidays": len(days),
            "holiday_years": [years[0], years[-1]] if years else [],
            "profile": None if profile is None else {
                "unit_name": profile.unit_name, "unit_code": profile.unit_code,
                "place_name": profile.place_name, "province": profile.province,
            },
            "officers": len(officers),
            "dossiers": setup.dossier_total(ctx),
        }
    finally:
        ctx.dispose()

    if args.json:
        print_json(summary)
        return EXIT_OK
    print(f"Đã sẵn sàng cơ sở dữ liệu: {summary['database']}")
    print(f"  Thủ tục hành chính trong danh mục: {number(summary['procedures'])}"
          f" (đang áp dụng: {number(summary['active_procedures'])})")
    span = f" (năm {years[0]}–{years[-1]})" if years else ""
    print(f"  Ngày nghỉ lễ, nghỉ bù và ngày làm bù: {number(summary['holidays'])}{span}")
    if profile is None:
        print("  Chưa khai báo thông tin đơn vị: chạy lại với --unit-name, --unit-code, --place-name "
              "hoặc mở chương trình để khai báo.")
    else:
        print(f"  Đơn vị: {profile.unit_name} (mã đơn vị {profile.unit_code})")
    print(f"  Cán bộ: {number(summary['officers'])} · Hồ sơ trong sổ: {number(summary['dossiers'])}")
    return EXIT_OK


def _check_profile_fields(given: dict[str, str]) -> None:
    from .services import setup
    from .services.intake import ValidationFailed

    placeholder = setup.ProfileInput(unit_name="x", unit_code="X", place_name="x")
    for field, value in given.items():
        setattr(placeholder, field, value)
    errors = {field: message for field, message in setup.validate_profile(placeholder).items()
              if field in given}
    if errors:
        raise ValidationFailed(errors)


# ---------------------------------------------------------------------------- demo


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” không phải là số nguyên") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"phải lớn hơn 0 (đang là {value})")
    return value


def _integer(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” không phải là số nguyên") from None


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dossiers", type=_positive, required=True, metavar="N",
                        help="số hồ sơ mẫu cần thêm")
    parser.add_argument("--seed", type=_integer, default=1, metavar="S",
                        help="hạt giống ngẫu nhiên: cùng hạt giống, cùng ngày giờ và cùng dữ liệu sẵn có "
                             "cho cùng kết quả (mặc định 1)")
    parser.add_argument("--weeks", type=_positive, default=12, metavar="W",
                        help="hồ sơ được tiếp nhận rải đều trong W tuần gần nhất (mặc định 12)")


def run_demo(args: argparse.Namespace) -> int:
    from .domain.status import Channel, Status
    from .services import demo

    show_progress = not args.json and sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        print(f"\rĐang tạo hồ sơ mẫu: {number(done)}/{number(total)}", end="", file=sys.stderr, flush=True)

    ctx = _open(args)
    started = time.perf_counter()
    try:
        summary = demo.generate(ctx, args.dossiers, seed=args.seed, weeks=args.weeks,
                                progress=progress if show_progress else None)
        database = database_text(ctx)
    finally:
        if show_progress:
            print(file=sys.stderr)
        ctx.dispose()
    seconds = time.perf_counter() - started
    log.info("demo: %d dossiers added in %.1f s", summary.dossiers, seconds)

    if args.json:
        print_json({
            "database": database,
            "dossiers": summary.dossiers,
            "components": summary.components,
            "status_changes": summary.status_changes,
            "supplement_requests": summary.supplement_requests,
            "warnings": summary.warnings,
            "first_received": summary.first_received.isoformat() if summary.first_received else None,
            "last_received": summary.last_received.isoformat() if summary.last_received else None,
            "statuses": {str(code): n for code, n in summary.statuses.items()},
            "channels": {str(code): n for code, n in summary.channels.items()},
            "profile_created": summary.profile_created,
            "officers_created": summary.officers_created,
            "seconds": round(seconds, 2),
        })
        return EXIT_OK
    print(f"Đã thêm {number(summary.dossiers)} hồ sơ mẫu vào {database}")
    print(f"  Tiếp nhận từ {day_text(summary.first_received)} đến {day_text(summary.last_received)}")
    print("  Hình thức nộp: " + " · ".join(
        f"{Channel(code).label} {number(n)}" for code, n in summary.channels.items()))
    print("  Trạng thái: " + " · ".join(
        f"{Status(code).label} {number(n)}"
        for code, n in sorted(summary.statuses.items(), key=lambda item: -item[1])))
    print(f"  Thành phần hồ sơ: {number(summary.components)} · Lượt chuyển trạng thái: "
          f"{number(summary.status_changes)} · Yêu cầu bổ sung: {number(summary.supplement_requests)} · "
          f"Cảnh báo: {number(summary.warnings)}")
    if summary.profile_created:
        print(f"  Đã tạo đơn vị mẫu “{demo.DEMO_PROFILE.unit_name}” (mã {summary.unit_code}).")
    if summary.officers_created:
        print(f"  Đã tạo {summary.officers_created} cán bộ mẫu.")
    print(f"  Thời gian: {seconds:.1f} giây".replace(".", ","))
    return EXIT_OK


# ---------------------------------------------------------------------------- stats, warnings


def _day(text: str):
    from .domain.dates import parse_date

    try:
        return parse_date(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _period_options(parser: argparse.ArgumentParser, required: bool) -> None:
    parser.add_argument("--from", dest="date_from", type=_day, required=required, metavar="NGÀY",
                        help="từ ngày (yyyy-mm-dd hoặc dd/mm/yyyy), tính cả ngày này")
    parser.add_argument("--to", dest="date_to", type=_day, required=required, metavar="NGÀY",
                        help="đến ngày, tính cả ngày này")


def _check_period(args: argparse.Namespace) -> None:
    if (args.date_from is None) != (args.date_to is None):
        raise UsageError("cần cả --from và --to")
    if args.date_from is not None and args.date_from > args.date_to:
        raise UsageError("--from phải trước hoặc bằng --to")


def _configure_stats(parser: argparse.ArgumentParser) -> None:
    _period_options(parser, required=True)


def _points(value) -> str:
    return "—" if value is None else f"{value:.2f}".replace(".", ",")


def run_stats(args: argparse.Namespace) -> int:
    from .domain.rules import RULES_BY_CODE
    from .services import stats

    _check_period(args)
    ctx = _open(args)
    try:
        result = stats.compute(ctx, args.date_from, args.date_to)
    finally:
        ctx.dispose()
    data = result.as_json()
    if args.json:
        print_json(data)
        return EXIT_OK
    counts = data["counts"]
    print(f"Thống kê từ {args.date_from:%d/%m/%Y} đến {args.date_to:%d/%m/%Y} "
          f"(bộ chỉ số {data['scoring_version']})")
    if counts["received"] == 0 and result.counts.counts["processed"] == 0:
        print("  Không có dữ liệu: không có hồ sơ nào tiếp nhận hoặc xử lý trong kỳ.")
    print(f"  Tiếp nhận: {number(counts['received'])} (trực tiếp {number(counts['direct'])}, "
          f"trực tuyến {number(counts['online'])}, bưu chính {number(counts['postal'])})")
    print(f"  Đã xử lý xong: {number(counts['finished'])} (đúng hạn {number(counts['finished_on_time'])}, "
          f"quá hạn {number(counts['finished_late'])}); đang xử lý: trong hạn "
          f"{number(counts['open_within_time'])}, quá hạn {number(counts['open_overdue'])}")
    print("  Chỉ số 766 (điểm ước tính):")
    for item in result.card.indicators:
        ratio = "không có dữ liệu" if item.ratio is None else f"{item.numerator}/{item.denominator} = " \
            f"{_points(item.ratio)} %"
        print(f"    {item.name}: {ratio} → {_points(item.points)}/{_points(item.max_points)}")
    print("  Theo nhóm (điểm / tối đa đo được / tối đa):")
    for group in result.card.groups:
        print(f"    {group.name}: {_points(group.points)} / {_points(group.measured_max)} / {_points(group.max_points)}")
    print(f"  Tổng: {_points(result.card.total)} / {_points(result.card.measured_max)} điểm đo được tại đây")
    active = {code: n for code, n in data["warnings"].items() if n}
    if active:
        print("  Cảnh báo: " + " · ".join(f"{RULES_BY_CODE[c].title} {number(n)}" for c, n in active.items()))
    return EXIT_OK


def _configure_warnings(parser: argparse.ArgumentParser) -> None:
    _period_options(parser, required=False)


def run_warnings(args: argparse.Namespace) -> int:
    from .domain.rules import RULES_BY_CODE
    from .services import warnings

    _check_period(args)
    ctx = _open(args)
    try:
        items = warnings.open_warnings(ctx, args.date_from, args.date_to)
    finally:
        ctx.dispose()
    if args.json:
        print_json([{"dossier": i.code, "rule": i.rule, "points_at_stake": float(i.points_at_stake)} for i in items])
        return EXIT_OK
    if not items:
        print("Không có cảnh báo nào.")
        return EXIT_OK
    for item in items:
        print(f"{item.code}  {_points(item.points_at_stake):>6} điểm  {RULES_BY_CODE[item.rule].title}")
    print(f"Tổng cộng {number(len(items))} cảnh báo.")
    return EXIT_OK


# ---------------------------------------------------------------------------- the command table


@dataclass(frozen=True)
class Command:
    help: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    needs_logging: bool = True


COMMANDS: dict[str, Command] = {
    "gui": Command("mở cửa sổ chương trình (mặc định khi không có lệnh)", _configure_gui, run_gui,
                   needs_logging=False),  # the window sets up its own log
    "init": Command("tạo hoặc nâng cấp cơ sở dữ liệu, nạp danh mục thủ tục và ngày nghỉ lễ", _configure_init,
                    run_init),
    "demo": Command("thêm hồ sơ mẫu như thật để dùng thử và đo tốc độ", _configure_demo, run_demo),
    "stats": Command("thống kê và điểm 766 ước tính của một kỳ", _configure_stats, run_stats),
    "warnings": Command("danh sách cảnh báo đang mở, kèm số điểm có thể lấy lại", _configure_warnings,
                        run_warnings),
}
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
    """``--db`` and ``--json``, on the main parser and on every sub-command.

    On sub-commands their default is SUPPRESS, so a value given before the command name is not
    overwritten when it is absent after it."""
    shared = argparse.ArgumentParser(add_help=False)
    shared.add_argument("--db", metavar="ĐƯỜNG_DẪN_HOẶC_URL", default=None if main else argparse.SUPPRESS,
                        help="tệp dữ liệu (.sqlite3) hoặc địa chỉ SQLAlchemy (postgresql+psycopg://…); "
                             "mặc định lấy từ biến môi trường MOTCUA_DB, nếu không có thì dùng tệp trong "
                             "thư mục dữ liệu của người dùng")
    shared.add_argument("--json", action="store_true", default=False if main else argparse.SUPPRESS,
                        help="in kết quả dạng JSON (UTF-8) để chương trình khác đọc")
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
    from .services import logs

    try:
        return str(logs.setup_logging())
    except OSError:
        return None


def main(argv: Sequence[str] | None = None) -> int:
    _use_utf8()
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
    except Exception as error:  # noqa: BLE001 - the last resort: log it, say where
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


__all__ = ["main", "build_parser", "COMMANDS", "Command", "VERSION", "FALLBACK_VERSION", "read_version"]

"""``motcua backup``, ``motcua restore`` and ``motcua check``: backups through SQLite's online
backup API, restore with a safety backup first, and the integrity check (docs/SAFETY.md)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..storage.errors import UserFixableError
from .common import EXIT_OK, EXIT_REFUSED, Command, number, open_context, print_json


def _configure_backup(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--to", metavar="THƯ_MỤC_HOẶC_TỆP", type=Path, default=None,
                        help="nơi ghi bản sao lưu (ví dụ ổ USB); mặc định là thư mục backups bên cạnh tệp "
                             "dữ liệu, có xoay vòng giữ 7 bản theo ngày, 4 theo tuần, 12 theo tháng")


def run_backup(args: argparse.Namespace) -> int:
    from ..services import backups

    ctx = open_context(args)
    try:
        if args.to is not None:
            path = backups.write_backup(ctx, args.to)
        else:
            path = backups.backup_now(ctx, "manual")
            if path is None:  # PostgreSQL
                raise UserFixableError(
                    "Cơ sở dữ liệu dùng chung (PostgreSQL) được sao lưu trên máy chủ bằng pg_dump.",
                    "Hãy nhờ người quản trị máy chủ (xem docs/SAFETY.md).")
    finally:
        ctx.dispose()
    size = path.stat().st_size
    if args.json:
        print_json({"backup": str(path), "bytes": size, "integrity": "ok"})
    else:
        print(f"Đã sao lưu vào {path} ({number(size // 1024 or 1)} KB), đã kiểm tra toàn vẹn: tốt.")
    return EXIT_OK


def _configure_restore(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="TỆP_SAO_LƯU", type=Path, help="bản sao lưu (.sqlite3) cần khôi phục")
    parser.add_argument("--yes", action="store_true",
                        help="không hỏi lại (dữ liệu hiện tại vẫn được sao lưu trước khi thay)")


def _confirm(target: str, source: Path) -> bool:
    if not sys.stdin.isatty():
        raise UserFixableError("Khôi phục sẽ thay toàn bộ dữ liệu hiện tại nên cần xác nhận.",
                               "Hãy chạy lại với --yes (dữ liệu hiện tại vẫn được sao lưu trước).")
    answer = input(f"Thay toàn bộ dữ liệu trong {target} bằng bản sao lưu {source.name}? "
                   "Dữ liệu hiện tại sẽ được sao lưu trước. Gõ “co” để đồng ý: ")
    return answer.strip().lower() in {"co", "có", "c", "y", "yes"}


def _require_restore_right(args: argparse.Namespace, target: Path | None) -> None:
    """Restoring replaces everyone's data: quản trị only once accounts are on, as in the menu.

    A database that cannot be opened (corrupt, unreadable) is what restore is for: then there is
    no account to check (nor when there is no database yet), and the file system's own
    permissions decide."""
    from ..domain.roles import Permission
    from ..services import accounts
    from ..services.context import open_database
    from .common import acting_officer

    if target is not None and not target.exists():
        return
    try:
        ctx = open_database(args.db)
    except UserFixableError:
        return
    try:
        ctx.officer_id = acting_officer(ctx, getattr(args, "officer", None))
        if not accounts.can(ctx, Permission.MANAGE_ACCOUNTS):
            raise accounts.PermissionDenied(
                "Bạn không có quyền khôi phục dữ liệu.",
                "Chỉ quản trị được khôi phục: hãy chạy lại với --officer TÊN_ĐĂNG_NHẬP của quản trị.")
    finally:
        ctx.dispose()


def run_restore(args: argparse.Namespace) -> int:
    from ..services import backups
    from ..storage.engine import resolve_db_url, sqlite_path
    from ..ui import single_instance

    url = resolve_db_url(args.db)
    target = sqlite_path(url)
    lock = single_instance.acquire(args.db)  # refuses while the app has this database open
    try:
        _require_restore_right(args, Path(target) if target else None)
        if not args.yes and not _confirm(str(target or url), args.file):
            print("Đã hủy, dữ liệu không thay đổi.", file=sys.stderr)
            return EXIT_REFUSED
        result = backups.restore(args.db, args.file)
    finally:
        if lock is not None:
            lock.unlock()
    if args.json:
        print_json({"restored_from": str(result.restored_from), "dossiers": result.dossiers,
                    "safety_backup": str(result.safety_backup) if result.safety_backup else None,
                    "upgraded": result.upgraded})
        return EXIT_OK
    print(f"Đã khôi phục từ {result.restored_from.name}: {number(result.dossiers)} hồ sơ.")
    if result.upgraded:
        print("Bản sao lưu thuộc phiên bản cũ hơn và đã được nâng cấp lên cấu trúc mới nhất.")
    if result.safety_backup:
        print(f"Dữ liệu trước khi khôi phục được giữ ở {result.safety_backup}.")
    return EXIT_OK


def _configure_check(parser: argparse.ArgumentParser) -> None:
    pass


def run_check(args: argparse.Namespace) -> int:
    from ..services import backups

    result = backups.check(args.db)  # the file as it is: not upgraded, not seeded
    if args.json:
        print_json(result.as_json())
    elif result.ok:
        print(f"Tệp dữ liệu {result.database}: toàn vẹn, không có liên kết hỏng.")
    else:
        print(f"Tệp dữ liệu {result.database} có lỗi:", file=sys.stderr)
        for line in [*result.integrity, *result.foreign_keys]:
            print(f"  - {line}", file=sys.stderr)
        print("Hãy khôi phục từ bản sao lưu gần nhất: motcua restore TỆP_SAO_LƯU", file=sys.stderr)
    return EXIT_OK if result.ok else EXIT_REFUSED


COMMANDS: dict[str, Command] = {
    "backup": Command("sao lưu dữ liệu ngay (có kiểm tra toàn vẹn)", _configure_backup, run_backup),
    "restore": Command("khôi phục dữ liệu từ một bản sao lưu (sao lưu dữ liệu hiện tại trước)",
                       _configure_restore, run_restore),
    "check": Command("kiểm tra toàn vẹn tệp dữ liệu (integrity_check, foreign_key_check)", _configure_check,
                     run_check),
}

"""``motcua template`` and ``motcua import``: the import template and importing dossiers from
Excel (SPEC §7, §8)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import EXIT_OK, EXIT_REFUSED, Command, number, open_context, print_json


def _configure_template(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("out", type=Path, metavar="TỆP.xlsx", help="nơi ghi mẫu nhập hồ sơ")


def run_template(args: argparse.Namespace) -> int:
    from ..services.imports import write_template

    path = write_template(args.out)
    if args.json:
        print_json({"file": str(path)})
    else:
        print(f"Đã ghi mẫu nhập hồ sơ: {path}")
    return EXIT_OK


def _configure_import(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="TỆP",
                        help="tệp .xlsx (mẫu nhập của phần mềm, danh sách hồ sơ, danh sách thu phí, sổ theo dõi hồ sơ) "
                             "hoặc tệp .xls dạng HTML xuất từ hệ thống một cửa của tỉnh")
    parser.add_argument("--dry-run", action="store_true",
                        help="chỉ xem trước: liệt kê hồ sơ sẽ thêm, cập nhật, giữ nguyên và các dòng bị từ chối, "
                             "không ghi gì")


def run_import(args: argparse.Namespace) -> int:
    from ..services.imports import import_file

    ctx = open_context(args)
    try:
        result = import_file(ctx, args.file, dry_run=args.dry_run)
    finally:
        ctx.dispose()
    if args.json:
        print_json(result.as_json())
    else:
        _print_summary(result)
    if result.nothing_imported:
        print("Lỗi: không có dòng nào nhập được; sổ hồ sơ không thay đổi.", file=sys.stderr)
        return EXIT_REFUSED
    return EXIT_OK


def _print_summary(result) -> None:
    verb = "Sẽ" if result.dry_run else "Đã"
    print(f"Tệp “{result.file_name}” — {result.kind_label}, trang “{result.sheet_name}”, "
          f"tiêu đề ở dòng {result.header_row}.")
    if result.ignored_columns:
        print("  Bỏ qua các cột không dùng: " + ", ".join(f"“{c}”" for c in result.ignored_columns))
    print(f"  {verb} thêm mới: {number(len(result.added))} hồ sơ")
    print(f"  {verb} cập nhật: {number(len(result.updated))} hồ sơ")
    print(f"  Không thay đổi: {number(len(result.unchanged))} hồ sơ")
    print(f"  Bị từ chối: {number(len(result.rejected))} dòng")
    for item in result.rejected[:50]:
        print(f"    dòng {item.row}: {item.reason}")
    if len(result.rejected) > 50:
        print(f"    … và {number(len(result.rejected) - 50)} dòng khác")
    if result.provincial:
        if result.synced_marked:
            print(f"  Đánh dấu đã nhập hệ thống của tỉnh: {number(result.synced_marked)} hồ sơ")
        if result.not_in_file:
            print(f"  Hồ sơ trong sổ cùng kỳ nhưng KHÔNG có trong danh sách của tỉnh "
                  f"({number(len(result.not_in_file))}): " + ", ".join(result.not_in_file[:20])
                  + (" …" if len(result.not_in_file) > 20 else ""))
    if result.backup_path is not None:
        print(f"  Đã sao lưu trước khi nhập: {result.backup_path}")
    if result.dry_run:
        print("Đây là bản xem trước, chưa ghi gì. Chạy lại không có --dry-run để nhập.")


COMMANDS: dict[str, Command] = {
    "template": Command("ghi mẫu nhập hồ sơ (Excel)", _configure_template, run_template),
    "import": Command("nhập hồ sơ từ tệp Excel (mẫu nhập, danh sách của tỉnh, sổ theo dõi)", _configure_import,
                      run_import),
}

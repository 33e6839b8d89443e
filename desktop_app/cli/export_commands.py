"""``motcua export``, ``motcua usb`` and ``motcua import-catalogue``: the Excel exports, the USB package
and importing the procedure catalogue back (SPEC §7, §8)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import (
    EXIT_OK,
    Command,
    UsageError,
    check_period,
    day_option,
    open_context,
    period_options,
    print_json,
)

_KIND_HELP = ("dossiers (danh sách hồ sơ, đúng các cột của mẫu nhập), stats (thống kê và điểm 766), "
              "so-theo-doi (sổ theo dõi hồ sơ), mau-02 (Mẫu biểu 02 theo thôn/xóm), "
              "catalogue (danh mục thủ tục, nhập lại được)")


def _configure_export(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=("dossiers", "stats", "so-theo-doi", "mau-02", "catalogue"),
                        metavar="LOẠI", help=_KIND_HELP)
    period_options(parser, required=False)
    parser.add_argument("--out", type=Path, metavar="TỆP.xlsx",
                        help="tệp Excel sẽ ghi, hoặc một thư mục để ghi với tên gợi ý; mặc định là tên gợi ý "
                             "trong thư mục hiện tại (tệp có dữ liệu cá nhân có “_du-lieu-ca-nhan” trong tên)")
    parser.add_argument("--mask-ids", action="store_true",
                        help="che số định danh (chỉ hiện 4 số đầu và 2 số cuối, ví dụ 0012******45)")


def run_export(args: argparse.Namespace) -> int:
    from ..services import exports

    check_period(args)
    if args.kind != "catalogue" and args.date_from is None:
        raise UsageError(f"“{args.kind}” cần --from và --to")
    name = exports.default_file_name(args.kind, args.date_from, args.date_to)
    out = args.out or Path(name)
    if out.is_dir():  # a folder: the suggested name inside it
        out = out / name
    if out.suffix.lower() != ".xlsx":
        raise UsageError("--out phải là tệp .xlsx")
    if args.mask_ids and args.kind not in ("dossiers",):
        print("Lưu ý: --mask-ids chỉ dùng cho danh sách hồ sơ; bỏ qua.", file=sys.stderr)
    ctx = open_context(args)
    try:
        written = exports.export(ctx, args.kind, out, args.date_from, args.date_to, mask_ids=args.mask_ids)
    finally:
        ctx.dispose()
    personal = args.kind in exports.PERSONAL_KINDS
    if args.json:
        print_json({"file": str(written), "kind": args.kind,
                    "from": args.date_from.isoformat() if args.date_from else None,
                    "to": args.date_to.isoformat() if args.date_to else None,
                    "personal_data": personal, "masked_ids": bool(args.mask_ids and args.kind == "dossiers")})
    else:
        print(f"Đã ghi tệp Excel: {written}")
        if personal:
            print("Lưu ý: tệp có dữ liệu cá nhân (họ tên, số định danh, số điện thoại) — giữ cẩn thận.")
    return EXIT_OK


def _week_option(text: str):
    from ..domain.dates import iso_week_range

    try:
        return iso_week_range(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _configure_usb(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("target", type=Path, nargs="?", metavar="THƯ_MỤC",
                        help="thư mục đích, thường là ổ USB (ví dụ E:\\ hoặc /media/usb)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--week", type=_week_option, metavar="YYYY-Www",
                      help="tuần ISO (thứ Hai – Chủ nhật), ví dụ 2026-W07; mặc định là tuần hiện tại")
    when.add_argument("--date", type=day_option, metavar="NGÀY", help="một ngày trong tuần cần chép")
    parser.add_argument("--attachments", action="store_true",
                        help="chép cả tệp đính kèm của các hồ sơ tiếp nhận trong tuần")
    parser.add_argument("--list-drives", action="store_true",
                        help="chỉ liệt kê các ổ có thể chép ra (USB trước) rồi thoát")


def run_usb(args: argparse.Namespace) -> int:
    from ..services import usb

    if args.list_drives:
        drives = usb.list_target_drives()
        if args.json:
            print_json([{"path": str(d.path), "label": d.label, "removable": d.removable,
                         "free_bytes": d.free_bytes} for d in drives])
        else:
            for drive in drives:
                print(drive.title)
        return EXIT_OK
    if args.target is None:
        raise UsageError("thiếu THƯ_MỤC đích (ví dụ: motcua usb E:\\)")
    ctx = open_context(args)
    try:
        day = args.week[0] if args.week else (args.date or ctx.clock().date())
        last = [0]

        def progress(done: int, total: int) -> None:
            if not args.json and sys.stderr.isatty() and done != last[0]:
                last[0] = done
                print(f"\r  Đang chép… {done}/{total}", end="", file=sys.stderr, flush=True)

        result = usb.export_to_usb(ctx, args.target, week_day=day, with_attachments=args.attachments,
                                   progress=progress)
    finally:
        ctx.dispose()
    if last[0]:
        print(file=sys.stderr)
    if args.json:
        print_json(result.as_json())
        return EXIT_OK
    print(f"Đã chép {len(result.files)} tệp vào thư mục {result.folder}")
    for item in result.files:
        print(f"  {item.name}  ({item.size:,} byte)".replace(",", "."))
    for note in result.notes:
        print(f"  Ghi chú: {note}")
    print(f"Mã SHA-256 của từng tệp ghi trong {usb.MANIFEST}; đã đọc lại và kiểm tra từng tệp.")
    return EXIT_OK


def _configure_import_catalogue(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", type=Path, metavar="TỆP.xlsx",
                        help="tệp danh mục thủ tục (như tệp “motcua export catalogue” ghi ra): thêm thủ tục mới, "
                             "cập nhật thủ tục cùng Mã TTHC; thủ tục không có trong tệp giữ nguyên")
    parser.add_argument("--dry-run", action="store_true",
                        help="chỉ kiểm tra tệp và cho biết sẽ thêm, cập nhật bao nhiêu thủ tục, không ghi gì")


def run_import_catalogue(args: argparse.Namespace) -> int:
    from ..services.catalogue_io import import_catalogue
    from ..storage.errors import UserFixableError

    if not args.file.is_file():
        raise UserFixableError(f"Không tìm thấy tệp “{args.file}”.", "Hãy kiểm tra lại đường dẫn tệp danh mục.")
    ctx = open_context(args)
    try:
        result = import_catalogue(ctx, args.file, dry_run=args.dry_run)
    finally:
        ctx.dispose()
    if args.json:
        print_json({**result.as_json(), "dry_run": bool(args.dry_run)})
        return EXIT_OK
    verb = "Sẽ" if args.dry_run else "Đã"
    print(f"Danh mục thủ tục từ tệp “{args.file.name}”:")
    print(f"  {verb} thêm mới: {len(result.added)} thủ tục" + _codes(result.added))
    print(f"  {verb} cập nhật: {len(result.updated)} thủ tục" + _codes(result.updated))
    print(f"  Không thay đổi: {len(result.unchanged)} thủ tục")
    if args.dry_run:
        print("Đây là bản xem trước, chưa ghi gì. Chạy lại không có --dry-run để nhập.")
    return EXIT_OK


def _codes(codes: list[str]) -> str:
    if not codes:
        return ""
    return " (" + ", ".join(codes[:10]) + (" …" if len(codes) > 10 else "") + ")"


COMMANDS: dict[str, Command] = {
    "export": Command("xuất Excel: danh sách hồ sơ, thống kê, sổ theo dõi hồ sơ, Mẫu biểu 02, danh mục thủ tục",
                      _configure_export, run_export),
    "usb": Command("chép báo cáo tuần, các tệp Excel và bản sao lưu ra USB (kèm MANIFEST.txt)",
                   _configure_usb, run_usb),
    "import-catalogue": Command("nhập danh mục thủ tục từ tệp Excel (lãnh đạo, quản trị)",
                                _configure_import_catalogue, run_import_catalogue),
}

"""``motcua gui``, ``motcua init`` and ``motcua demo``: opening the window, setting up the
database and the commune, filling it with demo dossiers."""

from __future__ import annotations

import argparse
import logging
import re
import sys
import time
from datetime import datetime
from datetime import time as dt_time

from .common import (
    EXIT_OK,
    Command,
    UsageError,
    database_text,
    day_option,
    day_text,
    integer,
    number,
    open_context,
    positive,
    print_json,
)

log = logging.getLogger(__name__)


# ---------------------------------------------------------------------------- gui


def _configure_gui(parser: argparse.ArgumentParser) -> None:
    pass


def run_gui(args: argparse.Namespace) -> int:
    from ..ui.app import run  # Qt is loaded only for the window, not for the other commands

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
    from ..services import catalogue, holidays, setup

    if bool(args.officer_username) != bool(args.officer_name):
        raise UsageError("--officer-username và --officer-name phải dùng cùng nhau.")
    given = {field: getattr(args, field) for field in _PROFILE_OPTIONS if getattr(args, field) is not None}
    if given:
        _check_profile_fields(given)  # before anything is created

    ctx = open_context(args)
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
    from ..services import setup
    from ..services.intake import ValidationFailed

    placeholder = setup.ProfileInput(unit_name="x", unit_code="X", place_name="x")
    for field, value in given.items():
        setattr(placeholder, field, value)
    errors = {field: message for field, message in setup.validate_profile(placeholder).items()
              if field in given}
    if errors:
        raise ValidationFailed(errors)


# ---------------------------------------------------------------------------- demo


def _configure_demo(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--dossiers", type=positive, required=True, metavar="N",
                        help="số hồ sơ mẫu cần thêm")
    parser.add_argument("--seed", type=integer, default=1, metavar="S",
                        help="hạt giống ngẫu nhiên: cùng hạt giống, cùng ngày giờ và cùng dữ liệu sẵn có "
                             "cho cùng kết quả (mặc định 1)")
    parser.add_argument("--weeks", type=positive, default=12, metavar="W",
                        help="hồ sơ được tiếp nhận rải đều trong W tuần gần nhất (mặc định 12)")
    parser.add_argument("--until", type=day_option, default=None, metavar="NGÀY",
                        help="coi NGÀY (yyyy-mm-dd hoặc dd/mm/yyyy) là hôm nay, lúc 17:00: cùng hạt "
                             "giống cho cùng dữ liệu vào bất kỳ ngày nào (dùng khi đo tốc độ)")


def run_demo(args: argparse.Namespace) -> int:
    from ..domain.status import Channel, Status
    from ..services import demo

    show_progress = not args.json and sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        print(f"\rĐang tạo hồ sơ mẫu: {number(done)}/{number(total)}", end="", file=sys.stderr, flush=True)

    ctx = open_context(args)
    started = time.perf_counter()
    try:
        now = datetime.combine(args.until, dt_time(17, 0)) if args.until else None
        summary = demo.generate(ctx, args.dossiers, seed=args.seed, weeks=args.weeks, now=now,
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


COMMANDS: dict[str, Command] = {
    "gui": Command("mở cửa sổ chương trình (mặc định khi không có lệnh)", _configure_gui, run_gui,
                   needs_logging=False),  # the window sets up its own log
    "init": Command("tạo hoặc nâng cấp cơ sở dữ liệu, nạp danh mục thủ tục và ngày nghỉ lễ", _configure_init,
                    run_init),
    "demo": Command("thêm hồ sơ mẫu như thật để dùng thử và đo tốc độ", _configure_demo, run_demo),
}

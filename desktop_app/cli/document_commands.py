"""``motcua report`` and ``motcua print``: the weekly / monthly / campaign report and the counter
slips of one dossier, as PDF files (SPEC §6)."""

from __future__ import annotations

import argparse
from pathlib import Path

from .common import EXIT_OK, Command, UsageError, day_option, open_context, print_json


def _week_option(text: str):
    from ..domain.dates import iso_week_range

    try:
        return iso_week_range(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def _configure_report(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=("weekly", "monthly", "campaign"), metavar="LOẠI",
                        help="weekly (tuần), monthly (tháng) hoặc campaign (tổng kết chiến dịch)")
    when = parser.add_mutually_exclusive_group()
    when.add_argument("--week", type=_week_option, metavar="YYYY-Www",
                      help="tuần ISO (thứ Hai – Chủ nhật), ví dụ 2025-W32; với --campaign: tuần của chiến dịch "
                           "chứa thứ Hai của tuần này")
    when.add_argument("--date", type=day_option, metavar="NGÀY",
                      help="một ngày trong kỳ báo cáo (yyyy-mm-dd hoặc dd/mm/yyyy); mặc định hôm nay")
    parser.add_argument("--campaign", metavar="MÃ_HOẶC_TÊN",
                        help="chiến dịch (mã hoặc tên): báo cáo tuần theo tuần của chiến dịch và so sánh với các "
                             "tuần trước của chiến dịch; bắt buộc chọn được một chiến dịch với loại campaign")
    parser.add_argument("--out", required=True, type=Path, metavar="TỆP.pdf", help="tệp PDF sẽ ghi")


def _find_campaign(ctx, text: str):
    import uuid

    from ..domain.text import fold
    from ..services import campaigns
    from ..storage.errors import UserFixableError

    items = campaigns.list_campaigns(ctx)
    try:
        wanted = uuid.UUID(text.strip())
    except ValueError:
        wanted = None
    if wanted is not None:
        found = [c for c in items if c.id == wanted]
    else:
        key = fold(text)
        found = [c for c in items if fold(c.name) == key] or [c for c in items if key in fold(c.name)]
    if len(found) == 1:
        return found[0].id
    names = "; ".join(f"“{c.name}”" for c in (found or items)) or "(chưa có chiến dịch nào)"
    if not found:
        raise UserFixableError(f"Không tìm thấy chiến dịch “{text}”. Các chiến dịch có: {names}.",
                               "Hãy ghi đúng tên hoặc mã chiến dịch.")
    raise UserFixableError(f"Có nhiều chiến dịch khớp với “{text}”: {names}.", "Hãy ghi đầy đủ tên chiến dịch.")


def run_report(args: argparse.Namespace) -> int:
    from ..services import reports

    if args.out.suffix.lower() != ".pdf":
        raise UsageError("--out phải là tệp .pdf")
    ctx = open_context(args)
    try:
        day = args.week[0] if args.week else (args.date or ctx.clock().date())
        campaign_id = _find_campaign(ctx, args.campaign) if args.campaign else None
        period = reports.report_period(ctx, args.kind, day, campaign_id)
        written = reports.write_report(ctx, args.kind, day, args.out, campaign_id=campaign_id)
    finally:
        ctx.dispose()
    if args.json:
        print_json({"file": str(written), "kind": args.kind, "from": period.date_from.isoformat(),
                    "to": period.date_to.isoformat(),
                    "campaign": period.campaign.name if period.campaign else None})
    else:
        print(f"Đã ghi báo cáo {period.label} vào tệp {written}")
    return EXIT_OK


def _configure_print(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("kind", choices=("receipt", "supplement", "refusal", "stop", "withdrawal"), metavar="LOẠI",
                        help="receipt (giấy tiếp nhận, hẹn trả), supplement (phiếu yêu cầu bổ sung), refusal "
                             "(phiếu từ chối), stop (thông báo dừng giải quyết), withdrawal (phiếu rút hồ sơ)")
    parser.add_argument("--dossier", required=True, metavar="MÃ_HỒ_SƠ", help="mã hồ sơ")
    parser.add_argument("--out", required=True, type=Path, metavar="TỆP.pdf", help="tệp PDF sẽ ghi")
    parser.add_argument("--a5", action="store_true", help="khổ A5 (mặc định A4)")
    parser.add_argument("--attach", action="store_true",
                        help="với refusal, stop, withdrawal: đính kèm phiếu vào hồ sơ làm văn bản kết thúc")


def run_print(args: argparse.Namespace) -> int:
    from ..services import dossiers, slips
    from ..storage.errors import UserFixableError

    if args.out.suffix.lower() != ".pdf":
        raise UsageError("--out phải là tệp .pdf")
    if args.attach and args.kind not in slips.END_DOCUMENT_KINDS:
        raise UsageError("--attach chỉ dùng với refusal, stop hoặc withdrawal")
    size = "A5" if args.a5 else "A4"
    ctx = open_context(args)
    try:
        view = dossiers.find_by_code(ctx, args.dossier)
        if view is None:
            raise UserFixableError(f"Không tìm thấy hồ sơ mã “{args.dossier}”.", "Hãy kiểm tra lại mã hồ sơ.")
        written = slips.write_slip(ctx, args.kind, view.id, args.out, page_size=size)
        attached = slips.attach_end_document(ctx, view.id, args.kind, page_size=size) if args.attach else None
    finally:
        ctx.dispose()
    if args.json:
        print_json({"file": str(written), "kind": args.kind, "dossier": view.code, "page_size": size,
                    "attached": attached is not None})
    else:
        print(f"Đã ghi {slips.TITLES[args.kind].lower()} của hồ sơ {view.code} vào tệp {written}")
        if attached is not None:
            print("Đã đính kèm phiếu vào hồ sơ làm văn bản kết thúc xử lý.")
    return EXIT_OK


COMMANDS: dict[str, Command] = {
    "report": Command("báo cáo tuần, tháng hoặc tổng kết chiến dịch (PDF)", _configure_report, run_report),
    "print": Command("in phiếu của một hồ sơ: giấy tiếp nhận, yêu cầu bổ sung, từ chối, dừng, rút (PDF)",
                     _configure_print, run_print),
}

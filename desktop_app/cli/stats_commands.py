"""``motcua stats`` and ``motcua warnings``: the period's figures and 766 points, the open
warnings with the points each one costs."""

from __future__ import annotations

import argparse

from .common import (
    EXIT_OK,
    Command,
    check_period,
    number,
    open_context,
    period_options,
    points_text,
    print_json,
)

# ---------------------------------------------------------------------------- stats, warnings


def _configure_stats(parser: argparse.ArgumentParser) -> None:
    period_options(parser, required=True)


def run_stats(args: argparse.Namespace) -> int:
    from ..domain.rules import RULES_BY_CODE
    from ..services import stats

    check_period(args)
    ctx = open_context(args)
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
            f"{points_text(item.ratio)} %"
        print(f"    {item.name}: {ratio} → {points_text(item.points)}/{points_text(item.max_points)}")
    print("  Theo nhóm (điểm / tối đa đo được / tối đa):")
    for group in result.card.groups:
        print(f"    {group.name}: {points_text(group.points)} / {points_text(group.measured_max)} / {points_text(group.max_points)}")
    print(f"  Tổng: {points_text(result.card.total)} / {points_text(result.card.measured_max)} điểm đo được tại đây")
    active = {code: n for code, n in data["warnings"].items() if n}
    if active:
        print("  Cảnh báo: " + " · ".join(f"{RULES_BY_CODE[c].title} {number(n)}" for c, n in active.items()))
    return EXIT_OK


def _configure_warnings(parser: argparse.ArgumentParser) -> None:
    period_options(parser, required=False)


def run_warnings(args: argparse.Namespace) -> int:
    from ..domain.rules import RULES_BY_CODE
    from ..services import warnings

    check_period(args)
    ctx = open_context(args)
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
        print(f"{item.code}  {points_text(item.points_at_stake):>6} điểm  {RULES_BY_CODE[item.rule].title}")
    print(f"Tổng cộng {number(len(items))} cảnh báo.")
    return EXIT_OK


COMMANDS: dict[str, Command] = {
    "stats": Command("thống kê và điểm 766 ước tính của một kỳ", _configure_stats, run_stats),
    "warnings": Command("danh sách cảnh báo đang mở, kèm số điểm có thể lấy lại", _configure_warnings,
                        run_warnings),
}

"""The weekly report (and its monthly and campaign-summary variants) as a PDF, from plain data.

The service (:mod:`desktop_app.services.reports`) gathers every figure; this module only lays
them out in the official form (:mod:`.layout`) with a chart of the main rates per week.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import BinaryIO

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors
from reportlab.platypus import CondPageBreak, Flowable, KeepTogether, Paragraph, Spacer

from . import layout
from .fonts import BOLD, REGULAR, clean
from .output import Cancelled, write_atomically


def number(value: int | None) -> str:
    """1234567 → "1.234.567" (Vietnamese grouping)."""
    if value is None:
        return "—"
    return f"{value:,}".replace(",", ".")


def percent(value: Decimal | float | None) -> str:
    """85.5 → "85,50%"; None → "—" (no dossiers: no rate)."""
    if value is None:
        return "—"
    return f"{Decimal(str(value)):.2f}".replace(".", ",") + "%"


def points(value: Decimal | float | None) -> str:
    if value is None:
        return "—"
    text = f"{Decimal(str(value)):.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


@dataclass(frozen=True)
class RateRow:
    label: str
    numerator: int
    denominator: int
    percent: Decimal | None
    target: Decimal | None  # % needed (full points / campaign target)
    met: bool | None  # None: no data
    points: Decimal | None = None
    max_points: Decimal | None = None


@dataclass(frozen=True)
class GroupRow:
    name: str
    points: Decimal | None
    measured_max: Decimal
    max_points: Decimal


@dataclass(frozen=True)
class WeekColumn:
    label: str  # "Tuần 1"
    period: str  # "25/7–31/7"
    values: dict[str, Decimal | None]  # rate label → percent


@dataclass(frozen=True)
class OfficerRow:
    name: str
    received: int
    finished: int
    finished_on_time: int
    finished_late: int
    open: int
    warnings: int


@dataclass(frozen=True)
class ActionRow:
    code: str
    applicant: str
    problem: str
    officer: str
    points: Decimal


@dataclass
class ReportData:
    kind: str  # weekly | monthly | campaign
    letterhead: layout.Letterhead
    title: str
    subtitle: str
    intro: str
    period_text: str
    counts: dict[str, int]
    finished_early: int
    empty: bool
    rates: list[RateRow]
    campaign_rates: list[RateRow]
    groups: list[GroupRow]
    total_points: Decimal | None
    measured_max: Decimal
    scoring_version: str
    weeks: list[WeekColumn]
    chart_rates: list[str]
    warnings: list[tuple[str, str, int]]  # (rule code, title, count)
    officers: list[OfficerRow]
    actions: list[ActionRow]
    signature: layout.Signature
    recipients: list[str] = field(default_factory=list)
    page_size: str = "A4"
    more_actions: int = 0  # open warnings beyond the printed action list


CHART_COLOURS = [
    colors.Color(0.16, 0.35, 0.63), colors.Color(0.85, 0.45, 0.10), colors.Color(0.20, 0.55, 0.25),
    colors.Color(0.70, 0.15, 0.20), colors.Color(0.45, 0.30, 0.60), colors.Color(0.40, 0.40, 0.40),
    colors.Color(0.10, 0.60, 0.65),
]


def rate_chart(data: ReportData, width: float) -> Drawing:
    """Grouped bars: one group per week, one bar per main rate (0–100 %)."""
    height = 148
    drawing = Drawing(width, height)
    drawing.initialFontName = REGULAR  # the renderer's starting font, else Helvetica (not embedded)
    drawing.initialFontSize = 8
    chart = VerticalBarChart()
    chart.x, chart.y = 34, 52
    chart.width, chart.height = width - 44, height - 70
    series = []
    for label in data.chart_rates:
        series.append([float(week.values.get(label) or 0) for week in data.weeks])
    chart.data = series or [[0] * len(data.weeks)]
    chart.valueAxis.valueMin, chart.valueAxis.valueMax, chart.valueAxis.valueStep = 0, 100, 20
    chart.valueAxis.labels.fontName = REGULAR
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.Color(0.85, 0.85, 0.85)
    chart.categoryAxis.categoryNames = [clean(w.label) for w in data.weeks]
    chart.categoryAxis.labels.fontName = REGULAR
    chart.categoryAxis.labels.fontSize = 8
    chart.barSpacing = 0.5
    chart.groupSpacing = 6
    for index in range(len(chart.data)):
        chart.bars[index].fillColor = CHART_COLOURS[index % len(CHART_COLOURS)]
        chart.bars[index].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.fontName = REGULAR
    legend.fontSize = 8
    legend.x, legend.y = 34, 30
    legend.alignment = "right"
    legend.columnMaximum = 2
    legend.dx = legend.dy = 7
    legend.deltax = (width - 44) / 3.2
    legend.colorNamePairs = [
        (CHART_COLOURS[i % len(CHART_COLOURS)], clean(label)) for i, label in enumerate(data.chart_rates)
    ]
    legend.subCols.minWidth = (width - 44) / 3.2
    drawing.add(legend)
    drawing.add(String(width / 2, height - 10, clean("Các tỷ lệ chính theo tuần (%)"), fontName=BOLD,
                       fontSize=9, textAnchor="middle"))
    return drawing


def _met(row: RateRow) -> str:
    if row.met is None:
        return "—"
    return "Đạt" if row.met else "Chưa đạt"


def story_of(data: ReportData, styles: layout.Styles) -> list[Flowable]:
    spec = styles.spec
    w = spec.width
    counts = data.counts
    story: list[Flowable] = [layout.header(data.letterhead, styles)]
    story += layout.title_block(data.title, data.subtitle, styles)

    def h(text: str) -> list[Flowable]:
        # a heading stays with the first lines of what follows (a new page if fewer than ~5 lines
        # are left), while a long table after it still splits across pages
        return [CondPageBreak(spec.body * 7), layout.para(text, styles.heading)]

    def p(text: str) -> Paragraph:
        return layout.para(text, styles.body)

    story.append(p(data.intro))
    story += h("I. KẾT QUẢ TIẾP NHẬN, GIẢI QUYẾT HỒ SƠ")
    if data.empty:
        story.append(p(f"Trong kỳ báo cáo ({data.period_text}) không có hồ sơ nào được tiếp nhận hoặc giải "
                       "quyết; các tỷ lệ dưới đây không có dữ liệu (—)."))
    story += h("1. Tiếp nhận")
    story.append(layout.data_table(
        ["Kỳ trước chuyển sang", "Trực tiếp", "Trực tuyến", "Bưu chính công ích", "Tổng tiếp nhận mới"],
        [[number(counts["carried_over"]), number(counts["direct"]), number(counts["online"]),
          number(counts["postal"]), number(counts["received"])]],
        [w * 0.22, w * 0.18, w * 0.18, w * 0.21, w * 0.21], styles, align="ccccc"))
    story += h("2. Giải quyết")
    story.append(layout.data_table(
        ["Đã giải quyết", "Trước hạn", "Đúng hạn", "Quá hạn", "Đang giải quyết trong hạn",
         "Đang giải quyết quá hạn"],
        [[number(counts["finished"]), number(data.finished_early),
          number(counts["finished_on_time"] - data.finished_early), number(counts["finished_late"]),
          number(counts["open_within_time"]), number(counts["open_overdue"])]],
        [w / 6] * 6, styles, align="cccccc"))
    story.append(Spacer(1, 4))
    story.append(p(
        f"Trong kỳ: đã giải quyết {number(counts['finished'])} hồ sơ, trong đó đúng hạn (kể cả trước hạn) "
        f"{number(counts['finished_on_time'])}, quá hạn {number(counts['finished_late'])}; từ chối tiếp nhận "
        f"{number(counts['rejected'])}, dừng giải quyết {number(counts['stopped'])}, công dân rút "
        f"{number(counts['withdrawn'])} hồ sơ."))

    story += h("II. CÁC CHỈ SỐ THEO BỘ CHỈ SỐ 766 (ƯỚC TÍNH)")
    story.append(layout.data_table(
        ["Chỉ số", "Đạt / Tổng", "Tỷ lệ", "Mục tiêu", "Đánh giá", "Điểm / Tối đa"],
        [[r.label, f"{number(r.numerator)}/{number(r.denominator)}", percent(r.percent), percent(r.target),
          _met(r), f"{points(r.points)}/{points(r.max_points)}"] for r in data.rates],
        [w * 0.40, w * 0.14, w * 0.11, w * 0.10, w * 0.11, w * 0.14], styles, align="lcccc" + "c"))
    if data.campaign_rates:
        story += h("Chỉ tiêu của chiến dịch")
        story.append(layout.data_table(
            ["Chỉ tiêu", "Đạt / Tổng", "Tỷ lệ", "Mục tiêu", "Đánh giá"],
            [[r.label, f"{number(r.numerator)}/{number(r.denominator)}", percent(r.percent), percent(r.target),
              _met(r)] for r in data.campaign_rates],
            [w * 0.46, w * 0.15, w * 0.13, w * 0.13, w * 0.13], styles, align="lcccc"))
    story += h("Điểm ước tính theo nhóm")
    rows = [[g.name, points(g.points), points(g.measured_max), points(g.max_points)] for g in data.groups]
    rows.append(["Tổng cộng", points(data.total_points), points(data.measured_max),
                 points(sum((g.max_points for g in data.groups), Decimal(0)))])
    story.append(layout.data_table(["Nhóm chỉ số", "Điểm", "Tối đa đo được", "Tối đa"], rows,
                                   [w * 0.52, w * 0.16, w * 0.16, w * 0.16], styles, align="lccc",
                                   bold_last=True))
    story.append(layout.para(f"Bộ chỉ số: {data.scoring_version}. Nhóm hoặc chỉ số không đo được tại đơn vị "
                             "không được tính là 0 điểm.", styles.small))

    story += h("III. SO SÁNH VỚI CÁC TUẦN TRƯỚC")
    if data.weeks:
        head = ["Tỷ lệ"] + [f"{wk.label}\n{wk.period}" for wk in data.weeks]
        first = w * 0.30
        rest = (w - first) / len(data.weeks)
        table_rows = [[label] + [percent(wk.values.get(label)) for wk in data.weeks] for label in data.chart_rates]
        story.append(layout.data_table(head, table_rows, [first] + [rest] * len(data.weeks), styles,
                                       align="l" + "c" * len(data.weeks)))
        story.append(Spacer(1, 6))
        story.append(KeepTogether([rate_chart(data, w)]))
    else:
        story.append(p("Chưa có tuần nào để so sánh."))

    story += h("IV. CẢNH BÁO THEO QUY TẮC")
    warn_rows = [[title, code, number(n)] for code, title, n in data.warnings]
    warn_rows.append(["Tổng cộng", "", number(sum(n for _, _, n in data.warnings))])
    story.append(layout.data_table(["Cảnh báo", "Mã", "Số hồ sơ"], warn_rows, [w * 0.47, w * 0.40, w * 0.13],
                                   styles, align="llc", bold_last=True))

    story += h("V. KẾT QUẢ THEO CÁN BỘ")
    if data.officers:
        story.append(layout.data_table(
            ["Cán bộ", "Tiếp nhận", "Đã giải quyết", "Đúng hạn", "Quá hạn", "Đang giải quyết", "Cảnh báo"],
            [[o.name, number(o.received), number(o.finished), number(o.finished_on_time), number(o.finished_late),
              number(o.open), number(o.warnings)] for o in data.officers],
            [w * 0.28] + [w * 0.12] * 6, styles, align="lcccccc"))
    else:
        story.append(p("Không có hồ sơ nào trong kỳ."))

    story += h("VI. DANH SÁCH VIỆC CẦN LÀM (CẢNH BÁO ĐANG MỞ)")
    if data.actions:
        story.append(layout.data_table(
            ["STT", "Mã hồ sơ", "Chủ hồ sơ", "Vấn đề cần khắc phục", "Cán bộ", "Điểm"],
            [[str(i), a.code, a.applicant, a.problem, a.officer, points(a.points)]
             for i, a in enumerate(data.actions, 1)],
            [w * 0.06, w * 0.28, w * 0.19, w * 0.26, w * 0.13, w * 0.08], styles, align="cllllc"))
        if data.more_actions:
            story.append(p(f"Và {number(data.more_actions)} cảnh báo khác (xem danh sách cảnh báo trong chương trình)."))
    else:
        story.append(p("Không có cảnh báo nào đang mở."))

    story += h("VII. KIẾN NGHỊ")
    story.append(p("Đề nghị các bộ phận khắc phục ngay các cảnh báo đang mở nêu tại mục VI, ưu tiên các hồ sơ "
                   "có số điểm bị ảnh hưởng lớn; tiếp tục hướng dẫn người dân nộp hồ sơ, thanh toán trực tuyến "
                   "và số hóa hồ sơ, kết quả giải quyết theo quy định" + layout.END_MARK))
    story.append(layout.signature_block(data.signature, data.recipients, styles))
    return story


def write_report_pdf(data: ReportData, out: Path, *, cancel: Callable[[], bool] | None = None) -> Path:
    """Write the report to ``out`` (atomically); returns ``out``."""
    styles = layout.Styles(layout.page_spec(data.page_size))

    def write(stream: BinaryIO) -> None:
        if cancel is not None and cancel():
            raise Cancelled()
        story = story_of(data, styles)
        layout.build(stream, story, styles.spec, title=data.title, author=data.letterhead.unit_name)
        if cancel is not None and cancel():
            raise Cancelled()

    return write_atomically(out, write)


__all__ = [
    "ActionRow", "GroupRow", "OfficerRow", "RateRow", "ReportData", "WeekColumn", "number", "percent", "points",
    "write_report_pdf",
]

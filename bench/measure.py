"""The measurements, each run in a fresh subprocess by ``bench/run.py``:

    python -m bench.measure ops DB          # search, filter, save, stats, bare SQL, PDF (JSON out)
    python -m bench.measure memory DB       # window + a search, then peak RSS (JSON out)
    python -m bench.measure import DB FILE  # import the template file into DB (a copy)
    python -m bench.measure openpyxl FILE   # openpyxl's read-only pass over FILE alone
    python -m bench.measure template FILE N # write an N-row import file (template + export)

Every timing is the median of ``--runs`` runs after one warm-up run. Prints one JSON object on
the last line of standard output.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

#: The demo databases are made "as of" this day (``motcua demo --until``): the week measured is
#: the ISO week that ends on the Sunday after it, the year is its calendar year.
UNTIL = date(2026, 11, 20)
WEEK_FROM = UNTIL - timedelta(days=UNTIL.weekday())
WEEK_TO = WEEK_FROM + timedelta(days=6)
YEAR_FROM, YEAR_TO = date(UNTIL.year, 1, 1), date(UNTIL.year, 12, 31)
#: What the officer types: a common full name, with diacritics (found without them too).
SEARCH_TEXT = "Nguyễn Thị Hương"


def timed(fn: Callable[[], Any], runs: int) -> dict[str, Any]:
    """One warm-up call, then ``runs`` timed calls: median, min, max in milliseconds."""
    fn()
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - started) * 1000)
    return {"median_ms": round(statistics.median(samples), 2), "min_ms": round(min(samples), 2),
            "max_ms": round(max(samples), 2), "runs": runs}


def timed_pair(first: Callable[[], Any], second: Callable[[], Any], runs: int) -> tuple[dict, dict]:
    """Like :func:`timed` for two operations run alternately (one warm-up each)."""
    first()
    second()
    samples: tuple[list[float], list[float]] = ([], [])
    for _ in range(runs):
        for fn, into in ((first, samples[0]), (second, samples[1])):
            started = time.perf_counter()
            fn()
            into.append((time.perf_counter() - started) * 1000)
    return tuple(  # type: ignore[return-value]
        {"median_ms": round(statistics.median(x), 2), "min_ms": round(min(x), 2), "max_ms": round(max(x), 2),
         "runs": runs} for x in samples)


def peak_rss_mb() -> float:
    import resource

    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _fixed_clock() -> datetime:
    return datetime.combine(UNTIL, datetime.min.time()).replace(hour=17)


# ---------------------------------------------------------------------------- bare SQL floor

BARE_WEEK_SQL = """
WITH rp AS (  -- received or processed in the period (the same indexed branches as the app)
  SELECT id, received_at, ended_at, status, supplement_count, due_at, effective_due_at, paused_at, synced,
         satisfaction
  FROM dossier
  WHERE deleted_at IS NULL AND (
        (received_at >= :start AND received_at < :end)
     OR (ended_at IS NULL AND received_at < :start)
     OR (ended_at >= :start AND received_at < :start))
), p AS (  -- received in the period
  SELECT d.id, d.procedure_id, d.channel, d.fee, d.payment_method, d.status, d.has_result_file,
         d.has_end_document, d.identity_checked, d.identity_method, pr.result_is_document, pr.online_level,
         pr.fee_kind, pr.citizen_facing, pr.active
  FROM dossier d JOIN procedure pr ON pr.id = d.procedure_id
  WHERE d.deleted_at IS NULL AND d.received_at >= :start AND d.received_at < :end
)
SELECT * FROM (
  SELECT count(*) AS received,
    total(channel = 1) AS direct, total(channel = 2) AS online, total(channel = 3) AS postal,
    total(fee > 0) AS fee_den, total(fee > 0 AND payment_method = 'truc_tuyen') AS fee_online,
    total(status IN (9, 10) AND result_is_document) AS result_den,
    total(status IN (9, 10) AND result_is_document AND has_result_file) AS result_num,
    total((has_result_file OR has_end_document) AND EXISTS (SELECT 1 FROM dossier_component c
          WHERE c.dossier_id = p.id AND (c.digitised OR c.reused OR c.from_kho))) AS so_hoa_num,
    total(EXISTS (SELECT 1 FROM dossier_component c WHERE c.dossier_id = p.id AND c.reused)) AS reused_num,
    total(EXISTS (SELECT 1 FROM dossier_component c WHERE c.dossier_id = p.id AND c.from_kho)) AS kho_num,
    total(identity_checked AND identity_method IN ('csdl_dan_cu', 'vneid')) AS checked_num,
    count(DISTINCT CASE WHEN online_level != 'khong' THEN procedure_id END) AS capable_procedures,
    count(DISTINCT CASE WHEN online_level != 'khong' AND channel = 2 THEN procedure_id END)
      AS online_procedures,
    count(DISTINCT CASE WHEN fee > 0 THEN procedure_id END) AS fee_procedures,
    count(DISTINCT CASE WHEN fee_kind != 'free' OR fee > 0 THEN procedure_id END) AS fee_bearing_procedures
  FROM p
), (
  SELECT count(*) AS processed, total(synced) AS synced,
    total(status IN (9, 10) AND ended_at >= :start AND ended_at < :end) AS finished,
    total(status IN (9, 10) AND ended_at >= :start AND ended_at < :end AND ended_at <= :at
          AND supplement_count < 2
          AND (COALESCE(effective_due_at, due_at) IS NULL OR ended_at <= COALESCE(effective_due_at, due_at)))
      AS finished_on_time,
    total(status = 3 AND ended_at >= :start AND ended_at < :end) AS rejected,
    total(status = 8 AND ended_at >= :start AND ended_at < :end) AS stopped,
    total(status = 7 AND ended_at >= :start AND ended_at < :end) AS withdrawn,
    total(NOT (status IN (3, 7, 8, 9, 10) AND ended_at IS NOT NULL AND ended_at <= :at)) AS open_total,
    total(NOT (status IN (3, 7, 8, 9, 10) AND ended_at IS NOT NULL AND ended_at <= :at)
          AND supplement_count < 2 AND (COALESCE(effective_due_at, due_at) IS NULL
          OR (CASE WHEN paused_at IS NOT NULL AND paused_at <= :at THEN paused_at ELSE :at END)
             <= COALESCE(effective_due_at, due_at))) AS open_within,
    total(satisfaction = 'khong_hai_long') AS unhappy,
    total(received_at < :start) AS carried_over
  FROM rp
), (
  SELECT json_group_object(rule, n) AS warnings FROM (
    SELECT rule, count(*) AS n FROM dossier_warning WHERE dossier_id IN (SELECT id FROM rp) GROUP BY rule)
)
"""
#: The counts the bare query and the app must agree on (the check that the floor is honest).
BARE_KEYS = ("received", "direct", "online", "postal", "finished", "finished_on_time", "rejected", "stopped",
             "withdrawn")


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%d %H:%M:%S.%f")


def bare_week_counts(connection: sqlite3.Connection, now: datetime) -> dict[str, int]:
    start = datetime.combine(WEEK_FROM, datetime.min.time())
    end = datetime.combine(WEEK_TO + timedelta(days=1), datetime.min.time())
    cursor = connection.execute(BARE_WEEK_SQL, {"start": _stamp(start), "end": _stamp(end),
                                                "at": _stamp(min(end, now))})
    names = [d[0] for d in cursor.description]
    row = dict(zip(names, cursor.fetchone(), strict=True))
    warnings = json.loads(row.pop("warnings") or "{}")
    return {**{k: int(v) for k, v in row.items()}, "warnings": warnings}


# ---------------------------------------------------------------------------- operations


def measure_ops(db: Path, runs: int, with_pdf: bool) -> dict[str, Any]:
    from PySide6.QtWidgets import QApplication

    from desktop_app.domain.status import Status
    from desktop_app.services import dossiers, stats
    from desktop_app.services.context import open_database
    from desktop_app.storage.dossier_queries import DossierFilter
    from desktop_app.ui.dossier_table_model import DossierTableModel

    app = QApplication.instance() or QApplication([])  # noqa: F841 - the model needs one
    started = time.perf_counter()
    ctx = open_database(str(db), clock=_fixed_clock)
    out: dict[str, Any] = {"open_ms": round((time.perf_counter() - started) * 1000, 1)}
    try:
        model = DossierTableModel(ctx, load=False)

        def apply(flt: DossierFilter) -> None:
            model.set_filter(flt)
            model.row_at(0)  # the first page is read: what the view shows first

        searches = [DossierFilter(search=SEARCH_TEXT), DossierFilter(search="tran van hung")]
        state = {"i": 0}

        def search() -> None:  # alternate two names so that no answer is served twice in a row
            state["i"] += 1
            apply(searches[state["i"] % 2])

        out["search"] = timed(search, runs)
        out["search_rows"] = model.rowCount()
        open_statuses = frozenset(int(s) for s in Status if not s.is_ended)
        filters = [DossierFilter(statuses=open_statuses), DossierFilter(channel=2)]

        def filter_change() -> None:
            state["i"] += 1
            apply(filters[state["i"] % 2])

        out["filter"] = timed(filter_change, runs)
        out["filter_rows"] = model.rowCount()

        # a deep page: scrolled to the end of the whole list
        model.set_filter(DossierFilter())
        last = model.rowCount() - 1

        def deep_page() -> None:
            model._pages.clear()  # measure the read, not the cache
            model.row_at(last)

        out["deep_page"] = timed(deep_page, runs)

        # saving a dossier with its warnings: the newest open one
        page = dossiers.list_page(ctx, DossierFilter(statuses=open_statuses), limit=1)
        dossier_id = page[0].id
        version = {"v": dossiers.get_dossier(ctx, dossier_id).version}

        def save() -> None:
            state["i"] += 1
            view = dossiers.update_dossier(ctx, dossier_id, version["v"],
                                           dossiers.DossierEdit(notes=f"Ghi chú đo tốc độ {state['i'] % 2}"))
            version["v"] = view.version

        out["save"] = timed(save, runs)
        dossiers.update_dossier(ctx, dossier_id, version["v"], dossiers.DossierEdit(notes=""))

        week: dict[str, Any] = {}
        connection = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
        bare: dict[str, Any] = {}
        # the app and its floor alternate, so that both see the same load on a shared machine
        out["stats_week"], out["bare_sql_week"] = timed_pair(
            lambda: week.update(r=stats.compute(ctx, WEEK_FROM, WEEK_TO)),
            lambda: bare.update(c=bare_week_counts(connection, _fixed_clock())),
            max(runs, 15))
        connection.close()
        out["stats_year"] = timed(lambda: stats.compute(ctx, YEAR_FROM, YEAR_TO), runs)
        app_counts = week["r"].counts.counts
        out["week_counts"] = {key: app_counts[key] for key in BARE_KEYS}
        out["bare_counts"] = {key: bare["c"][key] for key in BARE_KEYS}
        app_warnings = {rule: n for rule, n in week["r"].counts.warnings.items() if n}
        out["bare_counts_equal"] = (out["week_counts"] == out["bare_counts"]
                                    and app_warnings == bare["c"]["warnings"])

        if with_pdf:
            out.update(measure_pdf(ctx, runs))
    finally:
        ctx.dispose()
    out["peak_rss_mb"] = peak_rss_mb()
    return out


def measure_pdf(ctx, runs: int) -> dict[str, Any]:
    import tempfile

    try:
        from desktop_app.services import reports
    except ImportError as error:
        return {"pdf_error": f"services.reports is not there yet ({error})"}
    out: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as folder:
        target = Path(folder) / "weekly.pdf"
        try:
            out["pdf_weekly"] = timed(lambda: reports.write_report(ctx, "weekly", UNTIL, target), runs)
            out["pdf_bytes"] = target.stat().st_size
            out.update(measure_reportlab_floor(target, runs))
        except Exception as error:  # noqa: BLE001 - a report still in the works must not stop the run
            out["pdf_error"] = f"{type(error).__name__}: {error}"
    return out


def measure_reportlab_floor(pdf: Path, runs: int) -> dict[str, Any]:
    """reportlab alone building tables of the same size as the weekly report's (no queries):
    as many table rows and pages as the app's PDF, with the same fonts."""
    import tempfile

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import getSampleStyleSheet
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Table, TableStyle

    pages = _pdf_pages(pdf)
    font = "Helvetica"
    for candidate in ("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",):
        if Path(candidate).exists():
            pdfmetrics.registerFont(TTFont("BenchSans", candidate))
            font = "BenchSans"
    styles = getSampleStyleSheet()
    style = styles["Normal"].clone("bench", fontName=font, fontSize=9)
    rows = [[Paragraph(f"Chỉ số {i}: Tỷ lệ hồ sơ giải quyết đúng hạn", style), f"{i * 7 % 100}",
             f"{i * 13 % 100}", "95,5 %", "1,50"] for i in range(38)]

    def build() -> None:
        with tempfile.TemporaryDirectory(prefix="bench-rl-") as folder:
            story: list[Any] = []
            for page in range(max(pages, 1)):
                story.append(Paragraph("BÁO CÁO TUẦN — Ủy ban nhân dân xã Phú Lạc", styles["Title"].clone(
                    "t", fontName=font)))
                table = Table([["Chỉ tiêu", "Tử số", "Mẫu số", "Tỷ lệ", "Điểm"], *rows])
                table.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font),
                                           ("GRID", (0, 0), (-1, -1), 0.5, colors.grey)]))
                story.append(table)
                if page < pages - 1:
                    story.append(PageBreak())
            SimpleDocTemplate(str(Path(folder) / "floor.pdf"), pagesize=A4).build(story)

    return {"reportlab_floor": timed(build, runs), "pdf_pages": pages}


def _pdf_pages(pdf: Path) -> int:
    data = pdf.read_bytes()
    return max(data.count(b"/Type /Page\n") + data.count(b"/Type /Page>>") + data.count(b"/Type /Page "), 1)


def measure_memory(db: Path) -> dict[str, Any]:
    """The main window as the app builds it, shown, then a name search and its first page."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    from desktop_app.services.context import open_database
    from desktop_app.storage.dossier_queries import DossierFilter
    from desktop_app.ui.app import create_application, create_main_window

    app = create_application([sys.argv[0]])  # noqa: F841 - lives until the process ends
    ctx = open_database(str(db))
    gc.disable()  # as the app does (ui.qt_fixes.UiThreadGarbageCollector)
    window = create_main_window(ctx)
    window.show()
    for _ in range(5):
        QApplication.processEvents()
    after_window = peak_rss_mb()
    # the longest the event loop waits while the start-up re-evaluation of warnings runs on a
    # worker thread and the officer searches a name (a 20 ms timer ticks on the UI thread)
    ticks = {"last": time.perf_counter(), "worst": 0.0}

    def tick() -> None:
        now = time.perf_counter()
        ticks["worst"] = max(ticks["worst"], now - ticks["last"])
        ticks["last"] = now

    timer = QTimer()
    timer.setInterval(20)
    timer.timeout.connect(tick)
    timer.start()
    started = time.perf_counter()
    window.model.set_filter(DossierFilter(search=SEARCH_TEXT))
    window.model.row_at(0)
    while getattr(window, "_reevaluation_token", None) is not None and time.perf_counter() - started < 120:
        QApplication.processEvents()
        time.sleep(0.002)
    startup_work_s = time.perf_counter() - started
    for _ in range(5):
        QApplication.processEvents()
    tick()
    result = {"rss_after_window_mb": after_window, "peak_rss_mb": peak_rss_mb(),
              "startup_work_s": round(startup_work_s, 2), "worst_stall_ms": round(ticks["worst"] * 1000, 1)}
    # leave at once: tearing the window down while its background jobs run is not measured
    print(json.dumps(result), flush=True)
    os._exit(0)


def measure_import(db: Path, source: Path) -> dict[str, Any]:
    from desktop_app.services import imports
    from desktop_app.services.context import open_database

    ctx = open_database(str(db), clock=_fixed_clock)
    try:
        started = time.perf_counter()
        result = imports.import_file(ctx, source)
        seconds = time.perf_counter() - started
    finally:
        ctx.dispose()
    summary = result.as_json() if hasattr(result, "as_json") else {}
    small = {k: v for k, v in summary.items() if isinstance(v, int | float | str | bool)}
    return {"import_ms": round(seconds * 1000, 1), "summary": small, "peak_rss_mb": peak_rss_mb()}


def measure_openpyxl(source: Path) -> dict[str, Any]:
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(source, read_only=True, data_only=True)
    rows = 0
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            rows += 1
    book.close()
    return {"openpyxl_ms": round((time.perf_counter() - started) * 1000, 1), "rows": rows}


def write_import_file(target: Path, count: int, source_db: Path) -> dict[str, Any]:
    """An import file of ``count`` dossiers: the app's own export of a demo database with that many
    dossiers (so the columns are exactly the template's), written by services.exports."""
    from desktop_app.services import exports
    from desktop_app.services.context import open_database

    ctx = open_database(str(source_db))
    try:
        started = time.perf_counter()
        exports.export_dossiers(ctx, target, date(2000, 1, 1), date(2100, 1, 1))
        seconds = time.perf_counter() - started
    finally:
        ctx.dispose()
    return {"export_ms": round(seconds * 1000, 1), "bytes": target.stat().st_size}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.measure")
    parser.add_argument("what", choices=("ops", "memory", "import", "openpyxl", "template"))
    parser.add_argument("paths", nargs="+", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pdf", action="store_true")
    args = parser.parse_args(argv)
    if args.what == "ops":
        result = measure_ops(args.paths[0], args.runs, args.pdf)
    elif args.what == "memory":
        result = measure_memory(args.paths[0])
    elif args.what == "import":
        result = measure_import(args.paths[0], args.paths[1])
    elif args.what == "openpyxl":
        result = measure_openpyxl(args.paths[0])
    else:
        result = write_import_file(args.paths[0], 0, args.paths[1])
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

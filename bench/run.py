"""The performance benchmark of SPEC §10 (not part of the test run).

    .venv/bin/python -m bench [--sizes 10k,50k,200k,1m] [--runs 5] [--quick]
    python3 bench/run.py ...                  # the same (re-runs itself with .venv's Python)
    python3 scripts/bootstrap.py bench ...    # set up the venv first, then the same

Builds (once, cached in ``bench/cache/``) demo databases of each size with ``motcua demo`` (fixed
seed, fixed "today" and five years of dossiers), then measures each operation in fresh
subprocesses, medians of ``--runs`` runs after a warm-up; writes ``bench/results.json`` and prints
the budgets of SPEC §10 (judged at 200,000 dossiers), the ratios against the floor and the
growth table. See docs/PERFORMANCE.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))
CACHE = ROOT / "bench" / "cache"
RESULTS = ROOT / "bench" / "results.json"
VENV_PYTHON = ROOT / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")

SIZES = (10_000, 50_000, 200_000, 1_000_000)
BUDGET_SIZE = 200_000
SEED = 7
WEEKS = 260  # five years
UNTIL = "2026-11-20"
IMPORT_ROWS = 50_000
#: The import file's dossiers come from another demo database, received in the year before the
#: benchmark databases begin, so that none of their codes is already there.
IMPORT_UNTIL, IMPORT_WEEKS = "2021-11-12", 52
WINDOW_TIMEOUT = 180

#: (key, label, budget, unit, how the measured value is read from a size's results)
BUDGETS = (
    ("window", "Cửa sổ sẵn sàng (window shown)", 2000, "ms"),
    ("search", "Tìm tên không dấu → trang đầu (search)", 100, "ms"),
    ("filter", "Đổi bộ lọc → trang đầu (filter)", 100, "ms"),
    ("save", "Lưu hồ sơ + cảnh báo (save)", 50, "ms"),
    ("stats_week", "Thống kê tuần (week stats)", 200, "ms"),
    ("week_vs_sql", "Thống kê tuần / SQL thuần", 2.0, "×"),
    ("stats_year", "Thống kê năm (year stats)", 1000, "ms"),
    ("pdf_weekly", "Báo cáo tuần PDF (weekly PDF)", 2000, "ms"),
    ("import_vs_openpyxl", "Nhập 50.000 dòng / openpyxl", 1.5, "×"),
    ("rss", "Bộ nhớ (peak RSS)", 300, "MB"),
)
GROWTH_KEYS = ("window", "search", "filter", "deep_page", "save", "stats_week", "bare_sql_week", "stats_year",
               "pdf_weekly", "import", "rss")


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", flush=True)


def ensure_python() -> None:
    """Re-run with the project's venv when this Python lacks the app's packages."""
    try:
        import PySide6  # noqa: F401
        import sqlalchemy  # noqa: F401
    except ImportError:
        if VENV_PYTHON.exists() and Path(sys.prefix).resolve() != VENV_PYTHON.parent.parent.resolve():
            os.chdir(ROOT)
            os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
            os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), "-m", "bench", *sys.argv[1:]])
        sys.exit("The app's packages are missing: run `python3 scripts/bootstrap.py bench` first.")


def child_env(data_dir: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", MOTCUA_DATA_DIR=str(data_dir), PYTHONHASHSEED="0")
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH", "")]))
    env.pop("MOTCUA_DB", None)
    return env


def run_json(args: list[str], env: dict[str, str], timeout: float = 3600) -> dict[str, Any]:
    done = subprocess.run([sys.executable, *args], env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=timeout, check=False)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])} failed ({done.returncode}):\n{done.stderr[-3000:]}")
    text = done.stdout.strip()
    try:
        return json.loads(text)  # motcua --json prints one indented object
    except json.JSONDecodeError:
        return json.loads(text.splitlines()[-1])  # bench.measure: the last line


# ---------------------------------------------------------------------------- databases


def size_name(size: int) -> str:
    return f"{size // 1_000_000}m" if size % 1_000_000 == 0 else f"{size // 1000}k"


def parse_size(text: str) -> int:
    text = text.strip().lower()
    factor = 1_000_000 if text.endswith("m") else 1000 if text.endswith("k") else 1
    return int(float(text.rstrip("mk")) * factor)


def demo_database(size: int, env: dict[str, str], *, until: str = UNTIL, weeks: int = WEEKS,
                  rebuild: bool = False) -> Path:
    """The cached demo database of ``size`` dossiers, built with ``motcua demo`` when missing."""
    CACHE.mkdir(parents=True, exist_ok=True)
    stem = f"demo-{size}" if (until, weeks) == (UNTIL, WEEKS) else f"demo-{size}-{until}-{weeks}w"
    path, meta = CACHE / f"{stem}.sqlite3", CACHE / f"{stem}.json"
    wanted = {"dossiers": size, "seed": SEED, "weeks": weeks, "until": until}
    if path.exists() and meta.exists() and not rebuild:
        stored = json.loads(meta.read_text(encoding="utf-8"))
        if {k: stored.get(k) for k in wanted} == wanted:
            return path
    partial = path.with_name(path.name + ".partial")
    for old in (path, partial, *CACHE.glob(path.name + "*-wal"), *CACHE.glob(path.name + "*-shm")):
        old.unlink(missing_ok=True)
    say(f"building {path.name} with motcua demo ({size:,} dossiers; 200k ≈ 1.5 min, 1m ≈ 8 min)")
    started = time.perf_counter()
    summary = run_json(["-m", "desktop_app", "--db", str(partial), "demo", "--dossiers", str(size),
                        "--seed", str(SEED), "--weeks", str(weeks), "--until", until, "--json"], env)
    os.replace(partial, path)
    wanted.update(seconds=round(time.perf_counter() - started, 1), bytes=path.stat().st_size,
                  warnings=summary.get("warnings"), first_received=summary.get("first_received"))
    meta.write_text(json.dumps(wanted, indent=2), encoding="utf-8")
    say(f"built {path.name} in {wanted['seconds']} s ({path.stat().st_size / 2**20:,.0f} MB)")
    return path


def upgrade(path: Path, env: dict[str, str]) -> float:
    """Open the database once with the app (applies new migrations, e.g. indexes); seconds."""
    started = time.perf_counter()
    run_json(["-m", "desktop_app", "--db", str(path), "init", "--json"], env)
    return round(time.perf_counter() - started, 2)


# ---------------------------------------------------------------------------- measurements


def measure_window(path: Path, env: dict[str, str], runs: int) -> dict[str, Any]:
    """Process start to main window shown (offscreen), through the real ``motcua`` entry point."""
    env = dict(env, MOTCUA_BENCH_EXIT_AFTER_SHOW="1")
    samples, rss = [], []
    for attempt in range(runs + 1):
        started = time.monotonic()
        # read the line as soon as it comes, then stop the process: on quitting, the app waits
        # for its start-up re-evaluation of warnings (a worker thread) to finish, which is not
        # part of "window shown"
        with subprocess.Popen([sys.executable, "-m", "desktop_app", "--db", str(path)], env=env, cwd=ROOT,
                              stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as child:
            line = None
            deadline = time.monotonic() + WINDOW_TIMEOUT
            assert child.stdout is not None
            for text in child.stdout:
                if text.startswith("MOTCUA_BENCH_SHOWN"):
                    line = text
                    break
                if time.monotonic() > deadline:
                    break
            child.kill()
        if line is None:
            raise RuntimeError("the window did not report being shown")
        _, shown, peak_kib = line.split()
        if attempt:  # the first launch is the warm-up (disk cache)
            samples.append((float(shown) - started) * 1000)
            rss.append(int(peak_kib) / 1024)
    return {"median_ms": round(statistics.median(samples), 1), "min_ms": round(min(samples), 1),
            "max_ms": round(max(samples), 1), "runs": runs, "rss_at_show_mb": round(statistics.median(rss), 1)}


def measure_memory(path: Path, env: dict[str, str], runs: int) -> dict[str, Any]:
    results = [run_json(["-m", "bench.measure", "memory", str(path)], env) for _ in range(runs)]
    return {key: round(statistics.median(r[key] for r in results), 1)
            for key in ("peak_rss_mb", "rss_after_window_mb", "startup_work_s", "worst_stall_ms")} | {"runs": runs}


def has_module(name: str) -> bool:
    return (ROOT / "desktop_app" / "services" / f"{name}.py").exists()


def import_file(env: dict[str, str], rebuild: bool) -> Path | None:
    """A 50,000-row import file: the app's export of a demo database of 50,000 dossiers received
    the year before the benchmark databases (their codes are new to them)."""
    if not (has_module("imports") and has_module("exports")):
        return None
    target = CACHE / f"import-{IMPORT_ROWS}.xlsx"
    if target.exists() and not rebuild:
        return target
    source = demo_database(IMPORT_ROWS, env, until=IMPORT_UNTIL, weeks=IMPORT_WEEKS, rebuild=rebuild)
    say(f"writing {target.name} with services.exports")
    partial = target.with_name("partial-" + target.name)
    run_json(["-m", "bench.measure", "template", str(partial), str(source)], env)
    os.replace(partial, target)
    return target


def measure_import(path: Path, source: Path, env: dict[str, str], runs: int) -> dict[str, Any]:
    """Import into a fresh copy of the database each run (fresh subprocess), after a warm-up;
    then openpyxl's read-only pass over the same file, the same way."""
    samples, summary = [], {}
    with tempfile.TemporaryDirectory(prefix="bench-import-", dir=CACHE) as folder:
        copy = Path(folder) / "copy.sqlite3"
        for attempt in range(runs + 1 if runs > 1 else 1):
            shutil.copyfile(path, copy)
            result = run_json(["-m", "bench.measure", "import", str(copy), str(source)], env)
            summary = result.get("summary", {})
            if attempt or runs <= 1:
                samples.append(result["import_ms"])
            for extra in Path(folder).iterdir():
                if extra.is_file():
                    extra.unlink()
                else:
                    shutil.rmtree(extra)
    floor = [run_json(["-m", "bench.measure", "openpyxl", str(source)], env)["openpyxl_ms"]
             for _ in range(max(runs, 1) + 1)][1:]
    imported, read = statistics.median(samples), statistics.median(floor)
    return {"import": {"median_ms": round(imported, 1), "runs": len(samples)},
            "openpyxl": {"median_ms": round(read, 1), "runs": len(floor)},
            "import_vs_openpyxl": round(imported / read, 2), "import_summary": summary}


def attempt(out: dict[str, Any], key: str, measure) -> Any:
    """Run one measurement; a failure is recorded (``<key>_error``) and the run goes on."""
    try:
        value = measure()
    except Exception as error:  # noqa: BLE001 - one broken measurement must not lose the others
        out[f"{key}_error"] = str(error)[-1500:]
        say(f"{key} failed: {str(error).splitlines()[0]}")
        return None
    if key != "ops":
        out[key] = value
    return value


def measure_size(size: int, args: argparse.Namespace, env: dict[str, str], source: Path | None) -> dict[str, Any]:
    path = demo_database(size, env, rebuild=args.rebuild)
    out: dict[str, Any] = {"database": path.name, "database_mb": round(path.stat().st_size / 2**20, 1)}
    say(f"{size_name(size)}: opening once with the app (migrations)")
    out["upgrade_s"] = upgrade(path, env)
    say(f"{size_name(size)}: window start ×{args.runs + 1}")
    attempt(out, "window", lambda: measure_window(path, env, args.runs))
    say(f"{size_name(size)}: search, filter, save, stats, bare SQL{', PDF' if not args.no_pdf else ''}")
    ops = attempt(out, "ops", lambda: run_json(["-m", "bench.measure", "ops", str(path), "--runs", str(args.runs),
                                                *([] if args.no_pdf else ["--pdf"])], env))
    if ops:
        out.update(ops)
        out["week_vs_sql"] = round(ops["stats_week"]["median_ms"] / ops["bare_sql_week"]["median_ms"], 2)
        if "pdf_weekly" in ops:
            out["pdf_vs_reportlab"] = round(
                ops["pdf_weekly"]["median_ms"] / ops["reportlab_floor"]["median_ms"], 2)
    say(f"{size_name(size)}: memory (window + search) ×{args.memory_runs}")
    attempt(out, "memory", lambda: measure_memory(path, env, args.memory_runs))
    if source is not None and not args.no_import:
        runs = args.runs if size == BUDGET_SIZE else 1
        say(f"{size_name(size)}: importing {IMPORT_ROWS:,} rows ×{runs} (+ openpyxl alone)")
        try:
            out.update(measure_import(path, source, env, runs))
        except Exception as error:  # noqa: BLE001 - the import is still being built by another helper
            out["import_error"] = str(error)[-1500:]
    return out


# ---------------------------------------------------------------------------- report


def value_of(result: dict[str, Any], key: str) -> float | None:
    if key == "rss":
        return result.get("memory", {}).get("peak_rss_mb")
    item = result.get(key)
    if isinstance(item, dict):
        return item.get("median_ms")
    return item if isinstance(item, int | float) else None


def machine() -> dict[str, Any]:
    cpu = platform.processor()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
        ram = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
                   if line.startswith("MemTotal")) / 2**20
    except (OSError, StopIteration):
        ram = 0
    return {"cpu": cpu, "cores": os.cpu_count(), "ram_gib": round(ram, 1), "python": platform.python_version(),
            "system": platform.platform(), "sqlite": __import__("sqlite3").sqlite_version}


def verdicts(results: dict[str, Any]) -> list[dict[str, Any]]:
    at = results.get(str(BUDGET_SIZE))
    rows = []
    for key, label, budget, unit in BUDGETS:
        value = value_of(at, key) if at else None
        rows.append({"key": key, "label": label, "budget": budget, "unit": unit, "value": value,
                     "met": None if value is None else value <= budget})
    return rows


def fmt(value: float | None, unit: str = "ms") -> str:
    if value is None:
        return "—"
    if unit == "×":
        return f"{value:.2f}×"
    if unit == "MB":
        return f"{value:.0f} MB"
    return f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def print_report(report: dict[str, Any]) -> None:
    print()
    print(f"Budgets of SPEC §10 at {BUDGET_SIZE:,} dossiers "
          f"(machine: {report['machine']['cpu']}, {report['machine']['cores']} cores, "
          f"load {report['load_before']} → {report['load_after']})")
    print(f"  {'operation':44} {'measured':>12} {'budget':>10}  result")
    for row in report["budgets"]:
        met = "—" if row["met"] is None else ("met" if row["met"] else "NOT MET")
        budget = fmt(row["budget"], row["unit"]) if row["unit"] != "ms" else f"{row['budget']:,} ms"
        print(f"  {row['label']:44} {fmt(row['value'], row['unit']):>12} {budget:>10}  {met}")
    sizes = [s for s in report["sizes"] if s in report["results"]]
    print()
    print("Growth (medians)  " + "".join(f"{size_name(int(s)):>12}" for s in sizes))
    for key in GROWTH_KEYS:
        unit = "MB" if key == "rss" else "ms"
        cells = [fmt(value_of(report["results"][s], key), unit) for s in sizes]
        print(f"  {key:16}" + "".join(f"{c:>12}" for c in cells))
    print()
    for s in sizes:
        r = report["results"][s]
        notes = [f"week/SQL {r.get('week_vs_sql', '—')}×"]
        if "pdf_vs_reportlab" in r:
            notes.append(f"PDF/reportlab {r['pdf_vs_reportlab']}×")
        if "import_vs_openpyxl" in r:
            notes.append(f"import/openpyxl {r['import_vs_openpyxl']}×")
        for error in ("pdf_error", "import_error", "window_error", "ops_error", "memory_error"):
            if error in r:
                notes.append(f"{error}: {r[error].splitlines()[-1][:120]}")
        if not r.get("bare_counts_equal", True):
            notes.append("BARE SQL COUNTS DIFFER")
        print(f"  {size_name(int(s)):>5}: " + " · ".join(notes))
    print(f"\nWritten: {report['output']}")


def markdown(report: dict[str, Any]) -> str:
    """The budgets and the growth table of a results file, as Markdown (for docs/PERFORMANCE.md)."""
    lines = [f"| operation at {BUDGET_SIZE:,} dossiers | measured | budget | |", "|---|---:|---:|---|"]
    for row in report["budgets"]:
        met = "—" if row["met"] is None else ("met" if row["met"] else "**not met**")
        budget = fmt(row["budget"], row["unit"]) if row["unit"] != "ms" else f"{row['budget']:,} ms"
        lines.append(f"| {row['label']} | {fmt(row['value'], row['unit'])} | {budget} | {met} |")
    sizes = [s for s in report["sizes"] if s in report["results"]]
    lines += ["", "| median | " + " | ".join(size_name(int(s)) for s in sizes) + " |",
              "|---|" + "---:|" * len(sizes)]
    for key in GROWTH_KEYS:
        unit = "MB" if key == "rss" else "ms"
        lines.append(f"| {key} | " + " | ".join(fmt(value_of(report["results"][s], key), unit) for s in sizes) + " |")
    for key, label in (("window", "window: rss_at_show_mb"),):
        lines.append(f"| {label} | " + " | ".join(
            str(report["results"][s].get(key, {}).get("rss_at_show_mb", "—")) for s in sizes) + " |")
    for key in ("startup_work_s", "worst_stall_ms"):
        lines.append(f"| memory: {key} | " + " | ".join(
            str(report["results"][s].get("memory", {}).get(key, "—")) for s in sizes) + " |")
    for key in ("week_vs_sql", "pdf_vs_reportlab", "import_vs_openpyxl", "upgrade_s", "database_mb"):
        lines.append(f"| {key} | " + " | ".join(str(report["results"][s].get(key, "—")) for s in sizes) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ensure_python()
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default=",".join(size_name(s) for s in SIZES),
                        help="comma-separated sizes, e.g. 10k,200k (default: 10k,50k,200k,1m)")
    parser.add_argument("--runs", type=int, default=5, help="timed runs after the warm-up (default 5)")
    parser.add_argument("--memory-runs", type=int, default=3)
    parser.add_argument("--no-pdf", action="store_true", help="skip the weekly PDF")
    parser.add_argument("--no-import", action="store_true", help="skip the 50,000-row import")
    parser.add_argument("--rebuild", action="store_true", help="rebuild the cached databases")
    parser.add_argument("--build-only", action="store_true", help="only build the cached databases")
    parser.add_argument("--output", type=Path, default=RESULTS)
    parser.add_argument("--markdown", action="store_true",
                        help="print the tables of the results file as Markdown and stop")
    args = parser.parse_args(argv)
    if args.markdown:
        print(markdown(json.loads(args.output.read_text(encoding="utf-8"))))
        return 0
    sizes = [parse_size(s) for s in args.sizes.split(",") if s.strip()]

    with tempfile.TemporaryDirectory(prefix="bench-data-") as data_dir:
        env = child_env(Path(data_dir))
        for size in sizes:
            demo_database(size, env, rebuild=args.rebuild)
        if args.build_only:
            return 0
        source = None if args.no_import else import_file(env, args.rebuild)
        report: dict[str, Any] = {"machine": machine(), "load_before": [round(x, 2) for x in os.getloadavg()],
                                  "started": time.strftime("%Y-%m-%d %H:%M:%S"),
                                  "parameters": {"seed": SEED, "weeks": WEEKS, "until": UNTIL, "runs": args.runs,
                                                 "import_rows": IMPORT_ROWS},
                                  "sizes": [str(s) for s in sizes], "results": {}}
        previous = json.loads(args.output.read_text(encoding="utf-8")) if args.output.exists() else {}
        for size in sizes:
            report["results"][str(size)] = measure_size(size, args, env, source)
            say(f"{size_name(size)} done; load {os.getloadavg()[0]:.2f}")
        # sizes not measured this time keep their previous figures (marked as such)
        for size, result in previous.get("results", {}).items():
            if size not in report["results"]:
                report["results"][size] = dict(result, from_previous_run=previous.get("started"))
        report["sizes"] = sorted(report["results"], key=int)
        report["load_after"] = [round(x, 2) for x in os.getloadavg()]
        report["budgets"] = verdicts(report["results"])
    report["output"] = str(args.output)
    args.output.write_text(json.dumps(report, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print_report(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())

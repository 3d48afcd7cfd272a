"""Benchmark: a gunicorn worker's resident memory before and after each export (issue #13).

    .venv/bin/python bench/export_memory.py                    # 1,000,000 complaints
    .venv/bin/python bench/export_memory.py --count 100000 --database sikesal_exports_100k
    .venv/bin/python bench/export_memory.py --only queue_all    # the queue CSV of everything

Builds (or reuses, when it holds the count) a database on the shared PostgreSQL at
127.0.0.1:5432 as bench/scale.py does (migrate, reference data, complaints over five years
through COPY, the bench's staff accounts), then serves it with gunicorn as in production
with one worker (DEBUG off, gunicorn.conf.py), warms the worker with /staf/, and downloads
in turn: the Secretariat's queue CSV, the report rows CSV over five years (every complaint)
and the report rows XLSX over the last --xlsx-days days (--only: others, such as the queue
CSV of every complaint). Before and after each it reads the
worker's VmRSS and its peak VmHWM from /proc: each figure is printed with its ratio to the
same worker's figure just before that export (the baseline, measured in the same run), with
the load average. The database is kept.
"""

import argparse
import os
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

import scale

RATIO_GOAL = 1.2  # issue #13: RSS after a million-row export within 1.2x of before


def exports(arguments) -> list[tuple[str, str]]:
    today = date.today()
    years = f"start={today - timedelta(days=5 * 365)}&end={today}"
    days = f"start={today - timedelta(days=arguments.xlsx_days)}&end={today}"
    chosen = {
        "queue": ("queue CSV, the Secretariat's queue", "/staf/antrean.csv"),
        "rows_csv": ("report rows CSV, five years", f"/staf/laporan/pengaduan.csv?{years}"),
        "rows_xlsx": (
            f"report rows XLSX, {arguments.xlsx_days} days",
            f"/staf/laporan/pengaduan.xlsx?{days}",
        ),
        "queue_all": ("queue CSV, every complaint", "/staf/antrean.csv?status=all"),
    }
    keys = arguments.only.split(",") if arguments.only else ["queue", "rows_csv", "rows_xlsx"]
    return [chosen[key] for key in keys]


def rows_in(path: str, body: bytes) -> int:
    if path.split("?")[0].endswith(".xlsx"):
        from io import BytesIO

        from openpyxl import load_workbook

        sheet = load_workbook(BytesIO(body), read_only=True).active
        return sum(1 for _row in sheet.iter_rows()) - 2  # the title and the header
    return body.count(b"\n") - 1


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="complaints (1,000,000)")
    parser.add_argument("--database", default="sikesal_exports_bench_1m")
    parser.add_argument("--xlsx-days", type=int, default=365, help="the XLSX's period (365)")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated: queue, rows_csv, rows_xlsx (the default three), queue_all "
        "(the queue CSV of every complaint: a million rows)",
    )
    parser.add_argument("--no-build", action="store_true", help="skip migrate/fill")
    arguments = parser.parse_args()
    label = "bench"
    scale.DATABASES[label], scale.SIZES[label] = arguments.database, arguments.count
    print(f"load average at start: {load()}", flush=True)
    if not arguments.no_build:
        env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
        scale.prepare(label, rebuild=False, env=env)
    with tempfile.TemporaryDirectory(prefix="sikesal-export-memory-") as temporary:
        folder = Path(temporary)
        server = scale.Server(label, folder, folder / "static", workers=1)
        server.site.manage("collectstatic", "--noinput", timeout=1800)
        server.start()
        try:
            client = server.client(scale.SECRETARIAT)
            client.get("/staf/")  # an ordinary page first: the worker's imports and caches
            (pid,) = server.worker_pids()
            print(f"one gunicorn worker (pid {pid}), {arguments.count:,} complaints\n")
            print("| export | rows | MB | time | VmRSS before → after | ratio | VmHWM ratio |")
            print("|---|---|---|---|---|---|---|")
            worst = 0.0
            for title, path in exports(arguments):
                before = scale.memory(pid)
                started = time.perf_counter()
                answer = client.get(path)
                seconds = time.perf_counter() - started
                after = scale.memory(pid)
                if answer.status != 200:
                    print(f"| {title} | HTTP {answer.status} | | | | | |", flush=True)
                    continue
                ratio = after["VmRSS"] / before["VmRSS"]
                worst = max(worst, ratio)
                print(
                    f"| {title} | {rows_in(path, answer.body):,} | {len(answer.body) / 1e6:,.1f} "
                    f"| {seconds:,.1f} s | {before['VmRSS'] / 1e3:,.0f} → "
                    f"{after['VmRSS'] / 1e3:,.0f} MB | {ratio:.2f} "
                    f"| {after['VmHWM'] / before['VmHWM']:.2f} |",
                    flush=True,
                )
                del answer
        finally:
            server.stop()
    print(f"\nworst RSS ratio {worst:.2f} (goal <= {RATIO_GOAL}); load average at end: {load()}")
    sys.exit(0 if worst <= RATIO_GOAL else 1)


if __name__ == "__main__":
    main()

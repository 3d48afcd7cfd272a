"""Benchmark: the figures' pages at 10,000 and 1,000,000 complaints on PostgreSQL, read
from the rollups, against the same figures computed straight from the complaints (the code
before issue #13, sikesal/reports/tests/direct_figures.py) in the same run; and what the
rollups' trigger costs a burst of concurrent filings.

    DEBUG=true .venv/bin/python bench/rollups.py              # builds both (~5 min), measures
    DEBUG=true .venv/bin/python bench/rollups.py --reuse      # the databases of a run before
    DEBUG=true .venv/bin/python bench/rollups.py --reuse --filing-only

It creates (dropping first) sikesal_rollups_bench_<size> on BENCH_POSTGRES (default
postgres://postgres@127.0.0.1:5432), fills them with bench/data.py's `fill` (COPY, five
years), times `rebuild_rollups`, then requests the pages through Django's test client,
interleaved (10k, 1M, 10k, ...; one warm-up round), and prints medians and ratios with the
load average before and after. The filing phase files through `complaint_submit` from
several threads at once, with the trigger on and off in turns, on the small database.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from datetime import date
from io import StringIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))
sys.path.insert(0, str(BASE_DIR / "bench"))

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
TRIGGERS = ("complaints_complaint_tally", "complaints_assignment_tally")


def database_name(size: int) -> str:
    return f"sikesal_rollups_bench_{size}"


def use(connection, size: int) -> None:
    connection.close()
    connection.settings_dict["NAME"] = database_name(size)


def build(connection, size: int, *, resume: bool) -> None:
    """Fill the database of `size` (resume: keep what a run before wrote). The rollups'
    trigger is off during the bulk load (session_replication_role), as for any bulk load:
    `rebuild_rollups` counts everything after."""
    import data
    import psycopg
    from django.core.management import call_command

    from sikesal.accounts.models import Membership, Role, User
    from sikesal.agencies.models import Agency

    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        exists = admin.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database_name(size)]
        ).fetchone()
        if not (resume and exists):
            admin.execute(f'DROP DATABASE IF EXISTS "{database_name(size)}"')
            admin.execute(f'CREATE DATABASE "{database_name(size)}"')
    use(connection, size)
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=StringIO())
    secretariat, _ = User.objects.get_or_create(
        username="bench.pantau", defaults={"email": "pantau@bench.id", "full_name": "Pantau"}
    )
    Membership.objects.get_or_create(
        user=secretariat,
        agency=Agency.objects.filter(is_secretariat=True).first()
        or Agency.objects.get(code="diskominfo"),
        role=Role.SECRETARIAT,
    )
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
    try:
        data.fill(size)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("SET session_replication_role = DEFAULT")
    print(f"{size:>10,}: filled in {time.perf_counter() - started:6.1f} s")


def rebuild(connection, size: int) -> float:
    from sikesal.complaints import rollups

    use(connection, size)
    started = time.perf_counter()
    rows = rollups.rebuild()
    elapsed = time.perf_counter() - started
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_tally")
        cursor.execute("SELECT count(*) FROM complaints_assignment")
        cases = cursor.fetchone()[0]
    print(
        f"{size:>10,}: rebuild_rollups {elapsed:6.1f} s, {rows:,} tally rows "
        f"for {size:,} complaints and {cases:,} assignments"
    )
    return elapsed


def semester():
    from sikesal.reports.report import Semester

    today = date.today()
    return Semester(today.year, 1) if today.month >= 7 else Semester(today.year - 1, 2)


def cases(connection):
    """label → callable(client) timing one figure source."""
    from sikesal.agencies.models import Agency
    from sikesal.complaints.stats import agency_figures
    from sikesal.reports.figures import ReportFilter, report_figures
    from sikesal.reports.tests.direct_figures import direct_agency_figures, direct_report_figures

    today = date.today()
    this_year = ReportFilter(date(today.year, 1, 1), today)
    half = semester().report_filter()

    def dpupr():
        return Agency.objects.get(code="dpupr")

    return {
        "/staf/pantau/ (this year), the page": lambda c: c.get("/staf/pantau/"),
        "/opd/dpupr/, the page": lambda c: c.get("/opd/dpupr/"),
        "semester report figures (report_figures)": lambda c: report_figures(half, today=today),
        "dashboard figures, rollups": lambda c: report_figures(this_year, today=today),
        "dashboard figures, direct (before)": lambda c: direct_report_figures(
            this_year, today=today
        ),
        "dpupr figures, rollups": lambda c: agency_figures(dpupr(), today=today),
        "dpupr figures, direct (before)": lambda c: direct_agency_figures(dpupr(), today=today),
    }


def measure(connection, sizes, rounds: int) -> dict[str, tuple[float, float]]:
    from django.test import Client

    from sikesal.accounts.models import User

    clients = {}
    for size in sizes:
        use(connection, size)
        clients[size] = Client(HTTP_HOST="127.0.0.1")
        clients[size].force_login(User.objects.get(username="bench.pantau"))
    samples: dict[str, dict[int, list[float]]] = {}
    for round_number in range(rounds + 1):
        for size in sizes:
            use(connection, size)
            for label, run in cases(connection).items():
                started = time.perf_counter()
                result = run(clients[size])
                elapsed = (time.perf_counter() - started) * 1000
                if hasattr(result, "status_code"):
                    assert result.status_code == 200, (label, result.status_code)
                if round_number:
                    samples.setdefault(label, {}).setdefault(size, []).append(elapsed)
    return {
        label: tuple(statistics.median(by_size[size]) for size in sizes)
        for label, by_size in samples.items()
    }


def filing(connection, size: int, *, threads: int, each: int, rounds: int) -> None:
    """Concurrent filings with the rollups' triggers on and off, in turns."""
    from django.db import connections

    from sikesal.agencies.models import Category, Region
    from sikesal.complaints.services import Location, complaint_submit

    use(connection, size)
    from sikesal.accounts.models import User

    reporters = list(User.objects.filter(username__startswith="bench.warga.")[:threads])
    category = Category.objects.filter(is_active=True, is_sensitive=False).first() or (
        Category.objects.filter(is_active=True).first()
    )
    kelurahan = Region.objects.filter(level=Region.Level.KELURAHAN).first()

    def worker(reporter, errors):
        connections["default"].settings_dict["NAME"] = database_name(size)
        try:
            for n in range(each):
                complaint_submit(
                    reporter=reporter,
                    report_type="pengaduan",
                    category=category,
                    title=f"Uji beban {n}",
                    description="Lampu jalan mati sejak seminggu di depan sekolah.",
                    event_date=None,
                    location=Location(latitude=None, longitude=None, kelurahan=kelurahan),
                    allow_unverified_reporter=True,
                )
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections["default"].close()

    def burst() -> float:
        errors: list[Exception] = []
        workers = [threading.Thread(target=worker, args=(r, errors)) for r in reporters]
        started = time.perf_counter()
        for thread in workers:
            thread.start()
        for thread in workers:
            thread.join()
        if errors:
            raise errors[0]
        return threads * each / (time.perf_counter() - started)

    def triggers(state: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE complaints_complaint {state} TRIGGER {TRIGGERS[0]}")
            cursor.execute(f"ALTER TABLE complaints_assignment {state} TRIGGER {TRIGGERS[1]}")

    rates: dict[str, list[float]] = {"off": [], "on": []}
    try:
        burst()  # warm-up
        for _ in range(rounds):
            for state in ("off", "on"):
                triggers("DISABLE" if state == "off" else "ENABLE")
                rates[state].append(burst())
    finally:
        triggers("ENABLE")
    off, on = statistics.median(rates["off"]), statistics.median(rates["on"])
    print(
        f"\nfiling, {threads} threads x {each}: {off:6.1f}/s without the trigger, "
        f"{on:6.1f}/s with it: ratio {on / off:4.2f}"
    )
    from sikesal.complaints import rollups

    started = time.perf_counter()
    folded = rollups.fold_all()
    print(f"fold of the {folded:,} complaints filed: {time.perf_counter() - started:5.2f} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--reuse", action="store_true", help="keep the databases of a run before")
    parser.add_argument("--build-only", action="store_true")
    parser.add_argument("--rebuild", action="store_true", help="with --reuse: rebuild_rollups")
    parser.add_argument("--resume", action="store_true", help="fill on from a run before")
    parser.add_argument("--filing-only", action="store_true")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--each", type=int, default=25)
    args = parser.parse_args()
    sizes = (args.small, args.big)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ["DATABASE_URL"] = f"{SERVER}/{database_name(sizes[0])}"
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "0")
    import django

    django.setup()
    from django.db import connection

    print(f"load average before: {os.getloadavg()}")
    if not args.filing_only:
        if not args.reuse:
            for size in sizes:
                build(connection, size, resume=args.resume)
            rebuilt = {size: rebuild(connection, size) for size in sizes}
            print(
                f"rebuild seconds per million complaints: {rebuilt[sizes[1]] * 1e6 / sizes[1]:.1f}"
            )
        elif args.rebuild:
            for size in sizes:
                rebuild(connection, size)
        if args.build_only:
            return 0
        for size in sizes:
            use(connection, size)
            from sikesal.complaints.models import Complaint

            print(f"{database_name(size)}: {Complaint.objects.count():,} complaints")
        timings = measure(connection, sizes, args.rounds)
        print(f"\n{'figures':<46} {sizes[0]:>10,} {sizes[1]:>10,}  ratio")
        for label, (small, big) in timings.items():
            print(f"{label:<46} {small:8.1f}ms {big:8.1f}ms  {big / small:6.2f}")
        for what in ("dashboard", "dpupr"):
            new = timings[f"{what} figures, rollups"]
            old = timings[f"{what} figures, direct (before)"]
            print(
                f"{what}: rollups / direct at {sizes[0]:,}: {new[0] / old[0]:5.2f}, "
                f"at {sizes[1]:,}: {new[1] / old[1]:5.2f}"
            )
    filing(connection, sizes[0], threads=args.threads, each=args.each, rounds=3)
    print(f"\nload average after: {os.getloadavg()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

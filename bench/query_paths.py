"""Benchmark: the list pages at two sizes on PostgreSQL, in one process, interleaved: each
figure is the median time at the big size divided by the median at the small size (1.0 is
flat). Prints the load average before and after.

    DEBUG=true .venv/bin/python bench/query_paths.py                 # 10,000 vs 100,000
    DEBUG=true .venv/bin/python bench/query_paths.py --big 1000000   # ~2 minutes to build

It creates (and drops first) two databases on the server of BENCH_POSTGRES (default
postgres://postgres@127.0.0.1:5432), named sikesal_querypaths_bench_<size>, writes the complaints
with INSERT ... SELECT (sikesal/complaints/tests/plan_data.py) and times the pages through
Django's test client (no HTTP server: the figures are the database and the view).
"""

import argparse
import os
import statistics
import sys
import time
from io import StringIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
PAGES = [
    ("secretariat", "/staf/", {}),
    ("secretariat", "/staf/", {"status": "open", "overdue": "1"}),
    ("secretariat", "/staf/", {"ujung": "akhir"}),
    ("officer", "/staf/", {}),
    (None, "/pengaduan/", {}),
    (None, "/pengaduan/", {"ujung": "akhir"}),
    (None, "/api/v1/public/complaints/", {}),
    ("secretariat", "/api/v1/staff/complaints/", {}),
    (None, "/open311/v2/requests.json", {}),
]


def database_name(size: int) -> str:
    return f"sikesal_querypaths_bench_{size}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=15)
    parser.add_argument(
        "--cold-count",
        action="store_true",
        help="clear the cache before each request: the overdue count is counted every time",
    )
    parser.add_argument("--reuse", action="store_true", help="keep the databases of a run before")
    args = parser.parse_args()
    sizes = (args.small, args.big)

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    os.environ["DATABASE_URL"] = f"{SERVER}/{database_name(sizes[0])}"
    import django

    django.setup()
    from django.db import connection

    print(f"load average before: {os.getloadavg()}")
    for size in sizes:
        if args.reuse:
            use(connection, size)
        else:
            build(connection, size)
    timings = measure(connection, sizes, args.rounds, cold_count=args.cold_count)
    print(f"\n{'page':<52} {sizes[0]:>10,} {sizes[1]:>10,}  ratio")
    for label, (small, big) in timings.items():
        print(f"{label:<52} {small:8.1f}ms {big:8.1f}ms  {big / small:5.2f}")
    print(f"\nload average after: {os.getloadavg()}")
    return 0


def use(connection, size: int) -> None:
    """Point the default connection at the database of `size`."""
    connection.close()
    connection.settings_dict["NAME"] = database_name(size)


def build(connection, size: int) -> None:
    import psycopg
    from django.core.management import call_command
    from django.utils import timezone

    from sikesal.accounts.models import Membership, Role, User
    from sikesal.agencies.models import Agency, Category, Region
    from sikesal.complaints.tests import plan_data

    started = time.perf_counter()
    with psycopg.connect(f"{SERVER}/postgres", autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{database_name(size)}"')
        admin.execute(f'CREATE DATABASE "{database_name(size)}"')
    use(connection, size)
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=StringIO())
    reporter, secretariat, officer = (
        User.objects.create_user(name, email=f"{name}@bench.id", full_name=name.title())
        for name in ("pelapor", "sekretariat", "petugas")
    )
    Membership.objects.create(
        user=secretariat, agency=Agency.objects.get(code="diskominfo"), role=Role.SECRETARIAT
    )
    Membership.objects.create(
        user=officer, agency=Agency.objects.get(code="dpupr"), role=Role.AGENCY_OFFICER
    )
    plan_data.build(
        size,
        reporter_id=reporter.pk,
        routed_by_id=secretariat.pk,
        category_ids=list(Category.objects.values_list("pk", flat=True)),
        kelurahan=list(
            Region.objects.filter(level=Region.Level.KELURAHAN).values_list("pk", "parent_id")
        ),
        agency_ids=list(Agency.objects.filter(is_active=True).values_list("pk", flat=True)),
        end=timezone.now(),
    )
    print(f"built {size:>10,} complaints in {time.perf_counter() - started:6.1f} s")


def measure(
    connection, sizes: tuple[int, int], rounds: int, *, cold_count: bool
) -> dict[str, tuple[float, float]]:
    from django.core.cache import cache
    from django.test import Client

    from sikesal.accounts.models import User

    samples: dict[str, dict[int, list[float]]] = {}
    clients = {}
    for size in sizes:
        use(connection, size)
        clients[size] = {
            who: Client(HTTP_HOST="127.0.0.1") for who in ("secretariat", "officer", None)
        }
        clients[size]["secretariat"].force_login(User.objects.get(username="sekretariat"))
        clients[size]["officer"].force_login(User.objects.get(username="petugas"))
    for round_number in range(rounds + 1):
        for size in sizes:
            use(connection, size)
            for who, url, params in PAGES:
                if cold_count:  # as on the first page after a transition
                    cache.clear()
                label = f"{who or 'anonymous'} {url} {params or ''}".strip()
                started = time.perf_counter()
                response = clients[size][who].get(url, params)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (url, response.status_code)
                if round_number:  # the first round warms up
                    samples.setdefault(label, {}).setdefault(size, []).append(elapsed)
    return {
        label: tuple(statistics.median(by_size[size]) for size in sizes)
        for label, by_size in samples.items()
    }


if __name__ == "__main__":
    sys.exit(main())

"""Benchmark: the text search (`?q=`) of /pengaduan/ and /staf/ at 10,000 and 1,000,000
complaints on PostgreSQL, in one process, interleaved: each figure is the median time at the
big size divided by the median at the small size (1.0 is flat). Prints the load average
before and after.

    DEBUG=true .venv/bin/python bench/search.py              # 10,000 vs 1,000,000 (~5 min to build)
    DEBUG=true .venv/bin/python bench/search.py --small-run  # 10,000 vs 100,000
    DEBUG=true .venv/bin/python bench/search.py --reuse      # the databases of a run before
    DEBUG=true .venv/bin/python bench/search.py --drop       # drop them at the end

It creates (and drops first) two databases on the server of BENCH_POSTGRES (default
postgres://postgres@127.0.0.1:5432), named sikesal_search_bench_<size>: migrations but the
search one, the reference data, complaints over five years through COPY
(bench/data.py's `fill`), a rare word in one complaint in 5,000, then the search migration
(its indexes built over the full table, as on a running installation). Pages are timed
through Django's test client (no HTTP server: the figures are the database and the view).

The searches: a common word (`lubang`: one complaint in eight says "berlubang"), a rare
word (`roboh`), part of a tracking number, and two common words that never meet
(`sampah lampu`: nothing matches, the planner's worst guess).
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
sys.path.insert(0, str(BASE_DIR / "bench"))

SERVER = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")
BEFORE_SEARCH = ("complaints", "0005_list_order_partial_indexes")
RARE_WORD = "roboh"
RARE_EVERY = 5_000
SECRETARIAT = "bench.sekretariat"


def database_name(size: int) -> str:
    return f"sikesal_search_bench_{size}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--small", type=int, default=10_000)
    parser.add_argument("--big", type=int, default=1_000_000)
    parser.add_argument("--small-run", action="store_true", help="--big 100000")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--reuse", action="store_true", help="keep the databases of a run before")
    parser.add_argument("--drop", action="store_true", help="drop the databases at the end")
    args = parser.parse_args()
    sizes = (args.small, 100_000 if args.small_run else args.big)

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
    timings = measure(connection, sizes, args.rounds)
    print(f"\n{'page':<56} {sizes[0]:>10,} {sizes[1]:>10,}  ratio")
    for label, (small, big) in timings.items():
        print(f"{label:<56} {small:8.1f}ms {big:8.1f}ms  {big / small:5.2f}")
    print(f"\nload average after: {os.getloadavg()}")
    if args.drop:
        drop(connection, sizes)
    return 0


def use(connection, size: int) -> None:
    """Point the default connection at the database of `size`."""
    connection.close()
    connection.settings_dict["NAME"] = database_name(size)


def admin():
    import psycopg

    return psycopg.connect(f"{SERVER}/postgres", autocommit=True)


def build(connection, size: int) -> None:
    from data import fill
    from django.core.management import call_command

    from sikesal.accounts.models import Membership, Role, User
    from sikesal.agencies.models import Agency

    started = time.perf_counter()
    with admin() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{database_name(size)}"')
        server.execute(f'CREATE DATABASE "{database_name(size)}"')
    use(connection, size)
    call_command("migrate", verbosity=0)
    # Without the search indexes while filling: built once over the full table after.
    call_command("migrate", *BEFORE_SEARCH, verbosity=0)
    call_command("load_reference_data", stdout=StringIO())
    fill(size)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE complaints_complaint SET description = description || %s WHERE id %% %s = 0",
            [f" Jembatan kayu {RARE_WORD}.", RARE_EVERY],
        )
    indexed = time.perf_counter()
    call_command("migrate", verbosity=0)
    print(f"search migration (indexes) {time.perf_counter() - indexed:6.1f} s")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaint")
    user, _ = User.objects.get_or_create(username=SECRETARIAT)
    Membership.objects.get_or_create(
        user=user, agency=Agency.objects.get(code="diskominfo"), role=Role.SECRETARIAT
    )
    print(f"built {size:>10,} complaints in {time.perf_counter() - started:6.1f} s")


def tracking_part() -> str:
    """Five characters of a public complaint's tracking number from the middle of the list
    (the same number in both databases is not possible: they are random)."""
    from sikesal.complaints.selectors import public_complaints

    complaints = public_complaints().order_by("-submitted_at", "-pk")
    middle = complaints.count() // 2
    return complaints.values_list("tracking_number", flat=True)[middle][-5:].lower()


def pages(size_tracking_part: str) -> list[tuple[str, str, str | None, dict]]:
    """(label, url, who, params) of every timed page."""
    searches = [
        ("common word", "lubang"),
        ("rare word", RARE_WORD),
        ("tracking number part", size_tracking_part),
        ("two words never together", "sampah lampu"),
    ]
    listed = []
    for name, q in searches:
        listed.append((f"/pengaduan/?q= {name}", "/pengaduan/", None, {"q": q}))
    for name, q in searches:
        listed.append((f"/staf/?q= {name}", "/staf/", "secretariat", {"q": q}))
        listed.append(
            (f"/staf/?status=all&q= {name}", "/staf/", "secretariat", {"q": q, "status": "all"})
        )
    listed.append(
        (
            "/api/v1/public/complaints/?q= common word",
            "/api/v1/public/complaints/",
            None,
            {"q": "lubang"},
        )
    )
    return listed


def measure(connection, sizes: tuple[int, int], rounds: int) -> dict[str, tuple[float, float]]:
    from django.test import Client

    from sikesal.accounts.models import User

    samples: dict[str, dict[int, list[float]]] = {}
    clients, plan = {}, {}
    for size in sizes:
        use(connection, size)
        clients[size] = {who: Client(HTTP_HOST="127.0.0.1") for who in ("secretariat", None)}
        clients[size]["secretariat"].force_login(User.objects.get(username=SECRETARIAT))
        plan[size] = pages(tracking_part())
    for round_number in range(rounds + 1):
        for size in sizes:
            use(connection, size)
            for label, url, who, params in plan[size]:
                started = time.perf_counter()
                response = clients[size][who].get(url, params)
                elapsed = (time.perf_counter() - started) * 1000
                assert response.status_code == 200, (url, params, response.status_code)
                if round_number:  # the first round warms up
                    samples.setdefault(label, {}).setdefault(size, []).append(elapsed)
    return {
        label: tuple(statistics.median(by_size[size]) for size in sizes)
        for label, by_size in samples.items()
    }


def drop(connection, sizes: tuple[int, int]) -> None:
    connection.close()
    with admin() as server:
        for size in sizes:
            server.execute(f'DROP DATABASE IF EXISTS "{database_name(size)}"')


if __name__ == "__main__":
    sys.exit(main())

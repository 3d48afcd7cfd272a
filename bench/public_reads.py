"""Benchmark: anonymous public reads against a static file through the same server (issue #13:
each public page at least 0.3x the static file's throughput).

    .venv/bin/python bench/public_reads.py                 # build or reuse, then measure
    .venv/bin/python bench/public_reads.py --seconds 10 --workers 2

Builds (or reuses, when it holds enough complaints) sikesal_pcache_bench on the shared
PostgreSQL at 127.0.0.1:5432: `migrate`, `load_reference_data`, 10,000 synthetic complaints
through COPY (bench/data.py's `fill`). Then serves it with gunicorn as production does (DEBUG
off, the project's gunicorn.conf.py, --workers), three times: the page cache in local memory
and files (no REDIS_URL), in Redis (REDIS_URL, database 5 of the local Redis, its page keys
deleted first), and off (SIKESAL_PAGE_CACHE_SECONDS=0). Each time wrk sends --connections
concurrent anonymous readers (Accept-Encoding: gzip, as a browser) for --seconds to the
static file and to each public page in turn (static, page, static, page ... static), for
--rounds rounds; each page's throughput is a ratio to the mean of the static runs just
before and after it, and the median over the rounds is printed. The load
average is printed at start and end: the machine is shared, read the ratios, not the req/s.
The collected static files are kept in the temporary folder between runs.
"""

import argparse
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from load_filing import BASE_DIR, VENV_BIN, Site, wait_for_port

SERVER = "postgres://postgres@127.0.0.1:5432"
DATABASE = "sikesal_pcache_bench"
REDIS = "redis://127.0.0.1:6379/5"
STATIC = "/static/css/sikesal.css"
# collectstatic compresses every file (minutes on a busy machine): kept between runs.
STATIC_ROOT = Path(tempfile.gettempdir()) / "sikesal-public-reads-static"
WRK = "/usr/bin/wrk"


def psql(database: str, sql: str, parameters=(), *, autocommit: bool = False):
    import psycopg

    with psycopg.connect(f"{SERVER}/{database}", autocommit=autocommit) as connection:
        cursor = connection.execute(sql, parameters)
        return cursor.fetchall() if cursor.description else None


def prepare(count: int) -> None:
    """The bench database, migrated and filled to `count` complaints."""
    if not psql("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE]):
        psql("postgres", f'CREATE DATABASE "{DATABASE}"', autocommit=True)
    env = {**os.environ, "DATABASE_URL": f"{SERVER}/{DATABASE}", "DEBUG": "true"}
    subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(BASE_DIR / "bench" / "data.py"), "--count", str(count)],
        env=env,
        cwd=BASE_DIR,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def forget_kept_pages() -> None:
    """Delete the pages and versions an earlier run left in Redis (the settings' prefixes)."""
    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(match="sikesal-page*"):
        client.delete(key)


def public_pages() -> list[tuple[str, str]]:
    """(label, path) of each public page, with a public complaint and an agency that exist."""
    tracking = psql(
        DATABASE,
        "SELECT tracking_number FROM complaints_complaint WHERE NOT is_confidential "
        "AND status IN ('routed', 'in_progress', 'responded', 'closed') "
        "AND decline_reason = '' ORDER BY submitted_at DESC LIMIT 1",
    )[0][0]
    return [
        ("home /", "/"),
        ("public list /pengaduan/", "/pengaduan/"),
        ("complaint /pengaduan/<tracking>/", f"/pengaduan/{tracking}/"),
        ("agencies /opd/", "/opd/"),
        ("agency /opd/dpupr/", "/opd/dpupr/"),
    ]


def requests_per_second(port: int, path: str, *, seconds: int, connections: int) -> float:
    """wrk's Requests/sec for `path`; a run with non-2xx/3xx answers is refused."""
    result = subprocess.run(  # noqa: S603 - wrk, our arguments
        [
            WRK,
            "--threads",
            "2",
            "--connections",
            str(connections),
            "--duration",
            f"{seconds}s",
            "--header",
            "Accept-Encoding: gzip",
            f"http://127.0.0.1:{port}{path}",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    if "Non-2xx or 3xx responses" in result.stdout:
        raise RuntimeError(f"{path}: error answers\n{result.stdout}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", result.stdout)[1])


def warm(port: int, path: str, times: int) -> None:
    """`times` requests one after the other, so that every worker has rendered (and kept)
    the page before wrk starts, and none is still busy with a queue of them after."""
    for _ in range(times):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
        answer = connection.getresponse()
        answer.read()
        connection.close()
        if answer.status != 200:
            raise RuntimeError(f"{path}: {answer.status}")


def measure(label: str, extra_env: dict[str, str], pages, folder: Path, arguments) -> dict:
    """Each page's throughput over the static file's, measured just before and after it:
    the median of --rounds rounds."""
    site = Site(folder=folder, sqlite=False, workers=arguments.workers)
    site.configure(f"{SERVER}/{DATABASE}")
    site.env["STATIC_ROOT"] = str(STATIC_ROOT)
    site.env.pop("REDIS_URL", None)
    site.env.update(extra_env)
    if not (STATIC_ROOT / "staticfiles.json").exists():
        site.manage("collectstatic", "--noinput", timeout=1800)
    command = [
        str(VENV_BIN / "gunicorn"),
        "config.wsgi",
        "--bind",
        f"127.0.0.1:{site.port}",
        "--workers",
        str(arguments.workers),
    ]
    ratios: dict[str, list[float]] = {page_label: [] for page_label, _path in pages}
    rates: dict[str, list[float]] = {page_label: [] for page_label, _path in pages}
    statics: list[float] = []
    try:
        wait_for_port(site.port, timeout=120, process=site.start("web", *command))

        def run(path: str) -> float:
            return requests_per_second(
                site.port, path, seconds=arguments.seconds, connections=arguments.connections
            )

        warm(site.port, STATIC, 4 * arguments.workers)
        for _label, path in pages:
            warm(site.port, path, 4 * arguments.workers)
        for _round in range(arguments.rounds):
            before = run(STATIC)
            statics.append(before)
            for page_label, path in pages:
                rate = run(path)
                after = run(STATIC)
                statics.append(after)
                rates[page_label].append(rate)
                ratios[page_label].append(rate / ((before + after) / 2))
                before = after
    finally:
        site.stop_all()
    print(f"\n{label}: static file {statistics.median(statics):,.0f} req/s (median)")
    for page_label in ratios:
        print(
            f"  {page_label:<36} {statistics.median(rates[page_label]):9,.0f} req/s  "
            f"{statistics.median(ratios[page_label]):5.2f}x static"
        )
    return {page_label: statistics.median(values) for page_label, values in ratios.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=10_000, help="complaints (default 10,000)")
    parser.add_argument("--seconds", type=int, default=3, help="each wrk run (default 3)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds, medians (default 3)")
    parser.add_argument("--connections", type=int, default=16, help="wrk connections (16)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--no-build", action="store_true", help="use the database as it is")
    parser.add_argument("--skip-off", action="store_true", help="do not measure the cache off")
    arguments = parser.parse_args()
    load = os.getloadavg()
    print(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}", flush=True)
    if not arguments.no_build:
        prepare(arguments.count)
    pages = public_pages()
    forget_kept_pages()
    setups = [
        ("page cache, no Redis (local memory, versions in files)", {}),
        ("page cache in Redis", {"REDIS_URL": REDIS}),
    ]
    if not arguments.skip_off:
        setups.append(("page cache off", {"SIKESAL_PAGE_CACHE_SECONDS": "0"}))
    ratios = {}
    with tempfile.TemporaryDirectory(prefix="sikesal-public-reads-") as temporary:
        for number, (label, extra_env) in enumerate(setups):
            folder = Path(temporary) / str(number)
            folder.mkdir()
            ratios[label] = measure(label, extra_env, pages, folder, arguments)
    forget_kept_pages()
    load = os.getloadavg()
    print(f"\nload average at end: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    print(
        f"gunicorn: {arguments.workers} workers, gunicorn.conf.py, DEBUG off; wrk "
        f"{arguments.connections} connections, {arguments.seconds} s a run, "
        f"median of {arguments.rounds} rounds; "
        f"{arguments.count:,} complaints on PostgreSQL"
    )
    print(f"\n{'page':<36} " + " ".join(f"{label[:22]:>22}" for label in ratios))
    for _label, _path in pages:
        row = " ".join(f"{ratios[label][_label]:21.2f}x" for label in ratios)
        print(f"{_label:<36} {row}")


if __name__ == "__main__":
    main()

"""Benchmark: every page at 10,000 and at 1,000,000 complaints on PostgreSQL (issue #13).

    .venv/bin/python bench/scale.py                    # build or reuse, then measure
    .venv/bin/python bench/scale.py --rounds 5 --only queue,public_list
    .venv/bin/python bench/scale.py --rebuild          # drop both databases, build again

Builds (or reuses, when they hold the right count) two databases on the shared PostgreSQL at
127.0.0.1:5432, sikesal_scale_10k and sikesal_scale_1m: `migrate` always (so indexes and
tables added since are built), `load_reference_data`, synthetic complaints through COPY
(bench/data.py's `fill`), then `rebuild_rollups` when that command exists. It serves each with
gunicorn as production does (DEBUG off, 3 workers, the project's gunicorn.conf.py), both at
once, signs a Secretariat officer and a DPUPR officer in through the login form, and requests
every page interleaved (10k, 1M, 10k, 1M ...): one warm-up round, then --rounds rounds; it
prints the median of each page at each size and their ratio, with the load average at start
and end. Last, a gunicorn with one worker serves the 1M queue CSV, and the worker's resident
memory (VmRSS, and its peak VmHWM) is read from /proc before and after.

The databases are kept: rerun on other code without rebuilding them. Every process started
here is stopped on exit (Ctrl-C included).
"""

import argparse
import gzip
import http.client
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urlsplit

from load_filing import BASE_DIR, VENV_BIN, Site, wait_for_port

SERVER = "postgres://postgres@127.0.0.1:5432"
SIZES = {"10k": 10_000, "1M": 1_000_000}
DATABASES = {"10k": "sikesal_scale_10k", "1M": "sikesal_scale_1m"}
WORKERS = 3
REQUEST_TIMEOUT = 900  # seconds; a page slower than this is reported as failed
PASSWORD = "Bench-skala-" + "Jambi-2026"  # bench accounts on the bench databases only
SECRETARIAT, OFFICER = "bench.sekretariat", "bench.dpupr"
TIMES = "\N{MULTIPLICATION SIGN}"  # as the table prints a ratio
LAST_PAGE_PROBE = 10**9  # Django's Paginator.get_page answers the last page past the end

USERS_SCRIPT = """
from sikesal.accounts.models import Membership, Role, User
from sikesal.agencies.models import Agency
secretariat = Agency.objects.filter(is_secretariat=True, is_active=True).order_by("pk").first()
people = [({secretariat!r}, secretariat, Role.SECRETARIAT),
          ({officer!r}, Agency.objects.get(code="dpupr"), Role.AGENCY_OFFICER)]
for username, agency, role in people:
    user, _ = User.objects.get_or_create(
        username=username, defaults={{"full_name": username, "email": username + "@b.id"}})
    Membership.objects.get_or_create(user=user, agency=agency, role=role)
    user.is_active = True
    user.set_password({password!r})
    user.save()
"""


# --- The databases --------------------------------------------------------------------------


def psql(database: str, sql: str, parameters=(), *, autocommit: bool = False):
    import psycopg

    with psycopg.connect(f"{SERVER}/{database}", autocommit=autocommit) as connection:
        cursor = connection.execute(sql, parameters)
        return cursor.fetchall() if cursor.description else None


def complaint_count(database: str) -> int | None:
    """The complaints in `database`; None when the database or its table does not exist."""
    exists = psql("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [database])
    if not exists:
        return None
    table = psql(database, "SELECT to_regclass('complaints_complaint')")[0][0]
    if table is None:
        return None
    return psql(database, "SELECT count(*) FROM complaints_complaint")[0][0]


def prepare(label: str, *, rebuild: bool, env: dict[str, str]) -> None:
    """The database of `label` built or reused, migrated, filled, rolled up, with the bench's
    staff accounts."""
    database, count = DATABASES[label], SIZES[label]
    have = complaint_count(database)
    if rebuild or (have is not None and have > count):
        print(f"{database}: dropping ({have} complaints)", flush=True)
        psql("postgres", f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)', autocommit=True)
        have = None
    exists = psql("postgres", "SELECT 1 FROM pg_database WHERE datname = %s", [database])
    if not exists:
        psql("postgres", f'CREATE DATABASE "{database}"', autocommit=True)
    print(f"{database}: {have or 0:,} complaints; migrate and fill to {count:,}", flush=True)
    started = time.perf_counter()
    env = {**env, "DATABASE_URL": f"{SERVER}/{database}", "DEBUG": "true"}
    subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(BASE_DIR / "bench" / "data.py"), "--count", str(count)],
        env=env,
        cwd=BASE_DIR,
        check=True,
    )
    manage = [sys.executable, str(BASE_DIR / "manage.py")]
    has_rollups = subprocess.run(  # noqa: S603 - our own manage.py
        [*manage, "help", "rebuild_rollups"], env=env, cwd=BASE_DIR, capture_output=True
    )
    if has_rollups.returncode == 0:
        print(f"{database}: rebuild_rollups", flush=True)
        subprocess.run([*manage, "rebuild_rollups"], env=env, cwd=BASE_DIR, check=True)  # noqa: S603
    script = USERS_SCRIPT.format(secretariat=SECRETARIAT, officer=OFFICER, password=PASSWORD)
    subprocess.run([*manage, "shell", "-c", script], env=env, cwd=BASE_DIR, check=True)  # noqa: S603
    print(f"{database}: ready in {time.perf_counter() - started:.0f} s", flush=True)


# --- HTTP -----------------------------------------------------------------------------------


@dataclass
class Answer:
    status: int
    seconds: float
    size: int
    body: bytes
    headers: dict[str, str]


@dataclass
class Client:
    """One visitor's cookies over plain http.client, a new connection per request."""

    port: int
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, method: str, path: str, body: str | None = None, **headers) -> Answer:
        headers = {"Accept-Encoding": "gzip", **headers}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        started = time.perf_counter()
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            seconds = time.perf_counter() - started
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                self.cookies[name] = morsel.value
        if response.headers.get("Content-Encoding") == "gzip":
            size, content = len(content), gzip.decompress(content)
        else:
            size = len(content)
        return Answer(response.status, seconds, size, content, dict(response.headers.items()))

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def sign_in(self, username: str) -> None:
        """Through the login form, as a person does."""
        form = self.get("/masuk/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', form.body)
        if form.status != 200 or not token:
            raise RuntimeError(f"no login form ({form.status})")
        fields = {
            "csrfmiddlewaretoken": token.group(1).decode(),
            "username": username,
            "password": PASSWORD,
        }
        answer = self.request("POST", "/masuk/", urlencode(fields), Referer="http://127.0.0.1/")
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not sign in ({answer.status})")


# --- The pages ------------------------------------------------------------------------------


@dataclass
class Page:
    key: str
    label: str
    who: str | None  # SECRETARIAT, OFFICER, or None (anonymous)
    path: str = ""  # fixed, or found per server by `find`
    find: str = ""  # "last_page", "public_detail"


def semester_query() -> str:
    """The last semester that has ended (the reports page's default)."""
    today = date.today()
    year, number = (today.year, 1) if today.month >= 7 else (today.year - 1, 2)
    return f"year={year}&semester={number}"


def semester_period() -> str:
    today = date.today()
    if today.month >= 7:
        return f"start={today.year}-01-01&end={today.year}-06-30"
    return f"start={today.year - 1}-07-01&end={today.year - 1}-12-31"


PAGES = [
    Page("queue", "Secretariat queue `/staf/`", SECRETARIAT, "/staf/"),
    Page("queue_search", "queue, search `q=lubang`", SECRETARIAT, "/staf/?q=lubang"),
    Page("queue_overdue", "queue, overdue filter", SECRETARIAT, "/staf/?overdue=on"),
    Page("officer_queue", "agency officer queue", OFFICER, "/staf/"),
    Page("public_list", "`/pengaduan/` page 1", None, "/pengaduan/"),
    Page("public_last", "`/pengaduan/` last page", None, find="last_page"),
    Page("public_search", "`/pengaduan/?q=lubang`", None, "/pengaduan/?q=lubang"),
    Page("agency", "`/opd/dpupr/`", None, "/opd/dpupr/"),
    Page("dashboard", "`/staf/pantau/`", SECRETARIAT, "/staf/pantau/"),
    Page("queue_csv", "`/staf/antrean.csv`", SECRETARIAT, "/staf/antrean.csv"),
    Page("public_detail", "a public complaint page", None, find="public_detail"),
    Page(
        "semester_pdf",
        "semester report PDF `/staf/laporan/semester.pdf`",
        SECRETARIAT,
        f"/staf/laporan/semester.pdf?{semester_query()}",
    ),
    Page(
        "rows_csv",
        "report rows CSV (a semester)",
        SECRETARIAT,
        f"/staf/laporan/pengaduan.csv?{semester_period()}",
    ),
    Page(
        "rows_xlsx",
        "report rows XLSX (a semester)",
        SECRETARIAT,
        f"/staf/laporan/pengaduan.xlsx?{semester_period()}",
    ),
]


def find_path(page: Page, client: Client) -> tuple[str | None, str]:
    """The path of a page found through the site's own links: (path, note), path None when
    the site has no such page."""
    first = client.get("/pengaduan/")
    if first.status != 200:
        return None, f"/pengaduan/ answered {first.status}"
    html = first.body.decode("utf-8", "replace")
    if page.find == "public_detail":
        link = re.search(r'href="(/pengaduan/[A-Za-z0-9-]+/)"', html)
        return (link.group(1), "the first complaint on /pengaduan/") if link else (None, "none")
    # The last page: a rel="last" link if the pager has one, else page numbers to the end.
    last = re.search(
        r'<a[^>]*href="([^"]+)"[^>]*rel="last"|<a[^>]*rel="last"[^>]*href="([^"]+)"', html
    )
    if last:
        return _unescape(last.group(1) or last.group(2)), 'the pager\'s rel="last" link'
    following = _link(html, "next")
    if following is None:
        return "/pengaduan/", "a single page"
    query = parse_qs(urlsplit(following).query)
    if not query.get("page", [""])[0].isdigit():
        return None, f"no page numbers to jump to (next: {following})"
    # Django's get_page answers the last page for any number past it; its "previous" link
    # then names the number of the last but one.
    probe = client.get(f"/pengaduan/?page={LAST_PAGE_PROBE}")
    previous = _link(probe.body.decode("utf-8", "replace"), "prev")
    number = parse_qs(urlsplit(previous or "").query).get("page", [""])[0]
    if not number.isdigit():
        return None, "page numbers, but no way to the last page"
    return f"/pengaduan/?page={int(number) + 1}", "page numbers: the number past the end"


def _link(html: str, rel: str) -> str | None:
    for tag in re.findall(r"<a\b[^>]*>", html):
        if re.search(rf'\brel="{rel}"', tag) and (href := re.search(r'href="([^"]+)"', tag)):
            return _unescape(href.group(1))
    return None


def _unescape(href: str) -> str:
    return href.replace("&amp;", "&")


# --- The servers ----------------------------------------------------------------------------


class Server:
    """gunicorn as in production on one database."""

    def __init__(self, label: str, folder: Path, static_root: Path, workers: int) -> None:
        self.label = label
        self.site = Site(folder=folder, sqlite=False, workers=workers)
        self.site.configure(f"{SERVER}/{DATABASES[label]}")
        self.site.env["STATIC_ROOT"] = str(static_root)
        self.workers = workers
        self.clients: dict[str | None, Client] = {}

    def start(self) -> None:
        command = [
            str(VENV_BIN / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{self.site.port}",
            "--workers",
            str(self.workers),
        ]
        wait_for_port(self.site.port, timeout=120, process=self.site.start("web", *command))

    def stop(self) -> None:
        self.site.stop_all()

    def client(self, who: str | None) -> Client:
        if who not in self.clients:
            client = Client(self.site.port)
            if who:
                client.sign_in(who)
            self.clients[who] = client
        return self.clients[who]

    def worker_pids(self) -> list[int]:
        master = self.site.processes["web"].pid
        pids = []
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    status = (entry / "status").read_text()
                except OSError:
                    continue
                if re.search(rf"^PPid:\s+{master}$", status, re.MULTILINE):
                    pids.append(int(entry.name))
        return pids


def memory(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM of a process, in kB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return {
        key: int(re.search(rf"^{key}:\s+(\d+) kB", status, re.MULTILINE).group(1))
        for key in ("VmRSS", "VmHWM")
    }


# --- The run --------------------------------------------------------------------------------


def milliseconds(seconds: float | None) -> str:
    return "n/a" if seconds is None else f"{seconds * 1000:,.0f} ms"


def ratio(small: float | None, large: float | None) -> str:
    if small is None or large is None:
        return "n/a"
    value = large / small
    return f"{value:.1f}{TIMES}" if value < 10 else f"{value:,.0f}{TIMES}"


def measure(servers: dict[str, Server], pages: list[Page], rounds: int) -> dict:
    """Each page on each server in turn, a warm-up round then `rounds`: the timings."""
    paths: dict[tuple[str, str], str | None] = {}
    notes: dict[str, str] = {}
    for page in pages:
        for label, server in servers.items():
            if page.find:
                path, note = find_path(page, server.client(page.who))
                notes[page.key] = note
            else:
                path = page.path
            paths[(page.key, label)] = path
    timings: dict[tuple[str, str], list[float]] = {key: [] for key in paths}
    failures: dict[tuple[str, str], str] = {}
    sizes: dict[tuple[str, str], int] = {}
    for number in range(rounds + 1):
        started = time.perf_counter()
        for page in pages:
            for label, server in servers.items():
                path = paths[(page.key, label)]
                if path is None or (page.key, label) in failures:
                    continue
                try:
                    answer = server.client(page.who).get(path)
                except (OSError, http.client.HTTPException) as error:
                    failures[(page.key, label)] = type(error).__name__
                    continue
                if answer.status != 200:
                    failures[(page.key, label)] = f"HTTP {answer.status}"
                    continue
                sizes[(page.key, label)] = answer.size
                if number > 0:
                    timings[(page.key, label)].append(answer.seconds)
        kind = "warm-up" if number == 0 else f"round {number}/{rounds}"
        print(f"{kind}: {time.perf_counter() - started:.0f} s", flush=True)
    return {
        "paths": paths,
        "notes": notes,
        "timings": timings,
        "failures": failures,
        "sizes": sizes,
    }


def report(pages: list[Page], labels: list[str], results: dict) -> None:
    small, large = labels
    print(f"\n| page | {small} median | {large} median | {large} / {small} |")
    print("|---|---|---|---|")
    for page in pages:
        cells = []
        medians = []
        for label in labels:
            key = (page.key, label)
            if key in results["failures"]:
                cells.append(results["failures"][key])
                medians.append(None)
            elif results["paths"][key] is None or not results["timings"][key]:
                cells.append("n/a")
                medians.append(None)
            else:
                median = statistics.median(results["timings"][key])
                cells.append(milliseconds(median))
                medians.append(median)
        print(f"| {page.label} | {cells[0]} | {cells[1]} | {ratio(*medians)} |")
    print()
    for page in pages:
        for label in labels:
            key = (page.key, label)
            size = results["sizes"].get(key)
            extra = f", {size / 1e3:,.1f} kB on the wire" if size is not None else ""
            print(f"  {page.key:<14} {label:>4}: {results['paths'][key]}{extra}")
        if page.key in results["notes"]:
            print(f"  {page.key:<14} found by: {results['notes'][page.key]}")


def five_years() -> str:
    """The longest period the report forms take (MAX_PERIOD_DAYS): every bench complaint."""
    today = date.today()
    return f"start={today - timedelta(days=5 * 365)}&end={today}"


MEMORY_EXPORTS = [
    ("the queue CSV as the Secretariat opens it", "/staf/antrean.csv"),
    ("the report rows CSV over five years", f"/staf/laporan/pengaduan.csv?{five_years()}"),
]
# Every complaint through the queue CSV: 45 min at 1M on the code before issue #13.
MEMORY_EXPORT_ALL = ("the queue CSV of every complaint", "/staf/antrean.csv?status=all")


def memory_phase(folder: Path, static_root: Path, label: str, exports) -> None:
    """One worker serves the queue CSVs of `label` in turn: its memory before and after."""
    (folder / "memory").mkdir()
    server = Server(label, folder / "memory", static_root, workers=1)
    server.start()
    try:
        client = server.client(SECRETARIAT)
        client.get("/staf/")  # the worker warmed by an ordinary page first
        (pid,) = server.worker_pids()
        for title, path in exports:
            before = memory(pid)
            answer = client.get(path)
            after = memory(pid)
            lines = answer.body.count(b"\n") - 1 if answer.status == 200 else 0
            print(
                f"\n{title} at {label} ({path}), one gunicorn worker (pid {pid}): "
                f"HTTP {answer.status}, {lines:,} rows, {len(answer.body) / 1e6:,.1f} MB "
                f"in {answer.seconds:,.1f} s"
            )
            for key in ("VmRSS", "VmHWM"):
                growth = after[key] / before[key]
                print(
                    f"  {key}: before {before[key] / 1e3:,.0f} MB, "
                    f"after {after[key] / 1e3:,.0f} MB (after / before {growth:.2f})"
                )
            print(f"  RSS after / before: {after['VmRSS'] / before['VmRSS']:.2f}")
    finally:
        server.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds (default 3)")
    parser.add_argument(
        "--only", default="", help="comma-separated page keys: " + ",".join(p.key for p in PAGES)
    )
    parser.add_argument("--rebuild", action="store_true", help="drop and build both databases")
    parser.add_argument("--no-build", action="store_true", help="skip migrate/fill/rollups")
    parser.add_argument("--no-memory", action="store_true", help="skip the memory phase")
    parser.add_argument("--memory-only", action="store_true", help="only the memory phase")
    parser.add_argument(
        "--memory-all", action="store_true", help="the memory phase also exports the whole queue"
    )
    arguments = parser.parse_args()
    pages = PAGES
    if arguments.only:
        keys = set(arguments.only.split(","))
        unknown = keys - {page.key for page in PAGES}
        if unknown:
            parser.error(f"unknown pages: {', '.join(sorted(unknown))}")
        pages = [page for page in PAGES if page.key in keys]
    labels = list(SIZES)
    load_start = os.getloadavg()
    print(f"load average at start: {load_start[0]:.2f} {load_start[1]:.2f} {load_start[2]:.2f}")
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    if not arguments.no_build:
        for label in labels:
            prepare(label, rebuild=arguments.rebuild, env=env)
    with tempfile.TemporaryDirectory(prefix="sikesal-scale-") as temporary:
        folder = Path(temporary)
        static_root = folder / "static"
        servers = {}
        try:
            for label in labels:
                (folder / label).mkdir()
                servers[label] = Server(label, folder / label, static_root, workers=WORKERS)
            servers[labels[0]].site.manage("collectstatic", "--noinput")
            if not arguments.memory_only:
                for server in servers.values():
                    server.start()
                started = time.perf_counter()
                results = measure(servers, pages, arguments.rounds)
                print(f"measured in {time.perf_counter() - started:.0f} s")
        finally:
            for server in servers.values():
                server.stop()
        if not arguments.memory_only:
            load_end = os.getloadavg()
            report(pages, labels, results)
            print(
                f"\nload average: at start {load_start[0]:.2f} {load_start[1]:.2f} "
                f"{load_start[2]:.2f}, at end {load_end[0]:.2f} {load_end[1]:.2f} "
                f"{load_end[2]:.2f}"
            )
            print(
                f"gunicorn: {WORKERS} workers each, DEBUG off; {arguments.rounds} rounds, medians"
            )
        memory_wanted = any(page.key == "queue_csv" for page in pages) or arguments.memory_only
        if memory_wanted and not arguments.no_memory:
            exports = [*MEMORY_EXPORTS, *([MEMORY_EXPORT_ALL] if arguments.memory_all else [])]
            memory_phase(folder, static_root, labels[-1], exports)
            load = os.getloadavg()
            print(f"load average after the memory phase: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")


if __name__ == "__main__":
    main()

"""Load test: citizens filing complaints with a photo through /lapor/, over real HTTP.

    .venv/bin/python bench/load_filing.py                          # 200 citizens, 120 s, PostgreSQL
    .venv/bin/python bench/load_filing.py --citizens 20 --duration 30
    .venv/bin/python bench/load_filing.py --sqlite --citizens 20 --duration 60
    .venv/bin/python bench/load_filing.py --sqlite --runserver --citizens 20 --duration 60

PostgreSQL mode (needs PostgreSQL 15's binaries, and root or the postgres user): a
throwaway cluster of its own in a temporary folder, on a free port (never the server on
5432), migrated, with the reference data and N verified citizens; gunicorn as in
production (DEBUG off, 3 workers, --timeout 60), `manage.py run_worker` and
`manage.py run_scheduler`, email to files. Every citizen logs in and files complaints
with a photo for the whole duration, as fast as the server answers; halfway through the
cluster is restarted (`pg_ctl restart -m fast`). Afterwards, without touching the worker,
it waits for the outbox to drain and checks:

- every filing that got its redirect has its complaint (reporter + submission token),
  its photo (row and file), its submit event and its outbox row;
- no filing that failed (another status, or a connection error) has a complaint;
- every outbox row is delivered, and its email was written exactly once (by Message-ID);
- the worker and the scheduler are the processes started at the beginning.

`--sqlite` runs the same against the embedded setup (a SQLite file, gunicorn on it, the
worker beside it) without the restart: SQLite's limit under concurrent writers. With
`--runserver` the web server is `make run`'s (`manage.py runserver`, DEBUG on), which runs
every request in a thread of its own: as many concurrent writers as citizens.

Prints the requests, p50/p95 latencies, errors by kind, the load average and PASS/FAIL
per check; exits 1 when a check fails. Every wait is bounded; every process it started
and the cluster are stopped on the way out (Ctrl-C included). Not part of the test suite.
"""

import argparse
import http.client
import io
import os
import random
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path("/usr/lib/postgresql/15/bin")
SOCKETS = "/tmp"  # noqa: S108 - where PostgreSQL puts its socket, as the shared server does
REQUEST_TIMEOUT = 120  # seconds; above gunicorn's --timeout 60, so gunicorn gives up first
DESCRIPTION = "Jalan berlubang di depan rumah, mohon segera diperbaiki. " * 3
PASSWORD = "Bench-" + secrets.token_urlsafe(16)


# --- The site under test -------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, *, timeout: float, process: subprocess.Popen | None = None) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            raise RuntimeError(f"process {process.args[:3]} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"nothing listens on port {port} after {timeout} s")


class Cluster:
    """A PostgreSQL 15 cluster of our own in `folder`, run as the postgres user."""

    def __init__(self, folder: Path) -> None:
        self.data = folder / "pgdata"
        self.log = folder / "postgresql.log"
        self.port = free_port()
        self.running = False

    def _run(self, *command: str, timeout: float = 120) -> None:
        as_postgres = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(  # noqa: S603 - PostgreSQL's own tools, our arguments
            [*as_postgres, *command], check=True, timeout=timeout, capture_output=True
        )

    def start(self) -> None:
        self.data.parent.chmod(0o755)
        if os.geteuid() == 0:
            self.data.mkdir()
            shutil.chown(self.data, "postgres", "postgres")
            self.log.touch()
            shutil.chown(self.log, "postgres", "postgres")
        self._run(str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres",
                  "--auth=trust", "--no-sync")  # fmt: skip
        self.running = True
        self._pg_ctl("start")
        self._run(str(PG_BIN / "createdb"), "-h", SOCKETS, "-p", str(self.port), "-U", "postgres",
                  "sikesal")  # fmt: skip

    def _pg_ctl(self, action: str, *extra: str) -> None:
        self._run(str(PG_BIN / "pg_ctl"), action, "-D", str(self.data), "-l", str(self.log),
                  "-w", "-t", "60", "-o", f"-p {self.port} -k {SOCKETS}", *extra)  # fmt: skip

    def restart(self) -> None:
        self._pg_ctl("restart", "-m", "fast")

    def stop(self) -> None:
        if self.running:
            self.running = False
            self._pg_ctl("stop", "-m", "immediate")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/sikesal"


@dataclass
class Site:
    folder: Path
    sqlite: bool
    workers: int
    runserver: bool = False
    port: int = field(default_factory=free_port)
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)
    env: dict[str, str] = field(default_factory=dict)

    def configure(self, database_url: str | None) -> None:
        (self.folder / "mail").mkdir()
        # The real settings plus EMAIL_FILE_PATH, which config/settings.py does not read.
        (self.folder / "bench_settings.py").write_text(
            "from config.settings import *  # noqa: F403\n"
            f"EMAIL_FILE_PATH = {str(self.folder / 'mail')!r}\n"
        )
        self.env = {
            **os.environ,
            "PYTHONPATH": os.pathsep.join([str(self.folder), str(BASE_DIR)]),
            "DJANGO_SETTINGS_MODULE": "bench_settings",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1",
            "SIKESAL_SITE_URL": f"http://127.0.0.1:{self.port}",
            # Plain HTTP on 127.0.0.1: no TLS to redirect to, cookies without Secure.
            "SECURE_SSL_REDIRECT": "false",
            "SESSION_COOKIE_SECURE": "false",
            "CSRF_COOKIE_SECURE": "false",
            "SIKESAL_VAR_DIR": str(self.folder / "var"),
            "STATIC_ROOT": str(self.folder / "static"),
            "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "SMS_BACKEND": "sikesal.core.sms.ConsoleBackend",
            "TASKS_BACKEND": "database",
            # A bench citizen files far more photos in an hour than a person does.
            "SIKESAL_PHOTO_MAX_PER_HOUR": "100000",
            "LOG_LEVEL": "WARNING",
            "PYTHONUNBUFFERED": "1",
        }
        if self.runserver:
            self.env["DEBUG"] = "true"  # as `make run` runs it
        self.env.pop("DATABASE_URL", None)
        if database_url:
            self.env["DATABASE_URL"] = database_url

    def manage(self, *args: str, timeout: float = 300) -> None:
        subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, str(BASE_DIR / "manage.py"), *args],
            env=self.env,
            cwd=BASE_DIR,
            check=True,
            timeout=timeout,
            stdout=subprocess.DEVNULL,
        )

    def start(self, name: str, *command: str) -> subprocess.Popen:
        log = open(self.folder / f"{name}.log", "wb")  # noqa: SIM115 - closed at exit
        process = subprocess.Popen(  # noqa: S603 - our own programs
            command,
            env=self.env,
            cwd=BASE_DIR,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.processes[name] = process
        return process

    def start_all(self) -> None:
        manage = [sys.executable, str(BASE_DIR / "manage.py")]
        self.start("worker", *manage, "run_worker", "--queue-name", "*", "--no-reload")
        self.start("scheduler", *manage, "run_scheduler")
        if self.runserver:
            # Django's development server: a thread per request, no limit on them.
            server = [*manage, "runserver", "--noreload", f"127.0.0.1:{self.port}"]
        else:
            server = [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind",
                      f"127.0.0.1:{self.port}", "--workers", str(self.workers),
                      "--timeout", "60"]  # fmt: skip
        web = self.start("web", *server)
        wait_for_port(self.port, timeout=60, process=web)

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.processes.values():
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(timeout=5)


CITIZENS_SCRIPT = """
from django.contrib.auth.hashers import make_password
from django.utils import timezone
from sikesal.accounts.models import User
from sikesal.accounts.services import user_create
for n in range({count}):
    user_create(username=f"bench.warga.{{n}}", password=None, full_name=f"Warga Uji {{n}}",
                email=f"bench.warga.{{n}}@contoh.id", mobile=f"+62812{{n:08d}}")
# One hash for all (argon2 takes a tenth of a second each); the email verified, so they may
# file, and only the email channel: every outbox row is an email, countable in the files.
User.objects.filter(username__startswith="bench.warga.").update(
    password=make_password({password!r}), email_verified_at=timezone.now())
"""


# --- The citizens ---------------------------------------------------------------------------


@dataclass
class Result:
    kind: str  # "login", "form" (GET /lapor/), "file" (POST /lapor/)
    citizen: int
    started: float
    latency: float
    outcome: str  # "ok", an HTTP status "500", or an exception class name
    token: str = ""
    tracking: str = ""


class Browser:
    """One citizen's cookies over plain http.client: one connection per request, as
    gunicorn's sync workers close it after every response anyway."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: bytes = b"", content_type: str = ""):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            headers = {"Host": f"127.0.0.1:{self.port}"}
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if content_type:
                headers["Content-Type"] = content_type
            connection.request(method, path, body=body or None, headers=headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                for name, morsel in SimpleCookie(header).items():
                    self.cookies[name] = morsel.value
            return response.status, response.headers, content.decode("utf-8", "replace")
        finally:
            connection.close()


def hidden(html: str, name: str) -> str:
    match = re.search(rf'name="{name}" value="([^"]*)"', html)
    return match.group(1) if match else ""


def multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, bytes]]):
    boundary = uuid.uuid4().hex
    out = io.BytesIO()
    for name, value in fields:
        out.write(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode())
        out.write(value.encode() + b"\r\n")
    for name, filename, content in files:
        out.write(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
        )
        out.write(content + b"\r\n")
    out.write(f"--{boundary}--\r\n".encode())
    return out.getvalue(), f"multipart/form-data; boundary={boundary}"


def photo(seed: int) -> bytes:
    """A small JPEG (640 x 480, ~20 kB) of its own for each citizen."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)  # noqa: S311 - test pictures
    image = Image.new("RGB", (640, 480), tuple(rng.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(30):
        x, y = rng.randrange(640), rng.randrange(480)
        draw.rectangle(
            (x, y, x + rng.randrange(20, 200), y + rng.randrange(20, 150)),
            fill=tuple(rng.randrange(256) for _ in range(3)),
        )
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


class Load:
    def __init__(self, port: int, citizens: int, duration: float) -> None:
        self.port = port
        self.citizens = citizens
        self.duration = duration
        self.results: list[Result] = []
        self.started = 0.0
        self.stop_at = 0.0
        self.stopping = threading.Event()
        self.choices: dict[str, str] = {}
        self.choices_lock = threading.Lock()

    def record(self, result: Result) -> None:
        self.results.append(result)  # list.append is atomic under the GIL

    def timed(self, kind: str, citizen: int, call):
        started = time.monotonic()
        try:
            status, headers, html = call()
        except (OSError, http.client.HTTPException) as error:
            result = Result(kind, citizen, started - self.started, 0, type(error).__name__)
            result.latency = time.monotonic() - started
            return result, None, None, None
        result = Result(kind, citizen, started - self.started, time.monotonic() - started, "")
        return result, status, headers, html

    def citizen(self, n: int) -> None:
        browser = Browser(self.port)
        picture = photo(n)
        logged_in = False
        filed = 0
        while not self.stopping.is_set() and time.monotonic() < self.stop_at:
            if not logged_in:
                logged_in = self.log_in(browser, n)
                if not logged_in:
                    time.sleep(1)
                continue
            result, status, _headers, html = self.timed(
                "form", n, lambda: browser.request("GET", "/lapor/")
            )
            if status != 200 or 'name="submission_token"' not in (html or ""):
                result.outcome = result.outcome or f"{status}"
                self.record(result)
                if status == 302:  # the session is gone: log in again
                    logged_in = False
                time.sleep(1)
                continue
            result.outcome = "ok"
            self.record(result)
            token = hidden(html, "submission_token")
            filed += 1
            body, content_type = multipart(
                [
                    ("csrfmiddlewaretoken", hidden(html, "csrfmiddlewaretoken")),
                    ("submission_token", token),
                    ("intent", "submit"),
                    ("report_type", self.choice(html, "report_type")),
                    ("category", self.choice(html, "category")),
                    ("title", f"Uji beban warga {n} pengaduan {filed} {token[:8]}"),
                    ("description", DESCRIPTION),
                    ("event_date", ""),
                    ("latitude", ""),
                    ("longitude", ""),
                    ("kelurahan", self.choice(html, "kelurahan")),
                    ("address", "Jl. Uji Beban"),
                ],
                [("photos", f"foto-{n}-{filed}.jpg", picture)],
            )
            result, status, headers, _html = self.timed(
                "file",
                n,
                lambda body=body, content_type=content_type: browser.request(
                    "POST", "/lapor/", body, content_type
                ),
            )
            result.token = token
            location = headers.get("Location", "") if headers is not None else ""
            if status == 302 and "terkirim=" in location:
                result.outcome = "ok"
                result.tracking = location.rsplit("terkirim=", 1)[1]
            elif status is not None:
                result.outcome = f"{status}" + (" form" if status == 200 else "")
            self.record(result)
            if result.outcome != "ok":
                time.sleep(0.5)

    def log_in(self, browser: Browser, n: int) -> bool:
        result, status, _headers, html = self.timed(
            "login", n, lambda: browser.request("GET", "/masuk/")
        )
        if status != 200:
            result.outcome = result.outcome or f"{status}"
            self.record(result)
            return False
        body = urlencode(
            {
                "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
                "username": f"bench.warga.{n}",
                "password": PASSWORD,
            }
        ).encode()
        result, status, _headers, _html = self.timed(
            "login",
            n,
            lambda: browser.request("POST", "/masuk/", body, "application/x-www-form-urlencoded"),
        )
        result.outcome = "ok" if status == 302 else (result.outcome or f"{status}")
        self.record(result)
        return status == 302

    def choice(self, html: str, name: str) -> str:
        """The first choice the form offers for `name` (the same for everybody)."""
        with self.choices_lock:
            if name not in self.choices:
                if name == "kelurahan":
                    select = re.search(r'<select name="kelurahan".*?</select>', html, re.S)
                    values = re.findall(r'value="(\d+)"', select.group(0)) if select else []
                else:
                    values = re.findall(rf'name="{name}" value="([^"]+)"', html)
                self.choices[name] = values[0] if values else ""
            return self.choices[name]

    def run(self, restart=None) -> None:
        self.started = time.monotonic()
        self.stop_at = self.started + self.duration
        threads = [
            threading.Thread(target=self.citizen, args=(n,), daemon=True)
            for n in range(self.citizens)
        ]
        for thread in threads:
            thread.start()
        if restart is not None:
            self.stopping.wait(self.duration / 2)
            began = time.monotonic()
            restart()
            print(
                f"PostgreSQL restarted at {began - self.started:.1f} s "
                f"in {time.monotonic() - began:.1f} s"
            )
        # Bounded: no request is started after the duration, and none lasts longer than
        # REQUEST_TIMEOUT.
        deadline = self.stop_at + REQUEST_TIMEOUT + 10
        for thread in threads:
            thread.join(max(0.1, deadline - time.monotonic()))
        self.stopping.set()
        self.elapsed = time.monotonic() - self.started


# --- The checks -----------------------------------------------------------------------------


def wait_for_outbox(timeout: float) -> float:
    """Seconds until no outbox row is pending or being sent (bounded by `timeout`)."""
    from django.db import connections

    from sikesal.notifications.models import OutboxMessage

    started = time.monotonic()
    while time.monotonic() - started < timeout:
        busy = OutboxMessage.objects.filter(status__in=["pending", "sending"]).count()
        connections.close_all()
        if not busy:
            break
        time.sleep(2)
    return time.monotonic() - started


def emails_by_message_id(folder: Path) -> Counter:
    ids = Counter()
    for path in folder.iterdir():
        for line in path.read_text(errors="replace").splitlines():
            if line.lower().startswith("message-id:"):
                ids[line.split(":", 1)[1].strip()] += 1
    return ids


def check(load: Load, site: Site, started: dict[str, int]) -> list[tuple[str, bool, str]]:
    from sikesal.complaints.models import Complaint, ComplaintEvent, ComplaintPhoto
    from sikesal.notifications.delivery import email_message_id
    from sikesal.notifications.models import OutboxMessage

    filings = [r for r in load.results if r.kind == "file"]
    successes = [r for r in filings if r.outcome == "ok"]
    failures = [r for r in filings if r.outcome != "ok"]
    username = "bench.warga.{}".format
    complaints = {
        (c.reporter.username, c.idempotency_key): c
        for c in Complaint.objects.select_related("reporter")
    }
    photos = Counter()
    missing_files = 0
    for photo_row in ComplaintPhoto.objects.filter(complaint__isnull=False):
        photos[photo_row.complaint_id] += 1
        # Re-encoded by the worker (image), or still as received while it is pending.
        stored = photo_row.image.name or photo_row.received.name
        if not stored or not photo_row.image.storage.exists(stored):
            missing_files += 1
    events = Counter(
        ComplaintEvent.objects.filter(action="submit").values_list("complaint_id", flat=True)
    )
    outbox_by_url = Counter(
        OutboxMessage.objects.filter(notification__kind="complaint_submitted").values_list(
            "notification__url", flat=True
        )
    )
    incomplete = []
    for r in successes:
        c = complaints.get((username(r.citizen), r.token))
        if (
            c is None
            or c.tracking_number != r.tracking
            or not photos[c.pk]
            or not events[c.pk]
            or not any(c.tracking_number in url for url in outbox_by_url)
        ):
            incomplete.append(r)
    filed_after_failure = [r for r in failures if (username(r.citizen), r.token) in complaints]
    succeeded = {(username(r.citizen), r.token) for r in successes}
    unexplained = [key for key in complaints if key not in succeeded]

    rows = list(OutboxMessage.objects.all())
    statuses = Counter(row.status for row in rows)
    sent = emails_by_message_id(site.folder / "mail")
    expected = {email_message_id(row) for row in rows if row.channel == "email"}
    not_once = [mid for mid in expected if sent[mid] != 1]
    strangers = [mid for mid in sent if mid not in expected]
    restarted = [
        name
        for name in ("worker", "scheduler")
        if site.processes[name].poll() is not None or site.processes[name].pid != started[name]
    ]
    return [
        (
            "every success has its complaint, photo (row and file), submit event, outbox row",
            not incomplete and not missing_files,
            f"{len(successes)} successes, {len(incomplete)} incomplete, "
            f"{missing_files} photo files missing",
        ),
        (
            "no failed filing has a complaint",
            not filed_after_failure,
            f"{len(failures)} failures, {len(filed_after_failure)} with a complaint "
            f"({dict(Counter(r.outcome for r in filed_after_failure))})",
        ),
        (
            "no complaint without a success (an outcome the citizen never saw)",
            not unexplained,
            f"{len(complaints)} complaints, {len(unexplained)} without a success",
        ),
        (
            "every outbox row delivered",
            set(statuses) <= {"delivered"} and bool(rows),
            f"{len(rows)} rows: {dict(statuses)}",
        ),
        (
            "every email written exactly once (per Message-ID)",
            not not_once and not strangers,
            f"{sum(sent.values())} emails for {len(expected)} rows, {len(not_once)} not "
            f"exactly once, {len(strangers)} unknown",
        ),
        (
            "worker and scheduler never restarted",
            not restarted,
            f"restarted or dead: {restarted or 'none'}",
        ),
    ]


def percentile(values: list[float], fraction: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, round(fraction * (len(values) - 1)))]


def report(load: Load, restart_window: tuple[float, float] | None) -> None:
    print(f"\n{load.citizens} citizens for {load.duration:g} s (ran {load.elapsed:.1f} s)")
    for kind, label in (("login", "POST /masuk/ (login)"), ("form", "GET /lapor/"),
                        ("file", "POST /lapor/ (filing)")):  # fmt: skip
        rows = [r for r in load.results if r.kind == kind]
        ok = [r.latency for r in rows if r.outcome == "ok"]
        errors = Counter(r.outcome for r in rows if r.outcome != "ok")
        print(
            f"{label:<24} {len(rows):6} requests {len(ok):6} ok   "
            f"p50 {percentile(ok, 0.5):6.2f} s  p95 {percentile(ok, 0.95):6.2f} s  "
            f"max {max(ok, default=float('nan')):6.2f} s   errors {dict(errors) or 'none'}"
        )
    filed = [r for r in load.results if r.kind == "file" and r.outcome == "ok"]
    print(f"{'filings per second':<24} {len(filed) / load.duration:6.2f}")
    each = Counter(r.citizen for r in filed)
    print(
        f"{'filings per citizen':<24} min {min(each.values(), default=0)}, "
        f"max {max(each.values(), default=0)} ({load.citizens - len(each)} filed none)"
    )
    if restart_window:
        during = [
            r
            for r in load.results
            if r.kind == "file" and r.outcome != "ok"
            and restart_window[0] - REQUEST_TIMEOUT <= r.started <= restart_window[1] + 5
        ]  # fmt: skip
        print(f"{'failed filings near the restart':<24} {len(during)}")
    print(f"{'load average (1/5/15)':<24} {' '.join(f'{x:.2f}' for x in os.getloadavg())}")


# --- Main -----------------------------------------------------------------------------------


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=200)
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument("--sqlite", action="store_true", help="SQLite file, no restart")
    parser.add_argument(
        "--runserver", action="store_true", help="`make run`'s server (DEBUG on) for gunicorn"
    )
    parser.add_argument("--no-restart", action="store_true", help="PostgreSQL, no restart")
    parser.add_argument("--drain-timeout", type=float, default=300, help="seconds")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="sikesal-load-"))
    cluster = None if args.sqlite else Cluster(folder)
    site = Site(folder, sqlite=args.sqlite, workers=args.workers, runserver=args.runserver)
    # Ctrl-C and SIGTERM both unwind through the finally below.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(130))
    try:
        if cluster is not None:
            cluster.start()
        site.configure(cluster.url if cluster is not None else None)
        started = time.monotonic()
        site.manage("migrate", "--noinput")
        site.manage("load_reference_data")
        site.manage("collectstatic", "--noinput")
        site.manage("shell", "-c",
                    CITIZENS_SCRIPT.format(count=args.citizens, password=PASSWORD))  # fmt: skip
        print(f"setup ({'SQLite' if args.sqlite else 'PostgreSQL 15'}, {args.citizens} "
              f"citizens) {time.monotonic() - started:.1f} s; folder {folder}")  # fmt: skip
        site.start_all()
        pids = {name: site.processes[name].pid for name in ("worker", "scheduler")}

        load = Load(site.port, args.citizens, args.duration)
        window = None
        restart = None
        if cluster is not None and not args.no_restart:

            def restart() -> None:
                nonlocal window
                began = time.monotonic() - load.started
                cluster.restart()
                window = (began, time.monotonic() - load.started)

        load.run(restart)
        report(load, window)

        os.environ.update({k: v for k, v in site.env.items() if k != "PYTHONPATH"})
        sys.path[:0] = [str(folder), str(BASE_DIR)]
        import django

        django.setup()
        drained = wait_for_outbox(args.drain_timeout)
        print(f"{'outbox drained in':<24} {drained:.1f} s (limit {args.drain_timeout:g} s)")
        results = check(load, site, pids)
        print()
        for name, passed, detail in results:
            print(f"{'PASS' if passed else 'FAIL'}  {name}: {detail}")
        return 0 if all(passed for _, passed, _ in results) else 1
    except KeyboardInterrupt:
        print("interrupted: stopping everything")
        return 130
    finally:
        site.stop_all()
        if cluster is not None:
            cluster.stop()
        if args.keep:
            print(f"kept {folder}")
        else:
            shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

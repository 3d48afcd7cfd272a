"""A crowd of citizens filing complaints through the real /lapor/ form of the embedded mode
(`make run`: SQLite, runserver, the worker beside it), to find up to what load SQLite serves.

Each virtual citizen, signed in, loops for --seconds: loads /lapor/, posts the form, loads
the page the post redirects to, then waits a random think time. The server runs on
127.0.0.1 only, on a throwaway database; everything stops after --seconds plus the
request timeout. Reported: requests, p50/p95/max per kind, answers by kind (a 503 is the
polite "server is busy" page; a 500 or a timeout is a failure), the load average, and
afterwards whether every accepted submission has its complaint and every outbox email
went out once.

    .venv/bin/python bench/sqlite_crowd.py --citizens 50 --seconds 30
    .venv/bin/python bench/sqlite_crowd.py --citizens 200 --server gunicorn
    .venv/bin/python bench/sqlite_crowd.py --app-dir /tmp/old-checkout   # another tree

Not part of the test suite.
"""

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path
from urllib.parse import urlencode

BASE_DIR = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"

# Run inside the app: signed-in sessions for the citizens, and the form's references.
PREPARE = """
import json
from django.test import Client
from django.utils import timezone
from sikesal.accounts.services import user_create
from sikesal.agencies.models import Category
sessions = []
for number in range({count}):
    user = user_create(
        username=f"bench.warga.{{number}}",
        password=None,
        full_name=f"Warga Uji {{number}}",
        email=f"warga{{number}}@contoh.id",
    )
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email_verified_at"])
    client = Client()
    client.force_login(user)
    sessions.append(client.cookies["sessionid"].value)
category = Category.objects.filter(code="jalan").values_list("pk", flat=True).get()
print(json.dumps({{"sessions": sessions, "category": category}}))
"""

COUNT = """
from sikesal.complaints.models import Complaint
from sikesal.notifications.models import OutboxMessage
print(Complaint.objects.count(), OutboxMessage.objects.filter(channel="email").count())
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def app_environment(var_dir: Path, port: int) -> dict[str, str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name not in {"DATABASE_URL", "SECRET_KEY", "ALLOWED_HOSTS", "TASKS_BACKEND"}
    }
    return environment | {
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "true",
        "SIKESAL_VAR_DIR": str(var_dir),
        "SIKESAL_SITE_URL": f"http://{HOST}:{port}",
        "LOG_LEVEL": "WARNING",
    }


def manage(app_dir: Path, environment: dict, *args: str) -> str:
    return subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", *args],
        cwd=app_dir,
        env=environment,
        check=True,
        capture_output=True,
        text=True,
        timeout=900,
    ).stdout


class Results:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latencies: dict[str, list[float]] = defaultdict(list)
        self.answers: Counter = Counter()
        self.filed = 0

    def add(self, kind: str, seconds: float, answer: str) -> None:
        with self.lock:
            self.latencies[kind].append(seconds)
            self.answers[f"{kind} {answer}"] += 1


class Citizen(threading.Thread):
    """One signed-in citizen filing complaints until `stop` is set."""

    def __init__(self, number: int, session: str, category: int, port: int, args, results, stop):
        super().__init__(daemon=True)
        self.number, self.session, self.category, self.port = number, session, category, port
        self.args, self.results, self.stop = args, results, stop
        self.cookies = {"sessionid": session}

    def request(self, kind: str, method: str, path: str, body: dict | None = None):
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        data = None
        if body is not None:
            data = urlencode(body)
            headers |= {
                "Content-Type": "application/x-www-form-urlencoded",
                "Referer": f"http://{HOST}:{self.port}{path}",
            }
        started = time.perf_counter()
        connection = http.client.HTTPConnection(HOST, self.port, timeout=self.args.timeout)
        try:
            connection.request(method, path, body=data, headers=headers)
            response = connection.getresponse()
            content = response.read()
        except TimeoutError:
            self.results.add(kind, time.perf_counter() - started, "timeout")
            return None, None, b""
        except OSError as error:
            self.results.add(kind, time.perf_counter() - started, type(error).__name__)
            return None, None, b""
        finally:
            connection.close()
        elapsed = time.perf_counter() - started
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        answer = str(response.status)
        if response.status == 500 and b"database is locked" in content:
            answer = "500 locked"
        self.results.add(kind, elapsed, answer)
        return response.status, response.getheader("Location"), content

    def run(self) -> None:
        rng = random.Random(self.number)  # noqa: S311 - think times, not secrets
        time.sleep(rng.uniform(0, self.args.think))  # do not all arrive in the same instant
        sequence = 0
        while not self.stop.is_set():
            status, _, page = self.request("page /lapor/", "GET", "/lapor/")
            token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page or b"")
            if status == 200 and token:
                sequence += 1
                status, location, _ = self.request(
                    "post /lapor/",
                    "POST",
                    "/lapor/",
                    {
                        "csrfmiddlewaretoken": token.group(1).decode(),
                        "report_type": "pengaduan",
                        "category": self.category,
                        "title": f"Jalan berlubang {self.number}-{sequence}",
                        "description": "Lubang besar di lajur kiri, sudah dua minggu.",
                        "event_date": "",
                        "latitude": "-1.638",
                        "longitude": "103.644",
                        "kelurahan": "",
                        "address": "Jl. Soekarno-Hatta",
                        "intent": "submit",
                    },
                )
                if status == 302 and location and "terkirim=" in location:
                    with self.results.lock:
                        self.results.filed += 1
                    self.request("page filed", "GET", location)
            self.stop.wait(rng.uniform(0, 2 * self.args.think))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between forms")
    parser.add_argument("--timeout", type=float, default=60, help="per request, seconds")
    parser.add_argument("--server", choices=["runserver", "gunicorn"], default="runserver")
    parser.add_argument("--no-worker", action="store_true", help="without db_worker beside it")
    parser.add_argument("--keep", action="store_true", help="keep the database and logs")
    parser.add_argument("--app-dir", type=Path, default=BASE_DIR, help="the tree to serve")
    args = parser.parse_args()

    var_dir = Path(tempfile.mkdtemp(prefix="sikesal-crowd-"))
    port = free_port()
    environment = app_environment(var_dir, port)
    app_dir = args.app_dir.resolve()
    print(f"Preparing {args.citizens} citizens in {var_dir} ...", flush=True)
    manage(app_dir, environment, "migrate", "--noinput")
    manage(app_dir, environment, "load_reference_data")
    prepared = json.loads(
        manage(app_dir, environment, "shell", "-c", PREPARE.format(count=args.citizens))
        .strip()
        .splitlines()[-1]
    )

    servers = []
    if args.server == "runserver":
        command = ["manage.py", "runserver", f"{HOST}:{port}", "--noreload"]
    else:
        command = ["-m", "gunicorn", "config.wsgi", "--bind", f"{HOST}:{port}", "--workers", "2"]
        command += ["--threads", "8", "--timeout", "30"]
    worker_log = open(var_dir / "worker.log", "w")  # noqa: SIM115 - closed at the end
    server_log = open(var_dir / "server.log", "w")  # noqa: SIM115 - closed at the end
    servers.append(
        subprocess.Popen(  # noqa: S603 - our own server
            [sys.executable, *command],
            cwd=app_dir,
            env=environment,
            stdout=server_log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    )
    if not args.no_worker:
        servers.append(
            subprocess.Popen(
                [sys.executable, "manage.py", "db_worker", "--queue-name", "*"],
                cwd=app_dir,
                env=environment,
                stdout=worker_log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    try:
        for _ in range(100):
            try:
                socket.create_connection((HOST, port), timeout=1).close()
                break
            except OSError:
                time.sleep(0.2)
        results, stop = Results(), threading.Event()
        citizens = [
            Citizen(n, session, prepared["category"], port, args, results, stop)
            for n, session in enumerate(prepared["sessions"])
        ]
        load = [os.getloadavg()[0]]
        started = time.monotonic()
        for citizen in citizens:
            citizen.start()
        while time.monotonic() - started < args.seconds:
            time.sleep(1)
            load.append(os.getloadavg()[0])
        stop.set()
        for citizen in citizens:
            citizen.join(timeout=args.timeout + 5)
        elapsed = time.monotonic() - started
        time.sleep(15 if not args.no_worker else 0)  # let the worker send what is queued
    finally:
        for server in servers:
            os.killpg(server.pid, signal.SIGINT)
        for server in servers:
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
        worker_log.close()
        server_log.close()

    complaints, emails = (
        int(n) for n in manage(app_dir, environment, "shell", "-c", COUNT).splitlines()[-1].split()
    )
    sent = re.findall(r"Message-ID: <(outbox\.[^>]+)>", (var_dir / "worker.log").read_text())
    twice = sum(count - 1 for count in Counter(sent).values() if count > 1)

    total = sum(len(values) for values in results.latencies.values())
    print(f"\n{args.citizens} citizens, {args.server}, {elapsed:.0f} s, think {args.think} s:")
    print(
        f"  {total} requests, {total / elapsed:.1f}/s; load average {load[0]:.1f} -> max "
        f"{max(load):.1f} ({os.cpu_count()} CPUs)"
    )
    for kind, values in sorted(results.latencies.items()):
        print(
            f"  {kind:<14} n={len(values):<6} p50={statistics.median(values):6.2f} s  "
            f"p95={percentile(values, 0.95):6.2f} s  max={max(values):6.2f} s"
        )
    for answer, count in sorted(results.answers.items()):
        print(f"  {answer:<26} {count}")
    print(f"  accepted submissions {results.filed}, complaints in the database {complaints}")
    print(f"  outbox emails {emails}, sent {len(sent)}, sent more than once {twice}")
    if args.keep:
        print(f"  logs and database kept in {var_dir}")
    else:
        shutil.rmtree(var_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())

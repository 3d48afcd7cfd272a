"""Filing throughput of the API (POST /api/v1/complaints/, JSON, a device token) as a ratio
to the web form (GET then POST /lapor/, a session), in the same run, over real HTTP.

    .venv/bin/python bench/api_filing.py                       # SQLite, then PostgreSQL
    .venv/bin/python bench/api_filing.py --sqlite --citizens 8 --duration 20

The site is load_filing.py's (bench/load_filing.py: gunicorn as in production, DEBUG off,
3 workers; PostgreSQL in a throwaway cluster of its own on a free port, never the server on
5432): migrated, with the reference data and N verified citizens, each with a session for
the form and a device token for the API. For `--duration` seconds the citizens file through
the form, as fast as the server answers; then for as long through the API. No photos on
either side (a photo costs the same through both doors). Prints filings per second for each
door, their p50/p95 latency, the ratio, the failures, and the load average before and after
each database's run; exits 1 when a filing fails. Not part of the test suite.
"""

import argparse
import http.client
import json
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

from load_filing import (
    CITIZENS_SCRIPT,
    DESCRIPTION,
    PASSWORD,
    VENV_BIN,
    Browser,
    Cluster,
    Site,
    hidden,
    wait_for_port,
)

TOKENS_SCRIPT = """
from sikesal.accounts.models import User
from sikesal.api.tokens import device_token_issue
for user in User.objects.filter(username__startswith="bench.warga.").order_by("pk"):
    print(user.username, device_token_issue(user=user, name="Bench")[1])
"""
# Kota Jambi (Paal Merah): a point inside the city, so the kelurahan is found from it.
LATITUDE, LONGITUDE = "-1.638", "103.644"


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))] if ordered else 0.0


class Door:
    """One door's run: `citizens` threads filing for `duration` seconds."""

    def __init__(self, name: str, port: int, citizens: int, duration: float) -> None:
        self.name = name
        self.port = port
        self.citizens = citizens
        self.duration = duration
        self.latencies: list[float] = []
        self.failures: list[str] = []
        self.lock = threading.Lock()

    def run(self, file_one, prepare=None) -> "Door":
        """`prepare(n, state)` (signing in) runs for every citizen before the clock starts."""
        states = [{} for _ in range(self.citizens)]
        if prepare is not None:
            for n, state in enumerate(states):
                prepare(n, state)
        stop_at = time.monotonic() + self.duration

        def citizen(n: int) -> None:
            state = states[n]
            filed = 0
            while time.monotonic() < stop_at:
                filed += 1
                started = time.monotonic()
                try:
                    problem = file_one(n, filed, state)
                except OSError as error:
                    problem = type(error).__name__
                with self.lock:
                    if problem:
                        self.failures.append(problem)
                    else:
                        self.latencies.append(time.monotonic() - started)

        started = time.monotonic()
        threads = [threading.Thread(target=citizen, args=(n,)) for n in range(self.citizens)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - started
        rate = len(self.latencies) / elapsed
        print(
            f"  {self.name:<5} {len(self.latencies):6} filed in {elapsed:5.1f} s: "
            f"{rate:6.1f}/s  p50 {percentile(self.latencies, 0.5) * 1000:6.0f} ms  "
            f"p95 {percentile(self.latencies, 0.95) * 1000:6.0f} ms  "
            f"failures {len(self.failures)}"
            + (f" (first: {self.failures[0]})" if self.failures else "")
        )
        self.rate = rate
        return self


def web_sign_in(port: int):
    """A citizen's session, opened through /masuk/ before the clock starts."""

    def prepare(n: int, state: dict) -> None:
        browser = Browser(port)
        _status, _headers, html = browser.request("GET", "/masuk/")
        body = urlencode(
            {
                "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
                "username": f"bench.warga.{n}",
                "password": PASSWORD,
            }
        ).encode()
        status, _headers, _html = browser.request(
            "POST", "/masuk/", body, "application/x-www-form-urlencoded"
        )
        if status != 302:
            raise RuntimeError(f"bench.warga.{n} could not sign in: {status}")
        state["browser"] = browser

    return prepare


def web_filing(port: int, category_code: str, report_type: str):
    """One filing through the form, as a browser files it: GET /lapor/ for its tokens, then
    POST it. The form names the category by its choice's value, found on the page."""

    def file_one(n: int, filed: int, state: dict) -> str:
        browser = state["browser"]
        status, _headers, html = browser.request("GET", "/lapor/")
        if status != 200:
            return f"form {status}"
        body = urlencode(
            {
                "csrfmiddlewaretoken": hidden(html, "csrfmiddlewaretoken"),
                "submission_token": hidden(html, "submission_token"),
                "intent": "submit",
                "report_type": report_type,
                "category": _form_choice(html, "category", category_code),
                "title": f"Uji formulir warga {n} pengaduan {filed}",
                "description": DESCRIPTION,
                "event_date": "",
                "latitude": LATITUDE,
                "longitude": LONGITUDE,
                "kelurahan": "",
                "address": "Jl. Uji Beban",
            }
        ).encode()
        status, headers, _html = browser.request(
            "POST", "/lapor/", body, "application/x-www-form-urlencoded"
        )
        if status != 302 or "terkirim=" not in headers.get("Location", ""):
            return f"file {status}"
        return ""

    return file_one


def _form_choice(html: str, name: str, code: str) -> str:
    """The value of the form's choice for `name` that stands for `code` (the code itself,
    or else the first choice)."""
    values = re.findall(rf'name="{name}" value="([^"]+)"', html)
    return code if code in values else (values[0] if values else code)


def api_filing(port: int, tokens: dict[int, str], category: str, report_type: str):
    """One filing through the API: POST /api/v1/complaints/ with the citizen's token."""

    def file_one(n: int, filed: int, state: dict) -> str:
        body = json.dumps(
            {
                "report_type": report_type,
                "category": category,
                "title": f"Uji API warga {n} pengaduan {filed}",
                "description": DESCRIPTION,
                "latitude": LATITUDE,
                "longitude": LONGITUDE,
                "address": "Jl. Uji Beban",
            }
        ).encode()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        try:
            connection.request(
                "POST",
                "/api/v1/complaints/",
                body=body,
                headers={
                    "Host": f"127.0.0.1:{port}",
                    "Authorization": f"Bearer {tokens[n]}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": f"bench-{n}-{filed}",
                },
            )
            response = connection.getresponse()
            content = response.read()
        finally:
            connection.close()
        if response.status != 201:
            return f"{response.status} {content[:120]!r}"
        return ""

    return file_one


def run(label: str, database_url: str | None, folder: Path, citizens: int, duration: float):
    print(f"\n{label}: {citizens} citizens, {duration:.0f} s per door")
    site = Site(folder=folder, sqlite=database_url is None, workers=3)
    site.configure(database_url)
    site.manage("migrate", "--noinput")
    site.manage("load_reference_data")
    site.manage("collectstatic", "--noinput")
    site.manage("shell", "-c", CITIZENS_SCRIPT.format(count=citizens, password=PASSWORD))
    keys = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", TOKENS_SCRIPT],
        env=site.env,
        cwd=Path(__file__).resolve().parent.parent,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.split()
    tokens = {
        int(name.rsplit(".", 1)[1]): key for name, key in zip(keys[::2], keys[1::2], strict=True)
    }
    server = [str(VENV_BIN / "gunicorn"), "config.wsgi", "--bind", f"127.0.0.1:{site.port}",
              "--workers", str(site.workers), "--timeout", "60"]  # fmt: skip
    try:
        wait_for_port(site.port, timeout=60, process=site.start("web", *server))
        browser = Browser(site.port)
        _status, _headers, body = browser.request("GET", "/api/v1/categories/")
        reference = json.loads(body)
        category = reference["categories"][0]["code"]
        report_type = reference["report_types"][0]["code"]
        print(f"  load average before: {load_average()}")
        web = Door("form", site.port, citizens, duration).run(
            web_filing(site.port, category, report_type), prepare=web_sign_in(site.port)
        )
        api = Door("API", site.port, citizens, duration).run(
            api_filing(site.port, tokens, category, report_type)
        )
        print(f"  load average after:  {load_average()}")
        print(f"  API / form: {api.rate / web.rate if web.rate else float('inf'):.2f}")
        return web, api
    finally:
        site.stop_all()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--citizens", type=int, default=8)
    parser.add_argument("--duration", type=float, default=30)
    parser.add_argument("--sqlite", action="store_true", help="SQLite only")
    parser.add_argument("--postgresql", action="store_true", help="PostgreSQL only")
    options = parser.parse_args()
    databases = ["sqlite", "postgresql"]
    if options.sqlite != options.postgresql:
        databases = ["sqlite"] if options.sqlite else ["postgresql"]
    failed = False
    for database in databases:
        with tempfile.TemporaryDirectory(prefix="sikesal-api-bench-") as folder:
            folder = Path(folder)
            cluster = None
            try:
                if database == "postgresql":
                    cluster = Cluster(folder)
                    cluster.start()
                doors = run(
                    database,
                    cluster.url if cluster else None,
                    folder,
                    options.citizens,
                    options.duration,
                )
                failed = failed or any(door.failures or not door.latencies for door in doors)
            finally:
                if cluster is not None:
                    cluster.stop()
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

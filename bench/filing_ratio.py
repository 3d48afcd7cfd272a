"""Filing throughput as a ratio to a bare Django view on the same database (issue #13), over
real HTTP, with the worker running beside the web server as deployed.

    .venv/bin/python bench/filing_ratio.py                        # 8 clients, 20 s a door
    .venv/bin/python bench/filing_ratio.py --clients 8 --duration 30
    .venv/bin/python bench/filing_ratio.py --code /work/main      # the same bench, main's code
    .venv/bin/python bench/filing_ratio.py --worker after         # the web server alone

The site is load_filing.py's: a throwaway PostgreSQL 15 cluster on a free port (never the
server on 5432), migrated, with the reference data and one verified citizen per client;
gunicorn with gunicorn.conf.py (gthread) and 3 workers, DEBUG off; `manage.py run_worker`
beside it, running during the doors or (`--worker after`) paused and draining after each.
The bench's own settings add bench/filing_bare.py's urlconf: the bare views.

Doors, each for `--duration` seconds with `--clients` concurrent clients, one after the
other, the queue drained between them:

- bare: POST /bench/bare/, one row inserted (the baseline without a photo);
- lapor: POST /lapor/ as a signed-in verified citizen, the real form (CSRF token and the
  form's choices from one GET /lapor/ per client before the clock starts, a fresh
  submission token per filing); the redirect to the tracking page is not followed;
- api: POST /api/v1/complaints/ (JSON, a device token, an Idempotency-Key);
- bare-upload: POST /bench/bare-upload/ with a ~200 kB JPEG, saved as received (the
  baseline with a photo); lapor-photo and api-photo: the same JPEG with the filing.

Prints per door the filings per second, p50/p95 latency, failures; the ratio of each
filing door to its baseline; the web server's CPU per request (all gunicorn processes);
after each door the tasks still queued, the time the worker took to drain them (and, with
a photo, to make every photo ready), the worker's CPU per filing and the delivery tasks
queued; the load average before and after. `--code` runs the site from another
checkout (e.g. main, for the figures before a change). Not part of the test suite.
"""

import argparse
import contextlib
import http.client
import io
import json
import os
import signal
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The bench folder is not a package: its scripts import each other from the path.
import load_filing
from api_filing import TOKENS_SCRIPT, Door, _form_choice, web_sign_in
from load_filing import (
    CITIZENS_SCRIPT,
    DESCRIPTION,
    PASSWORD,
    VENV_BIN,
    Cluster,
    Site,
    hidden,
    multipart,
    wait_for_port,
)

BENCH_DIR = Path(__file__).resolve().parent
LATITUDE, LONGITUDE = "-1.638", "103.644"  # Paal Merah, inside Kota Jambi
PHOTO_BYTES = 200_000
DRAIN_TIMEOUT = 600  # seconds
WARM_UP_SECONDS = 3
SETUP_TIMEOUT = 900  # seconds a setup command may take on a busy machine


def load_average() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def photo_200kb() -> bytes:
    """A phone-like JPEG of about 200 kB (1600 x 1200, noise and shapes, EXIF GPS)."""
    from PIL import Image, ImageDraw

    image = Image.merge("RGB", [Image.effect_noise((1600, 1200), 30)] * 3)
    draw = ImageDraw.Draw(image)
    for n in range(40):
        draw.rectangle((n * 37, n * 23, n * 37 + 300, n * 23 + 200), fill=(n * 6, 90, 200 - n))
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "S", 2: (1.0, 38.0, 16.8), 3: "E", 4: (103.0, 38.0, 38.4)})
    best = b""
    for quality in range(95, 10, -1):
        out = io.BytesIO()
        image.save(out, "JPEG", quality=quality, exif=exif)
        best = out.getvalue()
        if len(best) <= PHOTO_BYTES:
            break
    return best


def cpu_seconds(group: int) -> float:
    """User + system CPU of the processes of one process group (a server and the workers it
    forked), from /proc; a worker that exited meanwhile takes its share with it."""
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # gone meanwhile
        if int(fields[2]) == group:  # the process group, after state and parent
            total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


class Database:
    """Plain psycopg on the bench's cluster: the queue and the photos, counted."""

    def __init__(self, url: str) -> None:
        import psycopg

        self.connection = psycopg.connect(url, autocommit=True)

    def one(self, sql: str) -> int:
        with self.connection.cursor() as cursor:
            cursor.execute(sql)
            return cursor.fetchone()[0]

    def queued(self) -> int:
        return self.one(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE status IN ('READY', 'RUNNING')"
        )

    def pending_photos(self) -> int:
        has_state = self.one(
            "SELECT count(*) FROM information_schema.columns"
            " WHERE table_name = 'complaints_complaintphoto' AND column_name = 'state'"
        )
        if not has_state:
            return 0
        return self.one("SELECT count(*) FROM complaints_complaintphoto WHERE state = 'pending'")

    def photo_states(self) -> str:
        has_state = self.one(
            "SELECT count(*) FROM information_schema.columns"
            " WHERE table_name = 'complaints_complaintphoto' AND column_name = 'state'"
        )
        if not has_state:
            return "all ready in the request (no state)"
        with self.connection.cursor() as cursor:
            cursor.execute("SELECT state, count(*) FROM complaints_complaintphoto GROUP BY 1")
            return ", ".join(f"{state} {count}" for state, count in sorted(cursor.fetchall()))

    def delivery_tasks(self) -> int:
        return self.one(
            "SELECT count(*) FROM django_tasks_database_dbtaskresult"
            " WHERE task_path LIKE '%deliver_outbox'"
        )

    def undelivered(self) -> int:
        return self.one(
            "SELECT count(*) FROM notifications_outboxmessage WHERE status <> 'delivered'"
        )


def post(port: int, path: str, body: bytes, headers: dict) -> tuple[int, dict, bytes]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    try:
        headers = {"Host": f"127.0.0.1:{port}", **headers}
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        connection.close()


def bare_door(port: int, picture: bytes | None):
    def file_one(n: int, filed: int, state: dict) -> str:
        fields = [("title", f"Uji dasar {n} {filed}"), ("description", DESCRIPTION)]
        if picture is None:
            body, content_type = urlencode(fields).encode(), "application/x-www-form-urlencoded"
            path = "/bench/bare/"
        else:
            body, content_type = multipart(fields, [("photo", "foto.jpg", picture)])
            path = "/bench/bare-upload/"
        status, _headers, content = post(port, path, body, {"Content-Type": content_type})
        return "" if status == 201 else f"{status} {content[:80]!r}"

    return file_one


def lapor_sign_in(port: int):
    """Sign in, then one GET /lapor/ for the CSRF token and the form's choices."""
    sign_in = web_sign_in(port)

    def prepare(n: int, state: dict) -> None:
        sign_in(n, state)
        status, _headers, html = state["browser"].request("GET", "/lapor/")
        if status != 200:
            raise RuntimeError(f"GET /lapor/ answered {status}")
        state["csrf"] = hidden(html, "csrfmiddlewaretoken")
        state["category"] = _form_choice(html, "category", "jalan")
        state["report_type"] = _form_choice(html, "report_type", "pengaduan")

    return prepare


def lapor_door(port: int, picture: bytes | None):
    def file_one(n: int, filed: int, state: dict) -> str:
        fields = [
            ("csrfmiddlewaretoken", state["csrf"]),
            ("submission_token", uuid.uuid4().hex),
            ("intent", "submit"),
            ("report_type", state["report_type"]),
            ("category", state["category"]),
            ("title", f"Uji formulir warga {n} pengaduan {filed}"),
            ("description", DESCRIPTION),
            ("event_date", ""),
            ("latitude", LATITUDE),
            ("longitude", LONGITUDE),
            ("kelurahan", ""),
            ("address", "Jl. Uji Beban"),
        ]
        files = [("photos", f"foto-{n}-{filed}.jpg", picture)] if picture else []
        body, content_type = multipart(fields, files)
        status, headers, _html = state["browser"].request("POST", "/lapor/", body, content_type)
        if status != 302 or "terkirim=" not in headers.get("Location", ""):
            return f"lapor {status}"
        return ""

    return file_one


def api_door(port: int, tokens: dict[int, str], picture: bytes | None):
    def file_one(n: int, filed: int, state: dict) -> str:
        fields = {
            "report_type": "pengaduan",
            "category": "jalan",
            "title": f"Uji API warga {n} pengaduan {filed}",
            "description": DESCRIPTION,
            "latitude": LATITUDE,
            "longitude": LONGITUDE,
            "address": "Jl. Uji Beban",
        }
        if picture is None:
            body, content_type = json.dumps(fields).encode(), "application/json"
        else:
            body, content_type = multipart(
                list(fields.items()), [("photos", f"foto-{n}-{filed}.jpg", picture)]
            )
        status, _headers, content = post(
            port,
            "/api/v1/complaints/",
            body,
            {
                "Authorization": f"Bearer {tokens[n]}",
                "Content-Type": content_type,
                "Idempotency-Key": uuid.uuid4().hex,
            },
        )
        return "" if status == 201 else f"api {status} {content[:120]!r}"

    return file_one


def drain(database: Database) -> float:
    """Seconds until no task is queued or running and no photo is pending."""
    started = time.monotonic()
    while database.queued() or database.pending_photos():
        if time.monotonic() - started > DRAIN_TIMEOUT:
            raise RuntimeError(f"the worker did not drain the queue in {DRAIN_TIMEOUT} s")
        time.sleep(0.2)
    return time.monotonic() - started


def run(options, folder: Path, cluster: Cluster) -> int:
    site = Site(folder=folder, sqlite=False, workers=3)
    site.configure(cluster.url)
    # The real settings, plus the bare views' urlconf.
    (folder / "bench_settings.py").write_text(
        "from config.settings import *  # noqa: F403\n"
        f"EMAIL_FILE_PATH = {str(folder / 'mail')!r}\n"
        'ROOT_URLCONF = "filing_bare"\n'
    )
    site.env["PYTHONPATH"] = os.pathsep.join(
        [str(folder), str(BENCH_DIR), str(load_filing.BASE_DIR)]
    )
    site.manage("migrate", "--noinput", timeout=SETUP_TIMEOUT)
    site.manage("load_reference_data", timeout=SETUP_TIMEOUT)
    site.manage("collectstatic", "--noinput", timeout=SETUP_TIMEOUT)
    site.manage("shell", "-c", CITIZENS_SCRIPT.format(count=options.clients, password=PASSWORD))
    site.manage("shell", "-c", "from django.db import connection; from filing_bare import "
                "TABLE_SQL; connection.cursor().execute(TABLE_SQL)")  # fmt: skip
    import subprocess

    keys = subprocess.run(  # noqa: S603 - our own manage.py
        [sys.executable, "manage.py", "shell", "-v", "0", "-c", TOKENS_SCRIPT],
        env=site.env,
        cwd=load_filing.BASE_DIR,
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout.split()
    tokens = {
        int(name.rsplit(".", 1)[1]): key for name, key in zip(keys[::2], keys[1::2], strict=True)
    }
    picture = photo_200kb()
    print(f"code: {load_filing.BASE_DIR}; photo: {len(picture) / 1000:.0f} kB JPEG")
    manage = [sys.executable, str(load_filing.BASE_DIR / "manage.py")]
    worker = site.start("worker", *manage, "run_worker", "--queue-name", "*", "--no-reload")
    server = [str(VENV_BIN / "gunicorn"), "config.wsgi", "-c",
              str(load_filing.BASE_DIR / "gunicorn.conf.py"), "--bind",
              f"127.0.0.1:{site.port}", "--workers", "3"]  # fmt: skip
    database = Database(cluster.url)
    failed = False
    try:
        web = site.start("web", *server)
        wait_for_port(site.port, timeout=60, process=web)
        doors = [
            ("bare", bare_door(site.port, None), None),
            ("lapor", lapor_door(site.port, None), lapor_sign_in(site.port)),
            ("api", api_door(site.port, tokens, None), None),
            ("bare-upload", bare_door(site.port, picture), None),
            ("lapor-photo", lapor_door(site.port, picture), lapor_sign_in(site.port)),
            ("api-photo", api_door(site.port, tokens, picture), None),
        ]
        # Every gunicorn worker imports and warms its caches on its first requests: not
        # part of any door's figure.
        with contextlib.redirect_stdout(io.StringIO()):
            for name, file_one, prepare in doors:
                Door(name, site.port, options.clients, WARM_UP_SECONDS).run(
                    file_one, prepare=prepare
                )
        print(f"load average before: {load_average()}")
        print(
            f"{options.clients} clients, {options.duration:.0f} s per door, the worker "
            + ("running" if options.worker == "during" else "paused during each door")
        )
        rates = {}
        for name, file_one, prepare in doors:
            drain(database)
            cpu_before, deliveries_before = cpu_seconds(worker.pid), database.delivery_tasks()
            web_before = cpu_seconds(web.pid)
            if options.worker == "after":
                os.killpg(worker.pid, signal.SIGSTOP)
            door = Door(name, site.port, options.clients, options.duration).run(
                file_one, prepare=prepare
            )
            web_ms = (cpu_seconds(web.pid) - web_before) * 1000
            if options.worker == "after":
                os.killpg(worker.pid, signal.SIGCONT)
            queued = database.queued()
            pending = database.pending_photos()
            drained = drain(database)
            filed = len(door.latencies)
            web_ms = web_ms / filed if filed else 0
            worker_ms = (cpu_seconds(worker.pid) - cpu_before) * 1000 / filed if filed else 0
            deliveries = database.delivery_tasks() - deliveries_before
            print(
                f"        web CPU {web_ms:.1f} ms per request; after: {queued} tasks queued, "
                f"{pending} photos pending; drained in {drained:.1f} s; worker CPU "
                f"{worker_ms:.1f} ms per filing; {deliveries} delivery tasks"
            )
            rates[name] = door.rate
            failed = failed or bool(door.failures) or not filed
        print(f"load average after:  {load_average()}")
        print(f"photos: {database.photo_states()}; outbox not delivered: {database.undelivered()}")
        print("ratios (filings/s over the bare view's rows/s, same run):")
        for name, baseline in [
            ("lapor", "bare"),
            ("api", "bare"),
            ("lapor-photo", "bare-upload"),
            ("api-photo", "bare-upload"),
        ]:
            ratio = rates[name] / rates[baseline] if rates[baseline] else float("nan")
            print(f"  {name:<12} / {baseline:<12} {ratio:5.2f}")
    finally:
        database.connection.close()
        site.stop_all()
    return 1 if failed else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--duration", type=float, default=20)
    parser.add_argument("--code", type=Path, help="the checkout to run (default: this one)")
    parser.add_argument(
        "--worker",
        choices=["during", "after"],
        default="during",
        help="run the worker during each door (as deployed; default) or pause it (SIGSTOP) "
        "and let it drain after, to measure the web server alone",
    )
    options = parser.parse_args()
    if options.code:
        load_filing.BASE_DIR = options.code.resolve()
    with tempfile.TemporaryDirectory(prefix="sikesal-filing-ratio-") as folder:
        folder = Path(folder)
        cluster = Cluster(folder)
        try:
            cluster.start()
            return run(options, folder, cluster)
        finally:
            cluster.stop()


if __name__ == "__main__":
    sys.exit(main())

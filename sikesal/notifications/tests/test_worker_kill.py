"""The issue's acceptance test: kill the worker mid-batch, restart it, and every message is
delivered exactly once.

Real processes on a real database file (or a throwaway PostgreSQL database when the suite
runs on PostgreSQL): `migrate`, 30 outbox rows and one delivery task, `db_worker` sending
through a slow backend that writes one durable file per message, SIGKILL while a send is
in progress, then what production does next: the scheduler's notifications.retry_due sweep
enqueues a delivery, a new worker claims the dead worker's message once its lease expires,
and sends the rest.
"""

import email
import json
import os
import signal
import subprocess
import sys
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

pytestmark = pytest.mark.slow

MESSAGES = 30
SEND_SECONDS = 0.2
LEASE_SECONDS = 2
MANAGE = str(Path(settings.BASE_DIR) / "manage.py")

SEED = f"""
from django.db import transaction
from sikesal.notifications.models import OutboxMessage
from sikesal.notifications.tasks import deliver_outbox
with transaction.atomic():
    OutboxMessage.objects.bulk_create(
        OutboxMessage(channel="email", to=f"warga{{n}}@contoh.id", subject=f"Pesan {{n}}",
                      body="Isi")
        for n in range({MESSAGES})
    )
    transaction.on_commit(deliver_outbox.enqueue)
"""

DUMP = """
import json
from sikesal.notifications.delivery import email_message_id
from sikesal.notifications.models import OutboxMessage
print(json.dumps([
    {"status": m.status, "attempts": m.attempts, "message_id": email_message_id(m)}
    for m in OutboxMessage.objects.order_by("pk")
]))
"""


@pytest.fixture
def worker_database_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own for the worker processes (the test database is invisible to
    them: in memory on SQLite, inside the test's transaction on PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield f"sqlite:///{tmp_path / 'worker.sqlite3'}"
        return
    import psycopg

    params = connection.settings_dict
    name = f"sikesal_killtest_{uuid.uuid4().hex[:8]}"
    admin = psycopg.connect(
        dbname="postgres",
        host=params["HOST"] or None,
        port=params["PORT"] or None,
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        autocommit=True,
    )
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        password = f":{params['PASSWORD']}" if params["PASSWORD"] else ""
        host = params["HOST"] or "127.0.0.1"
        port = params["PORT"] or 5432
        yield f"postgres://{params['USER']}{password}@{host}:{port}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


class Site:
    """The processes of one SIKESAL installation, in a temporary folder."""

    def __init__(self, tmp_path: Path, database_url: str) -> None:
        self.mail_dir = tmp_path / "mail"
        self.mail_dir.mkdir()
        self.log_dir = tmp_path
        self.env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": database_url,
            "SIKESAL_VAR_DIR": str(tmp_path),
            "TASKS_BACKEND": "database",
            "EMAIL_BACKEND": "sikesal.notifications.tests.slow_email.SlowFileEmailBackend",
            "SIKESAL_TEST_EMAIL_DIR": str(self.mail_dir),
            "SIKESAL_TEST_EMAIL_SECONDS": str(SEND_SECONDS),
            "SIKESAL_OUTBOX_LEASE_SECONDS": str(LEASE_SECONDS),
            "PYTHONUNBUFFERED": "1",
        }

    def manage(self, *args: str) -> str:
        result = subprocess.run(  # noqa: S603 - our own manage.py
            [sys.executable, MANAGE, *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    def start_worker(self, name: str) -> subprocess.Popen:
        log = open(self.log_dir / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        return subprocess.Popen(  # noqa: S603
            [
                sys.executable,
                MANAGE,
                "db_worker",
                "--batch",
                "--no-reload",
                "--no-startup-delay",
                "--interval=0.1",
                f"--worker-id={name}",
            ],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )

    def log(self, name: str) -> str:
        return (self.log_dir / f"{name}.log").read_text(errors="replace")

    def delivered_files(self) -> list[Path]:
        return sorted(self.mail_dir.glob("*.eml"))

    def send_in_progress_since(self) -> float | None:
        try:
            return float((self.mail_dir / "inflight").read_text())
        except (FileNotFoundError, ValueError):
            return None


def kill_during_a_send(site: Site, worker: subprocess.Popen, *, after_files: int) -> None:
    """SIGKILL the worker early in a send (well before the message is written), once
    `after_files` messages are out."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert worker.poll() is None, site.log("worker-1")
        began = site.send_in_progress_since()
        if (
            len(site.delivered_files()) >= after_files
            and began is not None
            and time.time() - began < SEND_SECONDS / 4
        ):
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
            return
        time.sleep(0.005)
    worker.kill()
    pytest.fail("the worker never got far enough to be killed")


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    tmp_path, worker_database_url
):
    site = Site(tmp_path, worker_database_url)
    site.manage("migrate", "--noinput")
    site.manage("shell", "--no-imports", "-c", SEED)

    # Given a worker sending the batch, killed in the middle of one send.
    first = site.start_worker("worker-1")
    try:
        kill_during_a_send(site, first, after_files=10)
    finally:
        if first.poll() is None:
            first.kill()
    assert first.returncode == -signal.SIGKILL
    sent_before_restart = len(site.delivered_files())
    assert 10 <= sent_before_restart < MESSAGES
    rows = json.loads(site.manage("shell", "--no-imports", "-c", DUMP))
    assert Counter(row["status"] for row in rows) == {
        "delivered": sent_before_restart,
        "sending": 1,  # the dead worker's claim
        "pending": MESSAGES - sent_before_restart - 1,
    }

    # When the lease runs out, the sweep enqueues a delivery and a new worker runs it.
    time.sleep(LEASE_SECONDS + 0.2)
    assert "Enqueued notifications.retry_due" in site.manage("run_scheduler", "--once")
    second = site.start_worker("worker-2")
    try:
        assert second.wait(timeout=60) == 0, site.log("worker-2")
    finally:
        if second.poll() is None:
            second.kill()

    # Then every message went out exactly once.
    rows = json.loads(site.manage("shell", "--no-imports", "-c", DUMP))
    assert [row["status"] for row in rows] == ["delivered"] * MESSAGES
    assert sorted(row["attempts"] for row in rows) == [1] * (MESSAGES - 1) + [2]
    sent_ids = Counter(
        email.message_from_bytes(path.read_bytes())["Message-ID"] for path in site.delivered_files()
    )
    assert sent_ids == Counter(row["message_id"] for row in rows)
    assert set(sent_ids.values()) == {1}

"""The issue's failure: the worker died for good when PostgreSQL dropped its connection,
and jobs stopped. Real processes on a PostgreSQL database of their own: the worker's and
the scheduler's connections are terminated by the server (what a restart does to them),
and the same processes go on working and beating, without a restart by hand.

The processes keep their connections between polls (DATABASE_CONN_MAX_AGE, as in
production), so the next poll meets the dead connection.
"""

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django_tasks_db.models import DBTaskResult

from sikesal.core.models import PeriodicTaskRun, ProcessHeartbeat

# The throwaway database of the worker-kill test serves here too.
from sikesal.notifications.tests.test_worker_kill import worker_database_url  # noqa: F401

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="terminating a connection from the server needs PostgreSQL",
    ),
]

MANAGE = str(Path(settings.BASE_DIR) / "manage.py")
TASKS = DBTaskResult._meta.db_table
RUNS = PeriodicTaskRun._meta.db_table
HEARTBEATS = ProcessHeartbeat._meta.db_table
ENQUEUE = (
    "from sikesal.core.periodic import prune_task_results; print(prune_task_results.enqueue().id)"
)


class Site:
    """A SIKESAL installation's processes on one database, and a direct line to it."""

    def __init__(self, tmp_path: Path, database_url: str) -> None:
        import psycopg

        self.tmp_path = tmp_path
        self.env = {
            **os.environ,
            "DEBUG": "true",
            "DATABASE_URL": database_url,
            "DATABASE_CONN_MAX_AGE": "600",
            "SIKESAL_VAR_DIR": str(tmp_path),
            "TASKS_BACKEND": "database",
            "PYTHONUNBUFFERED": "1",
        }
        self.database_name = database_url.rsplit("/", 1)[1]
        self.processes: list[subprocess.Popen] = []
        self.manage("migrate", "--noinput")
        self.db = psycopg.connect(database_url, autocommit=True)

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

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.tmp_path / f"{name}.log", "wb")  # noqa: SIM115 - closed with the process
        process = subprocess.Popen(  # noqa: S603
            [sys.executable, MANAGE, *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.processes.append(process)
        return process

    def log(self, name: str) -> str:
        return (self.tmp_path / f"{name}.log").read_text(errors="replace")

    def row(self, query: str, *params: object, table: str = "") -> tuple | None:
        """The first row of `query`, with `{table}` in it quoted as an identifier."""
        from psycopg import sql

        composed = sql.SQL(query).format(table=sql.Identifier(table)) if table else sql.SQL(query)
        return self.db.execute(composed, params).fetchone()

    def one(self, query: str, *params: object, table: str = "") -> object:
        row = self.row(query, *params, table=table)
        return row[0] if row else None

    def count(self, table: str) -> int:
        return self.one("SELECT count(*) FROM {table}", table=table)

    def heartbeat(self, name: str) -> tuple | None:
        return self.row("SELECT pid, seen_at FROM {table} WHERE name = %s", name, table=HEARTBEATS)

    def terminate_connections(self, application_name: str) -> int:
        """What a database restart does to a process: the server ends its connections."""
        return self.one(
            "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE application_name = %s AND datname = %s AND pid <> pg_backend_pid()",
            application_name,
            self.database_name,
        )

    @contextmanager
    def refusing_connections(self) -> Iterator[None]:
        """The database down for a while, as during a restart: no new connection is let in
        until the block ends (this test's own line stays open)."""
        self.set_allow_connections(allow=False)
        try:
            yield
        finally:
            self.set_allow_connections(allow=True)

    def set_allow_connections(self, *, allow: bool) -> None:
        import psycopg
        from psycopg import sql

        # (PostgreSQL will not change this for the database its session is on)
        maintenance_url = self.env["DATABASE_URL"].rsplit("/", 1)[0] + "/postgres"
        with psycopg.connect(maintenance_url, autocommit=True) as maintenance:
            maintenance.execute(
                sql.SQL("ALTER DATABASE {} WITH ALLOW_CONNECTIONS {}").format(
                    sql.Identifier(self.database_name), sql.SQL("true" if allow else "false")
                )
            )

    def close(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
        self.db.close()


@pytest.fixture
def site(tmp_path, worker_database_url) -> Iterator[Site]:  # noqa: F811 - the imported fixture
    site = Site(tmp_path, worker_database_url)
    yield site
    site.close()


def wait_for(what: str, check: Callable[[], object], *, seconds: float = 60) -> object:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = check()
        if value:
            return value
        time.sleep(0.1)
    pytest.fail(f"timed out waiting for {what}")


def task_status(site: Site, task_id: str) -> str | None:
    return site.one("SELECT status FROM {table} WHERE id = %s", task_id, table=TASKS)


def test_the_worker_outlives_its_connection_and_goes_on_working(site):
    # Given a running worker that has done one task, with its connection open
    worker = site.start(
        "worker",
        "run_worker",
        "--queue-name=*",
        "--no-reload",
        "--no-startup-delay",
        "--interval=0.1",
    )
    first = site.manage("shell", "--no-imports", "-c", ENQUEUE).strip()
    wait_for("the first task", lambda: task_status(site, first) == "SUCCESSFUL")
    pid, seen_before = site.heartbeat("worker")
    assert pid == worker.pid

    # When the server ends the worker's connection and refuses new ones for a while
    with site.refusing_connections():
        assert site.terminate_connections("sikesal-worker") >= 1
        # (the worker finds the database gone and waits, rather than dying)
        wait_for("the worker to notice", lambda: "database unavailable" in site.log("worker"))
        assert worker.poll() is None, site.log("worker")

    # Then, once the database is back, the same process reconnects and runs the work
    # queued after it, and beats again
    second = site.manage("shell", "--no-imports", "-c", ENQUEUE).strip()
    wait_for("the second task", lambda: task_status(site, second) == "SUCCESSFUL")
    assert worker.poll() is None, site.log("worker")
    pid, seen_after = site.heartbeat("worker")
    assert pid == worker.pid
    assert seen_after > seen_before


def test_the_scheduler_outlives_its_connection_and_goes_on_enqueuing(site):
    # Given a running scheduler that has enqueued the periodic jobs once
    scheduler = site.start("scheduler", "run_scheduler", "--interval=0.2")
    jobs = len(settings.SIKESAL_PERIODIC_TASKS)
    # (a pass records its runs when it commits and enqueues each job just after)
    wait_for("the first pass", lambda: site.count(RUNS) == jobs and site.count(TASKS) == jobs)
    pid, seen_before = site.heartbeat("scheduler")
    assert pid == scheduler.pid

    # When the server ends its connection and refuses new ones for a while, and the jobs
    # fall due again
    with site.refusing_connections():
        assert site.terminate_connections("sikesal-scheduler") >= 1
        wait_for(
            "the scheduler to notice", lambda: "Scheduler pass failed" in site.log("scheduler")
        )
        assert scheduler.poll() is None, site.log("scheduler")
    site.one("UPDATE {table} SET last_enqueued_at = NULL RETURNING 1", table=RUNS)

    # Then the same process enqueues them again and beats again
    wait_for(
        "the jobs enqueued again",
        lambda: site.count(TASKS) == 2 * jobs,
    )
    assert scheduler.poll() is None, site.log("scheduler")
    pid, seen_after = site.heartbeat("scheduler")
    assert pid == scheduler.pid
    assert seen_after > seen_before

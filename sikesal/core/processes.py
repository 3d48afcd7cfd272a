"""The long-running processes (the worker, `manage.py run_worker`, and the scheduler,
`manage.py run_scheduler`): surviving a database restart, and saying when they were last
alive.

A database restart breaks every open connection: the next query raises OperationalError
or InterfaceError. The loops of both commands catch these, close the broken connection,
wait 1, 2, 4 … 30 seconds (`Backoff`) and go on with the same process; a supervisor
(docs/deploy/) restarts a process that still dies.

Each process upserts its `ProcessHeartbeat` row every HEARTBEAT_SECONDS and after each job,
and the Secretariat's monitoring page warns when a row is older than STALE_AFTER.
"""

import os
import socket
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import DatabaseError, InterfaceError, OperationalError, connection, connections
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django_tasks import task_backends

from sikesal.core.models import ProcessHeartbeat

# What a dropped or restarting database raises (a locked SQLite file too).
DATABASE_GONE = (OperationalError, InterfaceError)

WORKER = "worker"
SCHEDULER = "scheduler"
HEARTBEAT_SECONDS = 30.0
# Several missed beats, and longer than any back-off wait.
STALE_AFTER = timedelta(minutes=5)


class Backoff:
    """Seconds to wait after each consecutive failure: first, twice that, four times … at most
    cap; a success starts again from first."""

    def __init__(self, *, first: float = 1.0, cap: float = 30.0) -> None:
        self.first = first
        self.cap = cap
        self.failures = 0

    def failed(self) -> float:
        """Count one more failure; returns how long to wait before the next try."""
        delay = min(self.cap, self.first * 2**self.failures)
        self.failures += 1
        return delay

    def succeeded(self) -> None:
        self.failures = 0


def drop_connections() -> None:
    """Close this thread's database connections, so that the next query opens a new one.

    Closing a connection the server has already dropped may raise again; it is closed
    either way."""
    for conn in connections.all(initialized_only=True):
        with suppress(DatabaseError, InterfaceError):
            conn.close()


def name_connections(application_name: str) -> None:
    """Label the PostgreSQL connections this process opens from now on
    (pg_stat_activity.application_name), so that an administrator can tell the worker's
    from the web's. Keeps a name set in the database OPTIONS; call it before the first
    query."""
    if connection.vendor != "postgresql":
        return
    connection.settings_dict.setdefault("OPTIONS", {}).setdefault(
        "application_name", application_name
    )


def heartbeat_record(name: str, *, now: datetime | None = None) -> None:
    """Record that the process `name` of this host and pid is alive now."""
    ProcessHeartbeat.objects.update_or_create(
        name=name,
        defaults={
            "host": socket.gethostname()[:255],
            "pid": os.getpid(),
            "seen_at": now or timezone.now(),
        },
    )


class Heartbeat:
    """The heartbeat of one process: `beat()` records it when HEARTBEAT_SECONDS have passed
    since the last record, `beat(force=True)` at once."""

    def __init__(
        self,
        name: str,
        *,
        every: float = HEARTBEAT_SECONDS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self.every = every
        self.clock = clock
        self.last: float | None = None

    def beat(self, *, force: bool = False) -> None:
        now = self.clock()
        if force or self.last is None or now - self.last >= self.every:
            heartbeat_record(self.name)
            self.last = now


@dataclass(frozen=True)
class ProcessStatus:
    """What the monitoring page says about one process."""

    name: str
    label: str | Promise
    seen_at: datetime | None
    host: str
    pid: int | None
    is_stale: bool


def process_status_list(*, now: datetime | None = None) -> list[ProcessStatus]:
    """The worker (when tasks run on the database queue; rqworker does not beat) and the
    scheduler: when each was last alive, and whether that is too long ago."""
    from django_tasks_db.backend import DatabaseBackend

    now = now or timezone.now()
    expected = []
    if isinstance(task_backends["default"], DatabaseBackend):
        expected.append((WORKER, _("Pekerja latar")))
    expected.append((SCHEDULER, _("Penjadwal tugas berkala")))
    beats = ProcessHeartbeat.objects.in_bulk([name for name, _label in expected], field_name="name")
    statuses = []
    for name, label in expected:
        beat = beats.get(name)
        statuses.append(
            ProcessStatus(
                name=name,
                label=label,
                seen_at=beat.seen_at if beat else None,
                host=beat.host if beat else "",
                pid=beat.pid if beat else None,
                is_stale=beat is None or now - beat.seen_at > STALE_AFTER,
            )
        )
    return statuses

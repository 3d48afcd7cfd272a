"""Enqueue the periodic tasks (SIKESAL_PERIODIC_TASKS) as their intervals pass.

    manage.py run_scheduler             # every 30 seconds until stopped (make run starts it)
    manage.py run_scheduler --once      # one pass, for tests and cron

It only enqueues: the worker (`manage.py run_worker`, or rqworker) runs the tasks. Restarts
and extra schedulers are safe; see sikesal/core/periodic.py. A failed pass (the database
restarting, a locked SQLite file) closes the connection and is tried again after 1, 2, 4 …
30 seconds; each pass records the scheduler's heartbeat (sikesal/core/processes.py).
"""

import signal
import threading
import time
from types import FrameType

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, InterfaceError, close_old_connections

from sikesal.core.periodic import periodic_tasks, run_due
from sikesal.core.processes import (
    SCHEDULER,
    Backoff,
    drop_connections,
    heartbeat_record,
    name_connections,
)

APPLICATION_NAME = "sikesal-scheduler"


class Command(BaseCommand):
    help = "Enqueue the periodic tasks of SIKESAL_PERIODIC_TASKS whose interval has passed."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="Run one pass, then exit.")
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="Seconds between passes (default: 30).",
        )

    def handle(self, *args, once: bool, interval: float, **options) -> None:
        try:
            entries = periodic_tasks()
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        if once:
            self._pass()
            return

        if interval <= 0:
            raise CommandError("--interval must be positive.")
        name_connections(APPLICATION_NAME)
        for entry in entries:
            self.stdout.write(f"{entry.name}: {entry.task_path} every {entry.every}")
        stop = threading.Event()

        def request_stop(signum: int, frame: FrameType | None) -> None:
            stop.set()

        # Explicit, because a shell starts background jobs with SIGINT ignored.
        signal.signal(signal.SIGTERM, request_stop)
        signal.signal(signal.SIGINT, request_stop)

        backoff = Backoff()
        next_pass = time.monotonic()
        while not stop.is_set():
            close_old_connections()
            try:
                self._pass()
            except (DatabaseError, InterfaceError) as exc:
                drop_connections()
                delay = backoff.failed()
                reason = " ".join(str(exc).split())
                self.stderr.write(f"Scheduler pass failed: {reason}; trying again in {delay:g} s")
                stop.wait(delay)
                continue
            backoff.succeeded()
            close_old_connections()
            # Fixed ticks, not "interval after the pass", so that runs do not drift late.
            next_pass = max(next_pass + interval, time.monotonic())
            stop.wait(next_pass - time.monotonic())
        self.stdout.write("Scheduler stopped.")

    def _pass(self) -> None:
        for name in run_due():
            self.stdout.write(f"Enqueued {name}")
        heartbeat_record(SCHEDULER)

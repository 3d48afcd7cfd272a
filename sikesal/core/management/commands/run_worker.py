"""Run the background worker: django-tasks-db's `db_worker`, made to outlive a database
restart and to record that it is alive.

    manage.py run_worker --queue-name '*'     # until stopped (make run, sikesal-worker.service)

It takes db_worker's options (`--interval`, `--batch`, `--max-tasks`, `--worker-id` …).
Claiming and running tasks is db_worker's own code, run in drains: every ready task, then
a heartbeat and a pause of `--interval`. When the database goes away, the connection is
closed and the drain tried again after 1, 2, 4 … 30 seconds, in the same process, instead
of the process ending (db_worker's behaviour). See sikesal/core/processes.py.
"""

import logging
import os
import random
import time
from collections.abc import Callable

from django.core.management.base import CommandError
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from sikesal.core.processes import (
    DATABASE_GONE,
    WORKER,
    Backoff,
    Heartbeat,
    drop_connections,
    name_connections,
)

logger = logging.getLogger(__name__)

APPLICATION_NAME = "sikesal-worker"
# What DBTaskResult.set_successful and set_failed write.
OUTCOME_FIELDS = ["status", "return_value", "finished_at", "exception_class_path", "traceback"]


class ResilientWorker(db_worker.Worker):
    """db_worker's Worker whose loop survives the database going away, and beats.

    The library's own loop runs in batch mode (claim and run every ready task, then
    return); this loop around it beats the heartbeat, waits `interval` and drains again,
    and turns a database error into a wait with back-off."""

    def __init__(
        self,
        *,
        batch: bool,
        startup_delay: bool,
        heartbeat: Heartbeat | None = None,
        backoff: Backoff | None = None,
        sleep: Callable[[float], object] = time.sleep,
        **options,
    ) -> None:
        super().__init__(batch=True, startup_delay=False, **options)
        self.once = batch
        self.delay_start = startup_delay
        self.heartbeat = heartbeat or Heartbeat(WORKER)
        self.backoff = backoff or Backoff()
        self.sleep = sleep
        self.unrecorded: DBTaskResult | None = None

    def run(self) -> None:
        logger.info(
            "Worker %s (pid %d) serving queues %s",
            self.worker_id,
            os.getpid(),
            ",".join(self.queue_names),
        )
        if self.delay_start and self.interval:
            # As db_worker: spread the first polls of workers started together.
            self.sleep(random.random())  # noqa: S311 - not for security
        while self.running:
            try:
                self._record_outcome()
                self.heartbeat.beat()
                super().run()
            except DATABASE_GONE as exc:
                drop_connections()
                delay = self.backoff.failed()
                logger.warning(
                    "Worker %s: database unavailable (%s); trying again in %g s",
                    self.worker_id,
                    " ".join(str(exc).split()),
                    delay,
                )
                self.sleep(delay)
                continue
            self.backoff.succeeded()
            if self.once or self._reached_max_tasks():
                return
            if self.running:
                self.sleep(self.interval)

    def run_task(self, db_task_result: DBTaskResult) -> None:
        # When the database goes away before db_worker has written a task's outcome, the
        # row would stay RUNNING for good: the loop writes it once it is back.
        self.unrecorded = db_task_result
        super().run_task(db_task_result)
        self.unrecorded = None
        self.heartbeat.beat(force=True)

    def _record_outcome(self) -> None:
        """Write the outcome db_worker last set on a task whose row it could not save (a
        failure naming the lost connection)."""
        if self.unrecorded is not None:
            self.unrecorded.save(update_fields=OUTCOME_FIELDS)
            self.unrecorded = None

    def _reached_max_tasks(self) -> bool:
        return self.max_tasks is not None and self._run_tasks >= self.max_tasks


class Command(db_worker.Command):
    help = (
        "Run the database background worker; it survives database restarts and records "
        "a heartbeat for the monitoring page."
    )

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity == 1:
            # db_worker logs a start and an "exiting" line per run of its loop, which here
            # is every drain, once a second.
            db_worker.logger.setLevel(logging.WARNING)

    def handle(
        self,
        *,
        verbosity: int,
        queue_name: str,
        exclude_queues: str,
        reload: bool,
        batch: bool,
        **options,
    ) -> None:
        self.configure_logging(verbosity)
        name_connections(APPLICATION_NAME)
        queue_names = queue_name.split(",")
        excluded_queue_names = exclude_queues.split(",") if exclude_queues else []
        if excluded_queue_names and "*" not in queue_names:
            raise CommandError("--exclude-queues can only be used with --queue-name=*")
        worker = ResilientWorker(
            queue_names=queue_names,
            excluded_queue_names=excluded_queue_names,
            batch=batch,
            interval=options["interval"],
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=options["max_tasks"],
            worker_id=options["worker_id"],
        )
        if reload and not batch:
            # Only the reloader's child runs the worker, so only it takes the signals.
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()

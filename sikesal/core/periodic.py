"""Periodic jobs: a tiny scheduler on top of django-tasks, which has none.

`manage.py run_scheduler` calls `run_due()` every 30 seconds. Each entry of the setting
SIKESAL_PERIODIC_TASKS names a django-tasks task (no arguments) and an interval; when the
interval has passed since the entry's last run, the task is enqueued for the worker. The
last run is a `PeriodicTaskRun` row taken with a conditional UPDATE, so a restarted
scheduler, or two schedulers on two machines, do not run a task twice in one interval.

Add a job: write a task (`@task()`, idempotent, no arguments) in the owning app's
tasks.py, then add `"app.job_name": {"task": "sikesal.app.tasks.job", "every_seconds": N}`
to SIKESAL_PERIODIC_TASKS in config/settings.py.

The run is recorded when the pass commits and the task is enqueued just after; a scheduler
killed between the two skips that run, and the next interval catches up. Jobs must
therefore sweep ("everything due by now"), never assume they ran exactly on time.
"""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import task, task_backends
from django_tasks.base import Task

from sikesal.core.models import PeriodicTaskRun

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PeriodicTask:
    """One entry of SIKESAL_PERIODIC_TASKS, resolved."""

    name: str
    task_path: str
    task: Task
    every: timedelta


def periodic_tasks() -> list[PeriodicTask]:
    """The configured jobs; raises ImproperlyConfigured for an entry that cannot run."""
    entries = []
    for name, spec in settings.SIKESAL_PERIODIC_TASKS.items():
        try:
            task_path = spec["task"]
            every_seconds = int(spec["every_seconds"])
        except (KeyError, TypeError, ValueError) as exc:
            raise ImproperlyConfigured(
                f"SIKESAL_PERIODIC_TASKS[{name!r}] needs 'task' and an integer 'every_seconds'."
            ) from exc
        if every_seconds <= 0:
            raise ImproperlyConfigured(f"SIKESAL_PERIODIC_TASKS[{name!r}]: every_seconds <= 0.")
        try:
            job = import_string(task_path)
        except ImportError as exc:
            raise ImproperlyConfigured(
                f"SIKESAL_PERIODIC_TASKS[{name!r}]: cannot import {task_path!r}."
            ) from exc
        if not isinstance(job, Task):
            raise ImproperlyConfigured(
                f"SIKESAL_PERIODIC_TASKS[{name!r}]: {task_path!r} is not a task (@task())."
            )
        entries.append(PeriodicTask(name, task_path, job, timedelta(seconds=every_seconds)))
    return entries


def run_due(*, now: datetime | None = None) -> list[str]:
    """Enqueue every periodic task whose interval has passed; returns their names."""
    now = now or timezone.now()
    return [entry.name for entry in periodic_tasks() if _take_run(entry, now)]


def _take_run(entry: PeriodicTask, now: datetime) -> bool:
    with transaction.atomic():
        PeriodicTaskRun.objects.get_or_create(
            name=entry.name, defaults={"task_path": entry.task_path}
        )
        # Only one scheduler's UPDATE can match: the others see the new last_enqueued_at.
        taken = (
            PeriodicTaskRun.objects.filter(name=entry.name)
            .filter(Q(last_enqueued_at__isnull=True) | Q(last_enqueued_at__lte=now - entry.every))
            .update(last_enqueued_at=now, task_path=entry.task_path, updated_at=now)
        )
        if taken:
            transaction.on_commit(lambda: _enqueue(entry))
    return bool(taken)


def _enqueue(entry: PeriodicTask) -> None:
    try:
        entry.task.enqueue()
    except Exception:
        # The run is recorded but nothing was queued: the next interval catches up.
        logger.exception("Enqueueing periodic task %s (%s) failed", entry.name, entry.task_path)
    else:
        logger.info("Enqueued periodic task %s (%s)", entry.name, entry.task_path)


@task()
def prune_task_results() -> str:
    """Delete finished rows of the database task queue older than 14 days (each delivery
    and each periodic run leaves one). Nothing to do with another task backend."""
    from django_tasks_db.backend import DatabaseBackend

    if not isinstance(task_backends["default"], DatabaseBackend):
        return "skipped: not the database backend"
    call_command("prune_db_task_results", queue_name="*", min_age_days=14, verbosity=0)
    return "pruned"

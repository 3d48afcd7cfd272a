"""The worker's and the scheduler's loops: back-off after a database error, then on in the
same process, and the heartbeat they leave for the monitoring page."""

import os
import signal
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import InterfaceError, OperationalError
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult

from sikesal.core.management.commands.run_worker import ResilientWorker
from sikesal.core.models import ProcessHeartbeat
from sikesal.core.periodic import prune_task_results
from sikesal.core.processes import Backoff, Heartbeat


def test_the_back_off_doubles_up_to_its_cap_and_starts_again_after_a_success():
    backoff = Backoff(first=1, cap=30)

    waits = [backoff.failed() for _ in range(7)]
    backoff.succeeded()

    assert waits == [1, 2, 4, 8, 16, 30, 30]
    assert backoff.failed() == 1


def test_a_heartbeat_is_written_at_most_once_per_interval_unless_forced(db):
    now = [100.0]
    heartbeat = Heartbeat("worker", every=30, clock=lambda: now[0])

    heartbeat.beat()
    first = ProcessHeartbeat.objects.get(name="worker").seen_at
    now[0] = 129.0
    heartbeat.beat()

    assert ProcessHeartbeat.objects.get(name="worker").seen_at == first
    heartbeat.beat(force=True)
    assert ProcessHeartbeat.objects.get(name="worker").seen_at > first
    assert ProcessHeartbeat.objects.count() == 1


def make_worker(sleeps: list[float]) -> ResilientWorker:
    return ResilientWorker(
        queue_names=["*"],
        excluded_queue_names=[],
        interval=0.1,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        sleep=sleeps.append,
    )


@pytest.mark.django_db(transaction=True)
def test_the_worker_waits_with_back_off_while_the_database_is_gone_then_runs_the_task(
    monkeypatch,
):
    # Given a queued task, and a database that fails the worker's first three attempts
    result = prune_task_results.enqueue()
    failures = [
        OperationalError("the connection is closed"),
        InterfaceError("connection already closed"),
        OperationalError("connection refused"),
    ]
    library_drain = db_worker.Worker.run

    def flaky_drain(worker: db_worker.Worker) -> None:
        if failures:
            raise failures.pop(0)
        library_drain(worker)

    monkeypatch.setattr(db_worker.Worker, "run", flaky_drain)
    sleeps: list[float] = []

    # When the worker runs (in batch mode: until the queue is empty)
    make_worker(sleeps).run()

    # Then it waited 1, 2 and 4 seconds, did not give up, and ran the task
    assert sleeps == [1, 2, 4]
    row = DBTaskResult.objects.get(pk=result.id)
    assert (row.status, row.return_value, row.worker_ids) == (
        "SUCCESSFUL",
        "pruned",
        ["test-worker"],
    )
    assert ProcessHeartbeat.objects.get(name="worker").pid > 0


@pytest.mark.django_db(transaction=True)
def test_an_error_that_is_not_the_database_still_ends_the_worker(monkeypatch):
    # Given a bug in the loop itself (a supervisor restarts the process)
    def broken_drain(worker: db_worker.Worker) -> None:
        raise RuntimeError("bug")

    monkeypatch.setattr(db_worker.Worker, "run", broken_drain)
    sleeps: list[float] = []

    # When the worker runs, then the error is not swallowed
    with pytest.raises(RuntimeError, match="bug"):
        make_worker(sleeps).run()
    assert sleeps == []


@pytest.mark.django_db(transaction=True)
def test_a_task_whose_outcome_could_not_be_saved_is_recorded_once_the_database_is_back(
    monkeypatch,
):
    # Given a queued task, and a database that goes away while the worker runs it
    result = prune_task_results.enqueue()
    database = {"down": False}
    library_save = DBTaskResult.save

    def save(row: DBTaskResult, *args, **kwargs) -> None:
        if database["down"]:
            raise OperationalError("the connection is closed")
        library_save(row, *args, **kwargs)

    def task_work(*args, **kwargs) -> None:
        database["down"] = True

    def wait(seconds: float) -> None:
        sleeps.append(seconds)
        database["down"] = False

    monkeypatch.setattr(DBTaskResult, "save", save)
    monkeypatch.setattr("sikesal.core.periodic.call_command", task_work)
    sleeps: list[float] = []
    worker = make_worker(sleeps)
    worker.sleep = wait

    # When the worker runs until the queue is empty
    worker.run()

    # Then after one back-off the task's row says how it ended, instead of RUNNING for good
    assert sleeps == [1]
    row = DBTaskResult.objects.get(pk=result.id)
    assert row.status == "FAILED"
    assert row.exception_class_path == "django.db.utils.OperationalError"
    assert row.finished_at is not None


@pytest.fixture
def restore_signals() -> Iterator[None]:
    """run_scheduler installs its own SIGTERM and SIGINT handlers: give pytest's back."""
    saved = {signum: signal.getsignal(signum) for signum in (signal.SIGTERM, signal.SIGINT)}
    yield
    for signum, handler in saved.items():
        signal.signal(signum, handler)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("restore_signals")
def test_the_scheduler_waits_with_back_off_while_the_database_is_gone_then_passes(monkeypatch):
    # Given a database that fails the scheduler's first two passes (back-off shortened)
    passes = []

    def flaky_run_due() -> list[str]:
        passes.append(len(passes) + 1)
        if len(passes) <= 2:
            raise OperationalError("the connection\nis closed")
        os.kill(os.getpid(), signal.SIGTERM)  # stop after this pass
        return ["notifications.retry_due"]

    monkeypatch.setattr("sikesal.core.management.commands.run_scheduler.run_due", flaky_run_due)
    monkeypatch.setattr(
        "sikesal.core.management.commands.run_scheduler.Backoff",
        lambda: Backoff(first=0.01, cap=30),
    )
    out, err = StringIO(), StringIO()

    # When the scheduler runs
    call_command("run_scheduler", "--interval=60", stdout=out, stderr=err)

    # Then it waited twice, longer each time, made its third pass and recorded its heartbeat
    assert passes == [1, 2, 3]
    assert err.getvalue() == (
        "Scheduler pass failed: the connection is closed; trying again in 0.01 s\n"
        "Scheduler pass failed: the connection is closed; trying again in 0.02 s\n"
    )
    assert out.getvalue().endswith("Enqueued notifications.retry_due\nScheduler stopped.\n")
    assert ProcessHeartbeat.objects.get(name="scheduler").pid == os.getpid()

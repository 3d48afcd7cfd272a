"""The periodic-job scheduler: each task once per interval, whatever the restarts."""

import threading
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sikesal.core.models import PeriodicTaskRun
from sikesal.core.periodic import periodic_tasks, prune_task_results, run_due

pytestmark = pytest.mark.django_db

DELIVER = "sikesal.notifications.tasks.deliver_outbox"
PRUNE = "sikesal.core.periodic.prune_task_results"


@pytest.fixture
def schedule(settings) -> dict:
    settings.SIKESAL_PERIODIC_TASKS = {
        "notifications.retry_due": {"task": DELIVER, "every_seconds": 60},
        "core.prune_task_results": {"task": PRUNE, "every_seconds": 86400},
    }
    return settings.SIKESAL_PERIODIC_TASKS


def enqueued(task_path: str) -> int:
    return DBTaskResult.objects.filter(task_path=task_path).count()


def test_the_configured_schedule_resolves_and_has_the_retry_sweep(settings):
    entries = {entry.name: entry for entry in periodic_tasks()}

    assert entries["notifications.retry_due"].task_path == DELIVER
    assert entries["notifications.retry_due"].every == timedelta(seconds=60)
    assert settings.SIKESAL_PERIODIC_TASKS["notifications.retry_due"]["every_seconds"] == 60


@pytest.mark.usefixtures("schedule")
def test_a_first_pass_enqueues_every_task_and_records_it(django_capture_on_commit_callbacks):
    now = timezone.now()

    with django_capture_on_commit_callbacks(execute=True):
        names = run_due(now=now)

    assert names == ["notifications.retry_due", "core.prune_task_results"]
    assert enqueued(DELIVER) == 1
    assert enqueued(PRUNE) == 1
    run = PeriodicTaskRun.objects.get(name="notifications.retry_due")
    assert run.last_enqueued_at == now
    assert run.task_path == DELIVER


@pytest.mark.usefixtures("schedule")
def test_nothing_runs_again_before_its_interval(django_capture_on_commit_callbacks):
    start = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        run_due(now=start)

        # A restarted scheduler, 30 and 59 seconds later, then past the minute.
        assert run_due(now=start + timedelta(seconds=30)) == []
        assert run_due(now=start + timedelta(seconds=59)) == []
        assert run_due(now=start + timedelta(seconds=60)) == ["notifications.retry_due"]

    assert enqueued(DELIVER) == 2
    assert enqueued(PRUNE) == 1


@pytest.mark.usefixtures("schedule")
def test_restarting_the_command_does_not_double_run(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(3):
            call_command("run_scheduler", "--once", stdout=StringIO())

    assert enqueued(DELIVER) == 1
    assert enqueued(PRUNE) == 1


@pytest.mark.usefixtures("schedule")
def test_a_rolled_back_pass_enqueues_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        run_due()

    # Callbacks are held until commit: the enqueue never happens inside the pass.
    assert len(callbacks) == 2
    assert enqueued(DELIVER) == 0


@pytest.mark.usefixtures("schedule")
def test_the_once_command_reports_what_it_enqueued(django_capture_on_commit_callbacks):
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("run_scheduler", "--once", stdout=out)

    assert out.getvalue() == "Enqueued notifications.retry_due\nEnqueued core.prune_task_results\n"


@pytest.mark.parametrize(
    ("spec", "message"),
    [
        ({"task": "sikesal.nowhere.tasks.job", "every_seconds": 60}, "cannot import"),
        ({"task": "sikesal.core.periodic.run_due", "every_seconds": 60}, "is not a task"),
        ({"task": DELIVER, "every_seconds": 0}, "every_seconds <= 0"),
        ({"task": DELIVER}, "needs 'task' and an integer 'every_seconds'"),
    ],
)
def test_a_broken_entry_is_refused_loudly(settings, spec, message):
    settings.SIKESAL_PERIODIC_TASKS = {"broken": spec}

    with pytest.raises(ImproperlyConfigured, match=message):
        periodic_tasks()
    with pytest.raises(CommandError, match=message):
        call_command("run_scheduler", "--once", stdout=StringIO())


def test_prune_task_results_keeps_recent_rows():
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path=DELIVER,
        backend_name="default",
        run_after=timezone.now(),
        status="SUCCESSFUL",
        finished_at=timezone.now() - timedelta(days=15),
    )
    DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path=DELIVER,
        backend_name="default",
        run_after=timezone.now(),
        status="SUCCESSFUL",
        finished_at=timezone.now() - timedelta(days=1),
    )

    assert prune_task_results.call() == "pruned"
    assert DBTaskResult.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="concurrent connections need PostgreSQL (the SQLite test database is in memory)",
)
def test_two_schedulers_at_once_enqueue_once(schedule):
    from django.db import connections

    now = timezone.now()
    results: list[list[str]] = []
    barrier = threading.Barrier(2)

    def scheduler() -> None:
        try:
            barrier.wait()
            results.append(run_due(now=now))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # Each job is taken in its own transaction, so the two schedulers may split the jobs
    # between them; what must hold is that each job is taken, and enqueued, exactly once.
    taken = sorted(name for names in results for name in names)
    assert taken == sorted(schedule)
    assert enqueued(DELIVER) == 1
    assert enqueued(PRUNE) == 1

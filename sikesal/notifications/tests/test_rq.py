"""Scale-out: the same delivery task through django-tasks-rq and Redis (TASKS_BACKEND=rq)."""

import uuid

import pytest
from django.core import mail

from sikesal.notifications.models import OutboxMessage
from sikesal.notifications.tasks import deliver_outbox
from sikesal.notifications.tests.factories import OutboxMessageFactory

redis = pytest.importorskip("redis")
rq = pytest.importorskip("rq")
django_rq = pytest.importorskip("django_rq")
django_tasks_rq = pytest.importorskip("django_tasks_rq")

pytestmark = pytest.mark.django_db

REDIS_URL = "redis://127.0.0.1:6379/0"


@pytest.fixture
def rq_queue(settings):
    """The task backend switched to RQ, on a queue of this test's own (Redis is shared);
    yields the queue and a list to which the test adds the ids of the jobs to delete."""
    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip(f"Redis is not reachable at {REDIS_URL}; the RQ scale-out test needs it")
    name = f"sikesal-test-{uuid.uuid4().hex[:8]}"
    # "default" too: django-tasks-rq looks results up through the default connection.
    settings.RQ_QUEUES = {"default": {"URL": REDIS_URL}, name: {"URL": REDIS_URL}}
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [name]}}
    queue = django_rq.get_queue(name, job_class=django_tasks_rq.backend.Job)
    job_ids: list[str] = []
    yield queue, job_ids
    connection = queue.connection
    queue.delete(delete_jobs=True)
    keys = [*connection.scan_iter(f"*{name}*")]
    for job_id in job_ids:
        keys += [f"rq:job:{job_id}", f"rq:results:{job_id}"]
    connection.delete(*keys)


def test_a_delivery_enqueued_through_rq_is_run_by_an_rq_worker(rq_queue):
    rq_queue, job_ids = rq_queue
    message = OutboxMessageFactory(to="ani@contoh.id", subject="Lewat Redis")

    result = deliver_outbox.using(queue_name=rq_queue.name).enqueue()
    job_ids.append(result.id)

    assert rq_queue.count == 1
    assert mail.outbox == []
    # An rqworker in burst mode, in this process so that it sees the test's database.
    worker = rq.SimpleWorker(
        [rq_queue], connection=rq_queue.connection, job_class=django_tasks_rq.backend.Job
    )
    worker.work(burst=True)

    result.refresh()
    assert result.status == "SUCCESSFUL"
    assert result.return_value == {"delivered": 1, "retrying": 0, "failed": 0, "more": False}
    assert [m.subject for m in mail.outbox] == ["Lewat Redis"]
    message.refresh_from_db()
    assert message.status == OutboxMessage.Status.DELIVERED

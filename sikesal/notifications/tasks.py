"""Background tasks of notifications (run by `manage.py run_worker`, or rqworker)."""

from django_tasks import task

from sikesal.notifications.delivery import deliver_due


@task()
def deliver_outbox() -> dict:
    """Send every due outbox message, up to SIKESAL_OUTBOX_BATCH_SIZE, then hand over.

    Idempotent and argument-free: `notify` enqueues it after each commit, and the
    scheduler runs it every minute as the notifications.retry_due sweep, which also
    picks up retries and messages whose worker died.
    """
    report = deliver_due()
    if report.more:
        # A fresh task rather than a longer loop: other queued work gets its turn.
        deliver_outbox.enqueue()
    return report.as_dict()

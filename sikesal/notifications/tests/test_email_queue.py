"""email_queue(): an email to an address, through the outbox, in the caller's transaction."""

import pytest
from django.core import mail
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from sikesal.notifications.delivery import deliver_due
from sikesal.notifications.models import Notification, OutboxMessage
from sikesal.notifications.services import email_queue

DELIVER_TASK = "sikesal.notifications.tasks.deliver_outbox"


@pytest.mark.django_db(transaction=True)
def test_the_email_is_queued_with_the_callers_transaction_and_delivered_after_it():
    # When a caller queues an email inside its transaction
    with transaction.atomic():
        message = email_queue(
            to="baru@contoh.id", subject="Verifikasi\nemail Anda ", body="Buka tautan ini.\n"
        )
        assert DBTaskResult.objects.filter(task_path=DELIVER_TASK).count() == 0

    # Then one pending row, no in-app notification, and the delivery is enqueued on commit
    assert DBTaskResult.objects.filter(task_path=DELIVER_TASK).count() == 1
    row = OutboxMessage.objects.get()
    assert row == message
    assert (row.channel, row.to, row.status, row.notification) == (
        "email",
        "baru@contoh.id",
        "pending",
        None,
    )
    assert row.subject == "Verifikasi email Anda"
    assert not Notification.objects.exists()

    # And the worker sends it
    deliver_due()
    [sent] = mail.outbox
    assert (sent.to, sent.subject, sent.body) == (
        ["baru@contoh.id"],
        "Verifikasi email Anda",
        "Buka tautan ini.\n",
    )


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_caller_queues_nothing():
    with pytest.raises(RuntimeError), transaction.atomic():
        email_queue(to="baru@contoh.id", subject="Subjek", body="Isi")
        raise RuntimeError("the change failed")

    assert not OutboxMessage.objects.exists()
    assert DBTaskResult.objects.filter(task_path=DELIVER_TASK).count() == 0

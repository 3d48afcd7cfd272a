"""Delivering the outbox: claim, send, record; backoff; leases; the task."""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import OperationalError, connection
from django.db.models import QuerySet
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from sikesal.core import db, sms
from sikesal.notifications import delivery
from sikesal.notifications.delivery import (
    claim_next,
    deliver_due,
    due_messages,
    email_message_id,
    max_attempts,
    retry_delay,
)
from sikesal.notifications.models import OutboxMessage
from sikesal.notifications.tasks import deliver_outbox
from sikesal.notifications.tests.factories import OutboxMessageFactory

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


class Boom(Exception):
    pass


@pytest.fixture
def backoff(settings) -> list[int]:
    settings.SIKESAL_OUTBOX_BACKOFF_MINUTES = [1, 5, 15, 60]
    return settings.SIKESAL_OUTBOX_BACKOFF_MINUTES


@pytest.fixture
def failing_email(monkeypatch) -> None:
    def send(self, message):
        raise Boom("smtp down")

    monkeypatch.setattr(delivery._Mailer, "send", send)


# --- Sending ----------------------------------------------------------------------------------


def test_an_email_is_sent_once_and_marked_delivered(settings):
    settings.DEFAULT_FROM_EMAIL = "SIKESAL <sikesal@jambikota.go.id>"
    message = OutboxMessageFactory(to="ani@contoh.id", subject="Halo", body="Isi")

    report = deliver_due()

    assert report.as_dict() == {"delivered": 1, "retrying": 0, "failed": 0, "more": False}
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == ["ani@contoh.id"]
    assert sent.subject == "Halo"
    assert sent.body == "Isi"
    assert sent.from_email == "SIKESAL <sikesal@jambikota.go.id>"
    assert sent.message()["Message-ID"] == email_message_id(message)
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
    assert message.attempts == 1
    assert message.delivered_at is not None
    assert message.claimed_by == ""
    assert message.lease_expires_at is None

    # A second run finds nothing to do.
    assert deliver_due().delivered == 0
    assert len(mail.outbox) == 1


def test_the_message_id_is_stable_and_names_the_row(settings):
    settings.DEFAULT_FROM_EMAIL = "SIKESAL <sikesal@jambikota.go.id>"
    message = OutboxMessageFactory()

    message_id = email_message_id(message)

    assert message_id == email_message_id(OutboxMessage.objects.get(pk=message.pk))
    assert message_id.startswith(f"<outbox.{message.pk}.")
    assert message_id.endswith("@jambikota.go.id>")


def test_an_sms_goes_through_send_sms(sms_outbox):
    message = OutboxMessageFactory(channel="sms", to="+6281234567890", subject="", body="Halo")

    deliver_due()

    assert [(m.to, m.text) for m in sms_outbox] == [("+6281234567890", "Halo")]
    message.refresh_from_db()
    assert message.status == Status.DELIVERED


def test_messages_not_yet_due_are_left_alone():
    later = OutboxMessageFactory(next_attempt_at=timezone.now() + timedelta(minutes=5))

    assert deliver_due().delivered == 0
    later.refresh_from_db()
    assert later.status == Status.PENDING
    assert later.attempts == 0
    assert mail.outbox == []


def test_oldest_due_first_and_at_most_limit_per_run():
    now = timezone.now()
    newer = OutboxMessageFactory(subject="baru", next_attempt_at=now - timedelta(minutes=1))
    older = OutboxMessageFactory(subject="lama", next_attempt_at=now - timedelta(minutes=9))

    report = deliver_due(limit=1)

    assert report.more is True
    assert [m.subject for m in mail.outbox] == ["lama"]
    older.refresh_from_db()
    newer.refresh_from_db()
    assert (older.status, newer.status) == (Status.DELIVERED, Status.PENDING)


def test_the_task_hands_over_to_a_fresh_task_when_it_hits_the_batch_size(settings):
    settings.SIKESAL_OUTBOX_BATCH_SIZE = 2
    OutboxMessageFactory.create_batch(3)

    result = deliver_outbox.call()

    assert result == {"delivered": 2, "retrying": 0, "failed": 0, "more": True}
    assert DBTaskResult.objects.filter(task_path=deliver_outbox.module_path).count() == 1


def test_the_task_enqueues_nothing_more_when_the_outbox_is_empty():
    OutboxMessageFactory()

    assert deliver_outbox.call()["more"] is False
    assert DBTaskResult.objects.count() == 0


# --- Failures and backoff ---------------------------------------------------------------------


def test_backoff_schedule(backoff):
    assert [retry_delay(n) for n in range(1, 6)] == [
        timedelta(minutes=1),
        timedelta(minutes=5),
        timedelta(minutes=15),
        timedelta(minutes=60),
        None,
    ]
    assert max_attempts() == 5


def test_the_default_backoff_gives_up_after_about_17_hours(settings):
    total = sum(settings.SIKESAL_OUTBOX_BACKOFF_MINUTES)

    assert settings.SIKESAL_OUTBOX_BACKOFF_MINUTES == [1, 5, 15, 60, 240, 720]
    assert timedelta(minutes=total) == timedelta(hours=17, minutes=21)


@pytest.mark.usefixtures("failing_email")
def test_a_failed_send_is_retried_after_the_backoff(backoff):
    message = OutboxMessageFactory()
    before = timezone.now()

    report = deliver_due()

    assert report.retrying == 1
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert message.attempts == 1
    assert message.last_error == "Boom: smtp down"
    assert message.claimed_by == ""
    assert message.lease_expires_at is None
    assert before + timedelta(minutes=1) <= message.next_attempt_at
    assert message.next_attempt_at <= timezone.now() + timedelta(minutes=1)


@pytest.mark.usefixtures("failing_email")
def test_every_attempt_follows_the_schedule_then_the_message_fails(backoff):
    message = OutboxMessageFactory()
    waits = []

    for _ in range(max_attempts()):
        failed_at = timezone.now()
        deliver_due()
        message.refresh_from_db()
        if message.status == Status.PENDING:
            waits.append(round((message.next_attempt_at - failed_at).total_seconds() / 60))
            # Make it due again instead of waiting.
            OutboxMessage.objects.filter(pk=message.pk).update(next_attempt_at=timezone.now())

    assert waits == [1, 5, 15, 60]
    assert message.status == Status.FAILED
    assert message.attempts == 5
    assert message.last_error == "Boom: smtp down"
    # A failed message is never picked up again.
    assert deliver_due().as_dict() == {"delivered": 0, "retrying": 0, "failed": 0, "more": False}


def test_a_failed_email_does_not_stop_the_others(monkeypatch):
    first = OutboxMessageFactory(
        to="rusak@contoh.id", next_attempt_at=timezone.now() - timedelta(1)
    )
    second = OutboxMessageFactory(to="baik@contoh.id")
    real_send = delivery._Mailer.send

    def send(self, message):
        if message.to == "rusak@contoh.id":
            raise Boom("mailbox unavailable")
        real_send(self, message)

    monkeypatch.setattr(delivery._Mailer, "send", send)

    report = deliver_due()

    assert (report.delivered, report.retrying) == (1, 1)
    assert [m.to for m in mail.outbox] == [["baik@contoh.id"]]
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (Status.PENDING, Status.DELIVERED)


def test_an_sms_gateway_error_is_retried(settings):
    settings.SMS_BACKEND = "sikesal.core.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = ""  # not configured: SmsNotConfigured, an SmsError
    message = OutboxMessageFactory(channel="sms", to="+6281234567890", subject="")

    deliver_due()

    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert message.last_error.startswith("SmsNotConfigured: ")
    assert sms.outbox == []


# --- Claims and leases ------------------------------------------------------------------------


def test_a_claim_takes_the_row_with_a_lease(settings):
    settings.SIKESAL_OUTBOX_LEASE_SECONDS = 120
    message = OutboxMessageFactory()
    now = timezone.now()

    claimed = claim_next(worker_id="worker-a", now=now)

    assert claimed.pk == message.pk
    assert claimed.status == Status.SENDING
    assert claimed.attempts == 1
    assert claimed.claimed_by == "worker-a"
    assert claimed.lease_expires_at == now + timedelta(seconds=120)
    # Nobody else gets it while the lease runs.
    assert claim_next(worker_id="worker-b", now=now + timedelta(seconds=119)) is None


def test_a_row_whose_worker_died_is_claimed_again_after_the_lease(settings):
    settings.SIKESAL_OUTBOX_LEASE_SECONDS = 60
    message = OutboxMessageFactory()
    now = timezone.now()
    claim_next(worker_id="dead-worker", now=now)

    reclaimed = claim_next(worker_id="worker-b", now=now + timedelta(seconds=60))

    assert reclaimed.pk == message.pk
    assert reclaimed.claimed_by == "worker-b"
    assert reclaimed.attempts == 2
    assert list(due_messages(now + timedelta(seconds=59))) == []


def test_a_lease_expired_during_the_last_attempt_fails_the_message(backoff):
    message = OutboxMessageFactory()
    past = timezone.now() - timedelta(hours=1)
    OutboxMessage.objects.filter(pk=message.pk).update(
        status=Status.SENDING,
        attempts=max_attempts(),
        claimed_by="dead-worker",
        lease_expires_at=past,
    )

    assert claim_next(worker_id="worker-b") is None

    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.claimed_by == ""
    assert "unknown" in message.last_error
    assert mail.outbox == []


def test_a_worker_that_lost_its_lease_does_not_overwrite_the_new_claim(settings, caplog):
    settings.SIKESAL_OUTBOX_LEASE_SECONDS = 60
    message = OutboxMessageFactory()
    now = timezone.now()
    slow = claim_next(worker_id="slow-worker", now=now)
    claim_next(worker_id="worker-b", now=now + timedelta(seconds=61))

    delivery._record_delivery(slow, worker_id="slow-worker")

    message.refresh_from_db()
    assert message.status == Status.SENDING
    assert message.claimed_by == "worker-b"
    assert "may have gone out twice" in caplog.text


def test_delivered_and_failed_rows_are_never_due():
    now = timezone.now()
    OutboxMessageFactory(status=Status.DELIVERED, delivered_at=now, next_attempt_at=now)
    OutboxMessageFactory(status=Status.FAILED, next_attempt_at=now)

    assert list(due_messages(now)) == []
    assert claim_next(worker_id="w") is None


# --- A database that is busy (SQLite: "database is locked") -----------------------------------


class Clock:
    """Delivery's clock in these tests: sleeping records the pause and moves time on."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.slept: list[float] = []

    def monotonic(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


@pytest.fixture
def pauses(monkeypatch) -> list[float]:
    """The seconds delivery would have slept, recorded instead of slept."""
    clock = Clock()
    monkeypatch.setattr(delivery, "time", clock, raising=False)
    monkeypatch.setattr(db, "PAUSE_SECONDS", (0, 0))
    return clock.slept


def lock_outcome_writes(monkeypatch, status: str, times: int | None) -> list[int]:
    """The UPDATE that records `status` on an outbox row raises "database is locked" its
    first `times` times (None: always); returns the list of those attempts."""
    attempts: list[int] = []
    update = QuerySet.update

    def locked_update(queryset, **changes):
        if queryset.model is OutboxMessage and changes.get("status") == status:
            attempts.append(len(attempts) + 1)
            if times is None or len(attempts) <= times:
                raise OperationalError("database is locked")
        return update(queryset, **changes)

    monkeypatch.setattr(QuerySet, "update", locked_update)
    return attempts


@pytest.mark.parametrize("locked_times", [1, 2])
def test_a_delivered_mark_the_database_refused_is_written_later_and_nothing_is_resent(
    monkeypatch, settings, pauses, locked_times
):
    # Given a message whose DELIVERED update finds the database locked once or twice
    settings.SIKESAL_OUTBOX_LEASE_SECONDS = 300
    message = OutboxMessageFactory(to="ani@contoh.id")
    attempts = lock_outcome_writes(monkeypatch, Status.DELIVERED, times=locked_times)

    # When the worker delivers it, and every later run after its lease would have ended
    report = deliver_due()
    later = timezone.now() + timedelta(seconds=301)
    assert claim_next(worker_id="worker-b", now=later) is None
    deliver_due()

    # Then it was sent exactly once and is marked delivered by the first worker
    assert report.as_dict() == {"delivered": 1, "retrying": 0, "failed": 0, "more": False}
    assert [sent.to for sent in mail.outbox] == [["ani@contoh.id"]]
    assert attempts == list(range(1, locked_times + 2))
    assert pauses == [0.1, 0.2][:locked_times]
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
    assert message.attempts == 1
    assert message.claimed_by == ""


def test_a_delivered_mark_refused_until_the_lease_ends_stops_the_run_and_says_so(
    monkeypatch, settings, pauses, caplog
):
    # Given a 20-second lease and a database that refuses the DELIVERED update every time
    settings.SIKESAL_OUTBOX_LEASE_SECONDS = 20
    OutboxMessageFactory()
    OutboxMessageFactory()
    lock_outcome_writes(monkeypatch, Status.DELIVERED, times=None)

    # When the worker sends the first message
    with pytest.raises(OperationalError, match="database is locked"):
        deliver_due()

    # Then it tried for as long as the lease (less its margin) allowed, claimed nothing
    # more, and logged that the message may go out twice
    assert pauses == [0.1, 0.2, 0.4, 0.8, 1.6, 3.2, 5.0]
    assert len(mail.outbox) == 1
    assert OutboxMessage.objects.filter(status=Status.PENDING).count() == 1
    assert "may go out twice" in caplog.text


@pytest.mark.usefixtures("failing_email")
def test_a_failure_the_database_refused_to_record_is_written_later(monkeypatch, backoff, pauses):
    message = OutboxMessageFactory()
    lock_outcome_writes(monkeypatch, Status.PENDING, times=1)

    report = deliver_due()

    assert report.retrying == 1
    assert pauses == [0.1]
    message.refresh_from_db()
    assert message.status == Status.PENDING
    assert message.attempts == 1
    assert message.claimed_by == ""


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL waits for row locks")
def test_a_claim_that_found_the_database_locked_is_tried_again(monkeypatch, pauses):
    OutboxMessageFactory(to="ani@contoh.id")
    attempts = lock_outcome_writes(monkeypatch, Status.SENDING, times=1)

    report = deliver_due()

    assert report.delivered == 1
    assert attempts == [1, 2]
    assert [sent.to for sent in mail.outbox] == [["ani@contoh.id"]]

"""Sending the outbox: claim one due message, send it, record the outcome; repeat.

Email goes through Django's mail backend, SMS through sikesal.core.sms, push through
push.py; a push whose subscription is gone (404/410 from the push service, or turned off
since) fails at once, without retries.

Each message is its own unit: a short transaction claims it (status SENDING, attempts + 1,
a lease until now + SIKESAL_OUTBOX_LEASE_SECONDS), the send happens outside any
transaction, and a second short transaction marks it DELIVERED or schedules the retry.
Several workers may run at once: on PostgreSQL the claim skips rows another worker holds
locked (SELECT ... FOR UPDATE SKIP LOCKED); on SQLite every transaction starts with
BEGIN IMMEDIATE (config/settings.py), so claims queue behind each other; on both the claim
is a conditional UPDATE that loses cleanly if the row changed underneath it.

What "delivered once" means here, honestly:

- A worker killed before or during the send leaves the row SENDING; once its lease
  expires the next delivery run claims it again. Nothing is lost.
- A worker killed after the mail server or SMS gateway accepted the message but before
  the DELIVERED update committed (a window of milliseconds: one UPDATE) sends it again
  after the lease. A DELIVERED update that SQLite refuses because another process is
  writing ("database is locked") is tried again, with growing pauses, for as long as
  the lease keeps other workers off the message; the claim is never given up so that
  the message could be sent again. Emails keep the same Message-ID on every attempt
  (`email_message_id`), so mail servers and clients can drop the copy; a push carries the
  same tag every time, so the phone replaces the first with the second; an SMS goes out
  twice. No remote gateway without idempotency keys allows better.
- A send slower than the lease can be claimed by a second worker while the first is
  still sending: keep EMAIL_TIMEOUT, the SMS gateway timeout and the push timeout
  (push.PUSH_TIMEOUT_SECONDS) well under the lease. The first worker then finds its claim
  gone and logs it.
- A message whose worker died during its last allowed attempt is marked FAILED rather
  than tried again: whether it went out is unknown.
"""

import logging
import os
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.base import BaseEmailBackend
from django.db import OperationalError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.crypto import get_random_string

from sikesal.core.db import is_lock_error, retry_on_lock
from sikesal.core.sms import send_sms
from sikesal.notifications.models import OutboxMessage, PushSubscription
from sikesal.notifications.push import PushGone, push_send

logger = logging.getLogger(__name__)

Status = OutboxMessage.Status

# Recording a send's outcome that found the database locked: the first pause, in seconds,
# doubling up to the last, and stopping this long before the lease runs out.
OUTCOME_FIRST_PAUSE = 0.1
OUTCOME_LONGEST_PAUSE = 5.0
OUTCOME_LEASE_MARGIN = timedelta(seconds=5)


@dataclass
class DeliveryReport:
    """What one delivery run did; `more` is true when it stopped at its limit."""

    delivered: int = 0
    retrying: int = 0
    failed: int = 0
    more: bool = False

    def as_dict(self) -> dict:
        return {
            "delivered": self.delivered,
            "retrying": self.retrying,
            "failed": self.failed,
            "more": self.more,
        }


def max_attempts() -> int:
    """The first attempt plus one retry per SIKESAL_OUTBOX_BACKOFF_MINUTES entry."""
    return len(settings.SIKESAL_OUTBOX_BACKOFF_MINUTES) + 1


def retry_delay(attempts: int) -> timedelta | None:
    """How long to wait after the `attempts`-th failed attempt; None once all are used."""
    backoff = settings.SIKESAL_OUTBOX_BACKOFF_MINUTES
    if attempts > len(backoff):
        return None
    return timedelta(minutes=backoff[attempts - 1])


def due_messages(now: datetime) -> QuerySet[OutboxMessage]:
    """Messages a worker may claim now: pending and due, or claimed by a worker whose lease
    ran out (it died, or hung)."""
    return OutboxMessage.objects.filter(
        status=Status.PENDING, next_attempt_at__lte=now
    ) | OutboxMessage.objects.filter(status=Status.SENDING, lease_expires_at__lte=now)


def new_worker_id() -> str:
    return f"{socket.gethostname()[:60]}:{os.getpid()}:{get_random_string(8)}"


def claim_next(*, worker_id: str, now: datetime | None = None) -> OutboxMessage | None:
    """Claim the next due message for `worker_id`, or None when nothing is due.

    Expired leases go first: they are the oldest work. A message whose last allowed
    attempt died with its worker is marked FAILED on the way.
    """
    while True:
        now = now or timezone.now()
        with transaction.atomic():
            message = _first_locked(
                OutboxMessage.objects.filter(status=Status.SENDING, lease_expires_at__lte=now),
                order_by="lease_expires_at",
            ) or _first_locked(
                OutboxMessage.objects.filter(status=Status.PENDING, next_attempt_at__lte=now),
                order_by="next_attempt_at",
            )
            if message is None:
                return None
            unchanged = OutboxMessage.objects.filter(
                pk=message.pk, status=message.status, attempts=message.attempts
            )
            if message.status == Status.SENDING and message.attempts >= max_attempts():
                unchanged.update(
                    status=Status.FAILED,
                    claimed_by="",
                    lease_expires_at=None,
                    last_error="The worker stopped during the last attempt; "
                    "whether the message went out is unknown.",
                    updated_at=now,
                )
                continue
            claimed = unchanged.update(
                status=Status.SENDING,
                attempts=message.attempts + 1,
                claimed_by=worker_id,
                lease_expires_at=now + timedelta(seconds=settings.SIKESAL_OUTBOX_LEASE_SECONDS),
                updated_at=now,
            )
            if not claimed:
                # Another worker got there first (possible only without row locks).
                continue
        message.refresh_from_db()
        return message


def _first_locked(queryset: QuerySet[OutboxMessage], *, order_by: str) -> OutboxMessage | None:
    # skip_locked: on PostgreSQL a row another worker is claiming is passed over, not waited
    # for; on SQLite select_for_update is a no-op and BEGIN IMMEDIATE serialises instead.
    return queryset.select_for_update(skip_locked=True).order_by(order_by, "pk").first()


def deliver_due(*, limit: int | None = None, worker_id: str | None = None) -> DeliveryReport:
    """Send due messages one at a time until none is due or `limit` were handled."""
    worker_id = worker_id or new_worker_id()
    limit = limit or settings.SIKESAL_OUTBOX_BATCH_SIZE
    report = DeliveryReport()
    mailer = _Mailer()
    try:
        for _ in range(limit):
            message = retry_on_lock(claim_next)(worker_id=worker_id)
            if message is None:
                break
            try:
                if message.channel == OutboxMessage.Channel.EMAIL:
                    mailer.send(message)
                elif message.channel == OutboxMessage.Channel.PUSH:
                    push_send(message)
                else:
                    send_sms(message.to, message.body)
            except PushGone as exc:
                logger.info("Outbox message %s (push) not sent: %s", message.pk, exc)
                _record_failure(message, worker_id=worker_id, error=exc, final=True)
                report.failed += 1
            except Exception as exc:
                logger.warning(
                    "Outbox message %s (%s to %s) failed, attempt %s",
                    message.pk,
                    message.channel,
                    message.to,
                    message.attempts,
                    exc_info=True,
                )
                mailer.reset()
                if _record_failure(message, worker_id=worker_id, error=exc):
                    report.retrying += 1
                else:
                    report.failed += 1
            else:
                _record_delivery(message, worker_id=worker_id)
                report.delivered += 1
        else:
            report.more = True
    finally:
        mailer.close()
    return report


def _record_delivery(message: OutboxMessage, *, worker_id: str) -> None:
    now = timezone.now()

    def mark_delivered() -> int:
        with transaction.atomic():
            marked = OutboxMessage.objects.filter(
                pk=message.pk, status=Status.SENDING, claimed_by=worker_id
            ).update(
                status=Status.DELIVERED,
                delivered_at=now,
                claimed_by="",
                lease_expires_at=None,
                last_error="",
                updated_at=now,
            )
            if marked and message.push_subscription_id:
                PushSubscription.objects.filter(pk=message.push_subscription_id).update(
                    last_success_at=now, updated_at=now
                )
            return marked

    marked = _written_within_lease(message, mark_delivered, outcome="delivered")
    if not marked:
        logger.error(
            "Outbox message %s was sent after its lease ran out and another worker took it "
            "over: it may have gone out twice. Raise SIKESAL_OUTBOX_LEASE_SECONDS above the "
            "email/SMS timeouts.",
            message.pk,
        )


def _record_failure(
    message: OutboxMessage, *, worker_id: str, error: Exception, final: bool = False
) -> bool:
    """Schedule the next attempt (True) or give up (False): after the last attempt, or at
    once when the failure is `final` (a push whose subscription is gone)."""
    now = timezone.now()
    delay = None if final else retry_delay(message.attempts)
    changes = {
        "claimed_by": "",
        "lease_expires_at": None,
        "last_error": f"{type(error).__name__}: {error}"[:2000],
        "updated_at": now,
    }
    if delay is None:
        changes["status"] = Status.FAILED
    else:
        changes["status"] = Status.PENDING
        changes["next_attempt_at"] = now + delay
    _written_within_lease(
        message,
        lambda: OutboxMessage.objects.filter(
            pk=message.pk, status=Status.SENDING, claimed_by=worker_id
        ).update(**changes),
        outcome="failed",
    )
    return delay is not None


def _written_within_lease(message: OutboxMessage, write: Callable[[], int], *, outcome: str) -> int:
    """Run `write` (one UPDATE of the claimed row) until SQLite lets it through, pausing
    longer each time, while the lease still keeps other workers off the message.

    Giving up earlier would leave the row SENDING for the next worker to send again once
    the lease ran out; past the lease that can no longer be prevented, so the error is
    raised (and the run stops) with a log line saying so.
    """
    lease_left = message.lease_expires_at - OUTCOME_LEASE_MARGIN - timezone.now()
    deadline = time.monotonic() + lease_left.total_seconds()
    pause = OUTCOME_FIRST_PAUSE
    while True:
        try:
            return write()
        except OperationalError as error:
            if not is_lock_error(error) or time.monotonic() + pause > deadline:
                logger.error(
                    "Outbox message %s: its outcome (%s) could not be recorded: %s. It is "
                    "tried again once its lease runs out, so a delivered message may go "
                    "out twice.",
                    message.pk,
                    outcome,
                    error,
                )
                raise
            logger.warning(
                "Outbox message %s: recording it as %s found the database locked; "
                "trying again in %.1f s",
                message.pk,
                outcome,
                pause,
            )
            time.sleep(pause)
            pause = min(pause * 2, OUTCOME_LONGEST_PAUSE)


def email_message_id(message: OutboxMessage) -> str:
    """The Message-ID of the email for this row: the same on every attempt, so that a copy
    sent again after a crash is recognisable as a duplicate."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "sikesal.localhost"
    created = int(message.created_at.timestamp())
    return f"<outbox.{message.pk}.{created}@{domain}>"


class _Mailer:
    """One email connection for the whole run (SMTP opens once), reopened after a failure."""

    def __init__(self) -> None:
        self._connection: BaseEmailBackend | None = None

    def send(self, message: OutboxMessage) -> None:
        if self._connection is None:
            self._connection = get_connection()
            self._connection.open()
        EmailMessage(
            subject=message.subject,
            body=message.body,
            to=[message.to],
            headers={"Message-ID": email_message_id(message)},
            connection=self._connection,
        ).send()

    def reset(self) -> None:
        self.close()

    def close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            except Exception:
                logger.warning("Closing the email connection failed", exc_info=True)
            self._connection = None

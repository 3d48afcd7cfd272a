"""Telling people things: the one write path for notifications, and their reading.

`notify` is what the complaint workflow (and anything else) calls. It writes the in-app
notification and one outbox row per outgoing email or SMS inside the caller's
transaction, and asks the worker to deliver them once that transaction commits: a
change that rolls back leaves no notification and sends nothing.

Texts come from templates/notifications/<kind>/:

- subject.txt (required): one line, the in-app title and the email subject;
- body.txt (required): the message, shown in the app and wrapped by
  notifications/email.txt (greeting, link, signature) for the email;
- sms.txt (optional): without it the kind never goes out by SMS.

They are rendered without HTML escaping (they are plain text), in the recipient's
language, with the caller's context plus `recipient`, `url`, `link` (the absolute URL)
and `site_name`. The kind "generic" takes `subject`, `body` and optionally `sms` from
the context: pass them as gettext_lazy strings, which are translated while rendering, in
the recipient's language.
"""

import hashlib
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from django.template import Context, Engine, TemplateDoesNotExist
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sikesal.accounts.models import User
from sikesal.core.links import absolute_url
from sikesal.notifications.models import Notification, OutboxMessage, PushSubscription
from sikesal.notifications.push import (
    endpoint_problem,
    push_enabled,
    push_key_problem,
    push_payload,
    push_recipient_label,
)
from sikesal.notifications.tasks import deliver_outbox


def notify(recipient: User, kind: str, *, context: dict, url: str = "") -> Notification:
    """Notify `recipient` of something, in the app and by email (and SMS when they chose it).

    Call it inside the transaction that makes the change the notification is about. The
    texts are rendered first, so a missing template raises before anything is written.
    Email goes to the account's address; SMS only when the person asked for it
    (`notify_by_sms`), their mobile number is verified and the kind has an sms.txt. A
    reporter without a login gets no email until their address is verified: it is what
    another system (an Open311 client) or an officer typed, maybe not theirs. A push goes
    to each device on which the person turned push on (/akun/), while push is configured.
    """
    texts = _render_texts(recipient, kind, context=context, url=url)

    # Inside the caller's transaction no savepoint is needed: a failure here fails the
    # caller's change too. Two round trips fewer on every notified action.
    with transaction.atomic(savepoint=False):
        notification = Notification.objects.create(
            recipient=recipient, kind=kind, title=texts.title, body=texts.body, url=url
        )
        messages = []
        if recipient.email and (recipient.is_registered or recipient.email_verified_at):
            messages.append(
                OutboxMessage(
                    notification=notification,
                    channel=OutboxMessage.Channel.EMAIL,
                    to=recipient.email,
                    subject=texts.title,
                    body=texts.email_body,
                )
            )
        if texts.sms and _wants_sms(recipient):
            messages.append(
                OutboxMessage(
                    notification=notification,
                    channel=OutboxMessage.Channel.SMS,
                    to=recipient.mobile,
                    body=texts.sms,
                )
            )
        messages += _push_messages(recipient, notification)
        OutboxMessage.objects.bulk_create(messages)
        if messages:
            _deliver_after_commit()
    return notification


def email_queue(*, to: str, subject: str, body: str) -> OutboxMessage:
    """Queue one email to the address `to` through the outbox, without an in-app
    notification, and return its row.

    For messages to an address rather than about a change (a password-reset link, the
    link that verifies a new address, which may not be the account's verified one). Like
    `notify`: written in the caller's transaction, delivered once it commits, retried by
    the worker when the mail server fails. The subject is made one line.
    """
    with transaction.atomic():
        message = OutboxMessage.objects.create(
            channel=OutboxMessage.Channel.EMAIL,
            to=to,
            subject=" ".join(subject.split())[:255],
            body=body,
        )
        _deliver_after_commit()
    return message


def sms_queue(*, to: str, body: str) -> OutboxMessage:
    """Queue one SMS to the number `to` through the outbox, without an in-app notification,
    and return its row: `email_queue`'s twin, for a message to a number rather than to an
    account (the tracking number texted to a reporter an officer entered at the counter)."""
    with transaction.atomic():
        message = OutboxMessage.objects.create(channel=OutboxMessage.Channel.SMS, to=to, body=body)
        _deliver_after_commit()
    return message


def push_subscription_save(
    *,
    user: User,
    endpoint: str,
    p256dh: str,
    auth: str,
    device_label: str = "",
    user_agent: str = "",
) -> tuple[PushSubscription, bool]:
    """Turn push on for one browser of `user`; returns the subscription and whether it is new.

    The endpoint identifies the browser: subscribing it again updates its keys and label.
    A browser someone else had subscribed (a shared phone, the next person signed in) is
    registered anew for `user`: the other person's subscription goes, with the pushes still
    waiting for it, which must not reach the new holder. Raises ValidationError (per field) for an
    endpoint that is not a public HTTPS push service or keys that are not a browser's, and
    when push is off.
    """
    if not push_enabled():
        raise ValidationError(
            _("Pemberitahuan push tidak diaktifkan di server ini."), code="push_disabled"
        )
    errors = push_key_problem(p256dh=p256dh, auth=auth)
    if problem := endpoint_problem(endpoint):
        errors["endpoint"] = problem
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        PushSubscription.objects.filter(endpoint=endpoint).exclude(user=user).delete()
        subscription, created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={
                "user": user,
                "p256dh": p256dh,
                "auth": auth,
                "device_label": " ".join(device_label.split())[:100],
                "user_agent": " ".join(user_agent.split())[:300],
            },
        )
    return subscription, created


def push_subscription_delete(*, user: User, endpoint: str) -> bool:
    """Turn push off for the browser with this endpoint, if it is `user`'s; True if it was.

    Someone else's endpoint (or none) changes nothing, and says nothing about whether it
    exists. The push messages still waiting for it fail instead of being sent.
    """
    deleted, _count = PushSubscription.objects.filter(user=user, endpoint=endpoint).delete()
    return bool(deleted)


def push_optin_context(*, user: User) -> dict | None:
    """What the opt-in on /akun/ (static/js/push-optin.js) needs, or None while push is off:
    the key to subscribe with, and the SHA-256 of each endpoint the server knows for the
    user, so that the page can tell whether this browser's subscription is one of them
    without the page carrying the endpoints themselves."""
    if not push_enabled():
        return None
    endpoints = user.push_subscriptions.values_list("endpoint", flat=True)
    return {
        "public_key": settings.SIKESAL_VAPID_PUBLIC_KEY,
        "endpoint_digests": sorted(hashlib.sha256(e.encode()).hexdigest() for e in endpoints),
    }


def notification_list_for(user: User | AnonymousUser) -> QuerySet[Notification]:
    """The user's notifications, newest first; nobody sees anyone else's."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def notification_unread_count(user: User) -> int:
    return notification_list_for(user).filter(read_at__isnull=True).count()


def notification_mark_read(*, user: User, notification_id: int) -> Notification:
    """Mark one of the user's notifications read (again is harmless).

    Raises Http404 for an id that does not exist or belongs to somebody else alike.
    """
    notification = get_object_or_404(notification_list_for(user), pk=notification_id)
    if notification.read_at is None:
        now = timezone.now()
        # Conditional, so that two tabs marking the same row keep the first time.
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=now, updated_at=now
        )
        notification.refresh_from_db(fields=["read_at", "updated_at"])
    return notification


def notification_mark_all_read(*, user: User) -> int:
    """Mark every unread notification of the user read; returns how many changed."""
    now = timezone.now()
    return (
        notification_list_for(user).filter(read_at__isnull=True).update(read_at=now, updated_at=now)
    )


def outbox_retry_now(*, message_ids: Iterable[int]) -> int:
    """Send the given pending or failed messages again at once, with a fresh retry budget.

    For administrators after an outage. Delivered messages, and messages a worker is
    sending right now, are left alone. Returns how many rows were rescheduled.
    """
    now = timezone.now()
    with transaction.atomic():
        count = OutboxMessage.objects.filter(
            pk__in=list(message_ids),
            status__in=[OutboxMessage.Status.PENDING, OutboxMessage.Status.FAILED],
        ).update(
            status=OutboxMessage.Status.PENDING,
            attempts=0,
            next_attempt_at=now,
            updated_at=now,
        )
        if count:
            _deliver_after_commit()
    return count


# --- Rendering ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Texts:
    title: str
    body: str
    email_body: str
    sms: str


def _render_texts(recipient: User, kind: str, *, context: dict, url: str) -> _Texts:
    full_context = {
        **context,
        "recipient": recipient,
        "url": url,
        "link": absolute_url(url),
        "site_name": settings.SIKESAL_SITE_NAME,
    }
    language = recipient.language or settings.LANGUAGE_CODE
    with translation.override(language):
        # An email subject is one line; a template's trailing newline or a wrapped
        # {% blocktranslate %} must not break the header.
        title = " ".join(_render(f"notifications/{kind}/subject.txt", full_context).split())
        body = _render(f"notifications/{kind}/body.txt", full_context).strip()
        email_body = _render("notifications/email.txt", {**full_context, "body": body}).strip()
        try:
            sms = _render(f"notifications/{kind}/sms.txt", full_context).strip()
        except TemplateDoesNotExist:
            sms = ""
    return _Texts(title=title[:255], body=body, email_body=email_body + "\n", sms=sms)


def _render(template_name: str, context: dict) -> str:
    # Plain text: "&" in a complaint title must stay "&", not become "&amp;".
    template = Engine.get_default().get_template(template_name)
    return template.render(Context(context, autoescape=False))


def _push_messages(recipient: User, notification: Notification) -> list[OutboxMessage]:
    """One push row per device that opted in; none while push is off (no query then)."""
    if not push_enabled() or not recipient.is_active:
        return []
    payload = push_payload(
        title=notification.title,
        body=notification.body,
        url=notification.url or "/",
        tag=f"sikesal-{notification.pk}",
    )
    return [
        OutboxMessage(
            notification=notification,
            channel=OutboxMessage.Channel.PUSH,
            push_subscription=subscription,
            to=push_recipient_label(subscription),
            body=payload,
        )
        for subscription in recipient.push_subscriptions.order_by("pk")
    ]


def _wants_sms(recipient: User) -> bool:
    return bool(recipient.notify_by_sms and recipient.mobile and recipient.mobile_verified_at)


def _deliver_after_commit() -> None:
    # robust: the caller's change is committed by now and must not fail over a lost
    # enqueue; the rows stay pending and the notifications.retry_due sweep sends them.
    transaction.on_commit(_delivery_enqueue, robust=True)


def _delivery_enqueue() -> None:
    """Ask the worker to deliver the outbox, unless a delivery task is already waiting.

    One task per burst rather than one per notification: a task still waiting in the
    queue (not yet taken by a worker) sends every message due when it runs, and this
    commit's messages are committed before we look, so before it runs. A task already
    running may have passed them: then none is waiting, and a new one is queued.
    """
    if _delivery_waiting():
        return
    deliver_outbox.enqueue()


def _delivery_waiting() -> bool:
    from django_tasks import task_backends
    from django_tasks_db.backend import DatabaseBackend
    from django_tasks_db.models import DBTaskResult

    if not isinstance(task_backends[deliver_outbox.backend], DatabaseBackend):
        return False  # another queue (Redis): enqueue every time, it is cheap there
    # The queue's partial index on ready tasks keeps this to the tasks still waiting.
    return (
        DBTaskResult.objects.ready()
        .filter(task_path=deliver_outbox.module_path, queue_name=deliver_outbox.queue_name)
        .exists()
    )

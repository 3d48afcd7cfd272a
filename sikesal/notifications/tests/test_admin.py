"""Admin: the outbox is read-only; "retry now" reschedules pending and failed messages."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from sikesal.notifications.models import OutboxMessage, PushSubscription
from sikesal.notifications.services import outbox_retry_now
from sikesal.notifications.tests.factories import NotificationFactory, OutboxMessageFactory

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status


@pytest.fixture
def admin_client(client):
    admin = get_user_model().objects.create_superuser(
        username="admin", email="admin@contoh.id", password="Rahasia-Jambi-2026", full_name="Admin"
    )
    client.force_login(admin)
    return client


def test_retry_now_reschedules_failed_and_pending_with_a_fresh_budget(
    django_capture_on_commit_callbacks,
):
    later = timezone.now() + timedelta(hours=1)
    failed = OutboxMessageFactory(status=Status.FAILED, attempts=7, last_error="Boom")
    waiting = OutboxMessageFactory(attempts=2, next_attempt_at=later)
    delivered = OutboxMessageFactory(
        status=Status.DELIVERED, attempts=1, delivered_at=timezone.now()
    )

    with django_capture_on_commit_callbacks() as callbacks:
        count = outbox_retry_now(message_ids=[failed.pk, waiting.pk, delivered.pk])

    assert count == 2
    assert len(callbacks) == 1
    for message in (failed, waiting):
        message.refresh_from_db()
        assert message.status == Status.PENDING
        assert message.attempts == 0
        assert message.next_attempt_at <= timezone.now()
    assert failed.last_error == "Boom"
    delivered.refresh_from_db()
    assert delivered.status == Status.DELIVERED


def test_the_admin_action(admin_client):
    failed = OutboxMessageFactory(status=Status.FAILED, attempts=7)

    response = admin_client.post(
        reverse("admin:notifications_outboxmessage_changelist"),
        {"action": "retry_now", "_selected_action": [failed.pk]},
        follow=True,
    )

    assert response.status_code == 200
    assert "1 pesan dijadwalkan untuk dikirim ulang." in response.content.decode()
    failed.refresh_from_db()
    assert failed.status == Status.PENDING


def test_the_outbox_cannot_be_edited_added_or_deleted_in_the_admin(admin_client):
    message = OutboxMessageFactory()

    change = admin_client.get(
        reverse("admin:notifications_outboxmessage_change", args=[message.pk])
    )
    assert change.status_code == 200
    assert 'name="_save"' not in change.content.decode()
    assert admin_client.get(reverse("admin:notifications_outboxmessage_add")).status_code == 403
    assert (
        admin_client.get(
            reverse("admin:notifications_outboxmessage_delete", args=[message.pk])
        ).status_code
        == 403
    )


def test_the_notification_admin_pages_open(admin_client):
    notification = NotificationFactory()
    OutboxMessageFactory(notification=notification)

    assert (
        admin_client.get(reverse("admin:notifications_notification_changelist")).status_code == 200
    )
    change = admin_client.get(
        reverse("admin:notifications_notification_change", args=[notification.pk])
    )
    assert change.status_code == 200


def test_push_subscriptions_are_listed_without_their_endpoint_or_keys(admin_client):
    owner = get_user_model().objects.create_user(
        username="budi", email="budi@contoh.id", password="Rahasia-Jambi-2026", full_name="Budi"
    )
    subscription = PushSubscription.objects.create(
        user=owner,
        endpoint="https://fcm.googleapis.com/fcm/send/rahasia-budi-123",
        p256dh="BKUNCIPUBLIKBUDI",
        auth="RAHASIAAUTHBUDI",
        device_label="Chrome di Android",
        user_agent="Mozilla/5.0 (Linux; Android 14)",
    )

    listing = admin_client.get(reverse("admin:notifications_pushsubscription_changelist"))
    change = admin_client.get(
        reverse("admin:notifications_pushsubscription_change", args=[subscription.pk])
    )

    for page in (listing, change):
        assert page.status_code == 200
        text = page.content.decode()
        assert "Chrome di Android" in text
        assert "fcm.googleapis.com" in text
        for secret in ("rahasia-budi-123", "BKUNCIPUBLIKBUDI", "RAHASIAAUTHBUDI"):
            assert secret not in text
    assert 'name="_save"' not in change.content.decode()
    assert admin_client.get(reverse("admin:notifications_pushsubscription_add")).status_code == 403
    # Deleting one turns push off for that device.
    admin_client.post(
        reverse("admin:notifications_pushsubscription_delete", args=[subscription.pk]),
        {"post": "yes"},
    )
    assert not PushSubscription.objects.exists()

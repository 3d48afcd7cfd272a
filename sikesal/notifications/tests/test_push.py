"""Web Push as the outbox's third channel, against a push service on 127.0.0.1.

What a real push service checks is checked here on every request: the VAPID JWT is
signed by the configured key for the endpoint's origin, expires within 24 hours and names
the subject; the body is aes128gcm, decryptable only with the browser's key.
"""

from collections.abc import Iterator
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from http_ece import ECEException

from sikesal.accounts.tests.factories import UserFactory
from sikesal.notifications.delivery import deliver_due
from sikesal.notifications.models import OutboxMessage, PushSubscription
from sikesal.notifications.push import (
    PAYLOAD_MAX_BYTES,
    PUSH_TTL_SECONDS,
    push_payload,
    vapid_configuration_problem,
    vapid_keys_generate,
)
from sikesal.notifications.services import notify
from sikesal.notifications.tests.push_support import (
    BrowserKeys,
    FakePushService,
    vapid_token,
)

pytestmark = pytest.mark.django_db

Status = OutboxMessage.Status

SUBJECT = "mailto:sikesal@jambikota.go.id"


@pytest.fixture
def vapid(settings) -> str:
    """Push configured with a fresh key pair; returns the public key."""
    public_key, private_key = vapid_keys_generate()
    settings.SIKESAL_VAPID_PUBLIC_KEY = public_key
    settings.SIKESAL_VAPID_PRIVATE_KEY = private_key
    settings.SIKESAL_VAPID_SUBJECT = SUBJECT
    return public_key


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    service = FakePushService().start()
    yield service
    service.stop()


def subscribe(user, service: FakePushService, name: str = "ponsel") -> BrowserKeys:
    """The browser of `user` subscribed at the fake push service (plain http on 127.0.0.1,
    which the API would refuse: made directly, as the API's own tests cannot)."""
    keys = BrowserKeys()
    PushSubscription.objects.create(
        user=user,
        endpoint=service.endpoint(name),
        p256dh=keys.p256dh,
        auth=keys.auth,
        device_label=f"Chrome di {name}",
    )
    return keys


def tell(user, subject: str = "Pengaduan JMB-1 ditanggapi", body: str = "Silakan beri nilai."):
    return notify(
        user,
        "generic",
        context={"subject": subject, "body": body},
        url="/saya/pengaduan/JMB-1/",
    )


# --- Delivery ---------------------------------------------------------------------------------


def test_a_subscription_receives_the_notification_signed_and_encrypted(vapid, push_service):
    ani = UserFactory(username="ani")
    keys = subscribe(ani, push_service)

    notification = tell(ani)
    report = deliver_due()

    assert report.delivered == 2  # the email and the push
    [request] = push_service.requests
    assert request.method == "POST"
    assert request.path == "/push/ponsel"
    assert request.headers["content-encoding"] == "aes128gcm"
    assert request.headers["ttl"] == str(PUSH_TTL_SECONDS)
    assert request.headers["urgency"] == "normal"
    claims = vapid_token(request.headers["authorization"], public_key=vapid)
    assert claims["aud"] == push_service.origin
    assert claims["sub"] == SUBJECT
    assert keys.decrypt(request.body) == {
        "title": "Pengaduan JMB-1 ditanggapi",
        "body": "Silakan beri nilai.",
        "url": "/saya/pengaduan/JMB-1/",
        "icon": "/static/pwa/icon-192.png",
        "tag": f"sikesal-{notification.pk}",
    }
    push = OutboxMessage.objects.get(channel="push")
    assert push.status == Status.DELIVERED
    assert push.notification == notification
    assert push.to == f"Chrome di ponsel @ 127.0.0.1 #{push.push_subscription_id}"
    assert push.push_subscription.last_success_at == push.delivered_at


def test_another_browser_cannot_read_the_push(vapid, push_service):
    ani = UserFactory()
    subscribe(ani, push_service)

    tell(ani)
    deliver_due()

    with pytest.raises(ECEException, match="Decryption error"):
        BrowserKeys().decrypt(push_service.requests[0].body)


def test_each_device_of_the_recipient_gets_one_push_and_nobody_else_any(vapid, push_service):
    ani, budi = UserFactory(), UserFactory()
    phone, laptop = subscribe(ani, push_service, "ponsel"), subscribe(ani, push_service, "laptop")
    subscribe(budi, push_service, "budi")

    tell(ani)
    deliver_due()

    assert sorted(r.path for r in push_service.requests) == ["/push/laptop", "/push/ponsel"]
    by_path = {r.path: r for r in push_service.requests}
    assert phone.decrypt(by_path["/push/ponsel"].body)["title"] == "Pengaduan JMB-1 ditanggapi"
    assert laptop.decrypt(by_path["/push/laptop"].body)["title"] == "Pengaduan JMB-1 ditanggapi"
    assert deliver_due().delivered == 0  # exactly once
    assert len(push_service.requests) == 2


@pytest.mark.parametrize("status", [404, 410])
def test_a_gone_subscription_is_deleted_and_its_message_not_retried(vapid, push_service, status):
    ani = UserFactory()
    subscribe(ani, push_service)
    push_service.answers = [status]

    tell(ani)
    report = deliver_due()

    assert report.as_dict() == {"delivered": 1, "retrying": 0, "failed": 1, "more": False}
    assert not PushSubscription.objects.exists()
    push = OutboxMessage.objects.get(channel="push")
    assert push.status == Status.FAILED
    assert push.attempts == 1
    assert str(status) in push.last_error
    # Nothing is sent to it again, not even after the backoff would have passed.
    OutboxMessage.objects.filter(pk=push.pk).update(next_attempt_at=timezone.now())
    deliver_due()
    tell(ani)
    deliver_due()
    assert len(push_service.requests) == 1
    assert OutboxMessage.objects.filter(channel="push").count() == 1


def test_a_server_error_is_retried_with_backoff_then_delivered(vapid, push_service, settings):
    settings.SIKESAL_OUTBOX_BACKOFF_MINUTES = [1, 5]
    ani = UserFactory()
    keys = subscribe(ani, push_service)
    push_service.answers = [500]

    tell(ani)
    before = timezone.now()
    report = deliver_due()

    assert report.retrying == 1
    push = OutboxMessage.objects.get(channel="push")
    assert push.status == Status.PENDING
    assert push.attempts == 1
    assert "500" in push.last_error
    assert before + timedelta(minutes=1) <= push.next_attempt_at
    assert PushSubscription.objects.count() == 1

    OutboxMessage.objects.filter(pk=push.pk).update(next_attempt_at=timezone.now())
    assert deliver_due().delivered == 1
    push.refresh_from_db()
    assert (push.status, push.attempts) == (Status.DELIVERED, 2)
    assert len(push_service.requests) == 2
    # The same payload (and tag) both times: the phone shows it once.
    assert keys.decrypt(push_service.requests[0].body) == keys.decrypt(
        push_service.requests[1].body
    )


def test_an_unreachable_push_service_is_retried(vapid, push_service):
    ani = UserFactory()
    subscribe(ani, push_service)
    push_service.stop()

    tell(ani)
    report = deliver_due()

    assert report.retrying == 1
    assert OutboxMessage.objects.get(channel="push").status == Status.PENDING
    push_service.start()  # for the fixture's stop


def test_a_device_turned_off_before_delivery_gets_nothing(vapid, push_service):
    ani = UserFactory()
    subscribe(ani, push_service)
    tell(ani)

    PushSubscription.objects.all().delete()
    report = deliver_due()

    assert report.failed == 1
    assert push_service.requests == []
    push = OutboxMessage.objects.get(channel="push")
    assert push.status == Status.FAILED
    assert push.attempts == 1


def test_without_vapid_keys_no_push_is_queued(push_service, settings):
    settings.SIKESAL_VAPID_PUBLIC_KEY = ""
    ani = UserFactory()
    subscribe(ani, push_service)

    tell(ani)
    deliver_due()

    assert not OutboxMessage.objects.filter(channel="push").exists()
    assert push_service.requests == []


def test_push_turned_off_after_queueing_fails_the_message_without_sending(
    vapid, push_service, settings
):
    ani = UserFactory()
    subscribe(ani, push_service)
    tell(ani)

    settings.SIKESAL_VAPID_PRIVATE_KEY = ""
    deliver_due()

    assert OutboxMessage.objects.get(channel="push").status == Status.FAILED
    assert push_service.requests == []


def test_a_long_text_is_shortened_to_fit_a_push():
    payload = push_payload(title="Judul " * 100, body="Lubang besar. " * 2000, url="/", tag="t")

    assert len(payload.encode("utf-8")) <= PAYLOAD_MAX_BYTES
    assert '"body": "Lubang besar.' in payload
    assert "…" in payload


def test_multibyte_text_is_measured_in_bytes():
    payload = push_payload(title="Jalan", body="ꦗꦭꦤ꧀" * 3000, url="/", tag="t")

    assert len(payload.encode("utf-8")) <= PAYLOAD_MAX_BYTES


# --- Configuration ----------------------------------------------------------------------------


def test_the_command_prints_a_working_key_pair(settings, vapid, push_service):
    out = StringIO()

    call_command("generate_vapid_keys", "--subject", "https://sikesal.jambikota.go.id", stdout=out)

    lines = dict(line.split("=", 1) for line in out.getvalue().splitlines())
    assert set(lines) == {
        "SIKESAL_VAPID_PUBLIC_KEY",
        "SIKESAL_VAPID_PRIVATE_KEY",
        "SIKESAL_VAPID_SUBJECT",
    }
    assert lines["SIKESAL_VAPID_PUBLIC_KEY"] != vapid
    for name, value in lines.items():
        setattr(settings, name, value)
    assert vapid_configuration_problem() is None
    # And a push signed with it verifies against its public key.
    user = UserFactory()
    subscribe(user, push_service)
    tell(user)
    deliver_due()
    claims = vapid_token(
        push_service.requests[0].headers["authorization"],
        public_key=lines["SIKESAL_VAPID_PUBLIC_KEY"],
    )
    assert claims["sub"] == "https://sikesal.jambikota.go.id"


def test_the_command_defaults_the_subject_to_the_sender_address(settings):
    settings.DEFAULT_FROM_EMAIL = "SIKESAL Kota Jambi <sikesal@jambikota.go.id>"
    out = StringIO()

    call_command("generate_vapid_keys", stdout=out)

    assert "SIKESAL_VAPID_SUBJECT=mailto:sikesal@jambikota.go.id\n" in out.getvalue()


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({}, None),
        (
            {
                "SIKESAL_VAPID_PUBLIC_KEY": "",
                "SIKESAL_VAPID_PRIVATE_KEY": "",
                "SIKESAL_VAPID_SUBJECT": "",
            },
            None,
        ),
        ({"SIKESAL_VAPID_SUBJECT": ""}, "SIKESAL_VAPID_SUBJECT is empty"),
        ({"SIKESAL_VAPID_SUBJECT": "sikesal@jambikota.go.id"}, "must be mailto:"),
        ({"SIKESAL_VAPID_SUBJECT": "http://jambikota.go.id"}, "must be mailto:"),
        ({"SIKESAL_VAPID_PUBLIC_KEY": "bukan-kunci"}, "PUBLIC_KEY is not"),
        ({"SIKESAL_VAPID_PRIVATE_KEY": "AAAA"}, "PRIVATE_KEY is not"),
        ({"SIKESAL_VAPID_PUBLIC_KEY": vapid_keys_generate()[0]}, "not the public half"),
    ],
)
def test_the_settings_are_checked_at_startup(settings, vapid, changes, problem):
    for name, value in changes.items():
        setattr(settings, name, value)

    found = vapid_configuration_problem()

    if problem is None:
        assert found is None
    else:
        assert problem in found

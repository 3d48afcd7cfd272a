"""The opt-in on /akun/: shown only while push is configured, with what push-optin.js needs."""

import hashlib

import pytest
from django.urls import reverse

from sikesal.accounts.tests.factories import UserFactory
from sikesal.notifications.models import PushSubscription
from sikesal.notifications.push import vapid_keys_generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def budi_client(client):
    budi = UserFactory(username="budi")
    client.force_login(budi)
    client.user = budi
    return client


def test_without_vapid_keys_there_is_no_opt_in(budi_client):
    page = budi_client.get(reverse("accounts:account")).content.decode()

    assert "data-push-optin" not in page
    assert "push-optin.js" not in page
    assert "Aktifkan pemberitahuan di perangkat ini" not in page


def test_with_vapid_keys_the_opt_in_carries_the_key_and_addresses(budi_client, settings):
    public_key, private_key = vapid_keys_generate()
    settings.SIKESAL_VAPID_PUBLIC_KEY = public_key
    settings.SIKESAL_VAPID_PRIVATE_KEY = private_key
    settings.SIKESAL_VAPID_SUBJECT = "mailto:sikesal@jambikota.go.id"
    endpoint = "https://fcm.googleapis.com/fcm/send/budi-hp"
    PushSubscription.objects.create(user=budi_client.user, endpoint=endpoint, p256dh="x", auth="y")
    PushSubscription.objects.create(
        user=UserFactory(),
        endpoint="https://fcm.googleapis.com/fcm/send/orang-lain",
        p256dh="x",
        auth="y",
    )

    page = budi_client.get(reverse("accounts:account")).content.decode()

    assert 'src="/static/js/push-optin.js"' in page
    assert f'data-public-key="{public_key}"' in page
    # Budi's one endpoint, as a digest: the page never carries the address itself.
    assert f'data-endpoint-digests="{hashlib.sha256(endpoint.encode()).hexdigest()}"' in page
    assert endpoint not in page
    assert 'data-subscribe-url="/api/v1/me/push/subscribe/"' in page
    assert 'data-unsubscribe-url="/api/v1/me/push/unsubscribe/"' in page
    assert 'data-msg-turn-on="Aktifkan pemberitahuan di perangkat ini"' in page
    assert 'data-msg-turn-off="Matikan pemberitahuan di perangkat ini"' in page


def test_the_opt_in_speaks_english_to_an_english_reader(budi_client, settings):
    public_key, private_key = vapid_keys_generate()
    settings.SIKESAL_VAPID_PUBLIC_KEY = public_key
    settings.SIKESAL_VAPID_PRIVATE_KEY = private_key
    settings.SIKESAL_VAPID_SUBJECT = "mailto:sikesal@jambikota.go.id"
    budi_client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = budi_client.get(reverse("accounts:account")).content.decode()

    assert 'data-msg-turn-on="Turn on notifications on this device"' in page
    assert "Notifications on this device" in page

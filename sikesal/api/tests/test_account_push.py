"""Push on this device through the API: the key to subscribe with, turning push on and
off, and hostile subscriptions refused with a 400 that says why."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rest_framework.test import APIClient

from sikesal.accounts.tests.factories import UserFactory
from sikesal.core.tests.test_fuzz import KNOWN_HOSTILE
from sikesal.notifications.models import OutboxMessage, PushSubscription
from sikesal.notifications.push import vapid_keys_generate
from sikesal.notifications.services import notify
from sikesal.notifications.tests.push_support import BrowserKeys, b64url

pytestmark = pytest.mark.django_db

CONFIG_URL = "/api/v1/me/push/"
SUBSCRIBE_URL = "/api/v1/me/push/subscribe/"
UNSUBSCRIBE_URL = "/api/v1/me/push/unsubscribe/"
ENDPOINT = "https://fcm.googleapis.com/fcm/send/dQw4w9WgXcQ:APA91bH-uji"


@pytest.fixture
def vapid(settings) -> str:
    public_key, private_key = vapid_keys_generate()
    settings.SIKESAL_VAPID_PUBLIC_KEY = public_key
    settings.SIKESAL_VAPID_PRIVATE_KEY = private_key
    settings.SIKESAL_VAPID_SUBJECT = "mailto:sikesal@jambikota.go.id"
    return public_key


@pytest.fixture
def budi(db):
    return UserFactory(username="budi")


@pytest.fixture
def as_budi(api_as, budi) -> APIClient:
    return api_as(budi)


def browser_json(endpoint: str = ENDPOINT, **changes) -> dict:
    """What PushSubscription.toJSON() gives, as the page sends it."""
    keys = BrowserKeys()
    body = {
        "endpoint": endpoint,
        "expirationTime": None,
        "keys": {"p256dh": keys.p256dh, "auth": keys.auth},
    }
    body.update(changes)
    return body


def fields_of(response) -> dict:
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "invalid"
    return error["fields"]


# --- The key --------------------------------------------------------------------------------


def test_the_key_to_subscribe_with(as_budi, vapid):
    response = as_budi.get(CONFIG_URL)

    assert response.status_code == 200
    assert response.json() == {"enabled": True, "public_key": vapid}


def test_without_vapid_keys_push_is_off(as_budi):
    assert as_budi.get(CONFIG_URL).json() == {"enabled": False, "public_key": None}

    response = as_budi.post(SUBSCRIBE_URL, browser_json(), format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "push_disabled"
    assert not PushSubscription.objects.exists()


def test_only_a_signed_in_person_may_read_the_key(api, vapid):
    assert api.get(CONFIG_URL).status_code == 401


@pytest.mark.parametrize("url", [SUBSCRIBE_URL, UNSUBSCRIBE_URL])
def test_only_a_signed_in_person_may_turn_push_on_or_off(api, vapid, url):
    response = api.post(url, browser_json(), format="json")

    assert response.status_code == 401
    assert not PushSubscription.objects.exists()


# --- On and off -----------------------------------------------------------------------------


def test_turning_push_on_registers_this_device(as_budi, budi, vapid):
    body = browser_json(device_label="Chrome di Android")

    response = as_budi.post(
        SUBSCRIBE_URL, body, format="json", HTTP_USER_AGENT="Mozilla/5.0 (Linux; Android 14)"
    )

    assert response.status_code == 201
    subscription = PushSubscription.objects.get()
    assert response.json() == {
        "id": subscription.pk,
        "device_label": "Chrome di Android",
        "push_service": "fcm.googleapis.com",
        "created_at": response.json()["created_at"],
        "last_success_at": None,
    }
    assert subscription.user == budi
    assert subscription.endpoint == ENDPOINT
    assert subscription.p256dh == body["keys"]["p256dh"]
    assert subscription.auth == body["keys"]["auth"]
    assert subscription.user_agent == "Mozilla/5.0 (Linux; Android 14)"


def test_the_same_browser_again_updates_its_keys(as_budi, vapid):
    as_budi.post(SUBSCRIBE_URL, browser_json(), format="json")
    again = browser_json()

    response = as_budi.post(SUBSCRIBE_URL, again, format="json")

    assert response.status_code == 200
    subscription = PushSubscription.objects.get()
    assert subscription.p256dh == again["keys"]["p256dh"]


def test_a_shared_phone_gets_only_the_latest_persons_notifications(api_as, budi, vapid):
    siti = UserFactory(username="siti")
    api_as(siti).post(SUBSCRIBE_URL, browser_json(), format="json")
    notify(siti, "generic", context={"subject": "Untuk Siti", "body": "."})  # not sent yet

    response = api_as(budi).post(SUBSCRIBE_URL, browser_json(), format="json")

    assert response.status_code == 201
    assert PushSubscription.objects.get().user == budi
    # Siti's waiting push lost its device: it can no longer go to Budi's phone.
    [waiting] = OutboxMessage.objects.filter(channel="push")
    assert waiting.push_subscription is None
    notify(siti, "generic", context={"subject": "Untuk Siti lagi", "body": "."})
    assert OutboxMessage.objects.filter(channel="push").count() == 1


def test_turning_push_off_removes_this_device(as_budi, vapid):
    as_budi.post(SUBSCRIBE_URL, browser_json(), format="json")

    response = as_budi.post(UNSUBSCRIBE_URL, {"endpoint": ENDPOINT}, format="json")

    assert response.status_code == 204
    assert not PushSubscription.objects.exists()
    # Again: nothing left to remove, the same answer.
    assert as_budi.post(UNSUBSCRIBE_URL, {"endpoint": ENDPOINT}, format="json").status_code == 204


def test_nobody_can_turn_off_someone_elses_device(api_as, as_budi, vapid):
    as_budi.post(SUBSCRIBE_URL, browser_json(), format="json")
    mallory = api_as(UserFactory(username="mallory"))

    response = mallory.post(UNSUBSCRIBE_URL, {"endpoint": ENDPOINT}, format="json")

    assert response.status_code == 204  # saying nothing about whether it exists
    assert PushSubscription.objects.count() == 1


def test_the_page_turns_push_on_with_its_session_and_csrf_token(budi, vapid):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(budi)
    token = browser.get("/akun/").cookies["csrftoken"].value

    refused = browser.post(SUBSCRIBE_URL, browser_json(), content_type="application/json")
    accepted = browser.post(
        SUBSCRIBE_URL, browser_json(), content_type="application/json", HTTP_X_CSRFTOKEN=token
    )

    assert refused.status_code == 403
    assert accepted.status_code == 201


# --- Hostile subscriptions ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("endpoint", "message"),
    [
        ("https://fcm.googleapis.com/" + "a" * 5000, "1000"),
        ("http://fcm.googleapis.com/fcm/send/abc", "https://"),
        ("ftp://fcm.googleapis.com/abc", "https://"),
        ("fcm.googleapis.com/fcm/send/abc", "https://"),
        ("", "tidak boleh kosong"),
        ("https://127.0.0.1/push", "layanan push publik"),
        ("https://[::1]/push", "layanan push publik"),
        ("https://10.1.2.3/push", "layanan push publik"),
        ("https://localhost/push", "layanan push publik"),
        ("https://db.internal/push", "layanan push publik"),
        ("https://fcm.googleapis.com:8080/push", "layanan push publik"),
        ("https://user:pw@fcm.googleapis.com/push", "bukan URL yang sah"),
        ("https://fcm.googleapis.com:99999/push", "bukan URL yang sah"),
        ("https://fcm.googleapis.com/a b", "karakter yang tidak sah"),
        ("https://fcm.googleapis.com/\u0000", "NUL"),
    ],
)
def test_an_endpoint_that_is_not_a_public_push_service_is_refused(
    as_budi, vapid, endpoint, message
):
    response = as_budi.post(SUBSCRIBE_URL, browser_json(endpoint), format="json")

    errors = fields_of(response)
    assert list(errors) == ["endpoint"]
    assert message in errors["endpoint"][0]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    ("keys", "field"),
    [
        ({"p256dh": "bukan base64!", "auth": b64url(b"0" * 16)}, "keys.p256dh"),
        ({"p256dh": b64url(b"\x04" + b"0" * 64), "auth": b64url(b"0" * 16)}, "keys.p256dh"),
        ({"p256dh": b64url(b"\x04" * 33), "auth": b64url(b"0" * 16)}, "keys.p256dh"),
        ({"p256dh": BrowserKeys().p256dh, "auth": b64url(b"0" * 15)}, "keys.auth"),
        ({"p256dh": BrowserKeys().p256dh, "auth": "a+b/c=="}, "keys.auth"),
        ({"p256dh": BrowserKeys().p256dh, "auth": "A" * 500}, "keys.auth"),
        ({"p256dh": BrowserKeys().p256dh}, "keys.auth"),
        ({"p256dh": 42, "auth": b64url(b"0" * 16)}, "keys.p256dh"),
    ],
)
def test_keys_that_are_not_a_browsers_are_refused(as_budi, vapid, keys, field):
    response = as_budi.post(SUBSCRIBE_URL, browser_json(keys=keys), format="json")

    errors = fields_of(response)
    assert list(errors) == [field]
    assert errors[field][0]
    assert not PushSubscription.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        [],
        "endpoint",
        {"endpoint": ENDPOINT},
        {"endpoint": ENDPOINT, "keys": "p256dh"},
        {"endpoint": ["https://fcm.googleapis.com/x"], "keys": {}},
        {**browser_json(), "expirationTime": "besok"},
        {**browser_json(), "device_label": "x" * 101},
    ],
)
def test_a_malformed_body_is_a_400(as_budi, vapid, body):
    response = as_budi.post(SUBSCRIBE_URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["message"]
    assert not PushSubscription.objects.exists()


def test_a_malformed_unsubscribe_is_a_400(as_budi, vapid):
    response = as_budi.post(UNSUBSCRIBE_URL, {"endpoint": "x" * 5000}, format="json")

    assert list(fields_of(response)) == ["endpoint"]


# --- Generated hostile subscriptions ---------------------------------------------------------

hostile_text = st.one_of(
    st.sampled_from(
        [
            *KNOWN_HOSTILE,
            "https://",
            "https://.",
            "https://[",
            "https://[::ffff:127.0.0.1]/",
            "https://0x7f.1/",
            "https://fcm.googleapis.com:/x",
            "https://fcm.googleapis.com:0/x",
            "https://xn--/",
            "====",
            "A",
            "-_-_",
        ]
    ),
    st.text(max_size=120),
    st.builds(lambda tail: "https://fcm.googleapis.com/" + tail, st.text(max_size=60)),
)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(endpoint=hostile_text, p256dh=hostile_text, auth=hostile_text)
def test_any_subscription_is_answered_without_a_server_error(
    as_budi, vapid, endpoint, p256dh, auth
):
    body = {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}

    response = as_budi.post(SUBSCRIBE_URL, body, format="json")

    assert response.status_code in (200, 201, 400), response.content
    if response.status_code == 400:
        assert response.json()["error"]["message"]
    else:
        assert endpoint.startswith("https://fcm.googleapis.com/")

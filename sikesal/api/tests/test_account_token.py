"""Signing a phone in: a token per device, hashed at rest, expiring, revocable, behind the
same lockout as the login page (Pasal 7; issue #11, "Auth for a phone app")."""

import hashlib
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from sikesal.accounts.models import User
from sikesal.api.account.views import SignInAddressThrottle
from sikesal.api.models import DeviceToken
from sikesal.api.tests import account_support as support
from sikesal.api.tests.account_support import ME_URL, PASSWORD, TOKEN_URL, sign_in

# The account tests' fixtures (sikesal/api/tests/account_support.py).
budi = support.budi
signed_in = support.signed_in
emails_sent_at_once = support.emails_sent_at_once

pytestmark = pytest.mark.django_db

WRONG = "salah-sandi"
INVALID = {
    "error": {
        "code": "invalid_credentials",
        "message": "Nama pengguna/email/nomor ponsel atau kata sandi salah. Perhatikan huruf "
        "besar dan kecil pada kata sandi.",
    }
}


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


def page_login(client: Client, login: str, password: str, address: str = "10.0.0.1"):
    return client.post("/masuk/", {"username": login, "password": password}, REMOTE_ADDR=address)


@pytest.mark.parametrize(
    "login", ["budi", "BUDI", "budi@contoh.id", "0812-3456-7890", "+62 812 3456 7890"]
)
def test_sign_in_by_username_email_or_mobile(api, budi, login):
    # When Budi's phone signs in with any of his logins
    response = sign_in(api, login)

    # Then it gets a token for this device, shown once, and Budi's account
    assert response.status_code == 201
    body = response.json()
    assert body["token"].startswith("skl_")
    assert body["device"]["name"] == "Samsung A14"
    assert body["device"]["prefix"] == body["token"][:8]
    assert body["device"]["revoked_at"] is None
    assert body["device"]["current"] is True
    assert body["user"]["username"] == "budi"
    assert body["user"]["email"] == "budi@contoh.id"
    # And the token works
    me = bearer(body["token"]).get(ME_URL)
    assert me.status_code == 200
    assert me.json()["username"] == "budi"


def test_the_token_expires_as_configured(api, budi, settings):
    settings.SIKESAL_API_TOKEN_DAYS = 30
    before = timezone.now()

    body = sign_in(api, "budi").json()

    token = DeviceToken.objects.get(user=budi)
    assert before + timedelta(days=30) <= token.expires_at <= timezone.now() + timedelta(days=30)
    assert body["expires_at"] == body["device"]["expires_at"]


def test_a_sign_in_is_a_login(api, budi):
    # Signing in records the login time, like the page
    assert budi.last_login is None

    sign_in(api, "budi")

    budi.refresh_from_db()
    assert budi.last_login is not None


def test_only_the_digest_of_the_key_is_stored(api, budi):
    key = sign_in(api, "budi").json()["token"]

    token = DeviceToken.objects.get(user=budi)
    assert token.digest == hashlib.sha256(key.encode()).hexdigest()
    stored = [
        str(value) for value in DeviceToken.objects.filter(pk=token.pk).values().get().values()
    ]
    assert not any(key in value for value in stored)
    assert not any(key[len(token.prefix) :] in value for value in stored)


@pytest.mark.parametrize(
    ("login", "password"),
    [("budi", WRONG), ("tidak-ada", PASSWORD), ("tidak-ada@contoh.id", WRONG)],
)
def test_wrong_credentials_never_say_whether_the_account_exists(api, budi, login, password):
    response = sign_in(api, login, password)

    assert response.status_code == 400
    assert response.json() == INVALID
    assert not DeviceToken.objects.exists()


def test_an_inactive_account_cannot_sign_in(api, budi):
    User.objects.filter(pk=budi.pk).update(is_active=False)

    response = sign_in(api, "budi")

    assert response.status_code == 400
    assert response.json() == INVALID


# --- The lockout: the login page's -------------------------------------------------------


def test_five_failures_lock_the_api_like_the_page(api, budi, settings):
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = [sign_in(api, "budi", WRONG).status_code for _ in range(5)]

    # The fifth failure locks, as on the page ([200, 200, 200, 200, 429] there)
    assert statuses == [400, 400, 400, 400, 429]
    # And the right password from that address is refused, in the API's shape
    response = sign_in(api, "budi")
    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "locked_out"
    cool_off = int(settings.AXES_COOLOFF_TIME * 3600)
    assert 0 < int(response["Retry-After"]) <= cool_off
    assert not DeviceToken.objects.exists()
    # And the page refuses Budi from that address too
    assert page_login(Client(), "budi", PASSWORD).status_code == 429
    # While Budi at another address still signs in
    assert sign_in(api, "budi", REMOTE_ADDR="10.0.0.2").status_code == 201


def test_failures_on_the_page_lock_the_api(api, budi):
    page = Client()
    assert [page_login(page, "budi", WRONG).status_code for _ in range(5)][-1] == 429

    response = sign_in(api, "budi")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"


def test_failures_on_both_doors_count_together(api, budi):
    page = Client()
    # Two on the page, with the email; two in the API, with the mobile number
    assert page_login(page, "budi@contoh.id", WRONG).status_code == 200
    assert page_login(page, "budi@contoh.id", WRONG).status_code == 200
    assert sign_in(api, "0812-3456-7890", WRONG).status_code == 400
    assert sign_in(api, "0812 3456 7890", WRONG).status_code == 400

    # The fifth, on either door, locks: one count per account, however it was written
    assert sign_in(api, "BUDI", WRONG).status_code == 429
    assert page_login(page, "budi", PASSWORD).status_code == 429
    assert AccessAttempt.objects.get().failures_since_start == 5


def test_a_success_forgets_the_failures_like_the_page(api, budi):
    for _ in range(4):
        sign_in(api, "budi", WRONG)

    assert sign_in(api, "budi").status_code == 201

    # Four more failures do not lock: the count started again
    assert [sign_in(api, "budi", WRONG).status_code for _ in range(4)] == [400] * 4


def test_refusals_during_the_lock_do_not_extend_it(api, budi):
    for _ in range(5):
        sign_in(api, "budi", WRONG)
    before = AccessAttempt.objects.get()

    for _ in range(3):
        assert sign_in(api, "budi", WRONG).status_code == 429

    after = AccessAttempt.objects.get()
    assert (after.failures_since_start, after.attempt_time) == (5, before.attempt_time)


def test_the_lock_ends_after_the_cool_off(api, budi, settings):
    for _ in range(5):
        sign_in(api, "budi", WRONG)
    AccessAttempt.objects.update(
        attempt_time=timezone.now() - timedelta(hours=settings.AXES_COOLOFF_TIME, seconds=1)
    )

    assert sign_in(api, "budi").status_code == 201


def test_one_address_trying_many_accounts_is_locked_out(api, settings):
    settings.SIKESAL_LOGIN_IP_FAILURE_LIMIT = 6
    for number in range(6):
        sign_in(api, f"orang{number}", WRONG)

    response = sign_in(api, "orang-lain", WRONG)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"
    assert "alamat jaringan Anda" in response.json()["error"]["message"]


def test_guesses_from_many_addresses_slow_the_account_down_on_both_doors(api, budi):
    # Given ten failures on Budi's account, each from another address, half on the page
    for i in range(5):
        assert page_login(Client(), "budi", WRONG, f"10.2.0.{i}").status_code == 200
        assert sign_in(api, "budi", WRONG, REMOTE_ADDR=f"10.2.1.{i}").status_code == 400

    # Then the next attempt must wait a second after the last failure, in the API too
    response = sign_in(api, "budi", REMOTE_ADDR="10.3.0.1")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "locked_out"
    assert response["Retry-After"] == "1"
    assert not DeviceToken.objects.exists()


def test_sign_in_is_throttled_per_address(api, budi, monkeypatch):
    # Given a rate of two sign-ins an hour per address (SIKESAL_API_SIGN_IN_RATE)
    monkeypatch.setattr(SignInAddressThrottle, "THROTTLE_RATES", {"sign_in": "2/hour"})
    assert sign_in(api, "budi").status_code == 201
    assert sign_in(api, "budi").status_code == 201

    response = sign_in(api, "budi")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert int(response["Retry-After"]) > 0
    # Another address is not concerned
    assert sign_in(api, "budi", REMOTE_ADDR="10.0.0.9").status_code == 201


# --- Hostile input ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"login": "budi", "password": PASSWORD},
        {"login": "budi", "password": PASSWORD, "device_name": ""},
        {"login": 1.5, "password": PASSWORD, "device_name": "A"},
        {"login": "budi", "password": True, "device_name": "A"},
        {"login": ["budi"], "password": PASSWORD, "device_name": "A"},
        {"login": "budi", "password": {"x": 1}, "device_name": "A"},
        {"login": None, "password": PASSWORD, "device_name": "A"},
        {"login": "budi", "password": PASSWORD, "device_name": 10**30},
        {"login": "bu\x00di", "password": PASSWORD, "device_name": "A"},
        {"login": "budi", "password": PASSWORD, "device_name": "A\x00"},
        {"login": "b" * 10_000, "password": PASSWORD, "device_name": "A"},
        {"login": "budi", "password": "x" * 100_000, "device_name": "A"},
        {"login": "budi", "password": PASSWORD, "device_name": "A" * 101},
    ],
)
def test_hostile_input_is_a_400(api, budi, body):
    response = api.post(TOKEN_URL, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert not DeviceToken.objects.exists()
    # And nothing was counted against the account
    assert not AccessAttempt.objects.exists()


def test_a_body_that_is_not_an_object_is_a_400(api, budi):
    for body in ("[1, 2]", "null", '"budi"', "{"):
        response = api.post(TOKEN_URL, body, content_type="application/json")
        assert response.status_code == 400


# --- Revocation and expiry ----------------------------------------------------------------


def test_signing_out_revokes_the_token_of_the_request(signed_in, budi):
    other = bearer(sign_in(APIClient(), "budi").json()["token"])

    response = signed_in.delete(TOKEN_URL)

    assert response.status_code == 204
    # Then this device's token is refused
    refused = signed_in.get(ME_URL)
    assert refused.status_code == 401
    assert refused["WWW-Authenticate"] == 'Bearer realm="api"'
    assert refused.json()["error"]["code"] == "authentication_failed"
    # While Budi's other device stays signed in
    assert other.get(ME_URL).status_code == 200
    assert DeviceToken.objects.filter(revoked_at__isnull=False).count() == 1


def test_signing_out_needs_a_token(api, client, budi):
    assert api.delete(TOKEN_URL).status_code == 401
    # A browser session has no device token to revoke
    client.force_login(budi)
    assert client.delete(TOKEN_URL).status_code == 401


def test_an_expired_token_gets_a_401(signed_in, budi):
    DeviceToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = signed_in.get(ME_URL)

    assert response.status_code == 401


@pytest.mark.parametrize(
    "header",
    [
        "Bearer skl_not-a-real-token",
        "Bearer",
        "Bearer a b",
        "Bearer skl_" + "x" * 200,
        "Token skl_nothing",
    ],
)
def test_a_bad_token_gets_a_401(api, budi, header):
    response = api.get(ME_URL, HTTP_AUTHORIZATION=header)

    assert response.status_code == 401
    assert "error" in response.json()


def test_sign_in_ignores_a_browser_session_and_its_csrf(budi):
    # A signed-in browser without a CSRF token may still sign a device in (no session use)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(budi)

    response = browser.post(
        TOKEN_URL,
        {"login": "budi", "password": PASSWORD, "device_name": "Laptop"},
        content_type="application/json",
    )

    assert response.status_code == 201


def test_an_app_reads_the_refusal_in_its_language(api, budi):
    response = sign_in(api, "budi", WRONG, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 400
    assert response.json()["error"]["message"] == (
        "Wrong username/email/mobile number or password. Note that the password is case-sensitive."
    )

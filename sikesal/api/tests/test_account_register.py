"""POST /api/v1/auth/register/: the registration form of /daftar/ (Pasal 7.1), its limits
per address shared with the page, and a token for the device when it names itself."""

import pytest
from django.core import mail
from django.test import Client

from sikesal.accounts.models import User
from sikesal.accounts.self_service import REGISTRATION_SUBMISSIONS
from sikesal.api.models import DeviceToken
from sikesal.api.tests import account_support as support
from sikesal.api.tests.account_support import ME_URL, REGISTER_URL

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

# The account tests' fixtures (sikesal/api/tests/account_support.py).
budi = support.budi
emails_sent_at_once = support.emails_sent_at_once

PASSWORD = "Sungai-Batanghari-77"
SITI = {
    "full_name": "Siti Rahmawati",
    "username": "siti",
    "email": "siti@contoh.id",
    "mobile": "0852-1111-2222",
    "password": PASSWORD,
    "privacy_consent": True,
}


def register(client, body, address="203.0.113.7"):
    return client.post(REGISTER_URL, body, format="json", REMOTE_ADDR=address)


def test_registration_creates_the_citizen_and_sends_both_verifications(api, sms_outbox):
    response = register(api, SITI)

    assert response.status_code == 201
    body = response.json()
    assert body["user"]["username"] == "siti"
    assert body["user"]["mobile"] == "+6285211112222"
    assert body["user"]["is_verified"] is False
    # Without device_name, no token
    assert (body["token"], body["expires_at"], body["device"]) == (None, None, None)
    assert not DeviceToken.objects.exists()
    user = User.objects.get(username="siti")
    assert user.check_password(PASSWORD)
    assert user.privacy_consented_at is not None
    assert user.roles == {"citizen"}
    # And, as after /daftar/, the email link and the SMS code are on their way
    assert [message.to for message in mail.outbox] == [["siti@contoh.id"]]
    assert [sms.to for sms in sms_outbox] == ["+6285211112222"]


def test_registration_with_a_device_name_signs_the_device_in(api):
    response = register(api, {**SITI, "device_name": "Redmi 12"})

    assert response.status_code == 201
    body = response.json()
    assert body["device"]["name"] == "Redmi 12"
    assert body["token"].startswith("skl_")
    phone = api.__class__()
    phone.credentials(HTTP_AUTHORIZATION=f"Bearer {body['token']}")
    assert phone.get(ME_URL).json()["username"] == "siti"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"username": "BUDI"}, "username"),
        ({"email": "Budi@Contoh.id"}, "email"),
        ({"mobile": "+62 812-3456-7890"}, "mobile"),
    ],
)
def test_a_taken_identity_is_refused_per_field(api, budi, change, field):
    response = register(api, {**SITI, **change})

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not User.objects.filter(full_name="Siti Rahmawati").exists()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"privacy_consent": False}, "privacy_consent"),
        ({"password": "12345678"}, "password"),
        ({"password": "password"}, "password"),
        ({"username": "siti rahma"}, "username"),
        ({"username": "w\u0430rga"}, "username"),  # a Cyrillic a
        ({"email": "siti"}, "email"),
        ({"mobile": "12345"}, "mobile"),
        ({"full_name": "1234"}, "full_name"),
        ({"full_name": "\u200b\u200b"}, "full_name"),
    ],
)
def test_the_forms_rules_apply(api, change, field):
    response = register(api, {**SITI, **change})

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]
    assert not User.objects.filter(username="siti").exists()
    assert not mail.outbox


@pytest.mark.parametrize("missing", sorted(SITI))
def test_every_field_is_required(api, missing):
    body = {key: value for key, value in SITI.items() if key != missing}

    response = register(api, body)

    assert response.status_code == 400
    assert missing in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "change",
    [
        {"username": 12345},
        {"username": None},
        {"full_name": ["Siti"]},
        {"email": {"a": "b"}},
        {"mobile": 85211112222},
        {"password": 1.5},
        {"privacy_consent": "on"},
        {"privacy_consent": 1},
        {"privacy_consent": None},
        {"username": "si\x00ti"},
        {"full_name": "Siti\x00"},
        {"full_name": "S" * 100_000},
        {"password": "p" * 100_000},
        {"device_name": 10**30},
        {"device_name": "x" * 101},
    ],
)
def test_hostile_input_is_a_400(api, change):
    response = register(api, {**SITI, **change})

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert not User.objects.filter(username="siti").exists()


def test_taken_answers_are_limited_per_address_with_the_page(api, budi):
    page = Client()
    # Ten "taken" answers on the page, ten through the API, from one address
    for _ in range(10):
        page.post(
            "/daftar/",
            {**SITI, "username": "budi", "password1": PASSWORD, "password2": ""},
            REMOTE_ADDR="203.0.113.7",
        )
    for _ in range(10):
        assert register(api, {**SITI, "username": "budi"}).status_code == 400

    # Then the address is refused on both doors, the form not even checked
    response = register(api, SITI)
    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert (
        "Terlalu banyak percobaan pendaftaran dari jaringan Anda"
        in (response.json()["error"]["message"])
    )
    assert int(response["Retry-After"]) > 0
    assert page.post("/daftar/", {}, REMOTE_ADDR="203.0.113.7").status_code == 429
    assert not User.objects.filter(username="siti").exists()
    # While another address registers
    assert register(api, SITI, address="198.51.100.1").status_code == 201


def test_submissions_are_limited_per_address(api):
    for _ in range(REGISTRATION_SUBMISSIONS.count):
        register(api, {**SITI, "password": "x"})

    assert register(api, SITI).status_code == 429


def test_registering_needs_no_session_or_csrf(budi):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(budi)

    response = browser.post(REGISTER_URL, SITI, content_type="application/json")

    assert response.status_code == 201

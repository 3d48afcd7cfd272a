"""GET/PATCH /api/v1/me/: what /akun/ shows and lets a person change, with the page's rules
(AccountSettingsForm, ContactChangeForm and the services behind them)."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.core import mail
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.accounts.tests.factories import UserFactory
from sikesal.api.tests import account_support as support
from sikesal.api.tests.account_support import ME_URL, PASSWORD

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

# The account tests' fixtures (sikesal/api/tests/account_support.py).
budi = support.budi
signed_in = support.signed_in
emails_sent_at_once = support.emails_sent_at_once


def patch(client, body):
    return client.patch(ME_URL, body, format="json", REMOTE_ADDR="10.0.0.1")


def test_me_is_my_account(signed_in, budi):
    response = signed_in.get(ME_URL)

    assert response.status_code == 200
    assert response.json() == {
        "id": budi.pk,
        "username": "budi",
        "full_name": "Budi Santoso",
        "email": "budi@contoh.id",
        "email_verified": False,
        "email_verified_at": None,
        "mobile": "+6281234567890",
        "mobile_verified": False,
        "mobile_verified_at": None,
        "is_verified": False,
        "language": "id",
        "notify_by_sms": False,
        "receives_sms": False,
        "date_joined": response.json()["date_joined"],
    }


def test_me_needs_a_signed_in_person(api):
    response = api.get(ME_URL)

    assert response.status_code == 401
    assert response.json()["error"]["code"] == "not_authenticated"


def test_the_web_scripts_use_the_session(client, budi):
    client.force_login(budi)

    assert client.get(ME_URL).json()["username"] == "budi"


def test_settings_change_without_a_password(signed_in, budi):
    response = patch(signed_in, {"language": "en", "notify_by_sms": True})

    assert response.status_code == 200
    assert (response.json()["language"], response.json()["notify_by_sms"]) == ("en", True)
    budi.refresh_from_db()
    assert (budi.language, budi.notify_by_sms) == ("en", True)
    # SMS go out only to a verified number, as the page says
    assert response.json()["receives_sms"] is False


def test_one_setting_leaves_the_other(signed_in, budi):
    User.objects.filter(pk=budi.pk).update(notify_by_sms=True)

    patch(signed_in, {"language": "en"})

    budi.refresh_from_db()
    assert (budi.language, budi.notify_by_sms) == ("en", True)


def test_an_empty_patch_changes_nothing(signed_in, budi):
    response = patch(signed_in, {})

    assert response.status_code == 200
    assert response.json()["email"] == "budi@contoh.id"


def test_the_name_and_username_are_not_changed_here(signed_in, budi):
    # As on /akun/: only the settings and the contact details
    patch(signed_in, {"full_name": "Orang Lain", "username": "lain", "language": "en"})

    budi.refresh_from_db()
    assert (budi.full_name, budi.username) == ("Budi Santoso", "budi")


def test_a_new_email_needs_the_password_and_is_verified_again(signed_in, budi):
    User.objects.filter(pk=budi.pk).update(email_verified_at=timezone.now())

    response = patch(signed_in, {"email": "budi.baru@contoh.id", "current_password": PASSWORD})

    assert response.status_code == 200
    body = response.json()
    assert (body["email"], body["email_verified"]) == ("budi.baru@contoh.id", False)
    # And the link goes to the new address at once, on the site's own address
    [message] = mail.outbox
    assert message.to == ["budi.baru@contoh.id"]
    assert re.search(re.escape(settings.SIKESAL_SITE_URL) + r"/verifikasi-email/\S+/", message.body)


def test_a_new_mobile_number_is_verified_again_by_sms(signed_in, budi, sms_outbox):
    User.objects.filter(pk=budi.pk).update(mobile_verified_at=timezone.now())

    response = patch(signed_in, {"mobile": "0852 1111 2222", "current_password": PASSWORD})

    assert response.status_code == 200
    assert (response.json()["mobile"], response.json()["mobile_verified"]) == (
        "+6285211112222",
        False,
    )
    [sms] = sms_outbox
    assert sms.to == "+6285211112222"
    assert not mail.outbox


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        (
            {"email": "budi.baru@contoh.id"},
            "current_password",
            "Isi kata sandi Anda untuk menyimpan perubahan.",
        ),
        (
            {"email": "budi.baru@contoh.id", "current_password": "salah"},
            "current_password",
            "Kata sandi salah.",
        ),
        (
            {"email": "bukan-email", "current_password": PASSWORD},
            "email",
            "Tulis alamat email yang lengkap, mis. nama@contoh.id.",
        ),
        ({"mobile": "12345", "current_password": PASSWORD}, "mobile", None),
        ({"language": "fr"}, "language", None),
    ],
)
def test_the_pages_rules_refuse_with_field_errors(signed_in, budi, body, field, message):
    response = patch(signed_in, body)

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    if message:
        assert error["fields"][field] == [message]
    budi.refresh_from_db()
    assert (budi.email, budi.mobile, budi.language) == ("budi@contoh.id", "+6281234567890", "id")


def test_nothing_is_saved_when_one_part_is_refused(signed_in, budi):
    response = patch(signed_in, {"language": "en", "email": "x@contoh.id", "current_password": "x"})

    assert response.status_code == 400
    budi.refresh_from_db()
    assert budi.language == "id"


def test_an_email_another_account_holds_is_refused(signed_in, budi):
    UserFactory(username="siti", email="siti@contoh.id")

    response = patch(signed_in, {"email": "SITI@contoh.id", "current_password": PASSWORD})

    assert response.status_code == 400
    assert "email" in response.json()["error"]["fields"]


def test_a_wrong_password_counts_towards_the_lockout(signed_in, budi):
    for _ in range(4):
        response = patch(signed_in, {"email": "x@contoh.id", "current_password": "salah"})
        assert response.status_code == 400

    # The fifth locks, as five failures on the login page would
    response = patch(signed_in, {"email": "x@contoh.id", "current_password": "salah"})

    assert response.status_code == 429
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == "locked_out"
    assert int(response["Retry-After"]) > 0
    assert AccessAttempt.objects.get().failures_since_start == 5
    budi.refresh_from_db()
    assert budi.email == "budi@contoh.id"


@pytest.mark.parametrize(
    "body",
    [
        {"language": 1.5},
        {"language": None},
        {"language": ["id"]},
        {"language": "i\x00d"},
        {"notify_by_sms": "yes"},
        {"notify_by_sms": 1},
        {"notify_by_sms": None},
        {"notify_by_sms": {"a": 1}},
        {"email": 10**30, "current_password": PASSWORD},
        {"email": True, "current_password": PASSWORD},
        {"email": [], "current_password": PASSWORD},
        {"email": {}, "current_password": PASSWORD},
        {"email": "budi\x00@contoh.id", "current_password": PASSWORD},
        {"email": "a" * 100_000 + "@contoh.id", "current_password": PASSWORD},
        {"mobile": 81234567890, "current_password": PASSWORD},
        {"mobile": "0812\x003456", "current_password": PASSWORD},
        {"mobile": "0" * 1000, "current_password": PASSWORD},
        {"email": "b@contoh.id", "current_password": 12345},
        {"email": "b@contoh.id", "current_password": "\x00"},
    ],
)
def test_hostile_input_is_a_400(signed_in, budi, body):
    response = patch(signed_in, body)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    budi.refresh_from_db()
    assert (budi.email, budi.language, budi.notify_by_sms) == ("budi@contoh.id", "id", False)


def test_a_body_that_is_not_an_object_is_a_400(signed_in):
    for body in ("[1]", "null", "1.5", '"en"'):
        response = signed_in.patch(ME_URL, body, content_type="application/json")
        assert response.status_code == 400, body


def test_put_and_delete_are_not_allowed(signed_in):
    assert signed_in.put(ME_URL, {}, format="json").status_code == 405
    assert signed_in.delete(ME_URL).status_code == 405


@pytest.mark.parametrize(
    "form",
    ["current_password=", "email=", "language=", "notify_by_sms=", "notify_by_sms=on"],
)
def test_a_form_field_sent_empty_is_refused_as_in_json(signed_in, budi, form):
    response = signed_in.patch(ME_URL, form, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400


def test_a_form_without_the_checkbox_leaves_the_sms_choice(signed_in, budi):
    User.objects.filter(pk=budi.pk).update(notify_by_sms=True)

    response = signed_in.patch(
        ME_URL, "language=en", content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 200
    budi.refresh_from_db()
    assert (budi.language, budi.notify_by_sms) == ("en", True)


def test_a_change_of_letter_case_keeps_the_email_verified(signed_in, budi):
    User.objects.filter(pk=budi.pk).update(email_verified_at=timezone.now())

    response = patch(signed_in, {"email": "Budi@Contoh.id", "current_password": PASSWORD})

    assert response.status_code == 200
    assert (response.json()["email"], response.json()["email_verified"]) == (
        "Budi@contoh.id",
        True,
    )
    assert not mail.outbox

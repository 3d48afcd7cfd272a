"""Verifying email and mobile through the API: the services and limits of /akun/
(accounts/verification.py)."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.accounts.verification import CODE_RESEND_INTERVAL
from sikesal.api.tests import account_support as support
from sikesal.api.tests.account_support import ME_URL
from sikesal.core import sms

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

# The account tests' fixtures (sikesal/api/tests/account_support.py).
budi = support.budi
signed_in = support.signed_in
emails_sent_at_once = support.emails_sent_at_once

EMAIL_URL = "/api/v1/me/verify-email/"
MOBILE_URL = "/api/v1/me/verify-mobile/"
CONFIRM_URL = "/api/v1/me/verify-mobile/confirm/"


def sent_code(sms_outbox) -> str:
    return re.search(r"\b(\d{6})\b", sms_outbox[-1].text).group(1)


# --- Email ---------------------------------------------------------------------------------


def test_the_email_link_is_sent_and_verifies(signed_in, budi):
    response = signed_in.post(EMAIL_URL)

    assert response.status_code == 202
    assert response.json() == {
        "message": "Tautan verifikasi sedang dikirim ke budi@contoh.id. Periksa juga folder spam."
    }
    [message] = mail.outbox
    assert message.to == ["budi@contoh.id"]
    # The link is on the site's own address (core.links), not the API request's host
    site = re.escape(settings.SIKESAL_SITE_URL)
    link = re.search(site + r"(/verifikasi-email/\S+/)", message.body)
    assert link
    # And opening it verifies the email
    assert Client().get(link.group(1)).status_code == 200
    assert signed_in.get(ME_URL).json()["email_verified"] is True


def test_one_email_link_a_minute(signed_in, budi):
    assert signed_in.post(EMAIL_URL).status_code == 202

    response = signed_in.post(EMAIL_URL)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= 60
    assert len(mail.outbox) == 1


def test_the_api_and_the_page_share_the_email_limit(signed_in, budi, client):
    client.force_login(budi)
    client.post("/akun/verifikasi-email/kirim/")

    assert signed_in.post(EMAIL_URL).status_code == 429
    assert len(mail.outbox) == 1


def test_a_verified_email_is_not_sent_again(signed_in, budi):
    User.objects.filter(pk=budi.pk).update(email_verified_at=timezone.now())

    response = signed_in.post(EMAIL_URL)

    assert response.status_code == 409
    assert response.json()["error"] == {
        "code": "already_verified",
        "message": "Email Anda sudah terverifikasi.",
    }
    assert not mail.outbox


# --- Mobile --------------------------------------------------------------------------------


def test_the_sms_code_is_sent_and_confirmed(signed_in, budi, sms_outbox):
    response = signed_in.post(MOBILE_URL)

    assert response.status_code == 202
    assert response.json() == {
        "message": "Kode verifikasi sudah dikirim lewat SMS ke 0812-3456-7890."
    }
    assert [message.to for message in sms_outbox] == ["+6281234567890"]

    confirmed = signed_in.post(CONFIRM_URL, {"code": sent_code(sms_outbox)}, format="json")

    assert confirmed.status_code == 200
    assert confirmed.json()["mobile_verified"] is True
    assert confirmed.json()["is_verified"] is True


def test_a_code_written_with_spaces_is_accepted(signed_in, sms_outbox):
    signed_in.post(MOBILE_URL)
    code = sent_code(sms_outbox)

    response = signed_in.post(CONFIRM_URL, {"code": f"{code[:3]} {code[3:]}"}, format="json")

    assert response.status_code == 200


def test_a_wrong_code_is_a_400_and_counts(signed_in, budi, sms_outbox):
    signed_in.post(MOBILE_URL)
    wrong = "000000" if sent_code(sms_outbox) != "000000" else "111111"

    response = signed_in.post(CONFIRM_URL, {"code": wrong}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "code": ["Kode salah. Anda masih dapat mencoba 4 kali lagi."]
    }
    assert budi.mobile_verifications.get().attempts == 1


def test_five_wrong_codes_end_the_code(signed_in, budi, sms_outbox):
    signed_in.post(MOBILE_URL)
    right = sent_code(sms_outbox)
    wrong = "000000" if right != "000000" else "111111"
    for _ in range(5):
        signed_in.post(CONFIRM_URL, {"code": wrong}, format="json")

    response = signed_in.post(CONFIRM_URL, {"code": right}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["code"] == [
        "Terlalu banyak percobaan salah untuk kode ini. Minta kode baru."
    ]


def test_confirming_without_a_code_sent(signed_in):
    response = signed_in.post(CONFIRM_URL, {"code": "123456"}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["code"] == [
        "Belum ada kode yang berlaku untuk nomor ini. Minta kode baru."
    ]


@pytest.mark.parametrize(
    "body",
    [
        {},
        {"code": ""},
        {"code": "12345"},
        {"code": "abcdef"},
        {"code": 123456},
        {"code": None},
        {"code": ["123456"]},
        {"code": "12\x003456"},
        {"code": "1" * 1000},
    ],
)
def test_hostile_codes_are_a_400(signed_in, budi, sms_outbox, body):
    signed_in.post(MOBILE_URL)

    response = signed_in.post(CONFIRM_URL, body, format="json")

    assert response.status_code == 400
    assert "code" in response.json()["error"]["fields"]
    # And a malformed code is not an attempt
    assert budi.mobile_verifications.get().attempts == 0


def test_one_code_a_minute(signed_in, sms_outbox):
    assert signed_in.post(MOBILE_URL).status_code == 202

    response = signed_in.post(MOBILE_URL)

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "throttled"
    assert 0 < int(response["Retry-After"]) <= CODE_RESEND_INTERVAL.total_seconds()
    assert len(sms_outbox) == 1


def test_no_mobile_number_is_a_conflict(signed_in, budi, sms_outbox):
    User.objects.filter(pk=budi.pk).update(mobile=None)

    response = signed_in.post(MOBILE_URL)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "no_mobile"
    assert not sms_outbox


def test_a_verified_number_is_not_sent_a_code(signed_in, budi, sms_outbox):
    User.objects.filter(pk=budi.pk).update(mobile_verified_at=timezone.now())

    response = signed_in.post(MOBILE_URL)

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "already_verified"
    assert not sms_outbox


def test_a_failing_sms_gateway_is_a_503(signed_in, monkeypatch, sms_outbox):
    def refuse(*args, **kwargs):
        raise sms.SmsError("gateway down")

    monkeypatch.setattr("sikesal.accounts.verification.send_sms", refuse)

    response = signed_in.post(MOBILE_URL)

    assert response.status_code == 503
    assert response.json()["error"]["code"] == "sms_failed"
    assert response["Retry-After"] == "60"


def test_verification_needs_a_signed_in_person(api):
    for url in (EMAIL_URL, MOBILE_URL, CONFIRM_URL):
        assert api.post(url).status_code == 401

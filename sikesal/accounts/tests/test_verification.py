"""Verifying the email (signed link) and the mobile number (SMS code); the account page."""

import re
import time
from datetime import timedelta
from unittest import mock

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.utils import timezone

from sikesal.accounts.models import MobileVerification, User
from sikesal.accounts.self_service import user_contact_change
from sikesal.accounts.tests.factories import PASSWORD, UserFactory
from sikesal.accounts.verification import (
    email_verification_token,
    mobile_verification_confirm,
    mobile_verification_send,
)
from sikesal.core import sms

pytestmark = pytest.mark.django_db

ACCOUNT_URL = "/akun/"
SEND_EMAIL_URL = "/akun/verifikasi-email/kirim/"
SEND_CODE_URL = "/akun/verifikasi-ponsel/kirim/"
VERIFY_CODE_URL = "/akun/verifikasi-ponsel/"
THREE_DAYS = 3 * 24 * 60 * 60


@pytest.fixture
def signed_in(client, budi):
    """Budi, signed in."""
    client.force_login(budi)
    return client


def link_path(token: str) -> str:
    return f"/verifikasi-email/{token}/"


def token_made_seconds_ago(user: User, seconds: int) -> str:
    # Django's signer stamps tokens with time.time(); this makes one as if issued earlier.
    with mock.patch("django.core.signing.time.time", return_value=time.time() - seconds):
        return email_verification_token(user)


def last_code(outbox: list[sms.SmsMessage]) -> str:
    return re.search(r"\b(\d{6})\b", outbox[-1].text).group(1)


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def age_codes(user: User, seconds: int) -> None:
    """Move every code sent to `user` `seconds` into the past."""
    for verification in user.mobile_verifications.all():
        MobileVerification.objects.filter(pk=verification.pk).update(
            created_at=verification.created_at - timedelta(seconds=seconds)
        )


# --- Email ---------------------------------------------------------------------------------


def test_email_link_verifies_the_address_without_signing_in(client, budi):
    response = client.get(link_path(email_verification_token(budi)))

    assert response.status_code == 200
    assert "Alamat budi@contoh.id sudah terverifikasi" in response.content.decode()
    budi.refresh_from_db()
    assert budi.email_verified_at is not None
    assert budi.is_verified is True


def test_link_in_the_registration_email_verifies(client, sms_outbox):
    client.post(
        "/daftar/",
        {
            "full_name": "Siti Rahmawati",
            "username": "siti",
            "email": "siti@contoh.id",
            "mobile": "0852-1111-2222",
            "password1": "Sungai-Batanghari-77",
            "password2": "Sungai-Batanghari-77",
            "privacy_consent": "on",
        },
    )
    url = re.search(
        re.escape(settings.SIKESAL_SITE_URL) + r"(/verifikasi-email/\S+/)", mail.outbox[0].body
    ).group(1)

    response = client.get(url)

    assert response.status_code == 200
    assert User.objects.get(username="siti").email_verified_at is not None


def test_tampered_link_does_not_verify(client, budi):
    token = email_verification_token(budi)
    tampered = token[:-1] + ("A" if token[-1] != "A" else "B")

    response = client.get(link_path(tampered))

    assert response.status_code == 400
    assert "Tautan verifikasi ini tidak berlaku" in response.content.decode()
    budi.refresh_from_db()
    assert budi.email_verified_at is None


def test_link_for_another_account_cannot_be_forged(client, budi):
    other = UserFactory()
    token = email_verification_token(budi)
    _payload, stamp, signature = token.rsplit(":", 2)
    forged = f"{email_verification_token(other).rsplit(':', 2)[0]}:{stamp}:{signature}"

    response = client.get(link_path(forged))

    assert response.status_code == 400
    other.refresh_from_db()
    assert other.email_verified_at is None


def test_expired_link_does_not_verify(client, budi):
    token = token_made_seconds_ago(budi, THREE_DAYS + 60)

    response = client.get(link_path(token))

    assert response.status_code == 400
    assert (
        "Tautan verifikasi ini sudah kedaluwarsa. Minta tautan baru di halaman Akun."
        in response.content.decode()
    )
    budi.refresh_from_db()
    assert budi.email_verified_at is None


def test_link_still_works_just_before_it_expires(client, budi):
    token = token_made_seconds_ago(budi, THREE_DAYS - 60)

    response = client.get(link_path(token))

    assert response.status_code == 200
    budi.refresh_from_db()
    assert budi.email_verified_at is not None


def test_link_stops_working_once_the_email_changes(client, budi):
    token = email_verification_token(budi)
    budi.email = "budi.baru@contoh.id"
    budi.save()

    response = client.get(link_path(token))

    assert response.status_code == 400
    budi.refresh_from_db()
    assert budi.email_verified_at is None


def test_link_used_twice_keeps_the_first_time(client, budi):
    token = email_verification_token(budi)
    client.get(link_path(token))
    budi.refresh_from_db()
    first = budi.email_verified_at

    response = client.get(link_path(token))

    assert response.status_code == 200
    budi.refresh_from_db()
    assert budi.email_verified_at == first


def test_link_of_a_deactivated_account_does_not_verify(client, budi):
    token = email_verification_token(budi)
    User.objects.filter(pk=budi.pk).update(is_active=False)

    response = client.get(link_path(token))

    assert response.status_code == 400


def test_resending_the_link_is_throttled(signed_in, budi):
    # Given a link was just sent
    response = signed_in.post(SEND_EMAIL_URL, follow=True)
    assert page_messages(response) == [
        "Tautan verifikasi sedang dikirim ke budi@contoh.id. Periksa juga folder spam."
    ]
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["budi@contoh.id"]

    # When the person asks again at once, nothing is sent
    response = signed_in.post(SEND_EMAIL_URL, follow=True)
    [message] = page_messages(response)
    assert re.fullmatch(r"Tunggu \d+ detik sebelum meminta lagi\.", message)
    assert len(mail.outbox) == 1

    # Then a minute later it goes out again
    User.objects.filter(pk=budi.pk).update(
        email_verification_sent_at=timezone.now() - timedelta(seconds=61)
    )
    signed_in.post(SEND_EMAIL_URL)
    assert len(mail.outbox) == 2


def test_no_link_is_sent_for_a_verified_email(signed_in, budi):
    User.objects.filter(pk=budi.pk).update(email_verified_at=timezone.now())

    response = signed_in.post(SEND_EMAIL_URL, follow=True)

    assert page_messages(response) == ["Email Anda sudah terverifikasi."]
    assert mail.outbox == []


# --- Mobile --------------------------------------------------------------------------------


def test_code_by_sms_verifies_the_mobile_number(signed_in, budi, sms_outbox):
    # Given a code was sent
    response = signed_in.post(SEND_CODE_URL, follow=True)
    assert page_messages(response) == ["Kode verifikasi sudah dikirim lewat SMS ke 0812-3456-7890."]
    assert [message.to for message in sms_outbox] == ["+6281234567890"]
    code = last_code(sms_outbox)
    # Only a hash of it is stored
    verification = MobileVerification.objects.get()
    assert code not in verification.code_hash
    assert verification.mobile == "+6281234567890"

    # When the person types it, with a space for good measure
    response = signed_in.post(VERIFY_CODE_URL, {"code": f"{code[:3]} {code[3:]}"}, follow=True)

    # Then the number is verified and the code used up
    assert page_messages(response) == ["Nomor ponsel Anda sudah terverifikasi."]
    budi.refresh_from_db()
    assert budi.mobile_verified_at is not None
    assert budi.is_verified is True
    verification.refresh_from_db()
    assert verification.used_at == budi.mobile_verified_at


def test_wrong_code_is_refused_and_counted(signed_in, budi, sms_outbox):
    signed_in.post(SEND_CODE_URL)
    wrong = "000000" if last_code(sms_outbox) != "000000" else "111111"

    response = signed_in.post(VERIFY_CODE_URL, {"code": wrong})

    assert response.status_code == 200
    assert response.context["code_form"].errors == {
        "code": ["Kode salah. Anda masih dapat mencoba 4 kali lagi."]
    }
    assert 'aria-describedby="id_code_helptext id_code_error"' in response.content.decode()
    assert MobileVerification.objects.get().attempts == 1
    budi.refresh_from_db()
    assert budi.mobile_verified_at is None


def test_code_must_be_six_digits(signed_in, budi, sms_outbox):
    signed_in.post(SEND_CODE_URL)

    response = signed_in.post(VERIFY_CODE_URL, {"code": "12a45"})

    assert response.context["code_form"].errors == {"code": ["Kode terdiri dari 6 angka."]}
    # A typing slip is not a guess.
    assert MobileVerification.objects.get().attempts == 0


def test_expired_code_is_refused(signed_in, budi, sms_outbox):
    signed_in.post(SEND_CODE_URL)
    MobileVerification.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    response = signed_in.post(VERIFY_CODE_URL, {"code": last_code(sms_outbox)})

    assert response.context["code_form"].errors == {
        "code": ["Kode ini sudah kedaluwarsa. Minta kode baru."]
    }
    budi.refresh_from_db()
    assert budi.mobile_verified_at is None


def test_code_lives_ten_minutes(budi, sms_outbox):
    verification = mobile_verification_send(user=budi)

    assert verification.expires_at - verification.created_at == pytest.approx(
        timedelta(minutes=10), abs=timedelta(seconds=1)
    )


def test_sixth_attempt_is_refused_even_with_the_right_code(signed_in, budi, sms_outbox):
    signed_in.post(SEND_CODE_URL)
    code = last_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    errors = [
        signed_in.post(VERIFY_CODE_URL, {"code": wrong}).context["code_form"].errors["code"]
        for _ in range(5)
    ]

    response = signed_in.post(VERIFY_CODE_URL, {"code": code})

    assert errors == [
        ["Kode salah. Anda masih dapat mencoba 4 kali lagi."],
        ["Kode salah. Anda masih dapat mencoba 3 kali lagi."],
        ["Kode salah. Anda masih dapat mencoba 2 kali lagi."],
        ["Kode salah. Anda masih dapat mencoba 1 kali lagi."],
        ["Kode salah. Percobaan untuk kode ini sudah habis; minta kode baru."],
    ]
    assert response.context["code_form"].errors == {
        "code": ["Terlalu banyak percobaan salah untuk kode ini. Minta kode baru."]
    }
    assert MobileVerification.objects.get().attempts == 5
    budi.refresh_from_db()
    assert budi.mobile_verified_at is None


def test_resend_within_a_minute_is_refused(signed_in, budi, sms_outbox):
    signed_in.post(SEND_CODE_URL, follow=True)

    response = signed_in.post(SEND_CODE_URL, follow=True)

    [message] = page_messages(response)
    assert re.fullmatch(r"Tunggu \d+ detik sebelum meminta lagi\.", message)
    assert len(sms_outbox) == 1
    assert MobileVerification.objects.count() == 1


def test_resend_says_how_long_to_wait(budi, sms_outbox):
    mobile_verification_send(user=budi)
    age_codes(budi, 30)

    with pytest.raises(ValidationError) as raised:
        mobile_verification_send(user=budi)

    assert raised.value.code == "throttled"
    assert raised.value.messages == ["Tunggu 30 detik sebelum meminta lagi."]
    assert len(sms_outbox) == 1


def test_at_most_five_codes_an_hour(budi, sms_outbox):
    # Given five codes sent over the last 50 minutes
    for _ in range(5):
        mobile_verification_send(user=budi)
        age_codes(budi, 10 * 60)

    # When a sixth is asked for
    with pytest.raises(ValidationError) as raised:
        mobile_verification_send(user=budi)

    # Then it is refused until the oldest is an hour old
    assert raised.value.code == "throttled"
    assert raised.value.messages == ["Terlalu sering meminta. Coba lagi 10 menit lagi."]
    assert len(sms_outbox) == 5


def test_a_new_code_retires_the_old_one(budi, sms_outbox):
    mobile_verification_send(user=budi)
    old_code = last_code(sms_outbox)
    age_codes(budi, 61)
    mobile_verification_send(user=budi)
    new_code = last_code(sms_outbox)
    if old_code == new_code:  # one chance in a million
        pytest.skip("both codes happen to be the same")

    with pytest.raises(ValidationError) as raised:
        mobile_verification_confirm(user=budi, code=old_code)
    mobile_verification_confirm(user=budi, code=new_code)

    assert raised.value.code == "wrong_code"
    assert budi.mobile_verified_at is not None


def test_code_sent_to_the_old_number_does_not_verify_the_new_one(budi, sms_outbox):
    mobile_verification_send(user=budi)
    code = last_code(sms_outbox)
    user_contact_change(user=budi, email=budi.email, mobile="0813-9999-8888")

    with pytest.raises(ValidationError) as raised:
        mobile_verification_confirm(user=budi, code=code)

    assert raised.value.code == "no_code"
    assert budi.mobile_verified_at is None


def test_no_code_for_an_account_without_a_mobile_number(sms_outbox):
    user = UserFactory(mobile=None)

    with pytest.raises(ValidationError) as raised:
        mobile_verification_send(user=user)

    assert raised.value.code == "no_mobile"
    assert sms_outbox == []


def test_failed_sms_still_counts_towards_the_throttle(signed_in, budi, settings):
    settings.SMS_BACKEND = "sikesal.core.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = ""

    response = signed_in.post(SEND_CODE_URL, follow=True)

    assert page_messages(response) == [
        "SMS kode verifikasi belum dapat dikirim. Coba kirim ulang sebentar lagi dari halaman ini."
    ]
    assert MobileVerification.objects.count() == 1


# --- Account page --------------------------------------------------------------------------


def test_account_page_needs_sign_in(client):
    response = client.get(ACCOUNT_URL)

    assert response.status_code == 302
    assert response["Location"] == "/masuk/?next=/akun/"


@pytest.mark.parametrize("url", [SEND_EMAIL_URL, SEND_CODE_URL, VERIFY_CODE_URL])
def test_verification_actions_need_sign_in(client, url):
    response = client.post(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/?next=")


def test_account_page_shows_what_is_not_verified_yet(signed_in):
    response = signed_in.get(ACCOUNT_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count('<p class="status status--pending">Belum terverifikasi.</p>') == 2
    assert "Kirim ulang tautan verifikasi" in html
    assert "Kirim kode lewat SMS" in html
    assert 'action="/akun/verifikasi-ponsel/"' not in html  # no code sent yet


def test_account_page_offers_the_code_form_once_a_code_is_sent(signed_in, sms_outbox):
    signed_in.post(SEND_CODE_URL)

    html = signed_in.get(ACCOUNT_URL).content.decode()

    assert 'action="/akun/verifikasi-ponsel/"' in html
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert "Kirim kode baru" in html


def test_account_page_shows_verified_times(signed_in, budi):
    User.objects.filter(pk=budi.pk).update(
        email_verified_at=timezone.now(), mobile_verified_at=timezone.now()
    )

    html = signed_in.get(ACCOUNT_URL).content.decode()

    assert html.count('<p class="status status--ok">Terverifikasi pada ') == 2
    assert "Kirim ulang tautan verifikasi" not in html
    assert "Kirim kode" not in html


def test_settings_save_language_and_sms_wish(signed_in, budi, settings):
    response = signed_in.post("/akun/pengaturan/", {"language": "en", "notify_by_sms": "on"})

    assert response.status_code == 302
    assert response["Location"] == ACCOUNT_URL
    budi.refresh_from_db()
    assert budi.language == "en"
    assert budi.notify_by_sms is True
    # The site switches language at once.
    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    # SMS wait for a verified number.
    assert budi.receives_sms is False
    budi.mobile_verified_at = timezone.now()
    assert budi.receives_sms is True


def test_account_page_says_sms_wait_for_verification(signed_in, budi):
    User.objects.filter(pk=budi.pk).update(notify_by_sms=True)

    html = signed_in.get(ACCOUNT_URL).content.decode()

    assert "SMS hanya dikirim ke nomor ponsel yang sudah terverifikasi." in html
    assert "Pemberitahuan lewat SMS belum aktif: nomor ponsel Anda belum terverifikasi." in html


def test_unknown_language_is_refused(signed_in, budi):
    response = signed_in.post("/akun/pengaturan/", {"language": "xx"})

    assert response.status_code == 200
    assert list(response.context["settings_form"].errors) == ["language"]
    budi.refresh_from_db()
    assert budi.language == "id"


def test_changing_email_and_mobile_resets_their_verification(signed_in, budi, sms_outbox):
    User.objects.filter(pk=budi.pk).update(
        email_verified_at=timezone.now(), mobile_verified_at=timezone.now()
    )

    response = signed_in.post(
        "/akun/kontak/",
        {"email": "budi.baru@contoh.id", "mobile": "0813-9999-8888", "current_password": PASSWORD},
    )

    assert response.status_code == 302
    budi.refresh_from_db()
    assert budi.email == "budi.baru@contoh.id"
    assert budi.mobile == "+6281399998888"
    assert budi.email_verified_at is None
    assert budi.mobile_verified_at is None
    assert [message.to for message in mail.outbox] == [["budi.baru@contoh.id"]]
    assert [message.to for message in sms_outbox] == ["+6281399998888"]


def test_changing_only_the_mobile_keeps_the_email_verified(signed_in, budi, sms_outbox):
    User.objects.filter(pk=budi.pk).update(email_verified_at=timezone.now())

    signed_in.post(
        "/akun/kontak/",
        {"email": "budi@contoh.id", "mobile": "0813-9999-8888", "current_password": PASSWORD},
    )

    budi.refresh_from_db()
    assert budi.email_verified_at is not None
    assert budi.mobile == "+6281399998888"
    assert mail.outbox == []
    assert len(sms_outbox) == 1


def test_contact_change_needs_the_current_password(signed_in, budi, sms_outbox):
    response = signed_in.post(
        "/akun/kontak/",
        {"email": "budi.baru@contoh.id", "mobile": "0813-9999-8888", "current_password": "salah"},
    )

    assert response.status_code == 200
    assert response.context["contact_form"].errors == {"current_password": ["Kata sandi salah."]}
    budi.refresh_from_db()
    assert budi.email == "budi@contoh.id"
    assert budi.mobile == "+6281234567890"
    assert mail.outbox == []
    assert sms_outbox == []


def test_contact_change_refuses_another_account_s_email(signed_in, budi):
    UserFactory(email="ani@contoh.id")

    response = signed_in.post(
        "/akun/kontak/",
        {"email": "ANI@contoh.id", "mobile": "0812-3456-7890", "current_password": PASSWORD},
    )

    assert response.context["contact_form"].errors == {"email": ["Email ini sudah terdaftar."]}
    budi.refresh_from_db()
    assert budi.email == "budi@contoh.id"


# --- The notice for the complaint form -----------------------------------------------------


def test_verification_notice_speaks_to_unverified_people(budi):
    html = render_to_string("accounts/partials/verification_notice.html", {"user": budi})

    assert (
        "Anda dapat menyusun pengaduan sekarang, tetapi pengaduan baru dikirim setelah email "
        "atau nomor ponsel Anda terverifikasi." in html
    )
    assert '<a href="/akun/">Verifikasi di halaman Akun</a>' in html


def test_verification_notice_is_silent_once_verified(budi):
    budi.mobile_verified_at = timezone.now()

    html = render_to_string("accounts/partials/verification_notice.html", {"user": budi})

    assert html.strip() == ""

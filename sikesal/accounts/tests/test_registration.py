"""Registering as a citizen at /daftar/ (Perwal 40/2017 Pasal 7.1, UU 27/2022 consent)."""

import re
import socket

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.accounts.self_service import citizen_register
from sikesal.notifications.delivery import deliver_due
from sikesal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

REGISTER_URL = "/daftar/"
PASSWORD = "Sungai-Batanghari-77"
FORM = {
    "full_name": "Siti Rahmawati",
    "username": "siti",
    "email": "siti@contoh.id",
    "mobile": "0852-1111-2222",
    "password1": PASSWORD,
    "password2": PASSWORD,
    "privacy_consent": "on",
}


def register(client, **changes):
    data = {**FORM, **changes}
    return client.post(REGISTER_URL, {k: v for k, v in data.items() if v is not None})


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_register_url_is_daftar():
    assert reverse("accounts:register") == REGISTER_URL


def test_registration_page_is_open_to_anonymous_visitors(client):
    response = client.get(REGISTER_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Daftar sebagai pelapor</h1>" in html
    assert '<label for="id_full_name">Nama lengkap</label>' in html
    assert '<label for="id_mobile">Nomor ponsel</label>' in html
    assert 'autocomplete="name"' in html
    assert 'autocomplete="username"' in html
    assert 'type="email" name="email" autocomplete="email"' in html
    assert 'type="tel" name="mobile"' in html
    assert 'inputmode="tel"' in html
    assert html.count('autocomplete="new-password"') == 2
    # The help text is linked to its field for screen readers.
    assert 'aria-describedby="id_mobile_helptext"' in html
    assert 'role="alert"' not in html


def test_registration_page_shows_the_privacy_notice_and_a_consent_box(client):
    html = client.get(REGISTER_URL).content.decode()

    assert "Pemberitahuan privasi" in html
    assert "Undang-Undang Nomor 27 Tahun 2022" in html
    assert (
        "Sekretariat Pengaduan di Dinas Komunikasi dan Informatika (Diskominfo) Kota Jambi "
        "melihat identitas Anda"
    ) in html
    assert "kecuali Anda mengirim pengaduan sebagai anonim" in html
    assert "Masyarakat umum tidak pernah melihat identitas Anda." in html
    assert 'type="checkbox" name="privacy_consent"' in html


def test_login_page_links_to_registration_and_password_reset(client):
    html = client.get("/masuk/").content.decode()

    assert '<a href="/daftar/">Daftar sebagai pelapor</a>' in html
    assert '<a href="/lupa-sandi/">Lupa kata sandi?</a>' in html


def test_registration_creates_the_account_logs_in_and_sends_both_verifications(client, sms_outbox):
    before = timezone.now()

    response = register(client)

    # Then the account exists with the mobile number in E.164 and the consent time
    assert response.status_code == 302
    assert response["Location"] == "/akun/"
    user = User.objects.get(username="siti")
    assert user.full_name == "Siti Rahmawati"
    assert user.email == "siti@contoh.id"
    assert user.mobile == "+6285211112222"
    assert user.check_password(PASSWORD)
    assert before <= user.privacy_consented_at <= timezone.now()
    assert user.is_verified is False
    assert user.roles == {"citizen"}
    # And the person is signed in
    assert client.session["_auth_user_id"] == str(user.pk)
    # And the verification link went by email, the code by SMS
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["siti@contoh.id"]
    assert mail.outbox[0].subject == "Verifikasi email Anda di SIKESAL Kota Jambi"
    assert re.search(
        re.escape(settings.SIKESAL_SITE_URL) + r"/verifikasi-email/\S+/", mail.outbox[0].body
    )
    assert len(sms_outbox) == 1
    assert sms_outbox[0].to == "+6285211112222"
    assert re.fullmatch(
        r"Kode verifikasi SIKESAL Kota Jambi: \d{6}\. Berlaku 10 menit\. "
        r"Jangan berikan kode ini kepada siapa pun\.",
        sms_outbox[0].text,
    )
    # And the account page says what happened
    page = client.get("/akun/").content.decode()
    assert "Akun Anda sudah dibuat dan Anda sudah masuk." in page
    assert "Tautan verifikasi sedang dikirim ke siti@contoh.id." in page
    assert "Kode verifikasi sudah dikirim lewat SMS ke 0852-1111-2222." in page


def test_registration_returns_to_the_page_that_sent_the_person(client, sms_outbox):
    response = client.post(f"{REGISTER_URL}?next=/opd/", FORM)

    assert response.status_code == 302
    assert response["Location"] == "/opd/"


def test_registration_does_not_redirect_to_another_site(client, sms_outbox):
    response = register(client, next="https://penipu.example/")

    assert response.status_code == 302
    assert response["Location"] == "/akun/"


def test_signed_in_person_is_sent_to_the_account_page(client, budi):
    client.force_login(budi)

    response = client.get(REGISTER_URL)

    assert response.status_code == 302
    assert response["Location"] == "/akun/"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("full_name", "Isi nama lengkap Anda."),
        ("username", "Isi nama pengguna yang Anda inginkan."),
        ("email", "Isi alamat email Anda."),
        ("mobile", "Isi nomor ponsel Anda."),
        ("password1", "Isi kata sandi."),
        ("password2", "Ketik kata sandi yang sama sekali lagi."),
        ("privacy_consent", "Setujui pemberitahuan privasi untuk mendaftar."),
    ],
)
def test_every_field_is_required(client, sms_outbox, field, message):
    response = register(client, **{field: None})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    html = response.content.decode()
    assert 'class="error-summary" role="alert"' in html
    assert f'<ul class="field-error" id="id_{field}_error">' in html
    assert re.search(rf'aria-describedby="[^"]*\bid_{field}_error"', html)
    assert not User.objects.exists()
    assert mail.outbox == []
    assert sms_outbox == []


def test_blank_answers_count_as_missing(client):
    response = register(client, full_name="   ", username="")

    assert response.context["form"].errors == {
        "full_name": ["Isi nama lengkap Anda."],
        "username": ["Isi nama pengguna yang Anda inginkan."],
    }


def test_a_landline_is_refused_and_everything_else_typed_is_kept(client):
    response = register(client, mobile="021-555-1234")

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "mobile": [
            "Nomor ini bukan nomor ponsel (mungkin telepon rumah/kantor). Masukkan nomor "
            "ponsel yang dapat menerima SMS, seperti 0812-3456-7890."
        ]
    }
    html = response.content.decode()
    assert 'value="Siti Rahmawati"' in html
    assert 'value="siti"' in html
    assert 'value="siti@contoh.id"' in html
    assert 'value="021-555-1234"' in html
    assert (
        '<input type="checkbox" name="privacy_consent" required id="id_privacy_consent" checked>'
        in html
    )
    # Passwords are never sent back to the browser.
    assert PASSWORD not in html
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("username", "BUDI", "Nama pengguna ini sudah dipakai."),
        ("email", "Budi@Contoh.ID", "Email ini sudah terdaftar."),
        ("mobile", "+62 812 3456 7890", "Nomor ponsel ini sudah terdaftar."),
    ],
)
def test_identities_already_registered_are_refused_regardless_of_case(
    client, budi, sms_outbox, field, value, message
):
    response = register(client, **{field: value})

    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert User.objects.count() == 1
    assert mail.outbox == []
    assert sms_outbox == []


def test_all_taken_identities_are_reported_at_once(client, budi):
    response = register(client, username="budi", email="budi@contoh.id", mobile="081234567890")

    assert response.context["form"].errors == {
        "username": ["Nama pengguna ini sudah dipakai."],
        "email": ["Email ini sudah terdaftar."],
        "mobile": ["Nomor ponsel ini sudah terdaftar."],
    }


def test_passwords_must_match(client):
    response = register(client, password2="Sungai-Batanghari-78")

    assert response.context["form"].errors == {
        "password2": ["Kedua kata sandi tidak sama. Ketik ulang keduanya."]
    }
    assert not User.objects.exists()


@pytest.mark.parametrize(
    ("password", "messages"),
    [
        (
            "12345678",
            ["Kata sandi ini terlalu umum.", "Kata sandi ini seluruhnya terdiri dari angka."],
        ),
        ("sitirahma", ["Kata sandi terlalu mirip dengan nama pengguna."]),
    ],
)
def test_django_password_validators_apply(client, password, messages):
    response = register(client, username="sitirahma", password1=password, password2=password)

    assert response.context["form"].errors == {"password1": messages}
    assert not User.objects.exists()


def test_invalid_username_is_refused(client):
    response = register(client, username="siti rahma")

    assert list(response.context["form"].errors) == ["username"]
    assert not User.objects.exists()


def test_registration_survives_a_mail_server_and_sms_gateway_that_are_down(client, settings):
    # Given neither the mail server nor the SMS gateway answers
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = closed_port()
    settings.SMS_BACKEND = "sikesal.core.sms.HttpGatewayBackend"
    settings.SMS_GATEWAY_URL = f"http://127.0.0.1:{closed_port()}/sms"

    response = register(client)

    # Then the account is still created; the email waits in the outbox for the next
    # attempt, and the person is told to ask for the SMS again from /akun/
    assert response.status_code == 302
    user = User.objects.get(username="siti")
    assert client.session["_auth_user_id"] == str(user.pk)
    page = client.get("/akun/").content.decode()
    assert "Tautan verifikasi sedang dikirim ke siti@contoh.id." in page
    assert "SMS kode verifikasi belum dapat dikirim." in page
    waiting = OutboxMessage.objects.get()
    assert (waiting.to, waiting.status, waiting.attempts) == ("siti@contoh.id", "pending", 1)
    assert waiting.subject == "Verifikasi email Anda di SIKESAL Kota Jambi"
    assert mail.outbox == []

    # When the mail server is back and the retry is due, the worker sends the link
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    deliver_due()
    assert [message.to for message in mail.outbox] == [["siti@contoh.id"]]
    assert "/verifikasi-email/" in mail.outbox[0].body


def test_citizen_register_refuses_without_consent():
    with pytest.raises(ValidationError) as raised:
        citizen_register(
            username="siti",
            password=PASSWORD,
            full_name="Siti Rahmawati",
            email="siti@contoh.id",
            mobile="0852-1111-2222",
            privacy_consent=False,
        )

    assert raised.value.message_dict == {
        "privacy_consent": ["Setujui pemberitahuan privasi untuk mendaftar."]
    }
    assert not User.objects.exists()


def test_citizen_register_reports_user_create_errors_per_field(budi):
    with pytest.raises(ValidationError) as raised:
        citizen_register(
            username="Budi",
            password=PASSWORD,
            full_name="Budi Lain",
            email="lain@contoh.id",
            mobile="021-555-1234",
            privacy_consent=True,
        )

    assert set(raised.value.message_dict) == {"username", "mobile"}
    assert User.objects.count() == 1


# --- Names and look-alike usernames ---------------------------------------------------------


@pytest.mark.parametrize(
    "full_name",
    ["\u200b\u200b\u200b", "\u202e\u2066\u200d", "\u200b \u00a0 \u200c"],
    ids=["zero-width spaces", "direction overrides and a joiner", "invisible and spaces"],
)
def test_a_name_of_invisible_characters_is_missing(client, full_name):
    response = register(client, full_name=full_name)

    assert response.context["form"].errors == {"full_name": ["Isi nama lengkap Anda."]}
    assert not User.objects.exists()


def test_a_name_without_letters_is_refused(client):
    response = register(client, full_name="12345 --")

    assert response.context["form"].errors == {"full_name": ["Tulis nama dengan huruf."]}
    assert not User.objects.exists()


def test_a_name_is_normalised_and_loses_its_invisible_characters(client, sms_outbox):
    # Given a name with a right-to-left override, a zero-width space, full-width letters
    # and doubled spaces
    response = register(client, full_name="  Siti\u202e  Rah\u200bma\u200bwati \uff21  ")

    # Then the account keeps the name as it is seen, and nothing else
    assert response.status_code == 302
    assert User.objects.get().full_name == "Siti Rahmawati A"


def test_a_name_in_another_script_keeps_its_joiners(client, sms_outbox):
    # Persian "Mehrdad" with a zero-width non-joiner, which changes how the letters join
    name = "\u0645\u0647\u200c\u0631\u062f\u0627\u062f"

    response = register(client, full_name=name)

    assert response.status_code == 302
    assert User.objects.get().full_name == name


@pytest.mark.parametrize(
    "username",
    ["w\u0430rga", "\u0455iti", "bud\u00ed", "\u0628\u0648\u062f\u064a"],
    ids=["Cyrillic a", "Cyrillic dze", "accented i", "Arabic"],
)
def test_a_username_outside_plain_latin_letters_is_refused(client, username):
    response = register(client, username=username)

    assert response.context["form"].errors == {
        "username": [
            "Nama pengguna hanya boleh berisi huruf a-z tanpa aksen, angka dan @/./+/-/_, "
            "tanpa spasi."
        ]
    }
    assert not User.objects.exists()


def test_a_look_alike_of_an_existing_username_cannot_be_registered(client, budi):
    # Given "budi" exists; a stranger tries "budi" with a Ukrainian i (U+0456)
    response = register(client, username="bud\u0456")

    assert list(response.context["form"].errors) == ["username"]
    assert User.objects.filter(full_name="Siti Rahmawati").count() == 0


def test_a_full_width_username_becomes_plain_letters(client, sms_outbox):
    response = register(client, username="\uff53\uff49\uff54\uff49")

    assert response.status_code == 302
    assert User.objects.get().username == "siti"

"""Registration and the SMS code are limited per client address: the form tells whether a
username, email or number is registered, and every SMS costs the city money."""

import pytest
from freezegun import freeze_time

from sikesal.accounts.models import MobileVerification, User
from sikesal.accounts.tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("sms_outbox")]

REGISTER_URL = "/daftar/"
SEND_CODE_URL = "/akun/verifikasi-ponsel/kirim/"
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
REGISTRATION_REFUSED = (
    "Terlalu banyak percobaan pendaftaran dari jaringan Anda. Coba lagi {} menit lagi."
)


def page_messages(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def ask_whether_taken(client, username: str, address: str = "203.0.113.7"):
    return client.post(
        REGISTER_URL, {**FORM, "username": username, "password2": ""}, REMOTE_ADDR=address
    )


def test_twenty_taken_answers_an_hour_then_429(client, budi):
    # Given one address was told 20 times that a username is taken
    for _ in range(20):
        answer = ask_whether_taken(client, "budi")
        assert answer.context["form"].errors["username"] == ["Nama pengguna ini sudah dipakai."]

    # When it asks once more
    response = ask_whether_taken(client, "budi")

    # Then it learns nothing: a 429 without the form checked, with how long to wait
    assert response.status_code == 429
    [message] = page_messages(response)
    wait_minutes = message.split("Coba lagi ")[1].split(" ")[0]
    assert message == REGISTRATION_REFUSED.format(wait_minutes)
    assert 1 <= int(wait_minutes) <= 60
    assert 1 <= int(response["Retry-After"]) <= 3600
    assert not response.context["form"].is_bound
    assert "Nama pengguna ini sudah dipakai." not in response.content.decode()
    # What was typed is kept, except the passwords
    assert 'value="budi"' in response.content.decode()
    assert PASSWORD not in response.content.decode()


def test_the_limit_is_per_address(client, budi):
    for _ in range(20):
        ask_whether_taken(client, "budi", address="203.0.113.7")

    elsewhere = ask_whether_taken(client, "budi", address="198.51.100.9")

    assert elsewhere.status_code == 200
    assert elsewhere.context["form"].errors["username"] == ["Nama pengguna ini sudah dipakai."]


def test_a_refused_address_cannot_register_either(client, budi):
    for _ in range(20):
        ask_whether_taken(client, "budi")

    response = client.post(REGISTER_URL, FORM, REMOTE_ADDR="203.0.113.7")

    assert response.status_code == 429
    assert not User.objects.filter(username="siti").exists()


def test_answers_that_reveal_nothing_do_not_count_as_taken(client, budi):
    # Mistakes that say nothing about other accounts (here: mismatched passwords)
    for _ in range(25):
        response = ask_whether_taken(client, "siti")
        assert response.status_code == 200

    assert response.context["form"].errors == {
        "password2": ["Ketik kata sandi yang sama sekali lagi."]
    }


def test_sixty_submissions_an_hour_from_one_address(client):
    for _ in range(60):
        assert ask_whether_taken(client, "siti").status_code == 200

    assert ask_whether_taken(client, "siti").status_code == 429


def test_behind_the_trusted_proxy_the_forwarded_address_counts(client, budi, settings):
    # Given one nginx in front, which appends the address it saw
    settings.SIKESAL_TRUSTED_PROXY_COUNT = 1
    for _ in range(20):
        client.post(
            REGISTER_URL,
            {**FORM, "username": "budi"},
            REMOTE_ADDR="127.0.0.1",
            HTTP_X_FORWARDED_FOR="203.0.113.7",
        )

    # Then that client is refused, while another behind the same nginx is not
    same = client.post(
        REGISTER_URL, FORM, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7"
    )
    other = client.post(
        REGISTER_URL,
        {**FORM, "username": "budi"},
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="198.51.100.9",
    )
    assert same.status_code == 429
    assert other.status_code == 200


# At the start of a window: the limit counts in fixed hourly windows, and near a window's
# end the wait is told in seconds (or the window ends between the sends).
@freeze_time("2026-12-05 03:00:05")
def test_ten_sms_codes_an_hour_from_one_address(client, sms_outbox):
    # Given ten accounts asked for a code from one address
    accounts = [UserFactory(mobile=f"0812-3456-{n:04d}") for n in range(11)]
    for account in accounts[:10]:
        client.force_login(account)
        assert client.post(SEND_CODE_URL, REMOTE_ADDR="203.0.113.7").status_code == 302
    assert len(sms_outbox) == 10

    # When an eleventh asks from there
    client.force_login(accounts[10])
    response = client.post(SEND_CODE_URL, REMOTE_ADDR="203.0.113.7")

    # Then no SMS goes out, and the page says so with a 429
    assert response.status_code == 429
    # (after the ten "sent" messages not yet shown, as no page was opened in between)
    message = page_messages(response)[-1]
    assert message.startswith("Terlalu sering meminta. Coba lagi ")
    assert len(sms_outbox) == 10
    assert not MobileVerification.objects.filter(user=accounts[10]).exists()

    # While from another address it goes out
    response = client.post(SEND_CODE_URL, REMOTE_ADDR="198.51.100.9")
    assert response.status_code == 302
    assert [message.to for message in sms_outbox][-1] == "+6281234560010"

"""Resetting a forgotten password by email: /lupa-sandi/ → the emailed link → /atur-sandi/."""

import re
import socket

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sikesal.accounts.tests.factories import PASSWORD
from sikesal.notifications.delivery import deliver_due
from sikesal.notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Jembatan-Gentala-Arasy-2026"


def request_reset(client, email: str = "budi@contoh.id"):
    return client.post("/lupa-sandi/", {"email": email})


def emailed_link() -> str:
    return re.search(
        r"http://testserver(/atur-sandi/[^/\s]+/[^/\s]+/)", mail.outbox[-1].body
    ).group(1)


def log_in(client, password: str):
    return client.post("/masuk/", {"username": "budi", "password": password})


def test_password_reset_urls():
    assert reverse("accounts:password_reset") == "/lupa-sandi/"
    assert reverse("accounts:password_reset_done") == "/lupa-sandi/terkirim/"
    assert reverse("accounts:password_reset_complete") == "/atur-sandi/selesai/"
    assert (
        reverse("accounts:password_reset_confirm", args=["MQ", "token"]) == "/atur-sandi/MQ/token/"
    )


def test_reset_page_is_open_to_anonymous_visitors_in_indonesian(client):
    response = client.get("/lupa-sandi/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Lupa kata sandi</h1>" in html
    assert '<label for="id_email">Email akun Anda</label>' in html
    assert 'autocomplete="email"' in html


def test_reset_sends_an_email_with_a_link(client, budi):
    response = request_reset(client, "BUDI@contoh.id")

    assert response.status_code == 302
    assert response["Location"] == "/lupa-sandi/terkirim/"
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["budi@contoh.id"]
    assert message.subject == "Atur ulang kata sandi SIKESAL Kota Jambi"
    assert message.body.startswith("Halo Budi,\n")
    assert "Nama pengguna Anda: budi" in message.body
    assert re.search(r"http://testserver/atur-sandi/[^/\s]+/[^/\s]+/", message.body)
    done = client.get(response["Location"]).content.decode()
    assert "<h1>Periksa email Anda</h1>" in done


def test_the_reset_email_waits_in_the_outbox_while_the_mail_server_is_down(client, budi, settings):
    # Given the mail server does not answer
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        settings.EMAIL_PORT = probe.getsockname()[1]

    # When Budi asks for a reset
    response = request_reset(client)

    # Then the email is kept for the next attempt, not lost
    assert response["Location"] == "/lupa-sandi/terkirim/"
    waiting = OutboxMessage.objects.get()
    assert (waiting.to, waiting.status, waiting.attempts) == ("budi@contoh.id", "pending", 1)
    assert waiting.subject == "Atur ulang kata sandi SIKESAL Kota Jambi"
    assert waiting.notification is None
    assert mail.outbox == []

    # And once the server is back, the retry delivers a link that works
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutboxMessage.objects.update(next_attempt_at=timezone.now())
    deliver_due()
    assert [message.to for message in mail.outbox] == [["budi@contoh.id"]]
    assert client.get(emailed_link()).status_code == 302


def test_unknown_email_gets_the_same_answer_and_no_email(client, budi):
    response = request_reset(client, "orang-lain@contoh.id")

    # The answer does not tell whether an account uses that address.
    assert response.status_code == 302
    assert response["Location"] == "/lupa-sandi/terkirim/"
    assert mail.outbox == []


def test_missing_email_is_reported(client):
    response = client.post("/lupa-sandi/", {"email": ""})

    assert response.status_code == 200
    assert response.context["form"].errors == {"email": ["Isi alamat email akun Anda."]}


def test_the_link_sets_a_new_password(client, budi):
    request_reset(client)

    # The link hides its token behind a redirect, as Django does
    response = client.get(emailed_link())
    assert response.status_code == 302
    form_url = response["Location"]
    assert form_url.endswith("/set-password/")
    form_page = client.get(form_url)
    assert form_page.status_code == 200
    html = form_page.content.decode()
    assert "<h1>Atur kata sandi baru</h1>" in html
    assert '<label for="id_new_password1">Kata sandi baru</label>' in html

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/atur-sandi/selesai/"
    budi.refresh_from_db()
    assert budi.check_password(NEW_PASSWORD)
    assert not budi.check_password(PASSWORD)
    assert (
        "<h1>Kata sandi sudah diganti</h1>" in client.get("/atur-sandi/selesai/").content.decode()
    )
    assert log_in(client, NEW_PASSWORD).status_code == 302


def test_the_link_works_only_once(client, budi):
    request_reset(client)
    link = emailed_link()
    form_url = client.get(link)["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    response = client.get(link)

    assert response.status_code == 200
    assert "<h1>Tautan tidak berlaku</h1>" in response.content.decode()
    assert 'href="/lupa-sandi/"' in response.content.decode()


def test_weak_or_mismatched_new_passwords_are_refused(client, budi):
    request_reset(client)
    form_url = client.get(emailed_link())["Location"]

    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": "lain"})

    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["new_password2"]
    budi.refresh_from_db()
    assert budi.check_password(PASSWORD)


def test_a_new_password_lifts_the_login_lockout(client, budi, settings):
    # Given the account is locked after five wrong passwords
    assert settings.AXES_FAILURE_LIMIT == 5
    for _ in range(5):
        log_in(client, "salah-sandi")
    assert log_in(client, PASSWORD).status_code == 429
    # And the lockout page points to the reset and says when to retry
    html = log_in(client, PASSWORD).content.decode()
    assert '<a href="/lupa-sandi/">atur kata sandi baru lewat email</a>' in html
    assert "Silakan coba lagi 15 menit setelah percobaan terakhir." in html

    # When the owner sets a new password through the emailed link
    request_reset(client)
    form_url = client.get(emailed_link())["Location"]
    client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})

    # Then they can log in with it at once
    response = log_in(client, NEW_PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(budi.pk)

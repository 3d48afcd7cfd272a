"""Logging in at /masuk/ with a username, an email or a mobile number, and the lockout."""

import pytest
from django.test import RequestFactory
from django.urls import reverse

from sikesal.accounts.backends import lockout_username
from sikesal.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

LOGIN_URL = "/masuk/"


def log_in(client, login: str, password: str = PASSWORD):
    return client.post(LOGIN_URL, {"username": login, "password": password})


def logged_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def test_login_url_is_masuk():
    assert reverse("accounts:login") == LOGIN_URL


@pytest.mark.parametrize(
    "login",
    [
        "budi",
        "BUDI",
        "Budi",
        "budi@contoh.id",
        "BUDI@Contoh.ID",
        "0812-3456-7890",
        "081234567890",
        "+62 812 3456 7890",
        "6281234567890",
        "(0812) 3456-7890",
        "  budi  ",
    ],
)
def test_login_with_username_email_or_mobile(client, budi, login):
    response = log_in(client, login)
    assert response.status_code == 302
    assert response.url == reverse("core:home")
    assert logged_in_user_id(client) == str(budi.pk)


def test_wrong_password_fails(client, budi):
    response = log_in(client, "budi", "salah-sandi")
    assert response.status_code == 200
    assert response.context["form"].errors["__all__"] == [
        "Nama pengguna/email/nomor ponsel atau kata sandi salah. "
        "Perhatikan huruf besar dan kecil pada kata sandi."
    ]
    assert logged_in_user_id(client) is None


def test_password_is_case_sensitive(client, budi):
    response = log_in(client, "budi", PASSWORD.upper())
    assert response.status_code == 200
    assert logged_in_user_id(client) is None


def test_unknown_login_fails(client, budi):
    response = log_in(client, "0813-0000-0000")
    assert response.status_code == 200
    assert logged_in_user_id(client) is None


def test_inactive_user_cannot_log_in(client, budi):
    budi.is_active = False
    budi.save()
    for login in ("budi", "budi@contoh.id", "0812-3456-7890"):
        response = log_in(client, login)
        assert response.status_code == 200
        assert logged_in_user_id(client) is None


def test_five_failures_lock_the_account_even_for_the_right_password(client, budi, settings):
    # Given the configured limit of five failed attempts
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_TEMPLATE == "accounts/lockout.html"
    statuses = [log_in(client, "budi", "salah-sandi").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 200]
    # When the fifth attempt fails, it is already answered with the lockout
    assert log_in(client, "budi", "salah-sandi").status_code == 429
    # Then the sixth, with the right password, is refused too, with the lockout page
    response = log_in(client, "budi")
    assert response.status_code == 429
    assert "accounts/lockout.html" in [template.name for template in response.templates]
    assert logged_in_user_id(client) is None


def test_fewer_failures_than_the_limit_do_not_lock(client, budi):
    for _ in range(4):
        log_in(client, "budi", "salah-sandi")
    response = log_in(client, "budi")
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(budi.pk)


def test_lockout_counts_one_account_however_the_login_is_written(client, budi, settings):
    # Given failures are counted per account (AXES_USERNAME_CALLABLE) and address, and
    # every written form of Budi's login comes from one address
    settings.AXES_USERNAME_CALLABLE = "sikesal.accounts.backends.lockout_username"
    written_forms = ["budi", "BUDI", "budi@contoh.id", "0812-3456-7890", "+62 812 3456 7890"]
    statuses = [
        client.post(
            LOGIN_URL, {"username": login, "password": "salah-sandi"}, REMOTE_ADDR="10.0.0.1"
        ).status_code
        for login in written_forms
    ]
    assert statuses == [200, 200, 200, 200, 429]
    # When the right password comes from that address, written yet another way
    response = client.post(
        LOGIN_URL, {"username": "6281234567890", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    # Then the pair stays locked
    assert response.status_code == 429
    assert logged_in_user_id(client) is None
    # But Budi at another address is not locked out by it (issue #9: the account as a whole
    # used to be locked from every address)
    response = client.post(
        LOGIN_URL, {"username": "6281234567890", "password": PASSWORD}, REMOTE_ADDR="10.0.0.99"
    )
    assert response.status_code == 302
    assert logged_in_user_id(client) == str(budi.pk)


def test_lockout_username_of_an_unknown_login_is_as_typed():
    request = RequestFactory().post(LOGIN_URL, {"username": " Tamu "})
    assert lockout_username(request, None) == "tamu"
    assert lockout_username(request, {"username": "Orang@Contoh.id"}) == "orang@contoh.id"

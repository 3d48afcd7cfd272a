"""Failed logins lock the (account, address) pair, not bystanders (issue #9).

Through the login page, with the client's address (REMOTE_ADDR) set per request: the pair
is locked after five failures; others at the same address, and the account's owner at
another, still log in; one address trying many accounts is stopped; one account guessed
from many addresses is slowed down with growing, short delays; a proxy's header is
believed only when configured.
"""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.test import Client

from sikesal.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

LOGIN_URL = "/masuk/"
WRONG = "salah-sandi"
WARNING = "1 percobaan lagi sebelum dikunci sementara"


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    # Dozens of attempts per test: Argon2 would make each take most of a second.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def siti(db):
    return UserFactory(username="siti", email="siti@contoh.id")


def attempt(client, login: str, password: str, address: str, **headers):
    return client.post(
        LOGIN_URL, {"username": login, "password": password}, REMOTE_ADDR=address, **headers
    )


def logged_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def pass_time(seconds: int) -> None:
    """As if every recorded failure happened `seconds` earlier."""
    for row in AccessAttempt.objects.all():
        row.attempt_time -= timedelta(seconds=seconds)
        row.save(update_fields=["attempt_time"])


def test_the_pair_is_locked_after_five_failures(client, budi, settings):
    # Given the configured limit of five failures per account and address
    assert settings.AXES_FAILURE_LIMIT == 5
    statuses = [attempt(client, "budi", WRONG, "10.0.0.1").status_code for _ in range(5)]
    # Then the fifth failure is answered with the lockout page
    assert statuses == [200, 200, 200, 200, 429]
    # And the right password from that address is refused as well
    response = attempt(client, "budi", PASSWORD, "10.0.0.1")
    assert response.status_code == 429
    assert "accounts/lockout.html" in [t.name for t in response.templates]
    assert "Percobaan masuk gagal 5 kali berturut-turut" in response.content.decode()
    assert logged_in_user_id(client) is None


def test_the_warning_comes_before_the_last_attempt(client, budi):
    # Given three failures from one address: no warning yet
    for _ in range(3):
        response = attempt(client, "budi", WRONG, "10.0.0.1")
        assert WARNING not in response.content.decode()
    # When the fourth fails, one attempt is left
    response = attempt(client, "budi", WRONG, "10.0.0.1")
    # Then the login page says so
    assert response.status_code == 200
    assert WARNING in response.content.decode()
    # And the fifth failure locks
    assert attempt(client, "budi", WRONG, "10.0.0.1").status_code == 429


def test_a_bystander_at_the_attackers_address_still_logs_in(budi, siti):
    # Given someone locked out of Siti's account at a carrier's shared address
    attacker, bystander = Client(), Client()
    statuses = [attempt(attacker, "siti", WRONG, "114.4.0.1").status_code for _ in range(5)]
    assert statuses[-1] == 429
    # When Budi logs in from the same address
    response = attempt(bystander, "budi", PASSWORD, "114.4.0.1")
    # Then he is in
    assert response.status_code == 302
    assert logged_in_user_id(bystander) == str(budi.pk)


def test_a_victim_whose_username_is_guessed_from_elsewhere_still_logs_in(budi, settings):
    # Given Budi logged in on his phone before (which remembers the device), and logged out
    phone, attacker = Client(), Client()
    assert attempt(phone, "budi", PASSWORD, "10.9.9.9").status_code == 302
    phone.post("/keluar/")
    # When a stranger guesses his password four times from each of five addresses (20
    # failures, over the 10 an account gets before its delays start; no pair is locked)
    assert settings.SIKESAL_LOGIN_ACCOUNT_FREE_FAILURES == 10
    for address in ("10.1.0.1", "10.1.0.2", "10.1.0.3", "10.1.0.4", "10.1.0.5"):
        for _ in range(4):
            attempt(attacker, "budi", WRONG, address)
    # Then the next guess, from a new address, must wait
    assert attempt(attacker, "budi", WRONG, "10.1.0.6").status_code == 429
    # But Budi, on his phone, logs in at once
    response = attempt(phone, "budi", PASSWORD, "10.9.9.9")
    assert response.status_code == 302
    assert logged_in_user_id(phone) == str(budi.pk)


def test_another_accounts_device_is_not_exempt_from_the_delay(budi, siti):
    # Given the guesser logged in to their own account (Siti's) in their browser
    guesser = Client()
    assert attempt(guesser, "siti", PASSWORD, "10.8.0.1").status_code == 302
    guesser.post("/keluar/")
    # When they fail ten times on Budi's account, from ten addresses
    for i in range(10):
        attempt(guesser, "budi", WRONG, f"10.8.1.{i}")
    # Then their browser, known to Siti's account only, must wait for Budi's
    assert attempt(guesser, "budi", WRONG, "10.8.2.1").status_code == 429


def test_guesses_against_one_account_wait_longer_each_time_but_never_long(budi, settings):
    # Given ten failures on Budi's account, each from another address
    assert settings.SIKESAL_LOGIN_ACCOUNT_MAX_DELAY == 300
    attacker = Client()
    for i in range(10):
        assert attempt(attacker, "budi", WRONG, f"10.2.0.{i}").status_code == 200
    # Then each further attempt must wait 1, 2, 4, 8 seconds after the last failure
    waits = []
    for i in range(4):
        refused = attempt(attacker, "budi", WRONG, f"10.3.0.{i}")
        assert refused.status_code == 429
        waits.append(int(refused["Retry-After"]))
        assert f"Silakan coba lagi dalam {waits[-1]} detik" in refused.content.decode()
        pass_time(waits[-1])
        assert attempt(attacker, "budi", WRONG, f"10.4.0.{i}").status_code == 200
    assert waits == [1, 2, 4, 8]
    # And however many failures follow, the wait stays at most five minutes
    AccessAttempt.objects.filter(username="budi").update(failures_since_start=100)
    refused = attempt(Client(), "budi", PASSWORD, "10.5.0.1")
    assert (refused.status_code, refused["Retry-After"]) == (429, "300")
    # After it, the right password from a new browser logs in
    pass_time(300)
    newcomer = Client()
    assert attempt(newcomer, "budi", PASSWORD, "10.5.0.1").status_code == 302
    assert logged_in_user_id(newcomer) == str(budi.pk)


def test_a_spray_across_usernames_from_one_address_is_stopped(budi, settings):
    # Given one address failing once each for fifty logins (no pair near its limit)
    assert settings.SIKESAL_LOGIN_IP_FAILURE_LIMIT == 50
    sprayer = Client()
    statuses = {attempt(sprayer, f"pengguna{i}", WRONG, "36.80.0.1").status_code for i in range(50)}
    assert statuses == {200}
    # When it tries again, even with a right password
    refused = attempt(sprayer, "budi", PASSWORD, "36.80.0.1")
    # Then the address is stopped
    assert refused.status_code == 429
    assert "dari alamat jaringan Anda" in refused.content.decode()
    assert logged_in_user_id(sprayer) is None
    # But Budi from another address logs in
    elsewhere = Client()
    assert attempt(elsewhere, "budi", PASSWORD, "36.80.0.2").status_code == 302


def test_the_proxy_header_is_ignored_unless_configured(client, budi, settings):
    # Given no trusted proxy (the default): only REMOTE_ADDR counts
    assert settings.SIKESAL_TRUSTED_PROXY_COUNT == 0
    # When one address claims another X-Forwarded-For on each failure
    statuses = [
        attempt(client, "budi", WRONG, "10.0.0.1", HTTP_X_FORWARDED_FOR=f"10.6.0.{i}").status_code
        for i in range(5)
    ]
    # Then the claims do not help: the pair (budi, 10.0.0.1) is locked
    assert statuses == [200, 200, 200, 200, 429]
    assert AccessAttempt.objects.get().ip_address == "10.0.0.1"


def test_the_proxy_header_is_used_when_configured(budi, settings):
    # Given one trusted proxy (the nginx at 127.0.0.1) that appends the address it saw
    settings.SIKESAL_TRUSTED_PROXY_COUNT = 1
    settings.SIKESAL_PROXY_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    attacker, bystander = Client(), Client()
    # When a client behind it fails five times, claiming a new address each time
    statuses = [
        attempt(
            attacker, "budi", WRONG, "127.0.0.1", HTTP_X_FORWARDED_FOR=f"1.2.3.{i}, 10.7.0.1"
        ).status_code
        for i in range(5)
    ]
    # Then its own address (the one the proxy saw) is locked, whatever it claimed
    assert statuses == [200, 200, 200, 200, 429]
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"10.7.0.1"}
    # And Budi, behind the same proxy from another address, logs in
    response = attempt(bystander, "budi", PASSWORD, "127.0.0.1", HTTP_X_FORWARDED_FOR="10.7.0.2")
    assert response.status_code == 302
    assert logged_in_user_id(bystander) == str(budi.pk)


@pytest.mark.parametrize("header", ["", "nonsense", "10.7.0.1, 999.1.1.1"])
def test_a_missing_or_malformed_proxy_header_falls_back_to_the_connection(
    client, budi, settings, header
):
    # Given one trusted proxy
    settings.SIKESAL_TRUSTED_PROXY_COUNT = 1
    settings.SIKESAL_PROXY_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    # When a failure arrives without a usable address in the header
    attempt(client, "budi", WRONG, "127.0.0.1", HTTP_X_FORWARDED_FOR=header)
    # Then it is counted under the address of the connection
    assert AccessAttempt.objects.get().ip_address == "127.0.0.1"

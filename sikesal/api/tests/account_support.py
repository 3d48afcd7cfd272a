"""Fixtures and helpers of the account API tests (test_account_*.py import them)."""

import pytest
from rest_framework.test import APIClient

from sikesal.accounts.models import User
from sikesal.accounts.tests.factories import PASSWORD, UserFactory
from sikesal.notifications import services as notification_services
from sikesal.notifications.delivery import deliver_due

TOKEN_URL = "/api/v1/auth/token/"
DEVICES_URL = "/api/v1/auth/devices/"
ME_URL = "/api/v1/me/"
REGISTER_URL = "/api/v1/auth/register/"

__all__ = ["PASSWORD", "budi", "emails_sent_at_once", "sign_in", "signed_in"]


@pytest.fixture(autouse=True)
def emails_sent_at_once(monkeypatch) -> None:
    """The outbox's delivery runs where it would be enqueued after the commit (a test's
    transaction never commits), so `mail.outbox` shows what the worker sent."""
    monkeypatch.setattr(notification_services, "_deliver_after_commit", deliver_due)


@pytest.fixture
def budi(db) -> User:
    """Budi: username "budi", email budi@contoh.id, mobile 0812-3456-7890 (unverified)."""
    return UserFactory(
        username="budi", full_name="Budi Santoso", email="budi@contoh.id", mobile="081234567890"
    )


def sign_in(client: APIClient, login: str, password: str = PASSWORD, **extra):
    """POST /auth/token/ from the address 10.0.0.1 unless REMOTE_ADDR is given."""
    extra.setdefault("REMOTE_ADDR", "10.0.0.1")
    return client.post(
        TOKEN_URL,
        {"login": login, "password": password, "device_name": "Samsung A14"},
        format="json",
        **extra,
    )


@pytest.fixture
def signed_in(api, budi) -> APIClient:
    """Budi's phone, signed in through the API with its own token."""
    response = sign_in(api, "budi")
    assert response.status_code == 201, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['token']}")
    client.token_answer = response.json()
    return client

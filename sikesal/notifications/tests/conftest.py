"""Fixtures for the notification tests."""

from pathlib import Path

import pytest
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.accounts.tests.factories import UserFactory
from sikesal.complaints.tests.conftest import (  # noqa: F401 (fixtures used by name)
    _cast_snapshot,
    media_root,
    people,
)

TEST_TEMPLATES = Path(__file__).parent / "templates"


@pytest.fixture
def test_templates(settings) -> None:
    """Adds tests/templates: the kinds "greeting" (shows the active language, has an
    sms.txt) and "no_sms" (subject and body only)."""
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], TEST_TEMPLATES]}
    ]


@pytest.fixture(autouse=True)
def _sms_to_outbox(sms_outbox) -> None:
    """Every notifications test sends its SMS to the locmem outbox (root conftest)."""


@pytest.fixture
def ani(db) -> User:
    """Ani: a citizen who reads Indonesian, email only."""
    return UserFactory(username="ani", full_name="Ani Lestari", email="ani@contoh.id")


@pytest.fixture
def budi(db) -> User:
    """Budi: wants SMS, verified mobile +6281234567890, reads English."""
    user = UserFactory(
        username="budi", full_name="Budi Santoso", email="budi@contoh.id", mobile="081234567890"
    )
    User.objects.filter(pk=user.pk).update(
        notify_by_sms=True, mobile_verified_at=timezone.now(), language="en"
    )
    user.refresh_from_db()
    return user

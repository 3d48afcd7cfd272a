"""Fixtures for the accounts tests."""

import pytest

from sikesal.accounts.models import User
from sikesal.accounts.tests.factories import UserFactory
from sikesal.agencies.models import Agency
from sikesal.notifications import services as notification_services
from sikesal.notifications.delivery import deliver_due


@pytest.fixture(autouse=True)
def _outbox_delivered_at_once(monkeypatch) -> None:
    """Emails leave through the outbox, whose delivery the worker starts once the
    transaction commits; a test's transaction never commits, so here the worker's delivery
    runs where it would be enqueued, and `mail.outbox` shows what the worker sent."""
    monkeypatch.setattr(notification_services, "_deliver_after_commit", deliver_due)


@pytest.fixture
def budi(db) -> User:
    """Budi: username "budi", email budi@contoh.id, mobile 0812-3456-7890."""
    return UserFactory(
        username="budi", full_name="Budi Santoso", email="budi@contoh.id", mobile="081234567890"
    )


@pytest.fixture
def secretariat_agency(db) -> Agency:
    return Agency.objects.create(
        code="diskominfo",
        name="Dinas Komunikasi dan Informatika",
        short_name="Diskominfo",
        kind="dinas",
        is_secretariat=True,
    )


@pytest.fixture
def public_works_agency(db) -> Agency:
    return Agency.objects.create(
        code="dpupr",
        name="Dinas Pekerjaan Umum dan Penataan Ruang",
        short_name="PUPR",
        kind="dinas",
        is_secretariat=False,
    )

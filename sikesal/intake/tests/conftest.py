"""Fixtures for assisted intake: the complaint tests' people, and a kecamatan's officer."""

import pytest

from sikesal.accounts.models import Membership, Role, User
from sikesal.agencies.models import Agency
from sikesal.complaints.tests.conftest import (  # noqa: F401 (fixtures used by name)
    _cast_snapshot,
    make_user,
    media_root,
    people,
)


@pytest.fixture
def kecamatan(people) -> Agency:  # noqa: F811 (the imported fixture, by name)
    return Agency.objects.get(code="kec-telanaipura")


@pytest.fixture
def camat_officer(people, kecamatan) -> User:  # noqa: F811
    """An officer of Kecamatan Telanaipura, who takes complaints at its own counter."""
    user = make_user("petugastelanaipura")
    Membership.objects.create(user=user, agency=kecamatan, role=Role.AGENCY_OFFICER)
    return user


@pytest.fixture(autouse=True)
def _sms_to_outbox(sms_outbox, media_root) -> None:  # noqa: F811
    """Every intake test texts into the locmem outbox and stores files in a fresh folder."""

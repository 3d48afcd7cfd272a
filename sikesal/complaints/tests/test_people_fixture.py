"""The `people` fixture (conftest.py) restores accounts written once per session
(sikesal/core/tests/snapshots.py): they must look as make_user and member leave them."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sikesal.accounts.models import Membership, Role, User

pytestmark = pytest.mark.django_db


def test_people_are_restored_as_if_just_created(people):
    """The `people` fixture (complaints/tests/conftest.py) restores its accounts the same
    way: stamps written when they were taken look as recent as the restore."""
    roles = set(Membership.objects.values_list("user__username", "agency__code", "role"))

    assert User.objects.count() == 8
    assert roles == {
        ("sekretariat", "diskominfo", Role.SECRETARIAT),
        ("petugaspupr", "dpupr", Role.AGENCY_OFFICER),
        ("kepalapupr", "dpupr", Role.AGENCY_HEAD),
        ("petugasdlh", "dlh", Role.AGENCY_OFFICER),
    }
    assert timezone.now() - people.reporter.email_verified_at < timedelta(seconds=5)
    assert people.reporter.is_verified and not people.reporter.has_usable_password()
    assert (people.executive.is_executive, people.administrator.is_superuser) == (True, True)

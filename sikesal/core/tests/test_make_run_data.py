"""What `make run` loads: the reference data and the demo accounts, idempotently."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sikesal.accounts.models import Membership, User
from sikesal.agencies.models import Agency, Category, Region
from sikesal.core.models import Holiday

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "agencies": Agency.objects.count(),
        "categories": Category.objects.count(),
        "holidays": Holiday.objects.count(),
        "users": User.objects.count(),
        "memberships": Membership.objects.count(),
    }


def load(*commands: str) -> str:
    out = StringIO()
    for command in commands:
        call_command(command, stdout=out)
    return out.getvalue()


def test_loading_twice_changes_nothing(settings):
    settings.DEBUG = True
    first = load("load_reference_data", "load_demo_data")
    after_first = counts()
    second = load("load_reference_data", "load_demo_data")

    assert counts() == after_first
    assert after_first["agencies"] == 42
    assert after_first["regions"] == 1 + 11 + 68
    assert after_first["categories"] >= 20
    assert after_first["holidays"] > 0
    assert after_first["users"] == 12
    assert "Demo accounts created: 12." in first
    assert "Demo accounts created: 0." in second


def test_every_role_has_a_demo_login(settings):
    settings.DEBUG = True
    load("load_reference_data", "load_demo_data")
    roles = set()
    for user in User.objects.all():
        roles |= set(user.roles)
    assert {
        "citizen",
        "secretariat",
        "agency_officer",
        "agency_head",
        "executive",
        "administrator",
    } <= {str(role) for role in roles}
    assert User.objects.get(username="warga").check_password("sikesal-demo")


def test_demo_data_refused_in_production(settings):
    settings.DEBUG = False
    load("load_reference_data")
    with pytest.raises(CommandError, match="DEBUG off"):
        call_command("load_demo_data", stdout=StringIO())
    assert not User.objects.exists()


def test_demo_data_needs_reference_data_first(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="load_reference_data"):
        call_command("load_demo_data", stdout=StringIO())

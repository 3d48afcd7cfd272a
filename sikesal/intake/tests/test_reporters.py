"""Reporters without a login: Pasal 7's identity, found again by email or number, never
a registered account, and never in the way of one (login, registration)."""

import pytest
from django.core.exceptions import ValidationError

from sikesal.accounts.backends import user_for_login
from sikesal.accounts.models import User
from sikesal.accounts.services import user_create
from sikesal.intake.reporters import reporter_for_intake

pytestmark = pytest.mark.django_db


def test_a_reporter_without_a_login_is_recorded_unverified():
    reporter = reporter_for_intake(full_name="  Rina   Marlina ", email="Rina@Contoh.id")
    assert reporter.full_name == "Rina Marlina"
    assert reporter.email == "Rina@contoh.id"
    assert (reporter.is_registered, reporter.is_verified, reporter.has_usable_password()) == (
        False,
        False,
        False,
    )


def test_the_same_email_or_number_finds_the_same_reporter():
    first = reporter_for_intake(full_name="Rina", email="rina@contoh.id")
    by_email = reporter_for_intake(
        full_name="Rina M.", email="RINA@contoh.id", mobile="0812 7777 8888"
    )
    assert by_email.pk == first.pk
    by_number = reporter_for_intake(full_name="Rina", mobile="+62 812-7777-8888")
    assert by_number.pk == first.pk
    assert User.objects.filter(is_registered=False).count() == 1


@pytest.mark.parametrize(
    ("name", "email", "mobile", "fields"),
    [
        ("", "a@contoh.id", "", {"name"}),
        ("Rina", "", "", {"contact"}),
        ("Rina", "bukan", "", {"email"}),
        ("Rina", "", "12", {"phone"}),
        ("R" * 151, "a@contoh.id", "", {"name"}),
    ],
)
def test_pasal_7_identity_is_required(name, email, mobile, fields):
    with pytest.raises(ValidationError) as error:
        reporter_for_intake(full_name=name, email=email, mobile=mobile)
    assert set(error.value.message_dict) == fields
    assert not User.objects.exists()


def test_registered_accounts_and_reporters_share_an_email_without_confusion():
    reporter = reporter_for_intake(
        full_name="Rina", email="rina@contoh.id", mobile="0812-7777-8888"
    )
    account = user_create(
        username="rina",
        password=None,
        full_name="Rina Marlina",
        email="rina@contoh.id",
        mobile="0812-7777-8888",
    )
    assert account.pk != reporter.pk
    # Signing in by email or number finds the account, never the reporter row.
    assert user_for_login("rina@contoh.id") == account
    assert user_for_login("081277778888") == account
    # The reporter is found again without touching the account.
    assert reporter_for_intake(full_name="Rina", email="rina@contoh.id").pk == reporter.pk
    # A second registered account with that email is still refused.
    with pytest.raises(ValidationError) as error:
        user_create(username="rina2", password=None, full_name="X", email="RINA@contoh.id")
    assert "email" in error.value.message_dict


def test_an_account_needs_an_email():
    with pytest.raises(ValidationError) as error:
        user_create(username="tanpa", password=None, full_name="Tanpa Email", email="")
    assert "email" in error.value.message_dict

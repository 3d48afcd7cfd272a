"""Accounts: unique identities regardless of case, Argon2 passwords, user_create, roles."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from sikesal.accounts.models import Membership, Role, User
from sikesal.accounts.services import user_create
from sikesal.accounts.tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db


# --- uniqueness in the database --------------------------------------------------------------


def test_database_refuses_a_username_differing_only_in_case(budi):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="Budi", full_name="Budi Lain", email="lain@contoh.id")
    assert User.objects.count() == 1


def test_database_refuses_an_email_differing_only_in_case(budi):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="budi2", full_name="Budi Lain", email="BUDI@Contoh.ID")
    assert User.objects.count() == 1


def test_database_refuses_a_mobile_number_twice(budi):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(
            username="budi2",
            full_name="Budi Lain",
            email="lain@contoh.id",
            mobile="+6281234567890",
        )
    assert User.objects.count() == 1


def test_many_accounts_without_a_mobile_number(db):
    # NULL, not "", so that "no number" is never a duplicate
    UserFactory(mobile=None)
    UserFactory(mobile="")
    assert list(User.objects.values_list("mobile", flat=True)) == [None, None]


# --- user_create -----------------------------------------------------------------------------


def test_user_create_normalises_the_mobile_and_hashes_with_argon2(db, production_password_hashers):
    user = user_create(
        username="Siti",
        password=PASSWORD,
        full_name="Siti Aminah",
        email="Siti@Contoh.ID",
        mobile="0812-3456-7890",
    )
    user.refresh_from_db()
    assert user.mobile == "+6281234567890"
    # Case is kept as typed (Django lower-cases only the email's domain)
    assert (user.username, user.email) == ("Siti", "Siti@contoh.id")
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password(PASSWORD) is True
    assert (user.is_active, user.is_staff, user.is_superuser, user.is_executive) == (
        True,
        False,
        False,
        False,
    )
    assert user.roles == {Role.CITIZEN}


def test_user_create_refuses_a_username_differing_only_in_case(budi):
    with pytest.raises(ValidationError) as excinfo:
        user_create(
            username="Budi", password=PASSWORD, full_name="Budi Lain", email="lain@contoh.id"
        )
    assert excinfo.value.message_dict == {"username": ["Nama pengguna ini sudah dipakai."]}
    assert User.objects.count() == 1


def test_user_create_refuses_an_email_differing_only_in_case(budi):
    with pytest.raises(ValidationError) as excinfo:
        user_create(
            username="budi2", password=PASSWORD, full_name="Budi Lain", email="BUDI@contoh.id"
        )
    assert excinfo.value.message_dict == {"email": ["Email ini sudah terdaftar."]}
    assert User.objects.count() == 1


def test_user_create_refuses_a_mobile_written_differently(budi):
    with pytest.raises(ValidationError) as excinfo:
        user_create(
            username="budi2",
            password=PASSWORD,
            full_name="Budi Lain",
            email="lain@contoh.id",
            mobile="+62 812 3456 7890",
        )
    assert excinfo.value.message_dict == {"mobile": ["Nomor ponsel ini sudah terdaftar."]}
    assert User.objects.count() == 1


def test_user_create_reports_every_problem_per_field(budi):
    with pytest.raises(ValidationError) as excinfo:
        user_create(
            username="BUDI",
            password=PASSWORD,
            full_name="",
            email="bukan-email",
            mobile="021-555-1234",
        )
    errors = excinfo.value.message_dict
    assert sorted(errors) == ["email", "full_name", "mobile", "username"]
    assert errors["username"] == ["Nama pengguna ini sudah dipakai."]
    assert "ponsel" in errors["mobile"][0]
    assert User.objects.count() == 1


def test_user_create_sets_flags_and_unusable_password(db):
    user = user_create(
        username="walikota",
        password=None,
        full_name="Walikota Jambi",
        email="walikota@contoh.id",
        is_executive=True,
    )
    assert user.has_usable_password() is False
    assert user.roles == {Role.CITIZEN, Role.EXECUTIVE}


def test_user_create_refuses_unknown_flags(db):
    with pytest.raises(TypeError, match="is_admin"):
        user_create(
            username="x", password=PASSWORD, full_name="X", email="x@contoh.id", is_admin=True
        )
    assert User.objects.count() == 0


# --- roles -----------------------------------------------------------------------------------


def test_memberships_give_agency_roles(db, secretariat_agency, public_works_agency):
    user = UserFactory()
    Membership.objects.create(user=user, agency=secretariat_agency, role=Role.SECRETARIAT)
    Membership.objects.create(user=user, agency=public_works_agency, role=Role.AGENCY_HEAD)
    user = User.objects.get(pk=user.pk)
    assert user.roles == {Role.CITIZEN, Role.SECRETARIAT, Role.AGENCY_HEAD}
    assert user.has_role(Role.AGENCY_HEAD) is True
    assert user.has_role(Role.AGENCY_OFFICER) is False
    assert user.is_secretariat_officer is True


def test_a_membership_in_an_inactive_agency_gives_no_role(db, public_works_agency):
    user = UserFactory()
    Membership.objects.create(user=user, agency=public_works_agency, role=Role.AGENCY_OFFICER)
    public_works_agency.is_active = False
    public_works_agency.save()
    assert User.objects.get(pk=user.pk).roles == {Role.CITIZEN}


def test_superuser_is_administrator_and_executive_flag_is_executive(db):
    admin = UserFactory(is_superuser=True, is_staff=True)
    executive = UserFactory(is_executive=True)
    citizen = UserFactory()
    assert admin.roles == {Role.CITIZEN, Role.ADMINISTRATOR}
    assert executive.roles == {Role.CITIZEN, Role.EXECUTIVE}
    assert citizen.roles == {Role.CITIZEN}


def test_secretariat_role_only_in_the_secretariat_agency(db, public_works_agency):
    membership = Membership(user=UserFactory(), agency=public_works_agency, role=Role.SECRETARIAT)
    with pytest.raises(ValidationError) as excinfo:
        membership.full_clean()
    assert excinfo.value.message_dict == {
        "role": ["Petugas Sekretariat hanya dapat ditempatkan di OPD tempat Sekretariat Pengaduan."]
    }


def test_secretariat_role_in_the_secretariat_agency_is_valid(db, secretariat_agency):
    Membership(user=UserFactory(), agency=secretariat_agency, role=Role.SECRETARIAT).full_clean()


def test_agency_officer_may_sit_in_the_secretariat_agency(db, secretariat_agency):
    Membership(user=UserFactory(), agency=secretariat_agency, role=Role.AGENCY_OFFICER).full_clean()

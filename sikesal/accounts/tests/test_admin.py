"""The accounts admin and `createsuperuser`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from sikesal.accounts.models import Membership, Role, User
from sikesal.accounts.tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:accounts_user_add")
NO_MEMBERSHIPS = {"memberships-TOTAL_FORMS": "0", "memberships-INITIAL_FORMS": "0"}


def add_form_data(**overrides) -> dict:
    data = {
        "username": "siti",
        "full_name": "Siti Aminah",
        "email": "siti@contoh.id",
        "mobile": "0812-9876-5432",
        "usable_password": "true",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **NO_MEMBERSHIPS,
    }
    data.update(overrides)
    return data


def change_form_data(user: User, **overrides) -> dict:
    data = {
        "username": user.username,
        "full_name": user.full_name,
        "email": user.email,
        "mobile": user.mobile_display,
        "is_active": "on",
        "date_joined_0": f"{user.date_joined:%Y-%m-%d}",
        "date_joined_1": "08:00:00",
        **NO_MEMBERSHIPS,
    }
    data.update(overrides)
    return data


def form_errors(response) -> dict:
    return response.context["adminform"].form.errors


def test_admin_adds_a_user_with_a_mobile_typed_the_local_way(
    admin_client, production_password_hashers
):
    response = admin_client.post(ADD_URL, add_form_data())
    assert response.status_code == 302
    siti = User.objects.get(username="siti")
    assert siti.mobile == "+6281298765432"
    assert siti.full_name == "Siti Aminah"
    assert siti.password.startswith("argon2")


def test_admin_add_refuses_username_and_email_differing_only_in_case(admin_client, budi):
    response = admin_client.post(
        ADD_URL, add_form_data(username="BUDI", email="Budi@Contoh.id", mobile="+62 812 3456 7890")
    )
    assert response.status_code == 200
    assert form_errors(response) == {
        "username": ["Nama pengguna ini sudah dipakai."],
        "email": ["Email ini sudah terdaftar."],
        "mobile": ["Nomor ponsel ini sudah terdaftar."],
    }
    assert User.objects.filter(full_name="Siti Aminah").exists() is False


def test_admin_add_refuses_a_landline(admin_client):
    response = admin_client.post(ADD_URL, add_form_data(mobile="021-555-1234"))
    assert response.status_code == 200
    assert list(form_errors(response)) == ["mobile"]
    assert "ponsel" in form_errors(response)["mobile"][0]
    assert User.objects.filter(username="siti").exists() is False


def test_admin_change_stores_a_retyped_mobile_in_e164(admin_client, budi):
    url = reverse("admin:accounts_user_change", args=[budi.pk])
    response = admin_client.post(url, change_form_data(budi, mobile="+62-811-7401-234"))
    assert response.status_code == 302
    budi.refresh_from_db()
    assert budi.mobile == "+628117401234"


def test_admin_change_shows_the_mobile_the_local_way(admin_client, budi):
    url = reverse("admin:accounts_user_change", args=[budi.pk])
    response = admin_client.get(url)
    assert response.status_code == 200
    assert response.context["adminform"].form.initial["mobile"] == "0812-3456-7890"


def test_admin_change_refuses_another_accounts_email_in_other_case(admin_client, budi):
    # Given a second account, renamed in the admin to Budi's email in capitals
    siti = User.objects.create(username="siti", full_name="Siti", email="siti@contoh.id")
    url = reverse("admin:accounts_user_change", args=[siti.pk])
    response = admin_client.post(url, change_form_data(siti, email="BUDI@contoh.id"))
    assert response.status_code == 200
    assert form_errors(response) == {"email": ["Email ini sudah terdaftar."]}
    siti.refresh_from_db()
    assert siti.email == "siti@contoh.id"


def test_admin_change_keeps_the_accounts_own_identity(admin_client, budi):
    url = reverse("admin:accounts_user_change", args=[budi.pk])
    response = admin_client.post(url, change_form_data(budi, full_name="Budi S."))
    assert response.status_code == 302
    budi.refresh_from_db()
    assert (budi.full_name, budi.mobile) == ("Budi S.", "+6281234567890")


def test_admin_membership_inline_refuses_secretariat_role_outside_the_secretariat(
    admin_client, budi, public_works_agency
):
    url = reverse("admin:accounts_user_change", args=[budi.pk])
    data = change_form_data(
        budi,
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-agency": str(public_works_agency.pk),
            "memberships-0-role": Role.SECRETARIAT,
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["inline_admin_formsets"][0].formset.errors == [
        {
            "role": [
                "Petugas Sekretariat hanya dapat ditempatkan di OPD tempat Sekretariat Pengaduan."
            ]
        }
    ]
    assert Membership.objects.count() == 0


def test_admin_membership_inline_adds_a_role(admin_client, budi, public_works_agency):
    url = reverse("admin:accounts_user_change", args=[budi.pk])
    data = change_form_data(
        budi,
        **{
            "memberships-TOTAL_FORMS": "1",
            "memberships-0-agency": str(public_works_agency.pk),
            "memberships-0-role": Role.AGENCY_OFFICER,
        },
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302
    assert User.objects.get(pk=budi.pk).roles == {Role.CITIZEN, Role.AGENCY_OFFICER}


@pytest.mark.parametrize("term", ["0812-3456-7890", "+62 812 3456 7890", "Santoso", "BUDI@"])
def test_admin_search_finds_by_mobile_in_any_form_name_or_email(admin_client, budi, term):
    response = admin_client.get(reverse("admin:accounts_user_changelist"), {"q": term})
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [budi]


def test_admin_list_shows_the_mobile_the_local_way(admin_client, budi):
    response = admin_client.get(reverse("admin:accounts_user_changelist"))
    assert response.status_code == 200
    assert "0812-3456-7890" in response.content.decode()


# --- createsuperuser -------------------------------------------------------------------------


def test_createsuperuser_asks_for_email_and_full_name(db, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command(
        "createsuperuser",
        interactive=False,
        username="admin",
        email="admin@contoh.id",
        full_name="Admin Diskominfo",
        stdout=StringIO(),
    )
    admin = User.objects.get(username="admin")
    assert (admin.full_name, admin.email, admin.is_staff, admin.is_superuser) == (
        "Admin Diskominfo",
        "admin@contoh.id",
        True,
        True,
    )
    assert admin.check_password(PASSWORD) is True
    assert admin.roles == {Role.CITIZEN, Role.ADMINISTRATOR}


def test_createsuperuser_refuses_an_email_differing_only_in_case(db, budi, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "createsuperuser",
            interactive=False,
            username="admin",
            email="BUDI@contoh.id",
            full_name="Admin",
            stdout=StringIO(),
        )
    assert str(excinfo.value) == "Email ini sudah terdaftar."
    assert User.objects.filter(username="admin").exists() is False


def test_createsuperuser_refuses_a_username_differing_only_in_case(db, budi, monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    # Django's own message (commands run untranslated), with our field name
    with pytest.raises(CommandError) as excinfo:
        call_command(
            "createsuperuser",
            interactive=False,
            username="Budi",
            email="admin@contoh.id",
            full_name="Admin",
            stdout=StringIO(),
        )
    assert str(excinfo.value) == "Error: That nama pengguna is already taken."
    assert User.objects.count() == 1

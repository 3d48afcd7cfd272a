"""Where each role lands after signing in at /masuk/: staff on their console, citizens where
they always did, and a safe `next` before either."""

import pytest
from django.urls import reverse

from sikesal.accounts.models import Membership, Role
from sikesal.accounts.tests.factories import PASSWORD
from sikesal.agencies.models import Agency

pytestmark = pytest.mark.django_db

LOGIN_URL = "/masuk/"


def sign_in(client, user, **extra):
    user.set_password(PASSWORD)
    user.save(update_fields=["password"])
    return client.post(LOGIN_URL, {"username": user.username, "password": PASSWORD, **extra})


@pytest.mark.parametrize(
    ("who", "landing"),
    [
        ("secretariat", "staff:queue"),
        ("officer", "staff:queue"),
        ("head", "staff:queue"),
        ("dlh_officer", "staff:queue"),
        ("executive", "monitoring:dashboard"),
        ("reporter", "core:home"),
    ],
)
def test_each_role_lands_on_its_page_after_signing_in(client, people, who, landing):
    response = sign_in(client, getattr(people, who))

    assert response.status_code == 302
    assert response.url == reverse(landing)
    assert client.session["_auth_user_id"] == str(getattr(people, who).pk)
    assert client.get(response.url).status_code == 200


def test_an_executive_who_also_works_the_queue_lands_on_the_queue(client, people):
    Membership.objects.create(
        user=people.executive, agency=Agency.objects.get(code="diskominfo"), role=Role.SECRETARIAT
    )

    response = sign_in(client, people.executive)

    assert response.url == reverse("staff:queue")


def test_an_administrator_without_a_staff_role_lands_on_the_home_page(client, people):
    response = sign_in(client, people.administrator)

    assert response.url == reverse("core:home")


@pytest.mark.parametrize("who", ["secretariat", "executive", "reporter"])
def test_a_safe_next_wins_over_the_landing_page(client, people, who):
    response = sign_in(client, getattr(people, who), next="/pengaduan/")

    assert response.url == "/pengaduan/"


def test_a_next_pointing_elsewhere_is_ignored_and_staff_land_on_the_queue(client, people):
    response = sign_in(client, people.officer, next="https://contoh-jahat.example/staf/")

    assert response.url == reverse("staff:queue")


def test_a_next_in_the_query_string_of_the_login_page_wins(client, people):
    people.head.set_password(PASSWORD)
    people.head.save(update_fields=["password"])

    response = client.post(
        LOGIN_URL + "?next=/staf/rekap/", {"username": "kepalapupr", "password": PASSWORD}
    )

    assert response.url == "/staf/rekap/"


def test_signed_in_staff_opening_the_login_page_go_to_their_console(client, people):
    client.force_login(people.executive)

    response = client.get(LOGIN_URL)

    assert response.status_code == 302
    assert response.url == reverse("monitoring:dashboard")


def test_a_failed_sign_in_stays_on_the_login_page(client, people):
    people.secretariat.set_password(PASSWORD)
    people.secretariat.save(update_fields=["password"])

    response = client.post(LOGIN_URL, {"username": "sekretariat", "password": "salah"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session

"""A citizen sees and signs out their devices: through the API, on /akun/ ("Perangkat"),
and administrators in the admin. Another person's device does not exist for you."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from sikesal.accounts.tests.factories import UserFactory
from sikesal.api.models import DeviceToken
from sikesal.api.tests import account_support as support
from sikesal.api.tests.account_support import DEVICES_URL, ME_URL, sign_in
from sikesal.api.tokens import device_token_issue

pytestmark = pytest.mark.django_db

# The account tests' fixtures (sikesal/api/tests/account_support.py).
budi = support.budi
signed_in = support.signed_in
emails_sent_at_once = support.emails_sent_at_once


@pytest.fixture
def siti(db):
    return UserFactory(username="siti", email="siti@contoh.id")


def bearer(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    return client


# --- The API -------------------------------------------------------------------------------


def test_my_devices_are_listed_newest_first_without_their_keys(signed_in, budi, siti):
    # Given Budi's laptop, an older revoked tablet, and Siti's phone
    tablet, _ = device_token_issue(user=budi, name="Tablet", now=timezone.now() - timedelta(days=3))
    tablet.revoked_at = timezone.now()
    tablet.save()
    device_token_issue(user=siti, name="HP Siti")

    response = signed_in.get(DEVICES_URL)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [device["name"] for device in body["results"]] == ["Samsung A14", "Tablet"]
    phone, old = body["results"]
    assert set(phone) == {
        "id",
        "name",
        "prefix",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
        "current",
    }
    # And the device of this request is marked, the revoked one shows when
    assert (phone["current"], old["current"]) == (True, False)
    assert phone["revoked_at"] is None and old["revoked_at"] is not None
    # And the last use is recorded
    assert phone["last_used_at"] is not None


def test_the_device_list_is_a_paged_list(signed_in, budi):
    for number in range(3):
        device_token_issue(user=budi, name=f"HP {number}")

    page = signed_in.get(DEVICES_URL, {"page_size": 2}).json()

    assert page["count"] == 4
    assert len(page["results"]) == 2
    for bad in ("0", "-1", "null", "10" * 15, "1.5"):
        assert signed_in.get(DEVICES_URL, {"page_size": bad}).status_code == 400


def test_revoking_one_device_keeps_the_others(signed_in, budi):
    laptop, laptop_key = device_token_issue(user=budi, name="Laptop")

    response = signed_in.delete(f"{DEVICES_URL}{laptop.pk}/")

    assert response.status_code == 204
    laptop.refresh_from_db()
    assert laptop.revoked_at is not None
    assert bearer(laptop_key).get(ME_URL).status_code == 401
    assert signed_in.get(ME_URL).status_code == 200
    # Revoking it again changes nothing
    assert signed_in.delete(f"{DEVICES_URL}{laptop.pk}/").status_code == 204
    assert DeviceToken.objects.get(pk=laptop.pk).revoked_at == laptop.revoked_at


def test_revoking_the_device_of_the_request_signs_it_out(signed_in, budi):
    current = DeviceToken.objects.get(user=budi)

    assert signed_in.delete(f"{DEVICES_URL}{current.pk}/").status_code == 204

    assert signed_in.get(ME_URL).status_code == 401


def test_another_persons_device_does_not_exist_for_me(signed_in, siti):
    theirs, their_key = device_token_issue(user=siti, name="HP Siti")

    response = signed_in.delete(f"{DEVICES_URL}{theirs.pk}/")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Tidak ditemukan."}}
    theirs.refresh_from_db()
    assert theirs.revoked_at is None
    assert bearer(their_key).get(ME_URL).status_code == 200


@pytest.mark.parametrize("pk", ["0", "99999", str(10**30), "abc", "-1"])
def test_a_device_that_does_not_exist_is_a_404(signed_in, pk):
    assert signed_in.delete(f"{DEVICES_URL}{pk}/").status_code == 404


def test_devices_need_a_signed_in_person(api):
    assert api.get(DEVICES_URL).status_code == 401
    assert api.delete(f"{DEVICES_URL}1/").status_code == 401


# --- The account page ----------------------------------------------------------------------


@pytest.fixture
def budi_browser(budi) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(budi)
    return client


def csrf_token(client: Client) -> str:
    client.get("/akun/")
    return client.cookies["csrftoken"].value


def test_the_account_page_lists_my_devices(budi_browser, budi, siti):
    phone, _ = device_token_issue(user=budi, name="Samsung A14")
    DeviceToken.objects.filter(pk=phone.pk).update(last_used_at=timezone.now())
    revoked, _ = device_token_issue(user=budi, name="HP lama")
    revoked.revoked_at = timezone.now()
    revoked.save()
    device_token_issue(user=siti, name="HP Siti")

    response = budi_browser.get("/akun/")

    html = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="devices-title">Perangkat</h2>' in html
    assert "Samsung A14" in html
    assert "Terakhir dipakai" in html and "Berlaku sampai" in html
    assert f'action="/akun/perangkat/{phone.pk}/cabut/"' in html
    # Signed-out devices and other people's are not listed
    assert "HP lama" not in html
    assert "HP Siti" not in html
    # No part of a key is on the page beyond what the list shows anyway
    assert phone.digest not in html


def test_the_account_page_without_devices(budi_browser):
    html = budi_browser.get("/akun/").content.decode()

    assert "Belum ada perangkat yang masuk lewat API." in html


def test_signing_a_device_out_on_the_page(budi_browser, budi):
    phone, key = device_token_issue(user=budi, name="Samsung A14")
    token = csrf_token(budi_browser)

    response = budi_browser.post(
        f"/akun/perangkat/{phone.pk}/cabut/", {"csrfmiddlewaretoken": token}, follow=True
    )

    assert response.redirect_chain == [("/akun/#devices", 302)]
    assert "Perangkat Samsung A14 sudah dikeluarkan dari akun Anda." in response.content.decode()
    phone.refresh_from_db()
    assert phone.revoked_at is not None
    assert bearer(key).get(ME_URL).status_code == 401


def test_signing_out_on_the_page_needs_the_csrf_token(budi_browser, budi):
    phone, _ = device_token_issue(user=budi, name="Samsung A14")

    response = budi_browser.post(f"/akun/perangkat/{phone.pk}/cabut/")

    assert response.status_code == 403
    phone.refresh_from_db()
    assert phone.revoked_at is None


def test_signing_out_on_the_page_is_a_post(budi_browser, budi):
    phone, _ = device_token_issue(user=budi, name="Samsung A14")

    assert budi_browser.get(f"/akun/perangkat/{phone.pk}/cabut/").status_code == 405


def test_another_persons_device_is_a_404_on_the_page(budi_browser, siti):
    theirs, _ = device_token_issue(user=siti, name="HP Siti")
    token = csrf_token(budi_browser)

    response = budi_browser.post(
        f"/akun/perangkat/{theirs.pk}/cabut/", {"csrfmiddlewaretoken": token}
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


def test_the_page_action_needs_a_login(client, budi):
    phone, _ = device_token_issue(user=budi, name="Samsung A14")

    response = client.post(f"/akun/perangkat/{phone.pk}/cabut/")

    assert response.status_code == 302
    assert response["Location"].startswith("/masuk/")
    phone.refresh_from_db()
    assert phone.revoked_at is None


# --- The admin -----------------------------------------------------------------------------

ADMIN_LIST = "/admin/api/devicetoken/"


def test_the_admin_lists_and_finds_tokens_by_person_without_digests(admin_client, budi, siti):
    mine, key = device_token_issue(user=budi, name="Samsung A14")
    device_token_issue(user=siti, name="HP Siti")

    found = admin_client.get(ADMIN_LIST, {"q": "budi"})

    html = found.content.decode()
    assert found.status_code == 200
    assert "Samsung A14" in html and "HP Siti" not in html
    assert mine.digest not in html and key not in html
    detail = admin_client.get(f"{ADMIN_LIST}{mine.pk}/change/").content.decode()
    assert mine.digest not in detail
    assert "Samsung A14" in detail


def test_the_admin_revokes_tokens(admin_client, budi):
    phone, key = device_token_issue(user=budi, name="Samsung A14")

    response = admin_client.post(
        ADMIN_LIST, {"action": "revoke", "_selected_action": [phone.pk]}, follow=True
    )

    assert response.status_code == 200
    assert "Token perangkat dicabut: 1." in response.content.decode()
    phone.refresh_from_db()
    assert phone.revoked_at is not None
    assert bearer(key).get(ME_URL).status_code == 401


def test_the_admin_neither_adds_nor_deletes_tokens(admin_client, budi):
    phone, _ = device_token_issue(user=budi, name="Samsung A14")

    assert admin_client.get(f"{ADMIN_LIST}add/").status_code == 403
    assert admin_client.get(f"{ADMIN_LIST}{phone.pk}/delete/").status_code == 403


def test_the_token_of_the_sign_in_is_the_listed_one(api, budi):
    key = sign_in(api, "budi").json()["token"]

    [device] = bearer(key).get(DEVICES_URL).json()["results"]

    assert key.startswith(device["prefix"])
    assert device["current"] is True


def test_the_device_list_takes_the_same_queries_for_many_devices(signed_in, budi):
    signed_in.get(DEVICES_URL)  # last_used_at is written on the first use only
    with CaptureQueriesContext(connection) as one:
        signed_in.get(DEVICES_URL)
    for number in range(20):
        device_token_issue(user=budi, name=f"HP {number}")
    with CaptureQueriesContext(connection) as many:
        response = signed_in.get(DEVICES_URL)

    assert response.json()["count"] == 21
    # The token with its user, the count and the page
    assert len(many) == len(one) == 3

"""The administrator issues a key in the admin: shown once, stored as a digest, usable at
once; a new key retires the old; a revoked key is refused."""

import re

import pytest
from django.test import Client

from sikesal.open311.models import Open311Client
from sikesal.open311.tests.test_open311_post import REQUESTS, request_fields

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/open311/open311client/add/"
LIST_URL = "/admin/open311/open311client/"
KEY = re.compile(r"o311_[0-9a-f]{8}_[A-Za-z0-9_-]+")


def key_in(response) -> str:
    [key] = KEY.findall(response.content.decode())
    return key


def test_a_key_is_shown_once_and_works(client, people):
    admin_client = Client()
    admin_client.force_login(people.administrator)
    response = admin_client.post(
        ADD_URL,
        {
            "name": "FixMyStreet Jambi",
            "slug": "fms",
            "contact": "ops@contoh.id",
            "can_post_requests": "on",
            "can_post_updates": "on",
            "rate_per_hour": "600",
            "is_active": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    key = key_in(response)
    fms = Open311Client.objects.get(slug="fms")
    assert key not in (fms.key_digest, fms.key_id) and fms.key_matches(key)
    # Not shown again.
    page = admin_client.get(f"/admin/open311/open311client/{fms.pk}/change/")
    assert key not in page.content.decode() and fms.key_digest not in page.content.decode()

    assert client.post(REQUESTS, request_fields(key)).status_code == 200

    response = admin_client.post(
        LIST_URL, {"action": "issue_new_key", "_selected_action": [fms.pk]}, follow=True
    )
    new_key = key_in(response)
    assert new_key != key
    assert client.post(REQUESTS, request_fields(key, description="Lagi")).status_code == 403
    assert client.post(REQUESTS, request_fields(new_key, description="Lagi")).status_code == 200

    admin_client.post(LIST_URL, {"action": "revoke", "_selected_action": [fms.pk]})
    assert client.post(REQUESTS, request_fields(new_key, description="Lagi 2")).status_code == 403

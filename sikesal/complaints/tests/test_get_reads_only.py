"""A GET never writes: every complaint page, for every audience, only reads (a crawler, a
prefetching browser or a reload must change nothing)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sikesal.complaints.tests.conftest import file_complaint, stored_photo
from sikesal.complaints.workflow import Route, transition

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_of(client, url: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    if response.streaming:
        b"".join(response.streaming_content)
    return [
        query["sql"]
        for query in captured
        if query["sql"].lstrip().upper().startswith(WRITES) and "django_session" not in query["sql"]
    ]


def test_no_complaint_page_writes_on_get(client, people, media_root):
    photo = stored_photo(people.reporter)
    complaint = file_complaint(people, photos=[photo])
    transition(complaint, "review", actor=people.secretariat)
    transition(complaint, "route", actor=people.secretariat, routes=[Route(people.pupr, True)])
    tracking = complaint.tracking_number
    client.force_login(people.reporter)
    client.post(reverse("complaints:file"), {"intent": "draft", "title": "Draf jalan"})
    staff_pages = [
        reverse("staff:queue"),
        reverse("staff:queue") + "?status=all&overdue=on",
        reverse("staff:queue_export") + "?status=all",
        reverse("staff:complaint", args=[tracking]),
    ]
    pages = {
        people.reporter: [
            reverse("complaints:file"),
            reverse("complaints:file") + f"?terkirim={tracking}",
            reverse("complaints:mine"),
            reverse("complaints:mine_detail", args=[tracking]),
            reverse("complaints:photo", args=[photo.pk]),
        ],
        people.secretariat: staff_pages,
        people.officer: staff_pages,
        None: [
            reverse("complaints:public_list"),
            reverse("complaints:public_detail", args=[tracking]),
            reverse("complaints:photo_thumbnail", args=[photo.pk]),
        ],
    }

    for user, urls in pages.items():
        client.logout()
        if user is not None:
            client.force_login(user)
        for url in urls:
            assert writes_of(client, url) == [], (user, url)

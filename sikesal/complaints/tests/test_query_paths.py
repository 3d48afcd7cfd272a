"""What the complaint lists ask the database for: nothing that grows with the size of a
region's outline rides along with a listed complaint."""

import pytest
from django.db import connection, models
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sikesal.agencies.models import Region
from sikesal.complaints.tests.test_query_counts import handled, in_review

pytestmark = pytest.mark.django_db

LISTS = [
    ("staff", reverse("staff:queue")),
    ("staff", reverse("staff:queue") + "?overdue=1"),
    ("staff", reverse("staff:queue_export")),
    ("officer", reverse("staff:queue")),
    ("officer", reverse("staff:queue_export")),
    ("staff", reverse("api:staff_queue")),
    (None, reverse("complaints:public_list")),
    (None, reverse("agencies:detail", args=["dpupr"])),
    (None, reverse("api:public_complaints")),
    (None, reverse("open311:requests", kwargs={"format": "json"})),
]


def test_a_region_row_holds_only_short_columns():
    """Every complaint list joins its kelurahan and kecamatan: a long column on Region (the
    GeoJSON outline, kilobytes a row) would be read again for every complaint listed."""
    long = [
        field.name
        for field in Region._meta.concrete_fields
        if isinstance(field, models.JSONField | models.TextField | models.BinaryField)
    ]

    assert long == []


@pytest.mark.parametrize(("who", "url"), LISTS)
def test_no_list_reads_a_region_outline(client, people, who, url):
    handled(people)
    in_review(people)
    if who:
        client.force_login(people.secretariat if who == "staff" else people.officer)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)

    assert response.status_code == 200
    assert not [q["sql"] for q in captured if "boundary" in q["sql"].lower()]

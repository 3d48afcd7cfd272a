"""Query-count baselines of the complaint pages: every list, detail and export page runs
the same number of queries for two complaints as for twelve (with their assignments,
events and photos), and no more than today's count plus a little headroom.

A page whose count grows with the data is marked xfail(strict=True) with the reason, so
that the fix turns the mark into a failure that asks for its removal.
"""

import pytest
from django.urls import reverse

from sikesal.complaints.models import Complaint
from sikesal.complaints.tests.conftest import People, file_complaint, stored_photo
from sikesal.complaints.workflow import Route, transition
from sikesal.core.tests.query_counts import assert_flat, queries

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 12


def handled(people: People, *, updates: int = 1) -> Complaint:
    """A public complaint filed with a photo, routed to PUPR (leading) and DLH, accepted by
    PUPR, given `updates` public progress updates with a photo each, and answered."""
    complaint = file_complaint(people, photos=[stored_photo(people.reporter)])
    transition(complaint, "review", actor=people.secretariat)
    transition(
        complaint,
        "route",
        actor=people.secretariat,
        routes=[Route(people.pupr, True), Route(people.dlh, False)],
    )
    assignment = complaint.assignments.get(agency=people.pupr)
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    for number in range(updates):
        transition(
            complaint,
            "update",
            actor=people.officer,
            assignment=assignment,
            note=f"Tahap {number + 1} selesai.",
            photos=[stored_photo(people.officer, colour="blue")],
        )
    transition(
        complaint, "respond", actor=people.officer, assignment=assignment, note="Sudah ditambal."
    )
    return complaint


def in_review(people: People) -> Complaint:
    """A complaint the Secretariat has opened, with a photo and a note."""
    complaint = file_complaint(people, photos=[stored_photo(people.reporter)])
    transition(complaint, "review", actor=people.secretariat)
    transition(complaint, "note", actor=people.secretariat, note="Dicek ke lapangan.")
    return complaint


def more_complaints(people: People, count: int) -> None:
    """`count` complaints more, half handled and half waiting in review."""
    for index in range(count):
        if index % 2:
            in_review(people)
        else:
            handled(people, updates=2)


# --- the staff console ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "url", "ceiling"),
    [
        ("secretariat", reverse("staff:queue") + "?status=all", 13),
        ("officer", reverse("staff:queue"), 13),
        ("secretariat", reverse("staff:queue_export") + "?status=all", 10),
        ("officer", reverse("staff:queue_export"), 10),
    ],
    ids=["queue-secretariat", "queue-officer", "csv-secretariat", "csv-officer"],
)
def test_the_queue_and_its_csv(client, people, media_root, settings, who, url, ceiling):
    # Without a cache: the overdue count (cached for a minute) is counted on both requests.
    settings.CACHES = {
        **settings.CACHES,
        "default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    }
    more_complaints(people, FEW)
    client.force_login(getattr(people, who))

    assert_flat(client, url, lambda: more_complaints(people, MANY - FEW), ceiling)


@pytest.mark.parametrize(
    ("who", "ceiling"), [("secretariat", 12), ("officer", 12), ("dlh_officer", 12)]
)
def test_the_staff_complaint_page(client, people, media_root, who, ceiling):
    small = handled(people, updates=1)
    big = handled(people, updates=MANY)
    more_complaints(people, MANY)
    client.force_login(getattr(people, who))
    small_url = reverse("staff:complaint", args=[small.tracking_number])
    big_url = reverse("staff:complaint", args=[big.tracking_number])
    client.get(small_url)

    with_one_update = queries(client, small_url)
    with_twelve = queries(client, big_url)

    assert with_twelve == with_one_update
    assert with_twelve <= ceiling


# --- the citizen's and the public pages ---------------------------------------------------


def test_my_complaints(client, people, media_root):
    more_complaints(people, FEW)
    client.force_login(people.reporter)

    assert_flat(client, reverse("complaints:mine"), lambda: more_complaints(people, MANY - FEW), 9)


def test_my_complaint_page(client, people, media_root):
    small = handled(people, updates=1)
    big = handled(people, updates=MANY)
    client.force_login(people.reporter)
    small_url = reverse("complaints:mine_detail", args=[small.tracking_number])
    big_url = reverse("complaints:mine_detail", args=[big.tracking_number])
    client.get(small_url)

    with_one_update = queries(client, small_url)
    with_twelve = queries(client, big_url)

    assert with_twelve == with_one_update
    assert with_twelve <= 10


# The view's own queries, not the page cache's (sikesal/core/tests/test_page_cache.py).
@pytest.mark.usefixtures("page_cache_off")
def test_the_public_list(client, people, media_root):
    more_complaints(people, FEW)

    assert_flat(
        client, reverse("complaints:public_list"), lambda: more_complaints(people, MANY - FEW), 9
    )


# The view's own queries, not the page cache's (sikesal/core/tests/test_page_cache.py).
@pytest.mark.usefixtures("page_cache_off")
def test_a_public_complaint_page(client, people, media_root):
    small = handled(people, updates=1)
    big = handled(people, updates=MANY)
    small_url = reverse("complaints:public_detail", args=[small.tracking_number])
    big_url = reverse("complaints:public_detail", args=[big.tracking_number])
    client.get(small_url)

    with_one_update = queries(client, small_url)
    with_twelve = queries(client, big_url)

    assert with_twelve == with_one_update
    assert with_twelve <= 6

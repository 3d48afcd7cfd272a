"""What the complaint lists ask the database for: nothing that grows with the size of a
region's outline rides along with a listed complaint; the overdue count, cached, stays
right; the overdue condition, written for the indexes, means what it meant."""

from datetime import timedelta
from functools import reduce
from operator import or_

import pytest
from django.db import connection, models
from django.db.models import Exists, OuterRef
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sikesal.agencies.models import Region
from sikesal.complaints.deadlines import (
    COMPLAINT_CLOCKS,
    assignment_overdue,
    clock_overdue,
    complaint_overdue,
    local_today,
)
from sikesal.complaints.models import Assignment, Complaint
from sikesal.complaints.tests.conftest import file_complaint, routed
from sikesal.complaints.tests.test_query_counts import handled, in_review
from sikesal.complaints.workflow import transition

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


def overdue_total(client) -> int:
    return client.get(reverse("staff:queue")).context["overdue_total"]


def test_the_overdue_count_follows_every_transition(client, people):
    # given: two complaints filed three weeks ago, past their review
    old = timezone.now() - timedelta(days=21)
    first = file_complaint(people, at=old)
    second = file_complaint(people, at=old)
    client.force_login(people.secretariat)
    assert overdue_total(client) == 2

    # when: one waits for the citizen (its clocks stop), the other is routed late
    transition(first, "review", actor=people.secretariat)
    transition(first, "request_clarification", actor=people.secretariat, note="Di mana?")
    assert overdue_total(client) == 1
    routed(people, second, people.pupr)

    # then: the count is taken again each time, and agrees with the overdue filter
    filtered = client.get(reverse("staff:queue"), {"status": "open", "overdue": "1"})
    assert overdue_total(client) == len(filtered.context["rows"]) == 1
    client.force_login(people.officer)
    assert overdue_total(client) == 1  # the agency's: its first follow-up is due later
    transition(first, "answer_clarification", actor=people.reporter, note="Di depan bandara.")
    client.force_login(people.secretariat)
    assert overdue_total(client) == 2


def test_the_overdue_condition_means_what_it_says(people):
    """`complaint_overdue` is written for the indexes; it selects the complaints late by one
    of their own running clocks or through an agency late by `assignment_overdue`."""
    old = timezone.now() - timedelta(days=40)
    waiting = file_complaint(people, at=old)
    paused = file_complaint(people, at=old)
    transition(paused, "review", actor=people.secretariat)
    transition(paused, "request_clarification", actor=people.secretariat, note="Di mana?")
    with_agency = routed(people, file_complaint(people, at=old), people.pupr)
    answered = routed(people, file_complaint(people, at=old), people.dlh)
    assignment = answered.assignments.get()
    transition(answered, "accept", actor=people.dlh_officer, assignment=assignment)
    transition(
        answered, "respond", actor=people.dlh_officer, assignment=assignment, note="Selesai."
    )
    fresh = routed(people, file_complaint(people), people.pupr)

    for today in (
        local_today(),
        local_today() + timedelta(days=10),
        local_today() + timedelta(days=90),
    ):
        own = reduce(or_, (clock_overdue(clock, today) for clock in COMPLAINT_CLOCKS))
        late = Assignment.objects.filter(assignment_overdue(today), complaint=OuterRef("pk"))
        expected = set(Complaint.objects.filter(own | Exists(late)))
        assert set(Complaint.objects.filter(complaint_overdue(today))) == expected
        pupr_late = late.filter(agency=people.pupr)
        assert set(Complaint.objects.filter(complaint_overdue(today, agency=people.pupr))) == set(
            Complaint.objects.filter(own | Exists(pupr_late))
        )
    assert {waiting, with_agency} <= set(Complaint.objects.filter(complaint_overdue(local_today())))
    assert fresh not in set(Complaint.objects.filter(complaint_overdue(local_today())))

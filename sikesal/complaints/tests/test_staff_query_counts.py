"""What the staff console's pages cost in queries: an agency officer's complaint page no
more than the Secretariat's, whatever the agency's memberships."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sikesal.accounts.models import Membership, Role
from sikesal.complaints.tests.conftest import file_complaint
from sikesal.complaints.workflow import Route, transition

pytestmark = pytest.mark.django_db

# Session, user, roles, agency memberships, complaint, assignments, duplicates, events,
# their photos, unread notifications.
COMPLAINT_PAGE_QUERIES = 10


def worked_on(people):
    """Given: routed to Dinas PUPR (lead) and DLH, accepted and updated by PUPR, with an
    internal note from each side."""
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    transition(
        complaint,
        "route",
        actor=people.secretariat,
        routes=[Route(people.pupr, True), Route(people.dlh)],
    )
    assignment = complaint.assignments.get(agency=people.pupr)
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    transition(complaint, "update", actor=people.officer, assignment=assignment, note="Diukur.")
    transition(complaint, "note", actor=people.secretariat, note="Pantau.")
    transition(complaint, "note", actor=people.officer, assignment=assignment, note="Dicatat.")
    return complaint


def page_queries(client, user, url) -> int:
    client.force_login(user)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_an_officers_complaint_page_costs_no_more_than_the_secretariats(client, people):
    complaint = worked_on(people)
    url = reverse("staff:complaint", args=[complaint.tracking_number])

    secretariat = page_queries(client, people.secretariat, url)
    officer = page_queries(client, people.officer, url)
    head = page_queries(client, people.head, url)

    assert secretariat == COMPLAINT_PAGE_QUERIES
    assert officer <= secretariat
    assert head <= secretariat


def test_an_officer_of_two_agencies_reads_the_memberships_once(client, people):
    complaint = worked_on(people)
    Membership.objects.create(user=people.officer, agency=people.dlh, role=Role.AGENCY_OFFICER)
    url = reverse("staff:complaint", args=[complaint.tracking_number])
    client.force_login(people.officer)

    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)

    assert response.status_code == 200
    memberships = [q for q in captured if 'FROM "accounts_membership"' in q["sql"]]
    assert len(memberships) == 2  # the roles, then the agencies
    assert len(captured) <= COMPLAINT_PAGE_QUERIES

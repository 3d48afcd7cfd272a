"""An agency returns its assignment: every mix of one, two and three assignments.

Written out from docs/workflow.md, independently of workflow.py: with no agency left the
Secretariat must route again (in_review); when every agency left has answered, their
answers stand (responded, as after the last `respond`); otherwise the complaint follows the
agencies left. The citizen sees and is told every change of the state they see, never the
agency's reason; the Secretariat is always told.
"""

import itertools

import pytest
from django.urls import reverse
from django.utils import timezone

from sikesal.agencies.models import Agency
from sikesal.complaints.models import Assignment, AssignmentStatus, Complaint, Status, Visibility
from sikesal.complaints.tests.conftest import file_complaint
from sikesal.complaints.workflow import Route, transition
from sikesal.core.calendar import add_working_days, local_date
from sikesal.notifications.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db

A = AssignmentStatus
S = Status
REASON = "Saluran air di lokasi ini kewenangan Balai Wilayah Sungai, bukan kami."
# The returning assignment may be waiting or accepted; the others may be in any state.
RETURNING_STATES = (A.ROUTED, A.ACCEPTED)
OTHER_STATES = tuple(AssignmentStatus)
ACTIVE = (A.ROUTED, A.ACCEPTED, A.RESPONDED)

CASES = [
    (returning, others)
    for returning in RETURNING_STATES
    for count in (0, 1, 2)
    for others in itertools.product(OTHER_STATES, repeat=count)
]


def case_id(case) -> str:
    returning, others = case
    return f"{returning}+[{','.join(others)}]"


def status_before(returning: str, others: tuple[str, ...]) -> str:
    """What the complaint shows while the agencies are in these states."""
    active = [s for s in (returning, *others) if s in ACTIVE]
    return S.IN_PROGRESS if A.ACCEPTED in active or A.RESPONDED in active else S.ROUTED


def expected_status(others: tuple[str, ...]) -> str:
    left = [s for s in others if s in ACTIVE]
    if not left:
        return S.IN_REVIEW
    if all(s == A.RESPONDED for s in left):
        return S.RESPONDED
    return S.IN_PROGRESS if A.ACCEPTED in left or A.RESPONDED in left else S.ROUTED


def complaint_with(people, returning: str, others: tuple[str, ...]):
    """A routed complaint: PUPR's lead assignment in `returning`, others to DLH, Dinkes."""
    complaint = file_complaint(people)
    now = timezone.now()
    agencies = [people.dlh, Agency.objects.get(code="dinkes")]
    returning_assignment = Assignment.objects.create(
        complaint=complaint,
        agency=people.pupr,
        is_lead=True,
        status=returning,
        routed_at=now,
        routed_by=people.secretariat,
    )
    for agency, state in zip(agencies, others, strict=False):
        Assignment.objects.create(
            complaint=complaint,
            agency=agency,
            status=state,
            routed_at=now,
            routed_by=people.secretariat,
        )
    Complaint.objects.filter(pk=complaint.pk).update(
        status=status_before(returning, others), review_due=None
    )
    complaint.refresh_from_db()
    return complaint, returning_assignment


def reporter_notifications(people):
    """What the workflow told the reporter (the receipt of filing is another kind)."""
    return Notification.objects.filter(recipient=people.reporter, kind="complaint_reporter")


@pytest.mark.parametrize("case", CASES, ids=case_id)
def test_every_return(people, case):
    # Given a complaint with PUPR's assignment and the others in the states of this case
    returning, others = case
    complaint, assignment = complaint_with(people, returning, others)
    before = Complaint.objects.get(pk=complaint.pk)
    now = timezone.now()
    today = local_date(now)

    # When PUPR returns its assignment
    event = transition(
        complaint, "return", actor=people.officer, assignment=assignment, note=REASON, now=now
    )

    # Then the complaint is where the agencies left put it
    complaint.refresh_from_db()
    assignment.refresh_from_db()
    status = expected_status(others)
    changed = status != before.status
    assert (complaint.status, event.from_status, event.to_status) == (
        status,
        before.status,
        status,
    )
    assert assignment.status == A.RETURNED
    assert assignment.return_reason == REASON
    assert not assignment.is_lead

    # The clocks: review restarts when it is back with the Secretariat; rating starts and
    # decision stops when the answers stand; otherwise nothing moves.
    clocks = ("review_due", "response_due", "decision_due", "rating_due", "responded_at")
    expected_clocks = {name: getattr(before, name) for name in clocks}
    if status == S.IN_REVIEW:
        expected_clocks["review_due"] = add_working_days(today, 3)
    if status == S.RESPONDED:
        expected_clocks.update(
            decision_due=None, rating_due=add_working_days(today, 10), responded_at=now
        )
    assert {name: getattr(complaint, name) for name in clocks} == expected_clocks

    # The citizen sees the event, and is told, exactly when their state changed; the
    # agency's reason stays with the staff.
    if changed:
        assert event.visibility == Visibility.REPORTER
        assert REASON not in event.note
        assert event.data["reason"] == REASON
    else:
        assert event.visibility == Visibility.INTERNAL
        assert event.note == REASON
    told = list(reporter_notifications(people).values_list("kind", flat=True))
    assert told == (["complaint_reporter"] if changed else [])
    assert all(REASON not in n.body for n in reporter_notifications(people))
    emails = OutboxMessage.objects.filter(
        to=people.reporter.email, notification__kind="complaint_reporter"
    )
    assert emails.count() == (1 if changed else 0)
    # The Secretariat always hears of a return, with the reason.
    secretariat = Notification.objects.get(recipient=people.secretariat)
    assert REASON in secretariat.body


def test_every_return_case_is_generated():
    # Given the cases above: 2 returning states, times 1 + 5 + 25 mixes of the others
    assert len(CASES) == 2 * (1 + len(OTHER_STATES) + len(OTHER_STATES) ** 2)


def test_a_return_after_the_other_agency_responded_answers_the_citizen(client, people):
    # Given PUPR and DLH on one complaint: PUPR accepted and responded, DLH accepted
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    routes = [Route(people.pupr, is_lead=True), Route(people.dlh)]
    transition(complaint, "route", actor=people.secretariat, routes=routes)
    pupr = complaint.assignments.get(agency=people.pupr)
    dlh = complaint.assignments.get(agency=people.dlh)
    transition(complaint, "accept", actor=people.officer, assignment=pupr)
    transition(complaint, "respond", actor=people.officer, assignment=pupr, note="Sudah ditambal.")
    transition(complaint, "accept", actor=people.dlh_officer, assignment=dlh)
    assert complaint.status == S.IN_PROGRESS
    told_before = reporter_notifications(people).count()

    # When DLH returns its assignment through the staff console
    client.force_login(people.dlh_officer)
    response = client.post(
        reverse("staff:act", args=[complaint.tracking_number, "return"]),
        {"return-note": REASON},
    )

    # Then PUPR's answer stands: responded, and the citizen may rate it
    assert response.status_code == 302
    complaint.refresh_from_db()
    dlh.refresh_from_db()
    assert (complaint.status, dlh.status) == (S.RESPONDED, A.RETURNED)
    assert complaint.rating_due is not None
    assert reporter_notifications(people).count() == told_before + 1

    # The citizen's page shows the change, not DLH's reason; the staff page shows the reason
    client.force_login(people.reporter)
    page = client.get(reverse("complaints:mine_detail", args=[complaint.tracking_number]))
    text = page.content.decode()
    assert "OPD mengembalikan pengaduan ke Sekretariat" in text
    assert "Pengaduan Anda sudah ditanggapi. Silakan beri penilaian." in text
    assert REASON not in text
    client.force_login(people.secretariat)
    staff_page = client.get(reverse("staff:complaint", args=[complaint.tracking_number]))
    assert REASON in staff_page.content.decode()

"""Every (state, action, role): allowed exactly as the table of DESIGN.md and the issue say.

The expected table below is written out by hand from the specification, independently of
workflow.TRANSITIONS: an allowed combination writes exactly one event; any other is refused
with InvalidTransition and changes nothing.
"""

import itertools

import pytest
from django.db import transaction

from sikesal.complaints.models import Complaint, ComplaintEvent, Status
from sikesal.complaints.tests.conftest import complaint_in_state
from sikesal.complaints.workflow import TRANSITIONS, InvalidTransition, Route, transition

pytestmark = pytest.mark.django_db

S = Status
ROLES = (
    "reporter",
    "other_citizen",
    "secretariat",
    "officer",
    "head",
    "dlh_officer",
    "executive",
    "administrator",
    "system",
)
BEFORE_ROUTING = (S.SUBMITTED, S.IN_REVIEW, S.NEEDS_CLARIFICATION)
WITH_ACTIVE_ASSIGNMENT = (S.ROUTED, S.IN_PROGRESS, S.RESPONDED, S.CLOSED)
AGENCY = ("officer", "head")

EXPECTED: set[tuple[str, str, str]] = {
    # The system reviews and routes a complaint taken at an agency's own counter.
    *{(S.SUBMITTED, "review", r) for r in ("secretariat", "system")},
    (S.IN_REVIEW, "request_clarification", "secretariat"),
    (S.NEEDS_CLARIFICATION, "answer_clarification", "reporter"),
    *{(s, "decline", r) for s in BEFORE_ROUTING for r in ("secretariat", "system")},
    *{(S.IN_REVIEW, "route", r) for r in ("secretariat", "system")},
    *{(s, "change_category", "secretariat") for s in BEFORE_ROUTING},
    *{(s, "note", "secretariat") for s in Status if s != S.ARCHIVED},
    *{(s, "note", r) for s in WITH_ACTIVE_ASSIGNMENT for r in AGENCY},
    *{(s, "comment", "system") for s in Status if s != S.ARCHIVED},
    *{(S.ROUTED, "accept", r) for r in AGENCY},
    *{(S.IN_PROGRESS, "update", r) for r in AGENCY},
    *{(s, "return", r) for s in (S.ROUTED, S.IN_PROGRESS) for r in AGENCY},
    *{(S.IN_PROGRESS, "respond", r) for r in AGENCY},
    (S.RESPONDED, "rate", "reporter"),
    (S.RESPONDED, "object", "reporter"),
    (S.RESPONDED, "close", "system"),
    *{(s, "archive", "system") for s in (S.CLOSED, S.DECLINED)},
}

EXPECTED_TARGET = {
    "review": S.IN_REVIEW,
    "request_clarification": S.NEEDS_CLARIFICATION,
    "answer_clarification": S.IN_REVIEW,
    "decline": S.DECLINED,
    "route": S.ROUTED,
    "accept": S.IN_PROGRESS,
    "return": S.IN_REVIEW,  # the only assignment went back
    "respond": S.RESPONDED,  # the only assignment answered
    "rate": S.CLOSED,
    "object": S.IN_PROGRESS,
    "close": S.CLOSED,
    "archive": S.ARCHIVED,
}


def payload_for(action: str, role: str, people) -> dict:
    return {
        "request_clarification": {"note": "Di sebelah mana tepatnya?"},
        "answer_clarification": {"note": "Di depan gerbang bandara."},
        "decline": {"reason": "spam" if role != "system" else "incomplete", "note": "Iklan."},
        "route": {"routes": [Route(agency=people.pupr, is_lead=True)]},
        "change_category": {"category": people.waste},
        "note": {"note": "Catatan internal."},
        "comment": {"note": "Warga: masih berlubang.", "channel": "open311:fms", "via": "FMS"},
        "update": {"note": "Tim sudah meninjau lokasi."},
        "return": {"note": "Bukan kewenangan kami."},
        "respond": {"note": "Lubang sudah ditambal."},
        "rate": {"rating": 4},
        "object": {"note": "Tambalan sudah rusak lagi."},
    }.get(action, {})


def test_the_expected_table_names_only_real_actions():
    assert {action for _state, action, _role in EXPECTED} == set(TRANSITIONS)


class _Rollback(Exception):
    pass


def check_combination(people, status, action, role) -> str | None:
    """Try one (state, action, role) on a fresh complaint; return what went wrong, if anything."""
    complaint, assignment = complaint_in_state(people, status)
    actor = None if role == "system" else getattr(people, role)
    # Agency staff always act through the complaint's assignment; anyone else passes one
    # only to actions that work on an assignment.
    agency_staff = role in ("officer", "head", "dlh_officer")
    if not agency_staff and TRANSITIONS[action].assignment_states is None:
        assignment = None
    before_events = ComplaintEvent.objects.filter(complaint=complaint).count()
    before = Complaint.objects.values().get(pk=complaint.pk)
    payload = payload_for(action, role, people)

    if (status, action, role) in EXPECTED:
        event = transition(complaint, action, actor=actor, assignment=assignment, **payload)
        events = ComplaintEvent.objects.filter(complaint=complaint).count() - before_events
        complaint.refresh_from_db()
        expected_status = EXPECTED_TARGET.get(action, status)
        if events != 1 or event.action != action or event.from_status != status:
            return f"wrote {events} events"
        if complaint.status != expected_status or event.to_status != expected_status:
            return f"went to {complaint.status}, expected {expected_status}"
        return None
    try:
        transition(complaint, action, actor=actor, assignment=assignment, **payload)
    except InvalidTransition:
        pass
    else:
        return "was allowed"
    if ComplaintEvent.objects.filter(complaint=complaint).count() != before_events:
        return "refused but wrote an event"
    if Complaint.objects.values().get(pk=complaint.pk) != before:
        return "refused but changed the complaint"
    return None


@pytest.mark.parametrize("status", list(Status))
def test_transition_matrix(people, status):
    """One test per state; each (action, role) runs in its own savepoint, rolled back."""
    problems = []
    for action, role in itertools.product(TRANSITIONS, ROLES):
        try:
            with transaction.atomic():
                problem = check_combination(people, status, action, role)
                raise _Rollback
        except _Rollback:
            pass
        if problem:
            problems.append(f"{status} / {action} / {role}: {problem}")
    assert problems == []

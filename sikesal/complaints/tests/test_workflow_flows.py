"""The life of a complaint through the workflow: deadlines, routing, registers, objections."""

from datetime import date, datetime

import pytest
from django.core.exceptions import ValidationError

from sikesal.complaints.models import Assignment, AssignmentStatus, Complaint, Status
from sikesal.complaints.tests.conftest import JAKARTA, file_complaint
from sikesal.complaints.workflow import InvalidTransition, Route, transition
from sikesal.core.holidays_seed import seed_holidays

pytestmark = pytest.mark.django_db


def route_to(people, complaint, *agencies, lead=None):
    transition(complaint, "review", actor=people.secretariat)
    lead = lead or agencies[0]
    return transition(
        complaint,
        "route",
        actor=people.secretariat,
        routes=[
            Route(agency=a, is_lead=a == lead, instructions="Segera ditinjau.") for a in agencies
        ],
    )


def test_due_dates_of_a_complaint_filed_on_17_march_2026_skip_nyepi_and_idul_fitri(people):
    seed_holidays([2026])
    complaint = file_complaint(people, at=datetime(2026, 3, 17, 9, 0, tzinfo=JAKARTA))

    # 18 cuti, 19 Nyepi, 20 cuti, 21-22 Idul Fitri (weekend), 23-24 cuti bersama.
    assert complaint.review_due == date(2026, 3, 27)
    assert complaint.response_due == date(2026, 3, 31)
    assert complaint.decision_due == date(2026, 5, 16)


def test_without_cuti_bersama_as_days_off_review_is_due_on_23_march(people, settings):
    settings.SIKESAL_CUTI_BERSAMA_IS_DAY_OFF = False
    seed_holidays([2026])
    complaint = file_complaint(people, at=datetime(2026, 3, 17, 9, 0, tzinfo=JAKARTA))
    assert complaint.review_due == date(2026, 3, 23)


def test_clarification_stops_the_clocks_and_the_answer_moves_them_on(people):
    complaint = file_complaint(people, at=datetime(2026, 6, 1, 9, 0, tzinfo=JAKARTA))  # Monday
    assert complaint.review_due == date(2026, 6, 4)
    transition(complaint, "review", actor=people.secretariat)
    transition(
        complaint,
        "request_clarification",
        actor=people.secretariat,
        note="Nomor rumah terdekat?",
        now=datetime(2026, 6, 2, 10, 0, tzinfo=JAKARTA),
    )
    assert complaint.status == Status.NEEDS_CLARIFICATION
    assert complaint.paused_on == date(2026, 6, 2)
    assert complaint.clarification_due == date(2026, 7, 2)

    transition(
        complaint,
        "answer_clarification",
        actor=people.reporter,
        note="Depan rumah nomor 12.",
        now=datetime(2026, 6, 9, 10, 0, tzinfo=JAKARTA),  # 7 calendar, 5 working days later
    )
    assert complaint.status == Status.IN_REVIEW
    assert complaint.paused_on is None
    assert complaint.review_due == date(2026, 6, 11)
    assert complaint.decision_due == date(2026, 8, 7)


def test_one_agency_from_routing_to_close(people):
    complaint = file_complaint(people)
    route_to(people, complaint, people.pupr)
    assignment = complaint.assignments.get()
    assert complaint.status == Status.ROUTED
    assert complaint.review_due is None

    event = transition(complaint, "accept", actor=people.officer, assignment=assignment)
    assignment.refresh_from_db()
    year = assignment.received_at.astimezone(JAKARTA).year
    assert assignment.register_number == f"DPUPR/{year}/0001"
    assert assignment.received_by == people.officer
    assert event.data["register_number"] == assignment.register_number
    assert complaint.status == Status.IN_PROGRESS

    transition(
        complaint, "update", actor=people.officer, assignment=assignment, note="Tim meninjau."
    )
    transition(complaint, "respond", actor=people.head, assignment=assignment, note="Ditambal.")
    assert complaint.status == Status.RESPONDED
    assert complaint.rating_due is not None

    transition(complaint, "rate", actor=people.reporter, rating=5, note="Cepat sekali.")
    assert complaint.status == Status.CLOSED
    assert complaint.rating == 5
    assert list(complaint.events.values_list("action", flat=True)) == [
        "submit",
        "review",
        "route",
        "accept",
        "update",
        "respond",
        "rate",
    ]


def test_two_agencies_respond_only_when_both_answered(people):
    complaint = file_complaint(people)
    route_to(people, complaint, people.pupr, people.dlh)
    pupr = complaint.assignments.get(agency=people.pupr)
    dlh = complaint.assignments.get(agency=people.dlh)
    assert pupr.is_lead and not dlh.is_lead

    transition(complaint, "accept", actor=people.officer, assignment=pupr)
    transition(complaint, "accept", actor=people.dlh_officer, assignment=dlh)
    transition(complaint, "respond", actor=people.officer, assignment=pupr, note="Jalan beres.")
    assert complaint.status == Status.IN_PROGRESS

    transition(
        complaint, "respond", actor=people.dlh_officer, assignment=dlh, note="Sampah diangkut."
    )
    assert complaint.status == Status.RESPONDED


def test_an_officer_cannot_act_on_another_agencys_assignment(people):
    complaint = file_complaint(people)
    route_to(people, complaint, people.pupr)
    assignment = complaint.assignments.get()
    with pytest.raises(InvalidTransition):
        transition(complaint, "accept", actor=people.dlh_officer, assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ROUTED
    assert assignment.register_number == ""


def test_returning_the_only_assignment_puts_the_complaint_back_in_review(people):
    complaint = file_complaint(people)
    route_to(people, complaint, people.pupr)
    assignment = complaint.assignments.get()
    transition(complaint, "return", actor=people.officer, assignment=assignment, note="Salah OPD.")
    assert complaint.status == Status.IN_REVIEW
    assert complaint.review_due is not None
    # The Secretariat routes it again, to the right agency.
    transition(complaint, "route", actor=people.secretariat, routes=[Route(people.dlh, True)])
    assert complaint.status == Status.ROUTED
    assert (
        Assignment.objects.filter(complaint=complaint, status="routed").get().agency == people.dlh
    )


def test_objection_sends_it_back_at_most_twice(people):
    complaint = file_complaint(people)
    route_to(people, complaint, people.pupr)
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    for round_ in (1, 2):
        transition(complaint, "respond", actor=people.officer, assignment=assignment, note="Beres.")
        transition(complaint, "object", actor=people.reporter, note="Belum beres.")
        assert complaint.status == Status.IN_PROGRESS
        assert complaint.objection_count == round_
    transition(complaint, "respond", actor=people.officer, assignment=assignment, note="Beres.")
    with pytest.raises(ValidationError):
        transition(complaint, "object", actor=people.reporter, note="Masih belum.")
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED
    assert complaint.objection_count == 2


def test_duplicate_decline_needs_the_original(people):
    original = file_complaint(people)
    duplicate = file_complaint(people, reporter=people.other_citizen)
    with pytest.raises(ValidationError) as error:
        transition(duplicate, "decline", actor=people.secretariat, reason="duplicate", note="Sama.")
    assert "duplicate_of" in error.value.message_dict
    transition(
        duplicate,
        "decline",
        actor=people.secretariat,
        reason="duplicate",
        duplicate_of=original,
        note="Sudah dilaporkan.",
    )
    assert duplicate.duplicate_of == original
    assert duplicate.status == Status.DECLINED


def test_out_of_scope_decline_says_where_to_go(people):
    complaint = file_complaint(people)
    transition(
        complaint,
        "decline",
        actor=people.secretariat,
        reason="out_of_scope",
        referral="pln",
        note="Listrik padam diurus PLN.",
    )
    assert complaint.referral == "pln"
    assert complaint.get_referral_display().startswith("PLN")


def test_sensitive_category_is_always_confidential(people):
    from sikesal.agencies.models import Category

    complaint = file_complaint(
        people, category=Category.objects.get(code="kekerasan-perempuan-anak")
    )
    assert complaint.is_confidential


def test_a_point_outside_kota_jambi_is_refused(people):
    from sikesal.complaints.services import Location

    with pytest.raises(ValidationError) as error:
        file_complaint(people, location=Location(latitude=-6.2, longitude=106.8, kelurahan=None))
    assert "luar Kota Jambi" in str(error.value.message_dict["latitude"])
    assert not Complaint.objects.exists()


def test_an_unverified_citizen_cannot_submit(people):
    people.reporter.email_verified_at = None
    people.reporter.save()
    with pytest.raises(ValidationError):
        file_complaint(people)
    assert not Complaint.objects.exists()

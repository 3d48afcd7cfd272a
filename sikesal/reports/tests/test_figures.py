"""The monitoring and report figures (reports/figures.py) on a small data set known by heart.

February-March 2026, as of 1 April 2026, with the 2026 holiday table: Nyepi (19 March) and
Idul Fitri with its cuti bersama (18-24 March) are days off.
"""

from datetime import date, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from sikesal.agencies.models import Agency, Region
from sikesal.complaints.models import Assignment, AssignmentStatus, Complaint, Status
from sikesal.complaints.tests.conftest import JAKARTA, file_complaint
from sikesal.complaints.workflow import Route, transition
from sikesal.core.holidays_seed import seed_holidays
from sikesal.reports.figures import ReportFilter, overdue_list, report_figures

pytestmark = pytest.mark.django_db

FEB_MAR = ReportFilter(date(2026, 2, 1), date(2026, 3, 31))
TODAY = date(2026, 4, 1)


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=JAKARTA)


@pytest.fixture
def holidays_2026(db, settings) -> None:
    settings.SIKESAL_CUTI_BERSAMA_IS_DAY_OFF = True
    seed_holidays([2026])


@pytest.fixture
def paal_merah(reference_data) -> Region:
    """The kelurahan of every located complaint here (the airport point)."""
    return Region.objects.get(level="kelurahan", name="Paal Merah")


def routed(people, agency, *, at: datetime, **fields):
    """Filed, reviewed, routed to `agency` and accepted, all at `at`."""
    complaint = file_complaint(people, at=at, **fields)
    transition(complaint, "review", actor=people.secretariat, now=at)
    transition(complaint, "route", actor=people.secretariat, routes=[Route(agency, True)], now=at)
    assignment = complaint.assignments.get()
    officer = people.officer if agency == people.pupr else people.dlh_officer
    transition(complaint, "accept", actor=officer, assignment=assignment, now=at)
    return complaint, assignment, officer


@pytest.fixture
def cases(people, holidays_2026):
    """Six complaints in February-March and one just after (1 April, 00:30 WIB)."""
    # A: Tuesday 17 March; answered Wednesday 25 March, across Nyepi and Idul Fitri
    # (18-24 March off): one working day. Rated 5.
    a, a_assignment, officer = routed(people, people.pupr, at=at(3, 17))
    transition(
        a, "respond", actor=officer, assignment=a_assignment, note="Ditambal.", now=at(3, 25)
    )
    transition(a, "rate", actor=people.reporter, rating=5, now=at(3, 26))
    # B: Monday 2 March, to DLH; a public follow-up on 4 March (2 working days), answered
    # on 16 March (10 working days). Rated 3.
    b, b_assignment, dlh = routed(people, people.dlh, at=at(3, 2), category=people.waste)
    transition(b, "update", actor=dlh, assignment=b_assignment, note="Dijadwalkan.", now=at(3, 4))
    transition(b, "respond", actor=dlh, assignment=b_assignment, note="Diangkut.", now=at(3, 16))
    transition(b, "rate", actor=people.reporter, rating=3, now=at(3, 17))
    # C: Monday 2 March, to PUPR, accepted and then nothing: late with its follow-up (due
    # 9 March) and with the first response (due 16 March).
    routed(people, people.pupr, at=at(3, 2))
    # D: Wednesday 4 March, declined as spam the next day.
    d = file_complaint(people, at=at(3, 4))
    transition(d, "review", actor=people.secretariat, now=at(3, 4))
    transition(d, "decline", actor=people.secretariat, reason="spam", note="Iklan.", now=at(3, 5))
    # F: Friday 27 February, waste, no location; G: Sunday 1 February 00:10 WIB (still
    # 31 January in UTC). Both untouched: past their review deadline.
    f = file_complaint(people, at=at(2, 27), category=people.waste)
    Complaint.objects.filter(pk=f.pk).update(kelurahan=None, kecamatan=None)
    file_complaint(people, at=at(2, 1, 0, 10))
    # Outside the period: 1 April 00:30 WIB is 31 March in UTC.
    file_complaint(people, at=at(4, 1, 0, 30))
    return {"a": a, "b": b, "d": d}


def test_volumes_count_each_complaint_of_the_period_once(people, cases):
    figures = report_figures(FEB_MAR, today=TODAY)

    assert figures.total == 6
    assert {t.key: t.count for t in figures.by_status if t.count} == {
        "submitted": 2,
        "in_progress": 1,
        "declined": 1,
        "closed": 2,
    }
    assert [t.key for t in figures.by_status] == list(Status.values)
    assert {t.key: t.count for t in figures.by_report_type} == {
        "pengaduan": 6,
        "aspirasi": 0,
        "informasi": 0,
    }
    assert {t.key: t.count for t in figures.by_channel if t.count} == {"web": 6}
    assert figures.responded == 2
    assert figures.declined == 1
    assert {t.key: t.count for t in figures.declines if t.count} == {"spam": 1}
    assert figures.declines[3].label == "Spam"
    assert figures.overdue == 3  # C, F and G


def test_medians_count_working_days_across_the_holidays(people, cases):
    figures = report_figures(FEB_MAR, today=TODAY)

    # First responses: A 1 (17 → 25 March), B 2 (2 → 4 March), D 1 (4 → 5 March).
    first = figures.median_working_days_to_first_response
    assert (first.value, first.base, first.sufficient) == (1.0, 3, False)
    # Answers: A 1, B 10.
    answered = figures.median_working_days_to_response
    assert (answered.value, answered.base) == (5.5, 2)
    # Follow-ups: A and B in time, C late and still without one.
    share = figures.share_within_deadline
    assert (share.value, share.base) == (pytest.approx(2 / 3), 3)
    assert (figures.average_rating.value, figures.average_rating.base) == (4.0, 2)
    assert {t.key: t.count for t in figures.ratings} == {"1": 0, "2": 0, "3": 1, "4": 0, "5": 1}


def test_breakdowns_by_category_place_and_month(people, cases, paal_merah):
    figures = report_figures(FEB_MAR, today=TODAY)

    kecamatan = paal_merah.parent.name
    assert [(r.label, r.submitted, r.responded) for r in figures.by_category] == [
        (people.road.name, 4, 1),
        (people.waste.name, 2, 1),
    ]
    assert figures.top_categories == figures.by_category
    assert [(r.label, r.submitted, r.responded) for r in figures.by_kecamatan] == [
        (kecamatan, 5, 2),
        ("—", 1, 0),
    ]
    assert [(r.label, r.submitted) for r in figures.top_kelurahan] == [("Paal Merah", 5)]
    assert [(m.month, m.submitted, m.responded) for m in figures.months] == [
        (date(2026, 2, 1), 2, 0),
        (date(2026, 3, 1), 4, 2),
    ]


def test_each_agency_gets_its_own_row(people, cases):
    figures = report_figures(FEB_MAR, today=TODAY)

    pupr, dlh = figures.agencies
    assert (pupr.code, pupr.received.value, pupr.responded.value, pupr.overdue) == (
        "dpupr",
        2,
        1,
        1,
    )
    assert pupr.median_working_days_to_first_response.value == 1.0
    assert pupr.median_working_days_to_response.value == 1.0
    assert (pupr.share_within_deadline.value, pupr.share_within_deadline.base) == (0.5, 2)
    assert (pupr.average_rating.value, pupr.average_rating.base) == (5.0, 1)
    assert (dlh.code, dlh.received.value, dlh.responded.value, dlh.overdue) == ("dlh", 1, 1, 0)
    assert dlh.median_working_days_to_first_response.value == 2.0
    assert dlh.median_working_days_to_response.value == 10.0
    assert dlh.share_within_deadline.value == 1.0
    assert dlh.average_rating.value == 3.0
    assert not any(
        figure.sufficient
        for row in figures.agencies
        for figure in (row.share_within_deadline, row.average_rating)
    )


def test_the_filters_narrow_every_figure(people, cases, paal_merah):
    by_agency = report_figures(
        ReportFilter(FEB_MAR.start, FEB_MAR.end, agency=people.dlh), today=TODAY
    )
    assert by_agency.total == 1
    assert [row.code for row in by_agency.agencies] == ["dlh"]

    assert (
        report_figures(
            ReportFilter(FEB_MAR.start, FEB_MAR.end, category=people.waste), today=TODAY
        ).total
        == 2
    )
    assert (
        report_figures(
            ReportFilter(FEB_MAR.start, FEB_MAR.end, kecamatan=paal_merah.parent),
            today=TODAY,
        ).total
        == 5
    )
    assert (
        report_figures(
            ReportFilter(FEB_MAR.start, FEB_MAR.end, status=Status.SUBMITTED), today=TODAY
        ).total
        == 2
    )
    march_only = report_figures(ReportFilter(date(2026, 3, 1), date(2026, 3, 31)), today=TODAY)
    assert march_only.total == 4
    assert report_figures(ReportFilter(date(2026, 4, 1), date(2026, 4, 1)), today=TODAY).total == 1


def test_a_period_that_ends_before_it_starts_is_refused():
    with pytest.raises(ValueError):
        ReportFilter(date(2026, 3, 2), date(2026, 3, 1))


def test_the_overdue_list_shows_the_earliest_passed_deadline(people, cases):
    total, rows = overdue_list(FEB_MAR, today=TODAY)

    assert total == 3
    # G: review due Wednesday 4 February; F: review due Wednesday 4 March; C: follow-up
    # due Monday 9 March (PUPR).
    assert [(row.clock.due, row.clock.agency) for row in rows] == [
        (date(2026, 2, 4), ""),
        (date(2026, 3, 4), ""),
        (date(2026, 3, 9), people.pupr.short_name),
    ]
    assert rows[2].agencies == [people.pupr.short_name]
    # 9 March → 1 April: 17 weekdays, less Nyepi and four days of Idul Fitri leave.
    assert rows[2].working_days_late == 12


def _build(people, count: int, agencies: list[Agency]) -> None:
    for index in range(count):
        complaint = file_complaint(people, at=at(3, 2) + timedelta(hours=index))
        agency = agencies[index % len(agencies)]
        Assignment.objects.create(
            complaint=complaint,
            agency=agency,
            is_lead=True,
            status=AssignmentStatus.RESPONDED,
            routed_at=at(3, 3),
            routed_by=people.secretariat,
            followup_due=date(2026, 3, 10),
            first_followup_at=at(3, 4),
            responded_at=at(3, 5) + timedelta(days=index % 4),
        )
        Complaint.objects.filter(pk=complaint.pk).update(
            rating=1 + index % 5,
            first_response_at=at(3, 4),
            responded_at=at(3, 5) + timedelta(days=index % 4),
            status=Status.CLOSED,
        )


def test_the_number_of_queries_does_not_grow_with_the_complaints(people, holidays_2026):
    agencies = list(Agency.objects.order_by("pk")[:10])
    _build(people, 3, agencies[:3])
    with CaptureQueriesContext(connection) as few:
        report_figures(FEB_MAR, today=TODAY)
        overdue_list(FEB_MAR, today=TODAY)

    _build(people, 27, agencies)
    with CaptureQueriesContext(connection) as many:
        figures = report_figures(FEB_MAR, today=TODAY)
        overdue_list(FEB_MAR, today=TODAY)

    assert figures.total == 30
    assert len(figures.agencies) == 10
    assert len(many.captured_queries) == len(few.captured_queries)


def test_ten_cases_make_an_agency_figure_sufficient(people, holidays_2026):
    _build(people, 9, [people.pupr])
    (row,) = report_figures(FEB_MAR, today=TODAY).agencies
    assert not row.share_within_deadline.sufficient
    assert not row.median_working_days_to_response.sufficient

    _build(people, 1, [people.pupr])
    (row,) = report_figures(FEB_MAR, today=TODAY).agencies
    assert row.share_within_deadline.sufficient
    assert (row.share_within_deadline.value, row.share_within_deadline.base) == (1.0, 10)
    assert row.median_working_days_to_response.sufficient

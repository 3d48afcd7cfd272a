"""Agency handling figures (complaints/stats.py) and their place on /opd/<code>/."""

import itertools
from datetime import date, datetime, timedelta

import pytest

from sikesal.complaints.models import Assignment, AssignmentStatus, Complaint
from sikesal.complaints.stats import MIN_BASE, agency_figures
from sikesal.complaints.tests.conftest import JAKARTA, file_complaint
from sikesal.core.calendar import working_days_between, working_days_between_many
from sikesal.core.holidays_seed import seed_holidays
from sikesal.core.models import Holiday

pytestmark = pytest.mark.django_db

ROUTED = datetime(2026, 8, 3, 9, 0, tzinfo=JAKARTA)  # a Monday
FOLLOWUP_DUE = date(2026, 8, 10)  # five working days later
TODAY = date(2026, 9, 1)
NOT_ENOUGH = "Belum cukup data (minimal 10 pengaduan)"


def at(day: int, hour: int = 10, minute: int = 0) -> datetime:
    return datetime(2026, 8, day, hour, minute, tzinfo=JAKARTA)


# (first follow-up, answer, rating, working days from routing): ten cases, known by heart.
# 17 August (Independence Day) is a Monday off; 8 August is a Saturday.
CASES = [
    (at(3, 15), at(3, 15), 5, 0),
    (None, at(4), 4, 1),  # only the answer: it is the first response
    (at(5, 0, 30), at(6), 4, 2),  # 00:30 WIB is still 4 August in UTC
    (at(5, 14), at(7), 3, 2),
    (at(7), None, 5, 4),  # followed up, never answered
    (at(10, 8), at(10, 8), 2, 5),
    (at(10, 16), at(11), 4, 5),  # on the due date: in time
    (at(12), None, 5, 7),
    (at(18), at(19), 3, 10),  # past the holiday
    (at(20), None, 4, 12),
]


@pytest.fixture
def independence_day(db) -> None:
    Holiday.objects.create(date=date(2026, 8, 17), name="Hari Kemerdekaan")


def build(people, cases, *, agency=None, status=None, routed=ROUTED, due=None):
    """One complaint with one assignment per case, written directly: stats only read."""
    assignments = []
    for first_followup, answered, rating, _days in cases:
        complaint = file_complaint(people, at=routed - timedelta(days=1))
        assignments.append(
            Assignment.objects.create(
                complaint=complaint,
                agency=agency or people.pupr,
                is_lead=True,
                status=status
                or (AssignmentStatus.RESPONDED if answered else AssignmentStatus.ACCEPTED),
                routed_at=routed,
                routed_by=people.secretariat,
                followup_due=due or FOLLOWUP_DUE,
                first_followup_at=first_followup,
                responded_at=answered,
            )
        )
        Complaint.objects.filter(pk=complaint.pk).update(rating=rating)
    return assignments


def test_below_ten_cases_every_figure_is_insufficient(people, independence_day):
    build(people, CASES[:9])

    figures = agency_figures(people.pupr, today=TODAY)

    assert figures.received.value == 9
    assert figures.received.base == 9
    for figure in vars(figures).values():
        assert not figure.sufficient


def test_the_tenth_case_makes_every_figure_sufficient_with_exact_values(people, independence_day):
    build(people, CASES)

    figures = agency_figures(people.pupr, today=TODAY)

    assert [figure.sufficient for figure in vars(figures).values()] == [True] * 5
    assert (figures.received.value, figures.received.base) == (10, 10)
    assert (figures.responded.value, figures.responded.base) == (7, 10)
    # 0, 1, 2, 2, 4, 5, 5, 7, 10, 12
    assert figures.median_working_days_to_first_response.value == 4.5
    assert figures.median_working_days_to_first_response.base == 10
    assert (figures.share_within_deadline.value, figures.share_within_deadline.base) == (0.7, 10)
    assert figures.average_rating.value == pytest.approx(3.9)
    assert figures.average_rating.base == 10
    assert MIN_BASE == 10


def test_each_case_counts_the_working_days_of_the_calendar(people, independence_day):
    spans = [(ROUTED.date(), (c[0] or c[1]).astimezone(JAKARTA).date()) for c in CASES]
    expected = [c[3] for c in CASES]

    assert working_days_between_many(spans) == expected
    assert [working_days_between(a, b) for a, b in spans] == expected


def test_bulk_working_days_match_the_calendar_over_a_year_of_real_holidays(db):
    seed_holidays([2026])
    days = [date(2026, 1, 1) + timedelta(days=n) for n in range(0, 365, 11)]
    spans = list(itertools.product(days[::3], days))  # forwards, backwards and same day

    assert working_days_between_many(spans) == [working_days_between(a, b) for a, b in spans]
    assert working_days_between_many([]) == []


def test_returned_assignments_and_other_agencies_do_not_count(people, independence_day):
    build(people, CASES[:9])
    build(people, [(at(3), None, 1, 0)], status=AssignmentStatus.RETURNED)
    build(people, [(at(4), at(4), 1, 1)], agency=people.dlh)

    figures = agency_figures(people.pupr, today=TODAY)

    assert figures.received.value == 9
    assert not figures.received.sufficient
    assert figures.average_rating.base == 9


def test_a_late_case_without_follow_up_counts_against_the_deadline_an_open_one_not_yet(
    people, independence_day
):
    build(people, CASES[:9])
    build(people, [(None, None, None, None)])  # due 10 August, still nothing on 1 September
    build(people, [(None, None, None, None)], routed=at(31), due=date(2026, 9, 7))

    figures = agency_figures(people.pupr, today=TODAY)

    assert figures.received.value == 11
    assert figures.median_working_days_to_first_response.base == 9
    assert (figures.share_within_deadline.value, figures.share_within_deadline.base) == (
        pytest.approx(7 / 10),
        10,
    )
    assert figures.average_rating.base == 9


def test_an_agency_without_cases_has_no_values(people):
    figures = agency_figures(people.dlh, today=TODAY)

    assert figures.received.value == 0
    assert figures.median_working_days_to_first_response.value is None
    assert figures.share_within_deadline.value is None
    assert figures.average_rating.value is None


def test_two_queries_however_many_cases(people, independence_day, django_assert_num_queries):
    build(people, CASES[:2])
    with django_assert_num_queries(2):
        agency_figures(people.pupr, today=TODAY)
    build(people, CASES * 2)
    with django_assert_num_queries(2):
        agency_figures(people.pupr, today=TODAY)


# --- /opd/<code>/ ------------------------------------------------------------------------------


def test_the_agency_page_hides_figures_below_ten_cases(client, people, independence_day):
    build(people, CASES[:9])

    html = client.get("/opd/dpupr/").content.decode()

    assert "Kinerja penanganan pengaduan" in html
    assert html.count(NOT_ENOUGH) == 5
    assert 'href="/pengaduan/?agency=dpupr"' in html


def test_the_agency_page_shows_figures_from_ten_cases(client, people, independence_day):
    build(people, CASES)

    html = client.get("/opd/dpupr/").content.decode()

    assert NOT_ENOUGH not in html
    assert "<dt>Pengaduan diterima</dt>\n    <dd>10</dd>" in html
    assert "<dt>Sudah dijawab</dt>\n    <dd>7</dd>" in html
    assert "4,5 hari kerja (dari 10 pengaduan)" in html
    assert "70% dari 10 pengaduan" in html
    assert "3,9 dari 5 (10 penilaian)" in html


def test_the_agency_page_costs_the_same_queries_with_more_cases(
    client, people, independence_day, django_assert_max_num_queries
):
    build(people, CASES[:1])
    # The sixth: who can take complaints at its counter and the Secretariat's (channels).
    with django_assert_max_num_queries(6) as few:
        client.get("/opd/dpupr/")
    build(people, CASES * 3)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/opd/dpupr/")

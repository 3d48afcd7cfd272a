"""`manage.py load_demo_complaints`: about thirty complaints in every state for `make run`."""

import itertools
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, Q
from django.utils import timezone
from freezegun import freeze_time

from sikesal.complaints.management.commands._demo_complaints import (
    DEMO_COMPLAINTS,
    DEMO_REPORTERS,
)
from sikesal.complaints.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Assignment,
    Complaint,
    ComplaintEvent,
    Status,
)
from sikesal.core.calendar import local_date
from sikesal.core.holidays_seed import seed_holidays

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("load_demo_complaints", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def demo_accounts(reference_data, settings) -> None:
    settings.DEBUG = True
    call_command("load_demo_data", stdout=StringIO())


def snapshot() -> dict:
    return {
        "complaints": sorted(Complaint.objects.values_list("tracking_number", "status")),
        "events": ComplaintEvent.objects.count(),
        "assignments": Assignment.objects.count(),
    }


def test_creates_about_thirty_complaints_in_every_state(demo_accounts):
    output = run()

    complaints = Complaint.objects.all()
    assert 25 <= complaints.count() <= 35
    assert complaints.count() == len(DEMO_COMPLAINTS)
    assert f"Demo complaints created: {complaints.count()}." in output
    assert set(complaints.values_list("status", flat=True)) == set(Status.values)
    assert set(complaints.values_list("reporter__username", flat=True)) == set(DEMO_REPORTERS)
    declined = complaints.filter(status=Status.DECLINED)
    assert set(declined.values_list("decline_reason", flat=True)) >= {
        "spam",
        "out_of_scope",
        "duplicate",
        "incomplete",
    }
    assert declined.get(decline_reason="duplicate").duplicate_of is not None
    assert declined.get(decline_reason="out_of_scope").referral == "pln"
    closed = complaints.filter(status=Status.CLOSED)
    assert closed.exclude(rating=None).count() >= 3
    assert len(set(closed.exclude(rating=None).values_list("rating", flat=True))) >= 3
    assert complaints.filter(is_confidential=True).count() == 1
    assert complaints.filter(is_anonymous=True).count() == 1
    two_agencies = complaints.annotate(
        agencies=Count("assignments", filter=Q(assignments__status__in=ACTIVE_ASSIGNMENT_STATUSES))
    ).filter(agencies=2)
    assert two_agencies.count() == 1


def test_complaints_are_spread_over_places_categories_and_the_last_three_months(
    demo_accounts,
):
    run()

    complaints = Complaint.objects.select_related("kelurahan", "kecamatan")
    expected = {demo.title: demo.kelurahan for demo in DEMO_COMPLAINTS}
    for complaint in complaints:
        # Filed at a point inside the intended kelurahan, found by the point look-up.
        assert complaint.kelurahan.name == expected[complaint.title], complaint.title
        assert complaint.latitude is not None
    assert len({c.kecamatan_id for c in complaints}) >= 9
    assert len({c.category_id for c in complaints}) >= 10
    now = timezone.now()
    dates = sorted(c.submitted_at for c in complaints)
    assert now - timedelta(days=95) <= dates[0] < now - timedelta(days=80)
    assert dates[-1] <= now
    # Deadlines look alive: some overdue, some not.
    today = local_date(now)
    assert complaints.filter(status=Status.SUBMITTED, review_due__lt=today).exists()
    assert complaints.filter(status=Status.SUBMITTED, review_due__gte=today).exists()
    late = Assignment.objects.filter(
        status__in=ACTIVE_ASSIGNMENT_STATUSES, first_followup_at=None, followup_due__lt=today
    )
    assert late.exists()
    assert Assignment.objects.exclude(register_number="").count() >= 15


@pytest.mark.parametrize(
    "moment",
    [
        "2026-03-23 05:00:00+07:00",  # a Monday before dawn, right after Idul Fitri
        "2027-01-03 23:30:00+07:00",  # a Sunday night: three months back is last year
    ],
)
def test_any_day_gives_the_same_states(demo_accounts, moment):
    seed_holidays([2026, 2027])
    with freeze_time(moment):
        run()

        now = timezone.now()
        complaints = Complaint.objects.all()
        assert set(complaints.values_list("status", flat=True)) == set(Status.values)
        assert all(c.submitted_at <= now for c in complaints)
        assert not Assignment.objects.filter(routed_at__gt=now).exists()
        staff_times = [
            timezone.localtime(a.received_at) for a in Assignment.objects.exclude(received_at=None)
        ]
        assert sum(t.weekday() >= 5 for t in staff_times) <= 2


def test_every_change_went_through_the_workflow(demo_accounts):
    run()

    for complaint in Complaint.objects.prefetch_related("events"):
        events = list(complaint.events.all())
        assert events[0].action == "submit"
        assert events[-1].to_status == complaint.status
        for before, after in itertools.pairwise(events):
            assert after.from_status == before.to_status


def test_running_it_twice_changes_nothing(demo_accounts):
    run()
    before = snapshot()

    output = run()

    assert snapshot() == before
    assert f"Demo complaints already exist ({len(DEMO_COMPLAINTS)}); nothing to do." in output


def test_refuses_with_debug_off_and_creates_nothing(demo_accounts, settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="DEBUG off"):
        run()
    assert Complaint.objects.count() == 0

    run("--allow-production")
    assert Complaint.objects.count() == len(DEMO_COMPLAINTS)


def test_needs_the_demo_accounts(reference_data, settings):
    settings.DEBUG = True

    with pytest.raises(CommandError, match="load_demo_data"):
        run()
    assert Complaint.objects.count() == 0


def test_the_public_list_shows_the_public_demo_complaints_only(demo_accounts, client):
    run()

    html = client.get("/pengaduan/").content.decode()

    public = Complaint.objects.filter(
        is_confidential=False,
        status__in=(
            Status.ROUTED,
            Status.IN_PROGRESS,
            Status.RESPONDED,
            Status.CLOSED,
            Status.ARCHIVED,
        ),
    )
    assert f"{public.count()} pengaduan" in html
    confidential = Complaint.objects.get(is_confidential=True)
    assert confidential.tracking_number not in html
    assert "Budi Warga" not in html

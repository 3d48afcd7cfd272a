"""The rollups (issue #13): after any sequence of filings and transitions through the real
workflow (returns, objections, archiving included), every figure of the monitoring, the
reports and the agency pages equals the figure computed straight from the complaints
(`direct_figures`), before the worker folds, after it folds, and after a rebuild; and the
folded tally equals the rebuilt one row for row."""

import contextlib
import dataclasses
from datetime import date, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sikesal.agencies.models import Region
from sikesal.complaints import rollups
from sikesal.complaints.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    Channel,
    Complaint,
    DeclineReason,
    Status,
    Tally,
)
from sikesal.complaints.stats import agency_figures
from sikesal.complaints.tests.conftest import JAKARTA, file_complaint
from sikesal.complaints.workflow import InvalidTransition, Route, allowed_actions, transition
from sikesal.core.models import Holiday
from sikesal.reports.figures import ReportFilter, report_figures
from sikesal.reports.tests.direct_figures import direct_agency_figures, direct_report_figures

pytestmark = pytest.mark.django_db(transaction=False)

START = datetime(2026, 3, 2, 8, tzinfo=JAKARTA)  # a Monday
TODAY = date(2026, 4, 20)
ACTIONS = (
    "review",
    "request_clarification",
    "answer_clarification",
    "decline",
    "route",
    "change_category",
    "accept",
    "update",
    "return",
    "respond",
    "rate",
    "object",
    "close",
    "archive",
)
REASONS = [reason for reason in DeclineReason.values if reason != "duplicate"]

step = st.tuples(
    st.integers(0, 5),  # which complaint (a new one when past the last)
    st.sampled_from(ACTIONS),
    st.integers(0, 40),  # hours later
    st.integers(0, 1000),  # the choices an action needs (agencies, rating, reason...)
    st.booleans(),  # fold after this step
)


def normalized(value):
    """A figure as plain data, its averages rounded (PostgreSQL's avg() may differ from a
    division in the last bit)."""
    if dataclasses.is_dataclass(value):
        return normalized(dataclasses.asdict(value))
    if isinstance(value, dict):
        return {key: normalized(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [normalized(item) for item in value]
    if isinstance(value, float):
        return round(value, 9)
    return value


class World:
    """The cast and places of the sequence."""

    def __init__(self, people) -> None:
        self.people = people
        kecamatan = [
            Region.objects.create(code=f"99.99.0{n}", name=f"Kecamatan {n}", level="kecamatan")
            for n in (1, 2)
        ]
        self.places = [(None, None)] + [
            (
                Region.objects.create(
                    code=f"{k.code}.100{n}", name=f"Kelurahan {n}", level="kelurahan", parent=k
                ),
                k,
            )
            for k in kecamatan
            for n in (1, 2)
        ]
        self.complaints: list[Complaint] = []
        Holiday.objects.create(date=date(2026, 3, 19), name="Nyepi")

    def file(self, at: datetime, choice: int) -> None:
        people = self.people
        category = (people.road, people.waste)[choice % 2]
        complaint = file_complaint(
            people,
            at=at,
            category=category,
            report_type=("pengaduan", "aspirasi", "informasi")[choice % 3],
            channel=(Channel.WEB, Channel.PHONE)[choice // 3 % 2],
            actor=people.secretariat if choice // 3 % 2 else None,
        )
        kelurahan, kecamatan = self.places[choice % len(self.places)]
        # A direct write, as an administrator's correction: the trigger sees it too.
        Complaint.objects.filter(pk=complaint.pk).update(kelurahan=kelurahan, kecamatan=kecamatan)
        self.complaints.append(complaint)

    def act(self, complaint: Complaint, action: str, at: datetime, choice: int) -> None:
        people = self.people
        complaint.refresh_from_db()
        assignments = list(complaint.assignments.order_by("pk"))
        actors = [people.secretariat, people.officer, people.dlh_officer, people.reporter, None]
        for actor in actors:
            for assignment in [None, *assignments]:
                if action in allowed_actions(complaint, actor, assignment):
                    payload = self.payload(complaint, action, choice)
                    with contextlib.suppress(InvalidTransition, ValidationError):
                        transition(
                            complaint,
                            action,
                            actor=actor,
                            assignment=assignment,
                            note="Catatan uji.",
                            now=at,
                            **payload,
                        )
                    return

    def payload(self, complaint: Complaint, action: str, choice: int) -> dict:
        people = self.people
        if action == "decline":
            return {"reason": REASONS[choice % len(REASONS)]}
        if action == "route":
            active = set(
                complaint.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).values_list(
                    "agency_id", flat=True
                )
            )
            agencies = [a for a in (people.pupr, people.dlh) if a.pk not in active]
            if choice % 3 == 0:
                agencies = agencies[:1]
            return {"routes": [Route(a, i == 0) for i, a in enumerate(agencies)]}
        if action == "change_category":
            other = people.waste if complaint.category_id == people.road.pk else people.road
            return {"category": other}
        if action == "rate":
            return {"rating": 1 + choice % 5}
        if action == "update":
            return {"public": bool(choice % 2)}
        return {}


def filters(world: World) -> list[ReportFilter]:
    people = world.people
    whole = (date(2026, 3, 1), date(2026, 4, 30))
    _kelurahan, kecamatan = world.places[1]
    return [
        ReportFilter(*whole),
        ReportFilter(date(2026, 3, 3), date(2026, 3, 10)),
        ReportFilter(*whole, agency=people.pupr),
        ReportFilter(*whole, agency=people.dlh, category=people.road),
        ReportFilter(*whole, kecamatan=kecamatan),
        ReportFilter(*whole, status=Status.CLOSED),
        ReportFilter(*whole, status=Status.IN_PROGRESS, agency=people.pupr),
    ]


def assert_figures_equal_the_direct_ones(world: World) -> None:
    for report_filter in filters(world):
        assert normalized(report_figures(report_filter, today=TODAY)) == normalized(
            direct_report_figures(report_filter, today=TODAY)
        ), report_filter
    for agency in (world.people.pupr, world.people.dlh):
        assert normalized(agency_figures(agency, today=TODAY)) == normalized(
            direct_agency_figures(agency, today=TODAY)
        ), agency


def tally_rows() -> set[tuple]:
    return set(Tally.objects.filter(n__gt=0).values_list(*Tally.KEY, "n"))


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(steps=st.lists(step, min_size=5, max_size=45))
def test_the_figures_equal_the_direct_computation_after_any_sequence(people, steps):
    with transaction.atomic():
        world = World(people)
        at = START
        for index, action, hours, choice, fold in steps:
            at += timedelta(hours=hours)
            if index >= len(world.complaints):
                world.file(at, choice)
            else:
                world.act(world.complaints[index], action, at, choice)
            if fold:
                rollups.fold()

        # Unfolded: the readers correct for the changed complaints.
        assert_figures_equal_the_direct_ones(world)
        rollups.fold_all()
        folded = tally_rows()
        assert_figures_equal_the_direct_ones(world)
        call_command("rebuild_rollups", stdout=open("/dev/null", "w"))  # noqa: SIM115
        assert tally_rows() == folded
        assert_figures_equal_the_direct_ones(world)
        transaction.set_rollback(True)


def test_a_fold_leaves_no_empty_rows_and_nothing_pending(people):
    world = World(people)
    world.file(START, 0)
    transition(world.complaints[0], "review", actor=people.secretariat, now=START)
    rollups.fold_all()

    assert not Tally.objects.filter(n=0).exists()
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM complaints_tallypending")
        assert cursor.fetchone() == (0,)
    # One complaint, not routed: its own row only, now in review.
    assert list(Tally.objects.values_list("agency_id", "status", "n")) == [(0, Status.IN_REVIEW, 1)]


def test_a_return_an_objection_and_the_archive_keep_every_figure_exact(people):
    """The path random sequences may miss: handed back, routed elsewhere, answered,
    objected to, answered again, rated, closed, archived; figures checked at every step."""
    world = World(people)
    world.file(START, 1)
    complaint = world.complaints[0]
    at = START
    steps = [
        ("review", people.secretariat, None, {}),
        ("route", people.secretariat, None, {"routes": [Route(people.pupr, True)]}),
        ("return", people.officer, people.pupr, {}),
        ("route", people.secretariat, None, {"routes": [Route(people.dlh, True)]}),
        ("accept", people.dlh_officer, people.dlh, {}),
        ("respond", people.dlh_officer, people.dlh, {}),
        ("object", people.reporter, None, {}),
        ("respond", people.dlh_officer, people.dlh, {}),
        ("rate", people.reporter, None, {"rating": 4}),
        ("archive", None, None, {}),
    ]
    for action, actor, agency, payload in steps:
        at += timedelta(days=2)
        assignment = complaint.assignments.filter(agency=agency).order_by("-pk").first()
        transition(
            complaint,
            action,
            actor=actor,
            assignment=assignment if agency else None,
            note="Catatan uji.",
            now=at,
            **payload,
        )
        assert_figures_equal_the_direct_ones(world)
        if action == "respond":
            rollups.fold()

    complaint.refresh_from_db()
    assert complaint.status == Status.ARCHIVED
    assert report_figures(filters(world)[0], today=TODAY).agencies[0].code == people.dlh.code

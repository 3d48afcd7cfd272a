"""Figures about how agencies handle complaints: plain numbers, no formatting.

The public agency page (/opd/<code>/) shows them, and the monitoring dashboard reuses them.
A figure built on fewer than `MIN_BASE` cases says little and can single out one case, so
`Figure.sufficient` tells the pages to show "not enough data" instead.
"""

import statistics
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.db.models import QuerySet
from django.utils import timezone

from sikesal.agencies.models import Agency
from sikesal.complaints.deadlines import first_followup_at, followup_on_time
from sikesal.complaints.models import AGENCY_CASE_STATUSES, Assignment
from sikesal.complaints.selectors import agency_cases
from sikesal.core.calendar import local_date, working_days_between_many

MIN_BASE = 10


@dataclass(frozen=True)
class Figure:
    """One number and how many cases it rests on; `value` is None when nothing to average."""

    value: float | int | None
    base: int

    @property
    def sufficient(self) -> bool:
        return self.value is not None and self.base >= MIN_BASE


@dataclass(frozen=True)
class AgencyFigures:
    """How one agency handles the complaints routed to it (returned assignments excluded).

    - received: assignments ever routed to the agency; base: the same.
    - responded: of those, the ones it has answered (HASIL PENANGANAN), even if the
      citizen objected since; base: received.
    - median_working_days_to_first_response: from routing to the first public follow-up
      or the answer, in working days (Asia/Jakarta dates); base: assignments with one.
    - share_within_deadline: 0..1, first follow-up on or before `followup_due`; base:
      assignments followed up, or past their due date without a follow-up.
    - average_rating: the citizens' ratings (1..5) of the complaints it handled; base:
      rated complaints.
    """

    received: Figure
    responded: Figure
    median_working_days_to_first_response: Figure
    share_within_deadline: Figure
    average_rating: Figure


def agency_figures(agency: Agency, *, today: date | None = None) -> AgencyFigures:
    """The handling figures of `agency` as of `today` (default: today in Jakarta).

    At most two queries whatever the number of cases: the agency's assignments, and the days off
    between its first routing and its last response.
    """
    today = today or local_date(timezone.now())
    return handling_figures(handling_cases(agency_cases(agency)), today=today)


class HandlingCase(NamedTuple):
    """One assignment as the handling figures read it, its moments as Asia/Jakarta dates."""

    agency_id: int
    complaint_id: int
    routed_on: date
    first_response_on: date | None  # the first public follow-up, else the answer
    responded_on: date | None
    followup_due: date | None
    rating: int | None


def handling_cases(assignments: QuerySet[Assignment]) -> list[HandlingCase]:
    """The cases behind the handling figures: those of `assignments` that are agencies'
    cases (`selectors.agency_cases`: a complaint sent to the wrong agency and handed back
    is not that agency's case). One query."""
    zone = timezone.get_default_timezone()

    def on(moment: datetime | None) -> date | None:
        # local_date(), without its checks: the database hands back aware datetimes.
        return moment.astimezone(zone).date() if moment is not None else None

    rows = (
        assignments.filter(status__in=AGENCY_CASE_STATUSES)
        .annotate(first_response_at=first_followup_at())
        .values_list(
            "agency_id",
            "complaint_id",
            "routed_at",
            "first_response_at",
            "responded_at",
            "followup_due",
            "complaint__rating",
        )
    )
    return [
        HandlingCase(agency, complaint, on(routed), on(first), on(answered), due, rating)
        for agency, complaint, routed, first, answered, due, rating in rows
    ]


def handling_figures(
    cases: Sequence[HandlingCase], *, today: date, holidays: Collection[date] | None = None
) -> AgencyFigures:
    """`AgencyFigures` over `cases` (one agency's, or several agencies' together).

    `holidays`: the days off of the whole stretch, when the caller already has them;
    otherwise one query reads them.
    """
    received = len(cases)
    responded = sum(1 for case in cases if case.responded_on is not None)

    days = working_days_between_many(
        (
            (case.routed_on, case.first_response_on)
            for case in cases
            if case.first_response_on is not None
        ),
        holidays=holidays,
    )

    verdicts = [
        verdict
        for case in cases
        if (verdict := followup_on_time(case.followup_due, case.first_response_on, today))
        is not None
    ]
    decided, on_time = len(verdicts), sum(verdicts)

    # A complaint is rated once, whichever of its agencies answered.
    ratings = {case.complaint_id: case.rating for case in cases if case.rating is not None}

    return AgencyFigures(
        received=Figure(received, received),
        responded=Figure(responded, received),
        median_working_days_to_first_response=Figure(
            float(statistics.median(days)) if days else None, len(days)
        ),
        share_within_deadline=Figure(on_time / decided if decided else None, decided),
        average_rating=Figure(
            statistics.fmean(ratings.values()) if ratings else None, len(ratings)
        ),
    )

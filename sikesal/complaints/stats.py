"""Figures about how agencies handle complaints: plain numbers, no formatting.

The public agency page (/opd/<code>/) shows them, and the monitoring dashboard reuses them.
A figure built on fewer than `MIN_BASE` cases says little and can single out one case, so
`Figure.sufficient` tells the pages to show "not enough data" instead.
"""

import statistics
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

import numpy as np
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from sikesal.agencies.models import Agency
from sikesal.complaints.models import Assignment, AssignmentStatus
from sikesal.core.calendar import days_off, local_date

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
    return handling_figures(handling_cases(Assignment.objects.filter(agency=agency)), today=today)


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
    """The cases behind the handling figures: `assignments` less the returned ones (a
    complaint sent to the wrong agency is not that agency's case). One query."""
    zone = timezone.get_default_timezone()

    def on(moment: datetime | None) -> date | None:
        # local_date(), without its checks: the database hands back aware datetimes.
        return moment.astimezone(zone).date() if moment is not None else None

    rows = (
        assignments.exclude(status=AssignmentStatus.RETURNED)
        .annotate(first_response_at=Coalesce(F("first_followup_at"), F("responded_at")))
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

    decided = on_time = 0
    for case in cases:
        if case.followup_due is None:
            continue
        if case.first_response_on is not None:
            decided += 1
            on_time += case.first_response_on <= case.followup_due
        elif case.followup_due < today:
            decided += 1  # late, and still without a follow-up

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


def working_days_between_many(
    spans: Iterable[tuple[date, date]], *, holidays: Collection[date] | None = None
) -> list[int]:
    """`sikesal.core.calendar.working_days_between(a, b)` for every (a, b), in order.

    One query for the days off of the whole stretch instead of one per pair: the count is
    numpy's business-day count over (a, b], Monday to Friday, with the same days off.
    A caller that already holds the days off of (at least) the whole stretch passes them as
    `holidays`, and no query is made.
    """
    spans = list(spans)
    if not spans:
        return []
    if holidays is None:
        first = min(min(span) for span in spans)
        last = max(max(span) for span in spans)
        holidays = days_off(first, last)
    holidays = _days(sorted(holidays))
    starts = _days([start for start, _ in spans])
    ends = _days([end for _, end in spans])
    # busday_count counts [begin, end); numpy's own reversed count is not the mirror image
    # working_days_between promises, so count forwards and put the sign back.
    one_day = np.timedelta64(1, "D")
    counts = np.busday_count(
        np.minimum(starts, ends) + one_day,
        np.maximum(starts, ends) + one_day,
        weekmask="1111100",
        holidays=holidays,
    )
    return np.where(ends < starts, -counts, counts).tolist()


_EPOCH_ORDINAL = date(1970, 1, 1).toordinal()


def _days(dates: list[date]) -> np.ndarray:
    # Through ordinals: numpy converts a list of date objects one slow step at a time.
    ordinals = np.fromiter((d.toordinal() for d in dates), dtype="int64", count=len(dates))
    return (ordinals - _EPOCH_ORDINAL).astype("datetime64[D]")

"""Figures about how agencies handle complaints: plain numbers, no formatting.

The public agency page (/opd/<code>/) shows them, and the monitoring dashboard reuses them.
They are read from the rollups (`sikesal.complaints.rollups`), never from the complaints.
A figure built on fewer than `MIN_BASE` cases says little and can single out one case, so
`Figure.sufficient` tells the pages to show "not enough data" instead.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils import timezone

from sikesal.agencies.models import Agency
from sikesal.complaints.deadlines import followup_on_time
from sikesal.complaints.rollups import GroupCount, tally_counts, weighted_median
from sikesal.core.calendar import days_off, local_date, working_days_between_many

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

    Two queries whatever the number of cases: the agency's rows of the tally
    (`sikesal.complaints.rollups`), and the days off between its first routing and its last
    response.
    """
    today = today or local_date(timezone.now())
    counts = tally_counts("agency_id = %s", [agency.pk], CASE_GROUPS)
    figures = case_figures(counts, today=today)
    return figures.get(agency.pk) or case_figures_of({}, today=today, holidays=set())


# The tally groups behind the handling figures, per agency (the rows of agency cases).
CASE_GROUPS = {
    "received": (["agency_id", "CASE WHEN case_answer_days >= 0 THEN 1 ELSE 0 END"], "1 = 1"),
    "case_first": (["agency_id", "day", "routed_days", "case_first_days"], "case_first_days >= 0"),
    "case_answer": (
        ["agency_id", "day", "routed_days", "case_answer_days"],
        "case_answer_days >= 0",
    ),
    "followed": (
        ["agency_id", "CASE WHEN case_first_days <= due_days THEN 1 ELSE 0 END"],
        "case_first_days >= 0 AND due_days >= 0",
    ),
    "waiting": (
        ["agency_id", "day", "routed_days", "due_days"],
        "case_first_days < 0 AND due_days >= 0",
    ),
    "rated": (["agency_id", "rating"], "rating > 0 AND agency_id > 0"),
}


def offset_day(day: str, days: str) -> date:
    """`day` (ISO text) plus `days` (text) calendar days."""
    return date.fromisoformat(day) + timedelta(days=int(days))


def span_of(count: GroupCount) -> tuple[date, date, int]:
    """(start, end, how many) of a count grouped by (day, days taken), or by (agency, day,
    days to the routing, days taken): a span starts on the day or at the routing."""
    if len(count.by) == 2:
        day, length = count.by
        start = date.fromisoformat(day)
    else:
        _agency, day, routed, length = count.by
        start = offset_day(day, routed)
    return start, start + timedelta(days=int(length)), count.n


def spans_in(counts: dict[str, list[GroupCount]], *names: str) -> list[date]:
    """Every date the span groups `names` of `counts` touch (for one days-off query)."""
    return [day for name in names for count in counts[name] for day in span_of(count)[:2]]


def median_of_spans(spans: Iterable[tuple[date, date, int]], holidays: set[date]) -> Figure:
    """The median working days of (start, end, how many) spans, with its base."""
    spans = list(spans)
    lengths = working_days_between_many(((a, b) for a, b, _ in spans), holidays=holidays)
    value = weighted_median(
        (length, times) for length, (_a, _b, times) in zip(lengths, spans, strict=True)
    )
    return Figure(value, sum(times for _a, _b, times in spans))


class CaseCounts:
    """One agency's share of the `CASE_GROUPS` counts."""

    def __init__(self) -> None:
        self.received = self.responded = self.decided = self.on_time = 0
        self.to_first: list[tuple[date, date, int]] = []
        self.to_answer: list[tuple[date, date, int]] = []
        self.ratings: dict[int, int] = {}


def case_counts(counts: dict[str, list[GroupCount]], *, today: date) -> dict[int, CaseCounts]:
    """The `CASE_GROUPS` counts per agency id."""
    agencies: dict[int, CaseCounts] = defaultdict(CaseCounts)
    for count in counts["received"]:
        agency = agencies[int(count.by[0])]
        agency.received += count.n
        agency.responded += count.n if count.by[1] == "1" else 0
    for name, attribute in (("case_first", "to_first"), ("case_answer", "to_answer")):
        for count in counts[name]:
            getattr(agencies[int(count.by[0])], attribute).append(span_of(count))
    for count in counts["followed"]:
        agency = agencies[int(count.by[0])]
        agency.decided += count.n
        agency.on_time += count.n if count.by[1] == "1" else 0
    # Not followed up yet: late once the due date has passed, undecided until then.
    for count in counts["waiting"]:
        _routed, due, times = span_of(count)
        if followup_on_time(due, None, today) is False:
            agencies[int(count.by[0])].decided += times
    for count in counts["rated"]:
        ratings = agencies[int(count.by[0])].ratings
        ratings[int(count.by[1])] = ratings.get(int(count.by[1]), 0) + count.n
    return agencies


def case_figures(
    counts: dict[str, list[GroupCount]], *, today: date, holidays: set[date] | None = None
) -> dict[int, AgencyFigures]:
    """`AgencyFigures` per agency id from the `CASE_GROUPS` counts. `holidays`: the days off
    of every span, when the caller already has them; otherwise one query reads them."""
    if holidays is None:
        days = spans_in(counts, "case_first")
        holidays = days_off(min(days), max(days)) if days else set()
    return {
        agency_id: case_figures_of(agency, today=today, holidays=holidays)
        for agency_id, agency in case_counts(counts, today=today).items()
    }


def case_figures_of(
    counts: dict | CaseCounts, *, today: date, holidays: set[date]
) -> AgencyFigures:
    """`AgencyFigures` of one agency's counts (or of none: every figure empty)."""
    if not isinstance(counts, CaseCounts):
        counts = CaseCounts()
    rated = sum(counts.ratings.values())
    return AgencyFigures(
        received=Figure(counts.received, counts.received),
        responded=Figure(counts.responded, counts.received),
        median_working_days_to_first_response=median_of_spans(counts.to_first, holidays),
        share_within_deadline=Figure(
            counts.on_time / counts.decided if counts.decided else None, counts.decided
        ),
        # A complaint has one case per agency: its rating counts once.
        average_rating=Figure(
            sum(rating * times for rating, times in counts.ratings.items()) / rated
            if rated
            else None,
            rated,
        ),
    )

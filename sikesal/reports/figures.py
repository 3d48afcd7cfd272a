"""The figures of the Secretariat's monitoring and reports (Perwal Jambi 40/2017 Pasal 10):
plain numbers, no formatting.

The Secretariat monitors complaint handling and reports to the Walikota every semester and
whenever needed. Every figure here is about the complaints of a `ReportFilter`: those
*submitted* on a date (Asia/Jakarta) from `start` to `end` inclusive, narrowed by the
optional agency, category, kecamatan and status. Counts of states (responded, declined,
overdue, rated) are the state *as of the moment the figures are computed* (`as_of`), so a
report printed later may show more answers for the same period.

The per-agency figures are those of the public agency page (`sikesal.complaints.stats`),
restricted to the filter's complaints. A figure resting on fewer than
`stats.MIN_BASE` cases is carried with its base (`Figure`) and pages show "not enough data"
instead of it.

Nothing here reads or returns anything about a reporter.

Where the numbers come from: the counts are read from the rollups
(`sikesal.complaints.rollups`) with one grouped query, never by reading the complaints; the
medians are counted from (day, days taken) pairs by
`sikesal.core.calendar.working_days_between_many`, with one query for the days off. What
depends on today (overdue) is counted on the open complaints, through their indexes.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from functools import reduce
from operator import or_
from typing import NamedTuple

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q, QuerySet
from django.utils import timezone

from sikesal.agencies.models import Agency, Category, Region
from sikesal.complaints import selectors
from sikesal.complaints.deadlines import (
    ANSWER_CLOCKS,
    OverdueCounter,
    complaint_overdue,
    is_overdue,
    running_clocks,
    running_followup_due,
)
from sikesal.complaints.models import (
    WORKING_ASSIGNMENT_STATUSES,
    Assignment,
    Channel,
    Complaint,
    DeadlineKind,
    DeclineReason,
    ReportType,
    Status,
)
from sikesal.complaints.rollups import GroupCount, tally_counts
from sikesal.complaints.stats import (
    CASE_GROUPS,
    CaseCounts,
    Figure,
    case_counts,
    case_figures_of,
    median_of_spans,
    span_of,
    spans_in,
)
from sikesal.core.calendar import days_off, local_date
from sikesal.reports.recap import Month

TOP = 10  # rows in the "most frequent problems" lists
RATINGS = (1, 2, 3, 4, 5)


@dataclass(frozen=True)
class ReportFilter:
    """Which complaints a report is about: submitted from `start` to `end` (inclusive,
    Asia/Jakarta dates), optionally only those routed to `agency` (returned assignments
    aside: a complaint sent to the wrong agency is not that agency's), of `category`, in
    `kecamatan`, or now in `status`."""

    start: date
    end: date
    agency: Agency | None = None
    category: Category | None = None
    kecamatan: Region | None = None
    status: str = ""

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"The report period ends ({self.end}) before it starts ({self.start})."
            )
        if self.status and self.status not in Status.values:
            raise ValueError(f"Unknown complaint status {self.status!r}.")

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        """[first moment, moment after the last day) in the project's time zone."""
        zone = timezone.get_default_timezone()
        return (
            datetime.combine(self.start, time.min, tzinfo=zone),
            datetime.combine(self.end + timedelta(days=1), time.min, tzinfo=zone),
        )

    @property
    def status_label(self) -> str:
        return Status(self.status).label if self.status else ""

    @property
    def is_narrowed(self) -> bool:
        """Whether anything beyond the dates narrows the complaints."""
        return bool(self.agency or self.category or self.kecamatan or self.status)

    def _conditions(self, prefix: str = "") -> Q:
        low, high = self.bounds
        conditions = Q(**{f"{prefix}submitted_at__gte": low, f"{prefix}submitted_at__lt": high})
        if self.category is not None:
            conditions &= Q(**{f"{prefix}category": self.category})
        if self.kecamatan is not None:
            conditions &= Q(**{f"{prefix}kecamatan": self.kecamatan})
        if self.status:
            conditions &= Q(**{f"{prefix}status": self.status})
        return conditions

    def tally_where(self) -> tuple[str, list]:
        """The filter on the rollups' rows (`sikesal.complaints.rollups`), agency aside:
        SQL over their columns, and its parameters."""
        where, params = ["day >= %s AND day <= %s"], [self.start, self.end]
        for column, value in (
            ("category_id", self.category.pk if self.category else None),
            ("kecamatan_id", self.kecamatan.pk if self.kecamatan else None),
            ("status", self.status or None),
        ):
            if value is not None:
                where.append(f"{column} = %s")
                params.append(value)
        return " AND ".join(where), params

    def complaints(self) -> QuerySet[Complaint]:
        complaints = Complaint.objects.filter(self._conditions())
        if self.agency is not None:
            complaints = complaints.filter(selectors.complaints_of(self.agency))
        return complaints

    def assignments(self) -> QuerySet[Assignment]:
        """The agencies' cases (`selectors.agency_cases`) among the filter's complaints;
        only `agency`'s when the filter names one."""
        return selectors.agency_cases(self.agency).filter(self._conditions("complaint__"))


@dataclass(frozen=True)
class Tally:
    """How many complaints have one value (a status, a channel, a reason…)."""

    key: str
    label: str
    count: int


@dataclass(frozen=True)
class AreaRow:
    """Complaints of one category, kecamatan or kelurahan: submitted in the period, and of
    those the ones answered (`Complaint.responded_at` set) by `as_of`."""

    label: str
    submitted: int
    responded: int


@dataclass(frozen=True)
class MonthRow:
    """One calendar month (Asia/Jakarta) of the period: the complaints submitted in it, and
    how many of *those* have been answered by `as_of` (a cohort, not the answers given in
    that month)."""

    month: date  # its first day
    submitted: int
    responded: int


@dataclass(frozen=True)
class AgencyRow:
    """How one agency handled the filter's complaints routed to it (returned ones aside).

    received, responded, median_working_days_to_first_response, share_within_deadline and
    average_rating are defined as in `sikesal.complaints.stats.AgencyFigures`.
    median_working_days_to_response: from routing to the agency's answer (HASIL
    PENANGANAN), working days; base: answered assignments. overdue: its assignments still
    being worked on (routed or accepted) that are late now, with the first follow-up or
    with the complaint's answer (the queue's "overdue" filter).
    """

    code: str
    name: str
    short_name: str
    received: Figure
    responded: Figure
    overdue: int
    median_working_days_to_first_response: Figure
    median_working_days_to_response: Figure
    share_within_deadline: Figure
    average_rating: Figure


@dataclass(frozen=True)
class ReportFigures:
    """Everything a monitoring page or a report shows, for `filter` as of `as_of`.

    Counts of complaints (each complaint counts once):

    - total: the filter's complaints.
    - by_status, by_report_type, by_channel: `total` split by the complaint's present
      status, its report type and the channel it came through; every value is listed, zeros
      included, in the order of the choices.
    - responded: complaints answered by every agency they were routed to
      (`Complaint.responded_at` set; an objection clears it until the new answer).
    - declined: complaints with a decline reason (Pasal 11.2 and the others);
      declines: the same split by reason, every reason listed.
    - overdue: complaints still open (submitted up to in progress) that are late now, by
      one of their own running clocks (review, first response, decision; a clock paused
      for the citizen is not running) or through an agency late with its first follow-up.
    - by_category, by_kecamatan: submitted and answered complaints per category and per
      kecamatan, most complaints first ("—" collects complaints without a kecamatan);
      top_categories, top_kelurahan: the `TOP` categories and kelurahan with the most
      complaints (complaints without a kelurahan aside).
    - months: every calendar month the period touches, see `MonthRow`.

    Figures, each with its base (`Figure`):

    - median_working_days_to_first_response: from the day of submission to the first
      answer the citizen could read (a clarification request, a decline, an agency's public
      follow-up or its answer; `Complaint.first_response_at`), in working days of the
      holiday table (`sikesal.core.calendar.working_days_between`); base: complaints with a
      first response.
    - median_working_days_to_response: from the day of submission to the day every agency
      had answered (`Complaint.responded_at`); base: complaints answered.
    - share_within_deadline: 0..1, the agencies' first follow-ups made on or before their
      due date (`Assignment.followup_due`, five working days after routing), as on the
      agency page; base: assignments followed up, plus those past due without a follow-up.
    - average_rating: the citizens' ratings (1..5); base: rated complaints;
      ratings: how many complaints got each rating, 1 to 5.
    - agencies: one `AgencyRow` per agency with at least one assignment, most received
      first.
    """

    filter: ReportFilter
    as_of: date
    total: int
    responded: int
    declined: int
    overdue: int
    by_status: list[Tally]
    by_report_type: list[Tally]
    by_channel: list[Tally]
    declines: list[Tally]
    by_category: list[AreaRow]
    by_kecamatan: list[AreaRow]
    top_kelurahan: list[AreaRow]
    months: list[MonthRow]
    median_working_days_to_first_response: Figure
    median_working_days_to_response: Figure
    share_within_deadline: Figure
    average_rating: Figure
    ratings: list[Tally]
    agencies: list[AgencyRow] = field(default_factory=list)

    @property
    def top_categories(self) -> list[AreaRow]:
        return self.by_category[:TOP]


def report_figures(report_filter: ReportFilter, *, today: date | None = None) -> ReportFigures:
    """The figures of `report_filter` as of `today` (default: today in Jakarta)."""
    today = today or local_date(timezone.now())
    counts = tally_counts(*report_filter.tally_where(), _groups(report_filter))

    by_status: dict[str, int] = defaultdict(int)
    by_type: dict[str, int] = defaultdict(int)
    by_channel: dict[str, int] = defaultdict(int)
    for count in counts["split"]:
        status, report_type, channel = count.by
        by_status[status] += count.n
        by_type[report_type] += count.n
        by_channel[channel] += count.n
    declines = {count.by[0]: count.n for count in counts["declines"]}
    ratings = {int(count.by[0]): count.n for count in counts["ratings"]}
    rated = sum(ratings.values())
    days = spans_in(counts, "first", "answer", "case_first", "case_answer")
    holidays = days_off(min(days), max(days)) if days else set()
    agencies = case_counts(counts, today=today)
    decided = sum(agency.decided for agency in agencies.values())
    on_time = sum(agency.on_time for agency in agencies.values())

    return ReportFigures(
        filter=report_filter,
        as_of=today,
        total=sum(by_status.values()),
        responded=sum(count.n for count in counts["days"] if count.by[1] == "1"),
        declined=sum(declines.values()),
        overdue=report_filter.complaints()
        .filter(complaint_overdue(today, agency=report_filter.agency))
        .count(),
        by_status=[Tally(s.value, s.label, by_status[s.value]) for s in Status],
        by_report_type=[Tally(t.value, t.label, by_type[t.value]) for t in ReportType],
        by_channel=[Tally(c.value, c.label, by_channel[c.value]) for c in Channel],
        declines=[Tally(r.value, r.label, declines.get(r.value, 0)) for r in DeclineReason],
        by_category=_areas(counts["category"], Category),
        by_kecamatan=_areas(counts["kecamatan"], Region, empty="—"),
        top_kelurahan=_areas(counts["kelurahan"], Region)[:TOP],
        months=_months(counts["days"], report_filter),
        median_working_days_to_first_response=median_of_spans(
            map(span_of, counts["first"]), holidays
        ),
        median_working_days_to_response=median_of_spans(map(span_of, counts["answer"]), holidays),
        share_within_deadline=Figure(on_time / decided if decided else None, decided),
        average_rating=Figure(
            sum(rating * n for rating, n in ratings.items()) / rated if rated else None, rated
        ),
        ratings=[Tally(str(r), str(r), ratings.get(r, 0)) for r in RATINGS],
        agencies=_agency_rows(report_filter, agencies, today=today, holidays=holidays),
    )


# --- the overdue list ------------------------------------------------------------------------


class OverdueClock(NamedTuple):
    label: str
    due: date
    agency: str  # the agency late with its first follow-up; "" for the complaint's clocks


@dataclass(frozen=True)
class OverdueRow:
    """An open complaint that is late now: its earliest passed due date, and how many
    working days ago that was."""

    tracking_number: str
    submitted_on: date
    category: str
    kecamatan: str
    status: str
    status_tone: str  # StatusTone: the colour of its badge
    agencies: list[str]
    clock: OverdueClock
    working_days_late: int


def overdue_list(
    report_filter: ReportFilter, *, today: date | None = None, limit: int = 50
) -> tuple[int, list[OverdueRow]]:
    """How many of the filter's complaints are open and late now (as counted by
    `ReportFigures.overdue`), and the `limit` oldest of them, longest late first. At most
    four queries."""
    today = today or local_date(timezone.now())
    overdue = (
        report_filter.complaints()
        .filter(complaint_overdue(today, agency=report_filter.agency))
        .select_related("category", "kecamatan")
    )
    total = overdue.count()
    working = Assignment.objects.filter(status__in=WORKING_ASSIGNMENT_STATUSES).select_related(
        "agency"
    )
    if report_filter.agency is not None:
        working = working.filter(agency=report_filter.agency)
    complaints = list(
        overdue.prefetch_related(
            Prefetch("assignments", queryset=working, to_attr="working")
        ).order_by("submitted_at", "pk")[:limit]
    )
    late = []
    for complaint in complaints:
        clocks = [
            OverdueClock(clock.kind.label, due, "")
            for clock, due in running_clocks(complaint)
            if is_overdue(due, today)
        ]
        clocks += [
            OverdueClock(
                DeadlineKind.FIRST_FOLLOWUP.label, due, a.agency.short_name or a.agency.name
            )
            for a in complaint.working
            if is_overdue(due := running_followup_due(a), today)
        ]
        if clocks:
            late.append((complaint, min(clocks, key=lambda clock: clock.due)))
    late.sort(key=lambda item: (item[1].due, item[0].submitted_at))
    counter = OverdueCounter((clock.due for _, clock in late), today)
    days = [counter.days(clock.due) for _, clock in late]
    rows = [
        OverdueRow(
            tracking_number=complaint.tracking_number,
            submitted_on=local_date(complaint.submitted_at),
            category=complaint.category.name,
            kecamatan=complaint.kecamatan.name if complaint.kecamatan else "",
            status=complaint.get_status_display(),
            status_tone=complaint.status_tone,
            agencies=sorted({a.agency.short_name or a.agency.name for a in complaint.working}),
            clock=clock,
            working_days_late=count,
        )
        for (complaint, clock), count in zip(late, days, strict=True)
    ]
    return total, rows


# --- helpers ---------------------------------------------------------------------------------

ANSWERED = "CASE WHEN answer_days >= 0 THEN 1 ELSE 0 END"


def _groups(report_filter: ReportFilter) -> dict[str, tuple[list[str], str]]:
    """The tally groups of a report: the complaint's own rows (or, narrowed to an agency,
    that agency's rows, one per complaint), and the agency cases' rows."""
    agency = report_filter.agency.pk if report_filter.agency is not None else None
    own = f"agency_id = {int(agency or 0)}"
    cases = f"agency_id = {int(agency)}" if agency else "agency_id > 0"
    groups = {
        "split": (["status", "report_type", "channel"], own),
        "declines": (["decline_reason"], f"{own} AND decline_reason <> ''"),
        "ratings": (["rating"], f"{own} AND rating > 0"),
        "category": (["category_id", ANSWERED], own),
        "kecamatan": (["kecamatan_id", ANSWERED], own),
        "kelurahan": (["kelurahan_id", ANSWERED], f"{own} AND kelurahan_id > 0"),
        "days": (["day", ANSWERED], own),
        "first": (["day", "first_days"], f"{own} AND first_days >= 0"),
        "answer": (["day", "answer_days"], f"{own} AND answer_days >= 0"),
    }
    for name, (columns, condition) in CASE_GROUPS.items():
        groups[name] = (columns, f"{cases} AND {condition}")
    return groups


def _areas(counts: list[GroupCount], model, *, empty: str = "") -> list[AreaRow]:
    """Submitted and answered complaints per category or region id (0: none)."""
    submitted: dict[int, int] = defaultdict(int)
    responded: dict[int, int] = defaultdict(int)
    for count in counts:
        pk = int(count.by[0])
        submitted[pk] += count.n
        responded[pk] += count.n if count.by[1] == "1" else 0
    names = {pk: item.name for pk, item in model.objects.in_bulk(list(submitted)).items()}
    areas = [AreaRow(names.get(pk) or empty, n, responded[pk]) for pk, n in submitted.items()]
    return sorted(areas, key=lambda row: (-row.submitted, row.label))


def _months(counts: list[GroupCount], report_filter: ReportFilter) -> list[MonthRow]:
    submitted: dict[date, int] = defaultdict(int)
    responded: dict[date, int] = defaultdict(int)
    for count in counts:
        month = date.fromisoformat(count.by[0]).replace(day=1)
        submitted[month] += count.n
        responded[month] += count.n if count.by[1] == "1" else 0
    months = []
    month = Month(report_filter.start.year, report_filter.start.month)
    while month.first_day <= report_filter.end:
        months.append(
            MonthRow(month.first_day, submitted[month.first_day], responded[month.first_day])
        )
        month = month.next
    return months


def _agency_rows(
    report_filter: ReportFilter,
    agencies: dict[int, CaseCounts],
    *,
    today: date,
    holidays: set[date],
) -> list[AgencyRow]:
    if not agencies:
        return []
    overdue = _overdue_by_agency(report_filter, today)
    named = Agency.objects.in_bulk(list(agencies))
    rows = []
    for agency_id, counts in agencies.items():
        agency = named[agency_id]
        handling = case_figures_of(counts, today=today, holidays=holidays)
        rows.append(
            AgencyRow(
                code=agency.code,
                name=agency.name,
                short_name=agency.short_name or agency.name,
                received=handling.received,
                responded=handling.responded,
                overdue=overdue.get(agency_id, 0),
                median_working_days_to_first_response=(
                    handling.median_working_days_to_first_response
                ),
                median_working_days_to_response=median_of_spans(counts.to_answer, holidays),
                share_within_deadline=handling.share_within_deadline,
                average_rating=handling.average_rating,
            )
        )
    return sorted(rows, key=lambda row: (-row.received.base, row.name))


def _overdue_by_agency(report_filter: ReportFilter, today: date) -> dict[int, int]:
    """Per agency id: its working assignments among the filter's that are late now
    (`assignment_overdue`). Counted on the open complaints through their indexes, in two
    steps so that the plan starts there: every assignment late by `assignment_overdue` has
    its complaint overdue (`complaint_overdue`), late either with its own first follow-up
    or through the complaint's running answer clock."""
    answer_late = reduce(or_, (Q(**{f"{clock.field}__lt": today}) for clock in ANSWER_CLOCKS))
    late_complaints = dict(
        report_filter.complaints()
        .filter(complaint_overdue(today, agency=report_filter.agency))
        .annotate(answer_late=ExpressionWrapper(answer_late, output_field=BooleanField()))
        .values_list("pk", "answer_late")
    )
    if not late_complaints:
        return {}
    working = Assignment.objects.filter(
        complaint_id__in=list(late_complaints), status__in=WORKING_ASSIGNMENT_STATUSES
    )
    if report_filter.agency is not None:
        working = working.filter(agency=report_filter.agency)
    overdue: dict[int, int] = defaultdict(int)
    for agency_id, complaint_id, followed_up, due in working.values_list(
        "agency_id", "complaint_id", "first_followup_at", "followup_due"
    ):
        if late_complaints[complaint_id] or (followed_up is None and is_overdue(due, today)):
            overdue[agency_id] += 1
    return overdue

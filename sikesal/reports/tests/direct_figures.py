"""The figures computed straight from the complaints, as they were before the rollups
(issue #13): the reference the rollups must equal (test_rollups.py). Slow by design: it
reads every complaint of the filter."""

import statistics
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from datetime import date, datetime
from typing import NamedTuple

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from sikesal.agencies.models import Agency
from sikesal.complaints.deadlines import (
    assignment_overdue,
    complaint_overdue,
    first_followup_at,
    followup_on_time,
)
from sikesal.complaints.models import (
    AGENCY_CASE_STATUSES,
    Assignment,
    Channel,
    Complaint,
    DeclineReason,
    ReportType,
    Status,
)
from sikesal.complaints.selectors import agency_cases
from sikesal.complaints.stats import AgencyFigures, Figure
from sikesal.core.calendar import days_off, local_date, working_days_between_many
from sikesal.reports.figures import (
    RATINGS,
    TOP,
    AgencyRow,
    AreaRow,
    MonthRow,
    ReportFigures,
    ReportFilter,
    Tally,
)
from sikesal.reports.recap import Month


def direct_agency_figures(agency: Agency, *, today: date | None = None) -> AgencyFigures:
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


def direct_report_figures(
    report_filter: ReportFilter, *, today: date | None = None
) -> ReportFigures:
    """The figures of `report_filter` as of `today` (default: today in Jakarta)."""
    today = today or local_date(timezone.now())
    complaints = report_filter.complaints()

    totals = complaints.aggregate(
        total=Count("pk"),
        responded=Count("pk", filter=Q(responded_at__isnull=False)),
        declined=Count("pk", filter=~Q(decline_reason="")),
        overdue=Count("pk", filter=complaint_overdue(today, agency=report_filter.agency)),
        rated=Count("rating"),
        average_rating=Avg("rating"),
    )
    # One grouped count gives the three splits of the total.
    by_status: dict[str, int] = defaultdict(int)
    by_type: dict[str, int] = defaultdict(int)
    by_channel: dict[str, int] = defaultdict(int)
    for status, report_type, channel, count in (
        complaints.order_by()
        .values_list("status", "report_type", "channel")
        .annotate(count=Count("pk"))
    ):
        by_status[status] += count
        by_type[report_type] += count
        by_channel[channel] += count
    declines = _counts(complaints.exclude(decline_reason=""), "decline_reason")
    ratings = _counts(complaints.filter(rating__isnull=False), "rating")

    spans = _complaint_spans(complaints)
    cases = handling_cases(report_filter.assignments())
    holidays = _days_off_for(
        [day for span in spans for day in span if day]
        + [day for case in cases for day in _case_days(case)]
    )
    to_first = working_days_between_many(
        ((submitted, first) for submitted, first, _ in spans if first), holidays=holidays
    )
    to_response = working_days_between_many(
        ((submitted, answered) for submitted, _, answered in spans if answered),
        holidays=holidays,
    )

    return ReportFigures(
        filter=report_filter,
        as_of=today,
        total=totals["total"],
        responded=totals["responded"],
        declined=totals["declined"],
        overdue=totals["overdue"],
        by_status=[Tally(s.value, s.label, by_status[s.value]) for s in Status],
        by_report_type=[Tally(t.value, t.label, by_type[t.value]) for t in ReportType],
        by_channel=[Tally(c.value, c.label, by_channel[c.value]) for c in Channel],
        declines=[Tally(r.value, r.label, declines.get(r.value, 0)) for r in DeclineReason],
        by_category=_areas(complaints, "category"),
        by_kecamatan=_areas(complaints, "kecamatan", empty="—"),
        top_kelurahan=_areas(complaints.filter(kelurahan__isnull=False), "kelurahan")[:TOP],
        months=_months(complaints, report_filter),
        median_working_days_to_first_response=_median(to_first),
        median_working_days_to_response=_median(to_response),
        share_within_deadline=handling_figures(
            cases, today=today, holidays=holidays
        ).share_within_deadline,
        average_rating=Figure(totals["average_rating"], totals["rated"]),
        ratings=[Tally(str(r), str(r), ratings.get(r, 0)) for r in RATINGS],
        agencies=_agency_rows(report_filter, cases, today=today, holidays=holidays),
    )


def _counts(complaints: QuerySet[Complaint], name: str) -> dict:
    return dict(complaints.order_by().values_list(name).annotate(count=Count("pk")))


def _areas(complaints: QuerySet[Complaint], relation: str, *, empty: str = "") -> list[AreaRow]:
    rows = (
        complaints.order_by()
        .values_list(f"{relation}_id", f"{relation}__name")
        .annotate(
            submitted=Count("pk"), responded=Count("pk", filter=Q(responded_at__isnull=False))
        )
    )
    areas = [
        AreaRow(label or empty, submitted, responded) for _, label, submitted, responded in rows
    ]
    return sorted(areas, key=lambda row: (-row.submitted, row.label))


def _months(complaints: QuerySet[Complaint], report_filter: ReportFilter) -> list[MonthRow]:
    """Counted with one conditional aggregate per month: plain comparisons on the indexed
    submission time, the same on SQLite and PostgreSQL (no time-zone function per row)."""
    months = []
    month = Month(report_filter.start.year, report_filter.start.month)
    while month.first_day <= report_filter.end:
        months.append(month)
        month = month.next
    counts = {}
    for index, month in enumerate(months):
        start, end = month.bounds()
        within = Q(submitted_at__gte=start, submitted_at__lt=end)
        counts[f"submitted_{index}"] = Count("pk", filter=within)
        counts[f"responded_{index}"] = Count("pk", filter=within & Q(responded_at__isnull=False))
    counted = complaints.aggregate(**counts)
    return [
        MonthRow(month.first_day, counted[f"submitted_{index}"], counted[f"responded_{index}"])
        for index, month in enumerate(months)
    ]


def _complaint_spans(
    complaints: QuerySet[Complaint],
) -> list[tuple[date, date | None, date | None]]:
    """(submitted, first response, answer) Jakarta dates of the complaints that have had a
    first response or an answer."""
    zone = timezone.get_default_timezone()
    return [
        (
            submitted.astimezone(zone).date(),
            first.astimezone(zone).date() if first else None,
            answered.astimezone(zone).date() if answered else None,
        )
        for submitted, first, answered in complaints.filter(
            Q(first_response_at__isnull=False) | Q(responded_at__isnull=False)
        ).values_list("submitted_at", "first_response_at", "responded_at")
    ]


def _case_days(case: HandlingCase) -> Iterable[date]:
    yield case.routed_on
    for day in (case.first_response_on, case.responded_on):
        if day is not None:
            yield day


def _days_off_for(days: list[date]) -> set[date]:
    """The days off from the first to the last of `days` (one query; none for no days)."""
    if not days:
        return set()
    return days_off(min(days), max(days))


def _median(values: list[int]) -> Figure:
    return Figure(float(statistics.median(values)) if values else None, len(values))


def _agency_rows(
    report_filter: ReportFilter,
    cases: list[HandlingCase],
    *,
    today: date,
    holidays: set[date],
) -> list[AgencyRow]:
    by_agency: dict[int, list[HandlingCase]] = defaultdict(list)
    for case in cases:
        by_agency[case.agency_id].append(case)
    if not by_agency:
        return []
    overdue = dict(
        report_filter.assignments()
        .filter(assignment_overdue(today))
        .order_by()
        .values_list("agency_id")
        .annotate(count=Count("pk"))
    )
    agencies = Agency.objects.in_bulk(list(by_agency))
    rows = []
    for agency_id, cases_of_agency in by_agency.items():
        agency = agencies[agency_id]
        handling = handling_figures(cases_of_agency, today=today, holidays=holidays)
        to_response = working_days_between_many(
            (
                (case.routed_on, case.responded_on)
                for case in cases_of_agency
                if case.responded_on is not None
            ),
            holidays=holidays,
        )
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
                median_working_days_to_response=_median(to_response),
                share_within_deadline=handling.share_within_deadline,
                average_rating=handling.average_rating,
            )
        )
    return sorted(rows, key=lambda row: (-row.received.base, row.name))

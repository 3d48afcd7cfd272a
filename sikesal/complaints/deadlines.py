"""Every deadline clock of a complaint, in one place: its due date, whether it is running,
and what is overdue, for one item, for a list, and as query conditions.

The clocks (docs/workflow.md, "Deadlines"): the complaint's own review, first response and
decision clocks (`COMPLAINT_CLOCKS`), each agency's first follow-up (`Assignment.followup_due`),
and the citizen's clarification and rating clocks. Every due date is an Asia/Jakarta calendar
date; a clock is stopped by clearing its date. The complaint's clocks run while it is
`IN_HANDLING` and not paused for a clarification; an agency's first follow-up runs while its
assignment is working and not followed up. An item is overdue from the day after its due
date, and "overdue by N" counts working days (`sikesal.core.calendar`, the one working-day
count); the citizen's clocks are never flagged: the system acts when they run out.

The lengths are `settings.SIKESAL_DEADLINES`, read at each call. Pages, reports, the
periodic jobs and the workflow ask this module; none of them compares due dates itself.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import reduce
from operator import or_
from typing import Any, NamedTuple

from django.conf import settings
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy

from sikesal.agencies.models import Agency
from sikesal.complaints.models import (
    FINISHED,
    IN_HANDLING,
    WORKING_ASSIGNMENT_STATUSES,
    Assignment,
    Complaint,
    DeadlineKind,
    Status,
)
from sikesal.core.calendar import (
    add_working_days,
    days_off,
    local_date,
    working_days_between,
    working_days_between_many,
)


def setting(name: str) -> int:
    return settings.SIKESAL_DEADLINES[name]


def local_today() -> date:
    """Today in Asia/Jakarta, whoever asks: the day every clock is compared with."""
    return local_date(timezone.now())


# --- due dates ---------------------------------------------------------------------------------


def start_clocks(complaint: Complaint, submitted_at: datetime) -> None:
    """The clocks a new complaint starts: review, first response and decision."""
    day = local_date(submitted_at)
    complaint.review_due = review_due(day)
    complaint.response_due = day + timedelta(days=setting("response_calendar_days"))
    complaint.decision_due = day + timedelta(days=setting("decision_calendar_days"))


def review_due(received_on: date) -> date:
    """The Secretariat's review: on filing, and again when the last agency hands it back."""
    return add_working_days(received_on, setting("review_working_days"))


def followup_due(routed_on: date) -> date:
    return add_working_days(routed_on, setting("first_followup_working_days"))


def objection_decision_due(objected_on: date) -> date:
    """After an objection the agencies owe a new answer: a fresh response period
    (UU 25/2009: 14 days)."""
    return objected_on + timedelta(days=setting("response_calendar_days"))


def clarification_due(asked_on: date) -> date:
    return asked_on + timedelta(days=setting("clarification_calendar_days"))


def rating_due(responded_on: date) -> date:
    return add_working_days(responded_on, setting("rating_working_days"))


def pause(complaint: Complaint, today: date) -> None:
    """Stop the clocks while the citizen is asked for a clarification."""
    complaint.paused_on = today


def resume(complaint: Complaint, today: date) -> None:
    """Restart the clocks: every running due date moves on by the time spent waiting.

    Working-day clocks move by the working days waited, calendar clocks by calendar days.
    """
    if complaint.paused_on is None:
        return
    waited_days = (today - complaint.paused_on).days
    waited_working_days = working_days_between(complaint.paused_on, today)
    if complaint.review_due and waited_working_days:
        complaint.review_due = add_working_days(complaint.review_due, waited_working_days)
    if complaint.response_due:
        complaint.response_due += timedelta(days=waited_days)
    if complaint.decision_due:
        complaint.decision_due += timedelta(days=waited_days)
    complaint.paused_on = None
    complaint.clarification_due = None


def stop_all(complaint: Complaint) -> None:
    """Stop every clock, the citizen's too (a decline)."""
    complaint.review_due = None
    complaint.response_due = None
    complaint.decision_due = None
    complaint.clarification_due = None
    complaint.rating_due = None
    complaint.paused_on = None


# --- which clocks run --------------------------------------------------------------------------


class ComplaintClock(NamedTuple):
    """One of the complaint's own clocks: its date field and its title on staff pages."""

    field: str
    label: Any  # lazy translation

    @property
    def kind(self) -> DeadlineKind:
        """The breach kind (and its label in reports): review_due → REVIEW, and so on."""
        return DeadlineKind(self.field.removesuffix("_due"))


REVIEW_CLOCK = ComplaintClock("review_due", gettext_lazy("Batas penelaahan"))
RESPONSE_CLOCK = ComplaintClock("response_due", gettext_lazy("Batas tanggapan pertama"))
DECISION_CLOCK = ComplaintClock("decision_due", gettext_lazy("Batas penyelesaian"))
# The complaint's handling clocks (not the citizen's), in the order they run out.
COMPLAINT_CLOCKS = (REVIEW_CLOCK, RESPONSE_CLOCK, DECISION_CLOCK)
# Those the agencies' answer serves (the review is the Secretariat's).
ANSWER_CLOCKS = (RESPONSE_CLOCK, DECISION_CLOCK)


def is_running(complaint: Complaint) -> bool:
    """Whether the complaint's own clocks run: still in handling and not waiting for the
    citizen's clarification."""
    return complaint.status in IN_HANDLING and complaint.paused_on is None


def running_clocks(complaint: Complaint) -> list[tuple[ComplaintClock, date]]:
    """The complaint's running clocks with their due dates."""
    if not is_running(complaint):
        return []
    return [(clock, due) for clock in COMPLAINT_CLOCKS if (due := getattr(complaint, clock.field))]


def complaint_dues(complaint: Complaint, assignments: Iterable[Assignment] = ()) -> list[date]:
    """The due dates of the complaint's running clocks, and of the running first follow-ups
    of `assignments` (its own)."""
    dues = [due for _clock, due in running_clocks(complaint)]
    return dues + [due for a in assignments if (due := running_followup_due(a))]


def running_followup_due(assignment: Assignment) -> date | None:
    """When the agency's first follow-up is due, while that clock runs."""
    if (
        assignment.status in WORKING_ASSIGNMENT_STATUSES
        and assignment.first_followup_at is None
        and assignment.complaint.paused_on is None
    ):
        return assignment.followup_due
    return None


def answer_due(assignment: Assignment) -> date | None:
    """When the agency's answer is due: the complaint's earliest running response or
    decision clock, while the agency still owes it."""
    if assignment.status not in WORKING_ASSIGNMENT_STATUSES:
        return None
    complaint = assignment.complaint
    dues = [due for clock, due in running_clocks(complaint) if clock in ANSWER_CLOCKS]
    return min(dues, default=None)


def assignment_dues(assignment: Assignment) -> list[date]:
    """The running due dates an agency has on one assignment: first follow-up and answer."""
    return [due for due in (running_followup_due(assignment), answer_due(assignment)) if due]


def age_days(complaint: Complaint, today: date) -> int:
    """Calendar days since the complaint was filed."""
    return (today - local_date(complaint.submitted_at)).days


# --- overdue: one item, and many at once ------------------------------------------------------


def is_overdue(due: date | None, today: date) -> bool:
    """Overdue from the day after the due date (a weekend day after it too)."""
    return due is not None and due < today


def overdue_days(due: date | None, today: date) -> int:
    """Working days past `due` (0 when not overdue, or no clock). One query."""
    if not is_overdue(due, today):
        return 0
    return working_days_between(due, today)


@dataclass(frozen=True)
class Clock:
    """One due date as a page shows it."""

    label: str
    due: date
    overdue: bool = False
    overdue_days: int = 0  # working days past `due`


class OverdueCounter:
    """`overdue_days` for any number of due dates, with one holiday query: for lists,
    pages with several clocks, recaps and reports."""

    def __init__(self, dues: Iterable[date | None], today: date) -> None:
        self.today = today
        past = sorted({due for due in dues if is_overdue(due, today)})
        holidays = days_off(past[0], today) if past else set()
        counts = working_days_between_many([(due, today) for due in past], holidays=holidays)
        self._days = dict(zip(past, counts, strict=True))

    def days(self, due: date | None) -> int:
        """Working days past `due`; 0 when not overdue."""
        if not is_overdue(due, self.today):
            return 0
        if due not in self._days:
            self._days[due] = overdue_days(due, self.today)
        return self._days[due]

    def clock(self, label, due: date | None) -> Clock | None:
        if due is None:
            return None
        return Clock(str(label), due, is_overdue(due, self.today), self.days(due))


def next_clock(
    complaint: Complaint, counter: OverdueCounter, assignments: Iterable[Assignment] = ()
) -> Clock | None:
    """The earliest running clock of a complaint, its agencies' first follow-ups (of
    `assignments`) included; None while it waits for the citizen."""
    clocks = [counter.clock(clock.label, due) for clock, due in running_clocks(complaint)]
    clocks += [
        counter.clock(DeadlineKind.FIRST_FOLLOWUP.label, due)
        for assignment in assignments
        if (due := running_followup_due(assignment))
    ]
    return min(clocks, key=lambda clock: clock.due, default=None)


@dataclass(frozen=True)
class PageClocks:
    """A complaint's clocks as its staff page shows them."""

    handling: list[Clock]  # its own clocks; flagged overdue only while not paused
    citizen: list[Clock]  # the citizen's clarification and rating: shown, never flagged
    followups: dict[int, Clock | None]  # each assignment's running first follow-up, by pk


def page_clocks(complaint: Complaint, assignments: Iterable[Assignment], today: date) -> PageClocks:
    """Every clock of one complaint and its `assignments`, with one holiday query."""
    assignments = list(assignments)
    running = complaint.paused_on is None
    followup_dues = {a.pk: running_followup_due(a) for a in assignments}
    counter = OverdueCounter(
        [*(getattr(complaint, c.field) for c in COMPLAINT_CLOCKS), *followup_dues.values()],
        today,
    )
    return PageClocks(
        handling=[
            counter.clock(clock.label, due) if running else Clock(str(clock.label), due)
            for clock in COMPLAINT_CLOCKS
            if (due := getattr(complaint, clock.field))
        ],
        # The system acts when these run out; nobody on staff is late.
        citizen=[
            Clock(str(Complaint._meta.get_field(name).verbose_name), due)
            for name in ("clarification_due", "rating_due")
            if (due := getattr(complaint, name))
        ],
        followups={
            pk: counter.clock(DeadlineKind.FIRST_FOLLOWUP.label, due) if running else None
            for pk, due in followup_dues.items()
        },
    )


# --- overdue items, as query conditions -------------------------------------------------------


def clock_overdue(clock: ComplaintClock, today: date, prefix: str = "") -> Q:
    """Complaints whose `clock` runs and is past due; `prefix` applies the condition
    through a relation, e.g. "complaint__"."""
    return Q(
        **{
            f"{prefix}status__in": IN_HANDLING,
            f"{prefix}paused_on__isnull": True,
            f"{prefix}{clock.field}__lt": today,
        }
    )


def followup_past_due(today: date) -> Q:
    """Working assignments not followed up by their due date, whether or not the complaint's
    clocks are paused (`followup_overdue` asks that too)."""
    return Q(
        status__in=WORKING_ASSIGNMENT_STATUSES,
        first_followup_at__isnull=True,
        followup_due__lt=today,
    )


def followup_overdue(today: date) -> Q:
    """Working assignments whose first follow-up is past due."""
    return followup_past_due(today) & Q(complaint__paused_on__isnull=True)


def assignment_overdue(today: date) -> Q:
    """Working assignments late with the first follow-up or with the complaint's answer
    (its running response or decision clock)."""
    answer_late = reduce(
        or_, (clock_overdue(clock, today, prefix="complaint__") for clock in ANSWER_CLOCKS)
    )
    return followup_overdue(today) | (Q(status__in=WORKING_ASSIGNMENT_STATUSES) & answer_late)


def complaint_overdue(today: date, *, agency: Agency | None = None) -> Q:
    """Overdue complaints: late by one of their own running clocks, or through one of their
    agencies late with its first follow-up or its answer (only `agency`'s, when given).

    The staff queue's "overdue" filter and count, and the reports' overdue figures.

    Written for the indexes, and equal to "own clock late, or an agency late by
    `assignment_overdue`": every overdue complaint is running (`is_running`), its own clocks
    by definition and an agency's because an assignment is working only while its complaint
    is with agencies (answering, returning, closing and declining all end it); so the
    condition says that first, and the index on the open complaints
    (`complaint_open_queue_idx`) serves it instead of a scan of every complaint ever filed.
    An agency late with its answer is late by the complaint's own response or decision
    clock, which `own` already counts: only its first follow-up is left to look up."""
    own = reduce(or_, (Q(**{f"{clock.field}__lt": today}) for clock in COMPLAINT_CLOCKS))
    late = Assignment.objects.filter(followup_past_due(today), complaint=OuterRef("pk"))
    if agency is not None:
        late = late.filter(agency=agency)
    return Q(status__in=IN_HANDLING, paused_on__isnull=True) & (own | Q(Exists(late)))


def clarification_run_out(now: datetime) -> Q:
    """Complaints whose citizen let the clarification clock run out (to be declined)."""
    return Q(status=Status.NEEDS_CLARIFICATION, clarification_due__lt=local_date(now))


def rating_run_out(now: datetime) -> Q:
    """Responded complaints whose citizen let the rating clock run out (to be closed)."""
    return Q(status=Status.RESPONDED, rating_due__lt=local_date(now))


def archive_due(now: datetime) -> Q:
    """Finished complaints closed or declined long enough ago to be archived."""
    closed_before = now - timedelta(days=setting("archive_after_days"))
    return Q(status__in=FINISHED, closed_at__lt=closed_before)


# --- first follow-up on time ------------------------------------------------------------------


def first_followup_at() -> Coalesce:
    """An assignment's first follow-up: its first public update, else its answer."""
    return Coalesce(F("first_followup_at"), F("responded_at"))


def followup_on_time(due: date | None, followed_up_on: date | None, today: date) -> bool | None:
    """Whether an agency's first follow-up came on time: True or False once that is known
    (made, or the due date passed without it), None while it may still come or without a
    clock."""
    if due is None:
        return None
    if followed_up_on is not None:
        return followed_up_on <= due
    return False if is_overdue(due, today) else None

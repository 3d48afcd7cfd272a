"""Deadline clocks of a complaint: starting, pausing while the citizen is asked, resuming.

Every due date is an Asia/Jakarta calendar date; an item is overdue from the day after its
due date. Working-day clocks run on `sikesal.core.calendar`; the others on calendar days.
The lengths are `settings.SIKESAL_DEADLINES`, read at each call.
"""

from datetime import date, datetime, timedelta

from django.conf import settings
from django.db.models import Q

from sikesal.complaints.models import AssignmentStatus
from sikesal.core.calendar import add_working_days, local_date, working_days_between


def setting(name: str) -> int:
    return settings.SIKESAL_DEADLINES[name]


def start_clocks(complaint, submitted_at: datetime) -> None:
    """The clocks a new complaint starts: review, first response and decision."""
    day = local_date(submitted_at)
    complaint.review_due = add_working_days(day, setting("review_working_days"))
    complaint.response_due = day + timedelta(days=setting("response_calendar_days"))
    complaint.decision_due = day + timedelta(days=setting("decision_calendar_days"))


def followup_due(routed_on: date) -> date:
    return add_working_days(routed_on, setting("first_followup_working_days"))


def clarification_due(asked_on: date) -> date:
    return asked_on + timedelta(days=setting("clarification_calendar_days"))


def rating_due(responded_on: date) -> date:
    return add_working_days(responded_on, setting("rating_working_days"))


def pause(complaint, today: date) -> None:
    """Stop the clocks while the citizen is asked for a clarification."""
    complaint.paused_on = today


def resume(complaint, today: date) -> None:
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


def overdue_days(due: date | None, today: date) -> int:
    """Working days past `due` (0 when not overdue or no clock)."""
    if due is None or today <= due:
        return 0
    return working_days_between(due, today)


# --- overdue items, as query conditions (the queue's filter, the monitoring dashboard) --------

# The assignments whose agency still owes the citizen something.
WORKING_ASSIGNMENT_STATUSES = (AssignmentStatus.ROUTED, AssignmentStatus.ACCEPTED)


def complaint_overdue(today: date, prefix: str = "") -> Q:
    """Complaints with a running clock past due (a paused clock is not running).

    `prefix` applies the condition through a relation, e.g. "complaint__".
    """
    return Q(**{f"{prefix}paused_on__isnull": True}) & (
        Q(**{f"{prefix}review_due__lt": today})
        | Q(**{f"{prefix}response_due__lt": today})
        | Q(**{f"{prefix}decision_due__lt": today})
    )


def assignment_overdue(today: date) -> Q:
    """Working assignments late with the first follow-up or with the complaint's answer."""
    followup_late = Q(first_followup_at__isnull=True, followup_due__lt=today)
    answer_late = Q(complaint__response_due__lt=today) | Q(complaint__decision_due__lt=today)
    return Q(status__in=WORKING_ASSIGNMENT_STATUSES, complaint__paused_on__isnull=True) & (
        followup_late | answer_late
    )

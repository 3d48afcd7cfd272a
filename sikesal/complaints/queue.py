"""The staff queue's rows: each complaint (Secretariat, executives) or assignment (agency
staff) with its age and its clocks, as the queue page and its CSV show them.

Which items are in the queue is `selectors.staff_queue`; when each clock is due and how
late it is, `deadlines`.
"""

from dataclasses import dataclass, field
from datetime import date

from sikesal.agencies.models import Agency
from sikesal.complaints.deadlines import (
    Clock,
    OverdueCounter,
    age_days,
    answer_due,
    complaint_dues,
    next_clock,
    running_followup_due,
)
from sikesal.complaints.models import Assignment, Complaint, DeadlineKind, Status


@dataclass
class QueueRow:
    complaint: Complaint
    age_days: int
    clock: Clock | None = None
    returned: bool = False
    agencies: list[Agency] = field(default_factory=list)
    # Agency console only:
    assignment: Assignment | None = None
    followup: Clock | None = None


def queue_rows(items: list, today: date, *, on_complaints: bool) -> list[QueueRow]:
    """Rows for one page (or one CSV batch) of `selectors.staff_queue`, with one holiday
    query: complaints carry their `handling` assignments and `returned` annotation."""
    if on_complaints:
        counter = OverdueCounter((d for c in items for d in complaint_dues(c, c.handling)), today)
        return [
            QueueRow(
                complaint=complaint,
                age_days=age_days(complaint, today),
                clock=next_clock(complaint, counter, complaint.handling),
                returned=complaint.returned and complaint.status == Status.IN_REVIEW,
                agencies=[a.agency for a in complaint.handling],
            )
            for complaint in items
        ]
    counter = OverdueCounter(
        [d for a in items for d in (running_followup_due(a), answer_due(a))], today
    )
    return [
        QueueRow(
            complaint=assignment.complaint,
            age_days=age_days(assignment.complaint, today),
            assignment=assignment,
            followup=counter.clock(
                DeadlineKind.FIRST_FOLLOWUP.label, running_followup_due(assignment)
            ),
            clock=counter.clock(DeadlineKind.RESPONSE.label, answer_due(assignment)),
        )
        for assignment in items
    ]

"""What a staff member reads of one complaint: the console's complaint page and the API's
staff detail both show exactly this.

Which complaints they may open is `selectors.staff_complaint`; whose work they read their
`selectors.staff_audience`; the actions offered `workflow.available_actions`; the clocks
`deadlines.page_clocks`. The reporter's identity is never part of it: `can_identify` only
says whether it may be opened on request (logged by `services.reporter_identity`).
"""

from dataclasses import dataclass
from datetime import date

from sikesal.accounts.models import User
from sikesal.complaints import deadlines, selectors
from sikesal.complaints.deadlines import Clock, PageClocks
from sikesal.complaints.models import Assignment, Complaint, ComplaintPhoto
from sikesal.complaints.timeline import TimelineEntry, timeline_entries
from sikesal.complaints.workflow import available_actions


@dataclass(frozen=True)
class AssignmentRow:
    """One assignment as the complaint page lists it."""

    assignment: Assignment
    followup: Clock | None  # its running first follow-up
    mine: bool  # the reader's own agency's
    # Another agency's row shows its agency, status and public answer only.
    own_work: bool


@dataclass(frozen=True)
class StaffComplaintDetail:
    complaint: Complaint
    assignment_rows: list[AssignmentRow]
    my_assignment: Assignment | None
    # action name → the assignment it acts on (None: the complaint), in the offered order.
    actions: dict[str, Assignment | None]
    clocks: PageClocks
    duplicate_of: Complaint | None
    duplicates: list[Complaint]
    timeline: list[TimelineEntry]
    submission_photos: list[ComplaintPhoto]
    can_identify: bool


def staff_complaint_detail(user: User, complaint: Complaint, today: date) -> StaffComplaintDetail:
    """Everything the complaint page shows `user` of `complaint` (one they may open)."""
    assignments = selectors.complaint_assignments(complaint)
    my_assignment = selectors.my_assignment(user, complaint, assignments)
    clocks = deadlines.page_clocks(complaint, assignments, today)
    audience = selectors.staff_audience(user)
    duplicate_of, duplicates = selectors.duplicates(user, complaint)
    timeline = timeline_entries(complaint, audience=audience)
    return StaffComplaintDetail(
        complaint=complaint,
        assignment_rows=[
            AssignmentRow(
                assignment=a,
                followup=clocks.followups[a.pk],
                mine=my_assignment is not None and a.pk == my_assignment.pk,
                own_work=audience.reads_work_of(a.agency_id),
            )
            for a in assignments
        ],
        my_assignment=my_assignment,
        actions=available_actions(complaint, user, my_assignment),
        clocks=clocks,
        duplicate_of=duplicate_of,
        duplicates=duplicates,
        timeline=timeline,
        submission_photos=[p for e in timeline if e.action == "submit" for p in e.photos],
        can_identify=selectors.can_see_identity(user, complaint, assignments),
    )

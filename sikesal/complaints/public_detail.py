"""What anyone reads of one public complaint: the /pengaduan/<tracking>/ page and the public
API's detail both show exactly this.

Which complaints are public is `selectors.public_complaints`; the steps the public reads
`timeline.timeline_entries` for the `PUBLIC` audience; where it is on a map
`selectors.public_point`. Nothing personal: no reporter, no staff names, no address text
or coordinates of the reporter's.
"""

from dataclasses import dataclass

from sikesal.complaints import selectors
from sikesal.complaints.models import Assignment, AssignmentStatus, Complaint, ComplaintPhoto
from sikesal.complaints.timeline import PUBLIC, TimelineEntry, timeline_entries


@dataclass(frozen=True)
class PublicComplaintDetail:
    complaint: Complaint
    assignments: list[Assignment]  # the agencies handling it now, the lead first
    responses: list[Assignment]  # those that have answered (their HASIL PENANGANAN)
    timeline: list[TimelineEntry]
    submission_photos: list[ComplaintPhoto]
    rating: int | None


def public_complaint_detail(tracking_number: str) -> PublicComplaintDetail:
    """The public complaint `tracking_number`, as its public page shows it; else Http404."""
    complaint = selectors.public_complaint(tracking_number)
    assignments = selectors.handling_assignments(complaint)
    timeline = timeline_entries(complaint, audience=PUBLIC)
    return PublicComplaintDetail(
        complaint=complaint,
        assignments=assignments,
        responses=[a for a in assignments if a.status == AssignmentStatus.RESPONDED],
        timeline=timeline,
        submission_photos=[p for e in timeline if e.action == "submit" for p in e.photos],
        rating=selectors.public_rating(complaint),
    )

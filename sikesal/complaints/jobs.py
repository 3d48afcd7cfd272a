"""What the clock does to complaints: breach alerts, the automatic transitions, and the
removal of photos uploaded to forms that were never sent.

Both sweeps are idempotent ("everything due by now"), so the scheduler may run them late,
twice, or after a pause. Each automatic change goes through `workflow.transition` with
actor None (the system), one complaint per transaction.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from sikesal.accounts.models import Role, User
from sikesal.complaints import deadlines
from sikesal.complaints.models import (
    Assignment,
    Complaint,
    ComplaintPhoto,
    DeadlineBreach,
    DeadlineKind,
    PhotoState,
)
from sikesal.complaints.workflow import InvalidTransition, staff_recipients, transition
from sikesal.core.calendar import local_date

logger = logging.getLogger(__name__)


@dataclass
class SweepReport:
    breaches: int = 0
    declined: int = 0
    closed: int = 0
    archived: int = 0
    skipped: list[str] = field(default_factory=list)


def breaches_record(*, now: datetime | None = None) -> SweepReport:
    """Record every deadline passed by now and alert once per breach.

    The agency head(s) hear of their assignment's breaches, the Secretariat of every breach.
    """
    today = local_date(now or timezone.now())
    report = SweepReport()
    for clock in deadlines.COMPLAINT_CLOCKS:
        late = Complaint.objects.filter(deadlines.clock_overdue(clock, today))
        for complaint in late.select_related("category"):
            if _record(complaint, None, clock.kind, getattr(complaint, clock.field)):
                report.breaches += 1
    late_followups = Assignment.objects.filter(deadlines.followup_overdue(today)).select_related(
        "complaint", "agency"
    )
    for assignment in late_followups:
        if _record(
            assignment.complaint, assignment, DeadlineKind.FIRST_FOLLOWUP, assignment.followup_due
        ):
            report.breaches += 1
    return report


def _record(complaint: Complaint, assignment: Assignment | None, kind: str, due: date) -> bool:
    """Write the breach row and its alerts together; False when it was already recorded."""
    from sikesal.notifications.services import notify

    try:
        with transaction.atomic():
            DeadlineBreach.objects.create(
                complaint=complaint, assignment=assignment, kind=kind, due=due
            )
            recipients = list(staff_recipients("secretariat"))
            if assignment is not None:
                recipients += list(
                    User.objects.filter(
                        is_active=True,
                        memberships__agency=assignment.agency,
                        memberships__role=Role.AGENCY_HEAD,
                    )
                )
            context = {
                "tracking_number": complaint.tracking_number,
                "title": complaint.title,
                "deadline": DeadlineKind(kind).label,
                "due": due.isoformat(),
                "message": assignment.agency.name if assignment else "",
            }
            url = reverse("staff:complaint", args=[complaint.tracking_number])
            for user in {u.pk: u for u in recipients}.values():
                notify(user, "deadline_breach", context=context, url=url)
    except IntegrityError:
        return False
    return True


def auto_transitions(*, now: datetime | None = None) -> SweepReport:
    """Decline unanswered clarifications, close unrated responses, archive old cases."""
    now = now or timezone.now()
    report = SweepReport()
    sweeps = (
        (
            Complaint.objects.filter(deadlines.clarification_run_out(now)),
            "decline",
            {"reason": "incomplete", "note": ""},
            "declined",
        ),
        (Complaint.objects.filter(deadlines.rating_run_out(now)), "close", {}, "closed"),
        (Complaint.objects.filter(deadlines.archive_due(now)), "archive", {}, "archived"),
    )
    for complaints, action, payload, counter in sweeps:
        for complaint in complaints.only("pk", "status"):
            try:
                transition(complaint, action, actor=None, now=now, **payload)
            except InvalidTransition as error:
                # Someone acted on it since the query: nothing to do.
                report.skipped.append(f"{complaint.pk}: {error}")
                continue
            setattr(report, counter, getattr(report, counter) + 1)
    return report


def stale_photos_delete(*, now: datetime | None = None) -> int:
    """Delete photos staged on a form (/lapor/, a clarification, a staff action) but never
    attached, once SIKESAL_STAGED_PHOTO_DAYS have passed; return how many.

    A citizen's photos must not outlive the complaint they chose not to send (UU 27/2022:
    keep personal data no longer than its purpose needs).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SIKESAL_STAGED_PHOTO_DAYS)
    deleted = 0
    stale = ComplaintPhoto.objects.filter(complaint__isnull=True, created_at__lt=cutoff)
    for photo in stale.iterator():
        # A pending photo has only what was received; a ready one only its two JPEGs.
        files = [f for f in (photo.image, photo.thumbnail, photo.received) if f.name]
        with transaction.atomic():
            if not ComplaintPhoto.objects.filter(pk=photo.pk, complaint__isnull=True).delete()[0]:
                continue  # attached since the query
        for file in files:
            try:
                file.storage.delete(file.name)
            except OSError:
                logger.warning("Could not delete the file %s of a stale photo", file.name)
        deleted += 1
    return deleted


# A photo's own task runs within seconds of the upload; one still pending after this long
# lost its task (a queue emptied, a worker killed mid-way).
PENDING_PHOTO_GRACE = timedelta(minutes=2)
PENDING_PHOTOS_PER_RUN = 500


def pending_photos_prepare(*, now: datetime | None = None) -> int:
    """Prepare photos left PENDING past `PENDING_PHOTO_GRACE`, at most
    `PENDING_PHOTOS_PER_RUN` a run (the next run takes the rest); return how many."""
    from sikesal.complaints.services import photo_prepare

    now = now or timezone.now()
    pending = (
        ComplaintPhoto.objects.filter(
            state=PhotoState.PENDING, created_at__lt=now - PENDING_PHOTO_GRACE
        )
        .order_by("created_at")
        .values_list("pk", flat=True)[:PENDING_PHOTOS_PER_RUN]
    )
    return sum(1 for pk in list(pending) if photo_prepare(photo_id=pk))

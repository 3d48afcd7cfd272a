"""Fetch-and-authorize: who may see which complaints, assignments and timeline events.

"Not yours" is the same 404 as "does not exist" (DESIGN.md: every permission is checked
on the server, per object). Each selector owns its select_related/prefetch_related.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from sikesal.accounts.models import Membership, Role, User
from sikesal.agencies.models import Agency
from sikesal.complaints.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AGENCY_CASE_STATUSES,
    ROUTED_OR_LATER,
    Assignment,
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    Visibility,
)


def _base() -> QuerySet[Complaint]:
    return Complaint.objects.select_related("category", "kelurahan", "kecamatan")


def agency_ids_for(user: User) -> list[int]:
    """The agencies whose assignments `user` works on (officer or head)."""
    return list(
        Membership.objects.filter(
            user=user,
            role__in=(Role.AGENCY_OFFICER, Role.AGENCY_HEAD),
            agency__is_active=True,
        ).values_list("agency_id", flat=True)
    )


def is_secretariat(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.has_role(Role.SECRETARIAT)


def oversees_all(user: User) -> bool:
    """The Secretariat and executives: every complaint, every agency, the city's figures."""
    return is_secretariat(user) or (
        user.is_authenticated and user.is_active and user.has_role(Role.EXECUTIVE)
    )


def can_use_staff_console(user: User) -> bool:
    return (
        user.is_authenticated
        and user.is_active
        and bool(
            user.roles & {Role.SECRETARIAT, Role.AGENCY_OFFICER, Role.AGENCY_HEAD, Role.EXECUTIVE}
        )
    )


def staff_complaints(user: User) -> QuerySet[Complaint]:
    """Complaints a staff member may open: all for the Secretariat and executives; for agency
    staff those ever routed to one of their agencies (while the assignment is active)."""
    if oversees_all(user):
        return _base()
    agencies = agency_ids_for(user)
    if not agencies:
        return Complaint.objects.none()
    routed_here = Assignment.objects.filter(
        complaint=OuterRef("pk"), agency_id__in=agencies, status__in=ACTIVE_ASSIGNMENT_STATUSES
    )
    return _base().filter(Exists(routed_here))


def staff_complaint(user: User, tracking_number: str) -> Complaint:
    try:
        return staff_complaints(user).get(tracking_number=tracking_number.upper())
    except Complaint.DoesNotExist:
        raise Http404 from None


def staff_assignments(user: User) -> QuerySet[Assignment]:
    """The assignments of the user's agencies (active ones), for the agency console."""
    return Assignment.objects.filter(
        agency_id__in=agency_ids_for(user), status__in=ACTIVE_ASSIGNMENT_STATUSES
    ).select_related("complaint", "complaint__category", "complaint__kecamatan", "agency")


def staff_assignment(user: User, pk: int) -> Assignment:
    try:
        return staff_assignments(user).get(pk=pk)
    except Assignment.DoesNotExist:
        raise Http404 from None


def can_see_identity(user: User, complaint: Complaint) -> bool:
    """Secretariat officers always; agency staff unless the complaint is anonymous."""
    if is_secretariat(user):
        return True
    if complaint.is_anonymous:
        return False
    return staff_assignments(user).filter(complaint=complaint).exists()


def my_complaints(user: User) -> QuerySet[Complaint]:
    return _base().filter(reporter=user)


def my_complaint(user: User, tracking_number: str) -> Complaint:
    try:
        return my_complaints(user).get(tracking_number=tracking_number.upper())
    except Complaint.DoesNotExist:
        raise Http404 from None


def public_complaints() -> QuerySet[Complaint]:
    """Complaints anyone may read: not confidential, and past the Secretariat's review.

    A declined complaint stays private once archived too (its decline reason remains).
    """
    return _base().filter(is_confidential=False, status__in=ROUTED_OR_LATER, decline_reason="")


def public_complaint(tracking_number: str) -> Complaint:
    try:
        return public_complaints().get(tracking_number=tracking_number.upper())
    except Complaint.DoesNotExist:
        raise Http404 from None


def timeline(complaint: Complaint, *, audience: str) -> QuerySet[ComplaintEvent]:
    """The events `audience` ("public", "reporter" or "staff") may read, oldest first."""
    events = complaint.events.select_related("actor", "assignment__agency").prefetch_related(
        "photos"
    )
    if audience == "public":
        return events.filter(visibility=Visibility.PUBLIC)
    if audience == "reporter":
        return events.filter(visibility__in=(Visibility.PUBLIC, Visibility.REPORTER))
    return events


def complaint_filter(qs: QuerySet[Complaint], params) -> QuerySet[Complaint]:
    """Apply the list filters every queue shares (GET parameters)."""
    if status := params.get("status"):
        qs = qs.filter(status=status)
    if category := params.get("category"):
        qs = qs.filter(category__code=category)
    if kecamatan := params.get("kecamatan"):
        qs = qs.filter(kecamatan__code=kecamatan)
    if agency := params.get("agency"):
        qs = qs.filter(complaints_of(agency))
    if text := (params.get("q") or "").strip():
        qs = qs.filter(
            Q(tracking_number__iexact=text)
            | Q(title__icontains=text)
            | Q(description__icontains=text)
            | Q(address__icontains=text)
        )
    return qs


def agency_cases(agency: Agency | str | None = None) -> QuerySet[Assignment]:
    """The agencies' cases, or one agency's (given as the Agency or its code): assignments
    routed to it and not handed back. A case withdrawn when its complaint was closed stays
    the agency's: it was routed there and never answered.

    "Complaints of agency X" means this in the staff queue's agency filter, the monitoring
    and reports (`reports.figures.ReportFilter`) and the agency's handling figures
    (`complaints.stats`). Which complaints an agency's own staff may open is another
    question (`staff_complaints`: active assignments only)."""
    cases = Assignment.objects.filter(status__in=AGENCY_CASE_STATUSES)
    if isinstance(agency, Agency):
        return cases.filter(agency=agency)
    if agency is not None:
        return cases.filter(agency__code=agency)
    return cases


def complaints_of(agency: Agency | str) -> Exists:
    """Condition on complaints: one of `agency_cases(agency)` is theirs."""
    return Exists(agency_cases(agency).filter(complaint=OuterRef("pk")))


def viewable_photo(user: User, pk: int) -> ComplaintPhoto:
    """A photo `user` may open, by the rules of the page it appears on; else 404.

    A staged photo (not yet attached): its uploader only. Staff who may open the complaint:
    every photo of it. Its reporter: those of the submission and of public and
    reporter-visible events. Anyone else: those of a public complaint's submission and
    public events.
    """
    photo = ComplaintPhoto.objects.select_related("complaint", "event").filter(pk=pk).first()
    if photo is None:
        raise Http404
    signed_in = user.is_authenticated and user.is_active
    if photo.complaint_id is None:
        if signed_in and photo.uploaded_by_id == user.pk:
            return photo
        raise Http404
    if signed_in and staff_complaints(user).filter(pk=photo.complaint_id).exists():
        return photo
    if signed_in and photo.complaint.reporter_id == user.pk:
        audience = (Visibility.PUBLIC, Visibility.REPORTER)
    elif public_complaints().filter(pk=photo.complaint_id).exists():
        audience = (Visibility.PUBLIC,)
    else:
        raise Http404
    if photo.event is None or photo.event.visibility in audience:
        return photo
    raise Http404

"""Fetch-and-authorize: who may see which complaints, assignments and timeline events.

"Not yours" is the same 404 as "does not exist" (DESIGN.md: every permission is checked
on the server, per object). Each selector owns its select_related/prefetch_related. The
pages' queries live here too (the staff queues and their filters, the complaint page's
lists, the public list), so that every interface reads complaints the same way; who may
use which console is `access`. What a reader may read of a complaint's work is their
`Audience` (`staff_audience`, `REPORTER_AUDIENCE`, `PUBLIC_AUDIENCE`).
"""

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import ClassVar
from uuid import uuid4

from django.core.cache import cache
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from sikesal.accounts.models import User
from sikesal.agencies.models import Agency
from sikesal.complaints.access import agency_ids_for, is_secretariat, oversees_all
from sikesal.complaints.deadlines import assignment_overdue, complaint_overdue
from sikesal.complaints.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AGENCY_CASE_STATUSES,
    AWAITING_SECRETARIAT,
    CLOSED_OR_ARCHIVED,
    IN_HANDLING,
    ROUTED_OR_LATER,
    WORKING_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Complaint,
    ComplaintDraft,
    ComplaintEvent,
    ComplaintPhoto,
    PhotoState,
    Status,
    Visibility,
)
from sikesal.complaints.search import complaint_search

# The staff queue's status filter: a plain status, or one of these.
QUEUE = ""  # the Secretariat's work: new, in review, waiting for clarification, returned
OPEN = "open"  # everything still running (for the overdue view)
RETURNED = "returned"  # in review because an agency handed it back
ALL = "all"


# Assignments as every page lists them: the lead agency first, then by routing.
LEAD_FIRST = ("-is_lead", "routed_at", "pk")


def _handling() -> QuerySet[Assignment]:
    """Active assignments with their agency, the lead first (lists and complaint pages)."""
    return (
        Assignment.objects.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES)
        .select_related("agency")
        .order_by(*LEAD_FIRST)
    )


def _base() -> QuerySet[Complaint]:
    return Complaint.objects.select_related("category", "kelurahan", "kecamatan")


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


def staff_agencies(user: User) -> QuerySet[Agency]:
    """The agencies whose assignments `user` works on, by name (the queue's agency filter)."""
    return Agency.objects.filter(pk__in=agency_ids_for(user)).order_by("name")


def complaint_assignments(complaint: Complaint) -> list[Assignment]:
    """Every assignment of `complaint` (returned ones too), the lead first, with its people."""
    return list(
        complaint.assignments.select_related(
            "agency", "routed_by", "received_by", "responded_by"
        ).order_by(*LEAD_FIRST)
    )


def my_assignment(
    user: User, complaint: Complaint, assignments: Iterable[Assignment] | None = None
) -> Assignment | None:
    """The active assignment of one of the user's agencies on `complaint`, the lead first.

    `assignments`: the complaint's assignments already loaded in that order
    (`complaint_assignments`), which saves a query.
    """
    if assignments is None:
        return staff_assignments(user).filter(complaint=complaint).order_by(*LEAD_FIRST).first()
    agencies = agency_ids_for(user)
    return next(
        (
            a
            for a in assignments
            if a.agency_id in agencies and a.status in ACTIVE_ASSIGNMENT_STATUSES
        ),
        None,
    )


def staff_assignment(user: User, pk: int) -> Assignment:
    try:
        return staff_assignments(user).get(pk=pk)
    except Assignment.DoesNotExist:
        raise Http404 from None


def can_see_identity(
    user: User, complaint: Complaint, assignments: Iterable[Assignment] | None = None
) -> bool:
    """Secretariat officers always; agency staff unless the complaint is anonymous.

    `assignments`: as for `my_assignment`.
    """
    if is_secretariat(user):
        return True
    if complaint.is_anonymous:
        return False
    return my_assignment(user, complaint, assignments) is not None


def duplicates(user: User, complaint: Complaint) -> tuple[Complaint | None, list[Complaint]]:
    """The complaint `complaint` duplicates and those that duplicate it, as far as `user` may
    open them."""
    visible = staff_complaints(user)
    original = None
    if complaint.duplicate_of_id:
        original = visible.filter(pk=complaint.duplicate_of_id).first()
    return original, list(visible.filter(duplicate_of=complaint).order_by("submitted_at", "pk"))


# --- the staff queue -----------------------------------------------------------------------

QUEUE_FILTERS = ("category", "kecamatan", "agency", "q")


def complaint_queue(user: User, filters: dict, *, today: date) -> QuerySet[Complaint]:
    """The Secretariat's and executives' queue: complaints by the queue's filters, oldest
    first, each with `returned` (an agency handed it back) and `handling` (its active
    assignments, the lead first)."""
    returned = Assignment.objects.filter(complaint=OuterRef("pk"), status=AssignmentStatus.RETURNED)
    complaints = staff_complaints(user).annotate(returned=Exists(returned))
    status = filters.get("status", QUEUE)
    if status == QUEUE:
        complaints = complaints.filter(status__in=AWAITING_SECRETARIAT)
    elif status == OPEN:
        complaints = complaints.filter(status__in=IN_HANDLING)
    elif status == RETURNED:
        complaints = complaints.filter(status=Status.IN_REVIEW, returned=True)
    elif status != ALL:
        complaints = complaints.filter(status=status)
    complaints = complaint_filter(
        complaints, {k: v for k, v in filters.items() if k in QUEUE_FILTERS}
    )
    if filters.get("overdue"):
        complaints = complaints.filter(complaint_overdue(today))
    handling = Prefetch("assignments", queryset=_handling(), to_attr="handling")
    return complaints.prefetch_related(handling).order_by("submitted_at", "pk")


def assignment_queue(user: User, filters: dict, *, today: date) -> QuerySet[Assignment]:
    """An agency's queue: the active assignments of the user's agencies by the queue's
    filters, oldest first."""
    assignments = staff_assignments(user).select_related("complaint__kelurahan")
    status = filters.get("status", "")
    if status == OPEN:
        assignments = assignments.filter(status__in=WORKING_ASSIGNMENT_STATUSES)
    elif status in ACTIVE_ASSIGNMENT_STATUSES:
        assignments = assignments.filter(status=status)
    if agency := filters.get("agency"):
        assignments = assignments.filter(agency__code=agency)
    complaint_filters = {k: v for k, v in filters.items() if k in ("category", "kecamatan", "q")}
    if complaint_filters:
        assignments = assignments.filter(
            complaint__in=complaint_filter(Complaint.objects.all(), complaint_filters)
        )
    if filters.get("overdue"):
        assignments = assignments.filter(assignment_overdue(today))
    return assignments.order_by("routed_at", "pk")


def staff_queue(user: User, filters: dict, *, today: date) -> QuerySet:
    """The queue `user` works on: complaints for the Secretariat and executives
    (`complaint_queue`), assignments for agency staff (`assignment_queue`)."""
    if oversees_all(user):
        return complaint_queue(user, filters, today=today)
    return assignment_queue(user, filters, today=today)


# How long a queue's overdue count is reused. A transition makes the next page count again
# at once in every process that shares the cache (all of them with Redis, the acting one
# with the embedded local memory); nothing else makes an item overdue but a new day.
OVERDUE_COUNT_SECONDS = 60
_QUEUE_VERSION_KEY = "sikesal:queue-version"


def overdue_count(user: User, *, today: date) -> int:
    """How many items of the user's queue are past a running deadline, whatever the filter.

    Shown on every queue page, and a count over every open item: counted once per queue
    (the Secretariat's, or one set of agencies'), day and `queue_changed`, for at most
    `OVERDUE_COUNT_SECONDS`."""
    everything = oversees_all(user)
    scope = "all" if everything else ",".join(map(str, sorted(agency_ids_for(user))))
    key = f"sikesal:overdue-count:{_queue_version()}:{today.isoformat()}:{scope}"
    count = cache.get(key)
    if count is None:
        if everything:
            count = staff_complaints(user).filter(complaint_overdue(today)).count()
        else:
            count = staff_assignments(user).filter(assignment_overdue(today)).count()
        cache.set(key, count, OVERDUE_COUNT_SECONDS)
    return count


def queue_changed() -> None:
    """A complaint or assignment changed state or clock (`workflow.transition`): counts
    taken of the queues before are not reused."""
    cache.set(_QUEUE_VERSION_KEY, uuid4().hex, None)


def _queue_version() -> str:
    # A random token, not a counter: if the cache drops the key, the next one is new too.
    return cache.get_or_set(_QUEUE_VERSION_KEY, lambda: uuid4().hex, None)


def complaint_draft_for(user: User) -> ComplaintDraft | None:
    """The citizen's draft of a complaint on /lapor/, if they kept one."""
    return ComplaintDraft.objects.filter(reporter=user).first()


def has_complaint_draft(user: User) -> bool:
    return ComplaintDraft.objects.filter(reporter=user).exists()


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


@dataclass(frozen=True)
class BoundingBox:
    """A map's view: longitudes and latitudes (WGS 84), west to east, south to north."""

    min_lon: float
    min_lat: float
    max_lon: float
    max_lat: float


# Filters of the public list besides `complaint_filter`'s: the map's (the API's).
PUBLIC_ONLY_FILTERS = ("q", "bbox", "since", "until")


def public_point(complaint: Complaint) -> tuple[float, float] | None:
    """Where a public complaint is shown on a map, as (latitude, longitude): the centre of
    its kelurahan, never the point the reporter pinned (it may be their home; the public
    pages show no coordinates). None without a kelurahan centre."""
    kelurahan = complaint.kelurahan
    if kelurahan is None or kelurahan.centroid_lat is None or kelurahan.centroid_lng is None:
        return None
    return (kelurahan.centroid_lat, kelurahan.centroid_lng)


def public_rating(complaint: Complaint) -> int | None:
    """The reporter's rating, shown publicly once the complaint is closed for good."""
    return complaint.rating if complaint.status in CLOSED_OR_ARCHIVED else None


def public_complaint_list(filters: dict) -> QuerySet[Complaint]:
    """Public complaints by the public list's filters, newest first, each with
    `handling_assignments` and `public_photos` (those of the submission and of public
    updates; never a clarification's or an internal note's).

    Besides the page's filters: `bbox` (a `BoundingBox`: those whose `public_point` lies in
    it), `since` and `until` (dates in Asia/Jakarta, inclusive: filed on those days)."""
    complaints = complaint_filter(
        public_complaints(),
        {k: v for k, v in filters.items() if k not in PUBLIC_ONLY_FILTERS},
    )
    if box := filters.get("bbox"):
        complaints = complaints.filter(
            kelurahan__centroid_lat__gte=box.min_lat,
            kelurahan__centroid_lat__lte=box.max_lat,
            kelurahan__centroid_lng__gte=box.min_lon,
            kelurahan__centroid_lng__lte=box.max_lon,
        )
    if since := filters.get("since"):
        complaints = complaints.filter(submitted_at__gte=start_of_day(since))
    if until := filters.get("until"):
        complaints = complaints.filter(submitted_at__lt=start_of_day(until + timedelta(days=1)))
    if text := filters.get("q", ""):
        # Only what the public pages show: searching the hidden address text would let
        # anyone probe it one guess at a time.
        complaints = complaint_search(complaints, text, private=False)
    return (
        complaints.defer("description", "address", "latitude", "longitude")
        .prefetch_related(handling_prefetch(), public_photos_prefetch())
        .order_by("-submitted_at", "-pk")
    )


def handling_prefetch() -> Prefetch:
    """Each complaint's `handling_assignments`: its active assignments with their agency,
    the lead first (for lists)."""
    return Prefetch("assignments", queryset=_handling(), to_attr="handling_assignments")


def public_photos_prefetch() -> Prefetch:
    """Each complaint's `public_photos`: those of its submission and of public updates,
    never a clarification's or an internal note's, and only READY ones (for public lists)."""
    return Prefetch(
        "photos",
        queryset=ComplaintPhoto.objects.filter(
            event__visibility=Visibility.PUBLIC, state=PhotoState.READY
        ).order_by("created_at", "pk"),
        to_attr="public_photos",
    )


def start_of_day(day: date) -> datetime:
    """Midnight of `day` in the city's time zone (Asia/Jakarta)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def public_place(complaint: Complaint) -> str:
    """The place of a public complaint as the public pages name it: "Kel. X, Kec. Y" (never
    the address or landmark the citizen typed)."""
    parts = []
    if complaint.kelurahan is not None:
        parts.append(_("Kel. %(kelurahan)s") % {"kelurahan": complaint.kelurahan.name})
    if complaint.kecamatan is not None:
        parts.append(_("Kec. %(kecamatan)s") % {"kecamatan": complaint.kecamatan.name})
    return ", ".join(parts)


def handling_assignments(complaint: Complaint) -> list[Assignment]:
    """The agencies handling `complaint` now (active assignments), the lead first."""
    return list(_handling().filter(complaint=complaint))


@dataclass(frozen=True)
class Audience:
    """Who reads a complaint's work: which events (and so which of their photos) and,
    among staff, whose internal work.

    Internal work belongs to the Secretariat or to one agency. An event on an assignment is
    that assignment's agency's (the workflow puts every agency action, an agency's internal
    note included, on the agency's assignment); an event on none is the Secretariat's (or
    the system's), which every handler reads. An agency's internal work is its internal
    events and their photos, and on its assignment the Secretariat's instructions to it,
    its register number, its officers and its reason for returning it. The Secretariat and
    executives read every agency's; agency staff their own agencies' only. What anyone may
    read (the reporter's filing and answers, public and reporter-visible steps, responses)
    every handler reads, without another agency's officers or recorded details.
    """

    STAFF: ClassVar[str] = "staff"
    REPORTER: ClassVar[str] = "reporter"
    PUBLIC: ClassVar[str] = "public"

    kind: str  # STAFF, REPORTER or PUBLIC: in whose words the timeline is told
    visibilities: frozenset[str]
    # Staff only: the agencies whose internal work they read; None: every agency's.
    agencies: frozenset[int] | None = None

    def reads_work_of(self, agency_id: int | None) -> bool:
        """Whether this audience reads the internal work of agency `agency_id` (None: of the
        Secretariat)."""
        if self.kind != self.STAFF:
            return False
        return self.agencies is None or agency_id is None or agency_id in self.agencies

    def reads_event(self, event: ComplaintEvent) -> bool:
        """Whether this audience reads `event` (`event_filter` for one loaded event)."""
        if event.visibility not in self.visibilities:
            return False
        return event.visibility != Visibility.INTERNAL or self.reads_work_of(event_agency_id(event))

    def reads_photo(self, photo: ComplaintPhoto) -> bool:
        """Whether this audience reads an attached photo: as it reads the photo's event."""
        return photo.event is None or self.reads_event(photo.event)

    def event_filter(self) -> Q:
        """The events of a complaint this audience reads, as a condition on its events."""
        readable = Q(visibility__in=self.visibilities)
        if self.kind == self.STAFF and self.agencies is not None:
            readable &= (
                ~Q(visibility=Visibility.INTERNAL)
                | Q(assignment__isnull=True)
                | Q(assignment__agency_id__in=self.agencies)
            )
        return readable


PUBLIC_AUDIENCE = Audience(Audience.PUBLIC, frozenset({Visibility.PUBLIC}))
REPORTER_AUDIENCE = Audience(Audience.REPORTER, frozenset({Visibility.PUBLIC, Visibility.REPORTER}))
OVERSIGHT_AUDIENCE = Audience(Audience.STAFF, frozenset(Visibility.values))


def staff_audience(user: User) -> Audience:
    """How `user` reads the complaints `staff_complaints` lets them open: the Secretariat
    and executives everything, agency staff the Secretariat's and their own agencies' work."""
    if oversees_all(user):
        return OVERSIGHT_AUDIENCE
    return Audience(Audience.STAFF, frozenset(Visibility.values), frozenset(agency_ids_for(user)))


def event_agency_id(event: ComplaintEvent) -> int | None:
    """The agency whose work `event` is, None for the Secretariat's (see `Audience`)."""
    return event.assignment.agency_id if event.assignment_id is not None else None


def timeline(complaint: Complaint, *, audience: Audience) -> QuerySet[ComplaintEvent]:
    """The events of `complaint` that `audience` may read, oldest first."""
    return (
        complaint.events.filter(audience.event_filter())
        .select_related("actor", "assignment__agency")
        .prefetch_related("photos")
    )


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
    if text := params.get("q"):
        qs = complaint_search(qs, text, private=True)
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
    """A READY photo `user` may open, by the rules of the page it appears on; else 404.

    A staged photo (not yet attached): its uploader only. An attached one: whoever reads
    its event, as staff who may open the complaint (`staff_audience`), as its reporter, or
    as anyone reading a public complaint.
    """
    photo = (
        ComplaintPhoto.objects.select_related("complaint", "event__assignment")
        .filter(pk=pk)
        .exclude(state=PhotoState.FAILED)
        .first()
    )
    if photo is None:
        raise Http404
    if photo.complaint_id is None:
        allowed = user.is_authenticated and user.is_active and photo.uploaded_by_id == user.pk
    else:
        allowed = any(audience.reads_photo(photo) for audience in _photo_audiences(user, photo))
    if not allowed:
        raise Http404
    # A photo the worker has not made READY (re-encoded, metadata stripped) is no one's to
    # see, not even its uploader's: what is stored is the upload as received. Someone who
    # may see it once it is ready is told to come back (the API's 409 photo_not_ready).
    if photo.state != PhotoState.READY:
        raise PhotoNotReady
    return photo


class PhotoNotReady(Http404):
    """The photo exists and the reader may see it, but the worker has not prepared it yet:
    a page says "not found" as before; the API says when to ask again."""


def _photo_audiences(user: User, photo: ComplaintPhoto) -> Iterator[Audience]:
    """The audiences `user` reads an attached photo's complaint as, asked one at a time."""
    signed_in = user.is_authenticated and user.is_active
    if signed_in and staff_complaints(user).filter(pk=photo.complaint_id).exists():
        yield staff_audience(user)
    if signed_in and photo.complaint.reporter_id == user.pk:
        yield REPORTER_AUDIENCE
    elif public_complaints().filter(pk=photo.complaint_id).exists():
        yield PUBLIC_AUDIENCE

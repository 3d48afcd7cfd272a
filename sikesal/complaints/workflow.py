"""The complaint state machine (DESIGN.md "The life of a complaint"), in one place.

`TRANSITIONS` is the table: for every action, the complaint states it starts from, the
roles that may take it, the assignment states it needs (for an agency's action on its own
assignment), the state it leads to, and who sees the event it writes. `transition()` is
the only entry point: it locks the complaint, refuses anything outside the table with
`InvalidTransition` (nothing changes then), validates the payload, applies the change,
writes exactly one `ComplaintEvent`, moves the deadline clocks and notifies whoever the
change concerns, all in one database transaction.

Web views, the API, background jobs and commands all call `transition()`; no other code
writes `Complaint.status` or `Assignment.status`. `docs/workflow.md` draws the same table
for non-programmers: change both together.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from sikesal.accounts.models import Membership, Role, User
from sikesal.agencies.models import Agency, Category
from sikesal.complaints import deadlines, selectors
from sikesal.complaints.access import agency_ids_for
from sikesal.complaints.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AWAITING_SECRETARIAT,
    FINISHED,
    NOT_ARCHIVED,
    WITH_AGENCIES,
    WORKING_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    DeclineReason,
    Referral,
    RegisterCounter,
    Status,
    Visibility,
)
from sikesal.core.calendar import local_date
from sikesal.core.page_cache import (
    COMPLAINTS,
    agency_topic,
    complaint_topic,
    public_pages_changed,
)


class ActorRole(StrEnum):
    """Who takes an action, relative to the complaint."""

    REPORTER = "reporter"  # the complaint's own reporter
    SECRETARIAT = "secretariat"  # a Secretariat officer
    AGENCY = "agency"  # an officer or head of the assignment's agency
    SYSTEM = "system"  # a background job (actor None)


class InvalidTransition(Exception):
    """The action is not allowed for this complaint, assignment and actor; nothing changed."""

    def __init__(self, message: str, *, action: str = "", status: str = "") -> None:
        super().__init__(message)
        self.action = action
        self.status = status


S = Status
A = AssignmentStatus
REPORTER, SECRETARIAT, AGENCY, SYSTEM = (
    ActorRole.REPORTER,
    ActorRole.SECRETARIAT,
    ActorRole.AGENCY,
    ActorRole.SYSTEM,
)
# What counts as the response to the citizen that UU 25/2009 wants within 14 days.
FIRST_RESPONSE_ACTIONS = frozenset({"request_clarification", "decline", "update", "respond"})


@dataclass(frozen=True)
class Action:
    name: str
    label: Any  # lazy translation
    sources: frozenset[str]
    roles: frozenset[ActorRole]
    # None: the state does not change, or the handler computes it (see `computed`).
    target: str | None
    visibility: Visibility
    # For an agency's action on one of its assignments: the states that assignment may be in.
    assignment_states: frozenset[str] | None = None
    computed: bool = False
    handler: Callable[..., str | None] = field(default=lambda *a, **k: None, compare=False)


def _table(*actions: Action) -> dict[str, Action]:
    return {action.name: action for action in actions}


# Filled below, once the handlers are defined; read it as the specification.
TRANSITIONS: dict[str, Action] = {}


@dataclass
class Route:
    """One agency to route a complaint to (payload of `route`)."""

    agency: Agency
    is_lead: bool = False
    instructions: str = ""


def default_route_agency(complaint: Complaint) -> Agency | None:
    """Where `route` sends a complaint unless the Secretariat chooses otherwise: the
    category's agency, or the kecamatan of the location when the category says so. None
    when that agency is inactive or the location has no kecamatan."""
    category = complaint.category
    if category.routes_to_kecamatan:
        if complaint.kecamatan_id is None:
            return None
        return (
            Agency.objects.filter(
                kind=Agency.Kind.KECAMATAN, region_id=complaint.kecamatan_id, is_active=True
            )
            .order_by("pk")
            .first()
        )
    agency = category.default_agency
    return agency if agency is not None and agency.is_active else None


# --- the entry point -----------------------------------------------------------------------


def transition(
    complaint: Complaint,
    action: str,
    *,
    actor: User | None,
    assignment: Assignment | None = None,
    note: str = "",
    now: datetime | None = None,
    **payload: Any,
) -> ComplaintEvent:
    """Take `action` on `complaint` as `actor` (None for the system); return its event.

    Raises InvalidTransition when the table does not allow it (wrong state, role or
    assignment) and ValidationError (per field, translated) when the payload is incomplete.
    In both cases nothing has changed. `complaint` is refreshed from the database.
    """
    spec = TRANSITIONS.get(action)
    if spec is None:
        raise InvalidTransition(f"Unknown action {action!r}", action=action)
    now = now or timezone.now()
    with transaction.atomic():
        # Lock the row: two officers acting at once must see each other's result.
        locked = Complaint.objects.select_for_update().get(pk=complaint.pk)
        if assignment is not None:
            assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
            if assignment.complaint_id != locked.pk:
                raise InvalidTransition("Assignment of another complaint", action=action)
        role = _check_allowed(spec, locked, actor, assignment)
        from_status = locked.status
        context = Context(
            complaint=locked,
            actor=actor,
            role=role,
            assignment=assignment,
            note=note.strip(),
            now=now,
            today=local_date(now),
            payload=payload,
        )
        to_status = spec.handler(context) or spec.target or from_status
        locked.status = to_status
        if (
            action in FIRST_RESPONSE_ACTIONS
            and locked.first_response_at is None
            and context.visibility(spec) != Visibility.INTERNAL
        ):
            locked.first_response_at = now
            locked.response_due = None
        locked.save()
        event = ComplaintEvent.objects.create(
            complaint=locked,
            assignment=assignment,
            action=action,
            from_status=from_status,
            to_status=to_status,
            actor=actor,
            actor_role=role,
            note=context.note,
            visibility=context.visibility(spec),
            data=context.event_data,
            created_at=now,
        )
        for photo in context.photos:
            photo.complaint = locked
            photo.event = event
            photo.save(update_fields=["complaint", "event"])
        for notify_args in context.notifications:
            _notify(*notify_args, complaint=locked)
    selectors.queue_changed()
    _public_pages_changed(locked)
    complaint.refresh_from_db()
    return event


def _public_pages_changed(complaint: Complaint) -> None:
    """The public pages a transition may change: the complaint's own, the public list, and
    the pages of the agencies it went to (their handling figures)."""
    agency_codes = Assignment.objects.filter(complaint=complaint).values_list(
        "agency__code", flat=True
    )
    public_pages_changed(
        COMPLAINTS,
        complaint_topic(complaint.tracking_number),
        *(agency_topic(code) for code in agency_codes),
    )


def allowed_actions(
    complaint: Complaint, actor: User | None, assignment: Assignment | None = None
) -> list[str]:
    """The actions `actor` may take now (for showing buttons; `transition` re-checks)."""
    names = []
    for name, spec in TRANSITIONS.items():
        try:
            _check_allowed(spec, complaint, actor, assignment)
        except InvalidTransition:
            continue
        names.append(name)
    return names


# The actions staff take on a complaint (the console's panels, the API's actions), in the
# order they are offered; `staff_forms.ACTION_FORMS` has one form for each.
STAFF_ACTIONS = (
    "review",
    "request_clarification",
    "decline",
    "route",
    "change_category",
    "note",
    "accept",
    "update",
    "return",
    "respond",
)


def available_actions(
    complaint: Complaint, actor: User, assignment: Assignment | None
) -> dict[str, Assignment | None]:
    """The staff actions `actor` may take now, in `STAFF_ACTIONS` order → the assignment
    each acts on (None: on the complaint as a whole).

    `assignment`: the actor's own active assignment on the complaint, if any
    (`selectors.my_assignment`). An action the actor may take both as the Secretariat and
    on their agency's assignment is taken as the Secretariat. The staff console and the
    API offer exactly these; `transition` checks again when one is taken.
    """
    available: dict[str, Assignment | None] = {}
    if assignment is not None:
        for name in allowed_actions(complaint, actor, assignment):
            available[name] = assignment
    for name in allowed_actions(complaint, actor):
        available[name] = None
    return {name: available[name] for name in STAFF_ACTIONS if name in available}


def actor_roles(complaint: Complaint, actor: User | None, assignment: Assignment | None):
    """The roles `actor` holds towards this complaint (and assignment)."""
    if actor is None:
        return {SYSTEM}
    roles = set()
    if actor.pk == complaint.reporter_id:
        roles.add(REPORTER)
    if actor.is_active and actor.has_role(Role.SECRETARIAT):
        roles.add(SECRETARIAT)
    if (
        actor.is_active
        and assignment is not None
        and assignment.is_active
        and assignment.agency_id in agency_ids_for(actor)
    ):
        roles.add(AGENCY)
    return roles


def _check_allowed(
    spec: Action, complaint: Complaint, actor: User | None, assignment: Assignment | None
) -> ActorRole:
    if complaint.status not in spec.sources:
        raise InvalidTransition(
            f"{spec.name} is not allowed from {complaint.status}",
            action=spec.name,
            status=complaint.status,
        )
    if spec.assignment_states is not None:
        if assignment is None or assignment.status not in spec.assignment_states:
            raise InvalidTransition(
                f"{spec.name} needs an assignment in {sorted(spec.assignment_states)}",
                action=spec.name,
                status=complaint.status,
            )
    elif assignment is not None and AGENCY not in spec.roles:
        raise InvalidTransition(f"{spec.name} does not act on an assignment", action=spec.name)
    held = actor_roles(complaint, actor, assignment) & spec.roles
    if not held:
        raise InvalidTransition(
            f"{spec.name} is not allowed for this actor", action=spec.name, status=complaint.status
        )
    # A reporter who is also staff acts on their own complaint as the reporter.
    for role in (SYSTEM, REPORTER, AGENCY, SECRETARIAT):
        if role in held:
            return role
    raise AssertionError("unreachable")


@dataclass
class Context:
    """What a handler works with, and what it leaves for `transition` to write."""

    complaint: Complaint
    actor: User | None
    role: ActorRole
    assignment: Assignment | None
    note: str
    now: datetime
    today: Any
    payload: dict[str, Any]
    event_data: dict[str, Any] = field(default_factory=dict)
    photos: list[ComplaintPhoto] = field(default_factory=list)
    notifications: list[tuple] = field(default_factory=list)
    visibility_override: Visibility | None = None

    def visibility(self, spec: Action) -> Visibility:
        return self.visibility_override or spec.visibility

    def require_note(self, message) -> None:
        if not self.note:
            raise ValidationError({"note": ValidationError(message, code="required")})

    def take_photos(self) -> None:
        photos = list(self.payload.get("photos") or [])
        limit = settings.SIKESAL_PHOTO_MAX_COUNT
        if len(photos) > limit:
            raise ValidationError({"photos": _("Paling banyak %(limit)d foto.") % {"limit": limit}})
        for photo in photos:
            if photo.complaint_id is not None or photo.uploaded_by_id != getattr(
                self.actor, "pk", None
            ):
                raise ValidationError({"photos": _("Foto ini tidak dapat dilampirkan.")})
        self.photos = photos

    def tell_reporter(self, message) -> None:
        self.notifications.append(("reporter", message))

    def tell_agency(self, agency: Agency, message) -> None:
        self.notifications.append(("agency", message, agency))

    def tell_secretariat(self, message) -> None:
        self.notifications.append(("secretariat", message))


# --- handlers: one per action; each validates its payload before changing anything ---------


def _review(c: Context) -> None:
    # The system reviews only a complaint taken at an agency's own counter, on its way to
    # that agency in the same breath: the reporter hears of the routing instead.
    if c.role != SYSTEM:
        c.tell_reporter(_("Pengaduan Anda sedang ditelaah Sekretariat Pengaduan."))


def _request_clarification(c: Context) -> None:
    c.require_note(_("Tuliskan pertanyaan untuk pelapor."))
    deadlines.pause(c.complaint, c.today)
    c.complaint.clarification_due = deadlines.clarification_due(c.today)
    c.event_data["clarification_due"] = c.complaint.clarification_due.isoformat()
    c.tell_reporter(
        _("Sekretariat meminta keterangan tambahan: %(question)s") % {"question": c.note}
    )


def _answer_clarification(c: Context) -> None:
    c.require_note(_("Tuliskan jawaban Anda."))
    c.take_photos()
    deadlines.resume(c.complaint, c.today)
    c.tell_secretariat(_("Pelapor menjawab permintaan klarifikasi."))


def _decline(c: Context) -> None:
    reason = c.payload.get("reason")
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Pilih alasan pengaduan tidak ditindaklanjuti.")})
    errors = {}
    duplicate_of = c.payload.get("duplicate_of")
    referral = c.payload.get("referral") or ""
    if reason == DeclineReason.DUPLICATE:
        if duplicate_of is None or duplicate_of.pk == c.complaint.pk:
            errors["duplicate_of"] = _("Sebutkan nomor pelacakan pengaduan aslinya.")
    else:
        duplicate_of = None
    if reason == DeclineReason.OUT_OF_SCOPE:
        if referral not in Referral.values:
            errors["referral"] = _("Pilih ke mana pelapor sebaiknya menyampaikan pengaduannya.")
    else:
        referral = ""
    if not c.note and c.role != SYSTEM:
        errors["note"] = _("Tuliskan pesan untuk pelapor.")
    if errors:
        raise ValidationError(errors)
    c.complaint.decline_reason = reason
    c.complaint.decline_message = c.note
    c.complaint.duplicate_of = duplicate_of
    c.complaint.referral = referral
    deadlines.stop_all(c.complaint)
    c.complaint.closed_at = c.now
    c.event_data.update(reason=reason, referral=referral)
    if duplicate_of is not None:
        c.event_data["duplicate_of"] = duplicate_of.tracking_number
    c.tell_reporter(
        _("Pengaduan Anda tidak ditindaklanjuti: %(reason)s. %(message)s")
        % {"reason": DeclineReason(reason).label, "message": c.note}
    )


def _route(c: Context) -> None:
    routes: list[Route] = list(c.payload.get("routes") or [])
    if not routes:
        raise ValidationError({"routes": _("Pilih sedikitnya satu OPD.")})
    if sum(1 for r in routes if r.is_lead) != 1:
        raise ValidationError({"routes": _("Tandai tepat satu OPD utama.")})
    agencies = [r.agency for r in routes]
    if len({a.pk for a in agencies}) != len(agencies):
        raise ValidationError({"routes": _("Setiap OPD cukup dipilih sekali.")})
    if any(not a.is_active for a in agencies):
        raise ValidationError({"routes": _("OPD yang tidak aktif tidak dapat dipilih.")})
    active = c.complaint.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES)
    if active.filter(agency__in=agencies).exists():
        raise ValidationError({"routes": _("Pengaduan ini sudah disalurkan ke OPD tersebut.")})
    if active.filter(is_lead=True).exists() and any(r.is_lead for r in routes):
        raise ValidationError({"routes": _("Pengaduan ini sudah punya OPD utama.")})
    for r in routes:
        Assignment.objects.create(
            complaint=c.complaint,
            agency=r.agency,
            is_lead=r.is_lead,
            instructions=r.instructions.strip(),
            routed_at=c.now,
            routed_by=c.actor,
            followup_due=deadlines.followup_due(c.today),
        )
        c.tell_agency(r.agency, _("Pengaduan baru disalurkan kepada OPD Anda."))
    c.complaint.review_due = None
    names = [r.agency.short_name or r.agency.name for r in routes]
    c.event_data["agencies"] = [r.agency.code for r in routes]
    c.event_data["lead"] = next(r.agency.code for r in routes if r.is_lead)
    c.note = c.note or _("Disalurkan kepada %(agencies)s.") % {"agencies": ", ".join(names)}
    c.tell_reporter(
        _("Pengaduan Anda disalurkan kepada %(agencies)s.") % {"agencies": ", ".join(names)}
    )


def _change_category(c: Context) -> None:
    category = c.payload.get("category")
    if not isinstance(category, Category) or not category.is_active:
        raise ValidationError({"category": _("Pilih kategori yang aktif.")})
    if category.pk == c.complaint.category_id:
        raise ValidationError({"category": _("Kategori ini sudah dipakai.")})
    c.event_data.update(old=c.complaint.category.code, new=category.code)
    c.complaint.category = category
    if category.is_sensitive:
        c.complaint.is_confidential = True


def _note(c: Context) -> None:
    c.require_note(_("Tuliskan catatannya."))


def _comment(c: Context) -> None:
    """A public comment from another system (an Open311 client: its citizen's update on a
    report it sent), recorded as the system's step, named by where it came from (`via`)."""
    c.require_note(_("Tuliskan komentarnya."))
    channel, via = str(c.payload.get("channel") or ""), str(c.payload.get("via") or "")
    if not channel or not via:
        raise ValidationError({"channel": _("Sebutkan dari saluran mana komentar ini.")})
    c.event_data.update(channel=channel, via=via)
    if external_id := c.payload.get("external_id"):
        c.event_data["external_id"] = str(external_id)
    c.tell_secretariat(_("Komentar baru dari %(via)s: %(note)s") % {"via": via, "note": c.note})


def _accept(c: Context) -> None:
    a = c.assignment
    a.register_year = c.today.year
    a.register_seq = _next_register_seq(a.agency, c.today.year)
    a.register_number = f"{a.agency.code.upper()}/{a.register_year}/{a.register_seq:04d}"
    a.status = A.ACCEPTED
    a.received_at = c.now
    a.received_by = c.actor
    a.save()
    c.event_data["register_number"] = a.register_number
    c.event_data["agency"] = a.agency.code
    c.note = c.note or _("Diterima dan dicatat oleh %(agency)s.") % {
        "agency": a.agency.short_name or a.agency.name
    }
    return S.IN_PROGRESS


def _update(c: Context) -> None:
    c.require_note(_("Tuliskan perkembangan tindak lanjutnya."))
    c.take_photos()
    public = bool(c.payload.get("public", True))
    if not public:
        c.visibility_override = Visibility.INTERNAL
    else:
        a = c.assignment
        if a.first_followup_at is None:
            a.first_followup_at = c.now
            a.save(update_fields=["first_followup_at", "updated_at"])
        c.tell_reporter(_("Ada perkembangan tindak lanjut: %(note)s") % {"note": c.note})
    c.event_data["agency"] = c.assignment.agency.code


def _return(c: Context) -> str:
    """The agency hands its assignment back; the others' state decides the complaint's.

    No agency left: back to the Secretariat to re-route. Every agency left has answered:
    their answers stand, exactly as if the returning agency had been the last to respond.
    Otherwise the state follows the remaining assignments. The citizen is told whenever
    the state they see changes, without the agency's reason (that stays with the staff).
    """
    c.require_note(_("Tuliskan alasan pengaduan dikembalikan."))
    a = c.assignment
    a.status = A.RETURNED
    a.return_reason = c.note
    a.is_lead = False
    a.save()
    c.event_data["agency"] = a.agency.code
    c.tell_secretariat(
        _("%(agency)s mengembalikan pengaduan: %(reason)s")
        % {"agency": a.agency.short_name or a.agency.name, "reason": c.note}
    )
    remaining = c.complaint.assignments.exclude(pk=a.pk).filter(
        status__in=ACTIVE_ASSIGNMENT_STATUSES
    )
    if not remaining.exists():
        # Back in the Secretariat's queue, with the review clock running again.
        c.complaint.review_due = deadlines.review_due(c.today)
        status = S.IN_REVIEW
        message = _("Pengaduan Anda dikembalikan ke Sekretariat Pengaduan untuk disalurkan ulang.")
    else:
        status = _status_from_assignments(c)
        if status == S.RESPONDED:
            message = _("Pengaduan Anda sudah ditanggapi. Silakan beri penilaian.")
        else:
            message = _("Pengaduan Anda menunggu ditindaklanjuti oleh OPD lain yang ditugaskan.")
    if status != c.complaint.status:
        # The reporter's timeline shows the change with this message; the agency's reason
        # moves to the event's data, which only staff pages show.
        c.event_data["reason"] = c.note
        c.note = str(message)
        c.visibility_override = Visibility.REPORTER
        c.tell_reporter(message)
    return status


def _respond(c: Context) -> str:
    c.require_note(_("Tuliskan hasil penanganan untuk pelapor."))
    c.take_photos()
    a = c.assignment
    a.status = A.RESPONDED
    a.response = c.note
    a.responded_at = c.now
    a.responded_by = c.actor
    if a.first_followup_at is None:
        a.first_followup_at = c.now
    a.save()
    c.event_data["agency"] = a.agency.code
    status = _status_from_assignments(c)
    if status == S.RESPONDED:
        c.tell_reporter(_("Pengaduan Anda sudah ditanggapi. Silakan beri penilaian."))
    return status


def _rate(c: Context) -> None:
    rating = c.payload.get("rating")
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise ValidationError({"rating": _("Beri penilaian 1 sampai 5.")})
    c.complaint.rating = rating
    c.complaint.rating_comment = c.note
    c.complaint.rating_due = None
    c.complaint.closed_at = c.now
    c.event_data["rating"] = rating
    c.tell_secretariat(_("Pelapor memberi penilaian %(rating)d/5.") % {"rating": rating})


def _object(c: Context) -> None:
    limit = settings.SIKESAL_MAX_OBJECTIONS
    if c.complaint.objection_count >= limit:
        raise ValidationError(
            {"note": _("Keberatan hanya dapat diajukan %(limit)d kali.") % {"limit": limit}}
        )
    c.require_note(_("Tuliskan alasan keberatan Anda."))
    c.complaint.objection_count += 1
    c.complaint.rating_due = None
    c.complaint.responded_at = None
    c.complaint.decision_due = deadlines.objection_decision_due(c.today)
    c.event_data["objection"] = c.complaint.objection_count
    for a in c.complaint.assignments.filter(status=A.RESPONDED).select_related("agency"):
        a.status = A.ACCEPTED
        a.save(update_fields=["status", "updated_at"])
        c.tell_agency(a.agency, _("Pelapor keberatan atas tanggapan: %(note)s") % {"note": c.note})


def _close(c: Context) -> None:
    c.complaint.rating_due = None
    c.complaint.closed_at = c.now
    if c.role == SYSTEM:
        c.note = c.note or _("Ditutup otomatis: pelapor tidak menanggapi dalam batas waktu.")
    c.tell_reporter(_("Pengaduan Anda telah selesai."))


def _archive(c: Context) -> None:
    c.complaint.assignments.filter(status__in=WORKING_ASSIGNMENT_STATUSES).update(
        status=A.WITHDRAWN
    )


# --- helpers --------------------------------------------------------------------------------


def _status_from_assignments(c: Context) -> str:
    """The complaint's state implied by its active assignments."""
    states = set(
        c.complaint.assignments.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES).values_list(
            "status", flat=True
        )
    )
    if states == {A.RESPONDED}:
        c.complaint.responded_at = c.now
        c.complaint.decision_due = None
        c.complaint.rating_due = deadlines.rating_due(c.today)
        return S.RESPONDED
    if A.ACCEPTED in states or A.RESPONDED in states:
        return S.IN_PROGRESS
    return S.ROUTED


def _next_register_seq(agency: Agency, year: int) -> int:
    """The next REGISTER number of `agency` in `year`, gap-free.

    The counter row is locked until the accepting transaction ends, so concurrent accepts
    queue up; a rolled-back accept gives its number back.
    """
    RegisterCounter.objects.bulk_create(
        [RegisterCounter(agency=agency, year=year)], ignore_conflicts=True
    )
    counter = RegisterCounter.objects.select_for_update().get(agency=agency, year=year)
    counter.last_seq += 1
    counter.save(update_fields=["last_seq"])
    return counter.last_seq


def _notify(audience: str, message, agency: Agency | None = None, *, complaint: Complaint) -> None:
    """Queue notifications in the current transaction (delivered by the outbox)."""
    from sikesal.notifications.services import notify

    context = {
        "tracking_number": complaint.tracking_number,
        "title": complaint.title,
        "status": complaint.get_status_display(),
        "message": str(message),
    }
    if audience == "reporter":
        url = reverse("complaints:mine_detail", args=[complaint.tracking_number])
        notify(complaint.reporter, "complaint_reporter", context=context, url=url)
        return
    url = reverse("staff:complaint", args=[complaint.tracking_number])
    for user in staff_recipients(audience, agency):
        # Agency staff never learn an anonymous reporter's identity: the context above
        # carries none, for anyone.
        notify(user, f"complaint_{audience}", context=context, url=url)


def staff_recipients(audience: str, agency: Agency | None = None) -> Iterable[User]:
    if audience == "secretariat":
        memberships = Membership.objects.filter(role=Role.SECRETARIAT, agency__is_active=True)
    else:
        memberships = Membership.objects.filter(
            agency=agency, role__in=(Role.AGENCY_OFFICER, Role.AGENCY_HEAD)
        )
    return User.objects.filter(pk__in=memberships.values("user_id"), is_active=True).order_by("pk")


# --- the table ------------------------------------------------------------------------------

TRANSITIONS.update(
    _table(
        # The system reviews and routes a complaint an agency's officer took at that
        # agency's own counter (assisted intake): it goes straight to that agency's queue.
        Action(
            "review",
            _("Ambil untuk ditelaah"),
            frozenset({S.SUBMITTED}),
            frozenset({SECRETARIAT, SYSTEM}),
            S.IN_REVIEW,
            Visibility.REPORTER,
            handler=_review,
        ),
        Action(
            "request_clarification",
            _("Minta klarifikasi"),
            frozenset({S.IN_REVIEW}),
            frozenset({SECRETARIAT}),
            S.NEEDS_CLARIFICATION,
            Visibility.REPORTER,
            handler=_request_clarification,
        ),
        Action(
            "answer_clarification",
            _("Jawab klarifikasi"),
            frozenset({S.NEEDS_CLARIFICATION}),
            frozenset({REPORTER}),
            S.IN_REVIEW,
            Visibility.REPORTER,
            handler=_answer_clarification,
        ),
        Action(
            "decline",
            _("Tidak ditindaklanjuti"),
            frozenset(AWAITING_SECRETARIAT),
            frozenset({SECRETARIAT, SYSTEM}),
            S.DECLINED,
            Visibility.REPORTER,
            handler=_decline,
        ),
        Action(
            "route",
            _("Salurkan ke OPD"),
            frozenset({S.IN_REVIEW}),
            frozenset({SECRETARIAT, SYSTEM}),
            S.ROUTED,
            Visibility.PUBLIC,
            handler=_route,
        ),
        Action(
            "change_category",
            _("Ubah kategori"),
            frozenset(AWAITING_SECRETARIAT),
            frozenset({SECRETARIAT}),
            None,
            Visibility.INTERNAL,
            handler=_change_category,
        ),
        Action(
            "note",
            _("Catatan internal"),
            frozenset(NOT_ARCHIVED),
            frozenset({SECRETARIAT, AGENCY}),
            None,
            Visibility.INTERNAL,
            handler=_note,
        ),
        # A connected system's public comment (Open311 servicerequestupdates POST); the
        # system's step (actor None), its source recorded in the event's data.
        Action(
            "comment",
            _("Komentar dari saluran luar"),
            frozenset(NOT_ARCHIVED),
            frozenset({SYSTEM}),
            None,
            Visibility.PUBLIC,
            handler=_comment,
        ),
        Action(
            "accept",
            _("Terima dan catat di register"),
            frozenset(WITH_AGENCIES),
            frozenset({AGENCY}),
            S.IN_PROGRESS,
            Visibility.PUBLIC,
            assignment_states=frozenset({A.ROUTED}),
            handler=_accept,
        ),
        Action(
            "update",
            _("Kirim perkembangan"),
            frozenset({S.IN_PROGRESS}),
            frozenset({AGENCY}),
            None,
            Visibility.PUBLIC,
            assignment_states=frozenset({A.ACCEPTED}),
            handler=_update,
        ),
        # To in_review when no agency is left; to responded when every agency left has
        # answered; else as the remaining assignments say. Internal, unless the state the
        # reporter sees changes: then they see it (without the reason) and are told.
        Action(
            "return",
            _("Kembalikan ke Sekretariat"),
            frozenset(WITH_AGENCIES),
            frozenset({AGENCY}),
            None,
            Visibility.INTERNAL,
            assignment_states=frozenset(WORKING_ASSIGNMENT_STATUSES),
            computed=True,
            handler=_return,
        ),
        Action(
            "respond",
            _("Kirim hasil penanganan"),
            frozenset({S.IN_PROGRESS}),
            frozenset({AGENCY}),
            None,
            Visibility.PUBLIC,
            assignment_states=frozenset({A.ACCEPTED}),
            computed=True,
            handler=_respond,
        ),
        Action(
            "rate",
            _("Beri penilaian"),
            frozenset({S.RESPONDED}),
            frozenset({REPORTER}),
            S.CLOSED,
            Visibility.REPORTER,
            handler=_rate,
        ),
        Action(
            "object",
            _("Ajukan keberatan"),
            frozenset({S.RESPONDED}),
            frozenset({REPORTER}),
            S.IN_PROGRESS,
            Visibility.REPORTER,
            handler=_object,
        ),
        Action(
            "close",
            _("Tutup"),
            frozenset({S.RESPONDED}),
            frozenset({SYSTEM}),
            S.CLOSED,
            Visibility.PUBLIC,
            handler=_close,
        ),
        Action(
            "archive",
            _("Arsipkan"),
            frozenset(FINISHED),
            frozenset({SYSTEM}),
            S.ARCHIVED,
            Visibility.INTERNAL,
            handler=_archive,
        ),
    )
)

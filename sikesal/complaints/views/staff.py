"""The staff console under /staf/: work queues, the complaint page and its actions.

Only people for whom `selectors.can_use_staff_console` holds get in; everyone else gets the
same 404 as for a page that does not exist (signed-out visitors are sent to the login page
by `LoginRequiredMiddleware` first). Which complaints and assignments a staff member may
open comes from `selectors`; what they may do comes from `workflow.allowed_actions`, and
every action goes through `workflow.transition`. A reporter's identity is never on a page
by default: it is shown only on request, to those `can_see_identity` allows, and every look
is logged by `services.reporter_identity`.
"""

import csv
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import wraps
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sikesal.accounts.models import User
from sikesal.agencies.models import Agency
from sikesal.complaints import selectors, services
from sikesal.complaints.deadlines import (
    COMPLAINT_CLOCKS,
    Clock,
    OverdueCounter,
    assignment_overdue,
    complaint_overdue,
)
from sikesal.complaints.deadlines import age_days as _age
from sikesal.complaints.deadlines import answer_due as _answer_due
from sikesal.complaints.deadlines import complaint_dues as _complaint_dues
from sikesal.complaints.deadlines import local_today as _today
from sikesal.complaints.deadlines import next_clock as _next_clock
from sikesal.complaints.deadlines import running_followup_due as _followup_due
from sikesal.complaints.models import (
    ACTIVE_ASSIGNMENT_STATUSES,
    AWAITING_SECRETARIAT,
    IN_HANDLING,
    WORKING_ASSIGNMENT_STATUSES,
    Assignment,
    AssignmentStatus,
    Complaint,
    ComplaintEvent,
    DeadlineKind,
    DeclineReason,
    Referral,
    Status,
    Visibility,
)
from sikesal.complaints.staff_forms import (
    ACTION_FORMS,
    ALL,
    OPEN,
    QUEUE,
    RETURNED,
    ActionForm,
    IdentityForm,
    QueueFilterForm,
    RouteAgencyFormSet,
    add_workflow_errors,
)
from sikesal.complaints.workflow import TRANSITIONS, InvalidTransition, allowed_actions, transition
from sikesal.core import calendar
from sikesal.core.spreadsheets import spreadsheet_safe

PAGE_SIZE = 25


def staff_console(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Admit staff only; anyone else sees a page that does not exist."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not selectors.can_use_staff_console(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


# --- the queue ---------------------------------------------------------------------------


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


def _complaint_queue(user: User, filters: dict, today: date) -> QuerySet[Complaint]:
    returned = Assignment.objects.filter(complaint=OuterRef("pk"), status=AssignmentStatus.RETURNED)
    complaints = selectors.staff_complaints(user).annotate(returned=Exists(returned))
    status = filters.get("status", QUEUE)
    if status == QUEUE:
        complaints = complaints.filter(status__in=AWAITING_SECRETARIAT)
    elif status == OPEN:
        complaints = complaints.filter(status__in=IN_HANDLING)
    elif status == RETURNED:
        complaints = complaints.filter(status=Status.IN_REVIEW, returned=True)
    elif status != ALL:
        complaints = complaints.filter(status=status)
    shared = {k: v for k, v in filters.items() if k in ("category", "kecamatan", "agency", "q")}
    complaints = selectors.complaint_filter(complaints, shared)
    if filters.get("overdue"):
        complaints = complaints.filter(complaint_overdue(today))
    handling = Prefetch(
        "assignments",
        queryset=Assignment.objects.filter(status__in=ACTIVE_ASSIGNMENT_STATUSES)
        .select_related("agency")
        .order_by("-is_lead", "routed_at", "pk"),
        to_attr="handling",
    )
    return complaints.prefetch_related(handling).order_by("submitted_at", "pk")


def _assignment_queue(user: User, filters: dict, today: date) -> QuerySet[Assignment]:
    assignments = selectors.staff_assignments(user)
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
            complaint__in=selectors.complaint_filter(Complaint.objects.all(), complaint_filters)
        )
    if filters.get("overdue"):
        assignments = assignments.filter(assignment_overdue(today))
    return assignments.order_by("routed_at", "pk")


def _filtered_queue(request: HttpRequest, today: date):
    """The filter form and the filtered queue: complaints for the Secretariat and
    executives, assignments for agency staff."""
    user = request.user
    # The Secretariat and executives work on complaints; agency staff on assignments.
    on_complaints = selectors.oversees_all(user)
    agency_choices = None
    if not on_complaints:
        agency_choices = (
            Agency.objects.filter(pk__in=selectors.agency_ids_for(user))
            .order_by("name")
            .values_list("code", "name")
        )
    form = QueueFilterForm(
        request.GET or None, agency_mode=not on_complaints, agency_choices=agency_choices
    )
    filters = form.filters()
    if on_complaints:
        items = _complaint_queue(user, filters, today)
    else:
        items = _assignment_queue(user, filters, today)
    return form, filters, items, on_complaints


@staff_console
def queue(request: HttpRequest) -> HttpResponse:
    """The Secretariat's queue of complaints, or an agency's assignments; htmx gets the table."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    user = request.user
    today = _today()
    form, filters, items, on_complaints = _filtered_queue(request, today)
    if on_complaints:
        overdue_total = selectors.staff_complaints(user).filter(complaint_overdue(today)).count()
    else:
        overdue_total = selectors.staff_assignments(user).filter(assignment_overdue(today)).count()
    page = Paginator(items, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = _queue_rows(list(page.object_list), today, on_complaints=on_complaints)
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "on_complaints": on_complaints,
        "overdue_only": bool(filters.get("overdue")),
        "staff_section": "overdue" if filters.get("overdue") else "queue",
        "overdue_total": overdue_total,
        "show_agency": on_complaints or "agency" in form.fields,
        "export_query": request.GET.urlencode(),
    }
    if request.htmx and not request.htmx.history_restore_request:
        response = render(request, "staff/partials/queue_results.html", context)
    else:
        response = render(request, "staff/queue.html", context)
    patch_vary_headers(response, ["HX-Request"])
    return response


@staff_console
@require_GET
def queue_export(request: HttpRequest) -> HttpResponse:
    """The filtered queue as CSV, for a spreadsheet. It never holds a reporter's identity
    (that is shown only on request, and logged); cells are guarded against formulas."""
    today = _today()
    _form, _filters, items, on_complaints = _filtered_queue(request, today)
    rows = _queue_rows(list(items), today, on_complaints=on_complaints)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="sikesal-antrean-{stamp}.csv"'
    response.write("\ufeff")  # so that spreadsheets read the file as UTF-8
    writer = csv.writer(response)
    header = [
        _("Nomor pelacakan"),
        _("Diajukan"),
        _("Judul"),
        _("Kategori"),
        _("Kecamatan"),
        _("Kelurahan"),
        _("Status"),
        _("OPD"),
        _("Register"),
        _("Batas waktu"),
        _("Lewat (hari kerja)"),
    ]
    writer.writerow(header)
    for row in rows:
        complaint = row.complaint
        if on_complaints:
            agencies = ", ".join(agency.short_name or agency.name for agency in row.agencies)
            register, status = "", complaint.get_status_display()
        else:
            agency = row.assignment.agency
            agencies = agency.short_name or agency.name
            register = row.assignment.register_number
            status = row.assignment.get_status_display()
        clock = row.clock
        writer.writerow(
            spreadsheet_safe(value)
            for value in (
                complaint.tracking_number,
                calendar.local_date(complaint.submitted_at).isoformat(),
                complaint.title,
                complaint.category.name,
                complaint.kecamatan.name if complaint.kecamatan else "",
                complaint.kelurahan.name if complaint.kelurahan else "",
                status,
                agencies,
                register,
                clock.due.isoformat() if clock else "",
                clock.overdue_days if clock and clock.overdue else "",
            )
        )
    add_never_cache_headers(response)
    return response


def _queue_rows(items: list, today: date, *, on_complaints: bool) -> list[QueueRow]:
    if on_complaints:
        counter = OverdueCounter((d for c in items for d in _complaint_dues(c, c.handling)), today)
        return [
            QueueRow(
                complaint=complaint,
                age_days=_age(complaint, today),
                clock=_next_clock(complaint, counter, complaint.handling),
                returned=complaint.returned and complaint.status == Status.IN_REVIEW,
                agencies=[a.agency for a in complaint.handling],
            )
            for complaint in items
        ]
    dues = [d for a in items for d in (_followup_due(a), _answer_due(a))]
    counter = OverdueCounter(dues, today)
    return [
        QueueRow(
            complaint=assignment.complaint,
            age_days=_age(assignment.complaint, today),
            assignment=assignment,
            followup=counter.clock(DeadlineKind.FIRST_FOLLOWUP.label, _followup_due(assignment)),
            clock=counter.clock(DeadlineKind.RESPONSE.label, _answer_due(assignment)),
        )
        for assignment in items
    ]


# --- the complaint page ------------------------------------------------------------------

SUBMIT_LABEL = gettext_lazy("Pengaduan diajukan")
ROLE_LABELS = {
    "secretariat": gettext_lazy("Sekretariat Pengaduan"),
    "agency": gettext_lazy("OPD"),
}
VISIBILITY_BADGES = {
    Visibility.INTERNAL: gettext_lazy("Internal"),
    Visibility.REPORTER: gettext_lazy("Terlihat pelapor"),
    Visibility.PUBLIC: gettext_lazy("Publik"),
}
VISIBILITY_HINTS = {
    Visibility.INTERNAL: gettext_lazy("Hanya petugas yang melihat catatan ini."),
    Visibility.REPORTER: gettext_lazy("Pelapor membaca catatan ini."),
    Visibility.PUBLIC: gettext_lazy(
        "Pelapor dan publik membaca catatan ini (bila pengaduan tidak dirahasiakan)."
    ),
}


@dataclass
class TimelineEntry:
    event: ComplaintEvent
    label: str
    actor: str
    internal: bool
    visibility: str
    details: list[tuple[str, str]]
    photos: list


def _actor_label(event: ComplaintEvent) -> str:
    # The reporter is "Pelapor" on every staff page: their name is shown only on request.
    if event.actor_role == "reporter":
        return _("Pelapor")
    if event.actor_id is None:
        return _("Sistem")
    name = event.actor.full_name or event.actor.username
    if event.actor_role == "agency" and event.assignment_id:
        agency = event.assignment.agency
        return f"{name} ({agency.short_name or agency.name})"
    if event.actor_role in ROLE_LABELS:
        return f"{name} ({ROLE_LABELS[event.actor_role]})"
    return name


def _event_details(event: ComplaintEvent) -> list[tuple[str, str]]:
    data = event.data or {}
    details = []
    if number := data.get("register_number"):
        details.append((_("Nomor register"), number))
    if reason := data.get("reason"):
        label = DeclineReason(reason).label if reason in DeclineReason.values else reason
        details.append((_("Alasan"), str(label)))
    if referral := data.get("referral"):
        label = Referral(referral).label if referral in Referral.values else referral
        details.append((_("Disarankan ke"), str(label)))
    if original := data.get("duplicate_of"):
        details.append((_("Duplikat dari"), original))
    if "old" in data and "new" in data:
        details.append((_("Kategori"), f"{data['old']} → {data['new']}"))
    if due := data.get("clarification_due"):
        details.append((_("Batas klarifikasi"), due))
    return details


def _timeline(complaint: Complaint) -> list[TimelineEntry]:
    entries = []
    for event in selectors.timeline(complaint, audience="staff"):
        spec = TRANSITIONS.get(event.action)
        entries.append(
            TimelineEntry(
                event=event,
                label=str(spec.label if spec else SUBMIT_LABEL),
                actor=_actor_label(event),
                internal=event.visibility == Visibility.INTERNAL,
                visibility=str(VISIBILITY_BADGES.get(event.visibility, event.visibility)),
                details=_event_details(event),
                photos=list(event.photos.all()),
            )
        )
    return entries


def _my_assignment(user: User, complaint: Complaint) -> Assignment | None:
    """The active assignment of one of the user's agencies on this complaint."""
    return (
        selectors.staff_assignments(user)
        .filter(complaint=complaint)
        .order_by("-is_lead", "routed_at", "pk")
        .first()
    )


def _available_actions(
    complaint: Complaint, user: User, assignment: Assignment | None
) -> dict[str, Assignment | None]:
    """The console's actions the user may take now → the assignment each acts on."""
    available: dict[str, Assignment | None] = {}
    if assignment is not None:
        for name in allowed_actions(complaint, user, assignment):
            available[name] = assignment
    # Without an assignment: the Secretariat's actions (which win for someone in both roles).
    for name in allowed_actions(complaint, user):
        available[name] = None
    return {name: available[name] for name in ACTION_FORMS if name in available}


@dataclass
class ActionPanel:
    """One action's form on the complaint page."""

    name: str
    label: str
    form: ActionForm
    visibility_hint: str
    formset: Any = None
    staged_photos: list = field(default_factory=list)
    open: bool = False

    @property
    def has_photos(self) -> bool:
        return "photos" in self.form.fields


def _default_route_agency(complaint: Complaint) -> Agency | None:
    """The category's agency, or the kecamatan of the location when the category says so."""
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


def _route_formset(complaint: Complaint, data=None):
    if data is not None:
        return RouteAgencyFormSet(data, prefix="route-agencies")
    default = _default_route_agency(complaint)
    initial = [{"agency": default.code}] if default else [{}]
    return RouteAgencyFormSet(prefix="route-agencies", initial=initial)


def _panel(name: str, complaint: Complaint, *, form=None, formset=None, staged=(), is_open=False):
    spec = TRANSITIONS[name]
    if form is None:
        initial = {"lead": 0} if name == "route" else None
        form = ACTION_FORMS[name](prefix=name, initial=initial)
        if name == "change_category":
            form.fields["category"].queryset = form.fields["category"].queryset.exclude(
                pk=complaint.category_id
            )
    if name == "route" and formset is None:
        formset = _route_formset(complaint)
    hint = VISIBILITY_HINTS[spec.visibility]
    if name == "update":
        hint = _("Pilih siapa yang boleh membaca perkembangan ini.")
    return ActionPanel(
        name=name,
        label=str(spec.label),
        form=form,
        visibility_hint=str(hint),
        formset=formset,
        staged_photos=list(staged),
        open=is_open,
    )


def _render_detail(
    request: HttpRequest,
    complaint: Complaint,
    *,
    bound: ActionPanel | None = None,
    identity: User | None = None,
    identity_form: IdentityForm | None = None,
) -> HttpResponse:
    user = request.user
    today = _today()
    my_assignment = _my_assignment(user, complaint)
    available = _available_actions(complaint, user, my_assignment)
    panels = [
        bound if bound is not None and bound.name == name else _panel(name, complaint)
        for name in available
    ]
    assignments = list(
        complaint.assignments.select_related(
            "agency", "routed_by", "received_by", "responded_by"
        ).order_by("-is_lead", "routed_at", "pk")
    )
    dues = [
        *(getattr(complaint, name) for name, _label in COMPLAINT_CLOCKS),
        *(_followup_due(a) for a in assignments),
    ]
    counter = OverdueCounter(dues, today)
    running = complaint.paused_on is None
    clocks = [
        counter.clock(label, getattr(complaint, name)) if running else Clock(str(label), due)
        for name, label in COMPLAINT_CLOCKS
        if (due := getattr(complaint, name))
    ]
    # The citizen's clocks: shown, never flagged (the system acts when they run out).
    citizen_clocks = [
        Clock(str(Complaint._meta.get_field(name).verbose_name), due)
        for name in ("clarification_due", "rating_due")
        if (due := getattr(complaint, name))
    ]
    assignment_rows = [
        {
            "assignment": a,
            "followup": counter.clock(DeadlineKind.FIRST_FOLLOWUP.label, _followup_due(a))
            if running
            else None,
            "mine": my_assignment is not None and a.pk == my_assignment.pk,
        }
        for a in assignments
    ]
    visible = selectors.staff_complaints(user)
    duplicates = list(visible.filter(duplicate_of=complaint).order_by("submitted_at", "pk"))
    duplicate_of = (
        visible.filter(pk=complaint.duplicate_of_id).first() if complaint.duplicate_of_id else None
    )
    timeline = _timeline(complaint)
    submission_photos = [p for e in timeline if e.event.action == "submit" for p in e.photos]
    can_identify = selectors.can_see_identity(user, complaint)
    context = {
        "complaint": complaint,
        "panels": panels,
        "assignment_rows": assignment_rows,
        "my_assignment": my_assignment,
        "clocks": clocks,
        "citizen_clocks": citizen_clocks,
        "duplicates": duplicates,
        "duplicate_of": duplicate_of,
        "timeline": timeline,
        "submission_photos": submission_photos,
        "can_identify": can_identify,
        "identity": identity,
        "identity_form": identity_form
        or (IdentityForm(prefix="identity") if can_identify else None),
        "is_secretariat": selectors.is_secretariat(user),
    }
    response = render(request, "staff/complaint_detail.html", context)
    if identity is not None:
        add_never_cache_headers(response)
    return response


@staff_console
def complaint_detail(request: HttpRequest, tracking: str) -> HttpResponse:
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    complaint = selectors.staff_complaint(request.user, tracking)
    return _render_detail(request, complaint)


@staff_console
def reporter_identity(request: HttpRequest, tracking: str) -> HttpResponse:
    """Show the reporter's name, email and mobile on request, and log the look."""
    user = request.user
    complaint = selectors.staff_complaint(user, tracking)
    if not selectors.can_see_identity(user, complaint):
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    form = IdentityForm(request.POST, prefix="identity")
    reporter = None
    if form.is_valid():
        reporter = services.reporter_identity(
            complaint=complaint, user=user, purpose=form.cleaned_data["purpose"]
        )
    if request.htmx:
        response = render(
            request,
            "staff/partials/identity.html",
            {"complaint": complaint, "identity": reporter, "identity_form": form},
        )
    else:
        response = _render_detail(request, complaint, identity=reporter, identity_form=form)
    add_never_cache_headers(response)
    return response


# --- actions -----------------------------------------------------------------------------


def _success_message(action: str, complaint: Complaint, assignment: Assignment | None) -> str:
    if action == "accept" and assignment is not None:
        assignment.refresh_from_db(fields=["register_number"])
        return _("Pengaduan diterima dan dicatat dengan nomor register %(number)s.") % {
            "number": assignment.register_number
        }
    return _("%(action)s: tersimpan. Status sekarang: %(status)s.") % {
        "action": TRANSITIONS[action].label,
        "status": complaint.get_status_display(),
    }


@staff_console
def complaint_act(request: HttpRequest, tracking: str, action: str) -> HttpResponse:
    """Take one workflow action from the complaint page (POST)."""
    user = request.user
    complaint = selectors.staff_complaint(user, tracking)
    if action not in ACTION_FORMS:
        raise Http404
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    available = _available_actions(complaint, user, _my_assignment(user, complaint))
    if action not in available:
        messages.error(request, _("Tindakan ini tidak dapat dilakukan pada pengaduan sekarang."))
        return redirect("staff:complaint", complaint.tracking_number)
    assignment = available[action]

    form = ACTION_FORMS[action](request.POST, request.FILES, prefix=action)
    formset = None
    if action == "route":
        data = request.POST
        if "add_row" in request.POST:
            # No script needed: one more empty row, everything typed kept.
            data = request.POST.copy()
            total = "route-agencies-TOTAL_FORMS"
            data[total] = str(min(int(data.get(total) or 0) + 1, 10))
            formset = _route_formset(complaint, data)
            return _render_detail(
                request,
                complaint,
                bound=_panel(action, complaint, form=form, formset=formset, is_open=True),
            )
        formset = _route_formset(complaint, data)
    staged = []
    if "photos" in form.fields:
        staged = services.staged_photos(user=user, ids=request.POST.getlist(f"{action}-photo_ids"))

    valid = form.is_valid() & (formset is None or formset.is_valid())
    if "photos" in form.fields:
        # Kept even when another field is wrong: nobody should have to pick them again.
        for upload in form.cleaned_data.get("photos") or []:
            try:
                staged.append(services.photo_stage(upload=upload, uploaded_by=user))
            except ValidationError as error:
                form.add_error("photos", error)
                valid = False
    if not valid:
        return _render_bound(request, complaint, action, form, formset, staged)

    payload = form.payload()
    if "photos" in form.fields:
        payload["photos"] = staged
    if action == "route":
        payload["routes"] = formset.routes(form.cleaned_data.get("lead"))
    try:
        transition(
            complaint,
            action,
            actor=user,
            assignment=assignment,
            note=form.cleaned_data.get("note") or "",
            **payload,
        )
    except InvalidTransition:
        messages.error(request, _("Tindakan ini tidak dapat dilakukan pada pengaduan sekarang."))
        return redirect("staff:complaint", complaint.tracking_number)
    except ValidationError as error:
        add_workflow_errors(form, error)
        return _render_bound(request, complaint, action, form, formset, staged)

    messages.success(request, _success_message(action, complaint, assignment))
    if not selectors.staff_complaints(user).filter(pk=complaint.pk).exists():
        # Handed back: the agency no longer sees this complaint.
        return redirect("staff:queue")
    return redirect("staff:complaint", complaint.tracking_number)


def _render_bound(request, complaint, action, form, formset, staged) -> HttpResponse:
    panel = _panel(action, complaint, form=form, formset=formset, staged=staged, is_open=True)
    return _render_detail(request, complaint, bound=panel)

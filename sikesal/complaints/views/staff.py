"""The staff console under /staf/: work queues, the complaint page and its actions.

Only people for whom `access.can_use_staff_console` holds get in; everyone else gets the
same 404 as for a page that does not exist (signed-out visitors are sent to the login page
by `LoginRequiredMiddleware` first). Which complaints and assignments a staff member may
open comes from `selectors`; what they may do comes from `workflow.allowed_actions`, and
every action goes through `workflow.transition`. A reporter's identity is never on a page
by default: it is shown only on request, to those `can_see_identity` allows, and every look
is logged by `services.reporter_identity`.
"""

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers, patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from sikesal.accounts.models import User
from sikesal.complaints import exports, selectors, services
from sikesal.complaints.access import is_secretariat, oversees_all, staff_console
from sikesal.complaints.deadlines import local_today as _today
from sikesal.complaints.models import (
    Assignment,
    Complaint,
    Visibility,
)
from sikesal.complaints.queue import queue_rows
from sikesal.complaints.staff_actions import ROUTE_PREFIX, StaffActionInput
from sikesal.complaints.staff_detail import staff_complaint_detail
from sikesal.complaints.staff_forms import (
    ACTION_FORMS,
    ActionForm,
    IdentityForm,
    RouteAgencyFormSet,
    queue_filter_form,
)
from sikesal.complaints.workflow import (
    TRANSITIONS,
    InvalidTransition,
    available_actions,
    default_route_agency,
)
from sikesal.core.paging import keyset_page

PAGE_SIZE = 25


# --- the queue ---------------------------------------------------------------------------


def _filtered_queue(request: HttpRequest, today: date):
    """The filter form and the filtered queue: complaints for the Secretariat and
    executives, assignments for agency staff. An invalid filter is ignored."""
    user = request.user
    form = queue_filter_form(user, request.GET or None)
    filters = form.filters()
    items = selectors.staff_queue(user, filters, today=today)
    return form, filters, items, oversees_all(user)


@staff_console
def queue(request: HttpRequest) -> HttpResponse:
    """The Secretariat's queue of complaints, or an agency's assignments; htmx gets the table."""
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    user = request.user
    today = _today()
    form, filters, items, on_complaints = _filtered_queue(request, today)
    page = keyset_page(items, request.GET, size=PAGE_SIZE)
    rows = queue_rows(page.object_list, today, on_complaints=on_complaints)
    context = {
        "form": form,
        "page_obj": page,
        "rows": rows,
        "on_complaints": on_complaints,
        "overdue_only": bool(filters.get("overdue")),
        "staff_section": "overdue" if filters.get("overdue") else "queue",
        "overdue_total": selectors.overdue_count(user, today=today),
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
    """The filtered queue as CSV, for a spreadsheet, streamed batch by batch (`exports`)."""
    today = _today()
    _form, _filters, items, on_complaints = _filtered_queue(request, today)
    rows = exports.queue_export_rows(items, today, on_complaints=on_complaints)
    return exports.queue_csv(rows, on_complaints=on_complaints)


# --- the complaint page ------------------------------------------------------------------

VISIBILITY_HINTS = {
    Visibility.INTERNAL: gettext_lazy("Hanya petugas yang melihat catatan ini."),
    Visibility.REPORTER: gettext_lazy("Pelapor membaca catatan ini."),
    Visibility.PUBLIC: gettext_lazy(
        "Pelapor dan publik membaca catatan ini (bila pengaduan tidak dirahasiakan)."
    ),
}


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


def _route_formset(complaint: Complaint, data=None):
    if data is not None:
        return RouteAgencyFormSet(data, prefix=ROUTE_PREFIX)
    default = default_route_agency(complaint)
    initial = [{"agency": default.code}] if default else [{}]
    return RouteAgencyFormSet(prefix=ROUTE_PREFIX, initial=initial)


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
    open_action: str = "",
) -> HttpResponse:
    detail = staff_complaint_detail(request.user, complaint, _today())
    panels = [
        bound
        if bound is not None and bound.name == name
        else _panel(name, complaint, is_open=name == open_action)
        for name in detail.actions
    ]
    context = {
        "complaint": complaint,
        "panels": panels,
        "assignment_rows": detail.assignment_rows,
        "my_assignment": detail.my_assignment,
        "clocks": detail.clocks.handling,
        "citizen_clocks": detail.clocks.citizen,
        "duplicates": detail.duplicates,
        "duplicate_of": detail.duplicate_of,
        "timeline": detail.timeline,
        "submission_photos": detail.submission_photos,
        "can_identify": detail.can_identify,
        "identity": identity,
        "identity_form": identity_form
        or (IdentityForm(prefix="identity") if detail.can_identify else None),
        "is_secretariat": is_secretariat(request.user),
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
    # ?tindakan=<action> opens that action's form: the action bar's links work without
    # JavaScript. An action the user may not take now opens nothing.
    return _render_detail(request, complaint, open_action=request.GET.get("tindakan", ""))


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
    available = available_actions(complaint, user, selectors.my_assignment(user, complaint))
    if action not in available:
        messages.error(request, _("Tindakan ini tidak dapat dilakukan pada pengaduan sekarang."))
        return redirect("staff:complaint", complaint.tracking_number)
    assignment = available[action]

    data = request.POST
    if action == "route" and "add_row" in request.POST:
        # No script needed: one more empty row, everything typed kept.
        data = request.POST.copy()
        total = f"{ROUTE_PREFIX}-TOTAL_FORMS"
        rows = data.get(total, "")
        rows = int(rows) if rows.isascii() and rows.isdigit() and len(rows) < 3 else 0
        data[total] = str(min(rows + 1, 10))
        submitted = StaffActionInput.bind(
            action, complaint, user, data, request.FILES, prefix=action
        )
        return _render_detail(
            request,
            complaint,
            bound=_panel(
                action, complaint, form=submitted.form, formset=submitted.formset, is_open=True
            ),
        )
    submitted = StaffActionInput.bind(action, complaint, user, data, request.FILES, prefix=action)
    try:
        event = submitted.take(assignment)
    except InvalidTransition:
        messages.error(request, _("Tindakan ini tidak dapat dilakukan pada pengaduan sekarang."))
        return redirect("staff:complaint", complaint.tracking_number)
    if event is None:
        return _render_bound(request, complaint, submitted)

    messages.success(request, _success_message(action, complaint, assignment))
    if not selectors.staff_complaints(user).filter(pk=complaint.pk).exists():
        # Handed back: the agency no longer sees this complaint.
        return redirect("staff:queue")
    return redirect("staff:complaint", complaint.tracking_number)


def _render_bound(
    request: HttpRequest, complaint: Complaint, submitted: StaffActionInput
) -> HttpResponse:
    panel = _panel(
        submitted.action,
        complaint,
        form=submitted.form,
        formset=submitted.formset,
        staged=submitted.staged,
        is_open=True,
    )
    return _render_detail(request, complaint, bound=panel)

"""Assisted intake in the staff console: /staf/catat/ (the form) and a letter's scan.

Staff only: the Secretariat's officers, and an agency's officers and head at their own
agency's counter (`services.intake_desks`); anyone else gets the 404 of a page that does
not exist. A refused form comes back with everything typed, its photos and its scan kept
(staged before anything is checked).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from sikesal.complaints import selectors
from sikesal.complaints.access import is_secretariat, staff_console
from sikesal.complaints.forms import LATE_REPORT_DAYS, add_service_errors, new_submission_token
from sikesal.complaints.models import ComplaintPhoto
from sikesal.complaints.services import complaint_filed_with, reporter_identity
from sikesal.complaints.views.citizen import _photos_from_post
from sikesal.intake.forms import IntakeForm
from sikesal.intake.models import LetterScan
from sikesal.intake.reporters import known_reporter
from sikesal.intake.services import (
    Desk,
    complaint_intake,
    intake_desks,
    letter_scan_stage,
    staged_letter_scan,
)


@staff_console
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """The form; a filed complaint leads to its page in the console."""
    desks = intake_desks(request.user)
    if not desks:
        raise Http404
    if request.method == "GET":
        return _page(request, IntakeForm(desks=desks), [], None)
    return _post(request, desks)


def _post(request: HttpRequest, desks: list[Desk]) -> HttpResponse:
    user = request.user
    token = request.POST.get("submission_token", "")
    intent = request.POST.get("intent", "submit")
    removing = "remove_photo" in request.POST or "remove_scan" in request.POST
    if intent == "submit" and not removing and (filed := _filed(request, token)):
        # The same form sent again: show what it filed, before staging its files again.
        return redirect("staff:complaint", filed.tracking_number)
    photos, photo_errors = _photos_from_post(request, file_field="photos")
    scan, scan_error = _scan_from_post(request)
    if intent == "lookup" or removing:
        # Nothing is checked yet: the form comes back as typed, with who the contact is.
        form = IntakeForm(initial=request.POST.dict(), desks=desks)
        _file_errors(form, photo_errors, scan_error)
        lookup = _lookup(request) if intent == "lookup" else None
        return _page(request, form, photos, scan, lookup=lookup)
    form = IntakeForm(request.POST, desks=desks)
    form_valid = form.is_valid()
    _file_errors(form, photo_errors, scan_error)
    if form_valid and not photo_errors and not scan_error:
        try:
            result = complaint_intake(
                officer=user,
                letter_scan=scan,
                photos=photos,
                idempotency_key=token,
                **form.intake_fields(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            complaint = result.complaint
            known = _("pelapor sudah dikenal") if result.reporter_known else _("pelapor baru")
            messages.success(
                request,
                _("Pengaduan dicatat dengan nomor pelacakan %(tracking)s; %(reporter)s.")
                % {"tracking": complaint.tracking_number, "reporter": known},
            )
            return redirect("staff:complaint", complaint.tracking_number)
    return _page(request, form, photos, scan)


def _filed(request: HttpRequest, token: str):
    reporter = known_reporter(
        email=request.POST.get("email", ""), mobile=request.POST.get("phone", "")
    )
    if reporter is None:
        return None
    filed = complaint_filed_with(
        reporter=reporter,
        idempotency_key=token,
        title=request.POST.get("title", ""),
        description=request.POST.get("description", ""),
    )
    # Only its own officer's sending: a token is no key to someone else's complaint.
    if filed is None or not filed.events.filter(action="submit", actor=request.user).exists():
        return None
    return filed


def _scan_from_post(request: HttpRequest) -> tuple[LetterScan | None, str]:
    """The scan the form carries: a new file (staged now), else the one staged before,
    unless the officer removed it. Returns it with the error of a refused file."""
    scan = None
    if "remove_scan" not in request.POST:
        scan = staged_letter_scan(user=request.user, scan_id=request.POST.get("letter_scan_id", ""))
    upload = request.FILES.get("letter_scan")
    if upload is None:
        return scan, ""
    try:
        return letter_scan_stage(upload=upload, uploaded_by=request.user), ""
    except ValidationError as refusal:
        return scan, " ".join(refusal.messages)


def _file_errors(form: IntakeForm, photo_errors: list[str], scan_error: str) -> None:
    for error in photo_errors:
        form.add_error("photos", error)
    if scan_error:
        form.add_error("letter_scan", scan_error)


def _lookup(request: HttpRequest) -> dict:
    """Who the contact typed belongs to, as the officer may know it: the Secretariat reads
    the name on record (they may read every reporter's identity), an agency only whether
    the person is known."""
    email, mobile = request.POST.get("email", ""), request.POST.get("phone", "")
    if not email.strip() and not mobile.strip():
        return {"empty": True}
    reporter = known_reporter(email=email, mobile=mobile)
    if reporter is None:
        return {"known": False}
    return {
        "known": True,
        "registered": reporter.is_registered,
        "name": reporter.full_name if is_secretariat(request.user) else "",
    }


def _page(
    request: HttpRequest,
    form: IntakeForm,
    photos: list[ComplaintPhoto],
    scan: LetterScan | None,
    *,
    lookup: dict | None = None,
) -> HttpResponse:
    response = render(
        request,
        "intake/intake.html",
        {
            "form": form,
            "photos": photos,
            "scan": scan,
            "lookup": lookup,
            "photo_limit": settings.SIKESAL_PHOTO_MAX_COUNT,
            "late_days": LATE_REPORT_DAYS,
            "submission_token": new_submission_token(),
            "staff_section": "intake",
        },
    )
    add_never_cache_headers(response)
    return response


@staff_console
@require_POST
def letter_scan(request: HttpRequest, tracking: str, pk: int) -> HttpResponse:
    """A letter's scan, to those who may see the reporter's identity (it names them);
    every look is logged like the identity's. POST: it writes that log line."""
    complaint = selectors.staff_complaint(request.user, tracking)
    if not selectors.can_see_identity(request.user, complaint):
        raise Http404
    scan = get_object_or_404(LetterScan, pk=pk, complaint=complaint)
    reporter_identity(complaint=complaint, user=request.user, purpose=_("Membuka pindaian surat"))
    response = FileResponse(
        scan.file.open("rb"),
        content_type=scan.content_type,
        as_attachment=True,
        filename=f"{complaint.tracking_number}-surat.{scan.extension}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox"
    add_never_cache_headers(response)
    return response

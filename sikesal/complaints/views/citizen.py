"""The citizen's complaint pages: filing (/lapor/) and following their own (/saya/).

Login required (Django's LoginRequiredMiddleware). Each view parses a form, calls one
service or `workflow.transition`, and renders; a refused submission is shown again with
everything the citizen gave, photos included (they are staged before anything is checked).
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sikesal.accounts.models import User
from sikesal.agencies.models import Category, Region
from sikesal.complaints import deadlines, selectors
from sikesal.complaints.forms import (
    ACTION_FORMS,
    LATE_REPORT_DAYS,
    ComplaintForm,
    add_service_errors,
    draft_data,
    draft_initial,
    new_submission_token,
)
from sikesal.complaints.images import clean_original_name
from sikesal.complaints.models import (
    Complaint,
    ComplaintDraft,
    ComplaintPhoto,
    DeclineReason,
    Referral,
)
from sikesal.complaints.services import (
    complaint_draft_discard,
    complaint_draft_save,
    complaint_filed_with,
    complaint_submit,
    photo_stage,
    staged_photos,
)
from sikesal.complaints.timeline import REPORTER, reporter_hint, timeline_entries
from sikesal.complaints.workflow import InvalidTransition, allowed_actions, transition

PAGE_SIZE = 20
FILED_PARAMETER = "terkirim"

# --- /lapor/ ---------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def file_complaint(request: HttpRequest) -> HttpResponse:
    """The complaint form; after a successful submission, the tracking number page."""
    if request.method == "POST":
        return _file_post(request, intent=request.POST.get("intent", "submit"))
    if tracking := request.GET.get(FILED_PARAMETER):
        complaint = selectors.my_complaint(request.user, tracking)
        return render(request, "complaints/filed.html", {"complaint": complaint})
    draft = selectors.complaint_draft_for(request.user)
    data = draft.data if draft else {}
    form = ComplaintForm(initial=draft_initial(data))
    photos = staged_photos(user=request.user, ids=data.get("photo_ids", []))
    return _file_page(request, form, photos, draft=draft)


@require_POST
def photo_upload(request: HttpRequest) -> HttpResponse:
    """Stage one photo as soon as it is chosen.

    htmx (or complaint-form.js, which sends the same header) posts one file, `photo`, with
    the `photo_ids` already in the form, and gets the photo's list item, or its error with
    status 400. A plain form post (the "Unggah foto" button without JavaScript) carries the
    whole complaint form: its files are staged and the form comes back as it was.
    """
    if not request.htmx:
        return _file_post(request, intent="upload")
    photos = staged_photos(user=request.user, ids=request.POST.getlist("photo_ids"))
    upload = request.FILES.get("photo")
    limit = settings.SIKESAL_PHOTO_MAX_COUNT
    if upload is None:
        error = _("Pilih foto yang akan diunggah.")
    elif len(photos) >= limit:
        error = _("Paling banyak %(limit)d foto; foto %(name)s tidak disimpan.") % {
            "limit": limit,
            "name": clean_original_name(upload.name or ""),
        }
    else:
        try:
            photo = photo_stage(upload=upload, uploaded_by=request.user)
        except ValidationError as refusal:
            error = _photo_error(upload.name, refusal)
        else:
            return render(request, "complaints/partials/photo_item.html", {"photo": photo})
    return render(request, "complaints/partials/photo_error.html", {"error": error}, status=400)


def _file_post(request: HttpRequest, *, intent: str) -> HttpResponse:
    user = request.user
    if intent == "discard":
        complaint_draft_discard(reporter=user)
        messages.success(request, _("Draf pengaduan dihapus."))
        return redirect("complaints:file")
    token = request.POST.get("submission_token", "")
    # Only a form with photos needs the lookup before anything else; without, a retry is
    # caught when the complaint is inserted.
    carries_photos = bool(request.FILES or request.POST.getlist("photo_ids"))
    if (
        intent == "submit"
        and carries_photos
        and (
            filed := complaint_filed_with(
                reporter=user,
                idempotency_key=token,
                title=request.POST.get("title", ""),
                description=request.POST.get("description", ""),
            )
        )
    ):
        # The same form sent again (a double click, a retry after a lost response): show
        # what it filed, before its files are staged a second time.
        return _filed_redirect(filed)
    photos, photo_errors = _photos_from_post(request, file_field="photos")
    data = draft_data(request.POST, photos)
    if intent == "draft" or not user.is_verified:
        # An unverified citizen cannot submit yet: whatever they send is kept as the draft.
        complaint_draft_save(reporter=user, data=data)
    if intent == "draft":
        messages.success(
            request,
            _("Draf disimpan. Anda dapat melanjutkannya kapan saja dari halaman ini.")
            if user.is_verified
            else _(
                "Draf disimpan. Pengaduan dapat dikirim setelah email atau nomor ponsel Anda "
                "terverifikasi."
            ),
        )
        if not photo_errors:
            return redirect("complaints:file")

    if intent in ("draft", "upload") or "remove_photo" in request.POST:
        # Photos added or removed: the form comes back as it was, without checking the rest.
        form = ComplaintForm(initial=draft_initial(data))
        for error in photo_errors:
            form.add_error("photos", error)
        return _file_page(request, form, photos)

    form = ComplaintForm(request.POST)
    form_valid = form.is_valid()
    for error in photo_errors:
        form.add_error("photos", error)
    if form_valid and not photo_errors:
        try:
            complaint = _submit(form, user, photos, token=token, key_looked_up=carries_photos)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            return _filed_redirect(complaint)
    return _file_page(request, form, photos)


def _filed_redirect(complaint: Complaint) -> HttpResponse:
    return redirect(f"{reverse('complaints:file')}?{FILED_PARAMETER}={complaint.tracking_number}")


def _submit(
    form: ComplaintForm,
    user: User,
    photos: list[ComplaintPhoto],
    *,
    token: str,
    key_looked_up: bool,
) -> Complaint:
    return complaint_submit(
        reporter=user,
        photos=photos,
        idempotency_key=token,
        key_looked_up=key_looked_up,
        discard_draft=True,
        **form.submission_fields(),
    )


def _file_page(
    request: HttpRequest,
    form: ComplaintForm,
    photos: list[ComplaintPhoto],
    *,
    draft: ComplaintDraft | None = None,
) -> HttpResponse:
    """The form page; `draft` (the server's) shows where the values come from (and how to
    drop them), and when it was saved: the phone's own draft (static/js/offline-filing.js)
    is put back only when it is newer."""
    return render(
        request,
        "complaints/file.html",
        {
            "form": form,
            "photos": photos,
            "photo_limit": settings.SIKESAL_PHOTO_MAX_COUNT,
            "has_draft": draft is not None,
            "server_draft_at": int(draft.updated_at.timestamp() * 1000) if draft else 0,
            "offline_codes": _offline_codes(),
            "late_days": LATE_REPORT_DAYS,
            # Fresh on every rendering: only a form whose sending may have filed something
            # is sent again with the same token.
            "submission_token": new_submission_token(),
        },
    )


def _offline_codes() -> dict[str, dict[str, str]]:
    """The codes the API files by, for the ids the form's choices carry: a complaint queued
    on the phone is sent through POST /api/v1/complaints/, which takes codes."""
    return {
        "category": {
            str(pk): code
            for pk, code in Category.objects.filter(is_active=True).values_list("pk", "code")
        },
        "kelurahan": {
            str(pk): code
            for pk, code in Region.objects.filter(level=Region.Level.KELURAHAN).values_list(
                "pk", "code"
            )
        },
    }


def _photos_from_post(
    request: HttpRequest, *, file_field: str
) -> tuple[list[ComplaintPhoto], list[str]]:
    """The photos a form carries: those staged before (`photo_ids`, minus one being removed)
    and its new files, staged now. Returns them with an error per refused file."""
    user = request.user
    photos = staged_photos(user=user, ids=request.POST.getlist("photo_ids"))
    if removed := request.POST.get("remove_photo"):
        photos = [photo for photo in photos if str(photo.pk) != removed]
    errors = []
    limit = settings.SIKESAL_PHOTO_MAX_COUNT
    uploads = request.FILES.getlist(file_field) or request.FILES.getlist("photo")
    skipped = []
    for upload in uploads:
        if len(photos) >= limit:
            skipped.append(clean_original_name(upload.name or ""))
            continue
        try:
            photos.append(photo_stage(upload=upload, uploaded_by=user))
        except ValidationError as refusal:
            errors.append(_photo_error(upload.name, refusal))
    if skipped:
        errors.append(
            _("Paling banyak %(limit)d foto; foto %(name)s tidak disimpan.")
            % {"limit": limit, "name": ", ".join(skipped)}
        )
    return photos, errors


def _photo_error(name: str | None, refusal: ValidationError) -> str:
    return _("Foto %(name)s: %(error)s") % {
        "name": clean_original_name(name or ""),
        "error": " ".join(refusal.messages),
    }


# --- /saya/ ----------------------------------------------------------------------------------


@require_GET
def my_complaints(request: HttpRequest) -> HttpResponse:
    page = Paginator(selectors.my_complaints(request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    today = deadlines.local_today()
    rows = [(complaint, reporter_hint(complaint, today)) for complaint in page.object_list]
    return render(
        request,
        "complaints/mine_list.html",
        {"page_obj": page, "rows": rows, "has_draft": selectors.has_complaint_draft(request.user)},
    )


@require_GET
def my_complaint(request: HttpRequest, tracking: str) -> HttpResponse:
    complaint = selectors.my_complaint(request.user, tracking)
    return _detail_page(request, complaint)


@require_POST
def my_complaint_act(request: HttpRequest, tracking: str, action: str) -> HttpResponse:
    """Answer a clarification, rate, or object: one transition, then back to the page."""
    form_class = ACTION_FORMS.get(action)
    if form_class is None:
        raise Http404
    complaint = selectors.my_complaint(request.user, tracking)
    detail_url = reverse("complaints:mine_detail", args=[complaint.tracking_number])
    if action not in allowed_actions(complaint, request.user):
        messages.error(request, _("Tindakan ini tidak tersedia lagi."))
        return redirect(detail_url)

    photos, photo_errors = [], []
    if "photos" in form_class.base_fields:
        photos, photo_errors = _photos_from_post(request, file_field=f"{action}-photos")
    if "remove_photo" in request.POST:
        # A photo taken off (without JavaScript): the form comes back as it was.
        initial = {
            name: request.POST.get(f"{action}-{name}", "") for name in form_class.base_fields
        }
        form = form_class(initial=initial, prefix=action)
        for error in photo_errors:
            form.add_error("photos", error)
        return _detail_page(request, complaint, bound_form=form, action=action, photos=photos)

    form = form_class(request.POST, prefix=action)
    form_valid = form.is_valid()
    for error in photo_errors:
        form.add_error("photos", error)
    if form_valid and not photo_errors:
        try:
            transition(
                complaint,
                action,
                actor=request.user,
                note=form.cleaned_data["note"],
                **form.payload(photos),
            )
        except InvalidTransition:
            messages.error(request, _("Tindakan ini tidak tersedia lagi."))
            return redirect(detail_url)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _success_message(action))
            return redirect(detail_url)
    return _detail_page(request, complaint, bound_form=form, action=action, photos=photos)


def _success_message(action: str) -> str:
    return {
        "answer_clarification": _(
            "Jawaban Anda terkirim. Sekretariat Pengaduan akan melanjutkan penelaahan."
        ),
        "rate": _("Terima kasih atas penilaian Anda. Pengaduan ini selesai."),
        "object": _("Keberatan Anda terkirim. OPD akan menindaklanjuti kembali pengaduan ini."),
    }[action]


def _detail_page(
    request: HttpRequest,
    complaint: Complaint,
    *,
    bound_form=None,
    action: str = "",
    photos: list[ComplaintPhoto] = (),
) -> HttpResponse:
    user = request.user
    available = [name for name in allowed_actions(complaint, user) if name in ACTION_FORMS]
    action_forms = {
        name: bound_form if name == action else ACTION_FORMS[name](prefix=name)
        for name in available
    }
    events = timeline_entries(complaint, audience=REPORTER)
    submitted = next((e for e in events if e.action == "submit"), None)
    question = next((e for e in reversed(events) if e.action == "request_clarification"), None)
    assignments = selectors.handling_assignments(complaint)
    objection_limit = settings.SIKESAL_MAX_OBJECTIONS
    return render(
        request,
        "complaints/mine_detail.html",
        {
            "complaint": complaint,
            "events": events,
            "submitted_photos": submitted.photos if submitted else [],
            "question": question,
            "assignments": assignments,
            "action_forms": action_forms,
            "error_form": bound_form if bound_form is not None and bound_form.errors else None,
            "answer_photos": photos if action == "answer_clarification" else [],
            "photo_limit": settings.SIKESAL_PHOTO_MAX_COUNT,
            "objections_left": max(0, objection_limit - complaint.objection_count),
            "objection_limit": objection_limit,
            "decline_reason": (
                DeclineReason(complaint.decline_reason).label if complaint.decline_reason else ""
            ),
            "referral": Referral(complaint.referral).label if complaint.referral else "",
        },
    )

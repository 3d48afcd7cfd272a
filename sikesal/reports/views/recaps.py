"""Monthly recaps (Pasal 9): agency staff review their agency's recap, the head adds KET
remarks and submits it; the Secretariat and executives see every agency's state per
month; anyone can check a printed recap by its code.

Who sees what: the Secretariat and executives every agency; agency officers and heads
their own agencies (404 for others, as everywhere on /staf/). Only the head submits.
"""

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from sikesal.accounts.models import User
from sikesal.agencies.models import Agency
from sikesal.complaints import access
from sikesal.complaints.access import is_agency_head, staff_console
from sikesal.reports import services, xlsx
from sikesal.reports.jobs import previous_month
from sikesal.reports.models import (
    MonthlyRecap,
    RecapState,
    RecapSubmission,
)
from sikesal.reports.pdf import PdfUnavailable, recap_pdf
from sikesal.reports.recap import Month
from sikesal.reports.views.pdf_unavailable import explains_pdf_unavailable, log_pdf_unavailable
from sikesal.reports.xlsx import recap_xlsx

MONTHS_LISTED = 12  # before the current month
STATE_CLASSES = {
    RecapState.IN_PROGRESS: "staff-badge",
    RecapState.DRAFT: "staff-badge",
    RecapState.ON_TIME: "staff-badge staff-badge--ok",
    RecapState.LATE: "staff-badge staff-badge--warn",
    RecapState.MISSING: "staff-badge staff-badge--alert",
}


def _agencies_for(user: User):
    if access.oversees_all(user):
        return Agency.objects.filter(is_active=True)
    return Agency.objects.filter(pk__in=access.agency_ids_for(user))


def _month_or_404(text: str, today: date, *, go_live: Month | None = None) -> Month:
    try:
        month = Month.parse(text)
    except ValueError:
        raise Http404 from None
    if month.first_day > today or (go_live and month.first_day < go_live.first_day):
        raise Http404
    return month


def _state_row(agency: Agency, month: Month, recap: MonthlyRecap | None, now) -> dict:
    """One agency's recap of one month as the lists show it. No recap row yet (the month
    is running, or the 1st's job has not run) reads as an unsaved one."""
    recap = recap or MonthlyRecap(agency=agency, year=month.year, month=month.month)
    state = recap.state(now)
    latest = max(recap.submissions.all() if recap.pk else [], key=lambda s: s.version, default=None)
    return {
        "agency": agency,
        "month": month,
        "month_label": _month_label(month),
        "state": state,
        "state_label": RecapState(state).label,
        "state_class": STATE_CLASSES[state],
        "latest": latest,
    }


@staff_console
@require_safe
def recap_list(request: HttpRequest) -> HttpResponse:
    """The Secretariat: every agency's state for one month. Agency staff: their agencies'
    recaps this month and over the twelve before it. Nothing before the go-live month."""
    now = timezone.now()
    today = timezone.localdate()
    user = request.user
    go_live = services.recap_go_live(now=now)
    if access.oversees_all(user):
        try:
            month = Month.parse(request.GET["bulan"]) if request.GET.get("bulan") else None
        except ValueError:
            month = None
        if month is None or month.first_day > today:
            month = previous_month(now)
        if month.first_day < go_live.first_day:
            month = go_live
        agencies = list(_agencies_for(user).order_by("kind", "name"))
        recaps = _recaps_by_key(agencies, [month])
        rows = [
            _state_row(agency, month, recaps.get((agency.pk, month.year, month.month)), now)
            for agency in agencies
        ]
        counts = {state: sum(row["state"] == state for row in rows) for state in RecapState}
        if not counts[RecapState.IN_PROGRESS]:
            del counts[RecapState.IN_PROGRESS]
        context = {
            "all_agencies": True,
            "month": month,
            "month_label": _month_label(month),
            "previous": month.previous if month != go_live else None,
            "following": month.next if month.next.first_day <= today else None,
            "rows": rows,
            "counts": [(RecapState(state).label, n) for state, n in counts.items()],
        }
    else:
        agencies = list(_agencies_for(user).order_by("name"))
        months = [Month(today.year, today.month)]
        for _index in range(MONTHS_LISTED):
            months.append(months[-1].previous)
        months = [month for month in months if month.first_day >= go_live.first_day]
        recaps = _recaps_by_key(agencies, months)
        rows = [
            _state_row(agency, month, recaps.get((agency.pk, month.year, month.month)), now)
            for agency in agencies
            for month in months
        ]
        context = {"all_agencies": False, "rows": rows}
    context["staff_section"] = "recaps"
    return render(request, "reports/recap_list.html", context)


def _recaps_by_key(agencies, months) -> dict:
    recaps = (
        MonthlyRecap.objects.filter(agency__in=agencies, year__in={m.year for m in months})
        .filter(month__in={m.month for m in months})
        .prefetch_related("submissions")
    )
    return {(r.agency_id, r.year, r.month): r for r in recaps}


def _month_label(month: Month) -> str:
    return formats.date_format(month.first_day, "F Y")


@staff_console
@require_http_methods(["GET", "HEAD", "POST"])
@explains_pdf_unavailable
def recap_detail(request: HttpRequest, agency: str, month: str) -> HttpResponse:
    user = request.user
    today = timezone.localdate()
    found = get_object_or_404(_agencies_for(user), code=agency)
    period = _month_or_404(month, today, go_live=services.recap_go_live())
    recap = services.recap_for(found, period)
    is_head = is_agency_head(user, found)
    if request.method == "POST":
        if not is_head:
            raise Http404
        return _act(request, recap, period)
    built = services.recap_with_remarks(recap)
    reporters = [row.reporter for row in built.rows]
    output = request.GET.get("unduh")
    if output in ("pdf", "xlsx"):
        if output == "pdf":
            content, kind = recap_pdf(built), "application/pdf"
        else:
            content, kind = recap_xlsx(built), xlsx.CONTENT_TYPE
        _identities_logged(request, reporters, found, period, f"{output.upper()} draf")
        response = HttpResponse(content, content_type=kind)
        name = f"rekap-{found.code}-{period}-draf.{output}"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    identities_logged = _identities_logged(request, reporters, found, period, "halaman")
    submissions = (
        list(recap.submissions.select_related("submitted_by").order_by("-version"))
        if recap.pk
        else []
    )
    state = recap.state()
    context = {
        "agency": found,
        "month": period,
        "month_label": _month_label(period),
        "recap": recap,
        "built": built,
        "rows": [(row, recap.remarks.get(row.register, "")) for row in built.rows],
        "submissions": submissions,
        "state_label": RecapState(state).label,
        "state_class": STATE_CLASSES[state],
        "is_head": is_head,
        "identities_logged": identities_logged,
        "can_submit": is_head and today >= period.next.first_day,
        "deadline": recap.deadline,
        "staff_section": "recaps",
    }
    return render(request, "reports/recap_detail.html", context)


def _identities_logged(
    request: HttpRequest, reporters: list[str], agency: Agency, period: Month, shown_as: str
) -> bool:
    """Log the reporters' identities the page or file about to be sent shows."""
    return services.recap_identities_logged(
        agency=agency, month=period, reporters=reporters, user=request.user, shown_as=shown_as
    )


def _act(request: HttpRequest, recap: MonthlyRecap, period: Month) -> HttpResponse:
    remarks = {
        key.removeprefix("ket-"): value
        for key, value in request.POST.items()
        if key.startswith("ket-")
    }
    try:
        if remarks or request.POST.get("action") == "save":
            services.recap_remarks_save(recap, user=request.user, remarks=remarks)
        if request.POST.get("action") == "submit":
            submission = services.recap_submit(recap, user=request.user)
            messages.success(
                request,
                _("Rekapitulasi dikirim ke Sekretariat Pengaduan sebagai versi %(version)s.")
                % {"version": submission.version},
            )
        else:
            messages.success(request, _("Catatan KET disimpan."))
    except (ValidationError, PermissionDenied) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else ""
        messages.error(request, text or _("Anda tidak dapat mengubah rekapitulasi ini."))
    except PdfUnavailable as error:
        # Nothing was submitted (the PDF is made before anything is written); the remarks
        # are kept.
        log_pdf_unavailable(error)
        messages.error(
            request,
            _(
                "Rekapitulasi belum terkirim: server ini belum dapat membuat PDF. Catatan KET "
                "sudah disimpan. Mohon hubungi administrator SIKESAL, lalu kirim kembali."
            ),
        )
    return redirect("reports:recap", recap.agency.code, str(period))


@staff_console
@require_safe
def submission_pdf(request: HttpRequest, agency: str, month: str, version: int):
    found = get_object_or_404(_agencies_for(request.user), code=agency)
    period = _month_or_404(month, timezone.localdate())
    submission = get_object_or_404(
        RecapSubmission,
        recap__agency=found,
        recap__year=period.year,
        recap__month=period.month,
        version=version,
    )
    reporters = [row["reporter"] for row in submission.rows]
    _identities_logged(request, reporters, found, period, f"PDF versi {version}")
    return FileResponse(
        submission.pdf.open("rb"),
        content_type="application/pdf",
        as_attachment=True,
        filename=f"rekap-{found.code}-{period}-v{version}.pdf",
    )


@login_not_required
@require_safe
def verify(request: HttpRequest, code: str) -> HttpResponse:
    """The public check of a printed recap: what was submitted, when, and its SHA-256.
    The rows themselves stay private: they hold reporters' names and numbers."""
    submission = get_object_or_404(
        RecapSubmission.objects.select_related("recap__agency"), code=code.strip().upper()
    )
    recap = submission.recap
    newer = recap.submissions.filter(version__gt=submission.version).count()
    context = {
        "submission": submission,
        "recap": recap,
        "month_label": _month_label(Month(recap.year, recap.month)),
        "row_count": len(submission.rows),
        "newer_versions": newer,
    }
    return render(request, "reports/verify.html", context)

"""The Secretariat's monitoring (/staf/pantau/) and reports (/staf/laporan/), Perwal Jambi
40/2017 Pasal 10: figures with filters, the semester or an incidental report as PDF, and the
rows behind them as CSV or XLSX.

Only the Secretariat and executives get in; other staff and citizens see the same 404 as
for a page that does not exist (signed-out visitors are sent to the login page first).
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import urlencode

from django.http import (
    FileResponse,
    HttpRequest,
    HttpResponse,
    StreamingHttpResponse,
)
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from sikesal.complaints.access import monitoring_access
from sikesal.complaints.stats import MIN_BASE
from sikesal.core.calendar import local_date
from sikesal.core.processes import STALE_AFTER, process_status_list
from sikesal.reports import xlsx
from sikesal.reports.exports import export_csv, export_xlsx
from sikesal.reports.figures import ReportFilter, overdue_list, report_figures
from sikesal.reports.forms import LetterForm, ReportFilterForm, SemesterForm
from sikesal.reports.report import filter_label, period_label, report_charts, report_pdf
from sikesal.reports.views.pdf_unavailable import explains_pdf_unavailable


def _today():
    return local_date(timezone.now())


@monitoring_access
@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """The figures of the filter (default: this year), their charts and the overdue list,
    and when the worker and the scheduler were last alive."""
    today = _today()
    form = ReportFilterForm(request.GET, today=today)
    context = {
        "form": form,
        "staff_section": "monitoring",
        "min_base": MIN_BASE,
        "processes": process_status_list(),
        "stale_minutes": int(STALE_AFTER.total_seconds() // 60),
    }
    if form.is_valid():
        report_filter = form.report_filter()
        figures = report_figures(report_filter, today=today)
        overdue_total, overdue_rows = overdue_list(report_filter, today=today)
        context.update(
            figures=figures,
            charts=report_charts(figures),
            overdue_total=overdue_total,
            overdue_rows=overdue_rows,
            query=urlencode(form.data),
        )
    response = render(request, "reports/monitoring.html", context)
    add_never_cache_headers(response)
    return response


def _reports_page(request, *, filter_form=None, semester_form=None, letter_form=None, status=200):
    today = _today()
    context = {
        "filter_form": filter_form or ReportFilterForm(None, today=today),
        "letter_form": letter_form or LetterForm(),
        "semester_form": semester_form or SemesterForm(today=today),
        "staff_section": "reports",
    }
    return render(request, "reports/reports.html", context, status=status)


@monitoring_access
@require_GET
def reports(request: HttpRequest) -> HttpResponse:
    """The forms: a semester report, an incidental report, the rows as CSV or XLSX."""
    return _reports_page(request)


def _attachment(response: HttpResponse, filename: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    add_never_cache_headers(response)
    return response


@monitoring_access
@require_GET
@explains_pdf_unavailable
def semester_pdf(request: HttpRequest) -> HttpResponse:
    today = _today()
    form = SemesterForm(request.GET, today=today)
    if not form.is_valid():
        return _reports_page(request, semester_form=form, status=400)
    period = form.cleaned_data["period"]
    content = report_pdf(
        period.report_filter(),
        semester=period,
        today=today,
        signer=request.user,
        **form.letter(),
    )
    response = HttpResponse(content, content_type="application/pdf")
    return _attachment(response, f"laporan-semester-{period.year}-{period.number}.pdf")


def filtered(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Call `view(request, report_filter)` with the request's valid filter, or answer with
    the reports page showing the errors (400)."""

    @wraps(view)
    def wrapper(request: HttpRequest) -> HttpResponse:
        form = ReportFilterForm(request.GET, today=_today())
        if not form.is_valid():
            return _reports_page(request, filter_form=form, status=400)
        return view(request, form.report_filter())

    return wrapper


def _stem(report_filter) -> str:
    return f"{report_filter.start:%Y%m%d}-{report_filter.end:%Y%m%d}"


@monitoring_access
@require_GET
@explains_pdf_unavailable
@filtered
def incidental_pdf(request: HttpRequest, report_filter: ReportFilter) -> HttpResponse:
    letter = LetterForm(request.GET)
    if not letter.is_valid():
        return _reports_page(request, letter_form=letter, status=400)
    content = report_pdf(report_filter, today=_today(), signer=request.user, **letter.letter())
    response = HttpResponse(content, content_type="application/pdf")
    return _attachment(response, f"laporan-insidental-{_stem(report_filter)}.pdf")


@monitoring_access
@require_GET
@filtered
def rows_csv(request: HttpRequest, report_filter: ReportFilter) -> HttpResponse:
    response = StreamingHttpResponse(
        export_csv(report_filter, today=_today()), content_type="text/csv; charset=utf-8"
    )
    return _attachment(response, f"sikesal-pengaduan-{_stem(report_filter)}.csv")


@monitoring_access
@require_GET
@filtered
def rows_xlsx(request: HttpRequest, report_filter: ReportFilter) -> HttpResponse:
    title = _("Pengaduan yang diajukan %(period)s") % {"period": period_label(report_filter)}
    workbook = export_xlsx(report_filter, title=title, today=_today())
    response = FileResponse(workbook, content_type=xlsx.CONTENT_TYPE)
    return _attachment(response, f"sikesal-pengaduan-{_stem(report_filter)}.xlsx")


@monitoring_access
@require_GET
@filtered
def figures_xlsx_download(request: HttpRequest, report_filter: ReportFilter) -> HttpResponse:
    """The report's figures, one sheet per table, for the Secretariat's own documents."""
    figures = report_figures(report_filter, today=_today())
    title = _("Angka pengaduan yang diajukan %(period)s") % {"period": period_label(report_filter)}
    content = xlsx.figures_xlsx(figures, title=title, scope=filter_label(report_filter))
    response = HttpResponse(content, content_type=xlsx.CONTENT_TYPE)
    return _attachment(response, f"sikesal-angka-{_stem(report_filter)}.xlsx")

"""The Secretariat's report to the head of the city (Perwal 40/2017 Pasal 10): every
semester, and whenever needed (an incidental report on any period and filter), with a copy
to the Inspektur. Numbers come from `figures`; this module only names the period, draws the
charts and prints the template `reports/report.html`.
"""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from sikesal.accounts.models import User
from sikesal.agencies.models import Agency
from sikesal.core.calendar import local_date
from sikesal.core.city import city
from sikesal.reports.charts import bar_chart, trend_chart
from sikesal.reports.dates import indonesian_date
from sikesal.reports.figures import ReportFigures, ReportFilter, report_figures
from sikesal.reports.pdf import html_to_pdf
from sikesal.reports.signatory import signatory_for

FIRST_YEAR = 2017  # Perwal 40/2017
# The seat of the Sekretariat Pengaduan (Pasal 10.1) when no agency is marked as it.
SECRETARIAT_AGENCY = "diskominfo"
SEMESTER_TITLE = "LAPORAN SEMESTER PENGELOLAAN PENGADUAN MASYARAKAT"
INCIDENTAL_TITLE = "LAPORAN INSIDENTAL PENGELOLAAN PENGADUAN MASYARAKAT"


@dataclass(frozen=True)
class Semester:
    """Semester I is January to June, semester II July to December."""

    year: int
    number: int

    def __post_init__(self) -> None:
        if self.number not in (1, 2):
            raise ValueError(f"A semester is 1 or 2, not {self.number}.")
        if not FIRST_YEAR <= self.year <= 9999:
            raise ValueError(f"The year must be from {FIRST_YEAR} to 9999, not {self.year}.")

    @property
    def first_day(self) -> date:
        return date(self.year, 1 if self.number == 1 else 7, 1)

    @property
    def last_day(self) -> date:
        return date(self.year, 6, 30) if self.number == 1 else date(self.year, 12, 31)

    @property
    def label(self) -> str:
        """As the report names it: "Semester I (Januari\u2013Juni) 2026"."""
        if self.number == 1:
            return f"Semester I (Januari\u2013Juni) {self.year}"
        return f"Semester II (Juli\u2013Desember) {self.year}"

    def report_filter(self) -> ReportFilter:
        return ReportFilter(start=self.first_day, end=self.last_day)

    def __str__(self) -> str:
        return self.label


def period_label(report_filter: ReportFilter) -> str:
    """ "1 Maret 2026 s.d. 15 April 2026"."""
    return f"{indonesian_date(report_filter.start)} s.d. {indonesian_date(report_filter.end)}"


def filter_label(report_filter: ReportFilter) -> str:
    """What narrows the complaints besides the dates, in words, in the active language."""
    parts = []
    if report_filter.agency:
        parts.append(_("disalurkan ke %(agency)s") % {"agency": report_filter.agency.name})
    if report_filter.category:
        parts.append(_("kategori %(category)s") % {"category": report_filter.category.name})
    if report_filter.kecamatan:
        parts.append(_("Kecamatan %(name)s") % {"name": report_filter.kecamatan.name})
    if report_filter.status:
        parts.append(_("status sekarang %(status)s") % {"status": report_filter.status_label})
    return "; ".join(parts) or _("semua pengaduan")


def report_charts(figures: ReportFigures, *, prefix: str = "chart") -> dict:
    """The charts of a report or of the monitoring page, in the active language."""
    return {
        "trend": trend_chart(
            chart_id=f"{prefix}-trend",
            title=_("Pengaduan per bulan"),
            description=_(
                "Untuk setiap bulan: jumlah pengaduan yang diajukan, dan berapa di antaranya "
                "yang sudah ditanggapi."
            ),
            months=figures.months,
            submitted_label=_("Diajukan"),
            responded_label=_("Sudah ditanggapi"),
        ),
        "categories": bar_chart(
            chart_id=f"{prefix}-categories",
            title=_("Kategori dengan pengaduan terbanyak"),
            description=_("Jumlah pengaduan per kategori, yang terbanyak di atas."),
            rows=[(row.label, row.submitted) for row in figures.top_categories],
        ),
        "kecamatan": bar_chart(
            chart_id=f"{prefix}-kecamatan",
            title=_("Pengaduan per kecamatan"),
            description=_("Jumlah pengaduan per kecamatan, yang terbanyak di atas."),
            rows=[(row.label, row.submitted) for row in figures.by_kecamatan],
        ),
        "agencies": bar_chart(
            chart_id=f"{prefix}-agencies",
            title=_("OPD dengan penyaluran terbanyak"),
            description=_(
                "Jumlah pengaduan yang disalurkan ke setiap OPD, yang terbanyak di atas."
            ),
            rows=[(row.short_name, row.received.base) for row in figures.agencies[:10]],
        ),
        "ratings": bar_chart(
            chart_id=f"{prefix}-ratings",
            title=_("Sebaran penilaian pelapor"),
            description=_("Jumlah pengaduan yang dinilai 1 sampai 5 oleh pelapornya."),
            rows=[(_("Nilai %(rating)s") % {"rating": t.label}, t.count) for t in figures.ratings],
        ),
    }


def default_subject(semester: Semester | None) -> str:
    """The letter's "Perihal" line when the Secretariat gives none."""
    if semester is None:
        return "Laporan Insidental Pengelolaan Pengaduan Masyarakat"
    return f"Laporan Pengelolaan Pengaduan Masyarakat {semester.label}"


def report_pdf(
    report_filter: ReportFilter,
    *,
    semester: Semester | None = None,
    today: date | None = None,
    signer: User | None = None,
    number: str = "",
    subject: str = "",
) -> bytes:
    """The report as PDF: the semester report when `semester` is given, else an
    incidental report on `report_filter`. Always in Indonesian (an official letter).

    The Secretariat's head signs: `signer` when they are that head, else the head on
    record (`signatory_for`). `number` and `subject` are the letter's Nomor and Perihal
    (the number comes from the office's register of letters; blank leaves a line to fill).
    """
    today = today or local_date(timezone.now())
    with translation.override("id"):
        figures = report_figures(report_filter, today=today)
        secretariat = (
            Agency.objects.filter(is_secretariat=True).first()
            or Agency.objects.filter(code=SECRETARIAT_AGENCY).first()
        )
        context = {
            "city": city(),
            "site_name": settings.SIKESAL_SITE_NAME,
            "number": number,
            "subject": subject or default_subject(semester),
            "signatory": signatory_for(secretariat, signer=signer) if secretariat else None,
            "title": SEMESTER_TITLE if semester else INCIDENTAL_TITLE,
            "kind": "Laporan Semester" if semester else "Laporan Insidental",
            "period": semester.label if semester else period_label(report_filter),
            "figures": figures,
            "report_filter": report_filter,
            "dates": period_label(report_filter),
            "scope": filter_label(report_filter),
            "charts": report_charts(figures, prefix="pdf"),
            "as_of": indonesian_date(figures.as_of),
            "signed_on": indonesian_date(today),
            "secretariat": secretariat,
        }
        html = render_to_string("reports/report.html", context)
    return html_to_pdf(html)

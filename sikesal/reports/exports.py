"""The rows behind a report, one per complaint, as CSV or XLSX.

Never a reporter's identity: no name, mobile number, email, or address text (the
complaint's location is given only as its kecamatan and kelurahan). Text that a spreadsheet
could run as a formula is guarded: a leading apostrophe in CSV
(`sikesal.core.spreadsheets.spreadsheet_safe`), a text cell in XLSX (`xlsx.guard_text`).
"""

import tempfile
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import IO, NamedTuple

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from sikesal.complaints.deadlines import first_followup_at, followup_on_time
from sikesal.complaints.models import DeclineReason, ReportType, Status
from sikesal.complaints.selectors import agency_cases
from sikesal.core.calendar import working_days_between_many
from sikesal.core.spreadsheets import FORMULA_STARTS, csv_lines
from sikesal.reports.figures import ReportFilter
from sikesal.reports.xlsx import guard_text, set_widths

BATCH = 2000  # complaints per batch; SQLite allows 32,766 parameters in the IN list

COLUMNS = (
    gettext_lazy("Nomor pelacakan"),
    gettext_lazy("Tanggal diajukan"),
    gettext_lazy("Judul"),
    gettext_lazy("Jenis laporan"),
    gettext_lazy("Kategori"),
    gettext_lazy("Kecamatan"),
    gettext_lazy("Kelurahan"),
    gettext_lazy("Status"),
    gettext_lazy("OPD"),
    gettext_lazy("Tanggal tanggapan pertama"),
    gettext_lazy("Tanggal ditanggapi"),
    gettext_lazy("Hari kerja sampai tanggapan pertama"),
    gettext_lazy("Hari kerja sampai ditanggapi"),
    gettext_lazy("Tindak lanjut pertama OPD tepat waktu"),
    gettext_lazy("Penilaian"),
    gettext_lazy("Alasan tidak ditindaklanjuti"),
)
WIDTHS = (14, 12, 40, 16, 22, 18, 18, 22, 30, 14, 14, 12, 12, 14, 10, 28)


@dataclass(frozen=True)
class ExportRow:
    """One complaint of the filter; the working days and "in time" are defined as in
    `figures.ReportFigures` (in time: "ya" when every agency that made its first follow-up,
    or passed its due date, did so in time; "tidak" when one did not; empty when no agency
    has reached that point)."""

    tracking_number: str
    submitted_on: date
    title: str
    report_type: str
    category: str
    kecamatan: str
    kelurahan: str
    status: str
    agencies: str
    first_response_on: date | None
    responded_on: date | None
    days_to_first_response: int | None
    days_to_response: int | None
    within_deadline: str
    rating: int | None
    decline_reason: str

    def cells(self) -> list:
        return [
            self.tracking_number,
            self.submitted_on,
            self.title,
            self.report_type,
            self.category,
            self.kecamatan,
            self.kelurahan,
            self.status,
            self.agencies,
            self.first_response_on,
            self.responded_on,
            self.days_to_first_response,
            self.days_to_response,
            self.within_deadline,
            self.rating,
            self.decline_reason,
        ]


FIELDS = (
    "pk",
    "tracking_number",
    "submitted_at",
    "title",
    "report_type",
    "category__name",
    "kecamatan__name",
    "kelurahan__name",
    "status",
    "first_response_at",
    "responded_at",
    "rating",
    "decline_reason",
)


class _Complaint(NamedTuple):
    pk: int
    tracking_number: str
    submitted_at: datetime
    title: str
    report_type: str
    category: str
    kecamatan: str | None
    kelurahan: str | None
    status: str
    first_response_at: datetime | None
    responded_at: datetime | None
    rating: int | None
    decline_reason: str


def export_rows(report_filter: ReportFilter, *, today: date) -> Iterator[ExportRow]:
    """The filter's complaints, oldest first, read `BATCH` at a time: the complaints, then
    per batch their assignments and the days off (two queries). Only the fields a row shows
    are read: never the reporter, the address or the description."""
    complaints = (
        report_filter.complaints()
        .order_by("submitted_at", "pk")
        .values_list(*FIELDS)
        .iterator(chunk_size=BATCH)
    )
    batch = []
    for values in complaints:
        batch.append(_Complaint(*values))
        if len(batch) == BATCH:
            yield from _rows(batch, today)
            batch = []
    if batch:
        yield from _rows(batch, today)


def _rows(complaints: list[_Complaint], today: date) -> Iterator[ExportRow]:
    zone = timezone.get_default_timezone()

    def on(moment: datetime | None) -> date | None:
        return moment.astimezone(zone).date() if moment is not None else None

    handling = defaultdict(list)
    for complaint_id, *assignment in (
        agency_cases()
        .filter(complaint_id__in=[c.pk for c in complaints])
        .annotate(followed_up_at=first_followup_at())
        .order_by("complaint_id", "-is_lead", "routed_at", "pk")
        .values_list(
            "complaint_id", "agency__short_name", "agency__name", "followup_due", "followed_up_at"
        )
    ):
        handling[complaint_id].append(assignment)
    dates = [(on(c.submitted_at), on(c.first_response_at), on(c.responded_at)) for c in complaints]
    spans = [(submitted, end) for submitted, *ends in dates for end in ends if end is not None]
    counts = iter(working_days_between_many(spans))
    statuses, types, reasons = (
        dict(Status.choices),
        dict(ReportType.choices),
        dict(DeclineReason.choices),
    )
    for c, (submitted, first, answered) in zip(complaints, dates, strict=True):
        assignments = handling[c.pk]
        yield ExportRow(
            tracking_number=c.tracking_number,
            submitted_on=submitted,
            title=c.title,
            report_type=str(types.get(c.report_type, c.report_type)),
            category=c.category,
            kecamatan=c.kecamatan or "",
            kelurahan=c.kelurahan or "",
            status=str(statuses.get(c.status, c.status)),
            agencies=", ".join(short or name for short, name, *_ in assignments),
            first_response_on=first,
            responded_on=answered,
            days_to_first_response=next(counts) if first is not None else None,
            days_to_response=next(counts) if answered is not None else None,
            within_deadline=_within_deadline(assignments, on, today),
            rating=c.rating,
            decline_reason=str(reasons[c.decline_reason]) if c.decline_reason else "",
        )


def _within_deadline(assignments: list, on, today: date) -> str:
    verdicts = [
        verdict
        for *_names, due, followed_up_at in assignments
        if (verdict := followup_on_time(due, on(followed_up_at), today)) is not None
    ]
    if not verdicts:
        return ""
    return _("ya") if all(verdicts) else _("tidak")


def export_csv(report_filter: ReportFilter, *, today: date) -> Iterator[str]:
    """The rows as CSV text, piece by piece (a byte-order mark first, so that spreadsheets
    read UTF-8)."""
    rows = (
        (value.isoformat() if isinstance(value, date) else value for value in row.cells())
        for row in export_rows(report_filter, today=today)
    )
    return csv_lines(COLUMNS, rows, every=BATCH)


def export_xlsx(report_filter: ReportFilter, *, title: str, today: date) -> IO[bytes]:
    """The rows as an XLSX workbook in a temporary file, rewound, for a `FileResponse`.

    A workbook is a zip, whose index is written last, so it cannot be streamed as it is
    made; openpyxl's write-only mode writes each row to disk as it comes, and the zip goes
    to a file too, so memory stays flat however many rows there are. The file disappears
    once closed (the response closes it when sent)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Pengaduan"))
    set_widths(sheet, WIDTHS)
    sheet.freeze_panes = "A3"
    heading = WriteOnlyCell(sheet, value=title)
    heading.font = Font(bold=True)
    guard_text(heading)
    sheet.append([heading])
    header = []
    for column in COLUMNS:
        cell = WriteOnlyCell(sheet, value=str(column))
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    for row in export_rows(report_filter, today=today):
        # Plain values go in as they are (dates get openpyxl's date format); only text that
        # looks like a formula needs a cell object to be marked as text.
        sheet.append([_guarded(sheet, value) for value in row.cells()])
    output = tempfile.TemporaryFile()  # noqa: SIM115 (closed by the response)
    workbook.save(output)
    output.seek(0)
    return output


def _guarded(sheet, value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        cell = WriteOnlyCell(sheet, value=value)
        guard_text(cell)
        return cell
    return value

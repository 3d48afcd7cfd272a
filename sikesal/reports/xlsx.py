"""Spreadsheets with openpyxl: wrapped text, sensible widths, and no citizen text that a
spreadsheet would run as a formula."""

import io

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from sikesal.complaints.stats import Figure
from sikesal.core.city import city
from sikesal.core.spreadsheets import FORMULA_STARTS
from sikesal.reports.dates import indonesian_date
from sikesal.reports.figures import ReportFigures
from sikesal.reports.recap import COLUMNS, Recap

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
RECAP_WIDTHS = (5, 18, 12, 22, 60, 22, 45, 28)
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def guard_text(cell) -> None:
    """Text that starts like a formula is stored as the same text, marked as text, so no
    spreadsheet runs it, even after an edit (openpyxl writes a leading "=" as a formula)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


def style_header(cells) -> None:
    """The header row of a table: bold on grey, centred, wrapped, boxed."""
    for cell in cells:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E6E6E6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX


def set_widths(sheet, widths) -> None:
    """Column widths from column A on, in characters."""
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def recap_xlsx(recap: Recap) -> bytes:
    signed_on = indonesian_date(timezone.localdate())
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = f"Rekap {recap.month}"
    sheet.append([recap.title])
    sheet.append([recap.agency_line])
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append(list(COLUMNS))
    for row in recap.rows:
        # NO a number and TANGGAL TERIMA a date, so that a spreadsheet sorts and filters them.
        sheet.append(row.cells())
        sheet.cell(row=sheet.max_row, column=3).number_format = "DD-MM-YYYY"
    if not recap.rows:
        sheet.append(["", "Nihil"])
    style_header(sheet[header_row])
    for cells in sheet.iter_rows(min_row=header_row + 1):
        for cell in cells:
            guard_text(cell)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = BOX
    set_widths(sheet, RECAP_WIDTHS)
    sheet["A1"].font = Font(bold=True, size=12)
    sheet["A2"].font = Font(bold=True)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)
    sheet.print_title_rows = f"{header_row}:{header_row}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    signature_row = sheet.max_row + 2
    signatory = recap.signatory
    sheet.cell(row=signature_row, column=7, value=f"{city().place}, {signed_on}")
    sheet.cell(row=signature_row + 1, column=7, value=signatory.title.upper())
    sheet.cell(row=signature_row + 5, column=7, value=signatory.name)
    if signatory.nip:
        # Text: an 18-digit NIP as a number would lose its last digits.
        sheet.cell(row=signature_row + 6, column=7, value=f"NIP. {signatory.nip}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def figures_xlsx(figures: ReportFigures, *, title: str, scope: str) -> bytes:
    """The figures of a report, one sheet per table, for the Secretariat's own documents.

    Counts are numbers, shares are percentages and medians and averages are numbers, so that
    a spreadsheet can compute with them. As in the report, a figure resting on fewer than
    `stats.MIN_BASE` cases gives "data belum cukup" instead of its value; its base (n) is
    always shown. `title` (naming the period) and `scope` (the filter in words) head the
    first sheet.
    """
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Ringkasan")
    summary.append([title])
    summary.append([scope])
    as_of = formats.date_format(figures.as_of, "j F Y")
    summary.append([_("Keadaan data per %(date)s") % {"date": as_of}])
    summary.append([])
    total = figures.total
    _table(
        summary,
        [_("Uraian"), _("Nilai"), _("Dasar (n)")],
        [
            [_("Pengaduan diajukan"), total, None],
            [_("Sudah ditanggapi oleh semua OPD yang menerima"), figures.responded, total],
            [_("Tidak ditindaklanjuti"), figures.declined, total],
            [_("Masih terbuka dan lewat batas waktu"), figures.overdue, total],
            [
                _("Median hari kerja sampai tanggapan pertama"),
                *_figure(figures.median_working_days_to_first_response, DAYS),
            ],
            [
                _("Median hari kerja sampai ditanggapi"),
                *_figure(figures.median_working_days_to_response, DAYS),
            ],
            [
                _("Tindak lanjut pertama OPD tepat waktu"),
                *_figure(figures.share_within_deadline, SHARE),
            ],
            [
                _("Rata-rata penilaian (1–5)"),  # noqa: RUF001 (the en dash of a range)
                *_figure(figures.average_rating, RATING),
            ],
        ],
        widths=(52, 16, 12),
    )
    summary["A1"].font = Font(bold=True, size=12)

    counts = [_("Jumlah")]
    areas = [_("Diajukan"), _("Sudah ditanggapi")]
    _sheet(
        workbook,
        _("Per bulan"),
        [_("Bulan"), *areas],
        [
            [formats.date_format(row.month, "F Y"), row.submitted, row.responded]
            for row in figures.months
        ],
    )
    for name, column, tallies in (
        (_("Per status"), _("Status"), figures.by_status),
        (_("Per jenis laporan"), _("Jenis laporan"), figures.by_report_type),
        (_("Per saluran"), _("Saluran"), figures.by_channel),
        (_("Alasan tidak ditindaklanjuti"), _("Alasan"), figures.declines),
        (_("Penilaian pelapor"), _("Penilaian"), figures.ratings),
    ):
        _sheet(workbook, name, [column, *counts], [[t.label, t.count] for t in tallies])
    agency_columns = [
        _("Kode"),
        _("Nama OPD"),
        _("Diterima"),
        _("Dijawab"),
        _("Lewat batas"),
        _("Median hari kerja s.d. tindak lanjut pertama"),
        "n",
        _("Median hari kerja s.d. jawaban"),
        "n",
        _("Tindak lanjut tepat waktu"),
        "n",
        _("Rata-rata penilaian"),
        "n",
    ]
    _sheet(
        workbook,
        _("Per OPD"),
        agency_columns,
        [
            [
                row.code,
                row.name,
                row.received.value,
                row.responded.value,
                row.overdue,
                *_figure(row.median_working_days_to_first_response, DAYS),
                *_figure(row.median_working_days_to_response, DAYS),
                *_figure(row.share_within_deadline, SHARE),
                *_figure(row.average_rating, RATING),
            ]
            for row in figures.agencies
        ],
        widths=(12, 44, 10, 10, 10, 16, 6, 16, 6, 14, 6, 12, 6),
    )
    for name, column, rows in (
        (_("Per kategori"), _("Kategori"), figures.by_category),
        (_("Per kecamatan"), _("Kecamatan"), figures.by_kecamatan),
        (_("Kelurahan terbanyak"), _("Kelurahan"), figures.top_kelurahan),
    ):
        _sheet(
            workbook, name, [column, *areas], [[r.label, r.submitted, r.responded] for r in rows]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


DAYS, SHARE, RATING = "0.0", "0.0%", "0.0"


def _figure(figure: Figure, number_format: str) -> list:
    """[value, base]: the value as a formatted number cell, or "data belum cukup"."""
    if not figure.sufficient:
        return [_("data belum cukup"), figure.base]
    return [(figure.value, number_format), figure.base]


def _sheet(workbook: Workbook, title: str, header: list, rows: list, *, widths=(40, 14, 16)):
    # Sheet names are at most 31 characters and cannot hold []:*?/\ .
    name = "".join(c for c in str(title) if c not in "[]:*?/\\")[:31]
    _table(workbook.create_sheet(name), header, rows, widths=widths)


def _table(sheet, header: list, rows: list, *, widths) -> None:
    """`header`, then `rows`; a (value, number_format) pair is a formatted number; text is
    guarded against formulas (agency and category names are edited in the admin)."""
    sheet.append([str(column) for column in header])
    header_row = sheet.max_row
    style_header(sheet[header_row])
    for values in rows:
        sheet.append([_plain(value) for value in values])
        for cell, value in zip(sheet[sheet.max_row], values, strict=False):
            if isinstance(value, tuple):
                cell.number_format = value[1]
            guard_text(cell)
            cell.border = BOX
    if not rows:
        sheet.append([_("Nihil")])
    set_widths(sheet, widths)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)


def _plain(value):
    """A value openpyxl can store: numbers and None as they are, anything else (labels
    are often lazy translations) as text."""
    if isinstance(value, tuple):
        return value[0]
    if value is None or isinstance(value, int | float):
        return value
    return str(value)

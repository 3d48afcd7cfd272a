"""Spreadsheets with openpyxl: wrapped text, sensible widths, and no citizen text that a
spreadsheet would run as a formula."""

import io

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from sikesal.reports.dates import indonesian_date
from sikesal.reports.recap import COLUMNS, Recap

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RECAP_WIDTHS = (5, 18, 12, 22, 60, 22, 45, 28)
THIN = Side(style="thin", color="000000")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)


def guard_text(cell) -> None:
    """Text that starts like a formula is stored as the same text, marked as text, so no
    spreadsheet runs it, even after an edit (openpyxl writes a leading "=" as a formula)."""
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_STARTS):
        cell.data_type = "s"
        cell.quotePrefix = True


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
        sheet.append(row.cells())
    if not recap.rows:
        sheet.append(["", "Nihil"])
    for cell in sheet[header_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E6E6E6")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = BOX
    for cells in sheet.iter_rows(min_row=header_row + 1):
        for cell in cells:
            guard_text(cell)
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            cell.border = BOX
    for index, width in enumerate(RECAP_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
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
    sheet.cell(row=signature_row, column=7, value=f"Jambi, {signed_on}")
    sheet.cell(row=signature_row + 1, column=7, value=recap.signatory_title)
    sheet.cell(row=signature_row + 5, column=7, value=recap.agency.head_name or "(.....)")
    if recap.agency.head_nip:
        sheet.cell(row=signature_row + 6, column=7, value=f"NIP. {recap.agency.head_nip}")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()

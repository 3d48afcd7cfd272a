"""Benchmark: the monthly recap of one agency with 2,000 rows, as PDF and as XLSX.

    DEBUG=true .venv/bin/python bench/recap.py            # throwaway SQLite database
    DATABASE_URL=postgres://…/empty_db .venv/bin/python bench/recap.py

Prints the time of each step and the number of database queries of the recap.
"""

import io
from datetime import datetime

from data import complaints, setup_django, timed

ROWS = 2000


def main() -> None:
    database = setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from sikesal.agencies.models import Agency
    from sikesal.reports.pdf import recap_pdf
    from sikesal.reports.recap import Month, recap_build
    from sikesal.reports.xlsx import recap_xlsx

    zone = timezone.get_default_timezone()
    agency = Agency.objects.get(code="dpupr")
    print(f"database: {database}")
    # Submitted in February, so every routed one is received (registered) in March.
    made = timed(
        f"complaints for {agency.short_name} (setup, bulk)",
        complaints,
        int(ROWS * 1.25),
        start=datetime(2026, 3, 1, tzinfo=zone),
        end=datetime(2026, 3, 25, tzinfo=zone),
        agencies=[agency],
    )
    month = Month(2026, 3)
    with CaptureQueriesContext(connection) as queries:
        recap = timed("recap rows (recap_build)", recap_build, agency, month)
    print(f"{'rows in the recap':<48} {len(recap.rows):8,}   ({made[1]:,} assignments made)")
    print(f"{'database queries for the recap':<48} {len(queries.captured_queries):8}")
    pdf = timed("PDF (WeasyPrint)", recap_pdf, recap)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"{'PDF size / pages':<48} {len(pdf) / 1e6:7.2f} MB / {pages} pages")
    xlsx = timed("XLSX (openpyxl)", recap_xlsx, recap)
    rows = load_workbook(io.BytesIO(xlsx), read_only=True).active.max_row
    print(f"{'XLSX size / sheet rows':<48} {len(xlsx) / 1e6:7.2f} MB / {rows:,} rows")


if __name__ == "__main__":
    main()

"""Benchmark: the semester report to the Walikota over 100,000 complaints.

    DEBUG=true .venv/bin/python bench/semester_report.py [COUNT]     # throwaway SQLite
    DATABASE_URL=postgres://…/empty_db .venv/bin/python bench/semester_report.py

Prints the time of the figures alone (what /staf/pantau/ computes), of the whole PDF, and
of the CSV and XLSX exports of the underlying rows, with the database queries of each.
"""

import io
import sys
from datetime import date, datetime

from data import complaints, setup_django, timed

COUNT = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000


def main() -> None:
    database = setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from pypdf import PdfReader

    from sikesal.reports.exports import export_csv, export_xlsx
    from sikesal.reports.figures import report_figures
    from sikesal.reports.report import Semester, report_pdf
    from sikesal.reports.xlsx import figures_xlsx

    zone = timezone.get_default_timezone()
    print(f"database: {database}")
    timed(
        f"{COUNT:,} complaints in semester I 2026 (setup, bulk)",
        complaints,
        COUNT,
        start=datetime(2026, 1, 1, tzinfo=zone),
        end=datetime(2026, 6, 30, 23, 59, tzinfo=zone),
    )
    semester = Semester(2026, 1)
    report_filter = semester.report_filter()
    today = date(2026, 11, 28)

    def measured(label, function, *args, **kwargs):
        with CaptureQueriesContext(connection) as queries:
            result = timed(label, function, *args, **kwargs)
        print(f"{'  database queries':<48} {len(queries.captured_queries):8}")
        return result

    figures = measured("figures (report_figures)", report_figures, report_filter, today=today)
    print(f"{'  complaints counted':<48} {figures.total:8,}")
    sheets = timed("figures as XLSX", figures_xlsx, figures, title=semester.label, scope="")
    print(f"{'  XLSX size':<48} {len(sheets) / 1e3:7.1f} kB")
    pdf = measured("semester report PDF", report_pdf, report_filter, semester=semester, today=today)
    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    print(f"{'  PDF size / pages':<48} {len(pdf) / 1e6:7.2f} MB / {pages} pages")
    csv_text = measured("rows as CSV", lambda: "".join(export_csv(report_filter, today=today)))
    print(f"{'  CSV size':<48} {len(csv_text.encode()) / 1e6:7.2f} MB")
    xlsx = measured("rows as XLSX", export_xlsx, report_filter, title=semester.label, today=today)
    print(f"{'  XLSX size':<48} {len(xlsx) / 1e6:7.2f} MB")


if __name__ == "__main__":
    main()

"""Benchmark: the monthly recap of one agency with 2,000 rows, as PDF and as XLSX.

    DEBUG=true .venv/bin/python bench/recap.py            # throwaway SQLite database
    DATABASE_URL=postgres://…/empty_db .venv/bin/python bench/recap.py

Prints the time of each step and the number of database queries of the recap; then the PDF
of a normal month (its first 100 rows) and of all of them, each against the XLSX of the same
rows made in the same run (the baseline: a PDF / XLSX ratio stays comparable on a busy
machine), the PDF's cost per row, and the load average.
"""

import dataclasses
import io
import os
import time
from datetime import datetime

from data import complaints, setup_django, timed

ROWS = 2000
NORMAL_MONTH = 100  # rows; a real month has tens (835 complaints in all of 2022)


def best_of(runs: int, function, *args) -> tuple[float, bytes]:
    """The fastest of `runs` calls, and what it made."""
    times = []
    for _run in range(runs):
        started = time.perf_counter()
        result = function(*args)
        times.append(time.perf_counter() - started)
    return min(times), result


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
    timed("PDF, the process's first (WeasyPrint's fonts set up)", recap_pdf, recap_rows(recap, 1))
    print(f"load average before: {load()}")
    rows = {}
    for count in (NORMAL_MONTH, len(recap.rows)):
        part = recap_rows(recap, count)
        pdf_seconds, pdf = best_of(3, recap_pdf, part)
        xlsx_seconds, xlsx = best_of(3, recap_xlsx, part)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        rows[count] = pdf_seconds
        print(
            f"{count:>5,} rows: PDF {pdf_seconds:6.2f} s ({pages} pages, {len(pdf) / 1e6:.2f} MB), "
            f"XLSX {xlsx_seconds:6.2f} s, PDF / XLSX {pdf_seconds / xlsx_seconds:5.1f}"
        )
    sheet = load_workbook(io.BytesIO(xlsx), read_only=True).active
    print(f"{'XLSX sheet rows (all)':<48} {sum(1 for _row in sheet.iter_rows()):8,}")
    small, large = NORMAL_MONTH, len(recap.rows)
    per_row = (rows[large] - rows[small]) / (large - small)
    print(f"PDF cost per row: {per_row * 1000:.2f} ms (from the two sizes' difference)")
    print(f"load average after: {load()}")


def recap_rows(recap, count: int):
    return dataclasses.replace(recap, rows=recap.rows[:count])


def load() -> str:
    one, five, fifteen = os.getloadavg()
    return f"{one:.2f} {five:.2f} {fifteen:.2f}"


if __name__ == "__main__":
    main()

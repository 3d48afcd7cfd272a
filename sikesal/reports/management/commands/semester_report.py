"""Print the Secretariat's semester report to the head of the city (Perwal 40/2017 Pasal 10)
as PDF.

manage.py semester_report --year 2026 --semester 1 --output laporan-2026-1.pdf
    [--nomor "500/123/Diskominfo/2026"] [--perihal "..."]
"""

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sikesal.core.calendar import local_date
from sikesal.reports.management.output import output_path, write_output
from sikesal.reports.report import FIRST_YEAR, Semester, report_pdf


class Command(BaseCommand):
    help = (
        "Write the Secretariat's semester report to the Walikota (Perwal 40/2017 Pasal 10) as PDF."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", required=True, help="The year, YYYY.")
        parser.add_argument(
            "--semester", required=True, help="1 (January-June) or 2 (July-December)."
        )
        parser.add_argument("--output", required=True, help="The PDF file to write.")
        parser.add_argument("--nomor", default="", help="The letter's number (Nomor).")
        parser.add_argument("--perihal", default="", help="The letter's subject (Perihal).")

    def handle(self, *args, year: str, semester: str, output: str, nomor="", perihal="", **options):
        year_text, semester_text = str(year).strip(), str(semester).strip()
        if not (year_text.isdigit() and len(year_text) == 4):
            raise CommandError(f"--year must be a four-digit year such as 2026, not {year!r}.")
        if semester_text not in ("1", "2"):
            raise CommandError(
                f"--semester must be 1 (January-June) or 2 (July-December), not {semester!r}."
            )
        try:
            period = Semester(int(year_text), int(semester_text))
        except ValueError:
            raise CommandError(
                f"--year must be {FIRST_YEAR} (Perwal 40/2017) or later, not {year_text}."
            ) from None
        today = local_date(timezone.now())
        if period.first_day > today:
            raise CommandError(f"{period} has not begun yet (today is {today:%Y-%m-%d}).")
        path = output_path(output)
        content = write_output(
            path,
            lambda: report_pdf(
                period.report_filter(),
                semester=period,
                today=today,
                number=nomor,
                subject=perihal,
            ),
        )
        note = " (semester in progress: figures up to today)" if period.last_day >= today else ""
        self.stdout.write(f"{path}: {period}{note}, {len(content):,} bytes.")

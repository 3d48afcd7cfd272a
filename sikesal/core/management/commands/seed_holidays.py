"""Add this year's and next year's holidays and cuti bersama from the `holidays` package.

Creates only the dates that are missing and leaves existing rows (administrators' edits)
as they are, so it runs safely every time (`load_reference_data` calls it). It only adds
rows, hence no --commit switch; --dry-run shows what it would add.
"""

from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from sikesal.core.calendar import local_date
from sikesal.core.holidays_seed import seed_holidays, supported_years
from sikesal.core.models import Holiday


class Command(BaseCommand):
    help = (
        "Add the missing holidays and cuti bersama for the given years (default: this year "
        "and the next, Asia/Jakarta) from the holidays package; existing rows are kept."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--year",
            dest="years",
            type=int,
            action="append",
            metavar="YYYY",
            help="A year to seed; repeat for several. Default: this year and the next.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be added without saving anything.",
        )

    def handle(
        self, *args, years: list[int] | None = None, dry_run: bool = False, **options
    ) -> None:
        if not years:
            this_year = local_date(timezone.now()).year
            years = [this_year, this_year + 1]
        years = sorted(set(years))
        supported = supported_years()
        unsupported = [year for year in years if year not in supported]
        if unsupported:
            raise CommandError(
                f"Year(s) {unsupported} are outside what the holidays package covers "
                f"({supported.start}-{supported.stop - 1})."
            )
        verb = "would add" if dry_run else "added"

        def report(holiday: Holiday) -> None:
            self.stdout.write(f"  {verb} {holiday.date:%Y-%m-%d} ({holiday.kind}) {holiday.name}")

        created = seed_holidays(years, dry_run=dry_run, on_created=report)
        year_list = ", ".join(str(year) for year in years)
        self.stdout.write(f"Holidays {year_list}: {verb} {created}.")

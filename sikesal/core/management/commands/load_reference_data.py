"""Load the reference data: regions, agencies, categories and holidays (Kota Jambi's, or
another city's from `--data-dir`).

Idempotent: each loader creates what is missing and leaves existing rows (administrators'
edits) as they are, so `make run` can call it every time.
"""

from pathlib import Path

from django.core.management import BaseCommand, CommandParser, call_command


class Command(BaseCommand):
    help = "Load regions, agencies, categories and this year's and next year's holidays."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--data-dir",
            type=Path,
            default=None,
            help="Another city's regions, boundaries, agencies (and categories) in the "
            "format of sikesal/agencies/data/ (default: Kota Jambi's).",
        )

    def handle(self, *args, data_dir: Path | None = None, **options) -> None:
        # Order matters: kecamatan agencies point at regions, categories at agencies.
        for command in ("load_regions", "load_agencies", "load_categories"):
            call_command(command, data_dir=data_dir, stdout=self.stdout, stderr=self.stderr)
        call_command("seed_holidays", stdout=self.stdout, stderr=self.stderr)

"""Load the Kota Jambi reference data: regions, agencies, categories and holidays.

Idempotent: each loader creates what is missing and leaves existing rows (administrators'
edits) as they are, so `make run` can call it every time.
"""

from django.core.management import BaseCommand, call_command


class Command(BaseCommand):
    help = "Load regions, agencies, categories and this year's and next year's holidays."

    def handle(self, *args, **options) -> None:
        # Order matters: kecamatan agencies point at regions, categories at agencies.
        for command in ("load_regions", "load_agencies", "load_categories", "seed_holidays"):
            call_command(command, stdout=self.stdout, stderr=self.stderr)

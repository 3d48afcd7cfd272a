"""Recompute the rollups behind the figures from every complaint.

    manage.py rebuild_rollups

The tally (`sikesal.complaints.rollups`) is kept up to date by itself: run this after
loading complaints with the triggers off, after restoring only some tables, or to check
that the tally is whole. It changes no complaint, only the numbers derived from them, so
it needs no --commit. Two set-based statements; readers wait for it (seconds per million).
"""

import time

from django.core.management.base import BaseCommand

from sikesal.complaints import rollups


class Command(BaseCommand):
    help = "Recompute the figures' rollups (the tally) from every complaint."

    def handle(self, *args, **options) -> None:
        started = time.perf_counter()
        rows = rollups.rebuild()
        self.stdout.write(
            f"Rollups rebuilt: {rows} tally rows in {time.perf_counter() - started:.1f} s."
        )

"""Periodic work of assisted intake (run by `tasks.py` on the schedule in settings)."""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from sikesal.intake.models import LetterScan

logger = logging.getLogger(__name__)


def stale_letter_scans_delete(*, now: datetime | None = None) -> int:
    """Delete letter scans staged on the intake form but never attached, once
    SIKESAL_STAGED_PHOTO_DAYS have passed (as for photos); return how many.

    A letter names the reporter: it must not outlive the complaint nobody filed (UU
    27/2022: keep personal data no longer than its purpose needs).
    """
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.SIKESAL_STAGED_PHOTO_DAYS)
    deleted = 0
    for scan in LetterScan.objects.filter(complaint__isnull=True, created_at__lt=cutoff).iterator():
        with transaction.atomic():
            if not LetterScan.objects.filter(pk=scan.pk, complaint__isnull=True).delete()[0]:
                continue  # attached since the query
        try:
            scan.file.storage.delete(scan.file.name)
        except OSError:
            logger.warning("Could not delete the file %s of a stale letter scan", scan.file.name)
        deleted += 1
    return deleted

"""Background tasks of assisted intake, run by the worker on the schedule in settings."""

from django_tasks import task

from sikesal.intake import jobs


@task()
def delete_stale_letter_scans() -> int:
    """Letter scans uploaded to intake forms that were never sent, after
    SIKESAL_STAGED_PHOTO_DAYS."""
    return jobs.stale_letter_scans_delete()

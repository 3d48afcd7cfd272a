"""Background tasks of complaints, run by the worker on the schedule in settings."""

from dataclasses import asdict

from django_tasks import task

from sikesal.complaints import jobs, rollups, services


@task()
def check_deadlines() -> dict:
    """Every 15 minutes: record passed deadlines and alert the heads and the Secretariat."""
    return asdict(jobs.breaches_record())


@task()
def apply_timeouts() -> dict:
    """Unanswered clarifications declined, unrated responses closed, old cases archived."""
    return asdict(jobs.auto_transitions())


@task()
def delete_stale_photos() -> int:
    """Photos uploaded to forms that were never sent, after SIKESAL_STAGED_PHOTO_DAYS."""
    return jobs.stale_photos_delete()


@task()
def prepare_photo(photo_id: int) -> str:
    """A photo just uploaded: re-encode it without metadata so that it may be shown."""
    return services.photo_prepare(photo_id=photo_id)


@task()
def prepare_pending_photos() -> int:
    """Every few minutes: photos still pending well after their upload (their task lost)."""
    return jobs.pending_photos_prepare()


@task()
def fold_rollups() -> int:
    """Every minute: the complaints changed since the last fold, into the figures' tally."""
    return rollups.fold_all()

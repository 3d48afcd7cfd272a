"""Background tasks of reports, run by the worker on the schedule in settings."""

from django_tasks import task

from sikesal.reports import jobs


@task()
def recap_calendar() -> dict:
    """Hourly: last month's draft recaps (from the 1st), reminders (the 5th and the 9th)."""
    return {
        "drafts": jobs.recap_drafts_create(),
        "reminders": jobs.recap_reminders_send(),
    }

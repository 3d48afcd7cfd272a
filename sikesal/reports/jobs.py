"""What the calendar does to monthly recaps: drafts on the 1st, reminders on the 5th and
the 9th. Both are idempotent ("everything due by now"), so the scheduler may run them
hourly, late, or twice. Neither does anything for a month before the go-live month
(`services.recap_go_live`): no recap is owed for it."""

from datetime import datetime

from django.urls import reverse
from django.utils import timezone

from sikesal.accounts.models import Membership, Role, User
from sikesal.agencies.models import Agency
from sikesal.core.calendar import local_date
from sikesal.core.city import city
from sikesal.notifications.services import notify
from sikesal.reports.dates import indonesian_date
from sikesal.reports.models import DUE_DAY, MonthlyRecap
from sikesal.reports.recap import Month
from sikesal.reports.services import recap_go_live

REMINDER_DAYS = (5, 9)


def previous_month(now: datetime) -> Month:
    today = local_date(now)
    return Month(today.year, today.month).previous


def recap_drafts_create(*, now: datetime | None = None) -> int:
    """A draft recap of last month for every active agency that has none; how many made."""
    now = now or timezone.now()
    month = previous_month(now)
    if month.first_day < recap_go_live(now=now).first_day:
        return 0
    existing = set(
        MonthlyRecap.objects.filter(year=month.year, month=month.month).values_list(
            "agency_id", flat=True
        )
    )
    missing = Agency.objects.filter(is_active=True).exclude(pk__in=existing)
    MonthlyRecap.objects.bulk_create(
        [MonthlyRecap(agency=agency, year=month.year, month=month.month) for agency in missing],
        ignore_conflicts=True,  # a second scheduler got there first
    )
    return len(missing)


def recap_reminders_send(*, now: datetime | None = None) -> int:
    """On and after the 5th and the 9th, remind the heads of agencies whose last-month recap
    is not submitted, once per reminder day; how many heads were notified."""
    now = now or timezone.now()
    today = local_date(now)
    due_days = [day for day in REMINDER_DAYS if today.day >= day]
    if not due_days or today.day > DUE_DAY:
        return 0
    month = previous_month(now)
    if month.first_day < recap_go_live(now=now).first_day:
        return 0
    recap_drafts_create(now=now)
    pending = MonthlyRecap.objects.filter(
        year=month.year, month=month.month, agency__is_active=True, submissions__isnull=True
    ).select_related("agency")
    sent = 0
    for recap in pending:
        day = max(due_days)
        if day in recap.reminders_sent:
            continue
        heads = User.objects.filter(
            is_active=True,
            pk__in=Membership.objects.filter(agency=recap.agency, role=Role.AGENCY_HEAD).values(
                "user_id"
            ),
        )
        url = reverse("reports:recap", args=[recap.agency.code, str(month)])
        context = {
            "agency": recap.agency.name,
            "month": f"{month.name_id().title()} {month.year}",
            "due": indonesian_date(recap.deadline.date().replace(day=DUE_DAY)),
            "regulation": city().regulation_short,
        }
        for head in heads:
            notify(head, "recap_reminder", context=context, url=url)
            sent += 1
        recap.reminders_sent = sorted({*recap.reminders_sent, *due_days})
        recap.save(update_fields=["reminders_sent", "updated_at"])
    return sent

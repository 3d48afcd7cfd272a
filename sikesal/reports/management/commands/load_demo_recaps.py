"""Submit two demo monthly recaps, for `make run` (development only): Dinas PUPR's recap of
the month before last, sent on time on the 8th of last month, and DLH's, sent late on the
13th; last month's are still open. So /staf/rekap/ shows every state and /rekap/<code>/
has something to check.

Idempotent: once any recap has been submitted, nothing is done. Needs load_demo_data and
load_demo_complaints first.
"""

from datetime import datetime, time

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.agencies.models import Agency
from sikesal.reports.jobs import previous_month
from sikesal.reports.models import RecapSubmission
from sikesal.reports.pdf import PdfUnavailable
from sikesal.reports.services import recap_for, recap_submit

# (agency code, head's demo account, day of last month it was sent)
DEMO_RECAPS = (("dpupr", "pupr.kepala", 8), ("dlh", "dlh.kepala", 13))


class Command(BaseCommand):
    help = "Submit two demo monthly recaps (development only; needs the demo accounts)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Demo recaps are for development; refusing with DEBUG off.")
        if RecapSubmission.objects.exists():
            self.stdout.write("Recaps have been submitted already; nothing to do.")
            return
        now = timezone.now()
        last = previous_month(now)
        before = last.previous
        zone = timezone.get_default_timezone()
        for code, username, day in DEMO_RECAPS:
            head = User.objects.filter(username=username).first()
            if head is None:
                raise CommandError(f"Demo account {username} is missing: run load_demo_data.")
            sent = datetime.combine(last.first_day.replace(day=day), time(9), tzinfo=zone)
            try:
                submission = recap_submit(
                    recap_for(Agency.objects.get(code=code), before), user=head, now=sent
                )
            except PdfUnavailable as error:
                self.stdout.write(self.style.WARNING(f"No demo recaps: {error}"))
                return
            self.stdout.write(
                f"Demo recap {code} {before} submitted {sent:%Y-%m-%d}: /rekap/{submission.code}/"
            )

"""Print one agency's monthly recap (Lampiran I) as PDF or XLSX.

manage.py recap --agency dpupr --month 2026-03 --format pdf --output rekap.pdf

The file shows named reporters' identities, so writing it is logged as an identity access
(UU 27/2022 Pasal 31), as on the web: for the account given with --user (who asked for
it), else with no account and the server login that ran the command in its purpose.
"""

import getpass

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.agencies.models import Agency
from sikesal.reports.management.output import output_path, write_output
from sikesal.reports.pdf import recap_pdf
from sikesal.reports.recap import Month, recap_build
from sikesal.reports.services import recap_identities_logged
from sikesal.reports.xlsx import recap_xlsx

RENDERERS = {"pdf": recap_pdf, "xlsx": recap_xlsx}


class Command(BaseCommand):
    help = "Write an agency's monthly recap (Perwal 40/2017 Lampiran I) as PDF or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--agency", required=True, help="Agency code, e.g. dpupr.")
        parser.add_argument("--month", required=True, help="The month, YYYY-MM.")
        parser.add_argument("--format", choices=sorted(RENDERERS), default="pdf")
        parser.add_argument("--output", required=True, help="The file to write.")
        parser.add_argument(
            "--user",
            help="The SIKESAL account this is printed for; recorded in the identity-access log.",
        )

    def handle(
        self, *args, agency: str, month: str, format: str, output: str, user: str | None, **options
    ):
        found = Agency.objects.filter(code__iexact=agency.strip()).first()
        if found is None:
            raise CommandError(
                f"Unknown agency {agency!r}. Codes are listed at /opd/ and in the admin, "
                "e.g. dpupr, dlh, diskominfo."
            )
        try:
            period = Month.parse(month)
        except ValueError as error:
            raise CommandError(str(error)) from None
        today = timezone.localdate()
        if period.first_day > today:
            raise CommandError(f"{period} has not begun yet (today is {today:%Y-%m-%d}).")
        reader = None
        if user:
            reader = User.objects.filter(username__iexact=user.strip()).first()
            if reader is None:
                raise CommandError(f"Unknown user {user!r}: give a SIKESAL username.")
        path = output_path(output)
        recap = recap_build(found, period)
        content = write_output(path, lambda: RENDERERS[format](recap))
        shown_as = f"{format.upper()}, manage.py recap"
        if reader is None:
            shown_as += f" (login server: {_server_login()})"
        recap_identities_logged(
            agency=found,
            month=period,
            reporters=[row.reporter for row in recap.rows],
            user=reader,
            shown_as=shown_as,
        )
        self.stdout.write(
            f"{path}: {found.name}, {period}, {len(recap.rows)} rows, {len(content):,} bytes."
        )


def _server_login() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry, e.g. in a container
        return "?"

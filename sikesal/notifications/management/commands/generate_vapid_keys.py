"""Print a new VAPID key pair for Web Push as the lines of an environment file.

Changes nothing: copy the lines into the server's environment (or .env) and restart. Keep
the pair: with a new one, every browser's subscription stops working and each person has
to turn push on again on /akun/.
"""

from email.utils import parseaddr

from django.conf import settings
from django.core.management import BaseCommand, CommandError

from sikesal.notifications.push import vapid_keys_generate


class Command(BaseCommand):
    help = "Print a new VAPID key pair (and subject) for Web Push as environment lines."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--subject",
            help="Contact for the push services: mailto:address or https://address "
            "(default: mailto: the address of DEFAULT_FROM_EMAIL).",
        )

    def handle(self, *args, subject: str | None = None, **options) -> None:
        if subject is None:
            subject = f"mailto:{parseaddr(settings.DEFAULT_FROM_EMAIL)[1]}"
        if not (subject.startswith("mailto:") and "@" in subject) and not subject.startswith(
            "https://"
        ):
            raise CommandError("--subject must be mailto:address or https://address.")
        public_key, private_key = vapid_keys_generate()
        self.stdout.write(f"SIKESAL_VAPID_PUBLIC_KEY={public_key}")
        self.stdout.write(f"SIKESAL_VAPID_PRIVATE_KEY={private_key}")
        self.stdout.write(f"SIKESAL_VAPID_SUBJECT={subject}")

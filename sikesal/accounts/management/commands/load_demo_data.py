"""Create the demo accounts, one for every role, and print their logins.

Idempotent: an existing account is left as it is. Refuses to run with DEBUG off unless
--allow-production is given, because the demo password is public.
"""

from django.conf import settings
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from sikesal.accounts.models import Membership, Role, User
from sikesal.accounts.services import user_create
from sikesal.agencies.models import Agency
from sikesal.core.page_cache import SITE, public_pages_changed

DEMO_PASSWORD = "sikesal-demo"  # noqa: S105 - published in the README on purpose

# username, full name, mobile, flags, [(agency code, role)]
DEMO_ACCOUNTS = [
    ("admin", "Admin Diskominfo", "081200000001", {"is_superuser": True, "is_staff": True}, []),
    ("sekretariat", "Sari Sekretariat", "081200000002", {}, [("diskominfo", Role.SECRETARIAT)]),
    ("pupr.petugas", "Putra Petugas PUPR", "081200000003", {}, [("dpupr", Role.AGENCY_OFFICER)]),
    ("pupr.kepala", "Ir. Hendra Kepala PUPR", "081200000004", {}, [("dpupr", Role.AGENCY_HEAD)]),
    ("dlh.petugas", "Dewi Petugas DLH", "081200000005", {}, [("dlh", Role.AGENCY_OFFICER)]),
    ("dlh.kepala", "Dr. Lukman Kepala DLH", "081200000006", {}, [("dlh", Role.AGENCY_HEAD)]),
    (
        "tirta.petugas",
        "Tono Petugas Tirta Mayang",
        "081200000007",
        {},
        [("tirtamayang", Role.AGENCY_OFFICER)],
    ),
    (
        "tirta.kepala",
        "Rahmat Direktur Tirta Mayang",
        "081200000008",
        {},
        [("tirtamayang", Role.AGENCY_HEAD)],
    ),
    (
        "telanaipura.petugas",
        "Tari Petugas Kec. Telanaipura",
        "081200000009",
        {},
        [("kec-telanaipura", Role.AGENCY_OFFICER)],
    ),
    (
        "telanaipura.camat",
        "Camat Telanaipura",
        "081200000010",
        {},
        [("kec-telanaipura", Role.AGENCY_HEAD)],
    ),
    ("pimpinan", "Pimpinan Kota Jambi", "081200000011", {"is_executive": True}, []),
    ("warga", "Budi Warga", "081200000012", {}, []),
]


class Command(BaseCommand):
    help = "Create demo accounts for every role (development only) and print their logins."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off (the demo password is public: never on a live server).",
        )

    def handle(self, *args, allow_production: bool = False, **options) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Demo accounts have a public password; refusing to create them with DEBUG off."
            )
        missing = {code for *_, memberships in DEMO_ACCOUNTS for code, _role in memberships}
        missing -= set(Agency.objects.filter(code__in=missing).values_list("code", flat=True))
        if missing:
            raise CommandError(
                f"Agencies {sorted(missing)} are missing: "
                "run `manage.py load_reference_data` first."
            )
        created = 0
        with transaction.atomic():
            # The agency pages name their officers.
            public_pages_changed(SITE)
            for username, full_name, mobile, flags, memberships in DEMO_ACCOUNTS:
                user = User.objects.filter(username__iexact=username).first()
                if user is None:
                    user = user_create(
                        username=username,
                        password=DEMO_PASSWORD,
                        full_name=full_name,
                        email=f"{username}@demo.sikesal.invalid",
                        mobile=mobile,
                        **flags,
                    )
                    # Demo addresses cannot receive mail: count them as verified.
                    user.email_verified_at = timezone.now()
                    user.save(update_fields=["email_verified_at"])
                    created += 1
                for code, role in memberships:
                    Membership.objects.get_or_create(
                        user=user, agency=Agency.objects.get(code=code), role=role
                    )
        self.stdout.write(f"Demo accounts created: {created}.")
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password for all: {DEMO_PASSWORD}):"))
        for username, full_name, *_rest in DEMO_ACCOUNTS:
            self.stdout.write(f"  {username:22} {full_name}")

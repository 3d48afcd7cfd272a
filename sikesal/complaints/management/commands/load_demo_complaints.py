"""Create about thirty demo complaints in every state, for `make run` (development only).

Each one is filed with `complaint_submit` and moved on with `workflow.transition` by the
demo accounts of `load_demo_data`, at past times over the last three months, so that the
queues, the deadlines (some overdue), the public pages and the registers look lived in.

Idempotent: once any demo citizen has a complaint, nothing is created. Refuses to run
with DEBUG off unless --allow-production is given, like load_demo_data.
"""

from collections import Counter
from datetime import datetime, time, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone
from shapely.geometry import shape

from sikesal.accounts.management.commands.load_demo_data import DEMO_PASSWORD
from sikesal.accounts.models import User
from sikesal.accounts.services import user_create
from sikesal.agencies.models import Agency, Category, Region
from sikesal.complaints.management.commands._demo_complaints import (
    AGENCY_OFFICERS,
    DEMO_CITIZENS,
    DEMO_COMPLAINTS,
    DEMO_REPORTERS,
    REPORTER,
    SECRETARIAT,
    DemoComplaint,
    Step,
)
from sikesal.complaints.models import ACTIVE_ASSIGNMENT_STATUSES, Complaint, Status
from sikesal.complaints.services import Location, complaint_submit
from sikesal.complaints.workflow import InvalidTransition, Route, transition
from sikesal.core.calendar import local_date

SATURDAY = 5


class Command(BaseCommand):
    help = "Create about thirty demo complaints in every state (development only)."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--allow-production",
            action="store_true",
            help="Run even with DEBUG off (demo accounts have a public password: never live).",
        )

    def handle(self, *args, allow_production: bool = False, **options) -> None:
        if not settings.DEBUG and not allow_production:
            raise CommandError(
                "Demo complaints come with demo accounts that have a public password; "
                "refusing to create them with DEBUG off."
            )
        existing = Complaint.objects.filter(reporter__username__in=DEMO_REPORTERS).count()
        if existing:
            self.stdout.write(f"Demo complaints already exist ({existing}); nothing to do.")
            return
        now = timezone.now()
        with transaction.atomic():
            users = self._users(now)
            complaints = self._play(users, now)
        self.stdout.write(self.style.SUCCESS(f"Demo complaints created: {len(complaints)}."))
        by_status = Counter(c.status for c in complaints.values())
        for status in Status:
            if by_status[status]:
                self.stdout.write(f"  {status.label:32} {by_status[status]}")
        self.stdout.write(f"Demo citizens (password: {DEMO_PASSWORD}):")
        for username in DEMO_REPORTERS:
            self.stdout.write(f"  {username:22} {users[username].full_name}")

    # --- people ----------------------------------------------------------------------------

    def _users(self, now: datetime) -> dict[str, User]:
        needed = {SECRETARIAT, *AGENCY_OFFICERS.values(), "warga"}
        users = {u.username.lower(): u for u in User.objects.filter(username__in=needed)}
        missing = needed - set(users)
        if missing:
            raise CommandError(
                f"Demo accounts {sorted(missing)} are missing: "
                "run `manage.py load_demo_data` first."
            )
        for username, full_name, mobile in DEMO_CITIZENS:
            user = User.objects.filter(username__iexact=username).first()
            if user is None:
                user = user_create(
                    username=username,
                    password=DEMO_PASSWORD,
                    full_name=full_name,
                    email=f"{username}@demo.sikesal.invalid",
                    mobile=mobile,
                )
                # Demo addresses cannot receive mail: count them as verified.
                user.email_verified_at = now
                user.privacy_consented_at = now
                user.save(update_fields=["email_verified_at", "privacy_consented_at"])
            users[username] = user
        return users

    # --- the story -------------------------------------------------------------------------

    def _play(self, users: dict[str, User], now: datetime) -> dict[str, Complaint]:
        """Take every step of every demo complaint in the order of time, across complaints,
        so that ids, REGISTER numbers and notifications follow the calendar."""
        places = self._places()
        categories = Category.objects.in_bulk(field_name="code")
        agencies = Agency.objects.in_bulk(field_name="code")
        schedule = []
        for index, demo in enumerate(DEMO_COMPLAINTS):
            for position, (when, step) in enumerate(self._times(demo, now)):
                schedule.append((when, index, position, step))
        schedule.sort(key=lambda item: item[:3])

        complaints: dict[str, Complaint] = {}
        for when, index, _position, step in schedule:
            demo = DEMO_COMPLAINTS[index]
            try:
                if step is None:
                    complaints[demo.key] = self._file(demo, users, categories, places, when)
                else:
                    self._take(step, complaints[demo.key], complaints, users, agencies, when)
            except (ValidationError, InvalidTransition) as error:
                action = "submit" if step is None else step.action
                raise CommandError(f"Demo complaint {demo.key!r}, {action}: {error}") from error
        return complaints

    def _times(self, demo: DemoComplaint, now: datetime) -> list[tuple[datetime, Step | None]]:
        """When each step happens (None stands for the filing): staff steps on weekdays,
        each step after the one before, nothing in the future."""
        today = local_date(now)
        zone = timezone.get_default_timezone()
        latest = now - timedelta(minutes=1)
        timed = []
        previous = None
        for days_ago, clock, step in [(*demo.filed, None)] + [
            (s.days_ago, s.time, s) for s in demo.steps
        ]:
            day = today - timedelta(days=days_ago)
            when = datetime.combine(day, time.fromisoformat(clock), tzinfo=zone)
            # A walk-in complaint is typed in by the Secretariat: a staff step too.
            by_staff = bool(demo.intake_by) if step is None else step.by_staff
            if by_staff:
                when = _on_a_weekday(when, after=previous, latest=latest)
            if previous is not None and when <= previous:
                when = previous + timedelta(minutes=20)
            when = min(when, latest)
            timed.append((when, step))
            previous = when
        return timed

    def _places(self) -> dict[str, tuple[Region, float | None, float | None]]:
        """Each kelurahan with a point inside it (its outline's representative point)."""
        names = {demo.kelurahan for demo in DEMO_COMPLAINTS}
        kelurahan = {
            r.name: r
            for r in Region.objects.filter(
                level=Region.Level.KELURAHAN, name__in=names
            ).select_related("boundary")
        }
        missing = names - set(kelurahan)
        if missing:
            raise CommandError(
                f"Kelurahan {sorted(missing)} are missing: "
                "run `manage.py load_reference_data` first."
            )
        places = {}
        for name, region in kelurahan.items():
            boundary = getattr(region, "boundary", None)
            if boundary is not None:
                point = shape(boundary.geometry).representative_point()
                places[name] = (region, round(point.y, 6), round(point.x, 6))
            else:
                places[name] = (region, None, None)
        return places

    def _file(self, demo, users, categories, places, when) -> Complaint:
        region, latitude, longitude = places[demo.kelurahan]
        return complaint_submit(
            reporter=users[demo.reporter],
            report_type=demo.report_type,
            category=categories[demo.category],
            title=demo.title,
            description=demo.description,
            event_date=None,
            location=Location(
                latitude=latitude,
                longitude=longitude,
                kelurahan=region if latitude is None else None,
                address=demo.address,
            ),
            is_confidential=demo.is_confidential,
            is_anonymous=demo.is_anonymous,
            channel=demo.channel,
            actor=users[demo.intake_by] if demo.intake_by else None,
            now=when,
        )

    def _take(self, step: Step, complaint, complaints, users, agencies, when) -> None:
        if step.actor == REPORTER:
            actor = complaint.reporter
        else:
            actor = users[step.actor] if step.actor else None
        payload = dict(step.payload)
        note = step.note
        assignment = None
        if step.action == "route":
            instructions = payload.pop("instructions", "")
            payload["routes"] = [
                Route(agency=agencies[code], is_lead=i == 0, instructions=instructions)
                for i, code in enumerate(step.agency.split(","))
            ]
        elif step.agency:
            assignment = complaint.assignments.get(
                agency__code=step.agency, status__in=ACTIVE_ASSIGNMENT_STATUSES
            )
        if "duplicate_of" in payload:
            original = complaints[payload["duplicate_of"]]
            payload["duplicate_of"] = original
            note = note.format(duplicate_of=original.tracking_number)
        transition(
            complaint,
            step.action,
            actor=actor,
            assignment=assignment,
            note=note,
            now=when,
            **payload,
        )


def _on_a_weekday(when: datetime, *, after: datetime | None, latest: datetime) -> datetime:
    """`when`, or the weekday before it (after `after`), or the one after (not past `latest`):
    officers do not work weekends."""
    earlier = when
    while earlier.weekday() >= SATURDAY:
        earlier -= timedelta(days=1)
    if after is None or earlier > after:
        return earlier
    later = when
    while later.weekday() >= SATURDAY:
        later += timedelta(days=1)
    return later if later <= latest else when

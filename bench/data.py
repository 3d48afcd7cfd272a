"""Synthetic complaints for the benchmarks, written with bulk_create (the workflow would
take hours for 100,000 cases): realistic states, dates, agencies and texts, no photos.

Used by bench/recap.py and bench/semester_report.py; not by the test suite. For a million
on PostgreSQL, `fill()` writes the same rows through COPY in batches (bench/scale.py):

    DATABASE_URL=postgres://…/db .venv/bin/python bench/data.py --count 1000000 --years 5
"""

import os
import random
import sys
import tempfile
import time
from datetime import datetime, timedelta
from io import StringIO
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))


def setup_django() -> str:
    """Django on a fresh throwaway SQLite database, or on DATABASE_URL if it is set (give
    it an empty database: the benchmark fills it). Returns a label for the report."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "true")
    if "DATABASE_URL" not in os.environ:
        os.environ["SIKESAL_VAR_DIR"] = tempfile.mkdtemp(prefix="sikesal-bench-")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=StringIO())
    return f"{connection.vendor} {connection.settings_dict['NAME']}"


def timed(label: str, function, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    print(f"{label:<48} {time.perf_counter() - started:8.2f} s")
    return result


TITLES = [
    "Jalan berlubang di depan sekolah",
    "Lampu jalan mati sejak seminggu",
    "Drainase tersumbat, air meluap ke jalan",
    "Pipa air bocor di pinggir jalan",
    "Sampah menumpuk di TPS pasar",
    "Parkir liar menutup trotoar",
    "Air PDAM keruh dan berbau",
    "Banjir setiap hujan deras",
]


def citizens(count: int):
    from sikesal.accounts.models import User

    existing = User.objects.filter(username__startswith="bench.warga.").count()
    User.objects.bulk_create(
        [
            User(
                username=f"bench.warga.{n}",
                full_name=f"Warga Uji {n}",
                email=f"bench.warga.{n}@contoh.id",
                mobile=f"+62812{n:08d}",
                password="!",  # noqa: S106 - an unusable password: nobody logs in
            )
            for n in range(existing, count)
        ],
        batch_size=1000,
    )
    return list(User.objects.filter(username__startswith="bench.warga."))


def officers(agencies):
    from sikesal.accounts.models import Membership, Role, User

    people = {}
    for agency in agencies:
        user, _ = User.objects.get_or_create(
            username=f"bench.{agency.code}",
            defaults={"full_name": f"Petugas {agency.short_name}", "email": f"{agency.code}@b.id"},
        )
        Membership.objects.get_or_create(user=user, agency=agency, role=Role.AGENCY_OFFICER)
        people[agency.pk] = user
    return people


# The mix of states over the life of the city's complaints: `complaints()` draws from the
# first list alone; `fill()` from the one that fits a complaint's age, so that five years of
# them look like a city's (most of the old ones closed and archived, a backlog still open).
FLAT = "flat"
STATE_WEIGHTS = {
    FLAT: [
        ("closed", 45),
        ("archived", 15),
        ("responded", 8),
        ("in_progress", 12),
        ("routed", 5),
        ("declined", 8),
        ("in_review", 4),
        ("submitted", 3),
    ],
    # Younger than 60 days: most still running.
    60: [
        ("closed", 30),
        ("responded", 12),
        ("in_progress", 25),
        ("routed", 12),
        ("declined", 8),
        ("in_review", 8),
        ("submitted", 5),
    ],
    # Younger than a year.
    365: [
        ("closed", 55),
        ("archived", 10),
        ("responded", 8),
        ("in_progress", 12),
        ("routed", 3),
        ("declined", 9),
        ("in_review", 2),
        ("submitted", 1),
    ],
    # Older: archived, with a late tail still open.
    None: [
        ("archived", 70),
        ("closed", 15),
        ("declined", 10),
        ("in_progress", 2),
        ("responded", 1),
        ("routed", 1),
        ("in_review", 1),
    ],
}


class Maker:
    """Makes complaints (unsaved) and their lead assignments, reproducibly from `seed`."""

    def __init__(self, *, agencies=None, seed: int = 40, reporters: int = 5000):
        from sikesal.accounts.models import User
        from sikesal.agencies.models import Agency, Category, Region
        from sikesal.complaints.models import Complaint, DeclineReason, RegisterCounter

        self.rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
        self.agencies = list(agencies or Agency.objects.filter(is_active=True))
        self.categories = list(Category.objects.filter(is_active=True))
        self.kelurahan = list(Region.objects.filter(level="kelurahan").select_related("parent"))
        self.reporters = citizens(reporters)
        self.staff = officers(self.agencies)
        self.secretariat, _ = User.objects.get_or_create(
            username="bench.sekretariat", defaults={"full_name": "Sekretariat", "email": "s@b.id"}
        )
        self.populations = {
            age: [state for state, weight in weights for _ in range(weight)]
            for age, weights in STATE_WEIGHTS.items()
        }
        self.decline_reasons = [
            value for value, _label in DeclineReason.choices if value != "duplicate"
        ]
        self.taken = set(Complaint.objects.values_list("tracking_number", flat=True))
        self.counters: dict[tuple[int, int], int] = {
            (counter.agency_id, counter.year): counter.last_seq
            for counter in RegisterCounter.objects.all()
        }

    def state(self, submitted: datetime, now: datetime | None) -> str:
        if now is None:
            return self.rng.choice(self.populations[FLAT])
        age = (now - submitted).days
        bracket = 60 if age < 60 else 365 if age < 365 else None
        return self.rng.choice(self.populations[bracket])

    def make(self, count: int, *, start: datetime, end: datetime, by_age: bool = False):
        """Yields (complaint, assignment or None), `count` times; with `by_age`, the state
        depends on the complaint's age at `end` (STATE_WEIGHTS)."""
        from sikesal.complaints.models import Assignment, AssignmentStatus, Complaint, Status

        rng = self.rng
        span = (end - start).total_seconds()
        routed_states = {
            Status.ROUTED,
            Status.IN_PROGRESS,
            Status.RESPONDED,
            Status.CLOSED,
            Status.ARCHIVED,
        }
        for _n in range(count):
            submitted = start + timedelta(seconds=rng.random() * span)
            place = rng.choice(self.kelurahan)
            status = Status(self.state(submitted, end if by_age else None))
            while (tracking := f"SKL-{rng.randrange(36**6):06X}"[:10]) in self.taken:
                pass
            self.taken.add(tracking)
            complaint = Complaint(
                tracking_number=tracking,
                reporter=rng.choice(self.reporters),
                report_type="pengaduan",
                category=rng.choice(self.categories),
                title=rng.choice(TITLES),
                description="Mohon segera ditindaklanjuti. " * rng.randint(2, 12),
                kelurahan=place,
                kecamatan=place.parent,
                is_anonymous=rng.random() < 0.1,
                is_confidential=by_age and rng.random() < 0.1,
                status=status,
                channel="web",
                submitted_at=submitted,
                decision_due=(submitted + timedelta(days=60)).date(),
            )
            if status == Status.DECLINED:
                complaint.decline_reason = rng.choice(self.decline_reasons)
                complaint.closed_at = submitted + timedelta(days=rng.randint(1, 4))
            if status not in routed_states:
                yield complaint, None
                continue
            first = submitted + timedelta(days=rng.randint(1, 12), hours=rng.randint(0, 8))
            answered = first + timedelta(days=rng.randint(0, 20))
            if status in (Status.RESPONDED, Status.CLOSED, Status.ARCHIVED):
                complaint.first_response_at = first
                complaint.responded_at = answered
            elif status == Status.IN_PROGRESS:
                complaint.first_response_at = first
            if status in (Status.CLOSED, Status.ARCHIVED):
                complaint.closed_at = answered + timedelta(days=rng.randint(1, 14))
                complaint.rating = rng.choice([1, 2, 3, 3, 4, 4, 4, 5, 5, 5])
            agency = rng.choice(self.agencies)
            routed_at = submitted + timedelta(days=rng.randint(0, 3))
            assignment = Assignment(
                complaint=complaint,
                agency=agency,
                is_lead=True,
                status=AssignmentStatus.ROUTED,
                routed_at=routed_at,
                routed_by=self.secretariat,
                followup_due=(routed_at + timedelta(days=7)).date(),
            )
            if status != Status.ROUTED:
                received = routed_at + timedelta(hours=rng.randint(1, 48))
                year = received.year
                seq = self.counters.get((agency.pk, year), 0) + 1
                self.counters[(agency.pk, year)] = seq
                assignment.status = (
                    AssignmentStatus.ACCEPTED
                    if status == Status.IN_PROGRESS
                    else AssignmentStatus.RESPONDED
                )
                assignment.register_year, assignment.register_seq = year, seq
                assignment.register_number = f"{agency.code.upper()}/{year}/{seq:04d}"
                assignment.received_at, assignment.received_by = received, self.staff[agency.pk]
                assignment.first_followup_at = complaint.first_response_at
                if complaint.responded_at:
                    assignment.response = "Sudah ditangani oleh tim lapangan. " * 3
                    assignment.responded_at = complaint.responded_at
                    assignment.responded_by = self.staff[agency.pk]
            yield complaint, assignment

    def save_counters(self) -> None:
        from sikesal.complaints.models import RegisterCounter

        for (agency_id, year), last in self.counters.items():
            RegisterCounter.objects.update_or_create(
                agency_id=agency_id, year=year, defaults={"last_seq": last}
            )


def complaints(count: int, *, start: datetime, end: datetime, agencies=None, seed: int = 40):
    """`count` complaints submitted between start and end, routed to `agencies` (default:
    every active one) with register numbers, in every state past routing and some before."""
    from django.db import transaction

    from sikesal.complaints.models import Assignment, Complaint

    maker = Maker(agencies=agencies, seed=seed, reporters=min(count, 5000))
    made = list(maker.make(count, start=start, end=end))
    with transaction.atomic():
        Complaint.objects.bulk_create([complaint for complaint, _ in made], batch_size=2000)
        assignments = [assignment for _, assignment in made if assignment is not None]
        Assignment.objects.bulk_create(assignments, batch_size=2000)
        maker.save_counters()
    return len(made), len(assignments)


class Copier:
    """Writes unsaved model instances of one model through PostgreSQL's COPY, every
    concrete column (defaults included, generated columns left to the database)."""

    def __init__(self, model):
        from django.db import connection

        self.model = model
        self.connection = connection
        self.fields = [
            field for field in model._meta.concrete_fields if not getattr(field, "generated", False)
        ]
        template = model()
        # Fields whose value is the same for every row unless the row sets it.
        self.fixed = {
            field.attname: field.get_db_prep_save(field.pre_save(template, True), connection)
            for field in self.fields
        }
        columns = ", ".join(connection.ops.quote_name(field.column) for field in self.fields)
        self.sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"

    def row(self, instance):
        values = []
        state = instance.__dict__
        for field in self.fields:
            value = state.get(field.attname)
            if value is None or getattr(field, "auto_now", False):
                values.append(self.fixed[field.attname] if value is None else value)
            else:
                values.append(field.get_db_prep_save(value, self.connection))
        return values

    def write(self, instances) -> None:
        with self.connection.cursor() as cursor, cursor.cursor.copy(self.sql) as copy:
            for instance in instances:
                copy.write_row(self.row(instance))

    def reset_sequence(self) -> None:
        from django.core.management.color import no_style

        with self.connection.cursor() as cursor:
            for sql in self.connection.ops.sequence_reset_sql(no_style(), [self.model]):
                cursor.execute(sql)


def fill(count: int, *, years: float = 5, batch: int = 50_000, seed: int = 40) -> None:
    """Adds complaints (with their assignments) until the database holds `count`, submitted
    over the last `years`, through COPY in batches of `batch` (PostgreSQL only)."""
    from django.db import connection, transaction
    from django.utils import timezone

    from sikesal.complaints.models import Assignment, Complaint

    assert connection.vendor == "postgresql", "fill() writes through PostgreSQL's COPY"
    have = Complaint.objects.count()
    if have >= count:
        print(f"{have:,} complaints already")
        return
    end = timezone.now()
    start = end - timedelta(days=365.25 * years)
    maker = Maker(seed=seed + have)
    complaints_out, assignments_out = Copier(Complaint), Copier(Assignment)
    next_complaint = (
        Complaint.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    next_assignment = (
        Assignment.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    ) + 1
    started = time.perf_counter()
    made = have
    rows = maker.make(count - have, start=start, end=end, by_age=True)
    while made < count:
        complaints_batch, assignments_batch = [], []
        for complaint, assignment in _take(rows, min(batch, count - made)):
            complaint.pk = next_complaint
            next_complaint += 1
            complaints_batch.append(complaint)
            if assignment is not None:
                assignment.pk = next_assignment
                assignment.complaint_id = complaint.pk
                next_assignment += 1
                assignments_batch.append(assignment)
        with transaction.atomic():
            complaints_out.write(complaints_batch)
            assignments_out.write(assignments_batch)
        made += len(complaints_batch)
        elapsed = time.perf_counter() - started
        print(f"{made:>10,} complaints  {elapsed:7.1f} s  ({(made - have) / elapsed:,.0f}/s)")
    with transaction.atomic():
        complaints_out.reset_sequence()
        assignments_out.reset_sequence()
        maker.save_counters()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _take(iterator, n: int):
    for _ in range(n):
        yield next(iterator)


def main() -> None:
    import argparse

    parser = argparse.ArgumentParser(description="Fill DATABASE_URL with synthetic complaints.")
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--years", type=float, default=5)
    parser.add_argument("--batch", type=int, default=50_000)
    arguments = parser.parse_args()
    assert "DATABASE_URL" in os.environ, "give DATABASE_URL (a PostgreSQL database)"
    timed("migrate, load_reference_data", setup_django)
    timed(
        f"fill to {arguments.count:,} complaints",
        fill,
        arguments.count,
        years=arguments.years,
        batch=arguments.batch,
    )


if __name__ == "__main__":
    main()

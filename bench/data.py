"""Synthetic complaints for the benchmarks, written with bulk_create (the workflow would
take hours for 100,000 cases): realistic states, dates, agencies and texts, no photos.

Used by bench/recap.py and bench/semester_report.py; not by the test suite.
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


def complaints(count: int, *, start: datetime, end: datetime, agencies=None, seed: int = 40):
    """`count` complaints submitted between start and end, routed to `agencies` (default:
    every active one) with register numbers, in every state past routing and some before."""
    from django.db import transaction

    from sikesal.agencies.models import Agency, Category, Region
    from sikesal.complaints.models import (
        Assignment,
        AssignmentStatus,
        Complaint,
        DeclineReason,
        RegisterCounter,
        Status,
    )

    rng = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    agencies = list(agencies or Agency.objects.filter(is_active=True))
    categories = list(Category.objects.filter(is_active=True))
    kelurahan = list(Region.objects.filter(level="kelurahan").select_related("parent"))
    reporters = citizens(min(count, 5000))
    staff = officers(agencies)
    from sikesal.accounts.models import User

    secretariat, _ = User.objects.get_or_create(
        username="bench.sekretariat", defaults={"full_name": "Sekretariat", "email": "s@b.id"}
    )
    span = (end - start).total_seconds()
    states = [
        (Status.CLOSED, 45),
        (Status.ARCHIVED, 15),
        (Status.RESPONDED, 8),
        (Status.IN_PROGRESS, 12),
        (Status.ROUTED, 5),
        (Status.DECLINED, 8),
        (Status.IN_REVIEW, 4),
        (Status.SUBMITTED, 3),
    ]
    population = [state for state, weight in states for _ in range(weight)]
    decline_reasons = [value for value, _label in DeclineReason.choices if value != "duplicate"]
    rows, plans = [], []
    taken = set(Complaint.objects.values_list("tracking_number", flat=True))
    for _n in range(count):
        submitted = start + timedelta(seconds=rng.random() * span)
        place = rng.choice(kelurahan)
        status = rng.choice(population)
        while (tracking := f"SKL-{rng.randrange(36**6):06X}"[:10]) in taken:
            pass
        taken.add(tracking)
        complaint = Complaint(
            tracking_number=tracking,
            reporter=rng.choice(reporters),
            report_type="pengaduan",
            category=rng.choice(categories),
            title=rng.choice(TITLES),
            description="Mohon segera ditindaklanjuti. " * rng.randint(2, 12),
            kelurahan=place,
            kecamatan=place.parent,
            is_anonymous=rng.random() < 0.1,
            status=status,
            channel="web",
            submitted_at=submitted,
            decision_due=(submitted + timedelta(days=60)).date(),
        )
        if status == Status.DECLINED:
            complaint.decline_reason = rng.choice(decline_reasons)
            complaint.closed_at = submitted + timedelta(days=rng.randint(1, 4))
        routed = status in (
            Status.ROUTED,
            Status.IN_PROGRESS,
            Status.RESPONDED,
            Status.CLOSED,
            Status.ARCHIVED,
        )
        if routed:
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
        rows.append(complaint)
        plans.append((routed, status, submitted))
    with transaction.atomic():
        Complaint.objects.bulk_create(rows, batch_size=2000)
        counters: dict[tuple[int, int], int] = {}
        for counter in RegisterCounter.objects.all():
            counters[(counter.agency_id, counter.year)] = counter.last_seq
        assignments = []
        for complaint, (routed, status, submitted) in zip(rows, plans, strict=True):
            if not routed:
                continue
            agency = rng.choice(agencies)
            routed_at = submitted + timedelta(days=rng.randint(0, 3))
            assignment = Assignment(
                complaint=complaint,
                agency=agency,
                is_lead=True,
                status=AssignmentStatus.ROUTED,
                routed_at=routed_at,
                routed_by=secretariat,
                followup_due=(routed_at + timedelta(days=7)).date(),
            )
            if status != Status.ROUTED:
                received = routed_at + timedelta(hours=rng.randint(1, 48))
                year = received.year
                seq = counters.get((agency.pk, year), 0) + 1
                counters[(agency.pk, year)] = seq
                assignment.status = (
                    AssignmentStatus.ACCEPTED
                    if status == Status.IN_PROGRESS
                    else AssignmentStatus.RESPONDED
                )
                assignment.register_year, assignment.register_seq = year, seq
                assignment.register_number = f"{agency.code.upper()}/{year}/{seq:04d}"
                assignment.received_at, assignment.received_by = received, staff[agency.pk]
                assignment.first_followup_at = complaint.first_response_at
                if complaint.responded_at:
                    assignment.response = "Sudah ditangani oleh tim lapangan. " * 3
                    assignment.responded_at = complaint.responded_at
                    assignment.responded_by = staff[agency.pk]
            assignments.append(assignment)
        Assignment.objects.bulk_create(assignments, batch_size=2000)
        for (agency_id, year), last in counters.items():
            RegisterCounter.objects.update_or_create(
                agency_id=agency_id, year=year, defaults={"last_seq": last}
            )
    return len(rows), len(assignments)

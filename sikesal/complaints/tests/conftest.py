"""Fixtures for the complaint tests: Kota Jambi's reference data and one person per role."""

import io
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sikesal.accounts.models import Membership, Role, User
from sikesal.accounts.services import user_create
from sikesal.agencies.models import Agency, Category, Region
from sikesal.complaints.models import (
    Assignment,
    AssignmentStatus,
    Complaint,
    ComplaintPhoto,
    PhotoState,
    Status,
)
from sikesal.complaints.services import Location, complaint_submit
from sikesal.complaints.workflow import Route, transition
from sikesal.core.tests.snapshots import Snapshot, take_snapshot

JAKARTA = ZoneInfo("Asia/Jakarta")
# Jl. Sultan Thaha area: kelurahan Paal Merah (SOURCES.md sanity point).
AIRPORT = (-1.638, 103.644)


def make_user(username: str, *, verified: bool = True, **flags) -> User:
    user = user_create(
        username=username,
        password=None,  # no Argon2 hashing: these tests never log in with a password
        full_name=f"{username.title()} Uji",
        email=f"{username}@contoh.id",
        **flags,
    )
    if verified:
        user.email_verified_at = timezone.now()
        user.save(update_fields=["email_verified_at"])
    return user


def member(username: str, agency: Agency, role: str) -> User:
    user = make_user(username)
    Membership.objects.create(user=user, agency=agency, role=role)
    return user


@dataclass
class People:
    reporter: User
    other_citizen: User
    secretariat: User
    officer: User  # Dinas PUPR
    head: User  # Dinas PUPR
    dlh_officer: User  # Dinas Lingkungan Hidup
    executive: User
    administrator: User
    pupr: Agency
    dlh: Agency
    road: Category
    waste: Category


def _cast() -> None:
    """The accounts and memberships of People (needs the reference data)."""
    pupr = Agency.objects.get(code="dpupr")
    make_user("pelapor")
    make_user("tetangga")
    member("sekretariat", Agency.objects.get(code="diskominfo"), Role.SECRETARIAT)
    member("petugaspupr", pupr, Role.AGENCY_OFFICER)
    member("kepalapupr", pupr, Role.AGENCY_HEAD)
    member("petugasdlh", Agency.objects.get(code="dlh"), Role.AGENCY_OFFICER)
    make_user("walikota", is_executive=True)
    make_user("admin", is_superuser=True, is_staff=True)


@pytest.fixture(scope="session")
def _cast_snapshot(_reference_snapshot: Snapshot, django_db_blocker) -> Snapshot:
    """The people's rows, written once per session (user_create validates and saves each
    account, some tens of milliseconds a person)."""
    with django_db_blocker.unblock():
        return take_snapshot(_cast, given=_reference_snapshot.restore)


@pytest.fixture
def people(reference_data, _cast_snapshot: Snapshot) -> People:
    _cast_snapshot.restore()
    users = User.objects.in_bulk(field_name="username")
    agencies = Agency.objects.in_bulk(["dpupr", "dlh"], field_name="code")
    categories = Category.objects.in_bulk(["jalan", "sampah"], field_name="code")
    return People(
        reporter=users["pelapor"],
        other_citizen=users["tetangga"],
        secretariat=users["sekretariat"],
        officer=users["petugaspupr"],
        head=users["kepalapupr"],
        dlh_officer=users["petugasdlh"],
        executive=users["walikota"],
        administrator=users["admin"],
        pupr=agencies["dpupr"],
        dlh=agencies["dlh"],
        road=categories["jalan"],
        waste=categories["sampah"],
    )


def file_complaint(people: People, *, at: datetime | None = None, **overrides) -> Complaint:
    fields = {
        "reporter": people.reporter,
        "report_type": "pengaduan",
        "category": people.road,
        "title": "Jalan berlubang di depan bandara",
        "description": "Lubang besar di lajur kiri, sudah dua minggu, membahayakan motor.",
        "event_date": None,
        "location": Location(latitude=AIRPORT[0], longitude=AIRPORT[1], kelurahan=None),
        "now": at,
    }
    fields.update(overrides)
    return complaint_submit(**fields)


def routed(people: People, complaint: Complaint, *agencies: Agency) -> Complaint:
    """Given: reviewed and routed by the Secretariat, the first agency leading."""
    transition(complaint, "review", actor=people.secretariat)
    transition(
        complaint,
        "route",
        actor=people.secretariat,
        routes=[Route(agency=a, is_lead=i == 0) for i, a in enumerate(agencies)],
    )
    return complaint


def complaint_in_state(people: People, status: str) -> tuple[Complaint, Assignment | None]:
    """A complaint sitting in `status`, built directly (the matrix test needs every state
    fast); for states past routing it has one lead assignment to Dinas PUPR."""
    complaint = file_complaint(people)
    assignment = None
    now = timezone.now()
    if status in (
        Status.ROUTED,
        Status.IN_PROGRESS,
        Status.RESPONDED,
        Status.CLOSED,
        Status.ARCHIVED,
    ):
        assignment_status = {
            Status.ROUTED: AssignmentStatus.ROUTED,
            Status.IN_PROGRESS: AssignmentStatus.ACCEPTED,
        }.get(status, AssignmentStatus.RESPONDED)
        assignment = Assignment.objects.create(
            complaint=complaint,
            agency=people.pupr,
            is_lead=True,
            status=assignment_status,
            routed_at=now,
            routed_by=people.secretariat,
        )
    updates = {"status": status}
    if status == Status.NEEDS_CLARIFICATION:
        updates["paused_on"] = now.date()
    if status == Status.DECLINED:
        updates["decline_reason"] = "spam"
    if status in (Status.CLOSED, Status.ARCHIVED):
        updates["rating"] = 4
    Complaint.objects.filter(pk=complaint.pk).update(**updates)
    complaint.refresh_from_db()
    return complaint, assignment


@pytest.fixture
def kelurahan_paal_merah(reference_data) -> Region:
    return Region.objects.get(level="kelurahan", name="Paal Merah")


@pytest.fixture
def media_root(settings, tmp_path):
    """Uploaded photos go to a fresh folder, which the test can inspect."""
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def reporter_client(client, people, media_root):
    """The test client, signed in as the (verified) reporter."""
    client.force_login(people.reporter)
    return client


def stored_photo(user: User, *, colour: str = "red", at: datetime | None = None) -> ComplaintPhoto:
    """A staged photo of `user` (an 8x8 JPEG, uploaded `at`, default now) with its files, as
    the worker leaves it (ready), without the upload checks."""
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), colour).save(buffer, "JPEG")
    photo = ComplaintPhoto(
        uploaded_by=user, created_at=at or timezone.now(), state=PhotoState.READY
    )
    photo.image.save("p.jpg", SimpleUploadedFile("p.jpg", buffer.getvalue()), save=False)
    photo.thumbnail.save("t.jpg", SimpleUploadedFile("t.jpg", buffer.getvalue()), save=False)
    photo.save()
    return photo


def worker_prepares_photos() -> None:
    """Run the `prepare_photo` task of every pending photo, as the worker does after an
    upload (inside a test's transaction the enqueue-on-commit never reaches the queue;
    test_photo_pipeline.py goes through the real queue and worker)."""
    from sikesal.complaints.tasks import prepare_photo

    for pk in ComplaintPhoto.objects.filter(state=PhotoState.PENDING).values_list("pk", flat=True):
        prepare_photo.call(pk)

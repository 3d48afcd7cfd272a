"""Photos are re-encoded by the worker, not in the request: through HTTP, the real task
queue and `manage.py db_worker`, a photo is stored as received, served to no one (page, API,
Open311) until the worker has stripped it, and one that turns out broken is never served."""

import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands import db_worker
from django_tasks_db.models import DBTaskResult
from PIL import Image

from sikesal.api.tests.conftest import api_as  # noqa: F401 (fixture used by name)
from sikesal.complaints import jobs
from sikesal.complaints.models import Complaint, ComplaintPhoto, PhotoState
from sikesal.complaints.tests.conftest import routed
from sikesal.complaints.tests.test_citizen_pages import FILE_URL, complaint_form
from sikesal.complaints.tests.test_uploads import EXIF_GPS_IFD, jpeg
from sikesal.core import periodic

GPS = {1: "S", 2: (1.0, 38.0, 16.8), 3: "E", 4: (103.0, 38.0, 38.4)}


@pytest.fixture
def run_worker(monkeypatch):
    """`manage.py db_worker` over everything queued, then it stops (--batch). Between tasks
    the command closes connections as a request does, which inside the test's transaction
    would close the test's own (on PostgreSQL): that alone is left out."""
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", "--batch", "--queue-name", "*", stdout=StringIO())

    return run


def file_with(client, people, upload, capture) -> Complaint:
    # The test's transaction never commits: run the on-commit enqueue as a commit would.
    with capture(execute=True):
        response = client.post(FILE_URL, complaint_form(people, photos=[upload]))
    assert response.status_code == 302
    return Complaint.objects.get()


def corrupt_png() -> bytes:
    """A PNG complete to its last chunk, one byte of its pixel data flipped: its header
    passes the upload's checks, the full decode does not."""
    out = io.BytesIO()
    Image.effect_noise((64, 64), 60).convert("RGB").save(out, "PNG")
    data = bytearray(out.getvalue())
    data[data.index(b"IDAT") + 40] ^= 0xFF
    return bytes(data)


def png_upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("rusak.png", data, content_type="image/png")


def open311_media_url(client, complaint) -> object:
    response = client.get(f"/open311/v2/requests/{complaint.tracking_number}.json")
    assert response.status_code == 200
    return response.json()[0]["media_url"]


def test_a_photo_is_public_only_once_the_worker_has_stripped_it(
    reporter_client, people, django_capture_on_commit_callbacks, run_worker
):
    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"
    exif.get_ifd(EXIF_GPS_IFD).update(GPS)
    complaint = file_with(
        reporter_client, people, jpeg(exif=exif), django_capture_on_commit_callbacks
    )
    routed(people, complaint, people.pupr)
    photo = complaint.photos.get()
    anyone = Client()
    public_page = reverse("complaints:public_detail", args=[complaint.tracking_number])

    # Given: filed and public, the worker not run yet.
    assert photo.state == PhotoState.PENDING
    assert DBTaskResult.objects.filter(task_path__endswith="prepare_photo").count() == 1
    assert anyone.get(photo.url).status_code == 404
    assert reporter_client.get(photo.url).status_code == 404  # not even to its reporter
    waiting = anyone.get(f"/api/v1/photos/{photo.pk}/")  # the API says: ask again shortly
    assert (waiting.status_code, waiting.json()["error"]["code"]) == (409, "photo_not_ready")
    assert photo.thumbnail_url not in anyone.get(public_page).content.decode()
    assert open311_media_url(anyone, complaint) is None
    mine = reporter_client.get(reverse("complaints:mine_detail", args=[complaint.tracking_number]))
    assert "Foto sedang diproses…" in mine.content.decode()

    # When: the worker runs.
    run_worker()

    # Then: the re-encoded photo is served, without its metadata; the upload is gone.
    photo.refresh_from_db()
    assert photo.state == PhotoState.READY
    assert photo.received.name == ""
    served = anyone.get(photo.url)
    assert served.status_code == 200
    data = b"".join(served.streaming_content)
    assert dict(Image.open(io.BytesIO(data)).getexif()) == {}
    assert b"KameraMerek" not in data
    assert photo.thumbnail_url in anyone.get(public_page).content.decode()
    assert anyone.get(f"/api/v1/photos/{photo.pk}/").status_code == 200
    assert open311_media_url(anyone, complaint).endswith(photo.url)


def test_a_photo_that_does_not_decode_fails_is_never_served_and_staff_see_why(
    reporter_client,
    people,
    media_root,
    django_capture_on_commit_callbacks,
    run_worker,
    api_as,  # noqa: F811
):
    complaint = file_with(
        reporter_client, people, png_upload(corrupt_png()), django_capture_on_commit_callbacks
    )
    routed(people, complaint, people.pupr)

    run_worker()

    photo = complaint.photos.get()
    assert photo.state == PhotoState.FAILED
    assert photo.failure == "Foto ini rusak atau tidak lengkap; coba ambil atau pilih ulang."
    assert [p for p in media_root.rglob("*") if p.is_file()] == []  # the upload is deleted
    for client in (Client(), reporter_client):
        assert client.get(photo.url).status_code == 404
        assert client.get(photo.thumbnail_url).status_code == 404
    staff = Client()
    staff.force_login(people.secretariat)
    page = staff.get(reverse("staff:complaint", args=[complaint.tracking_number]))
    assert (
        "Foto tidak dapat diproses: Foto ini rusak atau tidak lengkap; coba ambil atau pilih "
        "ulang." in page.content.decode()
    )
    staff_api = api_as(people.secretariat).get(
        f"/api/v1/staff/complaints/{complaint.tracking_number}/"
    )
    assert staff_api.json()["photos"] == [
        {
            "id": photo.pk,
            "url": f"http://testserver/api/v1/photos/{photo.pk}/",
            "thumbnail_url": f"http://testserver/api/v1/photos/{photo.pk}/thumbnail/",
            "state": "failed",
            "failure": photo.failure,
        }
    ]


def test_the_sweep_prepares_a_photo_whose_task_was_lost(reporter_client, people):
    # The upload's transaction "committed" without its enqueue (a lost task).
    reporter_client.post(FILE_URL, complaint_form(people, photos=[jpeg()]))
    photo = ComplaintPhoto.objects.get()
    assert DBTaskResult.objects.count() == 0

    assert jobs.pending_photos_prepare() == 0  # within the grace: its task may still run
    later = timezone.now() + jobs.PENDING_PHOTO_GRACE + timedelta(seconds=1)
    assert jobs.pending_photos_prepare(now=later) == 1

    photo.refresh_from_db()
    assert photo.state == PhotoState.READY
    assert Client().get(photo.url).status_code == 404  # its complaint is not public yet
    assert reporter_client.get(photo.url).status_code == 200


def test_the_sweep_is_a_periodic_task(settings):
    names = [entry.name for entry in periodic.periodic_tasks()]
    assert "complaints.prepare_pending_photos" in names


@pytest.mark.parametrize("state", [PhotoState.READY, PhotoState.FAILED])
def test_preparing_again_changes_nothing(reporter_client, people, state):
    reporter_client.post(FILE_URL, complaint_form(people, photos=[jpeg()]))
    photo = ComplaintPhoto.objects.get()
    ComplaintPhoto.objects.filter(pk=photo.pk).update(state=state)

    from sikesal.complaints.services import photo_prepare

    assert photo_prepare(photo_id=photo.pk) == ""
    photo.refresh_from_db()
    assert photo.state == state
    assert photo.image.name == ""

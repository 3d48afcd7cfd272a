"""/lapor/ on SQLite when the database is locked: the submission runs again, and when it
still cannot, a 503 page keeps what the citizen typed (sikesal/core/db.py)."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.urls import reverse
from PIL import Image

from sikesal.complaints.models import Complaint
from sikesal.complaints.views import citizen
from sikesal.core import db

FILE_URL = reverse("complaints:file")

pytestmark = pytest.mark.skipif(
    connection.vendor != "sqlite", reason="only SQLite reports a locked database"
)


def complaint_form(people) -> dict:
    return {
        "report_type": "pengaduan",
        "category": people.road.pk,
        "title": 'Jalan berlubang "besar" di depan bandara',
        "description": "Lubang besar di lajur kiri,\r\nsudah dua minggu.",
        "event_date": "",
        "latitude": "-1.638",
        "longitude": "103.644",
        "kelurahan": "",
        "address": "Jl. Soekarno-Hatta, depan bandara",
        "intent": "submit",
    }


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, "JPEG")
    return SimpleUploadedFile("lubang.jpg", out.getvalue(), content_type="image/jpeg")


@pytest.fixture
def locked_submissions(monkeypatch) -> list[int]:
    """complaint_submit finds the database locked the first `locked_submissions[0]` times;
    the list collects the number of every call."""
    calls: list[int] = []
    locked_times = [0]
    real_submit = citizen.complaint_submit

    def submit(*args, **kwargs):
        calls.append(len(calls) + 1)
        if len(calls) <= locked_times[0]:
            raise OperationalError("database is locked")
        return real_submit(*args, **kwargs)

    monkeypatch.setattr(citizen, "complaint_submit", submit)
    monkeypatch.setattr(db, "PAUSE_SECONDS", (0, 0))
    return locked_times, calls


def test_a_submission_that_found_the_database_locked_is_filed_on_the_next_attempt(
    reporter_client, people, locked_submissions
):
    locked_times, calls = locked_submissions
    locked_times[0] = db.ATTEMPTS - 1

    response = reporter_client.post(FILE_URL, complaint_form(people))

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == f"{FILE_URL}?terkirim={complaint.tracking_number}"
    assert len(calls) == db.ATTEMPTS


def test_a_database_locked_on_every_attempt_answers_503_with_the_form_to_send_again(
    reporter_client, people, locked_submissions
):
    locked_times, calls = locked_submissions
    locked_times[0] = db.ATTEMPTS
    form = complaint_form(people)

    response = reporter_client.post(FILE_URL, form)

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    assert len(calls) == db.ATTEMPTS
    assert not Complaint.objects.exists()
    page = response.content.decode()
    assert "Server sedang sibuk. Data Anda tidak hilang; silakan kirim lagi." in page
    assert f'<form method="post" action="{FILE_URL}">' in page
    assert 'name="csrfmiddlewaretoken"' in page
    for name, value in form.items():
        escaped = str(value).replace('"', "&quot;")
        assert f'<input type="hidden" name="{name}" value="{escaped}">' in page
    assert "Buka formulir kembali" not in page

    # When the citizen sends the page's form again and the database is free
    locked_times[0] = 0
    resent = reporter_client.post(FILE_URL, form)

    # Then the complaint is filed once, as typed
    assert resent.status_code == 302
    assert Complaint.objects.get().title == form["title"]


def test_a_busy_page_for_a_form_with_photos_says_they_must_be_chosen_again(
    reporter_client, people, locked_submissions
):
    locked_times, _calls = locked_submissions
    locked_times[0] = db.ATTEMPTS

    response = reporter_client.post(FILE_URL, {**complaint_form(people), "photos": photo()})

    assert response.status_code == 503
    page = response.content.decode()
    assert "pilih lampirannya lagi" in page
    assert f'<a class="button button--secondary" href="{FILE_URL}">' in page
    assert 'name="photos"' not in page


def test_a_page_load_that_found_the_database_locked_answers_503_without_a_form(
    reporter_client, monkeypatch
):
    def locked(*args, **kwargs):
        raise OperationalError("database is locked")

    monkeypatch.setattr(citizen.selectors, "complaint_draft_for", locked)
    monkeypatch.setattr(db, "PAUSE_SECONDS", (0, 0))

    response = reporter_client.get(FILE_URL)

    assert response.status_code == 503
    assert response["Retry-After"] == "10"
    page = response.content.decode()
    assert "Silakan muat ulang halaman ini dalam beberapa detik." in page
    assert "<form" not in page


def test_any_other_database_error_is_not_retried(reporter_client, people, monkeypatch):
    calls = []

    def broken(*args, **kwargs):
        calls.append(1)
        raise OperationalError("disk I/O error")

    monkeypatch.setattr(citizen, "complaint_submit", broken)
    reporter_client.raise_request_exception = False

    response = reporter_client.post(FILE_URL, complaint_form(people))

    assert response.status_code == 500
    assert calls == [1]

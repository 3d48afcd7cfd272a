"""Input that used to answer 500: each now gets a 4xx or its form back with a message.

Run these on PostgreSQL too: its driver refuses a NUL in a query, which SQLite accepts.
"""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sikesal.complaints.models import ComplaintDraft, ComplaintPhoto, Status
from sikesal.complaints.tests.conftest import complaint_in_state, stored_photo
from sikesal.reports.models import MonthlyRecap

FILE_URL = reverse("complaints:file")
UPLOAD_URL = reverse("complaints:photo_upload")
HTMX = {"HTTP_HX_REQUEST": "true"}


def jpeg(name: str = "foto.jpg") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


@pytest.mark.parametrize(
    "address",
    [
        "/pengaduan/SKL-%00/",
        "/pengaduan/?q=%00",
        "/pengaduan/?category=jalan%00",
        "/wilayah/lokasi/?lat=-1.6%00&lng=103.6",
        "/opd/?q=dinas%00",
        "/rekap/ABC%00/",
        "/verifikasi-email/x%00/",
        "/pengaduan/?q=%1b%5b31m",
    ],
)
def test_a_control_character_in_the_address_is_a_400_with_a_message(client, db, address):
    response = client.get(address)

    assert response.status_code == 400
    assert "Permintaan tidak valid" in response.content.decode()


def test_a_nul_in_the_cookies_is_a_400_logged_on_its_own_security_logger(client, db, caplog):
    client.cookies["sessionid"] = "abcdefgh\x00"

    response = client.get("/pengaduan/")

    assert response.status_code == 400
    assert [record.name for record in caplog.records if record.name.startswith("django.sec")] == [
        "django.security.ControlCharacterInRequest"
    ]


def test_tabs_and_line_breaks_in_a_form_pass_but_a_nul_is_a_400(reporter_client, people):
    # Given a draft with tabs and line breaks, and one with a NUL
    kept = reporter_client.post(
        FILE_URL,
        {"title": "Jalan\trusak", "description": "Baris satu\r\nbaris dua", "intent": "draft"},
    )
    refused = reporter_client.post(FILE_URL, {"title": "Jalan\x00rusak", "intent": "draft"})

    # Then the first is saved, the second refused without touching the draft
    assert kept.status_code == 302
    assert refused.status_code == 400
    assert ComplaintDraft.objects.get(reporter=people.reporter).data["title"] == "Jalan\trusak"


@pytest.mark.parametrize("photo_id", ["²", "9" * 23, "١٢", "-1", "1e3"])
def test_a_photo_id_that_is_not_a_plain_number_is_ignored(reporter_client, people, photo_id):
    mine = stored_photo(people.reporter)

    response = reporter_client.post(
        UPLOAD_URL, {"photo_ids": [photo_id, str(mine.pk)], "photo": jpeg()}, **HTMX
    )

    assert response.status_code == 200
    assert ComplaintPhoto.objects.filter(uploaded_by=people.reporter).count() == 2


def test_a_photo_id_that_is_not_a_number_on_the_form_keeps_the_form(reporter_client, people):
    response = reporter_client.post(
        FILE_URL, {"title": "Judul tetap ada", "photo_ids": ["²", "9" * 23], "intent": "draft"}
    )

    assert response.status_code == 302
    assert ComplaintDraft.objects.get(reporter=people.reporter).data["title"] == "Judul tetap ada"


def test_a_5000_character_file_name_is_shortened(reporter_client, people):
    name = "a" * 4996 + ".jpg"

    response = reporter_client.post(UPLOAD_URL, {"photo": jpeg(name)}, **HTMX)

    assert response.status_code == 200
    photo = ComplaintPhoto.objects.get(uploaded_by=people.reporter)
    assert photo.original_name == "a" * 96 + ".jpg"


def test_a_route_formset_with_a_word_for_its_row_count_comes_back_with_one_row(client, people):
    complaint, _assignment = complaint_in_state(people, Status.IN_REVIEW)
    client.force_login(people.secretariat)

    response = client.post(
        reverse("staff:act", args=[complaint.tracking_number, "route"]),
        {"route-agencies-TOTAL_FORMS": "abc", "route-agencies-INITIAL_FORMS": "0", "add_row": "1"},
    )

    assert response.status_code == 200
    assert 'name="route-agencies-TOTAL_FORMS" value="1"' in response.content.decode()


def test_a_route_formset_with_a_word_for_its_row_count_is_refused_with_a_message(client, people):
    complaint, _assignment = complaint_in_state(people, Status.IN_REVIEW)
    client.force_login(people.secretariat)

    response = client.post(
        reverse("staff:act", args=[complaint.tracking_number, "route"]),
        {"route-agencies-TOTAL_FORMS": "abc", "route-agencies-INITIAL_FORMS": "0"},
    )

    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_REVIEW


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "2026-13", "0000-01", "99999-01"])
def test_a_recap_month_out_of_range_is_a_404_and_writes_nothing(client, people, month):
    client.force_login(people.head)

    response = client.get(f"/staf/rekap/dpupr/{month}/")

    assert response.status_code == 404
    assert MonthlyRecap.objects.count() == 0


@pytest.mark.parametrize("month", ["0001-01", "9999-12", "x"])
def test_the_recap_list_of_a_month_out_of_range_shows_the_default_month(client, people, month):
    client.force_login(people.secretariat)

    response = client.get(reverse("reports:recaps"), {"bulan": month})

    assert response.status_code == 200
    assert MonthlyRecap.objects.count() == 0

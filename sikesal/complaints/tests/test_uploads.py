"""Photos on the citizen's forms, through HTTP: only real photos are stored, without their
metadata, and a refused photo never loses the rest of the form."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from sikesal.complaints.models import Complaint, ComplaintPhoto, Status
from sikesal.complaints.services import photo_stage
from sikesal.complaints.tests.conftest import complaint_in_state, worker_prepares_photos
from sikesal.complaints.tests.test_citizen_pages import complaint_form

FILE_URL = reverse("complaints:file")
UPLOAD_URL = reverse("complaints:photo_upload")
EXIF_GPS_IFD = 0x8825
HTMX = {"HTTP_HX_REQUEST": "true"}


def jpeg_bytes(size=(400, 300), **options) -> bytes:
    out = io.BytesIO()
    # Noise does not compress: the JPEG has real scan data to cut short.
    Image.merge("RGB", [Image.effect_noise(size, 60)] * 3).save(out, "JPEG", **options)
    return out.getvalue()


def jpeg(name="foto.jpg", **options) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, jpeg_bytes(**options), content_type="image/jpeg")


def php_script_named_jpg() -> SimpleUploadedFile:
    return SimpleUploadedFile(
        "foto.jpg", b"<?php system($_GET['c']); ?>\n", content_type="image/jpeg"
    )


def thirty_megabyte_image() -> SimpleUploadedFile:
    # A real JPEG, padded after its end marker: a decoder would read it fine.
    data = jpeg_bytes() + b"\0" * (30 * 1024 * 1024)
    return SimpleUploadedFile("besar.jpg", data, content_type="image/jpeg")


def truncated_jpeg() -> SimpleUploadedFile:
    data = jpeg_bytes()
    return SimpleUploadedFile("terpotong.jpg", data[: len(data) // 2], content_type="image/jpeg")


BAD_UPLOADS = {
    "php-script": (php_script_named_jpg, "Berkas ini bukan foto JPEG, PNG atau WebP."),
    "30-mb": (thirty_megabyte_image, "Foto terlalu besar: paling besar 10 MB."),
    "truncated": (
        truncated_jpeg,
        "Foto ini rusak atau tidak lengkap; coba ambil atau pilih ulang.",
    ),
}


def stored_files(media_root) -> list:
    return [path for path in media_root.rglob("*") if path.is_file()]


# --- refused photos --------------------------------------------------------------------------


@pytest.mark.parametrize("kind", BAD_UPLOADS)
def test_a_bad_photo_with_the_form_is_refused_storing_nothing_and_keeping_the_rest(
    reporter_client, people, media_root, kind
):
    make_upload, message = BAD_UPLOADS[kind]

    response = reporter_client.post(
        FILE_URL, complaint_form(people, photos=[make_upload()], title="Judul tetap ada")
    )

    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    assert ComplaintPhoto.objects.count() == 0
    assert stored_files(media_root) == []
    page = response.content.decode()
    assert message in page
    form = response.context["form"]
    assert form["title"].value() == "Judul tetap ada"
    assert form["latitude"].value() == str(-1.638)
    assert str(form["category"].value()) == str(people.road.pk)


@pytest.mark.parametrize("kind", BAD_UPLOADS)
def test_a_bad_photo_uploaded_on_its_own_is_refused_storing_nothing(
    reporter_client, media_root, kind
):
    make_upload, message = BAD_UPLOADS[kind]

    response = reporter_client.post(UPLOAD_URL, {"photo": make_upload()}, **HTMX)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert ComplaintPhoto.objects.count() == 0
    assert stored_files(media_root) == []


def test_a_bad_photo_does_not_lose_the_photos_already_staged(reporter_client, people):
    good = photo_stage(upload=jpeg(), uploaded_by=people.reporter)
    worker_prepares_photos()

    response = reporter_client.post(
        FILE_URL, complaint_form(people, photo_ids=[good.pk], photos=[truncated_jpeg()])
    )

    assert Complaint.objects.count() == 0
    assert response.context["photos"] == [good]
    page = response.content.decode()
    assert f'name="photo_ids" value="{good.pk}"' in page
    assert good.thumbnail_url in page


# --- stored photos ---------------------------------------------------------------------------


def test_a_photo_with_gps_exif_is_stored_without_it(reporter_client, people):
    exif = Image.Exif()
    exif[0x010F] = "KameraMerek"
    exif.get_ifd(EXIF_GPS_IFD).update(
        {1: "S", 2: (1.0, 38.0, 16.8), 3: "E", 4: (103.0, 38.0, 38.4)}
    )
    upload = jpeg(exif=exif)

    reporter_client.post(FILE_URL, complaint_form(people, photos=[upload]))
    worker_prepares_photos()

    photo = Complaint.objects.get().photos.get()
    assert photo.state == "ready"
    for stored in (photo.image, photo.thumbnail):
        with stored.open("rb") as handle:
            data = handle.read()
        picture = Image.open(io.BytesIO(data))
        assert dict(picture.getexif()) == {}
        assert b"KameraMerek" not in data


def test_a_photo_uploaded_at_once_comes_back_as_a_thumbnail_and_is_attached_on_submit(
    reporter_client, people
):
    response = reporter_client.post(UPLOAD_URL, {"photo": jpeg("lubang.jpg")}, **HTMX)

    photo = ComplaintPhoto.objects.get()
    assert response.status_code == 200
    fragment = response.content.decode()
    assert f'name="photo_ids" value="{photo.pk}"' in fragment
    # Not re-encoded yet: its name and state stand in for the thumbnail.
    assert "lubang.jpg: Foto sedang diproses…" in fragment
    assert photo.thumbnail_url not in fragment
    assert 'name="remove_photo"' in fragment
    assert photo.complaint is None

    reporter_client.post(FILE_URL, complaint_form(people, photo_ids=[photo.pk]))

    photo.refresh_from_db()
    assert photo.complaint == Complaint.objects.get()


def test_the_upload_button_without_javascript_stages_and_keeps_the_form(reporter_client, people):
    response = reporter_client.post(
        UPLOAD_URL, complaint_form(people, intent="upload", photos=[jpeg()], title="Tetap")
    )

    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    photo = ComplaintPhoto.objects.get()
    assert response.context["photos"] == [photo]
    assert response.context["form"]["title"].value() == "Tetap"
    assert not response.context["form"].errors


def test_removing_a_photo_without_javascript_keeps_the_rest(reporter_client, people):
    kept = photo_stage(upload=jpeg(), uploaded_by=people.reporter)
    removed = photo_stage(upload=jpeg(), uploaded_by=people.reporter)

    response = reporter_client.post(
        FILE_URL,
        complaint_form(people, photo_ids=[kept.pk, removed.pk], remove_photo=removed.pk),
    )

    assert Complaint.objects.count() == 0
    assert response.context["photos"] == [kept]
    assert response.context["form"]["title"].value() == "Jalan berlubang di depan bandara"


def test_another_citizens_staged_photo_cannot_be_attached(reporter_client, people):
    theirs = photo_stage(upload=jpeg(), uploaded_by=people.other_citizen)

    reporter_client.post(FILE_URL, complaint_form(people, photo_ids=[theirs.pk]))

    theirs.refresh_from_db()
    assert theirs.complaint is None
    assert Complaint.objects.get().photos.count() == 0


def test_a_draft_keeps_its_photos(reporter_client, people):
    photo = photo_stage(upload=jpeg(), uploaded_by=people.reporter)

    reporter_client.post(FILE_URL, complaint_form(people, intent="draft", photo_ids=[photo.pk]))
    response = reporter_client.get(FILE_URL)

    assert response.context["photos"] == [photo]
    assert f'name="photo_ids" value="{photo.pk}"' in response.content.decode()


def test_an_upload_without_a_file_is_refused(reporter_client):
    response = reporter_client.post(UPLOAD_URL, {}, **HTMX)

    assert response.status_code == 400
    assert "Pilih foto yang akan diunggah." in response.content.decode()


# --- how many ---------------------------------------------------------------------------------


def test_six_photos_with_the_form_are_refused(reporter_client, people):
    uploads = [jpeg(f"foto{number}.jpg") for number in range(1, 7)]

    response = reporter_client.post(FILE_URL, complaint_form(people, photos=uploads))

    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    assert "Paling banyak 5 foto; foto foto6.jpg tidak disimpan." in response.content.decode()
    # The five that fit are kept for the next try.
    assert len(response.context["photos"]) == 5


def test_a_sixth_photo_uploaded_at_once_is_refused(reporter_client, people, media_root):
    staged = [photo_stage(upload=jpeg(), uploaded_by=people.reporter) for _ in range(5)]
    files_before = len(stored_files(media_root))

    response = reporter_client.post(
        UPLOAD_URL, {"photo": jpeg("keenam.jpg"), "photo_ids": [p.pk for p in staged]}, **HTMX
    )

    assert response.status_code == 400
    assert "Paling banyak 5 foto" in response.content.decode()
    assert ComplaintPhoto.objects.count() == 5
    assert len(stored_files(media_root)) == files_before


def test_six_staged_photos_are_refused_by_the_service(reporter_client, people):
    staged = [photo_stage(upload=jpeg(), uploaded_by=people.reporter) for _ in range(6)]

    response = reporter_client.post(
        FILE_URL, complaint_form(people, photo_ids=[p.pk for p in staged])
    )

    assert Complaint.objects.count() == 0
    assert "Paling banyak 5 foto." in response.content.decode()


# --- photos with a clarification answer ------------------------------------------------------


def test_an_answer_to_a_clarification_carries_its_photos(reporter_client, people):
    complaint, _ = complaint_in_state(people, Status.NEEDS_CLARIFICATION)

    response = reporter_client.post(
        reverse("complaints:mine_act", args=[complaint.tracking_number, "answer_clarification"]),
        {"answer_clarification-note": "Ini fotonya.", "answer_clarification-photos": [jpeg()]},
    )

    assert response.status_code == 302
    event = complaint.events.get(action="answer_clarification")
    assert event.photos.count() == 1
    worker_prepares_photos()
    page = reporter_client.get(response.url).content.decode()
    assert event.photos.get().thumbnail_url in page
    assert event.photos.get().url in page


def test_a_bad_photo_with_an_answer_keeps_the_answer(reporter_client, people, media_root):
    complaint, _ = complaint_in_state(people, Status.NEEDS_CLARIFICATION)

    response = reporter_client.post(
        reverse("complaints:mine_act", args=[complaint.tracking_number, "answer_clarification"]),
        {
            "answer_clarification-note": "Jawaban saya.",
            "answer_clarification-photos": [php_script_named_jpg()],
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Berkas ini bukan foto JPEG, PNG atau WebP." in page
    assert "Jawaban saya." in page
    complaint.refresh_from_db()
    assert complaint.status == Status.NEEDS_CLARIFICATION
    assert stored_files(media_root) == []

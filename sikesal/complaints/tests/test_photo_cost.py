"""Refusing a photo costs little: pixels are counted from the header before decoding, a
photo that is decoded is shrunk at once, and one person's uploads are capped per hour."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image, ImageFile

from sikesal.complaints import images
from sikesal.complaints.images import IMAGE_MAX_SIDE, process_photo
from sikesal.complaints.models import Complaint, ComplaintPhoto
from sikesal.complaints.tests.conftest import stored_photo
from sikesal.complaints.tests.test_citizen_pages import complaint_form

FILE_URL = reverse("complaints:file")
UPLOAD_URL = reverse("complaints:photo_upload")
HTMX = {"HTTP_HX_REQUEST": "true"}


def big_png(size=(7000, 7000), mode="RGB") -> bytes:
    """A photo-sized image of one colour: a few hundred kilobytes at most, however big."""
    out = io.BytesIO()
    Image.new(mode, size, "white").save(out, "PNG", optimize=True)
    return out.getvalue()


def png_upload(data: bytes, name="besar.png") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/png")


@pytest.fixture
def no_decoding(monkeypatch):
    """Any decoding of pixel data fails the test."""

    def refuse(self):
        raise AssertionError("a photo above the pixel limit must not be decoded")

    monkeypatch.setattr(ImageFile.ImageFile, "load", refuse)


def test_a_49_megapixel_png_is_refused_from_its_header_without_decoding(no_decoding):
    data = big_png()
    assert len(data) < 200_000

    with pytest.raises(images.ValidationError) as caught:
        process_photo(png_upload(data))

    assert caught.value.code == "photo_too_many_pixels"
    assert caught.value.messages == ["Resolusi foto terlalu besar: paling besar 40 megapiksel."]


def test_five_49_megapixel_pngs_in_one_form_are_refused_without_decoding(
    reporter_client, people, no_decoding
):
    data = big_png()
    uploads = [png_upload(data, f"besar{n}.png") for n in range(5)]

    response = reporter_client.post(FILE_URL, complaint_form(people, photos=uploads))

    assert response.status_code == 200
    page = response.content.decode()
    for n in range(5):
        assert (
            f"Foto besar{n}.png: Resolusi foto terlalu besar: paling besar 40 megapiksel." in page
        )
    assert Complaint.objects.count() == 0
    assert ComplaintPhoto.objects.count() == 0


def test_the_pixel_limit_is_pillows_own_guard_too(settings):
    assert Image.MAX_IMAGE_PIXELS == settings.SIKESAL_PHOTO_MAX_PIXELS == 40_000_000


def test_a_big_photo_is_shrunk_before_it_is_turned_and_converted(monkeypatch):
    # Given a 24-megapixel transparent PNG, within the limit
    seen = []
    turn = images.ImageOps.exif_transpose

    def spy(picture):
        seen.append(picture.size)
        return turn(picture)

    monkeypatch.setattr(images.ImageOps, "exif_transpose", spy)

    # When it is processed
    photo = process_photo(png_upload(big_png((6000, 4000), "RGBA")))

    # Then every step after decoding works on a copy of at most twice the kept size
    assert seen == [(2000, 1334)]
    assert (photo.width, photo.height) == (IMAGE_MAX_SIDE, 1067)


# --- uploads per hour --------------------------------------------------------------------------


def jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 48), "red").save(out, "JPEG")
    return SimpleUploadedFile("foto.jpg", out.getvalue(), content_type="image/jpeg")


def test_the_31st_photo_in_an_hour_is_refused_before_it_is_read(
    reporter_client, people, monkeypatch
):
    # Given 30 photos uploaded in the past hour (and one older, which no longer counts)
    stored_photo(people.reporter, at=timezone.now() - timedelta(hours=1, minutes=1))
    for minutes in range(30):
        stored_photo(people.reporter, at=timezone.now() - timedelta(minutes=minutes))

    def no_processing(upload):
        raise AssertionError("a photo over the hourly limit must not be read")

    monkeypatch.setattr("sikesal.complaints.services.process_photo", no_processing)

    # When one more comes
    response = reporter_client.post(UPLOAD_URL, {"photo": jpeg()}, **HTMX)

    # Then it is refused with a message, and nothing is stored
    assert response.status_code == 400
    assert (
        "Terlalu banyak foto diunggah dalam satu jam terakhir (paling banyak 30). Coba lagi nanti."
    ) in response.content.decode()
    assert ComplaintPhoto.objects.filter(uploaded_by=people.reporter).count() == 31


def test_the_hourly_limit_follows_the_setting_and_counts_only_the_past_hour(
    reporter_client, people, settings
):
    settings.SIKESAL_PHOTO_MAX_PER_HOUR = 2
    stored_photo(people.reporter, at=timezone.now() - timedelta(minutes=61))
    stored_photo(people.reporter)

    first = reporter_client.post(UPLOAD_URL, {"photo": jpeg()}, **HTMX)
    second = reporter_client.post(UPLOAD_URL, {"photo": jpeg()}, **HTMX)

    assert (first.status_code, second.status_code) == (200, 400)
    assert "paling banyak 2" in second.content.decode()


def test_the_hourly_limit_is_per_person(reporter_client, people, settings):
    settings.SIKESAL_PHOTO_MAX_PER_HOUR = 1
    stored_photo(people.other_citizen)

    response = reporter_client.post(UPLOAD_URL, {"photo": jpeg()}, **HTMX)

    assert response.status_code == 200

"""Photos through the API: staged one at a time with /lapor/foto/'s checks, and served to
whoever /foto/<id>/ serves them to."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from sikesal.complaints.models import ComplaintPhoto, PhotoState
from sikesal.complaints.tests.conftest import (
    file_complaint,
    routed,
    stored_photo,
    worker_prepares_photos,
)
from sikesal.complaints.tests.test_uploads import BAD_UPLOADS, jpeg

PHOTOS = "/api/v1/photos/"


@pytest.fixture
def reporter_api(api_as, people, media_root):
    return api_as(people.reporter)


def test_a_photo_is_staged_and_its_uploader_reads_it_back(reporter_api, people):
    response = reporter_api.post(PHOTOS, {"photo": jpeg()}, format="multipart")

    assert response.status_code == 201
    body = response.json()
    photo = ComplaintPhoto.objects.get()
    assert body["id"] == photo.pk
    assert photo.uploaded_by == people.reporter
    assert photo.complaint_id is None
    assert body["url"].endswith(f"/api/v1/photos/{photo.pk}/")
    assert body["thumbnail_url"].endswith(f"/api/v1/photos/{photo.pk}/thumbnail/")
    assert body["state"] == "pending"
    # Until the worker has re-encoded it, not even its uploader gets what was received:
    # they are told to ask again shortly.
    for url in (body["url"], body["thumbnail_url"]):
        waiting = reporter_api.get(url)
        assert waiting.status_code == 409
        assert waiting.json()["error"]["code"] == "photo_not_ready"
        assert waiting["Retry-After"] == "5"
    worker_prepares_photos()

    image = reporter_api.get(body["url"], HTTP_ACCEPT="image/jpeg")
    thumbnail = reporter_api.get(body["thumbnail_url"])

    assert image.status_code == 200
    assert image["Content-Type"] == "image/jpeg"
    assert b"".join(image.streaming_content).startswith(b"\xff\xd8")
    assert thumbnail.status_code == 200
    assert "private" in image["Cache-Control"]


@pytest.mark.parametrize("kind", BAD_UPLOADS)
def test_a_bad_photo_is_a_400_and_nothing_is_stored(reporter_api, kind):
    make_upload, message = BAD_UPLOADS[kind]

    response = reporter_api.post(PHOTOS, {"photo": make_upload()}, format="multipart")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["photo"] == [message]
    assert ComplaintPhoto.objects.count() == 0


def test_a_photo_too_many_pixels_is_refused(reporter_api, settings):
    settings.SIKESAL_PHOTO_MAX_PIXELS = 100 * 100

    response = reporter_api.post(PHOTOS, {"photo": jpeg(size=(200, 200))}, format="multipart")

    assert response.status_code == 400
    assert ComplaintPhoto.objects.count() == 0


def test_no_file_is_a_400(reporter_api):
    for body, format in (({}, "multipart"), ({"photo": "teks"}, "multipart")):
        response = reporter_api.post(PHOTOS, body, format=format)
        assert response.status_code == 400
        assert "photo" in response.json()["error"]["fields"]


def test_json_is_not_how_a_photo_is_sent(reporter_api):
    response = reporter_api.post(PHOTOS, {"photo": "AAAA"}, format="json")

    assert response.status_code == 415


def test_past_the_hourly_cap_a_photo_is_a_429(reporter_api, people, settings):
    settings.SIKESAL_PHOTO_MAX_PER_HOUR = 1
    stored_photo(people.reporter)

    response = reporter_api.post(PHOTOS, {"photo": jpeg()}, format="multipart")

    assert response.status_code == 429
    assert response.json()["error"]["code"] == "photo_rate_limited"
    assert ComplaintPhoto.objects.count() == 1


def test_nobody_signed_in_stages_nothing(api, people):
    response = api.post(PHOTOS, {"photo": jpeg()}, format="multipart")

    assert response.status_code == 401


# --- who reads a photo -----------------------------------------------------------------------


def test_another_citizens_staged_photo_is_a_404_ready_or_not(api_as, people, media_root):
    theirs = stored_photo(people.other_citizen)

    client = api_as(people.reporter)
    for state in (PhotoState.READY, PhotoState.PENDING):
        ComplaintPhoto.objects.filter(pk=theirs.pk).update(state=state)
        for url in (f"{PHOTOS}{theirs.pk}/", f"{PHOTOS}{theirs.pk}/thumbnail/"):
            response = client.get(url)
            # (a photo still pending is not even said to exist to whoever may not see it)
            assert response.status_code == 404
            assert response.json()["error"]["code"] == "not_found"


def test_a_confidential_complaints_photo_is_its_reporters_only(api_as, api, people, media_root):
    photo = stored_photo(people.reporter)
    complaint = file_complaint(people, photos=[photo], is_confidential=True)
    routed(people, complaint, people.pupr)
    url = f"{PHOTOS}{photo.pk}/"

    assert api_as(people.reporter).get(url).status_code == 200
    assert api_as(people.officer).get(url).status_code == 200
    assert api_as(people.other_citizen).get(url).status_code == 404
    assert api.get(url).status_code == 404


def test_a_public_complaints_photo_is_anyones(api, people, media_root):
    photo = stored_photo(people.reporter)
    routed(people, file_complaint(people, photos=[photo]), people.pupr)

    assert api.get(f"{PHOTOS}{photo.pk}/").status_code == 200


@pytest.mark.parametrize("pk", ["0", "999999", "9" * 18, "9" * 19, "9" * 40])
def test_an_unknown_or_huge_id_is_a_404(reporter_api, pk):
    response = reporter_api.get(f"{PHOTOS}{pk}/")

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_nul_in_a_file_name_never_reaches_the_database(reporter_api):
    upload = SimpleUploadedFile("a\x00.jpg", jpeg().read(), content_type="image/jpeg")

    response = reporter_api.post(PHOTOS, {"photo": upload}, format="multipart")

    # Refused, or the name cleaned on the way (Django's multipart parser, clean_original_name).
    assert response.status_code in (201, 400)
    assert all("\x00" not in photo.original_name for photo in ComplaintPhoto.objects.all())

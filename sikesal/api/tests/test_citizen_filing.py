"""Filing a complaint through the API: the /lapor/ form's fields and rules, photos staged or
sent along, the Idempotency-Key, the unverified citizen, hostile input."""

import threading

import pytest
from django.db import connection, connections

from sikesal.complaints.models import Complaint, ComplaintDraft, ComplaintEvent, ComplaintPhoto
from sikesal.complaints.tests.conftest import AIRPORT, make_user, stored_photo
from sikesal.complaints.tests.test_uploads import BAD_UPLOADS, jpeg
from sikesal.notifications.models import OutboxMessage

COMPLAINTS = "/api/v1/complaints/"
CONCURRENT_POSTS = 6


def complaint_body(**overrides) -> dict:
    body = {
        "report_type": "pengaduan",
        "category": "jalan",
        "title": "Jalan berlubang di depan bandara",
        "description": "Lubang besar di lajur kiri,\nsudah dua minggu.",
        "latitude": AIRPORT[0],
        "longitude": AIRPORT[1],
        "address": "Jl. Soekarno-Hatta, depan bandara",
    }
    body.update(overrides)
    return {key: value for key, value in body.items() if value is not ...}


@pytest.fixture
def reporter_api(api_as, people, media_root):
    return api_as(people.reporter)


# --- filing ----------------------------------------------------------------------------------


def test_a_json_complaint_is_filed_as_lapor_files_it(reporter_api, people):
    response = reporter_api.post(COMPLAINTS, complaint_body(), format="json")

    assert response.status_code == 201
    complaint = Complaint.objects.get()
    body = response.json()
    assert body["tracking_number"] == complaint.tracking_number
    assert complaint.reporter == people.reporter
    assert complaint.category == people.road
    assert complaint.kelurahan.name == "Paal Merah"
    assert complaint.channel == "web"
    assert body["status"] == "submitted"
    assert body["kelurahan"]["name"] == "Paal Merah"
    assert [entry["action"] for entry in body["timeline"]] == ["submit"]
    assert body["timeline"][0]["actor"] == "Anda"
    assert ComplaintEvent.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_a_kelurahan_by_code_stands_for_the_point(reporter_api):
    body = complaint_body(latitude=None, longitude=None, kelurahan="15.71.11.1005")

    response = reporter_api.post(COMPLAINTS, body, format="json")

    assert response.status_code == 201
    assert Complaint.objects.get().kelurahan.code == "15.71.11.1005"


def test_the_forms_errors_come_back_per_field_and_nothing_is_filed(reporter_api):
    body = complaint_body(
        title="",
        category="tidak-ada",
        latitude=None,
        longitude=None,
        event_date="2999-01-01",
    )

    response = reporter_api.post(COMPLAINTS, body, format="json")

    assert response.status_code == 400
    fields = response.json()["error"]["fields"]
    assert fields["title"] == ["Tuliskan judul pengaduan."]
    assert fields["category"] == ["Kategori ini tidak tersedia lagi; pilih yang lain."]
    assert fields["kelurahan"] == ["Tandai lokasi di peta atau pilih kelurahan tempat kejadian."]
    assert fields["event_date"] == ["Tanggal kejadian tidak boleh di masa depan."]
    assert Complaint.objects.count() == 0


def test_a_missing_field_gets_the_forms_message(reporter_api):
    body = complaint_body(title=...)

    response = reporter_api.post(COMPLAINTS, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["title"] == ["Tuliskan judul pengaduan."]


def test_errors_are_in_english_for_an_english_app(reporter_api):
    response = reporter_api.post(
        COMPLAINTS, complaint_body(title=""), format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 400
    assert response["Content-Language"] == "en"
    assert response.json()["error"]["fields"]["title"] != ["Tuliskan judul pengaduan."]


def test_a_point_outside_the_city_is_refused_by_the_service(reporter_api):
    response = reporter_api.post(
        COMPLAINTS, complaint_body(latitude=-6.2, longitude=106.8), format="json"
    )

    assert response.status_code == 400
    assert "latitude" in response.json()["error"]["fields"]
    assert Complaint.objects.count() == 0


def test_nobody_signed_in_files_nothing(api, people):
    response = api.post(COMPLAINTS, complaint_body(), format="json")

    assert response.status_code == 401
    assert Complaint.objects.count() == 0


# --- photos ----------------------------------------------------------------------------------


def test_staged_photos_are_attached_by_id(reporter_api, people):
    first, second = stored_photo(people.reporter), stored_photo(people.reporter, colour="blue")

    response = reporter_api.post(
        COMPLAINTS, complaint_body(photo_ids=[first.pk, second.pk]), format="json"
    )

    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert set(complaint.photos.all()) == {first, second}
    assert [p["id"] for p in response.json()["photos"]] == [first.pk, second.pk]


def test_photo_files_in_a_multipart_post_are_checked_and_attached(reporter_api):
    body = complaint_body(photos=[jpeg("a.jpg"), jpeg("b.jpg")])

    response = reporter_api.post(COMPLAINTS, body, format="multipart")

    assert response.status_code == 201
    complaint = Complaint.objects.get()
    assert complaint.photos.count() == 2
    assert complaint.latitude is not None


def test_more_than_five_photos_in_all_are_refused_before_any_is_stored(reporter_api, people):
    staged = [stored_photo(people.reporter) for _ in range(4)]
    body = complaint_body(photo_ids=[p.pk for p in staged], photos=[jpeg(), jpeg()])

    response = reporter_api.post(COMPLAINTS, body, format="multipart")

    assert response.status_code == 400
    assert "photos" in response.json()["error"]["fields"]
    assert ComplaintPhoto.objects.count() == 4
    assert Complaint.objects.count() == 0


def test_another_citizens_photo_cannot_be_attached(reporter_api, people):
    theirs = stored_photo(people.other_citizen)

    response = reporter_api.post(COMPLAINTS, complaint_body(photo_ids=[theirs.pk]), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["photo_ids"] == ["Foto ini tidak dapat dilampirkan."]
    theirs.refresh_from_db()
    assert theirs.complaint_id is None
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("kind", BAD_UPLOADS)
def test_a_bad_photo_file_is_a_400_and_files_nothing(reporter_api, kind):
    make_upload, message = BAD_UPLOADS[kind]

    response = reporter_api.post(
        COMPLAINTS, complaint_body(photos=[make_upload()]), format="multipart"
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["photos"] == [message]
    assert Complaint.objects.count() == 0


# --- the unverified citizen ------------------------------------------------------------------


def test_an_unverified_citizen_gets_a_403_and_keeps_the_input_as_draft(api_as, people, media_root):
    newcomer = make_user("pendatang", verified=False)
    photo = stored_photo(newcomer)

    response = api_as(newcomer).post(
        COMPLAINTS, complaint_body(photo_ids=[photo.pk]), format="json"
    )

    assert response.status_code == 403
    error = response.json()["error"]
    assert error["code"] == "unverified"
    assert "terverifikasi" in error["message"]
    assert Complaint.objects.count() == 0
    draft = ComplaintDraft.objects.get(reporter=newcomer)
    assert draft.data["title"] == "Jalan berlubang di depan bandara"
    assert draft.data["category"] == str(people.road.pk)  # as the /lapor/ form keeps it
    assert draft.data["photo_ids"] == [photo.pk]


# --- Idempotency-Key -------------------------------------------------------------------------


def test_the_same_key_twice_files_one_complaint_201_then_200(reporter_api):
    first = reporter_api.post(
        COMPLAINTS, complaint_body(), format="json", HTTP_IDEMPOTENCY_KEY="kunci-1"
    )
    again = reporter_api.post(
        COMPLAINTS, complaint_body(), format="json", HTTP_IDEMPOTENCY_KEY="kunci-1"
    )

    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["tracking_number"] == again.json()["tracking_number"]
    assert Complaint.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


def test_a_retry_with_photo_files_stages_nothing_again(reporter_api):
    def send():
        body = complaint_body(photos=[jpeg()])
        return reporter_api.post(
            COMPLAINTS, body, format="multipart", HTTP_IDEMPOTENCY_KEY="kunci-foto"
        )

    assert send().status_code == 201
    assert send().status_code == 200
    assert ComplaintPhoto.objects.count() == 1


def test_the_same_key_with_another_text_is_a_409_and_files_nothing(reporter_api):
    reporter_api.post(COMPLAINTS, complaint_body(), format="json", HTTP_IDEMPOTENCY_KEY="k")

    response = reporter_api.post(
        COMPLAINTS,
        complaint_body(title="Lampu jalan mati"),
        format="json",
        HTTP_IDEMPOTENCY_KEY="k",
    )

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert Complaint.objects.count() == 1


def test_the_same_key_of_another_citizen_is_their_own_complaint(api_as, people, media_root):
    for person in (people.reporter, people.other_citizen):
        response = api_as(person).post(
            COMPLAINTS, complaint_body(), format="json", HTTP_IDEMPOTENCY_KEY="sama"
        )
        assert response.status_code == 201

    assert Complaint.objects.count() == 2


@pytest.mark.parametrize("key", ["x" * 65, "ada spasi", "ünïcode"])
def test_a_malformed_key_is_a_400(reporter_api, key):
    response = reporter_api.post(
        COMPLAINTS, complaint_body(), format="json", HTTP_IDEMPOTENCY_KEY=key
    )

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]
    assert Complaint.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_same_key_sent_concurrently_files_one_complaint(api_as, people, media_root):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no race")
    clients = [api_as(people.reporter) for _ in range(CONCURRENT_POSTS)]
    barrier = threading.Barrier(CONCURRENT_POSTS)
    responses, errors = [], []

    def send(client) -> None:
        try:
            barrier.wait()
            responses.append(
                client.post(
                    COMPLAINTS, complaint_body(), format="json", HTTP_IDEMPOTENCY_KEY="retry"
                )
            )
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    complaint = Complaint.objects.get()
    assert errors == []
    assert sorted(r.status_code for r in responses) == [200] * (CONCURRENT_POSTS - 1) + [201]
    assert {r.json()["tracking_number"] for r in responses} == {complaint.tracking_number}
    assert ComplaintEvent.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


# --- hostile input ---------------------------------------------------------------------------

TEXT_FIELDS = ["category", "title", "description", "event_date", "kelurahan", "address"]
NOT_TEXT = [1.5, 7, True, [], ["a"], {}, {"a": "b"}, None]


@pytest.mark.parametrize("field", [*TEXT_FIELDS, "report_type"])
@pytest.mark.parametrize("value", NOT_TEXT, ids=repr)
def test_a_value_that_is_not_text_is_a_400_for_that_field(reporter_api, field, value):
    response = reporter_api.post(COMPLAINTS, complaint_body(**{field: value}), format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]
    assert Complaint.objects.count() == 0


@pytest.mark.parametrize("field", TEXT_FIELDS)
def test_a_nul_in_text_is_a_400(reporter_api, field):
    response = reporter_api.post(COMPLAINTS, complaint_body(**{field: "a\x00b"}), format="json")

    assert response.status_code == 400
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize(
    "overrides",
    [
        {"latitude": 1e308},
        {"latitude": -1e308, "longitude": 1e308},
        {"latitude": 10**400},
        {"latitude": "1e99999"},
        {"latitude": True},
        {"latitude": [1]},
        {"latitude": {}},
        {"latitude": "abc"},
        {"latitude": 91, "longitude": 0},
        {"longitude": None},
        {"is_confidential": None},
        {"is_anonymous": [1]},
        {"is_anonymous": 1},
        {"is_confidential": "yes"},
        {"photo_ids": [{}]},
        {"photo_ids": "1"},
        {"photo_ids": [10**30]},
        {"photo_ids": [-1]},
        {"photo_ids": [True]},
        {"photo_ids": list(range(1, 8))},
        {"event_date": ""},
        {"event_date": "31/02/2025"},
        {"report_type": "tidak-ada"},
    ],
    ids=repr,
)
def test_hostile_values_are_a_400_never_a_500(reporter_api, overrides):
    response = reporter_api.post(COMPLAINTS, complaint_body(**overrides), format="json")

    # An empty date is no date (the form's rule): then the complaint is filed.
    assert response.status_code in ((201,) if overrides == {"event_date": ""} else (400,))
    if response.status_code == 400:
        assert response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize("body", ["[]", '"teks"', "null", "{", '{"title": NaN}'])
def test_a_body_that_is_not_an_object_is_a_400(reporter_api, body):
    response = reporter_api.generic("POST", COMPLAINTS, body, content_type="application/json")

    assert response.status_code == 400
    assert Complaint.objects.count() == 0


def test_a_description_with_crlf_counts_as_the_form_counts_it(reporter_api):
    # 4,000 characters once CR LF is one: the form's limit, not one more.
    description = ("a" * 99 + "\r\n") * 40

    response = reporter_api.post(COMPLAINTS, complaint_body(description=description), format="json")

    assert response.status_code == 201
    assert len(Complaint.objects.get().description) <= 4000


def test_the_webs_own_scripts_file_with_the_session(client, people, media_root):
    client.force_login(people.reporter)

    response = client.post(COMPLAINTS, complaint_body(), content_type="application/json")

    assert response.status_code == 201
    assert Complaint.objects.get().reporter == people.reporter


def test_a_nul_in_a_multipart_field_is_a_400(reporter_api):
    response = reporter_api.post(COMPLAINTS, complaint_body(title="a\x00b"), format="multipart")

    assert response.status_code == 400
    assert Complaint.objects.count() == 0

"""POST /open311/v2/requests and servicerequestupdates: keys, allowed operations, rates,
Pasal 7 identity, the reporter without a login, the channel, the Secretariat's queue."""

import pytest
from defusedxml import ElementTree as ET
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.complaints.models import Complaint, ComplaintEvent, Status
from sikesal.complaints.selectors import complaint_queue
from sikesal.complaints.tests.conftest import AIRPORT, file_complaint, make_user, routed
from sikesal.notifications.models import OutboxMessage
from sikesal.open311.models import Open311Client, Open311Request
from sikesal.open311.tests.conftest import POST_RESPONSE_FIELDS, assert_errors

pytestmark = pytest.mark.django_db

REQUESTS = "/open311/v2/requests.json"
UPDATES = "/open311/v2/servicerequestupdates.json"


def request_fields(key: str, **overrides) -> dict:
    fields = {
        "api_key": key,
        "jurisdiction_id": "jambikota.go.id",
        "service_code": "jalan",
        "lat": str(AIRPORT[0]),
        "long": str(AIRPORT[1]),
        "address_string": "Jl. Soekarno-Hatta depan gerbang bandara, rumah no. 7",
        "description": "Jalan berlubang besar di depan bandara\nSudah dua minggu.",
        "first_name": "Rina",
        "last_name": "Marlina",
        "email": "rina@contoh.id",
        "phone": "0812 7777 8888",
    }
    fields.update(overrides)
    return {k: v for k, v in fields.items() if v is not None}


def post(client, path, data, expect):
    response = client.post(path, data)
    assert response.status_code == expect, response.content
    return response.json()


def test_a_client_files_a_complaint_for_a_reporter_without_a_login(client, people, fms):
    fms_client, key = fms
    [answer] = post(client, REQUESTS, request_fields(key), 200)

    assert set(answer) == POST_RESPONSE_FIELDS
    complaint = Complaint.objects.get(tracking_number=answer["service_request_id"])
    assert Open311Request.objects.get(token=answer["token"]).complaint == complaint
    assert complaint.channel == "open311:fms"
    assert complaint.channel_label == "Open311: FixMyStreet Jambi"
    assert complaint.status == Status.SUBMITTED
    assert complaint.title == "Jalan berlubang besar di depan bandara"
    assert complaint.kelurahan.name == "Paal Merah"
    reporter = complaint.reporter
    assert (reporter.full_name, reporter.email, reporter.mobile) == (
        "Rina Marlina",
        "rina@contoh.id",
        "+6281277778888",
    )
    assert reporter.is_registered is False
    assert reporter.is_verified is False
    assert reporter.has_usable_password() is False
    # In the Secretariat's queue like any other.
    queue = complaint_queue(people.secretariat, {}, today=timezone.localdate())
    assert complaint in queue
    # Nobody has proved the address is hers: no email goes to it.
    assert not OutboxMessage.objects.filter(to="rina@contoh.id").exists()
    fms_client.refresh_from_db()
    assert fms_client.last_used_at is not None


def test_a_request_filed_in_xml_answers_in_xml(client, people, fms):
    _fms, key = fms

    response = client.post("/open311/v2/requests.xml", request_fields(key))

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    root = ET.fromstring(response.content)
    assert root.tag == "service_requests"
    [request] = root
    assert request.tag == "request"
    assert {field.tag for field in request} == POST_RESPONSE_FIELDS
    tracking = request.findtext("service_request_id")
    assert Complaint.objects.get(tracking_number=tracking).channel == "open311:fms"


def test_the_same_person_again_is_the_same_reporter(client, people, fms):
    _fms, key = fms
    first = post(client, REQUESTS, request_fields(key), 200)[0]
    second = post(
        client,
        REQUESTS,
        request_fields(key, email="RINA@contoh.id", description="Lampu jalan padam"),
        200,
    )[0]
    reporters = {
        Complaint.objects.get(tracking_number=a["service_request_id"]).reporter_id
        for a in (first, second)
    }
    assert len(reporters) == 1


def test_a_registered_account_with_that_email_is_left_alone(client, people, fms):
    _fms, key = fms
    answer = post(client, REQUESTS, request_fields(key, email=people.reporter.email), 200)[0]
    complaint = Complaint.objects.get(tracking_number=answer["service_request_id"])
    assert complaint.reporter != people.reporter
    assert people.reporter.complaints.count() == 0


def test_attributes_set_type_confidential_and_anonymous(client, people, fms):
    _fms, key = fms
    data = request_fields(
        key,
        **{
            "attribute[report_type]": "aspirasi",
            "attribute[confidential]": "true",
            "attribute[anonymous]": "true",
            "attribute[title]": "Tambal jalan bandara",
        },
    )
    answer = post(client, REQUESTS, data, 200)[0]
    complaint = Complaint.objects.get(tracking_number=answer["service_request_id"])
    assert (complaint.report_type, complaint.is_confidential, complaint.is_anonymous) == (
        "aspirasi",
        True,
        True,
    )
    assert complaint.title == "Tambal jalan bandara"


def test_the_idempotency_key_files_once(client, people, fms):
    _fms, key = fms
    first = client.post(REQUESTS, request_fields(key), headers={"Idempotency-Key": "fms-1"})
    again = client.post(REQUESTS, request_fields(key), headers={"Idempotency-Key": "fms-1"})
    assert first.json() == again.json()
    assert Complaint.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "fragment"),
    [
        ({"first_name": None, "last_name": None}, "Nama pelapor"),
        ({"email": None, "phone": None}, "Email atau nomor ponsel"),
        ({"email": "bukan-email"}, "email"),
        ({"phone": "12"}, "ponsel"),
        ({"service_code": "tidak-ada"}, "service_code"),
        ({"description": ""}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"lat": None, "long": None}, "lat"),
        ({"lat": "1e308"}, "lat"),
        ({"lat": "nan"}, "lat"),
        ({"long": "-inf"}, "long"),
        ({"lat": "0", "long": "0"}, "di luar"),
        ({"first_name": "R" * 500}, "first_name"),
        ({"attribute[report_type]": "keluhan"}, "report_type"),
        ({"attribute[confidential]": "ya"}, "confidential"),
    ],
)
def test_a_bad_request_is_a_georeport_400_and_files_nothing(
    client, people, fms, overrides, fragment
):
    _fms, key = fms
    errors = post(client, REQUESTS, request_fields(key, **overrides), 400)
    assert_errors(errors)
    assert any(fragment in e["description"] for e in errors), errors
    assert Complaint.objects.count() == 0
    assert not User.objects.filter(is_registered=False).exists()


def test_a_name_alone_or_name_field_is_enough_with_a_phone(client, people, fms):
    _fms, key = fms
    data = request_fields(key, first_name=None, last_name=None, name="Pak Darto", email=None)
    answer = post(client, REQUESTS, data, 200)[0]
    reporter = Complaint.objects.get(tracking_number=answer["service_request_id"]).reporter
    assert (reporter.full_name, reporter.email, reporter.mobile) == (
        "Pak Darto",
        "",
        "+6281277778888",
    )


def test_hostile_json_values_are_a_400(client, people, fms):
    _fms, key = fms
    for value in (1.5, True, [], {}, None, ["a"]):
        data = {**request_fields(key), "description": value, "first_name": value}
        response = client.post(REQUESTS, data, content_type="application/json")
        assert response.status_code == 400, (value, response.content)
        assert_errors(response.json())
    response = client.post(REQUESTS, "{not json", content_type="application/json")
    assert response.status_code == 400
    assert_errors(response.json())


def test_a_nul_byte_is_a_georeport_400(client, people, fms):
    _fms, key = fms
    response = client.post(REQUESTS, request_fields(key, description="Lubang\x00"))
    assert response.status_code == 400
    assert_errors(response.json())
    response = client.post(
        "/open311/v2/requests.xml", request_fields(key, description="Lubang\x00")
    )
    assert ET.fromstring(response.content).tag == "errors"


@pytest.mark.parametrize("key", [None, "", "o311_salah", "o311_12345678_salah", "x" * 5000])
def test_without_a_valid_key_it_is_a_403(client, people, fms, key):
    errors = post(client, REQUESTS, request_fields(key), 403)
    assert_errors(errors)
    assert Complaint.objects.count() == 0


def test_a_revoked_or_inactive_client_is_refused(client, people, fms):
    fms_client, key = fms
    fms_client.revoked_at = timezone.now()
    fms_client.save()
    post(client, REQUESTS, request_fields(key), 403)
    fms_client.revoked_at = None
    fms_client.is_active = False
    fms_client.save()
    post(client, REQUESTS, request_fields(key), 403)


def test_the_allowed_operations_are_checked(client, people):
    reader = Open311Client(name="Aplikasi OPD", slug="opd", can_post_requests=False)
    key = reader.new_key()
    reader.save()
    post(client, REQUESTS, request_fields(key), 403)
    complaint = routed(people, file_complaint(people), people.pupr)
    data = {"api_key": key, "service_request_id": complaint.tracking_number, "description": "Hi"}
    post(client, UPDATES, data, 403)
    assert not complaint.events.filter(action="comment").exists()


def test_the_wrong_jurisdiction_is_refused(client, people, fms):
    _fms, key = fms
    post(client, REQUESTS, request_fields(key, jurisdiction_id="contoh.go.id"), 404)
    assert Complaint.objects.count() == 0


def test_a_client_is_held_to_its_rate(client, people, fms):
    fms_client, key = fms
    fms_client.rate_per_hour = 2
    fms_client.save()
    for _n in range(2):
        post(client, REQUESTS, request_fields(key, description=f"Lubang {_n}"), 200)
    response = client.post(REQUESTS, request_fields(key, description="Lubang lagi"))
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert_errors(response.json())
    assert Complaint.objects.count() == 2


def test_a_comment_on_the_timeline(client, people, fms):
    _fms, key = fms
    complaint = routed(people, file_complaint(people), people.pupr)
    data = {
        "api_key": key,
        "service_request_id": complaint.tracking_number,
        "description": "Warga: lubangnya makin besar.",
        "update_id": "fms-77",
        "first_name": "Rina",
        "email": "rina@contoh.id",
    }
    [answer] = post(client, UPDATES, data, 200)
    event = ComplaintEvent.objects.get(pk=answer["update_id"])
    assert (event.action, event.visibility, event.note, event.actor) == (
        "comment",
        "public",
        "Warga: lubangnya makin besar.",
        None,
    )
    assert event.data["via"] == "Open311: FixMyStreet Jambi"
    assert "rina" not in str(event.data).lower()
    # The same update again is the same comment.
    assert post(client, UPDATES, data, 200) == [answer]
    assert complaint.events.filter(action="comment").count() == 1


def test_a_comment_on_a_hidden_complaint_of_someone_else_is_a_404(client, people, fms):
    _fms, key = fms
    hidden = file_complaint(people)  # filed on the web, not public yet
    data = {"api_key": key, "service_request_id": hidden.tracking_number, "description": "Hi"}
    post(client, UPDATES, data, 404)
    data["service_request_id"] = "SKL-" + "9" * 30
    post(client, UPDATES, data, 400)
    data["service_request_id"] = ""
    post(client, UPDATES, data, 404)


def test_an_account_registered_later_with_the_same_email_is_allowed(client, people, fms):
    _fms, key = fms
    post(client, REQUESTS, request_fields(key), 200)
    registered = make_user("rina", verified=False)
    User.objects.filter(pk=registered.pk).update(email="rina@contoh.id", mobile="+6281277778888")
    assert User.objects.filter(email="rina@contoh.id").count() == 2


def test_the_channel_takes_a_known_value_or_open311_and_a_slug(people):
    from django.core.exceptions import ValidationError

    for channel in ("web", "phone", "open311:fms", "open311:dinas-pupr-2"):
        file_complaint(people, channel=channel, title=f"Saluran {channel}")
    for channel in ("telegram", "open311:", "open311:FMS", "open311:fms x", "x" * 41):
        with pytest.raises(ValidationError):
            file_complaint(people, channel=channel, title=f"Saluran {channel}")
    labels = {c.channel: c.channel_label for c in Complaint.objects.all()}
    assert labels == {
        "web": "Situs web / aplikasi",
        "phone": "Telepon",
        "open311:fms": "Open311: fms",  # no such client (any more): its code
        "open311:dinas-pupr-2": "Open311: dinas-pupr-2",
    }

"""GET /open311/: discovery, services, requests, a request, tokens and updates, in JSON and
XML, validated against the spec's field lists; filters, limits, query counts."""

from datetime import timedelta

import pytest
from defusedxml import ElementTree as ET
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sikesal.complaints.models import Complaint, Status
from sikesal.complaints.tests.conftest import file_complaint, routed, stored_photo
from sikesal.complaints.workflow import transition
from sikesal.open311.tests.conftest import (
    DISCOVERY_FIELDS,
    ENDPOINT_FIELDS,
    assert_definition,
    assert_errors,
    assert_request,
    assert_service,
    assert_update,
)

pytestmark = pytest.mark.django_db


def get_json(client, path, expect=200, **params):
    response = client.get(path, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return response.json()


def get_xml(client, path, expect=200, **params):
    response = client.get(path, params)
    assert response.status_code == expect, response.content
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def public_complaint(people, **overrides) -> Complaint:
    """Filed and routed to Dinas PUPR: on the public pages."""
    return routed(people, file_complaint(people, **overrides), people.pupr)


def test_discovery_names_the_v2_endpoint_in_both_formats(client):
    discovery = get_json(client, "/open311/discovery.json")
    assert set(discovery) == DISCOVERY_FIELDS
    [endpoint] = discovery["endpoints"]
    assert set(endpoint) == ENDPOINT_FIELDS
    assert endpoint["url"].endswith("/open311/v2")
    assert endpoint["formats"] == ["text/xml", "application/json"]

    root = get_xml(client, "/open311/discovery.xml")
    assert root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == [
        "text/xml",
        "application/json",
    ]


def test_services_one_per_active_category_with_metadata(client, people):
    people.waste.is_active = False
    people.waste.save()
    services = get_json(client, "/open311/v2/services.json")
    for service in services:
        assert_service(service)
    codes = {s["service_code"] for s in services}
    assert "jalan" in codes and "sampah" not in codes
    road = next(s for s in services if s["service_code"] == "jalan")
    assert road["metadata"] is True
    assert road["group"] == people.road.default_agency.name

    root = get_xml(client, "/open311/v2/services.xml")
    assert root.tag == "services"
    assert {s.findtext("service_code") for s in root.findall("service")} == codes
    assert root.find("service/metadata").text == "true"


def test_a_service_definition_gives_the_attributes(client, people):
    definition = get_json(client, "/open311/v2/services/jalan.json")
    assert_definition(definition)
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert set(attributes) == {"report_type", "title", "confidential", "anonymous"}
    assert {v["key"] for v in attributes["report_type"]["values"]} == {
        "pengaduan",
        "aspirasi",
        "informasi",
    }
    root = get_xml(client, "/open311/v2/services/jalan.xml")
    assert root.tag == "service_definition"
    assert root.find("attributes/attribute/values/value/key") is not None
    assert root.find("attributes/attribute/variable").text == "true"

    errors = get_json(client, "/open311/v2/services/tidak-ada.json", expect=404)
    assert_errors(errors)


def test_requests_list_public_complaints_with_the_spec_fields(client, people, media_root):
    photo = stored_photo(people.reporter)
    complaint = public_complaint(people, photos=[photo])
    file_complaint(people, title="Belum ditelaah")  # not public yet

    [request] = get_json(client, "/open311/v2/requests.json")
    assert_request(request)
    assert request["service_request_id"] == complaint.tracking_number
    assert request["status"] == "open"
    assert request["service_code"] == "jalan"
    assert request["agency_responsible"] == people.pupr.name
    assert request["requested_datetime"].endswith("+07:00")
    assert request["expected_datetime"].startswith(complaint.decision_due.isoformat())
    assert request["media_url"].endswith(f"/foto/{photo.pk}/")
    assert request["address"] == "Kel. Paal Merah, Kec. Paal Merah"
    kelurahan = complaint.kelurahan
    assert (request["lat"], request["long"]) == (kelurahan.centroid_lat, kelurahan.centroid_lng)

    root = get_xml(client, "/open311/v2/requests.xml")
    assert root.tag == "service_requests"
    [element] = root.findall("request")
    assert {child.tag for child in element} == set(request)
    assert element.findtext("service_request_id") == complaint.tracking_number
    assert element.findtext("lat") == str(kelurahan.centroid_lat)


def test_the_format_parameter_chooses_the_format_too(client, people):
    public_complaint(people)
    assert get_json(client, "/open311/v2/requests", format="json")[0]["status"] == "open"
    assert get_xml(client, "/open311/v2/requests", format="xml").tag == "service_requests"
    # No suffix and no parameter: XML, the spec's required format.
    response = client.get("/open311/v2/requests")
    assert response["Content-Type"] == "text/xml; charset=utf-8"


def test_requests_filters(client, people):
    first = public_complaint(people)
    second = public_complaint(people, category=people.waste, title="Sampah menumpuk")
    closed = public_complaint(people, title="Sudah selesai")
    assignment = closed.assignments.get()
    transition(closed, "accept", actor=people.officer, assignment=assignment)
    transition(closed, "respond", actor=people.officer, assignment=assignment, note="Beres.")

    def ids(**params):
        return {
            r["service_request_id"] for r in get_json(client, "/open311/v2/requests.json", **params)
        }

    assert ids() == {first.tracking_number, second.tracking_number, closed.tracking_number}
    assert ids(service_code="sampah") == {second.tracking_number}
    assert ids(service_code="jalan,sampah", status="closed") == {closed.tracking_number}
    assert ids(status="open") == {first.tracking_number, second.tracking_number}
    assert ids(status="open,closed") == ids()
    # A list of ids overrides every other filter; lower case is the same number.
    assert ids(
        service_request_id=f"{first.tracking_number.lower()},{closed.tracking_number}",
        status="open",
    ) == {first.tracking_number, closed.tracking_number}
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert ids(start_date=tomorrow) == set()
    yesterday = timezone.localtime() - timedelta(days=1)
    assert (
        len(ids(start_date=yesterday.isoformat(), end_date=timezone.localtime().isoformat())) == 3
    )
    assert ids(start_date=yesterday.strftime("%Y-%m-%dT%H:%M:%SZ")) == ids()


def test_requests_default_to_the_last_90_days(client, people):
    recent = public_complaint(people)
    old = public_complaint(people, at=timezone.now() - timedelta(days=91), title="Lama")
    found = {r["service_request_id"] for r in get_json(client, "/open311/v2/requests.json")}
    assert found == {recent.tracking_number}
    start = (timezone.localdate() - timedelta(days=95)).isoformat()
    end = (timezone.localdate() - timedelta(days=80)).isoformat()
    found = get_json(client, "/open311/v2/requests.json", start_date=start, end_date=end)
    assert [r["service_request_id"] for r in found] == [old.tracking_number]


def test_requests_return_at_most_the_limit_newest_first(client, people, settings):
    settings.SIKESAL_OPEN311_MAX_RESULTS = 2
    made = [public_complaint(people, title=f"Nomor {n}") for n in range(3)]
    found = [r["service_request_id"] for r in get_json(client, "/open311/v2/requests.json")]
    assert found == [c.tracking_number for c in reversed(made)][:2]


def test_requests_take_the_same_number_of_queries_for_one_or_many(client, people, media_root):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            client.get("/open311/v2/requests.json")
        return len(queries)

    public_complaint(people, photos=[stored_photo(people.reporter)])
    one = count()
    for n in range(4):
        complaint = public_complaint(
            people, title=f"Lagi {n}", photos=[stored_photo(people.reporter)]
        )
        transition(
            complaint,
            "accept",
            actor=people.officer,
            assignment=complaint.assignments.get(),
        )
    assert count() == one


def test_a_single_request_and_only_a_public_one(client, people):
    complaint = public_complaint(people)
    [request] = get_json(client, f"/open311/v2/requests/{complaint.tracking_number}.json")
    assert_request(request)
    root = get_xml(client, f"/open311/v2/requests/{complaint.tracking_number}.xml")
    assert root.find("request/service_request_id").text == complaint.tracking_number

    new = file_complaint(people, title="Baru")
    confidential = public_complaint(people, is_confidential=True, title="Rahasia")
    for hidden in (new, confidential):
        errors = get_json(client, f"/open311/v2/requests/{hidden.tracking_number}.json", expect=404)
        assert_errors(errors)
        assert errors[0]["code"] == 404
    root = get_xml(client, f"/open311/v2/requests/{new.tracking_number}.xml", expect=404)
    assert root.tag == "errors" and root.find("error/code").text == "404"


def test_updates_list_the_public_steps(client, people, media_root):
    complaint = public_complaint(people)
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    transition(
        complaint, "note", actor=people.officer, assignment=assignment, note="Rahasia dapur."
    )
    photo = stored_photo(people.officer)
    transition(
        complaint,
        "update",
        actor=people.officer,
        assignment=assignment,
        note="Tim sudah meninjau.",
        photos=[photo],
    )
    transition(complaint, "respond", actor=people.officer, assignment=assignment, note="Beres.")

    updates = get_json(client, "/open311/v2/servicerequestupdates.json")
    for update in updates:
        assert_update(update)
    assert [(u["status"], u["description"]) for u in updates] == [
        ("OPEN", "Pengaduan diajukan"),
        ("INVESTIGATING", "Disalurkan kepada PUPR."),
        ("IN_PROGRESS", "Diterima dan dicatat oleh PUPR."),
        ("IN_PROGRESS", "Tim sudah meninjau."),
        ("FIXED", "Beres."),
    ]
    assert updates[3]["media_url"].endswith(f"/foto/{photo.pk}/")
    assert {u["service_request_id"] for u in updates} == {complaint.tracking_number}

    root = get_xml(client, "/open311/v2/servicerequestupdates.xml")
    assert root.tag == "service_request_updates"
    assert [u.findtext("status") for u in root.findall("request_update")] == [
        u["status"] for u in updates
    ]
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    assert get_json(client, "/open311/v2/servicerequestupdates.json", start_date=tomorrow) == []


@pytest.mark.parametrize(
    ("path", "params"),
    [
        ("/open311/v2/requests.json", {"start_date": "kemarin"}),
        ("/open311/v2/requests.json", {"start_date": ""}),
        ("/open311/v2/requests.json", {"end_date": "99999-01-01"}),
        ("/open311/v2/requests.json", {"start_date": "0001-01-01T00:00:00+23:59"}),
        ("/open311/v2/requests.json", {"start_date": "2026-01-01", "end_date": "2025-01-01"}),
        ("/open311/v2/requests.json", {"start_date": "2020-01-01", "end_date": "2026-01-01"}),
        ("/open311/v2/requests.json", {"status": "pending"}),
        ("/open311/v2/requests.json", {"service_request_id": "X" * 5000}),
        ("/open311/v2/requests.json", {"service_request_id": ",".join(["A"] * 1001)}),
        ("/open311/v2/servicerequestupdates.json", {"end_date": "1e308"}),
        ("/open311/v2/requests.json", {"jurisdiction_id": "contoh.go.id"}),
        ("/open311/v2/requests", {"format": "yaml"}),
        ("/open311/v2/requests.yaml", {}),
        ("/open311/v2/tidak-ada.json", {}),
        ("/open311/v2/tokens/" + "t" * 300 + ".json", {}),
        ("/open311/v2/requests/" + "9" * 400 + ".json", {}),
        ("/open311/v2/requests.json", {"start_date": "2026-01-01\x00"}),
    ],
)
def test_bad_parameters_get_a_georeport_error_never_a_500(client, people, path, params):
    response = client.get(path, params)
    assert response.status_code in (400, 404), response.content
    if response["Content-Type"].startswith("application/json"):
        assert_errors(response.json())
    else:
        root = ET.fromstring(response.content)
        assert root.tag == "errors"
        assert root.find("error/code").text == str(response.status_code)


def test_the_right_jurisdiction_is_accepted(client, people, settings):
    public_complaint(people)
    found = get_json(client, "/open311/v2/requests.json", jurisdiction_id="jambikota.go.id")
    assert len(found) == 1
    errors = get_json(client, "/open311/v2/services.json", expect=404, jurisdiction_id="x")
    assert_errors(errors)


def test_control_characters_in_stored_text_do_not_break_xml(client, people):
    complaint = public_complaint(people)
    Complaint.objects.filter(pk=complaint.pk).update(description="Lubang\x0b besar\x1f.")
    root = get_xml(client, "/open311/v2/requests.xml")
    assert root.findtext("request/description").endswith("Lubang besar.")


def test_a_closed_complaint_is_closed(client, people):
    complaint = public_complaint(people)
    Complaint.objects.filter(pk=complaint.pk).update(status=Status.CLOSED)
    [request] = get_json(client, "/open311/v2/requests.json")
    assert request["status"] == "closed"
    assert request["expected_datetime"] is None

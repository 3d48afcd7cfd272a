"""Through an independent Open311 client, over HTTP against a live server.

`georeport` (PyPI, pinned in requirements-dev.txt) reads services, service definitions,
requests and a single request, in JSON and in XML. It has no POST and no tokens: `three`
files requests and reads tokens in JSON (test_open311_three.py); here those in XML, and the
mySociety servicerequestupdates, which no Python library sends, go through `requests`, as
FixMyStreet's own client sends them. Every answer is checked against the spec's field
lists.
"""

import pytest
import requests
import xmltodict
from georeport import GeoReport

from sikesal.complaints.models import Complaint
from sikesal.complaints.tests.conftest import routed
from sikesal.complaints.workflow import transition
from sikesal.open311.tests.conftest import (
    POST_RESPONSE_FIELDS,
    POST_UPDATE_FIELDS,
    TOKEN_FIELDS,
    assert_definition,
    assert_request,
    assert_service,
    assert_update,
)
from sikesal.open311.tests.test_open311_post import request_fields

JURISDICTION = "jambikota.go.id"


def as_list(value) -> list:
    """xmltodict gives one element as a dict, several as a list."""
    return value if isinstance(value, list) else [value]


def open311(live_server, output_format: str) -> GeoReport:
    return GeoReport(
        f"{live_server.url}/open311/v2", jurisdiction=JURISDICTION, output_format=output_format
    )


def test_georeport_reads_services_and_definitions(live_server, transactional_db, people):
    for output_format in ("json", "xml"):
        library = open311(live_server, output_format)
        services = as_list(library.get_service_list())
        for service in services:
            assert_service(service)
        assert "jalan" in {s["service_code"] for s in services}
        definition = library.get_service_definition("jalan")
        assert_definition(definition)
        assert definition["service_code"] == "jalan"


def test_a_fixmystreet_style_cycle(live_server, transactional_db, people, fms, media_root):
    _fms, key = fms
    v2 = f"{live_server.url}/open311/v2"

    # FixMyStreet sends a report.
    response = requests.post(f"{v2}/requests.json", data=request_fields(key), timeout=30)
    assert response.status_code == 200, response.text
    [answer] = response.json()
    assert set(answer) == POST_RESPONSE_FIELDS
    token = answer["token"]

    # ... and finds its service_request_id by the token, in JSON and XML.
    for output_format in ("json", "xml"):
        response = requests.get(
            f"{v2}/tokens/{token}.{output_format}",
            params={"jurisdiction_id": JURISDICTION},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        if output_format == "json":
            [found] = response.json()
        else:
            found = xmltodict.parse(response.content)["service_requests"]["request"]
        assert set(found) == TOKEN_FIELDS
        assert found["service_request_id"] == answer["service_request_id"]
    tracking = answer["service_request_id"]
    complaint = Complaint.objects.get(tracking_number=tracking)

    # Not public until the Secretariat has routed it.
    with pytest.raises(requests.HTTPError):
        open311(live_server, "json").get_service_request(tracking)

    # The Secretariat routes it; Dinas PUPR accepts, reports progress and answers.
    routed(people, complaint, people.pupr)
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    transition(
        complaint, "update", actor=people.officer, assignment=assignment, note="Tim meninjau."
    )
    transition(
        complaint, "respond", actor=people.officer, assignment=assignment, note="Sudah ditambal."
    )

    # FixMyStreet posts its user's update.
    response = requests.post(
        f"{v2}/servicerequestupdates.json",
        data={
            "api_key": key,
            "jurisdiction_id": JURISDICTION,
            "service_request_id": tracking,
            "update_id": "fms-update-1",
            "status": "OPEN",
            "description": "Terima kasih, sudah rata kembali.",
            "first_name": "Rina",
            "last_name": "Marlina",
            "email": "rina@contoh.id",
        },
        timeout=30,
    )
    assert response.status_code == 200, response.text
    [posted] = response.json()
    assert set(posted) == POST_UPDATE_FIELDS

    # ... and reads every update back, in JSON and XML.
    for output_format in ("json", "xml"):
        response = requests.get(
            f"{v2}/servicerequestupdates.{output_format}",
            params={"jurisdiction_id": JURISDICTION},
            timeout=30,
        )
        assert response.status_code == 200, response.text
        if output_format == "json":
            updates = response.json()
        else:
            parsed = xmltodict.parse(response.content)["service_request_updates"]
            updates = as_list(parsed["request_update"])
        for update in updates:
            assert_update(update)
        assert [(u["status"], u["description"]) for u in updates] == [
            ("OPEN", "Pengaduan diajukan"),
            ("INVESTIGATING", "Disalurkan kepada PUPR."),
            ("IN_PROGRESS", "Diterima dan dicatat oleh PUPR."),
            ("IN_PROGRESS", "Tim meninjau."),
            ("FIXED", "Sudah ditambal."),
            ("FIXED", "Terima kasih, sudah rata kembali."),
        ]
        assert updates[-1]["update_id"] == posted["update_id"]
        assert "Rina" not in response.text and "rina@" not in response.text

    # The request itself, through the library, one and in a list, JSON and XML.
    for output_format in ("json", "xml"):
        library = open311(live_server, output_format)
        request = library.get_service_request(tracking)
        assert_request(request)
        assert request["service_request_id"] == tracking
        assert request["status"] == "closed"
        assert request["agency_responsible"] == people.pupr.name
        listed = as_list(library.get_service_requests(service_request_id=tracking))
        assert [r["service_request_id"] for r in listed] == [tracking]
        listed = as_list(library.get_service_requests(status="closed", service_code="jalan"))
        for item in listed:
            assert_request(item)
        assert tracking in {r["service_request_id"] for r in listed}

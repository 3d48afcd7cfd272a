"""No GET under /open311/ ever carries a confidential complaint, a reporter's identity,
the address or point the citizen gave, or a non-public step: asserted over whole bodies."""

import pytest

from sikesal.complaints.models import Complaint
from sikesal.complaints.services import Location
from sikesal.complaints.tests.conftest import file_complaint, routed
from sikesal.complaints.workflow import transition
from sikesal.open311.tests.test_open311_post import REQUESTS, request_fields

pytestmark = pytest.mark.django_db

SECRET_TITLE = "Pungli-di-loket-rahasia"
HOME = "Jl. Melati rumah no. 12"


def every_get_body(client, complaints: list[Complaint], tokens: list[str]) -> str:
    paths = [
        "/open311/discovery.{f}",
        "/open311/v2/services.{f}",
        "/open311/v2/services/jalan.{f}",
        "/open311/v2/requests.{f}",
        "/open311/v2/servicerequestupdates.{f}",
        *(f"/open311/v2/requests/{c.tracking_number}.{{f}}" for c in complaints),
        *(f"/open311/v2/tokens/{t}.{{f}}" for t in tokens),
    ]
    ids = ",".join(c.tracking_number for c in complaints)
    bodies = []
    for fmt in ("json", "xml"):
        for path in paths:
            bodies.append(client.get(path.format(f=fmt)).content.decode())
        bodies.append(
            client.get(f"/open311/v2/requests.{fmt}", {"service_request_id": ids}).content.decode()
        )
    return "\n".join(bodies)


def test_no_get_body_carries_what_is_not_public(client, people, fms):
    _fms, key = fms
    # Public, anonymous, its reporter with a name, email and number; an address typed.
    anonymous = routed(
        people,
        file_complaint(
            people,
            is_anonymous=True,
            location=Location(
                latitude=-1.638123, longitude=103.644456, kelurahan=None, address=HOME
            ),
        ),
        people.pupr,
    )
    assignment = anonymous.assignments.get()
    transition(anonymous, "accept", actor=people.officer, assignment=assignment)
    transition(anonymous, "note", actor=people.officer, assignment=assignment, note="INTERNAL-NOTE")
    transition(
        anonymous,
        "update",
        actor=people.officer,
        assignment=assignment,
        note="INTERNAL-UPDATE",
        public=False,
    )
    # Confidential, routed: on no public page.
    confidential = routed(
        people, file_complaint(people, is_confidential=True, title=SECRET_TITLE), people.pupr
    )
    # Filed through Open311 by a reporter without a login, then routed: public.
    answer = client.post(
        REQUESTS,
        request_fields(key, first_name="Wulandari", last_name="Sukma", email="wulan@contoh.id"),
    ).json()[0]
    filed = Complaint.objects.get(tracking_number=answer["service_request_id"])
    routed(people, filed, people.pupr)
    # Filed through Open311 confidential: its token resolves, nothing else shows.
    secret = client.post(
        REQUESTS,
        request_fields(
            key,
            description=f"{SECRET_TITLE} kedua",
            **{"attribute[confidential]": "true"},
        ),
    ).json()[0]
    routed(people, Complaint.objects.get(tracking_number=secret["service_request_id"]), people.pupr)

    body = every_get_body(
        client, [anonymous, confidential, filed], [answer["token"], secret["token"]]
    )

    assert anonymous.tracking_number in body and filed.tracking_number in body
    reporter = people.reporter
    for text in (
        reporter.full_name,
        reporter.email,
        "Wulandari",
        "wulan@contoh.id",
        "62812",
        "7777",
        SECRET_TITLE,
        HOME,
        "Soekarno-Hatta",
        "644456",
        "638123",
        "INTERNAL-NOTE",
        "INTERNAL-UPDATE",
        people.officer.full_name,
        people.secretariat.full_name,
        "register",
        confidential.tracking_number,
    ):
        assert text not in body, text

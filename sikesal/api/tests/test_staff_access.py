"""/api/v1/staff/: the same people as /staf/, each seeing what the console shows them; the
reporter's identity only on request, to those the page allows, logged."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sikesal.complaints.models import IdentityAccess
from sikesal.complaints.tests.conftest import file_complaint, routed
from sikesal.complaints.workflow import transition

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/staff/complaints/"


def detail(complaint) -> str:
    return f"/api/v1/staff/complaints/{complaint.tracking_number}/"


def identity(complaint) -> str:
    return f"/api/v1/staff/complaints/{complaint.tracking_number}/identity/"


def page(complaint) -> str:
    return reverse("staff:complaint", args=[complaint.tracking_number])


def test_nobody_signed_in_gets_a_401_in_the_error_shape(api, people):
    complaint = file_complaint(people)

    for url in (QUEUE, detail(complaint)):
        response = api.get(url)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "not_authenticated"
        assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("who", ["reporter", "other_citizen", "administrator"])
def test_who_may_not_use_the_console_gets_its_404(api_as, client, people, who):
    user = getattr(people, who)
    complaint = routed(people, file_complaint(people), people.pupr)
    client.force_login(user)
    assert client.get(reverse("staff:queue")).status_code == 404  # the page's answer

    for response in (
        api_as(user).get(QUEUE),
        api_as(user).get(detail(complaint)),
        api_as(user).post(identity(complaint), {"purpose": "cek"}),
        api_as(user).post(f"{detail(complaint)}actions/note/", {"note": "x"}),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("who", ["secretariat", "executive", "officer", "head"])
def test_staff_open_a_complaint_routed_to_them_as_the_page_does(api_as, client, people, who):
    user = getattr(people, who)
    complaint = routed(people, file_complaint(people), people.pupr)
    client.force_login(user)
    assert client.get(page(complaint)).status_code == 200

    response = api_as(user).get(detail(complaint))

    assert response.status_code == 200
    body = response.json()
    assert body["tracking_number"] == complaint.tracking_number
    assert body["status"] == {"code": "routed", "label": "Disalurkan ke OPD"}
    assert [a["agency"]["code"] for a in body["assignments"]] == ["dpupr"]
    assert [e["action"] for e in body["timeline"]] == ["submit", "review", "route"]


def test_another_agency_gets_404_like_the_page(api_as, client, people):
    complaint = routed(people, file_complaint(people), people.pupr)
    client.force_login(people.dlh_officer)
    assert client.get(page(complaint)).status_code == 404

    api = api_as(people.dlh_officer)
    assert api.get(detail(complaint)).status_code == 404
    assert api.post(identity(complaint), {"purpose": "cek"}).status_code == 404
    assert api.post(f"{detail(complaint)}actions/accept/", {}).status_code == 404
    assert complaint.tracking_number not in api.get(QUEUE).content.decode()


def test_a_complaint_that_does_not_exist_is_the_same_404(api_as, people):
    response = api_as(people.secretariat).get("/api/v1/staff/complaints/SKL-XXXXXX/")

    assert response.status_code == 404
    assert response.json() == {"error": {"code": "not_found", "message": "Tidak ditemukan."}}


def test_no_answer_carries_the_reporter_identity(api_as, people):
    complaint = routed(people, file_complaint(people, is_anonymous=True), people.pupr)
    reporter = people.reporter

    for user in (people.secretariat, people.officer, people.head, people.executive):
        text = api_as(user).get(detail(complaint)).content.decode()
        text += api_as(user).get(QUEUE, {"status": "all"}).content.decode()
        assert reporter.full_name not in text
        assert reporter.email not in text


def test_an_anonymous_complaint_hides_the_identity_from_the_agency(api_as, client, people):
    complaint = routed(people, file_complaint(people, is_anonymous=True), people.pupr)
    client.force_login(people.officer)
    page_answer = client.post(
        reverse("staff:identity", args=[complaint.tracking_number]),
        {"identity-purpose": "cek lokasi"},
    )
    assert page_answer.status_code == 404

    officer = api_as(people.officer)
    body = officer.get(detail(complaint)).json()
    response = officer.post(identity(complaint), {"purpose": "cek lokasi"})

    assert body["reporter"] == {"anonymous": True, "identity_available": False}
    assert response.status_code == 404
    assert not IdentityAccess.objects.exists()


def test_the_secretariat_opens_an_anonymous_identity_and_the_look_is_logged(api_as, people):
    complaint = routed(people, file_complaint(people, is_anonymous=True), people.pupr)
    secretariat = api_as(people.secretariat)
    assert secretariat.get(detail(complaint)).json()["reporter"] == {
        "anonymous": True,
        "identity_available": True,
    }

    response = secretariat.post(identity(complaint), {"purpose": "Memastikan lokasi."})

    assert response.status_code == 200
    assert response.json() == {
        "full_name": people.reporter.full_name,
        "email": people.reporter.email,
        "mobile": people.reporter.mobile_display,
    }
    assert "no-cache" in response["Cache-Control"]
    look = IdentityAccess.objects.get()
    assert (look.complaint, look.user, look.purpose) == (
        complaint,
        people.secretariat,
        "Memastikan lokasi.",
    )


def test_the_handling_agency_opens_a_named_reporters_identity(api_as, people):
    complaint = routed(people, file_complaint(people), people.pupr)

    response = api_as(people.officer).post(identity(complaint), {"purpose": "Telepon."})

    assert response.status_code == 200
    assert response.json()["full_name"] == people.reporter.full_name
    assert IdentityAccess.objects.filter(user=people.officer).count() == 1


def test_the_executive_may_not_open_an_identity_as_the_page(api_as, people):
    complaint = routed(people, file_complaint(people), people.pupr)

    response = api_as(people.executive).post(identity(complaint), {"purpose": "Ingin tahu."})

    assert response.status_code == 404
    assert not IdentityAccess.objects.exists()


@pytest.mark.parametrize("purpose", ["", None, 1.5, True, [], {}, "a" * 201, "a\x00b"])
def test_an_identity_request_needs_a_purpose_in_text(api_as, people, purpose):
    complaint = file_complaint(people)

    response = api_as(people.secretariat).post(identity(complaint), {"purpose": purpose})

    assert response.status_code == 400
    assert "purpose" in response.json()["error"]["fields"]
    assert not IdentityAccess.objects.exists()


def test_allowed_actions_follow_the_transition_table(api_as, people):
    complaint = routed(people, file_complaint(people), people.pupr, people.dlh)

    def actions(user):
        body = api_as(user).get(detail(complaint)).json()
        return [(a["action"], a["assignment_agency"]) for a in body["allowed_actions"]]

    assert actions(people.secretariat) == [("note", None)]
    assert actions(people.executive) == []
    assert actions(people.officer) == [("note", "dpupr"), ("accept", "dpupr"), ("return", "dpupr")]


def test_another_agencys_assignment_shows_no_internal_work(api_as, people):
    complaint = routed(people, file_complaint(people), people.pupr, people.dlh)
    complaint.assignments.filter(agency=people.dlh).update(instructions="Rahasia DLH")

    rows = api_as(people.officer).get(detail(complaint)).json()["assignments"]
    mine, theirs = rows

    assert (mine["agency"]["code"], mine["mine"]) == ("dpupr", True)
    assert (theirs["agency"]["code"], theirs["mine"]) == ("dlh", False)
    assert theirs["instructions"] is None and theirs["register_number"] is None
    assert "Rahasia DLH" not in api_as(people.officer).get(detail(complaint)).content.decode()
    assert api_as(people.secretariat).get(detail(complaint)).json()["assignments"][1][
        "instructions"
    ] == ("Rahasia DLH")


def test_the_complaint_queries_do_not_grow_with_its_timeline(api_as, people):
    complaint = routed(people, file_complaint(people), people.pupr, people.dlh)
    api = api_as(people.officer)
    api.get(detail(complaint))  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as short:
        api.get(detail(complaint))
    assignment = complaint.assignments.get(agency=people.pupr)
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    for index in range(5):
        transition(
            complaint, "note", actor=people.officer, assignment=assignment, note=f"Catatan {index}"
        )
    with CaptureQueriesContext(connection) as long:
        response = api.get(detail(complaint))

    assert len(response.json()["timeline"]) == 9
    assert len(long) <= len(short) + 1  # the register counter's agency, once

"""POST /api/v1/staff/complaints/{tracking}/actions/{action}/: each action through the API
does what the same action does from the staff page; what the page refuses the API refuses
(409 or 404), and then nothing has changed."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse
from PIL import Image

from sikesal.complaints.models import (
    Assignment,
    AssignmentStatus,
    Complaint,
    ComplaintEvent,
    ComplaintPhoto,
    Status,
)
from sikesal.complaints.tests.conftest import (
    file_complaint,
    routed,
    stored_photo,
    worker_prepares_photos,
)
from sikesal.complaints.workflow import transition

pytestmark = pytest.mark.django_db


def act(complaint, action) -> str:
    return f"/api/v1/staff/complaints/{complaint.tracking_number}/actions/{action}/"


def in_review(people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    return complaint


def accepted(people):
    complaint = routed(people, file_complaint(people), people.pupr)
    transition(
        complaint,
        "accept",
        actor=people.officer,
        assignment=complaint.assignments.get(agency=people.pupr),
    )
    return complaint


# action → (given: a complaint ready for it, who acts, the page's POST, the API's JSON)
CASES = {
    "review": (file_complaint, "secretariat", {"review-note": "Ditelaah."}, {"note": "Ditelaah."}),
    "request_clarification": (
        in_review,
        "secretariat",
        {"request_clarification-note": "Di mana tepatnya?"},
        {"note": "Di mana tepatnya?"},
    ),
    "decline": (
        in_review,
        "secretariat",
        {"decline-reason": "out_of_scope", "decline-referral": "pln", "decline-note": "Ke PLN."},
        {"reason": "out_of_scope", "referral": "pln", "note": "Ke PLN."},
    ),
    "route": (
        in_review,
        "secretariat",
        {
            "route-lead": "1",
            "route-note": "",
            "route-agencies-TOTAL_FORMS": "2",
            "route-agencies-INITIAL_FORMS": "0",
            "route-agencies-0-agency": "dlh",
            "route-agencies-0-instructions": "Bantu.",
            "route-agencies-1-agency": "dpupr",
            "route-agencies-1-instructions": "",
        },
        {
            "routes": [
                {"agency": "dlh", "instructions": "Bantu.", "lead": False},
                {"agency": "dpupr", "lead": True},
            ]
        },
    ),
    "change_category": (
        in_review,
        "secretariat",
        {"change_category-category": "sampah"},
        {"category": "sampah"},
    ),
    "note": (in_review, "secretariat", {"note-note": "Cek dulu."}, {"note": "Cek dulu."}),
    "accept": (
        lambda people: routed(people, file_complaint(people), people.pupr),
        "officer",
        {"accept-note": ""},
        {},
    ),
    "update": (
        accepted,
        "officer",
        {"update-note": "Sedang dikerjakan.", "update-public": "0"},
        {"note": "Sedang dikerjakan.", "public": False},
    ),
    "return": (
        lambda people: routed(people, file_complaint(people), people.pupr),
        "head",
        {"return-note": "Bukan kami."},
        {"note": "Bukan kami."},
    ),
    "respond": (accepted, "officer", {"respond-note": "Sudah."}, {"note": "Sudah."}),
}


def outcome(complaint) -> dict:
    """What an action left, without what differs between two complaints by nature."""
    complaint.refresh_from_db()
    event = complaint.events.order_by("pk").last()
    data = {k: v for k, v in event.data.items() if k != "register_number"}
    return {
        "status": complaint.status,
        "category": complaint.category_id,
        "decline_reason": complaint.decline_reason,
        "referral": complaint.referral,
        "event": (
            event.action,
            event.from_status,
            event.to_status,
            event.actor_id,
            event.actor_role,
            event.visibility,
            event.note,
            data,
        ),
        "assignments": sorted(
            (a.agency.code, a.status, a.is_lead, a.instructions, a.received_by_id)
            for a in complaint.assignments.select_related("agency")
        ),
        "register": sorted(bool(a.register_number) for a in complaint.assignments.all()),
    }


@pytest.mark.parametrize("action", list(CASES))
def test_each_action_through_the_api_equals_the_page(api_as, client, people, action):
    given, who, page_post, api_json = CASES[action]
    user = getattr(people, who)
    by_page, by_api = given(people), given(people)
    client.force_login(user)

    page = client.post(reverse("staff:act", args=[by_page.tracking_number, action]), page_post)
    response = api_as(user).post(act(by_api, action), api_json, format="json")

    assert page.status_code == 302, page.context and page.context.get("panels")
    if action == "return":
        assert response.status_code == 204  # the agency no longer sees it, as the page's redirect
        assert page.url == reverse("staff:queue")
    else:
        assert response.status_code == 200, response.content
        body = response.json()
        assert body["tracking_number"] == by_api.tracking_number
        assert body["status"]["code"] == Complaint.objects.get(pk=by_api.pk).status
        assert body["timeline"][-1]["action"] == action
    assert outcome(by_api) == outcome(by_page)


def snapshot(complaint) -> tuple:
    complaint = Complaint.objects.get(pk=complaint.pk)
    return (
        model_to_dict(complaint),
        list(ComplaintEvent.objects.filter(complaint=complaint).values()),
        list(Assignment.objects.filter(complaint=complaint).values()),
    )


@pytest.mark.parametrize(
    ("state", "who", "action"),
    [
        ("routed", "secretariat", "review"),  # wrong state
        ("routed", "secretariat", "accept"),  # wrong role
        ("routed", "officer", "route"),
        ("submitted", "secretariat", "respond"),
        ("routed", "executive", "note"),  # executives only read
        ("accepted", "officer", "accept"),  # already done
    ],
)
def test_what_the_page_refuses_is_a_409_and_changes_nothing(
    api_as, client, people, state, who, action
):
    complaint = {
        "submitted": lambda: file_complaint(people),
        "routed": lambda: routed(people, file_complaint(people), people.pupr),
        "accepted": lambda: accepted(people),
    }[state]()
    user = getattr(people, who)
    before = snapshot(complaint)
    client.force_login(user)
    page = client.post(reverse("staff:act", args=[complaint.tracking_number, action]), {})
    assert page.status_code == 302 and page.url.endswith(f"/{complaint.tracking_number}/")

    response = api_as(user).post(act(complaint, action), {"note": "x"}, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    assert snapshot(complaint) == before


def test_another_agencys_complaint_is_a_404_and_changes_nothing(api_as, people):
    complaint = routed(people, file_complaint(people), people.pupr)
    before = snapshot(complaint)

    response = api_as(people.dlh_officer).post(act(complaint, "accept"), {}, format="json")

    assert response.status_code == 404
    assert snapshot(complaint) == before


@pytest.mark.parametrize("action", ["rate", "close", "archive", "answer_clarification", "x"])
def test_an_action_the_console_does_not_take_is_a_404(api_as, people, action):
    complaint = file_complaint(people)

    response = api_as(people.secretariat).post(act(complaint, action), {}, format="json")

    assert response.status_code == 404


def test_a_get_is_not_allowed(api_as, people):
    complaint = file_complaint(people)

    response = api_as(people.secretariat).get(act(complaint, "review"))

    assert response.status_code == 405


@pytest.mark.parametrize(
    ("given", "action", "body", "field"),
    [
        (in_review, "request_clarification", {}, "note"),
        (in_review, "request_clarification", {"note": "   "}, "note"),
        (in_review, "decline", {"reason": "bukan", "note": "x"}, "reason"),
        (
            in_review,
            "decline",
            {"reason": "duplicate", "duplicate_of": "SKL-XXXXXX", "note": "x"},
            "duplicate_of",
        ),
        (in_review, "decline", {"reason": "out_of_scope", "note": "x"}, "referral"),
        (in_review, "change_category", {"category": "tidak-ada"}, "category"),
        (in_review, "route", {}, "routes"),
        (in_review, "route", {"routes": [{"agency": "dpupr", "lead": False}]}, "routes"),
        (in_review, "route", {"routes": [{"agency": "bukan", "lead": True}]}, "routes.0.agency"),
        (in_review, "note", {"note": "a" * 4001}, "note"),
        (in_review, "note", {"note": "a\x00b"}, "note"),
    ],
)
def test_wrong_input_is_a_400_with_its_field_and_changes_nothing(
    api_as, people, given, action, body, field
):
    complaint = given(people)
    before = snapshot(complaint)

    response = api_as(people.secretariat).post(act(complaint, action), body, format="json")

    assert response.status_code == 400, response.content
    assert response.json()["error"]["code"] == "invalid"
    assert field in response.json()["error"]["fields"], response.json()
    assert snapshot(complaint) == before


@pytest.mark.parametrize("value", [1.5, 7, True, [], {}, None, ["a"], [{"a": 1}]])
def test_a_value_of_the_wrong_json_type_is_a_400(api_as, people, value):
    complaint = in_review(people)
    before = snapshot(complaint)

    response = api_as(people.secretariat).post(
        act(complaint, "note"), {"note": value}, format="json"
    )

    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]
    assert snapshot(complaint) == before


@pytest.mark.parametrize(
    "routes",
    [
        "dpupr",
        [1, 2],
        [{"agency": 5, "lead": True}],
        [{"agency": "dpupr", "lead": "yes"}],
        [{"agency": "dpupr", "lead": True, "instructions": None}],
        [{"agency": "dpupr", "lead": True}] * 11,
        None,
    ],
)
def test_hostile_routes_are_a_400(api_as, people, routes):
    complaint = in_review(people)
    before = snapshot(complaint)

    response = api_as(people.secretariat).post(
        act(complaint, "route"), {"routes": routes}, format="json"
    )

    assert response.status_code == 400
    assert snapshot(complaint) == before


@pytest.mark.parametrize("body", [[], "teks", 5, None])
def test_a_body_that_is_not_an_object_is_a_400(api_as, people, body):
    complaint = in_review(people)

    response = api_as(people.secretariat).post(act(complaint, "note"), body, format="json")

    assert response.status_code == 400


def test_several_leads_are_refused_by_the_workflow(api_as, people):
    complaint = in_review(people)

    response = api_as(people.secretariat).post(
        act(complaint, "route"),
        {"routes": [{"agency": "dpupr", "lead": True}, {"agency": "dlh", "lead": True}]},
        format="json",
    )

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {"routes": ["Tandai tepat satu OPD utama."]}
    assert complaint.assignments.count() == 0


def test_a_form_body_works_as_json_does(api_as, people):
    complaint = in_review(people)

    response = api_as(people.secretariat).post(
        act(complaint, "request_clarification"), {"note": "Di mana?"}, format="multipart"
    )

    assert response.status_code == 200
    assert response.json()["status"]["code"] == Status.NEEDS_CLARIFICATION


def jpeg(name="hasil.jpg"):
    out = io.BytesIO()
    Image.effect_noise((64, 48), 60).convert("RGB").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def test_an_update_with_an_uploaded_photo(api_as, people, media_root):
    complaint = accepted(people)

    officer = api_as(people.officer)
    response = officer.post(
        act(complaint, "update"),
        {"note": "Sudah ditinjau.", "public": "0", "photos": [jpeg()]},
        format="multipart",
    )

    assert response.status_code == 200, response.content
    entry = response.json()["timeline"][-1]
    assert entry["action"] == "update"
    assert entry["visibility"]["code"] == "internal"
    photo = ComplaintPhoto.objects.get(event__action="update")
    assert entry["photos"][0]["id"] == photo.pk
    assert entry["photos"][0]["url"] == f"http://testserver/api/v1/photos/{photo.pk}/"
    assert entry["photos"][0]["state"] == "pending"
    waiting = officer.get(entry["photos"][0]["url"])  # until re-encoded: ask again
    assert (waiting.status_code, waiting.json()["error"]["code"]) == (409, "photo_not_ready")
    worker_prepares_photos()
    # The same token opens it; another agency's does not (the photo's own access rules).
    assert officer.get(entry["photos"][0]["url"]).status_code == 200
    assert officer.get(entry["photos"][0]["thumbnail_url"]).status_code == 200
    assert api_as(people.dlh_officer).get(entry["photos"][0]["url"]).status_code == 404


def test_a_response_with_a_staged_photo(api_as, people, media_root):
    complaint = accepted(people)
    staged = stored_photo(people.officer)
    someone_elses = stored_photo(people.head)

    response = api_as(people.officer).post(
        act(complaint, "respond"),
        {"note": "Selesai.", "photo_ids": [staged.pk, someone_elses.pk]},
        format="json",
    )

    assert response.status_code == 200, response.content
    staged.refresh_from_db()
    someone_elses.refresh_from_db()
    assert staged.event.action == "respond"
    assert someone_elses.complaint_id is None
    assert complaint.assignments.get().status == AssignmentStatus.RESPONDED


@pytest.mark.parametrize("ids", ["1", [True], ["1"], [1.5], list(range(21))])
def test_photo_ids_must_be_a_short_list_of_numbers(api_as, people, ids):
    complaint = accepted(people)

    response = api_as(people.officer).post(
        act(complaint, "update"), {"note": "x", "public": True, "photo_ids": ids}, format="json"
    )

    assert response.status_code == 400
    assert "photo_ids" in response.json()["error"]["fields"]


def test_accept_answers_with_the_register_number(api_as, people):
    complaint = routed(people, file_complaint(people), people.pupr)

    response = api_as(people.officer).post(act(complaint, "accept"), {}, format="json")

    assignment = complaint.assignments.get()
    mine = response.json()["assignments"][0]
    assert mine["register_number"] == assignment.register_number != ""
    assert mine["received_by"] == people.officer.full_name
    assert [a["action"] for a in response.json()["allowed_actions"]] == [
        "note",
        "update",
        "return",
        "respond",
    ]


def test_a_return_by_one_of_two_agencies_still_answers_with_the_complaint_for_the_other(
    api_as, people
):
    complaint = routed(people, file_complaint(people), people.pupr, people.dlh)

    response = api_as(people.officer).post(
        act(complaint, "return"), {"note": "Bukan kami."}, format="json"
    )

    assert response.status_code == 204
    assert (
        api_as(people.dlh_officer)
        .get(f"/api/v1/staff/complaints/{complaint.tracking_number}/")
        .status_code
        == 200
    )

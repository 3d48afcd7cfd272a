"""The citizen's own complaints through the API: the list, one with its timeline as /saya/
tells it, and the three things a reporter does: answer a clarification, rate, object."""

import pytest

from sikesal.complaints.models import Complaint, ComplaintEvent, Status
from sikesal.complaints.tests.conftest import (
    complaint_in_state,
    file_complaint,
    routed,
    stored_photo,
)
from sikesal.complaints.timeline import REPORTER, timeline_entries
from sikesal.complaints.workflow import transition
from sikesal.core.tests.query_counts import assert_flat

COMPLAINTS = "/api/v1/complaints/"


def detail_url(complaint: Complaint) -> str:
    return f"{COMPLAINTS}{complaint.tracking_number}/"


def action_url(complaint: Complaint, name: str) -> str:
    return f"{detail_url(complaint)}{name}/"


@pytest.fixture
def reporter_api(api_as, people, media_root):
    return api_as(people.reporter)


def responded(people) -> Complaint:
    """Given: routed to Dinas PUPR, accepted and answered."""
    complaint = routed(people, file_complaint(people), people.pupr)
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    transition(
        complaint,
        "respond",
        actor=people.officer,
        assignment=assignment,
        note="Lubang sudah ditambal.",
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED
    return complaint


def asked(people) -> Complaint:
    """Given: the Secretariat asked the reporter for clarification."""
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    transition(
        complaint,
        "request_clarification",
        actor=people.secretariat,
        note="Di sebelah mana tepatnya?",
    )
    complaint.refresh_from_db()
    return complaint


# --- the list --------------------------------------------------------------------------------


def test_the_list_is_mine_newest_first(reporter_api, people):
    older = file_complaint(people, title="Pertama")
    newer = file_complaint(people, title="Kedua")
    file_complaint(people, reporter=people.other_citizen, title="Punya tetangga")

    response = reporter_api.get(COMPLAINTS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["tracking_number"] for row in body["results"]] == [
        newer.tracking_number,
        older.tracking_number,
    ]
    assert body["results"][0]["hint"].startswith("Ditelaah Sekretariat paling lambat")


def test_the_list_pages(reporter_api, people):
    for number in range(3):
        file_complaint(people, title=f"Pengaduan {number}")

    response = reporter_api.get(COMPLAINTS, {"page_size": 2, "page": 2})

    assert response.status_code == 200
    assert response.json()["count"] == 3
    assert len(response.json()["results"]) == 1


@pytest.mark.parametrize("page_size", ["null", "0", "-1", str(10**30), "", "1.5", "²"])
def test_a_bad_page_size_is_a_400(reporter_api, page_size):
    response = reporter_api.get(COMPLAINTS, {"page_size": page_size})

    assert response.status_code == 400
    assert "page_size" in response.json()["error"]["fields"]


@pytest.mark.parametrize("page", ["99", str(10**30)])
def test_a_page_that_does_not_exist_is_a_404(reporter_api, people, page):
    file_complaint(people)

    response = reporter_api.get(COMPLAINTS, {"page": page})

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("page", ["0", "-1", "abc", "", "1.5"])
def test_a_page_number_that_is_not_a_whole_number_from_1_is_a_400(reporter_api, people, page):
    file_complaint(people)

    response = reporter_api.get(COMPLAINTS, {"page": page})

    assert response.status_code == 400
    assert "page" in response.json()["error"]["fields"]


def test_the_list_does_not_grow_in_queries_with_complaints(reporter_api, people):
    file_complaint(people)

    def grow() -> None:
        for _ in range(3):
            routed(people, file_complaint(people), people.pupr)

    assert_flat(reporter_api, COMPLAINTS, grow, ceiling=5)


# --- one complaint ---------------------------------------------------------------------------


def test_a_complaint_shows_its_timeline_as_saya_tells_it(reporter_api, people):
    complaint = responded(people)

    response = reporter_api.get(detail_url(complaint))

    assert response.status_code == 200
    body = response.json()
    expected = timeline_entries(complaint, audience=REPORTER)
    assert [(e["action"], e["label"], e["actor"], e["note"]) for e in body["timeline"]] == [
        (entry.action, entry.label, entry.actor, entry.note) for entry in expected
    ]
    assert body["assignments"][0]["agency"]["code"] == "dpupr"
    assert body["assignments"][0]["response"] == "Lubang sudah ditambal."
    assert sorted(body["actions"]) == ["objection", "rating"]
    assert body["objections_left"] == 2


def test_the_reporter_reads_no_officer_name_nor_internal_note(reporter_api, people):
    complaint = routed(people, file_complaint(people), people.pupr)
    transition(complaint, "note", actor=people.secretariat, note="Catatan internal rahasia")

    response = reporter_api.get(detail_url(complaint))

    text = response.content.decode()
    assert "Catatan internal rahasia" not in text
    assert people.secretariat.full_name not in text
    assert people.officer.full_name not in text


def test_another_citizens_complaint_is_a_404(api_as, people, media_root):
    theirs = file_complaint(people, reporter=people.other_citizen)

    response = api_as(people.reporter).get(detail_url(theirs))

    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_tracking_number_is_read_in_any_case(reporter_api, people):
    complaint = file_complaint(people)

    response = reporter_api.get(f"{COMPLAINTS}{complaint.tracking_number.lower()}/")

    assert response.status_code == 200


def test_a_declined_complaint_says_why(reporter_api, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    transition(
        complaint,
        "decline",
        actor=people.secretariat,
        reason="out_of_scope",
        referral="pln",
        note="Listrik adalah urusan PLN.",
    )

    decline = reporter_api.get(detail_url(complaint)).json()["decline"]

    assert decline["reason"] == "out_of_scope"
    assert decline["referral"] == "pln"
    assert decline["referral_label"].startswith("PLN")


# --- clarification ---------------------------------------------------------------------------


def test_answering_a_clarification_moves_it_back_to_review(reporter_api, people):
    complaint = asked(people)
    photo = stored_photo(people.reporter)

    response = reporter_api.post(
        action_url(complaint, "clarification"),
        {"note": "Di depan gerbang sekolah.", "photo_ids": [photo.pk]},
        format="json",
    )

    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_REVIEW
    event = complaint.events.get(action="answer_clarification")
    assert event.note == "Di depan gerbang sekolah."
    assert list(event.photos.all()) == [photo]
    assert response.json()["timeline"][-1]["photos"][0]["id"] == photo.pk


def test_a_clarification_answer_may_carry_photo_files(reporter_api, people):
    from sikesal.complaints.tests.test_uploads import jpeg

    complaint = asked(people)

    response = reporter_api.post(
        action_url(complaint, "clarification"),
        {"note": "Fotonya terlampir.", "photos": [jpeg()]},
        format="multipart",
    )

    assert response.status_code == 200
    assert complaint.events.get(action="answer_clarification").photos.count() == 1


def test_an_empty_answer_gets_the_forms_message(reporter_api, people):
    complaint = asked(people)

    response = reporter_api.post(action_url(complaint, "clarification"), {"note": ""})

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["note"] == ["Tuliskan jawaban Anda."]
    complaint.refresh_from_db()
    assert complaint.status == Status.NEEDS_CLARIFICATION


# --- rating and objection --------------------------------------------------------------------


def test_rating_closes_the_complaint(reporter_api, people):
    complaint = responded(people)

    response = reporter_api.post(
        action_url(complaint, "rating"), {"rating": 4, "note": "Cepat."}, format="json"
    )

    assert response.status_code == 200
    complaint.refresh_from_db()
    assert (complaint.status, complaint.rating, complaint.rating_comment) == (
        Status.CLOSED,
        4,
        "Cepat.",
    )
    assert response.json()["actions"] == []


def test_an_objection_sends_it_back_to_the_agency(reporter_api, people):
    complaint = responded(people)

    response = reporter_api.post(
        action_url(complaint, "objection"), {"note": "Lubangnya masih ada."}, format="json"
    )

    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert complaint.objection_count == 1
    assert response.json()["objections_left"] == 1


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("clarification", {"note": "Jawaban"}),
        ("rating", {"rating": 5}),
        ("objection", {"note": "Belum selesai"}),
    ],
)
@pytest.mark.parametrize("status", [Status.SUBMITTED, Status.CLOSED, Status.DECLINED])
def test_an_action_in_the_wrong_state_is_a_409_and_changes_nothing(
    reporter_api, people, name, body, status
):
    complaint, _ = complaint_in_state(people, status)
    events = ComplaintEvent.objects.count()

    response = reporter_api.post(action_url(complaint, name), body, format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "invalid_transition"
    complaint.refresh_from_db()
    assert complaint.status == status
    assert ComplaintEvent.objects.count() == events


@pytest.mark.parametrize("name", ["clarification", "rating", "objection"])
def test_acting_on_another_citizens_complaint_is_a_404(api_as, people, media_root, name):
    theirs = responded(people)  # the reporter's: the other citizen acts on it

    response = api_as(people.other_citizen).post(
        action_url(theirs, name), {"note": "x", "rating": 5}, format="json"
    )

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Status.RESPONDED


@pytest.mark.parametrize("rating", [0, 6, 4.5, True, "lima", None, [], {}, 10**30])
def test_a_rating_that_is_not_1_to_5_is_a_400(reporter_api, people, rating):
    complaint = responded(people)

    response = reporter_api.post(action_url(complaint, "rating"), {"rating": rating}, format="json")

    assert response.status_code == 400
    assert "rating" in response.json()["error"]["fields"]
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED


@pytest.mark.parametrize("note", [1.5, True, [], {}, None, "a\x00b"], ids=repr)
def test_a_note_that_is_not_text_is_a_400(reporter_api, people, note):
    complaint = responded(people)

    response = reporter_api.post(action_url(complaint, "objection"), {"note": note}, format="json")

    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]
    complaint.refresh_from_db()
    assert complaint.objection_count == 0


def test_objecting_past_the_limit_is_refused_by_the_workflow(reporter_api, people, settings):
    settings.SIKESAL_MAX_OBJECTIONS = 0
    complaint = responded(people)

    response = reporter_api.post(
        action_url(complaint, "objection"), {"note": "Sekali lagi."}, format="json"
    )

    assert response.status_code == 400
    assert "note" in response.json()["error"]["fields"]
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED


def test_a_complaint_does_not_grow_in_queries_with_its_timeline(reporter_api, people):
    complaint = routed(people, file_complaint(people), people.pupr)
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)

    def grow() -> None:
        for number in range(3):
            transition(
                complaint,
                "update",
                actor=people.officer,
                assignment=assignment,
                note=f"Perkembangan {number}",
                photos=[stored_photo(people.officer)],
            )

    assert_flat(reporter_api, detail_url(complaint), grow, ceiling=8)

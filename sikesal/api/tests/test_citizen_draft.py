"""The complaint draft through the API: the same draft /lapor/ keeps, read and written in
the API's codes."""

import pytest

from sikesal.complaints.models import ComplaintDraft
from sikesal.complaints.tests.conftest import stored_photo
from sikesal.complaints.tests.test_citizen_pages import FILE_URL, complaint_form

DRAFT = "/api/v1/draft/"


@pytest.fixture
def reporter_api(api_as, people, media_root):
    return api_as(people.reporter)


def test_no_draft_is_a_404(reporter_api):
    response = reporter_api.get(DRAFT)

    assert response.status_code == 404


def test_a_draft_saved_through_the_api_reads_back_and_opens_on_lapor(reporter_api, client, people):
    photo = stored_photo(people.reporter)
    body = {
        "title": "Belum selesai",
        "category": "jalan",
        "kelurahan": "15.71.11.1005",
        "latitude": -1.638,
        "is_anonymous": True,
        "photo_ids": [photo.pk],
    }

    saved = reporter_api.put(DRAFT, body, format="json")
    read = reporter_api.get(DRAFT)

    assert saved.status_code == 200
    assert read.json() == saved.json()
    draft = read.json()
    assert draft["title"] == "Belum selesai"
    assert draft["category"] == "jalan"
    assert draft["kelurahan"] == "15.71.11.1005"
    assert draft["latitude"] == "-1.638"
    assert draft["is_anonymous"] is True
    assert [p["id"] for p in draft["photos"]] == [photo.pk]
    # The same draft the web form opens with: its category chosen, its photo shown.
    client.force_login(people.reporter)
    page = client.get(FILE_URL)
    assert page.context["form"].initial["category"] == str(people.road.pk)
    assert page.context["photos"] == [photo]
    assert "Belum selesai" in page.content.decode()


def test_a_draft_saved_on_lapor_reads_in_codes(reporter_api, client, people):
    client.force_login(people.reporter)
    client.post(FILE_URL, complaint_form(people, intent="draft", title="Dari web"))

    draft = reporter_api.get(DRAFT).json()

    assert draft["title"] == "Dari web"
    assert draft["category"] == "jalan"


def test_a_put_replaces_the_draft(reporter_api, people):
    reporter_api.put(DRAFT, {"title": "Pertama", "address": "Jl. A"}, format="json")

    response = reporter_api.put(DRAFT, {"title": "Kedua"}, format="json")

    assert response.json()["title"] == "Kedua"
    assert "address" not in response.json()
    assert ComplaintDraft.objects.filter(reporter=people.reporter).count() == 1


def test_unknown_codes_and_another_citizens_photo_are_left_out(reporter_api, people):
    theirs = stored_photo(people.other_citizen)

    response = reporter_api.put(
        DRAFT,
        {"title": "x", "category": "tidak-ada", "kelurahan": "99", "photo_ids": [theirs.pk]},
        format="json",
    )

    assert response.status_code == 200
    assert response.json() == {
        "title": "x",
        "photos": [],
        "updated_at": response.json()["updated_at"],
    }


def test_delete_discards_the_draft(reporter_api, people):
    reporter_api.put(DRAFT, {"title": "Buang"}, format="json")

    response = reporter_api.delete(DRAFT)

    assert response.status_code == 204
    assert not ComplaintDraft.objects.filter(reporter=people.reporter).exists()
    assert reporter_api.delete(DRAFT).status_code == 204


def test_a_draft_is_mine_only(api_as, people, media_root):
    api_as(people.other_citizen).put(DRAFT, {"title": "Rahasia tetangga"}, format="json")

    assert api_as(people.reporter).get(DRAFT).status_code == 404


def test_a_long_text_is_cut_to_the_drafts_limit(reporter_api):
    response = reporter_api.put(DRAFT, {"title": "a" * 10_000}, format="json")

    assert response.status_code == 200
    assert len(response.json()["title"]) == 300


@pytest.mark.parametrize(
    "body",
    [
        {"photo_ids": [{}]},
        {"photo_ids": [[1]]},
        {"photo_ids": ["abc"]},
        {"photo_ids": [10**30]},
        {"photo_ids": {"a": 1}},
        {"photo_ids": list(range(1, 10))},
        {"title": "a\x00b"},
        {"title": 7},
        {"description": []},
        {"address": {}},
        {"category": True},
        {"title": None},
        {"latitude": [1]},
        {"latitude": 91},
        {"longitude": "181"},
        {"longitude": "timur"},
        {"latitude": 1e308},
        {"is_confidential": "mungkin"},
        {"is_anonymous": 0},
        {"is_anonymous": "on"},
    ],
    ids=repr,
)
def test_hostile_draft_input_is_a_400_and_keeps_the_old_draft(reporter_api, people, body):
    reporter_api.put(DRAFT, {"title": "Lama"}, format="json")

    response = reporter_api.put(DRAFT, body, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert ComplaintDraft.objects.get(reporter=people.reporter).data["title"] == "Lama"


def test_nobody_signed_in_has_no_draft(api):
    assert api.get(DRAFT).status_code == 401
    assert api.put(DRAFT, {"title": "x"}, format="json").status_code == 401

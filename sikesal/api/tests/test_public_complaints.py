"""/api/v1/public/complaints/: what /pengaduan/ shows, to anyone, with no personal data ever;
cursor pages, the map's filters, ETags."""

from datetime import timedelta
from urllib.parse import parse_qs, urlparse

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.agencies.models import Region
from sikesal.complaints.models import Complaint, Status
from sikesal.complaints.selectors import start_of_day
from sikesal.complaints.services import Location
from sikesal.complaints.tests.conftest import file_complaint, routed, stored_photo
from sikesal.complaints.workflow import transition

pytestmark = pytest.mark.django_db

LIST = "/api/v1/public/complaints/"
MOBILE = "+6281234567890"
HOME = "Jl. Mawar No. 7, rumah cat hijau"


def one(complaint) -> str:
    return f"/api/v1/public/complaints/{complaint.tracking_number}/"


def without_kelurahan(complaint) -> Complaint:
    Complaint.objects.filter(pk=complaint.pk).update(kelurahan=None, kecamatan=None)
    return complaint


def numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["tracking_number"] for row in response.json()["results"]]


def public(people, **overrides) -> Complaint:
    return routed(people, file_complaint(people, **overrides), people.pupr)


@pytest.fixture
def reporter_with_mobile(people):
    User.objects.filter(pk=people.reporter.pk).update(mobile=MOBILE)
    people.reporter.refresh_from_db()
    return people.reporter


@pytest.fixture
def kelurahan(reference_data) -> Region:
    return Region.objects.filter(level="kelurahan", centroid_lat__isnull=False).first()


def test_anyone_reads_routed_complaints_and_nothing_else(api, people):
    shown = public(people)
    not_yet = file_complaint(people)
    confidential = public(people, is_confidential=True)
    declined = file_complaint(people)
    transition(declined, "review", actor=people.secretariat)
    transition(declined, "decline", actor=people.secretariat, reason="spam", note="Spam.")

    listed = numbers(api.get(LIST))

    assert listed == [shown.tracking_number]
    assert api.get(one(shown)).status_code == 200
    for hidden in (not_yet, confidential, declined):
        assert hidden.tracking_number not in listed
        response = api.get(one(hidden))
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


def test_the_list_equals_the_public_pages(api, client, people):
    for index in range(3):
        public(people, title=f"Jalan {index}")
    public(people, title="Sampah", category=people.waste)
    page = client.get(reverse("complaints:public_list"), {"category": "sampah"})

    response = api.get(LIST, {"category": "sampah"})

    assert numbers(response) == [c.tracking_number for c in page.context["complaints"]]


def test_no_answer_ever_carries_personal_data(api, people, reporter_with_mobile, kelurahan):
    point = Location(latitude=-1.61234, longitude=103.61234, kelurahan=kelurahan, address=HOME)
    complaint = public(people, location=point, is_anonymous=True)
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    transition(complaint, "note", actor=people.officer, assignment=assignment, note="Internal.")
    transition(complaint, "respond", actor=people.officer, assignment=assignment, note="Beres.")

    text = api.get(LIST).content.decode() + api.get(one(complaint)).content.decode()

    reporter = people.reporter
    for secret in (
        reporter.full_name,
        reporter.email,
        MOBILE,
        "81234567890",
        HOME,
        "1.61234",
        "103.61234",
        people.officer.full_name,
        people.secretariat.full_name,
        "Internal.",
    ):
        assert secret not in text, secret
    assert '"reporter' not in text


def test_the_point_is_the_kelurahan_centre(api, people, kelurahan):
    point = Location(latitude=-1.61234, longitude=103.61234, kelurahan=kelurahan)
    complaint = public(people, location=point)
    nowhere = without_kelurahan(public(people))

    rows = {r["tracking_number"]: r for r in api.get(LIST).json()["results"]}

    kelurahan = complaint.kelurahan  # the one the point lies in
    centre = {"latitude": kelurahan.centroid_lat, "longitude": kelurahan.centroid_lng}
    assert rows[complaint.tracking_number]["point"] == centre
    assert rows[complaint.tracking_number]["kelurahan"] == {
        "code": kelurahan.code,
        "name": kelurahan.name,
    }
    assert api.get(one(complaint)).json()["point"] == centre
    assert rows[nowhere.tracking_number]["point"] is None


def test_the_bounding_box_filter(api, people, kelurahan):
    inside = public(people, location=Location(latitude=None, longitude=None, kelurahan=kelurahan))
    other = (
        Region.objects.filter(level="kelurahan", centroid_lat__isnull=False)
        .exclude(pk=kelurahan.pk)
        .first()
    )
    outside = public(people, location=Location(latitude=None, longitude=None, kelurahan=other))
    nowhere = without_kelurahan(public(people))
    lat, lng = kelurahan.centroid_lat, kelurahan.centroid_lng
    box = f"{lng - 1e-6},{lat - 1e-6},{lng + 1e-6},{lat + 1e-6}"

    assert numbers(api.get(LIST, {"bbox": box})) == [inside.tracking_number]
    everything = numbers(api.get(LIST, {"bbox": "-180,-90,180,90"}))
    assert set(everything) == {inside.tracking_number, outside.tracking_number}
    assert nowhere.tracking_number not in everything


def test_the_status_and_category_filters(api, people):
    road = public(people)
    waste = public(people, category=people.waste)
    transition(waste, "accept", actor=people.officer, assignment=waste.assignments.get())

    assert numbers(api.get(LIST, {"status": "in_progress"})) == [waste.tracking_number]
    assert numbers(api.get(LIST, {"status": "routed"})) == [road.tracking_number]
    assert numbers(api.get(LIST, {"category": "jalan"})) == [road.tracking_number]


def test_the_date_filters_count_days_in_jakarta(api, people):
    today = timezone.localdate()
    old = public(people, at=start_of_day(today - timedelta(days=10)) + timedelta(minutes=1))
    edge = public(people, at=start_of_day(today - timedelta(days=3)))
    new = public(people, at=timezone.now())

    since = (today - timedelta(days=3)).isoformat()
    until = (today - timedelta(days=3)).isoformat()
    assert numbers(api.get(LIST, {"since": since})) == [new.tracking_number, edge.tracking_number]
    assert numbers(api.get(LIST, {"since": since, "until": until})) == [edge.tracking_number]
    assert numbers(api.get(LIST, {"until": (today - timedelta(days=4)).isoformat()})) == [
        old.tracking_number
    ]


def test_cursor_pages_are_stable_while_complaints_arrive(api, people):
    base = timezone.now() - timedelta(days=1)
    filed = [public(people, at=base + timedelta(minutes=i)) for i in range(5)]
    # Two filed at the same instant: the id decides.
    filed += [public(people, at=base + timedelta(minutes=9)) for _ in range(2)]
    expected = [c.tracking_number for c in sorted(filed, key=lambda c: (c.submitted_at, c.pk))]
    expected.reverse()

    seen, url, pages = [], LIST + "?page_size=2", 0
    while url:
        response = api.get(url)
        seen += numbers(response)
        url = response.json()["next"]
        pages += 1
        if pages == 2:
            public(people)  # a new one arrives: it is before the first page, not in the rest

    assert seen == expected
    assert pages == 4


@pytest.mark.parametrize(
    "params",
    [
        {"bbox": "nan,nan,nan,nan"},
        {"bbox": "1e308,0,1e308,1"},
        {"bbox": "-inf,-1,inf,1"},
        {"bbox": "a,b,c,d"},
        {"bbox": "1,2,3"},
        {"bbox": "1,2,3,4,5"},
        {"bbox": "103.7,-1.5,103.5,-1.7"},  # east before west
        {"bbox": ""},
        {"bbox": "1" * 200},
        {"since": ""},
        {"until": ""},
        {"since": "kemarin"},
        {"since": "2026-02-30"},
        {"since": "0001-01-01"},
        {"until": "9999-12-31"},
        {"since": "2026-03-02", "until": "2026-03-01"},
        {"status": "submitted"},
        {"status": "declined"},
        {"category": "tidak-ada"},
        {"q": "x" * 101},
        {"page_size": "null"},
        {"page_size": "0"},
        {"page_size": "-1"},
        {"page_size": str(10**30)},
        {"page_size": ""},
    ],
)
def test_hostile_or_invalid_input_is_a_400(api, people, params):
    public(people)

    response = api.get(LIST, params)

    assert response.status_code == 400, params
    assert response.json()["error"]["code"] == "invalid"


@pytest.mark.parametrize(
    "cursor", ["garbage", "%%%", "cD0yMDI2", "bz0xMDAwMDAwMDAwMDAwMDAwMDAwMDAw", "cD1hYmM="]
)
def test_a_garbled_cursor_is_a_4xx(api, people, cursor):
    public(people)

    response = api.get(LIST, {"cursor": cursor})

    assert response.status_code == 400
    assert "cursor" in response.json()["error"]["fields"]


def test_a_bad_token_does_not_keep_anyone_from_public_data(api, people):
    complaint = public(people)
    api.credentials(HTTP_AUTHORIZATION="Bearer skl_salah")

    assert api.get(LIST).status_code == 200
    assert api.get(one(complaint)).status_code == 200


@pytest.mark.parametrize("which", ["list", "one"])
def test_etag_and_if_none_match(api, people, which):
    complaint = public(people)
    url = LIST if which == "list" else one(complaint)

    first = api.get(url)
    again = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    transition(complaint, "accept", actor=people.officer, assignment=complaint.assignments.get())
    changed = api.get(url, HTTP_IF_NONE_MATCH=first["ETag"])

    assert first.status_code == 200 and first["ETag"].startswith('"')
    assert again.status_code == 304 and again.content == b""
    assert again["ETag"] == first["ETag"]
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]


def test_the_etag_differs_by_language(api, people):
    complaint = public(people)

    indonesian = api.get(one(complaint))
    english = api.get(one(complaint), HTTP_ACCEPT_LANGUAGE="en")

    assert indonesian["ETag"] != english["ETag"]
    assert "Accept-Language" in indonesian["Vary"]


def test_the_detail_is_the_public_page(api, client, people, media_root):
    photo = stored_photo(people.reporter)
    complaint = public(people, photos=[photo])
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    internal = stored_photo(people.officer)
    transition(
        complaint,
        "update",
        actor=people.officer,
        assignment=assignment,
        note="Internal.",
        public=False,
        photos=[internal],
    )
    shown = stored_photo(people.officer)
    transition(
        complaint,
        "update",
        actor=people.officer,
        assignment=assignment,
        note="Sedang ditambal.",
        photos=[shown],
    )
    transition(complaint, "respond", actor=people.officer, assignment=assignment, note="Beres.")
    page = client.get(reverse("complaints:public_detail", args=[complaint.tracking_number]))

    body = api.get(one(complaint)).json()

    assert [e["action"] for e in body["timeline"]] == [e.action for e in page.context["events"]]
    assert [e["label"] for e in body["timeline"]] == [e.label for e in page.context["events"]]
    assert body["status"] == {"code": Status.RESPONDED, "label": "Sudah ditanggapi"}
    assert body["description"] == complaint.description
    assert [p["url"] for p in body["photos"]] == [f"http://testserver/api/v1/photos/{photo.pk}/"]
    update = next(e for e in body["timeline"] if e["action"] == "update")
    assert update["note"] == "Sedang ditambal."
    assert [p["url"] for p in update["photos"]] == [f"http://testserver/api/v1/photos/{shown.pk}/"]
    assert f"/photos/{internal.pk}/" not in str(body)
    assert body["responses"] == [
        {
            "agency": {"code": "dpupr", "name": people.pupr.name},
            "responded_at": body["responses"][0]["responded_at"],
            "response": "Beres.",
        }
    ]
    assert body["agencies"][0]["code"] == "dpupr"
    assert body["rating"] is None
    assert api.get(body["photos"][0]["url"]).status_code == 200
    assert api.get(body["photos"][0]["thumbnail_url"]).status_code == 200
    assert api.get(f"/api/v1/photos/{internal.pk}/").status_code == 404


def test_the_rating_is_public_once_closed(api, people):
    complaint = public(people)
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    transition(complaint, "respond", actor=people.officer, assignment=assignment, note="Beres.")
    transition(complaint, "rate", actor=people.reporter, rating=4, note="Terima kasih.")

    body = api.get(one(complaint)).json()

    assert body["rating"] == 4
    assert "Terima kasih." not in str(body)


def test_the_list_queries_do_not_grow_with_rows(api, people, media_root):
    public(people, photos=[stored_photo(people.reporter)])
    with CaptureQueriesContext(connection) as few:
        api.get(LIST)
    for _index in range(5):
        public(people, photos=[stored_photo(people.reporter)])
    with CaptureQueriesContext(connection) as many:
        response = api.get(LIST)

    assert len(response.json()["results"]) == 6
    assert len(many) == len(few)


def test_a_cursor_page_links_with_the_filters_kept(api, people):
    for _index in range(3):
        public(people)

    response = api.get(LIST, {"page_size": 1, "category": "jalan"})

    query = parse_qs(urlparse(response.json()["next"]).query)
    assert query["category"] == ["jalan"] and query["page_size"] == ["1"]
    assert "cursor" in query


def test_the_detail_queries_do_not_grow_with_its_timeline(api, people):
    complaint = public(people)
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    with CaptureQueriesContext(connection) as short:
        api.get(one(complaint))
    for index in range(5):
        transition(
            complaint, "update", actor=people.officer, assignment=assignment, note=f"Maju {index}"
        )
    with CaptureQueriesContext(connection) as long:
        response = api.get(one(complaint))

    # submit, route, accept and the five updates (the review is not public)
    assert len(response.json()["timeline"]) == 8
    assert len(long) == len(short)

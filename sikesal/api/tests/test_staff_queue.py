"""GET /api/v1/staff/complaints/: the queue of /staf/, with its filters, rows and deadlines."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sikesal.agencies.models import Region
from sikesal.complaints.services import Location
from sikesal.complaints.tests.conftest import file_complaint, routed
from sikesal.complaints.workflow import transition
from sikesal.core.holidays_seed import seed_holidays

pytestmark = pytest.mark.django_db

QUEUE = "/api/v1/staff/complaints/"


def tracking_numbers(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["tracking_number"] for row in response.json()["results"]]


def page_tracking_numbers(client, user, params) -> list[str]:
    client.force_login(user)
    response = client.get(reverse("staff:queue"), params)
    return [row.complaint.tracking_number for row in response.context["rows"]]


@pytest.fixture
def mixed_queue(people):
    road = file_complaint(people, title="Jalan rusak parah")
    waste = file_complaint(people, title="Sampah menumpuk", category=people.waste)
    other = Region.objects.filter(level="kelurahan").exclude(parent=road.kecamatan).first()
    elsewhere = file_complaint(
        people,
        title="Jalan di kecamatan lain",
        location=Location(latitude=None, longitude=None, kelurahan=other),
    )
    late = file_complaint(people, title="Laporan lama", at=timezone.now() - timedelta(days=20))
    transition(waste, "review", actor=people.secretariat)
    routed_one = routed(people, file_complaint(people, title="Sudah disalurkan"), people.pupr)
    return {
        "road": road,
        "waste": waste,
        "elsewhere": elsewhere,
        "late": late,
        "routed": routed_one,
    }


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"status": "in_review"},
        {"status": "submitted"},
        {"status": "all"},
        {"status": "open", "overdue": "true"},
        {"category": "sampah"},
        {"q": "menumpuk"},
        {"overdue": "1"},
        {"agency": "dpupr"},
    ],
)
def test_the_queue_lists_what_the_page_lists(api_as, client, people, mixed_queue, params):
    expected = page_tracking_numbers(client, people.secretariat, params)

    response = api_as(people.secretariat).get(QUEUE, params)

    assert tracking_numbers(response) == expected


def test_the_kecamatan_filter(api_as, people, mixed_queue):
    elsewhere = mixed_queue["elsewhere"]

    response = api_as(people.secretariat).get(QUEUE, {"kecamatan": elsewhere.kecamatan.code})

    assert tracking_numbers(response) == [elsewhere.tracking_number]


def test_a_row_has_its_status_category_agencies_and_deadline(api_as, people, mixed_queue):
    seed_holidays([2026])

    rows = api_as(people.secretariat).get(QUEUE, {"status": "all"}).json()["results"]

    by_number = {row["tracking_number"]: row for row in rows}
    late = by_number[mixed_queue["late"].tracking_number]
    assert late["status"] == {"code": "submitted", "label": "Diterima sistem"}
    assert late["category"] == {"code": "jalan", "name": "Jalan"}
    assert late["agencies"] == []
    assert late["age_days"] == 20
    assert late["deadline"]["label"] == "Batas penelaahan"
    assert late["deadline"]["due"] == mixed_queue["late"].review_due.isoformat()
    assert late["deadline"]["overdue"] is True and late["deadline"]["overdue_days"] > 0
    assert late["overdue"] is True
    assert late["assignment"] is None
    routed_row = by_number[mixed_queue["routed"].tracking_number]
    assert [a["code"] for a in routed_row["agencies"]] == ["dpupr"]
    assert routed_row["overdue"] is False


def test_agency_staff_get_their_assignments(api_as, client, people, mixed_queue):
    complaint = mixed_queue["routed"]
    expected = page_tracking_numbers(client, people.officer, {})

    response = api_as(people.officer).get(QUEUE)

    assert tracking_numbers(response) == expected == [complaint.tracking_number]
    row = response.json()["results"][0]
    assert row["assignment"]["agency"]["code"] == "dpupr"
    assert row["assignment"]["status"]["code"] == "routed"
    assert row["assignment"]["is_lead"] is True
    assert row["assignment"]["first_followup_deadline"]["overdue"] is False


def test_another_agency_has_an_empty_queue(api_as, people, mixed_queue):
    response = api_as(people.dlh_officer).get(QUEUE)

    assert response.json()["count"] == 0


def test_the_queue_is_paged(api_as, people):
    for index in range(3):
        file_complaint(people, title=f"Laporan {index}")
    api = api_as(people.secretariat)

    first = api.get(QUEUE, {"page_size": 2}).json()
    second = api.get(QUEUE, {"page_size": 2, "page": 2}).json()

    assert first["count"] == 3 and len(first["results"]) == 2 and first["next"]
    assert len(second["results"]) == 1 and second["next"] is None


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"status": "nonsense"}, "status"),
        ({"category": "tidak-ada"}, "category"),
        ({"kecamatan": "0"}, "kecamatan"),
        ({"agency": "bukan-opd"}, "agency"),
        ({"q": "x" * 101}, "q"),
        ({"overdue": "mungkin"}, "overdue"),
        ({"overdue": ""}, "overdue"),
    ],
)
def test_an_invalid_filter_is_a_400_with_its_field(api_as, people, params, field):
    response = api_as(people.secretariat).get(QUEUE, params)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"
    assert field in response.json()["error"]["fields"]


@pytest.mark.parametrize("page_size", ["null", "0", "-1", str(10**30), "1.5", "", "²"])
def test_a_bad_page_size_is_a_400(api_as, people, page_size):
    response = api_as(people.secretariat).get(QUEUE, {"page_size": page_size})

    assert response.status_code == 400


@pytest.mark.parametrize("page", [str(10**30), "99"])
def test_a_page_that_does_not_exist_is_a_404(api_as, people, page):
    file_complaint(people)

    response = api_as(people.secretariat).get(QUEUE, {"page": page})

    assert response.status_code == 404


@pytest.mark.parametrize("page", ["0", "abc"])
def test_a_page_number_that_is_not_a_whole_number_from_1_is_a_400(api_as, people, page):
    file_complaint(people)

    response = api_as(people.secretariat).get(QUEUE, {"page": page})

    assert response.status_code == 400


def test_the_queue_queries_do_not_grow_with_rows(api_as, people):
    api = api_as(people.secretariat)
    routed(people, file_complaint(people), people.pupr, people.dlh)
    api.get(QUEUE)  # the token's first use is recorded once
    with CaptureQueriesContext(connection) as few:
        api.get(QUEUE, {"status": "all"})
    for _index in range(5):
        routed(people, file_complaint(people), people.pupr, people.dlh)
    with CaptureQueriesContext(connection) as many:
        response = api.get(QUEUE, {"status": "all"})

    assert response.json()["count"] == 6
    assert len(many) == len(few)

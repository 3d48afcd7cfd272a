"""Notifications through the API: the same list /notifikasi/ shows, marked read one by one
or all at once; another person's is a 404."""

import pytest

from sikesal.core.tests.query_counts import assert_flat
from sikesal.notifications.models import Notification
from sikesal.notifications.services import notify

NOTIFICATIONS = "/api/v1/notifications/"


@pytest.fixture
def reporter_api(api_as, people):
    return api_as(people.reporter)


def tell(user, title="SKL-TEST") -> Notification:
    return notify(
        user,
        "complaint_submitted",
        context={"tracking_number": title, "title": "Jalan"},
        url="/saya/SKL-TEST/",
    )


def test_the_list_is_mine_newest_first(reporter_api, people):
    older, newer = tell(people.reporter, "SKL-AAAAAA"), tell(people.reporter, "SKL-CCCCCC")
    tell(people.other_citizen)

    response = reporter_api.get(NOTIFICATIONS)

    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [row["id"] for row in body["results"]] == [newer.pk, older.pk]
    row = body["results"][0]
    assert row["title"] == newer.title
    assert row["is_read"] is False
    assert row["url"] == "http://testserver/saya/SKL-TEST/"


def test_marking_one_read(reporter_api, people):
    notification = tell(people.reporter)

    response = reporter_api.post(f"{NOTIFICATIONS}{notification.pk}/read/")

    assert response.status_code == 200
    assert response.json()["is_read"] is True
    notification.refresh_from_db()
    assert notification.read_at is not None
    first = notification.read_at
    assert reporter_api.post(f"{NOTIFICATIONS}{notification.pk}/read/").status_code == 200
    notification.refresh_from_db()
    assert notification.read_at == first


def test_another_persons_notification_is_a_404_and_stays_unread(reporter_api, people):
    theirs = tell(people.other_citizen)

    response = reporter_api.post(f"{NOTIFICATIONS}{theirs.pk}/read/")

    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_all_read_touches_only_mine(reporter_api, people):
    tell(people.reporter)
    tell(people.reporter)
    theirs = tell(people.other_citizen)

    response = reporter_api.post(f"{NOTIFICATIONS}read-all/")

    assert response.json() == {"marked": 2}
    assert not Notification.objects.filter(recipient=people.reporter, read_at=None).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.parametrize("pk", ["0", "9" * 18, "9" * 30])
def test_an_unknown_or_huge_id_is_a_404(reporter_api, pk):
    response = reporter_api.post(f"{NOTIFICATIONS}{pk}/read/")

    assert response.status_code == 404


@pytest.mark.parametrize("page_size", ["null", "0", "-1", str(10**30)])
def test_a_bad_page_size_is_a_400(reporter_api, page_size):
    assert reporter_api.get(NOTIFICATIONS, {"page_size": page_size}).status_code == 400


def test_nobody_signed_in_reads_nothing(api, people):
    tell(people.reporter)

    assert api.get(NOTIFICATIONS).status_code == 401
    assert api.post(f"{NOTIFICATIONS}read-all/").status_code == 401


def test_the_list_does_not_grow_in_queries(reporter_api, people):
    tell(people.reporter)

    def grow() -> None:
        for _ in range(5):
            tell(people.reporter)

    assert_flat(reporter_api, NOTIFICATIONS, grow, ceiling=4)

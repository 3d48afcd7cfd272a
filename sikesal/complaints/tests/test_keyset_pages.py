"""The long lists page by keyset (sikesal/core/paging.py): every row once, in order, even
when many were filed in the same instant; back and to the end; a cursor that is not ours
gives the first page, never an error; the count stops at its limit."""

from datetime import datetime
from itertools import chain
from zoneinfo import ZoneInfo

import pytest
from django.http import QueryDict
from django.urls import reverse

from sikesal.complaints.models import Complaint
from sikesal.complaints.tests.conftest import file_complaint, routed
from sikesal.core import paging

pytestmark = pytest.mark.django_db

LIST_URL = reverse("complaints:public_list")
QUEUE_URL = reverse("staff:queue")
SAME_INSTANT = datetime(2026, 6, 1, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))


def walk(client, url: str, *, forward: bool) -> list[list[str]]:
    """Every page from one end to the other, following the links' cursors."""
    params = {} if forward else {"ujung": "akhir"}
    pages = []
    while True:
        page = client.get(url, params).context["page_obj"]
        pages.append([c.tracking_number for c in _complaints(page.object_list)])
        cursor = page.next_cursor if forward else page.previous_cursor
        if cursor is None:
            return pages if forward else pages[::-1]
        params = {"setelah": cursor} if forward else {"sebelum": cursor}


def flat(pages: list[list[str]]) -> list[str]:
    return list(chain.from_iterable(pages))


def _complaints(rows) -> list:
    return [getattr(row, "complaint", row) for row in rows]


def test_the_public_list_pages_through_ties_both_ways(client, people):
    made = [routed(people, file_complaint(people, at=SAME_INSTANT), people.pupr) for _ in range(45)]
    newest_first = [c.tracking_number for c in sorted(made, key=lambda c: -c.pk)]

    forward = walk(client, LIST_URL, forward=True)
    backward = walk(client, LIST_URL, forward=False)

    assert [len(page) for page in forward] == [20, 20, 5]
    assert flat(forward) == newest_first
    assert [len(page) for page in backward] == [5, 20, 20]
    assert flat(backward) == newest_first


def test_the_queue_pages_through_ties_both_ways(client, people):
    made = [file_complaint(people, at=SAME_INSTANT) for _ in range(30)]
    client.force_login(people.secretariat)

    forward = walk(client, QUEUE_URL, forward=True)
    backward = walk(client, QUEUE_URL, forward=False)

    assert flat(forward) == [c.tracking_number for c in made]
    assert [len(page) for page in forward] == [25, 5]
    assert flat(backward) == [c.tracking_number for c in made]


@pytest.mark.parametrize(
    "cursor",
    [
        "x",
        "!!!",
        "MjAyNi0wNi0wMXwx",
        "bm90IGEgZGF0ZXw1",
        "MjAyNi0wNi0wMVQwOTowMDowMCswNzowMHwtMQ",
        "A" * 500,
    ],
)
@pytest.mark.parametrize("parameter", ["setelah", "sebelum"])
def test_a_cursor_that_is_not_ours_gives_the_first_page(client, people, cursor, parameter):
    complaint = routed(people, file_complaint(people), people.pupr)
    client.force_login(people.secretariat)

    public = client.get(LIST_URL, {parameter: cursor})
    queue = client.get(QUEUE_URL, {"status": "all", parameter: cursor})

    assert public.status_code == queue.status_code == 200
    assert complaint.tracking_number in public.content.decode()
    assert complaint.tracking_number in queue.content.decode()


def test_the_count_stops_at_its_limit(client, people, monkeypatch):
    monkeypatch.setattr(paging, "COUNT_LIMIT", 2)
    for _ in range(3):
        routed(people, file_complaint(people), people.pupr)
    client.force_login(people.secretariat)

    public = client.get(LIST_URL).content.decode()
    queue = client.get(QUEUE_URL, {"status": "all"}).content.decode()

    assert "Lebih dari 2 pengaduan" in public
    assert "Lebih dari 2 pengaduan" in queue


def test_only_a_list_ordered_by_a_field_then_its_id_can_be_paged(people):
    for ordering in (["title"], ["submitted_at", "-pk"], ["-submitted_at", "title"]):
        with pytest.raises(ValueError, match="Keyset paging needs"):
            paging.keyset_page(Complaint.objects.order_by(*ordering), QueryDict(), size=5)

"""The lists read complaints through an index, not by scanning the table: PostgreSQL's plan
for each, over 100,000 complaints, has no sequential scan of complaints_complaint (nor of
complaints_assignment for an agency's queue).

One data set for the module, written by PostgreSQL itself (`plan_data`) and analysed; each
test asks EXPLAIN for the SQL that the very queryset a page runs compiles to.
"""

import json
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sikesal.accounts.models import User
from sikesal.agencies.models import Agency, Category, Region
from sikesal.complaints import selectors
from sikesal.complaints.deadlines import complaint_overdue, local_today
from sikesal.complaints.tests import plan_data

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the plans checked are PostgreSQL's, the production database's",
    ),
    pytest.mark.django_db,
]

COMPLAINTS = 100_000
COMPLAINT_TABLE = "complaints_complaint"
ASSIGNMENT_TABLE = "complaints_assignment"


@pytest.fixture(scope="module")
def many(django_db_setup, django_db_blocker, _reference_snapshot, _cast_snapshot) -> Iterator:
    """The reference data, the test people and 100,000 complaints, committed for the
    module and removed after it."""
    with django_db_blocker.unblock():
        _reference_snapshot.restore()
        _cast_snapshot.restore()
        plan_data.build(
            COMPLAINTS,
            reporter_id=User.objects.get(username="pelapor").pk,
            routed_by_id=User.objects.get(username="sekretariat").pk,
            category_ids=list(Category.objects.values_list("pk", flat=True)),
            kelurahan=list(
                Region.objects.filter(level=Region.Level.KELURAHAN).values_list("pk", "parent_id")
            ),
            agency_ids=list(Agency.objects.filter(is_active=True).values_list("pk", flat=True)),
            end=timezone.now(),
        )
        with connection.cursor() as cursor:
            # A common word for the search tests: one complaint in eight (every title
            # already says "Jalan berlubang nomor <n>": each number is a rare word).
            cursor.execute(
                "UPDATE complaints_complaint SET description = 'Lampu mati.' WHERE id % 8 = 0"
            )
            cursor.execute("ANALYZE complaints_complaint")
        yield
        snapshots = (_reference_snapshot, _cast_snapshot)
        tables = {table.model._meta.db_table for s in snapshots for table in s.tables}
        tables |= {COMPLAINT_TABLE, ASSIGNMENT_TABLE}
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(sorted(tables))} CASCADE")


def scanned(queryset) -> list[str]:
    """The tables the plan of `queryset` reads by sequential scan."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return sorted(
        node.get("Relation Name", "?")
        for node in _nodes(plan[0]["Plan"])
        if node["Node Type"] == "Seq Scan"
    )


def _nodes(node: dict) -> Iterator[dict]:
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def user(username: str) -> User:
    return User.objects.get(username=username)


def test_the_data_set_is_there(many):
    assert selectors.public_complaints().count() > COMPLAINTS // 2


@pytest.mark.parametrize(
    "filters",
    [{}, {"status": "open"}, {"status": "open", "overdue": True}, {"status": "all"}],
    ids=["queue", "open", "overdue", "all"],
)
def test_the_secretariats_queue_pages(many, filters):
    queue = selectors.staff_queue(user("sekretariat"), filters, today=local_today())

    assert COMPLAINT_TABLE not in scanned(queue[:25])


@pytest.mark.parametrize("filters", [{}, {"overdue": True}], ids=["queue", "overdue"])
def test_an_agency_officers_queue_page(many, filters):
    queue = selectors.staff_queue(user("petugaspupr"), filters, today=local_today())

    tables = scanned(queue[:25])
    assert COMPLAINT_TABLE not in tables
    assert ASSIGNMENT_TABLE not in tables


def test_the_overdue_count(many):
    today = local_today()
    complaints = selectors.staff_complaints(user("sekretariat")).filter(complaint_overdue(today))

    assert COMPLAINT_TABLE not in scanned(complaints.values("pk"))


@pytest.mark.parametrize("start", [0, 20, 2_000], ids=["page-1", "page-2", "page-101"])
def test_the_public_list_pages(many, start):
    complaints = selectors.public_complaint_list({})

    assert COMPLAINT_TABLE not in scanned(complaints[start : start + 20])


# --- the pages themselves: every query they run on complaints -------------------------------


def page_plans(client, url: str, params: dict | None = None) -> tuple[list[str], object]:
    """GET `url`; the tables read by sequential scan in the plans of the queries it ran on
    complaints or assignments (the count stops at its limit, so it may scan: left out)."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    tables, explained = [], 0
    for query in captured:
        sql = query["sql"]
        if "COUNT(*)" in sql or not sql.startswith("SELECT"):
            continue
        if COMPLAINT_TABLE in sql or ASSIGNMENT_TABLE in sql:
            explained += 1
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
                plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            tables += [
                node.get("Relation Name", "?")
                for node in _nodes(plan[0]["Plan"])
                if node["Node Type"] == "Seq Scan"
            ]
    assert explained, f"{url}: no query on complaints to explain"
    return tables, response


def test_the_public_list_first_next_and_oldest_pages(many, client):
    url = reverse("complaints:public_list")

    first, response = page_plans(client, url)
    following, _ = page_plans(client, url, {"setelah": response.context["page_obj"].next_cursor})
    oldest, response = page_plans(client, url, {"ujung": "akhir"})
    back, _ = page_plans(client, url, {"sebelum": response.context["page_obj"].previous_cursor})

    for tables in (first, following, oldest, back):
        assert COMPLAINT_TABLE not in tables


@pytest.mark.parametrize(
    ("who", "params"),
    [
        ("sekretariat", {}),
        ("sekretariat", {"status": "open", "overdue": "1"}),
        ("sekretariat", {"ujung": "akhir"}),
        ("petugaspupr", {}),
        ("petugaspupr", {"ujung": "akhir"}),
    ],
    ids=["queue", "overdue", "queue-newest", "officer", "officer-newest"],
)
def test_the_queue_pages(many, client, who, params):
    client.force_login(user(who))

    tables, _ = page_plans(client, reverse("staff:queue"), params)

    assert COMPLAINT_TABLE not in tables
    assert ASSIGNMENT_TABLE not in tables


def test_the_api_and_open311_lists(many, client):
    public, response = page_plans(client, reverse("api:public_complaints"))
    following, _ = page_plans(client, response.json()["next"])
    open311, _ = page_plans(client, reverse("open311:requests", kwargs={"format": "json"}))
    client.force_login(user("sekretariat"))
    staff, _ = page_plans(client, reverse("api:staff_queue"))

    for tables in (public, following, open311, staff):
        assert COMPLAINT_TABLE not in tables


@pytest.mark.parametrize(
    "params",
    [
        {"category": "jalan"},
        {"kecamatan": "15.71.04"},
        {"agency": "dpupr"},
        {"status": "closed"},
    ],
    ids=["category", "kecamatan", "agency", "status"],
)
def test_the_public_list_filtered(many, client, params):
    tables, response = page_plans(client, reverse("complaints:public_list"), params)

    assert response.context["page_obj"].object_list
    assert COMPLAINT_TABLE not in tables


@pytest.mark.parametrize(
    "params",
    [
        {"category": "jalan"},
        {"kecamatan": "15.71.04"},
        {"status": "all", "agency": "dpupr"},
        {"status": "returned"},
    ],
    ids=["category", "kecamatan", "agency", "returned"],
)
def test_the_queue_filtered(many, client, params):
    client.force_login(user("sekretariat"))

    tables, _ = page_plans(client, reverse("staff:queue"), params)

    assert COMPLAINT_TABLE not in tables


# --- the text search (complaints.search) ------------------------------------------------------

SEARCH_INDEXES = {"complaint_document_idx", "complaint_tracking_trgm_idx"}


def indexes_read(client, url: str, params: dict) -> set[str]:
    """The indexes the plans of every query `url` runs on complaints read."""
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url, params).status_code == 200
    names = set()
    for query in captured:
        if query["sql"].startswith("SELECT") and COMPLAINT_TABLE in query["sql"]:
            with connection.cursor() as cursor:
                cursor.execute(f"EXPLAIN (FORMAT JSON) {query['sql']}")
                plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            names |= {node.get("Index Name") for node in _nodes(plan[0]["Plan"])}
    return names - {None}


SEARCHES = {
    "common-word": "lampu",  # one complaint in eight
    "rare-word": "12345",  # one complaint
    "tracking-number-part": "n00012345",  # PLAN00012345
}


@pytest.mark.parametrize("q", SEARCHES.values(), ids=SEARCHES.keys())
@pytest.mark.parametrize(
    ("who", "params"),
    [
        (None, {}),
        ("sekretariat", {}),
        ("sekretariat", {"status": "all"}),
        ("petugaspupr", {}),
    ],
    ids=["public", "queue", "queue-all", "officer"],
)
def test_the_searches_read_indexes(many, client, who, params, q):
    url = reverse("complaints:public_list")
    if who:
        client.force_login(user(who))
        url = reverse("staff:queue")

    tables, _ = page_plans(client, url, {**params, "q": q})

    assert COMPLAINT_TABLE not in tables
    assert ASSIGNMENT_TABLE not in tables


@pytest.mark.parametrize(
    ("q", "index"),
    [("12345", "complaint_document_idx"), ("n00012345", "complaint_tracking_trgm_idx")],
    ids=["rare-word", "tracking-number-part"],
)
def test_a_rare_match_is_looked_up_in_the_search_indexes(many, client, q, index):
    client.force_login(user("sekretariat"))

    public = indexes_read(client, reverse("complaints:public_list"), {"q": q})
    queue = indexes_read(client, reverse("staff:queue"), {"q": q, "status": "all"})

    assert index in public
    assert index in queue

"""The figures read the tally, not the complaints (issue #13): over 100,000 complaints,
the plans of the figures' query of the monitoring page and of an agency page read neither
complaints_complaint nor complaints_assignment by sequential scan (only the complaints
changed since the last fold, through their primary key); what depends on today (overdue)
reads the open complaints through their indexes."""

import json
from collections.abc import Iterator

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sikesal.complaints import rollups
from sikesal.complaints.models import Tally
from sikesal.complaints.tests.test_query_plans import (
    ASSIGNMENT_TABLE,
    COMPLAINT_TABLE,
    COMPLAINTS,
    _nodes,
    many,  # noqa: F401 - the module fixture of 100,000 complaints
    user,
)

TALLY_TABLE = "complaints_tally"

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="the plans checked are PostgreSQL's, the production database's",
    ),
    pytest.mark.django_db,
]


@pytest.fixture(scope="module")
def folded(many, django_db_blocker) -> Iterator[None]:  # noqa: F811 - uses the imported fixture
    """The 100,000 complaints, written by bulk SQL (marked by the trigger), folded by a
    rebuild as `manage.py rebuild_rollups` does after a bulk load; the tally emptied after
    the module."""
    with django_db_blocker.unblock():
        rollups.rebuild()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE complaints_tally")
            cursor.execute("ANALYZE complaints_tallypending")
        yield
        # `many` empties the complaints with TRUNCATE, which fires no trigger.
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE complaints_tally, complaints_tallyentry, complaints_tallypending"
            )


def test_the_tally_is_smaller_than_the_complaints(folded):
    assert 0 < Tally.objects.count() < COMPLAINTS * 2


def scans(client, url: str, params: dict | None = None) -> tuple[dict[str, list[str]], object]:
    """GET `url`; per kind of query on complaints ("tally": the figures' query, "other":
    what depends on today), the tables its plans read by sequential scan."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    found: dict[str, list[str]] = {"tally": [], "other": []}
    for query in captured:
        sql = query["sql"]
        if not sql.startswith("SELECT") or COMPLAINT_TABLE not in sql:
            continue
        with connection.cursor() as cursor:
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            plan = cursor.fetchone()[0]
        plan = json.loads(plan) if isinstance(plan, str) else plan
        kind = "tally" if TALLY_TABLE in sql else "other"
        found[kind] += [
            node.get("Relation Name", "?")
            for node in _nodes(plan[0]["Plan"])
            if node["Node Type"] == "Seq Scan"
        ]
    return found, response


@pytest.mark.parametrize("params", [{}, {"agency": "dpupr"}], ids=["this-year", "dpupr"])
def test_the_monitoring_page_reads_the_tally_and_the_open_complaints_by_index(
    folded, client, params
):
    client.force_login(user("sekretariat"))

    found, response = scans(client, reverse("monitoring:dashboard"), params)

    assert response.context["figures"].total > 0
    assert not {COMPLAINT_TABLE, ASSIGNMENT_TABLE} & set(found["tally"])
    # Overdue (late now): the open complaints through their indexes; the working
    # assignments of the late ones may be read whole when there are thousands.
    assert COMPLAINT_TABLE not in found["other"]


def test_an_agency_page_reads_the_tally_alone(folded, client):
    found, response = scans(client, reverse("agencies:detail", args=["dpupr"]))

    assert response.context["figures"].received.value > 0
    assert not {COMPLAINT_TABLE, ASSIGNMENT_TABLE} & set(found["tally"])
    assert found["other"] == []

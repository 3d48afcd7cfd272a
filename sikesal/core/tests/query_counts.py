"""Query-count baselines: a page must run as many queries with more data as with little.

Used by the test_query_counts.py file of each app: `assert_flat(client, url, grow, ceiling)`.
"""

from collections.abc import Callable

from django.db import connection
from django.test.utils import CaptureQueriesContext


def queries(client, url: str) -> int:
    """How many queries GET `url` runs, a streamed body included; it must answer 200."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        if response.streaming:
            b"".join(response.streaming_content)
    assert response.status_code == 200
    return len(captured)


def assert_flat(client, url: str, grow: Callable[[], object], ceiling: int) -> None:
    """GET `url`, let `grow` add data, GET again: the same number of queries, at most
    `ceiling` (today's count plus a little headroom)."""
    client.get(url)  # the session and the per-process caches, warmed
    few = queries(client, url)
    grow()
    many = queries(client, url)
    assert many == few, f"{url}: {few} queries with little data, {many} with more"
    assert many <= ceiling, f"{url}: {many} queries, more than the baseline {ceiling}"

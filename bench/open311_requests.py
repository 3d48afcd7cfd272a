"""Benchmark: Open311 `requests.json` / `.xml` with 10, 100 and 1,000 public results: time
and queries; the queries must be the same for all three (constant in the number of results),
or it exits 1. Each size is a `start_date` at the N-th newest public complaint.

    DEBUG=true .venv/bin/python bench/open311_requests.py          # throwaway SQLite
    DATABASE_URL=postgres://…/empty_db .venv/bin/python bench/open311_requests.py
"""

import sys
import time
from datetime import timedelta

from data import complaints, setup_django

CREATED = 2500  # about half are public (routed or later, not declined)
ROUNDS = 5


def main() -> int:
    database = setup_django()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from sikesal.complaints.selectors import public_complaints

    print(f"database: {database}")
    now = timezone.now()
    complaints(CREATED, start=now - timedelta(days=80), end=now - timedelta(hours=1))
    public = public_complaints().count()
    print(f"{'public complaints in the last 90 days':<48} {public:8,}")
    client = Client(HTTP_HOST="127.0.0.1")
    newest = list(
        public_complaints()
        .filter(submitted_at__gte=now - timedelta(days=90))
        .order_by("-submitted_at")
        .values_list("submitted_at", flat=True)[:1000]
    )
    query_counts = {}
    for size in (10, 100, 1000):
        start_date = newest[min(size, len(newest)) - 1].isoformat()
        for suffix in ("json", "xml"):
            path = f"/open311/v2/requests.{suffix}"
            timings = []
            for _round in range(ROUNDS):
                with CaptureQueriesContext(connection) as queries:
                    started = time.perf_counter()
                    response = client.get(path, {"start_date": start_date})
                    timings.append(time.perf_counter() - started)
                assert response.status_code == 200, response.content[:300]
            results = response.content.count(b"<request>") or len(response.json())
            query_counts[(size, suffix)] = len(queries.captured_queries)
            print(
                f"requests.{suffix:<5} {results:6,} results  median "
                f"{sorted(timings)[ROUNDS // 2]:6.3f} s  {len(queries.captured_queries)} queries  "
                f"{len(response.content) / 1e6:.2f} MB"
            )
    constant = all(
        query_counts[(size, suffix)] == query_counts[(10, suffix)]
        for size in (100, 1000)
        for suffix in ("json", "xml")
    )
    print(f"queries constant in the number of results: {'PASS' if constant else 'FAIL'}")
    return 0 if constant else 1


if __name__ == "__main__":
    sys.exit(main())

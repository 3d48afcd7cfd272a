"""Benchmark: Open311 `requests.json` / `.xml` with 1,000 results: time and queries, and
the queries for 10 results (the same: constant in the number of results).

    DEBUG=true .venv/bin/python bench/open311_requests.py          # throwaway SQLite
    DATABASE_URL=postgres://…/empty_db .venv/bin/python bench/open311_requests.py
"""

import time
from datetime import timedelta

from data import complaints, setup_django

CREATED = 2500  # about half are public (routed or later, not declined)
ROUNDS = 5


def main() -> None:
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
    for path, params in (
        ("/open311/v2/requests.json", {}),
        ("/open311/v2/requests.xml", {}),
        ("/open311/v2/requests.json", {"start_date": (now - timedelta(hours=30)).isoformat()}),
    ):
        timings = []
        for _round in range(ROUNDS):
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                response = client.get(path, params)
                timings.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:300]
        results = response.content.count(b"<request>") or len(response.json())
        label = f"{path.rsplit('/', 1)[1]} {'(1 day)' if params else ''}"
        print(
            f"{label:<30} {results:6,} results  median {sorted(timings)[ROUNDS // 2]:6.3f} s  "
            f"{len(queries.captured_queries)} queries  {len(response.content) / 1e6:.2f} MB"
        )


if __name__ == "__main__":
    main()

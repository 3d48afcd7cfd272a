"""Query-count baselines of the recap, monitoring and report pages and downloads: the same
number of queries for two complaints (or recaps) as for twelve, and no more than today's
count plus a little headroom. A case that grows today is xfail(strict=True) with why."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from sikesal.agencies.models import Agency
from sikesal.complaints.tests.conftest import JAKARTA, People, file_complaint
from sikesal.core.tests.query_counts import assert_flat
from sikesal.reports.models import MonthlyRecap, RecapSubmission
from sikesal.reports.recap import Month
from sikesal.reports.tests.conftest import handled_by_pupr

pytestmark = pytest.mark.django_db

FEW, MANY = 2, 12
MARCH = Month(2026, 3)
MARCH_QUERY = "?start=2026-03-01&end=2026-03-31"


def march_complaints(people: People, count: int, *, offset: int = 0) -> None:
    """`count` complaints filed in March 2026: most routed to PUPR, accepted and answered
    two days later, every third one (the second first) left waiting past its deadlines in
    the Secretariat's queue; some anonymous. Two already hold every shape the pages show."""
    for index in range(offset, offset + count):
        at = datetime(2026, 3, 2 + index, 9, tzinfo=JAKARTA)
        complaint = file_complaint(people, at=at, is_anonymous=index % 4 == 3)
        if index % 3 != 1:
            handled_by_pupr(people, complaint, at=at, answered_at=at + timedelta(days=2))


def submitted_recaps(people: People, agencies: list[Agency], months: list[Month]) -> None:
    """A first version of each agency's recap of each month, as the list reads it (the
    frozen PDF itself is not part of the list, so none is rendered)."""
    for agency in agencies:
        for month in months:
            recap, _created = MonthlyRecap.objects.get_or_create(
                agency=agency, year=month.year, month=month.month
            )
            RecapSubmission.objects.create(
                recap=recap,
                version=1,
                code=f"{agency.pk:04d}{month.year:04d}{month.month:02d}",
                rows=[],
                pdf=f"recaps/{month}/{agency.code}-v1.pdf",
                sha256="0" * 64,
                submitted_by=people.head,
                submitted_at=datetime(month.next.year, month.next.month, 5, tzinfo=JAKARTA),
            )


# --- recaps --------------------------------------------------------------------------------


def test_the_secretariats_recap_list(client, people):
    agencies = list(Agency.objects.order_by("code"))
    submitted_recaps(people, agencies[:FEW], [MARCH])
    client.force_login(people.secretariat)

    assert_flat(
        client,
        reverse("reports:recaps") + "?bulan=2026-03",
        lambda: submitted_recaps(people, agencies[FEW:MANY], [MARCH]),
        9,
    )


def test_an_agency_heads_recap_list(client, people):
    months = [MARCH]
    for _index in range(MANY - 1):
        months.append(months[-1].previous)
    submitted_recaps(people, [people.pupr], months[:FEW])
    client.force_login(people.head)

    assert_flat(
        client,
        reverse("reports:recaps"),
        lambda: submitted_recaps(people, [people.pupr], months[FEW:]),
        10,
    )


@pytest.mark.parametrize(
    ("who", "download", "ceiling"),
    # The XLSX download also works out the go-live month and logs the identities it shows.
    [("head", "", 15), ("secretariat", "", 14), ("head", "?unduh=xlsx", 15)],
    ids=["head", "secretariat", "xlsx"],
)
def test_a_recap_page(client, people, who, download, ceiling):
    march_complaints(people, FEW)
    client.force_login(getattr(people, who))

    assert_flat(
        client,
        reverse("reports:recap", args=["dpupr", str(MARCH)]) + download,
        lambda: march_complaints(people, MANY - FEW, offset=FEW),
        ceiling,
    )


# --- monitoring and reports ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "ceiling"),
    [
        ("dashboard", 26),
        ("reports", 9),
        ("rows_csv", 8),
        ("rows_xlsx", 8),
        ("figures_xlsx", 18),
    ],
)
def test_monitoring_and_reports(client, people, name, ceiling):
    march_complaints(people, FEW)
    client.force_login(people.secretariat)

    assert_flat(
        client,
        reverse(f"monitoring:{name}") + MARCH_QUERY,
        lambda: march_complaints(people, MANY - FEW, offset=FEW),
        ceiling,
    )

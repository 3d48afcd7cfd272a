"""Exports hold one batch of rows at a time: the peak of Python's allocations while the
queue CSV or the report rows (CSV, XLSX) are downloaded is the same for 5,000 rows as for
200, within 30 %. Both sizes are read in batches of the same size, so that what is measured
is what the rows beyond one batch cost: nothing."""

import io
import random
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from sikesal.complaints import exports as queue_exports
from sikesal.complaints.models import Assignment, AssignmentStatus, Complaint, Status
from sikesal.complaints.tests.conftest import JAKARTA, file_complaint
from sikesal.core.tests.memory import peak_allocation, read_body
from sikesal.reports import exports as report_exports

pytestmark = pytest.mark.django_db

FEW, MANY = 200, 5000
BATCH = 100
GROWTH = 1.3
MARCH = "start=2026-03-01&end=2026-03-31"


def filed_in_march(people, count: int) -> None:
    """`count` more complaints filed in March 2026: one through the service, the others
    copied from it in bulk, half waiting for the Secretariat, half routed to PUPR (the lead)
    and DLH, with texts of realistic length."""
    template = file_complaint(people, at=datetime(2026, 3, 1, 8, tzinfo=JAKARTA))
    have = Complaint.objects.count()
    words = ["jalan", "lubang", "air", "lampu", "sampah", "drainase", "banjir", "pipa", "bocor"]
    draw = random.Random(have)
    complaints = []
    for number in range(have, have + count - 1):
        at = datetime(2026, 3, 1, 9, tzinfo=JAKARTA) + timedelta(minutes=7 * number)
        complaints.append(
            Complaint(
                tracking_number=f"M{number:07d}",
                reporter=people.reporter,
                report_type=template.report_type,
                category=template.category,
                title=" ".join(draw.choices(words, k=8)).capitalize(),
                description=" ".join(draw.choices(words, k=60)),
                kelurahan=template.kelurahan,
                kecamatan=template.kecamatan,
                status=Status.IN_PROGRESS if number % 2 else Status.SUBMITTED,
                channel=template.channel,
                submitted_at=at,
                review_due=(at + timedelta(days=5)).date(),
                decision_due=(at + timedelta(days=60)).date(),
            )
        )
    Complaint.objects.bulk_create(complaints, batch_size=500)
    routed = Complaint.objects.filter(tracking_number__startswith="M", status=Status.IN_PROGRESS)
    Assignment.objects.bulk_create(
        [
            Assignment(
                complaint_id=pk,
                agency=agency,
                is_lead=agency == people.pupr,
                status=AssignmentStatus.ACCEPTED,
                routed_at=at,
                routed_by=people.secretariat,
                followup_due=(at + timedelta(days=5)).date(),
            )
            for pk, at in routed.exclude(assignments__isnull=False).values_list(
                "pk", "submitted_at"
            )
            for agency in (people.pupr, people.dlh)
        ],
        batch_size=500,
    )


def grows(client, people, path: str, monkeypatch) -> tuple[float, int]:
    """The peak while `path` is read with FEW complaints, then with MANY: their ratio, and
    the size of the second body."""
    monkeypatch.setattr(queue_exports, "BATCH_SIZE", BATCH)
    monkeypatch.setattr(report_exports, "BATCH", BATCH)
    filed_in_march(people, FEW)
    read_body(client.get(path))  # the code paths and caches warmed
    few = peak_allocation(lambda: read_body(client.get(path)))
    filed_in_march(people, MANY - FEW)
    sizes = []
    many = peak_allocation(lambda: sizes.append(read_body(client.get(path))))
    return many / few, sizes[0]


def test_the_queue_csv_holds_one_batch(client, people, monkeypatch):
    client.force_login(people.secretariat)

    growth, size = grows(client, people, reverse("staff:queue_export") + "?status=all", monkeypatch)

    assert size > 100 * MANY  # every row was written
    assert growth <= GROWTH


def test_an_agencys_queue_csv_holds_one_batch(client, people, monkeypatch):
    client.force_login(people.officer)

    growth, size = grows(client, people, reverse("staff:queue_export"), monkeypatch)

    assert size > 100 * MANY // 2  # PUPR's half of the complaints
    assert growth <= GROWTH


def test_the_report_rows_csv_holds_one_batch(client, people, monkeypatch):
    client.force_login(people.secretariat)

    growth, size = grows(client, people, reverse("monitoring:rows_csv") + "?" + MARCH, monkeypatch)

    assert size > 100 * MANY
    assert growth <= GROWTH


def test_the_report_rows_xlsx_holds_one_batch_and_every_row(client, people, monkeypatch):
    client.force_login(people.secretariat)
    path = reverse("monitoring:rows_xlsx") + "?" + MARCH

    growth, _size = grows(client, people, path, monkeypatch)

    assert growth <= GROWTH
    response = client.get(path)
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True).active
    assert sum(1 for _row in sheet.iter_rows()) == 2 + MANY  # title, header, the complaints

"""The staff queue as CSV: the same filters and the same walls as the page, no reporter
identity ever, and no cell a spreadsheet would run as a formula."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sikesal.complaints import exports
from sikesal.complaints.tests.conftest import file_complaint
from sikesal.complaints.workflow import Route, transition

pytestmark = pytest.mark.django_db

EXPORT = reverse("staff:queue_export")


def exported(client, query: str = "") -> list[list[str]]:
    response = client.get(EXPORT + query)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="sikesal-antrean-')
    assert response.streaming
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def routed(people, complaint, agency):
    transition(complaint, "review", actor=people.secretariat)
    transition(complaint, "route", actor=people.secretariat, routes=[Route(agency, True)])
    return complaint


def test_the_secretariat_exports_its_filtered_queue(client, people):
    road = file_complaint(people, title="Jalan berlubang di Paal Merah")
    file_complaint(people, category=people.waste, title="Sampah menumpuk di pasar")
    client.force_login(people.secretariat)

    rows = exported(client, f"?category={people.road.code}")

    assert rows[0][:3] == ["Nomor pelacakan", "Diajukan", "Judul"]
    assert [row[0] for row in rows[1:]] == [road.tracking_number]
    assert rows[1][2] == "Jalan berlubang di Paal Merah"
    assert rows[1][3] == people.road.name
    page = client.get(reverse("staff:queue") + f"?category={people.road.code}")
    assert f'href="{EXPORT}?category={people.road.code}"' in page.content.decode()


def test_an_agency_exports_its_own_assignments_only_with_register_numbers(client, people):
    mine = routed(people, file_complaint(people), people.pupr)
    theirs = routed(people, file_complaint(people, category=people.waste), people.dlh)
    assignment = mine.assignments.get()
    transition(mine, "accept", actor=people.officer, assignment=assignment)
    assignment.refresh_from_db()
    client.force_login(people.officer)

    rows = exported(client)

    tracking = [row[0] for row in rows[1:]]
    assert tracking == [mine.tracking_number]
    assert theirs.tracking_number not in tracking
    assert rows[1][8] == assignment.register_number


def test_no_export_holds_a_reporters_identity(client, people):
    people.reporter.mobile = "+6281234567890"
    people.reporter.save()
    anonymous = routed(people, file_complaint(people, is_anonymous=True), people.pupr)
    named = routed(people, file_complaint(people), people.pupr)
    secrets = [people.reporter.full_name, people.reporter.email, "81234567890"]

    for user in (people.officer, people.head, people.secretariat, people.executive):
        client.force_login(user)
        text = "\n".join(",".join(row) for row in exported(client, "?status=all"))
        assert anonymous.tracking_number in text and named.tracking_number in text, user
        for secret in secrets:
            assert secret not in text, (user, secret)


def test_a_title_that_looks_like_a_formula_stays_text(client, people):
    file_complaint(people, title='=HYPERLINK("http://contoh.id","klik")')
    client.force_login(people.secretariat)

    rows = exported(client)

    assert rows[1][2] == '\'=HYPERLINK("http://contoh.id","klik")'


def test_citizens_and_visitors_cannot_export(client, people):
    file_complaint(people)
    assert client.get(EXPORT).status_code == 302  # to the login page
    client.force_login(people.reporter)
    assert client.get(EXPORT).status_code == 404


def export_queries(client, query: str = "") -> tuple[int, list[list[str]]]:
    with CaptureQueriesContext(connection) as captured:
        rows = exported(client, query)
    return len(captured), rows


def test_the_secretariats_export_is_read_in_batches_with_fixed_queries(client, people, monkeypatch):
    monkeypatch.setattr(exports, "BATCH_SIZE", 2)
    routed(people, file_complaint(people, title="Pertama"), people.pupr)
    client.force_login(people.secretariat)
    few, _rows = export_queries(client, "?status=all")
    for number in range(2, 6):
        routed(people, file_complaint(people, title=f"Ke-{number}"), people.dlh)

    many, rows = export_queries(client, "?status=all")

    assert [row[2] for row in rows[1:]] == ["Pertama", "Ke-2", "Ke-3", "Ke-4", "Ke-5"]
    assert [row[7] for row in rows[1:]] == ["PUPR", *["DLH"] * 4]
    # One query reads the rows; each further batch of two adds one, for its assignments
    # (no due date has passed, so no batch reads the holidays).
    assert many == few + 2


def test_an_agencys_export_costs_the_same_queries_however_many_rows(client, people):
    routed(people, file_complaint(people), people.pupr)
    client.force_login(people.officer)
    few, _rows = export_queries(client)
    for _number in range(5):
        routed(people, file_complaint(people), people.pupr)

    many, rows = export_queries(client)

    assert len(rows) == 7
    assert all(row[5] == "Paal Merah" for row in rows[1:])  # the kelurahan
    assert many == few

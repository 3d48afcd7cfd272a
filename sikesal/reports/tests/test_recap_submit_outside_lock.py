"""Submitting a recap makes its (slow) PDF outside any transaction, so no other writer
waits for it; a recap that changed meanwhile is made again; nothing loops without bound."""

import hashlib
import threading
from datetime import datetime

import pytest
from django.db import connection, connections, transaction
from django.urls import reverse

from sikesal.complaints.tests.conftest import JAKARTA
from sikesal.complaints.workflow import transition
from sikesal.reports import services
from sikesal.reports.models import MonthlyRecap, RecapSubmission
from sikesal.reports.tests.test_recap import accepted

pytestmark = pytest.mark.django_db

FAKE_PDF = b"%PDF-1.7 rendered by the test"


@pytest.fixture
def march(people, media_root):
    return accepted(people, at=datetime(2026, 3, 2, 9, tzinfo=JAKARTA))


def submit(client, people):
    client.force_login(people.head)
    return client.post(
        reverse("reports:recap", args=["dpupr", "2026-03"]), {"action": "submit"}, follow=True
    )


def test_the_pdf_is_made_while_no_transaction_is_open(client, people, march, monkeypatch):
    renders = []

    def renderer(recap, *, submission=None):
        # A durable block refuses to nest in any transaction the code under test opened
        # (the test's own is exempt): so no row is locked and SQLite's write lock is free.
        with transaction.atomic(durable=True):
            march.complaint.save(update_fields=["updated_at"])  # another writer gets through
        renders.append(submission.version)
        return FAKE_PDF

    monkeypatch.setattr(services, "recap_pdf", renderer)

    response = submit(client, people)

    assert response.status_code == 200
    assert renders == [1]
    submission = RecapSubmission.objects.get()
    assert submission.sha256 == hashlib.sha256(FAKE_PDF).hexdigest()
    assert submission.pdf.read() == FAKE_PDF


@pytest.mark.django_db(transaction=True)
def test_on_postgresql_a_writer_of_the_same_recap_does_not_wait_for_its_pdf(
    client, people, march, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: a second SQLite writer of the test database would wait")
    outcomes = []

    def reminder_job_writes_the_recap() -> None:
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
                MonthlyRecap.objects.update(reminders_sent=[5])
            outcomes.append("written")
        except Exception as error:
            outcomes.append(type(error).__name__)
        finally:
            connections.close_all()

    def renderer(recap, *, submission=None):
        writer = threading.Thread(target=reminder_job_writes_the_recap)
        writer.start()
        writer.join()
        return FAKE_PDF

    monkeypatch.setattr(services, "recap_pdf", renderer)

    submit(client, people)

    assert outcomes == ["written"]
    assert RecapSubmission.objects.count() == 1
    assert MonthlyRecap.objects.get().reminders_sent == [5]


def test_a_recap_answered_while_its_pdf_is_made_is_made_again(client, people, march, monkeypatch):
    renders = []

    def renderer(recap, *, submission=None):
        renders.append([row.result for row in recap.rows])
        if len(renders) == 1:
            transition(
                march.complaint,
                "respond",
                actor=people.officer,
                assignment=march,
                note="Lubang sudah ditambal.",
                now=datetime(2026, 4, 2, 9, tzinfo=JAKARTA),
            )
        return FAKE_PDF

    monkeypatch.setattr(services, "recap_pdf", renderer)

    submit(client, people)

    assert len(renders) == 2
    assert renders[1] == ["Lubang sudah ditambal."]
    assert RecapSubmission.objects.get().rows[0]["result"] == "Lubang sudah ditambal."


def test_a_recap_that_keeps_changing_is_refused_after_a_few_tries(
    client, people, march, monkeypatch
):
    renders = []

    def renderer(recap, *, submission=None):
        renders.append(submission.version)
        recap_row = services.recap_for(people.pupr, recap.month)
        recap_row.remarks = {march.register_number: f"Catatan {len(renders)}"}
        recap_row.save()
        return FAKE_PDF

    monkeypatch.setattr(services, "recap_pdf", renderer)

    response = submit(client, people)

    assert len(renders) == services.SUBMIT_ATTEMPTS
    assert "berubah selama PDF-nya dibuat" in response.content.decode()
    assert not RecapSubmission.objects.exists()


def test_a_version_submitted_meanwhile_makes_the_pdf_again_with_the_next_number(
    client, people, march, monkeypatch
):
    renders = []

    def renderer(recap, *, submission=None):
        renders.append(submission.version)
        if len(renders) == 1:  # another tab of the head submits first
            RecapSubmission.objects.create(
                recap=submission.recap,
                version=1,
                code="OTHERTAB",
                rows=[],
                pdf="recaps/other.pdf",
                sha256="0" * 64,
                submitted_by=people.head,
                submitted_at=submission.submitted_at,
            )
        return FAKE_PDF

    monkeypatch.setattr(services, "recap_pdf", renderer)

    submit(client, people)

    assert renders == [1, 2]
    assert list(RecapSubmission.objects.values_list("version", flat=True)) == [1, 2]


def test_the_verification_code_search_gives_up_after_collisions(client, people, march, monkeypatch):
    monkeypatch.setattr(services, "recap_pdf", lambda recap, *, submission=None: FAKE_PDF)
    submit(client, people)
    RecapSubmission.objects.update(code="AAAAAAAA")
    monkeypatch.setattr(services.secrets, "choice", lambda alphabet: "A")

    with pytest.raises(services.CodeSpaceExhausted, match="10 attempts"):
        submit(client, people)

    assert RecapSubmission.objects.count() == 1

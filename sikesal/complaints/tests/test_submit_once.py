"""Filing on /lapor/ is one unit of work, and sending the same form again files nothing new.

Through HTTP: a failure anywhere in the filing leaves no complaint, event, notification or
outbox row behind (the citizen is never told "failed" for a complaint that was saved);
the form's submission token makes a retry show the complaint already filed; a photo whose
row cannot be written leaves no file on disk.
"""

import threading

import pytest
from django.db import DatabaseError, connection, connections
from django.db.models.query import QuerySet
from django.test import Client

from sikesal.complaints.models import Complaint, ComplaintDraft, ComplaintEvent, ComplaintPhoto
from sikesal.complaints.tests.conftest import stored_photo
from sikesal.complaints.tests.test_citizen_pages import FILE_URL, complaint_form
from sikesal.complaints.tests.test_uploads import HTMX, UPLOAD_URL, jpeg, stored_files
from sikesal.notifications.models import Notification, OutboxMessage

CONCURRENT_POSTS = 8


def fresh_token(client) -> str:
    """The submission token of the /lapor/ form as the citizen's browser receives it."""
    response = client.get(FILE_URL)
    token = response.context["submission_token"]
    assert f'name="submission_token" value="{token}"' in response.content.decode()
    return token


def filed_url(complaint: Complaint) -> str:
    return f"{FILE_URL}?terkirim={complaint.tracking_number}"


def disk_failure(*args, **kwargs):
    raise DatabaseError("disk I/O error")


def fail_draft_deletion(monkeypatch) -> None:
    delete = QuerySet.delete

    def delete_unless_draft(queryset):
        if queryset.model is ComplaintDraft:
            disk_failure()
        return delete(queryset)

    monkeypatch.setattr(QuerySet, "delete", delete_unless_draft)


def fail_event(monkeypatch) -> None:
    monkeypatch.setattr(ComplaintEvent.objects, "create", disk_failure)


def fail_photo_attachment(monkeypatch) -> None:
    monkeypatch.setattr(ComplaintPhoto, "save", disk_failure)


def fail_outbox(monkeypatch) -> None:
    monkeypatch.setattr(OutboxMessage.objects, "bulk_create", disk_failure)


FAILURES = {
    "draft deletion": fail_draft_deletion,
    "event": fail_event,
    "photo attachment": fail_photo_attachment,
    "outbox": fail_outbox,
}


# --- one unit of work ------------------------------------------------------------------------


@pytest.mark.parametrize("failing", FAILURES)
def test_a_failure_anywhere_in_filing_leaves_nothing_and_keeps_draft_and_photo(
    reporter_client, people, monkeypatch, failing
):
    # given a saved draft, a staged photo and the form
    reporter_client.post(FILE_URL, complaint_form(people, intent="draft"))
    photo = stored_photo(people.reporter)
    token = fresh_token(reporter_client)
    form = complaint_form(people, submission_token=token, photo_ids=[photo.pk])
    FAILURES[failing](monkeypatch)
    reporter_client.raise_request_exception = False

    # when the filing fails part-way
    response = reporter_client.post(FILE_URL, form)

    # then nothing of it was written, and the citizen is not told it was
    assert response.status_code == 500
    assert Complaint.objects.count() == 0
    assert ComplaintEvent.objects.count() == 0
    assert Notification.objects.count() == 0
    assert OutboxMessage.objects.count() == 0
    assert ComplaintDraft.objects.filter(reporter=people.reporter).count() == 1
    photo.refresh_from_db()
    assert photo.complaint_id is None

    # and sending the same form again, once the fault is gone, files it once
    monkeypatch.undo()
    retry = reporter_client.post(FILE_URL, form)

    complaint = Complaint.objects.get()
    assert retry.status_code == 302
    assert retry.url == filed_url(complaint)
    assert list(complaint.photos.all()) == [photo]
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1
    assert OutboxMessage.objects.count() == 1
    assert not ComplaintDraft.objects.filter(reporter=people.reporter).exists()


# --- the submission token --------------------------------------------------------------------


def test_the_same_form_sent_twice_files_one_complaint_with_one_tracking_number(
    reporter_client, people, media_root
):
    # given a saved draft, and the form with a photo chosen in it (no JavaScript)
    reporter_client.post(FILE_URL, complaint_form(people, intent="draft"))
    token = fresh_token(reporter_client)

    # when the citizen sends it, and sends it again (a double click, a lost response)
    first = reporter_client.post(
        FILE_URL, complaint_form(people, submission_token=token, photos=jpeg())
    )
    files_after_first = sorted(stored_files(media_root))
    second = reporter_client.post(
        FILE_URL, complaint_form(people, submission_token=token, photos=jpeg())
    )

    # then both land on the same tracking number, and the second wrote nothing
    complaint = Complaint.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == filed_url(complaint)
    assert ComplaintEvent.objects.filter(complaint=complaint).count() == 1
    assert OutboxMessage.objects.count() == 1
    assert ComplaintPhoto.objects.count() == 1
    assert complaint.photos.count() == 1
    assert sorted(stored_files(media_root)) == files_after_first
    assert not ComplaintDraft.objects.filter(reporter=people.reporter).exists()


def test_each_rendering_of_the_form_has_its_own_token(reporter_client, people):
    first = fresh_token(reporter_client)
    refused = reporter_client.post(
        FILE_URL, complaint_form(people, submission_token=first, title="")
    )

    assert refused.status_code == 200
    assert len(first) == 32
    assert refused.context["submission_token"] not in ("", first)
    assert fresh_token(reporter_client) != first


def test_a_form_sent_again_after_editing_is_another_complaint_and_is_not_swallowed(
    reporter_client, people
):
    # given a complaint filed with this token (the Back button restores the page and token)
    token = fresh_token(reporter_client)
    reporter_client.post(FILE_URL, complaint_form(people, submission_token=token))
    first = Complaint.objects.get()

    # when the citizen edits the form and sends it with the same token
    edited = complaint_form(people, submission_token=token, title="Lampu jalan padam")
    response = reporter_client.post(FILE_URL, edited)

    # then they are told, with everything kept and a new token, and nothing was filed
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Formulir ini sudah terkirim sebagai pengaduan {first.tracking_number}." in page
    assert 'value="Lampu jalan padam"' in page
    assert Complaint.objects.count() == 1
    new_token = response.context["submission_token"]
    assert new_token != token

    # and sending it with the new token files the second complaint
    again = reporter_client.post(FILE_URL, {**edited, "submission_token": new_token})

    second = Complaint.objects.exclude(pk=first.pk).get()
    assert again.url == filed_url(second)
    assert second.title == "Lampu jalan padam"


def test_the_same_token_of_another_citizen_is_not_their_complaint(reporter_client, client, people):
    token = fresh_token(reporter_client)
    reporter_client.post(FILE_URL, complaint_form(people, submission_token=token))
    client.force_login(people.other_citizen)

    response = client.post(FILE_URL, complaint_form(people, submission_token=token))

    mine = Complaint.objects.get(reporter=people.other_citizen)
    assert response.url == filed_url(mine)
    assert Complaint.objects.count() == 2


def test_a_forged_overlong_token_is_refused_with_the_form_kept(reporter_client, people):
    response = reporter_client.post(FILE_URL, complaint_form(people, submission_token="x" * 65))

    assert response.status_code == 200
    assert "Formulir ini tidak dikenali; muat ulang halaman lalu kirim lagi." in (
        response.content.decode()
    )
    assert Complaint.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_concurrent_posts_of_the_same_form_file_one_complaint(people, media_root):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises every writer, so there is no race")
    # given one form, sent at the same moment from several connections
    setup = Client()
    setup.force_login(people.reporter)
    form = complaint_form(people, submission_token=fresh_token(setup))
    barrier = threading.Barrier(CONCURRENT_POSTS)
    responses, errors = [], []

    def send() -> None:
        try:
            browser = Client()
            browser.force_login(people.reporter)
            barrier.wait()
            responses.append(browser.post(FILE_URL, form))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=send) for _ in range(CONCURRENT_POSTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then every one of them lands on the one complaint filed
    complaint = Complaint.objects.get()
    assert errors == []
    assert [response.status_code for response in responses] == [302] * CONCURRENT_POSTS
    assert {response.url for response in responses} == {filed_url(complaint)}
    assert ComplaintEvent.objects.count() == 1
    assert OutboxMessage.objects.count() == 1


# --- staged photos ---------------------------------------------------------------------------


def test_a_photo_whose_row_cannot_be_written_leaves_no_file(
    reporter_client, people, media_root, monkeypatch
):
    monkeypatch.setattr(ComplaintPhoto, "save", disk_failure)
    reporter_client.raise_request_exception = False

    response = reporter_client.post(UPLOAD_URL, {"photo": jpeg()}, **HTMX)

    assert response.status_code == 500
    assert ComplaintPhoto.objects.count() == 0
    assert stored_files(media_root) == []

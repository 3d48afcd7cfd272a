"""The clock's work: breach alerts once per breach, the automatic transitions, and the
removal of photos staged on forms never sent."""

from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sikesal.complaints import jobs
from sikesal.complaints.models import ComplaintPhoto, DeadlineBreach, Status
from sikesal.complaints.tests.conftest import JAKARTA, file_complaint, stored_photo
from sikesal.complaints.tests.test_uploads import HTMX, jpeg
from sikesal.complaints.workflow import Route, transition
from sikesal.notifications.models import Notification

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 6, 1, 9, 0, tzinfo=JAKARTA)


def test_a_late_review_is_recorded_and_alerted_once(people):
    complaint = file_complaint(people, at=MONDAY)  # review due Thursday 4 June
    assert jobs.breaches_record(now=MONDAY + timedelta(days=3)).breaches == 0

    report = jobs.breaches_record(now=MONDAY + timedelta(days=4))
    assert report.breaches == 1
    breach = DeadlineBreach.objects.get()
    assert (breach.complaint, breach.kind) == (complaint, "review")
    assert (
        Notification.objects.filter(kind="deadline_breach", recipient=people.secretariat).count()
        == 1
    )

    assert jobs.breaches_record(now=MONDAY + timedelta(days=4, hours=1)).breaches == 0
    assert Notification.objects.filter(kind="deadline_breach").count() == 1


def test_a_late_first_followup_alerts_the_agency_head_not_other_agencies(people):
    complaint = file_complaint(people, at=MONDAY)
    transition(complaint, "review", actor=people.secretariat, now=MONDAY)
    transition(
        complaint, "route", actor=people.secretariat, routes=[Route(people.pupr, True)], now=MONDAY
    )
    jobs.breaches_record(now=MONDAY + timedelta(days=7))  # followup due Monday 8 June
    assert not DeadlineBreach.objects.filter(kind="first_followup").exists()

    jobs.breaches_record(now=MONDAY + timedelta(days=8))
    assert DeadlineBreach.objects.filter(kind="first_followup").count() == 1
    breach_alerts = Notification.objects.filter(kind="deadline_breach")
    assert breach_alerts.filter(recipient=people.head).count() == 1
    assert not breach_alerts.filter(recipient=people.dlh_officer).exists()
    assert not breach_alerts.filter(recipient=people.officer).exists()


def test_an_unanswered_clarification_is_declined_as_incomplete_after_30_days(people):
    complaint = file_complaint(people, at=MONDAY)
    transition(complaint, "review", actor=people.secretariat, now=MONDAY)
    transition(
        complaint, "request_clarification", actor=people.secretariat, note="Di mana?", now=MONDAY
    )
    assert jobs.auto_transitions(now=MONDAY + timedelta(days=30)).declined == 0
    assert jobs.auto_transitions(now=MONDAY + timedelta(days=31)).declined == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.DECLINED
    assert complaint.decline_reason == "incomplete"
    assert complaint.events.last().actor is None


def test_an_unrated_response_closes_after_10_working_days_then_archives(people):
    complaint = file_complaint(people, at=MONDAY)
    transition(complaint, "review", actor=people.secretariat, now=MONDAY)
    transition(
        complaint, "route", actor=people.secretariat, routes=[Route(people.pupr, True)], now=MONDAY
    )
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment, now=MONDAY)
    transition(
        complaint, "respond", actor=people.officer, assignment=assignment, note="Beres.", now=MONDAY
    )
    assert complaint.rating_due == datetime(2026, 6, 15).date()

    assert jobs.auto_transitions(now=MONDAY + timedelta(days=14)).closed == 0
    assert jobs.auto_transitions(now=MONDAY + timedelta(days=15)).closed == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED

    assert jobs.auto_transitions(now=MONDAY + timedelta(days=15 + 30)).archived == 0
    assert jobs.auto_transitions(now=MONDAY + timedelta(days=15 + 31)).archived == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.ARCHIVED


# --- photos of forms never sent ----------------------------------------------------------------


def _uploaded(user, when: datetime) -> ComplaintPhoto:
    return stored_photo(user, at=when)


def test_photos_of_forms_never_sent_go_after_a_week_with_their_files(people, media_root):
    week_old = _uploaded(people.reporter, MONDAY - timedelta(days=7, minutes=1))
    recent = _uploaded(people.reporter, MONDAY - timedelta(days=6))
    attached = _uploaded(people.reporter, MONDAY - timedelta(days=30))
    file_complaint(people, photos=[attached], at=MONDAY - timedelta(days=30))
    old_files = [media_root / week_old.image.name, media_root / week_old.thumbnail.name]
    assert all(path.exists() for path in old_files)

    assert jobs.stale_photos_delete(now=MONDAY) == 1

    assert set(ComplaintPhoto.objects.all()) == {recent, attached}
    assert not any(path.exists() for path in old_files)
    assert (media_root / attached.image.name).exists()
    assert jobs.stale_photos_delete(now=MONDAY) == 0


def test_a_pending_photo_of_a_form_never_sent_goes_with_its_received_file(
    reporter_client, people, media_root
):
    reporter_client.post(reverse("complaints:photo_upload"), {"photo": jpeg()}, **HTMX)
    photo = ComplaintPhoto.objects.get(state="pending")
    received = media_root / photo.received.name
    assert received.exists()

    later = timezone.now() + timedelta(days=settings.SIKESAL_STAGED_PHOTO_DAYS, minutes=1)
    assert jobs.stale_photos_delete(now=later) == 1

    assert ComplaintPhoto.objects.count() == 0
    assert not received.exists()

"""An anonymous complaint never reveals its reporter to agency staff: not in notifications,
not in emails; the Secretariat's look at the identity is logged."""

import pytest

from sikesal.complaints.models import IdentityAccess
from sikesal.complaints.selectors import can_see_identity
from sikesal.complaints.services import reporter_identity
from sikesal.complaints.tests.conftest import file_complaint
from sikesal.complaints.workflow import Route, transition
from sikesal.notifications.models import Notification, OutboxMessage

pytestmark = pytest.mark.django_db


def identity_strings(user) -> list[str]:
    return [user.full_name, user.username, user.email] + ([user.mobile] if user.mobile else [])


def test_agency_notifications_and_emails_of_an_anonymous_complaint_carry_no_identity(people):
    people.reporter.mobile = "+6281234567890"
    people.reporter.save()
    complaint = file_complaint(people, is_anonymous=True)
    transition(complaint, "review", actor=people.secretariat)
    transition(complaint, "route", actor=people.secretariat, routes=[Route(people.pupr, True)])
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    transition(complaint, "respond", actor=people.officer, assignment=assignment, note="Beres.")
    transition(complaint, "object", actor=people.reporter, note="Belum beres.")

    agency_staff = [people.officer, people.head]
    notifications = Notification.objects.filter(recipient__in=agency_staff)
    emails = OutboxMessage.objects.filter(notification__recipient__in=agency_staff)
    assert notifications.count() == 4  # routed and objected, to the officer and the head
    assert emails.count() == 4
    texts = [n.title + n.body for n in notifications] + [m.subject + m.body for m in emails]
    for secret in identity_strings(people.reporter):
        assert not any(secret in text for text in texts), secret


def test_who_may_see_the_identity(people):
    anonymous = file_complaint(people, is_anonymous=True)
    named = file_complaint(people)
    for complaint in (anonymous, named):
        transition(complaint, "review", actor=people.secretariat)
        transition(complaint, "route", actor=people.secretariat, routes=[Route(people.pupr, True)])

    assert can_see_identity(people.secretariat, anonymous)
    assert not can_see_identity(people.officer, anonymous)
    assert can_see_identity(people.officer, named)
    assert not can_see_identity(people.dlh_officer, named)
    assert not can_see_identity(people.executive, named)


def test_opening_the_identity_writes_one_access_row(people):
    complaint = file_complaint(people, is_anonymous=True)
    reporter = reporter_identity(
        complaint=complaint, user=people.secretariat, purpose="Konfirmasi lokasi"
    )
    assert reporter == people.reporter
    access = IdentityAccess.objects.get()
    assert (access.complaint, access.user, access.purpose) == (
        complaint,
        people.secretariat,
        "Konfirmasi lokasi",
    )

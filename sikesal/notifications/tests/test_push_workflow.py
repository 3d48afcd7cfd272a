"""What the complaint workflow pushes: to the reporter on each change they are told of, to
agency staff for a new assignment, to the Secretariat and agency heads for a deadline
passed. Changes are made through the staff pages (and the deadline sweep); the outbox's
task delivers them to a push service on 127.0.0.1."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sikesal.complaints.jobs import breaches_record
from sikesal.complaints.models import DeadlineBreach
from sikesal.complaints.tests.conftest import file_complaint
from sikesal.notifications.models import OutboxMessage
from sikesal.notifications.push import vapid_keys_generate
from sikesal.notifications.tasks import deliver_outbox
from sikesal.notifications.tests.push_support import FakePushService
from sikesal.notifications.tests.test_push import subscribe


@pytest.fixture(autouse=True)
def _vapid(settings) -> None:
    public_key, private_key = vapid_keys_generate()
    settings.SIKESAL_VAPID_PUBLIC_KEY = public_key
    settings.SIKESAL_VAPID_PRIVATE_KEY = private_key
    settings.SIKESAL_VAPID_SUBJECT = "mailto:sikesal@jambikota.go.id"


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    service = FakePushService().start()
    yield service
    service.stop()


def act(client, complaint, action: str, data: dict) -> None:
    response = client.post(reverse("staff:act", args=[complaint.tracking_number, action]), data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_a_status_change_reaches_the_reporters_phone_exactly_once(client, people, push_service):
    complaint = file_complaint(people)
    phone = subscribe(people.reporter, push_service)
    deliver_outbox.call()  # what filing queued (before the phone subscribed)
    client.force_login(people.secretariat)

    act(client, complaint, "review", {"review-note": ""})
    deliver_outbox.call()
    deliver_outbox.call()  # the sweep running again sends nothing twice

    [request] = push_service.requests
    shown = phone.decrypt(request.body)
    assert shown["title"] == f"Pengaduan {complaint.tracking_number}: Ditelaah Sekretariat"
    assert "sedang ditelaah Sekretariat Pengaduan" in shown["body"]
    assert shown["url"] == reverse("complaints:mine_detail", args=[complaint.tracking_number])
    assert OutboxMessage.objects.get(channel="push").status == OutboxMessage.Status.DELIVERED


def test_a_new_assignment_reaches_the_agency_officers_phone(client, people, push_service):
    complaint = file_complaint(people)
    officer_phone = subscribe(people.officer, push_service, "petugas")
    other_agency = subscribe(people.dlh_officer, push_service, "dlh")
    client.force_login(people.secretariat)
    act(client, complaint, "review", {"review-note": ""})

    act(
        client,
        complaint,
        "route",
        {
            "route-lead": "0",
            "route-note": "",
            "route-agencies-TOTAL_FORMS": "1",
            "route-agencies-INITIAL_FORMS": "0",
            "route-agencies-MIN_NUM_FORMS": "0",
            "route-agencies-MAX_NUM_FORMS": "10",
            "route-agencies-0-agency": people.pupr.code,
            "route-agencies-0-instructions": "Tambal lubangnya.",
        },
    )
    deliver_outbox.call()

    assert [r.path for r in push_service.requests] == ["/push/petugas"]
    shown = officer_phone.decrypt(push_service.requests[0].body)
    assert shown["title"].startswith(f"[OPD] Pengaduan {complaint.tracking_number}")
    assert "Pengaduan baru disalurkan kepada OPD Anda." in shown["body"]
    assert shown["url"] == reverse("staff:complaint", args=[complaint.tracking_number])
    assert other_agency  # subscribed, and told nothing: not their agency


def test_each_passed_deadline_reaches_the_secretariats_phone_once(people, push_service):
    complaint = file_complaint(people)
    phone = subscribe(people.secretariat, push_service, "sekretariat")
    deliver_outbox.call()

    later = timezone.now() + timedelta(days=30)
    breaches_record(now=later)
    deliver_outbox.call()
    breaches_record(now=later)  # the sweep again: every breach is already recorded
    deliver_outbox.call()

    breaches = DeadlineBreach.objects.filter(complaint=complaint)
    assert breaches.exists()
    assert len(push_service.requests) == breaches.count()
    shown = [phone.decrypt(request.body) for request in push_service.requests]
    assert {s["title"] for s in shown} == {
        f"Lewat batas waktu: pengaduan {complaint.tracking_number}"
    }
    assert len({s["tag"] for s in shown}) == breaches.count()

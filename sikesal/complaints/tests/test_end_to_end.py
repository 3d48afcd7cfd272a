"""From registration to archive, through HTTP only, as the people involved would do it.

The background jobs are the only non-HTTP step: the test runs the same sweeps the
scheduler runs, at a later time, as the clock would.
"""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sikesal.complaints import jobs
from sikesal.complaints.models import Complaint, Status
from sikesal.complaints.tests.conftest import AIRPORT
from sikesal.notifications.delivery import deliver_due

pytestmark = pytest.mark.django_db
PASSWORD = "Jambi-Tanah-Pilih-2026"


def register_and_verify(client: Client) -> None:
    response = client.post(
        reverse("accounts:register"),
        {
            "full_name": "Nur Aini",
            "username": "nuraini",
            "email": "nur@contoh.id",
            "mobile": "0852-1111-3333",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 302
    deliver_due()  # the worker sends the queued verification email
    site = re.escape(settings.SIKESAL_SITE_URL)
    link = re.search(site + r"(/verifikasi-email/\S+/)", mail.outbox[-1].body)
    assert client.get(link.group(1)).status_code in (200, 302)


def file(client: Client, people) -> Complaint:
    response = client.post(
        reverse("complaints:file"),
        {
            "report_type": "pengaduan",
            "category": people.road.pk,
            "title": "Jalan berlubang dan sampah menumpuk",
            "description": "Lubang besar di lajur kiri; sampah di pinggir jalan tidak diangkut.",
            "event_date": "",
            "latitude": str(AIRPORT[0]),
            "longitude": str(AIRPORT[1]),
            "kelurahan": "",
            "address": "Depan bandara",
            "intent": "submit",
        },
    )
    assert response.status_code == 302
    complaint = Complaint.objects.get(title="Jalan berlubang dan sampah menumpuk")
    assert complaint.tracking_number in client.get(response["Location"]).content.decode()
    return complaint


def act(client: Client, complaint: Complaint, action: str, data: dict) -> None:
    url = reverse("staff:act", args=[complaint.tracking_number, action])
    response = client.post(url, {f"{action}-{k}": v for k, v in data.items()})
    assert response.status_code == 302, response.content.decode()[:2000]


def route(client: Client, complaint: Complaint, agencies) -> None:
    data = {
        "route-lead": "0",
        "route-note": "",
        "route-agencies-TOTAL_FORMS": str(len(agencies)),
        "route-agencies-INITIAL_FORMS": "0",
        "route-agencies-MIN_NUM_FORMS": "0",
        "route-agencies-MAX_NUM_FORMS": "10",
    }
    for index, agency in enumerate(agencies):
        data[f"route-agencies-{index}-agency"] = agency.code
        data[f"route-agencies-{index}-instructions"] = "Mohon segera ditinjau."
    url = reverse("staff:act", args=[complaint.tracking_number, "route"])
    assert client.post(url, data).status_code == 302


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("agency_names", [("pupr",), ("pupr", "dlh")])
def test_registration_to_archive(people, agency_names):
    citizen = Client()
    register_and_verify(citizen)
    complaint = file(citizen, people)
    assert complaint.status == Status.SUBMITTED
    assert complaint.kelurahan.name == "Paal Merah"

    secretariat = logged_in(people.secretariat)
    act(secretariat, complaint, "review", {"note": ""})
    agencies = [getattr(people, name) for name in agency_names]
    route(secretariat, complaint, agencies)
    complaint.refresh_from_db()
    assert complaint.status == Status.ROUTED

    officers = {"pupr": people.officer, "dlh": people.dlh_officer}
    for name in agency_names:
        officer = logged_in(officers[name])
        page = officer.get(reverse("staff:complaint", args=[complaint.tracking_number]))
        assert page.status_code == 200
        act(officer, complaint, "accept", {"note": ""})
        agency = getattr(people, name)
        assignment = complaint.assignments.get(agency=agency)
        assert re.fullmatch(rf"{agency.code.upper()}/\d{{4}}/0001", assignment.register_number)
        act(officer, complaint, "respond", {"note": f"Sudah ditangani oleh {name}."})
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED

    detail = citizen.get(reverse("complaints:mine_detail", args=[complaint.tracking_number]))
    assert "Sudah ditangani oleh pupr." in detail.content.decode()
    response = citizen.post(
        reverse("complaints:mine_act", args=[complaint.tracking_number, "rate"]),
        {"rate-rating": "5", "rate-note": "Terima kasih."},
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED

    public = Client().get(reverse("complaints:public_detail", args=[complaint.tracking_number]))
    assert public.status_code == 200
    assert "Nur Aini" not in public.content.decode()

    later = timezone.now() + timedelta(days=31)
    assert jobs.auto_transitions(now=later).archived == 1
    complaint.refresh_from_db()
    assert complaint.status == Status.ARCHIVED
    actions = list(complaint.events.values_list("action", flat=True))
    assert actions == [
        "submit",
        "review",
        "route",
        *["accept", "respond"] * len(agency_names),
        "rate",
        "archive",
    ]

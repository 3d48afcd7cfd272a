"""Submitting monthly recaps: frozen versions, lateness at midnight Jakarta time, the
public check page, who may do what, and the calendar's drafts and reminders."""

import hashlib
import io
import re
from datetime import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from freezegun import freeze_time
from pypdf import PdfReader

from sikesal.accounts.models import Role
from sikesal.agencies.models import Agency
from sikesal.complaints.tests.conftest import JAKARTA, member
from sikesal.notifications.models import Notification
from sikesal.reports import jobs, services
from sikesal.reports.models import MonthlyRecap, RecapState, RecapSubmission
from sikesal.reports.recap import Month
from sikesal.reports.tests.test_recap import accepted

pytestmark = pytest.mark.django_db

MARCH = Month(2026, 3)
LAST_MINUTE = datetime(2026, 4, 10, 23, 59, 59, tzinfo=JAKARTA)
MIDNIGHT = datetime(2026, 4, 11, 0, 0, 0, tzinfo=JAKARTA)


def recap_url(agency_code: str = "dpupr", month: str = "2026-03") -> str:
    return reverse("reports:recap", args=[agency_code, month])


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


@pytest.fixture
def march_recap(people, media_root):
    people.reporter.mobile = "+6281234567890"
    people.reporter.save()
    accepted(people, at=datetime(2026, 3, 2, 9, tzinfo=JAKARTA))
    accepted(people, at=datetime(2026, 3, 9, 9, tzinfo=JAKARTA), is_anonymous=True)
    return services.recap_for(people.pupr, MARCH)


@pytest.mark.parametrize(
    ("submitted_at", "state"), [(LAST_MINUTE, RecapState.ON_TIME), (MIDNIGHT, RecapState.LATE)]
)
def test_lateness_turns_at_midnight_starting_the_11th_in_jakarta(
    people, march_recap, submitted_at, state
):
    assert march_recap.state(now=LAST_MINUTE) == RecapState.DRAFT
    assert march_recap.state(now=MIDNIGHT) == RecapState.MISSING

    services.recap_submit(march_recap, user=people.head, now=submitted_at)

    assert march_recap.state(now=datetime(2026, 5, 1, tzinfo=JAKARTA)) == state


def test_a_later_version_does_not_change_when_it_was_first_sent(people, march_recap):
    services.recap_submit(march_recap, user=people.head, now=LAST_MINUTE)
    services.recap_submit(march_recap, user=people.head, now=datetime(2026, 4, 20, tzinfo=JAKARTA))

    assert march_recap.state() == RecapState.ON_TIME
    assert list(march_recap.submissions.values_list("version", flat=True)) == [1, 2]


def test_the_head_submits_a_frozen_version_with_remarks_qr_and_hash(
    client, people, march_recap, settings
):
    settings.SIKESAL_SITE_URL = "https://sikesal.jambikota.go.id"
    client.force_login(people.head)
    register = march_recap.agency.assignments.order_by("register_seq").first().register_number

    response = client.post(
        recap_url(), {"action": "submit", f"ket-{register}": "Perlu koordinasi dengan PDAM."}
    )

    assert response.status_code == 302
    submission = RecapSubmission.objects.get()
    content = submission.pdf.read()
    assert submission.sha256 == hashlib.sha256(content).hexdigest()
    assert submission.version == 1 and submission.submitted_by == people.head
    text = pdf_text(content)
    verify_url = f"https://sikesal.jambikota.go.id/rekap/{submission.code}/"
    assert verify_url in text.replace(" ", "")  # the address may wrap in its box
    assert "versi 1" in text
    assert "Perlu koordinasi dengan PDAM." in text
    assert submission.rows[0]["register"] == register
    assert submission.rows[0]["remarks"].endswith("Perlu koordinasi dengan PDAM.")
    assert submission.rows[1]["reporter"] == "Dirahasiakan"

    # A resubmission is a new version; the first stays as it was.
    client.post(recap_url(), {"action": "submit"})
    first, second = RecapSubmission.objects.order_by("version")
    assert (first.version, second.version) == (1, 2)
    assert first.sha256 == submission.sha256
    assert first.pdf.read() == content


def test_the_public_check_page_shows_what_was_sent_but_no_rows(client, people, march_recap):
    submission = services.recap_submit(march_recap, user=people.head, now=LAST_MINUTE)

    page = client.get(reverse("reports:verify", args=[submission.code.lower()]))

    html = page.content.decode()
    assert page.status_code == 200
    for expected in (people.pupr.name, "Maret 2026", submission.sha256, submission.code):
        assert expected in html
    assert people.reporter.full_name not in html
    assert client.get(reverse("reports:verify", args=["XXXXXXXX"])).status_code == 404


def test_only_the_head_may_submit(client, people, march_recap):
    with pytest.raises(PermissionDenied):
        services.recap_submit(march_recap, user=people.officer, now=LAST_MINUTE)
    client.force_login(people.officer)
    assert client.get(recap_url()).status_code == 200
    assert client.post(recap_url(), {"action": "submit"}).status_code == 404
    assert not RecapSubmission.objects.exists()


def test_the_current_month_cannot_be_submitted_yet(client, people, media_root):
    today = datetime.now(JAKARTA)
    client.force_login(people.head)
    month = f"{today:%Y-%m}"

    response = client.post(recap_url(month=month), {"action": "submit"}, follow=True)

    assert "setelah bulan itu berakhir" in response.content.decode()
    assert not RecapSubmission.objects.exists()


@pytest.mark.parametrize(
    ("user_name", "status"),
    [("reporter", 404), ("dlh_officer", 404), ("secretariat", 200), ("executive", 200)],
)
def test_who_may_open_an_agencys_recap(client, people, march_recap, user_name, status):
    client.force_login(getattr(people, user_name))
    assert client.get(recap_url()).status_code == status


def test_the_secretariat_sees_every_agencys_state_for_a_month(client, people, march_recap):
    services.recap_submit(march_recap, user=people.head, now=MIDNIGHT)
    client.force_login(people.secretariat)

    page = client.get(reverse("reports:recaps") + "?bulan=2026-03")

    rows = {row["agency"].code: row["state"] for row in page.context["rows"]}
    assert len(rows) == Agency.objects.filter(is_active=True).count()
    assert rows["dpupr"] == RecapState.LATE
    assert rows["dlh"] == RecapState.MISSING
    assert "Dikirim terlambat" in page.content.decode()


def test_the_draft_downloads_as_pdf_and_xlsx(client, people, march_recap):
    client.force_login(people.officer)

    pdf = client.get(recap_url() + "?unduh=pdf")
    xlsx = client.get(recap_url() + "?unduh=xlsx")

    assert pdf["Content-Type"] == "application/pdf"
    assert "BULAN MARET TAHUN 2026" in pdf_text(pdf.content)
    assert xlsx.content[:2] == b"PK"


def test_drafts_appear_on_the_first_for_every_active_agency_once(people, settings):
    settings.SIKESAL_GO_LIVE_MONTH = "2026-03"  # without complaints it would be April
    with freeze_time(datetime(2026, 4, 1, 0, 30, tzinfo=JAKARTA)):
        made = jobs.recap_drafts_create()
        assert jobs.recap_drafts_create() == 0
    active = Agency.objects.filter(is_active=True).count()
    assert made == active
    assert MonthlyRecap.objects.filter(year=2026, month=3).count() == active


def test_heads_are_reminded_on_the_fifth_and_the_ninth_once_each(people, march_recap):
    dlh_head = people.dlh_officer  # any member: make them DLH's head
    dlh_head.memberships.update(role="agency_head")

    def reminders_on(day: int) -> int:
        return jobs.recap_reminders_send(now=datetime(2026, 4, day, 8, tzinfo=JAKARTA))

    assert reminders_on(4) == 0
    first = reminders_on(5)
    assert reminders_on(6) == 0
    services.recap_submit(march_recap, user=people.head, now=datetime(2026, 4, 7, tzinfo=JAKARTA))
    second = reminders_on(9)
    assert reminders_on(11) == 0

    reminded = Notification.objects.filter(kind="recap_reminder")
    assert first == 2 and second == 1  # PUPR's head sent it before the 9th
    assert set(reminded.values_list("recipient__username", flat=True)) == {
        people.head.username,
        dlh_head.username,
    }
    assert reminded.filter(recipient=people.head).count() == 1


def test_a_submitted_version_is_signed_by_the_head_who_submits_it(people, march_recap):
    """Given two head accounts at PUPR, when the second submits, then the frozen PDF carries
    the submitting head's name and NIP, not the other's."""
    deputy = member("kepalapupr2", people.pupr, Role.AGENCY_HEAD)
    deputy.full_name = "Plt. Kepala Pengganti"
    deputy.nip = "198502022010012004"
    deputy.save()

    submission = services.recap_submit(march_recap, user=people.head, now=LAST_MINUTE)

    text = pdf_text(submission.pdf.read())
    assert people.head.full_name in text
    assert "Plt. Kepala Pengganti" not in text and "198502022010012004" not in text

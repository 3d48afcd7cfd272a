"""Every view or download of a recap that shows a named reporter's identity is logged
(UU 27/2022 Pasal 31), and the page says so; a recap of anonymous reporters only is not."""

import io
from datetime import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from sikesal.complaints.models import IdentityAccess
from sikesal.complaints.tests.conftest import JAKARTA
from sikesal.reports import services
from sikesal.reports.models import RecapSubmission
from sikesal.reports.recap import Month
from sikesal.reports.tests.test_recap import accepted

pytestmark = pytest.mark.django_db

NOTE = "Akses ke identitas pelapor pada rekap ini dicatat."
URL = reverse("reports:recap", args=["dpupr", "2026-03"])


@pytest.fixture
def named(people, media_root):
    """PUPR's March 2026 recap with one named reporter."""
    people.reporter.mobile = "+6281234567890"
    people.reporter.save()
    return accepted(people, at=datetime(2026, 3, 2, 9, tzinfo=JAKARTA))


def accesses() -> list[tuple]:
    return list(
        IdentityAccess.objects.order_by("id").values_list(
            "user__username", "complaint", "agency__code", "month", "purpose"
        )
    )


def test_viewing_the_recap_page_is_logged_and_says_so(client, people, named):
    client.force_login(people.officer)

    page = client.get(URL)

    html = page.content.decode()
    assert people.reporter.full_name in html
    assert NOTE in html
    assert accesses() == [("petugaspupr", None, "dpupr", "2026-03", "Rekap DPUPR 2026-03: halaman")]


def test_each_draft_download_is_logged(client, people, named):
    client.force_login(people.secretariat)

    client.get(URL + "?unduh=pdf")
    client.get(URL + "?unduh=xlsx")
    client.get(URL + "?unduh=xlsx")

    assert [purpose for *_who, purpose in accesses()] == [
        "Rekap DPUPR 2026-03: PDF draf",
        "Rekap DPUPR 2026-03: XLSX draf",
        "Rekap DPUPR 2026-03: XLSX draf",
    ]
    assert {who for who, *_rest in accesses()} == {"sekretariat"}


def test_downloading_a_submitted_version_is_logged(client, people, named, monkeypatch):
    monkeypatch.setattr(services, "recap_pdf", lambda recap, *, submission=None: b"%PDF-1.7")
    services.recap_submit(services.recap_for(people.pupr, Month(2026, 3)), user=people.head)
    client.force_login(people.officer)

    response = client.get(reverse("reports:submission_pdf", args=["dpupr", "2026-03", 1]))

    assert response.status_code == 200
    assert RecapSubmission.objects.get().rows[0]["reporter"].startswith(people.reporter.full_name)
    assert accesses() == [
        ("petugaspupr", None, "dpupr", "2026-03", "Rekap DPUPR 2026-03: PDF versi 1")
    ]


def test_a_recap_of_anonymous_reporters_only_is_not_logged(client, people, media_root):
    accepted(people, at=datetime(2026, 3, 2, 9, tzinfo=JAKARTA), is_anonymous=True)
    client.force_login(people.officer)

    page = client.get(URL)
    client.get(URL + "?unduh=xlsx")

    assert "Dirahasiakan" in page.content.decode()
    assert NOTE not in page.content.decode()
    assert not IdentityAccess.objects.exists()


def test_the_command_logs_the_given_user_or_the_server_login(people, named, tmp_path):
    def print_recap(**options) -> None:
        output = tmp_path / "rekap.xlsx"
        call_command(
            "recap",
            agency="dpupr",
            month="2026-03",
            format="xlsx",
            output=str(output),
            stdout=io.StringIO(),
            **options,
        )

    print_recap(user="KepalaPUPR")
    print_recap()

    with_user, without = IdentityAccess.objects.order_by("id")
    assert (with_user.user, with_user.purpose) == (
        people.head,
        "Rekap DPUPR 2026-03: XLSX, manage.py recap",
    )
    assert without.user is None
    assert without.purpose.startswith("Rekap DPUPR 2026-03: XLSX, manage.py recap (login server: ")
    assert (without.agency, without.month) == (people.pupr, "2026-03")

"""Pasal 11.1 as the system knows it: officers from the staff accounts, channels SIKESAL
really offers, and the head's own edits with their history (/staf/opd/<code>/profil/)."""

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse
from freezegun import freeze_time

from sikesal.accounts.models import Role
from sikesal.agencies.models import Agency, AgencyProfileChange
from sikesal.complaints.tests.conftest import JAKARTA, make_user, member

pytestmark = pytest.mark.django_db


def profile_url(code: str = "dpupr") -> str:
    return reverse("agency_staff:profile", args=[code])


def flat(html: str) -> str:
    """The page with every run of white space as one space."""
    return " ".join(html.split())


def profile_form(**overrides) -> dict:
    data = {
        "handling_mechanism": "",
        "channels": "",
        "address": "",
        "phone": "",
        "email": "",
        "website": "",
    }
    data.update(overrides)
    return data


def test_every_agency_page_publishes_its_officers_and_only_real_channels(client: Client, people):
    """Given officer and head accounts at PUPR (one inactive), then PUPR's page names them
    with their roles, and none of the 42 pages says "Belum diumumkan" or promises an
    Android app or office intake."""
    retired = member("pensiunan", people.pupr, Role.AGENCY_OFFICER)
    retired.is_active = False
    retired.save()

    pupr = flat(client.get(people.pupr.get_absolute_url()).content.decode())
    pages = [
        client.get(agency.get_absolute_url()).content.decode() for agency in Agency.objects.all()
    ]

    assert f"<dt>Petugas OPD</dt> <dd>{people.officer.full_name}</dd>" in pupr
    assert f"<dt>Kepala/Direktur OPD</dt> <dd>{people.head.full_name}</dd>" in pupr
    assert retired.full_name not in pupr
    assert len(pages) == 42
    for page in pages:
        assert "Belum diumumkan" not in page
        assert "Android" not in page
        assert "Datang langsung ke kantor" not in page
        assert '<a href="/lapor/">Formulir pengaduan di situs web SIKESAL</a>' in page


def test_officer_names_can_be_kept_off_the_pages(client: Client, people, settings):
    settings.SIKESAL_PUBLISH_OFFICER_NAMES = False
    member("petugaspupr2", people.pupr, Role.AGENCY_OFFICER)

    html = flat(client.get(people.pupr.get_absolute_url()).content.decode())

    assert "<dt>Petugas OPD</dt> <dd>2 orang</dd>" in html
    assert "<dt>Kepala/Direktur OPD</dt> <dd>1 orang</dd>" in html
    assert people.officer.full_name not in html
    assert people.head.full_name not in html


def test_the_head_edits_the_agency_page_and_each_edit_is_kept(client: Client, people):
    """Given PUPR's head, when they change the mechanism and channels, then again the phone,
    then the page shows the new text and its last change date, and two history rows keep
    what was there before."""
    client.force_login(people.head)
    assert client.get(profile_url()).status_code == 200

    with freeze_time(datetime(2026, 11, 2, 9, tzinfo=JAKARTA)):
        first = client.post(
            profile_url(),
            profile_form(
                handling_mechanism="Pengaduan ditelaah bidang Bina Marga dalam 2 hari kerja.",
                channels="Loket pengaduan lantai 1\nWhatsApp 0811-0000-1111",
            ),
        )
    with freeze_time(datetime(2026, 11, 20, 9, tzinfo=JAKARTA)):
        client.post(
            profile_url(),
            profile_form(
                handling_mechanism="Pengaduan ditelaah bidang Bina Marga dalam 2 hari kerja.",
                channels="Loket pengaduan lantai 1\nWhatsApp 0811-0000-1111",
                phone="(0741) 111-222",
            ),
        )

    assert first.status_code == 302 and first["Location"] == people.pupr.get_absolute_url()
    html = client.get(people.pupr.get_absolute_url()).content.decode()
    assert "<p>Pengaduan ditelaah bidang Bina Marga dalam 2 hari kerja.</p>" in html
    assert "<li>WhatsApp 0811-0000-1111</li>" in html
    assert "Terakhir diubah oleh OPD ini pada 20 November 2026." in html
    changes = list(AgencyProfileChange.objects.filter(agency=people.pupr).order_by("changed_at"))
    assert [(c.changed_by, c.before, c.after) for c in changes] == [
        (
            people.head,
            {"handling_mechanism": "", "channels": ""},
            {
                "handling_mechanism": "Pengaduan ditelaah bidang Bina Marga dalam 2 hari kerja.",
                "channels": "Loket pengaduan lantai 1\nWhatsApp 0811-0000-1111",
            },
        ),
        (people.head, {"phone": ""}, {"phone": "(0741) 111-222"}),
    ]
    history = client.get(profile_url()).content.decode()
    assert "mekanisme penanganan pengaduan, sarana pengaduan lain" in history
    assert "20 November 2026 09.00" in history


def test_only_the_agencys_own_head_may_edit_it(client: Client, people):
    """Its officers, another agency's head and the Secretariat get the same 404 as for an
    agency that does not exist; nothing changes."""
    other_head = member("kepaladlh", people.dlh, Role.AGENCY_HEAD)
    for user in (people.officer, other_head, people.secretariat, make_user("warga")):
        client.force_login(user)
        assert client.get(profile_url()).status_code == 404
        assert client.post(profile_url(), profile_form(phone="1")).status_code == 404
    client.logout()
    assert client.get(profile_url()).status_code == 302  # to the login page

    people.pupr.refresh_from_db()
    assert people.pupr.phone == ""
    assert not AgencyProfileChange.objects.exists()


def test_the_public_page_links_the_head_to_the_edit_page(client: Client, people):
    client.force_login(people.head)
    assert profile_url() in client.get(people.pupr.get_absolute_url()).content.decode()
    client.force_login(people.officer)
    assert profile_url() not in client.get(people.pupr.get_absolute_url()).content.decode()

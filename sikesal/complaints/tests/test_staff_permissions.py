"""Who gets into the staff console, what each of them sees, and what they may change.

"Not yours" is the same 404 as "does not exist"; a refused action changes nothing. An
anonymous complaint's reporter is never on an agency page.
"""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from sikesal.complaints.models import (
    AssignmentStatus,
    ComplaintEvent,
    IdentityAccess,
    Status,
)
from sikesal.complaints.tests.conftest import file_complaint, routed
from sikesal.complaints.workflow import transition

pytestmark = pytest.mark.django_db

REPORTER_MOBILE = "+6281234567890"


def detail_url(complaint) -> str:
    return reverse("staff:complaint", args=[complaint.tracking_number])


def identity_url(complaint) -> str:
    return reverse("staff:identity", args=[complaint.tracking_number])


def act_url(complaint, action) -> str:
    return reverse("staff:act", args=[complaint.tracking_number, action])


def staff_pages(complaint) -> list[str]:
    return [reverse("staff:queue"), detail_url(complaint)]


def identity_strings(user) -> list[str]:
    return [user.full_name, user.email, user.mobile, user.mobile_display]


@pytest.fixture
def reporter_with_mobile(people):
    people.reporter.mobile = REPORTER_MOBILE
    people.reporter.save(update_fields=["mobile"])
    return people.reporter


# --- getting in ----------------------------------------------------------------------------


def test_a_signed_out_visitor_is_sent_to_the_login_page(client, people):
    complaint = file_complaint(people)
    login = reverse(settings.LOGIN_URL)

    for url in staff_pages(complaint):
        response = client.get(url)
        assert response.status_code == 302, url
        assert response.url.startswith(f"{login}?next="), url
    for url in (identity_url(complaint), act_url(complaint, "review")):
        response = client.post(url, {"identity-purpose": "x", "review-note": ""})
        assert response.status_code == 302, url
        assert response.url.startswith(login), url
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED
    assert not IdentityAccess.objects.exists()


@pytest.mark.parametrize("who", ["reporter", "other_citizen", "administrator"])
def test_citizens_and_administrators_without_a_staff_role_get_404(client, people, who):
    complaint = file_complaint(people)
    client.force_login(getattr(people, who))

    for url in staff_pages(complaint):
        assert client.get(url).status_code == 404, url
    assert client.post(identity_url(complaint), {"identity-purpose": "x"}).status_code == 404
    assert client.post(act_url(complaint, "review")).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED
    assert not IdentityAccess.objects.exists()


def test_the_staff_console_link_is_shown_to_staff_only(client, people):
    queue = reverse("staff:queue")
    client.force_login(people.reporter)
    assert f'href="{queue}"' not in client.get(reverse("core:home")).content.decode()

    client.force_login(people.officer)
    assert f'href="{queue}"' in client.get(reverse("core:home")).content.decode()


def test_a_wrong_method_is_refused(client, people):
    complaint = file_complaint(people)
    client.force_login(people.secretariat)

    assert client.get(act_url(complaint, "review")).status_code == 405
    assert client.get(identity_url(complaint)).status_code == 405
    assert client.post(detail_url(complaint)).status_code == 405
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED
    assert not IdentityAccess.objects.exists()


# --- agencies see only their own --------------------------------------------------------


def test_an_agency_officer_cannot_see_or_act_on_another_agencys_complaint(client, people):
    complaint = routed(people, file_complaint(people, title="Urusan PUPR saja"), people.pupr)
    events_before = complaint.events.count()
    client.force_login(people.dlh_officer)

    assert client.get(detail_url(complaint)).status_code == 404
    assert "Urusan PUPR saja" not in client.get(reverse("staff:queue")).content.decode()
    for action in ("accept", "note", "return", "respond", "update", "route", "decline"):
        response = client.post(act_url(complaint, action), {f"{action}-note": "Coba-coba"})
        assert response.status_code == 404, action
    assert client.post(identity_url(complaint), {"identity-purpose": "x"}).status_code == 404

    assignment = complaint.assignments.get()
    assert assignment.status == AssignmentStatus.ROUTED
    assert assignment.register_number == ""
    assert complaint.events.count() == events_before
    assert not IdentityAccess.objects.exists()


def test_an_agency_officer_cannot_see_a_complaint_before_it_is_routed(client, people):
    complaint = file_complaint(people)
    client.force_login(people.officer)

    assert client.get(detail_url(complaint)).status_code == 404
    assert client.post(act_url(complaint, "review")).status_code == 404
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED


def test_an_agency_officer_cannot_take_secretariat_actions(client, people):
    complaint = routed(people, file_complaint(people), people.pupr)
    client.force_login(people.officer)

    response = client.post(
        act_url(complaint, "decline"),
        {"decline-reason": "spam", "decline-note": "Bukan urusan kami."},
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.ROUTED
    assert not complaint.events.filter(action="decline").exists()


def test_on_a_shared_complaint_each_agency_acts_only_on_its_own_assignment(client, people):
    complaint = routed(people, file_complaint(people), people.pupr, people.dlh)
    pupr = complaint.assignments.get(agency=people.pupr)
    transition(complaint, "accept", actor=people.officer, assignment=pupr)
    client.force_login(people.dlh_officer)

    # DLH's own assignment is still waiting: "respond" is PUPR's to take, not DLH's.
    response = client.post(act_url(complaint, "respond"), {"respond-note": "Selesai."})

    assert response.status_code == 302
    pupr.refresh_from_db()
    assert pupr.status == AssignmentStatus.ACCEPTED
    assert pupr.response == ""
    assert complaint.assignments.get(agency=people.dlh).status == AssignmentStatus.ROUTED


def test_an_executive_reads_everything_and_can_do_nothing(client, people):
    complaint = routed(people, file_complaint(people), people.pupr)
    client.force_login(people.executive)

    queue = client.get(reverse("staff:queue") + "?status=all")
    page = client.get(detail_url(complaint))

    assert [row.complaint for row in queue.context["rows"]] == [complaint]
    assert page.status_code == 200
    assert page.context["panels"] == []
    assert "/staf/pengaduan/" + complaint.tracking_number + "/route/" not in page.content.decode()
    assert "Tampilkan identitas pelapor" not in page.content.decode()
    assert client.post(identity_url(complaint), {"identity-purpose": "x"}).status_code == 404
    response = client.post(act_url(complaint, "note"), {"note-note": "Tolong dipercepat."})
    assert response.status_code == 302
    assert not complaint.events.filter(action="note").exists()
    assert not IdentityAccess.objects.exists()


# --- the reporter's identity -------------------------------------------------------------


def agency_pages(client, complaint) -> dict[str, str]:
    """Every agency page that shows this complaint, as HTML."""
    queue = reverse("staff:queue")
    urls = [
        queue,
        f"{queue}?overdue=1",
        f"{queue}?status=open&overdue=1",
        f"{queue}?q={complaint.tracking_number}",
        detail_url(complaint),
    ]
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    response = client.get(f"{queue}?overdue=1", headers={"HX-Request": "true"})
    pages["htmx"] = response.content.decode()
    for url, html in pages.items():
        assert complaint.tracking_number in html, url
    return pages


def test_no_agency_page_reveals_an_anonymous_reporter(client, people, reporter_with_mobile):
    # Filed long ago: its decision deadline has passed, so it is on the overdue view too.
    complaint = file_complaint(people, is_anonymous=True, at=timezone.now() - timedelta(days=90))
    routed(people, complaint, people.pupr)
    client.force_login(people.officer)
    before = agency_pages(client, complaint)
    client.post(act_url(complaint, "accept"))
    client.post(act_url(complaint, "update"), {"update-note": "Dicek.", "update-public": "1"})
    client.post(act_url(complaint, "respond"), {"respond-note": "Sudah ditambal."})
    transition(complaint, "object", actor=people.reporter, note="Masih berlubang.")
    assert complaint.assignments.get().status == AssignmentStatus.ACCEPTED
    detail = client.get(detail_url(complaint)).content.decode()
    after_queue = client.get(reverse("staff:queue")).content.decode()

    for html in [*before.values(), detail, after_queue]:
        for secret in identity_strings(people.reporter):
            assert secret not in html, secret
    assert "Dirahasiakan" in detail
    assert "Tampilkan identitas pelapor" not in detail
    assert "Masih berlubang." in detail
    objection = client.get(detail_url(complaint)).context["timeline"][-1]
    assert (objection.event.action, objection.actor) == ("object", "Pelapor")
    response = client.post(identity_url(complaint), {"identity-purpose": "Konfirmasi lokasi"})
    assert response.status_code == 404
    assert client.get(identity_url(complaint)).status_code == 404
    assert not IdentityAccess.objects.exists()


def test_no_page_shows_the_identity_by_default(client, people, reporter_with_mobile):
    complaint = routed(people, file_complaint(people), people.pupr)

    for user in (people.secretariat, people.officer, people.executive):
        client.force_login(user)
        html = client.get(detail_url(complaint)).content.decode()
        for secret in identity_strings(people.reporter):
            assert secret not in html, (user, secret)
    assert not IdentityAccess.objects.exists()


def test_secretariat_opens_an_anonymous_reporters_identity_once_logged(
    client, people, reporter_with_mobile
):
    complaint = file_complaint(people, is_anonymous=True)
    client.force_login(people.secretariat)
    page = client.get(detail_url(complaint)).content.decode()
    assert "Tampilkan identitas pelapor" in page

    response = client.post(identity_url(complaint), {"identity-purpose": "Konfirmasi lokasi"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" in html  # no htmx: the whole page
    assert people.reporter.full_name in html
    assert people.reporter.email in html
    assert people.reporter.mobile_display in html
    assert "no-store" in response["Cache-Control"]
    access = IdentityAccess.objects.get()
    assert (access.complaint, access.user, access.purpose) == (
        complaint,
        people.secretariat,
        "Konfirmasi lokasi",
    )


def test_the_identity_with_htmx_is_a_fragment(client, people, reporter_with_mobile):
    complaint = file_complaint(people, is_anonymous=True)
    client.force_login(people.secretariat)

    response = client.post(
        identity_url(complaint),
        {"identity-purpose": "Menghubungi pelapor"},
        headers={"HX-Request": "true"},
    )

    html = response.content.decode()
    assert "<html" not in html
    assert 'id="reporter-identity"' in html
    assert people.reporter.full_name in html
    assert people.reporter.email in html
    assert IdentityAccess.objects.count() == 1


def test_the_identity_needs_a_purpose(client, people):
    complaint = file_complaint(people)
    client.force_login(people.secretariat)

    response = client.post(
        identity_url(complaint), {"identity-purpose": ""}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert people.reporter.full_name not in response.content.decode()
    assert "identity-purpose" in response.content.decode()
    assert not IdentityAccess.objects.exists()


def test_agency_staff_may_open_a_named_reporters_identity(client, people, reporter_with_mobile):
    complaint = routed(people, file_complaint(people), people.pupr)
    client.force_login(people.officer)
    assert "Tampilkan identitas pelapor" in client.get(detail_url(complaint)).content.decode()

    response = client.post(identity_url(complaint), {"identity-purpose": "Survei lokasi"})

    assert people.reporter.full_name in response.content.decode()
    assert IdentityAccess.objects.get().user == people.officer


def test_the_reporters_own_events_are_by_pelapor_on_staff_pages(client, people):
    complaint = file_complaint(people, is_anonymous=True)
    transition(complaint, "review", actor=people.secretariat)
    transition(complaint, "request_clarification", actor=people.secretariat, note="Di mana?")
    transition(complaint, "answer_clarification", actor=people.reporter, note="Dekat pasar.")
    client.force_login(people.secretariat)

    response = client.get(detail_url(complaint))

    by_reporter = [
        e.actor for e in response.context["timeline"] if e.event.actor_id == people.reporter.pk
    ]
    assert by_reporter == ["Pelapor", "Pelapor"]
    assert people.reporter.full_name not in response.content.decode()
    assert ComplaintEvent.objects.filter(actor=people.reporter).count() == 2

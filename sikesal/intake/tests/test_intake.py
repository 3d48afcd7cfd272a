"""Assisted intake (/staf/catat/): an officer enters a complaint on a citizen's behalf, the
citizen is texted the tracking number, and claims the complaints by registering later."""

import io
import re
from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from PIL import Image

from sikesal.accounts.models import User
from sikesal.agencies.models import Region
from sikesal.complaints.deadlines import local_today, review_due
from sikesal.complaints.models import (
    Assignment,
    AssignmentStatus,
    Complaint,
    ComplaintEvent,
    IdentityAccess,
    Status,
)
from sikesal.intake.models import LetterScan
from sikesal.notifications.delivery import deliver_due

pytestmark = pytest.mark.django_db

INTAKE_URL = reverse("staff:intake")
MOBILE = "0812-3456-7890"
MOBILE_E164 = "+6281234567890"


def kelurahan(name: str = "Telanaipura") -> Region:
    return Region.objects.get(level=Region.Level.KELURAHAN, name=name)


def intake_form(people, **overrides) -> dict:
    data = {
        "channel": "walk_in",
        "received_on": local_today().isoformat(),
        "name": "Rahmat Hidayat",
        "phone": MOBILE,
        "email": "",
        "report_type": "pengaduan",
        "category": people.road.pk,
        "title": "Jalan berlubang di depan kantor lurah",
        "description": "Lubang sedalam 20 cm sejak sebulan, sudah dua motor jatuh.",
        "event_date": "",
        "latitude": "",
        "longitude": "",
        "kelurahan": kelurahan().pk,
        "address": "Jl. Kapten Pattimura",
        "intent": "submit",
        "submission_token": "token-" + overrides.pop("token", "1"),
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def enter(client, officer, people, **overrides):
    client.force_login(officer)
    return client.post(INTAKE_URL, intake_form(people, **overrides))


def filed(response) -> Complaint:
    context = response.context or {}
    assert response.status_code == 302, context.get("form") and context["form"].errors
    tracking = response["Location"].rstrip("/").rsplit("/", 1)[-1]
    return Complaint.objects.get(tracking_number=tracking)


def pdf_bytes(size: int = 2000) -> bytes:
    return b"%PDF-1.4\n" + b"0" * size + b"\n%%EOF\n"


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 300), (120, 90, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def upload(name: str, content: bytes, content_type: str):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type=content_type)


# --- the walk-through ------------------------------------------------------------


def test_walk_ins_reach_their_queues_and_the_reporter_claims_both_by_registering(
    client, people, kecamatan, camat_officer, sms_outbox
):
    # Given a walk-in complaint entered by the Secretariat
    at_secretariat = filed(enter(client, people.secretariat, people, token="a"))
    # And one entered by Kecamatan Telanaipura's officer at its own counter, same mobile
    at_kecamatan = filed(
        enter(
            client,
            camat_officer,
            people,
            token="b",
            title="Lampu jalan mati di gang masjid",
            name="Rahmat H.",
        )
    )

    # Then both belong to one reporter without a login
    reporter = at_secretariat.reporter
    assert at_kecamatan.reporter == reporter
    assert (reporter.is_registered, reporter.mobile, reporter.is_verified) == (
        False,
        MOBILE_E164,
        False,
    )
    # And the Secretariat's waits for its review, in its queue
    assert (at_secretariat.status, at_secretariat.channel) == (Status.SUBMITTED, "walk_in")
    client.force_login(people.secretariat)
    assert at_secretariat.tracking_number in client.get(reverse("staff:queue")).content.decode()
    # And the kecamatan's went straight to the kecamatan, routed by the system
    assert at_kecamatan.status == Status.ROUTED
    assignment = Assignment.objects.get(complaint=at_kecamatan)
    assert (assignment.agency, assignment.is_lead, assignment.routed_by) == (kecamatan, True, None)
    events = list(at_kecamatan.events.values_list("action", "actor", "actor_role"))
    assert events == [
        ("submit", camat_officer.pk, "agency"),
        ("review", None, "system"),
        ("route", None, "system"),
    ]
    route = at_kecamatan.events.get(action="route")
    assert "diterima di loket OPD ini" in route.note
    client.force_login(camat_officer)
    queue = client.get(reverse("staff:queue")).content.decode()
    assert at_kecamatan.tracking_number in queue
    assert at_secretariat.tracking_number not in queue
    # And PUPR's officer sees neither
    client.force_login(people.officer)
    queue = client.get(reverse("staff:queue")).content.decode()
    assert at_kecamatan.tracking_number not in queue

    # When the outbox is delivered, the reporter gets each tracking number by SMS, in Indonesian
    deliver_due()
    texts = [m.text for m in sms_outbox if m.to == MOBILE_E164]
    assert len(texts) == 2
    for complaint, text in zip((at_secretariat, at_kecamatan), texts, strict=True):
        assert f"nomor pelacakan {complaint.tracking_number}" in text
        assert "sudah dicatat petugas" in text
        assert "/daftar/" in text

    # When they register with the same mobile and verify it with the code texted
    client.logout()
    sms_outbox.clear()
    response = client.post(
        reverse("accounts:register"),
        {
            "full_name": "Rahmat Hidayat",
            "username": "rahmat",
            "email": "rahmat@contoh.id",
            "mobile": "081234567890",
            "password1": "Sungai-Batanghari-77",
            "password2": "Sungai-Batanghari-77",
            "privacy_consent": "on",
        },
    )
    assert response.status_code == 302
    account = User.objects.get(username="rahmat")
    # (registering alone proves nothing: nothing moved yet)
    assert not Complaint.objects.filter(reporter=account).exists()
    code = re.search(r"\b(\d{6})\b", sms_outbox[-1].text).group(1)
    response = client.post(reverse("accounts:mobile_verify"), {"code": code})
    assert response.status_code == 302

    # Then /saya/ shows both
    mine = client.get(reverse("complaints:mine")).content.decode()
    assert at_secretariat.tracking_number in mine
    assert at_kecamatan.tracking_number in mine
    assert set(Complaint.objects.filter(reporter=account)) == {at_secretariat, at_kecamatan}
    # And each complaint says so in an internal event
    claims = ComplaintEvent.objects.filter(action="claim", actor=account)
    assert sorted(claims.values_list("complaint", "visibility")) == sorted(
        [(at_secretariat.pk, "internal"), (at_kecamatan.pk, "internal")]
    )
    assert all(e.data == {"from_reporter": reporter.pk, "proved": "mobile"} for e in claims)


def test_an_email_only_reporter_is_emailed_and_claims_by_verifying_the_email(client, people):
    complaint = filed(
        enter(client, people.secretariat, people, phone="", email="Sari@Contoh.id", channel="phone")
    )
    deliver_due()
    receipt = [m for m in mail.outbox if m.to == ["Sari@contoh.id"]]
    assert len(receipt) == 1
    assert receipt[0].subject == f"Pengaduan {complaint.tracking_number} sudah dicatat"
    assert complaint.tracking_number in receipt[0].body

    # A registered account proving that address takes the complaint
    from sikesal.accounts.verification import email_verification_confirm, email_verification_token

    account = User.objects.create_user(
        username="sari", email="sari@contoh.id", full_name="Sari", mobile=None
    )
    email_verification_confirm(token=email_verification_token(account))
    complaint.refresh_from_db()
    assert complaint.reporter == account


def test_a_contact_proved_by_an_account_files_straight_to_that_account(client, people):
    # people.reporter proved their email (pelapor@contoh.id)
    complaint = filed(
        enter(client, people.secretariat, people, phone="", email="pelapor@contoh.id")
    )
    assert complaint.reporter == people.reporter
    assert User.objects.filter(is_registered=False).count() == 0
    # The account's own notice carries the tracking number; no second receipt goes out
    deliver_due()
    assert [m.to for m in mail.outbox] == [["pelapor@contoh.id"]]


def test_an_unproved_account_contact_does_not_file_to_the_account(client, people):
    User.objects.filter(pk=people.other_citizen.pk).update(email_verified_at=None)
    complaint = filed(
        enter(client, people.secretariat, people, phone="", email="tetangga@contoh.id")
    )
    assert complaint.reporter != people.other_citizen
    assert complaint.reporter.is_registered is False


# --- what the officer sees ---------------------------------------------------------------


def test_the_lookup_says_whether_the_reporter_is_known_without_writing(client, people):
    client.force_login(people.secretariat)
    response = client.post(INTAKE_URL, intake_form(people, intent="lookup"))
    page = response.content.decode()
    assert "Belum dikenal: pelapor baru akan dicatat tanpa akun." in page
    assert 'value="Jalan berlubang di depan kantor lurah"' in page  # nothing typed is lost
    assert not Complaint.objects.exists() and not User.objects.filter(is_registered=False).exists()

    enter(client, people.secretariat, people)
    response = client.post(INTAKE_URL, intake_form(people, intent="lookup", token="2"))
    page = response.content.decode()
    assert "Pelapor dikenal: sudah tercatat tanpa akun" in page
    assert "Nama tercatat: Rahmat Hidayat." in page


def test_an_agency_officer_is_told_a_reporter_is_known_but_not_their_name(
    client, people, camat_officer
):
    enter(client, people.secretariat, people)
    client.force_login(camat_officer)
    page = client.post(INTAKE_URL, intake_form(people, intent="lookup")).content.decode()
    assert "Pelapor dikenal" in page
    assert "Rahmat Hidayat" not in page.split("Pelapor dikenal")[1].split("</p>")[0]


def test_the_success_message_gives_the_tracking_number_and_whether_the_reporter_was_known(
    client, people
):
    response = enter(client, people.secretariat, people)
    complaint = filed(response)
    page = client.get(response["Location"]).content.decode()
    assert f"nomor pelacakan {complaint.tracking_number}; pelapor baru." in page
    second = filed(enter(client, people.secretariat, people, token="2", title="Lain"))
    page = client.get(reverse("staff:complaint", args=[second.tracking_number])).content.decode()
    assert "pelapor sudah dikenal." in page


def test_sending_the_same_form_twice_files_once(client, people):
    first = filed(enter(client, people.secretariat, people))
    again = enter(client, people.secretariat, people)
    assert filed(again) == first
    assert Complaint.objects.count() == 1


def test_the_timeline_names_the_channel_for_everyone_and_the_officer_for_staff_only(
    client, people, camat_officer
):
    complaint = filed(enter(client, camat_officer, people, channel="phone"))
    staff_page = client.get(reverse("staff:complaint", args=[complaint.tracking_number]))
    staff_text = staff_page.content.decode()
    assert "Pengaduan diajukan melalui Telepon" in staff_text
    assert "Petugastelanaipura Uji (Kec. Telanaipura)" in staff_text

    client.logout()
    public = client.get(reverse("complaints:public_detail", args=[complaint.tracking_number]))
    text = public.content.decode()
    assert public.status_code == 200
    assert "Pengaduan diajukan melalui Telepon" in text
    assert "Kecamatan Telanaipura" in text
    assert "Petugastelanaipura" not in text


def test_the_date_received_starts_the_clocks(client, people):
    received = local_today() - timedelta(days=6)
    complaint = filed(enter(client, people.secretariat, people, received_on=received.isoformat()))
    assert complaint.submitted_at.astimezone().date() == received
    assert complaint.review_due == review_due(received)
    assert complaint.response_due == received + timedelta(days=14)
    submit = complaint.events.get(action="submit")
    assert submit.data["received_on"] == received.isoformat()
    assert submit.created_at > complaint.submitted_at  # entered today, received before


# --- hostile input -------------------------------------------------------------------------


def test_a_future_date_is_refused_and_everything_typed_comes_back(client, people):
    tomorrow = local_today() + timedelta(days=1)
    response = enter(client, people.secretariat, people, received_on=tomorrow.isoformat())
    page = response.content.decode()
    assert response.status_code == 200
    assert "Tanggal diterima tidak boleh di masa depan." in page
    assert 'value="Rahmat Hidayat"' in page
    assert 'value="Jalan berlubang di depan kantor lurah"' in page
    assert not Complaint.objects.exists()
    assert not User.objects.filter(is_registered=False).exists()


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"name": ""}, "Nama pelapor wajib diisi (Pasal 7)."),
        ({"phone": "", "email": ""}, "Email atau nomor ponsel pelapor wajib diisi (Pasal 7)."),
        ({"phone": "12"}, "Nomor ponsel pelapor tidak valid."),
        ({"email": "bukan-email"}, "Alamat email pelapor tidak valid."),
        ({"description": "x" * 4001}, "Uraian paling banyak 4000 karakter"),
        ({"channel": "web"}, "Pilih saluran pengaduan."),
        ({"received_on": "2019-01-01"}, "Tanggal diterima lebih dari setahun yang lalu"),
    ],
)
def test_bad_input_is_refused_with_a_clear_error_and_writes_nothing(
    client, people, overrides, message
):
    response = enter(client, people.secretariat, people, **overrides)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Complaint.objects.exists()
    assert not User.objects.filter(is_registered=False).exists()


def test_a_nul_byte_is_refused_before_anything_is_written(client, people):
    response = enter(client, people.secretariat, people, title="Jalan\x00rusak")
    assert response.status_code == 400
    assert not Complaint.objects.exists()


def test_a_50_mb_scan_is_refused_and_the_form_comes_back(client, people):
    scan = upload("surat.pdf", pdf_bytes(50 * 1024 * 1024), "application/pdf")
    response = enter(client, people.secretariat, people, channel="letter", letter_scan=scan)
    page = response.content.decode()
    assert "Berkas pindaian terlalu besar; paling besar 10 MB." in page
    assert 'value="Rahmat Hidayat"' in page
    assert not Complaint.objects.exists()
    assert not LetterScan.objects.exists()


def test_a_scan_that_is_not_a_pdf_or_image_is_refused(client, people):
    scan = upload("surat.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    response = enter(client, people.secretariat, people, channel="letter", letter_scan=scan)
    assert "Pindaian surat harus berkas PDF, JPEG atau PNG." in response.content.decode()
    assert not Complaint.objects.exists()


def test_a_scan_is_kept_across_a_refused_form_and_attached_once_filed(client, people):
    scan = upload("surat warga.pdf", pdf_bytes(), "application/pdf")
    response = enter(
        client, people.secretariat, people, channel="letter", letter_scan=scan, name=""
    )
    assert "Nama pelapor wajib diisi" in response.content.decode()
    staged = LetterScan.objects.get()
    assert staged.complaint is None and staged.content_type == "application/pdf"
    assert f'name="letter_scan_id" value="{staged.pk}"' in response.content.decode()

    complaint = filed(
        enter(client, people.secretariat, people, channel="letter", letter_scan_id=staged.pk)
    )
    staged.refresh_from_db()
    assert staged.complaint == complaint


def test_a_scan_is_only_for_letters(client, people):
    scan = upload("surat.pdf", pdf_bytes(), "application/pdf")
    response = enter(client, people.secretariat, people, channel="phone", letter_scan=scan)
    assert "Pindaian surat hanya untuk pengaduan melalui surat." in response.content.decode()
    assert not Complaint.objects.exists()


def test_photos_are_attached_as_on_lapor(client, people):
    photo = upload("lubang.jpg", jpeg_bytes(), "image/jpeg")
    complaint = filed(enter(client, people.secretariat, people, photos=photo))
    assert complaint.photos.count() == 1
    assert complaint.photos.get().uploaded_by == people.secretariat


# --- the letter's scan: private to those who may read the reporter's identity -------------


def test_the_letter_scan_opens_for_the_secretariat_and_is_logged(client, people):
    scan = upload("surat.pdf", pdf_bytes(), "application/pdf")
    complaint = filed(enter(client, people.secretariat, people, channel="letter", letter_scan=scan))
    stored = LetterScan.objects.get(complaint=complaint)
    page = client.get(reverse("staff:complaint", args=[complaint.tracking_number]))
    url = reverse("staff:letter_scan", args=[complaint.tracking_number, stored.pk])
    assert url in page.content.decode()

    assert client.get(url).status_code == 405  # opening it writes the log line: POST only
    response = client.post(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert IdentityAccess.objects.filter(complaint=complaint, user=people.secretariat).exists()


def test_the_letter_scan_is_hidden_from_an_agency_not_handling_it(client, people):
    scan = upload("surat.pdf", pdf_bytes(), "application/pdf")
    complaint = filed(enter(client, people.secretariat, people, channel="letter", letter_scan=scan))
    stored = LetterScan.objects.get(complaint=complaint)
    client.force_login(people.officer)
    url = reverse("staff:letter_scan", args=[complaint.tracking_number, stored.pk])
    assert client.post(url).status_code == 404
    assert not IdentityAccess.objects.exists()


# --- who may enter -------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["reporter", "executive", "administrator"])
def test_only_the_secretariat_and_agency_staff_have_the_page(client, people, who):
    client.force_login(getattr(people, who))
    assert client.get(INTAKE_URL).status_code == 404
    assert client.post(INTAKE_URL, intake_form(people)).status_code == 404
    assert not Complaint.objects.exists()


def test_a_signed_out_visitor_is_sent_to_the_login_page(client, people):
    response = client.get(INTAKE_URL)
    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_an_agency_officer_enters_only_at_their_own_agency(client, people, kecamatan):
    client.force_login(people.officer)
    page = client.get(INTAKE_URL).content.decode()
    assert f"Loket {people.pupr.name} (langsung ke antrean OPD ini)" in page
    assert "Kecamatan Telanaipura" not in page
    response = enter(client, people.officer, people, desk=str(kecamatan.pk))
    assert "Pilih tempat pengaduan diterima." in response.content.decode()
    assert not Complaint.objects.exists()
    assert not Assignment.objects.exists()

    complaint = filed(enter(client, people.officer, people, desk=str(people.pupr.pk)))
    assert complaint.assignments.get().agency == people.pupr
    assert complaint.assignments.get().status == AssignmentStatus.ROUTED


def test_the_form_needs_the_csrf_token(people):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(people.secretariat)
    assert client.post(INTAKE_URL, intake_form(people)).status_code == 403
    assert not Complaint.objects.exists()


# --- monitoring, recaps and the agency pages count the new channels -----------------------


def test_monitoring_counts_the_new_channels_with_their_names(client, people):
    enter(client, people.secretariat, people, channel="call_center_112")
    page = client.get(reverse("monitoring:dashboard")).content.decode()
    row = re.search(r"<th scope=\"row\">Call Center 112</th><td class=\"number\">(\d+)</td>", page)
    assert row and row.group(1) == "1"
    for label in ("Media sosial", "WhatsApp", "Email", "Surat", "Telepon", "Datang langsung"):
        assert f'<th scope="row">{label}</th>' in page


def test_the_agency_page_lists_its_counter_once_someone_can_enter_there(
    client, people, kecamatan, camat_officer
):
    page = client.get(reverse("agencies:detail", args=[kecamatan.code])).content.decode()
    assert "Loket Kec. Telanaipura (dicatat petugas ke SIKESAL" in page
    assert "Loket, telepon atau surat ke Sekretariat Pengaduan" in page
    other = client.get(reverse("agencies:detail", args=["kec-jambi-timur"])).content.decode()
    assert "Loket Kec. Jambi Timur" not in other


def test_the_monthly_recap_says_how_a_counter_complaint_came_in(client, people, camat_officer):
    from sikesal.complaints.workflow import transition

    complaint = filed(enter(client, camat_officer, people, channel="letter"))
    transition(complaint, "accept", actor=camat_officer, assignment=complaint.assignments.get())
    month = local_today().strftime("%Y-%m")
    page = client.get(reverse("reports:recap", args=["kec-telanaipura", month]))
    assert page.status_code == 200
    assert "Dalam proses, masuk melalui Surat" in page.content.decode()


def test_scans_of_forms_never_sent_go_after_a_week_with_their_files(client, people, media_root):
    from django.utils import timezone

    from sikesal.intake.jobs import stale_letter_scans_delete

    scan = upload("surat.pdf", pdf_bytes(), "application/pdf")
    enter(client, people.secretariat, people, channel="letter", letter_scan=scan, name="")
    staged = LetterScan.objects.get()
    attached_upload = upload("surat2.pdf", pdf_bytes(), "application/pdf")
    complaint = filed(
        enter(client, people.secretariat, people, channel="letter", letter_scan=attached_upload)
    )
    attached = LetterScan.objects.get(complaint=complaint)
    path = media_root / staged.file.name
    assert path.exists()
    later = timezone.now() + timedelta(days=6)
    assert stale_letter_scans_delete(now=later) == 0

    week_later = timezone.now() + timedelta(days=7, minutes=1)
    assert stale_letter_scans_delete(now=week_later) == 1

    assert list(LetterScan.objects.all()) == [attached]
    assert not path.exists()
    assert (media_root / attached.file.name).exists()
    assert stale_letter_scans_delete(now=week_later) == 0


def test_removing_the_scan_files_nothing_and_keeps_the_form(client, people):
    scan = upload("surat.pdf", pdf_bytes(), "application/pdf")
    enter(client, people.secretariat, people, channel="letter", letter_scan=scan, name="")
    staged = LetterScan.objects.get()
    response = enter(
        client,
        people.secretariat,
        people,
        channel="letter",
        letter_scan_id=staged.pk,
        remove_scan="1",
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'name="letter_scan_id"' not in page
    assert 'value="Jalan berlubang di depan kantor lurah"' in page
    assert not Complaint.objects.exists()

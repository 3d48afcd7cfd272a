"""The staff console (/staf/): the queues, the complaint page and the actions taken from it."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from sikesal.agencies.models import Agency, Category, Region
from sikesal.complaints.deadlines import OverdueCounter
from sikesal.complaints.models import (
    Assignment,
    AssignmentStatus,
    Complaint,
    ComplaintPhoto,
    DeclineReason,
    Referral,
    Status,
    Visibility,
)
from sikesal.complaints.services import Location
from sikesal.complaints.tests.conftest import file_complaint, routed
from sikesal.complaints.workflow import transition
from sikesal.core.calendar import local_date
from sikesal.core.holidays_seed import seed_holidays

pytestmark = pytest.mark.django_db


def queue_url(**params) -> str:
    from urllib.parse import urlencode

    url = reverse("staff:queue")
    return f"{url}?{urlencode(params)}" if params else url


def detail_url(complaint) -> str:
    return reverse("staff:complaint", args=[complaint.tracking_number])


def act_url(complaint, action) -> str:
    return reverse("staff:act", args=[complaint.tracking_number, action])


def accepted(people, complaint, officer=None):
    assignment = complaint.assignments.get(agency=people.pupr)
    transition(complaint, "accept", actor=officer or people.officer, assignment=assignment)
    assignment.refresh_from_db()
    return assignment


def route_post(agencies, *, lead=0, note="", instructions=None):
    data = {
        "route-lead": str(lead),
        "route-note": note,
        "route-agencies-TOTAL_FORMS": str(len(agencies)),
        "route-agencies-INITIAL_FORMS": "0",
        "route-agencies-MIN_NUM_FORMS": "0",
        "route-agencies-MAX_NUM_FORMS": "10",
    }
    for index, agency in enumerate(agencies):
        data[f"route-agencies-{index}-agency"] = agency.code if agency else ""
        data[f"route-agencies-{index}-instructions"] = (instructions or {}).get(index, "")
    return data


def panel(response, name):
    return next(p for p in response.context["panels"] if p.name == name)


def photo_upload(name="hasil.jpg"):
    out = io.BytesIO()
    Image.effect_noise((64, 48), 60).convert("RGB").save(out, "JPEG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/jpeg")


def other_kelurahan(complaint) -> Region:
    return (
        Region.objects.filter(level=Region.Level.KELURAHAN)
        .exclude(parent=complaint.kecamatan)
        .order_by("code")
        .first()
    )


# --- the Secretariat's work ----------------------------------------------------------------


def test_secretariat_reviews_then_routes_to_two_agencies_with_one_lead(client, people):
    complaint = file_complaint(people)
    client.force_login(people.secretariat)

    response = client.post(act_url(complaint, "review"), {"review-note": ""})

    assert response.status_code == 302
    assert response.url == detail_url(complaint)
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_REVIEW

    response = client.post(
        act_url(complaint, "route"),
        route_post(
            [people.pupr, people.dlh],
            lead=0,
            instructions={0: "Tambal lubangnya.", 1: "Angkut puing sisa galian."},
        ),
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.ROUTED
    assignments = {a.agency.code: a for a in complaint.assignments.select_related("agency")}
    assert set(assignments) == {"dpupr", "dlh"}
    assert assignments["dpupr"].is_lead is True
    assert assignments["dlh"].is_lead is False
    assert assignments["dpupr"].instructions == "Tambal lubangnya."
    assert assignments["dlh"].instructions == "Angkut puing sisa galian."
    assert assignments["dpupr"].routed_by == people.secretariat
    page = client.get(detail_url(complaint)).content.decode()
    assert "Angkut puing sisa galian." in page
    assert "Disalurkan kepada" in page


def test_route_form_preselects_the_category_agency(client, people):
    complaint = file_complaint(people)  # "jalan" → Dinas PUPR
    transition(complaint, "review", actor=people.secretariat)
    client.force_login(people.secretariat)

    response = client.get(detail_url(complaint))

    formset = panel(response, "route").formset
    assert formset.forms[0].initial == {"agency": "dpupr"}
    assert len(formset.forms) == 3
    assert '<option value="dpupr" selected>' in response.content.decode()


def test_route_form_preselects_the_kecamatan_of_the_location(client, people):
    category = Category.objects.get(code="pelayanan-kecamatan-kelurahan")
    complaint = file_complaint(people, category=category)
    transition(complaint, "review", actor=people.secretariat)
    expected = Agency.objects.get(kind=Agency.Kind.KECAMATAN, region=complaint.kecamatan)
    client.force_login(people.secretariat)

    response = client.get(detail_url(complaint))

    formset = panel(response, "route").formset
    assert formset.forms[0].initial == {"agency": expected.code}


def test_routing_without_a_lead_keeps_what_was_typed_and_changes_nothing(client, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    client.force_login(people.secretariat)
    data = route_post(
        [people.pupr, people.dlh],
        note="Catatan yang tidak boleh hilang",
        instructions={1: "Arahan DLH yang tidak boleh hilang"},
    )
    data["route-lead"] = "2"  # the empty third row: no agency leads

    data["route-agencies-TOTAL_FORMS"] = "3"
    data["route-agencies-2-agency"] = ""
    data["route-agencies-2-instructions"] = ""
    response = client.post(act_url(complaint, "route"), data)

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tandai tepat satu OPD utama." in page
    assert "Catatan yang tidak boleh hilang" in page
    assert "Arahan DLH yang tidak boleh hilang" in page
    assert '<option value="dlh" selected>' in page
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_REVIEW
    assert not complaint.assignments.exists()


def test_routing_with_no_agency_is_refused(client, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    client.force_login(people.secretariat)

    response = client.post(act_url(complaint, "route"), route_post([None]))

    assert response.status_code == 200
    assert "Pilih sedikitnya satu OPD." in response.content.decode()
    assert not complaint.assignments.exists()


def test_add_row_shows_one_more_agency_row_and_keeps_the_rows(client, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    client.force_login(people.secretariat)
    data = route_post([people.pupr, people.dlh, None])
    data["add_row"] = "1"

    response = client.post(act_url(complaint, "route"), data)

    assert response.status_code == 200
    formset = panel(response, "route").formset
    assert len(formset.forms) == 4
    assert '<option value="dlh" selected>' in response.content.decode()
    assert not complaint.assignments.exists()


def test_ask_the_citizen_a_clarification_question(client, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    client.force_login(people.secretariat)

    response = client.post(
        act_url(complaint, "request_clarification"),
        {"request_clarification-note": "Di depan nomor rumah berapa?"},
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.NEEDS_CLARIFICATION
    assert complaint.events.last().note == "Di depan nomor rumah berapa?"


def test_a_clarification_without_a_question_is_refused(client, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    client.force_login(people.secretariat)

    response = client.post(
        act_url(complaint, "request_clarification"), {"request_clarification-note": ""}
    )

    assert response.status_code == 200
    assert panel(response, "request_clarification").form.errors == {
        "note": ["Bidang ini harus diisi."]  # DRF's catalogue overrides Django's
    }
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_REVIEW


def test_decline_as_duplicate_links_the_original_by_tracking_number(client, people):
    original = file_complaint(people)
    complaint = file_complaint(people)
    client.force_login(people.secretariat)

    response = client.post(
        act_url(complaint, "decline"),
        {
            "decline-reason": DeclineReason.DUPLICATE,
            "decline-duplicate_of": original.tracking_number.lower(),
            "decline-note": "Sudah dilaporkan sebelumnya.",
        },
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.DECLINED
    assert complaint.duplicate_of == original
    assert complaint.decline_message == "Sudah dilaporkan sebelumnya."
    page = client.get(detail_url(original)).content.decode()
    assert "Pengaduan duplikat" in page
    assert complaint.tracking_number in page


def test_decline_as_duplicate_of_an_unknown_number_keeps_the_message(client, people):
    complaint = file_complaint(people)
    client.force_login(people.secretariat)

    response = client.post(
        act_url(complaint, "decline"),
        {
            "decline-reason": DeclineReason.DUPLICATE,
            "decline-duplicate_of": "SKL-XXXXXX",
            "decline-note": "Pesan yang tetap ada",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Tidak ada pengaduan dengan nomor pelacakan itu." in page
    assert "Pesan yang tetap ada" in page
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED


def test_decline_out_of_scope_needs_a_referral(client, people):
    complaint = file_complaint(people)
    client.force_login(people.secretariat)
    data = {"decline-reason": DeclineReason.OUT_OF_SCOPE, "decline-note": "Urusan PLN."}

    refused = client.post(act_url(complaint, "decline"), data)

    assert refused.status_code == 200
    assert "Pilih ke mana pelapor sebaiknya menyampaikan pengaduannya." in (
        refused.content.decode()
    )
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED

    accepted_response = client.post(
        act_url(complaint, "decline"), {**data, "decline-referral": Referral.PLN}
    )

    assert accepted_response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.DECLINED
    assert complaint.referral == Referral.PLN


def test_change_category_and_internal_note_are_marked_internal(client, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    client.force_login(people.secretariat)

    client.post(act_url(complaint, "change_category"), {"change_category-category": "sampah"})
    client.post(act_url(complaint, "note"), {"note-note": "Cek dulu ke lapangan."})

    complaint.refresh_from_db()
    assert complaint.category == people.waste
    events = list(complaint.events.order_by("pk"))
    assert [e.action for e in events[-2:]] == ["change_category", "note"]
    assert all(e.visibility == Visibility.INTERNAL for e in events[-2:])
    response = client.get(detail_url(complaint))
    internal = [e for e in response.context["timeline"] if e.internal]
    assert [e.event.action for e in internal] == ["change_category", "note"]
    assert "staff-timeline__item--internal" in response.content.decode()


def test_an_action_no_longer_allowed_gives_a_message_and_a_redirect(client, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    client.force_login(people.secretariat)

    response = client.post(act_url(complaint, "review"), follow=True)

    assert response.redirect_chain == [(detail_url(complaint), 302)]
    assert "tidak dapat dilakukan" in response.content.decode()
    assert complaint.events.filter(action="review").count() == 1


def test_an_unknown_action_is_404(client, people):
    complaint = file_complaint(people)
    client.force_login(people.secretariat)

    assert client.post(act_url(complaint, "close")).status_code == 404
    assert client.post(act_url(complaint, "hapus")).status_code == 404


# --- the agency's work -------------------------------------------------------------------


def test_accept_gives_a_register_number_shown_on_the_page(client, people):
    complaint = routed(people, file_complaint(people), people.pupr)
    client.force_login(people.officer)

    response = client.post(act_url(complaint, "accept"), {"accept-note": ""}, follow=True)

    assignment = complaint.assignments.get()
    year = local_date(timezone.now()).year
    assert assignment.status == AssignmentStatus.ACCEPTED
    assert assignment.register_number == f"DPUPR/{year}/0001"
    assert assignment.received_by == people.officer
    page = response.content.decode()
    assert f"nomor register DPUPR/{year}/0001" in page  # the message
    assert '<strong class="staff-register">DPUPR/' in page
    assert people.officer.full_name in page  # PETUGAS PENERIMA
    queue_page = client.get(queue_url()).content.decode()
    assert f"DPUPR/{year}/0001" in queue_page


def test_progress_update_internal_with_a_photo(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    complaint = routed(people, file_complaint(people), people.pupr)
    accepted(people, complaint)
    client.force_login(people.officer)

    response = client.post(
        act_url(complaint, "update"),
        {
            "update-note": "Material sudah dipesan.",
            "update-public": "0",
            "update-photos": [photo_upload()],
        },
    )

    assert response.status_code == 302
    event = complaint.events.get(action="update")
    assert event.visibility == Visibility.INTERNAL
    assert event.photos.count() == 1
    assignment = complaint.assignments.get()
    assert assignment.first_followup_at is None  # an internal update is no follow-up


def test_an_update_with_an_error_keeps_its_uploaded_photo(client, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    complaint = routed(people, file_complaint(people), people.pupr)
    accepted(people, complaint)
    client.force_login(people.officer)

    refused = client.post(
        act_url(complaint, "update"),
        {"update-note": "", "update-public": "1", "update-photos": [photo_upload()]},
    )

    assert refused.status_code == 200
    staged = ComplaintPhoto.objects.get(complaint__isnull=True)
    assert f'name="update-photo_ids" value="{staged.pk}"' in refused.content.decode()

    client.post(
        act_url(complaint, "update"),
        {"update-note": "Sudah ditambal.", "update-public": "1", "update-photo_ids": staged.pk},
    )

    staged.refresh_from_db()
    assert staged.complaint == complaint
    assert staged.event.action == "update"
    assert complaint.assignments.get().first_followup_at is not None


def test_return_needs_a_reason_and_puts_the_complaint_back_in_the_queue(client, people):
    complaint = routed(people, file_complaint(people), people.pupr)
    client.force_login(people.officer)

    refused = client.post(act_url(complaint, "return"), {"return-note": ""})

    assert refused.status_code == 200
    assert panel(refused, "return").open
    assert panel(refused, "return").form.errors["note"]
    assert complaint.assignments.get().status == AssignmentStatus.ROUTED

    response = client.post(
        act_url(complaint, "return"), {"return-note": "Jalan provinsi, bukan jalan kota."}
    )

    assert response.status_code == 302
    assert response.url == reverse("staff:queue")  # the agency no longer sees it
    assignment = complaint.assignments.get()
    assert assignment.status == AssignmentStatus.RETURNED
    assert assignment.return_reason == "Jalan provinsi, bukan jalan kota."
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_REVIEW
    assert client.get(detail_url(complaint)).status_code == 404

    client.force_login(people.secretariat)
    queue = client.get(queue_url(status="returned"))
    assert [row.complaint for row in queue.context["rows"]] == [complaint]
    assert "Dikembalikan OPD" in queue.content.decode()
    page = client.get(detail_url(complaint)).content.decode()
    assert "Jalan provinsi, bukan jalan kota." in page


def test_respond_gives_the_final_response(client, people):
    complaint = routed(people, file_complaint(people), people.pupr)
    accepted(people, complaint)
    client.force_login(people.officer)

    response = client.post(
        act_url(complaint, "respond"),
        {"respond-note": "Lubang sudah ditambal pada 3 Juni."},
        follow=True,
    )

    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED
    assignment = complaint.assignments.get()
    assert assignment.status == AssignmentStatus.RESPONDED
    assert assignment.response == "Lubang sudah ditambal pada 3 Juni."
    assert assignment.responded_by == people.officer
    assert "Lubang sudah ditambal pada 3 Juni." in response.content.decode()


def test_agency_officer_acts_on_their_own_assignment_of_a_shared_complaint(client, people):
    complaint = routed(people, file_complaint(people), people.pupr, people.dlh)
    client.force_login(people.dlh_officer)

    response = client.get(detail_url(complaint))
    assert response.context["my_assignment"].agency == people.dlh
    assert [p.name for p in response.context["panels"]] == ["note", "accept", "return"]

    client.post(act_url(complaint, "accept"))

    states = dict(complaint.assignments.values_list("agency__code", "status"))
    assert states == {"dpupr": AssignmentStatus.ROUTED, "dlh": AssignmentStatus.ACCEPTED}


# --- the complaint page ------------------------------------------------------------------


def test_complaint_page_shows_timeline_with_pelapor_deadlines_and_assignments(client, people):
    complaint = routed(people, file_complaint(people), people.pupr)
    client.force_login(people.secretariat)

    response = client.get(detail_url(complaint))

    assert response.status_code == 200
    timeline = response.context["timeline"]
    assert [e.event.action for e in timeline] == ["submit", "review", "route"]
    assert timeline[0].actor == "Pelapor"
    assert people.secretariat.full_name in timeline[1].actor
    page = response.content.decode()
    assert "Batas penyelesaian" in page
    assert "Dinas Pekerjaan Umum" in page or people.pupr.name in page
    assert "Menunggu diterima" in page


def test_secretariat_sees_all_the_actions_before_routing(client, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    client.force_login(people.secretariat)

    response = client.get(detail_url(complaint))

    assert [p.name for p in response.context["panels"]] == [
        "request_clarification",
        "decline",
        "route",
        "change_category",
        "note",
    ]


def test_overdue_clock_shows_a_red_badge_with_working_days(client, people):
    seed_holidays([2026])
    filed = timezone.now() - timedelta(days=30)
    complaint = file_complaint(people, at=filed)
    client.force_login(people.secretariat)

    response = client.get(detail_url(complaint))

    page = response.content.decode()
    assert "staff-badge--overdue" in page
    review = next(c for c in response.context["clocks"] if c.due == complaint.review_due)
    from sikesal.complaints.deadlines import overdue_days

    assert review.overdue_days == overdue_days(complaint.review_due, local_date(timezone.now()))
    assert f"lewat {review.overdue_days} hari kerja" in page


def test_overdue_counter_agrees_with_deadlines_overdue_days(people):
    from datetime import date

    from sikesal.complaints.deadlines import overdue_days

    seed_holidays([2026])
    today = date(2026, 4, 2)
    dues = [date(2026, 3, d) for d in (13, 16, 17, 20, 27, 31)] + [today, date(2026, 4, 9)]
    counter = OverdueCounter(dues, today)

    for due in dues:
        assert counter.clock("x", due).overdue_days == overdue_days(due, today), due


# --- the queue ---------------------------------------------------------------------------


def test_secretariat_queue_lists_new_review_clarification_and_returned(client, people):
    new = file_complaint(people, title="Baru")
    in_review = file_complaint(people, title="Ditelaah")
    transition(in_review, "review", actor=people.secretariat)
    waiting = file_complaint(people, title="Menunggu")
    transition(waiting, "review", actor=people.secretariat)
    transition(waiting, "request_clarification", actor=people.secretariat, note="Di mana?")
    returned = routed(people, file_complaint(people, title="Kembali"), people.pupr)
    transition(
        returned,
        "return",
        actor=people.officer,
        assignment=returned.assignments.get(),
        note="Bukan kami.",
    )
    routed(people, file_complaint(people, title="Sudah disalurkan"), people.pupr)
    client.force_login(people.secretariat)

    response = client.get(queue_url())

    rows = response.context["rows"]
    assert [r.complaint for r in rows] == [new, in_review, waiting, returned]
    assert [r.returned for r in rows] == [False, False, False, True]
    page = response.content.decode()
    assert "<html" in page
    for row in rows:
        assert row.complaint.tracking_number in page


@pytest.fixture
def mixed_queue(people):
    """Complaints differing in one filter each, all in the Secretariat's queue."""
    road = file_complaint(people, title="Jalan rusak parah")
    waste = file_complaint(people, title="Sampah menumpuk", category=people.waste)
    elsewhere = file_complaint(
        people,
        title="Jalan di kecamatan lain",
        location=Location(latitude=None, longitude=None, kelurahan=other_kelurahan(road)),
    )
    late = file_complaint(people, title="Laporan lama", at=timezone.now() - timedelta(days=20))
    transition(waste, "review", actor=people.secretariat)
    return {"road": road, "waste": waste, "elsewhere": elsewhere, "late": late}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"status": "in_review"}, ["waste"]),
        ({"status": "submitted"}, ["late", "road", "elsewhere"]),
        ({"category": "sampah"}, ["waste"]),
        ({"q": "menumpuk"}, ["waste"]),
        ({"overdue": "1"}, ["late"]),
        ({"status": "open", "overdue": "on"}, ["late"]),
    ],
)
def test_queue_filters(client, people, mixed_queue, params, expected):
    client.force_login(people.secretariat)

    response = client.get(queue_url(**params))

    assert [r.complaint for r in response.context["rows"]] == [mixed_queue[k] for k in expected]


def test_queue_filter_by_kecamatan(client, people, mixed_queue):
    client.force_login(people.secretariat)
    elsewhere = mixed_queue["elsewhere"]

    response = client.get(queue_url(kecamatan=elsewhere.kecamatan.code))

    assert [r.complaint for r in response.context["rows"]] == [elsewhere]


def test_queue_filter_by_tracking_number(client, people, mixed_queue):
    client.force_login(people.secretariat)
    road = mixed_queue["road"]

    response = client.get(queue_url(q=road.tracking_number.lower()))

    assert [r.complaint for r in response.context["rows"]] == [road]


def test_queue_filter_by_agency_over_all_statuses(client, people, mixed_queue):
    routed(people, mixed_queue["road"], people.pupr)
    client.force_login(people.secretariat)

    response = client.get(queue_url(status="all", agency="dpupr"))

    assert [r.complaint for r in response.context["rows"]] == [mixed_queue["road"]]
    assert "Dinas PUPR" in response.content.decode() or people.pupr.short_name in (
        response.content.decode()
    )


def test_overdue_row_shows_the_red_badge(client, people, mixed_queue):
    client.force_login(people.secretariat)

    response = client.get(queue_url(overdue="1"))

    row = response.context["rows"][0]
    assert row.clock.overdue
    assert row.age_days == 20
    assert "staff-badge--overdue" in response.content.decode()
    assert response.context["overdue_total"] == 1


def test_htmx_filter_returns_only_the_table(client, people, mixed_queue):
    client.force_login(people.secretariat)

    response = client.get(queue_url(category="sampah"), headers={"HX-Request": "true"})

    page = response.content.decode()
    assert "<html" not in page
    assert 'class="staff-table staff-queue"' in page
    assert mixed_queue["waste"].tracking_number in page
    assert mixed_queue["road"].tracking_number not in page
    assert 'hx-swap-oob="true"' in page
    assert "HX-Request" in response["Vary"]


def test_queue_is_paginated_by_25(client, people):
    for index in range(27):
        file_complaint(people, title=f"Pengaduan {index}")
    client.force_login(people.secretariat)

    first = client.get(queue_url())
    following = first.context["page_obj"].next_cursor
    second = client.get(queue_url(setelah=following))
    back = client.get(queue_url(sebelum=second.context["page_obj"].previous_cursor))
    newest = client.get(queue_url(ujung="akhir"))

    assert len(first.context["rows"]) == 25
    assert [r.complaint.title for r in second.context["rows"]] == ["Pengaduan 25", "Pengaduan 26"]
    assert f"?setelah={following}" in first.content.decode()
    assert "27 pengaduan" in first.content.decode()
    assert [r.complaint for r in back.context["rows"]] == [
        r.complaint for r in first.context["rows"]
    ]
    assert not back.context["page_obj"].has_previous
    assert len(newest.context["rows"]) == 25
    assert newest.context["rows"][-1].complaint.title == "Pengaduan 26"
    assert "Terlama" in newest.content.decode() and "Terbaru" not in newest.content.decode()


def test_agency_queue_shows_its_assignments_with_due_dates(client, people):
    mine = routed(people, file_complaint(people, title="Untuk PUPR"), people.pupr)
    routed(people, file_complaint(people, title="Untuk DLH"), people.dlh)
    file_complaint(people, title="Belum disalurkan")
    client.force_login(people.officer)

    response = client.get(queue_url())

    rows = response.context["rows"]
    assert [r.complaint for r in rows] == [mine]
    assert rows[0].assignment.agency == people.pupr
    assert rows[0].followup.due == rows[0].assignment.followup_due
    page = response.content.decode()
    assert "Untuk DLH" not in page
    assert "Belum disalurkan" not in page
    assert "Menunggu diterima" in page


def test_agency_overdue_view_lists_late_first_followups(client, people):
    late = routed(
        people, file_complaint(people, at=timezone.now() - timedelta(days=20)), people.pupr
    )
    Assignment.objects.filter(complaint=late).update(
        followup_due=local_date(timezone.now()) - timedelta(days=7)
    )
    routed(people, file_complaint(people), people.pupr)
    client.force_login(people.officer)

    response = client.get(queue_url(overdue="1"))

    rows = response.context["rows"]
    assert [r.complaint for r in rows] == [late]
    assert rows[0].followup.overdue
    assert "staff-badge--overdue" in response.content.decode()


def page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_secretariat_page_queries_do_not_grow_with_rows(
    client, people, django_assert_max_num_queries
):
    seed_holidays([2025, 2026])
    old = timezone.now() - timedelta(days=20)
    for index in range(3):
        complaint = file_complaint(people, at=old if index % 2 else None)
        if index % 3 == 0:
            routed(people, complaint, people.pupr)
            transition(
                complaint,
                "return",
                actor=people.officer,
                assignment=complaint.assignments.get(),
                note="Bukan kami.",
            )
    client.force_login(people.secretariat)
    url = queue_url(status="all")
    client.get(url)  # warm the session and the caches
    with_three = page_queries(client, url)

    for index in range(27):
        complaint = file_complaint(people, at=old if index % 2 else None)
        if index % 3 == 0:
            routed(people, complaint, people.pupr)
    client.get(url)  # the overdue count, cached per minute, taken again after the transitions

    with django_assert_max_num_queries(with_three):
        response = client.get(url)
    assert len(response.context["rows"]) == 25
    assert page_queries(client, url) == with_three


def test_agency_page_queries_do_not_grow_with_rows(client, people, django_assert_max_num_queries):
    old = timezone.now() - timedelta(days=20)
    for index in range(3):
        filed = file_complaint(people, at=old if index % 2 else None)
        complaint = routed(people, filed, people.pupr)
        if index == 0:
            accepted(people, complaint)
    client.force_login(people.officer)
    client.get(queue_url())
    with_three = page_queries(client, queue_url())

    for index in range(27):
        filed = file_complaint(people, at=old if index % 2 else None)
        complaint = routed(people, filed, people.pupr)
        if index % 4 == 0:
            accepted(people, complaint)
    client.get(
        queue_url()
    )  # the overdue count, cached per minute, taken again after the transitions

    with django_assert_max_num_queries(with_three):
        response = client.get(queue_url())
    assert len(response.context["rows"]) == 25
    assert Complaint.objects.count() == 30


def test_a_transition_refused_at_the_last_moment_gives_a_message(client, people, monkeypatch):
    # Another officer was quicker: the page offered the action, the workflow refuses it.
    from sikesal.complaints import staff_actions
    from sikesal.complaints.workflow import InvalidTransition

    def refuse(*args, **kwargs):
        raise InvalidTransition("review is not allowed from in_review", action="review")

    monkeypatch.setattr(staff_actions, "transition", refuse)
    complaint = file_complaint(people)
    client.force_login(people.secretariat)

    response = client.post(act_url(complaint, "review"), follow=True)

    assert response.redirect_chain == [(detail_url(complaint), 302)]
    assert "tidak dapat dilakukan" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.SUBMITTED


def test_complaint_page_queries_do_not_grow_with_the_timeline(client, people):
    complaint = routed(people, file_complaint(people), people.pupr, people.dlh)
    accepted(people, complaint)
    client.force_login(people.officer)
    client.get(detail_url(complaint))
    few = page_queries(client, detail_url(complaint))

    for index in range(15):
        transition(
            complaint,
            "note",
            actor=people.officer if index % 2 else people.secretariat,
            assignment=complaint.assignments.get(agency=people.pupr) if index % 2 else None,
            note=f"Catatan {index}",
        )
    transition(
        complaint,
        "update",
        actor=people.officer,
        assignment=complaint.assignments.get(agency=people.pupr),
        note="Perkembangan.",
    )

    assert page_queries(client, detail_url(complaint)) == few

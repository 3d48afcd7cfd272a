"""The citizen's complaint pages, through HTTP: filing on /lapor/, following on /saya/."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sikesal.complaints.models import (
    Complaint,
    ComplaintDraft,
    ComplaintEvent,
    Status,
)
from sikesal.complaints.tests.conftest import (
    AIRPORT,
    complaint_in_state,
    file_complaint,
    make_user,
)
from sikesal.complaints.workflow import transition

FILE_URL = reverse("complaints:file")
MONAS = (-6.1754, 106.8272)  # Jakarta


def complaint_form(people, **overrides) -> dict:
    data = {
        "report_type": "pengaduan",
        "category": people.road.pk,
        "title": "Jalan berlubang di depan bandara",
        "description": "Lubang besar di lajur kiri,\r\nsudah dua minggu.",
        "event_date": "",
        "latitude": str(AIRPORT[0]),
        "longitude": str(AIRPORT[1]),
        "kelurahan": "",
        "address": "Jl. Soekarno-Hatta, depan bandara",
        "intent": "submit",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def detail_url(complaint: Complaint) -> str:
    return reverse("complaints:mine_detail", args=[complaint.tracking_number])


def act_url(complaint: Complaint, action: str) -> str:
    return reverse("complaints:mine_act", args=[complaint.tracking_number, action])


# --- /lapor/ ---------------------------------------------------------------------------------


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(FILE_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("accounts:login"))


def test_the_form_offers_active_categories_and_kelurahan_grouped_by_kecamatan(
    reporter_client, people
):
    people.waste.is_active = False
    people.waste.save()

    response = reporter_client.get(FILE_URL)

    assert response.status_code == 200
    page = response.content.decode()
    assert people.road.description in page
    assert f'name="category" value="{people.waste.pk}"' not in page
    assert f'name="category" value="{people.road.pk}"' in page
    assert '<optgroup label="Jambi Selatan">' in page
    assert 'enctype="multipart/form-data"' in page
    assert "<script>" not in page and "style=" not in page


def test_filing_with_a_point_shows_the_tracking_number_and_derives_the_area(
    reporter_client, people
):
    response = reporter_client.post(FILE_URL, complaint_form(people))

    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response.url == f"{FILE_URL}?terkirim={complaint.tracking_number}"
    assert complaint.reporter == people.reporter
    assert complaint.kelurahan.name == "Paal Merah"
    assert complaint.kecamatan == complaint.kelurahan.parent
    assert complaint.description == "Lubang besar di lajur kiri,\nsudah dua minggu."
    assert complaint.status == Status.SUBMITTED

    page = reporter_client.get(response.url)

    assert page.status_code == 200
    assert 'id="tracking-number"' in page.content.decode()
    assert complaint.tracking_number in page.content.decode()


def test_filing_with_no_point_but_a_kelurahan(reporter_client, people, kelurahan_paal_merah):
    reporter_client.post(
        FILE_URL,
        complaint_form(people, latitude="", longitude="", kelurahan=kelurahan_paal_merah.pk),
    )

    complaint = Complaint.objects.get()
    assert complaint.latitude is None
    assert complaint.kelurahan == kelurahan_paal_merah
    assert complaint.kecamatan == kelurahan_paal_merah.parent


def test_filing_with_neither_point_nor_kelurahan_asks_for_one(reporter_client, people):
    response = reporter_client.post(FILE_URL, complaint_form(people, latitude="", longitude=""))

    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    assert (
        "Tandai lokasi di peta atau pilih kelurahan tempat kejadian." in response.content.decode()
    )


def test_a_point_in_jakarta_is_refused_with_everything_kept(reporter_client, people):
    response = reporter_client.post(
        FILE_URL,
        complaint_form(
            people,
            latitude=str(MONAS[0]),
            longitude=str(MONAS[1]),
            event_date="2025-01-02",
            is_anonymous="on",
        ),
    )

    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    page = response.content.decode()
    assert "Titik ini di luar Kota Jambi." in page
    assert 'class="error-summary"' in page
    form = response.context["form"]
    assert form["title"].value() == "Jalan berlubang di depan bandara"
    assert form["description"].value() == "Lubang besar di lajur kiri,\r\nsudah dua minggu."
    assert str(form["category"].value()) == str(people.road.pk)
    assert form["address"].value() == "Jl. Soekarno-Hatta, depan bandara"
    assert str(form["event_date"].value()) == "2025-01-02"
    assert form["is_anonymous"].value() is True
    assert f'value="{MONAS[0]}"' in page


def test_a_description_of_4001_characters_is_refused_and_kept(reporter_client, people):
    text = "a" * 4001

    response = reporter_client.post(FILE_URL, complaint_form(people, description=text))

    assert Complaint.objects.count() == 0
    assert response.context["form"].errors["description"] == [
        "Uraian paling banyak 4000 karakter; sekarang 4001. Ringkas uraian Anda."
    ]
    assert text in response.content.decode()
    assert "Kelebihan 1 karakter." in response.content.decode()


def test_a_description_of_4000_characters_with_line_breaks_is_accepted(reporter_client, people):
    # Browsers send line breaks as CR LF; each counts as one character, as the counter shows.
    text = ("a" * 99 + "\r\n") * 40

    reporter_client.post(FILE_URL, complaint_form(people, description=text))

    assert len(Complaint.objects.get().description) == 3999  # the last line break is stripped


def test_an_event_date_in_the_future_is_refused(reporter_client, people):
    tomorrow = timezone.localdate() + timedelta(days=1)

    response = reporter_client.post(
        FILE_URL, complaint_form(people, event_date=tomorrow.isoformat())
    )

    assert Complaint.objects.count() == 0
    assert response.context["form"].errors["event_date"] == [
        "Tanggal kejadian tidak boleh di masa depan."
    ]


def test_an_event_more_than_30_days_ago_warns_but_is_not_refused(reporter_client, people):
    long_ago = timezone.localdate() - timedelta(days=31)

    # A form error elsewhere brings the page back with the warning showing.
    response = reporter_client.post(
        FILE_URL, complaint_form(people, title="", event_date=long_ago.isoformat())
    )
    assert "data-late-warning>" in response.content.decode()

    reporter_client.post(FILE_URL, complaint_form(people, event_date=long_ago.isoformat()))

    assert Complaint.objects.get().event_date == long_ago


def test_a_sensitive_category_is_filed_confidential(reporter_client, people):
    people.waste.is_sensitive = True
    people.waste.save()

    reporter_client.post(FILE_URL, complaint_form(people, category=people.waste.pk))

    assert Complaint.objects.get().is_confidential is True


def test_privacy_choices_are_recorded(reporter_client, people):
    reporter_client.post(FILE_URL, complaint_form(people, is_confidential="on", is_anonymous="on"))

    complaint = Complaint.objects.get()
    assert complaint.is_confidential is True
    assert complaint.is_anonymous is True


# --- drafts ----------------------------------------------------------------------------------


@pytest.fixture
def unverified_client(client, people, media_root):
    citizen = make_user("baru", verified=False)
    client.force_login(citizen)
    client.citizen = citizen
    return client


def test_an_unverified_citizen_is_told_and_offered_only_the_draft(unverified_client):
    page = unverified_client.get(FILE_URL).content.decode()

    assert "pengaduan baru dikirim setelah email atau" in page
    assert 'value="draft"' in page
    assert 'name="intent" value="submit"' not in page


def test_an_unverified_citizen_can_save_a_draft(unverified_client, people):
    response = unverified_client.post(FILE_URL, complaint_form(people, intent="draft"))

    assert response.status_code == 302
    draft = ComplaintDraft.objects.get(reporter=unverified_client.citizen)
    assert draft.data["title"] == "Jalan berlubang di depan bandara"
    assert draft.data["category"] == str(people.road.pk)
    assert Complaint.objects.count() == 0


def test_an_unverified_citizen_cannot_submit_and_keeps_the_draft(unverified_client, people):
    response = unverified_client.post(FILE_URL, complaint_form(people))

    assert response.status_code == 200
    assert Complaint.objects.count() == 0
    assert ComplaintEvent.objects.count() == 0
    assert (
        "Verifikasi email atau nomor ponsel Anda dahulu; draf Anda tetap tersimpan."
        in response.content.decode()
    )
    assert ComplaintDraft.objects.get(reporter=unverified_client.citizen).data["title"] == (
        "Jalan berlubang di depan bandara"
    )


def test_the_form_is_prefilled_from_the_draft(unverified_client, people):
    unverified_client.post(
        FILE_URL,
        complaint_form(people, intent="draft", is_confidential="on", title="Draf saya"),
    )

    response = unverified_client.get(FILE_URL)

    form = response.context["form"]
    assert form["title"].value() == "Draf saya"
    assert str(form["category"].value()) == str(people.road.pk)
    assert form["latitude"].value() == str(AIRPORT[0])
    assert form["is_confidential"].value() is True
    assert response.context["has_draft"] is True


def test_a_verified_citizen_submits_a_saved_draft_and_the_draft_is_gone(reporter_client, people):
    reporter_client.post(FILE_URL, complaint_form(people, intent="draft"))
    assert ComplaintDraft.objects.filter(reporter=people.reporter).exists()

    reporter_client.post(FILE_URL, complaint_form(people))

    assert Complaint.objects.count() == 1
    assert not ComplaintDraft.objects.filter(reporter=people.reporter).exists()


def test_a_draft_can_be_discarded(reporter_client, people):
    reporter_client.post(FILE_URL, complaint_form(people, intent="draft"))

    reporter_client.post(FILE_URL, {"intent": "discard"})

    assert not ComplaintDraft.objects.exists()


# --- /saya/ ----------------------------------------------------------------------------------


def test_my_complaints_lists_only_my_own_newest_first(reporter_client, people):
    now = timezone.now()
    older = file_complaint(people, title="Lama", at=now - timedelta(days=2))
    newer = file_complaint(people, title="Baru", at=now - timedelta(days=1))
    theirs = file_complaint(people, reporter=people.other_citizen, title="Milik tetangga")

    response = reporter_client.get(reverse("complaints:mine"))

    page = response.content.decode()
    assert [row[0] for row in response.context["rows"]] == [newer, older]
    assert theirs.tracking_number not in page
    assert "Ditelaah Sekretariat paling lambat" in page


def test_my_complaints_are_paginated_by_20(reporter_client, people):
    for number in range(21):
        file_complaint(people, title=f"Pengaduan {number}")

    first = reporter_client.get(reverse("complaints:mine"))
    second = reporter_client.get(reverse("complaints:mine"), {"page": 2})

    assert len(first.context["rows"]) == 20
    assert len(second.context["rows"]) == 1


def test_my_complaints_list_takes_a_fixed_number_of_queries(
    reporter_client, people, django_assert_max_num_queries
):
    for number in range(5):
        file_complaint(people, title=f"Pengaduan {number}")

    with django_assert_max_num_queries(8):
        reporter_client.get(reverse("complaints:mine"))


def test_another_citizens_complaint_is_not_found(reporter_client, people):
    theirs = file_complaint(people, reporter=people.other_citizen)

    assert reporter_client.get(detail_url(theirs)).status_code == 404
    assert reporter_client.get(f"{FILE_URL}?terkirim={theirs.tracking_number}").status_code == 404
    response = reporter_client.post(act_url(theirs, "object"), {"object-note": "Belum beres"})
    assert response.status_code == 404
    assert theirs.events.count() == 1


def test_the_detail_shows_the_reporter_timeline_without_internal_notes(reporter_client, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    transition(complaint, "note", actor=people.secretariat, note="Catatan internal rahasia")
    transition(
        complaint,
        "request_clarification",
        actor=people.secretariat,
        note="Di lajur mana tepatnya?",
    )

    response = reporter_client.get(detail_url(complaint))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Di lajur mana tepatnya?" in page
    assert "Catatan internal rahasia" not in page
    assert "Pengaduan diajukan" in page
    assert "Jawab permintaan klarifikasi" in page
    assert 'action="' + act_url(complaint, "answer_clarification") + '"' in page


def test_the_detail_takes_a_fixed_number_of_queries(
    reporter_client, people, django_assert_max_num_queries
):
    complaint, assignment = complaint_in_state(people, Status.IN_PROGRESS)
    for number in range(5):
        transition(
            complaint, "update", actor=people.officer, assignment=assignment, note=f"Tahap {number}"
        )

    with django_assert_max_num_queries(10):
        response = reporter_client.get(detail_url(complaint))

    assert "Tahap 4" in response.content.decode()


def test_the_detail_shows_the_decline_reason_and_referral(reporter_client, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    transition(
        complaint,
        "decline",
        actor=people.secretariat,
        reason="out_of_scope",
        referral="pln",
        note="Listrik adalah kewenangan PLN.",
    )

    page = reporter_client.get(detail_url(complaint)).content.decode()

    assert "Bukan kewenangan Pemerintah Kota Jambi" in page
    assert "Listrik adalah kewenangan PLN." in page
    assert "PLN Mobile" in page


def test_the_detail_shows_agencies_and_register_numbers(reporter_client, people):
    complaint, assignment = complaint_in_state(people, Status.ROUTED)
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    assignment.refresh_from_db()

    page = reporter_client.get(detail_url(complaint)).content.decode()

    assert people.pupr.name in page
    assert assignment.register_number in page


# --- acting on /saya/<tracking>/<action>/ ----------------------------------------------------


def test_answering_a_clarification_resumes_the_review(reporter_client, people):
    complaint, _ = complaint_in_state(people, Status.NEEDS_CLARIFICATION)
    events_before = complaint.events.count()

    response = reporter_client.post(
        act_url(complaint, "answer_clarification"),
        {"answer_clarification-note": "Lajur kiri, dekat halte."},
    )

    assert response.status_code == 302
    assert response.url == detail_url(complaint)
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_REVIEW
    assert complaint.events.count() == events_before + 1
    event = complaint.events.last()
    assert (event.action, event.note) == ("answer_clarification", "Lajur kiri, dekat halte.")
    assert "Jawaban Anda terkirim." in reporter_client.get(response.url).content.decode()


def test_an_empty_answer_is_refused_on_the_page(reporter_client, people):
    complaint, _ = complaint_in_state(people, Status.NEEDS_CLARIFICATION)

    response = reporter_client.post(
        act_url(complaint, "answer_clarification"), {"answer_clarification-note": "  "}
    )

    assert response.status_code == 200
    assert "Tuliskan jawaban Anda." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.NEEDS_CLARIFICATION
    assert complaint.events.count() == 1


def test_rating_closes_the_complaint(reporter_client, people):
    complaint, _ = complaint_in_state(people, Status.RESPONDED)
    Complaint.objects.filter(pk=complaint.pk).update(rating=None)

    response = reporter_client.post(
        act_url(complaint, "rate"), {"rate-rating": "4", "rate-note": "Cepat ditambal."}
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert (complaint.rating, complaint.rating_comment) == (4, "Cepat ditambal.")
    assert complaint.events.filter(action="rate").count() == 1
    assert complaint.events.count() == 2


def test_a_rating_outside_1_to_5_is_refused(reporter_client, people):
    complaint, _ = complaint_in_state(people, Status.RESPONDED)

    response = reporter_client.post(act_url(complaint, "rate"), {"rate-rating": "6"})

    assert response.status_code == 200
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED
    assert complaint.events.count() == 1


def test_objecting_sends_the_complaint_back_to_the_agency(reporter_client, people):
    complaint, _assignment = complaint_in_state(people, Status.RESPONDED)

    response = reporter_client.post(
        act_url(complaint, "object"), {"object-note": "Lubangnya masih ada."}
    )

    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.IN_PROGRESS
    assert complaint.objection_count == 1
    assert complaint.events.filter(action="object").count() == 1
    assert complaint.events.count() == 2


def test_the_page_shows_how_many_objections_are_left(reporter_client, people):
    complaint, _ = complaint_in_state(people, Status.RESPONDED)
    Complaint.objects.filter(pk=complaint.pk).update(objection_count=1)

    page = reporter_client.get(detail_url(complaint)).content.decode()

    assert "Sisa kesempatan keberatan: 1 dari 2." in page


def test_a_third_objection_is_refused(reporter_client, people):
    complaint, _ = complaint_in_state(people, Status.RESPONDED)
    Complaint.objects.filter(pk=complaint.pk).update(objection_count=2)

    response = reporter_client.post(
        act_url(complaint, "object"), {"object-note": "Masih belum beres."}
    )

    assert response.status_code == 200
    assert "Keberatan hanya dapat diajukan 2 kali." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Status.RESPONDED
    assert complaint.objection_count == 2
    assert complaint.events.count() == 1


def test_an_action_no_longer_available_says_so(reporter_client, people):
    complaint, _ = complaint_in_state(people, Status.CLOSED)

    response = reporter_client.post(act_url(complaint, "rate"), {"rate-rating": "5"}, follow=True)

    assert "Tindakan ini tidak tersedia lagi." in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.rating == 4
    assert complaint.events.count() == 1


def test_an_unknown_action_is_not_found(reporter_client, people):
    complaint = file_complaint(people)

    assert reporter_client.post(act_url(complaint, "close")).status_code == 404
    assert reporter_client.get(act_url(complaint, "rate")).status_code == 405

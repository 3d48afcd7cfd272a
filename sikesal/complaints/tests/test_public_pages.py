"""The public complaint pages /pengaduan/ and /pengaduan/<tracking>/: what anyone may read,
and that nothing personal ever appears there."""

from datetime import datetime

import pytest
from django.test import Client
from django.urls import reverse

from sikesal.accounts.services import user_create
from sikesal.agencies.models import Agency, Category, Region
from sikesal.complaints.models import ComplaintPhoto, Status
from sikesal.complaints.services import Location
from sikesal.complaints.tests.conftest import JAKARTA, file_complaint, stored_photo
from sikesal.complaints.workflow import Route, transition

pytestmark = pytest.mark.django_db

LIST_URL = reverse("complaints:public_list")
ADDRESS = "Jl. Melati Gg. Mawar No. 17, rumah cat hijau samping warung Bu Ijah"
# A point inside kelurahan Kenali Besar (Alam Barajo), far from the default airport point.
KENALI_BESAR = (-1.64362, 103.54309)


def detail_url(complaint) -> str:
    return reverse("complaints:public_detail", args=[complaint.tracking_number])


@pytest.fixture
def citizen(people):
    """A reporter whose every identifying string is distinctive enough to search for."""
    user = user_create(
        username="rahmawati.k",
        password=None,
        full_name="Rahmawati Kusumaningrum",
        email="rahmawati.kusuma@contoh.id",
        mobile="081377712345",
    )
    user.email_verified_at = datetime(2026, 1, 5, tzinfo=JAKARTA)
    user.save(update_fields=["email_verified_at"])
    return user


def routed(people, complaint, *agencies, note=""):
    transition(complaint, "review", actor=people.secretariat)
    transition(
        complaint,
        "route",
        actor=people.secretariat,
        note=note,
        routes=[Route(agency=a, is_lead=i == 0) for i, a in enumerate(agencies or [people.pupr])],
    )
    return complaint


def handled(people, complaint, *, response="Lubang sudah ditambal dengan aspal hotmix."):
    """Routed to PUPR, accepted, answered."""
    routed(people, complaint)
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    transition(complaint, "respond", actor=people.officer, assignment=assignment, note=response)
    return complaint


def html_of(client: Client, url: str, **kwargs) -> str:
    response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response.content.decode()


# --- who is listed ---------------------------------------------------------------------------


def test_a_routed_complaint_is_listed_with_its_category_place_status_and_agency(client, people):
    complaint = routed(people, file_complaint(people, title="Jalan amblas di Jl. Sultan Thaha"))

    html = html_of(client, LIST_URL)

    assert complaint.tracking_number in html
    assert "Jalan amblas di Jl. Sultan Thaha" in html
    assert f'href="{detail_url(complaint)}"' in html
    assert "Jalan" in html  # category
    assert "Kel. Paal Merah, Kec. Paal Merah" in html
    assert "Disalurkan ke OPD" in html
    assert 'href="/opd/dpupr/">PUPR</a>' in html
    assert "1 pengaduan" in html


def test_a_complaint_not_yet_past_the_secretariat_is_neither_listed_nor_readable(client, people):
    submitted = file_complaint(people, title="Baru saja diajukan")
    in_review = file_complaint(people, title="Sedang ditelaah")
    transition(in_review, "review", actor=people.secretariat)

    html = html_of(client, LIST_URL)

    for complaint in (submitted, in_review):
        assert complaint.tracking_number not in html
        assert complaint.title not in html
        assert client.get(detail_url(complaint)).status_code == 404
    assert "Belum ada pengaduan publik." in html


def test_a_declined_complaint_is_neither_listed_nor_readable(client, people):
    complaint = file_complaint(people, title="Iklan pinjaman online")
    transition(complaint, "review", actor=people.secretariat)
    transition(complaint, "decline", actor=people.secretariat, reason="spam", note="Spam.")

    assert complaint.tracking_number not in html_of(client, LIST_URL)
    assert client.get(detail_url(complaint)).status_code == 404


def test_a_declined_complaint_stays_private_once_archived(client, people):
    complaint = file_complaint(people, title="Ujaran kebencian")
    transition(complaint, "review", actor=people.secretariat)
    transition(complaint, "decline", actor=people.secretariat, reason="sara", note="SARA.")
    transition(complaint, "archive", actor=None)
    assert complaint.status == Status.ARCHIVED

    assert "Ujaran kebencian" not in html_of(client, LIST_URL)
    assert client.get(detail_url(complaint)).status_code == 404


def test_a_confidential_complaint_is_never_listed_and_its_page_is_404_in_every_state(
    client, people
):
    complaint = file_complaint(people, title="Pungutan liar oleh oknum", is_confidential=True)
    routed(people, complaint)
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    transition(complaint, "respond", actor=people.officer, assignment=assignment, note="Sudah.")
    transition(complaint, "rate", actor=people.reporter, rating=5)
    assert complaint.status == Status.CLOSED

    html = html_of(client, LIST_URL)

    assert complaint.tracking_number not in html
    assert "Pungutan liar oleh oknum" not in html
    assert client.get(detail_url(complaint)).status_code == 404
    assert client.get(detail_url(complaint).lower()).status_code == 404
    assert complaint.tracking_number not in html_of(client, LIST_URL, data={"q": "Pungutan"})


@pytest.mark.usefixtures("page_cache_off")  # reads the view's context
def test_newest_first_twenty_per_page(client, people):
    for day in range(1, 23):
        routed(people, file_complaint(people, title=f"Keluhan ke-{day}", at=_june(day)))

    first = html_of(client, LIST_URL)
    following = client.get(LIST_URL).context["page_obj"].next_cursor
    second = html_of(client, LIST_URL, data={"setelah": following})
    oldest = html_of(client, LIST_URL, data={"ujung": "akhir"})

    assert "22 pengaduan" in first
    assert first.index("Keluhan ke-22") < first.index("Keluhan ke-21")
    assert "Keluhan ke-3<" in first and "Keluhan ke-2<" not in first
    assert "Keluhan ke-2<" in second and "Keluhan ke-1<" in second
    assert "Keluhan ke-3<" not in second
    assert 'rel="next"' not in second and 'rel="prev"' in second
    assert "Keluhan ke-1<" in oldest and "Keluhan ke-20<" in oldest
    assert "Keluhan ke-21<" not in oldest and 'rel="next"' not in oldest


def _june(day: int) -> datetime:
    return datetime(2026, 6, day, 9, 0, tzinfo=JAKARTA)


# --- no personal data --------------------------------------------------------------------------


def test_no_reporter_identity_address_or_staff_name_on_the_list_or_the_detail(
    client, people, citizen
):
    complaint = file_complaint(
        people,
        reporter=citizen,
        title="Lampu jalan mati",
        location=Location(
            latitude=KENALI_BESAR[0], longitude=KENALI_BESAR[1], kelurahan=None, address=ADDRESS
        ),
    )
    handled(people, complaint)
    transition(complaint, "rate", actor=citizen, rating=4, note="Saya Rahmawati, puas.")

    pages = [html_of(client, LIST_URL), html_of(client, detail_url(complaint))]

    assert complaint.tracking_number in pages[0]
    secrets = [
        citizen.full_name,
        "Rahmawati",
        citizen.username,
        citizen.email,
        citizen.mobile,
        "081377712345",
        "81377712345",
        ADDRESS,
        "Gg. Mawar",
        str(complaint.latitude),
        str(complaint.longitude),
    ]
    staff_names = [people.secretariat.full_name, people.officer.full_name, "petugaspupr"]
    for html in pages:
        for secret in secrets + staff_names:
            assert secret not in html, secret
    assert "Kel. Kenali Besar, Kec. Alam Barajo" in pages[1]


def test_an_anonymous_complaint_shows_the_same_public_page(client, people, citizen):
    complaint = routed(people, file_complaint(people, reporter=citizen, is_anonymous=True))

    html = html_of(client, detail_url(complaint))

    assert citizen.full_name not in html
    assert "Pelapor" in html


# --- the detail page ---------------------------------------------------------------------------


def test_detail_shows_the_public_timeline_with_roles_and_agencies_never_people(client, people):
    complaint = file_complaint(
        people,
        description="Lubang sedalam 20 cm di lajur kiri.",
        at=datetime(2026, 6, 1, 8, 0, tzinfo=JAKARTA),
    )
    transition(complaint, "review", actor=people.secretariat)
    transition(
        complaint,
        "note",
        actor=people.secretariat,
        note="CATATAN INTERNAL: pelapor kerabat pejabat",
    )
    transition(
        complaint,
        "request_clarification",
        actor=people.secretariat,
        note="PERTANYAAN KE PELAPOR: nomor rumah?",
    )
    transition(
        complaint, "answer_clarification", actor=people.reporter, note="JAWABAN: depan rumah 12"
    )
    transition(
        complaint,
        "route",
        actor=people.secretariat,
        routes=[Route(agency=people.pupr, is_lead=True, instructions="ARAHAN: segera")],
    )
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    transition(
        complaint,
        "update",
        actor=people.officer,
        assignment=assignment,
        note="Tim sudah meninjau lokasi.",
    )
    transition(
        complaint,
        "update",
        actor=people.officer,
        assignment=assignment,
        note="UPDATE INTERNAL: anggaran habis",
        public=False,
    )
    transition(
        complaint,
        "respond",
        actor=people.officer,
        assignment=assignment,
        note="Lubang sudah ditambal pada 10 Juni.",
    )

    html = html_of(client, detail_url(complaint))

    assignment.refresh_from_db()
    assert assignment.register_number
    assert "Lubang sedalam 20 cm di lajur kiri." in html
    for label in (
        "Pengaduan diajukan",
        "Disalurkan ke OPD",
        "Diterima dan dicatat OPD",
        "Perkembangan tindak lanjut",
        "Tim sudah meninjau lokasi.",
        "Dinas Pekerjaan Umum dan Penataan Ruang",
        "Sekretariat Pengaduan",
        "Pelapor",
    ):
        assert label in html, label
    assert html.count("Lubang sudah ditambal pada 10 Juni.") == 2  # response and timeline
    assert "Hasil penanganan" in html
    for hidden in (
        "CATATAN INTERNAL",
        "PERTANYAAN KE PELAPOR",
        "JAWABAN",
        "ARAHAN",
        "UPDATE INTERNAL",
        assignment.register_number,
    ):
        assert hidden not in html, hidden


def test_the_rating_shows_once_the_complaint_is_closed(client, people):
    complaint = handled(people, file_complaint(people))
    assert "Penilaian pelapor" not in html_of(client, detail_url(complaint))

    transition(complaint, "rate", actor=people.reporter, rating=4, note="KOMENTAR PRIBADI")

    html = html_of(client, detail_url(complaint))
    assert "Penilaian pelapor" in html
    assert "4 dari 5" in html
    assert "KOMENTAR PRIBADI" not in html
    assert "Selesai" in html


def test_a_two_agency_complaint_shows_both_agencies_and_each_response(client, people):
    complaint = routed(people, file_complaint(people), people.pupr, people.dlh)
    pupr, dlh = (complaint.assignments.get(agency=a) for a in (people.pupr, people.dlh))
    transition(complaint, "accept", actor=people.dlh_officer, assignment=dlh)
    transition(
        complaint,
        "respond",
        actor=people.dlh_officer,
        assignment=dlh,
        note="Sampah di saluran sudah diangkut.",
    )

    html = html_of(client, detail_url(complaint))

    assert "Dinas Pekerjaan Umum dan Penataan Ruang</a> (OPD utama)" in html
    assert "Dinas Lingkungan Hidup</a>" in html
    assert "Sampah di saluran sudah diangkut." in html
    assert pupr.status == "routed"


def test_unknown_tracking_number_is_404(client, reference_data):
    assert client.get(reverse("complaints:public_detail", args=["SKL-XXXXXX"])).status_code == 404


# --- photos ------------------------------------------------------------------------------------


def _photo(user, colour: str) -> ComplaintPhoto:
    return stored_photo(user, colour=colour, at=datetime(2026, 6, 1, tzinfo=JAKARTA))


def test_only_photos_of_the_submission_and_of_public_events_are_shown(
    client, people, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    submitted = _photo(people.reporter, "red")
    complaint = file_complaint(people, photos=[submitted])
    transition(complaint, "review", actor=people.secretariat)
    transition(complaint, "request_clarification", actor=people.secretariat, note="Foto lain?")
    clarification = _photo(people.reporter, "blue")
    transition(
        complaint,
        "answer_clarification",
        actor=people.reporter,
        note="Ini.",
        photos=[clarification],
    )
    transition(complaint, "route", actor=people.secretariat, routes=[Route(people.pupr, True)])
    assignment = complaint.assignments.get()
    transition(complaint, "accept", actor=people.officer, assignment=assignment)
    progress = _photo(people.officer, "green")
    internal = _photo(people.officer, "black")
    transition(
        complaint,
        "update",
        actor=people.officer,
        assignment=assignment,
        note="Dikerjakan.",
        photos=[progress],
    )
    transition(
        complaint,
        "update",
        actor=people.officer,
        assignment=assignment,
        note="Internal.",
        photos=[internal],
        public=False,
    )

    listing = html_of(client, LIST_URL)
    detail = html_of(client, detail_url(complaint))

    assert submitted.thumbnail_url in listing
    for shown in (submitted, progress):
        assert shown.thumbnail_url in detail
        assert shown.url in detail
    for hidden in (clarification, internal):
        assert hidden.thumbnail_url not in listing + detail
        assert hidden.url not in listing + detail


# --- filters -----------------------------------------------------------------------------------


@pytest.fixture
def variety(people):
    """Four public complaints differing in category, kecamatan, agency and status."""
    road = routed(people, file_complaint(people, title="Jalan berlubang Paal Merah"))
    waste = routed(
        people,
        file_complaint(
            people,
            title="Sampah menumpuk di TPS",
            description="Sudah seminggu tidak diangkut truk DLH.",
            category=people.waste,
            location=Location(latitude=KENALI_BESAR[0], longitude=KENALI_BESAR[1], kelurahan=None),
        ),
        people.dlh,
    )
    closed = handled(people, file_complaint(people, title="Drainase tersumbat"))
    transition(closed, "rate", actor=people.reporter, rating=5)
    telanaipura = Region.objects.get(level="kelurahan", name="Simpang IV Sipin")
    water = routed(
        people,
        file_complaint(
            people,
            title="Air PDAM keruh",
            category=Category.objects.get(code="kualitas-air"),
            location=Location(latitude=None, longitude=None, kelurahan=telanaipura),
        ),
        Agency.objects.get(code="tirtamayang"),
    )
    return {"road": road, "waste": waste, "closed": closed, "water": water}


def listed(client, **params) -> set[str]:
    html = html_of(client, LIST_URL, data=params)
    return {
        key
        for key, title in {
            "road": "Jalan berlubang Paal Merah",
            "waste": "Sampah menumpuk di TPS",
            "closed": "Drainase tersumbat",
            "water": "Air PDAM keruh",
        }.items()
        if title in html
    }


def test_filters_by_category_kecamatan_agency_status_and_text(client, variety):
    assert listed(client) == {"road", "waste", "closed", "water"}
    assert listed(client, category="sampah") == {"waste"}
    assert listed(client, kecamatan=variety["water"].kecamatan.code) == {"water"}
    assert listed(client, kecamatan=variety["road"].kecamatan.code) == {"road", "closed"}
    assert listed(client, agency="dpupr") == {"road", "closed"}
    assert listed(client, agency="tirtamayang") == {"water"}
    assert listed(client, status="closed") == {"closed"}
    assert listed(client, status="routed", agency="dpupr") == {"road"}
    assert listed(client, q="pdam") == {"water"}
    assert listed(client, q="truk DLH") == {"waste"}  # the description is public too
    assert listed(client, q=variety["closed"].tracking_number.lower()) == {"closed"}


def test_the_text_search_never_looks_into_the_hidden_address(client, people):
    routed(
        people,
        file_complaint(
            people,
            location=Location(
                latitude=KENALI_BESAR[0], longitude=KENALI_BESAR[1], kelurahan=None, address=ADDRESS
            ),
        ),
    )
    assert "Tidak ada pengaduan publik yang cocok" in html_of(
        client, LIST_URL, data={"q": "Gg. Mawar"}
    )


def test_unknown_filter_values_are_ignored_and_private_statuses_are_not_offered(client, variety):
    everything = {"road", "waste", "closed", "water"}
    assert listed(client, category="tidak-ada", status="submitted") == everything
    assert listed(client, status="submitted", agency="dlh") == {"waste"}
    html = html_of(client, LIST_URL)
    assert 'value="closed"' in html
    assert 'value="submitted"' not in html
    assert 'value="declined"' not in html


def test_htmx_gets_only_the_rows_with_the_status_out_of_band(client, variety):
    response = client.get(LIST_URL, {"category": "sampah"}, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert "Sampah menumpuk di TPS" in html
    assert "Jalan berlubang Paal Merah" not in html
    assert 'id="public-list-status"' in html and 'hx-swap-oob="true"' in html
    assert "HX-Request" in response["Vary"]


def test_without_htmx_the_full_page_keeps_the_filters_in_the_form(client, variety):
    html = html_of(client, LIST_URL, data={"category": "sampah", "q": "TPS"})

    assert "<html" in html
    assert '<option value="sampah" selected>' in html
    assert 'value="TPS"' in html
    assert 'hx-get="/pengaduan/"' in html


def test_pagination_links_keep_the_filters(client, people):
    for day in range(1, 23):
        routed(people, file_complaint(people, title=f"Keluhan ke-{day}", at=_june(day)))

    response = client.get(LIST_URL, data={"category": "jalan"})
    html = response.content.decode()

    following = response.context["page_obj"].next_cursor
    assert f'href="?category=jalan&amp;setelah={following}"' in html
    assert 'href="?category=jalan&amp;ujung=akhir"' in html


# --- query counts ------------------------------------------------------------------------------


def test_the_list_costs_the_same_queries_for_one_or_twenty_complaints(
    client, people, django_assert_max_num_queries, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    routed(people, file_complaint(people, photos=[_photo(people.reporter, "red")]))
    with django_assert_max_num_queries(8) as few:
        html_of(client, LIST_URL)
    for _ in range(19):
        routed(
            people,
            file_complaint(people, photos=[_photo(people.reporter, "red")]),
            people.pupr,
            people.dlh,
        )

    with django_assert_max_num_queries(len(few.captured_queries)):
        html = html_of(client, LIST_URL)
    assert "20 pengaduan" in html


def test_the_detail_costs_the_same_queries_however_long_its_timeline(
    client, people, django_assert_max_num_queries, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    short = routed(people, file_complaint(people))
    with django_assert_max_num_queries(6) as few:
        html_of(client, detail_url(short))

    long = routed(people, file_complaint(people), people.pupr, people.dlh)
    for assignment, officer in zip(
        long.assignments.order_by("-is_lead"), (people.officer, people.dlh_officer), strict=True
    ):
        transition(long, "accept", actor=officer, assignment=assignment)
        for n in range(3):
            photo = _photo(officer, "green")
            transition(
                long,
                "update",
                actor=officer,
                assignment=assignment,
                note=f"Tahap {n}",
                photos=[photo],
            )
        transition(long, "respond", actor=officer, assignment=assignment, note="Selesai.")

    with django_assert_max_num_queries(len(few.captured_queries)):
        html_of(client, detail_url(long))

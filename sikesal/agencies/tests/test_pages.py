"""The public agency directory /opd/ and each agency's Pasal 11.1 page /opd/<code>/."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from sikesal.agencies.models import Agency
from sikesal.agencies.views import group_by_kind


def make_agency(code: str, name: str, kind: str = "dinas", **extra) -> Agency:
    return Agency.objects.create(
        code=code, name=name, short_name=extra.pop("short_name", code.upper()), kind=kind, **extra
    )


@pytest.fixture
def kominfo() -> Agency:
    return make_agency(
        "diskominfo",
        "Dinas Komunikasi dan Informatika",
        short_name="Diskominfo",
        is_secretariat=True,
        head_name="Dr. Contoh Kepala, S.Kom.",
        head_title="Kepala Dinas Komunikasi dan Informatika",
        complaint_officers="Budi Santoso\n\n  Siti Aminah  \n",
        handling_mechanism=(
            "Pengaduan dicatat di buku register.\n\nPetugas menelaah dalam 3 hari kerja."
        ),
        channels="Aplikasi SIKESAL\nLoket pengaduan lantai 1",
        address="Jl. Jend. Basuki Rahmat No. 1, Kota Baru, Jambi",
        phone="(0741) 123-456",
        email="kominfo@jambikota.go.id",
        website="https://diskominfo.jambikota.go.id",
    )


# --- /opd/ ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_directory_lists_every_active_agency_with_a_link_to_its_page(client: Client, kominfo):
    make_agency("dinkes", "Dinas Kesehatan", short_name="Dinkes")
    make_agency("kec-telanaipura", "Kecamatan Telanaipura", kind="kecamatan")
    make_agency("perumda-tirta", "Perumda Air Minum Tirta Mayang", kind="perusahaan_daerah")

    response = client.get("/opd/")

    assert response.status_code == 200
    html = response.content.decode()
    for code in ("diskominfo", "dinkes", "kec-telanaipura", "perumda-tirta"):
        assert f'<a href="/opd/{code}/">' in html
    assert "Dinas Komunikasi dan Informatika" in html
    assert "Perumda Air Minum Tirta Mayang" in html
    assert "4 OPD." in html


@pytest.mark.django_db
def test_directory_hides_inactive_agencies(client: Client):
    make_agency("dinkes", "Dinas Kesehatan")
    make_agency("dinas-lama", "Dinas Yang Sudah Dibubarkan", is_active=False)

    html = client.get("/opd/").content.decode()

    assert "/opd/dinkes/" in html
    assert "/opd/dinas-lama/" not in html
    assert "Dinas Yang Sudah Dibubarkan" not in html


@pytest.mark.django_db
def test_directory_groups_agencies_by_kind_in_the_order_of_the_kinds(client: Client):
    make_agency("kec-telanaipura", "Kecamatan Telanaipura", kind="kecamatan")
    make_agency("dinkes", "Dinas Kesehatan")
    make_agency("inspektorat", "Inspektorat", kind="inspektorat")

    html = client.get("/opd/").content.decode()

    headings = [
        '<h2 id="jenis-inspektorat">Inspektorat <span class="count">(1)</span></h2>',
        '<h2 id="jenis-dinas">Dinas <span class="count">(1)</span></h2>',
        '<h2 id="jenis-kecamatan">Kecamatan <span class="count">(1)</span></h2>',
    ]
    positions = [html.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert html.index("Dinas Kesehatan") < html.index("Kecamatan Telanaipura")
    assert "jenis-badan" not in html  # no empty groups
    assert '<a href="#jenis-dinas">Dinas</a>' in html


def test_group_by_kind_keeps_unknown_kinds_after_the_known_ones():
    agencies = [
        Agency(code="a", name="A", kind="lembaga_lain"),
        Agency(code="b", name="B", kind="dinas"),
        Agency(code="c", name="C", kind="dinas"),
    ]

    groups = group_by_kind(agencies)

    assert [(group.kind, [a.code for a in group.agencies]) for group in groups] == [
        ("dinas", ["b", "c"]),
        ("lembaga_lain", ["a"]),
    ]


@pytest.mark.django_db
def test_directory_search_filters_by_name_and_short_name(client: Client, kominfo):
    make_agency("dinkes", "Dinas Kesehatan", short_name="Dinkes")

    by_short_name = client.get("/opd/", {"q": "kominfo"}).content.decode()
    by_name = client.get("/opd/", {"q": "kesehatan"}).content.decode()
    nothing = client.get("/opd/", {"q": "tidak ada"}).content.decode()

    assert "/opd/diskominfo/" in by_short_name
    assert "/opd/dinkes/" not in by_short_name
    assert "/opd/dinkes/" in by_name
    assert "/opd/diskominfo/" not in by_name
    assert "Tidak ada OPD yang cocok" in nothing
    assert '<label for="agency-search">Cari OPD</label>' in nothing


@pytest.mark.django_db
def test_directory_with_no_agencies_says_so(client: Client):
    html = client.get("/opd/").content.decode()

    assert "Belum ada OPD yang terdaftar." in html


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache_off")
def test_directory_query_count_does_not_grow_with_agencies(client: Client):
    make_agency("dinkes", "Dinas Kesehatan")
    with CaptureQueriesContext(connection) as few:
        assert client.get("/opd/").status_code == 200

    for number in range(20):
        make_agency(f"kel-{number}", f"Kelurahan {number}", kind="kelurahan")
    with CaptureQueriesContext(connection) as many:
        assert client.get("/opd/").status_code == 200

    assert len(few) == 1
    assert len(many) == 1


@pytest.mark.django_db
def test_directory_is_in_english_after_switching(client: Client):
    make_agency("dinkes", "Dinas Kesehatan")
    client.post("/i18n/setlang/", {"language": "en", "next": "/opd/"})

    html = client.get("/opd/").content.decode()

    assert "<h1>Agency directory</h1>" in html
    assert '<h2 id="jenis-dinas">Department <span class="count">(1)</span></h2>' in html


# --- /opd/<code>/ --------------------------------------------------------------------------


@pytest.mark.django_db
def test_agency_page_shows_the_pasal_11_1_information(client: Client, kominfo):
    response = client.get("/opd/diskominfo/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>Dinas Komunikasi dan Informatika</h1>" in html
    assert '<p class="kind-label">Dinas</p>' in html
    assert "Sekretariat Pengaduan SIKESAL berkedudukan di OPD ini." in html
    # Officers without an account, one per line, blank lines dropped.
    assert "<dt>Petugas OPD</dt> <dd>Budi Santoso</dd><dd>Siti Aminah</dd>" in " ".join(
        html.split()
    )
    # The handling mechanism keeps its paragraphs.
    assert "<p>Pengaduan dicatat di buku register.</p>" in html
    assert "<p>Petugas menelaah dalam 3 hari kerja.</p>" in html
    # Channels: SIKESAL's, then the agency's own.
    assert '<li><a href="/lapor/">Formulir pengaduan di situs web SIKESAL</a></li>' in html
    assert "<li>Aplikasi SIKESAL</li>" in html
    assert "<li>Loket pengaduan lantai 1</li>" in html
    # Contact details.
    assert "Jl. Jend. Basuki Rahmat No. 1, Kota Baru, Jambi" in html
    assert '<a href="tel:0741123456">(0741) 123-456</a>' in html
    assert '<a href="mailto:kominfo@jambikota.go.id">kominfo@jambikota.go.id</a>' in html
    assert (
        '<a href="https://diskominfo.jambikota.go.id" rel="noopener noreferrer">'
        "https://diskominfo.jambikota.go.id</a>"
    ) in html
    # The head.
    assert "Dr. Contoh Kepala, S.Kom." in html
    assert "Kepala Dinas Komunikasi dan Informatika" in html
    assert "Belum diumumkan." not in html


@pytest.mark.django_db
def test_agency_page_says_what_is_not_yet_published(client: Client):
    make_agency("dinkes", "Dinas Kesehatan")

    html = client.get("/opd/dinkes/").content.decode()

    # Issue #9: nothing says "Belum diumumkan"; the standard mechanism and SIKESAL's own
    # channels are published for every agency; only the officers may be missing.
    assert "Belum diumumkan." not in html
    assert html.count("Belum ada petugas yang ditetapkan.") == 1
    assert "1. Penerimaan: pengaduan disampaikan melalui Formulir pengaduan" in html
    assert '<li><a href="/lapor/">Formulir pengaduan di situs web SIKESAL</a></li>' in html
    assert "Android" not in html
    assert "Kontak" not in html
    assert "Pimpinan" not in html


@pytest.mark.django_db
@pytest.mark.usefixtures("page_cache_off")
def test_agency_page_names_the_google_play_app_only_once_it_is_published(client: Client, settings):
    """The app installed from the site is always offered; Google Play only once the
    deployer sets SIKESAL_ANDROID_PLAY_URL (issue #12)."""
    make_agency("dinkes", "Dinas Kesehatan")
    play = "https://play.google.com/store/apps/details?id=id.go.jambikota.sikesal"

    before = client.get("/opd/dinkes/").content.decode()
    settings.SIKESAL_ANDROID_PLAY_URL = play
    after = client.get("/opd/dinkes/").content.decode()

    installed = "<li>Aplikasi SIKESAL yang dipasang di ponsel dari situs web</li>"
    assert installed in before
    assert "Google Play" not in before
    assert installed in after
    assert f'<li><a href="{play}">Aplikasi SIKESAL di Google Play</a></li>' in after
    assert (
        "1. Penerimaan: pengaduan disampaikan melalui Formulir pengaduan di situs web SIKESAL, "
        "Aplikasi SIKESAL yang dipasang di ponsel dari situs web, Aplikasi SIKESAL di Google "
        "Play."
    ) in after


@pytest.mark.django_db
def test_agency_page_escapes_text_and_does_not_link_odd_addresses(client: Client):
    make_agency(
        "dinkes",
        "Dinas <b>Kesehatan</b>",
        website="javascript:alert(1)",
        channels="<script>alert(1)</script>",
    )

    html = client.get("/opd/dinkes/").content.decode()

    assert "Dinas &lt;b&gt;Kesehatan&lt;/b&gt;" in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html


@pytest.mark.django_db
def test_agency_page_links_its_active_parent(client: Client):
    kecamatan = make_agency("kec-telanaipura", "Kecamatan Telanaipura", kind="kecamatan")
    make_agency("kel-buluran", "Kelurahan Buluran Kenali", kind="kelurahan", parent=kecamatan)

    html = client.get("/opd/kel-buluran/").content.decode()

    assert '<a href="/opd/kec-telanaipura/">Kecamatan Telanaipura</a>' in html


@pytest.mark.django_db
def test_agency_page_takes_two_queries(client: Client, kominfo, django_assert_num_queries):
    # The agency, its officers (memberships), whether someone takes complaints at its
    # counter or the Secretariat's (its channels), its last published change, and its
    # assignments for the handling figures (none here, so no holidays are read);
    # complaints/tests/test_stats.py pins the count with cases.
    with django_assert_num_queries(5):
        assert client.get("/opd/diskominfo/").status_code == 200


@pytest.mark.django_db
def test_unknown_agency_is_the_indonesian_404_page(client: Client):
    response = client.get("/opd/tidak-ada/")

    assert response.status_code == 404
    html = response.content.decode()
    assert '<html lang="id">' in html
    assert "Halaman tidak ditemukan" in html


@pytest.mark.django_db
def test_inactive_agency_is_not_found(client: Client):
    make_agency("dinas-lama", "Dinas Lama", is_active=False)

    assert client.get("/opd/dinas-lama/").status_code == 404

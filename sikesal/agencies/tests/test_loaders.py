"""The reference-data commands: load_regions, load_agencies, load_categories."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from sikesal.agencies.models import Agency, Category, Region
from sikesal.agencies.publication import handling_mechanism

pytestmark = pytest.mark.django_db

HANDLING_STAGES = [
    "Penerimaan",
    "Pencatatan",
    "Penelaahan",
    "Klarifikasi",
    "Penyaluran",
    "Tindak lanjut",
    "Pelaporan",
    "Pengarsipan",
]


def run(command: str) -> str:
    out = StringIO()
    call_command(command, stdout=out)
    return out.getvalue()


@pytest.fixture
def reference_data(db) -> None:
    """These tests are about the loaders: the commands run here, on the empty database,
    instead of the copy of their rows that the project-wide fixture restores."""
    for command in ("load_regions", "load_agencies", "load_categories"):
        run(command)


def counts() -> dict[str, int]:
    return {
        "regions": Region.objects.count(),
        "agencies": Agency.objects.count(),
        "categories": Category.objects.count(),
    }


# --- regions -------------------------------------------------------------------------------


def test_load_regions_creates_the_city_its_kecamatan_and_kelurahan():
    output = run("load_regions")

    assert Region.objects.filter(level=Region.Level.CITY).count() == 1
    assert Region.objects.filter(level=Region.Level.KECAMATAN).count() == 11
    assert Region.objects.filter(level=Region.Level.KELURAHAN).count() == 68
    assert "Dibuat: Kelurahan Simpang IV Sipin (15.71.01.1001)\n" in output
    assert output.endswith("80 baris dibuat; yang sudah ada tidak diubah.\n")


def test_every_region_has_a_boundary_a_centroid_and_the_right_parent():
    run("load_regions")

    city = Region.objects.get(level=Region.Level.CITY)
    assert (city.code, city.name, city.parent) == ("15.71", "Kota Jambi", None)
    assert not Region.objects.filter(boundary__isnull=True).exists()
    assert not Region.objects.filter(centroid_lat__isnull=True).exists()
    assert not Region.objects.filter(centroid_lng__isnull=True).exists()
    assert set(
        Region.objects.filter(level=Region.Level.KECAMATAN).values_list("parent", flat=True)
    ) == {city.pk}
    assert (
        not Region.objects.filter(level=Region.Level.KELURAHAN)
        .exclude(parent__level=Region.Level.KECAMATAN)
        .exists()
    )
    sungai_asam = Region.objects.get(code="15.71.04.1004")
    assert (sungai_asam.name, sungai_asam.parent.name) == ("Sungai Asam", "Pasar Jambi")
    assert sungai_asam.boundary.geometry["type"] == "Polygon"


def test_local_spellings_are_stored_as_alternative_names():
    run("load_regions")

    alternatives = dict(
        Region.objects.exclude(alternative_names="").values_list("name", "alternative_names")
    )
    assert alternatives == {
        "Sijenjang": "Sejinjang",
        "Thehok": "The Hok",
        "Simpang IV Sipin": "Simpang Empat Sipin",
        "Rawa Sari": "Rawasari",
    }


# --- agencies ------------------------------------------------------------------------------


def test_load_agencies_refuses_without_regions_and_creates_nothing():
    with pytest.raises(CommandError) as error:
        run("load_agencies")

    assert str(error.value) == (
        "Wilayah 15.71.01 untuk kec-telanaipura belum ada; jalankan load_regions dahulu."
    )
    assert Agency.objects.count() == 0


def test_load_agencies_creates_42_with_diskominfo_as_the_only_secretariat(reference_data):
    assert Agency.objects.count() == 42
    assert list(Agency.objects.filter(is_secretariat=True).values_list("code", flat=True)) == [
        "diskominfo"
    ]
    assert Agency.objects.filter(kind=Agency.Kind.KECAMATAN).count() == 11
    assert Agency.objects.get(code="tirtamayang").kind == Agency.Kind.PERUSAHAAN_DAERAH


def test_every_kecamatan_agency_serves_its_kecamatan(reference_data):
    served = {
        agency.code: (agency.region.level, agency.region.name)
        for agency in Agency.objects.filter(kind=Agency.Kind.KECAMATAN).select_related("region")
    }

    assert len(served) == 11
    for code, (level, name) in served.items():
        assert level == Region.Level.KECAMATAN
        assert code == "kec-" + name.lower().replace(" ", "-")
    assert (
        not Agency.objects.exclude(kind=Agency.Kind.KECAMATAN).filter(region__isnull=False).exists()
    )


def test_every_agency_publishes_the_standard_mechanism_naming_only_real_channels(reference_data):
    # The loader seeds no text (issue #9: the seeded text promised an Android app and office
    # intake that do not exist); the page shows the standard mechanism built from the
    # channels SIKESAL offers.
    for agency in Agency.objects.all():
        assert (agency.handling_mechanism, agency.channels) == ("", ""), agency.code
        mechanism = handling_mechanism(agency)
        for stage in HANDLING_STAGES:
            assert f"{stage}: " in mechanism, (agency.code, stage)
        assert "Android" not in mechanism and "kantor" not in mechanism

    dpupr = Agency.objects.get(code="dpupr")
    assert handling_mechanism(dpupr).startswith(
        "Pengaduan tentang layanan Dinas Pekerjaan Umum dan Penataan Ruang ditangani melalui "
        "SIKESAL menurut Peraturan Walikota Jambi Nomor 40 Tahun 2017:\n1. Penerimaan: "
        "pengaduan disampaikan melalui Formulir pengaduan di situs web SIKESAL, Aplikasi "
        "SIKESAL yang dipasang di ponsel dari situs web.\n"
    )
    assert "\n6. Tindak lanjut: petugas PUPR menerima " in handling_mechanism(dpupr)


def test_a_secretariat_moved_by_an_administrator_is_not_taken_back(reference_data):
    # given: the administrator moved the Secretariat to Setda and removed Diskominfo
    Agency.objects.filter(code="diskominfo").delete()
    Agency.objects.filter(code="setda").update(is_secretariat=True)

    # when
    run("load_agencies")

    # then: Diskominfo is back as an ordinary agency
    assert Agency.objects.get(code="diskominfo").is_secretariat is False
    assert list(Agency.objects.filter(is_secretariat=True).values_list("code", flat=True)) == [
        "setda"
    ]


# --- categories ----------------------------------------------------------------------------


def test_load_categories_refuses_without_agencies_and_creates_nothing():
    with pytest.raises(CommandError) as error:
        run("load_categories")

    assert str(error.value) == (
        "OPD dpupr untuk kategori jalan belum ada; jalankan load_agencies dahulu."
    )
    assert Category.objects.count() == 0


def test_categories_route_to_these_agencies(reference_data):
    routing = dict(Category.objects.values_list("code", "default_agency__code"))

    assert routing == {
        # SIKESAL's top ten of 2022
        "jalan": "dpupr",
        "lampu-jalan": "perkim",
        "drainase": "dpupr",
        "kebocoran-pipa-air": "tirtamayang",
        "kualitas-air": "tirtamayang",
        "banjir": "dpupr",
        "bantuan-sosial": "dinsos",
        "lingkungan": "dlh",
        "ketentraman-ketertiban-umum": "satpolpp",
        "parkir-liar": "dishub",
        # the rest
        "administrasi-kependudukan": "disdukcapil",
        "perizinan": "dpmptsp",
        "sampah": "dlh",
        "kebakaran": "damkar",
        "bencana": "bpbd",
        "kesehatan": "dinkes",
        "rumah-sakit": "rsud",
        "sekolah": "disdik",
        "pajak-daerah": "bpprd",
        "pasar": "disperindag",
        "transportasi": "dishub",
        "pelayanan-kecamatan-kelurahan": None,
        "kekerasan-perempuan-anak": "dpmppa",
        "lainnya": None,
    }


def test_every_default_agency_exists_and_is_active(reference_data):
    categories = Category.objects.select_related("default_agency")

    assert categories.count() >= 20
    for category in categories.exclude(default_agency=None):
        assert category.default_agency.is_active, category.code


def test_special_categories(reference_data):
    flags = {
        category.code: (category.routes_to_kecamatan, category.is_sensitive)
        for category in Category.objects.all()
    }

    assert flags.pop("pelayanan-kecamatan-kelurahan") == (True, False)
    assert flags.pop("kekerasan-perempuan-anak") == (False, True)
    assert set(flags.values()) == {(False, False)}
    assert Category.objects.get(code="kekerasan-perempuan-anak").name == (
        "Kekerasan terhadap perempuan dan anak"
    )


def test_categories_keep_their_order_top_ten_first(reference_data):
    codes = list(Category.objects.values_list("code", flat=True))

    assert codes[:3] == ["jalan", "lampu-jalan", "drainase"]
    assert codes[-1] == "lainnya"


# --- idempotence ---------------------------------------------------------------------------


def test_loading_again_creates_nothing(reference_data):
    before = counts()

    outputs = [run(command) for command in ("load_regions", "load_agencies", "load_categories")]

    assert counts() == before == {"regions": 80, "agencies": 42, "categories": 24}
    assert outputs == ["0 baris dibuat; yang sudah ada tidak diubah.\n"] * 3


def test_loading_again_keeps_the_administrators_edits(reference_data):
    # given: an administrator corrected names, routing and public information
    Agency.objects.filter(code="dpupr").update(
        name="Dinas PUPR Kota Jambi", channels="Loket pengaduan lantai 1"
    )
    Region.objects.filter(code="15.71.03.1001").update(alternative_names="")
    Category.objects.filter(code="lampu-jalan").update(
        name="Penerangan jalan umum",
        default_agency=Agency.objects.get(code="dishub"),
        is_active=False,
    )

    # when
    for command in ("load_regions", "load_agencies", "load_categories"):
        run(command)

    # then
    dpupr = Agency.objects.get(code="dpupr")
    assert (dpupr.name, dpupr.channels) == ("Dinas PUPR Kota Jambi", "Loket pengaduan lantai 1")
    assert Region.objects.get(code="15.71.03.1001").alternative_names == ""
    street_lights = Category.objects.select_related("default_agency").get(code="lampu-jalan")
    assert (
        street_lights.name,
        street_lights.default_agency.code,
        street_lights.is_active,
    ) == ("Penerangan jalan umum", "dishub", False)


def test_loading_again_recreates_only_what_was_deleted(reference_data):
    Category.objects.filter(code="lainnya").delete()

    output = run("load_categories")

    assert output == ("Dibuat: Lainnya (lainnya)\n1 baris dibuat; yang sudah ada tidak diubah.\n")
    lainnya = Category.objects.get(code="lainnya")
    assert (lainnya.default_agency, lainnya.sort_order) == (None, 240)

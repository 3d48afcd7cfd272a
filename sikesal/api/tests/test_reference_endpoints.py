"""Reference data through the API: categories, regions and the point look-up, agencies.

Anyone may read it (no credentials, and a bad one is not even looked at); every answer has
an ETag, and a matching If-None-Match gets a 304 that still says how long to cache.
"""

import pytest

from sikesal.agencies.models import Agency, Category, Region
from sikesal.complaints.tests.conftest import AIRPORT

CATEGORIES = "/api/v1/categories/"
REGIONS = "/api/v1/regions/"
LOCATE = "/api/v1/regions/locate/"
AGENCIES = "/api/v1/agencies/"

pytestmark = pytest.mark.usefixtures("reference_data")


def test_categories_are_the_active_ones_in_the_forms_order_with_the_report_types(api):
    Category.objects.filter(code="sampah").update(is_active=False)

    response = api.get(CATEGORIES)

    assert response.status_code == 200
    body = response.json()
    assert body["report_types"] == [
        {"code": "pengaduan", "name": "Pengaduan"},
        {"code": "aspirasi", "name": "Aspirasi"},
        {"code": "informasi", "name": "Permintaan informasi"},
    ]
    codes = [category["code"] for category in body["categories"]]
    expected = Category.objects.filter(is_active=True).order_by("sort_order", "name")
    assert codes == [category.code for category in expected]
    assert "sampah" not in codes
    road = next(c for c in body["categories"] if c["code"] == "jalan")
    assert set(road) == {"code", "name", "description", "is_sensitive"}


def test_a_bad_bearer_token_does_not_stop_a_public_read(api):
    api.credentials(HTTP_AUTHORIZATION="Bearer skl_tidak-ada")

    assert api.get(CATEGORIES).status_code == 200


def test_regions_are_every_kecamatan_with_its_kelurahan(api, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = api.get(REGIONS)

    assert response.status_code == 200
    kecamatan = response.json()
    assert len(kecamatan) == Region.objects.filter(level="kecamatan").count()
    paal_merah = next(k for k in kecamatan if k["code"] == "15.71.11")
    assert paal_merah["name"] == "Paal Merah"
    kelurahan = {k["code"]: k for k in paal_merah["kelurahan"]}
    assert kelurahan["15.71.11.1005"]["name"] == "Paal Merah"
    centroid = kelurahan["15.71.11.1005"]["centroid"]
    assert centroid is None or set(centroid) == {"lat", "lon"}
    assert (
        sum(len(k["kelurahan"]) for k in kecamatan)
        == Region.objects.filter(level="kelurahan").count()
    )


def test_a_point_in_the_city_is_found_in_its_kelurahan(api):
    response = api.get(LOCATE, {"lat": AIRPORT[0], "lon": AIRPORT[1]})

    assert response.status_code == 200
    body = response.json()
    assert body["kelurahan"]["name"] == "Paal Merah"
    assert body["kecamatan"]["name"] == "Paal Merah"
    assert body["snapped"] is False
    assert response["Cache-Control"] == "public, max-age=3600"


def test_a_point_outside_the_city_is_a_404_that_says_so(api):
    response = api.get(LOCATE, {"lat": -6.2, "lon": 106.8})

    assert response.status_code == 404
    error = response.json()["error"]
    assert error["code"] == "outside_city"
    assert error["message"].startswith("Titik ini di luar Kota Jambi.")


def test_the_outside_message_follows_accept_language(api):
    response = api.get(LOCATE, {"lat": -6.2, "lon": 106.8}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 404
    assert response["Content-Language"] == "en"


@pytest.mark.parametrize(
    "query",
    [
        {"lat": "abc", "lon": "103.6"},
        {"lat": "-1.6"},
        {"lat": "1e308", "lon": "103.6"},
        {"lat": "-1.6", "lon": "-1e308"},
        {"lat": "nan", "lon": "103.6"},
        {"lat": "-1.6", "lon": "inf"},
        {"lat": "", "lon": ""},
        {"lat": "91", "lon": "0"},
        {"lat": "9" * 400, "lon": "0"},
    ],
)
def test_a_coordinate_that_is_not_a_number_on_the_globe_is_a_400(api, query):
    response = api.get(LOCATE, query)

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "invalid"


def test_agencies_are_the_active_ones_by_name(api):
    Agency.objects.filter(code="dlh").update(is_active=False)

    response = api.get(AGENCIES)

    assert response.status_code == 200
    agencies = response.json()
    names = [a["name"] for a in agencies]
    assert names == list(
        Agency.objects.filter(is_active=True).order_by("name").values_list("name", flat=True)
    )
    assert "dlh" not in {a["code"] for a in agencies}
    assert set(agencies[0]) == {"code", "name", "short_name", "kind", "kind_label"}


def test_the_agency_search_is_the_directorys(api):
    response = api.get(AGENCIES, {"q": "pupr"})

    assert [a["code"] for a in response.json()] == ["dpupr"]


def test_an_agency_shows_what_its_page_shows(api, client):
    agency = Agency.objects.get(code="dpupr")
    agency.phone = "0741-123456"
    agency.head_name = "Ir. Kepala"
    agency.head_nip = "197001012000031001"
    agency.channels = "Kotak saran di kantor"
    agency.save()

    response = api.get(f"{AGENCIES}dpupr/")

    assert response.status_code == 200
    body = response.json()
    page = client.get("/opd/dpupr/").content.decode()
    assert body["name"] == agency.name
    assert body["contact"]["phone"] == "0741-123456"
    assert body["head"] == {"name": "Ir. Kepala", "title": agency.head_title}
    assert "Kotak saran di kantor" in body["channels"]
    assert body["channels"][0] in page
    assert body["handling_mechanism"].splitlines()[0] in page
    assert body["figures"]["received"] == {"value": None, "base": 0}
    # The NIP signs the recap; the public page does not show it, nor does the API.
    assert "197001012000031001" not in response.content.decode()
    assert "197001012000031001" not in page


def test_an_unknown_or_inactive_agency_is_a_404(api):
    Agency.objects.filter(code="dlh").update(is_active=False)

    for code in ("tidak-ada", "dlh"):
        response = api.get(f"{AGENCIES}{code}/")
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "not_found"


# --- caching ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        CATEGORIES,
        REGIONS,
        f"{LOCATE}?lat={AIRPORT[0]}&lon={AIRPORT[1]}",
        AGENCIES,
        f"{AGENCIES}dpupr/",
    ],
)
def test_a_matching_etag_gets_a_304_with_its_cache_headers(api, url):
    first = api.get(url)
    etag = first["ETag"]

    again = api.get(url, HTTP_IF_NONE_MATCH=etag)

    assert first.status_code == 200
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag
    assert again["Cache-Control"] == "public, max-age=3600"
    assert "Accept-Language" in again["Vary"]


def test_a_change_in_the_data_changes_the_etag(api):
    etag = api.get(CATEGORIES)["ETag"]
    Category.objects.filter(code="jalan").update(name="Jalan rusak")

    response = api.get(CATEGORIES, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 200
    assert response["ETag"] != etag


def test_another_language_has_another_etag(api):
    indonesian = api.get(CATEGORIES)
    english = api.get(CATEGORIES, HTTP_ACCEPT_LANGUAGE="en", HTTP_IF_NONE_MATCH=indonesian["ETag"])

    assert english.status_code == 200
    assert english["Content-Language"] == "en"
    assert english["ETag"] != indonesian["ETag"]


def test_an_error_has_no_etag(api):
    response = api.get(f"{AGENCIES}tidak-ada/")

    assert response.status_code == 404
    assert not response.has_header("ETag")

"""Point look-up: which kelurahan and kecamatan of Kota Jambi a point lies in."""

import math

import pytest

from sikesal.agencies import geo
from sikesal.agencies.geo import Location, RegionRef, locate
from sikesal.agencies.models import Region

# WGS84 near the equator; Kota Jambi lies at 1.6° S.
METRES_PER_DEGREE_LAT = 110_574
METRES_PER_DEGREE_LNG_AT_EQUATOR = 111_320


def names(location: Location | None) -> tuple[str, str] | None:
    if location is None:
        return None
    return (location.kecamatan.name, location.kelurahan.name)


def westernmost_vertex() -> tuple[float, float, list[str]]:
    """The westernmost corner of the city (lat, lng) and the kelurahan that have it.

    Nothing of the city lies west of it, so a point moved due west from it is outside every
    polygon, and the owner of the corner is its nearest kelurahan.
    """
    kelurahan = Region.objects.filter(level=Region.Level.KELURAHAN)
    corners = [
        (lng, lat, region.name)
        for region in kelurahan
        for ring in region.boundary.geometry["coordinates"]
        for lng, lat in ring
    ]
    lng, lat, _name = min(corners)
    return lat, lng, sorted({name for x, y, name in corners if (x, y) == (lng, lat)})


def west_of(lat: float, lng: float, metres: float) -> tuple[float, float]:
    return lat, lng - metres / (METRES_PER_DEGREE_LNG_AT_EQUATOR * math.cos(math.radians(lat)))


@pytest.mark.parametrize(
    ("place", "lat", "lng", "kecamatan", "kelurahan"),
    [
        ("Bandara Sultan Thaha", -1.638, 103.644, "Paal Merah", "Paal Merah"),
        ("Masjid Agung Al-Falah", -1.6006, 103.6136, "Pasar Jambi", "Sungai Asam"),
        ("seberang, tepi utara Batanghari", -1.5869, 103.6133, "Pelayangan", "Mudung Laut"),
        ("pusat kota", -1.59, 103.61, "Pasar Jambi", "Beringin"),
    ],
)
def test_sanity_points_resolve_to_their_kelurahan(
    reference_data, place, lat, lng, kecamatan, kelurahan
):
    location = locate(lat, lng)

    assert names(location) == (kecamatan, kelurahan), place
    assert location.snapped is False
    assert location.distance_m == 0.0


def test_location_refers_to_the_region_rows(reference_data):
    location = locate(-1.6006, 103.6136)

    sungai_asam = Region.objects.get(code="15.71.04.1004")
    pasar_jambi = Region.objects.get(code="15.71.04")
    assert location == Location(
        kelurahan=RegionRef(id=sungai_asam.pk, code="15.71.04.1004", name="Sungai Asam"),
        kecamatan=RegionRef(id=pasar_jambi.pk, code="15.71.04", name="Pasar Jambi"),
        snapped=False,
        distance_m=0.0,
    )


def test_a_point_in_jakarta_is_outside_the_city(reference_data):
    assert locate(-6.2, 106.816) is None


def test_a_point_100_m_outside_the_city_snaps_to_the_nearest_kelurahan(reference_data):
    lat, lng, owners = westernmost_vertex()
    assert owners == ["Kenali Besar"]

    location = locate(*west_of(lat, lng, 100))

    assert names(location) == ("Alam Barajo", "Kenali Besar")
    assert location.snapped is True
    assert location.distance_m == pytest.approx(100, abs=0.5)


def test_the_snap_distance_is_a_setting(reference_data, settings):
    settings.SIKESAL_REGION_SNAP_METRES = 50
    lat, lng, _owners = westernmost_vertex()

    assert locate(*west_of(lat, lng, 100)) is None
    assert names(locate(*west_of(lat, lng, 40))) == ("Alam Barajo", "Kenali Besar")


def test_a_point_2_km_outside_the_city_is_outside(reference_data):
    lat, lng, _owners = westernmost_vertex()

    assert locate(*west_of(lat, lng, 2_000)) is None


def test_distances_are_metres_north_south_too(reference_data):
    # given: the southernmost corner of the city outline
    city = Region.objects.get(level=Region.Level.CITY)
    lng, lat = min(city.boundary.geometry["coordinates"][0], key=lambda corner: corner[1])

    # when: moved due south, 250 m (within the default 300 m) and 350 m
    near = locate(lat - 250 / METRES_PER_DEGREE_LAT, lng)
    far = locate(lat - 350 / METRES_PER_DEGREE_LAT, lng)

    # then
    assert names(near) == ("Kota Baru", "Talang Gulo")
    assert near.snapped is True
    assert near.distance_m == pytest.approx(250, abs=0.5)
    assert far is None


def test_geometry_is_read_once(reference_data, django_assert_num_queries):
    with django_assert_num_queries(1):
        first = locate(-1.638, 103.644)
    with django_assert_num_queries(0):
        second = locate(-1.6006, 103.6136)
        outside = locate(-6.2, 106.816)

    assert names(first) == ("Paal Merah", "Paal Merah")
    assert names(second) == ("Pasar Jambi", "Sungai Asam")
    assert outside is None


def test_clearing_the_cache_reads_the_regions_again(reference_data, django_assert_num_queries):
    locate(-1.638, 103.644)
    Region.objects.filter(code="15.71.11.1005").update(name="Paal Merah Lama")

    assert names(locate(-1.638, 103.644)) == ("Paal Merah", "Paal Merah")
    geo.clear_cache()
    with django_assert_num_queries(1):
        assert names(locate(-1.638, 103.644)) == ("Paal Merah", "Paal Merah Lama")


@pytest.mark.django_db
def test_without_regions_every_point_is_outside():
    assert locate(-1.638, 103.644) is None


@pytest.mark.django_db
@pytest.mark.parametrize(("lat", "lng"), [(math.nan, 103.6), (-1.6, math.inf)])
def test_a_coordinate_that_is_not_a_number_is_refused(lat, lng):
    with pytest.raises(ValueError, match="Coordinates must be finite numbers"):
        locate(lat, lng)

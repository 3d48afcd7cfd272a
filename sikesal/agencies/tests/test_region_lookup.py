"""/wilayah/lokasi/: which kelurahan a point is in, for the location picker."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test import Client
from django.urls import reverse

from sikesal.agencies.models import Region

URL = "/wilayah/lokasi/"


def test_the_url_is_named_regions_locate():
    assert reverse("regions:locate") == URL


def test_the_airport_lies_in_kelurahan_paal_merah_of_kecamatan_paal_merah(
    client: Client, reference_data
):
    response = client.get(URL, {"lat": "-1.638", "lng": "103.644"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    kelurahan = Region.objects.get(level=Region.Level.KELURAHAN, name="Paal Merah")
    assert response.json() == {
        "inside": True,
        "kelurahan": {"id": kelurahan.pk, "name": "Paal Merah"},
        "kecamatan": {"id": kelurahan.parent.pk, "name": "Paal Merah"},
        "snapped": False,
    }
    assert kelurahan.parent.level == Region.Level.KECAMATAN


def test_a_point_on_the_north_bank_lies_in_pelayangan(client: Client, reference_data):
    response = client.get(URL, {"lat": "-1.5869", "lng": "103.6133"})

    body = response.json()
    assert (body["kecamatan"]["name"], body["kelurahan"]["name"]) == ("Pelayangan", "Mudung Laut")


def test_a_point_in_jakarta_is_outside_with_an_indonesian_message(client: Client, reference_data):
    response = client.get(URL, {"lat": "-6.2", "lng": "106.816"})

    assert response.status_code == 200
    body = response.json()
    assert body["inside"] is False
    assert body["message"].startswith("Titik ini di luar Kota Jambi.")
    assert set(body) == {"inside", "message"}


def test_a_point_just_outside_a_kelurahan_edge_is_snapped(client: Client, reference_data):
    # The westernmost corner of the city, moved 100 m further west.
    corners = [
        (lng, lat)
        for region in Region.objects.filter(level=Region.Level.KELURAHAN)
        for ring in region.boundary.geometry["coordinates"]
        for lng, lat in ring
    ]
    lng, lat = min(corners)

    response = client.get(URL, {"lat": str(lat), "lng": str(lng - 0.0009)})

    body = response.json()
    assert body["inside"] is True
    assert body["snapped"] is True


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"lat": "-1.638"},
        {"lng": "103.644"},
        {"lat": "", "lng": ""},
        {"lat": "abc", "lng": "103.644"},
        {"lat": "-1,638", "lng": "103,644"},
        {"lat": "nan", "lng": "103.644"},
        {"lat": "-1.638", "lng": "inf"},
        {"lat": "-91", "lng": "103.644"},
        {"lat": "-1.638", "lng": "180.5"},
        {"lat": "1e400", "lng": "103.644"},
    ],
)
def test_bad_coordinates_answer_400_with_a_message(client: Client, db, query):
    response = client.get(URL, query)

    assert response.status_code == 400
    assert response.json() == {
        "message": "Koordinat tidak sah: lintang dan bujur harus berupa angka."
    }


def test_it_is_public_and_cacheable(client: Client, reference_data):
    response = client.get(URL, {"lat": "-1.638", "lng": "103.644"})

    assert response.status_code == 200  # no redirect to the login page
    assert "public" in response["Cache-Control"]
    assert "max-age=3600" in response["Cache-Control"]
    assert "Cookie" in response["Vary"]


def test_only_get_is_allowed(client: Client, db):
    response = client.post(URL, {"lat": "-1.638", "lng": "103.644"})

    assert response.status_code == 405


def test_without_any_regions_loaded_every_point_is_outside(client: Client, db):
    response = client.get(URL, {"lat": "-1.638", "lng": "103.644"})

    assert response.json()["inside"] is False


def test_one_lookup_after_the_first_costs_no_query(
    client: Client, reference_data, django_assert_num_queries
):
    client.get(URL, {"lat": "-1.638", "lng": "103.644"})  # loads the outlines once

    with django_assert_num_queries(0):
        response = client.get(URL, {"lat": "-1.6006", "lng": "103.6136"})

    assert response.json()["kelurahan"]["name"] == "Sungai Asam"


# --- The location picker that calls it (templates/complaints/partials/) --------------------

PICKER = "complaints/partials/location_picker.html"


class PickerForm(forms.Form):
    """The four fields the complaint form hands to the partial."""

    latitude = forms.DecimalField(required=False, widget=forms.HiddenInput)
    longitude = forms.DecimalField(required=False, widget=forms.HiddenInput)
    kelurahan = forms.ModelChoiceField(
        queryset=Region.objects.filter(level=Region.Level.KELURAHAN), label="Kelurahan"
    )
    address = forms.CharField(label="Alamat atau patokan", help_text="Nama jalan, gedung, RT.")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Grouped by kecamatan: the select renders one <optgroup> per kecamatan.
        kelurahan = Region.objects.filter(level=Region.Level.KELURAHAN).select_related("parent")
        groups: dict[str, list[tuple[int, str]]] = {}
        for region in kelurahan.order_by("parent__name", "name"):
            groups.setdefault(region.parent.name, []).append((region.pk, region.name))
        self.fields["kelurahan"].choices = [("", "---------"), *groups.items()]


def render_picker(form: PickerForm, **context) -> str:
    fields = {name: form[name] for name in ("latitude", "longitude", "kelurahan", "address")}
    return render_to_string(PICKER, {**fields, **context})


def test_the_picker_renders_the_fields_and_what_its_script_needs(reference_data):
    html = render_picker(PickerForm(), MAP_TILE_URL="https://tiles.example/{z}/{x}/{y}.png")

    assert 'data-lookup-url="/wilayah/lokasi/"' in html
    assert 'data-latitude-id="id_latitude"' in html
    assert 'data-longitude-id="id_longitude"' in html
    assert 'data-kelurahan-id="id_kelurahan"' in html
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in html
    assert '<input type="hidden" name="latitude" id="id_latitude">' in html
    assert '<input type="hidden" name="longitude" id="id_longitude">' in html
    assert '<label for="id_kelurahan">Kelurahan</label>' in html
    assert '<optgroup label="Paal Merah">' in html
    assert '<label for="id_address">Alamat atau patokan</label>' in html
    assert "Gunakan lokasi saya" in html
    assert 'role="status" aria-live="polite"' in html
    assert "vendor/leaflet/leaflet.js" in html
    assert "vendor/leaflet/images/marker-icon.png" in html


def test_without_javascript_only_the_address_and_kelurahan_show(reference_data):
    html = render_picker(PickerForm())

    # Everything interactive sits in one block the script un-hides.
    assert '<div class="location-picker__live" data-role="live" hidden>' in html
    assert 'data-tile-url=""' in html


def test_the_picker_has_no_inline_script_or_style(reference_data):
    html = render_picker(PickerForm(), MAP_TILE_URL="https://tiles.example/{z}/{x}/{y}.png")

    assert " style=" not in html
    assert "<style" not in html
    assert html.count("<script") == html.count("<script src=") == 2


def test_the_picker_shows_field_errors_and_keeps_the_chosen_point(reference_data):
    paal_merah = Region.objects.get(level=Region.Level.KELURAHAN, name="Paal Merah")
    form = PickerForm(data={"latitude": "-1.638", "longitude": "103.644", "kelurahan": ""})
    form.is_valid()

    html = render_picker(form)

    assert 'value="-1.638"' in html
    assert 'value="103.644"' in html
    assert f'<option value="{paal_merah.pk}">Paal Merah</option>' in html
    assert 'class="field field--error"' in html
    assert 'id="id_kelurahan_error"' in html
    assert 'id="id_address_error"' in html

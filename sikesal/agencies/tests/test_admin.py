"""The admin pages for regions, agencies and categories."""

import pytest
from django.test import Client
from django.urls import reverse

from sikesal.agencies import geo
from sikesal.agencies.models import Agency, Category, Region


@pytest.mark.parametrize("model", ["region", "agency", "category"])
def test_changelists_open(reference_data, admin_client: Client, model: str):
    response = admin_client.get(reverse(f"admin:agencies_{model}_changelist"))

    assert response.status_code == 200


def test_region_page_summarises_the_boundary_instead_of_showing_it(
    reference_data, admin_client: Client
):
    region = Region.objects.get(code="15.71.04.1004")
    first_lng = region.boundary.geometry["coordinates"][0][0][0]
    points = len(region.boundary.geometry["coordinates"][0])

    response = admin_client.get(reverse("admin:agencies_region_change", args=[region.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert f"Polygon, {points} titik" in html
    assert str(first_lng) not in html
    assert 'name="boundary"' not in html


def test_renaming_a_kelurahan_in_the_admin_shows_in_point_look_ups(
    reference_data, admin_client: Client
):
    region = Region.objects.get(code="15.71.11.1005")
    assert geo.locate(-1.638, 103.644).kelurahan.name == "Paal Merah"

    response = admin_client.post(
        reverse("admin:agencies_region_change", args=[region.pk]),
        {
            "code": region.code,
            "name": "Paal Merah Baru",
            "level": region.level,
            "parent": region.parent_id,
            "alternative_names": "",
            "centroid_lat": region.centroid_lat,
            "centroid_lng": region.centroid_lng,
        },
    )

    assert response.status_code == 302
    region.refresh_from_db()
    assert region.name == "Paal Merah Baru"
    assert region.boundary.geometry["type"] == "Polygon"
    assert geo.locate(-1.638, 103.644).kelurahan.name == "Paal Merah Baru"


def test_agency_page_groups_the_head_and_the_public_information(
    reference_data, admin_client: Client
):
    agency = Agency.objects.get(code="dpupr")

    response = admin_client.get(reverse("admin:agencies_agency_change", args=[agency.pk]))

    assert response.status_code == 200
    html = response.content.decode()
    assert "Kepala/Direktur (penanda tangan rekapitulasi bulanan)" in html
    assert "Informasi publik (Pasal 11 ayat 1)" in html
    assert 'name="head_nip"' in html
    assert 'name="handling_mechanism"' in html


def test_category_default_agency_and_activity_are_editable_in_the_list(
    reference_data, admin_client: Client
):
    categories = list(Category.objects.order_by("sort_order", "name"))
    dishub = Agency.objects.get(code="dishub")
    data = {
        "form-TOTAL_FORMS": str(len(categories)),
        "form-INITIAL_FORMS": str(len(categories)),
        "_save": "Simpan",
    }
    for index, category in enumerate(categories):
        data[f"form-{index}-id"] = str(category.pk)
        data[f"form-{index}-default_agency"] = str(category.default_agency_id or "")
        data[f"form-{index}-sort_order"] = str(category.sort_order)
        if category.is_active:
            data[f"form-{index}-is_active"] = "on"
    street_lights = categories.index(Category.objects.get(code="lampu-jalan"))
    data[f"form-{street_lights}-default_agency"] = str(dishub.pk)
    del data[f"form-{street_lights}-is_active"]

    response = admin_client.post(reverse("admin:agencies_category_changelist"), data)

    assert response.status_code == 302
    changed = Category.objects.get(code="lampu-jalan")
    assert (changed.default_agency_id, changed.is_active) == (dishub.pk, False)
    assert Category.objects.get(code="jalan").default_agency.code == "dpupr"

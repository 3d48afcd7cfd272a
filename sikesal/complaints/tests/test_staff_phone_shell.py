"""The staff complaint page on a phone, through HTTP: the action bar (every allowed action, a
link that opens its form without JavaScript) and the location (in words, a map and a geo:
link instead of raw coordinates; never on the public page). The real-browser checks at
360x640 are in test_browser_staff_phone.py."""

import re

import pytest
from django.urls import reverse

from sikesal.complaints.services import Location
from sikesal.complaints.tests.conftest import AIRPORT, file_complaint, routed
from sikesal.complaints.workflow import transition

pytestmark = pytest.mark.django_db


def detail_url(complaint) -> str:
    return reverse("staff:complaint", args=[complaint.tracking_number])


def bar_links(html: str) -> list[tuple[str, str]]:
    """(href, label) of each link in the action bar."""
    bar = re.search(r'<nav class="staff-actionbar".*?</nav>', html, re.S)
    if bar is None:
        return []
    return re.findall(r'<a class="staff-actionbar__link" href="([^"]+)"[^>]*>([^<]+)</a>', bar[0])


def open_panels(html: str) -> list[str]:
    return re.findall(r'<details class="staff-action" id="action-(\w+)" open>', html)


# --- the action bar ----------------------------------------------------------------------


def test_the_action_bar_offers_exactly_the_actions_of_the_workflow(client, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    client.force_login(people.secretariat)

    response = client.get(detail_url(complaint))

    panels = response.context["panels"]
    assert bar_links(response.content.decode()) == [
        (f"?tindakan={p.name}#action-{p.name}", p.label) for p in panels
    ]
    assert [p.name for p in panels] == [
        "request_clarification",
        "decline",
        "route",
        "change_category",
        "note",
    ]
    assert open_panels(response.content.decode()) == []


def test_a_link_of_the_bar_opens_that_actions_form_without_javascript(client, people):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    client.force_login(people.secretariat)

    response = client.get(detail_url(complaint), {"tindakan": "route"})

    assert response.status_code == 200
    assert open_panels(response.content.decode()) == ["route"]
    assert 'name="route-agencies-0-agency"' in response.content.decode()


@pytest.mark.parametrize("asked", ["accept", "respond", "rate", "nope", "<script>x</script>", ""])
def test_asking_for_an_action_not_allowed_now_opens_nothing(client, people, asked):
    complaint = file_complaint(people)
    transition(complaint, "review", actor=people.secretariat)
    client.force_login(people.secretariat)

    response = client.get(detail_url(complaint), {"tindakan": asked})

    assert response.status_code == 200
    assert open_panels(response.content.decode()) == []
    assert "<script>x</script>" not in response.content.decode()


def test_an_agency_officer_gets_the_bar_of_their_assignment(client, people):
    complaint = routed(people, file_complaint(people), people.pupr)
    client.force_login(people.officer)

    response = client.get(detail_url(complaint), {"tindakan": "accept"})

    names = [href.split("=")[1].split("#")[0] for href, _ in bar_links(response.content.decode())]
    assert names == [p.name for p in response.context["panels"]]
    assert "accept" in names
    assert "route" not in names
    assert open_panels(response.content.decode()) == ["accept"]


def test_the_form_a_link_opened_still_posts_through_the_workflow(client, people):
    complaint = routed(people, file_complaint(people), people.pupr)
    client.force_login(people.officer)
    client.get(detail_url(complaint), {"tindakan": "accept"})

    response = client.post(reverse("staff:act", args=[complaint.tracking_number, "accept"]), {})

    assert response.status_code == 302
    assignment = complaint.assignments.get()
    assert assignment.register_number


def test_an_executive_who_takes_no_action_gets_no_bar(client, people):
    complaint = file_complaint(people)
    client.force_login(people.executive)

    response = client.get(detail_url(complaint), {"tindakan": "review"})

    assert response.status_code == 200
    assert response.context["panels"] == []
    assert bar_links(response.content.decode()) == []
    assert "staff-actionbar" not in response.content.decode()


# --- the location ------------------------------------------------------------------------


def test_the_location_is_a_map_and_a_geo_link_not_raw_coordinates(client, people):
    complaint = file_complaint(
        people,
        location=Location(
            latitude=AIRPORT[0], longitude=AIRPORT[1], kelurahan=None, address="Depan gerbang"
        ),
    )
    client.force_login(people.secretariat)

    html = client.get(detail_url(complaint)).content.decode()

    point = f"{AIRPORT[0]:.6f},{AIRPORT[1]:.6f}"
    assert f'href="geo:{point}?q={point}" data-geo-link>Buka di peta</a>' in html
    assert f'data-latitude="{AIRPORT[0]:.6f}"' in html
    assert f'data-longitude="{AIRPORT[1]:.6f}"' in html
    assert "js/location-map.js" in html
    assert "vendor/leaflet/leaflet.js" in html
    assert f"{AIRPORT[0]:.6f}, {AIRPORT[1]:.6f}" not in html  # no raw coordinates as text
    assert f"Kel. {complaint.kelurahan.name}, Kec. {complaint.kecamatan.name}" in html
    assert "Depan gerbang" in html


def test_the_map_is_left_out_when_no_tile_server_is_set_but_the_geo_link_stays(
    client, people, settings
):
    settings.MAP_TILE_URL = ""
    complaint = file_complaint(people)
    client.force_login(people.officer)
    routed(people, complaint, people.pupr)

    html = client.get(detail_url(complaint)).content.decode()

    assert 'data-tile-url=""' in html
    assert 'href="geo:' in html


def test_a_complaint_without_a_point_has_no_map_and_no_geo_link(
    client, people, kelurahan_paal_merah
):
    complaint = file_complaint(
        people,
        location=Location(
            latitude=None,
            longitude=None,
            kelurahan=kelurahan_paal_merah,
            address="Jl. Sultan Thaha",
        ),
    )
    client.force_login(people.secretariat)

    html = client.get(detail_url(complaint)).content.decode()

    assert "geo:" not in html
    assert "data-location-map" not in html
    assert "Pelapor tidak menandai titik di peta." in html
    assert "Kel. Paal Merah, Kec." in html
    assert "Jl. Sultan Thaha" in html


def test_the_public_page_never_shows_the_point(client, people):
    complaint = routed(people, file_complaint(people), people.pupr)

    html = client.get(reverse("complaints:public_detail", args=[complaint.tracking_number]))

    page = html.content.decode()
    assert html.status_code == 200
    assert "geo:" not in page
    assert "data-location-map" not in page
    assert f"{AIRPORT[1]:.3f}" not in page
    assert complaint.kelurahan.name in page

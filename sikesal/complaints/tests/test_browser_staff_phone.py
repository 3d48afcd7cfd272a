"""The staff console on a 360x640 phone, in a real Chromium (Debian's, driven by Playwright):
every allowed action within the first screen and opening its form, with and without
JavaScript; the complaint's point on a map with a geo: link; and no staff page that
scrolls sideways (the queue, the complaint page, the recaps, /staf/pantau/)."""

import os
from datetime import timedelta

import pytest
from django.db import connections
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sikesal.complaints.tests.conftest import AIRPORT, file_complaint, routed
from sikesal.complaints.workflow import Route, transition
from sikesal.core.calendar import local_date
from sikesal.core.tests.browser import needs_chromium, playwright
from sikesal.reports.pdf import PdfUnavailable
from sikesal.reports.recap import Month
from sikesal.reports.services import recap_for, recap_submit

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"width": 360, "height": 640}
# No internet in CI: tiles cannot load, and the map must show its marker anyway.
NO_TILES = "https://127.0.0.1:9/{z}/{x}/{y}.png"
# A word no line can break, as officers and citizens sometimes type them.
LONG_WORD = "Jl.SultanThahaSyaifuddinNomor123RT04RW02KelurahanPaalMerahKecamatan"


def phone(browser, live_server, settings, user, *, javascript: bool = True):
    """A page on a 360x640 phone, signed in as `user`, and the list its script errors go to."""
    client = Client()
    client.force_login(user)
    context = browser.new_context(viewport=PHONE, java_script_enabled=javascript)
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    return page, errors


def in_first_screen(box) -> bool:
    return (
        box is not None
        and box["x"] >= 0
        and box["y"] >= 0
        and box["x"] + box["width"] <= PHONE["width"]
        and box["y"] + box["height"] <= PHONE["height"]
    )


def page_width(page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def action_names(page) -> list[str]:
    return page.locator(".staff-actionbar a[data-action]").evaluate_all(
        "links => links.map(link => link.dataset.action)"
    )


def check_each_action(page, url: str, *, javascript: bool) -> list[str]:
    page.goto(url)
    names = action_names(page)
    for name in names:
        page.goto(url)
        link = page.locator(f".staff-actionbar a[data-action={name}]")
        assert in_first_screen(link.bounding_box()), f"{name}: {link.bounding_box()}"
        form = page.locator(f"#action-{name} form")
        playwright.expect(form).to_be_hidden()

        link.click()

        playwright.expect(form).to_be_visible()
        playwright.expect(page.locator(f"#action-{name}")).to_have_attribute("open", "")
        playwright.expect(form.locator("button[type=submit]").last).to_be_visible()
        if not javascript:
            assert f"tindakan={name}" in page.url
    return names


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_each_allowed_action_is_in_the_first_screen_and_opens_its_form(
    live_server, transactional_db, browser, settings, people, javascript
):
    settings.MAP_TILE_URL = NO_TILES
    reviewed = file_complaint(people, title="Jalan berlubang " * 8)
    transition(reviewed, "review", actor=people.secretariat)
    at_agency = routed(people, file_complaint(people), people.pupr)

    page, errors = phone(browser, live_server, settings, people.secretariat, javascript=javascript)
    secretariat_actions = check_each_action(
        page,
        live_server.url + reverse("staff:complaint", args=[reviewed.tracking_number]),
        javascript=javascript,
    )
    page.context.close()
    page, officer_errors = phone(
        browser, live_server, settings, people.officer, javascript=javascript
    )
    officer_actions = check_each_action(
        page,
        live_server.url + reverse("staff:complaint", args=[at_agency.tracking_number]),
        javascript=javascript,
    )
    page.context.close()

    assert secretariat_actions == [
        "request_clarification",
        "decline",
        "route",
        "change_category",
        "note",
    ]
    assert "accept" in officer_actions and "route" not in officer_actions
    assert errors == [] and officer_errors == []
    connections.close_all()


def test_the_map_shows_the_point_and_the_geo_link_carries_its_coordinates(
    live_server, transactional_db, browser, settings, people
):
    settings.MAP_TILE_URL = NO_TILES
    complaint = file_complaint(people)
    page, errors = phone(browser, live_server, settings, people.secretariat)

    page.goto(live_server.url + reverse("staff:complaint", args=[complaint.tracking_number]))

    the_map = page.locator("[data-location-map]")
    playwright.expect(the_map).to_be_visible()
    playwright.expect(the_map.locator(".leaflet-marker-icon")).to_be_visible()
    box = the_map.bounding_box()
    assert box["width"] <= PHONE["width"] and box["height"] >= 150
    point = f"{AIRPORT[0]:.6f},{AIRPORT[1]:.6f}"
    link = page.get_by_role("link", name="Buka di peta")
    playwright.expect(link).to_have_attribute("href", f"geo:{point}?q={point}")
    playwright.expect(page.locator(".location-map__place")).to_contain_text(
        f"Kel. {complaint.kelurahan.name}, Kec. {complaint.kecamatan.name}"
    )
    # The marker sits on the point: the map's centre.
    marker = the_map.locator(".leaflet-marker-icon").bounding_box()
    assert abs(marker["x"] + marker["width"] / 2 - (box["x"] + box["width"] / 2)) < 3
    assert page_width(page) <= PHONE["width"]
    assert errors == []
    page.context.close()
    connections.close_all()


def test_no_staff_page_scrolls_sideways_on_a_phone(
    live_server, transactional_db, browser, settings, people
):
    settings.MAP_TILE_URL = NO_TILES
    today = local_date(timezone.now())
    last_month = Month(today.year, today.month).previous
    at = last_month.bounds()[0] + timedelta(days=2, hours=9)
    handled = []
    for number in range(3):
        complaint = file_complaint(
            people,
            at=at + timedelta(days=number),
            title=f"{LONG_WORD} {number}",
            description=f"{LONG_WORD} " * 20,
        )
        transition(complaint, "review", actor=people.secretariat, now=at)
        transition(
            complaint,
            "route",
            actor=people.secretariat,
            routes=[Route(agency=people.pupr, is_lead=True)],
            now=at,
        )
        assignment = complaint.assignments.get()
        transition(complaint, "accept", actor=people.officer, assignment=assignment, now=at)
        handled.append(complaint)
    transition(
        handled[0],
        "respond",
        actor=people.officer,
        assignment=handled[0].assignments.get(),
        note=LONG_WORD * 2,
        now=at + timedelta(days=5),
    )
    file_complaint(people, title=LONG_WORD)  # new, at the Secretariat
    recap = recap_for(people.pupr, last_month)
    try:
        recap_submit(recap, user=people.head)
    except PdfUnavailable:
        if os.environ.get("SIKESAL_REQUIRE_PDF"):
            raise
    recap_url = reverse("reports:recap", args=["dpupr", str(last_month)])

    pages = {
        people.secretariat: [
            reverse("staff:queue"),
            reverse("staff:queue") + "?status=all",
            reverse("staff:queue") + "?status=open&overdue=1",
            reverse("staff:complaint", args=[handled[0].tracking_number]),
            reverse("reports:recaps"),
            recap_url,
            reverse("monitoring:dashboard"),
            reverse("monitoring:reports"),
        ],
        people.officer: [
            reverse("staff:queue"),
            reverse("staff:complaint", args=[handled[1].tracking_number]),
        ],
        people.head: [reverse("reports:recaps"), recap_url],
        people.executive: [reverse("monitoring:dashboard")],
    }
    widths = {}
    for user, urls in pages.items():
        page, errors = phone(browser, live_server, settings, user)
        for url in urls:
            response = page.goto(live_server.url + url)
            assert response.status == 200, url
            widths[(user.username, url)] = page_width(page)
        assert errors == []
        page.context.close()

    assert {key: width for key, width in widths.items() if width > PHONE["width"]} == {}
    connections.close_all()

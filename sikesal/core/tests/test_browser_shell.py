"""The phone-first shell in a real Chromium on a 360x640 phone screen: a compact header, the
page's own title and the home page's "Laporkan keluhan" in the first screen, no sideways
scrolling, a menu that works by keyboard, and /lapor/'s category filter."""

import re
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.test import Client

from sikesal.accounts.models import Role
from sikesal.agencies.models import Agency, Category
from sikesal.complaints.tests.conftest import file_complaint as submit
from sikesal.complaints.tests.conftest import make_user, member, routed
from sikesal.core.tests.browser import needs_chromium, playwright

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"viewport": {"width": 360, "height": 640}}
SCREEN = 640
# The header may take at most 120 of the 640 px: room for two rows of 44 px tap targets
# (the bar wrapping on a narrower phone or with a larger font) and their padding, while
# more than four fifths of the first screen stay the page's own. At 360 px it is one row.
HEADER_MAX = 120

MEASURE = """() => ({
  header: document.querySelector("header.site-header").getBoundingClientRect().height,
  h1: document.querySelector("main h1").getBoundingClientRect().bottom,
  width: document.documentElement.scrollWidth,
})"""


@pytest.fixture
def site(live_server, transactional_db, settings, tmp_path):
    """The reference data, a citizen signed in, and one public (routed) complaint."""
    settings.MEDIA_ROOT = tmp_path
    settings.MAP_TILE_URL = "https://127.0.0.1:9/{z}/{x}/{y}.png"  # no internet in CI
    for command in ("load_regions", "load_agencies", "load_categories"):
        call_command(command, stdout=StringIO())
    citizen = make_user("wargahp")
    secretariat = member("sekretariat", Agency.objects.get(code="diskominfo"), Role.SECRETARIAT)
    people = SimpleNamespace(
        reporter=citizen, secretariat=secretariat, road=Category.objects.get(code="jalan")
    )
    complaint = routed(people, submit(people), Agency.objects.get(code="dpupr"))
    client = Client()
    client.force_login(citizen)
    cookie = {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }
    return SimpleNamespace(url=live_server.url, complaint=complaint, cookie=cookie)


def test_first_screen_and_no_sideways_scrolling(site, browser):
    tracking = site.complaint.tracking_number
    pages = ["/", "/lapor/", "/pengaduan/", f"/pengaduan/{tracking}/", "/saya/",
             f"/saya/{tracking}/", "/opd/", "/opd/dpupr/"]  # fmt: skip
    problems = []
    for signed_in in (False, True):
        context = browser.new_context(**PHONE)
        if signed_in:
            context.add_cookies([site.cookie])
        page = context.new_page()
        for path in pages:
            if not signed_in and path.startswith(("/saya/", "/lapor/")):
                continue  # they ask to sign in
            response = page.goto(site.url + path)
            assert response.status == 200, path
            found = page.evaluate(MEASURE)
            if found["header"] > HEADER_MAX:
                problems.append(f"{path}: the header is {found['header']} px high")
            if found["h1"] > SCREEN:
                problems.append(f"{path}: the title ends at {found['h1']} px, below the screen")
            if found["width"] > 360:
                problems.append(f"{path}: {found['width']} px wide, scrolls sideways")
        context.close()
    assert problems == []


def test_home_leads_to_filing_from_the_first_screen(site, browser):
    context = browser.new_context(**PHONE)
    context.add_cookies([site.cookie])
    page = context.new_page()
    page.goto(site.url + "/")
    action = page.get_by_role("link", name="Laporkan keluhan")
    playwright.expect(action).to_be_visible()
    assert action.bounding_box()["y"] + action.bounding_box()["height"] <= SCREEN
    action.click()
    page.wait_for_url("**/lapor/")
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text("Sampaikan pengaduan")
    context.close()


def test_menu_opens_and_its_links_work_by_keyboard(site, browser):
    context = browser.new_context(**PHONE)
    context.add_cookies([site.cookie])
    page = context.new_page()
    page.goto(site.url + "/opd/")
    link = page.get_by_role("link", name="Pengaduan saya")
    playwright.expect(link).to_be_hidden()  # closed: the menu takes no room
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.classList.contains('site-menu__button')"):
            break
    else:
        pytest.fail("the menu button cannot be reached with Tab")
    page.keyboard.press("Enter")
    playwright.expect(link).to_be_visible()
    assert page.locator("header.site-header").bounding_box()["height"] > HEADER_MAX  # opened
    for _ in range(10):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim() === 'Pengaduan saya'"):
            break
    else:
        pytest.fail("Tab does not reach the menu's links")
    page.keyboard.press("Enter")
    page.wait_for_url("**/saya/")
    playwright.expect(page.get_by_role("heading", level=1)).to_have_text("Pengaduan saya")
    # On the new page the menu is closed again, and Space opens it too.
    page.locator(".site-menu__button").focus()
    page.keyboard.press("Space")
    playwright.expect(page.get_by_role("link", name="Direktori OPD")).to_be_visible()
    context.close()


def test_lapor_categories_most_used_first_and_the_rest_filtered(site, browser):
    context = browser.new_context(**PHONE)
    context.add_cookies([site.cookie])
    page = context.new_page()
    page.goto(site.url + "/lapor/")
    # The one complaint on the site is about roads: "Jalan" comes first.
    first = page.locator(".category-choice > .choices .choice__label").first
    playwright.expect(first).to_have_text("Jalan")
    school = page.get_by_role("radio", name="Sekolah")
    playwright.expect(school).to_be_hidden()
    page.get_by_text(re.compile(r"Kategori lain \(\d+\)")).click()
    page.get_by_label("Cari kategori").fill("sekolah")
    visible = page.locator("[data-category-filter-list] .choice:visible .choice__label")
    playwright.expect(visible).to_have_text(["Sekolah"])
    school.check()
    hint = page.locator(f"#{school.get_attribute('id')}_hint")
    playwright.expect(hint).to_be_visible()  # the chosen category's description
    # ... which screen readers hear as the radio button's description, not in its name.
    playwright.expect(school).to_have_accessible_description(hint.inner_text())
    page.get_by_label("Cari kategori").fill("tidak ada yang seperti ini")
    playwright.expect(page.get_by_text("Tidak ada kategori yang cocok.")).to_be_hidden()
    playwright.expect(visible).to_have_text(["Sekolah"])  # the chosen one stays in view
    context.close()

    # Without JavaScript: no filter, and the other categories are a plain radio list.
    context = browser.new_context(**PHONE, java_script_enabled=False)
    context.add_cookies([site.cookie])
    page = context.new_page()
    page.goto(site.url + "/lapor/")
    page.get_by_text(re.compile(r"Kategori lain \(\d+\)")).click()
    playwright.expect(page.get_by_label("Cari kategori")).to_be_hidden()
    page.get_by_role("radio", name="Sekolah").check()
    playwright.expect(page.get_by_role("radio", name="Sekolah")).to_be_checked()
    context.close()

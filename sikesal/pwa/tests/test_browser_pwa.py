"""The phone app in a real Chromium (Debian's, driven by Playwright): installable, controlled
by the service worker, usable offline, and never keeping one person's pages for another."""

import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from django.test import Client

from sikesal.complaints.tests.conftest import make_user
from sikesal.core.tests import browser as browser_support
from sikesal.core.tests.browser import needs_chromium, playwright

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def phone(live_server, tmp_path) -> Iterator:
    """A Chromium profile of its own on a 360x640 screen. Not the `browser` fixture's
    contexts: Chromium calls those incognito, where no app installs."""
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with browser_support.playwright.sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            tmp_path / "profile",
            executable_path=browser_support.CHROMIUM,
            # Offer installation at once, without Chrome's wait for the visitor's engagement.
            args=[*browser_support.CHROMIUM_ARGS, "--bypass-app-banner-engagement-checks"],
            viewport={"width": 360, "height": 640},
        )
        yield context
        context.close()
    connections.close_all()


def controlled_page(context, url: str):
    """A page of `url` once the service worker controls it (installed, then a reload)."""
    page = context.new_page()
    page.goto(url)
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    return page


def test_chromium_finds_the_app_installable(live_server, db, phone):
    page = phone.new_page()
    page.goto(live_server.url + "/")
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")

    session = page.context.new_cdp_session(page)
    result = session.send("Page.getInstallabilityErrors")
    manifest = session.send("Page.getAppManifest")

    assert result["installabilityErrors"] == []
    assert manifest["url"] == live_server.url + "/manifest.webmanifest"
    assert manifest["errors"] == []


def test_the_service_worker_controls_the_page_after_a_reload(live_server, db, phone):
    errors = []
    phone.on("weberror", lambda error: errors.append(str(error.error)))

    page = controlled_page(phone, live_server.url + "/")

    script = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    assert script == live_server.url + "/sw.js"
    assert errors == []


KEPT_PAGES = """async () => {
  const kept = [];
  for (const name of await caches.keys()) {
    if (!name.includes("-pages-")) continue;
    for (const request of await (await caches.open(name)).keys()) kept.push(request.url);
  }
  return kept.sort();
}"""
ALL_CACHED = """async () => {
  const cached = [];
  for (const name of await caches.keys()) {
    for (const request of await (await caches.open(name)).keys()) cached.push(request.url);
  }
  return cached;
}"""


def wait_for_kept(page, predicate, timeout: float = 10) -> list[str]:
    """The kept pages once `predicate` holds for them (the worker stores a page after it
    has answered with it)."""
    deadline = time.monotonic() + timeout
    while True:
        kept = page.evaluate(KEPT_PAGES)
        if predicate(kept) or time.monotonic() > deadline:
            return kept
        time.sleep(0.1)


def sign_in(phone, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    phone.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )


def test_offline_a_visited_page_opens_and_an_unvisited_one_says_offline(
    live_server, transactional_db, phone
):
    home = live_server.url + "/"
    page = controlled_page(phone, home)
    page.goto(live_server.url + "/masuk/")
    page.goto(home)
    kept = wait_for_kept(page, lambda kept: home in kept)
    assert kept == [home]

    phone.set_offline(True)
    page.reload()
    playwright.expect(page.locator("#main")).to_be_visible()
    assert "luring" not in page.title()
    assert page.locator("a.site-name").count() == 1

    page.goto(live_server.url + "/opd/")
    playwright.expect(page.locator("h1")).to_have_text("Anda sedang luring")
    page.goto(live_server.url + "/masuk/")  # visited, but sent with no-store
    playwright.expect(page.locator("h1")).to_have_text("Anda sedang luring")
    playwright.expect(
        page.get_by_role("link", name="Menulis pengaduan di halaman Lapor")
    ).to_be_visible()


def test_offline_a_page_kept_for_someone_is_not_shown_once_they_are_gone(
    live_server, transactional_db, phone
):
    # Given a citizen whose home page the phone kept
    sign_in(phone, live_server, make_user("wargapwa"))
    home = live_server.url + "/"
    page = controlled_page(phone, home)
    wait_for_kept(page, lambda kept: home in kept)
    assert "Wargapwa" in page.content()

    # When the session is gone (cookies cleared) and the phone has no signal
    phone.clear_cookies()
    phone.set_offline(True)
    page.reload()

    # Then the next person sees the offline page, not the citizen's home
    playwright.expect(page.locator("h1")).to_have_text("Anda sedang luring")
    assert "Wargapwa" not in page.content()


def test_logout_forgets_the_kept_pages_and_staff_pages_are_never_kept(
    live_server, transactional_db, phone
):
    # Given a signed-in officer (an executive uses the staff console)
    sign_in(phone, live_server, make_user("walikotapwa", is_executive=True))
    page = controlled_page(phone, live_server.url + "/")
    mine = live_server.url + "/saya/"
    page.goto(mine)
    page.goto(live_server.url + "/staf/")
    playwright.expect(page.locator("#main")).to_be_visible()
    page.goto(live_server.url + "/akun/")
    kept = wait_for_kept(page, lambda kept: mine in kept)
    assert mine in kept
    cached = page.evaluate(ALL_CACHED)
    assert [url for url in cached if "/staf/" in url or "/akun/" in url] == []

    # When they sign out
    page.locator(".site-menu__button").click()  # on a phone the menu holds "Keluar"
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_url(live_server.url + "/")

    # Then nothing kept while they were signed in is left
    kept = wait_for_kept(page, lambda kept: mine not in kept)
    assert mine not in kept
    assert [url for url in page.evaluate(ALL_CACHED) if "/staf/" in url] == []


def test_the_install_button_appears_only_when_the_browser_offers_installation(
    live_server, db, phone
):
    page = phone.new_page()
    offered = []
    page.expose_function("offered", lambda: offered.append(True))
    page.add_init_script("window.addEventListener('beforeinstallprompt', () => window.offered());")
    page.goto(live_server.url + "/")
    button = page.get_by_role("button", name="Pasang aplikasi")

    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    deadline = time.monotonic() + 15
    while not offered and time.monotonic() < deadline:
        page.wait_for_timeout(200)

    assert offered, "Chromium did not offer to install the app"
    playwright.expect(button).to_be_visible()


def test_without_an_offer_there_is_no_install_button(live_server, db, browser):
    # An incognito context: Chromium never offers to install there.
    context = browser.new_context()
    page = context.new_page()
    page.goto(live_server.url + "/")
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_timeout(500)

    assert page.locator("[data-pwa-install]").count() == 1
    playwright.expect(page.get_by_role("button", name="Pasang aplikasi")).to_be_hidden()
    context.close()


def test_a_new_version_replaces_the_old_caches(live_server, db, phone, settings, tmp_path):
    # Given a phone controlled by the worker of today's static files
    static = tmp_path / "static"
    (static / "css").mkdir(parents=True)
    stylesheet = Path(settings.BASE_DIR) / "static" / "css" / "sikesal.css"
    shutil.copy(stylesheet, static / "css" / "sikesal.css")
    settings.STATICFILES_DIRS = [static, *settings.STATICFILES_DIRS]
    page = controlled_page(phone, live_server.url + "/")
    before = page.evaluate("caches.keys()")
    assert len({name.split("-")[1] for name in before}) == 1

    # When a release changes a precached file and the phone comes back
    with (static / "css" / "sikesal.css").open("a") as changed:
        changed.write("\n.released { color: inherit; }\n")
    page.evaluate("navigator.serviceWorker.getRegistration().then((r) => r.update())")
    deadline = time.monotonic() + 15
    after = before
    while time.monotonic() < deadline and set(after) & set(before):
        page.wait_for_timeout(200)
        after = page.evaluate("caches.keys()")

    # Then only the new version's caches are left
    assert after
    assert not set(after) & set(before)
    assert len({name.split("-")[1] for name in after}) == 1

"""The phone app in a real Chromium (Debian's, driven by Playwright): installable, controlled
by the service worker, usable offline, and never keeping one person's pages for another."""

import os
from collections.abc import Iterator

import pytest
from django.db import connections

from sikesal.core.tests import browser as browser_support
from sikesal.core.tests.browser import needs_chromium

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
            args=browser_support.CHROMIUM_ARGS,
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
    page = controlled_page(phone, live_server.url + "/")

    script = page.evaluate("navigator.serviceWorker.controller.scriptURL")
    assert script == live_server.url + "/sw.js"

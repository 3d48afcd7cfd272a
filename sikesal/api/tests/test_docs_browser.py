"""/api/docs/ in a real Chromium: Swagger UI renders the schema from our own server only
(vendored assets: a closed government network has no CDN)."""

from urllib.parse import urlsplit

import pytest

from sikesal.core.tests.browser import needs_chromium, playwright

pytestmark = [pytest.mark.browser, needs_chromium]


def test_the_api_docs_render_from_our_own_server(live_server, transactional_db, browser):
    page = browser.new_page()
    hosts, errors = set(), []
    page.on("request", lambda request: hosts.add(urlsplit(request.url).netloc))
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(live_server.url + "/api/docs/")

    playwright.expect(page.locator(".swagger-ui .info .title")).to_contain_text("SIKESAL API")
    assert hosts == {urlsplit(live_server.url).netloc}
    assert errors == []

"""Push in a real Chromium: the service worker shows what the server pushes, and the opt-in
on /akun/ appears once the worker is ready.

The push itself is handed to the worker by Chromium's DevTools (ServiceWorker.
deliverPushMessage), as the browser's push service would hand it over: no push service can
be reached from here. The payload is the one the server builds (push_payload).

The worker is the site's own, /sw.js (sikesal.pwa), which imports static/js/sw/push.js.
"""

import json
import time

import pytest
from django.test import Client

from sikesal.accounts.tests.factories import UserFactory
from sikesal.core.tests.browser import needs_chromium, playwright
from sikesal.notifications.models import PushSubscription
from sikesal.notifications.push import push_payload, vapid_keys_generate

pytestmark = [pytest.mark.browser, needs_chromium]


@pytest.fixture
def vapid(settings) -> None:
    public_key, private_key = vapid_keys_generate()
    settings.SIKESAL_VAPID_PUBLIC_KEY = public_key
    settings.SIKESAL_VAPID_PRIVATE_KEY = private_key
    settings.SIKESAL_VAPID_SUBJECT = "mailto:sikesal@jambikota.go.id"


@pytest.fixture
def signed_in(live_server, transactional_db, browser, settings, vapid):
    """A phone-sized page signed in as a citizen, allowed to show notifications."""
    client = Client()
    client.force_login(UserFactory(username="wargahp"))
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, permissions=["notifications"]
    )
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
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    yield page
    context.close()


def worker_registration_id(page) -> str:
    """The id DevTools knows the page's service worker registration by."""
    cdp = page.context.new_cdp_session(page)
    registrations = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    page.wait_for_function("navigator.serviceWorker.ready.then(() => true)")
    page.wait_for_timeout(200)  # the enable's events arrive with the next round trip
    cdp.send("ServiceWorker.enable")
    live = [r for r in registrations if not r.get("isDeleted")]
    assert live, registrations
    page.cdp = cdp
    return live[-1]["registrationId"]


def shown_notifications(page) -> list[dict]:
    return page.evaluate(
        """() => navigator.serviceWorker.ready
            .then((registration) => registration.getNotifications())
            .then((list) => list.map((n) => ({
                title: n.title, body: n.body, icon: n.icon, tag: n.tag, data: n.data
            })))"""
    )


def wait_for_notifications(page, timeout: float = 30.0) -> None:
    """Until the worker shows a notification. Polled from here: `wait_for_function` takes
    the promise a predicate returns as a truthy value, so it would not wait at all."""
    deadline = time.monotonic() + timeout
    while not shown_notifications(page):
        assert time.monotonic() < deadline, "no notification was shown"
        page.wait_for_timeout(100)


def test_a_push_is_shown_with_its_title_body_icon_and_page(live_server, signed_in):
    page = signed_in
    page.goto(live_server.url + "/akun/")
    registration_id = worker_registration_id(page)
    payload = push_payload(
        title="Pengaduan SKL-ABC123: Ditanggapi",
        body="Pengaduan Anda sudah ditanggapi. Silakan beri penilaian.",
        url="/saya/SKL-ABC123/",
        tag="sikesal-41",
    )

    for _ in range(2):  # delivered twice (a retry after a crash): shown once
        page.cdp.send(
            "ServiceWorker.deliverPushMessage",
            {"origin": live_server.url, "registrationId": registration_id, "data": payload},
        )
    wait_for_notifications(page)

    [shown] = shown_notifications(page)
    assert shown == {
        "title": "Pengaduan SKL-ABC123: Ditanggapi",
        "body": "Pengaduan Anda sudah ditanggapi. Silakan beri penilaian.",
        "icon": live_server.url + json.loads(payload)["icon"],
        "tag": "sikesal-41",
        "data": {"url": live_server.url + "/saya/SKL-ABC123/"},
    }
    assert page.errors == []


def test_a_push_pointing_elsewhere_opens_our_home_page(live_server, signed_in):
    page = signed_in
    page.goto(live_server.url + "/akun/")
    registration_id = worker_registration_id(page)

    page.cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": live_server.url,
            "registrationId": registration_id,
            "data": json.dumps({"title": "Hadiah!", "body": "", "url": "https://contoh.invalid/"}),
        },
    )
    wait_for_notifications(page)

    [shown] = shown_notifications(page)
    assert shown["data"] == {"url": live_server.url + "/"}


def test_the_opt_in_appears_once_the_service_worker_is_ready(live_server, signed_in):
    page = signed_in

    page.goto(live_server.url + "/akun/")

    button = page.get_by_role("button", name="Aktifkan pemberitahuan di perangkat ini")
    playwright.expect(button).to_be_visible()
    playwright.expect(page.locator("[data-push-status]")).to_have_text(
        "Pemberitahuan belum aktif di perangkat ini."
    )
    assert page.errors == []


def test_a_subscription_the_browser_refuses_is_reported_and_registers_nothing(
    live_server, signed_in
):
    # Chromium refuses PushManager.subscribe() here (a Playwright context is incognito,
    # and no push service is reachable): the page must say so and leave nothing behind.
    page = signed_in
    page.goto(live_server.url + "/akun/")
    button = page.get_by_role("button", name="Aktifkan pemberitahuan di perangkat ini")

    button.click()

    playwright.expect(page.locator("[data-push-status]")).to_have_text(
        "Pemberitahuan belum dapat diubah. Periksa sambungan internet, lalu coba lagi."
    )
    playwright.expect(button).to_be_enabled()
    assert not PushSubscription.objects.exists()
    assert page.errors == []

"""Filing from a phone with no signal, in a real Chromium on a 360x640 phone screen.

/lapor/ keeps the draft and the photos in IndexedDB, queues a complaint submitted without
signal ("Menunggu sinyal") and sends it through POST /api/v1/complaints/ with one
Idempotency-Key when the signal returns: exactly one complaint, whatever is retried.
"""

import io
import os
import re
import threading
from io import StringIO

import pytest
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.test import Client
from PIL import Image

from sikesal.agencies.models import Category
from sikesal.complaints.models import Complaint, ComplaintDraft, ComplaintPhoto
from sikesal.complaints.tests.conftest import make_user
from sikesal.core.tests import browser as browser_support
from sikesal.core.tests.browser import needs_chromium, playwright

pytestmark = [pytest.mark.browser, needs_chromium]

PHONE = {"width": 360, "height": 640}
TITLE = "Lampu jalan mati di Jl. Sultan Thaha"
DESCRIPTION = "Tiga lampu jalan mati sejak minggu lalu, gelap dan rawan kecelakaan."
expect = playwright.expect if playwright else None


def jpeg_bytes(size=(1200, 900), *, orientation: int | None = None) -> bytes:
    buffer = io.BytesIO()
    picture = Image.new("RGB", size, (120, 90, 60))
    if orientation is None:
        picture.save(buffer, "JPEG")
    else:
        exif = Image.Exif()
        exif[0x0112] = orientation
        picture.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


@pytest.fixture
def citizen(live_server, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # No internet here: without a tile URL the map is left out, the kelurahan list stays.
    settings.MAP_TILE_URL = ""
    for command in ("load_regions", "load_agencies", "load_categories"):
        call_command(command, stdout=StringIO())
    return make_user("wargasinyal")


def session_cookie(user, live_server, settings) -> dict:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def phone(browser, user, live_server, settings):
    context = browser.new_context(viewport=PHONE)
    context.add_cookies([session_cookie(user, live_server, settings)])
    return context


def watched_page(context):
    page = context.new_page()
    page.errors = []
    page.on("pageerror", lambda error: page.errors.append(str(error)))
    return page


def fill_complaint(page, *, photo: bytes | None = None) -> None:
    page.locator(".choice__label", has_text=re.compile(r"^Jalan$")).click()
    page.get_by_label("Judul").fill(TITLE)
    page.get_by_label("Uraian").fill(DESCRIPTION)
    page.locator("select[name=kelurahan]").select_option(index=1)
    if photo is not None:
        page.locator("[data-photo-field] input[type=file]").set_input_files(
            files=[{"name": "lampu.jpg", "mimeType": "image/jpeg", "buffer": photo}]
        )
        expect(page.locator("[data-photo-field] img")).to_have_count(1)


def draft_saved(page) -> None:
    """Wait until the phone's draft holds the title and the photo (saved as the citizen
    types)."""
    saved_titles = """() => new Promise(resolve => {
        const open = indexedDB.open("sikesal");
        open.onsuccess = () => {
            const get = open.result.transaction("drafts").objectStore("drafts").getAll();
            get.onsuccess = () => resolve(get.result.map(
                draft => draft.fields.title + "|" + draft.staged.length));
        };
    })"""
    for _attempt in range(100):
        if f"{TITLE}|1" in page.evaluate(saved_titles):
            return
        page.wait_for_timeout(50)
    raise AssertionError("the draft was not saved on the phone")


def controlled_by_the_service_worker(page) -> None:
    """Wait until the app's service worker (/sw.js, registered by static/js/pwa.js) is
    active, then open the page again through it (so that it keeps the page for offline)."""
    active = "navigator.serviceWorker.getRegistration().then(r => Boolean(r && r.active))"
    for _attempt in range(150):
        if page.evaluate(active):
            break
        page.wait_for_timeout(100)
    else:
        raise AssertionError("no active service worker on /lapor/")
    page.reload()
    assert page.evaluate("navigator.serviceWorker.controller !== null")


def test_a_complaint_submitted_without_signal_waits_and_is_filed_once_when_it_returns(
    citizen, live_server, browser, settings
):
    """Offline submit, offline reload (the service worker serves the app), online: one
    complaint, and its tracking number on the page."""
    context = phone(browser, citizen, live_server, settings)
    page = watched_page(context)
    page.goto(live_server.url + "/lapor/")
    controlled_by_the_service_worker(page)
    fill_complaint(page, photo=jpeg_bytes())
    draft_saved(page)

    context.set_offline(True)
    page.reload()
    expect(page.get_by_label("Judul")).to_have_value(TITLE)
    expect(page.locator("[data-photo-field] img")).to_have_count(1)
    page.get_by_role("button", name="Kirim pengaduan").last.click()
    outbox = page.locator("[data-outbox]")
    expect(outbox).to_contain_text("Menunggu sinyal")
    expect(outbox).to_contain_text(TITLE)

    page.reload()
    expect(page.locator("[data-outbox]")).to_contain_text("Menunggu sinyal")
    assert Complaint.objects.count() == 0

    context.set_offline(False)
    expect(page.locator("[data-outbox]")).to_contain_text("Terkirim", timeout=15_000)
    complaint = Complaint.objects.get()
    expect(page.locator("[data-outbox]")).to_contain_text(complaint.tracking_number)
    assert complaint.title == TITLE
    assert complaint.photos.count() == 1
    assert page.errors == []
    context.close()


def test_without_signal_the_complaint_waits_and_goes_when_the_signal_returns(
    citizen, live_server, browser, settings
):
    """The same without reloading (no service worker needed): the page sends its outbox on
    the `online` event and, having sent it itself, shows the tracking number page."""
    context = phone(browser, citizen, live_server, settings)
    page = watched_page(context)
    page.goto(live_server.url + "/lapor/")
    fill_complaint(page, photo=jpeg_bytes())

    context.set_offline(True)
    page.get_by_role("button", name="Kirim pengaduan").last.click()
    outbox = page.locator("[data-outbox]")
    expect(outbox).to_contain_text("Menunggu sinyal")
    expect(outbox).to_contain_text("1 foto")
    # The form is free for the next complaint.
    expect(page.get_by_label("Judul")).to_have_value("")
    assert Complaint.objects.count() == 0

    context.set_offline(False)
    page.wait_for_url("**/lapor/?terkirim=*")
    complaint = Complaint.objects.get()
    assert complaint.tracking_number in page.locator("#tracking-number").inner_text()
    assert complaint.photos.count() == 1
    assert complaint.idempotency_key
    assert page.errors == []
    context.close()


def test_a_photo_chosen_without_signal_is_kept_on_the_phone_and_sent_with_the_complaint(
    citizen, live_server, browser, settings
):
    context = phone(browser, citizen, live_server, settings)
    page = watched_page(context)
    page.goto(live_server.url + "/lapor/")
    context.set_offline(True)
    fill_complaint(page)
    page.locator("[data-photo-field] input[type=file]").set_input_files(
        files=[{"name": "lampu.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    expect(page.locator("[data-photo-field] [data-local-photo] img")).to_have_count(1)
    assert ComplaintPhoto.objects.count() == 0

    page.get_by_role("button", name="Kirim pengaduan").last.click()
    expect(page.locator("[data-outbox]")).to_contain_text("1 foto")
    context.set_offline(False)
    page.wait_for_url("**/lapor/?terkirim=*")
    assert Complaint.objects.get().photos.count() == 1
    assert page.errors == []
    context.close()


def test_a_page_closed_mid_send_files_one_complaint_when_it_opens_again(
    citizen, live_server, browser, settings
):
    context = phone(browser, citizen, live_server, settings)
    page = watched_page(context)
    page.goto(live_server.url + "/lapor/")
    fill_complaint(page, photo=jpeg_bytes())

    reached_server = threading.Event()

    def deliver_but_lose_the_answer(route):
        # The complaint reaches the server and is filed; its answer never comes back.
        route.fetch()
        reached_server.set()

    page.route("**/api/v1/complaints/", deliver_but_lose_the_answer)
    page.get_by_role("button", name="Kirim pengaduan").last.click()
    page.wait_for_function("true")  # let Playwright dispatch the route
    while not reached_server.is_set():
        page.wait_for_timeout(50)
    assert Complaint.objects.count() == 1
    page.close()

    # Opened again, here on /saya/: any page with the outbox sends what waits.
    again = watched_page(context)
    again.goto(live_server.url + "/saya/")
    outbox = again.locator("[data-outbox]")
    expect(outbox).to_contain_text("Terkirim", timeout=15_000)
    complaint = Complaint.objects.get()
    expect(outbox).to_contain_text(complaint.tracking_number)
    expect(again.locator("[data-outbox-notice]")).to_contain_text(complaint.tracking_number)
    assert complaint.photos.count() == 1
    # The link leads to the complaint.
    again.get_by_role("link", name=complaint.tracking_number).click()
    again.wait_for_url(f"**/saya/{complaint.tracking_number}/")
    assert again.errors == []
    context.close()


def test_a_photo_larger_than_1600_px_arrives_at_the_server_at_most_1600_px_upright(
    citizen, live_server, browser, settings
):
    context = phone(browser, citizen, live_server, settings)
    page = watched_page(context)
    page.goto(live_server.url + "/lapor/")
    arrived = []

    def record(route):
        request = route.request
        boundary = request.headers["content-type"].split("boundary=")[1].encode()
        for part in request.post_data_buffer.split(b"--" + boundary):
            head, _, body = part.partition(b"\r\n\r\n")
            if b'name="photo"' in head:
                arrived.append(body[: -len(b"\r\n")])
        route.continue_()

    page.route("**/lapor/foto/", record)
    # 3000x2000 stored sideways: EXIF orientation 6 shows it as 2000x3000, upright.
    original = jpeg_bytes((3000, 2000), orientation=6)
    page.locator("[data-photo-field] input[type=file]").set_input_files(
        files=[{"name": "besar.jpg", "mimeType": "image/jpeg", "buffer": original}]
    )
    expect(page.locator("[data-photo-field] img")).to_have_count(1)

    assert len(arrived) == 1
    sent = Image.open(io.BytesIO(arrived[0]))
    assert sent.format == "JPEG"
    assert sent.size == (1067, 1600)
    assert (sent.getexif().get(0x0112) or 1) == 1
    assert len(arrived[0]) < len(original)
    assert page.errors == []
    context.close()


def test_a_complaint_refused_for_its_fields_comes_back_into_the_form_with_the_errors(
    citizen, live_server, browser, settings
):
    context = phone(browser, citizen, live_server, settings)
    page = watched_page(context)
    page.goto(live_server.url + "/lapor/")
    fill_complaint(page, photo=jpeg_bytes())
    context.set_offline(True)
    page.get_by_role("button", name="Kirim pengaduan").last.click()
    expect(page.locator("[data-outbox]")).to_contain_text("Menunggu sinyal")

    # While the phone waits, the category is withdrawn: the server refuses the form.
    Category.objects.filter(name="Jalan").update(is_active=False)
    context.set_offline(False)

    summary = page.locator("[data-offline-error-summary]")
    expect(summary).to_contain_text("Kategori ini tidak tersedia lagi")
    expect(page.get_by_label("Judul")).to_have_value(TITLE)
    expect(page.get_by_label("Uraian")).to_have_value(DESCRIPTION)
    expect(page.locator("[data-photo-field] img")).to_have_count(1)
    expect(page.locator("[data-outbox]")).to_be_hidden()
    assert Complaint.objects.count() == 0
    assert page.errors == []
    context.close()


def test_a_draft_survives_closing_the_browser(citizen, live_server, settings, tmp_path):
    """Typed, then the browser is closed (as a reboot does): the draft is still there."""
    profile = tmp_path / "profile"
    cookie = session_cookie(citizen, live_server, settings)
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with browser_support.playwright.sync_playwright() as p:

        def open_phone():
            context = p.chromium.launch_persistent_context(
                str(profile),
                executable_path=browser_support.CHROMIUM,
                args=browser_support.CHROMIUM_ARGS,
                viewport=PHONE,
            )
            context.add_cookies([cookie])
            return context

        context = open_phone()
        page = watched_page(context)
        page.goto(live_server.url + "/lapor/")
        fill_complaint(page, photo=jpeg_bytes())
        draft_saved(page)
        context.close()

        context = open_phone()
        page = watched_page(context)
        page.goto(live_server.url + "/lapor/")
        expect(page.get_by_label("Judul")).to_have_value(TITLE)
        expect(page.get_by_label("Uraian")).to_have_value(DESCRIPTION)
        expect(page.locator("input[name=category]:checked")).to_have_count(1)
        expect(page.locator("[data-photo-field] img")).to_have_count(1)
        expect(page.locator("[data-outbox-notice]")).to_contain_text("dipulihkan")
        assert page.errors == []
        context.close()
    assert not ComplaintDraft.objects.exists()


def test_a_signed_out_citizen_is_told_to_sign_in_and_the_complaint_waits_until_then(
    citizen, live_server, browser, settings
):
    context = phone(browser, citizen, live_server, settings)
    page = watched_page(context)
    page.goto(live_server.url + "/lapor/")
    fill_complaint(page)
    context.set_offline(True)
    page.get_by_role("button", name="Kirim pengaduan").last.click()
    expect(page.locator("[data-outbox]")).to_contain_text("Menunggu sinyal")

    # The session ends while the phone has no signal.
    Session.objects.all().delete()
    context.set_offline(False)
    outbox = page.locator("[data-outbox]")
    expect(outbox).to_contain_text("Anda sudah keluar. Masuk lagi")
    expect(outbox.get_by_role("link", name="Masuk")).to_be_visible()
    assert Complaint.objects.count() == 0

    context.add_cookies([session_cookie(citizen, live_server, settings)])
    page.goto(live_server.url + "/saya/")
    expect(page.locator("[data-outbox]")).to_contain_text("Terkirim")
    complaint = Complaint.objects.get()
    expect(page.locator("[data-outbox]")).to_contain_text(complaint.tracking_number)
    # Seen: "Tutup" takes it off the phone's list for good.
    page.locator("[data-outbox]").get_by_role("button", name="Tutup").click()
    expect(page.locator("[data-outbox]")).to_be_hidden()
    page.reload()
    expect(page.get_by_role("link", name=complaint.title)).to_be_visible()
    expect(page.locator("[data-outbox]")).to_be_hidden()
    assert page.errors == []
    context.close()


def test_the_service_worker_sends_the_outbox_with_no_page_open(
    citizen, live_server, browser, settings
):
    """Background Sync (static/js/sw/outbox.js): queued offline, every page closed, the
    signal returns, and the service worker files it alone; the next page shows it."""
    context = phone(browser, citizen, live_server, settings)
    page = watched_page(context)
    page.goto(live_server.url + "/lapor/")
    controlled_by_the_service_worker(page)
    fill_complaint(page, photo=jpeg_bytes())
    context.set_offline(True)
    page.get_by_role("button", name="Kirim pengaduan").last.click()
    expect(page.locator("[data-outbox]")).to_contain_text("Menunggu sinyal")
    assert page.evaluate("navigator.serviceWorker.ready.then(r => r.sync.getTags())") == [
        "sikesal-outbox"
    ]
    blank = context.new_page()  # keeps the browser context (and its worker) alive
    page.close()

    context.set_offline(False)
    # The browser fires the sync when it sees the signal; on a loaded CI machine (three
    # suites on two cores) that has taken over 30 s.
    for _attempt in range(600):
        if Complaint.objects.exists():
            break
        blank.wait_for_timeout(100)
    complaint = Complaint.objects.get()
    assert complaint.photos.count() == 1

    again = watched_page(context)
    again.goto(live_server.url + "/saya/")
    expect(again.locator("[data-outbox]")).to_contain_text(complaint.tracking_number)
    assert Complaint.objects.count() == 1
    context.close()

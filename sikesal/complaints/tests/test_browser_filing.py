"""A citizen files a complaint with a photo and a GPS/map location, in a real Chromium
on a 360x640 phone screen (Debian's chromium, driven by Playwright; nothing downloaded)."""

import io
import re
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image

from sikesal.complaints.models import Complaint
from sikesal.complaints.tests.conftest import AIRPORT, make_user
from sikesal.core.tests.browser import needs_chromium, playwright

pytestmark = [pytest.mark.browser, needs_chromium]


def jpeg_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 900), (120, 90, 60)).save(buffer, "JPEG")
    return buffer.getvalue()


def test_citizen_files_with_photo_and_location_on_a_phone(
    live_server, transactional_db, browser, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    # No internet in CI: tiles cannot load, and the form must work anyway.
    settings.MAP_TILE_URL = "https://127.0.0.1:9/{z}/{x}/{y}.png"
    for command in ("load_regions", "load_agencies", "load_categories"):
        call_command(command, stdout=StringIO())
    citizen = make_user("wargahp")
    client = Client()
    client.force_login(citizen)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value

    context = browser.new_context(
        viewport={"width": 360, "height": 640},
        geolocation={"latitude": AIRPORT[0], "longitude": AIRPORT[1]},
        permissions=["geolocation"],
    )
    context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}]
    )
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    page.goto(live_server.url + "/lapor/")
    page.locator(".choice__label", has_text=re.compile(r"^Jalan$")).click()
    playwright.expect(page.locator("input[name=category]:checked")).to_have_count(1)
    page.get_by_label("Judul").fill("Jalan berlubang di depan bandara")
    page.get_by_label("Uraian").fill("Lubang besar di lajur kiri, membahayakan pengendara motor.")

    page.get_by_role("button", name="Gunakan lokasi saya").click()
    status = page.locator("[data-role=status]")
    playwright.expect(status).to_contain_text("Kelurahan Paal Merah")
    # Then a tap on the map moves the point, and the look-up follows it.
    page.locator(".leaflet-container").click(position={"x": 180, "y": 120})
    playwright.expect(status).to_contain_text("Kelurahan")

    page.locator("[data-photo-field] input[type=file]").set_input_files(
        files=[{"name": "lubang.jpg", "mimeType": "image/jpeg", "buffer": jpeg_bytes()}]
    )
    playwright.expect(page.locator("[data-photo-field] img")).to_have_count(1)

    page.get_by_role("button", name="Kirim pengaduan").last.click()
    page.wait_for_url("**/lapor/?terkirim=*")

    complaint = Complaint.objects.get()
    assert complaint.tracking_number in page.content()
    assert complaint.latitude is not None and complaint.kelurahan is not None
    assert complaint.photos.count() == 1
    assert errors == []
    context.close()

"""The officer's intake form in a real Chromium (Debian's, driven by Playwright): a kecamatan
officer on a 360x640 phone enters a walk-in complaint with a photo, with and without
JavaScript, and lands on its page with the tracking number; a refused form keeps what was
typed; nothing scrolls sideways."""

import io

import pytest
from django.db import connections
from django.urls import reverse
from PIL import Image

from sikesal.complaints.models import Complaint, Status
from sikesal.complaints.tests.test_browser_staff_phone import NO_TILES, PHONE, phone
from sikesal.core.tests.browser import needs_chromium, playwright

pytestmark = [pytest.mark.browser, needs_chromium]


def photo_file(tmp_path):
    path = tmp_path / "lubang.jpg"
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (90, 80, 70)).save(buffer, "JPEG")
    path.write_bytes(buffer.getvalue())
    return path


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_kecamatan_officer_enters_a_walk_in_on_a_phone(
    live_server, transactional_db, browser, settings, people, camat_officer, tmp_path, javascript
):
    settings.MAP_TILE_URL = NO_TILES
    page, errors = phone(browser, live_server, settings, camat_officer, javascript=javascript)
    page.goto(live_server.url + reverse("staff:intake"))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    # A first try without the reporter's contact comes back with the error, nothing lost
    page.get_by_label("Nama lengkap pelapor").fill("Rahmat Hidayat")
    page.get_by_label("Judul", exact=True).fill("Lampu jalan mati di gang masjid")
    page.get_by_label("Uraian", exact=True).fill("Sudah seminggu gelap, rawan kecelakaan.")
    page.locator("input[name=category]").first.check(force=True)
    page.locator("select[name=kelurahan]").select_option(label="Telanaipura")
    page.locator("input[name=photos]").set_input_files(photo_file(tmp_path))
    if javascript:
        playwright.expect(page.locator("[data-photo-list] img")).to_have_count(1)
    page.get_by_role("button", name="Simpan pengaduan").last.click()
    playwright.expect(page.locator(".field-error").first).to_contain_text(
        "Email atau nomor ponsel pelapor wajib diisi (Pasal 7)."
    )
    playwright.expect(page.get_by_label("Judul", exact=True)).to_have_value(
        "Lampu jalan mati di gang masjid"
    )
    # (the photo stays staged; until the worker has prepared it, it shows by name)
    playwright.expect(page.locator("[data-photo-list] [data-photo-item]")).to_have_count(1)
    assert not Complaint.objects.exists()

    # With the mobile number it is filed, straight to the kecamatan
    page.get_by_label("Nomor ponsel pelapor").fill("0812-3456-7890")
    page.get_by_role("button", name="Simpan pengaduan").last.click()
    playwright.expect(page.locator("body")).to_contain_text("Pengaduan dicatat dengan nomor")

    complaint = Complaint.objects.get()
    assert (complaint.status, complaint.channel) == (Status.ROUTED, "walk_in")
    assert complaint.photos.count() == 1
    assert complaint.tracking_number in page.url
    playwright.expect(page.locator("body")).to_contain_text(complaint.tracking_number)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert errors == []
    page.context.close()
    connections.close_all()

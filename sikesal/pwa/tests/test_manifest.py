"""/manifest.webmanifest: what a phone installs, with every field Chrome and the stores ask
for, and icons that exist at the sizes the manifest states."""

import json
from pathlib import Path

from django.conf import settings
from django.test import Client
from PIL import Image

from sikesal.pwa.identity import ICONS

STATIC = Path(settings.BASE_DIR) / "static"


def static_file(url: str) -> Path:
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    assert url.startswith(prefix)
    return STATIC / url.removeprefix(prefix)


def get_manifest(client: Client, **headers) -> dict:
    response = client.get("/manifest.webmanifest", **headers)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    return json.loads(response.content)


def test_the_manifest_names_the_app_and_how_it_opens(client: Client, settings):
    settings.SIKESAL_SITE_NAME = "SIKESAL Kota Contoh"
    settings.SIKESAL_APP_SHORT_NAME = "Lapor Contoh"
    settings.SIKESAL_APP_THEME_COLOR = "#123456"

    manifest = get_manifest(client)

    assert manifest["id"] == "/"
    assert manifest["lang"] == "id"
    assert manifest["name"] == "SIKESAL Kota Contoh"
    assert manifest["short_name"] == "Lapor Contoh"
    assert manifest["description"] == (
        "Sampaikan pengaduan tentang pelayanan publik Kota Jambi dan ikuti tindak lanjutnya."
    )
    assert manifest["start_url"] == "/?source=pwa"
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#123456"
    assert manifest["background_color"] == "#ffffff"


def test_the_manifest_icons_exist_at_their_stated_sizes(client: Client):
    manifest = get_manifest(client)

    stated = {(icon["sizes"], icon["purpose"]) for icon in manifest["icons"]}
    assert stated == {
        ("192x192", "any"),
        ("512x512", "any"),
        ("192x192", "maskable"),
        ("512x512", "maskable"),
    }
    assert len(manifest["icons"]) == len(ICONS)
    for icon in manifest["icons"]:
        assert icon["type"] == "image/png"
        with Image.open(static_file(icon["src"])) as image:
            assert image.format == "PNG"
            assert f"{image.width}x{image.height}" == icon["sizes"]


def test_the_shortcuts_open_lapor_and_my_complaints_with_their_icons(client: Client):
    manifest = get_manifest(client)

    shortcuts = {shortcut["name"]: shortcut for shortcut in manifest["shortcuts"]}
    assert set(shortcuts) == {"Lapor", "Pengaduan saya"}
    assert shortcuts["Lapor"]["url"] == "/lapor/"
    assert shortcuts["Pengaduan saya"]["url"] == "/saya/"
    for shortcut in shortcuts.values():
        (icon,) = shortcut["icons"]
        assert icon["sizes"] == "96x96"
        with Image.open(static_file(icon["src"])) as image:
            assert image.size == (96, 96)


def test_the_manifest_speaks_english_to_whoever_chose_it(client: Client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    manifest = get_manifest(client)

    assert manifest["lang"] == "en"
    assert manifest["description"] == (
        "File a complaint about Kota Jambi's public services and follow what is done about it."
    )
    names = [shortcut["name"] for shortcut in manifest["shortcuts"]]
    assert names == ["Report", "My complaints"]


def test_every_page_links_the_manifest_colour_and_icons(client: Client):
    page = client.get("/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in page
    assert '<meta name="theme-color" content="#0b3d5c">' in page
    assert '<link rel="icon" href="/static/pwa/favicon.ico"' in page
    assert '<link rel="apple-touch-icon" href="/static/pwa/apple-touch-icon.png">' in page
    assert 'src="/static/js/pwa.js"' in page
    assert page.count('rel="manifest"') == 1


def test_the_touch_icon_is_opaque_and_180_pixels():
    with Image.open(STATIC / "pwa" / "apple-touch-icon.png") as image:
        assert image.size == (180, 180)
        assert image.mode == "RGB"


def test_favicon_ico_answers_with_the_icon(client: Client):
    response = client.get("/favicon.ico")

    assert response.status_code == 200
    assert response["Content-Type"] == "image/x-icon"
    body = b"".join(response.streaming_content)
    assert body == (STATIC / "pwa" / "favicon.ico").read_bytes()
    with Image.open(STATIC / "pwa" / "favicon.ico") as icon:
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32), (48, 48)} <= icon.info["sizes"]

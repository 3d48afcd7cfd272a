"""/sw.js, /offline/ and the headers that tell the service worker what it may keep."""

import json
import re
import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from sikesal.complaints.tests.conftest import make_user
from sikesal.pwa.viewer import VIEWER_COOKIE, VIEWER_HEADER

STATIC = Path(settings.BASE_DIR) / "static"


def worker_config(client: Client) -> dict:
    script = client.get("/sw.js").content.decode()
    match = re.search(r"^const CONFIG = (\{.*?^\});$", script, re.MULTILINE | re.DOTALL)
    assert match, script[:500]
    return json.loads(match.group(1))


@pytest.fixture
def static_copy(settings, tmp_path) -> Path:
    """A static folder of the test's own, in front of the project's (first one wins)."""
    settings.STATICFILES_DIRS = [tmp_path, STATIC]
    return tmp_path


def test_the_service_worker_is_served_from_the_root_and_always_revalidated(client: Client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].split(";")[0] == "application/javascript"
    assert response["Cache-Control"] == "no-cache"
    assert "Service-Worker-Allowed" not in response  # its folder, /, is its scope


def test_it_precaches_the_shell_and_the_offline_page(client: Client):
    config = worker_config(client)

    precache = config["precache"]
    for url in (
        "/static/css/sikesal.css",
        "/static/js/pwa.js",
        "/static/vendor/htmx/htmx.min.js",
        "/static/pwa/icon-192.png",
        "/static/pwa/icon-maskable-512.png",
        "/offline/",
    ):
        assert url in precache
    assert config["offlineUrl"] == "/offline/"
    assert config["neverCached"] == ["/api/", "/staf/", "/admin/", "/akun/"]
    assert not [url for url in precache if url.startswith(("/api/", "/staf/", "/akun/"))]


def test_its_version_changes_when_a_precached_file_changes(client: Client, static_copy: Path):
    (static_copy / "css").mkdir()
    shutil.copy(STATIC / "css" / "sikesal.css", static_copy / "css" / "sikesal.css")
    before = worker_config(client)["version"]
    assert worker_config(client)["version"] == before  # stable while nothing changes

    with (static_copy / "css" / "sikesal.css").open("a") as stylesheet:
        stylesheet.write("\n.new-rule { color: red; }\n")

    assert worker_config(client)["version"] != before


def test_it_imports_each_module_of_js_sw_in_order_and_changes_version_with_them(
    client: Client, static_copy: Path
):
    before = worker_config(client)
    (static_copy / "js" / "sw").mkdir(parents=True)
    (static_copy / "js" / "sw" / "push.js").write_text('self.addEventListener("push", () => {});')
    (static_copy / "js" / "sw" / "outbox.js").write_text('self.addEventListener("sync", () => {});')

    after = worker_config(client)

    assert after["modules"] == ["/static/js/sw/outbox.js", "/static/js/sw/push.js"]
    assert after["version"] != before["version"]
    (static_copy / "js" / "sw" / "push.js").write_text("// changed")
    assert worker_config(client)["version"] != after["version"]


def test_the_offline_page_speaks_indonesian_and_english(client: Client, settings):
    page = client.get("/offline/")

    assert page.status_code == 200
    text = page.content.decode()
    assert "<h1>Anda sedang luring</h1>" in text
    assert 'href="/lapor/"' in text

    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "<h1>You are offline</h1>" in client.get("/offline/").content.decode()


def test_the_offline_page_shows_nothing_of_whoever_installed_the_worker(client: Client, db):
    client.force_login(make_user("wargaluring"))

    text = client.get("/offline/").content.decode()

    assert "Wargaluring" not in text
    assert "wargaluring" not in text
    assert "csrfmiddlewaretoken" not in text


@pytest.mark.parametrize("path", ["/staf/", "/staf/rekap/", "/akun/", "/admin/"])
def test_staff_account_and_admin_pages_are_never_stored(client: Client, db, path):
    client.force_login(make_user("petugas", is_executive=True, is_superuser=True, is_staff=True))

    response = client.get(path)

    assert response.status_code == 200
    control = {part.strip() for part in response["Cache-Control"].split(",")}
    assert {"no-store", "private"} <= control


def test_public_pages_may_be_kept(client: Client, db):
    response = client.get("/")

    assert "no-store" not in response.get("Cache-Control", "")


def test_every_page_names_its_viewer_without_revealing_who(client: Client, db):
    anonymous = client.get("/")
    again = Client().get("/")
    client.force_login(make_user("wargatag"))
    signed_in = client.get("/")

    assert anonymous[VIEWER_HEADER] == again[VIEWER_HEADER]
    assert signed_in[VIEWER_HEADER] != anonymous[VIEWER_HEADER]
    assert re.fullmatch(r"[0-9a-f]{32}", signed_in[VIEWER_HEADER])
    cookie = signed_in.cookies[VIEWER_COOKIE]
    assert cookie.value == signed_in[VIEWER_HEADER]
    assert not cookie["httponly"]  # the service worker reads it
    assert cookie["samesite"] == "Lax"
    # Sent once; the next page of the same viewer does not set it again.
    assert VIEWER_COOKIE not in client.get("/").cookies


def test_logout_makes_the_next_page_anonymous(client: Client, db):
    client.force_login(make_user("wargakeluar"))
    signed_in = client.get("/")[VIEWER_HEADER]

    logout = client.post("/keluar/")
    after = client.get("/")

    assert after[VIEWER_HEADER] != signed_in
    # The logout's own answer already names the anonymous viewer.
    assert logout.cookies[VIEWER_COOKIE].value == after[VIEWER_HEADER]


def test_machine_answers_carry_no_viewer(client: Client, db):
    assert VIEWER_HEADER not in client.get("/manifest.webmanifest")
    assert VIEWER_HEADER not in client.get("/sw.js")
    assert VIEWER_HEADER not in client.get("/api/v1/")


def test_in_production_it_precaches_the_hashed_names_whitenoise_serves(
    client: Client, settings, tmp_path
):
    # Given the static files collected with hashed names, as a deployment does (WhiteNoise's
    # storage is this one plus compressed copies, which take a minute to write)
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", "--noinput", verbosity=0)

    config = worker_config(client)

    stylesheet = next(url for url in config["precache"] if url.startswith("/static/css/sikesal."))
    assert re.fullmatch(r"/static/css/sikesal\.[0-9a-f]{12}\.css", stylesheet)
    assert (tmp_path / stylesheet.removeprefix("/static/")).is_file()
    assert config["staticPrefix"] == "/static/"
    manifest = json.loads(client.get("/manifest.webmanifest").content)
    assert all(re.search(r"\.[0-9a-f]{12}\.png$", icon["src"]) for icon in manifest["icons"])
    assert client.get("/favicon.ico").status_code == 200

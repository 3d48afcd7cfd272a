"""android/twa-manifest.json: Bubblewrap's description of the Google Play app, generated from
settings by `manage.py android_manifest` and checked in CI (`--check`)."""

import json
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from sikesal.pwa import twa
from sikesal.pwa.identity import ICONS

# The production site the committed file describes: the address of .env.example and of
# .ci/run's production-like environment (ALLOWED_HOSTS=sikesal.jambikota.go.id).
PRODUCTION_SITE = "https://sikesal.jambikota.go.id"
FINGERPRINT = ":".join(["a0"] * 16 + ["5F"] * 16)

# Bubblewrap 1.25.0's TwaManifestJson (@bubblewrap/core lib/TwaManifest.d.ts): the fields it
# reads, and those it cannot do without (no "?" in the interface).
BUBBLEWRAP_FIELDS = {
    "packageId", "host", "name", "launcherName", "display", "displayOverride", "themeColor",
    "themeColorDark", "navigationColor", "navigationColorDark", "navigationDividerColor",
    "navigationDividerColorDark", "backgroundColor", "enableNotifications", "startUrl",
    "iconUrl", "maskableIconUrl", "monochromeIconUrl", "splashScreenFadeOutDuration",
    "signingKey", "appVersionCode", "appVersion", "shortcuts", "generatorApp",
    "webManifestUrl", "fallbackType", "features", "alphaDependencies",
    "enableSiteSettingsShortcut", "isChromeOSOnly", "isMetaQuest", "fullScopeUrl",
    "minSdkVersion", "shareTarget", "orientation", "fingerprints", "serviceAccountJsonFile",
    "additionalTrustedOrigins", "retainedBundles", "protocolHandlers", "fileHandlers",
    "launchHandlerClientMode",
    # Not in the interface, but written by saveToFile (the class's own name for appVersion).
    "appVersionName",
}  # fmt: skip
BUBBLEWRAP_REQUIRED = {
    "packageId": str, "host": str, "name": str, "themeColor": str, "navigationColor": str,
    "backgroundColor": str, "enableNotifications": bool, "startUrl": str,
    "splashScreenFadeOutDuration": int, "signingKey": dict, "appVersion": str,
}  # fmt: skip


@pytest.fixture
def production(settings):
    """The test settings, at the production site's address."""
    settings.SIKESAL_SITE_URL = PRODUCTION_SITE
    return settings


@pytest.fixture
def manifest_copy(tmp_path: Path) -> Path:
    """A copy of the committed file, for commands that write."""
    copy = tmp_path / "twa-manifest.json"
    shutil.copyfile(twa.MANIFEST_PATH, copy)
    return copy


def test_the_committed_manifest_is_what_the_settings_give(production):
    committed = json.loads(twa.MANIFEST_PATH.read_text(encoding="utf-8"))

    call_command("android_manifest", "--check")  # raises CommandError when it differs

    icon_512 = {purpose: path for path, size, purpose in ICONS if size == 512}
    assert committed["host"] == urlsplit(django_settings.SIKESAL_SITE_URL).netloc
    assert committed["host"] == "sikesal.jambikota.go.id"
    assert committed["packageId"] == django_settings.SIKESAL_ANDROID_PACKAGE
    assert committed["name"] == django_settings.SIKESAL_SITE_NAME
    assert committed["launcherName"] == django_settings.SIKESAL_APP_SHORT_NAME
    assert committed["startUrl"] == "/?source=pwa"
    assert committed["iconUrl"] == f"{PRODUCTION_SITE}/static/{icon_512['any']}"
    assert committed["maskableIconUrl"] == f"{PRODUCTION_SITE}/static/{icon_512['maskable']}"
    assert committed["webManifestUrl"] == f"{PRODUCTION_SITE}/manifest.webmanifest"
    assert committed["fingerprints"] == [
        {"value": value.upper()} for value in django_settings.SIKESAL_ANDROID_SHA256_FINGERPRINTS
    ]
    assert [(s["name"], s["url"]) for s in committed["shortcuts"]] == [
        ("Lapor", f"{PRODUCTION_SITE}/lapor/"),
        ("Pengaduan saya", f"{PRODUCTION_SITE}/saya/"),
    ]
    assert committed["enableNotifications"] is True
    assert committed["display"] == "standalone"
    assert committed["fallbackType"] == "customtabs"


def test_the_committed_manifest_is_in_bubblewraps_format():
    committed = json.loads(twa.MANIFEST_PATH.read_text(encoding="utf-8"))

    assert set(committed) <= BUBBLEWRAP_FIELDS, set(committed) - BUBBLEWRAP_FIELDS
    for field, kind in BUBBLEWRAP_REQUIRED.items():
        assert isinstance(committed[field], kind), field
    assert set(committed["signingKey"]) == {"path", "alias"}
    assert committed["appVersion"] == committed["appVersionName"]
    assert isinstance(committed["appVersionCode"], int) and committed["appVersionCode"] >= 1
    for shortcut in committed["shortcuts"]:
        # Bubblewrap's ShortcutInfo refuses a shortcut without an "any" or monochrome icon.
        assert {"name", "shortName", "url", "chosenIconUrl"} <= set(shortcut)
        assert len(shortcut["shortName"]) <= 12  # SHORT_NAME_MAX_SIZE
    for colour in ("themeColor", "navigationColor", "backgroundColor"):
        assert committed[colour] == committed[colour].upper() and len(committed[colour]) == 7


def test_check_fails_naming_the_difference_when_a_setting_changes(production, manifest_copy):
    production.SIKESAL_APP_THEME_COLOR = "#123abc"
    before = manifest_copy.read_text(encoding="utf-8")

    with pytest.raises(CommandError) as failure:
        call_command("android_manifest", "--check", output=manifest_copy)

    assert '+  "themeColor": "#123ABC",' in str(failure.value)
    assert "differs from what the settings give" in str(failure.value)
    assert manifest_copy.read_text(encoding="utf-8") == before


def test_check_fails_on_another_host(settings, manifest_copy):
    settings.SIKESAL_SITE_URL = "https://pengaduan.example.go.id"

    with pytest.raises(CommandError) as failure:
        call_command("android_manifest", "--check", output=manifest_copy)

    assert '+  "host": "pengaduan.example.go.id",' in str(failure.value)


def test_generating_follows_the_settings_and_keeps_the_committed_version(settings, manifest_copy):
    settings.SIKESAL_SITE_URL = "https://pengaduan.example.go.id"
    settings.SIKESAL_ANDROID_PACKAGE = "id.go.example.pengaduan"
    settings.SIKESAL_ANDROID_SHA256_FINGERPRINTS = [FINGERPRINT]
    call_command(
        "android_manifest", "--version-code", "7", "--version-name", "1.3.0", output=manifest_copy
    )

    settings.SIKESAL_APP_BACKGROUND_COLOR = "#fff"
    call_command("android_manifest", output=manifest_copy)
    written = json.loads(manifest_copy.read_text(encoding="utf-8"))
    call_command("android_manifest", "--check", output=manifest_copy)

    assert written["host"] == "pengaduan.example.go.id"
    assert written["packageId"] == "id.go.example.pengaduan"
    assert written["backgroundColor"] == "#FFFFFF"
    assert written["fingerprints"] == [{"value": FINGERPRINT.upper()}]
    assert (written["appVersionCode"], written["appVersionName"]) == (7, "1.3.0")
    assert written["appVersion"] == "1.3.0"


def test_the_version_code_never_goes_down(production, manifest_copy):
    call_command(
        "android_manifest", "--version-code", "5", "--version-name", "1.2.0", output=manifest_copy
    )
    before = manifest_copy.read_text(encoding="utf-8")

    with pytest.raises(CommandError, match="below the committed 5"):
        call_command(
            "android_manifest",
            "--version-code",
            "4",
            "--version-name",
            "1.1.9",
            output=manifest_copy,
        )
    with pytest.raises(CommandError, match="together"):
        call_command("android_manifest", "--version-code", "6", output=manifest_copy)
    with pytest.raises(CommandError, match="give no version"):
        call_command("android_manifest", "--check", "--version-code", "6", output=manifest_copy)

    assert manifest_copy.read_text(encoding="utf-8") == before


def test_an_http_site_or_a_bad_colour_writes_nothing(settings, production, manifest_copy):
    before = manifest_copy.read_text(encoding="utf-8")

    settings.SIKESAL_APP_THEME_COLOR = "blue"
    with pytest.raises(CommandError, match="'blue' is not a colour"):
        call_command("android_manifest", output=manifest_copy)
    settings.SIKESAL_APP_THEME_COLOR = "#0b3d5c"
    settings.SIKESAL_SITE_URL = "http://127.0.0.1:8000"
    with pytest.raises(CommandError, match="opens only an https:// site"):
        call_command("android_manifest", output=manifest_copy)

    assert manifest_copy.read_text(encoding="utf-8") == before

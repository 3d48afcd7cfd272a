"""The Android app as Bubblewrap describes it: android/twa-manifest.json, from settings.

Google Play carries SIKESAL as a Trusted Web Activity: a thin Android app that opens the
site full screen in Chrome. Bubblewrap (docs/android.md) generates and builds that app
from a twa-manifest.json; this module writes the file from the same identity as the web
app manifest and /.well-known/assetlinks.json, so the three cannot drift apart
(`manage.py android_manifest --check` and the tests compare them).

The fields and their order are those that Bubblewrap's `TwaManifest.saveToFile` writes
(`@bubblewrap/core` BUBBLEWRAP_VERSION, `TwaManifestJson` in lib/TwaManifest.ts), so a
file that Bubblewrap loads and saves again comes back unchanged. Only the version
(`appVersionCode`, `appVersionName`) belongs to the repository rather than to settings:
Google Play needs it to grow with every upload, so the committed file keeps it.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from sikesal.pwa.identity import ICONS, app_identity

# The Bubblewrap release whose format this file follows and docs/android.md installs.
BUBBLEWRAP_VERSION = "1.25.0"
# Written into the file as its generator; Bubblewrap puts its own name there on `update`.
GENERATOR_APP = "sikesal manage.py android_manifest"
MANIFEST_PATH = Path(settings.BASE_DIR) / "android" / "twa-manifest.json"
WEB_MANIFEST_PATH = "/manifest.webmanifest"  # sikesal.pwa.views.manifest

# The keystore stays on Diskominfo's build machine, never in the repository (android/.gitignore).
SIGNING_KEY_PATH = "./android.keystore"
SIGNING_KEY_ALIAS = "sikesal"
# Android 5.0 (API level 21): Bubblewrap's default.
MIN_SDK_VERSION = 21
SPLASH_SCREEN_FADE_OUT_MS = 300
# Bubblewrap's smallest icons: 512 px for the launcher and store, 96 px for a shortcut.
APP_ICON_MIN_PX = 512
SHORTCUT_ICON_MIN_PX = 96
# Android's navigation bar (back, home) in dark mode, and the line above it: Bubblewrap's
# defaults as it saves them (its transparent divider loses the alpha in `Color.hex()`).
NAVIGATION_COLOR_DARK = "#000000"
NAVIGATION_DIVIDER_COLOR = "#000000"


@dataclass(frozen=True)
class AppVersion:
    """What Google Play sees: the code must grow with every upload; the name is shown."""

    code: int = 1
    name: str = "1.0.0"


def android_color(value: str) -> str:
    """A CSS hex colour as Bubblewrap saves it (`Color(value).hex()`): #RRGGBB, upper case."""
    match = re.fullmatch(r"#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})", value.strip())
    if not match:
        raise ValueError(f"{value!r} is not a colour of the form #rrggbb or #rgb.")
    digits = match.group(1)
    if len(digits) == 3:
        digits = "".join(digit * 2 for digit in digits)
    return "#" + digits.upper()


def static_url(path: str) -> str:
    """The absolute address of a file under static/, without the content hash: Bubblewrap
    downloads the icons once, at build time, and the unhashed name lasts across deploys."""
    return urljoin(settings.SIKESAL_SITE_URL + "/", settings.STATIC_URL + path)


def _icon(purpose: str, smallest: int, largest: bool) -> str:
    """The address of an icon of ICONS with this purpose and at least `smallest` pixels:
    the largest for the app (Bubblewrap scales it down), the smallest for a shortcut."""
    sizes = {size: path for path, size, icon_purpose in ICONS if icon_purpose == purpose}
    fitting = [size for size in sizes if size >= smallest]
    if not fitting:
        raise ValueError(f"identity.ICONS has no {purpose!r} icon of {smallest} px or more.")
    return static_url(sizes[max(fitting) if largest else min(fitting)])


def _shortcuts(site_url: str) -> list[dict]:
    # Bubblewrap's ShortcutInfo: name, a short name (Android shows at most about 10
    # characters), the address, and an "any" icon of at least 96 px.
    icon = _icon("any", SHORTCUT_ICON_MIN_PX, largest=False)
    maskable = _icon("maskable", SHORTCUT_ICON_MIN_PX, largest=False)
    shortcuts = (
        (_("Lapor"), _("Lapor"), reverse("complaints:file")),
        (_("Pengaduan saya"), _("Pengaduan"), reverse("complaints:mine")),
    )
    return [
        {
            "name": name,
            "shortName": short_name,
            "url": urljoin(site_url, path),
            "chosenIconUrl": icon,
            "chosenMaskableIconUrl": maskable,
        }
        for name, short_name, path in shortcuts
    ]


def twa_manifest(version: AppVersion) -> dict:
    """The twa-manifest.json that the current settings give, in the site's own language."""
    identity = app_identity()
    site_url = settings.SIKESAL_SITE_URL + "/"
    with translation.override(settings.LANGUAGE_CODE):
        shortcuts = _shortcuts(site_url)
    return {
        "packageId": identity.package_id,
        "host": urlsplit(site_url).netloc,
        "name": identity.name,
        "launcherName": identity.short_name,
        "display": "standalone",
        "themeColor": android_color(identity.theme_color),
        "themeColorDark": android_color(identity.theme_color),
        "navigationColor": android_color(identity.theme_color),
        "navigationColorDark": NAVIGATION_COLOR_DARK,
        "navigationDividerColor": NAVIGATION_DIVIDER_COLOR,
        "navigationDividerColorDark": NAVIGATION_COLOR_DARK,
        "backgroundColor": android_color(identity.background_color),
        # Push notifications (the push part) reach the phone through Chrome, delegated to the app.
        "enableNotifications": True,
        "startUrl": identity.start_url,
        "iconUrl": _icon("any", APP_ICON_MIN_PX, largest=True),
        "maskableIconUrl": _icon("maskable", APP_ICON_MIN_PX, largest=True),
        "splashScreenFadeOutDuration": SPLASH_SCREEN_FADE_OUT_MS,
        "signingKey": {"path": SIGNING_KEY_PATH, "alias": SIGNING_KEY_ALIAS},
        "appVersionName": version.name,
        "appVersionCode": version.code,
        "shortcuts": shortcuts,
        "generatorApp": GENERATOR_APP,
        "webManifestUrl": urljoin(site_url, WEB_MANIFEST_PATH),
        # Where Chrome is missing, the site opens in another browser's Custom Tab (never a
        # WebView, which would share no cookies or push with the browser).
        "fallbackType": "customtabs",
        # Complaint locations come from the page's own geolocation prompt, not Android's.
        "features": {},
        "alphaDependencies": {"enabled": False},
        "enableSiteSettingsShortcut": True,
        "isChromeOSOnly": False,
        "isMetaQuest": False,
        "fullScopeUrl": urljoin(site_url, identity.scope),
        "minSdkVersion": MIN_SDK_VERSION,
        # Any: a phone held sideways or a tablet keeps working (WCAG 1.3.4, Orientation).
        "orientation": "default",
        "fingerprints": [{"value": value.upper()} for value in identity.sha256_fingerprints],
        "additionalTrustedOrigins": [],
        "retainedBundles": [],
        "displayOverride": [],
        # Bubblewrap writes the version name a second time, under the older field name.
        "appVersion": version.name,
    }


def render(manifest: dict) -> str:
    """The file's text, as Bubblewrap writes it (two-space indent), ending in a newline."""
    return json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"


def committed_version(path: Path = MANIFEST_PATH) -> AppVersion | None:
    """The version in the committed file, or None when there is no readable one."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return AppVersion(code=int(data["appVersionCode"]), name=str(data["appVersionName"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None

"""The app's identity as phones and stores see it: one home for the web app manifest,
the Android Trusted Web Activity (android/twa-manifest.json) and assetlinks.json.

Name, colours and icons come from settings, so that another local government installs
its own app without touching code.
"""

from dataclasses import dataclass

from django.conf import settings

# Icons under static/, each (path, size, purpose). "maskable" icons keep their content
# inside the central 80% safe zone, so Android may crop them to any shape.
ICONS = (
    ("pwa/icon-192.png", 192, "any"),
    ("pwa/icon-512.png", 512, "any"),
    ("pwa/icon-maskable-192.png", 192, "maskable"),
    ("pwa/icon-maskable-512.png", 512, "maskable"),
)
APPLE_TOUCH_ICON = "pwa/apple-touch-icon.png"  # 180 x 180, no transparency
FAVICON = "pwa/favicon.ico"


@dataclass(frozen=True)
class AppIdentity:
    name: str
    short_name: str
    theme_color: str
    background_color: str
    start_url: str
    scope: str
    package_id: str
    sha256_fingerprints: tuple[str, ...]


def app_identity() -> AppIdentity:
    return AppIdentity(
        name=settings.SIKESAL_SITE_NAME,
        short_name=settings.SIKESAL_APP_SHORT_NAME,
        theme_color=settings.SIKESAL_APP_THEME_COLOR,
        background_color=settings.SIKESAL_APP_BACKGROUND_COLOR,
        start_url="/?source=pwa",
        scope="/",
        package_id=settings.SIKESAL_ANDROID_PACKAGE,
        sha256_fingerprints=tuple(settings.SIKESAL_ANDROID_SHA256_FINGERPRINTS),
    )

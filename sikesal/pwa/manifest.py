"""The web app manifest (/manifest.webmanifest): what a phone installs."""

from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from sikesal.core.city import city
from sikesal.pwa.icons import SHORTCUT_ICON_SIZE, SHORTCUT_ICONS
from sikesal.pwa.identity import ICONS, app_identity


def _shortcut_icon(key: str) -> list[dict]:
    size = f"{SHORTCUT_ICON_SIZE}x{SHORTCUT_ICON_SIZE}"
    return [{"src": static(SHORTCUT_ICONS[key]), "sizes": size, "type": "image/png"}]


def web_app_manifest() -> dict:
    identity = app_identity()
    return {
        "id": "/",
        "lang": get_language(),
        "dir": "ltr",
        "name": identity.name,
        "short_name": identity.short_name,
        "description": _(
            "Sampaikan pengaduan tentang pelayanan publik %(city)s dan ikuti tindak lanjutnya."
        )
        % {"city": city().name},
        "start_url": identity.start_url,
        "scope": identity.scope,
        "display": "standalone",
        "theme_color": identity.theme_color,
        "background_color": identity.background_color,
        "categories": ["government"],
        "icons": [
            {
                "src": static(path),
                "sizes": f"{size}x{size}",
                "type": "image/png",
                "purpose": purpose,
            }
            for path, size, purpose in ICONS
        ],
        "shortcuts": [
            {
                "name": _("Lapor"),
                "short_name": _("Lapor"),
                "description": _("Sampaikan pengaduan baru"),
                "url": reverse("complaints:file"),
                "icons": _shortcut_icon("file"),
            },
            {
                "name": _("Pengaduan saya"),
                "short_name": _("Pengaduan saya"),
                "description": _("Lihat pengaduan yang sudah Anda sampaikan"),
                "url": reverse("complaints:mine"),
                "icons": _shortcut_icon("mine"),
            },
        ],
    }

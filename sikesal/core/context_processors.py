"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest

from sikesal.core.city import city


def site(request: HttpRequest) -> dict:
    return {
        "SITE_NAME": settings.SIKESAL_SITE_NAME,
        "MAP_TILE_URL": settings.MAP_TILE_URL,
        "CITY": city(),
    }

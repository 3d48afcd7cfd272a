"""The server's side of what the phone may keep (see sikesal.pwa.shell and .viewer)."""

from django.conf import settings
from django.utils.cache import add_never_cache_headers

from sikesal.pwa.shell import NO_STORE_PREFIXES
from sikesal.pwa.viewer import VIEWER_COOKIE, VIEWER_HEADER, viewer_tag


class PhoneCacheMiddleware:
    """Staff pages, the account pages and the admin are never stored (`Cache-Control:
    no-store, private`: they are one person's, and a shared phone must not keep them), and
    every HTML page says whom it was rendered for (the viewer header and cookie)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.path_info.startswith(NO_STORE_PREFIXES):
            add_never_cache_headers(response)
        if response.get("Content-Type", "").startswith("text/html"):
            response.headers[VIEWER_HEADER] = viewer_tag(request)
            set_viewer_cookie(request, response)
        return response


def set_viewer_cookie(request, response) -> None:
    """The viewer cookie of an HTML page, unless the browser already has the same (also
    for a kept public page, sikesal.core.page_cache)."""
    tag = viewer_tag(request)
    if request.COOKIES.get(VIEWER_COOKIE) != tag:
        # Read by the service worker (cookieStore), so not HttpOnly; it lives as long as a
        # session may.
        response.set_cookie(
            VIEWER_COOKIE,
            tag,
            max_age=settings.SESSION_COOKIE_AGE,
            secure=settings.SESSION_COOKIE_SECURE,
            samesite="Lax",
        )

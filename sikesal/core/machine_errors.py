"""Errors that Django answers before any API or Open311 view runs, in those doors' shapes.

A page's 400/403/404/500 is an HTML page; a program that called /api/ gets the API's
error shape (sikesal/api/errors.py) and one that called /open311/ a GeoReport error list,
JSON or XML as it asked. Used by the error handlers (sikesal/core/views.py) and by the
middleware that refuses control characters before a view (sikesal/core/middleware.py).
"""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"
# The doors for programs rather than browsers.
MACHINE_PREFIXES = (API_PREFIX, OPEN311_PREFIX)

# Stable codes, as the API's own views name them (Django REST framework's codes).
_CODES = {400: "bad_request", 403: "permission_denied", 404: "not_found", 500: "server_error"}


def _message(status: int) -> str:
    # The pages' own titles, so both doors say the same thing in both languages.
    return {
        400: _("Permintaan tidak valid"),
        403: _("Akses ditolak"),
        404: _("Tidak ditemukan."),
        500: _("Terjadi kesalahan pada server"),
    }[status]


def machine_error_response(request: HttpRequest, status: int) -> HttpResponse | None:
    """The error `status` in the shape of the door `request` came through; None for a page."""
    path = request.path_info
    if path.startswith(API_PREFIX):
        from sikesal.api.errors import error_body

        return JsonResponse(error_body(_CODES[status], _message(status)), status=status)
    if path.startswith(OPEN311_PREFIX):
        # GeoReport v2's error list, JSON or XML as the address asks.
        from sikesal.open311.errors import error_response

        return error_response(request, status, _message(status))
    return None

"""Errors that Django answers before any API or Open311 view runs, in those doors' shapes.

A page's 400/403/404/500 is an HTML page; a program that called /api/ gets the API's
error shape (sikesal/api/errors.py) and one that called /open311/ a GeoReport error list,
JSON or XML as it asked. Used by the error handlers (sikesal/core/views.py) and by the
middleware that refuses control characters before a view (sikesal/core/middleware.py).
"""

from xml.sax.saxutils import escape

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _

API_PREFIX = "/api/"
OPEN311_PREFIX = "/open311/"

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
        body = {"error": {"code": _CODES[status], "message": _message(status)}}
        return JsonResponse(body, status=status)
    if path.startswith(OPEN311_PREFIX):
        return georeport_error_response(request, status, _message(status))
    return None


def georeport_error_response(request: HttpRequest, status: int, description: str) -> HttpResponse:
    """GeoReport v2's error list: `[{"code", "description"}]`, or `<errors>` in XML when the
    address ends in .xml or asks `format=xml`."""
    wants_xml = request.path_info.endswith(".xml") or request.GET.get("format") == "xml"
    if wants_xml:
        xml = (
            '<?xml version="1.0" encoding="utf-8"?>\n'
            f"<errors><error><code>{status}</code>"
            f"<description>{escape(description)}</description></error></errors>"
        )
        return HttpResponse(xml, status=status, content_type="text/xml; charset=utf-8")
    return JsonResponse([{"code": status, "description": description}], status=status, safe=False)

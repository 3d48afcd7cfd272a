"""GeoReport errors: a list of {code, description} (XML <errors><error>), with the HTTP
status 400, 403, 404 or 429; never the API's own error shape, never a 500 for bad input."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from sikesal.complaints.workflow import InvalidTransition
from sikesal.core.db import DatabaseBusy


class Open311Error(Exception):
    """Answer with these GeoReport errors (descriptions, translated) and this status."""

    def __init__(self, status_code: int, *descriptions) -> None:
        super().__init__(*descriptions)
        self.status_code = status_code
        self.descriptions = [str(d) for d in descriptions]


def errors_body(status_code: int, descriptions: list[str]) -> list[dict]:
    return [{"code": status_code, "description": d} for d in descriptions]


def error_from_validation(error: DjangoValidationError) -> Open311Error:
    """A service's ValidationError as a 400, one GeoReport error per message."""
    return Open311Error(status.HTTP_400_BAD_REQUEST, *error.messages)


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """The Open311 views' exception handler (their `get_exception_handler`)."""
    headers = {}
    if isinstance(exc, Open311Error):
        code, descriptions = exc.status_code, exc.descriptions
    elif isinstance(exc, DjangoValidationError):
        code, descriptions = 400, error_from_validation(exc).descriptions
    elif isinstance(exc, InvalidTransition):
        code = 400
        descriptions = [
            _("Tindakan ini tidak dapat dilakukan pada pengaduan dalam keadaannya sekarang.")
        ]
    elif isinstance(exc, Http404 | exceptions.NotFound):
        code, descriptions = 404, [_("Tidak ditemukan.")]
    elif isinstance(exc, DatabaseBusy):
        code, descriptions = 503, [_("Server sedang sibuk. Kirim ulang sebentar lagi.")]
        headers["Retry-After"] = "5"
    elif isinstance(exc, exceptions.Throttled):
        code, descriptions = 429, [_("Terlalu banyak permintaan. Coba lagi nanti.")]
        if exc.wait:
            headers["Retry-After"] = str(int(exc.wait))
    elif isinstance(exc, exceptions.MethodNotAllowed):
        code, descriptions = 405, [_("Metode ini tidak didukung di alamat ini.")]
    elif isinstance(exc, exceptions.UnsupportedMediaType | exceptions.ParseError):
        code, descriptions = 400, [_("Isi permintaan tidak dapat dibaca.")]
    elif isinstance(exc, exceptions.APIException):
        code, descriptions = exc.status_code, [str(exc.detail)]
    else:
        return None
    set_rollback()
    return Response(errors_body(code, descriptions), status=code, headers=headers)


def error_response(request: HttpRequest, status_code: int, description: str) -> HttpResponse:
    """A GeoReport error for a request Django refused before any Open311 view ran (a
    control character, a bad Host, an unknown address, a crash: core.machine_errors), in
    the format its address asks for (.xml or format=xml, else JSON)."""
    from sikesal.open311.renderers import Open311JSONRenderer, Open311XMLRenderer

    body = errors_body(status_code, [description])
    if request.path_info.endswith(".xml") or request.GET.get("format") == "xml":
        renderer = Open311XMLRenderer()
        context = {"response": HttpResponse(status=status_code)}
        content = renderer.render(body, renderer_context=context)
        return HttpResponse(content, status=status_code, content_type="text/xml; charset=utf-8")
    content = Open311JSONRenderer().render(body)
    return HttpResponse(content, status=status_code, content_type="application/json; charset=utf-8")

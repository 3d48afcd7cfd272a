"""One error shape for every API response that is not a success.

    {"error": {"code": "invalid", "message": "...", "fields": {"title": ["..."]}}}

`code` is stable and meant for programs; `message` is for people, in the request's
language; `fields` (only for input errors) maps each field to its messages, and
`non_field_errors` holds what concerns the request as a whole. The state machine's
refusal (`InvalidTransition`) is a 409 with code `invalid_transition`; a Django
`ValidationError` from a service is a 400 like a serializer's; "not yours" is a 404,
never a 403 (the pages do the same: a stranger's complaint does not exist for you).
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import set_rollback

from sikesal.complaints.selectors import PhotoNotReady
from sikesal.complaints.workflow import InvalidTransition
from sikesal.core.db import DatabaseBusy


def error_body(code: str, message, fields: dict | None = None) -> dict:
    body = {"code": code, "message": str(message)}
    if fields:
        body["fields"] = fields
    return {"error": body}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST_FRAMEWORK's EXCEPTION_HANDLER; None lets anything else become a 500."""
    if isinstance(exc, PhotoNotReady):
        return Response(
            error_body(
                "photo_not_ready",
                _("Foto sedang diproses; minta lagi sebentar lagi."),
            ),
            status=status.HTTP_409_CONFLICT,
            headers={"Retry-After": "5"},
        )
    if isinstance(exc, Http404):
        exc = exceptions.NotFound(_("Tidak ditemukan."))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_errors(exc))
    elif isinstance(exc, InvalidTransition):
        set_rollback()
        return Response(
            error_body(
                "invalid_transition",
                _("Tindakan ini tidak dapat dilakukan pada pengaduan dalam keadaannya sekarang."),
            ),
            status=status.HTTP_409_CONFLICT,
        )
    elif isinstance(exc, DatabaseBusy):
        set_rollback()
        return Response(
            error_body("busy", _("Server sedang sibuk. Kirim ulang sebentar lagi.")),
            status=status.HTTP_503_SERVICE_UNAVAILABLE,
            headers={"Retry-After": "5"},
        )
    if not isinstance(exc, exceptions.APIException):
        return None

    headers = {}
    if getattr(exc, "auth_header", None):
        headers["WWW-Authenticate"] = exc.auth_header
    if getattr(exc, "wait", None):
        headers["Retry-After"] = str(int(exc.wait))
    if isinstance(exc, exceptions.ValidationError):
        body = error_body("invalid", _("Periksa isian yang ditandai."), _field_errors(exc.detail))
    else:
        code = exc.get_codes() if isinstance(exc.get_codes(), str) else exc.default_code
        body = error_body(code, exc.detail)
    set_rollback()
    return Response(body, status=exc.status_code, headers=headers)


def _django_errors(error: DjangoValidationError) -> dict | list:
    if hasattr(error, "error_dict"):
        return {
            ("non_field_errors" if field == "__all__" else field): messages
            for field, messages in error.message_dict.items()
        }
    return {"non_field_errors": error.messages}


def _field_errors(detail) -> dict:
    """A serializer's errors as {field: [messages]} (nested fields joined with dots)."""
    if isinstance(detail, list):
        return {"non_field_errors": [str(item) for item in _flatten(detail)]}
    fields = {}
    for name, value in detail.items():
        if isinstance(value, dict):
            for inner, messages in _field_errors(value).items():
                fields[f"{name}.{inner}"] = messages
        else:
            fields[name] = [str(item) for item in _flatten(value)]
    return fields


def _flatten(value) -> list:
    if isinstance(value, list):
        return [item for part in value for item in _flatten(part)]
    if isinstance(value, dict):
        return [item for part in value.values() for item in _flatten(part)]
    return [value]
